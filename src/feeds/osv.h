/*
 * osv: reader of OSV advisories (Open Source Vulnerability format, OpenSSF osv-schema
 * 1.x, ossf.github.io/osv-schema) into vulnerability-index documents, and the inventory
 * side of the same naming: the package CPE of an installed package, so the matcher
 * meets a distribution's own verdict (Debian, Ubuntu, AlmaLinux, Rocky, Alpine backport
 * fixes: their version strings, not upstream's, say whether a host is fixed) and the
 * language ecosystems' advisories (GHSA, PYSEC, GO).
 *
 * Accepted shapes, detected from the content: one record per file (OSV.dev's
 * <ID>.json), a JSON array of records, an OSV API answer ({"vulns": [...]}), either
 * gzip-compressed, ZIP archives of such files (OSV.dev's per-ecosystem all.zip; entries
 * imported as "archive!entry"), and folders (lf_osv_reader_file walks them, sorted,
 * for *.json, *.json.gz and *.zip). NVD and CVE 5 files are refused with a message
 * saying which reader takes them.
 *
 * MAPPING RULES
 *
 * O1  Vulnerabilities. The CVEs a record is about: its id when it is a CVE id, then
 *     `aliases`, then `upstream`, a distribution-prefixed CVE id ("UBUNTU-CVE-2023-22809",
 *     "DEBIAN-CVE-2022-1292", "ALPINE-CVE-...", as id or in those lists) counting as the
 *     CVE it wraps; duplicates once. When none is named there, the CVE ids of `related`:
 *     AlmaLinux, Rocky, Debian DSA/DTSA and newer USNs name the CVEs they fix only
 *     there (OSV says "related" is not "the same", which is why it is only a fallback).
 * O2  Documents. Source LF_SRC_OSV, one document per (record, CVE): vuln_id = the CVE,
 *     doc_id = the OSV id when the record names one CVE, "<OSV id>/<CVE>" when several.
 *     With no CVE at all, vuln_id = doc_id = the OSV id, and the description starts
 *     with the line "aliases: GHSA-…, …" (the record's aliases, when it has any) so the
 *     cross-references are not lost. published = `published`, modified = `modified`
 *     (required: the replace-if-newer key), status "" (OSV has no NVD-like status).
 *     description = `summary`, blank line, `details` (one of them when the other is
 *     absent or details starts with the summary).
 * O3  Withdrawn. A record with `withdrawn` gives removal keys (rejected = true, like
 *     cve5's REJECTED) for every document of O2, with the record's `modified`.
 * O4  Metrics. `severity[]` of the record and of each affected entry, types CVSS_V2,
 *     CVSS_V3, CVSS_V4: the vector is parsed and scored with vans/cvss.h (OSV gives no
 *     score); a vector that does not parse, or whose version is not the type's, is
 *     reported and left out; the same vector twice counts once. Type "Ubuntu"
 *     (priority words) and unknown types are ignored, as are database_specific /
 *     ecosystem_specific severities. Metric source "osv", primary false.
 * O5  CWEs. database_specific.cwe_ids[] strings starting "CWE-" (GHSA, OSV.dev's CVE
 *     conversions); anything else there is free-form and ignored.
 * O6  References. references[] {type, url}: ADVISORY -> Vendor Advisory (a distribution
 *     record's ADVISORY is the distribution's own advisory; an ADVISORY link to
 *     nvd.nist.gov, cve.org or cve.mitre.org is a VDB entry instead), FIX -> Patch,
 *     REPORT -> Issue Tracking, PACKAGE -> Product, EVIDENCE -> Exploit, WEB / ARTICLE /
 *     DISCUSSION / DETECTION / INTRODUCED / GIT and unknown types -> no tag. An entry
 *     without a url string is reported and left out. Source "osv".
 * O7  Configurations. One configuration (OR, one OR node) per affected[] entry with a
 *     package; criteria all vulnerable, cpe = the package CPE (O9) with version ANY.
 *     - Scheme: ECOSYSTEM ranges lf_vscheme_for_ecosystem(package.ecosystem); SEMVER
 *       ranges LF_VS_SEMVER; GIT ranges LF_VS_UNORDERED, used only when the entry has
 *       no ECOSYSTEM/SEMVER range and no versions[] (otherwise the git range restates
 *       them and is dropped, counted in lf_osv_stats.git_dropped).
 *     - events[] in order: introduced X ("0": no lower bound) then fixed Y -> [X, Y);
 *       then last_affected Y -> [X, Y]; introduced with no closing event -> [X, inf).
 *       Several introduced/closing pairs -> several criteria. A second introduced while
 *       one is open is redundant (events are sorted) and ignored, as is a closing event
 *       with nothing open, except in GIT ranges, where each fixed of a branch closes the
 *       last introduced again (OSV.dev writes one introduced with a fix per branch).
 *       `limit` is an upper bound ([X, L)) only in GIT ranges (where OSV defines it for
 *       walking branches); in ECOSYSTEM/SEMVER ranges it is ignored.
 *     - versions[] -> exact criteria (start = end = v, both inclusive, ecosystem scheme)
 *       only when the entry has no ECOSYSTEM/SEMVER range (OSV's versions[] enumerates
 *       the ranges; counted in lf_osv_stats.versions_dropped otherwise).
 *     - An entry without a package (records/git: GIT ranges only) adds no configuration;
 *       the document still imports (the CVE is known, with no package data) and the
 *       entry is counted in lf_osv_stats.no_package. A package entry with neither
 *       ranges nor versions adds none either (lf_osv_stats.no_versions).
 * O8  Errors. A malformed record, affected entry, range, event, version, severity or
 *     reference is reported through lf_feed_error (file, line of the record, OSV id,
 *     field path such as "affected[2].ranges[0].events[1]", reason) and left out: a bad
 *     event or an unknown range type drops its whole range (a dropped bound would widen
 *     it), an entry whose every range was dropped drops its configuration (counted in
 *     report.configs_dropped). The rest of the record and the next records import.
 *     A record without `id` (or `modified`) is an error of its own: reported, left out.
 * O9  Package CPE (part 'p', see vans/cpe.h): cpe:2.3:p:<eco>:<name>:<version>:*:*:*:*:
 *     <release>:*:*, values set with lf_cpe_set_plain (lower-cased, quoted). From the OSV
 *     ecosystem:
 *       "Debian:12"              -> debian / 12      (bare "Debian": release ANY)
 *       "Ubuntu:22.04:LTS"       -> ubuntu / 22.04   ("Ubuntu:24.10" -> 24.10)
 *       "Ubuntu:Pro:18.04:LTS"   -> ubuntu / pro-18.04 (every part but ":LTS", '-'-joined)
 *       "Alpine:v3.19"           -> alpine / 3.19
 *       "AlmaLinux:9"            -> almalinux / 9
 *       "Rocky Linux:8"          -> rocky_linux / 8
 *       "Red Hat:<x>"            -> red_hat / <x> as given
 *       "npm", "PyPI", "Maven", "Go", "NuGet", "crates.io", "RubyGems", "Packagist" ...
 *                                -> npm, pypi, maven, go, nuget, ... / ANY
 *       any other "Name[:rest]"  -> name / rest (ANY without one)
 *     PyPI names are normalised per PEP 503 (lower-case, runs of "-", "_", "." -> "-");
 *     Maven names are "group:artifact" as OSV writes them; others as written.
 *
 * Limits: 1024 CVEs per record, 256 ranges per entry, 4096 events per range, 65536
 * versions per entry, 65536 criteria per document; beyond them the part is reported
 * and left out.
 *
 * Ownership: a reader borrows its feed context (keep it alive) and owns its arenas.
 * Documents given to on_doc and returned by lf_osv_docs_from_json live in the arena
 * passed in (strings borrowed from the JSON tree or allocated there).
 */
#ifndef LF_FEEDS_OSV_H
#define LF_FEEDS_OSV_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/json.h"
#include "feeds/feed.h"
#include "vans/cpe.h"
#include "vans/vulndb.h"

typedef struct lf_osv_opts {
    /* Called with every document just before it is put (rejected: a removal key).
     * Non-zero stops the import, which returns that value when it is a negative LF_E*
     * code and LF_EINVAL otherwise. NULL: not called. */
    int (*on_doc)(void *ud, const lf_vdoc *doc, bool rejected);
    void *ud;
} lf_osv_opts;

/* What the mapping left out or could not express, beyond the feed report. */
typedef struct lf_osv_stats {
    size_t records;          /* records converted (valid id and modified) */
    size_t docs;             /* documents made, removal keys included */
    size_t withdrawn;        /* withdrawn records */
    size_t no_cve;           /* records naming no CVE (vuln_id = OSV id) */
    size_t no_package;       /* affected entries without a package (O7) */
    size_t no_versions;      /* package entries with neither ranges nor versions */
    size_t git_dropped;      /* GIT ranges restating ordered data (O7) */
    size_t versions_dropped; /* versions[] lists left out because ranges were given */
} lf_osv_stats;

typedef struct lf_osv_reader lf_osv_reader;

/* A reader for many files. opts may be NULL (no hook). */
int lf_osv_reader_new(lf_feed_ctx *c, const lf_osv_opts *opts, lf_osv_reader **out, lf_err *err);
void lf_osv_reader_free(lf_osv_reader *r);
/* Import one buffer (JSON or ZIP; name is used in messages). */
int lf_osv_reader_buffer(lf_osv_reader *r, const char *name, const char *data, size_t len, lf_err *err);
/* Import a file (plain, gzip or ZIP, "-" = stdin) or a folder (walked, see above; a
 * file in it that cannot be read is reported and the walk goes on). */
int lf_osv_reader_file(lf_osv_reader *r, const char *path, lf_err *err);
void lf_osv_reader_stats(const lf_osv_reader *r, lf_osv_stats *out);

/* One-shot forms: a reader made and freed around one path or buffer. */
int lf_osv_import_file(lf_feed_ctx *c, const char *path, lf_err *err);
int lf_osv_import_buffer(lf_feed_ctx *c, const char *name, const char *data, size_t len, lf_err *err);

/*
 * Convert one record (a JSON object) into its documents (O2), in *docs (allocated in a,
 * *ndocs of them); *rejected is set for withdrawn records, whose documents are then
 * removal keys (source, doc_id, vuln_id, modified). Malformed parts are reported through
 * the reader's context and left out (O8). A record without a string id or modified is
 * an error (LF_EPARSE, located); LF_ENOMEM on allocation failure.
 */
int lf_osv_docs_from_json(lf_osv_reader *r, const char *src, long line, const lf_json *record, lf_arena *a,
                          lf_vdoc **docs, size_t *ndocs, bool *rejected, lf_err *err);

/* ---- naming (O9), shared by the advisory and the inventory side ---- */

/* OSV ecosystem -> CPE vendor family and release per the O9 table, as plain text
 * (before lf_cpe_set_plain): ("Ubuntu:Pro:18.04:LTS") -> "ubuntu", "pro-18.04"; rel is
 * "" for release ANY. LF_OK, LF_EINVAL (empty ecosystem) or LF_ELIMIT (buffer). */
int lf_osv_ecosystem(const char *ecosystem, char *eco, size_t ecn, char *rel, size_t reln);

/* The package CPE of (OSV ecosystem, package name, version) (O9); version NULL or ""
 * gives version ANY. LF_OK, LF_EINVAL (empty input, or a name with control or
 * non-ASCII bytes that CPE cannot spell) or LF_ELIMIT. */
int lf_osv_package_cpe(const char *ecosystem, const char *name, const char *version, lf_cpe *out);

/*
 * Inventory OS text -> the O9 family and release of its OSV ecosystem:
 *   "Debian GNU/Linux 12 (bookworm)", "debian 12"        -> debian / 12 (the major;
 *                      "X.Y" before Debian 7, whose releases OSV names "6.0", "5.0")
 *   "Raspbian GNU/Linux 10 (buster)"                     -> debian / 10
 *   "Ubuntu 22.04.3 LTS", "ubuntu 22.04"                 -> ubuntu / 22.04
 *   "AlmaLinux 9.3"                                      -> almalinux / 9
 *   "Rocky Linux release 8.9 (Green Obsidian)"           -> rocky_linux / 8
 *   "Red Hat Enterprise Linux 9.2", "RHEL 8"             -> red_hat / 9
 *   "Alpine Linux v3.19", "alpine 3.19.1"                -> alpine / 3.19
 * A Debian or Ubuntu codename alone ("Debian GNU/Linux bookworm/sid", "jammy") gives
 * its release. LF_OK, LF_ENOTFOUND (no such distribution, or no release in the text)
 * or LF_ELIMIT (buffer).
 */
int lf_osv_platform(const char *os, char *eco, size_t ecn, char *rel, size_t reln);

/*
 * The package CPE of an inventory record, as the advisories of its ecosystem name it:
 * ecosystem is the intake's ("deb", "rpm", "apk", or a purl type: "npm", "pypi",
 * "maven", "golang", "nuget", "cargo", "gem", "composer"), os the record's OS text (used
 * for deb/rpm/apk only: deb needs Debian or Ubuntu, rpm AlmaLinux, Rocky or RHEL, apk
 * Alpine). A ":arch" suffix of a deb/rpm/apk name ("libc6:amd64") is dropped. The
 * version goes into the CPE version attribute (quoted by lf_cpe_set_plain; NULL or ""
 * gives ANY). Debian/Ubuntu advisories name source packages: map binary names first
 * (lf_osv_srcmap_lookup, or lf_osv_item_cpe_map). LF_OK, LF_ENOTFOUND (ecosystem or OS
 * not covered by OSV), LF_EINVAL (a name CPE cannot spell).
 */
int lf_osv_item_cpe(const char *ecosystem, const char *os, const char *name, const char *version, lf_cpe *out);

/* ---- Debian/Ubuntu binary -> source package names ---- */

/*
 * dpkg-query lists binary packages (libssl3, openssh-server), Debian and Ubuntu OSV
 * records name source packages (openssl, openssh). The map is a TSV file, one
 * "binary<TAB>source" per line, '#' comments and blank lines skipped; a binary ending
 * in '*' is a prefix pattern ("linux-image-*<TAB>linux"), the longest matching pattern
 * wins after an exact name. The shipped table is data/intake/deb-source.tsv.
 * Ownership: the map owns its strings; lookups borrow them until lf_osv_srcmap_free.
 */
typedef struct lf_osv_srcmap lf_osv_srcmap;

/* Load from a file or parse a buffer (name used in messages). A line without exactly
 * one TAB between two non-empty names, a NUL byte, a '*' other than at the end of a
 * binary name, or a binary listed twice is LF_EPARSE with err->src (and line) set. */
int lf_osv_srcmap_load(const char *path, lf_osv_srcmap **out, lf_err *err);
int lf_osv_srcmap_parse(const char *name, const char *text, size_t len, lf_osv_srcmap **out, lf_err *err);
void lf_osv_srcmap_free(lf_osv_srcmap *m);
size_t lf_osv_srcmap_count(const lf_osv_srcmap *m);
/* The source package of a binary package (a ":arch" suffix ignored), or NULL when the
 * map does not list it (then binary and source usually share the name). m may be NULL. */
const char *lf_osv_srcmap_lookup(const lf_osv_srcmap *m, const char *binary);

/* lf_osv_item_cpe with the name of a "deb" record mapped through m first (m may be
 * NULL: no mapping). */
int lf_osv_item_cpe_map(const lf_osv_srcmap *m, const char *ecosystem, const char *os, const char *name,
                        const char *version, lf_cpe *out);

/*
 * The distribution twin of an inventory record: its package CPE (lf_osv_item_cpe_map)
 * when the index holds advisories for that package (lf_vdb_has_product), else false.
 * A record with a twin is matched as the package, and its upstream CPE is superseded
 * (vans/hostitems.h); without one, the upstream CPE is matched against NVD as before.
 */
struct lf_inv_rec;
bool lf_osv_twin(const lf_vdb *db, const lf_osv_srcmap *m, const struct lf_inv_rec *rec, lf_cpe *out);

#endif
