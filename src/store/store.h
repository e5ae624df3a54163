/*
 * store: the platform server's storage layer. Every module that keeps state (organisations,
 * users, sessions, API tokens, monthly uploads and their inventory items, hosts, findings
 * and their audit trail) goes through this interface and never through a database API, so
 * that a second backend (PostgreSQL) fits behind it without touching callers.
 *
 * Backends are chosen by URL in lf_store_open: "sqlite:/path/x.db" or a bare path selects
 * the embedded SQLite backend (store_sqlite.c); "postgres://..." is recognised and refused
 * in this build. store.c holds what does not depend on the database (argument checks,
 * organisation and role rules, password hashing, token generation, the finding lifecycle
 * and its audit rows) and dispatches the rest to the backend's table of operations.
 *
 * Errors: every call returns LF_OK or a negative LF_E* code and, when err is non-NULL,
 * fills it with the same code and a message. Common codes: LF_EINVAL (bad argument or a
 * rule broken: wrong parent kind, unknown transition), LF_ENOTFOUND (no such row, or an
 * expired session / revoked token), LF_EEXIST (a unique key taken: org code, user login),
 * LF_EIO (the database failed, message from the backend), LF_ECORRUPT (not a database,
 * integrity check failed, or a schema newer than this build), LF_ENOMEM.
 *
 * Ownership: read calls take a caller-owned lf_arena; every string and array they return
 * is allocated there and stays valid until the caller clears or resets the arena (the
 * server uses one arena per request). Input structs and strings are only read during the
 * call. Small fixed-size results (session tokens, CSRF tokens, API secrets) are written
 * into caller buffers of the sizes defined below.
 *
 * Thread-safety: one lf_store may be used from any number of threads at once. Each thread
 * gets its own database connection (taken from a pool on its first call and given back
 * when the thread exits), so a transaction opened with lf_store_begin belongs to the
 * calling thread and calls made on that thread between begin and commit run inside it.
 * An arena must not be shared by threads that call the store at the same time.
 * lf_store_close must only be called once no other thread uses the store.
 *
 * Time: timestamps are Unix seconds (int64_t) from the store's clock (lf_store_opts.clock,
 * time(2) by default), 0 meaning "never". Calendar dates (KEV due date, notice and due
 * dates, planned fix date, risk expiry) are "YYYY-MM-DD" strings or NULL; months are
 * "YYYY-MM".
 */
#ifndef LF_STORE_STORE_H
#define LF_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"

typedef struct lf_store lf_store;
typedef int64_t lf_id;                 /* row id; 0 = none */

/* ---------------------------------------------------------------- open, close, transactions */

typedef struct lf_store_opts {
    int64_t (*clock)(void *ud);        /* Unix seconds; NULL = time(2). Tests inject a clock */
    void *clock_ud;
    /* argon2id cost for new password hashes; 0 = defaults (t=3, 64 MiB, 1 lane, the
     * memory-constrained choice of RFC 9106 section 4). Existing hashes keep their own. */
    uint32_t argon2_t_cost;
    uint32_t argon2_m_kib;
    uint32_t argon2_lanes;
    unsigned login_max_failures;       /* failed logins that lock an account; 0 = 5 */
    int64_t login_lock_seconds;        /* how long; 0 = 900 */
    unsigned busy_timeout_ms;          /* wait for a writer before failing; 0 = 10000 */
} lf_store_opts;

/*
 * Open (creating when absent) the store at url: "sqlite:PATH", "sqlite://PATH" or a bare
 * PATH for SQLite; "postgres://..." / "postgresql://..." fail with LF_EFORMAT ("this build
 * has no PostgreSQL backend"); any other "scheme://" is LF_EFORMAT too. Pending schema
 * migrations are applied in one transaction; a database whose schema is newer than this
 * build knows fails with LF_ECORRUPT and says both versions. opts may be NULL (defaults).
 * On success *out is a store the caller frees with lf_store_close.
 */
int lf_store_open(const char *url, lf_store **out, lf_err *err);
int lf_store_open_opts(const char *url, const lf_store_opts *opts, lf_store **out, lf_err *err);
void lf_store_close(lf_store *s);      /* NULL-safe; rolls back open transactions */

const char *lf_store_backend_name(const lf_store *s);   /* "sqlite" */
/* Schema version of the open database, and the newest one this build knows. */
int lf_store_schema_version(lf_store *s, int *version, lf_err *err);
int lf_store_schema_latest(void);
/* Full consistency check (SQLite: PRAGMA integrity_check). LF_ECORRUPT with the first
 * problem in the message. For /healthz use lf_store_ping, which is cheap. */
int lf_store_check(lf_store *s, lf_err *err);
int lf_store_ping(lf_store *s, lf_err *err);
int64_t lf_store_now(const lf_store *s);

/*
 * Transactions on the calling thread's connection. They nest: an inner begin/commit is a
 * savepoint, so composite store calls (which open their own) run inside the caller's
 * transaction. begin takes the write lock at once (no upgrade deadlocks between threads).
 * commit without begin is LF_EUSAGE; rollback without begin does nothing. If a thread
 * exits with a transaction open, it is rolled back.
 */
int lf_store_begin(lf_store *s, lf_err *err);
int lf_store_commit(lf_store *s, lf_err *err);
void lf_store_rollback(lf_store *s);

/*
 * Paging, keyset style: rows come in ascending id; pass `after` = the previous page's
 * `next` to continue. limit 0 means LF_STORE_PAGE_DEFAULT; larger than LF_STORE_PAGE_MAX
 * is capped. Every list call accepts pg == NULL (the first default-sized page).
 */
#define LF_STORE_PAGE_DEFAULT 100u
#define LF_STORE_PAGE_MAX 10000u
typedef struct lf_store_page {
    uint32_t limit;                    /* in */
    lf_id after;                       /* in: only rows with id > after */
    lf_id next;                        /* out: id of the last row returned (0 if none) */
    bool more;                         /* out: rows follow this page */
} lf_store_page;

/* Who does something, for the audit trail. user_id 0 = the system (login "system"). */
typedef struct lf_store_actor {
    lf_id user_id;
    const char *login;
} lf_store_actor;

/* ---------------------------------------------------------------- organisations */

typedef enum {
    LF_ORG_NATIONAL = 1,
    LF_ORG_REGION,
    LF_ORG_COUNTY,
    LF_ORG_AGENCY
} lf_org_kind;
const char *lf_org_kind_name(lf_org_kind k);   /* "national", ... ; NULL when out of range */
int lf_org_kind_parse(const char *s);          /* -1 when unknown */

typedef struct lf_store_org {
    lf_id id;
    lf_id parent_id;                   /* 0 for the national root */
    lf_org_kind kind;
    const char *code;                  /* unique: "TW", "R-TPE", "TW-TPE", agency codes */
    const char *name_zh, *name_en;
    char level;                        /* agencies: 'A', 'B' or 'C'; others 0 */
    int64_t created;
    const char *const *emails;         /* contact addresses (lf_store_org_get only) */
    size_t nemails;
} lf_store_org;

/*
 * Create an organisation; id and created are ignored, emails are added as contacts.
 * Rules: a region's parent is the national root, a county's a region, an agency's any
 * non-agency org (a county normally; national or region for central agencies); only
 * agencies carry a level. The seeded national/region/county rows come from the first
 * migration, so in practice callers create agencies. Code taken: LF_EEXIST.
 */
int lf_store_org_create(lf_store *s, const lf_store_org *in, lf_id *id_out, lf_err *err);
int lf_store_org_get(lf_store *s, lf_id id, lf_arena *a, lf_store_org *out, lf_err *err);
int lf_store_org_get_by_code(lf_store *s, const char *code, lf_arena *a, lf_store_org *out,
                             lf_err *err);
/* Replace the contact list of an org (notice and escalation mail goes there). */
int lf_store_org_set_contacts(lf_store *s, lf_id id, const char *const *emails, size_t n,
                              lf_err *err);
/* Direct children of id (lists leave emails empty). */
int lf_store_org_children(lf_store *s, lf_id id, lf_store_page *pg, lf_arena *a,
                          lf_store_org **out, size_t *n, lf_err *err);
/* Every agency at any depth under scope (scope itself when it is an agency). */
int lf_store_org_agencies(lf_store *s, lf_id scope, lf_store_page *pg, lf_arena *a,
                          lf_store_org **out, size_t *n, lf_err *err);
/* The chain from the national root down to id itself (root first, id last). */
int lf_store_org_ancestors(lf_store *s, lf_id id, lf_arena *a, lf_store_org **out, size_t *n,
                           lf_err *err);
/* Scope check: *inside = true when org is scope or lies anywhere under it. */
int lf_store_org_within(lf_store *s, lf_id org, lf_id scope, bool *inside, lf_err *err);

/* ---------------------------------------------------------------- users and logins */

typedef enum {
    LF_ROLE_NATIONAL_ADMIN = 1,        /* at the national org */
    LF_ROLE_REGION_ANALYST,            /* at a region */
    LF_ROLE_COUNTY_OFFICER,            /* at a county/city */
    LF_ROLE_AGENCY_OFFICER,            /* at an agency */
    LF_ROLE_READ_ONLY                  /* any org: sees that org's scope, changes nothing */
} lf_role;
const char *lf_role_name(lf_role r);   /* "national_admin", ...; NULL when out of range */
int lf_role_parse(const char *s);      /* -1 when unknown */

typedef struct lf_store_user {
    lf_id id;
    const char *login;                 /* unique, compared without ASCII case */
    const char *display_name;
    const char *email;
    lf_role role;
    lf_id org_id;                      /* the user's scope */
    bool disabled;
    bool has_password;
    unsigned failed_logins;            /* since the last success or lock */
    int64_t locked_until;              /* logins refused until then */
    int64_t last_login;
    int64_t created;
} lf_store_user;

/* Create a user without a password (set one with lf_store_user_set_password). The role
 * must fit the org's kind (see lf_role). Login taken: LF_EEXIST. */
int lf_store_user_create(lf_store *s, const lf_store_user *in, lf_id *id_out, lf_err *err);
int lf_store_user_get(lf_store *s, lf_id id, lf_arena *a, lf_store_user *out, lf_err *err);
int lf_store_user_get_by_login(lf_store *s, const char *login, lf_arena *a, lf_store_user *out,
                               lf_err *err);
/* Users whose org is scope or under it. */
int lf_store_user_list(lf_store *s, lf_id scope, lf_store_page *pg, lf_arena *a,
                       lf_store_user **out, size_t *n, lf_err *err);
/* Change display_name, email, role, org_id and disabled of user in->id (the rest of *in is
 * ignored). Disabling a user also deletes their sessions. */
int lf_store_user_update(lf_store *s, const lf_store_user *in, lf_err *err);

/* Hash password (1..LF_STORE_PASSWORD_MAX bytes) with argon2id and a fresh 16-byte salt
 * from getrandom(2), store it, and end the user's sessions. */
#define LF_STORE_PASSWORD_MAX 1024
int lf_store_user_set_password(lf_store *s, lf_id id, const char *password, lf_err *err);

typedef enum {
    LF_AUTH_OK = 0,
    LF_AUTH_BAD,                       /* unknown login or wrong password (not told apart) */
    LF_AUTH_LOCKED,                    /* too many failures: refused until locked_until */
    LF_AUTH_DISABLED                   /* right password, disabled account */
} lf_auth_result;
/*
 * Check a login. The comparison is argon2id_verify's constant-time one, and an unknown
 * login is verified against a dummy hash so that it costs the same time as a known one.
 * Each LF_AUTH_BAD on a known login counts a failure; login_max_failures in a row lock the
 * account for login_lock_seconds (the counter restarts). LF_AUTH_OK resets the counter and
 * sets last_login. While locked the password is not even checked. *result is set whenever
 * LF_OK is returned; *user (may be NULL) is filled for OK, LOCKED and DISABLED.
 */
int lf_store_user_check_password(lf_store *s, const char *login, const char *password,
                                 lf_auth_result *result, lf_arena *a, lf_store_user *user,
                                 lf_err *err);
/* The lockout above: failures that lock, and for how long (the login endpoint locks
 * logins that do not exist the same way, so a 429 tells nothing of which ones do). */
void lf_store_login_policy(const lf_store *s, unsigned *max_failures, int64_t *lock_seconds);

/* ---------------------------------------------------------------- web sessions */

/* Session tokens and CSRF tokens: 32 random bytes as 64 lowercase hex digits + NUL. The
 * store keeps only the SHA-256 of a session token, so a copy of the database does not
 * hand out live sessions; the CSRF token is kept as is (it is worthless without the
 * session cookie and the server must echo it into pages). */
#define LF_STORE_TOKEN_SIZE 65

typedef struct lf_store_session {
    lf_id id;
    lf_id user_id;
    char csrf[LF_STORE_TOKEN_SIZE];
    int64_t created, expires, last_seen;
} lf_store_session;

/* Start a session valid for ttl seconds (> 0); token receives the cookie value. */
int lf_store_session_create(lf_store *s, lf_id user_id, int64_t ttl,
                            char token[LF_STORE_TOKEN_SIZE], lf_store_session *out, lf_err *err);
/* Look a cookie value up. LF_ENOTFOUND when unknown, expired, or its user is disabled. */
int lf_store_session_get(lf_store *s, const char *token, lf_store_session *out, lf_err *err);
/* Record activity: last_seen = now and, when ttl > 0, expires = now + ttl (sliding). */
int lf_store_session_touch(lf_store *s, const char *token, int64_t ttl, lf_err *err);
int lf_store_session_delete(lf_store *s, const char *token, lf_err *err);  /* logout */
int lf_store_session_delete_user(lf_store *s, lf_id user_id, lf_err *err);
/* Delete expired sessions; *removed (may be NULL) gets the count. */
int lf_store_session_purge(lf_store *s, size_t *removed, lf_err *err);

/* SHA-256 (FIPS 180-4) of s[0..n) as 64 hex digits: what the store keeps for a token. */
void lf_store_token_hash(const char *s, size_t n, char out[LF_STORE_TOKEN_SIZE]);

/* ---------------------------------------------------------------- API tokens (machine uploads) */

/* "lft_" + 64 hex digits + NUL. Shown once at creation; the store keeps its SHA-256. */
#define LF_STORE_SECRET_SIZE 69

typedef struct lf_store_apitoken {
    lf_id id;
    const char *name;
    lf_id org_id;                      /* what it may upload for: that org's scope */
    lf_id created_by;                  /* user, 0 if none */
    int64_t created, last_used;
    bool revoked;
} lf_store_apitoken;

int lf_store_apitoken_create(lf_store *s, const char *name, lf_id org_id, lf_id created_by,
                             char secret[LF_STORE_SECRET_SIZE], lf_id *id_out, lf_err *err);
/* Authenticate a secret: fills *out and sets last_used. LF_ENOTFOUND when unknown or revoked. */
int lf_store_apitoken_check(lf_store *s, const char *secret, lf_arena *a, lf_store_apitoken *out,
                            lf_err *err);
int lf_store_apitoken_revoke(lf_store *s, lf_id id, lf_err *err);
/* Tokens whose org is scope or under it, revoked ones included. */
int lf_store_apitoken_list(lf_store *s, lf_id scope, lf_store_page *pg, lf_arena *a,
                           lf_store_apitoken **out, size_t *n, lf_err *err);

/* ---------------------------------------------------------------- uploads, snapshots, items */

typedef enum {
    LF_UPLOAD_PENDING = 1,             /* being written; never visible as a snapshot */
    LF_UPLOAD_CURRENT,                 /* the snapshot of (agency, month) */
    LF_UPLOAD_SUPERSEDED               /* replaced by a later upload of the same month */
} lf_upload_status;
const char *lf_upload_status_name(lf_upload_status st);

typedef struct lf_store_counts {
    uint64_t records, resolved, unresolved, rejected;
} lf_store_counts;

typedef struct lf_store_upload {
    lf_id id;
    lf_id agency_id;
    char month[8];                     /* "YYYY-MM" */
    lf_upload_status status;
    lf_id uploaded_by;                 /* user, or 0 */
    lf_id token_id;                    /* API token, or 0 */
    int64_t uploaded_at, published_at;
    lf_id superseded_by;               /* the upload that replaced it, or 0 */
    const char *file_name, *encoding, *format;
    const char *report_json;           /* the conversion report, as the server wrote it */
    lf_store_counts counts;
    uint64_t items;                    /* inventory items stored (0 once superseded) */
} lf_store_upload;

/* One inventory item as intake produced it. host and bucket are required; the rest may be
 * NULL. bucket is intake's ("resolved", "unresolved", "rejected"); confidence free text. */
typedef struct lf_store_item {
    lf_id id;                          /* reads only */
    const char *host, *ip, *os;
    const char *name, *version, *vendor;
    const char *cpe;
    const char *bucket;
    const char *confidence;
    long line;                         /* 1-based line in the uploaded file, 0 unknown */
} lf_store_item;

/*
 * An upload is written in three steps, normally inside one lf_store_begin/commit so that
 * a crash leaves it either complete or absent:
 *   lf_store_upload_create   a PENDING row (agency_id, month, uploaded_by/token_id,
 *                            file_name, encoding, format are read from *in);
 *   lf_store_items_add       the items, in batches of any size (fast: one prepared
 *                            statement; 100,000 rows well under a second); only while
 *                            the upload is PENDING, LF_EINVAL after publishing;
 *   lf_store_upload_publish  counts and report recorded; it becomes the CURRENT snapshot
 *                            of (agency, month); the previous one of that month becomes
 *                            SUPERSEDED (its row and report kept, its items deleted to
 *                            bound growth); hosts named by the items are created or
 *                            their last_seen updated.
 * Even without an outer transaction a PENDING upload is never returned as a snapshot.
 */
int lf_store_upload_create(lf_store *s, const lf_store_upload *in, lf_id *id_out, lf_err *err);
int lf_store_items_add(lf_store *s, lf_id upload_id, const lf_store_item *items, size_t n,
                       lf_err *err);
int lf_store_upload_publish(lf_store *s, lf_id upload_id, const lf_store_counts *counts,
                            const char *report_json, lf_err *err);
int lf_store_upload_get(lf_store *s, lf_id id, lf_arena *a, lf_store_upload *out, lf_err *err);
/* The CURRENT snapshot of (agency, month); LF_ENOTFOUND when that month has none. */
int lf_store_upload_snapshot(lf_store *s, lf_id agency_id, const char *month, lf_arena *a,
                             lf_store_upload *out, lf_err *err);
/* Uploads (all statuses: the history) of agencies under scope, month NULL = any; without
 * their reports (report_json NULL: lf_store_upload_get has it). */
int lf_store_upload_list(lf_store *s, lf_id scope, const char *month, lf_store_page *pg,
                         lf_arena *a, lf_store_upload **out, size_t *n, lf_err *err);
int lf_store_items_list(lf_store *s, lf_id upload_id, lf_store_page *pg, lf_arena *a,
                        lf_store_item **out, size_t *n, lf_err *err);
/* Stream every item of an upload in id order, for re-matching without holding them all.
 * The item's strings are valid during the call only. fn returning non-zero stops the walk
 * and is returned. fn may call the store, but not lf_store_items_each again. */
typedef int (*lf_store_item_fn)(void *ud, const lf_store_item *it);
int lf_store_items_each(lf_store *s, lf_id upload_id, lf_store_item_fn fn, void *ud, lf_err *err);

/* ---------------------------------------------------------------- hosts */

typedef struct lf_store_host {
    lf_id id;
    lf_id agency_id;
    const char *name;                  /* unique per agency */
    const char *ip, *os;               /* as last uploaded, may be NULL */
    int64_t first_seen, last_seen;
} lf_store_host;

int lf_store_host_get(lf_store *s, lf_id id, lf_arena *a, lf_store_host *out, lf_err *err);
int lf_store_host_get_by_name(lf_store *s, lf_id agency_id, const char *name, lf_arena *a,
                              lf_store_host *out, lf_err *err);
int lf_store_host_list(lf_store *s, lf_id scope, lf_store_page *pg, lf_arena *a,
                       lf_store_host **out, size_t *n, lf_err *err);

/* ---------------------------------------------------------------- findings */

typedef enum {
    LF_FSTATE_OPEN = 1,
    LF_FSTATE_MEASURE_FILED,           /* measure text and planned date given */
    LF_FSTATE_FIXED,                   /* fixed_confirmed once a full run no longer sees it */
    LF_FSTATE_RISK_ACCEPTED,           /* reason, approver, expiry */
    LF_FSTATE_FALSE_POSITIVE           /* reason; suppresses (host, cpe, cve) in later runs */
} lf_fstate;
#define LF_FSTATE_COUNT 6              /* array size for per-state counters (index 0 unused) */
const char *lf_fstate_name(lf_fstate st);
int lf_fstate_parse(const char *s);

typedef enum {
    LF_FKIND_MATCH = 1,                /* affected by the CPE configuration */
    LF_FKIND_REVIEW,                   /* needs a person to confirm */
    LF_FKIND_UNANALYSED                /* the CVE has no configuration yet (description hint) */
} lf_fkind;
const char *lf_fkind_name(lf_fkind k);
int lf_fkind_parse(const char *s);

typedef struct lf_store_finding {
    lf_id id, host_id, agency_id;
    const char *host;                  /* host name */
    const char *cve, *cpe;             /* cpe: the inventory CPE it matched last */
    lf_fkind kind;
    double cvss;                       /* < 0: no score */
    const char *cvss_version, *severity;
    bool kev;
    const char *kev_due;
    double epss;                       /* < 0: no score */
    lf_fstate state;
    const char *measure, *measure_planned;
    const char *risk_reason, *risk_approver, *risk_expiry;
    const char *fp_reason;
    const char *notice_date, *due_date;
    int64_t first_seen, last_seen, fixed_at, updated;
    bool fixed_confirmed;
    unsigned reopened;                 /* times it came back after being fixed */
    lf_id last_run;
    /* In only, for match runs: the sources JSON written with the row (NULL keeps what is
     * stored); never read back here (lf_store_finding_sources_get). */
    const char *sources_json;
} lf_store_finding;

/* One hit of a match run: what the matcher and finding modules say about (host, CVE). */
typedef struct lf_store_hit {
    const char *host;                  /* a host of the run's agency (created if new) */
    const char *cve, *cpe;
    lf_fkind kind;
    double cvss;                       /* < 0: none */
    const char *cvss_version, *severity;
    bool kev;
    const char *kev_due;
    double epss;                       /* < 0: none */
    /* For a finding this hit creates (ignored for existing ones): the notice date and the
     * deadline the caller's policy gives ("YYYY-MM-DD" or NULL). */
    const char *notice_date, *due_date;
    /* The finding's sources (JSON, lf_store_finding_sources_get), written in the same row
     * write as the hit; NULL keeps what is stored. The first hit of a (host, CVE) in a run
     * decides them, as it decides the CPE. Equal texts may share one pointer, which lets
     * a backend recognise a repeat within one call without reading it again. */
    const char *sources_json;
} lf_store_hit;

typedef struct lf_store_match_summary {
    uint64_t hits, new_findings, seen, reopened, suppressed, fixed, confirmed;
} lf_store_match_summary;

/*
 * A match run writes findings for one agency:
 *   lf_store_match_begin(full)  full = the run covers the agency's whole snapshot, so a
 *                               finding not hit by the end is fixed (confirmed); partial
 *                               runs (new CVEs after a feed sync) only add and refresh;
 *   lf_store_match_add          per hit: no finding yet -> OPEN (new); present -> last_seen
 *                               and the scores refreshed; FIXED -> OPEN again, reopened+1;
 *                               FALSE_POSITIVE with this (host, cpe, cve) suppressed ->
 *                               counted as suppressed, left alone (hit through another
 *                               CPE -> reopened);
 *   lf_store_match_end          full runs: every OPEN/MEASURE_FILED/RISK_ACCEPTED finding of
 *                               the agency not hit -> FIXED (confirmed); a FIXED one not yet
 *                               confirmed -> confirmed. *sum (may be NULL) gets the counts.
 * Every state change writes one audit row (actor "system") in the same transaction. Wrap
 * the run in lf_store_begin/commit to make it atomic and fast. upload_id may be 0.
 */
int lf_store_match_begin(lf_store *s, lf_id agency_id, lf_id upload_id, bool full, lf_id *run,
                         lf_err *err);
int lf_store_match_add(lf_store *s, lf_id run, const lf_store_hit *hit, lf_err *err);
/* The same for n hits at once (one savepoint, the run read and updated once, each host
 * looked up once per stretch of equal names): the fast path for a whole host's hits. All
 * or nothing; on error err->id names the CVE of the hit that failed. */
int lf_store_match_add_batch(lf_store *s, lf_id run, const lf_store_hit *hits, size_t n, lf_err *err);
/* The same inside the caller's transaction without a savepoint of its own: a savepoint
 * copies every page it first touches, which in a run of hundreds of thousands of new
 * findings is a fifth of the time (bench/bench_upload.py). On error the hits before the
 * failing one stay written: the caller must roll its transaction back. LF_EUSAGE outside
 * a transaction. */
int lf_store_match_add_batch_tx(lf_store *s, lf_id run, const lf_store_hit *hits, size_t n, lf_err *err);
int lf_store_match_end(lf_store *s, lf_id run, lf_store_match_summary *sum, lf_err *err);

/* A person's change of a finding's state. Fields used per target state:
 *   MEASURE_FILED  measure, measure_planned (both required)  from OPEN, MEASURE_FILED
 *   FIXED          (none; unconfirmed until a full run)       from OPEN, MEASURE_FILED
 *   RISK_ACCEPTED  risk_reason, risk_approver, risk_expiry    from OPEN, MEASURE_FILED
 *   FALSE_POSITIVE fp_reason (required)                       from OPEN, MEASURE_FILED
 *   OPEN           (reopen by hand; lifts a suppression)      from FIXED, RISK_ACCEPTED,
 *                                                             FALSE_POSITIVE
 * Anything else is LF_EINVAL naming both states. One audit row per change. */
typedef struct lf_store_fchange {
    lf_fstate to;
    const char *measure, *measure_planned;
    const char *risk_reason, *risk_approver, *risk_expiry;
    const char *fp_reason;
} lf_store_fchange;
int lf_store_finding_transition(lf_store *s, lf_id id, const lf_store_fchange *c,
                                const lf_store_actor *who, lf_err *err);
/* Record that the agency was notified (dates from the deadline policy); audited. */
int lf_store_finding_set_notice(lf_store *s, lf_id id, const char *notice_date,
                                const char *due_date, const lf_store_actor *who, lf_err *err);
/* A risk acceptance whose expiry date is before `today`: the finding is OPEN again, its
 * risk fields dropped, due on due_date (NULL = none; the caller's deadline policy counted
 * from today), audited as "risk_expired" by "system". *expired says whether it was (false
 * when the finding is no longer accepted or not yet expired: no change). */
int lf_store_finding_risk_expire(lf_store *s, lf_id id, const char *today, const char *due_date, bool *expired,
                                 lf_err *err);
int lf_store_finding_get(lf_store *s, lf_id id, lf_arena *a, lf_store_finding *out, lf_err *err);

typedef struct lf_store_ffilter {
    lf_id scope;                       /* org: findings of agencies under it (required) */
    lf_id host_id;                     /* 0 = any */
    lf_fstate state;                   /* 0 = any */
    double min_cvss;                   /* <= 0 = any (findings without a score included) */
    bool kev_only;
    const char *cve;                   /* NULL = any */
} lf_store_ffilter;
int lf_store_finding_list(lf_store *s, const lf_store_ffilter *f, lf_store_page *pg, lf_arena *a,
                          lf_store_finding **out, size_t *n, lf_err *err);

/* ---------------------------------------------------------------- audit trail */

/* Append-only: the backend refuses UPDATE and DELETE on it (SQLite: triggers). */
typedef struct lf_store_audit {
    lf_id id;
    int64_t at;
    lf_id user_id;                     /* 0 = system */
    const char *actor;                 /* login at the time, "system" */
    lf_id org_id;                      /* the org whose scope the entity is in (for listing) */
    const char *entity;                /* "finding", "user", "org", "upload", ... */
    lf_id entity_id;
    const char *action;                /* "transition", "reopen", "fixed", "notice", ... */
    const char *before_json, *after_json;   /* JSON objects or NULL */
} lf_store_audit;

/* Append a row (id and at are set by the store). For changes made outside the store's own
 * calls, e.g. a user's role changed through the API. */
int lf_store_audit_add(lf_store *s, const lf_store_audit *in, lf_id *id_out, lf_err *err);
/* Rows of orgs under scope; entity NULL = any, entity_id 0 = any. */
int lf_store_audit_list(lf_store *s, lf_id scope, const char *entity, lf_id entity_id,
                        lf_store_page *pg, lf_arena *a, lf_store_audit **out, size_t *n,
                        lf_err *err);

/* ---------------------------------------------------------------- metrics */

typedef struct lf_store_metrics {
    uint64_t findings[LF_FSTATE_COUNT];   /* by state (index lf_fstate) */
    uint64_t open_high;                /* OPEN or MEASURE_FILED with CVSS >= 7.0 */
    uint64_t open_kev;                 /* OPEN or MEASURE_FILED and KEV-listed */
    uint64_t agencies, hosts, users;
    uint64_t uploads_month;            /* uploads published in month (history included) */
    uint64_t agencies_with_snapshot;   /* agencies with a CURRENT snapshot for month */
} lf_store_metrics;
/* Counts for the orgs under scope; month "YYYY-MM" (NULL: the store clock's month in local
 * time, so set TZ=Asia/Taipei on the server). */
int lf_store_metrics_get(lf_store *s, lf_id scope, const char *month, lf_store_metrics *out,
                         lf_err *err);

/* ---------------------------------------------------------------- dashboard aggregates (web UI) */

/* Open findings (OPEN or MEASURE_FILED) by severity: the index of each counter. */
enum {
    LF_SEV_IDX_CRITICAL = 0,
    LF_SEV_IDX_HIGH,
    LF_SEV_IDX_MEDIUM,
    LF_SEV_IDX_LOW,
    LF_SEV_IDX_NONE,                   /* NONE, no score, or anything else */
    LF_SEV_IDX_COUNT
};

/* What an overview is computed against: every string is required. */
typedef struct lf_store_overview_q {
    const char *month;                 /* "YYYY-MM": the monthly upload counted as done */
    const char *today;                 /* "YYYY-MM-DD": due dates before it are overdue */
    double high_cvss;                  /* a "high" finding: CVSS >= this (7.0) */
    /* "YYYY-MM-DD": a high finding noticed on or before this day is late (today minus the
     * programme's month), which marks its agency for the B-level limit */
    const char *late_notice;
} lf_store_overview_q;

/* The figures of one organisation, over the agencies at any depth under it. */
typedef struct lf_store_overview_row {
    lf_store_org org;                  /* emails empty */
    uint64_t agencies;
    uint64_t connected;                /* with a published upload ever or a live API token */
    uint64_t uploaded;                 /* with a CURRENT snapshot for q->month */
    uint64_t hosts;
    uint64_t open[LF_SEV_IDX_COUNT];
    uint64_t open_kev;                 /* open and KEV-listed */
    uint64_t overdue;                  /* open with due_date < q->today */
    uint64_t b_agencies;               /* level-B agencies */
    uint64_t b_late;                   /* ... with a late high finding (the 30 % limit) */
    uint64_t flagged;                  /* banned/non-official software in q->month's snapshots */
    uint64_t fixed;                    /* FIXED findings with a fix time */
    /* median of (fixed_at - first_seen) in days, each rounded to a tenth of a day (the
     * precision shown; it keeps the summaries small); < 0 none */
    double median_fix_days;
} lf_store_overview_row;

/*
 * Overview of org: *total gets org's own figures, *rows (arena, may be NULL with *n 0) one
 * row per direct child in id order (none for an agency). Computed by the backend in a few
 * aggregate queries over per-organisation summaries (SQLite: schema 4, kept by triggers),
 * never by reading rows into memory. LF_ENOTFOUND: no such org.
 * Children are capped at LF_STORE_PAGE_MAX (*more set when there were more).
 */
int lf_store_overview(lf_store *s, lf_id org, const lf_store_overview_q *q, lf_arena *a,
                      lf_store_overview_row *total, lf_store_overview_row **rows, size_t *n,
                      bool *more, lf_err *err);

/* One month of trends, under an org. */
typedef struct lf_store_trend {
    char month[8];                     /* "YYYY-MM" */
    uint64_t open[LF_SEV_IDX_COUNT];   /* open at the end of the month (see below) */
    uint64_t fixed;                    /* findings fixed during the month */
    double median_fix_days;            /* their median fix time (as in the overview); < 0 none */
    uint64_t agencies;                 /* agencies that existed at the month's end */
    uint64_t uploaded;                 /* ... of which had a CURRENT snapshot of the month */
} lf_store_trend;

/*
 * nmonths (1..120) consecutive months starting at first ("YYYY-MM") into out (caller's
 * array of nmonths). Months are taken in Taiwan time (UTC+8, the programme's clock). Open
 * at a month's end: first seen before it and not closed by then, where a finding is closed
 * at fixed_at when FIXED, at its last update when RISK_ACCEPTED or FALSE_POSITIVE, and not
 * at all otherwise (the current rows, not a replay of the audit trail).
 */
int lf_store_trends(lf_store *s, lf_id org, const char *first, unsigned nmonths, lf_store_trend *out,
                    lf_err *err);

/* A host with its open findings, for the agency page. */
typedef struct lf_store_host_sum {
    lf_store_host host;
    uint64_t open[LF_SEV_IDX_COUNT];
    uint64_t open_kev;
    uint64_t overdue;                  /* due_date < today */
} lf_store_host_sum;
/* Hosts of one agency (paged, id order) with their open-finding counts. */
int lf_store_host_summary(lf_store *s, lf_id agency, const char *today, lf_store_page *pg, lf_arena *a,
                          lf_store_host_sum **out, size_t *n, lf_err *err);

/* ---------------------------------------------------------------- notices (scheduler) */

/*
 * The scheduler's outbox (src/server/scheduler.c). A notice is written, content and all,
 * before anything is sent, so that a restart resends exactly what was planned (same key,
 * hence the same Message-ID) and never plans it again:
 *   - key is unique: a second notice with the same key is LF_EEXIST and nothing is written;
 *   - marks say "this finding was in a notice of this stage" ((finding, stage) unique), so
 *     a finding is digested, reminded near / past its deadline and escalated per level once;
 *   - one delivery row per channel ("mail", "webhook") carries the state, attempts, the
 *     next attempt time, the last error and when it went out. The notice's own state,
 *     attempts, last_error and sent_at summarise its deliveries: failed when one failed
 *     for good, else pending while one is pending, else sent.
 */
typedef enum {
    LF_NSTATE_PENDING = 1,
    LF_NSTATE_SENT,
    LF_NSTATE_FAILED
} lf_nstate;
const char *lf_nstate_name(lf_nstate st);   /* "pending", "sent", "failed"; NULL out of range */
int lf_nstate_parse(const char *s);         /* -1 when unknown */

#define LF_STORE_NOTICE_MAX_CHANNELS 2

typedef struct lf_store_delivery {
    const char *channel;               /* "mail" or "webhook" */
    lf_nstate state;
    unsigned attempts;
    int64_t next_attempt;              /* pending: not before this time */
    const char *last_error;            /* NULL when none */
    int64_t sent_at;                   /* 0 until sent */
} lf_store_delivery;

typedef struct lf_store_notice {
    lf_id id;
    const char *key;                   /* unique, at most 200 bytes (the Message-ID's key) */
    const char *kind;                  /* lf_notice_kind_name: "digest", "upload", ... */
    const char *stage;                 /* the job's stage: "digest", "reminder", "overdue", ... */
    lf_id org_id;                      /* the receiving org (agency; county/region for escalations) */
    const char *notice_date;           /* "YYYY-MM-DD" the run's day (Taiwan) */
    int64_t created;                   /* the run's time */
    lf_nstate state;                   /* reads */
    unsigned attempts;                 /* reads: most attempts of one delivery */
    const char *last_error;            /* reads */
    int64_t sent_at, updated;          /* reads */
    const char *subject;
    const char *recipients;            /* mail To addresses, one per line; NULL: no mail */
    const char *body_text, *body_html; /* NULL in lists */
    const char *payload_json;          /* the webhook body; NULL in lists */
    unsigned nfindings;
    const char *deliveries_json;       /* lists only: [{"channel":..,"state":..,...}] */
    lf_store_delivery deliveries[LF_STORE_NOTICE_MAX_CHANNELS];   /* get and due */
    size_t ndeliveries;
} lf_store_notice;

/* A finding a notice covers, at its stage. */
typedef struct lf_store_notice_mark {
    lf_id finding_id;
    lf_id agency_id;
} lf_store_notice_mark;

/* Record a notice (state pending), one pending delivery per channel (due at in->created),
 * and its marks, all or nothing. LF_EEXIST when the key or a (finding, stage) mark exists. */
int lf_store_notice_create(lf_store *s, const lf_store_notice *in, const char *const *channels, size_t nch,
                           const lf_store_notice_mark *marks, size_t nmarks, lf_id *id_out, lf_err *err);
/* By id, or by key when key != NULL (id ignored); with bodies and deliveries. */
int lf_store_notice_get(lf_store *s, lf_id id, const char *key, lf_arena *a, lf_store_notice *out, lf_err *err);
/* Finding ids (ascending) of agency marked at stage. */
int lf_store_notice_marks(lf_store *s, lf_id agency_id, const char *stage, lf_arena *a, lf_id **ids, size_t *n,
                          lf_err *err);
/* Up to limit notices (id order) with a pending delivery whose next_attempt <= now, with
 * bodies and deliveries. */
int lf_store_notice_due(lf_store *s, int64_t now, size_t limit, lf_arena *a, lf_store_notice **out, size_t *n,
                        lf_err *err);
/* Write the outcome of one delivery attempt (d->channel names it) and update the notice's
 * summary; updated = at. */
int lf_store_notice_delivered(lf_store *s, lf_id notice_id, const lf_store_delivery *d, int64_t at, lf_err *err);

typedef struct lf_store_nfilter {
    lf_id org_id;                      /* 0 = any; else notices to that org or under it */
    lf_nstate state;                   /* 0 = any */
    const char *kind;                  /* NULL = any */
    const char *key_prefix;            /* NULL = any */
} lf_store_nfilter;
/* Notices (id order), without bodies, with deliveries_json. */
int lf_store_notice_list(lf_store *s, const lf_store_nfilter *f, lf_store_page *pg, lf_arena *a,
                         lf_store_notice **out, size_t *n, lf_err *err);
/* Notices by state (index lf_nstate; index 0 unused). */
int lf_store_notice_counts(lf_store *s, uint64_t out[4], lf_err *err);

/* ---------------------------------------------------------------- ISAC: STIX objects, TAXII 2.1 collections */

/*
 * The TAXII 2.1 server's state (api_taxii.c; protocol rules in isac/taxii.h): API roots,
 * sharing groups (a set of organisations), collections (one root, at most one group),
 * STIX objects per collection versioned by `modified`, and the status resources of POSTs.
 *
 * Time: TAXII needs finer clocks than the rest of the store. date_added is microseconds
 * since 1970 (int64_t), assigned by lf_store_stix_add and strictly increasing within a
 * collection (max(clock, previous + 1)), so `added_after` and the `next` token, which is
 * (date_added, row), page exactly: an object committed later always sorts after every
 * object a reader has already seen. TLP levels are the numbers of lf_stix_tlp (isac/stix.h:
 * 0 none/unknown, 1 CLEAR, 2 GREEN, 3 AMBER, 4 AMBER+STRICT, 5 RED).
 */

typedef struct lf_store_taxii_root {
    lf_id id;
    const char *name;                  /* the URL segment: "isac", "api1" (unique) */
    const char *title, *description;
    int64_t max_content_length;        /* bytes of a POST body; 0 = the server's limit (http.max_body_mb) */
} lf_store_taxii_root;
/* Create or update (by name) a root. */
int lf_store_taxii_root_put(lf_store *s, const lf_store_taxii_root *in, lf_id *id_out, lf_err *err);
int lf_store_taxii_root_get(lf_store *s, const char *name, lf_arena *a, lf_store_taxii_root *out, lf_err *err);
/* Every root in id order (few: one per deployment plus loaded ones). */
int lf_store_taxii_root_list(lf_store *s, lf_arena *a, lf_store_taxii_root **out, size_t *n, lf_err *err);

/* A sharing group: the organisations whose members exchange TLP:AMBER within it. */
typedef struct lf_store_isac_group {
    lf_id id;
    const char *code;                  /* unique, "north-isac" */
    const char *name;
    const lf_id *orgs;                 /* member organisations */
    size_t norgs;
    int64_t created;
} lf_store_isac_group;
/* Create a group with its member orgs (each must exist). Code taken: LF_EEXIST. */
int lf_store_isac_group_create(lf_store *s, const lf_store_isac_group *in, lf_id *id_out, lf_err *err);
int lf_store_isac_group_get(lf_store *s, lf_id id, lf_arena *a, lf_store_isac_group *out, lf_err *err);
int lf_store_isac_group_list(lf_store *s, lf_arena *a, lf_store_isac_group **out, size_t *n, lf_err *err);
/* The membership rule: *member = true when org is one of the group's organisations, lies
 * under one (its staff and sub-units), or is an ancestor of one (the supervising region
 * or the national centre, as the platform's scope rule has it). */
int lf_store_isac_group_member(lf_store *s, lf_id group, lf_id org, bool *member, lf_err *err);

/* Who may read or write a collection (see docs/design.md, "ISAC"). */
typedef enum {
    LF_TAXII_ACCESS_NONE = 0,          /* nobody (reference data: a closed collection) */
    LF_TAXII_ACCESS_GROUP,             /* members of the collection's sharing group */
    LF_TAXII_ACCESS_COMMUNITY,         /* any authenticated lianfang user or API token */
    LF_TAXII_ACCESS_PUBLIC             /* anyone, unauthenticated too (read only) */
} lf_taxii_access;
const char *lf_taxii_access_name(lf_taxii_access v);   /* "none", "group", ...; NULL out of range */
int lf_taxii_access_parse(const char *s);              /* -1 when unknown */

typedef struct lf_store_taxii_coll {
    lf_id id;
    lf_id root_id;
    const char *uuid;                  /* the TAXII collection id (RFC 4122 UUID), unique */
    const char *title, *description, *alias;
    lf_id group_id;                    /* 0: no group */
    lf_taxii_access read, write;
    int default_tlp;                   /* for unmarked objects, 1..5 */
    const char *media_types;           /* comma-separated, "application/stix+json;version=2.1" */
    int64_t created;
} lf_store_taxii_coll;
/* Create or update (by uuid) a collection. */
int lf_store_taxii_coll_put(lf_store *s, const lf_store_taxii_coll *in, lf_id *id_out, lf_err *err);
/* By TAXII id within a root; LF_ENOTFOUND when absent or in another root. */
int lf_store_taxii_coll_get(lf_store *s, lf_id root_id, const char *uuid, lf_arena *a, lf_store_taxii_coll *out,
                            lf_err *err);
int lf_store_taxii_coll_list(lf_store *s, lf_id root_id, lf_arena *a, lf_store_taxii_coll **out, size_t *n,
                             lf_err *err);

/* One object version to store. Strings are copied; json is kept byte for byte. */
typedef struct lf_store_stix_row {
    const char *stix_id, *type, *spec_version;
    const char *created, *modified;    /* as in the object, may be NULL */
    const char *version;               /* the version's text: modified, else created, else date_added */
    const char *vkey;                  /* the version normalised for ordering (isac/taxii.h) */
    const char *created_by_ref;
    const char *marking_refs;          /* JSON array text of strings or NULL (indexed) */
    const char *labels_json;           /* JSON array text of strings or NULL (indexed) */
    const char *valid_from, *valid_until;
    bool revoked;
    int tlp;                           /* 0: unmarked (the collection's default applies) */
    const char *recipients;            /* TLP:RED recipients: ",12,34," (org ids) or NULL */
    const char *json;
    size_t json_len;
    int64_t date_added;                /* 0: assigned by the store; else kept (loading) */
    lf_id added_by;                    /* org that posted it, 0 when loaded */
} lf_store_stix_row;
/*
 * Add n object versions to a collection in one transaction. A version already there (same
 * stix_id and vkey) is left as it was and counted in dup[i] = true (dup may be NULL).
 * date_added of new rows: see above. *first and *last (may be NULL) get the first and last
 * date_added assigned (0 when none was added).
 */
int lf_store_stix_add(lf_store *s, lf_id coll, const lf_store_stix_row *rows, size_t n, bool *dup,
                      int64_t *first, int64_t *last, lf_err *err);

/* A query of a collection's objects: the TAXII filters and the reader's TLP view. */
typedef struct lf_store_stix_q {
    lf_id coll;
    const char *id;                    /* one object (object/versions endpoints), or NULL */
    const char *ids_json, *types_json, *specs_json;   /* JSON arrays of strings, NULL = any */
    /* spec_version when specs_json is NULL: only the latest spec_version of each object */
    bool v_all, v_first, v_last;       /* match[version]; all false and vkeys NULL = last */
    const char *vkeys_json;            /* JSON array of normalised versions, or NULL */
    int64_t added_after;               /* date_added > this (us); 0 = none */
    int64_t page_added;                /* the `next` token: (date_added, row) > (these) */
    lf_id page_row;
    uint32_t limit;                    /* 1..LF_STORE_PAGE_MAX */
    bool with_json;                    /* false: manifest/versions, no object text */
    /* the reader (TLP 2.0, docs/design.md) */
    int default_tlp;                   /* the collection's, for unmarked objects */
    lf_id org;                         /* reader's organisation, 0 unauthenticated */
    bool authenticated;
    bool member;                       /* reader is a member of the collection's group */
} lf_store_stix_q;

typedef struct lf_store_stix_hit {
    lf_id row;
    const char *stix_id, *version, *spec_version;
    int64_t date_added;
    const char *json;                  /* with_json only */
    size_t json_len;
} lf_store_stix_hit;
/* Matching versions in (date_added, row) order, at most q->limit; *more tells whether
 * others follow. Arrays and strings in a. */
int lf_store_stix_query(lf_store *s, const lf_store_stix_q *q, lf_arena *a, lf_store_stix_hit **out, size_t *n,
                        bool *more, lf_err *err);
/* Delete every version q selects (limit and paging ignored); *deleted gets the count. */
int lf_store_stix_delete(lf_store *s, const lf_store_stix_q *q, size_t *deleted, lf_err *err);
/* Object versions in a collection (all, ignoring TLP). */
int lf_store_stix_count(lf_store *s, lf_id coll, uint64_t *n, lf_err *err);

/* The status resource of one POST. successes/failures/pendings are JSON arrays written by
 * the server ([{"id":..,"version":..,"message":..}]), kept as given. */
typedef struct lf_store_taxii_status {
    lf_id id;
    const char *uuid;                  /* the TAXII status id */
    lf_id root_id, coll_id;            /* coll_id 0 when loaded */
    lf_id org_id;                      /* who posted: the status is theirs; 0 when loaded */
    const char *status;                /* "complete" or "pending" */
    const char *request_timestamp;
    uint64_t total, success, failure, pending;
    const char *successes, *failures, *pendings;
    int64_t created;
} lf_store_taxii_status;
/* Create or replace (by uuid). */
int lf_store_taxii_status_put(lf_store *s, const lf_store_taxii_status *in, lf_err *err);
int lf_store_taxii_status_get(lf_store *s, lf_id root_id, const char *uuid, lf_arena *a, lf_store_taxii_status *out,
                              lf_err *err);

/* ---------------------------------------------------------------- sources (schema 6): what a
 * finding rests on, the statements that suppress one, and the matcher's items of a snapshot */

/* One item of a snapshot as the matcher takes it (server/scan.h), kept with the upload so
 * a feed update re-matches the stored snapshot without re-reading the file. rec numbers
 * the inventory record (the rows of one record are consecutive): its pkg row, when there
 * is one, is the package CPE its distribution's advisories would name (a twin once the
 * index has advisories for it), the others its resolved upstream CPEs. */
typedef struct lf_store_scan_item {
    const char *host;
    long rec, line;
    bool pkg;
    const char *cpe;
} lf_store_scan_item;
/* Add to a PENDING upload (LF_EINVAL otherwise); deleted with the upload's items when it is
 * superseded. */
int lf_store_scan_items_add(lf_store *s, lf_id upload_id, const lf_store_scan_item *v, size_t n, lf_err *err);
/* Every row of an upload in insertion order; strings valid during the call only; fn
 * returning non-zero stops the walk and is returned. fn may call the store. */
typedef int (*lf_store_scan_item_fn)(void *ud, const lf_store_scan_item *it);
int lf_store_scan_items_each(lf_store *s, lf_id upload_id, lf_store_scan_item_fn fn, void *ud, lf_err *err);

/* The sources of findings (host, cve) of an agency: a JSON array written by the server,
 * kept as given. A (host, cve) without a finding is skipped (LF_OK). */
typedef struct lf_store_fsources {
    const char *host, *cve, *sources_json;
} lf_store_fsources;
int lf_store_finding_sources_set(lf_store *s, lf_id agency_id, const lf_store_fsources *v, size_t n, lf_err *err);
/* *json: the finding's sources, or NULL when none were recorded. LF_ENOTFOUND: no finding. */
int lf_store_finding_sources_get(lf_store *s, lf_id finding_id, lf_arena *a, const char **json, lf_err *err);

/* A (host, cve) the matcher hit but an authoritative not-affected statement (a vendor's
 * CSAF advisory, a distribution's advisory) outweighs: no finding is opened, and this
 * record says why, so nothing is silently dropped. Replaced per agency by each full run. */
typedef struct lf_store_not_affected {
    lf_id id, agency_id, upload_id;
    const char *host, *cve, *cpe;
    const char *source, *record;       /* the statement: "csaf", "RHSA-2024:1234" */
    const char *sources_json;          /* every source's verdict, as for a finding */
    int64_t created;
} lf_store_not_affected;
/* Remove the agency's records (a full run starts afresh) / add n (upload_id may be 0). */
int lf_store_not_affected_clear(lf_store *s, lf_id agency_id, lf_err *err);
int lf_store_not_affected_add(lf_store *s, lf_id agency_id, lf_id upload_id, const lf_store_not_affected *v,
                              size_t n, lf_err *err);
/* The agency's records, host and cve NULL = any, paged in id order. */
int lf_store_not_affected_list(lf_store *s, lf_id agency_id, const char *host, const char *cve, lf_store_page *pg,
                               lf_arena *a, lf_store_not_affected **out, size_t *n, lf_err *err);

/* Every agency's current snapshot: the CURRENT upload of its latest month with one, in
 * agency order (what a re-match after a feed update works on). Array in a. */
typedef struct lf_store_snapshot_ref {
    lf_id agency_id, upload_id;
    char month[8];
} lf_store_snapshot_ref;
int lf_store_snapshots_latest(lf_store *s, lf_arena *a, lf_store_snapshot_ref **out, size_t *n, lf_err *err);

/* ---------------------------------------------------------------- ISAC-DISPATCH (schema 7): approved
 * indicators per sharing group, blocklist fetches, shared/received counters
 *
 * An approval puts one STIX indicator (the latest version the store holds, by stix_id)
 * on a sharing group's blocklists until it expires or is revoked. The simple indicators
 * its pattern yields (isac/stixpat.h, only those that alone match the whole pattern) are
 * stored with it, so building a list is one scan and no pattern is parsed at fetch time.
 * The approval keeps the object's TLP view (effective level, adding organisation, RED
 * recipients, the collection's group), which the list query applies to every fetcher
 * exactly as a TAXII read would (docs/design.md, "ISAC dispatch").
 */

/* The indicator an approval would take: the latest version of stix_id (highest version
 * key, then latest date_added) among the store's collections. */
typedef struct lf_store_isac_ind {
    lf_id object_id, coll_id, coll_group;   /* coll_group 0: the collection has none */
    const char *stix_id, *type;
    int tlp;                           /* effective: the object's, else the collection's default */
    lf_id added_by;                    /* 0: loaded or pulled */
    const char *recipients;            /* ",12,34," or NULL */
    const char *created_by_ref, *valid_until;
    bool revoked;
    const char *json;
    size_t json_len;
} lf_store_isac_ind;
/* LF_ENOTFOUND when no collection holds stix_id. */
int lf_store_isac_ind_find(lf_store *s, const char *stix_id, lf_arena *a, lf_store_isac_ind *out, lf_err *err);

/* One simple indicator of an approval; kind is an lf_bl_type (isac/blocklist.h). */
typedef struct lf_store_isac_ioc {
    int kind;
    const char *value;
} lf_store_isac_ioc;

typedef struct lf_store_isac_approval {
    lf_id id;
    lf_id group_id;
    const lf_store_isac_ind *ind;      /* in (approve): the indicator taken */
    const char *stix_id;               /* out */
    lf_id object_id;                   /* out */
    int tlp;                           /* out */
    const char *source;                /* who reported it: created_by_ref, named in Suricata msg */
    int64_t expires;                   /* Unix seconds, required */
    lf_id approved_by;                 /* user, 0 for the system */
    const char *approver;              /* login */
    lf_id approver_org;
    int64_t created;                   /* out: last (re)approval */
    int64_t revoked_at;                /* out: 0 = active */
    const char *revoked_by;            /* out */
    uint64_t niocs;                    /* out */
} lf_store_isac_approval;
/* Approve (or re-approve: same group and stix_id updates the version, expiry and simple
 * indicators, and clears a revocation) in one transaction. *id_out may be NULL. */
int lf_store_isac_approve(lf_store *s, const lf_store_isac_approval *in, const lf_store_isac_ioc *iocs, size_t n,
                          lf_id *id_out, lf_err *err);
int lf_store_isac_approval_get(lf_store *s, lf_id id, lf_arena *a, lf_store_isac_approval *out, lf_err *err);
/* Revoke an active approval: LF_ENOTFOUND when absent or already revoked. */
int lf_store_isac_revoke(lf_store *s, lf_id id, const char *by, lf_err *err);
/* Approvals of a group (0 = every group), in id order; active_only: neither revoked nor
 * expired at now. */
int lf_store_isac_approval_list(lf_store *s, lf_id group, bool active_only, int64_t now, lf_store_page *pg,
                                lf_arena *a, lf_store_isac_approval **out, size_t *n, lf_err *err);

/* One simple indicator of the group's active approvals that fetcher may see; strings are
 * valid during the call only. A non-zero return stops the walk and is returned. */
typedef struct lf_store_isac_bl_row {
    const char *stix_id, *source, *value;
    int kind, tlp;
    int64_t expires;
} lf_store_isac_bl_row;
typedef int (*lf_store_isac_bl_fn)(void *ud, const lf_store_isac_bl_row *r);
/* Rows of kinds kind_lo..kind_hi of group's approvals with expires > now visible to
 * organisation fetcher under the TLP view (fetcher is assumed a member of the group: the
 * caller checks), by kind then value (the generator sorts anyway). Read from the list
 * rows kept at approval and revocation (schema 8): only the kinds asked for are read. */
int lf_store_isac_bl_each(lf_store *s, lf_id group, lf_id fetcher, int64_t now, int kind_lo, int kind_hi,
                          lf_store_isac_bl_fn fn, void *ud, lf_err *err);
/* The group's change counter: it moves whenever an approval of the group is written,
 * revoked or deleted (0: never approved). Read it before the rows: a list built after
 * reading it is current for that value until the earliest expiry among its rows. */
int lf_store_isac_bl_stamp(lf_store *s, lf_id group, uint64_t *changes, lf_err *err);

/* A blocklist fetch (every one is logged). */
typedef struct lf_store_isac_fetch {
    lf_id id, group_id, org_id;        /* org: the fetching agency (the token's or user's) */
    lf_id token_id, user_id;
    const char *org_code, *org_name;   /* out */
    const char *list;                  /* "ip.txt", ... */
    const char *version;               /* the list version served (the ETag's value) */
    int status;                        /* 200 or 304 */
    int64_t at;                        /* out (the store clock) */
    uint64_t count;                    /* out: fetches of this list by this org */
} lf_store_isac_fetch;
int lf_store_isac_fetch_log(lf_store *s, const lf_store_isac_fetch *in, lf_err *err);
/* The latest fetch of each (organisation, list) of a group, organisations within scope,
 * ordered by organisation then list. Array in a. */
int lf_store_isac_fetch_latest(lf_store *s, lf_id group, lf_id scope, lf_arena *a, lf_store_isac_fetch **out,
                               size_t *n, lf_err *err);

/* Counters of intelligence shared and received per county and year. Shared: object
 * versions an organisation POSTed (stix_objects.added_by, by date_added) plus counted
 * events; received: counted events (objects read over TAXII, pulled for an org). */
typedef enum { LF_ISAC_SHARED = 0, LF_ISAC_RECEIVED = 1 } lf_isac_count_kind;
int lf_store_isac_count_add(lf_store *s, lf_id org, int year, lf_isac_count_kind kind, uint64_t n, lf_err *err);
typedef struct lf_store_isac_counter {
    lf_id org_id;
    const char *code, *name_en, *name_zh;
    uint64_t shared, received;
} lf_store_isac_counter;
/* One row per county within scope; when scope is a county or an agency, one row for scope
 * itself (its own subtree). year 1970..9999. Array in a. */
int lf_store_isac_counters(lf_store *s, lf_id scope, int year, lf_arena *a, lf_store_isac_counter **out, size_t *n,
                           lf_err *err);

/* ---- MATCHSCOPE (schema 9): re-matching only what a feed update changed.
 * A run begun with full = false that matched the snapshot against the CVEs of a list (the
 * hits of other CVEs left out) ends with lf_store_match_end_cves: the agency's findings of
 * those CVEs that the run did not hit are fixed (confirmed), exactly as a full run does
 * for every CVE; findings of other CVEs are left alone. An empty list fixes nothing.
 * LF_EINVAL for a full run. */
int lf_store_match_end_cves(lf_store *s, lf_id run, const char *const *cves, size_t n, lf_store_match_summary *sum,
                            lf_err *err);
/* Remove the agency's not-affected records of the listed CVEs (the scoped counterpart of
 * lf_store_not_affected_clear; the run re-adds the ones that still hold). */
int lf_store_not_affected_clear_cves(lf_store *s, lf_id agency_id, const char *const *cves, size_t n, lf_err *err);

/* ---------------------------------------------------------------- SOURCES (schema 12)
 *
 * A finding's sources text (lf_store_hit.sources_json) is stored once per distinct text and
 * shared by the findings with the same text (hosts with the same software). A text no
 * finding refers to any more (its findings were refreshed with a newer index, or deleted)
 * stays until this removes it; the server calls it after each re-match of all snapshots.
 * *removed (may be NULL) gets the count. */
int lf_store_sources_gc(lf_store *s, uint64_t *removed, lf_err *err);

/* ---------------------------------------------------------------- EPSS refresh
 *
 * EPSS scores change every day, a CVE's findings only when it is re-matched: after a new
 * score file the server sets every stored finding's score to the file's (fn: true with the
 * score of a CVE, false for a CVE without one, whose findings get none), in one
 * transaction. Only findings whose score differs are written; *changed (may be NULL) gets
 * their count. No audit row: a score is data of the feed, not a change of the finding's
 * lifecycle (the match runs refresh it the same way). */
typedef bool (*lf_store_score_fn)(void *ud, const char *cve, double *score);
/* agency_id: that agency's findings only (one transaction each, so a caller can refresh
 * a large store agency by agency, letting other writers in between), 0 = all findings. */
int lf_store_findings_epss_refresh(lf_store *s, lf_id agency_id, lf_store_score_fn fn, void *ud, uint64_t *changed,
                                   lf_err *err);
/* The caller's name for the score file the findings hold (the server's: inode, size and
 * mtime), set once every agency is refreshed, so that a restart can tell whether they
 * already hold the file it finds; "" when none was set. */
int lf_store_epss_applied(lf_store *s, char *out, size_t n, lf_err *err);
int lf_store_epss_applied_set(lf_store *s, const char *applied, lf_err *err);

#endif
