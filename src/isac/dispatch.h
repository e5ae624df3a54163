/*
 * dispatch: the approved-indicator model behind the per-group blocklists (issue 6,
 * "Blocklist dispatch"). An analyst approves a STIX indicator for a sharing group; the
 * simple indicators its pattern yields are extracted once, here, and kept with the
 * approval (store.h, "ISAC-DISPATCH"); a device's fetch turns the group's active
 * approvals it may see (TLP view of the fetching agency) into one list format
 * (isac/blocklist.h) and a list version.
 *
 * Extraction takes only the conditions that alone match the whole pattern (reached
 * through OR and IN: stixpat.h `sufficient`): blocking on a condition joined by AND or
 * FOLLOWEDBY would be broader than the intelligence says. E-mail indicators are not
 * list material and are skipped.
 *
 * The list version is the FNV-1a 64 hash of the list's bytes in hex: it changes exactly
 * when the served text does (approval, revocation, expiry, the fetcher's TLP view), so
 * it serves as the HTTP entity tag.
 *
 * A list cache (lf_dispatch_cache) keeps built lists per (group, list, fetching
 * organisation), valid while the group's change counter (store.h, lf_store_isac_bl_stamp)
 * is unchanged and no row of the list has expired: a repeated fetch costs one stamp read
 * (issue 6: 1M indicators). Fetchers whose lists are byte-identical share one copy.
 *
 * Ownership: results live in the arena or lf_buf passed in; cached lists are reference
 * counted (lf_dispatch_cache_get / lf_dispatch_list_put).
 */
#ifndef LF_ISAC_DISPATCH_H
#define LF_ISAC_DISPATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "isac/blocklist.h"
#include "isac/stix.h"
#include "isac/stixpat.h"
#include "store/store.h"

typedef struct lf_dispatch_iocs {
    lf_store_isac_ioc *items;    /* kind is an lf_bl_type */
    size_t n;
    size_t partial;              /* conditions left out: only part of the pattern */
    size_t invalid;              /* values the blocklist validators refused */
    size_t other;                /* e-mail addresses and subjects: not list material */
} lf_dispatch_iocs;

/* The blocklist type of a simple indicator the pattern parser found: false for kinds no
 * list carries (e-mail addresses and subjects). */
bool lf_dispatch_bl_type(lf_stixpat_ioc_kind k, bool cidr, lf_bl_type *t);

/* The simple indicators of one validated indicator object. LF_EINVAL when o is not an
 * indicator with a STIX pattern; LF_ENOMEM. Duplicates within the pattern are kept once. */
int lf_dispatch_extract(lf_arena *a, const lf_stix_obj *o, lf_dispatch_iocs *out, lf_err *err);

/* Parse and validate one object's JSON text (a STIX 2.1 indicator) and extract as above.
 * *valid_until gets its valid_until in Unix seconds (rounded up), 0 when none. */
int lf_dispatch_extract_json(lf_arena *a, const char *json, size_t len, lf_dispatch_iocs *out, int64_t *valid_until,
                             lf_err *err);

/* A list's URL name: "ip.txt", "domain.txt", "url.txt", "hash.txt", "nftables.nft",
 * "suricata.rules", "iprep.list", "categories.txt". *ctype gets its Content-Type. */
bool lf_dispatch_format(const char *name, lf_bl_format *f, const char **ctype);
const char *lf_dispatch_format_name(lf_bl_format f);

#define LF_DISPATCH_VERSION_SIZE 17

typedef struct lf_dispatch_report {
    char version[LF_DISPATCH_VERSION_SIZE];   /* 16 hex digits */
    size_t rows;                              /* simple indicators read from the store */
    lf_bl_stats stats;                        /* the generator's counts */
    int64_t next_expiry;                      /* earliest expiry of a row read, INT64_MAX: none */
} lf_dispatch_report;

/* Build format f of group's list as organisation fetcher sees it at now (Unix seconds)
 * into out (appended). opts: generator options (now is overridden), NULL = defaults. */
int lf_dispatch_build(lf_store *s, lf_id group, lf_id fetcher, int64_t now, const lf_bl_opts *opts, lf_bl_format f,
                      lf_buf *out, lf_dispatch_report *r, lf_err *err);

/* A built list as the cache hands it out: read-only, valid until lf_dispatch_list_put. */
typedef struct lf_dispatch_list {
    const char *data;
    size_t len;
    lf_dispatch_report report;
} lf_dispatch_list;

typedef struct lf_dispatch_cache lf_dispatch_cache;

#define LF_DISPATCH_CACHE_DEFAULT ((size_t)1 << 30)   /* bytes of list text kept */

/* A cache keeping at most max_bytes of list text (least recently used lists go first; a
 * list larger than that is built per fetch). Thread-safe. LF_ENOMEM. */
int lf_dispatch_cache_new(size_t max_bytes, lf_dispatch_cache **out, lf_err *err);
/* Frees the cache; lists still held stay valid until put. NULL is fine. */
void lf_dispatch_cache_free(lf_dispatch_cache *c);

/* lf_dispatch_build (default options) through the cache: *out gets a reference to the
 * list, *hit (may be NULL) whether it came from the cache. Release with
 * lf_dispatch_list_put. */
int lf_dispatch_cache_get(lf_dispatch_cache *c, lf_store *s, lf_id group, lf_id fetcher, int64_t now, lf_bl_format f,
                          const lf_dispatch_list **out, bool *hit, lf_err *err);
/* Release a list from lf_dispatch_cache_get (also after the cache is freed). NULL is fine. */
void lf_dispatch_list_put(const lf_dispatch_list *l);

/* Cached lists and their bytes (shared copies counted once), for tests and metrics. */
void lf_dispatch_cache_usage(lf_dispatch_cache *c, size_t *lists, size_t *bytes);

/* FNV-1a 64 of data in 16 lower-case hex digits. */
void lf_dispatch_version(const void *data, size_t n, char out[LF_DISPATCH_VERSION_SIZE]);

#endif
