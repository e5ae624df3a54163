/*
 * feed: what every feed reader (nvd, kev, and later cve5, csaf, osv, epss) shares: the
 * import context that carries the index builder, the per-import report, and callbacks
 * for errors and progress. A reader turns one source format into lf_vdoc values; it
 * never writes the index itself.
 *
 * Error contract: a malformed record is reported through on_error (file, line, record
 * id, reason), counted in report.errors, and the import goes on with the next record. A
 * function returns an error only when the input cannot be read at all (I/O, unknown
 * format, JSON syntax error that makes the rest unreadable — records before it are kept).
 */
#ifndef LF_FEEDS_FEED_H
#define LF_FEEDS_FEED_H

#include <stdarg.h>
#include <stddef.h>

#include "core/err.h"
#include "vans/vulndb.h"

typedef struct lf_feed_report {
    size_t files;
    size_t bytes;
    size_t records;        /* records seen (valid or not) */
    size_t added, replaced, unchanged, stale, removed, rejected_new;
    size_t errors;         /* records or parts of records reported malformed */
    size_t configs_dropped;/* configurations left out because a criterion was malformed */
} lf_feed_report;

typedef void (*lf_feed_error_fn)(void *ud, const lf_err *e);
typedef void (*lf_feed_progress_fn)(void *ud, const char *file, double fraction, size_t records);

typedef struct lf_feed_ctx {
    lf_vdb_builder *builder;
    lf_feed_report report;
    lf_feed_error_fn on_error;      /* may be NULL */
    lf_feed_progress_fn on_progress;/* may be NULL; called at most every 4096 records */
    void *ud;
} lf_feed_ctx;

void lf_feed_ctx_init(lf_feed_ctx *c, lf_vdb_builder *b);
/* Report a record-level error (counts it, forwards to on_error). */
void lf_feed_error(lf_feed_ctx *c, const lf_err *e);
/* The same from parts: a malformed part (LF_EPARSE) of record id at src:line, field path
 * and a printf-style reason. c NULL: nothing. What every reader's own reportf calls. */
void lf_feed_reportv(lf_feed_ctx *c, const char *src, long line, const char *id, const char *field,
                     const char *fmt, va_list ap) __attribute__((format(printf, 6, 0)));
/* Count a put result in the report. */
void lf_feed_count(lf_feed_ctx *c, lf_put_result r);

/* Read a whole file (plain or gzip, "-" = stdin) and hand it to one reader's
 * buffer function: the file variant every reader offers. */
typedef int (*lf_feed_buffer_fn)(lf_feed_ctx *c, const char *name, const char *data, size_t len, lf_err *err);
int lf_feed_import_file(lf_feed_ctx *c, const char *path, lf_feed_buffer_fn fn, lf_err *err);

#endif
