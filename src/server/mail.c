/*
 * mail: RFC 5322 / MIME message building (RFC 2045, 2046, 2047), SMTP submission and
 * webhook POSTs with libcurl. See mail.h for the format and the delivery contract.
 */
#include "server/mail.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>
#include <utf8proc.h>

#define LINE_MAX_EW 76      /* RFC 2047 §2: a line holding an encoded-word */
#define LINE_SOFT 78        /* RFC 5322 §2.1.1: SHOULD stay within 78 characters */
#define EW_OVERHEAD 12      /* "=?UTF-8?B?" + "?=" */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* ---- UTF-8 ---- */

/* Length of the well-formed UTF-8 sequence at p (no overlongs, surrogates or values
 * above U+10FFFF), or 0 when the bytes are not one. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
    utf8proc_int32_t cp;
    utf8proc_ssize_t l = n ? utf8proc_iterate(p, (utf8proc_ssize_t)(n > 4 ? 4 : n), &cp) : 0;
    return l > 0 ? (size_t)l : 0;
}

static bool utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        size_t l = utf8_len(p + i, n - i);
        if (!l)
            return false;
        i += l;
    }
    return true;
}

/* Printable ASCII only, and nothing a decoder could take for an encoded-word. */
static bool plain_ascii(const char *s)
{
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
            return false;
    return !strstr(s, "=?");
}

/* ---- base64 ---- */

static int b64_run(lf_buf *out, const unsigned char *p, size_t n)
{
    char q[4];
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16;
        if (i + 1 < n)
            v |= (unsigned)p[i + 1] << 8;
        if (i + 2 < n)
            v |= p[i + 2];
        q[0] = b64[(v >> 18) & 63];
        q[1] = b64[(v >> 12) & 63];
        q[2] = i + 1 < n ? b64[(v >> 6) & 63] : '=';
        q[3] = i + 2 < n ? b64[v & 63] : '=';
        int rc = lf_buf_append(out, q, 4);
        if (rc)
            return rc;
    }
    return LF_OK;
}

int lf_mail_put_base64(lf_buf *out, const void *data, size_t n)
{
    const unsigned char *p = data;
    /* 57 bytes -> 76 characters, RFC 2045 §6.8's line limit exactly. */
    for (size_t i = 0; i < n; i += 57) {
        size_t k = n - i < 57 ? n - i : 57;
        int rc = b64_run(out, p + i, k);
        if (!rc)
            rc = lf_buf_puts(out, "\r\n");
        if (rc)
            return rc;
    }
    return LF_OK;
}

/* ---- quoted-printable ---- */

int lf_mail_put_qp(lf_buf *out, const char *text, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t col = 0, seq_left = 0;
    int rc = LF_OK;
    for (size_t i = 0; i < n && !rc; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '\r' && i + 1 < n && text[i + 1] == '\n')
            continue;   /* CRLF is handled at its LF */
        if (c == '\n') {
            rc = lf_buf_puts(out, "\r\n");
            col = 0;
            continue;
        }
        /* A blank at the end of a line would be stripped in transit (§6.7 rule 3). */
        bool eol = i + 1 == n || text[i + 1] == '\n' || (text[i + 1] == '\r' && i + 2 < n && text[i + 2] == '\n');
        bool lit = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !eol);
        size_t w = lit ? 1 : 3;
        /* A UTF-8 sequence stays on one line (readers that decode line by line show no
         * broken characters): break before its lead byte when the whole will not fit. */
        size_t need = w;
        if (seq_left) {
            seq_left--;   /* room was reserved at the lead byte */
            need = 0;
        } else if (c >= 0xC0) {
            size_t l = utf8_len((const unsigned char *)text + i, n - i);
            need = l ? 3 * l : 3;
            seq_left = l ? l - 1 : 0;
        }
        /* Keep room for the soft break "=" so no line passes 76 (§6.7 rule 5). */
        if (need && col + need > 75) {
            rc = lf_buf_puts(out, "=\r\n");
            col = 0;
        }
        if (!rc && lit)
            rc = lf_buf_putc(out, (char)c);
        else if (!rc) {
            char e[3] = {'=', hex[c >> 4], hex[c & 15]};
            rc = lf_buf_append(out, e, 3);
        }
        col += w;
    }
    return rc ? rc : lf_buf_puts(out, "\r\n");
}

/* ---- header fields ---- */

/* Encoded-words for s[0..n) (valid UTF-8), starting at column *col; folds with CRLF SP
 * between words (whitespace between adjacent encoded-words is not part of the text,
 * RFC 2047 §6.2), so a long subject decodes back to exactly itself. */
static int put_words(lf_buf *out, const char *s, size_t n, size_t *col)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    int rc = LF_OK;
    while (i < n && !rc) {
        size_t room = LINE_MAX_EW - *col;
        size_t maxbytes = room > EW_OVERHEAD ? (room - EW_OVERHEAD) / 4 * 3 : 0;
        size_t k = 0;
        while (i + k < n) {
            size_t l = utf8_len(p + i + k, n - i - k);
            if (!l || k + l > maxbytes)
                break;
            k += l;
        }
        if (!k) {
            /* Not even one character fits here: go to a fresh line (45 bytes there). */
            if (*col <= 1)
                return LF_EINVAL;   /* only reachable with invalid UTF-8 */
            rc = lf_buf_puts(out, "\r\n ");
            *col = 1;
            continue;
        }
        rc = lf_buf_puts(out, "=?UTF-8?B?");
        if (!rc)
            rc = b64_run(out, p + i, k);
        if (!rc)
            rc = lf_buf_puts(out, "?=");
        *col += EW_OVERHEAD + (k + 2) / 3 * 4;
        i += k;
        if (i < n && !rc) {
            rc = lf_buf_puts(out, "\r\n ");
            *col = 1;
        }
    }
    return rc;
}

/* Printable ASCII folded at its blanks (CRLF inserted before a blank, RFC 5322 §2.2.3,
 * so unfolding restores it). A word longer than a line is left long. */
static int put_folded_ascii(lf_buf *out, const char *s, size_t *col)
{
    int rc = LF_OK;
    const char *p = s;
    bool first = true;
    while (*p && !rc) {
        const char *sp = strchr(first ? p : p + 1, ' ');
        size_t wl = sp ? (size_t)(sp - p) : strlen(p);
        if (!first && wl > 1 && *col + wl > LINE_SOFT) {
            rc = lf_buf_puts(out, "\r\n");
            *col = 0;
        }
        if (!rc)
            rc = lf_buf_append(out, p, wl);
        *col += wl;
        p += wl;
        first = false;
    }
    return rc;
}

int lf_mail_put_header(lf_buf *out, const char *name, const char *value)
{
    size_t n = strlen(value);
    if (!utf8_valid(value, n))
        return LF_EINVAL;
    int rc = lf_buf_printf(out, "%s: ", name);
    size_t col = strlen(name) + 2;
    if (!rc)
        rc = plain_ascii(value) ? put_folded_ascii(out, value, &col) : put_words(out, value, n, &col);
    return rc ? rc : lf_buf_puts(out, "\r\n");
}

/* ---- addresses ---- */

typedef struct addr {
    char disp[LF_MAIL_MAX_ADDR];
    char spec[LF_MAIL_MAX_ADDR];
} addr;

static bool spec_char(unsigned char c)
{
    return c > 0x20 && c < 0x7f && !strchr("<>()[],;:\\\"", c);
}

static int parse_addr(const char *in, addr *a, lf_err *err, const char *field)
{
    size_t n = strlen(in);
    while (n && (in[n - 1] == ' ' || in[n - 1] == '\t'))
        n--;
    while (n && (*in == ' ' || *in == '\t'))
        in++, n--;
    a->disp[0] = a->spec[0] = '\0';
    if (!n || n >= LF_MAIL_MAX_ADDR)
        return lf_err_set(err, LF_EINVAL, "%s: %s", field, n ? "address too long" : "empty address");
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)in[i] < 0x20 || in[i] == 0x7f) {
            char b[8];
            return lf_err_set(err, LF_EINVAL, "%s: control character %s in an address", field,
                              lf_err_byte((unsigned char)in[i], b));
        }
    if (!utf8_valid(in, n))
        return lf_err_set(err, LF_EINVAL, "%s: address is not valid UTF-8", field);
    const char *lt = memchr(in, '<', n);
    const char *sb = in, *se = in + n;
    if (lt) {
        if (in[n - 1] != '>')
            return lf_err_set(err, LF_EINVAL, "%s: '<' without a closing '>' at the end", field);
        sb = lt + 1;
        se = in + n - 1;
        size_t dn = (size_t)(lt - in);
        while (dn && (in[dn - 1] == ' ' || in[dn - 1] == '\t'))
            dn--;
        const char *d = in;
        if (dn >= 2 && d[0] == '"' && d[dn - 1] == '"')
            d++, dn -= 2;
        memcpy(a->disp, d, dn);
        a->disp[dn] = '\0';
    }
    size_t sn = (size_t)(se - sb);
    const char *at = NULL;
    for (size_t i = 0; i < sn; i++) {
        if (!spec_char((unsigned char)sb[i]))
            return lf_err_set(err, LF_EINVAL, "%s: '%.*s' is not an address (character '%c')", field, (int)sn, sb,
                              sb[i] < 0x20 || (unsigned char)sb[i] >= 0x7f ? '?' : sb[i]);
        if (sb[i] == '@') {
            if (at)
                return lf_err_set(err, LF_EINVAL, "%s: '%.*s' has two '@'", field, (int)sn, sb);
            at = sb + i;
        }
    }
    if (!at || at == sb || at + 1 == se)
        return lf_err_set(err, LF_EINVAL, "%s: '%.*s' is not an address (expected local@domain)", field, (int)sn, sb);
    memcpy(a->spec, sb, sn);
    a->spec[sn] = '\0';
    return LF_OK;
}

int lf_mail_addr_spec(const char *in, char *out, size_t cap)
{
    addr a;
    lf_err e;
    if (!in || parse_addr(in, &a, &e, "address"))
        return LF_EINVAL;
    if (strlen(a.spec) + 1 > cap)
        return LF_EINVAL;
    memcpy(out, a.spec, strlen(a.spec) + 1);
    return LF_OK;
}

/* A display name as one phrase: as it is when it is atoms and blanks, a quoted-string
 * when it has specials, encoded-words when it is not ASCII (RFC 5322 §3.4, RFC 2047 §5). */
static int put_display(lf_buf *out, const char *d, size_t *col)
{
    size_t n = strlen(d);
    if (!plain_ascii(d))
        return put_words(out, d, n, col);
    bool atoms = true;
    for (const char *p = d; *p; p++)
        if (strchr("()<>[]:;@\\,.\"", *p))
            atoms = false;
    if (atoms) {
        *col += n;
        return lf_buf_puts(out, d);
    }
    int rc = lf_buf_putc(out, '"');
    for (const char *p = d; *p && !rc; p++) {
        if (*p == '"' || *p == '\\')
            rc = lf_buf_putc(out, '\\');
        if (!rc)
            rc = lf_buf_putc(out, *p);
        (*col)++;
    }
    *col += 2;
    return rc ? rc : lf_buf_putc(out, '"');
}

/* "Name: a, b, c" with one address per line after the first. */
static int put_addr_list(lf_buf *out, const char *name, const char *const *list, size_t n, lf_err *err)
{
    int rc = lf_buf_printf(out, "%s: ", name);
    size_t col = strlen(name) + 2;
    for (size_t i = 0; i < n && !rc; i++) {
        addr a;
        char field[48];
        snprintf(field, sizeof field, "%s[%zu]", name, i);
        rc = parse_addr(list[i] ? list[i] : "", &a, err, field);
        if (rc)
            return rc;
        if (i) {
            rc = lf_buf_puts(out, ",\r\n ");
            col = 1;
        }
        if (!rc && a.disp[0]) {
            rc = put_display(out, a.disp, &col);
            if (!rc && col + strlen(a.spec) + 3 > LINE_SOFT) {
                rc = lf_buf_puts(out, "\r\n");
                col = 0;
            }
            if (!rc)
                rc = lf_buf_putc(out, ' ');
            col++;
        }
        if (!rc)
            rc = lf_buf_printf(out, "<%s>", a.spec);
        col += strlen(a.spec) + 2;
    }
    return rc ? rc : lf_buf_puts(out, "\r\n");
}

/* ---- Date, Message-ID ---- */

void lf_mail_date(int64_t t, char out[40])
{
    static const char *const wd[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const mo[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    /* Taiwan has kept UTC+8 without daylight saving since 1980, so no tz database. */
    time_t tt = (time_t)(t + 8 * 3600);
    struct tm tm;
    if (!gmtime_r(&tt, &tm)) {
        snprintf(out, 40, "Thu, 01 Jan 1970 08:00:00 +0800");
        return;
    }
    snprintf(out, 40, "%s, %02d %s %04d %02d:%02d:%02d +0800", wd[tm.tm_wday % 7], tm.tm_mday, mo[tm.tm_mon % 12],
             tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

int lf_mail_message_id(const char *key, const char *domain, char *out, size_t cap)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t kn = key ? strlen(key) : 0;
    if (!kn || kn > LF_MAIL_MAX_KEY)
        return LF_EINVAL;
    lf_buf b;
    lf_buf_init(&b, 0);
    int rc = lf_buf_puts(&b, "<lf.");
    for (size_t i = 0; i < kn && !rc; i++) {
        unsigned char c = (unsigned char)key[i];
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')
            rc = lf_buf_putc(&b, (char)c);
        else {
            char e[3] = {'=', hex[c >> 4], hex[c & 15]};
            rc = lf_buf_append(&b, e, 3);
        }
    }
    if (!rc)
        rc = lf_buf_printf(&b, "@%s>", domain && *domain ? domain : "lianfang.invalid");
    if (!rc && b.len + 1 > cap)
        rc = LF_ELIMIT;
    if (!rc)
        memcpy(out, b.data, b.len + 1);
    lf_buf_clear(&b);
    return rc;
}

/* FNV-1a, only to make the MIME boundary differ between notices. */
static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static int put_part_body(lf_buf *out, const char *s, lf_mail_cte cte)
{
    return cte == LF_MAIL_QP ? lf_mail_put_qp(out, s, strlen(s)) : lf_mail_put_base64(out, s, strlen(s));
}

int lf_mail_build(const lf_mail_msg *m, lf_buf *out, lf_err *err)
{
    if (!m || !m->from || !m->nto || !m->to)
        return lf_err_set(err, LF_EINVAL, "a message needs a sender and at least one recipient");
    if (m->nto + m->ncc > LF_MAIL_MAX_RCPT)
        return lf_err_set(err, LF_ELIMIT, "%zu recipients: at most %d per message", m->nto + m->ncc,
                          LF_MAIL_MAX_RCPT);
    if (!m->key || !*m->key || strlen(m->key) > LF_MAIL_MAX_KEY)
        return lf_err_set(err, LF_EINVAL, "the notice key must be 1 to %d bytes", LF_MAIL_MAX_KEY);
    const char *subject = m->subject ? m->subject : "";
    const char *text = m->text ? m->text : "";
    if (!utf8_valid(subject, strlen(subject)))
        return lf_err_set(err, LF_EINVAL, "the subject is not valid UTF-8");
    addr from;
    int rc = parse_addr(m->from, &from, err, "From");
    if (rc)
        return rc;
    char mid[LF_MAIL_MAX_KEY * 3 + LF_MAIL_MAX_ADDR + 8], date[40];
    rc = lf_mail_message_id(m->key, strchr(from.spec, '@') + 1, mid, sizeof mid);
    if (rc)
        return lf_err_set(err, rc, "cannot make a Message-ID from the key");
    lf_mail_date(m->date, date);
    char boundary[40];
    snprintf(boundary, sizeof boundary, "=_lf_%016llx", (unsigned long long)fnv1a(m->key));

    size_t start = out->len;
    rc = put_addr_list(out, "From", &m->from, 1, err);
    if (!rc)
        rc = put_addr_list(out, "To", m->to, m->nto, err);
    if (!rc && m->ncc)
        rc = put_addr_list(out, "Cc", m->cc, m->ncc, err);
    if (!rc && m->reply_to && *m->reply_to)
        rc = put_addr_list(out, "Reply-To", &m->reply_to, 1, err);
    if (rc)
        goto fail;
    rc = lf_mail_put_header(out, "Subject", subject);
    if (!rc)
        rc = lf_buf_printf(out, "Date: %s\r\nMessage-ID: %s\r\nMIME-Version: 1.0\r\n"
                                /* RFC 3834: machine-made, so auto-responders stay quiet. */
                                "Auto-Submitted: auto-generated\r\n",
                           date, mid);
    const char *cte = m->cte == LF_MAIL_QP ? "quoted-printable" : "base64";
    if (!rc && m->html) {
        /* "=_" never occurs in base64 or quoted-printable text, so the boundary cannot. */
        rc = lf_buf_printf(out,
                           "Content-Type: multipart/alternative; boundary=\"%s\"\r\n\r\n"
                           "This is a multi-part message in MIME format.\r\n"
                           "--%s\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                           "Content-Transfer-Encoding: %s\r\n\r\n",
                           boundary, boundary, cte);
        if (!rc)
            rc = put_part_body(out, text, m->cte);
        if (!rc)
            rc = lf_buf_printf(out,
                               "--%s\r\nContent-Type: text/html; charset=UTF-8\r\n"
                               "Content-Transfer-Encoding: %s\r\n\r\n",
                               boundary, cte);
        if (!rc)
            rc = put_part_body(out, m->html, m->cte);
        if (!rc)
            rc = lf_buf_printf(out, "--%s--\r\n", boundary);
    } else if (!rc) {
        rc = lf_buf_printf(out, "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: %s\r\n\r\n",
                           cte);
        if (!rc)
            rc = put_part_body(out, text, m->cte);
    }
    if (!rc && out->len - start > LF_MAIL_MAX_SIZE)
        rc = LF_ELIMIT;
    if (rc) {
        if (rc == LF_ELIMIT)
            lf_err_set(err, rc, "the message is larger than %zu MiB", LF_MAIL_MAX_SIZE >> 20);
        else if (rc == LF_EINVAL)
            lf_err_set(err, rc, "a header value is not valid UTF-8");
        else
            lf_err_set(err, rc, "out of memory building a message");
        goto fail;
    }
    return LF_OK;
fail:
    out->len = start;
    if (out->data)
        out->data[start] = '\0';
    return rc;
}

/* ---- libcurl plumbing ---- */

/* The URL without its password (for messages); full = false keeps only scheme://host:port
 * (a webhook URL carries its token in the path). */
static void redact_url(const char *url, bool full, char *out, size_t cap)
{
    snprintf(out, cap, "(unparsable URL)");
    CURLU *u = curl_url();
    if (!u)
        return;
    if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK) {
        char *s = NULL, *h = NULL, *p = NULL;
        if (full) {
            curl_url_set(u, CURLUPART_PASSWORD, NULL, 0);
            if (curl_url_get(u, CURLUPART_URL, &s, 0) == CURLUE_OK)
                snprintf(out, cap, "%s", s);
        } else if (curl_url_get(u, CURLUPART_SCHEME, &s, 0) == CURLUE_OK &&
                   curl_url_get(u, CURLUPART_HOST, &h, 0) == CURLUE_OK) {
            bool port = curl_url_get(u, CURLUPART_PORT, &p, 0) == CURLUE_OK;
            snprintf(out, cap, "%s://%s%s%s/...", s, h, port ? ":" : "", port ? p : "");
        }
        curl_free(s);
        curl_free(h);
        curl_free(p);
    }
    curl_url_cleanup(u);
}

/* Whether the URL names a login, and its password (to keep it out of messages). */
static bool url_login(const char *url, char *pass, size_t cap)
{
    CURLU *u = curl_url();
    bool has = false;
    pass[0] = '\0';
    if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK) {
        char *user = NULL, *pw = NULL;
        has = curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK && user && *user;
        if (curl_url_get(u, CURLUPART_PASSWORD, &pw, CURLU_URLDECODE) == CURLUE_OK && pw)
            snprintf(pass, cap, "%s", pw);
        curl_free(user);
        curl_free(pw);
    }
    curl_url_cleanup(u);
    return has;
}

/* Copy printable text for a message: controls become spaces, bounded. */
static void clean_copy(char *dst, size_t cap, const char *src, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n && o + 1 < cap; i++) {
        unsigned char c = (unsigned char)src[i];
        if (c == '\r' || c == '\n') {
            if (o && dst[o - 1] != ' ' && i + 1 < n)
                dst[o++] = ' ';
            continue;
        }
        dst[o++] = c < 0x20 || c == 0x7f ? ' ' : (char)c;
    }
    while (o && dst[o - 1] == ' ')
        o--;
    dst[o] = '\0';
}

typedef struct smtp_trace {
    char reply[400];     /* the server's reply that failed us, else its last one */
    char cmd[200];       /* the command it answered; AUTH is never kept (it carries the login) */
    bool failed, quit;   /* a 4xx/5xx reply seen (keep it) / QUIT sent (ignore the rest) */
} smtp_trace;

static int on_debug(CURL *c, curl_infotype type, char *data, size_t n, void *ud)
{
    (void)c;
    smtp_trace *t = ud;
    if (t->failed || t->quit)
        return 0;
    if (type == CURLINFO_HEADER_IN) {
        clean_copy(t->reply, sizeof t->reply, data, n);
        t->failed = t->reply[0] == '4' || t->reply[0] == '5';
    } else if (type == CURLINFO_HEADER_OUT) {
        if (n >= 4 && !strncasecmp(data, "QUIT", 4))
            t->quit = true;
        else if (n >= 4 && !strncasecmp(data, "AUTH", 4))
            snprintf(t->cmd, sizeof t->cmd, "AUTH");
        else
            clean_copy(t->cmd, sizeof t->cmd, data, n);
    }
    return 0;
}

typedef struct reader {
    const char *p;
    size_t left;
} reader;

static size_t on_read(char *buf, size_t size, size_t nitems, void *ud)
{
    reader *r = ud;
    size_t n = size * nitems;
    if (n > r->left)
        n = r->left;
    memcpy(buf, r->p, n);
    r->p += n;
    r->left -= n;
    return n;
}

/* Replace every occurrence of secret in msg with "****" (in place, bounded). */
static void scrub(char *msg, const char *secret)
{
    size_t sn = secret ? strlen(secret) : 0;
    if (sn < 4)
        return;   /* shorter strings would garble ordinary words; none is in a message */
    char *p;
    while ((p = strstr(msg, secret)) != NULL) {
        size_t tail = strlen(p + sn);
        memmove(p + 4, p + sn, tail + 1);
        memcpy(p, "****", 4);
    }
}

int lf_mail_send(const lf_mail_smtp *s, const lf_mail_msg *m, lf_err *err)
{
    const char *url = s && s->url ? s->url : "";
    bool smtps = !strncasecmp(url, "smtps://", 8);
    if (!smtps && strncasecmp(url, "smtp://", 7))
        return lf_err_set(err, LF_EINVAL, "smtp.url must start with smtp:// or smtps:// (got %s)",
                          *url ? "another scheme" : "nothing");
    char shown[512];
    redact_url(url, true, shown, sizeof shown);
    if (!strcmp(shown, "(unparsable URL)"))
        return lf_err_set(err, LF_EINVAL, "smtp.url is not a valid URL");

    lf_buf msg;
    lf_buf_init(&msg, LF_MAIL_MAX_SIZE + 4096);
    struct curl_slist *rcpt = NULL;
    CURL *c = NULL;
    int rc = lf_mail_build(m, &msg, err);
    if (rc)
        goto fail;
    addr a;
    if ((rc = parse_addr(m->from, &a, err, "From")))
        goto fail;
    char from[LF_MAIL_MAX_ADDR + 2];
    snprintf(from, sizeof from, "<%s>", a.spec);
    for (size_t i = 0; i < m->nto + m->ncc; i++) {
        const char *r = i < m->nto ? m->to[i] : m->cc[i - m->nto];
        if ((rc = parse_addr(r, &a, err, i < m->nto ? "To" : "Cc")))
            goto fail;
        char b[LF_MAIL_MAX_ADDR + 2];
        snprintf(b, sizeof b, "<%s>", a.spec);
        struct curl_slist *n = curl_slist_append(rcpt, b);
        if (!n) {
            rc = lf_err_set(err, LF_ENOMEM, "out of memory");
            goto fail;
        }
        rcpt = n;
    }
    c = curl_easy_init();
    if (!c) {
        rc = lf_err_set(err, LF_ENOMEM, "cannot start libcurl");
        goto fail;
    }
    char url_pass[256];
    bool login = url_login(url, url_pass, sizeof url_pass) || (s->user && *s->user);
    long timeout = s->timeout_s > 0 ? s->timeout_s : 60;
    char cerr[CURL_ERROR_SIZE] = "";
    smtp_trace tr = {"", "", false, false};
    reader rd = {msg.data, msg.len};
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    /* smtp:// upgrades when it can; with a login it must, so no password goes in clear. */
    curl_easy_setopt(c, CURLOPT_USE_SSL, (long)(smtps || login ? CURLUSESSL_ALL : CURLUSESSL_TRY));
    if (s->user && *s->user)
        curl_easy_setopt(c, CURLOPT_USERNAME, s->user);
    if (s->password && *s->password)
        curl_easy_setopt(c, CURLOPT_PASSWORD, s->password);
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, on_read);
    curl_easy_setopt(c, CURLOPT_READDATA, &rd);
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)msg.len);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, timeout < 30 ? timeout : 30L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);   /* threads: no SIGALRM for DNS timeouts */
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
    curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, on_debug);
    curl_easy_setopt(c, CURLOPT_DEBUGDATA, &tr);
    curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);    /* feeds on_debug only; nothing is printed */
    CURLcode cc = curl_easy_perform(c);
    if (cc != CURLE_OK) {
        char said[700] = "";
        if (tr.reply[0])
            snprintf(said, sizeof said, "; the server said \"%s\"%s%s%s", tr.reply, tr.cmd[0] ? " to \"" : "",
                     tr.cmd, tr.cmd[0] ? "\"" : "");
        rc = lf_err_set(err, LF_EIO, "sending mail via %s failed: %s%s", shown, cerr[0] ? cerr : curl_easy_strerror(cc),
                        said);
        if (err) {
            scrub(err->msg, s->password);
            scrub(err->msg, url_pass);
        }
        goto fail;
    }
    rc = LF_OK;
fail:
    curl_easy_cleanup(c);
    curl_slist_free_all(rcpt);
    lf_buf_clear(&msg);
    return rc;
}

typedef struct sink {
    char data[512];
    size_t len;
} sink;

static size_t on_write(char *p, size_t size, size_t nitems, void *ud)
{
    sink *k = ud;
    size_t n = size * nitems;
    size_t take = n < sizeof k->data - 1 - k->len ? n : sizeof k->data - 1 - k->len;
    memcpy(k->data + k->len, p, take);
    k->len += take;
    k->data[k->len] = '\0';
    return n;   /* keep reading (and discarding) so the connection ends cleanly */
}

int lf_mail_webhook_post(const lf_mail_webhook *w, const char *json, size_t len, long *status, lf_err *err)
{
    if (status)
        *status = 0;
    const char *url = w && w->url ? w->url : "";
    if (strncasecmp(url, "http://", 7) && strncasecmp(url, "https://", 8))
        return lf_err_set(err, LF_EINVAL, "notify.webhook_url must start with http:// or https://");
    char shown[512];
    redact_url(url, false, shown, sizeof shown);
    if (!strcmp(shown, "(unparsable URL)"))
        return lf_err_set(err, LF_EINVAL, "notify.webhook_url is not a valid URL");
    const char *secret = w->secret ? w->secret : "";
    for (const char *p = secret; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return lf_err_set(err, LF_EINVAL, "notify.webhook_secret holds a control character");

    struct curl_slist *hdr = NULL, *n;
    char *auth = NULL;
    CURL *c = NULL;
    int rc = LF_ENOMEM;
    if (!(n = curl_slist_append(hdr, "Content-Type: application/json")))
        goto oom;
    hdr = n;
    if (!(n = curl_slist_append(hdr, "Expect:")))   /* no 100-continue round trip */
        goto oom;
    hdr = n;
    if (*secret) {
        size_t an = strlen(secret) + 32;
        auth = malloc(an);
        if (!auth)
            goto oom;
        snprintf(auth, an, "Authorization: Bearer %s", secret);
        if (!(n = curl_slist_append(hdr, auth)))
            goto oom;
        hdr = n;
    }
    if (!(c = curl_easy_init()))
        goto oom;
    long timeout = w->timeout_s > 0 ? w->timeout_s : 30;
    char cerr[CURL_ERROR_SIZE] = "";
    sink body = {"", 0};
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, json);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "lianfang/" LF_VERSION_STRING);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, timeout < 30 ? timeout : 30L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_write);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
    CURLcode cc = curl_easy_perform(c);
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    if (status)
        *status = code;
    if (cc != CURLE_OK) {
        rc = lf_err_set(err, LF_EIO, "webhook %s: %s", shown, cerr[0] ? cerr : curl_easy_strerror(cc));
    } else if (code < 200 || code > 299) {
        char said[200];
        clean_copy(said, sizeof said, body.data, body.len);
        rc = lf_err_set(err, LF_EIO, "webhook %s answered HTTP %ld%s%s%s", shown, code, said[0] ? ": \"" : "",
                        said, said[0] ? "\"" : "");
    } else {
        rc = LF_OK;
    }
    if (rc && err)
        scrub(err->msg, secret);
    goto done;
oom:
    rc = lf_err_set(err, LF_ENOMEM, "out of memory");
done:
    curl_easy_cleanup(c);
    curl_slist_free_all(hdr);
    free(auth);
    return rc;
}
