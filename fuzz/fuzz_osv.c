/*
 * fuzz_osv: the OSV reader on any bytes (JSON records, arrays, API answers, zips), and
 * the other outside-data entry points of osv.h on the same bytes: the binary -> source
 * table parser and the OS-text platform detection.
 * Invariants: no crash, no leak; every document handed to the builder is an OSV one with
 * a vuln_id, a doc_id and a modified time, and each of its criteria is a part 'p' CPE
 * name the index writer accepts, vulnerable, with a known scheme; every record seen is
 * accounted for (put results + errors >= records); a parsed srcmap answers lookups of
 * its own lines' names; lf_osv_platform never writes past its buffers.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "feeds/osv.h"
#include "vans/cpe.h"
#include "vans/pkgver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int on_doc(void *ud, const lf_vdoc *d, bool rejected)
{
    (void)ud;
    if (d->source != LF_SRC_OSV || !d->vuln_id || !d->vuln_id[0] || !d->doc_id || !d->doc_id[0] || !d->modified)
        __builtin_trap();
    if (rejected)
        return 0;
    for (size_t i = 0; i < d->nconfig; i++) {
        const lf_vconfig *c = &d->config[i];
        if (c->nnode != 1 || c->op_and || c->node[0].ncrit == 0)
            __builtin_trap();
        for (size_t k = 0; k < c->node[0].ncrit; k++) {
            const lf_vcrit *v = &c->node[0].crit[k];
            lf_cpe tmp;
            if (!v->cpe || lf_cpe_parse(&tmp, v->cpe, strlen(v->cpe), NULL) != LF_OK)
                __builtin_trap();
            const char *part = lf_cpe_value(&tmp, LF_CPE_PART);
            if (!part || part[0] != 'p' || !v->vulnerable || (unsigned)v->scheme >= LF_VS_COUNT)
                __builtin_trap();
            if ((v->start && !v->start[0]) || (v->end && !v->end[0]))
                __builtin_trap();
        }
    }
    return 0;
}

static void check_srcmap(const uint8_t *data, size_t size)
{
    lf_osv_srcmap *m;
    if (lf_osv_srcmap_parse("fuzz", (const char *)data, size, &m, NULL) != LF_OK)
        return;
    /* the first line's binary (when it is an exact name) must be found */
    char bin[256];
    size_t n = 0;
    while (n < size && n + 1 < sizeof bin && data[n] != '\t' && data[n] != '\n')
        bin[n] = (char)data[n], n++;
    bin[n] = '\0';
    if (n && n < size && data[n] == '\t' && bin[0] != '#' && bin[n - 1] != '*' && !memchr(bin, ':', n) &&
        !lf_osv_srcmap_lookup(m, bin))
        __builtin_trap();
    lf_osv_srcmap_free(m);
}

static void check_platform(const uint8_t *data, size_t size)
{
    char os[300], fam[16], rel[8];
    size_t n = size < sizeof os - 1 ? size : sizeof os - 1;
    memcpy(os, data, n);
    os[n] = '\0';
    if (lf_osv_platform(os, fam, sizeof fam, rel, sizeof rel) == LF_OK && (!fam[0] || !rel[0]))
        __builtin_trap();
    lf_cpe c;
    lf_osv_item_cpe("deb", os, "openssl", os, &c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lf_vdb_builder *b = lf_vdb_builder_new();
    if (!b)
        return 0;
    lf_feed_ctx ctx;
    lf_feed_ctx_init(&ctx, b);
    lf_osv_opts o = {on_doc, NULL};
    lf_osv_reader *r;
    if (lf_osv_reader_new(&ctx, &o, &r, NULL) == LF_OK) {
        lf_err err;
        lf_err_clear(&err);
        lf_osv_reader_buffer(r, "fuzz", (const char *)data, size, &err);
        lf_osv_reader_free(r);
        const lf_feed_report *rp = &ctx.report;
        size_t accounted = rp->added + rp->replaced + rp->unchanged + rp->stale + rp->removed + rp->rejected_new +
                           rp->errors;
        if (accounted < rp->records)
            __builtin_trap();
    }
    lf_vdb_builder_free(b);
    check_srcmap(data, size);
    check_platform(data, size);
    return 0;
}
