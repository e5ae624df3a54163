/*
 * api_taxii: the TAXII 2.1 server (OASIS TAXII Version 2.1, 2021) over the ISAC store:
 * discovery, API roots, status, collections, objects (GET, POST of envelopes), object by
 * id (GET, DELETE), manifest and versions under /taxii2/, and the lianfang endpoints
 * that create sharing groups and collections (/api/v1/isac/...).
 *
 * Protocol rules that need no HTTP (filters, tokens, media types, access) are in
 * isac/taxii.c; the TLP 2.0 view of each object is computed by the store's queries from
 * what this module tells it about the reader. docs/api.md lists the routes and answers,
 * docs/design.md ("ISAC") the access and TLP rules.
 *
 * Auth: the platform's session cookie (with CSRF for unsafe methods) or API token, sent
 * as "Bearer <token>" or as the password of "Basic" (what taxii2-client sends). Without
 * credentials only public collections can be read, and only their TLP:CLEAR objects.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>

#include "isac/stix.h"
#include "isac/taxii.h"
#include "server/server_int.h"

#define TAXII_JSON LF_TAXII_MEDIA
#define ROOT_DEFAULT "isac"

/* ---------------------------------------------------------------- answers */

static int taxii_error(lf_http_resp *resp, int status, const char *title, const char *desc)
{
    lf_buf *b = lf_http_resp_json(resp, status);
    lf_http_resp_set_type(resp, TAXII_JSON);
    lf_buf_puts(b, "{\"title\":");
    lf_server_jstr(b, title);
    if (desc) {
        lf_buf_puts(b, ",\"description\":");
        lf_server_jstr(b, desc);
    }
    lf_buf_printf(b, ",\"http_status\":\"%d\"}\n", status);
    if (status == 401)
        lf_http_resp_add_header(resp, "WWW-Authenticate", "Basic realm=\"lianfang TAXII\", Bearer");
    return LF_OK;
}

static lf_buf *taxii_ok(lf_http_resp *resp, int status)
{
    lf_buf *b = lf_http_resp_json(resp, status);
    lf_http_resp_set_type(resp, TAXII_JSON);
    return b;
}

static int taxii_fail(lf_server *s, lf_http_resp *resp, const lf_err *e)
{
    if (e->code == LF_ENOTFOUND)
        return taxii_error(resp, 404, "Not found", e->msg);
    if (e->code == LF_EINVAL)
        return taxii_error(resp, 400, "Bad request", e->msg);
    lf_server_logf(s, "taxii: internal error: %s: %s", lf_strerror_name(e->code), e->msg);
    return taxii_error(resp, 500, "Internal error", "see the server log");
}

/* ---------------------------------------------------------------- authentication */

static int b64val(unsigned char ch)
{
    if (ch >= 'A' && ch <= 'Z')
        return ch - 'A';
    if (ch >= 'a' && ch <= 'z')
        return ch - 'a' + 26;
    if (ch >= '0' && ch <= '9')
        return ch - '0' + 52;
    if (ch == '+')
        return 62;
    if (ch == '/')
        return 63;
    return -1;
}

/* Base64 (RFC 4648) into out (cap bytes incl. NUL); false when malformed or too long. */
static bool b64_decode(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    unsigned acc = 0;
    int bits = 0;
    for (; *s && *s != '='; s++) {
        int v = b64val((unsigned char)*s);
        if (v < 0)
            return false;
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (n + 1 >= cap)
                return false;
            out[n++] = (char)((acc >> bits) & 0xff);
        }
    }
    out[n] = '\0';
    return memchr(out, '\0', n) == NULL;
}

typedef struct taxii_who {
    lf_caller c;
    bool authenticated;
    bool writer;
} taxii_who;

/* Authenticate: false after writing the answer. Anonymous callers pass with
 * authenticated = false when anon_ok (reads). */
static bool taxii_auth(lf_server *s, lf_http_req *req, lf_http_resp *resp, bool anon_ok, taxii_who *w)
{
    memset(w, 0, sizeof *w);
    const char *authz = lf_http_req_header(req, "Authorization");
    lf_err err;
    lf_err_clear(&err);
    if (authz && !strncasecmp(authz, "Basic ", 6)) {
        /* user:password, the password being an API token; the user name is not checked */
        char dec[512];
        const char *p = authz + 6;
        while (*p == ' ')
            p++;
        char *colon;
        if (!b64_decode(p, dec, sizeof dec) || !(colon = strchr(dec, ':'))) {
            taxii_error(resp, 401, "Unauthorized", "malformed Basic credentials");
            return false;
        }
        lf_store_apitoken t;
        int rc = lf_store_apitoken_check(s->store, colon + 1, lf_http_req_arena(req), &t, &err);
        if (rc == LF_ENOTFOUND || rc == LF_EINVAL) {
            taxii_error(resp, 401, "Unauthorized", "unknown or revoked API token (send it as the Basic password)");
            return false;
        }
        if (rc) {
            taxii_fail(s, resp, &err);
            return false;
        }
        w->c.token_id = t.id;
        w->c.login = t.name;
        w->c.org_id = t.org_id;
        w->authenticated = true;
        w->writer = true;
        return true;
    }
    if (!authz && !lf_http_req_cookie(req, LF_SESSION_COOKIE)) {
        if (anon_ok)
            return true;
        taxii_error(resp, 401, "Unauthorized", "authentication required: an API token (Basic or Bearer) or a session");
        return false;
    }
    /* the platform's own rules (CSRF, read_only); its error is re-told in TAXII's format */
    lf_http_resp *tmp = NULL;
    if (lf_http_resp_new(&tmp)) {
        taxii_error(resp, 500, "Internal error", "out of memory");
        return false;
    }
    bool ok = lf_server_auth(s, req, tmp, LF_SRV_TOKEN_WRITE, &w->c);
    if (!ok) {
        int st = lf_http_resp_status(tmp);
        lf_arena *a = lf_http_req_arena(req);
        lf_json *j = NULL;
        lf_buf *tb = lf_http_resp_body(tmp);
        const char *msg = NULL;
        if (tb->len && !lf_json_parse(a, tb->data, tb->len, NULL, &j, NULL))
            msg = lf_json_get_str(lf_json_get(j, "error"), "message");
        msg = msg ? lf_arena_strdup(a, msg) : NULL;
        taxii_error(resp, st, st == 401 ? "Unauthorized" : st == 403 ? "Forbidden" : "Error", msg);
    } else {
        w->authenticated = true;
        w->writer = w->c.token_id != 0 || w->c.role != LF_ROLE_READ_ONLY;
        if (w->c.login)
            w->c.login = lf_arena_strdup(lf_http_req_arena(req), w->c.login);
    }
    lf_http_resp_free(tmp);
    return ok;
}

static bool check_accept(lf_http_req *req, lf_http_resp *resp)
{
    if (lf_taxii_accept_ok(lf_http_req_header(req, "Accept")))
        return true;
    taxii_error(resp, 406, "Not acceptable", "this server answers " TAXII_JSON);
    return false;
}

/* ---------------------------------------------------------------- roots and collections */

typedef struct taxii_ctx {
    lf_server *s;
    lf_http_req *req;
    lf_http_resp *resp;
    lf_arena *a;
    taxii_who who;
    lf_store_taxii_root root;
    lf_store_taxii_coll coll;
    lf_taxii_caller tc;
    bool can_read, can_write;
} taxii_ctx;

static bool load_root(taxii_ctx *x, const char *name)
{
    lf_err err;
    lf_err_clear(&err);
    int rc = lf_store_taxii_root_get(x->s->store, name, x->a, &x->root, &err);
    if (rc == LF_ENOTFOUND) {
        taxii_error(x->resp, 404, "Not found", "no such API root");
        return false;
    }
    if (rc) {
        taxii_fail(x->s, x->resp, &err);
        return false;
    }
    return true;
}

/* Access of the caller to collection c. */
static int coll_access(taxii_ctx *x, const lf_store_taxii_coll *c, bool *r, bool *w, bool *member, lf_err *err)
{
    *member = false;
    if (x->who.authenticated && c->group_id) {
        int rc = lf_store_isac_group_member(x->s->store, c->group_id, x->who.c.org_id, member, err);
        if (rc)
            return rc;
    }
    lf_taxii_caller tc = {x->who.authenticated, *member, x->who.writer};
    *r = lf_taxii_can_read(c->read, &tc);
    *w = lf_taxii_can_write(c->write, &tc);
    return LF_OK;
}

/* The collection named by id: false after 401 (anonymous) / 404 (unknown or invisible). */
static bool load_coll(taxii_ctx *x, const char *id)
{
    lf_err err;
    lf_err_clear(&err);
    int rc = lf_store_taxii_coll_get(x->s->store, x->root.id, id, x->a, &x->coll, &err);
    bool member = false;
    if (!rc)
        rc = coll_access(x, &x->coll, &x->can_read, &x->can_write, &member, &err);
    if (rc && rc != LF_ENOTFOUND) {
        taxii_fail(x->s, x->resp, &err);
        return false;
    }
    x->tc.authenticated = x->who.authenticated;
    x->tc.member = member;
    x->tc.writer = x->who.writer;
    if (rc == LF_ENOTFOUND || (!x->can_read && !x->can_write)) {
        /* invisible collections are not told apart from absent ones */
        if (!x->who.authenticated)
            taxii_error(x->resp, 401, "Unauthorized", "authentication required for this collection");
        else
            taxii_error(x->resp, 404, "Not found", "no such collection");
        return false;
    }
    return true;
}

static void base_url(taxii_ctx *x, lf_buf *b, const char *root)
{
    const char *host = lf_http_req_header(x->req, "Host");
    lf_buf u;
    lf_buf_init(&u, 4096);
    if (host && *host && strlen(host) < 256 && !strpbrk(host, " /\\\"<>"))
        lf_buf_printf(&u, "%s://%s", lf_http_req_tls(x->req) ? "https" : "http", host);
    lf_buf_printf(&u, "/taxii2/%s/", root);
    lf_server_jstr(b, u.data);
    lf_buf_clear(&u);
}

/* GET /taxii2/ */
static int h_discovery(taxii_ctx *x)
{
    lf_store_taxii_root *roots;
    size_t n;
    lf_err err;
    lf_err_clear(&err);
    if (lf_store_taxii_root_list(x->s->store, x->a, &roots, &n, &err))
        return taxii_fail(x->s, x->resp, &err);
    lf_buf *b = taxii_ok(x->resp, 200);
    lf_buf_puts(b, "{\"title\":\"lianfang TAXII 2.1 server\",\"description\":\"Threat intelligence of the "
                   "national and regional ISACs\",\"contact\":\"the ISAC analysts of your region\",\"default\":");
    base_url(x, b, ROOT_DEFAULT);
    lf_buf_puts(b, ",\"api_roots\":[");
    for (size_t i = 0; i < n; i++) {
        if (i)
            lf_buf_putc(b, ',');
        base_url(x, b, roots[i].name);
    }
    return lf_buf_puts(b, "]}\n");
}

/* The largest body the API root takes (max_content_length, section 4.2): the HTTP layer's
 * limit (http.max_body_mb), which refuses larger bodies unread, so that what the root
 * states is what is enforced. A root loaded from another server's data keeps the smaller
 * limit that data states; the platform's own root stores 0, no limit of its own (schema
 * 11). */
static int64_t max_content(const taxii_ctx *x)
{
    int64_t http = (int64_t)lf_http_req_body_limit(x->req);
    if (x->root.max_content_length <= 0)
        return http;
    return x->root.max_content_length < http ? x->root.max_content_length : http;
}

static int too_large(lf_http_resp *resp, int64_t limit)
{
    char m[128];
    snprintf(m, sizeof m, "the body is larger than max_content_length (%lld bytes)", (long long)limit);
    return taxii_error(resp, 413, "Payload too large", m);
}

/* GET /taxii2/{root}/ */
static int h_root(taxii_ctx *x)
{
    lf_buf *b = taxii_ok(x->resp, 200);
    lf_buf_puts(b, "{\"title\":");
    lf_server_jstr(b, x->root.title);
    if (x->root.description) {
        lf_buf_puts(b, ",\"description\":");
        lf_server_jstr(b, x->root.description);
    }
    lf_buf_printf(b, ",\"versions\":[\"%s\"],\"max_content_length\":%lld}\n", TAXII_JSON,
                  (long long)max_content(x));
    return LF_OK;
}

static void coll_json(lf_buf *b, const lf_store_taxii_coll *c, bool r, bool w)
{
    lf_buf_puts(b, "{\"id\":");
    lf_server_jstr(b, c->uuid);
    lf_buf_puts(b, ",\"title\":");
    lf_server_jstr(b, c->title);
    if (c->description) {
        lf_buf_puts(b, ",\"description\":");
        lf_server_jstr(b, c->description);
    }
    if (c->alias) {
        lf_buf_puts(b, ",\"alias\":");
        lf_server_jstr(b, c->alias);
    }
    lf_buf_printf(b, ",\"can_read\":%s,\"can_write\":%s,\"media_types\":[", r ? "true" : "false",
                  w ? "true" : "false");
    const char *p = c->media_types;
    bool first = true;
    while (p && *p) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        if (n) {
            if (!first)
                lf_buf_putc(b, ',');
            lf_json_write_str(b, p, n);
            first = false;
        }
        p = comma ? comma + 1 : p + n;
    }
    lf_buf_puts(b, "]}");
}

/* GET /taxii2/{root}/collections/ */
static int h_collections(taxii_ctx *x)
{
    lf_store_taxii_coll *v;
    size_t n;
    lf_err err;
    lf_err_clear(&err);
    if (lf_store_taxii_coll_list(x->s->store, x->root.id, x->a, &v, &n, &err))
        return taxii_fail(x->s, x->resp, &err);
    lf_buf *b = taxii_ok(x->resp, 200);
    lf_buf_puts(b, "{\"collections\":[");
    bool first = true;
    for (size_t i = 0; i < n; i++) {
        bool r, w, m;
        if (coll_access(x, &v[i], &r, &w, &m, &err))
            return taxii_fail(x->s, x->resp, &err);
        if (!r && !w)
            continue;
        if (!first)
            lf_buf_putc(b, ',');
        coll_json(b, &v[i], r, w);
        first = false;
    }
    return lf_buf_puts(b, "]}\n");
}

/* ---------------------------------------------------------------- objects: reading */

/* Filters from the query string; false after 400. */
static bool read_filters(taxii_ctx *x, lf_taxii_filter *f)
{
    lf_taxii_filter_init(f);
    lf_err err;
    lf_err_clear(&err);
    size_t n = lf_http_req_query_count(x->req);
    for (size_t i = 0; i < n; i++) {
        const char *k, *v;
        if (lf_http_req_query_at(x->req, i, &k, &v) && lf_taxii_filter_add(f, x->a, k, v, &err)) {
            taxii_error(x->resp, 400, "Bad request", err.msg);
            return false;
        }
    }
    return true;
}

static void reader_query(taxii_ctx *x, const lf_taxii_filter *f, lf_store_stix_q *q)
{
    memset(q, 0, sizeof *q);
    lf_taxii_filter_to_query(f, q);
    q->coll = x->coll.id;
    q->default_tlp = x->coll.default_tlp;
    q->org = x->who.authenticated ? x->who.c.org_id : 0;
    q->authenticated = x->who.authenticated;
    q->member = x->tc.member;
}

static void added_headers(taxii_ctx *x, const lf_store_stix_hit *h, size_t n)
{
    if (!n)
        return;
    char t[LF_TAXII_TIME_SIZE];
    lf_taxii_time_format(h[0].date_added, t);
    lf_http_resp_add_header(x->resp, "X-TAXII-Date-Added-First", t);
    lf_taxii_time_format(h[n - 1].date_added, t);
    lf_http_resp_add_header(x->resp, "X-TAXII-Date-Added-Last", t);
}

static void page_end(lf_buf *b, const lf_store_stix_hit *h, size_t n, bool more)
{
    lf_buf_printf(b, "],\"more\":%s", more ? "true" : "false");
    if (more && n) {
        char tok[LF_TAXII_NEXT_SIZE];
        lf_taxii_next_format(h[n - 1].date_added, h[n - 1].row, tok);
        lf_buf_printf(b, ",\"next\":\"%s\"", tok);
    }
    lf_buf_puts(b, "}\n");
}

enum { VIEW_OBJECTS, VIEW_MANIFEST, VIEW_VERSIONS };

/* GET objects/, objects/{id}/, manifest/, objects/{id}/versions/ */
static int h_read(taxii_ctx *x, const char *oid, int view)
{
    if (!x->can_read)
        return taxii_error(x->resp, 403, "Forbidden", "you may not read this collection");
    lf_taxii_filter f;
    if (!read_filters(x, &f))
        return LF_OK;
    lf_store_stix_q q;
    reader_query(x, &f, &q);
    q.id = oid;
    q.with_json = view == VIEW_OBJECTS;
    if (view == VIEW_VERSIONS) {
        /* the versions endpoint lists every version (section 5.8: no match[version]) */
        q.v_all = true;
        q.v_first = q.v_last = false;
        q.vkeys_json = NULL;
    }
    lf_store_stix_hit *h;
    size_t n;
    bool more;
    lf_err err;
    lf_err_clear(&err);
    if (lf_store_stix_query(x->s->store, &q, x->a, &h, &n, &more, &err))
        return taxii_fail(x->s, x->resp, &err);
    if (oid && n == 0 && !f.page_added && !f.page_row)
        return taxii_error(x->resp, 404, "Not found", "no such object in this collection (or none you may see)");
    added_headers(x, h, n);
    lf_buf *b = taxii_ok(x->resp, 200);
    lf_buf_puts(b, view == VIEW_VERSIONS ? "{\"versions\":[" : "{\"objects\":[");
    for (size_t i = 0; i < n; i++) {
        if (i)
            lf_buf_putc(b, ',');
        if (view == VIEW_OBJECTS) {
            lf_buf_append(b, h[i].json, h[i].json_len);
        } else if (view == VIEW_VERSIONS) {
            lf_server_jstr(b, h[i].version);
        } else {
            char t[LF_TAXII_TIME_SIZE];
            lf_taxii_time_format(h[i].date_added, t);
            lf_buf_puts(b, "{\"id\":");
            lf_server_jstr(b, h[i].stix_id);
            lf_buf_printf(b, ",\"date_added\":\"%s\",\"version\":", t);
            lf_server_jstr(b, h[i].version);
            lf_buf_puts(b, ",\"media_type\":\"application/stix+json;version=");
            lf_buf_puts(b, h[i].spec_version);
            lf_buf_puts(b, "\"}");
        }
    }
    page_end(b, h, n, more);
    /* intelligence received, per organisation and year (GET /api/v1/isac/counters): the
     * objects a reader of an organisation took (the page, not the manifest) */
    if (view == VIEW_OBJECTS && n && x->who.c.org_id) {
        time_t now = lf_store_now(x->s->store) + 8 * 3600;   /* the year in Taiwan */
        struct tm tm;
        gmtime_r(&now, &tm);
        lf_err cerr;
        lf_err_clear(&cerr);
        if (lf_store_isac_count_add(x->s->store, x->who.c.org_id, tm.tm_year + 1900, LF_ISAC_RECEIVED, n, &cerr))
            lf_server_logf(x->s, "isac: received counter not updated: %s", cerr.msg);   /* never fails a read */
    }
    return LF_OK;
}

/* DELETE objects/{id}/ (section 5.7): match[version] (default all) and match[spec_version]. */
static int h_delete(taxii_ctx *x, const char *oid)
{
    if (!x->can_read || !x->can_write)
        return taxii_error(x->resp, 403, "Forbidden", "deleting needs read and write access to the collection");
    lf_taxii_filter f;
    if (!read_filters(x, &f))
        return LF_OK;
    lf_store_stix_q q;
    reader_query(x, &f, &q);
    q.id = oid;
    if (!f.has_version)
        q.v_all = true;
    if (!q.specs_json)
        q.specs_json = "[\"2.0\",\"2.1\"]";   /* every spec version this server stores */
    size_t deleted = 0;
    lf_err err;
    lf_err_clear(&err);
    if (lf_store_stix_delete(x->s->store, &q, &deleted, &err))
        return taxii_fail(x->s, x->resp, &err);
    if (!deleted)
        return taxii_error(x->resp, 404, "Not found", "no such object version in this collection");
    lf_server_logf(x->s, "taxii: %s deleted %zu version(s) of %s from collection %s", x->who.c.login, deleted, oid,
                   x->coll.uuid);
    taxii_ok(x->resp, 200);
    return LF_OK;
}

/* ---------------------------------------------------------------- objects: POST */

static void uuid4(char out[37])
{
    unsigned char r[16];
    if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r) {
        /* not reached on Linux >= 3.17; a time-based fallback keeps ids unique enough */
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        for (size_t i = 0; i < sizeof r; i++)
            r[i] = (unsigned char)((ts.tv_nsec >> (i % 4 * 8)) ^ (ts.tv_sec >> (i % 8)) ^ (long)i * 37);
    }
    r[6] = (unsigned char)((r[6] & 0x0f) | 0x40);
    r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", r[0], r[1], r[2], r[3],
             r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13], r[14], r[15]);
}

typedef struct detail_list {
    lf_buf b;
    uint64_t n;
} detail_list;

static void detail_add(detail_list *d, const char *id, const char *version, const char *msg)
{
    lf_buf_putc(&d->b, d->n ? ',' : '[');
    lf_buf_puts(&d->b, "{\"id\":");
    lf_server_jstr(&d->b, id ? id : "");
    if (version) {
        lf_buf_puts(&d->b, ",\"version\":");
        lf_server_jstr(&d->b, version);
    }
    lf_buf_puts(&d->b, ",\"message\":");
    lf_server_jstr(&d->b, msg);
    lf_buf_putc(&d->b, '}');
    d->n++;
}

static const char *detail_done(detail_list *d, lf_arena *a)
{
    if (!d->n)
        return "[]";
    lf_buf_putc(&d->b, ']');
    return d->b.data ? lf_arena_strndup(a, d->b.data, d->b.len) : "[]";
}

static void status_json(lf_buf *b, const lf_store_taxii_status *t)
{
    lf_buf_puts(b, "{\"id\":");
    lf_server_jstr(b, t->uuid);
    lf_buf_puts(b, ",\"status\":");
    lf_server_jstr(b, t->status);
    if (t->request_timestamp) {
        lf_buf_puts(b, ",\"request_timestamp\":");
        lf_server_jstr(b, t->request_timestamp);
    }
    lf_buf_printf(b, ",\"total_count\":%llu,\"success_count\":%llu,\"successes\":%s,\"failure_count\":%llu,"
                     "\"failures\":%s,\"pending_count\":%llu,\"pendings\":%s}\n",
                  (unsigned long long)t->total, (unsigned long long)t->success, t->successes,
                  (unsigned long long)t->failure, t->failures, (unsigned long long)t->pending, t->pendings);
}

/* TLP:RED recipients named by the object (x_lianfang_recipients: organisation codes) as
 * ",id,id,"; NULL when none. *bad gets the first unknown code. */
static int red_recipients(taxii_ctx *x, const lf_json *obj, const char **out, const char **bad, lf_err *err)
{
    *out = NULL;
    *bad = NULL;
    const lf_json *r = lf_json_get(obj, "x_lianfang_recipients");
    if (!r)
        return LF_OK;
    if (!lf_json_is(r, LF_JSON_ARRAY)) {
        *bad = "(not an array)";
        return LF_OK;
    }
    lf_buf b;
    lf_buf_init(&b, 0);
    lf_buf_putc(&b, ',');
    int rc = LF_OK;
    for (size_t i = 0; i < lf_json_len(r) && !rc && !*bad; i++) {
        const char *code = lf_json_str(lf_json_at(r, i));
        lf_store_org o;
        int g = code ? lf_store_org_get_by_code(x->s->store, code, x->a, &o, err) : LF_ENOTFOUND;
        if (g == LF_ENOTFOUND)
            *bad = code ? code : "(not a string)";
        else if (g)
            rc = g;
        else
            lf_buf_printf(&b, "%lld,", (long long)o.id);
    }
    if (!rc && !*bad && b.len > 1)
        *out = lf_arena_strndup(x->a, b.data, b.len);
    lf_buf_clear(&b);
    return rc;
}

/* POST objects/: validate each object, store the valid ones, answer 202 with the status. */
static int h_post(taxii_ctx *x)
{
    if (!x->can_write)
        return taxii_error(x->resp, 403, "Forbidden", "you may not write to this collection");
    if (!lf_taxii_content_type_ok(lf_http_req_header(x->req, "Content-Type")))
        return taxii_error(x->resp, 415, "Unsupported media type", "send the envelope as " TAXII_JSON);
    size_t len;
    const char *body = lf_http_req_body(x->req, &len);
    if ((int64_t)len > max_content(x))
        return too_large(x->resp, max_content(x));
    lf_err err;
    lf_err_clear(&err);
    lf_json *doc = NULL;
    char m[700];
    if (lf_json_parse(x->a, body, len, NULL, &doc, &err)) {
        snprintf(m, sizeof m, "the envelope is not valid JSON (line %ld, column %ld): %s", err.line, err.col, err.msg);
        return taxii_error(x->resp, 400, "Bad request", m);
    }
    const lf_json *objs = lf_json_get(doc, "objects");
    if (!lf_json_is(doc, LF_JSON_OBJECT) || !lf_json_is(objs, LF_JSON_ARRAY))
        return taxii_error(x->resp, 400, "Bad request", "the body must be an envelope: {\"objects\": [...]}");
    lf_taxii_span *spans;
    size_t nspans;
    if (lf_taxii_envelope_spans(x->a, body, len, &spans, &nspans, &err) || nspans != lf_json_len(objs))
        return taxii_error(x->resp, 400, "Bad request", "the envelope's objects could not be located");
    lf_stix_set set;
    if (lf_stix_read(x->a, doc, &set, &err)) {
        snprintf(m, sizeof m, "%s", err.msg);
        return taxii_error(x->resp, 400, "Bad request", m);
    }
    char req_ts[LF_TAXII_TIME_SIZE];
    lf_taxii_time_format(lf_store_now(x->s->store) * 1000000, req_ts);

    detail_list ok = {{0}, 0}, bad = {{0}, 0};
    lf_buf_init(&ok.b, 0);
    lf_buf_init(&bad.b, 0);
    /* invalid objects: every problem of one object in one message */
    size_t pi = 0;
    for (size_t k = 0; k < set.ninput; k++) {
        lf_buf msg;
        lf_buf_init(&msg, 4096);
        const char *id = NULL;
        for (; pi < set.nproblems && set.problems[pi].index == k; pi++) {
            if (msg.len)
                lf_buf_puts(&msg, "; ");
            lf_buf_printf(&msg, "%s: %s", set.problems[pi].path, set.problems[pi].msg);
            if (set.problems[pi].id)
                id = set.problems[pi].id;
        }
        if (msg.len) {
            const lf_json *o = lf_json_at(objs, k);
            detail_add(&bad, id, lf_json_get_str(o, "modified"), msg.data);
        }
        lf_buf_clear(&msg);
    }
    lf_store_stix_row *rows = lf_arena_calloc(x->a, (set.nobjs ? set.nobjs : 1) * sizeof *rows);
    bool *dup = lf_arena_calloc(x->a, (set.nobjs ? set.nobjs : 1) * sizeof *dup);
    if (!rows || !dup) {
        lf_buf_clear(&ok.b);
        lf_buf_clear(&bad.b);
        return taxii_error(x->resp, 500, "Internal error", "out of memory");
    }
    size_t nrows = 0;
    int rc = LF_OK;
    for (size_t i = 0; i < set.nobjs && !rc; i++) {
        const lf_stix_obj *o = &set.objs[i];
        lf_store_stix_row *r = &rows[nrows];
        const char *recips = NULL, *badcode = NULL;
        lf_err rerr;
        lf_err_clear(&rerr);
        int rr = lf_taxii_row(x->a, o, "2.1", req_ts, r, &rerr);
        if (rr == LF_EINVAL) {
            detail_add(&bad, o->id, o->modified, rerr.msg);
            continue;
        }
        if (rr) {
            rc = lf_err_set(&err, rr, "%s", rerr.msg);
            break;
        }
        if ((rc = red_recipients(x, o->json, &recips, &badcode, &err)))
            break;
        if (badcode) {
            snprintf(m, sizeof m, "x_lianfang_recipients: '%.100s' is not an organisation code", badcode);
            detail_add(&bad, o->id, r->version, m);
            continue;
        }
        r->recipients = recips;
        r->json = body + spans[o->index].off;
        r->json_len = spans[o->index].len;
        r->added_by = x->who.c.org_id;
        nrows++;
    }
    if (!rc)
        rc = lf_store_stix_add(x->s->store, x->coll.id, rows, nrows, dup, NULL, NULL, &err);
    if (rc) {
        lf_buf_clear(&ok.b);
        lf_buf_clear(&bad.b);
        return taxii_fail(x->s, x->resp, &err);
    }
    for (size_t i = 0; i < nrows; i++)
        detail_add(&ok, rows[i].stix_id, rows[i].version,
                   dup[i] ? "this version was already in the collection" : "added");
    char uuid[37];
    uuid4(uuid);
    lf_store_taxii_status st = {0};
    st.uuid = uuid;
    st.root_id = x->root.id;
    st.coll_id = x->coll.id;
    st.org_id = x->who.c.org_id;
    st.status = "complete";
    st.request_timestamp = req_ts;
    st.total = set.ninput;
    st.success = ok.n;
    st.failure = bad.n;
    st.pending = 0;
    st.successes = detail_done(&ok, x->a);
    st.failures = detail_done(&bad, x->a);
    st.pendings = "[]";
    lf_buf_clear(&ok.b);
    lf_buf_clear(&bad.b);
    if (lf_store_taxii_status_put(x->s->store, &st, &err))
        return taxii_fail(x->s, x->resp, &err);
    status_json(taxii_ok(x->resp, 202), &st);
    return LF_OK;
}

/* GET /taxii2/{root}/status/{id}/: the poster's organisation, or one above it. */
static int h_status(taxii_ctx *x, const char *id)
{
    lf_store_taxii_status st;
    lf_err err;
    lf_err_clear(&err);
    int rc = lf_store_taxii_status_get(x->s->store, x->root.id, id, x->a, &st, &err);
    bool inside = st.org_id == 0;
    if (!rc && !inside)
        rc = lf_store_org_within(x->s->store, st.org_id, x->who.c.org_id, &inside, &err);
    if (rc == LF_ENOTFOUND || (!rc && !inside))
        return taxii_error(x->resp, 404, "Not found", "no such status resource");
    if (rc)
        return taxii_fail(x->s, x->resp, &err);
    status_json(taxii_ok(x->resp, 200), &st);
    return LF_OK;
}

/* ---------------------------------------------------------------- dispatch */

static int method_not_allowed(lf_http_resp *resp, const char *allow)
{
    taxii_error(resp, 405, "Method not allowed", NULL);
    lf_http_resp_add_header(resp, "Allow", allow);
    return LF_OK;
}

/* Every /taxii2/ path: split the rest (TAXII URLs end in '/', which route patterns cannot
 * express) and dispatch. */
static int taxii_handler(void *app, lf_http_req *req, lf_http_resp *resp)
{
    taxii_ctx x;
    memset(&x, 0, sizeof x);
    x.s = app;
    x.req = req;
    x.resp = resp;
    x.a = lf_http_req_arena(req);
    const char *method = lf_http_req_method(req);
    bool get = !strcmp(method, "GET"), post = !strcmp(method, "POST"), del = !strcmp(method, "DELETE");

    const char *rest = lf_http_req_param(req, "rest");
    char *path = lf_arena_strdup(x.a, rest ? rest : "");
    if (!path)
        return LF_ENOMEM;
    char *seg[8];
    size_t nseg = 0;
    for (char *p = path; *p || nseg == 0;) {
        char *slash = strchr(p, '/');
        if (slash)
            *slash = '\0';
        if (nseg == 8)
            return taxii_error(resp, 404, "Not found", "no such TAXII resource");
        seg[nseg++] = p;
        if (!slash)
            break;
        p = slash + 1;
    }
    if (nseg > 1 && !*seg[nseg - 1])
        nseg--;   /* the trailing '/' */
    if (nseg == 1 && !*seg[0])
        nseg = 0;
    for (size_t i = 0; i < nseg; i++)
        if (!*seg[i])
            return taxii_error(resp, 404, "Not found", "no such TAXII resource");

    /* shape of the path: which endpoint, and its allowed methods */
    enum { E_DISC, E_ROOT, E_STATUS, E_COLLS, E_COLL, E_OBJS, E_OBJ, E_VERS, E_MANI, E_NONE } e = E_NONE;
    if (nseg == 0)
        e = E_DISC;
    else if (nseg == 1)
        e = E_ROOT;
    else if (nseg == 3 && !strcmp(seg[1], "status"))
        e = E_STATUS;
    else if (nseg >= 2 && !strcmp(seg[1], "collections")) {
        if (nseg == 2)
            e = E_COLLS;
        else if (nseg == 3)
            e = E_COLL;
        else if (nseg == 4 && !strcmp(seg[3], "objects"))
            e = E_OBJS;
        else if (nseg == 4 && !strcmp(seg[3], "manifest"))
            e = E_MANI;
        else if (nseg == 5 && !strcmp(seg[3], "objects"))
            e = E_OBJ;
        else if (nseg == 6 && !strcmp(seg[3], "objects") && !strcmp(seg[5], "versions"))
            e = E_VERS;
    }
    if (e == E_NONE)
        return taxii_error(resp, 404, "Not found", "no such TAXII resource");
    if (e == E_OBJS && !get && !post)
        return method_not_allowed(resp, "GET, HEAD, POST");
    if (e == E_OBJ && !get && !del)
        return method_not_allowed(resp, "GET, HEAD, DELETE");
    if (e != E_OBJS && e != E_OBJ && !get)
        return method_not_allowed(resp, "GET, HEAD");

    /* refused by the HTTP layer before it was read (LF_HTTP_OWN_413): told in TAXII's format */
    if (lf_http_req_too_large(req))
        return too_large(resp, (int64_t)lf_http_req_body_limit(req));
    if (!taxii_auth(x.s, req, resp, get && e != E_STATUS, &x.who) || !check_accept(req, resp))
        return LF_OK;
    if (e == E_DISC)
        return h_discovery(&x);
    if (!load_root(&x, seg[0]))
        return LF_OK;
    switch (e) {
    case E_ROOT:
        return h_root(&x);
    case E_STATUS:
        return h_status(&x, seg[2]);
    case E_COLLS:
        return h_collections(&x);
    default:
        break;
    }
    if (!load_coll(&x, seg[2]))
        return LF_OK;
    switch (e) {
    case E_COLL:
        coll_json(taxii_ok(resp, 200), &x.coll, x.can_read, x.can_write);
        return lf_buf_puts(lf_http_resp_body(resp), "\n");
    case E_OBJS:
        return post ? h_post(&x) : h_read(&x, NULL, VIEW_OBJECTS);
    case E_MANI:
        return h_read(&x, NULL, VIEW_MANIFEST);
    case E_OBJ:
        return del ? h_delete(&x, seg[4]) : h_read(&x, seg[4], VIEW_OBJECTS);
    case E_VERS:
        return h_read(&x, seg[4], VIEW_VERSIONS);
    default:
        return taxii_error(resp, 404, "Not found", "no such TAXII resource");
    }
}

/* ---------------------------------------------------------------- lianfang: groups and collections */

static bool isac_admin(const lf_caller *c)
{
    return c->role == LF_ROLE_NATIONAL_ADMIN || c->role == LF_ROLE_REGION_ANALYST;
}

static void group_json(lf_buf *b, const lf_store_isac_group *g)
{
    lf_buf_puts(b, "{\"id\":");
    lf_server_jid(b, g->id);
    lf_buf_puts(b, ",\"code\":");
    lf_server_jstr(b, g->code);
    lf_buf_puts(b, ",\"name\":");
    lf_server_jstr(b, g->name);
    lf_buf_puts(b, ",\"orgs\":[");
    for (size_t i = 0; i < g->norgs; i++) {
        if (i)
            lf_buf_putc(b, ',');
        lf_server_jid(b, g->orgs[i]);
    }
    lf_buf_puts(b, "]}");
}

/* POST /api/v1/isac/groups {code, name, orgs: [org codes]}: national admins, and region
 * analysts for organisations within their region. */
static int group_create(void *app, lf_http_req *req, lf_http_resp *resp)
{
    lf_server *s = app;
    lf_caller c;
    const lf_json *body;
    const char *code, *name;
    if (!lf_server_auth(s, req, resp, 0, &c) || !lf_server_body(req, resp, &body) ||
        !lf_server_body_str(resp, body, "code", 64, &code) || !lf_server_body_str(resp, body, "name", 300, &name))
        return LF_OK;
    if (!isac_admin(&c))
        return lf_http_json_error(resp, 403, "forbidden", "only national admins and region analysts manage ISAC groups");
    const lf_json *orgs = lf_json_get(body, "orgs");
    if (!code || !name || !lf_json_is(orgs, LF_JSON_ARRAY) || !lf_json_len(orgs) || lf_json_len(orgs) > 200)
        return lf_http_json_error(resp, 422, "invalid_field", "code, name and orgs (1..200 organisation codes) are required");
    lf_arena *a = lf_http_req_arena(req);
    lf_id *ids = lf_arena_alloc(a, lf_json_len(orgs) * sizeof *ids);
    if (!ids)
        return LF_ENOMEM;
    lf_err err;
    lf_err_clear(&err);
    for (size_t i = 0; i < lf_json_len(orgs); i++) {
        const char *oc = lf_json_str(lf_json_at(orgs, i));
        lf_store_org o;
        if (!oc || lf_store_org_get_by_code(s->store, oc, a, &o, &err))
            return lf_http_json_error(resp, 422, "invalid_field", "orgs: every entry must be an organisation code");
        if (!lf_server_in_scope(s, resp, &c, o.id))
            return LF_OK;
        ids[i] = o.id;
    }
    lf_store_isac_group g = {0, code, name, ids, lf_json_len(orgs), 0};
    if (lf_store_isac_group_create(s->store, &g, &g.id, &err))
        return lf_server_fail(s, resp, &err);
    lf_buf *b = lf_http_resp_json(resp, 201);
    group_json(b, &g);
    return lf_buf_puts(b, "\n");
}

/* GET /api/v1/isac/groups */
static int group_list(void *app, lf_http_req *req, lf_http_resp *resp)
{
    lf_server *s = app;
    lf_caller c;
    if (!lf_server_auth(s, req, resp, 0, &c))
        return LF_OK;
    lf_store_isac_group *v;
    size_t n;
    lf_err err;
    lf_err_clear(&err);
    if (lf_store_isac_group_list(s->store, lf_http_req_arena(req), &v, &n, &err))
        return lf_server_fail(s, resp, &err);
    lf_buf *b = lf_http_resp_json(resp, 200);
    lf_buf_puts(b, "{\"items\":[");
    for (size_t i = 0; i < n; i++) {
        if (i)
            lf_buf_putc(b, ',');
        group_json(b, &v[i]);
    }
    return lf_buf_puts(b, "]}\n");
}

static int tlp_parse(const char *s)
{
    for (int t = LF_STIX_TLP_CLEAR; s && t <= LF_STIX_TLP_RED; t++)
        if (!strcasecmp(s, lf_stix_tlp_name((lf_stix_tlp)t)))
            return t;
    return -1;
}

static bool is_uuid(const char *s)
{
    if (!s || strlen(s) != 36)
        return false;
    for (int i = 0; i < 36; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        char ch = s[i];
        if (dash ? ch != '-' : !((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f')))
            return false;
    }
    return true;
}

/* POST /api/v1/isac/collections {root?, id?, title, description?, alias?, group?, can_read,
 * can_write, default_tlp, media_types?}: national admins and region analysts. */
static int coll_create(void *app, lf_http_req *req, lf_http_resp *resp)
{
    lf_server *s = app;
    lf_caller c;
    const lf_json *body;
    const char *root, *id, *title, *desc, *alias, *group, *cr, *cw, *tlp, *media;
    if (!lf_server_auth(s, req, resp, 0, &c) || !lf_server_body(req, resp, &body) ||
        !lf_server_body_str(resp, body, "root", 64, &root) || !lf_server_body_str(resp, body, "id", 36, &id) ||
        !lf_server_body_str(resp, body, "title", 300, &title) ||
        !lf_server_body_str(resp, body, "description", 4000, &desc) ||
        !lf_server_body_str(resp, body, "alias", 100, &alias) || !lf_server_body_str(resp, body, "group", 64, &group) ||
        !lf_server_body_str(resp, body, "can_read", 16, &cr) || !lf_server_body_str(resp, body, "can_write", 16, &cw) ||
        !lf_server_body_str(resp, body, "default_tlp", 16, &tlp) ||
        !lf_server_body_str(resp, body, "media_types", 1000, &media))
        return LF_OK;
    if (!isac_admin(&c))
        return lf_http_json_error(resp, 403, "forbidden", "only national admins and region analysts manage collections");
    lf_arena *a = lf_http_req_arena(req);
    lf_err err;
    lf_err_clear(&err);
    lf_store_taxii_root r;
    if (lf_store_taxii_root_get(s->store, root ? root : ROOT_DEFAULT, a, &r, &err))
        return lf_http_json_error(resp, 422, "invalid_field", "root: no such TAXII API root");
    int rd = lf_taxii_access_parse(cr), wr = lf_taxii_access_parse(cw), tl = tlp_parse(tlp);
    if (!title || rd < 0 || wr < 0 || wr == LF_TAXII_ACCESS_PUBLIC || tl < 0 || (id && !is_uuid(id)))
        return lf_http_json_error(resp, 422, "invalid_field",
                                  "title, can_read (none|group|community|public), can_write (none|group|community) "
                                  "and default_tlp (CLEAR|GREEN|AMBER|AMBER+STRICT|RED) are required; id is a "
                                  "lower-case UUID");
    lf_store_taxii_coll t = {0};
    char uuid[37];
    if (!id) {
        uuid4(uuid);
        id = uuid;
    }
    lf_store_isac_group *gs;
    size_t ng;
    if (lf_store_isac_group_list(s->store, a, &gs, &ng, &err))
        return lf_server_fail(s, resp, &err);
    const lf_store_isac_group *g = NULL;
    if (group) {
        for (size_t i = 0; i < ng; i++)
            if (!strcmp(gs[i].code, group))
                g = &gs[i];
        if (!g)
            return lf_http_json_error(resp, 422, "invalid_field", "group: no such sharing group");
        t.group_id = g->id;
    } else if (rd == LF_TAXII_ACCESS_GROUP || wr == LF_TAXII_ACCESS_GROUP) {
        return lf_http_json_error(resp, 422, "invalid_field", "group access needs a group");
    }
    /* a region analyst manages the collections of groups inside its region only, and may
     * not take over one that is another's or nobody's (group-less: the national level's) */
    bool inside = true;
    if (g && lf_server_group_in_scope(s, &c, g, &inside, &err))
        return lf_server_fail(s, resp, &err);
    if (!inside)
        return lf_http_json_error(resp, 403, "forbidden", "group: not within your scope");
    lf_store_taxii_coll old;
    int grc = lf_store_taxii_coll_get(s->store, r.id, id, a, &old, &err);
    if (grc && grc != LF_ENOTFOUND)
        return lf_server_fail(s, resp, &err);
    if (!grc && c.org_id != s->national) {
        const lf_store_isac_group *og = NULL;
        for (size_t i = 0; i < ng; i++)
            if (gs[i].id == old.group_id)
                og = &gs[i];
        inside = og != NULL;
        if (og && lf_server_group_in_scope(s, &c, og, &inside, &err))
            return lf_server_fail(s, resp, &err);
        if (!inside)
            return lf_http_json_error(resp, 403, "forbidden", "collection: it belongs to a group outside your scope");
    }
    lf_err_clear(&err);
    t.root_id = r.id;
    t.uuid = id;
    t.title = title;
    t.description = desc;
    t.alias = alias;
    t.read = (lf_taxii_access)rd;
    t.write = (lf_taxii_access)wr;
    t.default_tlp = tl;
    t.media_types = media ? media : LF_TAXII_STIX_MEDIA;
    if (lf_store_taxii_coll_put(s->store, &t, &t.id, &err))
        return lf_server_fail(s, resp, &err);
    lf_buf *b = lf_http_resp_json(resp, 201);
    lf_buf_puts(b, "{\"id\":");
    lf_server_jstr(b, t.uuid);
    lf_buf_puts(b, ",\"root\":");
    lf_server_jstr(b, r.name);
    lf_buf_printf(b, ",\"url\":\"/taxii2/%s/collections/%s/\",\"can_read\":\"%s\",\"can_write\":\"%s\","
                     "\"default_tlp\":\"%s\"}\n",
                  r.name, t.uuid, lf_taxii_access_name(t.read), lf_taxii_access_name(t.write),
                  lf_stix_tlp_name((lf_stix_tlp)t.default_tlp));
    return LF_OK;
}

int lf_api_taxii_routes(lf_server *s, lf_http *h, lf_err *err)
{
    int rc;
    if ((rc = lf_http_route(h, "GET", "/taxii2/{*rest}", taxii_handler, NULL, LF_HTTP_OWN_413, err)) ||
        (rc = lf_http_route(h, "POST", "/taxii2/{*rest}", taxii_handler, NULL, LF_HTTP_OWN_413 | LF_HTTP_SLOW, err)) ||
        (rc = lf_http_route(h, "DELETE", "/taxii2/{*rest}", taxii_handler, NULL, LF_HTTP_OWN_413, err)) ||
        (rc = lf_http_route(h, "GET", "/api/v1/isac/groups", group_list, NULL, 0, err)) ||
        (rc = lf_http_route(h, "POST", "/api/v1/isac/groups", group_create, NULL, 0, err)) ||
        (rc = lf_http_route(h, "POST", "/api/v1/isac/collections", coll_create, NULL, 0, err)))
        return rc;
    (void)s;
    return LF_OK;
}
