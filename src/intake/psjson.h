/*
 * psjson: the inventory Windows agencies export with PowerShell,
 *
 *   Get-ItemProperty HKLM:\Software\Microsoft\Windows\CurrentVersion\Uninstall\*,
 *                    HKLM:\Software\Wow6432Node\...\Uninstall\* |
 *     Select-Object DisplayName, DisplayVersion, Publisher, InstallDate | ConvertTo-Json
 *
 * read into lf_inv_rec records (inv.h). ConvertTo-Json writes a JSON array of objects,
 * or a single object when the pipeline held one entry; Windows PowerShell 5.1 lays it out
 * as `"DisplayName":  "..."` (two spaces) and PowerShell 7 as `"DisplayName": "..."`, and
 * 5.1 wraps some arrays as {"value": [...], "Count": n}; all three shapes are read.
 *
 * Members (others, such as PSPath, PSChildName, PSParentPath, are ignored):
 *   DisplayName -> name, DisplayVersion -> version, Publisher -> vendor,
 *   InstallDate -> install_date, PSComputerName (Invoke-Command output) -> host.
 * A string is taken as written; a number (DisplayVersion 7 or 16.0) as its source text.
 * The file says nothing about the package system, so ecosystem stays NULL; host and os
 * fall back to opts->host / opts->os when the element does not name them.
 *
 * What counts as what (loss rule, inv.h):
 *   - record: an object whose DisplayName is a non-empty string;
 *   - skipped: an object whose DisplayName is absent, null or "" -- real Uninstall keys
 *     without a product name (KB updates, SystemComponent parts, leftovers); Programs and
 *     Features does not list them either, so they are not data rows, but they are counted
 *     so a report can say how many keys were passed over;
 *   - rejected (line + reason): an element that is not an object, a DisplayName that is
 *     not a string, another known member that is neither string, number nor null (e.g. an
 *     array from a REG_MULTI_SZ value), or a value containing a NUL character.
 * The line of a record is the line of its element's opening brace.
 *
 * Returns LF_EFORMAT (nothing delivered) when the text is not a JSON array/object or never
 * mentions "DisplayName" (an empty array is a valid, empty inventory); LF_EPARSE with
 * err located when the JSON is broken -- elements before the break stay delivered, since
 * JSON cannot be resynchronised; otherwise LF_OK or the sink's non-zero value.
 *
 * Ownership: record strings are borrowed from the parser's arena, valid during the call.
 */
#ifndef LF_INTAKE_PSJSON_H
#define LF_INTAKE_PSJSON_H

#include <stddef.h>

#include "intake/inv.h"

/* An lf_inv_reader_fn (inv.h). counts and err may be NULL; sink->reject may be NULL. */
int lf_psjson_read(const char *src, const char *text, size_t len, const lf_inv_opts *opts,
                   const lf_inv_sink *sink, lf_inv_counts *counts, lf_err *err);

/* Confidence 0-100 that text is ConvertTo-Json output of Uninstall keys, from its first
 * few KB only: a leading '[' or '{' and a "DisplayName" member (more with DisplayVersion,
 * Publisher or PSChildName beside it). */
int lf_psjson_sniff(const char *text, size_t len);

#endif
