/*
 * Tests for src/intake/wmic.c: `wmic product get Name,Vendor,Version` tables measured in
 * characters (Chinese names), CR CR LF line ends, misaligned lines, and the /format:csv
 * layout handed to the CSV reader.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/file.h"
#include "intake/csv.h"
#include "intake/wmic.h"

#include "unit/intake/inv_sink.h"

static int read_wmic(const char *text, size_t len, const lf_inv_opts *o, got *g, lf_inv_counts *cnt, lf_err *err)
{
    lf_inv_sink sink = {on_rec, on_rej, g};
    lf_err_clear(err);
    return lf_wmic_read("wmic.txt", text, len, o, &sink, cnt, err);
}

/* The default table: columns found by character position, so the Chinese names (more
 * bytes than characters) do not shift Vendor/Version; padding and CR CR LF dropped. */
static void test_wmic_table(void **state)
{
    (void)state;
    size_t len;
    char *t = fixture("wmic-table.txt", &len);
    got g = {0};
    lf_inv_counts cnt;
    lf_err e;
    lf_inv_opts o = {"PC-007", "Windows 10 企業版"};
    assert_int_equal(read_wmic(t, len, &o, &g, &cnt, &e), LF_OK);
    assert_int_equal(cnt.records, 5);
    assert_int_equal(cnt.rejected, 0);
    assert_int_equal(cnt.skipped, 3);   /* header and two blank lines at the end */
    assert_field(&g, 0, NAME, "Microsoft Office 專業增強版 2016");
    assert_field(&g, 0, VEND, "Microsoft Corporation");
    assert_field(&g, 0, VER, "16.0.4266.1001");
    assert_field(&g, 0, ECO, "msi");
    assert_field(&g, 0, H, "PC-007");
    assert_field(&g, 0, OS, "Windows 10 企業版");
    assert_int_equal(g.r[0].line, 2);
    assert_field(&g, 2, NAME, "騰訊QQ");
    assert_field(&g, 2, VEND, "騰訊科技（深圳）有限公司");
    assert_field(&g, 2, VER, "9.7.17.29225");
    assert_field(&g, 3, NAME, "Microsoft Visual C++ 2015-2022 Redistributable (x64) - 14.36.32532");
    assert_field(&g, 4, NAME, "Adobe Acrobat Reader DC");
    assert_field(&g, 4, VER, NULL);
    assert_int_equal(g.r[4].line, 6);
    got_free(&g);
    free(t);
}

/* /format:csv: a blank line, then Node,Name,Vendor,Version; Node is the host. */
static void test_wmic_csv_layout(void **state)
{
    (void)state;
    size_t len;
    char *t = fixture("wmic-csv.txt", &len);
    got g = {0};
    lf_inv_counts cnt;
    lf_err e;
    assert_int_equal(read_wmic(t, len, NULL, &g, &cnt, &e), LF_OK);
    assert_int_equal(cnt.records, 2);
    assert_int_equal(cnt.skipped, 3);
    assert_field(&g, 0, H, "PC-001");
    assert_field(&g, 0, NAME, "Microsoft Office 專業增強版 2016");
    assert_field(&g, 0, VER, "16.0.4266.1001");
    assert_field(&g, 0, ECO, "msi");
    assert_int_equal(g.r[0].line, 3);
    assert_field(&g, 1, VEND, "Google LLC");
    got_free(&g);
    free(t);
}

/* A line whose text runs across the column starts is cut at the nearest gaps; a line
 * without a Name is rejected with its line; aligned lines around them are unaffected. */
static void test_wmic_misfit_lines(void **state)
{
    (void)state;
    size_t len;
    char *t = fixture("wmic-misfit.txt", &len);
    got g = {0};
    lf_inv_counts cnt;
    lf_err e;
    assert_int_equal(read_wmic(t, len, NULL, &g, &cnt, &e), LF_OK);
    assert_int_equal(cnt.records, 3);
    assert_int_equal(cnt.rejected, 1);
    assert_field(&g, 0, NAME, "7-Zip 22.01 (x64 edition)");
    assert_field(&g, 0, VEND, "Igor Pavlov");
    assert_field(&g, 1, NAME, "Shifted Product Name Here");
    assert_field(&g, 1, VEND, "Some Vendor Inc");
    assert_field(&g, 1, VER, "1.2.3");
    assert_int_equal(g.r[1].line, 3);
    assert_int_equal(g.rej_line[0], 4);
    assert_string_equal(g.rej_msg[0], "empty Name");
    assert_field(&g, 2, NAME, "Mozilla Maintenance Service");
    assert_field(&g, 2, VER, "115.0");
    got_free(&g);
    free(t);
}

/* Short lines, column order taken from the header, Caption when there is no Name. */
static void test_wmic_header_order(void **state)
{
    (void)state;
    const char *t = "Caption               InstallDate  Vendor     Version  \r\r\n"
                    "Notepad++ (64-bit)    20240101     Don Ho     8.6      \r\r\n"
                    "Bare\r\r\n";
    got g = {0};
    lf_inv_counts cnt;
    lf_err e;
    assert_int_equal(read_wmic(t, strlen(t), NULL, &g, &cnt, &e), LF_OK);
    assert_int_equal(g.n, 2);
    assert_field(&g, 0, NAME, "Notepad++ (64-bit)");
    assert_field(&g, 0, DATE, "20240101");
    assert_field(&g, 0, VEND, "Don Ho");
    assert_field(&g, 0, VER, "8.6");
    assert_field(&g, 1, NAME, "Bare");
    assert_field(&g, 1, VEND, NULL);
    got_free(&g);
}

/* Not wmic output: LF_EFORMAT and nothing delivered. */
static void test_wmic_not_this_format(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "", "\r\r\n\r\r\n", "IdentifyingNumber  Vendor\r\r\n{1234}  X\r\r\n", "adduser\t3.118ubuntu5\n",
        "NetworkManager-1.14.0-14.el8.x86_64   Fri Sep 27 11:51:34 2019\n",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        got g = {0};
        lf_inv_counts cnt;
        lf_err e;
        assert_int_equal(read_wmic(texts[i], strlen(texts[i]), NULL, &g, &cnt, &e), LF_EFORMAT);
        assert_int_equal(g.n + g.nrej, 0);
        assert_int_equal(cnt.records + cnt.rejected + cnt.skipped, 0);
    }
}

static void test_wmic_sniff(void **state)
{
    (void)state;
    static const struct {
        const char *fixture;
        int lo, hi;
    } cases[] = {
        {"wmic-table.txt", 90, 100},
        {"wmic-csv.txt", 98, 98},
        {"wmic-misfit.txt", 90, 100},
        {"agency-zh.csv", 0, 0},
        {"software-cn.tsv", 0, 0},
        {"dpkg-l-states.txt", 0, 0},
        {"dpkg-query-osrelease.txt", 0, 0},
        {"rpm-qa.txt", 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len;
        char *t = fixture(cases[i].fixture, &len);
        int s = lf_wmic_sniff(t, len);
        if (s < cases[i].lo || s > cases[i].hi)
            fail_msg("%s: sniff %d, want %d..%d", cases[i].fixture, s, cases[i].lo, cases[i].hi);
        free(t);
    }
    /* the /format:csv header is also a fine CSV header: wmic must win the detection */
    size_t len;
    char *t = fixture("wmic-csv.txt", &len);
    assert_true(lf_wmic_sniff(t, len) > lf_csv_sniff(t, len));
    free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wmic_table),
        cmocka_unit_test(test_wmic_csv_layout),
        cmocka_unit_test(test_wmic_misfit_lines),
        cmocka_unit_test(test_wmic_header_order),
        cmocka_unit_test(test_wmic_not_this_format),
        cmocka_unit_test(test_wmic_sniff),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
