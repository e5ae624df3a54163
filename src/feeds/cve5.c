/*
 * cve5: CVE JSON 5.x record reader (see cve5.h for the mapping rules M1..M11). Field
 * names follow the CVE Record Format schema (CVE_Record_Format.json, 5.0 to 5.2):
 * cveMetadata{cveId,state,datePublished,dateUpdated}, containers.cna / containers.adp[]
 * with providerMetadata, descriptions, affected[] (vendor, product, packageName, cpes,
 * defaultStatus, versions[]{version,status,lessThan,lessThanOrEqual,versionType,
 * changes[]}), metrics[], problemTypes[], references[], cpeApplicability[].
 */
#include "feeds/cve5.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/file.h"
#include "core/zip.h"
#include "intake/resolve.h"
#include "vans/cpe.h"
#include "vans/cvss.h"
#include "vans/version.h"

#define CVE5_MAX_CPES     256
#define CVE5_MAX_VERSIONS 4096
#define CVE5_MAX_CHANGES  256
#define CVE5_MAX_CRIT     65536
#define CVE5_MAX_SEGS     8192   /* segments of one entry (versions with their changes) */
#define CVE5_DEDUP_MAX    1024   /* above this many segments, duplicates are kept */
#define CVE5_ZIP_DEPTH    2      /* the bulk release is a zip inside a zip */
#define CVE5_ZIP_JSON_MAX ((size_t)64 << 20)   /* one record file, or an array of them */
#define CVE5_ZIP_NESTED_MAX ((size_t)2 << 30)  /* cves.zip inside the bulk release */

struct lf_cve5_reader {
    lf_feed_ctx *c;
    lf_cve5_opts opts;
    lf_resolver *res;        /* NULL without names */
    lf_arena json_a;         /* JSON tree of the current file or array element */
    lf_arena tmp;            /* documents of the current record */
    const char *src;         /* current input name */
    size_t total_lines;
    lf_err *fatal;           /* the caller's err while a buffer is imported */
    bool in_archive;         /* progress is the archive's, not each entry's */
};

/* Conversion of one record. */
typedef struct rec_ctx {
    lf_cve5_reader *r;
    const char *src;
    long line;
    const char *id;          /* CVE id */
    lf_arena *a;
    size_t ncrit;            /* criteria of the current document (CVE5_MAX_CRIT) */
} rec_ctx;

/* ------------------------------------------------------------------ helpers ---- */

static char lower(char ch)
{
    return (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
}

static bool ieq(const char *a, const char *b)
{
    if (!a || !b)
        return false;
    for (; *a && *b; a++, b++)
        if (lower(*a) != lower(*b))
            return false;
    return *a == *b;
}

static bool istarts(const char *s, const char *prefix)
{
    for (; *prefix; s++, prefix++)
        if (lower(*s) != lower(*prefix))
            return false;
    return true;
}

static bool is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

static bool streq_null(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

/* s without surrounding white space; a copy in the arena only when it has some.
 * NULL stays NULL; NULL also on allocation failure (*oom set). */
static const char *trim(lf_arena *a, const char *s, bool *oom)
{
    if (!s)
        return NULL;
    size_t n = strlen(s);
    size_t b = 0;
    while (b < n && is_space(s[b]))
        b++;
    while (n > b && is_space(s[n - 1]))
        n--;
    if (b == 0 && s[n] == '\0')
        return s;
    char *t = lf_arena_strndup(a, s + b, n - b);
    if (!t)
        *oom = true;
    return t;
}

/* A name as CPE text can spell it: every non-ASCII sequence and control byte becomes a
 * space (U+202F after "NetScaler ADC", the en dash of WordPress plugin titles), runs
 * of spaces collapse, ends are trimmed. NULL when nothing is left (*oom on failure). */
static const char *fold_name(lf_arena *a, const char *s, bool *oom)
{
    size_t n = strlen(s);
    char *out = lf_arena_alloc(a, n + 1);
    if (!out) {
        *oom = true;
        return NULL;
    }
    size_t w = 0;
    bool gap = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch >= 0x80 || ch < 0x20 || ch == 0x7f || ch == ' ') {
            gap = true;
            continue;
        }
        if (gap && w)
            out[w++] = ' ';
        gap = false;
        out[w++] = (char)ch;
    }
    out[w] = '\0';
    return w ? out : NULL;
}

/* "n/a", "N/A", "" and white space: a vendor or product the CNA did not state. */
static bool not_stated(const char *s)
{
    if (!s)
        return true;
    while (is_space(*s))
        s++;
    if (!*s)
        return true;
    size_t n = strlen(s);
    while (n && is_space(s[n - 1]))
        n--;
    return n == 3 && istarts(s, "n/a");
}

static void reportf(const rec_ctx *x, const char *field, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void reportf(const rec_ctx *x, const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    lf_feed_reportv(x->r->c, x->src, x->line, x->id, field, fmt, ap);
    va_end(ap);
}

/* ------------------------------------------------------- version classification ---- */

enum { B_VERSION = 0, B_COMMIT, B_BAD };

/* A VCS commit id: 7 to 64 hex digits with at least one letter (version.h's rule). */
static bool is_commit(const char *s)
{
    size_t n = strlen(s);
    if (n < 7 || n > 64)
        return false;
    bool letter = false;
    for (size_t i = 0; i < n; i++) {
        char ch = lower(s[i]);
        if (ch >= 'a' && ch <= 'f')
            letter = true;
        else if (!(ch >= '0' && ch <= '9'))
            return false;
    }
    return letter;
}

/* Words that make a string prose rather than a version ("see references", "Versions
 * between V2.0.0 and V2.4.5"). */
static bool prose_word(const char *w, size_t n)
{
    static const char *const words[] = {"and", "or", "to", "through", "between", "before", "after", "prior",
                                        "earlier", "later", "versions", "version", "all", "see", "from", "up",
                                        "including", "excluding", "none", "below", "above", "until"};
    for (size_t k = 0; k < sizeof words / sizeof words[0]; k++) {
        size_t wl = strlen(words[k]);
        if (wl == n && istarts(w, words[k]))
            return true;
    }
    return false;
}

/* Classify a trimmed bound. */
static int classify(const char *s)
{
    size_t n = strlen(s);
    if (!n || n > LF_VERSION_MAX)
        return B_BAD;
    if (is_commit(s))
        return B_COMMIT;
    if (strstr(s, "://") || istarts(s, "pkg:") || istarts(s, "cpe:"))
        return B_BAD;
    if (!lf_version_orderable(s, n))
        return B_BAD;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '<' || s[i] == '>' || s[i] == '=' || s[i] == ',' || s[i] == '*')
            return B_BAD;
    size_t ntok = 0;
    for (size_t i = 0; i < n;) {
        while (i < n && is_space(s[i]))
            i++;
        size_t b = i;
        while (i < n && !is_space(s[i]))
            i++;
        if (i > b) {
            ntok++;
            if (prose_word(s + b, i - b))
                return B_BAD;
        }
    }
    return ntok <= 3 ? B_VERSION : B_BAD;
}

/* Lower bounds that mean "no lower bound" (M7). */
static bool is_nobound(const char *s)
{
    return !*s || !strcmp(s, "0") || !strcmp(s, "*") || !strcmp(s, "-") || ieq(s, "unspecified") || ieq(s, "n/a");
}

/* "6.1.*" / "6.1.x" -> "6.1" (a copy in the arena); NULL when s is no such pattern. */
static const char *wild_prefix(lf_arena *a, const char *s, bool *oom)
{
    size_t n = strlen(s);
    if (n < 3 || s[n - 2] != '.' || !(s[n - 1] == '*' || s[n - 1] == 'x' || s[n - 1] == 'X'))
        return NULL;
    char *p = lf_arena_strndup(a, s, n - 2);
    if (!p) {
        *oom = true;
        return NULL;
    }
    return classify(p) == B_VERSION ? p : NULL;
}

/* The first version past every version starting with prefix: its last number plus one
 * ("6.1" -> "6.2", "4.9" -> "4.10"). NULL when the prefix does not end in a number. */
static const char *next_prefix(lf_arena *a, const char *prefix, bool *oom)
{
    size_t n = strlen(prefix);
    if (!n || !(prefix[n - 1] >= '0' && prefix[n - 1] <= '9'))
        return NULL;
    char *out = lf_arena_alloc(a, n + 2);
    if (!out) {
        *oom = true;
        return NULL;
    }
    memcpy(out, prefix, n + 1);
    size_t i = n;
    while (i > 0 && out[i - 1] >= '0' && out[i - 1] <= '9') {
        if (out[i - 1] != '9') {
            out[i - 1]++;
            return out;
        }
        out[i - 1] = '0';
        i--;
    }
    /* every digit carried: insert a 1 before the run (9.99 -> 10.00 -> "10.00"; the
     * zeros after it are harmless, 10.00 == 10.0 in version order) */
    memmove(out + i + 1, out + i, n - i + 1);
    out[i] = '1';
    return out;
}

/*
 * A `version` written as an expression: comma-separated terms "< V", "<= V", "> V",
 * ">= V", "= V", "before V", "prior to V". Returns true and the bounds when every term
 * parses; false when s is not an expression at all; *bad when it is one but a term
 * does not parse.
 */
static bool parse_expr(lf_arena *a, const char *s, const char **start, bool *sincl, const char **end, bool *eincl,
                       bool *bad, bool *oom)
{
    if (!(s[0] == '<' || s[0] == '>' || s[0] == '=' || istarts(s, "before ") || istarts(s, "prior to ")))
        return false;
    *bad = false;
    const char *p = s;
    while (*p) {
        const char *q = strchr(p, ',');
        size_t n = q ? (size_t)(q - p) : strlen(p);
        char term[LF_VERSION_MAX + 16];
        if (n >= sizeof term) {
            *bad = true;
            return true;
        }
        memcpy(term, p, n);
        term[n] = '\0';
        char *t = term;
        while (is_space(*t))
            t++;
        int op; /* 0 <, 1 <=, 2 >, 3 >=, 4 = */
        size_t skip;
        if (t[0] == '<' && t[1] == '=') op = 1, skip = 2;
        else if (t[0] == '<') op = 0, skip = 1;
        else if (t[0] == '>' && t[1] == '=') op = 3, skip = 2;
        else if (t[0] == '>') op = 2, skip = 1;
        else if (t[0] == '=' && t[1] == '=') op = 4, skip = 2;
        else if (t[0] == '=') op = 4, skip = 1;
        else if (istarts(t, "before ")) op = 0, skip = 7;
        else if (istarts(t, "prior to ")) op = 0, skip = 9;
        else {
            *bad = true;
            return true;
        }
        t += skip;
        while (is_space(*t))
            t++;
        size_t tl = strlen(t);
        while (tl && is_space(t[tl - 1]))
            t[--tl] = '\0';
        if (classify(t) != B_VERSION) {
            *bad = true;
            return true;
        }
        const char *v = lf_arena_strdup(a, t);
        if (!v) {
            *oom = true;
            return true;
        }
        if (op == 0 || op == 1) {
            *end = v;
            *eincl = op == 1;
        } else if (op == 2 || op == 3) {
            *start = v;
            *sincl = op == 3;
        } else {
            *start = *end = v;
            *sincl = *eincl = true;
        }
        p = q ? q + 1 : p + n;
    }
    return true;
}

/* --------------------------------------------------------------- segments ---- */

enum { ST_AFFECTED = 0, ST_UNAFFECTED, ST_UNKNOWN };
enum { RK_RANGE = 0, RK_EXACT, RK_ANY, RK_REVIEW };

/* A part of an entry's versions with one status. */
typedef struct seg {
    int status;
    int kind;
    const char *start, *end;   /* RK_RANGE bounds (NULL: unbounded); RK_EXACT: start;
                                  RK_REVIEW: the stated texts, for the explanation */
    bool sincl, eincl;
    bool commit;               /* RK_REVIEW because of commit ids / versionType git */
} seg;

typedef struct segvec {
    seg *v;
    size_t n, cap;
} segvec;

static int status_of(const char *s)
{
    if (!s)
        return -1;
    if (!strcmp(s, "affected"))
        return ST_AFFECTED;
    if (!strcmp(s, "unaffected"))
        return ST_UNAFFECTED;
    if (!strcmp(s, "unknown"))
        return ST_UNKNOWN;
    return -1;
}

static int seg_push(rec_ctx *x, segvec *sv, const seg *s)
{
    if (sv->n >= CVE5_MAX_SEGS)
        return LF_ELIMIT;
    if (lf_arena_grow(x->a, (void **)&sv->v, &sv->cap, sv->n, sizeof(seg)))
        return LF_ENOMEM;
    sv->v[sv->n++] = *s;
    return LF_OK;
}

typedef struct change {
    const char *at;
    int status;
} change;

static int cmp_change(const void *a, const void *b)
{
    return lf_version_cmp(((const change *)a)->at, ((const change *)b)->at);
}

/* Optional string member: LF_OK with *out (NULL when absent), LF_EPARSE when present
 * and not a string. */
static int opt_str(const lf_json *o, const char *k, const char **out)
{
    const lf_json *v = lf_json_get(o, k);
    *out = NULL;
    if (!v)
        return LF_OK;
    if (!lf_json_is(v, LF_JSON_STRING))
        return LF_EPARSE;
    *out = lf_json_str(v);
    return LF_OK;
}

/* One versions[] entry into segments (M7, M8, M9). Returns LF_OK (reported problems
 * included: the entry is then left out), LF_ENOMEM or LF_ELIMIT. */
static int version_segs(rec_ctx *x, const char *path, const lf_json *v, segvec *out)
{
    bool oom = false;
    if (!lf_json_is(v, LF_JSON_OBJECT)) {
        reportf(x, path, "version entry is not an object; left out");
        return LF_OK;
    }
    int st = status_of(lf_json_get_str(v, "status"));
    if (st < 0) {
        reportf(x, path, "status must be \"affected\", \"unaffected\" or \"unknown\"; version entry left out");
        return LF_OK;
    }
    const char *ver, *lt, *lte, *vt;
    if (opt_str(v, "version", &ver) || opt_str(v, "lessThan", &lt) || opt_str(v, "lessThanOrEqual", &lte) ||
        opt_str(v, "versionType", &vt)) {
        reportf(x, path, "version, lessThan, lessThanOrEqual and versionType must be strings; version entry left "
                         "out (a dropped bound would widen the range)");
        return LF_OK;
    }
    if (!ver) {
        reportf(x, path, "version entry without \"version\"; left out");
        return LF_OK;
    }
    const lf_json *chs = lf_json_get(v, "changes");
    if (chs && !lf_json_is(chs, LF_JSON_ARRAY)) {
        reportf(x, path, "changes is not an array; version entry left out");
        return LF_OK;
    }
    const char *vtxt = trim(x->a, ver, &oom);
    lt = trim(x->a, lt, &oom);
    lte = trim(x->a, lte, &oom);
    if (oom)
        return LF_ENOMEM;

    seg s = {st, RK_RANGE, NULL, NULL, true, false, vt && ieq(vt, "git")};
    bool bad = false, have_end = false, every = false, unstated = false;
    /* upper bound */
    if (lt || lte) {
        have_end = true;
        const char *t = lt ? lt : lte;
        if (strcmp(t, "*") != 0) {
            const char *wp = lt ? NULL : wild_prefix(x->a, t, &oom);
            if (wp) {
                s.end = next_prefix(x->a, wp, &oom);
                if (!s.end) {
                    bad = true;
                    s.end = t;
                    s.eincl = true;
                }
            } else {
                int k = classify(t);
                s.end = t;
                s.eincl = lt == NULL;
                if (k == B_COMMIT)
                    s.commit = true;
                else if (k == B_BAD)
                    bad = true;
            }
        }
    }
    /* lower bound (or the whole statement) */
    bool ebad = false;
    const char *es = NULL, *ee = NULL;
    bool esi = true, eei = false;
    if (parse_expr(x->a, vtxt, &es, &esi, &ee, &eei, &ebad, &oom)) {
        if (ebad) {
            bad = true;
            s.start = vtxt;
        } else {
            s.start = es;
            s.sincl = esi;
            if (ee && !have_end) {
                s.end = ee;
                s.eincl = eei;
                have_end = true;
            }
            if (!es && !ee)
                bad = true;
        }
    } else if (!strcmp(vtxt, "*")) {
        every = true;
    } else if (is_nobound(vtxt)) {
        unstated = true;
    } else {
        const char *wp = wild_prefix(x->a, vtxt, &oom);
        if (wp) {
            s.start = wp;
            if (!have_end) {
                s.end = next_prefix(x->a, wp, &oom);
                s.eincl = false;
                have_end = true;
                if (!s.end) {
                    bad = true;
                    s.start = vtxt;
                }
            }
        } else {
            int k = classify(vtxt);
            s.start = vtxt;
            if (k == B_COMMIT)
                s.commit = true;
            else if (k == B_BAD)
                bad = true;
        }
    }
    if (oom)
        return LF_ENOMEM;
    if (!s.commit && !bad && s.start && s.end && lf_version_cmp(s.end, s.start) < 0) {
        if (vt && ieq(vt, "patch")) {
            /* Citrix: version "14.1", lessThan "12.35" is build 12.35 of 14.1 */
            size_t n = strlen(s.start) + strlen(s.end) + 2;
            char *e = lf_arena_alloc(x->a, n);
            if (!e)
                return LF_ENOMEM;
            snprintf(e, n, "%s-%s", s.start, s.end);
            s.end = e;
        } else {
            reportf(x, path, "the range is empty (\"%.60s\" is below \"%.60s\"); version entry left out", s.end,
                    s.start);
            return LF_OK;
        }
    }
    if (s.commit || bad) {
        /* undecidable: keep the stated texts for the explanation */
        s.kind = RK_REVIEW;
        if (!s.start)
            s.start = vtxt[0] ? vtxt : "*";
        return seg_push(x, out, &s);
    }
    size_t nch = lf_json_len(chs);
    if (nch) {
        if (nch > CVE5_MAX_CHANGES) {
            reportf(x, path, "more than %d changes; version entry left out", CVE5_MAX_CHANGES);
            return LF_OK;
        }
        change *cv = lf_arena_alloc(x->a, nch * sizeof(change));
        if (!cv)
            return LF_ENOMEM;
        for (size_t i = 0; i < nch; i++) {
            const lf_json *ch = lf_json_at(chs, i);
            const char *at = lf_json_get_str(ch, "at");
            int cst = status_of(lf_json_get_str(ch, "status"));
            if (!at || cst < 0) {
                reportf(x, path, "changes[%zu] needs \"at\" and a status of affected, unaffected or unknown; "
                                 "version entry left out", i);
                return LF_OK;
            }
            at = trim(x->a, at, &oom);
            if (oom)
                return LF_ENOMEM;
            if (classify(at) != B_VERSION) {
                /* the change point cannot be placed: the whole entry is undecidable */
                s.kind = RK_REVIEW;
                s.commit = is_commit(at);
                if (!s.start)
                    s.start = vtxt[0] ? vtxt : "*";
                return seg_push(x, out, &s);
            }
            cv[i] = (change){at, cst};
        }
        qsort(cv, nch, sizeof(change), cmp_change);
        const char *cur = s.start;
        bool cur_incl = s.sincl;
        int cur_st = st;
        for (size_t i = 0; i < nch; i++) {
            if (cv[i].status == cur_st)
                continue;
            seg part = {cur_st, RK_RANGE, cur, cv[i].at, cur_incl, false, false};
            int rc = seg_push(x, out, &part);
            if (rc)
                return rc;
            cur = cv[i].at;
            cur_incl = true;
            cur_st = cv[i].status;
        }
        seg last = {cur_st, RK_RANGE, cur, s.end, cur_incl, s.eincl, false};
        if (!last.start && !last.end)
            last.kind = RK_ANY;
        return seg_push(x, out, &last);
    }
    if (have_end) {
        if (!s.start && !s.end)
            s.kind = RK_ANY;
        return seg_push(x, out, &s);
    }
    if (every) {
        s.kind = RK_ANY;
    } else if (unstated) {
        /* "affected, version not stated": needs review (M7) */
        s.kind = RK_REVIEW;
        s.start = vtxt[0] ? vtxt : "*";
    } else {
        s.kind = RK_EXACT;
        s.end = NULL;
    }
    return seg_push(x, out, &s);
}

static bool seg_eq(const seg *a, const seg *b)
{
    return a->status == b->status && a->kind == b->kind && a->sincl == b->sincl && a->eincl == b->eincl &&
           a->commit == b->commit && streq_null(a->start, b->start) && streq_null(a->end, b->end);
}

/* --------------------------------------------------------------- products ---- */

typedef struct prod {
    const char *full;    /* formatted string as given */
    const char *any;     /* the same with version ANY */
    lf_cpe *cpe;         /* as given (arena) */
    bool concrete;       /* the version is a value without wildcards */
    bool from_cpes;      /* from the entry's cpes, not from names */
    bool any_first;      /* first product with this `any` string */
} prod;

typedef struct prodvec {
    prod *v;
    size_t n, cap;
} prodvec;

static int prod_add(rec_ctx *x, prodvec *pv, const lf_cpe *c, bool from_cpes)
{
    char buf[LF_CPE_FS_BUF];
    if (lf_cpe_format_fs(c, buf, sizeof buf) != LF_OK)
        return LF_ELIMIT;
    for (size_t i = 0; i < pv->n; i++)
        if (!strcmp(pv->v[i].full, buf))
            return LF_OK;
    if (lf_arena_grow(x->a, (void **)&pv->v, &pv->cap, pv->n, sizeof(prod)))
        return LF_ENOMEM;
    prod *p = &pv->v[pv->n];
    p->cpe = lf_arena_alloc(x->a, sizeof(lf_cpe));
    p->full = lf_arena_strdup(x->a, buf);
    if (!p->cpe || !p->full)
        return LF_ENOMEM;
    *p->cpe = *c;
    p->concrete = lf_cpe_kind(c, LF_CPE_VERSION) == LF_CPE_VALUE && !lf_cpe_has_wildcards(c, LF_CPE_VERSION);
    p->from_cpes = from_cpes;
    lf_cpe anyv = *c;
    lf_cpe_set_any(&anyv, LF_CPE_VERSION);
    if (lf_cpe_format_fs(&anyv, buf, sizeof buf) != LF_OK)
        return LF_ELIMIT;
    p->any = lf_arena_strdup(x->a, buf);
    if (!p->any)
        return LF_ENOMEM;
    p->any_first = true;
    for (size_t i = 0; i < pv->n; i++)
        if (!strcmp(pv->v[i].any, p->any))
            p->any_first = false;
    pv->n++;
    return LF_OK;
}

/* Product name with CPE-ish folding for the package rule: lower case, '-' as '_'. */
static bool same_name(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char ca = lower(*a), cb = lower(*b);
        if (ca == '-' || ca == ' ')
            ca = '_';
        if (cb == '-' || cb == ' ')
            cb = '_';
        if (ca != cb)
            return false;
    }
    return *a == *b;
}

/* The product CPEs of an affected entry (M6). *skip when the entry is left out on
 * purpose (no usable product, a distribution package). */
static int entry_products(rec_ctx *x, const char *path, const lf_json *e, prodvec *pv, bool *skip)
{
    char field[160];   /* path (at most 100 bytes kept) + a member name and index */
    *skip = false;
    const lf_json *cpes = lf_json_get(e, "cpes");
    if (cpes && !lf_json_is(cpes, LF_JSON_ARRAY)) {
        snprintf(field, sizeof field, "%.100s.cpes", path);
        reportf(x, field, "cpes is not an array; ignored");
        cpes = NULL;
    }
    size_t ncpe = lf_json_len(cpes);
    if (ncpe > CVE5_MAX_CPES) {
        snprintf(field, sizeof field, "%.100s.cpes", path);
        reportf(x, field, "more than %d CPEs in one affected entry; only the first %d are used", CVE5_MAX_CPES,
                CVE5_MAX_CPES);
        ncpe = CVE5_MAX_CPES;
    }
    const char *pkg = lf_json_get_str(e, "packageName");
    bool pkg_matches = false;
    lf_cpe c;
    for (size_t j = 0; j < ncpe; j++) {
        snprintf(field, sizeof field, "%.100s.cpes[%zu]", path, j);
        const char *s = lf_json_str(lf_json_at(cpes, j));
        if (!s) {
            reportf(x, field, "CPE is not a string; left out");
            continue;
        }
        bool oom = false;
        const char *t = trim(x->a, s, &oom);
        if (oom)
            return LF_ENOMEM;
        lf_err ce;
        lf_err_clear(&ce);
        if (lf_cpe_parse(&c, t, strlen(t), &ce) != LF_OK) {
            reportf(x, field, "\"%.200s\" is not a CPE name: %.60s%s%.200s; left out", t, ce.field,
                    ce.field[0] ? ": " : "", ce.msg);
            continue;
        }
        const char *part = lf_cpe_value(&c, LF_CPE_PART);
        if (!part || !(part[0] == 'a' || part[0] == 'o' || part[0] == 'h') ||
            lf_cpe_kind(&c, LF_CPE_VENDOR) != LF_CPE_VALUE || lf_cpe_kind(&c, LF_CPE_PRODUCT) != LF_CPE_VALUE ||
            lf_cpe_has_wildcards(&c, LF_CPE_VENDOR) || lf_cpe_has_wildcards(&c, LF_CPE_PRODUCT)) {
            reportf(x, field, "\"%.200s\" does not name a part, vendor and product; left out", t);
            continue;
        }
        if (pkg) {
            char pl[LF_CPE_MAX];
            if (lf_cpe_plain(&c, LF_CPE_PRODUCT, pl, sizeof pl) >= 0 && same_name(pl, pkg))
                pkg_matches = true;
        }
        int rc = prod_add(x, pv, &c, true);
        if (rc == LF_ENOMEM)
            return rc;
    }
    if (pv->n) {
        if (pkg && !pkg_matches)
            *skip = true;   /* a distribution package inside the products its CPEs name */
        return LF_OK;
    }
    const char *vendor = lf_json_get_str(e, "vendor");
    const char *product = lf_json_get_str(e, "product");
    if (not_stated(vendor))
        vendor = NULL;
    if (not_stated(product))
        product = NULL;
    const char *name = product ? product : (not_stated(pkg) ? NULL : pkg);
    if (!name) {
        *skip = true;
        return LF_OK;
    }
    lf_cpe_init(&c);
    lf_cpe_set_plain(&c, LF_CPE_PART, "a", 1);
    bool have = false;
    if (x->r->res) {
        lf_inv_rec rec;
        memset(&rec, 0, sizeof rec);
        rec.name = name;
        rec.vendor = vendor;
        rec.line = x->line;
        lf_resolution res;
        lf_err re;
        lf_err_clear(&re);
        if (lf_resolve(x->r->res, &rec, &res, &re) == LF_ENOMEM)
            return LF_ENOMEM;
        lf_cpe rc;
        if (res.bucket == LF_BUCKET_RESOLVED && lf_cpe_parse(&rc, res.cpe, strlen(res.cpe), NULL) == LF_OK &&
            lf_cpe_kind(&rc, LF_CPE_VENDOR) == LF_CPE_VALUE && lf_cpe_kind(&rc, LF_CPE_PRODUCT) == LF_CPE_VALUE) {
            /* only part:vendor:product: the entry's versions say which releases */
            lf_cpe_init(&c);
            for (int at = LF_CPE_PART; at <= LF_CPE_PRODUCT; at++) {
                char pl[LF_CPE_MAX];
                if (lf_cpe_plain(&rc, at, pl, sizeof pl) < 0 || lf_cpe_set_plain(&c, at, pl, strlen(pl)) != LF_OK)
                    break;
            }
            have = lf_cpe_kind(&c, LF_CPE_PRODUCT) == LF_CPE_VALUE;
        }
    }
    if (!have) {
        bool oom = false;
        const char *fv = vendor ? fold_name(x->a, vendor, &oom) : NULL;
        const char *fp = fold_name(x->a, name, &oom);
        if (oom)
            return LF_ENOMEM;
        if (!fv || !fp) {
            *skip = true;   /* no vendor, or a name with nothing CPE can spell */
            return LF_OK;
        }
        lf_cpe_init(&c);
        if (lf_cpe_set_plain(&c, LF_CPE_PART, "a", 1) != LF_OK ||
            lf_cpe_set_plain(&c, LF_CPE_VENDOR, fv, strlen(fv)) != LF_OK ||
            lf_cpe_set_plain(&c, LF_CPE_PRODUCT, fp, strlen(fp)) != LF_OK) {
            reportf(x, path, "vendor or product too long for a CPE name; entry left out");
            *skip = true;
            return LF_OK;
        }
    }
    int rc = prod_add(x, pv, &c, false);
    if (rc == LF_ELIMIT) {
        reportf(x, path, "vendor or product too long for a CPE name; entry left out");
        *skip = true;
        return LF_OK;
    }
    return rc;
}

/* --------------------------------------------------------------- criteria ---- */

typedef struct critvec {
    lf_vcrit *v;
    size_t n, cap;
} critvec;

enum { ROLE_POS = 0, ROLE_NEG, ROLE_UNK };

static int crit_push(rec_ctx *x, critvec *cv, const lf_vcrit *c)
{
    if (x->ncrit >= CVE5_MAX_CRIT)
        return LF_ELIMIT;
    if (lf_arena_grow(x->a, (void **)&cv->v, &cv->cap, cv->n, sizeof(lf_vcrit)))
        return LF_ENOMEM;
    cv->v[cv->n++] = *c;
    x->ncrit++;
    return LF_OK;
}

/* The criteria of one segment over the entry's products. *ordered / *commit_only
 * track what the entry's criteria are like (for the git-drop rule of M8). */
static int seg_crits(rec_ctx *x, const prodvec *pv, const seg *s, int role, critvec *out, bool *ordered,
                     bool *unordered_other)
{
    for (size_t i = 0; i < pv->n; i++) {
        const prod *p = &pv->v[i];
        lf_vcrit c;
        memset(&c, 0, sizeof c);
        c.vulnerable = true;
        c.scheme = LF_VS_GENERIC;
        int kind = role == ROLE_UNK ? RK_REVIEW : s->kind;
        if (kind == RK_REVIEW) {
            if (role == ROLE_POS && !s->commit && p->concrete && p->from_cpes) {
                /* the CPE itself names the affected release (M8) */
                c.cpe = p->full;
                *ordered = true;
                int rc = crit_push(x, out, &c);
                if (rc)
                    return rc;
                continue;
            }
            if (!p->any_first)
                continue;
            c.cpe = p->any;
            c.scheme = LF_VS_UNORDERED;
            if (role == ROLE_UNK && s->kind == RK_EXACT) {
                c.start = c.end = s->start;
                c.start_incl = c.end_incl = true;
            } else {
                c.start = s->start ? s->start : "*";
                c.start_incl = s->start ? s->sincl : true;
                c.end = s->end;
                c.end_incl = s->eincl;
            }
            if (role != ROLE_UNK && !s->commit)
                *unordered_other = true;
            int rc = crit_push(x, out, &c);
            if (rc)
                return rc;
            continue;
        }
        if (!p->any_first)
            continue;
        *ordered = true;
        if (kind == RK_EXACT) {
            lf_cpe ex = *p->cpe;
            char buf[LF_CPE_FS_BUF];
            if (lf_cpe_set_plain(&ex, LF_CPE_VERSION, s->start, strlen(s->start)) != LF_OK ||
                lf_cpe_format_fs(&ex, buf, sizeof buf) != LF_OK)
                return LF_ELIMIT;
            c.cpe = lf_arena_strdup(x->a, buf);
            if (!c.cpe)
                return LF_ENOMEM;
        } else {
            c.cpe = p->any;
            if (kind == RK_RANGE) {
                c.start = s->start;
                c.start_incl = s->sincl;
                c.end = s->end;
                c.end_incl = s->eincl;
            }
        }
        int rc = crit_push(x, out, &c);
        if (rc)
            return rc;
    }
    return LF_OK;
}

/* Criteria "P, any version" (the positive node of M10). */
static int any_crits(rec_ctx *x, const prodvec *pv, bool as_given, critvec *out)
{
    for (size_t i = 0; i < pv->n; i++) {
        const prod *p = &pv->v[i];
        bool given = as_given && p->concrete && p->from_cpes;
        if (!given && !p->any_first)
            continue;
        lf_vcrit c;
        memset(&c, 0, sizeof c);
        c.vulnerable = true;
        c.cpe = given ? p->full : p->any;
        int rc = crit_push(x, out, &c);
        if (rc)
            return rc;
    }
    return LF_OK;
}

typedef struct cfgvec {
    lf_vconfig *v;
    size_t n, cap;
} cfgvec;

static int cfg_push(rec_ctx *x, cfgvec *cv, bool op_and, lf_vnode *nodes, size_t nn)
{
    if (lf_arena_grow(x->a, (void **)&cv->v, &cv->cap, cv->n, sizeof(lf_vconfig)))
        return LF_ENOMEM;
    lf_vnode *nv = lf_arena_alloc(x->a, nn * sizeof(lf_vnode));
    if (!nv)
        return LF_ENOMEM;
    memcpy(nv, nodes, nn * sizeof(lf_vnode));
    cv->v[cv->n++] = (lf_vconfig){.op_and = op_and, .nnode = nn, .node = nv};
    return LF_OK;
}

/* What the git-drop rule (M8) needs to know about an entry. */
typedef struct entry_info {
    size_t cfg_first, cfg_n;
    const prodvec *prods;
    bool ordered;            /* made a criterion with an orderable version rule */
    bool commit_only;        /* every criterion of its main configuration is a commit range */
} entry_info;

/* One affected[] entry into configurations (M6..M10). */
static int entry_configs(rec_ctx *x, const char *path, const lf_json *e, cfgvec *cfgs, entry_info *info)
{
    char field[160];   /* path (at most 100 bytes kept) + a member name and index */
    memset(info, 0, sizeof *info);
    info->cfg_first = cfgs->n;
    if (!lf_json_is(e, LF_JSON_OBJECT)) {
        reportf(x, path, "affected entry is not an object; left out");
        return LF_OK;
    }
    const char *ds = lf_json_get_str(e, "defaultStatus");
    if (lf_json_get(e, "defaultStatus") && status_of(ds) < 0) {
        snprintf(field, sizeof field, "%.100s.defaultStatus", path);
        reportf(x, field, "defaultStatus must be \"affected\", \"unaffected\" or \"unknown\"; taken as absent");
        ds = NULL;
    }
    const lf_json *vers = lf_json_get(e, "versions");
    if (vers && !lf_json_is(vers, LF_JSON_ARRAY)) {
        snprintf(field, sizeof field, "%.100s.versions", path);
        reportf(x, field, "versions is not an array; entry left out");
        return LF_OK;
    }
    size_t nv = lf_json_len(vers);
    if (nv > CVE5_MAX_VERSIONS) {
        snprintf(field, sizeof field, "%.100s.versions", path);
        reportf(x, field, "more than %d versions in one affected entry; entry left out", CVE5_MAX_VERSIONS);
        return LF_OK;
    }
    prodvec *pv = lf_arena_calloc(x->a, sizeof(prodvec));
    if (!pv)
        return LF_ENOMEM;
    bool skip;
    int rc = entry_products(x, path, e, pv, &skip);
    if (rc)
        return rc;
    if (skip || !pv->n)
        return LF_OK;
    info->prods = pv;
    segvec sv = {NULL, 0, 0};
    for (size_t j = 0; j < nv; j++) {
        snprintf(field, sizeof field, "%.100s.versions[%zu]", path, j);
        rc = version_segs(x, field, lf_json_at(vers, j), &sv);
        if (rc == LF_ELIMIT) {
            reportf(x, path, "more than %d version ranges in one affected entry; entry left out", CVE5_MAX_SEGS);
            return LF_OK;
        }
        if (rc)
            return rc;
    }
    /* duplicates (CISA repeats the CNA's ranges) */
    if (sv.n <= CVE5_DEDUP_MAX) {
        size_t k = 0;
        for (size_t i = 0; i < sv.n; i++) {
            bool dup = false;
            for (size_t j = 0; j < k && !dup; j++)
                dup = seg_eq(&sv.v[j], &sv.v[i]);
            if (!dup)
                sv.v[k++] = sv.v[i];
        }
        sv.n = k;
    }
    size_t na = 0, nu = 0, nk = 0;
    for (size_t i = 0; i < sv.n; i++) {
        if (sv.v[i].status == ST_AFFECTED)
            na++;
        else if (sv.v[i].status == ST_UNAFFECTED)
            nu++;
        else
            nk++;
    }
    bool ds_aff = ds && !strcmp(ds, "affected");
    bool ordered = false, unordered_other = false;
    critvec pos = {NULL, 0, 0}, neg = {NULL, 0, 0}, unk = {NULL, 0, 0};
    size_t crit_before = x->ncrit;
    if (ds_aff && nu) {
        rc = any_crits(x, pv, false, &pos);
        for (size_t i = 0; !rc && i < sv.n; i++)
            if (sv.v[i].status == ST_UNAFFECTED)
                rc = seg_crits(x, pv, &sv.v[i], ROLE_NEG, &neg, &ordered, &unordered_other);
        ordered = true;   /* "any version" is decided for every item */
    } else if (na) {
        for (size_t i = 0; !rc && i < sv.n; i++)
            if (sv.v[i].status == ST_AFFECTED)
                rc = seg_crits(x, pv, &sv.v[i], ROLE_POS, &pos, &ordered, &unordered_other);
    } else if (ds_aff) {
        rc = any_crits(x, pv, true, &pos);
        ordered = true;
    }
    for (size_t i = 0; !rc && i < sv.n; i++)
        if (sv.v[i].status == ST_UNKNOWN)
            rc = seg_crits(x, pv, &sv.v[i], ROLE_UNK, &unk, &(bool){false}, &(bool){false});
    if (rc == LF_ELIMIT) {
        x->ncrit = crit_before;
        reportf(x, path, "more than %d criteria in one document, or a version too long for a CPE name; entry "
                         "left out", CVE5_MAX_CRIT);
        return LF_OK;
    }
    if (rc)
        return rc;
    if (pos.n) {
        lf_vnode nodes[2] = {{false, false, pos.n, pos.v}, {false, true, neg.n, neg.v}};
        rc = cfg_push(x, cfgs, neg.n > 0, nodes, neg.n ? 2 : 1);
        if (rc)
            return rc;
        info->ordered = ordered;
        info->commit_only = !ordered && !unordered_other;
    }
    if (unk.n) {
        lf_vnode node = {false, false, unk.n, unk.v};
        rc = cfg_push(x, cfgs, false, &node, 1);
        if (rc)
            return rc;
    }
    info->cfg_n = cfgs->n - info->cfg_first;
    return LF_OK;
}

/* cpeApplicability (NVD-style configurations written by the CNA, M10). Returns LF_OK
 * or LF_ENOMEM; invalid configurations are reported and left out. */
static int cpeapp_configs(rec_ctx *x, const char *path, const lf_json *arr, cfgvec *cfgs)
{
    char field[160];   /* path (at most 100 bytes kept) + a member name and index */
    for (size_t ci = 0; ci < lf_json_len(arr); ci++) {
        snprintf(field, sizeof field, "%.100s.cpeApplicability[%zu]", path, ci);
        const lf_json *cfg = lf_json_at(arr, ci);
        const lf_json *nodes = lf_json_get(cfg, "nodes");
        size_t nn = lf_json_len(nodes);
        if (!lf_json_is(nodes, LF_JSON_ARRAY) || !nn) {
            reportf(x, field, "configuration without nodes; left out");
            continue;
        }
        if (lf_json_bool(lf_json_get(cfg, "negate"), false)) {
            reportf(x, field, "configuration-level negate is not defined by NVD; configuration left out");
            continue;
        }
        const char *op = lf_json_get_str(cfg, "operator");
        lf_vnode *vn = lf_arena_alloc(x->a, nn * sizeof(lf_vnode));
        if (!vn)
            return LF_ENOMEM;
        bool ok = true;
        size_t crit_before = x->ncrit;
        for (size_t ni = 0; ok && ni < nn; ni++) {
            const lf_json *n = lf_json_at(nodes, ni);
            const char *nop = lf_json_get_str(n, "operator");
            const lf_json *cm = lf_json_get(n, "cpeMatch");
            size_t nc = lf_json_len(cm);
            vn[ni] = (lf_vnode){nop && !strcmp(nop, "AND"), lf_json_bool(lf_json_get(n, "negate"), false), 0, NULL};
            if (!lf_json_is(cm, LF_JSON_ARRAY) || !nc || x->ncrit + nc > CVE5_MAX_CRIT) {
                reportf(x, field, "node %zu has no cpeMatch criteria (or too many); configuration left out", ni);
                ok = false;
                break;
            }
            vn[ni].crit = lf_arena_calloc(x->a, nc * sizeof(lf_vcrit));
            if (!vn[ni].crit)
                return LF_ENOMEM;
            vn[ni].ncrit = nc;
            for (size_t k = 0; ok && k < nc; k++) {
                const lf_json *m = lf_json_at(cm, k);
                lf_vcrit *vc = &vn[ni].crit[k];
                vc->cpe = lf_json_get_str(m, "criteria");
                lf_cpe tmp;
                if (!vc->cpe || lf_cpe_parse(&tmp, vc->cpe, strlen(vc->cpe), NULL) != LF_OK) {
                    reportf(x, field, "nodes[%zu].cpeMatch[%zu]: criteria \"%.200s\" is not a CPE name; "
                                      "configuration left out", ni, k, vc->cpe ? vc->cpe : "");
                    ok = false;
                    break;
                }
                const char *si, *se, *ei, *ee;
                if (opt_str(m, "versionStartIncluding", &si) || opt_str(m, "versionStartExcluding", &se) ||
                    opt_str(m, "versionEndIncluding", &ei) || opt_str(m, "versionEndExcluding", &ee)) {
                    reportf(x, field, "nodes[%zu].cpeMatch[%zu]: a version bound is not a string; configuration "
                                      "left out", ni, k);
                    ok = false;
                    break;
                }
                vc->vulnerable = lf_json_bool(lf_json_get(m, "vulnerable"), false);
                vc->match_id = lf_json_get_str(m, "matchCriteriaId");
                vc->start = si ? si : se;
                vc->start_incl = si != NULL;
                vc->end = ei ? ei : ee;
                vc->end_incl = ei != NULL;
                vc->scheme = LF_VS_GENERIC;
                if ((vc->start && is_commit(vc->start)) || (vc->end && is_commit(vc->end)))
                    vc->scheme = LF_VS_UNORDERED;
                x->ncrit++;
            }
        }
        if (!ok) {
            x->ncrit = crit_before;
            if (x->r->c)
                x->r->c->report.configs_dropped++;
            continue;
        }
        if (lf_arena_grow(x->a, (void **)&cfgs->v, &cfgs->cap, cfgs->n, sizeof(lf_vconfig)))
            return LF_ENOMEM;
        cfgs->v[cfgs->n++] = (lf_vconfig){.op_and = op && !strcmp(op, "AND"), .nnode = nn, .node = vn};
    }
    return LF_OK;
}

/* --------------------------------------------------------------- metadata ---- */

static int metrics_from_json(rec_ctx *x, const char *path, const lf_json *metrics, const char *msrc,
                             lf_vdoc *out, const char **kev_ref)
{
    static const struct {
        const char *key;
        lf_cvss_version v;
    } kinds[] = {{"cvssV4_0", LF_CVSS_V40}, {"cvssV3_1", LF_CVSS_V31}, {"cvssV3_0", LF_CVSS_V30},
                 {"cvssV2_0", LF_CVSS_V2}};
    char field[160];   /* path (at most 100 bytes kept) + a member name and index */
    size_t n = lf_json_len(metrics);
    if (metrics && !lf_json_is(metrics, LF_JSON_ARRAY)) {
        snprintf(field, sizeof field, "%.100s.metrics", path);
        reportf(x, field, "metrics is not an array; ignored");
        return LF_OK;
    }
    out->nmetric = 0;
    out->metric = n ? lf_arena_alloc(x->a, 4 * n * sizeof(lf_vmetric)) : NULL;
    if (n && !out->metric)
        return LF_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        const lf_json *m = lf_json_at(metrics, i);
        for (size_t k = 0; k < 4; k++) {
            const lf_json *d = lf_json_get(m, kinds[k].key);
            if (!d)
                continue;
            snprintf(field, sizeof field, "%.100s.metrics[%zu].%s", path, i, kinds[k].key);
            const char *vec = lf_json_get_str(d, "vectorString");
            const lf_json *bs = lf_json_get(d, "baseScore");
            double score = lf_json_num(bs, -1);
            if (!vec || !vec[0] || !lf_json_is(bs, LF_JSON_NUMBER) || !(score >= 0.0 && score <= 10.0)) {
                reportf(x, field, !vec || !vec[0] ? "metric without vectorString; left out"
                                                  : "baseScore is not a number from 0 to 10; metric left out");
                continue;
            }
            lf_vmetric *vm = &out->metric[out->nmetric++];
            vm->source = msrc;
            vm->primary = false;
            vm->version = kinds[k].v;
            vm->score10 = (int)lround(score * 10.0);
            vm->vector = vec;
            const char *sev = lf_json_get_str(d, "baseSeverity");
            vm->severity = !sev                        ? lf_cvss_severity_of(vm->version, vm->score10)
                           : ieq(sev, "NONE")          ? LF_SEV_NONE
                           : ieq(sev, "LOW")           ? LF_SEV_LOW
                           : ieq(sev, "MEDIUM")        ? LF_SEV_MEDIUM
                           : ieq(sev, "HIGH")          ? LF_SEV_HIGH
                           : ieq(sev, "CRITICAL")      ? LF_SEV_CRITICAL
                                                       : lf_cvss_severity_of(vm->version, vm->score10);
        }
        const lf_json *other = lf_json_get(m, "other");
        const char *type = lf_json_get_str(other, "type");
        if (type && ieq(type, "kev")) {
            const lf_json *content = lf_json_get(other, "content");
            const char *added = lf_json_get_str(content, "dateAdded");
            if (added && !out->kev_added)
                out->kev_added = added;
            const char *ref = lf_json_get_str(content, "reference");
            if (ref && !*kev_ref)
                *kev_ref = ref;
        }
        /* "ssvc" and other types: not used yet (cve5.h, M3) */
    }
    return LF_OK;
}

static int cwes_from_json(rec_ctx *x, const lf_json *pts, lf_vdoc *out)
{
    size_t total = 0;
    for (size_t i = 0; i < lf_json_len(pts); i++)
        total += lf_json_len(lf_json_get(lf_json_at(pts, i), "descriptions"));
    out->ncwe = 0;
    out->cwe = total ? lf_arena_alloc(x->a, total * sizeof(char *)) : NULL;
    if (total && !out->cwe)
        return LF_ENOMEM;
    for (size_t i = 0; i < lf_json_len(pts); i++) {
        const lf_json *ds = lf_json_get(lf_json_at(pts, i), "descriptions");
        for (size_t j = 0; j < lf_json_len(ds); j++) {
            const lf_json *d = lf_json_at(ds, j);
            const char *v = lf_json_get_str(d, "cweId");
            if (!v) {
                /* older records: "CWE-79 Cross-site Scripting" in the description only */
                const char *t = lf_json_get_str(d, "description");
                if (!t || strncmp(t, "CWE-", 4) != 0 || !(t[4] >= '0' && t[4] <= '9'))
                    continue;
                size_t n = 4;
                while (n < 16 && t[n] >= '0' && t[n] <= '9')
                    n++;
                v = lf_arena_strndup(x->a, t, n);
                if (!v)
                    return LF_ENOMEM;
            }
            if (strncmp(v, "CWE-", 4) != 0)
                continue;
            bool dup = false;
            for (size_t q = 0; q < out->ncwe && !dup; q++)
                dup = strcmp(out->cwe[q], v) == 0;
            if (!dup)
                out->cwe[out->ncwe++] = v;
        }
    }
    return LF_OK;
}

/* CVE 5 reference tags -> LF_REF_* bits (M5). */
static uint32_t tag_bit(const char *t)
{
    static const struct {
        const char *tag;
        uint32_t bit;
    } tags[] = {
        {"vendor-advisory", LF_REF_VENDOR_ADVISORY}, {"patch", LF_REF_PATCH},
        {"mitigation", LF_REF_MITIGATION}, {"release-notes", LF_REF_RELEASE_NOTES},
        {"third-party-advisory", LF_REF_THIRD_PARTY}, {"exploit", LF_REF_EXPLOIT},
        {"government-resource", LF_REF_US_GOV}, {"issue-tracking", LF_REF_ISSUE_TRACKING},
        {"mailing-list", LF_REF_MAILING_LIST}, {"vdb-entry", LF_REF_VDB_ENTRY},
        {"product", LF_REF_PRODUCT}, {"technical-description", LF_REF_TECH_PAPER},
        {"broken-link", LF_REF_BROKEN_LINK}, {"permissions-required", LF_REF_PERMISSIONS},
        {"media-coverage", LF_REF_PRESS}, {"not-applicable", LF_REF_NOT_APPLICABLE},
        {"x_refsource_CONFIRM", LF_REF_VENDOR_ADVISORY}, {"x_refsource_MS", LF_REF_VENDOR_ADVISORY},
        {"x_refsource_CISCO", LF_REF_VENDOR_ADVISORY}, {"x_refsource_HP", LF_REF_VENDOR_ADVISORY},
        {"x_refsource_SUN", LF_REF_VENDOR_ADVISORY}, {"x_refsource_APPLE", LF_REF_VENDOR_ADVISORY},
        {"x_refsource_SGI", LF_REF_VENDOR_ADVISORY}, {"x_refsource_AIXAPAR", LF_REF_VENDOR_ADVISORY},
        {"x_refsource_DEBIAN", LF_REF_THIRD_PARTY}, {"x_refsource_REDHAT", LF_REF_THIRD_PARTY},
        {"x_refsource_SUSE", LF_REF_THIRD_PARTY}, {"x_refsource_UBUNTU", LF_REF_THIRD_PARTY},
        {"x_refsource_GENTOO", LF_REF_THIRD_PARTY}, {"x_refsource_FEDORA", LF_REF_THIRD_PARTY},
        {"x_refsource_MANDRIVA", LF_REF_THIRD_PARTY}, {"x_refsource_MANDRAKE", LF_REF_THIRD_PARTY},
        {"x_refsource_CERT", LF_REF_THIRD_PARTY}, {"x_refsource_CERT-VN", LF_REF_THIRD_PARTY},
        {"x_refsource_JVN", LF_REF_THIRD_PARTY}, {"x_refsource_MLIST", LF_REF_MAILING_LIST},
        {"x_refsource_BUGTRAQ", LF_REF_MAILING_LIST}, {"x_refsource_FULLDISC", LF_REF_MAILING_LIST},
        {"x_refsource_EXPLOIT-DB", LF_REF_EXPLOIT}, {"x_refsource_BID", LF_REF_VDB_ENTRY},
        {"x_refsource_SECTRACK", LF_REF_VDB_ENTRY}, {"x_refsource_XF", LF_REF_VDB_ENTRY},
        {"x_refsource_OSVDB", LF_REF_VDB_ENTRY}, {"x_refsource_SECUNIA", LF_REF_VDB_ENTRY},
        {"x_refsource_VUPEN", LF_REF_VDB_ENTRY},
    };
    for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++)
        if (ieq(t, tags[i].tag))
            return tags[i].bit;
    return 0;
}

static int refs_from_json(rec_ctx *x, const lf_json *refs, const char *kev_ref, const char *rsrc, lf_vdoc *out)
{
    size_t n = lf_json_len(refs) + (kev_ref ? 1 : 0);
    out->nref = 0;
    out->ref = n ? lf_arena_alloc(x->a, n * sizeof(lf_vref)) : NULL;
    if (n && !out->ref)
        return LF_ENOMEM;
    for (size_t i = 0; i < lf_json_len(refs); i++) {
        const lf_json *r = lf_json_at(refs, i);
        const char *url = lf_json_get_str(r, "url");
        if (!url || !url[0])
            continue;
        lf_vref *vr = &out->ref[out->nref++];
        vr->url = url;
        vr->source = rsrc;
        vr->tags = 0;
        const lf_json *tags = lf_json_get(r, "tags");
        for (size_t t = 0; t < lf_json_len(tags); t++) {
            const char *tag = lf_json_str(lf_json_at(tags, t));
            if (tag)
                vr->tags |= tag_bit(tag);
        }
    }
    if (kev_ref) {
        bool dup = false;
        for (size_t i = 0; i < out->nref && !dup; i++)
            dup = strcmp(out->ref[i].url, kev_ref) == 0;
        if (!dup)
            out->ref[out->nref++] = (lf_vref){kev_ref, rsrc, LF_REF_US_GOV};
    }
    return LF_OK;
}

/* --------------------------------------------------------------- containers ---- */

/* The git-drop rule of M8: an entry made only of commit ranges goes when another entry
 * names one of its products with ordered versions. */
static void drop_commit_only(entry_info *ei, size_t ne, lf_vdoc *out)
{
    bool any = false;
    for (size_t i = 0; i < ne; i++)
        if (ei[i].commit_only && ei[i].cfg_n)
            any = true;
    if (!any)
        return;
    for (size_t i = 0; i < ne; i++) {
        if (!ei[i].commit_only || !ei[i].cfg_n)
            continue;
        bool covered = false;
        for (size_t j = 0; j < ne && !covered; j++) {
            if (j == i || !ei[j].ordered || !ei[j].prods)
                continue;
            for (size_t a = 0; a < ei[i].prods->n && !covered; a++)
                for (size_t b = 0; b < ei[j].prods->n && !covered; b++)
                    covered = strcmp(ei[i].prods->v[a].any, ei[j].prods->v[b].any) == 0;
        }
        if (covered)
            for (size_t k = 0; k < ei[i].cfg_n; k++)
                out->config[ei[i].cfg_first + k].nnode = 0;   /* marked, compacted below */
    }
    size_t k = 0;
    for (size_t i = 0; i < out->nconfig; i++)
        if (out->config[i].nnode)
            out->config[k++] = out->config[i];
    out->nconfig = k;
}

/* One container into a document. LF_OK, LF_ENOMEM, or LF_EPARSE when the container is
 * left out (reported). */
static int container_doc(rec_ctx *x, const lf_json *meta, const lf_json *ct, const char *path, bool adp,
                         lf_vdoc *out)
{
    char field[160];   /* path (at most 100 bytes kept) + a member name and index */
    memset(out, 0, sizeof *out);
    x->ncrit = 0;
    if (!lf_json_is(ct, LF_JSON_OBJECT)) {
        reportf(x, path, "container is not an object; left out");
        return LF_EPARSE;
    }
    const lf_json *pm = lf_json_get(ct, "providerMetadata");
    const char *shortname = lf_json_get_str(pm, "shortName");
    const char *org = lf_json_get_str(pm, "orgId");
    if (shortname && !shortname[0])
        shortname = NULL;
    if (org && !org[0])
        org = NULL;
    out->source = adp ? LF_SRC_CVE5_ADP : LF_SRC_CVE5_CNA;
    out->vuln_id = x->id;
    if (adp) {
        const char *who = shortname ? shortname : org;
        if (!who) {
            snprintf(field, sizeof field, "%.100s.providerMetadata", path);
            reportf(x, field, "ADP container without providerMetadata.shortName or orgId; left out");
            return LF_EPARSE;
        }
        size_t n = strlen(x->id) + 1 + strlen(who) + 1;
        char *d = lf_arena_alloc(x->a, n);
        if (!d)
            return LF_ENOMEM;
        snprintf(d, n, "%s/%s", x->id, who);
        out->doc_id = d;
    } else {
        out->doc_id = x->id;
    }
    const char *msrc = shortname ? shortname : org;
    if (!msrc && !adp)
        msrc = lf_json_get_str(meta, "assignerShortName");
    out->published = lf_json_get_str(meta, "datePublished");
    out->modified = lf_json_get_str(pm, "dateUpdated");
    if (!out->modified)
        out->modified = lf_json_get_str(meta, "dateUpdated");
    if (!out->modified)
        reportf(x, path, "no providerMetadata.dateUpdated nor cveMetadata.dateUpdated, so a later import cannot "
                         "tell whether it is newer");
    out->status = "";
    const lf_json *descs = lf_json_get(ct, "descriptions");
    for (size_t i = 0; i < lf_json_len(descs); i++) {
        const lf_json *d = lf_json_at(descs, i);
        const char *lang = lf_json_get_str(d, "lang");
        const char *val = lf_json_get_str(d, "value");
        if (lang && val && strncmp(lang, "en", 2) == 0) {
            out->description = val;
            break;
        }
    }
    const char *kev_ref = NULL;
    if (metrics_from_json(x, path, lf_json_get(ct, "metrics"), msrc, out, &kev_ref) ||
        cwes_from_json(x, lf_json_get(ct, "problemTypes"), out) ||
        refs_from_json(x, lf_json_get(ct, "references"), kev_ref, msrc, out))
        return LF_ENOMEM;

    cfgvec cfgs = {NULL, 0, 0};
    const lf_json *app = lf_json_get(ct, "cpeApplicability");
    if (app) {
        if (!lf_json_is(app, LF_JSON_ARRAY)) {
            snprintf(field, sizeof field, "%.100s.cpeApplicability", path);
            reportf(x, field, "cpeApplicability is not an array; ignored");
        } else if (cpeapp_configs(x, path, app, &cfgs)) {
            return LF_ENOMEM;
        }
    }
    if (cfgs.n) {
        out->config = cfgs.v;
        out->nconfig = cfgs.n;
        return LF_OK;
    }
    const lf_json *aff = lf_json_get(ct, "affected");
    if (aff && !lf_json_is(aff, LF_JSON_ARRAY)) {
        snprintf(field, sizeof field, "%.100s.affected", path);
        reportf(x, field, "affected is not an array; no applicability from this container");
        aff = NULL;
    }
    size_t ne = lf_json_len(aff);
    entry_info *ei = ne ? lf_arena_alloc(x->a, ne * sizeof(entry_info)) : NULL;
    if (ne && !ei)
        return LF_ENOMEM;
    for (size_t i = 0; i < ne; i++) {
        snprintf(field, sizeof field, "%.100s.affected[%zu]", path, i);
        int rc = entry_configs(x, field, lf_json_at(aff, i), &cfgs, &ei[i]);
        if (rc)
            return rc;
    }
    out->config = cfgs.v;
    out->nconfig = cfgs.n;
    drop_commit_only(ei, ne, out);
    return LF_OK;
}

/* An ADP container that adds nothing but links (the CVE Program's container on most
 * records): no applicability, metrics, CWEs, KEV fields or text of its own (M12). */
static bool references_only(const lf_vdoc *d)
{
    return !d->nconfig && !d->nmetric && !d->ncwe && !d->kev_added && (!d->description || !d->description[0]);
}

/* Append the links of from to to (those not there yet) and keep the later date. */
static int fold_refs(lf_arena *a, lf_vdoc *to, const lf_vdoc *from)
{
    lf_vref *v = lf_arena_alloc(a, (to->nref + from->nref) * sizeof(*v) + 1);
    if (!v)
        return LF_ENOMEM;
    if (to->nref)
        memcpy(v, to->ref, to->nref * sizeof(*v));
    size_t n = to->nref;
    for (size_t i = 0; i < from->nref; i++) {
        bool dup = false;
        for (size_t k = 0; k < to->nref && !dup; k++)
            dup = from->ref[i].url && v[k].url && !strcmp(v[k].url, from->ref[i].url);
        if (!dup)
            v[n++] = from->ref[i];
    }
    to->ref = v;
    to->nref = n;
    if (from->modified && (!to->modified || strcmp(from->modified, to->modified) > 0))
        to->modified = from->modified;
    return LF_OK;
}

int lf_cve5_docs_from_json(lf_cve5_reader *r, const char *src, long line, const lf_json *record, lf_arena *a,
                           lf_vdoc **docs, size_t *ndocs, bool *rejected, lf_err *err)
{
    *docs = NULL;
    *ndocs = 0;
    *rejected = false;
    rec_ctx x = {r, src, line, NULL, a, 0};
    if (!lf_json_is(record, LF_JSON_OBJECT)) {
        lf_err_at(err, src, line, 0, NULL);
        return lf_err_set(err, LF_EPARSE, "record is not a JSON object");
    }
    const lf_json *meta = lf_json_get(record, "cveMetadata");
    const char *id = lf_json_get_str(meta, "cveId");
    if (!id || !id[0] || strlen(id) > 48) {
        lf_err_at(err, src, line, 0, "cveMetadata.cveId");
        return lf_err_set(err, LF_EPARSE, "record has no cveMetadata.cveId (or one longer than 48 bytes)");
    }
    x.id = id;
    const char *dv = lf_json_get_str(record, "dataVersion");
    if (dv && dv[0] != '5') {
        lf_err_at(err, src, line, 0, "dataVersion");
        lf_err_id(err, id);
        return lf_err_set(err, LF_EPARSE, "dataVersion \"%.20s\" is not CVE JSON 5.x; record left out", dv);
    }
    const lf_json *cts = lf_json_get(record, "containers");
    const lf_json *cna = lf_json_get(cts, "cna");
    const lf_json *adp = lf_json_get(cts, "adp");
    if (adp && !lf_json_is(adp, LF_JSON_ARRAY)) {
        reportf(&x, "containers.adp", "adp is not an array; ADP containers left out");
        adp = NULL;
    }
    size_t nadp = lf_json_len(adp);
    lf_vdoc *out = lf_arena_calloc(a, (1 + nadp) * sizeof(lf_vdoc));
    if (!out)
        goto oom;
    size_t n = 0;
    const char *state = lf_json_get_str(meta, "state");
    if (state && ieq(state, "REJECTED")) {
        *rejected = true;
        const char *mod = lf_json_get_str(meta, "dateUpdated");
        if (!mod)
            mod = lf_json_get_str(lf_json_get(cna, "providerMetadata"), "dateUpdated");
        out[n++] = (lf_vdoc){.source = LF_SRC_CVE5_CNA, .doc_id = id, .vuln_id = id, .modified = mod, .status = ""};
        for (size_t i = 0; i < nadp; i++) {
            const lf_json *pm = lf_json_get(lf_json_at(adp, i), "providerMetadata");
            const char *who = lf_json_get_str(pm, "shortName");
            if (!who || !who[0])
                who = lf_json_get_str(pm, "orgId");
            if (!who || !who[0])
                continue;
            size_t dl = strlen(id) + strlen(who) + 2;
            char *d = lf_arena_alloc(a, dl);
            if (!d)
                goto oom;
            snprintf(d, dl, "%s/%s", id, who);
            out[n++] = (lf_vdoc){.source = LF_SRC_CVE5_ADP, .doc_id = d, .vuln_id = id, .modified = mod, .status = ""};
        }
        *docs = out;
        *ndocs = n;
        return LF_OK;
    }
    if (!cna) {
        reportf(&x, "containers.cna", "record has no CNA container (required); only its ADP containers are read");
    } else {
        int rc = container_doc(&x, meta, cna, "containers.cna", false, &out[n]);
        if (rc == LF_ENOMEM)
            goto oom;
        if (rc == LF_OK)
            n++;
    }
    bool have_cna = n == 1;
    for (size_t i = 0; i < nadp; i++) {
        char path[40];
        snprintf(path, sizeof path, "containers.adp[%zu]", i);
        int rc = container_doc(&x, meta, lf_json_at(adp, i), path, true, &out[n]);
        if (rc == LF_ENOMEM)
            goto oom;
        if (rc != LF_OK)
            continue;
        if (have_cna && references_only(&out[n])) {
            if (fold_refs(a, &out[0], &out[n]))
                goto oom;
            continue;   /* M12 */
        }
        n++;
    }
    *docs = out;
    *ndocs = n;
    return LF_OK;
oom:
    lf_err_at(err, src, line, 0, NULL);
    lf_err_id(err, id);
    return lf_err_set(err, LF_ENOMEM, "out of memory");
}

/* ------------------------------------------------------------------ import ---- */

int lf_cve5_reader_new(lf_feed_ctx *c, const lf_cve5_opts *opts, lf_cve5_reader **out, lf_err *err)
{
    *out = NULL;
    lf_cve5_reader *r = calloc(1, sizeof(*r));
    if (!r)
        return lf_err_set(err, LF_ENOMEM, "out of memory");
    r->c = c;
    if (opts)
        r->opts = *opts;
    if (r->opts.names) {
        int rc = lf_resolver_new(r->opts.names, &r->res, err);
        if (rc) {
            free(r);
            return rc;
        }
    }
    lf_arena_init(&r->json_a, 1 << 20);
    lf_arena_init(&r->tmp, 1 << 16);
    *out = r;
    return LF_OK;
}

void lf_cve5_reader_free(lf_cve5_reader *r)
{
    if (!r)
        return;
    lf_resolver_free(r->res);
    lf_arena_clear(&r->json_a);
    lf_arena_clear(&r->tmp);
    free(r);
}

/* Extra removal keys of a rejected record (M2). */
static const char *const well_known_adp[] = {"CISA-ADP", "CVE"};

static int put_doc(lf_cve5_reader *r, const lf_vdoc *d, bool rejected, bool count_all)
{
    lf_feed_ctx *c = r->c;
    if (r->opts.on_doc) {
        int rc = r->opts.on_doc(r->opts.ud, d, rejected);
        if (rc) {
            lf_err_clear(r->fatal);
            lf_err_at(r->fatal, r->src, 0, 0, NULL);
            lf_err_id(r->fatal, d->vuln_id);
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
    if (count_all)
        lf_feed_count(c, res);
    else if (res == LF_PUT_REMOVED)
        c->report.removed++;
    return 0;
}

static int put_record(lf_cve5_reader *r, const lf_json *rec, long line)
{
    lf_feed_ctx *c = r->c;
    c->report.records++;
    lf_arena_reset(&r->tmp);
    lf_vdoc *docs;
    size_t nd;
    bool rejected;
    lf_err e;
    lf_err_clear(&e);
    int rc = lf_cve5_docs_from_json(r, r->src, line, rec, &r->tmp, &docs, &nd, &rejected, &e);
    if (rc == LF_ENOMEM) {
        *r->fatal = e;
        return rc;
    }
    if (rc) {
        lf_feed_error(c, &e);
        return 0;
    }
    for (size_t i = 0; i < nd; i++)
        if ((rc = put_doc(r, &docs[i], rejected, !rejected || i == 0)))
            return rc;
    if (rejected && nd) {
        for (size_t k = 0; k < sizeof well_known_adp / sizeof well_known_adp[0]; k++) {
            char key[128];
            snprintf(key, sizeof key, "%s/%s", docs[0].vuln_id, well_known_adp[k]);
            bool named = false;
            for (size_t i = 1; i < nd && !named; i++)
                named = strcmp(docs[i].doc_id, key) == 0;
            if (named)
                continue;
            lf_vdoc d = docs[0];
            d.source = LF_SRC_CVE5_ADP;
            d.doc_id = key;
            if ((rc = put_doc(r, &d, true, false)))
                return rc;
        }
    }
    if (c->on_progress && !r->in_archive && (c->report.records & 4095) == 0)
        c->on_progress(c->ud, r->src, r->total_lines ? (double)line / (double)r->total_lines : 0, c->report.records);
    return 0;
}

static bool is_record(const lf_json *o)
{
    if (!lf_json_is(o, LF_JSON_OBJECT))
        return false;
    const char *dt = lf_json_get_str(o, "dataType");
    return lf_json_get(o, "cveMetadata") || (dt && !strcmp(dt, "CVE_RECORD"));
}

/* The CVE list's delta.json / deltaLog.json entries: a summary, no record. */
static bool is_delta(const lf_json *o)
{
    return lf_json_is(o, LF_JSON_OBJECT) && lf_json_get(o, "fetchTime") && lf_json_get(o, "numberOfChanges");
}

#define SKIP_FILE 1   /* on_elem: stop, the file holds no records (not an error) */

static int on_elem(void *ud, const lf_json *elem, size_t index, long line)
{
    lf_cve5_reader *r = ud;
    if (!is_record(elem)) {
        if (index == 0) {
            if (is_delta(elem))
                return SKIP_FILE;
            /* some other JSON array: refuse the file once instead of reporting each element */
            lf_err_clear(r->fatal);
            lf_err_at(r->fatal, r->src, line, 0, NULL);
            return lf_err_set(r->fatal, LF_EFORMAT,
                              "not CVE JSON 5: the first array element is not a CVE record (no cveMetadata)");
        }
        r->c->report.records++;
        lf_err e;
        lf_err_clear(&e);
        lf_err_at(&e, r->src, line, 0, NULL);
        lf_err_set(&e, LF_EPARSE, "array element %zu is not a CVE record (no cveMetadata); left out", index);
        lf_feed_error(r->c, &e);
        return 0;
    }
    return put_record(r, elem, line);
}

/* What a top-level object that is not a CVE 5 record is, for the message. */
static int refuse_object(const lf_json *root, const char *name, lf_err *err)
{
    lf_err_at(err, name, 1, 0, NULL);
    if (lf_json_get(root, "CVE_data_meta") || lf_json_get(root, "data_type"))
        return lf_err_set(err, LF_EFORMAT, "this is a CVE JSON 4 record; the CVE Program publishes CVE JSON 5 "
                                           "(cvelistV5) since 2023: import those");
    if (lf_json_get(root, "vulnerabilities") || lf_json_get(root, "cve") || lf_json_get(root, "CVE_Items") ||
        (lf_json_get(root, "id") && (lf_json_get(root, "vulnStatus") || lf_json_get(root, "sourceIdentifier"))))
        return lf_err_set(err, LF_EFORMAT, "this is NVD JSON, not a CVE JSON 5 record: use `feed import nvd`");
    return lf_err_set(err, LF_EFORMAT, "not CVE JSON 5: no cveMetadata");
}

static int json_buffer(lf_cve5_reader *r, const char *name, const char *data, size_t len, lf_err *err)
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
        rc = lf_err_set(err, LF_EFORMAT, "empty file: expected CVE JSON 5 records");
    } else if (data[i] == '[') {
        rc = lf_json_foreach(&r->json_a, data, len, NULL, NULL, on_elem, r, err);
        if (rc == SKIP_FILE)
            rc = LF_OK;
    } else if (data[i] == '{') {
        lf_json *root;
        rc = lf_json_parse(&r->json_a, data, len, NULL, &root, err);
        if (rc == LF_OK) {
            if (is_record(root))
                rc = put_record(r, root, 1);
            else if (!is_delta(root))
                rc = refuse_object(root, name, err);
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

/* Errors that concern one input (its entry is reported and the archive goes on); any
 * other error (memory, the builder, the document hook) stops the import. */
static bool input_error(int rc)
{
    return rc == LF_EFORMAT || rc == LF_EPARSE || rc == LF_ELIMIT || rc == LF_ECORRUPT;
}

/* The *.json entries of an archive (and of the archives inside it), each imported as a
 * file named "archive!entry". An entry that cannot be read is reported and skipped. */
static int zip_buffer(lf_cve5_reader *r, const char *name, const char *data, size_t len, int depth, lf_err *err)
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
        bool json = name_ends(e.name, e.name_len, ".json");
        bool nested = name_ends(e.name, e.name_len, ".zip");
        /* folders, READMEs, macOS resource forks (__MACOSX/, "._x.json") */
        const char *base = e.name;
        for (size_t i = 0; i < e.name_len; i++)
            if (e.name[i] == '/')
                base = e.name + i + 1;
        if (e.is_dir || !(json || nested) || (base[0] == '.' && base[1] == '_') ||
            (e.name_len >= 9 && !memcmp(e.name, "__MACOSX/", 9)))
            continue;
        char ename[1024];
        snprintf(ename, sizeof ename, "%s!%.*s", name, (int)(e.name_len > 512 ? 512 : e.name_len), e.name);
        char *buf;
        size_t blen;
        lf_err ee;
        lf_err_clear(&ee);
        rc = lf_zip_extract(&z, &e, nested ? CVE5_ZIP_NESTED_MAX : CVE5_ZIP_JSON_MAX, &buf, &blen, &ee);
        if (rc == LF_OK) {
            if (nested && depth + 1 < CVE5_ZIP_DEPTH && lf_zip_sniff(buf, blen))
                rc = zip_buffer(r, ename, buf, blen, depth + 1, &ee);
            else if (json)
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
        if (c->on_progress && depth == 0 && (index & 255) == 0)
            c->on_progress(c->ud, name, z.count ? (double)index / (double)z.count : 0, c->report.records);
    }
    if (rc != LF_ENOTFOUND) {
        lf_err_at(err, name, 0, err->col, NULL);
        return rc;
    }
    return LF_OK;
}

int lf_cve5_reader_buffer(lf_cve5_reader *r, const char *name, const char *data, size_t len, lf_err *err)
{
    if (!lf_zip_sniff(data, len))
        return json_buffer(r, name, data, len, err);
    bool outer = !r->in_archive;
    r->in_archive = true;
    int rc = zip_buffer(r, name, data, len, 0, err);
    if (outer) {
        r->in_archive = false;
        if (r->c->on_progress)
            r->c->on_progress(r->c->ud, name, 1.0, r->c->report.records);
    }
    return rc;
}

int lf_cve5_reader_file(lf_cve5_reader *r, const char *path, lf_err *err)
{
    char *data = NULL;
    size_t len = 0;
    int rc = lf_file_read(path, 0, &data, &len, err);
    if (rc)
        return rc;
    rc = lf_cve5_reader_buffer(r, path, data, len, err);
    free(data);
    return rc;
}

int lf_cve5_import_buffer(lf_feed_ctx *c, const lf_namedb *names, const char *name, const char *data, size_t len,
                          lf_err *err)
{
    lf_cve5_opts o = {names, NULL, NULL};
    lf_cve5_reader *r;
    int rc = lf_cve5_reader_new(c, &o, &r, err);
    if (rc)
        return rc;
    rc = lf_cve5_reader_buffer(r, name, data, len, err);
    lf_cve5_reader_free(r);
    return rc;
}

int lf_cve5_import_file(lf_feed_ctx *c, const lf_namedb *names, const char *path, lf_err *err)
{
    lf_cve5_opts o = {names, NULL, NULL};
    lf_cve5_reader *r;
    int rc = lf_cve5_reader_new(c, &o, &r, err);
    if (rc)
        return rc;
    rc = lf_cve5_reader_file(r, path, err);
    lf_cve5_reader_free(r);
    return rc;
}
