/*
 * api_findings: an agency's findings (filtered and paged by the store), one finding, its
 * lifecycle transitions (measure filed, fixed, risk accepted, false positive, reopened:
 * the rules and the audit rows are the store's) and its audit trail.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/rematch.h"
#include "server/server_int.h"

/* %.5g, with a printf-free path for what CVSS scores are: one decimal below 100 */
static void jnum_or_null(lf_buf *b, double v)
{
    if (v < 0) {
        lf_buf_puts(b, "null");
        return;
    }
    if (v < 100) {
        long k = lround(v * 10);
        if (fabs(v * 10 - (double)k) < 1e-7) {
            lf_buf_put_u64(b, (uint64_t)(k / 10));
            if (k % 10) {
                lf_buf_putc(b, '.');
                lf_buf_putc(b, (char)('0' + k % 10));
            }
            return;
        }
    }
    lf_buf_printf(b, "%.5g", v);
}

static void finding_json(lf_buf *b, const lf_store_finding *f)
{
    lf_buf_puts(b, "{\"id\":");
    lf_server_jid(b, f->id);
    lf_buf_puts(b, ",\"agency_id\":");
    lf_server_jid(b, f->agency_id);
    lf_buf_puts(b, ",\"host_id\":");
    lf_server_jid(b, f->host_id);
    lf_buf_puts(b, ",\"host\":");
    lf_server_jstr(b, f->host);
    lf_buf_puts(b, ",\"cve\":");
    lf_server_jstr(b, f->cve);
    lf_buf_puts(b, ",\"cpe\":");
    lf_server_jstr(b, f->cpe);
    lf_buf_puts(b, ",\"kind\":\"");
    lf_buf_puts(b, lf_fkind_name(f->kind));
    lf_buf_puts(b, "\",\"cvss\":");
    jnum_or_null(b, f->cvss);
    lf_buf_puts(b, ",\"cvss_version\":");
    lf_server_jstr(b, f->cvss_version);
    lf_buf_puts(b, ",\"severity\":");
    lf_server_jstr(b, f->severity);
    lf_buf_puts(b, f->kev ? ",\"kev\":true,\"kev_due\":" : ",\"kev\":false,\"kev_due\":");
    lf_server_jstr(b, f->kev_due);
    lf_buf_puts(b, ",\"epss\":");
    jnum_or_null(b, f->epss);
    lf_buf_puts(b, ",\"state\":\"");
    lf_buf_puts(b, lf_fstate_name(f->state));
    lf_buf_puts(b, "\",\"measure\":");
    lf_server_jstr(b, f->measure);
    lf_buf_puts(b, ",\"measure_planned\":");
    lf_server_jstr(b, f->measure_planned);
    lf_buf_puts(b, ",\"risk_reason\":");
    lf_server_jstr(b, f->risk_reason);
    lf_buf_puts(b, ",\"risk_approver\":");
    lf_server_jstr(b, f->risk_approver);
    lf_buf_puts(b, ",\"risk_expiry\":");
    lf_server_jstr(b, f->risk_expiry);
    lf_buf_puts(b, ",\"fp_reason\":");
    lf_server_jstr(b, f->fp_reason);
    lf_buf_puts(b, ",\"notice_date\":");
    lf_server_jstr(b, f->notice_date);
    lf_buf_puts(b, ",\"due_date\":");
    lf_server_jstr(b, f->due_date);
    lf_buf_puts(b, ",\"first_seen\":");
    lf_server_jtime(b, f->first_seen);
    lf_buf_puts(b, ",\"last_seen\":");
    lf_server_jtime(b, f->last_seen);
    lf_buf_puts(b, ",\"fixed_at\":");
    lf_server_jtime(b, f->fixed_at);
    lf_buf_puts(b, ",\"updated\":");
    lf_server_jtime(b, f->updated);
    lf_buf_puts(b, f->fixed_confirmed ? ",\"fixed_confirmed\":true,\"reopened\":" : ",\"fixed_confirmed\":false,\"reopened\":");
    lf_buf_put_u64(b, f->reopened);
    lf_buf_putc(b, '}');
}

/* GET /api/v1/agencies/{id}/findings?state&kev&min_cvss&cve&limit&after */
static int finding_list(void *app, lf_http_req *req, lf_http_resp *resp)
{
    lf_server *s = app;
    lf_caller c;
    lf_id agency;
    lf_store_page pg;
    if (!lf_server_auth(s, req, resp, 0, &c) || !lf_server_param_id(req, resp, "id", &agency) ||
        !lf_server_page(req, resp, &pg) || !lf_server_in_scope(s, resp, &c, agency))
        return LF_OK;
    lf_store_ffilter f;
    memset(&f, 0, sizeof f);
    f.scope = agency;
    const char *st = lf_http_req_query(req, "state");
    if (st && *st) {
        int v = lf_fstate_parse(st);
        if (v < 0)
            return lf_http_json_error(resp, 400, "bad_request",
                                      "state: open, measure_filed, fixed, risk_accepted or false_positive");
        f.state = (lf_fstate)v;
    }
    const char *kev = lf_http_req_query(req, "kev");
    if (kev && *kev) {
        if (!strcmp(kev, "true") || !strcmp(kev, "1"))
            f.kev_only = true;
        else if (strcmp(kev, "false") && strcmp(kev, "0"))
            return lf_http_json_error(resp, 400, "bad_request", "kev must be true or false");
    }
    const char *mc = lf_http_req_query(req, "min_cvss");
    if (mc && *mc) {
        char *e;
        double v = strtod(mc, &e);
        if (*e || !(v >= 0 && v <= 10))
            return lf_http_json_error(resp, 400, "bad_request", "min_cvss must be a number from 0 to 10");
        f.min_cvss = v;
    }
    const char *cve = lf_http_req_query(req, "cve");
    if (cve && *cve)
        f.cve = cve;
    lf_store_finding *v;
    size_t n;
    lf_err err;
    lf_err_clear(&err);
    if (lf_store_finding_list(s->store, &f, &pg, lf_http_req_arena(req), &v, &n, &err))
        return lf_server_fail(s, resp, &err);
    lf_buf *b = lf_http_resp_json(resp, 200);
    lf_buf_puts(b, "{\"items\":[");
    for (size_t i = 0; i < n; i++) {
        if (i)
            lf_buf_putc(b, ',');
        finding_json(b, &v[i]);
    }
    lf_buf_putc(b, ']');
    lf_server_jpage_end(b, &pg);
    return LF_OK;
}

/* The finding of path parameter id, within the caller's scope; false after answering. */
/* GET /api/v1/findings/{id} */
static int finding_get(void *app, lf_http_req *req, lf_http_resp *resp)
{
    lf_server *s = app;
    lf_caller c;
    lf_store_finding f;
    if (!lf_server_auth(s, req, resp, 0, &c) || !lf_server_finding_of(s, req, resp, &c, &f))
        return LF_OK;
    lf_buf *b = lf_http_resp_json(resp, 200);
    finding_json(b, &f);
    return lf_buf_puts(b, "\n");
}

static int need(lf_http_resp *resp, const char *v, const char *field, const char *to)
{
    if (v && *v)
        return 0;
    char msg[160];
    snprintf(msg, sizeof msg, "%s is required for a transition to %s", field, to);
    lf_http_json_error(resp, 422, "invalid_field", msg);
    return 1;
}

static int need_date(lf_http_resp *resp, const char *v, const char *field)
{
    if (lf_server_is_date(v))
        return 0;
    char msg[160];
    snprintf(msg, sizeof msg, "%s must be a date YYYY-MM-DD", field);
    lf_http_json_error(resp, 422, "invalid_field", msg);
    return 1;
}

/* POST /api/v1/findings/{id}/transition {to, text, planned_date, reason, approver, expiry} */
static int finding_transition(void *app, lf_http_req *req, lf_http_resp *resp)
{
    lf_server *s = app;
    lf_caller c;
    lf_store_finding f;
    const lf_json *body;
    const char *to, *text, *planned, *reason, *approver, *expiry;
    if (!lf_server_auth(s, req, resp, 0, &c) || !lf_server_finding_of(s, req, resp, &c, &f) ||
        !lf_server_body(req, resp, &body) || !lf_server_body_str(resp, body, "to", 32, &to) ||
        !lf_server_body_str(resp, body, "text", 4000, &text) ||
        !lf_server_body_str(resp, body, "planned_date", 10, &planned) ||
        !lf_server_body_str(resp, body, "reason", 4000, &reason) ||
        !lf_server_body_str(resp, body, "approver", 256, &approver) ||
        !lf_server_body_str(resp, body, "expiry", 10, &expiry))
        return LF_OK;
    int st = to ? lf_fstate_parse(to) : -1;
    if (st < 0)
        return lf_http_json_error(resp, 422, "invalid_field",
                                  "to: open, measure_filed, fixed, risk_accepted or false_positive");
    lf_store_fchange ch;
    memset(&ch, 0, sizeof ch);
    ch.to = (lf_fstate)st;
    /* required fields are checked here so that the store's refusal means only one
     * thing: the lifecycle does not allow this change from the current state (409) */
    switch (ch.to) {
    case LF_FSTATE_MEASURE_FILED:
        if (need(resp, text, "text", to) || need(resp, planned, "planned_date", to) ||
            need_date(resp, planned, "planned_date"))
            return LF_OK;
        ch.measure = text;
        ch.measure_planned = planned;
        break;
    case LF_FSTATE_RISK_ACCEPTED:
        if (need(resp, reason, "reason", to) || need(resp, approver, "approver", to) ||
            need(resp, expiry, "expiry", to) || need_date(resp, expiry, "expiry"))
            return LF_OK;
        /* the acceptance holds through its expiry day; one already over would be opened
         * again by the scheduler's next run, so it is refused here instead */
        char today[11];
        lf_rematch_today(s, today);
        if (strcmp(expiry, today) < 0) {
            char msg[80];
            snprintf(msg, sizeof msg, "expiry: %s has passed (today is %s)", expiry, today);
            return lf_http_json_error(resp, 422, "invalid_field", msg);
        }
        ch.risk_reason = reason;
        ch.risk_approver = approver;
        ch.risk_expiry = expiry;
        break;
    case LF_FSTATE_FALSE_POSITIVE:
        if (need(resp, reason, "reason", to))
            return LF_OK;
        ch.fp_reason = reason;
        break;
    default:
        break;
    }
    lf_store_actor who = {c.user_id, c.login};
    lf_err err;
    lf_err_clear(&err);
    int rc = lf_store_finding_transition(s->store, f.id, &ch, &who, &err);
    if (rc == LF_EINVAL)
        return lf_http_json_error(resp, 409, "conflict", err.msg);
    if (rc)
        return lf_server_fail(s, resp, &err);
    if (lf_store_finding_get(s->store, f.id, lf_http_req_arena(req), &f, &err))
        return lf_server_fail(s, resp, &err);
    lf_buf *b = lf_http_resp_json(resp, 200);
    finding_json(b, &f);
    return lf_buf_puts(b, "\n");
}

/* GET /api/v1/findings/{id}/audit?limit&after */
static int finding_audit(void *app, lf_http_req *req, lf_http_resp *resp)
{
    lf_server *s = app;
    lf_caller c;
    lf_store_finding f;
    lf_store_page pg;
    if (!lf_server_auth(s, req, resp, 0, &c) || !lf_server_page(req, resp, &pg) ||
        !lf_server_finding_of(s, req, resp, &c, &f))
        return LF_OK;
    lf_store_audit *v;
    size_t n;
    lf_err err;
    lf_err_clear(&err);
    if (lf_store_audit_list(s->store, f.agency_id, "finding", f.id, &pg, lf_http_req_arena(req), &v, &n, &err))
        return lf_server_fail(s, resp, &err);
    lf_buf *b = lf_http_resp_json(resp, 200);
    lf_buf_puts(b, "{\"items\":[");
    for (size_t i = 0; i < n; i++) {
        lf_buf_puts(b, i ? ",{\"id\":" : "{\"id\":");
        lf_server_jid(b, v[i].id);
        lf_buf_puts(b, ",\"at\":");
        lf_server_jtime(b, v[i].at);
        lf_buf_puts(b, ",\"user_id\":");
        lf_server_jid(b, v[i].user_id);
        lf_buf_puts(b, ",\"actor\":");
        lf_server_jstr(b, v[i].actor);
        lf_buf_puts(b, ",\"action\":");
        lf_server_jstr(b, v[i].action);
        /* before/after are JSON objects the store wrote */
        lf_buf_printf(b, ",\"before\":%s,\"after\":%s}", v[i].before_json ? v[i].before_json : "null",
                      v[i].after_json ? v[i].after_json : "null");
    }
    lf_buf_putc(b, ']');
    lf_server_jpage_end(b, &pg);
    return LF_OK;
}

int lf_api_findings_routes(lf_server *s, lf_http *h, lf_err *err)
{
    (void)s;
    int rc;
    if ((rc = lf_http_route(h, "GET", "/api/v1/agencies/{id}/findings", finding_list, NULL, 0, err)) ||
        (rc = lf_http_route(h, "GET", "/api/v1/findings/{id}", finding_get, NULL, 0, err)) ||
        (rc = lf_http_route(h, "POST", "/api/v1/findings/{id}/transition", finding_transition, NULL, 0, err)) ||
        (rc = lf_http_route(h, "GET", "/api/v1/findings/{id}/audit", finding_audit, NULL, 0, err)))
        return rc;
    return LF_OK;
}
