/*
 * fuzz_stixpat: the STIX 2.1 pattern parser and indicator extraction on any bytes.
 * Invariants: no crash, no leak; a failure is LF_EPARSE or LF_ELIMIT located inside the
 * input (offset <= size); a parsed pattern always yields indicators, each a non-empty
 * value located inside the input, with a reason exactly when it is rejected.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "isac/stixpat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lf_arena a;
    lf_arena_init(&a, 0);
    lf_err err;
    lf_err_clear(&err);
    const lf_stixpat *p = NULL;
    int rc = lf_stixpat_parse(&a, (const char *)data, size, &p, &err);
    if (rc) {
        if ((rc != LF_EPARSE && rc != LF_ELIMIT) || err.col < 1 || (size_t)err.col > size + 1 || p)
            __builtin_trap();
    } else {
        lf_stixpat_iocs r;
        if (!p || !p->root || p->ncmp == 0 || lf_stixpat_iocs_get(&a, p, &r, &err) != LF_OK)
            __builtin_trap();
        for (size_t i = 0; i < r.n; i++)
            if (!r.items[i].value || r.items[i].reason || r.items[i].off >= size || !r.items[i].cmp)
                __builtin_trap();
        for (size_t i = 0; i < r.nrejected; i++)
            if (!r.rejected[i].reason || r.rejected[i].off >= size)
                __builtin_trap();
    }
    lf_arena_clear(&a);
    return 0;
}
