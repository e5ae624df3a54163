/*
 * fuzz_intake: the whole intake path on any bytes: encoding detection, format detection,
 * the chosen reader, normalisation (utf8proc, OpenCC), resolution against the shipped
 * dictionaries and the policy lists. Invariants: no crash, no leak; the report's loss
 * rule (records in = resolved + unresolved + rejected) and one callback per record.
 * The dictionaries load once (a harness may keep state; the library does not).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "intake/intake.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static lf_intake *ik;

static void cleanup(void)
{
    lf_intake_free(ik);
}

typedef struct counts {
    size_t items, rejects;
} counts;

static int on_item(void *ud, const lf_intake_item *it)
{
    counts *c = ud;
    c->items++;
    if (!it->host || !it->res)
        __builtin_trap();
    if (it->res->bucket == LF_BUCKET_RESOLVED && strncmp(it->res->cpe, "cpe:2.3:", 8) != 0)
        __builtin_trap();
    if (it->res->bucket == LF_BUCKET_UNRESOLVED && !it->res->reason)
        __builtin_trap();
    return 0;
}

static void on_reject(void *ud, const lf_err *e)
{
    counts *c = ud;
    c->rejects++;
    if (!e->msg[0])
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ik) {
        lf_intake_config cfg = {LF_SOURCE_DIR "/data/intake", NULL, NULL, NULL, NULL, NULL};
        lf_err e;
        if (lf_intake_new(&cfg, &ik, &e) != LF_OK)
            abort();
        atexit(cleanup);
    }
    counts c = {0, 0};
    lf_intake_report rep;
    lf_err err;
    lf_err_clear(&err);
    int rc = lf_intake_buffer(ik, "fuzz.csv", data, size, NULL, on_item, on_reject, &c, &rep, &err);
    if (rep.records_in != rep.resolved + rep.unresolved + rep.rejected)
        __builtin_trap();
    if (rc == LF_OK && (c.items != rep.resolved + rep.unresolved || c.rejects != rep.rejected))
        __builtin_trap();
    return 0;
}
