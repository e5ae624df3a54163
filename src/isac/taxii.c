/*
 * taxii: TAXII 2.1 protocol rules without HTTP (see taxii.h): media type negotiation,
 * query filters, tokens, timestamps, access rules and envelope spans.
 */
#include "isac/taxii.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/buf.h"
#include "core/json.h"
#include "isac/stix.h"
#include "isac/stixpat.h"

/* ---------------------------------------------------------------- media types */

static const char *skip_ows(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    return p;
}

static bool span_eq(const char *p, size_t n, const char *lit)
{
    return strlen(lit) == n && !strncasecmp(p, lit, n);
}

/* One media range "type/sub; k=v; ..." in [p, end). Fills the type, and the version and q
 * parameters (version NULL when absent). */
typedef struct media_range {
    const char *type;
    size_t ntype;
    const char *version;
    size_t nversion;
    bool q_zero;
} media_range;

static void media_parse(const char *p, const char *end, media_range *m)
{
    memset(m, 0, sizeof *m);
    p = skip_ows(p, end);
    const char *t = p;
    while (p < end && *p != ';' && *p != ' ' && *p != '\t')
        p++;
    m->type = t;
    m->ntype = (size_t)(p - t);
    while (p < end) {
        p = skip_ows(p, end);
        if (p < end && *p == ';')
            p++;
        p = skip_ows(p, end);
        const char *k = p;
        while (p < end && *p != '=' && *p != ';')
            p++;
        const char *kend = p;
        while (kend > k && (kend[-1] == ' ' || kend[-1] == '\t'))
            kend--;
        if (p >= end || *p != '=') {
            continue;
        }
        p++;
        p = skip_ows(p, end);
        const char *v = p;
        bool quoted = p < end && *p == '"';
        if (quoted) {
            v = ++p;
            while (p < end && *p != '"')
                p++;
        } else {
            while (p < end && *p != ';' && *p != ' ' && *p != '\t')
                p++;
        }
        size_t nv = (size_t)(p - v);
        if (quoted && p < end)
            p++;
        if (span_eq(k, (size_t)(kend - k), "version")) {
            m->version = v;
            m->nversion = nv;
        } else if (span_eq(k, (size_t)(kend - k), "q")) {
            /* q=0, q=0.0, q=0.000 exclude the range (RFC 9110 section 12.4.2) */
            bool zero = nv > 0 && v[0] == '0';
            for (size_t i = 1; zero && i < nv; i++)
                zero = v[i] == '.' || v[i] == '0';
            m->q_zero = zero;
        }
    }
}

bool lf_taxii_accept_ok(const char *accept)
{
    if (!accept || !*accept)
        return true;
    const char *p = accept, *end = accept + strlen(accept);
    while (p < end) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *e = comma ? comma : end;
        media_range m;
        media_parse(p, e, &m);
        if (!m.q_zero) {
            if (span_eq(m.type, m.ntype, "*/*") || span_eq(m.type, m.ntype, "application/*"))
                return true;
            if (span_eq(m.type, m.ntype, "application/taxii+json") &&
                (!m.version || span_eq(m.version, m.nversion, "2.1")))
                return true;
        }
        p = comma ? comma + 1 : end;
    }
    return false;
}

bool lf_taxii_content_type_ok(const char *ctype)
{
    if (!ctype)
        return false;
    media_range m;
    media_parse(ctype, ctype + strlen(ctype), &m);
    return span_eq(m.type, m.ntype, "application/taxii+json") &&
           (!m.version || span_eq(m.version, m.nversion, "2.1"));
}

/* ---------------------------------------------------------------- timestamps */

bool lf_taxii_time_parse(const char *s, int64_t *us)
{
    lf_stix_time t;
    if (!s || !lf_stix_time_parse(s, strlen(s), &t))
        return false;
    if (t.secs < 0 || t.secs > INT64_MAX / 1000000 - 1)
        return false;
    *us = t.secs * 1000000 + (int64_t)(t.nanos / 1000);
    return true;
}

/* "YYYY-MM-DDTHH:MM:SS" (a page of objects stamps each one: lf_utc_format, no gmtime;
 * gmtime only beyond year 9999) */
static void format_secs(int64_t secs, char *out, size_t cap)
{
    char o[20];
    if (cap >= 20 && lf_utc_format(secs, o)) {
        memcpy(out, o, 19);
        out[19] = '\0';
        return;
    }
    time_t tt = (time_t)secs;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, cap, "%Y-%m-%dT%H:%M:%S", &tm);
}

void lf_taxii_time_format(int64_t us, char out[LF_TAXII_TIME_SIZE])
{
    if (us < 0)
        us = 0;
    char base[24], full[64];
    format_secs(us / 1000000, base, sizeof base);
    snprintf(full, sizeof full, "%s.%06" PRId64 "Z", base, us % 1000000);
    snprintf(out, LF_TAXII_TIME_SIZE, "%.31s", full);
}

bool lf_taxii_vkey(const char *s, char out[LF_TAXII_VKEY_SIZE])
{
    lf_stix_time t;
    if (!s || !lf_stix_time_parse(s, strlen(s), &t) || t.secs < 0 || t.secs > 253402300799)   /* year 9999 */
        return false;
    char base[24], full[64];
    format_secs(t.secs, base, sizeof base);
    snprintf(full, sizeof full, "%s.%09uZ", base, (unsigned)(t.nanos % 1000000000u));
    snprintf(out, LF_TAXII_VKEY_SIZE, "%.31s", full);
    return true;
}

/* ---------------------------------------------------------------- next token */

void lf_taxii_next_format(int64_t added, int64_t row, char out[LF_TAXII_NEXT_SIZE])
{
    snprintf(out, LF_TAXII_NEXT_SIZE, "%" PRId64 "-%" PRId64, added, row);
}

static bool parse_i64(const char *s, const char *end, int64_t *out)
{
    if (s == end || *s < '0' || *s > '9' || end - s > 19)
        return false;
    int64_t v = 0;
    for (const char *p = s; p < end; p++) {
        if (*p < '0' || *p > '9')
            return false;
        int d = *p - '0';
        if (v > (INT64_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

bool lf_taxii_next_parse(const char *s, int64_t *added, int64_t *row)
{
    if (!s)
        return false;
    const char *dash = strchr(s, '-');
    if (!dash)
        return false;
    return parse_i64(s, dash, added) && parse_i64(dash + 1, dash + 1 + strlen(dash + 1), row);
}

/* ---------------------------------------------------------------- filters */

void lf_taxii_filter_init(lf_taxii_filter *f)
{
    memset(f, 0, sizeof *f);
    f->limit = LF_TAXII_LIMIT_DEFAULT;
}

/* Append the comma-separated values of s to the JSON array text *arr (NULL = none yet). */
static int add_values(lf_arena *a, const char **arr, const char *param, const char *s,
                      bool (*ok)(const char *v, size_t n, char *norm, size_t cap), lf_err *err)
{
    lf_buf b;
    lf_buf_init(&b, 1u << 20);
    int rc = LF_OK;
    size_t count = 0;
    if (*arr) {
        /* reopen the array: drop its closing ']' */
        size_t n = strlen(*arr);
        rc = lf_buf_append(&b, *arr, n - 1);
        for (const char *p = *arr; *p; p++)
            count += *p == '"' ? 1 : 0;
        count /= 2;   /* values are escaped JSON strings without inner quotes (see below) */
    } else {
        rc = lf_buf_putc(&b, '[');
    }
    const char *p = s;
    while (!rc) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        while (n && (*p == ' ' || *p == '\t')) {
            p++;
            n--;
        }
        while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
            n--;
        char norm[LF_TAXII_VKEY_SIZE > 300 ? LF_TAXII_VKEY_SIZE : 300];
        if (n == 0 || n >= sizeof norm || memchr(p, '"', n) || memchr(p, '\\', n)) {
            rc = lf_err_set(err, LF_EINVAL, "%s: empty or malformed value", param);
            break;
        }
        memcpy(norm, p, n);
        norm[n] = '\0';
        if (ok && !ok(p, n, norm, sizeof norm)) {
            rc = lf_err_set(err, LF_EINVAL, "%s: '%.*s' is not a valid value", param, (int)(n > 80 ? 80 : n), p);
            break;
        }
        if (++count > LF_TAXII_MATCH_MAX) {
            rc = lf_err_set(err, LF_EINVAL, "%s: at most %u values", param, LF_TAXII_MATCH_MAX);
            break;
        }
        if (b.len > 1 && b.data[b.len - 1] != '[')
            rc = lf_buf_putc(&b, ',');
        if (!rc)
            rc = lf_json_write_str(&b, norm, strlen(norm));
        if (!comma)
            break;
        p = comma + 1;
    }
    if (!rc)
        rc = lf_buf_putc(&b, ']');
    if (!rc) {
        char *copy = lf_arena_strndup(a, b.data, b.len);
        if (!copy)
            rc = lf_err_set(err, LF_ENOMEM, "out of memory");
        else
            *arr = copy;
    } else if (rc == LF_ENOMEM || rc == LF_ELIMIT) {
        rc = lf_err_set(err, LF_EINVAL, "%s: too long", param);
    }
    lf_buf_clear(&b);
    return rc;
}

static bool ok_id(const char *v, size_t n, char *norm, size_t cap)
{
    (void)norm;
    (void)cap;
    /* <type>--<uuid>: the exact syntax is the validator's; here only its shape */
    const char *dd = NULL;
    for (size_t i = 0; i + 1 < n; i++)
        if (v[i] == '-' && v[i + 1] == '-') {
            dd = v + i;
            break;
        }
    return dd && dd > v && (size_t)(dd - v) + 2 < n;
}

static bool ok_type(const char *v, size_t n, char *norm, size_t cap)
{
    (void)norm;
    (void)cap;
    for (size_t i = 0; i < n; i++)
        if (!((v[i] >= 'a' && v[i] <= 'z') || (v[i] >= '0' && v[i] <= '9') || v[i] == '-'))
            return false;
    return n >= 1 && n <= 250;
}

static bool ok_spec(const char *v, size_t n, char *norm, size_t cap)
{
    (void)norm;
    (void)cap;
    for (size_t i = 0; i < n; i++)
        if (!((v[i] >= '0' && v[i] <= '9') || v[i] == '.'))
            return false;
    return n >= 1 && n <= 8;
}

static bool ok_vkey(const char *v, size_t n, char *norm, size_t cap)
{
    (void)v;
    (void)n;
    char key[LF_TAXII_VKEY_SIZE];
    if (!lf_taxii_vkey(norm, key))
        return false;
    snprintf(norm, cap, "%s", key);
    return true;
}

int lf_taxii_filter_add(lf_taxii_filter *f, lf_arena *a, const char *name, const char *value, lf_err *err)
{
    if (!value)
        value = "";
    if (!strcmp(name, "added_after")) {
        int64_t us;
        if (!lf_taxii_time_parse(value, &us))
            return lf_err_set(err, LF_EINVAL, "added_after: '%.80s' is not an RFC 3339 UTC timestamp", value);
        f->added_after = us;
        return LF_OK;
    }
    if (!strcmp(name, "limit")) {
        int64_t v;
        if (!parse_i64(value, value + strlen(value), &v) || v < 1)
            return lf_err_set(err, LF_EINVAL, "limit: '%.80s' is not a positive integer", value);
        f->limit = v > LF_TAXII_LIMIT_MAX ? LF_TAXII_LIMIT_MAX : (uint32_t)v;
        return LF_OK;
    }
    if (!strcmp(name, "next")) {
        if (!lf_taxii_next_parse(value, &f->page_added, &f->page_row))
            return lf_err_set(err, LF_EINVAL, "next: '%.80s' is not a token this server gave", value);
        return LF_OK;
    }
    if (!strcmp(name, "match[id]"))
        return add_values(a, &f->ids_json, name, value, ok_id, err);
    if (!strcmp(name, "match[type]"))
        return add_values(a, &f->types_json, name, value, ok_type, err);
    if (!strcmp(name, "match[spec_version]"))
        return add_values(a, &f->specs_json, name, value, ok_spec, err);
    if (!strcmp(name, "match[version]")) {
        f->has_version = true;
        /* the keywords first; the rest are timestamps */
        const char *p = value;
        lf_buf rest;
        lf_buf_init(&rest, 1u << 16);
        int rc = LF_OK;
        while (!rc) {
            const char *comma = strchr(p, ',');
            size_t n = comma ? (size_t)(comma - p) : strlen(p);
            if (span_eq(p, n, "all"))
                f->v_all = true;
            else if (span_eq(p, n, "first"))
                f->v_first = true;
            else if (span_eq(p, n, "last"))
                f->v_last = true;
            else {
                if (rest.len)
                    rc = lf_buf_putc(&rest, ',');
                if (!rc)
                    rc = lf_buf_append(&rest, p, n);
                if (!rc && n == 0)
                    rc = lf_err_set(err, LF_EINVAL, "match[version]: empty value");
            }
            if (!comma)
                break;
            p = comma + 1;
        }
        if (rc == LF_ELIMIT)
            rc = lf_err_set(err, LF_EINVAL, "match[version]: too long");
        if (!rc && rest.len)
            rc = add_values(a, &f->vkeys_json, name, rest.data, ok_vkey, err);
        lf_buf_clear(&rest);
        return rc;
    }
    return LF_OK;
}

void lf_taxii_filter_to_query(const lf_taxii_filter *f, lf_store_stix_q *q)
{
    q->ids_json = f->ids_json;
    q->types_json = f->types_json;
    q->specs_json = f->specs_json;
    q->v_all = f->v_all;
    q->v_first = f->v_first;
    q->v_last = f->v_last;
    q->vkeys_json = f->vkeys_json;
    q->added_after = f->added_after;
    q->page_added = f->page_added;
    q->page_row = f->page_row;
    q->limit = f->limit;
}

/* ---------------------------------------------------------------- access */

bool lf_taxii_can_read(lf_taxii_access rule, const lf_taxii_caller *c)
{
    switch (rule) {
    case LF_TAXII_ACCESS_PUBLIC:
        return true;
    case LF_TAXII_ACCESS_COMMUNITY:
        return c->authenticated;
    case LF_TAXII_ACCESS_GROUP:
        return c->authenticated && c->member;
    default:
        return false;
    }
}

bool lf_taxii_can_write(lf_taxii_access rule, const lf_taxii_caller *c)
{
    if (!c->authenticated || !c->writer)
        return false;
    switch (rule) {
    case LF_TAXII_ACCESS_COMMUNITY:
        return true;
    case LF_TAXII_ACCESS_GROUP:
        return c->member;
    default:
        return false;   /* PUBLIC is never a write rule (store.c refuses it) */
    }
}

/* ---------------------------------------------------------------- store rows */

static const char *json_str_array(lf_arena *a, const char *const *v, size_t n, bool *oom)
{
    if (!n)
        return NULL;
    lf_buf b;
    lf_buf_init(&b, 0);
    int rc = lf_buf_putc(&b, '[');
    for (size_t i = 0; i < n && !rc; i++) {
        if (i)
            rc = lf_buf_putc(&b, ',');
        if (!rc)
            rc = lf_json_write_str(&b, v[i], strlen(v[i]));
    }
    if (!rc)
        rc = lf_buf_putc(&b, ']');
    const char *r = rc ? NULL : lf_arena_strndup(a, b.data, b.len);
    lf_buf_clear(&b);
    if (!r)
        *oom = true;
    return r;
}

int lf_taxii_row(lf_arena *a, const lf_stix_obj *o, const char *spec_default, const char *fallback_version,
                 lf_store_stix_row *r, lf_err *err)
{
    memset(r, 0, sizeof *r);
    const char *version = o->modified ? o->modified : o->created ? o->created : fallback_version;
    char *vkey = lf_arena_alloc(a, LF_TAXII_VKEY_SIZE);
    if (!vkey)
        return lf_err_set(err, LF_ENOMEM, "out of memory");
    if (!version || !lf_taxii_vkey(version, vkey))
        return lf_err_set(err, LF_EINVAL, "the version timestamp is missing or out of range");
    bool oom = false;
    r->stix_id = o->id;
    r->type = o->type;
    r->spec_version = o->spec_version ? o->spec_version : spec_default;
    r->created = o->created;
    r->modified = o->modified;
    r->version = version;
    r->vkey = vkey;
    r->created_by_ref = o->created_by_ref;
    r->marking_refs = json_str_array(a, o->marking_refs, o->nmarking, &oom);
    r->labels_json = json_str_array(a, o->labels, o->nlabels, &oom);
    r->valid_from = o->valid_from;
    r->valid_until = o->valid_until;
    r->revoked = o->revoked;
    r->tlp = (int)o->tlp;
    return oom ? lf_err_set(err, LF_ENOMEM, "out of memory") : LF_OK;
}

/* ---------------------------------------------------------------- envelope spans */

static size_t ws(const char *t, size_t len, size_t i)
{
    while (i < len && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r'))
        i++;
    return i;
}

/* i at an opening quote: the index after the closing one. */
static size_t skip_string(const char *t, size_t len, size_t i)
{
    for (i++; i < len; i++) {
        if (t[i] == '\\')
            i++;
        else if (t[i] == '"')
            return i + 1;
    }
    return len;
}

/* i at a value: the index after it (the text is valid JSON). */
static size_t skip_value(const char *t, size_t len, size_t i)
{
    if (i >= len)
        return len;
    if (t[i] == '"')
        return skip_string(t, len, i);
    if (t[i] == '{' || t[i] == '[') {
        size_t depth = 0;
        for (; i < len; i++) {
            char ch = t[i];
            if (ch == '"') {
                i = skip_string(t, len, i) - 1;
            } else if (ch == '{' || ch == '[') {
                depth++;
            } else if (ch == '}' || ch == ']') {
                if (--depth == 0)
                    return i + 1;
            }
        }
        return len;
    }
    while (i < len && t[i] != ',' && t[i] != '}' && t[i] != ']' && t[i] != ' ' && t[i] != '\t' &&
           t[i] != '\n' && t[i] != '\r')
        i++;
    return i;
}

int lf_taxii_envelope_spans(lf_arena *a, const char *text, size_t len, lf_taxii_span **spans, size_t *n,
                            lf_err *err)
{
    *spans = NULL;
    *n = 0;
    size_t i = 0;
    if (len >= 3 && (unsigned char)text[0] == 0xEF && (unsigned char)text[1] == 0xBB &&
        (unsigned char)text[2] == 0xBF)
        i = 3;   /* the BOM lf_json_parse skips */
    i = ws(text, len, i);
    if (i >= len || text[i] != '{')
        return lf_err_set(err, LF_EPARSE, "envelope: not a JSON object");
    i = ws(text, len, i + 1);
    while (i < len && text[i] == '"') {
        size_t kend = skip_string(text, len, i);
        bool is_objects = kend - i == 9 && !memcmp(text + i, "\"objects\"", 9);
        if (!is_objects && memchr(text + i, '\\', kend - i)) {
            /* "obj\u0065cts" is "objects" too: decode, or a second "objects" member
             * would be taken for the one the validator read */
            lf_json *k = NULL;
            if (lf_json_parse(a, text + i, kend - i, NULL, &k, NULL))
                return lf_err_set(err, LF_EPARSE, "envelope: malformed member name");
            is_objects = k->n == 7 && !memcmp(k->u.str, "objects", 7);
        }
        i = ws(text, len, kend);
        if (i < len && text[i] == ':')
            i = ws(text, len, i + 1);
        /* the first "objects" member is the one lf_json_get (the validator) reads: a
         * non-array there means no objects, whatever a later duplicate holds */
        if (is_objects && (i >= len || text[i] != '['))
            return LF_OK;
        if (is_objects) {
            size_t cap = 64, cnt = 0;
            lf_taxii_span *sp = lf_arena_alloc(a, cap * sizeof *sp);
            if (!sp)
                return lf_err_set(err, LF_ENOMEM, "out of memory");
            i = ws(text, len, i + 1);
            while (i < len && text[i] != ']') {
                size_t e = skip_value(text, len, i);
                if (cnt == cap) {
                    lf_taxii_span *nsp = lf_arena_alloc(a, 2 * cap * sizeof *sp);
                    if (!nsp)
                        return lf_err_set(err, LF_ENOMEM, "out of memory");
                    memcpy(nsp, sp, cnt * sizeof *sp);
                    sp = nsp;
                    cap *= 2;
                }
                sp[cnt].off = i;
                sp[cnt].len = e - i;
                cnt++;
                i = ws(text, len, e);
                if (i < len && text[i] == ',')
                    i = ws(text, len, i + 1);
            }
            *spans = sp;
            *n = cnt;
            return LF_OK;
        }
        i = ws(text, len, skip_value(text, len, i));
        if (i < len && text[i] == ',')
            i = ws(text, len, i + 1);
    }
    return LF_OK;
}
