/*
 * nvd_sync: incremental download of NVD's CVE API 2.0 (/rest/json/cves/2.0) into the
 * vulnerability index, resumable after a crash or a kill.
 *
 * A sync run covers [start, end): start is --since or the state's high-water mark, end is
 * --until or the time the run began. It pages through lastModStartDate/lastModEndDate
 * windows of at most 120 days (NVD refuses longer ranges) with resultsPerPage records per
 * request and startIndex paging until totalResults. Each page is saved as it arrives in
 * <data>/sync/nvd/page-NNNNNN.json and the state <data>/sync/nvd.json (window in progress,
 * next startIndex, pages fetched, high-water mark) is rewritten atomically after every
 * page, so a killed run resumes at the next page without fetching the saved ones again.
 * Saved pages are imported (every import_every pages and at the end) with the NVD reader:
 * one index load and one index write per import; then the pages are deleted. When the
 * whole run is fetched and imported, the high-water mark moves to the run's end.
 *
 * Changed CVEs: the ids of records an import added, replaced or removed are merged into
 * <data>/sync/nvd-changed.txt: one CVE id per line, LF-terminated, sorted, no duplicates.
 * The file accumulates over syncs until its consumer (the server's re-match) takes it:
 * the consumer renames it away, then reads the renamed file, so no id is lost to a race.
 *
 * State file (JSON; unknown members ignored):
 *   {"version":1, "high_water":"2024-05-01T00:00:00.000Z",     last completed run's end
 *    "run_start":..., "run_end":...,                           run in progress ("" = none)
 *    "window_start":..., "next_index":4000, "total":12345,     position inside the run
 *    "pages_fetched":3, "seq":17}                              counters (seq names pages)
 */
#ifndef LF_FEEDS_NVD_SYNC_H
#define LF_FEEDS_NVD_SYNC_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "feeds/feed.h"
#include "feeds/fetch.h"

/* NVD rejects lastMod ranges longer than 120 consecutive days. */
#define LF_NVD_SYNC_MAX_WINDOW_DAYS 120

typedef void (*lf_nvd_sync_page_fn)(void *ud, const char *window_start, const char *window_end,
                                    size_t start_index, size_t got, size_t total);

typedef struct lf_nvd_sync_opts {
    const char *data_dir;         /* state, pages and nvd-changed.txt under <data_dir>/sync */
    const char *index_path;       /* the index the pages are imported into */
    const char *url;              /* API endpoint, e.g. https://services.nvd.nist.gov/rest/json/cves/2.0 */
    const char *api_key;          /* NULL or "" = none */
    const char *since, *until;    /* ISO 8601 or NULL (see the header comment) */
    unsigned results_per_page;    /* 1..2000; 0 = 2000 */
    unsigned rate_requests;       /* per rate_window; 0 = 5, or 50 with an API key */
    double rate_window;           /* seconds; 0 = 30 */
    unsigned max_attempts;        /* per request; 0 = 5 */
    double backoff_base;          /* first retry's sleep; 0 = fetch's default */
    unsigned import_every;        /* import after this many saved pages; 0 = 50 */
    lf_fetch_retry_fn on_retry;   /* may be NULL */
    lf_feed_error_fn on_error;    /* malformed records; may be NULL */
    lf_nvd_sync_page_fn on_page;  /* after each saved page; may be NULL */
    void *ud;
} lf_nvd_sync_opts;

typedef struct lf_nvd_sync_report {
    bool resumed;                 /* continued a run a previous process left unfinished */
    char run_start[32], run_end[32];
    size_t windows;               /* windows completed by this process */
    size_t pages;                 /* pages fetched by this process */
    size_t pages_imported;        /* pages imported (includes ones an earlier process saved) */
    size_t imports;               /* index rewrites */
    size_t requests, retries;
    double slept;                 /* seconds of backoff and rate-limit sleep */
    lf_feed_report feed;          /* records: added, replaced, unchanged, stale, removed ... */
    size_t changed;               /* ids merged into nvd-changed.txt by this process */
    char high_water[32];          /* after the run */
} lf_nvd_sync_report;

/* Run (or resume) a sync. LF_EUSAGE when there is no state and no since; LF_EIO /
 * LF_ENOTFOUND / LF_ELIMIT from the network (state and saved pages are kept: run again
 * to resume); LF_EPARSE for an answer that is not an API page; LF_ECORRUPT for an
 * unreadable state file (err says which; remove it to start over). rep is filled in
 * either case with what was done. */
int lf_nvd_sync(const lf_nvd_sync_opts *o, lf_nvd_sync_report *rep, lf_err *err);

#endif
