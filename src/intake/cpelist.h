/*
 * cpelist: the simplest inventories, one host each (or many in JSON Lines):
 *   - text: one CPE name (2.3 formatted string or 2.2 URI) per line; blank lines and
 *     lines starting with '#' are ignored; "# host: NAME" names the host, otherwise the
 *     file name without its extension does;
 *   - JSON: {"host": "...", "cpes": ["cpe:2.3:...", ...]} or an array of such objects;
 *   - JSON Lines (.jsonl, or text whose first non-blank character is '{' on every line):
 *     one such object per line, for bulk inventories.
 * Richer formats (agency CSV, PowerShell, dpkg, SBOMs) belong to the intake modules.
 *
 * Bad input loses nothing silently: every malformed line or entry is reported through
 * the callback with file, line and reason, and counted; the good ones are kept.
 *
 * Ownership: hosts delivered to the callback (name, items) are valid only during the call.
 */
#ifndef LF_INTAKE_CPELIST_H
#define LF_INTAKE_CPELIST_H

#include <stddef.h>

#include "core/err.h"
#include "vans/cpe.h"

typedef struct lf_inv_host {
    const char *name;
    const lf_cpe *items;
    const char *const *raw;      /* the item text as written, per item */
    const long *lines;           /* 1-based source line per item */
    size_t nitems;
} lf_inv_host;

typedef struct lf_inv_report {
    size_t hosts, lines, items, rejected;
} lf_inv_report;

typedef int (*lf_inv_host_fn)(void *ud, const lf_inv_host *h);
typedef void (*lf_inv_error_fn)(void *ud, const lf_err *e);

/* Read a file; path "-" reads stdin. fn returning non-zero stops with that value. */
int lf_cpelist_read_file(const char *path, lf_inv_host_fn fn, lf_inv_error_fn on_error, void *ud,
                         lf_inv_report *rep, lf_err *err);
int lf_cpelist_read_buffer(const char *name, const char *data, size_t len, lf_inv_host_fn fn,
                           lf_inv_error_fn on_error, void *ud, lf_inv_report *rep, lf_err *err);

#endif
