/*
 * epss: the CSV reader and the score file (see epss.h). File layout, little-endian:
 *   "LFEPSS1\0", u32 count, u32 0, char model[48], char date[40], then count entries of
 *   { u64 key; u32 score_1e6; u32 percentile_1e6 } sorted by key.
 */
#include "feeds/epss.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/file.h"

#define MAGIC "LFEPSS1"

typedef struct entry {
    uint64_t key;
    uint32_t score, pct;      /* x 1e6 */
} entry;

typedef struct header {
    char magic[8];
    uint32_t count;
    uint32_t reserved;        /* keeps the entries 8-byte aligned (header is 104 bytes) */
    char model[48];
    char date[40];
} header;

struct lf_epss {
    lf_map map;
    const header *h;
    const entry *e;
    size_t n;
};

uint64_t lf_epss_cve_key(const char *s, size_t n)
{
    if (n < 9 || (s[0] | 32) != 'c' || (s[1] | 32) != 'v' || (s[2] | 32) != 'e' || s[3] != '-')
        return 0;
    uint64_t year = 0, num = 0;
    size_t i = 4, d = 0;
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, d++)
        year = year * 10 + (uint64_t)(s[i] - '0');
    if (d != 4 || i >= n || s[i] != '-')
        return 0;
    i++;
    d = 0;
    for (; i < n && s[i] >= '0' && s[i] <= '9' && d < 9; i++, d++)
        num = num * 10 + (uint64_t)(s[i] - '0');
    if (d < 4 || i != n)
        return 0;
    return year * 1000000000ull + num;
}

/* "0.12564" → 125640 (x 1e6); -1 when not a number in [0, 1]. */
static long parse_unit(const char *s, size_t n)
{
    size_t i = 0;
    long ip = 0;
    if (i >= n || s[i] < '0' || s[i] > '9')
        return -1;
    while (i < n && s[i] >= '0' && s[i] <= '9') {
        ip = ip * 10 + (s[i] - '0');
        if (ip > 1)
            return -1;
        i++;
    }
    long frac = 0, scale = 1000000;
    if (i < n && s[i] == '.') {
        i++;
        size_t d = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9') {
            if (d < 6) {
                scale /= 10;
                frac += (s[i] - '0') * scale;
            }
            d++;
            i++;
        }
        if (!d)
            return -1;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        /* 1.2e-05: rare, but valid CSV from some exports */
        char buf[64];
        if (n >= sizeof buf)
            return -1;
        memcpy(buf, s, n);
        buf[n] = '\0';
        char *end;
        double v = strtod(buf, &end);
        if (*end || v < 0 || v > 1)
            return -1;
        return (long)(v * 1e6 + 0.5);
    }
    if (i != n)
        return -1;
    long v = ip * 1000000 + frac;
    return v > 1000000 ? -1 : v;
}

static int cmp_entry(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    return x->key < y->key ? -1 : x->key > y->key;
}

static void warn_row(lf_epss_warn_fn warn, void *ud, const char *src, long line, const char *msg)
{
    if (!warn)
        return;
    lf_err e;
    lf_err_clear(&e);
    lf_err_set(&e, LF_EPARSE, "%s", msg);
    lf_err_at(&e, src, line, 0, NULL);
    warn(ud, &e);
}

int lf_epss_import_buffer(const char *src, const char *data, size_t len, const char *out_path, lf_epss_warn_fn warn,
                          void *ud, lf_epss_stats *st, lf_err *err)
{
    memset(st, 0, sizeof *st);
    entry *v = NULL;
    size_t nv = 0, cap = 0;
    int rc = LF_OK;
    size_t pos = 0;
    long line = 0;
    bool header_seen = false, columns_seen = false;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        pos = 3;
    while (pos < len) {
        const char *s = data + pos;
        const char *nl = memchr(s, '\n', len - pos);
        size_t l = nl ? (size_t)(nl - s) : len - pos;
        pos += l + (nl ? 1 : 0);
        line++;
        if (l && s[l - 1] == '\r')
            l--;
        if (!l)
            continue;
        if (!columns_seen) {
            if (s[0] == '#') {
                /* #model_version:v2026.06.15,score_date:2026-09-29T12:00:22Z */
                for (size_t i = 1; i < l;) {
                    size_t e = i;
                    while (e < l && s[e] != ',')
                        e++;
                    const char *f = s + i;
                    size_t fl = e - i;
                    if (fl > 14 && memcmp(f, "model_version:", 14) == 0)
                        snprintf(st->model, sizeof st->model, "%.*s", (int)(fl - 14), f + 14);
                    else if (fl > 11 && memcmp(f, "score_date:", 11) == 0)
                        snprintf(st->date, sizeof st->date, "%.*s", (int)(fl - 11), f + 11);
                    i = e + 1;
                }
                header_seen = true;
                continue;
            }
            if (l >= 19 && memcmp(s, "cve,epss,percentile", 19) == 0) {
                columns_seen = true;
                continue;
            }
            free(v);
            lf_err_set(err, LF_EFORMAT,
                       "not an EPSS scores file: expected the '#model_version:…,score_date:…' line and the "
                       "'cve,epss,percentile' header");
            lf_err_at(err, src, line, 0, NULL);
            return LF_EFORMAT;
        }
        st->rows++;
        const char *c1 = memchr(s, ',', l);
        const char *c2 = c1 ? memchr(c1 + 1, ',', l - (size_t)(c1 + 1 - s)) : NULL;
        if (!c2) {
            st->bad++;
            warn_row(warn, ud, src, line, "expected cve,epss,percentile");
            continue;
        }
        uint64_t key = lf_epss_cve_key(s, (size_t)(c1 - s));
        long sc = parse_unit(c1 + 1, (size_t)(c2 - c1 - 1));
        long pc = parse_unit(c2 + 1, l - (size_t)(c2 + 1 - s));
        if (!key || sc < 0 || pc < 0) {
            st->bad++;
            warn_row(warn, ud, src, line,
                     !key ? "not a CVE id" : "EPSS score and percentile are numbers between 0 and 1");
            continue;
        }
        if (nv == cap) {
            size_t nc = cap ? cap * 2 : 4096;
            entry *nvp = realloc(v, nc * sizeof(*nvp));
            if (!nvp) {
                free(v);
                return lf_err_set(err, LF_ENOMEM, "out of memory reading %s", src);
            }
            v = nvp;
            cap = nc;
        }
        v[nv++] = (entry){key, (uint32_t)sc, (uint32_t)pc};
    }
    if (!columns_seen) {
        free(v);
        lf_err_set(err, LF_EFORMAT, header_seen ? "EPSS file without its 'cve,epss,percentile' header"
                                                : "not an EPSS scores file (empty)");
        lf_err_at(err, src, 0, 0, NULL);
        return LF_EFORMAT;
    }
    /* the daily file is not sorted (see the shared data README); sort, keep the first of
     * a duplicated CVE and count the rest */
    if (nv)
        qsort(v, nv, sizeof *v, cmp_entry);
    size_t o = 0;
    for (size_t i = 0; i < nv; i++) {
        if (o && v[o - 1].key == v[i].key) {
            st->duplicates++;
            continue;
        }
        v[o++] = v[i];
    }
    st->kept = o;
    header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, MAGIC, sizeof MAGIC);
    h.count = (uint32_t)o;
    snprintf(h.model, sizeof h.model, "%s", st->model);
    snprintf(h.date, sizeof h.date, "%s", st->date);
    lf_atomic w;
    if ((rc = lf_atomic_open(&w, out_path, err)))
        goto done;
    if (fwrite(&h, sizeof h, 1, w.f) != 1 || (o && fwrite(v, sizeof *v, o, w.f) != o)) {
        lf_atomic_abort(&w);
        rc = lf_err_set(err, LF_EIO, "cannot write %s", out_path);
        goto done;
    }
    rc = lf_atomic_commit(&w, err);
done:
    free(v);
    return rc;
}

int lf_epss_import_file(const char *path, const char *out_path, lf_epss_warn_fn warn, void *ud, lf_epss_stats *st,
                        lf_err *err)
{
    char *data;
    size_t len;
    int rc = lf_file_read(path, (size_t)1 << 30, &data, &len, err);
    if (rc)
        return rc;
    rc = lf_epss_import_buffer(path, data, len, out_path, warn, ud, st, err);
    free(data);
    return rc;
}

int lf_epss_open(const char *path, lf_epss **out, lf_err *err)
{
    lf_epss *e = calloc(1, sizeof(*e));
    if (!e)
        return lf_err_set(err, LF_ENOMEM, "out of memory");
    int rc = lf_map_open(&e->map, path, err);
    if (rc) {
        free(e);
        return rc;
    }
    if (e->map.len < sizeof(header) || memcmp(e->map.data, MAGIC, sizeof MAGIC) != 0)
        goto corrupt;
    e->h = (const header *)(const void *)e->map.data;
    e->n = e->h->count;
    if ((e->map.len - sizeof(header)) / sizeof(entry) < e->n)
        goto corrupt;
    e->e = (const entry *)(const void *)(e->map.data + sizeof(header));
    *out = e;
    return LF_OK;
corrupt:
    lf_map_close(&e->map);
    free(e);
    lf_err_set(err, LF_ECORRUPT, "%s is not an EPSS score file of this version: import the scores again", path);
    return LF_ECORRUPT;
}

void lf_epss_close(lf_epss *e)
{
    if (!e)
        return;
    lf_map_close(&e->map);
    free(e);
}

bool lf_epss_lookup(const lf_epss *e, const char *cve, double *score, double *percentile)
{
    if (!e || !cve)
        return false;
    uint64_t k = lf_epss_cve_key(cve, strlen(cve));
    size_t lo = 0, hi = e->n;
    while (k && lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint64_t mk = e->e[mid].key;
        if (mk < k) {
            lo = mid + 1;
        } else if (mk > k) {
            hi = mid;
        } else {
            *score = e->e[mid].score / 1e6;
            *percentile = e->e[mid].pct / 1e6;
            return true;
        }
    }
    return false;
}

void lf_epss_info(const lf_epss *e, lf_epss_stats *st)
{
    memset(st, 0, sizeof *st);
    if (!e)
        return;
    st->kept = e->n;
    snprintf(st->model, sizeof st->model, "%.*s", (int)sizeof e->h->model, e->h->model);
    snprintf(st->date, sizeof st->date, "%.*s", (int)sizeof e->h->date, e->h->date);
}
