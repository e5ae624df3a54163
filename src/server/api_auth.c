/*
 * api_auth: web sessions. POST /api/v1/session logs in (argon2id check and lockout are the
 * store's), sets the lf_session cookie (HttpOnly, SameSite=Strict, Secure under TLS) and
 * returns the CSRF token the client echoes in X-CSRF-Token on unsafe requests;
 * DELETE /api/v1/session logs out; GET /api/v1/me says who the caller is (and gives a cookie
 * session its CSRF token again, for a reloaded page).
 */
#include <stdio.h>
#include <string.h>

#include "server/server_int.h"

static void caller_json(lf_server *s, lf_buf *b, const lf_caller *c, lf_arena *a)
{
    lf_store_org o;
    bool have_org = lf_store_org_get(s->store, c->org_id, a, &o, NULL) == LF_OK;
    lf_buf_puts(b, "{\"user\":");
    if (c->user_id) {
        lf_store_user u;
        if (lf_store_user_get(s->store, c->user_id, a, &u, NULL) == LF_OK)
            lf_server_user_json(b, &u);
        else
            lf_buf_puts(b, "null");
        lf_buf_printf(b, ",\"role\":\"%s\"", lf_role_name(c->role));
    } else {
        lf_buf_puts(b, "null,\"role\":null,\"token\":{\"id\":");
        lf_server_jid(b, c->token_id);
        lf_buf_puts(b, ",\"name\":");
        lf_server_jstr(b, c->login);
        lf_buf_puts(b, "}");
    }
    lf_buf_puts(b, ",\"org\":");
    if (have_org)
        lf_server_org_json(b, &o);
    else
        lf_buf_puts(b, "null");
}

/* The name limiter's key: the login as the store compares it (users.login is COLLATE
 * NOCASE: ASCII case folded), or "ALICE" would count apart from "alice" for a login that
 * does not exist while the store locks a known one under either spelling. */
static void login_key(const char *login, char key[257])
{
    size_t i = 0;
    for (; login[i] && i < 256; i++)
        key[i] = login[i] >= 'A' && login[i] <= 'Z' ? (char)(login[i] - 'A' + 'a') : login[i];
    key[i] = '\0';
}

#define LOCKED_MSG "too many failed logins: the account is locked for a while (see Retry-After)"

static int too_many(lf_http_resp *resp, int64_t wait, const char *msg)
{
    char ra[32];
    snprintf(ra, sizeof ra, "%lld", (long long)(wait > 0 ? wait : 1));
    lf_http_json_error(resp, 429, "too_many_requests", msg);
    return lf_http_resp_add_header(resp, "Retry-After", ra);
}

/* POST /api/v1/session {login, password} */
static int session_create(void *app, lf_http_req *req, lf_http_resp *resp)
{
    lf_server *s = app;
    const lf_json *body;
    const char *login, *password;
    if (!lf_server_body(req, resp, &body) || !lf_server_body_str(resp, body, "login", 256, &login) ||
        !lf_server_body_str(resp, body, "password", LF_STORE_PASSWORD_MAX, &password))
        return LF_OK;
    if (!login || !*login || !password || !*password)
        return lf_http_json_error(resp, 422, "invalid_field", "login and password are required");
    lf_arena *a = lf_http_req_arena(req);
    lf_err err;
    lf_err_clear(&err);
    int64_t now = lf_store_now(s->store), wait = 0;
    const char *addr = lf_http_req_client(req);
    char name[257];
    login_key(login, name);
    /* refused before the password is hashed: a blocked address costs no argon2id time */
    if (lf_ratelimit_blocked(s->login_by_addr, addr, now, &wait))
        return too_many(resp, wait, "too many failed logins from this address: wait (see Retry-After)");
    if (lf_ratelimit_blocked(s->login_by_name, name, now, &wait))
        return too_many(resp, wait, LOCKED_MSG);
    lf_auth_result res;
    lf_store_user u;
    memset(&u, 0, sizeof u);
    if (lf_store_user_check_password(s->store, login, password, &res, a, &u, &err))
        return lf_server_fail(s, resp, &err);
    if (res == LF_AUTH_LOCKED)
        return too_many(resp, u.locked_until - now, LOCKED_MSG);
    if (res == LF_AUTH_DISABLED)
        return lf_http_json_error(resp, 403, "forbidden", "this account is disabled");
    if (res != LF_AUTH_OK) {
        /* known or not, the same count: a login that does not exist locks like one that
         * does (the store locks the latter at the same failure) */
        lf_ratelimit_fail(s->login_by_addr, addr, now);
        lf_ratelimit_fail(s->login_by_name, name, now);
        return lf_http_json_error(resp, 401, "unauthorized", "wrong login or password");
    }
    /* the name's count restarts as the store's does; the address's does not, or one good
     * account would reset the count of guesses at others */
    lf_ratelimit_reset(s->login_by_name, name);
    char token[LF_STORE_TOKEN_SIZE];
    lf_store_session ss;
    if (lf_store_session_create(s->store, u.id, s->session_ttl, token, &ss, &err))
        return lf_server_fail(s, resp, &err);
    lf_buf *b = lf_http_resp_json(resp, 200);
    lf_caller c = {.user_id = u.id, .login = u.login, .role = u.role, .org_id = u.org_id, .cookie = true};
    caller_json(s, b, &c, a);
    lf_buf_printf(b, ",\"csrf_token\":\"%s\",\"expires\":", ss.csrf);
    lf_server_jtime(b, ss.expires);
    lf_buf_puts(b, "}\n");
    /* a session cookie (no Max-Age): the server's expiry is the authority */
    lf_http_cookie_opts co = {-1, "/", false};
    return lf_http_resp_set_cookie(resp, LF_SESSION_COOKIE, token, &co);
}

/* DELETE /api/v1/session */
static int session_delete(void *app, lf_http_req *req, lf_http_resp *resp)
{
    lf_server *s = app;
    lf_caller c;
    if (!lf_server_auth(s, req, resp, LF_SRV_ANY_ROLE, &c))
        return LF_OK;
    if (!c.cookie)
        return lf_http_json_error(resp, 422, "invalid_field", "API tokens have no session to end");
    lf_err err;
    lf_err_clear(&err);
    if (lf_store_session_delete(s->store, c.session, &err) && err.code != LF_ENOTFOUND)
        return lf_server_fail(s, resp, &err);
    lf_http_resp_set_status(resp, 204);
    lf_http_cookie_opts co = {0, "/", false};
    return lf_http_resp_set_cookie(resp, LF_SESSION_COOKIE, "", &co);
}

/* GET /api/v1/me. A cookie session also gets its CSRF token and expiry back, so a page
 * reloaded (or opened in a new tab) can act without logging in again: the token is only
 * readable by a same-origin script that already holds the cookie, which is what the token
 * proves anyway. */
static int me(void *app, lf_http_req *req, lf_http_resp *resp)
{
    lf_server *s = app;
    lf_caller c;
    if (!lf_server_auth(s, req, resp, 0, &c))
        return LF_OK;
    lf_store_session ss;
    memset(&ss, 0, sizeof ss);
    lf_err err;
    lf_err_clear(&err);
    if (c.cookie && lf_store_session_get(s->store, c.session, &ss, &err))
        return lf_server_fail(s, resp, &err);
    lf_buf *b = lf_http_resp_json(resp, 200);
    caller_json(s, b, &c, lf_http_req_arena(req));
    if (c.cookie) {
        lf_buf_printf(b, ",\"csrf_token\":\"%s\",\"expires\":", ss.csrf);
        lf_server_jtime(b, ss.expires);
    }
    return lf_buf_puts(b, "}\n");
}

int lf_api_auth_routes(lf_server *s, lf_http *h, lf_err *err)
{
    (void)s;
    int rc;
    if ((rc = lf_http_route(h, "POST", "/api/v1/session", session_create, NULL, 0, err)) ||
        (rc = lf_http_route(h, "DELETE", "/api/v1/session", session_delete, NULL, 0, err)) ||
        (rc = lf_http_route(h, "GET", "/api/v1/me", me, NULL, 0, err)))
        return rc;
    return LF_OK;
}
