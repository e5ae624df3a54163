/*
 * fuzz_nvd: the NVD CVE API 2.0 reader on any bytes. Invariants: no crash, no leak;
 * every record seen is accounted for (added + replaced + unchanged + stale + removed +
 * rejected_new + errors >= records, since a record can also carry part errors).
 */
#include <stdint.h>
#include <stdlib.h>

#include "feeds/nvd.h"

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
    lf_nvd_import_buffer(&c, "fuzz", (const char *)data, size, &err);
    const lf_feed_report *r = &c.report;
    size_t accounted = r->added + r->replaced + r->unchanged + r->stale + r->removed + r->rejected_new + r->errors;
    if (accounted < r->records)
        __builtin_trap();
    lf_vdb_builder_free(b);
    return 0;
}
