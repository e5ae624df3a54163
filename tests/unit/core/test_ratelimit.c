/*
 * Tests for core/ratelimit.c: a key is blocked at its max-th failure within the window and
 * for block_s exactly; failures outside the window start over; a reset forgets; other keys
 * are never blocked by one's failures; a full table reuses lapsed entries first and never
 * blocks a key that did not fail; threads counting at once lose no failure.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>

#include "core/ratelimit.h"

static lf_ratelimit *mk(unsigned max, int64_t window, int64_t block, size_t cap)
{
    lf_ratelimit_opts o = {max, window, block, cap};
    lf_ratelimit *r;
    lf_err e;
    assert_int_equal(lf_ratelimit_new(&o, &r, &e), LF_OK);
    return r;
}

static void blocks_at_max_for_block_s(void **state)
{
    (void)state;
    lf_ratelimit *r = mk(3, 60, 100, 16);
    int64_t left = -1;
    assert_false(lf_ratelimit_blocked(r, "10.0.0.1", 1000, &left));
    assert_int_equal(left, 0);
    assert_false(lf_ratelimit_fail(r, "10.0.0.1", 1000));
    assert_false(lf_ratelimit_fail(r, "10.0.0.1", 1010));
    assert_false(lf_ratelimit_blocked(r, "10.0.0.1", 1010, NULL));
    assert_true(lf_ratelimit_fail(r, "10.0.0.1", 1020));
    assert_true(lf_ratelimit_blocked(r, "10.0.0.1", 1020, &left));
    assert_int_equal(left, 100);
    assert_true(lf_ratelimit_blocked(r, "10.0.0.1", 1119, &left));
    assert_int_equal(left, 1);
    /* failures during the block do not extend it */
    assert_false(lf_ratelimit_fail(r, "10.0.0.1", 1100));
    assert_false(lf_ratelimit_blocked(r, "10.0.0.1", 1120, NULL));
    assert_false(lf_ratelimit_blocked(r, "10.0.0.2", 1050, NULL));
    /* after the block the count starts over */
    assert_false(lf_ratelimit_fail(r, "10.0.0.1", 1121));
    assert_false(lf_ratelimit_fail(r, "10.0.0.1", 1122));
    assert_true(lf_ratelimit_fail(r, "10.0.0.1", 1123));
    lf_ratelimit_free(r);
}

static void window_and_reset(void **state)
{
    (void)state;
    lf_ratelimit *r = mk(3, 60, 100, 16);
    assert_false(lf_ratelimit_fail(r, "alice", 0));
    assert_false(lf_ratelimit_fail(r, "alice", 30));
    /* the window (from the first failure) is over: this one starts a new count */
    assert_false(lf_ratelimit_fail(r, "alice", 60));
    assert_false(lf_ratelimit_fail(r, "alice", 61));
    assert_true(lf_ratelimit_fail(r, "alice", 62));
    lf_ratelimit_reset(r, "alice");
    assert_false(lf_ratelimit_blocked(r, "alice", 63, NULL));
    assert_false(lf_ratelimit_fail(r, "alice", 63));
    lf_ratelimit_reset(r, "nobody");       /* unknown key: nothing */
    lf_ratelimit_free(r);
}

static void full_table(void **state)
{
    (void)state;
    lf_ratelimit *r = mk(2, 60, 100, 4);
    assert_false(lf_ratelimit_fail(r, "a", 0));
    assert_true(lf_ratelimit_fail(r, "a", 1));     /* a blocked until 101 */
    char k[16];
    for (int i = 0; i < 50; i++) {                  /* a flood of other keys */
        snprintf(k, sizeof k, "k%d", i);
        assert_false(lf_ratelimit_fail(r, k, 2 + i));
        assert_false(lf_ratelimit_blocked(r, k, 2 + i, NULL));
    }
    /* the blocking entry was the last to go: it is kept while others are reusable */
    assert_true(lf_ratelimit_blocked(r, "a", 60, NULL));
    /* lapsed entries are reused before live ones */
    lf_ratelimit *q = mk(2, 10, 100, 2);
    assert_false(lf_ratelimit_fail(q, "x", 0));
    assert_false(lf_ratelimit_fail(q, "y", 5));
    assert_false(lf_ratelimit_fail(q, "z", 12));    /* x's window is over: its entry is reused */
    assert_true(lf_ratelimit_fail(q, "y", 13));     /* y's count survived */
    lf_ratelimit_free(q);
    lf_ratelimit_free(r);
}

static void bad_options(void **state)
{
    (void)state;
    lf_ratelimit_opts o = {0, 60, 100, 16};
    lf_ratelimit *r = (lf_ratelimit *)&o;
    lf_err e;
    assert_int_equal(lf_ratelimit_new(&o, &r, &e), LF_EINVAL);
    assert_null(r);
    o = (lf_ratelimit_opts){3, 60, 100, 0};
    assert_int_equal(lf_ratelimit_new(&o, &r, &e), LF_EINVAL);
    lf_ratelimit_free(NULL);
}

typedef struct {
    lf_ratelimit *r;
    int blocks;
} worker;

static void *fail_many(void *p)
{
    worker *w = p;
    for (int i = 0; i < 1000; i++)
        w->blocks += lf_ratelimit_fail(w->r, "shared", 0);
    return NULL;
}

/* 4 x 1000 failures of one key at one time, max 10: the first block comes at the 10th and
 * no later failure counts during it, so exactly one thread saw exactly one block */
static void threads(void **state)
{
    (void)state;
    lf_ratelimit *r = mk(10, 60, 100, 16);
    worker w[4];
    pthread_t t[4];
    for (int i = 0; i < 4; i++) {
        w[i] = (worker){r, 0};
        assert_int_equal(pthread_create(&t[i], NULL, fail_many, &w[i]), 0);
    }
    int blocks = 0;
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        blocks += w[i].blocks;
    }
    assert_int_equal(blocks, 1);
    assert_true(lf_ratelimit_blocked(r, "shared", 0, NULL));
    lf_ratelimit_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(blocks_at_max_for_block_s),
        cmocka_unit_test(window_and_reset),
        cmocka_unit_test(full_table),
        cmocka_unit_test(bad_options),
        cmocka_unit_test(threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
