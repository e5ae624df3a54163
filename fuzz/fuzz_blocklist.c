/*
 * fuzz_blocklist: the blocklist value parsers (lf_bl_parse_ipv4/ipv6, lf_bl_norm_domain,
 * _url, _hash) and the whole generator on any bytes. The first byte picks the indicator
 * type of each line; the rest are newline-separated values.
 * Invariants: no crash, no leak; an accepted value normalises to a form that is accepted
 * again unchanged (idempotence); a rejection always has a reason; every output format
 * is written, and the IP list re-parses line by line.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "isac/blocklist.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_norm(bool (*fn)(const char *, size_t, char *, size_t, size_t *, const char **), const char *s,
                       size_t n)
{
    char out[4200], again[4200];
    size_t on = 0, an = 0;
    const char *why = NULL;
    if (!fn(s, n, out, sizeof out, &on, &why)) {
        if (!why)
            __builtin_trap();
        return;
    }
    if (on != strlen(out) || !fn(out, on, again, sizeof again, &an, &why) || an != on || memcmp(out, again, on))
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 65536)
        return 0;
    lf_bl_type type = (lf_bl_type)(data[0] % 6);
    char *text = malloc(size);
    if (!text)
        return 0;
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    lf_blocklist *bl = NULL;
    if (lf_blocklist_new(NULL, &bl, NULL)) {
        free(text);
        return 0;
    }
    char *line = text;
    size_t left = size - 1;
    while (left) {
        char *nl = memchr(line, '\n', left);
        size_t n = nl ? (size_t)(nl - line) : left;
        uint32_t a4;
        uint8_t a6[16];
        unsigned p;
        const char *why = NULL;
        if (!lf_bl_parse_ipv4(line, n, &a4, &p, &why) && !why)
            __builtin_trap();
        why = NULL;
        if (!lf_bl_parse_ipv6(line, n, a6, &p, &why) && !why)
            __builtin_trap();
        check_norm(lf_bl_norm_domain, line, n);
        check_norm(lf_bl_norm_url, line, n);
        check_norm(lf_bl_norm_hash, line, n);
        if (!memchr(line, '\0', n)) {
            char saved = line[n];
            line[n] = '\0';
            lf_bl_indicator ind = {"indicator--f", line, type, 0, "fuzz", 0};
            lf_err err;
            int rc = lf_blocklist_add(bl, &ind, &err);
            if (rc && rc != LF_EPARSE)
                __builtin_trap();
            line[n] = saved;
        }
        if (!nl)
            break;
        left -= n + 1;
        line = nl + 1;
    }
    lf_buf out;
    lf_buf_init(&out, 0);
    for (int f = 0; f < LF_BL_NFORMATS; f++) {
        lf_buf_reset(&out);
        if (lf_blocklist_write(bl, (lf_bl_format)f, &out, NULL))
            __builtin_trap();
        if (f == LF_BL_FMT_IP && out.len) {
            for (char *l = out.data; *l;) {
                char *e = strchr(l, '\n');
                if (!e)
                    __builtin_trap();
                uint32_t a4;
                uint8_t a6[16];
                unsigned p;
                const char *why;
                if (!lf_bl_parse_ipv4(l, (size_t)(e - l), &a4, &p, &why) &&
                    !lf_bl_parse_ipv6(l, (size_t)(e - l), a6, &p, &why))
                    __builtin_trap();
                l = e + 1;
            }
        }
    }
    lf_buf_clear(&out);
    lf_blocklist_free(bl);
    free(text);
    return 0;
}
