/*
 * cpedict: NVD's Official CPE Dictionary → the product titles name resolution uses.
 *
 * Reads both forms NVD has published: the XML dictionary (official-cpe-dictionary_v2.3.xml,
 * <cpe-item><title xml:lang="en-US">…</title><cpe-23:cpe23-item name="cpe:2.3:…"/>),
 * streamed with expat so the 600 MB file never sits in memory as a tree, and the CPE API
 * 2.0 JSON ({"products":[{"cpe":{"cpeName","deprecated","titles":[{"title","lang"}]}}]}),
 * plain or gzip. Each item yields (part, vendor, product, English title); deprecated
 * items are skipped (their replacement is listed too). A malformed item is reported with
 * file and line and the rest is kept.
 *
 * The digest written by lf_cpedict_write_digest is a TSV "part:vendor:product<TAB>title"
 * with one line per distinct (product, title without its version), which
 * lf_namedb_load_titles reads (see intake/namedb.h).
 */
#ifndef LF_FEEDS_CPEDICT_H
#define LF_FEEDS_CPEDICT_H

#include <stddef.h>

#include "core/err.h"

typedef struct lf_cpedict_stats {
    size_t items, deprecated, bad, written;
} lf_cpedict_stats;

typedef void (*lf_cpedict_warn_fn)(void *ud, const lf_err *e);

/* Read one document (XML or JSON, detected) from memory and append its digest lines to
 * out (no header line). norm folds the titles; NULL makes one for the call (loading
 * OpenCC's tables takes a tenth of a second: callers reading many buffers pass theirs). */
struct lf_buf;
struct lf_norm;
int lf_cpedict_read_buffer(const char *src, const char *data, size_t len, struct lf_buf *out, struct lf_norm *norm,
                           lf_cpedict_warn_fn warn, void *ud, lf_cpedict_stats *st, lf_err *err);

/* Read the files (XML or JSON, detected) and write the digest to out_path atomically. */
int lf_cpedict_import(const char *const *paths, size_t npaths, const char *out_path, lf_cpedict_warn_fn warn,
                      void *ud, lf_cpedict_stats *st, lf_err *err);

#endif
