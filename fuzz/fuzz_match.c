/*
 * fuzz_match: a differential test of the matcher. The input is a list of hosts (lines of
 * CPE names; a blank line starts the next host) matched against the bundled NVD sample
 * (data/sample/nvd-sample.json.gz, indexed once at start) by two matchers, one with the
 * smallest cache (so records are built, replayed and evicted) and one without; every host
 * must give the same hits (kind, vuln, doc, item, criterion, configuration, reason) in
 * the same order, and those hits must agree with lf_explain's plain evaluation of every
 * document for the host, as match_explain_check.h states the relationship (H1-H6). Lines
 * that are not CPE names are skipped. The index loads once (a harness may keep state;
 * the library does not).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/file.h"
#include "feeds/feed.h"
#include "feeds/nvd.h"
#include "vans/match.h"
#include "match_explain_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static lf_vdb *db;
static lf_matcher *cached, *plain;
static mxc *check;   /* the index's documents, for the explain check */
static char path[128];

static void cleanup(void)
{
    lf_matcher_free(cached);
    lf_matcher_free(plain);
    mxc_free(check);
    lf_vdb_close(db);
    unlink(path);
}

static void setup(void)
{
    lf_err err;
    lf_err_clear(&err);
    lf_vdb_builder *b = lf_vdb_builder_new();
    lf_feed_ctx c;
    lf_feed_ctx_init(&c, b);
    snprintf(path, sizeof path, "/tmp/lf-fuzz-match-%ld.lfx", (long)getpid());
    if (!b || lf_nvd_import_file(&c, LF_SOURCE_DIR "/data/sample/nvd-sample.json.gz", &err) ||
        lf_vdb_builder_write(b, path, &err) || lf_vdb_open(path, &db, &err))
        abort();
    lf_vdb_builder_free(b);
    lf_matcher_opts small = {.cache_bytes = LF_MATCHER_CACHE_MIN};
    lf_matcher_opts off = {.cache_bytes = 0};
    if (lf_matcher_new_opts(db, &small, &cached, &err) || lf_matcher_new_opts(db, &off, &plain, &err))
        abort();
    const char *why;
    if (!(check = mxc_new(db, &why)))
        abort();
    atexit(cleanup);
}

static void same(const lf_cpe *items, size_t n)
{
    const lf_hit *ha, *hb;
    size_t na, nb;
    if (lf_matcher_run(cached, items, n, &ha, &na, NULL) != LF_OK)
        return;            /* out of memory: nothing to compare */
    lf_hit *copy = na ? malloc(na * sizeof(*copy)) : NULL;
    if (na && !copy)
        return;
    if (na)
        memcpy(copy, ha, na * sizeof(*copy));
    if (lf_matcher_run(plain, items, n, &hb, &nb, NULL) != LF_OK) {
        free(copy);
        return;
    }
    if (na != nb)
        __builtin_trap();
    for (size_t i = 0; i < na; i++) {
        const lf_hit *a = &copy[i], *b = &hb[i];
        if (a->kind != b->kind || a->vuln != b->vuln || a->item != b->item || a->ref != b->ref ||
            a->why != b->why || lf_hit_doc(db, a) != lf_hit_doc(db, b) ||
            lf_hit_config(db, a) != lf_hit_config(db, b))
            __builtin_trap();
    }
    char msg[1024];
    if (mxc_check(check, items, n, copy, na, msg, sizeof msg) < 0) {
        fprintf(stderr, "fuzz_match: %s\n", msg);
        __builtin_trap();
    }
    free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!db)
        setup();
    lf_cpe items[64];
    size_t n = 0, pos = 0;
    while (pos <= size) {
        const uint8_t *nl = pos < size ? memchr(data + pos, '\n', size - pos) : NULL;
        size_t l = nl ? (size_t)(nl - (data + pos)) : size - pos;
        if (l == 0 || n == 64) {
            if (n)
                same(items, n);
            n = 0;
        }
        if (l && n < 64 && lf_cpe_parse(&items[n], (const char *)data + pos, l, NULL) == LF_OK)
            n++;
        if (!nl)
            break;
        pos += l + 1;
    }
    if (n)
        same(items, n);
    return 0;
}
