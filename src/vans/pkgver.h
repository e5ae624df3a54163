/*
 * pkgver: version orders of package ecosystems. Distributions and language ecosystems
 * each define their own order, and an advisory's range only means what it says under
 * that order: Debian's "1.1.1n-0+deb11u5" is after "1.1.1n-0+deb11u4" and before
 * "1.1.1n-1", "1.0~rc1" is before "1.0"; rpm compares "1.0.1e-42.el7" segment by
 * segment with rpmvercmp's rules; PEP 440 puts "1.0.dev1" < "1.0a1" < "1.0" < "1.0.post1".
 * The generic order of version.h (NVD's upstream ranges) gets these wrong, so criteria
 * from OSV, CSAF purls and CVE 5 entries that name a version type carry a scheme and are
 * compared here.
 *
 * Every compare function reports whether both versions are valid under the scheme; a
 * version that is not (a PEP 440 string with spaces, a dpkg version with a non-numeric
 * epoch, an apk version with an unknown suffix) cannot be ordered, and callers turn that
 * into "needs review", never into a guess. No version longer than 256 bytes is valid
 * under any scheme but GENERIC. The exact rules of each scheme are documented in
 * pkgver.c next to its code.
 *
 * No allocation, no global state; all functions are thread-safe.
 */
#ifndef LF_VANS_PKGVER_H
#define LF_VANS_PKGVER_H

#include <stdbool.h>
#include <stddef.h>

/* Version scheme of a criterion's range (stored in the index: values are stable). */
typedef enum {
    LF_VS_GENERIC = 0,       /* version.h order (NVD ranges, CVE 5 semver/custom) */
    LF_VS_UNORDERED = 1,     /* e.g. git commits: never ordered, always "needs review" */
    LF_VS_DPKG = 2,          /* Debian, Ubuntu: epoch:upstream-revision, '~' first */
    LF_VS_RPM = 3,           /* Red Hat, AlmaLinux, Rocky, SUSE: [epoch:]version-release, rpmvercmp */
    LF_VS_APK = 4,           /* Alpine apk-tools order (_alpha _beta _pre _rc, _p, -rN) */
    LF_VS_SEMVER = 5,        /* SemVer 2.0.0 (npm, Go with leading 'v', crates.io) */
    LF_VS_PEP440 = 6,        /* Python (PyPI) */
    LF_VS_MAVEN = 7,         /* Maven ComparableVersion */
    LF_VS_NUGET = 8,         /* NuGet: SemVer 2 with a 4th numeric part, case-insensitive labels */
    LF_VS_COUNT
} lf_vscheme;

/* "generic", "unordered", "dpkg", "rpm", "apk", "semver", "pep440", "maven", "nuget";
 * "unknown" for a value outside the enum. Static strings. */
const char *lf_vscheme_name(lf_vscheme s);
/* Inverse of lf_vscheme_name (ASCII case-insensitive); -1 when unknown or NULL. */
int lf_vscheme_parse(const char *name);

/* The scheme of an OSV ecosystem name, with or without its release suffix:
 * "Debian:12", "Ubuntu:22.04:LTS" -> DPKG; "AlmaLinux:9", "Rocky Linux:8", "Red Hat",
 * "SUSE", "openSUSE", "Mageia" -> RPM; "Alpine:v3.19" -> APK; "npm", "Go", "crates.io",
 * "Hex", "Pub" -> SEMVER; "PyPI" -> PEP440; "Maven" -> MAVEN; "NuGet" -> NUGET; also
 * "openEuler", "Azure Linux", "Photon OS" -> RPM and "Wolfi", "Chainguard", "MinimOS"
 * -> APK (their families' orders); anything else (GIT, "OSS-Fuzz", unknown, NULL) ->
 * UNORDERED. Case-insensitive; the name is what comes before the first ':'. */
lf_vscheme lf_vscheme_for_ecosystem(const char *eco);

/* Whether v (n bytes, not necessarily NUL-terminated) is a valid version under s.
 * GENERIC: lf_version_orderable; UNORDERED: never. */
bool lf_pkgver_valid(lf_vscheme s, const char *v, size_t n);

/* Compare a and b under s: *out = -1, 0 or 1. Returns true when both are valid under s
 * (then *out is set), false otherwise (*out is left 0). GENERIC uses version.h;
 * UNORDERED always returns false. */
bool lf_pkgver_cmp(lf_vscheme s, const char *a, size_t an, const char *b, size_t bn, int *out);

/* An installed version (what an inventory lists) against an advisory's bound: lf_pkgver_cmp
 * plus the ecosystem's rules for what inventories leave out. rpm: `rpm -qa --queryformat
 * '%{NAME}\t%{VERSION}-%{RELEASE}'` (what agencies send) writes no epoch, while AlmaLinux
 * and Rocky write it into fixed versions ("1:3.0.1-47.el9_1"), so an installed version
 * without an epoch is compared with the bound's epoch dropped (or every such host would
 * be "before the fix"). Other schemes: lf_pkgver_cmp. */
bool lf_pkgver_cmp_installed(lf_vscheme s, const char *inst, size_t in, const char *bound, size_t bn, int *out);

/* The same on NUL-terminated strings. */
bool lf_pkgver_cmpz(lf_vscheme s, const char *a, const char *b, int *out);

#endif
