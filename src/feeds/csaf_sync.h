/*
 * csaf_sync: download the advisories of a CSAF 2.0 trusted provider (OASIS CSAF 2.0,
 * §7.1.20 provider-metadata.json; §7.1.13-7.1.14 index.txt/changes.csv in a
 * directory-based distribution; §7.1.21-7.1.23 ROLIE feeds; §7.1.18 .sha256/.sha512)
 * into <data>/csaf/<provider host>/<path of the document's URL>.
 *
 * Source: a provider-metadata.json URL, or a domain, for which
 * https://DOMAIN/.well-known/csaf/provider-metadata.json is read (§7.1.20 / §7.3.1).
 * For each distribution: its directory_url's changes.csv ("path","timestamp" rows,
 * newest first) when it has one, else its rolie.feeds[].url (entries: link rel="self"
 * href and `updated`). Documents changed after the state's last timestamp are fetched
 * oldest first; each is checked against <url>.sha256 (else <url>.sha512) when the
 * provider publishes one (a mismatch is reported and the file not kept) and must be a
 * JSON object with a "document" member; then it is saved atomically and the state
 * <data>/sync/csaf-<host>.json is rewritten, so a killed sync resumes where it stopped
 * and a second sync fetches nothing new. Documents that failed are retried next time.
 *
 * State file (JSON): {"version":1,"provider":URL,"sources":{SOURCE_URL:{"last":TS,
 *   "at_last":[URL...],"failed":[URL...]}}}: last = newest timestamp done, at_last =
 * documents done at exactly that timestamp (several may share it), failed = to retry.
 *
 * Ownership: the report's paths are malloc'd; lf_csaf_sync_report_clear frees them.
 */
#ifndef LF_FEEDS_CSAF_SYNC_H
#define LF_FEEDS_CSAF_SYNC_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/err.h"
#include "feeds/fetch.h"

typedef void (*lf_csaf_sync_error_fn)(void *ud, const lf_err *e);

typedef struct lf_csaf_sync_opts {
    const char *data_dir;
    const char *source;            /* provider-metadata.json URL or a domain */
    unsigned max_attempts;         /* per request; 0 = 5 */
    double backoff_base;           /* 0 = fetch's default */
    lf_fetch_retry_fn on_retry;    /* may be NULL */
    lf_csaf_sync_error_fn on_error;/* a document or row that failed; may be NULL */
    void *ud;
} lf_csaf_sync_opts;

typedef struct lf_csaf_sync_report {
    char host[256];                /* provider host: the folder under <data>/csaf */
    size_t sources;                /* changes.csv files and ROLIE feeds read */
    size_t listed;                 /* documents they list */
    size_t skipped;                /* already fetched (not newer than the state) */
    size_t fetched;                /* new or changed documents saved */
    size_t verified, unverified;   /* of those: checked against a .sha256/.sha512, or none published */
    size_t failed;                 /* not kept: download, checksum, not CSAF, bad path (reported) */
    size_t bad_checksum;           /* of the failed: digest mismatch */
    size_t bad_rows;               /* index rows or feed entries that could not be read (reported) */
    size_t requests, retries;
    char **paths;                  /* local paths of the documents saved by this sync */
    size_t npaths;
} lf_csaf_sync_report;

void lf_csaf_sync_report_clear(lf_csaf_sync_report *r);

/* Sync one provider. Returns LF_OK when the provider metadata and its indexes were read
 * (document failures are counted and reported, not returned); LF_EIO / LF_ENOTFOUND /
 * LF_EPARSE when the provider metadata or an index cannot be read (what was saved before
 * stays saved and recorded). */
int lf_csaf_sync(const lf_csaf_sync_opts *o, lf_csaf_sync_report *rep, lf_err *err);

/* ---- the index formats, exposed for tests and the fuzzer ---- */

/* One listed document: its URL (absolute) and its timestamp in the canonical
 * form of lf_fetch_time_format. hash_url: a digest link from the feed, or NULL. */
typedef int (*lf_csaf_entry_fn)(void *ud, const char *url, const char *timestamp, const char *hash_url);

/* changes.csv (§7.1.14): CSV rows "path","timestamp"; path relative to base_url (the
 * directory_url). Rows that are not two fields, with a path that is absolute or climbs
 * ("..") or a timestamp that is not ISO 8601 are reported through on_bad (with the line)
 * and skipped. fn's non-zero return stops the walk and is returned. */
int lf_csaf_parse_changes(const char *base_url, const char *data, size_t len, lf_csaf_entry_fn fn, void *ud,
                          lf_csaf_sync_error_fn on_bad, void *bad_ud, size_t *bad_rows);
/* A ROLIE feed (JSON, §7.1.21): feed.entry[] with link[rel=self].href and updated.
 * LF_EPARSE when it is not JSON or has no feed object. */
int lf_csaf_parse_rolie(lf_arena *a, const char *data, size_t len, lf_csaf_entry_fn fn, void *ud,
                        lf_csaf_sync_error_fn on_bad, void *bad_ud, size_t *bad_rows, lf_err *err);

/* provider-metadata.json (§7.1.20): for each distribution, fn(ud, directory_url, false)
 * when it has one, else fn(ud, feed_url, true) for each ROLIE feed. LF_EPARSE when it is
 * not JSON or lists no distribution. */
typedef int (*lf_csaf_source_fn)(void *ud, const char *url, bool rolie);
int lf_csaf_parse_provider(lf_arena *a, const char *data, size_t len, lf_csaf_source_fn fn, void *ud, lf_err *err);

/* Local path of a document URL: "<host>/<path>" with only [A-Za-z0-9._~+-] in each
 * segment (others become '_'), no empty, "." or ".." segment. LF_EINVAL when the URL
 * has no path or would climb out. */
int lf_csaf_local_path(const char *host, const char *url, char *out, size_t cap);

#endif
