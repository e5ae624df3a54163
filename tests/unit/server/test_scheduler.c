/*
 * Tests for src/server/scheduler.c, the pure parts: what is due when. Taiwan (UTC+8) day
 * boundaries, the admin "now" parser, the upload reminder / overdue stages around the 7th
 * and the 10th, deadline near / past, escalation levels, the retry backoff, and the plan
 * over one agency's findings with marks (each finding once per stage). Then the outbox in
 * a real SQLite store: a key or a mark recorded twice is refused whole, due deliveries,
 * and the notice's summary state through retries.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server/scheduler.h"

/* 2026-05-12T00:00:00+08:00 */
#define T_0512 1778515200LL

static void test_scheduler_today_taiwan(void **state)
{
    (void)state;
    static const struct {
        int64_t t;
        const char *want;
    } rows[] = {
        {T_0512, "2026-05-12"},            /* midnight in Taipei */
        {T_0512 - 1, "2026-05-11"},        /* 15:59:59 UTC the day before */
        {T_0512 + 86399, "2026-05-12"},
        {0, "1970-01-01"},                 /* 08:00 in Taipei */
        {-8 * 3600, "1970-01-01"},
        {-8 * 3600 - 1, "1969-12-31"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char out[11];
        lf_sched_today(rows[i].t, out);
        assert_string_equal(out, rows[i].want);
    }
}

static void test_scheduler_parse_time(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        bool ok;
        int64_t want;
    } rows[] = {
        {"2026-05-12", true, T_0512},
        {"2026-05-12T09:30", true, T_0512 + 9 * 3600 + 1800},
        {"2026-05-12T09:30:15+08:00", true, T_0512 + 9 * 3600 + 1800 + 15},
        {"2026-05-11T16:00:00Z", true, T_0512},
        {"2026-05-12T00:00:00-02:00", true, T_0512 + 10 * 3600},
        {"2026-02-30", false, 0},
        {"2026-05-12T25:00", false, 0},
        {"2026-05-12T09:30:00+0800", false, 0},
        {"2026-05-12X", false, 0},
        {"yesterday", false, 0},
        {"", false, 0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int64_t t = -1;
        assert_int_equal(lf_sched_parse_time(rows[i].s, &t), rows[i].ok);
        if (rows[i].ok)
            assert_int_equal(t, rows[i].want);
    }
    assert_false(lf_sched_parse_time(NULL, &(int64_t){0}));
}

static void test_scheduler_upload_stages(void **state)
{
    (void)state;
    lf_scheduler_opts o;
    lf_scheduler_defaults(&o);   /* reminders from the 7th, due the 10th */
    static const struct {
        const char *today;
        bool snap;
        lf_sched_upload want;
    } rows[] = {
        {"2026-05-06", false, LF_SCHED_UPLOAD_NONE},
        {"2026-05-07", false, LF_SCHED_UPLOAD_REMINDER},
        {"2026-05-10", false, LF_SCHED_UPLOAD_REMINDER},   /* due today: still a reminder */
        {"2026-05-11", false, LF_SCHED_UPLOAD_OVERDUE},
        {"2026-05-31", false, LF_SCHED_UPLOAD_OVERDUE},
        {"2026-05-20", true, LF_SCHED_UPLOAD_NONE},        /* uploaded */
        {"2026-05-xx", false, LF_SCHED_UPLOAD_NONE},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        assert_int_equal(lf_sched_upload_due(&o, rows[i].today, rows[i].snap), rows[i].want);
    o.remind_day = 3;
    o.deadline.upload_day = 5;
    assert_int_equal(lf_sched_upload_due(&o, "2026-05-03", false), LF_SCHED_UPLOAD_REMINDER);
    assert_int_equal(lf_sched_upload_due(&o, "2026-05-06", false), LF_SCHED_UPLOAD_OVERDUE);
}

static void test_scheduler_deadline_and_escalation(void **state)
{
    (void)state;
    lf_scheduler_opts o;
    lf_scheduler_defaults(&o);   /* near 3 days, county after 3, region after 10 */
    static const struct {
        const char *due;
        lf_sched_dl st;
        long late;
        unsigned esc;
    } rows[] = {
        {"2026-05-16", LF_SCHED_DL_NONE, -4, 0},
        {"2026-05-15", LF_SCHED_DL_NEAR, -3, 0},
        {"2026-05-12", LF_SCHED_DL_NEAR, 0, 0},    /* due today: not yet late */
        {"2026-05-11", LF_SCHED_DL_PAST, 1, 0},
        {"2026-05-09", LF_SCHED_DL_PAST, 3, LF_SCHED_ESC_COUNTY},
        {"2026-05-03", LF_SCHED_DL_PAST, 9, LF_SCHED_ESC_COUNTY},
        {"2026-05-02", LF_SCHED_DL_PAST, 10, LF_SCHED_ESC_COUNTY | LF_SCHED_ESC_REGION},
        {"2025-12-31", LF_SCHED_DL_PAST, 132, LF_SCHED_ESC_COUNTY | LF_SCHED_ESC_REGION},   /* over a year end */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        long late = 99999;
        assert_int_equal(lf_sched_deadline_due(&o, "2026-05-12", rows[i].due, &late), rows[i].st);
        assert_int_equal(late, rows[i].late);
        assert_int_equal(lf_sched_escalation_due(&o, "2026-05-12", rows[i].due), rows[i].esc);
    }
    assert_int_equal(lf_sched_deadline_due(&o, "2026-05-12", NULL, NULL), LF_SCHED_DL_NONE);
    assert_int_equal(lf_sched_escalation_due(&o, "2026-05-12", "bad"), 0);
}

static void test_scheduler_backoff(void **state)
{
    (void)state;
    lf_scheduler_opts o;
    lf_scheduler_defaults(&o);
    assert_int_equal(lf_sched_backoff(&o, 0), 0);
    assert_int_equal(lf_sched_backoff(&o, 1), 300);
    assert_int_equal(lf_sched_backoff(&o, 2), 600);
    assert_int_equal(lf_sched_backoff(&o, 4), 2400);
    assert_int_equal(lf_sched_backoff(&o, 40), 86400);   /* capped at a day, no overflow */
}

static lf_store_finding fnd(lf_id id, lf_fstate st, int64_t first_seen, const char *due)
{
    lf_store_finding f;
    memset(&f, 0, sizeof f);
    f.id = id;
    f.agency_id = 7;
    f.state = st;
    f.first_seen = first_seen;
    f.due_date = due;
    return f;
}

/* One agency on 2026-05-12: which findings each job picks, given what was marked before. */
static void test_scheduler_plan(void **state)
{
    (void)state;
    lf_scheduler_opts o;
    lf_scheduler_defaults(&o);
    int64_t now = T_0512 + 9 * 3600;
    lf_store_finding f[] = {
        fnd(1, LF_FSTATE_OPEN, now - 100, NULL),                  /* new, no deadline */
        fnd(2, LF_FSTATE_OPEN, now - 100, "2026-05-14"),          /* near */
        fnd(3, LF_FSTATE_MEASURE_FILED, now - 100, "2026-05-01"), /* 11 days late: all */
        fnd(4, LF_FSTATE_FIXED, now - 100, "2026-05-01"),         /* fixed: nothing */
        fnd(5, LF_FSTATE_OPEN, now + 100, "2026-05-08"),          /* seen after now: no digest yet */
        fnd(6, LF_FSTATE_RISK_ACCEPTED, now - 100, "2026-05-01"), /* accepted: nothing */
        fnd(7, LF_FSTATE_OPEN, now - 100, "2026-05-11"),          /* 1 day late */
    };
    size_t n = sizeof f / sizeof f[0];
    size_t buf[5][8];
    lf_sched_due d = {buf[0], buf[1], buf[2], buf[3], buf[4], 0, 0, 0, 0, 0};
    lf_sched_view v = {f, n, now, "2026-05-12", NULL, NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0};
    lf_sched_plan(&o, &v, &d);
    /* indices into f */
    assert_int_equal(d.ndigest, 4);
    assert_int_equal(d.digest[0], 0);
    assert_int_equal(d.digest[1], 1);
    assert_int_equal(d.digest[2], 2);
    assert_int_equal(d.digest[3], 6);
    assert_int_equal(d.nnear, 1);
    assert_int_equal(d.near[0], 1);
    assert_int_equal(d.npast, 3);
    assert_int_equal(d.past[0], 2);
    assert_int_equal(d.past[1], 4);
    assert_int_equal(d.past[2], 6);
    assert_int_equal(d.ncounty, 2);   /* 3 (11 days) and 5 (4 days) */
    assert_int_equal(d.county[0], 2);
    assert_int_equal(d.county[1], 4);
    assert_int_equal(d.nregion, 1);
    assert_int_equal(d.region[0], 2);

    /* the same day after that run: everything marked, nothing due */
    lf_id dg[] = {1, 2, 3, 7}, nr[] = {2}, ps[] = {3, 5, 7}, ct[] = {3, 5}, rg[] = {3};
    lf_sched_view v2 = {f, n, now, "2026-05-12", dg, nr, ps, ct, rg, 4, 1, 3, 2, 1};
    lf_sched_plan(&o, &v2, &d);
    assert_int_equal(d.ndigest + d.nnear + d.npast + d.ncounty + d.nregion, 0);

    /* a week later: 5 is digested now, 2 has become late, 7 reaches the county */
    lf_sched_view v3 = {f, n, now + 7 * 86400, "2026-05-19", dg, nr, ps, ct, rg, 4, 1, 3, 2, 1};
    lf_sched_plan(&o, &v3, &d);
    assert_int_equal(d.ndigest, 1);
    assert_int_equal(d.digest[0], 4);
    assert_int_equal(d.nnear, 0);
    assert_int_equal(d.npast, 1);
    assert_int_equal(d.past[0], 1);
    assert_int_equal(d.ncounty, 2);   /* 2 (5 days late) and 7 (8 days) */
    assert_int_equal(d.county[0], 1);
    assert_int_equal(d.county[1], 6);
    assert_int_equal(d.nregion, 1);   /* 5: 11 days late */
    assert_int_equal(d.region[0], 4);
}

/* The outbox in a real store: record, duplicates refused whole, due, retries, summary. */
static void test_scheduler_outbox_store(void **state)
{
    (void)state;
    char dir[] = "/tmp/lf-sched-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char url[128];
    snprintf(url, sizeof url, "sqlite:%s/t.db", dir);
    lf_store *s;
    lf_err e;
    lf_err_clear(&e);
    assert_int_equal(lf_store_open(url, &s, &e), LF_OK);
    lf_arena a;
    lf_arena_init(&a, 0);
    lf_store_org tpe;
    assert_int_equal(lf_store_org_get_by_code(s, "TW-TPE", &a, &tpe, &e), LF_OK);
    lf_store_notice n;
    memset(&n, 0, sizeof n);
    n.key = "upload/TPE-HR/2026-05/reminder";
    n.kind = "upload";
    n.stage = "reminder";
    n.org_id = tpe.id;
    n.notice_date = "2026-05-07";
    n.created = 1000;
    n.subject = "s";
    n.recipients = "a@x.gov.tw\nb@x.gov.tw";
    n.body_text = "t";
    n.body_html = "<p>h</p>";
    n.payload_json = "{}";
    const char *ch[] = {"mail", "webhook"};
    lf_id id = 0;
    assert_int_equal(lf_store_notice_create(s, &n, ch, 2, NULL, 0, &id, &e), LF_OK);
    assert_true(id > 0);
    assert_int_equal(lf_store_notice_create(s, &n, ch, 2, NULL, 0, NULL, &e), LF_EEXIST);
    const char *bad[] = {"mail", "mail"};
    n.key = "other";
    assert_int_equal(lf_store_notice_create(s, &n, bad, 2, NULL, 0, NULL, &e), LF_EINVAL);

    /* due at 1000, not before */
    lf_store_notice *v;
    size_t cnt;
    assert_int_equal(lf_store_notice_due(s, 999, 10, &a, &v, &cnt, &e), LF_OK);
    assert_int_equal(cnt, 0);
    assert_int_equal(lf_store_notice_due(s, 1000, 10, &a, &v, &cnt, &e), LF_OK);
    assert_int_equal(cnt, 1);
    assert_int_equal(v[0].ndeliveries, 2);
    assert_string_equal(v[0].recipients, "a@x.gov.tw\nb@x.gov.tw");

    /* mail sent, webhook failed once (retry at 1300): still pending, not due at 1200 */
    lf_store_delivery d = {"mail", LF_NSTATE_SENT, 1, 1000, NULL, 1000};
    assert_int_equal(lf_store_notice_delivered(s, id, &d, 1000, &e), LF_OK);
    lf_store_delivery w = {"webhook", LF_NSTATE_PENDING, 1, 1300, "HTTP 500", 0};
    assert_int_equal(lf_store_notice_delivered(s, id, &w, 1000, &e), LF_OK);
    lf_store_notice g;
    assert_int_equal(lf_store_notice_get(s, 0, "upload/TPE-HR/2026-05/reminder", &a, &g, &e), LF_OK);
    assert_int_equal(g.state, LF_NSTATE_PENDING);
    assert_int_equal(g.attempts, 1);
    assert_string_equal(g.last_error, "HTTP 500");
    assert_int_equal(g.sent_at, 0);
    assert_int_equal(lf_store_notice_due(s, 1200, 10, &a, &v, &cnt, &e), LF_OK);
    assert_int_equal(cnt, 0);
    /* then delivered: sent, sent_at the last delivery's time */
    lf_store_delivery w2 = {"webhook", LF_NSTATE_SENT, 2, 1300, NULL, 1300};
    assert_int_equal(lf_store_notice_delivered(s, id, &w2, 1300, &e), LF_OK);
    assert_int_equal(lf_store_notice_get(s, id, NULL, &a, &g, &e), LF_OK);
    assert_int_equal(g.state, LF_NSTATE_SENT);
    assert_int_equal(g.sent_at, 1300);
    assert_int_equal(g.attempts, 2);
    uint64_t counts[4];
    assert_int_equal(lf_store_notice_counts(s, counts, &e), LF_OK);
    assert_int_equal(counts[LF_NSTATE_SENT], 1);
    assert_int_equal(counts[LF_NSTATE_PENDING], 0);

    /* a failed-for-good delivery makes the notice failed and visible in the list */
    n.key = "digest/X/2026-05-07/f1";
    n.kind = "digest";
    n.stage = "digest";
    lf_id id2;
    assert_int_equal(lf_store_notice_create(s, &n, ch + 1, 1, NULL, 0, &id2, &e), LF_OK);
    lf_store_delivery f = {"webhook", LF_NSTATE_FAILED, 5, 0, "HTTP 503", 0};
    assert_int_equal(lf_store_notice_delivered(s, id2, &f, 2000, &e), LF_OK);
    lf_store_nfilter nf = {0, LF_NSTATE_FAILED, NULL, NULL};
    assert_int_equal(lf_store_notice_list(s, &nf, NULL, &a, &v, &cnt, &e), LF_OK);
    assert_int_equal(cnt, 1);
    assert_int_equal(v[0].id, id2);
    assert_non_null(strstr(v[0].deliveries_json, "\"HTTP 503\""));
    nf = (lf_store_nfilter){0, 0, NULL, "upload/"};
    assert_int_equal(lf_store_notice_list(s, &nf, NULL, &a, &v, &cnt, &e), LF_OK);
    assert_int_equal(cnt, 1);
    assert_int_equal(v[0].id, id);
    lf_id *ids;
    assert_int_equal(lf_store_notice_marks(s, tpe.id, "digest", &a, &ids, &cnt, &e), LF_OK);
    assert_int_equal(cnt, 0);

    lf_arena_clear(&a);
    lf_store_close(s);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scheduler_today_taiwan),
        cmocka_unit_test(test_scheduler_parse_time),
        cmocka_unit_test(test_scheduler_upload_stages),
        cmocka_unit_test(test_scheduler_deadline_and_escalation),
        cmocka_unit_test(test_scheduler_backoff),
        cmocka_unit_test(test_scheduler_plan),
        cmocka_unit_test(test_scheduler_outbox_store),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
