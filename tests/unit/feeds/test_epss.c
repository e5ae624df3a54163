/*
 * Tests for src/feeds/epss.c: the header line, unsorted rows (as FIRST ships them),
 * malformed rows reported with their line and skipped, duplicates, exponent notation,
 * "no score" distinct from zero, and the real slice in shared/data/epss.
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

#include "feeds/epss.h"

typedef struct warns {
    int n;
    long lines[8];
} warns;

static void on_warn(void *ud, const lf_err *e)
{
    warns *w = ud;
    if (w->n < 8)
        w->lines[w->n] = e->line;
    w->n++;
}

static void fixture(char *out, size_t n, const char *name)
{
    const char *fx = getenv("LF_FIXTURES");
    snprintf(out, n, "%s/feeds/epss/%s", fx ? fx : "tests/fixtures", name);
}

static void test_mixed(void **state)
{
    (void)state;
    char in[4096], out[] = "/tmp/lf-test-epss-XXXXXX";
    int fd = mkstemp(out);
    assert_true(fd >= 0);
    close(fd);
    fixture(in, sizeof in, "mixed.csv");
    warns w = {0};
    lf_epss_stats st;
    lf_err err;
    assert_int_equal(lf_epss_import_file(in, out, on_warn, &w, &st, &err), LF_OK);
    assert_string_equal(st.model, "v2026.06.15");
    assert_string_equal(st.date, "2026-09-29T12:00:22Z");
    assert_int_equal(st.rows, 8);
    assert_int_equal(st.bad, 3);          /* not-a-cve, score 1.5, missing column */
    assert_int_equal(w.n, 3);
    assert_int_equal(w.lines[0], 6);
    assert_int_equal(w.lines[1], 7);
    assert_int_equal(w.lines[2], 8);
    assert_int_equal(st.duplicates, 1);
    assert_int_equal(st.kept, 4);
    lf_epss *e;
    assert_int_equal(lf_epss_open(out, &e, &err), LF_OK);
    double s, p;
    assert_true(lf_epss_lookup(e, "CVE-2021-44228", &s, &p));
    assert_true(s > 0.94357 && s < 0.94359);
    assert_true(p > 0.99983 && p < 0.99985);
    /* 5-digit numbers after 4-digit ones in the file: lookups do not care */
    assert_true(lf_epss_lookup(e, "CVE-2026-20000", &s, &p));
    assert_true(lf_epss_lookup(e, "CVE-2026-1999", &s, &p));
    assert_true(s > 0.49 && s < 0.51);
    assert_true(lf_epss_lookup(e, "CVE-2019-0001", &s, &p));
    assert_true(s > 0.0000115 && s < 0.0000125);
    /* no row is no score, not zero */
    assert_false(lf_epss_lookup(e, "CVE-2026-1998", &s, &p));
    assert_false(lf_epss_lookup(e, "garbage", &s, &p));
    lf_epss_stats info;
    lf_epss_info(e, &info);
    assert_int_equal(info.kept, 4);
    lf_epss_close(e);
    unlink(out);
}

static void test_not_epss(void **state)
{
    (void)state;
    lf_epss_stats st;
    lf_err err;
    const char *csv = "name,version\nx,1\n";
    assert_int_equal(lf_epss_import_buffer("x.csv", csv, strlen(csv), "/tmp/lf-never-written", NULL, NULL, &st, &err),
                     LF_EFORMAT);
    assert_true(strstr(err.msg, "not an EPSS") != NULL);
    assert_int_equal(lf_epss_cve_key("CVE-2024-12345", 14), 2024000012345ull);
    assert_int_equal(lf_epss_cve_key("CVE-24-1", 8), 0);
    assert_int_equal(lf_epss_cve_key("CVE-2024-123", 12), 0);
    /* a file that is not a score file is refused on open */
    char out[] = "/tmp/lf-test-epss2-XXXXXX";
    int fd = mkstemp(out);
    assert_true(fd >= 0);
    assert_true(write(fd, "hello world", 11) == 11);
    close(fd);
    lf_epss *e = NULL;
    assert_int_equal(lf_epss_open(out, &e, &err), LF_ECORRUPT);
    unlink(out);
}

static void test_real_slice(void **state)
{
    (void)state;
    const char *sh = getenv("LF_SHARED_DATA");
    char in[4096], out[] = "/tmp/lf-test-epss3-XXXXXX";
    snprintf(in, sizeof in, "%s/epss/epss_scores-2026-09-29-slice.csv", sh ? sh : "");
    if (!sh || access(in, R_OK) != 0)
        skip();
    int fd = mkstemp(out);
    assert_true(fd >= 0);
    close(fd);
    lf_epss_stats st;
    lf_err err;
    assert_int_equal(lf_epss_import_file(in, out, NULL, NULL, &st, &err), LF_OK);
    assert_int_equal(st.rows, 37);
    assert_int_equal(st.bad, 0);
    assert_int_equal(st.kept, 37);
    lf_epss *e;
    assert_int_equal(lf_epss_open(out, &e, &err), LF_OK);
    double s, p;
    assert_true(lf_epss_lookup(e, "CVE-2025-6554", &s, &p));
    assert_true(s > 0.12563 && s < 0.12565 && p > 0.96107 && p < 0.96109);
    lf_epss_close(e);
    unlink(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mixed),
        cmocka_unit_test(test_not_epss),
        cmocka_unit_test(test_real_slice),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
