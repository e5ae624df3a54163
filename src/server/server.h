/*
 * server: the platform server application. It owns what the API handlers share (the
 * store, the vulnerability index and EPSS scores when present, the intake dictionaries
 * and one matcher), registers the /api/v1 routes on an lf_http, authenticates requests
 * (session cookie + CSRF token, or a Bearer API token), enforces the organisation scope
 * and role rules, and provides the /healthz and /metrics hooks. The endpoints themselves
 * live in one module per resource (api_auth.c, api_orgs.c, api_uploads.c,
 * api_findings.c); docs/api.md documents them.
 *
 * Ownership: lf_server_new opens everything named in lf_server_opts (strings are only
 * read during the call) and lf_server_free closes it. The server must outlive the lf_http
 * it is registered on: pass it as lf_http_opts.app, with lf_server_health and
 * lf_server_metrics as the hooks.
 *
 * Threads: handlers run concurrently; the store is thread-safe, the index and EPSS map are
 * read-only, and intake + matching (single-threaded objects) run under one mutex, so
 * uploads are converted and matched one at a time.
 */
#ifndef LF_SERVER_SERVER_H
#define LF_SERVER_SERVER_H

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "server/deadline.h"
#include "core/err.h"
#include "http/http.h"

typedef struct lf_server lf_server;

typedef struct lf_server_opts {
    const char *store_url;       /* required: "sqlite:PATH" */
    const char *index_path;      /* <data>/vulndb.lfx; absent file = no index (uploads kept, not matched) */
    const char *epss_path;       /* <data>/epss.lfe; NULL or absent = no EPSS scores */
    const char *dict_dir;        /* intake dictionaries (data/intake) */
    const char *cpedict_path;    /* NVD CPE dictionary digest, may be NULL or absent */
    const char *purlidx_path;    /* purl index (intake/purlidx.h), may be NULL or absent */
    int64_t session_ttl;         /* seconds of an idle web session; 0 = 8 hours */
    const lf_deadline_policy *deadline;   /* NULL = the defaults of deadline.h */
    bool match_in_turn;          /* match and write on one thread (config match.overlap = false) */
    lf_http_error_fn log;        /* problems worth an operator's eye (index missing, 500s); may be NULL */
    void *log_ud;
} lf_server_opts;

/* LF_OK, or the store's / index's / intake's error (a missing index is not an error). */
int lf_server_new(const lf_server_opts *o, lf_server **out, lf_err *err);
void lf_server_free(lf_server *s);   /* NULL-safe */

/* Register every /api/v1 route of this module set on h (before lf_http_start). */
int lf_server_routes(lf_server *s, lf_http *h, lf_err *err);

/* true when a vulnerability index was loaded (uploads are matched). */
int lf_server_has_index(const lf_server *s);

/* Hooks for lf_http_opts (app = the lf_server). */
void lf_server_health(void *app, lf_http_health *h);
int lf_server_metrics(void *app, lf_buf *out);

#endif
