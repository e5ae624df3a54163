/*
 * cpelist: CPE-list and small JSON inventories (see cpelist.h).
 */
#include "intake/cpelist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/file.h"
#include "core/json.h"

typedef struct hostbuf {
    lf_cpe *items;
    const char **raw;
    long *lines;
    size_t n, cap;
    lf_arena a;            /* raw item text */
    char name[256];
} hostbuf;

typedef struct ctx {
    const char *src;
    lf_inv_host_fn fn;
    lf_inv_error_fn on_error;
    void *ud;
    lf_inv_report *rep;
} ctx;

static void hb_init(hostbuf *h)
{
    memset(h, 0, sizeof(*h));
    lf_arena_init(&h->a, 1 << 14);
}

static void hb_clear(hostbuf *h)
{
    free(h->items);
    free(h->raw);
    free(h->lines);
    lf_arena_clear(&h->a);
}

static void hb_reset(hostbuf *h)
{
    h->n = 0;
    lf_arena_reset(&h->a);
}

static void bad(ctx *c, long line, const char *field, const char *msg)
{
    c->rep->rejected++;
    if (!c->on_error)
        return;
    lf_err e;
    lf_err_clear(&e);
    lf_err_set(&e, LF_EPARSE, "%s", msg);
    lf_err_at(&e, c->src, line, 0, field);
    c->on_error(c->ud, &e);
}

static void trim(const char **s, size_t *n)
{
    while (*n && (**s == ' ' || **s == '\t' || **s == '\r'))
        (*s)++, (*n)--;
    while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t' || (*s)[*n - 1] == '\r'))
        (*n)--;
}

/* Add one CPE; LF_ENOMEM is the only error returned (a bad name is reported). */
static int hb_add(ctx *c, hostbuf *h, const char *s, size_t n, long line)
{
    c->rep->items++;
    if (h->n == h->cap) {
        size_t nc = h->cap ? h->cap * 2 : 64;
        lf_cpe *ni = realloc(h->items, nc * sizeof(*ni));
        if (!ni)
            return LF_ENOMEM;
        h->items = ni;
        const char **nr = realloc(h->raw, nc * sizeof(*nr));
        if (!nr)
            return LF_ENOMEM;
        h->raw = nr;
        long *nl = realloc(h->lines, nc * sizeof(*nl));
        if (!nl)
            return LF_ENOMEM;
        h->lines = nl;
        h->cap = nc;
    }
    if (lf_cpe_parse(&h->items[h->n], s, n, NULL) != LF_OK) {
        /* rare: parse again for the located message (clearing an lf_err per item costs
         * more than the parse itself) */
        lf_err e;
        lf_err_clear(&e);
        lf_cpe_parse(&h->items[h->n], s, n, &e);
        c->rep->rejected++;
        if (c->on_error) {
            lf_err out;
            lf_err_clear(&out);
            lf_err_set(&out, LF_EPARSE, "rejected \"%.*s\": %s%s%s (column %ld)", (int)(n < 120 ? n : 120), s, e.field,
                       e.field[0] ? ": " : "", e.msg, e.col);
            lf_err_at(&out, c->src, line, 0, "cpe");
            c->on_error(c->ud, &out);
        }
        return LF_OK;
    }
    h->raw[h->n] = lf_arena_strndup(&h->a, s, n);
    if (!h->raw[h->n])
        return LF_ENOMEM;
    h->lines[h->n] = line;
    h->n++;
    return LF_OK;
}

static int hb_emit(ctx *c, hostbuf *h)
{
    c->rep->hosts++;
    lf_inv_host host = {h->name, h->items, h->raw, h->lines, h->n};
    return c->fn(c->ud, &host);
}

static void default_name(const char *src, char *out, size_t n)
{
    if (!strcmp(src, "-")) {
        snprintf(out, n, "stdin");
        return;
    }
    const char *b = strrchr(src, '/');
    b = b ? b + 1 : src;
    const char *dot = strrchr(b, '.');
    size_t len = dot && dot != b ? (size_t)(dot - b) : strlen(b);
    if (len >= n)
        len = n - 1;
    memcpy(out, b, len);
    out[len] = '\0';
    if (!out[0])
        snprintf(out, n, "stdin");
}

/* One JSON host object. */
static int json_host(ctx *c, hostbuf *h, const lf_json *o, long line)
{
    if (!lf_json_is(o, LF_JSON_OBJECT)) {
        bad(c, line, "host", "expected an object {\"host\":..., \"cpes\":[...]}");
        return LF_OK;
    }
    const char *name = lf_json_get_str(o, "host");
    const lf_json *cpes = lf_json_get(o, "cpes");
    if (!name || !name[0]) {
        bad(c, line, "host", "missing \"host\" name; entry skipped");
        return LF_OK;
    }
    if (!lf_json_is(cpes, LF_JSON_ARRAY)) {
        char msg[400];
        snprintf(msg, sizeof msg, "host %.200s: missing \"cpes\" array; entry skipped", name);
        bad(c, line, "cpes", msg);
        return LF_OK;
    }
    hb_reset(h);
    snprintf(h->name, sizeof h->name, "%s", name);
    for (size_t i = 0; i < lf_json_len(cpes); i++) {
        const lf_json *v = lf_json_at(cpes, i);
        const char *s = lf_json_str(v);
        if (!s) {
            c->rep->items++;
            char msg[400];
            snprintf(msg, sizeof msg, "host %.200s: a cpes entry is not a string", name);
            bad(c, line, "cpes", msg);
            continue;
        }
        if (hb_add(c, h, s, v->n, line))
            return LF_ENOMEM;
    }
    return hb_emit(c, h);
}

typedef struct jwalk {
    ctx *c;
    hostbuf *h;
} jwalk;

static int on_json_host(void *ud, const lf_json *e, size_t index, long line)
{
    (void)index;
    jwalk *w = ud;
    return json_host(w->c, w->h, e, line);
}

/* A host entry lf_json_foreach_keep could not read even on its own (nested deeper than
 * 64): rejected with its line; entries that are only big are read (json.h). */
static int on_json_limit(void *ud, size_t index, long line, const lf_err *why)
{
    (void)index;
    jwalk *w = ud;
    char msg[sizeof why->msg + 96];
    snprintf(msg, sizeof msg, "host entry too deeply nested to read: %s (line %ld, column %ld); entry skipped",
             why->msg, why->line, why->col);
    bad(w->c, line, "host", msg);
    return 0;
}

int lf_cpelist_read_buffer(const char *name, const char *data, size_t len, lf_inv_host_fn fn,
                           lf_inv_error_fn on_error, void *ud, lf_inv_report *rep, lf_err *err)
{
    lf_inv_report tmp_rep;
    if (!rep)
        rep = &tmp_rep;
    memset(rep, 0, sizeof(*rep));
    ctx c = {name, fn, on_error, ud, rep};
    hostbuf h;
    hb_init(&h);
    lf_arena a;
    lf_arena_init(&a, 1 << 16);
    int rc = LF_OK;
    size_t i = 0;
    if (len >= 3 && (unsigned char)data[0] == 0xef && (unsigned char)data[1] == 0xbb &&
        (unsigned char)data[2] == 0xbf)
        i = 3;
    size_t first = i;
    while (first < len && (data[first] == ' ' || data[first] == '\t' || data[first] == '\r' ||
                           data[first] == '\n'))
        first++;
    size_t nl = 0;
    for (size_t k = first; k < len; k++)
        if (data[k] == '\n')
            nl++;
    bool jsonl = false;
    if (first < len && data[first] == '{') {
        /* one object per line when the first line is a complete object */
        const char *eol = memchr(data + first, '\n', len - first);
        if (eol && nl > 0) {
            lf_json *v;
            lf_arena_reset(&a);
            jsonl = lf_json_parse(&a, data + first, (size_t)(eol - data - (long)first), NULL, &v, NULL) == LF_OK;
        }
    }
    if (first < len && (data[first] == '[' || (data[first] == '{' && !jsonl))) {
        if (data[first] == '[') {
            jwalk w = {&c, &h};
            rc = lf_json_foreach_keep(&a, data, len, NULL, NULL, on_json_host, on_json_limit, &w, err);
        } else {
            lf_json *root;
            rc = lf_json_parse(&a, data, len, NULL, &root, err);
            if (rc == LF_OK)
                rc = json_host(&c, &h, root, 1);
            if (rc == LF_ENOMEM)
                lf_err_set(err, LF_ENOMEM, "out of memory reading %s", name);
        }
        if (rc < 0 && !err->src[0])
            lf_err_at(err, name, err->line, err->col, NULL);
        goto done;
    }
    /* text or JSON Lines, line by line */
    long line = 0;
    default_name(name, h.name, sizeof h.name);
    size_t p = i;
    bool any_text = false;
    while (p < len) {
        const char *s = data + p;
        const char *e = memchr(s, '\n', len - p);
        size_t n = e ? (size_t)(e - s) : len - p;
        p += n + (e ? 1 : 0);
        line++;
        rep->lines++;
        trim(&s, &n);
        if (!n)
            continue;
        if (jsonl) {
            lf_json *v;
            lf_err je;
            lf_err_clear(&je);
            lf_arena_reset(&a);
            if (lf_json_parse(&a, s, n, NULL, &v, &je) != LF_OK) {
                rep->rejected++;
                if (on_error) {
                    lf_err out;
                    lf_err_clear(&out);
                    lf_err_set(&out, LF_EPARSE, "bad JSON line (column %ld): %s; line skipped", je.col, je.msg);
                    lf_err_at(&out, name, line, 0, NULL);
                    on_error(ud, &out);
                }
                continue;
            }
            rc = json_host(&c, &h, v, line);
            if (rc == LF_ENOMEM)
                lf_err_set(err, LF_ENOMEM, "out of memory reading %s", name);
            if (rc)
                goto done;
            continue;
        }
        if (s[0] == '#') {
            const char *q = s + 1;
            size_t qn = n - 1;
            trim(&q, &qn);
            if (qn > 5 && strncmp(q, "host:", 5) == 0) {
                q += 5;
                qn -= 5;
                trim(&q, &qn);
                if (any_text && h.n) {
                    rc = hb_emit(&c, &h);
                    if (rc)
                        goto done;
                    hb_reset(&h);
                }
                snprintf(h.name, sizeof h.name, "%.*s", (int)(qn < 255 ? qn : 255), q);
            }
            continue;
        }
        any_text = true;
        if (hb_add(&c, &h, s, n, line)) {
            rc = lf_err_set(err, LF_ENOMEM, "out of memory");
            goto done;
        }
    }
    if (!jsonl && (any_text || h.n))
        rc = hb_emit(&c, &h);
    else if (!jsonl && !any_text && rep->hosts == 0) {
        /* an empty inventory is still a host with nothing installed: say so */
        rc = hb_emit(&c, &h);
    }
done:
    hb_clear(&h);
    lf_arena_clear(&a);
    return rc;
}

int lf_cpelist_read_file(const char *path, lf_inv_host_fn fn, lf_inv_error_fn on_error, void *ud,
                         lf_inv_report *rep, lf_err *err)
{
    char *data = NULL;
    size_t len = 0;
    int rc = lf_file_read(path, (size_t)1 << 32, &data, &len, err);
    if (rc)
        return rc;
    rc = lf_cpelist_read_buffer(path, data, len, fn, on_error, ud, rep, err);
    free(data);
    return rc;
}
