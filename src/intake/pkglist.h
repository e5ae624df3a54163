/*
 * pkglist: Linux package lists, turned into lf_inv_rec records (ecosystem "deb" or "rpm").
 *
 * dpkg (lf_pkglist_dpkg_read):
 *   - `dpkg-query -W` / `-f='${Package}\t${Version}\n'` (also Ubuntu's OCI image
 *     manifests): NAME TAB VERSION [TAB ARCH]; "name:arch" (libc6:amd64) gives name
 *     libc6 and arch amd64. A line with an empty version is a package dpkg knows but
 *     has not installed (dpkg-query -W lists those too): skipped. "NAME VERSION"
 *     separated by spaces is accepted too (a -f format with a space).
 *   - `dpkg -l`: everything before the "+++-===" ruler is legend (English or
 *     translated, wrapped over any number of lines: the German "Gewünscht=..." one
 *     wraps) and is skipped. Rows are "SSE NAME VERSION [ARCH] DESCRIPTION": the ruler
 *     says whether the Architecture column exists (4 columns after "+++": yes; 3, the
 *     old squeeze layout: no); without a ruler, a third word that is a Debian
 *     architecture is taken as one. The description is not kept.
 *     States, by the second letter (the current status; dpkg does not translate the
 *     letters): i installed, and the partly installed ones whose files are on disk,
 *     F half-configured, U unpacked, H half-installed, W triggers-awaited, t
 *     triggers-pending, are records: vulnerable code can be on disk in each of them,
 *     and the desired letter (u i h r p) does not change what is on disk. n (not
 *     installed) and c (config-files only: "rc") are skipped. Any other letter is a
 *     rejection ("unknown package state").
 *
 * rpm (lf_pkglist_rpm_read):
 *   - `rpm -qa --queryformat '%{NAME}\t%{VERSION}-%{RELEASE}\n'`: NAME TAB VERSION
 *     [TAB ARCH];
 *   - `rpm -qa`: NAME-VERSION-RELEASE[.ARCH] per line, split from the right: the arch
 *     after the last '.' when it is a known rpm architecture, the release after the last
 *     '-', the version after the '-' before it. Version is delivered as
 *     "VERSION-RELEASE" (like dpkg's version, kept whole). Further columns after
 *     white space (sosreport's install time) become install_date;
 *   - `yum list installed` / `dnf list installed`: chatter up to the "Installed
 *     Packages" line is skipped, then "NAME.ARCH [EPOCH:]VERSION-RELEASE REPO" rows,
 *     also when yum wraps a long row over two or three lines.
 *   A line that is none of these (sosreport's "shell-init: error ...") is rejected.
 *
 * Both: blank lines and '#' comments are skipped; "# os: Ubuntu 22.04" and "# host: X"
 * comments set the OS and host of the rows after them; /etc/os-release lines at the top
 * (KEY=VALUE, before the first package) are skipped, PRETTY_NAME (else NAME VERSION_ID)
 * giving the OS. Without either the OS is opts->os, the host opts->host (may be NULL).
 * A text whose first lines do not look like the format at all is LF_EFORMAT with
 * nothing delivered (the sniffer below decides: score < 30).
 *
 * Limits: lines longer than LF_PKGLIST_MAX_LINE bytes are rejected.
 *
 * Ownership: as for every lf_inv_reader_fn (inv.h): record strings live only during the
 * sink call.
 */
#ifndef LF_INTAKE_PKGLIST_H
#define LF_INTAKE_PKGLIST_H

#include <stddef.h>

#include "core/err.h"
#include "intake/inv.h"

#define LF_PKGLIST_MAX_LINE ((size_t)1 << 16)

int lf_pkglist_dpkg_read(const char *src, const char *text, size_t len, const lf_inv_opts *opts,
                         const lf_inv_sink *sink, lf_inv_counts *counts, lf_err *err);
int lf_pkglist_rpm_read(const char *src, const char *text, size_t len, const lf_inv_opts *opts,
                        const lf_inv_sink *sink, lf_inv_counts *counts, lf_err *err);

/* Confidence 0-100 that text is a dpkg / rpm list (looks at the first 4 KiB). A plain
 * NAME TAB VERSION list fits both: the version's shape (epochs and "ubuntu"/"deb" for
 * dpkg, ".el8"/".fc" for rpm) and the names' (":amd64") tip the balance. */
int lf_pkglist_dpkg_sniff(const char *text, size_t len);
int lf_pkglist_rpm_sniff(const char *text, size_t len);

#endif
