/*
 * fuzz_cpelist: the CPE-list / JSON / JSON Lines inventory reader on any bytes.
 * Invariants: no crash, no leak; items delivered + items rejected == items seen.
 */
#include <stdint.h>
#include <stdlib.h>

#include "intake/cpelist.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct count {
    size_t delivered;
} count;

static int on_host(void *ud, const lf_inv_host *h)
{
    count *c = ud;
    c->delivered += h->nitems;
    for (size_t i = 0; i < h->nitems; i++)
        if (!h->raw[i] || h->lines[i] < 1)
            __builtin_trap();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    count c = {0};
    lf_inv_report rep;
    lf_err err;
    lf_err_clear(&err);
    lf_cpelist_read_buffer("fuzz.txt", (const char *)data, size, on_host, NULL, &c, &rep, &err);
    if (c.delivered > rep.items)
        __builtin_trap();
    return 0;
}
