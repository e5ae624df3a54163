/*
 * sbom: software bills of materials as inventories -- CycloneDX 1.2-1.6 JSON, SPDX 2.2/2.3
 * JSON and SPDX 2.x tag-value -- read into lf_inv_rec records (inv.h), one per component
 * or package, field by field as the file states them.
 *
 * CycloneDX (ECMA-424 / cyclonedx.org JSON schema 1.2-1.6):
 *   - the document is an object with "bomFormat": "CycloneDX" (else LF_EFORMAT);
 *     specVersion is not checked, so 1.2-1.6 and later minor versions read alike;
 *   - each entry of components[], and recursively of a component's own components[], is a
 *     record: name, version (a number is taken as its text), cpe, purl as written;
 *     vendor is the first of publisher, supplier.name, manufacturer.name (1.6), author,
 *     authors[0].name (1.6) and, when none is given, group (the Maven groupId / Composer
 *     vendor, the nearest thing the file has to a vendor); ecosystem is the purl type;
 *   - a component's type is not used to filter: an "operating-system" component is a
 *     record like any other (alpine 3.10.9 has CVEs too), and the first one in document
 *     order also gives the default os of every record ("name version");
 *   - metadata.component is the subject of the BOM (the project or image itself), not an
 *     installed part: it and its own sub-components are counted in skipped; when it is an
 *     "operating-system" it gives the default os (winning over a components[] one), when
 *     a "container" its name is the default host;
 *   - rejected: a component that is not an object, has no non-empty string name, or whose
 *     version/cpe/purl is neither string, number nor null; a components value that is not
 *     an array. Its sub-components are still read. Vendor hints of the wrong type are
 *     ignored (a vendor is a hint for name resolution, not worth losing the row over).
 *   - line: the line of the top-level components[] entry; a nested component carries the
 *     line of the top-level entry that contains it (the JSON tree keeps no positions).
 *
 * SPDX 2.2/2.3 JSON (spdx.github.io/spdx-spec, clause 7 "Package information"):
 *   - an object whose "spdxVersion" starts with "SPDX-" (else LF_EFORMAT);
 *   - every entry of packages[] is a record, whatever its relation to the document (the
 *     described root, a container, a source package): the file lists it, so it goes on;
 *   - name, versionInfo; vendor from supplier, else originator (7.5/7.6): "Organization: X"
 *     and "Person: Y (mail)" / "Person: Y <mail>" give X / Y (a bracket without '@' is
 *     kept: "Acme (Taiwan)"), "NOASSERTION" gives nothing;
 *     cpe: the first externalRefs entry of referenceType cpe23Type or cpe22Type; purl: the
 *     first of referenceType purl (the category, PACKAGE-MANAGER or the older
 *     PACKAGE_MANAGER, is not checked); ecosystem: the purl type;
 *   - primaryPackagePurpose (2.3) OPERATING-SYSTEM gives the default os ("name version")
 *     and CONTAINER the default host, from the first such package;
 *   - rejected: a package that is not an object or has no non-empty string name, or whose
 *     versionInfo is not a string/number. Line: the line of the packages[] entry.
 *
 * SPDX 2.x tag-value (clause 5/6 "Tag:Value" format):
 *   - "Tag: value" lines; blank lines and '#' comments are ignored; a value opened with
 *     <text> runs to the next </text>, across lines, and nothing inside it is a tag;
 *   - PackageName: starts a package, ending the one before; FileName:, SnippetSPDXID: and
 *     LicenseID: end it too (what follows belongs to a file, snippet or licence);
 *   - PackageVersion, PackageSupplier / PackageOriginator, PrimaryPackagePurpose and
 *     "ExternalRef: <category> cpe23Type|cpe22Type|purl <locator>" map as in JSON; the
 *     first occurrence of each wins;
 *   - the document must have an SPDXVersion: line before its first package (else
 *     LF_EFORMAT);
 *   - line of a record: its PackageName line. Rejected: an empty PackageName, a value with
 *     a NUL byte, and an unterminated <text> (it swallows the rest of the file, so the
 *     package it is in is rejected and reading stops there). A non-blank line with no
 *     colon outside <text> is not a package row; it is counted in skipped.
 *
 * All three: host and os come from the file (above), else opts->host / opts->os. Broken
 * JSON gives LF_EPARSE with err located and nothing delivered: the whole document is
 * validated before the first record, since metadata may come after components. The JSON
 * forms build only the document's head (bomFormat and metadata / spdxVersion) as a tree;
 * the records are walked one entry at a time (a pre-pass finds the default os / host),
 * so memory is bounded by the largest entry, a list of any length elsewhere in the file
 * ("dependencies", "relationships") is only validated, and an entry over lf_json's
 * default limits (a string over 1 MiB, a list over 1 Mi entries inside one component) is
 * parsed again on its own with limits as large as its text and read like the others;
 * only an entry nested deeper than 64 is rejected, with its line and the limit, and the
 * message says that nothing nested in it was read.
 * Tag-value is read in place, in two passes.
 *
 * Ownership: record strings are borrowed, valid only during the sink call.
 */
#ifndef LF_INTAKE_SBOM_H
#define LF_INTAKE_SBOM_H

#include <stddef.h>

#include "intake/inv.h"

/* lf_inv_reader_fn readers (inv.h). counts and err may be NULL; sink->reject may be NULL. */
int lf_sbom_cdx_read(const char *src, const char *text, size_t len, const lf_inv_opts *opts,
                     const lf_inv_sink *sink, lf_inv_counts *counts, lf_err *err);
int lf_sbom_spdx_read(const char *src, const char *text, size_t len, const lf_inv_opts *opts,
                      const lf_inv_sink *sink, lf_inv_counts *counts, lf_err *err);
int lf_sbom_spdx_tv_read(const char *src, const char *text, size_t len, const lf_inv_opts *opts,
                         const lf_inv_sink *sink, lf_inv_counts *counts, lf_err *err);

/* Confidence 0-100 from the first few KB only:
 *   cdx:     "bomFormat": "CycloneDX" (95); specVersion and components without it (40);
 *   spdx:    "spdxVersion" (95); "SPDXID": "SPDXRef-DOCUMENT" (80, key-sorted output);
 *   spdx_tv: an SPDXVersion: line (95); "SPDXID: SPDXRef-DOCUMENT" (70); PackageName: (30). */
int lf_sbom_cdx_sniff(const char *text, size_t len);
int lf_sbom_spdx_sniff(const char *text, size_t len);
int lf_sbom_spdx_tv_sniff(const char *text, size_t len);

/* The ecosystem of a package URL (purl-spec: "pkg:" type "/" ...): the type lowercased
 * into buf, or NULL when purl is not a package URL or the type does not fit. */
const char *lf_sbom_purl_type(const char *purl, char *buf, size_t n);

#endif
