/*
 * Tests for src/core/sha2.c: the FIPS 180-4 / NIST example vectors for SHA-256 and
 * SHA-512 (empty, "abc", the two-block messages, a million 'a'), and incremental updates
 * split at every offset giving the one-call digest (block-boundary padding).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/sha2.h"

static const struct {
    lf_sha2_alg alg;
    const char *msg;
    const char *hex;
} vectors[] = {
    {LF_SHA2_256, "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {LF_SHA2_256, "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
    {LF_SHA2_256, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    {LF_SHA2_512, "",
     "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"},
    {LF_SHA2_512, "abc",
     "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"},
    {LF_SHA2_512,
     "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
     "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909"},
};

static void test_sha2_vectors(void **state)
{
    (void)state;
    char hex[2 * LF_SHA2_MAX_DIGEST + 1];
    for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
        lf_sha2_hex(vectors[i].alg, vectors[i].msg, strlen(vectors[i].msg), hex);
        assert_string_equal(hex, vectors[i].hex);
    }
}

static void test_sha2_million_a(void **state)
{
    (void)state;
    size_t n = 1000000;
    char *m = malloc(n);
    assert_non_null(m);
    memset(m, 'a', n);
    char hex[2 * LF_SHA2_MAX_DIGEST + 1];
    lf_sha2_hex(LF_SHA2_256, m, n, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    lf_sha2_hex(LF_SHA2_512, m, n, hex);
    assert_string_equal(hex, "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973ebde0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b");
    free(m);
}

/* Splitting the input anywhere must not change the digest: covers the carry of a partial
 * block and the padding that spills into a second block (lengths 55..64, 111..128). */
static void test_sha2_incremental(void **state)
{
    (void)state;
    unsigned char msg[300];
    for (size_t i = 0; i < sizeof msg; i++)
        msg[i] = (unsigned char)(i * 7 + 3);
    for (int alg = 0; alg < 2; alg++) {
        for (size_t len = 0; len <= sizeof msg; len += 1) {
            unsigned char whole[64], part[64];
            lf_sha2_ctx c;
            lf_sha2_init(&c, (lf_sha2_alg)alg);
            lf_sha2_update(&c, msg, len);
            lf_sha2_final(&c, whole);
            size_t cut = len / 3;
            lf_sha2_init(&c, (lf_sha2_alg)alg);
            lf_sha2_update(&c, msg, cut);
            lf_sha2_update(&c, msg + cut, len - cut);
            lf_sha2_final(&c, part);
            assert_memory_equal(whole, part, lf_sha2_len((lf_sha2_alg)alg));
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha2_vectors),
        cmocka_unit_test(test_sha2_million_a),
        cmocka_unit_test(test_sha2_incremental),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
