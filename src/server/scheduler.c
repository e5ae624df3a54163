/*
 * scheduler: the notice jobs (digest, monthly upload, deadlines, escalation), their
 * outbox in the store and the send step over SMTP and the webhook (mail.h), and the
 * thread that runs them every notify.interval. See scheduler.h for what is due when, the
 * key scheme and the delivery guarantee (at least once, the same Message-ID on a resend).
 */
#include "server/scheduler.h"

#include <errno.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "server/mail.h"
#include "server/notice.h"
#include "server/server_int.h"

#define TW_OFFSET (8 * 3600)   /* the programme's clock: Taiwan, UTC+8, no daylight saving */
#define PAGE 1000              /* findings / agencies read per store call */
#define SEND_BATCH 20          /* notices read per outbox query */
#define MAX_BACKOFF 86400

/* Jobs, for the duration metrics. */
enum { JOB_COLLECT, JOB_DIGEST, JOB_UPLOAD, JOB_DEADLINE, JOB_ESCALATION, JOB_SEND, NJOBS };
static const char *const job_names[NJOBS] = {"collect", "digest", "upload", "deadline", "escalation", "send"};

struct lf_scheduler {
    lf_scheduler_opts o;          /* strings below are heap copies */
    char *portal_url, *smtp_url, *smtp_from, *smtp_user, *smtp_password, *webhook_url, *webhook_secret;
    lf_store *store;
    bool mail_on, webhook_on;
    pthread_mutex_t run_mu;       /* one run at a time */
    pthread_mutex_t mu;           /* guards the fields below */
    pthread_cond_t cv;
    pthread_t th;
    bool started, stop;
    uint64_t mail_sent, mail_failed, webhook_sent, webhook_failed, runs;
    double job_sum[NJOBS];
    int64_t last_run;
};

/* ---------------------------------------------------------------- the pure parts */

void lf_scheduler_defaults(lf_scheduler_opts *o)
{
    memset(o, 0, sizeof *o);
    o->interval_s = 300;
    o->remind_day = 7;
    o->near_days = 3;
    o->escalate_county_days = 3;
    o->escalate_region_days = 10;
    o->max_attempts = 5;
    o->retry_base_s = 300;
    lf_deadline_defaults(&o->deadline);
    o->smtp_timeout_s = 60;
    o->webhook_timeout_s = 30;
}

void lf_sched_today(int64_t t, char out[11])
{
    int64_t s = t + TW_OFFSET;
    long days = (long)(s >= 0 ? s / 86400 : -((-s + 86399) / 86400));
    lf_date_format(days, out);
}

lf_sched_upload lf_sched_upload_due(const lf_scheduler_opts *o, const char *today, bool has_snapshot)
{
    long d;
    if (has_snapshot || !today || !lf_date_parse(today, &d))
        return LF_SCHED_UPLOAD_NONE;
    int day = (today[8] - '0') * 10 + (today[9] - '0');
    if (day > o->deadline.upload_day)
        return LF_SCHED_UPLOAD_OVERDUE;
    if (day >= o->remind_day)
        return LF_SCHED_UPLOAD_REMINDER;
    return LF_SCHED_UPLOAD_NONE;
}

/* Days today is past due (negative: days left); false when either date is malformed. */
static bool days_late(const char *today, const char *due, long *late)
{
    long t, d;
    if (!today || !due || !lf_date_parse(today, &t) || !lf_date_parse(due, &d))
        return false;
    *late = t - d;
    return true;
}

lf_sched_dl lf_sched_deadline_due(const lf_scheduler_opts *o, const char *today, const char *due, long *late)
{
    long l = 0;
    bool ok = days_late(today, due, &l);
    if (late)
        *late = l;
    if (!ok)
        return LF_SCHED_DL_NONE;
    if (l > 0)
        return LF_SCHED_DL_PAST;
    if (-l <= o->near_days)
        return LF_SCHED_DL_NEAR;
    return LF_SCHED_DL_NONE;
}

unsigned lf_sched_escalation_due(const lf_scheduler_opts *o, const char *today, const char *due)
{
    long l;
    if (!days_late(today, due, &l) || l <= 0)
        return 0;
    unsigned bits = 0;
    if (l >= o->escalate_county_days)
        bits |= LF_SCHED_ESC_COUNTY;
    if (l >= o->escalate_region_days)
        bits |= LF_SCHED_ESC_REGION;
    return bits;
}

int64_t lf_sched_backoff(const lf_scheduler_opts *o, unsigned attempts)
{
    if (attempts == 0)
        return 0;
    int64_t d = o->retry_base_s > 0 ? o->retry_base_s : 1;
    for (unsigned i = 1; i < attempts && d < MAX_BACKOFF; i++)
        d *= 2;
    return d < MAX_BACKOFF ? d : MAX_BACKOFF;
}

static bool marked(const lf_id *ids, size_t n, lf_id id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ids[mid] == id)
            return true;
        if (ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

void lf_sched_plan(const lf_scheduler_opts *o, const lf_sched_view *v, lf_sched_due *d)
{
    d->ndigest = d->nnear = d->npast = d->ncounty = d->nregion = 0;
    for (size_t i = 0; i < v->nfindings; i++) {
        const lf_store_finding *f = &v->findings[i];
        if (f->state != LF_FSTATE_OPEN && f->state != LF_FSTATE_MEASURE_FILED)
            continue;   /* fixed, accepted or false positive: nothing to tell */
        if (f->first_seen <= v->now && !marked(v->digested, v->ndigested, f->id))
            d->digest[d->ndigest++] = i;
        lf_sched_dl st = lf_sched_deadline_due(o, v->today, f->due_date, NULL);
        if (st == LF_SCHED_DL_NEAR && !marked(v->near, v->nnear, f->id))
            d->near[d->nnear++] = i;
        else if (st == LF_SCHED_DL_PAST && !marked(v->past, v->npast, f->id))
            d->past[d->npast++] = i;
        unsigned esc = lf_sched_escalation_due(o, v->today, f->due_date);
        if ((esc & LF_SCHED_ESC_COUNTY) && !marked(v->county, v->ncounty, f->id))
            d->county[d->ncounty++] = i;
        if ((esc & LF_SCHED_ESC_REGION) && !marked(v->region, v->nregion, f->id))
            d->region[d->nregion++] = i;
    }
}

static bool num(const char **p, int digits, int *out)
{
    int v = 0;
    for (int i = 0; i < digits; i++) {
        char c = (*p)[i];
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (c - '0');
    }
    *p += digits;
    *out = v;
    return true;
}

bool lf_sched_parse_time(const char *s, int64_t *out)
{
    if (!s || strlen(s) < 10 || strlen(s) > 40)
        return false;
    char date[11];
    memcpy(date, s, 10);
    date[10] = '\0';
    long days;
    if (!lf_date_parse(date, &days))
        return false;
    const char *p = s + 10;
    int h = 0, mi = 0, sec = 0;
    int64_t off = TW_OFFSET;
    if (*p == 'T' || *p == ' ') {
        p++;
        if (!num(&p, 2, &h) || *p++ != ':' || !num(&p, 2, &mi))
            return false;
        if (*p == ':') {
            p++;
            if (!num(&p, 2, &sec))
                return false;
        }
        if (h > 23 || mi > 59 || sec > 60)
            return false;
        if (*p == 'Z' || *p == 'z') {
            off = 0;
            p++;
        } else if (*p == '+' || *p == '-') {
            int oh, om;
            int sign = *p == '-' ? -1 : 1;
            p++;
            if (!num(&p, 2, &oh) || *p++ != ':' || !num(&p, 2, &om) || oh > 23 || om > 59)
                return false;
            off = sign * (int64_t)(oh * 3600 + om * 60);
        }
    }
    if (*p)
        return false;
    *out = (int64_t)days * 86400 + h * 3600 + mi * 60 + sec - off;
    return true;
}

/* ---------------------------------------------------------------- life cycle */

static char *dup_or_null(const char *s, bool *oom)
{
    if (!s || !*s)
        return NULL;
    char *d = strdup(s);
    if (!d)
        *oom = true;
    return d;
}

static void logf_(lf_scheduler *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void logf_(lf_scheduler *s, const char *fmt, ...)
{
    char msg[1200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (s->o.log)
        s->o.log(s->o.log_ud, msg);
    else
        fprintf(stderr, "lianfang: %s\n", msg);
}

int lf_scheduler_new(const lf_scheduler_opts *o, lf_store *store, lf_scheduler **out, lf_err *err)
{
    *out = NULL;
    if (!o || !store)
        return lf_err_set(err, LF_EINVAL, "scheduler: options and a store are required");
    lf_scheduler *s = calloc(1, sizeof *s);
    if (!s)
        return lf_err_set(err, LF_ENOMEM, "out of memory");
    s->o = *o;
    s->store = store;
    bool oom = false;
    s->portal_url = dup_or_null(o->portal_url, &oom);
    s->smtp_url = dup_or_null(o->smtp_url, &oom);
    s->smtp_from = dup_or_null(o->smtp_from, &oom);
    s->smtp_user = dup_or_null(o->smtp_user, &oom);
    s->smtp_password = dup_or_null(o->smtp_password, &oom);
    s->webhook_url = dup_or_null(o->webhook_url, &oom);
    s->webhook_secret = dup_or_null(o->webhook_secret, &oom);
    s->o.portal_url = s->portal_url;
    s->o.smtp_url = s->smtp_url;
    s->o.smtp_from = s->smtp_from;
    s->o.smtp_user = s->smtp_user;
    s->o.smtp_password = s->smtp_password;
    s->o.webhook_url = s->webhook_url;
    s->o.webhook_secret = s->webhook_secret;
    s->mail_on = s->smtp_url && s->smtp_from;
    s->webhook_on = s->webhook_url != NULL;
    pthread_condattr_t ca;
    bool locks = pthread_mutex_init(&s->run_mu, NULL) == 0;
    locks = pthread_mutex_init(&s->mu, NULL) == 0 && locks;
    locks = pthread_condattr_init(&ca) == 0 && locks;
    if (locks) {
        pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
        locks = pthread_cond_init(&s->cv, &ca) == 0;
        pthread_condattr_destroy(&ca);
    }
    if (oom || !locks) {
        lf_scheduler_free(s);
        return lf_err_set(err, LF_ENOMEM, "scheduler: out of memory");
    }
    if (s->smtp_url && !s->smtp_from)
        logf_(s, "notices: smtp.url is set but smtp.from is not: no mail is sent");
    *out = s;
    return LF_OK;
}

void lf_scheduler_free(lf_scheduler *s)
{
    if (!s)
        return;
    if (s->started) {
        pthread_mutex_lock(&s->mu);
        s->stop = true;
        pthread_cond_broadcast(&s->cv);
        pthread_mutex_unlock(&s->mu);
        pthread_join(s->th, NULL);
    }
    pthread_cond_destroy(&s->cv);
    pthread_mutex_destroy(&s->mu);
    pthread_mutex_destroy(&s->run_mu);
    free(s->portal_url);
    free(s->smtp_url);
    free(s->smtp_from);
    free(s->smtp_user);
    free(s->smtp_password);
    free(s->webhook_url);
    free(s->webhook_secret);
    free(s);
}

static bool stopping(lf_scheduler *s)
{
    pthread_mutex_lock(&s->mu);
    bool st = s->stop;
    pthread_mutex_unlock(&s->mu);
    return st;
}

static void *thread_main(void *p)
{
    lf_scheduler *s = p;
    pthread_mutex_lock(&s->mu);
    while (!s->stop) {
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_sec += (time_t)s->o.interval_s;
        while (!s->stop && pthread_cond_timedwait(&s->cv, &s->mu, &until) != ETIMEDOUT)
            ;
        if (s->stop)
            break;
        pthread_mutex_unlock(&s->mu);
        lf_err err;
        lf_err_clear(&err);
        if (lf_scheduler_run(s, (int64_t)time(NULL), NULL, &err))
            logf_(s, "notices: scheduled run failed: %s", err.msg);
        pthread_mutex_lock(&s->mu);
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

int lf_scheduler_start(lf_scheduler *s, lf_err *err)
{
    if (s->o.interval_s <= 0 || s->started)
        return LF_OK;
    if (pthread_create(&s->th, NULL, thread_main, s))
        return lf_err_set(err, LF_ENOMEM, "scheduler: cannot start its thread");
    s->started = true;
    return LF_OK;
}

static void server_log(void *ud, const char *msg) { lf_server_logf(ud, "%s", msg); }

int lf_server_scheduler_start(lf_server *srv, const lf_scheduler_opts *o, lf_err *err)
{
    lf_scheduler_opts so = *o;
    if (!so.log) {
        so.log = server_log;
        so.log_ud = srv;
    }
    so.deadline = srv->deadline;
    lf_scheduler *s;
    int rc = lf_scheduler_new(&so, srv->store, &s, err);
    if (rc)
        return rc;
    if ((rc = lf_scheduler_start(s, err))) {
        lf_scheduler_free(s);
        return rc;
    }
    lf_scheduler_free(srv->sched);
    srv->sched = s;
    return LF_OK;
}

/* ---------------------------------------------------------------- recording notices */

/* A county or region that receives escalations in this run. */
typedef struct esc_unit {
    lf_id id;
    unsigned level;                  /* LF_SCHED_ESC_COUNTY or _REGION */
    lf_store_org org;                /* strings in the run's arena */
    lf_buf text, html, json, subject;
    size_t nagencies, nfindings;
    lf_store_notice_mark *marks;
    size_t nmarks, capmarks;
} esc_unit;

typedef struct run_ctx {
    lf_scheduler *s;
    int64_t now;
    char today[11], month[8], upload_due[11];
    lf_scheduler_report *rep;
    lf_arena units_arena;            /* unit orgs: live for the whole run */
    esc_unit *units;
    size_t nunits, capunits;
    double t[NJOBS];
} run_ctx;

/* The channels a notice to these recipients can go through. */
static size_t channels(const lf_scheduler *s, size_t nemails, const char *ch[LF_STORE_NOTICE_MAX_CHANNELS])
{
    size_t n = 0;
    if (s->mail_on && nemails)
        ch[n++] = "mail";
    if (s->webhook_on)
        ch[n++] = "webhook";
    return n;
}

/* Write one notice to the outbox. A key or mark already there means it was planned
 * before: not an error, *added stays false. */
static int record(run_ctx *r, const char *key, const char *kind, const char *stage, lf_id org_id,
                  const char *const *emails, size_t nemails, const char *subject, const char *text,
                  const char *html, const char *json, size_t nfindings, const lf_store_notice_mark *marks,
                  size_t nmarks, unsigned *counter, lf_err *err)
{
    const char *ch[LF_STORE_NOTICE_MAX_CHANNELS];
    size_t nch = channels(r->s, nemails, ch);
    if (!nch) {
        r->rep->skipped_no_channel++;
        return LF_OK;   /* nothing marked: it is due again once a contact exists */
    }
    lf_buf rcpt;
    lf_buf_init(&rcpt, 0);
    int rc = LF_OK;
    for (size_t i = 0; i < nemails && !rc && nch && !strcmp(ch[0], "mail"); i++) {
        if (i)
            rc = lf_buf_putc(&rcpt, '\n');
        if (!rc)
            rc = lf_buf_puts(&rcpt, emails[i]);
    }
    if (rc) {
        lf_buf_clear(&rcpt);
        return lf_err_set(err, rc, "notices: out of memory");
    }
    lf_store_notice n;
    memset(&n, 0, sizeof n);
    n.key = key;
    n.kind = kind;
    n.stage = stage;
    n.org_id = org_id;
    n.notice_date = r->today;
    n.created = r->now;
    n.subject = subject;
    n.recipients = rcpt.len ? rcpt.data : NULL;
    n.body_text = text;
    n.body_html = html;
    n.payload_json = json;
    n.nfindings = (unsigned)nfindings;
    lf_err e;
    lf_err_clear(&e);
    rc = lf_store_notice_create(r->s->store, &n, ch, nch, marks, nmarks, NULL, &e);
    lf_buf_clear(&rcpt);
    if (rc == LF_EEXIST)
        return LF_OK;
    if (rc) {
        if (err)
            *err = e;
        return rc;
    }
    (*counter)++;
    return LF_OK;
}

/* "cpe:2.3:a:apache:http_server:2.4.49:..." -> "apache http server 2.4.49", for people. */
static const char *cpe_product(lf_arena *a, const char *cpe)
{
    if (!cpe || strncmp(cpe, "cpe:2.3:", 8))
        return cpe;
    const char *f[3] = {NULL, NULL, NULL};
    size_t len[3] = {0, 0, 0};
    const char *p = cpe + 10;   /* after "cpe:2.3:x:" */
    if (strlen(cpe) < 10)
        return cpe;
    for (int i = 0; i < 3 && *p; i++) {
        f[i] = p;
        while (*p && !(*p == ':' && p[-1] != '\\'))
            p++;
        len[i] = (size_t)(p - f[i]);
        if (*p)
            p++;
    }
    char buf[LF_NOTICE_MAX_FIELD];
    size_t n = 0;
    for (int i = 0; i < 3; i++) {
        if (!f[i] || !len[i] || (len[i] == 1 && (f[i][0] == '*' || f[i][0] == '-')))
            continue;
        if (n && n + 1 < sizeof buf)
            buf[n++] = ' ';
        for (size_t k = 0; k < len[i] && n + 1 < sizeof buf; k++) {
            char c = f[i][k];
            if (c == '\\')
                continue;
            buf[n++] = c == '_' ? ' ' : c;
        }
    }
    buf[n] = '\0';
    char *out = lf_arena_strdup(a, buf);
    return out ? out : cpe;
}

static int notice_findings(lf_arena *a, const lf_store_finding *v, const size_t *idx, size_t n,
                           lf_notice_finding **out, lf_store_notice_mark **marks)
{
    *out = lf_arena_calloc(a, (n ? n : 1) * sizeof **out);
    *marks = lf_arena_calloc(a, (n ? n : 1) * sizeof **marks);
    if (!*out || !*marks)
        return LF_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        const lf_store_finding *f = &v[idx[i]];
        lf_notice_finding *o = &(*out)[i];
        o->host = f->host;
        o->cve = f->cve;
        o->product = cpe_product(a, f->cpe);
        o->cvss = f->cvss;
        o->severity = f->severity;
        o->kev = f->kev;
        o->kev_due = f->kev_due;
        o->due_date = f->due_date;
        (*marks)[i].finding_id = f->id;
        (*marks)[i].agency_id = f->agency_id;
    }
    return LF_OK;
}

static lf_id first_id(const lf_store_notice_mark *m, size_t n)
{
    lf_id min = 0;
    for (size_t i = 0; i < n; i++)
        if (!min || m[i].finding_id < min)
            min = m[i].finding_id;
    return min;
}

/* Render n and record it as an agency notice. */
static int agency_notice(run_ctx *r, const lf_store_org *ag, lf_notice *n, const char *stage, const char *key,
                         const lf_store_notice_mark *marks, size_t nmarks, unsigned *counter, lf_err *err)
{
    lf_notice_msg m;
    lf_notice_msg_init(&m);
    lf_buf json;
    lf_buf_init(&json, 0);
    int rc = lf_notice_render(n, &m, err);
    if (!rc && (rc = lf_notice_json(n, key, m.subject.data, &json)))
        lf_err_set(err, rc, "notices: out of memory");
    if (!rc)
        rc = record(r, key, lf_notice_kind_name(n->kind), stage, ag->id, ag->emails, ag->nemails, m.subject.data,
                    m.text.data, m.html.data, json.data, n->kind == LF_NOTICE_UPLOAD ? 0 : n->nfindings, marks, nmarks,
                    counter, err);
    lf_notice_msg_clear(&m);
    lf_buf_clear(&json);
    return rc;
}

/* The unit of this level among the agency's ancestors, as a run-long entry. */
static int esc_unit_get(run_ctx *r, lf_id agency, unsigned level, lf_arena *a, esc_unit **out, lf_err *err)
{
    *out = NULL;
    lf_store_org *anc;
    size_t n;
    int rc = lf_store_org_ancestors(r->s->store, agency, a, &anc, &n, err);
    if (rc)
        return rc;
    lf_org_kind want = level == LF_SCHED_ESC_COUNTY ? LF_ORG_COUNTY : LF_ORG_REGION;
    lf_id uid = 0;
    for (size_t i = 0; i < n; i++)
        if (anc[i].kind == want)
            uid = anc[i].id;
    if (!uid)
        return LF_OK;   /* a central agency: no county (or region) above it */
    for (size_t i = 0; i < r->nunits; i++)
        if (r->units[i].id == uid && r->units[i].level == level) {
            *out = &r->units[i];
            return LF_OK;
        }
    if (r->nunits == r->capunits) {
        size_t nc = r->capunits ? r->capunits * 2 : 16;
        esc_unit *nu = realloc(r->units, nc * sizeof *nu);
        if (!nu)
            return lf_err_set(err, LF_ENOMEM, "notices: out of memory");
        r->units = nu;
        r->capunits = nc;
    }
    esc_unit *u = &r->units[r->nunits];
    memset(u, 0, sizeof *u);
    if ((rc = lf_store_org_get(r->s->store, uid, &r->units_arena, &u->org, err)))
        return rc;
    u->id = uid;
    u->level = level;
    lf_buf_init(&u->text, 0);
    lf_buf_init(&u->html, 0);
    lf_buf_init(&u->json, 0);
    lf_buf_init(&u->subject, 0);
    r->nunits++;
    *out = u;
    return LF_OK;
}

static void esc_unit_clear(esc_unit *u)
{
    lf_buf_clear(&u->text);
    lf_buf_clear(&u->html);
    lf_buf_clear(&u->json);
    lf_buf_clear(&u->subject);
    free(u->marks);
}

/* The inside of a rendered document's <body>, to put several agencies into one page. */
static int put_body(lf_buf *out, const char *html)
{
    const char *b = strstr(html, "<body");
    const char *e = strstr(html, "</body>");
    if (!b || !e || !(b = strchr(b, '>')) || b > e)
        return lf_buf_puts(out, html);
    b++;
    return lf_buf_append(out, b, (size_t)(e - b));
}

/* Add one agency's overdue findings to the unit's message. */
static int esc_add(run_ctx *r, esc_unit *u, const lf_store_org *ag, const lf_notice_finding *nf,
                   const lf_store_notice_mark *marks, size_t n, lf_err *err)
{
    lf_notice nt;
    memset(&nt, 0, sizeof nt);
    nt.kind = LF_NOTICE_ESCALATION;
    nt.today = r->today;
    nt.agency = (lf_notice_org){ag->code, ag->name_zh, ag->name_en};
    nt.to_org = (lf_notice_org){u->org.code, u->org.name_zh, u->org.name_en};
    nt.findings = nf;
    nt.nfindings = n;
    nt.portal_url = r->s->portal_url;
    lf_notice_msg m;
    lf_notice_msg_init(&m);
    int rc = lf_notice_render(&nt, &m, err);
    if (rc)
        goto done;
    rc = LF_ENOMEM;
    if (u->nagencies == 0) {
        if (lf_buf_puts(&u->subject, m.subject.data) || lf_buf_puts(&u->html, m.html.data))
            goto oom;
    } else {
        if (lf_buf_puts(&u->text, "\n========================================\n\n"))
            goto oom;
        if (u->nagencies == 1) {
            /* the second agency: the first one's whole page becomes a section */
            lf_buf first;
            lf_buf_init(&first, 0);
            if (lf_buf_append(&first, u->html.data, u->html.len)) {
                lf_buf_clear(&first);
                goto oom;
            }
            lf_buf_reset(&u->html);
            int e = put_body(&u->html, first.data);
            lf_buf_clear(&first);
            if (e)
                goto oom;
        }
        if (lf_buf_puts(&u->html, "<hr>\n") || put_body(&u->html, m.html.data))
            goto oom;
    }
    if (lf_buf_puts(&u->text, m.text.data))
        goto oom;
    if (u->json.len && lf_buf_putc(&u->json, ','))
        goto oom;
    lf_buf one;
    lf_buf_init(&one, 0);
    if (lf_notice_json(&nt, NULL, m.subject.data, &one)) {
        lf_buf_clear(&one);
        goto oom;
    }
    while (one.len && one.data[one.len - 1] == '\n')
        one.data[--one.len] = '\0';
    int e = lf_buf_append(&u->json, one.data, one.len);
    lf_buf_clear(&one);
    if (e)
        goto oom;
    if (u->nmarks + n > u->capmarks) {
        size_t nc = (u->nmarks + n) * 2;
        lf_store_notice_mark *nm = realloc(u->marks, nc * sizeof *nm);
        if (!nm)
            goto oom;
        u->marks = nm;
        u->capmarks = nc;
    }
    memcpy(u->marks + u->nmarks, marks, n * sizeof *marks);
    u->nmarks += n;
    u->nfindings += n;
    u->nagencies++;
    rc = LF_OK;
    goto done;
oom:
    lf_err_set(err, LF_ENOMEM, "notices: out of memory");
done:
    lf_notice_msg_clear(&m);
    return rc;
}

/* Write each unit's escalation: one message per unit and level. */
static int esc_flush(run_ctx *r, lf_err *err)
{
    int rc = LF_OK;
    for (size_t i = 0; i < r->nunits && !rc; i++) {
        esc_unit *u = &r->units[i];
        if (!u->nagencies)
            continue;
        const char *lvl = u->level == LF_SCHED_ESC_COUNTY ? "county" : "region";
        char key[LF_MAIL_MAX_KEY + 1];
        snprintf(key, sizeof key, "escalation/%.60s/%s/%s/f%lld", u->org.code, r->today, lvl,
                 (long long)first_id(u->marks, u->nmarks));
        lf_buf subj, html, json;
        lf_buf_init(&subj, 0);
        lf_buf_init(&html, 0);
        lf_buf_init(&json, 0);
        rc = LF_ENOMEM;
        if (u->nagencies == 1) {
            if (lf_buf_puts(&subj, u->subject.data) || lf_buf_puts(&html, u->html.data))
                goto next;
        } else {
            /* several agencies: the unit's name and the counts, in both languages */
            if (lf_buf_printf(&subj, "【聯防】逾期未修補弱點陳報 Escalation: overdue findings — %s (%zu 機關 agencies, %zu)",
                              u->org.name_zh && *u->org.name_zh ? u->org.name_zh : u->org.code, u->nagencies,
                              u->nfindings) ||
                lf_buf_puts(&html, "<!DOCTYPE html>\n<html lang=\"zh-Hant\">\n<head><meta charset=\"utf-8\"><title>") ||
                lf_notice_html_escape(&html, subj.data) ||
                lf_buf_puts(&html, "</title></head>\n<body style=\"font-family:sans-serif\">\n") ||
                lf_buf_append(&html, u->html.data, u->html.len) || lf_buf_puts(&html, "</body>\n</html>\n"))
                goto next;
        }
        if (lf_buf_printf(&json, "{\"kind\":\"escalation\",\"key\":") ||
            lf_json_write_str(&json, key, strlen(key)) || lf_buf_puts(&json, ",\"subject\":") ||
            lf_json_write_str(&json, subj.data, subj.len) ||
            lf_buf_printf(&json, ",\"today\":\"%s\",\"level\":\"%s\",\"to_org\":{\"code\":", r->today, lvl))
            goto next;
        lf_server_jstr(&json, u->org.code);
        lf_buf_puts(&json, ",\"name_zh\":");
        lf_server_jstr(&json, u->org.name_zh);
        lf_buf_puts(&json, ",\"name_en\":");
        lf_server_jstr(&json, u->org.name_en);
        if (lf_buf_puts(&json, "},\"agencies\":[") || lf_buf_append(&json, u->json.data, u->json.len) ||
            lf_buf_printf(&json, "],\"total\":%zu}\n", u->nfindings))
            goto next;
        unsigned *counter = u->level == LF_SCHED_ESC_COUNTY ? &r->rep->escalation_county : &r->rep->escalation_region;
        rc = record(r, key, "escalation", lvl, u->id, u->org.emails, u->org.nemails, subj.data, u->text.data,
                    html.data, json.data, u->nfindings, u->marks, u->nmarks, counter, err);
    next:
        if (rc == LF_ENOMEM)
            lf_err_set(err, rc, "notices: out of memory");
        lf_buf_clear(&subj);
        lf_buf_clear(&html);
        lf_buf_clear(&json);
    }
    return rc;
}

/* Every job for one agency. */
static int run_agency(run_ctx *r, lf_id agency_id, lf_arena *a, lf_err *err)
{
    lf_store *st = r->s->store;
    double t0 = lf_clock_mono();
    lf_store_org ag;
    int rc = lf_store_org_get(st, agency_id, a, &ag, err);
    if (rc)
        return rc;
    /* every finding of the agency: the jobs filter them */
    lf_store_finding *fs = NULL;
    size_t nf = 0, cap = 0;
    lf_store_ffilter ff = {agency_id, 0, 0, 0, false, NULL};
    lf_store_page pg = {PAGE, 0, 0, false};
    do {
        lf_store_finding *v;
        size_t n;
        if ((rc = lf_store_finding_list(st, &ff, &pg, a, &v, &n, err)))
            goto fail;
        if (nf + n > cap) {
            size_t nc = (nf + n) * 2;
            lf_store_finding *nv = realloc(fs, nc * sizeof *nv);
            if (!nv) {
                rc = lf_err_set(err, LF_ENOMEM, "notices: out of memory");
                goto fail;
            }
            fs = nv;
            cap = nc;
        }
        if (n)
            memcpy(fs + nf, v, n * sizeof *v);
        nf += n;
        pg.after = pg.next;
    } while (pg.more);
    /* risk acceptances past their expiry are open findings again, due by the policy
     * counted from today, before the jobs below look at them (the deadline job then
     * reminds of them like any other) */
    for (size_t i = 0; i < nf; i++) {
        lf_store_finding *f = &fs[i];
        if (f->state != LF_FSTATE_RISK_ACCEPTED || !f->risk_expiry || strcmp(f->risk_expiry, r->today) >= 0)
            continue;
        char dbuf[11];
        const char *due = lf_deadline_due(&r->s->o.deadline, r->today, f->cvss, f->kev, f->kev_due, dbuf) ? dbuf
                                                                                                        : NULL;
        bool done = false;
        if ((rc = lf_store_finding_risk_expire(st, f->id, r->today, due, &done, err)))
            goto fail;
        if (!done)
            continue;
        if (due && !(due = lf_arena_strdup(a, due))) {
            rc = lf_err_set(err, LF_ENOMEM, "notices: out of memory");
            goto fail;
        }
        f->state = LF_FSTATE_OPEN;
        f->risk_reason = f->risk_approver = f->risk_expiry = NULL;
        f->due_date = due;
        r->rep->risk_expired++;
    }
    lf_sched_view view = {fs, nf, r->now, r->today, NULL, NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0};
    lf_id *mk[5] = {NULL, NULL, NULL, NULL, NULL};
    if ((rc = lf_store_notice_marks(st, agency_id, "digest", a, &mk[0], &view.ndigested, err)) ||
        (rc = lf_store_notice_marks(st, agency_id, "near", a, &mk[1], &view.nnear, err)) ||
        (rc = lf_store_notice_marks(st, agency_id, "past", a, &mk[2], &view.npast, err)) ||
        (rc = lf_store_notice_marks(st, agency_id, "county", a, &mk[3], &view.ncounty, err)) ||
        (rc = lf_store_notice_marks(st, agency_id, "region", a, &mk[4], &view.nregion, err)))
        goto fail;
    view.digested = mk[0];
    view.near = mk[1];
    view.past = mk[2];
    view.county = mk[3];
    view.region = mk[4];
    lf_store_upload up;
    lf_err e;
    lf_err_clear(&e);
    int src = lf_store_upload_snapshot(st, agency_id, r->month, a, &up, &e);
    if (src && src != LF_ENOTFOUND) {
        rc = src;
        *err = e;
        goto fail;
    }
    lf_sched_due due;
    size_t *idx = lf_arena_alloc(a, (nf ? nf : 1) * 5 * sizeof *idx);
    if (!idx) {
        rc = lf_err_set(err, LF_ENOMEM, "notices: out of memory");
        goto fail;
    }
    size_t stride = nf ? nf : 1;
    due.digest = idx;
    due.near = idx + stride;
    due.past = idx + 2 * stride;
    due.county = idx + 3 * stride;
    due.region = idx + 4 * stride;
    lf_sched_plan(&r->s->o, &view, &due);
    double t1 = lf_clock_mono();
    r->t[JOB_COLLECT] += t1 - t0;

    lf_notice base;
    memset(&base, 0, sizeof base);
    base.today = r->today;
    base.agency = (lf_notice_org){ag.code, ag.name_zh, ag.name_en};
    base.portal_url = r->s->portal_url;
    char key[LF_MAIL_MAX_KEY + 1];
    lf_notice_finding *nfv;
    lf_store_notice_mark *marks;

    /* digest */
    if (due.ndigest) {
        if ((rc = notice_findings(a, fs, due.digest, due.ndigest, &nfv, &marks)))
            goto oom;
        lf_notice n = base;
        n.kind = LF_NOTICE_DIGEST;
        n.findings = nfv;
        n.nfindings = due.ndigest;
        snprintf(key, sizeof key, "digest/%.60s/%s/f%lld", ag.code, r->today,
                 (long long)first_id(marks, due.ndigest));
        if ((rc = agency_notice(r, &ag, &n, "digest", key, marks, due.ndigest, &r->rep->digest, err)))
            goto fail;
    }
    double t2 = lf_clock_mono();
    r->t[JOB_DIGEST] += t2 - t1;

    /* monthly upload */
    lf_sched_upload us = lf_sched_upload_due(&r->s->o, r->today, src == LF_OK);
    if (us != LF_SCHED_UPLOAD_NONE) {
        const char *stage = us == LF_SCHED_UPLOAD_REMINDER ? "reminder" : "overdue";
        snprintf(key, sizeof key, "upload/%.60s/%s/%s", ag.code, r->month, stage);
        lf_store_notice old;
        lf_err_clear(&e);
        int g = lf_store_notice_get(st, 0, key, a, &old, &e);   /* skip rendering what exists */
        if (g == LF_ENOTFOUND) {
            lf_notice n = base;
            n.kind = LF_NOTICE_UPLOAD;
            n.month = r->month;
            n.upload_due = r->upload_due;
            if ((rc = agency_notice(r, &ag, &n, stage, key, NULL, 0,
                                    us == LF_SCHED_UPLOAD_REMINDER ? &r->rep->upload_reminder
                                                                   : &r->rep->upload_overdue,
                                    err)))
                goto fail;
        } else if (g) {
            rc = g;
            *err = e;
            goto fail;
        }
    }
    double t3 = lf_clock_mono();
    r->t[JOB_UPLOAD] += t3 - t2;

    /* deadlines: near and past, one notice each */
    for (int k = 0; k < 2; k++) {
        size_t cnt = k ? due.npast : due.nnear;
        const size_t *ix = k ? due.past : due.near;
        const char *stage = k ? "past" : "near";
        if (!cnt)
            continue;
        if ((rc = notice_findings(a, fs, ix, cnt, &nfv, &marks)))
            goto oom;
        lf_notice n = base;
        n.kind = LF_NOTICE_DEADLINE;
        n.findings = nfv;
        n.nfindings = cnt;
        snprintf(key, sizeof key, "deadline/%.60s/%s/%s/f%lld", ag.code, r->today, stage,
                 (long long)first_id(marks, cnt));
        if ((rc = agency_notice(r, &ag, &n, stage, key, marks, cnt,
                                k ? &r->rep->deadline_past : &r->rep->deadline_near, err)))
            goto fail;
    }
    double t4 = lf_clock_mono();
    r->t[JOB_DEADLINE] += t4 - t3;

    /* escalation: gathered per receiving unit, written after the last agency */
    for (int k = 0; k < 2; k++) {
        size_t cnt = k ? due.nregion : due.ncounty;
        const size_t *ix = k ? due.region : due.county;
        unsigned level = k ? LF_SCHED_ESC_REGION : LF_SCHED_ESC_COUNTY;
        if (!cnt)
            continue;
        esc_unit *u;
        if ((rc = esc_unit_get(r, agency_id, level, a, &u, err)))
            goto fail;
        if (!u)
            continue;
        if ((rc = notice_findings(a, fs, ix, cnt, &nfv, &marks)))
            goto oom;
        if ((rc = esc_add(r, u, &ag, nfv, marks, cnt, err)))
            goto fail;
    }
    r->t[JOB_ESCALATION] += lf_clock_mono() - t4;
    free(fs);
    return LF_OK;
oom:
    rc = lf_err_set(err, LF_ENOMEM, "notices: out of memory");
fail:
    free(fs);
    return rc;
}

/* ---------------------------------------------------------------- sending */

static void count(lf_scheduler *s, bool mail, bool ok)
{
    pthread_mutex_lock(&s->mu);
    if (mail && ok)
        s->mail_sent++;
    else if (mail)
        s->mail_failed++;
    else if (ok)
        s->webhook_sent++;
    else
        s->webhook_failed++;
    pthread_mutex_unlock(&s->mu);
}

static int send_mail(lf_scheduler *s, const lf_store_notice *n, int64_t now, lf_err *err)
{
    const char *to[LF_MAIL_MAX_RCPT];
    char addrs[LF_MAIL_MAX_RCPT][LF_MAIL_MAX_ADDR + 1];
    size_t nto = 0;
    for (const char *p = n->recipients; p && *p && nto < LF_MAIL_MAX_RCPT;) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len && len <= LF_MAIL_MAX_ADDR) {
            memcpy(addrs[nto], p, len);
            addrs[nto][len] = '\0';
            to[nto] = addrs[nto];
            nto++;
        }
        p += len + (e ? 1 : 0);
    }
    if (!nto)
        return lf_err_set(err, LF_EINVAL, "no recipient");
    lf_mail_msg m = {0};
    m.from = s->smtp_from;
    m.to = to;
    m.nto = nto;
    m.subject = n->subject;
    m.text = n->body_text;
    m.html = n->body_html;
    m.key = n->key;
    m.date = now;
    lf_mail_smtp sm = {s->smtp_url, s->smtp_user, s->smtp_password, s->o.smtp_timeout_s};
    return lf_mail_send(&sm, &m, err);
}

static int send_webhook(lf_scheduler *s, const lf_store_notice *n, lf_err *err)
{
    lf_mail_webhook w = {s->webhook_url, s->webhook_secret, s->o.webhook_timeout_s};
    return lf_mail_webhook_post(&w, n->payload_json, strlen(n->payload_json), NULL, err);
}

/* One attempt at every due delivery of n. */
static int deliver(run_ctx *r, const lf_store_notice *n, lf_err *err)
{
    lf_scheduler *s = r->s;
    for (size_t i = 0; i < n->ndeliveries; i++) {
        const lf_store_delivery *d = &n->deliveries[i];
        if (d->state != LF_NSTATE_PENDING || d->next_attempt > r->now)
            continue;
        bool mail = !strcmp(d->channel, "mail");
        lf_err e;
        lf_err_clear(&e);
        int rc;
        if (mail && !s->mail_on)
            rc = lf_err_set(&e, LF_EINVAL, "mail is not configured (smtp.url, smtp.from)");
        else if (!mail && !s->webhook_on)
            rc = lf_err_set(&e, LF_EINVAL, "the webhook is not configured (notify.webhook_url)");
        else
            rc = mail ? send_mail(s, n, r->now, &e) : send_webhook(s, n, &e);
        lf_store_delivery out = *d;
        out.attempts = d->attempts + 1;
        if (!rc) {
            out.state = LF_NSTATE_SENT;
            out.sent_at = r->now;
            out.last_error = NULL;
            r->rep->delivered++;
        } else {
            out.last_error = e.msg;
            if (out.attempts >= s->o.max_attempts) {
                out.state = LF_NSTATE_FAILED;
                r->rep->failed++;
                logf_(s, "notice %s: %s failed for good after %u attempts: %s", n->key, d->channel, out.attempts,
                      e.msg);
            } else {
                out.next_attempt = r->now + lf_sched_backoff(&s->o, out.attempts);
                r->rep->retry++;
                logf_(s, "notice %s: %s failed (attempt %u, retried later): %s", n->key, d->channel, out.attempts,
                      e.msg);
            }
        }
        count(s, mail, rc == LF_OK);
        if ((rc = lf_store_notice_delivered(s->store, n->id, &out, r->now, err)))
            return rc;
    }
    return LF_OK;
}

static int send_due(run_ctx *r, lf_err *err)
{
    lf_arena a;
    lf_arena_init(&a, 1 << 16);
    int rc = LF_OK;
    while (!rc && !stopping(r->s)) {
        lf_arena_reset(&a);
        lf_store_notice *v;
        size_t n;
        if ((rc = lf_store_notice_due(r->s->store, r->now, SEND_BATCH, &a, &v, &n, err)) || !n)
            break;
        /* each attempt moves its delivery out of "due now" (sent, failed, or a later
         * next_attempt), so this loop ends */
        for (size_t i = 0; i < n && !rc && !stopping(r->s); i++)
            rc = deliver(r, &v[i], err);
    }
    lf_arena_clear(&a);
    return rc;
}

/* ---------------------------------------------------------------- a run */

int lf_scheduler_run(lf_scheduler *s, int64_t now, lf_scheduler_report *rep, lf_err *err)
{
    lf_scheduler_report local;
    if (!rep)
        rep = &local;
    memset(rep, 0, sizeof *rep);
    pthread_mutex_lock(&s->run_mu);
    run_ctx r;
    memset(&r, 0, sizeof r);
    r.s = s;
    r.now = now;
    r.rep = rep;
    rep->now = now;
    lf_sched_today(now, r.today);
    memcpy(rep->today, r.today, sizeof rep->today);
    memcpy(r.month, r.today, 7);
    r.month[7] = '\0';
    lf_deadline_upload_due(&s->o.deadline, r.month, r.upload_due);
    lf_arena_init(&r.units_arena, 8192);
    lf_arena a;
    lf_arena_init(&a, 1 << 16);
    lf_arena la;
    lf_arena_init(&la, 1 << 16);
    lf_store_org root;
    int rc = lf_store_org_get_by_code(s->store, "TW", &la, &root, err);
    lf_store_page pg = {PAGE, 0, 0, false};
    /* a stop (server shutdown) ends the run between agencies: what is left is planned by
     * the next run, which plans nothing twice */
    while (!rc && !stopping(s)) {
        lf_store_org *ags;
        size_t n;
        if ((rc = lf_store_org_agencies(s->store, root.id, &pg, &la, &ags, &n, err)))
            break;
        for (size_t i = 0; i < n && !rc && !stopping(s); i++) {
            lf_arena_reset(&a);
            rc = run_agency(&r, ags[i].id, &a, err);
        }
        if (!pg.more)
            break;
        pg.after = pg.next;
    }
    double t0 = lf_clock_mono();
    if (!rc)
        rc = esc_flush(&r, err);
    r.t[JOB_ESCALATION] += lf_clock_mono() - t0;
    t0 = lf_clock_mono();
    if (!rc)
        rc = send_due(&r, err);
    r.t[JOB_SEND] += lf_clock_mono() - t0;
    for (size_t i = 0; i < r.nunits; i++)
        esc_unit_clear(&r.units[i]);
    free(r.units);
    lf_arena_clear(&r.units_arena);
    lf_arena_clear(&a);
    lf_arena_clear(&la);
    pthread_mutex_lock(&s->mu);
    s->runs++;
    for (int j = 0; j < NJOBS; j++)
        s->job_sum[j] += r.t[j];
    s->last_run = now;
    pthread_mutex_unlock(&s->mu);
    pthread_mutex_unlock(&s->run_mu);
    return rc;
}

/* ---------------------------------------------------------------- metrics */

int lf_scheduler_metrics(lf_scheduler *s, lf_buf *out)
{
    pthread_mutex_lock(&s->mu);
    uint64_t ms = s->mail_sent, mf = s->mail_failed, ws = s->webhook_sent, wf = s->webhook_failed, runs = s->runs;
    double sums[NJOBS];
    memcpy(sums, s->job_sum, sizeof sums);
    int64_t last = s->last_run;
    pthread_mutex_unlock(&s->mu);
    struct {
        const char *name, *help;
        uint64_t v;
    } c[] = {
        {"lianfang_mail_sent_total", "Notice mails the SMTP relay accepted (since start).", ms},
        {"lianfang_mail_failed_total", "Notice mail attempts that failed (since start; retries included).", mf},
        {"lianfang_webhook_sent_total", "Notices the webhook accepted (since start).", ws},
        {"lianfang_webhook_failed_total", "Webhook attempts that failed (since start; retries included).", wf},
    };
    int rc = LF_OK;
    for (size_t i = 0; i < sizeof c / sizeof c[0] && !rc; i++)
        rc = lf_http_metric_one(out, c[i].name, "counter", c[i].help, (double)c[i].v);
    if (!rc)
        rc = lf_http_metric_family(out, "lianfang_notify_job_seconds", "summary",
                                   "Time the scheduler's jobs took, summed over runs (since start).");
    for (int j = 0; j < NJOBS && !rc; j++) {
        const char *labels[] = {"job", job_names[j], NULL};
        rc = lf_http_metric_sample(out, "lianfang_notify_job_seconds_sum", labels, sums[j]);
        if (!rc)
            rc = lf_http_metric_sample(out, "lianfang_notify_job_seconds_count", labels, (double)runs);
    }
    if (!rc)
        rc = lf_http_metric_one(out, "lianfang_notify_last_run_timestamp_seconds", "gauge",
                                "Time (the run's now) of the last scheduler run; 0 before the first.", (double)last);
    uint64_t st[4];
    lf_err err;
    lf_err_clear(&err);
    if (!rc && lf_store_notice_counts(s->store, st, &err) == LF_OK) {
        rc = lf_http_metric_family(out, "lianfang_notices", "gauge", "Notices in the outbox by state.");
        for (int k = LF_NSTATE_PENDING; k <= LF_NSTATE_FAILED && !rc; k++) {
            const char *labels[] = {"state", lf_nstate_name((lf_nstate)k), NULL};
            rc = lf_http_metric_sample(out, "lianfang_notices", labels, (double)st[k]);
        }
    }
    return rc;
}
