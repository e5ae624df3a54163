/*
 * cve5: reader of CVE JSON 5.x records (CVE Record Format 5.0/5.1/5.2, the CVE
 * Program's cvelistV5 and CISA's Vulnrichment repository) into vulnerability-index
 * documents. NVD no longer adds CPE configurations to most new CVEs ("Deferred"), so the
 * CVE Program's own record (the CNA's statement and every ADP's additions, CISA's ADP
 * giving CPEs, CVSS and KEV data) is the other place applicability comes from.
 *
 * Accepted shapes, detected from the content: one record per file (the CVE list's
 * cves/YYYY/NxxxX/CVE-....json), an array of records, either gzip-compressed, and ZIP
 * archives of such files (core/zip.h): the CVE Program's bulk release (a zip holding
 * cves.zip) and its delta archives. Archive entries are imported as "archive!entry";
 * one that cannot be read is reported (lf_feed_error) and the archive goes on. Folders
 * are walked by the caller (cli_feed.c). CVE JSON 4 and NVD files are refused with a
 * message saying what they are; the CVE list's delta.json / deltaLog.json summaries are
 * recognised and skipped (they hold no records).
 *
 * MAPPING RULES
 *
 * M1  Documents. One document per container: containers.cna -> source LF_SRC_CVE5_CNA,
 *     doc_id = the CVE id; each containers.adp[i] -> LF_SRC_CVE5_ADP, doc_id =
 *     "<CVE id>/<providerMetadata.shortName, else orgId>" (CISA's is "CVE-…/CISA-ADP",
 *     the CVE Program Container "CVE-…/CVE"). vuln_id = cveMetadata.cveId; published =
 *     cveMetadata.datePublished; modified = the container's providerMetadata.dateUpdated,
 *     else cveMetadata.dateUpdated (so an ADP update does not rewrite the CNA document);
 *     status = "" (NVD's vulnStatus has no CVE 5 counterpart); description = the first
 *     descriptions[] entry whose lang starts with "en" (ADP containers rarely have one:
 *     theirs stays NULL rather than copying the CNA's, so a references-only ADP container
 *     does not make description hints of its own).
 * M2  REJECTED. cveMetadata.state "REJECTED" removes the CNA document and the ADP
 *     documents the record names, plus "<id>/CISA-ADP" and "<id>/CVE" (rejected records
 *     usually carry no ADP containers any more). The builder has no lookup by vuln id,
 *     so an ADP document of another provider stays until its own record says otherwise.
 *     Removal uses cveMetadata.dateUpdated, so an older rejection never removes a newer
 *     document.
 * M3  Metrics. metrics[].cvssV4_0 / cvssV3_1 / cvssV3_0 / cvssV2_0 -> lf_vmetric with the
 *     vectorString, baseScore (0..10, else reported and left out) and baseSeverity (else
 *     derived from the score); source = the container's shortName; primary = false.
 *     metrics[].other of type "kev" (CISA ADP) -> kev_added = content.dateAdded, and
 *     content.reference becomes a reference tagged US Government Resource. Type "ssvc"
 *     and every other "other" type are ignored for now (SSVC decisions are not used by
 *     the prioritisation yet).
 * M4  CWE. problemTypes[].descriptions[].cweId, else a description starting "CWE-n".
 * M5  References. references[] url + tags: vendor-advisory, patch, mitigation,
 *     release-notes, third-party-advisory, exploit, government-resource, issue-tracking,
 *     mailing-list, vdb-entry, product, technical-description, broken-link,
 *     permissions-required, media-coverage map to their LF_REF_* bit; the legacy MITRE
 *     tags: x_refsource_CONFIRM and vendor bulletins (MS, CISCO, HP, SUN, APPLE, SGI,
 *     AIXAPAR) -> vendor advisory; distribution advisories (DEBIAN, REDHAT, SUSE,
 *     UBUNTU, GENTOO, FEDORA, MANDRIVA, MANDRAKE) and CERT / CERT-VN / JVN -> third
 *     party advisory; MLIST / BUGTRAQ / FULLDISC -> mailing list; EXPLOIT-DB -> exploit;
 *     BID / SECTRACK / XF / OSVDB / SECUNIA / VUPEN -> VDB entry. Others (MISC,
 *     x_transferred, related, signature, ...) carry no bit.
 * M6  Products. Each affected[] entry gives the product CPEs P:
 *     - `cpes` when given (CPE 2.3 formatted strings or 2.2 URIs, both parsed; an entry
 *       that is not a CPE is reported and skipped);
 *     - else vendor + product (or packageName when there is no product) through the
 *       intake name resolver when a namedb is given (lf_cve5_opts.names): the resolved
 *       part:vendor:product when the resolver says RESOLVED (confidence >= 0.80);
 *     - else the CNA's own vendor and product, lower-cased with spaces as '_', part 'a'
 *       (lf_cpe_set_plain). This fallback only meets inventories that happen to use the
 *       same words ("Palo Alto Networks" becomes palo_alto_networks, NVD writes
 *       paloaltonetworks), so it rarely matches; it never matches a wrong product.
 *     "n/a" vendor or product counts as absent; an entry with no usable product is left
 *     out (its document keeps the description, so description hints still apply).
 *     An entry with packageName whose every CPE names another product (Red Hat:
 *     packageName glibc with cpe:/o:redhat:enterprise_linux:8) states a distribution
 *     package's versions, which cannot be compared with the platform's CPE version: it
 *     is left out (distribution packages are the OSV reader's job).
 * M7  Versions. versions[] entries: `version` + `lessThan` -> [version, lessThan);
 *     `version` + `lessThanOrEqual` -> [version, lessThanOrEqual]; `version` alone ->
 *     exactly that version. A lower bound "0", "*", "unspecified", "n/a", "-" or empty
 *     means no lower bound; an upper bound "*" means no upper bound. Wildcards:
 *     lessThanOrEqual "6.1.*" means every 6.1.x, i.e. lessThan "6.2"; a lower bound
 *     "8.1.*" is 8.1; "8.1.*" alone is [8.1, 8.2). `version` written as an expression
 *     ("< 8.8.2", "<= 8.5.6", ">= 6.4.0, < 6.4.3", "before 5.15.5") is read as that
 *     range. "*" alone means every version; "0" / "unspecified" / "n/a" alone means
 *     "affected, version not stated" (needs review).
 *     Ranges become criteria on P with the CPE version set to ANY (CISA writes the
 *     range's lower bound or "-" into the CPE version, Fortinet one CPE per release);
 *     an exact version sets the CPE version.
 * M8  Schemes. versionType "git", and any bound that is a commit id (7+ hex digits with
 *     a letter, e.g. CISA's "1da177e4c3f4" typed "custom"), give scheme LF_VS_UNORDERED:
 *     the matcher says "needs review" instead of guessing. Other types (semver, custom,
 *     rpm, maven, patch, original_commit_for_fix with release numbers, ...) use the
 *     generic version order. A bound that is not a version at all ("publication",
 *     "https://aka.ms/…", "None", "see references") makes the entry undecidable: when P
 *     names a concrete version (Microsoft: exchange_server:2016:cumulative_update_19) P
 *     itself is the criterion; otherwise P with scheme UNORDERED (needs review), keeping
 *     the stated bounds for the explanation.
 *     An entry whose ranges are all commit ids is dropped when another entry of the same
 *     container names the same product with ordered versions (the Linux CNA states each
 *     fix twice, as git commits and as release numbers).
 * M9  changes[]: status changes along the range, applied in version order: an
 *     "unaffected" change at X ends the affected part at X (exclusive); a later change
 *     back to "affected" starts a new part. A range with changes and no upper bound
 *     runs to the last change's status. A change whose `at` is not a version makes the
 *     entry undecidable (M8).
 * M10 Configurations. One configuration per affected entry:
 *     - defaultStatus "affected" with "unaffected" entries: an AND configuration of
 *       [OR node: P, any version] and [negated OR node: the unaffected ranges of P]. The
 *       negated criteria are marked vulnerable so an item without a version gives "needs
 *       review" instead of a silent non-match (the matcher treats vulnerable:false
 *       criteria as a present platform when the item has no version).
 *     - defaultStatus "affected" with no versions at all: P, any version (vulnerable).
 *     - defaultStatus "affected" with only "affected" entries (PHP, Adobe, Synology and
 *       CISA write this): the listed ranges, as if the default were "unaffected": read
 *       literally every version would be affected and listing ranges would say nothing,
 *       and a finding on every PHP release would be a false notice.
 *     - otherwise: an OR node of the affected ranges (unaffected entries then only
 *       restate the default and are not used). defaultStatus "unknown" adds nothing (CISA
 *       writes it on every entry; "needs review" for every other version of Chrome
 *       would bury the real findings).
 *     - status "unknown" entries: a configuration of their own, P any version with
 *       scheme LF_VS_UNORDERED (needs review). The matcher only looks at the scheme of a
 *       criterion that has a range, so the criterion carries the entry's version text as
 *       its lower bound (or "*").
 *     `platforms` ("x64-based Systems", "Windows", "iOS") are ignored: they are free
 *     text that names no CPE, and a running-on condition built from them would drop
 *     findings for inventories that list no platform.
 *     cpeApplicability (CVE 5.1.1+, NVD-style configurations written by the CNA): when a
 *     container has it and at least one of its configurations is valid, its
 *     configurations are used instead of the ones made from affected[].
 * M11 Errors. A malformed container, affected entry, version entry, CPE or metric is
 *     reported through lf_feed_error (file, line of the record, CVE id, field path such
 *     as "containers.cna.affected[2].versions[0]", reason) and left out; the rest of the
 *     record and the next records are imported.
 * M12 Link-only ADP containers. An ADP container that adds nothing but references (no
 *     applicability, metrics, CWEs, KEV fields or description: the CVE Program's
 *     container on most records) is not a document of its own: its links are appended to
 *     the CNA document (duplicates once) and the CNA document takes the later of the two
 *     dates. A third of the documents of a full import were such containers; as
 *     documents they cost index size and memory and said nothing the matcher uses.
 *
 * Limits: 256 CPEs and 4096 versions per affected entry, 256 changes per version entry,
 * 65536 criteria per document; beyond them the entry is reported and left out.
 *
 * Ownership: a reader borrows its feed context and namedb (keep both alive) and owns its
 * resolver and arenas. Documents given to on_doc and returned by lf_cve5_docs_from_json
 * live in the arena passed in (strings borrowed from the JSON tree or allocated there).
 */
#ifndef LF_FEEDS_CVE5_H
#define LF_FEEDS_CVE5_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/json.h"
#include "feeds/feed.h"
#include "intake/namedb.h"

typedef struct lf_cve5_opts {
    const lf_namedb *names;   /* name resolution for entries without cpes; NULL: M6 fallback */
    /* Called with every document just before it is put (rejected: a removal key).
     * Non-zero stops the import, which returns that value when it is a negative LF_E*
     * code and LF_EINVAL otherwise. NULL: not called. */
    int (*on_doc)(void *ud, const lf_vdoc *doc, bool rejected);
    void *ud;
} lf_cve5_opts;

typedef struct lf_cve5_reader lf_cve5_reader;

/* A reader for many files (one resolver and its cache for the whole import). opts may
 * be NULL (no names, no hook). */
int lf_cve5_reader_new(lf_feed_ctx *c, const lf_cve5_opts *opts, lf_cve5_reader **out, lf_err *err);
void lf_cve5_reader_free(lf_cve5_reader *r);
/* Import one buffer (name is used in messages) or file (plain or gzip, "-" = stdin). */
int lf_cve5_reader_buffer(lf_cve5_reader *r, const char *name, const char *data, size_t len, lf_err *err);
int lf_cve5_reader_file(lf_cve5_reader *r, const char *path, lf_err *err);

/* One-shot forms: a reader made and freed around one file or buffer. */
int lf_cve5_import_file(lf_feed_ctx *c, const lf_namedb *names, const char *path, lf_err *err);
int lf_cve5_import_buffer(lf_feed_ctx *c, const lf_namedb *names, const char *name, const char *data,
                          size_t len, lf_err *err);

/*
 * Convert one record (the whole CVE_RECORD object) into its documents: the CNA's first,
 * then one per ADP container (link-only ones folded into the CNA's, M12), in *docs (allocated in a, *ndocs of them). *rejected is set
 * for REJECTED records, whose documents are then only removal keys (source, doc_id,
 * vuln_id, modified). Malformed parts are reported through the reader's context and
 * left out (M11). A record without cveMetadata.cveId is an error (LF_EPARSE, located).
 */
int lf_cve5_docs_from_json(lf_cve5_reader *r, const char *src, long line, const lf_json *record, lf_arena *a,
                           lf_vdoc **docs, size_t *ndocs, bool *rejected, lf_err *err);

#endif
