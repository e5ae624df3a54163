/*
 * fuzz_purlidx: syft's ecosystem → CPE index reader (intake/purlidx.h) on any bytes.
 * Invariants: no crash, no leak, no read past the input; the call fails only as the header
 * says (LF_EPARSE, LF_EFORMAT, LF_ELIMIT: memory does not run out here) and then keeps
 * nothing; every malformed entry is reported with the source and its JSON path, up to the
 * cap plus one summary line, and counted; what is kept, written back (lf_purlidx_write_buf)
 * and read again is the same index, written the same bytes, with nothing malformed; a
 * lookup of any name answers without reading past it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "intake/purlidx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct tally {
    size_t warnings;
} tally;

static void on_warn(void *ud, const lf_err *e)
{
    tally *t = ud;
    t->warnings++;
    if (strcmp(e->src, "fuzz.json") != 0 || !e->msg[0])
        __builtin_trap();
    /* one by one: the JSON path first; the summary line says how many more */
    if (t->warnings <= LF_PURLIDX_MAX_WARNINGS ? strncmp(e->msg, "ecosystems", 10) != 0
                                               : strstr(e->msg, "further malformed") == NULL)
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size ? size : 1);
    if (!text)
        return 0;
    memcpy(text, data, size);   /* exactly size bytes: ASan sees a read past the end */
    lf_purlidx *x = NULL, *y = NULL;
    lf_err err;
    lf_err_clear(&err);
    if (lf_purlidx_new(&x, &err) != LF_OK)
        abort();
    tally t = {0};
    int rc = lf_purlidx_load_buffer(x, "fuzz.json", text, size, on_warn, &t, &err);
    lf_purlidx_stats st;
    lf_purlidx_get_stats(x, &st);
    if (rc != LF_OK && rc != LF_EPARSE && rc != LF_EFORMAT && rc != LF_ELIMIT)
        __builtin_trap();
    if (rc != LF_OK && (st.packages || st.cpes || t.warnings || !err.msg[0]))
        __builtin_trap();   /* a refused file keeps nothing and says why */
    size_t shown = st.bad > LF_PURLIDX_MAX_WARNINGS ? LF_PURLIDX_MAX_WARNINGS + 1 : st.bad;
    if (t.warnings != shown || st.cpes < st.packages || st.ambiguous > st.packages)
        __builtin_trap();
    /* lookups with names taken from the input, in the ecosystems that fold differently */
    static const char *const ecos[] = {"npm", "pypi", "cargo", "golang", "maven", "gem"};
    size_t nl = size < 64 ? size : 64;
    for (size_t i = 0; i < sizeof ecos / sizeof ecos[0]; i++) {
        lf_product p[4];
        size_t n = lf_purlidx_lookup(x, ecos[i], text, nl, p, 4);
        for (size_t k = 0; k < n && k < 4; k++)
            if ((p[k].part != 'a' && p[k].part != 'o' && p[k].part != 'h') || !p[k].vendor[0] || !p[k].product[0])
                __builtin_trap();
    }
    if (rc == LF_OK) {
        lf_buf a, b;
        lf_buf_init(&a, 0);
        lf_buf_init(&b, 0);
        if (lf_purlidx_write_buf(x, &a) != LF_OK || lf_purlidx_new(&y, &err) != LF_OK)
            abort();
        tally t2 = {0};
        if (lf_purlidx_load_buffer(y, "fuzz.json", a.data, a.len, on_warn, &t2, &err) != LF_OK || t2.warnings)
            __builtin_trap();   /* what was kept is well-formed */
        lf_purlidx_stats s2;
        lf_purlidx_get_stats(y, &s2);
        if (s2.packages != st.packages || s2.cpes != st.cpes || s2.ambiguous != st.ambiguous || s2.bad)
            __builtin_trap();
        if (lf_purlidx_write_buf(y, &b) != LF_OK)
            abort();
        if (a.len != b.len || memcmp(a.data, b.data, a.len) != 0)
            __builtin_trap();   /* written twice, the same bytes */
        lf_buf_clear(&a);
        lf_buf_clear(&b);
    }
    lf_purlidx_free(y);
    lf_purlidx_free(x);
    free(text);
    return 0;
}
