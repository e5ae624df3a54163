/*
 * csaf: reader of CSAF 2.0 advisories (OASIS Common Security Advisory Framework 2.0,
 * JSON) into vulnerability-index documents. A vendor's own advisory (Red Hat RHSA/RHBA
 * and VEX files, Siemens ProductCERT, Cisco PSIRT, BSI, CISA's ICS re-publications) is
 * the most authoritative statement about its products: which builds are affected, which
 * are fixed or not affected, and where the fix is.
 *
 * Accepted shapes: one CSAF document per file (a JSON object with `document` and
 * `document.csaf_version` "2.x"), or a JSON array of documents, either gzip-compressed.
 * Anything else is refused with LF_EFORMAT (CVE 5 and NVD files with a message saying
 * what they are). Provider sync over HTTP (provider-metadata.json, ROLIE feeds) is not
 * done here: this module only reads documents.
 *
 * MAPPING RULES
 *
 * C1  Documents. One document per (advisory, vulnerabilities[i]): source LF_SRC_CSAF,
 *     vuln_id = `cve`, else the first `ids[].text`, else a CVE id that starts the
 *     vulnerability's `title` (Red Hat's "CVE-2023-0286 openssl: ..."), else the
 *     advisory's tracking id; doc_id = "<document.tracking.id>/<vuln_id>" (with no id at
 *     all: "<tracking id>/#<n>", n counting vulnerabilities from 1). modified =
 *     tracking.current_release_date (else the latest revision_history[].date), published
 *     = tracking.initial_release_date, status = "" (tracking.status is CSAF's draft /
 *     interim / final, not NVD's vulnStatus). An advisory without vulnerabilities (a
 *     csaf_informational_advisory) gives no documents and no error.
 * C2  Text. description = the vulnerability's first note of category "description",
 *     else of category "summary" (Cisco and CISA write only a summary); none when
 *     document.lang is given and is not English. CWE = vulnerability.cwe.id (CSAF 2.1
 *     `cwes[].id` too).
 * C3  Metrics. scores[].cvss_v3 / cvss_v2 (and CSAF 2.1 cvss_v4) -> lf_vmetric with the
 *     vectorString and baseScore (0..10, else reported and left out), baseSeverity (else
 *     derived from the score), version from the vector ("CVSS:3.0/" -> 3.0); source =
 *     document.publisher.namespace, else its name; primary = true (the vendor scored its
 *     own product). The same vector listed for several product sets is kept once.
 * C4  References, in this order, each URL once: remediations with a url, vendor_fix
 *     first (LF_REF_VENDOR_ADVISORY | LF_REF_PATCH), then mitigation / workaround
 *     (LF_REF_MITIGATION), then the other categories (none_available, no_fix_planned:
 *     LF_REF_VENDOR_ADVISORY); then document.references of category "self"
 *     (LF_REF_VENDOR_ADVISORY); then the vulnerability's references ("self": vendor
 *     advisory, "external": no tag). So a vendor's fix link is the first reference of
 *     its document. threats[] are read for their product ids only (C9).
 * C5  Products (product_tree). Every `product` of the branches (any depth) carries the
 *     names of the branches above it: vendor, product_family, product_name,
 *     product_version, product_version_range, service_pack / patch_level, architecture;
 *     full_product_names[] carry only their own name and helper; relationships[] make
 *     combined product ids (C7). A product id gives a product P and versions V by the
 *     first rule that applies:
 *     - helper.cpe (2.3 formatted string or 2.2 URI): P = that CPE. A concrete CPE
 *       version is the exact version; a CPE without one takes the branch's
 *       product_version (exact) or product_version_range (C6).
 *     - helper.purl of a supported type: P = the package CPE of part 'p' (cpe.h):
 *       pkg:rpm/<ns> -> red_hat (redhat), almalinux, rocky_linux (rocky, rocky-linux),
 *       suse, opensuse; pkg:deb -> debian or ubuntu from the `distro` qualifier
 *       ("debian-12", "ubuntu-22.04"), else from the namespace; pkg:apk/alpine ->
 *       alpine; pkg:npm -> npm ("@scope/name"); pkg:pypi -> pypi (name lower case, '_'
 *       and '.' as '-'); pkg:maven -> maven ("group:artifact"); pkg:golang -> go
 *       ("namespace/name"); pkg:nuget -> nuget; pkg:cargo -> crates.io. The release
 *       (CPE target_sw) comes from the distro qualifier (debian "12", ubuntu "22.04",
 *       alpine "3.19"). The scheme is lf_vscheme_for_ecosystem of the OSV ecosystem
 *       name (rpm, dpkg, apk, semver, pep440, maven, nuget). The purl version is the
 *       version; an rpm `epoch` qualifier other than 0 is written "E:version-release".
 *       Other purl types (oci, docker, generic, github, ...) fall through to the next
 *       rules.
 *     - a Red Hat rpm without purl (older RHSA files): a product under an
 *       `architecture` branch of vendor "Red Hat" whose name is an NEVRA
 *       ("telnet-1:0.17-65.el7_6.x86_64") is the red_hat package "telnet" at version
 *       "1:0.17-65.el7_6", scheme rpm.
 *     - otherwise the names: vendor branch + product_name branch (else
 *       product_family), the vendor's own name removed from the front of the product
 *       ("Advantech ADAM-5630" -> "ADAM-5630"), resolved through the intake name
 *       resolver when a namedb is given (part:vendor:product when RESOLVED), else
 *       lower-cased with spaces as '_', part 'a' (cve5.h M6's fallback). Versions from
 *       the branches: product_version (exact; "3.0.7 | 3.0.8 | 3.0.9" is a list of
 *       exact versions), product_version_range (C6); a service_pack / patch_level
 *       branch below product_version is the version when it starts with a digit
 *       (Cisco: train 12.2SE, release 12.2(55)SE), else the CPE update ("SP1").
 *     A product none of these name (no helper and no vendor + product names, e.g. a
 *     container image "openshift4/ose-...:v4.6.0-..." or pkg:oci) is "unnamed": it is
 *     passed to opts.on_unnamed once per document, counted in lf_csaf_stats.unnamed, and
 *     left out. It is not malformed input, so it is not counted in report.errors.
 * C6  Version ranges. product_version_range in `vers:` syntax (vers:<type>/<constraint>|
 *     ...; constraints >=, >, <=, <, = and "*"; versions percent-decoded): one range per
 *     contiguous interval (a lower bound pairs with the next upper bound; a lone lower
 *     bound runs to infinity; "=" is an exact version), scheme from the vers type (rpm,
 *     deb -> dpkg, apk/alpine, semver / npm / golang / cargo -> semver, pypi -> pep440,
 *     maven, nuget; generic, all and any other type -> generic). A lone "*" constraint
 *     means every version (CISA's "vers:all/" followed by a star). Legacy free text (CISA, Siemens): "<= 2.3", "< V7.2", ">=1.0, <2.0",
 *     "before 3.1", "prior to 3.1", "all versions", "All versions < V3.1" are read as
 *     that range with the generic scheme. Anything else ("All versions with Fortinet
 *     NGFW", "!=" constraints) gives one criterion with scheme LF_VS_UNORDERED (needs
 *     review) whose lower bound is the text as written. A malformed vers string (no
 *     '/', an empty constraint, two lower bounds in a row, a version the generic order
 *     cannot place) is reported and treated like unreadable text.
 * C7  Relationships (default_component_of, installed_on, installed_with,
 *     optional_component_of, external_component_of): the combined id names the
 *     component (product_reference) inside the platform (relates_to_product_reference).
 *     Its P is the component's; a package component without a release takes it from
 *     the platform's CPE: a Red Hat CPE of enterprise_linux or rhel_* gives the leading
 *     number of its version (cpe:/o:redhat:enterprise_linux:8 and
 *     cpe:/o:redhat:rhel_eus:8.6::baseos -> "8"), any other Red Hat CPE an "elN"
 *     edition ("cpe:/a:redhat:openshift:4.6::el8" -> "8"); so Red Hat's
 *     "AppStream-8.6.0.Z.MAIN:openssl-1:1.1.1k-7.el8_6.x86_64" is the red_hat package
 *     openssl, release 8, version 1:1.1.1k-7.el8_6, scheme rpm. A component that is
 *     unnamed (C5) inside a default_component_of platform stands for the platform: Red
 *     Hat's VEX files state "A-MQ Clients 2 is not affected" as "a-mq_clients_2:
 *     quarkus-vertx-http" known_not_affected.
 * C8  Applicability, as lf_vconfig, each one OR node:
 *     - known_affected, first_affected, last_affected -> one configuration with
 *       not_affected = false: P at V (an exact version of a CPE product sets the CPE
 *       version; of a package, the range [v, v] in its scheme); no V: any version
 *       (Red Hat's known_affected packages without versions). first_affected v means
 *       [v, inf), last_affected v means (, v].
 *     - known_not_affected, fixed, first_fixed -> one configuration with not_affected =
 *       true (the vendor states these products are not affected or already fixed): P at
 *       V as above, except that a fixed package version and every first_fixed version v
 *       mean [v, inf) (the vendor says this build and later are fixed). Needs-review
 *       products (C6) are left out of this configuration: a statement that cannot be
 *       evaluated must not clear anything.
 *     - a criterion in both configurations of one vulnerability stays only in the
 *       affected one (Red Hat lists one stream's components under both statuses).
 *     - under_investigation and recommended make no criteria; they are counted in
 *       lf_csaf_stats.
 *     Criteria are vulnerable = true in both configurations (they name the products the
 *     statement is about) and kept once per configuration (Red Hat lists every
 *     architecture of a package).
 * C9  Errors. A document without document.tracking.id is reported (LF_EPARSE, field
 *     "document.tracking.id") and left out. A malformed part (a wrong JSON type, a
 *     product_status, remediation, score or threat naming an unknown product or group
 *     id, a product id defined twice, a bad CPE, purl or vers string, a bad score) is
 *     reported through lf_feed_error (file, line of the document, id "<tracking
 *     id>" or "<tracking id>/<vuln id>", field path such as
 *     "vulnerabilities[2].product_status.fixed[0]" or
 *     "product_tree.branches[0].branches[1].product", reason) and left out; the rest of
 *     the document and the next documents are imported.
 *
 * Limits: 65536 products and 65536 criteria per document, 256 vers constraints per range,
 * 64 levels of branches, tracking ids of 48 bytes and vulnerability ids of 64; beyond them
 * the part is reported and left out.
 *
 * Ownership: a reader borrows its feed context and namedb (keep both alive) and owns its
 * resolver and arenas. Documents given to on_doc and returned by lf_csaf_docs_from_json
 * live in the arena passed in (strings borrowed from the JSON tree or allocated there).
 */
#ifndef LF_FEEDS_CSAF_H
#define LF_FEEDS_CSAF_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/json.h"
#include "feeds/feed.h"
#include "intake/namedb.h"

typedef struct lf_csaf_opts {
    const lf_namedb *names;   /* name resolution for products without CPE/purl; NULL: C5 fallback */
    /* Called with every document just before it is put. Non-zero stops the import, which
     * returns that value when it is a negative LF_E* code and LF_EINVAL otherwise. */
    int (*on_doc)(void *ud, const lf_vdoc *doc);
    /* Unnamed products (C5), once per document (code LF_ENOTFOUND, located like errors).
     * NULL: only counted. */
    lf_feed_error_fn on_unnamed;
    void *ud;                 /* for on_doc and on_unnamed */
} lf_csaf_opts;

typedef struct lf_csaf_stats {
    size_t advisories;        /* CSAF documents read (with a tracking id) */
    size_t vulns;             /* vulnerabilities[] entries turned into documents */
    size_t products;          /* product ids defined in product trees */
    size_t unnamed;           /* products left out because nothing names them (C5) */
    size_t under_investigation, recommended;   /* product ids with these statuses */
} lf_csaf_stats;

typedef struct lf_csaf_reader lf_csaf_reader;

/* A reader for many files (one resolver and its cache for the whole import). opts may
 * be NULL (no names, no hooks). */
int lf_csaf_reader_new(lf_feed_ctx *c, const lf_csaf_opts *opts, lf_csaf_reader **out, lf_err *err);
void lf_csaf_reader_free(lf_csaf_reader *r);
/* Import one buffer (name is used in messages) or file (plain or gzip, "-" = stdin). */
int lf_csaf_reader_buffer(lf_csaf_reader *r, const char *name, const char *data, size_t len, lf_err *err);
int lf_csaf_reader_file(lf_csaf_reader *r, const char *path, lf_err *err);
/* Counts since the reader was made. */
void lf_csaf_reader_get_stats(const lf_csaf_reader *r, lf_csaf_stats *st);

/* One-shot forms: a reader made and freed around one file or buffer. */
int lf_csaf_import_file(lf_feed_ctx *c, const lf_namedb *names, const char *path, lf_err *err);
int lf_csaf_import_buffer(lf_feed_ctx *c, const lf_namedb *names, const char *name, const char *data,
                          size_t len, lf_err *err);

/*
 * Convert one CSAF document (the whole JSON object) into its documents, one per
 * vulnerability (C1), in *docs (allocated in a, *ndocs of them). Malformed parts are
 * reported through the reader's context and left out (C9). A document without
 * document.tracking.id is an error (LF_EPARSE, located); LF_ENOMEM on allocation failure.
 */
int lf_csaf_docs_from_json(lf_csaf_reader *r, const char *src, long line, const lf_json *doc, lf_arena *a,
                           lf_vdoc **docs, size_t *ndocs, lf_err *err);

#endif
