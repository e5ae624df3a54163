/*
 * nvd_sync: paging NVD's CVE API 2.0 by lastModified windows into the index, with a
 * state file that makes every page a resumable step (see nvd_sync.h).
 * API parameters: https://nvd.nist.gov/developers/vulnerabilities (lastModStartDate,
 * lastModEndDate, resultsPerPage, startIndex; the response's totalResults).
 */
#include "feeds/nvd_sync.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/file.h"
#include "core/json.h"
#include "feeds/nvd.h"
#include "vans/vulndb.h"

#define DAY_MS ((int64_t)86400 * 1000)
#define MAX_STATE_BYTES ((size_t)1 << 20)
#define MAX_PAGE_BYTES ((size_t)512 << 20)

typedef struct sync_state {
    char high_water[32];
    char run_start[32], run_end[32];
    char window_start[32];
    size_t next_index, total, pages_fetched, seq;
} sync_state;

typedef struct paths {
    char state[4200];
    char pages[4200];
    char changed[4200];
} paths;

static void copy_ts(char dst[32], const char *src)
{
    snprintf(dst, 32, "%s", src ? src : "");
}

/* ---- state file ---- */

static int state_load(const char *path, sync_state *s, lf_err *err)
{
    memset(s, 0, sizeof *s);
    if (!lf_file_exists(path))
        return LF_OK;
    char *data = NULL;
    size_t len = 0;
    int rc = lf_file_read(path, MAX_STATE_BYTES, &data, &len, err);
    if (rc)
        return rc;
    lf_arena a;
    lf_arena_init(&a, 0);
    lf_json *root = NULL;
    rc = lf_json_parse(&a, data, len, NULL, &root, err);
    if (rc || !lf_json_is(root, LF_JSON_OBJECT)) {
        lf_err_clear(err);
        lf_err_at(err, path, 0, 0, NULL);
        rc = lf_err_set(err, LF_ECORRUPT, "the NVD sync state is not readable JSON; remove it to start over");
        goto out;
    }
    const char *const names[] = {"high_water", "run_start", "run_end", "window_start"};
    char *const dsts[] = {s->high_water, s->run_start, s->run_end, s->window_start};
    for (size_t i = 0; i < 4; i++) {
        const char *v = lf_json_get_str(root, names[i]);
        int64_t ms;
        if (v && *v && lf_fetch_time_parse(v, &ms) != LF_OK) {
            lf_err_at(err, path, 0, 0, names[i]);
            rc = lf_err_set(err, LF_ECORRUPT, "'%s' is not a timestamp; remove the state to start over", v);
            goto out;
        }
        if (v && *v)
            lf_fetch_time_format(ms, dsts[i]);
    }
    const char *const nnames[] = {"next_index", "total", "pages_fetched", "seq"};
    size_t *const ndsts[] = {&s->next_index, &s->total, &s->pages_fetched, &s->seq};
    for (size_t i = 0; i < 4; i++) {
        double d = lf_json_num(lf_json_get(root, nnames[i]), 0);
        if (!(d >= 0 && d < 1e12)) {
            lf_err_at(err, path, 0, 0, nnames[i]);
            rc = lf_err_set(err, LF_ECORRUPT, "not a count; remove the state to start over");
            goto out;
        }
        *ndsts[i] = (size_t)d;
    }
    if (s->run_end[0] && (!s->run_start[0] || !s->window_start[0])) {
        lf_err_at(err, path, 0, 0, "run_end");
        rc = lf_err_set(err, LF_ECORRUPT, "a run without its start; remove the state to start over");
    }
out:
    lf_arena_clear(&a);
    free(data);
    return rc;
}

static int state_save(const char *path, const sync_state *s, lf_err *err)
{
    char text[1024];
    int n = snprintf(text, sizeof text,
                     "{\"version\":1,\"high_water\":\"%s\",\"run_start\":\"%s\",\"run_end\":\"%s\","
                     "\"window_start\":\"%s\",\"next_index\":%zu,\"total\":%zu,\"pages_fetched\":%zu,\"seq\":%zu}\n",
                     s->high_water, s->run_start, s->run_end, s->window_start, s->next_index, s->total,
                     s->pages_fetched, s->seq);
    return lf_fetch_save_file(path, text, (size_t)n, err);
}

/* ---- saved pages ---- */

typedef struct names {
    char **v;
    size_t n, cap;
} names;

static void names_clear(names *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

static int names_add(names *l, const char *s, size_t n)
{
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 64;
        char **nv = realloc(l->v, nc * sizeof *nv);
        if (!nv)
            return LF_ENOMEM;
        l->v = nv;
        l->cap = nc;
    }
    char *c = malloc(n + 1);
    if (!c)
        return LF_ENOMEM;
    memcpy(c, s, n);
    c[n] = '\0';
    l->v[l->n++] = c;
    return LF_OK;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* page-NNNNNN.json in the pages folder, in the order they were fetched. */
static int list_pages(const char *dir, names *out, lf_err *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return errno == ENOENT ? LF_OK : (lf_err_at(err, dir, 0, 0, NULL), lf_err_set(err, LF_EIO, "cannot list: %s", strerror(errno)));
    struct dirent *de;
    int rc = LF_OK;
    while (!rc && (de = readdir(d)) != NULL) {
        size_t n = strlen(de->d_name);
        if (n > 10 && !strncmp(de->d_name, "page-", 5) && !strcmp(de->d_name + n - 5, ".json"))
            rc = names_add(out, de->d_name, n);
    }
    closedir(d);
    if (rc)
        return lf_err_set(err, rc, "out of memory");
    if (out->n)
        qsort(out->v, out->n, sizeof *out->v, cmp_names);
    return LF_OK;
}

/* ---- import ---- */

typedef struct walk {
    lf_feed_ctx *ctx;
    const char *src;
    lf_arena *tmp;
    names *changed;
    lf_err *fatal;
} walk;

/* One record, as the NVD reader's own import does it, keeping the id when the index
 * changed because of it (the list the server re-matches). */
static int on_record(void *ud, const lf_json *elem, size_t index, long line)
{
    (void)index;
    walk *w = ud;
    lf_feed_ctx *c = w->ctx;
    c->report.records++;
    const lf_json *cve = lf_json_get(elem, "cve");
    if (!cve)
        cve = elem;
    lf_vdoc doc;
    bool rejected = false;
    lf_err e;
    lf_err_clear(&e);
    lf_arena_reset(w->tmp);
    int rc = lf_nvd_doc_from_json(c, w->src, line, cve, w->tmp, &doc, &rejected, &e);
    if (rc == LF_ENOMEM) {
        *w->fatal = e;
        return rc;
    }
    if (rc) {
        lf_feed_error(c, &e);
        return 0;
    }
    lf_put_result res;
    rc = lf_vdb_builder_put(c->builder, &doc, rejected, &res, &e);
    if (rc) {
        *w->fatal = e;
        return rc;
    }
    lf_feed_count(c, res);
    if ((res == LF_PUT_ADDED || res == LF_PUT_REPLACED || res == LF_PUT_REMOVED) && doc.vuln_id) {
        rc = names_add(w->changed, doc.vuln_id, strlen(doc.vuln_id));
        if (rc) {
            lf_err_set(w->fatal, rc, "out of memory");
            return rc;
        }
    }
    return 0;
}

/* Merge ids into the changed-ids file: existing lines + new ones, sorted, unique. */
static int merge_changed(const char *path, names *ids, size_t *added, lf_err *err)
{
    *added = 0;
    if (!ids->n)
        return LF_OK;
    int rc = LF_OK;
    char *data = NULL;
    size_t len = 0;
    if (lf_file_exists(path)) {
        rc = lf_file_read(path, (size_t)256 << 20, &data, &len, err);
        if (rc)
            return rc;
        for (size_t i = 0; i < len;) {
            size_t e = i;
            while (e < len && data[e] != '\n')
                e++;
            size_t n = e - i;
            if (n && data[i + n - 1] == '\r')
                n--;
            if (n && (rc = names_add(ids, data + i, n)) != LF_OK)
                goto oom;
            i = e + 1;
        }
    }
    qsort(ids->v, ids->n, sizeof *ids->v, cmp_names);
    lf_buf out;
    lf_buf_init(&out, 0);
    size_t kept = 0;
    for (size_t i = 0; i < ids->n; i++) {
        if (i && !strcmp(ids->v[i], ids->v[i - 1]))
            continue;
        kept++;
        if ((rc = lf_buf_puts(&out, ids->v[i])) != LF_OK || (rc = lf_buf_putc(&out, '\n')) != LF_OK) {
            lf_buf_clear(&out);
            goto oom;
        }
    }
    size_t before = 0;
    for (size_t i = 0; i < len; i++)
        before += data[i] == '\n';
    *added = kept > before ? kept - before : 0;
    rc = lf_fetch_save_file(path, out.data ? out.data : "", out.len, err);
    lf_buf_clear(&out);
    free(data);
    return rc;
oom:
    free(data);
    return lf_err_set(err, LF_ENOMEM, "out of memory");
}

/* Import every saved page: one index load, one write; then delete the pages. */
static int import_pages(const lf_nvd_sync_opts *o, const paths *p, lf_nvd_sync_report *rep, lf_err *err)
{
    names pages = {0}, changed = {0};
    int rc = list_pages(p->pages, &pages, err);
    if (rc || !pages.n) {
        names_clear(&pages);
        return rc;
    }
    lf_vdb *old = NULL;
    lf_vdb_builder *b = lf_vdb_builder_new();
    lf_arena json_a, tmp;
    lf_arena_init(&json_a, 1 << 20);
    lf_arena_init(&tmp, 1 << 16);
    if (!b) {
        rc = lf_err_set(err, LF_ENOMEM, "out of memory");
        goto out;
    }
    if (lf_file_exists(o->index_path)) {
        if ((rc = lf_vdb_open(o->index_path, &old, err)) != LF_OK ||
            (rc = lf_vdb_builder_load(b, old, err)) != LF_OK)
            goto out;
    }
    lf_feed_ctx ctx;
    lf_feed_ctx_init(&ctx, b);
    ctx.on_error = o->on_error;
    ctx.ud = o->ud;
    for (size_t i = 0; i < pages.n; i++) {
        char path[4500];
        snprintf(path, sizeof path, "%s/%s", p->pages, pages.v[i]);
        char *data = NULL;
        size_t len = 0;
        if ((rc = lf_file_read(path, MAX_PAGE_BYTES, &data, &len, err)) != LF_OK)
            goto out;
        ctx.report.files++;
        ctx.report.bytes += len;
        walk w = {&ctx, path, &tmp, &changed, err};
        lf_arena_reset(&json_a);
        rc = lf_json_foreach(&json_a, data, len, "vulnerabilities", NULL, on_record, &w, err);
        free(data);
        if (rc) {
            if (!err->src[0])
                lf_err_at(err, path, err->line, err->col, NULL);
            goto out;
        }
    }
    const lf_feed_report *r = &ctx.report;
    /* the ids go out before the index: if the process dies between the two, the pages
     * are imported again and the same ids merged again, so none is lost */
    size_t added = 0;
    if ((rc = merge_changed(p->changed, &changed, &added, err)) != LF_OK)
        goto out;
    if (!old || r->added || r->replaced || r->removed) {
        if ((rc = lf_vdb_builder_write(b, o->index_path, err)) != LF_OK)
            goto out;
        rep->imports++;
    }
    rep->changed += added;
    rep->pages_imported += pages.n;
    lf_feed_report *t = &rep->feed;
    t->files += r->files, t->bytes += r->bytes, t->records += r->records;
    t->added += r->added, t->replaced += r->replaced, t->unchanged += r->unchanged, t->stale += r->stale;
    t->removed += r->removed, t->rejected_new += r->rejected_new, t->errors += r->errors;
    t->configs_dropped += r->configs_dropped;
    for (size_t i = 0; i < pages.n; i++) {
        char path[4500];
        snprintf(path, sizeof path, "%s/%s", p->pages, pages.v[i]);
        if (unlink(path) != 0 && errno != ENOENT) {
            lf_err_at(err, path, 0, 0, NULL);
            rc = lf_err_set(err, LF_EIO, "cannot remove an imported page: %s", strerror(errno));
            goto out;
        }
    }
out:
    lf_arena_clear(&json_a);
    lf_arena_clear(&tmp);
    lf_vdb_builder_free(b);
    lf_vdb_close(old);
    names_clear(&pages);
    names_clear(&changed);
    return rc;
}

/* ---- fetching ---- */

/* NVD's documented form: 2024-05-01T00:00:00.000+00:00, with '+' escaped for the query. */
static void api_time(const char *canon, char out[40])
{
    snprintf(out, 40, "%.23s%%2B00:00", canon);
}

static int parse_page(const char *url_shown, const lf_buf *body, size_t want_index, size_t *got, size_t *total,
                      lf_err *err)
{
    lf_arena a;
    lf_arena_init(&a, 1 << 20);
    lf_json *root = NULL;
    int rc = lf_json_parse(&a, body->data ? body->data : "", body->len, NULL, &root, err);
    if (rc) {
        char msg[sizeof err->msg];
        snprintf(msg, sizeof msg, "%s", err->msg);
        lf_err_at(err, url_shown, err->line, err->col, NULL);
        rc = lf_err_set(err, LF_EPARSE, "not an NVD API page: %s", msg);
        goto out;
    }
    const lf_json *v = lf_json_get(root, "vulnerabilities");
    const lf_json *tr = lf_json_get(root, "totalResults");
    const lf_json *si = lf_json_get(root, "startIndex");
    if (!lf_json_is(v, LF_JSON_ARRAY) || !lf_json_is(tr, LF_JSON_NUMBER) || !(tr->num >= 0 && tr->num < 1e9)) {
        lf_err_at(err, url_shown, 0, 0, NULL);
        rc = lf_err_set(err, LF_EPARSE, "not an NVD API page: no \"vulnerabilities\" array or \"totalResults\" count");
        goto out;
    }
    if (si && (!lf_json_is(si, LF_JSON_NUMBER) || si->num != (double)want_index)) {
        lf_err_at(err, url_shown, 0, 0, "startIndex");
        rc = lf_err_set(err, LF_EPARSE, "the page starts at %s, not at the startIndex %zu asked for",
                        si->u.str ? si->u.str : "?", want_index);
        goto out;
    }
    *got = lf_json_len(v);
    *total = (size_t)tr->num;
out:
    lf_arena_clear(&a);
    return rc;
}

int lf_nvd_sync(const lf_nvd_sync_opts *o, lf_nvd_sync_report *rep, lf_err *err)
{
    memset(rep, 0, sizeof *rep);
    paths p;
    snprintf(p.state, sizeof p.state, "%s/sync/nvd.json", o->data_dir);
    snprintf(p.pages, sizeof p.pages, "%s/sync/nvd", o->data_dir);
    snprintf(p.changed, sizeof p.changed, "%s/sync/nvd-changed.txt", o->data_dir);
    sync_state s;
    lf_fetch *f = NULL;
    lf_fetch_limiter *lim = NULL;
    lf_buf body;
    lf_buf_init(&body, MAX_PAGE_BYTES);
    int rc = state_load(p.state, &s, err);
    if (rc)
        goto out;
    if ((rc = lf_mkdirs(p.pages, err)) != LF_OK)
        goto out;

    /* the run: an explicit --since starts a new one; otherwise an unfinished run goes on;
     * otherwise the next run starts at the high-water mark */
    int64_t start_ms = 0, end_ms = lf_fetch_time_now();
    if (o->until && *o->until && lf_fetch_time_parse(o->until, &end_ms) != LF_OK) {
        lf_err_at(err, "argv", 0, 0, "--until");
        rc = lf_err_set(err, LF_EUSAGE, "'%s' is not an ISO 8601 date or time", o->until);
        goto out;
    }
    if (o->since && *o->since) {
        if (lf_fetch_time_parse(o->since, &start_ms) != LF_OK) {
            lf_err_at(err, "argv", 0, 0, "--since");
            rc = lf_err_set(err, LF_EUSAGE, "'%s' is not an ISO 8601 date or time", o->since);
            goto out;
        }
        lf_fetch_time_format(start_ms, s.run_start);
        lf_fetch_time_format(end_ms, s.run_end);
        copy_ts(s.window_start, s.run_start);
        s.next_index = s.total = s.pages_fetched = 0;
    } else if (s.run_end[0]) {
        rep->resumed = true;
    } else if (s.high_water[0]) {
        copy_ts(s.run_start, s.high_water);
        lf_fetch_time_format(end_ms, s.run_end);
        copy_ts(s.window_start, s.run_start);
        s.next_index = s.total = s.pages_fetched = 0;
    } else {
        lf_err_at(err, "argv", 0, 0, "--since");
        rc = lf_err_set(err, LF_EUSAGE,
                        "no NVD sync state yet in %s: give --since (a full pull: --since 1999-01-01)", p.state);
        goto out;
    }
    copy_ts(rep->run_start, s.run_start);
    copy_ts(rep->run_end, s.run_end);
    if ((rc = state_save(p.state, &s, err)) != LF_OK)
        goto out;

    unsigned per_page = o->results_per_page ? o->results_per_page : 2000;
    if (per_page > 2000)
        per_page = 2000;
    bool keyed = o->api_key && *o->api_key;
    unsigned rate = o->rate_requests ? o->rate_requests : (keyed ? 50 : 5);
    if ((rc = lf_fetch_limiter_new(rate, o->rate_window > 0 ? o->rate_window : 30, &lim)) != LF_OK) {
        lf_err_set(err, rc, "bad rate limit: %u requests per %.0f s", rate, o->rate_window);
        goto out;
    }
    lf_fetch_opts fo = {0};
    fo.max_attempts = o->max_attempts;
    fo.backoff_base = o->backoff_base;
    fo.retry_403 = true;
    fo.api_key = o->api_key;
    fo.limiter = lim;
    fo.max_bytes = MAX_PAGE_BYTES;
    fo.on_retry = o->on_retry;
    fo.ud = o->ud;
    if ((rc = lf_fetch_new(&fo, &f, err)) != LF_OK)
        goto out;
    unsigned every = o->import_every ? o->import_every : 50;
    size_t unimported = 0;
    int64_t run_end_ms = 0, ws_ms = 0;
    lf_fetch_time_parse(s.run_end, &run_end_ms);
    for (;;) {
        lf_fetch_time_parse(s.window_start, &ws_ms);
        if (ws_ms >= run_end_ms)
            break;
        int64_t we_ms = ws_ms + LF_NVD_SYNC_MAX_WINDOW_DAYS * DAY_MS;
        if (we_ms > run_end_ms)
            we_ms = run_end_ms;
        char we[32], q_ws[40], q_we[40];
        lf_fetch_time_format(we_ms, we);
        api_time(s.window_start, q_ws);
        api_time(we, q_we);
        const char *base = o->url && *o->url ? o->url : "https://services.nvd.nist.gov/rest/json/cves/2.0";
        char url[4500];
        snprintf(url, sizeof url, "%s%slastModStartDate=%s&lastModEndDate=%s&resultsPerPage=%u&startIndex=%zu", base,
                 strchr(base, '?') ? "&" : "?", q_ws, q_we, per_page, s.next_index);
        if ((rc = lf_fetch_get(f, url, NULL, &body, NULL, err)) != LF_OK)
            goto out;
        char shown[1024];
        lf_fetch_url_for_log(url, shown, sizeof shown);
        size_t got = 0, total = 0;
        if ((rc = parse_page(shown, &body, s.next_index, &got, &total, err)) != LF_OK)
            goto out;
        if (got) {
            char page[4500];
            snprintf(page, sizeof page, "%s/page-%06zu.json", p.pages, s.seq);
            if ((rc = lf_fetch_save_file(page, body.data, body.len, err)) != LF_OK)
                goto out;
            s.seq++;
            unimported++;
        }
        rep->pages++;
        s.pages_fetched++;
        s.total = total;
        if (o->on_page)
            o->on_page(o->ud, s.window_start, we, s.next_index, got, total);
        s.next_index += got;
        /* an empty page before totalResults means records left the window while we paged
         * (modified again, so now after run_end): the next run picks them up */
        if (s.next_index >= total || !got) {
            copy_ts(s.window_start, we);
            s.next_index = 0;
            s.total = 0;
            rep->windows++;
        }
        if ((rc = state_save(p.state, &s, err)) != LF_OK)
            goto out;
        if (unimported >= every) {
            if ((rc = import_pages(o, &p, rep, err)) != LF_OK)
                goto out;
            unimported = 0;
        }
    }
    if ((rc = import_pages(o, &p, rep, err)) != LF_OK)
        goto out;
    copy_ts(s.high_water, s.run_end);
    s.run_start[0] = s.run_end[0] = s.window_start[0] = '\0';
    s.next_index = s.total = s.pages_fetched = 0;
    rc = state_save(p.state, &s, err);
out:
    copy_ts(rep->high_water, s.high_water);
    if (f) {
        const lf_fetch_stats *st = lf_fetch_stats_borrow(f);
        rep->requests = st->requests;
        rep->retries = st->retries;
        rep->slept = st->slept;
    }
    lf_fetch_free(f);
    lf_fetch_limiter_free(lim);
    lf_buf_clear(&body);
    return rc;
}
