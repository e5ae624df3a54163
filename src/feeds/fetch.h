/*
 * fetch: the HTTP client feed sync uses to download from NVD, CISA and CSAF providers
 * (HTTP/1.1 GET, RFC 9110; conditional requests, RFC 9110 §13; Retry-After, §10.2.3).
 *
 * One lf_fetch wraps one libcurl easy handle (connections are reused between calls)
 * with the policy every feed download needs: TLS verification always on, a User-Agent
 * "lianfang/<version>", connect and total timeouts, a cap on the body size, a bounded
 * number of redirects (http and https only), and retries with exponential backoff and
 * jitter on connection errors, HTTP 429, 5xx and (when asked, for NVD) 403, honouring
 * Retry-After, up to a maximum number of attempts. An optional rate limiter (N requests
 * per rolling window W, NVD's published limits) sleeps before a request when needed.
 *
 * Errors name the URL (without any user:password@) and the HTTP status; the API key is
 * sent only as a request header and never appears in a message.
 *
 * curl_global_init: the CLI calls it once before any lf_fetch_new (see cli_sync.c);
 * this module keeps no global state.
 *
 * Ownership: lf_fetch_new/lf_fetch_free and lf_fetch_limiter_new/_free; the options'
 * strings are copied; the limiter is borrowed and must outlive the lf_fetch. The body
 * lf_buf is the caller's (init it with the cap it wants, or 0 for the client's cap).
 */
#ifndef LF_FEEDS_FETCH_H
#define LF_FEEDS_FETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"

/* ---- rate limiter: at most `requests` requests in any rolling `window` seconds ---- */

typedef struct lf_fetch_limiter lf_fetch_limiter;

/* requests >= 1 (at most 10000), window > 0. LF_EINVAL or LF_ENOMEM. */
int lf_fetch_limiter_new(unsigned requests, double window, lf_fetch_limiter **out);
void lf_fetch_limiter_free(lf_fetch_limiter *l);
/* Sleep until one more request fits in the window; returns the seconds slept. */
double lf_fetch_limiter_acquire(lf_fetch_limiter *l);
/* Note that a request has just completed. Completion (not start) is recorded so that
 * whatever the request's latency, the server never sees more than N arrivals per W. */
void lf_fetch_limiter_record(lf_fetch_limiter *l);

/* ---- client ---- */

typedef struct lf_fetch lf_fetch;

/* Called before each retry's sleep (for a log line); status is 0 on a connection error. */
typedef void (*lf_fetch_retry_fn)(void *ud, const char *url, long status, const char *why, double delay);

typedef struct lf_fetch_opts {
    long connect_timeout;       /* seconds; 0 = 30 */
    long timeout;               /* seconds for a whole transfer; 0 = 600 */
    size_t max_bytes;           /* largest body accepted; 0 = 256 MiB */
    long max_redirects;         /* 0 = 5; negative = follow none */
    unsigned max_attempts;      /* attempts per request, first included; 0 = 5 */
    double backoff_base;        /* seconds before the first retry; 0 = 2 (doubles each retry) */
    double backoff_max;         /* cap of one backoff sleep; 0 = 120 */
    double retry_after_max;     /* longest Retry-After honoured; 0 = 3600 */
    bool retry_403;             /* NVD answers a rate-limited request with 403 */
    const char *api_key;        /* sent as "apiKey: KEY" (NVD); NULL or "" = none */
    lf_fetch_limiter *limiter;  /* borrowed; NULL = no limit */
    lf_fetch_retry_fn on_retry; /* may be NULL */
    void *ud;
} lf_fetch_opts;

/* Conditional GET (RFC 9110 §13.1.2, §13.1.3): validators from the previous answer. */
typedef struct lf_fetch_cond {
    const char *etag;           /* sent as If-None-Match; NULL or "" = none */
    const char *last_modified;  /* sent as If-Modified-Since; NULL or "" = none */
} lf_fetch_cond;

typedef struct lf_fetch_resp {
    long status;                /* final HTTP status; 0 when no answer came */
    bool not_modified;          /* 304 to a conditional GET: the body is empty */
    char etag[256];             /* validators of this answer, "" when absent */
    char last_modified[64];
    unsigned attempts;
} lf_fetch_resp;

typedef struct lf_fetch_stats {
    size_t requests;            /* attempts made (each retry counts) */
    size_t retries;
    size_t bytes;               /* body bytes received */
    double slept;               /* seconds in backoff and rate-limit sleeps */
} lf_fetch_stats;

int lf_fetch_new(const lf_fetch_opts *o, lf_fetch **out, lf_err *err);
void lf_fetch_free(lf_fetch *f);

/*
 * GET url into body (reset first). Returns LF_OK on 2xx and on 304 (resp->not_modified),
 * LF_ENOTFOUND on 404/410, LF_ELIMIT when the body exceeds the cap, LF_EIO on any other
 * failure once the attempts are used up (err->src = the URL as shown in messages,
 * err->msg e.g. "GET: HTTP 503 after 5 attempts"). resp may be NULL.
 */
int lf_fetch_get(lf_fetch *f, const char *url, const lf_fetch_cond *cond, lf_buf *body, lf_fetch_resp *resp,
                 lf_err *err);
const lf_fetch_stats *lf_fetch_stats_borrow(const lf_fetch *f);

/* The URL as shown in messages: user:password@ removed, truncated to fit out. */
void lf_fetch_url_for_log(const char *url, char *out, size_t cap);

/* Write data[0..len) to path atomically (temporary file, fsync, rename), creating the
 * folders above it: how downloads and sync state files are saved, so a killed sync
 * leaves either the old file or the new one. */
int lf_fetch_save_file(const char *path, const void *data, size_t len, lf_err *err);

/* ---- timestamps of remote feeds (ISO 8601 / RFC 3339, UTC) ---- */

/* "2024-05-01", "2024-05-01T13:00", "2024-05-01T13:00:00.123Z", "...+08:00", "... 13:00:00"
 * (no zone = UTC), years 0001 to 9999 in UTC -> milliseconds since 1970. LF_OK or LF_EPARSE. */
int lf_fetch_time_parse(const char *s, int64_t *ms);
/* ms -> "2024-05-01T13:00:00.123Z" (24 characters; out needs 32). The canonical form the
 * sync state files store: it sorts as text in time order. */
void lf_fetch_time_format(int64_t ms, char out[32]);
/* Now, in ms since 1970 (wall clock). */
int64_t lf_fetch_time_now(void);

#endif
