/*
 * match_explain_check: the relationship between what the matcher (lf_matcher_run) reports
 * for a host and what lf_explain_doc, a separate plain three-valued evaluation of each
 * document's configurations, says about the same host. Shared by the differential unit
 * test tests/unit/vans/test_match_explain.c and the fuzz target fuzz/fuzz_match.c.
 *
 * Notation. A criterion c is YES for the host when some item meets it (crit_test), UNKNOWN
 * when none does and some item can only be reviewed (version missing, "*", "-", not
 * orderable, unordered scheme, update/target_sw/target_hw not given), else NO; nodes and
 * configurations combine these in Kleene logic (negate swaps YES and NO). Every criterion
 * is its own variable, so the logic is exact: a configuration is YES when every way of
 * deciding the UNKNOWN criteria satisfies it, NO when none does. explain(D) is the verdict
 * of document D (affected > not-affected > review > outside > silent), with out.config the
 * first configuration of that verdict, out.crit the first vulnerable criterion of a
 * non-negated node of it that is not NO, and out.item the first item that meets it (or,
 * UNKNOWN, that can only be reviewed). An item names criterion c when its part:vendor:
 * product is c's. A configuration is *node-certain* when it is AND or has one node: if it
 * is not NO, neither is any of its nodes (in an OR configuration of several nodes the
 * node of out.crit need not hold, and the matcher only reports criteria of nodes that
 * hold). decided(c, i) is a sufficient condition, read from the index and the item alone,
 * for c's test on item i to be YES or NO, never review: c's scheme is generic, i's version
 * is a value lf_version_orderable accepts, and each of update, target_sw, target_hw that c
 * gives as a value is not ANY in i.
 *
 * For a host H and its hits (the matcher's output; the same with and without the cache):
 *
 *  (H1) at most one hit per (vuln, item);
 *  (H2) a MATCH or REVIEW hit names a vulnerable criterion c of a non-negated node, its
 *       document D = lf_hit_doc is c's, its configuration C = lf_hit_config is c's, its
 *       vuln is D's, and its item names c;
 *  (H3) MATCH: no reason, and explain(D) = affected;
 *  (H4) REVIEW, by reason:
 *       - a criterion reason (no version, unordered range, ...): c is not decided for the
 *         item, and explain(D) is review or affected;
 *       - "holds only if a criterion that cannot be decided ..." (trial): explain(D) is
 *         review or affected, and if out.config = C and C is node-certain, review;
 *       - "holds unless ... a negated criterion" (negated): C has a negated node, and
 *         explain(D) is review or affected (affected with out.config = C fails: K1 below);
 *       - "vulnerable only on a platform ... not list" (platform missing): C is AND and has
 *         a non-negated OR node of vulnerable:false criteria whose parts (a, o, h) the host
 *         has no item of; explain(D) is not silent, and if it is review or affected then
 *         out.config != C (C itself is NO: the matcher's own policy, NVD says no match);
 *       (where the text says "review or affected", not-affected is also accepted when D
 *       has a not_affected configuration, since it outranks review within a document);
 *  (H5) UNANALYSED: D has no configurations, explain(D) = silent, the vuln is D's;
 *  (H6) completeness: for every document D with explain(D) affected or review, out.crit
 *       set and out.config node-certain, the vuln v of D has a MATCH or REVIEW hit on item
 *       i = out.item; if explain(D) = affected and decided(out.crit, i), that hit is
 *       MATCH.
 *
 * Not asserted, on purpose: explain(D) affected or review with out.crit unset (a
 * configuration satisfied by vulnerable:false criteria alone, e.g. a platform-only
 * configuration: no vulnerable product, so no hit) or with out.config an OR configuration
 * of several nodes; a not_affected configuration never makes or removes a hit (explain
 * reports it, the matcher never reads it); which of several hits of one (vuln, item) the
 * matcher keeps, beyond (H6); that a platform-missing review is made (only that one made
 * is justified).
 *
 * Platform families: both sides imply the generic platform of an OS item (windows_10 ->
 * o:microsoft:windows ...) from the one family table in match.c, and neither lets an
 * implied name meet a vulnerable criterion, so the relationship needs no exception.
 *
 * K1, a divergence the first version of this check tolerated and match.c has fixed: the
 * matcher reported REVIEW "holds unless ... a negated criterion" where NVD semantics give a
 * certain match: the configuration is YES although a negated node holds an undecided
 * criterion that cannot change it (a negated AND node with a NO criterion, an OR
 * configuration). Smallest cases, host foo 1.0 + hotfix zz, hotfix criterion
 * a:acme:hotfix:* from 1 with an unordered scheme (always undecided):
 *     AND[ foo <2.0 V ; NOT AND[ hotfix ; a:acme:addon:* ] ]   (addon absent)
 *     OR [ foo <2.0 V ; NOT OR[ hotfix ] ]
 * Both are now MATCH, and (H4) and (H6) fail on such a REVIEW. Also fixed since the check was
 * written: a negated REVIEW no longer takes the (vuln, item) slot before another
 * configuration's certain MATCH, and an empty AND node holds in the matcher as in explain.
 */
#ifndef LF_FUZZ_MATCH_EXPLAIN_CHECK_H
#define LF_FUZZ_MATCH_EXPLAIN_CHECK_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "vans/cpe.h"
#include "vans/match.h"
#include "vans/version.h"
#include "vans/vulndb.h"

/* The REVIEW reasons the relationship tells apart, by their text (lf_hit_reason). */
#define MXC_TEXT_TRIAL "the configuration holds only if a criterion that cannot be decided"
#define MXC_TEXT_NEGATED "holds unless a condition that cannot be decided for this inventory"
#define MXC_TEXT_PLATFORM "vulnerable only on a platform (OS or device) this inventory does not list"
#define MXC_TEXT_HINT "no applicability data yet"
enum { MXC_R_CRIT = 0, MXC_R_TRIAL, MXC_R_NEGATED, MXC_R_PLATFORM, MXC_R_HINT, MXC_R_NONE };

#define MXC_PART_A 1u
#define MXC_PART_O 2u
#define MXC_PART_H 4u
#define MXC_PART_OTHER 8u

typedef struct mxc_crit {
    uint32_t doc, node;        /* node: index in mxc.node */
    uint32_t config_ord;       /* ordinal of its configuration in the document */
    const char *key;           /* "part:vendor:product" (WFN values), arena */
    uint8_t vulnerable, scheme, part;
    uint8_t attr_value;        /* bit 0/1/2: update/target_sw/target_hw is a value */
} mxc_crit;

typedef struct mxc_node {
    uint32_t crit_first, crit_n;
    uint8_t negate, op_and, platform_only, parts;
} mxc_node;

typedef struct mxc_config {
    uint32_t node_first, node_n;
    uint8_t op_and, not_affected, has_neg;
} mxc_config;

typedef struct mxc_doc {
    uint32_t vuln, config_first, config_n;
    uint8_t has_not_affected;
} mxc_doc;

typedef struct mxc_stats {
    uint64_t hosts, hits[3], verdicts[5];
    uint64_t strict_match;        /* (H6) checks that required a MATCH */
    uint64_t complete;            /* (H6) checks made */
    uint64_t platform_missing;    /* platform-missing reviews justified */
} mxc_stats;

typedef struct mxc {
    const lf_vdb *db;
    lf_arena a;
    mxc_doc *doc;
    mxc_config *config;
    mxc_node *node;
    mxc_crit *crit;
    size_t ndoc, nconfig, nnode, ncrit, nvuln;
    lf_doc_verdict *v;         /* per document, this host */
    lf_hit *sorted;            /* the host's hits by (vuln, item) */
    size_t capsorted;
    mxc_stats st;
} mxc;

static inline void mxc_free(mxc *x)
{
    if (!x)
        return;
    free(x->doc);
    free(x->config);
    free(x->node);
    free(x->crit);
    free(x->v);
    free(x->sorted);
    lf_arena_clear(&x->a);
    free(x);
}

/* "part:vendor:product" of a name, WFN values, in a (NULL when it names none). */
static inline const char *mxc_prod_key(lf_arena *a, const lf_cpe *c, char *buf, size_t cap)
{
    const char *p = lf_cpe_value(c, LF_CPE_PART), *v = lf_cpe_value(c, LF_CPE_VENDOR),
               *q = lf_cpe_value(c, LF_CPE_PRODUCT);
    if (!p || !v || !q)
        return NULL;
    int n = snprintf(buf, cap, "%c:%s:%s", p[0], v, q);
    if (n < 0 || (size_t)n >= cap)
        return NULL;
    return a ? lf_arena_strdup(a, buf) : buf;
}

static inline unsigned mxc_part_bit(char p)
{
    return p == 'a' ? MXC_PART_A : p == 'o' ? MXC_PART_O : p == 'h' ? MXC_PART_H : MXC_PART_OTHER;
}

/*
 * Read the index's documents into flat tables. Criteria are numbered in document order,
 * as the index stores them; each one is checked against lf_matcher_crit_info (name and
 * node), so a change of layout fails here instead of making the check wrong. Returns
 * NULL when out of memory or when the numbering does not agree (*why says which).
 */
static inline mxc *mxc_new(const lf_vdb *db, const char **why)
{
    *why = "out of memory";
    mxc *x = calloc(1, sizeof(*x));
    if (!x)
        return NULL;
    x->db = db;
    lf_arena_init(&x->a, 0);
    lf_vdb_stats st;
    lf_vdb_get_stats(db, &st);
    x->ndoc = lf_vdb_ndocs(db);
    x->nvuln = st.vulns;
    size_t capc = 64, capn = 64, capk = 256;
    x->doc = calloc(x->ndoc ? x->ndoc : 1, sizeof(*x->doc));
    x->v = calloc(x->ndoc ? x->ndoc : 1, sizeof(*x->v));
    x->config = malloc(capc * sizeof(*x->config));
    x->node = malloc(capn * sizeof(*x->node));
    x->crit = malloc(capk * sizeof(*x->crit));
    if (!x->doc || !x->v || !x->config || !x->node || !x->crit)
        goto fail;
    for (size_t d = 0; d < x->ndoc; d++)
        x->doc[d].vuln = UINT32_MAX;
    for (size_t vu = 0; vu < x->nvuln; vu++) {
        uint32_t idx[64];
        size_t n = lf_vdb_vuln_docs(db, (uint32_t)vu, idx, 64);
        if (n > 64) {
            *why = "a vuln with more than 64 documents";
            goto fail;
        }
        for (size_t k = 0; k < n; k++)
            x->doc[idx[k]].vuln = (uint32_t)vu;
    }
    lf_arena tmp;
    lf_arena_init(&tmp, 0);
    for (size_t d = 0; d < x->ndoc; d++) {
        lf_vdoc vd;
        if (lf_vdb_doc_parts(db, d, LF_VDOC_CONFIGS, &tmp, &vd) != LF_OK) {
            lf_arena_clear(&tmp);
            goto fail;
        }
        mxc_doc *xd = &x->doc[d];
        xd->config_first = (uint32_t)x->nconfig;
        xd->config_n = (uint32_t)vd.nconfig;
        for (size_t k = 0; k < vd.nconfig; k++) {
            const lf_vconfig *c = &vd.config[k];
            if (x->nconfig == capc) {
                void *np = realloc(x->config, (capc *= 2) * sizeof(*x->config));
                if (!np)
                    goto fail_tmp;
                x->config = np;
            }
            mxc_config *xc = &x->config[x->nconfig++];
            *xc = (mxc_config){(uint32_t)x->nnode, (uint32_t)c->nnode, c->op_and, c->not_affected, 0};
            xd->has_not_affected |= c->not_affected;
            for (size_t j = 0; j < c->nnode; j++) {
                const lf_vnode *n = &c->node[j];
                if (x->nnode == capn) {
                    void *np = realloc(x->node, (capn *= 2) * sizeof(*x->node));
                    if (!np)
                        goto fail_tmp;
                    x->node = np;
                }
                mxc_node *xn = &x->node[x->nnode++];
                *xn = (mxc_node){(uint32_t)x->ncrit, (uint32_t)n->ncrit, n->negate, n->op_and, 1, 0};
                xc->has_neg |= n->negate;
                for (size_t q = 0; q < n->ncrit; q++) {
                    const lf_vcrit *vc = &n->crit[q];
                    if (x->ncrit == capk) {
                        void *np = realloc(x->crit, (capk *= 2) * sizeof(*x->crit));
                        if (!np)
                            goto fail_tmp;
                        x->crit = np;
                    }
                    uint32_t g = (uint32_t)x->ncrit++;
                    mxc_crit *cr = &x->crit[g];
                    memset(cr, 0, sizeof(*cr));
                    cr->doc = (uint32_t)d;
                    cr->node = (uint32_t)(x->nnode - 1);
                    cr->config_ord = (uint32_t)k;
                    cr->vulnerable = vc->vulnerable;
                    cr->scheme = (uint8_t)vc->scheme;
                    if (vc->vulnerable)
                        xn->platform_only = 0;
                    lf_cpe cpe;
                    char kb[LF_CPE_MAX + 8];
                    if (lf_cpe_parse(&cpe, vc->cpe, strlen(vc->cpe), NULL) == LF_OK) {
                        cr->key = mxc_prod_key(&x->a, &cpe, kb, sizeof kb);
                        const char *part = lf_cpe_value(&cpe, LF_CPE_PART);
                        cr->part = part ? (uint8_t)part[0] : '?';
                        static const int attrs[3] = {LF_CPE_UPDATE, LF_CPE_TARGET_SW, LF_CPE_TARGET_HW};
                        for (int b = 0; b < 3; b++)
                            if (lf_cpe_kind(&cpe, attrs[b]) == LF_CPE_VALUE)
                                cr->attr_value |= (uint8_t)(1u << b);
                    } else {
                        cr->part = '?';
                    }
                    xn->parts |= (uint8_t)mxc_part_bit((char)cr->part);
                    /* the numbering must be the index's own */
                    lf_crit_info ci;
                    if (lf_matcher_crit_info(db, g, &ci) != LF_OK || strcmp(ci.cpe, vc->cpe) != 0 ||
                        ci.node_ordinal != j || ci.vulnerable != (int)vc->vulnerable) {
                        *why = "criterion numbering differs from the index's";
                        goto fail_tmp;
                    }
                }
            }
        }
        lf_arena_reset(&tmp);
    }
    lf_arena_clear(&tmp);
    lf_crit_info ci;
    if (lf_matcher_crit_info(db, (uint32_t)x->ncrit, &ci) != LF_ENOTFOUND) {
        *why = "the index has more criteria than its documents";
        goto fail;
    }
    *why = NULL;
    return x;
fail_tmp:
    lf_arena_clear(&tmp);
fail:
    mxc_free(x);
    return NULL;
}

static inline int mxc_reason(const lf_hit *h)
{
    const char *r = lf_hit_reason(h);
    if (!r)
        return MXC_R_NONE;
    if (!strncmp(r, MXC_TEXT_TRIAL, strlen(MXC_TEXT_TRIAL)))
        return MXC_R_TRIAL;
    if (!strncmp(r, MXC_TEXT_NEGATED, strlen(MXC_TEXT_NEGATED)))
        return MXC_R_NEGATED;
    if (!strncmp(r, MXC_TEXT_PLATFORM, strlen(MXC_TEXT_PLATFORM)))
        return MXC_R_PLATFORM;
    if (!strncmp(r, MXC_TEXT_HINT, strlen(MXC_TEXT_HINT)))
        return MXC_R_HINT;
    return MXC_R_CRIT;
}

/* decided(c, i) of the header comment. */
static inline bool mxc_decided(const mxc_crit *c, const lf_cpe *it)
{
    if (c->scheme != LF_VS_GENERIC || lf_cpe_kind(it, LF_CPE_VERSION) != LF_CPE_VALUE)
        return false;
    char v[LF_CPE_MAX];
    int n = lf_cpe_plain(it, LF_CPE_VERSION, v, sizeof v);
    if (n < 0 || !lf_version_orderable(v, (size_t)n))
        return false;
    static const int attrs[3] = {LF_CPE_UPDATE, LF_CPE_TARGET_SW, LF_CPE_TARGET_HW};
    for (int b = 0; b < 3; b++)
        if ((c->attr_value >> b & 1u) && lf_cpe_kind(it, attrs[b]) == LF_CPE_ANY)
            return false;
    return true;
}

static inline bool mxc_node_certain(const mxc_config *c)
{
    return c->op_and || c->node_n == 1;
}

/* Could the platform-missing review of configuration c be justified for a host whose
 * items have the parts in has (MXC_PART_* bits)? */
static inline bool mxc_platform_missing(const mxc *x, const mxc_config *c, unsigned has)
{
    if (!c->op_and)
        return false;
    for (uint32_t j = 0; j < c->node_n; j++) {
        const mxc_node *n = &x->node[c->node_first + j];
        if (n->negate || n->op_and || !n->platform_only || !n->crit_n || (n->parts & MXC_PART_OTHER) ||
            (n->parts & has))
            continue;
        return true;
    }
    return false;
}

static inline int mxc_hit_cmp(const void *a, const void *b)
{
    const lf_hit *x = a, *y = b;
    if (x->vuln != y->vuln)
        return x->vuln < y->vuln ? -1 : 1;
    return x->item < y->item ? -1 : x->item > y->item;
}

static inline const lf_hit *mxc_find(const mxc *x, size_t nh, uint32_t vuln, uint32_t item)
{
    lf_hit key = {vuln, item, 0, 0, 0, 0};
    if (!nh)
        return NULL;
    return bsearch(&key, x->sorted, nh, sizeof(lf_hit), mxc_hit_cmp);
}

/* Write a violation: what was expected, the document and the item. */
static inline int mxc_fail(const mxc *x, char *msg, size_t cap, uint32_t doc, const lf_cpe *items, size_t nitems,
                           uint32_t item, const char *fmt, ...) __attribute__((format(printf, 8, 9)));
static inline int mxc_fail(const mxc *x, char *msg, size_t cap, uint32_t doc, const lf_cpe *items, size_t nitems,
                           uint32_t item, const char *fmt, ...)
{
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    lf_vdoc h;
    memset(&h, 0, sizeof h);
    if (doc < x->ndoc)
        lf_vdb_doc_head(x->db, doc, &h);
    char cpe[LF_CPE_FS_BUF] = "-";
    if (item < nitems)
        lf_cpe_format_fs(&items[item], cpe, sizeof cpe);
    const char *vid = doc < x->ndoc ? lf_vdb_vuln_id(x->db, x->doc[doc].vuln) : "?";
    snprintf(msg, cap, "%s [vuln %s, document %s/%s, explain %s (config %d, item %d), item %u %s]", what, vid,
             h.doc_id ? lf_source_name(h.source) : "?", h.doc_id ? h.doc_id : "?",
             doc < x->ndoc ? lf_verdict_name(x->v[doc].verdict) : "?",
             doc < x->ndoc ? (int)x->v[doc].config : -1, doc < x->ndoc ? (int)x->v[doc].item : -1, item, cpe);
    return -1;
}

/* explain(D) is review or affected (or not-affected, when D has a not_affected
 * configuration, which outranks review). */
static inline bool mxc_review_or_affected(const mxc *x, uint32_t d)
{
    lf_verdict v = x->v[d].verdict;
    return v == LF_VERDICT_AFFECTED || v == LF_VERDICT_REVIEW ||
           (v == LF_VERDICT_NOT_AFFECTED && x->doc[d].has_not_affected);
}

/*
 * Check one host (items) and the matcher's hits for it. Returns 0 when (H1)-(H6) hold,
 * -1 with the first violation described in msg, 1 when it could not check (no memory).
 */
static inline int mxc_check(mxc *x, const lf_cpe *items, size_t nitems, const lf_hit *hits, size_t nh, char *msg,
                            size_t cap)
{
    const lf_vdb *db = x->db;
    msg[0] = '\0';
    lf_explain *ex;
    if (lf_explain_new(db, items, nitems, &ex, NULL) != LF_OK)
        return 1;
    for (size_t d = 0; d < x->ndoc; d++) {
        lf_explain_doc(ex, (uint32_t)d, &x->v[d]);
        x->st.verdicts[x->v[d].verdict]++;
    }
    lf_explain_free(ex);
    if (nh > x->capsorted) {
        void *np = realloc(x->sorted, nh * sizeof(lf_hit));
        if (!np)
            return 1;
        x->sorted = np;
        x->capsorted = nh;
    }
    if (nh) {
        memcpy(x->sorted, hits, nh * sizeof(lf_hit));
        qsort(x->sorted, nh, sizeof(lf_hit), mxc_hit_cmp);
    }
    unsigned has = 0;
    for (size_t i = 0; i < nitems; i++) {
        const char *p = lf_cpe_value(&items[i], LF_CPE_PART);
        if (p && (p[0] == 'a' || p[0] == 'o' || p[0] == 'h'))
            has |= mxc_part_bit(p[0]);
    }
    x->st.hosts++;
    char kb[LF_CPE_MAX + 8];
    for (size_t k = 0; k < nh; k++) {
        const lf_hit *h = &x->sorted[k];
        if (k && h->vuln == h[-1].vuln && h->item == h[-1].item)
            return mxc_fail(x, msg, cap, lf_hit_doc(db, h), items, nitems, h->item,
                            "(H1) two hits of one (vuln, item)");
        if (h->vuln >= x->nvuln || h->item >= nitems || h->kind > LF_HIT_UNANALYSED)
            return mxc_fail(x, msg, cap, UINT32_MAX, items, nitems, h->item, "hit out of range (vuln %u kind %u)",
                            h->vuln, h->kind);
        x->st.hits[h->kind]++;
        uint32_t d = lf_hit_doc(db, h);
        if (d >= x->ndoc || x->doc[d].vuln != h->vuln)
            return mxc_fail(x, msg, cap, d, items, nitems, h->item, "hit's document is not of its vuln");
        int why = mxc_reason(h);
        if (h->kind == LF_HIT_UNANALYSED) {
            if (x->doc[d].config_n || x->v[d].verdict != LF_VERDICT_SILENT || lf_hit_crit(db, h) != UINT32_MAX ||
                why != MXC_R_HINT)
                return mxc_fail(x, msg, cap, d, items, nitems, h->item,
                                "(H5) an unanalysed hit needs a document without configurations, explain silent");
            continue;
        }
        uint32_t c = lf_hit_crit(db, h);
        if (c >= x->ncrit || x->crit[c].doc != d || lf_hit_config(db, h) != x->crit[c].config_ord)
            return mxc_fail(x, msg, cap, d, items, nitems, h->item,
                            "(H2) criterion %u not of the hit's document/configuration", c);
        const mxc_crit *cr = &x->crit[c];
        const mxc_config *cf = &x->config[x->doc[d].config_first + cr->config_ord];
        const char *ik = mxc_prod_key(NULL, &items[h->item], kb, sizeof kb);
        if (!cr->vulnerable || x->node[cr->node].negate || !cr->key || !ik || strcmp(ik, cr->key) != 0)
            return mxc_fail(x, msg, cap, d, items, nitems, h->item,
                            "(H2) the hit's criterion (%s) must be vulnerable, non-negated, of the item's product",
                            cr->key ? cr->key : "?");
        bool same_cfg = x->v[d].config == cr->config_ord;
        if (h->kind == LF_HIT_MATCH) {
            if (why != MXC_R_NONE || x->v[d].verdict != LF_VERDICT_AFFECTED)
                return mxc_fail(x, msg, cap, d, items, nitems, h->item, "(H3) MATCH of config %u, explain not affected",
                                cr->config_ord);
            continue;
        }
        switch (why) {
        case MXC_R_CRIT:
            if (mxc_decided(cr, &items[h->item]))
                return mxc_fail(x, msg, cap, d, items, nitems, h->item,
                                "(H4) review for a criterion that is decided for the item");
            if (!mxc_review_or_affected(x, d))
                return mxc_fail(x, msg, cap, d, items, nitems, h->item, "(H4) criterion review, explain says no");
            break;
        case MXC_R_TRIAL:
            if (!mxc_review_or_affected(x, d) ||
                (same_cfg && mxc_node_certain(cf) && x->v[d].verdict != LF_VERDICT_REVIEW))
                return mxc_fail(x, msg, cap, d, items, nitems, h->item, "(H4) trial review of config %u",
                                cr->config_ord);
            break;
        case MXC_R_NEGATED:
            if (!cf->has_neg || !mxc_review_or_affected(x, d))
                return mxc_fail(x, msg, cap, d, items, nitems, h->item, "(H4) negated review of config %u",
                                cr->config_ord);
            if (same_cfg && x->v[d].verdict == LF_VERDICT_AFFECTED)
                return mxc_fail(x, msg, cap, d, items, nitems, h->item,
                                "(H4) negated review of config %u, which explain finds certain (K1)",
                                cr->config_ord);
            break;
        case MXC_R_PLATFORM:
            if (!mxc_platform_missing(x, cf, has) || x->v[d].verdict == LF_VERDICT_SILENT ||
                (same_cfg && (x->v[d].verdict == LF_VERDICT_AFFECTED || x->v[d].verdict == LF_VERDICT_REVIEW)))
                return mxc_fail(x, msg, cap, d, items, nitems, h->item, "(H4) platform-missing review of config %u",
                                cr->config_ord);
            x->st.platform_missing++;
            break;
        default:
            return mxc_fail(x, msg, cap, d, items, nitems, h->item, "(H4) REVIEW without a review reason");
        }
    }
    /* (H6) */
    for (size_t d = 0; d < x->ndoc; d++) {
        const lf_doc_verdict *v = &x->v[d];
        if ((v->verdict != LF_VERDICT_AFFECTED && v->verdict != LF_VERDICT_REVIEW) || v->crit == UINT32_MAX)
            continue;
        if (v->config >= x->doc[d].config_n || v->crit >= x->ncrit || x->crit[v->crit].doc != d ||
            x->crit[v->crit].config_ord != v->config || v->item >= nitems)
            return mxc_fail(x, msg, cap, (uint32_t)d, items, nitems, v->item,
                            "explain names a criterion not of its configuration");
        const mxc_config *cf = &x->config[x->doc[d].config_first + v->config];
        if (!mxc_node_certain(cf))
            continue;
        x->st.complete++;
        const lf_hit *h = mxc_find(x, nh, x->doc[d].vuln, v->item);
        if (!h || h->kind == LF_HIT_UNANALYSED)
            return mxc_fail(x, msg, cap, (uint32_t)d, items, nitems, v->item,
                            "(H6) no MATCH or REVIEW hit of the vuln on the item");
        if (v->verdict != LF_VERDICT_AFFECTED || !mxc_decided(&x->crit[v->crit], &items[v->item]))
            continue;
        x->st.strict_match++;
        if (h->kind == LF_HIT_MATCH)
            continue;
        return mxc_fail(x, msg, cap, (uint32_t)d, items, nitems, v->item,
                        "(H6) explain affected and its criterion decided for the item: want MATCH, got %s (%s)",
                        h->kind == LF_HIT_REVIEW ? "REVIEW" : "?", lf_hit_reason(h) ? lf_hit_reason(h) : "-");
    }
    return 0;
}

#endif
