/*
 * taxii: the parts of the TAXII 2.1 server (OASIS TAXII Version 2.1, 2021) that need no
 * HTTP, so they can be tested alone: media types and their negotiation (section 1.6.8),
 * the query parameters of the objects, manifest and versions endpoints (section 3.4:
 * added_after, limit, next, match[id|type|version|spec_version]), the `next` token, the
 * microsecond timestamps of date_added, the version key that orders object versions,
 * who may read or write a collection, and the byte spans of an envelope's objects, so the
 * store keeps each object exactly as it was received.
 *
 * The HTTP side (routes, auth, TLP view, JSON answers) is src/server/api_taxii.c; the
 * rules are written down in docs/design.md ("ISAC") and docs/api.md ("TAXII 2.1").
 *
 * Ownership: strings and arrays returned live in the arena passed in; nothing else needs
 * freeing.
 */
#ifndef LF_ISAC_TAXII_H
#define LF_ISAC_TAXII_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "store/store.h"

#define LF_TAXII_MEDIA "application/taxii+json;version=2.1"
#define LF_TAXII_STIX_MEDIA "application/stix+json;version=2.1"

#define LF_TAXII_LIMIT_DEFAULT 1000u   /* objects per page when the client asks for none */
#define LF_TAXII_LIMIT_MAX 10000u      /* a larger limit is lowered to this (section 3.4.1) */
#define LF_TAXII_MATCH_MAX 100u        /* values in one match[] filter */

/*
 * Accept header: true when it allows the TAXII 2.1 media type: absent, a range that
 * covers it (*\/\*, application/\*), "application/taxii+json" without a version, or with
 * version=2.1; q=0 excludes. Parameters and case of the type are compared as RFC 9110
 * says (type case-insensitive, spaces around ';' allowed).
 */
bool lf_taxii_accept_ok(const char *accept);
/* Content-Type of a POST: application/taxii+json with version 2.1 or no version. */
bool lf_taxii_content_type_ok(const char *ctype);

/* RFC 3339 UTC timestamp (STIX 2.1 section 3.2) to microseconds since 1970, the fraction
 * truncated. false when malformed. */
bool lf_taxii_time_parse(const char *s, int64_t *us);
/* "YYYY-MM-DDTHH:MM:SS.ffffffZ" (the precision TAXII asks of date_added). */
#define LF_TAXII_TIME_SIZE 32
void lf_taxii_time_format(int64_t us, char out[LF_TAXII_TIME_SIZE]);

/* Version key: the timestamp with nine fraction digits, so that versions written with
 * different precisions ("...27Z", "...27.000Z") are one version and compare as text.
 * false when s is not a timestamp. */
#define LF_TAXII_VKEY_SIZE 32
bool lf_taxii_vkey(const char *s, char out[LF_TAXII_VKEY_SIZE]);

/* The `next` token: "<date_added>-<row>" of the last object of a page. */
#define LF_TAXII_NEXT_SIZE 48
void lf_taxii_next_format(int64_t added, int64_t row, char out[LF_TAXII_NEXT_SIZE]);
bool lf_taxii_next_parse(const char *s, int64_t *added, int64_t *row);

/* The filters of one request, built parameter by parameter (lf_taxii_filter_add). */
typedef struct lf_taxii_filter {
    const char *ids_json, *types_json, *specs_json;   /* JSON arrays, NULL = any */
    bool v_all, v_first, v_last;
    const char *vkeys_json;                           /* JSON array of version keys, or NULL */
    bool has_version;                                 /* a match[version] was given */
    int64_t added_after;                              /* us, 0 = none */
    int64_t page_added, page_row;                     /* from next */
    uint32_t limit;
} lf_taxii_filter;

void lf_taxii_filter_init(lf_taxii_filter *f);
/*
 * Take one query parameter. Known: added_after, limit, next, match[id], match[type],
 * match[version], match[spec_version] (comma-separated values; a repeated parameter adds
 * to the list). Others are ignored (LF_OK), as section 3.4.1 lets a server do with
 * filters it does not support. LF_EINVAL with err saying which parameter and why for a
 * malformed value (then answer 400).
 */
int lf_taxii_filter_add(lf_taxii_filter *f, lf_arena *a, const char *name, const char *value, lf_err *err);
/* Fill the filter part of a store query. */
void lf_taxii_filter_to_query(const lf_taxii_filter *f, lf_store_stix_q *q);

/* Who is asking, for the access rules of a collection (docs/design.md, "ISAC"). */
typedef struct lf_taxii_caller {
    bool authenticated;   /* a session or an API token */
    bool member;          /* of the collection's sharing group (lf_store_isac_group_member) */
    bool writer;          /* may change things: any role but read_only, and API tokens */
} lf_taxii_caller;
bool lf_taxii_can_read(lf_taxii_access rule, const lf_taxii_caller *c);
bool lf_taxii_can_write(lf_taxii_access rule, const lf_taxii_caller *c);

/*
 * The store row of a validated object (stix.h): id, type, spec_version (the object's, else
 * spec_default: SCOs need not carry one, STIX 2.0 objects have none), timestamps, the
 * version (modified, else created, else fallback_version) and its key, creator, markings
 * and labels as JSON arrays, TLP (the strictest marking's, 0 when unmarked), validity,
 * revoked. json, recipients, added_by and date_added are left for the caller.
 * LF_EINVAL when the version is not a timestamp the key can hold; LF_ENOMEM.
 */
struct lf_stix_obj;
int lf_taxii_row(lf_arena *a, const struct lf_stix_obj *o, const char *spec_default, const char *fallback_version,
                 lf_store_stix_row *r, lf_err *err);

/* Byte span of one element of an envelope's "objects" array in the request text. */
typedef struct lf_taxii_span {
    size_t off, len;
} lf_taxii_span;
/*
 * Spans of the elements of the first "objects" member of the top-level object in
 * text[0..len), which must already be valid JSON (lf_json_parse accepted it). *n is 0
 * when there is no such array. LF_EPARSE when the text is not a JSON object; LF_ENOMEM.
 */
int lf_taxii_envelope_spans(lf_arena *a, const char *text, size_t len, lf_taxii_span **spans, size_t *n,
                            lf_err *err);

#endif
