/*
 * finding: turns a matcher hit into what a person acts on: the vulnerability, how bad
 * it is (one CVSS metric chosen by a documented rule, all metrics kept), whether it is
 * exploited in the wild (CISA KEV, with its due date and required action), where the
 * fix is (vendor advisories, patches, mitigations and release notes first, never only a
 * link to NVD), and why it matched (source, record version, configuration, node,
 * criterion, version rule) so the answer can be checked and reproduced.
 *
 * CVSS choice: v3.1, then v3.0, then v4.0, then v2.0; within a version the NVD Primary
 * metric before Secondary ones. v3.x comes first because the programme's thresholds
 * (CVSS >= 7.0 high, >= 9.0 critical) were set on v3 scores.
 *
 * Ownership: strings are borrowed from the index; arrays are allocated in the arena.
 */
#ifndef LF_VANS_FINDING_H
#define LF_VANS_FINDING_H

#include <stdbool.h>

#include "core/arena.h"
#include "vans/match.h"
#include "vans/vulndb.h"

/* One source document's word on a finding (lf_finding_explain). */
typedef struct lf_finding_source {
    lf_source source;
    const char *doc_id, *modified;
    lf_verdict verdict;
    int rank;                    /* precedence (lf_finding_rank) */
    uint32_t config;             /* deciding configuration ordinal, UINT32_MAX */
    bool has_crit;
    lf_crit_info crit;
} lf_finding_source;

typedef struct lf_finding {
    const char *host;
    const char *item;            /* the inventory CPE as written */
    const char *vuln_id;
    uint32_t vuln;               /* its index in the index (lf_hit.vuln), which lf_finding_explain reads */
    lf_hit_kind kind;
    const char *confidence;      /* "high" (MATCH), "review", "low" (UNANALYSED) */
    const char *reason;          /* REVIEW / UNANALYSED: why */
    /* severity */
    bool has_cvss;
    const lf_vmetric *cvss;      /* chosen metric (points into metrics) */
    size_t nmetric;
    const lf_vmetric *metrics;   /* all metrics of the record */
    /* KEV */
    bool kev;
    lf_vkev kev_entry;
    const char *kev_from;        /* "catalog" (CISA KEV file) or the source that stated it */
    /* links, fix links first */
    size_t nref, nfix;
    const lf_vref *refs;
    /* explanation */
    lf_vdoc doc;                 /* the source document */
    bool has_crit;
    lf_crit_info crit;
    uint32_t config;             /* configuration ordinal in the doc */
    const char *cwe;             /* first CWE or NULL */
    /* every document of the vuln that speaks about the host (lf_finding_explain) */
    size_t nsource;
    lf_finding_source *sources;
    bool suppressed;             /* an authoritative not-affected statement outweighs the rest */
    const lf_finding_source *suppressed_by;
    /* EPSS (FIRST), filled by the caller from feeds/epss.h; has_epss false = no score */
    bool has_epss;
    double epss, epss_percentile;
} lf_finding;

/* Order of work: the keys compared in turn (KEV listed first, higher EPSS percentile
 * first, higher CVSS first), then host, CVE and item for a stable order. */
typedef enum { LF_ORDER_KEV = 0, LF_ORDER_EPSS = 1, LF_ORDER_CVSS = 2 } lf_order_key;
#define LF_ORDER_MAX 3
typedef struct lf_finding_order {
    lf_order_key key[LF_ORDER_MAX];
    size_t n;
} lf_finding_order;
/* "kev,epss,cvss" (the default) or any subset/permutation; LF_EINVAL with a message. */
int lf_finding_order_parse(const char *s, lf_finding_order *o, lf_err *err);
void lf_finding_order_format(const lf_finding_order *o, char *out, size_t n);
int lf_finding_cmp_order(const lf_finding *a, const lf_finding *b, const lf_finding_order *o);

/* links: fill refs (fix links first) and cwe; without, both are left empty (the server
 * stores neither, and ordering the links of every hit was a tenth of an upload), and so
 * is doc's list of configurations in any case. */
int lf_finding_build(const lf_vdb *db, const lf_hit *hit, const char *host, const char *item, bool links,
                     lf_arena *a, lf_finding *out);

/*
 * Sources and precedence. lf_finding_explain lists every document of the finding's
 * vulnerability that says something about the host (lf_explain_doc) and weighs them
 * (lf_finding_rank): 3 for a distribution's OSV advisory (its criteria name its own
 * packages) and for a CSAF advisory published by a vendor (publisher category "vendor")
 * about that vendor's own product (the criterion's CPE vendor appears in the publisher's
 * name: "Siemens ProductCERT" for siemens, "Red Hat Product Security" for redhat); 2 for
 * the CVE record's CNA and ADP containers; 1 for NVD and for other CSAF statements (a
 * coordinator's re-publication, a vendor about a third party's component: shown, but
 * no more authoritative than NVD). When a not-affected statement (CSAF fixed /
 * known_not_affected) holds with a rank higher than every affected statement, the
 * finding is suppressed (kept, marked, and listed apart by callers: never silently
 * dropped); equal ranks keep the finding (two explicit statements disagree: a person
 * decides). The fix links of rank-3 documents that say
 * affected go first among the finding's links. x may be NULL (no sources listed).
 */
int lf_source_rank(lf_source s);   /* the rank of a source before the authority test */
int lf_finding_rank(const lf_vdoc *d, const char *crit_cpe);
int lf_finding_explain(const lf_vdb *db, const lf_explain *x, lf_arena *a, lf_finding *f);

/* The default order: KEV first, then EPSS percentile, then CVSS score (high first). */
int lf_finding_cmp(const lf_finding *a, const lf_finding *b);

/* Index of the preferred metric among m[0..n), or -1 when n == 0. */
int lf_finding_pick_metric(const lf_vmetric *m, size_t n);

#endif
