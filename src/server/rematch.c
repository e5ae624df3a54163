/*
 * rematch: index reload after a feed update and the re-match of every agency's current
 * snapshot; the store side of matching a group set, which uploads share (see rematch.h).
 */
#include "server/rematch.h"
#include "server/scheduler.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/file.h"
#include "core/strmap.h"
#include "server/server_int.h"
#include "vans/cvss.h"

/* Handlers outside the work mutex (the advisory page) may read an index just swapped
 * out; closing it this long afterwards leaves them ample time. */
#define RETIRE_GRACE_SECONDS 300
#define MAX_RETIRED 64

typedef struct retired {
    lf_vdb *vdb;
    lf_epss *epss;
    time_t at;
} retired;

typedef struct file_id {
    bool present;
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
} file_id;

struct lf_rematch {
    lf_server *s;
    /* EPSS: the file s->epss was opened from (epss_loaded, once known: the server opened
     * one before this existed), and the one whose scores the stored findings hold
     * (epss_seen, once refreshed: not known at start, as the file may have changed while
     * the server was down) */
    file_id epss_loaded, epss_seen;
    bool epss_known, epss_refreshed;
    char epss_ident[128];        /* names the file of epss_loaded (epss_ident()): what the store keeps */
    char *index_path, *epss_path, *dict_dir, *cpedict_path, *purlidx_path;
    char changed_path[4200];
    unsigned poll_seconds;
    pthread_mutex_t reload_mu;   /* one reload at a time; guards seen, pending, the retired list */
    file_id seen;                /* the index file as it was when last opened */
    /* the change set of a re-match that failed partway (a full disk, say): the index it was
     * computed for is in place, so the next poll re-decides it again instead of seeing "no
     * change" and leaving the later agencies' findings of those CVEs stale */
    struct vchange *pending;
    retired old[MAX_RETIRED];
    size_t nold;
    pthread_t thread;
    bool have_thread, stop;
    pthread_mutex_t mu;          /* guards stop and the run counters below */
    pthread_cond_t cond;
    /* re-match runs since start, for /metrics (lf_rematch_metrics): a run is one pass over
     * the snapshots (rematch_snapshots), from the poll, the reload endpoint or a retry */
    uint64_t runs_ok, runs_failed;
    double run_seconds;          /* summed over every run */
    double last_seconds;         /* the latest run's */
    int64_t last_ok_at;          /* store time the latest successful run ended; 0 before one */
};

static file_id file_id_of(const char *path)
{
    file_id f;
    memset(&f, 0, sizeof f);
    struct stat st;
    if (path && stat(path, &st) == 0) {
        f.present = true;
        f.dev = st.st_dev;
        f.ino = st.st_ino;
        f.size = st.st_size;
        f.mtime = st.st_mtim;
    }
    return f;
}

static bool file_id_eq(const file_id *a, const file_id *b)
{
    return a->present == b->present && a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
           a->mtime.tv_sec == b->mtime.tv_sec && a->mtime.tv_nsec == b->mtime.tv_nsec;
}

void lf_rematch_today(lf_server *s, char out[11])
{
    lf_sched_today(lf_store_now(s->store), out);   /* one definition of Taiwan's day */
}

/* ---------------------------------------------------------------- storing a group set */

static lf_fkind fkind_of(lf_hit_kind k)
{
    return k == LF_HIT_MATCH ? LF_FKIND_MATCH : k == LF_HIT_REVIEW ? LF_FKIND_REVIEW : LF_FKIND_UNANALYSED;
}

static const char *verdict_text(lf_verdict v)
{
    const char *n = lf_verdict_name(v);
    return n ? n : "unknown";
}

/* The finding's sources as stored with it and shown by GET /findings/{id}/sources: every
 * document's verdict, the suppressing statement, the deciding criterion, and the digest of
 * the index it was computed against (the same inventory and digest give the same answer).
 * Numbers without printf (lf_buf_put_u64, lf_buf_put_hex64): the text is built for every
 * hit of a run (~1 KB each), and the format parsing was a twentieth of a large upload. */
static int sources_json(lf_buf *b, const lf_finding *f, uint64_t digest)
{
    lf_buf_puts(b, "{\"snapshot\":\"");
    lf_buf_put_hex64(b, digest);
    lf_buf_puts(b, "\",\"kind\":\"");
    lf_buf_puts(b, f->kind == LF_HIT_MATCH ? "affected" : f->kind == LF_HIT_REVIEW ? "needs_review" : "not_yet_analysed");
    lf_buf_puts(b, "\",\"confidence\":");
    lf_server_jstr(b, f->confidence);
    lf_buf_puts(b, ",\"reason\":");
    lf_server_jstr(b, f->reason);
    lf_buf_puts(b, ",\"why\":{\"source\":");
    lf_server_jstr(b, lf_source_name(f->doc.source));
    lf_buf_puts(b, ",\"record\":");
    lf_server_jstr(b, f->doc.doc_id);
    lf_buf_puts(b, ",\"record_modified\":");
    lf_server_jstr(b, f->doc.modified);
    if (f->has_crit) {
        lf_buf_puts(b, ",\"configuration\":");
        lf_buf_put_u64(b, f->config);
        lf_buf_puts(b, ",\"node\":");
        lf_buf_put_u64(b, f->crit.node_ordinal);
        lf_buf_puts(b, ",\"criterion\":");
        lf_server_jstr(b, f->crit.cpe);
        lf_buf_puts(b, ",\"version_start\":");
        lf_server_jstr(b, f->crit.start);
        lf_buf_puts(b, f->crit.start_incl ? ",\"start_including\":true,\"version_end\":"
                                          : ",\"start_including\":false,\"version_end\":");
        lf_server_jstr(b, f->crit.end);
        lf_buf_puts(b, f->crit.end_incl ? ",\"end_including\":true" : ",\"end_including\":false");
    }
    lf_buf_puts(b, "},\"suppressed_by\":");
    if (f->suppressed && f->suppressed_by) {
        lf_buf_puts(b, "{\"source\":");
        lf_server_jstr(b, lf_source_name(f->suppressed_by->source));
        lf_buf_puts(b, ",\"record\":");
        lf_server_jstr(b, f->suppressed_by->doc_id);
        lf_buf_puts(b, "}");
    } else {
        lf_buf_puts(b, "null");
    }
    lf_buf_puts(b, ",\"sources\":[");
    for (size_t i = 0; i < f->nsource; i++) {
        const lf_finding_source *src = &f->sources[i];
        lf_buf_puts(b, i ? ",{\"source\":" : "{\"source\":");
        lf_server_jstr(b, lf_source_name(src->source));
        lf_buf_puts(b, ",\"rank\":");
        lf_buf_put_u64(b, (uint64_t)lf_source_rank(src->source));   /* 0..3 */
        lf_buf_puts(b, ",\"verdict\":\"");
        lf_buf_puts(b, verdict_text(src->verdict));
        lf_buf_puts(b, "\",\"record\":");
        lf_server_jstr(b, src->doc_id);
        lf_buf_puts(b, ",\"record_modified\":");
        lf_server_jstr(b, src->modified);
        if (src->has_crit) {
            lf_buf_puts(b, ",\"criterion\":");
            lf_server_jstr(b, src->crit.cpe);
        }
        lf_buf_puts(b, "}");
    }
    return lf_buf_puts(b, "]}");
}

/* Hits of several hosts given to the store at once (per-call costs paid once per batch),
 * inside the caller's transaction without a savepoint per batch (lf_store_match_add_batch_tx:
 * a savepoint copies every page it first touches). Strings the hits borrow from the
 * per-host arena (sources JSON, due dates) are copied to `keep`, which lives until the
 * flush. */
#define STORE_BATCH_HITS 32768
typedef struct pend {
    lf_store_hit *hits;
    lf_store_not_affected *na;
    size_t nh, nn, caph, capn;
    lf_arena keep;
    /* the batch's distinct sources texts: hosts with the same software have the same
     * texts, and one copy per batch lets the store recognise a repeat by its pointer
     * instead of hashing and comparing ~1 KB it has not read yet (lf_store_hit) */
    lf_strmap texts;
} pend;

/* The batch's copy of text (len bytes, NUL-terminated), made if it has none; NULL when
 * out of memory. The key includes the NUL, so the copy is a C string. */
static const char *pend_text(pend *p, const char *text, size_t len)
{
    lf_strmap_slot *slot;
    bool existing;
    if (lf_strmap_put(&p->texts, &p->keep, text, len + 1, 0, &slot, &existing))
        return NULL;
    return slot->k;
}

static int pend_room(pend *p, size_t n)
{
    if (p->nh + n > p->caph) {
        size_t nc = p->caph ? p->caph : 1024;
        while (nc < p->nh + n)
            nc *= 2;
        lf_store_hit *h = realloc(p->hits, nc * sizeof *h);
        if (!h)
            return LF_ENOMEM;
        p->hits = h;
        p->caph = nc;
    }
    if (p->nn + n > p->capn) {
        size_t nc = p->capn ? p->capn : 256;
        while (nc < p->nn + n)
            nc *= 2;
        lf_store_not_affected *na = realloc(p->na, nc * sizeof *na);
        if (!na)
            return LF_ENOMEM;
        p->na = na;
        p->capn = nc;
    }
    return LF_OK;
}

static int pend_flush(lf_server *s, lf_id agency, lf_id upload_id, lf_id run, pend *p, lf_err *err)
{
    int rc = LF_OK;
    /* no savepoint per batch: both callers roll the whole run back on an error */
    if (p->nh && (rc = lf_store_match_add_batch_tx(s->store, run, p->hits, p->nh, err)))
        return rc;
    if (p->nn && (rc = lf_store_not_affected_add(s->store, agency, upload_id, p->na, p->nn, err)))
        return rc;
    p->nh = p->nn = 0;
    lf_strmap_reset(&p->texts);
    lf_arena_reset(&p->keep);
    return LF_OK;
}

/* Match host i of g into p (its hits and not-affected records); counts into *c. */
static int scan_into(lf_server *s, const lf_scan_groups *g, size_t i, const uint8_t *only, const char *today,
                     lf_arena *a, lf_buf *sb, pend *p, lf_rematch_counts *c, lf_err *err)
{
    lf_arena_reset(a);
    lf_inv_host h;
    lf_scan_group_host(g, i, &h);
    c->hosts++;
    c->items += h.nitems;
    lf_finding *fs;
    size_t n;
    lf_scan_counts sc = {0};
    int rc = lf_scan_host(s->vdb, s->m, s->epss, &h, true, g->h[i].it.superseded, only, false, a, &fs, &n, &sc, err);
    if (rc)
        return rc;
    c->upstream_matches_superseded += sc.superseded;
    if (!n)
        return LF_OK;
    if (pend_room(p, n))
        return lf_err_set(err, LF_ENOMEM, "out of memory matching host %s", h.name);
    lf_store_hit *hits = p->hits + p->nh;
    lf_store_not_affected *na = p->na + p->nn;
    size_t nh = 0, nn = 0;
    /* the host's name and the items' CPEs too are copied into the batch (see below):
     * they were written during intake, all over the heap */
    char *hname = lf_arena_strdup(&p->keep, h.name);
    const char *prev_item = NULL;
    char *item = NULL;
    if (!hname)
        return lf_err_set(err, LF_ENOMEM, "out of memory matching host %s", h.name);
    for (size_t k = 0; k < n; k++) {
        const lf_finding *f = &fs[k];
        lf_buf_reset(sb);
        const char *js = NULL;
        if (sources_json(sb, f, s->vdb_digest) || !sb->data || !(js = pend_text(p, sb->data, sb->len)))
            return lf_err_set(err, LF_ENOMEM, "out of memory matching host %s", h.name);
        if (f->suppressed) {
            /* not an open finding: the record says which statement outweighed it */
            lf_store_not_affected *r = &na[nn++];
            memset(r, 0, sizeof *r);
            r->host = h.name;
            r->cve = f->vuln_id;
            r->cpe = f->item;
            r->source = f->suppressed_by ? lf_source_name(f->suppressed_by->source) : "unknown";
            r->record = f->suppressed_by ? f->suppressed_by->doc_id : NULL;
            r->sources_json = js;
            continue;
        }
        /* the programme's deadline, counted from today in Taiwan (UTC+8): the notice
         * date of a finding this hit creates (the store ignores both for known ones) */
        char *due = NULL;
        char dbuf[11];
        double score = f->has_cvss ? f->cvss->score10 / 10.0 : -1;
        if (lf_deadline_due(&s->deadline, today, score, f->kev, f->kev ? f->kev_entry.due_date : NULL, dbuf) &&
            !(due = lf_arena_strdup(&p->keep, dbuf)))
            return lf_err_set(err, LF_ENOMEM, "out of memory matching host %s", h.name);
        double ep = f->has_epss ? f->epss : -1;
        /* the CVE id and KEV due date are copied next to the batch's other strings: read
         * in place, the writer's every column fetch was a random access into the mapped
         * index (TLB and cache misses on the thread that bounds an upload: 11 % of its
         * samples were strlen in the vtable's column, perf); here they are hot */
        if (f->item != prev_item && !(item = lf_arena_strdup(&p->keep, f->item)))
            return lf_err_set(err, LF_ENOMEM, "out of memory matching host %s", h.name);
        prev_item = f->item;
        char *cve = lf_arena_strdup(&p->keep, f->vuln_id);
        char *kdue = f->kev && f->kev_entry.due_date ? lf_arena_strdup(&p->keep, f->kev_entry.due_date) : NULL;
        if (!cve || (f->kev && f->kev_entry.due_date && !kdue))
            return lf_err_set(err, LF_ENOMEM, "out of memory matching host %s", h.name);
        hits[nh++] = (lf_store_hit){hname,
                                    cve,
                                    item,
                                    fkind_of(f->kind),
                                    score,
                                    f->has_cvss ? lf_cvss_version_name(f->cvss->version) : NULL,
                                    f->has_cvss ? lf_cvss_severity_name(f->cvss->severity) : NULL,
                                    f->kev,
                                    kdue,
                                    ep,
                                    today,
                                    due,
                                    js};
    }
    c->findings += nh;
    c->suppressed_not_affected += nn;
    p->nh += nh;
    p->nn += nn;
    return LF_OK;
}

/* Matching and writing overlap: a second thread matches the hosts into one batch while
 * the caller's thread writes the other (the store's connection and transaction belong to
 * the caller). The matcher, the index and the arena are the producer's alone meanwhile:
 * the caller holds the work mutex for both. */
typedef struct scan_pipe {
    lf_server *s;
    const lf_scan_groups *g;
    const uint8_t *only;
    const char *today;
    lf_arena *a;
    pend buf[2];
    bool ready[2];               /* buf[k] is filled and waits for the writer */
    bool finished;               /* the producer is done (rc says how) */
    bool stop;                   /* the writer failed: the producer stops */
    int rc;                      /* the producer's */
    lf_err err;
    lf_rematch_counts c;         /* the producer's counts */
    pthread_mutex_t mu;
    pthread_cond_t cv;
} scan_pipe;

static void *scan_main(void *arg)
{
    scan_pipe *q = arg;
    lf_buf sb;
    lf_buf_init(&sb, 0);
    int rc = LF_OK, k = 0;
    double t0 = lf_clock_mono();
    for (size_t i = 0; i < q->g->n && !rc; i++) {
        pthread_mutex_lock(&q->mu);
        bool stop = q->stop;         /* cancelled before the writer began (lf_rematch_pipe_cancel) */
        pthread_mutex_unlock(&q->mu);
        if (stop) {
            rc = LF_EIO;
            break;
        }
        rc = scan_into(q->s, q->g, i, q->only, q->today, q->a, &sb, &q->buf[k], &q->c, &q->err);
        if (rc || q->buf[k].nh < STORE_BATCH_HITS)
            continue;
        /* hand the batch over; wait until the writer has emptied the other one */
        pthread_mutex_lock(&q->mu);
        q->ready[k] = true;
        pthread_cond_broadcast(&q->cv);
        k ^= 1;
        double w = lf_clock_mono();
        while (q->ready[k] && !q->stop)
            pthread_cond_wait(&q->cv, &q->mu);
        t0 += lf_clock_mono() - w;   /* waiting for the writer is not matching */
        if (q->stop)
            rc = LF_EIO;             /* not reported: the writer's error is */
        pthread_mutex_unlock(&q->mu);
    }
    q->c.scan_seconds = lf_clock_mono() - t0;
    pthread_mutex_lock(&q->mu);
    if (!rc)
        q->ready[k] = true;          /* the last batch, perhaps empty */
    q->rc = rc;
    q->finished = true;
    pthread_cond_broadcast(&q->cv);
    pthread_mutex_unlock(&q->mu);
    lf_buf_clear(&sb);
    return NULL;
}

static void counts_add(lf_rematch_counts *c, const lf_rematch_counts *d)
{
    c->hosts += d->hosts;
    c->items += d->items;
    c->findings += d->findings;
    c->suppressed_not_affected += d->suppressed_not_affected;
    c->upstream_matches_superseded += d->upstream_matches_superseded;
    c->scan_seconds += d->scan_seconds;
}

struct lf_rematch_pipe {
    scan_pipe q;
    pthread_t th;
    bool threaded;               /* the producer runs on th; else matching and writing take turns */
};

int lf_rematch_pipe_start(lf_server *s, const lf_scan_groups *g, const uint8_t *only, const char *today,
                          lf_arena *a, lf_rematch_pipe **out, lf_err *err)
{
    *out = NULL;
    if (!s->m)
        return LF_OK;
    lf_rematch_pipe *p = calloc(1, sizeof *p);
    if (!p)
        return lf_err_set(err, LF_ENOMEM, "out of memory starting the match");
    scan_pipe *q = &p->q;
    q->s = s;
    q->g = g;
    q->only = only;
    q->today = today;
    q->a = a;
    lf_err_clear(&q->err);
    for (int k = 0; k < 2; k++)
        lf_arena_init(&q->buf[k].keep, 1 << 20);
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->cv, NULL);
    /* configured so (match.overlap = false), or no thread to spare: match and write in
     * turn on the caller's thread, in lf_rematch_pipe_store */
    p->threaded = !s->match_in_turn && pthread_create(&p->th, NULL, scan_main, q) == 0;
    *out = p;
    return LF_OK;
}

void lf_rematch_pipe_cancel(lf_rematch_pipe *p)
{
    if (!p)
        return;
    scan_pipe *q = &p->q;
    if (p->threaded) {
        pthread_mutex_lock(&q->mu);
        q->stop = true;
        pthread_cond_broadcast(&q->cv);
        pthread_mutex_unlock(&q->mu);
        pthread_join(p->th, NULL);
    }
    pthread_cond_destroy(&q->cv);
    pthread_mutex_destroy(&q->mu);
    for (int k = 0; k < 2; k++) {
        lf_strmap_clear(&q->buf[k].texts);
        lf_arena_clear(&q->buf[k].keep);
        free(q->buf[k].hits);
        free(q->buf[k].na);
    }
    free(p);
}

int lf_rematch_pipe_store(lf_rematch_pipe *p, lf_server *s, lf_id agency, lf_id upload_id, lf_id run, bool full,
                          lf_rematch_counts *c, lf_err *err)
{
    int rc = LF_OK;
    if (full && (rc = lf_store_not_affected_clear(s->store, agency, err))) {
        lf_rematch_pipe_cancel(p);
        return rc;
    }
    if (!p)
        return LF_OK;
    scan_pipe *q = &p->q;
    const lf_scan_groups *g = q->g;
    c->distribution_packages += g->distro_items;
    if (!p->threaded) {
        lf_buf sb;
        lf_buf_init(&sb, 0);
        double t0 = lf_clock_mono();
        for (size_t i = 0; i < g->n && !rc; i++) {
            rc = scan_into(s, g, i, q->only, q->today, q->a, &sb, &q->buf[0], &q->c, err);
            if (rc || (q->buf[0].nh < STORE_BATCH_HITS && i + 1 < g->n))
                continue;
            double t1 = lf_clock_mono();
            q->c.scan_seconds += t1 - t0;
            rc = pend_flush(s, agency, upload_id, run, &q->buf[0], err);
            t0 = lf_clock_mono();
            c->store_seconds += t0 - t1;
        }
        lf_buf_clear(&sb);
        counts_add(c, &q->c);
        lf_rematch_pipe_cancel(p);
        return rc;
    }
    /* the writer: the batches in the order they were filled; the one taken is the last
     * when the producer has finished and the other is not waiting */
    for (int k = 0;; k ^= 1) {
        pthread_mutex_lock(&q->mu);
        while (!q->ready[k] && !q->finished)
            pthread_cond_wait(&q->cv, &q->mu);
        bool have = q->ready[k], last = q->finished && !q->ready[k ^ 1];
        pthread_mutex_unlock(&q->mu);
        if (!have)
            break;                   /* the producer failed: its error is reported below */
        double t1 = lf_clock_mono();
        rc = pend_flush(s, agency, upload_id, run, &q->buf[k], err);
        c->store_seconds += lf_clock_mono() - t1;
        pthread_mutex_lock(&q->mu);
        q->ready[k] = false;
        q->stop = rc != LF_OK;
        pthread_cond_broadcast(&q->cv);
        pthread_mutex_unlock(&q->mu);
        if (rc || last)
            break;
    }
    pthread_join(p->th, NULL);
    p->threaded = false;
    if (!rc && q->rc) {
        rc = q->rc;
        *err = q->err;
    }
    counts_add(c, &q->c);
    lf_rematch_pipe_cancel(p);
    return rc;
}

int lf_rematch_store_groups(lf_server *s, lf_id agency, lf_id upload_id, lf_id run, bool full,
                            const lf_scan_groups *g, const uint8_t *only, const char *today, lf_arena *a,
                            lf_rematch_counts *c, lf_err *err)
{
    lf_rematch_pipe *p = NULL;
    int rc = lf_rematch_pipe_start(s, g, only, today, a, &p, err);
    if (rc)
        return rc;
    return lf_rematch_pipe_store(p, s, agency, upload_id, run, full, c, err);
}

/* ---------------------------------------------------------------- re-matching snapshots */

/* Stored rows come record by record: the package row (if any) first, then the upstream
 * CPEs. A record is added once complete, with its twin decided against the index now
 * loaded (an advisory imported since the upload makes a package a twin). */
#define REC_MAX_UP 8
typedef struct rd_ctx {
    lf_server *s;
    lf_scan_groups *g;
    bool open;
    long rec, line;
    char host[1100];
    bool has_pkg;
    lf_cpe pkg;
    char up[REC_MAX_UP][LF_CPE_MAX + 1];
    int nup;
} rd_ctx;

static int rd_flush(rd_ctx *r)
{
    if (!r->open)
        return LF_OK;
    r->open = false;
    bool twin = r->has_pkg && r->s->vdb && lf_vdb_has_product(r->s->vdb, &r->pkg);
    const char *also[REC_MAX_UP];
    for (int i = 1; i < r->nup; i++)
        also[i - 1] = r->up[i];
    return lf_scan_groups_add(r->g, r->host, r->line, twin ? &r->pkg : NULL, r->nup ? r->up[0] : NULL, also,
                              r->nup > 1 ? r->nup - 1 : 0);
}

static int rd_row(void *ud, const lf_store_scan_item *it)
{
    rd_ctx *r = ud;
    int rc;
    if (r->open && (it->rec != r->rec || strcmp(it->host, r->host) || r->nup == REC_MAX_UP) && (rc = rd_flush(r)))
        return rc;
    if (!r->open) {
        r->open = true;
        r->rec = it->rec;
        r->line = it->line;
        snprintf(r->host, sizeof r->host, "%s", it->host);
        r->has_pkg = false;
        r->nup = 0;
    }
    if (it->pkg) {
        r->has_pkg = lf_cpe_parse(&r->pkg, it->cpe, strlen(it->cpe), NULL) == LF_OK;
    } else if (strlen(it->cpe) <= LF_CPE_MAX) {
        memcpy(r->up[r->nup], it->cpe, strlen(it->cpe) + 1);
        r->nup++;
    }
    return LF_OK;
}

/* ---------------------------------------------------------------- what a feed update changed */

/* The vulnerabilities whose findings can differ between two indexes: a document added,
 * removed or replaced (the index keys documents by source and id and replaces one only by a
 * newer `modified`, so an unchanged (source, id, modified) is an unchanged document), or
 * a KEV entry added, removed or changed. A hit depends on its vulnerability's documents
 * and the item alone (match.h), so the other vulnerabilities' findings stay as they are.
 * Two things change hits across vulnerabilities and make the re-match whole: package
 * products appearing or vanishing (they decide which records are matched as distribution
 * packages, server/scan.h), and more than a quarter of the vulnerabilities changing (a
 * first import: comparing saves nothing). */
typedef struct vchange {
    lf_arena a;
    lf_strmap set;               /* changed vuln ids (value: position in list) */
    const char **list;
    size_t n, cap;
    uint8_t *bits;               /* the same set over the new index's vuln indexes (lf_scan_host) */
    bool whole;
    char why[160];               /* when whole */
} vchange;

static void vchange_clear(vchange *v)
{
    lf_strmap_clear(&v->set);
    free(v->list);
    free(v->bits);
    lf_arena_clear(&v->a);
    memset(v, 0, sizeof *v);
}

static int vchange_add(vchange *v, const char *id)
{
    size_t len = strlen(id);
    if (lf_strmap_find(&v->set, id, len))
        return LF_OK;
    if (v->n == v->cap) {
        size_t nc = v->cap ? v->cap * 2 : 256;
        const char **nl = realloc(v->list, nc * sizeof *nl);
        if (!nl)
            return LF_ENOMEM;
        v->list = nl;
        v->cap = nc;
    }
    lf_strmap_slot *slot;
    bool existing;
    if (lf_strmap_put(&v->set, &v->a, id, len, (uint32_t)v->n, &slot, &existing))
        return LF_ENOMEM;
    v->list[v->n++] = slot->k;
    return LF_OK;
}

static bool same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}

static bool kev_same(const lf_vdb *o, const lf_vdb *n, const char *cve)
{
    lf_vkev t1, t2;
    const lf_vkev *a = lf_vdb_kev(o, cve, &t1), *b = lf_vdb_kev(n, cve, &t2);
    if (!a || !b)
        return !a && !b;
    return same_str(a->date_added, b->date_added) && same_str(a->due_date, b->due_date) &&
           same_str(a->required_action, b->required_action) && same_str(a->ransomware, b->ransomware);
}

/* "<source byte><doc id>\x1f<modified>" */
static int doc_key(lf_buf *b, const lf_vdoc *d)
{
    lf_buf_reset(b);
    lf_buf_putc(b, (char)('A' + (int)d->source));
    lf_buf_puts(b, d->doc_id ? d->doc_id : "");
    lf_buf_putc(b, '\x1f');
    return lf_buf_puts(b, d->modified ? d->modified : "");
}

static int package_products(const lf_vdb *db, lf_arena *a, lf_strmap *m)
{
    for (size_t i = 0, n = lf_vdb_nproducts(db); i < n; i++) {
        const char *p = lf_vdb_product(db, i);
        if (p && p[0] == 'p' && p[1] == ':') {
            lf_strmap_slot *slot;
            bool ex;
            if (lf_strmap_put(m, a, p, strlen(p), 0, &slot, &ex))
                return LF_ENOMEM;
        }
    }
    return LF_OK;
}

static int changed_vulns(const lf_vdb *old, const lf_vdb *nw, vchange *v, lf_err *err)
{
    memset(v, 0, sizeof *v);
    lf_arena_init(&v->a, 1 << 16);
    if (!old) {
        v->whole = true;
        snprintf(v->why, sizeof v->why, "no index was loaded before");
        return LF_OK;
    }
    lf_arena ka;
    lf_arena_init(&ka, 1 << 20);
    lf_strmap docs, po, pn;
    memset(&docs, 0, sizeof docs);
    memset(&po, 0, sizeof po);
    memset(&pn, 0, sizeof pn);
    lf_buf b;
    lf_buf_init(&b, 0);
    int rc = LF_OK;
    lf_vdoc d;
    size_t nold = lf_vdb_ndocs(old), nnew = lf_vdb_ndocs(nw);
    /* package products first: when they differ nothing else needs comparing */
    if (package_products(old, &ka, &po) || package_products(nw, &ka, &pn))
        goto oom;
    bool pkg_same = po.n == pn.n;
    for (size_t i = 0; pkg_same && i < po.cap; i++)
        if (po.s[i].k && !lf_strmap_find(&pn, po.s[i].k, po.s[i].n))
            pkg_same = false;
    if (!pkg_same) {
        v->whole = true;
        snprintf(v->why, sizeof v->why, "package products changed (%zu before, %zu now)", po.n, pn.n);
        goto done;
    }
    for (size_t i = 0; i < nold; i++) {
        lf_strmap_slot *slot;
        bool ex;
        if (lf_vdb_doc_head(old, i, &d) || !d.vuln_id)
            continue;
        if (doc_key(&b, &d) || lf_strmap_put(&docs, &ka, b.data, b.len, (uint32_t)i, &slot, &ex))
            goto oom;
    }
    /* each old document found again is marked (bit 31), the rest were removed or replaced */
    for (size_t i = 0; i < nnew; i++) {
        if (lf_vdb_doc_head(nw, i, &d) || !d.vuln_id)
            continue;
        if (doc_key(&b, &d))
            goto oom;
        lf_strmap_slot *slot = lf_strmap_find(&docs, b.data, b.len);
        if (slot)
            slot->v |= UINT32_C(0x80000000);
        else if (vchange_add(v, d.vuln_id))
            goto oom;
        if (!kev_same(old, nw, d.vuln_id) && vchange_add(v, d.vuln_id))
            goto oom;
    }
    for (size_t i = 0; i < docs.cap; i++) {
        if (!docs.s[i].k || (docs.s[i].v & UINT32_C(0x80000000)))
            continue;
        if (!lf_vdb_doc_head(old, docs.s[i].v, &d) && d.vuln_id && vchange_add(v, d.vuln_id))
            goto oom;
    }
    lf_vdb_stats st;
    lf_vdb_get_stats(nw, &st);
    if (v->n > st.vulns / 4 + 64) {
        v->whole = true;
        snprintf(v->why, sizeof v->why, "%zu of %zu vulnerabilities changed", v->n, st.vulns);
        goto done;
    }
    /* hits name vulns by index: a bit per index spares a string lookup per hit */
    if (!(v->bits = calloc(st.vulns / 8 + 1, 1)))
        goto oom;
    for (size_t i = 0; i < st.vulns; i++) {
        const char *id = lf_vdb_vuln_id(nw, (uint32_t)i);
        if (id && lf_strmap_find(&v->set, id, strlen(id)))
            v->bits[i >> 3] |= (uint8_t)(1u << (i & 7));
    }
    goto done;
oom:
    rc = lf_err_set(err, LF_ENOMEM, "out of memory comparing the indexes");
done:
    lf_buf_clear(&b);
    lf_strmap_clear(&docs);
    lf_strmap_clear(&po);
    lf_strmap_clear(&pn);
    lf_arena_clear(&ka);
    return rc;
}

/* ---------------------------------------------------------------- re-matching one snapshot */

/* scope NULL or whole: a full run; else only the findings of scope's CVEs are re-decided. */
static int rematch_one(lf_server *s, const lf_store_snapshot_ref *snap, const vchange *scope, const char *today,
                       lf_arena *a, lf_rematch_report *rep, lf_err *err)
{
    bool scoped = scope && !scope->whole;
    lf_scan_groups g;
    lf_scan_groups_init(&g);
    int rc;
    bool in_tx = false;
    pthread_mutex_lock(&s->work);
    if ((rc = lf_store_begin(s->store, err)))
        goto done;
    in_tx = true;
    /* an upload of the agency may have replaced the snapshot since the list was read:
     * its own run matched it already, and this one's items are gone */
    lf_store_upload up;
    lf_arena_reset(a);
    if ((rc = lf_store_upload_get(s->store, snap->upload_id, a, &up, err)))
        goto done;
    if (up.status != LF_UPLOAD_CURRENT) {
        rep->skipped++;
        goto done;
    }
    rd_ctx r;
    memset(&r, 0, sizeof r);
    r.s = s;
    r.g = &g;
    if ((rc = lf_store_scan_items_each(s->store, snap->upload_id, rd_row, &r, err)) || (rc = rd_flush(&r)))
        goto done;
    lf_id run;
    lf_store_match_summary sum;
    lf_rematch_counts c;
    memset(&c, 0, sizeof c);
    const char *const *cves = scoped ? scope->list : NULL;
    size_t ncves = scoped ? scope->n : 0;
    if (scoped && (rc = lf_store_not_affected_clear_cves(s->store, snap->agency_id, cves, ncves, err)))
        goto done;
    if ((rc = lf_store_match_begin(s->store, snap->agency_id, snap->upload_id, !scoped, &run, err)) ||
        (rc = lf_rematch_store_groups(s, snap->agency_id, snap->upload_id, run, !scoped, &g,
                                      scoped ? scope->bits : NULL, today, a, &c, err)) ||
        (rc = scoped ? lf_store_match_end_cves(s->store, run, cves, ncves, &sum, err)
                     : lf_store_match_end(s->store, run, &sum, err)))
        goto done;
    if ((rc = lf_store_commit(s->store, err)))
        goto done;
    in_tx = false;
    rep->agencies++;
    rep->c.hosts += c.hosts;
    rep->c.items += c.items;
    rep->c.findings += c.findings;
    rep->c.suppressed_not_affected += c.suppressed_not_affected;
    rep->c.upstream_matches_superseded += c.upstream_matches_superseded;
    rep->c.distribution_packages += c.distribution_packages;
    rep->c.sum.hits += sum.hits;
    rep->c.sum.new_findings += sum.new_findings;
    rep->c.sum.seen += sum.seen;
    rep->c.sum.reopened += sum.reopened;
    rep->c.sum.suppressed += sum.suppressed;
    rep->c.sum.fixed += sum.fixed;
    rep->c.sum.confirmed += sum.confirmed;
done:
    if (in_tx)
        lf_store_rollback(s->store);
    pthread_mutex_unlock(&s->work);
    lf_scan_groups_clear(&g);
    return rc;
}

/* One run for /metrics: its outcome, its seconds (the clean-up of source texts included:
 * it is part of the job) and, when it succeeded, the store time it ended. r NULL: a server
 * without the reloader counts nothing. */
static void count_run(lf_rematch *r, bool ok, double seconds, int64_t now)
{
    if (!r)
        return;
    pthread_mutex_lock(&r->mu);
    if (ok) {
        r->runs_ok++;
        r->last_ok_at = now;
    } else {
        r->runs_failed++;
    }
    r->run_seconds += seconds;
    r->last_seconds = seconds;
    pthread_mutex_unlock(&r->mu);
}

static int rematch_snapshots(lf_server *s, const vchange *scope, lf_rematch_report *rep, lf_err *err)
{
    if (!s->m)
        return LF_OK;   /* no index: nothing to match against */
    lf_arena la, a;
    lf_arena_init(&la, 4096);
    lf_arena_init(&a, 1 << 16);
    lf_store_snapshot_ref *snaps;
    size_t n;
    char today[11];
    lf_rematch_today(s, today);
    double t0 = lf_clock_mono();
    int rc = lf_store_snapshots_latest(s->store, &la, &snaps, &n, err);
    for (size_t i = 0; !rc && i < n; i++)
        rc = rematch_one(s, &snaps[i], scope, today, &a, rep, err);
    rep->match_seconds += lf_clock_mono() - t0;
    if (!rc) {
        rep->rematched = true;
        /* the runs re-pointed findings at texts with the new index's digest: the old ones
         * go (a failure here loses nothing but space, so it is logged, not returned) */
        lf_err ge;
        lf_err_clear(&ge);
        if (lf_store_sources_gc(s->store, &rep->sources_removed, &ge))
            lf_server_logf(s, "finding sources clean-up: %s", ge.msg);
    }
    count_run(s->rematch, rc == LF_OK, lf_clock_mono() - t0, lf_store_now(s->store));
    lf_arena_clear(&a);
    lf_arena_clear(&la);
    return rc;
}

int lf_rematch_all(lf_server *s, lf_rematch_report *rep, lf_err *err)
{
    snprintf(rep->scope_why, sizeof rep->scope_why, "a full re-match was asked for");
    return rematch_snapshots(s, NULL, rep, err);
}

/* ---------------------------------------------------------------- reload */

static void close_retired(lf_rematch *r, bool all)
{
    time_t now = time(NULL);
    size_t k = 0;
    for (size_t i = 0; i < r->nold; i++) {
        if (all || now - r->old[i].at >= RETIRE_GRACE_SECONDS) {
            lf_epss_close(r->old[i].epss);
            lf_vdb_close(r->old[i].vdb);
        } else {
            r->old[k++] = r->old[i];
        }
    }
    r->nold = k;
}

/* The changed-id list of feed sync: renamed away first so that a sync writing meanwhile
 * starts a new file (nvd_sync.h), then counted and removed. */
static uint64_t take_changed(lf_rematch *r)
{
    char taken[4300];
    snprintf(taken, sizeof taken, "%s.taken-%ld", r->changed_path, (long)getpid());
    if (rename(r->changed_path, taken) != 0)
        return 0;
    uint64_t n = 0;
    FILE *f = fopen(taken, "r");
    if (f) {
        int ch, last = '\n';
        while ((ch = getc(f)) != EOF) {
            if (ch == '\n' && last != '\n')
                n++;
            last = ch;
        }
        if (last != '\n')
            n++;
        fclose(f);
    }
    unlink(taken);
    return n;
}

static bool epss_score(void *ud, const char *cve, double *score)
{
    double pct;
    return lf_epss_lookup(ud, cve, score, &pct);
}

/* What names a score file in the store: its inode, size and modification time. An
 * import writes a new file and renames it over the old one, so every import is a new
 * name (a re-import of the same scores costs one needless refresh; model and date alone
 * would miss a corrected file of the same day). */
static void epss_ident(const file_id *f, char *out, size_t n)
{
    if (!f->present)
        snprintf(out, n, "none");
    else
        snprintf(out, n, "%llu|%lld|%lld.%09ld", (unsigned long long)f->ino, (long long)f->size,
                 (long long)f->mtime.tv_sec, (long)f->mtime.tv_nsec);
}

/* A new EPSS file (FIRST scores every CVE daily; `feed import epss` replaces the file)
 * changes findings that no re-match touches, since a scoped re-match re-decides only the
 * changed CVEs. Two steps, each retried by the next poll until it succeeds:
 *   open     the file is not the one s->epss was opened from: open it (stat first, so a
 *            file replaced meanwhile is seen as new again) and swap it in; a file that is
 *            there but cannot be read keeps the old scores (an error, not "no scores");
 *   refresh  the findings do not hold that file's scores: set every stored finding's
 *            score to it, under the work mutex so no upload writes other scores meanwhile.
 * Under reload_mu. */
static int epss_reload(lf_server *s, lf_rematch *r, lf_rematch_report *rep, lf_err *err)
{
    if (!r->epss_path)
        return LF_OK;
    double t0 = lf_clock_mono();
    file_id now = file_id_of(r->epss_path);
    if (!r->epss_known || !file_id_eq(&now, &r->epss_loaded)) {
        lf_epss *e = NULL;
        int orc = now.present ? lf_epss_open(r->epss_path, &e, err) : LF_OK;
        if (orc)
            return orc;
        if (r->nold == MAX_RETIRED)
            close_retired(r, true);
        pthread_mutex_lock(&s->work);
        lf_epss *old = s->epss;
        s->epss = e;
        pthread_mutex_unlock(&s->work);
        if (old)
            r->old[r->nold++] = (retired){NULL, old, time(NULL)};
        r->epss_loaded = now;
        r->epss_known = true;
        epss_ident(&now, r->epss_ident, sizeof r->epss_ident);
    }
    if (r->epss_refreshed && file_id_eq(&r->epss_seen, &r->epss_loaded))
        return LF_OK;
    if (!r->epss_refreshed) {
        /* the first time since the start: the findings may hold these scores already (the
         * store keeps what the last refresh applied, in the refresh's transaction) */
        char applied[sizeof r->epss_ident];
        lf_err ge;
        lf_err_clear(&ge);
        if (lf_store_epss_applied(s->store, applied, sizeof applied, &ge) == LF_OK &&
            !strcmp(applied, r->epss_ident)) {
            r->epss_seen = r->epss_loaded;
            r->epss_refreshed = true;
            return LF_OK;
        }
    }
    /* agency by agency, each its own transaction under the work mutex: an upload waits
     * for one agency's findings, not for all of them (0.75 s at 322k; a national store
     * holds tens of millions); the file's name is kept once every agency is done */
    uint64_t changed = 0;
    int rc = LF_OK;
    lf_arena a;
    lf_arena_init(&a, 1 << 16);
    lf_store_page pg = {500, 0, 0, false};
    do {
        lf_store_org *v = NULL;
        size_t n = 0;
        lf_arena_reset(&a);
        if (!s->national) {
            /* no root org known (a store without the seed): all findings at once */
            pthread_mutex_lock(&s->work);
            rc = lf_store_findings_epss_refresh(s->store, 0, epss_score, s->epss, &changed, err);
            pthread_mutex_unlock(&s->work);
            break;
        }
        if ((rc = lf_store_org_agencies(s->store, s->national, &pg, &a, &v, &n, err)))
            break;
        for (size_t i = 0; i < n && !rc; i++) {
            uint64_t k = 0;
            pthread_mutex_lock(&s->work);
            rc = lf_store_findings_epss_refresh(s->store, v[i].id, epss_score, s->epss, &k, err);
            pthread_mutex_unlock(&s->work);
            changed += k;
        }
        pg.after = pg.next;
    } while (!rc && pg.more);
    lf_arena_clear(&a);
    if (!rc)
        rc = lf_store_epss_applied_set(s->store, r->epss_ident, err);
    if (rc)
        return rc;
    r->epss_seen = r->epss_loaded;
    r->epss_refreshed = true;
    rep->epss_reloaded = true;
    rep->epss_changed = changed;
    rep->epss_seconds = lf_clock_mono() - t0;
    return LF_OK;
}

int lf_rematch_reload(lf_server *s, bool force, lf_rematch_report *rep, lf_err *err)
{
    memset(rep, 0, sizeof *rep);
    lf_rematch *r = s->rematch;
    if (!r)
        return lf_err_set(err, LF_EUSAGE, "the server watches no index file");
    pthread_mutex_lock(&r->reload_mu);
    /* stat before opening: if the file is replaced again in between, the next check sees
     * a newer file and reloads once more, never the other way round */
    file_id now = file_id_of(r->index_path);
    int rc = LF_OK;
    lf_vdb *vdb = NULL;
    lf_matcher *m = NULL;
    lf_intake *ik = NULL;
    lf_epss *epss = NULL;
    vchange vc;
    memset(&vc, 0, sizeof vc);
    bool have_vc = false;
    if ((!force && file_id_eq(&now, &r->seen)) || !now.present) {
        if (s->vdb) {
            lf_vdb_stats st;
            lf_vdb_get_stats(s->vdb, &st);
            rep->digest = st.digest;
            snprintf(rep->built, sizeof rep->built, "%s", st.built);
        }
        if (r->pending) {
            /* the same index as the failed re-match: its change set is still right */
            rep->retried = true;
            rep->scoped = !r->pending->whole;
            rep->changed_vulns = r->pending->n;
            snprintf(rep->scope_why, sizeof rep->scope_why, "%s", r->pending->whole ? r->pending->why : "");
            if (!(rc = rematch_snapshots(s, r->pending->whole ? NULL : r->pending, rep, err))) {
                vchange_clear(r->pending);
                free(r->pending);
                r->pending = NULL;
            } else {
                rep->will_retry = true;
            }
        }
        lf_err eerr;
        lf_err_clear(&eerr);
        if (epss_reload(s, r, rep, &eerr)) {
            if (rc)
                lf_server_logf(s, "EPSS refresh: %s (tried again at the next poll)", eerr.msg);
            else
                rc = lf_err_set(err, eerr.code, "%s", eerr.msg);
        }
        goto done;
    }
    double t0 = lf_clock_mono();
    if ((rc = lf_vdb_open(r->index_path, &vdb, err)) || (rc = lf_matcher_new(vdb, &m, err)))
        goto done;
    lf_intake_config ic = {r->dict_dir, r->cpedict_path, vdb, NULL, NULL, r->purlidx_path};
    if ((rc = lf_intake_new(&ic, &ik, err)))
        goto done;
    /* EPSS beside the index: stat first (a file replaced after this is seen as new by
     * epss_reload); a file that is there but cannot be read keeps the old scores */
    file_id epss_id = file_id_of(r->epss_path);
    bool epss_swap = r->epss_path != NULL;
    if (epss_swap && epss_id.present) {
        lf_err ee;
        lf_err_clear(&ee);
        if (lf_epss_open(r->epss_path, &epss, &ee)) {
            lf_server_logf(s, "EPSS scores at %s could not be read (the old scores stay): %s", r->epss_path, ee.msg);
            epss = NULL;
            epss_swap = false;
        }
    }
    double t1 = lf_clock_mono();
    rep->open_seconds = t1 - t0;
    /* s->vdb is only replaced here, under reload_mu: reading it unlocked is safe */
    if (force) {
        vc.whole = true;
        snprintf(vc.why, sizeof vc.why, "a full re-match was asked for (force)");
    } else if (r->pending) {
        /* the failed set was computed over the index this one replaces: not comparable */
        vc.whole = true;
        snprintf(vc.why, sizeof vc.why, "the re-match after the previous update did not finish");
    } else if ((rc = changed_vulns(s->vdb, vdb, &vc, err))) {
        goto done;
    }
    if (r->pending) {
        vchange_clear(r->pending);
        free(r->pending);
        r->pending = NULL;
    }
    have_vc = true;
    rep->compare_seconds = lf_clock_mono() - t1;
    lf_vdb_stats nst;
    lf_vdb_get_stats(vdb, &nst);
    uint64_t new_digest = nst.digest;
    if (r->nold == MAX_RETIRED)
        close_retired(r, true);   /* a reload storm: nothing that old can still be in use */
    /* the swap: an upload in flight holds the work mutex and finishes on the old set */
    pthread_mutex_lock(&s->work);
    lf_vdb *old_vdb = s->vdb;
    lf_epss *old_epss = epss_swap ? s->epss : NULL;
    lf_matcher *old_m = s->m;
    lf_intake *old_ik = s->ik;
    __atomic_store_n(&s->vdb, vdb, __ATOMIC_RELEASE);   /* lf_server_index_borrow */
    s->vdb_digest = new_digest;
    s->m = m;
    s->ik = ik;
    if (epss_swap)
        s->epss = epss;
    pthread_mutex_unlock(&s->work);
    if (epss_swap) {
        r->epss_loaded = epss_id;
        r->epss_known = true;
        epss_ident(&epss_id, r->epss_ident, sizeof r->epss_ident);
    }
    vdb = NULL;
    m = NULL;
    ik = NULL;
    epss = NULL;
    lf_matcher_free(old_m);
    lf_intake_free(old_ik);
    if (old_vdb || old_epss)
        r->old[r->nold++] = (retired){old_vdb, old_epss, time(NULL)};
    r->seen = now;
    rep->reloaded = true;
    lf_vdb_stats st;
    lf_vdb_get_stats(s->vdb, &st);
    rep->digest = st.digest;
    snprintf(rep->built, sizeof rep->built, "%s", st.built);
    rep->changed_ids = take_changed(r);
    rep->scoped = !vc.whole;
    rep->changed_vulns = vc.n;
    snprintf(rep->scope_why, sizeof rep->scope_why, "%s", vc.whole ? vc.why : "");
    if (!vc.whole && vc.n == 0)
        rep->rematched = true;   /* the same documents (a rebuilt index): no finding can differ */
    else if ((rc = rematch_snapshots(s, &vc, rep, err)) != LF_OK) {
        /* kept for the next poll (r->pending) */
        vchange *keep = malloc(sizeof *keep);
        if (keep) {
            *keep = vc;
            r->pending = keep;
            have_vc = false;
            rep->will_retry = true;
        }
    }
    /* the EPSS file opened with the index: the findings the re-match left get its scores */
    if (!rc)
        rc = epss_reload(s, r, rep, err);
done:
    if (have_vc)
        vchange_clear(&vc);
    lf_epss_close(epss);
    lf_intake_free(ik);
    lf_matcher_free(m);
    lf_vdb_close(vdb);
    close_retired(r, false);
    pthread_mutex_unlock(&r->reload_mu);
    return rc;
}

static void *poll_main(void *ud)
{
    lf_rematch *r = ud;
    pthread_mutex_lock(&r->mu);
    while (!r->stop) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += r->poll_seconds;
        while (!r->stop && pthread_cond_timedwait(&r->cond, &r->mu, &until) != ETIMEDOUT)
            ;
        if (r->stop)
            break;
        pthread_mutex_unlock(&r->mu);
        lf_rematch_report rep;
        lf_err err;
        lf_err_clear(&err);
        int rrc = lf_rematch_reload(r->s, false, &rep, &err);
        if (rep.epss_reloaded)
            lf_server_logf(r->s, "EPSS scores reloaded: %llu findings' scores changed in %.2f s",
                           (unsigned long long)rep.epss_changed, rep.epss_seconds);
        if (rrc)
            lf_server_logf(r->s, "index reload: %s%s", err.msg,
                           rep.will_retry ? " (the re-match is tried again at the next poll)" : "");
        else if (rep.retried)
            lf_server_logf(r->s,
                           "re-match after the last index reload, tried again: done in %.2f s, %llu new findings, "
                           "%llu fixed, %llu reopened",
                           rep.match_seconds, (unsigned long long)rep.c.sum.new_findings,
                           (unsigned long long)rep.c.sum.fixed, (unsigned long long)rep.c.sum.reopened);
        else if (rep.reloaded && rep.scoped)
            lf_server_logf(r->s,
                           "index reloaded (digest %016llx, %llu changed CVE ids): %llu vulnerabilities changed, "
                           "their findings re-decided in %llu snapshots in %.2f s, %llu new findings, %llu fixed, "
                           "%llu reopened",
                           (unsigned long long)rep.digest, (unsigned long long)rep.changed_ids,
                           (unsigned long long)rep.changed_vulns, (unsigned long long)rep.agencies,
                           rep.match_seconds, (unsigned long long)rep.c.sum.new_findings,
                           (unsigned long long)rep.c.sum.fixed, (unsigned long long)rep.c.sum.reopened);
        else if (rep.reloaded)
            lf_server_logf(r->s,
                           "index reloaded (digest %016llx, %llu changed CVE ids): %llu snapshots re-matched in "
                           "full (%s) in %.2f s, %llu new findings, %llu fixed, %llu reopened",
                           (unsigned long long)rep.digest, (unsigned long long)rep.changed_ids,
                           (unsigned long long)rep.agencies, rep.scope_why, rep.match_seconds,
                           (unsigned long long)rep.c.sum.new_findings, (unsigned long long)rep.c.sum.fixed,
                           (unsigned long long)rep.c.sum.reopened);
        pthread_mutex_lock(&r->mu);
    }
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

static char *dup_opt(const char *p, bool *oom)
{
    if (!p)
        return NULL;
    char *d = strdup(p);
    if (!d)
        *oom = true;
    return d;
}

int lf_rematch_new(lf_server *s, const lf_rematch_opts *o, lf_rematch **out, lf_err *err)
{
    *out = NULL;
    lf_rematch *r = calloc(1, sizeof *r);
    if (!r)
        return lf_err_set(err, LF_ENOMEM, "out of memory");
    r->s = s;
    bool oom = false;
    r->index_path = dup_opt(o->index_path, &oom);
    r->epss_path = dup_opt(o->epss_path, &oom);
    r->dict_dir = dup_opt(o->dict_dir, &oom);
    r->cpedict_path = dup_opt(o->cpedict_path, &oom);
    r->purlidx_path = dup_opt(o->purlidx_path, &oom);
    pthread_mutex_init(&r->reload_mu, NULL);
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->cond, NULL);
    if (oom) {
        lf_rematch_free(r);
        return lf_err_set(err, LF_ENOMEM, "out of memory");
    }
    if (r->index_path) {
        /* <data>/vulndb.lfx -> <data>/sync/nvd-changed.txt */
        const char *slash = strrchr(r->index_path, '/');
        int dl = slash ? (int)(slash - r->index_path) : 1;
        snprintf(r->changed_path, sizeof r->changed_path, "%.*s/sync/nvd-changed.txt", dl,
                 slash ? r->index_path : ".");
        if (s->vdb)
            r->seen = file_id_of(r->index_path);
        /* epss_known and epss_refreshed start false: the first reload (the first poll)
         * opens the EPSS file again and, unless the store says the findings hold that
         * file's scores, refreshes them: a file replaced while the server was down */
        r->poll_seconds = o->poll_seconds;
    }
    /* before the thread starts: its polls read the server's pointer (s->rematch is *out) */
    *out = r;
    if (r->poll_seconds && pthread_create(&r->thread, NULL, poll_main, r) == 0)
        r->have_thread = true;
    return LF_OK;
}

void lf_rematch_free(lf_rematch *r)
{
    if (!r)
        return;
    if (r->have_thread) {
        pthread_mutex_lock(&r->mu);
        r->stop = true;
        pthread_cond_signal(&r->cond);
        pthread_mutex_unlock(&r->mu);
        pthread_join(r->thread, NULL);
    }
    close_retired(r, true);
    if (r->pending) {
        vchange_clear(r->pending);
        free(r->pending);
    }
    pthread_cond_destroy(&r->cond);
    pthread_mutex_destroy(&r->mu);
    pthread_mutex_destroy(&r->reload_mu);
    free(r->index_path);
    free(r->epss_path);
    free(r->dict_dir);
    free(r->cpedict_path);
    free(r->purlidx_path);
    free(r);
}

/* ---------------------------------------------------------------- metrics */

/* The families look like the scheduler's jobs (lianfang_notify_job_seconds: a summary of
 * _sum and _count, and the time of the last run): re-matches are a few a day, too few for
 * the buckets of a histogram to say anything. */
int lf_rematch_metrics(lf_rematch *r, lf_buf *out)
{
    pthread_mutex_lock(&r->mu);
    uint64_t ok = r->runs_ok, failed = r->runs_failed;
    double sum = r->run_seconds, last = r->last_seconds;
    int64_t last_ok = r->last_ok_at;
    pthread_mutex_unlock(&r->mu);
    int rc = lf_http_metric_family(out, "lianfang_rematch_runs_total", "counter",
                                   "Re-matches of the current snapshots after a feed update, by result (since start).");
    if (!rc)
        rc = lf_http_metric_sample(out, "lianfang_rematch_runs_total", (const char *const[]){"result", "ok", NULL},
                                   (double)ok);
    if (!rc)
        rc = lf_http_metric_sample(out, "lianfang_rematch_runs_total",
                                   (const char *const[]){"result", "failed", NULL}, (double)failed);
    if (!rc)
        rc = lf_http_metric_family(out, "lianfang_rematch_seconds", "summary",
                                   "Time the re-matches took, summed over runs, failed ones included (since start).");
    if (!rc)
        rc = lf_http_metric_sample(out, "lianfang_rematch_seconds_sum", NULL, sum);
    if (!rc)
        rc = lf_http_metric_sample(out, "lianfang_rematch_seconds_count", NULL, (double)(ok + failed));
    if (!rc)
        rc = lf_http_metric_one(out, "lianfang_rematch_last_duration_seconds", "gauge",
                                "Time the latest re-match took; 0 before the first.", last);
    if (!rc)
        rc = lf_http_metric_one(out, "lianfang_rematch_last_success_timestamp_seconds", "gauge",
                                "When the latest successful re-match ended, in seconds since the Unix epoch; 0 "
                                "before the first.",
                                (double)last_ok);
    return rc;
}

/* ---------------------------------------------------------------- endpoints */

static void report_json(lf_buf *b, const lf_rematch_report *rep)
{
    lf_buf_printf(b, "{\"reloaded\":%s,\"rematched\":%s,\"retried\":%s,\"index\":{\"digest\":\"%016llx\",\"built\":",
                  rep->reloaded ? "true" : "false", rep->rematched ? "true" : "false", rep->retried ? "true" : "false",
                  (unsigned long long)rep->digest);
    lf_server_jstr(b, rep->built[0] ? rep->built : NULL);
    lf_buf_printf(b, "},\"scope\":\"%s\",\"changed_vulnerabilities\":%llu,\"full_because\":",
                  rep->scoped ? "changed" : "full", (unsigned long long)rep->changed_vulns);
    lf_server_jstr(b, rep->scoped || !rep->scope_why[0] ? NULL : rep->scope_why);
    lf_buf_printf(b, ",\"changed_ids\":%llu,\"agencies\":%llu,\"skipped\":%llu,\"hosts\":%llu,\"items\":%llu,"
                     "\"findings\":{\"hits\":%llu,\"new\":%llu,\"seen\":%llu,\"reopened\":%llu,\"suppressed\":%llu,"
                     "\"fixed\":%llu,\"confirmed\":%llu,\"suppressed_not_affected\":%llu,"
                     "\"upstream_matches_superseded\":%llu,\"distribution_packages\":%llu},"
                     "\"sources_removed\":%llu,\"epss\":{\"reloaded\":%s,\"findings_changed\":%llu,\"seconds\":%.3f},"
                     "\"open_seconds\":%.3f,\"compare_seconds\":%.3f,\"match_seconds\":%.3f}\n",
                  (unsigned long long)rep->changed_ids, (unsigned long long)rep->agencies,
                  (unsigned long long)rep->skipped, (unsigned long long)rep->c.hosts,
                  (unsigned long long)rep->c.items, (unsigned long long)rep->c.sum.hits,
                  (unsigned long long)rep->c.sum.new_findings, (unsigned long long)rep->c.sum.seen,
                  (unsigned long long)rep->c.sum.reopened, (unsigned long long)rep->c.sum.suppressed,
                  (unsigned long long)rep->c.sum.fixed, (unsigned long long)rep->c.sum.confirmed,
                  (unsigned long long)rep->c.suppressed_not_affected,
                  (unsigned long long)rep->c.upstream_matches_superseded,
                  (unsigned long long)rep->c.distribution_packages, (unsigned long long)rep->sources_removed,
                  rep->epss_reloaded ? "true" : "false", (unsigned long long)rep->epss_changed, rep->epss_seconds,
                  rep->open_seconds, rep->compare_seconds, rep->match_seconds);
}

/* POST /api/v1/admin/feeds/reload[?force=1]: national admins; answers when done. */
static int feeds_reload(void *app, lf_http_req *req, lf_http_resp *resp)
{
    lf_server *s = app;
    lf_caller c;
    if (!lf_server_auth(s, req, resp, 0, &c))
        return LF_OK;
    if (c.role != LF_ROLE_NATIONAL_ADMIN)
        return lf_http_json_error(resp, 403, "forbidden", "only a national admin may reload the feeds");
    const char *f = lf_http_req_query(req, "force");
    bool force = f && (!strcmp(f, "1") || !strcmp(f, "true"));
    lf_rematch_report rep;
    lf_err err;
    lf_err_clear(&err);
    if (lf_rematch_reload(s, force, &rep, &err)) {
        if (err.code == LF_EUSAGE)
            return lf_http_json_error(resp, 409, "conflict", err.msg);
        return lf_server_fail(s, resp, &err);
    }
    lf_buf *b = lf_http_resp_json(resp, 200);
    report_json(b, &rep);
    return LF_OK;
}

static void not_affected_json(lf_buf *b, const lf_store_not_affected *r)
{
    lf_buf_puts(b, "{\"id\":");
    lf_server_jid(b, r->id);
    lf_buf_puts(b, ",\"host\":");
    lf_server_jstr(b, r->host);
    lf_buf_puts(b, ",\"cve\":");
    lf_server_jstr(b, r->cve);
    lf_buf_puts(b, ",\"cpe\":");
    lf_server_jstr(b, r->cpe);
    lf_buf_puts(b, ",\"source\":");
    lf_server_jstr(b, r->source);
    lf_buf_puts(b, ",\"record\":");
    lf_server_jstr(b, r->record);
    lf_buf_puts(b, ",\"upload_id\":");
    lf_server_jid(b, r->upload_id);
    lf_buf_puts(b, ",\"recorded\":");
    lf_server_jtime(b, r->created);
    lf_buf_puts(b, ",\"detail\":");
    lf_buf_puts(b, r->sources_json && *r->sources_json ? r->sources_json : "null");
    lf_buf_putc(b, '}');
}

/* GET /api/v1/findings/{id}/sources: what the finding rests on (stored with it by the
 * last run that hit it) and any not-affected record of the same host and CVE. */
static int finding_sources(void *app, lf_http_req *req, lf_http_resp *resp)
{
    lf_server *s = app;
    lf_caller c;
    lf_store_finding f;
    if (!lf_server_auth(s, req, resp, 0, &c) || !lf_server_finding_of(s, req, resp, &c, &f))
        return LF_OK;
    lf_arena *a = lf_http_req_arena(req);
    lf_err err;
    lf_err_clear(&err);
    const char *js = NULL;
    lf_store_not_affected *na = NULL;
    size_t nn = 0;
    if (lf_store_finding_sources_get(s->store, f.id, a, &js, &err) ||
        lf_store_not_affected_list(s->store, f.agency_id, f.host, f.cve, NULL, a, &na, &nn, &err))
        return lf_server_fail(s, resp, &err);
    lf_buf *b = lf_http_resp_json(resp, 200);
    lf_buf_puts(b, "{\"finding_id\":");
    lf_server_jid(b, f.id);
    lf_buf_puts(b, ",\"cve\":");
    lf_server_jstr(b, f.cve);
    lf_buf_puts(b, ",\"detail\":");
    lf_buf_puts(b, js && *js ? js : "null");
    lf_buf_puts(b, ",\"not_affected\":[");
    for (size_t i = 0; i < nn; i++) {
        if (i)
            lf_buf_putc(b, ',');
        not_affected_json(b, &na[i]);
    }
    return lf_buf_puts(b, "]}\n");
}

/* GET /api/v1/agencies/{id}/not-affected?host&cve&limit&after: the hits a vendor's or
 * distribution's not-affected statement outweighed in the agency's last full run. */
static int agency_not_affected(void *app, lf_http_req *req, lf_http_resp *resp)
{
    lf_server *s = app;
    lf_caller c;
    lf_id agency;
    lf_store_page pg;
    if (!lf_server_auth(s, req, resp, 0, &c) || !lf_server_param_id(req, resp, "id", &agency) ||
        !lf_server_page(req, resp, &pg) || !lf_server_in_scope(s, resp, &c, agency))
        return LF_OK;
    const char *host = lf_http_req_query(req, "host");
    const char *cve = lf_http_req_query(req, "cve");
    lf_store_not_affected *v;
    size_t n;
    lf_err err;
    lf_err_clear(&err);
    if (lf_store_not_affected_list(s->store, agency, host && *host ? host : NULL, cve && *cve ? cve : NULL, &pg,
                                   lf_http_req_arena(req), &v, &n, &err))
        return lf_server_fail(s, resp, &err);
    lf_buf *b = lf_http_resp_json(resp, 200);
    lf_buf_puts(b, "{\"items\":[");
    for (size_t i = 0; i < n; i++) {
        if (i)
            lf_buf_putc(b, ',');
        not_affected_json(b, &v[i]);
    }
    lf_buf_putc(b, ']');
    lf_server_jpage_end(b, &pg);
    return LF_OK;
}

int lf_rematch_routes(lf_server *s, lf_http *h, lf_err *err)
{
    (void)s;
    int rc;
    if ((rc = lf_http_route(h, "POST", "/api/v1/admin/feeds/reload", feeds_reload, NULL, LF_HTTP_SLOW, err)) ||
        (rc = lf_http_route(h, "GET", "/api/v1/findings/{id}/sources", finding_sources, NULL, 0, err)) ||
        (rc = lf_http_route(h, "GET", "/api/v1/agencies/{id}/not-affected", agency_not_affected, NULL, 0, err)))
        return rc;
    return LF_OK;
}
