/*
 * bench_json: parse throughput of src/core/json.c on NVD-shaped data (CVE API 2.0
 * page: {"resultsPerPage":..,"vulnerabilities":[{"cve":{...}},...]}).
 *
 * Generates in memory a ~200 MB page of synthetic records with the shape of the real
 * records in shared/data/nvd (ids, dates, two descriptions with a few escapes and
 * non-ASCII letters, CVSS v3.1/v2 metrics, weaknesses, configurations with cpeMatch
 * lists, references with tags), once pretty-printed (2-space indent, like NVD feed files
 * and the shared records) and once compact (like API responses), and prints MB/s for
 * lf_json_parse of the whole document and for lf_json_foreach over "vulnerabilities",
 * best of 3 runs. If LF_SHARED_DATA/nvd exists, also a page made of the real records.
 *
 * Usage: bench_json [MB [indented|compact|real]]   (default: 200 MB, all three)
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/json.h"

/* ---- a tiny pretty/compact emitter -------------------------------------------------- */

typedef struct em {
    lf_buf *b;
    int pretty;
    int depth;
    int first[32];   /* no member yet at this depth */
    int after_key;
} em;

static void em_sep(em *e)
{
    if (e->after_key) {
        e->after_key = 0;
        return;
    }
    if (e->depth > 0) {
        if (!e->first[e->depth])
            lf_buf_putc(e->b, ',');
        e->first[e->depth] = 0;
        if (e->pretty) {
            lf_buf_putc(e->b, '\n');
            for (int i = 0; i < e->depth; i++)
                lf_buf_append(e->b, "  ", 2);
        }
    }
}

static void em_open(em *e, char c)
{
    em_sep(e);
    lf_buf_putc(e->b, c);
    e->depth++;
    e->first[e->depth] = 1;
}

static void em_close(em *e, char c)
{
    int empty = e->first[e->depth];
    e->depth--;
    if (e->pretty && !empty) {
        lf_buf_putc(e->b, '\n');
        for (int i = 0; i < e->depth; i++)
            lf_buf_append(e->b, "  ", 2);
    }
    lf_buf_putc(e->b, c);
}

static void em_key(em *e, const char *k)
{
    em_sep(e);
    lf_json_write_str(e->b, k, strlen(k));
    lf_buf_append(e->b, e->pretty ? ": " : ":", e->pretty ? 2 : 1);
    e->after_key = 1;
}

static void em_str(em *e, const char *s)
{
    em_sep(e);
    lf_json_write_str(e->b, s, strlen(s));
}

static void em_raw(em *e, const char *s)
{
    em_sep(e);
    lf_buf_puts(e->b, s);
}

static void em_kstr(em *e, const char *k, const char *v)
{
    em_key(e, k);
    em_str(e, v);
}

static void em_kraw(em *e, const char *k, const char *v)
{
    em_key(e, k);
    em_raw(e, v);
}

/* ---- synthetic NVD records ---------------------------------------------------------- */

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint32_t rnd(uint32_t n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state % n);
}

static const char *words[] = {
    "remote", "attacker", "arbitrary", "code", "execution", "via", "crafted", "packet",
    "buffer", "overflow", "in", "the", "component", "allows", "authenticated", "users",
    "to", "cause", "denial", "of", "service", "memory", "corruption", "versions", "prior",
    "before", "and", "through", "vulnerability", "server", "client", "request", "header",
    "Microsoft", "Windows", "Apache", "HTTP", "OpenSSL", "kernel", "privilege", "escalation",
};
static const char *palabras[] = {
    "atacante", "remoto", "ejecuci\xc3\xb3n", "c\xc3\xb3\x64igo", "arbitrario", "a", "trav\xc3\xa9s",
    "de", "paquetes", "manipulados", "vulnerabilidad", "permite", "memoria", "l\xc3\xadmites",
    "versi\xc3\xb3n", "anterior", "servidor", "denegaci\xc3\xb3n", "servicio", "el", "la", "en",
};
static const char *vendors[] = {"microsoft", "apache", "google", "fortinet", "cisco", "oracle",
                                "linux", "openssl", "zyxel", "ivanti", "qnap", "synology"};
static const char *products[] = {"windows_10", "http_server", "chrome", "fortios", "asa",
                                 "mysql", "linux_kernel", "openssl", "atp100_firmware",
                                 "connect_secure", "qts", "photos"};
static const char *tags[] = {"Vendor Advisory", "Patch", "Third Party Advisory", "Exploit",
                             "Mailing List", "Issue Tracking", "US Government Resource"};

static void sentence(char *out, size_t cap, const char **w, size_t nw, size_t nwords)
{
    size_t off = 0;
    for (size_t i = 0; i < nwords; i++) {
        const char *s = w[rnd((uint32_t)nw)];
        size_t l = strlen(s);
        if (off + l + 24 >= cap)
            break;
        if (i)
            out[off++] = ' ';
        memcpy(out + off, s, l);
        off += l;
        if (rnd(40) == 0) { /* an occasional quoted phrase: \" escapes in the JSON */
            memcpy(out + off, " \"quoted\"", 9);
            off += 9;
        }
    }
    out[off++] = '.';
    out[off] = '\0';
}

static void uuid(char *out, size_t cap)
{
    snprintf(out, cap, "%08X-%04X-%04X-%04X-%04X%08X", rnd(0xFFFFFFFFu), rnd(0xFFFF),
             rnd(0xFFFF), rnd(0xFFFF), rnd(0xFFFF), rnd(0xFFFFFFFFu));
}

static void cvss31(em *e, const char *src, const char *type)
{
    char num[32];
    em_open(e, '{');
    em_kstr(e, "source", src);
    em_kstr(e, "type", type);
    em_key(e, "cvssData");
    em_open(e, '{');
    em_kstr(e, "version", "3.1");
    em_kstr(e, "vectorString", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
    snprintf(num, sizeof num, "%u.%u", 1 + rnd(9), rnd(10));
    em_kraw(e, "baseScore", num);
    em_kstr(e, "baseSeverity", "CRITICAL");
    em_kstr(e, "attackVector", "NETWORK");
    em_kstr(e, "attackComplexity", "LOW");
    em_kstr(e, "privilegesRequired", "NONE");
    em_kstr(e, "userInteraction", "NONE");
    em_kstr(e, "scope", "UNCHANGED");
    em_kstr(e, "confidentialityImpact", "HIGH");
    em_kstr(e, "integrityImpact", "HIGH");
    em_kstr(e, "availabilityImpact", "HIGH");
    em_close(e, '}');
    em_kraw(e, "exploitabilityScore", "3.9");
    em_kraw(e, "impactScore", "5.9");
    em_close(e, '}');
}

static void cvss2(em *e)
{
    em_open(e, '{');
    em_kstr(e, "source", "nvd@nist.gov");
    em_kstr(e, "type", "Primary");
    em_key(e, "cvssData");
    em_open(e, '{');
    em_kstr(e, "version", "2.0");
    em_kstr(e, "vectorString", "AV:N/AC:M/Au:N/C:C/I:C/A:C");
    em_kraw(e, "baseScore", "9.3");
    em_kstr(e, "accessVector", "NETWORK");
    em_kstr(e, "accessComplexity", "MEDIUM");
    em_kstr(e, "authentication", "NONE");
    em_kstr(e, "confidentialityImpact", "COMPLETE");
    em_kstr(e, "integrityImpact", "COMPLETE");
    em_kstr(e, "availabilityImpact", "COMPLETE");
    em_close(e, '}');
    em_kstr(e, "baseSeverity", "HIGH");
    em_kraw(e, "exploitabilityScore", "8.6");
    em_kraw(e, "impactScore", "10.0");
    em_kraw(e, "acInsufInfo", "false");
    em_kraw(e, "obtainAllPrivilege", "false");
    em_kraw(e, "obtainUserPrivilege", "false");
    em_kraw(e, "obtainOtherPrivilege", "false");
    em_kraw(e, "userInteractionRequired", "true");
    em_close(e, '}');
}

static void record(em *e, unsigned long i)
{
    char s[1024], t[1024];
    em_open(e, '{');
    em_key(e, "cve");
    em_open(e, '{');
    snprintf(s, sizeof s, "CVE-%lu-%lu", 2000 + i % 25, 1000 + i);
    em_kstr(e, "id", s);
    em_kstr(e, "sourceIdentifier", rnd(2) ? "secure@microsoft.com" : "cve@mitre.org");
    snprintf(s, sizeof s, "20%02u-%02u-%02uT%02u:%02u:%02u.%03u", 10 + rnd(15), 1 + rnd(12),
             1 + rnd(28), rnd(24), rnd(60), rnd(60), rnd(1000));
    em_kstr(e, "published", s);
    em_kstr(e, "lastModified", s);
    em_kstr(e, "vulnStatus", rnd(2) ? "Analyzed" : "Modified");
    em_key(e, "cveTags");
    em_open(e, '[');
    em_close(e, ']');
    em_key(e, "descriptions");
    em_open(e, '[');
    em_open(e, '{');
    em_kstr(e, "lang", "en");
    sentence(t, sizeof t, words, sizeof words / sizeof *words, 30 + rnd(40));
    em_kstr(e, "value", t);
    em_close(e, '}');
    em_open(e, '{');
    em_kstr(e, "lang", "es");
    sentence(t, sizeof t, palabras, sizeof palabras / sizeof *palabras, 30 + rnd(40));
    em_kstr(e, "value", t);
    em_close(e, '}');
    em_close(e, ']');
    em_key(e, "metrics");
    em_open(e, '{');
    em_key(e, "cvssMetricV31");
    em_open(e, '[');
    cvss31(e, "nvd@nist.gov", "Primary");
    if (rnd(2))
        cvss31(e, "134c704f-9b21-4f2e-91b3-4a467353bcc0", "Secondary");
    em_close(e, ']');
    if (rnd(2)) {
        em_key(e, "cvssMetricV2");
        em_open(e, '[');
        cvss2(e);
        em_close(e, ']');
    }
    em_close(e, '}');
    em_key(e, "weaknesses");
    em_open(e, '[');
    em_open(e, '{');
    em_kstr(e, "source", "nvd@nist.gov");
    em_kstr(e, "type", "Primary");
    em_key(e, "description");
    em_open(e, '[');
    em_open(e, '{');
    em_kstr(e, "lang", "en");
    snprintf(s, sizeof s, "CWE-%u", 20 + rnd(900));
    em_kstr(e, "value", s);
    em_close(e, '}');
    em_close(e, ']');
    em_close(e, '}');
    em_close(e, ']');
    em_key(e, "configurations");
    em_open(e, '[');
    for (unsigned c = 0, nc = 1 + rnd(2); c < nc; c++) {
        em_open(e, '{');
        em_key(e, "nodes");
        em_open(e, '[');
        em_open(e, '{');
        em_kstr(e, "operator", "OR");
        em_kraw(e, "negate", "false");
        em_key(e, "cpeMatch");
        em_open(e, '[');
        for (unsigned m = 0, nm = 1 + rnd(12); m < nm; m++) {
            unsigned v = rnd(sizeof vendors / sizeof *vendors);
            em_open(e, '{');
            em_kraw(e, "vulnerable", "true");
            snprintf(s, sizeof s, "cpe:2.3:a:%s:%s:%u.%u.%u:*:*:*:*:*:*:*", vendors[v],
                     products[v], rnd(20), rnd(10), rnd(100));
            em_kstr(e, "criteria", s);
            if (rnd(3) == 0) {
                snprintf(s, sizeof s, "%u.%u.%u", rnd(20), rnd(10), rnd(100));
                em_kstr(e, "versionEndExcluding", s);
            }
            uuid(s, sizeof s);
            em_kstr(e, "matchCriteriaId", s);
            em_close(e, '}');
        }
        em_close(e, ']');
        em_close(e, '}');
        em_close(e, ']');
        em_close(e, '}');
    }
    em_close(e, ']');
    em_key(e, "references");
    em_open(e, '[');
    for (unsigned r = 0, nr = 3 + rnd(15); r < nr; r++) {
        em_open(e, '{');
        snprintf(s, sizeof s, "https://www.example-%u.com/security/advisories/%lu/%u.html",
                 rnd(50), i, rnd(100000));
        em_kstr(e, "url", s);
        em_kstr(e, "source", "cve@mitre.org");
        if (rnd(2)) {
            em_key(e, "tags");
            em_open(e, '[');
            for (unsigned k = 0, nk = 1 + rnd(3); k < nk; k++)
                em_str(e, tags[rnd(sizeof tags / sizeof *tags)]);
            em_close(e, ']');
        }
        em_close(e, '}');
    }
    em_close(e, ']');
    em_close(e, '}');
    em_close(e, '}');
}

static size_t gen_page(lf_buf *b, int pretty, size_t target)
{
    em e = {.b = b, .pretty = pretty};
    size_t n = 0;
    rng_state = 0x9E3779B97F4A7C15ull;
    em_open(&e, '{');
    em_kraw(&e, "resultsPerPage", "2000");
    em_kraw(&e, "startIndex", "0");
    em_kraw(&e, "totalResults", "250000");
    em_kstr(&e, "format", "NVD_CVE");
    em_kstr(&e, "version", "2.0");
    em_kstr(&e, "timestamp", "2025-06-01T12:00:00.000");
    em_key(&e, "vulnerabilities");
    em_open(&e, '[');
    while (b->len < target) {
        record(&e, n);
        n++;
    }
    em_close(&e, ']');
    em_close(&e, '}');
    return n;
}

/* A page of the real shared records, repeated up to target bytes (pretty, 2-space). */
static size_t real_page(lf_buf *b, size_t target)
{
    const char *root = getenv("LF_SHARED_DATA");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/nvd", root ? root : LF_SOURCE_DIR "/../shared/data");
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    lf_buf recs;
    lf_buf_init(&recs, 0);
    struct dirent *de;
    size_t nrec = 0;
    while ((de = readdir(d)) != NULL) {
        size_t l = strlen(de->d_name);
        if (l < 6 || strcmp(de->d_name + l - 5, ".json") != 0)
            continue;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        FILE *f = fopen(path, "rb");
        if (!f)
            continue;
        lf_buf_puts(&recs, nrec ? ",\n    {\"cve\": " : "    {\"cve\": ");
        char tmp[65536];
        size_t k;
        while ((k = fread(tmp, 1, sizeof tmp, f)) > 0)
            lf_buf_append(&recs, tmp, k);
        lf_buf_putc(&recs, '}');
        fclose(f);
        nrec++;
    }
    closedir(d);
    if (!nrec) {
        lf_buf_clear(&recs);
        return 0;
    }
    size_t n = 0;
    lf_buf_puts(b, "{\n  \"resultsPerPage\": 2000,\n  \"format\": \"NVD_CVE\",\n"
                   "  \"version\": \"2.0\",\n  \"vulnerabilities\": [\n");
    while (b->len < target) {
        if (n)
            lf_buf_append(b, ",\n", 2);
        lf_buf_append(b, recs.data, recs.len);
        n += nrec;
    }
    lf_buf_puts(b, "\n  ]\n}\n");
    lf_buf_clear(&recs);
    return n;
}

/* ---- timing ------------------------------------------------------------------------- */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

typedef struct count {
    size_t n, ids;
} count;

static int on_elem(void *ud, const lf_json *elem, size_t index, long line)
{
    (void)index;
    (void)line;
    count *c = ud;
    c->n++;
    if (lf_json_get_str(lf_json_get(elem, "cve"), "id"))
        c->ids++;
    return 0;
}

static int run(const char *label, const lf_buf *doc, size_t nrec)
{
    double mb = (double)doc->len / 1e6, best_parse = 1e9, best_each = 1e9;
    for (int rep = 0; rep < 3; rep++) {
        lf_arena a;
        lf_arena_init(&a, 0);
        lf_json *root;
        lf_err err;
        lf_err_clear(&err);
        double t0 = now();
        int rc = lf_json_parse(&a, doc->data, doc->len, NULL, &root, &err);
        double t1 = now();
        if (rc) {
            fprintf(stderr, "%s: parse failed: %d %ld:%ld %s\n", label, rc, err.line, err.col,
                    err.msg);
            return 1;
        }
        size_t got = lf_json_len(lf_json_get(root, "vulnerabilities"));
        size_t arena_mb = a.total >> 20;
        lf_arena_clear(&a);
        if (got != nrec) {
            fprintf(stderr, "%s: %zu records, expected %zu\n", label, got, nrec);
            return 1;
        }
        if (t1 - t0 < best_parse)
            best_parse = t1 - t0;

        lf_arena_init(&a, 0);
        count c = {0, 0};
        t0 = now();
        rc = lf_json_foreach(&a, doc->data, doc->len, "vulnerabilities", NULL, on_elem, &c, &err);
        t1 = now();
        lf_arena_clear(&a);
        if (rc || c.n != nrec || c.ids != nrec) {
            fprintf(stderr, "%s: foreach failed: rc %d, %zu/%zu records\n", label, rc, c.n, nrec);
            return 1;
        }
        if (t1 - t0 < best_each)
            best_each = t1 - t0;
        if (rep == 0)
            printf("%-22s %8.1f MB, %7zu records, tree %zu MiB in the arena\n", label, mb, nrec,
                   arena_mb);
    }
    printf("  lf_json_parse   %8.0f MB/s  (best of 3: %.3f s)\n", mb / best_parse, best_parse);
    printf("  lf_json_foreach %8.0f MB/s  (best of 3: %.3f s)\n", mb / best_each, best_each);
    return 0;
}

int main(int argc, char **argv)
{
    size_t target = (size_t)(argc > 1 ? strtoul(argv[1], NULL, 10) : 200) * 1000000u;
    const char *only = argc > 2 ? argv[2] : ""; /* "indented", "compact" or "real" */
    int rc = 0;
    size_t n;
    lf_buf doc;

    if (!*only || strcmp(only, "indented") == 0) {
        lf_buf_init(&doc, 0);
        n = gen_page(&doc, 1, target);
        rc |= run("NVD page, indented", &doc, n);
        lf_buf_clear(&doc);
    }
    if (!*only || strcmp(only, "compact") == 0) {
        lf_buf_init(&doc, 0);
        n = gen_page(&doc, 0, target);
        rc |= run("NVD page, compact", &doc, n);
        lf_buf_clear(&doc);
    }
    if (!*only || strcmp(only, "real") == 0) {
        lf_buf_init(&doc, 0);
        n = real_page(&doc, target);
        if (n)
            rc |= run("real NVD records", &doc, n);
        else
            printf("real NVD records: shared/data/nvd not found, skipped\n");
        lf_buf_clear(&doc);
    }
    return rc;
}
