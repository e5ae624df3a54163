/*
 * deadline: the programme's remediation deadlines, computed when a finding is first
 * noticed (its notice date). Defaults from the brief, each configurable ([deadline] in the
 * server config):
 *   CVSS >= 9.0 (critical) or KEV-listed: 6 days after notice, or the KEV due date if that
 *       is earlier;
 *   CVSS >= 7.0: one calendar month after notice (2026-01-31 → 2026-02-28);
 *   below 7.0 and not KEV-listed: no programme deadline (NULL).
 * The monthly inventory upload is due by the 10th of each month (lf_deadline_upload_due).
 * Dates are "YYYY-MM-DD" (proleptic Gregorian, no time zone: a notice is a calendar day).
 */
#ifndef LF_SERVER_DEADLINE_H
#define LF_SERVER_DEADLINE_H

#include <stdbool.h>

typedef struct lf_deadline_policy {
    int high_cvss10;         /* 70: CVSS x 10 at or above which the "high" deadline applies */
    int high_months;         /* 1 */
    int critical_cvss10;     /* 90 */
    int critical_days;       /* 6 */
    bool kev_is_critical;    /* true: KEV-listed findings get the critical deadline */
    int upload_day;          /* 10: day of the month the monthly upload is due */
} lf_deadline_policy;

void lf_deadline_defaults(lf_deadline_policy *p);

/* Due date of a finding noticed on `notice`; cvss < 0 = no score. Critical or KEV:
 * notice + critical_days, or the KEV due date when that is earlier but not before the
 * notice (an old KEV entry gives no deadline in the past). Returns false (and out "")
 * when no deadline applies or a date is malformed. out needs 11 bytes. */
bool lf_deadline_due(const lf_deadline_policy *p, const char *notice, double cvss, bool kev, const char *kev_due,
                     char out[11]);

/* The date the upload for `month` ("YYYY-MM") is due: "YYYY-MM-<upload_day>". */
bool lf_deadline_upload_due(const lf_deadline_policy *p, const char *month, char out[11]);

/* Calendar helpers: day count since 1970-01-01 and back. false on a malformed date. */
bool lf_date_parse(const char *s, long *days);
void lf_date_format(long days, char out[11]);

#endif
