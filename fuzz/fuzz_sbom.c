/*
 * fuzz_sbom: the CycloneDX, SPDX JSON and SPDX tag-value readers (and their sniffers) on
 * any bytes. The first byte picks the reader (b % 3: CycloneDX, SPDX JSON, tag-value) and
 * a stopping point for the sink ((b >> 2) & 7, 0 = never); the rest is the document.
 * Invariants: no crash, no leak; the loss rule holds (records + rejected counted == sink
 * calls); LF_EFORMAT, and for the JSON readers LF_EPARSE, deliver nothing; a stopping
 * sink's value is returned.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "intake/sbom.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct count {
    size_t recs, rejs, stop_after;
} count;

static void touch(const char *s)
{
    if (s && strlen(s) > ((size_t)1 << 30))
        __builtin_trap();
}

static int on_rec(void *ud, const lf_inv_rec *r)
{
    count *c = ud;
    if (!r->name || !r->name[0] || r->line < 1)
        __builtin_trap();
    touch(r->version);
    touch(r->vendor);
    touch(r->host);
    touch(r->os);
    touch(r->cpe);
    touch(r->purl);
    touch(r->ecosystem);
    c->recs++;
    return c->stop_after && c->recs >= c->stop_after ? 9 : 0;
}

static void on_reject(void *ud, const lf_err *e)
{
    count *c = ud;
    if (e->line < 1 || !memchr(e->msg, '\0', sizeof e->msg))
        __builtin_trap();
    c->rejs++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const lf_inv_reader_fn readers[] = {lf_sbom_cdx_read, lf_sbom_spdx_read, lf_sbom_spdx_tv_read};
    unsigned which = data[0] % 3;
    count c = {0, 0, (size_t)((data[0] >> 2) & 7)};
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    int s[] = {lf_sbom_cdx_sniff(text, len), lf_sbom_spdx_sniff(text, len), lf_sbom_spdx_tv_sniff(text, len)};
    for (size_t i = 0; i < 3; i++)
        if (s[i] < 0 || s[i] > 100)
            __builtin_trap();
    lf_inv_sink sink = {on_rec, on_reject, &c};
    lf_inv_counts n;
    lf_err err;
    lf_err_clear(&err);
    int rc = readers[which]("fuzz.sbom", text, len, NULL, &sink, &n, &err);
    if (n.records != c.recs || n.rejected != c.rejs)
        __builtin_trap();
    if (rc == LF_EFORMAT && c.recs + c.rejs + n.skipped != 0)
        __builtin_trap();
    if (which < 2 && rc == LF_EPARSE && c.recs + c.rejs != 0)
        __builtin_trap();
    if (rc == 9 && c.recs != c.stop_after)
        __builtin_trap();
    return 0;
}
