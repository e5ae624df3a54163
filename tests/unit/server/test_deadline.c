/*
 * Tests for src/server/deadline.c: the programme's deadlines (critical/KEV 6 days or the
 * earlier KEV due date, high one calendar month, none below), month-end clamping, leap
 * years, the upload due day, and date round trips over 200 years.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "server/deadline.h"

static void test_deadlines(void **state)
{
    (void)state;
    lf_deadline_policy p;
    lf_deadline_defaults(&p);
    char out[11];
    assert_true(lf_deadline_due(&p, "2026-12-01", 9.8, false, NULL, out));
    assert_string_equal(out, "2026-12-07");
    assert_true(lf_deadline_due(&p, "2026-12-30", 9.0, false, NULL, out));
    assert_string_equal(out, "2027-01-05");
    /* KEV-listed, low score: critical deadline, or CISA's date when earlier */
    assert_true(lf_deadline_due(&p, "2026-12-01", 5.0, true, "2026-12-20", out));
    assert_string_equal(out, "2026-12-07");
    assert_true(lf_deadline_due(&p, "2026-12-01", 5.0, true, "2026-12-03", out));
    assert_string_equal(out, "2026-12-03");
    /* an entry CISA listed years ago: never a deadline before the notice itself */
    assert_true(lf_deadline_due(&p, "2026-12-01", 8.8, true, "2022-09-15", out));
    assert_string_equal(out, "2026-12-07");
    /* due on the notice day itself is kept (CISA's date is today) */
    assert_true(lf_deadline_due(&p, "2026-12-01", 8.8, true, "2026-12-01", out));
    assert_string_equal(out, "2026-12-01");
    /* high: one calendar month, clamped at month end, leap years */
    assert_true(lf_deadline_due(&p, "2026-11-15", 7.5, false, NULL, out));
    assert_string_equal(out, "2026-12-15");
    assert_true(lf_deadline_due(&p, "2027-01-31", 7.0, false, NULL, out));
    assert_string_equal(out, "2027-02-28");
    assert_true(lf_deadline_due(&p, "2028-01-31", 8.1, false, NULL, out));
    assert_string_equal(out, "2028-02-29");
    assert_true(lf_deadline_due(&p, "2026-12-10", 7.0, false, NULL, out));
    assert_string_equal(out, "2027-01-10");
    /* below 7.0, no KEV, no score: no programme deadline */
    assert_false(lf_deadline_due(&p, "2026-12-01", 6.9, false, NULL, out));
    assert_string_equal(out, "");
    assert_false(lf_deadline_due(&p, "2026-12-01", -1, false, NULL, out));
    assert_false(lf_deadline_due(&p, "2026-13-01", 9.8, false, NULL, out));
    assert_false(lf_deadline_due(&p, "2026-02-30", 9.8, false, NULL, out));
    /* configurable */
    p.critical_days = 3;
    p.high_months = 2;
    assert_true(lf_deadline_due(&p, "2026-12-01", 9.8, false, NULL, out));
    assert_string_equal(out, "2026-12-04");
    assert_true(lf_deadline_due(&p, "2026-12-31", 7.1, false, NULL, out));
    assert_string_equal(out, "2027-02-28");
}

static void test_upload_due_and_dates(void **state)
{
    (void)state;
    lf_deadline_policy p;
    lf_deadline_defaults(&p);
    char out[11];
    assert_true(lf_deadline_upload_due(&p, "2026-12", out));
    assert_string_equal(out, "2026-12-10");
    assert_false(lf_deadline_upload_due(&p, "2026-1", out));
    long d;
    assert_true(lf_date_parse("1970-01-01", &d));
    assert_int_equal(d, 0);
    for (long x = -36524; x < 36524 * 2; x += 17) {
        lf_date_format(x, out);
        long back;
        assert_true(lf_date_parse(out, &back));
        assert_int_equal(back, x);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deadlines),
        cmocka_unit_test(test_upload_due_and_dates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
