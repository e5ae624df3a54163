/*
 * deident: the forwarded copy of STIX 2.1 objects when a region shares upward (the
 * national N-ISAC hub) or sideways (a neighbour region): TLP 2.0 sharing limits and
 * de-identification of the reporting agencies (issue 6, "Sharing rules"). Pure: JSON
 * trees in, JSON trees out.
 *
 * What is done, in this order, to a list of objects (one envelope or bundle):
 *  1. TLP: an object whose strictest TLP marking (object_marking_refs, TLP 1.0 or 2.0
 *     ids) is above opts.max_tlp is not forwarded; an unmarked object counts as
 *     opts.unmarked_tlp. TLP:RED is never forwarded whatever max_tlp says.
 *  2. Identities: every identity id other than the region's and opts.keep_identities
 *     (e.g. the hub's) is the reporting agency's or a person's: identity objects of it
 *     are dropped (all of class "individual" always, even kept ones) and every *_ref /
 *     *_refs naming it (created_by_ref, where_sighted_refs, ...) names the region's
 *     identity instead; the region's identity object is added to the output once when
 *     something refers to it and it is not there yet.
 *  3. Internal addresses: ipv4-addr / ipv6-addr objects whose value lies inside RFC 1918
 *     (10/8, 172.16/12, 192.168/16), loopback (127/8, ::1), link-local (169.254/16,
 *     fe80::/10), RFC 4193 (fc00::/7) or opts.internal_ranges are dropped (IPv4-mapped
 *     IPv6 addresses are checked as IPv4). Staff mailboxes: email-addr objects whose
 *     domain is one of opts.staff_domains are dropped.
 *  4. Indicator patterns (pattern_type "stix"): comparisons whose literal is an internal
 *     address or a staff mailbox are removed (from an IN list, the element; a list left
 *     empty removes the comparison; an observation left empty is removed; AND / OR /
 *     FOLLOWEDBY with one side left become that side). The pattern is rewritten only when
 *     something was removed; an indicator with nothing left is dropped.
 *  5. References to dropped objects are removed (a *_ref property, an element of a
 *     *_refs list, the list when it becomes empty); an object whose required reference
 *     went (relationship source/target, sighting_of_ref, object_refs of observed-data,
 *     report, grouping, note, opinion, network-traffic with neither src nor dst) is
 *     dropped too, repeatedly until nothing changes.
 * Not done: free text (name, description, labels) is not scanned; opts say what is
 * removed, and the analyst approving a forward still reads it.
 *
 * Lists in opts are separated by commas and/or blanks. staff_domains: "gov.tw" matches
 * user@gov.tw and user@any.gov.tw; "*.gov.tw" only the subdomains. internal_ranges:
 * IPv4/IPv6 addresses or CIDRs; a value is internal when all of it lies in a range.
 *
 * Ownership: lf_deident_new copies what it needs from opts; lf_deident_free. Output
 * trees and strings live in the arena passed in; unchanged subtrees are shared with the
 * input, which must outlive the output.
 */
#ifndef LF_ISAC_DEIDENT_H
#define LF_ISAC_DEIDENT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/json.h"
#include "isac/stix.h"

typedef struct lf_deident_opts {
    const char *region_identity;   /* "identity--<uuid>" of the forwarding region: required */
    const char *region_name;       /* name of its identity object; NULL = "Regional ISAC" */
    const char *keep_identities;   /* identity ids kept as they are; NULL = none */
    const char *internal_ranges;   /* extra internal ranges (the agencies' own); NULL = none */
    const char *staff_domains;     /* staff mail domains; NULL = none */
    lf_stix_tlp max_tlp;           /* strictest TLP forwarded; UNKNOWN = GREEN */
    lf_stix_tlp unmarked_tlp;      /* TLP of an unmarked object; UNKNOWN = GREEN */
} lf_deident_opts;

typedef struct lf_deident lf_deident;

/* LF_EINVAL (err says which option and why) or LF_ENOMEM. */
int lf_deident_new(const lf_deident_opts *o, lf_deident **out, lf_err *err);
void lf_deident_free(lf_deident *d);

typedef struct lf_deident_stats {
    size_t in, out;
    size_t dropped_tlp;         /* step 1 */
    size_t dropped_identity;    /* step 2: identity objects (organisations and persons) */
    size_t dropped_internal;    /* step 3: internal address objects */
    size_t dropped_staff;       /* step 3: staff mailboxes */
    size_t dropped_pattern;     /* step 4: indicators with nothing left */
    size_t dropped_refs;        /* step 5 */
    size_t refs_replaced;       /* identity references pointed at the region */
    size_t cmps_removed;        /* comparisons or IN elements removed from patterns */
    bool region_added;          /* the region's identity object was appended */
} lf_deident_stats;

/*
 * De-identify objs[0..n) (each a STIX object; non-objects are dropped as malformed and
 * counted in dropped_refs). *out gets an arena array of the objects to forward, input
 * order, the region identity last when added. stats may be NULL. LF_OK or LF_ENOMEM.
 */
int lf_deident_objects(const lf_deident *d, lf_arena *a, const lf_json *const *objs, size_t n,
                       const lf_json ***out, size_t *nout, lf_deident_stats *stats, lf_err *err);

/*
 * Step 4 on one pattern: *out = the pattern to forward (the input pointer itself when
 * nothing was removed, NULL when nothing is left), *removed = comparisons/elements
 * removed. LF_OK, LF_EPARSE (the pattern does not parse; err located) or LF_ENOMEM.
 */
int lf_deident_pattern(const lf_deident *d, lf_arena *a, const char *pattern, const char **out, size_t *removed,
                       lf_err *err);

bool lf_deident_internal_addr(const lf_deident *d, const char *s, size_t n);
bool lf_deident_staff_email(const lf_deident *d, const char *s, size_t n);

/* The strictest TLP among an object's object_marking_refs, LF_STIX_TLP_UNKNOWN when none. */
lf_stix_tlp lf_deident_object_tlp(const lf_json *obj);
/* Order of strictness: CLEAR 1 < GREEN 2 < AMBER 3 < AMBER+STRICT 4 < RED 5, unknown 0. */
int lf_deident_tlp_rank(lf_stix_tlp t);
/* "clear", "white", "green", "amber", "amber+strict", "red" (any case) -> level. */
bool lf_deident_tlp_parse(const char *s, lf_stix_tlp *out);

#endif
