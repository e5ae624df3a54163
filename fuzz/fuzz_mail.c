/*
 * fuzz_mail: the mail encoders and the notice renderer on any bytes (outside data reaches
 * both: agency names, product strings, links). The input is split at the first two NUL
 * bytes into a subject/name, a second string (an address or link) and a body.
 * Invariants: no crash or leak; a header that was accepted is CRLF-terminated lines whose
 * continuations start with a blank (no header injection), encoded-word lines <= 76; a
 * built message has exactly one Subject and no Bcc line in its header; quoted-printable
 * is printable ASCII in lines <= 76; an accepted address has no blank, control or
 * bracket; the rendered subject is one line and the HTML never holds the raw "<fz" tag
 * planted in front of an outside string.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "server/mail.h"
#include "server/notice.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The fields lf_mail_build writes: any other line start in its header is an injection. */
static bool known_field(const char *p)
{
    static const char *const f[] = {"From:", "To:", "Cc:", "Reply-To:", "Subject:", "Date:", "Message-ID:",
                                    "MIME-Version:", "Auto-Submitted:", "Content-Type:",
                                    "Content-Transfer-Encoding:"};
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        if (!strncmp(p, f[i], strlen(f[i])))
            return true;
    return false;
}

/* many = a whole header section (several fields), else one field. */
static void check_header(const char *h, size_t n, bool encoded, bool many)
{
    size_t col = 0;
    for (size_t i = 0; i < n; i++) {
        if (h[i] == '\n' && (i == 0 || h[i - 1] != '\r'))
            __builtin_trap();
        if (h[i] == '\r' && (i + 1 >= n || h[i + 1] != '\n'))
            __builtin_trap();
        if (h[i] == '\n') {
            if (i + 1 < n && h[i + 1] != ' ' && h[i + 1] != '\t' && !(many && known_field(h + i + 1)))
                __builtin_trap();   /* a new field: injection */
            col = 0;
        } else if (h[i] != '\r' && ++col > 76 && encoded) {
            __builtin_trap();
        }
    }
    if (n < 2 || h[n - 2] != '\r' || h[n - 1] != '\n')
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 8192)
        return 0;
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    const char *a = s, *b = "", *body = "";
    char *z = memchr(s, '\0', size);
    if (z && (size_t)(z - s) < size) {
        b = z + 1;
        char *z2 = strchr(b, '\0');
        if ((size_t)(z2 - s) < size)
            body = z2 + 1;
    }

    lf_buf out;
    lf_buf_init(&out, 0);
    if (lf_mail_put_header(&out, "Subject", a) == LF_OK) {
        bool ascii = true;
        for (const char *p = a; *p; p++)
            if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
                ascii = false;
        check_header(out.data, out.len, !ascii || strstr(a, "=?"), false);
    }
    lf_buf_reset(&out);
    if (lf_mail_put_qp(&out, body, strlen(body)) == LF_OK) {
        size_t col = 0;
        for (size_t i = 0; i < out.len; i++) {
            unsigned char c = (unsigned char)out.data[i];
            if (c == '\n') {
                col = 0;
                continue;
            }
            if (c != '\r' && (c < 0x20 || c > 0x7e) && c != '\t')
                __builtin_trap();
            if (c != '\r' && ++col > 76)
                __builtin_trap();
        }
    }
    char spec[LF_MAIL_MAX_ADDR];
    if (lf_mail_addr_spec(b, spec, sizeof spec) == LF_OK)
        for (const char *p = spec; *p; p++)
            if ((unsigned char)*p <= 0x20 || *p == 0x7f || *p == '<' || *p == '>')
                __builtin_trap();

    /* A whole message with the input as subject, recipient and key. */
    const char *to[1] = {b};
    lf_mail_msg m = {0};
    m.from = "聯防 <noreply@example.gov.tw>";
    m.to = to;
    m.nto = 1;
    m.subject = a;
    m.text = body;
    m.html = body;
    m.key = *a && strlen(a) <= LF_MAIL_MAX_KEY ? a : "k";
    m.cte = size & 1 ? LF_MAIL_QP : LF_MAIL_BASE64;
    lf_err err;
    lf_buf_reset(&out);
    if (lf_mail_build(&m, &out, &err) == LF_OK) {
        char *end = strstr(out.data, "\r\n\r\n");
        if (!end)
            __builtin_trap();
        size_t hn = (size_t)(end - out.data) + 2;
        check_header(out.data, hn, false, true);
        size_t subjects = 0;
        for (size_t i = 0; i < hn; i++)
            if (i == 0 || out.data[i - 1] == '\n') {
                if (!strncmp(out.data + i, "Subject:", 8))
                    subjects++;
                if (!strncmp(out.data + i, "Bcc:", 4))
                    __builtin_trap();
            }
        if (subjects != 1)
            __builtin_trap();
    }
    lf_buf_clear(&out);

    /* The renderer: outside strings behind a planted tag. */
    size_t an = strlen(a);
    char *tagged = malloc(an + 4);
    if (tagged) {
        memcpy(tagged, "<fz", 3);
        memcpy(tagged + 3, a, an + 1);
        lf_notice_finding f = {tagged, tagged, tagged, (double)(size % 110) / 10.0, NULL, size & 2, b, "2026-05-20", b};
        lf_notice n = {0};
        n.kind = (lf_notice_kind)(1 + size % 4);
        n.today = "2026-05-12";
        n.agency = (lf_notice_org){tagged, tagged, tagged};
        n.to_org = (lf_notice_org){"TW-TPE", tagged, NULL};
        n.month = "2026-05";
        n.upload_due = "2026-05-10";
        n.findings = &f;
        n.nfindings = 1;
        n.note = body;
        n.portal_url = b;
        lf_notice_msg nm;
        lf_notice_msg_init(&nm);
        if (lf_notice_render(&n, &nm, &err) == LF_OK) {
            if (strchr(nm.subject.data, '\n') || strchr(nm.subject.data, '\r'))
                __builtin_trap();
            if (strstr(nm.html.data, "<fz"))
                __builtin_trap();
        }
        lf_notice_msg_clear(&nm);
        lf_buf j;
        lf_buf_init(&j, 0);
        lf_notice_json(&n, a, a, &j);
        lf_buf_clear(&j);
        free(tagged);
    }
    free(s);
    return 0;
}
