/*
 * intake: one inventory file → normalised, resolved records and a conversion report.
 *
 *   bytes ──textenc──▶ UTF-8 ──format reader (auto-detected)──▶ lf_inv_rec
 *         ──resolve──▶ RESOLVED / UNRESOLVED, + policy flags   (rejected rows: reader)
 *
 * The loss rule holds for every file: records_in == resolved + unresolved + rejected.
 * Lines that are not data (headers, comments, dpkg legends) are counted as skipped.
 *
 * Ownership: lf_intake owns the dictionaries (namedb, policy) and a resolver. Items passed
 * to the callback borrow from the reader and the resolver: valid during the call only.
 */
#ifndef LF_INTAKE_INTAKE_H
#define LF_INTAKE_INTAKE_H

#include <stddef.h>

#include "core/err.h"
#include "intake/inv.h"
#include "intake/policy.h"
#include "intake/resolve.h"
#include "vans/vulndb.h"

typedef struct lf_intake lf_intake;

typedef struct lf_intake_config {
    const char *dict_dir;      /* data/intake (aliases, publishers, packages, policy/) */
    const char *cpedict_path;  /* digest of NVD's CPE dictionary, NULL/absent = none */
    const lf_vdb *vdb;         /* CVE index for the vocabulary, may be NULL */
    lf_namedb_warn_fn warn;    /* malformed dictionary lines */
    void *warn_ud;
    const char *purlidx_path;  /* purl index (purlidx.h, `feed import purlidx`), NULL/absent = none */
} lf_intake_config;

typedef struct lf_intake_opts {
    int format;                /* lf_inv_format; LF_INV_AUTO detects */
    int encoding;              /* lf_textenc; -1 detects */
    const char *host;          /* default host (else the file name without extension) */
    const char *os;            /* OS for package lists that do not name one */
} lf_intake_opts;

typedef struct lf_intake_item {
    const char *host;
    const lf_inv_rec *rec;
    const lf_resolution *res;
    const lf_policy_hit *flags;
    size_t nflags;
} lf_intake_item;

#define LF_INTAKE_MAX_REASONS 48
typedef struct lf_intake_reason {
    lf_bucket bucket;
    char text[160];
    size_t count;
} lf_intake_reason;

#define LF_INTAKE_NMETHODS 16   /* resolve.h's methods, and "other" last */

typedef struct lf_intake_report {
    char src[256];
    const char *encoding;      /* as detected (textenc name) */
    const char *format;        /* as detected or forced */
    size_t records_in, resolved, unresolved, rejected, skipped, flagged;
    size_t by_method[LF_INTAKE_NMETHODS];   /* resolved per method, names in lf_intake_method_name;
                                             * they add up to resolved */
    lf_intake_reason reasons[LF_INTAKE_MAX_REASONS];   /* unresolved and rejected, by reason */
    size_t nreasons, other_reasons;
} lf_intake_report;

const char *lf_intake_method_name(size_t i);   /* NULL past the end */

typedef int (*lf_intake_item_fn)(void *ud, const lf_intake_item *it);
typedef void (*lf_intake_reject_fn)(void *ud, const lf_err *e);

int lf_intake_new(const lf_intake_config *cfg, lf_intake **out, lf_err *err);
void lf_intake_free(lf_intake *ik);
/* The dictionaries (a caller may add vocabulary before resolving). */
lf_namedb *lf_intake_namedb(lf_intake *ik);

/* Detect the format of UTF-8 text (LF_INV_AUTO when no reader recognises it). */
lf_inv_format lf_intake_detect(const char *text, size_t len);

/* Read, convert and resolve one file ("-" = stdin) or buffer. A file that cannot be read,
 * decoded or recognised returns an error with nothing delivered; otherwise LF_OK (rows
 * rejected are in the report and went to rej) or the callback's non-zero value. */
int lf_intake_file(lf_intake *ik, const char *path, const lf_intake_opts *o, lf_intake_item_fn fn,
                   lf_intake_reject_fn rej, void *ud, lf_intake_report *rep, lf_err *err);
int lf_intake_buffer(lf_intake *ik, const char *name, const unsigned char *data, size_t len,
                     const lf_intake_opts *o, lf_intake_item_fn fn, lf_intake_reject_fn rej, void *ud,
                     lf_intake_report *rep, lf_err *err);

#endif
