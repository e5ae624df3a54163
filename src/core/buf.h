/*
 * buf: a growable byte buffer with a hard maximum, for building output and for
 * reading input of unknown size without unbounded growth.
 *
 * Ownership: lf_buf_init/lf_buf_clear bracket caller-owned storage; `data` is always
 * NUL-terminated when len > 0 or after any append, so text can be used as a C string.
 * lf_buf_detach hands the malloc'd block to the caller (free() it).
 */
#ifndef LF_CORE_BUF_H
#define LF_CORE_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct lf_buf {
    char *data;
    size_t len;
    size_t cap;
    size_t max;   /* 0 = no limit beyond SIZE_MAX/2 */
} lf_buf;

void lf_buf_init(lf_buf *b, size_t max);
void lf_buf_clear(lf_buf *b);
void lf_buf_reset(lf_buf *b);   /* len = 0, keeps memory */
int lf_buf_reserve(lf_buf *b, size_t extra);          /* LF_OK, LF_ENOMEM, LF_ELIMIT */
int lf_buf_append(lf_buf *b, const void *p, size_t n);
/* puts and putc are inline: JSON writers call them a few dozen times a row, mostly with
 * literals whose length the compiler then knows (out of line with strlen they were ~9 %
 * of a findings page's server CPU, perf at 200 clients). The slow path is lf_buf_append. */
static inline int lf_buf_puts(lf_buf *b, const char *s)
{
    size_t n = strlen(s);
    if (b->cap - b->len > n && b->len <= b->max && n <= b->max - b->len) {
        memcpy(b->data + b->len, s, n + 1);
        b->len += n;
        return 0;
    }
    return lf_buf_append(b, s, n);
}
/* The decimal digits of v into t (no terminator); returns how many (1..20). Without printf,
 * for writers that format numbers per row (blocklists, finding sources). */
size_t lf_u64_digits(uint64_t v, char t[20]);
int lf_buf_put_u64(lf_buf *b, uint64_t v);
int lf_buf_put_hex64(lf_buf *b, uint64_t v);   /* 16 lower-case hex digits, as %016llx */
/* t (seconds since the epoch, 0 ..= 253402300799) as ISO 8601 UTC "YYYY-MM-DDTHH:MM:SSZ"
 * (20 bytes, no terminator), computed without gmtime/strftime (their time-zone lock and
 * per-call setup were ~9 % of a findings page); false outside that range. For writers
 * that stamp every row or request (JSON timestamps, the access log, TAXII times). */
bool lf_utc_format(int64_t t, char out[20]);
int lf_buf_put_utc(lf_buf *b, int64_t t);   /* the same into b; LF_EINVAL outside the range */
static inline int lf_buf_putc(lf_buf *b, char c)
{
    if (b->cap - b->len > 1 && b->len < b->max) {
        b->data[b->len++] = c;
        b->data[b->len] = '\0';
        return 0;
    }
    return lf_buf_append(b, &c, 1);
}
int lf_buf_printf(lf_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int lf_buf_vprintf(lf_buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
char *lf_buf_detach(lf_buf *b, size_t *len_out);

#endif
