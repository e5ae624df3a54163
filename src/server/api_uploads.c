/*
 * api_uploads: an agency's monthly inventory. POST /api/v1/agencies/{id}/uploads?month=
 * takes the raw file (any intake format, streamed to a temporary file by the HTTP layer),
 * converts and resolves it (intake), groups the records by host as `vans scan` does
 * (server/scan.h: one item per product, equivalent names, distribution packages matched
 * as themselves with their upstream CPE superseded), matches and explains each host, and
 * writes upload + items + the matcher's items (for re-matching after a feed update) +
 * findings with their sources + not-affected records in one store transaction with
 * publishing last, so a crash leaves the upload complete or absent. Without an index the
 * upload is still stored (refusing it would lose the agency's data) and the answer says
 * findings were not computed. Also the upload history and one upload with its report,
 * and the upload families of /metrics (outcomes, durations, records; since start).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "server/rematch.h"
#include "server/scan.h"
#include "server/server_int.h"

typedef struct up_ctx {
    lf_server *s;
    lf_arena *a;
    lf_store_item *items;
    size_t nitems, capitems;
    lf_store_scan_item *scan;    /* the matcher's items, record by record (rematch.h) */
    size_t nscan, capscan;
    long rec;
    lf_scan_groups g;
    lf_buf rejected;             /* JSON items {"line","reason"} of the rows the reader rejected */
    size_t nrejected;
    lf_buf unresolved;           /* JSON items of unresolved records with their candidates */
    size_t nunresolved;
    int oom;
} up_ctx;

/* Rows kept in the stored report; beyond this they are counted (the reasons are counted
 * in full by intake). */
#define MAX_REJECTED_ROWS 10000
#define MAX_UNRESOLVED_ROWS 10000

static const char *bucket_name(lf_bucket b)
{
    return b == LF_BUCKET_RESOLVED ? "resolved" : b == LF_BUCKET_UNRESOLVED ? "unresolved" : "rejected";
}

static char *dup_or_null(lf_arena *a, const char *s)
{
    return s ? lf_arena_strdup(a, s) : NULL;
}

static int scan_row(up_ctx *u, const char *host, long line, bool pkg, const char *cpe)
{
    if (u->nscan == u->capscan) {
        size_t nc = u->capscan ? u->capscan * 2 : 256;
        lf_store_scan_item *ns = realloc(u->scan, nc * sizeof *ns);
        if (!ns)
            return LF_ENOMEM;
        u->scan = ns;
        u->capscan = nc;
    }
    char *c = lf_arena_strdup(u->a, cpe);
    if (!c)
        return LF_ENOMEM;
    u->scan[u->nscan++] = (lf_store_scan_item){host, u->rec, line, pkg, c};
    return LF_OK;
}

/* The report's list of unresolved records, with up to three candidates each: what the
 * agency (and the web UI) needs to fix a name. */
static void unresolved_json(up_ctx *u, const lf_intake_item *it)
{
    if (u->nunresolved++ >= MAX_UNRESOLVED_ROWS)
        return;
    lf_buf *b = &u->unresolved;
    const lf_inv_rec *r = it->rec;
    lf_buf_printf(b, "%s{\"host\":", u->nunresolved > 1 ? "," : "");
    lf_server_jstr(b, it->host);
    lf_buf_printf(b, ",\"line\":%ld,\"name\":", r->line);
    lf_server_jstr(b, r->name);
    lf_buf_puts(b, ",\"version\":");
    lf_server_jstr(b, r->version);
    lf_buf_puts(b, ",\"vendor\":");
    lf_server_jstr(b, r->vendor);
    lf_buf_puts(b, ",\"reason\":");
    lf_server_jstr(b, it->res->reason);
    lf_buf_puts(b, ",\"candidates\":[");
    for (int i = 0; i < it->res->ncand && i < 3; i++) {
        lf_buf_puts(b, i ? ",{\"cpe\":" : "{\"cpe\":");
        lf_server_jstr(b, it->res->cand[i].cpe);
        lf_buf_printf(b, ",\"score\":%.2f,\"method\":", it->res->cand[i].score);
        lf_server_jstr(b, it->res->cand[i].method);
        lf_buf_putc(b, '}');
    }
    lf_buf_puts(b, "]}");
}

static int on_item(void *ud, const lf_intake_item *it)
{
    up_ctx *u = ud;
    if (u->nitems == u->capitems) {
        size_t nc = u->capitems ? u->capitems * 2 : 256;
        lf_store_item *ni = realloc(u->items, nc * sizeof *ni);
        if (!ni)
            goto oom;
        u->items = ni;
        u->capitems = nc;
    }
    const lf_inv_rec *r = it->rec;
    bool resolved = it->res->bucket == LF_BUCKET_RESOLVED;
    lf_store_item *si = &u->items[u->nitems];
    memset(si, 0, sizeof *si);
    char conf[32] = "";
    if (resolved)   /* most rows of a real export are not: spare them the printf */
        snprintf(conf, sizeof conf, "%.2f", it->res->confidence);
    si->host = lf_arena_strdup(u->a, it->host);
    si->ip = dup_or_null(u->a, r->ip);
    si->os = dup_or_null(u->a, r->os);
    si->name = dup_or_null(u->a, r->name);
    si->version = dup_or_null(u->a, r->version);
    si->vendor = dup_or_null(u->a, r->vendor);
    si->cpe = resolved ? lf_arena_strdup(u->a, it->res->cpe) : NULL;
    si->bucket = bucket_name(it->res->bucket);
    si->confidence = resolved ? lf_arena_strdup(u->a, conf) : NULL;
    si->line = r->line;
    if (!si->host || (resolved && (!si->cpe || !si->confidence)))
        goto oom;
    u->nitems++;
    if (!resolved)
        unresolved_json(u, it);
    /* the package CPE its distribution's advisories would name is kept whether or not
     * the index has any now (lf_osv_twin = this + lf_vdb_has_product): an advisory
     * imported later makes it a twin at the re-match */
    lf_cpe pkg;
    bool cand = r->ecosystem && r->name &&
                lf_osv_item_cpe_map(u->s->srcmap, r->ecosystem, r->os, r->name, r->version, &pkg) == LF_OK;
    bool twin = cand && u->s->vdb && lf_vdb_has_product(u->s->vdb, &pkg);
    u->rec++;
    if (cand) {
        char pc[LF_CPE_MAX + 1];
        if (lf_cpe_format_fs(&pkg, pc, sizeof pc) == LF_OK && scan_row(u, si->host, r->line, true, pc))
            goto oom;
    }
    const char *also[3];
    int nalso = 0;
    if (resolved) {
        if (scan_row(u, si->host, r->line, false, si->cpe))
            goto oom;
        for (int e = 0; e < it->res->nalso && e < 3; e++) {
            if (scan_row(u, si->host, r->line, false, it->res->also[e]))
                goto oom;
            also[nalso++] = u->scan[u->nscan - 1].cpe;
        }
    }
    if (lf_scan_groups_add(&u->g, si->host, r->line, twin ? &pkg : NULL, resolved ? si->cpe : NULL, also, nalso))
        goto oom;
    return 0;
oom:
    u->oom = 1;
    return LF_ENOMEM;
}

/* A rejected row is kept in the upload's report with its line and reason, so the agency
 * can fix it; rows never disappear silently. */
static void on_reject(void *ud, const lf_err *e)
{
    up_ctx *u = ud;
    if (u->nrejected++ >= MAX_REJECTED_ROWS)
        return;
    lf_buf_printf(&u->rejected, "%s{\"line\":%ld,\"reason\":", u->nrejected > 1 ? "," : "", e->line);
    lf_server_jstr(&u->rejected, e->msg);
    lf_buf_puts(&u->rejected, "}");
}

static void up_ctx_clear(up_ctx *u)
{
    lf_buf_clear(&u->rejected);
    lf_buf_clear(&u->unresolved);
    lf_scan_groups_clear(&u->g);
    free(u->scan);
    free(u->items);
}

static int report_json(lf_buf *b, const lf_intake_report *r, const up_ctx *u, const lf_rematch_counts *mc)
{
    lf_buf_puts(b, "{\"encoding\":");
    lf_server_jstr(b, r->encoding);
    lf_buf_puts(b, ",\"format\":");
    lf_server_jstr(b, r->format);
    lf_buf_printf(b, ",\"records_in\":%zu,\"resolved\":%zu,\"unresolved\":%zu,\"rejected\":%zu,\"skipped\":%zu,"
                     "\"flagged\":%zu,\"reasons\":[",
                  r->records_in, r->resolved, r->unresolved, r->rejected, r->skipped, r->flagged);
    for (size_t i = 0; i < r->nreasons; i++) {
        lf_buf_printf(b, "%s{\"bucket\":\"%s\",\"reason\":", i ? "," : "", bucket_name(r->reasons[i].bucket));
        lf_server_jstr(b, r->reasons[i].text);
        lf_buf_printf(b, ",\"count\":%zu}", r->reasons[i].count);
    }
    lf_buf_printf(b, "],\"other_reasons\":%zu,\"rejected_rows\":[", r->other_reasons);
    if (u->rejected.len)
        lf_buf_append(b, u->rejected.data, u->rejected.len);
    lf_buf_printf(b, "],\"rejected_rows_omitted\":%zu,\"unresolved_rows\":[",
                  u->nrejected > MAX_REJECTED_ROWS ? u->nrejected - MAX_REJECTED_ROWS : 0);
    if (u->unresolved.len)
        lf_buf_append(b, u->unresolved.data, u->unresolved.len);
    return lf_buf_printf(b, "],\"unresolved_rows_omitted\":%zu,\"hosts\":%zu,\"distribution_packages\":%llu,"
                            "\"upstream_matches_superseded\":%llu,\"suppressed_not_affected\":%llu}",
                         u->nunresolved > MAX_UNRESOLVED_ROWS ? u->nunresolved - MAX_UNRESOLVED_ROWS : 0, u->g.n,
                         (unsigned long long)mc->distribution_packages,
                         (unsigned long long)mc->upstream_matches_superseded,
                         (unsigned long long)mc->suppressed_not_affected);
}

/* POST /api/v1/agencies/{id}/uploads?month=YYYY-MM[&file_name=N][&host=H] */
/* An upload's phases in seconds (the answer's "seconds"). matching and findings overlap
 * (lf_rematch_store_groups): each is its own thread's busy time. */
typedef struct up_times {
    double total, wait, intake, items, matching, findings, close, commit;
} up_times;

/* The upload of a caller allowed to upload to agency: answers 201 with the stored upload,
 * or the error; *rows: the file's records when stored. Returns LF_OK, or an error the HTTP
 * layer answers with 500. */
static int upload_store(lf_server *s, lf_http_req *req, lf_http_resp *resp, const lf_caller *c, lf_id agency,
                        uint64_t *rows)
{
    lf_arena *a = lf_http_req_arena(req);
    lf_err err;
    lf_err_clear(&err);
    lf_store_org org;
    if (lf_store_org_get(s->store, agency, a, &org, &err))
        return lf_server_fail(s, resp, &err);
    if (org.kind != LF_ORG_AGENCY)
        return lf_http_json_error(resp, 422, "invalid_field", "uploads belong to an agency, not a region or county");
    const char *month = lf_http_req_query(req, "month");
    if (!lf_server_is_month(month))
        return lf_http_json_error(resp, 400, "bad_request", "month=YYYY-MM is required");
    const char *file_name = lf_http_req_query(req, "file_name");
    if (!file_name || !*file_name || strlen(file_name) > 255)
        file_name = "upload";
    /* a file that names no hosts (a package list) belongs to ?host=, else the file's name */
    char defhost[256];
    const char *host = lf_http_req_query(req, "host");
    if (!host || !*host || strlen(host) > 255) {
        snprintf(defhost, sizeof defhost, "%s", file_name);
        char *dot = strrchr(defhost, '.');
        if (dot && dot != defhost)
            *dot = '\0';
        host = defhost;
    }
    size_t blen = 0;
    const char *path = lf_http_req_body_file(req, &blen);
    if (!path || !blen)
        return lf_http_json_error(resp, 422, "invalid_field", "the request body (the inventory file) is empty");

    up_ctx u;
    memset(&u, 0, sizeof u);
    u.s = s;
    u.a = a;
    lf_buf_init(&u.rejected, 0);
    lf_buf_init(&u.unresolved, 0);
    lf_scan_groups_init(&u.g);
    lf_rematch_counts mc;
    memset(&mc, 0, sizeof mc);
    lf_intake_report rep;
    memset(&rep, 0, sizeof rep);
    lf_intake_opts io = {LF_INV_AUTO, -1, host, NULL};
    lf_buf rj;
    lf_buf_init(&rj, 0);
    lf_store_match_summary sum;
    memset(&sum, 0, sizeof sum);
    lf_store_upload up;
    lf_id uid = 0;
    bool matched = false, locked = false, in_tx = false;
    lf_rematch_pipe *pipe = NULL;
    lf_arena ha;
    bool ha_live = false;
    int rc;

    /* where the time goes, in the answer and the log: a slow upload says which part */
    up_times t = {0};
    double start = lf_clock_mono(), t0 = start, t1;
    pthread_mutex_lock(&s->work);
    locked = true;
    t.wait = (t1 = lf_clock_mono()) - t0;
    rc = lf_intake_file(s->ik, path, &io, on_item, on_reject, &u, &rep, &err);
    t.intake = (t0 = lf_clock_mono()) - t1;
    if (rc) {
        pthread_mutex_unlock(&s->work);
        locked = false;
        if (u.oom || rc == LF_ENOMEM)
            goto fail;
        char msg[700];
        snprintf(msg, sizeof msg, "the file could not be read as an inventory: %s", err.msg);
        lf_http_json_error(resp, 422, "invalid_field", msg);
        rc = LF_OK;
        goto done;
    }
    /* matching starts now, on its own thread, while this one stores the items: the first
     * batch of hits is ready when the writer wants it */
    char today[11];
    lf_rematch_today(s, today);
    lf_arena_init(&ha, 1 << 16);
    ha_live = true;
    if ((rc = lf_rematch_pipe_start(s, &u.g, NULL, today, &ha, &pipe, &err)))
        goto fail;
    if ((rc = lf_store_begin(s->store, &err)))
        goto fail;
    in_tx = true;
    lf_store_upload in;
    memset(&in, 0, sizeof in);
    in.agency_id = agency;
    snprintf(in.month, sizeof in.month, "%s", month);
    in.uploaded_by = c->user_id;
    in.token_id = c->token_id;
    in.file_name = file_name;
    in.encoding = rep.encoding;
    in.format = rep.format;
    if ((rc = lf_store_upload_create(s->store, &in, &uid, &err)) ||
        (rc = lf_store_items_add(s->store, uid, u.items, u.nitems, &err)) ||
        (rc = lf_store_scan_items_add(s->store, uid, u.scan, u.nscan, &err)))
        goto fail;
    t.items = (t1 = lf_clock_mono()) - t0;
    if (s->m) {
        lf_id run;
        rc = lf_store_match_begin(s->store, agency, uid, true, &run, &err);
        lf_rematch_pipe *p = pipe;
        pipe = NULL;                 /* _store ends it, and _cancel on a failed begin */
        if (!rc)
            rc = lf_rematch_pipe_store(p, s, agency, uid, run, true, &mc, &err);
        else
            lf_rematch_pipe_cancel(p);
        lf_arena_clear(&ha);
        ha_live = false;
        t0 = lf_clock_mono();
        if (rc || (rc = lf_store_match_end(s->store, run, &sum, &err)))
            goto fail;
        matched = true;
        t.close = (t1 = lf_clock_mono()) - t0;
    }
    pthread_mutex_unlock(&s->work);
    locked = false;
    if ((rc = report_json(&rj, &rep, &u, &mc)))
        goto fail;
    lf_store_counts counts = {rep.records_in, rep.resolved, rep.unresolved, rep.rejected};
    if ((rc = lf_store_upload_publish(s->store, uid, &counts, rj.data, &err)) ||
        (rc = lf_store_commit(s->store, &err)))
        goto fail;
    in_tx = false;
    *rows = rep.records_in;
    t.commit = lf_clock_mono() - t1;
    t.matching = mc.scan_seconds;
    t.findings = mc.store_seconds;
    t.total = lf_clock_mono() - start;
    lf_server_logf(s, "upload %lld (agency %lld, %s): %llu records, %llu hits in %.2f s: wait %.2f, intake %.2f, "
                      "items %.2f, matching %.2f, findings %.2f, closing %.2f, commit %.2f",
                   (long long)uid, (long long)agency, month, (unsigned long long)rep.records_in,
                   (unsigned long long)sum.hits, t.total, t.wait, t.intake, t.items, t.matching, t.findings, t.close,
                   t.commit);
    if ((rc = lf_store_upload_get(s->store, uid, a, &up, &err)))
        goto fail;
    lf_buf *b = lf_http_resp_json(resp, 201);
    lf_buf_puts(b, "{\"upload\":");
    lf_server_upload_json(b, &up, true);
    lf_buf_printf(b, ",\"hosts\":%zu,\"seconds\":{\"total\":%.3f,\"wait\":%.3f,\"intake\":%.3f,\"items\":%.3f,"
                     "\"matching\":%.3f,\"findings\":%.3f,\"closing\":%.3f,\"commit\":%.3f},\"findings\":",
                  u.g.n, t.total, t.wait, t.intake, t.items, t.matching, t.findings, t.close, t.commit);
    if (matched)
        lf_buf_printf(b, "{\"computed\":true,\"hits\":%llu,\"new\":%llu,\"seen\":%llu,\"reopened\":%llu,"
                         "\"suppressed\":%llu,\"fixed\":%llu,\"confirmed\":%llu,\"suppressed_not_affected\":%llu,"
                         "\"upstream_matches_superseded\":%llu,\"distribution_packages\":%llu}}\n",
                      (unsigned long long)sum.hits, (unsigned long long)sum.new_findings,
                      (unsigned long long)sum.seen, (unsigned long long)sum.reopened,
                      (unsigned long long)sum.suppressed, (unsigned long long)sum.fixed,
                      (unsigned long long)sum.confirmed, (unsigned long long)mc.suppressed_not_affected,
                      (unsigned long long)mc.upstream_matches_superseded,
                      (unsigned long long)mc.distribution_packages);
    else
        lf_buf_puts(b, "{\"computed\":false,\"reason\":\"no vulnerability index is loaded: the upload is stored "
                       "and will be matched once one is imported\"}}\n");
    goto done;
fail:
    lf_rematch_pipe_cancel(pipe);    /* before the lock goes: the producer reads the index */
    if (ha_live)
        lf_arena_clear(&ha);
    if (locked)
        pthread_mutex_unlock(&s->work);
    if (in_tx)
        lf_store_rollback(s->store);
    if (!err.code)
        lf_err_set(&err, rc, "%s", lf_strerror(rc));
    lf_server_fail(s, resp, &err);
    rc = LF_OK;
done:
    lf_buf_clear(&rj);
    up_ctx_clear(&u);
    return rc;
}

/* Upper bounds of lianfang_upload_seconds: a file of a few rows is answered in well under
 * a tenth of a second, an agency's 100,000 rows with 322,466 findings in 1.5-3 s
 * (bench/README.md, "Server upload"), and a busy server or a slow disk stretches that */
static const double upload_le[] = {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30};
_Static_assert(sizeof upload_le / sizeof upload_le[0] == LF_API_UPLOADS_NBUCKETS, "one bound per bucket");
static const char *const result_names[LF_UPRES_COUNT] = {"stored", "rejected", "busy", "failed"};

/* Count one upload that ended with this answer status (rc: the handler's return; not
 * LF_OK is answered 500) after the given seconds. Only stored uploads are timed: a refusal
 * takes microseconds and would pull the buckets of real uploads down. */
static void upload_count(lf_server *s, int rc, int status, double seconds, uint64_t rows)
{
    lf_api_uploads_result r = rc || status >= 500 ? LF_UPRES_FAILED
                              : status >= 400     ? LF_UPRES_REJECTED
                                                  : LF_UPRES_STORED;
    if (!rc && status == 503)
        r = LF_UPRES_BUSY;   /* lf_server_fail's answer to LF_EBUSY, the one 503 here */
    size_t b = 0;
    while (b < LF_API_UPLOADS_NBUCKETS && seconds > upload_le[b])
        b++;
    pthread_mutex_lock(&s->stats_mu);
    s->uploads.result[r]++;
    if (r == LF_UPRES_STORED) {
        s->uploads.rows += rows;
        s->uploads.bucket[b]++;
        s->uploads.seconds += seconds;
    }
    pthread_mutex_unlock(&s->stats_mu);
}

/* POST /api/v1/agencies/{id}/uploads: the caller, then the upload, counted. */
static int upload_create(void *app, lf_http_req *req, lf_http_resp *resp)
{
    lf_server *s = app;
    lf_caller c;
    lf_id agency;
    /* a caller refused here made no upload: those answers are in lianfang_http_requests_total */
    if (!lf_server_auth(s, req, resp, LF_SRV_TOKEN_WRITE, &c) || !lf_server_param_id(req, resp, "id", &agency) ||
        !lf_server_in_scope(s, resp, &c, agency))
        return LF_OK;
    double start = lf_clock_mono();
    uint64_t rows = 0;
    int rc = upload_store(s, req, resp, &c, agency, &rows);
    upload_count(s, rc, lf_http_resp_status(resp), lf_clock_mono() - start, rows);
    return rc;
}

int lf_api_uploads_metrics(lf_server *s, lf_buf *out)
{
    pthread_mutex_lock(&s->stats_mu);
    lf_api_uploads_stats st = s->uploads;
    pthread_mutex_unlock(&s->stats_mu);
    int rc = lf_http_metric_family(out, "lianfang_uploads_total", "counter",
                                   "Inventory uploads since start, by outcome: stored, rejected (4xx), busy (503), "
                                   "failed (500).");
    for (int r = 0; r < LF_UPRES_COUNT && !rc; r++) {
        const char *labels[] = {"result", result_names[r], NULL};
        rc = lf_http_metric_sample(out, "lianfang_uploads_total", labels, (double)st.result[r]);
    }
    if (!rc)
        rc = lf_http_metric_family(out, "lianfang_upload_seconds", "histogram",
                                   "Time a stored upload took, from its request to its answer (since start).");
    if (!rc)
        rc = lf_http_metric_histogram(out, "lianfang_upload_seconds", NULL, upload_le, st.bucket,
                                      LF_API_UPLOADS_NBUCKETS, st.seconds);
    if (!rc)
        rc = lf_http_metric_one(out, "lianfang_upload_rows_total", "counter",
                                "Inventory records read from the files of stored uploads (since start; rejected "
                                "rows included).",
                                (double)st.rows);
    return rc;
}

static void uploads_items(lf_buf *b, const lf_store_upload *v, size_t n)
{
    lf_buf_puts(b, "{\"items\":[");
    for (size_t i = 0; i < n; i++) {
        if (i)
            lf_buf_putc(b, ',');
        lf_server_upload_json(b, &v[i], false);
    }
    lf_buf_putc(b, ']');
}

/* GET /api/v1/agencies/{id}/uploads?month&limit&after */
static int upload_list(void *app, lf_http_req *req, lf_http_resp *resp)
{
    lf_server *s = app;
    lf_caller c;
    lf_id agency;
    lf_store_page pg;
    if (!lf_server_auth(s, req, resp, 0, &c) || !lf_server_param_id(req, resp, "id", &agency) ||
        !lf_server_page(req, resp, &pg) || !lf_server_in_scope(s, resp, &c, agency))
        return LF_OK;
    const char *month = lf_http_req_query(req, "month");
    if (month && !lf_server_is_month(month))
        return lf_http_json_error(resp, 400, "bad_request", "month must be YYYY-MM");
    lf_store_upload *v;
    size_t n;
    lf_err err;
    lf_err_clear(&err);
    if (lf_store_upload_list(s->store, agency, month, &pg, lf_http_req_arena(req), &v, &n, &err))
        return lf_server_fail(s, resp, &err);
    lf_buf *b = lf_http_resp_json(resp, 200);
    uploads_items(b, v, n);
    lf_server_jpage_end(b, &pg);
    return LF_OK;
}

/* GET /api/v1/uploads/{id} */
static int upload_get(void *app, lf_http_req *req, lf_http_resp *resp)
{
    lf_server *s = app;
    lf_caller c;
    lf_id id;
    if (!lf_server_auth(s, req, resp, 0, &c) || !lf_server_param_id(req, resp, "id", &id))
        return LF_OK;
    lf_store_upload up;
    lf_err err;
    lf_err_clear(&err);
    if (lf_store_upload_get(s->store, id, lf_http_req_arena(req), &up, &err))
        return lf_server_fail(s, resp, &err);
    if (!lf_server_in_scope(s, resp, &c, up.agency_id))
        return LF_OK;
    lf_buf *b = lf_http_resp_json(resp, 200);
    lf_server_upload_json(b, &up, true);
    return lf_buf_puts(b, "\n");
}

int lf_api_uploads_routes(lf_server *s, lf_http *h, lf_err *err)
{
    (void)s;
    int rc;
    if ((rc = lf_http_route(h, "POST", "/api/v1/agencies/{id}/uploads", upload_create, NULL,
                            LF_HTTP_BODY_FILE | LF_HTTP_SLOW, err)) ||
        (rc = lf_http_route(h, "GET", "/api/v1/agencies/{id}/uploads", upload_list, NULL, 0, err)) ||
        (rc = lf_http_route(h, "GET", "/api/v1/uploads/{id}", upload_get, NULL, 0, err)))
        return rc;
    return LF_OK;
}
