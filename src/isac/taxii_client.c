/*
 * taxii_client: TAXII 2.1 requests, pagination with a saved high-water mark, envelope
 * splitting and status polling (see taxii_client.h).
 */
#include "isac/taxii_client.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/file.h"
#include "feeds/fetch.h"

#ifndef LF_VERSION_STRING
#define LF_VERSION_STRING "0"
#endif

struct lf_taxii_client {
    lf_taxii_client_opts o;
    char *token, *user, *password;
    CURL *curl;
    char ua[64];
    uint64_t rng;
};

static void sleep_for(double s)
{
    if (!(s > 0))
        return;
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
        ;
}

static void wipe_free(char *s)
{
    if (!s)
        return;
    for (volatile char *p = s; *p; p++)
        *p = 0;
    free(s);
}

/* ---- libcurl transport ---- */

typedef struct xfer {
    lf_taxii_client_resp *resp;
    bool over;
    int oom;
} xfer;

static size_t on_body(char *p, size_t size, size_t nmemb, void *ud)
{
    xfer *x = ud;
    size_t n = size * nmemb;
    int rc = lf_buf_append(x->resp->body, p, n);
    if (rc) {
        if (rc == LF_ELIMIT)
            x->over = true;
        else
            x->oom = rc;
        return 0;
    }
    return n;
}

static void header_value(const char *line, size_t n, const char *name, char *out, size_t cap)
{
    size_t nl = strlen(name);
    if (n <= nl || strncasecmp(line, name, nl) || line[nl] != ':')
        return;
    const char *v = line + nl + 1, *e = line + n;
    while (v < e && (*v == ' ' || *v == '\t'))
        v++;
    while (e > v && (e[-1] == '\r' || e[-1] == '\n' || e[-1] == ' '))
        e--;
    if ((size_t)(e - v) < cap) {
        memcpy(out, v, (size_t)(e - v));
        out[e - v] = '\0';
    }
}

static size_t on_header(char *p, size_t size, size_t nmemb, void *ud)
{
    xfer *x = ud;
    size_t n = size * nmemb;
    if (n >= 5 && !memcmp(p, "HTTP/", 5))
        x->resp->added_first[0] = x->resp->added_last[0] = '\0';
    header_value(p, n, "X-TAXII-Date-Added-First", x->resp->added_first, sizeof x->resp->added_first);
    header_value(p, n, "X-TAXII-Date-Added-Last", x->resp->added_last, sizeof x->resp->added_last);
    return n;
}

static double jitter(lf_taxii_client *c)
{
    uint64_t x = c->rng;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    c->rng = x;
    return 0.5 + 0.5 * ((double)(x >> 11) / 9007199254740992.0);
}

static int curl_transport(lf_taxii_client *c, const lf_taxii_client_req *req, lf_taxii_client_resp *resp,
                          lf_err *err)
{
    char shown[1024];
    lf_fetch_url_for_log(req->url, shown, sizeof shown);
    char why[CURL_ERROR_SIZE + 32] = "";
    for (unsigned attempt = 1;; attempt++) {
        lf_buf_reset(resp->body);
        resp->added_first[0] = resp->added_last[0] = '\0';
        resp->status = 0;
        CURL *h = c->curl;
        curl_easy_reset(h);
        struct curl_slist *hdrs = NULL, *t;
        char line[2200];
        int rc = LF_OK;
        if (!(t = curl_slist_append(hdrs, "Accept: " LF_TAXII_CLIENT_MEDIA)))
            rc = LF_ENOMEM;
        else
            hdrs = t;
        if (!rc && req->body) {
            if (!(t = curl_slist_append(hdrs, "Content-Type: " LF_TAXII_CLIENT_MEDIA)))
                rc = LF_ENOMEM;
            else
                hdrs = t;
        }
        if (!rc && c->token) {
            snprintf(line, sizeof line, "Authorization: Bearer %s", c->token);
            if (!(t = curl_slist_append(hdrs, line)))
                rc = LF_ENOMEM;
            else
                hdrs = t;
            memset(line, 0, sizeof line);
        }
        if (rc) {
            curl_slist_free_all(hdrs);
            return lf_err_set(err, LF_ENOMEM, "out of memory");
        }
        xfer x = {resp, false, 0};
        char errbuf[CURL_ERROR_SIZE] = "";
        curl_easy_setopt(h, CURLOPT_URL, req->url);
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(h, CURLOPT_USERAGENT, c->ua);
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
        curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 30L);
        curl_easy_setopt(h, CURLOPT_TIMEOUT, c->o.timeout);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
        curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, &x);
        curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
        curl_easy_setopt(h, CURLOPT_HEADERDATA, &x);
        curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
        if (c->user) {
            curl_easy_setopt(h, CURLOPT_USERNAME, c->user);
            curl_easy_setopt(h, CURLOPT_PASSWORD, c->password ? c->password : "");
            curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
        }
        if (req->body) {
            curl_easy_setopt(h, CURLOPT_POST, 1L);
            curl_easy_setopt(h, CURLOPT_POSTFIELDS, req->body);
            curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
        }
        CURLcode cc = curl_easy_perform(h);
        curl_slist_free_all(hdrs);
        long status = 0;
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        if (x.oom)
            return lf_err_set(err, LF_ENOMEM, "out of memory");
        if (x.over) {
            lf_err_at(err, shown, 0, 0, NULL);
            return lf_err_set(err, LF_ELIMIT, "%s: the answer is larger than %zu bytes", req->method,
                              c->o.max_bytes);
        }
        bool again;
        if (cc != CURLE_OK) {
            snprintf(why, sizeof why, "%s", errbuf[0] ? errbuf : curl_easy_strerror(cc));
            again = cc == CURLE_COULDNT_CONNECT || cc == CURLE_OPERATION_TIMEDOUT || cc == CURLE_SEND_ERROR ||
                    cc == CURLE_RECV_ERROR || cc == CURLE_GOT_NOTHING || cc == CURLE_PARTIAL_FILE ||
                    cc == CURLE_COULDNT_RESOLVE_HOST || cc == CURLE_SSL_CONNECT_ERROR;
        } else {
            resp->status = status;
            again = status == 429 || (status >= 500 && status <= 599);
            if (!again)
                return LF_OK;
            snprintf(why, sizeof why, "HTTP %ld", status);
        }
        if (!again || attempt >= c->o.max_attempts) {
            if (cc == CURLE_OK)
                return LF_OK;   /* the caller reports the status with the server's words */
            lf_err_at(err, shown, 0, 0, NULL);
            return lf_err_set(err, LF_EIO, "%s: %s%s", req->method, why, attempt > 1 ? " (attempts used up)" : "");
        }
        double step = c->o.backoff_base;
        for (unsigned i = 1; i < attempt && step < 60; i++)
            step *= 2;
        if (step > 60)
            step = 60;
        double delay = step * jitter(c);
        curl_off_t ra = 0;
        if (status && curl_easy_getinfo(h, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK && ra > 0)
            delay = ra > 600 ? 600 : (double)ra;
        if (c->o.on_retry)
            c->o.on_retry(c->o.ud, shown, cc == CURLE_OK ? status : 0, delay);
        sleep_for(delay);
    }
}

static int transport(lf_taxii_client *c, const lf_taxii_client_req *req, lf_taxii_client_resp *resp, lf_err *err)
{
    if (c->o.transport)
        return c->o.transport(c->o.transport_ud, req, resp, err);
    return curl_transport(c, req, resp, err);
}

int lf_taxii_client_new(const lf_taxii_client_opts *o, lf_taxii_client **out, lf_err *err)
{
    *out = NULL;
    lf_taxii_client *c = calloc(1, sizeof *c);
    if (!c)
        return lf_err_set(err, LF_ENOMEM, "out of memory");
    if (o)
        c->o = *o;
    if (c->o.timeout <= 0)
        c->o.timeout = 120;
    if (!c->o.max_bytes)
        c->o.max_bytes = (size_t)256 << 20;
    if (!c->o.max_attempts)
        c->o.max_attempts = 5;
    if (!(c->o.backoff_base > 0))
        c->o.backoff_base = 1;
    if ((o && o->token && *o->token && !(c->token = strdup(o->token))) ||
        (o && o->user && *o->user && !(c->user = strdup(o->user))) ||
        (o && o->password && !(c->password = strdup(o->password))))
        goto oom;
    c->o.token = c->o.user = c->o.password = NULL;
    if (c->token && strpbrk(c->token, "\r\n")) {
        lf_taxii_client_free(c);
        return lf_err_set(err, LF_EINVAL, "the TAXII token has a line break");
    }
    snprintf(c->ua, sizeof c->ua, "lianfang/%s", LF_VERSION_STRING);
    c->rng = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32) ^ (uintptr_t)c;
    if (!c->rng)
        c->rng = 88172645463325252ULL;
    if (!c->o.transport && !(c->curl = curl_easy_init())) {
        lf_taxii_client_free(c);
        return lf_err_set(err, LF_EIO, "cannot start the HTTP client (curl_easy_init failed)");
    }
    *out = c;
    return LF_OK;
oom:
    lf_taxii_client_free(c);
    return lf_err_set(err, LF_ENOMEM, "out of memory");
}

void lf_taxii_client_free(lf_taxii_client *c)
{
    if (!c)
        return;
    if (c->curl)
        curl_easy_cleanup(c->curl);
    wipe_free(c->token);
    free(c->user);
    wipe_free(c->password);
    free(c);
}

/* ---- requests ---- */

static int status_error(const char *method, const char *url, long status, const lf_buf *body, lf_arena *a,
                        lf_err *err)
{
    char shown[1024];
    lf_fetch_url_for_log(url, shown, sizeof shown);
    const char *title = NULL, *desc = NULL;
    lf_json *doc = NULL;
    if (body->len && lf_json_parse(a, body->data, body->len, NULL, &doc, NULL) == LF_OK) {
        title = lf_json_get_str(doc, "title");
        desc = lf_json_get_str(doc, "description");
    }
    int code = status == 404 ? LF_ENOTFOUND : (status == 401 || status == 403) ? LF_EINVAL : LF_EIO;
    lf_err_set(err, code, "%s: HTTP %ld%s%.200s%s%.200s", method, status, title ? ": " : "", title ? title : "",
               desc ? " - " : "", desc ? desc : "");
    lf_err_at(err, shown, 0, 0, NULL);
    return code;
}

static int request_json(lf_taxii_client *c, const char *method, const char *url, const char *body, size_t blen,
                        lf_arena *a, const lf_json **doc, lf_taxii_client_resp *hdr, lf_err *err)
{
    lf_buf b;
    lf_buf_init(&b, c->o.max_bytes);
    lf_taxii_client_resp r;
    memset(&r, 0, sizeof r);
    r.body = &b;
    lf_taxii_client_req req = {method, url, body, blen};
    int rc = transport(c, &req, &r, err);
    if (rc)
        goto done;
    if (r.status < 200 || r.status > 299) {
        rc = status_error(method, url, r.status, &b, a, err);
        goto done;
    }
    lf_json *d = NULL;
    rc = lf_json_parse(a, b.data ? b.data : "", b.len, NULL, &d, err);
    if (rc) {
        char shown[1024];
        lf_fetch_url_for_log(url, shown, sizeof shown);
        lf_err_at(err, shown, err ? err->line : 0, err ? err->col : 0, NULL);
        goto done;
    }
    *doc = d;
    if (hdr) {
        memcpy(hdr->added_first, r.added_first, sizeof r.added_first);
        memcpy(hdr->added_last, r.added_last, sizeof r.added_last);
        hdr->status = r.status;
    }
done:
    lf_buf_clear(&b);
    return rc;
}

int lf_taxii_client_get(lf_taxii_client *c, const char *url, lf_arena *a, const lf_json **doc,
                        lf_taxii_client_resp *headers, lf_err *err)
{
    return request_json(c, "GET", url, NULL, 0, a, doc, headers, err);
}

/* Join a base URL and a relative or absolute reference as TAXII uses them. */
static void join_url(const char *base, const char *ref, char *out, size_t cap)
{
    if (strstr(ref, "://")) {
        snprintf(out, cap, "%s", ref);
    } else if (ref[0] == '/') {
        const char *s = strstr(base, "://");
        const char *host_end = s ? strchr(s + 3, '/') : NULL;
        int hn = host_end ? (int)(host_end - base) : (int)strlen(base);
        snprintf(out, cap, "%.*s%s", hn, base, ref);
    } else {
        size_t n = strlen(base);
        snprintf(out, cap, "%s%s%s", base, n && base[n - 1] == '/' ? "" : "/", ref);
    }
    size_t n = strlen(out);
    if (n && out[n - 1] != '/' && n + 1 < cap) {
        out[n] = '/';
        out[n + 1] = '\0';
    }
}

int lf_taxii_client_resolve(lf_taxii_client *c, const char *url, const char *collection,
                            lf_taxii_client_target *t, lf_err *err)
{
    memset(t, 0, sizeof *t);
    lf_arena a;
    lf_arena_init(&a, 0);
    char base[2048];
    join_url(url, "", base, sizeof base);
    const lf_json *doc = NULL;
    int rc = lf_taxii_client_get(c, base, &a, &doc, NULL, err);
    if (rc)
        goto done;
    if (lf_json_get(doc, "api_roots")) {
        /* a discovery resource: its default API root, else the first one */
        const char *root = lf_json_get_str(doc, "default");
        if (!root)
            root = lf_json_str(lf_json_at(lf_json_get(doc, "api_roots"), 0));
        if (!root) {
            rc = lf_err_set(err, LF_ENOTFOUND, "the discovery resource at %.200s lists no API root", base);
            goto done;
        }
        join_url(base, root, t->api_root, sizeof t->api_root);
        doc = NULL;
        if ((rc = lf_taxii_client_get(c, t->api_root, &a, &doc, NULL, err)))
            goto done;
    } else {
        snprintf(t->api_root, sizeof t->api_root, "%s", base);
    }
    double mcl = lf_json_num(lf_json_get(doc, "max_content_length"), 0);
    t->max_content_length = mcl > 0 && mcl < 1e15 ? (size_t)mcl : 0;
    char curl[2100];
    snprintf(curl, sizeof curl, "%scollections/", t->api_root);
    if ((rc = lf_taxii_client_get(c, curl, &a, &doc, NULL, err)))
        goto done;
    const lf_json *cols = lf_json_get(doc, "collections");
    for (size_t i = 0; i < lf_json_len(cols); i++) {
        const lf_json *col = lf_json_at(cols, i);
        const char *id = lf_json_get_str(col, "id"), *title = lf_json_get_str(col, "title"),
                   *alias = lf_json_get_str(col, "alias");
        if (!id || !(!strcmp(id, collection) || (alias && !strcmp(alias, collection)) ||
                     (title && !strcmp(title, collection))))
            continue;
        snprintf(t->collection_id, sizeof t->collection_id, "%s", id);
        snprintf(t->collection_url, sizeof t->collection_url, "%scollections/%s/", t->api_root, id);
        t->can_read = lf_json_bool(lf_json_get(col, "can_read"), false);
        t->can_write = lf_json_bool(lf_json_get(col, "can_write"), false);
        goto done;
    }
    rc = lf_err_set(err, LF_ENOTFOUND, "no collection '%.100s' (id, alias or title) at %.200s", collection,
                    t->api_root);
done:
    lf_arena_clear(&a);
    return rc;
}

/* ---- pull ---- */

static void put_enc(lf_buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' ||
            ch == '.' || ch == '_' || ch == '~') {
            lf_buf_putc(b, (char)ch);
        } else {
            char e[3] = {'%', hex[ch >> 4], hex[ch & 15]};
            lf_buf_append(b, e, 3);
        }
    }
}

static void safe_name(const char *s, size_t n, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < cap; i++) {
        char ch = s[i];
        out[k++] = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' ||
                           ch == '.'
                       ? ch
                       : '_';
    }
    out[k] = '\0';
}

void lf_taxii_url_redact(const char *url, char *out, size_t cap)
{
    const char *h = strstr(url, "://");
    const char *auth = h ? h + 3 : url;
    size_t an = strcspn(auth, "/?#");
    const char *at = NULL;
    for (size_t i = 0; i < an; i++)
        if (auth[i] == '@')
            at = auth + i;
    if (!at) {
        snprintf(out, cap, "%s", url);
        return;
    }
    snprintf(out, cap, "%.*s%s", (int)(auth - url), url, at + 1);
}

void lf_taxii_client_state_path(const char *data_dir, const char *url, const char *collection, char *out,
                                size_t cap)
{
    const char *h = strstr(url, "://");
    h = h ? h + 3 : url;
    const char *at = NULL;
    size_t hn = strcspn(h, "/?#");
    for (size_t i = 0; i < hn; i++)
        if (h[i] == '@')
            at = h + i;
    if (at) {
        hn -= (size_t)(at + 1 - h);
        h = at + 1;
    }
    char host[300], col[200];
    safe_name(h, hn, host, sizeof host);
    safe_name(collection, strlen(collection), col, sizeof col);
    snprintf(out, cap, "%s/isac/state-%s-%s.json", data_dir, host, col);
}

static int save_state(const char *path, const lf_taxii_client_target *t, const char *mark, lf_err *err)
{
    lf_buf b;
    lf_buf_init(&b, 0);
    char root[sizeof t->api_root];
    lf_taxii_url_redact(t->api_root, root, sizeof root);
    lf_buf_puts(&b, "{\"url\":");
    lf_json_write_str(&b, root, strlen(root));
    lf_buf_puts(&b, ",\"collection\":");
    lf_json_write_str(&b, t->collection_id, strlen(t->collection_id));
    lf_buf_puts(&b, ",\"added_after\":");
    lf_json_write_str(&b, mark, strlen(mark));
    int rc = lf_buf_puts(&b, "}\n");
    if (!rc)
        rc = lf_fetch_save_file(path, b.data, b.len, err);
    else
        lf_err_set(err, rc, "out of memory");
    lf_buf_clear(&b);
    return rc;
}

static int load_state(const char *path, char *mark, size_t cap, lf_err *err)
{
    mark[0] = '\0';
    if (!lf_file_exists(path))
        return LF_OK;
    char *text = NULL;
    size_t len = 0;
    int rc = lf_file_read(path, 1 << 20, &text, &len, err);
    if (rc)
        return rc;
    lf_arena a;
    lf_arena_init(&a, 0);
    lf_json *doc = NULL;
    rc = lf_json_parse(&a, text, len, NULL, &doc, err);
    if (!rc) {
        const char *m = lf_json_get_str(doc, "added_after");
        if (m && strlen(m) < cap)
            snprintf(mark, cap, "%s", m);
    } else {
        lf_err_at(err, path, err ? err->line : 0, err ? err->col : 0, NULL);
    }
    lf_arena_clear(&a);
    free(text);
    return rc;
}

int lf_taxii_client_pull(lf_taxii_client *c, const lf_taxii_client_pull_opts *o, lf_taxii_client_pull_report *r,
                         lf_err *err)
{
    memset(r, 0, sizeof *r);
    char mark[64] = "";
    int rc = LF_OK;
    if (o->state_path && (rc = load_state(o->state_path, mark, sizeof mark, err)))
        return rc;
    if (o->added_after)
        snprintf(mark, sizeof mark, "%s", o->added_after);
    snprintf(r->added_after, sizeof r->added_after, "%s", mark);
    unsigned limit = o->limit ? o->limit : 1000;
    size_t max_pages = o->max_pages ? o->max_pages : 1000000;
    char query_after[64];   /* added_after of the query a `next` token belongs to */
    snprintf(query_after, sizeof query_after, "%s", mark);
    char next[512] = "";
    lf_arena a;
    lf_arena_init(&a, 0);
    lf_buf url;
    lf_buf_init(&url, 0);
    for (size_t page = 0; page < max_pages; page++) {
        lf_arena_reset(&a);
        lf_buf_reset(&url);
        lf_buf_printf(&url, "%sobjects/?limit=%u", o->target->collection_url, limit);
        if (query_after[0]) {
            lf_buf_puts(&url, "&added_after=");
            put_enc(&url, query_after);
        }
        if (next[0]) {
            lf_buf_puts(&url, "&next=");
            put_enc(&url, next);
        }
        if (!url.data) {
            rc = lf_err_set(err, LF_ENOMEM, "out of memory");
            break;
        }
        const lf_json *env = NULL;
        lf_taxii_client_resp h;
        memset(&h, 0, sizeof h);
        if ((rc = lf_taxii_client_get(c, url.data, &a, &env, &h, err)))
            break;
        const lf_json *objs = lf_json_get(env, "objects");
        size_t n = lf_json_len(objs);
        if (n) {
            r->pages++;
            r->objects += n;
            if (o->on_page && (rc = o->on_page(o->ud, env, objs, r->pages, err)))
                break;
        }
        if (h.added_last[0]) {
            snprintf(mark, sizeof mark, "%s", h.added_last);
            if (o->state_path && (rc = save_state(o->state_path, o->target, mark, err)))
                break;
        } else if (n) {
            r->no_header = true;
        }
        const char *nx = lf_json_get_str(env, "next");
        bool more = lf_json_bool(lf_json_get(env, "more"), false);
        if (!more || !n)
            break;
        if (nx && *nx && strlen(nx) < sizeof next) {
            snprintf(next, sizeof next, "%s", nx);
        } else if (h.added_last[0]) {
            /* a server without `next`: page on by added_after */
            next[0] = '\0';
            snprintf(query_after, sizeof query_after, "%s", mark);
        } else {
            break;   /* neither next nor a date header: cannot page on without looping */
        }
    }
    snprintf(r->mark, sizeof r->mark, "%s", mark);
    lf_buf_clear(&url);
    lf_arena_clear(&a);
    return rc;
}

/* ---- push ---- */

int lf_taxii_client_json_write(lf_buf *out, const lf_json *v)
{
    int rc = LF_OK;
    switch (v->type) {
    case LF_JSON_NULL: return lf_buf_puts(out, "null");
    case LF_JSON_FALSE: return lf_buf_puts(out, "false");
    case LF_JSON_TRUE: return lf_buf_puts(out, "true");
    case LF_JSON_NUMBER: return lf_buf_append(out, v->u.str, v->n);
    case LF_JSON_STRING: return lf_json_write_str(out, v->u.str, v->n);
    case LF_JSON_ARRAY:
        rc = lf_buf_putc(out, '[');
        for (uint32_t i = 0; !rc && i < v->n; i++) {
            if (i)
                rc = lf_buf_putc(out, ',');
            if (!rc)
                rc = lf_taxii_client_json_write(out, &v->u.items[i]);
        }
        return rc ? rc : lf_buf_putc(out, ']');
    case LF_JSON_OBJECT:
        rc = lf_buf_putc(out, '{');
        for (uint32_t i = 0; !rc && i < v->n; i++) {
            if (i)
                rc = lf_buf_putc(out, ',');
            if (!rc)
                rc = lf_json_write_str(out, v->u.members[i].key, v->u.members[i].klen);
            if (!rc)
                rc = lf_buf_putc(out, ':');
            if (!rc)
                rc = lf_taxii_client_json_write(out, &v->u.members[i].val);
        }
        return rc ? rc : lf_buf_putc(out, '}');
    }
    return LF_EINVAL;
}

static void add_status(lf_taxii_client_push_report *r, const lf_json *st)
{
    r->total += (size_t)lf_json_num(lf_json_get(st, "total_count"), 0);
    r->success += (size_t)lf_json_num(lf_json_get(st, "success_count"), 0);
    r->failure += (size_t)lf_json_num(lf_json_get(st, "failure_count"), 0);
    r->pending += (size_t)lf_json_num(lf_json_get(st, "pending_count"), 0);
    const lf_json *f = lf_json_at(lf_json_get(st, "failures"), 0);
    if (f && !r->first_failure[0]) {
        const char *id = lf_json_get_str(f, "id"), *msg = lf_json_get_str(f, "message");
        snprintf(r->first_failure, sizeof r->first_failure, "%.200s: %.280s", id ? id : "?", msg ? msg : "failed");
    }
}

static int post_envelope(lf_taxii_client *c, const lf_taxii_client_target *t, lf_buf *env, double status_wait,
                         lf_taxii_client_push_report *r, lf_err *err)
{
    lf_arena a;
    lf_arena_init(&a, 0);
    char url[2500];
    snprintf(url, sizeof url, "%sobjects/", t->collection_url);
    const lf_json *st = NULL;
    int rc = request_json(c, "POST", url, env->data, env->len, &a, &st, NULL, err);
    if (rc)
        goto done;
    r->envelopes++;
    const char *id = lf_json_get_str(st, "id"), *status = lf_json_get_str(st, "status");
    double until = lf_clock_mono() + status_wait;
    while (id && status && !strcmp(status, "pending") && lf_clock_mono() < until) {
        sleep_for(0.5);
        char surl[2300];
        snprintf(surl, sizeof surl, "%sstatus/%s/", t->api_root, id);
        const lf_json *s2 = NULL;
        if ((rc = lf_taxii_client_get(c, surl, &a, &s2, NULL, err)))
            goto done;
        st = s2;
        status = lf_json_get_str(st, "status");
    }
    add_status(r, st);
done:
    lf_arena_clear(&a);
    return rc;
}

int lf_taxii_client_push(lf_taxii_client *c, const lf_taxii_client_target *t, const lf_json *const *objs, size_t n,
                         size_t max_bytes, double status_wait, lf_taxii_client_push_report *r, lf_err *err)
{
    memset(r, 0, sizeof *r);
    size_t cap = t->max_content_length;
    if (max_bytes && (!cap || max_bytes < cap))
        cap = max_bytes;
    lf_buf env, one;
    lf_buf_init(&env, 0);
    lf_buf_init(&one, 0);
    int rc = LF_OK;
    size_t in_env = 0;
    static const char head[] = "{\"objects\":[", tail[] = "]}";
    for (size_t i = 0; i <= n; i++) {
        if (i < n) {
            lf_buf_reset(&one);
            if ((rc = lf_taxii_client_json_write(&one, objs[i]))) {
                lf_err_set(err, rc, "out of memory");
                goto done;
            }
            if (cap && one.len + sizeof head + sizeof tail > cap) {
                r->too_large++;
                continue;
            }
        }
        /* flush when this object would not fit, or at the end */
        bool flush = in_env && (i == n || (cap && env.len + 1 + one.len + sizeof tail > cap));
        if (flush) {
            if ((rc = lf_buf_puts(&env, tail)) ||
                (rc = post_envelope(c, t, &env, status_wait, r, err)))
                goto done;
            lf_buf_reset(&env);
            in_env = 0;
        }
        if (i == n)
            break;
        if ((rc = in_env ? lf_buf_putc(&env, ',') : lf_buf_puts(&env, head)) ||
            (rc = lf_buf_append(&env, one.data, one.len))) {
            lf_err_set(err, rc, "out of memory");
            goto done;
        }
        in_env++;
    }
done:
    lf_buf_clear(&env);
    lf_buf_clear(&one);
    return rc;
}
