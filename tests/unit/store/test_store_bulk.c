/*
 * Tests for the set-wise match batch (src/store/: batch_bulk in store.c, the backend's
 * finding_bulk) and the shared sources texts (schema 12). The set-wise path must leave the
 * database exactly as the per-hit path does: two stores get the same random runs (new
 * findings, repeated hits of one host and CVE with the same or other scores, a host's hits
 * split over two batches, findings that are false positives, fixed, risk-accepted or with a
 * measure in between), one with the backend's finding_bulk and one without it, and after
 * every run their findings, audit rows, dashboard summaries and run summaries must be equal.
 * Also: equal sources texts are stored once, and the clean-up removes only texts no finding
 * refers to. Checked on the raw rows of real databases.
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
#include <unistd.h>

#include "store/store.h"
#include "store/store_int.h"

typedef struct db {
    char dir[64];
    char path[128];
    lf_store *s;
    lf_id agency;
    lf_store_ops ops;                  /* a copy, so one store can go without finding_bulk */
} db;

typedef struct fx {
    int64_t now;
    db a, b;                           /* a: set-wise, b: per hit */
} fx;

static int64_t fake_clock(void *ud) { return ((fx *)ud)->now; }

/* what the set-wise path did, counted by a wrapper around the backend's finding_bulk */
static int (*real_bulk)(lf_store *, lf_id, lf_id, int64_t, lf_store_bulk *, size_t, lf_err *);
static uint64_t bulk_new, bulk_seen, bulk_left;

static int counting_bulk(lf_store *s, lf_id agency, lf_id run, int64_t now, lf_store_bulk *b, size_t n, lf_err *err)
{
    int rc = real_bulk(s, agency, run, now, b, n, err);
    for (size_t i = 0; !rc && i < n; i++)
        b[i].state == LF_BULK_NEW ? bulk_new++ : b[i].state == LF_BULK_SEEN ? bulk_seen++ : bulk_left++;
    return rc;
}

/* and the set-wise fix of a run's stale findings (finding_fix_bulk) */
static int (*real_fix)(lf_store *, const lf_id *, size_t, int64_t, uint64_t *, uint64_t *, lf_err *);
static uint64_t fix_calls, fix_rows;

static int counting_fix(lf_store *s, const lf_id *ids, size_t n, int64_t now, uint64_t *fixed, uint64_t *confirmed,
                        lf_err *err)
{
    fix_calls++;
    fix_rows += n;
    return real_fix(s, ids, n, now, fixed, confirmed, err);
}

static void db_open(fx *f, db *d, bool bulk)
{
    snprintf(d->dir, sizeof d->dir, "/tmp/lf-bulk-test-XXXXXX");
    assert_non_null(mkdtemp(d->dir));
    snprintf(d->path, sizeof d->path, "%s/lianfang.db", d->dir);
    lf_store_opts o = {0};
    o.clock = fake_clock;
    o.clock_ud = f;
    o.argon2_t_cost = 1;
    o.argon2_m_kib = 256;
    o.argon2_lanes = 1;
    lf_err e;
    if (lf_store_open_opts(d->path, &o, &d->s, &e))
        fail_msg("open %s: %s", d->path, e.msg);
    d->ops = *d->s->ops;
    real_bulk = d->ops.finding_bulk;
    d->ops.finding_bulk = bulk ? counting_bulk : NULL;
    assert_non_null(real_bulk);
    real_fix = d->ops.finding_fix_bulk;
    d->ops.finding_fix_bulk = bulk ? counting_fix : NULL;
    assert_non_null(real_fix);
    d->s->ops = &d->ops;
    lf_arena a;
    lf_arena_init(&a, 0);
    lf_store_org tpe;
    if (lf_store_org_get_by_code(d->s, "TW-TPE", &a, &tpe, &e))
        fail_msg("county TPE: %s", e.msg);
    lf_store_org ag = {.parent_id = tpe.id, .kind = LF_ORG_AGENCY, .code = "A-1", .name_zh = "測試機關",
                       .name_en = "Test agency", .level = 'A'};
    if (lf_store_org_create(d->s, &ag, &d->agency, &e))
        fail_msg("agency: %s", e.msg);
    lf_arena_clear(&a);
}

static void db_close(db *d)
{
    lf_store_close(d->s);
    const char *sfx[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        char p[160];
        snprintf(p, sizeof p, "%s%s", d->path, sfx[i]);
        unlink(p);
    }
    rmdir(d->dir);
}

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->now = 1743465600;        /* 2025-04-01 00:00:00 UTC */
    db_open(f, &f->a, true);
    db_open(f, &f->b, false);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    db_close(&f->a);
    db_close(&f->b);
    free(f);
    return 0;
}

/* Every row of sql, one line per row, columns joined by '|' (NULL as \N). */
static char *dump(const db *d, const char *sql)
{
    sqlite3 *h;
    assert_int_equal(sqlite3_open(d->path, &h), SQLITE_OK);
    sqlite3_busy_timeout(h, 5000);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(h));
    size_t cap = 1 << 16, len = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    out[0] = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int i = 0; i < sqlite3_column_count(st); i++) {
            const char *v = (const char *)sqlite3_column_text(st, i);
            size_t need = len + (v ? strlen(v) : 2) + 4;
            while (need >= cap) {
                cap *= 2;
                out = realloc(out, cap);
                assert_non_null(out);
            }
            len += (size_t)snprintf(out + len, cap - len, "%s%s", i ? "|" : "", v ? v : "\\N");
        }
        out[len++] = '\n';
        out[len] = 0;
    }
    sqlite3_finalize(st);
    sqlite3_close(h);
    return out;
}

static int64_t raw_int(const db *d, const char *sql)
{
    char *v = dump(d, sql);
    int64_t n = strtoll(v, NULL, 10);
    free(v);
    return n;
}

static void same(fx *f, const char *what, const char *sql)
{
    char *x = dump(&f->a, sql), *y = dump(&f->b, sql);
    if (strcmp(x, y) != 0) {
        /* the first differing line of each, for the message */
        size_t i = 0;
        while (x[i] && x[i] == y[i])
            i++;
        while (i > 0 && x[i - 1] != '\n')
            i--;
        fail_msg("%s differ:\nset-wise: %.300s\nper hit:  %.300s", what, x + i, y + i);
    }
    free(x);
    free(y);
}

/* The summary table tbl (key columns cols, count n) holds exactly the rows of `recount`
 * (the same computed from the findings), in both stores: neither side has a row the other
 * lacks. */
static void recounted(fx *f, const char *tbl, const char *cols, const char *recount)
{
    char sql[2048];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM (%s EXCEPT SELECT %s, n FROM %s) "
             "UNION ALL SELECT count(*) FROM (SELECT %s, n FROM %s EXCEPT %s)",
             recount, cols, tbl, cols, tbl, recount);
    const db *d[2] = {&f->a, &f->b};
    for (int k = 0; k < 2; k++) {
        char *v = dump(d[k], sql);
        if (strcmp(v, "0\n0\n") != 0)
            fail_msg("%s is not what the findings say (missing, extra rows): %s", tbl, v);
        free(v);
    }
}

static void compare(fx *f)
{
    /* by (host, CVE): ids may be handed out in another order (the set-wise part inserts
     * first, then the general path its hits) */
    same(f, "findings",
         "SELECT h.name, f.cve, f.cpe, f.kind, f.cvss, f.cvss_version, f.severity, f.kev, f.kev_due, f.epss, "
         "f.state, f.measure, f.risk_reason, f.fp_reason, f.notice_date, f.due_date, f.first_seen, f.last_seen, "
         "f.fixed_at, f.fixed_confirmed, f.reopened, f.last_run, f.updated, j.json FROM findings f "
         "JOIN hosts h ON h.id = f.host_id LEFT JOIN finding_sources j ON j.id = f.sources_id ORDER BY h.name, f.cve");
    same(f, "audit rows",
         "SELECT h.name, f.cve, a.at, a.user_id, a.actor, a.org_id, a.entity, a.action, a.before_json, a.after_json "
         "FROM audit a LEFT JOIN findings f ON a.entity = 'finding' AND f.id = a.entity_id "
         "LEFT JOIN hosts h ON h.id = f.host_id ORDER BY h.name, f.cve, a.id");
    same(f, "dash_open", "SELECT * FROM dash_open ORDER BY 1, 2, 3, 4");
    same(f, "dash_fix", "SELECT * FROM dash_fix ORDER BY 1, 2, 3");
    same(f, "dash_life", "SELECT * FROM dash_life ORDER BY 1, 2, 3, 4");
    same(f, "host_open", "SELECT h.name, o.sev, o.kev, o.due, o.n FROM host_open o JOIN hosts h ON h.id = o.host_id "
                         "ORDER BY 1, 2, 3, 4");
    /* and the summaries are what the findings say, in both stores */
    recounted(f, "host_open", "host_id, sev, kev, due",
              "SELECT host_id, CASE severity WHEN 'CRITICAL' THEN 0 WHEN 'HIGH' THEN 1 WHEN 'MEDIUM' THEN 2 "
              "WHEN 'LOW' THEN 3 ELSE 4 END, coalesce(kev, 0) <> 0, coalesce(due_date, ''), count(*) FROM findings "
              "WHERE state IN ('open', 'measure_filed') GROUP BY 1, 2, 3, 4");
    /* schema 18: the open findings per (agency, CVSS, notice date) */
    same(f, "open_cvss", "SELECT agency_id, cvss, notice, n FROM open_cvss ORDER BY 1, 2, 3");
    recounted(f, "open_cvss", "agency_id, cvss, notice",
              "SELECT agency_id, coalesce(cvss, -1), coalesce(notice_date, '~'), count(*) FROM findings "
              "WHERE state IN ('open', 'measure_filed') GROUP BY 1, 2, 3");
    same(f, "suppressions", "SELECT h.name, u.cpe, u.cve, g.cve, u.reason FROM suppressions u JOIN hosts h ON h.id = u.host_id "
                            "LEFT JOIN findings g ON g.id = u.finding_id ORDER BY 1, 2, 3");
}

static uint64_t rnd(uint64_t *x)
{
    *x = *x * 6364136223846793005ull + 1442695040888963407ull;
    return *x >> 33;
}

static const char *const hosts[] = {"pc-1", "pc-2", "pc-3", "srv-1", "srv-2"};
static const char *const cpes[] = {"cpe:2.3:a:acme:tool:1.0:*:*:*:*:*:*:*", "cpe:2.3:a:acme:tool\\!:2.0:*:*:*:*:*:*:*",
                                   "cpe:2.3:a:other:lib:3.1:*:*:*:*:*:*:*"};
static const char *const srcs[] = {"{\"v\":1}", "{\"v\":2,\"t\":\"\\u53f0\"}", NULL};
#define NCVE 10

/* The scores of a CVE in a round (all hits of it agree unless told otherwise) */
static void score(lf_store_hit *h, int cve, int variant)
{
    static const double cv[] = {5.0, 7.5, 9.8};
    static const char *const sev[] = {"MEDIUM", "HIGH", "CRITICAL"};
    int k = (cve + variant) % 3;
    h->cvss = cv[k];
    h->severity = sev[k];
    h->cvss_version = "3.1";
    h->kev = (cve + variant) % 4 == 0;
    h->kev_due = h->kev ? "2025-05-01" : NULL;
    h->epss = variant % 2 ? 0.5 : -1;
    h->kind = variant == 5 ? LF_FKIND_REVIEW : LF_FKIND_MATCH;
}

static void one_run(fx *f, db *d, const lf_store_hit *h, size_t n, size_t split, lf_store_match_summary *sum)
{
    lf_err e;
    lf_id r;
    if (lf_store_begin(d->s, &e) || lf_store_match_begin(d->s, d->agency, 0, true, &r, &e) ||
        (split && lf_store_match_add_batch_tx(d->s, r, h, split, &e)) ||
        (n > split && lf_store_match_add_batch_tx(d->s, r, h + split, n - split, &e)) ||
        lf_store_match_end(d->s, r, sum, &e) || lf_store_commit(d->s, &e))
        fail_msg("run: %s", e.msg);
    (void)f;
}

static lf_id id_of(const db *d, const char *hc)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT f.id FROM findings f JOIN hosts h ON h.id = f.host_id "
                              "WHERE h.name || ' ' || f.cve = '%s'", hc);
    return raw_int(d, sql);
}

/* A person's change on the same finding (host and CVE) in both stores. */
static void change(fx *f, int64_t k, uint64_t pick)
{
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT h.name || ' ' || f.cve FROM findings f JOIN hosts h ON h.id = f.host_id "
                              "ORDER BY 1 LIMIT 1 OFFSET %lld", (long long)k);
    char *hc = dump(&f->a, sql);
    hc[strcspn(hc, "\n")] = 0;
    lf_id ia = id_of(&f->a, hc), ib = id_of(&f->b, hc);
    free(hc);
    assert_true(ia > 0 && ib > 0);
    static const lf_store_actor who = {0, "tester"};
    lf_store_fchange c = {0};
    switch (pick % 5) {
    case 0: c = (lf_store_fchange){.to = LF_FSTATE_FALSE_POSITIVE, .fp_reason = "not installed"}; break;
    case 1: c = (lf_store_fchange){.to = LF_FSTATE_FIXED}; break;
    case 2:
        c = (lf_store_fchange){.to = LF_FSTATE_RISK_ACCEPTED, .risk_reason = "isolated", .risk_approver = "ciso",
                               .risk_expiry = "2026-01-01"};
        break;
    case 3: c = (lf_store_fchange){.to = LF_FSTATE_MEASURE_FILED, .measure = "patch", .measure_planned = "2025-06-01"}; break;
    default: c = (lf_store_fchange){.to = LF_FSTATE_OPEN}; break;
    }
    lf_err ea, eb;
    int ra = lf_store_finding_transition(f->a.s, ia, &c, &who, &ea);
    int rb = lf_store_finding_transition(f->b.s, ib, &c, &who, &eb);
    assert_int_equal(ra, rb);       /* a refused change (from a state that allows none) alike */
}

static void differential(void **state)
{
    fx *f = *state;
    uint64_t x = 20261201;
    lf_store_hit *h = calloc(256, sizeof *h);
    assert_non_null(h);
    bulk_new = bulk_seen = bulk_left = 0;
    int var[sizeof hosts / sizeof hosts[0]][NCVE] = {{0}};
    uint64_t total_new = 0, total_seen = 0, total_fixed = 0, total_confirmed = 0, total_reopened = 0, total_sup = 0;
    fix_calls = fix_rows = 0;
    for (int round = 0; round < 60; round++) {
        f->now += 3600 * (1 + rnd(&x) % 40);
        size_t n = 0;
        for (size_t hi = 0; hi < sizeof hosts / sizeof hosts[0]; hi++) {
            for (int cve = 0; cve < NCVE; cve++) {
                if (rnd(&x) % 3 == 0)
                    continue;                  /* not on this host this round */
                /* a CVE's scores mostly stay from one month to the next */
                if (rnd(&x) % 8 == 0)
                    var[hi][cve] = (int)(rnd(&x) % 6);
                int variant = var[hi][cve];
                int copies = 1 + (int)(rnd(&x) % 3);
                for (int k = 0; k < copies && n < 256; k++) {
                    static char cves[NCVE][20];
                    snprintf(cves[cve], sizeof cves[cve], "CVE-2025-%04d", cve + 1);
                    lf_store_hit *t = &h[n++];
                    memset(t, 0, sizeof *t);
                    t->host = hosts[hi];
                    t->cve = cves[cve];
                    t->cpe = cpes[(cve + k + (int)(rnd(&x) % 2)) % 3];
                    /* a repeated hit mostly scores the CVE the same; sometimes not */
                    score(t, cve, k && rnd(&x) % 4 == 0 ? (variant + 1) % 6 : variant);
                    t->notice_date = "2025-04-01";
                    t->due_date = t->cvss >= 9 ? "2025-04-07" : "2025-05-01";
                    t->sources_json = srcs[rnd(&x) % 3];
                }
            }
        }
        size_t split = rnd(&x) % 2 ? (size_t)(rnd(&x) % (n + 1)) : 0;
        lf_store_match_summary sa = {0}, sb = {0};
        one_run(f, &f->a, h, n, split, &sa);
        one_run(f, &f->b, h, n, split, &sb);
        assert_memory_equal(&sa, &sb, sizeof sa);
        total_new += sa.new_findings;
        total_seen += sa.seen;
        total_fixed += sa.fixed;
        total_confirmed += sa.confirmed;
        total_reopened += sa.reopened;
        total_sup += sa.suppressed;
        compare(f);
        /* people act on some findings before the next month */
        int64_t nf = raw_int(&f->a, "SELECT count(*) FROM findings");
        for (int k = 0; k < 4 && nf > 0; k++)
            change(f, (int64_t)(rnd(&x) % (uint64_t)nf), rnd(&x));
        compare(f);
    }
    print_message("new %llu seen %llu fixed %llu reopened %llu suppressed %llu\n", (unsigned long long)total_new,
                  (unsigned long long)total_seen, (unsigned long long)total_fixed,
                  (unsigned long long)total_reopened, (unsigned long long)total_sup);
    /* the random runs did reach every path */
    assert_true(total_new >= 40 && total_seen > 200 && total_fixed > 10 && total_reopened > 5 && total_sup > 5);
    /* and the set-wise path took most of them, leaving the rest to the general path */
    print_message("set-wise: new %llu seen %llu left %llu\n", (unsigned long long)bulk_new,
                  (unsigned long long)bulk_seen, (unsigned long long)bulk_left);
    assert_true(bulk_new > total_new / 2 && bulk_seen > total_seen / 2 && bulk_left > 0);
    /* every stale finding went through the set-wise fix, those fixed by hand among them */
    print_message("set-wise fix: %llu calls, %llu findings (%llu fixed, %llu confirmed)\n",
                  (unsigned long long)fix_calls, (unsigned long long)fix_rows, (unsigned long long)total_fixed,
                  (unsigned long long)total_confirmed);
    assert_int_equal(fix_rows, total_fixed + total_confirmed);
    assert_true(fix_calls > 10 && total_confirmed > 0);
    free(h);
}

/* pc-1 and pc-2 with the same text for CVE-2025-0001, pc-1 also CVE-2025-0002 */
static void two_hosts_two_cves(lf_store_hit h[3])
{
    h[0] = (lf_store_hit){"pc-1", "CVE-2025-0001", cpes[0], LF_FKIND_MATCH, 5.0, "3.1", "MEDIUM", false, NULL, -1,
                          "2025-04-01", "2025-05-01", "{\"same\":true}"};
    h[1] = h[0];
    h[1].host = "pc-2";
    h[2] = h[0];
    h[2].cve = "CVE-2025-0002";
}

/* Equal texts are one row; the clean-up removes a text only when no finding has it. */
static void sources_shared(void **state)
{
    fx *f = *state;
    db *d = &f->a;
    lf_store_hit h[3];
    two_hosts_two_cves(h);
    /* pc-2's text is pc-1's in a buffer of its own: the same text by content, not pointer */
    char own[64];
    snprintf(own, sizeof own, "%s", h[0].sources_json);
    h[1].sources_json = own;
    h[2].sources_json = "{\"other\":true}";
    lf_store_match_summary s = {0};
    one_run(f, d, h, 3, 0, &s);
    assert_int_equal(s.new_findings, 3);
    assert_int_equal(raw_int(d, "SELECT count(*) FROM finding_sources"), 2);
    assert_int_equal(raw_int(d, "SELECT count(DISTINCT sources_id) FROM findings"), 2);
    assert_int_equal(raw_int(d, "SELECT count(DISTINCT sources_id) FROM findings WHERE id IN (1, 2)"), 1);
    lf_err e;
    uint64_t gone = 99;
    if (lf_store_sources_gc(d->s, &gone, &e))
        fail_msg("gc: %s", e.msg);
    assert_int_equal(gone, 0);
    /* pc-1 gets a new text: the shared one is still pc-2's */
    f->now += 86400;
    h[0].sources_json = "{\"same\":false}";
    h[1].sources_json = NULL;     /* keeps what it has */
    one_run(f, d, h, 3, 0, &s);
    assert_int_equal(s.seen, 3);
    if (lf_store_sources_gc(d->s, &gone, &e))
        fail_msg("gc: %s", e.msg);
    assert_int_equal(gone, 0);
    assert_int_equal(raw_int(d, "SELECT count(*) FROM finding_sources"), 3);
    /* now pc-2 too: the old shared text is nobody's */
    f->now += 86400;
    h[1].sources_json = "{\"same\":false}";
    one_run(f, d, h, 3, 0, &s);
    if (lf_store_sources_gc(d->s, &gone, &e))
        fail_msg("gc: %s", e.msg);
    assert_int_equal(gone, 1);
    assert_int_equal(raw_int(d, "SELECT count(*) FROM finding_sources"), 2);
    assert_int_equal(raw_int(d, "SELECT count(*) FROM finding_sources WHERE json = '{\"same\":true}'"), 0);
    /* every finding still reads its sources */
    lf_arena a;
    lf_arena_init(&a, 0);
    for (lf_id id = 1; id <= 3; id++) {
        const char *js = NULL;
        if (lf_store_finding_sources_get(d->s, id, &a, &js, &e))
            fail_msg("sources of %lld: %s", (long long)id, e.msg);
        assert_non_null(js);
        assert_string_equal(js, id == 3 ? "{\"other\":true}" : "{\"same\":false}");
    }
    lf_arena_clear(&a);
}

/* A rolled-back run's texts are not reused by id from the connection's cache. */
static void sources_after_rollback(void **state)
{
    fx *f = *state;
    db *d = &f->a;
    lf_store_hit h = {"pc-1", "CVE-2025-0001", cpes[0], LF_FKIND_MATCH, 5.0, "3.1", "MEDIUM", false, NULL, -1,
                      "2025-04-01", "2025-05-01", "{\"rolled\":\"back\"}"};
    lf_err e;
    lf_id r;
    if (lf_store_begin(d->s, &e) || lf_store_match_begin(d->s, d->agency, 0, true, &r, &e) ||
        lf_store_match_add_batch_tx(d->s, r, &h, 1, &e))
        fail_msg("run: %s", e.msg);
    lf_store_rollback(d->s);
    assert_int_equal(raw_int(d, "SELECT count(*) FROM finding_sources"), 0);
    lf_store_match_summary s = {0};
    one_run(f, d, &h, 1, 0, &s);
    assert_int_equal(s.new_findings, 1);
    assert_int_equal(raw_int(d, "SELECT count(*) FROM findings f JOIN finding_sources j ON j.id = f.sources_id "
                                "WHERE j.json = '{\"rolled\":\"back\"}'"), 1);
}

static void raw_exec(const db *d, const char *sql)
{
    sqlite3 *h;
    assert_int_equal(sqlite3_open(d->path, &h), SQLITE_OK);
    sqlite3_busy_timeout(h, 5000);
    char *msg = NULL;
    if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg);
    sqlite3_close(h);
}

/* Open d's file again, as a newer build would (its migrations run). */
static void reopen(fx *f, db *d)
{
    lf_store_opts o = {0};
    o.clock = fake_clock;
    o.clock_ud = f;
    lf_err e;
    if (lf_store_open_opts(d->path, &o, &d->s, &e))
        fail_msg("reopen: %s", e.msg);
}

/* Hosts with no finding and no suppression (fresh: pc-2) take the plain insert; a host with
 * a suppression but no finding (pc-3) and a host with findings (pc-1) take the checked one,
 * so pc-3's suppressed hit stays out. Both stores end alike, and the fresh host's findings
 * were inserted first (lower ids), though pc-3 comes before it in the batch. */
static void fresh_hosts(void **state)
{
    fx *f = *state;
    lf_store_hit h[6];
    two_hosts_two_cves(h);
    h[1] = h[2];                                  /* pc-1 CVE-1, pc-1 CVE-2 */
    lf_store_match_summary sa = {0}, sb = {0};
    one_run(f, &f->a, h, 2, 0, &sa);
    one_run(f, &f->b, h, 2, 0, &sb);
    db *d[2] = {&f->a, &f->b};
    for (int k = 0; k < 2; k++) {
        char sql[512];
        snprintf(sql, sizeof sql,
                 "INSERT INTO hosts(agency_id, name, first_seen, last_seen) VALUES (%lld, 'pc-3', 0, 0); "
                 "INSERT INTO suppressions(host_id, cpe, cve, reason, created) SELECT id, '%s', 'CVE-2025-0001', "
                 "'not installed', 0 FROM hosts WHERE name = 'pc-3';",
                 (long long)d[k]->agency, cpes[0]);
        raw_exec(d[k], sql);
    }
    f->now += 86400;
    h[1] = h[0];
    h[1].host = "pc-3";                           /* suppressed */
    h[2] = h[1];
    h[2].cve = "CVE-2025-0002";                   /* pc-3's new one */
    h[3] = h[0];
    h[3].host = "pc-2";
    h[4] = h[3];
    h[4].cve = "CVE-2025-0002";
    one_run(f, &f->a, h, 5, 0, &sa);
    one_run(f, &f->b, h, 5, 0, &sb);
    assert_memory_equal(&sa, &sb, sizeof sa);
    assert_int_equal(sa.new_findings, 3);
    assert_int_equal(sa.seen, 1);
    assert_int_equal(sa.suppressed, 1);
    compare(f);
    assert_int_equal(raw_int(&f->a, "SELECT count(*) FROM findings f JOIN hosts h ON h.id = f.host_id "
                                    "WHERE h.name = 'pc-3'"), 1);
    lf_id p2 = id_of(&f->a, "pc-2 CVE-2025-0002"), p3 = id_of(&f->a, "pc-3 CVE-2025-0002");
    assert_true(p2 < p3);
    assert_int_equal(id_of(&f->a, "pc-2 CVE-2025-0001") + 1, p2);
}

/* A database of schema 11 (sources inline in every finding) moves them to shared texts. */
static void sources_migration(void **state)
{
    fx *f = *state;
    db *d = &f->a;
    lf_store_hit h[3];
    two_hosts_two_cves(h);
    h[2].sources_json = NULL;
    lf_store_match_summary s = {0};
    one_run(f, d, h, 3, 0, &s);
    lf_store_close(d->s);
    d->s = NULL;
    /* back to schema 11 as an older build left it */
    raw_exec(d, "UPDATE findings SET sources = (SELECT json FROM finding_sources WHERE id = sources_id), "
                "sources_id = NULL; DROP INDEX finding_sources_hash; DROP TABLE finding_sources; "
                "ALTER TABLE findings DROP COLUMN sources_id; DELETE FROM schema_version WHERE version = 12;");
    assert_int_equal(raw_int(d, "SELECT count(*) FROM findings WHERE sources = '{\"same\":true}'"), 2);
    reopen(f, d);
    assert_int_equal(raw_int(d, "SELECT max(version) FROM schema_version"), lf_store_schema_latest());
    assert_int_equal(raw_int(d, "SELECT count(*) FROM findings WHERE sources IS NOT NULL"), 0);
    assert_int_equal(raw_int(d, "SELECT count(*) FROM finding_sources"), 1);
    assert_int_equal(raw_int(d, "SELECT count(*) FROM findings WHERE sources_id IS NULL"), 1);
    lf_arena a;
    lf_arena_init(&a, 0);
    const char *js = NULL;
    lf_err e;
    if (lf_store_finding_sources_get(d->s, 2, &a, &js, &e))
        fail_msg("sources: %s", e.msg);
    assert_non_null(js);
    assert_string_equal(js, "{\"same\":true}");
    lf_arena_clear(&a);
    /* a later run with the same text uses the migrated row */
    h[0].sources_json = h[1].sources_json;
    one_run(f, d, h, 3, 0, &s);
    assert_int_equal(raw_int(d, "SELECT count(*) FROM finding_sources"), 1);
}

/* A database of schema 17 (findings_open_high, findings_agency) gets open_cvss filled from
 * its findings, NULL CVSS and notice dates included, and loses the two indexes. */
static void open_cvss_migration(void **state)
{
    fx *f = *state;
    db *d = &f->a;
    lf_store_hit h[3];
    two_hosts_two_cves(h);
    h[1].cvss = 9.8;
    h[2].cvss = -1;           /* no score */
    h[2].notice_date = NULL;  /* no notice date */
    lf_store_match_summary s = {0};
    one_run(f, d, h, 3, 0, &s);
    assert_int_equal(s.new_findings, 3);
    lf_store_close(d->s);
    d->s = NULL;
    raw_exec(d, "DROP TRIGGER open_cvss_ins; DROP TRIGGER open_cvss_del; DROP TRIGGER open_cvss_upd; "
                "DROP TRIGGER open_cvss_zero; DROP TABLE open_cvss; "
                "CREATE INDEX findings_open_high ON findings(agency_id, cvss, notice_date) "
                "WHERE state IN ('open', 'measure_filed'); CREATE INDEX findings_agency ON findings(agency_id); "
                "DELETE FROM schema_version WHERE version = 18;");
    reopen(f, d);
    assert_int_equal(raw_int(d, "SELECT max(version) FROM schema_version"), lf_store_schema_latest());
    assert_int_equal(raw_int(d, "SELECT count(*) FROM sqlite_master WHERE name IN "
                                "('findings_open_high', 'findings_agency')"), 0);
    char *rows = dump(d, "SELECT cvss, notice, n FROM open_cvss ORDER BY 1, 2");
    assert_string_equal(rows, "-1.0|~|1\n5.0|2025-04-01|1\n9.8|2025-04-01|1\n");
    free(rows);
    /* and the triggers keep it: a finding risk-accepted leaves the open counts */
    raw_exec(d, "UPDATE findings SET state = 'risk_accepted' WHERE cvss = 9.8");
    rows = dump(d, "SELECT cvss, notice, n FROM open_cvss ORDER BY 1, 2");
    assert_string_equal(rows, "-1.0|~|1\n5.0|2025-04-01|1\n");
    free(rows);
}

static int count_of(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static int count_in(const db *d, const char *sql, const char *needle)
{
    char *v = dump(d, sql);
    int n = count_of(v, needle);
    free(v);
    return n;
}

/* A database of schema 18 (CHECK ... IN lists on findings.kind and state, which SQLite
 * builds into an ephemeral index again for every row written) gets equivalent comparisons
 * in place: the rows stay, the constraints refuse what they refused, and writing a finding
 * builds no ephemeral index. */
static void checks_migration(void **state)
{
    fx *f = *state;
    db *d = &f->a;
    lf_store_hit h[3];
    two_hosts_two_cves(h);
    lf_store_match_summary s = {0};
    one_run(f, d, h, 3, 0, &s);
    assert_int_equal(s.new_findings, 3);
    lf_store_close(d->s);
    d->s = NULL;
    const char *ins = "EXPLAIN INSERT INTO findings(host_id, agency_id, cve, cpe, kind, state, first_seen, "
                      "last_seen, updated) VALUES (1, 1, 'CVE-1', 'c', 'match', 'open', 0, 0, 0)";
    const char *tbl = "SELECT sql FROM sqlite_master WHERE name = 'findings'";
    assert_int_equal(count_in(d, ins, "OpenEphemeral"), 0);
    /* back to schema 18's text, byte for byte as schema 1 wrote it */
    char sql[2048];
    snprintf(sql, sizeof sql,
             "PRAGMA writable_schema = ON; UPDATE sqlite_master SET sql = replace(replace(sql, "
             "'kind = ''match'' OR kind = ''review'' OR kind = ''unanalysed''', "
             "'kind IN (''match'',''review'',''unanalysed'')'), "
             "'state = ''open'' OR state = ''measure_filed'' OR state = ''fixed'' OR state = ''risk_accepted'' "
             "OR state = ''false_positive''', "
             "'state IN (''open'',''measure_filed'',''fixed'',''risk_accepted'',"
             "                                       ''false_positive'')') WHERE name = 'findings'; "
             "PRAGMA schema_version = %lld; PRAGMA writable_schema = OFF; "
             "DELETE FROM schema_version WHERE version = 19;",
             (long long)raw_int(d, "PRAGMA schema_version") + 1);
    raw_exec(d, sql);
    assert_int_equal(count_in(d, tbl, " IN ("), 2);
    assert_int_equal(count_in(d, ins, "OpenEphemeral"), 2);   /* what schema 19 removes */
    reopen(f, d);
    assert_int_equal(raw_int(d, "SELECT max(version) FROM schema_version"), lf_store_schema_latest());
    assert_int_equal(raw_int(d, "SELECT count(*) FROM findings"), 3);
    assert_int_equal(count_in(d, tbl, " IN ("), 0);
    assert_int_equal(count_in(d, tbl, "kind = 'unanalysed')"), 1);
    assert_int_equal(count_in(d, tbl, "state = 'false_positive')"), 1);
    assert_int_equal(count_in(d, ins, "OpenEphemeral"), 0);
    assert_int_equal(count_in(d, "PRAGMA integrity_check", "ok"), 1);
    /* the constraints still hold */
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(d->path, &raw), SQLITE_OK);
    sqlite3_busy_timeout(raw, 5000);
    assert_int_equal(sqlite3_exec(raw, "UPDATE findings SET state = 'closed' WHERE id = 1", NULL, NULL, NULL),
                     SQLITE_CONSTRAINT);
    assert_int_equal(sqlite3_exec(raw, "UPDATE findings SET kind = 'guess' WHERE id = 1", NULL, NULL, NULL),
                     SQLITE_CONSTRAINT);
    assert_int_equal(sqlite3_exec(raw, "UPDATE findings SET kind = 'review' WHERE id = 1", NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(raw);
    /* and the store writes through the migrated table */
    h[0].cve = "CVE-2025-0999";
    one_run(f, d, h, 3, 0, &s);
    assert_int_equal(s.new_findings, 1);
}

/* A finding nothing has changed shows its creation with the finding's JSON as the trail's
 * other rows write it (lf_store_finding_json): a backslash and a control character in the
 * CPE are escaped the same way (SQLite's json_object writes \t where the C writer writes
 * \u0009). */
static void created_json(void **state)
{
    fx *f = *state;
    db *d = &f->a;
    lf_store_hit h[3];
    two_hosts_two_cves(h);
    h[0].cpe = "cpe:2.3:a:acme:to\tol\\!:2.0:*:*:*:*:*:*:*";
    lf_store_match_summary s = {0};
    one_run(f, d, h, 1, 0, &s);
    assert_int_equal(s.new_findings, 1);
    lf_id id = raw_int(d, "SELECT id FROM findings");
    lf_arena a;
    lf_arena_init(&a, 0);
    lf_store_finding fi;
    lf_store_audit *rows = NULL;
    size_t n = 0;
    lf_err e;
    if (lf_store_finding_get(d->s, id, &a, &fi, &e) ||
        lf_store_audit_list(d->s, d->agency, "finding", id, NULL, &a, &rows, &n, &e))
        fail_msg("finding %lld: %s", (long long)id, e.msg);
    assert_int_equal(n, 1);
    assert_string_equal(rows[0].action, "new");
    lf_buf want;
    lf_buf_init(&want, 0);
    assert_int_equal(lf_store_finding_json(&fi, &want), LF_OK);
    assert_non_null(rows[0].after_json);
    assert_string_equal(rows[0].after_json, want.data);
    assert_non_null(strstr(want.data, "to\\u0009ol\\\\!"));
    lf_buf_clear(&want);
    lf_arena_clear(&a);
}

/* The audit trail's finding JSON, byte for byte: keys in order, NULL as null, escapes as
 * lf_json_write_str writes them, integers in decimal (negative too). */
static void finding_json_text(void **state)
{
    (void)state;
    lf_store_finding fi;
    memset(&fi, 0, sizeof fi);
    fi.state = LF_FSTATE_RISK_ACCEPTED;
    fi.cpe = "cpe:2.3:a:acme:to\"ol:1:*:*:*:*:*:*:*";
    fi.risk_reason = "\xe9\x9a\x94\xe9\x9b\xa2\n";
    fi.risk_approver = "ciso";
    fi.risk_expiry = "2026-01-01";
    fi.notice_date = "2025-04-01";
    fi.fixed_at = -1743465600;
    fi.fixed_confirmed = true;
    fi.reopened = 4294967295u;
    lf_buf b;
    lf_buf_init(&b, 0);
    assert_int_equal(lf_store_finding_json(&fi, &b), LF_OK);
    assert_string_equal(b.data, "{\"state\":\"risk_accepted\",\"cpe\":\"cpe:2.3:a:acme:to\\\"ol:1:*:*:*:*:*:*:*\","
                                "\"measure\":null,\"measure_planned\":null,\"risk_reason\":\"\xe9\x9a\x94\xe9\x9b\xa2\\u000a\","
                                "\"risk_approver\":\"ciso\",\"risk_expiry\":\"2026-01-01\",\"fp_reason\":null,"
                                "\"notice_date\":\"2025-04-01\",\"due_date\":null,\"fixed_at\":-1743465600,"
                                "\"fixed_confirmed\":1,\"reopened\":4294967295}");
    lf_buf_reset(&b);
    fi.fixed_at = 0;
    fi.fixed_confirmed = false;
    fi.reopened = 0;
    assert_int_equal(lf_store_finding_json(&fi, &b), LF_OK);
    assert_non_null(strstr(b.data, "\"fixed_at\":0,\"fixed_confirmed\":0,\"reopened\":0}"));
    lf_buf_clear(&b);
}

/* Summary keys longer than fix_add's buffer go to the heap. A run's hits carry checked
 * dates, but a row edited with another tool may hold any text: the set-wise fix leaves
 * what the one-by-one path does. */
static void fix_long_keys(void **state)
{
    fx *f = *state;
    lf_store_hit h[3];
    two_hosts_two_cves(h);
    lf_store_match_summary sa = {0}, sb = {0};
    one_run(f, &f->a, h, 3, 0, &sa);
    one_run(f, &f->b, h, 3, 0, &sb);
    assert_int_equal(sa.new_findings, 3);
    char sql[1024];
    snprintf(sql, sizeof sql, "UPDATE findings SET due_date = '%0300d' WHERE cve = 'CVE-2025-0001'; "
                              "UPDATE findings SET notice_date = '%0200d' WHERE cve = 'CVE-2025-0002'", 7, 8);
    raw_exec(&f->a, sql);
    raw_exec(&f->b, sql);
    compare(f);
    f->now += 86400;
    uint64_t calls = fix_calls;
    memset(&sa, 0, sizeof sa);
    memset(&sb, 0, sizeof sb);
    one_run(f, &f->a, h, 0, 0, &sa);   /* nothing seen: all three fixed */
    one_run(f, &f->b, h, 0, 0, &sb);
    assert_int_equal(sa.fixed, 3);
    assert_memory_equal(&sa, &sb, sizeof sa);
    assert_int_equal(fix_calls, calls + 1);
    compare(f);
    assert_int_equal(raw_int(&f->a, "SELECT count(*) FROM host_open"), 0);
    assert_int_equal(raw_int(&f->a, "SELECT count(*) FROM open_cvss"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(differential, setup, teardown),
        cmocka_unit_test_setup_teardown(fresh_hosts, setup, teardown),
        cmocka_unit_test_setup_teardown(sources_shared, setup, teardown),
        cmocka_unit_test_setup_teardown(sources_after_rollback, setup, teardown),
        cmocka_unit_test_setup_teardown(sources_migration, setup, teardown),
        cmocka_unit_test_setup_teardown(open_cvss_migration, setup, teardown),
        cmocka_unit_test_setup_teardown(checks_migration, setup, teardown),
        cmocka_unit_test_setup_teardown(created_json, setup, teardown),
        cmocka_unit_test_setup_teardown(fix_long_keys, setup, teardown),
        cmocka_unit_test(finding_json_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
