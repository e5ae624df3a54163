/*
 * fetch: HTTP GET with retries, backoff, rate limiting and conditional requests over
 * libcurl (see fetch.h). Retry policy: connection-level failures (resolve, connect,
 * TLS handshake, timeouts, a reset or truncated transfer) and HTTP 429 / 5xx (and 403
 * when retry_403) are retried; every other answer is final.
 */
#include "feeds/fetch.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/file.h"

#ifndef LF_VERSION_STRING
#define LF_VERSION_STRING "0"
#endif

/* ---- time ---- */

/* Sleep the whole duration even when a signal interrupts it. */
static void sleep_for(double s)
{
    if (!(s > 0))
        return;
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
        ;
}

/* ---- limiter ---- */

struct lf_fetch_limiter {
    unsigned n;        /* requests per window */
    double window;
    double *t;         /* ring of the last n completion times (monotonic) */
    unsigned count, head;
};

int lf_fetch_limiter_new(unsigned requests, double window, lf_fetch_limiter **out)
{
    *out = NULL;
    if (requests < 1 || requests > 10000 || !(window > 0))
        return LF_EINVAL;
    lf_fetch_limiter *l = calloc(1, sizeof *l);
    if (!l)
        return LF_ENOMEM;
    l->t = calloc(requests, sizeof *l->t);
    if (!l->t) {
        free(l);
        return LF_ENOMEM;
    }
    l->n = requests;
    l->window = window;
    *out = l;
    return LF_OK;
}

void lf_fetch_limiter_free(lf_fetch_limiter *l)
{
    if (!l)
        return;
    free(l->t);
    free(l);
}

double lf_fetch_limiter_acquire(lf_fetch_limiter *l)
{
    if (!l || l->count < l->n)
        return 0;
    /* the ring is full: the oldest of the last n must leave the window first */
    double oldest = l->t[l->head];
    double wait = oldest + l->window - lf_clock_mono();
    if (wait <= 0)
        return 0;
    sleep_for(wait);
    return wait;
}

void lf_fetch_limiter_record(lf_fetch_limiter *l)
{
    if (!l)
        return;
    double now = lf_clock_mono();
    if (l->count < l->n) {
        l->t[(l->head + l->count) % l->n] = now;
        l->count++;
    } else {
        l->t[l->head] = now;
        l->head = (l->head + 1) % l->n;
    }
}

/* ---- client ---- */

struct lf_fetch {
    CURL *curl;
    lf_fetch_opts o;
    char *api_key;       /* owned copy */
    char ua[64];
    uint64_t rng;        /* xorshift state for jitter */
    char errbuf[CURL_ERROR_SIZE]; /* curl keeps the pointer between calls: it lives here */
    lf_fetch_stats st;
};

typedef struct xfer {
    lf_buf *body;
    bool over_cap;
    int oom;
    lf_fetch_resp *resp;
} xfer;

static size_t on_body(char *p, size_t size, size_t nmemb, void *ud)
{
    xfer *x = ud;
    size_t n = size * nmemb;
    int rc = lf_buf_append(x->body, p, n);
    if (rc == LF_ELIMIT) {
        x->over_cap = true;
        return 0;   /* makes curl stop with CURLE_WRITE_ERROR */
    }
    if (rc) {
        x->oom = rc;
        return 0;
    }
    return n;
}

/* Copy a header's value (trimmed) when the line is "Name: value". */
static void header_value(const char *line, size_t n, const char *name, char *out, size_t cap)
{
    size_t nl = strlen(name);
    if (n <= nl || strncasecmp(line, name, nl) || line[nl] != ':')
        return;
    const char *v = line + nl + 1, *e = line + n;
    while (v < e && (*v == ' ' || *v == '\t'))
        v++;
    while (e > v && (e[-1] == '\r' || e[-1] == '\n' || e[-1] == ' ' || e[-1] == '\t'))
        e--;
    size_t len = (size_t)(e - v);
    if (len >= cap)
        return;   /* a validator longer than we keep is dropped rather than cut */
    memcpy(out, v, len);
    out[len] = '\0';
}

static size_t on_header(char *p, size_t size, size_t nmemb, void *ud)
{
    xfer *x = ud;
    size_t n = size * nmemb;
    if (n >= 5 && !memcmp(p, "HTTP/", 5)) {
        /* a new response (after a redirect or a 100): validators start over */
        x->resp->etag[0] = '\0';
        x->resp->last_modified[0] = '\0';
    }
    header_value(p, n, "ETag", x->resp->etag, sizeof x->resp->etag);
    header_value(p, n, "Last-Modified", x->resp->last_modified, sizeof x->resp->last_modified);
    return n;
}

int lf_fetch_new(const lf_fetch_opts *o, lf_fetch **out, lf_err *err)
{
    *out = NULL;
    lf_fetch *f = calloc(1, sizeof *f);
    if (!f)
        return lf_err_set(err, LF_ENOMEM, "out of memory");
    if (o)
        f->o = *o;
    if (!f->o.connect_timeout)
        f->o.connect_timeout = 30;
    if (!f->o.timeout)
        f->o.timeout = 600;
    if (!f->o.max_bytes)
        f->o.max_bytes = (size_t)256 << 20;
    if (!f->o.max_redirects)
        f->o.max_redirects = 5;
    if (!f->o.max_attempts)
        f->o.max_attempts = 5;
    if (!(f->o.backoff_base > 0))
        f->o.backoff_base = 2;
    if (!(f->o.backoff_max > 0))
        f->o.backoff_max = 120;
    if (!(f->o.retry_after_max > 0))
        f->o.retry_after_max = 3600;
    f->o.api_key = NULL;
    if (o && o->api_key && *o->api_key) {
        f->api_key = strdup(o->api_key);
        if (!f->api_key)
            goto oom;
    }
    snprintf(f->ua, sizeof f->ua, "lianfang/%s", LF_VERSION_STRING);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    f->rng = ((uint64_t)ts.tv_nsec << 20) ^ (uint64_t)ts.tv_sec ^ ((uint64_t)getpid() << 40) ^ (uintptr_t)f;
    if (!f->rng)
        f->rng = 0x9e3779b97f4a7c15ULL;
    f->curl = curl_easy_init();
    if (!f->curl) {
        free(f->api_key);
        free(f);
        return lf_err_set(err, LF_EIO, "cannot start the HTTP client (curl_easy_init failed)");
    }
    *out = f;
    return LF_OK;
oom:
    free(f);
    return lf_err_set(err, LF_ENOMEM, "out of memory");
}

void lf_fetch_free(lf_fetch *f)
{
    if (!f)
        return;
    if (f->curl)
        curl_easy_cleanup(f->curl);
    if (f->api_key) {
        /* the key should not linger in freed memory */
        volatile char *p = f->api_key;
        while (*p)
            *p++ = 0;
        free(f->api_key);
    }
    free(f);
}

const lf_fetch_stats *lf_fetch_stats_borrow(const lf_fetch *f)
{
    return &f->st;
}

void lf_fetch_url_for_log(const char *url, char *out, size_t cap)
{
    if (!cap)
        return;
    const char *scheme = strstr(url, "://");
    const char *auth = scheme ? scheme + 3 : url;
    const char *end = auth + strcspn(auth, "/?#");
    const char *at = NULL;
    for (const char *p = auth; p < end; p++)
        if (*p == '@')
            at = p;
    if (at)
        snprintf(out, cap, "%.*s%s", (int)(auth - url), url, at + 1);
    else
        snprintf(out, cap, "%s", url);
}

static double jitter01(lf_fetch *f)
{
    uint64_t x = f->rng;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    f->rng = x;
    return (double)(x >> 11) / 9007199254740992.0;
}

static bool retryable_curl(CURLcode c)
{
    switch (c) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        return true;
    default:
        return false;
    }
}

static bool retryable_status(const lf_fetch *f, long s)
{
    return s == 429 || (s >= 500 && s <= 599) || (s == 403 && f->o.retry_403);
}

static int setup(lf_fetch *f, const char *url, const lf_fetch_cond *cond, xfer *x, struct curl_slist **hdrs)
{
    CURL *c = f->curl;
    curl_easy_reset(c);
    char line[600];
    struct curl_slist *h = NULL, *t;
    if (f->api_key) {
        snprintf(line, sizeof line, "apiKey: %s", f->api_key);
        if (!(t = curl_slist_append(h, line)))
            goto oom;
        h = t;
    }
    if (cond && cond->etag && *cond->etag) {
        snprintf(line, sizeof line, "If-None-Match: %s", cond->etag);
        if (!(t = curl_slist_append(h, line)))
            goto oom;
        h = t;
    }
    if (cond && cond->last_modified && *cond->last_modified) {
        snprintf(line, sizeof line, "If-Modified-Since: %s", cond->last_modified);
        if (!(t = curl_slist_append(h, line)))
            goto oom;
        h = t;
    }
    memset(line, 0, sizeof line);
    *hdrs = h;
    CURLcode rc = CURLE_OK;
#define SET(opt, val)                                                                                             \
    do {                                                                                                          \
        if (rc == CURLE_OK)                                                                                       \
            rc = curl_easy_setopt(c, opt, val);                                                                   \
    } while (0)
    SET(CURLOPT_URL, url);
    SET(CURLOPT_HTTPGET, 1L);
    SET(CURLOPT_NOSIGNAL, 1L);
    SET(CURLOPT_USERAGENT, f->ua);
    SET(CURLOPT_HTTPHEADER, h);
    SET(CURLOPT_CONNECTTIMEOUT, f->o.connect_timeout);
    SET(CURLOPT_TIMEOUT, f->o.timeout);
    SET(CURLOPT_SSL_VERIFYPEER, 1L);
    SET(CURLOPT_SSL_VERIFYHOST, 2L);
    SET(CURLOPT_PROTOCOLS_STR, "http,https");
    SET(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    SET(CURLOPT_FOLLOWLOCATION, f->o.max_redirects > 0 ? 1L : 0L);
    SET(CURLOPT_MAXREDIRS, f->o.max_redirects > 0 ? f->o.max_redirects : 0L);
    SET(CURLOPT_ACCEPT_ENCODING, "");   /* gzip/deflate as the server offers: NVD pages shrink ~10x */
    SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)f->o.max_bytes);
    SET(CURLOPT_WRITEFUNCTION, on_body);
    SET(CURLOPT_WRITEDATA, x);
    SET(CURLOPT_HEADERFUNCTION, on_header);
    SET(CURLOPT_HEADERDATA, x);
#undef SET
    return rc == CURLE_OK ? LF_OK : LF_EINVAL;
oom:
    memset(line, 0, sizeof line);
    curl_slist_free_all(h);
    return LF_ENOMEM;
}

int lf_fetch_get(lf_fetch *f, const char *url, const lf_fetch_cond *cond, lf_buf *body, lf_fetch_resp *resp,
                 lf_err *err)
{
    lf_fetch_resp local;
    if (!resp)
        resp = &local;
    memset(resp, 0, sizeof *resp);
    char shown[1024];
    lf_fetch_url_for_log(url, shown, sizeof shown);
    size_t saved_max = body->max;
    if (body->max > f->o.max_bytes)
        body->max = f->o.max_bytes;
    int ret = LF_EIO;
    char why[CURL_ERROR_SIZE + 64] = "";
    for (unsigned attempt = 1;; attempt++) {
        lf_buf_reset(body);
        xfer x = {body, false, 0, resp};
        struct curl_slist *hdrs = NULL;
        int rc = setup(f, url, cond, &x, &hdrs);
        if (rc) {
            curl_slist_free_all(hdrs);
            ret = lf_err_set(err, rc, "GET: cannot set up the request");
            goto done;
        }
        f->errbuf[0] = '\0';
        curl_easy_setopt(f->curl, CURLOPT_ERRORBUFFER, f->errbuf);
        f->st.slept += lf_fetch_limiter_acquire(f->o.limiter);
        CURLcode cc = curl_easy_perform(f->curl);
        lf_fetch_limiter_record(f->o.limiter);
        curl_slist_free_all(hdrs);
        f->st.requests++;
        f->st.bytes += body->len;
        resp->attempts = attempt;
        long status = 0;
        curl_easy_getinfo(f->curl, CURLINFO_RESPONSE_CODE, &status);
        resp->status = status;
        if (x.oom) {
            ret = lf_err_set(err, LF_ENOMEM, "GET: out of memory");
            goto done;
        }
        if (x.over_cap || cc == CURLE_FILESIZE_EXCEEDED) {
            ret = lf_err_set(err, LF_ELIMIT, "GET: the answer is larger than %zu bytes", body->max);
            goto done;
        }
        bool again;
        if (cc != CURLE_OK) {
            snprintf(why, sizeof why, "%s", f->errbuf[0] ? f->errbuf : curl_easy_strerror(cc));
            again = retryable_curl(cc);
            status = 0;
        } else if (status == 304 && cond && ((cond->etag && *cond->etag) || (cond->last_modified && *cond->last_modified))) {
            resp->not_modified = true;
            lf_buf_reset(body);
            ret = LF_OK;
            goto done;
        } else if (status >= 200 && status <= 299) {
            ret = LF_OK;
            goto done;
        } else {
            snprintf(why, sizeof why, "HTTP %ld", status);
            again = retryable_status(f, status);
            if (!again && (status == 404 || status == 410)) {
                ret = lf_err_set(err, LF_ENOTFOUND, "GET: HTTP %ld", status);
                goto done;
            }
        }
        if (!again || attempt >= f->o.max_attempts) {
            if (attempt > 1)
                ret = lf_err_set(err, LF_EIO, "GET: %s after %u attempts", why, attempt);
            else
                ret = lf_err_set(err, LF_EIO, "GET: %s", why);
            goto done;
        }
        /* exponential backoff with jitter in [0.5, 1) of the step, so clients that failed
         * together do not come back together; the server's Retry-After wins when given */
        double step = f->o.backoff_base;
        for (unsigned i = 1; i < attempt && step < f->o.backoff_max; i++)
            step *= 2;
        if (step > f->o.backoff_max)
            step = f->o.backoff_max;
        double delay = step * (0.5 + 0.5 * jitter01(f));
        /* curl reports 0 both for "Retry-After: 0" and for no header: 0 means "ours" */
        curl_off_t ra = 0;
        if (status && curl_easy_getinfo(f->curl, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK && ra > 0)
            delay = (double)ra > f->o.retry_after_max ? f->o.retry_after_max : (double)ra;
        if (f->o.on_retry)
            f->o.on_retry(f->o.ud, shown, status, why, delay);
        f->st.retries++;
        f->st.slept += delay;
        sleep_for(delay);
    }
done:
    body->max = saved_max;
    if (ret != LF_OK)
        lf_err_at(err, shown, 0, 0, NULL);
    return ret;
}

int lf_fetch_save_file(const char *path, const void *data, size_t len, lf_err *err)
{
    char dir[4096];
    if (snprintf(dir, sizeof dir, "%s", path) >= (int)sizeof dir)
        return lf_err_set(err, LF_ELIMIT, "path too long: %s", path);
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = '\0';
        int rc = lf_mkdirs(dir, err);
        if (rc)
            return rc;
    }
    return lf_file_write_atomic(path, data, len, err);
}

/* ---- timestamps ---- */

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; H. Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yy + (*m <= 2));
}

static bool digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

int lf_fetch_time_parse(const char *s, int64_t *ms)
{
    int y, mo, d, h = 0, mi = 0, se = 0, frac = 0;
    if (!s || strlen(s) < 10 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) || s[7] != '-' ||
        !digits(s + 8, 2, &d))
        return LF_EPARSE;
    const char *p = s + 10;
    int64_t offset_min = 0;
    if (*p == 'T' || *p == 't' || *p == ' ') {
        p++;
        if (!digits(p, 2, &h) || p[2] != ':' || !digits(p + 3, 2, &mi))
            return LF_EPARSE;
        p += 5;
        if (*p == ':') {
            if (!digits(p + 1, 2, &se))
                return LF_EPARSE;
            p += 3;
            if (*p == '.' || *p == ',') {
                p++;
                int nd = 0;
                for (; *p >= '0' && *p <= '9'; p++, nd++)
                    if (nd < 3)
                        frac = frac * 10 + (*p - '0');
                if (!nd)
                    return LF_EPARSE;
                for (; nd < 3; nd++)
                    frac *= 10;
            }
        }
        if (*p == 'Z' || *p == 'z') {
            p++;
        } else if (*p == '+' || *p == '-') {
            int oh, om = 0;
            if (!digits(p + 1, 2, &oh))
                return LF_EPARSE;
            const char *q = p + 3;
            if (*q == ':')
                q++;
            if (*q && !digits(q, 2, &om))
                return LF_EPARSE;
            if (*q)
                q += 2;
            if (oh > 23 || om > 59)
                return LF_EPARSE;
            offset_min = (*p == '-' ? -1 : 1) * (int64_t)(oh * 60 + om);
            p = q;
        }
    }
    if (*p || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
        return LF_EPARSE;
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > mdays[mo - 1] || (mo == 2 && d == 29 && !leap))
        return LF_EPARSE;
    int64_t days = days_from_civil(y, (unsigned)mo, (unsigned)d);
    int64_t secs = days * 86400 + h * 3600 + mi * 60 + (se == 60 ? 59 : se) - offset_min * 60;
    /* a zone offset can push a time past the years the canonical form can write */
    if (secs < days_from_civil(1, 1, 1) * 86400 || secs >= days_from_civil(10000, 1, 1) * 86400)
        return LF_EPARSE;
    *ms = secs * 1000 + frac;
    return LF_OK;
}

void lf_fetch_time_format(int64_t ms, char out[32])
{
    int64_t secs = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
    int frac = (int)(ms - secs * 1000);
    int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
    int64_t rem = secs - days * 86400;
    int y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    snprintf(out, 32, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", y % 10000, m % 100, d % 100, (int)(rem / 3600),
             (int)(rem / 60 % 60), (int)(rem % 60), frac);
}

int64_t lf_fetch_time_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
