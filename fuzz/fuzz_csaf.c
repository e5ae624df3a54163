/*
 * fuzz_csaf: the CSAF 2.0 reader on any bytes, with name resolution on (a small namedb
 * made once, so products with only names also go through the resolver).
 * Invariants: no crash, no leak; every document handed to the builder is a CSAF
 * document with a vuln_id and a doc_id; every configuration is one OR node with at least
 * one criterion, each a CPE name the index writer accepts, with a known scheme, and a
 * needs-review criterion always carries a bound (the matcher only reads the scheme of a
 * ranged criterion); every document made is put, and every record is read as an
 * advisory or reported (an advisory without vulnerabilities gives no document).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "feeds/csaf.h"
#include "intake/namedb.h"
#include "intake/normalize.h"
#include "vans/cpe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int on_doc(void *ud, const lf_vdoc *d)
{
    (void)ud;
    if (d->source != LF_SRC_CSAF || !d->vuln_id || !d->vuln_id[0] || !d->doc_id || !d->doc_id[0])
        __builtin_trap();
    for (size_t i = 0; i < d->nconfig; i++) {
        const lf_vconfig *c = &d->config[i];
        if (c->nnode != 1 || c->op_and || !c->node[0].ncrit)
            __builtin_trap();
        for (size_t k = 0; k < c->node[0].ncrit; k++) {
            const lf_vcrit *v = &c->node[0].crit[k];
            lf_cpe tmp;
            if (!v->cpe || lf_cpe_parse(&tmp, v->cpe, strlen(v->cpe), NULL) != LF_OK)
                __builtin_trap();
            if ((unsigned)v->scheme >= LF_VS_COUNT)
                __builtin_trap();
            if (v->scheme == LF_VS_UNORDERED && !v->start && !v->end)
                __builtin_trap();
            /* a needs-review statement never clears anything */
            if (v->scheme == LF_VS_UNORDERED && c->not_affected)
                __builtin_trap();
        }
    }
    for (size_t i = 0; i < d->nref; i++)
        if (!d->ref[i].url || !d->ref[i].url[0])
            __builtin_trap();
    return 0;
}

/* Made on first use and kept for the process (reachable, so not a leak). */
static const lf_namedb *names(void)
{
    static lf_namedb *db;
    if (db)
        return db;
    lf_norm *norm;
    if (lf_namedb_new(&db, NULL) != LF_OK || lf_norm_new(&norm, NULL) != LF_OK)
        abort();
    static const struct {
        lf_product p;
        const char *title;
    } t[] = {{{'a', "postgresql", "postgresql"}, "PostgreSQL"},
             {{'h', "siemens", "ruggedcom_ape1808"}, "RUGGEDCOM APE1808"},
             {{'a', "moxa", "mxview_one"}, "MXview One"}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (lf_namedb_add_title(db, norm, &t[i].p, t[i].title, NULL) != LF_OK)
            abort();
    lf_norm_free(norm);
    return db;
}

/* One reader for the process (a resolver per input would be far too slow); it keeps a
 * pointer to ctx, which gets a fresh builder for each input. */
static lf_feed_ctx ctx;

static lf_csaf_reader *reader(void)
{
    static lf_csaf_reader *r;
    if (!r) {
        lf_csaf_opts o = {names(), on_doc, NULL, NULL};
        if (lf_csaf_reader_new(&ctx, &o, &r, NULL) != LF_OK)
            abort();
    }
    return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lf_csaf_reader *r = reader();
    lf_vdb_builder *b = lf_vdb_builder_new();
    if (!b)
        return 0;
    lf_feed_ctx_init(&ctx, b);
    lf_err err;
    lf_err_clear(&err);
    lf_csaf_stats s0, s1;
    lf_csaf_reader_get_stats(r, &s0);
    int rc = lf_csaf_reader_buffer(r, "fuzz", (const char *)data, size, &err);
    lf_csaf_reader_get_stats(r, &s1);
    const lf_feed_report *rp = &ctx.report;
    size_t put = rp->added + rp->replaced + rp->unchanged + rp->stale + rp->removed + rp->rejected_new;
    /* every document made was put (unless the import stopped), and every record was
     * read as an advisory (possibly without vulnerabilities) or reported */
    if ((rc == LF_OK && put != s1.vulns - s0.vulns) || s1.advisories - s0.advisories + rp->errors < rp->records)
        __builtin_trap();
    lf_vdb_builder_free(b);
    return 0;
}
