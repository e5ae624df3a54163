/*
 * store_int: what store.c and the backends (store_sqlite.c, later store_pg.c) share: the
 * table of backend operations and the store struct. Nothing outside src/store includes it.
 *
 * Split of work: store.c checks arguments, applies the rules that do not depend on the
 * database (org hierarchy, role per org kind, finding transitions, what a match hit does),
 * hashes passwords and tokens and builds audit JSON; a backend only reads and writes rows.
 * Backend operations get validated arguments, fill lf_err themselves, and allocate what
 * they return in the caller's arena. Composite operations in store.c wrap backend calls in
 * begin/commit, which nest as savepoints.
 */
#ifndef LF_STORE_STORE_INT_H
#define LF_STORE_STORE_INT_H

#include <pthread.h>

#include "core/buf.h"
#include "store/store.h"

/* The six regions and 22 counties/cities of the brief, seeded by schema version 1.
 * Region i's hub is county i (the hub city belongs to its own region). */
typedef struct lf_store_seed_org {
    const char *code, *name_zh, *name_en;
    int region;                        /* counties: index into lf_store_seed_regions */
} lf_store_seed_org;
extern const lf_store_seed_org lf_store_seed_national;
extern const lf_store_seed_org lf_store_seed_regions[6];
extern const lf_store_seed_org lf_store_seed_counties[22];

/* The password-check view of a user row: the hash stays inside src/store. */
typedef struct lf_store_auth_row {
    lf_store_user user;
    const char *password_hash;         /* NULL: no password set */
} lf_store_auth_row;

/* BULK: a batch's (host, CVE) pairs -> the position that added each first (store.c): the
 * grouping of a batch's hits, and the backend's way back from RETURNING rows to its hits.
 * The CVE strings are borrowed from the hits. */
typedef struct lf_store_hc_slot {
    lf_id host;
    const char *cve;                   /* NULL: empty */
    uint32_t pos;
} lf_store_hc_slot;
typedef struct lf_store_hc_map {
    lf_store_hc_slot *slot;
    size_t mask;
} lf_store_hc_map;
int lf_store_hc_map_init(lf_store_hc_map *m, size_t n);          /* room for n pairs; LF_ENOMEM */
void lf_store_hc_map_free(lf_store_hc_map *m);
/* the position of (host, cve) added earlier, or pos, which it now has */
uint32_t lf_store_hc_map_put(lf_store_hc_map *m, lf_id host, const char *cve, uint32_t pos);
/* its position, UINT32_MAX when absent */
uint32_t lf_store_hc_map_get(const lf_store_hc_map *m, lf_id host, const char *cve);
/* two optional strings equal (both NULL, or the same text) */
bool lf_store_str_same(const char *a, const char *b);

/* BULK: one hit of a batch given to finding_bulk, and what became of it */
typedef enum { LF_BULK_LEFT = 0, LF_BULK_NEW, LF_BULK_SEEN } lf_bulk_state;
typedef struct lf_store_bulk {
    const lf_store_hit *hit;
    lf_id host_id;
    lf_bulk_state state;               /* out: LEFT = not done (the general path decides) */
} lf_store_bulk;

typedef struct lf_store_ops {
    const char *name;
    int (*open)(lf_store *s, const char *path, lf_err *err);   /* sets s->impl, migrates */
    void (*close)(lf_store *s);
    int (*schema_version)(lf_store *s, int *version, lf_err *err);
    int (*check)(lf_store *s, lf_err *err);
    int (*ping)(lf_store *s, lf_err *err);
    int (*begin)(lf_store *s, lf_err *err);
    int (*commit)(lf_store *s, lf_err *err);
    void (*rollback)(lf_store *s);

    int (*org_create)(lf_store *s, const lf_store_org *in, lf_id *id, lf_err *err);
    int (*org_get)(lf_store *s, lf_id id, const char *code, lf_arena *a, lf_store_org *out,
                   lf_err *err);       /* by id, or by code when code != NULL */
    int (*org_set_contacts)(lf_store *s, lf_id id, const char *const *emails, size_t n,
                            lf_err *err);
    int (*org_children)(lf_store *s, lf_id id, lf_store_page *pg, lf_arena *a,
                        lf_store_org **out, size_t *n, lf_err *err);
    int (*org_agencies)(lf_store *s, lf_id scope, lf_store_page *pg, lf_arena *a,
                        lf_store_org **out, size_t *n, lf_err *err);
    int (*org_ancestors)(lf_store *s, lf_id id, lf_arena *a, lf_store_org **out, size_t *n,
                         lf_err *err);
    int (*org_within)(lf_store *s, lf_id org, lf_id scope, bool *inside, lf_err *err);

    int (*user_create)(lf_store *s, const lf_store_user *in, lf_id *id, lf_err *err);
    int (*user_get)(lf_store *s, lf_id id, const char *login, lf_arena *a,
                    lf_store_auth_row *out, lf_err *err);   /* by id, or login when != NULL */
    int (*user_list)(lf_store *s, lf_id scope, lf_store_page *pg, lf_arena *a,
                     lf_store_user **out, size_t *n, lf_err *err);
    int (*user_update)(lf_store *s, const lf_store_user *in, lf_err *err);
    int (*user_set_hash)(lf_store *s, lf_id id, const char *hash, lf_err *err);
    int (*user_login_failed)(lf_store *s, lf_id id, unsigned max_failures, int64_t lock_until,
                             lf_err *err);
    int (*user_login_ok)(lf_store *s, lf_id id, lf_err *err);

    int (*session_insert)(lf_store *s, const char *token_hash, const lf_store_session *in,
                          lf_id *id, lf_err *err);
    int (*session_get)(lf_store *s, const char *token_hash, lf_store_session *out, lf_err *err);
    int (*session_touch)(lf_store *s, const char *token_hash, int64_t expires, lf_err *err);
    int (*session_delete)(lf_store *s, const char *token_hash, lf_id user_id, lf_err *err);
    int (*session_purge)(lf_store *s, size_t *removed, lf_err *err);

    int (*apitoken_insert)(lf_store *s, const lf_store_apitoken *in, const char *secret_hash,
                           lf_id *id, lf_err *err);
    int (*apitoken_get)(lf_store *s, const char *secret_hash, lf_arena *a,
                        lf_store_apitoken *out, lf_err *err);
    int (*apitoken_used)(lf_store *s, lf_id id, lf_err *err);
    int (*apitoken_revoke)(lf_store *s, lf_id id, lf_err *err);
    int (*apitoken_list)(lf_store *s, lf_id scope, lf_store_page *pg, lf_arena *a,
                         lf_store_apitoken **out, size_t *n, lf_err *err);

    int (*upload_create)(lf_store *s, const lf_store_upload *in, lf_id *id, lf_err *err);
    int (*items_add)(lf_store *s, lf_id upload_id, const lf_store_item *items, size_t n,
                     lf_err *err);
    /* Atomic: supersede the previous CURRENT of (agency, month), publish, upsert hosts. */
    int (*upload_publish)(lf_store *s, lf_id upload_id, const lf_store_counts *counts,
                          const char *report_json, lf_err *err);
    int (*upload_get)(lf_store *s, lf_id id, lf_arena *a, lf_store_upload *out, lf_err *err);
    int (*upload_snapshot)(lf_store *s, lf_id agency_id, const char *month, lf_arena *a,
                           lf_store_upload *out, lf_err *err);
    int (*upload_list)(lf_store *s, lf_id scope, const char *month, lf_store_page *pg,
                       lf_arena *a, lf_store_upload **out, size_t *n, lf_err *err);
    int (*items_list)(lf_store *s, lf_id upload_id, lf_store_page *pg, lf_arena *a,
                      lf_store_item **out, size_t *n, lf_err *err);
    int (*items_each)(lf_store *s, lf_id upload_id, lf_store_item_fn fn, void *ud, lf_err *err);

    int (*host_get)(lf_store *s, lf_id id, lf_id agency_id, const char *name, lf_arena *a,
                    lf_store_host *out, lf_err *err);  /* by id, or (agency, name) */
    int (*host_list)(lf_store *s, lf_id scope, lf_store_page *pg, lf_arena *a,
                     lf_store_host **out, size_t *n, lf_err *err);
    /* Get or create the host (agency, name); last_seen = now. */
    int (*host_upsert)(lf_store *s, lf_id agency_id, const char *name, lf_id *id, lf_err *err);

    int (*run_create)(lf_store *s, lf_id agency_id, lf_id upload_id, bool full, lf_id *id,
                      lf_err *err);
    /* The run's agency, kind, whether it ended, and its counters so far. */
    int (*run_get)(lf_store *s, lf_id id, lf_id *agency_id, bool *full, bool *finished,
                   lf_store_match_summary *sum, lf_err *err);
    int (*run_add)(lf_store *s, lf_id id, const lf_store_match_summary *delta, lf_err *err);
    int (*run_finish)(lf_store *s, lf_id id, lf_err *err);

    int (*finding_get)(lf_store *s, lf_id id, lf_id host_id, const char *cve, lf_arena *a,
                       lf_store_finding *out, lf_err *err);  /* by id, or (host, cve) */
    int (*finding_insert)(lf_store *s, const lf_store_finding *in, lf_id *id, lf_err *err);
    /* Write every mutable field of in (by in->id); updated = now. */
    int (*finding_update)(lf_store *s, const lf_store_finding *in, lf_err *err);
    /* Only what a match hit refreshes (cpe, kind, scores, KEV, EPSS, last_seen,
     * last_run): the common case of a run, without touching the state index. */
    int (*finding_refresh)(lf_store *s, const lf_store_finding *in, lf_err *err);
    int (*finding_list)(lf_store *s, const lf_store_ffilter *f, lf_store_page *pg, lf_arena *a,
                        lf_store_finding **out, size_t *n, lf_err *err);
    /* Ids of the agency's findings whose last_run != run, in the states that a full run
     * fixes or confirms (OPEN, MEASURE_FILED, RISK_ACCEPTED, unconfirmed FIXED). Ids, not
     * rows: the caller changes those rows while it walks them. */
    int (*finding_stale)(lf_store *s, lf_id agency_id, lf_id run, lf_arena *a, lf_id **ids,
                         size_t *n, lf_err *err);

    int (*suppress_add)(lf_store *s, lf_id host_id, const char *cpe, const char *cve,
                        lf_id finding_id, const char *reason, lf_id by, lf_err *err);
    int (*suppress_del)(lf_store *s, lf_id finding_id, lf_err *err);
    int (*suppress_has)(lf_store *s, lf_id host_id, const char *cpe, const char *cve, bool *has,
                        lf_err *err);

    int (*audit_add)(lf_store *s, const lf_store_audit *in, lf_id *id, lf_err *err);
    int (*audit_list)(lf_store *s, lf_id scope, const char *entity, lf_id entity_id,
                      lf_store_page *pg, lf_arena *a, lf_store_audit **out, size_t *n,
                      lf_err *err);

    int (*metrics)(lf_store *s, lf_id scope, const char *month, lf_store_metrics *out,
                   lf_err *err);

    /* dashboard aggregates (web UI): arguments validated by store.c */
    int (*overview)(lf_store *s, lf_id org, const lf_store_overview_q *q, lf_arena *a,
                    lf_store_overview_row *total, lf_store_overview_row **rows, size_t *n, bool *more,
                    lf_err *err);
    int (*trends)(lf_store *s, lf_id org, const char *first, unsigned nmonths, lf_store_trend *out,
                  lf_err *err);
    int (*host_summary)(lf_store *s, lf_id agency, const char *today, lf_store_page *pg, lf_arena *a,
                        lf_store_host_sum **out, size_t *n, lf_err *err);

    /* NOTICES (scheduler outbox): arguments validated by store.c */
    int (*notice_create)(lf_store *s, const lf_store_notice *in, const char *const *channels, size_t nch,
                         const lf_store_notice_mark *marks, size_t nmarks, lf_id *id, lf_err *err);
    int (*notice_get)(lf_store *s, lf_id id, const char *key, lf_arena *a, lf_store_notice *out, lf_err *err);
    int (*notice_marks)(lf_store *s, lf_id agency_id, const char *stage, lf_arena *a, lf_id **ids, size_t *n,
                        lf_err *err);
    int (*notice_due)(lf_store *s, int64_t now, size_t limit, lf_arena *a, lf_store_notice **out, size_t *n,
                      lf_err *err);
    int (*notice_delivered)(lf_store *s, lf_id notice_id, const lf_store_delivery *d, int64_t at, lf_err *err);
    int (*notice_list)(lf_store *s, const lf_store_nfilter *f, lf_store_page *pg, lf_arena *a,
                       lf_store_notice **out, size_t *n, lf_err *err);
    int (*notice_counts)(lf_store *s, uint64_t out[4], lf_err *err);

    /* ISAC (STIX objects, TAXII 2.1 collections): arguments validated by store.c */
    int (*taxii_root_put)(lf_store *s, const lf_store_taxii_root *in, lf_id *id, lf_err *err);
    int (*taxii_root_get)(lf_store *s, const char *name, lf_arena *a, lf_store_taxii_root *out, lf_err *err);
    int (*taxii_root_list)(lf_store *s, lf_arena *a, lf_store_taxii_root **out, size_t *n, lf_err *err);
    int (*isac_group_create)(lf_store *s, const lf_store_isac_group *in, lf_id *id, lf_err *err);
    int (*isac_group_get)(lf_store *s, lf_id id, lf_arena *a, lf_store_isac_group *out, lf_err *err);
    int (*isac_group_list)(lf_store *s, lf_arena *a, lf_store_isac_group **out, size_t *n, lf_err *err);
    int (*isac_group_member)(lf_store *s, lf_id group, lf_id org, bool *member, lf_err *err);
    int (*taxii_coll_put)(lf_store *s, const lf_store_taxii_coll *in, lf_id *id, lf_err *err);
    int (*taxii_coll_get)(lf_store *s, lf_id root_id, const char *uuid, lf_arena *a, lf_store_taxii_coll *out,
                          lf_err *err);
    int (*taxii_coll_list)(lf_store *s, lf_id root_id, lf_arena *a, lf_store_taxii_coll **out, size_t *n,
                           lf_err *err);
    /* now_us: the store clock in microseconds (store.c) */
    int (*stix_add)(lf_store *s, lf_id coll, const lf_store_stix_row *rows, size_t n, int64_t now_us, bool *dup,
                    int64_t *first, int64_t *last, lf_err *err);
    int (*stix_query)(lf_store *s, const lf_store_stix_q *q, lf_arena *a, lf_store_stix_hit **out, size_t *n,
                      bool *more, lf_err *err);
    int (*stix_delete)(lf_store *s, const lf_store_stix_q *q, size_t *deleted, lf_err *err);
    int (*stix_count)(lf_store *s, lf_id coll, uint64_t *n, lf_err *err);
    int (*taxii_status_put)(lf_store *s, const lf_store_taxii_status *in, lf_err *err);
    int (*taxii_status_get)(lf_store *s, lf_id root_id, const char *uuid, lf_arena *a, lf_store_taxii_status *out,
                            lf_err *err);
    /* sources (schema 6): arguments validated by store.c */
    int (*scan_items_add)(lf_store *s, lf_id upload_id, const lf_store_scan_item *v, size_t n, lf_err *err);
    int (*scan_items_each)(lf_store *s, lf_id upload_id, lf_store_scan_item_fn fn, void *ud, lf_err *err);
    int (*finding_sources_set)(lf_store *s, lf_id agency_id, const lf_store_fsources *v, size_t n, lf_err *err);
    int (*finding_sources_get)(lf_store *s, lf_id finding_id, lf_arena *a, const char **json, lf_err *err);
    int (*not_affected_clear)(lf_store *s, lf_id agency_id, lf_err *err);
    int (*not_affected_add)(lf_store *s, lf_id agency_id, lf_id upload_id, const lf_store_not_affected *v, size_t n,
                            int64_t now, lf_err *err);
    int (*not_affected_list)(lf_store *s, lf_id agency_id, const char *host, const char *cve, lf_store_page *pg,
                             lf_arena *a, lf_store_not_affected **out, size_t *n, lf_err *err);
    int (*snapshots_latest)(lf_store *s, lf_arena *a, lf_store_snapshot_ref **out, size_t *n, lf_err *err);
    /* ISAC-DISPATCH (schema 7): arguments validated by store.c */
    int (*isac_ind_find)(lf_store *s, const char *stix_id, lf_arena *a, lf_store_isac_ind *out, lf_err *err);
    int (*isac_approve)(lf_store *s, const lf_store_isac_approval *in, const lf_store_isac_ioc *iocs, size_t n,
                        lf_id *id, lf_err *err);
    int (*isac_approval_get)(lf_store *s, lf_id id, lf_arena *a, lf_store_isac_approval *out, lf_err *err);
    int (*isac_revoke)(lf_store *s, lf_id id, const char *by, lf_err *err);
    int (*isac_approval_list)(lf_store *s, lf_id group, bool active_only, int64_t now, lf_store_page *pg,
                              lf_arena *a, lf_store_isac_approval **out, size_t *n, lf_err *err);
    int (*isac_bl_each)(lf_store *s, lf_id group, lf_id fetcher, int64_t now, int kind_lo, int kind_hi,
                        lf_store_isac_bl_fn fn, void *ud, lf_err *err);
    int (*isac_bl_stamp)(lf_store *s, lf_id group, uint64_t *changes, lf_err *err);
    int (*isac_fetch_log)(lf_store *s, const lf_store_isac_fetch *in, lf_err *err);
    int (*isac_fetch_latest)(lf_store *s, lf_id group, lf_id scope, lf_arena *a, lf_store_isac_fetch **out,
                             size_t *n, lf_err *err);
    int (*isac_count_add)(lf_store *s, lf_id org, int year, lf_isac_count_kind kind, uint64_t n, lf_err *err);
    int (*isac_counters)(lf_store *s, lf_id scope, int year, lf_arena *a, lf_store_isac_counter **out, size_t *n,
                         lf_err *err);
    /* MATCHSCOPE (schema 9): a scoped run's stale findings and not-affected records, by CVE */
    int (*finding_stale_cves)(lf_store *s, lf_id agency_id, lf_id run, const char *const *cves, size_t ncves,
                              lf_arena *a, lf_id **ids, size_t *n, lf_err *err);
    int (*not_affected_clear_cves)(lf_store *s, lf_id agency_id, const char *const *cves, size_t ncves,
                                   lf_err *err);
    /* a hit on (host, cve) whose finding is active, not yet hit by run and scored the same:
     * refreshed in place (*touched); anything else is left for the general path */
    int (*finding_touch_hc)(lf_store *s, lf_id host_id, const lf_store_hit *h, lf_id run, int64_t now,
                            bool *touched, lf_err *err);
    bool (*in_tx)(lf_store *s);     /* this thread's connection is inside a transaction */
    /* schema 10: a run's new findings (id > after_id, last_run = run) into the dashboard
     * summaries, which the insert trigger leaves to this for rows a run writes */
    int (*finding_max_id)(lf_store *s, lf_id *out, lf_err *err);
    int (*dash_run_add)(lf_store *s, lf_id after_id, lf_id run, lf_err *err);
    /* BULK: the first hits of distinct (host, CVE)s of a batch at once; each entry's state
     * says what was done (ids of new findings in id), with the audit rows and dashboard
     * summaries of the new ones. NULL: every hit takes the general path. */
    int (*finding_bulk)(lf_store *s, lf_id agency_id, lf_id run, int64_t now, lf_store_bulk *b, size_t n,
                        lf_err *err);
    /* FIX: the findings ids (ascending, distinct) a run did not hit, fixed at now (or, fixed
     * by hand, confirmed) at once, leaving the rows, their audit rows and the summaries as
     * the general path (finding_get, finding_update, audit_add per id) does; counts into
     * *fixed and *confirmed. NULL: one by one. */
    int (*finding_fix_bulk)(lf_store *s, const lf_id *ids, size_t n, int64_t now, uint64_t *fixed,
                            uint64_t *confirmed, lf_err *err);
    /* SOURCES (schema 12): texts no finding refers to, removed */
    int (*sources_gc)(lf_store *s, uint64_t *removed, lf_err *err);
    /* EPSS refresh: every finding's score set to fn's, the differing rows written */
    int (*findings_epss_refresh)(lf_store *s, lf_id agency_id, lf_store_score_fn fn, void *ud, uint64_t *changed,
                                 lf_err *err);
    /* schema 17: store_meta, small named values of the store's own (the EPSS file applied) */
    int (*meta_get)(lf_store *s, const char *key, char *out, size_t n, lf_err *err);
    int (*meta_set)(lf_store *s, const char *key, const char *value, lf_err *err);
} lf_store_ops;

struct lf_store {
    const lf_store_ops *ops;
    lf_store_opts opts;                /* defaults filled in */
    void *impl;                        /* the backend's state */
    pthread_mutex_t mu;                /* guards dummy_hash */
    bool have_dummy;
    char dummy_hash[160];              /* verified against for unknown logins */
};

extern const lf_store_ops lf_store_sqlite_ops;

/* Page limit with defaults and cap applied. */
uint32_t lf_store_page_limit(const lf_store_page *pg);

/* The newest schema version the SQLite migrations know (store_sqlite.c). */
int lf_store_sqlite_latest(void);

/* A finding's audit JSON (state, cpe, measure … reopened), as every audit row of a finding
 * holds it: the backends' set-wise paths write the same text. */
int lf_store_finding_json(const lf_store_finding *f, lf_buf *b);

#endif
