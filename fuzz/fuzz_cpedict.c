/*
 * fuzz_cpedict: the CPE dictionary reader (XML through expat, CPE API 2.0 JSON) on any
 * bytes. Invariants: no crash, no leak; every digest line is "part:vendor:product<TAB>key"
 * with a valid part and no newline inside; lines written <= items seen; on success the
 * buffer holds exactly the lines counted, on error nothing.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "feeds/cpedict.h"
#include "intake/normalize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* OpenCC's tables load once (a harness may keep state; the library does not) */
static lf_norm *norm;

static void cleanup(void)
{
    lf_norm_free(norm);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!norm) {
        lf_err e;
        if (lf_norm_new(&norm, &e) != LF_OK)
            abort();
        atexit(cleanup);
    }
    lf_buf out;
    lf_buf_init(&out, 0);
    lf_cpedict_stats st;
    lf_err err;
    lf_err_clear(&err);
    int rc = lf_cpedict_read_buffer("fuzz.xml", (const char *)data, size, &out, norm, NULL, NULL, &st, &err);
    if (st.written > st.items)
        __builtin_trap();
    size_t lines = 0;
    for (size_t i = 0; i < out.len;) {
        const char *l = out.data + i;
        const char *nl = memchr(l, '\n', out.len - i);
        if (!nl)
            __builtin_trap();   /* every line ends */
        if ((l[0] != 'a' && l[0] != 'o' && l[0] != 'h') || l[1] != ':' || !memchr(l, '\t', (size_t)(nl - l)))
            __builtin_trap();
        lines++;
        i += (size_t)(nl - l) + 1;
    }
    if (rc == LF_OK ? lines != st.written : lines != 0)
        __builtin_trap();   /* on success every written line is there; on error none */
    lf_buf_clear(&out);
    return 0;
}
