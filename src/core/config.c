/*
 * config: the server configuration table, its file reader, environment and command-line
 * overrides (see config.h for the format and the precedence).
 */
#include "core/config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/file.h"

extern char **environ;

enum { F_SECRET = 1 };

typedef struct cfg_key {
    const char *name;     /* "section.key" */
    lf_config_type type;
    const char *def;      /* default text; NULL = derived after loading (data.dir, store.url) */
    long min, max;        /* INT and DURATION bounds */
    unsigned flags;
    const char *help;
} cfg_key;

/* Every option in one table: adding a key is one row here (and a line in docs/api.md). */
static const cfg_key keys[] = {
    {"http.listen", LF_CONFIG_STR, "127.0.0.1", 0, 0, 0,
     "Address to listen on: an IPv4 or IPv6 literal or \"localhost\"; 0.0.0.0 or :: is every interface."},
    {"http.port", LF_CONFIG_INT, "8080", 0, 65535, 0,
     "TCP port; 0 picks a free port, printed at start."},
    {"http.tls_cert", LF_CONFIG_STR, "", 0, 0, 0,
     "PEM certificate (chain) file; together with tls_key the server speaks HTTPS only."},
    {"http.tls_key", LF_CONFIG_STR, "", 0, 0, 0,
     "PEM private key file for tls_cert (unencrypted)."},
    {"http.max_body_mb", LF_CONFIG_INT, "1", 1, 1024, 0,
     "Largest request body held in memory (JSON requests), in MiB; larger ones get 413."},
    {"http.max_upload_mb", LF_CONFIG_INT, "64", 1, 4096, 0,
     "Largest inventory upload, in MiB, buffered to a temporary file in <data.dir>/tmp."},
    {"http.threads", LF_CONFIG_INT, "-1", -1, 1024, 0,
     "Threads polling the connections; -1 = one per CPU (at least 2); 0 = one thread per "
     "connection. Slow handlers (uploads, reloads) run on workers of their own either way."},
    {"match.overlap", LF_CONFIG_BOOL, "true", 0, 0, 0,
     "Match an upload's or re-match's hosts on a thread of their own while the request's thread "
     "writes the findings; false = match and write in turn on one thread (a one-CPU machine)."},
    {"http.max_connections", LF_CONFIG_INT, "1024", 1, 65536, 0,
     "Most connections open at once; beyond it new connections are closed at once."},
    {"http.timeout", LF_CONFIG_DURATION, "60s", 1, 86400, 0,
     "An idle (keep-alive) connection is closed after this long."},
    {"http.secure_cookies", LF_CONFIG_BOOL, "false", 0, 0, 0,
     "Mark cookies Secure even without TLS here (behind a TLS-terminating proxy); always on with TLS."},
    {"http.access_log", LF_CONFIG_BOOL, "true", 0, 0, 0,
     "Log one line per request (client, method, path, status, time, request id) to stderr."},
    {"web.dir", LF_CONFIG_STR, "", 0, 0, 0,
     "Directory of the web dashboard (index.html, css/, js/) served under /ui/; empty = "
     "<bindir>/../share/lianfang/web, <bindir>/web, then the source tree's web/."},
    {"store.url", LF_CONFIG_STR, NULL, 0, 0, 0,
     "Storage backend: sqlite:PATH. Default: sqlite:<data.dir>/lianfang.db."},
    {"data.dir", LF_CONFIG_STR, NULL, 0, 0, 0,
     "Data directory (index, database, temporary uploads). Default: --data, $LIANFANG_DATA, "
     "else ~/.local/share/lianfang."},
    {"smtp.url", LF_CONFIG_STR, "", 0, 0, F_SECRET,
     "Mail relay for notices: smtp://host:587 (STARTTLS) or smtps://host:465; may carry user:password@."},
    {"smtp.from", LF_CONFIG_STR, "", 0, 0, 0,
     "Sender of notices, e.g. \"Lianfang <noreply@example.gov.tw>\"."},
    {"notify.webhook_url", LF_CONFIG_STR, "", 0, 0, F_SECRET,
     "URL that receives each notice as JSON (POST); empty = no webhook."},
    {"notify.webhook_secret", LF_CONFIG_STR, "", 0, 0, F_SECRET,
     "Shared secret sent to the webhook as \"Authorization: Bearer <secret>\"; empty = no header."},
    {"notify.webhook_timeout", LF_CONFIG_DURATION, "30s", 1, 3600, 0,
     "Longest a webhook POST may take (connect included); a slower receiver counts as failed."},
    {"notify.interval", LF_CONFIG_DURATION, "5m", 0, 604800, 0,
     "How often the notice scheduler runs its jobs and sends what is due; 0 = never by itself "
     "(POST /api/v1/admin/scheduler/run only)."},
    {"notify.remind_day", LF_CONFIG_INT, "7", 1, 28, 0,
     "Day of the month from which agencies without this month's upload get a reminder (until deadline.upload_day)."},
    {"notify.near_days", LF_CONFIG_INT, "3", 0, 60, 0,
     "Days before a finding's due date at which its agency is reminded of the deadline."},
    {"notify.escalate_county_days", LF_CONFIG_INT, "3", 1, 365, 0,
     "Days past due after which an agency's overdue findings go to its county's contacts."},
    {"notify.escalate_region_days", LF_CONFIG_INT, "10", 1, 365, 0,
     "Days past due after which an agency's overdue findings go to its region's contacts."},
    {"notify.max_attempts", LF_CONFIG_INT, "5", 1, 50, 0,
     "Attempts per notice and channel before it stays failed (shown in GET /api/v1/admin/notices)."},
    {"notify.retry_base", LF_CONFIG_DURATION, "5m", 1, 86400, 0,
     "Wait before the first retry of a failed notice; doubled after each further failure (at most a day)."},
    {"notify.portal_url", LF_CONFIG_STR, "", 0, 0, 0,
     "Link to the platform put into every notice (http:// or https://); empty = none."},
    {"smtp.user", LF_CONFIG_STR, "", 0, 0, 0,
     "SMTP login (AUTH); overrides a user in smtp.url. With a login, smtp:// requires STARTTLS."},
    {"smtp.password", LF_CONFIG_STR, "", 0, 0, F_SECRET,
     "SMTP password for smtp.user; overrides a password in smtp.url; never printed or logged."},
    {"smtp.timeout", LF_CONFIG_DURATION, "60s", 1, 3600, 0,
     "Longest one message may take to send (connect, TLS, every recipient, the data)."},
    {"nvd.api_key", LF_CONFIG_STR, "", 0, 0, F_SECRET,
     "NVD API key: raises NVD's limit from 5 to 50 requests per 30 s."},
    {"nvd.url", LF_CONFIG_STR, "https://services.nvd.nist.gov/rest/json/cves/2.0", 0, 0, 0,
     "NVD CVE API 2.0 endpoint that `feed sync nvd` pages through."},
    {"nvd.results_per_page", LF_CONFIG_INT, "2000", 1, 2000, 0,
     "Records per NVD API page (NVD allows at most 2000)."},
    {"nvd.rate_requests", LF_CONFIG_INT, "0", 0, 10000, 0,
     "Requests per nvd.rate_window; 0 = NVD's public limit: 5 without an API key, 50 with one."},
    {"nvd.rate_window", LF_CONFIG_DURATION, "30s", 1, 3600, 0,
     "Rolling window of the NVD rate limit."},
    {"nvd.max_attempts", LF_CONFIG_INT, "5", 1, 50, 0,
     "Attempts per NVD/KEV/CSAF request before the sync gives up (retries back off exponentially)."},
    {"kev.url", LF_CONFIG_STR, "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json", 0,
     0, 0, "CISA Known Exploited Vulnerabilities catalog (JSON) that `feed sync kev` fetches."},
    {"isac.token", LF_CONFIG_STR, "", 0, 0, F_SECRET,
     "API token sent as \"Authorization: Bearer\" to the TAXII server of `isac pull` / `isac push`."},
    {"isac.user", LF_CONFIG_STR, "", 0, 0, 0,
     "User for HTTP Basic to the TAXII server of `isac pull` / `isac push` (servers such as the OASIS "
     "reference server take no Bearer token); its password is isac.password."},
    {"isac.password", LF_CONFIG_STR, "", 0, 0, F_SECRET,
     "Password for isac.user (set it in the file or LIANFANG_ISAC_PASSWORD, never on the command line)."},
    {"isac.region_identity", LF_CONFIG_STR, "", 0, 0, 0,
     "STIX identity id (identity--<uuid>) of this region: replaces the reporting agencies' on `isac push`."},
    {"isac.region_name", LF_CONFIG_STR, "Regional ISAC", 0, 0, 0,
     "Name of the region's identity object added to pushed envelopes."},
    {"isac.keep_identities", LF_CONFIG_STR, "", 0, 0, 0,
     "Identity ids kept as they are on push (the hub's, neighbours'), separated by commas."},
    {"isac.internal_ranges", LF_CONFIG_STR, "", 0, 0, 0,
     "Agencies' own address ranges (CIDRs, commas) removed on push, besides RFC 1918/4193, loopback, link-local."},
    {"isac.staff_domains", LF_CONFIG_STR, "", 0, 0, 0,
     "Staff mail domains removed on push: \"gov.tw\" = it and its subdomains, \"*.gov.tw\" = subdomains only."},
    {"isac.max_tlp", LF_CONFIG_STR, "green", 0, 0, 0,
     "Strictest TLP that `isac push` forwards: clear, green, amber or amber+strict (red never leaves)."},
    {"isac.unmarked_tlp", LF_CONFIG_STR, "green", 0, 0, 0,
     "TLP assumed on push for an object without a TLP marking."},
    {"isac.deident", LF_CONFIG_BOOL, "true", 0, 0, 0,
     "De-identify pushed objects (identities, internal addresses, staff mailboxes); false = TLP limits only."},
    {"isac.page_limit", LF_CONFIG_INT, "1000", 1, 10000, 0,
     "Objects asked per page by `isac pull`."},
    {"isac.max_attempts", LF_CONFIG_INT, "5", 1, 50, 0,
     "Attempts per TAXII request before giving up (retries back off exponentially)."},
    {"isac.status_wait", LF_CONFIG_DURATION, "30s", 0, 3600, 0,
     "How long `isac push` polls a pending status resource before reporting it as pending."},
    {"deadline.high_cvss10", LF_CONFIG_INT, "70", 0, 100, 0,
     "CVSS x 10 from which a finding must be fixed within deadline.high_months of notice (70 = 7.0)."},
    {"deadline.high_months", LF_CONFIG_INT, "1", 1, 24, 0,
     "Calendar months after notice to fix a high finding (a measure filed and the fix)."},
    {"deadline.critical_cvss10", LF_CONFIG_INT, "90", 0, 100, 0,
     "CVSS x 10 from which a finding is critical (90 = 9.0); KEV-listed findings are critical too."},
    {"deadline.critical_days", LF_CONFIG_INT, "6", 1, 365, 0,
     "Days after notice to fix a critical or KEV-listed finding (or CISA's due date if earlier)."},
    {"deadline.upload_day", LF_CONFIG_INT, "10", 1, 28, 0,
     "Day of the month by which the monthly inventory upload is due."},
};
#define NKEYS (sizeof keys / sizeof keys[0])
#define MAX_REPORTS 50   /* a garbage file should not print a million errors */

typedef struct cfg_val {
    char *text;       /* malloc'd, normalised value text */
    long num;         /* INT, DURATION */
    bool b;           /* BOOL */
    bool set;         /* not the default */
    char src[300];
} cfg_val;

struct lf_config {
    cfg_val v[NKEYS];
};

typedef struct loader {
    lf_config *c;
    const lf_config_opts *o;
    lf_err *err;
    int first;                /* first fatal code, 0 while none */
    size_t nreports;
    long file_line[NKEYS];    /* line a key was set at in the file, for duplicates */
} loader;

/* ---- table lookups ---- */

static long find_key(const char *name, size_t n)
{
    for (size_t i = 0; i < NKEYS; i++)
        if (strlen(keys[i].name) == n && !memcmp(keys[i].name, name, n))
            return (long)i;
    return -1;
}

static bool known_section(const char *s, size_t n)
{
    for (size_t i = 0; i < NKEYS; i++) {
        const char *dot = strchr(keys[i].name, '.');
        if ((size_t)(dot - keys[i].name) == n && !memcmp(keys[i].name, s, n))
            return true;
    }
    return false;
}

/* "http.max_body_mb" -> "LIANFANG_HTTP_MAX_BODY_MB" */
static void env_name(const char *key, char *out, size_t cap)
{
    size_t o = (size_t)snprintf(out, cap, "LIANFANG_");
    for (const char *p = key; *p && o + 1 < cap; p++)
        out[o++] = *p == '.' ? '_' : (char)toupper((unsigned char)*p);
    out[o < cap ? o : cap - 1] = '\0';
}

/* Edit distance of two short strings (capped inputs), for "did you mean" hints. */
static size_t edit_distance(const char *a, size_t na, const char *b, size_t nb)
{
    size_t row[72];
    if (na > 64 || nb > 64)
        return SIZE_MAX;
    for (size_t j = 0; j <= nb; j++)
        row[j] = j;
    for (size_t i = 1; i <= na; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t up = row[j];
            size_t best = diag + (tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]));
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[nb];
}

/* The nearest full key name to name (distance <= 2), or NULL. */
static const char *suggest(const char *name, size_t n)
{
    const char *best = NULL;
    size_t bd = 3;
    for (size_t i = 0; i < NKEYS; i++) {
        size_t d = edit_distance(name, n, keys[i].name, strlen(keys[i].name));
        if (d < bd) {
            bd = d;
            best = keys[i].name;
        }
    }
    return best;
}

static const char *suggest_section(const char *name, size_t n)
{
    const char *best = NULL;
    size_t bd = 3;
    for (size_t i = 0; i < NKEYS; i++) {
        const char *dot = strchr(keys[i].name, '.');
        size_t d = edit_distance(name, n, keys[i].name, (size_t)(dot - keys[i].name));
        if (d < bd) {
            bd = d;
            best = keys[i].name;
        }
    }
    return best;
}

/* ---- reporting ---- */

static void report(loader *ld, int code, bool fatal, const char *src, long line, const char *field,
                   const char *fmt, ...) __attribute__((format(printf, 7, 8)));

static void report(loader *ld, int code, bool fatal, const char *src, long line, const char *field,
                   const char *fmt, ...)
{
    if (fatal && !ld->first) {
        ld->first = code;
        if (ld->err) {
            va_list ap;
            va_start(ap, fmt);
            lf_err_clear(ld->err);
            ld->err->code = code;
            vsnprintf(ld->err->msg, sizeof ld->err->msg, fmt, ap);
            va_end(ap);
            lf_err_at(ld->err, src, line, 0, field);
        }
    }
    if (!ld->o->report || ld->nreports >= MAX_REPORTS)
        return;
    ld->nreports++;
    lf_err e;
    lf_err_clear(&e);
    e.code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e.msg, sizeof e.msg, fmt, ap);
    va_end(ap);
    lf_err_at(&e, src, line, 0, field);
    ld->o->report(ld->o->ud, &e, fatal);
}

/* ---- values ---- */

int lf_config_parse_bool(const char *s, bool *out)
{
    static const char *const yes[] = {"true", "yes", "on", "1"};
    static const char *const no[] = {"false", "no", "off", "0"};
    for (size_t i = 0; i < 4; i++) {
        if (!strcasecmp(s, yes[i])) {
            *out = true;
            return LF_OK;
        }
        if (!strcasecmp(s, no[i])) {
            *out = false;
            return LF_OK;
        }
    }
    return LF_EPARSE;
}

/* A whole decimal number, optional sign; LF_EPARSE or LF_ERANGE. */
static int parse_long(const char *s, const char **end, long *out)
{
    if (!isdigit((unsigned char)*s) && !((*s == '-' || *s == '+') && isdigit((unsigned char)s[1])))
        return LF_EPARSE;
    errno = 0;
    char *e;
    long v = strtol(s, &e, 10);
    if (errno == ERANGE)
        return LF_ERANGE;
    *end = e;
    *out = v;
    return LF_OK;
}

int lf_config_parse_duration(const char *s, long *seconds)
{
    const char *e;
    long v;
    int rc = parse_long(s, &e, &v);
    if (rc)
        return rc;
    if (v < 0)
        return LF_ERANGE;
    long mul;
    if (!*e || !strcmp(e, "s"))
        mul = 1;
    else if (!strcmp(e, "m"))
        mul = 60;
    else if (!strcmp(e, "h"))
        mul = 3600;
    else if (!strcmp(e, "d"))
        mul = 86400;
    else
        return LF_EPARSE;
    if (v > LONG_MAX / mul)
        return LF_ERANGE;
    *seconds = v * mul;
    return LF_OK;
}

/* Validate text for key i and store it; errors are located at src:line (field = the key or
 * variable); origin describes the source for lf_config_source (NULL: "src:line").
 * Reports and returns the error. */
static int set_value(loader *ld, size_t i, const char *text, const char *src, long line,
                     const char *field, const char *origin)
{
    const cfg_key *k = &keys[i];
    cfg_val *v = &ld->c->v[i];
    long num = 0;
    bool b = false;
    int rc = LF_OK;
    switch (k->type) {
    case LF_CONFIG_STR:
        for (const unsigned char *p = (const unsigned char *)text; *p; p++)
            if (*p < 0x20 && *p != '\t') {
                report(ld, LF_EPARSE, true, src, line, field, "control character 0x%02x in the value", *p);
                return LF_EPARSE;
            }
        break;
    case LF_CONFIG_INT: {
        const char *e;
        rc = parse_long(text, &e, &num);
        if (rc == LF_OK && *e)
            rc = LF_EPARSE;
        if (rc == LF_EPARSE) {
            report(ld, rc, true, src, line, field, "'%s' is not a whole number", text);
            return rc;
        }
        if (rc || num < k->min || num > k->max) {
            report(ld, LF_EPARSE, true, src, line, field, "%s is out of range (%ld to %ld)", text, k->min,
                   k->max);
            return LF_EPARSE;
        }
        break;
    }
    case LF_CONFIG_DURATION:
        rc = lf_config_parse_duration(text, &num);
        if (rc == LF_OK && (num < k->min || num > k->max))
            rc = LF_ERANGE;
        if (rc) {
            report(ld, LF_EPARSE, true, src, line, field,
                   "'%s' is not a duration from %lds to %lds (a number with s, m, h or d)", text, k->min,
                   k->max);
            return LF_EPARSE;
        }
        break;
    case LF_CONFIG_BOOL:
        if (lf_config_parse_bool(text, &b)) {
            report(ld, LF_EPARSE, true, src, line, field,
                   "'%s' is not a boolean (true/false, yes/no, on/off, 1/0)", text);
            return LF_EPARSE;
        }
        break;
    }
    char *copy = strdup(text);
    if (!copy) {
        report(ld, LF_ENOMEM, true, src, line, field, "out of memory");
        return LF_ENOMEM;
    }
    free(v->text);
    v->text = copy;
    v->num = num;
    v->b = b;
    v->set = true;
    if (origin)
        snprintf(v->src, sizeof v->src, "%s", origin);
    else
        snprintf(v->src, sizeof v->src, "%s:%ld", src, line);
    return LF_OK;
}

/* ---- the file ---- */

static bool name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

static bool blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Unquote a "..." value starting at s[0] == '"' into out; what follows must be blank or a
 * comment. Returns LF_OK or LF_EPARSE with *why set. */
static int unquote(const char *s, size_t n, lf_buf *out, const char **why)
{
    size_t i = 1;
    for (; i < n && s[i] != '"'; i++) {
        char c = s[i];
        if (c == '\\') {
            if (++i >= n) {
                *why = "backslash at the end of the line";
                return LF_EPARSE;
            }
            switch (s[i]) {
            case '"': c = '"'; break;
            case '\\': c = '\\'; break;
            case 't': c = '\t'; break;
            case 'n': c = '\n'; break;
            default:
                *why = "unknown escape (use \\\" \\\\ \\t \\n)";
                return LF_EPARSE;
            }
        }
        if (lf_buf_putc(out, c))
            return LF_ENOMEM;
    }
    if (i >= n) {
        *why = "unterminated quoted value";
        return LF_EPARSE;
    }
    for (i++; i < n && blank(s[i]); i++)
        ;
    if (i < n && s[i] != '#') {
        *why = "text after the closing quote";
        return LF_EPARSE;
    }
    if (!out->data && lf_buf_append(out, "", 0))
        return LF_ENOMEM;
    return LF_OK;
}

static void parse_line(loader *ld, const char *src, long lineno, const char *s, size_t n,
                       char *section, size_t seccap)
{
    while (n && blank(*s))
        s++, n--;
    while (n && blank(s[n - 1]))
        n--;
    if (!n || *s == '#' || *s == ';')
        return;
    if (*s == '[') {
        size_t j = 1;
        while (j < n && s[j] != ']')
            j++;
        size_t k = j + 1;
        while (k < n && blank(s[k]))
            k++;
        if (j >= n || (k < n && s[k] != '#')) {
            report(ld, LF_EPARSE, true, src, lineno, NULL, "malformed section header (expected [name])");
            section[0] = '\0';
            return;
        }
        const char *nm = s + 1;
        size_t nn = j - 1;
        while (nn && blank(*nm))
            nm++, nn--;
        while (nn && blank(nm[nn - 1]))
            nn--;
        if (!known_section(nm, nn) || nn >= seccap) {
            const char *hint = suggest_section(nm, nn);
            char sec[64] = "";
            if (hint)
                snprintf(sec, sizeof sec, "%.*s", (int)(strchr(hint, '.') - hint), hint);
            report(ld, LF_EPARSE, true, src, lineno, NULL, "unknown section [%.*s]%s%s%s", (int)(nn > 64 ? 64 : nn),
                   nm, hint ? " (did you mean [" : "", sec, hint ? "]?)" : "");
            section[0] = '\1';   /* keys below are not reported one by one */
            return;
        }
        memcpy(section, nm, nn);
        section[nn] = '\0';
        return;
    }
    const char *eq = memchr(s, '=', n);
    if (!eq) {
        report(ld, LF_EPARSE, true, src, lineno, NULL, "expected 'key = value' or '[section]'");
        return;
    }
    size_t kn = (size_t)(eq - s);
    while (kn && blank(s[kn - 1]))
        kn--;
    for (size_t j = 0; j < kn; j++)
        if (!name_char(s[j])) {
            char b[8];
            report(ld, LF_EPARSE, true, src, lineno, NULL,
                   "bad character %s in key name (lower-case letters, digits and '_')",
                   lf_err_byte((unsigned char)s[j], b));
            return;
        }
    if (!kn) {
        report(ld, LF_EPARSE, true, src, lineno, NULL, "missing key name before '='");
        return;
    }
    if (section[0] == '\1')
        return;
    if (!section[0]) {
        report(ld, LF_EPARSE, true, src, lineno, NULL, "key '%.*s' outside a [section]", (int)kn, s);
        return;
    }
    char full[160];
    int fn = snprintf(full, sizeof full, "%s.%.*s", section, (int)(kn > 100 ? 100 : kn), s);
    long ki = find_key(full, (size_t)fn);
    if (ki < 0) {
        const char *hint = suggest(full, (size_t)fn);
        report(ld, LF_EPARSE, true, src, lineno, full, "unknown key%s%s%s", hint ? " (did you mean " : "",
               hint ? hint : "", hint ? "?)" : "");
        return;
    }
    if (ld->file_line[ki]) {
        report(ld, LF_EPARSE, true, src, lineno, full, "duplicate key (first set at line %ld)",
               ld->file_line[ki]);
        return;
    }
    ld->file_line[ki] = lineno;
    const char *v = eq + 1;
    size_t vn = n - (size_t)(v - s);
    while (vn && blank(*v))
        v++, vn--;
    lf_buf val;
    lf_buf_init(&val, LF_CONFIG_MAX_LINE);
    if (vn && *v == '"') {
        const char *why = NULL;
        int rc = unquote(v, vn, &val, &why);
        if (rc) {
            report(ld, rc, true, src, lineno, full, "%s", rc == LF_ENOMEM ? "out of memory" : why);
            lf_buf_clear(&val);
            return;
        }
    } else {
        size_t end = 0;
        while (end < vn && !(v[end] == '#' && (end == 0 || blank(v[end - 1]))))
            end++;
        while (end && blank(v[end - 1]))
            end--;
        if (lf_buf_append(&val, v, end)) {
            report(ld, LF_ENOMEM, true, src, lineno, full, "out of memory");
            lf_buf_clear(&val);
            return;
        }
    }
    if (strlen(val.data) != val.len)
        report(ld, LF_EPARSE, true, src, lineno, full, "NUL byte in the value");
    else
        set_value(ld, (size_t)ki, val.data, src, lineno, full, NULL);
    lf_buf_clear(&val);
}

static void parse_text(loader *ld, const char *src, const char *t, size_t n)
{
    char section[64] = "";
    if (n >= 3 && !memcmp(t, "\xEF\xBB\xBF", 3))
        t += 3, n -= 3;
    long lineno = 0;
    size_t pos = 0;
    while (pos < n && ld->nreports < MAX_REPORTS) {
        lineno++;
        const char *nl = memchr(t + pos, '\n', n - pos);
        size_t len = nl ? (size_t)(nl - (t + pos)) : n - pos;
        const char *line = t + pos;
        pos += len + (nl ? 1 : 0);
        if (len && line[len - 1] == '\r')
            len--;
        if (len > LF_CONFIG_MAX_LINE) {
            report(ld, LF_ELIMIT, true, src, lineno, NULL, "line longer than %d bytes", LF_CONFIG_MAX_LINE);
            continue;
        }
        if (memchr(line, '\0', len)) {
            report(ld, LF_EPARSE, true, src, lineno, NULL, "NUL byte (is this a text file?)");
            continue;
        }
        parse_line(ld, src, lineno, line, len, section, sizeof section);
    }
}

/* ---- environment and overrides ---- */

static void apply_env(loader *ld)
{
    char *const *envp = ld->o->envp ? ld->o->envp : environ;
    if (!envp)
        return;
    char names[NKEYS][80];
    for (size_t i = 0; i < NKEYS; i++)
        env_name(keys[i].name, names[i], sizeof names[i]);
    for (char *const *e = envp; *e; e++) {
        if (strncmp(*e, "LIANFANG_", 9))
            continue;
        const char *eq = strchr(*e, '=');
        if (!eq)
            continue;
        size_t nn = (size_t)(eq - *e);
        char name[128];
        snprintf(name, sizeof name, "%.*s", (int)(nn < 127 ? nn : 127), *e);
        size_t i = 0;
        while (i < NKEYS && strcmp(names[i], name))
            i++;
        if (i < NKEYS) {
            char origin[140];
            snprintf(origin, sizeof origin, "$%s", name);
            set_value(ld, i, eq + 1, "environment", 0, name, origin);
            continue;
        }
        /* LIANFANG_<SECTION>_...: ours, so a typo is worth a warning. */
        const char *sec = name + 9;
        const char *us = strchr(sec, '_');
        if (!us)
            continue;
        char lower[64];
        size_t sn = (size_t)(us - sec);
        if (sn >= sizeof lower)
            continue;
        for (size_t j = 0; j < sn; j++)
            lower[j] = (char)tolower((unsigned char)sec[j]);
        if (!known_section(lower, sn))
            continue;
        const char *hint = NULL;
        size_t bd = 3;
        for (size_t j = 0; j < NKEYS; j++) {
            size_t d = edit_distance(name, strlen(name), names[j], strlen(names[j]));
            if (d < bd)
                bd = d, hint = names[j];
        }
        report(ld, LF_ENOTFOUND, false, "environment", 0, name, "not a configuration key, ignored%s%s%s",
               hint ? " (did you mean " : "", hint ? hint : "", hint ? "?)" : "");
    }
}

static void apply_overrides(loader *ld)
{
    for (const char *const *p = ld->o->overrides; p && *p; p++) {
        const char *eq = strchr(*p, '=');
        long ki = eq ? find_key(*p, (size_t)(eq - *p)) : -1;
        if (ki < 0) {
            report(ld, LF_EPARSE, true, "command line", 0, NULL, "'%s' is not section.key=value of a known key",
                   *p);
            continue;
        }
        set_value(ld, (size_t)ki, eq + 1, "command line", 0, keys[ki].name, "command line");
    }
}

/* Defaults first, so every key has a value even when loading fails half-way. */
static int set_defaults(loader *ld)
{
    for (size_t i = 0; i < NKEYS; i++) {
        const char *d = keys[i].def;
        if (!d)
            continue;
        if (set_value(ld, i, d, "default", 0, keys[i].name, "default"))
            return ld->first;
        ld->c->v[i].set = false;
    }
    return LF_OK;
}

static int derive(loader *ld)
{
    long di = find_key("data.dir", 8), si = find_key("store.url", 9);
    cfg_val *dv = &ld->c->v[di], *sv = &ld->c->v[si];
    if (!dv->text) {
        if (set_value(ld, (size_t)di, ld->o->data_dir && *ld->o->data_dir ? ld->o->data_dir : ".", "default", 0,
                      "data.dir", "default"))
            return ld->first;
        dv->set = false;
    } else if (!*dv->text) {
        report(ld, LF_EPARSE, true, dv->src, 0, "data.dir", "must not be empty");
    }
    if (!sv->text) {
        size_t n = strlen(dv->text) + 32;
        char *u = malloc(n);
        if (!u)
            return LF_ENOMEM;
        snprintf(u, n, "sqlite:%s/lianfang.db", dv->text);
        int rc = set_value(ld, (size_t)si, u, "default", 0, "store.url", "default (from data.dir)");
        free(u);
        if (rc)
            return rc;
        sv->set = false;
    }
    const char *cert = ld->c->v[find_key("http.tls_cert", 13)].text;
    const char *key = ld->c->v[find_key("http.tls_key", 12)].text;
    if (!*cert != !*key)
        report(ld, LF_EPARSE, true, "configuration", 0, *cert ? "http.tls_key" : "http.tls_cert",
               "TLS needs both http.tls_cert and http.tls_key");
    return LF_OK;
}

int lf_config_load(const lf_config_opts *opts, lf_config **out, lf_err *err)
{
    static const lf_config_opts none = {0};
    loader ld;
    memset(&ld, 0, sizeof ld);
    ld.o = opts ? opts : &none;
    ld.err = err;
    lf_err_clear(err);
    *out = NULL;
    char *file = NULL;
    ld.c = calloc(1, sizeof *ld.c);
    if (!ld.c)
        return lf_err_set(err, LF_ENOMEM, "out of memory");
    int rc = set_defaults(&ld);
    if (rc)
        goto fail;
    if (ld.o->text) {
        parse_text(&ld, ld.o->path ? ld.o->path : "<config>", ld.o->text, ld.o->text_len);
    } else if (ld.o->path) {
        size_t len;
        rc = lf_file_read(ld.o->path, LF_CONFIG_MAX_FILE, &file, &len, err);
        if (rc) {
            if (rc == LF_ELIMIT)
                lf_err_set(err, rc, "config file larger than %zu bytes", LF_CONFIG_MAX_FILE);
            goto fail;
        }
        parse_text(&ld, ld.o->path, file, len);
    }
    if (!ld.o->no_env)
        apply_env(&ld);
    apply_overrides(&ld);
    rc = derive(&ld);
    if (rc)
        goto fail;
    if (ld.first) {
        rc = ld.first;
        goto fail;
    }
    free(file);
    *out = ld.c;
    return LF_OK;
fail:
    free(file);
    lf_config_free(ld.c);
    if (err && !err->code)
        lf_err_set(err, rc, "%s", lf_strerror(rc));
    return rc;
}

void lf_config_free(lf_config *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < NKEYS; i++)
        free(c->v[i].text);
    free(c);
}

/* ---- getters ---- */

static const cfg_val *val(const lf_config *c, const char *key, long *idx)
{
    long i = c && key ? find_key(key, strlen(key)) : -1;
    if (idx)
        *idx = i;
    return i < 0 ? NULL : &c->v[i];
}

const char *lf_config_str(const lf_config *c, const char *key)
{
    long i;
    const cfg_val *v = val(c, key, &i);
    return v && v->text && keys[i].type == LF_CONFIG_STR ? v->text : "";
}

long lf_config_int(const lf_config *c, const char *key)
{
    long i;
    const cfg_val *v = val(c, key, &i);
    return v && (keys[i].type == LF_CONFIG_INT || keys[i].type == LF_CONFIG_DURATION) ? v->num : 0;
}

bool lf_config_bool(const lf_config *c, const char *key)
{
    long i;
    const cfg_val *v = val(c, key, &i);
    return v && keys[i].type == LF_CONFIG_BOOL ? v->b : false;
}

bool lf_config_is_set(const lf_config *c, const char *key)
{
    const cfg_val *v = val(c, key, NULL);
    return v && v->set;
}

const char *lf_config_source(const lf_config *c, const char *key)
{
    const cfg_val *v = val(c, key, NULL);
    return v ? v->src : "";
}

size_t lf_config_nkeys(void)
{
    return NKEYS;
}

const char *lf_config_key_name(size_t i)
{
    return i < NKEYS ? keys[i].name : NULL;
}

lf_config_type lf_config_key_type(size_t i)
{
    return i < NKEYS ? keys[i].type : LF_CONFIG_STR;
}

/* ---- writing ---- */

/* Write a value so that reading it back gives the same text. */
static int put_value(lf_buf *out, const char *s)
{
    size_t n = strlen(s);
    bool quote = !n || blank(s[0]) || blank(s[n - 1]) || s[0] == '"' || strchr(s, '#') || strchr(s, '\n') ||
                 strchr(s, '\\');
    if (!quote)
        return lf_buf_puts(out, s);
    int rc = lf_buf_putc(out, '"');
    for (; *s && !rc; s++) {
        if (*s == '"' || *s == '\\')
            rc = lf_buf_putc(out, '\\') || lf_buf_putc(out, *s) ? LF_ENOMEM : LF_OK;
        else if (*s == '\n')
            rc = lf_buf_puts(out, "\\n");
        else if (*s == '\t')
            rc = lf_buf_puts(out, "\\t");
        else
            rc = lf_buf_putc(out, *s);
    }
    return rc ? rc : lf_buf_putc(out, '"');
}

static int put_section(lf_buf *out, size_t i, bool first)
{
    const char *dot = strchr(keys[i].name, '.');
    if (i > 0 && !strncmp(keys[i - 1].name, keys[i].name, (size_t)(dot - keys[i].name) + 1))
        return LF_OK;
    return lf_buf_printf(out, "%s[%.*s]\n", first ? "" : "\n", (int)(dot - keys[i].name), keys[i].name);
}

int lf_config_dump(const lf_config *c, lf_buf *out)
{
    int rc = LF_OK;
    for (size_t i = 0; i < NKEYS && !rc; i++) {
        const cfg_val *v = &c->v[i];
        rc = put_section(out, i, i == 0);
        if (!rc)
            rc = lf_buf_printf(out, "%s = ", strchr(keys[i].name, '.') + 1);
        if (!rc)
            rc = (keys[i].flags & F_SECRET) && v->text && *v->text ? lf_buf_puts(out, "\"********\"")
                                                                     : put_value(out, v->text ? v->text : "");
        if (!rc)
            rc = lf_buf_printf(out, "   # %s\n", v->src);
    }
    return rc;
}

int lf_config_sample(lf_buf *out)
{
    static const char *const type_name[] = {"string", "integer", "boolean", "duration"};
    int rc = lf_buf_puts(out,
                         "# lianfang server configuration (lianfang serve --config FILE).\n"
                         "# Generated by `lianfang serve --sample-config` from the key table in\n"
                         "# src/core/config.c. Every line below shows the default, commented out.\n"
                         "# Each key can also be set by the environment variable shown, which wins\n"
                         "# over this file; --listen and --port win over both.\n");
    for (size_t i = 0; i < NKEYS && !rc; i++) {
        char env[80];
        env_name(keys[i].name, env, sizeof env);
        rc = put_section(out, i, false);
        if (!rc)
            rc = lf_buf_printf(out, "\n# %s\n# %s", keys[i].help, type_name[keys[i].type]);
        if (!rc && (keys[i].type == LF_CONFIG_INT || keys[i].type == LF_CONFIG_DURATION))
            rc = lf_buf_printf(out, ", %ld to %ld%s", keys[i].min, keys[i].max,
                               keys[i].type == LF_CONFIG_DURATION ? " seconds" : "");
        if (!rc)
            rc = lf_buf_printf(out, "; environment: %s\n#%s = ", env, strchr(keys[i].name, '.') + 1);
        if (!rc)
            rc = keys[i].def ? put_value(out, keys[i].def) : lf_buf_puts(out, "(derived, see above)");
        if (!rc)
            rc = lf_buf_putc(out, '\n');
    }
    return rc;
}
