/*
 * Tests for src/http/http.c: percent-decoding, the router (specificity, parameters, 404,
 * 405 with Allow, HEAD, OPTIONS, malformed patterns), query decoding, header lookup,
 * cookie parsing (RFC 6265 section 5.4), responses (security headers, JSON errors,
 * Set-Cookie, header injection), body limits and file bodies, /healthz, /metrics, static
 * files (path safety, symlinks, MIME types, ETag / If-None-Match), and the real server on
 * a loopback port: keep-alive, 413 from Content-Length and from a chunked body, uploads
 * to a temporary file, raw paths reaching the router undecoded, and a graceful stop that
 * lets an in-flight request finish.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "core/json.h"
#include "http/http.h"

/* ---- helpers ---- */

typedef struct seen {
    char route[128];
    char id[64];
    char rest[256];
    bool head;
    int calls;
} seen;

/* Records what the router gave the handler; answers {"ok":true}. */
static int h_record(void *app, lf_http_req *req, lf_http_resp *resp)
{
    (void)app;
    seen *s = lf_http_req_route_ud(req);
    if (s) {
        s->calls++;
        snprintf(s->route, sizeof s->route, "%s", lf_http_req_route(req));
        const char *id = lf_http_req_param(req, "id");
        const char *rest = lf_http_req_param(req, "rest");
        snprintf(s->id, sizeof s->id, "%s", id ? id : "(null)");
        snprintf(s->rest, sizeof s->rest, "%s", rest ? rest : "(null)");
        s->head = lf_http_req_is_head(req);
    }
    return lf_buf_puts(lf_http_resp_json(resp, 200), "{\"ok\":true}");
}

static int h_fail(void *app, lf_http_req *req, lf_http_resp *resp)
{
    (void)app;
    (void)req;
    lf_http_resp_add_header(resp, "X-Secret", "leak");
    lf_buf_puts(lf_http_resp_body(resp), "partial output");
    return LF_EIO;
}

static lf_http *new_server(size_t max_body)
{
    lf_http_opts o = {0};
    o.max_body = max_body;
    o.max_upload = 1 << 20;
    o.tmp_dir = "/tmp";
    lf_http *h;
    lf_err e;
    assert_int_equal(lf_http_new(&o, &h, &e), LF_OK);
    return h;
}

/* Dispatch method+target (+ optional header) and return the response; *reqp keeps the request. */
static lf_http_resp *run(lf_http *h, const char *method, const char *target, const char *hname, const char *hval,
                         lf_http_req **reqp)
{
    lf_http_req *req;
    lf_http_resp *resp;
    lf_err e;
    assert_int_equal(lf_http_req_new(method, target, &req, &e), LF_OK);
    if (hname)
        assert_int_equal(lf_http_req_add_header(req, hname, hval), LF_OK);
    assert_int_equal(lf_http_resp_new(&resp), LF_OK);
    lf_http_dispatch(h, req, resp);
    if (reqp)
        *reqp = req;
    else
        lf_http_req_free(req);
    return resp;
}

/* The error code of a JSON error body, "" if the body is not one. */
static void error_code(lf_http_resp *resp, char *out, size_t cap)
{
    lf_arena a;
    lf_arena_init(&a, 0);
    lf_json *doc;
    lf_err e;
    out[0] = '\0';
    lf_buf *b = lf_http_resp_body(resp);
    if (b->data && lf_json_parse(&a, b->data, b->len, NULL, &doc, &e) == LF_OK) {
        const char *c = lf_json_get_str(lf_json_get(doc, "error"), "code");
        snprintf(out, cap, "%s", c ? c : "");
    }
    lf_arena_clear(&a);
}

/* ---- decoding ---- */

static void test_http_decode(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        bool plus;
        int rc;
        const char *out;
    } cases[] = {
        {"abc", false, LF_OK, "abc"},
        {"%41%62", false, LF_OK, "Ab"},
        {"a+b", true, LF_OK, "a b"},
        {"a+b", false, LF_OK, "a+b"},          /* '+' is literal in paths */
        {"%2B", true, LF_OK, "+"},
        {"%zz%4", false, LF_OK, "%zz%4"},      /* malformed escapes kept as written */
        {"100%", false, LF_OK, "100%"},
        {"%E4%B8%AD%E6%96%87", false, LF_OK, "\xe4\xb8\xad\xe6\x96\x87"},   /* 中文 */
        {"a%2Fb", false, LF_OK, "a/b"},
        {"%00", false, LF_EPARSE, NULL},       /* NUL would truncate C strings */
        {"%C3", false, LF_EPARSE, NULL},       /* truncated UTF-8 */
        {"%C0%AF", false, LF_EPARSE, NULL},    /* overlong '/' */
        {"%ED%A0%80", false, LF_EPARSE, NULL}, /* UTF-16 surrogate */
        {"\xff", false, LF_EPARSE, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[64];
        size_t n = 0;
        int rc = lf_http_decode(cases[i].in, strlen(cases[i].in), cases[i].plus, out, sizeof out, &n);
        if (rc != cases[i].rc)
            fail_msg("case %zu '%s': rc %d, want %d", i, cases[i].in, rc, cases[i].rc);
        if (cases[i].out) {
            assert_string_equal(out, cases[i].out);
            assert_int_equal(n, strlen(cases[i].out));
        }
    }
    char small[4];
    assert_int_equal(lf_http_decode("abcd", 4, false, small, sizeof small, NULL), LF_ELIMIT);
    assert_int_equal(lf_http_decode("abc", 3, false, small, sizeof small, NULL), LF_OK);
}

/* ---- router ---- */

static void test_http_router_matching(void **state)
{
    (void)state;
    lf_http *h = new_server(0);
    seen s_list = {0}, s_one = {0}, s_find = {0}, s_post = {0}, s_new = {0}, s_files = {0}, s_root = {0};
    lf_err e;
    assert_int_equal(lf_http_route(h, "GET", "/api/v1/agencies", h_record, &s_list, 0, &e), LF_OK);
    assert_int_equal(lf_http_route(h, "GET", "/api/v1/agencies/{id}", h_record, &s_one, 0, &e), LF_OK);
    assert_int_equal(lf_http_route(h, "GET", "/api/v1/agencies/{id}/findings", h_record, &s_find, 0, &e), LF_OK);
    assert_int_equal(lf_http_route(h, "POST", "/api/v1/agencies/{id}/findings", h_record, &s_post, 0, &e), LF_OK);
    assert_int_equal(lf_http_route(h, "GET", "/api/v1/agencies/new", h_record, &s_new, 0, &e), LF_OK);
    assert_int_equal(lf_http_route(h, "GET", "/files/{*rest}", h_record, &s_files, 0, &e), LF_OK);
    assert_int_equal(lf_http_route(h, "GET", "/", h_record, &s_root, 0, &e), LF_OK);

    static const struct {
        const char *method, *target;
        int status;
        const char *route, *id, *rest;
    } cases[] = {
        {"GET", "/api/v1/agencies", 200, "/api/v1/agencies", "(null)", "(null)"},
        {"GET", "/api/v1/agencies/A-123", 200, "/api/v1/agencies/{id}", "A-123", "(null)"},
        {"GET", "/api/v1/agencies/new", 200, "/api/v1/agencies/new", "(null)", "(null)"}, /* literal wins */
        {"GET", "/api/v1/agencies/42/findings", 200, "/api/v1/agencies/{id}/findings", "42", "(null)"},
        {"POST", "/api/v1/agencies/42/findings", 200, "/api/v1/agencies/{id}/findings", "42", "(null)"},
        {"HEAD", "/api/v1/agencies/7", 200, "/api/v1/agencies/{id}", "7", "(null)"},
        {"GET", "/api/v1/agencies/a%2Fb/findings", 200, "/api/v1/agencies/{id}/findings", "a/b", "(null)"},
        {"GET", "/api/v1/agencies/%E8%87%BA%E5%8C%97", 200, "/api/v1/agencies/{id}", "\xe8\x87\xba\xe5\x8c\x97",
         "(null)"},
        {"GET", "/api/v1/%61gencies", 200, "/api/v1/agencies", "(null)", "(null)"},   /* RFC 3986 6.2.2.2 */
        {"GET", "/files/a/b%20c/d.txt", 200, "/files/{*rest}", "(null)", "a/b c/d.txt"},
        {"GET", "/files", 200, "/files/{*rest}", "(null)", ""},
        {"GET", "/files/", 200, "/files/{*rest}", "(null)", ""},
        {"GET", "/", 200, "/", "(null)", "(null)"},
        {"GET", "/api/v1/agencies/", 404, NULL, NULL, NULL},     /* empty {id} */
        {"GET", "/api/v1/agencies//findings", 404, NULL, NULL, NULL},
        {"GET", "/api/v1/agency", 404, NULL, NULL, NULL},
        {"GET", "/api/v1/agencies/1/findings/2", 404, NULL, NULL, NULL},
        {"DELETE", "/api/v1/agencies/1/findings", 405, NULL, NULL, NULL},
        {"POST", "/api/v1/agencies", 405, NULL, NULL, NULL},
        {"get", "/api/v1/agencies", 405, NULL, NULL, NULL},      /* methods are case-sensitive */
        {"GET", "/api/v1/agencies/%00", 400, NULL, NULL, NULL},
        {"GET", "/api/v1/agencies/%FF", 400, NULL, NULL, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lf_http_req *req;
        lf_http_resp *resp = run(h, cases[i].method, cases[i].target, NULL, NULL, &req);
        if (lf_http_resp_status(resp) != cases[i].status)
            fail_msg("case %zu %s %s: status %d, want %d", i, cases[i].method, cases[i].target,
                     lf_http_resp_status(resp), cases[i].status);
        if (cases[i].route) {
            assert_string_equal(lf_http_req_route(req), cases[i].route);
            seen *s = lf_http_req_route_ud(req);
            assert_string_equal(s->route, cases[i].route);
            assert_string_equal(s->id, cases[i].id);
            assert_string_equal(s->rest, cases[i].rest);
            assert_int_equal(s->head, !strcmp(cases[i].method, "HEAD"));
        } else {
            char code[64];
            error_code(resp, code, sizeof code);
            const char *want = cases[i].status == 404 ? "not_found" : cases[i].status == 405 ? "method_not_allowed"
                                                                                          : "bad_request";
            assert_string_equal(code, want);
            assert_null(lf_http_req_route(req));
        }
        lf_http_req_free(req);
        lf_http_resp_free(resp);
    }
    /* 405 names the allowed methods of the path, HEAD with GET, OPTIONS always */
    lf_http_resp *r = run(h, "DELETE", "/api/v1/agencies/1/findings", NULL, NULL, NULL);
    assert_string_equal(lf_http_resp_header(r, "Allow"), "GET, POST, HEAD, OPTIONS");
    lf_http_resp_free(r);
    r = run(h, "OPTIONS", "/api/v1/agencies/1/findings", NULL, NULL, NULL);
    assert_int_equal(lf_http_resp_status(r), 204);
    assert_string_equal(lf_http_resp_header(r, "Allow"), "GET, POST, HEAD, OPTIONS");
    assert_int_equal(lf_http_resp_body(r)->len, 0);
    lf_http_resp_free(r);
    r = run(h, "OPTIONS", "/nowhere", NULL, NULL, NULL);
    assert_int_equal(lf_http_resp_status(r), 404);
    assert_null(lf_http_resp_header(r, "Allow"));
    lf_http_resp_free(r);
    /* the built-in routes are there */
    r = run(h, "POST", "/healthz", NULL, NULL, NULL);
    assert_int_equal(lf_http_resp_status(r), 405);
    assert_string_equal(lf_http_resp_header(r, "Allow"), "GET, HEAD, OPTIONS");
    lf_http_resp_free(r);
    lf_http_free(h);
}

static void test_http_route_patterns(void **state)
{
    (void)state;
    lf_http *h = new_server(0);
    lf_err e;
    static const struct {
        const char *method, *pattern;
        int rc;
    } cases[] = {
        {"GET", "api", LF_EINVAL},
        {"GET", "/a//b", LF_EINVAL},
        {"GET", "/a/", LF_EINVAL},
        {"GET", "/a/{", LF_EINVAL},
        {"GET", "/a/{}", LF_EINVAL},
        {"GET", "/a/{*}", LF_EINVAL},
        {"GET", "/a/{b-c}", LF_EINVAL},
        {"GET", "/a/{*rest}/x", LF_EINVAL},
        {"GET", "/a/{id}/{id}", LF_EINVAL},
        {"GET", "/a b", LF_EINVAL},
        {"GET", "/a%20b", LF_EINVAL},
        {"HEAD", "/x", LF_EINVAL},            /* HEAD comes with GET */
        {"OPTIONS", "/x", LF_EINVAL},         /* answered by the layer */
        {"G T", "/x", LF_EINVAL},
        {"GET", "/ok/{id}", LF_OK},
        {"GET", "/ok/{other}", LF_EEXIST},    /* same shape, same method */
        {"PUT", "/ok/{other}", LF_OK},
        {"GET", "/healthz", LF_EEXIST},       /* built in */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lf_err_clear(&e);
        int rc = lf_http_route(h, cases[i].method, cases[i].pattern, h_record, NULL, 0, &e);
        if (rc != cases[i].rc)
            fail_msg("case %zu %s %s: rc %d, want %d (%s)", i, cases[i].method, cases[i].pattern, rc, cases[i].rc,
                     e.msg);
        if (rc)
            assert_true(e.msg[0] != '\0');
    }
    lf_http_free(h);
}

/* ---- request parts ---- */

static void test_http_query_decoding(void **state)
{
    (void)state;
    lf_http_req *q;
    lf_err e;
    assert_int_equal(lf_http_req_new("GET", "/q?a=1&b=x+y&c=%E4%B8%AD&d&e=&a=2&%zz=%2B&&limit=20#frag", &q, &e), LF_OK);
    assert_string_equal(lf_http_req_path(q), "/q");
    assert_string_equal(lf_http_req_query(q, "a"), "1");
    assert_string_equal(lf_http_req_query_nth(q, "a", 1), "2");
    assert_null(lf_http_req_query_nth(q, "a", 2));
    assert_string_equal(lf_http_req_query(q, "b"), "x y");
    assert_string_equal(lf_http_req_query(q, "c"), "\xe4\xb8\xad");
    assert_string_equal(lf_http_req_query(q, "d"), "");
    assert_string_equal(lf_http_req_query(q, "e"), "");
    assert_string_equal(lf_http_req_query(q, "%zz"), "+");
    assert_null(lf_http_req_query(q, "A"));     /* names are case-sensitive */
    assert_int_equal(lf_http_req_query_count(q), 8);
    const char *k, *v;
    assert_true(lf_http_req_query_at(q, 1, &k, &v));
    assert_string_equal(k, "b");
    assert_string_equal(v, "x y");
    assert_false(lf_http_req_query_at(q, 8, &k, &v));
    long n;
    assert_int_equal(lf_http_req_query_long(q, "limit", 50, 1, 500, &n), LF_OK);
    assert_int_equal(n, 20);
    assert_int_equal(lf_http_req_query_long(q, "page", 1, 1, 100, &n), LF_OK);
    assert_int_equal(n, 1);
    assert_int_equal(lf_http_req_query_long(q, "b", 1, 1, 100, &n), LF_EPARSE);
    assert_int_equal(lf_http_req_query_long(q, "a", 1, 5, 100, &n), LF_ERANGE);
    assert_int_equal(lf_http_req_query_long(q, "d", 1, 1, 100, &n), LF_EPARSE);
    lf_http_req_free(q);

    /* a query that does not decode is refused with 400 before any handler runs */
    lf_http *h = new_server(0);
    seen s = {0};
    assert_int_equal(lf_http_route(h, "GET", "/q", h_record, &s, 0, &e), LF_OK);
    static const char *const bad[] = {"/q?x=%00", "/q?x=%C3", "/q?%FF=1"};
    for (size_t i = 0; i < 3; i++) {
        lf_http_resp *r = run(h, "GET", bad[i], NULL, NULL, NULL);
        assert_int_equal(lf_http_resp_status(r), 400);
        lf_http_resp_free(r);
    }
    assert_int_equal(s.calls, 0);
    assert_int_equal(lf_http_req_new("GET", "q", &q, &e), LF_EPARSE);
    lf_http_free(h);
}

static void test_http_header_lookup(void **state)
{
    (void)state;
    lf_http_req *q;
    lf_err e;
    assert_int_equal(lf_http_req_new("GET", "/", &q, &e), LF_OK);
    assert_int_equal(lf_http_req_add_header(q, "Content-Type", "application/json"), LF_OK);
    assert_int_equal(lf_http_req_add_header(q, "X-Forwarded-For", "10.0.0.1"), LF_OK);
    assert_int_equal(lf_http_req_add_header(q, "x-forwarded-for", "10.0.0.2"), LF_OK);
    assert_int_equal(lf_http_req_add_header(q, "Empty", ""), LF_OK);
    assert_string_equal(lf_http_req_header(q, "content-type"), "application/json");
    assert_string_equal(lf_http_req_header(q, "CONTENT-TYPE"), "application/json");
    assert_string_equal(lf_http_req_header(q, "X-FORWARDED-FOR"), "10.0.0.1");   /* first wins */
    assert_string_equal(lf_http_req_header(q, "empty"), "");
    assert_null(lf_http_req_header(q, "Content"));
    assert_null(lf_http_req_header(q, "Authorization"));
    lf_http_req_free(q);
}

static void test_http_cookie_parsing(void **state)
{
    (void)state;
    lf_http_req *q;
    lf_err e;
    assert_int_equal(lf_http_req_new("GET", "/", &q, &e), LF_OK);
    assert_int_equal(lf_http_req_add_header(q, "Cookie", "sid=abc123; theme=\"dark\"; empty=; noeq; =x;  spaced = v ;"
                                                         "csrf=t0k=en"),
                     LF_OK);
    assert_int_equal(lf_http_req_add_header(q, "cookie", "late=1; sid=second"), LF_OK);
    assert_string_equal(lf_http_req_cookie(q, "sid"), "abc123");     /* first wins */
    assert_string_equal(lf_http_req_cookie(q, "theme"), "dark");     /* quotes removed */
    assert_string_equal(lf_http_req_cookie(q, "empty"), "");
    assert_null(lf_http_req_cookie(q, "noeq"));
    assert_null(lf_http_req_cookie(q, ""));
    assert_string_equal(lf_http_req_cookie(q, "spaced"), "v");
    assert_string_equal(lf_http_req_cookie(q, "csrf"), "t0k=en");    /* only the first '=' splits */
    assert_string_equal(lf_http_req_cookie(q, "late"), "1");         /* from the second header */
    assert_null(lf_http_req_cookie(q, "SID"));                       /* names are case-sensitive */
    lf_http_req_free(q);
}

/* ---- responses ---- */

static int h_cookie(void *app, lf_http_req *req, lf_http_resp *resp)
{
    (void)app;
    (void)req;
    lf_http_cookie_opts o = {3600, NULL, false};
    int rc = lf_http_resp_set_cookie(resp, "sid", "abc", &o);
    lf_http_cookie_opts del = {0, "/api", true};
    if (!rc)
        rc = lf_http_resp_set_cookie(resp, "csrf", "", &del);
    assert_int_equal(lf_http_resp_set_cookie(resp, "bad name", "x", NULL), LF_EINVAL);
    assert_int_equal(lf_http_resp_set_cookie(resp, "x", "a;b", NULL), LF_EINVAL);
    assert_int_equal(lf_http_resp_set_cookie(resp, "x", "a b", NULL), LF_EINVAL);
    assert_int_equal(lf_http_resp_add_header(resp, "X-A", "v\r\nX-B: injected"), LF_EINVAL);
    assert_int_equal(lf_http_resp_add_header(resp, "X A", "v"), LF_EINVAL);
    assert_int_equal(lf_http_resp_add_header(resp, "Content-Length", "1"), LF_EINVAL);
    assert_int_equal(lf_http_resp_add_header(resp, "Connection", "close"), LF_EINVAL);
    assert_int_equal(lf_http_resp_add_header(resp, "X-Frame-Options", "ALLOWALL"), LF_OK);   /* overridden */
    assert_int_equal(lf_http_resp_add_header(resp, "Cache-Control", "max-age=600"), LF_OK);  /* overridden on /api */
    assert_int_equal(lf_http_resp_add_header(resp, "X-Request-Id", "forged"), LF_OK);        /* overridden */
    if (!rc)
        rc = lf_buf_puts(lf_http_resp_json(resp, 201), "{}");
    return rc;
}

static void test_http_response_headers(void **state)
{
    (void)state;
    lf_http *h = new_server(0);
    lf_err e;
    assert_int_equal(lf_http_route(h, "GET", "/api/v1/login", h_cookie, NULL, 0, &e), LF_OK);
    assert_int_equal(lf_http_route(h, "GET", "/fail", h_fail, NULL, 0, &e), LF_OK);
    assert_int_equal(lf_http_route(h, "GET", "/page", h_record, NULL, 0, &e), LF_OK);
    lf_http_req *q;
    lf_http_resp *r = run(h, "GET", "/api/v1/login", NULL, NULL, &q);
    assert_int_equal(lf_http_resp_status(r), 201);
    assert_string_equal(lf_http_resp_header(r, "X-Content-Type-Options"), "nosniff");
    assert_string_equal(lf_http_resp_header(r, "X-Frame-Options"), "DENY");
    assert_string_equal(lf_http_resp_header(r, "Cache-Control"), "no-store");
    assert_non_null(strstr(lf_http_resp_header(r, "Content-Security-Policy"), "frame-ancestors 'none'"));
    assert_null(lf_http_resp_header(r, "Strict-Transport-Security"));    /* no TLS here */
    assert_string_equal(lf_http_resp_header(r, "X-Request-Id"), lf_http_req_id(q));
    assert_string_equal(lf_http_resp_header(r, "Content-Type"), "application/json; charset=utf-8");
    /* without TLS, no Secure; HttpOnly unless script-visible; SameSite=Strict always */
    assert_string_equal(lf_http_resp_header(r, "Set-Cookie"), "sid=abc; Path=/; Max-Age=3600; HttpOnly; SameSite=Strict");
    lf_http_req_free(q);
    lf_http_resp_free(r);

    /* outside /api the layer leaves caching to the handler */
    r = run(h, "GET", "/page", NULL, NULL, NULL);
    assert_null(lf_http_resp_header(r, "Cache-Control"));
    assert_string_equal(lf_http_resp_header(r, "X-Frame-Options"), "DENY");
    lf_http_resp_free(r);

    /* a failing handler: 500 JSON, its partial output and headers dropped */
    r = run(h, "GET", "/fail", NULL, NULL, &q);
    assert_int_equal(lf_http_resp_status(r), 500);
    assert_null(lf_http_resp_header(r, "X-Secret"));
    assert_null(strstr(lf_http_resp_body(r)->data, "partial"));
    char code[32];
    error_code(r, code, sizeof code);
    assert_string_equal(code, "internal");
    assert_non_null(strstr(lf_http_resp_body(r)->data, lf_http_req_id(q)));
    lf_http_req_free(q);
    lf_http_resp_free(r);

    /* a proxy's request id is kept when it is safe, replaced otherwise */
    r = run(h, "GET", "/page", "X-Request-Id", "edge-42.a:b_c", NULL);
    assert_string_equal(lf_http_resp_header(r, "X-Request-Id"), "edge-42.a:b_c");
    lf_http_resp_free(r);
    r = run(h, "GET", "/page", "X-Request-Id", "<script>", NULL);
    assert_string_not_equal(lf_http_resp_header(r, "X-Request-Id"), "<script>");
    lf_http_resp_free(r);
    lf_http_free(h);

    /* Secure cookies when asked (a TLS proxy in front) */
    lf_http_opts o = {0};
    o.secure_cookies = true;
    assert_int_equal(lf_http_new(&o, &h, &e), LF_OK);
    assert_int_equal(lf_http_route(h, "GET", "/api/v1/login", h_cookie, NULL, 0, &e), LF_OK);
    r = run(h, "GET", "/api/v1/login", NULL, NULL, NULL);
    assert_string_equal(lf_http_resp_header(r, "Set-Cookie"),
                        "sid=abc; Path=/; Max-Age=3600; HttpOnly; Secure; SameSite=Strict");
    lf_http_resp_free(r);
    lf_http_free(h);
}

static void test_http_json_error(void **state)
{
    (void)state;
    lf_http_resp *r;
    assert_int_equal(lf_http_resp_new(&r), LF_OK);
    lf_buf_puts(lf_http_resp_body(r), "old body");
    assert_int_equal(lf_http_json_error(r, 422, "invalid_field", "field \"due\" must be a date\n"), LF_OK);
    assert_int_equal(lf_http_resp_status(r), 422);
    assert_string_equal(lf_http_resp_body(r)->data,
                        "{\"error\":{\"code\":\"invalid_field\",\"message\":\"field \\\"due\\\" must be a date\\u000a\"}}\n");
    lf_http_resp_free(r);
}

/* ---- bodies ---- */

typedef struct body_seen {
    char text[64];
    size_t len;
    char file[256];
    size_t file_len;
    char file_content[64];
    bool take;
} body_seen;

static int h_body(void *app, lf_http_req *req, lf_http_resp *resp)
{
    (void)app;
    body_seen *b = lf_http_req_route_ud(req);
    const char *t = lf_http_req_body(req, &b->len);
    snprintf(b->text, sizeof b->text, "%s", t);
    const char *f = lf_http_req_body_file(req, &b->file_len);
    snprintf(b->file, sizeof b->file, "%s", f ? f : "");
    if (f) {
        FILE *fp = fopen(f, "rb");
        assert_non_null(fp);
        size_t n = fread(b->file_content, 1, sizeof b->file_content - 1, fp);
        b->file_content[n] = '\0';
        fclose(fp);
        if (b->take)
            assert_string_equal(lf_http_req_take_body_file(req), f);
    }
    return lf_buf_puts(lf_http_resp_json(resp, 200), "{}");
}

static void test_http_body_limits(void **state)
{
    (void)state;
    lf_http *h = new_server(16);
    lf_err e;
    body_seen mem = {0}, file = {0};
    assert_int_equal(lf_http_route(h, "POST", "/mem", h_body, &mem, 0, &e), LF_OK);
    assert_int_equal(lf_http_route(h, "POST", "/file", h_body, &file, LF_HTTP_BODY_FILE, &e), LF_OK);
    lf_http_req *q;
    lf_http_resp *r;
    /* exactly at the limit: accepted */
    assert_int_equal(lf_http_req_new("POST", "/mem", &q, &e), LF_OK);
    assert_int_equal(lf_http_req_set_body(q, "0123456789abcdef", 16), LF_OK);
    assert_int_equal(lf_http_resp_new(&r), LF_OK);
    lf_http_dispatch(h, q, r);
    assert_int_equal(lf_http_resp_status(r), 200);
    assert_string_equal(mem.text, "0123456789abcdef");
    assert_int_equal(mem.len, 16);
    lf_http_req_free(q);
    lf_http_resp_free(r);
    /* one byte more: 413 without calling the handler */
    mem.text[0] = '\0';
    assert_int_equal(lf_http_req_new("POST", "/mem", &q, &e), LF_OK);
    assert_int_equal(lf_http_req_set_body(q, "0123456789abcdefg", 17), LF_OK);
    assert_int_equal(lf_http_resp_new(&r), LF_OK);
    lf_http_dispatch(h, q, r);
    assert_int_equal(lf_http_resp_status(r), 413);
    char code[32];
    error_code(r, code, sizeof code);
    assert_string_equal(code, "payload_too_large");
    assert_string_equal(mem.text, "");
    lf_http_req_free(q);
    lf_http_resp_free(r);
    /* a file route takes bodies larger than max_body, in a temporary file removed afterwards */
    assert_int_equal(lf_http_req_new("POST", "/file", &q, &e), LF_OK);
    assert_int_equal(lf_http_req_set_body(q, "host,cpe\npc1,cpe:2.3:a:x:y:1\n", 29), LF_OK);
    assert_int_equal(lf_http_resp_new(&r), LF_OK);
    lf_http_dispatch(h, q, r);
    assert_int_equal(lf_http_resp_status(r), 200);
    assert_string_equal(file.text, "");
    assert_int_equal(file.len, 0);
    assert_int_equal(file.file_len, 29);
    assert_string_equal(file.file_content, "host,cpe\npc1,cpe:2.3:a:x:y:1\n");
    assert_non_null(strstr(file.file, "/tmp/lf-upload-"));
    assert_true(access(file.file, F_OK) == 0);
    lf_http_req_free(q);
    assert_true(access(file.file, F_OK) != 0);   /* removed with the request */
    lf_http_resp_free(r);
    /* taken: kept for the caller */
    file.take = true;
    assert_int_equal(lf_http_req_new("POST", "/file", &q, &e), LF_OK);
    assert_int_equal(lf_http_req_set_body(q, "x", 1), LF_OK);
    assert_int_equal(lf_http_resp_new(&r), LF_OK);
    lf_http_dispatch(h, q, r);
    lf_http_req_free(q);
    lf_http_resp_free(r);
    assert_true(access(file.file, F_OK) == 0);
    unlink(file.file);
    lf_http_free(h);
}

/* ---- /healthz and /metrics ---- */

static void health_bad(void *app, lf_http_health *hh)
{
    (void)app;
    lf_http_health_check(hh, "store", false, "database is locked");
    lf_http_health_check(hh, "feeds", true, NULL);
}

static int metrics_hook(void *app, lf_buf *out)
{
    (void)app;
    int rc = lf_http_metric_family(out, "lianfang_uploads_total", "counter", "Inventory uploads.");
    if (!rc)
        rc = lf_http_metric_sample(out, "lianfang_uploads_total",
                                   (const char *const[]){"agency", "a\"b\\c\nd", NULL}, 3);
    return rc;
}

/* LF_HTTP_OWN_413: the handler is called for a body over the limit, sees it as too large
 * with no body, and words the answer itself (TAXII's error format) */
typedef struct own413_seen {
    int calls;
    bool too_large;
    size_t limit, len;
} own413_seen;

static int h_own413(void *app, lf_http_req *req, lf_http_resp *resp)
{
    (void)app;
    own413_seen *o = lf_http_req_route_ud(req);
    o->calls++;
    o->too_large = lf_http_req_too_large(req);
    o->limit = lf_http_req_body_limit(req);
    lf_http_req_body(req, &o->len);
    if (o->too_large)
        return lf_buf_puts(lf_http_resp_json(resp, 413), "{\"title\":\"own\"}");
    return lf_buf_puts(lf_http_resp_json(resp, 200), "{}");
}

static void test_http_own_413(void **state)
{
    (void)state;
    lf_http *h = new_server(16);
    lf_err e;
    own413_seen own = {0};
    assert_int_equal(lf_http_route(h, "POST", "/own", h_own413, &own, LF_HTTP_OWN_413, &e), LF_OK);
    lf_http_req *q;
    lf_http_resp *r;
    assert_int_equal(lf_http_req_new("POST", "/own", &q, &e), LF_OK);
    assert_int_equal(lf_http_req_set_body(q, "0123456789abcdefg", 17), LF_OK);
    assert_int_equal(lf_http_resp_new(&r), LF_OK);
    lf_http_dispatch(h, q, r);
    assert_int_equal(own.calls, 1);
    assert_true(own.too_large);
    assert_int_equal(own.limit, 16);
    assert_int_equal(own.len, 0);   /* the body over the limit is not handed over */
    assert_int_equal(lf_http_resp_status(r), 413);
    lf_buf *rb = lf_http_resp_body(r);   /* the handler's body, not the layer's error */
    assert_non_null(rb->data);
    assert_non_null(strstr(rb->data, "\"title\":\"own\""));
    assert_null(strstr(rb->data, "payload_too_large"));
    lf_http_req_free(q);
    lf_http_resp_free(r);
    /* within the limit: an ordinary call */
    assert_int_equal(lf_http_req_new("POST", "/own", &q, &e), LF_OK);
    assert_int_equal(lf_http_req_set_body(q, "0123456789abcdef", 16), LF_OK);
    assert_int_equal(lf_http_resp_new(&r), LF_OK);
    lf_http_dispatch(h, q, r);
    assert_int_equal(own.calls, 2);
    assert_false(own.too_large);
    assert_int_equal(own.len, 16);
    assert_int_equal(lf_http_resp_status(r), 200);
    lf_http_req_free(q);
    lf_http_resp_free(r);
    lf_http_free(h);
}

static void test_http_healthz(void **state)
{
    (void)state;
    lf_http *h = new_server(0);
    lf_http_resp *r = run(h, "GET", "/healthz", NULL, NULL, NULL);
    assert_int_equal(lf_http_resp_status(r), 200);
    assert_string_equal(lf_http_resp_body(r)->data, "{\"status\":\"ok\"}\n");
    assert_string_equal(lf_http_resp_header(r, "Cache-Control"), "no-store");
    lf_http_resp_free(r);
    lf_http_free(h);

    lf_http_opts o = {0};
    o.health = health_bad;
    lf_err e;
    assert_int_equal(lf_http_new(&o, &h, &e), LF_OK);
    r = run(h, "GET", "/healthz", NULL, NULL, NULL);
    assert_int_equal(lf_http_resp_status(r), 503);
    assert_string_equal(lf_http_resp_body(r)->data,
                        "{\"status\":\"fail\",\"checks\":{\"store\":{\"status\":\"fail\",\"detail\":\"database is "
                        "locked\"},\"feeds\":{\"status\":\"ok\"}}}\n");
    lf_http_resp_free(r);
    lf_http_free(h);
}

/* Value of the sample whose line starts with prefix (name and labels), -1 if absent. */
static double sample(const char *text, const char *prefix)
{
    size_t n = strlen(prefix);
    for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
        if (!strncmp(l, prefix, n) && l[n] == ' ')
            return strtod(l + n + 1, NULL);
    return -1;
}

static void test_http_metrics(void **state)
{
    (void)state;
    lf_http_opts o = {0};
    o.metrics = metrics_hook;
    lf_http *h;
    lf_err e;
    assert_int_equal(lf_http_new(&o, &h, &e), LF_OK);
    assert_int_equal(lf_http_route(h, "GET", "/api/v1/x", h_record, NULL, 0, &e), LF_OK);
    for (int i = 0; i < 3; i++)
        lf_http_resp_free(run(h, "GET", "/api/v1/x", NULL, NULL, NULL));
    lf_http_resp_free(run(h, "GET", "/nope", NULL, NULL, NULL));
    lf_http_resp_free(run(h, "DELETE", "/api/v1/x", NULL, NULL, NULL));
    lf_http_resp *r = run(h, "GET", "/metrics", NULL, NULL, NULL);
    assert_int_equal(lf_http_resp_status(r), 200);
    assert_string_equal(lf_http_resp_type(r), "text/plain; version=0.0.4; charset=utf-8");
    const char *t = lf_http_resp_body(r)->data;
    assert_true(sample(t, "lianfang_http_requests_total{method=\"GET\",route=\"/api/v1/x\",status=\"200\"}") == 3);
    assert_true(sample(t, "lianfang_http_requests_total{method=\"any\",route=\"unmatched\",status=\"404\"}") == 1);
    assert_true(sample(t, "lianfang_http_requests_total{method=\"any\",route=\"unmatched\",status=\"405\"}") == 1);
    assert_true(sample(t, "lianfang_http_requests_in_flight") == 1);    /* this request */
    /* buckets are cumulative, end in +Inf, and +Inf equals _count */
    static const char *const le[] = {"0.001", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "+Inf"};
    double prev = 0;
    for (size_t i = 0; i < 10; i++) {
        char p[200];
        snprintf(p, sizeof p, "lianfang_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/v1/x\",le=\"%s\"}",
                 le[i]);
        double v = sample(t, p);
        assert_true(v >= prev);
        prev = v;
    }
    assert_true(prev == 3);
    assert_true(sample(t, "lianfang_http_request_duration_seconds_count{method=\"GET\",route=\"/api/v1/x\"}") == 3);
    assert_non_null(strstr(t, "# TYPE lianfang_http_request_duration_seconds histogram\n"));
    assert_non_null(strstr(t, "# TYPE lianfang_http_requests_total counter\n"));
    /* the app's families, label values escaped */
    assert_true(sample(t, "lianfang_uploads_total{agency=\"a\\\"b\\\\c\\nd\"}") == 3);
    lf_http_resp_free(r);
    lf_http_free(h);

    lf_buf b;
    lf_buf_init(&b, 0);
    assert_int_equal(lf_http_metric_sample(&b, "m", NULL, 0.25), LF_OK);
    assert_int_equal(lf_http_metric_sample(&b, "m", NULL, 1e20), LF_OK);
    assert_int_equal(lf_http_metric_sample(&b, "m", NULL, 12345), LF_OK);
    assert_string_equal(b.data, "m 0.25\nm 1e+20\nm 12345\n");
    lf_buf_clear(&b);

    /* a histogram series as the app writes one: buckets cumulative up to +Inf, which
     * _count equals; the caller's labels come before le, and _sum and _count carry them */
    static const double le2[] = {0.05, 2.5};
    static const uint64_t n2[] = {1, 0, 2};
    lf_buf_init(&b, 0);
    assert_int_equal(lf_http_metric_histogram(&b, "h", (const char *const[]){"a", "x", NULL}, le2, n2, 2, 7.5), LF_OK);
    assert_int_equal(lf_http_metric_histogram(&b, "g", NULL, le2, n2, 2, 0.125), LF_OK);
    assert_string_equal(b.data, "h_bucket{a=\"x\",le=\"0.05\"} 1\n"
                                "h_bucket{a=\"x\",le=\"2.5\"} 1\n"
                                "h_bucket{a=\"x\",le=\"+Inf\"} 3\n"
                                "h_sum{a=\"x\"} 7.5\n"
                                "h_count{a=\"x\"} 3\n"
                                "g_bucket{le=\"0.05\"} 1\n"
                                "g_bucket{le=\"2.5\"} 1\n"
                                "g_bucket{le=\"+Inf\"} 3\n"
                                "g_sum 0.125\n"
                                "g_count 3\n");
    /* more label pairs than the copy holds, or a name the suffixes do not fit: refused */
    const char *many[2 * LF_HTTP_METRIC_MAX_LABELS + 3];
    for (size_t i = 0; i < 2 * LF_HTTP_METRIC_MAX_LABELS + 2; i++)
        many[i] = "k";
    many[2 * LF_HTTP_METRIC_MAX_LABELS + 2] = NULL;
    assert_int_equal(lf_http_metric_histogram(&b, "h", many, le2, n2, 2, 0), LF_EINVAL);
    char longname[200];
    memset(longname, 'n', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    assert_int_equal(lf_http_metric_histogram(&b, longname, NULL, le2, n2, 2, 0), LF_EINVAL);
    lf_buf_clear(&b);
}

/* ---- static files ---- */

static void test_http_static_path_safety(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        int rc;
        const char *out;
    } cases[] = {
        {"", LF_OK, "index.html"},
        {"app.js", LF_OK, "app.js"},
        {"js/app.js", LF_OK, "js/app.js"},
        {"docs/", LF_OK, "docs/index.html"},
        {"a b/c\xe4\xb8\xad.txt", LF_OK, "a b/c\xe4\xb8\xad.txt"},
        {"..", LF_EINVAL, NULL},
        {"../etc/passwd", LF_EINVAL, NULL},
        {"a/../../etc/passwd", LF_EINVAL, NULL},
        {"a/..", LF_EINVAL, NULL},
        {".", LF_EINVAL, NULL},
        {"./a", LF_EINVAL, NULL},
        {"a/./b", LF_EINVAL, NULL},
        {".git/config", LF_EINVAL, NULL},
        {".env", LF_EINVAL, NULL},
        {"a/.htpasswd", LF_EINVAL, NULL},
        {"/etc/passwd", LF_EINVAL, NULL},
        {"a//b", LF_EINVAL, NULL},
        {"..\\windows", LF_EINVAL, NULL},
        {"a\\..\\b", LF_EINVAL, NULL},
        {"a\x01", LF_EINVAL, NULL},
        {"a\nb", LF_EINVAL, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[64];
        int rc = lf_http_static_path(cases[i].in, NULL, out, sizeof out);
        if (rc != cases[i].rc)
            fail_msg("case %zu '%s': rc %d, want %d", i, cases[i].in, rc, cases[i].rc);
        if (cases[i].out)
            assert_string_equal(out, cases[i].out);
    }
    char small[8];
    assert_int_equal(lf_http_static_path("abcdefgh", NULL, small, sizeof small), LF_ELIMIT);
    assert_int_equal(lf_http_static_path("", "home.htm", small, sizeof small), LF_ELIMIT);

    static const struct {
        const char *path, *type;
    } mt[] = {
        {"index.html", "text/html; charset=utf-8"},
        {"a/APP.JS", "text/javascript; charset=utf-8"},
        {"s.css", "text/css; charset=utf-8"},
        {"logo.svg", "image/svg+xml"},
        {"f.woff2", "font/woff2"},
        {"data.json", "application/json; charset=utf-8"},
        {"noext", "application/octet-stream"},
        {"dir.d/noext", "application/octet-stream"},
        {"x.exe", "application/octet-stream"},
    };
    for (size_t i = 0; i < sizeof mt / sizeof mt[0]; i++)
        assert_string_equal(lf_http_mime_type(mt[i].path), mt[i].type);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_http_static_serving(void **state)
{
    (void)state;
    char base[] = "/tmp/lf-test-static-XXXXXX";
    assert_non_null(mkdtemp(base));
    char root[200], p[300];
    snprintf(root, sizeof root, "%s/www", base);
    assert_int_equal(mkdir(root, 0700), 0);
    snprintf(p, sizeof p, "%s/secret.txt", base);
    write_file(p, "top secret");
    snprintf(p, sizeof p, "%s/index.html", root);
    write_file(p, "<!doctype html><title>lianfang</title>");
    snprintf(p, sizeof p, "%s/app.js", root);
    write_file(p, "console.log(1)");
    snprintf(p, sizeof p, "%s/.hidden", root);
    write_file(p, "hidden");
    snprintf(p, sizeof p, "%s/sub", root);
    assert_int_equal(mkdir(p, 0700), 0);
    char target[300];
    snprintf(target, sizeof target, "%s/secret.txt", base);
    snprintf(p, sizeof p, "%s/link.txt", root);
    assert_int_equal(symlink(target, p), 0);   /* a link out of the root */
    snprintf(p, sizeof p, "%s/inner.js", root);
    assert_int_equal(symlink("app.js", p), 0); /* a link inside the root is fine */

    static const lf_http_asset assets[] = {
        {"index.html", "<p>embedded</p>", 15},
        {"js/app.js", "let x = 1;", 10},
    };
    lf_http_static_opts so = {0};
    so.root = root;
    lf_http_static *dir, *emb;
    lf_err e;
    assert_int_equal(lf_http_static_new(&so, &dir, &e), LF_OK);
    so.root = NULL;
    so.assets = assets;
    so.nassets = 2;
    assert_int_equal(lf_http_static_new(&so, &emb, &e), LF_OK);
    so.assets = NULL;
    so.root = "/nonexistent/dir";
    lf_http_static *none;
    assert_int_equal(lf_http_static_new(&so, &none, &e), LF_ENOTFOUND);

    lf_http *h = new_server(0);
    assert_int_equal(lf_http_route(h, "GET", "/ui/{*path}", lf_http_static_handler, dir, 0, &e), LF_OK);
    assert_int_equal(lf_http_route(h, "GET", "/emb/{*path}", lf_http_static_handler, emb, 0, &e), LF_OK);
    static const struct {
        const char *target;
        int status;
        const char *type, *body;
    } cases[] = {
        {"/ui/", 200, "text/html; charset=utf-8", "<!doctype html><title>lianfang</title>"},
        {"/ui", 200, "text/html; charset=utf-8", "<!doctype html><title>lianfang</title>"},
        {"/ui/app.js", 200, "text/javascript; charset=utf-8", "console.log(1)"},
        {"/ui/inner.js", 200, "text/javascript; charset=utf-8", "console.log(1)"},
        {"/ui/../secret.txt", 404, NULL, NULL},
        {"/ui/..%2Fsecret.txt", 404, NULL, NULL},
        {"/ui/%2e%2e/secret.txt", 404, NULL, NULL},
        {"/ui/%2E%2E%2Fsecret.txt", 404, NULL, NULL},
        {"/ui/sub/..%2F..%2Fsecret.txt", 404, NULL, NULL},
        {"/ui/%2Ftmp%2Fsecret.txt", 404, NULL, NULL},
        {"/ui/link.txt", 404, NULL, NULL},
        {"/ui/.hidden", 404, NULL, NULL},
        {"/ui/%2ehidden", 404, NULL, NULL},
        {"/ui/sub", 404, NULL, NULL},
        {"/ui/sub/", 404, NULL, NULL},       /* no index.html there */
        {"/ui/missing.css", 404, NULL, NULL},
        {"/ui/app.js%00.html", 400, NULL, NULL},
        {"/emb/", 200, "text/html; charset=utf-8", "<p>embedded</p>"},
        {"/emb/js/app.js", 200, "text/javascript; charset=utf-8", "let x = 1;"},
        {"/emb/js/../index.html", 404, NULL, NULL},
        {"/emb/js", 404, NULL, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lf_http_resp *r = run(h, "GET", cases[i].target, NULL, NULL, NULL);
        if (lf_http_resp_status(r) != cases[i].status)
            fail_msg("case %zu %s: status %d, want %d", i, cases[i].target, lf_http_resp_status(r), cases[i].status);
        if (cases[i].body) {
            assert_string_equal(lf_http_resp_type(r), cases[i].type);
            assert_string_equal(lf_http_resp_body(r)->data, cases[i].body);
            assert_non_null(lf_http_resp_header(r, "ETag"));
            assert_string_equal(lf_http_resp_header(r, "Cache-Control"), "no-cache");
        } else {
            assert_null(strstr(lf_http_resp_body(r)->data ? lf_http_resp_body(r)->data : "", "secret"));
        }
        lf_http_resp_free(r);
    }
    /* conditional requests: If-None-Match with the ETag (strong, weak, in a list, *) -> 304 */
    lf_http_resp *r = run(h, "GET", "/ui/app.js", NULL, NULL, NULL);
    char etag[64], weak[80], list[160];
    snprintf(etag, sizeof etag, "%s", lf_http_resp_header(r, "ETag"));
    lf_http_resp_free(r);
    assert_int_equal(etag[0], '"');
    snprintf(weak, sizeof weak, "W/%s", etag);
    snprintf(list, sizeof list, "\"other\", %s", weak);
    const char *const match[] = {etag, weak, list, "*"};
    for (size_t i = 0; i < 4; i++) {
        r = run(h, "GET", "/ui/app.js", "If-None-Match", match[i], NULL);
        assert_int_equal(lf_http_resp_status(r), 304);
        assert_int_equal(lf_http_resp_body(r)->len, 0);
        assert_string_equal(lf_http_resp_header(r, "ETag"), etag);
        lf_http_resp_free(r);
    }
    r = run(h, "GET", "/ui/app.js", "If-None-Match", "\"0000000000000000\"", NULL);
    assert_int_equal(lf_http_resp_status(r), 200);
    lf_http_resp_free(r);
    /* another file has another ETag */
    r = run(h, "GET", "/ui/index.html", NULL, NULL, NULL);
    assert_string_not_equal(lf_http_resp_header(r, "ETag"), etag);
    lf_http_resp_free(r);

    lf_http_free(h);
    lf_http_static_free(dir);
    lf_http_static_free(emb);
    const char *const files[] = {"www/index.html", "www/app.js", "www/.hidden", "www/link.txt", "www/inner.js",
                                 "secret.txt"};
    for (size_t i = 0; i < 6; i++) {
        snprintf(p, sizeof p, "%s/%s", base, files[i]);
        unlink(p);
    }
    snprintf(p, sizeof p, "%s/www/sub", base);
    rmdir(p);
    rmdir(root);
    rmdir(base);
}

/* ---- the real server on a loopback port ---- */

typedef struct hold {
    atomic_int started, release;
} hold;

typedef struct live {
    lf_http *h;
    unsigned port;
    char tmp[64];
    atomic_int slow_started;
    hold hold;
} live;

/* Blocks until the test releases it (10 s at most). */
static int h_hold(void *app, lf_http_req *req, lf_http_resp *resp)
{
    (void)app;
    hold *h = lf_http_req_route_ud(req);
    atomic_store(&h->started, 1);
    for (int i = 0; i < 10000 && !atomic_load(&h->release); i++)
        usleep(1000);
    return lf_buf_puts(lf_http_resp_json(resp, 200), "{\"held\":true}");
}

static int h_echo(void *app, lf_http_req *req, lf_http_resp *resp)
{
    (void)app;
    size_t n;
    lf_http_req_body(req, &n);
    const char *p = lf_http_req_param(req, "p");
    const char *x = lf_http_req_query(req, "x");
    return lf_buf_printf(lf_http_resp_json(resp, 200), "{\"len\":%zu,\"p\":\"%s\",\"x\":\"%s\"}", n, p ? p : "",
                         x ? x : "");
}

static int h_upload(void *app, lf_http_req *req, lf_http_resp *resp)
{
    (void)app;
    size_t n;
    const char *f = lf_http_req_body_file(req, &n);
    /* every byte is (i % 251) so the content can be verified */
    FILE *fp = f ? fopen(f, "rb") : NULL;
    size_t bad = f ? 0 : 1, i = 0;
    int c;
    while (fp && (c = fgetc(fp)) != EOF) {
        if (c != (int)(i % 251))
            bad++;
        i++;
    }
    if (fp)
        fclose(fp);
    return lf_buf_printf(lf_http_resp_json(resp, 200), "{\"len\":%zu,\"read\":%zu,\"bad\":%zu}", n, i, bad);
}

static int h_slow(void *app, lf_http_req *req, lf_http_resp *resp)
{
    (void)app;
    atomic_int *started = lf_http_req_route_ud(req);
    atomic_store(started, 1);
    struct timespec ts = {0, 400 * 1000 * 1000};
    nanosleep(&ts, NULL);
    return lf_buf_puts(lf_http_resp_json(resp, 200), "{\"slow\":true}");
}

static int live_connect(unsigned port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct timeval tv = {10, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof a)) {
        close(fd);
        return -1;
    }
    return fd;
}

static void send_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n) {
        ssize_t w = send(fd, c, n, MSG_NOSIGNAL);
        if (w <= 0)
            return;   /* the server may close early (413): the response is still readable */
        c += w;
        n -= (size_t)w;
    }
}

/* Case-insensitive strstr (header names). */
static const char *find_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (!strncasecmp(hay, needle, n))
            return hay;
    return NULL;
}

/* Read one response: status, headers (into hdr), body by Content-Length. */
static int read_response(int fd, char *hdr, size_t hcap, char *body, size_t bcap)
{
    size_t n = 0;
    hdr[0] = body[0] = '\0';
    char *end = NULL;
    while (!(end = strstr(hdr, "\r\n\r\n"))) {
        if (n + 1 >= hcap)
            return -1;
        ssize_t r = recv(fd, hdr + n, 1, 0);   /* byte by byte: never read past the headers */
        if (r <= 0)
            return -1;
        n++;
        hdr[n] = '\0';
    }
    int status = (int)strtol(hdr + 9, NULL, 10);
    const char *cl = find_ci(hdr, "\r\nContent-Length:");
    size_t len = cl ? (size_t)strtoul(cl + 17, NULL, 10) : 0;
    size_t got = 0;
    while (got < len && got + 1 < bcap) {
        ssize_t r = recv(fd, body + got, len - got < bcap - 1 - got ? len - got : bcap - 1 - got, 0);
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    body[got] = '\0';
    return status;
}

static int request(unsigned port, const char *raw, size_t rawlen, char *hdr, size_t hcap, char *body, size_t bcap)
{
    int fd = live_connect(port);
    assert_true(fd >= 0);
    send_all(fd, raw, rawlen);
    int st = read_response(fd, hdr, hcap, body, bcap);
    close(fd);
    return st;
}

static int live_setup(void **state, unsigned threads)
{
    live *L = calloc(1, sizeof *L);
    snprintf(L->tmp, sizeof L->tmp, "/tmp/lf-test-live-XXXXXX");
    if (!mkdtemp(L->tmp))
        return -1;
    lf_http_opts o = {0};
    o.port = 0;
    o.max_body = 1024;
    o.max_upload = 4 << 20;
    o.tmp_dir = L->tmp;
    o.threads = threads;
    lf_err e;
    if (lf_http_new(&o, &L->h, &e) || lf_http_route(L->h, "POST", "/echo/{p}", h_echo, NULL, 0, &e) ||
        lf_http_route(L->h, "GET", "/echo/{p}", h_echo, NULL, 0, &e) ||
        lf_http_route(L->h, "POST", "/upload", h_upload, NULL, LF_HTTP_BODY_FILE, &e) ||
        /* slow: in the pool it runs on a worker (graceful stop waits for it there too) */
        lf_http_route(L->h, "GET", "/slow", h_slow, &L->slow_started, LF_HTTP_SLOW, &e) ||
        lf_http_route(L->h, "GET", "/hold", h_hold, &L->hold, LF_HTTP_SLOW, &e) || lf_http_start(L->h, &e)) {
        fprintf(stderr, "live setup: %s\n", e.msg);
        return -1;
    }
    L->port = lf_http_port(L->h);
    *state = L;
    return 0;
}

/* The live tests run twice: one thread per connection, and a pool of two. */
static int live_setup_per_connection(void **state)
{
    return live_setup(state, 0);
}

static int live_setup_pool(void **state)
{
    return live_setup(state, 2);
}

static int live_teardown(void **state)
{
    live *L = *state;
    lf_http_free(L->h);
    rmdir(L->tmp);
    free(L);
    return 0;
}

static size_t count_files(const char *dir)
{
    DIR *d = opendir(dir);
    size_t n = 0;
    struct dirent *de;
    while (d && (de = readdir(d)))
        if (de->d_name[0] != '.')
            n++;
    if (d)
        closedir(d);
    return n;
}

static void test_http_live_keepalive_and_raw_paths(void **state)
{
    live *L = *state;
    assert_true(L->port > 0);
    char hdr[4096], body[4096];
    int fd = live_connect(L->port);
    assert_true(fd >= 0);
    /* the router sees the raw path: %2F stays inside the parameter; '+' in a query is a space */
    const char *r1 = "GET /echo/a%2Fb%20c?x=a+b%2B HTTP/1.1\r\nHost: t\r\n\r\n";
    send_all(fd, r1, strlen(r1));
    assert_int_equal(read_response(fd, hdr, sizeof hdr, body, sizeof body), 200);
    assert_string_equal(body, "{\"len\":0,\"p\":\"a/b c\",\"x\":\"a b+\"}");
    assert_non_null(strstr(hdr, "X-Content-Type-Options: nosniff"));
    /* a 404 without a body keeps the connection: the next request on it works */
    const char *r2 = "GET /nowhere HTTP/1.1\r\nHost: t\r\n\r\n";
    send_all(fd, r2, strlen(r2));
    assert_int_equal(read_response(fd, hdr, sizeof hdr, body, sizeof body), 404);
    assert_null(find_ci(hdr, "Connection: close"));
    const char *r3 = "POST /echo/z HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello";
    send_all(fd, r3, strlen(r3));
    assert_int_equal(read_response(fd, hdr, sizeof hdr, body, sizeof body), 200);
    assert_string_equal(body, "{\"len\":5,\"p\":\"z\",\"x\":\"\"}");
    close(fd);
}

static void test_http_live_413(void **state)
{
    live *L = *state;
    char hdr[4096], body[4096];
    /* Content-Length above the limit: refused before the body is read */
    const char *r = "POST /echo/a HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\n";
    assert_int_equal(request(L->port, r, strlen(r), hdr, sizeof hdr, body, sizeof body), 413);
    assert_non_null(strstr(body, "\"payload_too_large\""));
    /* too large wins over 405: the body will not be read either way */
    r = "PUT /echo/a HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\n";
    assert_int_equal(request(L->port, r, strlen(r), hdr, sizeof hdr, body, sizeof body), 413);
    /* chunked: the limit is found while reading; the rest is drained, then 413 */
    lf_buf b;
    lf_buf_init(&b, 0);
    lf_buf_puts(&b, "POST /echo/a HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n");
    for (int i = 0; i < 3; i++) {
        lf_buf_puts(&b, "400\r\n");
        for (int k = 0; k < 1024; k++)
            lf_buf_putc(&b, 'x');
        lf_buf_puts(&b, "\r\n");
    }
    lf_buf_puts(&b, "0\r\n\r\n");
    assert_int_equal(request(L->port, b.data, b.len, hdr, sizeof hdr, body, sizeof body), 413);
    assert_non_null(strstr(body, "\"payload_too_large\""));
    lf_buf_clear(&b);
    /* chunked within the limit is accepted */
    r = "POST /echo/a HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
    assert_int_equal(request(L->port, r, strlen(r), hdr, sizeof hdr, body, sizeof body), 200);
    assert_string_equal(body, "{\"len\":5,\"p\":\"a\",\"x\":\"\"}");
}

static void test_http_live_upload_to_file(void **state)
{
    live *L = *state;
    char hdr[4096], body[4096];
    size_t n = 3 * 1024 * 1024 + 17;   /* far above max_body, below max_upload */
    lf_buf b;
    lf_buf_init(&b, 0);
    lf_buf_printf(&b, "POST /upload HTTP/1.1\r\nHost: t\r\nContent-Type: text/csv\r\nContent-Length: %zu\r\n\r\n", n);
    for (size_t i = 0; i < n; i++)
        lf_buf_putc(&b, (char)(i % 251));
    assert_int_equal(request(L->port, b.data, b.len, hdr, sizeof hdr, body, sizeof body), 200);
    char want[128];
    snprintf(want, sizeof want, "{\"len\":%zu,\"read\":%zu,\"bad\":0}", n, n);
    assert_string_equal(body, want);
    lf_buf_clear(&b);
    /* the temporary file is gone once the request has completed */
    for (int i = 0; i < 100 && count_files(L->tmp); i++)
        usleep(10000);
    assert_int_equal(count_files(L->tmp), 0);
    /* above max_upload: 413 */
    char r[200];
    snprintf(r, sizeof r, "POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: %d\r\n\r\n", (4 << 20) + 1);
    assert_int_equal(request(L->port, r, strlen(r), hdr, sizeof hdr, body, sizeof body), 413);
}

typedef struct slow_client {
    unsigned port;
    int status;
    char body[256];
    const char *request;         /* NULL: GET /slow */
} slow_client;

static void *slow_thread(void *p)
{
    slow_client *c = p;
    char hdr[4096];
    const char *r = c->request ? c->request : "GET /slow HTTP/1.1\r\nHost: t\r\n\r\n";
    int fd = live_connect(c->port);
    if (fd < 0)
        return NULL;
    send_all(fd, r, strlen(r));
    c->status = read_response(fd, hdr, sizeof hdr, c->body, sizeof c->body);
    close(fd);
    return NULL;
}

/* A slow handler holds no pool thread: with a pool of one, another client is answered
 * while it runs (without the worker, that answer would wait for the handler, which waits
 * for the answer: the request times out). */
static void test_http_live_slow_off_pool(void **state)
{
    live *L = *state;
    atomic_store(&L->hold.started, 0);
    atomic_store(&L->hold.release, 0);
    slow_client c = {L->port, 0, "", "GET /hold HTTP/1.1\r\nHost: t\r\n\r\n"};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, slow_thread, &c), 0);
    for (int i = 0; i < 5000 && !atomic_load(&L->hold.started); i++)
        usleep(1000);
    assert_true(atomic_load(&L->hold.started));
    char hdr[4096], body[4096];
    const char *r = "GET /echo/q HTTP/1.1\r\nHost: t\r\n\r\n";
    assert_int_equal(request(L->port, r, strlen(r), hdr, sizeof hdr, body, sizeof body), 200);
    assert_string_equal(body, "{\"len\":0,\"p\":\"q\",\"x\":\"\"}");
    assert_false(atomic_load(&L->hold.release));   /* answered while the slow one still ran */
    atomic_store(&L->hold.release, 1);
    pthread_join(t, NULL);
    assert_int_equal(c.status, 200);
    assert_string_equal(c.body, "{\"held\":true}");
}

static int live_setup_pool_of_one(void **state)
{
    return live_setup(state, 1);
}

/* Runs last: stops the server while a request is in flight; that request still completes. */
static void test_http_live_graceful_stop(void **state)
{
    live *L = *state;
    slow_client c = {L->port, 0, "", NULL};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, slow_thread, &c), 0);
    /* wait for the handler itself: earlier tests' connections may still be completing */
    for (int i = 0; i < 2000 && !atomic_load(&L->slow_started); i++)
        usleep(1000);
    assert_true(atomic_load(&L->slow_started));
    assert_true(lf_http_in_flight(L->h) >= 1);
    lf_http_stop(L->h, 5000);
    assert_int_equal(lf_http_in_flight(L->h), 0);
    pthread_join(t, NULL);
    assert_int_equal(c.status, 200);
    assert_string_equal(c.body, "{\"slow\":true}");
    /* no longer listening */
    int fd = live_connect(L->port);
    if (fd >= 0)
        close(fd);
    assert_true(fd < 0);
    assert_int_equal(lf_http_port(L->h), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_http_decode),
        cmocka_unit_test(test_http_router_matching),
        cmocka_unit_test(test_http_route_patterns),
        cmocka_unit_test(test_http_query_decoding),
        cmocka_unit_test(test_http_header_lookup),
        cmocka_unit_test(test_http_cookie_parsing),
        cmocka_unit_test(test_http_response_headers),
        cmocka_unit_test(test_http_json_error),
        cmocka_unit_test(test_http_body_limits),
        cmocka_unit_test(test_http_own_413),
        cmocka_unit_test(test_http_healthz),
        cmocka_unit_test(test_http_metrics),
        cmocka_unit_test(test_http_static_path_safety),
        cmocka_unit_test(test_http_static_serving),
    };
    const struct CMUnitTest live_tests[] = {
        cmocka_unit_test(test_http_live_keepalive_and_raw_paths),
        cmocka_unit_test(test_http_live_413),
        cmocka_unit_test(test_http_live_upload_to_file),
        cmocka_unit_test(test_http_live_graceful_stop),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    rc |= cmocka_run_group_tests_name("live, thread per connection", live_tests, live_setup_per_connection,
                                      live_teardown);
    rc |= cmocka_run_group_tests_name("live, thread pool", live_tests, live_setup_pool, live_teardown);
    const struct CMUnitTest pool_of_one[] = {
        cmocka_unit_test(test_http_live_slow_off_pool),
        cmocka_unit_test(test_http_live_graceful_stop),
    };
    rc |= cmocka_run_group_tests_name("live, pool of one", pool_of_one, live_setup_pool_of_one, live_teardown);
    return rc;
}
