/*
 * api_overview: what the web dashboard reads besides the resource endpoints. Aggregates
 * computed by the store in SQL (lf_store_overview, lf_store_trends, lf_store_host_summary):
 * GET /api/v1/overview (one row per child unit with the programme's figures), GET
 * /api/v1/trends (per month), an agency's hosts with their open findings, one host and its
 * findings, and a finding's advisory from the vulnerability index (fix links first, CVSS
 * vectors, KEV entry). Every endpoint applies the caller's scope like the others (403
 * outside it); docs/api.md documents the shapes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/server_int.h"
#include "vans/cvss.h"

/* The programme's limit on the share of B-level agencies with a late high finding. */
#define B_LATE_LIMIT 0.30
/* Taiwan time (UTC+8): the programme's calendar. */
#define TW_OFFSET (8 * 3600)

static const char *const sev_key[LF_SEV_IDX_COUNT] = {"critical", "high", "medium", "low", "none"};

static void jcounts(lf_buf *b, const uint64_t *v)
{
    lf_buf_putc(b, '{');
    for (int k = 0; k < LF_SEV_IDX_COUNT; k++) {
        lf_buf_puts(b, k ? ",\"" : "\"");
        lf_buf_puts(b, sev_key[k]);
        lf_buf_puts(b, "\":");
        lf_buf_put_u64(b, v[k]);
    }
    lf_buf_putc(b, '}');
}

/* A share in [0, 1] with four decimals, or null when there is nothing to divide by. */
static void jshare(lf_buf *b, uint64_t part, uint64_t whole)
{
    if (!whole)
        lf_buf_puts(b, "null");
    else
        lf_buf_printf(b, "%.4f", (double)part / (double)whole);
}

static void jdays(lf_buf *b, double d)
{
    if (d < 0)
        lf_buf_puts(b, "null");
    else
        lf_buf_printf(b, "%.1f", d);
}

static void row_json(lf_buf *b, const lf_store_overview_row *r)
{
    uint64_t open = 0;
    for (int k = 0; k < LF_SEV_IDX_COUNT; k++)
        open += r->open[k];
    lf_buf_puts(b, "{\"org\":");
    lf_server_org_json(b, &r->org);
    lf_buf_printf(b, ",\"agencies\":%llu,\"connected\":%llu,\"connected_share\":", (unsigned long long)r->agencies,
                  (unsigned long long)r->connected);
    jshare(b, r->connected, r->agencies);
    lf_buf_printf(b, ",\"uploaded\":%llu,\"uploaded_share\":", (unsigned long long)r->uploaded);
    jshare(b, r->uploaded, r->agencies);
    lf_buf_printf(b, ",\"hosts\":%llu,\"open\":", (unsigned long long)r->hosts);
    jcounts(b, r->open);
    lf_buf_printf(b, ",\"open_total\":%llu,\"open_kev\":%llu,\"overdue\":%llu,\"b_agencies\":%llu,\"b_late\":%llu,"
                     "\"b_late_share\":",
                  (unsigned long long)open, (unsigned long long)r->open_kev, (unsigned long long)r->overdue,
                  (unsigned long long)r->b_agencies, (unsigned long long)r->b_late);
    jshare(b, r->b_late, r->b_agencies);
    bool over = r->b_agencies && (double)r->b_late / (double)r->b_agencies > B_LATE_LIMIT;
    lf_buf_printf(b, ",\"b_limit_exceeded\":%s,\"median_fix_days\":", over ? "true" : "false");
    jdays(b, r->median_fix_days);
    lf_buf_printf(b, ",\"fixed\":%llu,\"flagged\":%llu}", (unsigned long long)r->fixed,
                  (unsigned long long)r->flagged);
}

/* Today in Taiwan as "YYYY-MM-DD" and its day number. */
static long tw_today(lf_server *s, char out[11])
{
    long days = (long)((lf_store_now(s->store) + TW_OFFSET) / 86400);
    lf_date_format(days, out);
    return days;
}

static bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* date minus `months` calendar months, the day clamped to the month's length (03-31 - 1
 * month = 02-28), the mirror of the deadline's "one calendar month after notice". */
static void minus_months(const char *date, int months, char out[11])
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y = (int)strtol(date, NULL, 10), m = (int)strtol(date + 5, NULL, 10), d = (int)strtol(date + 8, NULL, 10);
    int idx = y * 12 + (m - 1) - months;
    y = idx / 12;
    m = idx % 12 + 1;
    int ml = mdays[m - 1] + (m == 2 && leap(y));
    if (d > ml)
        d = ml;
    char tmp[32];   /* y is 4 digits for any date lf_date_format writes */
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, m, d);
    memcpy(out, tmp, 10);
    out[10] = '\0';
}

/* ?org= (default: the caller's own org) within the caller's scope; false after answering. */
static bool org_param(lf_server *s, lf_http_req *req, lf_http_resp *resp, const lf_caller *c, lf_id *org)
{
    const char *p = lf_http_req_query(req, "org");
    if (!p || !*p) {
        *org = c->org_id;
    } else {
        char *e;
        long long v = strtoll(p, &e, 10);
        if (*e || v <= 0 || p[0] < '1' || p[0] > '9') {
            lf_http_json_error(resp, 400, "bad_request", "org must be an organisation id");
            return false;
        }
        *org = (lf_id)v;
    }
    return lf_server_in_scope(s, resp, c, *org);
}

/* GET /api/v1/overview?org=ID[&month=YYYY-MM] */
static int overview(void *app, lf_http_req *req, lf_http_resp *resp)
{
    lf_server *s = app;
    lf_caller c;
    lf_id org;
    if (!lf_server_auth(s, req, resp, 0, &c) || !org_param(s, req, resp, &c, &org))
        return LF_OK;
    char today[11], late[11], month[8];
    tw_today(s, today);
    const char *mq = lf_http_req_query(req, "month");
    if (mq && !lf_server_is_month(mq))
        return lf_http_json_error(resp, 400, "bad_request", "month must be YYYY-MM");
    snprintf(month, sizeof month, "%.7s", mq ? mq : today);
    minus_months(today, s->deadline.high_months, late);
    lf_store_overview_q q = {month, today, s->deadline.high_cvss10 / 10.0, late};
    lf_store_overview_row total, *rows;
    size_t n;
    bool more;
    lf_err err;
    lf_err_clear(&err);
    if (lf_store_overview(s->store, org, &q, lf_http_req_arena(req), &total, &rows, &n, &more, &err))
        return lf_server_fail(s, resp, &err);
    lf_buf *b = lf_http_resp_json(resp, 200);
    lf_buf_printf(b, "{\"month\":\"%s\",\"today\":\"%s\",\"late_notice\":\"%s\",\"high_cvss\":%.1f,"
                     "\"b_late_limit\":%.2f,\"total\":",
                  month, today, late, q.high_cvss, B_LATE_LIMIT);
    row_json(b, &total);
    lf_buf_puts(b, ",\"rows\":[");
    for (size_t i = 0; i < n; i++) {
        if (i)
            lf_buf_putc(b, ',');
        row_json(b, &rows[i]);
    }
    return lf_buf_printf(b, "],\"truncated\":%s}\n", more ? "true" : "false");
}

/* GET /api/v1/trends?org=ID&months=N (1..60, default 12): the N months up to this one. */
static int trends(void *app, lf_http_req *req, lf_http_resp *resp)
{
    lf_server *s = app;
    lf_caller c;
    lf_id org;
    long nm;
    if (!lf_server_auth(s, req, resp, 0, &c))
        return LF_OK;
    if (lf_http_req_query_long(req, "months", 12, 1, 60, &nm))
        return lf_http_json_error(resp, 400, "bad_request", "months must be an integer from 1 to 60");
    if (!org_param(s, req, resp, &c, &org))
        return LF_OK;
    char today[11], first[11];
    tw_today(s, today);
    minus_months(today, (int)nm - 1, first);
    first[7] = '\0';
    lf_store_trend *t = lf_arena_alloc(lf_http_req_arena(req), (size_t)nm * sizeof *t);
    if (!t)
        return LF_ENOMEM;
    lf_err err;
    lf_err_clear(&err);
    if (lf_store_trends(s->store, org, first, (unsigned)nm, t, &err))
        return lf_server_fail(s, resp, &err);
    lf_buf *b = lf_http_resp_json(resp, 200);
    lf_buf_puts(b, "{\"org_id\":");
    lf_server_jid(b, org);
    lf_buf_puts(b, ",\"months\":[");
    for (long i = 0; i < nm; i++) {
        uint64_t open = 0;
        for (int k = 0; k < LF_SEV_IDX_COUNT; k++)
            open += t[i].open[k];
        lf_buf_printf(b, "%s{\"month\":\"%s\",\"open\":", i ? "," : "", t[i].month);
        jcounts(b, t[i].open);
        lf_buf_printf(b, ",\"open_total\":%llu,\"fixed\":%llu,\"median_fix_days\":", (unsigned long long)open,
                      (unsigned long long)t[i].fixed);
        jdays(b, t[i].median_fix_days);
        lf_buf_printf(b, ",\"agencies\":%llu,\"uploaded\":%llu,\"uploaded_share\":",
                      (unsigned long long)t[i].agencies, (unsigned long long)t[i].uploaded);
        jshare(b, t[i].uploaded, t[i].agencies);
        lf_buf_putc(b, '}');
    }
    return lf_buf_puts(b, "]}\n");
}

static void host_json(lf_buf *b, const lf_store_host *h)
{
    lf_buf_puts(b, "{\"id\":");
    lf_server_jid(b, h->id);
    lf_buf_puts(b, ",\"agency_id\":");
    lf_server_jid(b, h->agency_id);
    lf_buf_puts(b, ",\"name\":");
    lf_server_jstr(b, h->name);
    lf_buf_puts(b, ",\"ip\":");
    lf_server_jstr(b, h->ip);
    lf_buf_puts(b, ",\"os\":");
    lf_server_jstr(b, h->os);
    lf_buf_puts(b, ",\"first_seen\":");
    lf_server_jtime(b, h->first_seen);
    lf_buf_puts(b, ",\"last_seen\":");
    lf_server_jtime(b, h->last_seen);
}

/* GET /api/v1/agencies/{id}/hosts?limit&after */
static int agency_hosts(void *app, lf_http_req *req, lf_http_resp *resp)
{
    lf_server *s = app;
    lf_caller c;
    lf_id agency;
    lf_store_page pg;
    if (!lf_server_auth(s, req, resp, 0, &c) || !lf_server_param_id(req, resp, "id", &agency) ||
        !lf_server_page(req, resp, &pg) || !lf_server_in_scope(s, resp, &c, agency))
        return LF_OK;
    char today[11];
    tw_today(s, today);
    lf_store_host_sum *v;
    size_t n;
    lf_err err;
    lf_err_clear(&err);
    if (lf_store_host_summary(s->store, agency, today, &pg, lf_http_req_arena(req), &v, &n, &err))
        return lf_server_fail(s, resp, &err);
    lf_buf *b = lf_http_resp_json(resp, 200);
    lf_buf_puts(b, "{\"items\":[");
    for (size_t i = 0; i < n; i++) {
        uint64_t open = 0;
        for (int k = 0; k < LF_SEV_IDX_COUNT; k++)
            open += v[i].open[k];
        if (i)
            lf_buf_putc(b, ',');
        host_json(b, &v[i].host);
        lf_buf_puts(b, ",\"open\":");
        jcounts(b, v[i].open);
        lf_buf_puts(b, ",\"open_total\":");
        lf_buf_put_u64(b, open);
        lf_buf_puts(b, ",\"open_kev\":");
        lf_buf_put_u64(b, v[i].open_kev);
        lf_buf_puts(b, ",\"overdue\":");
        lf_buf_put_u64(b, v[i].overdue);
        lf_buf_putc(b, '}');
    }
    lf_buf_putc(b, ']');
    lf_server_jpage_end(b, &pg);
    return LF_OK;
}

/* The host of path parameter id within the caller's scope; false after answering. */
static bool host_of(lf_server *s, lf_http_req *req, lf_http_resp *resp, const lf_caller *c, lf_store_host *h)
{
    lf_id id;
    if (!lf_server_param_id(req, resp, "id", &id))
        return false;
    lf_err err;
    lf_err_clear(&err);
    if (lf_store_host_get(s->store, id, lf_http_req_arena(req), h, &err)) {
        lf_server_fail(s, resp, &err);
        return false;
    }
    return lf_server_in_scope(s, resp, c, h->agency_id);
}

/* GET /api/v1/hosts/{id} */
static int host_get(void *app, lf_http_req *req, lf_http_resp *resp)
{
    lf_server *s = app;
    lf_caller c;
    lf_store_host h;
    if (!lf_server_auth(s, req, resp, 0, &c) || !host_of(s, req, resp, &c, &h))
        return LF_OK;
    lf_buf *b = lf_http_resp_json(resp, 200);
    host_json(b, &h);
    return lf_buf_puts(b, "}\n");
}

/* GET /api/v1/hosts/{id}/findings?limit&after: a short form of each finding (the full one
 * is GET /api/v1/findings/{id}). */
static int host_findings(void *app, lf_http_req *req, lf_http_resp *resp)
{
    lf_server *s = app;
    lf_caller c;
    lf_store_host h;
    lf_store_page pg;
    if (!lf_server_auth(s, req, resp, 0, &c) || !lf_server_page(req, resp, &pg) || !host_of(s, req, resp, &c, &h))
        return LF_OK;
    lf_store_ffilter f;
    memset(&f, 0, sizeof f);
    f.scope = h.agency_id;
    f.host_id = h.id;
    lf_store_finding *v;
    size_t n;
    lf_err err;
    lf_err_clear(&err);
    if (lf_store_finding_list(s->store, &f, &pg, lf_http_req_arena(req), &v, &n, &err))
        return lf_server_fail(s, resp, &err);
    lf_buf *b = lf_http_resp_json(resp, 200);
    lf_buf_puts(b, "{\"items\":[");
    for (size_t i = 0; i < n; i++) {
        const lf_store_finding *x = &v[i];
        lf_buf_puts(b, i ? ",{\"id\":" : "{\"id\":");
        lf_server_jid(b, x->id);
        lf_buf_puts(b, ",\"cve\":");
        lf_server_jstr(b, x->cve);
        lf_buf_puts(b, ",\"cpe\":");
        lf_server_jstr(b, x->cpe);
        if (x->cvss < 0)
            lf_buf_puts(b, ",\"cvss\":null");
        else
            lf_buf_printf(b, ",\"cvss\":%.1f", x->cvss);
        lf_buf_puts(b, ",\"severity\":");
        lf_server_jstr(b, x->severity);
        lf_buf_printf(b, ",\"kev\":%s,\"state\":\"%s\",\"kind\":\"%s\",\"due_date\":", x->kev ? "true" : "false",
                      lf_fstate_name(x->state), lf_fkind_name(x->kind));
        lf_server_jstr(b, x->due_date);
        lf_buf_puts(b, "}");
    }
    lf_buf_putc(b, ']');
    lf_server_jpage_end(b, &pg);
    return LF_OK;
}

/* Documents of one CVE kept in the index, at most this many (NVD, CVE 5 CNA, ADPs ...). */
#define MAX_DOCS 8

static void ref_json(lf_buf *b, const lf_vref *r, bool *first)
{
    lf_buf_puts(b, *first ? "{\"url\":" : ",{\"url\":");
    *first = false;
    lf_server_jstr(b, r->url);
    lf_buf_puts(b, ",\"source\":");
    lf_server_jstr(b, r->source);
    char tags[512];
    lf_ref_tags_format(r->tags, tags, sizeof tags);
    lf_buf_puts(b, ",\"tags\":");
    lf_server_jstr(b, tags);
    lf_buf_printf(b, ",\"fix\":%s}", (r->tags & LF_REF_FIX_MASK) ? "true" : "false");
}

/* GET /api/v1/findings/{id}/advisory: what the index says about the finding's CVE. */
static int finding_advisory(void *app, lf_http_req *req, lf_http_resp *resp)
{
    lf_server *s = app;
    lf_caller c;
    lf_store_finding f;
    if (!lf_server_auth(s, req, resp, 0, &c) || !lf_server_finding_of(s, req, resp, &c, &f))
        return LF_OK;
    lf_arena *a = lf_http_req_arena(req);
    lf_buf *b = lf_http_resp_json(resp, 200);
    lf_buf_puts(b, "{\"cve\":");
    lf_server_jstr(b, f.cve);
    /* one index for the whole answer: a reload may swap s->vdb meanwhile (outside the work
     * mutex; the index read here stays open for a grace period, rematch.h) */
    const lf_vdb *db = lf_server_index_borrow(s);
    if (!db)
        return lf_buf_puts(b, ",\"available\":false}\n");
    uint32_t idx[MAX_DOCS];
    size_t nd = lf_vdb_find_vuln(db, f.cve, idx, MAX_DOCS);
    if (nd > MAX_DOCS)
        nd = MAX_DOCS;
    lf_vdoc *docs = lf_arena_alloc(a, (nd ? nd : 1) * sizeof *docs);
    if (!docs)
        return LF_ENOMEM;
    size_t ok = 0;
    for (size_t i = 0; i < nd; i++)
        if (lf_vdb_doc(db, idx[i], a, &docs[ok]) == LF_OK)
            ok++;
    lf_buf_printf(b, ",\"available\":true,\"documents\":%zu,\"description\":", ok);
    const char *desc = NULL, *published = NULL;
    for (size_t i = 0; i < ok && !desc; i++)
        if (docs[i].description && *docs[i].description) {
            desc = docs[i].description;
            published = docs[i].published;
        }
    lf_server_jstr(b, desc);
    lf_buf_puts(b, ",\"published\":");
    lf_server_jstr(b, published);
    lf_buf_puts(b, ",\"cvss\":[");
    bool first = true;
    for (size_t i = 0; i < ok; i++)
        for (size_t k = 0; k < docs[i].nmetric; k++) {
            const lf_vmetric *m = &docs[i].metric[k];
            lf_buf_puts(b, first ? "{\"source\":" : ",{\"source\":");
            first = false;
            lf_server_jstr(b, m->source);
            lf_buf_printf(b, ",\"primary\":%s,\"version\":", m->primary ? "true" : "false");
            lf_server_jstr(b, lf_cvss_version_name(m->version));
            lf_buf_printf(b, ",\"score\":%.1f,\"severity\":", m->score10 / 10.0);
            lf_server_jstr(b, lf_cvss_severity_name(m->severity));
            lf_buf_puts(b, ",\"vector\":");
            lf_server_jstr(b, m->vector);
            lf_buf_putc(b, '}');
        }
    /* fix links (vendor advisory, patch, mitigation, release notes) before the rest, so
     * the officer sees what to do first; each URL once */
    lf_buf_puts(b, "],\"references\":[");
    first = true;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < ok; i++)
            for (size_t k = 0; k < docs[i].nref; k++) {
                const lf_vref *r = &docs[i].ref[k];
                bool fix = (r->tags & LF_REF_FIX_MASK) != 0;
                if (!r->url || fix != (pass == 0))
                    continue;
                bool seen = false;
                for (size_t j = 0; j <= i && !seen; j++)
                    for (size_t l = 0; l < (j == i ? k : docs[j].nref) && !seen; l++)
                        seen = docs[j].ref[l].url && !strcmp(docs[j].ref[l].url, r->url);
                if (!seen)
                    ref_json(b, r, &first);
            }
    lf_buf_puts(b, "],\"kev\":");
    lf_vkev tmp;
    const lf_vkev *k = lf_vdb_kev(db, f.cve, &tmp);
    if (!k) {
        lf_buf_puts(b, "null");
    } else {
        lf_buf_puts(b, "{\"date_added\":");
        lf_server_jstr(b, k->date_added);
        lf_buf_puts(b, ",\"due_date\":");
        lf_server_jstr(b, k->due_date);
        lf_buf_puts(b, ",\"required_action\":");
        lf_server_jstr(b, k->required_action);
        lf_buf_puts(b, ",\"ransomware\":");
        lf_server_jstr(b, k->ransomware);
        lf_buf_puts(b, ",\"name\":");
        lf_server_jstr(b, k->name);
        lf_buf_putc(b, '}');
    }
    return lf_buf_puts(b, "}\n");
}

int lf_api_overview_routes(lf_server *s, lf_http *h, lf_err *err)
{
    (void)s;
    int rc;
    if ((rc = lf_http_route(h, "GET", "/api/v1/overview", overview, NULL, 0, err)) ||
        (rc = lf_http_route(h, "GET", "/api/v1/trends", trends, NULL, 0, err)) ||
        (rc = lf_http_route(h, "GET", "/api/v1/agencies/{id}/hosts", agency_hosts, NULL, 0, err)) ||
        (rc = lf_http_route(h, "GET", "/api/v1/hosts/{id}", host_get, NULL, 0, err)) ||
        (rc = lf_http_route(h, "GET", "/api/v1/hosts/{id}/findings", host_findings, NULL, 0, err)) ||
        (rc = lf_http_route(h, "GET", "/api/v1/findings/{id}/advisory", finding_advisory, NULL, 0, err)))
        return rc;
    return LF_OK;
}
