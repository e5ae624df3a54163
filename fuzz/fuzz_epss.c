/*
 * fuzz_epss: the EPSS CSV reader on any bytes. Invariants: no crash, no leak; rows =
 * kept + bad + duplicates; a written file opens and every kept CVE can be looked up.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "feeds/epss.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char out[64];
    snprintf(out, sizeof out, "/tmp/lf-fuzz-epss-%ld.lfe", (long)getpid());
    lf_epss_stats st;
    lf_err err;
    lf_err_clear(&err);
    int rc = lf_epss_import_buffer("fuzz.csv", (const char *)data, size, out, NULL, NULL, &st, &err);
    if (rc == LF_OK) {
        if (st.rows != st.kept + st.bad + st.duplicates)
            __builtin_trap();
        lf_epss *e;
        if (lf_epss_open(out, &e, &err) != LF_OK)
            __builtin_trap();
        lf_epss_stats info;
        lf_epss_info(e, &info);
        if (info.kept != st.kept)
            __builtin_trap();
        lf_epss_close(e);
        unlink(out);
    }
    return 0;
}
