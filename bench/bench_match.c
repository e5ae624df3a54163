/*
 * bench_match: matching throughput against a full index.
 *
 *   bench_match INDEX INVENTORY.jsonl [NAIVE_HOSTS] [--cache MB] [--dump FILE] [--check]
 *
 * Prints: index open time; items/s for CPE parse + match and for match alone (one core);
 * the result cache's hit rate and size; peak RSS; and, over the first NAIVE_HOSTS hosts
 * (default 200), the same hosts matched by a naive scan of every criterion (parse each
 * criterion, WFN-compare, compare versions as strings with lf_version_cmp) with the
 * speed-up ratio. The naive scan only tests criteria (no configuration logic), so the
 * ratio understates the real difference.
 *
 *   --cache MB   result cache budget (default: the library's; 0 = no cache)
 *   --dump FILE  write one line per host: host number, hit count, and two 64-bit digests
 *                of its hits (kind, vuln, doc, item, crit, config, reason text), one in
 *                the order returned and one order-independent, so runs of different
 *                builds (e.g. before and after a matcher change) can be compared with cmp
 *   --check      also match every host with a second matcher without cache and compare
 *                the two hit lists exactly (same hits, same order); exits 1 on the first
 *                difference. The timing figures leave the check out.
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

/* CPU time of this thread: on a shared machine the wall clock also counts the time
 * other processes hold the core, so both are printed. */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct host {
    lf_cpe *items;
    size_t n;
} host;

typedef struct ctx {
    host *hosts;              /* the first `keep` hosts, for the naive comparison */
    size_t nhosts, cap, items, keep, seen;
    const lf_vdb *db;
    lf_matcher *m;
    lf_matcher *ref;          /* --check: a matcher without cache */
    FILE *dump;
    double match_time, match_cpu, check_time;
    size_t hits_total, kinds[3], checked_hits;
    int failed;
} ctx;

static uint64_t mix64(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    return h ^ (h >> 33);
}

/* Digest of one hit, reason by text (the codes may differ between builds); doc, crit
 * and config as lf_hit_* give them, so dumps compare across hit layouts. */
static uint64_t hit_digest(const lf_vdb *db, const lf_hit *h)
{
    const char *reason = lf_hit_reason(h);
    uint64_t d = mix64(((uint64_t)h->kind << 32) ^ h->vuln);
    d = mix64(d ^ ((uint64_t)lf_hit_doc(db, h) << 32) ^ h->item);
    d = mix64(d ^ ((uint64_t)lf_hit_crit(db, h) << 32) ^ lf_hit_config(db, h));
    for (const char *r = reason ? reason : ""; *r; r++)
        d = (d ^ (unsigned char)*r) * 0x100000001b3ull;
    return mix64(d);
}

static int same_hit(const lf_hit *a, const lf_hit *b)
{
    return a->kind == b->kind && a->vuln == b->vuln && a->item == b->item && a->ref == b->ref && a->why == b->why;
}

/* --check: the same host through the uncached matcher must give the same list. */
static int check_host(ctx *c, const lf_inv_host *h, const lf_hit *hits, size_t nh)
{
    const lf_hit *rh;
    size_t rn;
    if (lf_matcher_run(c->ref, h->items, h->nitems, &rh, &rn, NULL) != LF_OK)
        return 1;
    if (rn != nh) {
        fprintf(stderr, "check: host %zu: %zu hits with cache, %zu without\n", c->seen, nh, rn);
        return 1;
    }
    for (size_t k = 0; k < nh; k++)
        if (!same_hit(&hits[k], &rh[k])) {
            fprintf(stderr, "check: host %zu: hit %zu differs (kind %d/%d vuln %u/%u item %u/%u ref %u/%u)\n",
                    c->seen, k, hits[k].kind, rh[k].kind, hits[k].vuln, rh[k].vuln, hits[k].item, rh[k].item,
                    hits[k].ref, rh[k].ref);
            return 1;
        }
    c->checked_hits += nh;
    return 0;
}

/* Streamed: each host is matched as soon as it is read, so memory stays flat. */
static int on_host(void *ud, const lf_inv_host *h)
{
    ctx *c = ud;
    c->seen++;
    c->items += h->nitems;
    const lf_hit *hits;
    size_t nh;
    double t = now(), tc = cpu_now();
    if (lf_matcher_run(c->m, h->items, h->nitems, &hits, &nh, NULL) != LF_OK) {
        c->failed = 1;
        return 1;
    }
    c->match_time += now() - t;
    c->match_cpu += cpu_now() - tc;
    c->hits_total += nh;
    uint64_t ordered = 0x9e3779b97f4a7c15ull, unordered = 0;
    for (size_t k = 0; k < nh; k++) {
        c->kinds[hits[k].kind]++;
        if (c->dump) {
            uint64_t d = hit_digest(c->db, &hits[k]);
            ordered = mix64(ordered ^ d);
            unordered += d;
        }
    }
    if (c->dump)
        fprintf(c->dump, "%zu %zu %016llx %016llx\n", c->seen, nh, (unsigned long long)ordered,
                (unsigned long long)unordered);
    double tk = now();
    if (c->ref && check_host(c, h, hits, nh)) {
        c->failed = 1;
        return 1;
    }
    c->check_time += now() - tk;
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
    char *pos[3] = {NULL, NULL, NULL};
    size_t npos = 0;
    const char *dump_path = NULL;
    int check = 0;
    lf_matcher_opts mo;
    lf_matcher_opts_init(&mo);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--cache") == 0 && i + 1 < argc)
            mo.cache_bytes = (size_t)(strtod(argv[++i], NULL) * 1048576.0);
        else if (strcmp(argv[i], "--dump") == 0 && i + 1 < argc)
            dump_path = argv[++i];
        else if (strcmp(argv[i], "--check") == 0)
            check = 1;
        else if (npos < 3)
            pos[npos++] = argv[i];
    }
    if (npos < 2) {
        fprintf(stderr, "usage: bench_match INDEX INVENTORY.jsonl [NAIVE_HOSTS] [--cache MB] [--dump FILE] "
                        "[--check]\n");
        return 2;
    }
    argv[1] = pos[0];
    argv[2] = pos[1];
    size_t naive_hosts = npos > 2 ? (size_t)strtoul(pos[2], NULL, 10) : 200;
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
    if (lf_matcher_new_opts(db, &mo, &m, &err) != LF_OK)
        return 2;
    ctx c = {0};
    c.db = db;
    c.m = m;
    c.keep = naive_hosts;
    if (check) {
        lf_matcher_opts ro = {.cache_bytes = 0};
        if (lf_matcher_new_opts(db, &ro, &c.ref, &err) != LF_OK)
            return 2;
    }
    if (dump_path && !(c.dump = fopen(dump_path, "w"))) {
        perror(dump_path);
        return 2;
    }
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
            fprintf(stderr, "bench_match: %s\n",
                    c.failed ? "matching or check failed" : lf_err_format(&err, b, sizeof b));
            return c.failed && c.ref ? 1 : 2;
        }
        memmove(chunk, chunk + cut, have - cut);
        have -= cut;
        if (r == 0 && !have)
            break;
    }
    free(chunk);
    fclose(inv);
    double t_all = now() - t1;
    double t_match = c.match_time, t_parse = t_all - t_match - c.check_time;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("inventory: %zu hosts, %zu items; read + JSON + CPE parse %.2f s (%.0f items/s)\n", c.seen, c.items,
           t_parse, (double)c.items / t_parse);
    printf("match: %.2f s, %.0f items/s per core (target >= 2,000,000), %zu hits (%zu match, %zu review, %zu "
           "unanalysed)\n",
           t_match, (double)c.items / t_match, c.hits_total, c.kinds[0], c.kinds[1], c.kinds[2]);
    printf("match cpu: %.2f s, %.0f items/s per core of CPU time\n", c.match_cpu, (double)c.items / c.match_cpu);
    printf("parse+match: %.0f items/s per core\n", (double)c.items / (t_parse + t_match));
    lf_matcher_stats ms;
    lf_matcher_get_stats(m, &ms);
    printf("work: %.1f criteria tested per item, %.2f hits per item\n", (double)ms.criteria_tested / (double)ms.items,
           (double)ms.hits / (double)ms.items);
    uint64_t looked = ms.cache_hits + ms.cache_misses;
    printf("cache: %.1f MB budget, %.1f%% hits (%llu of %llu items looked up), %llu misses not kept, %llu evicted, "
           "%llu records in %.1f MB (%.0f B each)\n",
           (double)ms.cache_bytes / 1048576.0, looked ? 100.0 * (double)ms.cache_hits / (double)looked : 0.0,
           (unsigned long long)ms.cache_hits, (unsigned long long)looked, (unsigned long long)ms.cache_uncached,
           (unsigned long long)ms.cache_evicted, (unsigned long long)ms.cache_entries,
           (double)ms.cache_used / 1048576.0,
           ms.cache_entries ? (double)ms.cache_used / (double)ms.cache_entries : 0.0);
    printf("evaluation: %.1f configurations evaluated per host, %.1f of them by one of %llu platform sets\n",
           ms.hosts ? (double)ms.evaluations / (double)ms.hosts : 0.0,
           ms.hosts ? (double)ms.platform_decided / (double)ms.hosts : 0.0,
           (unsigned long long)ms.platform_sets);
    printf("work memory: plans %.1f MB, %llu compiled products %.1f MB\n", (double)ms.plan_bytes / 1048576.0,
           (unsigned long long)ms.compiled_products, (double)ms.compiled_bytes / 1048576.0);
    if (c.ref)
        printf("check: %zu hosts, %zu hits identical with and without cache\n", c.seen, c.checked_hits);
    if (c.dump)
        fclose(c.dump);
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
    lf_matcher_free(c.ref);
    for (size_t i = 0; i < c.nhosts; i++)
        free(c.hosts[i].items);
    free(c.hosts);
    lf_vdb_close(db);
    return 0;
}
