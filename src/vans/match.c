/*
 * match: host inventory x vulnerability index (see match.h for the semantics).
 *
 * The work splits by what it depends on.
 *
 *   Per item (item_build): the product probe, the criterion tests and the hints of
 *   documents without applicability data depend on the item's CPE alone. The result is
 *   an item record: the MATCH hits of TRIVIAL criteria (their configuration is one OR
 *   node, so a test that holds is a finding), the vulnerable criteria that matched or
 *   could not be decided in configurations that need evaluation ("pairs" and
 *   "reviews"), the products scanned, and the UNANALYSED hints. Records are kept in a
 *   bounded cache keyed by the CPE (cache_*, below), because inventories repeat the
 *   same CPEs on thousands of hosts.
 *
 *   Per host (lf_matcher_run): the records of its items are replayed in item order,
 *   then the configurations that need it are evaluated, in two passes, then the hints
 *   are emitted.
 *
 * Whether a criterion is matched by some item of the host (what node evaluation asks)
 * is known at once for the vulnerable ones: the record lists them (pairs, and "stamps"
 * for those that cannot make a hit) and replay stamps them. Matched platform criteria
 * (vulnerable: false) are not recorded: an OS item matches thousands of them (every
 * "running on Windows" criterion) and a host's configurations ask about a handful. The
 * record notes the products whose scan matched some (rec_scan), and crit_matched tests
 * such a criterion when a node asks, against the host's items that noted its product,
 * exactly as the scan would have (same block pruning, same test), and remembers the
 * answer for the host.
 *
 * One hit per (vuln, item), the first one emitted: trivial MATCH hits (during replay),
 * then pass 1, pass 2, then hints. Because the key holds the item, only hits of one
 * item can collide, so most of the de-duplication is done once per record when it is
 * built: trivial hits keep the first criterion of each vuln, a pair or review whose vuln
 * already has a trivial hit is marked NOHIT (it still stamps its criterion, its own hit
 * would be dropped), and hints keep the first of each vuln not already hit. Only the
 * hits of passes 1 and 2 (a few per item) go through the host's (vuln, item) set, and a
 * hint is checked against it only when its record has an evaluated criterion of the
 * same vuln (HINT_COLLIDE).
 *
 * Per host the matcher uses generation stamps instead of clearing arrays: an array slot
 * is "set for this host" when its stamp equals the current generation, so a host costs
 * time proportional to what it touches, not to the size of the index.
 */
#include "vans/match.h"
#include "vans/vulndb_int.h"

#include <stdlib.h>
#include <string.h>

#include "vans/version.h"

/* Flags in the high bits of a PCRIT position (lf_matcher_new checks the index fits). */
#define PC_MASK    0x3fffffffu
#define PC_NOHIT   0x80000000u   /* pair/review that can never make a hit itself */
#define PC_NEG     0x40000000u   /* review in a negated node */
/* Flags in the high bits of a hint's document index. */
#define HINT_RANGE   0x80000000u /* the description's version range includes the item */
#define HINT_COLLIDE 0x40000000u /* the record also evaluates a criterion of this vuln */

/* Why a criterion needs review. Indexes are stored in item records, so a record is
 * pointer-free and can be copied around. */
enum {
    R_NONE = 0,
    R_NO_VERSION,
    R_UNORDERED_RANGE,
    R_UNORDERABLE_ITEM,
    R_UPDATE,
    R_TARGET,
    R_NREASONS
};
static const char *const reason_text[R_NREASONS] = {
    [R_NONE] = NULL,
    [R_NO_VERSION] = "the inventory gives no version for a product with version-ranged vulnerabilities",
    [R_UNORDERED_RANGE] = "the affected range uses versions that cannot be ordered (e.g. git commits)",
    [R_UNORDERABLE_ITEM] = "the inventory version cannot be ordered against the affected range",
    [R_UPDATE] = "the affected version names an update level the inventory does not give",
    [R_TARGET] = "the affected build is for a platform (target_sw/target_hw) the inventory does not give",
};
static const char why_hint[] = "no applicability data yet; the description names this product";
static const char why_hint_range[] = "no applicability data yet; the description names this product and a version "
                                     "range that includes this version";

/* Item record parts; the same layout in the build scratch and in a cache entry. */
typedef struct rec_review {
    uint32_t pcf;              /* PCRIT position | PC_NOHIT | PC_NEG */
    uint32_t reason;           /* R_* */
} rec_review;
typedef struct rec_hint {
    uint32_t vuln;
    uint32_t docf;             /* document | HINT_RANGE | HINT_COLLIDE */
} rec_hint;

/* A product whose scan matched platform criteria that the record leaves out, and the
 * first block the scan did not reach. */
typedef struct rec_scan {
    uint32_t prodf;            /* product | SCAN_PLATFORM (a family's implied name) */
    uint32_t stop;             /* first block whose start is above the version */
} rec_scan;
#define SCAN_PLATFORM 0x80000000u

/* A view of one item record (in the build scratch or in the cache). */
typedef struct irec {
    const uint32_t *triv;      /* PCRIT positions of trivial MATCH hits, one per vuln */
    const uint32_t *pair;      /* PCRIT positions: matched, may make a hit, needs evaluation */
    const uint32_t *stamp;     /* CRIT indexes: vulnerable, matched, cannot make a hit */
    const rec_review *rev;
    const rec_hint *hint;
    const rec_scan *scan;
    uint32_t ntriv, npair, nstamp, nrev, nhint, nscan;
} irec;

/* Host state built from records. */
typedef struct pair {
    uint32_t pcf, item;
} pair;
typedef struct review {
    uint32_t pcf, item, reason;
} review;
typedef struct hhint {
    uint32_t item, vuln, docf;
} hhint;
/* An item of the host that scans a product (list per product, for crit_matched). */
typedef struct hscan {
    uint32_t item, prodf, stop, next;
    uint32_t ctx;              /* index in ictx once prepared, else UINT32_MAX */
} hscan;

/* An item as the criterion tests read it. */
typedef struct item_ctx {
    const lf_cpe *cpe;
    int vkind;
    unsigned char key[LF_VERSION_KEY_MAX];
    size_t keylen;
    bool orderable;
} item_ctx;

/* Small set of vulns with flag bits, for de-duplicating one item's record. */
#define IV_TRIV 1u
#define IV_DYN  2u
#define IV_HINT 4u
typedef struct vset {
    uint32_t *key, *stamp;
    uint8_t *val;
    size_t cap, n;
    uint32_t gen;
} vset;

/*
 * The result cache. Records live in nseg equal segments filled one after another; the
 * segment being filled is `cur`. When it is full the next one is swept: records used
 * since they were written (or since the last sweep) are moved down to the start of the
 * segment with their mark cleared, the others are dropped. So a record survives as long
 * as it is used about once per pass over the whole cache (CLOCK, one segment at a
 * time), and a burst of one-off CPEs cannot flush the popular ones.
 * The hash table (open addressing, linear probing, backward-shift deletion) maps the
 * CPE key to a record's offset; its size is part of the budget.
 */
#define CACHE_NSEG 32
typedef struct centry {
    uint32_t size;             /* bytes, header included, multiple of 8 */
    uint32_t tag;              /* hash bits; home slot = tag & mask */
    uint32_t ntriv, npair, nstamp, nrev, nhint, nscan;
    uint16_t keylen;
    uint8_t used;              /* looked up since written or since the last sweep */
    uint8_t pad_[5];
    /* then rec_review[nrev], rec_hint[nhint], rec_scan[nscan], uint32_t triv[ntriv],
     * uint32_t pair[npair], uint32_t stamp[nstamp], the key bytes, padding to 8 */
} centry;
typedef struct cslot {
    uint32_t tag, ref;         /* ref: byte offset / 8 + 1 in mem; 0 = empty */
} cslot;
typedef struct ccache {
    unsigned char *mem;
    size_t segbytes, fill, maxrec;
    size_t segfill[CACHE_NSEG];
    uint32_t cur;
    cslot *slot;
    size_t nslot, count, maxcount, used;
} ccache;

/* What crit_matched knows about a criterion (see CI_* below). */
typedef struct cinfo {
    uint32_t prod1;            /* product + 1, UINT32_MAX: none, 0: not read yet */
    uint32_t pcl;              /* PCRIT position | CI_* class << CI_SHIFT */
} cinfo;

/* Family of platform names: a resolved row of `families` (below). */
typedef struct fam {
    uint32_t prod;             /* implied product, UINT32_MAX when not in the index */
    uint16_t plen;
    bool exact;
} fam;

struct lf_matcher {
    const lf_vdb *db;
    uint32_t gen;
    uint32_t cgen;            /* generation of the node/config evaluation caches */
    uint32_t *later;          /* pairs whose configuration did not hold in pass 1 */
    size_t nlater, caplater;
    uint32_t *crit_stamp;     /* crit stamped this host (a pair; in pass 2 a review) */
    uint32_t *lazy_stamp;     /* crit_matched answered this host ... */
    uint8_t *lazy_val;        /* ... and its answer */
    cinfo *ci;                /* per criterion, for crit_matched */
    bool pass2;               /* undecided criteria are stamped */
    uint32_t *hp_stamp;       /* product scanned by some item this host ... */
    uint32_t *hp_head;        /* ... and its list in hscans */
    hscan *hscans;
    size_t nhscans, caphscans;
    item_ctx *ictx;           /* items prepared for crit_matched this host */
    size_t nictx, capictx;
    const lf_cpe *items;      /* the host being matched */
    uint32_t *node_stamp;     /* node evaluated this host ... */
    uint8_t *node_sat;        /* ... and its value */
    uint32_t *node_rstamp;    /* negated node holding an undecided criterion this host */
    uint32_t *config_stamp;
    uint8_t *config_sat;
    uint8_t *crit_part;       /* 'a'/'o'/'h'/'?' of a criterion's name, 0 = not read yet */
    pair *pairs;
    size_t npairs, cappairs;
    review *reviews;
    size_t nreviews, capreviews;
    hhint *hints;
    size_t nhints, caphints;
    lf_hit *hits;
    size_t nhits, caphits;
    size_t dyn_first;         /* hits[dyn_first..] are the pass 1/2 hits, all in seen */
    uint64_t *seen_key;       /* (vuln, item) pairs with a pass 1/2 hit this host */
    uint32_t *seen_gen;
    size_t capseen;
    /* the record being built for a cache miss */
    uint32_t *b_triv, *b_pair, *b_stamp;
    bool b_platform;          /* the product being scanned matched a platform criterion */
    rec_review *b_rev;
    rec_hint *b_hint;
    rec_scan *b_scan;
    size_t b_ntriv, b_captriv, b_npair, b_cappair, b_nstamp, b_capstamp, b_nrev, b_caprev, b_nhint, b_caphint,
        b_nscan, b_capscan;
    vset iv;
    fam *fams;
    bool cache_on;
    bool oom;                 /* an allocation failed where no error can be returned */
    ccache cache;
    lf_matcher_stats st;
};

#define GROW(arr, n, cap)                                                     \
    do {                                                                      \
        if ((n) == (cap)) {                                                   \
            size_t nc_ = (cap) ? (cap) * 2 : 64;                              \
            void *np_ = realloc((arr), nc_ * sizeof(*(arr)));                 \
            if (!np_)                                                         \
                return LF_ENOMEM;                                             \
            (arr) = np_;                                                      \
            (cap) = nc_;                                                      \
        }                                                                     \
    } while (0)

/* Make room for `more` elements beyond n. */
static int reserve(void **arr, size_t *cap, size_t n, size_t more, size_t elem)
{
    if (n + more <= *cap)
        return LF_OK;
    size_t nc = *cap ? *cap : 64;
    while (nc < n + more)
        nc *= 2;
    void *np = realloc(*arr, nc * elem);
    if (!np)
        return LF_ENOMEM;
    *arr = np;
    *cap = nc;
    return LF_OK;
}
#define RESERVE(arr, n, cap, more) reserve((void **)&(arr), &(cap), (n), (more), sizeof(*(arr)))

/* ------------------------------------------------------------- vuln set ---- */

static void vset_reset(vset *s)
{
    s->n = 0;
    if (++s->gen == 0) {
        if (s->stamp)
            memset(s->stamp, 0, s->cap * sizeof(*s->stamp));
        s->gen = 1;
    }
}

static size_t vset_home(uint32_t v, size_t mask)
{
    return (size_t)((v * 0x9e3779b1u) >> 8) & mask;
}

static uint8_t vset_get(const vset *s, uint32_t v)
{
    if (!s->cap)
        return 0;
    size_t mask = s->cap - 1;
    for (size_t j = vset_home(v, mask);; j = (j + 1) & mask) {
        if (s->stamp[j] != s->gen)
            return 0;
        if (s->key[j] == v)
            return s->val[j];
    }
}

static int vset_grow(vset *s)
{
    size_t nc = s->cap ? s->cap * 2 : 256;
    uint32_t *nk = malloc(nc * sizeof(*nk));
    uint32_t *ns = calloc(nc, sizeof(*ns));
    uint8_t *nv = malloc(nc);
    if (!nk || !ns || !nv) {
        free(nk);
        free(ns);
        free(nv);
        return LF_ENOMEM;
    }
    for (size_t i = 0; i < s->cap; i++) {
        if (s->stamp[i] != s->gen)
            continue;
        size_t j = vset_home(s->key[i], nc - 1);
        while (ns[j] == s->gen)
            j = (j + 1) & (nc - 1);
        ns[j] = s->gen;
        nk[j] = s->key[i];
        nv[j] = s->val[i];
    }
    free(s->key);
    free(s->stamp);
    free(s->val);
    s->key = nk;
    s->stamp = ns;
    s->val = nv;
    s->cap = nc;
    return LF_OK;
}

static int vset_or(vset *s, uint32_t v, uint8_t bits)
{
    if ((s->n + 1) * 2 > s->cap && vset_grow(s))
        return LF_ENOMEM;
    size_t mask = s->cap - 1;
    size_t j = vset_home(v, mask);
    while (s->stamp[j] == s->gen) {
        if (s->key[j] == v) {
            s->val[j] |= bits;
            return LF_OK;
        }
        j = (j + 1) & mask;
    }
    s->stamp[j] = s->gen;
    s->key[j] = v;
    s->val[j] = bits;
    s->n++;
    return LF_OK;
}

/* --------------------------------------------------------- criterion test ---- */

enum { T_NO = 0, T_YES = 1, T_REVIEW = 2 };

/*
 * Attributes beyond part/vendor/product/version (NISTIR 7696 comparison, criterion as
 * source). Inventories rarely fill them, so an ANY in the item against a value in the
 * criterion is read by kind of attribute:
 *   edition, language, sw_edition, other: product variants that NVD lists side by side
 *     (gitlab community and enterprise): the item is taken to be one of them (match);
 *   update, target_sw, target_hw: a patch level or the platform the build is for
 *     (LINE for iphone_os, jdk 1.8.0 update361): the answer depends on what the item
 *     does not say, so it goes to review.
 * Returns T_NO, T_YES, or T_REVIEW with *reason set.
 */
static int attrs_test(const lf_vdb *db, const vx_extra *x, const lf_cpe *item, bool update_in_version,
                      int *reason)
{
    int res = T_YES;
    for (int slot = update_in_version ? 2 : 1; slot < 8; slot++) {
        int a = LF_CPE_UPDATE + slot - 1;
        int ck = (int)((x->kinds >> (2 * slot)) & 3);
        int ik = lf_cpe_kind(item, a);
        if (ck == LF_CPE_ANY)
            continue;
        if (ik == LF_CPE_ANY && ck == LF_CPE_VALUE) {
            if (a == LF_CPE_UPDATE || a == LF_CPE_TARGET_SW || a == LF_CPE_TARGET_HW) {
                *reason = a == LF_CPE_UPDATE ? R_UPDATE : R_TARGET;
                res = T_REVIEW;
            }
            continue;
        }
        const char *cv = vx_str(db, x->val[slot]);
        const char *iv = lf_cpe_value(item, a);
        lf_cpe_rel r = lf_cpe_compare_values(ck, cv, strlen(cv), ik, iv ? iv : "", iv ? item->len[a] : 0);
        if (r != LF_CPE_SUPERSET && r != LF_CPE_EQUAL)
            return T_NO;
    }
    return res;
}

/* Version part of a criterion test. */
static int version_test(const lf_vdb *db, const vx_pcrit *c, const item_ctx *it, const vx_extra *x,
                        int *reason)
{
    uint32_t f = c->flags;
    bool ranged = (f & (VXC_HAS_START | VXC_HAS_END)) != 0;
    if (x && !(f & (VXC_VER_ANY | VXC_VER_NA)) && !c->ver_key) {
        /* version with wildcards (e.g. "1.2.*"): WFN comparison decides */
        if (it->vkind != LF_CPE_VALUE)
            goto review_missing;
        const char *cv = vx_str(db, x->val[0]);
        const char *iv = lf_cpe_value(it->cpe, LF_CPE_VERSION);
        lf_cpe_rel r = lf_cpe_compare_values(LF_CPE_VALUE, cv, strlen(cv), LF_CPE_VALUE, iv,
                                             it->cpe->len[LF_CPE_VERSION]);
        return (r == LF_CPE_SUPERSET || r == LF_CPE_EQUAL) ? T_YES : T_NO;
    }
    if (f & VXC_VER_NA) {
        if (it->vkind == LF_CPE_NA)
            return T_YES;
        /* NVD writes platform criteria with version NA ("windows:-" = Windows, any
         * version); for vulnerable criteria NA is exact (e.g. windows_10:- is 1507). */
        return (f & VXC_VULNERABLE) ? T_NO : T_YES;
    }
    if (c->ver_key) {
        if (it->vkind != LF_CPE_VALUE) {
            if (f & VXC_VULNERABLE)
                goto review_missing;
            return T_YES;
        }
        size_t kl;
        const unsigned char *k = vx_key(db, c->ver_key, &kl);
        if (!k || vx_keycmp(k, kl, it->key, it->keylen) != 0)
            return T_NO;
        if (!ranged)
            return T_YES;
    } else if (!ranged) {
        return T_YES;     /* version ANY, no range: every version */
    }
    if (!(f & VXC_VULNERABLE) && it->vkind != LF_CPE_VALUE)
        return T_YES;     /* platform gate with unknown version: the platform is present */
    if (it->vkind != LF_CPE_VALUE)
        goto review_missing;
    if (f & VXC_UNORDERED) {
        *reason = R_UNORDERED_RANGE;
        return T_REVIEW;
    }
    if (!it->orderable) {
        *reason = R_UNORDERABLE_ITEM;
        return T_REVIEW;
    }
    if (f & VXC_HAS_START) {
        size_t kl;
        const unsigned char *k = vx_key(db, c->start_key, &kl);
        int r = vx_keycmp(it->key, it->keylen, k ? k : (const unsigned char *)"", kl);
        if (r < 0 || (r == 0 && !(f & VXC_START_INCL)))
            return T_NO;
    }
    if (f & VXC_HAS_END) {
        size_t kl;
        const unsigned char *k = vx_key(db, c->end_key, &kl);
        int r = vx_keycmp(it->key, it->keylen, k ? k : (const unsigned char *)"", kl);
        if (r > 0 || (r == 0 && !(f & VXC_END_INCL)))
            return T_NO;
    }
    return T_YES;
review_missing:
    *reason = R_NO_VERSION;
    return T_REVIEW;
}

/* The item's version kind, memcmp-orderable key, and whether it can be ordered. */
static void item_prepare(item_ctx *it, const lf_cpe *c)
{
    it->cpe = c;
    it->vkind = lf_cpe_kind(c, LF_CPE_VERSION);
    it->keylen = 0;
    it->orderable = false;
    if (it->vkind == LF_CPE_VALUE) {
        char plain[LF_CPE_MAX];
        int pl = lf_cpe_plain(c, LF_CPE_VERSION, plain, sizeof plain);
        if (pl >= 0) {
            it->keylen = lf_version_key(plain, (size_t)pl, it->key, sizeof it->key);
            it->orderable = lf_version_orderable(plain, (size_t)pl);
        }
    }
}

/* Test one criterion against one item. */
static int crit_test(const lf_vdb *db, const vx_pcrit *c, const item_ctx *it, bool platform_only,
                     int *reason)
{
    uint32_t f = c->flags;
    if (platform_only && (f & VXC_VULNERABLE))
        return T_NO;
    if (!(f & VXC_COMPLEX))
        return version_test(db, c, it, NULL, reason);
    const vx_extra *x = &db->extra[c->extra - 1];
    int areason = R_NONE;
    if (x->combo_key && it->vkind == LF_CPE_VALUE && lf_cpe_kind(it->cpe, LF_CPE_UPDATE) == LF_CPE_ANY) {
        /* the inventory writes version and update as one ("9.1R11.4", "1.8.0_361",
         * "8.2p1"): equal to the criterion's version + update is this exact release */
        size_t kl;
        const unsigned char *k = vx_key(db, x->combo_key, &kl);
        if (k && vx_keycmp(k, kl, it->key, it->keylen) == 0) {
            int a2 = attrs_test(db, x, it->cpe, true, &areason);
            if (a2 == T_REVIEW && (f & VXC_VULNERABLE)) {
                *reason = areason;
                return T_REVIEW;
            }
            return a2 == T_NO ? T_NO : T_YES;
        }
    }
    int a = attrs_test(db, x, it->cpe, false, &areason);
    if (a == T_NO)
        return T_NO;
    int v = version_test(db, c, it, x, reason);
    if (v == T_YES && a == T_REVIEW) {
        if (!(f & VXC_VULNERABLE))
            return T_YES;   /* a platform gate is present whatever its build */
        *reason = areason;
        return T_REVIEW;
    }
    return v;
}

/*
 * Platform families: generic platform names NVD uses in running-on configurations, and
 * the inventory OS names that imply them. Only vulnerable:false criteria are tested for
 * an implied name, so an implied name never makes a finding on its own.
 */
typedef struct family {
    const char *prefix;      /* "o:vendor:product" prefix of the inventory item key */
    const char *implies;     /* product key implied */
} family;

static const family families[] = {
    {"o:microsoft:windows_", "o:microsoft:windows"},
    {"o:apple:macos\x01", "o:apple:mac_os_x"},     /* \x01: exact name, not a prefix */
    {"o:apple:mac_os_x\x01", "o:apple:macos"},
    {"o:debian:debian_linux", "o:linux:linux_kernel"},
    {"o:canonical:ubuntu_linux", "o:linux:linux_kernel"},
    {"o:redhat:enterprise_linux", "o:linux:linux_kernel"},
    {"o:redhat:linux", "o:linux:linux_kernel"},
    {"o:centos:centos", "o:linux:linux_kernel"},
    {"o:rockylinux:rocky_linux", "o:linux:linux_kernel"},
    {"o:almalinux:almalinux", "o:linux:linux_kernel"},
    {"o:fedoraproject:fedora", "o:linux:linux_kernel"},
    {"o:opensuse:leap", "o:linux:linux_kernel"},
    {"o:suse:linux_enterprise_server", "o:linux:linux_kernel"},
    {"o:oracle:linux", "o:linux:linux_kernel"},
    {"o:alpinelinux:alpine_linux", "o:linux:linux_kernel"},
};
#define NFAMILIES (sizeof families / sizeof families[0])

/* ------------------------------------------------------------ item build ---- */

/* Test one criterion for the record being built. */
static int test_one(lf_matcher *m, const vx_pcrit *c, const item_ctx *it, bool platform_only)
{
    const lf_vdb *db = m->db;
    m->st.criteria_tested++;
    int reason = R_NONE;
    int t = crit_test(db, c, it, platform_only, &reason);
    uint32_t pc = (uint32_t)(c - db->pcrit);
    if (t == T_YES) {
        if (c->flags & VXC_TRIVIAL) {
            /* its configuration is this one OR node: a vulnerable match is a hit at
             * once, with no stamp or configuration work (most NVD records); the first
             * criterion of a vuln in scan order makes it */
            if ((c->flags & VXC_VULNERABLE) && !(vset_get(&m->iv, c->vuln) & IV_TRIV)) {
                if (vset_or(&m->iv, c->vuln, IV_TRIV))
                    return LF_ENOMEM;
                GROW(m->b_triv, m->b_ntriv, m->b_captriv);
                m->b_triv[m->b_ntriv++] = pc;
            }
            return LF_OK;
        }
        if (!(c->flags & VXC_VULNERABLE)) {
            m->b_platform = true;   /* left to crit_matched */
            return LF_OK;
        }
        GROW(m->b_pair, m->b_npair, m->b_cappair);
        m->b_pair[m->b_npair++] = pc;
    } else if (t == T_REVIEW) {
        /* platform criteria too: an undecidable platform must not silently drop the
         * vulnerability it gates (pass 2 of lf_matcher_run) */
        GROW(m->b_rev, m->b_nrev, m->b_caprev);
        m->b_rev[m->b_nrev++] = (rec_review){pc, (uint32_t)reason};
    }
    return LF_OK;
}

/* Pruning is exact only when the item's key order decides every criterion: a version
 * that is missing or not orderable must meet every criterion so that none that would
 * say "needs review" is skipped. */
static bool item_prunes(const item_ctx *it)
{
    return it->vkind == LF_CPE_VALUE && it->orderable;
}

/* The scan of a product stops at the first block whose first start is above the
 * version ... */
static bool block_starts_above(const lf_vdb *db, const vx_block *bl, const item_ctx *it)
{
    if (bl->flags & VXB_START_NEG_INF)
        return false;
    size_t kl;
    const unsigned char *k = vx_key(db, bl->start_key, &kl);
    return vx_keycmp(k ? k : (const unsigned char *)"", kl, it->key, it->keylen) > 0;
}

/* ... and skips blocks whose largest end is below it. */
static bool block_ends_below(const lf_vdb *db, const vx_block *bl, const item_ctx *it)
{
    if (bl->flags & VXB_END_POS_INF)
        return false;
    size_t kl;
    const unsigned char *k = vx_key(db, bl->max_end_key, &kl);
    return vx_keycmp(k ? k : (const unsigned char *)"", kl, it->key, it->keylen) < 0;
}

/* Test the product's criteria the version can meet; *stop = the block it stopped at. */
static int scan_product(lf_matcher *m, uint32_t prod, const item_ctx *it, bool platform_only, uint32_t *stop)
{
    const lf_vdb *db = m->db;
    const vx_prod *p = &db->prod[prod];
    *stop = p->block_n;
    m->b_platform = false;
    if (item_prunes(it)) {
        for (uint32_t b = 0; b < p->block_n; b++) {
            const vx_block *bl = &db->block[p->block_first + b];
            if (block_starts_above(db, bl, it)) {
                *stop = b;
                break;
            }
            if (block_ends_below(db, bl, it))
                continue;
            uint32_t k0 = b * VX_BLOCK, k1 = k0 + VX_BLOCK < p->crit_n ? k0 + VX_BLOCK : p->crit_n;
            for (uint32_t k = k0; k < k1; k++)
                if (test_one(m, &db->pcrit[p->crit_first + k], it, platform_only))
                    return LF_ENOMEM;
        }
        return LF_OK;
    }
    for (uint32_t k = 0; k < p->crit_n; k++)
        if (test_one(m, &db->pcrit[p->crit_first + k], it, platform_only))
            return LF_ENOMEM;
    return LF_OK;
}

/* Note a scanned product in the record if crit_matched may need it. */
static int record_scan(lf_matcher *m, uint32_t prod, bool platform_only, uint32_t stop)
{
    if (!m->b_platform)
        return LF_OK;
    GROW(m->b_scan, m->b_nscan, m->b_capscan);
    m->b_scan[m->b_nscan++] = (rec_scan){prod | (platform_only ? SCAN_PLATFORM : 0), stop};
    return LF_OK;
}

/* Documents without applicability data that name the product: kept only when the
 * item's version is inside a range the description states (or the description states
 * none, or the version cannot be ordered). */
static int build_hints(lf_matcher *m, uint32_t prod, const item_ctx *it)
{
    const lf_vdb *db = m->db;
    const vx_prod *pp = &db->prod[prod];
    bool ord = it->vkind == LF_CPE_VALUE && it->orderable;
    for (uint32_t k = 0; k < pp->hint_n; k++) {
        uint32_t d = db->hintdoc[pp->hint_first + k];
        const vx_doc *xd = &db->doc[d];
        uint32_t docf = d;
        if (xd->drange_n && ord) {
            bool in = false;
            for (uint32_t r = 0; r < xd->drange_n && !in; r++) {
                const vx_drange *dr = &db->drange[xd->drange_first + r];
                size_t kl;
                bool ok = true;
                if (dr->start_key) {
                    const unsigned char *kk = vx_key(db, dr->start_key, &kl);
                    int c = vx_keycmp(it->key, it->keylen, kk ? kk : (const unsigned char *)"", kl);
                    ok = c > 0 || (c == 0 && (dr->flags & VXC_START_INCL));
                }
                if (ok && dr->end_key) {
                    const unsigned char *kk = vx_key(db, dr->end_key, &kl);
                    int c = vx_keycmp(it->key, it->keylen, kk ? kk : (const unsigned char *)"", kl);
                    ok = c < 0 || (c == 0 && (dr->flags & VXC_END_INCL));
                }
                in = ok;
            }
            if (!in)
                continue;
            docf |= HINT_RANGE;
        }
        /* a vuln already hit by this item (trivially, or by an earlier hint) keeps
         * that hit; one that a pass 1/2 hit may take is checked per host */
        uint8_t v = vset_get(&m->iv, xd->vuln);
        if (v & (IV_TRIV | IV_HINT))
            continue;
        if (v & IV_DYN)
            docf |= HINT_COLLIDE;
        if (vset_or(&m->iv, xd->vuln, IV_HINT))
            return LF_ENOMEM;
        GROW(m->b_hint, m->b_nhint, m->b_caphint);
        m->b_hint[m->b_nhint++] = (rec_hint){xd->vuln, docf};
    }
    return LF_OK;
}

/* Can a matched or undecided criterion make a hit of its own? Only a vulnerable one in
 * a non-negated node whose vuln has no trivial hit for this item (that hit is first). */
static bool rec_can_hit(lf_matcher *m, const vx_pcrit *c)
{
    return (c->flags & VXC_VULNERABLE) && !(m->db->node[c->node].flags & VXN_NEGATE) &&
           !(vset_get(&m->iv, c->vuln) & IV_TRIV);
}

/* Build the record of one item into the scratch (m->b_*) and return a view of it.
 * *tested says whether any product was scanned (a record of an item naming no known
 * product is empty and not worth a cache entry). */
static int item_build(lf_matcher *m, const lf_cpe *c, irec *out, bool *tested)
{
    const lf_vdb *db = m->db;
    m->b_ntriv = m->b_npair = m->b_nstamp = m->b_nrev = m->b_nhint = m->b_nscan = 0;
    *out = (irec){0};
    *tested = false;
    const char *part = lf_cpe_value(c, LF_CPE_PART);
    const char *vendor = lf_cpe_value(c, LF_CPE_VENDOR);
    const char *product = lf_cpe_value(c, LF_CPE_PRODUCT);
    if (!part || !vendor || !product)
        return LF_OK;   /* an item without vendor and product cannot name a product */
    char key[LF_CPE_MAX + 8];
    int kn = lf_vx_prod_key(part[0], vendor, c->len[LF_CPE_VENDOR], product, c->len[LF_CPE_PRODUCT], key,
                            sizeof key);
    if (kn < 0)
        return LF_OK;
    m->st.probes++;
    uint32_t p = lf_vx_find_prod(db, key, (size_t)kn, lf_vx_hash(key, (size_t)kn));
    uint32_t fprod[NFAMILIES];
    size_t nf = 0;
    for (size_t f = 0; f < NFAMILIES; f++) {
        const fam *fm = &m->fams[f];
        if (fm->prod == UINT32_MAX || (size_t)kn < fm->plen || memcmp(key, families[f].prefix, fm->plen) != 0 ||
            (fm->exact && (size_t)kn != fm->plen))
            continue;
        if (fm->prod == p)
            continue;   /* the item is the generic name itself */
        fprod[nf++] = fm->prod;
    }
    if (p == UINT32_MAX && !nf)
        return LF_OK;
    *tested = true;
    item_ctx it;
    item_prepare(&it, c);
    vset_reset(&m->iv);
    uint32_t stop;
    if (p != UINT32_MAX && (scan_product(m, p, &it, false, &stop) || record_scan(m, p, false, stop)))
        return LF_ENOMEM;
    for (size_t f = 0; f < nf; f++)
        if (scan_product(m, fprod[f], &it, true, &stop) || record_scan(m, fprod[f], true, stop))
            return LF_ENOMEM;
    /* pairs that cannot make a hit only stamp their criterion */
    size_t np = 0;
    for (size_t k = 0; k < m->b_npair; k++) {
        const vx_pcrit *pc = &db->pcrit[m->b_pair[k]];
        if (!rec_can_hit(m, pc)) {
            GROW(m->b_stamp, m->b_nstamp, m->b_capstamp);
            m->b_stamp[m->b_nstamp++] = pc->crit;
            continue;
        }
        if (vset_or(&m->iv, pc->vuln, IV_DYN))
            return LF_ENOMEM;
        m->b_pair[np++] = m->b_pair[k];
    }
    m->b_npair = np;
    for (size_t k = 0; k < m->b_nrev; k++) {
        const vx_pcrit *pc = &db->pcrit[m->b_rev[k].pcf];
        if (db->node[pc->node].flags & VXN_NEGATE)
            m->b_rev[k].pcf |= PC_NEG;
        if (!rec_can_hit(m, pc))
            m->b_rev[k].pcf |= PC_NOHIT;
        else if (vset_or(&m->iv, pc->vuln, IV_DYN))
            return LF_ENOMEM;
    }
    if (p != UINT32_MAX && db->prod[p].hint_n && build_hints(m, p, &it))
        return LF_ENOMEM;
    *out = (irec){m->b_triv, m->b_pair, m->b_stamp, m->b_rev, m->b_hint, m->b_scan,
                  (uint32_t)m->b_ntriv, (uint32_t)m->b_npair, (uint32_t)m->b_nstamp,
                  (uint32_t)m->b_nrev, (uint32_t)m->b_nhint, (uint32_t)m->b_nscan};
    return LF_OK;
}

/* ----------------------------------------------------------------- cache ---- */

/* The cache key of an item: every attribute's kind and value, so two items share a
 * record exactly when they are the same WFN (lf_cpe_equal). Returns the length, or 0
 * when the key would be longer than cap. */
static size_t item_key(const lf_cpe *c, unsigned char *out, size_t cap)
{
    size_t o = 0;
    for (int a = 0; a < LF_CPE_NATTR; a++) {
        if (o + 3 > cap)
            return 0;
        out[o++] = c->kind[a];
        if (c->kind[a] != LF_CPE_VALUE)
            continue;
        size_t n = c->len[a];
        if (o + 2 + n > cap)
            return 0;
        out[o++] = (unsigned char)(n & 0xff);
        out[o++] = (unsigned char)(n >> 8);
        memcpy(out + o, c->buf + c->off[a], n);
        o += n;
    }
    return o;
}

static uint64_t key_hash(const unsigned char *k, size_t n)
{
    uint64_t h = 0x243f6a8885a308d3ull ^ n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, k + i, 8);
        h = (h ^ w) * 0x9e3779b97f4a7c15ull;
        h ^= h >> 32;
    }
    uint64_t w = 0;
    for (size_t s = 0; i < n; i++, s += 8)
        w |= (uint64_t)k[i] << s;
    h = (h ^ w) * 0x9e3779b97f4a7c15ull;
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ull;
    return h ^ (h >> 32);
}

static size_t rec_bytes(const irec *r, size_t keylen)
{
    size_t n = sizeof(centry) + (size_t)r->nrev * sizeof(rec_review) + (size_t)r->nhint * sizeof(rec_hint) +
               (size_t)r->nscan * sizeof(rec_scan) + ((size_t)r->ntriv + r->npair + r->nstamp) * sizeof(uint32_t) +
               keylen;
    return (n + 7) & ~(size_t)7;
}

static void centry_view(const centry *e, irec *r, const unsigned char **key)
{
    const unsigned char *p = (const unsigned char *)(e + 1);
    r->nrev = e->nrev;
    r->nhint = e->nhint;
    r->ntriv = e->ntriv;
    r->npair = e->npair;
    r->nstamp = e->nstamp;
    r->nscan = e->nscan;
    r->rev = (const rec_review *)p;
    p += (size_t)e->nrev * sizeof(rec_review);
    r->hint = (const rec_hint *)p;
    p += (size_t)e->nhint * sizeof(rec_hint);
    r->scan = (const rec_scan *)p;
    p += (size_t)e->nscan * sizeof(rec_scan);
    r->triv = (const uint32_t *)p;
    p += (size_t)e->ntriv * sizeof(uint32_t);
    r->pair = (const uint32_t *)p;
    p += (size_t)e->npair * sizeof(uint32_t);
    r->stamp = (const uint32_t *)p;
    p += (size_t)e->nstamp * sizeof(uint32_t);
    *key = p;
}

static int cache_init(ccache *c, size_t budget)
{
    memset(c, 0, sizeof(*c));
    if (budget < LF_MATCHER_CACHE_MIN)
        budget = LF_MATCHER_CACHE_MIN;
    if (budget > LF_MATCHER_CACHE_MAX)
        budget = LF_MATCHER_CACHE_MAX;
    /* A record is about 200 bytes on NVD-scale data (key, a dozen hits, a few
     * pairs); the table gets 1/8 of the budget at 8 bytes a slot and load <= 3/4,
     * which holds a record per 85 bytes of records area: the area fills first. */
    size_t nslot = 1024;
    while (nslot * 2 * sizeof(cslot) <= budget / 8)
        nslot *= 2;
    size_t area = budget - nslot * sizeof(cslot);
    c->segbytes = (area / CACHE_NSEG) & ~(size_t)7;
    c->maxrec = c->segbytes / 2;
    c->mem = malloc(c->segbytes * CACHE_NSEG);
    c->slot = calloc(nslot, sizeof(cslot));
    if (!c->mem || !c->slot) {
        free(c->mem);
        free(c->slot);
        c->mem = NULL;
        c->slot = NULL;
        return LF_ENOMEM;
    }
    c->nslot = nslot;
    c->maxcount = nslot / 4 * 3;
    return LF_OK;
}

static void cache_clear(ccache *c)
{
    free(c->mem);
    free(c->slot);
    memset(c, 0, sizeof(*c));
}

static centry *cache_at(const ccache *c, uint32_t ref)
{
    return (centry *)(c->mem + (size_t)(ref - 1) * 8);
}

static centry *cache_find(ccache *c, uint32_t tag, const unsigned char *key, size_t keylen)
{
    size_t mask = c->nslot - 1;
    for (size_t j = tag & mask; c->slot[j].ref; j = (j + 1) & mask) {
        if (c->slot[j].tag != tag)
            continue;
        centry *e = cache_at(c, c->slot[j].ref);
        if (e->keylen != keylen)
            continue;
        irec r;
        const unsigned char *k;
        centry_view(e, &r, &k);
        if (memcmp(k, key, keylen) == 0)
            return e;
    }
    return NULL;
}

/* Slot of the record at ref (it is in the table). */
static size_t cache_slot_of(const ccache *c, uint32_t tag, uint32_t ref)
{
    size_t mask = c->nslot - 1;
    size_t j = tag & mask;
    while (c->slot[j].ref != ref)
        j = (j + 1) & mask;
    return j;
}

/* Backward-shift deletion: later slots of the run move up when their home allows, so
 * lookups never need tombstones. */
static void cache_unlink(ccache *c, size_t i)
{
    size_t mask = c->nslot - 1;
    for (size_t j = (i + 1) & mask; c->slot[j].ref; j = (j + 1) & mask) {
        size_t home = c->slot[j].tag & mask;
        /* slot j may fill the hole at i unless its home lies in (i, j] */
        bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
        if (stays)
            continue;
        c->slot[i] = c->slot[j];
        i = j;
    }
    c->slot[i].ref = 0;
    c->count--;
}

static uint32_t cache_ref(const ccache *c, const centry *e)
{
    return (uint32_t)(((const unsigned char *)e - c->mem) / 8 + 1);
}

/* Sweep segment s for reuse: used records move to its start (mark cleared), others go. */
static void cache_sweep(ccache *c, uint32_t s, uint64_t *evicted)
{
    unsigned char *base = c->mem + (size_t)s * c->segbytes;
    size_t w = 0;
    for (size_t o = 0; o < c->segfill[s];) {
        centry *e = (centry *)(base + o);
        size_t sz = e->size;
        size_t j = cache_slot_of(c, e->tag, cache_ref(c, e));
        if (e->used) {
            e->used = 0;
            if (w != o) {
                memmove(base + w, e, sz);
                c->slot[j].ref = cache_ref(c, (centry *)(base + w));
            }
            w += sz;
        } else {
            cache_unlink(c, j);
            c->used -= sz;
            (*evicted)++;
        }
        o += sz;
    }
    c->segfill[s] = w;
}

/* Store a record; returns false when it is not kept (too large). */
static bool cache_put(ccache *c, uint32_t tag, const unsigned char *key, size_t keylen, const irec *r,
                      uint64_t *evicted)
{
    size_t sz = rec_bytes(r, keylen);
    if (sz > c->maxrec)
        return false;
    /* Move on to the next segment while this one is full; a sweep clears marks, so
     * after one round every record is unmarked and the next sweep frees room. */
    for (int rounds = 0; c->segfill[c->cur] + sz > c->segbytes || c->count >= c->maxcount; rounds++) {
        if (rounds > 2 * CACHE_NSEG)
            return false;   /* cannot happen: two rounds empty every segment */
        c->cur = (c->cur + 1) % CACHE_NSEG;
        cache_sweep(c, c->cur, evicted);
    }
    centry *e = (centry *)(c->mem + (size_t)c->cur * c->segbytes + c->segfill[c->cur]);
    *e = (centry){(uint32_t)sz, tag, r->ntriv, r->npair, r->nstamp, r->nrev, r->nhint, r->nscan, (uint16_t)keylen,
                  0, {0}};
    unsigned char *p = (unsigned char *)(e + 1);
    memcpy(p, r->rev, (size_t)r->nrev * sizeof(rec_review));
    p += (size_t)r->nrev * sizeof(rec_review);
    memcpy(p, r->hint, (size_t)r->nhint * sizeof(rec_hint));
    p += (size_t)r->nhint * sizeof(rec_hint);
    memcpy(p, r->scan, (size_t)r->nscan * sizeof(rec_scan));
    p += (size_t)r->nscan * sizeof(rec_scan);
    memcpy(p, r->triv, (size_t)r->ntriv * sizeof(uint32_t));
    p += (size_t)r->ntriv * sizeof(uint32_t);
    memcpy(p, r->pair, (size_t)r->npair * sizeof(uint32_t));
    p += (size_t)r->npair * sizeof(uint32_t);
    memcpy(p, r->stamp, (size_t)r->nstamp * sizeof(uint32_t));
    p += (size_t)r->nstamp * sizeof(uint32_t);
    memcpy(p, key, keylen);
    c->segfill[c->cur] += sz;
    c->used += sz;
    size_t mask = c->nslot - 1;
    size_t j = tag & mask;
    while (c->slot[j].ref)
        j = (j + 1) & mask;
    c->slot[j] = (cslot){tag, cache_ref(c, e)};
    c->count++;
    return true;
}

/* ----------------------------------------------------------- matcher life ---- */

void lf_matcher_get_stats(const lf_matcher *m, lf_matcher_stats *st)
{
    *st = m->st;
    st->cache_entries = m->cache.count;
    st->cache_used = m->cache.used;
    st->cache_bytes = m->cache_on ? m->cache.segbytes * CACHE_NSEG + m->cache.nslot * sizeof(cslot) : 0;
}

void lf_matcher_opts_init(lf_matcher_opts *o)
{
    o->cache_bytes = LF_MATCHER_CACHE_DEFAULT;
}

int lf_matcher_new(const lf_vdb *db, lf_matcher **out, lf_err *err)
{
    return lf_matcher_new_opts(db, NULL, out, err);
}

int lf_matcher_new_opts(const lf_vdb *db, const lf_matcher_opts *opts, lf_matcher **out, lf_err *err)
{
    lf_matcher_opts dflt;
    lf_matcher_opts_init(&dflt);
    if (!opts)
        opts = &dflt;
    *out = NULL;
    /* records keep flags in the high bits of criterion and document indexes */
    if (db->nprodcrit > PC_MASK || db->ndoc > PC_MASK)
        return lf_err_set(err, LF_ELIMIT, "index too large for the matcher (%zu criteria, %zu documents)",
                          db->nprodcrit, db->ndoc);
    lf_matcher *m = calloc(1, sizeof(*m));
    if (!m)
        return lf_err_set(err, LF_ENOMEM, "out of memory");
    m->db = db;
    m->crit_stamp = calloc(db->ncrit + 1, sizeof(uint32_t));
    m->node_stamp = calloc(db->nnode + 1, sizeof(uint32_t));
    m->node_sat = calloc(db->nnode + 1, 1);
    m->node_rstamp = calloc(db->nnode + 1, sizeof(uint32_t));
    m->config_stamp = calloc(db->nconfig + 1, sizeof(uint32_t));
    m->config_sat = calloc(db->nconfig + 1, 1);
    m->crit_part = calloc(db->ncrit + 1, 1);
    m->lazy_stamp = calloc(db->ncrit + 1, sizeof(uint32_t));
    m->lazy_val = calloc(db->ncrit + 1, 1);
    m->ci = calloc(db->ncrit + 1, sizeof(cinfo));
    m->hp_stamp = calloc(db->nprod + 1, sizeof(uint32_t));
    m->hp_head = calloc(db->nprod + 1, sizeof(uint32_t));
    m->fams = calloc(NFAMILIES, sizeof(fam));
    if (!m->crit_stamp || !m->node_stamp || !m->node_sat || !m->node_rstamp || !m->config_stamp ||
        !m->config_sat || !m->crit_part || !m->lazy_stamp || !m->lazy_val || !m->ci || !m->hp_stamp ||
        !m->hp_head || !m->fams)
        goto oom;
    for (size_t f = 0; f < NFAMILIES; f++) {
        size_t fl = strlen(families[f].prefix);
        bool exact = fl && families[f].prefix[fl - 1] == '\x01';
        const char *imp = families[f].implies;
        m->fams[f].plen = (uint16_t)(exact ? fl - 1 : fl);
        m->fams[f].exact = exact;
        m->fams[f].prod = lf_vx_find_prod(db, imp, strlen(imp), lf_vx_hash(imp, strlen(imp)));
    }
    if (opts->cache_bytes) {
        if (cache_init(&m->cache, opts->cache_bytes))
            goto oom;
        m->cache_on = true;
    }
    *out = m;
    return LF_OK;
oom:
    lf_matcher_free(m);
    return lf_err_set(err, LF_ENOMEM, "out of memory for matcher state");
}

void lf_matcher_free(lf_matcher *m)
{
    if (!m)
        return;
    free(m->crit_stamp);
    free(m->node_stamp);
    free(m->node_sat);
    free(m->node_rstamp);
    free(m->config_stamp);
    free(m->config_sat);
    free(m->crit_part);
    free(m->lazy_stamp);
    free(m->lazy_val);
    free(m->ci);
    free(m->hp_stamp);
    free(m->hp_head);
    free(m->hscans);
    free(m->ictx);
    free(m->b_scan);
    free(m->pairs);
    free(m->reviews);
    free(m->hints);
    free(m->hits);
    free(m->later);
    free(m->seen_key);
    free(m->seen_gen);
    free(m->b_triv);
    free(m->b_pair);
    free(m->b_stamp);
    free(m->b_rev);
    free(m->b_hint);
    free(m->iv.key);
    free(m->iv.stamp);
    free(m->iv.val);
    free(m->fams);
    cache_clear(&m->cache);
    free(m);
}

/* ------------------------------------------------------- host evaluation ---- */

/* Add an item's record to the host: its trivial hits, its stamps, its pairs, reviews
 * and hints. Copies everything, so the record may be evicted afterwards. */
static int replay(lf_matcher *m, const irec *r, uint32_t item)
{
    const lf_vdb *db = m->db;
    if (RESERVE(m->hits, m->nhits, m->caphits, r->ntriv) || RESERVE(m->pairs, m->npairs, m->cappairs, r->npair) ||
        RESERVE(m->reviews, m->nreviews, m->capreviews, r->nrev) ||
        RESERVE(m->hints, m->nhints, m->caphints, r->nhint) ||
        RESERVE(m->hscans, m->nhscans, m->caphscans, r->nscan))
        return LF_ENOMEM;
    for (uint32_t k = 0; k < r->nscan; k++) {
        uint32_t p = r->scan[k].prodf & ~SCAN_PLATFORM;
        uint32_t next = m->hp_stamp[p] == m->gen ? m->hp_head[p] : UINT32_MAX;
        m->hp_stamp[p] = m->gen;
        m->hp_head[p] = (uint32_t)m->nhscans;
        m->hscans[m->nhscans++] = (hscan){item, r->scan[k].prodf, r->scan[k].stop, next, UINT32_MAX};
    }
    lf_hit *h = m->hits + m->nhits;
    for (uint32_t k = 0; k < r->ntriv; k++) {
        const vx_pcrit *c = &db->pcrit[r->triv[k]];
        h[k] = (lf_hit){LF_HIT_MATCH, c->vuln, c->doc, item, c->crit, c->config_ord, NULL};
    }
    m->nhits += r->ntriv;
    for (uint32_t k = 0; k < r->npair; k++) {
        m->crit_stamp[db->pcrit[r->pair[k]].crit] = m->gen;
        m->pairs[m->npairs++] = (pair){r->pair[k], item};
    }
    for (uint32_t k = 0; k < r->nstamp; k++)
        m->crit_stamp[r->stamp[k]] = m->gen;
    for (uint32_t k = 0; k < r->nrev; k++) {
        uint32_t pcf = r->rev[k].pcf;
        if (pcf & PC_NEG)
            m->node_rstamp[db->pcrit[pcf & PC_MASK].node] = m->gen;
        m->reviews[m->nreviews++] = (review){pcf, item, r->rev[k].reason};
    }
    for (uint32_t k = 0; k < r->nhint; k++)
        m->hints[m->nhints++] = (hhint){item, r->hint[k].vuln, r->hint[k].docf};
    return LF_OK;
}

/* The item of a host scan entry, prepared for criterion tests (once per host). */
static const item_ctx *host_item(lf_matcher *m, hscan *hs)
{
    if (hs->ctx == UINT32_MAX) {
        if (m->nictx == m->capictx) {
            size_t nc = m->capictx ? m->capictx * 2 : 8;
            item_ctx *np = realloc(m->ictx, nc * sizeof(*np));
            if (!np)
                return NULL;
            m->ictx = np;
            m->capictx = nc;
        }
        item_prepare(&m->ictx[m->nictx], &m->items[hs->item]);
        hs->ctx = (uint32_t)m->nictx++;
    }
    return &m->ictx[hs->ctx];
}

/*
 * What crit_matched needs to know about a criterion, filled in on first use and kept
 * for the matcher's life (8 bytes a criterion, so node evaluation reads one small
 * array instead of the criterion and PCRIT records):
 *   CI_STAMP    only a stamp can make it matched: vulnerable (the records list every
 *               vulnerable match), trivial (never stamped), or in no product's list;
 *   CI_ALWAYS   a platform criterion every item meets whose scan reaches its block
 *               (version NA, nothing else to compare, in a block with an unbounded
 *               end so the version never skips it): matched iff the block is before
 *               the scan's stop;
 *   CI_TEST     another platform criterion: crit_matched_slow tests it;
 *   CI_PRODUCT  not vulnerable, product known, the rest not read yet (ci_resolve).
 */
enum { CI_PRODUCT = 0, CI_STAMP = 1, CI_ALWAYS = 2, CI_TEST = 3 };
#define CI_SHIFT 30

/* Classify every criterion in product p's list (once per product). */
static void ci_resolve(lf_matcher *m, uint32_t p)
{
    const lf_vdb *db = m->db;
    const vx_prod *pp = &db->prod[p];
    for (uint32_t k = 0; k < pp->crit_n; k++) {
        uint32_t pc = pp->crit_first + k;
        const vx_pcrit *c = &db->pcrit[pc];
        if (db->crit[c->crit].prod != p)
            continue;   /* listed under another product: a scan of p does not make it */
        uint32_t cl = CI_TEST;
        const vx_block *bl = &db->block[pp->block_first + k / VX_BLOCK];
        if (c->flags & (VXC_VULNERABLE | VXC_TRIVIAL))
            cl = CI_STAMP;
        else if ((c->flags & VXC_VER_NA) && !(c->flags & VXC_COMPLEX) && (bl->flags & VXB_END_POS_INF))
            cl = CI_ALWAYS;
        m->ci[c->crit] = (cinfo){p + 1, pc | (cl << CI_SHIFT)};
    }
}

/* Would some item's scan have found platform criterion crit (at PCRIT position pc, in
 * product p) matched? The same test the scan makes, on the same items, reached only if
 * the scan reached it. */
static bool crit_matched_slow(lf_matcher *m, uint32_t p, uint32_t pc, bool *oom)
{
    const lf_vdb *db = m->db;
    const vx_pcrit *c = &db->pcrit[pc];
    const vx_prod *pp = &db->prod[p];
    uint32_t b = (pc - pp->crit_first) / VX_BLOCK;
    for (uint32_t h = m->hp_head[p]; h != UINT32_MAX; h = m->hscans[h].next) {
        hscan *hs = &m->hscans[h];
        const item_ctx *it = host_item(m, hs);
        if (!it) {
            *oom = true;
            return false;
        }
        if (item_prunes(it) && (b >= hs->stop || block_ends_below(db, &db->block[pp->block_first + b], it)))
            continue;
        int reason = R_NONE;
        if (crit_test(db, c, it, (hs->prodf & SCAN_PLATFORM) != 0, &reason) == T_YES)
            return true;
    }
    return false;
}

/* Is criterion crit matched by some item of the host (pairs and stamps; platform
 * criteria the scans matched; in pass 2 also the undecided criteria)? */
static bool crit_matched(lf_matcher *m, uint32_t crit)
{
    const lf_vdb *db = m->db;
    cinfo ci = m->ci[crit];
    if (!ci.prod1) {
        const vx_crit *cr = &db->crit[crit];
        bool prod_ok = cr->prod < db->nprod;
        ci.prod1 = prod_ok ? cr->prod + 1 : UINT32_MAX;
        ci.pcl = (uint32_t)(prod_ok && !(cr->flags & VXC_VULNERABLE) ? CI_PRODUCT : CI_STAMP) << CI_SHIFT;
        m->ci[crit] = ci;
    }
    uint32_t cl = ci.pcl >> CI_SHIFT;
    /* platform criteria are stamped only in pass 2 (undecided ones) */
    if ((cl == CI_STAMP || m->pass2) && m->crit_stamp[crit] == m->gen)
        return true;
    if (cl == CI_STAMP)
        return false;
    uint32_t p = ci.prod1 - 1;
    if (m->hp_stamp[p] != m->gen)
        return false;   /* no item of the host matched a platform criterion of p */
    if (cl == CI_PRODUCT) {
        ci_resolve(m, p);
        ci = m->ci[crit];
        cl = ci.pcl >> CI_SHIFT;
        if (cl == CI_PRODUCT) {
            m->ci[crit].pcl = (uint32_t)CI_STAMP << CI_SHIFT;   /* not in p's list */
            return false;
        }
        if (cl == CI_STAMP)
            return false;   /* trivial: the stamp was checked above */
    }
    uint32_t pc = ci.pcl & PC_MASK;
    if (cl == CI_ALWAYS) {
        uint32_t b = (pc - db->prod[p].crit_first) / VX_BLOCK;
        for (uint32_t h = m->hp_head[p]; h != UINT32_MAX; h = m->hscans[h].next)
            if (b < m->hscans[h].stop)
                return true;
        return false;
    }
    if (m->lazy_stamp[crit] == m->gen)
        return m->lazy_val[crit];
    bool oom = false;
    bool v = crit_matched_slow(m, p, pc, &oom);
    if (oom) {
        m->oom = true;
        return false;
    }
    m->lazy_stamp[crit] = m->gen;
    m->lazy_val[crit] = v;
    return v;
}

static bool node_eval(lf_matcher *m, uint32_t ni)
{
    if (m->node_stamp[ni] == m->cgen)
        return m->node_sat[ni];
    const vx_node *n = &m->db->node[ni];
    bool and = (n->flags & VXN_AND) != 0;
    bool sat = and ? n->crit_n > 0 : false;
    for (uint32_t k = 0; k < n->crit_n; k++) {
        bool hit = crit_matched(m, n->crit_first + k);
        if (and && !hit) {
            sat = false;
            break;
        }
        if (!and && hit) {
            sat = true;
            break;
        }
    }
    if (n->flags & VXN_NEGATE)
        sat = !sat;
    m->node_stamp[ni] = m->cgen;
    m->node_sat[ni] = sat;
    return sat;
}

/* Does the configuration have a negated node holding a criterion that could not be
 * decided for this host? */
static bool negated_undecided(lf_matcher *m, uint32_t ci)
{
    const vx_config *c = &m->db->config[ci];
    for (uint32_t k = 0; k < c->node_n; k++)
        if (m->node_rstamp[c->node_first + k] == m->gen)
            return true;
    return false;
}

static bool config_eval(lf_matcher *m, uint32_t ci)
{
    if (m->config_stamp[ci] == m->cgen)
        return m->config_sat[ci];
    const vx_config *c = &m->db->config[ci];
    bool sat = c->op_and ? c->node_n > 0 : false;
    for (uint32_t k = 0; k < c->node_n; k++) {
        bool s = node_eval(m, c->node_first + k);
        if (c->op_and && !s) {
            sat = false;
            break;
        }
        if (!c->op_and && s) {
            sat = true;
            break;
        }
    }
    m->config_stamp[ci] = m->cgen;
    m->config_sat[ci] = sat;
    return sat;
}

/* Part letter of a criterion's name, read from the index once: the name is in the
 * string pool, far from everything else the matcher touches. */
static char crit_part(lf_matcher *m, uint32_t crit)
{
    if (!m->crit_part[crit]) {
        const char *s = vx_str(m->db, m->db->crit[crit].cpe);
        char part = strlen(s) > 8 ? s[8] : '?';
        m->crit_part[crit] = (uint8_t)(part == 'a' || part == 'o' || part == 'h' ? part : '?');
    }
    return (char)m->crit_part[crit];
}

/*
 * A configuration that is not satisfied only because a platform is missing from an
 * inventory that names no platform of that kind at all (no hardware listed for a
 * firewall whose firmware is vulnerable; no OS listed for a Windows-only application)
 * is not evidence of safety: the inventory is silent. Such a case goes to review.
 * A host that lists another platform of the kind (Linux instead of Windows, a
 * different device model) is a real non-match.
 */
static bool only_platform_missing(lf_matcher *m, uint32_t config, const bool has_part[3])
{
    const lf_vdb *db = m->db;
    const vx_config *cf = &db->config[config];
    if (!cf->op_and)
        return false;
    bool missing = false;
    for (uint32_t k = 0; k < cf->node_n; k++) {
        uint32_t ni = cf->node_first + k;
        if (node_eval(m, ni))
            continue;
        const vx_node *n = &db->node[ni];
        if (n->flags & (VXN_NEGATE | VXN_AND))
            return false;
        for (uint32_t q = 0; q < n->crit_n; q++) {
            const vx_crit *c = &db->crit[n->crit_first + q];
            if (c->flags & VXC_VULNERABLE)
                return false;
            char part = crit_part(m, n->crit_first + q);
            int pi = part == 'a' ? 0 : part == 'o' ? 1 : part == 'h' ? 2 : -1;
            if (pi < 0 || has_part[pi])
                return false;
        }
        missing = true;
    }
    return missing;
}

/*
 * One hit per (vuln, item) for the hits of passes 1 and 2 (the record builder already
 * took out those that a trivial hit or hint precedes, see the top of this file). The
 * set is an open-addressing table stamped with the host generation, so it is never
 * cleared.
 */
static size_t seen_home(uint64_t k, size_t mask)
{
    return (size_t)((k * 0x9e3779b97f4a7c15ull) >> 32) & mask;
}

static int seen_grow(lf_matcher *m)
{
    size_t nc = m->capseen ? m->capseen * 2 : 1024;
    uint64_t *nk = malloc(nc * sizeof(*nk));
    uint32_t *ng = calloc(nc, sizeof(*ng));
    if (!nk || !ng) {
        free(nk);
        free(ng);
        return LF_ENOMEM;
    }
    /* re-insert this host's pairs: they are exactly the pass 1/2 hits so far */
    for (size_t i = m->dyn_first; i < m->nhits; i++) {
        uint64_t k = ((uint64_t)m->hits[i].vuln << 32) | m->hits[i].item;
        size_t j = seen_home(k, nc - 1);
        while (ng[j] == m->gen)
            j = (j + 1) & (nc - 1);
        ng[j] = m->gen;
        nk[j] = k;
    }
    free(m->seen_key);
    free(m->seen_gen);
    m->seen_key = nk;
    m->seen_gen = ng;
    m->capseen = nc;
    return LF_OK;
}

static bool seen_has(const lf_matcher *m, uint32_t vuln, uint32_t item)
{
    if (!m->capseen)
        return false;
    uint64_t k = ((uint64_t)vuln << 32) | item;
    size_t mask = m->capseen - 1;
    for (size_t j = seen_home(k, mask); m->seen_gen[j] == m->gen; j = (j + 1) & mask)
        if (m->seen_key[j] == k)
            return true;
    return false;
}

static int push_hit(lf_matcher *m, lf_hit h)
{
    if ((m->nhits - m->dyn_first + 1) * 2 > m->capseen && seen_grow(m))
        return LF_ENOMEM;
    uint64_t k = ((uint64_t)h.vuln << 32) | h.item;
    size_t mask = m->capseen - 1;
    size_t j = seen_home(k, mask);
    while (m->seen_gen[j] == m->gen) {
        if (m->seen_key[j] == k)
            return LF_OK;          /* this (vuln, item) has a hit of an equal or stronger kind */
        j = (j + 1) & mask;
    }
    m->seen_gen[j] = m->gen;
    m->seen_key[j] = k;
    GROW(m->hits, m->nhits, m->caphits);
    m->hits[m->nhits++] = h;
    return LF_OK;
}

/* The record of one item: from the cache, or built (and offered to the cache). */
static int item_record(lf_matcher *m, const lf_cpe *c, irec *r)
{
    bool tested;
    if (!m->cache_on || !lf_cpe_value(c, LF_CPE_VENDOR) || !lf_cpe_value(c, LF_CPE_PRODUCT))
        return item_build(m, c, r, &tested);
    unsigned char key[512];
    size_t kl = item_key(c, key, sizeof key);
    if (!kl)
        return item_build(m, c, r, &tested);
    uint32_t tag = (uint32_t)key_hash(key, kl);
    centry *e = cache_find(&m->cache, tag, key, kl);
    if (e) {
        m->st.cache_hits++;
        e->used = 1;
        const unsigned char *k;
        centry_view(e, r, &k);
        return LF_OK;
    }
    m->st.cache_misses++;
    if (item_build(m, c, r, &tested))
        return LF_ENOMEM;
    if (!tested || !cache_put(&m->cache, tag, key, kl, r, &m->st.cache_evicted))
        m->st.cache_uncached++;
    return LF_OK;
}

int lf_matcher_run(lf_matcher *m, const lf_cpe *items, size_t nitems, const lf_hit **hits,
                   size_t *nhits, lf_err *err)
{
    const lf_vdb *db = m->db;
    if (++m->gen == 0) {
        /* wrapped after 4 G hosts: clear once */
        memset(m->crit_stamp, 0, (db->ncrit + 1) * sizeof(uint32_t));
        if (m->seen_gen)
            memset(m->seen_gen, 0, m->capseen * sizeof(uint32_t));
        memset(m->node_rstamp, 0, (db->nnode + 1) * sizeof(uint32_t));
        memset(m->lazy_stamp, 0, (db->ncrit + 1) * sizeof(uint32_t));
        memset(m->hp_stamp, 0, (db->nprod + 1) * sizeof(uint32_t));
        m->gen = 1;
    }
    if (++m->cgen == 0) {
        memset(m->node_stamp, 0, (db->nnode + 1) * sizeof(uint32_t));
        memset(m->config_stamp, 0, (db->nconfig + 1) * sizeof(uint32_t));
        m->cgen = 1;
    }
    m->npairs = m->nreviews = m->nhits = m->nhints = m->nhscans = m->nictx = 0;
    m->dyn_first = 0;
    m->items = items;
    m->oom = false;
    m->pass2 = false;
    if (nitems > UINT32_MAX)
        return lf_err_set(err, LF_ELIMIT, "too many inventory items for one host");

    bool has_part[3] = {false, false, false};   /* a, o, h */
    for (size_t i = 0; i < nitems; i++) {
        const char *part = lf_cpe_value(&items[i], LF_CPE_PART);
        if (part)
            has_part[part[0] == 'a' ? 0 : part[0] == 'o' ? 1 : 2] = true;
    }
    for (size_t i = 0; i < nitems; i++) {
        irec r;
        if (item_record(m, &items[i], &r) || replay(m, &r, (uint32_t)i))
            goto oom;
    }

    /* Pass 1: MATCH hits of satisfied configurations (vulnerable matched criteria in
     * satisfied, non-negated nodes). Pairs whose configuration does not hold are kept
     * for pass 2. */
    m->dyn_first = m->nhits;
    m->nlater = 0;
    for (size_t pi = 0; pi < m->npairs; pi++) {
        const pair *pr = &m->pairs[pi];
        const vx_pcrit *c = &db->pcrit[pr->pcf];
        const vx_node *n = &db->node[c->node];
        if (!node_eval(m, c->node) || !config_eval(m, n->config)) {
            GROW(m->later, m->nlater, m->caplater);
            m->later[m->nlater++] = (uint32_t)pi;
            continue;
        }
        if (negated_undecided(m, n->config)) {
            /* it holds only if an undecided negated condition (a hotfix whose
             * version cannot be ordered, say) is absent: review */
            if (push_hit(m, (lf_hit){LF_HIT_REVIEW, c->vuln, c->doc, pr->item, c->crit, c->config_ord,
                                     "holds unless a condition that cannot be decided for this inventory "
                                     "(a negated criterion) applies"}))
                goto oom;
            continue;
        }
        if (push_hit(m, (lf_hit){LF_HIT_MATCH, c->vuln, c->doc, pr->item, c->crit, c->config_ord, NULL}))
            goto oom;
    }

    /* Pass 2, the trial: every criterion that could not be decided for this host
     * (vulnerable or platform) counts as present, and configurations are evaluated
     * again. What holds only then is REVIEW, never a silent miss; so is a running-on
     * configuration whose platform is of a kind the inventory does not list at all. */
    if (m->nlater || m->nreviews) {
        if (++m->cgen == 0) {
            memset(m->node_stamp, 0, (db->nnode + 1) * sizeof(uint32_t));
            memset(m->config_stamp, 0, (db->nconfig + 1) * sizeof(uint32_t));
            m->cgen = 1;
        }
        /* undecided counts as present, except in negated nodes, where present is the
         * restrictive choice: there it stays absent */
        m->pass2 = true;
        for (size_t ri = 0; ri < m->nreviews; ri++)
            if (!(m->reviews[ri].pcf & PC_NEG))
                m->crit_stamp[db->pcrit[m->reviews[ri].pcf & PC_MASK].crit] = m->gen;
        static const char platform_missing[] =
            "vulnerable only on a platform (OS or device) this inventory does not list; check the platform";
        for (size_t li = 0; li < m->nlater; li++) {
            const pair *pr = &m->pairs[m->later[li]];
            const vx_pcrit *c = &db->pcrit[pr->pcf];
            const vx_node *n = &db->node[c->node];
            const char *why = NULL;
            if (node_eval(m, c->node) && config_eval(m, n->config))
                why = "the configuration holds only if a criterion that cannot be decided for this inventory "
                      "does (a platform or component version that is missing or cannot be ordered)";
            else if (node_eval(m, c->node) && only_platform_missing(m, n->config, has_part))
                why = platform_missing;
            if (why && push_hit(m, (lf_hit){LF_HIT_REVIEW, c->vuln, c->doc, pr->item, c->crit, c->config_ord, why}))
                goto oom;
        }
        for (size_t ri = 0; ri < m->nreviews; ri++) {
            const review *rv = &m->reviews[ri];
            if (rv->pcf & PC_NOHIT)
                continue;   /* not vulnerable, in a negated node, or hit already */
            const vx_pcrit *c = &db->pcrit[rv->pcf & PC_MASK];
            const char *why = reason_text[rv->reason];
            if (!(c->flags & VXC_TRIVIAL)) {
                /* a trivial criterion stamped above satisfies its one-node OR
                 * configuration; the others are evaluated */
                const vx_node *n = &db->node[c->node];
                if (!node_eval(m, c->node))
                    continue;
                if (!config_eval(m, n->config)) {
                    if (!only_platform_missing(m, n->config, has_part))
                        continue;
                    why = platform_missing;
                }
            }
            if (push_hit(m, (lf_hit){LF_HIT_REVIEW, c->vuln, c->doc, rv->item, c->crit, c->config_ord, why}))
                goto oom;
        }
    }

    if (m->oom)
        goto oom;

    /* last: the hints of documents without applicability data */
    if (RESERVE(m->hits, m->nhits, m->caphits, m->nhints))
        goto oom;
    for (size_t k = 0; k < m->nhints; k++) {
        const hhint *hh = &m->hints[k];
        if ((hh->docf & HINT_COLLIDE) && seen_has(m, hh->vuln, hh->item))
            continue;
        m->hits[m->nhits++] = (lf_hit){LF_HIT_UNANALYSED, hh->vuln, hh->docf & PC_MASK, hh->item, UINT32_MAX,
                                       UINT32_MAX, (hh->docf & HINT_RANGE) ? why_hint_range : why_hint};
    }
    m->st.hosts++;
    m->st.items += nitems;
    m->st.hits += m->nhits;
    *hits = m->hits;
    *nhits = m->nhits;
    return LF_OK;
oom:
    return lf_err_set(err, LF_ENOMEM, "out of memory while matching");
}

int lf_matcher_crit_info(const lf_vdb *db, uint32_t crit, lf_crit_info *out)
{
    if (crit >= db->ncrit)
        return LF_ENOTFOUND;
    const vx_crit *c = &db->crit[crit];
    const vx_node *n = &db->node[c->node];
    const vx_config *cf = &db->config[n->config];
    out->cpe = vx_str(db, c->cpe);
    out->start = (c->flags & VXC_HAS_START) ? vx_str(db, c->start) : NULL;
    out->end = (c->flags & VXC_HAS_END) ? vx_str(db, c->end) : NULL;
    out->start_incl = (c->flags & VXC_START_INCL) != 0;
    out->end_incl = (c->flags & VXC_END_INCL) != 0;
    out->vulnerable = (c->flags & VXC_VULNERABLE) != 0;
    out->match_id = c->match_id ? vx_str(db, c->match_id) : NULL;
    out->node_ordinal = c->node - cf->node_first;
    return LF_OK;
}

const char *lf_vdb_vuln_id(const lf_vdb *db, uint32_t vuln)
{
    return vuln < db->nvuln ? vx_str(db, db->vuln[vuln].vuln_id) : "";
}

const lf_vkev *lf_vdb_vuln_kev(const lf_vdb *db, uint32_t vuln, lf_vkev *tmp)
{
    if (vuln >= db->nvuln || !db->vuln[vuln].kev)
        return NULL;
    const vx_kev *k = &db->kev[db->vuln[vuln].kev - 1];
    *tmp = (lf_vkev){vx_str(db, k->cve), vx_str(db, k->added), vx_str(db, k->due),
                     vx_str(db, k->action), vx_str(db, k->ransom), vx_str(db, k->name),
                     vx_str(db, k->vendor), vx_str(db, k->product)};
    return tmp;
}
