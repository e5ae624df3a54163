/*
 * Tests for the dashboard aggregates of src/store/ (lf_store_overview, lf_store_trends) and
 * the summaries behind them (SQLite schema 4, kept by triggers): on random data written
 * through the store's own functions (uploads, match runs, transitions) and then by raw SQL
 * (dates moved, findings and hosts deleted, as an operator or another module might), every
 * figure of every organisation must equal the one computed here from the raw rows of
 * findings, hosts, uploads and tokens, for several "today"s and CVSS limits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/store.h"

#define TW_OFFSET (8 * 3600)
#define MAX_ORGS 128
#define MAX_FINDINGS 8192

typedef struct fx {
    char dir[64];
    char path[128];
    int64_t now;
    lf_store *s;
    lf_arena a;
    uint64_t rnd;
    lf_id user;
} fx;

static int64_t fake_clock(void *ud) { return ((fx *)ud)->now; }

static uint32_t rnd(fx *f, uint32_t n)
{
    f->rnd ^= f->rnd << 13;
    f->rnd ^= f->rnd >> 7;
    f->rnd ^= f->rnd << 17;
    return (uint32_t)(f->rnd % n);
}

static void fx_open(fx *f)
{
    lf_store_opts o = {0};
    o.clock = fake_clock;
    o.clock_ud = f;
    o.argon2_t_cost = 1;
    o.argon2_m_kib = 256;
    o.argon2_lanes = 1;
    lf_err e;
    if (lf_store_open_opts(f->path, &o, &f->s, &e))
        fail_msg("open %s: %s", f->path, e.msg);
}

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/lf-dash-test-XXXXXX");
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    snprintf(f->path, sizeof f->path, "%s/lianfang.db", f->dir);
    f->now = 1743465600;        /* 2025-04-01 00:00:00 UTC */
    f->rnd = 0x9e3779b97f4a7c15ull;
    lf_arena_init(&f->a, 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    lf_store_close(f->s);
    lf_arena_clear(&f->a);
    const char *sfx[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        char p[160];
        snprintf(p, sizeof p, "%s%s", f->path, sfx[i]);
        unlink(p);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

static sqlite3 *raw_open(fx *f)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    return db;
}

static void raw_exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg ? msg : "?");
}

/* ---- the reference: every figure recomputed from the raw rows ------------------------- */

typedef struct ref_org {
    int64_t id, parent;
    char kind[16], level;
    int64_t created;
} ref_org;

typedef struct ref_finding {
    int64_t agency, host;
    char state[20], severity[12], due[12], notice[12];
    int kev;
    double cvss;                       /* < 0: NULL */
    int64_t first_seen, fixed_at, updated;
} ref_finding;

typedef struct ref {
    ref_org org[MAX_ORGS];
    size_t norg;
    ref_finding *f;
    size_t nf;
} ref;

static void col_str(sqlite3_stmt *st, int i, char *out, size_t cap)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    snprintf(out, cap, "%s", t ? (const char *)t : "");
}

static void ref_load(fx *f, sqlite3 *db, ref *r)
{
    sqlite3_stmt *st;
    r->norg = 0;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT id, coalesce(parent_id, 0), kind, coalesce(level, ''), created "
                                            "FROM orgs ORDER BY id", -1, &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        assert_true(r->norg < MAX_ORGS);
        ref_org *o = &r->org[r->norg++];
        o->id = sqlite3_column_int64(st, 0);
        o->parent = sqlite3_column_int64(st, 1);
        col_str(st, 2, o->kind, sizeof o->kind);
        char lv[4];
        col_str(st, 3, lv, sizeof lv);
        o->level = lv[0];
        o->created = sqlite3_column_int64(st, 4);
    }
    sqlite3_finalize(st);
    r->nf = 0;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT agency_id, state, coalesce(severity, ''), coalesce(due_date, ''), "
                                            "coalesce(notice_date, ''), kev, coalesce(cvss, -1), first_seen, "
                                            "fixed_at, updated, host_id FROM findings", -1, &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        assert_true(r->nf < MAX_FINDINGS);
        ref_finding *x = &r->f[r->nf++];
        x->agency = sqlite3_column_int64(st, 0);
        col_str(st, 1, x->state, sizeof x->state);
        col_str(st, 2, x->severity, sizeof x->severity);
        col_str(st, 3, x->due, sizeof x->due);
        col_str(st, 4, x->notice, sizeof x->notice);
        x->kev = sqlite3_column_int(st, 5);
        x->cvss = sqlite3_column_double(st, 6);
        x->first_seen = sqlite3_column_int64(st, 7);
        x->fixed_at = sqlite3_column_int64(st, 8);
        x->updated = sqlite3_column_int64(st, 9);
        x->host = sqlite3_column_int64(st, 10);
    }
    sqlite3_finalize(st);
    (void)f;
}

static const ref_org *ref_find(const ref *r, int64_t id)
{
    for (size_t i = 0; i < r->norg; i++)
        if (r->org[i].id == id)
            return &r->org[i];
    return NULL;
}

/* Is agency a (an org id) at or under org? Walks the parent chain. */
static bool ref_under(const ref *r, int64_t a, int64_t org)
{
    for (const ref_org *o = ref_find(r, a); o; o = o->parent ? ref_find(r, o->parent) : NULL)
        if (o->id == org)
            return true;
    return false;
}

static int sev_idx(const char *s)
{
    return !strcmp(s, "CRITICAL") ? 0 : !strcmp(s, "HIGH") ? 1 : !strcmp(s, "MEDIUM") ? 2 : !strcmp(s, "LOW") ? 3 : 4;
}

static void tw_month(int64_t t, char out[8])
{
    time_t tt = (time_t)(t + TW_OFFSET);
    struct tm tm;
    gmtime_r(&tt, &tm);
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%04d-%02d", tm.tm_year + 1900, tm.tm_mon + 1);
    memcpy(out, tmp, 7);
    out[7] = '\0';
}

static int64_t raw_count(sqlite3 *db, const char *sql, int64_t a, const char *month)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_int64(st, 1, a);
    if (month)
        sqlite3_bind_text(st, 2, month, -1, SQLITE_TRANSIENT);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* Median of fix times rounded to tenths of a day (lf_store_overview_row), -1 when none. */
static double median_tenths(int64_t *v, size_t n)
{
    if (!n)
        return -1;
    qsort(v, n, sizeof *v, cmp_i64);
    return (double)(v[(n + 1) / 2 - 1] + v[(n + 2) / 2 - 1]) / 20.0;
}

static int64_t tenths(const ref_finding *x)
{
    int64_t t = (x->fixed_at - x->first_seen + 4320) / 8640;
    return t < 0 ? 0 : t;
}

static bool is_open(const ref_finding *x) { return !strcmp(x->state, "open") || !strcmp(x->state, "measure_filed"); }

static void ref_overview(const ref *r, sqlite3 *db, int64_t org, const lf_store_overview_q *q,
                         lf_store_overview_row *w)
{
    memset(w, 0, sizeof *w);
    for (size_t i = 0; i < r->norg; i++) {
        const ref_org *a = &r->org[i];
        if (strcmp(a->kind, "agency") || !ref_under(r, a->id, org))
            continue;
        w->agencies++;
        bool conn = raw_count(db, "SELECT count(*) FROM uploads WHERE agency_id = ?1 AND status <> 'pending'", a->id,
                              NULL) ||
                    raw_count(db, "SELECT count(*) FROM api_tokens WHERE org_id = ?1 AND revoked = 0", a->id, NULL);
        w->connected += conn;
        w->uploaded += (uint64_t)raw_count(
            db, "SELECT count(*) FROM uploads WHERE agency_id = ?1 AND month = ?2 AND status = 'current'", a->id,
            q->month);
        w->flagged += (uint64_t)raw_count(db, "SELECT coalesce(sum(CASE WHEN json_valid(report_json) THEN "
                                              "json_extract(report_json, '$.flagged') END), 0) FROM "
                                              "uploads WHERE agency_id = ?1 AND month = ?2 AND status = 'current'",
                                          a->id, q->month);
        w->hosts += (uint64_t)raw_count(db, "SELECT count(*) FROM hosts WHERE agency_id = ?1", a->id, NULL);
        bool late = false;
        for (size_t k = 0; k < r->nf; k++) {
            const ref_finding *x = &r->f[k];
            if (x->agency != a->id || !is_open(x))
                continue;
            w->open[sev_idx(x->severity)]++;
            w->open_kev += x->kev != 0;
            w->overdue += *x->due && strcmp(x->due, q->today) < 0;
            late |= x->cvss >= q->high_cvss && *x->notice && strcmp(x->notice, q->late_notice) <= 0;
        }
        if (a->level == 'B') {
            w->b_agencies++;
            w->b_late += late;
        }
    }
    int64_t *v = malloc((r->nf + 1) * sizeof *v);
    assert_non_null(v);
    size_t nv = 0;
    for (size_t k = 0; k < r->nf; k++)
        if (!strcmp(r->f[k].state, "fixed") && r->f[k].fixed_at > 0 && ref_under(r, r->f[k].agency, org))
            v[nv++] = tenths(&r->f[k]);
    w->fixed = nv;
    w->median_fix_days = median_tenths(v, nv);
    free(v);
}

static void expect_row(const lf_store_overview_row *got, const lf_store_overview_row *want, const char *what)
{
    char ctx[160];
    snprintf(ctx, sizeof ctx, "%s (org %lld)", what, (long long)got->org.id);
#define EQ(field)                                                                                 \
    do {                                                                                          \
        if (got->field != want->field)                                                            \
            fail_msg("%s: " #field " is %llu, the findings say %llu", ctx, (unsigned long long)got->field, \
                     (unsigned long long)want->field);                                            \
    } while (0)
    EQ(agencies);
    EQ(connected);
    EQ(uploaded);
    EQ(hosts);
    for (int k = 0; k < LF_SEV_IDX_COUNT; k++)
        EQ(open[k]);
    EQ(open_kev);
    EQ(overdue);
    EQ(b_agencies);
    EQ(b_late);
    EQ(flagged);
    EQ(fixed);
#undef EQ
    if (got->median_fix_days != want->median_fix_days)
        fail_msg("%s: median fix days %.2f, the findings say %.2f", ctx, got->median_fix_days, want->median_fix_days);
}

/* Months from "YYYY-MM" (k months on). */
static void month_add(const char *first, long k, char out[8])
{
    long idx = strtol(first, NULL, 10) * 12 + strtol(first + 5, NULL, 10) - 1 + k;
    char tmp[48];
    snprintf(tmp, sizeof tmp, "%04ld-%02ld", idx / 12, idx % 12 + 1);
    memcpy(out, tmp, 7);
    out[7] = '\0';
}

static int64_t month_end_utc(const char *m)
{
    char next[8];
    month_add(m, 1, next);
    struct tm tm = {0};
    tm.tm_year = (int)strtol(next, NULL, 10) - 1900;
    tm.tm_mon = (int)strtol(next + 5, NULL, 10) - 1;
    tm.tm_mday = 1;
    return (int64_t)timegm(&tm) - TW_OFFSET;
}

static void check_trends(fx *f, const ref *r, sqlite3 *db, int64_t org, const char *first, unsigned nm)
{
    lf_store_trend got[24];
    lf_err e;
    assert_true(nm <= 24);
    assert_int_equal(lf_store_trends(f->s, (lf_id)org, first, nm, got, &e), LF_OK);
    int64_t *v = malloc((r->nf + 1) * sizeof *v);
    assert_non_null(v);
    for (unsigned k = 0; k < nm; k++) {
        char m[8];
        month_add(first, k, m);
        assert_string_equal(got[k].month, m);
        uint64_t open[LF_SEV_IDX_COUNT] = {0};
        size_t nv = 0;
        for (size_t i = 0; i < r->nf; i++) {
            const ref_finding *x = &r->f[i];
            if (!ref_under(r, x->agency, org))
                continue;
            char om[8], cm[8] = "";
            tw_month(x->first_seen, om);
            if (!strcmp(x->state, "fixed") && x->fixed_at > 0)
                tw_month(x->fixed_at, cm);
            else if (!strcmp(x->state, "risk_accepted") || !strcmp(x->state, "false_positive"))
                tw_month(x->updated, cm);
            if (strcmp(om, m) <= 0 && (!*cm || strcmp(cm, m) > 0))
                open[sev_idx(x->severity)]++;
            if (!strcmp(x->state, "fixed") && x->fixed_at > 0 && !strcmp(cm, m))
                v[nv++] = tenths(x);
        }
        for (int s = 0; s < LF_SEV_IDX_COUNT; s++)
            if (got[k].open[s] != open[s])
                fail_msg("trends org %lld %s: open[%d] %llu, the findings say %llu", (long long)org, m, s,
                         (unsigned long long)got[k].open[s], (unsigned long long)open[s]);
        assert_int_equal(got[k].fixed, nv);
        double med = median_tenths(v, nv);
        if (got[k].median_fix_days != med)
            fail_msg("trends org %lld %s: median %.2f, the findings say %.2f", (long long)org, m,
                     got[k].median_fix_days, med);
        uint64_t agencies = 0, uploaded = 0;
        for (size_t i = 0; i < r->norg; i++) {
            const ref_org *a = &r->org[i];
            if (strcmp(a->kind, "agency") || !ref_under(r, a->id, org))
                continue;
            char cm2[8];
            tw_month(a->created, cm2);
            agencies += strcmp(cm2, m) <= 0;
            if (a->created < month_end_utc(m))
                uploaded += (uint64_t)raw_count(
                    db, "SELECT count(*) FROM uploads WHERE agency_id = ?1 AND month = ?2 AND status = 'current'",
                    a->id, m);
        }
        assert_int_equal(got[k].agencies, agencies);
        assert_int_equal(got[k].uploaded, uploaded);
    }
    free(v);
}

static void tw_date(int64_t t, int add_days, char out[11]);

/* A store list walked page by page beside the reference rows: pager_next gives the index
 * of the next row in the current page (fetching the next page when one is used up, which
 * must exist and hold 1..limit rows), pager_finish checks that the last page said so, or,
 * with no reference rows, that the first page is empty. fetch fills the caller's array. */
typedef struct pager {
    lf_store_page pg;
    int (*fetch)(void *ctx, lf_store_page *pg, size_t *n);
    void *ctx;
    size_t n, k;
    bool end;
} pager;

static pager pager_new(uint32_t limit, int (*fetch)(void *, lf_store_page *, size_t *), void *ctx)
{
    return (pager){{limit, 0, 0, false}, fetch, ctx, 0, 0, false};
}

static size_t pager_next(pager *p)
{
    if (p->k == p->n) {
        assert_false(p->end);
        assert_int_equal(p->fetch(p->ctx, &p->pg, &p->n), LF_OK);
        assert_true(p->n > 0 && p->n <= p->pg.limit);
        p->end = !p->pg.more;
        p->pg.after = p->pg.next;
        p->k = 0;
    }
    return p->k++;
}

static void pager_finish(pager *p, size_t rows)
{
    if (rows) {
        assert_true(p->end && p->k == p->n);
        return;
    }
    p->pg = (lf_store_page){p->pg.limit, 0, 0, false};
    assert_int_equal(p->fetch(p->ctx, &p->pg, &p->n), LF_OK);
    assert_int_equal(p->n, 0);
    assert_false(p->pg.more);
}

typedef struct list_ctx {
    fx *f;
    const lf_store_ffilter *flt;
    lf_store_finding *v;
} list_ctx;

static int list_fetch(void *ctx, lf_store_page *pg, size_t *n)
{
    list_ctx *c = ctx;
    lf_err e;
    return lf_store_finding_list(c->f->s, c->flt, pg, &c->f->a, &c->v, n, &e);
}

/* One scope and filter, paged `limit` at a time, against the raw rows in id order. */
static size_t list_one(fx *f, sqlite3 *db, const lf_store_ffilter *flt, uint32_t limit)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT f.id FROM findings f JOIN org_tree t ON t.descendant = f.agency_id "
                                            "WHERE t.ancestor = ?1 AND (?2 = 0 OR f.host_id = ?2) "
                                            "AND (?3 IS NULL OR f.state = ?3) AND (?4 <= 0 OR f.cvss >= ?4) "
                                            "AND (?5 = 0 OR f.kev = 1) AND (?6 IS NULL OR f.cve = ?6) ORDER BY f.id",
                                        -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_int64(st, 1, flt->scope);
    sqlite3_bind_int64(st, 2, flt->host_id);
    if (flt->state)
        sqlite3_bind_text(st, 3, lf_fstate_name(flt->state), -1, SQLITE_STATIC);
    sqlite3_bind_double(st, 4, flt->min_cvss);
    sqlite3_bind_int(st, 5, flt->kev_only);
    if (flt->cve)
        sqlite3_bind_text(st, 6, flt->cve, -1, SQLITE_STATIC);
    list_ctx ctx = {f, flt, NULL};
    pager p = pager_new(limit, list_fetch, &ctx);
    size_t total = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        size_t k = pager_next(&p);
        assert_int_equal(ctx.v[k].id, sqlite3_column_int64(st, 0));
        total++;
    }
    sqlite3_finalize(st);
    pager_finish(&p, total);
    return total;
}

/* Every organisation's findings list, and for some of them each filter, equal the raw rows
 * in id order, whichever statement the store picks (one agency, one host, one CVE, a wide
 * scope scanned in id order or sorted). */
static void check_lists(fx *f, const ref *r, sqlite3 *db)
{
    const uint32_t limit = 25;
    int64_t all = raw_count(db, "SELECT count(*) + ?1 FROM findings", 0, NULL);
    int scanned = 0, sorted = 0;
    for (size_t i = 0; i < r->norg; i++) {
        lf_store_ffilter flt = {(lf_id)r->org[i].id, 0, 0, 0, false, NULL};
        size_t got = list_one(f, db, &flt, limit);
        if (strcmp(r->org[i].kind, "agency") && got) {
            /* which side of the store's rule (sq_finding_list: scan when S^2 >= limit x N)
             * this scope is on: the data must put scopes on both sides, so that both the
             * scan and the sort statements answer above. This checks the data, not the
             * store's choice (which the answers cannot show: both are right). */
            if ((double)got * (double)got >= (double)(limit + 1) * (double)all)
                scanned++;
            else
                sorted++;
        }
        if (i % 5)
            continue;
        sqlite3_stmt *st;
        char cve[32] = "";
        lf_id host = 0;
        assert_int_equal(sqlite3_prepare_v2(db, "SELECT f.cve, f.host_id FROM findings f JOIN org_tree t ON "
                                                "t.descendant = f.agency_id WHERE t.ancestor = ?1 ORDER BY f.id DESC",
                                            -1, &st, NULL), SQLITE_OK);
        sqlite3_bind_int64(st, 1, r->org[i].id);
        if (sqlite3_step(st) == SQLITE_ROW) {
            col_str(st, 0, cve, sizeof cve);
            host = sqlite3_column_int64(st, 1);
        }
        sqlite3_finalize(st);
        static const lf_fstate states[] = {LF_FSTATE_OPEN, LF_FSTATE_MEASURE_FILED, LF_FSTATE_FIXED,
                                           LF_FSTATE_RISK_ACCEPTED, LF_FSTATE_FALSE_POSITIVE};
        for (size_t k = 0; k < sizeof states / sizeof states[0]; k++) {
            flt.state = states[k];
            list_one(f, db, &flt, k % 2 ? 3 : limit);
        }
        flt.state = 0;
        flt.kev_only = true;
        list_one(f, db, &flt, 4);
        flt.kev_only = false;
        flt.min_cvss = 7.0;
        list_one(f, db, &flt, limit);
        flt.min_cvss = 0;
        if (*cve) {
            flt.cve = cve;
            assert_true(list_one(f, db, &flt, 2) > 0);
            flt.host_id = host;
            assert_true(list_one(f, db, &flt, 2) > 0);
            flt.cve = NULL;
            assert_true(list_one(f, db, &flt, limit) > 0);
        }
    }
    assert_true(scanned > 0 && sorted > 0);
}

typedef struct hosts_ctx {
    fx *f;
    lf_id agency;
    const char *today;
    lf_store_host_sum *v;
} hosts_ctx;

static int hosts_fetch(void *ctx, lf_store_page *pg, size_t *n)
{
    hosts_ctx *c = ctx;
    lf_err e;
    return lf_store_host_summary(c->f->s, c->agency, c->today, pg, &c->f->a, &c->v, n, &e);
}

/* Every agency's hosts page, paged 3 at a time, against the raw rows: the same hosts in id
 * order, each with its open findings per severity, KEV-listed and overdue on `today`. */
static size_t check_hosts(fx *f, const ref *r, sqlite3 *db, const char *today, uint64_t *kev_sum, uint64_t *overdue_sum)
{
    size_t hosts = 0;
    for (size_t i = 0; i < r->norg; i++) {
        if (strcmp(r->org[i].kind, "agency"))
            continue;
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(db, "SELECT id FROM hosts WHERE agency_id = ?1 ORDER BY id", -1, &st, NULL),
                         SQLITE_OK);
        sqlite3_bind_int64(st, 1, r->org[i].id);
        hosts_ctx ctx = {f, (lf_id)r->org[i].id, today, NULL};
        pager p = pager_new(3, hosts_fetch, &ctx);
        size_t agency_hosts = 0;
        while (sqlite3_step(st) == SQLITE_ROW) {
            int64_t id = sqlite3_column_int64(st, 0);
            size_t k = pager_next(&p);   /* may fetch a page: ctx.v only after it */
            const lf_store_host_sum *h = &ctx.v[k];
            assert_int_equal(h->host.id, id);
            assert_int_equal(h->host.agency_id, r->org[i].id);
            uint64_t open[LF_SEV_IDX_COUNT] = {0}, kev = 0, overdue = 0;
            for (size_t j = 0; j < r->nf; j++) {
                const ref_finding *x = &r->f[j];
                if (x->host != id || !is_open(x))
                    continue;
                open[sev_idx(x->severity)]++;
                kev += x->kev != 0;
                overdue += x->due[0] && strcmp(x->due, today) < 0;
            }
            for (int s = 0; s < LF_SEV_IDX_COUNT; s++)
                assert_int_equal(h->open[s], open[s]);
            assert_int_equal(h->open_kev, kev);
            assert_int_equal(h->overdue, overdue);
            *kev_sum += kev;
            *overdue_sum += overdue;
            agency_hosts++;
        }
        sqlite3_finalize(st);
        pager_finish(&p, agency_hosts);
        hosts += agency_hosts;
    }
    return hosts;
}

/* Every org's overview (its total and each child row) and the trends of a few, against the
 * reference, for several "today"s (overdue and the B-level limit move with it). */
static void check_all(fx *f)
{
    sqlite3 *db = raw_open(f);
    ref *r = calloc(1, sizeof *r);
    assert_non_null(r);
    r->f = calloc(MAX_FINDINGS, sizeof *r->f);
    assert_non_null(r->f);
    ref_load(f, db, r);
    /* "today" 100 days ago, 30 days ago and in 20 days; the month is today's, the late
     * notice date a month and a half before it */
    char days[3][3][11];
    static const int back[3] = {-100, -30, 20};
    for (int d = 0; d < 3; d++) {
        tw_date(f->now, back[d], days[d][1]);
        memcpy(days[d][0], days[d][1], 7);
        days[d][0][7] = '\0';
        tw_date(f->now, back[d] - 45, days[d][2]);
    }
    size_t checked = 0;
    for (size_t d = 0; d < sizeof days / sizeof days[0]; d++) {
        lf_store_overview_q q = {days[d][0], days[d][1], d == 1 ? 9.0 : 7.0, days[d][2]};
        for (size_t i = 0; i < r->norg; i++) {
            lf_store_overview_row total, *rows, want;
            size_t n;
            bool more;
            lf_err e;
            assert_int_equal(lf_store_overview(f->s, (lf_id)r->org[i].id, &q, &f->a, &total, &rows, &n, &more, &e),
                             LF_OK);
            ref_overview(r, db, r->org[i].id, &q, &want);
            expect_row(&total, &want, "total");
            checked++;
            for (size_t k = 0; k < n; k++) {
                ref_overview(r, db, rows[k].org.id, &q, &want);
                expect_row(&rows[k], &want, "child row");
                checked++;
            }
        }
    }
    assert_true(checked > 3 * r->norg);
    check_lists(f, r, db);
    for (size_t d = 0; d < sizeof days / sizeof days[0]; d++) {
        uint64_t kev = 0, overdue = 0;
        assert_true(check_hosts(f, r, db, days[d][1], &kev, &overdue) > 3);
        assert_true(kev > 0);
        if (d == 2)
            assert_true(overdue > 0);   /* in 20 days some deadline has passed */
    }
    /* the data exercises every figure (a test of zeros would prove little) */
    char today[11], late[11];
    tw_date(f->now, 0, today);
    tw_date(f->now, -75, late);
    char month[8];
    tw_month(f->now, month);
    lf_store_overview_q q = {month, today, 9.0, late};
    lf_store_overview_row nat;
    ref_overview(r, db, r->org[0].id, &q, &nat);
    assert_true(nat.open[0] && nat.open[1] && nat.open[2] && nat.open[3] && nat.open[4]);
    assert_true(nat.open_kev && nat.overdue && nat.b_late && nat.b_late < nat.b_agencies);
    assert_true(nat.fixed > 10 && nat.uploaded && nat.flagged && nat.connected < nat.agencies);
    /* the summaries hold no zero or negative counts (zeros are deleted as they appear) */
    assert_int_equal(raw_count(db, "SELECT (SELECT count(*) FROM dash_open WHERE n <= 0) + (SELECT count(*) FROM "
                                   "dash_fix WHERE n <= 0) + (SELECT count(*) FROM dash_life WHERE n <= 0) + "
                                   "(SELECT count(*) FROM dash_uploads WHERE uploaded <= 0) + "
                                   "(SELECT count(*) FROM dash_hosts WHERE n < 0) + ?1", 0, NULL), 0);
    /* national, a region, a county, an agency */
    int64_t picks[4] = {0, 0, 0, 0};
    for (size_t i = 0; i < r->norg; i++) {
        const ref_org *o = &r->org[i];
        int slot = !strcmp(o->kind, "national") ? 0 : !strcmp(o->kind, "region") ? 1 : !strcmp(o->kind, "county") ? 2 : 3;
        if (!picks[slot] && (slot < 2 || raw_count(db, "SELECT count(*) FROM findings f JOIN org_tree t ON "
                                                       "t.descendant = f.agency_id WHERE t.ancestor = ?1", o->id,
                                                   NULL) > 0))
            picks[slot] = o->id;
    }
    for (int i = 0; i < 4; i++) {
        assert_true(picks[i] > 0);
        check_trends(f, r, db, picks[i], "2025-02", 18);
        /* the metrics' finding counts equal the raw rows' */
        lf_store_metrics m;
        lf_err e;
        assert_int_equal(lf_store_metrics_get(f->s, (lf_id)picks[i], NULL, &m, &e), LF_OK);
        uint64_t by_state[LF_FSTATE_COUNT] = {0}, high = 0, kev = 0;
        for (size_t j = 0; j < r->nf; j++) {
            const ref_finding *x = &r->f[j];
            if (!ref_under(r, x->agency, picks[i]))
                continue;
            int k = lf_fstate_parse(x->state);
            assert_true(k > 0 && k < LF_FSTATE_COUNT);
            by_state[k]++;
            high += is_open(x) && x->cvss >= 7.0;
            kev += is_open(x) && x->kev;
        }
        for (int k = 1; k < LF_FSTATE_COUNT; k++)
            assert_int_equal(m.findings[k], by_state[k]);
        assert_int_equal(m.open_high, high);
        assert_int_equal(m.open_kev, kev);
    }
    free(r->f);
    free(r);
    sqlite3_close(db);
}

/* ---- random data through the store's functions ---------------------------------------- */

static const char *const SEVS[] = {"CRITICAL", "HIGH", "MEDIUM", "LOW", "NONE", NULL};
static const double CVSS[] = {9.8, 7.5, 5.3, 3.1, 0.0, -1};

typedef struct world {
    lf_id agency[24];
    size_t nag;
} world;

static void mk_world(fx *f, world *w)
{
    lf_err e;
    const char *counties[] = {"TW-TPE", "TW-NWT", "TW-HUA", "TW-KEE", "TW-TPE", "TW-KHH"};
    static const char levels[] = "ABBCB";
    w->nag = 0;
    for (size_t i = 0; i < 18; i++) {
        lf_store_org c;
        assert_int_equal(lf_store_org_get_by_code(f->s, counties[i % 6], &f->a, &c, &e), LF_OK);
        char code[16];
        snprintf(code, sizeof code, "AG-%02zu", i);
        lf_store_org o = {.parent_id = c.id, .kind = LF_ORG_AGENCY, .code = code, .name_zh = "測試機關",
                          .name_en = "Test agency", .level = levels[i % 5]};
        /* agencies appear over time: trends count them from their month */
        f->now += 86400 * 3;
        assert_int_equal(lf_store_org_create(f->s, &o, &w->agency[w->nag++], &e), LF_OK);
    }
    lf_store_user u = {.login = "admin", .display_name = "Admin", .email = "a@example.gov.tw",
                       .role = LF_ROLE_NATIONAL_ADMIN, .org_id = 1};
    lf_store_org nat;
    assert_int_equal(lf_store_org_get_by_code(f->s, "TW", &f->a, &nat, &e), LF_OK);
    u.org_id = nat.id;
    assert_int_equal(lf_store_user_create(f->s, &u, &f->user, &e), LF_OK);
    char secret[LF_STORE_SECRET_SIZE];
    lf_id tok;
    assert_int_equal(lf_store_apitoken_create(f->s, "uploader", w->agency[5], 0, secret, &tok, &e), LF_OK);
    assert_int_equal(lf_store_apitoken_create(f->s, "gone", w->agency[6], 0, secret, &tok, &e), LF_OK);
    assert_int_equal(lf_store_apitoken_revoke(f->s, tok, &e), LF_OK);
}

static void tw_date(int64_t t, int add_days, char out[11])
{
    time_t tt = (time_t)(t + TW_OFFSET + (int64_t)add_days * 86400);
    struct tm tm;
    gmtime_r(&tt, &tm);
    char tmp[48];
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    memcpy(out, tmp, 10);
    out[10] = '\0';
}

static void one_upload(fx *f, lf_id agency)
{
    lf_err e;
    lf_store_upload up = {.agency_id = agency, .uploaded_by = f->user, .file_name = "inv.csv"};
    tw_month(f->now, up.month);
    lf_id id;
    assert_int_equal(lf_store_upload_create(f->s, &up, &id, &e), LF_OK);
    lf_store_item it = {.host = "pc", .name = "app", .version = "1.0", .bucket = "resolved"};
    assert_int_equal(lf_store_items_add(f->s, id, &it, 1, &e), LF_OK);
    if (rnd(f, 6) == 0)
        return;   /* left PENDING: neither connected nor uploaded */
    char rep[64];
    snprintf(rep, sizeof rep, "{\"flagged\":%u,\"format\":\"csv\"}", rnd(f, 4));
    lf_store_counts c = {1, 1, 0, 0};
    assert_int_equal(lf_store_upload_publish(f->s, id, &c, rnd(f, 8) ? rep : "not json", &e), LF_OK);
}

/* hits of a batch come host by host, as the server gives them */
static int hit_host_cmp(const void *a, const void *b)
{
    return strcmp(((const lf_store_hit *)a)->host, ((const lf_store_hit *)b)->host);
}

static void i_sort_by_host(lf_store_hit *h, size_t n)
{
    qsort(h, n, sizeof *h, hit_host_cmp);
}

static void one_run(fx *f, lf_id agency)
{
    lf_err e;
    lf_id run;
    bool full = rnd(f, 3) != 0;
    assert_int_equal(lf_store_begin(f->s, &e), LF_OK);
    assert_int_equal(lf_store_match_begin(f->s, agency, 0, full, &run, &e), LF_OK);
    unsigned nh = 4 + rnd(f, 10);
    char notice[11], due[11];
    tw_date(f->now, 0, notice);
    tw_date(f->now, 30, due);
    /* one hit at a time, or the run's hits as one batch (the new findings of a batch join the
     * summaries at its end, schema 10; a second hit of the same host and CVE with another
     * severity or KEV flag inside the batch is the case that must summarise first) */
    bool batch = rnd(f, 2) == 0;
    char hosts[16][16], cves[16][24];
    lf_store_hit hs[16];
    for (unsigned i = 0; i < nh; i++) {
        snprintf(hosts[i], sizeof hosts[i], "pc-%02u", rnd(f, 6));
        snprintf(cves[i], sizeof cves[i], "CVE-2024-%04u", rnd(f, batch ? 8 : 25));
        unsigned s = rnd(f, 6);
        hs[i] = (lf_store_hit){.host = hosts[i], .cve = cves[i], .cpe = "cpe:2.3:a:x:y:1:*:*:*:*:*:*:*",
                               .kind = LF_FKIND_MATCH, .cvss = CVSS[s], .cvss_version = "3.1", .severity = SEVS[s],
                               .epss = -1, .kev = rnd(f, 5) == 0, .notice_date = notice,
                               .due_date = rnd(f, 3) ? due : NULL};
        if (!batch && lf_store_match_add(f->s, run, &hs[i], &e))
            fail_msg("hit: %s", e.msg);
    }
    if (batch && (i_sort_by_host(hs, nh), lf_store_match_add_batch(f->s, run, hs, nh, &e)))
        fail_msg("batch: %s", e.msg);
    assert_int_equal(lf_store_match_end(f->s, run, NULL, &e), LF_OK);
    assert_int_equal(lf_store_commit(f->s, &e), LF_OK);
}

static void some_transitions(fx *f, lf_id agency)
{
    lf_err e;
    lf_store_ffilter flt = {.scope = agency};
    lf_store_finding *v;
    size_t n;
    assert_int_equal(lf_store_finding_list(f->s, &flt, NULL, &f->a, &v, &n, &e), LF_OK);
    lf_store_actor who = {f->user, "admin"};
    for (size_t i = 0; i < n; i++) {
        if (rnd(f, 4))
            continue;
        lf_store_fchange c = {0};
        char planned[11];
        tw_date(f->now, 20, planned);
        switch (rnd(f, 5)) {
        case 0: c.to = LF_FSTATE_MEASURE_FILED, c.measure = "patch", c.measure_planned = planned; break;
        case 1: c.to = LF_FSTATE_FIXED; break;
        case 2: c.to = LF_FSTATE_RISK_ACCEPTED, c.risk_reason = "legacy", c.risk_approver = "CISO",
                c.risk_expiry = "2027-01-01"; break;
        case 3: c.to = LF_FSTATE_FALSE_POSITIVE, c.fp_reason = "not installed"; break;
        default: c.to = LF_FSTATE_OPEN; break;
        }
        lf_store_finding_transition(f->s, v[i].id, &c, &who, &e);   /* refused moves are part of the test */
    }
}

static void random_world(fx *f, world *w, int rounds)
{
    for (int r = 0; r < rounds; r++) {
        f->now += 86400 * (8 + (int64_t)rnd(f, 8)) + (int64_t)rnd(f, 86400);
        for (size_t i = 0; i < w->nag; i++) {
            if (rnd(f, 3) == 0)
                continue;
            /* AG-06 (its only token revoked) and AG-17 never upload: not connected */
            if (rnd(f, 2) && i != 6 && i != 17)
                one_upload(f, w->agency[i]);
            one_run(f, w->agency[i]);
            some_transitions(f, w->agency[i]);
        }
    }
}

/* What other writers might do behind the store's back: move dates, rescore, delete. */
static void raw_edits(fx *f)
{
    sqlite3 *db = raw_open(f);
    raw_exec(db, "BEGIN");
    raw_exec(db, "UPDATE findings SET first_seen = first_seen - (id % 7) * 86400 * 9 WHERE id % 5 = 0");
    raw_exec(db, "UPDATE findings SET fixed_at = fixed_at + (id % 3) * 43210 WHERE state = 'fixed' AND id % 4 = 1");
    raw_exec(db, "UPDATE findings SET updated = updated + 86400 * 40 WHERE state IN ('risk_accepted', "
                 "'false_positive') AND id % 2 = 0");
    raw_exec(db, "UPDATE findings SET notice_date = date(notice_date, '-45 days'), due_date = "
                 "date(due_date, '-45 days') WHERE id % 6 = 2");
    raw_exec(db, "UPDATE findings SET severity = 'CRITICAL', cvss = 9.1, kev = 1 - kev WHERE id % 11 = 3");
    raw_exec(db, "UPDATE findings SET state = 'fixed', fixed_at = first_seen - 3600 WHERE id % 13 = 4");
    raw_exec(db, "UPDATE findings SET state = 'fixed', fixed_at = 0 WHERE id % 17 = 5");
    raw_exec(db, "DELETE FROM suppressions WHERE finding_id IN (SELECT id FROM findings WHERE id % 9 = 7)");
    raw_exec(db, "DELETE FROM findings WHERE id % 9 = 7");
    raw_exec(db, "DELETE FROM hosts WHERE id NOT IN (SELECT host_id FROM findings) AND id % 2 = 0");
    raw_exec(db, "UPDATE uploads SET status = 'superseded' WHERE id % 10 = 3 AND status = 'current'");
    raw_exec(db, "UPDATE uploads SET report_json = '{\"flagged\":7}' WHERE id % 10 = 4 AND status = 'current'");
    raw_exec(db, "COMMIT");
    sqlite3_close(db);
}

/* Random data through the store's write paths, then behind its back: the overview and
 * trends of every organisation equal the figures computed from the raw rows. */
static void test_store_dashboard_random(void **state)
{
    fx *f = *state;
    fx_open(f);
    world w;
    mk_world(f, &w);
    random_world(f, &w, 14);
    check_all(f);
    raw_edits(f);
    check_all(f);
    random_world(f, &w, 4);
    check_all(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_store_dashboard_random, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
