/*
 * http: the HTTP server layer on libmicrohttpd (see http.h).
 *
 * Layout of this file: small helpers (decoding, tokens), the router, metrics, requests and
 * responses, the dispatch pipeline shared by the server and lf_http_dispatch, the built-in
 * /healthz and /metrics, the libmicrohttpd glue, static files.
 *
 * libmicrohttpd calls the access handler several times per request: first with the
 * headers (we route, check limits and may answer at once), then once per chunk of body
 * (consumed into memory or a temporary file), then once with no data (we run the handler
 * and queue the response). Its own URL unescaping is switched off so the router sees the
 * raw path: a "%2F" inside a parameter must not become a segment separator, and static
 * files must check the decoded path themselves.
 */
#include "http/http.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "core/clock.h"
#include "core/file.h"
#include "core/json.h"

#define DEFAULT_TYPE "application/json; charset=utf-8"
#define MAX_SEGMENTS 64
#define MAX_PARAMS 16
#define MAX_QUERY 256
#define MAX_HEADERS 256
#define MAX_RESP_BODY ((size_t)256 << 20)
/* After a body passes its limit (or while an error waits for the end of the body) we
 * keep reading and dropping up to the limit plus this much, so the
 * client can be told why; a client that goes on sending past it is disconnected. */
#define DISCARD_MAX ((size_t)4 << 20)
#define STATUS_MIN 100
#define STATUS_MAX 599
#define NBUCKETS 9

/* Latency histogram upper bounds in milliseconds (the +Inf bucket follows). */
static const unsigned bucket_ms[NBUCKETS] = {1, 5, 10, 25, 50, 100, 250, 500, 1000};

/* ---- small helpers ---- */

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* RFC 3629 well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
static bool utf8_valid(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t len;
        unsigned lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF)
            len = 2;
        else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            if (c == 0xE0)
                lo = 0xA0;
            if (c == 0xED)
                hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            if (c == 0xF0)
                lo = 0x90;
            if (c == 0xF4)
                hi = 0x8F;
        } else
            return false;
        if (n - i < len)
            return false;
        if (s[i + 1] < lo || s[i + 1] > hi)
            return false;
        for (size_t k = 2; k < len; k++)
            if (s[i + k] < 0x80 || s[i + k] > 0xBF)
                return false;
        i += len;
    }
    return true;
}

int lf_http_decode(const char *s, size_t n, bool plus_space, char *out, size_t cap, size_t *outlen)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '%' && i + 2 < n && hexval((unsigned char)s[i + 1]) >= 0 && hexval((unsigned char)s[i + 2]) >= 0) {
            c = (char)(hexval((unsigned char)s[i + 1]) * 16 + hexval((unsigned char)s[i + 2]));
            i += 2;
            if (c == '\0')
                return LF_EPARSE;   /* C strings downstream: a NUL would truncate silently */
        } else if (c == '+' && plus_space) {
            c = ' ';
        } else if (c == '\0') {
            return LF_EPARSE;
        }
        if (o + 1 >= cap)
            return LF_ELIMIT;
        out[o++] = c;
    }
    if (o >= cap)
        return LF_ELIMIT;
    out[o] = '\0';
    if (outlen)
        *outlen = o;
    return utf8_valid((const unsigned char *)out, o) ? LF_OK : LF_EPARSE;
}

/* Decode into the arena; NULL on error (*rc says which). */
static char *decode_dup(lf_arena *a, const char *s, size_t n, bool plus, int *rc)
{
    char *out = lf_arena_alloc(a, n + 1);
    if (!out) {
        *rc = LF_ENOMEM;
        return NULL;
    }
    *rc = lf_http_decode(s, n, plus, out, n + 1, NULL);
    return *rc ? NULL : out;
}

/* RFC 9110 section 5.6.2 token. */
static bool is_tchar(unsigned char c)
{
    return isalnum(c) || (c && strchr("!#$%&'*+-.^_`|~", c));
}

static bool is_token(const char *s)
{
    if (!s || !*s)
        return false;
    for (; *s; s++)
        if (!is_tchar((unsigned char)*s))
            return false;
    return true;
}

/* ---- key/value lists in an arena ---- */

typedef struct kv {
    const char *k, *v;
} kv;

typedef struct kvlist {
    kv *items;
    size_t n, cap;
} kvlist;

static int kv_add(kvlist *l, lf_arena *a, const char *k, const char *v)
{
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 8;
        kv *ni = lf_arena_alloc(a, nc * sizeof *ni);
        if (!ni)
            return LF_ENOMEM;
        if (l->n)
            memcpy(ni, l->items, l->n * sizeof *ni);
        l->items = ni;
        l->cap = nc;
    }
    l->items[l->n].k = k;
    l->items[l->n].v = v;
    l->n++;
    return LF_OK;
}

static const char *kv_get(const kvlist *l, const char *k, bool icase, size_t nth)
{
    for (size_t i = 0; i < l->n; i++) {
        if (!l->items[i].k)
            continue;
        if (icase ? strcasecmp(l->items[i].k, k) : strcmp(l->items[i].k, k))
            continue;
        if (nth-- == 0)
            return l->items[i].v;
    }
    return NULL;
}

/* ---- routes ---- */

enum { SEG_LIT = 0, SEG_PARAM = 1, SEG_REST = 2 };

typedef struct seg {
    int kind;
    char *s;      /* literal text or parameter name */
} seg;

typedef struct route_stats {
    _Atomic uint_least64_t status[STATUS_MAX - STATUS_MIN + 1];
    _Atomic uint_least64_t bucket[NBUCKETS + 1];   /* not cumulative; last is +Inf */
    _Atomic uint_least64_t sum_us;
} route_stats;

typedef struct route {
    char method[16];
    char *pattern;
    seg segs[MAX_SEGMENTS];
    size_t nsegs;
    lf_http_handler fn;
    void *ud;
    unsigned flags;
    route_stats stats;
} route;

struct lf_http {
    lf_http_opts o;
    char *listen, *tmp_dir, *cert_file, *key_file;   /* owned copies of the opts' strings */
    struct sockaddr_storage addr;
    bool ipv6;
    route **routes;
    size_t nroutes, cap;
    route *unmatched;             /* stats of requests that reached no route */
    size_t max_body, max_upload;
    struct MHD_Daemon *d;
    MHD_socket quiesced;
    char *tls_cert, *tls_key;     /* PEM text, must live as long as the daemon */
    bool tls;
    unsigned port;
    atomic_long inflight;
    atomic_bool stopping;
    atomic_uint_least64_t seq;
    char id_prefix[12];
    time_t started;
    /* LF_HTTP_SLOW handlers (pool mode): a queue of suspended requests and its workers */
    pthread_t *slow;
    unsigned nslow;
    lf_http_req *slow_head, *slow_tail;
    bool slow_stop;
    pthread_mutex_t slow_mu;
    pthread_cond_t slow_cv;
};

static void stats_init(route_stats *s)
{
    for (size_t i = 0; i < sizeof s->status / sizeof s->status[0]; i++)
        atomic_init(&s->status[i], 0);
    for (size_t i = 0; i <= NBUCKETS; i++)
        atomic_init(&s->bucket[i], 0);
    atomic_init(&s->sum_us, 0);
}

static void stats_record(route_stats *s, int status, double seconds)
{
    if (status >= STATUS_MIN && status <= STATUS_MAX)
        atomic_fetch_add_explicit(&s->status[status - STATUS_MIN], 1, memory_order_relaxed);
    double ms = seconds * 1000.0;
    size_t b = 0;
    while (b < NBUCKETS && ms > bucket_ms[b])
        b++;
    atomic_fetch_add_explicit(&s->bucket[b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&s->sum_us, (uint_least64_t)(seconds * 1e6 + 0.5), memory_order_relaxed);
}

static void route_free(route *r)
{
    if (!r)
        return;
    free(r->pattern);
    for (size_t i = 0; i < r->nsegs; i++)
        free(r->segs[i].s);
    free(r);
}

/* Parse "/a/{id}/{*rest}" into r->segs. */
static int parse_pattern(route *r, const char *p, lf_err *err)
{
    if (p[0] != '/')
        return lf_err_set(err, LF_EINVAL, "route pattern '%s' does not start with '/'", p);
    if (!strcmp(p, "/")) {
        r->segs[0].kind = SEG_LIT;
        r->segs[0].s = strdup("");
        r->nsegs = 1;
        return r->segs[0].s ? LF_OK : lf_err_set(err, LF_ENOMEM, "out of memory");
    }
    const char *s = p + 1;
    for (;;) {
        const char *e = strchr(s, '/');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (r->nsegs == MAX_SEGMENTS)
            return lf_err_set(err, LF_EINVAL, "route pattern '%s' has more than %d segments", p, MAX_SEGMENTS);
        if (n == 0)
            return lf_err_set(err, LF_EINVAL, "route pattern '%s' has an empty segment", p);
        if (r->nsegs && r->segs[r->nsegs - 1].kind == SEG_REST)
            return lf_err_set(err, LF_EINVAL, "route pattern '%s': {*rest} must be the last segment", p);
        seg *g = &r->segs[r->nsegs];
        if (s[0] == '{') {
            if (s[n - 1] != '}' || n < 3)
                return lf_err_set(err, LF_EINVAL, "route pattern '%s': malformed parameter", p);
            g->kind = SEG_PARAM;
            const char *nm = s + 1;
            size_t nn = n - 2;
            if (nm[0] == '*') {
                g->kind = SEG_REST;
                nm++;
                nn--;
            }
            if (!nn)
                return lf_err_set(err, LF_EINVAL, "route pattern '%s': parameter without a name", p);
            for (size_t i = 0; i < nn; i++)
                if (!isalnum((unsigned char)nm[i]) && nm[i] != '_')
                    return lf_err_set(err, LF_EINVAL, "route pattern '%s': bad parameter name", p);
            g->s = strndup(nm, nn);
            for (size_t i = 0; g->s && i < r->nsegs; i++)
                if (r->segs[i].kind != SEG_LIT && !strcmp(r->segs[i].s, g->s)) {
                    r->nsegs++;   /* so route_free frees it */
                    return lf_err_set(err, LF_EINVAL, "route pattern '%s': parameter '%s' twice", p, g->s);
                }
        } else {
            for (size_t i = 0; i < n; i++)
                if (s[i] == '{' || s[i] == '}' || s[i] == '%' || s[i] == '?' || (unsigned char)s[i] <= 0x20)
                    return lf_err_set(err, LF_EINVAL, "route pattern '%s': bad character in a literal segment", p);
            g->kind = SEG_LIT;
            g->s = strndup(s, n);
        }
        if (!g->s)
            return lf_err_set(err, LF_ENOMEM, "out of memory");
        r->nsegs++;
        if (!e)
            break;
        s = e + 1;
    }
    return LF_OK;
}

/* Same shape: same literals and parameter positions (names aside). */
static bool same_shape(const route *a, const route *b)
{
    if (a->nsegs != b->nsegs)
        return false;
    for (size_t i = 0; i < a->nsegs; i++) {
        if (a->segs[i].kind != b->segs[i].kind)
            return false;
        if (a->segs[i].kind == SEG_LIT && strcmp(a->segs[i].s, b->segs[i].s))
            return false;
    }
    return true;
}

int lf_http_route(lf_http *h, const char *method, const char *pattern, lf_http_handler fn, void *route_ud,
                  unsigned flags, lf_err *err)
{
    if (!h || !method || !pattern || !fn)
        return lf_err_set(err, LF_EINVAL, "lf_http_route: missing argument");
    if (h->d)
        return lf_err_set(err, LF_EINVAL, "route %s %s added after the server started", method, pattern);
    if (!is_token(method) || strlen(method) >= 16 || !strcmp(method, "HEAD") || !strcmp(method, "OPTIONS"))
        return lf_err_set(err, LF_EINVAL, "route method '%s' is not a request method a route can take", method);
    route *r = calloc(1, sizeof *r);
    if (!r)
        return lf_err_set(err, LF_ENOMEM, "out of memory");
    stats_init(&r->stats);
    snprintf(r->method, sizeof r->method, "%s", method);
    r->fn = fn;
    r->ud = route_ud;
    r->flags = flags;
    int rc = parse_pattern(r, pattern, err);
    if (rc)
        goto fail;
    r->pattern = strdup(pattern);
    if (!r->pattern) {
        rc = lf_err_set(err, LF_ENOMEM, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < h->nroutes; i++)
        if (!strcmp(h->routes[i]->method, method) && same_shape(h->routes[i], r)) {
            rc = lf_err_set(err, LF_EEXIST, "route %s %s clashes with %s", method, pattern, h->routes[i]->pattern);
            goto fail;
        }
    if (h->nroutes == h->cap) {
        size_t nc = h->cap ? h->cap * 2 : 16;
        route **nr = realloc(h->routes, nc * sizeof *nr);
        if (!nr) {
            rc = lf_err_set(err, LF_ENOMEM, "out of memory");
            goto fail;
        }
        h->routes = nr;
        h->cap = nc;
    }
    h->routes[h->nroutes++] = r;
    return LF_OK;
fail:
    route_free(r);
    return rc;
}

/* A path split into raw segments ("/" is one empty segment). */
typedef struct pathsegs {
    const char *raw[MAX_SEGMENTS];
    size_t len[MAX_SEGMENTS];
    char *dec[MAX_SEGMENTS];      /* decoded, in the request arena */
    size_t n;
} pathsegs;

/* Does r match? Fills params (decoded) into req's param list on success when fill. */
static bool route_matches(const route *r, const pathsegs *ps)
{
    size_t i = 0;
    for (; i < r->nsegs; i++) {
        const seg *g = &r->segs[i];
        if (g->kind == SEG_REST)
            return true;
        if (i >= ps->n)
            return false;
        if (g->kind == SEG_LIT) {
            if (strcmp(g->s, ps->dec[i]))
                return false;
        } else if (!ps->dec[i][0]) {
            return false;
        }
    }
    return i == ps->n;
}

/* Is a more specific than b (both match the same path)? */
static bool more_specific(const route *a, const route *b)
{
    for (size_t i = 0; i < a->nsegs && i < b->nsegs; i++)
        if (a->segs[i].kind != b->segs[i].kind)
            return a->segs[i].kind < b->segs[i].kind;
    return a->nsegs > b->nsegs;
}

/* ---- requests and responses ---- */

struct lf_http_resp {
    int status;
    char *type;                  /* in arena; NULL = DEFAULT_TYPE */
    lf_buf body;
    kvlist headers;
    lf_arena a;
    char request_id[72];
    bool secure;                 /* cookies get Secure */
};

struct lf_http_req {
    lf_http *h;
    lf_arena a;
    char method[24];
    bool head, options;
    char *path;                  /* raw */
    kvlist query, headers, cookies, params;
    route *route;                /* non-const: its counters are updated */
    route_stats *stats;
    char client[INET6_ADDRSTRLEN + 4];
    char id[72];
    bool tls;
    lf_buf body;
    int fd;                      /* LF_HTTP_BODY_FILE: temporary file while receiving */
    char *file;                  /* its path */
    bool file_taken;
    size_t body_seen;            /* bytes of body received */
    size_t limit;                /* body limit of the route */
    bool too_large, io_error;
    size_t discarded;
    int early;                   /* answer decided before the handler: 400, 404, 405, 413, 500 */
    const char *early_code;
    char early_msg[200];
    char allow[128];             /* for 405 and OPTIONS */
    double t0;
    /* libmicrohttpd glue */
    lf_http_resp resp;
    struct MHD_Connection *conn; /* LF_HTTP_SLOW: suspended while a worker handles it */
    lf_http_req *slow_next;      /* in the workers' queue */
    bool processed;              /* the response is built (by a worker): only queue it */
    bool responded;
    int status;                  /* sent, for metrics and the log */
    size_t bytes_out;
};

static void resp_init(lf_http_resp *r)
{
    memset(r, 0, sizeof *r);
    r->status = 200;
    lf_buf_init(&r->body, MAX_RESP_BODY);
    lf_arena_init(&r->a, 2048);
}

static void resp_clear(lf_http_resp *r)
{
    lf_buf_clear(&r->body);
    lf_arena_clear(&r->a);
}

/* Back to a fresh 200 with no body and no headers (a failed handler's output is dropped). */
static void resp_reset(lf_http_resp *r)
{
    char id[72];
    bool secure = r->secure;
    memcpy(id, r->request_id, sizeof id);
    resp_clear(r);
    resp_init(r);
    memcpy(r->request_id, id, sizeof id);
    r->secure = secure;
}

int lf_http_resp_new(lf_http_resp **out)
{
    lf_http_resp *r = malloc(sizeof *r);
    *out = r;
    if (!r)
        return LF_ENOMEM;
    resp_init(r);
    return LF_OK;
}

void lf_http_resp_free(lf_http_resp *r)
{
    if (!r)
        return;
    resp_clear(r);
    free(r);
}

static lf_http_req *req_alloc(void)
{
    lf_http_req *q = calloc(1, sizeof *q);
    if (!q)
        return NULL;
    lf_arena_init(&q->a, 8192);
    lf_buf_init(&q->body, 0);
    q->fd = -1;
    resp_init(&q->resp);
    return q;
}

static void req_release(lf_http_req *q)
{
    if (q->fd >= 0)
        close(q->fd);
    q->fd = -1;
    if (q->file && !q->file_taken)
        unlink(q->file);
    q->file = NULL;
}

void lf_http_req_free(lf_http_req *q)
{
    if (!q)
        return;
    req_release(q);
    lf_buf_clear(&q->body);
    resp_clear(&q->resp);
    lf_arena_clear(&q->a);
    free(q);
}

static int parse_cookie_header(lf_http_req *q, const char *s);

static void set_method(lf_http_req *q, const char *m)
{
    q->head = !strcmp(m, "HEAD");
    q->options = !strcmp(m, "OPTIONS");
    snprintf(q->method, sizeof q->method, "%s", q->head ? "GET" : m);
}

static void set_early(lf_http_req *q, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void set_early(lf_http_req *q, int status, const char *code, const char *fmt, ...)
{
    if (q->early)
        return;
    q->early = status;
    q->early_code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(q->early_msg, sizeof q->early_msg, fmt, ap);
    va_end(ap);
}

/* Add a raw "k=v" query pair, decoding both (form rules: '+' is a space). */
static void query_add_raw(lf_http_req *q, const char *k, size_t kn, const char *v, size_t vn, bool has_v)
{
    if (q->query.n >= MAX_QUERY) {
        set_early(q, 400, "bad_request", "more than %d query parameters", MAX_QUERY);
        return;
    }
    int rc = LF_OK;
    char *dk = decode_dup(&q->a, k, kn, true, &rc), *dv = NULL;
    if (dk)
        dv = has_v ? decode_dup(&q->a, v, vn, true, &rc) : lf_arena_strdup(&q->a, "");
    if (dk && !dv && rc == LF_OK)
        rc = LF_ENOMEM;
    if (rc == LF_OK && kv_add(&q->query, &q->a, dk, dv))
        rc = LF_ENOMEM;
    if (rc == LF_ENOMEM)
        set_early(q, 500, "internal", "out of memory");
    else if (rc)
        set_early(q, 400, "bad_request", "query parameter is not valid percent-encoded UTF-8");
}

static void parse_query(lf_http_req *q, const char *s)
{
    while (*s) {
        const char *amp = strchr(s, '&');
        size_t n = amp ? (size_t)(amp - s) : strlen(s);
        const char *eq = memchr(s, '=', n);
        if (n)
            query_add_raw(q, s, eq ? (size_t)(eq - s) : n, eq ? eq + 1 : NULL, eq ? n - (size_t)(eq - s) - 1 : 0,
                          eq != NULL);
        if (!amp)
            break;
        s = amp + 1;
    }
}

int lf_http_req_new(const char *method, const char *target, lf_http_req **out, lf_err *err)
{
    *out = NULL;
    if (!method || !target || target[0] != '/')
        return lf_err_set(err, LF_EPARSE, "request target must start with '/'");
    lf_http_req *q = req_alloc();
    if (!q)
        return lf_err_set(err, LF_ENOMEM, "out of memory");
    set_method(q, method);
    size_t pn = strcspn(target, "?#");
    q->path = lf_arena_strndup(&q->a, target, pn);
    if (!q->path) {
        lf_http_req_free(q);
        return lf_err_set(err, LF_ENOMEM, "out of memory");
    }
    if (target[pn] == '?') {
        size_t qn = strcspn(target + pn + 1, "#");
        char *qs = lf_arena_strndup(&q->a, target + pn + 1, qn);
        if (qs)
            parse_query(q, qs);
        else
            set_early(q, 500, "internal", "out of memory");
    }
    snprintf(q->client, sizeof q->client, "127.0.0.1");
    q->t0 = lf_clock_mono();
    *out = q;
    return LF_OK;
}

int lf_http_req_add_header(lf_http_req *q, const char *name, const char *value)
{
    char *k = lf_arena_strdup(&q->a, name), *v = lf_arena_strdup(&q->a, value ? value : "");
    if (!k || !v || kv_add(&q->headers, &q->a, k, v))
        return LF_ENOMEM;
    return strcasecmp(k, "Cookie") ? LF_OK : parse_cookie_header(q, v);
}

int lf_http_req_set_body(lf_http_req *q, const void *data, size_t len)
{
    lf_buf_reset(&q->body);
    q->body_seen = len;
    return lf_buf_append(&q->body, data, len);
}

void lf_http_req_set_client(lf_http_req *q, const char *addr)
{
    snprintf(q->client, sizeof q->client, "%s", addr ? addr : "");
}

const char *lf_http_req_method(const lf_http_req *q) { return q->method; }
bool lf_http_req_is_head(const lf_http_req *q) { return q->head; }
const char *lf_http_req_path(const lf_http_req *q) { return q->path; }
const char *lf_http_req_route(const lf_http_req *q) { return q->route ? q->route->pattern : NULL; }
void *lf_http_req_route_ud(const lf_http_req *q) { return q->route ? q->route->ud : NULL; }
const char *lf_http_req_param(const lf_http_req *q, const char *name) { return kv_get(&q->params, name, false, 0); }
const char *lf_http_req_query(const lf_http_req *q, const char *name) { return kv_get(&q->query, name, false, 0); }
const char *lf_http_req_client(const lf_http_req *q) { return q->client; }
const char *lf_http_req_id(const lf_http_req *q) { return q->id; }
bool lf_http_req_tls(const lf_http_req *q) { return q->tls; }
lf_arena *lf_http_req_arena(lf_http_req *q) { return &q->a; }
size_t lf_http_req_query_count(const lf_http_req *q) { return q->query.n; }

const char *lf_http_req_query_nth(const lf_http_req *q, const char *name, size_t n)
{
    return kv_get(&q->query, name, false, n);
}

bool lf_http_req_query_at(const lf_http_req *q, size_t i, const char **name, const char **value)
{
    if (i >= q->query.n)
        return false;
    *name = q->query.items[i].k;
    *value = q->query.items[i].v;
    return true;
}

int lf_http_req_query_long(const lf_http_req *q, const char *name, long def, long min, long max, long *out)
{
    const char *v = lf_http_req_query(q, name);
    if (!v) {
        *out = def;
        return LF_OK;
    }
    if (!isdigit((unsigned char)v[0]) && !(v[0] == '-' && isdigit((unsigned char)v[1])))
        return LF_EPARSE;
    errno = 0;
    char *e;
    long x = strtol(v, &e, 10);
    if (*e)
        return LF_EPARSE;
    if (errno == ERANGE || x < min || x > max)
        return LF_ERANGE;
    *out = x;
    return LF_OK;
}

const char *lf_http_req_header(const lf_http_req *q, const char *name)
{
    return kv_get(&q->headers, name, true, 0);
}

/* RFC 6265 section 5.4: "a=b; c=d"; lenient like browsers: pairs without '=' are skipped, a
 * value in double quotes is unquoted, blank space around names and values trimmed.
 * Called for each Cookie header as it is added. */
static int parse_cookie_header(lf_http_req *q, const char *s)
{
    {
        while (*s) {
            const char *semi = strchr(s, ';');
            size_t n = semi ? (size_t)(semi - s) : strlen(s);
            const char *eq = memchr(s, '=', n);
            if (eq) {
                const char *k = s, *ke = eq, *v = eq + 1, *ve = s + n;
                while (k < ke && (*k == ' ' || *k == '\t'))
                    k++;
                while (ke > k && (ke[-1] == ' ' || ke[-1] == '\t'))
                    ke--;
                while (v < ve && (*v == ' ' || *v == '\t'))
                    v++;
                while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
                    ve--;
                if (ve - v >= 2 && *v == '"' && ve[-1] == '"')
                    v++, ve--;
                if (ke > k) {
                    char *dk = lf_arena_strndup(&q->a, k, (size_t)(ke - k));
                    char *dv = lf_arena_strndup(&q->a, v, (size_t)(ve - v));
                    if (!dk || !dv || kv_add(&q->cookies, &q->a, dk, dv))
                        return LF_ENOMEM;
                }
            }
            if (!semi)
                break;
            s = semi + 1;
        }
    }
    return LF_OK;
}

const char *lf_http_req_cookie(const lf_http_req *q, const char *name)
{
    return kv_get(&q->cookies, name, false, 0);
}

const char *lf_http_req_body(const lf_http_req *q, size_t *len)
{
    if (len)
        *len = q->file ? 0 : q->body.len;
    return q->file || !q->body.data ? "" : q->body.data;
}

const char *lf_http_req_body_file(const lf_http_req *q, size_t *len)
{
    if (len)
        *len = q->file ? q->body_seen : 0;
    return q->file;
}

size_t lf_http_req_body_limit(const lf_http_req *q) { return q->limit; }

bool lf_http_req_too_large(const lf_http_req *q) { return q->too_large; }

const char *lf_http_req_take_body_file(lf_http_req *q)
{
    if (!q->file)
        return NULL;
    q->file_taken = true;
    return q->file;
}

void lf_http_resp_set_status(lf_http_resp *r, int status) { r->status = status; }
int lf_http_resp_status(const lf_http_resp *r) { return r->status; }
lf_buf *lf_http_resp_body(lf_http_resp *r) { return &r->body; }
const char *lf_http_resp_type(const lf_http_resp *r) { return r->type ? r->type : DEFAULT_TYPE; }

int lf_http_resp_set_type(lf_http_resp *r, const char *t)
{
    if (!t || strpbrk(t, "\r\n"))
        return LF_EINVAL;
    char *c = lf_arena_strdup(&r->a, t);
    if (!c)
        return LF_ENOMEM;
    r->type = c;
    return LF_OK;
}

static bool header_value_ok(const char *v)
{
    for (; *v; v++)
        if (*v == '\r' || *v == '\n')
            return false;
    return true;
}

static int add_header(lf_http_resp *r, const char *name, const char *value)
{
    char *k = lf_arena_strdup(&r->a, name), *v = lf_arena_strdup(&r->a, value);
    if (!k || !v)
        return LF_ENOMEM;
    return kv_add(&r->headers, &r->a, k, v);
}

int lf_http_resp_add_header(lf_http_resp *r, const char *name, const char *value)
{
    if (!is_token(name) || !value || !header_value_ok(value))
        return LF_EINVAL;
    if (!strcasecmp(name, "Content-Length") || !strcasecmp(name, "Transfer-Encoding") ||
        !strcasecmp(name, "Connection"))
        return LF_EINVAL;
    if (!strcasecmp(name, "Content-Type"))
        return lf_http_resp_set_type(r, value);
    return add_header(r, name, value);
}

const char *lf_http_resp_header(const lf_http_resp *r, const char *name)
{
    if (!strcasecmp(name, "Content-Type"))
        return lf_http_resp_type(r);
    return kv_get(&r->headers, name, true, 0);
}

static void remove_header(lf_http_resp *r, const char *name)
{
    for (size_t i = 0; i < r->headers.n; i++)
        if (r->headers.items[i].k && !strcasecmp(r->headers.items[i].k, name))
            r->headers.items[i].k = NULL;
}

/* RFC 6265 section 4.1.1 cookie-octet. */
static bool cookie_octets(const char *v)
{
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if (*p < 0x21 || *p > 0x7e || *p == '"' || *p == ',' || *p == ';' || *p == '\\')
            return false;
    return true;
}

int lf_http_resp_set_cookie(lf_http_resp *r, const char *name, const char *value, const lf_http_cookie_opts *o)
{
    static const lf_http_cookie_opts defaults = {-1, NULL, false};
    if (!o)
        o = &defaults;
    const char *path = o->path ? o->path : "/";
    if (!is_token(name) || !value || !cookie_octets(value) || !cookie_octets(path) || path[0] != '/')
        return LF_EINVAL;
    lf_buf b;
    lf_buf_init(&b, 8192);
    int rc = lf_buf_printf(&b, "%s=%s; Path=%s", name, value, path);
    if (!rc && o->max_age >= 0)
        rc = lf_buf_printf(&b, "; Max-Age=%ld", o->max_age);
    if (!rc && !o->script_visible)
        rc = lf_buf_puts(&b, "; HttpOnly");
    if (!rc && r->secure)
        rc = lf_buf_puts(&b, "; Secure");
    if (!rc)
        rc = lf_buf_puts(&b, "; SameSite=Strict");
    if (!rc)
        rc = add_header(r, "Set-Cookie", b.data);
    lf_buf_clear(&b);
    return rc;
}

lf_buf *lf_http_resp_json(lf_http_resp *r, int status)
{
    r->status = status;
    r->type = NULL;
    lf_buf_reset(&r->body);
    return &r->body;
}

int lf_http_json_error(lf_http_resp *r, int status, const char *code, const char *message)
{
    lf_buf *b = lf_http_resp_json(r, status);
    int rc = lf_buf_puts(b, "{\"error\":{\"code\":");
    if (!rc)
        rc = lf_json_write_str(b, code ? code : "error", strlen(code ? code : "error"));
    if (!rc)
        rc = lf_buf_puts(b, ",\"message\":");
    if (!rc)
        rc = lf_json_write_str(b, message ? message : "", strlen(message ? message : ""));
    if (!rc && r->request_id[0]) {
        rc = lf_buf_puts(b, ",\"request_id\":");
        if (!rc)
            rc = lf_json_write_str(b, r->request_id, strlen(r->request_id));
    }
    if (!rc)
        rc = lf_buf_puts(b, "}}\n");
    return rc;
}

/* ---- metrics text ---- */

int lf_http_metric_family(lf_buf *out, const char *name, const char *type, const char *help)
{
    int rc = lf_buf_printf(out, "# HELP %s ", name);
    /* HELP text escapes backslash and newline (text format 0.0.4) */
    for (const char *p = help; !rc && *p; p++)
        rc = *p == '\\' ? lf_buf_puts(out, "\\\\") : *p == '\n' ? lf_buf_puts(out, "\\n") : lf_buf_putc(out, *p);
    if (!rc)
        rc = lf_buf_printf(out, "\n# TYPE %s %s\n", name, type);
    return rc;
}

static int put_labels(lf_buf *out, const char *const *labels)
{
    if (!labels || !labels[0])
        return LF_OK;
    int rc = lf_buf_putc(out, '{');
    for (size_t i = 0; !rc && labels[i] && labels[i + 1]; i += 2) {
        rc = lf_buf_printf(out, "%s%s=\"", i ? "," : "", labels[i]);
        for (const char *p = labels[i + 1]; !rc && *p; p++)
            rc = *p == '\\'  ? lf_buf_puts(out, "\\\\")
                 : *p == '"' ? lf_buf_puts(out, "\\\"")
                 : *p == '\n' ? lf_buf_puts(out, "\\n")
                              : lf_buf_putc(out, *p);
        if (!rc)
            rc = lf_buf_putc(out, '"');
    }
    return rc ? rc : lf_buf_putc(out, '}');
}

static int put_number(lf_buf *out, double v)
{
    if (isnan(v))
        return lf_buf_puts(out, "NaN");
    if (isinf(v))
        return lf_buf_puts(out, v > 0 ? "+Inf" : "-Inf");
    if (v == floor(v) && fabs(v) < 1e15)
        return lf_buf_printf(out, "%.0f", v);
    return lf_buf_printf(out, "%.9g", v);
}

int lf_http_metric_sample(lf_buf *out, const char *name, const char *const *labels, double value)
{
    int rc = lf_buf_puts(out, name);
    if (!rc)
        rc = put_labels(out, labels);
    if (!rc)
        rc = lf_buf_putc(out, ' ');
    if (!rc)
        rc = put_number(out, value);
    return rc ? rc : lf_buf_putc(out, '\n');
}

int lf_http_metric_one(lf_buf *out, const char *name, const char *type, const char *help, double value)
{
    int rc = lf_http_metric_family(out, name, type, help);
    return rc ? rc : lf_http_metric_sample(out, name, NULL, value);
}

int lf_http_metric_histogram(lf_buf *out, const char *name, const char *const *labels, const double *le,
                             const uint64_t *counts, size_t nb, double sum)
{
    /* the series' labels with "le" appended: a copy, since the caller's array ends early */
    const char *lab[2 * (LF_HTTP_METRIC_MAX_LABELS + 1) + 1];
    size_t nl = 0;
    for (; labels && labels[nl] && labels[nl + 1]; nl += 2) {
        if (nl / 2 == LF_HTTP_METRIC_MAX_LABELS)
            return LF_EINVAL;
        lab[nl] = labels[nl];
        lab[nl + 1] = labels[nl + 1];
    }
    char sample[128], bound[32];
    if (strlen(name) + sizeof "_bucket" > sizeof sample)
        return LF_EINVAL;
    lab[nl] = "le";
    lab[nl + 1] = bound;
    lab[nl + 2] = NULL;
    snprintf(sample, sizeof sample, "%s_bucket", name);
    uint64_t cum = 0;
    int rc = LF_OK;
    for (size_t b = 0; !rc && b <= nb; b++) {
        cum += counts[b];
        if (b < nb)
            snprintf(bound, sizeof bound, "%g", le[b]);
        else
            snprintf(bound, sizeof bound, "+Inf");
        rc = lf_http_metric_sample(out, sample, lab, (double)cum);
    }
    lab[nl] = NULL;
    snprintf(sample, sizeof sample, "%s_sum", name);
    if (!rc)
        rc = lf_http_metric_sample(out, sample, lab, sum);
    snprintf(sample, sizeof sample, "%s_count", name);
    if (!rc)
        rc = lf_http_metric_sample(out, sample, lab, (double)cum);
    return rc;
}

static int render_metrics(lf_http *h, lf_buf *out)
{
    int rc = lf_http_metric_family(out, "lianfang_build_info", "gauge", "Version of the running lianfang.");
    if (!rc)
        rc = lf_http_metric_sample(out, "lianfang_build_info", (const char *const[]){"version", LF_VERSION_STRING, NULL},
                                   1);
    if (!rc)
        rc = lf_http_metric_one(out, "lianfang_process_start_time_seconds", "gauge",
                                "When the server started, in seconds since the Unix epoch.", (double)h->started);
    if (!rc)
        rc = lf_http_metric_one(out, "lianfang_http_requests_in_flight", "gauge",
                                "HTTP requests being handled now (this one included).", (double)lf_http_in_flight(h));
    if (!rc)
        rc = lf_http_metric_family(out, "lianfang_http_requests_total", "counter",
                                   "HTTP requests answered, by method, route pattern and status code.");
    for (size_t i = 0; !rc && i <= h->nroutes; i++) {
        const route *r = i < h->nroutes ? h->routes[i] : h->unmatched;
        for (int s = STATUS_MIN; !rc && s <= STATUS_MAX; s++) {
            uint_least64_t n = atomic_load_explicit(&r->stats.status[s - STATUS_MIN], memory_order_relaxed);
            if (!n)
                continue;
            char st[8];
            snprintf(st, sizeof st, "%d", s);
            rc = lf_http_metric_sample(out, "lianfang_http_requests_total",
                                       (const char *const[]){"method", r->method, "route", r->pattern, "status", st, NULL},
                                       (double)n);
        }
    }
    if (!rc)
        rc = lf_http_metric_family(out, "lianfang_http_request_duration_seconds", "histogram",
                                   "Time from a request's headers to its response sent, by method and route pattern.");
    double le[NBUCKETS];
    for (size_t b = 0; b < NBUCKETS; b++)
        le[b] = bucket_ms[b] / 1000.0;
    for (size_t i = 0; !rc && i <= h->nroutes; i++) {
        const route *r = i < h->nroutes ? h->routes[i] : h->unmatched;
        uint64_t n[NBUCKETS + 1];
        for (size_t b = 0; b <= NBUCKETS; b++)
            n[b] = atomic_load_explicit(&r->stats.bucket[b], memory_order_relaxed);
        double sum = (double)atomic_load_explicit(&r->stats.sum_us, memory_order_relaxed) / 1e6;
        rc = lf_http_metric_histogram(out, "lianfang_http_request_duration_seconds",
                                      (const char *const[]){"method", r->method, "route", r->pattern, NULL}, le, n,
                                      NBUCKETS, sum);
    }
    if (!rc && h->o.metrics)
        rc = h->o.metrics(h->o.app, out);
    return rc;
}

/* ---- health ---- */

struct lf_http_health {
    lf_buf *out;
    bool ok;
    size_t n;
    int rc;
};

void lf_http_health_check(lf_http_health *hh, const char *component, bool ok, const char *detail)
{
    if (!hh || hh->rc)
        return;
    int rc = lf_buf_puts(hh->out, hh->n++ ? "," : "");
    if (!rc)
        rc = lf_json_write_str(hh->out, component, strlen(component));
    if (!rc)
        rc = lf_buf_printf(hh->out, ":{\"status\":\"%s\"", ok ? "ok" : "fail");
    if (!rc && detail) {
        rc = lf_buf_puts(hh->out, ",\"detail\":");
        if (!rc)
            rc = lf_json_write_str(hh->out, detail, strlen(detail));
    }
    if (!rc)
        rc = lf_buf_putc(hh->out, '}');
    hh->rc = rc;
    if (!ok)
        hh->ok = false;
}

static int builtin_healthz(void *app, lf_http_req *req, lf_http_resp *resp)
{
    (void)app;
    lf_http *h = req->h;
    lf_buf checks;
    lf_buf_init(&checks, 1 << 20);
    lf_http_health hh = {&checks, true, 0, 0};
    if (h->o.health)
        h->o.health(h->o.app, &hh);
    lf_buf *b = lf_http_resp_json(resp, hh.ok ? 200 : 503);
    int rc = hh.rc ? hh.rc : lf_buf_printf(b, "{\"status\":\"%s\"", hh.ok ? "ok" : "fail");
    if (!rc && hh.n)
        rc = lf_buf_printf(b, ",\"checks\":{%s}", checks.data);
    if (!rc)
        rc = lf_buf_puts(b, "}\n");
    lf_buf_clear(&checks);
    return rc;
}

static int builtin_metrics(void *app, lf_http_req *req, lf_http_resp *resp)
{
    (void)app;
    int rc = lf_http_resp_set_type(resp, "text/plain; version=0.0.4; charset=utf-8");
    return rc ? rc : render_metrics(req->h, lf_http_resp_body(resp));
}

/* ---- the pipeline ---- */

/* Route req: sets route and params, or early 400/404/405, the Allow list and the body
 * limit. Runs once the headers are in (before any body). */
static void resolve(lf_http *h, lf_http_req *q)
{
    q->stats = &h->unmatched->stats;
    q->limit = h->max_body;
    if (q->path[0] != '/') {
        set_early(q, 400, "bad_request", "request target must be an absolute path");
        return;
    }
    pathsegs ps;
    ps.n = 0;
    const char *s = q->path + 1;
    for (;;) {
        const char *e = strchr(s, '/');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (ps.n == MAX_SEGMENTS) {
            set_early(q, 404, "not_found", "no such resource");
            return;
        }
        int rc;
        ps.raw[ps.n] = s;
        ps.len[ps.n] = n;
        ps.dec[ps.n] = decode_dup(&q->a, s, n, false, &rc);
        if (!ps.dec[ps.n]) {
            if (rc == LF_ENOMEM)
                set_early(q, 500, "internal", "out of memory");
            else
                set_early(q, 400, "bad_request", "path is not valid percent-encoded UTF-8");
            return;
        }
        ps.n++;
        if (!e)
            break;
        s = e + 1;
    }
    route *best = NULL;
    const char *methods[16];
    size_t nm = 0;
    size_t path_limit = 0;
    bool get = false;
    for (size_t i = 0; i < h->nroutes; i++) {
        route *r = h->routes[i];
        if (!route_matches(r, &ps))
            continue;
        size_t lim = (r->flags & LF_HTTP_BODY_FILE) ? h->max_upload : h->max_body;
        if (lim > path_limit)
            path_limit = lim;
        if (!strcmp(r->method, "GET"))
            get = true;
        size_t k = 0;
        while (k < nm && strcmp(methods[k], r->method))
            k++;
        if (k == nm && nm < 16)
            methods[nm++] = r->method;
        if (!strcmp(r->method, q->method) && (!best || more_specific(r, best)))
            best = r;
    }
    bool any = nm > 0;
    if (any) {
        /* Allow: the path's methods, HEAD with GET, and OPTIONS (RFC 9110 section 10.2.1) */
        size_t al = 0;
        for (size_t k = 0; k <= nm + 1; k++) {
            const char *m = k < nm ? methods[k] : k == nm ? (get ? "HEAD" : NULL) : "OPTIONS";
            size_t mn = m ? strlen(m) : 0;
            if (!m || al + mn + 3 > sizeof q->allow)
                continue;
            if (al) {
                memcpy(q->allow + al, ", ", 2);
                al += 2;
            }
            memcpy(q->allow + al, m, mn);
            al += mn;
        }
        q->allow[al] = '\0';
        q->limit = path_limit;
    }
    if (q->options && any) {
        q->early = 204;   /* not an error: answered with Allow by respond */
        return;
    }
    if (!best) {
        if (any)
            set_early(q, 405, "method_not_allowed", "method %s is not allowed here (allowed: %s)",
                      q->head ? "HEAD" : q->method, q->allow);
        else
            set_early(q, 404, "not_found", "no such resource");
        return;
    }
    q->route = best;
    q->stats = &best->stats;
    q->limit = (best->flags & LF_HTTP_BODY_FILE) ? h->max_upload : h->max_body;
    for (size_t i = 0; i < best->nsegs; i++) {
        const seg *g = &best->segs[i];
        const char *v = NULL;
        if (g->kind == SEG_PARAM) {
            v = ps.dec[i];
        } else if (g->kind == SEG_REST) {
            const char *raw = i < ps.n ? ps.raw[i] : "";
            int rc;
            v = decode_dup(&q->a, raw, strlen(raw), false, &rc);
            if (!v) {
                set_early(q, rc == LF_ENOMEM ? 500 : 400, rc == LF_ENOMEM ? "internal" : "bad_request",
                          "path is not valid percent-encoded UTF-8");
                return;
            }
        } else
            continue;
        if (kv_add(&q->params, &q->a, g->s, v)) {
            set_early(q, 500, "internal", "out of memory");
            return;
        }
    }
}

static void make_id(lf_http *h, lf_http_req *q)
{
    const char *given = lf_http_req_header(q, "X-Request-Id");
    if (given) {
        size_t n = strlen(given);
        bool ok = n > 0 && n < 64;
        for (size_t i = 0; ok && i < n; i++)
            ok = isalnum((unsigned char)given[i]) || strchr("._:-", given[i]);
        if (ok) {   /* keep a proxy's id so logs can be joined; only safe characters */
            snprintf(q->id, sizeof q->id, "%s", given);
            return;
        }
    }
    uint_least64_t n = atomic_fetch_add_explicit(&h->seq, 1, memory_order_relaxed) + 1;
    snprintf(q->id, sizeof q->id, "%s-%06" PRIxLEAST64, h->id_prefix, n);
}

static void finish_headers(lf_http *h, lf_http_req *q, lf_http_resp *r)
{
    static const char *const sec[][2] = {
        {"X-Content-Type-Options", "nosniff"},
        {"X-Frame-Options", "DENY"},
        {"Referrer-Policy", "no-referrer"},
        /* For the web UI to come: own scripts and styles only, no plugins, no framing. */
        {"Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"},
    };
    /* nosniff and DENY are not negotiable; a handler may bring its own CSP or referrer policy. */
    for (size_t i = 0; i < sizeof sec / sizeof sec[0]; i++) {
        if (i < 2)
            remove_header(r, sec[i][0]);
        if (!lf_http_resp_header(r, sec[i][0]))
            add_header(r, sec[i][0], sec[i][1]);
    }
    if (h->tls && !lf_http_resp_header(r, "Strict-Transport-Security"))
        add_header(r, "Strict-Transport-Security", "max-age=31536000");
    const char *p = q->path;
    if (!strncmp(p, "/api/", 5) || !strcmp(p, "/api") || !strcmp(p, "/healthz") || !strcmp(p, "/metrics")) {
        remove_header(r, "Cache-Control");   /* API answers are per user and per moment */
        add_header(r, "Cache-Control", "no-store");
    }
    if (q->allow[0] && (r->status == 405 || (q->options && r->status == 204)))
        add_header(r, "Allow", q->allow);
    remove_header(r, "X-Request-Id");
    add_header(r, "X-Request-Id", q->id);
}

static void log_error(lf_http *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void log_error(lf_http *h, const char *fmt, ...)
{
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (h->o.error_log)
        h->o.error_log(h->o.app, msg);
    else
        fprintf(stderr, "lianfang: http: %s\n", msg);
}

/* Produce the response for a request whose body (if any) is complete. */
static void process(lf_http *h, lf_http_req *q, lf_http_resp *r)
{
    r->secure = h->tls || h->o.secure_cookies;
    snprintf(r->request_id, sizeof r->request_id, "%s", q->id);
    if (q->route && (q->route->flags & LF_HTTP_OWN_413) && (q->early == 413 || (!q->early && q->too_large))) {
        q->early = 0;   /* the handler words the 413; the body was not kept */
        q->too_large = true;
        lf_buf_clear(&q->body);
    } else if (!q->early && q->too_large)
        set_early(q, 413, "payload_too_large", "request body larger than %zu bytes", q->limit);
    if (!q->early && q->io_error)
        set_early(q, 500, "internal", "could not store the request body");
    if (q->early == 204) {
        r->status = 204;
        lf_buf_reset(&r->body);
    } else if (q->early) {
        lf_http_json_error(r, q->early, q->early_code, q->early_msg);
    } else {
        int rc = q->route->fn(h->o.app, q, r);
        if (rc != LF_OK) {
            log_error(h, "%s %s: handler failed: %s (request %s)", q->head ? "HEAD" : q->method, q->route->pattern,
                      lf_strerror_name(rc), q->id);
            resp_reset(r);
            lf_http_json_error(r, 500, "internal", "internal error");
        } else if (r->status < STATUS_MIN || r->status > STATUS_MAX) {
            log_error(h, "%s %s: handler set status %d (request %s)", q->method, q->route->pattern, r->status, q->id);
            resp_reset(r);
            lf_http_json_error(r, 500, "internal", "internal error");
        }
    }
    if (r->status == 204 || r->status == 304)
        lf_buf_reset(&r->body);
    finish_headers(h, q, r);
}

/* The temporary file of a LF_HTTP_BODY_FILE request. */
static int open_body_file(lf_http *h, lf_http_req *q)
{
    size_t n = strlen(h->tmp_dir) + 32;
    char *path = lf_arena_alloc(&q->a, n);
    if (!path)
        return LF_ENOMEM;
    snprintf(path, n, "%s/lf-upload-XXXXXX", h->tmp_dir);
    int fd = mkstemp(path);
    if (fd < 0) {
        log_error(h, "cannot create a temporary file in %s: %s", h->tmp_dir, strerror(errno));
        return LF_EIO;
    }
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    q->fd = fd;
    q->file = path;
    return LF_OK;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return LF_EIO;
        p += w;
        n -= (size_t)w;
    }
    return LF_OK;
}

/* Take one chunk of body. Returns false when the client should be disconnected. */
static bool body_chunk(lf_http *h, lf_http_req *q, const char *data, size_t n)
{
    (void)h;
    if (q->too_large || q->io_error || q->early) {
        q->discarded += n;   /* dropped; a client that sends far too much is cut off */
        return q->discarded <= q->limit + DISCARD_MAX;
    }
    if (n > q->limit || q->body_seen > q->limit - n) {
        q->too_large = true;
        q->discarded = n;
        lf_buf_clear(&q->body);
        req_release(q);
        return true;
    }
    q->body_seen += n;
    if (q->route && (q->route->flags & LF_HTTP_BODY_FILE)) {
        if (q->fd < 0 || write_all(q->fd, data, n)) {
            q->io_error = true;
            req_release(q);
        }
    } else if (lf_buf_append(&q->body, data, n)) {
        q->io_error = true;
        lf_buf_clear(&q->body);
    }
    return true;
}

static void record(lf_http *h, lf_http_req *q, int status, double seconds)
{
    stats_record(q->stats ? q->stats : &h->unmatched->stats, status, seconds);
    if (h->o.access_log) {
        lf_http_log_entry e = {q->client, q->head ? "HEAD" : q->method, q->path ? q->path : "",
                               q->route ? q->route->pattern : "unmatched", q->id, status, seconds,
                               q->body_seen, q->bytes_out};
        h->o.access_log(h->o.app, &e);
    }
}

void lf_http_dispatch(lf_http *h, lf_http_req *q, lf_http_resp *r)
{
    q->h = h;
    q->tls = h->tls;
    make_id(h, q);
    atomic_fetch_add(&h->inflight, 1);
    resolve(h, q);
    if (!q->early && q->body.len > q->limit)
        q->too_large = true;
    /* Same contract as the server: a file route's handler finds its body in a file. */
    if (!q->early && !q->too_large && q->route && (q->route->flags & LF_HTTP_BODY_FILE)) {
        if (open_body_file(h, q) || write_all(q->fd, q->body.data ? q->body.data : "", q->body.len))
            q->io_error = true;
        if (q->fd >= 0)
            close(q->fd);
        q->fd = -1;
        q->body_seen = q->body.len;
        lf_buf_clear(&q->body);
    }
    process(h, q, r);
    q->bytes_out = r->body.len;
    record(h, q, r->status, lf_clock_mono() - q->t0);
    atomic_fetch_sub(&h->inflight, 1);
}

/* ---- libmicrohttpd glue ---- */

static size_t no_unescape(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls;
    (void)c;
    return strlen(s);
}

static enum MHD_Result copy_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    lf_http_req *q = cls;
    if (q->headers.n >= MAX_HEADERS) {
        set_early(q, 400, "bad_request", "more than %d header fields", MAX_HEADERS);
        return MHD_NO;
    }
    char *k = lf_arena_strdup(&q->a, key), *v = lf_arena_strdup(&q->a, value ? value : "");
    if (!k || !v || kv_add(&q->headers, &q->a, k, v) || (!strcasecmp(k, "Cookie") && parse_cookie_header(q, v))) {
        set_early(q, 500, "internal", "out of memory");
        return MHD_NO;
    }
    return MHD_YES;
}

static enum MHD_Result copy_query(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    lf_http_req *q = cls;
    /* With unescaping off, libmicrohttpd gives the raw pair (it has already turned '+'
     * into ' ', which decoding again with plus_space leaves unchanged). */
    query_add_raw(q, key, strlen(key), value ? value : "", value ? strlen(value) : 0, value != NULL);
    return q->early ? MHD_NO : MHD_YES;
}

static enum MHD_Result send_response(lf_http *h, lf_http_req *q, struct MHD_Connection *c)
{
    lf_http_resp *r = &q->resp;
    if (!q->processed)
        process(h, q, r);
    q->responded = true;
    size_t len = 0;
    char *data = lf_buf_detach(&r->body, &len);
    struct MHD_Response *mr = data ? MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE)
                                   : MHD_create_response_from_buffer(0, (void *)(uintptr_t)"", MHD_RESPMEM_PERSISTENT);
    if (!mr) {
        free(data);
        return MHD_NO;
    }
    if (r->status != 204 && r->status != 304)
        MHD_add_response_header(mr, MHD_HTTP_HEADER_CONTENT_TYPE, lf_http_resp_type(r));
    for (size_t i = 0; i < r->headers.n; i++)
        if (r->headers.items[i].k)
            MHD_add_response_header(mr, r->headers.items[i].k, r->headers.items[i].v);
    if (atomic_load(&h->stopping))
        MHD_add_response_header(mr, MHD_HTTP_HEADER_CONNECTION, "close");
    q->status = r->status;
    q->bytes_out = len;
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)r->status, mr);
    MHD_destroy_response(mr);
    return ret;
}

static void client_address(lf_http_req *q, struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!ci || !ci->client_addr)
        return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, q->client, sizeof q->client);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, q->client,
                  sizeof q->client);
}

static enum MHD_Result on_access(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                 const char *version, const char *upload_data, size_t *upload_size, void **ctx)
{
    (void)version;
    lf_http *h = cls;
    lf_http_req *q = *ctx;
    if (!q) {
        q = req_alloc();
        if (!q)
            return MHD_NO;
        *ctx = q;
        q->t0 = lf_clock_mono();
        q->h = h;
        q->tls = h->tls;
        atomic_fetch_add(&h->inflight, 1);
        set_method(q, method);
        q->path = lf_arena_strdup(&q->a, url);
        if (!q->path) {
            q->path = (char *)(uintptr_t)"";
            set_early(q, 500, "internal", "out of memory");
        }
        client_address(q, c);
        MHD_get_connection_values(c, MHD_HEADER_KIND, copy_header, q);
        make_id(h, q);
        if (!q->early)
            MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, copy_query, q);
        if (!q->early)
            resolve(h, q);
        const char *cl = lf_http_req_header(q, "Content-Length");
        if (cl && (!q->early || q->early == 404 || q->early == 405)) {
            char *e;
            errno = 0;
            unsigned long long v = strtoull(cl, &e, 10);
            if (isdigit((unsigned char)cl[0]) && !*e && errno != ERANGE && v > q->limit) {
                q->early = 0;   /* too large wins over 404/405: we will not read it either way */
                set_early(q, 413, "payload_too_large", "request body larger than %zu bytes", q->limit);
            }
        }
        if (!q->early && q->route && (q->route->flags & LF_HTTP_BODY_FILE) && open_body_file(h, q))
            set_early(q, 500, "internal", "could not store the request body");
        /* A body that is too large is refused before it is read (libmicrohttpd then closes
         * the connection). Other errors (400, 404, 405) wait for the end of the request,
         * the body read and dropped, so the client gets its answer instead of a broken
         * pipe and the connection stays usable. */
        if (q->early == 413 || q->early >= 500)
            return send_response(h, q, c);
        return MHD_YES;
    }
    if (*upload_size) {
        size_t n = *upload_size;
        *upload_size = 0;
        if (q->responded)
            return MHD_YES;
        return body_chunk(h, q, upload_data, n) ? MHD_YES : MHD_NO;
    }
    if (q->responded)
        return MHD_YES;
    if (q->fd >= 0) {
        close(q->fd);   /* the handler reads the file by its path */
        q->fd = -1;
    }
    if (!q->processed && !q->early && q->route && (q->route->flags & LF_HTTP_SLOW) && h->nslow) {
        /* resumed by the worker, libmicrohttpd calls again: then the response is sent */
        q->conn = c;
        MHD_suspend_connection(c);
        pthread_mutex_lock(&h->slow_mu);
        if (h->slow_tail)
            h->slow_tail->slow_next = q;
        else
            h->slow_head = q;
        h->slow_tail = q;
        pthread_cond_signal(&h->slow_cv);
        pthread_mutex_unlock(&h->slow_mu);
        return MHD_YES;
    }
    return send_response(h, q, c);
}

/* A worker: the queue's requests in order; after stop, the ones still queued too (their
 * connections wait, suspended, for an answer). */
static void *slow_main(void *arg)
{
    lf_http *h = arg;
    pthread_mutex_lock(&h->slow_mu);
    for (;;) {
        while (!h->slow_head && !h->slow_stop)
            pthread_cond_wait(&h->slow_cv, &h->slow_mu);
        lf_http_req *q = h->slow_head;
        if (!q)
            break;
        h->slow_head = q->slow_next;
        if (!h->slow_head)
            h->slow_tail = NULL;
        pthread_mutex_unlock(&h->slow_mu);
        process(h, q, &q->resp);
        q->processed = true;
        MHD_resume_connection(q->conn);
        pthread_mutex_lock(&h->slow_mu);
    }
    pthread_mutex_unlock(&h->slow_mu);
    return NULL;
}

static void slow_stop(lf_http *h)
{
    if (!h->nslow)
        return;
    pthread_mutex_lock(&h->slow_mu);
    h->slow_stop = true;
    pthread_cond_broadcast(&h->slow_cv);
    pthread_mutex_unlock(&h->slow_mu);
    for (unsigned i = 0; i < h->nslow; i++)
        pthread_join(h->slow[i], NULL);
    free(h->slow);
    h->slow = NULL;
    h->nslow = 0;
    pthread_cond_destroy(&h->slow_cv);
    pthread_mutex_destroy(&h->slow_mu);
}

static int slow_start(lf_http *h, lf_err *err)
{
    unsigned n = h->o.slow_threads ? h->o.slow_threads : 4;
    h->slow = calloc(n, sizeof *h->slow);
    if (!h->slow || pthread_mutex_init(&h->slow_mu, NULL) != 0) {
        free(h->slow);
        h->slow = NULL;
        return lf_err_set(err, LF_ENOMEM, "out of memory");
    }
    pthread_cond_init(&h->slow_cv, NULL);
    h->slow_stop = false;
    h->slow_head = h->slow_tail = NULL;
    for (unsigned i = 0; i < n; i++) {
        if (pthread_create(&h->slow[i], NULL, slow_main, h) != 0)
            break;
        h->nslow++;
    }
    if (!h->nslow) {
        free(h->slow);
        h->slow = NULL;
        pthread_cond_destroy(&h->slow_cv);
        pthread_mutex_destroy(&h->slow_mu);
        return lf_err_set(err, LF_ENOMEM, "cannot start the workers of slow handlers");
    }
    return LF_OK;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **ctx, enum MHD_RequestTerminationCode toe)
{
    (void)c;
    (void)toe;
    lf_http *h = cls;
    lf_http_req *q = *ctx;
    if (!q)
        return;
    *ctx = NULL;
    double dt = lf_clock_mono() - q->t0;
    if (q->status)
        record(h, q, q->status, dt);
    else if (h->o.access_log)
        record(h, q, 0, dt);   /* logged, not counted: no response was sent */
    lf_http_req_free(q);
    atomic_fetch_sub(&h->inflight, 1);
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    lf_http *h = cls;
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
        msg[--n] = '\0';
    log_error(h, "libmicrohttpd: %s", msg);
}
#pragma GCC diagnostic pop

static int parse_listen(lf_http *h, const char *listen, unsigned port, lf_err *err)
{
    memset(&h->addr, 0, sizeof h->addr);
    const char *a = !strcmp(listen, "localhost") ? "127.0.0.1" : listen;
    char tmp[64];
    size_t n = strlen(a);
    if (n >= 2 && a[0] == '[' && a[n - 1] == ']' && n - 2 < sizeof tmp) {   /* "[::1]" */
        memcpy(tmp, a + 1, n - 2);
        tmp[n - 2] = '\0';
        a = tmp;
    }
    struct sockaddr_in *v4 = (struct sockaddr_in *)(void *)&h->addr;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)(void *)&h->addr;
    if (inet_pton(AF_INET, a, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)port);
        h->ipv6 = false;
        return LF_OK;
    }
    memset(&h->addr, 0, sizeof h->addr);
    if (inet_pton(AF_INET6, a, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)port);
        h->ipv6 = true;
        return LF_OK;
    }
    return lf_err_set(err, LF_EINVAL, "listen address '%s' is not an IPv4 or IPv6 address (or localhost)", listen);
}

static char *dup_or_null(const char *s)
{
    return s && *s ? strdup(s) : NULL;
}

int lf_http_new(const lf_http_opts *opts, lf_http **out, lf_err *err)
{
    *out = NULL;
    if (!opts)
        return lf_err_set(err, LF_EINVAL, "lf_http_new: no options");
    if (opts->port > 65535)
        return lf_err_set(err, LF_EINVAL, "port %u out of range", opts->port);
    lf_http *h = calloc(1, sizeof *h);
    if (!h)
        return lf_err_set(err, LF_ENOMEM, "out of memory");
    int rc = LF_OK;
    h->o = *opts;
    h->quiesced = MHD_INVALID_SOCKET;
    atomic_init(&h->inflight, 0);
    atomic_init(&h->stopping, false);
    atomic_init(&h->seq, 0);
    h->listen = strdup(opts->listen && *opts->listen ? opts->listen : "127.0.0.1");
    h->tmp_dir = strdup(opts->tmp_dir && *opts->tmp_dir ? opts->tmp_dir : "/tmp");
    h->cert_file = dup_or_null(opts->tls_cert_file);
    h->key_file = dup_or_null(opts->tls_key_file);
    h->unmatched = calloc(1, sizeof *h->unmatched);
    if (!h->listen || !h->tmp_dir || !h->unmatched || (opts->tls_cert_file && *opts->tls_cert_file && !h->cert_file) ||
        (opts->tls_key_file && *opts->tls_key_file && !h->key_file)) {
        rc = lf_err_set(err, LF_ENOMEM, "out of memory");
        goto fail;
    }
    if (!h->cert_file != !h->key_file) {
        rc = lf_err_set(err, LF_EINVAL, "TLS needs both a certificate and a key file");
        goto fail;
    }
    h->o.listen = h->listen;
    h->o.tmp_dir = h->tmp_dir;
    h->o.tls_cert_file = h->cert_file;
    h->o.tls_key_file = h->key_file;
    stats_init(&h->unmatched->stats);
    snprintf(h->unmatched->method, sizeof h->unmatched->method, "any");
    h->unmatched->pattern = strdup("unmatched");
    if (!h->unmatched->pattern) {
        rc = lf_err_set(err, LF_ENOMEM, "out of memory");
        goto fail;
    }
    h->max_body = opts->max_body ? opts->max_body : (size_t)1 << 20;
    h->max_upload = opts->max_upload ? opts->max_upload : (size_t)64 << 20;
    rc = parse_listen(h, h->listen, opts->port, err);
    if (rc)
        goto fail;
    uint32_t rnd = 0;
    if (getrandom(&rnd, sizeof rnd, GRND_NONBLOCK) != (ssize_t)sizeof rnd)
        rnd = (uint32_t)time(NULL) ^ (uint32_t)getpid() << 16;
    snprintf(h->id_prefix, sizeof h->id_prefix, "%08" PRIx32, rnd);
    h->started = time(NULL);
    rc = lf_http_route(h, "GET", "/healthz", builtin_healthz, NULL, 0, err);
    if (!rc)
        rc = lf_http_route(h, "GET", "/metrics", builtin_metrics, NULL, 0, err);
    if (rc)
        goto fail;
    *out = h;
    return LF_OK;
fail:
    lf_http_free(h);
    return rc;
}

int lf_http_start(lf_http *h, lf_err *err)
{
    if (h->d)
        return lf_err_set(err, LF_EINVAL, "server already started");
    int rc = LF_OK;
    size_t len;
    free(h->tls_cert);
    free(h->tls_key);
    h->tls_cert = h->tls_key = NULL;
    if (h->cert_file) {
        if (!MHD_is_feature_supported(MHD_FEATURE_TLS))
            return lf_err_set(err, LF_EIO, "this libmicrohttpd was built without TLS");
        rc = lf_file_read(h->cert_file, 1 << 20, &h->tls_cert, &len, err);
        if (!rc)
            rc = lf_file_read(h->key_file, 1 << 20, &h->tls_key, &len, err);
        if (rc)
            return rc;
        h->tls = true;
    }
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG | MHD_USE_ITC;
    /* One thread per connection lets a slow handler (a big upload being matched) hold only
     * its own client; a pool multiplexes many idle keep-alive clients on few threads. */
    flags |= h->o.threads ? MHD_USE_AUTO | MHD_ALLOW_SUSPEND_RESUME : MHD_USE_THREAD_PER_CONNECTION;
    if (h->ipv6)
        flags |= MHD_USE_IPv6;
    if (h->tls)
        flags |= MHD_USE_TLS;
    struct MHD_OptionItem extra[4];
    size_t ne = 0;
    if (h->o.threads)
        extra[ne++] = (struct MHD_OptionItem){MHD_OPTION_THREAD_POOL_SIZE, (intptr_t)h->o.threads, NULL};
    if (h->tls) {
        extra[ne++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0, h->tls_key};
        extra[ne++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0, h->tls_cert};
    }
    extra[ne] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};
    /* the workers before the daemon: its threads read nslow and the queue from the first request */
    if (h->o.threads && (rc = slow_start(h, err)))
        return rc;
    /* No MHD_OPTION_LISTENING_ADDRESS_REUSE: its "1" is SO_REUSEPORT, which would let a
     * second server share the port silently; the default SO_REUSEADDR already allows a
     * quick restart. */
    h->d = MHD_start_daemon(
        flags, (uint16_t)h->o.port, NULL, NULL, on_access, h, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, h,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&h->addr, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)(h->o.max_connections ? h->o.max_connections : 1024), MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)(h->o.timeout_s ? h->o.timeout_s : 60), MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)64 * 1024,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, h,
        MHD_OPTION_UNESCAPE_CALLBACK, no_unescape, NULL, MHD_OPTION_ARRAY, extra, MHD_OPTION_END);
    if (!h->d) {
        rc = lf_err_set(err, LF_EIO, "cannot listen on %s port %u (address in use, bad TLS certificate or key, "
                        "or no permission)", h->listen, h->o.port);
        h->tls = false;
        slow_stop(h);
        return rc;
    }

    const union MHD_DaemonInfo *di = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
    h->port = di ? di->port : h->o.port;
    return LF_OK;
}

unsigned lf_http_port(const lf_http *h)
{
    return h->d ? h->port : 0;
}

bool lf_http_tls(const lf_http *h)
{
    return h->tls;
}

long lf_http_in_flight(const lf_http *h)
{
    return atomic_load(&h->inflight);
}

void lf_http_stop(lf_http *h, unsigned grace_ms)
{
    if (!h || !h->d)
        return;
    atomic_store(&h->stopping, true);
    h->quiesced = MHD_quiesce_daemon(h->d);
    double end = lf_clock_mono() + grace_ms / 1000.0;
    while (atomic_load(&h->inflight) > 0 && lf_clock_mono() < end) {
        struct timespec ts = {0, 5 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    /* every suspended connection answered and resumed before the daemon goes */
    slow_stop(h);
    MHD_stop_daemon(h->d);
    h->d = NULL;
    if (h->quiesced != MHD_INVALID_SOCKET)
        close(h->quiesced);
    h->quiesced = MHD_INVALID_SOCKET;
}

void lf_http_free(lf_http *h)
{
    if (!h)
        return;
    lf_http_stop(h, 10000);
    for (size_t i = 0; i < h->nroutes; i++)
        route_free(h->routes[i]);
    free(h->routes);
    route_free(h->unmatched);
    free(h->tls_cert);
    free(h->tls_key);
    free(h->listen);
    free(h->tmp_dir);
    free(h->cert_file);
    free(h->key_file);
    free(h);
}

/* ---- static files ---- */

struct lf_http_static {
    char *root;          /* realpath of the directory, or NULL */
    const lf_http_asset *assets;
    size_t nassets;
    char *param, *index, *cache;
    size_t max_file;
};

static const struct {
    const char *ext, *type;
} mime[] = {
    {"html", "text/html; charset=utf-8"},   {"htm", "text/html; charset=utf-8"},
    {"css", "text/css; charset=utf-8"},     {"js", "text/javascript; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"}, {"json", "application/json; charset=utf-8"},
    {"map", "application/json; charset=utf-8"}, {"txt", "text/plain; charset=utf-8"},
    {"csv", "text/csv; charset=utf-8"},     {"xml", "application/xml; charset=utf-8"},
    {"svg", "image/svg+xml"},                {"png", "image/png"},
    {"jpg", "image/jpeg"},                   {"jpeg", "image/jpeg"},
    {"gif", "image/gif"},                    {"webp", "image/webp"},
    {"ico", "image/vnd.microsoft.icon"},     {"woff", "font/woff"},
    {"woff2", "font/woff2"},                 {"ttf", "font/ttf"},
    {"otf", "font/otf"},                     {"wasm", "application/wasm"},
    {"pdf", "application/pdf"},              {"webmanifest", "application/manifest+json"},
};

const char *lf_http_mime_type(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash + 1 : path, '.');
    if (dot && dot[1])
        for (size_t i = 0; i < sizeof mime / sizeof mime[0]; i++)
            if (!strcasecmp(dot + 1, mime[i].ext))
                return mime[i].type;
    return "application/octet-stream";
}

int lf_http_static_path(const char *rel, const char *index, char *out, size_t cap)
{
    if (!index || !*index)
        index = "index.html";
    if (!rel || rel[0] == '/')
        return LF_EINVAL;
    size_t o = 0;
    const char *s = rel;
    for (;;) {
        const char *e = strchr(s, '/');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (n == 0) {
            if (e)
                return LF_EINVAL;         /* "a//b" or "/" at the start */
            /* "" or a trailing '/': the directory's index */
            size_t in = strlen(index);
            if (o + in + 1 > cap)
                return LF_ELIMIT;
            memcpy(out + o, index, in);
            o += in;
            break;
        }
        if (s[0] == '.')
            return LF_EINVAL;             /* ".", "..", and hidden files (.git, .env) */
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)s[i];
            if (c < 0x20 || c == 0x7f || c == '\\')
                return LF_EINVAL;
        }
        if (o + n + 2 > cap)
            return LF_ELIMIT;
        memcpy(out + o, s, n);
        o += n;
        if (!e)
            break;
        out[o++] = '/';
        s = e + 1;
    }
    out[o] = '\0';
    return LF_OK;
}

int lf_http_static_new(const lf_http_static_opts *o, lf_http_static **out, lf_err *err)
{
    *out = NULL;
    if (!o || (!o->root && !o->assets))
        return lf_err_set(err, LF_EINVAL, "static files need a root directory or an asset table");
    lf_http_static *s = calloc(1, sizeof *s);
    if (!s)
        return lf_err_set(err, LF_ENOMEM, "out of memory");
    int rc = LF_OK;
    if (o->root) {
        s->root = realpath(o->root, NULL);
        if (!s->root || !lf_is_dir(s->root)) {
            rc = lf_err_set(err, LF_ENOTFOUND, "static root '%s' is not a directory", o->root);
            lf_err_at(err, o->root, 0, 0, NULL);
            goto fail;
        }
    }
    s->assets = o->assets;
    s->nassets = o->nassets;
    s->param = strdup(o->param ? o->param : "path");
    s->index = strdup(o->index ? o->index : "index.html");
    s->cache = strdup(o->cache_control ? o->cache_control : "no-cache");
    s->max_file = o->max_file ? o->max_file : (size_t)32 << 20;
    if (!s->param || !s->index || !s->cache || !header_value_ok(s->cache)) {
        rc = lf_err_set(err, LF_ENOMEM, "out of memory");
        goto fail;
    }
    *out = s;
    return LF_OK;
fail:
    lf_http_static_free(s);
    return rc;
}

void lf_http_static_free(lf_http_static *s)
{
    if (!s)
        return;
    free(s->root);
    free(s->param);
    free(s->index);
    free(s->cache);
    free(s);
}

static uint64_t fnv1a64(const void *p, size_t n)
{
    const unsigned char *b = p;
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* RFC 9110 section 13.1.2: If-None-Match uses the weak comparison ("W/" ignored). */
static bool etag_matches(const char *inm, const char *etag)
{
    size_t en = strlen(etag);
    const char *s = inm;
    while (*s) {
        while (*s == ' ' || *s == '\t' || *s == ',')
            s++;
        if (!*s)
            break;
        if (*s == '*')
            return true;
        if (!strncmp(s, "W/", 2))
            s += 2;
        const char *e = s;
        if (*e == '"') {
            e = strchr(e + 1, '"');
            e = e ? e + 1 : s + strlen(s);
        } else {
            while (*e && *e != ',')
                e++;
        }
        if ((size_t)(e - s) == en && !memcmp(s, etag, en))
            return true;
        s = e;
    }
    return false;
}

/* Read the file below the root into body; LF_ENOTFOUND for anything not a regular file
 * inside the root. */
static int read_below_root(const lf_http_static *s, const char *rel, lf_buf *body)
{
    size_t n = strlen(s->root) + strlen(rel) + 2;
    char *full = malloc(n);
    if (!full)
        return LF_ENOMEM;
    snprintf(full, n, "%s/%s", s->root, rel);
    int rc = LF_ENOTFOUND;
    int fd = -1;
    /* The segment check already keeps ".." out; a symbolic link inside the root could
     * still point outside it, so the resolved path must stay below the root. */
    char *real = realpath(full, NULL);
    size_t rn = strlen(s->root);
    if (!real || strncmp(real, s->root, rn) || (real[rn] != '/' && strcmp(s->root, "/")))
        goto done;
    fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode))
        goto done;
    if ((size_t)st.st_size > s->max_file) {
        rc = LF_ELIMIT;
        goto done;
    }
    rc = lf_buf_reserve(body, (size_t)st.st_size);
    while (!rc) {
        char chunk[65536];
        ssize_t r = read(fd, chunk, sizeof chunk);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            rc = LF_EIO;
        if (r <= 0)
            break;
        rc = lf_buf_append(body, chunk, (size_t)r);
    }
done:
    if (fd >= 0)
        close(fd);
    free(real);
    free(full);
    return rc;
}

int lf_http_static_handler(void *app, lf_http_req *req, lf_http_resp *resp)
{
    (void)app;
    const lf_http_static *s = lf_http_req_route_ud(req);
    if (!s)
        return LF_EINVAL;
    const char *rel = lf_http_req_param(req, s->param);
    char norm[1024];
    if (!rel || lf_http_static_path(rel, s->index, norm, sizeof norm))
        return lf_http_json_error(resp, 404, "not_found", "no such file");
    lf_buf *body = lf_http_resp_body(resp);
    lf_buf_reset(body);
    if (s->root) {
        int rc = read_below_root(s, norm, body);
        if (rc == LF_ENOTFOUND)
            return lf_http_json_error(resp, 404, "not_found", "no such file");
        if (rc)
            return rc;
    } else {
        size_t i = 0;
        while (i < s->nassets && strcmp(s->assets[i].path, norm))
            i++;
        if (i == s->nassets)
            return lf_http_json_error(resp, 404, "not_found", "no such file");
        int rc = lf_buf_append(body, s->assets[i].data, s->assets[i].len);
        if (rc)
            return rc;
    }
    char etag[24];
    snprintf(etag, sizeof etag, "\"%016" PRIx64 "\"", fnv1a64(body->data ? body->data : "", body->len));
    int rc = lf_http_resp_set_type(resp, lf_http_mime_type(norm));
    if (!rc)
        rc = lf_http_resp_add_header(resp, "ETag", etag);
    if (!rc)
        rc = lf_http_resp_add_header(resp, "Cache-Control", s->cache);
    const char *inm = lf_http_req_header(req, "If-None-Match");
    if (!rc && inm && etag_matches(inm, etag)) {
        lf_buf_reset(body);
        lf_http_resp_set_status(resp, 304);
    } else if (!rc) {
        lf_http_resp_set_status(resp, 200);
    }
    return rc;
}
