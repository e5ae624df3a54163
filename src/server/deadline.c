/*
 * deadline: date arithmetic on civil dates (Howard Hinnant's days-from-civil algorithm,
 * written from its description) and the deadline rules (see deadline.h).
 */
#include "server/deadline.h"

#include <stdio.h>
#include <string.h>

void lf_deadline_defaults(lf_deadline_policy *p)
{
    p->high_cvss10 = 70;
    p->high_months = 1;
    p->critical_cvss10 = 90;
    p->critical_days = 6;
    p->kev_is_critical = true;
    p->upload_day = 10;
}

static long days_from_civil(long y, long m, long d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, long *y, long *m, long *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp + (mp < 10 ? 3 : -9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int month_days(long y, long m)
{
    static const int n[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : n[m - 1];
}

/* "YYYY-MM-DD" into out[11] (values are in range by construction; the wide buffer keeps
 * the compiler's truncation analysis quiet) */
static void fmt_ymd(long y, long m, long d, char out[11])
{
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%04ld-%02ld-%02ld", y % 10000, m, d);
    memcpy(out, tmp, 10);
    out[10] = '\0';
}

static bool parse_ymd(const char *s, long *y, long *m, long *d)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    *y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    *m = (s[5] - '0') * 10 + (s[6] - '0');
    *d = (s[8] - '0') * 10 + (s[9] - '0');
    return *m >= 1 && *m <= 12 && *d >= 1 && *d <= month_days(*y, *m);
}

bool lf_date_parse(const char *s, long *days)
{
    long y, m, d;
    if (!parse_ymd(s, &y, &m, &d))
        return false;
    *days = days_from_civil(y, m, d);
    return true;
}

void lf_date_format(long days, char out[11])
{
    long y, m, d;
    civil_from_days(days, &y, &m, &d);
    fmt_ymd(y, m, d, out);
}

bool lf_deadline_due(const lf_deadline_policy *p, const char *notice, double cvss, bool kev, const char *kev_due,
                     char out[11])
{
    out[0] = '\0';
    long y, m, d;
    if (!parse_ymd(notice, &y, &m, &d))
        return false;
    int s10 = cvss < 0 ? -1 : (int)(cvss * 10 + 0.5);
    if ((kev && p->kev_is_critical) || (s10 >= 0 && s10 >= p->critical_cvss10)) {
        long nd = days_from_civil(y, m, d), due = nd + p->critical_days, kd;
        /* CISA's due date when it is earlier, but never before the notice: a CVE listed
         * in KEV years ago that reaches an agency today is due in critical_days, not
         * overdue on the day it is noticed */
        if (kev && kev_due && lf_date_parse(kev_due, &kd) && kd < due && kd >= nd)
            due = kd;
        lf_date_format(due, out);
        return true;
    }
    if (s10 >= 0 && s10 >= p->high_cvss10) {
        long mm = m - 1 + p->high_months;
        long ny = y + mm / 12, nm = mm % 12 + 1;
        long nd = d > month_days(ny, nm) ? month_days(ny, nm) : d;   /* 01-31 + 1 month = 02-28 */
        fmt_ymd(ny, nm, nd, out);
        return true;
    }
    return false;
}

bool lf_deadline_upload_due(const lf_deadline_policy *p, const char *month, char out[11])
{
    out[0] = '\0';
    if (!month || strlen(month) != 7 || month[4] != '-')
        return false;
    char buf[11];
    memcpy(buf, month, 7);
    memcpy(buf + 7, "-01", 4);
    long y, m, d;
    if (!parse_ymd(buf, &y, &m, &d))
        return false;
    long day = p->upload_day < 1 ? 1 : p->upload_day > month_days(y, m) ? month_days(y, m) : p->upload_day;
    fmt_ymd(y, m, day, out);
    return true;
}
