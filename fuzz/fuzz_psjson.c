/*
 * fuzz_psjson: the PowerShell ConvertTo-Json inventory reader (and its sniffer) on any
 * bytes. Invariants: no crash, no leak; the loss rule holds (records + rejected counted
 * == sink calls); LF_EFORMAT delivers nothing; a stopping sink's value is returned.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "intake/psjson.h"

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
    touch(r->install_date);
    touch(r->host);
    touch(r->os);
    c->recs++;
    return c->stop_after && c->recs >= c->stop_after ? 7 : 0;
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
    /* stop early on some inputs, chosen without spending input bytes on it */
    count c = {0, 0, size % 7 == 0 ? 1 + size % 5 : 0};
    lf_inv_sink sink = {on_rec, on_reject, &c};
    lf_inv_counts n;
    lf_err err;
    lf_err_clear(&err);
    int s = lf_psjson_sniff((const char *)data, size);
    if (s < 0 || s > 100)
        __builtin_trap();
    lf_inv_opts opts = {"fuzz-host", NULL};
    int rc = lf_psjson_read("fuzz.json", (const char *)data, size, &opts, &sink, &n, &err);
    if (n.records != c.recs || n.rejected != c.rejs)
        __builtin_trap();
    if (rc == LF_EFORMAT && c.recs + c.rejs + n.skipped != 0)
        __builtin_trap();
    if (rc == 7 && c.recs != c.stop_after)
        __builtin_trap();
    return 0;
}
