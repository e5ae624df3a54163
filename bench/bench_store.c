/*
 * bench_store: write and read throughput of the store's SQLite backend (src/store/), the
 * figures behind the upload target of issue 4 (a 100,000-row upload stored well under a
 * second). On a fresh database file it times, best of 3 rounds:
 *   items     N inventory items (1,000 hosts, realistic field sizes) inserted through
 *             lf_store_items_add in one transaction, in batches of 1,000 (rows/s);
 *   publish   making that upload the month's snapshot: superseding the previous one
 *             (deleting its N items) and upserting the hosts;
 *   each      streaming the N items back with lf_store_items_each (rows/s);
 *   match     M hits of a full match run in one transaction, given host by host (20 per
 *             lf_store_match_add_batch call): all new findings (hits/s), then the same
 *             hits again (refresh path), then an empty full run that fixes them all.
 * The database lives in a temporary directory under /tmp (or DIR) and is removed.
 *
 * Usage: bench_store [ITEMS [HITS [DIR]]]   (default: 100000 items, 20000 hits)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/store.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, const lf_err *e)
{
    fprintf(stderr, "bench_store: %s: %s\n", what, e->msg);
    exit(1);
}

#define BATCH 1000

typedef struct strs {
    char host[32], ip[32], name[64], version[32], vendor[48], cpe[160];
} strs;

static long counted;

static int count_fn(void *ud, const lf_store_item *it)
{
    (void)ud;
    counted += it->host != NULL;
    return 0;
}

/* One upload of n items; returns seconds spent in lf_store_items_add and in publish. */
static void one_upload(lf_store *s, lf_id agency, lf_id user, long n, double *t_items, double *t_pub, lf_id *id_out)
{
    lf_err e;
    strs *sv = calloc(BATCH, sizeof *sv);
    lf_store_item *it = calloc(BATCH, sizeof *it);
    if (!sv || !it) {
        fprintf(stderr, "bench_store: out of memory\n");
        exit(1);
    }
    lf_store_upload up = {.agency_id = agency, .uploaded_by = user, .file_name = "inventory-2026-05.csv",
                          .encoding = "utf-8", .format = "csv"};
    snprintf(up.month, sizeof up.month, "2026-05");
    lf_id id;
    if (lf_store_begin(s, &e) || lf_store_upload_create(s, &up, &id, &e))
        die("upload", &e);
    double t0 = now_s(), spent = 0;
    for (long done = 0; done < n;) {
        size_t k = 0;
        for (; k < BATCH && done < n; k++, done++) {
            long hnum = done % 1000;
            snprintf(sv[k].host, sizeof sv[k].host, "pc-%04ld", hnum);
            snprintf(sv[k].ip, sizeof sv[k].ip, "10.%ld.%ld.%ld", hnum / 250, hnum % 250, done % 200);
            snprintf(sv[k].name, sizeof sv[k].name, "Product %ld Enterprise", done % 4000);
            snprintf(sv[k].version, sizeof sv[k].version, "%ld.%ld.%ld", done % 17, done % 9, done % 101);
            snprintf(sv[k].vendor, sizeof sv[k].vendor, "Vendor %ld Co., Ltd.", done % 900);
            snprintf(sv[k].cpe, sizeof sv[k].cpe, "cpe:2.3:a:vendor_%ld:product_%ld:%s:*:*:*:*:*:*:*", done % 900,
                     done % 4000, sv[k].version);
            it[k] = (lf_store_item){.host = sv[k].host, .ip = sv[k].ip, .os = "Windows 10 Enterprise 22H2",
                                    .name = sv[k].name, .version = sv[k].version, .vendor = sv[k].vendor,
                                    .cpe = sv[k].cpe, .bucket = "resolved", .confidence = "high",
                                    .line = done + 2};
        }
        double a = now_s();
        if (lf_store_items_add(s, id, it, k, &e))
            die("items", &e);
        spent += now_s() - a;
    }
    (void)t0;
    double a = now_s();
    lf_store_counts c = {.records = (uint64_t)n, .resolved = (uint64_t)n};
    if (lf_store_upload_publish(s, id, &c, "{\"bench\":true}", &e))
        die("publish", &e);
    double b = now_s();
    if (lf_store_commit(s, &e))
        die("commit", &e);
    double d = now_s();
    *t_items = spent;
    *t_pub = (b - a) + (d - b);
    *id_out = id;
    free(sv);
    free(it);
}

/* A full run with `present` hits, host by host (as the matcher produces them), one
 * lf_store_match_add_batch call per host. */
static double match_run(lf_store *s, lf_id agency, long present, lf_store_match_summary *sum)
{
    lf_err e;
    lf_id run;
    enum { PER_HOST = 20 };
    char hosts[PER_HOST][32], cves[PER_HOST][32];
    lf_store_hit h[PER_HOST];
    double a = now_s();
    if (lf_store_begin(s, &e) || lf_store_match_begin(s, agency, 0, true, &run, &e))
        die("match", &e);
    for (long i = 0; i < present;) {
        size_t k = 0;
        for (; k < PER_HOST && i < present; k++, i++) {
            snprintf(hosts[k], sizeof hosts[k], "pc-%04ld", (i / PER_HOST) % 1000);
            snprintf(cves[k], sizeof cves[k], "CVE-2025-%05ld", (i / (PER_HOST * 1000)) * PER_HOST + (i % PER_HOST));
            h[k] = (lf_store_hit){.host = hosts[k], .cve = cves[k],
                                  .cpe = "cpe:2.3:a:vendor_1:product_1:1.0:*:*:*:*:*:*:*", .kind = LF_FKIND_MATCH,
                                  .cvss = 7.5, .cvss_version = "3.1", .severity = "HIGH", .epss = 0.01};
        }
        if (lf_store_match_add_batch(s, run, h, k, &e))
            die("match add", &e);
    }
    if (lf_store_match_end(s, run, sum, &e) || lf_store_commit(s, &e))
        die("match end", &e);
    return now_s() - a;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 100000;
    long hits = argc > 2 ? strtol(argv[2], NULL, 10) : 20000;
    const char *base = argc > 3 ? argv[3] : "/tmp";
    if (n <= 0 || hits < 0) {
        fprintf(stderr, "usage: bench_store [ITEMS [HITS [DIR]]]\n");
        return 2;
    }
    char dir[512], path[600];
    snprintf(dir, sizeof dir, "%s/lf-bench-store-XXXXXX", base);
    if (!mkdtemp(dir)) {
        perror("bench_store: mkdtemp");
        return 1;
    }
    snprintf(path, sizeof path, "%s/bench.db", dir);

    lf_err e;
    lf_store *s;
    if (lf_store_open(path, &s, &e))
        die("open", &e);
    lf_arena a;
    lf_arena_init(&a, 0);
    lf_store_org county;
    if (lf_store_org_get_by_code(s, "TW-TPE", &a, &county, &e))
        die("seed", &e);
    lf_store_org ag = {.parent_id = county.id, .kind = LF_ORG_AGENCY, .code = "BENCH", .name_zh = "測試機關",
                       .name_en = "Bench agency", .level = 'A'};
    lf_id agency, user;
    if (lf_store_org_create(s, &ag, &agency, &e))
        die("agency", &e);
    lf_store_user u = {.login = "bench", .display_name = "bench", .email = "bench@example.gov.tw",
                       .role = LF_ROLE_AGENCY_OFFICER, .org_id = agency};
    if (lf_store_user_create(s, &u, &user, &e))
        die("user", &e);

    printf("bench_store: %ld items per upload, %ld match hits, database %s (sqlite %s)\n", n, hits, path,
           "WAL, synchronous=NORMAL");
    double best_items = 1e9, best_pub = 1e9, best_each = 1e9;
    lf_id last = 0;
    for (int round = 0; round < 3; round++) {
        double ti, tp;
        one_upload(s, agency, user, n, &ti, &tp, &last);
        counted = 0;
        double t0 = now_s();
        if (lf_store_items_each(s, last, count_fn, NULL, &e))
            die("each", &e);
        double te = now_s() - t0;
        if (counted != n) {
            fprintf(stderr, "bench_store: read back %ld items, wrote %ld\n", counted, n);
            return 1;
        }
        printf("  round %d: items %.3f s (%.0f rows/s), publish %.3f s%s, each %.3f s (%.0f rows/s)\n", round + 1, ti,
               (double)n / ti, tp, round ? " (supersedes the previous round)" : "", te, (double)n / te);
        if (ti < best_items)
            best_items = ti;
        if (round && tp < best_pub)
            best_pub = tp;
        if (te < best_each)
            best_each = te;
    }
    printf("items: %.0f rows/s (best of 3: %ld rows in %.3f s, one transaction)\n", (double)n / best_items, n,
           best_items);
    printf("publish with supersede: %.3f s; items_each: %.0f rows/s\n", best_pub, (double)n / best_each);

    if (hits > 0) {
        lf_store_match_summary sum;
        double t1 = match_run(s, agency, hits, &sum);
        printf("match run, %ld new findings: %.3f s (%.0f hits/s; %llu new)\n", hits, t1, (double)hits / t1,
               (unsigned long long)sum.new_findings);
        double t2 = match_run(s, agency, hits, &sum);
        printf("match run, %ld hits on existing findings: %.3f s (%.0f hits/s; %llu seen)\n", hits, t2,
               (double)hits / t2, (unsigned long long)sum.seen);
        double t3 = match_run(s, agency, 0, &sum);
        printf("full run fixing %llu absent findings: %.3f s\n", (unsigned long long)sum.fixed, t3);
    }

    lf_arena_clear(&a);
    lf_store_close(s);
    char p[700];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
    rmdir(dir);
    return 0;
}
