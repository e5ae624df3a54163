/*
 * scan: inventory records -> items per host -> explained findings, shared by the CLI's
 * `vans scan` and the server's uploads and re-matches (see scan.h).
 */
#include "server/scan.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void lf_scan_groups_init(lf_scan_groups *g)
{
    memset(g, 0, sizeof *g);
}

void lf_scan_groups_clear(lf_scan_groups *g)
{
    for (size_t i = 0; i < g->n; i++) {
        lf_hostitems_clear(&g->h[i].it);
        free(g->h[i].name);
    }
    free(g->h);
    memset(g, 0, sizeof *g);
}

static lf_scan_group *group_of(lf_scan_groups *g, const char *host)
{
    if (g->last < g->n && strcmp(g->h[g->last].name, host) == 0)
        return &g->h[g->last];
    /* inventories list a host's rows together: a miss above is nearly always a new host,
     * so search from the end */
    for (size_t i = g->n; i-- > 0;)
        if (strcmp(g->h[i].name, host) == 0) {
            g->last = i;
            return &g->h[i];
        }
    if (g->n == g->cap) {
        size_t nc = g->cap ? g->cap * 2 : 16;
        lf_scan_group *nh = realloc(g->h, nc * sizeof(*nh));
        if (!nh)
            return NULL;
        g->h = nh;
        g->cap = nc;
    }
    lf_scan_group *h = &g->h[g->n];
    memset(h, 0, sizeof *h);
    h->name = strdup(host);
    if (!h->name)
        return NULL;
    lf_hostitems_init(&h->it);
    g->last = g->n++;
    return h;
}

int lf_scan_groups_add(lf_scan_groups *g, const char *host, long line, const lf_cpe *pkg, const char *cpe,
                       const char *const *also, int nalso)
{
    if (!pkg && !cpe)
        return LF_OK;
    lf_scan_group *h = group_of(g, host);
    if (!h)
        return LF_ENOMEM;
    /* A distribution package (dpkg, rpm, apk, or an SBOM purl) whose distribution's or
     * ecosystem's advisories are loaded is matched as that package, in that ecosystem's
     * version order; its upstream CPE stays on the host (so NVD's verdict is listed
     * among the sources) but makes no finding of its own. */
    if (pkg) {
        size_t before = h->it.n;
        if (lf_hostitems_add_cpe(&h->it, pkg, line, false))
            return LF_ENOMEM;
        g->distro_items += h->it.n - before;
    }
    if (!cpe)
        return LF_OK;
    /* openssl and libssl3 are one product on a host: one item, one finding per CVE; a
     * product NVD files under several names is matched under each (equivalents.tsv) */
    for (int e = -1; e < nalso; e++)
        if (lf_hostitems_add(&h->it, e < 0 ? cpe : also[e], line, pkg != NULL))
            return LF_ENOMEM;
    return LF_OK;
}

int lf_scan_groups_add_item(lf_scan_groups *g, const lf_vdb *db, const lf_osv_srcmap *m, const lf_intake_item *it,
                            bool *twin, lf_cpe *pkg_out)
{
    lf_cpe pkg;
    bool tw = lf_osv_twin(db, m, it->rec, &pkg);
    if (twin)
        *twin = tw;
    if (tw && pkg_out)
        *pkg_out = pkg;
    const char *also[3];
    int nalso = 0;
    bool resolved = it->res->bucket == LF_BUCKET_RESOLVED;
    for (int i = 0; resolved && i < it->res->nalso && i < 3; i++)
        also[nalso++] = it->res->also[i];
    return lf_scan_groups_add(g, it->host, it->rec->line, tw ? &pkg : NULL, resolved ? it->res->cpe : NULL, also,
                              nalso);
}

void lf_scan_group_host(const lf_scan_groups *g, size_t i, lf_inv_host *out)
{
    const lf_hostitems *hi = &g->h[i].it;
    out->name = g->h[i].name;
    out->items = hi->items;
    out->raw = (const char *const *)hi->raw;
    out->lines = hi->lines;
    out->nitems = hi->n;
}

/* A product NVD files under several names is matched under each (equivalents.tsv), all
 * from one inventory line; a CVE hit through two of them is one finding. The key is the
 * CVE (ids are interned in the index, so pointers compare) and the line. */
static bool seen_before(const void **keys, long *lines, size_t cap, const void *vuln, long line)
{
    size_t h = (((uintptr_t)vuln >> 3) ^ (uintptr_t)line * 0x9e3779b97f4a7c15ull) & (cap - 1);
    while (keys[h]) {
        if (keys[h] == vuln && lines[h] == line)
            return true;
        h = (h + 1) & (cap - 1);
    }
    keys[h] = vuln;
    lines[h] = line;
    return false;
}

int lf_scan_host(const lf_vdb *db, lf_matcher *m, const lf_epss *epss, const lf_inv_host *h, bool one_per_line,
                 const bool *superseded, const uint8_t *only, bool links, lf_arena *a, lf_finding **out,
                 size_t *n, lf_scan_counts *c, lf_err *err)
{
    *out = NULL;
    *n = 0;
    const lf_hit *hits;
    size_t nh;
    int rc = lf_matcher_run(m, h->items, h->nitems, &hits, &nh, err);
    if (rc)
        return rc;
    if (!nh)
        return LF_OK;
    lf_finding *fs = lf_arena_alloc(a, nh * sizeof(*fs));
    size_t cap = 16;
    while (cap < nh * 2)
        cap *= 2;
    const void **keys = lf_arena_calloc(a, cap * sizeof(*keys));
    long *klines = lf_arena_alloc(a, cap * sizeof(*klines));
    if (!fs || !keys || !klines)
        return lf_err_set(err, LF_ENOMEM, "out of memory building the findings of host %s", h->name);
    if (only) {
        /* a scoped re-match: most hosts have no hit of a changed vulnerability, and an
         * explanation context costs more than the test */
        size_t i = 0;
        while (i < nh && !(only[hits[i].vuln >> 3] & (1u << (hits[i].vuln & 7))))
            i++;
        if (i == nh)
            return LF_OK;
    }
    lf_explain *x = NULL;
    if ((rc = lf_explain_new(db, h->items, h->nitems, &x, err)))
        return rc;
    size_t k = 0;
    for (size_t i = 0; i < nh; i++) {
        if (superseded && superseded[hits[i].item]) {
            /* the upstream name of a distribution package whose own advisories are
             * loaded: NVD's upstream ranges ignore backports; the distribution's
             * verdict (on the package item) is the finding, NVD is listed as a source */
            c->superseded++;
            continue;
        }
        if (only && !(only[hits[i].vuln >> 3] & (1u << (hits[i].vuln & 7))))
            continue;
        if (one_per_line && seen_before(keys, klines, cap, lf_vdb_vuln_id(db, hits[i].vuln), h->lines[hits[i].item]))
            continue;
        if (lf_finding_build(db, &hits[i], h->name, h->raw[hits[i].item], links, a, &fs[k]) != LF_OK ||
            lf_finding_explain(db, x, a, &fs[k]) != LF_OK) {
            lf_explain_free(x);
            return lf_err_set(err, LF_ENOMEM, "out of memory building the findings of host %s", h->name);
        }
        fs[k].has_epss = lf_epss_lookup(epss, fs[k].vuln_id, &fs[k].epss, &fs[k].epss_percentile);
        k++;
    }
    lf_explain_free(x);
    *out = fs;
    *n = k;
    return LF_OK;
}
