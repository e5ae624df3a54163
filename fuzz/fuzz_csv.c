/*
 * fuzz_csv: the CSV/TSV inventory reader and its sniffer on any bytes.
 * Invariants: no crash, no leak, no read past the input; the loss rule holds (every
 * record and rejection the reader counts reached the sink, and nothing else did);
 * LF_EFORMAT delivers nothing; records carry a name and a line, in file order.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "intake/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct tally {
    size_t recs, rejs;
    long last_line, max_line;
} tally;

static int on_rec(void *ud, const lf_inv_rec *r)
{
    tally *t = ud;
    t->recs++;
    if (!r->name || !r->name[0] || r->line < 1 || r->line < t->last_line || r->line > t->max_line)
        __builtin_trap();
    t->last_line = r->line;
    return 0;
}

static void on_rej(void *ud, const lf_err *e)
{
    tally *t = ud;
    t->rejs++;
    if (e->line < 1 || e->line > t->max_line || !e->msg[0])
        __builtin_trap();
}

static void run(lf_inv_reader_fn fn, const char *text, size_t size)
{
    tally t = {0, 0, 0, 1};
    for (size_t i = 0; i < size; i++)
        if (text[i] == '\n')
            t.max_line++;
    lf_inv_sink sink = {on_rec, on_rej, &t};
    lf_inv_counts cnt;
    lf_err err;
    lf_err_clear(&err);
    lf_inv_opts opts = {"fuzz-host", "fuzz-os"};
    int rc = fn("fuzz.txt", text, size, &opts, &sink, &cnt, &err);
    if (rc != LF_OK && rc != LF_EFORMAT)
        __builtin_trap();   /* the sink never stops it and memory does not run out here */
    if (cnt.records != t.recs || cnt.rejected != t.rejs)
        __builtin_trap();
    if (rc == LF_EFORMAT && (t.recs || t.rejs))
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* a copy of exactly `size` bytes, so ASan sees any read past the end */
    char *text = malloc(size ? size : 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    int s = lf_csv_sniff(text, size);
    if (s < 0 || s > 100)
        __builtin_trap();
    run(lf_csv_read, text, size);
    free(text);
    return 0;
}
