/*
 * Tests for core/buf.c's number writer: lf_u64_digits and lf_buf_put_u64 give what
 * printf's %llu gives, for the edges and for random values.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

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
        lf_buf_clear(&b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(digits_like_printf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
