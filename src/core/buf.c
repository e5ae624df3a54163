/*
 * buf: growable byte buffer (see buf.h).
 */
#include "core/buf.h"
#include "core/err.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void lf_buf_init(lf_buf *b, size_t max)
{
    b->data = NULL;
    b->len = b->cap = 0;
    b->max = max ? max : SIZE_MAX / 2;
}

void lf_buf_clear(lf_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void lf_buf_reset(lf_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

int lf_buf_reserve(lf_buf *b, size_t extra)
{
    if (extra > b->max || b->len > b->max - extra)
        return LF_ELIMIT;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return LF_OK;
    size_t nc = b->cap ? b->cap : 256;
    while (nc < need)
        nc *= 2;
    char *p = realloc(b->data, nc);
    if (!p)
        return LF_ENOMEM;
    b->data = p;
    b->cap = nc;
    return LF_OK;
}

int lf_buf_append(lf_buf *b, const void *p, size_t n)
{
    int rc = lf_buf_reserve(b, n);
    if (rc)
        return rc;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return LF_OK;
}

size_t lf_u64_digits(uint64_t v, char t[20])
{
    char r[20];
    size_t n = 0;
    do {
        r[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++)
        t[i] = r[n - 1 - i];
    return n;
}

int lf_buf_put_u64(lf_buf *b, uint64_t v)
{
    char t[20];
    return lf_buf_append(b, t, lf_u64_digits(v, t));
}

/* The proleptic Gregorian date of a day count since 1970-01-01, by 400-year eras (146,097
 * days each) that start on March 1st, so the leap day is the last day of an era-year. */
static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
    z += 719468; /* days from 0000-03-01 to 1970-01-01 */
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);                            /* 0 ..= 146096 */
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;   /* 0 ..= 399 */
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                 /* 0 ..= 365, from March */
    unsigned mp = (5 * doy + 2) / 153;                                      /* 0 = March */
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

bool lf_utc_format(int64_t t, char o[20])
{
    if (t < 0 || t > INT64_C(253402300799))
        return false;
    int y;
    unsigned mo, d;
    civil_from_days(t / 86400, &y, &mo, &d);
    unsigned sod = (unsigned)(t % 86400);
    unsigned f[6] = {(unsigned)y, mo, d, sod / 3600, sod / 60 % 60, sod % 60};
    o[0] = (char)('0' + f[0] / 1000);
    o[1] = (char)('0' + f[0] / 100 % 10);
    o[2] = (char)('0' + f[0] / 10 % 10);
    o[3] = (char)('0' + f[0] % 10);
    static const char sep[6] = {0, '-', '-', 'T', ':', ':'};
    for (int i = 1; i < 6; i++) {
        o[3 * i + 1] = sep[i];
        o[3 * i + 2] = (char)('0' + f[i] / 10);
        o[3 * i + 3] = (char)('0' + f[i] % 10);
    }
    o[19] = 'Z';
    return true;
}

int lf_buf_put_utc(lf_buf *b, int64_t t)
{
    char o[20];
    return lf_utc_format(t, o) ? lf_buf_append(b, o, sizeof o) : LF_EINVAL;
}

int lf_buf_put_hex64(lf_buf *b, uint64_t v)
{
    static const char hexd[] = "0123456789abcdef";
    char t[16];
    for (int i = 15; i >= 0; i--, v >>= 4)
        t[i] = hexd[v & 15];
    return lf_buf_append(b, t, sizeof t);
}

int lf_buf_vprintf(lf_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    char tmp[256];
    int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    if (n < 0) {
        va_end(ap2);
        return LF_EINVAL;
    }
    int rc;
    if ((size_t)n < sizeof(tmp)) {
        rc = lf_buf_append(b, tmp, (size_t)n);
    } else {
        rc = lf_buf_reserve(b, (size_t)n);
        if (!rc) {
            vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
            b->len += (size_t)n;
        }
    }
    va_end(ap2);
    return rc;
}

int lf_buf_printf(lf_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = lf_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

char *lf_buf_detach(lf_buf *b, size_t *len_out)
{
    if (!b->data && lf_buf_reserve(b, 0) != LF_OK)
        return NULL;
    b->data[b->len] = '\0';
    char *p = b->data;
    if (len_out)
        *len_out = b->len;
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}
