/*
 * bench_intake: quality and speed of name resolution (issue: inventory intake).
 *
 * Reads the labelled evaluation set bench/intake-eval/names.tsv (name, version, publisher,
 * ecosystem, expected "part:vendor:product:version" or "none", style, note), resolves every
 * row with the shipped dictionaries (data/intake) and reports:
 *   - correct: resolved to the expected product and version, or "none" left unresolved;
 *   - wrong CPE: resolved to another product (a false notice) — target <= 1 %;
 *   - wrong version: the right product with another version;
 *   - missed: left unresolved although a CPE was expected;
 *   per style (en, zh-tw, zh-cn, mixed, fullwidth, noise, ...), per style for the held-out
 *   half and per resolution method for both halves (aggregate counts only, never rows);
 *   errors of the dev half go to stderr with -v.
 *   A resolution whose product is an equivalent NVD name of the label's (equivalents.tsv:
 *   one product, several NVD names, all matched) counts as the label's product.
 * Then the throughput, records/s on one core, of normalisation + resolution:
 *   uncached (every record resolved from scratch) and with the resolver's cache on an
 *   inventory-like stream (the set repeated, rows recurring as on real hosts). The uncached
 *   rate is also given in this process's CPU time, steadier on a shared machine.
 *
 * With -V FILE, the vendor,product pairs of FILE (the CSV form of the official CPE
 * dictionary's vocabulary, e.g. shared/data/cpe/tiiuae-cpedict-cpes.csv) are added to the
 * vocabulary, as the products of a full CVE index would be on a real platform.
 *
 * With -P FILE, syft's ecosystem → CPE index (intake/purlidx.h; e.g.
 * shared/data/names/syft-cpe-index.json) is loaded as `feed import purlidx` would give it,
 * so package rows packages.tsv does not name can resolve by "purl-index".
 *
 * Usage: bench_intake [-v] [-V VOCAB_CSV] [-P PURL_INDEX] [DICT_DIR [NAMES_TSV [CPEDICT_DIGEST]]]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/file.h"
#include "intake/intake.h"
#include "intake/purlidx.h"
#include "intake/resolve.h"
#include "vans/version.h"

typedef struct row {
    char *f[7];
    lf_inv_rec rec;
} row;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU time of this process: the figure to compare on a loaded machine */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void unquote(const char *s, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n && o + 1 < cap; i++) {
        if (s[i] == '\\' && i + 1 < n)
            i++;
        out[o++] = s[i];
    }
    out[o] = '\0';
}

/* expected "a:vendor:product:version" → parts (plain); false for "none" */
static bool split_expected(const char *e, char *part, char *v, char *p, char *ver, size_t cap)
{
    if (strcmp(e, "none") == 0)
        return false;
    const char *f[4];
    size_t fl[4];
    int k = 0;
    const char *s = e;
    f[0] = s;
    for (const char *c = e; *c && k < 3; c++) {
        if (*c == '\\' && c[1]) {
            c++;
            continue;
        }
        if (*c == ':') {
            fl[k] = (size_t)(c - f[k]);
            f[++k] = c + 1;
        }
    }
    fl[k] = strlen(f[k]);
    if (k < 3)
        fl[3] = 1, f[3] = "*";
    unquote(f[0], fl[0], part, cap);
    unquote(f[1], fl[1], v, cap);
    unquote(f[2], fl[2], p, cap);
    unquote(f[3], fl[3], ver, cap);
    return true;
}

/* A resolved row against one label: 0 correct, 1 wrong version, 2 wrong CPE. An
 * equivalent NVD name of the same product (equivalents.tsv) counts as the label's; versions
 * compare by lianfang's version order (trailing zeros equal: 5.80.0 == 5.80), the update
 * field as text. */
static int label_verdict(const lf_resolution *o, const char *part, const char *v, const char *p, const char *ver)
{
    const char *ov = o->vendor, *op = o->product;
    char av[256], ap[256];
    for (int e = 0; e < o->nalso && (strcmp(ov, v) || strcmp(op, p)); e++) {
        lf_cpe ac;
        if (lf_cpe_parse(&ac, o->also[e], strlen(o->also[e]), NULL) == LF_OK &&
            lf_cpe_plain(&ac, LF_CPE_VENDOR, av, sizeof av) >= 0 &&
            lf_cpe_plain(&ac, LF_CPE_PRODUCT, ap, sizeof ap) >= 0 && !strcmp(av, v) && !strcmp(ap, p)) {
            ov = av;
            op = ap;
        }
    }
    char gpart[2] = {o->cpe[8], 0};
    char gv[200];
    snprintf(gv, sizeof gv, "%s%s%s", o->version[0] ? o->version : "*", o->update[0] ? ":" : "", o->update);
    if (strcmp(gpart, part) || strcmp(ov, v) || strcmp(op, p))
        return 2;
    if (strcmp(gv, ver) != 0 && (strchr(gv, ':') || strchr(ver, ':') || lf_version_cmp(gv, ver) != 0))
        return 1;
    return 0;
}


typedef struct tally {
    char style[32];
    size_t n, correct, wrong_cpe, wrong_version, missed, none_n;
} tally;

/* Resolutions per method (aggregates only, both halves), to see which evidence brings the
 * wrong CPEs: per half, resolved rows that were correct, a wrong CPE, a wrong version. */
typedef struct mtally {
    const char *method;
    size_t res[2], correct[2], wrong[2], wrongver[2];
} mtally;

int main(int argc, char **argv)
{
    int a = 1;
    bool verbose = false;
    const char *vocab = NULL, *purlidx = NULL;
    for (; a < argc && argv[a][0] == '-'; a++) {
        if (strcmp(argv[a], "-v") == 0)
            verbose = true;
        else if (strcmp(argv[a], "-V") == 0 && a + 1 < argc)
            vocab = argv[++a];
        else if (strcmp(argv[a], "-P") == 0 && a + 1 < argc)
            purlidx = argv[++a];
    }
    const char *dict = a < argc ? argv[a++] : LF_SOURCE_DIR "/data/intake";
    const char *names = a < argc ? argv[a++] : LF_SOURCE_DIR "/bench/intake-eval/names.tsv";
    const char *cpedict = a < argc ? argv[a++] : NULL;
    lf_err err;
    lf_err_clear(&err);
    char *data;
    size_t len;
    if (lf_file_read(names, (size_t)64 << 20, &data, &len, &err)) {
        fprintf(stderr, "bench_intake: %s: %s\n", names, err.msg);
        return 2;
    }
    size_t cap = 4096, n = 0;
    row *rows = calloc(cap, sizeof(*rows));
    char *line = data;
    bool header = true;
    while (line && line < data + len) {
        char *nl = memchr(line, '\n', (size_t)(data + len - line));
        if (nl)
            *nl = '\0';
        size_t ll = strlen(line);
        if (ll && line[ll - 1] == '\r')
            line[--ll] = '\0';
        if (header || !ll || line[0] == '#') {
            header = false;
            line = nl ? nl + 1 : NULL;
            continue;
        }
        if (n == cap) {
            cap *= 2;
            rows = realloc(rows, cap * sizeof(*rows));
        }
        row *r = &rows[n];
        memset(r, 0, sizeof *r);
        int k = 0;
        r->f[k++] = line;
        for (char *c = line; *c && k < 7; c++)
            if (*c == '\t') {
                *c = '\0';
                r->f[k++] = c + 1;
            }
        for (; k < 7; k++)
            r->f[k] = "";
        r->rec.name = r->f[0];
        r->rec.version = r->f[1][0] ? r->f[1] : NULL;
        r->rec.vendor = r->f[2][0] ? r->f[2] : NULL;
        r->rec.ecosystem = r->f[3][0] ? r->f[3] : NULL;
        r->rec.line = (long)n + 2;
        n++;
        line = nl ? nl + 1 : NULL;
    }
    lf_intake_config cfg = {dict, cpedict, NULL, NULL, NULL, purlidx};
    lf_intake *ik;
    double p0 = now();
    if (lf_intake_new(&cfg, &ik, &err)) {
        fprintf(stderr, "bench_intake: %s\n", err.msg);
        return 2;
    }
    if (purlidx) {
        const lf_purlidx *px = lf_namedb_purlidx(lf_intake_namedb(ik));
        lf_purlidx_stats ps;
        lf_purlidx_get_stats(px, &ps);
        if (!px) {
            fprintf(stderr, "bench_intake: %s: no such file\n", purlidx);
            return 2;
        }
        printf("purl index: %s: %zu packages, %zu CPE names, %zu with several products, %zu malformed left out "
               "(dictionaries and index loaded in %.3f s)\n",
               purlidx, ps.packages, ps.cpes, ps.ambiguous, ps.bad, now() - p0);
    }
    size_t nvocab = 0;
    if (vocab) {
        char *vd;
        size_t vl;
        lf_norm *norm;
        if (lf_file_read(vocab, (size_t)64 << 20, &vd, &vl, &err) || lf_norm_new(&norm, &err)) {
            fprintf(stderr, "bench_intake: %s: %s\n", vocab, err.msg);
            return 2;
        }
        /* "vendor","product" per line, CPE-quoted values */
        for (char *l = vd; l && l < vd + vl;) {
            char *nl = memchr(l, '\n', (size_t)(vd + vl - l));
            if (nl)
                *nl = '\0';
            char v[256], pr[256];
            char *c = strstr(l, "\",\"");
            if (l[0] == '"' && c) {
                unquote(l + 1, (size_t)(c - l - 1), v, sizeof v);
                char *e = strrchr(c + 3, '"');
                if (e) {
                    unquote(c + 3, (size_t)(e - c - 3), pr, sizeof pr);
                    lf_product p = {'a', v, pr};
                    if (strcmp(v, "vendor") != 0 && lf_namedb_add_title(lf_intake_namedb(ik), norm, &p, NULL, &err) == LF_OK)
                        nvocab++;
                }
            }
            l = nl ? nl + 1 : NULL;
        }
        lf_norm_free(norm);
        free(vd);
    }
    lf_resolver *res;
    if (lf_resolver_new(lf_intake_namedb(ik), &res, &err)) {
        fprintf(stderr, "bench_intake: %s\n", err.msg);
        return 2;
    }
    tally t[16], th[16];   /* per style: all rows, held-out rows (aggregates only) */
    size_t nt = 0;
    tally all = {"all", 0, 0, 0, 0, 0, 0};
    /* Two halves by a hash of the name: "dev" rows may be looked at when the dictionaries
     * are improved (-v prints their errors only), "held-out" rows are never looked at, so
     * their figure says how the dictionaries do on names nobody tuned them for. */
    tally half[2] = {{"dev", 0, 0, 0, 0, 0, 0}, {"held-out", 0, 0, 0, 0, 0, 0}};
    mtally mt[24];
    size_t nmt = 0;
    double cold = 0;
    for (size_t i = 0; i < n; i++) {
        lf_resolution o;
        double c0 = now();
        lf_resolve(res, &rows[i].rec, &o, &err);
        cold += now() - c0;
        char part[256], v[256], p[256], ver[256];
        bool want = split_expected(rows[i].f[4], part, v, p, ver, sizeof part);
        tally *ts = NULL;
        for (size_t k = 0; k < nt; k++)
            if (strcmp(t[k].style, rows[i].f[5]) == 0)
                ts = &t[k];
        if (!ts && nt < 16) {
            memset(&th[nt], 0, sizeof th[nt]);
            snprintf(th[nt].style, sizeof th[nt].style, "%s", rows[i].f[5]);
            ts = &t[nt++];
            memset(ts, 0, sizeof *ts);
            snprintf(ts->style, sizeof ts->style, "%s", rows[i].f[5]);
        }
        tally *hs = ts ? &th[ts - t] : NULL;
        uint32_t hh = 2166136261u;
        for (const char *c = rows[i].f[0]; *c; c++)
            hh = (hh ^ (unsigned char)*c) * 16777619u;
        int held = (int)((hh >> 7) & 1);
        tally *tt[4] = {&all, ts, &half[held], held ? hs : NULL};
        const char *verdict;
        if (!want) {
            verdict = o.bucket == LF_BUCKET_RESOLVED ? "wrong" : "correct";
        } else if (o.bucket != LF_BUCKET_RESOLVED) {
            /* "alt=none" on a CPE row: calling it none is also defensible */
            verdict = strstr(rows[i].f[6], "alt=none") ? "correct" : "missed";
        } else {
            /* the label, then the equally valid ones the note may give ("alt=a:v:p:ver":
             * NVD files some products under two names, cups: apple and openprinting);
             * the best verdict of them counts */
            int best = label_verdict(&o, part, v, p, ver);
            const char *alt = strstr(rows[i].f[6], "alt=");
            while (alt && best > 0) {
                char al[256];
                size_t an = strcspn(alt + 4, " ;,)");
                snprintf(al, sizeof al, "%.*s", (int)an, alt + 4);
                char ap[256], av[256], apr[256], aver[256];
                if (split_expected(al, ap, av, apr, aver, sizeof ap)) {
                    int vd = label_verdict(&o, ap, av, apr, aver);
                    if (vd < best)
                        best = vd;
                }
                alt = strstr(alt + 4, "alt=");
            }
            verdict = best == 0 ? "correct" : best == 1 ? "wrongver" : "wrong";
        }
        for (int k = 0; k < 4; k++) {
            if (!tt[k])
                continue;
            tt[k]->n++;
            if (!want)
                tt[k]->none_n++;
            if (!strcmp(verdict, "correct"))
                tt[k]->correct++;
            else if (!strcmp(verdict, "wrong"))
                tt[k]->wrong_cpe++;
            else if (!strcmp(verdict, "wrongver"))
                tt[k]->wrong_version++;
            else
                tt[k]->missed++;
        }
        if (o.bucket == LF_BUCKET_RESOLVED) {
            const char *m = o.method ? o.method : "?";
            mtally *x = NULL;
            for (size_t k = 0; k < nmt && !x; k++)
                if (strcmp(mt[k].method, m) == 0)
                    x = &mt[k];
            if (!x && nmt < sizeof mt / sizeof mt[0]) {
                x = &mt[nmt++];
                memset(x, 0, sizeof *x);
                x->method = m;
            }
            if (x) {
                x->res[held]++;
                x->correct[held] += !strcmp(verdict, "correct");
                x->wrong[held] += !strcmp(verdict, "wrong");
                x->wrongver[held] += !strcmp(verdict, "wrongver");
            }
        }
        if (verbose && !held && strcmp(verdict, "correct") != 0)
            fprintf(stderr, "%-8s line %ld: %s | %s | %s => %s%s%s (want %s)\n", verdict, rows[i].rec.line,
                    rows[i].f[0], rows[i].f[1], rows[i].f[2],
                    o.bucket == LF_BUCKET_RESOLVED ? o.cpe : "unresolved: ",
                    o.bucket == LF_BUCKET_RESOLVED ? "" : (o.reason ? o.reason : ""),
                    o.bucket == LF_BUCKET_RESOLVED && o.method ? "" : "", rows[i].f[4]);
    }
    printf("evaluation set: %s, %zu rows (%zu expect none); vocabulary added: %zu products\n", names, all.n,
           all.none_n, nvocab);
    printf("%-10s %6s %9s %10s %13s %8s\n", "style", "rows", "correct", "wrong-cpe", "wrong-version", "missed");
    for (size_t k = 0; k <= nt + 2; k++) {
        const tally *x = k < nt ? &t[k] : k == nt ? &all : &half[k - nt - 1];
        double d = x->n ? (double)x->n : 1;
        printf("%-10s %6zu %8.1f%% %9.2f%% %12.2f%% %7.1f%%\n", x->style, x->n, 100.0 * (double)x->correct / d,
               100.0 * (double)x->wrong_cpe / d, 100.0 * (double)x->wrong_version / d,
               100.0 * (double)x->missed / d);
    }
    printf("targets: correct >= 95%%, wrong CPE <= 1%%\n");
    printf("held-out per style (aggregates):\n");
    for (size_t k = 0; k < nt; k++) {
        double d = th[k].n ? (double)th[k].n : 1;
        printf("  %-16s %5zu %8.1f%% %9.2f%% %12.2f%% %7.1f%%\n", th[k].style, th[k].n,
               100.0 * (double)th[k].correct / d, 100.0 * (double)th[k].wrong_cpe / d,
               100.0 * (double)th[k].wrong_version / d, 100.0 * (double)th[k].missed / d);
    }
    printf("resolutions per method (dev | held-out): resolved correct wrong-cpe wrong-version\n");
    for (size_t k = 0; k < nmt; k++)
        printf("  %-16s %5zu %5zu %4zu %4zu | %5zu %5zu %4zu %4zu\n", mt[k].method, mt[k].res[0], mt[k].correct[0],
               mt[k].wrong[0], mt[k].wrongver[0], mt[k].res[1], mt[k].correct[1], mt[k].wrong[1], mt[k].wrongver[1]);

    printf("throughput cold (each row once, every cache empty): %zu records in %.3f s = %.0f records/s per core\n", n,
           cold, (double)n / cold);
    /* throughput */
    size_t reps = n ? (400000 + n - 1) / n : 0;
    lf_resolution o;
    lf_resolver_set_cache(res, false);
    double c0 = cpu_now();
    double t0 = now();
    size_t done = 0;
    for (size_t r = 0; r < reps / 4 + 1; r++)
        for (size_t i = 0; i < n; i++, done++)
            lf_resolve(res, &rows[i].rec, &o, &err);
    double t1 = now();
    double c1 = cpu_now();
    printf("throughput uncached (result cache off; script-conversion cache warm): %zu records in %.2f s = %.0f records/s per core (target >= 200,000)\n", done,
           t1 - t0, (double)done / (t1 - t0));
    printf("  (the same in CPU time of this process: %.2f s = %.0f records/s)\n", c1 - c0, (double)done / (c1 - c0));
    lf_resolver_set_cache(res, true);
    lf_resolver_stats st0;
    lf_resolver_get_stats(res, &st0);
    t0 = now();
    done = 0;
    for (size_t r = 0; r < reps; r++)
        for (size_t i = 0; i < n; i++, done++)
            lf_resolve(res, &rows[(i * 7919 + r) % n].rec, &o, &err);
    t1 = now();
    lf_resolver_stats st;
    lf_resolver_get_stats(res, &st);
    printf("throughput cached (the set repeated %zu times, shuffled): %zu records in %.2f s = %.0f records/s per core "
           "(cache hits %.1f%%)\n",
           reps, done, t1 - t0, (double)done / (t1 - t0),
           100.0 * (double)(st.cache_hits - st0.cache_hits) / (double)(st.calls - st0.calls));
    /* end to end: a 1,000,000-row agency CSV (the set's rows spread over 5,000 hosts of
     * 200 rows each, as a county's monthly upload would be) through lf_intake_buffer:
     * encoding check, CSV reader, resolution, policy flags */
    lf_buf csv;
    lf_buf_init(&csv, 0);
    lf_buf_puts(&csv, "主機名稱,軟體名稱,版本,發行者\r\n");
    size_t nrows = 1000000;
    for (size_t i = 0; i < nrows && n; i++) {
        const row *r = &rows[(i * 7919) % n];
        if (r->rec.ecosystem)
            continue;   /* package rows are not agency-sheet rows */
        lf_buf_printf(&csv, "PC-%05zu", i / 200);
        for (int f = 0; f < 3; f++) {
            lf_buf_puts(&csv, ",\"");
            for (const char *c = r->f[f]; *c; c++) {
                if (*c == '"')
                    lf_buf_putc(&csv, '"');   /* Excel quoting */
                lf_buf_putc(&csv, *c);
            }
            lf_buf_putc(&csv, '"');
        }
        lf_buf_puts(&csv, "\r\n");
    }
    lf_intake_report rep;
    t0 = now();
    int erc = lf_intake_buffer(ik, "bench.csv", (const unsigned char *)csv.data, csv.len, NULL, NULL, NULL, NULL, &rep,
                               &err);
    t1 = now();
    if (erc == LF_OK)
        printf("end to end (agency CSV, %.0f MB, %zu records: UTF-8 check, CSV, resolution, policy): %.2f s = %.0f "
               "records/s per core; %zu resolved, %zu unresolved, %zu rejected\n",
               (double)csv.len / 1e6, rep.records_in, t1 - t0, (double)rep.records_in / (t1 - t0), rep.resolved,
               rep.unresolved, rep.rejected);
    else
        printf("end to end: %s\n", err.msg);
    lf_buf_clear(&csv);
    lf_resolver_free(res);
    lf_intake_free(ik);
    free(rows);
    free(data);
    return 0;
}
