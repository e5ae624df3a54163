/*
 * blocklist: approved indicators turned into the lists firewalls, UTMs and IPS pull.
 * Pure: no store, no network; the caller hands in approved indicators and gets text.
 *
 * Formats (lf_bl_format):
 *  - IP, DOMAIN, URL, HASH: external dynamic lists (Palo Alto EDL, FortiGate external
 *    threat feeds): one entry per line, no comments, LF line ends, deduplicated, sorted.
 *    IPs: IPv4 first (numeric order) then IPv6; a single address without "/32" or
 *    "/128"; overlapping and adjacent ranges merged and written as the fewest CIDRs
 *    covering exactly the same addresses. Domains: lower case, no trailing dot.
 *    URLs: "host[:port]/path[?query]" without the scheme (both vendors match URLs
 *    without it), host lower case.
 *  - NFT: an nftables file for `nft -f`: table inet lianfang with the interval sets
 *    blocklist_v4 (ipv4_addr) and blocklist_v6 (ipv6_addr); an empty set has no
 *    elements line (nft rejects "elements = { }").
 *  - SURICATA_IPREP + SURICATA_CATEGORIES: Suricata IP reputation (reputation-files:
 *    "addr-or-cidr,category,score") and its categories file ("1,<category>,<text>").
 *  - SURICATA_RULES: one iprep rule for the reputation list, then for each domain a DNS
 *    query, a TLS SNI and an HTTP host rule matching the domain and its subdomains
 *    (dotprefix; content:".example.com"; endswith). The sids derive from the indicator
 *    id (FNV-1a, 3 sids per indicator from opts.sid_base), so a rule keeps its sid
 *    across regenerations; a hash collision moves the later domain (in name order) to
 *    the next free slot. msg names the source and the indicator id. A domain approved
 *    in several indicators gets one rule set, from the smallest indicator id.
 *
 * Input: each lf_bl_indicator is validated (lf_bl_parse_* below). A bad value is
 * reported (lf_blocklist_add returns LF_EPARSE with a message naming the indicator and
 * why) and left out; the others are generated. Expired indicators (expires <= now) and
 * those above opts.max_tlp are counted and left out.
 *
 * Ownership: lf_blocklist_new/_free; indicator strings are copied in; outputs are
 * appended to the caller's lf_buf.
 */
#ifndef LF_ISAC_BLOCKLIST_H
#define LF_ISAC_BLOCKLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "isac/stix.h"

typedef enum lf_bl_type {
    LF_BL_IPV4,      /* address or CIDR */
    LF_BL_IPV6,      /* address or CIDR */
    LF_BL_CIDR,      /* either family, with or without a prefix */
    LF_BL_DOMAIN,
    LF_BL_URL,
    LF_BL_HASH       /* MD5, SHA-1, SHA-256 or SHA-512 hex */
} lf_bl_type;

typedef struct lf_bl_indicator {
    const char *id;        /* indicator id (STIX "indicator--..."): sids derive from it */
    const char *value;
    lf_bl_type type;
    int64_t expires;       /* Unix seconds; 0 = no expiry */
    const char *source;    /* who reported it (identity id or name), named in Suricata msg */
    lf_stix_tlp tlp;       /* LF_STIX_TLP_UNKNOWN = unmarked */
} lf_bl_indicator;

typedef enum lf_bl_format {
    LF_BL_FMT_IP,
    LF_BL_FMT_DOMAIN,
    LF_BL_FMT_URL,
    LF_BL_FMT_HASH,
    LF_BL_FMT_NFT,
    LF_BL_FMT_SURICATA_IPREP,
    LF_BL_FMT_SURICATA_CATEGORIES,
    LF_BL_FMT_SURICATA_RULES
} lf_bl_format;
#define LF_BL_NFORMATS 8

typedef struct lf_bl_opts {
    int64_t now;                 /* Unix seconds: indicators with 0 < expires <= now are left out */
    lf_stix_tlp max_tlp;         /* leave out stricter ones; LF_STIX_TLP_UNKNOWN = no limit */
    uint32_t sid_base;           /* first Suricata sid; 0 = 1000000000 */
    uint32_t sid_slots;          /* indicators' slots above sid_base; 0 = 200000000 */
    const char *rule_action;     /* "alert" (default) or "drop" (inline IPS) */
    const char *category;        /* Suricata reputation category short name; NULL = "lianfang" */
} lf_bl_opts;

typedef struct lf_bl_stats {
    size_t added, invalid, expired, over_tlp;
    size_t v4_in, v6_in;             /* address/CIDR entries accepted */
    size_t v4_out, v6_out;           /* CIDRs written after merging */
    size_t domains, urls, hashes;    /* distinct entries */
} lf_bl_stats;

typedef struct lf_blocklist lf_blocklist;

int lf_blocklist_new(const lf_bl_opts *o, lf_blocklist **out, lf_err *err);
void lf_blocklist_free(lf_blocklist *bl);

/* Add one indicator. LF_OK (also when left out as expired or over max_tlp), LF_EPARSE
 * for a bad value (err: id, field "value", why), LF_EINVAL after lf_blocklist_finish,
 * LF_ENOMEM. */
int lf_blocklist_add(lf_blocklist *bl, const lf_bl_indicator *ind, lf_err *err);

/* Sort, deduplicate, merge ranges and assign sids; after it only writes are allowed
 * (lf_blocklist_write calls it when needed). */
int lf_blocklist_finish(lf_blocklist *bl, lf_err *err);

/* Append one format to out. LF_OK, LF_ENOMEM or LF_ELIMIT (out's maximum). */
int lf_blocklist_write(lf_blocklist *bl, lf_bl_format f, lf_buf *out, lf_err *err);

const lf_bl_stats *lf_blocklist_stats_borrow(const lf_blocklist *bl);
/* File name for a format: "ip.txt", "domain.txt", "url.txt", "hash.txt",
 * "blocklist.nft", "iprep.list", "categories.txt", "lianfang.rules". */
const char *lf_bl_format_file(lf_bl_format f);
/* "ipv4" ... "hash" -> type; false when unknown. */
bool lf_bl_type_parse(const char *s, lf_bl_type *out);

/* ---- value parsers (shared with deident; fuzzed). why is a static message. ---- */

/* Dotted-quad IPv4, each part 0-255 without leading zeros, with an optional /0-32.
 * *prefix = 32 without one. Host bits under the prefix are cleared. */
bool lf_bl_parse_ipv4(const char *s, size_t n, uint32_t *addr, unsigned *prefix, const char **why);
/* IPv6 text (RFC 4291 2.2: "::" once, an embedded dotted quad last), optional /0-128. */
bool lf_bl_parse_ipv6(const char *s, size_t n, uint8_t addr[16], unsigned *prefix, const char **why);
/* Domain name: ASCII letters, digits, '-', '_' in labels of 1-63 not starting or ending
 * with '-', at least two labels, at most 253 characters, a trailing dot dropped, not all
 * digits in the last label. out (cap >= 254) gets the lower-case form. */
bool lf_bl_norm_domain(const char *s, size_t n, char *out, size_t cap, size_t *outn, const char **why);
/* URL: optional http:// or https:// (no other scheme), a host (domain, IPv4 or [IPv6]),
 * an optional :port (1-65535), an optional path/query; no spaces or control bytes, at
 * most 2048 characters; the fragment is dropped. out (cap >= n + 1) gets
 * "host[:port]/path" with the host lower case and "/" when there was no path. */
bool lf_bl_norm_url(const char *s, size_t n, char *out, size_t cap, size_t *outn, const char **why);
/* Hex of 32, 40, 64 or 128 digits; out (cap >= 129) gets it lower case. */
bool lf_bl_norm_hash(const char *s, size_t n, char *out, size_t cap, size_t *outn, const char **why);

#endif
