/*
 * vulndb_int: the on-disk layout of the LFVX index, shared by vulndb.c (writer/reader)
 * and match.c (which walks the arrays directly for speed). Nothing outside src/vans
 * includes this.
 *
 * Every reference to a string is a u32 offset into the STR section, where strings are
 * NUL-terminated; offset 0 holds "" and means "absent". Version keys (version.h) live in
 * the KEY section as u16 length + bytes; key offset 0 means "no key".
 */
#ifndef LF_VANS_VULNDB_INT_H
#define LF_VANS_VULNDB_INT_H

#include <stdint.h>

#include "core/file.h"
#include "vans/vulndb.h"

#define LFVX_MAGIC "LFVX\r\n\x1a\n"
#define LFVX_VERSION 10

enum {
    LFVX_SEC_STR = 0,
    LFVX_SEC_KEY,
    LFVX_SEC_DOC,
    LFVX_SEC_METRIC,
    LFVX_SEC_REF,
    LFVX_SEC_CWE,
    LFVX_SEC_CONFIG,
    LFVX_SEC_NODE,
    LFVX_SEC_CRIT,
    LFVX_SEC_PROD,
    LFVX_SEC_PRODHASH,
    LFVX_SEC_PRODCRIT,
    LFVX_SEC_HINTDOC,
    LFVX_SEC_VULN,
    LFVX_SEC_VULNDOC,
    LFVX_SEC_KEV,
    LFVX_SEC_EXTRA,
    LFVX_SEC_BLOCK,
    LFVX_SEC_PCRIT,
    LFVX_SEC_DRANGE,
    LFVX_NSEC
};

typedef struct vx_section {
    uint64_t offset;
    uint64_t bytes;
    uint64_t count;
} vx_section;

typedef struct vx_header {
    char magic[8];
    uint32_t version;
    uint32_t nsec;
    uint64_t digest;
    char built[32];
    char kev_version[32];
    vx_section sec[LFVX_NSEC];
} vx_header;

typedef struct vx_doc {
    uint32_t doc_id, vuln_id, published, modified, status, description;
    uint32_t source;
    uint32_t metric_first, metric_n;
    uint32_t ref_first, ref_n;
    uint32_t cwe_first, cwe_n;
    uint32_t config_first, config_n;
    uint32_t vuln;            /* index in VULN */
    uint32_t kev_added, kev_due, kev_action, kev_name;
    uint32_t drange_first, drange_n;   /* version ranges read from the description
                                          (documents without configurations only) */
    uint32_t authority;       /* lf_vdoc.authority */
} vx_doc;

/* A version range stated in prose ("before 2.4.60", "7.0.0 through 7.0.16", "8.8.1 and
 * prior"): start/end KEY offsets, 0 = unbounded. */
typedef struct vx_drange {
    uint32_t start_key, end_key, flags;   /* VXC_START_INCL / VXC_END_INCL */
} vx_drange;

typedef struct vx_metric {
    uint32_t source, vector;
    uint8_t version, primary, severity, pad;
    uint32_t score10;
} vx_metric;

typedef struct vx_ref {
    uint32_t url, source, tags;
} vx_ref;

typedef struct vx_config {
    uint32_t doc;
    uint32_t node_first, node_n;
    uint32_t op_and;          /* VXF_AND | VXF_NOT_AFFECTED */
} vx_config;
#define VXF_AND          1u
#define VXF_NOT_AFFECTED 2u   /* a statement of non-applicability (lf_vconfig.not_affected):
                                 its criteria are not in the product table, so the matcher
                                 never makes hits from them; lf_vdb_doc_eval reads them */

typedef struct vx_node {
    uint32_t config;
    uint32_t crit_first, crit_n;
    uint32_t flags;           /* VXN_* */
} vx_node;
#define VXN_AND    1u
#define VXN_NEGATE 2u

typedef struct vx_crit {
    uint32_t node, doc, prod;
    uint32_t cpe;             /* formatted string */
    uint32_t start, end;      /* raw bound strings (0 = none) */
    uint32_t start_key, end_key, ver_key;   /* KEY offsets (0 = none) */
    uint32_t match_id;
    uint32_t flags;           /* VXC_* */
    uint32_t extra;           /* index + 1 in EXTRA for VXC_COMPLEX criteria, else 0 */
} vx_crit;

/* WFN values of a complex criterion's version (slot 0) and update..other (slots 1..7),
 * so the matcher compares attributes without re-parsing the name. kinds: 2 bits per
 * slot (LF_CPE_ANY / NA / VALUE); val: STR offsets of WFN-form values. */
typedef struct vx_extra {
    uint32_t val[8];
    uint32_t kinds;
    uint32_t combo_key;   /* KEY of "version update" when both are values (NVD splits
                             9.1R11.4 into 9.1 + r11.4, inventories write it whole) */
} vx_extra;
#define VXC_VULNERABLE   1u
#define VXC_START_INCL   2u
#define VXC_END_INCL     4u
#define VXC_HAS_START    8u
#define VXC_HAS_END     16u
#define VXC_VER_ANY     32u   /* criterion version attribute is ANY */
#define VXC_VER_NA      64u   /* ... is NA */
#define VXC_COMPLEX    128u   /* some attribute beyond part/vendor/product/version is not ANY,
                                 or the version has wildcards: compare the full WFN */
#define VXC_UNORDERED  256u   /* range cannot be ordered (scheme): needs review */
#define VXC_TRIVIAL    512u   /* its configuration is one non-negated OR node: matching the
                                 criterion satisfies the configuration, no evaluation needed */
/* An ecosystem version scheme (pkgver.h, DPKG and above): the range is compared with
 * lf_pkgver_cmp on the raw bound strings, so the criterion has no version keys and does
 * not bound the version for pruning. */
#define VXC_SCHEME_SHIFT 10
#define VXC_SCHEME_MASK  (0xfu << VXC_SCHEME_SHIFT)
#define VXC_SCHEME(f)    ((lf_vscheme)(((f) & VXC_SCHEME_MASK) >> VXC_SCHEME_SHIFT))

typedef struct vx_prod {
    uint32_t key;             /* "part:vendor:product" in WFN form */
    uint32_t hash;
    uint32_t crit_first, crit_n;   /* in PRODCRIT, sorted by version interval (below) */
    uint32_t hint_first, hint_n;   /* in HINTDOC: docs without applicability naming it */
    uint32_t block_first, block_n; /* in BLOCK */
} vx_prod;

/*
 * Version pruning. A product's criteria are sorted by the interval of versions they can
 * match (start ascending, -inf first; then end ascending, +inf last) and cut into blocks
 * of VX_BLOCK criteria; a block records its first start and its largest end. A lookup
 * for version v stops at the first block whose first start is above v and skips blocks
 * whose largest end is below v, so a product with thousands of criteria costs a few
 * block checks plus the criteria that can actually hold. Criteria that do not bound the
 * version (ANY, NA, wildcards, unordered schemes) have (-inf, +inf).
 */
#define VX_BLOCK 16

/* The fields of a criterion the matcher reads for every candidate, copied in PRODCRIT
 * order so a product's criteria are read sequentially (the CRIT array is in document
 * order, and fetching it per candidate was the matcher's main cost in cache misses). */
typedef struct vx_pcrit {
    uint32_t crit, flags, start_key, end_key, ver_key, extra, doc;
    uint32_t node, vuln, config_ord;   /* what a hit needs, without touching DOC/NODE */
} vx_pcrit;
typedef struct vx_block {
    uint32_t start_key;       /* KEY offset of the first criterion's start */
    uint32_t max_end_key;     /* KEY offset of the largest end */
    uint32_t flags;           /* VXB_* */
} vx_block;
#define VXB_START_NEG_INF 1u
#define VXB_END_POS_INF   2u

typedef struct vx_vuln {
    uint32_t vuln_id;
    uint32_t doc_first, doc_n;     /* in VULNDOC */
    uint32_t kev;                  /* index+1 in KEV, 0 = not listed */
} vx_vuln;

typedef struct vx_kev {
    uint32_t cve, added, due, action, ransom, name, vendor, product;
} vx_kev;

struct lf_vdb {
    lf_map map;
    const vx_header *hdr;
    const char *str;
    size_t str_len;
    const unsigned char *key;
    size_t key_len;
    const vx_doc *doc;
    const vx_metric *metric;
    const vx_ref *ref;
    const uint32_t *cwe;
    const vx_config *config;
    const vx_node *node;
    const vx_crit *crit;
    const vx_prod *prod;
    const uint32_t *prodhash;
    const uint32_t *prodcrit;
    const uint32_t *hintdoc;
    const vx_vuln *vuln;
    const uint32_t *vulndoc;
    const vx_kev *kev;
    const vx_extra *extra;
    size_t nextra;
    const vx_block *block;
    size_t nblock;
    const vx_pcrit *pcrit;    /* parallel to prodcrit */
    const vx_drange *drange;
    size_t ndrange;
    size_t ndoc, nmetric, nref, ncwe, nconfig, nnode, ncrit, nprod, nprodhash, nprodcrit,
        nhintdoc, nvuln, nvulndoc, nkev;
};

static inline const char *vx_str(const lf_vdb *db, uint32_t off)
{
    return off < db->str_len ? db->str + off : "";
}

static inline const unsigned char *vx_key(const lf_vdb *db, uint32_t off, size_t *len)
{
    if (!off || off >= db->key_len || db->key_len - off < 2) {
        *len = 0;
        return NULL;
    }
    size_t n = (size_t)db->key[off] | ((size_t)db->key[off + 1] << 8);
    if (n > db->key_len - off - 2)
        n = 0;
    *len = n;
    return db->key + off + 2;
}

/* Order of two version keys (version.h): bytes, then the shorter first. Keys are a
 * dozen bytes, so an inline loop beats a libc call on the matcher's hot path. */
static inline int vx_keycmp(const unsigned char *a, size_t an, const unsigned char *b, size_t bn)
{
    size_t n = an < bn ? an : bn;
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return a[i] < b[i] ? -1 : 1;
    return an < bn ? -1 : an > bn;
}

uint32_t lf_vx_hash(const char *s, size_t n);
/* Product key "p:vendor:product" from WFN values; returns length or -1 if too long. */
int lf_vx_prod_key(char part, const char *vendor, size_t vlen, const char *product, size_t plen,
                   char *out, size_t cap);
/* Index of the product, or UINT32_MAX. */
uint32_t lf_vx_find_prod(const lf_vdb *db, const char *key, size_t n, uint32_t hash);

#endif
