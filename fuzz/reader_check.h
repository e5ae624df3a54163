/*
 * reader_check: the invariants every inventory format reader (intake/inv.h) must keep on
 * any bytes, shared by the fuzz targets of the line-oriented readers (csv, wmic, pkglist):
 * no crash, no leak, no read past the input (the input is copied to exactly its size); the
 * loss rule (every record and rejection the reader counts reached the sink, nothing else
 * did); LF_EFORMAT delivers nothing; records carry a name and a line, in file order, within
 * the file's lines; a sniffer answers 0..100.
 */
#ifndef LF_FUZZ_READER_CHECK_H
#define LF_FUZZ_READER_CHECK_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "intake/inv.h"

typedef struct lf_fuzz_tally {
    size_t recs, rejs;
    long last_line, max_line;
} lf_fuzz_tally;

static int lf_fuzz_on_rec(void *ud, const lf_inv_rec *r)
{
    lf_fuzz_tally *t = ud;
    t->recs++;
    if (!r->name || !r->name[0] || r->line < 1 || r->line < t->last_line || r->line > t->max_line)
        __builtin_trap();
    t->last_line = r->line;
    return 0;
}

static void lf_fuzz_on_rej(void *ud, const lf_err *e)
{
    lf_fuzz_tally *t = ud;
    t->rejs++;
    if (e->line < 1 || e->line > t->max_line || !e->msg[0])
        __builtin_trap();
}

static void lf_fuzz_check_sniff(int score)
{
    if (score < 0 || score > 100)
        __builtin_trap();
}

static void lf_fuzz_check_reader(lf_inv_reader_fn fn, const char *text, size_t size)
{
    lf_fuzz_tally t = {0, 0, 0, 1};
    for (size_t i = 0; i < size; i++)
        if (text[i] == '\n')
            t.max_line++;
    lf_inv_sink sink = {lf_fuzz_on_rec, lf_fuzz_on_rej, &t};
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

/* A copy of exactly size bytes, so ASan sees any read past the end (NULL: skip). */
static char *lf_fuzz_copy(const uint8_t *data, size_t size)
{
    char *text = malloc(size ? size : 1);
    if (text)
        memcpy(text, data, size);
    return text;
}

#endif
