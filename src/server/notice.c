/*
 * notice: bilingual (Traditional Chinese, then English) subject, text and HTML of the
 * platform's notices, and their JSON for webhooks. See notice.h for what each kind says
 * and how outside strings are cleaned and escaped.
 */
#include "server/notice.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <utf8proc.h>

#include "core/json.h"
#include "server/deadline.h"

#define NOTE_MAX 4000   /* bytes kept of the operator's note */
#define NO_DAYS LONG_MIN

static const char *const kind_names[] = {NULL, "digest", "upload", "deadline", "escalation"};

const char *lf_notice_kind_name(lf_notice_kind k)
{
    return k >= LF_NOTICE_DIGEST && k <= LF_NOTICE_ESCALATION ? kind_names[k] : NULL;
}

int lf_notice_kind_parse(const char *s)
{
    for (int k = LF_NOTICE_DIGEST; s && k <= LF_NOTICE_ESCALATION; k++)
        if (!strcmp(s, kind_names[k]))
            return k;
    return -1;
}

void lf_notice_msg_init(lf_notice_msg *m)
{
    lf_buf_init(&m->subject, 4096);
    lf_buf_init(&m->text, 0);
    lf_buf_init(&m->html, 0);
}

void lf_notice_msg_clear(lf_notice_msg *m)
{
    lf_buf_clear(&m->subject);
    lf_buf_clear(&m->text);
    lf_buf_clear(&m->html);
}

/* ---- cleaning and escaping outside text ---- */

enum { CLEAN_NL = 1, CLEAN_HTML = 2 };

/* Append s: control characters become spaces (newlines kept as "\n" or "<br>" with
 * CLEAN_NL), invalid UTF-8 becomes U+FFFD, HTML specials escaped with CLEAN_HTML, and at
 * most max bytes of s are used (cut on a character boundary, then "…"). */
static int put_clean(lf_buf *out, const char *s, size_t max, unsigned flags)
{
    if (!s)
        return LF_OK;
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    int rc = LF_OK;
    for (size_t i = 0; i < n && !rc;) {
        if (i >= max) {
            rc = lf_buf_puts(out, "…");
            break;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t l = utf8proc_iterate(p + i, (utf8proc_ssize_t)(n - i > 4 ? 4 : n - i), &cp);
        if (l <= 0) {
            rc = lf_buf_puts(out, "\xEF\xBF\xBD");
            i++;
            continue;
        }
        if (cp == '\n' && (flags & CLEAN_NL))
            rc = lf_buf_puts(out, flags & CLEAN_HTML ? "<br>\n" : "\n");
        else if (cp == '\r' && (flags & CLEAN_NL))
            ;   /* CRLF -> LF */
        else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) || cp == 0x2028 || cp == 0x2029)
            rc = lf_buf_putc(out, ' ');
        else if ((flags & CLEAN_HTML) && cp == '&')
            rc = lf_buf_puts(out, "&amp;");
        else if ((flags & CLEAN_HTML) && cp == '<')
            rc = lf_buf_puts(out, "&lt;");
        else if ((flags & CLEAN_HTML) && cp == '>')
            rc = lf_buf_puts(out, "&gt;");
        else if ((flags & CLEAN_HTML) && cp == '"')
            rc = lf_buf_puts(out, "&quot;");
        else if ((flags & CLEAN_HTML) && cp == '\'')
            rc = lf_buf_puts(out, "&#39;");
        else
            rc = lf_buf_append(out, p + i, (size_t)l);
        i += (size_t)l;
    }
    return rc;
}

int lf_notice_html_escape(lf_buf *out, const char *s)
{
    return put_clean(out, s, LF_NOTICE_MAX_FIELD, CLEAN_HTML);
}

bool lf_notice_url_ok(const char *s)
{
    if (!s)
        return false;
    size_t skip = !strncasecmp(s, "https://", 8) ? 8 : !strncasecmp(s, "http://", 7) ? 7 : 0;
    if (!skip || !s[skip] || strchr("/?#@:", s[skip]) || strlen(s) > 2000)
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= 0x20 || *p == 0x7f || *p == '"' || *p == '<' || *p == '>' || *p == '\\')
            return false;
    return true;
}

/* ---- words ---- */

void lf_notice_severity(double cvss, const char *sev, const char **zh, const char **en)
{
    static const struct {
        const char *word, *zh, *en;
        double from;
    } t[] = {{"CRITICAL", "嚴重", "Critical", 9.0}, {"HIGH", "高", "High", 7.0}, {"MEDIUM", "中", "Medium", 4.0},
             {"LOW", "低", "Low", 0.1},             {"NONE", "無", "None", 0.0}};
    size_t n = sizeof t / sizeof t[0];
    for (size_t i = 0; sev && i < n; i++)
        if (!strcasecmp(sev, t[i].word)) {
            *zh = t[i].zh;
            *en = t[i].en;
            return;
        }
    /* CVSS v3/v4 qualitative ratings (v3.1 specification §5) when no word was given. */
    if (cvss >= 0 && cvss <= 10)
        for (size_t i = 0; i < n; i++)
            if (cvss >= t[i].from) {
                *zh = t[i].zh;
                *en = t[i].en;
                return;
            }
    *zh = "未評分";
    *en = "Not scored";
}

static const char *org_zh(const lf_notice_org *o)
{
    return o->name_zh && *o->name_zh ? o->name_zh : o->name_en && *o->name_en ? o->name_en : o->code ? o->code : "";
}

static const char *org_en(const lf_notice_org *o)
{
    return o->name_en && *o->name_en ? o->name_en : o->name_zh && *o->name_zh ? o->name_zh : o->code ? o->code : "";
}

/* ---- the list ---- */

typedef struct row {
    const lf_notice_finding *f;
    long days;                  /* due - today, NO_DAYS when either is missing */
} row;

static int cmp_str(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

static bool has_score(double c)
{
    return c >= 0 && c <= 10;
}

/* KEV first (known exploitation is the first thing to fix), then higher CVSS, then the
 * earlier deadline, then host and CVE so the order is total and stable across runs. */
static int cmp_row(const void *pa, const void *pb)
{
    const row *a = pa, *b = pb;
    if (a->f->kev != b->f->kev)
        return a->f->kev ? -1 : 1;
    double ca = has_score(a->f->cvss) ? a->f->cvss : -1, cb = has_score(b->f->cvss) ? b->f->cvss : -1;
    if (ca != cb)
        return ca > cb ? -1 : 1;
    if (a->days != b->days)
        return a->days == NO_DAYS ? 1 : b->days == NO_DAYS ? -1 : a->days < b->days ? -1 : 1;
    int c = cmp_str(a->f->host, b->f->host);
    return c ? c : cmp_str(a->f->cve, b->f->cve);
}

typedef struct ctx {
    const lf_notice *n;
    long today;                 /* days since epoch, NO_DAYS when not given */
    row *rows;
    size_t nrows, shown;        /* shown = min(nrows, cap) */
    size_t overdue, near;
    lf_buf *out;
    int rc;
} ctx;

static void put(ctx *c, const char *s)
{
    if (!c->rc)
        c->rc = lf_buf_puts(c->out, s);
}

static void putf(ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(ctx *c, const char *fmt, ...)
{
    if (c->rc)
        return;
    va_list ap;
    va_start(ap, fmt);
    c->rc = lf_buf_vprintf(c->out, fmt, ap);
    va_end(ap);
}

/* Outside text: cleaned for the text part, escaped for the HTML one. */
static void put_x(ctx *c, const char *s, bool html)
{
    if (!c->rc)
        c->rc = put_clean(c->out, s, LF_NOTICE_MAX_FIELD, html ? CLEAN_HTML : 0);
}

static void put_date(ctx *c, const char *d, bool html, const char *none)
{
    if (d && *d)
        put_x(c, d, html);
    else
        put(c, none);
}

static bool has_status(const ctx *c)
{
    return c->n->kind == LF_NOTICE_DEADLINE || c->n->kind == LF_NOTICE_ESCALATION;
}

static void put_status(ctx *c, long d, bool zh)
{
    if (d == NO_DAYS)
        put(c, zh ? "—" : "-");
    else if (d < 0 && zh)
        putf(c, "已逾期 %ld 天", -d);
    else if (d < 0)
        putf(c, "%ld day%s overdue", -d, d == -1 ? "" : "s");
    else if (d == 0)
        put(c, zh ? "今日到期" : "due today");
    else if (zh)
        putf(c, "剩 %ld 天", d);
    else
        putf(c, "%ld day%s left", d, d == 1 ? "" : "s");
}

static void put_score(ctx *c, double cvss, bool zh)
{
    if (has_score(cvss))
        putf(c, "%.1f", cvss);
    else
        put(c, zh ? "無" : "n/a");
}

static void put_link(ctx *c, const char *url, bool html, bool zh)
{
    if (!url || !*url) {
        put(c, zh ? "（無）" : "(none)");
    } else if (html && lf_notice_url_ok(url)) {
        put(c, "<a href=\"");
        put_x(c, url, true);
        put(c, "\">");
        put_x(c, url, true);
        put(c, "</a>");
    } else {
        put_x(c, url, html);
    }
}

static void rows_text(ctx *c, bool zh)
{
    for (size_t i = 0; i < c->shown; i++) {
        const lf_notice_finding *f = c->rows[i].f;
        const char *sz, *se;
        lf_notice_severity(f->cvss, f->severity, &sz, &se);
        putf(c, "%zu. %s ", i + 1, zh ? "主機" : "Host");
        put_x(c, f->host, false);
        put(c, zh ? "｜" : " | ");
        put_x(c, f->cve, false);
        put(c, zh ? "｜" : " | ");
        put_x(c, f->product, false);
        put(c, zh ? "\n   CVSS " : "\n   CVSS ");
        put_score(c, f->cvss, zh);
        putf(c, zh ? "（%s）｜KEV 已知遭利用：" : " (%s) | KEV known exploited: ", zh ? sz : se);
        if (f->kev) {
            put(c, zh ? "是" : "yes");
            if (f->kev_due && *f->kev_due) {
                put(c, zh ? "，CISA 期限 " : ", CISA due ");
                put_x(c, f->kev_due, false);
            }
        } else {
            put(c, zh ? "否" : "no");
        }
        put(c, zh ? "｜修補期限 " : " | Fix by ");
        put_date(c, f->due_date, false, zh ? "無" : "none");
        if (has_status(c)) {
            put(c, zh ? "（" : " (");
            put_status(c, c->rows[i].days, zh);
            put(c, zh ? "）" : ")");
        }
        put(c, zh ? "\n   修補資訊：" : "\n   Fix: ");
        put_link(c, f->fix_url, false, zh);
        put(c, "\n");
    }
    if (c->nrows > c->shown)
        putf(c, zh ? "……另有 %zu 筆未列出，請至平臺查看。\n" : "... and %zu more, listed on the platform.\n",
             c->nrows - c->shown);
}

static void rows_html(ctx *c, bool zh)
{
    put(c, "<table border=\"1\" cellpadding=\"4\" cellspacing=\"0\" style=\"border-collapse:collapse\">\n<thead><tr>");
    if (zh)
        put(c, "<th>#</th><th>主機</th><th>CVE</th><th>產品</th><th>CVSS</th><th>嚴重度</th><th>KEV 已知遭利用</th>"
               "<th>修補期限</th>");
    else
        put(c, "<th>#</th><th>Host</th><th>CVE</th><th>Product</th><th>CVSS</th><th>Severity</th>"
               "<th>KEV known exploited</th><th>Fix by</th>");
    if (has_status(c))
        put(c, zh ? "<th>狀態</th>" : "<th>Status</th>");
    put(c, zh ? "<th>修補資訊</th></tr></thead>\n<tbody>\n" : "<th>Fix</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < c->shown; i++) {
        const lf_notice_finding *f = c->rows[i].f;
        const char *sz, *se;
        lf_notice_severity(f->cvss, f->severity, &sz, &se);
        putf(c, "<tr><td>%zu</td><td>", i + 1);
        put_x(c, f->host, true);
        put(c, "</td><td>");
        put_x(c, f->cve, true);
        put(c, "</td><td>");
        put_x(c, f->product, true);
        put(c, "</td><td>");
        put_score(c, f->cvss, zh);
        putf(c, "</td><td>%s</td><td>", zh ? sz : se);
        if (f->kev) {
            put(c, zh ? "<strong>是</strong>" : "<strong>yes</strong>");
            if (f->kev_due && *f->kev_due) {
                put(c, zh ? "（CISA 期限 " : " (CISA due ");
                put_x(c, f->kev_due, true);
                put(c, zh ? "）" : ")");
            }
        } else {
            put(c, zh ? "否" : "no");
        }
        put(c, "</td><td>");
        put_date(c, f->due_date, true, zh ? "無" : "none");
        if (has_status(c)) {
            put(c, "</td><td>");
            put_status(c, c->rows[i].days, zh);
        }
        put(c, "</td><td>");
        put_link(c, f->fix_url, true, zh);
        put(c, "</td></tr>\n");
    }
    put(c, "</tbody></table>\n");
    if (c->nrows > c->shown)
        putf(c, zh ? "<p>……另有 %zu 筆未列出，請至平臺查看。</p>\n" : "<p>... and %zu more, listed on the platform.</p>\n",
             c->nrows - c->shown);
}

/* ---- the sentences of each kind ---- */

static void greeting(ctx *c, bool zh, bool html)
{
    const lf_notice *n = c->n;
    const lf_notice_org *o = n->kind == LF_NOTICE_ESCALATION ? &n->to_org : &n->agency;
    if (html)
        put(c, "<p>");
    if (zh) {
        put_x(c, org_zh(o), html);
        put(c, n->kind == LF_NOTICE_ESCALATION ? " 聯防窗口您好：" : " 資安窗口您好：");
    } else {
        put(c, n->kind == LF_NOTICE_ESCALATION ? "Dear joint-defense contact of " : "Dear security contact of ");
        put_x(c, org_en(o), html);
        put(c, ",");
    }
    put(c, html ? "</p>\n" : "\n\n");
}

static void intro(ctx *c, bool zh, bool html)
{
    const lf_notice *n = c->n;
    if (html)
        put(c, "<p>");
    switch (n->kind) {
    case LF_NOTICE_DIGEST:
        if (zh) {
            put(c, "聯防平臺於 ");
            put_x(c, n->today, html);
            putf(c, " 比對貴機關資產清冊，發現 %zu 項新弱點如下。CVSS 7.0 以上之弱點須於修補期限前提出改善措施並完成修補；"
                    "列於 KEV（已知遭利用弱點目錄）者請優先處理。",
                 c->nrows);
        } else {
            put(c, "On ");
            put_x(c, n->today, html);
            putf(c, " the Lianfang platform matched your agency's inventory and found %zu new "
                    "vulnerabilit%s, listed below. A finding with CVSS 7.0 or higher needs a remediation measure "
                    "filed and the fix done by its deadline; those in CISA's KEV catalog (known exploited) come first.",
                 c->nrows, c->nrows == 1 ? "y" : "ies");
        }
        break;
    case LF_NOTICE_UPLOAD: {
        long due = NO_DAYS, left = NO_DAYS;
        if (n->upload_due && lf_date_parse(n->upload_due, &due) && c->today != NO_DAYS)
            left = due - c->today;
        if (zh) {
            put(c, "貴機關 ");
            put_x(c, n->month, html);
            put(c, " 的軟體資產清冊尚未上傳至聯防平臺，繳交期限為 ");
            put_x(c, n->upload_due, html);
            put(c, "。");
            if (left != NO_DAYS && left < 0)
                putf(c, "目前已逾期 %ld 天。", -left);
            else if (left == 0)
                put(c, "今日到期。");
            else if (left != NO_DAYS)
                putf(c, "距期限尚有 %ld 天。", left);
            put(c, "請儘速上傳，未上傳之機關無法進行弱點比對與通報。");
        } else {
            put(c, "Your agency's software inventory for ");
            put_x(c, n->month, html);
            put(c, " has not been uploaded to the Lianfang platform; it is due on ");
            put_x(c, n->upload_due, html);
            put(c, ".");
            if (left != NO_DAYS && left < 0)
                putf(c, " It is %ld day%s overdue.", -left, left == -1 ? "" : "s");
            else if (left == 0)
                put(c, " It is due today.");
            else if (left != NO_DAYS)
                putf(c, " %ld day%s remain%s.", left, left == 1 ? "" : "s", left == 1 ? "s" : "");
            put(c, " Please upload it soon: without it no vulnerability of your agency can be matched or notified.");
        }
        break;
    }
    case LF_NOTICE_DEADLINE:
        if (zh)
            putf(c, "貴機關下列 %zu 項弱點已逾修補期限或即將到期（逾期 %zu 項、即將到期 %zu 項），"
                    "請儘速完成修補，或於平臺登錄改善措施與預定完成日期。",
                 c->nrows, c->overdue, c->near);
        else
            putf(c, "%zu finding%s of your agency %s past or near the remediation deadline (%zu overdue, %zu due "
                    "soon). Please fix them, or file a remediation measure and its planned date on the platform.",
                 c->nrows, c->nrows == 1 ? "" : "s", c->nrows == 1 ? "is" : "are", c->overdue, c->near);
        break;
    case LF_NOTICE_ESCALATION:
        if (zh) {
            put(c, "所轄機關「");
            put_x(c, org_zh(&n->agency), html);
            putf(c, "」有 %zu 項弱點已逾修補期限仍未修補，依聯防機制陳報如下，請協助督導改善。", c->nrows);
        } else {
            put_x(c, org_en(&n->agency), html);
            putf(c, ", an agency in your area, has %zu finding%s past the remediation deadline and still open. "
                    "%s escalated to you under the joint-defense procedure; please follow up with the agency.",
                 c->nrows, c->nrows == 1 ? "" : "s", c->nrows == 1 ? "It is" : "They are");
        }
        break;
    }
    put(c, html ? "</p>\n" : "\n\n");
}

static void section(ctx *c, bool zh, bool html)
{
    greeting(c, zh, html);
    intro(c, zh, html);
    if (c->n->kind != LF_NOTICE_UPLOAD) {
        if (html)
            rows_html(c, zh);
        else
            rows_text(c, zh);
        if (!html)
            put(c, "\n");
    }
    const char *url = c->n->portal_url;
    if (lf_notice_url_ok(url)) {
        put(c, html ? "<p>" : "");
        put(c, zh ? "詳情請登入聯防平臺：" : "Details on the platform: ");
        put_link(c, url, html, zh);
        put(c, html ? "</p>\n" : "\n\n");
    }
    put(c, html ? "<p style=\"color:#666\">" : "");
    put(c, zh ? "本郵件由聯防平臺自動發送，請勿直接回覆。"
              : "This message was sent automatically by the Lianfang platform; please do not reply to it.");
    put(c, html ? "</p>\n" : "\n");
}

static void subject(ctx *c)
{
    const lf_notice *n = c->n;
    static const char *const head[] = {
        NULL, "【聯防】新發現弱點通知 New vulnerability findings",
        "【聯防】每月資產清冊未上傳 Monthly inventory upload missing",
        "【聯防】弱點修補期限提醒 Remediation deadline approaching",
        "【聯防】逾期未修補弱點陳報 Escalation: overdue findings"};
    if (n->kind == LF_NOTICE_DEADLINE && c->overdue)
        put(c, "【聯防】弱點修補逾期通知 Remediation overdue");
    else
        put(c, head[n->kind]);
    put(c, " — ");
    put_x(c, org_zh(&n->agency), false);
    if (n->kind == LF_NOTICE_UPLOAD) {
        put(c, " (");
        put_x(c, n->month, false);
        put(c, ")");
    } else {
        putf(c, " (%zu)", c->nrows);
    }
}

static int check_date(const char *d, const char *field, lf_err *err)
{
    long days;
    if (!d || !lf_date_parse(d, &days))
        return lf_err_set(err, LF_EINVAL, "%s: '%.20s' is not a YYYY-MM-DD date", field, d ? d : "(none)");
    return LF_OK;
}

static int ctx_init(ctx *c, const lf_notice *n, lf_err *err)
{
    memset(c, 0, sizeof *c);
    c->n = n;
    c->today = NO_DAYS;
    if (!lf_notice_kind_name(n->kind))
        return lf_err_set(err, LF_EINVAL, "unknown notice kind %d", (int)n->kind);
    int rc = check_date(n->today, "today", err);
    if (!rc && n->kind == LF_NOTICE_UPLOAD) {
        size_t ml = n->month ? strlen(n->month) : 0;
        char first[16];
        snprintf(first, sizeof first, "%.7s-01", n->month ? n->month : "");
        if (ml != 7 || check_date(first, "month", NULL))
            rc = lf_err_set(err, LF_EINVAL, "month: '%.20s' is not YYYY-MM", n->month ? n->month : "(none)");
        if (!rc)
            rc = check_date(n->upload_due, "upload_due", err);
    }
    if (rc)
        return rc;
    lf_date_parse(n->today, &c->today);
    c->nrows = n->kind == LF_NOTICE_UPLOAD ? 0 : n->nfindings;
    if (c->nrows && !n->findings)
        return lf_err_set(err, LF_EINVAL, "%zu findings but no list", c->nrows);
    if (c->nrows) {
        c->rows = calloc(c->nrows, sizeof *c->rows);
        if (!c->rows)
            return lf_err_set(err, LF_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < c->nrows; i++) {
        long due;
        c->rows[i].f = &n->findings[i];
        c->rows[i].days = n->findings[i].due_date && lf_date_parse(n->findings[i].due_date, &due) ? due - c->today
                                                                                                  : NO_DAYS;
        if (c->rows[i].days != NO_DAYS && c->rows[i].days < 0)
            c->overdue++;
        else
            c->near++;
    }
    if (c->nrows > 1)
        qsort(c->rows, c->nrows, sizeof *c->rows, cmp_row);
    size_t cap = n->max_rows ? n->max_rows : LF_NOTICE_MAX_ROWS;
    c->shown = c->nrows < cap ? c->nrows : cap;
    return LF_OK;
}

int lf_notice_render(const lf_notice *n, lf_notice_msg *m, lf_err *err)
{
    ctx c;
    int rc = ctx_init(&c, n, err);
    if (rc)
        goto fail;
    lf_buf_reset(&m->subject);
    lf_buf_reset(&m->text);
    lf_buf_reset(&m->html);

    c.out = &m->subject;
    subject(&c);

    c.out = &m->text;
    if (n->note && *n->note) {
        if (!c.rc)
            c.rc = put_clean(c.out, n->note, NOTE_MAX, CLEAN_NL);
        put(&c, "\n\n");
    }
    section(&c, true, false);
    put(&c, "\n----------------------------------------\nEnglish\n\n");
    section(&c, false, false);

    c.out = &m->html;
    put(&c, "<!DOCTYPE html>\n<html lang=\"zh-Hant\">\n<head><meta charset=\"utf-8\"><title>");
    if (!c.rc)
        c.rc = put_clean(c.out, m->subject.data, LF_NOTICE_MAX_FIELD * 2, CLEAN_HTML);
    put(&c, "</title></head>\n<body style=\"font-family:sans-serif\">\n");
    if (n->note && *n->note) {
        put(&c, "<p>");
        if (!c.rc)
            c.rc = put_clean(c.out, n->note, NOTE_MAX, CLEAN_NL | CLEAN_HTML);
        put(&c, "</p>\n");
    }
    put(&c, "<div lang=\"zh-Hant\">\n");
    section(&c, true, true);
    put(&c, "</div>\n<hr>\n<div lang=\"en\">\n");
    section(&c, false, true);
    put(&c, "</div>\n</body>\n</html>\n");
    rc = c.rc;
    if (rc)
        lf_err_set(err, rc, "out of memory rendering a notice");
fail:
    free(c.rows);
    return rc;
}

/* ---- JSON, key ---- */

static int jstr(lf_buf *out, const char *s)
{
    return s ? lf_json_write_str(out, s, strlen(s)) : lf_buf_puts(out, "null");
}

static int jorg(lf_buf *out, const lf_notice_org *o)
{
    int rc = lf_buf_puts(out, "{\"code\":");
    if (!rc)
        rc = jstr(out, o->code);
    if (!rc)
        rc = lf_buf_puts(out, ",\"name_zh\":");
    if (!rc)
        rc = jstr(out, o->name_zh);
    if (!rc)
        rc = lf_buf_puts(out, ",\"name_en\":");
    if (!rc)
        rc = jstr(out, o->name_en);
    return rc ? rc : lf_buf_putc(out, '}');
}

int lf_notice_json(const lf_notice *n, const char *key, const char *subj, lf_buf *out)
{
    ctx c;
    int rc = ctx_init(&c, n, NULL);
    if (rc)
        return rc;
    lf_buf *o = out;
    rc = lf_buf_printf(o, "{\"kind\":\"%s\",\"key\":", lf_notice_kind_name(n->kind));
    if (!rc)
        rc = jstr(o, key);
    if (!rc)
        rc = lf_buf_puts(o, ",\"subject\":");
    if (!rc)
        rc = jstr(o, subj);
    if (!rc)
        rc = lf_buf_puts(o, ",\"today\":");
    if (!rc)
        rc = jstr(o, n->today);
    if (!rc)
        rc = lf_buf_puts(o, ",\"agency\":");
    if (!rc)
        rc = jorg(o, &n->agency);
    if (!rc && n->kind == LF_NOTICE_ESCALATION) {
        rc = lf_buf_puts(o, ",\"to_org\":");
        if (!rc)
            rc = jorg(o, &n->to_org);
    }
    if (!rc && n->kind == LF_NOTICE_UPLOAD) {
        rc = lf_buf_puts(o, ",\"month\":");
        if (!rc)
            rc = jstr(o, n->month);
        if (!rc)
            rc = lf_buf_puts(o, ",\"upload_due\":");
        if (!rc)
            rc = jstr(o, n->upload_due);
    }
    if (!rc)
        rc = lf_buf_puts(o, ",\"findings\":[");
    for (size_t i = 0; i < c.shown && !rc; i++) {
        const lf_notice_finding *f = c.rows[i].f;
        const char *sz, *se;
        lf_notice_severity(f->cvss, f->severity, &sz, &se);
        rc = lf_buf_puts(o, i ? ",{\"host\":" : "{\"host\":");
        if (!rc)
            rc = jstr(o, f->host);
        if (!rc)
            rc = lf_buf_puts(o, ",\"cve\":");
        if (!rc)
            rc = jstr(o, f->cve);
        if (!rc)
            rc = lf_buf_puts(o, ",\"product\":");
        if (!rc)
            rc = jstr(o, f->product);
        if (!rc && has_score(f->cvss))
            rc = lf_buf_printf(o, ",\"cvss\":%.1f", f->cvss);
        else if (!rc)
            rc = lf_buf_puts(o, ",\"cvss\":null");
        if (!rc)
            rc = lf_buf_printf(o, ",\"severity\":\"%s\",\"severity_zh\":\"%s\",\"kev\":%s,\"kev_due\":", se, sz,
                               f->kev ? "true" : "false");
        if (!rc)
            rc = jstr(o, f->kev_due);
        if (!rc)
            rc = lf_buf_puts(o, ",\"due_date\":");
        if (!rc)
            rc = jstr(o, f->due_date);
        if (!rc && c.rows[i].days != NO_DAYS)
            rc = lf_buf_printf(o, ",\"days_left\":%ld", c.rows[i].days);
        else if (!rc)
            rc = lf_buf_puts(o, ",\"days_left\":null");
        if (!rc)
            rc = lf_buf_puts(o, ",\"fix_url\":");
        if (!rc)
            rc = jstr(o, f->fix_url);
        if (!rc)
            rc = lf_buf_putc(o, '}');
    }
    if (!rc)
        rc = lf_buf_printf(o, "],\"total\":%zu,\"more\":%zu}\n", c.nrows, c.nrows - c.shown);
    free(c.rows);
    return rc;
}

int lf_notice_key(const lf_notice *n, char *out, size_t cap)
{
    const char *kind = lf_notice_kind_name(n->kind);
    if (!kind || !n->agency.code || !*n->agency.code)
        return LF_EINVAL;
    const char *when = n->kind == LF_NOTICE_UPLOAD && n->month ? n->month : n->today ? n->today : "";
    int w;
    if (n->kind == LF_NOTICE_ESCALATION && n->to_org.code)
        w = snprintf(out, cap, "%s/%s/%s/%s", kind, n->agency.code, when, n->to_org.code);
    else
        w = snprintf(out, cap, "%s/%s/%s", kind, n->agency.code, when);
    return w < 0 || (size_t)w >= cap ? LF_ELIMIT : LF_OK;
}
