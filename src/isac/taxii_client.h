/*
 * taxii_client: a TAXII 2.1 client (OASIS TAXII Version 2.1, 2021) for federation
 * between lianfang instances and with other ISACs: discovery (section 4.1), API root
 * (4.2), collections (5.1, 5.2), objects GET with pagination (5.4: limit, next,
 * added_after, the X-TAXII-Date-Added-First/-Last headers of 3.4.3) and POST of
 * envelopes split to the API root's max_content_length (5.5), status polling (4.3).
 *
 * Every request carries Accept: application/taxii+json;version=2.1 and, when given, an
 * "Authorization: Bearer" token or HTTP Basic credentials. The HTTP layer is libcurl
 * with the feed client's policy (feeds/fetch.h: TLS verification on, timeouts, a body
 * cap, retries with exponential backoff and jitter on connection errors, 429 and 5xx,
 * Retry-After honoured); fetch.h itself only does GET without custom headers, so the
 * few lines of transport live here. Tests replace the transport (opts.transport).
 *
 * Incremental pull: the state of each (server, collection) is a small JSON file
 * {"url":..,"collection":..,"added_after":..} holding the high-water mark, the
 * X-TAXII-Date-Added-Last of the last page delivered. It is replaced atomically after
 * each page has been handed to the page callback, so an interrupted pull resumes after
 * the last page it saved and a finished one asks only for what was added since.
 *
 * Ownership: lf_taxii_client_new/_free; strings in opts are copied. JSON returned lives
 * in the arena passed in.
 */
#ifndef LF_ISAC_TAXII_CLIENT_H
#define LF_ISAC_TAXII_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/json.h"

#define LF_TAXII_CLIENT_MEDIA "application/taxii+json;version=2.1"

typedef struct lf_taxii_client_req {
    const char *method;      /* "GET" or "POST" */
    const char *url;
    const char *body;        /* POST */
    size_t body_len;
} lf_taxii_client_req;

typedef struct lf_taxii_client_resp {
    long status;             /* 0 when no answer came */
    lf_buf *body;            /* reset and filled by the transport */
    char added_first[64];    /* X-TAXII-Date-Added-First, "" when absent */
    char added_last[64];     /* X-TAXII-Date-Added-Last */
} lf_taxii_client_resp;

/* One request with retries. LF_OK when an answer came (any status), LF_EIO when none
 * came after the attempts, LF_ELIMIT over the body cap, LF_ENOMEM. */
typedef int (*lf_taxii_client_transport_fn)(void *ud, const lf_taxii_client_req *req, lf_taxii_client_resp *resp,
                                            lf_err *err);
typedef void (*lf_taxii_client_retry_fn)(void *ud, const char *url, long status, double delay);

typedef struct lf_taxii_client_opts {
    const char *token;                 /* Bearer token; NULL or "" = none */
    const char *user, *password;       /* HTTP Basic when user is set */
    long timeout;                      /* seconds per request; 0 = 120 */
    size_t max_bytes;                  /* largest answer; 0 = 256 MiB */
    unsigned max_attempts;             /* 0 = 5 */
    double backoff_base;               /* seconds; 0 = 1 (doubles each retry, capped at 60) */
    lf_taxii_client_transport_fn transport;   /* NULL = libcurl */
    void *transport_ud;
    lf_taxii_client_retry_fn on_retry; /* may be NULL */
    void *ud;
} lf_taxii_client_opts;

typedef struct lf_taxii_client lf_taxii_client;

int lf_taxii_client_new(const lf_taxii_client_opts *o, lf_taxii_client **out, lf_err *err);
void lf_taxii_client_free(lf_taxii_client *c);

/* GET url as TAXII JSON. A status other than 2xx is LF_ENOTFOUND (404), LF_EINVAL
 * (401/403: "not allowed"), LF_EIO otherwise, the server's title/description quoted in
 * the message. headers may be NULL. */
int lf_taxii_client_get(lf_taxii_client *c, const char *url, lf_arena *a, const lf_json **doc,
                        lf_taxii_client_resp *headers, lf_err *err);

/* Where a collection is: from URL (a discovery URL, whose default or first API root is
 * used, or an API root URL) and a collection id, alias or title. */
typedef struct lf_taxii_client_target {
    char api_root[2048];        /* ends in '/' */
    char collection_id[128];
    char collection_url[2400];  /* <api_root>collections/<id>/ */
    size_t max_content_length;  /* from the API root; 0 = not stated */
    bool can_read, can_write;
} lf_taxii_client_target;

int lf_taxii_client_resolve(lf_taxii_client *c, const char *url, const char *collection,
                            lf_taxii_client_target *t, lf_err *err);

/* ---- pull ---- */

/* Called for each page with objects; envelope is the page's parsed envelope. Return
 * LF_OK to go on; anything else stops the pull (the state is not advanced past it). */
typedef int (*lf_taxii_client_page_fn)(void *ud, const lf_json *envelope, const lf_json *objects, size_t page,
                                       lf_err *err);

typedef struct lf_taxii_client_pull_opts {
    const lf_taxii_client_target *target;
    const char *state_path;      /* NULL = no state: everything, every time */
    const char *added_after;     /* overrides the state's mark; NULL = the state's */
    unsigned limit;              /* objects per page; 0 = 1000 */
    size_t max_pages;            /* 0 = 1000000 */
    lf_taxii_client_page_fn on_page;
    void *ud;
} lf_taxii_client_pull_opts;

typedef struct lf_taxii_client_pull_report {
    size_t pages, objects;
    char added_after[64];        /* mark asked from ("" = from the start) */
    char mark[64];               /* mark saved at the end */
    bool no_header;              /* a page came without X-TAXII-Date-Added-Last */
} lf_taxii_client_pull_report;

int lf_taxii_client_pull(lf_taxii_client *c, const lf_taxii_client_pull_opts *o, lf_taxii_client_pull_report *r,
                         lf_err *err);

/* url without the "user:password@" part a user may have put in it, for printing and state
 * files (a secret never leaves the command line that gave it). */
void lf_taxii_url_redact(const char *url, char *out, size_t cap);
/* "<data_dir>/isac/state-<host[_port]>-<collection>.json", unsafe bytes as '_'. */
void lf_taxii_client_state_path(const char *data_dir, const char *url, const char *collection, char *out,
                                size_t cap);

/* ---- push ---- */

typedef struct lf_taxii_client_push_report {
    size_t envelopes;
    size_t total, success, failure, pending;   /* summed over the status resources */
    size_t too_large;                          /* objects alone over max_content_length: not sent */
    char first_failure[512];                   /* "id: message" of the first failure, "" */
} lf_taxii_client_push_report;

/* POST objs as envelopes of at most max_content_length bytes (t->max_content_length, or
 * max_bytes when smaller and non-zero), then poll each status until it is no longer
 * "pending" or status_wait seconds have passed. */
int lf_taxii_client_push(lf_taxii_client *c, const lf_taxii_client_target *t, const lf_json *const *objs, size_t n,
                         size_t max_bytes, double status_wait, lf_taxii_client_push_report *r, lf_err *err);

/* ---- JSON output ---- */

/* Append v as compact JSON (members in order, strings escaped by lf_json_write_str,
 * numbers as their source text). */
int lf_taxii_client_json_write(lf_buf *out, const lf_json *v);

#endif
