/*
 * bench_match: matching throughput against a full index.
 *
 *   bench_match INDEX INVENTORY.jsonl [NAIVE_HOSTS]
 *
 * Prints: index open time; items/s for CPE parse + match and for match alone (one core);
 * peak RSS; and, over the first NAIVE_HOSTS hosts (default 200), the same hosts matched by
 * a naive scan of every criterion (parse each criterion, WFN-compare, compare versions
 * as strings with lf_version_cmp) with the speed-up ratio. The naive scan only tests
 * criteria (no configuration logic), so the ratio understates the real difference.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "core/file.h"
#include "intake/cpelist.h"
#include "vans/match.h"
#include "vans/version.h"
#include "vans/vulndb.h"
#include "vans/vulndb_int.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct host {
    lf_cpe *items;
    size_t n;
} host;

typedef struct ctx {
    host *hosts;              /* the first `keep` hosts, for the naive comparison */
    size_t nhosts, cap, items, keep, seen;
    lf_matcher *m;
    double match_time;
    size_t hits_total, kinds[3];
    int failed;
} ctx;

/* Streamed: each host is matched as soon as it is read, so memory stays flat. */
static int on_host(void *ud, const lf_inv_host *h)
{
    ctx *c = ud;
    c->seen++;
    c->items += h->nitems;
    const lf_hit *hits;
    size_t nh;
    double t = now();
    if (lf_matcher_run(c->m, h->items, h->nitems, &hits, &nh, NULL) != LF_OK) {
        c->failed = 1;
        return 1;
    }
    c->match_time += now() - t;
    c->hits_total += nh;
    for (size_t k = 0; k < nh; k++)
        c->kinds[hits[k].kind]++;
    if (c->nhosts >= c->keep)
        return 0;
    if (c->nhosts == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 1024;
        c->hosts = realloc(c->hosts, c->cap * sizeof(host));
        if (!c->hosts)
            return 1;
    }
    host *x = &c->hosts[c->nhosts++];
    x->n = h->nitems;
    x->items = malloc((h->nitems ? h->nitems : 1) * sizeof(lf_cpe));
    if (!x->items)
        return 1;
    memcpy(x->items, h->items, h->nitems * sizeof(lf_cpe));
    return 0;
}

/* Naive baseline: every criterion of the index, for every item. */
static size_t naive_host(const lf_vdb *db, const host *h)
{
    size_t hits = 0;
    char iv[LF_CPE_MAX], cv[LF_CPE_MAX];
    for (size_t i = 0; i < h->n; i++) {
        const lf_cpe *it = &h->items[i];
        if (lf_cpe_plain(it, LF_CPE_VERSION, iv, sizeof iv) < 0)
            iv[0] = '\0';
        for (size_t k = 0; k < db->ncrit; k++) {
            const vx_crit *c = &db->crit[k];
            const char *s = vx_str(db, c->cpe);
            lf_cpe cc;
            if (lf_cpe_parse(&cc, s, strlen(s), NULL) != LF_OK)
                continue;
            if (lf_cpe_compare_attr(&cc, it, LF_CPE_VENDOR) == LF_CPE_DISJOINT ||
                lf_cpe_compare_attr(&cc, it, LF_CPE_PRODUCT) == LF_CPE_DISJOINT)
                continue;
            if (lf_cpe_kind(&cc, LF_CPE_VERSION) == LF_CPE_VALUE) {
                lf_cpe_plain(&cc, LF_CPE_VERSION, cv, sizeof cv);
                if (lf_version_cmp(cv, iv) != 0)
                    continue;
            }
            if ((c->flags & VXC_HAS_START)) {
                int r = lf_version_cmp(iv, vx_str(db, c->start));
                if (r < 0 || (r == 0 && !(c->flags & VXC_START_INCL)))
                    continue;
            }
            if ((c->flags & VXC_HAS_END)) {
                int r = lf_version_cmp(iv, vx_str(db, c->end));
                if (r > 0 || (r == 0 && !(c->flags & VXC_END_INCL)))
                    continue;
            }
            hits++;
        }
    }
    return hits;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_match INDEX INVENTORY.jsonl [NAIVE_HOSTS]\n");
        return 2;
    }
    size_t naive_hosts = argc > 3 ? (size_t)strtoul(argv[3], NULL, 10) : 200;
    lf_err err;
    lf_err_clear(&err);
    double t0 = now();
    lf_vdb *db;
    if (lf_vdb_open(argv[1], &db, &err) != LF_OK) {
        char b[1400];
        fprintf(stderr, "bench_match: %s\n", lf_err_format(&err, b, sizeof b));
        return 2;
    }
    double t_open = now() - t0;
    lf_vdb_stats st;
    lf_vdb_get_stats(db, &st);
    printf("index: %zu documents, %zu criteria, %zu products, %.1f MB, open %.4f s\n", st.docs, st.crits,
           st.products, (double)st.file_bytes / 1e6, t_open);

    lf_matcher *m;
    if (lf_matcher_new(db, &m, &err) != LF_OK)
        return 2;
    ctx c = {0};
    c.m = m;
    c.keep = naive_hosts;
    double t1 = now();
    /* read JSON Lines in 32 MB chunks cut at line ends, so the inventory file never
     * sits in memory whole (10 M items are ~1 GB of JSON) */
    FILE *inv = fopen(argv[2], "rb");
    if (!inv) {
        perror(argv[2]);
        return 2;
    }
    size_t cap = (size_t)32 << 20, have = 0;
    char *chunk = malloc(cap);
    for (;;) {
        size_t r = fread(chunk + have, 1, cap - have, inv);
        have += r;
        if (!have)
            break;
        size_t cut = have;
        if (r > 0 && have == cap) {
            while (cut > 0 && chunk[cut - 1] != '\n')
                cut--;
            if (!cut)
                cut = have;
        }
        lf_inv_report rep;
        if (lf_cpelist_read_buffer(argv[2], chunk, cut, on_host, NULL, &c, &rep, &err) != LF_OK || c.failed) {
            char b[1400];
            fprintf(stderr, "bench_match: %s\n", lf_err_format(&err, b, sizeof b));
            return 2;
        }
        memmove(chunk, chunk + cut, have - cut);
        have -= cut;
        if (r == 0 && !have)
            break;
    }
    free(chunk);
    fclose(inv);
    double t_all = now() - t1;
    double t_match = c.match_time, t_parse = t_all - t_match;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("inventory: %zu hosts, %zu items; read + JSON + CPE parse %.2f s (%.0f items/s)\n", c.seen, c.items,
           t_parse, (double)c.items / t_parse);
    printf("match: %.2f s, %.0f items/s per core (target >= 2,000,000), %zu hits (%zu match, %zu review, %zu "
           "unanalysed)\n",
           t_match, (double)c.items / t_match, c.hits_total, c.kinds[0], c.kinds[1], c.kinds[2]);
    printf("parse+match: %.0f items/s per core\n", (double)c.items / t_all);
    lf_matcher_stats ms;
    lf_matcher_get_stats(m, &ms);
    printf("work: %.1f criteria tested per item, %.2f hits per item\n", (double)ms.criteria_tested / (double)ms.items,
           (double)ms.hits / (double)ms.items);
    printf("peak RSS: %.0f MB (target <= 600 MB; inventory streamed in 32 MB chunks)\n",
           (double)ru.ru_maxrss / 1024.0);

    if (naive_hosts > c.nhosts)
        naive_hosts = c.nhosts;
    if (naive_hosts) {
        size_t nitems = 0, nhits = 0;
        double t3 = now();
        for (size_t i = 0; i < naive_hosts; i++) {
            nitems += c.hosts[i].n;
            nhits += naive_host(db, &c.hosts[i]);
        }
        double t_naive = now() - t3;
        double t4 = now();
        for (size_t i = 0; i < naive_hosts; i++) {
            const lf_hit *hits;
            size_t nh;
            lf_matcher_run(m, c.hosts[i].items, c.hosts[i].n, &hits, &nh, &err);
        }
        double t_idx = now() - t4;
        printf("naive all-criteria scan of %zu hosts (%zu items): %.2f s, %.0f items/s; indexed: %.4f s; speed-up "
               "%.0fx (%zu naive criterion hits)\n",
               naive_hosts, nitems, t_naive, (double)nitems / t_naive, t_idx, t_naive / (t_idx > 0 ? t_idx : 1e-9),
               nhits);
    }
    lf_matcher_free(m);
    for (size_t i = 0; i < c.nhosts; i++)
        free(c.hosts[i].items);
    free(c.hosts);
    lf_vdb_close(db);
    return 0;
}
