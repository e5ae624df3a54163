/*
 * inv: the raw inventory record every format reader produces, and the sink it goes to.
 *
 * An agency's export (CSV, PowerShell, wmic, dpkg/rpm lists, CycloneDX/SPDX, CPE lists)
 * is first turned into UTF-8 text (textenc), then one format reader turns the text into
 * lf_inv_rec records, one per installed product, which name resolution (resolve) turns
 * into CPEs. Readers do not interpret names: they only say what the file says, field by
 * field, with the line it came from, so the conversion report can point at the row.
 *
 * Loss rule: a reader delivers every data row either as a record (sink->rec) or as a
 * rejection (sink->reject, with src/line and a reason). Header lines, comments, blank
 * lines and format chatter (dpkg -l's legend, wmic's header) are neither; a reader counts
 * them in lf_inv_counts.skipped so a report can show them.
 *
 * Ownership: the strings of a record are borrowed and valid only during the sink call.
 */
#ifndef LF_INTAKE_INV_H
#define LF_INTAKE_INV_H

#include <stdarg.h>
#include <stddef.h>

#include "core/err.h"

typedef enum {
    LF_INV_AUTO = 0,
    LF_INV_CSV,        /* agency CSV/TSV and PowerShell Export-Csv (header decides columns) */
    LF_INV_PSJSON,     /* PowerShell ConvertTo-Json of Uninstall keys */
    LF_INV_WMIC,       /* wmic product get Name,Version,Vendor (table or /format:csv) */
    LF_INV_DPKG,       /* dpkg-query -W (package TAB version) and dpkg -l */
    LF_INV_RPM,        /* rpm -qa (name TAB version-release, or NVRA per line) */
    LF_INV_CYCLONEDX,  /* CycloneDX 1.2-1.6 JSON */
    LF_INV_SPDX,       /* SPDX 2.2/2.3 JSON (and tag-value) */
    LF_INV_CPELIST,    /* plain CPE list / cpelist JSON / JSON Lines (cpelist.h) */
    LF_INV_NFORMATS
} lf_inv_format;

/* "csv", "psjson", ... (NULL for an out-of-range value) and back (-1 if unknown). */
const char *lf_inv_format_name(lf_inv_format f);
int lf_inv_format_parse(const char *name);

/* One installed product as the file states it. Any field may be NULL (not given). */
typedef struct lf_inv_rec {
    const char *host;          /* host name as written (NULL: the file's default host) */
    const char *ip;
    const char *os;            /* OS as written ("Windows 10 企業版", "Ubuntu 22.04") */
    const char *name;          /* product / package name as written */
    const char *version;       /* version as written ("1:2.37.2-4ubuntu3" kept whole) */
    const char *vendor;        /* vendor / publisher as written */
    const char *install_date;
    const char *arch;          /* package architecture (amd64, x86_64, noarch) */
    const char *cpe;           /* a CPE the file gives (SBOM, CPE list) */
    const char *purl;          /* a package URL the file gives (SBOM) */
    const char *ecosystem;     /* "deb", "rpm", "msi", or the purl type; NULL if unknown */
    long line;                 /* 1-based line of the record's first byte */
} lf_inv_rec;

typedef struct lf_inv_sink {
    /* A record. Non-zero stops the reader, which returns that value. */
    int (*rec)(void *ud, const lf_inv_rec *r);
    /* A data row that cannot be read: e->src, e->line and e->msg say where and why. */
    void (*reject)(void *ud, const lf_err *e);
    void *ud;
} lf_inv_sink;

typedef struct lf_inv_counts {
    size_t records, rejected, skipped;   /* skipped: headers, comments, legend lines */
} lf_inv_counts;

/* Options shared by readers. */
typedef struct lf_inv_opts {
    const char *host;          /* default host name (else the file name without extension) */
    const char *os;            /* OS for package lists without an OS header line */
} lf_inv_opts;

/*
 * The reader signature every format module implements: `text` is UTF-8 (BOM already
 * removed), `src` the file name for messages. Returns LF_OK when the text was read as
 * this format (whatever rows were rejected), LF_EFORMAT when it is not this format at
 * all (nothing was delivered), or the sink's non-zero value.
 */
typedef int (*lf_inv_reader_fn)(const char *src, const char *text, size_t len, const lf_inv_opts *opts,
                                const lf_inv_sink *sink, lf_inv_counts *counts, lf_err *err);

/* Report a rejected row: counts it, and hands the sink an LF_EPARSE error located at
 * src:line (field may be NULL) with the printf-style reason. The one way readers reject. */
void lf_inv_reject(const lf_inv_sink *sink, lf_inv_counts *counts, const char *src, long line, const char *field,
                   const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void lf_inv_vreject(const lf_inv_sink *sink, lf_inv_counts *counts, const char *src, long line, const char *field,
                    const char *fmt, va_list ap) __attribute__((format(printf, 6, 0)));

#endif
