/*
 * fuzz_textenc: encoding detection and conversion on any bytes, detected and forced.
 * Invariants: no crash, no leak; success gives NUL-terminated, NUL-free, strict UTF-8 of
 * the reported length; failure gives LF_EPARSE with col in [1, len + 1] and no output.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "intake/textenc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Strict UTF-8 (RFC 3629), written independently of textenc.c's validator. */
static int valid_utf8(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint32_t c = s[i], cp, min;
        size_t l;
        if (c == 0)
            return 0;
        if (c < 0x80) {
            i++;
            continue;
        }
        if ((c & 0xE0) == 0xC0)
            l = 2, cp = c & 0x1F, min = 0x80;
        else if ((c & 0xF0) == 0xE0)
            l = 3, cp = c & 0x0F, min = 0x800;
        else if ((c & 0xF8) == 0xF0)
            l = 4, cp = c & 0x07, min = 0x10000;
        else
            return 0;
        if (n - i < l)
            return 0;
        for (size_t k = 1; k < l; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return 0;
            cp = cp << 6 | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += l;
    }
    return 1;
}

static void run(const uint8_t *data, size_t size, int forced)
{
    char *out = NULL;
    size_t n = 0;
    lf_textenc enc = (lf_textenc)-1;
    lf_err err;
    lf_err_clear(&err);
    int rc = lf_textenc_to_utf8("fuzz", data, size, forced, &out, &n, &enc, &err);
    if (rc == LF_OK) {
        if (!out || out[n] != '\0' || strlen(out) != n || !valid_utf8((const unsigned char *)out, n))
            __builtin_trap();
        if ((int)enc < LF_ENC_UTF8 || (int)enc > LF_ENC_GB18030)
            __builtin_trap();
        /* Valid UTF-8 input without BOM is taken as it is. */
        if (forced < 0 && enc == LF_ENC_UTF8 && (n != size || memcmp(out, data, size) != 0))
            __builtin_trap();
        free(out);
        return;
    }
    if (out || rc != LF_EPARSE || err.code != LF_EPARSE || err.col < 1 || (size_t)err.col > size + 1)
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    run(data, size, -1);
    /* The first byte picks a forced encoding too, so every decoder sees every input. */
    if (size)
        run(data + 1, size - 1, data[0] % 6);
    return 0;
}
