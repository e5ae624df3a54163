/*
 * http: the platform's HTTP/1.1 server layer on libmicrohttpd (RFC 9110 semantics,
 * RFC 9112 messages, optional TLS): a router of method + path patterns, requests with
 * decoded path/query parameters, headers, cookies (RFC 6265) and bounded bodies, responses
 * with JSON helpers and safe cookies, security headers on every response, built-in
 * /healthz and /metrics (Prometheus text format 0.0.4), graceful stop, and a static-file
 * handler (directory or embedded table) for the web UI.
 *
 * Knows nothing of the store or the API endpoints: the application registers handlers and
 * hooks, all called with the `app` pointer given in lf_http_opts.
 *
 * Routes. A pattern is a path of segments: literal ("api"), a parameter ("{id}": one
 * non-empty segment, percent-decoded) or, last only, a rest parameter ("{*path}": the
 * remaining segments, possibly empty, percent-decoded). The most specific pattern wins
 * (literal before parameter before rest, compared segment by segment). HEAD is served by
 * GET routes, OPTIONS answers 204 with Allow. An unknown path gets 404; a known path with
 * another method 405 with Allow. Both, like every error the layer produces, carry the JSON
 * error body {"error":{"code":"...","message":"...","request_id":"..."}}.
 *
 * Bodies. A request body is buffered in memory up to max_body (413 above, told from
 * Content-Length before reading, or when a chunked body passes the limit; a route with
 * LF_HTTP_OWN_413 has its handler word that answer). Routes
 * registered with LF_HTTP_BODY_FILE stream their body to a temporary file instead, up to
 * max_upload; the handler gets the path, and the file is removed when the request ends
 * unless the handler takes it (lf_http_req_take_body_file).
 *
 * Threads. Handlers run on the server's threads (one per connection, or a pool of
 * opts.threads), concurrently: they must be thread-safe. A request is handled by one
 * thread from start to end, so lf_http_req/lf_http_resp need no locking. In a pool, a
 * thread serves many connections, and a handler that takes seconds would hold them all:
 * routes registered with LF_HTTP_SLOW run their handler on one of opts.slow_threads
 * workers instead, their connection suspended meanwhile (still one thread at a time).
 *
 * Ownership: lf_http_new/lf_http_free bracket the server; the strings and hooks in
 * lf_http_opts are copied or must outlive it (app, hooks). Everything a lf_http_req
 * accessor returns is borrowed from the request and valid until the handler returns.
 * lf_http_req_arena gives the handler request-lifetime memory.
 */
#ifndef LF_HTTP_HTTP_H
#define LF_HTTP_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"

typedef struct lf_http lf_http;
typedef struct lf_http_req lf_http_req;
typedef struct lf_http_resp lf_http_resp;

/* A handler fills resp and returns LF_OK. Any other return answers 500 with the JSON
 * error body (whatever the handler had put into resp is discarded). */
typedef int (*lf_http_handler)(void *app, lf_http_req *req, lf_http_resp *resp);

/* /healthz hook: report each component with lf_http_health_check; any failing one turns
 * the answer into 503 {"status":"fail",...}. */
typedef struct lf_http_health lf_http_health;
typedef void (*lf_http_health_fn)(void *app, lf_http_health *h);
void lf_http_health_check(lf_http_health *h, const char *component, bool ok, const char *detail);

/* /metrics hook: append families with lf_http_metric_family / lf_http_metric_sample. */
typedef int (*lf_http_metrics_fn)(void *app, lf_buf *out);

/* One finished request, for the access log (strings valid during the call). */
typedef struct lf_http_log_entry {
    const char *client;      /* "127.0.0.1", "::1" */
    const char *method;
    const char *path;        /* as sent, without the query */
    const char *route;       /* matched pattern, or "unmatched" */
    const char *request_id;
    int status;              /* 0: the connection ended before a response was sent */
    double seconds;          /* first byte of headers handled -> response sent */
    size_t body_in, body_out;
} lf_http_log_entry;
typedef void (*lf_http_log_fn)(void *app, const lf_http_log_entry *e);
/* Messages of the server itself (libmicrohttpd's errors, handler failures). */
typedef void (*lf_http_error_fn)(void *app, const char *msg);

typedef struct lf_http_opts {
    const char *listen;            /* IPv4/IPv6 literal or "localhost"; NULL = "127.0.0.1" */
    unsigned port;                 /* 0 = any free port (see lf_http_port) */
    unsigned threads;              /* 0 = one thread per connection, else a polling pool */
    unsigned slow_threads;         /* with a pool: workers for LF_HTTP_SLOW handlers; 0 = 4 */
    unsigned max_connections;      /* 0 = 1024 */
    unsigned timeout_s;            /* idle connection timeout; 0 = 60 */
    size_t max_body;               /* in-memory body limit, bytes; 0 = 1 MiB */
    size_t max_upload;             /* LF_HTTP_BODY_FILE limit, bytes; 0 = 64 MiB */
    const char *tmp_dir;           /* for LF_HTTP_BODY_FILE bodies; NULL = "/tmp" */
    const char *tls_cert_file;     /* both set: HTTPS (PEM files, read at lf_http_start) */
    const char *tls_key_file;
    bool secure_cookies;           /* Secure cookies without TLS here (TLS proxy in front) */
    void *app;                     /* first argument of handlers and hooks */
    lf_http_health_fn health;      /* may be NULL: /healthz is {"status":"ok"} */
    lf_http_metrics_fn metrics;    /* may be NULL */
    lf_http_log_fn access_log;     /* may be NULL */
    lf_http_error_fn error_log;    /* may be NULL: stderr */
} lf_http_opts;

/* Route flags. */
enum {
    LF_HTTP_BODY_FILE = 1u << 0,   /* body to a temporary file, up to max_upload */
    /* a body above the limit is still refused unread, but the handler writes the 413
     * (protocols with their own error format: TAXII); it sees lf_http_req_too_large */
    LF_HTTP_OWN_413 = 1u << 1,
    /* the handler may take seconds (an upload matched and stored): off the pool's threads */
    LF_HTTP_SLOW = 1u << 2,
};

/* Create a server (not yet listening) with the built-in routes GET /healthz and
 * GET /metrics. LF_OK, LF_EINVAL (bad listen address), LF_ENOMEM. */
int lf_http_new(const lf_http_opts *opts, lf_http **out, lf_err *err);
/* Stops the server if running (lf_http_stop with a 10 s grace), frees everything. */
void lf_http_free(lf_http *h);

/* Register a route before lf_http_start. method is "GET", "POST", "PUT", "PATCH",
 * "DELETE" (upper case); route_ud is handed to the handler (lf_http_req_route_ud).
 * LF_EINVAL for a malformed pattern (empty segment, "{" without "}", rest not last,
 * duplicate parameter names), LF_EEXIST for the same method + pattern twice, LF_EINVAL
 * after start. */
int lf_http_route(lf_http *h, const char *method, const char *pattern, lf_http_handler fn, void *route_ud,
                  unsigned flags, lf_err *err);

/* Listen (TLS when both files are set). LF_EIO (port taken, bad certificate, TLS
 * unsupported), with the reason in err. */
int lf_http_start(lf_http *h, lf_err *err);
/* The port listened on (the chosen one when opts.port was 0); 0 before start. */
unsigned lf_http_port(const lf_http *h);
bool lf_http_tls(const lf_http *h);
/* Graceful stop: stop accepting, let in-flight requests finish (up to grace_ms), then
 * close every connection. Responses sent meanwhile carry "Connection: close". */
void lf_http_stop(lf_http *h, unsigned grace_ms);
/* Requests being handled right now (also the value of lianfang_http_requests_in_flight). */
long lf_http_in_flight(const lf_http *h);

/*
 * In-process dispatch, without a socket: run req through routing, limits, the handler
 * and the response headers exactly as the server would (metrics included). For handler
 * tests: build the request with lf_http_req_new, a response with lf_http_resp_new.
 */
void lf_http_dispatch(lf_http *h, lf_http_req *req, lf_http_resp *resp);

/* A request from parts (target = "/path?query"). LF_OK, LF_EPARSE (target not starting
 * with '/'), LF_ENOMEM. Free with lf_http_req_free. */
int lf_http_req_new(const char *method, const char *target, lf_http_req **out, lf_err *err);
int lf_http_req_add_header(lf_http_req *req, const char *name, const char *value);
int lf_http_req_set_body(lf_http_req *req, const void *data, size_t len);
void lf_http_req_set_client(lf_http_req *req, const char *addr);
void lf_http_req_free(lf_http_req *req);
int lf_http_resp_new(lf_http_resp **out);
void lf_http_resp_free(lf_http_resp *resp);

/* ---- the request, for handlers ---- */

const char *lf_http_req_method(const lf_http_req *req);   /* "GET" (also for HEAD: see is_head) */
bool lf_http_req_is_head(const lf_http_req *req);
const char *lf_http_req_path(const lf_http_req *req);     /* raw path as sent, no query */
const char *lf_http_req_route(const lf_http_req *req);    /* matched pattern or NULL */
void *lf_http_req_route_ud(const lf_http_req *req);
const char *lf_http_req_param(const lf_http_req *req, const char *name);     /* NULL if absent */
/* First value of a query parameter (decoded: %XX and '+'), NULL if absent; a key without
 * '=' has the value "". n-th value for repeated keys; count of all pairs; i-th pair. */
const char *lf_http_req_query(const lf_http_req *req, const char *name);
const char *lf_http_req_query_nth(const lf_http_req *req, const char *name, size_t n);
size_t lf_http_req_query_count(const lf_http_req *req);
bool lf_http_req_query_at(const lf_http_req *req, size_t i, const char **name, const char **value);
/* An integer query parameter within [min, max]; def when absent. LF_OK, LF_EPARSE (not a
 * number), LF_ERANGE (outside the bounds): answer 400 then. */
int lf_http_req_query_long(const lf_http_req *req, const char *name, long def, long min, long max, long *out);
/* Header by name, case-insensitive (first of repeated ones), NULL if absent. */
const char *lf_http_req_header(const lf_http_req *req, const char *name);
/* Cookie by name (RFC 6265 section 5.4 Cookie header; first of repeated), NULL if absent. */
const char *lf_http_req_cookie(const lf_http_req *req, const char *name);
const char *lf_http_req_client(const lf_http_req *req);   /* peer address, "" when unknown */
const char *lf_http_req_id(const lf_http_req *req);       /* also sent as X-Request-Id */
bool lf_http_req_tls(const lf_http_req *req);
/* The body held in memory (NUL-terminated; "" when none) and its length. For a
 * LF_HTTP_BODY_FILE route, the body is in the file instead and this is "" with len 0. */
const char *lf_http_req_body(const lf_http_req *req, size_t *len);
/* LF_HTTP_BODY_FILE: path of the temporary file holding the body (NULL otherwise) and
 * the body's length. */
const char *lf_http_req_body_file(const lf_http_req *req, size_t *len);
/* Take the file: it is no longer removed when the request ends; the caller renames or
 * removes it. Returns the path (borrowed from the request) or NULL. */
const char *lf_http_req_take_body_file(lf_http_req *req);
/* The body limit of this request's route in bytes (max_body, or max_upload for a
 * LF_HTTP_BODY_FILE route), so a protocol can state it (TAXII max_content_length). */
size_t lf_http_req_body_limit(const lf_http_req *req);
/* LF_HTTP_OWN_413 routes: the body was over the limit and refused; the handler answers
 * 413 (lf_http_req_body is then empty). */
bool lf_http_req_too_large(const lf_http_req *req);
lf_arena *lf_http_req_arena(lf_http_req *req);

/* ---- the response ---- */

void lf_http_resp_set_status(lf_http_resp *resp, int status);
int lf_http_resp_status(const lf_http_resp *resp);
/* The content type (copied); the default is "application/json; charset=utf-8". */
int lf_http_resp_set_type(lf_http_resp *resp, const char *content_type);
const char *lf_http_resp_type(const lf_http_resp *resp);
/* The body, for appending (limit 256 MiB). */
lf_buf *lf_http_resp_body(lf_http_resp *resp);
/* Add a header (copied). LF_EINVAL for a name that is not an RFC 9110 token or a value
 * with CR, LF or NUL (header injection), and for headers the layer owns (Content-Length,
 * Transfer-Encoding, Connection). */
int lf_http_resp_add_header(lf_http_resp *resp, const char *name, const char *value);
/* First response header of that name (case-insensitive), NULL if none. After dispatch
 * this includes the security headers. */
const char *lf_http_resp_header(const lf_http_resp *resp, const char *name);

typedef struct lf_http_cookie_opts {
    long max_age;          /* seconds; < 0: session cookie; 0: delete the cookie */
    const char *path;      /* NULL = "/" */
    bool script_visible;   /* omit HttpOnly (only for a CSRF token read by the web UI) */
} lf_http_cookie_opts;
/* Set-Cookie (RFC 6265 section 4.1) with HttpOnly, SameSite=Strict, Path and Secure when the
 * server runs TLS (or opts.secure_cookies). LF_EINVAL when name is not a token or value
 * holds bytes outside cookie-octet. */
int lf_http_resp_set_cookie(lf_http_resp *resp, const char *name, const char *value,
                            const lf_http_cookie_opts *o);

/* Status + JSON content type; returns the (emptied) body to write the JSON into. */
lf_buf *lf_http_resp_json(lf_http_resp *resp, int status);
/* {"error":{"code":code,"message":message,"request_id":...}} with that status. code is
 * a stable machine-readable string ("not_found", "bad_request", ...; see docs/api.md). */
int lf_http_json_error(lf_http_resp *resp, int status, const char *code, const char *message);

/* ---- metrics writing, for the /metrics hook ---- */

/* "# HELP name help\n# TYPE name type\n" (type: counter, gauge, histogram). */
int lf_http_metric_family(lf_buf *out, const char *name, const char *type, const char *help);
/* "name{k="v",...} value\n": labels is k, v, k, v, ..., NULL (or NULL for none); label
 * values are escaped (backslash, quote, newline). */
int lf_http_metric_sample(lf_buf *out, const char *name, const char *const *labels, double value);
/* A family of one unlabelled sample: its HELP and TYPE lines, then "name value\n". */
int lf_http_metric_one(lf_buf *out, const char *name, const char *type, const char *help, double value);
/* One series of a histogram (its family line written before): name_bucket{labels,le="B"}
 * for each of the nb upper bounds le[] (ascending, in the family's unit) and +Inf, counted
 * cumulatively, then name_sum and name_count. counts: nb + 1 per-bucket counts, not
 * cumulative, the last above every bound; _count is their total, so it always equals the
 * +Inf bucket. labels as for lf_http_metric_sample, at most LF_HTTP_METRIC_MAX_LABELS
 * pairs and no "le" among them. LF_EINVAL for a longer name or more labels. */
#define LF_HTTP_METRIC_MAX_LABELS 7
int lf_http_metric_histogram(lf_buf *out, const char *name, const char *const *labels, const double *le,
                             const uint64_t *counts, size_t nb, double sum);

/* ---- static files ---- */

typedef struct lf_http_asset {
    const char *path;          /* relative, "index.html", "js/app.js" */
    const void *data;
    size_t len;
} lf_http_asset;

typedef struct lf_http_static_opts {
    const char *root;                 /* a directory, or NULL to serve assets */
    const lf_http_asset *assets;      /* embedded table (borrowed; must outlive the handler) */
    size_t nassets;
    const char *param;                /* route parameter holding the path; NULL = "path" */
    const char *index;                /* served for "" and ".../"; NULL = "index.html" */
    size_t max_file;                  /* larger files are not served (500); 0 = 32 MiB */
    const char *cache_control;        /* NULL = "no-cache" (revalidate with the ETag) */
} lf_http_static_opts;

typedef struct lf_http_static lf_http_static;
/* LF_OK, LF_ENOTFOUND (root is not a directory), LF_EINVAL, LF_ENOMEM. */
int lf_http_static_new(const lf_http_static_opts *o, lf_http_static **out, lf_err *err);
void lf_http_static_free(lf_http_static *s);
/* The handler: register it with route_ud = the lf_http_static, on a pattern ending in
 * the rest parameter, e.g. lf_http_route(h, "GET", "/ui/{*path}", lf_http_static_handler, st, 0, err).
 * 200 with the file, Content-Type, ETag; 304 when If-None-Match matches; 404 otherwise. */
int lf_http_static_handler(void *app, lf_http_req *req, lf_http_resp *resp);
/* Path safety: check a decoded relative path and normalise it into out ("" and a trailing
 * '/' get the index name). LF_OK, or LF_EINVAL for anything that could leave the root or
 * reach hidden files: ".." or "." segments, segments starting with '.', empty segments
 * ("a//b"), a leading '/', backslashes, NUL or control bytes. */
int lf_http_static_path(const char *rel, const char *index, char *out, size_t cap);
/* MIME type by extension (case-insensitive), "application/octet-stream" when unknown. */
const char *lf_http_mime_type(const char *path);

/* ---- pieces exposed for tests and fuzzing ---- */

/* Percent-decode s[0..n) into out (cap bytes incl. NUL); plus_space turns '+' into ' '
 * (query strings, application/x-www-form-urlencoded). A '%' not followed by two hex digits
 * is kept as is. LF_OK, LF_EPARSE (%00 or invalid UTF-8 in the result), LF_ELIMIT. */
int lf_http_decode(const char *s, size_t n, bool plus_space, char *out, size_t cap, size_t *outlen);

#endif
