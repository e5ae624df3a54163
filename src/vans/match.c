/*
 * match: host inventory x vulnerability index (see match.h for the semantics).
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

/* A matched criterion (by its PCRIT position) and the item that matched it. */
typedef struct pair {
    uint32_t pc, item;
} pair;

typedef struct review {
    uint32_t pc, item;
    const char *reason;
} review;

struct lf_matcher {
    const lf_vdb *db;
    uint32_t gen;
    uint32_t cgen;            /* generation of the node/config evaluation caches */
    uint32_t *later;          /* pairs whose configuration did not hold in pass 1 */
    size_t nlater, caplater;
    uint32_t *crit_stamp;     /* crit matched by some item of this host */
    uint32_t *node_stamp;     /* node evaluated this host ... */
    uint8_t *node_sat;        /* ... and its value */
    uint32_t *node_rstamp;    /* negated node holding an undecided criterion this host */
    uint32_t *config_stamp;
    uint8_t *config_sat;
    pair *pairs;
    size_t npairs, cappairs;
    review *reviews;
    size_t nreviews, capreviews;
    lf_hit *hits;
    size_t nhits, caphits;
    uint64_t *seen_key;       /* (vuln, item) pairs with a hit this host */
    uint32_t *seen_gen;
    size_t capseen;
    uint32_t *item_prod;      /* product of each item this host (UINT32_MAX: none) */
    size_t capitems;
    /* version key of each item that has description hints, kept from the scan so the
     * hint pass does not compute it again */
    unsigned char *hkeys;
    size_t nhkeys, caphkeys;
    uint32_t *hkey_off;       /* per item: offset into hkeys; length in hkey_len */
    uint16_t *hkey_len;
    uint8_t *hkey_ord;
    lf_matcher_stats st;
};

void lf_matcher_get_stats(const lf_matcher *m, lf_matcher_stats *st)
{
    *st = m->st;
}

int lf_matcher_new(const lf_vdb *db, lf_matcher **out, lf_err *err)
{
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
    if (!m->crit_stamp || !m->node_stamp || !m->node_sat || !m->node_rstamp || !m->config_stamp || !m->config_sat) {
        lf_matcher_free(m);
        return lf_err_set(err, LF_ENOMEM, "out of memory for matcher state");
    }
    *out = m;
    return LF_OK;
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
    free(m->pairs);
    free(m->reviews);
    free(m->hits);
    free(m->later);
    free(m->seen_key);
    free(m->seen_gen);
    free(m->item_prod);
    free(m->hkeys);
    free(m->hkey_off);
    free(m->hkey_len);
    free(m->hkey_ord);
    free(m);
}

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

enum { T_NO = 0, T_YES = 1, T_REVIEW = 2 };

typedef struct item_ctx {
    const lf_cpe *cpe;
    int vkind;
    unsigned char key[LF_VERSION_KEY_MAX];
    size_t keylen;
    bool orderable;
} item_ctx;

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
                      const char **reason)
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
                *reason = a == LF_CPE_UPDATE
                              ? "the affected version names an update level the inventory does not give"
                              : "the affected build is for a platform (target_sw/target_hw) the inventory does not give";
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
                        const char **reason)
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
        *reason = "the affected range uses versions that cannot be ordered (e.g. git commits)";
        return T_REVIEW;
    }
    if (!it->orderable) {
        *reason = "the inventory version cannot be ordered against the affected range";
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
    *reason = "the inventory gives no version for a product with version-ranged vulnerabilities";
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
                     const char **reason)
{
    uint32_t f = c->flags;
    if (platform_only && (f & VXC_VULNERABLE))
        return T_NO;
    if (!(f & VXC_COMPLEX))
        return version_test(db, c, it, NULL, reason);
    const vx_extra *x = &db->extra[c->extra - 1];
    const char *areason = NULL;
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


static int test_one(lf_matcher *m, const vx_pcrit *c, const item_ctx *it, uint32_t item, bool platform_only);
static int push_hit(lf_matcher *m, lf_hit h);

static int scan_product(lf_matcher *m, uint32_t prod, const item_ctx *it, uint32_t item,
                        bool platform_only)
{
    const lf_vdb *db = m->db;
    const vx_prod *p = &db->prod[prod];
    /* Pruning is exact only when the item's key order decides every criterion: a
     * version that is missing or not orderable must meet every criterion so that none
     * that would say "needs review" is skipped. */
    if (it->vkind == LF_CPE_VALUE && it->orderable) {
        for (uint32_t b = 0; b < p->block_n; b++) {
            const vx_block *bl = &db->block[p->block_first + b];
            size_t kl;
            if (!(bl->flags & VXB_START_NEG_INF)) {
                const unsigned char *k = vx_key(db, bl->start_key, &kl);
                if (vx_keycmp(k ? k : (const unsigned char *)"", kl, it->key, it->keylen) > 0)
                    break;
            }
            if (!(bl->flags & VXB_END_POS_INF)) {
                const unsigned char *k = vx_key(db, bl->max_end_key, &kl);
                if (vx_keycmp(k ? k : (const unsigned char *)"", kl, it->key, it->keylen) < 0)
                    continue;
            }
            uint32_t k0 = b * VX_BLOCK, k1 = k0 + VX_BLOCK < p->crit_n ? k0 + VX_BLOCK : p->crit_n;
            for (uint32_t k = k0; k < k1; k++)
                if (test_one(m, &db->pcrit[p->crit_first + k], it, item, platform_only))
                    return LF_ENOMEM;
        }
        return LF_OK;
    }
    for (uint32_t k = 0; k < p->crit_n; k++)
        if (test_one(m, &db->pcrit[p->crit_first + k], it, item, platform_only))
            return LF_ENOMEM;
    return LF_OK;
}

static int test_one(lf_matcher *m, const vx_pcrit *c, const item_ctx *it, uint32_t item, bool platform_only)
{
    const lf_vdb *db = m->db;
    uint32_t ci = c->crit;
    m->st.criteria_tested++;
    {
        const char *reason = NULL;
        int t = crit_test(db, c, it, platform_only, &reason);
        if (t == T_YES) {
            if (c->flags & VXC_TRIVIAL) {
                /* its configuration is this one OR node: a vulnerable match is a hit at
                 * once, with no stamp or configuration work (most NVD records) */
                if ((c->flags & VXC_VULNERABLE) &&
                    push_hit(m, (lf_hit){LF_HIT_MATCH, c->vuln, c->doc, item, ci, c->config_ord, NULL}))
                    return LF_ENOMEM;
                return LF_OK;
            }
            m->crit_stamp[ci] = m->gen;
            GROW(m->pairs, m->npairs, m->cappairs);
            m->pairs[m->npairs++] = (pair){(uint32_t)(c - db->pcrit), item};
        } else if (t == T_REVIEW) {
            /* platform criteria too: an undecidable platform must not silently drop the
             * vulnerability it gates (pass 2 of lf_matcher_run) */
            if (db->node[c->node].flags & VXN_NEGATE)
                m->node_rstamp[c->node] = m->gen;
            GROW(m->reviews, m->nreviews, m->capreviews);
            m->reviews[m->nreviews++] = (review){(uint32_t)(c - db->pcrit), item, reason};
        }
    }
    return LF_OK;
}

static bool node_eval(lf_matcher *m, uint32_t ni)
{
    if (m->node_stamp[ni] == m->cgen)
        return m->node_sat[ni];
    const vx_node *n = &m->db->node[ni];
    bool and = (n->flags & VXN_AND) != 0;
    bool sat = and ? n->crit_n > 0 : false;
    for (uint32_t k = 0; k < n->crit_n; k++) {
        bool hit = m->crit_stamp[n->crit_first + k] == m->gen;
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
            const char *s = vx_str(db, c->cpe);
            char part = strlen(s) > 8 ? s[8] : '?';
            int pi = part == 'a' ? 0 : part == 'o' ? 1 : part == 'h' ? 2 : -1;
            if (pi < 0 || has_part[pi])
                return false;
        }
        missing = true;
    }
    return missing;
}

/*
 * One hit per (vuln, item): hits are emitted kind by kind (MATCH, then REVIEW, then
 * UNANALYSED), so the first one seen for a pair is the strongest and later ones are
 * dropped. The set is an open-addressing table stamped with the host generation, so
 * it is never cleared; a host yields hundreds to thousands of hits, and this replaced a
 * sort that cost a quarter of the matching time.
 */
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
    /* re-insert this host's pairs: they are exactly the hits emitted so far */
    for (size_t i = 0; i < m->nhits; i++) {
        uint64_t k = ((uint64_t)m->hits[i].vuln << 32) | m->hits[i].item;
        size_t j = (size_t)((k * 0x9e3779b97f4a7c15ull) >> 32) & (nc - 1);
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

static int push_hit(lf_matcher *m, lf_hit h)
{
    if ((m->nhits + 1) * 2 > m->capseen && seen_grow(m))
        return LF_ENOMEM;
    uint64_t k = ((uint64_t)h.vuln << 32) | h.item;
    size_t mask = m->capseen - 1;
    size_t j = (size_t)((k * 0x9e3779b97f4a7c15ull) >> 32) & mask;
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
        m->gen = 1;
    }
    if (++m->cgen == 0) {
        memset(m->node_stamp, 0, (db->nnode + 1) * sizeof(uint32_t));
        memset(m->config_stamp, 0, (db->nconfig + 1) * sizeof(uint32_t));
        m->cgen = 1;
    }
    m->npairs = m->nreviews = m->nhits = 0;
    if (nitems > UINT32_MAX)
        return lf_err_set(err, LF_ELIMIT, "too many inventory items for one host");

    bool has_part[3] = {false, false, false};   /* a, o, h */
    for (size_t i = 0; i < nitems; i++) {
        const char *part = lf_cpe_value(&items[i], LF_CPE_PART);
        if (part)
            has_part[part[0] == 'a' ? 0 : part[0] == 'o' ? 1 : 2] = true;
    }
    if (nitems > m->capitems) {
        uint32_t *np = realloc(m->item_prod, nitems * sizeof(*np));
        if (!np)
            goto oom;
        m->item_prod = np;
        uint32_t *no = realloc(m->hkey_off, nitems * sizeof(*no));
        if (!no)
            goto oom;
        m->hkey_off = no;
        uint16_t *nl = realloc(m->hkey_len, nitems * sizeof(*nl));
        if (!nl)
            goto oom;
        m->hkey_len = nl;
        uint8_t *nd = realloc(m->hkey_ord, nitems);
        if (!nd)
            goto oom;
        m->hkey_ord = nd;
        m->capitems = nitems;
    }
    m->nhkeys = 0;
    item_ctx it;
    for (size_t i = 0; i < nitems; i++) {
        const lf_cpe *c = &items[i];
        m->item_prod[i] = UINT32_MAX;
        const char *part = lf_cpe_value(c, LF_CPE_PART);
        const char *vendor = lf_cpe_value(c, LF_CPE_VENDOR);
        const char *product = lf_cpe_value(c, LF_CPE_PRODUCT);
        if (!part || !vendor || !product)
            continue;   /* an item without vendor and product cannot name a product */
        char key[LF_CPE_MAX + 8];
        int kn = lf_vx_prod_key(part[0], vendor, c->len[LF_CPE_VENDOR], product,
                                c->len[LF_CPE_PRODUCT], key, sizeof key);
        if (kn < 0)
            continue;
        item_prepare(&it, c);
        m->st.probes++;
        uint32_t p = lf_vx_find_prod(db, key, (size_t)kn, lf_vx_hash(key, (size_t)kn));
        m->item_prod[i] = p;
        if (p != UINT32_MAX && db->prod[p].hint_n) {
            if (m->nhkeys + it.keylen > m->caphkeys) {
                size_t nc = (m->caphkeys + it.keylen) * 2 + 256;
                unsigned char *nk = realloc(m->hkeys, nc);
                if (!nk)
                    goto oom;
                m->hkeys = nk;
                m->caphkeys = nc;
            }
            if (it.keylen)
                memcpy(m->hkeys + m->nhkeys, it.key, it.keylen);
            m->hkey_off[i] = (uint32_t)m->nhkeys;
            m->hkey_len[i] = (uint16_t)it.keylen;
            m->hkey_ord[i] = it.vkind == LF_CPE_VALUE && it.orderable;
            m->nhkeys += it.keylen;
        }
        if (p != UINT32_MAX && scan_product(m, p, &it, (uint32_t)i, false))
            goto oom;
        for (size_t f = 0; f < sizeof families / sizeof families[0]; f++) {
            size_t fl = strlen(families[f].prefix);
            bool exact = fl && families[f].prefix[fl - 1] == '\x01';
            if (exact)
                fl--;
            if ((size_t)kn < fl || memcmp(key, families[f].prefix, fl) != 0 || (exact && (size_t)kn != fl))
                continue;
            const char *imp = families[f].implies;
            if ((size_t)kn == strlen(imp) && memcmp(key, imp, (size_t)kn) == 0)
                continue;
            uint32_t q = lf_vx_find_prod(db, imp, strlen(imp), lf_vx_hash(imp, strlen(imp)));
            if (q != UINT32_MAX && scan_product(m, q, &it, (uint32_t)i, true))
                goto oom;
        }
    }

    /* Pass 1: MATCH hits of satisfied configurations (vulnerable matched criteria in
     * satisfied, non-negated nodes). Pairs whose configuration does not hold are kept
     * for pass 2. */
    m->nlater = 0;
    for (size_t pi = 0; pi < m->npairs; pi++) {
        const pair *pr = &m->pairs[pi];
        const vx_pcrit *c = &db->pcrit[pr->pc];
        if (!(c->flags & VXC_VULNERABLE))
            continue;
        if (!(c->flags & VXC_TRIVIAL)) {
            const vx_node *n = &db->node[c->node];
            if (n->flags & VXN_NEGATE)
                continue;
            if (!node_eval(m, c->node) || !config_eval(m, n->config)) {
                if (m->nlater == m->caplater) {
                    size_t nc = m->caplater ? m->caplater * 2 : 64;
                    uint32_t *nl = realloc(m->later, nc * sizeof(*nl));
                    if (!nl)
                        goto oom;
                    m->later = nl;
                    m->caplater = nc;
                }
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
        for (size_t ri = 0; ri < m->nreviews; ri++) {
            const vx_pcrit *rc = &db->pcrit[m->reviews[ri].pc];
            if (!(db->node[rc->node].flags & VXN_NEGATE))
                m->crit_stamp[rc->crit] = m->gen;
        }
        static const char platform_missing[] =
            "vulnerable only on a platform (OS or device) this inventory does not list; check the platform";
        for (size_t li = 0; li < m->nlater; li++) {
            const pair *pr = &m->pairs[m->later[li]];
            const vx_pcrit *c = &db->pcrit[pr->pc];
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
            const vx_pcrit *c = &db->pcrit[rv->pc];
            if (!(c->flags & VXC_VULNERABLE))
                continue;
            const vx_node *n = &db->node[c->node];
            if ((n->flags & VXN_NEGATE) || !node_eval(m, c->node))
                continue;
            const char *why = rv->reason;
            if (!config_eval(m, n->config)) {
                if (!only_platform_missing(m, n->config, has_part))
                    continue;
                why = platform_missing;
            }
            if (push_hit(m, (lf_hit){LF_HIT_REVIEW, c->vuln, c->doc, rv->item, c->crit, c->config_ord, why}))
                goto oom;
        }
    }

    /* last: documents without applicability data that name an item's product, kept
     * only when the item's version is inside a range the description states (or the
     * description states none, or the version cannot be ordered) */
    for (size_t i = 0; i < nitems; i++) {
        uint32_t p = m->item_prod[i];
        if (p == UINT32_MAX)
            continue;
        const vx_prod *pp = &db->prod[p];
        if (!pp->hint_n)
            continue;
        const unsigned char *hkey = m->hkeys ? m->hkeys + m->hkey_off[i] : (const unsigned char *)"";
        size_t hlen = m->hkey_len[i];
        for (uint32_t k = 0; k < pp->hint_n; k++) {
            uint32_t d = db->hintdoc[pp->hint_first + k];
            const vx_doc *xd = &db->doc[d];
            const char *why = "no applicability data yet; the description names this product";
            if (xd->drange_n && m->hkey_ord[i]) {
                bool in = false;
                for (uint32_t r = 0; r < xd->drange_n && !in; r++) {
                    const vx_drange *dr = &db->drange[xd->drange_first + r];
                    size_t kl;
                    bool ok = true;
                    if (dr->start_key) {
                        const unsigned char *kk = vx_key(db, dr->start_key, &kl);
                        int c = vx_keycmp(hkey, hlen, kk ? kk : (const unsigned char *)"", kl);
                        ok = c > 0 || (c == 0 && (dr->flags & VXC_START_INCL));
                    }
                    if (ok && dr->end_key) {
                        const unsigned char *kk = vx_key(db, dr->end_key, &kl);
                        int c = vx_keycmp(hkey, hlen, kk ? kk : (const unsigned char *)"", kl);
                        ok = c < 0 || (c == 0 && (dr->flags & VXC_END_INCL));
                    }
                    in = ok;
                }
                if (!in)
                    continue;
                why = "no applicability data yet; the description names this product and a version range "
                      "that includes this version";
            }
            if (push_hit(m, (lf_hit){LF_HIT_UNANALYSED, xd->vuln, d, (uint32_t)i, UINT32_MAX, UINT32_MAX, why}))
                goto oom;
        }
    }
    size_t o = m->nhits;
    m->nhits = o;
    m->st.hosts++;
    m->st.items += nitems;
    m->st.hits += o;
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
