/*
 * csaf_sync: CSAF 2.0 trusted-provider download (see csaf_sync.h). Clause numbers are
 * those of the OASIS CSAF Version 2.0 standard (18 November 2022).
 */
#include "feeds/csaf_sync.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/file.h"
#include "core/json.h"
#include "core/sha2.h"

#define MAX_INDEX_BYTES ((size_t)64 << 20)
#define MAX_DOC_BYTES ((size_t)128 << 20)
#define MAX_STATE_BYTES ((size_t)64 << 20)
#define MAX_LINE 8192

/* ---- small string lists ---- */

typedef struct strs {
    char **v;
    size_t n, cap;
} strs;

static void strs_clear(strs *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

static int strs_add(strs *l, const char *s)
{
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 16;
        char **nv = realloc(l->v, nc * sizeof *nv);
        if (!nv)
            return LF_ENOMEM;
        l->v = nv;
        l->cap = nc;
    }
    if (!(l->v[l->n] = strdup(s)))
        return LF_ENOMEM;
    l->n++;
    return LF_OK;
}

static long strs_find(const strs *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->v[i], s))
            return (long)i;
    return -1;
}

static void strs_remove(strs *l, long i)
{
    if (i < 0)
        return;
    free(l->v[i]);
    l->v[i] = l->v[--l->n];
}

static void report_bad(lf_csaf_sync_error_fn fn, void *ud, const char *src, long line, int code, const char *fmt,
                       ...) __attribute__((format(printf, 6, 7)));
static void report_bad(lf_csaf_sync_error_fn fn, void *ud, const char *src, long line, int code, const char *fmt,
                       ...)
{
    if (!fn)
        return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    lf_err e;
    lf_err_clear(&e);
    lf_err_set(&e, code, "%s", msg);
    lf_err_at(&e, src, line, 0, NULL);
    fn(ud, &e);
}

/* ---- changes.csv ---- */

/* One CSV field at *p (RFC 4180 quoting), into out; returns false on a malformed field. */
static bool csv_field(const char **p, const char *end, char *out, size_t cap)
{
    const char *s = *p;
    size_t n = 0;
    if (s < end && *s == '"') {
        s++;
        for (;;) {
            if (s >= end)
                return false;
            if (*s == '"') {
                if (s + 1 < end && s[1] == '"') {
                    s++;
                } else {
                    s++;
                    break;
                }
            }
            if (n + 1 >= cap)
                return false;
            out[n++] = *s++;
        }
    } else {
        while (s < end && *s != ',') {
            if (*s == '"' || n + 1 >= cap)
                return false;
            out[n++] = *s++;
        }
        while (n && (out[n - 1] == ' ' || out[n - 1] == '\t'))
            n--;
    }
    out[n] = '\0';
    *p = s;
    return true;
}

static bool safe_relative(const char *path)
{
    if (!*path || path[0] == '/' || strstr(path, "://") || strchr(path, '\\'))
        return false;
    for (const char *s = path; *s;) {
        size_t n = strcspn(s, "/");
        if (n == 0 || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
            return false;
        s += n;
        if (*s == '/')
            s++;
    }
    return true;
}

int lf_csaf_parse_changes(const char *base_url, const char *data, size_t len, lf_csaf_entry_fn fn, void *ud,
                          lf_csaf_sync_error_fn on_bad, void *bad_ud, size_t *bad_rows)
{
    size_t base_len = strlen(base_url);
    while (base_len && base_url[base_len - 1] == '/')
        base_len--;
    long lineno = 0;
    size_t i = 0;
    if (len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3))
        i = 3;
    while (i < len) {
        size_t e = i;
        while (e < len && data[e] != '\n')
            e++;
        lineno++;
        const char *p = data + i, *end = data + e;
        i = e + 1;
        if (end > p && end[-1] == '\r')
            end--;
        if (end == p)
            continue;
        char path[MAX_LINE], ts[128];
        bool ok = (size_t)(end - p) < MAX_LINE && csv_field(&p, end, path, sizeof path) && p < end && *p == ',';
        if (ok) {
            p++;
            while (p < end && *p == ' ')
                p++;
            ok = csv_field(&p, end, ts, sizeof ts) && p == end;
        }
        int64_t ms;
        if (!ok) {
            report_bad(on_bad, bad_ud, "changes.csv", lineno, LF_EPARSE, "%s", "not a \"path\",\"timestamp\" row");
        } else if (!safe_relative(path)) {
            report_bad(on_bad, bad_ud, "changes.csv", lineno, LF_EPARSE,
                       "path '%.200s' is not a relative path inside the directory", path);
            ok = false;
        } else if (lf_fetch_time_parse(ts, &ms) != LF_OK) {
            report_bad(on_bad, bad_ud, "changes.csv", lineno, LF_EPARSE, "timestamp '%.100s' is not ISO 8601", ts);
            ok = false;
        }
        if (!ok) {
            if (bad_rows)
                (*bad_rows)++;
            continue;
        }
        char url[MAX_LINE + 4096], canon[32];
        if (snprintf(url, sizeof url, "%.*s/%s", (int)base_len, base_url, path) >= (int)sizeof url)
            continue;
        lf_fetch_time_format(ms, canon);
        int rc = fn(ud, url, canon, NULL);
        if (rc)
            return rc;
    }
    return LF_OK;
}

/* ---- ROLIE ---- */

static bool is_http_url(const char *s)
{
    return s && (!strncmp(s, "https://", 8) || !strncmp(s, "http://", 7));
}

int lf_csaf_parse_rolie(lf_arena *a, const char *data, size_t len, lf_csaf_entry_fn fn, void *ud,
                        lf_csaf_sync_error_fn on_bad, void *bad_ud, size_t *bad_rows, lf_err *err)
{
    lf_json *root = NULL;
    int rc = lf_json_parse(a, data, len, NULL, &root, err);
    if (rc)
        return rc == LF_ENOMEM ? rc : LF_EPARSE;
    const lf_json *feed = lf_json_get(root, "feed");
    if (!lf_json_is(feed, LF_JSON_OBJECT))
        return lf_err_set(err, LF_EPARSE, "not a ROLIE feed: no \"feed\" object");
    const lf_json *entries = lf_json_get(feed, "entry");
    for (size_t i = 0; i < lf_json_len(entries); i++) {
        const lf_json *en = lf_json_at(entries, i);
        const char *self = NULL, *hash = NULL;
        const lf_json *links = lf_json_get(en, "link");
        for (size_t k = 0; k < lf_json_len(links); k++) {
            const lf_json *l = lf_json_at(links, k);
            const char *rel = lf_json_get_str(l, "rel"), *href = lf_json_get_str(l, "href");
            if (!rel || !href)
                continue;
            if (!strcmp(rel, "self") && !self)
                self = href;
            else if (!strcmp(rel, "hash") && !hash) {
                size_t n = strlen(href);
                if (n > 7 && !strcmp(href + n - 7, ".sha256"))
                    hash = href;
            }
        }
        const char *updated = lf_json_get_str(en, "updated");
        int64_t ms;
        char canon[32];
        if (!is_http_url(self) || !updated || lf_fetch_time_parse(updated, &ms) != LF_OK) {
            char what[32];
            snprintf(what, sizeof what, "%zu", i);
            report_bad(on_bad, bad_ud, "ROLIE feed", 0, LF_EPARSE,
                       "entry %s has no http(s) link rel=\"self\" or no ISO 8601 \"updated\"; skipped", what);
            if (bad_rows)
                (*bad_rows)++;
            continue;
        }
        lf_fetch_time_format(ms, canon);
        rc = fn(ud, self, canon, is_http_url(hash) ? hash : NULL);
        if (rc)
            return rc;
    }
    return LF_OK;
}

/* ---- provider metadata ---- */

int lf_csaf_parse_provider(lf_arena *a, const char *data, size_t len, lf_csaf_source_fn fn, void *ud, lf_err *err)
{
    lf_json *root = NULL;
    int rc = lf_json_parse(a, data, len, NULL, &root, err);
    if (rc)
        return rc == LF_ENOMEM ? rc : LF_EPARSE;
    const lf_json *dists = lf_json_get(root, "distributions");
    size_t found = 0;
    for (size_t i = 0; i < lf_json_len(dists); i++) {
        const lf_json *d = lf_json_at(dists, i);
        const char *dir = lf_json_get_str(d, "directory_url");
        if (is_http_url(dir)) {
            found++;
            if ((rc = fn(ud, dir, false)) != 0)
                return rc;
            continue;
        }
        const lf_json *feeds = lf_json_get(lf_json_get(d, "rolie"), "feeds");
        for (size_t k = 0; k < lf_json_len(feeds); k++) {
            const char *u = lf_json_get_str(lf_json_at(feeds, k), "url");
            if (!is_http_url(u))
                continue;
            found++;
            if ((rc = fn(ud, u, true)) != 0)
                return rc;
        }
    }
    if (!found)
        return lf_err_set(err, LF_EPARSE,
                          "not a CSAF provider-metadata.json: no distribution with a directory_url or ROLIE feed");
    return LF_OK;
}

/* ---- paths ---- */

static void url_host(const char *url, char *out, size_t cap)
{
    const char *s = strstr(url, "://");
    s = s ? s + 3 : url;
    const char *end = s + strcspn(s, "/?#");
    for (const char *p = s; p < end; p++)
        if (*p == '@')
            s = p + 1;
    const char *colon = memchr(s, ':', (size_t)(end - s));
    if (colon && *s != '[')
        end = colon;
    size_t n = 0;
    for (const char *p = s; p < end && n + 1 < cap; p++) {
        char c = *p;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
        out[n++] = ok ? (char)(c >= 'A' && c <= 'Z' ? c + 32 : c) : '_';
    }
    out[n] = '\0';
}

int lf_csaf_local_path(const char *host, const char *url, char *out, size_t cap)
{
    const char *s = strstr(url, "://");
    if (!s || !*host)
        return LF_EINVAL;
    s += 3;
    s += strcspn(s, "/?#");
    if (*s != '/')
        return LF_EINVAL;
    size_t end = strcspn(s, "?#");
    lf_buf b;
    lf_buf_init(&b, cap ? cap - 1 : 1);
    int rc = lf_buf_puts(&b, host);
    size_t segs = 0;
    for (size_t i = 0; !rc && i < end;) {
        while (i < end && s[i] == '/')
            i++;
        size_t n = 0;
        while (i + n < end && s[i + n] != '/')
            n++;
        if (!n)
            break;
        if ((n == 1 && s[i] == '.') || (n == 2 && s[i] == '.' && s[i + 1] == '.')) {
            rc = LF_EINVAL;
            break;
        }
        rc = lf_buf_putc(&b, '/');
        for (size_t k = 0; !rc && k < n; k++) {
            char c = s[i + k];
            bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                      c == '_' || c == '~' || c == '+' || c == '-';
            rc = lf_buf_putc(&b, ok ? c : '_');
        }
        segs++;
        i += n;
    }
    if (!rc && !segs)
        rc = LF_EINVAL;
    if (!rc)
        snprintf(out, cap, "%s", b.data);
    lf_buf_clear(&b);
    return rc == LF_ELIMIT ? LF_EINVAL : rc;
}

/* ---- state ---- */

typedef struct src_state {
    char *url;
    char last[32];
    strs at_last, failed;
} src_state;

typedef struct state {
    src_state *v;
    size_t n, cap;
} state;

static void state_clear(state *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->v[i].url);
        strs_clear(&s->v[i].at_last);
        strs_clear(&s->v[i].failed);
    }
    free(s->v);
    memset(s, 0, sizeof *s);
}

static src_state *state_get(state *s, const char *url)
{
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->v[i].url, url))
            return &s->v[i];
    if (s->n == s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 8;
        src_state *nv = realloc(s->v, nc * sizeof *nv);
        if (!nv)
            return NULL;
        s->v = nv;
        s->cap = nc;
    }
    src_state *e = &s->v[s->n];
    memset(e, 0, sizeof *e);
    if (!(e->url = strdup(url)))
        return NULL;
    s->n++;
    return e;
}

static int load_list(const lf_json *arr, strs *out)
{
    for (size_t i = 0; i < lf_json_len(arr); i++) {
        const char *u = lf_json_str(lf_json_at(arr, i));
        if (u && strs_add(out, u))
            return LF_ENOMEM;
    }
    return LF_OK;
}

static int state_load(const char *path, state *s, lf_err *err)
{
    if (!lf_file_exists(path))
        return LF_OK;
    char *data = NULL;
    size_t len = 0;
    int rc = lf_file_read(path, MAX_STATE_BYTES, &data, &len, err);
    if (rc)
        return rc;
    lf_arena a;
    lf_arena_init(&a, 0);
    lf_json *root = NULL;
    if (lf_json_parse(&a, data, len, NULL, &root, err) != LF_OK || !lf_json_is(root, LF_JSON_OBJECT)) {
        lf_err_clear(err);
        lf_err_at(err, path, 0, 0, NULL);
        rc = lf_err_set(err, LF_ECORRUPT, "the CSAF sync state is not readable JSON; remove it to start over");
        goto out;
    }
    const lf_json *srcs = lf_json_get(root, "sources");
    for (size_t i = 0; i < lf_json_len(srcs); i++) {
        const lf_json_member *m = &srcs->u.members[i];
        src_state *e = state_get(s, m->key);
        if (!e) {
            rc = lf_err_set(err, LF_ENOMEM, "out of memory");
            goto out;
        }
        int64_t ms;
        const char *last = lf_json_get_str(&m->val, "last");
        if (last && lf_fetch_time_parse(last, &ms) == LF_OK)
            lf_fetch_time_format(ms, e->last);
        if (load_list(lf_json_get(&m->val, "at_last"), &e->at_last) ||
            load_list(lf_json_get(&m->val, "failed"), &e->failed)) {
            rc = lf_err_set(err, LF_ENOMEM, "out of memory");
            goto out;
        }
    }
out:
    lf_arena_clear(&a);
    free(data);
    return rc;
}

static int put_list(lf_buf *b, const strs *l)
{
    int rc = lf_buf_putc(b, '[');
    for (size_t i = 0; !rc && i < l->n; i++) {
        if (i)
            rc = lf_buf_putc(b, ',');
        if (!rc)
            rc = lf_json_write_str(b, l->v[i], strlen(l->v[i]));
    }
    return rc ? rc : lf_buf_putc(b, ']');
}

static int state_save(const char *path, const char *provider, const state *s, lf_err *err)
{
    lf_buf b;
    lf_buf_init(&b, 0);
    int rc = lf_buf_puts(&b, "{\"version\":1,\"provider\":");
    if (!rc)
        rc = lf_json_write_str(&b, provider, strlen(provider));
    if (!rc)
        rc = lf_buf_puts(&b, ",\"sources\":{");
    for (size_t i = 0; !rc && i < s->n; i++) {
        const src_state *e = &s->v[i];
        if (i)
            rc = lf_buf_putc(&b, ',');
        if (!rc)
            rc = lf_buf_puts(&b, "\n ");
        if (!rc)
            rc = lf_json_write_str(&b, e->url, strlen(e->url));
        if (!rc)
            rc = lf_buf_printf(&b, ":{\"last\":\"%s\",\"at_last\":", e->last);
        if (!rc)
            rc = put_list(&b, &e->at_last);
        if (!rc)
            rc = lf_buf_puts(&b, ",\"failed\":");
        if (!rc)
            rc = put_list(&b, &e->failed);
        if (!rc)
            rc = lf_buf_putc(&b, '}');
    }
    if (!rc)
        rc = lf_buf_puts(&b, "}}\n");
    if (!rc)
        rc = lf_fetch_save_file(path, b.data, b.len, err);
    else
        lf_err_set(err, rc, "out of memory");
    lf_buf_clear(&b);
    return rc;
}

/* ---- the sync ---- */

typedef struct entry {
    char *url;
    char ts[32];
    char *hash_url;
} entry;

typedef struct run {
    const lf_csaf_sync_opts *o;
    lf_csaf_sync_report *rep;
    lf_fetch *f;
    state st;
    char state_path[4200];
    char provider[4096];
    entry *ents;
    size_t nents, capents;
    strs seen;     /* sources read in this run (two distributions may name one) */
    int first_err;
    lf_err err;    /* the first index-level error */
} run;

static int collect_entry(void *ud, const char *url, const char *ts, const char *hash_url)
{
    run *r = ud;
    if (r->nents == r->capents) {
        size_t nc = r->capents ? r->capents * 2 : 64;
        entry *nv = realloc(r->ents, nc * sizeof *nv);
        if (!nv)
            return LF_ENOMEM;
        r->ents = nv;
        r->capents = nc;
    }
    entry *e = &r->ents[r->nents];
    memset(e, 0, sizeof *e);
    e->url = strdup(url);
    e->hash_url = hash_url ? strdup(hash_url) : NULL;
    if (!e->url || (hash_url && !e->hash_url)) {
        free(e->url);
        free(e->hash_url);
        return LF_ENOMEM;
    }
    snprintf(e->ts, sizeof e->ts, "%s", ts);
    r->nents++;
    return 0;
}

static void clear_entries(run *r)
{
    for (size_t i = 0; i < r->nents; i++) {
        free(r->ents[i].url);
        free(r->ents[i].hash_url);
    }
    r->nents = 0;
}

static int cmp_entry(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    int c = strcmp(x->ts, y->ts);
    return c ? c : strcmp(x->url, y->url);
}

static void on_bad(void *ud, const lf_err *e)
{
    run *r = ud;
    if (r->o->on_error)
        r->o->on_error(r->o->ud, e);
}

static void doc_error(run *r, const char *url, int code, const char *msg)
{
    char shown[1024];
    lf_fetch_url_for_log(url, shown, sizeof shown);
    lf_err e;
    lf_err_clear(&e);
    lf_err_set(&e, code, "%s", msg);
    lf_err_at(&e, shown, 0, 0, NULL);
    on_bad(r, &e);
}

/* The digest file's first token: lower-case hex of the right length, or "" if absent. */
static bool digest_of(const lf_buf *b, size_t hexlen, char *out)
{
    size_t i = 0, n = 0;
    while (i < b->len && (b->data[i] == ' ' || b->data[i] == '\t' || b->data[i] == '\r' || b->data[i] == '\n'))
        i++;
    while (i + n < b->len && n <= hexlen) {
        char c = b->data[i + n];
        bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        if (!hex)
            break;
        out[n] = (char)(c >= 'A' && c <= 'F' ? c + 32 : c);
        n++;
    }
    out[n] = '\0';
    return n == hexlen;
}

/* 1 verified, 0 no digest published, negative: mismatch (LF_ECORRUPT) or fetch error. */
static int verify(run *r, const entry *e, const lf_buf *doc, lf_err *err)
{
    static const struct {
        const char *ext;
        lf_sha2_alg alg;
    } kinds[] = {{".sha256", LF_SHA2_256}, {".sha512", LF_SHA2_512}};
    lf_buf hb;
    lf_buf_init(&hb, 4096);
    int result = 0;
    for (size_t k = 0; k < 2; k++) {
        char url[8300];
        if (k == 0 && e->hash_url)
            snprintf(url, sizeof url, "%s", e->hash_url);
        else
            snprintf(url, sizeof url, "%s%s", e->url, kinds[k].ext);
        int rc = lf_fetch_get(r->f, url, NULL, &hb, NULL, err);
        if (rc == LF_ENOTFOUND) {
            lf_err_clear(err);
            continue;
        }
        if (rc) {
            result = rc;
            break;
        }
        size_t hexlen = 2 * lf_sha2_len(kinds[k].alg);
        char want[2 * LF_SHA2_MAX_DIGEST + 2], got[2 * LF_SHA2_MAX_DIGEST + 1];
        if (!digest_of(&hb, hexlen, want)) {
            char shown[1024];
            lf_fetch_url_for_log(url, shown, sizeof shown);
            lf_err_at(err, shown, 1, 0, NULL);
            result = lf_err_set(err, LF_EPARSE, "not a %s digest file (expected %zu hex digits first)",
                                kinds[k].ext + 1, hexlen);
            break;
        }
        lf_sha2_hex(kinds[k].alg, doc->data ? doc->data : "", doc->len, got);
        if (strcmp(want, got)) {
            result = lf_err_set(err, LF_ECORRUPT, "%s mismatch: the provider states %.16s..., the file hashes to %.16s...; not kept",
                                kinds[k].ext + 1, want, got);
            break;
        }
        result = 1;
        break;
    }
    lf_buf_clear(&hb);
    return result;
}

static bool is_csaf(const lf_buf *doc)
{
    lf_arena a;
    lf_arena_init(&a, 1 << 16);
    lf_json *root = NULL;
    lf_err e;
    bool ok = lf_json_parse(&a, doc->data ? doc->data : "", doc->len, NULL, &root, &e) == LF_OK &&
              lf_json_is(lf_json_get(root, "document"), LF_JSON_OBJECT);
    lf_arena_clear(&a);
    return ok;
}

/* Fetch, check and save one document. 0 saved, 1 failed (reported), <0 fatal (ENOMEM). */
static int one_document(run *r, const entry *e, src_state *ss)
{
    lf_csaf_sync_report *rep = r->rep;
    char rel[4096], path[8400];
    if (lf_csaf_local_path(rep->host, e->url, rel, sizeof rel) != LF_OK) {
        doc_error(r, e->url, LF_EINVAL, "document URL has no usable path (empty, \".\" or \"..\" segment, too long); skipped");
        return 1;
    }
    snprintf(path, sizeof path, "%s/csaf/%s", r->o->data_dir, rel);
    char shown[1024];
    lf_fetch_url_for_log(e->url, shown, sizeof shown);
    lf_buf doc;
    lf_buf_init(&doc, MAX_DOC_BYTES);
    lf_err err;
    lf_err_clear(&err);
    int rc = lf_fetch_get(r->f, e->url, NULL, &doc, NULL, &err);
    int v = 0;
    if (rc == LF_OK && !is_csaf(&doc)) {
        lf_err_at(&err, shown, 0, 0, NULL);
        rc = lf_err_set(&err, LF_EFORMAT, "not a CSAF document (JSON with a \"document\" object); not kept");
    }
    if (rc == LF_OK) {
        v = verify(r, e, &doc, &err);
        if (v < 0) {
            rc = v;
            if (rc == LF_ECORRUPT) {
                rep->bad_checksum++;
                lf_err_at(&err, shown, 0, 0, NULL);
            }
        }
    }
    if (rc == LF_OK)
        rc = lf_fetch_save_file(path, doc.data ? doc.data : "", doc.len, &err);
    lf_buf_clear(&doc);
    if (rc == LF_ENOMEM)
        return rc;
    if (rc) {
        rep->failed++;
        on_bad(r, &err);
        if (strs_find(&ss->failed, e->url) < 0 && strs_add(&ss->failed, e->url))
            return LF_ENOMEM;
        return 1;
    }
    rep->fetched++;
    if (v == 1)
        rep->verified++;
    else
        rep->unverified++;
    char **np = realloc(rep->paths, (rep->npaths + 1) * sizeof *np);
    if (!np)
        return LF_ENOMEM;
    rep->paths = np;
    if (!(rep->paths[rep->npaths] = strdup(path)))
        return LF_ENOMEM;
    rep->npaths++;
    strs_remove(&ss->failed, strs_find(&ss->failed, e->url));
    return 0;
}

static int sync_source(void *ud, const char *url, bool rolie)
{
    run *r = ud;
    lf_csaf_sync_report *rep = r->rep;
    if (strs_find(&r->seen, url) >= 0)
        return 0;
    if (strs_add(&r->seen, url))
        return LF_ENOMEM;
    char index_url[4200];
    size_t n = strlen(url);
    while (n && url[n - 1] == '/')
        n--;
    if (rolie)
        snprintf(index_url, sizeof index_url, "%s", url);
    else
        snprintf(index_url, sizeof index_url, "%.*s/changes.csv", (int)n, url);
    lf_buf body;
    lf_buf_init(&body, MAX_INDEX_BYTES);
    lf_err err;
    lf_err_clear(&err);
    int rc = lf_fetch_get(r->f, index_url, NULL, &body, NULL, &err);
    if (rc == LF_OK) {
        rep->sources++;
        clear_entries(r);
        if (rolie) {
            lf_arena a;
            lf_arena_init(&a, 1 << 16);
            rc = lf_csaf_parse_rolie(&a, body.data ? body.data : "", body.len, collect_entry, r, on_bad, r,
                                     &rep->bad_rows, &err);
            lf_arena_clear(&a);
            if (rc && rc != LF_ENOMEM) {
                char shown[1024];
                lf_fetch_url_for_log(index_url, shown, sizeof shown);
                lf_err_at(&err, shown, err.line, err.col, NULL);
            }
        } else {
            rc = lf_csaf_parse_changes(url, body.data ? body.data : "", body.len, collect_entry, r, on_bad, r,
                                       &rep->bad_rows);
        }
    }
    lf_buf_clear(&body);
    if (rc == LF_ENOMEM)
        return rc;
    if (rc) {
        /* one unreadable index does not stop the other distributions */
        on_bad(r, &err);
        if (!r->first_err) {
            r->first_err = rc;
            r->err = err;
        }
        return 0;
    }
    src_state *ss = state_get(&r->st, url);
    if (!ss)
        return LF_ENOMEM;
    qsort(r->ents, r->nents, sizeof *r->ents, cmp_entry);
    rep->listed += r->nents;
    for (size_t i = 0; i < r->nents; i++) {
        const entry *e = &r->ents[i];
        int c = strcmp(e->ts, ss->last);
        bool retry = strs_find(&ss->failed, e->url) >= 0;
        bool want = c > 0 || (c == 0 && strs_find(&ss->at_last, e->url) < 0) || retry;
        if (!want) {
            rep->skipped++;
            continue;
        }
        rc = one_document(r, e, ss);
        if (rc < 0)
            return rc;
        /* the high-water mark moves past failures too: they are in `failed` to retry */
        c = strcmp(e->ts, ss->last);
        if (c > 0) {
            snprintf(ss->last, sizeof ss->last, "%s", e->ts);
            strs_clear(&ss->at_last);
        }
        if (c >= 0 && strs_find(&ss->at_last, e->url) < 0 && strs_add(&ss->at_last, e->url))
            return LF_ENOMEM;
        lf_err_clear(&err);
        if (state_save(r->state_path, r->provider, &r->st, &err) != LF_OK) {
            on_bad(r, &err);
            r->first_err = err.code;
            r->err = err;
            return err.code;
        }
    }
    return 0;
}

void lf_csaf_sync_report_clear(lf_csaf_sync_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->npaths; i++)
        free(r->paths[i]);
    free(r->paths);
    memset(r, 0, sizeof *r);
}

int lf_csaf_sync(const lf_csaf_sync_opts *o, lf_csaf_sync_report *rep, lf_err *err)
{
    memset(rep, 0, sizeof *rep);
    run r;
    memset(&r, 0, sizeof r);
    r.o = o;
    r.rep = rep;
    const char *src = o->source ? o->source : "";
    if (is_http_url(src)) {
        snprintf(r.provider, sizeof r.provider, "%s", src);
    } else if (*src && !strchr(src, '/') && !strchr(src, ':')) {
        snprintf(r.provider, sizeof r.provider, "https://%s/.well-known/csaf/provider-metadata.json", src);
    } else {
        lf_err_at(err, "argv", 0, 0, NULL);
        return lf_err_set(err, LF_EUSAGE, "'%s' is neither a provider-metadata.json URL nor a domain", src);
    }
    url_host(r.provider, rep->host, sizeof rep->host);
    if (!rep->host[0]) {
        lf_err_at(err, "argv", 0, 0, NULL);
        return lf_err_set(err, LF_EUSAGE, "no host in '%s'", src);
    }
    snprintf(r.state_path, sizeof r.state_path, "%s/sync/csaf-%s.json", o->data_dir, rep->host);
    lf_buf body;
    lf_buf_init(&body, MAX_INDEX_BYTES);
    lf_arena a;
    lf_arena_init(&a, 1 << 16);
    int rc = state_load(r.state_path, &r.st, err);
    if (rc)
        goto out;
    lf_fetch_opts fo = {0};
    fo.max_attempts = o->max_attempts;
    fo.backoff_base = o->backoff_base;
    fo.max_bytes = MAX_DOC_BYTES;
    fo.on_retry = o->on_retry;
    fo.ud = o->ud;
    if ((rc = lf_fetch_new(&fo, &r.f, err)) != LF_OK)
        goto out;
    if ((rc = lf_fetch_get(r.f, r.provider, NULL, &body, NULL, err)) != LF_OK)
        goto out;
    rc = lf_csaf_parse_provider(&a, body.data ? body.data : "", body.len, sync_source, &r, err);
    if (rc == LF_EPARSE || rc == LF_ELIMIT) {
        char shown[1024];
        lf_fetch_url_for_log(r.provider, shown, sizeof shown);
        lf_err_at(err, shown, err->line, err->col, NULL);
        goto out;
    }
    if (rc == LF_ENOMEM) {
        lf_err_set(err, rc, "out of memory");
        goto out;
    }
    if (rc == LF_OK && r.first_err) {
        *err = r.err;
        rc = r.first_err;
    }
out:
    if (r.f) {
        rep->requests = lf_fetch_stats_borrow(r.f)->requests;
        rep->retries = lf_fetch_stats_borrow(r.f)->retries;
    }
    clear_entries(&r);
    free(r.ents);
    strs_clear(&r.seen);
    state_clear(&r.st);
    lf_fetch_free(r.f);
    lf_arena_clear(&a);
    lf_buf_clear(&body);
    return rc;
}
