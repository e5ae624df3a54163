/*
 * api_isac: blocklist dispatch and ISAC counters (issue 6) over the ISAC store:
 *
 *   POST   /api/v1/isac/approvals            approve indicators for a sharing group
 *   GET    /api/v1/isac/approvals            list (?group=CODE, ?active=1, paging)
 *   DELETE /api/v1/isac/approvals/{id}       revoke
 *   GET    /api/v1/isac/blocklists/{group}/{list}     a list for devices (ETag, 304)
 *   GET    /api/v1/isac/blocklists/{group}/fetches    who fetched what, latest per agency
 *   GET    /api/v1/isac/counters?year=Y&org=ID        shared/received per county
 *
 * Approvals are for national admins and region analysts, for groups whose organisations
 * are all within their scope, of indicators they may read themselves (the TLP view of a
 * TAXII read). TLP:AMBER goes only to the collection's own group and AMBER+STRICT to
 * none (it stays with the reporting organisation); TLP:RED may be approved, but each
 * fetch sees it only when the fetching agency reported it or is a named recipient.
 * Lists are built from the store (isac/dispatch.h) for the fetching agency, and kept in
 * the server's list cache when it has one until the group's approvals change or a row
 * expires; every fetch, 200 or 304, is logged. docs/api.md lists the answers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "isac/dispatch.h"
#include "isac/stix.h"
#include "isac/taxii.h"
#include "server/server_int.h"

#define APPROVE_MAX 1000        /* indicators per request */

static bool isac_admin(const lf_caller *c)
{
    return c->role == LF_ROLE_NATIONAL_ADMIN || c->role == LF_ROLE_REGION_ANALYST;
}

/* The group of a code; false after 404. */
static bool group_by_code(lf_server *s, lf_http_resp *resp, lf_arena *a, const char *code, lf_store_isac_group *out)
{
    lf_store_isac_group *v;
    size_t n;
    lf_err err;
    lf_err_clear(&err);
    if (lf_store_isac_group_list(s->store, a, &v, &n, &err)) {
        lf_server_fail(s, resp, &err);
        return false;
    }
    for (size_t i = 0; code && i < n; i++)
        if (!strcmp(v[i].code, code)) {
            *out = v[i];
            return true;
        }
    lf_http_json_error(resp, 404, "not_found", "no such sharing group");
    return false;
}

int lf_server_group_in_scope(lf_server *s, const lf_caller *c, const lf_store_isac_group *g, bool *inside,
                             lf_err *err)
{
    *inside = true;
    for (size_t i = 0; i < g->norgs && *inside; i++) {
        int rc = lf_store_org_within(s->store, g->orgs[i], c->org_id, inside, err);
        if (rc)
            return rc;
    }
    return LF_OK;
}

static void approval_json(lf_buf *b, const lf_store_isac_approval *p, const char *group_code, int64_t now)
{
    lf_buf_puts(b, "{\"id\":");
    lf_server_jid(b, p->id);
    lf_buf_puts(b, ",\"group\":");
    lf_server_jstr(b, group_code);
    lf_buf_puts(b, ",\"indicator\":");
    lf_server_jstr(b, p->stix_id);
    lf_buf_puts(b, ",\"tlp\":");
    lf_server_jstr(b, lf_stix_tlp_name((lf_stix_tlp)p->tlp));
    lf_buf_puts(b, ",\"source\":");
    lf_server_jstr(b, p->source);
    lf_buf_printf(b, ",\"simple_indicators\":%llu,\"expires\":", (unsigned long long)p->niocs);
    lf_server_jtime(b, p->expires);
    lf_buf_puts(b, ",\"approver\":");
    lf_server_jstr(b, p->approver);
    lf_buf_puts(b, ",\"approved_at\":");
    lf_server_jtime(b, p->created);
    lf_buf_puts(b, ",\"revoked_at\":");
    lf_server_jtime(b, p->revoked_at);
    lf_buf_puts(b, ",\"revoked_by\":");
    lf_server_jstr(b, p->revoked_by);
    lf_buf_printf(b, ",\"active\":%s}", !p->revoked_at && p->expires > now ? "true" : "false");
}

static void reject_add(lf_buf *b, size_t *n, const char *id, const char *why)
{
    lf_buf_puts(b, *n ? ",{\"indicator\":" : "{\"indicator\":");
    lf_server_jstr(b, id);
    lf_buf_puts(b, ",\"reason\":");
    lf_server_jstr(b, why);
    lf_buf_putc(b, '}');
    (*n)++;
}

/* May the approver read this indicator (STIX_VIS of the store, reader = approver's org)? */
static int approver_sees(lf_server *s, const lf_caller *c, const lf_store_isac_ind *d, bool *sees, lf_err *err)
{
    *sees = false;
    bool inside = false;
    int rc;
    switch (d->tlp) {
    case LF_STIX_TLP_CLEAR:
    case LF_STIX_TLP_GREEN:
        *sees = true;
        return LF_OK;
    case LF_STIX_TLP_AMBER:
    case LF_STIX_TLP_AMBER_STRICT:
        /* AMBER: the collection's group; both: the reporting organisation and its units */
        if (d->tlp == LF_STIX_TLP_AMBER && d->coll_group &&
            (rc = lf_store_isac_group_member(s->store, d->coll_group, c->org_id, sees, err)))
            return rc;
        if (*sees)
            return LF_OK;
        if (d->added_by && (rc = lf_store_org_within(s->store, c->org_id, d->added_by, &inside, err)) &&
            rc != LF_ENOTFOUND)
            return rc;
        *sees = inside;
        return LF_OK;
    default: {
        char k[32];
        snprintf(k, sizeof k, ",%lld,", (long long)c->org_id);
        *sees = d->added_by == c->org_id || (d->recipients && strstr(d->recipients, k));
        return LF_OK;
    }
    }
}

/* POST /api/v1/isac/approvals {indicators: [STIX ids], group: code, expires: RFC 3339} */
static int approvals_create(void *app, lf_http_req *req, lf_http_resp *resp)
{
    lf_server *s = app;
    lf_caller c;
    const lf_json *body;
    const char *group, *expires;
    if (!lf_server_auth(s, req, resp, 0, &c) || !lf_server_body(req, resp, &body) ||
        !lf_server_body_str(resp, body, "group", 64, &group) || !lf_server_body_str(resp, body, "expires", 64, &expires))
        return LF_OK;
    if (!isac_admin(&c))
        return lf_http_json_error(resp, 403, "forbidden", "only national admins and region analysts approve indicators");
    const lf_json *ids = lf_json_get(body, "indicators");
    if (!group || !expires || !lf_json_is(ids, LF_JSON_ARRAY) || !lf_json_len(ids) || lf_json_len(ids) > APPROVE_MAX)
        return lf_http_json_error(resp, 422, "invalid_field",
                                  "group, expires (RFC 3339) and indicators (1..1000 STIX ids) are required");
    int64_t now = lf_store_now(s->store), exp_us;
    if (!lf_taxii_time_parse(expires, &exp_us))
        return lf_http_json_error(resp, 422, "invalid_field", "expires: not an RFC 3339 UTC timestamp");
    int64_t exp = exp_us / 1000000 + (exp_us % 1000000 > 0);
    if (exp <= now)
        return lf_http_json_error(resp, 422, "invalid_field", "expires: must be in the future");
    lf_arena *a = lf_http_req_arena(req);
    lf_store_isac_group g;
    if (!group_by_code(s, resp, a, group, &g))
        return LF_OK;
    lf_err err;
    lf_err_clear(&err);
    bool inside;
    if (lf_server_group_in_scope(s, &c, &g, &inside, &err))
        return lf_server_fail(s, resp, &err);
    if (!inside)
        return lf_http_json_error(resp, 403, "forbidden", "the group has organisations outside your scope");

    lf_buf ok, bad;
    lf_buf_init(&ok, 0);
    lf_buf_init(&bad, 0);
    size_t nok = 0, nbad = 0;
    int rc = LF_OK;
    for (size_t i = 0; i < lf_json_len(ids) && !rc; i++) {
        const char *sid = lf_json_str(lf_json_at(ids, i));
        if (!sid || strncmp(sid, "indicator--", 11) || strlen(sid) > 100) {
            reject_add(&bad, &nbad, sid ? sid : "", "not an indicator's STIX id");
            continue;
        }
        lf_store_isac_ind d;
        bool sees = false;
        int fr = lf_store_isac_ind_find(s->store, sid, a, &d, &err);
        if (fr && fr != LF_ENOTFOUND) {
            rc = fr;
            break;
        }
        if (!fr && (rc = approver_sees(s, &c, &d, &sees, &err)))
            break;
        if (fr || !sees) {
            reject_add(&bad, &nbad, sid, "no such indicator (or none you may read)");
            continue;
        }
        if (d.revoked) {
            reject_add(&bad, &nbad, sid, "the indicator is revoked");
            continue;
        }
        if (d.tlp == LF_STIX_TLP_AMBER && d.coll_group != g.id) {
            reject_add(&bad, &nbad, sid, "TLP:AMBER stays within its collection's sharing group");
            continue;
        }
        if (d.tlp == LF_STIX_TLP_AMBER_STRICT) {
            reject_add(&bad, &nbad, sid, "TLP:AMBER+STRICT stays with the reporting organisation");
            continue;
        }
        lf_dispatch_iocs iocs;
        int64_t valid_until = 0;
        lf_err xe;
        lf_err_clear(&xe);
        int xr = lf_dispatch_extract_json(a, d.json, d.json_len, &iocs, &valid_until, &xe);
        if (xr == LF_ENOMEM) {
            rc = lf_err_set(&err, xr, "%s", xe.msg);
            break;
        }
        if (xr) {
            reject_add(&bad, &nbad, sid, xe.msg);
            continue;
        }
        if (!iocs.n) {
            reject_add(&bad, &nbad, sid, "the pattern has no address, domain, URL or hash that alone matches it");
            continue;
        }
        int64_t e = exp;
        if (valid_until && valid_until < e)
            e = valid_until;   /* never block past the intelligence's own validity */
        if (e <= now) {
            reject_add(&bad, &nbad, sid, "the indicator's valid_until has passed");
            continue;
        }
        lf_store_isac_approval ap = {0};
        ap.group_id = g.id;
        ap.ind = &d;
        ap.source = d.created_by_ref;
        ap.expires = e;
        ap.approved_by = c.user_id;
        ap.approver = c.login;
        ap.approver_org = c.org_id;
        lf_id aid;
        if ((rc = lf_store_isac_approve(s->store, &ap, iocs.items, iocs.n, &aid, &err)))
            break;
        lf_store_isac_approval got;
        if ((rc = lf_store_isac_approval_get(s->store, aid, a, &got, &err)))
            break;
        if (nok)
            lf_buf_putc(&ok, ',');
        approval_json(&ok, &got, g.code, now);
        nok++;
        lf_server_logf(s, "isac: %s approved %s for %s until %lld (%zu simple indicators)", c.login, sid, g.code,
                       (long long)e, iocs.n);
    }
    if (rc) {
        lf_buf_clear(&ok);
        lf_buf_clear(&bad);
        return lf_server_fail(s, resp, &err);
    }
    lf_buf *b = lf_http_resp_json(resp, nok ? 201 : 422);
    lf_buf_puts(b, "{\"items\":[");
    if (nok)
        lf_buf_append(b, ok.data, ok.len);
    lf_buf_puts(b, "],\"rejected\":[");
    if (nbad)
        lf_buf_append(b, bad.data, bad.len);
    lf_buf_puts(b, "]}\n");
    lf_buf_clear(&ok);
    lf_buf_clear(&bad);
    return LF_OK;
}

/* GET /api/v1/isac/approvals?group=CODE&active=1: analysts, groups within their scope. */
static int approvals_list(void *app, lf_http_req *req, lf_http_resp *resp)
{
    lf_server *s = app;
    lf_caller c;
    lf_store_page pg;
    if (!lf_server_auth(s, req, resp, 0, &c) || !lf_server_page(req, resp, &pg))
        return LF_OK;
    if (!isac_admin(&c))
        return lf_http_json_error(resp, 403, "forbidden", "only national admins and region analysts see approvals");
    lf_arena *a = lf_http_req_arena(req);
    const char *code = lf_http_req_query(req, "group");
    const char *act = lf_http_req_query(req, "active");
    lf_store_isac_group *gs;
    size_t ng;
    lf_err err;
    lf_err_clear(&err);
    if (lf_store_isac_group_list(s->store, a, &gs, &ng, &err))
        return lf_server_fail(s, resp, &err);
    lf_id gid = 0;
    if (code) {
        lf_store_isac_group g;
        if (!group_by_code(s, resp, a, code, &g))
            return LF_OK;
        gid = g.id;
    }
    int64_t now = lf_store_now(s->store);
    lf_store_isac_approval *v;
    size_t n;
    if (lf_store_isac_approval_list(s->store, gid, act && !strcmp(act, "1"), now, &pg, a, &v, &n, &err))
        return lf_server_fail(s, resp, &err);
    lf_buf *b = lf_http_resp_json(resp, 200);
    lf_buf_puts(b, "{\"items\":[");
    bool first = true;
    for (size_t i = 0; i < n; i++) {
        const lf_store_isac_group *g = NULL;
        for (size_t k = 0; k < ng && !g; k++)
            if (gs[k].id == v[i].group_id)
                g = &gs[k];
        bool inside = false;
        if (!g || lf_server_group_in_scope(s, &c, g, &inside, &err))
            continue;
        if (!inside)
            continue;   /* another region's groups are not listed */
        if (!first)
            lf_buf_putc(b, ',');
        approval_json(b, &v[i], g->code, now);
        first = false;
    }
    lf_buf_putc(b, ']');
    lf_server_jpage_end(b, &pg);
    return LF_OK;
}

/* DELETE /api/v1/isac/approvals/{id} */
static int approvals_revoke(void *app, lf_http_req *req, lf_http_resp *resp)
{
    lf_server *s = app;
    lf_caller c;
    lf_id id;
    if (!lf_server_auth(s, req, resp, 0, &c) || !lf_server_param_id(req, resp, "id", &id))
        return LF_OK;
    if (!isac_admin(&c))
        return lf_http_json_error(resp, 403, "forbidden", "only national admins and region analysts revoke approvals");
    lf_arena *a = lf_http_req_arena(req);
    lf_store_isac_approval p;
    lf_store_isac_group g;
    lf_err err;
    lf_err_clear(&err);
    int rc = lf_store_isac_approval_get(s->store, id, a, &p, &err);
    if (!rc)
        rc = lf_store_isac_group_get(s->store, p.group_id, a, &g, &err);
    if (rc)
        return lf_server_fail(s, resp, &err);
    bool inside;
    if (lf_server_group_in_scope(s, &c, &g, &inside, &err))
        return lf_server_fail(s, resp, &err);
    if (!inside)
        return lf_http_json_error(resp, 403, "forbidden", "the group has organisations outside your scope");
    if ((rc = lf_store_isac_revoke(s->store, id, c.login, &err)))
        return rc == LF_ENOTFOUND ? lf_http_json_error(resp, 409, "conflict", "the approval is already revoked")
                                  : lf_server_fail(s, resp, &err);
    if ((rc = lf_store_isac_approval_get(s->store, id, a, &p, &err)))
        return lf_server_fail(s, resp, &err);
    lf_server_logf(s, "isac: %s revoked approval %lld (%s for %s)", c.login, (long long)id, p.stix_id, g.code);
    lf_buf *b = lf_http_resp_json(resp, 200);
    approval_json(b, &p, g.code, lf_store_now(s->store));
    return lf_buf_puts(b, "\n");
}

/* If-None-Match holds tag (a list of entity tags, or "*")? */
static bool etag_match(const char *inm, const char *tag)
{
    if (!inm)
        return false;
    size_t tn = strlen(tag);
    for (const char *p = inm; *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        if (*p == '*')
            return true;
        if (!strncmp(p, "W/", 2))
            p += 2;
        if (!strncmp(p, tag, tn) && (p[tn] == '\0' || p[tn] == ',' || p[tn] == ' '))
            return true;
        while (*p && *p != ',')
            p++;
    }
    return false;
}

/* GET /api/v1/isac/blocklists/{group}/fetches: analysts, agencies within their scope. */
static int blocklist_fetches(lf_server *s, lf_http_req *req, lf_http_resp *resp, const lf_caller *c,
                             const lf_store_isac_group *g)
{
    if (!isac_admin(c))
        return lf_http_json_error(resp, 403, "forbidden", "only national admins and region analysts see the fetch log");
    lf_arena *a = lf_http_req_arena(req);
    lf_store_isac_fetch *v;
    size_t n;
    lf_err err;
    lf_err_clear(&err);
    if (lf_store_isac_fetch_latest(s->store, g->id, c->org_id, a, &v, &n, &err))
        return lf_server_fail(s, resp, &err);
    lf_buf *b = lf_http_resp_json(resp, 200);
    lf_buf_puts(b, "{\"group\":");
    lf_server_jstr(b, g->code);
    lf_buf_puts(b, ",\"items\":[");
    for (size_t i = 0; i < n; i++) {
        if (i)
            lf_buf_putc(b, ',');
        lf_buf_puts(b, "{\"org\":");
        lf_server_jid(b, v[i].org_id);
        lf_buf_puts(b, ",\"org_code\":");
        lf_server_jstr(b, v[i].org_code);
        lf_buf_puts(b, ",\"org_name\":");
        lf_server_jstr(b, v[i].org_name);
        lf_buf_puts(b, ",\"list\":");
        lf_server_jstr(b, v[i].list);
        lf_buf_puts(b, ",\"version\":");
        lf_server_jstr(b, v[i].version);
        lf_buf_printf(b, ",\"status\":%d,\"fetches\":%llu,\"via\":\"%s\",\"at\":", v[i].status,
                      (unsigned long long)v[i].count, v[i].token_id ? "token" : "user");
        lf_server_jtime(b, v[i].at);
        lf_buf_putc(b, '}');
    }
    return lf_buf_puts(b, "]}\n");
}

/* The server's list cache (isac/dispatch.h); NULL: each fetch builds its list. The
 * server owns none yet: it needs a field in lf_server freed by lf_server_free (the
 * lead's files), after which this returns it. */
static lf_dispatch_cache *isac_cache(lf_server *s)
{
    return s->bl_cache;
}

/* GET /api/v1/isac/blocklists/{group}/{list}: any member of the group (devices with
 * their agency's API token). */
static int blocklist_get(void *app, lf_http_req *req, lf_http_resp *resp)
{
    lf_server *s = app;
    lf_caller c;
    if (!lf_server_auth(s, req, resp, 0, &c))
        return LF_OK;
    lf_arena *a = lf_http_req_arena(req);
    lf_store_isac_group g;
    const char *list = lf_http_req_param(req, "list");
    if (!group_by_code(s, resp, a, lf_http_req_param(req, "group"), &g))
        return LF_OK;
    if (list && !strcmp(list, "fetches"))
        return blocklist_fetches(s, req, resp, &c, &g);
    lf_bl_format f;
    const char *ctype;
    if (!lf_dispatch_format(list, &f, &ctype))
        return lf_http_json_error(resp, 404, "not_found",
                                  "no such list (ip.txt, domain.txt, url.txt, hash.txt, nftables.nft, "
                                  "suricata.rules, iprep.list, categories.txt)");
    lf_err err;
    lf_err_clear(&err);
    bool member = false;
    if (lf_store_isac_group_member(s->store, g.id, c.org_id, &member, &err))
        return lf_server_fail(s, resp, &err);
    if (!member)
        return lf_http_json_error(resp, 403, "forbidden", "your organisation is not in this sharing group");
    lf_buf *b = lf_http_resp_body(resp);
    lf_dispatch_cache *cache = isac_cache(s);
    const lf_dispatch_list *l = NULL;
    lf_dispatch_report r;
    int64_t now = lf_store_now(s->store);
    int rc = cache ? lf_dispatch_cache_get(cache, s->store, g.id, c.org_id, now, f, &l, NULL, &err)
                   : lf_dispatch_build(s->store, g.id, c.org_id, now, NULL, f, b, &r, &err);
    if (rc) {
        lf_buf_reset(b);
        return lf_server_fail(s, resp, &err);
    }
    if (l)
        r = l->report;
    char tag[LF_DISPATCH_VERSION_SIZE + 2];
    snprintf(tag, sizeof tag, "\"%s\"", r.version);
    bool fresh = etag_match(lf_http_req_header(req, "If-None-Match"), tag);
    lf_store_isac_fetch fe = {0};
    fe.group_id = g.id;
    fe.org_id = c.org_id;
    fe.token_id = c.token_id;
    fe.user_id = c.user_id;
    fe.list = list;
    fe.version = r.version;
    fe.status = fresh ? 304 : 200;
    if ((rc = lf_store_isac_fetch_log(s->store, &fe, &err)))
        goto fail;
    /* a cached list is copied only when sent */
    if (l && !fresh && (rc = lf_buf_append(b, l->data, l->len))) {
        lf_err_set(&err, rc, "blocklist: out of memory");
        goto fail;
    }
    lf_dispatch_list_put(l);
    lf_http_resp_add_header(resp, "ETag", tag);
    lf_http_resp_add_header(resp, "X-Lianfang-List-Version", r.version);
    lf_http_resp_add_header(resp, "Cache-Control", "no-cache");
    if (fresh) {
        lf_buf_reset(b);
        lf_http_resp_set_status(resp, 304);
        return LF_OK;
    }
    lf_http_resp_set_status(resp, 200);
    lf_http_resp_set_type(resp, ctype);
    return LF_OK;
fail:
    lf_dispatch_list_put(l);
    lf_buf_reset(b);
    return lf_server_fail(s, resp, &err);
}

/* GET /api/v1/isac/counters?year=Y&org=ID: any user, organisations within their scope. */
static int counters_get(void *app, lf_http_req *req, lf_http_resp *resp)
{
    lf_server *s = app;
    lf_caller c;
    if (!lf_server_auth(s, req, resp, 0, &c))
        return LF_OK;
    long year, org;
    int64_t now = lf_store_now(s->store);
    long this_year = 1970 + (long)(now / 31556952);   /* mean Gregorian year: the default only */
    if (lf_http_req_query_long(req, "year", this_year, 1970, 9999, &year) ||
        lf_http_req_query_long(req, "org", (long)c.org_id, 1, 1L << 40, &org))
        return lf_http_json_error(resp, 400, "bad_request", "year is 1970..9999 and org an organisation id");
    if (!lf_server_in_scope(s, resp, &c, (lf_id)org))
        return LF_OK;
    lf_arena *a = lf_http_req_arena(req);
    lf_store_isac_counter *v;
    size_t n;
    lf_err err;
    lf_err_clear(&err);
    if (lf_store_isac_counters(s->store, (lf_id)org, (int)year, a, &v, &n, &err))
        return lf_server_fail(s, resp, &err);
    lf_buf *b = lf_http_resp_json(resp, 200);
    lf_buf_printf(b, "{\"year\":%ld,\"org\":", year);
    lf_server_jid(b, (lf_id)org);
    lf_buf_puts(b, ",\"items\":[");
    uint64_t ts = 0, tr = 0;
    for (size_t i = 0; i < n; i++) {
        if (i)
            lf_buf_putc(b, ',');
        lf_buf_puts(b, "{\"org\":");
        lf_server_jid(b, v[i].org_id);
        lf_buf_puts(b, ",\"code\":");
        lf_server_jstr(b, v[i].code);
        lf_buf_puts(b, ",\"name_en\":");
        lf_server_jstr(b, v[i].name_en);
        lf_buf_puts(b, ",\"name_zh\":");
        lf_server_jstr(b, v[i].name_zh);
        lf_buf_printf(b, ",\"shared\":%llu,\"received\":%llu}", (unsigned long long)v[i].shared,
                      (unsigned long long)v[i].received);
        ts += v[i].shared;
        tr += v[i].received;
    }
    lf_buf_printf(b, "],\"total\":{\"shared\":%llu,\"received\":%llu}}\n", (unsigned long long)ts,
                  (unsigned long long)tr);
    return LF_OK;
}

int lf_api_isac_routes(lf_server *s, lf_http *h, lf_err *err);
int lf_api_isac_routes(lf_server *s, lf_http *h, lf_err *err)
{
    int rc;
    if (!s->bl_cache && (rc = lf_dispatch_cache_new(LF_DISPATCH_CACHE_DEFAULT, &s->bl_cache, err)))
        return rc;
    if ((rc = lf_http_route(h, "POST", "/api/v1/isac/approvals", approvals_create, NULL, 0, err)) ||
        (rc = lf_http_route(h, "GET", "/api/v1/isac/approvals", approvals_list, NULL, 0, err)) ||
        (rc = lf_http_route(h, "DELETE", "/api/v1/isac/approvals/{id}", approvals_revoke, NULL, 0, err)) ||
        (rc = lf_http_route(h, "GET", "/api/v1/isac/blocklists/{group}/{list}", blocklist_get, NULL, 0, err)) ||
        (rc = lf_http_route(h, "GET", "/api/v1/isac/counters", counters_get, NULL, 0, err)))
        return rc;
    return LF_OK;
}
