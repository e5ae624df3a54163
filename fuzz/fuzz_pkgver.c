/*
 * fuzz_pkgver: the ecosystem version orders (src/vans/pkgver.c) on arbitrary bytes.
 *
 * Input: the first byte picks the scheme (modulo LF_VS_COUNT + 1, so an out-of-range
 * scheme is exercised too); the rest is split at the first '\n' into versions a and b.
 * For every scheme (the chosen one and, to cover all of them on every input, each
 * other one as well) checked with __builtin_trap() on violation: cmp(a, b) succeeds
 * exactly when valid(a) and valid(b); then cmp(a, b) == -cmp(b, a), cmp(a, a) == 0,
 * results are -1, 0 or 1, a failed cmp leaves *out at 0; cmpz agrees with cmp on
 * NUL-free input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vans/pkgver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(lf_vscheme s, const char *a, size_t an, const char *b, size_t bn)
{
    bool va = lf_pkgver_valid(s, a, an), vb = lf_pkgver_valid(s, b, bn);
    int ab = 9, ba = 9, aa = 9, bb = 9;
    bool ok = lf_pkgver_cmp(s, a, an, b, bn, &ab);
    bool ok2 = lf_pkgver_cmp(s, b, bn, a, an, &ba);
    if (ok != (va && vb) || ok2 != ok)
        __builtin_trap();
    if (!ok) {
        if (ab != 0 || ba != 0)
            __builtin_trap();
    } else if (ab < -1 || ab > 1 || ab != -ba) {
        __builtin_trap();
    }
    if (lf_pkgver_cmp(s, a, an, a, an, &aa) != va || aa != 0)
        __builtin_trap();
    if (lf_pkgver_cmp(s, b, bn, b, bn, &bb) != vb || bb != 0)
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    lf_vscheme s = (lf_vscheme)(data[0] % (LF_VS_COUNT + 1));
    const char *a = (const char *)data + 1;
    size_t rest = size - 1;
    const char *nl = memchr(a, '\n', rest);
    size_t an = nl ? (size_t)(nl - a) : rest;
    const char *b = nl ? nl + 1 : a + rest;
    size_t bn = nl ? rest - an - 1 : 0;

    check(s, a, an, b, bn);
    for (int k = 0; k < LF_VS_COUNT; k++)
        if (k != (int)s)
            check((lf_vscheme)k, a, an, b, bn);

    /* the NUL-terminated entry point on NUL-free parts */
    if (!memchr(a, 0, an) && !memchr(b, 0, bn)) {
        char *za = malloc(an + 1), *zb = malloc(bn + 1);
        if (za && zb) {
            memcpy(za, a, an);
            za[an] = '\0';
            memcpy(zb, b, bn);
            zb[bn] = '\0';
            int x = 9, y = 9;
            bool o1 = lf_pkgver_cmp(s, a, an, b, bn, &x);
            bool o2 = lf_pkgver_cmpz(s, za, zb, &y);
            if (o1 != o2 || x != y)
                __builtin_trap();
        }
        free(za);
        free(zb);
    }
    return 0;
}
