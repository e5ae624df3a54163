/*
 * fuzz_stix: STIX 2.1 object / bundle / envelope validation on any bytes (JSON or not).
 * Invariants: no crash, no leak; every input object is either returned valid or counted
 * invalid with at least one problem; every valid view has a type and an id; every problem
 * has a path and a message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "isac/stix.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lf_arena a;
    lf_arena_init(&a, 0);
    lf_err err;
    lf_err_clear(&err);
    lf_stix_set s;
    int rc = lf_stix_read_buffer(&a, (const char *)data, size, &s, &err);
    if (rc == LF_OK) {
        if (s.nobjs + s.ninvalid != s.ninput || (s.ninvalid && !s.nproblems))
            __builtin_trap();
        for (size_t i = 0; i < s.nobjs; i++)
            if (!s.objs[i].type || !s.objs[i].id || !s.objs[i].json || s.objs[i].index >= s.ninput)
                __builtin_trap();
        for (size_t i = 0; i < s.nproblems; i++)
            if (!s.problems[i].path || !s.problems[i].msg)
                __builtin_trap();
    }
    lf_arena_clear(&a);
    return 0;
}
