/*
 * Tests for src/server/notice.c: each kind's bilingual subject and body (Chinese before
 * English), severity words, days left / overdue, list order and the row cap, HTML
 * escaping of outside strings and http(s)-only links, cleaning of control characters and
 * invalid UTF-8, the stable key, and the webhook JSON.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/json.h"
#include "server/notice.h"

static const lf_notice_finding sample[] = {
    {"pc-023", "CVE-2023-4863", "Google Chrome 116.0.5845.96", 8.8, "HIGH", true, "2023-10-04", "2026-05-15",
     "https://chromereleases.googleblog.com/2023/09/stable-channel-update-for-desktop_11.html"},
    {"file01", "CVE-2023-38545", "curl 8.3.0", 9.8, NULL, false, NULL, "2026-05-07", "https://curl.se/docs/CVE-2023-38545.html"},
    {"web01", "CVE-2021-41773", "Apache HTTP Server 2.4.49", 7.5, "HIGH", true, "2021-11-17", "2026-05-12", NULL},
};

static lf_notice base(lf_notice_kind kind)
{
    lf_notice n = {0};
    n.kind = kind;
    n.today = "2026-05-12";
    n.agency = (lf_notice_org){"379030000A", "臺北市政府人事處", "Department of Personnel, Taipei City Government"};
    n.to_org = (lf_notice_org){"TW-TPE", "臺北市", "Taipei City"};
    n.findings = sample;
    n.nfindings = 3;
    n.portal_url = "https://lianfang.example.gov.tw/";
    return n;
}

static void render(const lf_notice *n, lf_notice_msg *m)
{
    lf_err e;
    lf_notice_msg_init(m);
    int rc = lf_notice_render(n, m, &e);
    if (rc)
        fail_msg("render: %s", e.msg);
}

/* a appears in s, and before b when b is given */
static void assert_before(const char *s, const char *a, const char *b)
{
    const char *pa = strstr(s, a);
    if (!pa)
        fail_msg("'%s' missing from:\n%s", a, s);
    if (b) {
        const char *pb = strstr(s, b);
        if (!pb)
            fail_msg("'%s' missing from:\n%s", b, s);
        if (pa > pb)
            fail_msg("'%s' should come before '%s'", a, b);
    }
}

static void test_notice_digest_bilingual(void **state)
{
    (void)state;
    lf_notice n = base(LF_NOTICE_DIGEST);
    lf_notice_msg m;
    render(&n, &m);
    assert_string_equal(m.subject.data,
                        "【聯防】新發現弱點通知 New vulnerability findings — 臺北市政府人事處 (3)");
    const char *t = m.text.data;
    /* Chinese section first, then the English one, each complete. */
    assert_before(t, "臺北市政府人事處 資安窗口您好：", "Dear security contact of Department of Personnel");
    assert_before(t, "發現 3 項新弱點", "found 3 new vulnerabilities");
    assert_before(t, "本郵件由聯防平臺自動發送", "This message was sent automatically");
    /* KEV rows first (higher CVSS among them first), then the rest. */
    assert_before(t, "1. 主機 pc-023｜CVE-2023-4863｜Google Chrome", "2. 主機 web01｜CVE-2021-41773");
    assert_before(t, "2. 主機 web01", "3. 主機 file01｜CVE-2023-38545｜curl 8.3.0");
    assert_before(t, "CVSS 8.8（高）｜KEV 已知遭利用：是，CISA 期限 2023-10-04｜修補期限 2026-05-15", NULL);
    assert_before(t, "CVSS 9.8（嚴重）｜KEV 已知遭利用：否｜修補期限 2026-05-07", NULL);
    assert_before(t, "CVSS 9.8 (Critical) | KEV known exploited: no | Fix by 2026-05-07", NULL);
    assert_before(t, "CVSS 8.8 (High) | KEV known exploited: yes, CISA due 2023-10-04", NULL);
    assert_before(t, "修補資訊：https://curl.se/docs/CVE-2023-38545.html", "Fix: https://curl.se/docs/CVE-2023-38545.html");
    assert_before(t, "修補資訊：（無）", "Fix: (none)");
    assert_before(t, "詳情請登入聯防平臺：https://lianfang.example.gov.tw/", "Details on the platform:");
    /* digests carry no days-left column */
    assert_null(strstr(t, "剩 "));
    const char *h = m.html.data;
    assert_before(h, "<html lang=\"zh-Hant\">", "<div lang=\"zh-Hant\">");
    assert_before(h, "<div lang=\"zh-Hant\">", "<div lang=\"en\">");
    assert_before(h, "<th>嚴重度</th>", "<th>Severity</th>");
    assert_before(h, "<td>嚴重</td>", "<td>Critical</td>");
    assert_before(h, "<a href=\"https://curl.se/docs/CVE-2023-38545.html\">", NULL);
    assert_before(h, "<title>【聯防】新發現弱點通知", NULL);
    lf_notice_msg_clear(&m);
}

static void test_notice_deadline_days(void **state)
{
    (void)state;
    static const lf_notice_finding f[] = {
        {"h1", "CVE-2026-0001", "p", 7.1, NULL, false, NULL, "2026-05-15", NULL},   /* 3 left */
        {"h2", "CVE-2026-0002", "p", 7.2, NULL, false, NULL, "2026-05-07", NULL},   /* 5 overdue */
        {"h3", "CVE-2026-0003", "p", 7.3, NULL, false, NULL, "2026-05-12", NULL},   /* today */
        {"h4", "CVE-2026-0004", "p", 7.4, NULL, false, NULL, "2026-05-13", NULL},   /* 1 left */
        {"h5", "CVE-2026-0005", "p", 7.5, NULL, false, NULL, "2026-05-11", NULL},   /* 1 overdue */
    };
    lf_notice n = base(LF_NOTICE_DEADLINE);
    n.findings = f;
    n.nfindings = 5;
    lf_notice_msg m;
    render(&n, &m);
    assert_string_equal(m.subject.data, "【聯防】弱點修補逾期通知 Remediation overdue — 臺北市政府人事處 (5)");
    const char *t = m.text.data;
    assert_before(t, "（逾期 2 項、即將到期 3 項）", "(2 overdue, 3 due soon)");
    assert_before(t, "修補期限 2026-05-15（剩 3 天）", "Fix by 2026-05-15 (3 days left)");
    assert_before(t, "修補期限 2026-05-07（已逾期 5 天）", "Fix by 2026-05-07 (5 days overdue)");
    assert_before(t, "修補期限 2026-05-12（今日到期）", "Fix by 2026-05-12 (due today)");
    assert_before(t, "（剩 1 天）", "(1 day left)");
    assert_before(t, "（已逾期 1 天）", "(1 day overdue)");
    assert_before(m.html.data, "<th>狀態</th>", "<th>Status</th>");
    lf_notice_msg_clear(&m);
    /* None overdue: a reminder, not an overdue notice. */
    n.findings = f;
    n.nfindings = 1;
    render(&n, &m);
    assert_string_equal(m.subject.data,
                        "【聯防】弱點修補期限提醒 Remediation deadline approaching — 臺北市政府人事處 (1)");
    assert_before(m.text.data, "1 finding of your agency is past or near", NULL);
    lf_notice_msg_clear(&m);
}

static void test_notice_upload(void **state)
{
    (void)state;
    lf_notice n = base(LF_NOTICE_UPLOAD);
    n.month = "2026-05";
    n.upload_due = "2026-05-10";
    lf_notice_msg m;
    render(&n, &m);
    assert_string_equal(m.subject.data,
                        "【聯防】每月資產清冊未上傳 Monthly inventory upload missing — 臺北市政府人事處 (2026-05)");
    assert_before(m.text.data, "貴機關 2026-05 的軟體資產清冊尚未上傳至聯防平臺，繳交期限為 2026-05-10。目前已逾期 2 天。",
                  "inventory for 2026-05 has not been uploaded to the Lianfang platform; it is due on 2026-05-10. It is 2 "
                  "days overdue.");
    assert_null(strstr(m.text.data, "CVE-"));   /* no finding list in an upload reminder */
    lf_notice_msg_clear(&m);
    n.today = "2026-05-07";
    render(&n, &m);
    assert_before(m.text.data, "距期限尚有 3 天。", " 3 days remain.");
    lf_notice_msg_clear(&m);
    /* The month and due date are required and checked. */
    lf_err e;
    lf_notice_msg_init(&m);
    n.month = "2026-13";
    assert_int_equal(lf_notice_render(&n, &m, &e), LF_EINVAL);
    assert_non_null(strstr(e.msg, "month"));
    n.month = "2026-05";
    n.upload_due = NULL;
    assert_int_equal(lf_notice_render(&n, &m, &e), LF_EINVAL);
    n.upload_due = "2026-05-10";
    n.today = "12 May 2026";
    assert_int_equal(lf_notice_render(&n, &m, &e), LF_EINVAL);
    assert_non_null(strstr(e.msg, "today"));
    n.kind = (lf_notice_kind)9;
    n.today = "2026-05-12";
    assert_int_equal(lf_notice_render(&n, &m, &e), LF_EINVAL);
    lf_notice_msg_clear(&m);
}

static void test_notice_escalation(void **state)
{
    (void)state;
    lf_notice n = base(LF_NOTICE_ESCALATION);
    n.findings = sample + 1;   /* the overdue one */
    n.nfindings = 1;
    lf_notice_msg m;
    render(&n, &m);
    assert_string_equal(m.subject.data,
                        "【聯防】逾期未修補弱點陳報 Escalation: overdue findings — 臺北市政府人事處 (1)");
    assert_before(m.text.data, "臺北市 聯防窗口您好：", "Dear joint-defense contact of Taipei City,");
    assert_before(m.text.data, "所轄機關「臺北市政府人事處」有 1 項弱點已逾修補期限仍未修補",
                  "Department of Personnel, Taipei City Government, an agency in your area, has 1 finding past");
    assert_before(m.text.data, "（已逾期 5 天）", "(5 days overdue)");
    lf_notice_msg_clear(&m);
}

static void test_notice_html_escaping(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } t[] = {
        {"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
        {"Tom & Jerry's \"app\"", "Tom &amp; Jerry&#39;s &quot;app&quot;"},
        {"臺北 & 新北", "臺北 &amp; 新北"},
        {"a\tb\nc\x01""d", "a b c d"},
        {"bad \xFF byte", "bad \xEF\xBF\xBD byte"},
        {"&amp;", "&amp;amp;"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        lf_buf b;
        lf_buf_init(&b, 0);
        assert_int_equal(lf_notice_html_escape(&b, t[i].in), LF_OK);
        assert_string_equal(b.data, t[i].out);
        lf_buf_clear(&b);
    }
    /* In a whole notice: outside strings never become markup, bad links never links. */
    static const lf_notice_finding f[] = {
        {"<b>host</b>", "CVE-2026-0001", "<img src=x onerror=alert(1)>", 9.0, NULL, false, NULL, NULL,
         "javascript:alert(1)"},
        {"h2", "CVE-2026-0002", "p", 9.0, NULL, false, NULL, NULL, "https://vendor.example/adv?id=1&lang=zh\"><x"},
        {"h3", "CVE-2026-0003", "p", 9.0, NULL, false, NULL, NULL, "https://vendor.example/adv?id=1&lang=zh"},
        {"h4", "CVE-2026-0004", "p", 9.0, NULL, false, NULL, NULL, "data:text/html,<x>"},
    };
    lf_notice n = base(LF_NOTICE_DIGEST);
    n.agency.name_zh = "<i>機關</i>";
    n.findings = f;
    n.nfindings = 4;
    lf_notice_msg m;
    render(&n, &m);
    const char *h = m.html.data;
    assert_null(strstr(h, "<img"));
    assert_null(strstr(h, "<b>"));
    assert_null(strstr(h, "<i>"));
    assert_null(strstr(h, "<x"));
    assert_null(strstr(h, "href=\"javascript"));
    assert_null(strstr(h, "href=\"data"));
    assert_non_null(strstr(h, "&lt;img src=x onerror=alert(1)&gt;"));
    assert_non_null(strstr(h, "<td>javascript:alert(1)</td>"));
    assert_non_null(strstr(h, "<a href=\"https://vendor.example/adv?id=1&amp;lang=zh\">"));
    assert_null(strstr(h, "<a href=\"https://vendor.example/adv?id=1&amp;lang=zh&quot;"));
    assert_non_null(strstr(h, "&lt;i&gt;機關&lt;/i&gt; 資安窗口您好"));
    /* the text part keeps them as plain text */
    assert_non_null(strstr(m.text.data, "<img src=x onerror=alert(1)>"));
    lf_notice_msg_clear(&m);
}

static void test_notice_url_ok(void **state)
{
    (void)state;
    static const struct {
        const char *url;
        bool ok;
    } t[] = {
        {"https://curl.se/docs/CVE-2023-38545.html", true},
        {"HTTP://example.gov.tw/a?b=c#d", true},
        {"javascript:alert(1)", false},
        {"https://", false},
        {"https:///path", false},
        {"ftp://example.com/", false},
        {"https://a.example/x y", false},
        {"https://a.example/\"onmouseover=", false},
        {"//a.example/", false},
        {"", false},
        {NULL, false},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (lf_notice_url_ok(t[i].url) != t[i].ok)
            fail_msg("url '%s': expected %s", t[i].url ? t[i].url : "(null)", t[i].ok ? "ok" : "refused");
}

static void test_notice_severity_words(void **state)
{
    (void)state;
    static const struct {
        double cvss;
        const char *word, *zh, *en;
    } t[] = {
        {9.8, NULL, "嚴重", "Critical"}, {9.0, NULL, "嚴重", "Critical"}, {8.9, NULL, "高", "High"},
        {7.0, NULL, "高", "High"},       {6.9, NULL, "中", "Medium"},     {4.0, NULL, "中", "Medium"},
        {3.9, NULL, "低", "Low"},        {0.1, NULL, "低", "Low"},         {0.0, NULL, "無", "None"},
        {-1, NULL, "未評分", "Not scored"}, {9.9, "medium", "中", "Medium"}, {-1, "CRITICAL", "嚴重", "Critical"},
        {5.0, "bogus", "中", "Medium"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        const char *zh, *en;
        lf_notice_severity(t[i].cvss, t[i].word, &zh, &en);
        assert_string_equal(zh, t[i].zh);
        assert_string_equal(en, t[i].en);
    }
}

static void test_notice_cap_and_cleaning(void **state)
{
    (void)state;
    enum { N = 250 };
    lf_notice_finding *f = calloc(N, sizeof *f);
    char (*cve)[20] = calloc(N, 20);
    assert_non_null(f);
    assert_non_null(cve);
    for (size_t i = 0; i < N; i++) {
        snprintf(cve[i], 20, "CVE-2026-%04zu", i);
        f[i] = (lf_notice_finding){"h", cve[i], "p", 7.0, NULL, false, NULL, "2026-06-12", NULL};
    }
    lf_notice n = base(LF_NOTICE_DIGEST);
    n.findings = f;
    n.nfindings = N;
    /* A name with a newline and a stray byte must not break the subject line. */
    n.agency.name_zh = "臺北市\r\nBcc: x@y \xC0 機關";
    lf_notice_msg m;
    render(&n, &m);
    assert_string_equal(m.subject.data,
                        "【聯防】新發現弱點通知 New vulnerability findings — 臺北市  Bcc: x@y \xEF\xBF\xBD 機關 (250)");
    assert_non_null(strstr(m.text.data, "\n200. 主機 h"));
    assert_null(strstr(m.text.data, "\n201. "));
    assert_before(m.text.data, "……另有 50 筆未列出", "... and 50 more");
    assert_non_null(strstr(m.html.data, "<tr><td>200</td>"));
    assert_null(strstr(m.html.data, "<tr><td>201</td>"));
    /* the count in the subject and intro is the whole list */
    assert_non_null(strstr(m.text.data, "發現 250 項新弱點"));
    lf_notice_msg_clear(&m);
    n.max_rows = 5;
    render(&n, &m);
    assert_non_null(strstr(m.text.data, "另有 245 筆"));
    lf_notice_msg_clear(&m);
    /* Long outside strings are cut on a character boundary. */
    char longname[1000];
    for (int i = 0; i < 300; i++)
        memcpy(longname + 3 * i, "臺", 3);
    longname[900] = '\0';
    n.agency.name_zh = longname;
    n.nfindings = 1;
    render(&n, &m);
    assert_non_null(strstr(m.subject.data, "臺…"));
    assert_true(strlen(m.subject.data) < LF_NOTICE_MAX_FIELD + 200);
    lf_notice_msg_clear(&m);
    free(cve);
    free(f);
}

static void test_notice_note(void **state)
{
    (void)state;
    lf_notice n = base(LF_NOTICE_DIGEST);
    n.note = "這是測試通知 This is a test.\n.a line starting with a dot\n<b>not bold</b>";
    lf_notice_msg m;
    render(&n, &m);
    assert_before(m.text.data, "這是測試通知 This is a test.\n.a line starting with a dot\n<b>not bold</b>\n\n",
                  "臺北市政府人事處 資安窗口您好");
    assert_non_null(strstr(m.html.data, "<p>這是測試通知 This is a test.<br>\n.a line starting with a dot<br>\n"
                                         "&lt;b&gt;not bold&lt;/b&gt;</p>"));
    lf_notice_msg_clear(&m);
}

static void test_notice_key_and_json(void **state)
{
    (void)state;
    lf_notice n = base(LF_NOTICE_DIGEST);
    char k[128];
    assert_int_equal(lf_notice_key(&n, k, sizeof k), LF_OK);
    assert_string_equal(k, "digest/379030000A/2026-05-12");
    n.kind = LF_NOTICE_ESCALATION;
    assert_int_equal(lf_notice_key(&n, k, sizeof k), LF_OK);
    assert_string_equal(k, "escalation/379030000A/2026-05-12/TW-TPE");
    n.kind = LF_NOTICE_UPLOAD;
    n.month = "2026-05";
    n.upload_due = "2026-05-10";
    assert_int_equal(lf_notice_key(&n, k, sizeof k), LF_OK);
    assert_string_equal(k, "upload/379030000A/2026-05");
    assert_int_equal(lf_notice_key(&n, k, 8), LF_ELIMIT);
    n.agency.code = NULL;
    assert_int_equal(lf_notice_key(&n, k, sizeof k), LF_EINVAL);
    assert_string_equal(lf_notice_kind_name(LF_NOTICE_DEADLINE), "deadline");
    assert_int_equal(lf_notice_kind_parse("escalation"), LF_NOTICE_ESCALATION);
    assert_int_equal(lf_notice_kind_parse("nope"), -1);

    n = base(LF_NOTICE_DEADLINE);
    n.max_rows = 2;
    lf_buf b;
    lf_buf_init(&b, 0);
    assert_int_equal(lf_notice_json(&n, "deadline/379030000A/2026-05-12", "subj \"q\"", &b), LF_OK);
    lf_arena a;
    lf_arena_init(&a, 0);
    lf_json *j;
    lf_err e;
    assert_int_equal(lf_json_parse(&a, b.data, b.len, NULL, &j, &e), LF_OK);
    assert_string_equal(lf_json_get_str(j, "kind"), "deadline");
    assert_string_equal(lf_json_get_str(j, "key"), "deadline/379030000A/2026-05-12");
    assert_string_equal(lf_json_get_str(j, "subject"), "subj \"q\"");
    assert_string_equal(lf_json_get_str(lf_json_get(j, "agency"), "name_zh"), "臺北市政府人事處");
    const lf_json *fs = lf_json_get(j, "findings");
    assert_int_equal(lf_json_len(fs), 2);
    assert_int_equal((int)lf_json_num(lf_json_get(j, "total"), -1), 3);
    assert_int_equal((int)lf_json_num(lf_json_get(j, "more"), -1), 1);
    const lf_json *f0 = lf_json_at(fs, 0);
    assert_string_equal(lf_json_get_str(f0, "cve"), "CVE-2023-4863");
    assert_true(lf_json_bool(lf_json_get(f0, "kev"), false));
    assert_int_equal((int)lf_json_num(lf_json_get(f0, "days_left"), -99), 3);
    assert_string_equal(lf_json_get_str(f0, "severity"), "High");
    assert_string_equal(lf_json_get_str(f0, "severity_zh"), "高");
    lf_arena_clear(&a);
    lf_buf_clear(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_notice_digest_bilingual),
        cmocka_unit_test(test_notice_deadline_days),
        cmocka_unit_test(test_notice_upload),
        cmocka_unit_test(test_notice_escalation),
        cmocka_unit_test(test_notice_html_escaping),
        cmocka_unit_test(test_notice_url_ok),
        cmocka_unit_test(test_notice_severity_words),
        cmocka_unit_test(test_notice_cap_and_cleaning),
        cmocka_unit_test(test_notice_note),
        cmocka_unit_test(test_notice_key_and_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
