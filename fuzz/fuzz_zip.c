/*
 * fuzz_zip: the ZIP reader on any bytes: open, walk the central directory, extract
 * every entry (limit 1 MiB). Invariants: no crash, no read outside the input, no leak;
 * an extracted entry has exactly its stated size and is NUL-terminated; the walk ends.
 */
#include <stdint.h>
#include <stdlib.h>

#include "core/zip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lf_zip z;
    lf_err err;
    lf_err_clear(&err);
    if (lf_zip_open(&z, data, size, &err) != LF_OK)
        return 0;
    lf_zip_entry e;
    uint64_t seen = 0;
    while (lf_zip_next(&z, &e, &err) == LF_OK) {
        if (++seen > z.count || e.name_len > size)
            __builtin_trap();
        char *buf;
        size_t n;
        if (lf_zip_extract(&z, &e, (size_t)1 << 20, &buf, &n, &err) == LF_OK) {
            if (n != e.size || buf[n] != '\0')
                __builtin_trap();
            free(buf);
        }
    }
    return 0;
}
