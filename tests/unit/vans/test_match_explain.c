/*
 * Differential test of src/vans/match.c against lf_explain (match.h): the optimised
 * matcher (per-CPE record cache, direct reviews, platform sets shared across
 * configurations and decided by a per-host memo) must decide as a plain three-valued
 * evaluation of NVD configuration semantics does. The relationship checked for every
 * host, every hit and every document of the index, (H1)-(H6), with no divergence
 * tolerated (K1, once tolerated, is fixed), are stated in fuzz/match_explain_check.h, which the
 * fuzz target fuzz/fuzz_match.c shares.
 *
 * Indexes: the bundled NVD sample (data/sample/nvd-sample.json.gz); the real NVD records
 * (the .json files of $LF_SHARED_DATA/nvd) when present (skipped otherwise); and three
 * built here from fixed seeds, with many AND configurations sharing platform nodes (the same
 * content in different configurations and documents, and near-identical nodes that
 * differ in one bound or its inclusivity), negated nodes (OR and AND, decidable or not),
 * node AND, platform-only configurations, firmware on hardware, OR configurations,
 * several documents and sources per vuln, not_affected configurations and documents
 * without configurations.
 *
 * Hosts are drawn with a fixed-seed PRNG from the index's own criteria: an item is a
 * criterion's name with its version set at, just below or just above one of the
 * product's bounds or exact versions, or missing ("*", "-"), or not orderable; plus
 * Windows, Linux, macOS or no OS, and hardware or none. Every host runs through three
 * matchers (default cache, smallest cache, no cache), one host after another so the
 * per-host memos carry over, then the same hosts run again (cached records replayed);
 * the three must give identical hits, and the relationship must hold for each host.
 * A stale or wrong platform-set value, for one, leaves the three matchers in agreement
 * (they share the fault) and is caught only here. test_match_explain_check_fails shows
 * the check itself rejects wrong hit lists (a MATCH dropped, weakened, moved, doubled).
 */
/* qsort_r (glibc): the criteria are sorted with their index as context, no global state */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../fuzz/match_explain_check.h"
#include "core/arena.h"
#include "feeds/feed.h"
#include "feeds/nvd.h"
#include "vans/match.h"
#include "vans/vulndb.h"

/* ------------------------------------------------------------ the PRNG ---- */

static uint32_t rnd(uint64_t *s)
{
    /* splitmix64: fixed seeds, the same hosts on every run and platform */
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return (uint32_t)((z ^ (z >> 31)) >> 32);
}

static uint32_t below(uint64_t *s, uint32_t n)
{
    return n ? rnd(s) % n : 0;
}

/* -------------------------------------------------------------- indexes ---- */

typedef struct fixture {
    char path[256];
    lf_vdb *db;
    mxc *x;
} fixture;

static void fx_open(fixture *fx, lf_vdb_builder *b, const char *tag)
{
    snprintf(fx->path, sizeof fx->path, "/tmp/lf-test-mx-%s-%ld.lfx", tag, (long)getpid());
    lf_err err;
    lf_err_clear(&err);
    assert_int_equal(lf_vdb_builder_write(b, fx->path, &err), LF_OK);
    lf_vdb_builder_free(b);
    assert_int_equal(lf_vdb_open(fx->path, &fx->db, &err), LF_OK);
    const char *why;
    fx->x = mxc_new(fx->db, &why);
    if (!fx->x)
        fail_msg("checker tables: %s", why);
}

static void fx_free(fixture *fx)
{
    mxc_free(fx->x);
    lf_vdb_close(fx->db);
    unlink(fx->path);
}

/* ----------------------------------------------------- the built index ---- */

/* Documents and everything they point to, in one arena. */
typedef struct built {
    lf_arena a;
    lf_vdoc *docs;
    size_t n, cap;
    uint64_t seed;
} built;

static const char *bs(built *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static const char *bs(built *b, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char *s = lf_arena_strdup(&b->a, buf);
    assert_non_null(s);
    return s;
}

/* A node under construction. */
typedef struct nbuf {
    lf_vcrit c[8];
    size_t n;
    bool op_and, negate;
} nbuf;

static void nb_add(nbuf *nb, bool vuln, const char *cpe, const char *s, bool si, const char *e, bool ei,
                   lf_vscheme sc)
{
    assert_true(nb->n < 8);
    nb->c[nb->n++] = (lf_vcrit){vuln, cpe, s, si, e, ei, sc, NULL};
}

static lf_vnode nb_commit(built *b, const nbuf *nb)
{
    lf_vcrit *c = lf_arena_alloc(&b->a, nb->n * sizeof(*c));
    assert_non_null(c);
    memcpy(c, nb->c, nb->n * sizeof(*c));
    return (lf_vnode){nb->op_and, nb->negate, nb->n, c};
}

static const char *const apps[] = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"};
#define NAPPS (sizeof apps / sizeof apps[0])

static const char *ver(built *b)
{
    return below(&b->seed, 4) ? bs(b, "%u.%u", below(&b->seed, 10), below(&b->seed, 10))
                              : bs(b, "%u.%u.%u", below(&b->seed, 10), below(&b->seed, 10), below(&b->seed, 20));
}

/* One criterion of product "part:vendor:product": every form of version and range. */
static void crit_of(built *b, nbuf *nb, bool vuln, const char *prod)
{
    const char *any = bs(b, "cpe:2.3:%s:*:*:*:*:*:*:*:*", prod);
    const char *lo = ver(b), *hi = ver(b);
    if (lf_version_cmp(lo, hi) > 0) {
        const char *t = lo;
        lo = hi;
        hi = t;
    }
    switch (below(&b->seed, 16)) {
    case 0: case 1: case 2: nb_add(nb, vuln, any, NULL, false, hi, false, LF_VS_GENERIC); break;
    case 3: case 4: nb_add(nb, vuln, any, lo, true, hi, false, LF_VS_GENERIC); break;
    case 5: nb_add(nb, vuln, any, lo, false, hi, true, LF_VS_GENERIC); break;
    case 6: nb_add(nb, vuln, any, NULL, false, hi, true, LF_VS_GENERIC); break;
    case 7: nb_add(nb, vuln, any, lo, true, NULL, false, LF_VS_GENERIC); break;
    case 8: case 9: nb_add(nb, vuln, bs(b, "cpe:2.3:%s:%s:*:*:*:*:*:*:*", prod, lo), NULL, false, NULL, false,
                           LF_VS_GENERIC); break;
    case 10: nb_add(nb, vuln, bs(b, "cpe:2.3:%s:%s:beta%u:*:*:*:*:*:*", prod, lo, below(&b->seed, 3)), NULL, false,
                    NULL, false, LF_VS_GENERIC); break;
    case 11: nb_add(nb, vuln, bs(b, "cpe:2.3:%s:-:*:*:*:*:*:*:*", prod), NULL, false, NULL, false, LF_VS_GENERIC);
             break;
    case 12: nb_add(nb, vuln, any, NULL, false, NULL, false, LF_VS_GENERIC); break;
    case 13: nb_add(nb, vuln, any, lo, true, hi, false, LF_VS_UNORDERED); break;
    case 14: nb_add(nb, vuln, bs(b, "cpe:2.3:%s:*:*:*:*:*:*:x64:*", prod), NULL, false, hi, false,
                    LF_VS_GENERIC); break;
    default: nb_add(nb, vuln, bs(b, "cpe:2.3:%s:%s.*:*:*:*:*:*:*:*", prod, lo), NULL, false, NULL, false,
                    LF_VS_GENERIC); break;
    }
}

static const char *app(built *b)
{
    return bs(b, "a:acme:%s", apps[below(&b->seed, NAPPS)]);
}

/* The shared platform nodes: several are the same content, some differ in one bound or
 * its inclusivity only, so platform sets must be neither merged nor split wrongly. */
#define NPLAT 18
static void platform_node(nbuf *nb, unsigned k)
{
    static const char *const w = "cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:*";
    static const char *const w10 = "cpe:2.3:o:microsoft:windows_10:*:*:*:*:*:*:*:*";
    static const char *const lk = "cpe:2.3:o:linux:linux_kernel:*:*:*:*:*:*:*:*";
    memset(nb, 0, sizeof *nb);
    switch (k) {
    case 0: case 12: nb_add(nb, false, w, NULL, false, NULL, false, LF_VS_GENERIC); break;
    case 1: case 13: nb_add(nb, false, w10, "10.0", true, "10.0.19045", false, LF_VS_GENERIC); break;
    case 2: nb_add(nb, false, w10, "10.0", true, "10.0.22000", false, LF_VS_GENERIC); break;
    case 3: nb_add(nb, false, w10, "10.0", true, "10.0.19045", true, LF_VS_GENERIC); break;
    case 4:
        nb_add(nb, false, w10, "10.0", true, "10.0.19045", false, LF_VS_GENERIC);
        nb_add(nb, false, "cpe:2.3:o:microsoft:windows_11:-:*:*:*:*:*:*:*", NULL, false, NULL, false, LF_VS_GENERIC);
        break;
    case 5: nb_add(nb, false, lk, "5.0", true, "6.1", false, LF_VS_GENERIC); break;
    case 6: nb_add(nb, false, "cpe:2.3:o:linux:linux_kernel:-:*:*:*:*:*:*:*", NULL, false, NULL, false,
                   LF_VS_GENERIC); break;
    case 7: nb_add(nb, false, "cpe:2.3:o:apple:macos:*:*:*:*:*:*:*:*", NULL, false, "14.0", false, LF_VS_GENERIC);
            break;
    case 8: nb_add(nb, false, "cpe:2.3:o:apple:mac_os_x:*:*:*:*:*:*:*:*", NULL, false, NULL, false, LF_VS_GENERIC);
            break;
    case 9: nb_add(nb, false, "cpe:2.3:a:acme:runtime:*:*:*:*:*:*:*:*", "2.0", true, "3.0", false, LF_VS_GENERIC);
            break;
    case 10: nb_add(nb, false, "cpe:2.3:o:debian:debian_linux:12:*:*:*:*:*:*:*", NULL, false, NULL, false,
                    LF_VS_GENERIC); break;
    case 11:
        nb_add(nb, false, w, NULL, false, NULL, false, LF_VS_GENERIC);
        nb_add(nb, false, "cpe:2.3:o:linux:linux_kernel:-:*:*:*:*:*:*:*", NULL, false, NULL, false, LF_VS_GENERIC);
        break;
    case 14: nb_add(nb, false, lk, "5.0", true, "6.1", true, LF_VS_GENERIC); break;
    case 15: nb_add(nb, false, "cpe:2.3:a:acme:runtime:*:*:*:*:*:*:*:*", "2.0", true, "3.0", true, LF_VS_GENERIC);
             break;
    case 16: nb_add(nb, false, "cpe:2.3:h:zyx:dev0:-:*:*:*:*:*:*:*", NULL, false, NULL, false, LF_VS_GENERIC); break;
    default:
        nb_add(nb, false, "cpe:2.3:h:zyx:dev0:-:*:*:*:*:*:*:*", NULL, false, NULL, false, LF_VS_GENERIC);
        nb_add(nb, false, "cpe:2.3:h:zyx:dev1:-:*:*:*:*:*:*:*", NULL, false, NULL, false, LF_VS_GENERIC);
        break;
    }
}

/* An application node: one to three vulnerable criteria, now and then a platform one. */
static void app_node(built *b, nbuf *nb, const char *prod)
{
    memset(nb, 0, sizeof *nb);
    size_t n = 1 + (below(&b->seed, 3) == 0) + (below(&b->seed, 6) == 0);
    for (size_t k = 0; k < n; k++)
        crit_of(b, nb, true, k && below(&b->seed, 2) ? app(b) : prod);
    if (below(&b->seed, 10) == 0)
        crit_of(b, nb, false, "a:acme:plugin");
}

static lf_vconfig config_of(built *b)
{
    nbuf nb[3];
    memset(nb, 0, sizeof nb);
    size_t nn = 1;
    bool op_and = false;
    const char *prod = app(b);
    unsigned shape = below(&b->seed, 100);
    if (shape < 22) {
        app_node(b, &nb[0], prod);                               /* one OR node */
    } else if (shape < 52) {
        /* application on platform, platform node first or second */
        unsigned f = below(&b->seed, 2);
        app_node(b, &nb[f], prod);
        platform_node(&nb[1 - f], below(&b->seed, NPLAT));
        nn = 2;
        op_and = true;
    } else if (shape < 60) {
        /* firmware on hardware */
        unsigned dev = below(&b->seed, 3), f = below(&b->seed, 2);
        memset(&nb[f], 0, sizeof nb[f]);
        crit_of(b, &nb[f], true, bs(b, "o:zyx:dev%u_firmware", dev));
        memset(&nb[1 - f], 0, sizeof nb[1 - f]);
        nb_add(&nb[1 - f], false, bs(b, "cpe:2.3:h:zyx:dev%u:-:*:*:*:*:*:*:*", dev), NULL, false, NULL, false,
               LF_VS_GENERIC);
        if (below(&b->seed, 3) == 0)
            nb_add(&nb[1 - f], false, bs(b, "cpe:2.3:h:zyx:dev%u:-:*:*:*:*:*:*:*", dev + 1), NULL, false, NULL,
                   false, LF_VS_GENERIC);
        nn = 2;
        op_and = true;
    } else if (shape < 68) {
        /* unless a hotfix (decidable or not), as an OR or an AND negated node */
        app_node(b, &nb[0], prod);
        crit_of(b, &nb[1], below(&b->seed, 4) == 0, "a:acme:hotfix");   /* now and then vulnerable */
        if (below(&b->seed, 3) == 0) {
            crit_of(b, &nb[1], false, "a:acme:addon");
            nb[1].op_and = below(&b->seed, 2);
        }
        nb[1].negate = true;
        nn = 2;
        op_and = below(&b->seed, 8) != 0;                        /* rarely an OR configuration */
    } else if (shape < 75) {
        /* node AND: the product with a plugin */
        memset(&nb[0], 0, sizeof nb[0]);
        crit_of(b, &nb[0], true, prod);
        crit_of(b, &nb[0], false, "a:acme:plugin");
        nb[0].op_and = true;
    } else if (shape < 80) {
        /* platform only: no vulnerable criterion at all */
        platform_node(&nb[0], below(&b->seed, NPLAT));
        if (below(&b->seed, 2)) {
            platform_node(&nb[1], below(&b->seed, NPLAT));
            nn = 2;
            op_and = true;
        }
    } else if (shape < 86) {
        /* OR configuration of two application nodes, one maybe AND */
        app_node(b, &nb[0], prod);
        app_node(b, &nb[1], app(b));
        nb[1].op_and = below(&b->seed, 2);
        nn = 2;
    } else if (shape < 94) {
        /* application, OS and runtime or device: three nodes */
        app_node(b, &nb[0], prod);
        platform_node(&nb[1], below(&b->seed, 9));
        platform_node(&nb[2], 9 + below(&b->seed, NPLAT - 9));
        nn = 3;
        op_and = true;
    } else {
        /* application on platform with the same platform node as many others */
        app_node(b, &nb[0], prod);
        platform_node(&nb[1], below(&b->seed, 2) ? 0 : 1);
        nn = 2;
        op_and = true;
    }
    lf_vnode *nodes = lf_arena_alloc(&b->a, nn * sizeof(*nodes));
    assert_non_null(nodes);
    for (size_t k = 0; k < nn; k++)
        nodes[k] = nb_commit(b, &nb[k]);
    return (lf_vconfig){op_and, nn, nodes, false};
}

static void built_index(fixture *fx, uint64_t seed, unsigned nvuln)
{
    built b;
    memset(&b, 0, sizeof b);
    lf_arena_init(&b.a, 0);
    b.seed = seed;
    b.cap = nvuln * 4;
    b.docs = calloc(b.cap, sizeof(*b.docs));
    assert_non_null(b.docs);
    static const lf_source srcs[] = {LF_SRC_NVD, LF_SRC_CVE5_CNA, LF_SRC_CSAF, LF_SRC_OSV};
    for (unsigned v = 0; v < nvuln; v++) {
        const char *cve = bs(&b, "CVE-2030-%04u", v);
        unsigned nd = 1 + below(&b.seed, 3), first = below(&b.seed, 4);
        for (unsigned k = 0; k < nd; k++) {
            lf_source src = srcs[(first + k) % 4];
            lf_vdoc *d = &b.docs[b.n++];
            memset(d, 0, sizeof *d);
            d->source = src;
            d->doc_id = src == LF_SRC_NVD ? cve : bs(&b, "%s-%04u", lf_source_name(src), v);
            d->vuln_id = cve;
            d->modified = "2030-01-01T00:00:00.000";
            d->status = "Analyzed";
            d->description = "test";
            if (below(&b.seed, 12) == 0) {
                /* no applicability data yet: the description names a product */
                d->status = "Awaiting Analysis";
                d->description = bs(&b, "Acme %s before %u.%u allows a crash.", apps[below(&b.seed, NAPPS)],
                                    1 + below(&b.seed, 9), below(&b.seed, 10));
                continue;
            }
            size_t nc = 1 + (below(&b.seed, 3) == 0) + (below(&b.seed, 6) == 0);
            bool na = src == LF_SRC_CSAF && below(&b.seed, 5) < 2;
            lf_vconfig *cf = lf_arena_alloc(&b.a, (nc + na) * sizeof(*cf));
            assert_non_null(cf);
            for (size_t c = 0; c < nc; c++)
                cf[c] = config_of(&b);
            if (na) {
                /* the vendor: fixed from a version on */
                nbuf nb;
                memset(&nb, 0, sizeof nb);
                const char *lo = ver(&b);
                nb_add(&nb, true, bs(&b, "cpe:2.3:%s:*:*:*:*:*:*:*:*", app(&b)), lo, true, NULL, false,
                       LF_VS_GENERIC);
                lf_vnode *n = lf_arena_alloc(&b.a, sizeof(*n));
                assert_non_null(n);
                *n = nb_commit(&b, &nb);
                cf[nc] = (lf_vconfig){false, 1, n, true};
            }
            d->config = cf;
            d->nconfig = nc + na;
        }
    }
    lf_vdb_builder *bl = lf_vdb_builder_new();
    assert_non_null(bl);
    lf_err err;
    lf_err_clear(&err);
    for (size_t i = 0; i < b.n; i++) {
        lf_put_result r;
        if (lf_vdb_builder_put(bl, &b.docs[i], false, &r, &err) != LF_OK)
            fail_msg("put %s: %s", b.docs[i].doc_id, err.msg);
    }
    fx_open(fx, bl, "built");
    free(b.docs);
    lf_arena_clear(&b.a);
}

static void nvd_index(fixture *fx, const char *const *files, size_t n, const char *tag)
{
    lf_vdb_builder *b = lf_vdb_builder_new();
    assert_non_null(b);
    lf_feed_ctx c;
    lf_feed_ctx_init(&c, b);
    lf_err err;
    lf_err_clear(&err);
    for (size_t i = 0; i < n; i++)
        if (lf_nvd_import_file(&c, files[i], &err) != LF_OK)
            fail_msg("%s: %s", files[i], err.msg);
    fx_open(fx, b, tag);
}

/* --------------------------------------------------------------- hosts ---- */

/* The index's criteria grouped by product, for drawing items. */
typedef struct pool {
    uint32_t *order;           /* criteria, by product key */
    uint32_t *gfirst, *gn;     /* groups in order */
    size_t ngroup;
    uint32_t *hw;              /* groups of hardware */
    size_t nhw;
} pool;

static int crit_key_cmp(const void *a, const void *b, void *ud)
{
    const mxc *cx = *(const mxc **)ud;
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    const char *kx = cx->crit[x].key ? cx->crit[x].key : "", *ky = cx->crit[y].key ? cx->crit[y].key : "";
    int c = strcmp(kx, ky);
    return c ? c : (x < y ? -1 : x > y);
}

static void pool_init(pool *p, const mxc *x)
{
    memset(p, 0, sizeof *p);
    p->order = malloc((x->ncrit + 1) * sizeof(uint32_t));
    p->gfirst = malloc((x->ncrit + 1) * sizeof(uint32_t));
    p->gn = malloc((x->ncrit + 1) * sizeof(uint32_t));
    p->hw = malloc((x->ncrit + 1) * sizeof(uint32_t));
    assert_true(p->order && p->gfirst && p->gn && p->hw);
    size_t n = 0;
    for (size_t c = 0; c < x->ncrit; c++)
        if (x->crit[c].key)
            p->order[n++] = (uint32_t)c;
    const mxc *ctx = x;
    qsort_r(p->order, n, sizeof(uint32_t), crit_key_cmp, &ctx);
    for (size_t k = 0; k < n; k++) {
        if (!k || strcmp(x->crit[p->order[k]].key, x->crit[p->order[k - 1]].key) != 0) {
            p->gfirst[p->ngroup] = (uint32_t)k;
            p->gn[p->ngroup] = 0;
            if (x->crit[p->order[k]].part == 'h')
                p->hw[p->nhw++] = (uint32_t)p->ngroup;
            p->ngroup++;
        }
        p->gn[p->ngroup - 1]++;
    }
    assert_true(p->ngroup > 0);
}

static void pool_free(pool *p)
{
    free(p->order);
    free(p->gfirst);
    free(p->gn);
    free(p->hw);
}

/* A version near v: itself, its last number one less or more, a pre-release of it, or
 * a point release after it. */
static void near_version(uint64_t *s, const char *v, char *out, size_t cap)
{
    size_t n = strlen(v), e = n;
    while (e && !(v[e - 1] >= '0' && v[e - 1] <= '9'))
        e--;
    size_t st = e;
    while (st && v[st - 1] >= '0' && v[st - 1] <= '9' && e - st < 9)
        st--;
    unsigned long num = e > st ? strtoul(v + st, NULL, 10) : 0;
    unsigned k = below(s, 6);
    /* a lower number when there is one, else an rc of it; a higher one, else a .1 */
    if (k == 2 && !(e > st && num > 0))
        k = 3;
    if (k == 4 && !(e > st))
        k = 5;
    if (k <= 1)
        snprintf(out, cap, "%s", v);
    else if (k == 2)
        snprintf(out, cap, "%.*s%lu%s", (int)st, v, num - 1, v + e);
    else if (k == 3)
        snprintf(out, cap, "%s-rc1", v);
    else if (k == 4)
        snprintf(out, cap, "%.*s%lu%s", (int)st, v, num + 1, v + e);
    else
        snprintf(out, cap, "%s.1", v);
}

/* An item drawn from group g: one of its criteria's names, attributes beyond the version
 * kept or not, with a version near one the product's criteria state (or none). */
static void draw_item(uint64_t *s, const fixture *fx, const pool *p, uint32_t g, lf_cpe *out)
{
    uint32_t c = p->order[p->gfirst[g] + below(s, p->gn[g])];
    lf_crit_info ci;
    assert_int_equal(lf_matcher_crit_info(fx->db, c, &ci), LF_OK);
    assert_int_equal(lf_cpe_parse(out, ci.cpe, strlen(ci.cpe), NULL), LF_OK);
    if (below(s, 3))
        for (int a = LF_CPE_UPDATE; a < LF_CPE_NATTR; a++)
            lf_cpe_set_any(out, a);
    /* a version some criterion of the product states */
    uint32_t o = p->order[p->gfirst[g] + below(s, p->gn[g])];
    assert_int_equal(lf_matcher_crit_info(fx->db, o, &ci), LF_OK);
    lf_cpe oc;
    assert_int_equal(lf_cpe_parse(&oc, ci.cpe, strlen(ci.cpe), NULL), LF_OK);
    char exact[LF_CPE_MAX] = "";
    if (lf_cpe_kind(&oc, LF_CPE_VERSION) == LF_CPE_VALUE && !lf_cpe_has_wildcards(&oc, LF_CPE_VERSION))
        lf_cpe_plain(&oc, LF_CPE_VERSION, exact, sizeof exact);
    const char *cand[3] = {ci.start, ci.end, exact[0] ? exact : NULL};
    const char *base = cand[below(s, 3)];
    for (int k = 0; k < 3 && !base; k++)
        base = cand[k];
    unsigned r = below(s, 100);
    char v[256];
    if (r < 6 || (!base && r < 50)) {
        lf_cpe_set_any(out, LF_CPE_VERSION);
        return;
    }
    if (r < 12 || !base) {
        lf_cpe_set_na(out, LF_CPE_VERSION);
        return;
    }
    if (r < 15)
        snprintf(v, sizeof v, "deadbeef%u", below(s, 10));
    else
        near_version(s, base, v, sizeof v);
    if (lf_cpe_set_plain(out, LF_CPE_VERSION, v, strlen(v)) != LF_OK)
        lf_cpe_set_any(out, LF_CPE_VERSION);
}

static const char *const oses[] = {
    "cpe:2.3:o:microsoft:windows_10:10.0.19045:*:*:*:*:*:*:*",
    "cpe:2.3:o:microsoft:windows_10:10.0.19044:*:*:*:*:*:*:*",
    "cpe:2.3:o:microsoft:windows_10:10.0.22000:*:*:*:*:*:*:*",
    "cpe:2.3:o:microsoft:windows_10:-:*:*:*:*:*:*:*",
    "cpe:2.3:o:microsoft:windows_11:23h2:*:*:*:*:*:*:*",
    "cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:*",
    "cpe:2.3:o:microsoft:windows_server_2019:-:*:*:*:*:*:*:*",
    "cpe:2.3:o:debian:debian_linux:12:*:*:*:*:*:*:*",
    "cpe:2.3:o:debian:debian_linux:11:*:*:*:*:*:*:*",
    "cpe:2.3:o:canonical:ubuntu_linux:22.04:*:*:*:*:*:*:*",
    "cpe:2.3:o:linux:linux_kernel:5.15:*:*:*:*:*:*:*",
    "cpe:2.3:o:linux:linux_kernel:6.1:*:*:*:*:*:*:*",
    "cpe:2.3:o:linux:linux_kernel:*:*:*:*:*:*:*:*",
    "cpe:2.3:o:apple:macos:13.0:*:*:*:*:*:*:*",
    "cpe:2.3:o:apple:macos:14.0:*:*:*:*:*:*:*",
    "cpe:2.3:o:apple:mac_os_x:10.15.7:*:*:*:*:*:*:*",
};
#define NOSES (sizeof oses / sizeof oses[0])
#define HOST_MAX 16

/* Host h of the stream seeded by seed: the same hosts again for the same arguments. */
static size_t draw_host(uint64_t *s, const fixture *fx, const pool *p, lf_cpe *items)
{
    size_t n = 0, napps = 1 + below(s, 8);
    for (size_t k = 0; k < napps; k++)
        draw_item(s, fx, p, below(s, (uint32_t)p->ngroup), &items[n++]);
    unsigned os = below(s, 4);   /* 0: none; 1: one; 2, 3: one, or two now and then */
    for (unsigned k = 0; os && k < 1u + (os == 3 && below(s, 3) == 0); k++) {
        const char *c = oses[below(s, NOSES)];
        assert_int_equal(lf_cpe_parse(&items[n++], c, strlen(c), NULL), LF_OK);
    }
    if (p->nhw && below(s, 2))
        draw_item(s, fx, p, p->hw[below(s, (uint32_t)p->nhw)], &items[n++]);
    /* shuffle: the item order decides which hit of a (vuln, item) comes first */
    for (size_t k = n; k > 1; k--) {
        size_t j = below(s, (uint32_t)k);
        lf_cpe t = items[k - 1];
        items[k - 1] = items[j];
        items[j] = t;
    }
    assert_true(n <= HOST_MAX);
    return n;
}

static void print_host(const lf_cpe *items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char s[LF_CPE_FS_BUF];
        lf_cpe_format_fs(&items[i], s, sizeof s);
        print_message("  item %zu: %s\n", i, s);
    }
}

static void same_hits(const lf_hit *a, size_t na, const lf_hit *b, size_t nb, const lf_cpe *items, size_t n,
                      const char *what)
{
    bool ok = na == nb;
    for (size_t k = 0; ok && k < na; k++)
        ok = a[k].kind == b[k].kind && a[k].vuln == b[k].vuln && a[k].item == b[k].item && a[k].ref == b[k].ref &&
             a[k].why == b[k].why;
    if (!ok) {
        print_host(items, n);
        fail_msg("%s: hits differ (%zu vs %zu)", what, na, nb);
    }
}

/*
 * nhosts hosts from seed, twice over (the second time the cached matchers replay their
 * records), through three matchers in a row: the relationship holds for every host and
 * the three lists are identical. Fills the default matcher's stats.
 */
static void run_hosts(fixture *fx, uint64_t seed, int nhosts, lf_matcher_stats *st)
{
    pool p;
    pool_init(&p, fx->x);
    lf_matcher *m[3];
    const size_t sizes[3] = {LF_MATCHER_CACHE_DEFAULT, LF_MATCHER_CACHE_MIN, 0};
    for (int k = 0; k < 3; k++) {
        lf_matcher_opts o = {.cache_bytes = sizes[k]};
        assert_int_equal(lf_matcher_new_opts(fx->db, &o, &m[k], NULL), LF_OK);
    }
    lf_cpe items[HOST_MAX];
    lf_hit *ref = NULL;
    size_t capref = 0;
    char msg[1024];
    for (int round = 0; round < 2; round++) {
        uint64_t s = seed;
        for (int h = 0; h < nhosts; h++) {
            size_t n = draw_host(&s, fx, &p, items);
            const lf_hit *hits;
            size_t nh;
            assert_int_equal(lf_matcher_run(m[0], items, n, &hits, &nh, NULL), LF_OK);
            if (nh > capref) {
                ref = realloc(ref, nh * sizeof(*ref));
                assert_non_null(ref);
                capref = nh;
            }
            if (nh)
                memcpy(ref, hits, nh * sizeof(*ref));
            for (int k = 1; k < 3; k++) {
                const lf_hit *hk;
                size_t nk;
                assert_int_equal(lf_matcher_run(m[k], items, n, &hk, &nk, NULL), LF_OK);
                same_hits(ref, nh, hk, nk, items, n, k == 1 ? "smallest cache" : "no cache");
            }
            int rc = mxc_check(fx->x, items, n, ref, nh, msg, sizeof msg);
            if (rc) {
                print_message("host %d of round %d (seed %llu):\n", h, round, (unsigned long long)seed);
                print_host(items, n);
                static const char *const kinds[] = {"MATCH", "REVIEW", "UNANALYSED"};
                for (size_t k = 0; k < nh; k++)
                    print_message("  hit %s %s item %u config %u: %s\n", kinds[ref[k].kind % 3],
                                  lf_vdb_vuln_id(fx->db, ref[k].vuln), ref[k].item, lf_hit_config(fx->db, &ref[k]),
                                  lf_hit_reason(&ref[k]) ? lf_hit_reason(&ref[k]) : "-");
                fail_msg("%s", rc > 0 ? "out of memory in the check" : msg);
            }
        }
    }
    lf_matcher_get_stats(m[0], st);
    const mxc_stats *x = &fx->x->st;
    print_message("  %llu host runs: hits match %llu review %llu unanalysed %llu; verdicts affected %llu review %llu "
                  "not-affected %llu outside %llu; completeness checks %llu (must-match %llu); platform-missing "
                  "reviews %llu; platform sets %llu decided %llu; cache hits %llu\n",
                  (unsigned long long)x->hosts, (unsigned long long)x->hits[0], (unsigned long long)x->hits[1],
                  (unsigned long long)x->hits[2], (unsigned long long)x->verdicts[LF_VERDICT_AFFECTED],
                  (unsigned long long)x->verdicts[LF_VERDICT_REVIEW],
                  (unsigned long long)x->verdicts[LF_VERDICT_NOT_AFFECTED],
                  (unsigned long long)x->verdicts[LF_VERDICT_OUTSIDE], (unsigned long long)x->complete,
                  (unsigned long long)x->strict_match, (unsigned long long)x->platform_missing,
                  (unsigned long long)st->platform_sets,
                  (unsigned long long)st->platform_decided, (unsigned long long)st->cache_hits);
    for (int k = 0; k < 3; k++)
        lf_matcher_free(m[k]);
    free(ref);
    pool_free(&p);
}

/* ---------------------------------------------------------------- tests ---- */

/* Hosts per index are multiplied by this (a longer search: -DMX_SCALE=20). */
#ifndef MX_SCALE
#define MX_SCALE 1
#endif

/* Generated indexes (three seeds): every configuration shape the matcher treats apart,
 * hosts near every bound; the counters show each part of the relationship was
 * exercised. */
static void test_match_explain_built(void **state)
{
    (void)state;
    static const uint64_t seeds[] = {20300101, 7, 424242};
    for (size_t k = 0; k < sizeof seeds / sizeof seeds[0]; k++) {
        fixture fx;
        built_index(&fx, seeds[k], 420);
        lf_matcher_stats st;
        run_hosts(&fx, seeds[k] + 1, 2000 * MX_SCALE, &st);
        const mxc_stats *x = &fx.x->st;
        assert_true(x->hits[LF_HIT_MATCH] > 1000);
        assert_true(x->hits[LF_HIT_REVIEW] > 500);
        assert_true(x->hits[LF_HIT_UNANALYSED] > 10);
        assert_true(x->strict_match > 1000);
        assert_true(x->platform_missing > 50);
        assert_true(x->verdicts[LF_VERDICT_NOT_AFFECTED] > 10);
        assert_true(st.platform_sets >= 10);
        assert_true(st.platform_decided > 1000);
        assert_true(st.cache_hits > 1000);
        fx_free(&fx);
    }
}

/* The bundled NVD sample, as fuzz/fuzz_match.c indexes it. */
static void test_match_explain_sample(void **state)
{
    (void)state;
    fixture fx;
    const char *f[] = {LF_SOURCE_DIR "/data/sample/nvd-sample.json.gz"};
    nvd_index(&fx, f, 1, "sample");
    lf_matcher_stats st;
    run_hosts(&fx, 11, 4000 * MX_SCALE, &st);
    assert_true(fx.x->st.strict_match > 100);
    assert_true(fx.x->st.hits[LF_HIT_REVIEW] > 100);
    fx_free(&fx);
}

/* The real NVD records of the shared data set, when it is there. */
static void test_match_explain_shared_data(void **state)
{
    (void)state;
    const char *dir = getenv("LF_SHARED_DATA");
    char path[1024];
    snprintf(path, sizeof path, "%s/nvd", dir ? dir : "");
    DIR *dh = dir ? opendir(path) : NULL;
    if (!dh) {
        print_message("  LF_SHARED_DATA/nvd not present: skipped\n");
        skip();
    }
    char **files = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(dh))) {
        size_t l = strlen(e->d_name);
        if (l < 6 || strcmp(e->d_name + l - 5, ".json") != 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            files = realloc(files, cap * sizeof(*files));
            assert_non_null(files);
        }
        files[n] = malloc(strlen(path) + l + 2);
        assert_non_null(files[n]);
        snprintf(files[n], strlen(path) + l + 2, "%s/%s", path, e->d_name);
        n++;
    }
    closedir(dh);
    if (!n) {
        print_message("  no records in %s: skipped\n", path);
        skip();
        return;
    }
    fixture fx;
    nvd_index(&fx, (const char *const *)files, n, "shared");
    lf_matcher_stats st;
    run_hosts(&fx, 13, 3000 * MX_SCALE, &st);
    assert_true(fx.x->st.strict_match > 50);
    fx_free(&fx);
    for (size_t i = 0; i < n; i++)
        free(files[i]);
    free(files);
}

/* The check can fail: a host's true hits pass, and each kind of wrong list is caught (a
 * MATCH dropped, turned into a REVIEW, pointed at another item, given twice). */
static void test_match_explain_check_fails(void **state)
{
    (void)state;
    fixture fx;
    built_index(&fx, 20300101, 420);
    pool p;
    pool_init(&p, fx.x);
    lf_matcher *m;
    assert_int_equal(lf_matcher_new(fx.db, &m, NULL), LF_OK);
    uint64_t s = 5;
    lf_cpe items[HOST_MAX];
    char msg[1024];
    int caught[4] = {0, 0, 0, 0}, tried = 0;
    for (int h = 0; h < 400 && tried < 40; h++) {
        size_t n = draw_host(&s, &fx, &p, items);
        const lf_hit *hits;
        size_t nh;
        assert_int_equal(lf_matcher_run(m, items, n, &hits, &nh, NULL), LF_OK);
        assert_int_equal(mxc_check(fx.x, items, n, hits, nh, msg, sizeof msg), 0);
        /* a MATCH whose document explain decides by this very criterion on this item */
        size_t k = 0;
        for (; k < nh; k++) {
            uint32_t d = lf_hit_doc(fx.db, &hits[k]);
            if (hits[k].kind == LF_HIT_MATCH && fx.x->v[d].item == hits[k].item &&
                fx.x->v[d].crit == lf_hit_crit(fx.db, &hits[k]) &&
                mxc_node_certain(&fx.x->config[fx.x->doc[d].config_first + fx.x->v[d].config]) &&
                mxc_decided(&fx.x->crit[fx.x->v[d].crit], &items[hits[k].item]))
                break;
        }
        if (k == nh || n < 2)
            continue;
        tried++;
        lf_hit bad[512];
        assert_true(nh + 1 <= 512);
        memcpy(bad, hits, nh * sizeof(*bad));
        /* dropped */
        memmove(bad + k, bad + k + 1, (nh - k - 1) * sizeof(*bad));
        caught[0] += mxc_check(fx.x, items, n, bad, nh - 1, msg, sizeof msg) < 0;
        /* a REVIEW instead (with the trial reason: a wrong platform-set value does this) */
        memcpy(bad, hits, nh * sizeof(*bad));
        bad[k].kind = LF_HIT_REVIEW;
        bad[k].why = 0;
        for (uint8_t w = 1; w < 32; w++) {
            lf_hit t = bad[k];
            t.why = w;
            if (mxc_reason(&t) == MXC_R_TRIAL)
                bad[k].why = w;
        }
        caught[1] += mxc_check(fx.x, items, n, bad, nh, msg, sizeof msg) < 0;
        /* on another item */
        memcpy(bad, hits, nh * sizeof(*bad));
        bad[k].item = (bad[k].item + 1) % (uint32_t)n;
        caught[2] += mxc_check(fx.x, items, n, bad, nh, msg, sizeof msg) < 0;
        /* twice */
        memcpy(bad, hits, nh * sizeof(*bad));
        bad[nh] = bad[k];
        caught[3] += mxc_check(fx.x, items, n, bad, nh + 1, msg, sizeof msg) < 0;
    }
    assert_true(tried >= 20);
    for (int k = 0; k < 4; k++)
        assert_int_equal(caught[k], tried);
    lf_matcher_free(m);
    pool_free(&p);
    fx_free(&fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_match_explain_check_fails),
        cmocka_unit_test(test_match_explain_built),
        cmocka_unit_test(test_match_explain_sample),
        cmocka_unit_test(test_match_explain_shared_data),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
