/*
 * mail: delivering notices. Builds an Internet message (RFC 5322) with a MIME
 * multipart/alternative body (RFC 2045/2046: text/plain and text/html, both UTF-8), sends
 * it over SMTP with libcurl, and POSTs JSON to a webhook with libcurl.
 *
 * Message format (lf_mail_build):
 *   - CRLF line ends throughout; no header line longer than 78 characters unless one
 *     ASCII word or address is longer by itself;
 *   - Subject and non-ASCII display names as RFC 2047 encoded-words "=?UTF-8?B?...?=",
 *     each at most 75 characters and never splitting a UTF-8 sequence; the field is folded
 *     between words so every line holding an encoded-word stays within 76 characters
 *     (RFC 2047 §2); pure printable-ASCII subjects are folded at blanks instead;
 *   - To and Cc fold after each comma; Reply-To optional;
 *   - Date in RFC 5322 §3.3 form in Taiwan time, "Tue, 12 May 2026 09:00:00 +0800";
 *   - Message-ID = "<lf." enc(key) "@" domain ">", where key is the caller's stable
 *     notice key and domain the domain of the From address. enc keeps [A-Za-z0-9-_] and
 *     writes every other byte as "=XX" (hex), so it is injective: two keys never share an
 *     ID, and the same notice resent has the same ID. The scheduler relies on this for
 *     idempotency (a receiving system, or our own log, can drop a resend as a duplicate);
 *   - parts encoded base64 in lines of 76 characters (RFC 2045 §6.8) by default, or
 *     quoted-printable (RFC 2045 §6.7, lines of at most 76) when asked: readable in a raw
 *     mailbox, and a text line starting with "." then reaches SMTP as it is, which is how
 *     the tests check libcurl's dot-stuffing (RFC 5321 §4.5.2: libcurl doubles a leading
 *     "." on the wire; we never do it ourselves).
 *   Header values with CR, LF or other control characters in addresses are refused
 *   (header injection); in the subject they are encoded, so harmless.
 *
 * Sending (lf_mail_send): smtp://host[:port] (plain, then STARTTLS when the server offers
 * it: CURLUSESSL_TRY; when a login is given STARTTLS is required: CURLUSESSL_ALL, so a
 * password never crosses the network in clear) or smtps://host[:port] (TLS from the
 * start). The login comes from the URL (smtp://user:pass@host) or, overriding it, from
 * user/password. MAIL FROM is the From address; RCPT TO every To and Cc address. It is all
 * or nothing: a refused recipient aborts the transaction before DATA, so nobody gets a
 * copy and a retry (same Message-ID) cannot duplicate. Errors (LF_EIO) quote the server's
 * reply that failed the transaction and the command it answered (never AUTH); the
 * password never appears in a message (the URL is shown without it).
 *
 * Webhook (lf_mail_webhook_post): POST of a JSON body, Content-Type application/json,
 * optional "Authorization: Bearer <secret>", no redirects followed, http(s) only; a 2xx
 * status is delivered, anything else LF_EIO with the status and the start of the body.
 *
 * libcurl: call curl_global_init once at program start (before threads); these functions
 * only use easy handles of their own, so they can run from several threads at once.
 * Ownership: every input is borrowed for the call; output goes to caller's lf_buf.
 */
#ifndef LF_SERVER_MAIL_H
#define LF_SERVER_MAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"

/* Limits: a notice key, one address, recipients per message, a built message. */
#define LF_MAIL_MAX_KEY 200
#define LF_MAIL_MAX_ADDR 320
#define LF_MAIL_MAX_RCPT 100
#define LF_MAIL_MAX_SIZE ((size_t)16 << 20)

typedef enum lf_mail_cte {
    LF_MAIL_BASE64 = 0,          /* default */
    LF_MAIL_QP                   /* quoted-printable */
} lf_mail_cte;

typedef struct lf_mail_msg {
    const char *from;                  /* "addr@dom" or "Display Name <addr@dom>" */
    const char *const *to;             /* at least one */
    size_t nto;
    const char *const *cc;             /* may be NULL */
    size_t ncc;
    const char *reply_to;              /* NULL or "" = none */
    const char *subject;               /* UTF-8 */
    const char *text;                  /* UTF-8 plain-text part, LF or CRLF line ends */
    const char *html;                  /* UTF-8 HTML part; NULL = text/plain only */
    const char *key;                   /* stable notice key -> Message-ID (1..LF_MAIL_MAX_KEY bytes) */
    int64_t date;                      /* Unix seconds of the Date header */
    lf_mail_cte cte;
} lf_mail_msg;

/* Append the whole message to out. LF_EINVAL (bad address, missing field, key too long,
 * subject not UTF-8; err says which), LF_ELIMIT (too many recipients, too large),
 * LF_ENOMEM. */
int lf_mail_build(const lf_mail_msg *m, lf_buf *out, lf_err *err);

/* The pieces, for tests and other callers. Each appends to out. */
/* "Name: value" with value as RFC 2047 encoded-words when not plain ASCII, folded as
 * above, ending in CRLF. LF_EINVAL when value is not valid UTF-8. */
int lf_mail_put_header(lf_buf *out, const char *name, const char *value);
/* Base64 (RFC 4648 §4) of p[0..n) in lines of at most 76 characters, each ending CRLF. */
int lf_mail_put_base64(lf_buf *out, const void *p, size_t n);
/* Quoted-printable of UTF-8 text (LF or CRLF line ends -> CRLF), soft breaks at 76. */
int lf_mail_put_qp(lf_buf *out, const char *text, size_t n);
/* "<lf.KEY@domain>" into out (cap bytes). LF_EINVAL for an empty or too long key,
 * LF_ELIMIT when cap is too small. */
int lf_mail_message_id(const char *key, const char *domain, char *out, size_t cap);
/* RFC 5322 date of t in +0800: "Tue, 12 May 2026 09:00:00 +0800" (32 bytes suffice). */
void lf_mail_date(int64_t t, char out[40]);
/* The addr-spec of "Name <a@b>" or "a@b" into out (cap bytes); LF_EINVAL when it is
 * not one address (controls, spaces, no '@', brackets unbalanced, too long). */
int lf_mail_addr_spec(const char *addr, char *out, size_t cap);

typedef struct lf_mail_smtp {
    const char *url;                   /* smtp://host:587 or smtps://host:465, may hold user:pass@ */
    const char *user, *password;       /* NULL or "" = from the URL / none */
    long timeout_s;                    /* whole transaction; 0 = 60 */
} lf_mail_smtp;

/* Build m and send it. LF_EINVAL (bad URL or message), LF_EIO (connection, TLS, login,
 * a refused sender or recipient, or the data refused: err->msg quotes the server). */
int lf_mail_send(const lf_mail_smtp *s, const lf_mail_msg *m, lf_err *err);

typedef struct lf_mail_webhook {
    const char *url;                   /* http:// or https:// */
    const char *secret;                /* NULL or "" = no Authorization header */
    long timeout_s;                    /* 0 = 30 */
} lf_mail_webhook;

/* POST json[0..len). *status (may be NULL) gets the HTTP status (0 when none came).
 * LF_OK for 2xx; LF_EINVAL (bad URL), LF_EIO otherwise. */
int lf_mail_webhook_post(const lf_mail_webhook *w, const char *json, size_t len, long *status, lf_err *err);

#endif
