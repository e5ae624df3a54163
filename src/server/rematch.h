/*
 * rematch: the server's vulnerability data follows the feeds. Another process (`lianfang
 * feed import`, `feed sync`) rewrites the index file atomically (temp + rename); the server
 * notices (stat of device, inode, size and mtime on a timer, or POST
 * /api/v1/admin/feeds/reload by a national admin), opens the new index, matcher, intake
 * dictionaries and EPSS scores beside the old ones, swaps them in under the server's work
 * mutex (an upload in flight finishes on the old set), and re-matches every agency's
 * current snapshot (the CURRENT upload of its latest month, from the matcher items kept
 * with it: lf_store_scan_items_each).
 *
 * What is re-decided: the two indexes are compared first (documents by source, id and
 * modified; KEV entries), and only the findings of the vulnerabilities that differ are
 * re-decided: new findings (notice date today), refreshed ones, reopened ones, and fixed
 * ones for a host the changed record no longer matches. Everything else is left as the
 * last run wrote it, so a daily update of a few hundred CVEs writes a few hundred CVEs'
 * findings, not every agency's whole set. The re-match is full (as an upload's run) when
 * forced, on the first load, when package products appeared or vanished (they decide
 * which records match as distribution packages), or when more than a quarter of the
 * vulnerabilities changed. A scoped re-match does not refresh the EPSS score of findings
 * it leaves alone; the next upload or full re-match does.
 *
 * <data>/sync/nvd-changed.txt (feed sync's list of changed CVE ids) is taken (renamed
 * away, counted, removed) at each reload and the count reported; the comparison, not the
 * list, decides the scope (an index rebuilt by `feed import` has no list).
 *
 * Also the piece uploads and re-matches share: lf_rematch_store_groups matches the hosts
 * of a group set (server/scan.h) and writes hits, finding sources and not-affected records
 * into an open match run.
 *
 * Threads: one poll thread per server (LIANFANG_FEEDS_POLL seconds between checks,
 * default 60, 0 = no thread); reloads are serialised. Old indexes are closed a grace
 * period after they were swapped out (handlers that read the index without the work mutex
 * may still hold it), and at lf_rematch_free.
 */
#ifndef LF_SERVER_REMATCH_H
#define LF_SERVER_REMATCH_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "http/http.h"
#include "server/scan.h"
#include "server/server.h"
#include "store/store.h"

typedef struct lf_rematch lf_rematch;

/* Paths are copied. index_path NULL: nothing to watch (no thread, reload is LF_EUSAGE). */
typedef struct lf_rematch_opts {
    const char *index_path, *epss_path, *dict_dir, *cpedict_path, *purlidx_path;
    unsigned poll_seconds;       /* 0: no poll thread */
} lf_rematch_opts;

/* Remember the state of the index file now loaded in s and start the poll thread. The
 * server must be complete (its store, index, intake) before this call. */
int lf_rematch_new(lf_server *s, const lf_rematch_opts *o, lf_rematch **out, lf_err *err);
/* Stop the thread (waits for a reload in progress) and close retired indexes. NULL-safe. */
void lf_rematch_free(lf_rematch *r);

/* What one run of lf_rematch_store_groups (or a whole re-match) did. */
typedef struct lf_rematch_counts {
    uint64_t hosts, items, findings;            /* findings: hits stored (one per host x CVE x line) */
    uint64_t suppressed_not_affected;           /* hits a not-affected statement outweighed */
    uint64_t upstream_matches_superseded;       /* upstream hits on distribution packages */
    uint64_t distribution_packages;             /* items matched as distribution packages */
    lf_store_match_summary sum;                 /* the store's counts (new, seen, fixed ...) */
    double scan_seconds, store_seconds;         /* matching and building the hits; writing them */
} lf_rematch_counts;

/*
 * Match every host of g against the server's current index and write into run (inside
 * the caller's transaction, under the server's work mutex): the hits, each finding's
 * sources, and the not-affected records (the agency's earlier ones are replaced when
 * full). only: NULL, or the bit set of the vulnerabilities whose hits are kept (a scoped
 * re-match; lf_scan_host). today: "YYYY-MM-DD", the notice date of new findings. a: scratch, reset per host.
 * Counts are added to *c.
 */
int lf_rematch_store_groups(lf_server *s, lf_id agency, lf_id upload_id, lf_id run, bool full,
                            const lf_scan_groups *g, const uint8_t *only, const char *today, lf_arena *a,
                            lf_rematch_counts *c, lf_err *err);

/*
 * The same in two steps, so that matching starts before the caller's transaction is ready
 * (an upload stores its items meanwhile): _start begins matching g on a thread of its own
 * (g, only, today and a must stay valid and unchanged until _store or _cancel returns;
 * *out is NULL when no index is loaded); _store writes the hits into run as
 * lf_rematch_store_groups does, and ends the pipe whatever it returns; _cancel stops and
 * ends a pipe that will not be stored (NULL is fine).
 */
typedef struct lf_rematch_pipe lf_rematch_pipe;
int lf_rematch_pipe_start(lf_server *s, const lf_scan_groups *g, const uint8_t *only, const char *today,
                          lf_arena *a, lf_rematch_pipe **out, lf_err *err);
int lf_rematch_pipe_store(lf_rematch_pipe *p, lf_server *s, lf_id agency, lf_id upload_id, lf_id run, bool full,
                          lf_rematch_counts *c, lf_err *err);
void lf_rematch_pipe_cancel(lf_rematch_pipe *p);

typedef struct lf_rematch_report {
    bool reloaded;               /* a new index was opened and swapped in */
    bool rematched;              /* the snapshots were re-matched */
    uint64_t digest;             /* of the index now loaded (lf_vdb_stats) */
    char built[32];
    uint64_t changed_ids;        /* ids taken from nvd-changed.txt */
    bool scoped;                 /* only the changed vulnerabilities' findings were re-decided */
    uint64_t changed_vulns;      /* vulnerabilities that differ between the old and new index */
    char scope_why[160];         /* why the re-match was full, when it was */
    uint64_t agencies, skipped;  /* snapshots re-matched; skipped: replaced meanwhile */
    lf_rematch_counts c;
    uint64_t sources_removed;    /* finding-source texts no finding refers to any more, removed */
    bool retried;                /* the index is unchanged: a re-match that failed was run again */
    bool will_retry;             /* the re-match failed: the next poll runs it again */
    bool epss_reloaded;          /* a new EPSS file: opened, and every finding's score set to it */
    uint64_t epss_changed;       /* findings whose score that changed */
    double epss_seconds;         /* opening the file and refreshing the findings */
    double open_seconds, compare_seconds, match_seconds;
} lf_rematch_report;

/* Check the index file; when it changed (or force), reload and re-match every snapshot.
 * LF_OK with rep->reloaded false when nothing changed. */
int lf_rematch_reload(lf_server *s, bool force, lf_rematch_report *rep, lf_err *err);
/* Re-match every agency's current snapshot against the loaded index, fully. */
int lf_rematch_all(lf_server *s, lf_rematch_report *rep, lf_err *err);

/* "YYYY-MM-DD" today in Taiwan (UTC+8) by the store's clock. */
void lf_rematch_today(lf_server *s, char out[11]);

/* /metrics: re-match runs since start (lianfang_rematch_runs_total{result},
 * lianfang_rematch_seconds, lianfang_rematch_last_duration_seconds,
 * lianfang_rematch_last_success_timestamp_seconds). A run is one pass over every current
 * snapshot: a reload whose index holds the same documents, or a server without an index,
 * re-matches nothing and runs none. LF_OK or the buffer's error. */
int lf_rematch_metrics(lf_rematch *r, lf_buf *out);

/* POST /api/v1/admin/feeds/reload (national admin) and GET /api/v1/findings/{id}/sources. */
int lf_rematch_routes(lf_server *s, lf_http *h, lf_err *err);

#endif
