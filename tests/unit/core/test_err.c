/* Tests for src/core/err.c: the code table and the located message format. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/err.h"

/* A located error prints file:line:col, id, field, then the message. */
static void test_err_format_located(void **state)
{
    (void)state;
    lf_err e;
    lf_err_clear(&e);
    assert_int_equal(lf_err_set(&e, LF_EPARSE, "expected '%c'", ':'), LF_EPARSE);
    lf_err_at(&e, "feed.json", 12, 7, "vendor");
    lf_err_id(&e, "CVE-2021-44228");
    char buf[600];
    assert_string_equal(lf_err_format(&e, buf, sizeof buf),
                        "feed.json:12:7: CVE-2021-44228: vendor: expected ':'");
}

/* Every code has a name and a message from the one table. */
static void test_err_names_from_table(void **state)
{
    (void)state;
    assert_string_equal(lf_strerror_name(LF_ENOMEM), "LF_ENOMEM");
    assert_string_equal(lf_strerror(LF_ENOMEM), "out of memory");
    assert_string_equal(lf_strerror_name(-999), "LF_EUNKNOWN");
    char b[8];
    assert_string_equal(lf_err_byte('\x01', b), "'\\x01'");
    assert_string_equal(lf_err_byte('a', b), "'a'");
}

/* A NULL error struct is accepted everywhere (callers that do not want details). */
static void test_err_null_safe(void **state)
{
    (void)state;
    assert_int_equal(lf_err_set(NULL, LF_EIO, "x"), LF_EIO);
    lf_err_at(NULL, "f", 1, 1, "x");
    lf_err_clear(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_err_format_located),
        cmocka_unit_test(test_err_names_from_table),
        cmocka_unit_test(test_err_null_safe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
