/*
 * stix: STIX 2.1 objects (OASIS STIX Version 2.1, 2021) as they arrive from sharing
 * partners (ISAC feeds, TAXII 2.1 collections): validation of one object, a bundle
 * ({"type":"bundle","objects":[...]}), a TAXII envelope ({"objects":[...]}) or a plain
 * array of objects, and an indexed view of each valid object so callers need not walk
 * the JSON again.
 *
 * What is checked (spec section in brackets):
 *  - common properties [3]: type syntax (a-z 0-9 '-', 3-250 characters), id
 *    "<type>--<RFC 4122 UUID>" with the object's own type, spec_version "2.1" (required
 *    except on SCOs), created/modified RFC 3339 UTC timestamps with modified >= created,
 *    created_by_ref an identity, every *_ref / *_refs an identifier, revoked a boolean,
 *    labels strings, confidence 0-100, lang, external_references (source_name, plus one of
 *    description/url/external_id; CAPEC-n and CVE-yyyy-n ids), object_marking_refs
 *    marking-definitions, granular_markings (selectors with marking_ref or lang),
 *    extensions (keys are extension-definition ids or predefined extension names);
 *  - the required properties of each of the 19 SDOs [4], both SROs [5], the 18 SCOs [6],
 *    marking-definition (TLP 1.0, statement, or the TLP 2.0 extension) [7.2],
 *    language-content [7.1] and extension-definition [7.3];
 *  - SCO values [6]: ipv4-addr/ipv6-addr an address or CIDR, mac-addr lower-case
 *    colon-hex with leading zeros, domain-name labels, email-addr local@domain, url a
 *    scheme (the syntax pattern extraction uses, stixpat.h); hashes [2.7] of file,
 *    artifact and x509-certificate a non-empty dictionary of strings, hex of the right
 *    length for MD5, SHA-1, SHA-256, SHA-512 and SHA3-*, SSDEEP and TLSH in their forms;
 *  - an indicator's pattern parses (stixpat.h) when pattern_type is "stix";
 *  - custom object types "x-..." and types defined by a new-sdo/new-sco/new-sro
 *    extension get the common checks only; any other unknown type is an error.
 *
 * Errors: every problem found is listed, none dropped: the object's index, its id when
 * readable, the property path ("objects[3].valid_until", "[2].id" for a plain array,
 * "valid_until" for a lone object) and the reason. An object with any problem is
 * invalid and left out of the valid list; the others are returned.
 *
 * Ownership: everything returned (views, strings, problem lists) lives in the arena
 * passed in, and the views borrow from the lf_json tree, which must outlive them.
 */
#ifndef LF_ISAC_STIX_H
#define LF_ISAC_STIX_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/json.h"
#include "isac/stixpat.h"

/* Traffic Light Protocol level of a marking-definition. */
typedef enum lf_stix_tlp {
    LF_STIX_TLP_UNKNOWN = 0,   /* not a TLP marking this module knows */
    LF_STIX_TLP_CLEAR,         /* TLP 2.0 CLEAR, and TLP 1.0 WHITE */
    LF_STIX_TLP_GREEN,
    LF_STIX_TLP_AMBER,
    LF_STIX_TLP_AMBER_STRICT,
    LF_STIX_TLP_RED
} lf_stix_tlp;

/* The level of one of the four TLP 1.0 marking-definition ids (STIX 2.1 section 7.2.1.4)
 * or the five TLP 2.0 ids (OASIS TLP 2.0 extension), else LF_STIX_TLP_UNKNOWN. */
lf_stix_tlp lf_stix_tlp_of_marking(const char *id);
const char *lf_stix_tlp_name(lf_stix_tlp t);   /* "CLEAR", "AMBER+STRICT", ... "unknown" */

typedef enum lf_stix_kind {
    LF_STIX_SDO,        /* domain objects: indicator, malware, report, ... */
    LF_STIX_SRO,        /* relationship, sighting */
    LF_STIX_SCO,        /* cyber observables: ipv4-addr, file, ... */
    LF_STIX_META,       /* marking-definition, language-content, extension-definition */
    LF_STIX_CUSTOM      /* x-... or a type defined by an extension */
} lf_stix_kind;

/* Indexed view of one valid object. Strings are NULL when the property is absent. */
typedef struct lf_stix_obj {
    const char *type, *id, *spec_version, *created, *modified, *created_by_ref;
    const char *name;
    const char *valid_from, *valid_until;     /* indicator */
    const char *pattern, *pattern_type;       /* indicator */
    const lf_stixpat *pat;                    /* pattern_type "stix": the parsed pattern */
    bool revoked;
    lf_stix_kind kind;
    const char **marking_refs;                /* object_marking_refs */
    size_t nmarking;
    lf_stix_tlp tlp;                          /* strictest TLP among marking_refs */
    const char **labels;
    size_t nlabels;
    size_t index;                             /* position in the input list */
    const lf_json *json;                      /* the whole object */
} lf_stix_obj;

typedef struct lf_stix_problem {
    size_t index;        /* object position in the input list */
    const char *id;      /* the object's id, NULL when missing or not a string */
    const char *path;    /* "objects[3].valid_until"; for a non-object entry "objects[3]" */
    const char *msg;
} lf_stix_problem;

typedef struct lf_stix_set {
    lf_stix_obj *objs;           /* valid objects, input order */
    size_t nobjs;
    size_t ninput;               /* objects seen */
    size_t ninvalid;             /* objects with at least one problem */
    lf_stix_problem *problems;   /* every problem, input order */
    size_t nproblems;
} lf_stix_set;

/*
 * Validate doc: a bundle, a TAXII envelope, an array of objects, or a single object.
 * LF_OK whenever doc had one of those shapes, even if objects were invalid (see
 * set->ninvalid); LF_EFORMAT when it is none of them (err says why); LF_ENOMEM.
 */
int lf_stix_read(lf_arena *a, const lf_json *doc, lf_stix_set *set, lf_err *err);

/* Parse JSON text (lf_json_parse: a syntax error is LF_EPARSE with line/column) and read it. */
int lf_stix_read_buffer(lf_arena *a, const char *text, size_t len, lf_stix_set *set, lf_err *err);

const char *lf_stix_kind_name(lf_stix_kind k);

#endif
