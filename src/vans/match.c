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
 *   "reviews"), and the UNANALYSED hints. Records are kept, varint-coded, in a bounded
 *   cache keyed by the CPE (cache_*), because inventories repeat the same CPEs on
 *   thousands of hosts.
 *
 *   Per host (lf_matcher_run): the records of its items are replayed in item order,
 *   then the configurations that need it are evaluated, in two passes, then the hints
 *   are emitted.
 *
 * One hit per (vuln, item), the first one emitted: trivial MATCH hits (during replay),
 * then pass 1, pass 2, then hints. Because the key holds the item, only hits of one
 * item can collide, so most of the de-duplication is done once per record when it is
 * built: trivial hits keep the first criterion of each vuln, a pair or review whose vuln
 * already has a trivial hit cannot make a hit (it still stamps its criterion), and
 * hints keep the first of each vuln not already hit. Only the hits of passes 1 and 2 (a
 * few per item) go through the host's (vuln, item) set, and a hint is checked against
 * it only when its record evaluates a criterion of the same vuln (HINT_COLLIDE).
 *
 * Whether a criterion is matched by some item of the host (what node evaluation asks)
 * is known at once for the vulnerable ones: the record lists them (pairs, and "stamps"
 * for those that cannot make a hit) and replay stamps them. Matched platform criteria
 * (vulnerable: false) are not recorded: an OS item matches thousands of them (every
 * "running on Windows" criterion) and a host's configurations ask about a handful. The
 * record notes the products whose scan matched some (scan entries), and crit_matched
 * decides such a criterion when a node asks, against the host's items that noted its
 * product, exactly as the scan would have (same block pruning, same test).
 *
 * Configurations are evaluated through plans (plan_*): a compact copy of a
 * configuration's nodes and what crit_matched needs of each criterion, built on first
 * use and kept across hosts, with the host's memo of node and configuration values in
 * the same cache lines. Products with many criteria are scanned from a compiled copy
 * (cc_*) once they have been scanned twice.
 *
 * Why so much of this is about memory: the index is hundreds of MB and is read at
 * random, and a read that misses the CPU caches costs more than a criterion test. So
 * per-host state lives in small arrays (bit sets of criteria and nodes, cleared through
 * the list of what was set; generation stamps where a slot is "set for this host" when
 * its stamp equals the current generation), records and plans are compact, and the
 * reads of the cache and the plans are prefetched a few steps ahead. A host costs time
 * proportional to what it touches, not to the size of the index.
 */
#include "vans/match.h"
#include "vans/vulndb_int.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "core/hash.h"
#include "vans/pkgver.h"
#include "vans/version.h"

/* Criterion and document indexes must leave room for flag bits (checked at new). */
#define IDX_MAX 0x3fffffffu

/* Why a hit is not a plain MATCH, as the code a hit carries (lf_hit.why). The first
 * R_NREASONS are why a criterion needs review; records store that code, so they hold
 * no pointers. */
enum {
    R_NONE = 0,
    R_NO_VERSION,
    R_UNORDERED_RANGE,
    R_UNORDERABLE_ITEM,
    R_UPDATE,
    R_TARGET,
    R_NREASONS,
    W_HINT = R_NREASONS,
    W_HINT_RANGE,
    W_NEGATED,
    W_TRIAL,
    W_PLATFORM,
    W_N
};
static const char *const reason_text[W_N] = {
    [R_NONE] = NULL,
    [R_NO_VERSION] = "the inventory gives no version for a product with version-ranged vulnerabilities",
    [R_UNORDERED_RANGE] = "the affected range uses versions that cannot be ordered (e.g. git commits)",
    [R_UNORDERABLE_ITEM] = "the inventory version cannot be ordered against the affected range",
    [R_UPDATE] = "the affected version names an update level the inventory does not give",
    [R_TARGET] = "the affected build is for a platform (target_sw/target_hw) the inventory does not give",
    [W_HINT] = "no applicability data yet; the description names this product",
    [W_HINT_RANGE] = "no applicability data yet; the description names this product and a version range that "
                     "includes this version",
    [W_NEGATED] = "holds unless a condition that cannot be decided for this inventory (a negated criterion) "
                  "applies",
    [W_TRIAL] = "the configuration holds only if a criterion that cannot be decided for this inventory does (a "
                "platform or component version that is missing or cannot be ordered)",
    [W_PLATFORM] = "vulnerable only on a platform (OS or device) this inventory does not list; check the platform",
};

/* Review flags (in records and in the host's list). */
#define RV_NOHIT 0x08u    /* cannot make a hit: not vulnerable, negated node, or vuln hit already */
#define RV_NEG   0x10u    /* in a negated node */
#define RV_REASON 0x07u
/* Hint flags. */
#define HINT_RANGE   1u   /* the description's version range includes the item */
#define HINT_COLLIDE 2u   /* the record also evaluates a criterion of this vuln */

/* The record being built (plain arrays); it is varint-coded for replay and the cache. */
typedef struct bpair {
    uint32_t pc, crit, config, ps;   /* ps: its platform set + 1, 0 = none (below) */
} bpair;
typedef struct breview {
    uint32_t pc, crit, config, flags, node;
} breview;
typedef struct bhint {
    uint32_t k, flags;         /* position in the product's hint list */
} bhint;
typedef struct btrev {
    uint32_t pc, reason;
} btrev;
typedef struct bscan {
    uint32_t prod, platform, stop;
} bscan;

/* Host state built from records. */
typedef struct hpair {
    uint32_t crit, config, item, vuln, ps;
    uint32_t pc;               /* its PCRIT position: what a hit names */
} hpair;
typedef struct hreview {
    uint32_t crit, config, item, flags, pc;
} hreview;
/* A host item whose scan of a product matched platform criteria (list per product). */
typedef struct hscan {
    uint32_t item, platform, stop, next;
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

/* A set of small integers for one host: a bit per possible member (1.5 M criteria
 * take 185 KB, so tests hit L2, where a stamp per criterion would not) and the list
 * of members, to clear only the words that were set. */
typedef struct bset {
    uint64_t *w;
    uint32_t *list;
    size_t n, cap;
} bset;

/* Small set of vulns with flag bits, for de-duplicating one item's record. */
#define IV_TRIV 1u
#define IV_DYN  2u
#define IV_HINT 4u
#define IV_TREV 8u   /* a direct review (below) */
typedef struct vset {
    uint32_t *key, *stamp;
    uint8_t *val;
    size_t cap, n;
    uint32_t gen;
} vset;

/* What build_hints and the hint hits need of a hint document, per HINTDOC entry, so
 * neither reads the document records. */
typedef struct hinfo {
    uint32_t vuln, drange_first, drange_n;
    uint32_t doc;              /* the HINTDOC entry itself, so a hint hit reads one line */
} hinfo;


/* What crit_matched knows about a criterion (CI_* classes, see crit_matched). */
typedef struct cinfo {
    uint32_t prod1;            /* product + 1, UINT32_MAX: none, 0: not read yet */
    uint32_t pcl;              /* PCRIT position | class << CI_SHIFT */
} cinfo;

/*
 * Plans. A configuration's plan is a pconf, its nodes (pnode), and one pent per
 * criterion of each node, contiguous in the plan arena. sat/stamp are the host's memo
 * (valid when stamp == cgen).
 */
typedef struct pconf {
    uint32_t stamp;
    uint8_t sat, op_and, has_neg, pad_;
    uint32_t node_first, node_n;
    uint32_t doc, vuln, config_ord;   /* what a hit of the configuration names */
} pconf;
typedef struct pnode {
    uint32_t stamp;
    uint8_t sat, flags, pad_[2];   /* flags: VXN_AND | VXN_NEGATE */
    uint32_t node, crit_first, crit_n;
    uint32_t ent;              /* byte offset of its first pent in the arena */
} pnode;
typedef struct pent {
    cinfo ci;
    uint32_t info;             /* PE_VULNERABLE | part letter (0 = not read yet) */
} pent;
#define PE_VULNERABLE 0x100u
#define PLAN_ARENA ((size_t)16 << 20)   /* plans kept at once; dropped all together when full */
#define CC_ARENA ((size_t)16 << 20)     /* compiled products (first come; then no more) */
#define CC_MIN_CRITS 128                /* smaller products are cheap to scan as they are */

/* Product filter: most inventory items (40 % on the benchmark) name products the index
 * does not know; a 128 KB Bloom filter over the products' keys (two bits from one 64-bit
 * hash, about 1 % false positives for 56,000 products) rules out nearly all of them before
 * the cache lookup or the product table is touched. Its hash is the cache key's, which
 * reads eight bytes at a time: the index's own product hash (FNV, byte by byte) cost
 * more than the filter saved and is computed only for a product lookup. */
#define PFILTER_WORDS (1u << 14)
#define PFILTER_MASK (PFILTER_WORDS - 1)

/*
 * The result cache. Records live in CACHE_NSEG equal segments filled one after another;
 * the segment being filled is `cur`. When it is full the next one is swept: records used
 * since they were written (or since the last sweep) move down to the start of the
 * segment with their mark cleared, the others are dropped. So a record survives while
 * it is used about once per pass over the whole cache (CLOCK, one segment at a time),
 * and a burst of one-off CPEs cannot flush the popular ones. The hash table (open
 * addressing, linear probing, backward-shift deletion) maps a CPE key to its record;
 * its size is part of the budget.
 */
#define CACHE_NSEG 32
typedef struct centry {
    uint32_t size;             /* bytes, header included, multiple of 8 */
    uint32_t tag;              /* hash bits; home slot = tag & mask */
    uint32_t bodylen;          /* the coded record; then the key */
    uint16_t keylen;
    uint8_t used;              /* looked up since written or since the last sweep */
    uint8_t pad_;
} centry;
typedef struct cslot {
    uint32_t tag, ref;         /* ref: byte offset / 8 + 1 in mem; 0 = empty */
} cslot;
typedef struct ccache {
    unsigned char *mem;
    size_t segbytes, maxrec;
    size_t segfill[CACHE_NSEG];
    uint32_t cur;
    cslot *slot;
    size_t nslot, count, maxcount, used;
} ccache;

/*
 * Platform sets. Most configurations that need evaluation are "application on
 * platform": AND of two non-negated OR nodes, one holding the vulnerable criteria, the
 * other only platform criteria (vulnerable: false). With the pair's criterion matched,
 * such a configuration holds exactly when its platform node does. Thousands of
 * configurations have the same platform node ("running on Windows", a device model),
 * and a criterion's answer depends only on what it says (product, name, bounds,
 * flags), not on which node holds it; so the matcher names each distinct platform
 * node a platform set, records carry the set of each such pair, and pass 1 decides the
 * pair by the set's value for the host: one small memo per set and host instead of a
 * plan read per configuration.
 */
typedef struct psent {
    uint64_t hash;
    uint32_t config, node;     /* a configuration and node (ordinal) with this content */
    uint32_t stamp;            /* == gen: val is this host's pass 1 value */
    uint8_t val;
} psent;

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

static bool pfilter_has(const uint64_t *f, uint64_t h)
{
    uint32_t a = (uint32_t)h, b = (uint32_t)(h >> 32);
    return ((f[(a >> 6) & PFILTER_MASK] >> (a & 63)) & (f[(b >> 6) & PFILTER_MASK] >> (b & 63)) & 1) != 0;
}

static void pfilter_add(uint64_t *f, uint64_t h)
{
    uint32_t a = (uint32_t)h, b = (uint32_t)(h >> 32);
    f[(a >> 6) & PFILTER_MASK] |= 1ull << (a & 63);
    f[(b >> 6) & PFILTER_MASK] |= 1ull << (b & 63);
}

/* An item's cache key, made before the lookups (items_prepare). */
typedef struct hkey {
    uint32_t tag, off;
    uint16_t len;
    uint8_t state;             /* HK_* */
    uint8_t miss;              /* no record in the cache when looked for (items_prepare) */
    uint32_t pslot;            /* then: its product's slot in PRODHASH, UINT32_MAX = none */
} hkey;
#define HKEY_MAX 512           /* longer keys are not cached */

/* A row of `families` (below), resolved against the index. */
typedef struct fam {
    uint32_t prod;             /* implied product, UINT32_MAX when not in the index */
    uint16_t plen;
    bool exact;
} fam;

struct lf_matcher {
    const lf_vdb *db;
    uint32_t gen;             /* host generation (hp_stamp) */
    uint32_t cgen;            /* generation of the node/config memo in plans (two per host) */
    bool pass2;               /* undecided criteria are stamped */
    bool negcheck;            /* the negated-undecided criteria (negpres) count as present */
    bool oom;                 /* an allocation failed where no error can be returned */
    const lf_cpe *items;      /* the host being matched */
    bset stamped;             /* criteria matched this host (pairs, stamps; in pass 2 reviews) */
    bset rneg;                /* negated nodes holding an undecided criterion this host */
    bset negpres;             /* those undecided criteria, while a pass-1 result is checked */
    bset tested;              /* criteria crit_matched_slow tested this host ... */
    bset testval;             /* ... those it found matched (bits only; cleared with tested) */
    uint8_t *crit_part;       /* 'a'/'o'/'h'/'?' of a criterion's name, 0 = not read yet */
    cinfo *ci;                /* per criterion, filled in on first use */
    uint32_t *hp_stamp;       /* product noted by some item's scan this host ... */
    uint32_t *hp_head;        /* ... and its list in hscans */
    hinfo *hint;              /* per HINTDOC entry: what its document gives a hint */
    uint32_t *pvuln;          /* per PCRIT entry: its vuln. A hit names its criterion by
                                 PCRIT position and replay reads only this, 4 bytes where the
                                 entry has 40: trivial hits are the bulk of a host's hits and
                                 a record's trivial criteria are near each other in PCRIT
                                 order, so they share cache lines (huge pages, too) */
    uint64_t *pfilter;        /* bit per lf_vx_hash value class: some product has it */
    uint32_t *plan_off;       /* per config: byte offset + 1 of its plan, 0 = none */
    uint32_t *cc_off;         /* per product: offset + 1 of its compiled form, 0 = none yet,
                                 UINT32_MAX = never */
    uint8_t *cc_seen;         /* per product: scans before compiling */
    unsigned char *cc;
    size_t ncc;
    unsigned char *plans;
    size_t nplans;
    uint32_t *cfg_ps;         /* per config: 0 = not looked at, 1 = no platform set, else set + 2 */
    psent *ps;                /* platform sets (see ps_of) */
    size_t nps, capps;
    uint32_t *ps_slot;        /* hash table of the sets: index + 1, 0 = empty */
    size_t nps_slot;
    uint32_t *later;          /* pairs whose configuration did not hold in pass 1 */
    size_t nlater, caplater;
    uint32_t *negs;           /* pairs that hold unless an undecided negated condition applies */
#define NEG_CERTAIN 0x80000000u   /* ... found to hold whatever it is (a flag in negs) */
    size_t nnegs, capnegs;
    hscan *hscans;
    size_t nhscans, caphscans;
    item_ctx *ictx;           /* items prepared for crit_matched this host */
    size_t nictx, capictx;
    hpair *pairs;
    size_t npairs, cappairs;
    hreview *reviews;
    size_t nreviews, capreviews;
    lf_hit *hints;            /* the host's hint hits (replay) */
    size_t nhints, caphints, nhcollide;
    lf_hit *hits;
    size_t nhits, caphits;
    lf_hit *rhits;            /* the host's direct reviews (appended after pass 2) */
    size_t nrhits, caprhits;
    size_t dyn_first;         /* hits[dyn_first..] are the pass 1/2 hits, all in seen */
    uint64_t *seen_key;       /* (vuln, item) pairs with a pass 1/2 hit this host */
    uint32_t *seen_gen;       /* slot in use when == sgen */
    size_t capseen;           /* slots allocated */
    size_t nseen;             /* slots in use this host (a power of two <= capseen) */
    uint32_t sgen;
    /* the record being built for a cache miss */
    uint32_t *b_triv, *b_stamp;
    bpair *b_pair;
    breview *b_rev;
    btrev *b_trev;
    bhint *b_hint;
    bscan *b_scan;
    size_t b_ntriv, b_captriv, b_npair, b_cappair, b_nstamp, b_capstamp, b_nrev, b_caprev, b_ntrev, b_captrev,
        b_nhint, b_caphint, b_nscan, b_capscan;
    uint32_t b_prod;          /* the item's product (its hints' list) */
    bool b_platform;          /* the product being scanned matched a platform criterion */
    unsigned char *enc;       /* the built record, coded */
    size_t capenc;
    hkey *hk;                 /* per item of the host: its cache key (items_prepare) */
    size_t caphk;
    unsigned char *hkbuf;     /* the keys */
    size_t nhkbuf, caphkbuf;
    vset iv;
    fam *fams;
    unsigned fam_parts;       /* part_bit of every family prefix's part */
    bool cache_on;
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

/* Make room for `more` elements beyond n in the array whose pointer is at arrp (the
 * pointer is copied in and out, not accessed through a void ** of another type). */
static int reserve(void *arrp, size_t *cap, size_t n, size_t more, size_t elem)
{
    if (n + more <= *cap)
        return LF_OK;
    size_t nc = *cap ? *cap : 64;
    while (nc < n + more)
        nc *= 2;
    void *arr;
    memcpy(&arr, arrp, sizeof arr);
    void *np = realloc(arr, nc * elem);
    if (!np)
        return LF_ENOMEM;
    memcpy(arrp, &np, sizeof np);
    *cap = nc;
    return LF_OK;
}
#define RESERVE(arr, n, cap, more) reserve(&(arr), &(cap), (n), (more), sizeof(*(arr)))

/* Large arrays read at random (the cache, the plans, the compiled products, the
 * criterion classes) come from mmap with transparent huge pages where the system
 * offers them: with 4 KB pages nearly every such read also misses the TLB. The memory
 * is zero-filled and only what is touched becomes resident. Under AddressSanitizer
 * they come from calloc so that out-of-bounds accesses are still caught. */
#if defined(__SANITIZE_ADDRESS__)
#define LF_MATCH_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LF_MATCH_ASAN 1
#endif
#endif

static void *big_alloc(size_t n)
{
#ifdef LF_MATCH_ASAN
    return calloc(1, n);
#else
    void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
#ifdef MADV_HUGEPAGE
    madvise(p, n, MADV_HUGEPAGE);   /* a hint: failure only costs speed */
#endif
    return p;
#endif
}

static void big_free(void *p, size_t n)
{
#ifdef LF_MATCH_ASAN
    (void)n;
    free(p);
#else
    if (p)
        munmap(p, n);
#endif
}

/* ---------------------------------------------------------------- bit set ---- */

static int bset_init(bset *b, size_t universe)
{
    b->w = calloc(universe / 64 + 1, sizeof(uint64_t));
    return b->w ? LF_OK : LF_ENOMEM;
}

static void bset_free(bset *b)
{
    free(b->w);
    free(b->list);
}

static bool bset_has(const bset *b, uint32_t i)
{
    return (b->w[i >> 6] >> (i & 63)) & 1;
}

static int bset_add(bset *b, uint32_t i)
{
    uint64_t bit = 1ull << (i & 63);
    if (b->w[i >> 6] & bit)
        return LF_OK;
    GROW(b->list, b->n, b->cap);
    b->w[i >> 6] |= bit;
    b->list[b->n++] = i;
    return LF_OK;
}

/* Empty the set; also clears the same words of `also` (a set whose members are a
 * subset of b's). */
static void bset_clear(bset *b, bset *also)
{
    for (size_t k = 0; k < b->n; k++) {
        b->w[b->list[k] >> 6] = 0;
        if (also)
            also->w[b->list[k] >> 6] = 0;
    }
    b->n = 0;
}

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

/* Set bits for v; returns its bits before, or -1 when out of memory. */
static int vset_test_or(vset *s, uint32_t v, uint8_t bits)
{
    if ((s->n + 1) * 2 > s->cap && vset_grow(s))
        return -1;
    size_t mask = s->cap - 1;
    size_t j = vset_home(v, mask);
    while (s->stamp[j] == s->gen) {
        if (s->key[j] == v) {
            uint8_t old = s->val[j];
            s->val[j] = old | bits;
            return old;
        }
        j = (j + 1) & mask;
    }
    s->stamp[j] = s->gen;
    s->key[j] = v;
    s->val[j] = bits;
    s->n++;
    return 0;
}

static int vset_or(vset *s, uint32_t v, uint8_t bits)
{
    return vset_test_or(s, v, bits) < 0 ? LF_ENOMEM : LF_OK;
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

/* Version part of a criterion whose range is in an ecosystem's own order (OSV, purls):
 * compared on the raw strings with pkgver; a version the scheme cannot read is review. */
static int scheme_test(const lf_vdb *db, const vx_pcrit *c, const item_ctx *it, const vx_extra *x, int *reason)
{
    uint32_t f = c->flags;
    lf_vscheme s = VXC_SCHEME(f);
    if (it->vkind != LF_CPE_VALUE) {
        if (!(f & VXC_VULNERABLE))
            return T_YES;
        *reason = R_NO_VERSION;
        return T_REVIEW;
    }
    char iv[LF_CPE_MAX];
    int il = lf_cpe_plain(it->cpe, LF_CPE_VERSION, iv, sizeof iv);
    const vx_crit *cr = &db->crit[c->crit];
    const char *bound[3] = {NULL, (f & VXC_HAS_START) ? vx_str(db, cr->start) : NULL,
                            (f & VXC_HAS_END) ? vx_str(db, cr->end) : NULL};
    char exact[LF_CPE_MAX];
    if (x && ((x->kinds & 3) == LF_CPE_VALUE)) {
        /* the WFN value without its quoting */
        const char *wv = vx_str(db, x->val[0]);
        size_t w = 0;
        for (const char *q = wv; *q && w + 1 < sizeof exact; q++) {
            if (*q == '\\' && q[1])
                q++;
            exact[w++] = *q;
        }
        exact[w] = 0;
        bound[0] = exact;
    }
    if (il < 0)
        goto unorderable;
    for (int b = 0; b < 3; b++) {
        if (!bound[b])
            continue;
        int r;
        if (!lf_pkgver_cmp_installed(s, iv, (size_t)il, bound[b], strlen(bound[b]), &r))
            goto unorderable;
        if ((b == 0 && r != 0) || (b == 1 && (r < 0 || (r == 0 && !(f & VXC_START_INCL)))) ||
            (b == 2 && (r > 0 || (r == 0 && !(f & VXC_END_INCL)))))
            return T_NO;
    }
    return T_YES;
unorderable:
    if (!(f & VXC_VULNERABLE))
        return T_YES;
    *reason = R_UNORDERABLE_ITEM;
    return T_REVIEW;
}

/* Version part of a criterion test. */
static int version_test(const lf_vdb *db, const vx_pcrit *c, const item_ctx *it, const vx_extra *x,
                        int *reason)
{
    uint32_t f = c->flags;
    if (f & VXC_SCHEME_MASK)
        return scheme_test(db, c, it, x, reason);
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

static bool node_has_vulnerable(const lf_vdb *db, const vx_node *n)
{
    for (uint32_t q = 0; q < n->crit_n; q++)
        if (db->crit[n->crit_first + q].flags & VXC_VULNERABLE)
            return true;
    return false;
}

/* Two criteria that every host answers alike: same product, name, bounds and flags.
 * A complex criterion (WFN attributes beyond the version) is only like itself. */
static bool ps_crit_same(const lf_vdb *db, uint32_t a, uint32_t b)
{
    const vx_crit *x = &db->crit[a], *y = &db->crit[b];
    if (x->extra || y->extra)
        return a == b;
    return x->prod == y->prod && x->cpe == y->cpe && x->start == y->start && x->end == y->end &&
           x->start_key == y->start_key && x->end_key == y->end_key && x->ver_key == y->ver_key &&
           x->flags == y->flags;
}

static uint64_t ps_hash(const lf_vdb *db, const vx_node *n)
{
    uint64_t h = 0x9e3779b97f4a7c15ull * (n->crit_n + 1);
    for (uint32_t q = 0; q < n->crit_n; q++) {
        uint32_t ci = n->crit_first + q;
        const vx_crit *c = &db->crit[ci];
        uint32_t v[9] = {c->prod, c->cpe, c->start, c->end, c->start_key, c->end_key, c->ver_key, c->flags,
                         c->extra ? ci : 0};
        h = (h ^ lf_hash64(v, sizeof v)) * 0x100000001b3ull;
    }
    return h;
}

/* The platform set whose content is node o of configuration ci: found or added.
 * UINT32_MAX when out of memory. */
static uint32_t ps_intern(lf_matcher *m, uint32_t ci, uint32_t o)
{
    const lf_vdb *db = m->db;
    const vx_node *n = &db->node[db->config[ci].node_first + o];
    uint64_t h = ps_hash(db, n);
    if ((m->nps + 1) * 2 > m->nps_slot) {
        size_t nn = m->nps_slot ? m->nps_slot * 2 : 1024;
        uint32_t *ns = calloc(nn, sizeof(uint32_t));
        if (!ns)
            return UINT32_MAX;
        for (size_t k = 0; k < m->nps; k++) {
            size_t j = (size_t)m->ps[k].hash & (nn - 1);
            while (ns[j])
                j = (j + 1) & (nn - 1);
            ns[j] = (uint32_t)k + 1;
        }
        free(m->ps_slot);
        m->ps_slot = ns;
        m->nps_slot = nn;
    }
    size_t mask = m->nps_slot - 1, j = (size_t)h & mask;
    for (; m->ps_slot[j]; j = (j + 1) & mask) {
        const psent *e = &m->ps[m->ps_slot[j] - 1];
        if (e->hash != h)
            continue;
        const vx_node *en = &db->node[db->config[e->config].node_first + e->node];
        if (en->crit_n != n->crit_n)
            continue;
        uint32_t q = 0;
        while (q < n->crit_n && ps_crit_same(db, en->crit_first + q, n->crit_first + q))
            q++;
        if (q == n->crit_n)
            return m->ps_slot[j] - 1;
    }
    if (RESERVE(m->ps, m->nps, m->capps, 1))
        return UINT32_MAX;
    m->ps[m->nps] = (psent){h, ci, o, 0, 0};
    m->ps_slot[j] = (uint32_t)++m->nps;
    return (uint32_t)m->nps - 1;
}

/* Configuration ci's platform set + 2; 1 when it is not "application on platform"
 * (see psent); 0 when out of memory. */
static uint32_t ps_of(lf_matcher *m, uint32_t ci)
{
    if (m->cfg_ps[ci])
        return m->cfg_ps[ci];
    const lf_vdb *db = m->db;
    const vx_config *cf = &db->config[ci];
    uint32_t v = 1;
    if ((cf->op_and & VXF_AND) && cf->node_n == 2) {
        const vx_node *n0 = &db->node[cf->node_first], *n1 = n0 + 1;
        if (!(n0->flags & (VXN_AND | VXN_NEGATE)) && !(n1->flags & (VXN_AND | VXN_NEGATE))) {
            bool v0 = node_has_vulnerable(db, n0), v1 = node_has_vulnerable(db, n1);
            if (v0 != v1) {
                uint32_t id = ps_intern(m, ci, v0 ? 1 : 0);
                if (id == UINT32_MAX)
                    return 0;
                v = id + 2;
            }
        }
    }
    m->cfg_ps[ci] = v;
    return v;
}

/* Test one criterion for the record being built. */
/* Record the outcome t of testing the criterion at PCRIT position pc (its flags and
 * vuln given, so a compiled scan need not read the criterion record for a miss). */
static int test_result(lf_matcher *m, uint32_t pc, uint32_t flags, uint32_t vuln, int t, int reason)
{
    const lf_vdb *db = m->db;
    if (t == T_YES) {
        if (flags & VXC_TRIVIAL) {
            /* its configuration is this one OR node: a vulnerable match is a hit at
             * once, with no stamp or configuration work (most NVD records); the first
             * criterion of a vuln in scan order makes it */
            if (flags & VXC_VULNERABLE) {
                int old = vset_test_or(&m->iv, vuln, IV_TRIV);
                if (old < 0)
                    return LF_ENOMEM;
                if (old & IV_TRIV)
                    return LF_OK;
                GROW(m->b_triv, m->b_ntriv, m->b_captriv);
                m->b_triv[m->b_ntriv++] = pc;
            }
            return LF_OK;
        }
        if (!(flags & VXC_VULNERABLE)) {
            m->b_platform = true;   /* left to crit_matched */
            return LF_OK;
        }
        const vx_pcrit *c = &db->pcrit[pc];
        uint32_t config = db->node[c->node].config;
        uint32_t ps = ps_of(m, config);
        if (!ps)
            return LF_ENOMEM;
        GROW(m->b_pair, m->b_npair, m->b_cappair);
        m->b_pair[m->b_npair++] = (bpair){pc, c->crit, config, ps - 1};
    } else if (t == T_REVIEW) {
        /* platform criteria too: an undecidable platform must not silently drop the
         * vulnerability it gates (pass 2 of lf_matcher_run) */
        const vx_pcrit *c = &db->pcrit[pc];
        GROW(m->b_rev, m->b_nrev, m->b_caprev);
        m->b_rev[m->b_nrev++] = (breview){pc, c->crit, db->node[c->node].config, (uint32_t)reason, c->node};
    }
    return LF_OK;
}

/* Test one criterion for the record being built. */
static int test_one(lf_matcher *m, const vx_pcrit *c, const item_ctx *it, bool platform_only)
{
    m->st.criteria_tested++;
    int reason = R_NONE;
    int t = crit_test(m->db, c, it, platform_only, &reason);
    if (t == T_NO)
        return LF_OK;
    return test_result(m, (uint32_t)(c - m->db->pcrit), c->flags, c->vuln, t, reason);
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

/* ------------------------------------------------------ compiled products ---- */

/*
 * A product scanned again (a cache miss for another version of it) with many criteria
 * is compiled: its criteria and blocks are copied into 16- and 12-byte entries in which
 * every version key is replaced by its rank among the product's distinct keys, so the
 * scan compares integers in a few contiguous arrays instead of reading the 40-byte
 * criterion records, the block records and the key bytes at random. The item's version
 * is ranked once per scan by binary search. Ranks: key j of the sorted list is 2j + 2,
 * an absent or empty key is 0, an item version between keys j-1 and j is 2j + 1 (equal
 * to key j: 2j + 2), so comparing ranks gives exactly vx_keycmp's order. Criteria the
 * fast test does not cover (other attributes or wildcards to compare, or an exact
 * version and a range together) keep the ordinary test (CC_SLOW); items whose version
 * is missing or cannot be ordered keep the ordinary scan.
 */
typedef struct cc_hdr {
    uint32_t nkeys, nblock, ncrit, pad_;
} cc_hdr;
typedef struct cc_block {
    uint32_t start, max_end, flags;   /* ranks; VXB_* */
} cc_block;
typedef struct cc_crit {
    uint32_t flags;            /* VXC_* | CC_* */
    uint32_t vuln;
    uint32_t a, b;             /* ranks: start and end, or the exact version in a */
} cc_crit;
#define CC_VER  0x10000u       /* exact version (ver_key) */
#define CC_SLOW 0x20000u       /* needs crit_test */

typedef struct cc_key {
    const unsigned char *k;
    size_t n;
    uint32_t off, rank;
} cc_key;

static int cc_key_cmp(const void *a, const void *b)
{
    const cc_key *x = a, *y = b;
    return vx_keycmp(x->k, x->n, y->k, y->n);
}

static int cc_off_cmp(const void *a, const void *b)
{
    const cc_key *x = a, *y = b;
    return x->off < y->off ? -1 : x->off > y->off;
}

/* Rank of the key at KEY offset off (keys sorted by offset, ranks assigned). */
static uint32_t cc_rank_of(const lf_vdb *db, const cc_key *byoff, size_t n, uint32_t off)
{
    size_t kl;
    if (!off || !vx_key(db, off, &kl) || !kl)
        return 0;
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (byoff[mid].off < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return byoff[lo].rank;   /* present: every referenced offset was collected */
}

static void cc_add_key(const lf_vdb *db, cc_key *ks, size_t *n, uint32_t off)
{
    size_t kl;
    const unsigned char *k = off ? vx_key(db, off, &kl) : NULL;
    if (k && kl)
        ks[(*n)++] = (cc_key){k, kl, off, 0};
}

/* Compile product p into the arena; returns its offset + 1, or 0 when it does not fit
 * (or memory for the work arrays is short: the ordinary scan is used, same results). */
static uint32_t cc_compile(lf_matcher *m, uint32_t p)
{
    const lf_vdb *db = m->db;
    const vx_prod *pp = &db->prod[p];
    size_t cap = (size_t)pp->crit_n * 3 + (size_t)pp->block_n * 2;
    cc_key *ks = malloc((cap ? cap : 1) * sizeof(*ks));
    if (!ks)
        return 0;
    size_t n = 0;
    for (uint32_t k = 0; k < pp->crit_n; k++) {
        const vx_pcrit *c = &db->pcrit[pp->crit_first + k];
        if (c->flags & VXC_HAS_START)
            cc_add_key(db, ks, &n, c->start_key);
        if (c->flags & VXC_HAS_END)
            cc_add_key(db, ks, &n, c->end_key);
        if (c->ver_key)
            cc_add_key(db, ks, &n, c->ver_key);
    }
    for (uint32_t b = 0; b < pp->block_n; b++) {
        const vx_block *bl = &db->block[pp->block_first + b];
        if (!(bl->flags & VXB_START_NEG_INF))
            cc_add_key(db, ks, &n, bl->start_key);
        if (!(bl->flags & VXB_END_POS_INF))
            cc_add_key(db, ks, &n, bl->max_end_key);
    }
    /* rank the distinct key values, then keep one offset per value for the search */
    qsort(ks, n, sizeof(*ks), cc_key_cmp);
    size_t nd = 0;
    for (size_t i = 0; i < n; i++) {
        if (i && cc_key_cmp(&ks[i - 1], &ks[i]) != 0)
            nd++;
        ks[i].rank = 2 * (uint32_t)nd + 2;
    }
    nd = n ? nd + 1 : 0;
    size_t need = sizeof(cc_hdr) + nd * sizeof(uint32_t) + (size_t)pp->block_n * sizeof(cc_block) +
                  (size_t)pp->crit_n * sizeof(cc_crit);
    need = (need + 15) & ~(size_t)15;
    if (m->ncc + need > CC_ARENA) {
        free(ks);
        return 0;
    }
    unsigned char *base = m->cc + m->ncc;
    cc_hdr *h = (cc_hdr *)base;
    uint32_t *keys = (uint32_t *)(h + 1);
    cc_block *cb = (cc_block *)(keys + nd);
    cc_crit *cr = (cc_crit *)(cb + pp->block_n);
    *h = (cc_hdr){(uint32_t)nd, pp->block_n, pp->crit_n, 0};
    for (size_t i = 0, j = 0; i < n; i++)
        if (!i || ks[i].rank != ks[i - 1].rank)
            keys[j++] = ks[i].off;
    qsort(ks, n, sizeof(*ks), cc_off_cmp);
    for (uint32_t b = 0; b < pp->block_n; b++) {
        const vx_block *bl = &db->block[pp->block_first + b];
        cb[b] = (cc_block){(bl->flags & VXB_START_NEG_INF) ? 0 : cc_rank_of(db, ks, n, bl->start_key),
                           (bl->flags & VXB_END_POS_INF) ? 0 : cc_rank_of(db, ks, n, bl->max_end_key), bl->flags};
    }
    for (uint32_t k = 0; k < pp->crit_n; k++) {
        const vx_pcrit *c = &db->pcrit[pp->crit_first + k];
        uint32_t f = c->flags & 0xffffu;
        bool ranged = (c->flags & (VXC_HAS_START | VXC_HAS_END)) != 0;
        if ((c->flags & VXC_COMPLEX) || (c->ver_key && ranged))
            f |= CC_SLOW;
        if (c->ver_key)
            f |= CC_VER;
        uint32_t a = (c->flags & VXC_HAS_START) ? cc_rank_of(db, ks, n, c->start_key) : 0;
        uint32_t bb = (c->flags & VXC_HAS_END) ? cc_rank_of(db, ks, n, c->end_key) : 0;
        if (c->ver_key && !ranged)
            a = cc_rank_of(db, ks, n, c->ver_key);
        cr[k] = (cc_crit){f, c->vuln, a, bb};
    }
    free(ks);
    uint32_t off = (uint32_t)m->ncc + 1;
    m->ncc += need;
    return off;
}

/* Rank of the item's version among the compiled product's keys. */
static uint32_t cc_item_rank(const lf_vdb *db, const cc_hdr *h, const item_ctx *it)
{
    const uint32_t *keys = (const uint32_t *)(h + 1);
    size_t lo = 0, hi = h->nkeys;
    int last = 1;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        size_t kl;
        const unsigned char *k = vx_key(db, keys[mid], &kl);
        int c = vx_keycmp(k, kl, it->key, it->keylen);
        if (c < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
            last = c;
        }
    }
    /* lo = number of keys below the version; last == 0 when keys[lo] equals it */
    return 2 * (uint32_t)lo + (lo < h->nkeys && last == 0 ? 2 : 1);
}

/* version_test + crit_test for a compiled criterion without CC_SLOW, for an item whose
 * version is a value that can be ordered (rank r). */
static int cc_test(const cc_crit *e, uint32_t r, bool platform_only, int *reason)
{
    uint32_t f = e->flags;
    if (platform_only && (f & VXC_VULNERABLE))
        return T_NO;
    if (f & VXC_VER_NA)
        return (f & VXC_VULNERABLE) ? T_NO : T_YES;
    bool ranged = (f & (VXC_HAS_START | VXC_HAS_END)) != 0;
    if (f & CC_VER)
        return e->a == r ? T_YES : T_NO;   /* not ranged: that is CC_SLOW */
    if (!ranged)
        return T_YES;
    if (f & VXC_UNORDERED) {
        *reason = R_UNORDERED_RANGE;
        return T_REVIEW;
    }
    if ((f & VXC_HAS_START) && (r < e->a || (r == e->a && !(f & VXC_START_INCL))))
        return T_NO;
    if ((f & VXC_HAS_END) && (r > e->b || (r == e->b && !(f & VXC_END_INCL))))
        return T_NO;
    return T_YES;
}

/* The scan of scan_product over a compiled product (item_prunes holds). */
static int cc_scan(lf_matcher *m, const vx_prod *p, const cc_hdr *h, const item_ctx *it, bool platform_only,
                   uint32_t *stop)
{
    const lf_vdb *db = m->db;
    const cc_block *cb = (const cc_block *)((const uint32_t *)(h + 1) + h->nkeys);
    const cc_crit *cr = (const cc_crit *)(cb + h->nblock);
    uint32_t r = cc_item_rank(db, h, it);
    for (uint32_t b = 0; b < h->nblock; b++) {
        const cc_block *bl = &cb[b];
        if (!(bl->flags & VXB_START_NEG_INF) && bl->start > r) {
            *stop = b;
            break;
        }
        if (!(bl->flags & VXB_END_POS_INF) && bl->max_end < r)
            continue;
        uint32_t k0 = b * VX_BLOCK, k1 = k0 + VX_BLOCK < h->ncrit ? k0 + VX_BLOCK : h->ncrit;
        for (uint32_t k = k0; k < k1; k++) {
            const cc_crit *e = &cr[k];
            uint32_t pc = p->crit_first + k;
            int reason = R_NONE, t;
            m->st.criteria_tested++;
            if (e->flags & CC_SLOW)
                t = crit_test(db, &db->pcrit[pc], it, platform_only, &reason);
            else
                t = cc_test(e, r, platform_only, &reason);
            if (t != T_NO && test_result(m, pc, e->flags & 0xffffu, e->vuln, t, reason))
                return LF_ENOMEM;
        }
    }
    return LF_OK;
}

/* The compiled form of product p if it has one (compiling it on its second scan). */
static const cc_hdr *cc_get(lf_matcher *m, uint32_t p)
{
    uint32_t o = m->cc_off[p];
    if (o == UINT32_MAX)
        return NULL;
    if (!o) {
        if (m->db->prod[p].crit_n < CC_MIN_CRITS || ++m->cc_seen[p] < 2)
            return NULL;
        /* ranks are of version.h keys: a product with criteria in an ecosystem's order
         * (packages) keeps the ordinary scan */
        const vx_prod *pp = &m->db->prod[p];
        for (uint32_t k = 0; k < pp->crit_n; k++)
            if (m->db->pcrit[pp->crit_first + k].flags & VXC_SCHEME_MASK) {
                m->cc_off[p] = UINT32_MAX;
                return NULL;
            }
        o = cc_compile(m, p);
        m->cc_off[p] = o ? o : UINT32_MAX;
        if (!o)
            return NULL;
        m->st.compiled_products++;
    }
    return (const cc_hdr *)(m->cc + o - 1);
}

/* Test the product's criteria the version can meet, and note the product in the
 * record if it matched platform criteria (with the block the scan stopped at). */
static int scan_product(lf_matcher *m, uint32_t prod, const item_ctx *it, bool platform_only)
{
    const lf_vdb *db = m->db;
    const vx_prod *p = &db->prod[prod];
    uint32_t stop = p->block_n;
    m->b_platform = false;
    const cc_hdr *cc = item_prunes(it) ? cc_get(m, prod) : NULL;
    if (cc) {
        if (cc_scan(m, p, cc, it, platform_only, &stop))
            return LF_ENOMEM;
    } else if (item_prunes(it)) {
        for (uint32_t b = 0; b < p->block_n; b++) {
            const vx_block *bl = &db->block[p->block_first + b];
            if (block_starts_above(db, bl, it)) {
                stop = b;
                break;
            }
            if (block_ends_below(db, bl, it))
                continue;
            uint32_t k0 = b * VX_BLOCK, k1 = k0 + VX_BLOCK < p->crit_n ? k0 + VX_BLOCK : p->crit_n;
            for (uint32_t k = k0; k < k1; k++)
                if (test_one(m, &db->pcrit[p->crit_first + k], it, platform_only))
                    return LF_ENOMEM;
        }
    } else {
        for (uint32_t k = 0; k < p->crit_n; k++)
            if (test_one(m, &db->pcrit[p->crit_first + k], it, platform_only))
                return LF_ENOMEM;
    }
    if (m->b_platform) {
        GROW(m->b_scan, m->b_nscan, m->b_capscan);
        m->b_scan[m->b_nscan++] = (bscan){prod, platform_only, stop};
    }
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
        const hinfo *xd = &m->hint[pp->hint_first + k];
        uint32_t flags = 0;
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
            flags |= HINT_RANGE;
        }
        /* a vuln already hit by this item (trivially, or by an earlier hint) keeps
         * that hit; one that a pass 1/2 hit may take is checked per host */
        uint8_t v = vset_get(&m->iv, xd->vuln);
        if (v & (IV_TRIV | IV_HINT | IV_TREV))
            continue;
        if (v & IV_DYN)
            flags |= HINT_COLLIDE;
        if (vset_or(&m->iv, xd->vuln, IV_HINT))
            return LF_ENOMEM;
        GROW(m->b_hint, m->b_nhint, m->b_caphint);
        m->b_hint[m->b_nhint++] = (bhint){k, flags};
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

static unsigned part_bit(char part)
{
    return part == 'a' ? 1u : part == 'o' ? 2u : part == 'h' ? 4u : 8u;
}

/* The product an item names, before any lookup. */
typedef struct iprobe {
    char key[LF_CPE_MAX + 8];  /* "p:vendor:product" */
    size_t kn;
    bool maybe_known;          /* the product filter does not rule the key out */
    uint32_t fprod[NFAMILIES]; /* implied platform products */
    size_t nf;
} iprobe;

/* Fill pr for item c; false when the item names no product at all (no part, vendor
 * or product, or too long). */
static bool item_probe(const lf_matcher *m, const lf_cpe *c, iprobe *pr)
{
    const char *part = lf_cpe_value(c, LF_CPE_PART);
    const char *vendor = lf_cpe_value(c, LF_CPE_VENDOR);
    const char *product = lf_cpe_value(c, LF_CPE_PRODUCT);
    if (!part || !vendor || !product)
        return false;   /* an item without vendor and product cannot name a product */
    int kn = lf_vx_prod_key(part[0], vendor, c->len[LF_CPE_VENDOR], product, c->len[LF_CPE_PRODUCT], pr->key,
                            sizeof pr->key);
    if (kn < 0)
        return false;
    pr->kn = (size_t)kn;
    pr->maybe_known = pfilter_has(m->pfilter, key_hash((const unsigned char *)pr->key, pr->kn));
    pr->nf = 0;
    if (!(m->fam_parts & part_bit(pr->key[0])))
        return true;   /* no family has this part (all are OSes): skip the prefix tests */
    for (size_t f = 0; f < NFAMILIES; f++) {
        const fam *fm = &m->fams[f];
        if (fm->prod == UINT32_MAX || pr->kn < fm->plen || pr->key[0] != families[f].prefix[0] ||
            memcmp(pr->key, families[f].prefix, fm->plen) != 0 || (fm->exact && pr->kn != fm->plen))
            continue;
        pr->fprod[pr->nf++] = fm->prod;
    }
    return true;
}

/* Build the record of item c (probed as pr) into the scratch (m->b_*). *tested says
 * whether any product was scanned: the record of an item naming no known product is
 * empty and not worth a cache entry. */
static int item_build(lf_matcher *m, const lf_cpe *c, const iprobe *pr, bool *tested)
{
    const lf_vdb *db = m->db;
    m->b_ntriv = m->b_npair = m->b_nstamp = m->b_nrev = m->b_ntrev = m->b_nhint = m->b_nscan = 0;
    m->b_prod = UINT32_MAX;
    *tested = false;
    uint32_t p = UINT32_MAX;
    if (pr->maybe_known) {
        m->st.probes++;
        p = lf_vx_find_prod(db, pr->key, pr->kn, lf_vx_hash(pr->key, pr->kn));
    }
    uint32_t fprod[NFAMILIES];
    size_t nf = 0;
    for (size_t f = 0; f < pr->nf; f++)
        if (pr->fprod[f] != p)   /* the item is not the generic name itself */
            fprod[nf++] = pr->fprod[f];
    if (p == UINT32_MAX && !nf)
        return LF_OK;
    *tested = true;
    item_ctx it;
    item_prepare(&it, c);
    vset_reset(&m->iv);
    if (p != UINT32_MAX && scan_product(m, p, &it, false))
        return LF_ENOMEM;
    for (size_t f = 0; f < nf; f++)
        if (scan_product(m, fprod[f], &it, true))
            return LF_ENOMEM;
    /* pairs that cannot make a hit only stamp their criterion */
    size_t np = 0;
    for (size_t k = 0; k < m->b_npair; k++) {
        const vx_pcrit *pc = &db->pcrit[m->b_pair[k].pc];
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
    /* Reviews. One in a one-node OR configuration (TRIVIAL) that can make a hit, of a
     * vuln no pair or other review of the record can hit, is direct: its hit is certain
     * (pass 2 would stamp it and find its configuration satisfied), so the record holds
     * the hit itself, the first of each vuln, and pass 2 never sees it. A trivial
     * configuration's criteria are asked about by no other configuration, so nothing
     * misses the stamp. The others are decided first: they may give the vuln a
     * dynamic hit, which then comes first as before. */
    for (size_t k = 0; k < m->b_nrev; k++) {
        const vx_pcrit *pc = &db->pcrit[m->b_rev[k].pc];
        if ((pc->flags & VXC_TRIVIAL) && rec_can_hit(m, pc))
            continue;   /* second loop */
        if (db->node[pc->node].flags & VXN_NEGATE)
            m->b_rev[k].flags |= RV_NEG;
        if (!rec_can_hit(m, pc))
            m->b_rev[k].flags |= RV_NOHIT;
        else if (vset_or(&m->iv, pc->vuln, IV_DYN))
            return LF_ENOMEM;
    }
    size_t nr = 0;
    for (size_t k = 0; k < m->b_nrev; k++) {
        const vx_pcrit *pc = &db->pcrit[m->b_rev[k].pc];
        if ((pc->flags & VXC_TRIVIAL) && rec_can_hit(m, pc)) {
            uint8_t v = vset_get(&m->iv, pc->vuln);
            if (v & IV_TREV)
                continue;   /* the vuln's first direct review makes its hit */
            if (!(v & IV_DYN)) {
                if (vset_or(&m->iv, pc->vuln, IV_TREV))
                    return LF_ENOMEM;
                GROW(m->b_trev, m->b_ntrev, m->b_captrev);
                m->b_trev[m->b_ntrev++] = (btrev){m->b_rev[k].pc, m->b_rev[k].flags & RV_REASON};
                continue;
            }
        }
        m->b_rev[nr++] = m->b_rev[k];
    }
    m->b_nrev = nr;
    if (p != UINT32_MAX && db->prod[p].hint_n) {
        m->b_prod = p;
        if (build_hints(m, p, &it))
            return LF_ENOMEM;
    }
    return LF_OK;
}

/* -------------------------------------------------------- record coding ---- */

/*
 * A coded record: varint counts (triv, pair, stamp, review, direct, hint, scan), then each list.
 * Positions are coded as the zigzag difference to the previous one of their list: a
 * product's criteria are scanned in PCRIT order, so most take one or two bytes.
 *   triv    d(pc)
 *   pair    d(pc) config ps       (ps: platform set + 1, 0 = none)
 *   stamp   d(crit)
 *   review  d(pc) config flags [node, when RV_NEG]
 *   direct  d(pc) reason            (a direct review: the REVIEW hit itself)
 *   hint    the product's first HINTDOC position (replay reads no product record), then
 *           per hint (k - previous k) << 2 | flags
 *   scan    product << 1 | platform, stop
 */
static unsigned char *put_uv(unsigned char *p, uint32_t v)
{
    while (v >= 0x80) {
        *p++ = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    *p++ = (unsigned char)v;
    return p;
}

static uint32_t get_uv(const unsigned char **pp)
{
    const unsigned char *p = *pp;
    if (*p < 0x80) {   /* most values are one byte: no loop */
        *pp = p + 1;
        return *p;
    }
    uint32_t v = 0;
    for (unsigned s = 0;; s += 7) {
        unsigned char b = *p++;
        v |= (uint32_t)(b & 0x7f) << s;
        if (!(b & 0x80))
            break;
    }
    *pp = p;
    return v;
}

/* Difference of two positions below IDX_MAX, zigzag-coded so small either way. */
static uint32_t zz(uint32_t cur, uint32_t prev)
{
    int32_t d = (int32_t)(cur - prev);
    return ((uint32_t)d << 1) ^ (uint32_t)(d >> 31);
}

static uint32_t unzz(uint32_t v, uint32_t prev)
{
    return prev + ((v >> 1) ^ (0u - (v & 1)));
}

/* Code the scratch record into m->enc; returns its length or 0 on no memory. */
static size_t rec_encode(lf_matcher *m)
{
    size_t worst = 7 * 5 + m->b_ntriv * 5 + m->b_npair * 15 + m->b_nstamp * 5 + m->b_nrev * 16 + m->b_ntrev * 6 + 5 +
                   m->b_nhint * 5 + m->b_nscan * 10;
    if (worst > m->capenc) {
        unsigned char *ne = realloc(m->enc, worst * 2);
        if (!ne)
            return 0;
        m->enc = ne;
        m->capenc = worst * 2;
    }
    unsigned char *p = m->enc;
    p = put_uv(p, (uint32_t)m->b_ntriv);
    p = put_uv(p, (uint32_t)m->b_npair);
    p = put_uv(p, (uint32_t)m->b_nstamp);
    p = put_uv(p, (uint32_t)m->b_nrev);
    p = put_uv(p, (uint32_t)m->b_ntrev);
    p = put_uv(p, (uint32_t)m->b_nhint);
    p = put_uv(p, (uint32_t)m->b_nscan);
    uint32_t prev = 0;
    for (size_t k = 0; k < m->b_ntriv; k++) {
        p = put_uv(p, zz(m->b_triv[k], prev));
        prev = m->b_triv[k];
    }
    prev = 0;
    for (size_t k = 0; k < m->b_npair; k++) {
        p = put_uv(p, zz(m->b_pair[k].pc, prev));
        p = put_uv(p, m->b_pair[k].config);
        p = put_uv(p, m->b_pair[k].ps);
        prev = m->b_pair[k].pc;
    }
    prev = 0;
    for (size_t k = 0; k < m->b_nstamp; k++) {
        p = put_uv(p, zz(m->b_stamp[k], prev));
        prev = m->b_stamp[k];
    }
    prev = 0;
    for (size_t k = 0; k < m->b_nrev; k++) {
        p = put_uv(p, zz(m->b_rev[k].pc, prev));
        p = put_uv(p, m->b_rev[k].config);
        *p++ = (unsigned char)m->b_rev[k].flags;
        if (m->b_rev[k].flags & RV_NEG)
            p = put_uv(p, m->b_rev[k].node);
        prev = m->b_rev[k].pc;
    }
    prev = 0;
    for (size_t k = 0; k < m->b_ntrev; k++) {
        p = put_uv(p, zz(m->b_trev[k].pc, prev));
        *p++ = (unsigned char)m->b_trev[k].reason;
        prev = m->b_trev[k].pc;
    }
    if (m->b_nhint) {
        p = put_uv(p, m->db->prod[m->b_prod].hint_first);
        prev = 0;
        for (size_t k = 0; k < m->b_nhint; k++) {
            p = put_uv(p, (m->b_hint[k].k - prev) << 2 | m->b_hint[k].flags);
            prev = m->b_hint[k].k;
        }
    }
    for (size_t k = 0; k < m->b_nscan; k++) {
        p = put_uv(p, m->b_scan[k].prod << 1 | m->b_scan[k].platform);
        p = put_uv(p, m->b_scan[k].stop);
    }
    return (size_t)(p - m->enc);
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


static int cache_init(ccache *c, size_t budget)
{
    memset(c, 0, sizeof(*c));
    if (budget < LF_MATCHER_CACHE_MIN)
        budget = LF_MATCHER_CACHE_MIN;
    if (budget > LF_MATCHER_CACHE_MAX)
        budget = LF_MATCHER_CACHE_MAX;
    /* Records average ~145 bytes on NVD-scale data (the key and a few dozen coded
     * hits); the table gets about 1/12 of the budget at 8 bytes a slot and load <= 3/4,
     * so it holds a record per ~120 bytes of records area: the area fills first. */
    size_t nslot = 1024;
    while (nslot * 2 * sizeof(cslot) <= budget / 12)
        nslot *= 2;
    size_t area = budget - nslot * sizeof(cslot);
    c->segbytes = (area / CACHE_NSEG) & ~(size_t)7;
    c->maxrec = c->segbytes / 2;
    c->nslot = nslot;
    c->mem = big_alloc(c->segbytes * CACHE_NSEG);
    c->slot = big_alloc(nslot * sizeof(cslot));
    if (!c->mem || !c->slot) {
        big_free(c->mem, c->segbytes * CACHE_NSEG);
        big_free(c->slot, nslot * sizeof(cslot));
        memset(c, 0, sizeof(*c));
        return LF_ENOMEM;
    }
    c->maxcount = nslot / 4 * 3;
    return LF_OK;
}

static void cache_clear(ccache *c)
{
    big_free(c->mem, c->segbytes * CACHE_NSEG);
    big_free(c->slot, c->nslot * sizeof(cslot));
    memset(c, 0, sizeof(*c));
}

static centry *cache_at(const ccache *c, uint32_t ref)
{
    return (centry *)(c->mem + (size_t)(ref - 1) * 8);
}

static uint32_t cache_ref(const ccache *c, const centry *e)
{
    return (uint32_t)(((const unsigned char *)e - c->mem) / 8 + 1);
}

static const unsigned char *centry_body(const centry *e)
{
    return (const unsigned char *)(e + 1);
}

static centry *cache_find(ccache *c, uint32_t tag, const unsigned char *key, size_t keylen)
{
    size_t mask = c->nslot - 1;
    for (size_t j = tag & mask; c->slot[j].ref; j = (j + 1) & mask) {
        if (c->slot[j].tag != tag)
            continue;
        centry *e = cache_at(c, c->slot[j].ref);
        if (e->keylen == keylen && memcmp(centry_body(e) + e->bodylen, key, keylen) == 0)
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

/* Store a coded record; returns false when it is not kept (too large). */
static bool cache_put(ccache *c, uint32_t tag, const unsigned char *key, size_t keylen, const unsigned char *body,
                      size_t bodylen, uint64_t *evicted)
{
    size_t sz = (sizeof(centry) + bodylen + keylen + 7) & ~(size_t)7;
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
    *e = (centry){(uint32_t)sz, tag, (uint32_t)bodylen, (uint16_t)keylen, 0, 0};
    unsigned char *p = (unsigned char *)(e + 1);
    memcpy(p, body, bodylen);
    memcpy(p + bodylen, key, keylen);
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
    st->plan_bytes = m->nplans;
    st->compiled_bytes = m->ncc;
    st->platform_sets = m->nps;
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
    if (db->nprodcrit > IDX_MAX || db->ncrit > IDX_MAX || db->ndoc > IDX_MAX || db->nprod > IDX_MAX ||
        db->nhintdoc > IDX_MAX)
        return lf_err_set(err, LF_ELIMIT, "index too large for the matcher (%zu criteria, %zu documents)",
                          db->ncrit, db->ndoc);
    lf_matcher *m = calloc(1, sizeof(*m));
    if (!m)
        return lf_err_set(err, LF_ENOMEM, "out of memory");
    m->db = db;
    if (bset_init(&m->stamped, db->ncrit) || bset_init(&m->rneg, db->nnode) || bset_init(&m->tested, db->ncrit) ||
        bset_init(&m->testval, db->ncrit) || bset_init(&m->negpres, db->ncrit))
        goto oom;
    m->crit_part = calloc(db->ncrit + 1, 1);
    m->ci = big_alloc((db->ncrit + 1) * sizeof(cinfo));
    m->pvuln = big_alloc((db->nprodcrit + 1) * sizeof(uint32_t));
    m->hp_stamp = calloc(db->nprod + 1, sizeof(uint32_t));
    m->hp_head = calloc(db->nprod + 1, sizeof(uint32_t));
    m->hint = malloc((db->nhintdoc + 1) * sizeof(hinfo));
    m->plan_off = calloc(db->nconfig + 1, sizeof(uint32_t));
    m->cfg_ps = calloc(db->nconfig + 1, sizeof(uint32_t));
    m->plans = big_alloc(PLAN_ARENA);
    m->cc = big_alloc(CC_ARENA);
    m->cc_off = calloc(db->nprod + 1, sizeof(uint32_t));
    m->cc_seen = calloc(db->nprod + 1, 1);
    if (!m->cc || !m->cc_off || !m->cc_seen)
        goto oom;
    m->fams = calloc(NFAMILIES, sizeof(fam));
    m->pfilter = calloc(PFILTER_WORDS, sizeof(uint64_t));
    if (!m->pfilter || !m->crit_part || !m->ci || !m->pvuln ||
        !m->hp_stamp || !m->hp_head || !m->hint || !m->plan_off || !m->cfg_ps || !m->plans || !m->fams)
        goto oom;
    for (size_t p = 0; p < db->nprod; p++) {
        const char *k = vx_str(db, db->prod[p].key);
        pfilter_add(m->pfilter, key_hash((const unsigned char *)k, strlen(k)));
    }
    for (size_t k = 0; k < db->nprodcrit; k++)
        m->pvuln[k] = db->pcrit[k].vuln;
    for (size_t k = 0; k < db->nhintdoc; k++) {
        const vx_doc *d = &db->doc[db->hintdoc[k]];
        m->hint[k] = (hinfo){d->vuln, d->drange_first, d->drange_n, db->hintdoc[k]};
    }
    for (size_t f = 0; f < NFAMILIES; f++) {
        size_t fl = strlen(families[f].prefix);
        bool exact = fl && families[f].prefix[fl - 1] == '\x01';
        const char *imp = families[f].implies;
        m->fams[f].plen = (uint16_t)(exact ? fl - 1 : fl);
        m->fam_parts |= part_bit(families[f].prefix[0]);
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
    bset_free(&m->stamped);
    bset_free(&m->rneg);
    bset_free(&m->negpres);
    bset_free(&m->tested);
    bset_free(&m->testval);
    free(m->crit_part);
    big_free(m->ci, (m->db->ncrit + 1) * sizeof(cinfo));
    big_free(m->pvuln, (m->db->nprodcrit + 1) * sizeof(uint32_t));
    free(m->hp_stamp);
    free(m->hp_head);
    free(m->hint);
    free(m->plan_off);
    big_free(m->plans, PLAN_ARENA);
    free(m->cfg_ps);
    free(m->ps);
    free(m->ps_slot);
    big_free(m->cc, CC_ARENA);
    free(m->cc_off);
    free(m->cc_seen);
    free(m->later);
    free(m->negs);
    free(m->hscans);
    free(m->ictx);
    free(m->pairs);
    free(m->reviews);
    free(m->hints);
    free(m->hits);
    free(m->rhits);
    free(m->seen_key);
    free(m->seen_gen);
    free(m->b_triv);
    free(m->b_stamp);
    free(m->b_pair);
    free(m->b_rev);
    free(m->b_trev);
    free(m->b_hint);
    free(m->b_scan);
    free(m->enc);
    free(m->hk);
    free(m->hkbuf);
    free(m->iv.key);
    free(m->iv.stamp);
    free(m->iv.val);
    free(m->fams);
    free(m->pfilter);
    cache_clear(&m->cache);
    free(m);
}

/* ------------------------------------------------------- host evaluation ---- */

/* Add a coded item record to the host: its trivial hits, its stamps, its pairs,
 * reviews, hints and scan notes. Copies everything, so the record may be evicted
 * afterwards. */
static int replay(lf_matcher *m, const unsigned char *p, uint32_t item)
{
    uint32_t ntriv = get_uv(&p), npair = get_uv(&p), nstamp = get_uv(&p), nrev = get_uv(&p);
    uint32_t ntrev = get_uv(&p), nhint = get_uv(&p), nscan = get_uv(&p);
    if (RESERVE(m->hits, m->nhits, m->caphits, ntriv) || RESERVE(m->pairs, m->npairs, m->cappairs, npair) ||
        RESERVE(m->reviews, m->nreviews, m->capreviews, nrev) || RESERVE(m->rhits, m->nrhits, m->caprhits, ntrev) ||
        RESERVE(m->hints, m->nhints, m->caphints, nhint) || RESERVE(m->hscans, m->nhscans, m->caphscans, nscan))
        return LF_ENOMEM;
    const uint32_t *pv = m->pvuln;
    const vx_pcrit *pcrit = m->db->pcrit;
    /* The vulns of the trivial hits are scattered over PVULN (megabytes): decode first,
     * prefetching each, then read them, so the misses overlap instead of stalling the
     * decode one by one. */
    uint32_t pc = 0;
    if (ntriv) {   /* (m->hits is still NULL before the first hit) */
        lf_hit *th = m->hits + m->nhits;
        for (uint32_t k = 0; k < ntriv; k++) {
            pc = unzz(get_uv(&p), pc);
            __builtin_prefetch(&pv[pc]);
            th[k] = (lf_hit){0, item, pc, LF_HIT_MATCH, R_NONE, 0};
        }
        for (uint32_t k = 0; k < ntriv; k++)
            th[k].vuln = pv[th[k].ref];
        m->nhits += ntriv;
    }
    pc = 0;
    for (uint32_t k = 0; k < npair; k++) {
        pc = unzz(get_uv(&p), pc);
        uint32_t config = get_uv(&p), ps = get_uv(&p);
        /* a pair decided by its platform set is stamped (and its criterion read) only
         * if pass 2 needs it */
        uint32_t crit = ps ? UINT32_MAX : pcrit[pc].crit;
        if (!ps && bset_add(&m->stamped, crit))
            return LF_ENOMEM;
        m->pairs[m->npairs++] = (hpair){crit, config, item, pv[pc], ps, pc};
    }
    uint32_t crit = 0;
    for (uint32_t k = 0; k < nstamp; k++) {
        crit = unzz(get_uv(&p), crit);
        if (bset_add(&m->stamped, crit))
            return LF_ENOMEM;
    }
    pc = 0;
    for (uint32_t k = 0; k < nrev; k++) {
        pc = unzz(get_uv(&p), pc);
        uint32_t config = get_uv(&p);
        uint32_t flags = *p++;
        if ((flags & RV_NEG) && bset_add(&m->rneg, get_uv(&p)))
            return LF_ENOMEM;
        m->reviews[m->nreviews++] = (hreview){pcrit[pc].crit, config, item, flags, pc};
    }
    pc = 0;
    for (uint32_t k = 0; k < ntrev; k++) {
        pc = unzz(get_uv(&p), pc);
        uint8_t why = *p++;
        m->rhits[m->nrhits++] = (lf_hit){pv[pc], item, pc, LF_HIT_REVIEW, why, 0};
    }
    if (nhint) {
        /* the hint hits themselves, with HINT_COLLIDE kept in pad_ until the end of
         * lf_matcher_run, which drops those a pass 1/2 hit precedes */
        uint32_t base = get_uv(&p), k = 0;
        lf_hit *hh = m->hints + m->nhints;
        size_t ncollide = 0;
        /* decode and prefetch, as above; vuln holds the HINT position until the second
         * loop puts the hint's vuln and document in place */
        for (uint32_t q = 0; q < nhint; q++) {
            uint32_t v = get_uv(&p);
            k += v >> 2;
            __builtin_prefetch(&m->hint[base + k]);
            hh[q] = (lf_hit){base + k, item, 0, LF_HIT_UNANALYSED, (v & HINT_RANGE) ? W_HINT_RANGE : W_HINT,
                             (uint16_t)(v & HINT_COLLIDE)};
            ncollide += (v & HINT_COLLIDE) != 0;
        }
        for (uint32_t q = 0; q < nhint; q++) {
            const hinfo *hi = &m->hint[hh[q].vuln];
            hh[q].vuln = hi->vuln;
            hh[q].ref = hi->doc;
        }
        m->nhints += nhint;
        m->nhcollide += ncollide;
    }
    for (uint32_t k = 0; k < nscan; k++) {
        uint32_t pf = get_uv(&p), stop = get_uv(&p);
        uint32_t prod = pf >> 1;
        uint32_t next = m->hp_stamp[prod] == m->gen ? m->hp_head[prod] : UINT32_MAX;
        m->hp_stamp[prod] = m->gen;
        m->hp_head[prod] = (uint32_t)m->nhscans;
        m->hscans[m->nhscans++] = (hscan){item, pf & 1, stop, next, UINT32_MAX};
    }
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
 * Criterion classes for crit_matched, filled in on first use and kept for the
 * matcher's life:
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

/* The class of a criterion as far as known without its product's list. */
static cinfo ci_get(lf_matcher *m, uint32_t crit)
{
    cinfo ci = m->ci[crit];
    if (!ci.prod1) {
        const vx_crit *cr = &m->db->crit[crit];
        bool prod_ok = cr->prod < m->db->nprod;
        ci.prod1 = prod_ok ? cr->prod + 1 : UINT32_MAX;
        ci.pcl = (uint32_t)(prod_ok && !(cr->flags & VXC_VULNERABLE) ? CI_PRODUCT : CI_STAMP) << CI_SHIFT;
        m->ci[crit] = ci;
    }
    return ci;
}

/* Would some item's scan have found platform criterion pc (in product p) matched?
 * The same test the scan makes, on the same items, reached only if the scan reached
 * it. */
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
        if (crit_test(db, c, it, hs->platform != 0, &reason) == T_YES)
            return true;
    }
    return false;
}

/* Is criterion crit matched by some item of the host (pairs and stamps; platform
 * criteria the scans matched; in pass 2 also the undecided criteria)? ci is the
 * caller's copy of its class (a plan's), brought up to date here. */
static bool crit_matched(lf_matcher *m, uint32_t crit, cinfo *ci)
{
    uint32_t cl = ci->pcl >> CI_SHIFT;
    /* platform criteria are stamped only in pass 2 (undecided ones) */
    if ((cl == CI_STAMP || m->pass2) && bset_has(&m->stamped, crit))
        return true;
    if (m->negcheck && bset_has(&m->negpres, crit))
        return true;
    if (cl == CI_STAMP)
        return false;
    uint32_t p = ci->prod1 - 1;
    if (m->hp_stamp[p] != m->gen)
        return false;   /* no item of the host matched a platform criterion of p */
    if (cl == CI_PRODUCT) {
        /* the plan's copy may predate the product's classification */
        if ((m->ci[crit].pcl >> CI_SHIFT) == CI_PRODUCT) {
            ci_resolve(m, p);
            if ((m->ci[crit].pcl >> CI_SHIFT) == CI_PRODUCT)
                m->ci[crit].pcl = (uint32_t)CI_STAMP << CI_SHIFT;   /* not in p's list */
        }
        *ci = m->ci[crit];
        cl = ci->pcl >> CI_SHIFT;
        if (cl == CI_STAMP)
            return false;   /* trivial, or not in the list: the stamp was checked above */
    }
    uint32_t pc = ci->pcl & IDX_MAX;
    if (cl == CI_ALWAYS) {
        uint32_t b = (pc - m->db->prod[p].crit_first) / VX_BLOCK;
        for (uint32_t h = m->hp_head[p]; h != UINT32_MAX; h = m->hscans[h].next)
            if (b < m->hscans[h].stop)
                return true;
        return false;
    }
    if (bset_has(&m->tested, crit))
        return bset_has(&m->testval, crit);
    bool oom = false;
    bool v = crit_matched_slow(m, p, pc, &oom);
    if (oom || bset_add(&m->tested, crit)) {
        m->oom = true;
        return false;
    }
    if (v)
        m->testval.w[crit >> 6] |= 1ull << (crit & 63);
    return v;
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

/* ----------------------------------------------------------------- plans ---- */

static pconf *plan_at(const lf_matcher *m, uint32_t off1)
{
    return (pconf *)(m->plans + off1 - 1);
}

static pnode *plan_node_at(pconf *pl, uint32_t j)
{
    return (pnode *)(pl + 1) + j;
}

/* The plan of configuration ci, built on first use. When the arena is full every plan
 * is dropped (they are rebuilt as hosts need them); a plan larger than the whole
 * arena is not possible for an index that passed lf_vdb_open with sane sizes, and is
 * refused (NULL, reported as out of memory). */
static pconf *plan_get(lf_matcher *m, uint32_t ci)
{
    if (m->plan_off[ci])
        return plan_at(m, m->plan_off[ci]);
    const lf_vdb *db = m->db;
    const vx_config *cf = &db->config[ci];
    size_t ncrit = 0;
    for (uint32_t k = 0; k < cf->node_n; k++)
        ncrit += db->node[cf->node_first + k].crit_n;
    size_t need = sizeof(pconf) + (size_t)cf->node_n * sizeof(pnode) + ncrit * sizeof(pent);
    if (need > PLAN_ARENA)
        return NULL;
    if (m->nplans + need > PLAN_ARENA) {
        memset(m->plan_off, 0, (db->nconfig + 1) * sizeof(uint32_t));
        m->nplans = 0;
    }
    size_t off = m->nplans;
    pconf *pl = (pconf *)(m->plans + off);
    const vx_doc *d = &db->doc[cf->doc];
    *pl = (pconf){0, 0, (cf->op_and & VXF_AND) != 0, 0, 0, cf->node_first, cf->node_n, cf->doc, d->vuln, ci - d->config_first};
    size_t ent = off + sizeof(pconf) + (size_t)cf->node_n * sizeof(pnode);
    for (uint32_t k = 0; k < cf->node_n; k++) {
        const vx_node *n = &db->node[cf->node_first + k];
        if (n->flags & VXN_NEGATE)
            pl->has_neg = 1;
        *plan_node_at(pl, k) = (pnode){0, 0, (uint8_t)(n->flags & (VXN_AND | VXN_NEGATE)), {0, 0},
                                       cf->node_first + k, n->crit_first, n->crit_n, (uint32_t)ent};
        pent *pe = (pent *)(m->plans + ent);
        for (uint32_t q = 0; q < n->crit_n; q++) {
            uint32_t crit = n->crit_first + q;
            pe[q] = (pent){ci_get(m, crit), (db->crit[crit].flags & VXC_VULNERABLE) ? PE_VULNERABLE : 0};
        }
        ent += (size_t)n->crit_n * sizeof(pent);
    }
    m->nplans = ent;
    m->plan_off[ci] = (uint32_t)off + 1;
    return pl;
}

static bool plan_node(lf_matcher *m, pconf *pl, uint32_t j)
{
    pnode *nd = plan_node_at(pl, j);
    if (nd->stamp == m->cgen)
        return nd->sat;
    pent *pe = (pent *)(m->plans + nd->ent);
    bool and = (nd->flags & VXN_AND) != 0;
    bool sat = and;   /* an AND over no criteria holds, as lf_explain_doc has it */
    for (uint32_t k = 0; k < nd->crit_n; k++) {
        bool hit = crit_matched(m, nd->crit_first + k, &pe[k].ci);
        if (and && !hit) {
            sat = false;
            break;
        }
        if (!and && hit) {
            sat = true;
            break;
        }
    }
    if (nd->flags & VXN_NEGATE)
        sat = !sat;
    nd->stamp = m->cgen;
    nd->sat = sat;
    return sat;
}

static bool plan_config(lf_matcher *m, pconf *pl)
{
    if (pl->stamp == m->cgen)
        return pl->sat;
    bool sat = pl->op_and ? pl->node_n > 0 : false;
    for (uint32_t k = 0; k < pl->node_n; k++) {
        bool s = plan_node(m, pl, k);
        if (pl->op_and && !s) {
            sat = false;
            break;
        }
        if (!pl->op_and && s) {
            sat = true;
            break;
        }
    }
    pl->stamp = m->cgen;
    pl->sat = sat;
    return sat;
}

/* Does the configuration have a negated node holding a criterion that could not be
 * decided for this host? */
static bool negated_undecided(lf_matcher *m, pconf *pl)
{
    if (!pl->has_neg)
        return false;
    for (uint32_t k = 0; k < pl->node_n; k++)
        if (bset_has(&m->rneg, plan_node_at(pl, k)->node))
            return true;
    return false;
}

/*
 * A configuration that is not satisfied only because a platform is missing from an
 * inventory that names no platform of that kind at all (no hardware listed for a
 * firewall whose firmware is vulnerable; no OS listed for a Windows-only application)
 * is not evidence of safety: the inventory is silent. Such a case goes to review.
 * A host that lists another platform of the kind (Linux instead of Windows, a
 * different device model) is a real non-match.
 */
static bool only_platform_missing(lf_matcher *m, pconf *pl, const bool has_part[3])
{
    if (!pl->op_and)
        return false;
    bool missing = false;
    for (uint32_t k = 0; k < pl->node_n; k++) {
        if (plan_node(m, pl, k))
            continue;
        pnode *nd = plan_node_at(pl, k);
        if (nd->flags & (VXN_NEGATE | VXN_AND))
            return false;
        pent *pe = (pent *)(m->plans + nd->ent);
        for (uint32_t q = 0; q < nd->crit_n; q++) {
            if (pe[q].info & PE_VULNERABLE)
                return false;
            if (!(pe[q].info & 0xff))
                pe[q].info |= (uint8_t)crit_part(m, nd->crit_first + q);
            char part = (char)(pe[q].info & 0xff);
            int pi = part == 'a' ? 0 : part == 'o' ? 1 : part == 'h' ? 2 : -1;
            if (pi < 0 || has_part[pi])
                return false;
        }
        missing = true;
    }
    return missing;
}

/* The plan of a pair's or review's configuration and the index of the node holding
 * its criterion; NULL when out of memory (m->oom) or the index is inconsistent. */
static pconf *plan_for(lf_matcher *m, uint32_t crit, uint32_t config, uint32_t *j)
{
    m->st.evaluations++;
    pconf *pl = plan_get(m, config);
    if (!pl) {
        m->oom = true;
        return NULL;
    }
    for (*j = 0; *j < pl->node_n; (*j)++) {
        const pnode *nd = plan_node_at(pl, *j);
        if (crit - nd->crit_first < nd->crit_n)
            return pl;
    }
    return NULL;
}

/* A configuration of one non-negated OR node: any stamped criterion satisfies it. */
static bool plan_trivial(pconf *pl)
{
    return pl->node_n == 1 && !(plan_node_at(pl, 0)->flags & (VXN_AND | VXN_NEGATE));
}

/* Prefetch for the plan of a configuration needed `ahead` iterations later: first its
 * offset, then (once that has arrived, half as far ahead) the plan itself. */
static void plan_prefetch(const lf_matcher *m, uint32_t far_config, uint32_t near_config)
{
    if (far_config != UINT32_MAX)
        __builtin_prefetch(&m->plan_off[far_config]);
    if (near_config != UINT32_MAX && m->plan_off[near_config]) {
        const unsigned char *p = m->plans + m->plan_off[near_config] - 1;
        __builtin_prefetch(p);
        __builtin_prefetch(p + 64);
    }
}
#define PLAN_AHEAD 24

/* Platform set ps's value for this host in pass 1, evaluated once per host through the
 * plan of the configuration it was first seen in. */
static bool ps_value(lf_matcher *m, uint32_t ps)
{
    psent *e = &m->ps[ps];
    if (e->stamp == m->gen)
        return e->val;
    pconf *pl = plan_get(m, e->config);
    bool v = false;
    if (pl)
        v = plan_node(m, pl, e->node);
    else
        m->oom = true;
    e->stamp = m->gen;
    e->val = v;
    return v;
}

/*
 * One hit per (vuln, item) for the hits of passes 1 and 2 (the record builder already
 * took out those that a trivial hit or hint precedes, see the top of this file). The
 * set is an open-addressing table whose slots are stamped with a generation, so it is
 * never cleared; each host starts with its first SEEN_MIN slots only, so one host with
 * many hits does not spread every later host over a large table.
 */
#define SEEN_MIN 1024

static size_t seen_home(uint64_t k, size_t mask)
{
    return (size_t)((k * 0x9e3779b97f4a7c15ull) >> 32) & mask;
}

/* Start over with n slots (a new generation), putting back this host's pass 1/2 hits,
 * which are exactly the set's members. */
static int seen_reset(lf_matcher *m, size_t n)
{
    if (n > m->capseen) {
        uint64_t *nk = realloc(m->seen_key, n * sizeof(*nk));
        if (!nk)
            return LF_ENOMEM;
        m->seen_key = nk;
        uint32_t *ng = realloc(m->seen_gen, n * sizeof(*ng));
        if (!ng)
            return LF_ENOMEM;
        memset(ng + m->capseen, 0, (n - m->capseen) * sizeof(*ng));
        m->seen_gen = ng;
        m->capseen = n;
    }
    if (++m->sgen == 0) {
        memset(m->seen_gen, 0, m->capseen * sizeof(uint32_t));
        m->sgen = 1;
    }
    m->nseen = n;
    for (size_t i = m->dyn_first; i < m->nhits; i++) {
        uint64_t k = ((uint64_t)m->hits[i].vuln << 32) | m->hits[i].item;
        size_t j = seen_home(k, n - 1);
        while (m->seen_gen[j] == m->sgen)
            j = (j + 1) & (n - 1);
        m->seen_gen[j] = m->sgen;
        m->seen_key[j] = k;
    }
    return LF_OK;
}

static bool seen_has(const lf_matcher *m, uint32_t vuln, uint32_t item)
{
    uint64_t k = ((uint64_t)vuln << 32) | item;
    size_t mask = m->nseen - 1;
    for (size_t j = seen_home(k, mask); m->seen_gen[j] == m->sgen; j = (j + 1) & mask)
        if (m->seen_key[j] == k)
            return true;
    return false;
}

static int push_hit(lf_matcher *m, lf_hit_kind kind, uint32_t vuln, uint32_t pc, uint32_t item, int why)
{
    if ((m->nhits - m->dyn_first + 1) * 2 > m->nseen && seen_reset(m, m->nseen * 2))
        return LF_ENOMEM;
    uint64_t k = ((uint64_t)vuln << 32) | item;
    size_t mask = m->nseen - 1;
    size_t j = seen_home(k, mask);
    while (m->seen_gen[j] == m->sgen) {
        if (m->seen_key[j] == k)
            return LF_OK;          /* this (vuln, item) has a hit of an equal or stronger kind */
        j = (j + 1) & mask;
    }
    m->seen_gen[j] = m->sgen;
    m->seen_key[j] = k;
    GROW(m->hits, m->nhits, m->caphits);
    m->hits[m->nhits++] = (lf_hit){vuln, item, pc, (uint8_t)kind, (uint8_t)why, 0};
    return LF_OK;
}

/*
 * The host's items in three rounds, so the cache's memory reads overlap instead of
 * waiting one after another (the table and the records are far larger than the CPU
 * caches): (1) probe every item, make its key, prefetch its table slot; (2) read the
 * slots, prefetch the records they point to; (3) in item order, look up for real and
 * replay, or build, store and replay. Rounds 1 and 2 are only hints: round 3 finds
 * the record again, so records moved or dropped in between change nothing.
 */
enum { HK_NONE = 0, HK_BUILD, HK_LOOKUP };

/*
 * The items that will be built rather than replayed (not in the cache) read the index
 * where no host has read it lately: a product lookup is three reads that depend on one
 * another (hash slot, product, its name), then the product's criteria, blocks and hints.
 * Done one item after another, each read waits for memory; here each step is started
 * for all such items of the host before the next, so the waits overlap. Hints only:
 * item_build looks everything up again.
 */
static void miss_prefetch(lf_matcher *m, const lf_cpe *items, size_t nitems)
{
    const lf_vdb *db = m->db;
    if (!db->nprodhash)
        return;
    size_t mask = db->nprodhash - 1;
    for (size_t i = 0; i < nitems; i++) {
        hkey *hk = &m->hk[i];
        hk->pslot = UINT32_MAX;
        if (!hk->miss)
            continue;
        iprobe pr;
        if (!item_probe(m, &items[i], &pr) || !pr.maybe_known)
            continue;
        hk->pslot = lf_vx_hash(pr.key, pr.kn) & (uint32_t)mask;
        __builtin_prefetch(&db->prodhash[hk->pslot]);
    }
    for (size_t i = 0; i < nitems; i++) {
        hkey *hk = &m->hk[i];
        if (hk->pslot == UINT32_MAX || !hk->miss)
            continue;
        uint32_t slot = db->prodhash[hk->pslot];
        hk->pslot = slot ? slot - 1 : UINT32_MAX;   /* now the product */
        if (slot)
            __builtin_prefetch(&db->prod[slot - 1]);
    }
    for (size_t i = 0; i < nitems; i++) {
        const hkey *hk = &m->hk[i];
        if (hk->pslot == UINT32_MAX || !hk->miss)
            continue;
        const vx_prod *p = &db->prod[hk->pslot];
        __builtin_prefetch(vx_str(db, p->key));
        const unsigned char *pc = (const unsigned char *)&db->pcrit[p->crit_first];
        for (uint32_t k = 0; k < 4 && k * 64 < p->crit_n * sizeof(vx_pcrit); k++)
            __builtin_prefetch(pc + k * 64);
        __builtin_prefetch(&db->block[p->block_first]);
        if (p->hint_n)
            __builtin_prefetch(&m->hint[p->hint_first]);
    }
}

static int items_prepare(lf_matcher *m, const lf_cpe *items, size_t nitems)
{
    if (RESERVE(m->hk, 0, m->caphk, nitems))
        return LF_ENOMEM;
    m->nhkbuf = 0;
    for (size_t i = 0; i < nitems; i++) {
        hkey *hk = &m->hk[i];
        iprobe pr;
        hk->state = HK_NONE;
        if (!item_probe(m, &items[i], &pr) || (!pr.maybe_known && !pr.nf))
            continue;   /* names no product of the index: nothing to find or to keep */
        hk->state = HK_BUILD;
        if (!m->cache_on || RESERVE(m->hkbuf, m->nhkbuf, m->caphkbuf, HKEY_MAX))
            continue;
        size_t kl = item_key(&items[i], m->hkbuf + m->nhkbuf, HKEY_MAX);
        if (!kl)
            continue;
        hk->state = HK_LOOKUP;
        hk->off = (uint32_t)m->nhkbuf;
        hk->len = (uint16_t)kl;
        hk->tag = (uint32_t)key_hash(m->hkbuf + m->nhkbuf, kl);
        m->nhkbuf += kl;
        __builtin_prefetch(&m->cache.slot[hk->tag & (m->cache.nslot - 1)]);
    }
    size_t nmiss = 0;
    for (size_t i = 0; i < nitems; i++) {
        hkey *hk = &m->hk[i];
        hk->miss = hk->state == HK_BUILD;
        if (hk->state != HK_LOOKUP)
            continue;
        const ccache *c = &m->cache;
        size_t mask = c->nslot - 1;
        hk->miss = 1;
        for (size_t j = hk->tag & mask; c->slot[j].ref; j = (j + 1) & mask)
            if (c->slot[j].tag == hk->tag) {
                /* the header, the coded record and the key after it: about 190 bytes
                 * on the benchmark, and round 3 reads the key first (cache_find) */
                const unsigned char *e = (const unsigned char *)cache_at(c, c->slot[j].ref);
                __builtin_prefetch(e);
                __builtin_prefetch(e + 64);
                __builtin_prefetch(e + 128);
                __builtin_prefetch(e + 192);
                hk->miss = 0;
                break;
            }
        nmiss += hk->miss;
    }
    if (nmiss)
        miss_prefetch(m, items, nitems);
    return LF_OK;
}

/* Replay the record of item i: from the cache, or built (and offered to the cache). */
static int item_record(lf_matcher *m, const lf_cpe *c, uint32_t i)
{
    const hkey *hk = &m->hk[i];
    if (hk->state == HK_NONE)
        return LF_OK;
    const unsigned char *key = hk->state == HK_LOOKUP ? m->hkbuf + hk->off : NULL;
    if (hk->state == HK_LOOKUP) {
        centry *e = cache_find(&m->cache, hk->tag, key, hk->len);
        if (e) {
            m->st.cache_hits++;
            e->used = 1;
            return replay(m, centry_body(e), i);
        }
        m->st.cache_misses++;
    }
    iprobe pr;
    bool tested;
    item_probe(m, c, &pr);
    if (item_build(m, c, &pr, &tested))
        return LF_ENOMEM;
    size_t bl = rec_encode(m);
    if (!bl)
        return LF_ENOMEM;
    if (hk->state == HK_LOOKUP &&
        (!tested || !cache_put(&m->cache, hk->tag, key, hk->len, m->enc, bl, &m->st.cache_evicted)))
        m->st.cache_uncached++;
    return replay(m, m->enc, i);
}

/* A new generation of the plans' node and configuration memos (each evaluation mode of a
 * host needs its own); when the counter wraps, the memos are dropped with the plans. */
static void memo_next(lf_matcher *m)
{
    if (++m->cgen == 0) {
        memset(m->plan_off, 0, (m->db->nconfig + 1) * sizeof(uint32_t));
        m->nplans = 0;
        m->cgen = 1;
    }
}

int lf_matcher_run(lf_matcher *m, const lf_cpe *items, size_t nitems, const lf_hit **hits,
                   size_t *nhits, lf_err *err)
{
    const lf_vdb *db = m->db;
    if (++m->gen == 0) {
        /* wrapped after 4 G hosts: clear once */
        memset(m->hp_stamp, 0, (db->nprod + 1) * sizeof(uint32_t));
        for (size_t k = 0; k < m->nps; k++)
            m->ps[k].stamp = 0;
        m->gen = 1;
    }
    memo_next(m);
    m->npairs = m->nreviews = m->nhits = m->nrhits = m->nhints = m->nhcollide = m->nhscans = m->nictx = 0;
    bset_clear(&m->stamped, NULL);
    bset_clear(&m->rneg, NULL);
    bset_clear(&m->negpres, NULL);   /* empty unless the last host ran out of memory */
    m->negcheck = false;
    bset_clear(&m->tested, &m->testval);
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
            if (part[0] == 'a' || part[0] == 'o' || part[0] == 'h')   /* p: a package, no platform */
                has_part[part[0] == 'a' ? 0 : part[0] == 'o' ? 1 : 2] = true;
    }
    if (items_prepare(m, items, nitems))
        goto oom;
    for (size_t i = 0; i < nitems; i++)
        if (item_record(m, &items[i], (uint32_t)i))
            goto oom;

    /* Pass 1: MATCH hits of satisfied configurations (vulnerable matched criteria in
     * satisfied, non-negated nodes). Pairs whose configuration does not hold are kept
     * for pass 2. */
    m->dyn_first = m->nhits;
    if (seen_reset(m, SEEN_MIN))
        goto oom;
    m->nlater = 0;
    m->nnegs = 0;
    for (size_t pi = 0; pi < m->npairs; pi++) {
        const hpair *pr = &m->pairs[pi];
        plan_prefetch(m, pi + PLAN_AHEAD < m->npairs && !pr[PLAN_AHEAD].ps ? pr[PLAN_AHEAD].config : UINT32_MAX,
                      pi + PLAN_AHEAD / 2 < m->npairs && !pr[PLAN_AHEAD / 2].ps ? pr[PLAN_AHEAD / 2].config
                                                                               : UINT32_MAX);
        if (pr->ps) {
            /* application on platform: holds iff the platform set does */
            m->st.evaluations++;
            m->st.platform_decided++;
            if (ps_value(m, pr->ps - 1)) {
                if (push_hit(m, LF_HIT_MATCH, pr->vuln, pr->pc, pr->item, R_NONE))
                    goto oom;
            } else {
                GROW(m->later, m->nlater, m->caplater);
                m->later[m->nlater++] = (uint32_t)pi;
                m->pairs[pi].crit = db->pcrit[pr->pc].crit;
                if (bset_add(&m->stamped, pr->crit))   /* pass 2 evaluates its node */
                    goto oom;
            }
            continue;
        }
        uint32_t j;
        pconf *pl = plan_for(m, pr->crit, pr->config, &j);
        if (!pl)
            continue;
        if (!plan_node(m, pl, j) || !plan_config(m, pl)) {
            GROW(m->later, m->nlater, m->caplater);
            m->later[m->nlater++] = (uint32_t)pi;
            continue;
        }
        /* it holds only if an undecided negated condition (a hotfix whose version
         * cannot be ordered, say) is absent: review, after every certain MATCH of pass 1,
         * so another configuration that holds for the same vuln and item wins */
        if (negated_undecided(m, pl)) {
            GROW(m->negs, m->nnegs, m->capnegs);
            m->negs[m->nnegs++] = (uint32_t)pi;
            continue;
        }
        if (push_hit(m, LF_HIT_MATCH, pl->vuln, pr->pc, pr->item, R_NONE))
            goto oom;
    }
    /* A configuration that holds with its negated undecided criteria absent is decided
     * by evaluating it again with them present: NVD's configurations are monotone
     * (negation only at node level, each criterion in one node), so holding then means
     * holding whatever they are (a negated AND node with a criterion that fails, an OR
     * configuration with another node that holds): a certain MATCH, pushed before the
     * reviews so that it takes the (vuln, item). Else it holds unless they apply: review. */
    if (m->nnegs) {
        memo_next(m);
        for (size_t ri = 0; ri < m->nreviews; ri++)
            if ((m->reviews[ri].flags & RV_NEG) && bset_add(&m->negpres, m->reviews[ri].crit))
                goto oom;
        m->negcheck = true;
        for (size_t k = 0; k < m->nnegs; k++) {
            const hpair *pr = &m->pairs[m->negs[k]];
            uint32_t j;
            pconf *pl = plan_for(m, pr->crit, pr->config, &j);
            if (pl && plan_node(m, pl, j) && plan_config(m, pl)) {
                m->negs[k] |= NEG_CERTAIN;
                if (push_hit(m, LF_HIT_MATCH, pr->vuln, pr->pc, pr->item, R_NONE))
                    goto oom;
            }
        }
        m->negcheck = false;
        bset_clear(&m->negpres, NULL);
        for (size_t k = 0; k < m->nnegs; k++) {
            if (m->negs[k] & NEG_CERTAIN)
                continue;
            const hpair *pr = &m->pairs[m->negs[k]];
            if (push_hit(m, LF_HIT_REVIEW, pr->vuln, pr->pc, pr->item, W_NEGATED))
                goto oom;
        }
    }

    /* Pass 2, the trial: every criterion that could not be decided for this host
     * (vulnerable or platform) counts as present, and configurations are evaluated
     * again. What holds only then is REVIEW, never a silent miss; so is a running-on
     * configuration whose platform is of a kind the inventory does not list at all. */
    if (m->nlater || m->nreviews) {
        memo_next(m);
        /* undecided counts as present, except in negated nodes, where present is the
         * restrictive choice: there it stays absent */
        m->pass2 = true;
        for (size_t ri = 0; ri < m->nreviews; ri++)
            if (!(m->reviews[ri].flags & RV_NEG) && bset_add(&m->stamped, m->reviews[ri].crit))
                goto oom;
        for (size_t li = 0; li < m->nlater; li++) {
            const hpair *pr = &m->pairs[m->later[li]];
            plan_prefetch(m, li + PLAN_AHEAD < m->nlater ? m->pairs[m->later[li + PLAN_AHEAD]].config : UINT32_MAX,
                          li + PLAN_AHEAD / 2 < m->nlater ? m->pairs[m->later[li + PLAN_AHEAD / 2]].config
                                                          : UINT32_MAX);
            uint32_t j;
            pconf *pl = plan_for(m, pr->crit, pr->config, &j);
            if (!pl || !plan_node(m, pl, j))
                continue;
            int why = plan_config(m, pl)                          ? W_TRIAL
                      : only_platform_missing(m, pl, has_part) ? W_PLATFORM
                                                               : R_NONE;
            if (why && push_hit(m, LF_HIT_REVIEW, pl->vuln, pr->pc, pr->item, why))
                goto oom;
        }
        for (size_t ri = 0; ri < m->nreviews; ri++) {
            const hreview *rv = &m->reviews[ri];
            plan_prefetch(m, ri + PLAN_AHEAD < m->nreviews ? rv[PLAN_AHEAD].config : UINT32_MAX,
                          ri + PLAN_AHEAD / 2 < m->nreviews ? rv[PLAN_AHEAD / 2].config : UINT32_MAX);
            if (rv->flags & RV_NOHIT)
                continue;   /* not vulnerable, in a negated node, or hit already */
            int why = (int)(rv->flags & RV_REASON);
            uint32_t j;
            pconf *pl = plan_for(m, rv->crit, rv->config, &j);
            if (!pl)
                continue;
            /* the criterion, stamped above, satisfies a one-node OR configuration;
             * the others are evaluated */
            if (!plan_trivial(pl)) {
                if (!plan_node(m, pl, j))
                    continue;
                if (!plan_config(m, pl)) {
                    if (!only_platform_missing(m, pl, has_part))
                        continue;
                    why = W_PLATFORM;
                }
            }
            if (push_hit(m, LF_HIT_REVIEW, pl->vuln, rv->pc, rv->item, why))
                goto oom;
        }
    }
    if (m->oom)
        goto oom;
    /* then the direct reviews (certain, and of no (vuln, item) above, see item_build) */
    if (RESERVE(m->hits, m->nhits, m->caphits, m->nrhits))
        goto oom;
    if (m->nrhits)
        memcpy(m->hits + m->nhits, m->rhits, m->nrhits * sizeof(lf_hit));
    m->nhits += m->nrhits;

    /* last: the hints of documents without applicability data */
    if (RESERVE(m->hits, m->nhits, m->caphits, m->nhints))
        goto oom;
    if (!m->nhcollide) {
        if (m->nhints)
            memcpy(m->hits + m->nhits, m->hints, m->nhints * sizeof(lf_hit));
        m->nhits += m->nhints;
    } else {
        for (size_t k = 0; k < m->nhints; k++) {
            lf_hit h = m->hints[k];
            if (h.pad_ && seen_has(m, h.vuln, h.item))
                continue;
            h.pad_ = 0;
            m->hits[m->nhits++] = h;
        }
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

/* ------------------------------------------------------ hit accessors ---- */

uint32_t lf_hit_crit(const lf_vdb *db, const lf_hit *h)
{
    if (h->kind == LF_HIT_UNANALYSED || h->ref >= db->nprodcrit)
        return UINT32_MAX;
    return db->pcrit[h->ref].crit;
}

uint32_t lf_hit_doc(const lf_vdb *db, const lf_hit *h)
{
    if (h->kind == LF_HIT_UNANALYSED)
        return h->ref;
    return h->ref < db->nprodcrit ? db->pcrit[h->ref].doc : UINT32_MAX;
}

uint32_t lf_hit_config(const lf_vdb *db, const lf_hit *h)
{
    if (h->kind == LF_HIT_UNANALYSED || h->ref >= db->nprodcrit)
        return UINT32_MAX;
    return db->pcrit[h->ref].config_ord;
}

const char *lf_hit_reason(const lf_hit *h)
{
    return h->why < W_N ? reason_text[h->why] : NULL;
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

/* ---------------------------------------------------------- explanation ---- */

/* (product, item) pairs of a host, sorted by product, so the criteria of one document
 * find the items that name their product by binary search. */
typedef struct xpair {
    uint32_t prod, item;
    bool implied;              /* a platform family name the item implies */
} xpair;

struct lf_explain {
    const lf_vdb *db;
    const lf_cpe *items;
    size_t nitems;
    item_ctx *ictx;
    xpair *pairs;
    size_t npairs;
};

static int xpair_cmp(const void *a, const void *b)
{
    const xpair *x = a, *y = b;
    if (x->prod != y->prod)
        return x->prod < y->prod ? -1 : 1;
    return x->item < y->item ? -1 : x->item > y->item;
}

int lf_explain_new(const lf_vdb *db, const lf_cpe *items, size_t nitems, lf_explain **out, lf_err *err)
{
    lf_explain *x = calloc(1, sizeof(*x));
    if (!x)
        goto oom;
    x->db = db;
    x->items = items;
    x->nitems = nitems;
    x->ictx = calloc(nitems ? nitems : 1, sizeof(item_ctx));
    x->pairs = malloc((nitems ? nitems : 1) * (1 + NFAMILIES) * sizeof(xpair));
    if (!x->ictx || !x->pairs)
        goto oom;
    for (size_t i = 0; i < nitems; i++) {
        item_prepare(&x->ictx[i], &items[i]);
        const lf_cpe *c = &items[i];
        const char *part = lf_cpe_value(c, LF_CPE_PART);
        const char *vendor = lf_cpe_value(c, LF_CPE_VENDOR);
        const char *product = lf_cpe_value(c, LF_CPE_PRODUCT);
        if (!part || !vendor || !product)
            continue;
        char key[LF_CPE_MAX + 8];
        int kn = lf_vx_prod_key(part[0], vendor, c->len[LF_CPE_VENDOR], product, c->len[LF_CPE_PRODUCT], key,
                                sizeof key);
        if (kn < 0)
            continue;
        uint32_t p = lf_vx_find_prod(db, key, (size_t)kn, lf_vx_hash(key, (size_t)kn));
        if (p != UINT32_MAX)
            x->pairs[x->npairs++] = (xpair){p, (uint32_t)i, false};
        for (size_t f = 0; f < NFAMILIES; f++) {
            size_t pl = strcspn(families[f].prefix, "\x01");
            bool exact = families[f].prefix[pl] == '\x01';
            if ((size_t)kn < pl || memcmp(key, families[f].prefix, pl) != 0 || (exact && (size_t)kn != pl))
                continue;
            const char *im = families[f].implies;
            uint32_t fp = lf_vx_find_prod(db, im, strlen(im), lf_vx_hash(im, strlen(im)));
            if (fp != UINT32_MAX && fp != p)
                x->pairs[x->npairs++] = (xpair){fp, (uint32_t)i, true};
        }
    }
    qsort(x->pairs, x->npairs, sizeof(xpair), xpair_cmp);
    *out = x;
    return LF_OK;
oom:
    lf_explain_free(x);
    return lf_err_set(err, LF_ENOMEM, "out of memory while explaining a finding");
}

void lf_explain_free(lf_explain *x)
{
    if (!x)
        return;
    free(x->ictx);
    free(x->pairs);
    free(x);
}

enum { X3_NO = 0, X3_YES = 1, X3_UNKNOWN = 2 };

/* The criterion against every item that names its product: YES with the first item
 * that matches, UNKNOWN when one can only be reviewed. *touched: some item names it. */
static int explain_crit(const lf_explain *x, uint32_t ci, uint32_t *item, bool *touched)
{
    const lf_vdb *db = x->db;
    const vx_crit *cr = &db->crit[ci];
    if (cr->prod == UINT32_MAX)
        return X3_NO;
    const vx_node *nd = &db->node[cr->node];
    const vx_doc *d = &db->doc[cr->doc];
    vx_pcrit pc = {ci, cr->flags, cr->start_key, cr->end_key, cr->ver_key, cr->extra, cr->doc,
                   cr->node, d->vuln, nd->config - d->config_first};
    size_t lo = 0, hi = x->npairs;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (x->pairs[mid].prod < cr->prod)
            lo = mid + 1;
        else
            hi = mid;
    }
    int res = X3_NO;
    for (size_t k = lo; k < x->npairs && x->pairs[k].prod == cr->prod; k++) {
        const xpair *p = &x->pairs[k];
        if (p->implied && (cr->flags & VXC_VULNERABLE))
            continue;   /* an implied platform name never makes a finding on its own */
        *touched = *touched || (cr->flags & VXC_VULNERABLE);
        int reason = R_NONE;
        int t = crit_test(db, &pc, &x->ictx[p->item], false, &reason);
        if (t == T_YES) {
            *item = p->item;
            return X3_YES;
        }
        if (t == T_REVIEW && res == X3_NO) {
            *item = p->item;
            res = X3_UNKNOWN;
        }
    }
    return res;
}

lf_verdict lf_explain_doc(const lf_explain *x, uint32_t doc, lf_doc_verdict *out)
{
    const lf_vdb *db = x->db;
    const vx_doc *d = &db->doc[doc];
    lf_doc_verdict best = {LF_VERDICT_SILENT, UINT32_MAX, UINT32_MAX, UINT32_MAX};
    bool touched = false;
    /* verdict strength within one document: affected > not affected > review */
    static const int rank[] = {[LF_VERDICT_SILENT] = 0, [LF_VERDICT_OUTSIDE] = 1, [LF_VERDICT_REVIEW] = 2,
                               [LF_VERDICT_NOT_AFFECTED] = 3, [LF_VERDICT_AFFECTED] = 4};
    for (uint32_t k = 0; k < d->config_n; k++) {
        const vx_config *cf = &db->config[d->config_first + k];
        bool c_and = (cf->op_and & VXF_AND) != 0;
        int cv = c_and ? X3_YES : X3_NO;
        uint32_t c_crit = UINT32_MAX, c_item = UINT32_MAX;
        for (uint32_t j = 0; j < cf->node_n; j++) {
            const vx_node *nd = &db->node[cf->node_first + j];
            bool n_and = (nd->flags & VXN_AND) != 0;
            int nv = n_and ? X3_YES : X3_NO;
            for (uint32_t q = 0; q < nd->crit_n; q++) {
                uint32_t ci = nd->crit_first + q, it = UINT32_MAX;
                int v = explain_crit(x, ci, &it, &touched);
                if (v != X3_NO && (db->crit[ci].flags & VXC_VULNERABLE) && !(nd->flags & VXN_NEGATE) &&
                    c_crit == UINT32_MAX) {
                    c_crit = ci;
                    c_item = it;
                }
                if (n_and)
                    nv = v == X3_NO ? X3_NO : (nv == X3_NO ? X3_NO : (v == X3_UNKNOWN ? X3_UNKNOWN : nv));
                else
                    nv = v == X3_YES ? X3_YES : (nv == X3_YES ? X3_YES : (v == X3_UNKNOWN ? X3_UNKNOWN : nv));
            }
            if (nd->flags & VXN_NEGATE)
                nv = nv == X3_YES ? X3_NO : nv == X3_NO ? X3_YES : X3_UNKNOWN;
            if (c_and)
                cv = nv == X3_NO ? X3_NO : (cv == X3_NO ? X3_NO : (nv == X3_UNKNOWN ? X3_UNKNOWN : cv));
            else
                cv = nv == X3_YES ? X3_YES : (cv == X3_YES ? X3_YES : (nv == X3_UNKNOWN ? X3_UNKNOWN : cv));
        }
        if (!cf->node_n)
            cv = X3_NO;
        lf_verdict v = LF_VERDICT_SILENT;
        if (cv == X3_YES)
            v = (cf->op_and & VXF_NOT_AFFECTED) ? LF_VERDICT_NOT_AFFECTED : LF_VERDICT_AFFECTED;
        else if (cv == X3_UNKNOWN && !(cf->op_and & VXF_NOT_AFFECTED))
            v = LF_VERDICT_REVIEW;
        if (v != LF_VERDICT_SILENT && rank[v] > rank[best.verdict])
            best = (lf_doc_verdict){v, k, c_crit, c_item};
    }
    if (best.verdict == LF_VERDICT_SILENT && touched)
        best.verdict = LF_VERDICT_OUTSIDE;
    if (out)
        *out = best;
    return best.verdict;
}

const char *lf_verdict_name(lf_verdict v)
{
    switch (v) {
    case LF_VERDICT_AFFECTED: return "affected";
    case LF_VERDICT_NOT_AFFECTED: return "not-affected";
    case LF_VERDICT_REVIEW: return "review";
    case LF_VERDICT_OUTSIDE: return "outside-range";
    case LF_VERDICT_SILENT: break;
    }
    return "silent";
}
