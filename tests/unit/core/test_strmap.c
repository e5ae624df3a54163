/*
 * Tests for src/core/strmap.c: insert, find, duplicates, growth past many rehashes,
 * binary keys with NUL bytes, and lengths (a prefix is a different key).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/strmap.h"

static void test_put_find_grow(void **state)
{
    (void)state;
    lf_arena a;
    lf_arena_init(&a, 0);
    lf_strmap m = {0};
    lf_strmap_slot *s;
    bool ex;
    char k[32];
    for (uint32_t i = 0; i < 100000; i++) {
        int n = snprintf(k, sizeof k, "key-%u", i);
        assert_int_equal(lf_strmap_put(&m, &a, k, (size_t)n, i, &s, &ex), 0);
        assert_false(ex);
    }
    assert_int_equal(m.n, 100000);
    for (uint32_t i = 0; i < 100000; i += 7) {
        int n = snprintf(k, sizeof k, "key-%u", i);
        s = lf_strmap_find(&m, k, (size_t)n);
        assert_non_null(s);
        assert_int_equal(s->v, i);
    }
    assert_null(lf_strmap_find(&m, "key-100000", 10));
    /* a prefix of a key is another key */
    assert_null(lf_strmap_find(&m, "key-1", 4));
    /* duplicates keep the first value and say so */
    assert_int_equal(lf_strmap_put(&m, &a, "key-5", 5, 99, &s, &ex), 0);
    assert_true(ex);
    assert_int_equal(s->v, 5);
    /* binary keys */
    assert_int_equal(lf_strmap_put(&m, &a, "a\0b", 3, 7, &s, &ex), 0);
    assert_false(ex);
    assert_null(lf_strmap_find(&m, "a\0c", 3));
    assert_int_equal(lf_strmap_find(&m, "a\0b", 3)->v, 7);
    assert_true(lf_strmap_hash("", 0) != 0);
    /* reset empties the map and keeps its table */
    size_t cap = m.cap;
    lf_strmap_reset(&m);
    assert_int_equal(m.n, 0);
    assert_int_equal(m.cap, cap);
    assert_null(lf_strmap_find(&m, "key-5", 5));
    assert_int_equal(lf_strmap_put(&m, &a, "key-5", 5, 42, &s, &ex), 0);
    assert_false(ex);
    assert_int_equal(lf_strmap_find(&m, "key-5", 5)->v, 42);
    lf_strmap_clear(&m);
    assert_null(lf_strmap_find(&m, "key-5", 5));
    lf_arena_clear(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_put_find_grow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
