/*
 * epss: FIRST's Exploit Prediction Scoring System scores (https://www.first.org/epss/),
 * the daily CSV `epss_scores-YYYY-MM-DD.csv(.gz)`:
 *   #model_version:v2026.06.15,score_date:2026-09-29T12:00:22Z
 *   cve,epss,percentile
 *   CVE-2025-6554,0.12564,0.96108
 *
 * EPSS changes every day while the CVE index changes when feeds do, so the scores live in
 * their own small file (<data>/epss.lfe): a header (model version, score date, count)
 * and entries sorted by CVE number, mapped read-only and binary-searched. An import
 * replaces the file as a whole (the daily file is complete); a malformed row is reported
 * with file and line and skipped; a file without the header is refused.
 *
 * Ownership: lf_epss owns the map; lf_epss_close releases it.
 */
#ifndef LF_FEEDS_EPSS_H
#define LF_FEEDS_EPSS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

typedef struct lf_epss_stats {
    size_t rows, kept, bad, duplicates;
    char model[48];           /* "v2026.06.15" */
    char date[40];            /* score date as written */
} lf_epss_stats;

typedef void (*lf_epss_warn_fn)(void *ud, const lf_err *e);

/* Parse one EPSS CSV (plain or gzip) from memory and write the score file to out_path
 * atomically. Returns LF_EFORMAT for a file that is not EPSS. */
int lf_epss_import_buffer(const char *src, const char *data, size_t len, const char *out_path,
                          lf_epss_warn_fn warn, void *ud, lf_epss_stats *st, lf_err *err);
int lf_epss_import_file(const char *path, const char *out_path, lf_epss_warn_fn warn, void *ud,
                        lf_epss_stats *st, lf_err *err);

typedef struct lf_epss lf_epss;

int lf_epss_open(const char *path, lf_epss **out, lf_err *err);
void lf_epss_close(lf_epss *e);
/* Score and percentile (0..1) of a CVE id; false when it has no score (not zero). */
bool lf_epss_lookup(const lf_epss *e, const char *cve, double *score, double *percentile);
void lf_epss_info(const lf_epss *e, lf_epss_stats *st);

/* "CVE-2024-12345" → 2024 * 10^9 + 12345 (an order that sorts by year, then number);
 * 0 when it is not a CVE id. */
uint64_t lf_epss_cve_key(const char *cve, size_t n);

#endif
