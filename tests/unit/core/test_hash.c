/*
 * Tests for core/hash.c: lf_hash64 depends on every byte and on the length, reads no byte
 * past the end (each input is an exact-size heap copy, so ASan sees an over-read), and
 * spreads short keys over a table's slots.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"

static uint64_t hash_copy(const unsigned char *p, size_t n)
{
    unsigned char *c = malloc(n ? n : 1);
    assert_non_null(c);
    memcpy(c, p, n);
    uint64_t h = lf_hash64(c, n);
    free(c);
    return h;
}

static void every_byte_and_length(void **state)
{
    (void)state;
    unsigned char buf[64];
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (unsigned char)(i * 37 + 11);
    for (size_t n = 0; n <= sizeof buf; n++) {
        uint64_t h = hash_copy(buf, n);
        assert_true(h == hash_copy(buf, n));
        /* one bit flipped anywhere in the first n bytes changes it */
        for (size_t i = 0; i < n; i++) {
            buf[i] ^= 4;
            assert_true(hash_copy(buf, n) != h);
            buf[i] ^= 4;
        }
        /* the same bytes, one shorter or longer (zero tail): another value */
        if (n)
            assert_true(hash_copy(buf, n - 1) != h);
    }
    unsigned char z[16] = {0};
    for (size_t n = 0; n < 16; n++)
        assert_true(hash_copy(z, n) != hash_copy(z, n + 1));
}

static void spreads_keys(void **state)
{
    (void)state;
    /* CVE ids into 1,024 slots: no slot gets more than a few times its share */
    enum { SLOTS = 1024, KEYS = 20000 };
    unsigned *count = calloc(SLOTS, sizeof *count);
    assert_non_null(count);
    char id[32];
    for (int i = 0; i < KEYS; i++) {
        int n = snprintf(id, sizeof id, "CVE-2025-%05d", i);
        count[lf_hash64(id, (size_t)n) & (SLOTS - 1)]++;
    }
    unsigned most = 0;
    for (int k = 0; k < SLOTS; k++)
        most = count[k] > most ? count[k] : most;
    assert_true(most < 4 * KEYS / SLOTS);
    free(count);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_byte_and_length),
        cmocka_unit_test(spreads_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
