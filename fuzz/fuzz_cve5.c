/*
 * fuzz_cve5: the CVE JSON 5 reader on any bytes, with name resolution on (a small
 * namedb made once, so entries without cpes also go through the resolver).
 * Invariants: no crash, no leak; every document handed to the builder has a vuln_id and
 * a doc_id, and each of its criteria is a CPE name the index writer accepts (the writer
 * refuses the whole index otherwise); every record seen is accounted for (put results +
 * errors >= records: a record gives at least one document or one report).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "feeds/cve5.h"
#include "intake/namedb.h"
#include "intake/normalize.h"
#include "vans/cpe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int on_doc(void *ud, const lf_vdoc *d, bool rejected)
{
    (void)ud;
    if (!d->vuln_id || !d->vuln_id[0] || !d->doc_id || !d->doc_id[0])
        __builtin_trap();
    if (rejected)
        return 0;
    for (size_t i = 0; i < d->nconfig; i++) {
        const lf_vconfig *c = &d->config[i];
        if (!c->nnode)
            __builtin_trap();
        for (size_t n = 0; n < c->nnode; n++)
            for (size_t k = 0; k < c->node[n].ncrit; k++) {
                const lf_vcrit *v = &c->node[n].crit[k];
                lf_cpe tmp;
                if (!v->cpe || lf_cpe_parse(&tmp, v->cpe, strlen(v->cpe), NULL) != LF_OK)
                    __builtin_trap();
                if (v->scheme != LF_VS_GENERIC && v->scheme != LF_VS_UNORDERED)
                    __builtin_trap();
                /* the matcher only reads the scheme of a ranged criterion */
                if (v->scheme == LF_VS_UNORDERED && !v->start && !v->end)
                    __builtin_trap();
            }
    }
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
             {{'o', "fortinet", "fortios"}, "FortiOS"},
             {{'a', "google", "chrome"}, "Google Chrome"}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (lf_namedb_add_title(db, norm, &t[i].p, t[i].title, NULL) != LF_OK)
            abort();
    lf_norm_free(norm);
    return db;
}

/* One reader for the process: making a resolver (an OpenCC handle and a 24 MB result
 * cache) per input would leave the fuzzer at a few inputs a second. The resolver cache
 * never changes a result, so inputs stay independent. The reader keeps a pointer to
 * ctx, which gets a fresh builder for each input. */
static lf_feed_ctx ctx;

static lf_cve5_reader *reader(void)
{
    static lf_cve5_reader *r;
    if (!r) {
        lf_cve5_opts o = {names(), on_doc, NULL};
        if (lf_cve5_reader_new(&ctx, &o, &r, NULL) != LF_OK)
            abort();
    }
    return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lf_cve5_reader *r = reader();
    lf_vdb_builder *b = lf_vdb_builder_new();
    if (!b)
        return 0;
    lf_feed_ctx_init(&ctx, b);
    lf_err err;
    lf_err_clear(&err);
    lf_cve5_reader_buffer(r, "fuzz", (const char *)data, size, &err);
    const lf_feed_report *rp = &ctx.report;
    size_t accounted = rp->added + rp->replaced + rp->unchanged + rp->stale + rp->removed + rp->rejected_new +
                       rp->errors;
    if (accounted < rp->records)
        __builtin_trap();
    lf_vdb_builder_free(b);
    return 0;
}
