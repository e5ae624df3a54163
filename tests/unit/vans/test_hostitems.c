/*
 * Tests for src/vans/hostitems.c: one item per CPE at the line that named it first, the
 * superseded flag carried over from any record naming the item, invalid names skipped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "vans/hostitems.h"

static void test_hostitems_dedup_and_flags(void **state)
{
    (void)state;
    lf_hostitems h;
    lf_hostitems_init(&h);
    const char *ossl = "cpe:2.3:a:openssl:openssl:3.0.2:*:*:*:*:*:*:*";
    /* libssl3 (line 2, no distribution data) then openssl (line 3, with): one item */
    assert_int_equal(lf_hostitems_add(&h, ossl, 2, false), LF_OK);
    assert_int_equal(lf_hostitems_add(&h, ossl, 3, true), LF_OK);
    assert_int_equal(h.n, 1);
    assert_int_equal(h.lines[0], 2);
    assert_true(h.superseded[0]);
    /* a parsed name and its formatted string are the same item */
    lf_cpe c;
    const char *pk = "cpe:2.3:p:ubuntu:openssl:3.0.2-0ubuntu1.7:*:*:*:*:22.04:*:*";
    assert_int_equal(lf_cpe_parse(&c, pk, strlen(pk), NULL), LF_OK);
    assert_int_equal(lf_hostitems_add_cpe(&h, &c, 3, false), LF_OK);
    assert_int_equal(lf_hostitems_add(&h, pk, 4, false), LF_OK);
    assert_int_equal(h.n, 2);
    assert_string_equal(h.raw[1], pk);
    assert_false(h.superseded[1]);
    /* not a CPE: ignored, nothing added */
    assert_int_equal(lf_hostitems_add(&h, "not a cpe", 5, false), LF_OK);
    assert_int_equal(h.n, 2);
    /* growth past the first allocation keeps every item */
    for (int i = 0; i < 200; i++) {
        char b[96];
        snprintf(b, sizeof b, "cpe:2.3:a:acme:tool%d:1.%d:*:*:*:*:*:*:*", i, i);
        assert_int_equal(lf_hostitems_add(&h, b, 10 + i, false), LF_OK);
    }
    assert_int_equal(h.n, 202);
    assert_string_equal(h.raw[201], "cpe:2.3:a:acme:tool199:1.199:*:*:*:*:*:*:*");
    assert_int_equal(h.lines[201], 209);
    lf_hostitems_clear(&h);
    assert_int_equal(h.n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hostitems_dedup_and_flags),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
