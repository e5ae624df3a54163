/*
 * api_users: the people and machines of an organisation: users (list, create, change
 * role / contact / disabled, set a password) and API tokens (list, revoke). Creating the
 * very first national admin stays `lianfang user add` (there is nobody to ask yet).
 *
 * Who may do what: every change needs a user (not a token) in scope of the target; a
 * user grants only roles at or below their own rank (national admin > region analyst >
 * county officer > agency officer > read-only), so nobody makes an account stronger than
 * theirs; read-only users change nothing (the server's rule for every write). Every change
 * goes to the audit trail.
 */
#include <stdio.h>
#include <string.h>

#include "server/server_int.h"

/* Minimum password length for accounts made over the API (NIST SP 800-63B asks for at
 * least 8; 12 because these accounts see every agency's weak spots). */
#define PASSWORD_MIN 12

/* Rank of a role: lower is stronger. */
static int rank_of(lf_role r)
{
    switch (r) {
    case LF_ROLE_NATIONAL_ADMIN: return 0;
    case LF_ROLE_REGION_ANALYST: return 1;
    case LF_ROLE_COUNTY_OFFICER: return 2;
    case LF_ROLE_AGENCY_OFFICER: return 3;
    case LF_ROLE_READ_ONLY: return 4;
    }
    return 5;
}

/* The list callback of lf_server_jlist. */
static void user_item(lf_buf *b, const void *u)
{
    lf_server_user_json(b, u);
}

/* A user (not a token) of at least the rank needed to manage accounts. */
static bool manager(lf_http_resp *resp, const lf_caller *c)
{
    if (!c->user_id) {
        lf_http_json_error(resp, 403, "forbidden", "API tokens may only upload inventories");
        return false;
    }
    return true;
}

static void audit(lf_server *s, const lf_caller *c, lf_id org, lf_id user, const char *action, const char *before,
                  const char *after)
{
    lf_store_audit au = {0, 0, c->user_id, c->login, org, "user", user, action, before, after};
    lf_store_audit_add(s->store, &au, NULL, NULL);
}

/* GET /api/v1/orgs/{id}/users?limit&after: accounts of the org and the orgs under it */
static int users_list(void *app, lf_http_req *req, lf_http_resp *resp)
{
    lf_server *s = app;
    lf_caller c;
    lf_id id;
    lf_store_page pg;
    if (!lf_server_auth(s, req, resp, 0, &c) || !lf_server_param_id(req, resp, "id", &id) ||
        !lf_server_page(req, resp, &pg) || !lf_server_in_scope(s, resp, &c, id))
        return LF_OK;
    lf_store_user *v;
    size_t n;
    lf_err err;
    lf_err_clear(&err);
    if (lf_store_user_list(s->store, id, &pg, lf_http_req_arena(req), &v, &n, &err))
        return lf_server_fail(s, resp, &err);
    lf_server_jlist(lf_http_resp_json(resp, 200), v, n, sizeof *v, user_item, &pg);
    return LF_OK;
}

static bool password_ok(lf_http_resp *resp, const char *pw)
{
    size_t n = pw ? strlen(pw) : 0;
    if (n < PASSWORD_MIN) {
        lf_http_json_error(resp, 422, "invalid_field", "password: at least 12 characters");
        return false;
    }
    if (n > LF_STORE_PASSWORD_MAX) {
        lf_http_json_error(resp, 422, "invalid_field", "password: at most 1024 bytes");
        return false;
    }
    return true;
}

/* POST /api/v1/orgs/{id}/users {login, display_name, email, role, password} */
static int users_create(void *app, lf_http_req *req, lf_http_resp *resp)
{
    lf_server *s = app;
    lf_caller c;
    lf_id id;
    const lf_json *body;
    const char *login, *name, *email, *role_s, *pw;
    if (!lf_server_auth(s, req, resp, 0, &c) || !lf_server_param_id(req, resp, "id", &id) ||
        !lf_server_in_scope(s, resp, &c, id) || !manager(resp, &c) || !lf_server_body(req, resp, &body) ||
        !lf_server_body_str(resp, body, "login", 64, &login) ||
        !lf_server_body_str(resp, body, "display_name", 200, &name) ||
        !lf_server_body_str(resp, body, "email", 254, &email) || !lf_server_body_str(resp, body, "role", 32, &role_s) ||
        !lf_server_body_str(resp, body, "password", LF_STORE_PASSWORD_MAX + 1, &pw))
        return LF_OK;
    if (!login || !*login)
        return lf_http_json_error(resp, 422, "invalid_field", "login is required");
    for (const char *p = login; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '.' ||
              *p == '_' || *p == '-' || *p == '@'))
            return lf_http_json_error(resp, 422, "invalid_field", "login: letters, digits, '.', '_', '-' and '@' only");
    if (!email || !strchr(email, '@'))
        return lf_http_json_error(resp, 422, "invalid_field", "email is required (notices go there)");
    int role = role_s ? lf_role_parse(role_s) : -1;
    if (role < 0)
        return lf_http_json_error(resp, 422, "invalid_field",
                                  "role: national_admin, region_analyst, county_officer, agency_officer or read_only");
    if (rank_of((lf_role)role) < rank_of(c.role))
        return lf_http_json_error(resp, 403, "forbidden", "a role stronger than your own cannot be granted");
    if (!password_ok(resp, pw))
        return LF_OK;
    lf_store_user in;
    memset(&in, 0, sizeof in);
    in.login = login;
    in.display_name = name && *name ? name : login;
    in.email = email;
    in.role = (lf_role)role;
    in.org_id = id;
    lf_err err;
    lf_err_clear(&err);
    lf_id uid = 0;
    /* the account and its password land together or not at all */
    if (lf_store_begin(s->store, &err) || lf_store_user_create(s->store, &in, &uid, &err) ||
        lf_store_user_set_password(s->store, uid, pw, &err) || lf_store_commit(s->store, &err)) {
        lf_store_rollback(s->store);
        return lf_server_fail(s, resp, &err);
    }
    lf_store_user u;
    if (lf_store_user_get(s->store, uid, lf_http_req_arena(req), &u, &err))
        return lf_server_fail(s, resp, &err);
    char after[256];
    snprintf(after, sizeof after, "{\"login\":\"%s\",\"role\":\"%s\"}", login, lf_role_name(u.role));
    audit(s, &c, id, uid, "create", NULL, after);
    lf_buf *b = lf_http_resp_json(resp, 201);
    lf_server_user_json(b, &u);
    return lf_buf_puts(b, "\n");
}

/* The target user, checked to be in the caller's scope. */
static bool target_user(lf_server *s, lf_http_req *req, lf_http_resp *resp, const lf_caller *c, lf_store_user *u)
{
    lf_id id;
    if (!lf_server_param_id(req, resp, "id", &id))
        return false;
    lf_err err;
    lf_err_clear(&err);
    if (lf_store_user_get(s->store, id, lf_http_req_arena(req), u, &err)) {
        lf_server_fail(s, resp, &err);
        return false;
    }
    return lf_server_in_scope(s, resp, c, u->org_id);
}

/* PUT /api/v1/users/{id} {display_name?, email?, role?, disabled?} */
static int users_update(void *app, lf_http_req *req, lf_http_resp *resp)
{
    lf_server *s = app;
    lf_caller c;
    lf_store_user u;
    const lf_json *body;
    const char *name, *email, *role_s;
    if (!lf_server_auth(s, req, resp, 0, &c) || !manager(resp, &c) || !target_user(s, req, resp, &c, &u) ||
        !lf_server_body(req, resp, &body) || !lf_server_body_str(resp, body, "display_name", 200, &name) ||
        !lf_server_body_str(resp, body, "email", 254, &email) || !lf_server_body_str(resp, body, "role", 32, &role_s))
        return LF_OK;
    if (rank_of(u.role) < rank_of(c.role))
        return lf_http_json_error(resp, 403, "forbidden", "an account stronger than your own cannot be changed");
    char before[256];
    snprintf(before, sizeof before, "{\"role\":\"%s\",\"disabled\":%s}", lf_role_name(u.role),
             u.disabled ? "true" : "false");
    if (name && *name)
        u.display_name = name;
    if (email) {
        if (!strchr(email, '@'))
            return lf_http_json_error(resp, 422, "invalid_field", "email: an address");
        u.email = email;
    }
    if (role_s) {
        int role = lf_role_parse(role_s);
        if (role < 0)
            return lf_http_json_error(resp, 422, "invalid_field", "role: unknown");
        if (rank_of((lf_role)role) < rank_of(c.role))
            return lf_http_json_error(resp, 403, "forbidden", "a role stronger than your own cannot be granted");
        u.role = (lf_role)role;
    }
    const lf_json *dis = lf_json_get(body, "disabled");
    if (dis) {
        if (!lf_json_is(dis, LF_JSON_TRUE) && !lf_json_is(dis, LF_JSON_FALSE))
            return lf_http_json_error(resp, 422, "invalid_field", "disabled: true or false");
        u.disabled = lf_json_bool(dis, false);
        if (u.disabled && u.id == c.user_id)
            return lf_http_json_error(resp, 422, "invalid_field", "you cannot disable your own account");
    }
    lf_err err;
    lf_err_clear(&err);
    if (lf_store_user_update(s->store, &u, &err))
        return lf_server_fail(s, resp, &err);
    char after[256];
    snprintf(after, sizeof after, "{\"role\":\"%s\",\"disabled\":%s}", lf_role_name(u.role),
             u.disabled ? "true" : "false");
    audit(s, &c, u.org_id, u.id, "update", before, after);
    lf_store_user now;
    if (lf_store_user_get(s->store, u.id, lf_http_req_arena(req), &now, &err))
        return lf_server_fail(s, resp, &err);
    lf_buf *b = lf_http_resp_json(resp, 200);
    lf_server_user_json(b, &now);
    return lf_buf_puts(b, "\n");
}

/* POST /api/v1/users/{id}/password {password}: yourself, or an account you manage. Ends
 * that account's sessions (the store does). */
static int users_password(void *app, lf_http_req *req, lf_http_resp *resp)
{
    lf_server *s = app;
    lf_caller c;
    lf_store_user u;
    const lf_json *body;
    const char *pw;
    if (!lf_server_auth(s, req, resp, 0, &c) || !manager(resp, &c) || !target_user(s, req, resp, &c, &u) ||
        !lf_server_body(req, resp, &body) ||
        !lf_server_body_str(resp, body, "password", LF_STORE_PASSWORD_MAX + 1, &pw))
        return LF_OK;
    if (u.id != c.user_id && rank_of(u.role) < rank_of(c.role))
        return lf_http_json_error(resp, 403, "forbidden", "an account stronger than your own cannot be changed");
    if (!password_ok(resp, pw))
        return LF_OK;
    lf_err err;
    lf_err_clear(&err);
    if (lf_store_user_set_password(s->store, u.id, pw, &err))
        return lf_server_fail(s, resp, &err);
    audit(s, &c, u.org_id, u.id, "set_password", NULL, NULL);
    lf_http_resp_set_status(resp, 204);
    return LF_OK;
}

static void token_json(lf_buf *b, const void *item)
{
    const lf_store_apitoken *t = item;
    lf_buf_puts(b, "{\"id\":");
    lf_server_jid(b, t->id);
    lf_buf_puts(b, ",\"name\":");
    lf_server_jstr(b, t->name);
    lf_buf_puts(b, ",\"org_id\":");
    lf_server_jid(b, t->org_id);
    lf_buf_puts(b, ",\"created_by\":");
    lf_server_jid(b, t->created_by);
    lf_buf_printf(b, ",\"created\":%lld,\"last_used\":%lld,\"revoked\":%s}", (long long)t->created,
                  (long long)t->last_used, t->revoked ? "true" : "false");
}

/* GET /api/v1/orgs/{id}/tokens?limit&after (never the secrets: only their hashes are kept) */
static int tokens_list(void *app, lf_http_req *req, lf_http_resp *resp)
{
    lf_server *s = app;
    lf_caller c;
    lf_id id;
    lf_store_page pg;
    if (!lf_server_auth(s, req, resp, 0, &c) || !lf_server_param_id(req, resp, "id", &id) ||
        !lf_server_page(req, resp, &pg) || !lf_server_in_scope(s, resp, &c, id))
        return LF_OK;
    lf_store_apitoken *v;
    size_t n;
    lf_err err;
    lf_err_clear(&err);
    if (lf_store_apitoken_list(s->store, id, &pg, lf_http_req_arena(req), &v, &n, &err))
        return lf_server_fail(s, resp, &err);
    lf_server_jlist(lf_http_resp_json(resp, 200), v, n, sizeof *v, token_json, &pg);
    return LF_OK;
}

/* DELETE /api/v1/orgs/{id}/tokens/{token}: revoke (the token stays listed, revoked) */
static int tokens_revoke(void *app, lf_http_req *req, lf_http_resp *resp)
{
    lf_server *s = app;
    lf_caller c;
    lf_id id, tid;
    if (!lf_server_auth(s, req, resp, 0, &c) || !lf_server_param_id(req, resp, "id", &id) ||
        !lf_server_param_id(req, resp, "token", &tid) || !lf_server_in_scope(s, resp, &c, id) || !manager(resp, &c))
        return LF_OK;
    /* the token must belong to that org's scope: found by listing it */
    lf_arena *a = lf_http_req_arena(req);
    lf_store_page pg = {1000, 0, 0, false};
    lf_err err;
    lf_err_clear(&err);
    bool found = false;
    lf_id org = 0;
    do {
        lf_store_apitoken *v;
        size_t n;
        if (lf_store_apitoken_list(s->store, id, &pg, a, &v, &n, &err))
            return lf_server_fail(s, resp, &err);
        for (size_t i = 0; i < n && !found; i++)
            if (v[i].id == tid) {
                found = true;
                org = v[i].org_id;
            }
        pg.after = pg.next;
    } while (!found && pg.more);
    if (!found)
        return lf_http_json_error(resp, 404, "not_found", "no such token in this organisation");
    if (lf_store_apitoken_revoke(s->store, tid, &err))
        return lf_server_fail(s, resp, &err);
    lf_store_audit au = {0, 0, c.user_id, c.login, org, "apitoken", tid, "revoke", NULL, NULL};
    lf_store_audit_add(s->store, &au, NULL, NULL);
    lf_http_resp_set_status(resp, 204);
    return LF_OK;
}

int lf_api_users_routes(lf_server *s, lf_http *h, lf_err *err)
{
    (void)s;
    int rc;
    if ((rc = lf_http_route(h, "GET", "/api/v1/orgs/{id}/users", users_list, NULL, 0, err)) ||
        (rc = lf_http_route(h, "POST", "/api/v1/orgs/{id}/users", users_create, NULL, 0, err)) ||
        (rc = lf_http_route(h, "PUT", "/api/v1/users/{id}", users_update, NULL, 0, err)) ||
        (rc = lf_http_route(h, "POST", "/api/v1/users/{id}/password", users_password, NULL, 0, err)) ||
        (rc = lf_http_route(h, "GET", "/api/v1/orgs/{id}/tokens", tokens_list, NULL, 0, err)) ||
        (rc = lf_http_route(h, "DELETE", "/api/v1/orgs/{id}/tokens/{token}", tokens_revoke, NULL, 0, err)))
        return rc;
    return LF_OK;
}
