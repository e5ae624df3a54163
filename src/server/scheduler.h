/*
 * scheduler: the notice scheduler inside `lianfang serve` (issue 4, "Notices, reminders,
 * escalation"). A thread wakes every notify.interval and runs four jobs over the store,
 * then a send step; POST /api/v1/admin/scheduler/run runs the same once at a chosen time.
 *
 * Jobs (each a pure "what is due at time T" function below, over one agency's data):
 *   digest      findings of the agency not yet in a digest (open or measure filed, first
 *               seen by T): one digest per agency per run at most, none when nothing is new;
 *   upload      no CURRENT snapshot for T's month: from notify.remind_day to
 *               deadline.upload_day a reminder, after it an overdue notice; once per agency,
 *               month and stage (the key says so);
 *   deadline    open findings with a due date: "near" when 0..notify.near_days days are
 *               left, "past" once the date has gone by; once per finding per stage;
 *   escalation  findings notify.escalate_county_days (region: _region_days) past their due
 *               date go to the agency's county (region) contacts: one message per receiving
 *               unit and run, listing each agency; once per finding per level.
 * Day boundaries are Taiwan's (UTC+8, no daylight saving): T's "today" is the UTC+8 date.
 *
 * Idempotency. Every notice is written to the store's outbox (lf_store_notice_create) with
 * its rendered subject, bodies and webhook JSON, its per-channel deliveries and its
 * (finding, stage) marks, in one transaction, before anything is sent; the send step then
 * delivers what is pending and records each outcome. So a finished notice is never planned
 * again, and a restart never re-sends one marked sent. A notice whose send was cut off (the
 * process killed after the SMTP server took the message but before the store heard of it)
 * is sent again with the same Message-ID (mail.h: the ID is made from the key): delivery is
 * at least once, and a receiver can drop the duplicate by its Message-ID.
 *
 * Keys (at most 200 bytes; the Message-ID is "<lf." enc(key) "@domain>"):
 *   digest/<agency code>/<date>/f<first finding id>
 *   upload/<agency code>/<YYYY-MM>/reminder | overdue
 *   deadline/<agency code>/<date>/near|past/f<first finding id>
 *   escalation/<county|region code>/<date>/county|region/f<first finding id>
 * A finding is in one notice per stage, so the first finding id makes a key unique.
 *
 * Retries: a failed delivery is retried at the first run at or after
 * T + notify.retry_base * 2^(attempts-1), up to notify.max_attempts attempts; then it stays
 * failed, visible in GET /api/v1/admin/notices.
 *
 * Threads: lf_scheduler_run may be called from any thread; runs are serialised by a mutex.
 * The thread (lf_scheduler_start) is stopped and joined by lf_scheduler_free.
 * Ownership: lf_scheduler_new copies every string of the options; the store is borrowed and
 * must outlive the scheduler.
 */
#ifndef LF_SERVER_SCHEDULER_H
#define LF_SERVER_SCHEDULER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "server/deadline.h"
#include "store/store.h"

typedef struct lf_scheduler lf_scheduler;
typedef struct lf_server lf_server;

typedef struct lf_scheduler_opts {
    int64_t interval_s;              /* notify.interval; 0 = no automatic runs */
    int remind_day;                  /* notify.remind_day (7) */
    int near_days;                   /* notify.near_days (3) */
    int escalate_county_days;        /* notify.escalate_county_days (3) */
    int escalate_region_days;        /* notify.escalate_region_days (10) */
    unsigned max_attempts;           /* notify.max_attempts (5) */
    int64_t retry_base_s;            /* notify.retry_base (300) */
    const char *portal_url;          /* notify.portal_url, NULL/"" = none */
    lf_deadline_policy deadline;     /* upload_day */
    const char *smtp_url, *smtp_from, *smtp_user, *smtp_password;   /* url "" = no mail */
    long smtp_timeout_s;
    const char *webhook_url, *webhook_secret;                       /* url "" = no webhook */
    long webhook_timeout_s;
    void (*log)(void *ud, const char *msg);   /* may be NULL: stderr */
    void *log_ud;
} lf_scheduler_opts;

/* Defaults of every number above (strings NULL). */
void lf_scheduler_defaults(lf_scheduler_opts *o);

/* What one run did. */
typedef struct lf_scheduler_report {
    int64_t now;
    char today[11];
    unsigned digest, upload_reminder, upload_overdue, deadline_near, deadline_past;
    unsigned escalation_county, escalation_region;   /* notices recorded this run, by stage */
    unsigned skipped_no_channel;     /* due, but no contact (and no webhook): not recorded */
    unsigned risk_expired;           /* risk acceptances past their expiry, opened again */
    unsigned delivered, failed, retry;   /* delivery attempts: ok, failed for good, to retry */
} lf_scheduler_report;

int lf_scheduler_new(const lf_scheduler_opts *o, lf_store *store, lf_scheduler **out, lf_err *err);
/* Stops the thread (waiting for a run in progress) and frees. NULL-safe. */
void lf_scheduler_free(lf_scheduler *s);
/* Start the thread: first run one interval after start. Nothing when interval_s is 0. */
int lf_scheduler_start(lf_scheduler *s, lf_err *err);
/* Every job once at time now (Unix seconds), then the send step. rep may be NULL. */
int lf_scheduler_run(lf_scheduler *s, int64_t now, lf_scheduler_report *rep, lf_err *err);
/* The scheduler's /metrics families: delivery counters, job durations, notices by state. */
int lf_scheduler_metrics(lf_scheduler *s, lf_buf *out);

/* Create the scheduler of a server (its store) and start it; lf_server_free frees it. */
int lf_server_scheduler_start(lf_server *srv, const lf_scheduler_opts *o, lf_err *err);

/* ---- the pure parts: what is due when (tests call these directly) ---- */

/* The Taiwan (UTC+8) calendar date of Unix time t. */
void lf_sched_today(int64_t t, char out[11]);

typedef enum { LF_SCHED_UPLOAD_NONE = 0, LF_SCHED_UPLOAD_REMINDER, LF_SCHED_UPLOAD_OVERDUE } lf_sched_upload;
/* today "YYYY-MM-DD"; has_snapshot: the agency has a CURRENT upload for today's month. */
lf_sched_upload lf_sched_upload_due(const lf_scheduler_opts *o, const char *today, bool has_snapshot);

typedef enum { LF_SCHED_DL_NONE = 0, LF_SCHED_DL_NEAR, LF_SCHED_DL_PAST } lf_sched_dl;
/* Stage of a finding due on `due` (NULL = no deadline) seen on today; *late (may be NULL)
 * gets the days past due (negative: days left). */
lf_sched_dl lf_sched_deadline_due(const lf_scheduler_opts *o, const char *today, const char *due, long *late);

enum { LF_SCHED_ESC_COUNTY = 1u << 0, LF_SCHED_ESC_REGION = 1u << 1 };
/* Levels a finding due on `due` is escalated to on today (a bit set of LF_SCHED_ESC_*). */
unsigned lf_sched_escalation_due(const lf_scheduler_opts *o, const char *today, const char *due);

/* Seconds before retry number `attempts` (1 = after the first failure): base * 2^(n-1),
 * capped at one day. */
int64_t lf_sched_backoff(const lf_scheduler_opts *o, unsigned attempts);

/* One agency's findings and marks, as the jobs see them. */
typedef struct lf_sched_view {
    const lf_store_finding *findings;
    size_t nfindings;
    int64_t now;
    const char *today;
    /* ascending finding ids already marked, per stage */
    const lf_id *digested, *near, *past, *county, *region;
    size_t ndigested, nnear, npast, ncounty, nregion;
} lf_sched_view;

/* Indices into v->findings of what is due at each stage (caller's arrays of nfindings). */
typedef struct lf_sched_due {
    size_t *digest, *near, *past, *county, *region;
    size_t ndigest, nnear, npast, ncounty, nregion;
} lf_sched_due;

/* Fill d from v: open / measure-filed findings only; a finding already marked at a stage
 * is not due at it again; digest only findings first seen at or before v->now. */
void lf_sched_plan(const lf_scheduler_opts *o, const lf_sched_view *v, lf_sched_due *d);

/* Parse the admin "now": "YYYY-MM-DD" (00:00 Taiwan), "YYYY-MM-DDTHH:MM[:SS]" (Taiwan
 * time) or with "Z" / "+HH:MM" / "-HH:MM". false when malformed. */
bool lf_sched_parse_time(const char *s, int64_t *out);

#endif
