/*
 * csaf: CSAF 2.0 advisory reader (see csaf.h for the mapping rules C1..C9). Field names
 * follow the OASIS CSAF 2.0 JSON schema (csaf_json_schema.json): document{tracking{id,
 * current_release_date, initial_release_date, revision_history[]}, publisher{name,
 * namespace}, references[], lang}, product_tree{branches[]{category, name, branches[] |
 * product}, full_product_names[], relationships[]{category, product_reference,
 * relates_to_product_reference, full_product_name}, product_groups[]},
 * vulnerabilities[]{cve, ids[], title, notes[], cwe, product_status{...}, remediations[],
 * scores[], threats[], references[]}. Package URLs follow the purl specification
 * (pkg:type/namespace/name@version?qualifiers#subpath) and version ranges the vers
 * specification (vers:type/constraint|...), both as CSAF 2.0 section 3.1.3.3 cites them.
 */
#include "feeds/csaf.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/file.h"
#include "intake/resolve.h"
#include "vans/cpe.h"
#include "vans/cvss.h"
#include "vans/pkgver.h"
#include "vans/version.h"

#define CSAF_MAX_PRODUCTS 65536
#define CSAF_MAX_CRIT     65536
#define CSAF_MAX_VERS     256
#define CSAF_MAX_DEPTH    64
#define CSAF_MAX_TEXT     256    /* a version or range text we try to read */

struct lf_csaf_reader {
    lf_feed_ctx *c;
    lf_csaf_opts opts;
    lf_resolver *res;        /* NULL without names */
    lf_arena json_a;         /* JSON tree of the current file */
    lf_arena tmp;            /* documents of the current advisory */
    const char *src;
    lf_err *fatal;           /* the caller's err while a buffer is imported */
    lf_csaf_stats st;
};

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

static bool is_digit(char ch)
{
    return ch >= '0' && ch <= '9';
}

/* s[0..n) without surrounding white space, as a NUL-terminated copy in the arena. */
static char *trimdup(lf_arena *a, const char *s, size_t n)
{
    size_t b = 0;
    while (b < n && is_space(s[b]))
        b++;
    while (n > b && is_space(s[n - 1]))
        n--;
    return lf_arena_strndup(a, s + b, n - b);
}

/* A name as CPE text can spell it: non-ASCII and control bytes become spaces, runs of
 * spaces collapse, ends are trimmed (as cve5.c does). NULL when nothing is left. */
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

/* A string-keyed hash table in the arena (open addressing, doubled when half full). */
typedef struct hmap {
    const char **key;
    void **val;
    size_t cap, n;
} hmap;

static uint64_t fnv(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static void *hmap_get(const hmap *m, const char *k)
{
    if (!m->cap)
        return NULL;
    for (size_t i = (size_t)fnv(k) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (!m->key[i])
            return NULL;
        if (!strcmp(m->key[i], k))
            return m->val[i];
    }
}

/* Insert k -> v unless k is there; *had = the value already stored (NULL: inserted). */
static int hmap_put(lf_arena *a, hmap *m, const char *k, void *v, void **had)
{
    *had = NULL;
    if ((m->n + 1) * 2 > m->cap) {
        size_t nc = m->cap ? m->cap * 2 : 64;
        const char **nk = lf_arena_calloc(a, nc * sizeof(char *));
        void **nv = lf_arena_calloc(a, nc * sizeof(void *));
        if (!nk || !nv)
            return LF_ENOMEM;
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->key[i])
                continue;
            size_t j = (size_t)fnv(m->key[i]) & (nc - 1);
            while (nk[j])
                j = (j + 1) & (nc - 1);
            nk[j] = m->key[i];
            nv[j] = m->val[i];
        }
        m->key = nk;
        m->val = nv;
        m->cap = nc;
    }
    size_t i = (size_t)fnv(k) & (m->cap - 1);
    for (; m->key[i]; i = (i + 1) & (m->cap - 1))
        if (!strcmp(m->key[i], k)) {
            *had = m->val[i];
            return LF_OK;
        }
    m->key[i] = k;
    m->val[i] = v;
    m->n++;
    return LF_OK;
}

/* ------------------------------------------------------------ the document ---- */

typedef struct vrange {
    const char *start, *end;  /* NULL: unbounded */
    bool sincl, eincl;
    bool exact;               /* start == end, one version */
    const char *full;         /* exact version of a CPE product: the CPE with it set */
} vrange;

/* What a product id names: a product P and its versions V (C5, C6). */
typedef struct spec {
    const char *any;          /* P with version ANY, formatted string */
    lf_cpe *cpe;              /* P as named (arena) */
    bool pkg;                 /* a package criterion (part 'p'): versions are ranges in scheme */
    lf_vscheme scheme;
    vrange *r;                /* no ranges and no review: every version */
    size_t nr;
    const char *review;       /* the text of a range nobody can order (C6) */
    const char *release;      /* a platform's release for the packages inside it (C7) */
} spec;

typedef struct prod {
    const char *id;
    const char *name;         /* full_product_name.name */
    const lf_json *helper;    /* product_identification_helper */
    const char *path;         /* where it is defined, for messages */
    /* names of the branches above it */
    const char *vendor, *family, *pname, *version, *range, *sp, *arch;
    /* relationships */
    const char *rel_cat, *comp_ref, *plat_ref;
    int state;                /* 0 not resolved, 1 resolving (cycle guard), 2 done */
    bool noted;               /* reported as unnamed */
    const spec *s;            /* NULL: unnamed */
} prod;

typedef struct dctx {
    lf_csaf_reader *r;
    const char *src;
    long line;
    const char *tid;          /* tracking id */
    char eid[64];             /* id used in messages */
    lf_arena *a;
    const char *msrc;         /* metric source: publisher namespace or name */
    const char *rsrc;         /* reference source: publisher name */
    const char *authority;    /* publisher name when its category is "vendor" (lf_vdoc.authority) */
    hmap prods;               /* product id -> prod */
    hmap groups;              /* group id -> (void *)1 */
    size_t nprod;
    size_t ncrit;
    bool oom;
} dctx;

static void reportf(dctx *x, const char *field, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void reportf(dctx *x, const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    lf_feed_reportv(x->r->c, x->src, x->line, x->eid, field, fmt, ap);
    va_end(ap);
}

/* A string member: NULL when absent or null; reported when of another type. */
static const char *get_str(dctx *x, const lf_json *o, const char *key, const char *path)
{
    const lf_json *v = lf_json_get(o, key);
    if (!v || lf_json_is(v, LF_JSON_NULL))
        return NULL;
    if (!lf_json_is(v, LF_JSON_STRING)) {
        char field[192];
        snprintf(field, sizeof field, "%.150s%s%s", path, path[0] ? "." : "", key);
        reportf(x, field, "%s is %s, not a string; ignored", key, lf_json_type_name(v));
        return NULL;
    }
    return v->u.str;
}

/* A member of type t: NULL when absent or null; reported when of another type. */
static const lf_json *get_typed(dctx *x, const lf_json *o, const char *key, lf_json_type t, const char *path)
{
    const lf_json *v = lf_json_get(o, key);
    if (!v || lf_json_is(v, LF_JSON_NULL))
        return NULL;
    if (!lf_json_is(v, t)) {
        char field[192];
        snprintf(field, sizeof field, "%.150s%s%s", path, path[0] ? "." : "", key);
        reportf(x, field, "%s is %s, not %s; ignored", key, lf_json_type_name(v),
                t == LF_JSON_ARRAY ? "an array" : "an object");
        return NULL;
    }
    return v;
}

static const char *adup_printf(dctx *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static const char *adup_printf(dctx *x, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    const char *s = lf_arena_strdup(x->a, buf);
    if (!s)
        x->oom = true;
    return s;
}

/* ------------------------------------------------------------ product tree ---- */

static int prod_add(dctx *x, prod *p)
{
    if (x->nprod >= CSAF_MAX_PRODUCTS) {
        reportf(x, p->path, "more than %d products in one document; product \"%.100s\" left out",
                CSAF_MAX_PRODUCTS, p->id);
        return LF_OK;
    }
    void *had;
    if (hmap_put(x->a, &x->prods, p->id, p, &had))
        return LF_ENOMEM;
    if (had) {
        reportf(x, p->path, "product_id \"%.100s\" is defined twice (also at %.60s); the first is kept", p->id,
                ((const prod *)had)->path);
        return LF_OK;
    }
    x->nprod++;
    x->r->st.products++;
    return LF_OK;
}

/* A full_product_name object (a branch's product, full_product_names[i], a
 * relationship's full_product_name) into a new prod; NULL when malformed (reported). */
static prod *fpn_read(dctx *x, const lf_json *fpn, const char *path)
{
    if (!lf_json_is(fpn, LF_JSON_OBJECT)) {
        reportf(x, path, "product is %s, not an object; left out", lf_json_type_name(fpn));
        return NULL;
    }
    const char *id = get_str(x, fpn, "product_id", path);
    if (!id || !id[0]) {
        if (!lf_json_get(fpn, "product_id")) {
            char field[192];
            snprintf(field, sizeof field, "%.150s.product_id", path);
            reportf(x, field, "product without product_id; left out");
        }
        return NULL;
    }
    prod *p = lf_arena_calloc(x->a, sizeof *p);
    const char *pp = lf_arena_strdup(x->a, path);
    if (!p || !pp) {
        x->oom = true;
        return NULL;
    }
    p->id = id;
    p->path = pp;
    p->name = get_str(x, fpn, "name", path);
    p->helper = get_typed(x, fpn, "product_identification_helper", LF_JSON_OBJECT, path);
    return p;
}

/* Branch names in force at one level of the walk. */
typedef struct bnames {
    const char *vendor, *family, *pname, *version, *range, *sp, *arch;
} bnames;

static int walk_branches(dctx *x, const lf_json *arr, const char *path, bnames nm, int depth)
{
    if (depth > CSAF_MAX_DEPTH) {
        reportf(x, path, "branches nested deeper than %d levels; left out", CSAF_MAX_DEPTH);
        return LF_OK;
    }
    char bp[256];
    for (size_t i = 0; i < lf_json_len(arr); i++) {
        const lf_json *b = lf_json_at(arr, i);
        snprintf(bp, sizeof bp, "%.200s[%zu]", path, i);
        if (!lf_json_is(b, LF_JSON_OBJECT)) {
            reportf(x, bp, "branch is %s, not an object; left out", lf_json_type_name(b));
            continue;
        }
        const char *cat = get_str(x, b, "category", bp);
        const char *name = get_str(x, b, "name", bp);
        bnames n2 = nm;
        if (cat && name) {
            if (!strcmp(cat, "vendor"))
                n2.vendor = name;
            else if (!strcmp(cat, "product_family"))
                n2.family = name;
            else if (!strcmp(cat, "product_name"))
                n2.pname = name;
            else if (!strcmp(cat, "product_version"))
                n2.version = name;
            else if (!strcmp(cat, "product_version_range"))
                n2.range = name;
            else if (!strcmp(cat, "service_pack") || !strcmp(cat, "patch_level"))
                n2.sp = name;
            else if (!strcmp(cat, "architecture"))
                n2.arch = name;
            /* host_name, language, legacy, specification: no part of a CPE we match */
        }
        const lf_json *fpn = lf_json_get(b, "product");
        if (fpn) {
            char fp[256];
            snprintf(fp, sizeof fp, "%.200s.product", bp);
            prod *p = fpn_read(x, fpn, fp);
            if (x->oom)
                return LF_ENOMEM;
            if (p) {
                p->vendor = n2.vendor;
                p->family = n2.family;
                p->pname = n2.pname;
                p->version = n2.version;
                p->range = n2.range;
                p->sp = n2.sp;
                p->arch = n2.arch;
                if (prod_add(x, p))
                    return LF_ENOMEM;
            }
        }
        const lf_json *sub = get_typed(x, b, "branches", LF_JSON_ARRAY, bp);
        if (sub) {
            char sp[256];
            snprintf(sp, sizeof sp, "%.200s.branches", bp);
            int rc = walk_branches(x, sub, sp, n2, depth + 1);
            if (rc)
                return rc;
        }
    }
    return LF_OK;
}

static int read_tree(dctx *x, const lf_json *tree)
{
    if (!tree)
        return LF_OK;
    const lf_json *br = get_typed(x, tree, "branches", LF_JSON_ARRAY, "product_tree");
    bnames nm = {0};
    int rc = walk_branches(x, br, "product_tree.branches", nm, 0);
    if (rc)
        return rc;
    char path[128];
    const lf_json *fpns = get_typed(x, tree, "full_product_names", LF_JSON_ARRAY, "product_tree");
    for (size_t i = 0; i < lf_json_len(fpns); i++) {
        snprintf(path, sizeof path, "product_tree.full_product_names[%zu]", i);
        prod *p = fpn_read(x, lf_json_at(fpns, i), path);
        if (x->oom)
            return LF_ENOMEM;
        if (p && prod_add(x, p))
            return LF_ENOMEM;
    }
    const lf_json *rels = get_typed(x, tree, "relationships", LF_JSON_ARRAY, "product_tree");
    for (size_t i = 0; i < lf_json_len(rels); i++) {
        const lf_json *rl = lf_json_at(rels, i);
        snprintf(path, sizeof path, "product_tree.relationships[%zu]", i);
        if (!lf_json_is(rl, LF_JSON_OBJECT)) {
            reportf(x, path, "relationship is %s, not an object; left out", lf_json_type_name(rl));
            continue;
        }
        const char *cat = get_str(x, rl, "category", path);
        const char *cref = get_str(x, rl, "product_reference", path);
        const char *pref = get_str(x, rl, "relates_to_product_reference", path);
        if (!cref || !pref) {
            reportf(x, path, "relationship without product_reference or relates_to_product_reference; left out");
            continue;
        }
        char fp[160];
        snprintf(fp, sizeof fp, "%s.full_product_name", path);
        prod *p = fpn_read(x, lf_json_get(rl, "full_product_name"), fp);
        if (x->oom)
            return LF_ENOMEM;
        if (!p)
            continue;
        p->rel_cat = cat ? cat : "";
        p->comp_ref = cref;
        p->plat_ref = pref;
        if (prod_add(x, p))
            return LF_ENOMEM;
    }
    /* relationship references are checked once every product is known */
    for (size_t i = 0; i < lf_json_len(rels); i++) {
        const lf_json *rl = lf_json_at(rels, i);
        const char *refs[2] = {lf_json_get_str(rl, "product_reference"),
                               lf_json_get_str(rl, "relates_to_product_reference")};
        for (int k = 0; k < 2; k++)
            if (refs[k] && lf_json_get_str(rl, "relates_to_product_reference") &&
                lf_json_get_str(rl, "product_reference") && !hmap_get(&x->prods, refs[k])) {
                snprintf(path, sizeof path, "product_tree.relationships[%zu].%s", i,
                         k ? "relates_to_product_reference" : "product_reference");
                reportf(x, path, "unknown product id \"%.100s\"", refs[k]);
            }
    }
    const lf_json *groups = get_typed(x, tree, "product_groups", LF_JSON_ARRAY, "product_tree");
    for (size_t i = 0; i < lf_json_len(groups); i++) {
        const lf_json *g = lf_json_at(groups, i);
        snprintf(path, sizeof path, "product_tree.product_groups[%zu]", i);
        const char *gid = get_str(x, g, "group_id", path);
        if (!gid) {
            reportf(x, path, "product group without group_id; left out");
            continue;
        }
        void *had;
        if (hmap_put(x->a, &x->groups, gid, (void *)1, &had))
            return LF_ENOMEM;
        const lf_json *ids = get_typed(x, g, "product_ids", LF_JSON_ARRAY, path);
        for (size_t k = 0; k < lf_json_len(ids); k++) {
            const char *id = lf_json_str(lf_json_at(ids, k));
            if (!id || !hmap_get(&x->prods, id)) {
                char field[192];
                snprintf(field, sizeof field, "%s.product_ids[%zu]", path, k);
                reportf(x, field, id ? "unknown product id \"%.100s\"" : "product id is not a string%.0s",
                        id ? id : "");
            }
        }
    }
    return LF_OK;
}

/* ---------------------------------------------------------- version ranges ---- */

/* Percent-decoding (purl and vers components) into the arena; NULL on a bad escape. */
static char *pct_decode(dctx *x, const char *s, size_t n)
{
    char *out = lf_arena_alloc(x->a, n + 1);
    if (!out) {
        x->oom = true;
        return NULL;
    }
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '%') {
            out[w++] = s[i];
            continue;
        }
        int v = 0;
        for (int k = 1; k <= 2; k++) {
            char ch = i + (size_t)k < n ? lower(s[i + (size_t)k]) : 0;
            int d = is_digit(ch) ? ch - '0' : (ch >= 'a' && ch <= 'f') ? ch - 'a' + 10 : -1;
            if (d < 0)
                return NULL;
            v = v * 16 + d;
        }
        if (v == 0)
            return NULL;
        out[w++] = (char)v;
        i += 2;
    }
    out[w] = '\0';
    return out;
}

/* A bound a range can carry: a version the generic order can place, not prose. */
static bool bound_ok(const char *v)
{
    size_t n = strlen(v);
    if (!n || n > LF_VERSION_MAX || !lf_version_orderable(v, n))
        return false;
    for (size_t i = 0; i < n; i++)
        if (v[i] == '<' || v[i] == '>' || v[i] == '=' || v[i] == '|' || v[i] == ',' || v[i] == '*')
            return false;
    size_t words = 0;
    for (size_t i = 0; i < n;) {
        while (i < n && is_space(v[i]))
            i++;
        if (i < n)
            words++;
        while (i < n && !is_space(v[i]))
            i++;
    }
    return words <= 2;
}

typedef struct rvec {
    vrange *v;
    size_t n, cap;
} rvec;

static int rpush(dctx *x, rvec *rv, const vrange *r)
{
    if (lf_arena_grow(x->a, (void **)&rv->v, &rv->cap, rv->n, sizeof(vrange))) {
        x->oom = true;
        return LF_ENOMEM;
    }
    rv->v[rv->n++] = *r;
    return LF_OK;
}

/* vers type -> scheme (C6). */
static lf_vscheme vers_scheme(const char *t)
{
    static const struct {
        const char *type;
        lf_vscheme s;
    } map[] = {{"rpm", LF_VS_RPM},       {"deb", LF_VS_DPKG},       {"apk", LF_VS_APK},
               {"alpine", LF_VS_APK},    {"semver", LF_VS_SEMVER},  {"npm", LF_VS_SEMVER},
               {"golang", LF_VS_SEMVER}, {"cargo", LF_VS_SEMVER},   {"pypi", LF_VS_PEP440},
               {"maven", LF_VS_MAVEN},   {"nuget", LF_VS_NUGET}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (ieq(t, map[i].type))
            return map[i].s;
    return LF_VS_GENERIC;
}

enum { RG_OK = 0, RG_ANY, RG_REVIEW, RG_BAD };

/* A `vers:` string into ranges. RG_ANY for "*", RG_REVIEW for constraints we cannot
 * express ("!="), RG_BAD (with *why) when it is malformed. */
static int parse_vers(dctx *x, const char *s, rvec *out, lf_vscheme *scheme, const char **why)
{
    const char *t = s + 5;
    const char *slash = strchr(t, '/');
    if (!slash || slash == t) {
        *why = "no \"<type>/\" after \"vers:\"";
        return RG_BAD;
    }
    char type[32];
    size_t tl = (size_t)(slash - t);
    if (tl >= sizeof type) {
        *why = "the versioning type is too long";
        return RG_BAD;
    }
    memcpy(type, t, tl);
    type[tl] = '\0';
    *scheme = vers_scheme(type);
    const char *c = slash + 1;
    while (is_space(*c))
        c++;
    if (!strcmp(c, "*"))
        return RG_ANY;
    const char *lo = NULL;
    bool lo_incl = false;
    size_t count = 0;
    bool review = false;
    while (*c) {
        const char *bar = strchr(c, '|');
        size_t n = bar ? (size_t)(bar - c) : strlen(c);
        if (++count > CSAF_MAX_VERS) {
            *why = "more than 256 constraints";
            return RG_BAD;
        }
        char *term = trimdup(x->a, c, n);
        if (!term) {
            x->oom = true;
            return RG_BAD;
        }
        int op; /* 0 <, 1 <=, 2 >, 3 >=, 4 =, 5 != */
        size_t skip;
        if (term[0] == '<' && term[1] == '=') op = 1, skip = 2;
        else if (term[0] == '<') op = 0, skip = 1;
        else if (term[0] == '>' && term[1] == '=') op = 3, skip = 2;
        else if (term[0] == '>') op = 2, skip = 1;
        else if (term[0] == '!' && term[1] == '=') op = 5, skip = 2;
        else if (term[0] == '=') op = 4, skip = 1;
        else op = 4, skip = 0;
        const char *vt = term + skip;
        while (is_space(*vt))
            vt++;
        char *v = pct_decode(x, vt, strlen(vt));
        if (x->oom)
            return RG_BAD;
        if (!v || !v[0]) {
            *why = !v ? "a bad %-escape" : "an empty constraint";
            return RG_BAD;
        }
        if (*scheme == LF_VS_GENERIC && !bound_ok(v)) {
            *why = "a version the generic order cannot place";
            return RG_BAD;
        }
        if (op == 5) {
            review = true;
        } else if (op == 2 || op == 3) {
            if (lo) {
                *why = "two lower bounds in a row";
                return RG_BAD;
            }
            lo = v;
            lo_incl = op == 3;
        } else if (op == 0 || op == 1) {
            vrange r = {lo, v, lo_incl, op == 1, false, NULL};
            if (rpush(x, out, &r))
                return RG_BAD;
            lo = NULL;
        } else {
            vrange r = {v, v, true, true, true, NULL};
            if (rpush(x, out, &r))
                return RG_BAD;
        }
        c = bar ? bar + 1 : c + n;
    }
    if (lo) {
        vrange r = {lo, NULL, lo_incl, false, false, NULL};
        if (rpush(x, out, &r))
            return RG_BAD;
    }
    if (review)
        return RG_REVIEW;
    if (!out->n) {
        *why = "no constraint";
        return RG_BAD;
    }
    return RG_OK;
}

/* Legacy text ranges (C6): "<= 2.3", "< V7.2", ">=1.0, <2.0", "before 3.1", "all
 * versions", "All versions < V3.1". RG_REVIEW when the text is something else. */
static int parse_legacy(dctx *x, const char *s, rvec *out)
{
    if (ieq(s, "all versions") || ieq(s, "all") || !strcmp(s, "*"))
        return RG_ANY;
    if (istarts(s, "all versions ")) {
        s += 13;
        while (is_space(*s))
            s++;
    }
    const char *p = s;
    while (*p) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        vrange r = {NULL, NULL, false, false, false, NULL};
        bool any_term = false;
        const char *q = p, *end = p + n;
        while (q < end) {
            const char *comma = memchr(q, ',', (size_t)(end - q));
            size_t tn = comma ? (size_t)(comma - q) : (size_t)(end - q);
            char *t = trimdup(x->a, q, tn);
            if (!t) {
                x->oom = true;
                return RG_REVIEW;
            }
            int op;
            size_t skip;
            if (t[0] == '<' && t[1] == '=') op = 1, skip = 2;
            else if (t[0] == '<') op = 0, skip = 1;
            else if (t[0] == '>' && t[1] == '=') op = 3, skip = 2;
            else if (t[0] == '>') op = 2, skip = 1;
            else if (t[0] == '=') op = 4, skip = 1 + (t[1] == '=');
            else if (istarts(t, "before ")) op = 0, skip = 7;
            else if (istarts(t, "prior to ")) op = 0, skip = 9;
            else if (istarts(t, "up to ")) op = 1, skip = 6;
            else
                return RG_REVIEW;
            const char *v = t + skip;
            while (is_space(*v))
                v++;
            if (!bound_ok(v))
                return RG_REVIEW;
            any_term = true;
            if (op <= 1) {
                if (r.end)
                    return RG_REVIEW;
                r.end = v;
                r.eincl = op == 1;
            } else if (op <= 3) {
                if (r.start)
                    return RG_REVIEW;
                r.start = v;
                r.sincl = op == 3;
            } else {
                r.start = r.end = v;
                r.sincl = r.eincl = r.exact = true;
            }
            q = comma ? comma + 1 : end;
        }
        if (!any_term)
            return RG_REVIEW;
        if (rpush(x, out, &r))
            return RG_REVIEW;
        p = bar ? bar + 1 : p + n;
    }
    return out->n ? RG_OK : RG_REVIEW;
}

/* --------------------------------------------------------------- products ---- */

static int cpe_fs(dctx *x, const lf_cpe *c, const char **out)
{
    char buf[LF_CPE_FS_BUF];
    if (lf_cpe_format_fs(c, buf, sizeof buf) != LF_OK)
        return LF_ELIMIT;
    *out = lf_arena_strdup(x->a, buf);
    if (!*out) {
        x->oom = true;
        return LF_ENOMEM;
    }
    return LF_OK;
}

/* The CPE of s with version v (and update u, may be NULL) set from plain text. */
static const char *cpe_with(dctx *x, const spec *s, const char *v, const char *u)
{
    lf_cpe c = *s->cpe;
    if (lf_cpe_set_plain(&c, LF_CPE_VERSION, v, strlen(v)) != LF_OK)
        return NULL;
    if (u && lf_cpe_set_plain(&c, LF_CPE_UPDATE, u, strlen(u)) != LF_OK)
        return NULL;
    const char *out = NULL;
    cpe_fs(x, &c, &out);
    return out;
}

/* A new spec for CPE c (copied); any = c with version ANY. NULL on failure. */
static spec *spec_new(dctx *x, const lf_cpe *c, bool pkg, lf_vscheme scheme)
{
    spec *s = lf_arena_calloc(x->a, sizeof *s);
    lf_cpe *cc = lf_arena_alloc(x->a, sizeof *cc);
    if (!s || !cc) {
        x->oom = true;
        return NULL;
    }
    *cc = *c;
    lf_cpe_set_any(cc, LF_CPE_VERSION);
    s->cpe = cc;
    s->pkg = pkg;
    s->scheme = scheme;
    if (cpe_fs(x, cc, &s->any))
        return NULL;
    return s;
}

/* The versions a product's branches state (C5, C6) into s. */
static int branch_versions(dctx *x, prod *p, spec *s)
{
    rvec rv = {NULL, 0, 0};
    if (p->range) {
        char *t = trimdup(x->a, p->range, strlen(p->range));
        if (!t)
            return LF_ENOMEM;
        int k;
        lf_vscheme sch = s->scheme;
        if (istarts(t, "vers:")) {
            const char *why = "";
            k = parse_vers(x, t, &rv, &sch, &why);
            if (k == RG_BAD && !x->oom) {
                reportf(x, p->path, "product_version_range \"%.120s\" is not a valid vers string (%s); needs review",
                        t, why);
            }
            if (k == RG_OK && !s->pkg)
                s->scheme = sch;
        } else {
            k = parse_legacy(x, t, &rv);
        }
        if (x->oom)
            return LF_ENOMEM;
        if (k == RG_OK) {
            s->r = rv.v;
            s->nr = rv.n;
        } else if (k == RG_REVIEW || k == RG_BAD) {
            s->review = t;
            s->nr = 0;
        }
        return LF_OK;
    }
    if (!p->version)
        return LF_OK;
    /* a list "3.0.7 | 3.0.8 | 3.0.9" is several exact versions */
    const char *c = p->version;
    while (*c) {
        const char *bar = strchr(c, '|');
        size_t n = bar ? (size_t)(bar - c) : strlen(c);
        char *v = trimdup(x->a, c, n);
        if (!v)
            return LF_ENOMEM;
        c = bar ? bar + 1 : c + n;
        if (!v[0])
            continue;
        const char *ver = v, *upd = NULL;
        if (p->sp && !bar && c == p->version + strlen(p->version)) {
            /* Cisco writes the train as the version and the full release as the
             * service pack (12.2SE / 12.2(55)SE); "SP1" style names are the update */
            if (is_digit(p->sp[0]))
                ver = p->sp;
            else
                upd = p->sp;
        }
        vrange r = {ver, ver, true, true, true, NULL};
        if (!s->pkg) {
            r.full = cpe_with(x, s, ver, upd);
            if (x->oom)
                return LF_ENOMEM;
            if (!r.full) {
                s->review = ver;   /* no CPE spelling of this version */
                s->nr = 0;
                return LF_OK;
            }
        }
        if (rpush(x, &rv, &r))
            return LF_ENOMEM;
    }
    s->r = rv.v;
    s->nr = rv.n;
    return LF_OK;
}

/* Leading number of a plain value ("8.6" -> "8"); NULL when it starts with no digit. */
static const char *lead_number(dctx *x, const char *v)
{
    size_t n = 0;
    while (is_digit(v[n]))
        n++;
    if (!n)
        return NULL;
    const char *out = lf_arena_strndup(x->a, v, n);
    if (!out)
        x->oom = true;
    return out;
}

/* The release a Red Hat platform CPE gives the packages inside it (C7). */
static const char *redhat_release(dctx *x, const lf_cpe *c)
{
    char v[LF_CPE_MAX];
    if (lf_cpe_plain(c, LF_CPE_VENDOR, v, sizeof v) < 0 || strcmp(v, "redhat") != 0)
        return NULL;
    if (lf_cpe_plain(c, LF_CPE_PRODUCT, v, sizeof v) >= 0 && (!strcmp(v, "enterprise_linux") || !strncmp(v, "rhel", 4))) {
        if (lf_cpe_plain(c, LF_CPE_VERSION, v, sizeof v) > 0)
            return lead_number(x, v);
        return NULL;
    }
    for (int at = LF_CPE_UPDATE; at < LF_CPE_NATTR; at++) {
        if (lf_cpe_plain(c, at, v, sizeof v) > 2 && v[0] == 'e' && v[1] == 'l' && is_digit(v[2]))
            return lead_number(x, v + 2);
    }
    return NULL;
}

/* helper.cpe (C5). NULL when absent or unusable (reported). */
static spec *spec_from_cpe(dctx *x, prod *p, const char *cs)
{
    const char *field = p->path;   /* lf_err.field is short: the helper is named in the message */
    lf_cpe c;
    lf_err ce;
    lf_err_clear(&ce);
    char *t = trimdup(x->a, cs, strlen(cs));
    if (!t) {
        x->oom = true;
        return NULL;
    }
    if (lf_cpe_parse(&c, t, strlen(t), &ce) != LF_OK) {
        reportf(x, field, "product_identification_helper.cpe \"%.200s\" is not a CPE name: %.60s%s%.200s", t,
                ce.field, ce.field[0] ? ": " : "", ce.msg);
        return NULL;
    }
    const char *part = lf_cpe_value(&c, LF_CPE_PART);
    if (!part || part[0] == 'p' || lf_cpe_kind(&c, LF_CPE_VENDOR) != LF_CPE_VALUE ||
        lf_cpe_kind(&c, LF_CPE_PRODUCT) != LF_CPE_VALUE || lf_cpe_has_wildcards(&c, LF_CPE_VENDOR) ||
        lf_cpe_has_wildcards(&c, LF_CPE_PRODUCT)) {
        reportf(x, field, "product_identification_helper.cpe \"%.200s\" does not name a part, vendor and product",
                t);
        return NULL;
    }
    spec *s = spec_new(x, &c, false, LF_VS_GENERIC);
    if (!s)
        return NULL;
    s->release = redhat_release(x, &c);
    if (lf_cpe_kind(&c, LF_CPE_VERSION) == LF_CPE_VALUE && !lf_cpe_has_wildcards(&c, LF_CPE_VERSION)) {
        char v[LF_CPE_MAX];
        vrange *r = lf_arena_calloc(x->a, sizeof *r);
        const char *vv = lf_cpe_plain(&c, LF_CPE_VERSION, v, sizeof v) >= 0 ? lf_arena_strdup(x->a, v) : NULL;
        if (!r || !vv) {
            x->oom = true;
            return NULL;
        }
        *r = (vrange){vv, vv, true, true, true, NULL};
        if (cpe_fs(x, &c, &r->full))
            return NULL;
        s->r = r;
        s->nr = 1;
        return s;
    }
    if (branch_versions(x, p, s)) {
        x->oom = true;
        return NULL;
    }
    return s;
}

/* A package URL, decoded. */
typedef struct purl {
    char type[16];
    const char *ns, *name, *version;
    const char *distro, *epoch;
} purl;

static bool purl_parse(dctx *x, const char *s, purl *out)
{
    memset(out, 0, sizeof *out);
    if (!istarts(s, "pkg:"))
        return false;
    s += 4;
    while (*s == '/')
        s++;
    const char *sl = strchr(s, '/');
    if (!sl || (size_t)(sl - s) >= sizeof out->type || sl == s)
        return false;
    for (size_t i = 0; i < (size_t)(sl - s); i++)
        out->type[i] = lower(s[i]);
    const char *rest = sl + 1;
    size_t rn = strcspn(rest, "?#");
    const char *q = rest[rn] == '?' ? rest + rn + 1 : NULL;
    /* the version follows the last '@' after the last '/' (npm scopes write '@' before) */
    const char *last_sl = NULL;
    for (size_t i = 0; i < rn; i++)
        if (rest[i] == '/')
            last_sl = rest + i;
    const char *nb = last_sl ? last_sl + 1 : rest;
    const char *at = NULL;
    for (const char *c = nb; c < rest + rn; c++)
        if (*c == '@')
            at = c;
    const char *ne = at ? at : rest + rn;
    if (ne == nb)
        return false;
    out->name = pct_decode(x, nb, (size_t)(ne - nb));
    if (last_sl)
        out->ns = pct_decode(x, rest, (size_t)(last_sl - rest));
    if (at && at + 1 < rest + rn)
        out->version = pct_decode(x, at + 1, (size_t)(rest + rn - at - 1));
    if (!out->name || (last_sl && !out->ns) || (at && at + 1 < rest + rn && !out->version))
        return false;
    while (q && *q && *q != '#') {
        size_t n = strcspn(q, "&#");
        const char *eq = memchr(q, '=', n);
        if (eq) {
            size_t kl = (size_t)(eq - q);
            const char *v = pct_decode(x, eq + 1, n - kl - 1);
            if (!v)
                return false;
            if (kl == 6 && !strncmp(q, "distro", 6))
                out->distro = v;
            else if (kl == 5 && !strncmp(q, "epoch", 5))
                out->epoch = v;
        }
        q += n;
        if (*q == '&')
            q++;
    }
    return true;
}

/* A distro qualifier's release: "debian-12.4" -> "12" (Debian names major releases),
 * "ubuntu-22.04" -> "22.04", "alpine-3.19.1" -> "3.19", "almalinux-9.3" -> "9". */
static const char *distro_release(dctx *x, const char *distro, int parts)
{
    if (!distro)
        return NULL;
    const char *d = strrchr(distro, '-');
    d = d ? d + 1 : distro;
    if (!is_digit(*d))
        return NULL;
    size_t n = 0;
    int seen = 0;
    while (is_digit(d[n]) || (d[n] == '.' && seen + 1 < parts && is_digit(d[n + 1]))) {
        if (d[n] == '.')
            seen++;
        n++;
    }
    const char *out = lf_arena_strndup(x->a, d, n);
    if (!out)
        x->oom = true;
    return out;
}

/* A package criterion: eco:name, release, scheme of OSV ecosystem osv; version ver. */
static spec *spec_pkg(dctx *x, const char *eco, const char *osv, const char *name, const char *release,
                      const char *ver)
{
    lf_cpe c;
    lf_cpe_init(&c);
    if (lf_cpe_set_plain(&c, LF_CPE_PART, "p", 1) != LF_OK ||
        lf_cpe_set_plain(&c, LF_CPE_VENDOR, eco, strlen(eco)) != LF_OK ||
        lf_cpe_set_plain(&c, LF_CPE_PRODUCT, name, strlen(name)) != LF_OK)
        return NULL;
    if (release && lf_cpe_set_plain(&c, LF_CPE_TARGET_SW, release, strlen(release)) != LF_OK)
        return NULL;
    spec *s = spec_new(x, &c, true, lf_vscheme_for_ecosystem(osv));
    if (!s)
        return NULL;
    if (ver && ver[0]) {
        vrange *r = lf_arena_calloc(x->a, sizeof *r);
        if (!r) {
            x->oom = true;
            return NULL;
        }
        *r = (vrange){ver, ver, true, true, true, NULL};
        s->r = r;
        s->nr = 1;
    }
    return s;
}

/* helper.purl (C5). NULL when the type is not one we map (or on failure). */
static spec *spec_from_purl(dctx *x, prod *p, const char *ps)
{
    purl u;
    if (!purl_parse(x, ps, &u)) {
        if (!x->oom) {
            reportf(x, p->path, "product_identification_helper.purl \"%.200s\" is not a package URL", ps);
        }
        return NULL;
    }
    const char *eco = NULL, *osv = NULL, *release = NULL;
    const char *name = u.name, *ver = u.version;
    const char *ns = u.ns ? u.ns : "";
    if (!strcmp(u.type, "rpm")) {
        static const struct {
            const char *ns, *eco, *osv;
        } rpms[] = {{"redhat", "red_hat", "Red Hat"},         {"almalinux", "almalinux", "AlmaLinux"},
                    {"rocky", "rocky_linux", "Rocky Linux"},  {"rocky-linux", "rocky_linux", "Rocky Linux"},
                    {"rockylinux", "rocky_linux", "Rocky Linux"}, {"suse", "suse", "SUSE"},
                    {"opensuse", "opensuse", "openSUSE"}};
        for (size_t i = 0; i < sizeof rpms / sizeof rpms[0] && !eco; i++)
            if (ieq(ns, rpms[i].ns))
                eco = rpms[i].eco, osv = rpms[i].osv;
        release = distro_release(x, u.distro, 1);
        if (ver && u.epoch && strcmp(u.epoch, "0") != 0)
            ver = adup_printf(x, "%s:%s", u.epoch, ver);
    } else if (!strcmp(u.type, "deb")) {
        const char *d = u.distro ? u.distro : ns;
        if (istarts(d, "debian"))
            eco = "debian", osv = "Debian", release = distro_release(x, u.distro, 1);
        else if (istarts(d, "ubuntu"))
            eco = "ubuntu", osv = "Ubuntu", release = distro_release(x, u.distro, 2);
        else if (ieq(ns, "debian"))
            eco = "debian", osv = "Debian";
        else if (ieq(ns, "ubuntu"))
            eco = "ubuntu", osv = "Ubuntu";
    } else if (!strcmp(u.type, "apk") && (ieq(ns, "alpine") || istarts(u.distro ? u.distro : "", "alpine"))) {
        eco = "alpine", osv = "Alpine", release = distro_release(x, u.distro, 2);
    } else if (!strcmp(u.type, "npm")) {
        eco = "npm", osv = "npm";
        if (u.ns)
            name = adup_printf(x, "%s/%s", u.ns, u.name);
    } else if (!strcmp(u.type, "pypi")) {
        eco = "pypi", osv = "PyPI";
        char *n = lf_arena_strdup(x->a, u.name);
        if (n)
            for (char *c = n; *c; c++)
                if (*c == '_' || *c == '.')
                    *c = '-';
        name = n;
    } else if (!strcmp(u.type, "maven")) {
        eco = "maven", osv = "Maven";
        if (u.ns)
            name = adup_printf(x, "%s:%s", u.ns, u.name);
    } else if (!strcmp(u.type, "golang")) {
        eco = "go", osv = "Go";
        if (u.ns)
            name = adup_printf(x, "%s/%s", u.ns, u.name);
    } else if (!strcmp(u.type, "nuget")) {
        eco = "nuget", osv = "NuGet";
    } else if (!strcmp(u.type, "cargo")) {
        eco = "crates.io", osv = "crates.io";
    }
    if (!eco || !name || x->oom)
        return NULL;
    spec *s = spec_pkg(x, eco, osv, name, release, ver);
    if (s && !s->nr && p->range) {
        /* only a range branch: Red Hat names its product_version branches after the
         * package ("mediawiki"), which is no version */
        const char *keep = p->version;
        p->version = NULL;
        if (branch_versions(x, p, s))
            x->oom = true;
        p->version = keep;
    }
    return s;
}

/* An rpm NEVRA product name ("telnet-1:0.17-65.el7_6.x86_64") of Red Hat's older files. */
static spec *spec_from_nevra(dctx *x, prod *p)
{
    static const char *const arches[] = {"src", "noarch", "x86_64", "aarch64", "ppc64le", "s390x", "i686",
                                         "i386", "ppc64", "ppc", "s390", "armv7hl", "ia64"};
    const char *nm = p->version ? p->version : p->name;
    if (!nm || !p->arch || !p->vendor || !ieq(p->vendor, "Red Hat"))
        return NULL;
    const char *dot = strrchr(nm, '.');
    if (!dot)
        return NULL;
    bool arch_ok = false;
    for (size_t i = 0; i < sizeof arches / sizeof arches[0] && !arch_ok; i++)
        arch_ok = !strcmp(dot + 1, arches[i]);
    if (!arch_ok)
        return NULL;
    size_t n = (size_t)(dot - nm);
    const char *d2 = NULL, *d1 = NULL;   /* the last two '-' of name-[epoch:]version-release */
    for (size_t i = 0; i < n; i++)
        if (nm[i] == '-') {
            d1 = d2;
            d2 = nm + i;
        }
    if (!d1 || d1 == nm || !is_digit(d1[1]))
        return NULL;
    const char *vs = d1 + 1;
    if (vs[0] == '0' && vs[1] == ':')
        vs += 2;   /* epoch 0 is the same as none (rpmvercmp) */
    char *name = lf_arena_strndup(x->a, nm, (size_t)(d1 - nm));
    char *ver = lf_arena_strndup(x->a, vs, (size_t)(nm + n - vs));
    if (!name || !ver) {
        x->oom = true;
        return NULL;
    }
    return spec_pkg(x, "red_hat", "Red Hat", name, NULL, ver);
}

/* vendor + product names (C5), through the resolver when there is one. */
static spec *spec_from_names(dctx *x, prod *p)
{
    const char *vendor = p->vendor;
    const char *pname = p->pname ? p->pname : p->family;
    if (!vendor || !pname)
        return NULL;
    /* "Advantech ADAM-5630" under vendor Advantech: the product is ADAM-5630 */
    size_t vl = strlen(vendor);
    if (istarts(pname, vendor) && is_space(pname[vl])) {
        const char *rest = pname + vl;
        while (is_space(*rest))
            rest++;
        if (*rest)
            pname = rest;
    }
    lf_cpe c;
    bool have = false;
    if (x->r->res) {
        lf_inv_rec rec;
        memset(&rec, 0, sizeof rec);
        rec.name = pname;
        rec.vendor = vendor;
        rec.line = x->line;
        lf_resolution res;
        lf_err re;
        lf_err_clear(&re);
        if (lf_resolve(x->r->res, &rec, &res, &re) == LF_ENOMEM) {
            x->oom = true;
            return NULL;
        }
        lf_cpe rc;
        if (res.bucket == LF_BUCKET_RESOLVED && lf_cpe_parse(&rc, res.cpe, strlen(res.cpe), NULL) == LF_OK &&
            lf_cpe_kind(&rc, LF_CPE_VENDOR) == LF_CPE_VALUE && lf_cpe_kind(&rc, LF_CPE_PRODUCT) == LF_CPE_VALUE) {
            /* part:vendor:product only: the branches say which releases */
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
        const char *fv = fold_name(x->a, vendor, &x->oom);
        const char *fp = fold_name(x->a, pname, &x->oom);
        if (!fv || !fp)
            return NULL;
        lf_cpe_init(&c);
        if (lf_cpe_set_plain(&c, LF_CPE_PART, "a", 1) != LF_OK ||
            lf_cpe_set_plain(&c, LF_CPE_VENDOR, fv, strlen(fv)) != LF_OK ||
            lf_cpe_set_plain(&c, LF_CPE_PRODUCT, fp, strlen(fp)) != LF_OK)
            return NULL;
    }
    spec *s = spec_new(x, &c, false, LF_VS_GENERIC);
    if (s && branch_versions(x, p, s))
        x->oom = true;
    return s;
}

static const spec *resolve(dctx *x, prod *p);

/* A relationship's product (C7). */
static const spec *spec_from_rel(dctx *x, prod *p)
{
    prod *comp = hmap_get(&x->prods, p->comp_ref);
    prod *plat = hmap_get(&x->prods, p->plat_ref);
    const spec *cs = comp ? resolve(x, comp) : NULL;
    const spec *ps = plat ? resolve(x, plat) : NULL;
    if (x->oom)
        return NULL;
    if (!cs)
        return strcmp(p->rel_cat, "default_component_of") == 0 ? ps : NULL;
    if (!cs->pkg || !ps || !ps->release || lf_cpe_kind(cs->cpe, LF_CPE_TARGET_SW) != LF_CPE_ANY)
        return cs;
    spec *s = lf_arena_alloc(x->a, sizeof *s);
    lf_cpe *c = lf_arena_alloc(x->a, sizeof *c);
    if (!s || !c) {
        x->oom = true;
        return NULL;
    }
    *s = *cs;
    *c = *cs->cpe;
    if (lf_cpe_set_plain(c, LF_CPE_TARGET_SW, ps->release, strlen(ps->release)) != LF_OK)
        return cs;
    s->cpe = c;
    if (cpe_fs(x, c, &s->any))
        return NULL;
    return s;
}

/* What a product id names; NULL when nothing does (reported once as unnamed). */
static const spec *resolve(dctx *x, prod *p)
{
    if (p->state == 2)
        return p->s;
    if (p->state == 1)
        return NULL;   /* a relationship cycle */
    p->state = 1;
    const spec *s = NULL;
    if (p->comp_ref) {
        s = spec_from_rel(x, p);
    } else {
        const char *cpe = get_str(x, p->helper, "cpe", p->path);
        const char *pu = get_str(x, p->helper, "purl", p->path);
        if (cpe)
            s = spec_from_cpe(x, p, cpe);
        if (!s && pu && !x->oom)
            s = spec_from_purl(x, p, pu);
        if (!s && !x->oom)
            s = spec_from_nevra(x, p);
        if (!s && !x->oom)
            s = spec_from_names(x, p);
    }
    p->s = s;
    p->state = 2;
    return s;
}

static void note_unnamed(dctx *x, prod *p)
{
    if (p->noted)
        return;
    p->noted = true;
    x->r->st.unnamed++;
    if (!x->r->opts.on_unnamed)
        return;
    lf_err e;
    lf_err_clear(&e);
    lf_err_set(&e, LF_ENOTFOUND,
               "product \"%.120s\" (%.120s) has no CPE, supported purl or vendor and product names; left out",
               p->id, p->name ? p->name : "no name");
    lf_err_at(&e, x->src, x->line, 0, p->path);
    lf_err_id(&e, x->tid);
    x->r->opts.on_unnamed(x->r->opts.ud, &e);
}

/* --------------------------------------------------------------- criteria ---- */

enum { ST_KNOWN_AFF = 0, ST_FIRST_AFF, ST_LAST_AFF, ST_NOT_AFF, ST_FIXED, ST_FIRST_FIXED, ST_NSTATUS };

static const struct {
    const char *key;
    bool not_affected;
} statuses[ST_NSTATUS] = {{"known_affected", false}, {"first_affected", false}, {"last_affected", false},
                          {"known_not_affected", true}, {"fixed", true}, {"first_fixed", true}};

typedef struct critset {
    lf_vcrit *v;
    const char **keys;
    size_t n, cap, kcap;
    hmap seen;
} critset;

/* The identity of a criterion for the duplicate check (exact length: CPEs and bounds
 * can be long, and a truncated key would merge different criteria). */
static const char *crit_key(dctx *x, const lf_vcrit *c)
{
    const char *st = c->start ? c->start : "\x1e", *en = c->end ? c->end : "\x1e";
    size_t n = strlen(c->cpe) + strlen(st) + strlen(en) + 16;
    char *k = lf_arena_alloc(x->a, n);
    if (!k) {
        x->oom = true;
        return NULL;
    }
    snprintf(k, n, "%d\x1f%s\x1f%d%s\x1f%d%s", (int)c->scheme, c->cpe, c->start_incl, st, c->end_incl, en);
    return k;
}

static int crit_push(dctx *x, critset *cs, const lf_vcrit *c)
{
    const char *k = crit_key(x, c);
    if (!k)
        return LF_ENOMEM;
    void *had;
    if (hmap_put(x->a, &cs->seen, k, (void *)1, &had))
        return LF_ENOMEM;
    if (had)
        return LF_OK;
    if (x->ncrit >= CSAF_MAX_CRIT)
        return LF_ELIMIT;
    if (lf_arena_grow(x->a, (void **)&cs->v, &cs->cap, cs->n, sizeof(lf_vcrit)) ||
        lf_arena_grow(x->a, (void **)&cs->keys, &cs->kcap, cs->n, sizeof(char *)))
        return LF_ENOMEM;
    cs->keys[cs->n] = k;
    cs->v[cs->n++] = *c;
    x->ncrit++;
    return LF_OK;
}

/* The criteria of product spec s under one status (C8). */
static int emit(dctx *x, const spec *s, int st, critset *cs)
{
    lf_vcrit c;
    memset(&c, 0, sizeof c);
    c.vulnerable = true;
    c.scheme = s->scheme;
    c.cpe = s->any;
    if (s->review) {
        if (statuses[st].not_affected)
            return LF_OK;   /* a statement nobody can evaluate clears nothing */
        c.scheme = LF_VS_UNORDERED;
        c.start = s->review;
        c.start_incl = true;
        return crit_push(x, cs, &c);
    }
    if (!s->nr)
        return crit_push(x, cs, &c);
    for (size_t i = 0; i < s->nr; i++) {
        const vrange *r = &s->r[i];
        lf_vcrit k = c;
        if (!r->exact) {
            k.start = r->start;
            k.start_incl = r->sincl;
            k.end = r->end;
            k.end_incl = r->eincl;
        } else if (st == ST_FIRST_AFF || st == ST_FIRST_FIXED || (st == ST_FIXED && s->pkg)) {
            k.start = r->start;   /* this version and later */
            k.start_incl = true;
        } else if (st == ST_LAST_AFF) {
            k.end = r->start;     /* up to this version */
            k.end_incl = true;
        } else if (s->pkg) {
            k.start = k.end = r->start;
            k.start_incl = k.end_incl = true;
        } else {
            k.cpe = r->full;
            k.scheme = LF_VS_GENERIC;
        }
        if (!k.cpe)
            continue;
        int rc = crit_push(x, cs, &k);
        if (rc)
            return rc;
    }
    return LF_OK;
}

/* Check that every id of arr names a product (or a group); reports the others. */
static void check_ids(dctx *x, const lf_json *arr, const char *path, bool groups)
{
    char field[192];
    for (size_t k = 0; k < lf_json_len(arr); k++) {
        const char *id = lf_json_str(lf_json_at(arr, k));
        snprintf(field, sizeof field, "%.150s[%zu]", path, k);
        if (!id)
            reportf(x, field, "%s id is %s, not a string", groups ? "group" : "product",
                    lf_json_type_name(lf_json_at(arr, k)));
        else if (!hmap_get(groups ? &x->groups : &x->prods, id))
            reportf(x, field, "unknown %s id \"%.100s\"", groups ? "group" : "product", id);
    }
}

static int configs_of(dctx *x, const lf_json *v, const char *vpath, lf_vdoc *out)
{
    char path[192], field[224];
    snprintf(path, sizeof path, "%s.product_status", vpath);
    const lf_json *ps = get_typed(x, v, "product_status", LF_JSON_OBJECT, vpath);
    critset sets[2];
    memset(sets, 0, sizeof sets);
    for (int st = 0; st < ST_NSTATUS; st++) {
        const lf_json *ids = get_typed(x, ps, statuses[st].key, LF_JSON_ARRAY, path);
        critset *cs = &sets[statuses[st].not_affected];
        for (size_t k = 0; k < lf_json_len(ids); k++) {
            const char *id = lf_json_str(lf_json_at(ids, k));
            snprintf(field, sizeof field, "%s.%s[%zu]", path, statuses[st].key, k);
            if (!id) {
                reportf(x, field, "product id is %s, not a string; left out", lf_json_type_name(lf_json_at(ids, k)));
                continue;
            }
            prod *p = hmap_get(&x->prods, id);
            if (!p) {
                reportf(x, field, "unknown product id \"%.100s\"; left out", id);
                continue;
            }
            const spec *s = resolve(x, p);
            if (x->oom)
                return LF_ENOMEM;
            if (!s) {
                note_unnamed(x, p);
                continue;
            }
            int rc = emit(x, s, st, cs);
            if (rc == LF_ELIMIT) {
                reportf(x, field, "more than %d criteria in one document; the rest left out", CSAF_MAX_CRIT);
                goto done;
            }
            if (rc || x->oom)
                return LF_ENOMEM;
        }
    }
done:
    /* a criterion both affected and not affected stays affected (C8) */
    {
        critset *na = &sets[1];
        size_t w = 0;
        for (size_t i = 0; i < na->n; i++)
            if (!hmap_get(&sets[0].seen, na->keys[i]))
                na->v[w++] = na->v[i];
        na->n = w;
    }
    static const char *const counted[2] = {"under_investigation", "recommended"};
    for (int k = 0; k < 2; k++) {
        const lf_json *ids = get_typed(x, ps, counted[k], LF_JSON_ARRAY, path);
        snprintf(field, sizeof field, "%s.%s", path, counted[k]);
        check_ids(x, ids, field, false);
        if (k == 0)
            x->r->st.under_investigation += lf_json_len(ids);
        else
            x->r->st.recommended += lf_json_len(ids);
    }
    out->nconfig = 0;
    out->config = lf_arena_calloc(x->a, 2 * sizeof(lf_vconfig));
    if (!out->config)
        return LF_ENOMEM;
    for (int k = 0; k < 2; k++) {
        if (!sets[k].n)
            continue;
        lf_vnode *nd = lf_arena_calloc(x->a, sizeof *nd);
        if (!nd)
            return LF_ENOMEM;
        nd->op_and = false;
        nd->ncrit = sets[k].n;
        nd->crit = sets[k].v;
        lf_vconfig *c = &out->config[out->nconfig++];
        c->op_and = false;
        c->not_affected = k == 1;
        c->nnode = 1;
        c->node = nd;
    }
    return LF_OK;
}

/* --------------------------------------------------------------- metadata ---- */

static int metrics_of(dctx *x, const lf_json *v, const char *vpath, lf_vdoc *out)
{
    static const char *const kinds[] = {"cvss_v4", "cvss_v3", "cvss_v2"};
    char path[192], field[224];
    const lf_json *scores = get_typed(x, v, "scores", LF_JSON_ARRAY, vpath);
    size_t n = lf_json_len(scores);
    out->nmetric = 0;
    out->metric = n ? lf_arena_alloc(x->a, 3 * n * sizeof(lf_vmetric)) : NULL;
    if (n && !out->metric)
        return LF_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        const lf_json *sc = lf_json_at(scores, i);
        snprintf(path, sizeof path, "%s.scores[%zu]", vpath, i);
        if (!lf_json_is(sc, LF_JSON_OBJECT)) {
            reportf(x, path, "score is %s, not an object; left out", lf_json_type_name(sc));
            continue;
        }
        snprintf(field, sizeof field, "%s.products", path);
        check_ids(x, get_typed(x, sc, "products", LF_JSON_ARRAY, path), field, false);
        for (size_t k = 0; k < 3; k++) {
            const lf_json *d = get_typed(x, sc, kinds[k], LF_JSON_OBJECT, path);
            if (!d)
                continue;
            snprintf(field, sizeof field, "%s.%s", path, kinds[k]);
            const char *vec = get_str(x, d, "vectorString", field);
            const lf_json *bs = lf_json_get(d, "baseScore");
            double score = lf_json_num(bs, -1);
            if (!vec || !vec[0] || !lf_json_is(bs, LF_JSON_NUMBER) || !(score >= 0.0 && score <= 10.0)) {
                reportf(x, field, !vec || !vec[0] ? "score without vectorString; left out"
                                                  : "baseScore is not a number from 0 to 10; score left out");
                continue;
            }
            lf_cvss_version ver = k == 0 ? LF_CVSS_V40 : k == 2 ? LF_CVSS_V2 : LF_CVSS_V31;
            if (k == 1 && !strncmp(vec, "CVSS:3.0/", 9))
                ver = LF_CVSS_V30;
            bool dup = false;
            for (size_t q = 0; q < out->nmetric && !dup; q++)
                dup = out->metric[q].version == ver && !strcmp(out->metric[q].vector, vec);
            if (dup)
                continue;
            lf_vmetric *vm = &out->metric[out->nmetric++];
            vm->source = x->msrc;
            vm->primary = true;
            vm->version = ver;
            vm->score10 = (int)lround(score * 10.0);
            vm->vector = vec;
            const char *sev = lf_json_get_str(d, "baseSeverity");
            vm->severity = ieq(sev, "NONE")       ? LF_SEV_NONE
                           : ieq(sev, "LOW")      ? LF_SEV_LOW
                           : ieq(sev, "MEDIUM")   ? LF_SEV_MEDIUM
                           : ieq(sev, "HIGH")     ? LF_SEV_HIGH
                           : ieq(sev, "CRITICAL") ? LF_SEV_CRITICAL
                                                  : lf_cvss_severity_of(ver, vm->score10);
        }
    }
    return LF_OK;
}

static int cwes_of(dctx *x, const lf_json *v, const char *vpath, lf_vdoc *out)
{
    const lf_json *one = get_typed(x, v, "cwe", LF_JSON_OBJECT, vpath);
    const lf_json *many = get_typed(x, v, "cwes", LF_JSON_ARRAY, vpath);   /* CSAF 2.1 */
    size_t n = (one ? 1 : 0) + lf_json_len(many);
    out->ncwe = 0;
    out->cwe = n ? lf_arena_alloc(x->a, n * sizeof(char *)) : NULL;
    if (n && !out->cwe)
        return LF_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        const lf_json *c = one && i == 0 ? one : lf_json_at(many, i - (one ? 1 : 0));
        const char *id = lf_json_get_str(c, "id");
        if (!id || strncmp(id, "CWE-", 4) != 0)
            continue;
        bool dup = false;
        for (size_t q = 0; q < out->ncwe && !dup; q++)
            dup = !strcmp(out->cwe[q], id);
        if (!dup)
            out->cwe[out->ncwe++] = id;
    }
    return LF_OK;
}

typedef struct refvec {
    lf_vref *v;
    size_t n, cap;
} refvec;

static int ref_add(dctx *x, refvec *rv, const char *url, uint32_t tags)
{
    if (!url || !url[0])
        return LF_OK;
    for (size_t i = 0; i < rv->n; i++)
        if (!strcmp(rv->v[i].url, url)) {
            rv->v[i].tags |= tags;
            return LF_OK;
        }
    if (lf_arena_grow(x->a, (void **)&rv->v, &rv->cap, rv->n, sizeof(lf_vref)))
        return LF_ENOMEM;
    rv->v[rv->n++] = (lf_vref){url, x->rsrc, tags};
    return LF_OK;
}

/* References in the order of C4. */
static int refs_of(dctx *x, const lf_json *doc_refs, const lf_json *v, const char *vpath, lf_vdoc *out)
{
    char path[192], field[224];
    refvec rv = {NULL, 0, 0};
    const lf_json *rems = get_typed(x, v, "remediations", LF_JSON_ARRAY, vpath);
    for (int pass = 0; pass < 3; pass++) {
        for (size_t i = 0; i < lf_json_len(rems); i++) {
            const lf_json *rm = lf_json_at(rems, i);
            snprintf(path, sizeof path, "%s.remediations[%zu]", vpath, i);
            if (!lf_json_is(rm, LF_JSON_OBJECT)) {
                if (pass == 0)
                    reportf(x, path, "remediation is %s, not an object; left out", lf_json_type_name(rm));
                continue;
            }
            const char *cat = lf_json_get_str(rm, "category");
            int kind = !cat ? 2 : !strcmp(cat, "vendor_fix") ? 0
                              : (!strcmp(cat, "mitigation") || !strcmp(cat, "workaround")) ? 1 : 2;
            if (pass == 0) {
                /* ids are checked once, on the first pass */
                get_str(x, rm, "category", path);
                snprintf(field, sizeof field, "%s.product_ids", path);
                check_ids(x, get_typed(x, rm, "product_ids", LF_JSON_ARRAY, path), field, false);
                snprintf(field, sizeof field, "%s.group_ids", path);
                check_ids(x, get_typed(x, rm, "group_ids", LF_JSON_ARRAY, path), field, true);
                get_str(x, rm, "url", path);
            }
            if (kind != pass)
                continue;
            uint32_t tags = kind == 0 ? (LF_REF_VENDOR_ADVISORY | LF_REF_PATCH)
                            : kind == 1 ? LF_REF_MITIGATION
                                        : LF_REF_VENDOR_ADVISORY;
            if (ref_add(x, &rv, lf_json_get_str(rm, "url"), tags))
                return LF_ENOMEM;
        }
    }
    for (size_t i = 0; i < lf_json_len(doc_refs); i++) {
        const lf_json *r = lf_json_at(doc_refs, i);
        const char *cat = lf_json_get_str(r, "category");
        if (cat && !strcmp(cat, "self") && ref_add(x, &rv, lf_json_get_str(r, "url"), LF_REF_VENDOR_ADVISORY))
            return LF_ENOMEM;
    }
    const lf_json *refs = get_typed(x, v, "references", LF_JSON_ARRAY, vpath);
    for (size_t i = 0; i < lf_json_len(refs); i++) {
        const lf_json *r = lf_json_at(refs, i);
        snprintf(path, sizeof path, "%s.references[%zu]", vpath, i);
        const char *url = get_str(x, r, "url", path);
        const char *cat = lf_json_get_str(r, "category");
        if (ref_add(x, &rv, url, cat && !strcmp(cat, "self") ? LF_REF_VENDOR_ADVISORY : 0))
            return LF_ENOMEM;
    }
    const lf_json *threats = get_typed(x, v, "threats", LF_JSON_ARRAY, vpath);
    for (size_t i = 0; i < lf_json_len(threats); i++) {
        snprintf(path, sizeof path, "%s.threats[%zu]", vpath, i);
        snprintf(field, sizeof field, "%s.product_ids", path);
        check_ids(x, get_typed(x, lf_json_at(threats, i), "product_ids", LF_JSON_ARRAY, path), field, false);
        snprintf(field, sizeof field, "%s.group_ids", path);
        check_ids(x, get_typed(x, lf_json_at(threats, i), "group_ids", LF_JSON_ARRAY, path), field, true);
    }
    out->ref = rv.v;
    out->nref = rv.n;
    return LF_OK;
}

/* "CVE-2023-0286 openssl: ..." -> "CVE-2023-0286" (arena); NULL when s starts otherwise. */
static const char *title_cve(dctx *x, const char *s)
{
    if (!s || strncmp(s, "CVE-", 4) != 0)
        return NULL;
    size_t n = 4, d = 0;
    while (is_digit(s[n]))
        n++, d++;
    if (d != 4 || s[n] != '-')
        return NULL;
    n++;
    d = 0;
    while (is_digit(s[n]) && d < 12)
        n++, d++;
    if (d < 4 || (s[n] && !is_space(s[n]) && s[n] != ':'))
        return NULL;
    const char *out = lf_arena_strndup(x->a, s, n);
    if (!out)
        x->oom = true;
    return out;
}

/* One vulnerability into a document (C1..C8). LF_OK, LF_ENOMEM, or LF_EPARSE when
 * it is left out (reported). */
static int vuln_doc(dctx *x, const lf_json *d, const lf_json *v, size_t index, lf_vdoc *out)
{
    char vpath[64];
    snprintf(vpath, sizeof vpath, "vulnerabilities[%zu]", index);
    memset(out, 0, sizeof *out);
    snprintf(x->eid, sizeof x->eid, "%s", x->tid);
    if (!lf_json_is(v, LF_JSON_OBJECT)) {
        reportf(x, vpath, "vulnerability is %s, not an object; left out", lf_json_type_name(v));
        return LF_EPARSE;
    }
    const char *vid = get_str(x, v, "cve", vpath);
    if (vid && !vid[0])
        vid = NULL;
    const lf_json *ids = get_typed(x, v, "ids", LF_JSON_ARRAY, vpath);
    if (!vid && lf_json_len(ids)) {
        vid = lf_json_get_str(lf_json_at(ids, 0), "text");
        if (vid && !vid[0])
            vid = NULL;
    }
    const char *title = get_str(x, v, "title", vpath);
    if (!vid)
        vid = title_cve(x, title);
    if (x->oom)
        return LF_ENOMEM;
    if (vid && strlen(vid) > 64) {
        reportf(x, vpath, "vulnerability id \"%.40s...\" is longer than 64 bytes; left out", vid);
        return LF_EPARSE;
    }
    const char *doc_id = vid ? adup_printf(x, "%s/%s", x->tid, vid) : adup_printf(x, "%s/#%zu", x->tid, index + 1);
    if (!doc_id)
        return LF_ENOMEM;
    out->source = LF_SRC_CSAF;
    out->authority = x->authority;
    out->doc_id = doc_id;
    out->vuln_id = vid ? vid : x->tid;
    snprintf(x->eid, sizeof x->eid, "%s", doc_id);
    const lf_json *tr = lf_json_get(lf_json_get(d, "document"), "tracking");
    out->published = lf_json_get_str(tr, "initial_release_date");
    out->modified = lf_json_get_str(tr, "current_release_date");
    if (!out->modified) {
        const lf_json *rh = lf_json_get(tr, "revision_history");
        for (size_t i = 0; i < lf_json_len(rh); i++) {
            const char *dt = lf_json_get_str(lf_json_at(rh, i), "date");
            if (dt && (!out->modified || strcmp(dt, out->modified) > 0))
                out->modified = dt;
        }
    }
    out->status = "";
    const char *lang = lf_json_get_str(lf_json_get(d, "document"), "lang");
    const lf_json *notes = get_typed(x, v, "notes", LF_JSON_ARRAY, vpath);
    if (!lang || istarts(lang, "en")) {
        for (int want = 0; want < 2 && !out->description; want++)
            for (size_t i = 0; i < lf_json_len(notes) && !out->description; i++) {
                const lf_json *nt = lf_json_at(notes, i);
                const char *cat = lf_json_get_str(nt, "category");
                const char *text = lf_json_get_str(nt, "text");
                if (cat && text && text[0] && !strcmp(cat, want ? "summary" : "description"))
                    out->description = text;
            }
    }
    if (metrics_of(x, v, vpath, out) || cwes_of(x, v, vpath, out) ||
        refs_of(x, lf_json_get(lf_json_get(d, "document"), "references"), v, vpath, out))
        return LF_ENOMEM;
    x->ncrit = 0;
    if (configs_of(x, v, vpath, out) || x->oom)
        return LF_ENOMEM;
    return LF_OK;
}

int lf_csaf_docs_from_json(lf_csaf_reader *r, const char *src, long line, const lf_json *d, lf_arena *a,
                           lf_vdoc **docs, size_t *ndocs, lf_err *err)
{
    *docs = NULL;
    *ndocs = 0;
    dctx x;
    memset(&x, 0, sizeof x);
    x.r = r;
    x.src = src;
    x.line = line;
    x.a = a;
    if (!lf_json_is(d, LF_JSON_OBJECT)) {
        lf_err_at(err, src, line, 0, NULL);
        return lf_err_set(err, LF_EPARSE, "CSAF document is not a JSON object");
    }
    const lf_json *doc = lf_json_get(d, "document");
    const lf_json *tr = lf_json_get(doc, "tracking");
    const char *tid = lf_json_get_str(tr, "id");
    if (!tid || !tid[0] || strlen(tid) > 48) {
        lf_err_at(err, src, line, 0, "document.tracking.id");
        return lf_err_set(err, LF_EPARSE, "document has no document.tracking.id (or one longer than 48 bytes); "
                                          "left out");
    }
    x.tid = tid;
    snprintf(x.eid, sizeof x.eid, "%s", tid);
    const char *cv = lf_json_get_str(doc, "csaf_version");
    if (cv && cv[0] != '2') {
        lf_err_at(err, src, line, 0, "document.csaf_version");
        lf_err_id(err, tid);
        return lf_err_set(err, LF_EPARSE, "csaf_version \"%.20s\" is not CSAF 2.x; document left out", cv);
    }
    r->st.advisories++;
    const lf_json *pub = get_typed(&x, doc, "publisher", LF_JSON_OBJECT, "document");
    x.rsrc = get_str(&x, pub, "name", "document.publisher");
    const char *pcat = lf_json_get_str(pub, "category");
    x.authority = pcat && !strcmp(pcat, "vendor") ? x.rsrc : NULL;
    x.msrc = get_str(&x, pub, "namespace", "document.publisher");
    if (!x.msrc)
        x.msrc = x.rsrc;
    if (!lf_json_get_str(tr, "current_release_date") && !lf_json_get(tr, "revision_history"))
        reportf(&x, "document.tracking.current_release_date",
                "no current_release_date, so a later import cannot tell whether it is newer");
    get_typed(&x, doc, "references", LF_JSON_ARRAY, "document");
    int rc = read_tree(&x, get_typed(&x, d, "product_tree", LF_JSON_OBJECT, ""));
    if (rc || x.oom)
        goto oom;
    const lf_json *vulns = get_typed(&x, d, "vulnerabilities", LF_JSON_ARRAY, "");
    size_t nv = lf_json_len(vulns);
    lf_vdoc *out = nv ? lf_arena_calloc(a, nv * sizeof(lf_vdoc)) : NULL;
    if (nv && !out)
        goto oom;
    size_t n = 0;
    for (size_t i = 0; i < nv; i++) {
        rc = vuln_doc(&x, d, lf_json_at(vulns, i), i, &out[n]);
        if (rc == LF_ENOMEM || x.oom)
            goto oom;
        if (rc == LF_OK)
            n++;
    }
    r->st.vulns += n;
    *docs = out;
    *ndocs = n;
    return LF_OK;
oom:
    lf_err_at(err, src, line, 0, NULL);
    lf_err_id(err, tid);
    return lf_err_set(err, LF_ENOMEM, "out of memory");
}

/* ------------------------------------------------------------------ import ---- */

int lf_csaf_reader_new(lf_feed_ctx *c, const lf_csaf_opts *opts, lf_csaf_reader **out, lf_err *err)
{
    *out = NULL;
    lf_csaf_reader *r = calloc(1, sizeof(*r));
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

void lf_csaf_reader_free(lf_csaf_reader *r)
{
    if (!r)
        return;
    lf_resolver_free(r->res);
    lf_arena_clear(&r->json_a);
    lf_arena_clear(&r->tmp);
    free(r);
}

void lf_csaf_reader_get_stats(const lf_csaf_reader *r, lf_csaf_stats *st)
{
    *st = r->st;
}

static int put_document(lf_csaf_reader *r, const lf_json *d, long line)
{
    lf_feed_ctx *c = r->c;
    c->report.records++;
    lf_arena_reset(&r->tmp);
    lf_vdoc *docs;
    size_t nd;
    lf_err e;
    lf_err_clear(&e);
    int rc = lf_csaf_docs_from_json(r, r->src, line, d, &r->tmp, &docs, &nd, &e);
    if (rc == LF_ENOMEM) {
        *r->fatal = e;
        return rc;
    }
    if (rc) {
        lf_feed_error(c, &e);
        return 0;
    }
    for (size_t i = 0; i < nd; i++) {
        if (r->opts.on_doc) {
            rc = r->opts.on_doc(r->opts.ud, &docs[i]);
            if (rc) {
                lf_err_clear(r->fatal);
                lf_err_at(r->fatal, r->src, line, 0, NULL);
                lf_err_id(r->fatal, docs[i].doc_id);
                return lf_err_set(r->fatal, rc < 0 ? rc : LF_EINVAL, "import stopped by the document callback");
            }
        }
        lf_put_result res;
        lf_err pe;
        lf_err_clear(&pe);
        rc = lf_vdb_builder_put(c->builder, &docs[i], false, &res, &pe);
        if (rc) {
            *r->fatal = pe;
            return rc;
        }
        lf_feed_count(c, res);
    }
    return 0;
}

static bool is_csaf(const lf_json *o)
{
    return lf_json_is(o, LF_JSON_OBJECT) && lf_json_is(lf_json_get(o, "document"), LF_JSON_OBJECT);
}

static int on_elem(void *ud, const lf_json *elem, size_t index, long line)
{
    lf_csaf_reader *r = ud;
    if (!is_csaf(elem)) {
        if (index == 0) {
            lf_err_clear(r->fatal);
            lf_err_at(r->fatal, r->src, line, 0, NULL);
            return lf_err_set(r->fatal, LF_EFORMAT, "not CSAF: the first array element has no \"document\" object");
        }
        r->c->report.records++;
        lf_err e;
        lf_err_clear(&e);
        lf_err_at(&e, r->src, line, 0, NULL);
        lf_err_set(&e, LF_EPARSE, "array element %zu is not a CSAF document (no \"document\" object); left out",
                   index);
        lf_feed_error(r->c, &e);
        return 0;
    }
    return put_document(r, elem, line);
}

static int refuse_object(const lf_json *root, const char *name, lf_err *err)
{
    lf_err_at(err, name, 1, 0, NULL);
    if (lf_json_get(root, "cveMetadata"))
        return lf_err_set(err, LF_EFORMAT, "this is a CVE JSON 5 record, not CSAF: use `feed import cve5`");
    if (lf_json_get(root, "vulnerabilities") || lf_json_get(root, "CVE_Items"))
        return lf_err_set(err, LF_EFORMAT, "this looks like NVD JSON, not CSAF (no \"document\" object)");
    return lf_err_set(err, LF_EFORMAT, "not CSAF: no \"document\" object");
}

int lf_csaf_reader_buffer(lf_csaf_reader *r, const char *name, const char *data, size_t len, lf_err *err)
{
    lf_feed_ctx *c = r->c;
    int rc = LF_OK;
    r->src = name;
    r->fatal = err;
    c->report.files++;
    c->report.bytes += len;
    size_t i = 0;
    if (len >= 3 && (unsigned char)data[0] == 0xef && (unsigned char)data[1] == 0xbb &&
        (unsigned char)data[2] == 0xbf)
        i = 3;
    while (i < len && is_space(data[i]))
        i++;
    lf_arena_reset(&r->json_a);
    if (i == len) {
        lf_err_at(err, name, 0, 0, NULL);
        rc = lf_err_set(err, LF_EFORMAT, "empty file: expected a CSAF document");
    } else if (data[i] == '[') {
        rc = lf_json_foreach(&r->json_a, data, len, NULL, NULL, on_elem, r, err);
    } else if (data[i] == '{') {
        lf_json *root;
        rc = lf_json_parse(&r->json_a, data, len, NULL, &root, err);
        if (rc == LF_OK)
            rc = is_csaf(root) ? put_document(r, root, 1) : refuse_object(root, name, err);
    } else {
        char b[8];
        lf_err_at(err, name, 1, (long)i + 1, NULL);
        rc = lf_err_set(err, LF_EFORMAT, "not JSON: starts with %s", lf_err_byte((unsigned char)data[i], b));
    }
    if (rc && !err->src[0])
        lf_err_at(err, name, err->line, err->col, NULL);
    if (c->on_progress)
        c->on_progress(c->ud, name, 1.0, c->report.records);
    lf_arena_reset(&r->json_a);
    lf_arena_reset(&r->tmp);
    r->fatal = NULL;
    return rc;
}

int lf_csaf_reader_file(lf_csaf_reader *r, const char *path, lf_err *err)
{
    char *data = NULL;
    size_t len = 0;
    int rc = lf_file_read(path, 0, &data, &len, err);
    if (rc)
        return rc;
    rc = lf_csaf_reader_buffer(r, path, data, len, err);
    free(data);
    return rc;
}

int lf_csaf_import_buffer(lf_feed_ctx *c, const lf_namedb *names, const char *name, const char *data, size_t len,
                          lf_err *err)
{
    lf_csaf_opts o = {names, NULL, NULL, NULL};
    lf_csaf_reader *r;
    int rc = lf_csaf_reader_new(c, &o, &r, err);
    if (rc)
        return rc;
    rc = lf_csaf_reader_buffer(r, name, data, len, err);
    lf_csaf_reader_free(r);
    return rc;
}

int lf_csaf_import_file(lf_feed_ctx *c, const lf_namedb *names, const char *path, lf_err *err)
{
    lf_csaf_opts o = {names, NULL, NULL, NULL};
    lf_csaf_reader *r;
    int rc = lf_csaf_reader_new(c, &o, &r, err);
    if (rc)
        return rc;
    rc = lf_csaf_reader_file(r, path, err);
    lf_csaf_reader_free(r);
    return rc;
}
