/*
 * fuzz_version: the version order (src/vans/version.c) on arbitrary bytes.
 *
 * The input is split at the first two '\n' bytes into three versions a, b, c (missing
 * parts are empty; '\n' is a separator inside a version anyway, so nothing is lost).
 * Checked, with __builtin_trap() on violation: reflexivity, antisymmetry and
 * transitivity of lf_version_ncmp over all orderings of the triple; agreement of every
 * comparison with memcmp of lf_version_key (shorter key first on a common prefix); the
 * key size bound; a short output buffer receiving a prefix of the key; lf_version_cmp
 * agreeing with lf_version_ncmp on NUL-free parts; and the LF_VERSION_MAX cut-off.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vans/version.h"

static int key_cmp(const unsigned char *a, size_t an, const unsigned char *b, size_t bn)
{
    int r = memcmp(a, b, an < bn ? an : bn);
    if (r)
        return r < 0 ? -1 : 1;
    return (an > bn) - (an < bn);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p[3];
    size_t n[3];
    const char *s = (const char *)data;
    size_t at = 0;
    for (int i = 0; i < 3; i++) {
        p[i] = s + at;
        size_t e = at;
        while (i < 2 && e < size && data[e] != '\n')
            e++;
        if (i == 2)
            e = size;
        n[i] = e - at;
        at = e < size ? e + 1 : e;
    }

    unsigned char k[3][LF_VERSION_KEY_MAX];
    size_t kl[3];
    for (int i = 0; i < 3; i++) {
        kl[i] = lf_version_key(p[i], n[i], k[i], sizeof k[i]);
        if (kl[i] < 1 || kl[i] > 323)
            __builtin_trap();
        /* a short buffer gets a prefix and the same length */
        unsigned char part[8];
        size_t cap = kl[i] % 8;
        if (lf_version_key(p[i], n[i], part, cap) != kl[i] || memcmp(part, k[i], cap) != 0)
            __builtin_trap();
        /* bytes past LF_VERSION_MAX never count */
        if (n[i] > LF_VERSION_MAX &&
            lf_version_ncmp(p[i], n[i], p[i], LF_VERSION_MAX) != 0)
            __builtin_trap();
        (void)lf_version_orderable(p[i], n[i]);
    }

    int c[3][3];
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            c[i][j] = lf_version_ncmp(p[i], n[i], p[j], n[j]);
    for (int i = 0; i < 3; i++) {
        if (c[i][i] != 0)
            __builtin_trap();
        for (int j = 0; j < 3; j++) {
            if (c[i][j] != -c[j][i])
                __builtin_trap();
            if (c[i][j] != key_cmp(k[i], kl[i], k[j], kl[j]))
                __builtin_trap();
            for (int l = 0; l < 3; l++)
                if (c[i][j] <= 0 && c[j][l] <= 0 && c[i][l] > 0)
                    __builtin_trap();
        }
    }

    /* the NUL-terminated entry point reads up to the first NUL */
    char *z[3];
    for (int i = 0; i < 3; i++) {
        z[i] = malloc(n[i] + 1);
        if (!z[i]) {
            for (int j = 0; j < i; j++)
                free(z[j]);
            return 0;
        }
        memcpy(z[i], p[i], n[i]);
        z[i][n[i]] = '\0';
    }
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            if (lf_version_cmp(z[i], z[j]) !=
                lf_version_ncmp(z[i], strlen(z[i]), z[j], strlen(z[j])))
                __builtin_trap();
    for (int i = 0; i < 3; i++)
        free(z[i]);
    return 0;
}
