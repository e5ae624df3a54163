/*
 * Tests for the order of work in src/vans/finding.c: KEV first, then EPSS percentile
 * (a score before no score), then CVSS; other orders by option; bad orders refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "vans/finding.h"

static lf_finding mk(const char *id, bool kev, double epss_pct, bool has_epss, int score10, const lf_vmetric *m)
{
    lf_finding f;
    memset(&f, 0, sizeof f);
    f.host = "h";
    f.vuln_id = id;
    f.item = "cpe:2.3:a:x:y:1:*:*:*:*:*:*:*";
    f.kind = LF_HIT_MATCH;
    f.kev = kev;
    f.has_epss = has_epss;
    f.epss_percentile = epss_pct;
    f.has_cvss = score10 >= 0;
    f.cvss = m;
    (void)score10;
    return f;
}

static void test_default_order(void **state)
{
    (void)state;
    lf_vmetric m98 = {0}, m50 = {0};
    m98.score10 = 98;
    m50.score10 = 50;
    lf_finding kev_low = mk("CVE-1", true, 0.10, true, 50, &m50);
    lf_finding epss_hi = mk("CVE-2", false, 0.97, true, 50, &m50);
    lf_finding cvss_hi = mk("CVE-3", false, 0.20, true, 98, &m98);
    lf_finding no_epss = mk("CVE-4", false, 0, false, 98, &m98);
    assert_true(lf_finding_cmp(&kev_low, &epss_hi) < 0);
    assert_true(lf_finding_cmp(&epss_hi, &cvss_hi) < 0);
    assert_true(lf_finding_cmp(&cvss_hi, &no_epss) < 0);   /* a score, however low, before none */
    lf_finding_order o;
    lf_err err;
    assert_int_equal(lf_finding_order_parse("cvss,kev", &o, &err), LF_OK);
    assert_true(lf_finding_cmp_order(&cvss_hi, &kev_low, &o) < 0);
    assert_true(lf_finding_cmp_order(&no_epss, &kev_low, &o) < 0);
    char s[64];
    lf_finding_order_format(&o, s, sizeof s);
    assert_string_equal(s, "cvss,kev");
    assert_int_equal(lf_finding_order_parse("kev,kev", &o, &err), LF_EINVAL);
    assert_int_equal(lf_finding_order_parse("kev,age", &o, &err), LF_EINVAL);
    assert_int_equal(lf_finding_order_parse("", &o, &err), LF_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
