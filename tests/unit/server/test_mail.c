/*
 * Tests for src/server/mail.c: base64 lines (RFC 4648 §10 vectors, RFC 2045 §6.8 line
 * length), RFC 2047 encoded-word subjects in Chinese (word and line limits, no split
 * UTF-8 sequence, decoding back to the input), ASCII folding, quoted-printable (RFC 2045
 * §6.7), Message-ID stability, RFC 5322 dates, address parsing and header injection,
 * the whole multipart message, and send/webhook errors that never show a secret.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "server/mail.h"

/* ---- decoders written here, independent of the code under test ---- */

static int b64val(char c)
{
    const char *t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const char *p = c ? strchr(t, c) : NULL;
    return p ? (int)(p - t) : -1;
}

/* Decode base64 s[0..n), skipping CR/LF; returns the decoded length, -1 on a bad char. */
static long b64dec(const char *s, size_t n, char *out)
{
    unsigned v = 0;
    int bits = 0;
    long o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\r' || s[i] == '\n' || s[i] == '=')
            continue;
        int d = b64val(s[i]);
        if (d < 0)
            return -1;
        v = (v << 6) | (unsigned)d;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (char)((v >> bits) & 0xff);
        }
    }
    return o;
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Decode quoted-printable; CRLF stays CRLF, soft breaks vanish. */
static long qpdec(const char *s, size_t n, char *out)
{
    long o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '=' && i + 2 < n && s[i + 1] == '\r' && s[i + 2] == '\n') {
            i += 2;
        } else if (s[i] == '=') {
            if (i + 2 >= n || hexval(s[i + 1]) < 0 || hexval(s[i + 2]) < 0)
                return -1;
            out[o++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            i += 2;
        } else {
            out[o++] = s[i];
        }
    }
    return o;
}

static bool utf8_ok(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        size_t l = p[i] < 0x80 ? 1 : (p[i] & 0xE0) == 0xC0 ? 2 : (p[i] & 0xF0) == 0xE0 ? 3 : (p[i] & 0xF8) == 0xF0 ? 4 : 0;
        if (!l || i + l > n)
            return false;
        for (size_t k = 1; k < l; k++)
            if ((p[i + k] & 0xC0) != 0x80)
                return false;
        i += l;
    }
    return true;
}

/* Longest line of s (CRLF-terminated lines), and whether every LF follows a CR. */
static size_t longest_line(const char *s, bool *crlf)
{
    size_t best = 0, cur = 0;
    *crlf = true;
    for (const char *p = s; *p; p++) {
        if (*p == '\n') {
            if (p == s || p[-1] != '\r')
                *crlf = false;
            if (cur - 1 > best)
                best = cur - 1;
            cur = 0;
        } else {
            cur++;
        }
    }
    return cur > best ? cur : best;
}

/* Decode an RFC 2047 header value ("Name: " stripped by the caller), checking each word. */
static void decode_ew_header(const char *v, char *out, size_t cap)
{
    size_t o = 0;
    const char *p = v;
    while (*p) {
        if (*p == '\r' || *p == '\n' || *p == ' ') {
            p++;
            continue;
        }
        assert_memory_equal(p, "=?UTF-8?B?", 10);
        const char *end = strstr(p + 10, "?=");
        assert_non_null(end);
        size_t wlen = (size_t)(end + 2 - p);
        assert_true(wlen <= 75);                        /* RFC 2047 §2 */
        char tmp[128];
        long dn = b64dec(p + 10, (size_t)(end - p - 10), tmp);
        assert_true(dn > 0);
        assert_true(utf8_ok(tmp, (size_t)dn));          /* no sequence split across words */
        assert_true(o + (size_t)dn < cap);
        memcpy(out + o, tmp, (size_t)dn);
        o += (size_t)dn;
        p = end + 2;
    }
    out[o] = '\0';
}

/* ---- tests ---- */

static void test_mail_base64_vectors(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } t[] = {{"", ""},
             {"f", "Zg==\r\n"},
             {"fo", "Zm8=\r\n"},
             {"foo", "Zm9v\r\n"},
             {"foob", "Zm9vYg==\r\n"},
             {"fooba", "Zm9vYmE=\r\n"},
             {"foobar", "Zm9vYmFy\r\n"}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        lf_buf b;
        lf_buf_init(&b, 0);
        assert_int_equal(lf_mail_put_base64(&b, t[i].in, strlen(t[i].in)), LF_OK);
        assert_string_equal(b.len ? b.data : "", t[i].out);
        lf_buf_clear(&b);
    }
}

static void test_mail_base64_lines(void **state)
{
    (void)state;
    /* 1000 bytes: 17 full lines of 76 characters, then the rest; decodes back. */
    char in[1000], dec[1100];
    for (size_t i = 0; i < sizeof in; i++)
        in[i] = (char)(i * 7 + 3);
    lf_buf b;
    lf_buf_init(&b, 0);
    assert_int_equal(lf_mail_put_base64(&b, in, sizeof in), LF_OK);
    bool crlf;
    assert_int_equal(longest_line(b.data, &crlf), 76);
    assert_true(crlf);
    assert_memory_equal(b.data + 76, "\r\n", 2);
    assert_int_equal(b64dec(b.data, b.len, dec), (long)sizeof in);
    assert_memory_equal(dec, in, sizeof in);
    lf_buf_clear(&b);
}

static void test_mail_subject_chinese(void **state)
{
    (void)state;
    static const char *const subjects[] = {
        "【聯防】新發現弱點通知 New vulnerability findings — 臺北市政府人事處 (3)",
        "【聯防】逾期未修補弱點陳報 Escalation: overdue findings — 高雄市政府警察局三民第二分局鼎山派出所 (200)",
        "臺", "é", "😀 emoji 𠀀 (4-byte) 😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀",
        "=?UTF-8?B?not-a-word?= looks like one, so it must be encoded",
    };
    for (size_t i = 0; i < sizeof subjects / sizeof subjects[0]; i++) {
        lf_buf b;
        lf_buf_init(&b, 0);
        assert_int_equal(lf_mail_put_header(&b, "Subject", subjects[i]), LF_OK);
        bool crlf;
        assert_true(longest_line(b.data, &crlf) <= 76);   /* RFC 2047 §2 line limit */
        assert_true(crlf);
        assert_memory_equal(b.data, "Subject: =?UTF-8?B?", 19);
        assert_memory_equal(b.data + b.len - 2, "\r\n", 2);
        char dec[1024];
        decode_ew_header(b.data + 9, dec, sizeof dec);
        assert_string_equal(dec, subjects[i]);
        lf_buf_clear(&b);
    }
    /* Not UTF-8: refused, not sent as mojibake. */
    lf_buf b;
    lf_buf_init(&b, 0);
    assert_int_equal(lf_mail_put_header(&b, "Subject", "\xB3\xAF\xA8\xBE Big5"), LF_EINVAL);
    assert_int_equal(lf_mail_put_header(&b, "Subject", "\xED\xA0\x80 surrogate"), LF_EINVAL);
    lf_buf_clear(&b);
}

static void test_mail_subject_ascii_fold(void **state)
{
    (void)state;
    const char *s = "Monthly inventory upload missing for the Department of Personnel of the Taipei City Government, "
                    "month 2026-05, due on 2026-05-10; please upload it soon";
    lf_buf b;
    lf_buf_init(&b, 0);
    assert_int_equal(lf_mail_put_header(&b, "Subject", s), LF_OK);
    bool crlf;
    assert_true(longest_line(b.data, &crlf) <= 78);
    assert_true(crlf);
    assert_non_null(strstr(b.data, "\r\n "));            /* it was folded */
    assert_null(strstr(b.data, "=?"));                   /* and not encoded */
    /* Unfolding (RFC 5322 §2.2.3: remove CRLF before WSP) gives the value back. */
    char unf[512];
    size_t o = 0;
    for (const char *p = b.data + 9; *p; p++)
        if (*p != '\r' && *p != '\n')
            unf[o++] = *p;
    unf[o] = '\0';
    assert_string_equal(unf, s);
    /* Short ASCII stays on one line as it is. */
    lf_buf_reset(&b);
    assert_int_equal(lf_mail_put_header(&b, "Subject", "Test notice"), LF_OK);
    assert_string_equal(b.data, "Subject: Test notice\r\n");
    lf_buf_clear(&b);
}

static void test_mail_qp(void **state)
{
    (void)state;
    const char *text = "第一行 line one\n.a line starting with a dot\n.\na=b tab\tend  \n"
                       "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十 long Chinese line\n"
                       "last line without newline";
    lf_buf b;
    lf_buf_init(&b, 0);
    assert_int_equal(lf_mail_put_qp(&b, text, strlen(text)), LF_OK);
    bool crlf;
    assert_true(longest_line(b.data, &crlf) <= 76);
    assert_true(crlf);
    /* The dot lines reach SMTP as they are: stuffing them is libcurl's job. */
    assert_non_null(strstr(b.data, "\r\n.a line starting with a dot\r\n.\r\n"));
    assert_non_null(strstr(b.data, "a=3Db"));
    assert_non_null(strstr(b.data, "end =20\r\n"));       /* trailing blank protected */
    /* Every encoded line decodes to whole UTF-8 characters on its own. */
    for (const char *l = b.data; *l;) {
        const char *e = strstr(l, "\r\n");
        char one[128];
        long k = qpdec(l, (size_t)(e - l) + 2, one);   /* with its CRLF: a soft break */
        assert_true(k >= 0);
        if (!utf8_ok(one, (size_t)k))
            fail_msg("line '%.*s' splits a character", (int)(e - l), l);
        l = e + 2;
    }
    char dec[1024];
    long n = qpdec(b.data, b.len, dec);
    assert_true(n > 0);
    dec[n] = '\0';
    /* Decoded: the text with CRLF line ends (and the final CRLF the boundary takes). */
    char want[1024];
    size_t o = 0;
    for (const char *p = text; *p; p++) {
        if (*p == '\n')
            want[o++] = '\r';
        want[o++] = *p;
    }
    memcpy(want + o, "\r\n", 3);
    assert_string_equal(dec, want);
    lf_buf_clear(&b);
}

static void test_mail_message_id(void **state)
{
    (void)state;
    char a[512], b[512], c[512];
    assert_int_equal(lf_mail_message_id("digest/379030000A/2026-05-12", "example.gov.tw", a, sizeof a), LF_OK);
    assert_string_equal(a, "<lf.digest=2F379030000A=2F2026-05-12@example.gov.tw>");
    /* The same key gives the same ID every time (resends are recognisable). */
    assert_int_equal(lf_mail_message_id("digest/379030000A/2026-05-12", "example.gov.tw", b, sizeof b), LF_OK);
    assert_string_equal(a, b);
    /* Injective: a key that spells the escape differs. */
    assert_int_equal(lf_mail_message_id("digest=2F379030000A=2F2026-05-12", "example.gov.tw", c, sizeof c), LF_OK);
    assert_string_not_equal(a, c);
    assert_int_equal(lf_mail_message_id("a b<c>@", "d.tw", c, sizeof c), LF_OK);
    assert_string_equal(c, "<lf.a=20b=3Cc=3E=40@d.tw>");
    char big[LF_MAIL_MAX_KEY + 2];
    memset(big, 'k', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(lf_mail_message_id(big, "d.tw", c, sizeof c), LF_EINVAL);
    assert_int_equal(lf_mail_message_id("", "d.tw", c, sizeof c), LF_EINVAL);
    assert_int_equal(lf_mail_message_id("k", "d.tw", c, 5), LF_ELIMIT);
}

static void test_mail_date(void **state)
{
    (void)state;
    char d[40];
    lf_mail_date(0, d);
    assert_string_equal(d, "Thu, 01 Jan 1970 08:00:00 +0800");
    lf_mail_date(16 * 3600, d);   /* midnight in Taipei: the next day */
    assert_string_equal(d, "Fri, 02 Jan 1970 00:00:00 +0800");
    lf_mail_date(1778547723, d);  /* 2026-05-12 01:02:03 UTC */
    assert_string_equal(d, "Tue, 12 May 2026 09:02:03 +0800");
}

static void test_mail_addr_spec(void **state)
{
    (void)state;
    static const struct {
        const char *in, *spec;   /* spec NULL = refused */
    } t[] = {
        {"noreply@example.gov.tw", "noreply@example.gov.tw"},
        {"  Lianfang <noreply@example.gov.tw> ", "noreply@example.gov.tw"},
        {"\"Doe, J.\" <j.doe+tag@x.gov.tw>", "j.doe+tag@x.gov.tw"},
        {"聯防平臺 <noreply@example.gov.tw>", "noreply@example.gov.tw"},
        {"a@b\r\nBcc: victim@example.com", NULL},
        {"Name <a@b>\nBcc: c@d", NULL},
        {"no-at-sign", NULL},
        {"<a@b", NULL},
        {"a@@b", NULL},
        {"a b@c", NULL},
        {"@b", NULL},
        {"a@", NULL},
        {"", NULL},
        {"x <a@b>, y <c@d>", NULL},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        char out[LF_MAIL_MAX_ADDR];
        int rc = lf_mail_addr_spec(t[i].in, out, sizeof out);
        if (t[i].spec) {
            assert_int_equal(rc, LF_OK);
            assert_string_equal(out, t[i].spec);
        } else if (rc != LF_EINVAL) {
            fail_msg("address %zu '%s' accepted as '%s'", i, t[i].in, out);
        }
    }
}

static lf_mail_msg sample_msg(void)
{
    static const char *const to[] = {"資安窗口 <it@agency.gov.tw>", "second@agency.gov.tw"};
    static const char *const cc[] = {"\"County, Joint Defense\" <jd@county.gov.tw>"};
    lf_mail_msg m = {0};
    m.from = "聯防平臺 Lianfang <noreply@example.gov.tw>";
    m.to = to;
    m.nto = 2;
    m.cc = cc;
    m.ncc = 1;
    m.reply_to = "soc@example.gov.tw";
    m.subject = "【聯防】新發現弱點通知 New vulnerability findings — 臺北市政府人事處 (3)";
    m.text = "臺北市政府人事處 資安窗口您好：\n.dot line\n\nDear security contact,\n";
    m.html = "<!DOCTYPE html>\n<p>臺北市政府人事處</p>\n";
    m.key = "digest/379030000A/2026-05-12";
    m.date = 1778547723;
    return m;
}

/* The body of the part whose Content-Type starts with ctype, base64-decoded. */
static long part_body(const char *msg, const char *ctype, char *out)
{
    const char *p = strstr(msg, ctype);
    assert_non_null(p);
    const char *body = strstr(p, "\r\n\r\n");
    assert_non_null(body);
    body += 4;
    const char *end = strstr(body, "\r\n--");
    if (!end)
        end = body + strlen(body);
    return b64dec(body, (size_t)(end - body), out);
}

static void test_mail_build_multipart(void **state)
{
    (void)state;
    lf_mail_msg m = sample_msg();
    lf_buf b;
    lf_buf_init(&b, 0);
    lf_err e;
    assert_int_equal(lf_mail_build(&m, &b, &e), LF_OK);
    bool crlf;
    assert_true(longest_line(b.data, &crlf) <= 78);
    assert_true(crlf);
    const char *hdr_end = strstr(b.data, "\r\n\r\n");
    assert_non_null(hdr_end);
    assert_memory_equal(b.data, "From: =?UTF-8?B?", 16);
    assert_non_null(strstr(b.data, "<noreply@example.gov.tw>\r\nTo: =?UTF-8?B?"));
    assert_non_null(strstr(b.data, "<it@agency.gov.tw>,\r\n <second@agency.gov.tw>\r\n"));
    assert_non_null(strstr(b.data, "Cc: \"County, Joint Defense\" <jd@county.gov.tw>\r\n"));
    assert_non_null(strstr(b.data, "Reply-To: <soc@example.gov.tw>\r\n"));
    assert_non_null(strstr(b.data, "\r\nDate: Tue, 12 May 2026 09:02:03 +0800\r\n"));
    assert_non_null(strstr(b.data, "\r\nMessage-ID: <lf.digest=2F379030000A=2F2026-05-12@example.gov.tw>\r\n"));
    assert_non_null(strstr(b.data, "\r\nMIME-Version: 1.0\r\n"));
    assert_non_null(strstr(b.data, "\r\nAuto-Submitted: auto-generated\r\n"));
    const char *ct = strstr(b.data, "Content-Type: multipart/alternative; boundary=\"");
    assert_non_null(ct);
    assert_true(ct < hdr_end);
    char boundary[64];
    const char *bs = ct + strlen("Content-Type: multipart/alternative; boundary=\"");
    size_t bl = (size_t)(strchr(bs, '"') - bs);
    assert_true(bl > 4 && bl < sizeof boundary);
    memcpy(boundary, bs, bl);
    boundary[bl] = '\0';
    char delim[80], close[80];
    snprintf(delim, sizeof delim, "\r\n--%s\r\n", boundary);
    snprintf(close, sizeof close, "\r\n--%s--\r\n", boundary);
    /* two parts, text first (RFC 2046 §5.1.4: the preferred last), then the close */
    const char *p1 = strstr(b.data, delim), *p2 = p1 ? strstr(p1 + 1, delim) : NULL;
    assert_non_null(p1);
    assert_non_null(p2);
    assert_null(strstr(p2 + 1, delim));
    assert_non_null(strstr(p2, close));
    assert_true(strstr(p1, "text/plain; charset=UTF-8") < p2);
    assert_non_null(strstr(p2, "text/html; charset=UTF-8"));
    assert_non_null(strstr(p1, "Content-Transfer-Encoding: base64"));
    char dec[1024];
    long n = part_body(b.data, "Content-Type: text/plain", dec);
    assert_int_equal(n, (long)strlen(m.text));
    assert_memory_equal(dec, m.text, strlen(m.text));
    n = part_body(b.data, "Content-Type: text/html", dec);
    assert_int_equal(n, (long)strlen(m.html));
    assert_memory_equal(dec, m.html, strlen(m.html));
    /* The subject header decodes to the subject. */
    const char *sh = strstr(b.data, "\r\nSubject: ");
    assert_non_null(sh);
    const char *se = strstr(sh, "\r\nDate: ");
    char sv[512], sd[512];
    memcpy(sv, sh + 11, (size_t)(se - sh - 11));
    sv[se - sh - 11] = '\0';
    decode_ew_header(sv, sd, sizeof sd);
    assert_string_equal(sd, m.subject);
    /* Built twice: identical (the same notice is the same message). */
    lf_buf b2;
    lf_buf_init(&b2, 0);
    assert_int_equal(lf_mail_build(&m, &b2, &e), LF_OK);
    assert_string_equal(b.data, b2.data);
    lf_buf_clear(&b2);
    lf_buf_clear(&b);
}

static void test_mail_build_text_only_qp(void **state)
{
    (void)state;
    lf_mail_msg m = sample_msg();
    m.html = NULL;
    m.cte = LF_MAIL_QP;
    m.ncc = 0;
    m.reply_to = NULL;
    lf_buf b;
    lf_buf_init(&b, 0);
    lf_err e;
    assert_int_equal(lf_mail_build(&m, &b, &e), LF_OK);
    assert_null(strstr(b.data, "multipart"));
    assert_null(strstr(b.data, "Cc:"));
    assert_null(strstr(b.data, "Reply-To:"));
    assert_non_null(strstr(b.data, "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: "
                                   "quoted-printable\r\n\r\n"));
    assert_non_null(strstr(b.data, "\r\n.dot line\r\n"));
    lf_buf_clear(&b);
}

static void test_mail_build_refuses(void **state)
{
    (void)state;
    lf_buf b;
    lf_buf_init(&b, 0);
    lf_err e;
    lf_mail_msg m = sample_msg();
    static const char *const bad_to[] = {"it@agency.gov.tw\r\nBcc: everyone@example.com"};
    m.to = bad_to;
    m.nto = 1;
    assert_int_equal(lf_mail_build(&m, &b, &e), LF_EINVAL);
    assert_non_null(strstr(e.msg, "To[0]"));
    assert_int_equal(b.len, 0);   /* nothing half-built left behind */
    m = sample_msg();
    m.from = "Lianfang";
    assert_int_equal(lf_mail_build(&m, &b, &e), LF_EINVAL);
    assert_non_null(strstr(e.msg, "From"));
    m = sample_msg();
    m.key = "";
    assert_int_equal(lf_mail_build(&m, &b, &e), LF_EINVAL);
    m = sample_msg();
    m.subject = "\xA4\xA4\xA4\xE5";   /* Big5, not UTF-8 */
    assert_int_equal(lf_mail_build(&m, &b, &e), LF_EINVAL);
    m = sample_msg();
    m.nto = 0;
    assert_int_equal(lf_mail_build(&m, &b, &e), LF_EINVAL);
    static const char *many[LF_MAIL_MAX_RCPT + 1];
    for (size_t i = 0; i <= LF_MAIL_MAX_RCPT; i++)
        many[i] = "a@b.tw";
    m = sample_msg();
    m.to = many;
    m.nto = LF_MAIL_MAX_RCPT + 1;
    m.ncc = 0;
    assert_int_equal(lf_mail_build(&m, &b, &e), LF_ELIMIT);
    lf_buf_clear(&b);
}

static void test_mail_send_errors_hide_secrets(void **state)
{
    (void)state;
    lf_mail_msg m = sample_msg();
    lf_err e;
    lf_mail_smtp s = {"http://relay.example.gov.tw/", NULL, NULL, 5};
    assert_int_equal(lf_mail_send(&s, &m, &e), LF_EINVAL);
    assert_non_null(strstr(e.msg, "smtp://"));
    /* Port 1 on loopback refuses at once: an I/O error naming the host, not the password. */
    s.url = "smtp://mailer:s3cretPW@127.0.0.1:1";
    lf_err_clear(&e);
    assert_int_equal(lf_mail_send(&s, &m, &e), LF_EIO);
    assert_non_null(strstr(e.msg, "127.0.0.1"));
    assert_null(strstr(e.msg, "s3cretPW"));
    s.url = "smtp://127.0.0.1:1";
    s.user = "mailer";
    s.password = "Sup3rSecretValue";
    lf_err_clear(&e);
    assert_int_equal(lf_mail_send(&s, &m, &e), LF_EIO);
    assert_null(strstr(e.msg, "Sup3rSecretValue"));

    lf_mail_webhook w = {"ftp://hooks.example/x", NULL, 5};
    long status = -1;
    assert_int_equal(lf_mail_webhook_post(&w, "{}", 2, &status, &e), LF_EINVAL);
    assert_int_equal(status, 0);
    w.url = "http://127.0.0.1:1/hooks/t0kenInPath?key=abc123";
    w.secret = "BearerSecret99";
    lf_err_clear(&e);
    assert_int_equal(lf_mail_webhook_post(&w, "{}", 2, &status, &e), LF_EIO);
    assert_non_null(strstr(e.msg, "127.0.0.1"));
    assert_null(strstr(e.msg, "t0kenInPath"));
    assert_null(strstr(e.msg, "abc123"));
    assert_null(strstr(e.msg, "BearerSecret99"));
    w.secret = "evil\r\nX-Injected: 1";
    assert_int_equal(lf_mail_webhook_post(&w, "{}", 2, &status, &e), LF_EINVAL);
}

static int setup(void **state)
{
    (void)state;
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    curl_global_cleanup();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mail_base64_vectors),
        cmocka_unit_test(test_mail_base64_lines),
        cmocka_unit_test(test_mail_subject_chinese),
        cmocka_unit_test(test_mail_subject_ascii_fold),
        cmocka_unit_test(test_mail_qp),
        cmocka_unit_test(test_mail_message_id),
        cmocka_unit_test(test_mail_date),
        cmocka_unit_test(test_mail_addr_spec),
        cmocka_unit_test(test_mail_build_multipart),
        cmocka_unit_test(test_mail_build_text_only_qp),
        cmocka_unit_test(test_mail_build_refuses),
        cmocka_unit_test(test_mail_send_errors_hide_secrets),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
