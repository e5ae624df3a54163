/*
 * Tests for core/buf.c's number writers: lf_u64_digits and lf_buf_put_u64 give what
 * printf's %llu gives and lf_buf_put_hex64 what %016llx gives, for the edges and for
 * random values; lf_buf_put_utc gives what gmtime_r + strftime give, across leap days,
 * century years and the whole range.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"

static void digits_like_printf(void **state)
{
    (void)state;
    uint64_t edge[] = {0, 1, 9, 10, 99, 100, 4294967295ull, 4294967296ull, 9999999999999999999ull,
                       10000000000000000000ull, UINT64_MAX};
    uint64_t x = 88172645463325252ull;
    for (size_t i = 0; i < sizeof edge / sizeof edge[0] + 2000; i++) {
        uint64_t v;
        if (i < sizeof edge / sizeof edge[0]) {
            v = edge[i];
        } else {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            v = x >> (x % 60);   /* every length */
        }
        char want[32], got[20];
        int wn = snprintf(want, sizeof want, "%llu", (unsigned long long)v);
        size_t n = lf_u64_digits(v, got);
        assert_int_equal(n, (size_t)wn);
        assert_memory_equal(got, want, n);
        lf_buf b;
        lf_buf_init(&b, 0);
        assert_int_equal(lf_buf_puts(&b, "n="), 0);
        assert_int_equal(lf_buf_put_u64(&b, v), 0);
        assert_int_equal(b.len, 2 + (size_t)wn);
        assert_string_equal(b.data + 2, want);
        char hex[32];
        snprintf(hex, sizeof hex, "%016llx", (unsigned long long)v);
        lf_buf_reset(&b);
        assert_int_equal(lf_buf_put_hex64(&b, v), 0);
        assert_int_equal(b.len, 16);
        assert_string_equal(b.data, hex);
        lf_buf_clear(&b);
    }
}

static void utc_like_strftime(void **state)
{
    (void)state;
    int64_t edge[] = {0, 1, 59, 86399, 86400, 68169600 /* 1972-02-29 */, 951782399, 951782400,
                      951868800 /* 2000-03-01 */, 1709164800 /* 2024-02-29 */, 2147483647,
                      2147483648, 4102444799, 4102444800 /* 2100-01-01 */, 4107542400 /* 2100-03-01 */,
                      253402300799};
    size_t ne = sizeof edge / sizeof edge[0];
    uint64_t x = 2463534242ull;
    for (size_t i = 0; i < ne + 5000; i++) {
        int64_t t;
        if (i < ne) {
            t = edge[i];
        } else {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            t = (int64_t)(x % 253402300800ull);
        }
        time_t tt = (time_t)t;
        struct tm tm;
        char want[40];
        assert_non_null(gmtime_r(&tt, &tm));
        size_t wn = strftime(want, sizeof want, "%Y-%m-%dT%H:%M:%SZ", &tm);
        lf_buf b;
        lf_buf_init(&b, 0);
        assert_int_equal(lf_buf_put_utc(&b, t), 0);
        assert_int_equal(b.len, wn);
        assert_string_equal(b.data, want);
        lf_buf_clear(&b);
    }
    lf_buf b;
    lf_buf_init(&b, 0);
    assert_int_not_equal(lf_buf_put_utc(&b, -1), 0);
    assert_int_not_equal(lf_buf_put_utc(&b, 253402300800), 0);
    char o[20];
    assert_false(lf_utc_format(-1, o));
    assert_true(lf_utc_format(0, o));
    assert_memory_equal(o, "1970-01-01T00:00:00Z", 20);
    assert_int_equal(b.len, 0);
    lf_buf_clear(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(digits_like_printf),
        cmocka_unit_test(utc_like_strftime),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
