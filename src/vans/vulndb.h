/*
 * vulndb: the vulnerability index. It knows no feed format: feed readers (src/feeds/)
 * turn NVD, CVE 5, CSAF, OSV ... documents into lf_vdoc values and put them into a
 * builder; the builder writes one compact file that the matcher maps read-only.
 *
 * Model. A *document* is one source's statement about one vulnerability (the NVD record
 * of CVE-2021-44228; the CNA container of its CVE 5 record; a vendor's CSAF advisory).
 * Documents are keyed by (source, doc_id) and replaced as a whole when a newer
 * `modified` arrives; several documents about the same vuln_id (CVE id) are kept side by
 * side so the matcher can weigh sources. A document carries metadata (dates, status,
 * description, CVSS metrics, CWEs, references with tags) and applicability as NVD-style
 * configurations: config (AND/OR over nodes) -> node (AND/OR over criteria, negate) ->
 * criterion (CPE-shaped name + version range + vulnerable flag). Sources without CPEs
 * still fit: a package criterion uses part 'p' is reserved for issue 9 (vendor =
 * ecosystem, product = package name) with its own version scheme.
 *
 * File format (LFVX, version 1): header, then fixed-size record arrays and one string
 * pool, all little-endian u32 offsets, laid out so lf_vdb_open is an mmap plus header
 * checks: no parsing, no allocation proportional to the data. A product table (hash of
 * vendor:product -> criteria) is precomputed at write time, so matching an inventory
 * item is one hash probe plus a scan of that product's criteria with memcmp'able
 * version keys (see version.h). The file is replaced atomically (temp + rename).
 *
 * Incremental rebuild: lf_vdb_builder_load seeds a builder from an existing index
 * (borrowing its strings from the map, no copy), new documents replace old ones by key,
 * and the write re-emits the file; only new input is parsed.
 *
 * Ownership: lf_vdoc values passed to put are copied (the caller keeps its own). Views
 * returned by lf_vdb_* accessors borrow from the map and live until lf_vdb_close.
 */
#ifndef LF_VANS_VULNDB_H
#define LF_VANS_VULNDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "vans/cvss.h"
#include "vans/pkgver.h"   /* lf_vscheme */

typedef enum {
    LF_SRC_NONE = 0,
    LF_SRC_NVD = 1,        /* NVD CVE API 2.0 record: configurations */
    LF_SRC_CVE5_CNA = 2,   /* CVE JSON 5 CNA container */
    LF_SRC_CVE5_ADP = 3,   /* CVE JSON 5 ADP container (e.g. CISA Vulnrichment) */
    LF_SRC_CSAF = 4,       /* CSAF 2.0 vendor advisory */
    LF_SRC_OSV = 5,        /* OSV distribution / ecosystem advisory */
    LF_SRC_COUNT
} lf_source;

const char *lf_source_name(lf_source s);   /* "nvd", "cve5-cna", ... */

/* Reference tags (NVD's vocabulary), as bits. */
#define LF_REF_TAGS(X)                                  \
    X(VENDOR_ADVISORY, 0, "Vendor Advisory")            \
    X(PATCH,           1, "Patch")                      \
    X(MITIGATION,      2, "Mitigation")                 \
    X(RELEASE_NOTES,   3, "Release Notes")              \
    X(THIRD_PARTY,     4, "Third Party Advisory")       \
    X(EXPLOIT,         5, "Exploit")                    \
    X(US_GOV,          6, "US Government Resource")     \
    X(ISSUE_TRACKING,  7, "Issue Tracking")             \
    X(MAILING_LIST,    8, "Mailing List")               \
    X(VDB_ENTRY,       9, "VDB Entry")                  \
    X(PRODUCT,        10, "Product")                    \
    X(TECH_PAPER,     11, "Technical Description")      \
    X(BROKEN_LINK,    12, "Broken Link")                \
    X(PERMISSIONS,    13, "Permissions Required")       \
    X(PRESS,          14, "Press/Media Coverage")       \
    X(NOT_APPLICABLE, 15, "Not Applicable")
enum {
#define LF_REF_ENUM(name, bit, str) LF_REF_##name = (1u << (bit)),
    LF_REF_TAGS(LF_REF_ENUM)
#undef LF_REF_ENUM
};
/* Tags that make a link a fix link, listed first (vendor advice before anything else). */
#define LF_REF_FIX_MASK (LF_REF_VENDOR_ADVISORY | LF_REF_PATCH | LF_REF_MITIGATION | LF_REF_RELEASE_NOTES)
uint32_t lf_ref_tag_bit(const char *tag);          /* 0 for unknown tags */
/* Comma-separated tag names of a mask into out. */
void lf_ref_tags_format(uint32_t tags, char *out, size_t n);

typedef struct lf_vmetric {
    const char *source;      /* "nvd@nist.gov", a CNA id ... */
    bool primary;            /* NVD "type": Primary */
    lf_cvss_version version;
    int score10;             /* stated base score x 10 */
    lf_cvss_severity severity;
    const char *vector;
} lf_vmetric;

typedef struct lf_vref {
    const char *url;
    const char *source;
    uint32_t tags;           /* LF_REF_* bits */
} lf_vref;


typedef struct lf_vcrit {
    bool vulnerable;
    const char *cpe;         /* CPE 2.3 formatted string (criteria) */
    const char *start;       /* version range bounds, NULL when absent */
    bool start_incl;
    const char *end;
    bool end_incl;
    lf_vscheme scheme;
    const char *match_id;    /* NVD matchCriteriaId, or NULL */
} lf_vcrit;

typedef struct lf_vnode {
    bool op_and;             /* AND: every criterion; OR: any */
    bool negate;
    size_t ncrit;
    lf_vcrit *crit;
} lf_vnode;

typedef struct lf_vconfig {
    bool op_and;             /* configuration operator AND: every node must hold */
    size_t nnode;
    lf_vnode *node;
    /* A statement that the products it matches are NOT affected (CSAF known_not_affected
     * and fixed product ids): a satisfied not_affected configuration makes a hit of kind
     * LF_HIT_NOT_AFFECTED, which the finding's source precedence weighs against the
     * affected statements of other sources (finding.h). */
    bool not_affected;
} lf_vconfig;

typedef struct lf_vdoc {
    lf_source source;
    const char *doc_id;      /* key within the source */
    const char *vuln_id;     /* CVE id (or advisory id when there is none) */
    const char *published;   /* ISO 8601 as the source writes it */
    const char *modified;    /* lastModified: the replace-if-newer key */
    const char *status;      /* NVD vulnStatus, "" when not applicable */
    const char *description; /* English */
    size_t nmetric;
    lf_vmetric *metric;
    size_t ncwe;
    const char **cwe;
    size_t nref;
    lf_vref *ref;
    size_t nconfig;
    lf_vconfig *config;
    /* Exploited-in-the-wild data as the source itself states it (NVD copies CISA's KEV
     * fields into cisaExploitAdd/cisaActionDue/...); used when the KEV catalog itself has
     * not been imported. NULL when absent. */
    const char *kev_added, *kev_due, *kev_action, *kev_name;
    /* Who speaks with a vendor's authority (finding.h, lf_finding_rank): a CSAF
     * advisory's publisher name when its category is "vendor" ("Siemens ProductCERT",
     * "Red Hat Product Security"); NULL otherwise. */
    const char *authority;
} lf_vdoc;

/* A CISA KEV catalog entry. */
typedef struct lf_vkev {
    const char *cve;
    const char *date_added;
    const char *due_date;
    const char *required_action;
    const char *ransomware;  /* "Known" / "Unknown" */
    const char *name;        /* vulnerabilityName */
    const char *vendor;
    const char *product;
} lf_vkev;

/* ---- builder ---- */

typedef struct lf_vdb_builder lf_vdb_builder;
typedef struct lf_vdb lf_vdb;

typedef enum {
    LF_PUT_ADDED = 0,
    LF_PUT_REPLACED,         /* a newer modified replaced an older record */
    LF_PUT_UNCHANGED,        /* same modified as stored: kept the stored one */
    LF_PUT_STALE,            /* older than stored: ignored */
    LF_PUT_REMOVED,          /* Rejected: stored record removed */
    LF_PUT_REJECTED_NEW,     /* Rejected and not stored: nothing to do */
} lf_put_result;

lf_vdb_builder *lf_vdb_builder_new(void);
void lf_vdb_builder_free(lf_vdb_builder *b);
/* Seed from an open index; b borrows db's strings: keep db open until after write. */
int lf_vdb_builder_load(lf_vdb_builder *b, const lf_vdb *db, lf_err *err);
/* Put a document (deep-copied). `rejected` removes the key. */
int lf_vdb_builder_put(lf_vdb_builder *b, const lf_vdoc *doc, bool rejected,
                       lf_put_result *res, lf_err *err);
/* Replace the whole KEV catalog (the catalog is always published whole). */
int lf_vdb_builder_set_kev(lf_vdb_builder *b, const lf_vkev *k, size_t n, const char *catalog_version,
                           lf_err *err);
size_t lf_vdb_builder_ndocs(const lf_vdb_builder *b);
/* Write the index atomically. */
int lf_vdb_builder_write(lf_vdb_builder *b, const char *path, lf_err *err);

/* ---- reader ---- */

int lf_vdb_open(const char *path, lf_vdb **out, lf_err *err);
void lf_vdb_close(lf_vdb *db);

typedef struct lf_vdb_stats {
    size_t docs, vulns, configs, nodes, crits, products, refs, metrics, kev;
    size_t docs_by_source[LF_SRC_COUNT];
    size_t docs_without_config;
    size_t vulns_by_source[LF_SRC_COUNT];   /* vulnerabilities with a document of the source */
    size_t vulns_without_criteria;          /* no document of any source has a configuration */
    size_t file_bytes;
    uint64_t digest;           /* FNV-1a over (source, doc_id, modified) of every doc + KEV */
    char kev_version[32];
    char built[32];            /* UTC time of writing, ISO 8601 */
} lf_vdb_stats;
void lf_vdb_get_stats(const lf_vdb *db, lf_vdb_stats *st);

size_t lf_vdb_ndocs(const lf_vdb *db);
/* Decode document i into a view. Strings are borrowed from the map; arrays (metric,
 * ref, config...) are allocated in `a` (see core/arena.h). */
struct lf_arena;
int lf_vdb_doc(const lf_vdb *db, size_t i, struct lf_arena *a, lf_vdoc *out);
/* The same with only the arrays named in `parts` decoded (the others left empty): a
 * finding stored by the server needs the metrics, not the criteria of every
 * configuration (up to hundreds) it would otherwise copy for each hit. */
#define LF_VDOC_METRICS 1u
#define LF_VDOC_CWES 2u
#define LF_VDOC_REFS 4u
#define LF_VDOC_CONFIGS 8u
#define LF_VDOC_ALL 15u
int lf_vdb_doc_parts(const lf_vdb *db, size_t i, unsigned parts, struct lf_arena *a, lf_vdoc *out);
/* Only the scalar identity of document i (source, ids, dates, status, authority): no
 * allocation, arrays left empty. What a finding's source list needs. */
int lf_vdb_doc_head(const lf_vdb *db, size_t i, lf_vdoc *out);
/* Find the documents of a vuln id: returns the count and fills idx (up to cap). */
size_t lf_vdb_find_vuln(const lf_vdb *db, const char *vuln_id, uint32_t *idx, size_t cap);
/* The same by vuln index (lf_hit.vuln): no search by id. */
size_t lf_vdb_vuln_docs(const lf_vdb *db, uint32_t vuln, uint32_t *idx, size_t cap);
const lf_vkev *lf_vdb_kev(const lf_vdb *db, const char *cve, lf_vkev *tmp); /* NULL if not listed */
/* The products criteria name, as "part:vendor:product" with WFN-quoted values (e.g.
 * "a:notepad-plus-plus:notepad\+\+"): the CVE vocabulary name resolution falls back on. */
size_t lf_vdb_nproducts(const lf_vdb *db);
/* Whether some criterion names c's part:vendor:product (e.g. a distribution's OSV data
 * speaks about package p:debian:openssl). */
struct lf_cpe;
bool lf_vdb_has_product(const lf_vdb *db, const struct lf_cpe *c);
const char *lf_vdb_product(const lf_vdb *db, size_t i);

#endif
