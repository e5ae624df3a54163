/*
 * nvd: reader of NVD CVE API 2.0 JSON (https://nvd.nist.gov/developers/vulnerabilities)
 * into vulnerability-index documents (source "nvd").
 *
 * Accepted shapes, detected from the content: a single `cve` object (as the community
 * mirrors store one file per CVE); an API response page or a 2.0 feed file
 * ({"vulnerabilities":[{"cve":{...}}, ...]}); a bare array of either; any of them
 * gzip-compressed. The legacy 1.1 feeds ("CVE_Items") are refused with a message
 * saying so. Records with vulnStatus "Rejected" remove the stored record.
 */
#ifndef LF_FEEDS_NVD_H
#define LF_FEEDS_NVD_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/json.h"
#include "feeds/feed.h"

/* Import one file (path, "-" for stdin). */
int lf_nvd_import_file(lf_feed_ctx *c, const char *path, lf_err *err);
/* Import a buffer; name is used in messages. */
int lf_nvd_import_buffer(lf_feed_ctx *c, const char *name, const char *data, size_t len, lf_err *err);

/*
 * Convert one `cve` object. Arrays are allocated in a; strings are borrowed from the
 * JSON tree. *rejected is set for Rejected records. Malformed parts (a criterion that is
 * not a CPE name) are reported through c (which may be NULL) and the configuration that
 * holds them is left out; a record without an id is an error (LF_EPARSE).
 */
int lf_nvd_doc_from_json(lf_feed_ctx *c, const char *src, long line, const lf_json *cve,
                         lf_arena *a, lf_vdoc *out, bool *rejected, lf_err *err);

#endif
