/*
 * resolve: one raw inventory record (inv.h) → exactly one bucket:
 *   RESOLVED    a CPE 2.3 name and a confidence;
 *   UNRESOLVED  a reason and up to three candidates (never a guess below the threshold);
 * (REJECTED rows never get here: the format readers reject them with file and line.)
 *
 * Order of evidence, strongest first (method names as reported):
 *   "cpe"        the file gives a valid CPE (SBOM, CPE list)                     1.00
 *   "purl"       the file's package URL is in packages.tsv                        0.97
 *   "package"    a deb/rpm/apk package name (or its stem) is in packages.tsv      0.95
 *                (python3-X / ruby-X / node-X as the PyPI / gem / npm package X  0.92)
 *   "purl-index" a language package (purl or ecosystem, never deb/rpm/apk) that
 *                packages.tsv does not name, in the operator's imported purl index
 *                (purlidx.h, `feed import purlidx`): one vendor:product             0.90
 *                several, all one product by equivalents.tsv (the rest as `also`)  0.90
 *                several of one vendor, exactly one spelled as the package's own
 *                name (after its scope or path, '-' '.' '_' alike)                0.85
 *                otherwise UNRESOLVED, the index's products as candidates (0.60);
 *                the name may then still pick one of them (an alias), never another
 *   A package of a distribution or of a language registry (npm, pypi, gem, cargo,
 *   golang, maven, composer, nuget, ...) that none of the above names stays UNRESOLVED:
 *   its name is the registry's, not a product title, and the methods below are for
 *   installed-software names (npm "mysql" is a client library, not the database the
 *   alias "MySQL" means). Rows without a type, or of another (purl "generic"), go on.
 *   "alias"      the folded name is an alias (aliases.tsv)                        0.98
 *   "alias-prefix" the name starts with a prefix alias (longest first), or with
 *                any alias followed only by Chinese descriptors ("…瀏覽器")       0.92
 *   "alias-squashed" the name equals an alias once spaces are ignored ("Fire Fox",
 *                "Office2019"; a squashed form two aliases share is not used)       0.94
 *   "alias-latin" a name mixing Chinese and Latin words whose Latin words (alone
 *                or after the Publisher's vendor) are an alias                     0.90
 *   "alias-fuzzy" a Latin name one typing error from an alias ("Mozila Firefox"):
 *                one letter left out, added, replaced or two swapped; only aliases
 *                of 7+ letters, never digits or roman numerals, never a name that is
 *                itself an NVD product, never package rows                       0.85
 *   "alias-rewrite" a Latin name no alias matched, rewritten and looked up again
 *                (exact, prefix, squashed): a leading abbreviation expanded ("MS Visio",
 *                "Win 10"), letters glued to a number split ("TeamViewer15", "IE11"),
 *                a platform after the name dropped ("… for Windows", "… for PC")     0.90
 *   "alias-typo" the same, where a word had one typing error ("Micrsoft SQL Servr
 *                2019"): names of 2+ words, words of 5+ plain letters no alias name
 *                uses, one letter from exactly one word that alias names use, at most
 *                two per name, never a word NVD knows as a vendor or product        0.85
 *   "alias-publisher" a Latin name that leaves out its vendor ("Endpoint Protection"
 *                published by Symantec): the Publisher's vendor in front, and only an
 *                alias of that same vendor                                          0.88
 *   "title"      the name is a CPE-dictionary product title                 0.90 / 0.95
 *   "vocabulary" the name's words are a known vendor:product              0.80 .. 0.88
 *   "words"      the name's words hold all the words of one of the vendor's NVD names
 *                (a CPE-dictionary title, or the CPE product split at '_'), any order;
 *                only a title with the Publisher's vendor resolves, the rest rank
 *                candidates                                                  0.45 .. 0.95
 * Besides: a prefix alias also answers when all the words after it say what kind of thing
 * it is ("Portable", "Software", "App", "Application", "Program", "Freeware", and the
 * alias category's noun: "Firefox Browser", "WinRAR Archiver", "VLC Player"), never over
 * product-family words ("SDK", "Driver", "Runtime", "Redistributable", "Agent", "Pack",
 * "Components", ...: helper words); a mixed Chinese/Latin name may name its vendor in
 * Chinese ("賽門鐵克 Endpoint Protection"): that vendor (publishers.tsv) then leads the
 * Latin words as the Publisher's does.
 * Scores of "title" and "vocabulary" (documented in docs/design.md, "Name resolution"):
 *   title: 0.90 when the title names one product; +0.05 when the Publisher's vendor
 *          agrees; 0.60 (candidate only) when it disagrees or the title is ambiguous.
 *   vocabulary: the name minus the vendor's own words, joined by '_', is a product of
 *          that vendor: 0.88 with the vendor from the Publisher column, 0.82 with the
 *          vendor from the name's first word; the same product under a single other
 *          vendor and no publisher: 0.55 (candidate only).
 * Score of "words" (resolve.c, word_match), for each product of the vendor the record
 * names (the Publisher's vendor; the vendor whose id the name's first word, or first two
 * words run together, spell):
 *     score = base + 0.40 x coverage
 *     base     0.45 the vendor from the name's first word(s) only, 0.50 from the
 *              Publisher only, 0.55 from both;
 *     coverage the share of the name's words (after the vendor's own) that the
 *              product's words (the CPE product split at '_', or one of its titles less
 *              the vendor) account for; each product word must be a word of the name.
 *   Then: coverage < 1 (words left over): at most 0.75, and at most 0.60 when a word left
 *   over is a family word ("Runtime", "Redistributable", "SDK", "Driver", "Helper",
 *   "Language", "Pack", "Update", "Service", "Agent", "Client", "Viewer", ...) that the
 *   product's own name does not contain; below the threshold (0.79 at most) unless the
 *   words came from a CPE-dictionary title and the vendor from the Publisher (a CPE
 *   product id split into words, even with the Publisher's vendor, named another product
 *   than the label's in the evaluation); two different products with the same best score
 *   are both kept below the threshold. So "words" resolves 0.90 (Publisher) or 0.95
 *   (Publisher and name) and otherwise ranks the candidates of an UNRESOLVED record.
 * A record resolves at LF_RESOLVE_THRESHOLD (0.80) or above; below, it is UNRESOLVED
 * with its candidates, because a wrong CPE sends a false notice.
 *
 * Versions. The name's own version ("7-Zip 23.01", ".NET Runtime - 8.0.1") is the release
 * NVD names, while DisplayVersion is often an internal build (.NET Host 48.83.63169,
 * Python 3.12.1150.0): so the name's version wins when it has three or more parts; a
 * shorter one ("MariaDB 10.6") yields to a column that extends it (10.6.16.0). Without a
 * version in the name, the column (its first word that starts with a digit); without
 * either, a trailing number of the name ("PostgreSQL 14"). Aliases may take the version
 * from the name's year (Office 2016 → office:2016) or fix it ("-" for NVD's version-less
 * products such as 365_apps). "7.6p1" and "22.3R1" become version 7.6 update p1 and 22.3
 * update r1, as NVD writes OpenSSH, sudo and Ivanti. Package versions lose the epoch and
 * the distribution revision (1:2.37.2-4ubuntu3 → 2.37.2); Maven's .Final/.RELEASE/-jre
 * qualifiers go; a release candidate in the RPM release or after a Debian tilde becomes
 * the update field (runc 1.0.0-61.rc8.el8 → 1.0.0 update rc8). A full-width version column
 * is folded first. Aliases may cut the version (segments=N), rename a release (vmap=) or
 * prefer the name's version (namever), see namedb.h. Adobe Acrobat and Reader follow the
 * track the version shows (2x.xxx.2xxxx: acrobat_dc / acrobat_reader_dc; 3xxxx: classic).
 *
 * Prefix matches. After a name that is an alias, a patch level ("SP1", "Cumulative Update
 * 13"), a release candidate ("RC1", "Preview"), or a marketing year when the version column
 * gives the release ("CorelDRAW Graphics Suite 2023") still names the product; a year the
 * vendor files as a product of its own (sql_server_2019) does not. A prefix alias never
 * stretches over helper words ("Update Service", "Uninstaller", "Language Pack").
 *
 * Results are cached by (name, version, publisher, ecosystem, cpe, purl): inventories
 * repeat the same rows on thousands of hosts.
 *
 * Ownership: lf_resolver borrows the namedb (keep it alive) and owns an lf_norm.
 * Strings in lf_resolution are owned by the resolver and valid until the next call.
 */
#ifndef LF_INTAKE_RESOLVE_H
#define LF_INTAKE_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "intake/inv.h"
#include "intake/namedb.h"
#include "vans/cpe.h"

#define LF_RESOLVE_THRESHOLD 0.80

typedef enum { LF_BUCKET_RESOLVED = 0, LF_BUCKET_UNRESOLVED = 1, LF_BUCKET_REJECTED = 2 } lf_bucket;

typedef struct lf_candidate {
    char cpe[160];              /* part:vendor:product (CPE 2.3 quoting) */
    double score;
    const char *method;
} lf_candidate;

typedef struct lf_resolution {
    lf_bucket bucket;
    char cpe[LF_CPE_MAX];       /* RESOLVED: formatted string */
    double confidence;
    const char *method;         /* static text */
    const char *reason;         /* UNRESOLVED: static text */
    const char *category;       /* alias category ("browser", ...) or NULL */
    char version[128];          /* the version used ("" = not known) */
    char update[64];            /* the CPE update field when the version carries one ("p1", "update401") */
    char name_key[256];         /* the folded name key (for policy lists and reports) */
    char vendor[256];           /* RESOLVED: plain vendor; else the publisher's vendor if known */
    char product[256];          /* RESOLVED: plain product */
    lf_candidate cand[3];
    int ncand;
    /* RESOLVED: the product's other NVD names (equivalents.tsv) with the same version,
     * matched too so CVEs filed under any name are found */
    char also[3][192];
    int nalso;
} lf_resolution;

typedef struct lf_resolver lf_resolver;

int lf_resolver_new(const lf_namedb *db, lf_resolver **out, lf_err *err);
void lf_resolver_free(lf_resolver *r);

int lf_resolve(lf_resolver *r, const lf_inv_rec *rec, lf_resolution *out, lf_err *err);

/* Turn the result cache off (benchmarks measure the uncached cost) or on (default). */
void lf_resolver_set_cache(lf_resolver *r, bool on);

/* Upstream version of a distribution package version: epoch and revision removed. */
size_t lf_resolve_pkg_version(const char *v, char *out, size_t cap);

typedef struct lf_resolver_stats {
    size_t calls, cache_hits;
} lf_resolver_stats;
void lf_resolver_get_stats(const lf_resolver *r, lf_resolver_stats *st);

#endif
