/*
 * osv: OSV advisory reader (see osv.h for the mapping rules O1..O9). Field names follow
 * the OSV schema 1.x (ossf/osv-schema validation/schema.json): id, modified, published,
 * withdrawn, aliases, related, upstream, summary, details, severity[]{type,score},
 * affected[]{package{ecosystem,name,purl}, severity, ranges[]{type,repo,events[]},
 * versions[], ecosystem_specific, database_specific}, references[]{type,url},
 * database_specific.
 */
#include "feeds/osv.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/file.h"
#include "core/zip.h"
#include "intake/inv.h"
#include "vans/cvss.h"
#include "vans/pkgver.h"

#define OSV_MAX_ID       128
#define OSV_MAX_VULNS    1024
#define OSV_MAX_RANGES   256
#define OSV_MAX_EVENTS   4096
#define OSV_MAX_VERSIONS 65536
#define OSV_MAX_CRIT     65536
#define OSV_ZIP_JSON_MAX ((size_t)64 << 20)   /* one record file, or an array of them */
#define OSV_DIR_DEPTH    16
#define OSV_SOURCE       "osv"                /* metric and reference source */

struct lf_osv_reader {
    lf_feed_ctx *c;
    lf_osv_opts opts;
    lf_arena json_a;         /* JSON tree of the current file or array element */
    lf_arena tmp;            /* documents of the current record */
    const char *src;         /* current input name */
    size_t total_lines;
    lf_err *fatal;           /* the caller's err while a buffer is imported */
    bool in_archive;         /* progress is the archive's, not each entry's */
    lf_osv_stats st;
};

/* Conversion of one record. */
typedef struct rec_ctx {
    lf_osv_reader *r;
    const char *src;
    long line;
    const char *id;          /* OSV id */
    lf_arena *a;
    size_t ncrit;            /* criteria of the record (OSV_MAX_CRIT) */
} rec_ctx;

/* ------------------------------------------------------------------ helpers ---- */

static char lower(char ch)
{
    return (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
}

static bool ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (lower(*a) != lower(*b))
            return false;
    return *a == *b;
}

/* Case-insensitive equality of a[0..n) and the NUL-terminated b. */
static bool ieqn(const char *a, size_t n, const char *b)
{
    size_t i = 0;
    for (; i < n && b[i]; i++)
        if (lower(a[i]) != lower(b[i]))
            return false;
    return i == n && !b[i];
}

static bool is_digit(char ch)
{
    return ch >= '0' && ch <= '9';
}

static bool is_alpha(char ch)
{
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z');
}

static void reportf(const rec_ctx *x, const char *field, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void reportf(const rec_ctx *x, const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    lf_feed_reportv(x->r->c, x->src, x->line, x->id, field, fmt, ap);
    va_end(ap);
}

/* --------------------------------------------------------------- CVE ids (O1) ---- */

/* Exactly "CVE-YYYY-N..." (4 or more digits after the year). */
static bool is_cve(const char *s)
{
    if (strncmp(s, "CVE-", 4) != 0)
        return false;
    for (int i = 4; i < 8; i++)
        if (!is_digit(s[i]))
            return false;
    if (s[8] != '-')
        return false;
    size_t n = 0;
    for (const char *p = s + 9; *p; p++, n++)
        if (!is_digit(*p))
            return false;
    return n >= 4 && n <= 19;
}

/* The CVE id s names: s itself, or the CVE after a distribution prefix
 * ("UBUNTU-CVE-2023-22809"). NULL when none. */
static const char *cve_of(const char *s)
{
    if (!s)
        return NULL;
    if (is_cve(s))
        return s;
    const char *p = s;
    while (is_alpha(*p))
        p++;
    if (p > s && *p == '-' && is_cve(p + 1))
        return p + 1;
    return NULL;
}

typedef struct strvec {
    const char **v;
    size_t n, cap;
} strvec;

static int vuln_add(rec_ctx *x, strvec *sv, const char *cve, bool *full)
{
    for (size_t i = 0; i < sv->n; i++)
        if (!strcmp(sv->v[i], cve))
            return LF_OK;
    if (sv->n >= OSV_MAX_VULNS) {
        *full = true;
        return LF_OK;
    }
    if (lf_arena_grow(x->a, (void **)&sv->v, &sv->cap, sv->n, sizeof(char *)))
        return LF_ENOMEM;
    sv->v[sv->n++] = cve;
    return LF_OK;
}

/* The CVEs of one id list (aliases, upstream, related). */
static int vulns_from_list(rec_ctx *x, const lf_json *rec, const char *key, strvec *sv, bool *full)
{
    const lf_json *l = lf_json_get(rec, key);
    if (!l || lf_json_is(l, LF_JSON_NULL))
        return LF_OK;
    if (!lf_json_is(l, LF_JSON_ARRAY)) {
        reportf(x, key, "%s is %s, not an array of ids; ignored", key, lf_json_type_name(l));
        return LF_OK;
    }
    bool bad = false;
    for (size_t i = 0; i < lf_json_len(l); i++) {
        const char *s = lf_json_str(lf_json_at(l, i));
        if (!s) {
            bad = true;
            continue;
        }
        const char *cve = cve_of(s);
        if (cve && vuln_add(x, sv, cve, full))
            return LF_ENOMEM;
    }
    if (bad)
        reportf(x, key, "%s holds entries that are not strings; those left out", key);
    return LF_OK;
}

/* ------------------------------------------------------------ metadata (O2-O6) ---- */

/* Description (O2), with the aliases line when the record names no CVE. */
static int describe(rec_ctx *x, const lf_json *rec, bool no_cve, const char **out)
{
    const char *sum = lf_json_get_str(rec, "summary");
    const char *det = lf_json_get_str(rec, "details");
    if (sum && !sum[0])
        sum = NULL;
    if (det && !det[0])
        det = NULL;
    if (sum && det && !strncmp(det, sum, strlen(sum)))
        sum = NULL;
    const lf_json *al = lf_json_get(rec, "aliases");
    size_t nal = 0, allen = 0;
    if (no_cve && lf_json_is(al, LF_JSON_ARRAY))
        for (size_t i = 0; i < lf_json_len(al); i++) {
            const char *s = lf_json_str(lf_json_at(al, i));
            if (s && s[0]) {
                nal++;
                allen += strlen(s) + 2;
            }
        }
    if (!nal && !(sum && det)) {
        *out = sum ? sum : det;
        return LF_OK;
    }
    size_t n = allen + 16 + (sum ? strlen(sum) : 0) + (det ? strlen(det) : 0) + 4;
    char *d = lf_arena_alloc(x->a, n);
    if (!d)
        return LF_ENOMEM;
    size_t w = 0;
    if (nal) {
        w += (size_t)snprintf(d + w, n - w, "aliases: ");
        size_t k = 0;
        for (size_t i = 0; i < lf_json_len(al); i++) {
            const char *s = lf_json_str(lf_json_at(al, i));
            if (s && s[0])
                w += (size_t)snprintf(d + w, n - w, "%s%s", k++ ? ", " : "", s);
        }
        if (sum || det)
            w += (size_t)snprintf(d + w, n - w, "\n\n");
    }
    if (sum)
        w += (size_t)snprintf(d + w, n - w, "%s%s", sum, det ? "\n\n" : "");
    if (det)
        snprintf(d + w, n - w, "%s", det);
    *out = d;
    return LF_OK;
}

typedef struct metvec {
    lf_vmetric *v;
    size_t n, cap;
} metvec;

/* One severity[] list (record or affected entry) into metrics (O4). */
static int add_severity(rec_ctx *x, const char *path, const lf_json *sev, metvec *mv)
{
    char field[96];
    if (!sev || lf_json_is(sev, LF_JSON_NULL))
        return LF_OK;
    if (!lf_json_is(sev, LF_JSON_ARRAY)) {
        reportf(x, path, "severity is %s, not an array; ignored", lf_json_type_name(sev));
        return LF_OK;
    }
    for (size_t i = 0; i < lf_json_len(sev); i++) {
        const lf_json *s = lf_json_at(sev, i);
        snprintf(field, sizeof field, "%.60s[%zu]", path, i);
        const char *type = lf_json_get_str(s, "type");
        if (!type) {
            reportf(x, field, "severity entry without a type string; left out");
            continue;
        }
        int want;
        if (!strcmp(type, "CVSS_V2"))
            want = 2;
        else if (!strcmp(type, "CVSS_V3"))
            want = 3;
        else if (!strcmp(type, "CVSS_V4"))
            want = 4;
        else
            continue;   /* "Ubuntu" priorities and future types: not CVSS */
        const char *vec = lf_json_get_str(s, "score");
        if (!vec || !vec[0]) {
            reportf(x, field, "%s severity without a score vector; left out", type);
            continue;
        }
        lf_cvss cv;
        lf_err ce;
        lf_err_clear(&ce);
        if (lf_cvss_parse(&cv, vec, strlen(vec), &ce) != LF_OK) {
            reportf(x, field, "%s vector \"%.80s\" does not parse (%s); left out", type, vec, ce.msg);
            continue;
        }
        int got = cv.version == LF_CVSS_V2 ? 2 : cv.version == LF_CVSS_V40 ? 4 : 3;
        if (got != want) {
            reportf(x, field, "type %s but the vector is CVSS %s; left out", type, lf_cvss_version_name(cv.version));
            continue;
        }
        bool dup = false;
        for (size_t k = 0; k < mv->n && !dup; k++)
            dup = !strcmp(mv->v[k].vector, vec);
        if (dup)
            continue;
        if (lf_arena_grow(x->a, (void **)&mv->v, &mv->cap, mv->n, sizeof(lf_vmetric)))
            return LF_ENOMEM;
        mv->v[mv->n++] = (lf_vmetric){.source = OSV_SOURCE,
                                      .primary = false,
                                      .version = cv.version,
                                      .score10 = cv.score10,
                                      .severity = cv.severity,
                                      .vector = vec};
    }
    return LF_OK;
}

/* database_specific.cwe_ids (O5). */
static int cwes_from_json(rec_ctx *x, const lf_json *rec, lf_vdoc *out)
{
    const lf_json *ids = lf_json_get(lf_json_get(rec, "database_specific"), "cwe_ids");
    size_t n = lf_json_is(ids, LF_JSON_ARRAY) ? lf_json_len(ids) : 0;
    out->ncwe = 0;
    out->cwe = n ? lf_arena_alloc(x->a, n * sizeof(char *)) : NULL;
    if (n && !out->cwe)
        return LF_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        const char *s = lf_json_str(lf_json_at(ids, i));
        if (!s || strncmp(s, "CWE-", 4) != 0 || !is_digit(s[4]))
            continue;
        bool dup = false;
        for (size_t k = 0; k < out->ncwe && !dup; k++)
            dup = !strcmp(out->cwe[k], s);
        if (!dup)
            out->cwe[out->ncwe++] = s;
    }
    return LF_OK;
}

static bool url_host_is(const char *url, const char *host)
{
    const char *p = strstr(url, "://");
    if (!p)
        return false;
    p += 3;
    size_t hl = strlen(host);
    if (!strncmp(p, "www.", 4))
        p += 4;
    return !strncmp(p, host, hl) && (p[hl] == '/' || p[hl] == '\0' || p[hl] == ':');
}

/* OSV reference type -> LF_REF_* bits (O6). */
static uint32_t ref_tags(const char *type, const char *url)
{
    if (!strcmp(type, "ADVISORY")) {
        if (url_host_is(url, "nvd.nist.gov") || url_host_is(url, "cve.org") || url_host_is(url, "cve.mitre.org"))
            return LF_REF_VDB_ENTRY;
        return LF_REF_VENDOR_ADVISORY;
    }
    if (!strcmp(type, "FIX"))
        return LF_REF_PATCH;
    if (!strcmp(type, "REPORT"))
        return LF_REF_ISSUE_TRACKING;
    if (!strcmp(type, "PACKAGE"))
        return LF_REF_PRODUCT;
    if (!strcmp(type, "EVIDENCE"))
        return LF_REF_EXPLOIT;
    return 0;
}

static int refs_from_json(rec_ctx *x, const lf_json *rec, lf_vdoc *out)
{
    const lf_json *refs = lf_json_get(rec, "references");
    out->nref = 0;
    out->ref = NULL;
    if (!refs || lf_json_is(refs, LF_JSON_NULL))
        return LF_OK;
    if (!lf_json_is(refs, LF_JSON_ARRAY)) {
        reportf(x, "references", "references is %s, not an array; ignored", lf_json_type_name(refs));
        return LF_OK;
    }
    size_t n = lf_json_len(refs);
    out->ref = n ? lf_arena_alloc(x->a, n * sizeof(lf_vref)) : NULL;
    if (n && !out->ref)
        return LF_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        const lf_json *r = lf_json_at(refs, i);
        const char *url = lf_json_get_str(r, "url");
        if (!url || !url[0]) {
            char field[40];
            snprintf(field, sizeof field, "references[%zu]", i);
            reportf(x, field, "reference without a url string; left out");
            continue;
        }
        const char *type = lf_json_get_str(r, "type");
        out->ref[out->nref++] = (lf_vref){url, OSV_SOURCE, type ? ref_tags(type, url) : 0};
    }
    return LF_OK;
}

/* ---------------------------------------------------------- configurations (O7) ---- */

typedef struct critvec {
    lf_vcrit *v;
    size_t n, cap;
} critvec;

typedef struct cfgvec {
    lf_vconfig *v;
    size_t n, cap;
} cfgvec;

static int crit_push(rec_ctx *x, critvec *cv, const char *cpe, const char *start, bool sincl, const char *end,
                     bool eincl, lf_vscheme scheme)
{
    if (x->ncrit >= OSV_MAX_CRIT)
        return LF_ELIMIT;
    if (lf_arena_grow(x->a, (void **)&cv->v, &cv->cap, cv->n, sizeof(lf_vcrit)))
        return LF_ENOMEM;
    cv->v[cv->n++] = (lf_vcrit){.vulnerable = true,
                                .cpe = cpe,
                                .start = start,
                                .start_incl = start ? sincl : false,
                                .end = end,
                                .end_incl = end ? eincl : false,
                                .scheme = scheme,
                                .match_id = NULL};
    x->ncrit++;
    return LF_OK;
}

enum { EV_INTRODUCED = 0, EV_FIXED, EV_LAST_AFFECTED, EV_LIMIT, EV_NKINDS };
static const char *const ev_names[EV_NKINDS] = {"introduced", "fixed", "last_affected", "limit"};

/*
 * One range's events into criteria (O7). A bad event drops the whole range: the
 * criteria it made are taken back and *dropped is set. Returns LF_OK (reported
 * problems included), LF_ENOMEM, or LF_ELIMIT (criteria limit, reported by the caller).
 */
static int range_crits(rec_ctx *x, const char *path, const lf_json *rg, const char *cpe, lf_vscheme scheme,
                       bool git, critvec *cv, bool *dropped)
{
    char field[128];
    size_t before = cv->n, before_total = x->ncrit;
    const lf_json *evs = lf_json_get(rg, "events");
    size_t n = lf_json_len(evs);
    if (!lf_json_is(evs, LF_JSON_ARRAY) || n == 0) {
        snprintf(field, sizeof field, "%.80s.events", path);
        reportf(x, field, "events must be a non-empty array; range left out");
        *dropped = true;
        return LF_OK;
    }
    if (n > OSV_MAX_EVENTS) {
        snprintf(field, sizeof field, "%.80s.events", path);
        reportf(x, field, "%zu events (limit %d); range left out", n, OSV_MAX_EVENTS);
        *dropped = true;
        return LF_OK;
    }
    bool open = false, any_intro = false;
    const char *start = NULL, *last_start = NULL;
    int rc = LF_OK;
    for (size_t i = 0; i < n; i++) {
        const lf_json *e = lf_json_at(evs, i);
        snprintf(field, sizeof field, "%.80s.events[%zu]", path, i);
        if (!lf_json_is(e, LF_JSON_OBJECT)) {
            reportf(x, field, "event is %s, not an object; range left out", lf_json_type_name(e));
            goto bad;
        }
        int kind = -1;
        const lf_json *val = NULL;
        for (size_t m = 0; m < e->n; m++) {
            const lf_json_member *mb = &e->u.members[m];
            for (int k = 0; k < EV_NKINDS; k++) {
                if (strcmp(mb->key, ev_names[k]) != 0)
                    continue;
                if (kind >= 0) {
                    reportf(x, field, "event has both \"%s\" and \"%s\" (one per event); range left out",
                            ev_names[kind], ev_names[k]);
                    goto bad;
                }
                kind = k;
                val = &mb->val;
            }
        }
        if (kind < 0) {
            reportf(x, field, "event has none of introduced, fixed, last_affected, limit; range left out");
            goto bad;
        }
        const char *v = lf_json_str(val);
        if (!v || !v[0] || strlen(v) != val->n) {
            reportf(x, field, "%s must be a non-empty string; range left out", ev_names[kind]);
            goto bad;
        }
        if (kind == EV_INTRODUCED) {
            any_intro = true;
            if (open)
                continue;   /* redundant: the open range already starts earlier */
            open = true;
            start = strcmp(v, "0") ? v : NULL;
            last_start = start;
            continue;
        }
        if (kind == EV_LIMIT && !git)
            continue;   /* limit bounds branch walks only (O7) */
        const char *from;
        if (open)
            from = start;
        else if (git && any_intro)
            from = last_start;   /* another branch's fix of the same introduction */
        else
            continue;   /* nothing open: restates an earlier close */
        open = false;
        if ((rc = crit_push(x, cv, cpe, from, true, v, kind == EV_LAST_AFFECTED, scheme)))
            goto fail;
    }
    if (!any_intro) {
        snprintf(field, sizeof field, "%.80s.events", path);
        reportf(x, field, "range has no introduced event; left out");
        goto bad;
    }
    if (open && (rc = crit_push(x, cv, cpe, start, true, NULL, false, scheme)))
        goto fail;
    return LF_OK;
bad:
    cv->n = before;
    x->ncrit = before_total;
    *dropped = true;
    return LF_OK;
fail:
    cv->n = before;
    x->ncrit = before_total;
    return rc;
}

/* Whether a range's type is ECOSYSTEM or SEMVER. */
static bool ordered_range(const lf_json *rg)
{
    const char *t = lf_json_get_str(rg, "type");
    return t && (!strcmp(t, "ECOSYSTEM") || !strcmp(t, "SEMVER"));
}

/* One affected[] entry into a configuration (O7), or none. */
static int entry_config(rec_ctx *x, size_t idx, const lf_json *af, cfgvec *cfgs, metvec *mv)
{
    lf_osv_reader *r = x->r;
    char path[40], field[96];
    snprintf(path, sizeof path, "affected[%zu]", idx);
    if (!lf_json_is(af, LF_JSON_OBJECT)) {
        reportf(x, path, "affected entry is %s, not an object; left out", lf_json_type_name(af));
        return LF_OK;
    }
    snprintf(field, sizeof field, "%s.severity", path);
    if (add_severity(x, field, lf_json_get(af, "severity"), mv))
        return LF_ENOMEM;
    const lf_json *pkg = lf_json_get(af, "package");
    if (!pkg || lf_json_is(pkg, LF_JSON_NULL)) {
        r->st.no_package++;
        return LF_OK;
    }
    snprintf(field, sizeof field, "%s.package", path);
    const char *eco = lf_json_get_str(pkg, "ecosystem");
    const char *name = lf_json_get_str(pkg, "name");
    if (!lf_json_is(pkg, LF_JSON_OBJECT) || !eco || !eco[0] || !name || !name[0]) {
        reportf(x, field, "package needs ecosystem and name strings; entry left out");
        return LF_OK;
    }
    lf_cpe cpe;
    int rc = lf_osv_package_cpe(eco, name, NULL, &cpe);
    char cbuf[LF_CPE_FS_BUF];
    if (rc == LF_OK)
        rc = lf_cpe_format_fs(&cpe, cbuf, sizeof cbuf);
    if (rc) {
        reportf(x, field, "package \"%.60s\" of \"%.40s\" cannot be written as a CPE (%s); entry left out", name, eco,
                rc == LF_ELIMIT ? "too long" : "control or non-ASCII bytes");
        return LF_OK;
    }
    const char *cpes = lf_arena_strdup(x->a, cbuf);
    if (!cpes)
        return LF_ENOMEM;
    const lf_json *ranges = lf_json_get(af, "ranges");
    if (lf_json_is(ranges, LF_JSON_NULL))
        ranges = NULL;
    const lf_json *vers = lf_json_get(af, "versions");
    if (lf_json_is(vers, LF_JSON_NULL))
        vers = NULL;
    snprintf(field, sizeof field, "%s.ranges", path);
    if (ranges && !lf_json_is(ranges, LF_JSON_ARRAY)) {
        reportf(x, field, "ranges is %s, not an array; entry left out", lf_json_type_name(ranges));
        r->c->report.configs_dropped++;
        return LF_OK;
    }
    if (lf_json_len(ranges) > OSV_MAX_RANGES) {
        reportf(x, field, "%zu ranges (limit %d); entry left out", lf_json_len(ranges), OSV_MAX_RANGES);
        r->c->report.configs_dropped++;
        return LF_OK;
    }
    snprintf(field, sizeof field, "%s.versions", path);
    if (vers && !lf_json_is(vers, LF_JSON_ARRAY)) {
        reportf(x, field, "versions is %s, not an array; ignored", lf_json_type_name(vers));
        vers = NULL;
    }
    if (lf_json_len(vers) > OSV_MAX_VERSIONS) {
        reportf(x, field, "%zu versions (limit %d); entry left out", lf_json_len(vers), OSV_MAX_VERSIONS);
        r->c->report.configs_dropped++;
        return LF_OK;
    }
    bool has_ordered = false, has_versions = lf_json_len(vers) > 0;
    for (size_t j = 0; j < lf_json_len(ranges); j++)
        has_ordered = has_ordered || ordered_range(lf_json_at(ranges, j));
    lf_vscheme eco_scheme = lf_vscheme_for_ecosystem(eco);
    critvec cv = {0};
    bool dropped = false;
    for (size_t j = 0; j < lf_json_len(ranges); j++) {
        const lf_json *rg = lf_json_at(ranges, j);
        char rpath[80];
        snprintf(rpath, sizeof rpath, "%s.ranges[%zu]", path, j);
        if (!lf_json_is(rg, LF_JSON_OBJECT)) {
            reportf(x, rpath, "range is %s, not an object; left out", lf_json_type_name(rg));
            dropped = true;
            continue;
        }
        const char *type = lf_json_get_str(rg, "type");
        lf_vscheme scheme;
        bool git = false;
        if (!type) {
            reportf(x, rpath, "range without a type string; left out");
            dropped = true;
            continue;
        } else if (!strcmp(type, "ECOSYSTEM")) {
            scheme = eco_scheme;
        } else if (!strcmp(type, "SEMVER")) {
            scheme = LF_VS_SEMVER;
        } else if (!strcmp(type, "GIT")) {
            if (has_ordered || has_versions) {
                r->st.git_dropped++;
                continue;
            }
            scheme = LF_VS_UNORDERED;
            git = true;
        } else {
            reportf(x, rpath, "range type \"%.40s\" is unknown (ECOSYSTEM, SEMVER or GIT); range left out", type);
            dropped = true;
            continue;
        }
        rc = range_crits(x, rpath, rg, cpes, scheme, git, &cv, &dropped);
        if (rc == LF_ELIMIT) {
            reportf(x, rpath, "more than %d criteria in the record; range left out", OSV_MAX_CRIT);
            dropped = true;
            continue;
        }
        if (rc)
            return rc;
    }
    if (has_versions && !has_ordered) {
        for (size_t j = 0; j < lf_json_len(vers); j++) {
            const lf_json *vj = lf_json_at(vers, j);
            const char *v = lf_json_str(vj);
            if (!v || !v[0] || strlen(v) != vj->n) {
                snprintf(field, sizeof field, "%s.versions[%zu]", path, j);
                reportf(x, field, "version must be a non-empty string; left out");
                continue;
            }
            rc = crit_push(x, &cv, cpes, v, true, v, true, eco_scheme);
            if (rc == LF_ELIMIT) {
                snprintf(field, sizeof field, "%s.versions[%zu]", path, j);
                reportf(x, field, "more than %d criteria in the record; the other versions left out", OSV_MAX_CRIT);
                dropped = true;
                break;
            }
            if (rc)
                return rc;
        }
    } else if (has_versions) {
        r->st.versions_dropped++;
    }
    if (!cv.n) {
        if (dropped)
            r->c->report.configs_dropped++;
        else if (!lf_json_len(ranges) && !has_versions)
            r->st.no_versions++;
        return LF_OK;
    }
    lf_vnode *nd = lf_arena_alloc(x->a, sizeof *nd);
    if (!nd || lf_arena_grow(x->a, (void **)&cfgs->v, &cfgs->cap, cfgs->n, sizeof(lf_vconfig)))
        return LF_ENOMEM;
    *nd = (lf_vnode){.op_and = false, .negate = false, .ncrit = cv.n, .crit = cv.v};
    cfgs->v[cfgs->n++] = (lf_vconfig){.op_and = false, .not_affected = false, .nnode = 1, .node = nd};
    return LF_OK;
}

/* ------------------------------------------------------------------ records ---- */

int lf_osv_docs_from_json(lf_osv_reader *r, const char *src, long line, const lf_json *record, lf_arena *a,
                          lf_vdoc **docs, size_t *ndocs, bool *rejected, lf_err *err)
{
    *docs = NULL;
    *ndocs = 0;
    *rejected = false;
    rec_ctx x = {r, src, line, NULL, a, 0};
    if (!lf_json_is(record, LF_JSON_OBJECT)) {
        lf_err_at(err, src, line, 0, NULL);
        return lf_err_set(err, LF_EPARSE, "record is %s, not a JSON object", lf_json_type_name(record));
    }
    const char *id = lf_json_get_str(record, "id");
    if (!id || !id[0] || strlen(id) > OSV_MAX_ID) {
        lf_err_at(err, src, line, 0, "id");
        return lf_err_set(err, LF_EPARSE, "record has no id string (or one longer than %d bytes); left out",
                          OSV_MAX_ID);
    }
    x.id = id;
    const char *mod = lf_json_get_str(record, "modified");
    if (!mod || !mod[0]) {
        lf_err_at(err, src, line, 0, "modified");
        lf_err_id(err, id);
        return lf_err_set(err, LF_EPARSE, "record has no modified time (required: it orders updates); left out");
    }
    /* O1 */
    strvec vulns = {0};
    bool full = false;
    const char *own = cve_of(id);
    if (own && vuln_add(&x, &vulns, own, &full))
        goto oom;
    if (vulns_from_list(&x, record, "aliases", &vulns, &full) ||
        vulns_from_list(&x, record, "upstream", &vulns, &full))
        goto oom;
    if (!vulns.n && vulns_from_list(&x, record, "related", &vulns, &full))
        goto oom;
    if (full)
        reportf(&x, "aliases", "more than %d CVE ids; the others left out", OSV_MAX_VULNS);
    bool no_cve = vulns.n == 0;
    size_t nd = no_cve ? 1 : vulns.n;
    lf_vdoc *out = lf_arena_calloc(a, nd * sizeof(lf_vdoc));
    if (!out)
        goto oom;
    lf_vdoc base = {.source = LF_SRC_OSV,
                    .published = lf_json_get_str(record, "published"),
                    .modified = mod,
                    .status = ""};
    const lf_json *wd = lf_json_get(record, "withdrawn");
    *rejected = wd && !lf_json_is(wd, LF_JSON_NULL);
    if (!*rejected) {
        if (describe(&x, record, no_cve, &base.description) || cwes_from_json(&x, record, &base) ||
            refs_from_json(&x, record, &base))
            goto oom;
        metvec mv = {0};
        if (add_severity(&x, "severity", lf_json_get(record, "severity"), &mv))
            goto oom;
        cfgvec cfgs = {0};
        const lf_json *aff = lf_json_get(record, "affected");
        if (aff && !lf_json_is(aff, LF_JSON_NULL) && !lf_json_is(aff, LF_JSON_ARRAY))
            reportf(&x, "affected", "affected is %s, not an array; no configurations", lf_json_type_name(aff));
        else
            for (size_t i = 0; i < lf_json_len(aff); i++)
                if (entry_config(&x, i, lf_json_at(aff, i), &cfgs, &mv))
                    goto oom;
        base.nmetric = mv.n;
        base.metric = mv.v;
        base.nconfig = cfgs.n;
        base.config = cfgs.v;
    }
    for (size_t i = 0; i < nd; i++) {
        out[i] = base;
        if (no_cve) {
            out[i].vuln_id = out[i].doc_id = id;
            continue;
        }
        out[i].vuln_id = vulns.v[i];
        if (nd == 1) {
            out[i].doc_id = id;
            continue;
        }
        size_t dl = strlen(id) + strlen(vulns.v[i]) + 2;
        char *d = lf_arena_alloc(a, dl);
        if (!d)
            goto oom;
        snprintf(d, dl, "%s/%s", id, vulns.v[i]);
        out[i].doc_id = d;
    }
    r->st.records++;
    r->st.docs += nd;
    if (*rejected)
        r->st.withdrawn++;
    if (no_cve)
        r->st.no_cve++;
    *docs = out;
    *ndocs = nd;
    return LF_OK;
oom:
    lf_err_at(err, src, line, 0, NULL);
    lf_err_id(err, id);
    return lf_err_set(err, LF_ENOMEM, "out of memory");
}

/* ------------------------------------------------------------------ import ---- */

int lf_osv_reader_new(lf_feed_ctx *c, const lf_osv_opts *opts, lf_osv_reader **out, lf_err *err)
{
    *out = NULL;
    lf_osv_reader *r = calloc(1, sizeof(*r));
    if (!r)
        return lf_err_set(err, LF_ENOMEM, "out of memory");
    r->c = c;
    if (opts)
        r->opts = *opts;
    lf_arena_init(&r->json_a, 1 << 20);
    lf_arena_init(&r->tmp, 1 << 16);
    *out = r;
    return LF_OK;
}

void lf_osv_reader_free(lf_osv_reader *r)
{
    if (!r)
        return;
    lf_arena_clear(&r->json_a);
    lf_arena_clear(&r->tmp);
    free(r);
}

void lf_osv_reader_stats(const lf_osv_reader *r, lf_osv_stats *out)
{
    *out = r->st;
}

static int put_doc(lf_osv_reader *r, const lf_vdoc *d, bool rejected)
{
    lf_feed_ctx *c = r->c;
    if (r->opts.on_doc) {
        int rc = r->opts.on_doc(r->opts.ud, d, rejected);
        if (rc) {
            lf_err_clear(r->fatal);
            lf_err_at(r->fatal, r->src, 0, 0, NULL);
            lf_err_id(r->fatal, d->doc_id);
            return lf_err_set(r->fatal, rc < 0 ? rc : LF_EINVAL, "import stopped by the document callback");
        }
    }
    lf_put_result res;
    lf_err e;
    lf_err_clear(&e);
    int rc = lf_vdb_builder_put(c->builder, d, rejected, &res, &e);
    if (rc) {
        *r->fatal = e;
        return rc;
    }
    lf_feed_count(c, res);
    return 0;
}

static int put_record(lf_osv_reader *r, const lf_json *rec, long line)
{
    lf_feed_ctx *c = r->c;
    c->report.records++;
    lf_arena_reset(&r->tmp);
    lf_vdoc *docs;
    size_t nd;
    bool rejected;
    lf_err e;
    lf_err_clear(&e);
    int rc = lf_osv_docs_from_json(r, r->src, line, rec, &r->tmp, &docs, &nd, &rejected, &e);
    if (rc == LF_ENOMEM) {
        *r->fatal = e;
        return rc;
    }
    if (rc) {
        lf_feed_error(c, &e);
        return 0;
    }
    for (size_t i = 0; i < nd; i++)
        if ((rc = put_doc(r, &docs[i], rejected)))
            return rc;
    if (c->on_progress && !r->in_archive && (c->report.records & 4095) == 0)
        c->on_progress(c->ud, r->src, r->total_lines ? (double)line / (double)r->total_lines : 0, c->report.records);
    return 0;
}

/* An OSV record, or something meant as one (an id-less record is still reported as a
 * record, not refused as another format). NVD's cve objects also have id + published:
 * their own fields tell them apart. */
static bool is_record(const lf_json *o)
{
    if (!lf_json_is(o, LF_JSON_OBJECT))
        return false;
    if (lf_json_get(o, "cveMetadata") || lf_json_get(o, "vulnStatus") || lf_json_get(o, "sourceIdentifier"))
        return false;
    if (lf_json_get(o, "modified"))
        return true;
    return lf_json_get(o, "id") && (lf_json_get(o, "affected") || lf_json_get(o, "schema_version") ||
                                    lf_json_get(o, "aliases") || lf_json_get(o, "summary") ||
                                    lf_json_get(o, "details") || lf_json_get(o, "withdrawn"));
}

static int on_elem(void *ud, const lf_json *elem, size_t index, long line)
{
    lf_osv_reader *r = ud;
    if (!is_record(elem)) {
        if (index == 0) {
            /* some other JSON array: refuse the file once instead of reporting each element */
            lf_err_clear(r->fatal);
            lf_err_at(r->fatal, r->src, line, 0, NULL);
            return lf_err_set(r->fatal, LF_EFORMAT,
                              "not OSV: the first array element is not an OSV record (no id and modified)");
        }
        r->c->report.records++;
        lf_err e;
        lf_err_clear(&e);
        lf_err_at(&e, r->src, line, 0, NULL);
        lf_err_set(&e, LF_EPARSE, "array element %zu is not an OSV record (no id and modified); left out", index);
        lf_feed_error(r->c, &e);
        return 0;
    }
    return put_record(r, elem, line);
}

/* What a top-level object that is not an OSV record is, for the message. */
static int refuse_object(const lf_json *root, const char *name, lf_err *err)
{
    lf_err_at(err, name, 1, 0, NULL);
    if (lf_json_get(root, "cveMetadata") || lf_json_get(root, "dataType"))
        return lf_err_set(err, LF_EFORMAT, "this is a CVE JSON 5 record, not OSV: use `feed import cve5`");
    if (lf_json_get(root, "vulnerabilities") || lf_json_get(root, "CVE_Items") || lf_json_get(root, "vulnStatus"))
        return lf_err_set(err, LF_EFORMAT, "this is NVD JSON, not OSV: use `feed import nvd`");
    return lf_err_set(err, LF_EFORMAT, "not OSV: no id and modified");
}

static bool is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

static int json_buffer(lf_osv_reader *r, const char *name, const char *data, size_t len, lf_err *err)
{
    lf_feed_ctx *c = r->c;
    int rc = LF_OK;
    r->src = name;
    r->fatal = err;
    r->total_lines = 0;
    c->report.files++;
    c->report.bytes += len;
    for (const char *p = data; p && (p = memchr(p, '\n', (size_t)(data + len - p))) != NULL; p++)
        r->total_lines++;
    size_t i = 0;
    if (len >= 3 && (unsigned char)data[0] == 0xef && (unsigned char)data[1] == 0xbb &&
        (unsigned char)data[2] == 0xbf)
        i = 3;
    while (i < len && is_space(data[i]))
        i++;
    lf_arena_reset(&r->json_a);
    if (i == len) {
        lf_err_at(err, name, 0, 0, NULL);
        rc = lf_err_set(err, LF_EFORMAT, "empty file: expected OSV records");
    } else if (data[i] == '[') {
        rc = lf_json_foreach(&r->json_a, data, len, NULL, NULL, on_elem, r, err);
    } else if (data[i] == '{') {
        lf_json *root;
        rc = lf_json_parse(&r->json_a, data, len, NULL, &root, err);
        if (rc == LF_OK) {
            const lf_json *vulns = lf_json_get(root, "vulns");
            if (is_record(root)) {
                rc = put_record(r, root, 1);
            } else if (lf_json_is(vulns, LF_JSON_ARRAY)) {
                /* an OSV API answer; records have no line of their own there */
                for (size_t k = 0; k < lf_json_len(vulns) && !rc; k++)
                    rc = on_elem(r, lf_json_at(vulns, k), k, 1);
            } else if (lf_json_len(root) == 0 || (lf_json_len(root) == 1 && vulns)) {
                rc = LF_OK;   /* {} / {"vulns": null}: the API's "nothing found" */
            } else {
                rc = refuse_object(root, name, err);
            }
        }
    } else {
        char b[8];
        lf_err_at(err, name, 1, (long)i + 1, NULL);
        rc = lf_err_set(err, LF_EFORMAT, "not JSON: starts with %s", lf_err_byte((unsigned char)data[i], b));
    }
    if (rc && !err->src[0])
        lf_err_at(err, name, err->line, err->col, NULL);
    if (c->on_progress && !r->in_archive)
        c->on_progress(c->ud, name, 1.0, c->report.records);
    lf_arena_reset(&r->json_a);
    r->fatal = NULL;
    return rc;
}

static bool name_ends(const char *s, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    if (n < k)
        return false;
    for (size_t i = 0; i < k; i++)
        if (lower(s[n - k + i]) != suffix[i])
            return false;
    return true;
}

/* Errors that concern one input (it is reported and the archive or folder goes on);
 * any other error (memory, the builder, the document hook) stops the import. */
static bool input_error(int rc)
{
    return rc == LF_EFORMAT || rc == LF_EPARSE || rc == LF_ELIMIT || rc == LF_ECORRUPT || rc == LF_EIO;
}

/* The *.json entries of an archive, each imported as "archive!entry". */
static int zip_buffer(lf_osv_reader *r, const char *name, const char *data, size_t len, lf_err *err)
{
    lf_feed_ctx *c = r->c;
    lf_zip z;
    int rc = lf_zip_open(&z, data, len, err);
    if (rc) {
        lf_err_at(err, name, 0, err->col, NULL);
        return rc;
    }
    lf_zip_entry e;
    uint64_t index = 0;
    while ((rc = lf_zip_next(&z, &e, err)) == LF_OK) {
        index++;
        const char *base = e.name;
        for (size_t i = 0; i < e.name_len; i++)
            if (e.name[i] == '/')
                base = e.name + i + 1;
        if (e.is_dir || !name_ends(e.name, e.name_len, ".json") || (base[0] == '.' && base[1] == '_') ||
            (e.name_len >= 9 && !memcmp(e.name, "__MACOSX/", 9)))
            continue;
        char ename[1024];
        snprintf(ename, sizeof ename, "%s!%.*s", name, (int)(e.name_len > 512 ? 512 : e.name_len), e.name);
        char *buf;
        size_t blen;
        lf_err ee;
        lf_err_clear(&ee);
        rc = lf_zip_extract(&z, &e, OSV_ZIP_JSON_MAX, &buf, &blen, &ee);
        if (rc == LF_OK) {
            rc = json_buffer(r, ename, buf, blen, &ee);
            free(buf);
        }
        if (rc && !input_error(rc)) {
            *err = ee;
            return rc;
        }
        if (rc) {
            lf_err_at(&ee, ename, ee.line, ee.col, NULL);
            lf_feed_error(c, &ee);
        }
        if (c->on_progress && (index & 255) == 0)
            c->on_progress(c->ud, name, z.count ? (double)index / (double)z.count : 0, c->report.records);
    }
    if (rc != LF_ENOTFOUND) {
        lf_err_at(err, name, 0, err->col, NULL);
        return rc;
    }
    return LF_OK;
}

int lf_osv_reader_buffer(lf_osv_reader *r, const char *name, const char *data, size_t len, lf_err *err)
{
    if (!lf_zip_sniff(data, len))
        return json_buffer(r, name, data, len, err);
    bool outer = !r->in_archive;
    r->in_archive = true;
    int rc = zip_buffer(r, name, data, len, err);
    if (outer) {
        r->in_archive = false;
        if (r->c->on_progress)
            r->c->on_progress(r->c->ud, name, 1.0, r->c->report.records);
    }
    return rc;
}

static int file_import(lf_osv_reader *r, const char *path, lf_err *err)
{
    char *data = NULL;
    size_t len = 0;
    int rc = lf_file_read(path, 0, &data, &len, err);
    if (rc)
        return rc;
    rc = lf_osv_reader_buffer(r, path, data, len, err);
    free(data);
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool wanted_file(const char *n)
{
    size_t l = strlen(n);
    return name_ends(n, l, ".json") || name_ends(n, l, ".json.gz") || name_ends(n, l, ".zip");
}

/* A folder: its entries sorted (so imports are reproducible), sub-folders walked, an
 * unreadable file reported and skipped. */
static int dir_import(lf_osv_reader *r, const char *path, int depth, lf_err *err)
{
    if (depth > OSV_DIR_DEPTH)
        return LF_OK;
    DIR *d = opendir(path);
    if (!d) {
        lf_err_at(err, path, 0, 0, NULL);
        return lf_err_set(err, LF_EIO, "cannot open the folder");
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = LF_OK;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 64;
            char **nn = realloc(names, nc * sizeof(*nn));
            if (!nn) {
                rc = lf_err_set(err, LF_ENOMEM, "out of memory");
                goto fail;
            }
            names = nn;
            cap = nc;
        }
        size_t sl = strlen(path) + strlen(de->d_name) + 2;
        if (!(names[n] = malloc(sl))) {
            rc = lf_err_set(err, LF_ENOMEM, "out of memory");
            goto fail;
        }
        snprintf(names[n++], sl, "%s/%s", path, de->d_name);
    }
    if (n)
        qsort(names, n, sizeof(char *), cmp_str);
    for (size_t i = 0; i < n && !rc; i++) {
        lf_err fe;
        lf_err_clear(&fe);
        if (lf_is_dir(names[i])) {
            rc = dir_import(r, names[i], depth + 1, &fe);
        } else {
            const char *base = strrchr(names[i], '/');
            if (!wanted_file(base ? base + 1 : names[i]))
                continue;
            rc = file_import(r, names[i], &fe);
        }
        if (rc && input_error(rc)) {
            if (!fe.src[0])
                lf_err_at(&fe, names[i], fe.line, fe.col, NULL);
            lf_feed_error(r->c, &fe);
            rc = LF_OK;
        } else if (rc) {
            *err = fe;
        }
    }
fail:
    closedir(d);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

int lf_osv_reader_file(lf_osv_reader *r, const char *path, lf_err *err)
{
    if (strcmp(path, "-") != 0 && lf_is_dir(path))
        return dir_import(r, path, 0, err);
    return file_import(r, path, err);
}

int lf_osv_import_buffer(lf_feed_ctx *c, const char *name, const char *data, size_t len, lf_err *err)
{
    lf_osv_reader *r;
    int rc = lf_osv_reader_new(c, NULL, &r, err);
    if (rc)
        return rc;
    rc = lf_osv_reader_buffer(r, name, data, len, err);
    lf_osv_reader_free(r);
    return rc;
}

int lf_osv_import_file(lf_feed_ctx *c, const char *path, lf_err *err)
{
    if (strcmp(path, "-") == 0 || !lf_is_dir(path))
        return lf_feed_import_file(c, path, lf_osv_import_buffer, err);
    lf_osv_reader *r;
    int rc = lf_osv_reader_new(c, NULL, &r, err);
    if (rc)
        return rc;
    rc = lf_osv_reader_file(r, path, err);
    lf_osv_reader_free(r);
    return rc;
}

/* ------------------------------------------------------------------ naming (O9) ---- */

/* Language ecosystems: one package namespace, no release. */
static const char *const lang_ecos[] = {"npm",   "PyPI",    "Maven", "Go",    "NuGet",    "crates.io", "RubyGems",
                                        "Packagist", "Hex", "Pub",   "Hackage", "CRAN",   "SwiftURL",  "GHC",
                                        "Julia", "opam",    "Bioconductor", "ConanCenter", "VSCode"};

/* s[0..n) lower-cased, spaces as '_' (the CPE spelling), into out. */
static int put_lower(const char *s, size_t n, char *out, size_t cap)
{
    if (n >= cap)
        return LF_ELIMIT;
    for (size_t i = 0; i < n; i++)
        out[i] = s[i] == ' ' ? '_' : lower(s[i]);
    out[n] = '\0';
    return LF_OK;
}

int lf_osv_ecosystem(const char *ecosystem, char *eco, size_t ecn, char *rel, size_t reln)
{
    if (!ecosystem || !ecosystem[0] || !ecn || !reln)
        return LF_EINVAL;
    const char *colon = strchr(ecosystem, ':');
    size_t hl = colon ? (size_t)(colon - ecosystem) : strlen(ecosystem);
    const char *rest = colon ? colon + 1 : "";
    if (!hl)
        return LF_EINVAL;
    if (put_lower(ecosystem, hl, eco, ecn))
        return LF_ELIMIT;
    rel[0] = '\0';
    for (size_t i = 0; i < sizeof lang_ecos / sizeof lang_ecos[0]; i++)
        if (ieqn(ecosystem, hl, lang_ecos[i]))
            return LF_OK;
    size_t rl = strlen(rest);
    if (!strcmp(eco, "ubuntu")) {
        /* "Pro:18.04:LTS" -> "pro-18.04": every part but a final LTS, '-'-joined */
        while (rl >= 4 && rest[rl - 4] == ':' && ieqn(rest + rl - 3, 3, "LTS"))
            rl -= 4;
        if (rl == 3 && ieqn(rest, 3, "LTS"))
            rl = 0;
        if (rl >= reln)
            return LF_ELIMIT;
        for (size_t i = 0; i < rl; i++)
            rel[i] = rest[i] == ':' ? '-' : lower(rest[i]);
        rel[rl] = '\0';
        return LF_OK;
    }
    if (!strcmp(eco, "alpine") && (rest[0] == 'v' || rest[0] == 'V') && is_digit(rest[1])) {
        rest++;
        rl--;
    }
    if (rl >= reln)
        return LF_ELIMIT;
    memcpy(rel, rest, rl + 1);
    return LF_OK;
}

/* PEP 503 normalised name: lower-case, runs of '-', '_', '.' as one '-'. */
static int pep503(const char *s, char *out, size_t cap)
{
    size_t w = 0;
    bool sep = false;
    for (; *s; s++) {
        if (*s == '-' || *s == '_' || *s == '.') {
            sep = true;
            continue;
        }
        if (sep && w) {
            if (w + 1 >= cap)
                return LF_ELIMIT;
            out[w++] = '-';
        }
        sep = false;
        if (w + 1 >= cap)
            return LF_ELIMIT;
        out[w++] = lower(*s);
    }
    out[w] = '\0';
    return w ? LF_OK : LF_EINVAL;
}

/* cpe:2.3:p:<fam>:<name>:<version>:*:*:*:*:<rel>:*:* (cpe.h, part 'p'). */
static int make_cpe(const char *fam, const char *rel, const char *name, const char *version, lf_cpe *out)
{
    char norm[512];
    if (!strcmp(fam, "pypi")) {
        int rc = pep503(name, norm, sizeof norm);
        if (rc)
            return rc;
        name = norm;
    }
    if (!name[0])
        return LF_EINVAL;
    lf_cpe_init(out);
    int rc = lf_cpe_set_plain(out, LF_CPE_PART, "p", 1);
    if (!rc)
        rc = lf_cpe_set_plain(out, LF_CPE_VENDOR, fam, strlen(fam));
    if (!rc)
        rc = lf_cpe_set_plain(out, LF_CPE_PRODUCT, name, strlen(name));
    if (!rc && version && version[0])
        rc = lf_cpe_set_plain(out, LF_CPE_VERSION, version, strlen(version));
    if (!rc && rel && rel[0])
        rc = lf_cpe_set_plain(out, LF_CPE_TARGET_SW, rel, strlen(rel));
    if (rc)
        lf_cpe_init(out);
    return rc;
}

int lf_osv_package_cpe(const char *ecosystem, const char *name, const char *version, lf_cpe *out)
{
    char fam[128], rel[256];
    lf_cpe_init(out);
    if (!name || !name[0])
        return LF_EINVAL;
    int rc = lf_osv_ecosystem(ecosystem, fam, sizeof fam, rel, sizeof rel);
    if (rc)
        return rc;
    return make_cpe(fam, rel, name, version, out);
}

/* Release codenames of inventories that state no number ("Debian GNU/Linux
 * bookworm/sid", "jammy"). */
static const struct {
    const char *word, *fam, *rel;
} codenames[] = {
    {"squeeze", "debian", "6.0"},  {"wheezy", "debian", "7"},     {"jessie", "debian", "8"},
    {"stretch", "debian", "9"},    {"buster", "debian", "10"},    {"bullseye", "debian", "11"},
    {"bookworm", "debian", "12"},  {"trixie", "debian", "13"},    {"forky", "debian", "14"},
    {"trusty", "ubuntu", "14.04"}, {"xenial", "ubuntu", "16.04"}, {"bionic", "ubuntu", "18.04"},
    {"focal", "ubuntu", "20.04"},  {"jammy", "ubuntu", "22.04"},  {"noble", "ubuntu", "24.04"},
    {"oracular", "ubuntu", "24.10"}, {"plucky", "ubuntu", "25.04"},
};

/* Distribution words of OS texts, in the order they are tried. */
static const struct {
    const char *word, *fam;
    int parts;   /* release components kept: 1 major, 2 major.minor */
} distros[] = {
    {"raspbian", "debian", 1},     {"debian", "debian", 1},  {"ubuntu", "ubuntu", 2},
    {"almalinux", "almalinux", 1}, {"alma linux", "almalinux", 1}, {"rocky", "rocky_linux", 1},
    {"red hat enterprise", "red_hat", 1}, {"redhat enterprise", "red_hat", 1}, {"rhel", "red_hat", 1},
    {"alpine", "alpine", 2},
};

static int put_str(const char *s, char *out, size_t cap)
{
    size_t n = strlen(s);
    if (n >= cap)
        return LF_ELIMIT;
    memcpy(out, s, n + 1);
    return LF_OK;
}

int lf_osv_platform(const char *os, char *eco, size_t ecn, char *rel, size_t reln)
{
    if (!os || !ecn || !reln)
        return LF_ENOTFOUND;
    char t[256];
    size_t n = strlen(os);
    if (n >= sizeof t)
        n = sizeof t - 1;
    for (size_t i = 0; i < n; i++)
        t[i] = lower(os[i]);
    t[n] = '\0';
    const char *fam = NULL, *at = NULL;
    int parts = 1;
    for (size_t k = 0; k < sizeof distros / sizeof distros[0] && !fam; k++) {
        const char *p = strstr(t, distros[k].word);
        if (p) {
            fam = distros[k].fam;
            at = p + strlen(distros[k].word);
            parts = distros[k].parts;
        }
    }
    /* the first number after the distribution's name: "12", "22.04.3", "v3.19" */
    const char *num = NULL;
    for (const char *p = at; p && *p && !num; p++)
        if (is_digit(*p) && (p == t || !is_alpha(p[-1]) || p[-1] == 'v'))
            num = p;
    if (fam && num) {
        size_t w = 0;
        int seen = 0;
        const char *p = num;
        char v[32];
        while (seen < parts && is_digit(*p)) {
            if (seen && w + 1 < sizeof v)
                v[w++] = '.';
            while (is_digit(*p) && w + 1 < sizeof v)
                v[w++] = *p++;
            seen++;
            if (*p == '.' && is_digit(p[1]))
                p++;
            else
                break;
        }
        v[w] = '\0';
        /* Debian before 7 numbered its releases X.Y (OSV: "Debian:6.0") */
        if (!strcmp(fam, "debian") && strtol(v, NULL, 10) < 7 && *p && is_digit(*p) && p[-1] == '.') {
            size_t k = w;
            if (k + 1 < sizeof v)
                v[k++] = '.';
            while (is_digit(*p) && k + 1 < sizeof v)
                v[k++] = *p++;
            v[k] = '\0';
        } else if (!strcmp(fam, "debian") && strtol(v, NULL, 10) < 7 && !strchr(v, '.')) {
            /* "Debian 6": OSV writes 6.0 */
            if (w + 2 < sizeof v)
                memcpy(v + w, ".0", 3);
        }
        if (!strcmp(fam, "ubuntu") && !strchr(v, '.'))
            return LF_ENOTFOUND;   /* "Ubuntu 22": no release */
        if (put_str(fam, eco, ecn) || put_str(v, rel, reln))
            return LF_ELIMIT;
        return LF_OK;
    }
    for (size_t k = 0; k < sizeof codenames / sizeof codenames[0]; k++) {
        const char *p = strstr(t, codenames[k].word);
        if (p && (!fam || !strcmp(fam, codenames[k].fam))) {
            if (put_str(codenames[k].fam, eco, ecn) || put_str(codenames[k].rel, rel, reln))
                return LF_ELIMIT;
            return LF_OK;
        }
    }
    return LF_ENOTFOUND;
}

/* Intake ecosystem -> OSV ecosystem family, and the distributions it needs. */
static const struct {
    const char *intake, *fam;
    const char *need[3];   /* distribution families accepted; NULL: a language ecosystem */
} item_ecos[] = {
    {"deb", NULL, {"debian", "ubuntu", NULL}},
    {"rpm", NULL, {"almalinux", "rocky_linux", "red_hat"}},
    {"apk", NULL, {"alpine", NULL, NULL}},
    {"npm", "npm", {NULL, NULL, NULL}},
    {"pypi", "pypi", {NULL, NULL, NULL}},
    {"maven", "maven", {NULL, NULL, NULL}},
    {"golang", "go", {NULL, NULL, NULL}},
    {"nuget", "nuget", {NULL, NULL, NULL}},
    {"cargo", "crates.io", {NULL, NULL, NULL}},
    {"gem", "rubygems", {NULL, NULL, NULL}},
    {"composer", "packagist", {NULL, NULL, NULL}},
    {"hex", "hex", {NULL, NULL, NULL}},
    {"pub", "pub", {NULL, NULL, NULL}},
};

int lf_osv_item_cpe(const char *ecosystem, const char *os, const char *name, const char *version, lf_cpe *out)
{
    lf_cpe_init(out);
    if (!ecosystem || !name || !name[0])
        return LF_ENOTFOUND;
    for (size_t k = 0; k < sizeof item_ecos / sizeof item_ecos[0]; k++) {
        if (!ieq(ecosystem, item_ecos[k].intake))
            continue;
        if (item_ecos[k].fam)
            return make_cpe(item_ecos[k].fam, NULL, name, version, out) == LF_OK ? LF_OK : LF_EINVAL;
        char fam[32], rel[32];
        if (lf_osv_platform(os, fam, sizeof fam, rel, sizeof rel) != LF_OK)
            return LF_ENOTFOUND;
        bool ok = false;
        for (int q = 0; q < 3 && item_ecos[k].need[q]; q++)
            ok = ok || !strcmp(fam, item_ecos[k].need[q]);
        if (!ok)
            return LF_ENOTFOUND;
        char bare[256];
        size_t bl = strcspn(name, ":");
        if (!bl || bl >= sizeof bare)
            return LF_EINVAL;
        memcpy(bare, name, bl);
        bare[bl] = '\0';
        return make_cpe(fam, rel, bare, version, out) == LF_OK ? LF_OK : LF_EINVAL;
    }
    return LF_ENOTFOUND;
}

/* ------------------------------------------------------------------ srcmap ---- */

typedef struct srcent {
    const char *bin;   /* without the pattern '*' */
    size_t blen;
    const char *src;
} srcent;

struct lf_osv_srcmap {
    char *buf;         /* the text, lines cut in place */
    srcent *exact;     /* sorted by bin */
    size_t nexact;
    srcent *pat;       /* prefix patterns, longest first */
    size_t npat;
};

static int cmp_ent(const void *a, const void *b)
{
    return strcmp(((const srcent *)a)->bin, ((const srcent *)b)->bin);
}

static int cmp_pat(const void *a, const void *b)
{
    const srcent *x = a, *y = b;
    if (x->blen != y->blen)
        return x->blen > y->blen ? -1 : 1;
    return strcmp(x->bin, y->bin);
}

static bool pkg_name_ok(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if ((unsigned char)*s <= ' ' || (unsigned char)*s >= 0x7f)
            return false;
    return true;
}

int lf_osv_srcmap_parse(const char *name, const char *text, size_t len, lf_osv_srcmap **out, lf_err *err)
{
    *out = NULL;
    int rc = LF_OK;
    lf_osv_srcmap *m = NULL;
    const char *nul = memchr(text, '\0', len);
    if (nul) {
        /* lines are cut at NUL bytes below: one inside a line would hide the rest */
        long line = 1;
        for (const char *q = text; q < nul; q++)
            line += *q == '\n';
        lf_err_at(err, name, line, 0, NULL);
        return lf_err_set(err, LF_EPARSE, "NUL byte in the table");
    }
    m = calloc(1, sizeof *m);
    if (!m || !(m->buf = malloc(len + 1))) {
        rc = lf_err_set(err, LF_ENOMEM, "out of memory");
        goto fail;
    }
    memcpy(m->buf, text, len);
    m->buf[len] = '\0';
    size_t nlines = 1;
    for (size_t i = 0; i < len; i++)
        nlines += text[i] == '\n';
    m->exact = malloc(nlines * sizeof(srcent));
    m->pat = malloc(nlines * sizeof(srcent));
    if (!m->exact || !m->pat) {
        rc = lf_err_set(err, LF_ENOMEM, "out of memory");
        goto fail;
    }
    long line = 0;
    for (char *p = m->buf; p && p < m->buf + len;) {
        line++;
        char *nl = memchr(p, '\n', (size_t)(m->buf + len - p));
        char *next = nl ? nl + 1 : NULL;
        if (nl)
            *nl = '\0';
        size_t ll = strlen(p);
        if (ll && p[ll - 1] == '\r')
            p[--ll] = '\0';
        if (!ll || p[0] == '#') {
            p = next;
            continue;
        }
        char *tab = strchr(p, '\t');
        if (tab)
            *tab = '\0';
        const char *src = tab ? tab + 1 : NULL;
        if (!tab || strchr(src, '\t') || !pkg_name_ok(p) || !pkg_name_ok(src) || (p[0] == '*')) {
            lf_err_at(err, name, line, 0, NULL);
            rc = lf_err_set(err, LF_EPARSE, "expected \"binary<TAB>source\" (package names, no spaces)");
            goto fail;
        }
        size_t bl = strlen(p);
        bool pattern = p[bl - 1] == '*';
        if (pattern)
            p[--bl] = '\0';
        if (strchr(p, '*')) {
            lf_err_at(err, name, line, 0, NULL);
            rc = lf_err_set(err, LF_EPARSE, "'*' is only allowed at the end of a binary name (a prefix pattern)");
            goto fail;
        }
        srcent e = {p, bl, src};
        if (pattern)
            m->pat[m->npat++] = e;
        else
            m->exact[m->nexact++] = e;
        p = next;
    }
    qsort(m->exact, m->nexact, sizeof(srcent), cmp_ent);
    qsort(m->pat, m->npat, sizeof(srcent), cmp_pat);
    for (size_t i = 1; i < m->nexact; i++)
        if (!strcmp(m->exact[i].bin, m->exact[i - 1].bin)) {
            lf_err_at(err, name, 0, 0, NULL);
            rc = lf_err_set(err, LF_EPARSE, "binary package \"%.100s\" listed twice", m->exact[i].bin);
            goto fail;
        }
    *out = m;
    return LF_OK;
fail:
    lf_osv_srcmap_free(m);
    return rc;
}

int lf_osv_srcmap_load(const char *path, lf_osv_srcmap **out, lf_err *err)
{
    char *data = NULL;
    size_t len = 0;
    *out = NULL;
    int rc = lf_file_read(path, (size_t)16 << 20, &data, &len, err);
    if (rc)
        return rc;
    rc = lf_osv_srcmap_parse(path, data, len, out, err);
    free(data);
    return rc;
}

void lf_osv_srcmap_free(lf_osv_srcmap *m)
{
    if (!m)
        return;
    free(m->buf);
    free(m->exact);
    free(m->pat);
    free(m);
}

size_t lf_osv_srcmap_count(const lf_osv_srcmap *m)
{
    return m ? m->nexact + m->npat : 0;
}

const char *lf_osv_srcmap_lookup(const lf_osv_srcmap *m, const char *binary)
{
    if (!m || !binary)
        return NULL;
    char bare[256];
    size_t bl = strcspn(binary, ":");
    if (!bl || bl >= sizeof bare)
        return NULL;
    memcpy(bare, binary, bl);
    bare[bl] = '\0';
    srcent key = {bare, bl, NULL};
    const srcent *hit = bsearch(&key, m->exact, m->nexact, sizeof(srcent), cmp_ent);
    if (hit)
        return hit->src;
    for (size_t i = 0; i < m->npat; i++)
        if (m->pat[i].blen <= bl && !memcmp(bare, m->pat[i].bin, m->pat[i].blen))
            return m->pat[i].src;
    return NULL;
}

int lf_osv_item_cpe_map(const lf_osv_srcmap *m, const char *ecosystem, const char *os, const char *name,
                        const char *version, lf_cpe *out)
{
    const char *src = ecosystem && ieq(ecosystem, "deb") ? lf_osv_srcmap_lookup(m, name) : NULL;
    return lf_osv_item_cpe(ecosystem, os, src ? src : name, version, out);
}

bool lf_osv_twin(const lf_vdb *db, const lf_osv_srcmap *m, const lf_inv_rec *rec, lf_cpe *out)
{
    return db && rec->ecosystem && rec->name &&
           lf_osv_item_cpe_map(m, rec->ecosystem, rec->os, rec->name, rec->version, out) == LF_OK &&
           lf_vdb_has_product(db, out);
}
