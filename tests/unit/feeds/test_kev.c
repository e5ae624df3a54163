/*
 * Tests for src/feeds/kev.c: the catalog replaces the stored one, bad entries are
 * reported and the rest kept, and the real CISA catalog of ../shared/data/kev imports.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "feeds/kev.h"
#include "vans/vulndb.h"

static int nerr;
static lf_err lasterr;

static void on_err(void *ud, const lf_err *e)
{
    (void)ud;
    nerr++;
    lasterr = *e;
}

/* The small fixture: one good entry kept with every field, one bad cveID reported. */
static void test_kev_fixture(void **state)
{
    (void)state;
    char p[1024];
    snprintf(p, sizeof p, "%s/kev/kev-small.json", getenv("LF_FIXTURES") ? getenv("LF_FIXTURES") : "tests/fixtures");
    lf_vdb_builder *b = lf_vdb_builder_new();
    lf_feed_ctx c;
    lf_feed_ctx_init(&c, b);
    c.on_error = on_err;
    nerr = 0;
    lf_err err;
    lf_err_clear(&err);
    assert_int_equal(lf_kev_import_file(&c, p, &err), LF_OK);
    assert_int_equal(c.report.records, 2);
    assert_int_equal(c.report.added, 1);
    assert_int_equal(nerr, 1);
    assert_string_equal(lasterr.field, "cveID");
    assert_true(lasterr.line > 10);
    char path[128];
    snprintf(path, sizeof path, "/tmp/lf-test-kev-%d.lfx", (int)getpid());
    assert_int_equal(lf_vdb_builder_write(b, path, NULL), LF_OK);
    lf_vdb_builder_free(b);
    lf_vdb *db;
    assert_int_equal(lf_vdb_open(path, &db, NULL), LF_OK);
    lf_vkev tmp;
    const lf_vkev *k = lf_vdb_kev(db, "CVE-2024-0001", &tmp);
    assert_non_null(k);
    assert_string_equal(k->due_date, "2024-02-26");
    assert_string_equal(k->date_added, "2024-02-05");
    assert_string_equal(k->ransomware, "Known");
    assert_string_equal(k->vendor, "Acme");
    assert_non_null(strstr(k->required_action, "Apply mitigations"));
    lf_vdb_stats st;
    lf_vdb_get_stats(db, &st);
    assert_string_equal(st.kev_version, "2024.02.05");
    lf_vdb_close(db);
    unlink(path);
}

/* Not a catalog: refused with a message, nothing imported. */
static void test_kev_refuses_other_json(void **state)
{
    (void)state;
    lf_vdb_builder *b = lf_vdb_builder_new();
    lf_feed_ctx c;
    lf_feed_ctx_init(&c, b);
    lf_err err;
    lf_err_clear(&err);
    assert_int_equal(lf_kev_import_buffer(&c, "x.json", "{\"title\":\"x\"}", 13, &err), LF_EFORMAT);
    lf_err_clear(&err);
    assert_int_equal(lf_kev_import_buffer(&c, "x.json", "{\"vulnerabilities\":[", 20, &err), LF_EPARSE);
    lf_vdb_builder_free(b);
}

/* The real catalog: every entry imports (count equals the catalog's own "count"). */
static void test_kev_real_catalog(void **state)
{
    (void)state;
    const char *root = getenv("LF_SHARED_DATA");
    char p[1024];
    snprintf(p, sizeof p, "%s/kev/known_exploited_vulnerabilities.json", root ? root : "");
    if (!root || access(p, R_OK) != 0)
        skip();
    lf_vdb_builder *b = lf_vdb_builder_new();
    lf_feed_ctx c;
    lf_feed_ctx_init(&c, b);
    lf_err err;
    lf_err_clear(&err);
    assert_int_equal(lf_kev_import_file(&c, p, &err), LF_OK);
    assert_int_equal(c.report.errors, 0);
    assert_int_equal(c.report.added, 1404);
    lf_vdb_builder_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kev_fixture),
        cmocka_unit_test(test_kev_refuses_other_json),
        cmocka_unit_test(test_kev_real_catalog),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
