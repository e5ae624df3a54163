/*
 * Tests for src/store/ (store.c and the SQLite backend store_sqlite.c), on real SQLite files
 * in a fresh directory under /tmp that each test removes: migrations and seeding, every
 * entity's create/get/list, scope checks, argon2id passwords and login locking, sessions
 * and API tokens, the same-month snapshot replacement, the finding lifecycle (fixed by
 * absence, reopen, false-positive suppression) with its audit rows, the append-only audit
 * table, nested transactions, four threads at once, and a SIGKILL in the middle of an
 * upload.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/json.h"
#include "store/store.h"

/* ---- fixture: a fresh database with a fake clock and cheap argon2 --------------------- */

typedef struct fx {
    char dir[64];
    char path[128];
    int64_t now;
    lf_store *s;
    lf_arena a;
    lf_id national, r_tpe, r_nwt, c_tpe, c_hua, c_kee;
} fx;

static int64_t fake_clock(void *ud) { return ((fx *)ud)->now; }

static lf_store_opts fx_opts(fx *f)
{
    lf_store_opts o = {0};
    o.clock = fake_clock;
    o.clock_ud = f;
    o.argon2_t_cost = 1;        /* tests check behaviour, not cost */
    o.argon2_m_kib = 256;
    o.argon2_lanes = 1;
    return o;
}

static lf_id org_id(fx *f, const char *code)
{
    lf_store_org o;
    lf_err e;
    assert_int_equal(lf_store_org_get_by_code(f->s, code, &f->a, &o, &e), LF_OK);
    return o.id;
}

static void fx_open(fx *f)
{
    lf_store_opts o = fx_opts(f);
    lf_err e;
    int rc = lf_store_open_opts(f->path, &o, &f->s, &e);
    if (rc)
        fail_msg("open %s: %s", f->path, e.msg);
}

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/lf-store-test-XXXXXX");
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    snprintf(f->path, sizeof f->path, "%s/lianfang.db", f->dir);
    f->now = 1777593600;        /* 2026-05-01 00:00:00 UTC */
    lf_arena_init(&f->a, 0);
    fx_open(f);
    f->national = org_id(f, "TW");
    f->r_tpe = org_id(f, "R-TPE");
    f->r_nwt = org_id(f, "R-NWT");
    f->c_tpe = org_id(f, "TW-TPE");
    f->c_hua = org_id(f, "TW-HUA");
    f->c_kee = org_id(f, "TW-KEE");
    *state = f;
    return 0;
}

static void remove_db(const char *path)
{
    char p[160];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
}

static int teardown(void **state)
{
    fx *f = *state;
    lf_store_close(f->s);
    lf_arena_clear(&f->a);
    remove_db(f->path);
    char p[160];
    snprintf(p, sizeof p, "%s/junk.db", f->dir);
    unlink(p);
    rmdir(f->dir);
    free(f);
    return 0;
}

/* Raw SQL on the file, for what the interface deliberately does not expose. */
static sqlite3 *raw_open(fx *f)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    return db;
}

static int64_t raw_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static lf_id mk_agency(fx *f, lf_id parent, const char *code, char level)
{
    lf_store_org o = {.parent_id = parent, .kind = LF_ORG_AGENCY, .code = code, .name_zh = "測試機關",
                      .name_en = "Test agency", .level = level};
    lf_id id = 0;
    lf_err e;
    int rc = lf_store_org_create(f->s, &o, &id, &e);
    if (rc)
        fail_msg("agency %s: %s", code, e.msg);
    return id;
}

static lf_id mk_user(fx *f, const char *login, lf_role role, lf_id org)
{
    lf_store_user u = {.login = login, .display_name = "王小明", .email = "wang@example.gov.tw", .role = role,
                       .org_id = org};
    lf_id id = 0;
    lf_err e;
    int rc = lf_store_user_create(f->s, &u, &id, &e);
    if (rc)
        fail_msg("user %s: %s", login, e.msg);
    return id;
}

/* ---- migrations and seed -------------------------------------------------------------- */

/* A fresh file gets the schema and exactly 1 national + 6 regions + 22 counties, each
 * county under the region the brief names. */
static void test_store_seed(void **state)
{
    fx *f = *state;
    lf_err e;
    int v = 0;
    assert_int_equal(lf_store_schema_version(f->s, &v, &e), LF_OK);
    assert_int_equal(v, lf_store_schema_latest());
    assert_string_equal(lf_store_backend_name(f->s), "sqlite");

    lf_store_org *regions;
    size_t nr;
    assert_int_equal(lf_store_org_children(f->s, f->national, NULL, &f->a, &regions, &nr, &e), LF_OK);
    assert_int_equal(nr, 6);
    static const struct {
        const char *code;
        size_t counties;
    } want[] = {{"R-TPE", 4}, {"R-NWT", 3}, {"R-TAO", 4}, {"R-TXG", 3}, {"R-TNN", 4}, {"R-KHH", 4}};
    size_t total = 0;
    for (size_t i = 0; i < nr; i++) {
        assert_string_equal(regions[i].code, want[i].code);
        assert_int_equal(regions[i].kind, LF_ORG_REGION);
        lf_store_org *cs;
        size_t nc;
        assert_int_equal(lf_store_org_children(f->s, regions[i].id, NULL, &f->a, &cs, &nc, &e), LF_OK);
        assert_int_equal(nc, want[i].counties);
        for (size_t j = 0; j < nc; j++)
            assert_int_equal(cs[j].kind, LF_ORG_COUNTY);
        total += nc;
    }
    assert_int_equal(total, 22);

    lf_store_org o;
    assert_int_equal(lf_store_org_get_by_code(f->s, "TW-HUA", &f->a, &o, &e), LF_OK);
    assert_string_equal(o.name_zh, "花蓮縣");
    assert_string_equal(o.name_en, "Hualien County");
    assert_int_equal(o.parent_id, f->r_tpe);
    assert_int_equal(lf_store_org_get_by_code(f->s, "TW-PEN", &f->a, &o, &e), LF_OK);
    assert_int_equal(o.parent_id, org_id(f, "R-KHH"));
    assert_int_equal(lf_store_org_get_by_code(f->s, "TW-HSZ", &f->a, &o, &e), LF_OK);
    assert_string_equal(o.name_zh, "新竹市");
    assert_int_equal(o.parent_id, org_id(f, "R-TAO"));

    /* the hub city belongs to its own region */
    lf_store_org *chain;
    size_t nch;
    assert_int_equal(lf_store_org_ancestors(f->s, f->c_tpe, &f->a, &chain, &nch, &e), LF_OK);
    assert_int_equal(nch, 3);
    assert_string_equal(chain[0].code, "TW");
    assert_string_equal(chain[1].code, "R-TPE");
    assert_string_equal(chain[2].code, "TW-TPE");
}

/* Reopening applies nothing and seeds nothing again. */
static void test_store_reopen_no_reseed(void **state)
{
    fx *f = *state;
    lf_store_close(f->s);
    f->s = NULL;
    fx_open(f);
    lf_store_close(f->s);
    f->s = NULL;
    fx_open(f);
    sqlite3 *db = raw_open(f);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM orgs"), 29);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM orgs WHERE kind = 'county'"), 22);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM schema_version"), lf_store_schema_latest());
    /* the closure table: every org is its own ancestor, counties have 3 ancestors */
    assert_int_equal(raw_int(db, "SELECT count(*) FROM org_tree"), 1 + 6 * 2 + 22 * 3);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    sqlite3_close(db);
}

/* A database written by a newer build (higher schema_version) is refused, untouched. */
static void test_store_newer_schema_refused(void **state)
{
    fx *f = *state;
    lf_store_close(f->s);
    f->s = NULL;
    sqlite3 *db = raw_open(f);
    char sql[160];
    snprintf(sql, sizeof sql, "INSERT INTO schema_version VALUES (%d, 0, 'from the future')",
             lf_store_schema_latest() + 1);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);

    lf_store_opts o = fx_opts(f);
    lf_err e;
    lf_store *s = NULL;
    assert_int_equal(lf_store_open_opts(f->path, &o, &s, &e), LF_ECORRUPT);
    assert_null(s);
    assert_non_null(strstr(e.msg, "newer than this build"));
    char v[16];
    snprintf(v, sizeof v, "%d", lf_store_schema_latest() + 1);
    assert_non_null(strstr(e.msg, v));

    db = raw_open(f);
    assert_int_equal(raw_int(db, "SELECT max(version) FROM schema_version"), lf_store_schema_latest() + 1);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM orgs"), 29);
    sqlite3_close(db);
}

/* URLs: sqlite: prefixes and bare paths open; PostgreSQL and unknown schemes are named
 * and refused; ':memory:' is refused; a file that is not a database is LF_ECORRUPT. */
static void test_store_urls(void **state)
{
    fx *f = *state;
    lf_err e;
    lf_store *s = NULL;
    assert_int_equal(lf_store_open("postgres://lf@db/lianfang", &s, &e), LF_EFORMAT);
    assert_non_null(strstr(e.msg, "no PostgreSQL backend"));
    assert_int_equal(lf_store_open("postgresql://db/x", &s, &e), LF_EFORMAT);
    assert_int_equal(lf_store_open("mysql://db/x", &s, &e), LF_EFORMAT);
    assert_non_null(strstr(e.msg, "mysql"));
    assert_int_equal(lf_store_open("sqlite::memory:", &s, &e), LF_EINVAL);
    assert_int_equal(lf_store_open("", &s, &e), LF_EINVAL);
    assert_null(s);

    char url[200];
    lf_store_opts o = fx_opts(f);
    snprintf(url, sizeof url, "sqlite:%s", f->path);
    assert_int_equal(lf_store_open_opts(url, &o, &s, &e), LF_OK);
    lf_store_close(s);
    snprintf(url, sizeof url, "sqlite://%s", f->path);
    assert_int_equal(lf_store_open_opts(url, &o, &s, &e), LF_OK);
    lf_store_close(s);

    char junk[160];
    snprintf(junk, sizeof junk, "%s/junk.db", f->dir);
    FILE *fp = fopen(junk, "wb");
    assert_non_null(fp);
    for (int i = 0; i < 4096; i++)
        fputc("not a database "[i % 15], fp);
    fclose(fp);
    s = NULL;
    assert_int_equal(lf_store_open_opts(junk, &o, &s, &e), LF_ECORRUPT);
    assert_null(s);
}

/* ---- organisations and scope ------------------------------------------------------------ */

/* Agencies: created under counties with a level and contacts; the hierarchy rules hold;
 * lists are recursive and paged; "is X inside Y" follows the tree. */
static void test_store_orgs_scope(void **state)
{
    fx *f = *state;
    lf_err e;
    const char *mails[] = {"it@taipei.gov.tw", "soc@taipei.gov.tw"};
    lf_store_org in = {.parent_id = f->c_tpe, .kind = LF_ORG_AGENCY, .code = "A-TPE-HR",
                       .name_zh = "臺北市大安區戶政事務所", .name_en = "Da'an Household Registration Office",
                       .level = 'C', .emails = mails, .nemails = 2};
    lf_id a1 = 0;
    assert_int_equal(lf_store_org_create(f->s, &in, &a1, &e), LF_OK);
    lf_store_org o;
    assert_int_equal(lf_store_org_get(f->s, a1, &f->a, &o, &e), LF_OK);
    assert_int_equal(o.kind, LF_ORG_AGENCY);
    assert_int_equal(o.level, 'C');
    assert_int_equal(o.nemails, 2);
    assert_string_equal(o.emails[1], "soc@taipei.gov.tw");
    assert_string_equal(o.name_zh, "臺北市大安區戶政事務所");
    assert_int_equal(o.created, f->now);

    /* contacts replaced */
    const char *one[] = {"new@taipei.gov.tw"};
    assert_int_equal(lf_store_org_set_contacts(f->s, a1, one, 1, &e), LF_OK);
    assert_int_equal(lf_store_org_get(f->s, a1, &f->a, &o, &e), LF_OK);
    assert_int_equal(o.nemails, 1);
    assert_string_equal(o.emails[0], "new@taipei.gov.tw");
    const char *bad_mail[] = {"not-an-address"};
    assert_int_equal(lf_store_org_set_contacts(f->s, a1, bad_mail, 1, &e), LF_EINVAL);

    /* rules */
    assert_int_equal(lf_store_org_create(f->s, &in, NULL, &e), LF_EEXIST);
    assert_non_null(strstr(e.msg, "A-TPE-HR"));
    lf_store_org bad = in;
    bad.code = "A-X";
    bad.nemails = 0;
    bad.parent_id = a1;
    assert_int_equal(lf_store_org_create(f->s, &bad, NULL, &e), LF_EINVAL);
    assert_non_null(strstr(e.msg, "under a agency"));
    bad.parent_id = f->c_tpe;
    bad.level = 0;
    assert_int_equal(lf_store_org_create(f->s, &bad, NULL, &e), LF_EINVAL);
    bad.level = 'D';
    assert_int_equal(lf_store_org_create(f->s, &bad, NULL, &e), LF_EINVAL);
    lf_store_org reg = {.parent_id = f->c_tpe, .kind = LF_ORG_REGION, .code = "R-X", .name_zh = "x", .name_en = "x"};
    assert_int_equal(lf_store_org_create(f->s, &reg, NULL, &e), LF_EINVAL);
    bad.level = 'A';
    bad.parent_id = 999999;
    assert_int_equal(lf_store_org_create(f->s, &bad, NULL, &e), LF_ENOTFOUND);
    /* a central agency directly under the national level is allowed */
    bad.parent_id = f->national;
    bad.code = "A-CENTRAL";
    assert_int_equal(lf_store_org_create(f->s, &bad, NULL, &e), LF_OK);

    lf_id a2 = mk_agency(f, f->c_hua, "A-HUA-1", 'B');
    lf_id a3 = mk_agency(f, f->c_kee, "A-KEE-1", 'A');

    bool in_scope;
    assert_int_equal(lf_store_org_within(f->s, a1, f->r_tpe, &in_scope, &e), LF_OK);
    assert_true(in_scope);
    assert_int_equal(lf_store_org_within(f->s, a2, f->r_tpe, &in_scope, &e), LF_OK);
    assert_true(in_scope);      /* Hualien is in the Taipei region */
    assert_int_equal(lf_store_org_within(f->s, a3, f->r_tpe, &in_scope, &e), LF_OK);
    assert_false(in_scope);     /* Keelung is in the New Taipei region */
    assert_int_equal(lf_store_org_within(f->s, a3, f->national, &in_scope, &e), LF_OK);
    assert_true(in_scope);
    assert_int_equal(lf_store_org_within(f->s, a1, a1, &in_scope, &e), LF_OK);
    assert_true(in_scope);
    assert_int_equal(lf_store_org_within(f->s, f->r_tpe, a1, &in_scope, &e), LF_OK);
    assert_false(in_scope);     /* not upwards */
    assert_int_equal(lf_store_org_within(f->s, a1, f->c_hua, &in_scope, &e), LF_OK);
    assert_false(in_scope);     /* not sideways */

    lf_store_org *ag;
    size_t n;
    assert_int_equal(lf_store_org_agencies(f->s, f->r_tpe, NULL, &f->a, &ag, &n, &e), LF_OK);
    assert_int_equal(n, 2);
    assert_int_equal(ag[0].id, a1);
    assert_int_equal(ag[1].id, a2);
    assert_int_equal(lf_store_org_agencies(f->s, f->national, NULL, &f->a, &ag, &n, &e), LF_OK);
    assert_int_equal(n, 4);
    assert_int_equal(lf_store_org_agencies(f->s, a3, NULL, &f->a, &ag, &n, &e), LF_OK);
    assert_int_equal(n, 1);

    lf_store_org *chain;
    assert_int_equal(lf_store_org_ancestors(f->s, a2, &f->a, &chain, &n, &e), LF_OK);
    assert_int_equal(n, 4);
    assert_string_equal(chain[1].code, "R-TPE");
    assert_string_equal(chain[2].code, "TW-HUA");
    assert_int_equal(chain[3].id, a2);
    assert_int_equal(lf_store_org_ancestors(f->s, 424242, &f->a, &chain, &n, &e), LF_ENOTFOUND);

    /* paging: 5 agencies in one county, pages of 2 */
    for (int i = 0; i < 5; i++) {
        char code[32];
        snprintf(code, sizeof code, "A-PG-%d", i);
        mk_agency(f, f->c_kee, code, 'C');
    }
    lf_store_page pg = {.limit = 2};
    size_t seen = 0;
    int pages = 0;
    do {
        assert_int_equal(lf_store_org_children(f->s, f->c_kee, &pg, &f->a, &ag, &n, &e), LF_OK);
        seen += n;
        pages++;
        if (n)
            assert_true(ag[0].id > pg.after);
        pg.after = pg.next;
    } while (pg.more);
    assert_int_equal(seen, 6);
    assert_int_equal(pages, 3);
}

/* ---- users and passwords ----------------------------------------------------------------- */

/* Roles are tied to org levels; logins are unique without case; argon2id hashes differ
 * for the same password; wrong passwords fail; five failures lock; disabled accounts are
 * told apart only with the right password. */
static void test_store_users_passwords(void **state)
{
    fx *f = *state;
    lf_err e;
    lf_id ag = mk_agency(f, f->c_tpe, "A-1", 'B');
    lf_id u1 = mk_user(f, "officer1", LF_ROLE_AGENCY_OFFICER, ag);
    lf_id u2 = mk_user(f, "analyst", LF_ROLE_REGION_ANALYST, f->r_tpe);
    mk_user(f, "viewer", LF_ROLE_READ_ONLY, f->c_hua);
    mk_user(f, "admin", LF_ROLE_NATIONAL_ADMIN, f->national);

    lf_store_user u = {.login = "x", .display_name = "x", .email = "x@y.tw", .role = LF_ROLE_COUNTY_OFFICER,
                       .org_id = ag};
    assert_int_equal(lf_store_user_create(f->s, &u, NULL, &e), LF_EINVAL);
    assert_non_null(strstr(e.msg, "county_officer"));
    u.login = "OFFICER1";
    u.org_id = f->c_tpe;
    assert_int_equal(lf_store_user_create(f->s, &u, NULL, &e), LF_EEXIST);
    u.login = "has space";
    assert_int_equal(lf_store_user_create(f->s, &u, NULL, &e), LF_EINVAL);

    lf_store_user got;
    assert_int_equal(lf_store_user_get_by_login(f->s, "Officer1", &f->a, &got, &e), LF_OK);
    assert_int_equal(got.id, u1);
    assert_int_equal(got.role, LF_ROLE_AGENCY_OFFICER);
    assert_false(got.has_password);
    assert_string_equal(got.display_name, "王小明");

    lf_store_user *list;
    size_t n;
    assert_int_equal(lf_store_user_list(f->s, f->r_tpe, NULL, &f->a, &list, &n, &e), LF_OK);
    assert_int_equal(n, 3);     /* officer1 (agency in TPE), analyst, viewer (Hualien) */
    assert_int_equal(lf_store_user_list(f->s, ag, NULL, &f->a, &list, &n, &e), LF_OK);
    assert_int_equal(n, 1);

    assert_int_equal(lf_store_user_set_password(f->s, u1, "correct horse 電池", &e), LF_OK);
    assert_int_equal(lf_store_user_set_password(f->s, u2, "correct horse 電池", &e), LF_OK);
    assert_int_equal(lf_store_user_set_password(f->s, u1, "", &e), LF_EINVAL);
    sqlite3 *db = raw_open(f);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT password_hash FROM users WHERE id IN (?1, ?2) ORDER BY id",
                                        -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_int64(st, 1, u1);
    sqlite3_bind_int64(st, 2, u2);
    char h1[200], h2[200];
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    snprintf(h1, sizeof h1, "%s", sqlite3_column_text(st, 0));
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    snprintf(h2, sizeof h2, "%s", sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    assert_true(strncmp(h1, "$argon2id$", 10) == 0);
    assert_string_not_equal(h1, h2);            /* fresh salt each time */
    assert_null(strstr(h1, "horse"));

    lf_auth_result r;
    assert_int_equal(lf_store_user_check_password(f->s, "officer1", "correct horse 電池", &r, &f->a, &got, &e),
                     LF_OK);
    assert_int_equal(r, LF_AUTH_OK);
    assert_int_equal(got.id, u1);
    assert_int_equal(got.last_login, f->now);
    assert_int_equal(lf_store_user_check_password(f->s, "officer1", "correct horse", &r, &f->a, NULL, &e), LF_OK);
    assert_int_equal(r, LF_AUTH_BAD);
    assert_int_equal(lf_store_user_check_password(f->s, "nobody", "correct horse 電池", &r, &f->a, NULL, &e), LF_OK);
    assert_int_equal(r, LF_AUTH_BAD);
    assert_int_equal(lf_store_user_check_password(f->s, "viewer", "anything", &r, &f->a, NULL, &e), LF_OK);
    assert_int_equal(r, LF_AUTH_BAD);           /* no password set */

    /* one failure so far; four more lock the account */
    for (int i = 0; i < 4; i++) {
        assert_int_equal(lf_store_user_check_password(f->s, "officer1", "guess", &r, &f->a, NULL, &e), LF_OK);
        assert_int_equal(r, LF_AUTH_BAD);
    }
    assert_int_equal(lf_store_user_check_password(f->s, "officer1", "correct horse 電池", &r, &f->a, &got, &e),
                     LF_OK);
    assert_int_equal(r, LF_AUTH_LOCKED);
    assert_int_equal(got.locked_until, f->now + 900);
    f->now += 901;
    assert_int_equal(lf_store_user_check_password(f->s, "officer1", "correct horse 電池", &r, &f->a, &got, &e),
                     LF_OK);
    assert_int_equal(r, LF_AUTH_OK);
    assert_int_equal(got.failed_logins, 0);

    /* a success resets the counter: four failures do not lock */
    for (int i = 0; i < 4; i++)
        assert_int_equal(lf_store_user_check_password(f->s, "officer1", "guess", &r, &f->a, NULL, &e), LF_OK);
    assert_int_equal(lf_store_user_check_password(f->s, "officer1", "correct horse 電池", &r, &f->a, NULL, &e),
                     LF_OK);
    assert_int_equal(r, LF_AUTH_OK);

    /* disabled */
    assert_int_equal(lf_store_user_get(f->s, u1, &f->a, &got, &e), LF_OK);
    got.disabled = true;
    assert_int_equal(lf_store_user_update(f->s, &got, &e), LF_OK);
    assert_int_equal(lf_store_user_check_password(f->s, "officer1", "correct horse 電池", &r, &f->a, NULL, &e),
                     LF_OK);
    assert_int_equal(r, LF_AUTH_DISABLED);
    assert_int_equal(lf_store_user_check_password(f->s, "officer1", "wrong", &r, &f->a, NULL, &e), LF_OK);
    assert_int_equal(r, LF_AUTH_BAD);

    /* update checks the role again */
    got.disabled = false;
    got.role = LF_ROLE_NATIONAL_ADMIN;
    assert_int_equal(lf_store_user_update(f->s, &got, &e), LF_EINVAL);
    got.role = LF_ROLE_COUNTY_OFFICER;
    got.org_id = f->c_hua;
    assert_int_equal(lf_store_user_update(f->s, &got, &e), LF_OK);
    assert_int_equal(lf_store_user_get(f->s, u1, &f->a, &got, &e), LF_OK);
    assert_int_equal(got.org_id, f->c_hua);
    assert_false(got.disabled);
    assert_int_equal(lf_store_user_get(f->s, 987654, &f->a, &got, &e), LF_ENOTFOUND);
}

/* SHA-256 of tokens against the FIPS 180-4 example vectors (and block-boundary lengths). */
static void test_store_token_hash_vectors(void **state)
{
    (void)state;
    static const struct {
        const char *msg;
        const char *hex;
    } v[] = {
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
        {"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
        {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",   /* 55: padding fits */
         "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
        {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",  /* 56: one more block */
         "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
        {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
         "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
    };
    char out[LF_STORE_TOKEN_SIZE];
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        lf_store_token_hash(v[i].msg, strlen(v[i].msg), out);
        assert_string_equal(out, v[i].hex);
    }
    char *million = malloc(1000000);
    assert_non_null(million);
    memset(million, 'a', 1000000);
    lf_store_token_hash(million, 1000000, out);
    free(million);
    assert_string_equal(out, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* ---- sessions and API tokens ---------------------------------------------------------------- */

/* Sessions: random token and CSRF token, only the token's SHA-256 stored; expiry by the
 * clock; sliding touch; purge; logout; a new password or a disabled user ends them. */
static void test_store_sessions(void **state)
{
    fx *f = *state;
    lf_err e;
    lf_id ag = mk_agency(f, f->c_tpe, "A-1", 'A');
    lf_id u = mk_user(f, "u", LF_ROLE_AGENCY_OFFICER, ag);
    char tok[LF_STORE_TOKEN_SIZE], tok2[LF_STORE_TOKEN_SIZE];
    lf_store_session ses, got;
    assert_int_equal(lf_store_session_create(f->s, u, 3600, tok, &ses, &e), LF_OK);
    assert_int_equal(strlen(tok), 64);
    assert_int_equal(strspn(tok, "0123456789abcdef"), 64);
    assert_int_equal(strlen(ses.csrf), 64);
    assert_string_not_equal(tok, ses.csrf);
    assert_int_equal(ses.expires, f->now + 3600);
    assert_int_equal(lf_store_session_create(f->s, u, 3600, tok2, NULL, &e), LF_OK);
    assert_string_not_equal(tok, tok2);
    char tok3[LF_STORE_TOKEN_SIZE];
    int rc = lf_store_session_create(f->s, 777777, 3600, tok3, NULL, &e);
    if (rc != LF_ENOTFOUND)
        fail_msg("session for a missing user: %d %s", rc, e.msg);
    assert_string_equal(tok3, "");

    sqlite3 *db = raw_open(f);
    char sql[256], hash[LF_STORE_TOKEN_SIZE];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM sessions WHERE token_hash = '%s'", tok);
    assert_int_equal(raw_int(db, sql), 0);
    lf_store_token_hash(tok, strlen(tok), hash);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM sessions WHERE token_hash = '%s'", hash);
    assert_int_equal(raw_int(db, sql), 1);
    sqlite3_close(db);

    assert_int_equal(lf_store_session_get(f->s, tok, &got, &e), LF_OK);
    assert_int_equal(got.user_id, u);
    assert_string_equal(got.csrf, ses.csrf);
    char wrong[LF_STORE_TOKEN_SIZE];
    memcpy(wrong, tok, sizeof wrong);
    wrong[0] = wrong[0] == 'a' ? 'b' : 'a';
    assert_int_equal(lf_store_session_get(f->s, wrong, &got, &e), LF_ENOTFOUND);
    assert_int_equal(lf_store_session_get(f->s, "short", &got, &e), LF_EINVAL);

    f->now += 3000;
    assert_int_equal(lf_store_session_touch(f->s, tok, 3600, &e), LF_OK);
    f->now += 3000;                             /* past the first expiry, within the slid one */
    assert_int_equal(lf_store_session_get(f->s, tok, &got, &e), LF_OK);
    assert_int_equal(got.last_seen, f->now - 3000);
    assert_int_equal(lf_store_session_get(f->s, tok2, &got, &e), LF_ENOTFOUND);   /* expired */
    assert_int_equal(lf_store_session_touch(f->s, tok2, 3600, &e), LF_ENOTFOUND); /* no revival */
    size_t removed = 0;
    assert_int_equal(lf_store_session_purge(f->s, &removed, &e), LF_OK);
    assert_int_equal(removed, 1);

    assert_int_equal(lf_store_session_delete(f->s, tok, &e), LF_OK);
    assert_int_equal(lf_store_session_get(f->s, tok, &got, &e), LF_ENOTFOUND);

    assert_int_equal(lf_store_session_create(f->s, u, 3600, tok, NULL, &e), LF_OK);
    assert_int_equal(lf_store_user_set_password(f->s, u, "new password", &e), LF_OK);
    assert_int_equal(lf_store_session_get(f->s, tok, &got, &e), LF_ENOTFOUND);

    assert_int_equal(lf_store_session_create(f->s, u, 3600, tok, NULL, &e), LF_OK);
    lf_store_user usr;
    assert_int_equal(lf_store_user_get(f->s, u, &f->a, &usr, &e), LF_OK);
    usr.disabled = true;
    assert_int_equal(lf_store_user_update(f->s, &usr, &e), LF_OK);
    assert_int_equal(lf_store_session_get(f->s, tok, &got, &e), LF_ENOTFOUND);
}

/* API tokens: shown once, stored hashed, authenticate with last_used, revocable, listed
 * by scope. */
static void test_store_apitokens(void **state)
{
    fx *f = *state;
    lf_err e;
    lf_id ag = mk_agency(f, f->c_tpe, "A-1", 'A');
    lf_id ag2 = mk_agency(f, f->c_kee, "A-2", 'B');
    lf_id u = mk_user(f, "u", LF_ROLE_AGENCY_OFFICER, ag);
    char sec[LF_STORE_SECRET_SIZE], sec2[LF_STORE_SECRET_SIZE];
    lf_id t1, t2;
    assert_int_equal(lf_store_apitoken_create(f->s, "nightly export", ag, u, sec, &t1, &e), LF_OK);
    assert_int_equal(lf_store_apitoken_create(f->s, "keelung", ag2, 0, sec2, &t2, &e), LF_OK);
    assert_int_equal(strlen(sec), 68);
    assert_true(strncmp(sec, "lft_", 4) == 0);

    f->now += 60;
    lf_store_apitoken t;
    assert_int_equal(lf_store_apitoken_check(f->s, sec, &f->a, &t, &e), LF_OK);
    assert_int_equal(t.id, t1);
    assert_int_equal(t.org_id, ag);
    assert_string_equal(t.name, "nightly export");
    assert_int_equal(t.last_used, f->now);
    char bad[LF_STORE_SECRET_SIZE];
    memcpy(bad, sec, sizeof bad);
    bad[10] = bad[10] == '0' ? '1' : '0';
    assert_int_equal(lf_store_apitoken_check(f->s, bad, &f->a, &t, &e), LF_ENOTFOUND);
    assert_int_equal(lf_store_apitoken_check(f->s, "lft_", &f->a, &t, &e), LF_ENOTFOUND);

    lf_store_apitoken *list;
    size_t n;
    assert_int_equal(lf_store_apitoken_list(f->s, f->r_tpe, NULL, &f->a, &list, &n, &e), LF_OK);
    assert_int_equal(n, 1);
    assert_int_equal(list[0].last_used, f->now);
    assert_int_equal(lf_store_apitoken_list(f->s, f->national, NULL, &f->a, &list, &n, &e), LF_OK);
    assert_int_equal(n, 2);

    assert_int_equal(lf_store_apitoken_revoke(f->s, t1, &e), LF_OK);
    assert_int_equal(lf_store_apitoken_check(f->s, sec, &f->a, &t, &e), LF_ENOTFOUND);
    assert_int_equal(lf_store_apitoken_check(f->s, sec2, &f->a, &t, &e), LF_OK);
    assert_int_equal(lf_store_apitoken_revoke(f->s, 99999, &e), LF_ENOTFOUND);
}

/* ---- uploads and snapshots --------------------------------------------------------------- */

static lf_id upload(fx *f, lf_id agency, lf_id user, const char *month, const char *file, const lf_store_item *it,
                    size_t n, bool publish)
{
    lf_err e;
    lf_store_upload up = {.agency_id = agency, .uploaded_by = user, .file_name = file, .encoding = "big5",
                          .format = "csv"};
    snprintf(up.month, sizeof up.month, "%s", month);
    lf_id id = 0;
    assert_int_equal(lf_store_begin(f->s, &e), LF_OK);
    assert_int_equal(lf_store_upload_create(f->s, &up, &id, &e), LF_OK);
    assert_int_equal(lf_store_items_add(f->s, id, it, n, &e), LF_OK);
    if (publish) {
        lf_store_counts c = {.records = n + 1, .resolved = n, .unresolved = 0, .rejected = 1};
        char rep[64];
        snprintf(rep, sizeof rep, "{\"file\":\"%s\"}", file);
        assert_int_equal(lf_store_upload_publish(f->s, id, &c, rep, &e), LF_OK);
    }
    assert_int_equal(lf_store_commit(f->s, &e), LF_OK);
    return id;
}

static int count_item(void *ud, const lf_store_item *it)
{
    size_t *n = ud;
    if (!it->host || !it->bucket)
        return -100;
    (*n)++;
    return 0;
}

/* Uploading again in the same month replaces the snapshot; the old row, counts and report
 * stay as history (superseded, items dropped); other months are untouched; pending
 * uploads never show as snapshots; hosts follow the items. */
static void test_store_upload_replace(void **state)
{
    fx *f = *state;
    lf_err e;
    lf_id ag = mk_agency(f, f->c_tpe, "A-1", 'A');
    lf_id u = mk_user(f, "u", LF_ROLE_AGENCY_OFFICER, ag);
    lf_store_item a[] = {
        {.host = "pc-01", .ip = "10.0.0.1", .os = "Windows 10", .name = "7-Zip", .version = "23.01",
         .vendor = "Igor Pavlov", .cpe = "cpe:2.3:a:7-zip:7-zip:23.01:*:*:*:*:*:*:*", .bucket = "resolved",
         .confidence = "high", .line = 2},
        {.host = "pc-01", .name = "小工具", .bucket = "unresolved", .line = 3},
        {.host = "pc-02", .name = "Chrome", .version = "120.0", .bucket = "resolved", .line = 4},
    };
    lf_id up1 = upload(f, ag, u, "2026-05", "may.csv", a, 3, true);
    lf_store_upload snap;
    assert_int_equal(lf_store_upload_snapshot(f->s, ag, "2026-05", &f->a, &snap, &e), LF_OK);
    assert_int_equal(snap.id, up1);
    assert_int_equal(snap.status, LF_UPLOAD_CURRENT);
    assert_int_equal(snap.items, 3);
    assert_int_equal(snap.counts.rejected, 1);
    assert_string_equal(snap.encoding, "big5");
    assert_string_equal(snap.report_json, "{\"file\":\"may.csv\"}");

    lf_store_item *items;
    size_t n;
    assert_int_equal(lf_store_items_list(f->s, up1, NULL, &f->a, &items, &n, &e), LF_OK);
    assert_int_equal(n, 3);
    assert_string_equal(items[1].name, "小工具");
    assert_null(items[1].cpe);
    assert_int_equal(items[2].line, 4);
    assert_string_equal(items[0].cpe, "cpe:2.3:a:7-zip:7-zip:23.01:*:*:*:*:*:*:*");

    lf_store_host *hosts;
    assert_int_equal(lf_store_host_list(f->s, ag, NULL, &f->a, &hosts, &n, &e), LF_OK);
    assert_int_equal(n, 2);
    assert_string_equal(hosts[0].name, "pc-01");
    assert_string_equal(hosts[0].ip, "10.0.0.1");
    assert_int_equal(hosts[0].first_seen, f->now);

    /* same month again, a day later */
    f->now += 86400;
    lf_store_item b[] = {{.host = "pc-01", .name = "7-Zip", .version = "24.08", .bucket = "resolved"},
                         {.host = "pc-03", .name = "LINE", .bucket = "resolved"}};
    lf_id up2 = upload(f, ag, u, "2026-05", "may-fixed.csv", b, 2, true);
    assert_int_equal(lf_store_upload_snapshot(f->s, ag, "2026-05", &f->a, &snap, &e), LF_OK);
    assert_int_equal(snap.id, up2);
    assert_int_equal(snap.items, 2);
    lf_store_upload old;
    assert_int_equal(lf_store_upload_get(f->s, up1, &f->a, &old, &e), LF_OK);
    assert_int_equal(old.status, LF_UPLOAD_SUPERSEDED);
    assert_int_equal(old.superseded_by, up2);
    assert_int_equal(old.items, 0);
    assert_int_equal(old.counts.resolved, 3);
    assert_string_equal(old.report_json, "{\"file\":\"may.csv\"}");
    assert_int_equal(lf_store_items_list(f->s, up1, NULL, &f->a, &items, &n, &e), LF_OK);
    assert_int_equal(n, 0);
    size_t cnt = 0;
    assert_int_equal(lf_store_items_each(f->s, up2, count_item, &cnt, &e), LF_OK);
    assert_int_equal(cnt, 2);

    assert_int_equal(lf_store_host_list(f->s, ag, NULL, &f->a, &hosts, &n, &e), LF_OK);
    assert_int_equal(n, 3);
    lf_store_host h;
    assert_int_equal(lf_store_host_get_by_name(f->s, ag, "pc-01", &f->a, &h, &e), LF_OK);
    assert_int_equal(h.last_seen, f->now);
    assert_int_equal(h.first_seen, f->now - 86400);
    assert_string_equal(h.ip, "10.0.0.1");     /* kept: the new upload named no IP */

    /* another month is its own snapshot; a pending upload is not one */
    lf_id up3 = upload(f, ag, u, "2026-06", "june.csv", b, 1, true);
    lf_id up4 = upload(f, ag, u, "2026-06", "june-again.csv", a, 3, false);
    assert_int_equal(lf_store_upload_snapshot(f->s, ag, "2026-06", &f->a, &snap, &e), LF_OK);
    assert_int_equal(snap.id, up3);
    assert_int_equal(lf_store_upload_snapshot(f->s, ag, "2026-05", &f->a, &snap, &e), LF_OK);
    assert_int_equal(snap.id, up2);
    assert_int_equal(lf_store_upload_snapshot(f->s, ag, "2026-07", &f->a, &snap, &e), LF_ENOTFOUND);

    lf_store_upload *ups;
    assert_int_equal(lf_store_upload_list(f->s, f->r_tpe, "2026-05", NULL, &f->a, &ups, &n, &e), LF_OK);
    assert_int_equal(n, 2);
    assert_int_equal(ups[0].status, LF_UPLOAD_SUPERSEDED);
    assert_int_equal(ups[1].status, LF_UPLOAD_CURRENT);
    assert_int_equal(lf_store_upload_list(f->s, ag, NULL, NULL, &f->a, &ups, &n, &e), LF_OK);
    assert_int_equal(n, 4);
    assert_int_equal(ups[3].id, up4);
    assert_int_equal(ups[3].status, LF_UPLOAD_PENDING);
    for (size_t i = 0; i < n; i++)
        assert_null(ups[i].report_json);   /* the history leaves the reports out */
    assert_int_equal(lf_store_upload_list(f->s, f->r_nwt, NULL, NULL, &f->a, &ups, &n, &e), LF_OK);
    assert_int_equal(n, 0);

    /* publishing twice, bad months, uploads for non-agencies */
    assert_int_equal(lf_store_upload_publish(f->s, up3, NULL, NULL, &e), LF_EINVAL);
    assert_non_null(strstr(e.msg, "already current"));
    lf_store_upload bad = {.agency_id = ag, .uploaded_by = u, .file_name = "x.csv"};
    snprintf(bad.month, sizeof bad.month, "2026-13");
    assert_int_equal(lf_store_upload_create(f->s, &bad, NULL, &e), LF_EINVAL);
    snprintf(bad.month, sizeof bad.month, "2026-07");
    bad.agency_id = f->c_tpe;
    assert_int_equal(lf_store_upload_create(f->s, &bad, NULL, &e), LF_EINVAL);
    assert_non_null(strstr(e.msg, "not an agency"));
    bad.agency_id = ag;
    bad.uploaded_by = 0;
    assert_int_equal(lf_store_upload_create(f->s, &bad, NULL, &e), LF_EINVAL);
    lf_store_item noh = {.name = "x", .bucket = "resolved"};
    assert_int_equal(lf_store_items_add(f->s, up4, &noh, 1, &e), LF_EINVAL);
    lf_store_item ok = {.host = "x", .bucket = "resolved"};
    assert_int_equal(lf_store_items_add(f->s, 123456, &ok, 1, &e), LF_ENOTFOUND);
    assert_int_equal(lf_store_items_add(f->s, up3, &ok, 1, &e), LF_EINVAL);       /* published */
    assert_int_equal(lf_store_items_add(f->s, up1, &ok, 1, &e), LF_EINVAL);       /* superseded */
    assert_non_null(strstr(e.msg, "superseded"));
    assert_int_equal(lf_store_items_add(f->s, up4, &ok, 1, &e), LF_OK);           /* pending */

    /* a row the database refuses is named by its line, in a 32-row statement or alone */
    sqlite3 *db = raw_open(f);
    char *msg = NULL;
    assert_int_equal(sqlite3_exec(db, "CREATE TRIGGER t_refuse BEFORE INSERT ON items WHEN NEW.line IN (40, 105) "
                                      "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END",
                                  NULL, NULL, &msg), SQLITE_OK);
    lf_store_item many[110];
    for (size_t i = 0; i < 110; i++)
        many[i] = (lf_store_item){.host = "x", .bucket = "resolved", .line = (long)i + 1};
    assert_int_equal(lf_store_begin(f->s, &e), LF_OK);
    assert_int_not_equal(lf_store_items_add(f->s, up4, many, 100, &e), LF_OK);
    assert_non_null(strstr(e.msg, "refused by the test"));
    assert_non_null(strstr(e.msg, "line 40"));
    assert_int_equal(e.line, 40);
    lf_store_rollback(f->s);
    assert_int_equal(lf_store_begin(f->s, &e), LF_OK);
    assert_int_not_equal(lf_store_items_add(f->s, up4, many + 100, 10, &e), LF_OK);   /* lines 101..110 */
    assert_non_null(strstr(e.msg, "line 105"));
    lf_store_rollback(f->s);
    assert_int_equal(lf_store_begin(f->s, &e), LF_OK);
    assert_int_equal(lf_store_items_add(f->s, up4, many + 40, 64, &e), LF_OK);        /* lines 41..104 */
    assert_int_equal(lf_store_commit(f->s, &e), LF_OK);
    assert_int_equal(sqlite3_exec(db, "DROP TRIGGER t_refuse", NULL, NULL, &msg), SQLITE_OK);
    sqlite3_close(db);
}

/* ---- findings ------------------------------------------------------------------------------ */

static lf_store_hit hit(const char *host, const char *cve, const char *cpe, double cvss)
{
    lf_store_hit h = {.host = host, .cve = cve, .cpe = cpe, .kind = LF_FKIND_MATCH, .cvss = cvss,
                      .cvss_version = "3.1", .severity = cvss >= 9 ? "CRITICAL" : "HIGH", .epss = -1};
    return h;
}

static lf_store_match_summary run(fx *f, lf_id agency, bool full, const lf_store_hit *h, size_t n)
{
    lf_err e;
    lf_id r;
    lf_store_match_summary sum;
    assert_int_equal(lf_store_begin(f->s, &e), LF_OK);
    assert_int_equal(lf_store_match_begin(f->s, agency, 0, full, &r, &e), LF_OK);
    for (size_t i = 0; i < n; i++) {
        int rc = lf_store_match_add(f->s, r, &h[i], &e);
        if (rc)
            fail_msg("hit %zu: %s", i, e.msg);
    }
    assert_int_equal(lf_store_match_end(f->s, r, &sum, &e), LF_OK);
    assert_int_equal(lf_store_commit(f->s, &e), LF_OK);
    return sum;
}

static lf_store_finding find(fx *f, lf_id agency, const char *host, const char *cve)
{
    lf_err e;
    lf_store_host h;
    assert_int_equal(lf_store_host_get_by_name(f->s, agency, host, &f->a, &h, &e), LF_OK);
    lf_store_ffilter flt = {.scope = agency, .host_id = h.id, .cve = cve};
    lf_store_finding *out;
    size_t n;
    assert_int_equal(lf_store_finding_list(f->s, &flt, NULL, &f->a, &out, &n, &e), LF_OK);
    assert_int_equal(n, 1);
    return out[0];
}

/* The audit actions of one finding, in order, "new,fixed,reopen". */
static void audit_actions(fx *f, lf_id finding, char *out, size_t cap)
{
    lf_err e;
    lf_store_audit *rows;
    size_t n;
    assert_int_equal(lf_store_audit_list(f->s, f->national, "finding", finding, NULL, &f->a, &rows, &n, &e), LF_OK);
    out[0] = '\0';
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(out + len, len < cap ? cap - len : 0, "%s%s", i ? "," : "", rows[i].action);
}

/* A match run's hits become findings; a full run fixes what it no longer sees; a fixed
 * finding that comes back is reopened; partial runs fix nothing; every change is one audit
 * row with before/after JSON. */
static void test_store_findings_lifecycle(void **state)
{
    fx *f = *state;
    lf_err e;
    lf_id ag = mk_agency(f, f->c_tpe, "A-1", 'B');
    const char *cpe_a = "cpe:2.3:a:7-zip:7-zip:23.01:*:*:*:*:*:*:*";
    const char *cpe_b = "cpe:2.3:a:google:chrome:120.0:*:*:*:*:*:*:*";
    lf_store_hit h1[] = {hit("pc-01", "CVE-2024-0001", cpe_a, 7.8), hit("pc-01", "CVE-2024-0002", cpe_b, 9.8),
                         hit("pc-02", "CVE-2024-0001", cpe_a, 7.8),
                         /* a second item on the same host and CVE is the same finding */
                         hit("pc-02", "CVE-2024-0001", "cpe:2.3:a:7-zip:7-zip:22.00:*:*:*:*:*:*:*", 7.8)};
    h1[1].kev = true;
    h1[1].kev_due = "2026-05-20";
    h1[1].epss = 0.97;
    lf_store_match_summary s = run(f, ag, true, h1, 4);
    assert_int_equal(s.hits, 4);
    assert_int_equal(s.new_findings, 3);
    assert_int_equal(s.fixed, 0);
    lf_store_finding x = find(f, ag, "pc-01", "CVE-2024-0002");
    assert_int_equal(x.state, LF_FSTATE_OPEN);
    assert_true(x.kev);
    assert_string_equal(x.kev_due, "2026-05-20");
    assert_true(x.epss > 0.96 && x.epss < 0.98);
    assert_true(x.cvss > 9.7 && x.cvss < 9.9);
    assert_string_equal(x.host, "pc-01");
    assert_int_equal(x.first_seen, f->now);
    lf_store_finding y = find(f, ag, "pc-02", "CVE-2024-0001");
    assert_true(y.epss < 0);
    assert_string_equal(y.cpe, cpe_a);

    /* next month the Chrome CVE is gone: fixed and confirmed */
    f->now += 30 * 86400;
    lf_store_hit h2[] = {h1[0], h1[2]};
    s = run(f, ag, true, h2, 2);
    assert_int_equal(s.seen, 2);
    assert_int_equal(s.fixed, 1);
    x = find(f, ag, "pc-01", "CVE-2024-0002");
    assert_int_equal(x.state, LF_FSTATE_FIXED);
    assert_true(x.fixed_confirmed);
    assert_int_equal(x.fixed_at, f->now);
    assert_int_equal(x.last_seen, f->now - 30 * 86400);

    /* a partial run (feed sync) without it changes nothing */
    lf_store_hit h3[] = {hit("pc-02", "CVE-2025-9999", cpe_a, 5.0)};
    s = run(f, ag, false, h3, 1);
    assert_int_equal(s.new_findings, 1);
    assert_int_equal(s.fixed, 0);
    y = find(f, ag, "pc-02", "CVE-2024-0001");
    assert_int_equal(y.state, LF_FSTATE_OPEN);

    /* it comes back: reopened */
    f->now += 30 * 86400;
    lf_store_hit h4[] = {h1[0], h1[1], h1[2], h3[0]};
    s = run(f, ag, true, h4, 4);
    assert_int_equal(s.reopened, 1);
    assert_int_equal(s.seen, 3);
    x = find(f, ag, "pc-01", "CVE-2024-0002");
    assert_int_equal(x.state, LF_FSTATE_OPEN);
    assert_int_equal(x.reopened, 1);
    assert_int_equal(x.fixed_at, 0);
    assert_false(x.fixed_confirmed);

    char acts[256];
    audit_actions(f, x.id, acts, sizeof acts);
    assert_string_equal(acts, "new,fixed,reopen");
    lf_store_audit *rows;
    size_t n;
    assert_int_equal(lf_store_audit_list(f->s, ag, "finding", x.id, NULL, &f->a, &rows, &n, &e), LF_OK);
    assert_int_equal(n, 3);
    assert_null(rows[0].before_json);
    assert_string_equal(rows[1].actor, "system");
    assert_int_equal(rows[1].at, f->now - 30 * 86400);
    lf_json *before, *after;
    assert_int_equal(lf_json_parse(&f->a, rows[1].before_json, strlen(rows[1].before_json), NULL, &before, &e), LF_OK);
    assert_int_equal(lf_json_parse(&f->a, rows[1].after_json, strlen(rows[1].after_json), NULL, &after, &e), LF_OK);
    assert_string_equal(lf_json_get_str(before, "state"), "open");
    assert_string_equal(lf_json_get_str(after, "state"), "fixed");
    assert_true(lf_json_num(lf_json_get(after, "fixed_confirmed"), 0) == 1);
    /* out of scope: another region sees none of it */
    assert_int_equal(lf_store_audit_list(f->s, f->r_nwt, "finding", x.id, NULL, &f->a, &rows, &n, &e), LF_OK);
    assert_int_equal(n, 0);
}

static void run_batch(fx *f, lf_id agency, bool full, const lf_store_hit *h, size_t n);

/* A finding scored again more severely (KEV-listed since, rescored) takes the earlier
 * deadline its hit brings, audited "deadline"; a later or absent one never loosens it;
 * fixed and risk-accepted findings keep theirs. */
static void test_store_findings_deadline_tightened(void **state)
{
    fx *f = *state;
    lf_id ag = mk_agency(f, f->c_tpe, "DL-1", 'B');
    const char *cpe = "cpe:2.3:a:7-zip:7-zip:23.01:*:*:*:*:*:*:*";
    lf_store_hit h = hit("pc-01", "CVE-2024-0101", cpe, 5.3);
    h.severity = "MEDIUM";
    h.notice_date = "2026-03-02";
    lf_store_hit g = hit("pc-01", "CVE-2024-0102", cpe, 7.5);
    g.notice_date = "2026-03-02";
    g.due_date = "2026-04-02";
    lf_store_hit both[] = {h, g};
    run(f, ag, true, both, 2);
    lf_store_finding x = find(f, ag, "pc-01", "CVE-2024-0101");
    assert_null(x.due_date);
    assert_string_equal(find(f, ag, "pc-01", "CVE-2024-0102").due_date, "2026-04-02");

    /* the same scores a month later: nothing changes, whatever date the hit brings */
    f->now += 30 * 86400;
    g.due_date = "2026-05-01";
    lf_store_hit same[] = {h, g};
    run(f, ag, true, same, 2);
    assert_string_equal(find(f, ag, "pc-01", "CVE-2024-0102").due_date, "2026-04-02");

    /* the medium one is KEV-listed now, the high one rescored (still high): the first
     * gets the critical deadline from today, the second keeps its earlier one */
    h.kev = true;
    h.kev_due = "2026-04-20";
    h.due_date = "2026-04-07";
    g.cvss = 8.1;
    g.due_date = "2026-05-01";
    lf_store_hit changed[] = {h, g};
    run(f, ag, true, changed, 2);
    x = find(f, ag, "pc-01", "CVE-2024-0101");
    assert_true(x.kev);
    assert_string_equal(x.due_date, "2026-04-07");
    assert_string_equal(x.notice_date, "2026-03-02");
    lf_store_finding y = find(f, ag, "pc-01", "CVE-2024-0102");
    assert_string_equal(y.due_date, "2026-04-02");
    assert_true(y.cvss > 8.0 && y.cvss < 8.2);
    /* rescored down: no deadline from the new score, the given one stays */
    g.cvss = 5.0;
    g.severity = "MEDIUM";
    g.due_date = NULL;
    lf_store_hit lower[] = {h, g};
    run(f, ag, true, lower, 2);
    y = find(f, ag, "pc-01", "CVE-2024-0102");
    assert_string_equal(y.due_date, "2026-04-02");
    assert_true(y.cvss < 5.1);
    char acts[256];
    audit_actions(f, x.id, acts, sizeof acts);
    assert_string_equal(acts, "new,deadline");
    audit_actions(f, y.id, acts, sizeof acts);
    assert_string_equal(acts, "new");

    /* an accepted risk is not put back on a clock by a rescoring */
    lf_err e;
    lf_store_fchange ch = {.to = LF_FSTATE_RISK_ACCEPTED, .risk_reason = "isolated", .risk_approver = "CISO",
                           .risk_expiry = "2026-06-30"};
    assert_int_equal(lf_store_finding_transition(f->s, y.id, &ch, NULL, &e), LF_OK);
    g.cvss = 9.8;
    g.severity = "CRITICAL";
    g.due_date = "2026-04-05";
    lf_store_hit again[] = {h, g};
    run(f, ag, true, again, 2);
    y = find(f, ag, "pc-01", "CVE-2024-0102");
    assert_int_equal(y.state, LF_FSTATE_RISK_ACCEPTED);
    assert_string_equal(y.due_date, "2026-04-02");
    assert_true(y.cvss > 9.7);

    /* the acceptance runs out: not before its day is over, then open again with the due
     * date given, the risk fields gone, audited by the system */
    bool expired = true;
    assert_int_equal(lf_store_finding_risk_expire(f->s, y.id, "2026-06-30", "2026-07-06", &expired, &e), LF_OK);
    assert_false(expired);
    assert_int_equal(find(f, ag, "pc-01", "CVE-2024-0102").state, LF_FSTATE_RISK_ACCEPTED);
    assert_int_equal(lf_store_finding_risk_expire(f->s, y.id, "2026-07-01", "2026-07-07", &expired, &e), LF_OK);
    assert_true(expired);
    y = find(f, ag, "pc-01", "CVE-2024-0102");
    assert_int_equal(y.state, LF_FSTATE_OPEN);
    assert_string_equal(y.due_date, "2026-07-07");
    assert_null(y.risk_expiry);
    assert_null(y.risk_reason);
    audit_actions(f, y.id, acts, sizeof acts);
    assert_string_equal(acts, "new,transition,risk_expired");
    /* a second call changes nothing; an open finding is not "expired" */
    assert_int_equal(lf_store_finding_risk_expire(f->s, y.id, "2026-07-02", "2026-07-08", &expired, &e), LF_OK);
    assert_false(expired);
    assert_string_equal(find(f, ag, "pc-01", "CVE-2024-0102").due_date, "2026-07-07");
    assert_int_equal(lf_store_finding_risk_expire(f->s, y.id, "2026-7-2", NULL, &expired, &e), LF_EINVAL);

    /* the server's path: batches (the bulk statements first, the general path for the
     * changed), two items of the host on the CVE, the second scored as the first */
    lf_id ag2 = mk_agency(f, f->c_tpe, "DL-2", 'B');
    lf_store_hit b = hit("pc-09", "CVE-2024-0103", cpe, 5.3);
    b.severity = "MEDIUM";
    b.notice_date = "2026-03-02";
    lf_store_hit b2 = b;
    b2.cpe = "cpe:2.3:a:7-zip:7-zip:22.00:*:*:*:*:*:*:*";
    lf_store_hit first[] = {b, b2};
    assert_int_equal(lf_store_begin(f->s, &e), LF_OK);
    run_batch(f, ag2, true, first, 2);
    assert_int_equal(lf_store_commit(f->s, &e), LF_OK);
    assert_null(find(f, ag2, "pc-09", "CVE-2024-0103").due_date);
    b.kev = b2.kev = true;
    b.kev_due = b2.kev_due = "2026-08-01";
    b.due_date = b2.due_date = "2026-07-07";
    lf_store_hit kev[] = {b, b2};
    assert_int_equal(lf_store_begin(f->s, &e), LF_OK);
    run_batch(f, ag2, true, kev, 2);
    assert_int_equal(lf_store_commit(f->s, &e), LF_OK);
    lf_store_finding z = find(f, ag2, "pc-09", "CVE-2024-0103");
    assert_string_equal(z.due_date, "2026-07-07");
    assert_true(z.kev);
    audit_actions(f, z.id, acts, sizeof acts);
    assert_string_equal(acts, "new,deadline");
}

/* People's changes: measure filed (text and date required), fixed by hand (confirmed by
 * the next full run, reopened if still there), risk accepted, forbidden transitions. */
static void test_store_findings_transitions(void **state)
{
    fx *f = *state;
    lf_err e;
    lf_id ag = mk_agency(f, f->c_tpe, "A-1", 'B');
    lf_id u = mk_user(f, "officer", LF_ROLE_AGENCY_OFFICER, ag);
    lf_store_actor who = {u, "officer"};
    const char *cpe = "cpe:2.3:a:x:y:1:*:*:*:*:*:*:*";
    lf_store_hit h[] = {hit("h1", "CVE-2024-1000", cpe, 8.1), hit("h1", "CVE-2024-1001", cpe, 7.0),
                        hit("h1", "CVE-2024-1002", cpe, 9.0)};
    run(f, ag, true, h, 3);
    lf_store_finding a = find(f, ag, "h1", "CVE-2024-1000");
    lf_store_finding b = find(f, ag, "h1", "CVE-2024-1001");
    lf_store_finding c = find(f, ag, "h1", "CVE-2024-1002");

    lf_store_fchange ch = {.to = LF_FSTATE_MEASURE_FILED, .measure = "升級至 24.08 版"};
    assert_int_equal(lf_store_finding_transition(f->s, a.id, &ch, &who, &e), LF_EINVAL);
    ch.measure_planned = "2026-02-30";
    assert_int_equal(lf_store_finding_transition(f->s, a.id, &ch, &who, &e), LF_EINVAL);
    ch.measure_planned = "2026-05-15";
    assert_int_equal(lf_store_finding_transition(f->s, a.id, &ch, &who, &e), LF_OK);
    a = find(f, ag, "h1", "CVE-2024-1000");
    assert_int_equal(a.state, LF_FSTATE_MEASURE_FILED);
    assert_string_equal(a.measure, "升級至 24.08 版");
    assert_string_equal(a.measure_planned, "2026-05-15");

    lf_store_fchange fix = {.to = LF_FSTATE_FIXED};
    assert_int_equal(lf_store_finding_transition(f->s, a.id, &fix, &who, &e), LF_OK);
    assert_int_equal(lf_store_finding_transition(f->s, b.id, &fix, &who, &e), LF_OK);
    a = find(f, ag, "h1", "CVE-2024-1000");
    assert_int_equal(a.state, LF_FSTATE_FIXED);
    assert_false(a.fixed_confirmed);
    assert_string_equal(a.measure, "升級至 24.08 版");   /* kept */
    /* fixed -> measure_filed is not a transition */
    assert_int_equal(lf_store_finding_transition(f->s, a.id, &ch, &who, &e), LF_EINVAL);
    assert_non_null(strstr(e.msg, "cannot go from fixed to measure_filed"));

    lf_store_fchange risk = {.to = LF_FSTATE_RISK_ACCEPTED, .risk_reason = "isolated host",
                             .risk_approver = "資安長", .risk_expiry = "2026-12-31"};
    assert_int_equal(lf_store_finding_transition(f->s, c.id, &risk, &who, &e), LF_OK);
    c = find(f, ag, "h1", "CVE-2024-1002");
    assert_int_equal(c.state, LF_FSTATE_RISK_ACCEPTED);
    assert_string_equal(c.risk_approver, "資安長");
    risk.risk_expiry = NULL;
    assert_int_equal(lf_store_finding_transition(f->s, b.id, &risk, &who, &e), LF_EINVAL);

    /* next full run: a (CVE-1000) really is gone -> confirmed; b (CVE-1001) is still
     * there -> reopened; c (risk accepted) is still there -> unchanged */
    f->now += 86400;
    lf_store_hit h2[] = {h[1], h[2]};
    lf_store_match_summary s = run(f, ag, true, h2, 2);
    assert_int_equal(s.confirmed, 1);
    assert_int_equal(s.reopened, 1);
    assert_int_equal(s.fixed, 0);
    a = find(f, ag, "h1", "CVE-2024-1000");
    assert_int_equal(a.state, LF_FSTATE_FIXED);
    assert_true(a.fixed_confirmed);
    assert_int_equal(a.fixed_at, f->now - 86400);      /* when the officer said so */
    b = find(f, ag, "h1", "CVE-2024-1001");
    assert_int_equal(b.state, LF_FSTATE_OPEN);
    assert_int_equal(b.reopened, 1);
    c = find(f, ag, "h1", "CVE-2024-1002");
    assert_int_equal(c.state, LF_FSTATE_RISK_ACCEPTED);

    /* the officer's rows carry the officer */
    lf_store_audit *rows;
    size_t n;
    assert_int_equal(lf_store_audit_list(f->s, ag, "finding", a.id, NULL, &f->a, &rows, &n, &e), LF_OK);
    assert_int_equal(n, 4);     /* new, measure_filed, fixed (by hand), confirm */
    assert_string_equal(rows[1].action, "transition");
    assert_int_equal(rows[1].user_id, u);
    assert_string_equal(rows[1].actor, "officer");
    assert_string_equal(rows[3].action, "confirm");

    /* risk accepted, then the software goes away: fixed */
    lf_store_hit h3[] = {h[1]};
    s = run(f, ag, true, h3, 1);
    assert_int_equal(s.fixed, 1);
    c = find(f, ag, "h1", "CVE-2024-1002");
    assert_int_equal(c.state, LF_FSTATE_FIXED);
    assert_null(c.risk_reason);

    /* notice dates are recorded and audited */
    assert_int_equal(lf_store_finding_set_notice(f->s, b.id, "2026-05-02", "2026-06-01", NULL, &e), LF_OK);
    b = find(f, ag, "h1", "CVE-2024-1001");
    assert_string_equal(b.due_date, "2026-06-01");
    char acts[256];
    audit_actions(f, b.id, acts, sizeof acts);
    assert_string_equal(acts, "new,transition,reopen,notice");
    assert_int_equal(lf_store_finding_set_notice(f->s, b.id, "2026/05/02", NULL, NULL, &e), LF_EINVAL);
}

/* False positives: the (host, cpe, cve) is suppressed in later runs (not reopened, not
 * fixed by absence); the same CVE through another CPE reopens it; reopening by hand lifts
 * the suppression. */
static void test_store_findings_false_positive(void **state)
{
    fx *f = *state;
    lf_err e;
    lf_id ag = mk_agency(f, f->c_tpe, "A-1", 'B');
    const char *cpe = "cpe:2.3:a:x:y:1:*:*:*:*:*:*:*";
    const char *cpe2 = "cpe:2.3:a:x:y:2:*:*:*:*:*:*:*";
    lf_store_hit h[] = {hit("h1", "CVE-2024-2000", cpe, 8.1), hit("h2", "CVE-2024-2000", cpe, 8.1)};
    run(f, ag, true, h, 2);
    lf_store_finding x = find(f, ag, "h1", "CVE-2024-2000");
    lf_store_fchange fp = {.to = LF_FSTATE_FALSE_POSITIVE};
    assert_int_equal(lf_store_finding_transition(f->s, x.id, &fp, NULL, &e), LF_EINVAL);   /* reason */
    fp.fp_reason = "the vulnerable module is not installed";
    assert_int_equal(lf_store_finding_transition(f->s, x.id, &fp, NULL, &e), LF_OK);

    lf_store_match_summary s = run(f, ag, true, h, 2);
    assert_int_equal(s.suppressed, 1);
    assert_int_equal(s.seen, 1);
    assert_int_equal(s.reopened, 0);
    x = find(f, ag, "h1", "CVE-2024-2000");
    assert_int_equal(x.state, LF_FSTATE_FALSE_POSITIVE);
    /* absent from a full run: a false positive stays one */
    s = run(f, ag, true, &h[1], 1);
    assert_int_equal(s.fixed, 0);
    x = find(f, ag, "h1", "CVE-2024-2000");
    assert_int_equal(x.state, LF_FSTATE_FALSE_POSITIVE);
    /* another host is not suppressed */
    lf_store_finding y = find(f, ag, "h2", "CVE-2024-2000");
    assert_int_equal(y.state, LF_FSTATE_OPEN);

    /* the same CVE through a different CPE is a new judgement */
    lf_store_hit other = hit("h1", "CVE-2024-2000", cpe2, 8.1);
    s = run(f, ag, false, &other, 1);
    assert_int_equal(s.reopened, 1);
    x = find(f, ag, "h1", "CVE-2024-2000");
    assert_int_equal(x.state, LF_FSTATE_OPEN);
    assert_string_equal(x.cpe, cpe2);

    /* judged again, then reopened by hand: the suppression goes with it */
    assert_int_equal(lf_store_finding_transition(f->s, x.id, &fp, NULL, &e), LF_OK);
    s = run(f, ag, false, &other, 1);
    assert_int_equal(s.suppressed, 1);
    sqlite3 *db = raw_open(f);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM suppressions"), 2);   /* cpe and cpe2 */
    lf_store_fchange reopen = {.to = LF_FSTATE_OPEN};
    assert_int_equal(lf_store_finding_transition(f->s, x.id, &reopen, NULL, &e), LF_OK);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM suppressions"), 0);
    sqlite3_close(db);
    assert_int_equal(lf_store_finding_transition(f->s, x.id, &reopen, NULL, &e), LF_EINVAL);  /* open->open */
    s = run(f, ag, false, &other, 1);
    assert_int_equal(s.suppressed, 0);
    assert_int_equal(s.seen, 1);
    x = find(f, ag, "h1", "CVE-2024-2000");
    assert_int_equal(x.state, LF_FSTATE_OPEN);
    assert_null(x.fp_reason);
}

/* A batch of hits is all or nothing; hosts are created as the hits name them; an ended
 * run takes no more hits. */
static void test_store_match_batch(void **state)
{
    fx *f = *state;
    lf_err e;
    lf_id ag = mk_agency(f, f->c_tpe, "A-1", 'B');
    const char *cpe = "cpe:2.3:a:x:y:1:*:*:*:*:*:*:*";
    lf_store_hit h[] = {hit("h1", "CVE-1", cpe, 9.8), hit("h1", "CVE-2", cpe, 5.0), hit("h2", "CVE-1", cpe, 7.5),
                        hit("h1", "CVE-3", cpe, 7.5)};
    lf_id r;
    assert_int_equal(lf_store_match_begin(f->s, ag, 0, true, &r, &e), LF_OK);
    h[2].kev_due = "2026-13-01";
    assert_int_equal(lf_store_match_add_batch(f->s, r, h, 4, &e), LF_EINVAL);
    h[2].kev_due = NULL;
    h[2].cve = "";
    assert_int_equal(lf_store_match_add_batch(f->s, r, h, 4, &e), LF_EINVAL);
    lf_store_host hst;
    assert_int_equal(lf_store_host_get_by_name(f->s, ag, "h1", &f->a, &hst, &e), LF_ENOTFOUND);
    h[2].cve = "CVE-1";
    assert_int_equal(lf_store_match_add_batch(f->s, r, h, 4, &e), LF_OK);
    lf_store_match_summary s;
    assert_int_equal(lf_store_match_end(f->s, r, &s, &e), LF_OK);
    assert_int_equal(s.hits, 4);
    assert_int_equal(s.new_findings, 4);
    assert_int_equal(lf_store_match_add(f->s, r, &h[0], &e), LF_EINVAL);
    assert_non_null(strstr(e.msg, "ended"));
    assert_int_equal(lf_store_match_end(f->s, r, &s, &e), LF_EINVAL);
    assert_int_equal(lf_store_match_add(f->s, 98765, &h[0], &e), LF_ENOTFOUND);
    lf_store_host *hosts;
    size_t n;
    assert_int_equal(lf_store_host_list(f->s, ag, NULL, &f->a, &hosts, &n, &e), LF_OK);
    assert_int_equal(n, 2);
    assert_int_equal(lf_store_match_begin(f->s, f->c_tpe, 0, true, &r, &e), LF_EINVAL);   /* not an agency */
}

/* One batch's new findings, one hit each, in one call (one "new" audit row for all). */
static void run_batch(fx *f, lf_id agency, bool full, const lf_store_hit *h, size_t n)
{
    lf_err e;
    lf_id r;
    lf_store_match_summary sum;
    assert_int_equal(lf_store_match_begin(f->s, agency, 0, full, &r, &e), LF_OK);
    assert_int_equal(lf_store_match_add_batch(f->s, r, h, n, &e), LF_OK);
    assert_int_equal(lf_store_match_end(f->s, r, &sum, &e), LF_OK);
}

/* A batch's creations are one audit row (entity "findings", the id range); each finding's
 * trail still begins with its own "new" entry, in the state it was created in, before its
 * changes, page by page; another agency's batch in between covers none of these. */
static void test_store_findings_creation_audit(void **state)
{
    fx *f = *state;
    lf_err e;
    lf_id ag = mk_agency(f, f->c_tpe, "A-1", 'B'), other = mk_agency(f, f->c_tpe, "A-2", 'C');
    lf_id u = mk_user(f, "officer", LF_ROLE_AGENCY_OFFICER, ag);
    lf_store_actor who = {u, "officer"};
    const char *cpe = "cpe:2.3:a:x:y:1:*:*:*:*:*:*:*";
    lf_store_hit h[] = {hit("h1", "CVE-2024-2000", cpe, 8.1), hit("h1", "CVE-2024-2001", cpe, 7.0),
                        hit("h2", "CVE-2024-2000", cpe, 9.3)};
    for (size_t i = 0; i < 3; i++) {
        h[i].notice_date = "2026-03-02";
        h[i].due_date = "2026-04-01";
    }
    run_batch(f, ag, true, h, 3);
    lf_store_hit o[] = {hit("x1", "CVE-2024-2000", cpe, 8.1), hit("x2", "CVE-2024-2000", cpe, 8.1)};
    run_batch(f, other, true, o, 2);
    lf_store_hit late[] = {hit("h3", "CVE-2024-2002", cpe, 7.5)};
    run_batch(f, ag, false, late, 1);
    sqlite3 *db = raw_open(f);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM audit WHERE entity = 'finding'"), 0);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM audit WHERE entity = 'findings' AND action = 'new'"), 3);
    /* the three batches' sizes, in order: 3, 2, 1 (as digits of one number) */
    assert_int_equal(raw_int(db, "SELECT sum(json_extract(after_json, '$.count') * CASE rn WHEN 1 THEN 100 "
                                 "WHEN 2 THEN 10 ELSE 1 END) FROM (SELECT after_json, row_number() OVER "
                                 "(ORDER BY id) rn FROM audit WHERE entity = 'findings')"),
                     321);
    sqlite3_close(db);

    lf_store_finding a = find(f, ag, "h1", "CVE-2024-2001"), c = find(f, ag, "h3", "CVE-2024-2002");
    lf_store_finding x = find(f, other, "x2", "CVE-2024-2000");
    lf_store_audit *rows;
    size_t n;
    /* each finding of both agencies: one entry, "new", by the system, state open */
    lf_store_finding all[] = {find(f, ag, "h1", "CVE-2024-2000"), a, find(f, ag, "h2", "CVE-2024-2000"), c,
                              find(f, other, "x1", "CVE-2024-2000"), x};
    for (size_t i = 0; i < 6; i++) {
        lf_id scope = i < 4 ? ag : other;
        assert_int_equal(lf_store_audit_list(f->s, scope, "finding", all[i].id, NULL, &f->a, &rows, &n, &e), LF_OK);
        assert_int_equal(n, 1);
        assert_string_equal(rows[0].action, "new");
        assert_string_equal(rows[0].actor, "system");
        assert_string_equal(rows[0].entity, "finding");
        assert_int_equal(rows[0].entity_id, all[i].id);
        assert_int_equal(rows[0].org_id, scope);
        assert_null(rows[0].before_json);
        lf_json *after;
        assert_int_equal(lf_json_parse(&f->a, rows[0].after_json, strlen(rows[0].after_json), NULL, &after, &e),
                         LF_OK);
        assert_string_equal(lf_json_get_str(after, "state"), "open");
        assert_string_equal(lf_json_get_str(after, "cpe"), cpe);
        if (i < 3)
            assert_string_equal(lf_json_get_str(after, "notice_date"), "2026-03-02");
        /* out of scope: the other agency sees no creation of this one's findings */
        assert_int_equal(lf_store_audit_list(f->s, i < 4 ? other : ag, "finding", all[i].id, NULL, &f->a, &rows, &n,
                                             &e), LF_OK);
        assert_int_equal(n, 0);
    }
    /* an id no batch created has no entry */
    assert_int_equal(lf_store_audit_list(f->s, f->national, "finding", c.id + 1, NULL, &f->a, &rows, &n, &e), LF_OK);
    assert_int_equal(n, 0);

    /* a change: the creation keeps the state the change found, listed before it */
    lf_store_fchange ch = {.to = LF_FSTATE_MEASURE_FILED, .measure = "patch", .measure_planned = "2026-05-15"};
    assert_int_equal(lf_store_finding_transition(f->s, a.id, &ch, &who, &e), LF_OK);
    assert_int_equal(lf_store_audit_list(f->s, ag, "finding", a.id, NULL, &f->a, &rows, &n, &e), LF_OK);
    assert_int_equal(n, 2);
    assert_string_equal(rows[0].action, "new");
    assert_string_equal(rows[1].action, "transition");
    assert_true(rows[0].id < rows[1].id);
    assert_string_equal(rows[0].after_json, rows[1].before_json);
    /* page by page: the creation, then the change */
    lf_store_page pg = {.limit = 1};
    assert_int_equal(lf_store_audit_list(f->s, ag, "finding", a.id, &pg, &f->a, &rows, &n, &e), LF_OK);
    assert_int_equal(n, 1);
    assert_string_equal(rows[0].action, "new");
    assert_true(pg.more);
    pg.after = pg.next;
    assert_int_equal(lf_store_audit_list(f->s, ag, "finding", a.id, &pg, &f->a, &rows, &n, &e), LF_OK);
    assert_int_equal(n, 1);
    assert_string_equal(rows[0].action, "transition");
    assert_false(pg.more);
    /* the agency's whole trail: its two batch rows and the change */
    assert_int_equal(lf_store_audit_list(f->s, ag, NULL, 0, NULL, &f->a, &rows, &n, &e), LF_OK);
    size_t batches = 0;
    for (size_t i = 0; i < n; i++)
        batches += !strcmp(rows[i].entity, "findings");
    assert_int_equal(batches, 2);
}

/* Lists and metrics filter by scope, state, score and KEV. */
static void test_store_findings_lists_metrics(void **state)
{
    fx *f = *state;
    lf_err e;
    lf_id a1 = mk_agency(f, f->c_tpe, "A-1", 'B');
    lf_id a2 = mk_agency(f, f->c_kee, "A-2", 'B');
    lf_id u = mk_user(f, "u", LF_ROLE_AGENCY_OFFICER, a1);
    const char *cpe = "cpe:2.3:a:x:y:1:*:*:*:*:*:*:*";
    lf_store_hit h[] = {hit("h1", "CVE-1", cpe, 9.8), hit("h1", "CVE-2", cpe, 5.0), hit("h2", "CVE-3", cpe, 7.5),
                        hit("h2", "CVE-4", cpe, -1)};
    h[2].kev = true;
    h[3].kind = LF_FKIND_UNANALYSED;
    run(f, a1, true, h, 4);
    run(f, a2, true, h, 2);

    lf_store_ffilter flt = {.scope = f->r_tpe};
    lf_store_finding *out;
    size_t n;
    assert_int_equal(lf_store_finding_list(f->s, &flt, NULL, &f->a, &out, &n, &e), LF_OK);
    assert_int_equal(n, 4);
    assert_int_equal(out[3].kind, LF_FKIND_UNANALYSED);
    assert_true(out[3].cvss < 0);
    flt.min_cvss = 7.0;
    assert_int_equal(lf_store_finding_list(f->s, &flt, NULL, &f->a, &out, &n, &e), LF_OK);
    assert_int_equal(n, 2);
    flt.kev_only = true;
    assert_int_equal(lf_store_finding_list(f->s, &flt, NULL, &f->a, &out, &n, &e), LF_OK);
    assert_int_equal(n, 1);
    assert_string_equal(out[0].cve, "CVE-3");
    flt = (lf_store_ffilter){.scope = f->national};
    assert_int_equal(lf_store_finding_list(f->s, &flt, NULL, &f->a, &out, &n, &e), LF_OK);
    assert_int_equal(n, 6);
    flt.scope = f->c_kee;
    assert_int_equal(lf_store_finding_list(f->s, &flt, NULL, &f->a, &out, &n, &e), LF_OK);
    assert_int_equal(n, 2);
    flt.scope = 0;
    assert_int_equal(lf_store_finding_list(f->s, &flt, NULL, &f->a, &out, &n, &e), LF_EINVAL);

    lf_store_fchange fp = {.to = LF_FSTATE_FALSE_POSITIVE, .fp_reason = "no"};
    lf_store_finding x = find(f, a1, "h1", "CVE-2");
    assert_int_equal(lf_store_finding_transition(f->s, x.id, &fp, NULL, &e), LF_OK);
    flt = (lf_store_ffilter){.scope = a1, .state = LF_FSTATE_OPEN};
    assert_int_equal(lf_store_finding_list(f->s, &flt, NULL, &f->a, &out, &n, &e), LF_OK);
    assert_int_equal(n, 3);

    lf_store_item it = {.host = "h1", .bucket = "resolved"};
    upload(f, a1, u, "2026-05", "a.csv", &it, 1, true);
    upload(f, a1, u, "2026-05", "b.csv", &it, 1, true);

    lf_store_metrics m;
    assert_int_equal(lf_store_metrics_get(f->s, f->r_tpe, "2026-05", &m, &e), LF_OK);
    assert_int_equal(m.findings[LF_FSTATE_OPEN], 3);
    assert_int_equal(m.findings[LF_FSTATE_FALSE_POSITIVE], 1);
    assert_int_equal(m.findings[LF_FSTATE_FIXED], 0);
    assert_int_equal(m.open_high, 2);
    assert_int_equal(m.open_kev, 1);
    assert_int_equal(m.agencies, 1);
    assert_int_equal(m.hosts, 2);
    assert_int_equal(m.users, 1);
    assert_int_equal(m.uploads_month, 2);
    assert_int_equal(m.agencies_with_snapshot, 1);
    f->now += 14 * 86400;      /* mid-May in any time zone */
    assert_int_equal(lf_store_metrics_get(f->s, f->national, NULL, &m, &e), LF_OK);
    assert_int_equal(m.findings[LF_FSTATE_OPEN], 5);
    assert_int_equal(m.agencies, 2);
    assert_int_equal(m.uploads_month, 2);
    assert_int_equal(lf_store_metrics_get(f->s, f->national, "2026-04", &m, &e), LF_OK);
    assert_int_equal(m.uploads_month, 0);
}

/* ---- audit, transactions -------------------------------------------------------------------- */

/* The audit table refuses UPDATE and DELETE even from raw SQL; appends still work. */
static void test_store_audit_append_only(void **state)
{
    fx *f = *state;
    lf_err e;
    lf_store_audit row = {.user_id = 0, .actor = "admin", .org_id = f->r_tpe, .entity = "user", .entity_id = 7,
                          .action = "role", .before_json = "{\"role\":\"read_only\"}",
                          .after_json = "{\"role\":\"region_analyst\"}"};
    lf_id id;
    assert_int_equal(lf_store_audit_add(f->s, &row, &id, &e), LF_OK);
    row.org_id = 0;
    assert_int_equal(lf_store_audit_add(f->s, &row, NULL, &e), LF_OK);
    row.actor = NULL;
    assert_int_equal(lf_store_audit_add(f->s, &row, NULL, &e), LF_EINVAL);

    sqlite3 *db = raw_open(f);
    char *msg = NULL;
    assert_int_equal(sqlite3_exec(db, "UPDATE audit SET actor = 'mallory'", NULL, NULL, &msg), SQLITE_CONSTRAINT);
    assert_non_null(msg);
    assert_non_null(strstr(msg, "append-only"));
    sqlite3_free(msg);
    msg = NULL;
    assert_int_equal(sqlite3_exec(db, "DELETE FROM audit", NULL, NULL, &msg), SQLITE_CONSTRAINT);
    assert_non_null(strstr(msg, "append-only"));
    sqlite3_free(msg);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM audit WHERE actor = 'admin'"), 2);
    sqlite3_close(db);

    lf_store_audit *rows;
    size_t n;
    assert_int_equal(lf_store_audit_list(f->s, f->r_tpe, NULL, 0, NULL, &f->a, &rows, &n, &e), LF_OK);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].id, id);
    assert_string_equal(rows[0].after_json, "{\"role\":\"region_analyst\"}");
    /* the row without an org is national business */
    assert_int_equal(lf_store_audit_list(f->s, f->national, "user", 7, NULL, &f->a, &rows, &n, &e), LF_OK);
    assert_int_equal(n, 2);
}

static long long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long long)st.st_size : -1;
}

/* A commit past the log threshold is copied into the database by the checkpointer thread
 * (SQLite's automatic checkpoint is replaced): the database file grows to hold the rows
 * soon after, without another write. */
static void test_store_wal_checkpointed(void **state)
{
    fx *f = *state;
    lf_err e;
    char path[600];
    snprintf(path, sizeof path, "%s", f->path);
    long long before = file_size(path);
    char big[2048];
    memset(big, 'x', sizeof big - 16);
    memcpy(big, "{\"pad\":\"", 8);
    memcpy(big + sizeof big - 16, "\"}", 3);
    assert_int_equal(lf_store_begin(f->s, &e), LF_OK);
    for (int i = 0; i < 3000; i++) {     /* ~6 MB: past 1,000 pages of 4 KiB */
        lf_store_audit au = {0, 0, 0, "test", 0, "user", i + 1, "pad", NULL, big};
        assert_int_equal(lf_store_audit_add(f->s, &au, NULL, &e), LF_OK);
    }
    assert_int_equal(lf_store_commit(f->s, &e), LF_OK);
    long long after = before;
    for (int t = 0; t < 500 && after < before + (5ll << 20); t++) {
        usleep(10000);
        after = file_size(path);
    }
    if (after < before + (5ll << 20))
        fail_msg("database %s: %lld bytes before, %lld after 5 s: the log was not checkpointed", path, before, after);
}

/* Transactions nest as savepoints: an inner rollback undoes only the inner work. */
static void test_store_transactions(void **state)
{
    fx *f = *state;
    lf_err e;
    lf_store_org o;
    assert_int_equal(lf_store_commit(f->s, &e), LF_EUSAGE);
    lf_store_rollback(f->s);    /* nothing open: no effect */

    assert_int_equal(lf_store_begin(f->s, &e), LF_OK);
    mk_agency(f, f->c_tpe, "A-GONE", 'A');
    lf_store_rollback(f->s);
    assert_int_equal(lf_store_org_get_by_code(f->s, "A-GONE", &f->a, &o, &e), LF_ENOTFOUND);

    assert_int_equal(lf_store_begin(f->s, &e), LF_OK);
    mk_agency(f, f->c_tpe, "A-OUTER", 'A');
    assert_int_equal(lf_store_begin(f->s, &e), LF_OK);
    mk_agency(f, f->c_tpe, "A-INNER", 'A');
    lf_store_rollback(f->s);
    /* a failing composite call rolls back only itself */
    lf_store_org dup = {.parent_id = f->c_tpe, .kind = LF_ORG_AGENCY, .code = "A-OUTER", .name_zh = "x",
                        .name_en = "x", .level = 'A'};
    assert_int_equal(lf_store_org_create(f->s, &dup, NULL, &e), LF_EEXIST);
    assert_int_equal(lf_store_commit(f->s, &e), LF_OK);
    assert_int_equal(lf_store_org_get_by_code(f->s, "A-OUTER", &f->a, &o, &e), LF_OK);
    assert_int_equal(lf_store_org_get_by_code(f->s, "A-INNER", &f->a, &o, &e), LF_ENOTFOUND);
    assert_int_equal(lf_store_check(f->s, &e), LF_OK);
    assert_int_equal(lf_store_ping(f->s, &e), LF_OK);
}

/* ---- threads ----------------------------------------------------------------------------------- */

typedef struct worker {
    lf_store *s;
    lf_id county, user;
    int idx;
    int failures;
    char first_error[640];
} worker;

#define THREAD_ROUNDS 40
#define THREAD_ITEMS 50

static void worker_fail(worker *w, const char *what, const lf_err *e)
{
    if (!w->failures++)
        snprintf(w->first_error, sizeof w->first_error, "thread %d: %s: %s", w->idx, what, e->msg);
}

/* Each round: an agency, a published upload of 50 items in a transaction, a match run,
 * reads, a session; all of it racing the other threads. */
static void *worker_main(void *p)
{
    worker *w = p;
    lf_err e;
    lf_arena a;
    lf_arena_init(&a, 0);
    for (int r = 0; r < THREAD_ROUNDS; r++) {
        lf_arena_reset(&a);
        char code[32];
        snprintf(code, sizeof code, "T%d-%d", w->idx, r);
        lf_store_org o = {.parent_id = w->county, .kind = LF_ORG_AGENCY, .code = code, .name_zh = "機關",
                          .name_en = "agency", .level = 'C'};
        lf_id ag;
        if (lf_store_org_create(w->s, &o, &ag, &e)) {
            worker_fail(w, "org", &e);
            continue;
        }
        lf_store_item items[THREAD_ITEMS];
        char hosts[THREAD_ITEMS][16];
        for (int i = 0; i < THREAD_ITEMS; i++) {
            snprintf(hosts[i], sizeof hosts[i], "h%d", i % 5);
            items[i] = (lf_store_item){.host = hosts[i], .name = "app", .bucket = "resolved", .line = i + 1};
        }
        lf_store_upload up = {.agency_id = ag, .uploaded_by = w->user, .file_name = "inv.csv"};
        snprintf(up.month, sizeof up.month, "2026-05");
        lf_id uid;
        if (lf_store_begin(w->s, &e)) {
            worker_fail(w, "begin", &e);
            continue;
        }
        int rc = lf_store_upload_create(w->s, &up, &uid, &e);
        if (!rc)
            rc = lf_store_items_add(w->s, uid, items, THREAD_ITEMS, &e);
        if (!rc)
            rc = lf_store_upload_publish(w->s, uid, NULL, NULL, &e);
        lf_id run;
        if (!rc)
            rc = lf_store_match_begin(w->s, ag, uid, true, &run, &e);
        for (int i = 0; !rc && i < 5; i++) {
            lf_store_hit h = {.host = hosts[i], .cve = "CVE-2024-3094", .cpe = "cpe:2.3:a:tukaani:xz:5.6.0:*:*:*:*:*:*:*",
                              .kind = LF_FKIND_MATCH, .cvss = 10.0, .epss = -1};
            rc = lf_store_match_add(w->s, run, &h, &e);
        }
        if (!rc)
            rc = lf_store_match_end(w->s, run, NULL, &e);
        if (!rc)
            rc = lf_store_commit(w->s, &e);
        if (rc) {
            lf_store_rollback(w->s);
            worker_fail(w, "upload", &e);
            continue;
        }
        lf_store_upload snap;
        if (lf_store_upload_snapshot(w->s, ag, "2026-05", &a, &snap, &e) || snap.items != THREAD_ITEMS)
            worker_fail(w, "snapshot", &e);
        lf_store_finding *fs;
        size_t n;
        lf_store_ffilter flt = {.scope = ag};
        if (lf_store_finding_list(w->s, &flt, NULL, &a, &fs, &n, &e) || n != 5)
            worker_fail(w, "findings", &e);
        lf_store_org *ags;
        if (lf_store_org_agencies(w->s, w->county, NULL, &a, &ags, &n, &e))
            worker_fail(w, "agencies", &e);
        char tok[LF_STORE_TOKEN_SIZE];
        lf_store_session ses;
        if (lf_store_session_create(w->s, w->user, 60, tok, NULL, &e) || lf_store_session_get(w->s, tok, &ses, &e))
            worker_fail(w, "session", &e);
    }
    lf_arena_clear(&a);
    return NULL;
}

/* Four threads on one store: no SQLITE_BUSY, no lost rows. */
static void test_store_threads(void **state)
{
    fx *f = *state;
    lf_err e;
    lf_id u = mk_user(f, "loader", LF_ROLE_COUNTY_OFFICER, f->c_tpe);
    worker w[4];
    pthread_t t[4];
    for (int i = 0; i < 4; i++) {
        w[i] = (worker){.s = f->s, .county = i % 2 ? f->c_hua : f->c_tpe, .user = u, .idx = i};
        assert_int_equal(pthread_create(&t[i], NULL, worker_main, &w[i]), 0);
    }
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < 4; i++)
        if (w[i].failures)
            fail_msg("%d failures, first: %s", w[i].failures, w[i].first_error);
    lf_store_metrics m;
    assert_int_equal(lf_store_metrics_get(f->s, f->national, "2026-05", &m, &e), LF_OK);
    assert_int_equal(m.agencies, 4 * THREAD_ROUNDS);
    assert_int_equal(m.uploads_month, 4 * THREAD_ROUNDS);
    assert_int_equal(m.findings[LF_FSTATE_OPEN], 4 * THREAD_ROUNDS * 5);
    assert_int_equal(m.hosts, 4 * THREAD_ROUNDS * 5);
    assert_int_equal(lf_store_check(f->s, &e), LF_OK);
}

/* ---- crash safety ---------------------------------------------------------------------------- */

#define CRASH_ITEMS 3000

static void child_upload(const char *path, int fd)
{
    lf_err e;
    lf_store *s;
    lf_store_opts o = {.argon2_t_cost = 1, .argon2_m_kib = 256};
    if (lf_store_open_opts(path, &o, &s, &e))
        _exit(2);
    lf_arena a;
    lf_arena_init(&a, 0);
    lf_store_org c;
    if (lf_store_org_get_by_code(s, "TW-TPE", &a, &c, &e))
        _exit(3);
    lf_store_org ag = {.parent_id = c.id, .kind = LF_ORG_AGENCY, .code = "A-CRASH", .name_zh = "x", .name_en = "x",
                       .level = 'A'};
    lf_id agid, uid;
    if (lf_store_org_create(s, &ag, &agid, &e))
        _exit(4);
    lf_store_user u = {.login = "c", .display_name = "c", .email = "c@x.tw", .role = LF_ROLE_AGENCY_OFFICER,
                       .org_id = agid};
    if (lf_store_user_create(s, &u, &uid, &e))
        _exit(5);
    lf_store_item it = {.host = "pc", .name = "app", .version = "1.0", .bucket = "resolved"};
    for (int round = 0;; round++) {
        lf_store_upload up = {.agency_id = agid, .uploaded_by = uid, .file_name = "inv.csv"};
        snprintf(up.month, sizeof up.month, round == 0 ? "2026-04" : "2026-05");
        lf_id id;
        if (lf_store_begin(s, &e) || lf_store_upload_create(s, &up, &id, &e))
            _exit(6);
        long limit = round == 0 ? CRASH_ITEMS : 100000000L;
        for (long i = 0; i < limit; i++) {
            it.line = i + 1;
            if (lf_store_items_add(s, id, &it, 1, &e))
                _exit(7);
            if (round == 1 && i == 20000 && write(fd, "B", 1) != 1)   /* well inside the transaction */
                _exit(8);
        }
        lf_store_counts cnt = {.records = CRASH_ITEMS, .resolved = CRASH_ITEMS};
        if (lf_store_upload_publish(s, id, &cnt, "{}", &e) || lf_store_commit(s, &e))
            _exit(9);
        if (write(fd, "A", 1) != 1)
            _exit(10);
    }
}

/* SIGKILL in the middle of an upload's transaction: after reopening, the finished upload is
 * complete, the interrupted one absent, and the file passes the integrity check. */
static void test_store_crash_mid_upload(void **state)
{
    fx *f = *state;
    lf_store_close(f->s);       /* the child writes alone; the parent opens afterwards */
    f->s = NULL;
    int p[2];
    assert_int_equal(pipe(p), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(p[0]);
        child_upload(f->path, p[1]);
        _exit(1);
    }
    close(p[1]);
    char got[2] = {0};
    assert_int_equal(read(p[0], &got[0], 1), 1);
    assert_int_equal(got[0], 'A');
    assert_int_equal(read(p[0], &got[1], 1), 1);
    assert_int_equal(got[1], 'B');
    kill(pid, SIGKILL);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    close(p[0]);

    fx_open(f);
    lf_err e;
    assert_int_equal(lf_store_check(f->s, &e), LF_OK);
    lf_store_org ag;
    assert_int_equal(lf_store_org_get_by_code(f->s, "A-CRASH", &f->a, &ag, &e), LF_OK);
    lf_store_upload *ups;
    size_t n;
    assert_int_equal(lf_store_upload_list(f->s, ag.id, NULL, NULL, &f->a, &ups, &n, &e), LF_OK);
    assert_int_equal(n, 1);
    assert_string_equal(ups[0].month, "2026-04");
    assert_int_equal(ups[0].status, LF_UPLOAD_CURRENT);
    assert_int_equal(ups[0].items, CRASH_ITEMS);
    size_t cnt = 0;
    assert_int_equal(lf_store_items_each(f->s, ups[0].id, count_item, &cnt, &e), LF_OK);
    assert_int_equal(cnt, CRASH_ITEMS);
    sqlite3 *db = raw_open(f);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM items"), CRASH_ITEMS);
    assert_int_equal(raw_int(db, "SELECT count(*) FROM uploads"), 1);
    sqlite3_close(db);
    /* and the store is writable again */
    lf_store_upload snap;
    assert_int_equal(lf_store_upload_snapshot(f->s, ag.id, "2026-05", &f->a, &snap, &e), LF_ENOTFOUND);
    lf_store_item it = {.host = "pc", .bucket = "resolved"};
    lf_store_user *us;
    assert_int_equal(lf_store_user_list(f->s, ag.id, NULL, &f->a, &us, &n, &e), LF_OK);
    assert_int_equal(n, 1);
    upload(f, ag.id, us[0].id, "2026-05", "again.csv", &it, 1, true);
    assert_int_equal(lf_store_upload_snapshot(f->s, ag.id, "2026-05", &f->a, &snap, &e), LF_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_store_seed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_reopen_no_reseed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_newer_schema_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_urls, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_orgs_scope, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_users_passwords, setup, teardown),
        cmocka_unit_test(test_store_token_hash_vectors),
        cmocka_unit_test_setup_teardown(test_store_sessions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_apitokens, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_upload_replace, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_findings_lifecycle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_findings_transitions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_findings_deadline_tightened, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_findings_false_positive, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_match_batch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_findings_creation_audit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_findings_lists_metrics, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_audit_append_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_wal_checkpointed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_transactions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_threads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_crash_mid_upload, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
