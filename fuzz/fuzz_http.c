/*
 * fuzz_http: a request from any bytes through the HTTP layer without a socket: first line
 * "METHOD TARGET", then "Name: value" header lines, an empty line, the body. The router
 * has literal, parameter and rest routes and an embedded static-file handler.
 * Invariants: no crash, no leak; every response has a status 100..599 and the security
 * headers; every error (>= 400) has the JSON error body; {id} is never empty; a 200 from the static handler is one of the table's files; lf_http_static_path never
 * accepts a path that could leave the root.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "http/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const lf_http_asset assets[] = {
    {"index.html", "<p>i</p>", 8},
    {"js/app.js", "1;", 2},
};

static int h_echo(void *app, lf_http_req *req, lf_http_resp *resp)
{
    (void)app;
    const char *id = lf_http_req_param(req, "id");
    if (id && !*id)
        __builtin_trap();   /* {id} matches only non-empty segments */
    lf_buf *b = lf_http_resp_json(resp, 200);
    int rc = lf_buf_puts(b, "{\"id\":");
    if (!rc)
        rc = lf_json_write_str(b, id ? id : "", id ? strlen(id) : 0);
    const char *c = lf_http_req_cookie(req, "sid");
    if (!rc && c)
        rc = lf_http_resp_set_cookie(resp, "sid", c, NULL) == LF_ENOMEM ? LF_ENOMEM : LF_OK;
    return rc ? rc : lf_buf_puts(b, "}");
}

static void check_static_path(const char *p)
{
    char out[512];
    if (lf_http_static_path(p, NULL, out, sizeof out) != LF_OK)
        return;
    if (out[0] == '/' || out[0] == '.' || strstr(out, "/.") || strstr(out, "//") || strchr(out, '\\'))
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    check_static_path(text);
    char dec[256];
    lf_http_decode(text, size < 200 ? size : 200, size & 1, dec, sizeof dec, NULL);

    char *nl = strchr(text, '\n');
    if (nl)
        *nl = '\0';
    char *sp = strchr(text, ' ');
    lf_http *h = NULL;
    lf_http_static *st = NULL;
    lf_http_req *q = NULL;
    lf_http_resp *r = NULL;
    lf_err e;
    lf_http_opts o = {0};
    o.max_body = 64;
    lf_http_static_opts so = {0};
    so.assets = assets;
    so.nassets = 2;
    if (!sp || lf_http_new(&o, &h, &e) || lf_http_static_new(&so, &st, &e))
        goto done;
    *sp = '\0';
    if (lf_http_route(h, "GET", "/api/v1/agencies/{id}", h_echo, NULL, 0, &e) ||
        lf_http_route(h, "POST", "/api/v1/agencies/{id}/findings", h_echo, NULL, 0, &e) ||
        lf_http_route(h, "GET", "/api/v1/agencies/new", h_echo, NULL, 0, &e) ||
        lf_http_route(h, "GET", "/ui/{*path}", lf_http_static_handler, st, 0, &e))
        goto done;
    if (lf_http_req_new(text, sp + 1, &q, &e) || lf_http_resp_new(&r))
        goto done;
    char *line = nl ? nl + 1 : NULL;
    while (line && *line) {
        char *next = strchr(line, '\n');
        if (next)
            *next = '\0';
        if (!*line) {   /* blank line: the body follows */
            line = next ? next + 1 : NULL;
            break;
        }
        char *colon = strchr(line, ':');
        if (colon) {
            *colon = '\0';
            const char *v = colon + 1;
            while (*v == ' ')
                v++;
            lf_http_req_add_header(q, line, v);
        }
        line = next ? next + 1 : NULL;
    }
    if (line)
        lf_http_req_set_body(q, line, strlen(line));
    lf_http_dispatch(h, q, r);
    int status = lf_http_resp_status(r);
    if (status < 100 || status > 599)
        __builtin_trap();
    const char *nosniff = lf_http_resp_header(r, "X-Content-Type-Options");
    if (!nosniff || strcmp(nosniff, "nosniff") || !lf_http_resp_header(r, "X-Request-Id"))
        __builtin_trap();
    lf_buf *b = lf_http_resp_body(r);
    if (status >= 400) {
        lf_arena a;
        lf_arena_init(&a, 0);
        lf_json *doc;
        if (!b->data || lf_json_parse(&a, b->data, b->len, NULL, &doc, &e) ||
            !lf_json_get_str(lf_json_get(doc, "error"), "code"))
            __builtin_trap();
        lf_arena_clear(&a);
    }
    const char *route = lf_http_req_route(q);
    if (status == 200 && route && !strcmp(route, "/ui/{*path}")) {
        bool known = false;
        for (size_t i = 0; i < 2; i++)
            known |= b->len == assets[i].len && !memcmp(b->data, assets[i].data, b->len);
        if (!known)
            __builtin_trap();
    }
done:
    lf_http_req_free(q);
    lf_http_resp_free(r);
    lf_http_free(h);
    lf_http_static_free(st);
    free(text);
    return 0;
}
