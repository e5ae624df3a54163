/*
 * server_int: what the server's modules (server.c and the api_*.c resource modules) share
 * and nothing else includes: the application struct, the authenticated caller, and small
 * helpers for request bodies, parameters, JSON output and error answers.
 */
#ifndef LF_SERVER_SERVER_INT_H
#define LF_SERVER_SERVER_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/json.h"
#include "core/ratelimit.h"
#include "feeds/epss.h"
#include "feeds/osv.h"
#include "http/http.h"
#include "intake/intake.h"
#include "server/server.h"
#include "store/store.h"
#include "vans/match.h"
#include "vans/vulndb.h"

/* What the upload handler can tell of how an upload ended (the outcome label of
 * lianfang_uploads_total): from its answer's status. */
typedef enum lf_api_uploads_result {
    LF_UPRES_STORED,     /* 201: stored, and matched when an index is loaded */
    LF_UPRES_REJECTED,   /* 4xx: the request or its file was refused (month, empty or unreadable file) */
    LF_UPRES_BUSY,       /* 503: the database stayed locked by another writer; nothing was stored */
    LF_UPRES_FAILED,     /* 500: an internal error (out of memory, a store failure) */
    LF_UPRES_COUNT
} lf_api_uploads_result;

/* The upload handler's counters since start, for /metrics (api_uploads.c), guarded by
 * lf_server.stats_mu: an upload takes seconds, so one lock per upload costs nothing, and
 * /metrics reads a consistent set (the histogram's count is the stored outcome's). */
#define LF_API_UPLOADS_NBUCKETS 10
typedef struct lf_api_uploads_stats {
    uint64_t result[LF_UPRES_COUNT];
    uint64_t rows;                                    /* records read from stored uploads' files */
    uint64_t bucket[LF_API_UPLOADS_NBUCKETS + 1];     /* stored uploads by duration, not cumulative; last +Inf */
    double seconds;                                   /* their durations summed */
} lf_api_uploads_stats;

struct lf_server {
    lf_store *store;
    lf_vdb *vdb;                 /* NULL: no index; replaced by a reload (lf_server_index_borrow) */
    uint64_t vdb_digest;         /* vdb's digest (lf_vdb_get_stats walks the index: not per run) */
    lf_epss *epss;               /* NULL: no scores */
    lf_intake *ik;
    lf_matcher *m;               /* NULL without an index */
    pthread_mutex_t work;        /* guards ik and m (single-threaded objects) */
    lf_id national;              /* the root org: metrics scope */
    int64_t session_ttl;
    /* failed logins (api_auth.c): per client address, and per login name with the store's
     * lockout policy so that logins that do not exist lock like those that do */
    lf_ratelimit *login_by_addr, *login_by_name;
    lf_deadline_policy deadline;
    bool match_in_turn;          /* lf_server_opts.match_in_turn */
    lf_http_error_fn log;
    void *log_ud;
    lf_http_static *web;         /* the web UI's files (lf_server_routes), NULL when none found */
    struct lf_scheduler *sched;  /* notice scheduler (scheduler.h), NULL when not started */
    /* feed updates (rematch.h): the index reload and re-match; the Debian binary -> source
     * map (deb-source.tsv) for distribution twins, NULL when absent */
    struct lf_rematch *rematch;
    lf_osv_srcmap *srcmap;
    struct lf_dispatch_cache *bl_cache;   /* built blocklists (isac/dispatch.h), made by lf_api_isac_routes */
    /* in-process counters for /metrics (they start at zero with the process, as Prometheus
     * counters may): requests run on several threads, so they are behind their own lock,
     * never the work mutex an upload holds for seconds */
    pthread_mutex_t stats_mu;
    lf_api_uploads_stats uploads;
};

/* The authenticated caller of a request. A token has no role: it may read within its
 * org's scope and upload, nothing else. */
typedef struct lf_caller {
    lf_id user_id;               /* 0 for an API token */
    lf_id token_id;              /* 0 for a user */
    const char *login;           /* arena; the token's name for a token */
    lf_role role;                /* 0 for a token */
    lf_id org_id;                /* the scope */
    bool cookie;                 /* authenticated by the session cookie */
    char session[LF_STORE_TOKEN_SIZE];   /* the cookie value (cookie auth only) */
} lf_caller;

#define LF_SESSION_COOKIE "lf_session"

/* Every organisation of the sharing group within the caller's scope (api_isac.c). */
int lf_server_group_in_scope(lf_server *s, const lf_caller *c, const lf_store_isac_group *g, bool *inside,
                             lf_err *err);

/*
 * Authenticate req: session cookie or "Authorization: Bearer <token>". Unsafe methods with
 * cookie auth need X-CSRF-Token equal to the session's; a read_only user may not use
 * unsafe methods, nor may an API token (unless flags allow). Returns true with *c filled; false after writing the error (401/403)
 * into resp, in which case the handler returns LF_OK.
 */
enum {
    LF_SRV_TOKEN_WRITE = 1u << 0,   /* an API token may use this unsafe method (uploads) */
    LF_SRV_ANY_ROLE = 1u << 1       /* read_only may use this unsafe method (logout) */
};
bool lf_server_auth(lf_server *s, lf_http_req *req, lf_http_resp *resp, unsigned flags, lf_caller *c);
/* Scope check of org against the caller: true when inside; else 404 (no such org) or 403
 * written into resp. */
bool lf_server_in_scope(lf_server *s, lf_http_resp *resp, const lf_caller *c, lf_id org);
/* The finding of path parameter {id} (strings in the request's arena) when it is within the
 * caller's scope; false after writing 400/404/403/500 into resp. */
bool lf_server_finding_of(lf_server *s, lf_http_req *req, lf_http_resp *resp, const lf_caller *c,
                          lf_store_finding *f);

/* Path parameter as a positive id; false after writing 400/404. */
bool lf_server_param_id(lf_http_req *req, lf_http_resp *resp, const char *name, lf_id *out);
/* Paging from ?limit (1..500, default 50) and ?after / ?cursor (a row id); false after 400. */
bool lf_server_page(lf_http_req *req, lf_http_resp *resp, lf_store_page *pg);
/* Parse the JSON object body with tight limits; false after writing 400. */
bool lf_server_body(lf_http_req *req, lf_http_resp *resp, const lf_json **out);
/* An optional string member: absent or null -> NULL; false after writing 422 when present
 * but not a string, or longer than max bytes. */
bool lf_server_body_str(lf_http_resp *resp, const lf_json *obj, const char *key, size_t max, const char **out);

/* Answer a store error: LF_ENOTFOUND 404, LF_EEXIST 409, LF_EINVAL 422, else 500 (and
 * logged). Returns LF_OK so handlers can `return lf_server_fail(...)`. */
int lf_server_fail(lf_server *s, lf_http_resp *resp, const lf_err *e);
void lf_server_logf(lf_server *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* JSON writing: a string or null, an RFC 3339 UTC time or null, an id as a string. */
void lf_server_jstr(lf_buf *b, const char *s);
void lf_server_jtime(lf_buf *b, int64_t t);
void lf_server_jid(lf_buf *b, lf_id id);
/* "next_cursor" member (with leading comma) when more rows follow, then "}\n". */
void lf_server_jpage_end(lf_buf *b, const lf_store_page *pg);
/* A page of items as {"items":[...],"next_cursor"?}: fn writes one item of `size` bytes. */
typedef void (*lf_server_item_fn)(lf_buf *b, const void *item);
void lf_server_jlist(lf_buf *b, const void *items, size_t n, size_t size, lf_server_item_fn fn,
                     const lf_store_page *pg);

void lf_server_user_json(lf_buf *b, const lf_store_user *u);
void lf_server_org_json(lf_buf *b, const lf_store_org *o);
void lf_server_upload_json(lf_buf *b, const lf_store_upload *u, bool with_report);

bool lf_server_is_date(const char *s);     /* "YYYY-MM-DD" */
bool lf_server_is_month(const char *s);    /* "YYYY-MM" */

/* Route registration of each resource module. */
int lf_api_auth_routes(lf_server *s, lf_http *h, lf_err *err);
int lf_api_orgs_routes(lf_server *s, lf_http *h, lf_err *err);
int lf_api_users_routes(lf_server *s, lf_http *h, lf_err *err);
int lf_api_isac_routes(lf_server *s, lf_http *h, lf_err *err);
int lf_api_uploads_routes(lf_server *s, lf_http *h, lf_err *err);
/* /metrics: the upload families (lianfang_uploads_total, lianfang_upload_seconds,
 * lianfang_upload_rows_total) from s->uploads. LF_OK or the buffer's error. */
int lf_api_uploads_metrics(lf_server *s, lf_buf *out);
int lf_api_findings_routes(lf_server *s, lf_http *h, lf_err *err);
int lf_api_overview_routes(lf_server *s, lf_http *h, lf_err *err);
/* ISAC: the TAXII 2.1 server and its sharing groups and collections (api_taxii.c) */
int lf_api_taxii_routes(lf_server *s, lf_http *h, lf_err *err);
/* notice scheduler: admin endpoints and org contacts (api_admin.c) */
int lf_api_admin_routes(lf_server *s, lf_http *h, lf_err *err);

/* The web UI's directory: $LIANFANG_WEB_DIR, else <bindir>/../share/lianfang/web
 * (installed), <bindir>/web, then the source tree's web/ (build tree, make demo); the first
 * holding index.html. Fills out and returns true, or false when there is none. */
bool lf_server_web_dir(char *out, size_t cap);

/* The index now loaded, for handlers that run outside the work mutex: read once per
 * request (a reload publishes the new pointer atomically and keeps the old index open for
 * a grace period, rematch.h), so one answer never mixes two indexes. NULL: none. */
static inline const lf_vdb *lf_server_index_borrow(lf_server *s)
{
    return __atomic_load_n(&s->vdb, __ATOMIC_ACQUIRE);
}

#endif
