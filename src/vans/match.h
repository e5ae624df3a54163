/*
 * match: evaluates one host's inventory against the vulnerability index.
 *
 * For every inventory item (a CPE) the matcher probes the product table for its
 * part:vendor:product, tests that product's criteria (other WFN attributes by NISTIR 7696
 * comparison, versions by memcmp of version.h keys against the range bounds), then
 * evaluates the configurations of every touched document exactly as NVD defines them:
 * node = AND/OR over its criteria (then `negate`), configuration = AND/OR over nodes. A
 * host is affected when a configuration is satisfied by the set of its CPEs; only
 * `vulnerable: true` criteria make hits, platform criteria (`vulnerable: false`, e.g.
 * "running on Windows", "firmware on this device") only gate them.
 *
 * Three kinds of hit:
 *   MATCH       a satisfied configuration; the item and criterion that made it.
 *   REVIEW      a criterion whose range cannot be decided for the item (version missing,
 *               "*", "-", not orderable, or an unordered scheme such as git): listed for
 *               a human, never silently matched nor silently dropped.
 *   UNANALYSED  the document has no applicability data yet (NVD backlog) and its
 *               description names the item's vendor and product: low confidence.
 *
 * Platform families: an OS item implies its family's generic platform name, because NVD
 * writes platform criteria generically (cpe:2.3:o:microsoft:windows:-, linux_kernel:-)
 * while inventories name the edition (windows_10, debian_linux). See match.c.
 *
 * Result cache. Everything the matcher learns about one item without looking at the rest
 * of the host (the product probe, the criterion tests, the MATCH hits of criteria whose
 * configuration is a single OR node, the criteria left for configuration evaluation, the
 * UNANALYSED hints) depends only on the item's CPE, and inventories repeat the same
 * CPEs (one Chrome build, one OS build) on thousands of hosts. The matcher keeps that
 * per-item record in a cache keyed by the item's whole WFN (all eleven attributes), so
 * a CPE seen before costs a lookup and a copy of its hits; configuration evaluation
 * (AND, negation, platforms) is still done for every host. The cache never changes a
 * result: lf_matcher_run returns the same hits, in the same order, with or without it.
 * Its memory is bounded by lf_matcher_opts.cache_bytes (records plus their hash table;
 * 0 turns it off); when full, the oldest records not used since the last sweep are
 * dropped (segmented CLOCK, match.c). A record larger than 1/64 of the budget (an item
 * with tens of thousands of hits) is not kept. Records are varint-coded: about 125
 * bytes each on the NVD-scale benchmark, where 730,000 distinct CPEs fit in 96 MB.
 *
 * Other memory, besides the cache: per criterion of the index about 17.5 bytes (what
 * configuration evaluation knows of it, filled in on first use, three bit sets, and
 * what a trivial hit of it names), per configuration 4, per product 13; plus two arenas of at most 16 MB each, used as
 * needed: configuration plans (a compact copy of each configuration evaluated, kept
 * across hosts; dropped all together when full) and compiled products (products of
 * 128 criteria or more, copied with their version keys turned into ranks when they are
 * scanned a second time; first come, first served). About 62 MB in all for a 1.5 M
 * criteria index.
 *
 * Ownership: lf_matcher borrows the lf_vdb (keep it open). Hits returned by
 * lf_matcher_run are owned by the matcher and valid until the next run or free.
 * A matcher is single-threaded; use one per thread (each has its own cache).
 */
#ifndef LF_VANS_MATCH_H
#define LF_VANS_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "vans/cpe.h"
#include "vans/vulndb.h"

typedef enum {
    LF_HIT_MATCH = 0,
    LF_HIT_REVIEW = 1,
    LF_HIT_UNANALYSED = 2
} lf_hit_kind;

/* A hit is 16 bytes: a host has thousands (the NVD-scale benchmark averages 39 per item),
 * so the matcher writes only what it has at hand and the rest is derived when a finding
 * is built (lf_hit_doc, lf_hit_config, lf_hit_reason), at the cost of a read or two of
 * the index per finding. */
typedef struct lf_hit {
    uint32_t vuln;        /* vulnerability index (lf_vdb_vuln_id) */
    uint32_t item;        /* index of the host item */
    uint32_t ref;         /* MATCH/REVIEW: the criterion, as the index's position in its
                             product's list (lf_hit_crit gives the global criterion index);
                             UNANALYSED: document index */
    uint8_t kind;         /* lf_hit_kind */
    uint8_t why;          /* reason code (lf_hit_reason), 0 = none */
    uint16_t pad_;
} lf_hit;

/* Global criterion index of a hit, UINT32_MAX for UNANALYSED (no criterion). */
uint32_t lf_hit_crit(const lf_vdb *db, const lf_hit *h);
/* Document index of a hit (lf_vdb_doc): the criterion's document, or the hinted one. */
uint32_t lf_hit_doc(const lf_vdb *db, const lf_hit *h);
/* Configuration ordinal of a hit within its document, UINT32_MAX for UNANALYSED. */
uint32_t lf_hit_config(const lf_vdb *db, const lf_hit *h);
/* REVIEW/UNANALYSED: why (static text); NULL for a plain MATCH. */
const char *lf_hit_reason(const lf_hit *h);

typedef struct lf_matcher lf_matcher;

/* Options of lf_matcher_new_opts; lf_matcher_opts_init sets the defaults. */
typedef struct lf_matcher_opts {
    size_t cache_bytes;   /* result cache budget in bytes; 0 = no cache. Other values are
                             brought into [LF_MATCHER_CACHE_MIN, LF_MATCHER_CACHE_MAX]. */
} lf_matcher_opts;
#define LF_MATCHER_CACHE_DEFAULT ((size_t)96 << 20)
#define LF_MATCHER_CACHE_MIN     ((size_t)256 << 10)
#define LF_MATCHER_CACHE_MAX     ((size_t)16 << 30)
void lf_matcher_opts_init(lf_matcher_opts *o);

/* lf_matcher_new uses the default options. opts may be NULL (defaults). */
int lf_matcher_new(const lf_vdb *db, lf_matcher **out, lf_err *err);
int lf_matcher_new_opts(const lf_vdb *db, const lf_matcher_opts *opts, lf_matcher **out, lf_err *err);
void lf_matcher_free(lf_matcher *m);

/* Match one host. There is one hit per (vuln, item), of the strongest kind: a vuln that
 * MATCHes an item does not also list REVIEW or UNANALYSED hits for it. Hits come
 * mostly kind by kind (MATCH, REVIEW, UNANALYSED; a MATCH that only an undecided negated
 * condition could undo is a REVIEW among the MATCHes), in no promised order within a kind;
 * callers that want an order sort them (the CLI sorts findings by KEV, then CVSS). */
int lf_matcher_run(lf_matcher *m, const lf_cpe *items, size_t nitems, const lf_hit **hits,
                   size_t *nhits, lf_err *err);

/* Work counters since the matcher was made (for benchmarks and tuning). probes and
 * criteria_tested count work actually done, so items answered from the cache add none.
 * cache_hits + cache_misses = items looked up (not: items without vendor or product, and
 * items whose product is certainly not in the index, which a filter rules out first);
 * cache_uncached = misses whose record was not kept (empty, or too large);
 * cache_evicted = records dropped to make room; cache_entries/cache_used = records and
 * their bytes now; cache_bytes = the memory the cache holds (records area + table);
 * plan_bytes, compiled_bytes = the arenas' bytes in use; compiled_products = products
 * compiled; evaluations = pairs and reviews whose configuration was evaluated;
 * platform_sets = distinct platform nodes named so far, platform_decided = the pairs of
 * those evaluations that a platform set decided (see match.c). */
typedef struct lf_matcher_stats {
    uint64_t hosts, items, probes, criteria_tested, hits;
    uint64_t cache_hits, cache_misses, cache_uncached, cache_evicted;
    uint64_t cache_entries, cache_used, cache_bytes;
    uint64_t plan_bytes, compiled_bytes, compiled_products;
    uint64_t evaluations;
    uint64_t platform_sets, platform_decided;
} lf_matcher_stats;
void lf_matcher_get_stats(const lf_matcher *m, lf_matcher_stats *st);

/* Reference to the matched criterion for explanations (borrowed from the index). */
typedef struct lf_crit_info {
    const char *cpe;
    const char *start, *end;   /* NULL when absent */
    int start_incl, end_incl;
    int vulnerable;
    const char *match_id;
    uint32_t node_ordinal;     /* node index within its configuration */
} lf_crit_info;
int lf_matcher_crit_info(const lf_vdb *db, uint32_t crit, lf_crit_info *out);
const char *lf_vdb_vuln_id(const lf_vdb *db, uint32_t vuln);
/* KEV entry of a vuln index, or NULL. */
const lf_vkev *lf_vdb_vuln_kev(const lf_vdb *db, uint32_t vuln, lf_vkev *tmp);

/*
 * Explanation: what every source document says about one host. The matcher keeps one
 * hit per (vuln, item), from whichever document decided first; a finding lists every
 * document of its vulnerability with its verdict, so the sources that support it and
 * those that contradict it are both shown (finding.h weighs them). lf_explain_doc
 * evaluates one document's configurations against the host's items in three-valued
 * logic (yes / no / cannot be decided), including not_affected configurations, which
 * the matcher itself never reads. It costs a binary search per criterion of the
 * document, so it is meant for documents of hits, not for the whole index.
 */
typedef enum {
    LF_VERDICT_SILENT = 0,        /* the document names none of the host's products */
    LF_VERDICT_OUTSIDE,           /* names a product of the host; its version is outside the ranges */
    LF_VERDICT_REVIEW,            /* would apply, but a criterion cannot be decided */
    LF_VERDICT_NOT_AFFECTED,      /* a not_affected statement (CSAF fixed / known_not_affected) holds */
    LF_VERDICT_AFFECTED,          /* an affected configuration holds */
} lf_verdict;
const char *lf_verdict_name(lf_verdict v);   /* "affected", "not-affected", ... */

typedef struct lf_doc_verdict {
    lf_verdict verdict;
    uint32_t config;   /* ordinal of the deciding configuration in the doc, UINT32_MAX */
    uint32_t crit;     /* its first matching vulnerable criterion (global index), UINT32_MAX */
    uint32_t item;     /* the item that criterion matched, UINT32_MAX */
} lf_doc_verdict;

typedef struct lf_explain lf_explain;
/* Prepare the explanation of one host (borrows db and items: keep both alive). */
int lf_explain_new(const lf_vdb *db, const lf_cpe *items, size_t nitems, lf_explain **out, lf_err *err);
void lf_explain_free(lf_explain *x);
/* The verdict of document doc (lf_vdb_doc index); out may be NULL. */
lf_verdict lf_explain_doc(const lf_explain *x, uint32_t doc, lf_doc_verdict *out);

#endif
