/*
 * wmic: the output of `wmic product get Name,Vendor,Version` (Windows Installer products,
 * WMI class Win32_Product), turned into lf_inv_rec records with ecosystem "msi".
 *
 * Two layouts:
 *   - the table wmic writes by default: a header line of property names, each column
 *     padded with spaces to a fixed width, then one data line per product aligned to
 *     the header positions. Column order is the header's (wmic sorts the names:
 *     Name, Vendor, Version). Positions are measured in characters (code points), not
 *     bytes, because wmic pads by characters and a name such as
 *     "Microsoft Office 專業增強版 2016" takes more bytes than columns. Lines end with
 *     trailing spaces and CR CR LF; blank lines come at the end. Header names go
 *     through the CSV module's role table (lf_csv_header_role: Name/Caption, Vendor,
 *     Version, InstallDate; others such as IdentifyingNumber are ignored).
 *   - `/format:csv`: a blank line, then "Node,Name,Vendor,Version": handed to the CSV
 *     reader (csv.h), Node giving the host.
 *
 * A data line is cut at the column starts; each value loses the padding spaces around
 * it, and a line shorter than a column's start has no value there (NULL). A line that
 * does not fit the columns, with text running across a column start, is cut by column
 * starts as a best guess, each such start moved to the nearest gap of two or more
 * spaces. An empty Name is a rejection; blank lines and the header are skipped. No
 * Name (or Caption) column: LF_EFORMAT, nothing delivered.
 *
 * Ownership: as for every lf_inv_reader_fn (inv.h): record strings live only during the
 * sink call.
 */
#ifndef LF_INTAKE_WMIC_H
#define LF_INTAKE_WMIC_H

#include <stddef.h>

#include "core/err.h"
#include "intake/inv.h"

/* Columns in a wmic table; a header with more is not read as wmic. */
#define LF_WMIC_MAX_COLS 64
/* Longest line read, in bytes; a longer data line is rejected. */
#define LF_WMIC_MAX_LINE ((size_t)1 << 16)

int lf_wmic_read(const char *src, const char *text, size_t len, const lf_inv_opts *opts, const lf_inv_sink *sink,
                 lf_inv_counts *counts, lf_err *err);

/* Confidence 0-100 that text is wmic output, either layout (looks at the first 4 KiB). */
int lf_wmic_sniff(const char *text, size_t len);

#endif
