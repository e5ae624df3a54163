/*
 * api_orgs: the organisation tree (national -> regions -> counties -> agencies) as the
 * caller's scope shows it: one org, its children, creating an agency under a county (or
 * a region / the national org, for central agencies), and API tokens for an org's
 * machine uploads.
 */
#include <stdio.h>
#include <string.h>

#include "server/server_int.h"

/* GET /api/v1/orgs/{id} */
static int org_get(void *app, lf_http_req *req, lf_http_resp *resp)
{
    lf_server *s = app;
    lf_caller c;
    lf_id id;
    if (!lf_server_auth(s, req, resp, 0, &c) || !lf_server_param_id(req, resp, "id", &id) ||
        !lf_server_in_scope(s, resp, &c, id))
        return LF_OK;
    lf_store_org o;
    lf_err err;
    lf_err_clear(&err);
    if (lf_store_org_get(s->store, id, lf_http_req_arena(req), &o, &err))
        return lf_server_fail(s, resp, &err);
    lf_buf *b = lf_http_resp_json(resp, 200);
    lf_server_org_json(b, &o);
    return lf_buf_puts(b, "\n");
}

static void org_item(lf_buf *b, const void *o)
{
    lf_server_org_json(b, o);
}

/* GET /api/v1/orgs/{id}/children?limit&after */
static int org_children(void *app, lf_http_req *req, lf_http_resp *resp)
{
    lf_server *s = app;
    lf_caller c;
    lf_id id;
    lf_store_page pg;
    if (!lf_server_auth(s, req, resp, 0, &c) || !lf_server_param_id(req, resp, "id", &id) ||
        !lf_server_page(req, resp, &pg) || !lf_server_in_scope(s, resp, &c, id))
        return LF_OK;
    lf_store_org *v;
    size_t n;
    lf_err err;
    lf_err_clear(&err);
    if (lf_store_org_children(s->store, id, &pg, lf_http_req_arena(req), &v, &n, &err))
        return lf_server_fail(s, resp, &err);
    lf_server_jlist(lf_http_resp_json(resp, 200), v, n, sizeof *v, org_item, &pg);
    return LF_OK;
}

static bool may_create_agencies(lf_role r)
{
    return r == LF_ROLE_NATIONAL_ADMIN || r == LF_ROLE_REGION_ANALYST || r == LF_ROLE_COUNTY_OFFICER;
}

/* POST /api/v1/orgs/{id}/agencies {code, name_zh, name_en, level} */
static int org_add_agency(void *app, lf_http_req *req, lf_http_resp *resp)
{
    lf_server *s = app;
    lf_caller c;
    lf_id id;
    const lf_json *body;
    if (!lf_server_auth(s, req, resp, 0, &c) || !lf_server_param_id(req, resp, "id", &id) ||
        !lf_server_in_scope(s, resp, &c, id))
        return LF_OK;
    if (!may_create_agencies(c.role))
        return lf_http_json_error(resp, 403, "forbidden", "only county officers and above create agencies");
    const char *code, *zh, *en, *level;
    if (!lf_server_body(req, resp, &body) || !lf_server_body_str(resp, body, "code", 64, &code) ||
        !lf_server_body_str(resp, body, "name_zh", 300, &zh) || !lf_server_body_str(resp, body, "name_en", 300, &en) ||
        !lf_server_body_str(resp, body, "level", 1, &level))
        return LF_OK;
    if (!code || !*code)
        return lf_http_json_error(resp, 422, "invalid_field", "code is required");
    for (const char *p = code; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' ||
              *p == '_' || *p == '.'))
            return lf_http_json_error(resp, 422, "invalid_field", "code: letters, digits, '-', '_' and '.' only");
    if (!zh || !*zh || !en || !*en)
        return lf_http_json_error(resp, 422, "invalid_field", "name_zh and name_en are required");
    if (!level || (level[0] != 'A' && level[0] != 'B' && level[0] != 'C'))
        return lf_http_json_error(resp, 422, "invalid_field", "level must be \"A\", \"B\" or \"C\"");
    lf_store_org in;
    memset(&in, 0, sizeof in);
    in.parent_id = id;
    in.kind = LF_ORG_AGENCY;
    in.code = code;
    in.name_zh = zh;
    in.name_en = en;
    in.level = level[0];
    lf_id nid;
    lf_err err;
    lf_err_clear(&err);
    lf_arena *a = lf_http_req_arena(req);
    if (lf_store_org_create(s->store, &in, &nid, &err))
        return lf_server_fail(s, resp, &err);
    lf_store_org o;
    if (lf_store_org_get(s->store, nid, a, &o, &err))
        return lf_server_fail(s, resp, &err);
    char after[512];
    snprintf(after, sizeof after, "{\"code\":\"%s\",\"parent_id\":\"%lld\"}", code, (long long)id);
    lf_store_audit au = {0, 0, c.user_id, c.login, nid, "org", nid, "create", NULL, after};
    lf_store_audit_add(s->store, &au, NULL, NULL);   /* the org exists either way */
    lf_buf *b = lf_http_resp_json(resp, 201);
    lf_server_org_json(b, &o);
    return lf_buf_puts(b, "\n");
}

/* POST /api/v1/orgs/{id}/tokens {name}: a machine-upload token for that org's scope. */
static int org_add_token(void *app, lf_http_req *req, lf_http_resp *resp)
{
    lf_server *s = app;
    lf_caller c;
    lf_id id;
    const lf_json *body;
    const char *name;
    if (!lf_server_auth(s, req, resp, 0, &c) || !lf_server_param_id(req, resp, "id", &id) ||
        !lf_server_in_scope(s, resp, &c, id) || !lf_server_body(req, resp, &body) ||
        !lf_server_body_str(resp, body, "name", 128, &name))
        return LF_OK;
    if (!name || !*name)
        return lf_http_json_error(resp, 422, "invalid_field", "name is required");
    char secret[LF_STORE_SECRET_SIZE];
    lf_id tid;
    lf_err err;
    lf_err_clear(&err);
    if (lf_store_apitoken_create(s->store, name, id, c.user_id, secret, &tid, &err))
        return lf_server_fail(s, resp, &err);
    lf_buf *b = lf_http_resp_json(resp, 201);
    lf_buf_puts(b, "{\"id\":");
    lf_server_jid(b, tid);
    lf_buf_puts(b, ",\"name\":");
    lf_server_jstr(b, name);
    lf_buf_puts(b, ",\"org_id\":");
    lf_server_jid(b, id);
    lf_buf_printf(b, ",\"secret\":\"%s\"}\n", secret);
    return LF_OK;
}

int lf_api_orgs_routes(lf_server *s, lf_http *h, lf_err *err)
{
    (void)s;
    int rc;
    if ((rc = lf_http_route(h, "GET", "/api/v1/orgs/{id}", org_get, NULL, 0, err)) ||
        (rc = lf_http_route(h, "GET", "/api/v1/orgs/{id}/children", org_children, NULL, 0, err)) ||
        (rc = lf_http_route(h, "POST", "/api/v1/orgs/{id}/agencies", org_add_agency, NULL, 0, err)) ||
        (rc = lf_http_route(h, "POST", "/api/v1/orgs/{id}/tokens", org_add_token, NULL, 0, err)))
        return rc;
    return LF_OK;
}
