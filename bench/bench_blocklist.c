/*
 * bench_blocklist: time to turn 1,000,000 approved indicators into every blocklist
 * format (src/isac/blocklist.c); the target in issue 6 is at most 2 s.
 *
 * The indicators are synthetic and deterministic (xorshift, fixed seed): 40 % IPv4
 * addresses, 10 % IPv4 CIDRs, 10 % IPv6 addresses and CIDRs, 25 % domains, 10 % URLs,
 * 5 % SHA-256 hashes, each with an indicator id, a source and a TLP; 2 % are expired and
 * 0.5 % malformed. Timed: adding (validation), finishing (sort, merge, sids) and writing
 * all eight formats into memory, best of 3 runs.
 *
 * Then the endpoint path (GET /api/v1/isac/blocklists/{group}/{list}, api_isac.c, less
 * the HTTP layer): the same indicators stored as STIX objects and approved for a sharing
 * group in a fresh SQLite store (isac/dispatch.h), and each list built for a member
 * agency with lf_dispatch_build, as the handler does on every fetch: the store scan, the
 * TLP view, validation, generation and the version hash. Timed per list, best of 2;
 * then through the list cache (lf_dispatch_cache_get): the first fetch, and a repeated
 * one (the group's change counter read, the kept text copied out), best of 3.
 *
 * Usage: bench_blocklist [N] [--no-store]   (default 1000000)
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <unistd.h>

#include "isac/blocklist.h"
#include "isac/dispatch.h"
#include "store/store.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t rng = 0x2545f4914f6cdd1dULL;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

typedef struct item {
    char id[64];
    char value[96];
    lf_bl_type type;
    int64_t expires;
} item;

static int fail(const char *what, const lf_err *e)
{
    fprintf(stderr, "bench_blocklist: %s: %s\n", what, e->msg);
    return 1;
}

/* The endpoint path over a store holding the n indicators, approved for one group. */
static int bench_store(const item *it, size_t n)
{
    char dir[] = "/tmp/lf-bench-bl-XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    char url[128];
    snprintf(url, sizeof url, "sqlite:%s/bench.db", dir);
    lf_err err;
    lf_err_clear(&err);
    lf_store *s = NULL;
    lf_dispatch_cache *cache = NULL;
    lf_arena a;
    lf_arena_init(&a, 0);
    int ret = 1;
    lf_store_org org;
    lf_id root, coll, group;
    if (lf_store_open(url, &s, &err) || lf_store_org_get_by_code(s, "TW-TPE", &a, &org, &err)) {
        ret = fail("store", &err);
        goto done;
    }
    lf_store_taxii_root r = {0, "isac", "bench", NULL, 10485760};
    lf_store_isac_group g = {0, "bench", "bench", &org.id, 1, 0};
    if (lf_store_taxii_root_put(s, &r, &root, &err) || lf_store_isac_group_create(s, &g, &group, &err)) {
        ret = fail("root/group", &err);
        goto done;
    }
    lf_store_taxii_coll c = {0};
    c.root_id = root;
    c.uuid = "00000000-0000-4000-8000-00000000b10c";
    c.title = "bench";
    c.group_id = group;
    c.read = c.write = LF_TAXII_ACCESS_GROUP;
    c.default_tlp = 2;
    c.media_types = "application/stix+json;version=2.1";
    if (lf_store_taxii_coll_put(s, &c, &coll, &err)) {
        ret = fail("collection", &err);
        goto done;
    }
    double t0 = now();
    enum { BATCH = 10000 };
    lf_store_stix_row *rows = calloc(BATCH, sizeof *rows);
    char (*json)[320] = calloc(BATCH, sizeof *json);
    if (!rows || !json) {
        free(rows);
        free(json);
        goto done;
    }
    for (size_t i = 0; i < n; i += BATCH) {
        size_t m = n - i < BATCH ? n - i : BATCH;
        for (size_t k = 0; k < m; k++) {
            const item *x = &it[i + k];
            lf_store_stix_row *w = &rows[k];
            memset(w, 0, sizeof *w);
            int len = snprintf(json[k], sizeof json[k],
                               "{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"%s\","
                               "\"created\":\"2024-01-01T00:00:00.000Z\",\"modified\":\"2024-01-01T00:00:00.000Z\"}",
                               x->id);
            w->stix_id = x->id;
            w->type = "indicator";
            w->spec_version = "2.1";
            w->created = w->modified = w->version = "2024-01-01T00:00:00.000Z";
            w->vkey = "20240101000000000000";
            w->json = json[k];
            w->json_len = (size_t)len;
        }
        if (lf_store_stix_add(s, coll, rows, m, NULL, NULL, NULL, &err)) {
            free(rows);
            free(json);
            ret = fail("objects", &err);
            goto done;
        }
    }
    free(rows);
    free(json);
    double t1 = now();
    for (size_t i = 0; i < n; i += BATCH) {
        size_t m = n - i < BATCH ? n - i : BATCH;
        if (lf_store_begin(s, &err)) {
            ret = fail("begin", &err);
            goto done;
        }
        for (size_t k = 0; k < m; k++) {
            const item *x = &it[i + k];
            /* a fresh store numbers the rows in insertion order */
            lf_store_isac_ind d = {0};
            d.object_id = (lf_id)(i + k + 1);
            d.coll_id = coll;
            d.coll_group = group;
            d.stix_id = x->id;
            d.tlp = 2;
            lf_store_isac_approval ap = {0};
            ap.group_id = group;
            ap.ind = &d;
            ap.source = "identity--bench";
            ap.expires = x->expires ? 1000 : 4102444800;   /* 2100 */
            ap.approver = "bench";
            ap.approver_org = org.id;
            lf_store_isac_ioc ioc = {(int)x->type, x->value};
            if (lf_store_isac_approve(s, &ap, &ioc, 1, NULL, &err)) {
                lf_store_rollback(s);
                ret = fail("approve", &err);
                goto done;
            }
        }
        if (lf_store_commit(s, &err)) {
            ret = fail("commit", &err);
            goto done;
        }
    }
    double t2 = now();
    printf("bench_blocklist: store setup: %zu objects %.1f s, %zu approvals %.1f s\n", n, t1 - t0, n, t2 - t1);
    double worst = 0, total = 0, worst_warm = 0;
    lf_buf out;
    lf_buf_init(&out, 0);
    if (lf_dispatch_cache_new(LF_DISPATCH_CACHE_DEFAULT, &cache, &err)) {
        ret = fail("cache", &err);
        goto done;
    }
    for (int f = 0; f < LF_BL_NFORMATS; f++) {
        double best = 1e9;
        lf_dispatch_report rep;
        for (int run = 0; run < 2; run++) {
            lf_buf_reset(&out);
            double u0 = now();
            if (lf_dispatch_build(s, group, org.id, 2000, NULL, (lf_bl_format)f, &out, &rep, &err)) {
                lf_buf_clear(&out);
                ret = fail("build", &err);
                goto done;
            }
            double dt = now() - u0;
            if (dt < best)
                best = dt;
        }
        printf("bench_blocklist: endpoint path %-15s %8zu rows -> %6.1f MB in %.3f s (version %s)\n",
               lf_dispatch_format_name((lf_bl_format)f), rep.rows, (double)out.len / 1e6, best, rep.version);
        /* the handler's path with the list cache: the first fetch builds, a repeated one
         * reads the group's change counter and copies the kept text into the response */
        double c0 = now();
        const lf_dispatch_list *l = NULL;
        bool hit = false;
        if (lf_dispatch_cache_get(cache, s, group, org.id, 2000, (lf_bl_format)f, &l, &hit, &err)) {
            ret = fail("cache", &err);
            goto done;
        }
        lf_dispatch_list_put(l);
        double c1 = now(), warm = 1e9;
        for (int run = 0; run < 3; run++) {
            double w0 = now();
            lf_buf_reset(&out);
            if (lf_dispatch_cache_get(cache, s, group, org.id, 2000, (lf_bl_format)f, &l, &hit, &err) ||
                lf_buf_append(&out, l->data, l->len)) {
                ret = fail("cache", &err);
                goto done;
            }
            bool same = !strcmp(l->report.version, rep.version);
            lf_dispatch_list_put(l);
            if (!hit || !same) {
                fprintf(stderr, "bench_blocklist: cache %s\n", hit ? "gave another version" : "missed");
                goto done;
            }
            if (now() - w0 < warm)
                warm = now() - w0;
        }
        printf("bench_blocklist: cached        %-15s cold %.3f s, warm %.4f s (stamp check + copy)\n",
               lf_dispatch_format_name((lf_bl_format)f), c1 - c0, warm);
        if (warm > worst_warm)
            worst_warm = warm;
        total += best;
        if (best > worst)
            worst = best;
    }
    lf_buf_clear(&out);
    printf("bench_blocklist: endpoint path: slowest list %.3f s, all %d lists %.3f s; target 2 s per fetch: %s\n",
           worst, LF_BL_NFORMATS, total, worst <= 2.0 ? "met" : "MISSED");
    printf("bench_blocklist: cached: slowest repeated fetch %.4f s\n", worst_warm);
    ret = 0;
done:
    lf_dispatch_cache_free(cache);
    lf_store_close(s);
    lf_arena_clear(&a);
    char path[160];
    const char *files[] = {"bench.db", "bench.db-wal", "bench.db-shm"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
    return ret;
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 && argv[1][0] != '-' ? (size_t)strtoull(argv[1], NULL, 10) : 1000000;
    bool with_store = !(argc > 1 && !strcmp(argv[argc - 1], "--no-store"));
    if (!n)
        n = 1000000;
    item *it = calloc(n, sizeof *it);
    if (!it)
        return 1;
    static const char *const words[] = {"update", "cdn", "mail", "login", "secure", "api", "files", "portal"};
    static const char *const tlds[] = {"com", "net", "org", "tw", "info", "xyz"};
    for (size_t i = 0; i < n; i++) {
        uint64_t r = next(), k = r % 1000;
        snprintf(it[i].id, sizeof it[i].id, "indicator--%08" PRIx64 "-0000-4000-8000-%012" PRIx64, (r >> 32) & 0xffffffffu, (uint64_t)(i & 0xffffffffffffu));
        uint32_t a = (uint32_t)next();
        if (k < 400) {
            it[i].type = LF_BL_IPV4;
            snprintf(it[i].value, sizeof it[i].value, "%u.%u.%u.%u", a >> 24, a >> 16 & 255, a >> 8 & 255, a & 255);
        } else if (k < 500) {
            it[i].type = LF_BL_CIDR;
            snprintf(it[i].value, sizeof it[i].value, "%u.%u.%u.0/%u", a >> 24, a >> 16 & 255, a >> 8 & 255,
                     20 + (unsigned)(r >> 8) % 5);
        } else if (k < 600) {
            it[i].type = k < 570 ? LF_BL_IPV6 : LF_BL_CIDR;
            snprintf(it[i].value, sizeof it[i].value, k < 570 ? "2001:db8:%x:%x::%x" : "2001:db8:%x:%x::/%u",
                     a >> 16, a & 0xffff, k < 570 ? (unsigned)(r >> 20) & 0xffff : 48 + (unsigned)(r >> 8) % 17);
        } else if (k < 850) {
            it[i].type = LF_BL_DOMAIN;
            snprintf(it[i].value, sizeof it[i].value, "%s-%x.%s%u.%s", words[r % 8], a, words[(r >> 3) % 8],
                     (unsigned)(r >> 40) % 100, tlds[(r >> 12) % 6]);
        } else if (k < 950) {
            it[i].type = LF_BL_URL;
            snprintf(it[i].value, sizeof it[i].value, "http://%s%x.example.%s/dl/%x/payload.bin", words[r % 8], a,
                     tlds[(r >> 12) % 6], (unsigned)(r >> 24));
        } else {
            it[i].type = LF_BL_HASH;
            snprintf(it[i].value, sizeof it[i].value, "%016" PRIx64 "%016" PRIx64 "%016" PRIx64 "%016" PRIx64,
                     next(), next(), next(), next());
        }
        if (r % 200 == 7)
            memcpy(it[i].value, "not valid!", 11);
        it[i].expires = r % 50 == 3 ? 1000 : 0;
    }
    double best = 1e9, b_add = 0, b_fin = 0, b_wr = 0;
    size_t bytes = 0;
    lf_bl_stats st = {0};
    for (int run = 0; run < 3; run++) {
        double t0 = now();
        lf_bl_opts o = {0};
        o.now = 2000;
        lf_blocklist *bl = NULL;
        if (lf_blocklist_new(&o, &bl, NULL))
            return 1;
        for (size_t i = 0; i < n; i++) {
            lf_bl_indicator ind = {it[i].id, it[i].value, it[i].type, it[i].expires, "identity--bench", 0};
            int rc = lf_blocklist_add(bl, &ind, NULL);
            if (rc && rc != LF_EPARSE)
                return 1;
        }
        double t1 = now();
        if (lf_blocklist_finish(bl, NULL))
            return 1;
        double t2 = now();
        lf_buf out;
        lf_buf_init(&out, 0);
        bytes = 0;
        for (int f = 0; f < LF_BL_NFORMATS; f++) {
            lf_buf_reset(&out);
            if (lf_blocklist_write(bl, (lf_bl_format)f, &out, NULL))
                return 1;
            bytes += out.len;
        }
        double t3 = now();
        st = *lf_blocklist_stats_borrow(bl);
        lf_buf_clear(&out);
        lf_blocklist_free(bl);
        double dt = now() - t0;
        if (dt < best) {
            best = dt;
            b_add = t1 - t0;
            b_fin = t2 - t1;
            b_wr = t3 - t2;
        }
    }
    printf("bench_blocklist: %zu indicators (%zu invalid, %zu expired) -> %zu IPv4 + %zu IPv6 CIDRs, %zu domains, "
           "%zu URLs, %zu hashes; all %d formats %.1f MB\n",
           n, st.invalid, st.expired, st.v4_out, st.v6_out, st.domains, st.urls, st.hashes, LF_BL_NFORMATS,
           (double)bytes / 1e6);
    printf("bench_blocklist: add (validate) %.3f s, finish (sort, merge, sids) %.3f s, write %.3f s\n", b_add, b_fin,
           b_wr);
    printf("bench_blocklist: %.3f s (best of 3), %.0f indicators/s; target 2 s: %.2fx of the budget (%s)\n", best,
           (double)n / best, best / 2.0, best <= 2.0 ? "met" : "MISSED");
    int rc = with_store ? bench_store(it, n) : 0;
    free(it);
    return rc;
}
