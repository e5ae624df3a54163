/*
 * scan: what `lianfang vans scan` and the server's uploads and re-matches share between
 * an inventory and its findings, so the CLI and the server give the same answer for the
 * same file against the same index.
 *
 *   records ──lf_scan_groups_add──▶ items per host (lf_hostitems: one item per product,
 *            equivalents matched under each name, a distribution package matched as
 *            itself with its upstream CPE kept but superseded)
 *           ──lf_scan_host──▶ findings of one host: matcher hits, superseded upstream
 *            hits dropped (counted), one finding per CVE and inventory line, every
 *            finding explained (lf_explain + lf_finding_explain: its sources with their
 *            verdicts, suppression by a vendor's not-affected statement) and scored
 *            (EPSS when loaded).
 *
 * Ownership: a group set owns its hosts and items (_init/_clear). Findings of
 * lf_scan_host are allocated in the caller's arena and borrow strings from the index and
 * from the host's items: valid until the arena is reset and while both live.
 */
#ifndef LF_SERVER_SCAN_H
#define LF_SERVER_SCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/err.h"
#include <stdint.h>
#include "feeds/epss.h"
#include "feeds/osv.h"
#include "intake/cpelist.h"
#include "intake/intake.h"
#include "vans/finding.h"
#include "vans/hostitems.h"
#include "vans/match.h"

typedef struct lf_scan_group {
    char *name;
    lf_hostitems it;
} lf_scan_group;

typedef struct lf_scan_groups {
    lf_scan_group *h;
    size_t n, cap;
    size_t last;                 /* the host looked up last (records come host by host) */
    size_t distro_items;         /* items that are distribution packages (twins) */
} lf_scan_groups;

void lf_scan_groups_init(lf_scan_groups *g);
void lf_scan_groups_clear(lf_scan_groups *g);

/*
 * Add one inventory record of host: pkg, its distribution twin (lf_osv_twin), or NULL;
 * cpe, its resolved CPE, or NULL when unresolved; also[0..nalso), the product's other
 * NVD names. With a twin the package is an item and the upstream names are superseded.
 * A record with neither adds nothing (no host is created). LF_OK or LF_ENOMEM.
 */
int lf_scan_groups_add(lf_scan_groups *g, const char *host, long line, const lf_cpe *pkg, const char *cpe,
                       const char *const *also, int nalso);

/* The intake item as the CLI and the server read it: lf_osv_twin (db, m may be NULL),
 * then lf_scan_groups_add. *twin (may be NULL) gets the twin's CPE when there is one
 * (pkg_out->kind[0] left as lf_cpe_init made it otherwise); returns LF_OK or LF_ENOMEM. */
int lf_scan_groups_add_item(lf_scan_groups *g, const lf_vdb *db, const lf_osv_srcmap *m, const lf_intake_item *it,
                            bool *twin, lf_cpe *pkg_out);

/* The matcher's view of group i. */
void lf_scan_group_host(const lf_scan_groups *g, size_t i, lf_inv_host *out);

typedef struct lf_scan_counts {
    size_t superseded;           /* upstream hits on distribution packages, not reported */
} lf_scan_counts;

/*
 * The findings of one host: match, drop the hits of superseded items (counted in *c),
 * keep one finding per (CVE, line) when one_per_line (a raw inventory, where one line
 * may stand for several equivalent CPEs), build, explain and score each. superseded may
 * be NULL. only: NULL, or a bit set over db's vulnerability indexes (bit v of byte v / 8)
 * of the vulnerabilities whose findings are wanted; the others are neither built nor
 * explained (a re-match of what a feed update changed). links: the findings' reference
 * lists and CWEs (lf_finding_build), for a report; the server stores neither. *out and
 * *n: the findings, in the matcher's order, in arena a. epss may be NULL.
 * LF_OK, LF_ENOMEM, or the matcher's error.
 */
int lf_scan_host(const lf_vdb *db, lf_matcher *m, const lf_epss *epss, const lf_inv_host *h, bool one_per_line,
                 const bool *superseded, const uint8_t *only, bool links, lf_arena *a, lf_finding **out,
                 size_t *n, lf_scan_counts *c, lf_err *err);

#endif
