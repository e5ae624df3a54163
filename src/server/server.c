/*
 * server: the application object, authentication (session cookie with a CSRF token for
 * unsafe methods, or a Bearer API token), the organisation-scope check every endpoint
 * applies, the helpers the resource modules share, and the /healthz and /metrics hooks.
 */
#include "server/server.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "core/file.h"
#include "isac/dispatch.h"
#include "server/rematch.h"
#include "server/scheduler.h"
#include "server/server_int.h"

#define DEFAULT_SESSION_TTL (8 * 3600)
/* Failed logins from one address: 30 in 10 minutes block it for 10 minutes. Generous, as
 * one address can be a whole agency behind its NAT; the per-account lockout does the rest.
 * Per login name the store's policy, counted over a day (the store counts failures in a
 * row, with no window). */
#define LOGIN_ADDR_FAILURES 30
#define LOGIN_ADDR_WINDOW 600
#define LOGIN_ADDR_BLOCK 600
#define LOGIN_NAME_WINDOW 86400
#define LOGIN_KEYS 4096

int lf_server_new(const lf_server_opts *o, lf_server **out, lf_err *err)
{
    *out = NULL;
    if (!o || !o->store_url)
        return lf_err_set(err, LF_EINVAL, "server: store_url is required");
    lf_server *s = calloc(1, sizeof *s);
    if (!s)
        return lf_err_set(err, LF_ENOMEM, "out of memory");
    int rc;
    if (pthread_mutex_init(&s->work, NULL)) {
        free(s);
        return lf_err_set(err, LF_ENOMEM, "server: cannot create a mutex");
    }
    if (pthread_mutex_init(&s->stats_mu, NULL)) {
        pthread_mutex_destroy(&s->work);
        free(s);
        return lf_err_set(err, LF_ENOMEM, "server: cannot create a mutex");
    }
    s->log = o->log;
    s->log_ud = o->log_ud;
    s->session_ttl = o->session_ttl > 0 ? o->session_ttl : DEFAULT_SESSION_TTL;
    s->match_in_turn = o->match_in_turn;
    if (s->match_in_turn)
        lf_server_logf(s, "match.overlap is false: uploads and re-matches match and write in turn on one thread");
    if (o->deadline)
        s->deadline = *o->deadline;
    else
        lf_deadline_defaults(&s->deadline);
    if ((rc = lf_store_open(o->store_url, &s->store, err)))
        goto fail;
    {
        lf_ratelimit_opts ro = {LOGIN_ADDR_FAILURES, LOGIN_ADDR_WINDOW, LOGIN_ADDR_BLOCK, LOGIN_KEYS};
        if ((rc = lf_ratelimit_new(&ro, &s->login_by_addr, err)))
            goto fail;
        lf_store_login_policy(s->store, &ro.max_failures, &ro.block_s);
        ro.window_s = LOGIN_NAME_WINDOW;
        if ((rc = lf_ratelimit_new(&ro, &s->login_by_name, err)))
            goto fail;
    }
    lf_arena a;
    lf_arena_init(&a, 4096);
    lf_store_org root;
    rc = lf_store_org_get_by_code(s->store, "TW", &a, &root, err);
    s->national = rc ? 0 : root.id;
    lf_arena_clear(&a);
    if (rc)
        goto fail;
    if (o->index_path && lf_file_exists(o->index_path)) {
        if ((rc = lf_vdb_open(o->index_path, &s->vdb, err)))
            goto fail;
        lf_vdb_stats vs;
        lf_vdb_get_stats(s->vdb, &vs);
        s->vdb_digest = vs.digest;
        if ((rc = lf_matcher_new(s->vdb, &s->m, err)))
            goto fail;
    } else {
        lf_server_logf(s, "no vulnerability index at %s: uploads are stored but not matched "
                          "(run `lianfang feed import nvd FILE...`)",
                       o->index_path ? o->index_path : "(none)");
    }
    if (o->epss_path && lf_file_exists(o->epss_path) && lf_epss_open(o->epss_path, &s->epss, NULL)) {
        lf_server_logf(s, "EPSS scores at %s could not be read: findings get none", o->epss_path);
        s->epss = NULL;
    }
    lf_intake_config ic = {o->dict_dir, o->cpedict_path, s->vdb, NULL, NULL, o->purlidx_path};
    if ((rc = lf_intake_new(&ic, &s->ik, err)))
        goto fail;
    /* feed updates: distribution twins need the binary -> source map; the index file is
     * watched and reloaded (rematch.h) */
    char sp[4200];
    snprintf(sp, sizeof sp, "%s/deb-source.tsv", o->dict_dir ? o->dict_dir : ".");
    lf_err serr;
    lf_err_clear(&serr);
    if (lf_file_exists(sp) && lf_osv_srcmap_load(sp, &s->srcmap, &serr)) {
        lf_server_logf(s, "%s: %s: Debian binary packages are looked up by their own names", sp, serr.msg);
        s->srcmap = NULL;
    }
    const char *poll = getenv("LIANFANG_FEEDS_POLL");
    char *pe = NULL;
    long pollv = poll && *poll ? strtol(poll, &pe, 10) : 60;
    lf_rematch_opts ro = {o->index_path, o->epss_path, o->dict_dir, o->cpedict_path, o->purlidx_path,
                          pe && *pe ? 60u : (unsigned)(pollv < 0 ? 0 : pollv > 86400 ? 86400 : pollv)};
    if ((rc = lf_rematch_new(s, &ro, &s->rematch, err)))
        goto fail;
    *out = s;
    return LF_OK;
fail:
    lf_server_free(s);
    return rc;
}

void lf_server_free(lf_server *s)
{
    if (!s)
        return;
    lf_scheduler_free(s->sched);   /* first: its thread uses the store */
    lf_rematch_free(s->rematch);   /* first: its thread uses everything below */
    lf_osv_srcmap_free(s->srcmap);
    lf_intake_free(s->ik);
    lf_matcher_free(s->m);
    lf_epss_close(s->epss);
    lf_vdb_close(s->vdb);
    lf_store_close(s->store);
    lf_http_static_free(s->web);
    lf_dispatch_cache_free(s->bl_cache);
    lf_ratelimit_free(s->login_by_addr);
    lf_ratelimit_free(s->login_by_name);
    pthread_mutex_destroy(&s->stats_mu);
    pthread_mutex_destroy(&s->work);
    free(s);
}

int lf_server_has_index(const lf_server *s)
{
    return s && s->vdb != NULL;
}

/* ---------------------------------------------------------------- the web UI (static files) */

static bool has_index(const char *dir)
{
    char p[4200];
    snprintf(p, sizeof p, "%s/index.html", dir);
    return lf_file_exists(p);
}

bool lf_server_web_dir(char *out, size_t cap)
{
    const char *env = getenv("LIANFANG_WEB_DIR");
    if (env && *env) {
        snprintf(out, cap, "%s", env);
        return has_index(out);   /* an explicit choice is not second-guessed */
    }
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            snprintf(out, cap, "%s/../share/lianfang/web", exe);
            if (has_index(out))
                return true;
            snprintf(out, cap, "%s/web", exe);
            if (has_index(out))
                return true;
        }
    }
#ifdef LF_SOURCE_DIR
    snprintf(out, cap, "%s/web", LF_SOURCE_DIR);
    if (has_index(out))
        return true;
#endif
    return false;
}

/* GET /: the dashboard lives under /ui/ so that its relative links stay below one prefix. */
static int web_root(void *app, lf_http_req *req, lf_http_resp *resp)
{
    (void)app;
    (void)req;
    lf_http_resp_set_status(resp, 302);
    int rc = lf_http_resp_set_type(resp, "text/plain; charset=utf-8");
    if (!rc)
        rc = lf_http_resp_add_header(resp, "Location", "/ui/");
    if (!rc)
        rc = lf_buf_puts(lf_http_resp_body(resp), "the dashboard is at /ui/\n");
    return rc;
}

static int web_routes(lf_server *s, lf_http *h, lf_err *err)
{
    char dir[4200];
    if (!lf_server_web_dir(dir, sizeof dir)) {
        lf_server_logf(s, "no web UI found (set LIANFANG_WEB_DIR to the web/ directory): serving the API only");
        return LF_OK;
    }
    lf_http_static_opts o = {0};
    o.root = dir;
    int rc = lf_http_static_new(&o, &s->web, err);
    if (rc)
        return rc;
    if ((rc = lf_http_route(h, "GET", "/", web_root, NULL, 0, err)) ||
        (rc = lf_http_route(h, "GET", "/ui/{*path}", lf_http_static_handler, s->web, 0, err)))
        return rc;
    return LF_OK;
}

int lf_server_routes(lf_server *s, lf_http *h, lf_err *err)
{
    int rc;
    if ((rc = lf_api_auth_routes(s, h, err)) || (rc = lf_api_orgs_routes(s, h, err)) ||
        (rc = lf_api_users_routes(s, h, err)) ||
        (rc = lf_api_uploads_routes(s, h, err)) || (rc = lf_api_findings_routes(s, h, err)) ||
        (rc = lf_api_overview_routes(s, h, err)) || (rc = web_routes(s, h, err)) ||
        /* feed reload and re-match, finding sources (rematch.c) */
        (rc = lf_rematch_routes(s, h, err)))
        return rc;
    /* notice scheduler: admin endpoints, org contacts (api_admin.c) */
    if ((rc = lf_api_admin_routes(s, h, err)))
        return rc;
    /* ISAC: TAXII 2.1 under /taxii2/, sharing groups and collections (api_taxii.c) */
    if ((rc = lf_api_taxii_routes(s, h, err)))
        return rc;
    /* ISAC dispatch: approvals, per-group blocklists, fetch log, counters (api_isac.c) */
    if ((rc = lf_api_isac_routes(s, h, err)))
        return rc;
    return LF_OK;
}

void lf_server_logf(lf_server *s, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (s->log)
        s->log(s->log_ud, msg);
    else
        fprintf(stderr, "lianfang: %s\n", msg);
}

/* ---------------------------------------------------------------- hooks */

void lf_server_health(void *app, lf_http_health *h)
{
    lf_server *s = app;
    lf_err err;
    lf_err_clear(&err);
    int rc = lf_store_ping(s->store, &err);
    lf_http_health_check(h, "store", rc == LF_OK, rc ? err.msg : lf_store_backend_name(s->store));
    /* No index is a degraded but working server (uploads are kept): reported, not failed. */
    lf_http_health_check(h, "index", true, s->vdb ? "loaded" : "absent: uploads are not matched");
}

/* The store's gauges: the country's findings, uploads this month, agencies, hosts, users. */
static int store_metrics(const lf_store_metrics *m, lf_buf *out)
{
    int rc = lf_http_metric_family(out, "lianfang_findings", "gauge", "Findings by lifecycle state.");
    for (int st = 1; st < LF_FSTATE_COUNT && !rc; st++) {
        const char *labels[] = {"state", lf_fstate_name((lf_fstate)st), NULL};
        rc = lf_http_metric_sample(out, "lianfang_findings", labels, (double)m->findings[st]);
    }
    struct {
        const char *name, *help;
        uint64_t v;
    } g[] = {
        {"lianfang_findings_open_high", "Open or measure-filed findings with CVSS >= 7.0.", m->open_high},
        {"lianfang_findings_open_kev", "Open or measure-filed findings listed in CISA KEV.", m->open_kev},
        {"lianfang_uploads_month", "Uploads published this month (replaced ones included).", m->uploads_month},
        {"lianfang_agencies_with_snapshot", "Agencies with a current snapshot for this month.",
         m->agencies_with_snapshot},
        {"lianfang_agencies", "Agencies.", m->agencies},
        {"lianfang_hosts", "Hosts.", m->hosts},
        {"lianfang_users", "Users.", m->users},
    };
    for (size_t i = 0; i < sizeof g / sizeof g[0] && !rc; i++)
        rc = lf_http_metric_one(out, g[i].name, "gauge", g[i].help, (double)g[i].v);
    return rc;
}

int lf_server_metrics(void *app, lf_buf *out)
{
    lf_server *s = app;
    lf_store_metrics m;
    lf_err err;
    lf_err_clear(&err);
    int rc = LF_OK;
    /* a store that cannot answer costs its gauges only: the counters below live in this
     * process and still go out, as do the HTTP layer's own families */
    if (lf_store_metrics_get(s->store, s->national, NULL, &m, &err))
        lf_server_logf(s, "metrics: %s", err.msg);
    else
        rc = store_metrics(&m, out);
    if (!rc)   /* uploads since start: outcomes, durations, rows (api_uploads.c) */
        rc = lf_api_uploads_metrics(s, out);
    if (!rc && s->rematch)   /* re-matches after feed updates: runs, durations (rematch.c) */
        rc = lf_rematch_metrics(s->rematch, out);
    if (!rc && s->sched)   /* notices: mail/webhook counters, job durations, outbox */
        rc = lf_scheduler_metrics(s->sched, out);
    return rc;
}

/* ---------------------------------------------------------------- authentication */

static bool token_eq(const char *a, const char *b)
{
    /* constant time over the expected length: the CSRF token is a secret */
    size_t la = strlen(a), lb = strlen(b);
    unsigned char d = la != lb;
    for (size_t i = 0; i < lb; i++)
        d |= (unsigned char)(b[i] ^ (i < la ? a[i] : 0));
    return d == 0;
}

bool lf_server_auth(lf_server *s, lf_http_req *req, lf_http_resp *resp, unsigned flags, lf_caller *c)
{
    memset(c, 0, sizeof *c);
    lf_arena *a = lf_http_req_arena(req);
    bool unsafe = strcmp(lf_http_req_method(req), "GET") != 0;
    lf_err err;
    lf_err_clear(&err);
    const char *authz = lf_http_req_header(req, "Authorization");
    if (authz && !strncasecmp(authz, "Bearer ", 7)) {
        const char *secret = authz + 7;
        while (*secret == ' ')
            secret++;
        lf_store_apitoken t;
        int rc = lf_store_apitoken_check(s->store, secret, a, &t, &err);
        if (rc == LF_ENOTFOUND || rc == LF_EINVAL) {
            lf_http_json_error(resp, 401, "unauthorized", "unknown or revoked API token");
            return false;
        }
        if (rc) {
            lf_server_fail(s, resp, &err);
            return false;
        }
        if (unsafe && !(flags & LF_SRV_TOKEN_WRITE)) {
            lf_http_json_error(resp, 403, "forbidden", "API tokens may only upload inventories");
            return false;
        }
        c->token_id = t.id;
        c->login = t.name;
        c->org_id = t.org_id;
        return true;
    }
    const char *cookie = lf_http_req_cookie(req, LF_SESSION_COOKIE);
    if (!cookie || !*cookie) {
        lf_http_json_error(resp, 401, "unauthorized",
                           "authentication required: log in (POST /api/v1/session) or send a Bearer API token");
        return false;
    }
    lf_store_session ss;
    int rc = lf_store_session_get(s->store, cookie, &ss, &err);
    if (rc == LF_ENOTFOUND || rc == LF_EINVAL) {
        lf_http_json_error(resp, 401, "unauthorized", "session unknown or expired: log in again");
        return false;
    }
    if (rc) {
        lf_server_fail(s, resp, &err);
        return false;
    }
    lf_store_user u;
    rc = lf_store_user_get(s->store, ss.user_id, a, &u, &err);
    if (rc == LF_ENOTFOUND || (!rc && u.disabled)) {
        lf_http_json_error(resp, 401, "unauthorized", "session unknown or expired: log in again");
        return false;
    }
    if (rc) {
        lf_server_fail(s, resp, &err);
        return false;
    }
    if (unsafe) {
        /* SameSite=Strict already keeps other sites' requests from carrying the cookie;
         * the token is the second line (older browsers, same-site attackers). */
        const char *h = lf_http_req_header(req, "X-CSRF-Token");
        if (!h || !token_eq(h, ss.csrf)) {
            lf_http_json_error(resp, 403, "forbidden", "missing or wrong X-CSRF-Token header");
            return false;
        }
        if (u.role == LF_ROLE_READ_ONLY && !(flags & LF_SRV_ANY_ROLE)) {
            lf_http_json_error(resp, 403, "forbidden", "your role (read_only) may not change anything");
            return false;
        }
    }
    /* sliding expiry, best effort, written at most once a minute per session: a write per
     * request made concurrent reads queue for the database's write lock (p99 of a finding
     * ~0.9 s at 200 clients, bench_upload.py --reads) */
    if (lf_store_now(s->store) - ss.last_seen >= 60)
        lf_store_session_touch(s->store, cookie, s->session_ttl, NULL);
    c->user_id = u.id;
    c->login = u.login;
    c->role = u.role;
    c->org_id = u.org_id;
    c->cookie = true;
    snprintf(c->session, sizeof c->session, "%s", cookie);
    return true;
}

bool lf_server_in_scope(lf_server *s, lf_http_resp *resp, const lf_caller *c, lf_id org)
{
    bool inside = false;
    lf_err err;
    lf_err_clear(&err);
    int rc = lf_store_org_within(s->store, org, c->org_id, &inside, &err);
    if (rc && rc != LF_ENOTFOUND) {
        lf_server_fail(s, resp, &err);
        return false;
    }
    if (!rc && inside)
        return true;
    lf_arena a;
    lf_arena_init(&a, 1024);
    lf_store_org o;
    rc = lf_store_org_get(s->store, org, &a, &o, &err);
    lf_arena_clear(&a);
    if (rc == LF_ENOTFOUND)
        lf_http_json_error(resp, 404, "not_found", "no such organisation");
    else if (rc)
        lf_server_fail(s, resp, &err);
    else
        lf_http_json_error(resp, 403, "forbidden", "outside your scope");
    return false;
}

bool lf_server_finding_of(lf_server *s, lf_http_req *req, lf_http_resp *resp, const lf_caller *c,
                          lf_store_finding *f)
{
    lf_id id;
    if (!lf_server_param_id(req, resp, "id", &id))
        return false;
    lf_err err;
    lf_err_clear(&err);
    if (lf_store_finding_get(s->store, id, lf_http_req_arena(req), f, &err)) {
        lf_server_fail(s, resp, &err);
        return false;
    }
    return lf_server_in_scope(s, resp, c, f->agency_id);
}

/* ---------------------------------------------------------------- request helpers */

static bool parse_id(const char *p, lf_id *out)
{
    if (!p || *p < '1' || *p > '9')
        return false;
    char *e;
    errno = 0;
    long long v = strtoll(p, &e, 10);
    if (*e || errno || v <= 0)
        return false;
    *out = (lf_id)v;
    return true;
}

bool lf_server_param_id(lf_http_req *req, lf_http_resp *resp, const char *name, lf_id *out)
{
    if (parse_id(lf_http_req_param(req, name), out))
        return true;
    /* ids are positive decimal integers; anything else names nothing */
    lf_http_json_error(resp, 404, "not_found", "no such resource (ids are positive integers)");
    return false;
}

bool lf_server_page(lf_http_req *req, lf_http_resp *resp, lf_store_page *pg)
{
    memset(pg, 0, sizeof *pg);
    long lim;
    if (lf_http_req_query_long(req, "limit", 50, 1, 500, &lim)) {
        lf_http_json_error(resp, 400, "bad_request", "limit must be an integer from 1 to 500");
        return false;
    }
    pg->limit = (uint32_t)lim;
    const char *after = lf_http_req_query(req, "after");
    if (!after)
        after = lf_http_req_query(req, "cursor");
    if (after && !parse_id(after, &pg->after)) {
        lf_http_json_error(resp, 400, "bad_request", "after/cursor must be a value from next_cursor");
        return false;
    }
    return true;
}

bool lf_server_body(lf_http_req *req, lf_http_resp *resp, const lf_json **out)
{
    size_t len;
    const char *body = lf_http_req_body(req, &len);
    /* request bodies are a handful of short fields: tight limits keep hostile ones cheap */
    lf_json_limits lim = {8, 64 * 1024, 256};
    lf_json *j = NULL;
    lf_err err;
    lf_err_clear(&err);
    if (lf_json_parse(lf_http_req_arena(req), body, len, &lim, &j, &err)) {
        char msg[700];
        snprintf(msg, sizeof msg, "request body is not valid JSON (line %ld, column %ld): %s", err.line, err.col,
                 err.msg);
        lf_http_json_error(resp, 400, "bad_request", msg);
        return false;
    }
    if (!lf_json_is(j, LF_JSON_OBJECT)) {
        lf_http_json_error(resp, 400, "bad_request", "request body must be a JSON object");
        return false;
    }
    *out = j;
    return true;
}

bool lf_server_body_str(lf_http_resp *resp, const lf_json *obj, const char *key, size_t max, const char **out)
{
    const lf_json *v = lf_json_get(obj, key);
    *out = NULL;
    if (!v || v->type == LF_JSON_NULL)
        return true;
    char msg[200];
    if (v->type != LF_JSON_STRING) {
        snprintf(msg, sizeof msg, "%s must be a string", key);
        lf_http_json_error(resp, 422, "invalid_field", msg);
        return false;
    }
    if (v->n > max || strlen(v->u.str) != v->n) {
        snprintf(msg, sizeof msg, "%s must be at most %zu bytes, without NUL", key, max);
        lf_http_json_error(resp, 422, "invalid_field", msg);
        return false;
    }
    *out = v->u.str;
    return true;
}

int lf_server_fail(lf_server *s, lf_http_resp *resp, const lf_err *e)
{
    switch (e->code) {
    case LF_ENOTFOUND:
        lf_http_json_error(resp, 404, "not_found", e->msg[0] ? e->msg : "no such resource");
        break;
    case LF_EEXIST:
        lf_http_json_error(resp, 409, "conflict", e->msg);
        break;
    case LF_EINVAL:
        lf_http_json_error(resp, 422, "invalid_field", e->msg);
        break;
    case LF_EBUSY:
        /* the database stayed locked by another writer (a backup, a long import, another
         * process on the same file) for the whole busy timeout: nothing was changed */
        lf_server_logf(s, "busy: %s", e->msg);
        lf_http_json_error(resp, 503, "busy", "the database is busy with another writer: nothing was changed, "
                                              "try again shortly (see Retry-After)");
        lf_http_resp_add_header(resp, "Retry-After", "5");
        break;
    default:
        lf_server_logf(s, "internal error: %s: %s", lf_strerror_name(e->code), e->msg);
        lf_http_json_error(resp, 500, "internal", "internal error (see the server log)");
        break;
    }
    return LF_OK;
}

/* ---------------------------------------------------------------- JSON output */

void lf_server_jstr(lf_buf *b, const char *s)
{
    if (s)
        lf_json_write_str(b, s, strlen(s));
    else
        lf_buf_puts(b, "null");
}

void lf_server_jtime(lf_buf *b, int64_t t)
{
    /* beyond year 9999 (no real timestamp) the value is not a date: null */
    if (t <= 0 || t > INT64_C(253402300799)) {
        lf_buf_puts(b, "null");
        return;
    }
    lf_buf_putc(b, '"');
    lf_buf_put_utc(b, t);
    lf_buf_putc(b, '"');
}

void lf_server_jid(lf_buf *b, lf_id id)
{
    if (id <= 0) {
        if (id)
            lf_buf_printf(b, "\"%lld\"", (long long)id);
        else
            lf_buf_puts(b, "null");
        return;
    }
    lf_buf_putc(b, '"');
    lf_buf_put_u64(b, (uint64_t)id);
    lf_buf_putc(b, '"');
}

void lf_server_jpage_end(lf_buf *b, const lf_store_page *pg)
{
    if (pg->more)
        lf_buf_printf(b, ",\"next_cursor\":\"%lld\"", (long long)pg->next);
    lf_buf_puts(b, "}\n");
}

void lf_server_user_json(lf_buf *b, const lf_store_user *u)
{
    lf_buf_puts(b, "{\"id\":");
    lf_server_jid(b, u->id);
    lf_buf_puts(b, ",\"login\":");
    lf_server_jstr(b, u->login);
    lf_buf_puts(b, ",\"display_name\":");
    lf_server_jstr(b, u->display_name);
    lf_buf_puts(b, ",\"email\":");
    lf_server_jstr(b, u->email);
    lf_buf_printf(b, ",\"role\":\"%s\",\"org_id\":", lf_role_name(u->role));
    lf_server_jid(b, u->org_id);
    lf_buf_puts(b, ",\"last_login\":");
    lf_server_jtime(b, u->last_login);
    lf_buf_printf(b, ",\"disabled\":%s,\"has_password\":%s,\"created\":", u->disabled ? "true" : "false",
                  u->has_password ? "true" : "false");
    lf_server_jtime(b, u->created);
    lf_buf_puts(b, "}");
}

void lf_server_jlist(lf_buf *b, const void *items, size_t n, size_t size, lf_server_item_fn fn,
                     const lf_store_page *pg)
{
    lf_buf_puts(b, "{\"items\":[");
    for (size_t i = 0; i < n; i++) {
        if (i)
            lf_buf_putc(b, ',');
        fn(b, (const char *)items + i * size);
    }
    lf_buf_putc(b, ']');
    lf_server_jpage_end(b, pg);
}

void lf_server_org_json(lf_buf *b, const lf_store_org *o)
{
    lf_buf_puts(b, "{\"id\":");
    lf_server_jid(b, o->id);
    lf_buf_puts(b, ",\"parent_id\":");
    lf_server_jid(b, o->parent_id);
    lf_buf_printf(b, ",\"kind\":\"%s\",\"code\":", lf_org_kind_name(o->kind));
    lf_server_jstr(b, o->code);
    lf_buf_puts(b, ",\"name_zh\":");
    lf_server_jstr(b, o->name_zh);
    lf_buf_puts(b, ",\"name_en\":");
    lf_server_jstr(b, o->name_en);
    if (o->level)
        lf_buf_printf(b, ",\"level\":\"%c\"", o->level);
    else
        lf_buf_puts(b, ",\"level\":null");
    if (o->nemails) {
        lf_buf_puts(b, ",\"emails\":[");
        for (size_t i = 0; i < o->nemails; i++) {
            if (i)
                lf_buf_putc(b, ',');
            lf_server_jstr(b, o->emails[i]);
        }
        lf_buf_putc(b, ']');
    }
    lf_buf_puts(b, ",\"created\":");
    lf_server_jtime(b, o->created);
    lf_buf_puts(b, "}");
}

void lf_server_upload_json(lf_buf *b, const lf_store_upload *u, bool with_report)
{
    lf_buf_puts(b, "{\"id\":");
    lf_server_jid(b, u->id);
    lf_buf_puts(b, ",\"agency_id\":");
    lf_server_jid(b, u->agency_id);
    lf_buf_printf(b, ",\"month\":\"%s\",\"status\":\"%s\",\"uploaded_by\":", u->month,
                  lf_upload_status_name(u->status));
    lf_server_jid(b, u->uploaded_by);
    lf_buf_puts(b, ",\"token_id\":");
    lf_server_jid(b, u->token_id);
    lf_buf_puts(b, ",\"uploaded_at\":");
    lf_server_jtime(b, u->uploaded_at);
    lf_buf_puts(b, ",\"published_at\":");
    lf_server_jtime(b, u->published_at);
    lf_buf_puts(b, ",\"superseded_by\":");
    lf_server_jid(b, u->superseded_by);
    lf_buf_puts(b, ",\"file_name\":");
    lf_server_jstr(b, u->file_name);
    lf_buf_printf(b, ",\"items\":%llu,\"counts\":{\"records\":%llu,\"resolved\":%llu,\"unresolved\":%llu,"
                     "\"rejected\":%llu}",
                  (unsigned long long)u->items, (unsigned long long)u->counts.records,
                  (unsigned long long)u->counts.resolved, (unsigned long long)u->counts.unresolved,
                  (unsigned long long)u->counts.rejected);
    if (with_report) {
        /* the report was written by this server as JSON (api_uploads.c) */
        lf_buf_puts(b, ",\"report\":");
        lf_buf_puts(b, u->report_json && *u->report_json ? u->report_json : "null");
    }
    lf_buf_puts(b, "}");
}

static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

bool lf_server_is_month(const char *s)
{
    if (!s || strlen(s) != 7 || s[4] != '-' || !digits(s, 4) || !digits(s + 5, 2))
        return false;
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    return m >= 1 && m <= 12;
}

bool lf_server_is_date(const char *s)
{
    if (!s || strlen(s) != 10 || s[7] != '-' || !digits(s + 8, 2))
        return false;
    char ym[8];
    memcpy(ym, s, 7);
    ym[7] = '\0';
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    return lf_server_is_month(ym) && d >= 1 && d <= 31;
}
