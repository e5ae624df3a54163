/*
 * psjson: PowerShell ConvertTo-Json of the Uninstall registry keys (see psjson.h).
 */
#include "intake/psjson.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/json.h"

/* Sniffers look at this much of the text: enough for the first few elements. */
#define PS_SNIFF_WINDOW 4096

typedef struct ps_ctx {
    const char *src;
    const lf_inv_opts *opts;
    const lf_inv_sink *sink;
    lf_inv_counts *counts;
    int stop;                  /* the sink's non-zero value once it asked to stop */
} ps_ctx;

static bool is_ws(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

static size_t skip_ws(const char *t, size_t len, size_t p)
{
    while (p < len && is_ws(t[p]))
        p++;
    return p;
}

/* Bounded substring search (memmem is not C11). */
static const char *find(const char *hay, size_t hn, const char *needle)
{
    size_t nn = strlen(needle);
    if (nn == 0 || hn < nn)
        return NULL;
    for (const char *p = hay, *end = hay + hn - nn + 1; p < end; p++) {
        p = memchr(p, needle[0], (size_t)(end - p));
        if (!p)
            return NULL;
        if (memcmp(p, needle, nn) == 0)
            return p;
    }
    return NULL;
}

/* True when `"key"` occurs followed by optional blanks and a colon, i.e. as a member
 * name rather than inside a value. */
static bool has_key(const char *t, size_t n, const char *quoted_key)
{
    size_t kn = strlen(quoted_key);
    const char *p = t, *end = t + n;
    while ((p = find(p, (size_t)(end - p), quoted_key)) != NULL) {
        const char *q = p + kn;
        while (q < end && is_ws(*q))
            q++;
        if (q < end && *q == ':')
            return true;
        p += 1;
    }
    return false;
}

int lf_psjson_sniff(const char *text, size_t len)
{
    if (!text)
        return 0;
    size_t p = 0;
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
        p = 3;
    p = skip_ws(text, len, p);
    if (p >= len || (text[p] != '[' && text[p] != '{'))
        return 0;
    size_t n = len - p < PS_SNIFF_WINDOW ? len - p : PS_SNIFF_WINDOW;
    const char *w = text + p;
    if (!has_key(w, n, "\"DisplayName\""))
        return 0;
    int score = 80;
    static const char *const also[] = {"\"DisplayVersion\"", "\"Publisher\"", "\"PSChildName\""};
    for (size_t i = 0; i < sizeof also / sizeof also[0]; i++)
        if (has_key(w, n, also[i]))
            score += 5;
    return score;
}


static void ps_reject(ps_ctx *c, long line, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void ps_reject(ps_ctx *c, long line, const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    lf_inv_vreject(c->sink, c->counts, c->src, line, field, fmt, ap);
    va_end(ap);
}

/* One optional member as text: a string as written, a number as its source text, NULL
 * when absent or null. Returns false (with *why) for any other type or an embedded NUL. */
static bool ps_text(const lf_json *obj, const char *key, const char **out, const char **why)
{
    const lf_json *v = lf_json_get(obj, key);
    *out = NULL;
    if (!v || v->type == LF_JSON_NULL)
        return true;
    if (v->type != LF_JSON_STRING && v->type != LF_JSON_NUMBER) {
        *why = lf_json_type_name(v);
        return false;
    }
    if (strlen(v->u.str) != v->n) {
        *why = "a string with a NUL character";
        return false;
    }
    *out = v->u.str;
    return true;
}

/* One array element (or the single top-level object). Returns 0 to go on, 1 once the
 * sink asked to stop (its value is in c->stop). */
static int ps_element(ps_ctx *c, const lf_json *e, long line)
{
    if (!lf_json_is(e, LF_JSON_OBJECT)) {
        ps_reject(c, line, NULL, "element is %s, not an object with DisplayName", lf_json_type_name(e));
        return 0;
    }
    const lf_json *dn = lf_json_get(e, "DisplayName");
    if (!dn || dn->type == LF_JSON_NULL || (dn->type == LF_JSON_STRING && dn->n == 0)) {
        /* an Uninstall key without a product name: not a product (see psjson.h) */
        c->counts->skipped++;
        return 0;
    }
    if (dn->type != LF_JSON_STRING) {
        ps_reject(c, line, "DisplayName", "DisplayName is %s, not a string", lf_json_type_name(dn));
        return 0;
    }
    if (strlen(dn->u.str) != dn->n) {
        ps_reject(c, line, "DisplayName", "DisplayName contains a NUL character");
        return 0;
    }
    lf_inv_rec r;
    memset(&r, 0, sizeof r);
    r.name = dn->u.str;
    r.line = line;
    static const char *const keys[] = {"DisplayVersion", "Publisher", "InstallDate", "PSComputerName"};
    const char **dst[] = {&r.version, &r.vendor, &r.install_date, &r.host};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const char *why = NULL;
        if (!ps_text(e, keys[i], dst[i], &why)) {
            ps_reject(c, line, keys[i], "\"%.200s\": %s is %s (expected a string or a number)", r.name, keys[i], why);
            return 0;
        }
    }
    if (!r.host && c->opts)
        r.host = c->opts->host;
    if (c->opts)
        r.os = c->opts->os;
    c->counts->records++;
    int rc = c->sink->rec(c->sink->ud, &r);
    if (rc) {
        c->stop = rc;
        return 1;
    }
    return 0;
}

/* An entry lf_json_foreach_keep could not read even on its own (nested deeper than 64):
 * rejected with its line; entries that are only big are read (json.h). */
static int on_limit(void *ud, size_t index, long line, const lf_err *why)
{
    (void)index;
    ps_reject(ud, line, NULL, "entry too deeply nested to read: %s (line %ld, column %ld)", why->msg, why->line,
              why->col);
    return 0;
}

static int on_elem(void *ud, const lf_json *e, size_t index, long line)
{
    (void)index;
    return ps_element(ud, e, line);
}

static long line_at(const char *t, size_t p)
{
    long line = 1;
    for (size_t i = 0; i < p; i++)
        if (t[i] == '\n')
            line++;
    return line;
}

int lf_psjson_read(const char *src, const char *text, size_t len, const lf_inv_opts *opts,
                   const lf_inv_sink *sink, lf_inv_counts *counts, lf_err *err)
{
    lf_inv_counts local;
    if (!counts)
        counts = &local;
    memset(counts, 0, sizeof *counts);
    if (!src)
        src = "<input>";
    if (!sink || !sink->rec || (!text && len))
        return lf_err_set(err, LF_EINVAL, "lf_psjson_read: invalid argument");
    ps_ctx c = {src, opts, sink, counts, 0};
    lf_arena a;
    lf_arena_init(&a, 0);
    lf_json *root = NULL;
    int rc;
    size_t p = skip_ws(text, len, 0);
    if (p >= len || (text[p] != '[' && text[p] != '{')) {
        rc = lf_err_set(err, LF_EFORMAT, "%s: not PowerShell ConvertTo-Json output (no JSON array or object)", src);
        goto done;
    }
    if (!has_key(text + p, len - p, "\"DisplayName\"")) {
        /* ConvertTo-Json of an empty pipeline run through @() is "[]": an empty inventory */
        if (text[p] == '[' && lf_json_parse(&a, text, len, NULL, &root, NULL) == LF_OK &&
            lf_json_is(root, LF_JSON_ARRAY) && root->n == 0) {
            rc = LF_OK;
            goto done;
        }
        rc = lf_err_set(err, LF_EFORMAT, "%s: not PowerShell ConvertTo-Json output of Uninstall keys (no DisplayName member)",
                        src);
        goto done;
    }
    if (text[p] == '[') {
        rc = lf_json_foreach_keep(&a, text, len, NULL, NULL, on_elem, on_limit, &c, err);
    } else {
        /* Windows PowerShell 5.1's {"value": [...], "Count": n} wrapper, read without
         * building "value" (its entries are walked one by one, each within the limits),
         * or one entry on its own (ConvertTo-Json of a single key) */
        static const char *const head[] = {"Count", "DisplayName", NULL};
        int vtype;
        rc = lf_json_parse_head(&a, text, len, NULL, head, "value", &root, &vtype, err);
        if (rc == LF_OK && vtype == LF_JSON_ARRAY && lf_json_get(root, "Count") && !lf_json_get(root, "DisplayName")) {
            /* the walk resets the arena, so root is not used after this */
            root = NULL;
            rc = lf_json_foreach_keep(&a, text, len, "value", NULL, on_elem, on_limit, &c, err);
        } else if (rc == LF_OK || rc == LF_ELIMIT) {
            /* one entry on its own: the whole text, read with limits as large as it, as
             * foreach_keep reads an entry over the defaults (a DisplayName over a limit
             * fails the head already: the entry's own case) */
            lf_err_clear(err);
            lf_arena_reset(&a);
            lf_json_limits lim = {.max_string = len, .max_items = len};
            lf_err why;
            lf_err_clear(&why);
            rc = lf_json_parse(&a, text, len, &lim, &root, &why);
            if (rc == LF_ELIMIT) {
                rc = on_limit(&c, 0, line_at(text, p), &why);
            } else if (rc) {
                if (err)
                    *err = why;
            } else {
                rc = ps_element(&c, root, line_at(text, p));
            }
        }
    }
    if (c.stop) {
        rc = c.stop;
        goto done;
    }
    if (rc < 0 && err && !err->src[0])
        lf_err_at(err, src, err->line, err->col, NULL);
done:
    lf_arena_clear(&a);
    return rc;
}
