/*
 * api_admin: the notice scheduler's operator endpoints (national admin only) and an
 * organisation's notice contacts.
 *   POST /api/v1/admin/scheduler/run?now=ISO8601  every job once at that time, then the
 *        send step (after a fix, and in tests: nobody waits for notify.interval);
 *   GET  /api/v1/admin/notices?state&kind&org&key_prefix&limit&after  the outbox, paged;
 *   GET  /api/v1/admin/notices/{id}  one notice with its bodies and deliveries;
 *   GET  /api/v1/orgs/{id}/contacts, PUT /api/v1/orgs/{id}/contacts {"emails":[...]}:
 *        where the org's notices (agency) or escalations (county, region) go.
 */
#include <stdio.h>
#include <string.h>

#include "server/mail.h"
#include "server/notice.h"
#include "server/scheduler.h"
#include "server/server_int.h"

#define MAX_CONTACTS 64

/* National admins at the national org only; false after writing 401/403. */
static bool admin_only(lf_server *s, lf_http_req *req, lf_http_resp *resp, lf_caller *c)
{
    if (!lf_server_auth(s, req, resp, 0, c))
        return false;
    if (c->role != LF_ROLE_NATIONAL_ADMIN || c->org_id != s->national) {
        lf_http_json_error(resp, 403, "forbidden", "only a national admin may use the scheduler endpoints");
        return false;
    }
    return true;
}

static void report_json(lf_buf *b, const lf_scheduler_report *r)
{
    lf_buf_puts(b, "{\"now\":");
    lf_server_jtime(b, r->now);
    lf_buf_printf(b,
                  ",\"today\":\"%s\",\"recorded\":{\"digest\":%u,\"upload_reminder\":%u,\"upload_overdue\":%u,"
                  "\"deadline_near\":%u,\"deadline_past\":%u,\"escalation_county\":%u,\"escalation_region\":%u},"
                  "\"skipped_no_channel\":%u,\"risk_expired\":%u,\"deliveries\":{\"sent\":%u,\"failed\":%u,\"retry\":%u}}\n",
                  r->today, r->digest, r->upload_reminder, r->upload_overdue, r->deadline_near, r->deadline_past,
                  r->escalation_county, r->escalation_region, r->skipped_no_channel, r->risk_expired, r->delivered, r->failed,
                  r->retry);
}

/* POST /api/v1/admin/scheduler/run?now=2026-05-12T09:00:00+08:00 */
static int scheduler_run(void *app, lf_http_req *req, lf_http_resp *resp)
{
    lf_server *s = app;
    lf_caller c;
    if (!admin_only(s, req, resp, &c))
        return LF_OK;
    if (!s->sched)
        return lf_http_json_error(resp, 503, "unavailable", "the notice scheduler is not running in this server");
    int64_t now = lf_store_now(s->store);
    const char *q = lf_http_req_query(req, "now");
    if (q && !lf_sched_parse_time(q, &now))
        return lf_http_json_error(resp, 400, "bad_request",
                                  "now must be YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS] with Z or +HH:MM (Taiwan time "
                                  "without one)");
    lf_scheduler_report rep;
    lf_err err;
    lf_err_clear(&err);
    if (lf_scheduler_run(s->sched, now, &rep, &err))
        return lf_server_fail(s, resp, &err);
    report_json(lf_http_resp_json(resp, 200), &rep);
    return LF_OK;
}

static void notice_json(lf_buf *b, const lf_store_notice *n, bool full)
{
    lf_buf_puts(b, "{\"id\":");
    lf_server_jid(b, n->id);
    lf_buf_puts(b, ",\"key\":");
    lf_server_jstr(b, n->key);
    lf_buf_puts(b, ",\"kind\":");
    lf_server_jstr(b, n->kind);
    lf_buf_puts(b, ",\"stage\":");
    lf_server_jstr(b, n->stage);
    lf_buf_puts(b, ",\"org_id\":");
    lf_server_jid(b, n->org_id);
    lf_buf_puts(b, ",\"notice_date\":");
    lf_server_jstr(b, n->notice_date);
    const char *st = lf_nstate_name(n->state);
    lf_buf_printf(b, ",\"state\":\"%s\",\"attempts\":%u,\"last_error\":", st ? st : "", n->attempts);
    lf_server_jstr(b, n->last_error);
    lf_buf_puts(b, ",\"created\":");
    lf_server_jtime(b, n->created);
    lf_buf_puts(b, ",\"sent_at\":");
    lf_server_jtime(b, n->sent_at);
    lf_buf_puts(b, ",\"updated\":");
    lf_server_jtime(b, n->updated);
    lf_buf_puts(b, ",\"subject\":");
    lf_server_jstr(b, n->subject);
    lf_buf_puts(b, ",\"recipients\":[");
    for (const char *p = n->recipients; p && *p;) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (p != n->recipients)
            lf_buf_putc(b, ',');
        lf_json_write_str(b, p, len);
        p += len + (e ? 1 : 0);
    }
    lf_buf_printf(b, "],\"findings\":%u,\"deliveries\":", n->nfindings);
    if (full) {
        lf_buf_putc(b, '[');
        for (size_t i = 0; i < n->ndeliveries; i++) {
            const lf_store_delivery *d = &n->deliveries[i];
            lf_buf_puts(b, i ? ",{\"channel\":" : "{\"channel\":");
            lf_server_jstr(b, d->channel);
            lf_buf_printf(b, ",\"state\":\"%s\",\"attempts\":%u,\"next_attempt\":",
                          lf_nstate_name(d->state) ? lf_nstate_name(d->state) : "", d->attempts);
            lf_server_jtime(b, d->next_attempt);
            lf_buf_puts(b, ",\"last_error\":");
            lf_server_jstr(b, d->last_error);
            lf_buf_puts(b, ",\"sent_at\":");
            lf_server_jtime(b, d->sent_at);
            lf_buf_putc(b, '}');
        }
        lf_buf_puts(b, "],\"body_text\":");
        lf_server_jstr(b, n->body_text);
        lf_buf_puts(b, ",\"body_html\":");
        lf_server_jstr(b, n->body_html);
        /* the webhook body was written by this server as JSON (scheduler.c) */
        lf_buf_puts(b, ",\"payload\":");
        lf_buf_puts(b, n->payload_json && *n->payload_json ? n->payload_json : "null");
    } else {
        /* built by the store as a JSON array */
        lf_buf_puts(b, n->deliveries_json && *n->deliveries_json ? n->deliveries_json : "[]");
    }
    lf_buf_putc(b, '}');
}

static bool parse_org(const char *p, lf_id *out)
{
    if (!p || *p < '1' || *p > '9')
        return false;
    long long v = 0;
    for (; *p; p++) {
        if (*p < '0' || *p > '9' || v > (long long)1e15)
            return false;
        v = v * 10 + (*p - '0');
    }
    *out = (lf_id)v;
    return true;
}

/* GET /api/v1/admin/notices?state=pending|sent|failed&kind=&org=&key_prefix=&limit&after */
static int notices_list(void *app, lf_http_req *req, lf_http_resp *resp)
{
    lf_server *s = app;
    lf_caller c;
    lf_store_page pg;
    if (!admin_only(s, req, resp, &c) || !lf_server_page(req, resp, &pg))
        return LF_OK;
    lf_store_nfilter f = {0, 0, NULL, NULL};
    const char *st = lf_http_req_query(req, "state");
    if (st) {
        int v = lf_nstate_parse(st);
        if (v < 0)
            return lf_http_json_error(resp, 400, "bad_request", "state must be pending, sent or failed");
        f.state = (lf_nstate)v;
    }
    const char *kind = lf_http_req_query(req, "kind");
    if (kind && lf_notice_kind_parse(kind) < 0)
        return lf_http_json_error(resp, 400, "bad_request", "kind must be digest, upload, deadline or escalation");
    f.kind = kind;
    const char *org = lf_http_req_query(req, "org");
    if (org && !parse_org(org, &f.org_id))
        return lf_http_json_error(resp, 400, "bad_request", "org must be an organisation id");
    f.key_prefix = lf_http_req_query(req, "key_prefix");
    lf_store_notice *v;
    size_t n;
    lf_err err;
    lf_err_clear(&err);
    if (lf_store_notice_list(s->store, &f, &pg, lf_http_req_arena(req), &v, &n, &err))
        return lf_server_fail(s, resp, &err);
    lf_buf *b = lf_http_resp_json(resp, 200);
    lf_buf_puts(b, "{\"items\":[");
    for (size_t i = 0; i < n; i++) {
        if (i)
            lf_buf_putc(b, ',');
        notice_json(b, &v[i], false);
    }
    lf_buf_putc(b, ']');
    lf_server_jpage_end(b, &pg);
    return LF_OK;
}

/* GET /api/v1/admin/notices/{id} */
static int notice_get(void *app, lf_http_req *req, lf_http_resp *resp)
{
    lf_server *s = app;
    lf_caller c;
    lf_id id;
    if (!admin_only(s, req, resp, &c) || !lf_server_param_id(req, resp, "id", &id))
        return LF_OK;
    lf_store_notice n;
    lf_err err;
    lf_err_clear(&err);
    if (lf_store_notice_get(s->store, id, NULL, lf_http_req_arena(req), &n, &err))
        return lf_server_fail(s, resp, &err);
    lf_buf *b = lf_http_resp_json(resp, 200);
    notice_json(b, &n, true);
    return lf_buf_puts(b, "\n");
}

static void contacts_json(lf_buf *b, const lf_store_org *o)
{
    lf_buf_puts(b, "{\"org_id\":");
    lf_server_jid(b, o->id);
    lf_buf_puts(b, ",\"emails\":[");
    for (size_t i = 0; i < o->nemails; i++) {
        if (i)
            lf_buf_putc(b, ',');
        lf_server_jstr(b, o->emails[i]);
    }
    lf_buf_puts(b, "]}\n");
}

/* GET /api/v1/orgs/{id}/contacts: anyone who sees the org. */
static int contacts_get(void *app, lf_http_req *req, lf_http_resp *resp)
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
    contacts_json(lf_http_resp_json(resp, 200), &o);
    return LF_OK;
}

/* PUT /api/v1/orgs/{id}/contacts {"emails":["it@agency.gov.tw", ...]}: any user with a
 * role who sees the org (an agency keeps its own contacts; read_only and tokens may not). */
static int contacts_put(void *app, lf_http_req *req, lf_http_resp *resp)
{
    lf_server *s = app;
    lf_caller c;
    lf_id id;
    const lf_json *body;
    if (!lf_server_auth(s, req, resp, 0, &c) || !lf_server_param_id(req, resp, "id", &id) ||
        !lf_server_in_scope(s, resp, &c, id) || !lf_server_body(req, resp, &body))
        return LF_OK;
    const lf_json *arr = lf_json_get(body, "emails");
    if (!lf_json_is(arr, LF_JSON_ARRAY) || lf_json_len(arr) > MAX_CONTACTS)
        return lf_http_json_error(resp, 422, "invalid_field", "emails must be an array of at most 64 addresses");
    const char *emails[MAX_CONTACTS];
    size_t n = lf_json_len(arr);
    for (size_t i = 0; i < n; i++) {
        const char *e = lf_json_str(lf_json_at(arr, i));
        char spec[LF_MAIL_MAX_ADDR + 1];
        /* plain addresses only: what SMTP's RCPT TO takes, and no header injection */
        if (!e || lf_mail_addr_spec(e, spec, sizeof spec) || strcmp(spec, e)) {
            char msg[120];
            snprintf(msg, sizeof msg, "emails[%zu] is not a plain e-mail address (user@domain)", i);
            return lf_http_json_error(resp, 422, "invalid_field", msg);
        }
        emails[i] = e;
    }
    lf_arena *a = lf_http_req_arena(req);
    lf_store_org before;
    lf_err err;
    lf_err_clear(&err);
    if (lf_store_org_get(s->store, id, a, &before, &err) || lf_store_org_set_contacts(s->store, id, emails, n, &err))
        return lf_server_fail(s, resp, &err);
    lf_store_org o;
    if (lf_store_org_get(s->store, id, a, &o, &err))
        return lf_server_fail(s, resp, &err);
    lf_buf bj, aj;
    lf_buf_init(&bj, 0);
    lf_buf_init(&aj, 0);
    contacts_json(&bj, &before);
    contacts_json(&aj, &o);
    lf_store_audit au = {0, 0, c.user_id, c.login, id, "org", id, "contacts", bj.data, aj.data};
    lf_store_audit_add(s->store, &au, NULL, NULL);   /* the change stands either way */
    lf_buf_clear(&bj);
    lf_buf_clear(&aj);
    contacts_json(lf_http_resp_json(resp, 200), &o);
    return LF_OK;
}

int lf_api_admin_routes(lf_server *s, lf_http *h, lf_err *err)
{
    (void)s;
    int rc;
    if ((rc = lf_http_route(h, "POST", "/api/v1/admin/scheduler/run", scheduler_run, NULL, LF_HTTP_SLOW, err)) ||
        (rc = lf_http_route(h, "GET", "/api/v1/admin/notices", notices_list, NULL, 0, err)) ||
        (rc = lf_http_route(h, "GET", "/api/v1/admin/notices/{id}", notice_get, NULL, 0, err)) ||
        (rc = lf_http_route(h, "GET", "/api/v1/orgs/{id}/contacts", contacts_get, NULL, 0, err)) ||
        (rc = lf_http_route(h, "PUT", "/api/v1/orgs/{id}/contacts", contacts_put, NULL, 0, err)))
        return rc;
    return LF_OK;
}
