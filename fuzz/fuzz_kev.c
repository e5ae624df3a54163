/*
 * fuzz_kev: the CISA KEV catalog reader on any bytes: no crash, no leak, and every entry
 * seen is either kept or reported.
 */
#include <stdint.h>
#include <stdlib.h>

#include "feeds/kev.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lf_vdb_builder *b = lf_vdb_builder_new();
    if (!b)
        return 0;
    lf_feed_ctx c;
    lf_feed_ctx_init(&c, b);
    lf_err err;
    lf_err_clear(&err);
    lf_kev_import_buffer(&c, "fuzz", (const char *)data, size, &err);
    if (c.report.added + c.report.errors < c.report.records)
        __builtin_trap();
    lf_vdb_builder_free(b);
    return 0;
}
