/*
 * notice: the wording of the platform's notices (issue 4), rendered from plain structs
 * (no store calls) into a subject, a plain-text body and an HTML body, each in
 * Traditional Chinese first and then English, and into a JSON document for webhooks.
 *
 * Kinds and who gets them (the scheduler decides when; this module only writes them):
 *   LF_NOTICE_DIGEST      new findings of one agency, to the agency's contacts;
 *   LF_NOTICE_UPLOAD      the month's inventory upload is missing (due on the 10th);
 *   LF_NOTICE_DEADLINE    findings near their remediation deadline (N days left) or past it;
 *   LF_NOTICE_ESCALATION  an agency's overdue findings, to its county / region contacts.
 *
 * Every string in the input is outside data (agency names, products, hosts, links): text
 * is cleaned (control characters become spaces, invalid UTF-8 becomes U+FFFD, each field
 * capped at LF_NOTICE_MAX_FIELD bytes on a character boundary), HTML is escaped (& < > " '),
 * and only http:// and https:// links become <a href>; anything else is shown as text.
 * Lists are ordered for action (KEV first, then CVSS high to low, then earliest due date,
 * host, CVE) and capped at max_rows ("… and N more / 另有 N 筆"). Dates are YYYY-MM-DD;
 * severities read 嚴重/高/中/低 and Critical/High/Medium/Low (from the CVSS score when
 * the record has no severity word).
 *
 * Ownership: lf_notice_render fills a caller-owned lf_notice_msg; lf_notice_msg_clear
 * frees it. Inputs are borrowed for the call only.
 */
#ifndef LF_SERVER_NOTICE_H
#define LF_SERVER_NOTICE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/err.h"

#define LF_NOTICE_MAX_ROWS 200      /* default list cap */
#define LF_NOTICE_MAX_FIELD 300     /* bytes kept of one outside string */

typedef enum lf_notice_kind {
    LF_NOTICE_DIGEST = 1,
    LF_NOTICE_UPLOAD,
    LF_NOTICE_DEADLINE,
    LF_NOTICE_ESCALATION
} lf_notice_kind;

/* "digest", "upload", "deadline", "escalation"; NULL when out of range. */
const char *lf_notice_kind_name(lf_notice_kind k);
int lf_notice_kind_parse(const char *s);   /* -1 when unknown */

typedef struct lf_notice_org {
    const char *code;                  /* "TW-TPE", an agency code */
    const char *name_zh, *name_en;     /* either may be NULL or "" (the other is used) */
} lf_notice_org;

typedef struct lf_notice_finding {
    const char *host;
    const char *cve;
    const char *product;               /* what matched, e.g. "Apache HTTP Server 2.4.49" */
    double cvss;                       /* < 0: no score */
    const char *severity;              /* "CRITICAL", "HIGH", ... or NULL: from cvss */
    bool kev;
    const char *kev_due;               /* CISA's due date or NULL */
    const char *due_date;              /* the programme deadline or NULL (none) */
    const char *fix_url;               /* the first vendor fix / advisory link, or NULL */
} lf_notice_finding;

typedef struct lf_notice {
    lf_notice_kind kind;
    const char *today;                 /* "YYYY-MM-DD": the notice date; days left count from it */
    lf_notice_org agency;              /* the agency the notice is about */
    lf_notice_org to_org;              /* ESCALATION: the county / region it goes to */
    const char *month;                 /* UPLOAD: "YYYY-MM" */
    const char *upload_due;            /* UPLOAD: "YYYY-MM-DD" (the 10th by default) */
    const lf_notice_finding *findings; /* DIGEST, DEADLINE, ESCALATION */
    size_t nfindings;
    const char *portal_url;            /* link to the platform (http/https) or NULL */
    const char *note;                  /* an extra paragraph (operator's words) or NULL */
    size_t max_rows;                   /* 0 = LF_NOTICE_MAX_ROWS */
} lf_notice;

typedef struct lf_notice_msg {
    lf_buf subject;                    /* one line, UTF-8 */
    lf_buf text;                       /* LF line ends */
    lf_buf html;                       /* a whole document */
} lf_notice_msg;

void lf_notice_msg_init(lf_notice_msg *m);
void lf_notice_msg_clear(lf_notice_msg *m);

/* Render n. LF_EINVAL (unknown kind, a missing or malformed date the kind needs: err
 * names the field), LF_ENOMEM. On error m holds nothing useful (clear it all the same). */
int lf_notice_render(const lf_notice *n, lf_notice_msg *m, lf_err *err);

/* The notice as JSON for the webhook: kind, key, subject, agency, to_org, today, month,
 * upload_due, findings (capped like the mail, each with days_left when it has a due
 * date), more (rows left out). Appends to out. */
int lf_notice_json(const lf_notice *n, const char *key, const char *subject, lf_buf *out);

/* A stable key for n: "<kind>/<agency code>/<today or month>[/<to_org code>]", the
 * same for the same notice on the same day, for the mail's Message-ID. LF_ELIMIT when
 * cap is too small, LF_EINVAL without an agency code. */
int lf_notice_key(const lf_notice *n, char *out, size_t cap);

/* Helpers, exposed for tests. */
/* Append s with & < > " ' escaped (after the same cleaning as all outside text). */
int lf_notice_html_escape(lf_buf *out, const char *s);
/* Severity words for a record: zh "嚴重", en "Critical"... ; "未評分" / "Not scored". */
void lf_notice_severity(double cvss, const char *severity, const char **zh, const char **en);
/* Is s an http:// or https:// URL with a host and no blank or control character? */
bool lf_notice_url_ok(const char *s);

#endif
