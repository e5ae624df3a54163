/*
 * Tests for the fast refresh of a match run (src/store/: F_TOUCH before F_REFRESH): a hit
 * on a known finding that changes nothing indexed (cvss, severity, kev, kind) writes only
 * last_seen, last_run, the CPE and the unindexed scores and leaves `updated` alone; a hit
 * that changes one of them takes the full refresh, bumps `updated` and moves the
 * dashboard summaries (dash_open) with it. Also a scoped run (schema 9): ended on a list
 * of CVEs, it fixes only the listed CVEs' findings it did not hit. Checked on the raw rows
 * of a real database.
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

typedef struct fx {
    char dir[64];
    char path[128];
    int64_t now;
    lf_store *s;
    lf_id agency;
} fx;

static int64_t fake_clock(void *ud) { return ((fx *)ud)->now; }

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/lf-matchrun-test-XXXXXX");
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    snprintf(f->path, sizeof f->path, "%s/lianfang.db", f->dir);
    f->now = 1743465600;        /* 2025-04-01 00:00:00 UTC */
    lf_store_opts o = {0};
    o.clock = fake_clock;
    o.clock_ud = f;
    o.argon2_t_cost = 1;
    o.argon2_m_kib = 256;
    o.argon2_lanes = 1;
    lf_err e;
    if (lf_store_open_opts(f->path, &o, &f->s, &e))
        fail_msg("open %s: %s", f->path, e.msg);
    lf_arena a;
    lf_arena_init(&a, 0);
    lf_store_org tpe;
    if (lf_store_org_get_by_code(f->s, "TW-TPE", &a, &tpe, &e))
        fail_msg("county TPE: %s", e.msg);
    lf_store_org ag = {.parent_id = tpe.id, .kind = LF_ORG_AGENCY, .code = "A-1", .name_zh = "測試機關",
                       .name_en = "Test agency", .level = 'A'};
    if (lf_store_org_create(f->s, &ag, &f->agency, &e))
        fail_msg("agency: %s", e.msg);
    lf_arena_clear(&a);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    lf_store_close(f->s);
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

static int64_t raw_int(const fx *f, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

/* One full run of hits[0..n) in one transaction; the summary back. */
static lf_store_match_summary run(fx *f, const lf_store_hit *h, size_t n)
{
    lf_err e;
    lf_id r;
    lf_store_match_summary sum = {0};
    if (lf_store_begin(f->s, &e) || lf_store_match_begin(f->s, f->agency, 0, true, &r, &e) ||
        lf_store_match_add_batch(f->s, r, h, n, &e) || lf_store_match_end(f->s, r, &sum, &e) ||
        lf_store_commit(f->s, &e))
        fail_msg("run: %s", e.msg);
    return sum;
}

static lf_store_finding get(fx *f, lf_arena *a)
{
    lf_id id = raw_int(f, "SELECT id FROM findings WHERE cve = 'CVE-2024-0001'");
    assert_true(id > 0);
    lf_store_finding out = {0};
    lf_err e;
    if (lf_store_finding_get(f->s, id, a, &out, &e))
        fail_msg("get: %s", e.msg);
    return out;
}

static void refresh_paths(void **state)
{
    fx *f = *state;
    lf_arena a;
    lf_arena_init(&a, 0);
    lf_store_hit h = {"pc-1", "CVE-2024-0001", "cpe:2.3:a:acme:tool:1.0:*:*:*:*:*:*:*", LF_FKIND_MATCH, 5.0,
                      "3.1", "MEDIUM", false, NULL, 0.01, "2025-04-01", "2025-05-01", NULL};
    h.sources_json = "{\"v\":1}";
    lf_store_match_summary s1 = run(f, &h, 1);
    assert_int_equal(s1.new_findings, 1);
    /* the sources go in with the row */
    assert_int_equal(raw_int(f, "SELECT count(*) FROM findings f JOIN finding_sources j ON j.id = f.sources_id WHERE f.sources IS NULL AND j.json = '{\"v\":1}'"), 1);
    h.sources_json = NULL;
    int64_t t1 = f->now;
    assert_int_equal(get(f, &a).updated, t1);

    /* same scores, EPSS moved, the other CPE of the product: the fast path */
    f->now += 86400;
    h.epss = 0.25;
    h.cpe = "cpe:2.3:a:acme:tool:1.1:*:*:*:*:*:*:*";
    lf_store_match_summary s2 = run(f, &h, 1);
    assert_int_equal(s2.seen, 1);
    assert_int_equal(s2.new_findings, 0);
    lf_store_finding g2 = get(f, &a);
    assert_int_equal(g2.last_seen, f->now);
    assert_int_equal(g2.updated, t1);
    assert_true(g2.epss > 0.24 && g2.epss < 0.26);
    assert_string_equal(g2.cpe, h.cpe);
    assert_string_equal(g2.severity, "MEDIUM");
    assert_int_equal(g2.state, LF_FSTATE_OPEN);
    /* a hit without sources keeps the stored ones */
    assert_int_equal(raw_int(f, "SELECT count(*) FROM findings f JOIN finding_sources j ON j.id = f.sources_id WHERE f.sources IS NULL AND j.json = '{\"v\":1}'"), 1);
    /* a second item of the host hitting the same CVE in the same run keeps the first CPE */
    f->now += 86400;
    lf_store_hit two[2] = {h, h};
    two[1].cpe = "cpe:2.3:a:acme:tool_lite:1.1:*:*:*:*:*:*:*";
    lf_store_match_summary s3 = run(f, two, 2);
    assert_int_equal(s3.hits, 2);
    assert_int_equal(s3.seen, 1);
    assert_string_equal(get(f, &a).cpe, h.cpe);
    assert_int_equal(raw_int(f, "SELECT sum(n) FROM dash_open WHERE sev = 2"), 4);   /* agency..national */

    /* rescored CRITICAL and KEV-listed: the full refresh, the summaries follow */
    f->now += 86400;
    h.cvss = 9.8;
    h.severity = "CRITICAL";
    h.kev = true;
    h.kev_due = "2025-04-25";
    h.sources_json = "{\"v\":2}";
    lf_store_match_summary s4 = run(f, &h, 1);
    assert_int_equal(raw_int(f, "SELECT count(*) FROM findings f JOIN finding_sources j ON j.id = f.sources_id WHERE f.sources IS NULL AND j.json = '{\"v\":2}'"), 1);
    h.sources_json = NULL;
    assert_int_equal(s4.seen, 1);
    lf_store_finding g4 = get(f, &a);
    assert_int_equal(g4.updated, f->now);
    assert_int_equal(g4.last_seen, f->now);
    assert_string_equal(g4.severity, "CRITICAL");
    assert_true(g4.kev);
    assert_true(g4.cvss > 9.7 && g4.cvss < 9.9);
    assert_int_equal(raw_int(f, "SELECT count(*) FROM dash_open WHERE sev = 2"), 0);
    assert_int_equal(raw_int(f, "SELECT sum(n) FROM dash_open WHERE sev = 0 AND kev = 1"), 4);
    /* a change of kind alone is indexed by nothing but still a change: full refresh */
    f->now += 86400;
    h.kind = LF_FKIND_REVIEW;
    run(f, &h, 1);
    lf_store_finding g5 = get(f, &a);
    assert_int_equal(g5.kind, LF_FKIND_REVIEW);
    assert_int_equal(g5.updated, f->now);
    /* one audit row: the creation (its batch's row); refreshes are not state changes */
    assert_int_equal(raw_int(f, "SELECT count(*) FROM audit"), 1);
    assert_int_equal(raw_int(f, "SELECT count(*) FROM audit WHERE entity = 'findings' AND action = 'new'"), 1);
    lf_arena_clear(&a);
}

static const char *state_of(fx *f, const char *host, const char *cve)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT CASE f.state WHEN 'open' THEN 1 WHEN 'fixed' THEN 2 ELSE 3 END FROM findings f "
             "JOIN hosts h ON h.id = f.host_id WHERE h.name = '%s' AND f.cve = '%s'", host, cve);
    switch (raw_int(f, sql)) {
    case 1: return "open";
    case 2: return "fixed";
    case -1: return "none";
    default: return "other";
    }
}

/* A feed update changed CVE-B (no longer matches pc-1) and CVE-C (new, hits pc-2): the
 * scoped run hits only CVE-C; CVE-A (unchanged, not hit by the scoped run) stays open. */
static void scoped_run(void **state)
{
    fx *f = *state;
    lf_store_hit base = {"pc-1", "CVE-2024-000A", "cpe:2.3:a:acme:tool:1.0:*:*:*:*:*:*:*", LF_FKIND_MATCH, 7.5,
                         "3.1", "HIGH", false, NULL, -1, "2025-04-01", "2025-05-01", NULL};
    lf_store_hit h[3] = {base, base, base};
    h[1].cve = "CVE-2024-000B";
    h[2].host = "pc-2";
    lf_store_match_summary s1 = run(f, h, 3);
    assert_int_equal(s1.new_findings, 3);
    f->now += 86400;
    int64_t upd = raw_int(f, "SELECT updated FROM findings WHERE cve = 'CVE-2024-000A' AND "
                             "host_id = (SELECT id FROM hosts WHERE name = 'pc-1')");

    lf_err e;
    lf_id r;
    lf_store_hit c = base;
    c.cve = "CVE-2024-000C";
    c.host = "pc-2";
    const char *changed[] = {"CVE-2024-000B", "CVE-2024-000C"};
    lf_store_match_summary s2 = {0};
    /* a full run cannot end on a list */
    if (lf_store_match_begin(f->s, f->agency, 0, true, &r, &e))
        fail_msg("begin: %s", e.msg);
    assert_int_equal(lf_store_match_end_cves(f->s, r, changed, 2, &s2, &e), LF_EINVAL);
    /* the savepoint-less batch needs the caller's transaction */
    assert_int_equal(lf_store_match_add_batch_tx(f->s, r, &c, 1, &e), LF_EUSAGE);
    if (lf_store_begin(f->s, &e) || lf_store_match_begin(f->s, f->agency, 0, false, &r, &e) ||
        lf_store_match_add_batch_tx(f->s, r, &c, 1, &e) || lf_store_match_end_cves(f->s, r, changed, 2, &s2, &e) ||
        lf_store_commit(f->s, &e))
        fail_msg("scoped run: %s", e.msg);
    assert_int_equal(s2.hits, 1);
    assert_int_equal(s2.new_findings, 1);
    assert_int_equal(s2.fixed, 1);
    assert_string_equal(state_of(f, "pc-1", "CVE-2024-000A"), "open");
    assert_string_equal(state_of(f, "pc-2", "CVE-2024-000A"), "open");
    assert_string_equal(state_of(f, "pc-1", "CVE-2024-000B"), "fixed");
    assert_string_equal(state_of(f, "pc-2", "CVE-2024-000C"), "open");
    /* the unchanged CVE's finding was not written at all */
    assert_int_equal(raw_int(f, "SELECT updated FROM findings WHERE cve = 'CVE-2024-000A' AND "
                                "host_id = (SELECT id FROM hosts WHERE name = 'pc-1')"), upd);
    assert_int_equal(raw_int(f, "SELECT count(*) FROM audit WHERE action = 'fixed'"), 1);
    /* an empty list fixes nothing */
    lf_store_match_summary s3 = {0};
    if (lf_store_begin(f->s, &e) || lf_store_match_begin(f->s, f->agency, 0, false, &r, &e) ||
        lf_store_match_end_cves(f->s, r, NULL, 0, &s3, &e) || lf_store_commit(f->s, &e))
        fail_msg("empty scoped run: %s", e.msg);
    assert_int_equal(s3.fixed, 0);
    assert_string_equal(state_of(f, "pc-2", "CVE-2024-000C"), "open");
    /* the not-affected records of listed CVEs go, the others stay */
    lf_store_not_affected na[2] = {{.host = "pc-1", .cve = "CVE-2024-000A", .cpe = base.cpe, .source = "csaf"},
                                   {.host = "pc-1", .cve = "CVE-2024-000B", .cpe = base.cpe, .source = "csaf"}};
    if (lf_store_not_affected_add(f->s, f->agency, 0, na, 2, &e))
        fail_msg("not affected: %s", e.msg);
    if (lf_store_not_affected_clear_cves(f->s, f->agency, changed, 2, &e))
        fail_msg("clear: %s", e.msg);
    assert_int_equal(raw_int(f, "SELECT count(*) FROM not_affected WHERE cve = 'CVE-2024-000A'"), 1);
    assert_int_equal(raw_int(f, "SELECT count(*) FROM not_affected WHERE cve = 'CVE-2024-000B'"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(refresh_paths, setup, teardown),
        cmocka_unit_test_setup_teardown(scoped_run, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
