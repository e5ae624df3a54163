/*
 * json: RFC 8259 JSON reader into an arena, and JSON string escaping (see json.h).
 *
 * Design, for feed import speed (hundreds of MB per run) and for hostile input:
 *  - one pass over the bytes, no recursion: an explicit frame stack bounded by max_depth;
 *  - the members/items of open containers are collected on one malloc'd scratch stack
 *    reused for the whole parse, and copied contiguous into the arena at the closing
 *    bracket, so a node costs no malloc and a container is one arena block;
 *  - small allocations (strings, numbers, containers) are bump-allocated from chunks
 *    taken from the arena, so the hot path does not call into the arena per value;
 *  - strings are scanned 16 (SSE2) or 8 (SWAR) bytes at a time for '"', '\\', control
 *    and non-ASCII bytes; a string without escapes is then one memcpy (one 16-byte store
 *    when it is shorter than 16, as most keys and enum values are); non-ASCII bytes are
 *    validated as UTF-8 (Unicode 15 Table 3-7 / RFC 3629 section 4) in the same loop;
 *  - line numbers are counted in the whitespace skipper: a raw newline is only legal in
 *    whitespace (RFC 8259 section 7 forbids it in strings), so the count is exact and
 *    costs nothing on the string path;
 *  - numbers follow the RFC 8259 section 6 grammar; the double comes from an exact fast
 *    path (integer mantissa <= 2^53 times/divided by an exact power of ten <= 1e22, one
 *    correctly rounded IEEE operation) and strtod otherwise.
 */
#include "core/json.h"

#include <float.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* SSE2 is baseline on x86-64; elsewhere (or with -DLF_JSON_NO_SIMD) 8-byte SWAR words on
 * little-endian machines, else plain byte loops. */
#if defined(__SSE2__) && !defined(LF_JSON_NO_SIMD)
#include <emmintrin.h>
#define LF_JSON_SSE2 1
#else
#define LF_JSON_SSE2 0
#endif
#if defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__)
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define LF_JSON_LE 1
#endif
#endif
#ifndef LF_JSON_LE
#define LF_JSON_LE 0
#endif

#define CHUNK_SIZE ((size_t)8192)  /* bump chunk taken from the arena */

typedef struct jframe {
    size_t start;        /* scratch offset of this container's first slot */
    uint32_t n;          /* members/items so far */
    unsigned char kind;  /* '[' or '{' */
} jframe;

typedef struct jparser {
    const unsigned char *p, *end, *line_start;
    long line;
    lf_arena *a;
    lf_err *err;
    unsigned max_depth;
    size_t max_string, max_items;
    unsigned depth_base;  /* containers open outside the value being parsed (foreach) */
    bool build;           /* false: validate only (foreach skipping a member) */
    jframe *fr;
    unsigned nfr, frcap;
    unsigned char *stk;   /* scratch stack of lf_json / lf_json_member slots */
    size_t top, stkcap;
    unsigned char *bump;  /* current bump chunk and the bytes left in it */
    size_t bump_left;
    unsigned char outer;  /* '[' or '{' around the value parse_value starts on, or 0 */
    lf_json_skip_fn skip; /* foreach_keep: elements still over a limit go here */
} jparser;

/* ---- errors ---------------------------------------------------------------------- */

static int jfail(jparser *j, const unsigned char *at, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Every error carries the line/column of `at`, which is always on the current line. */
static int jfail(jparser *j, const unsigned char *at, int code, const char *fmt, ...)
{
    if (j->err) {
        char msg[sizeof(j->err->msg)];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        lf_err_set(j->err, code, "%s", msg);
        lf_err_at(j->err, NULL, j->line, (long)(at - j->line_start) + 1, NULL);
    }
    return code;
}

static int not_found(lf_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* LF_ENOTFOUND (foreach: the array is not there); it has no position in the text. */
static int not_found(lf_err *err, const char *fmt, ...)
{
    if (err) {
        char msg[sizeof(err->msg)];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        lf_err_set(err, LF_ENOTFOUND, "%s", msg);
        lf_err_at(err, NULL, 0, 0, NULL);
    }
    return LF_ENOTFOUND;
}

/* "end of input" or the quoted byte, for "found ..." messages. */
static const char *found(int c, char buf[8])
{
    if (c < 0)
        return "end of input";
    return lf_err_byte((unsigned char)c, buf);
}

static int nomem(jparser *j)
{
    return jfail(j, j->p, LF_ENOMEM, "out of memory while parsing JSON");
}

static const char *kind_name(unsigned char kind)
{
    return kind == '[' ? "an array" : "an object";
}

static const char *type_name(lf_json_type t)
{
    switch (t) {
    case LF_JSON_NULL: return "null";
    case LF_JSON_FALSE:
    case LF_JSON_TRUE: return "a boolean";
    case LF_JSON_NUMBER: return "a number";
    case LF_JSON_STRING: return "a string";
    case LF_JSON_ARRAY: return "an array";
    case LF_JSON_OBJECT: return "an object";
    }
    return "a value";
}

/* ---- setup ----------------------------------------------------------------------- */

static void jinit(jparser *j, lf_arena *a, const char *text, size_t len,
                  const lf_json_limits *lim, lf_err *err)
{
    memset(j, 0, sizeof(*j));
    j->p = (const unsigned char *)text;
    j->end = j->p ? j->p + len : j->p;
    j->line_start = j->p;
    j->line = 1;
    j->a = a;
    j->err = err;
    j->build = true;
    j->max_depth = lim && lim->max_depth ? lim->max_depth : LF_JSON_DEFAULT_MAX_DEPTH;
    j->max_string = lim && lim->max_string ? lim->max_string : LF_JSON_DEFAULT_MAX_STRING;
    j->max_items = lim && lim->max_items ? lim->max_items : LF_JSON_DEFAULT_MAX_ITEMS;
    /* lengths and counts are stored in uint32_t */
    if (j->max_string > UINT32_MAX - 1)
        j->max_string = UINT32_MAX - 1;
    if (j->max_items > UINT32_MAX)
        j->max_items = UINT32_MAX;
    /* RFC 8259 section 8.1: a BOM may be ignored; we skip one at the very start */
    if (len >= 3 && j->p[0] == 0xEF && j->p[1] == 0xBB && j->p[2] == 0xBF)
        j->p += 3;
}

static void jfree(jparser *j)
{
    free(j->fr);
    free(j->stk);
    j->fr = NULL;
    j->stk = NULL;
}

/* 8-byte aligned allocation from the current bump chunk (refilled from the arena). */
static void *jalloc(jparser *j, size_t n)
{
    size_t need = (n + 7) & ~(size_t)7;
    if (need < n)
        return NULL;
    if (j->bump_left >= need) {
        void *r = j->bump;
        j->bump += need;
        j->bump_left -= need;
        return r;
    }
    if (need > CHUNK_SIZE / 4)
        return lf_arena_alloc(j->a, need);
    unsigned char *c = lf_arena_alloc(j->a, CHUNK_SIZE);
    if (!c)
        return NULL;
    j->bump = c + need;
    j->bump_left = CHUNK_SIZE - need;
    return c;
}

/* ---- whitespace (RFC 8259 section 2: space, tab, LF, CR) --------------------------- */

/* Skips whitespace, counting lines; returns the next byte (not consumed) or -1 at end. */
static inline int skip_ws(jparser *j)
{
    const unsigned char *p = j->p, *end = j->end;
    while (p < end) {
        unsigned c = *p;
        if (c > ' ')
            break;
        if (c == ' ' || c == '\t' || c == '\r') {
            p++;
            continue;
        }
        if (c != '\n')
            break; /* another control byte: the caller reports it */
        p++;
        j->line++;
        j->line_start = p;
#if LF_JSON_LE
        /* pretty-printed input: skip the indentation 8 spaces at a time */
        while (end - p >= 8) {
            uint64_t w;
            memcpy(&w, p, 8);
            w ^= 0x2020202020202020ull;
            if (w) {
                p += __builtin_ctzll(w) >> 3;
                break;
            }
            p += 8;
        }
#endif
    }
    j->p = p;
    return p < end ? (int)*p : -1;
}

/* ---- strings (RFC 8259 section 7) --------------------------------------------------- */

/* First byte in [q, end) that is '"', '\\', a control character or non-ASCII. */
static inline const unsigned char *scan_plain(const unsigned char *q, const unsigned char *end)
{
#if LF_JSON_SSE2
    const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\');
    const __m128i space = _mm_set1_epi8(0x20);
    while (end - q >= 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)q);
        /* signed compare: bytes >= 0x80 are negative, so "< 0x20" also catches them */
        __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, bslash)),
                                 _mm_cmplt_epi8(x, space));
        int mask = _mm_movemask_epi8(m);
        if (mask)
            return q + __builtin_ctz((unsigned)mask);
        q += 16;
    }
#elif LF_JSON_LE
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    while (end - q >= 8) {
        uint64_t x;
        memcpy(&x, q, 8);
        uint64_t tq = x ^ (ones * '"'), tb = x ^ (ones * '\\');
        /* classic "has zero byte" / "has byte less than n": the lowest flag is exact */
        uint64_t m = ((tq - ones) & ~tq) | ((tb - ones) & ~tb) | ((x - ones * 0x20) & ~x) | x;
        m &= highs;
        if (m)
            return q + (__builtin_ctzll(m) >> 3);
        q += 8;
    }
#endif
    while (q < end) {
        unsigned c = *q;
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80)
            return q;
        q++;
    }
    return end;
}

/*
 * One multi-byte UTF-8 sequence at q (q[0] >= 0x80), well-formed per Unicode Table 3-7
 * (no overlongs, no surrogates, nothing above U+10FFFF). Returns its length, or 0 with
 * *bad = the first byte that cannot be part of a well-formed sequence (may be end) and
 * *why = a short reason.
 */
static int utf8_seq(const unsigned char *q, const unsigned char *end, const unsigned char **bad,
                    const char **why)
{
    unsigned c = q[0], lo = 0x80, hi = 0xBF;
    int len;
    const char *second = "truncated UTF-8 sequence";
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0) {
            lo = 0xA0;
            second = "overlong UTF-8 encoding";
        } else if (c == 0xED) {
            hi = 0x9F;
            second = "surrogate code point encoded in UTF-8";
        }
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0) {
            lo = 0x90;
            second = "overlong UTF-8 encoding";
        } else if (c == 0xF4) {
            hi = 0x8F;
            second = "code point above U+10FFFF";
        }
    } else {
        *bad = q;
        *why = c < 0xC0 ? "continuation byte without a lead byte"
             : c < 0xC2 ? "overlong UTF-8 encoding"
                        : "byte never valid in UTF-8";
        return 0;
    }
    for (int i = 1; i < len; i++) {
        if (q + i >= end) {
            *bad = end;
            *why = "truncated UTF-8 sequence";
            return 0;
        }
        unsigned b = q[i];
        if (b < lo || b > hi) {
            *bad = q + i;
            *why = (i == 1 && b >= 0x80 && b <= 0xBF) ? second : "truncated UTF-8 sequence";
            return 0;
        }
        lo = 0x80;
        hi = 0xBF;
    }
    return len;
}

static int hexval(unsigned c)
{
    if (c >= '0' && c <= '9')
        return (int)(c - '0');
    c |= 0x20;
    if (c >= 'a' && c <= 'f')
        return (int)(c - 'a' + 10);
    return -1;
}

static int unterminated(jparser *j, const unsigned char *open)
{
    return jfail(j, open, LF_EPARSE, "unterminated string");
}

/* The 4 hex digits of a \u escape at h. */
static int read_hex4(jparser *j, const unsigned char *open, const unsigned char *h, unsigned *out)
{
    unsigned v = 0;
    char b[8];
    for (int i = 0; i < 4; i++) {
        if (h + i >= j->end)
            return unterminated(j, open);
        int d = hexval(h[i]);
        if (d < 0)
            return jfail(j, h + i, LF_EPARSE,
                         "invalid \\u escape in string: expected a hex digit, found %s",
                         found(h[i], b));
        v = v << 4 | (unsigned)d;
    }
    *out = v;
    return 0;
}

/* Validates the escape at *qp (a backslash) and moves past it (RFC 8259 section 7). */
static int check_escape(jparser *j, const unsigned char *open, const unsigned char **qp)
{
    const unsigned char *q = *qp, *end = j->end;
    char b[8];
    if (end - q < 2)
        return unterminated(j, open);
    switch (q[1]) {
    case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
        *qp = q + 2;
        return 0;
    case 'u':
        break;
    default:
        return jfail(j, q, LF_EPARSE, "invalid escape in string: %s after '\\'",
                     found(q[1], b));
    }
    unsigned cp, lo;
    int r = read_hex4(j, open, q + 2, &cp);
    if (r)
        return r;
    if (cp >= 0xDC00 && cp <= 0xDFFF)
        return jfail(j, q, LF_EPARSE, "unpaired low surrogate \\u%04X in string", cp);
    if (cp < 0xD800 || cp > 0xDBFF) {
        *qp = q + 6;
        return 0;
    }
    /* a high surrogate must be followed by a \u low surrogate (UTF-16 pair) */
    const unsigned char *q2 = q + 6;
    if (q2 >= end || (q2[0] == '\\' && q2 + 1 >= end))
        return unterminated(j, open);
    if (q2[0] != '\\' || q2[1] != 'u')
        return jfail(j, q, LF_EPARSE, "unpaired high surrogate \\u%04X in string", cp);
    r = read_hex4(j, open, q2 + 2, &lo);
    if (r)
        return r;
    if (lo < 0xDC00 || lo > 0xDFFF)
        return jfail(j, q, LF_EPARSE, "unpaired high surrogate \\u%04X in string", cp);
    *qp = q + 12;
    return 0;
}

/*
 * Validates the string whose opening quote is at j->p. On success *close is the closing
 * quote and *esc tells whether it has escapes; j->p is not moved.
 */
static int scan_string(jparser *j, const unsigned char **close, bool *esc)
{
    const unsigned char *open = j->p, *q = open + 1, *end = j->end;
    bool e = false;
    char b[8];
    for (;;) {
        q = scan_plain(q, end);
        if (q >= end)
            return unterminated(j, open);
        unsigned c = *q;
        if (c == '"')
            break;
        if (c == '\\') {
            int r = check_escape(j, open, &q);
            if (r)
                return r;
            e = true;
            continue;
        }
        if (c < 0x20)
            return jfail(j, q, LF_EPARSE, "unescaped control character %s in string",
                         found((int)c, b));
        do { /* a run of non-ASCII characters (e.g. CJK text) stays in this loop */
            const unsigned char *bad;
            const char *why;
            int n = utf8_seq(q, end, &bad, &why);
            if (!n) {
                if (bad >= end)
                    return unterminated(j, open);
                if (bad > q && (*bad < 0x80 || *bad > 0xBF))
                    return jfail(j, bad, LF_EPARSE, "truncated UTF-8 sequence in string: %s "
                                 "is not a continuation byte", found(*bad, b));
                return jfail(j, bad, LF_EPARSE, "invalid UTF-8 byte %s in string (%s)",
                             found(*bad, b), why);
            }
            q += n;
        } while (q < end && *q >= 0x80);
    }
    *close = q;
    *esc = e;
    return 0;
}

static unsigned hex4(const unsigned char *h)
{
    return (unsigned)(hexval(h[0]) << 12 | hexval(h[1]) << 8 | hexval(h[2]) << 4 | hexval(h[3]));
}

/* Decodes the validated string body [s, e) into dst (NULL: only count). Returns length. */
static size_t unescape(unsigned char *dst, const unsigned char *s, const unsigned char *e)
{
    size_t n = 0;
    while (s < e) {
        const unsigned char *bs = memchr(s, '\\', (size_t)(e - s));
        size_t run = (size_t)((bs ? bs : e) - s);
        if (dst && run)
            memcpy(dst + n, s, run);
        n += run;
        if (!bs)
            break;
        s = bs + 1;
        unsigned cp;
        switch (*s++) {
        case 'b': cp = '\b'; break;
        case 'f': cp = '\f'; break;
        case 'n': cp = '\n'; break;
        case 'r': cp = '\r'; break;
        case 't': cp = '\t'; break;
        case 'u':
            cp = hex4(s);
            s += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF) { /* validated: a low surrogate follows */
                cp = 0x10000 + ((cp - 0xD800) << 10) + (hex4(s + 2) - 0xDC00);
                s += 6;
            }
            break;
        default: cp = s[-1]; break; /* '"', '\\', '/' */
        }
        unsigned char u[4];
        size_t k;
        if (cp < 0x80) {
            u[0] = (unsigned char)cp;
            k = 1;
        } else if (cp < 0x800) {
            u[0] = (unsigned char)(0xC0 | cp >> 6);
            u[1] = (unsigned char)(0x80 | (cp & 0x3F));
            k = 2;
        } else if (cp < 0x10000) {
            u[0] = (unsigned char)(0xE0 | cp >> 12);
            u[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
            u[2] = (unsigned char)(0x80 | (cp & 0x3F));
            k = 3;
        } else {
            u[0] = (unsigned char)(0xF0 | cp >> 18);
            u[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
            u[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
            u[3] = (unsigned char)(0x80 | (cp & 0x3F));
            k = 4;
        }
        if (dst)
            memcpy(dst + n, u, k);
        n += k;
    }
    return n;
}

static int string_limit(jparser *j, const unsigned char *open)
{
    return jfail(j, open, LF_ELIMIT, "string longer than max_string (%zu bytes)", j->max_string);
}

/* Parses the string at j->p (a '"'); when not building only validates. */
static int parse_string(jparser *j, const char **out, uint32_t *outn)
{
    const unsigned char *open = j->p, *close;
    bool esc;
#if LF_JSON_SSE2
    /* Fast path for the common short string (keys, enum values, ids): its closing quote
     * is the first special byte of the first 16; copy it with one 16-byte store into the
     * bump chunk (bytes past the string are chunk space not handed out yet). */
    if (j->build && j->end - open > 16 && j->bump_left >= 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(open + 1));
        __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')),
                                              _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))),
                                 _mm_cmplt_epi8(x, _mm_set1_epi8(0x20)));
        int mask = _mm_movemask_epi8(m);
        if (mask) {
            unsigned k = (unsigned)__builtin_ctz((unsigned)mask);
            if (open[1 + k] == '"' && k <= j->max_string) {
                unsigned char *d = j->bump;
                _mm_storeu_si128((__m128i *)(void *)d, x);
                d[k] = '\0';
                j->bump += (k + 8) & ~7u;
                j->bump_left -= (k + 8) & ~7u;
                *out = (const char *)d;
                *outn = k;
                j->p = open + k + 2;
                return 0;
            }
        }
    }
#endif
    int r = scan_string(j, &close, &esc);
    if (r)
        return r;
    size_t raw = (size_t)(close - open - 1), n = raw;
    if (!esc && raw > j->max_string)
        return string_limit(j, open);
    if (!j->build) {
        if (esc && raw > j->max_string && unescape(NULL, open + 1, close) > j->max_string)
            return string_limit(j, open);
        j->p = close + 1;
        return 0;
    }
    unsigned char *s = jalloc(j, raw + 1);
    if (!s)
        return nomem(j);
    if (!esc) {
        memcpy(s, open + 1, raw);
    } else {
        n = unescape(s, open + 1, close);
        if (n > j->max_string)
            return string_limit(j, open);
    }
    s[n] = '\0';
    *out = (const char *)s;
    *outn = (uint32_t)n;
    j->p = close + 1;
    return 0;
}

/* ---- numbers (RFC 8259 section 6) --------------------------------------------------- */

static const double pow10_exact[23] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* strtod of the validated, NUL-terminated number text, independent of LC_NUMERIC. */
static double slow_strtod(const char *txt, size_t len)
{
    const struct lconv *lc = localeconv();
    const char *dp = lc && lc->decimal_point && lc->decimal_point[0] ? lc->decimal_point : ".";
    const char *dot = memchr(txt, '.', len);
    if (!dot || strcmp(dp, ".") == 0)
        return strtod(txt, NULL);
    size_t dl = strlen(dp), off = (size_t)(dot - txt);
    char *tmp = malloc(len + dl + 1);
    if (!tmp)
        return strtod(txt, NULL); /* best effort: prefix up to the '.' */
    memcpy(tmp, txt, off);
    memcpy(tmp + off, dp, dl);
    memcpy(tmp + off + dl, dot + 1, len - off); /* includes the NUL */
    double d = strtod(tmp, NULL);
    free(tmp);
    return d;
}

static int parse_number(jparser *j, lf_json *v)
{
    const unsigned char *s = j->p, *p = s, *end = j->end;
    uint64_t m = 0;
    int nd = 0;
    int64_t exp10 = 0; /* 64-bit: a number text may hold billions of fraction digits */
    bool neg = false, inexact = false;
    char b[8];

#define DIGIT(q) ((q) < end && (unsigned)(*(q) - '0') < 10)
#define ACCUM(frac)                                                                         \
    do {                                                                                    \
        unsigned d_ = (unsigned)(*p - '0');                                                 \
        if (m == 0 && d_ == 0) {                                                            \
            exp10 -= (frac);                                                                \
        } else if (nd < 19) {                                                               \
            m = m * 10 + d_;                                                                \
            nd++;                                                                           \
            exp10 -= (frac);                                                                \
        } else {                                                                            \
            inexact = true;                                                                 \
        }                                                                                   \
        p++;                                                                                \
    } while (0)

    if (*p == '-') {
        neg = true;
        p++;
    }
    if (p >= end)
        return jfail(j, end, LF_EPARSE, "truncated input: document ends inside a number");
    if (*p == '0') {
        p++;
        if (DIGIT(p))
            return jfail(j, p - 1, LF_EPARSE, "leading zero in number");
    } else if (DIGIT(p)) {
        while (DIGIT(p))
            ACCUM(0);
    } else {
        return jfail(j, p, LF_EPARSE, "expected a digit after '-' in number, found %s",
                     found(*p, b));
    }
    if (p < end && *p == '.') {
        p++;
        if (p >= end)
            return jfail(j, end, LF_EPARSE, "truncated input: document ends inside a number");
        if (!DIGIT(p))
            return jfail(j, p, LF_EPARSE, "expected a digit after '.' in number, found %s",
                         found(*p, b));
        while (DIGIT(p))
            ACCUM(1);
    }
    if (p < end && (*p | 0x20) == 'e') {
        p++;
        int esign = 1, ev = 0;
        if (p < end && (*p == '+' || *p == '-')) {
            esign = *p == '-' ? -1 : 1;
            p++;
        }
        if (p >= end)
            return jfail(j, end, LF_EPARSE, "truncated input: document ends inside a number");
        if (!DIGIT(p))
            return jfail(j, p, LF_EPARSE, "expected a digit in the exponent of number, found %s",
                         found(*p, b));
        while (DIGIT(p)) {
            if (ev < 100000)
                ev = ev * 10 + (*p - '0');
            else
                inexact = true;
            p++;
        }
        exp10 += esign * ev;
    }
#undef ACCUM
#undef DIGIT
    size_t len = (size_t)(p - s);
    if (len > j->max_string)
        return jfail(j, s, LF_ELIMIT, "number longer than max_string (%zu bytes)", j->max_string);
    j->p = p;
    v->type = LF_JSON_NUMBER;
    if (!j->build)
        return 0;
    char *txt = jalloc(j, len + 1);
    if (!txt)
        return nomem(j);
    memcpy(txt, s, len);
    txt[len] = '\0';
    double d;
    if (!inexact && m == 0) {
        d = 0.0;
#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0
    } else if (!inexact && m <= ((uint64_t)1 << 53) && exp10 >= -22 && exp10 <= 22) {
        /* both operands exact, so the one rounding is the correct one (Clinger) */
        d = exp10 < 0 ? (double)m / pow10_exact[-exp10] : (double)m * pow10_exact[exp10];
#endif
    } else {
        d = slow_strtod(txt + neg, len - neg);
    }
    v->n = (uint32_t)len;
    v->u.str = txt;
    v->num = neg ? -d : d;
    return 0;
}

/* ---- literals ------------------------------------------------------------------------ */

static int parse_literal(jparser *j, const char *word, size_t wl, lf_json_type t, lf_json *v)
{
    const unsigned char *p = j->p;
    size_t avail = (size_t)(j->end - p);
    if (avail >= wl && memcmp(p, word, wl) == 0) {
        j->p = p + wl;
        v->type = t;
        v->n = 0;
        v->u.str = NULL;
        v->num = 0;
        return 0;
    }
    size_t i = 0;
    while (i < wl && i < avail && p[i] == (unsigned char)word[i])
        i++;
    if (i == avail)
        return jfail(j, j->end, LF_EPARSE, "truncated input: document ends inside literal '%s'",
                     word);
    char b[8];
    return jfail(j, p + i, LF_EPARSE, "invalid literal: expected '%s', found %s", word,
                 found(p[i], b));
}

/* ---- containers ---------------------------------------------------------------------- */

static int push_frame(jparser *j, unsigned char kind)
{
    if (j->depth_base + j->nfr >= j->max_depth)
        return jfail(j, j->p, LF_ELIMIT, "nesting deeper than max_depth (%u)", j->max_depth);
    if (j->nfr == j->frcap) {
        if (j->frcap > (unsigned)-1 / 2)
            return nomem(j);
        unsigned nc = j->frcap ? j->frcap * 2 : 16;
        jframe *nf = realloc(j->fr, (size_t)nc * sizeof(*nf));
        if (!nf)
            return nomem(j);
        j->fr = nf;
        j->frcap = nc;
    }
    jframe *f = &j->fr[j->nfr++];
    f->start = j->top;
    f->n = 0;
    f->kind = kind;
    return 0;
}

/* Room for `need` more bytes above the scratch stack's top (geometric growth). */
static int grow_stack(jparser *j, size_t need)
{
    size_t nc = j->stkcap ? j->stkcap : 16384;
    while (nc - j->top < need) {
        if (nc > SIZE_MAX / 2)
            return LF_ENOMEM;
        nc *= 2;
    }
    unsigned char *ns = realloc(j->stk, nc);
    if (!ns)
        return LF_ENOMEM;
    j->stk = ns;
    j->stkcap = nc;
    return 0;
}

/* One more member/item in the innermost container: limit check and a scratch slot. */
static inline int add_slot(jparser *j, size_t sz)
{
    jframe *f = &j->fr[j->nfr - 1];
    if (f->n >= j->max_items)
        return jfail(j, j->p, LF_ELIMIT, "%s with more than max_items (%zu) %s",
                     f->kind == '[' ? "array" : "object", j->max_items,
                     f->kind == '[' ? "elements" : "members");
    f->n++;
    if (!j->build)
        return 0;
    if (j->stkcap - j->top < sz && grow_stack(j, sz))
        return nomem(j);
    j->top += sz;
    return 0;
}

/* Error for a byte where a value was expected. */
static int value_error(jparser *j, unsigned nfr0, int c)
{
    char b[8];
    unsigned char kind = j->nfr > nfr0 ? j->fr[j->nfr - 1].kind : j->outer;
    if (!kind) {
        if (c < 0)
            return jfail(j, j->p, LF_EPARSE, "expected a JSON value, found end of input");
        return jfail(j, j->p, LF_EPARSE, "expected a JSON value, found %s", found(c, b));
    }
    if (c < 0)
        return jfail(j, j->p, LF_EPARSE, "truncated input: document ends inside %s",
                     kind_name(kind));
    if (kind == '[' && c == ']')
        return jfail(j, j->p, LF_EPARSE, "expected a value after ',' in array, found ']' "
                     "(trailing comma)");
    if (kind == '[')
        return jfail(j, j->p, LF_EPARSE, "expected a JSON value in array, found %s",
                     found(c, b));
    return jfail(j, j->p, LF_EPARSE, "expected a JSON value after ':' in object, found %s",
                 found(c, b));
}

/* Where the value being parsed goes: its scratch slot, or *top outside containers. */
static inline lf_json *value_slot(jparser *j, unsigned nfr0, lf_json *top)
{
    if (!j->build || j->nfr == nfr0)
        return top;
    if (j->fr[j->nfr - 1].kind == '[')
        return (lf_json *)(void *)(j->stk + j->top - sizeof(lf_json));
    return &((lf_json_member *)(void *)(j->stk + j->top - sizeof(lf_json_member)))->val;
}

/*
 * Parses one value at j->p (leading whitespace skipped) into *out, leaving j->p just
 * after it. Iterative: containers push a frame, their members go to the scratch stack.
 * Scalars are parsed straight into their slot (no struct copy: a copy right after the
 * field stores stalls on store forwarding).
 */
static int parse_value(jparser *j, lf_json *out)
{
    const unsigned nfr0 = j->nfr;
    lf_json *dst;
    int c, r;
    bool after_comma;
    char b[8];

value:
    c = skip_ws(j);
    dst = value_slot(j, nfr0, out);
    switch (c) {
    case '"':
        dst->type = LF_JSON_STRING;
        dst->num = 0;
        if ((r = parse_string(j, &dst->u.str, &dst->n)))
            return r;
        break;
    case '-': case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
        if ((r = parse_number(j, dst)))
            return r;
        break;
    case '{':
        if ((r = push_frame(j, '{')))
            return r;
        j->p++;
        c = skip_ws(j);
        if (c == '}') {
            j->p++;
            goto close;
        }
        after_comma = false;
        goto key;
    case '[':
        if ((r = push_frame(j, '[')))
            return r;
        j->p++;
        c = skip_ws(j);
        if (c == ']') {
            j->p++;
            goto close;
        }
        if ((r = add_slot(j, sizeof(lf_json))))
            return r;
        goto value;
    case 't':
        if ((r = parse_literal(j, "true", 4, LF_JSON_TRUE, dst)))
            return r;
        break;
    case 'f':
        if ((r = parse_literal(j, "false", 5, LF_JSON_FALSE, dst)))
            return r;
        break;
    case 'n':
        if ((r = parse_literal(j, "null", 4, LF_JSON_NULL, dst)))
            return r;
        break;
    default:
        return value_error(j, nfr0, c);
    }

have:
    if (j->nfr == nfr0)
        return 0;
    if (j->fr[j->nfr - 1].kind == '[') {
        c = skip_ws(j);
        if (c == ',') {
            j->p++;
            if ((r = add_slot(j, sizeof(lf_json))))
                return r;
            goto value;
        }
        if (c == ']') {
            j->p++;
            goto close;
        }
        if (c < 0)
            return jfail(j, j->p, LF_EPARSE, "truncated input: document ends inside an array");
        return jfail(j, j->p, LF_EPARSE, "expected ',' or ']' after array element, found %s",
                     found(c, b));
    }
    c = skip_ws(j);
    if (c == ',') {
        j->p++;
        c = skip_ws(j);
        after_comma = true;
        goto key;
    }
    if (c == '}') {
        j->p++;
        goto close;
    }
    if (c < 0)
        return jfail(j, j->p, LF_EPARSE, "truncated input: document ends inside an object");
    return jfail(j, j->p, LF_EPARSE, "expected ',' or '}' after object member, found %s",
                 found(c, b));

key:
    /* c: the byte after '{' or ',' (whitespace skipped) */
    if (c != '"') {
        if (c < 0)
            return jfail(j, j->p, LF_EPARSE, "truncated input: document ends inside an object");
        if (after_comma && c == '}')
            return jfail(j, j->p, LF_EPARSE, "expected '\"' to begin an object member after "
                         "',', found '}' (trailing comma)");
        return jfail(j, j->p, LF_EPARSE, "expected '\"' to begin an object member%s, found %s",
                     after_comma ? "" : " or '}'", found(c, b));
    }
    if ((r = add_slot(j, sizeof(lf_json_member))))
        return r;
    if (j->build) {
        lf_json_member *m = (lf_json_member *)(void *)(j->stk + j->top - sizeof(*m));
        if ((r = parse_string(j, &m->key, &m->klen)))
            return r;
    } else if ((r = parse_string(j, NULL, NULL))) {
        return r;
    }
    c = skip_ws(j);
    if (c != ':') {
        if (c < 0)
            return jfail(j, j->p, LF_EPARSE, "truncated input: document ends inside an object");
        return jfail(j, j->p, LF_EPARSE, "expected ':' after object key, found %s", found(c, b));
    }
    j->p++;
    goto value;

close: {
        jframe *f = &j->fr[j->nfr - 1];
        uint32_t n = f->n;
        lf_json_type t = f->kind == '[' ? LF_JSON_ARRAY : LF_JSON_OBJECT;
        void *items = NULL;
        if (j->build && n) {
            size_t bytes = j->top - f->start;
            items = jalloc(j, bytes);
            if (!items)
                return nomem(j);
            memcpy(items, j->stk + f->start, bytes);
        }
        j->top = f->start;
        j->nfr--;
        dst = value_slot(j, nfr0, out);
        dst->type = t;
        dst->n = n;
        dst->u.items = items;
        dst->num = 0;
        goto have;
    }
}

/* ---- public entry points ------------------------------------------------------------- */

int lf_json_parse(lf_arena *a, const char *text, size_t len, const lf_json_limits *lim,
                  lf_json **out, lf_err *err)
{
    if (out)
        *out = NULL;
    if (!a || !out || (!text && len))
        return lf_err_set(err, LF_EINVAL, "lf_json_parse: invalid argument");
    jparser j;
    jinit(&j, a, text, len, lim, err);
    lf_json v;
    int r = parse_value(&j, &v);
    if (!r) {
        int c = skip_ws(&j);
        if (c >= 0) {
            char b[8];
            r = jfail(&j, j.p, LF_EPARSE, "unexpected data after the JSON value, found %s",
                      found(c, b));
        }
    }
    if (!r) {
        lf_json *node = jalloc(&j, sizeof(*node));
        if (!node) {
            r = nomem(&j);
        } else {
            *node = v;
            *out = node;
        }
    }
    jfree(&j);
    return r;
}

/* Validates (without building) one value at j->p; *type gets its type. */
static int skip_value(jparser *j, unsigned depth_base, lf_json_type *type)
{
    lf_json v;
    j->build = false;
    j->depth_base = depth_base;
    j->outer = depth_base ? '{' : 0; /* a member of the top-level object, or the top level */
    int r = parse_value(j, &v);
    j->build = true;
    if (!r && type)
        *type = v.type;
    return r;
}

/* Validates one value at j->p for syntax only: the size limits bound what is built and
 * nothing is, so only the frame stack is bounded (LF_JSON_SKIM_MAX_DEPTH). outer: the
 * container around the value, for messages. */
static int skim_value(jparser *j, unsigned depth_base, unsigned char outer, lf_json_type *type)
{
    const unsigned md = j->max_depth;
    const size_t ms = j->max_string, mi = j->max_items;
    j->max_depth = LF_JSON_SKIM_MAX_DEPTH;
    j->max_string = SIZE_MAX - 1;
    j->max_items = SIZE_MAX;
    lf_json v;
    j->build = false;
    j->depth_base = depth_base;
    j->outer = outer;
    int r = parse_value(j, &v);
    j->build = true;
    j->max_depth = md;
    j->max_string = ms;
    j->max_items = mi;
    if (!r && type)
        *type = v.type;
    return r;
}

/* foreach_keep: the element that started at `start` (line `line`, whose line began at
 * `ls`; nested d deep in the document) hit a limit. Drop what was built of it and validate
 * it from its start without limits (a syntax error there is fatal), then parse it alone
 * with string and list limits as large as its own text (the caller holds that text, so the
 * tree costs a few times the element) and nesting still bounded as in the walk: fn gets it
 * like any element. Only an element still over a limit (nesting) goes to the skip
 * callback, with that limit's message located in the document. */
static int keep_element(jparser *j, unsigned d, const unsigned char *start, const unsigned char *ls, long line,
                        size_t idx, lf_json_elem_fn fn, void *ud)
{
    j->nfr = 0;
    j->top = 0;
    lf_arena_reset(j->a);
    j->bump = NULL;
    j->bump_left = 0;
    j->p = start;
    j->line = line;
    j->line_start = ls;
    int r = skim_value(j, d, '[', NULL);
    if (r)
        return r;
    lf_err_clear(j->err);
    size_t elen = (size_t)(j->p - start);
    lf_json_limits big = {.max_depth = j->max_depth > d + 1 ? j->max_depth - d : 1, .max_string = elen,
                          .max_items = elen};
    lf_json *v;
    lf_err why;
    lf_err_clear(&why);
    r = lf_json_parse(j->a, (const char *)start, elen, &big, &v, &why);
    if (r == LF_OK)
        return fn(ud, v, idx, line);
    if (r != LF_ELIMIT)
        return r == LF_ENOMEM ? nomem(j) : r;
    /* only nesting can be over (the other limits are the element's size): said with the
     * walk's limit, and located in the document (the element's line 1 starts at its first
     * byte, not at its line's) */
    snprintf(why.msg, sizeof why.msg, "nesting deeper than max_depth (%u)", j->max_depth);
    if (why.line == 1)
        why.col += (long)(start - ls);
    why.line += line - 1;
    return j->skip(ud, idx, line, &why);
}

/* Walks the array whose '[' is at j->p, calling fn per element (depth_base: the '['). */
static int walk_array(jparser *j, unsigned depth_base, lf_json_elem_fn fn, void *ud)
{
    char b[8];
    if (depth_base + 1 > j->max_depth)
        return jfail(j, j->p, LF_ELIMIT, "nesting deeper than max_depth (%u)", j->max_depth);
    j->p++;
    int c = skip_ws(j);
    if (c == ']') {
        j->p++;
        return 0;
    }
    for (size_t idx = 0;; idx++) {
        if (c < 0)
            return jfail(j, j->p, LF_EPARSE, "truncated input: document ends inside an array");
        if (c == ']')
            return jfail(j, j->p, LF_EPARSE, "expected a value after ',' in array, found ']' "
                         "(trailing comma)");
        long line = j->line;
        const unsigned char *start = j->p, *ls = j->line_start;
        lf_json v;
        j->build = true;
        j->depth_base = depth_base + 1;
        j->outer = '[';
        int r = parse_value(j, &v);
        if (r == LF_ELIMIT && j->skip)
            r = keep_element(j, depth_base + 1, start, ls, line, idx, fn, ud);
        else if (!r)
            r = fn(ud, &v, idx, line);
        else
            return r;
        lf_arena_reset(j->a);
        j->bump = NULL; /* the chunk went with the reset */
        j->bump_left = 0;
        if (r)
            return r;
        c = skip_ws(j);
        if (c == ']') {
            j->p++;
            return 0;
        }
        if (c < 0)
            return jfail(j, j->p, LF_EPARSE, "truncated input: document ends inside an array");
        if (c != ',')
            return jfail(j, j->p, LF_EPARSE, "expected ',' or ']' after array element, found %s",
                         found(c, b));
        j->p++;
        c = skip_ws(j);
    }
}

/* Parses the member key at j->p (a '"') and tells whether it equals key[0..klen). */
static int match_key(jparser *j, const char *key, size_t klen, bool *match)
{
    const unsigned char *open = j->p, *close;
    bool esc;
    int r = scan_string(j, &close, &esc);
    if (r)
        return r;
    size_t raw = (size_t)(close - open - 1);
    size_t n = esc ? unescape(NULL, open + 1, close) : raw;
    if (n > j->max_string)
        return string_limit(j, open);
    *match = false;
    if (!esc) {
        *match = raw == klen && memcmp(open + 1, key, klen) == 0;
    } else if (n == klen) {
        /* decode above the scratch stack's top (not a slot) to compare */
        if (j->stkcap - j->top < n + 1 && grow_stack(j, n + 1))
            return nomem(j);
        unescape(j->stk + j->top, open + 1, close);
        *match = memcmp(j->stk + j->top, key, klen) == 0;
    }
    j->p = close + 1;
    return 0;
}

/* lf_json_parse_head's tree: the kept members in source order (malloc'd while parsing,
 * copied into the arena at the end) and the type of the records member */
typedef struct jcollect {
    const char *const *keep;  /* NULL-terminated names to build */
    lf_json_member *m;
    size_t n, cap;
    int records_type;         /* lf_json_type of the records member, -1: none yet */
} jcollect;

/* Parses a member key into the next slot of col; *build: a kept name not built yet. */
static int collect_key(jparser *j, jcollect *col, const char *key, size_t klen, bool *match,
                       bool *build)
{
    if (col->n == col->cap) {
        size_t nc = col->cap ? col->cap * 2 : 16;
        lf_json_member *nm = realloc(col->m, nc * sizeof(*nm));
        if (!nm)
            return nomem(j);
        col->m = nm;
        col->cap = nc;
    }
    lf_json_member *m = &col->m[col->n];
    int r = parse_string(j, &m->key, &m->klen);
    if (r)
        return r;
    *match = m->klen == klen && memcmp(m->key, key, klen) == 0;
    *build = false;
    for (const char *const *k = col->keep; k && *k && !*build; k++)
        *build = strlen(*k) == m->klen && memcmp(*k, m->key, m->klen) == 0;
    for (size_t i = 0; i < col->n && *build; i++)
        *build = !(col->m[i].klen == m->klen && memcmp(col->m[i].key, m->key, m->klen) == 0);
    return 0;
}

/* The top-level object at j->p. Walk mode (col NULL): fn per element of the first member
 * named key, every other member validated. Collect mode: the kept members parsed into col,
 * every other one validated for syntax only, the type of the first named key noted. */
static int foreach_object(jparser *j, const char *key, lf_json_elem_fn fn, void *ud, jcollect *col)
{
    char b[8];
    size_t klen = strlen(key);
    bool done = false;                  /* the wanted member was seen */
    lf_json_type seen = LF_JSON_ARRAY;  /* its type */
    size_t members = 0;
    int r;
    j->p++; /* '{' */
    int c = skip_ws(j);
    if (c == '}') {
        j->p++;
        goto out;
    }
    for (;;) {
        if (c != '"') {
            if (c < 0)
                return jfail(j, j->p, LF_EPARSE, "truncated input: document ends inside an object");
            if (members && c == '}')
                return jfail(j, j->p, LF_EPARSE, "expected '\"' to begin an object member after "
                             "',', found '}' (trailing comma)");
            return jfail(j, j->p, LF_EPARSE, "expected '\"' to begin an object member%s, found %s",
                         members ? "" : " or '}'", found(c, b));
        }
        if (members >= j->max_items)
            return jfail(j, j->p, LF_ELIMIT, "object with more than max_items (%zu) members",
                         j->max_items);
        members++;
        bool match, build = false;
        if ((r = col ? collect_key(j, col, key, klen, &match, &build) : match_key(j, key, klen, &match)))
            return r;
        c = skip_ws(j);
        if (c != ':') {
            if (c < 0)
                return jfail(j, j->p, LF_EPARSE, "truncated input: document ends inside an object");
            return jfail(j, j->p, LF_EPARSE, "expected ':' after object key, found %s",
                         found(c, b));
        }
        j->p++;
        c = skip_ws(j);
        if (c < 0)
            return jfail(j, j->p, LF_EPARSE, "truncated input: document ends inside an object");
        if (col) {
            if (build) {
                j->build = true;
                j->depth_base = 1;
                j->outer = '{';
                if ((r = parse_value(j, &col->m[col->n].val)))
                    return r;
                col->n++;
            } else {
                lf_json_type t;
                if ((r = skim_value(j, 1, '{', &t)))
                    return r;
                if (match && !done) {
                    done = true;
                    col->records_type = (int)t;
                }
            }
        } else if (match && !done && c == '[') {
            done = true;
            if ((r = walk_array(j, 1, fn, ud)))
                return r;
        } else {
            lf_json_type t;
            if ((r = j->skip ? skim_value(j, 1, '{', &t) : skip_value(j, 1, &t)))
                return r;
            if (match && !done) {
                done = true;
                seen = t;
            }
        }
        c = skip_ws(j);
        if (c == '}') {
            j->p++;
            break;
        }
        if (c < 0)
            return jfail(j, j->p, LF_EPARSE, "truncated input: document ends inside an object");
        if (c != ',')
            return jfail(j, j->p, LF_EPARSE, "expected ',' or '}' after object member, found %s",
                         found(c, b));
        j->p++;
        c = skip_ws(j);
    }
out:
    c = skip_ws(j);
    if (c >= 0)
        return jfail(j, j->p, LF_EPARSE, "unexpected data after the JSON value, found %s",
                     found(c, b));
    if (col)
        return 0;
    if (!done)
        return not_found(j->err, "top-level object has no member \"%s\"", key);
    if (seen != LF_JSON_ARRAY)
        return not_found(j->err, "member \"%s\" is %s, not an array", key,
                          type_name(seen));
    return 0;
}

int lf_json_parse_head(lf_arena *a, const char *text, size_t len, const lf_json_limits *lim,
                       const char *const *keep, const char *records, lf_json **out, int *records_type,
                       lf_err *err)
{
    if (out)
        *out = NULL;
    if (records_type)
        *records_type = -1;
    if (!a || !out || !records || (!text && len))
        return lf_err_set(err, LF_EINVAL, "lf_json_parse_head: invalid argument");
    jparser j;
    jinit(&j, a, text, len, lim, err);
    if (skip_ws(&j) != '{') {
        jfree(&j);
        return lf_json_parse(a, text, len, lim, out, err);
    }
    jcollect col = {.keep = keep, .records_type = -1};
    int r = foreach_object(&j, records, NULL, NULL, &col);
    lf_json *node = NULL;
    if (!r && !(node = jalloc(&j, sizeof(*node))))
        r = nomem(&j);
    if (!r) {
        node->type = LF_JSON_OBJECT;
        node->n = (uint32_t)col.n;
        node->num = 0;
        node->u.members = NULL;
        if (col.n && !(node->u.members = jalloc(&j, col.n * sizeof(lf_json_member))))
            r = nomem(&j);
        else if (col.n)
            memcpy(node->u.members, col.m, col.n * sizeof(lf_json_member));
    }
    if (!r) {
        *out = node;
        if (records_type)
            *records_type = col.records_type;
    }
    free(col.m);
    jfree(&j);
    return r;
}

int lf_json_foreach(lf_arena *a, const char *text, size_t len, const char *key,
                    const lf_json_limits *lim, lf_json_elem_fn fn, void *ud, lf_err *err)
{
    return lf_json_foreach_keep(a, text, len, key, lim, fn, NULL, ud, err);
}

int lf_json_foreach_keep(lf_arena *a, const char *text, size_t len, const char *key,
                         const lf_json_limits *lim, lf_json_elem_fn fn, lf_json_skip_fn skip,
                         void *ud, lf_err *err)
{
    if (!a || !fn || (!text && len))
        return lf_err_set(err, LF_EINVAL, "lf_json_foreach: invalid argument");
    /* keep_element needs the limit's message even when the caller wants none */
    lf_err local;
    if (!err && skip)
        err = &local;
    jparser j;
    jinit(&j, a, text, len, lim, err);
    j.skip = skip;
    int r, c = skip_ws(&j);
    char b[8];
    if (c < 0) {
        r = jfail(&j, j.p, LF_EPARSE, "expected a JSON value, found end of input");
    } else if (key && c == '{') {
        r = foreach_object(&j, key, fn, ud, NULL);
    } else if (!key && c == '[') {
        r = walk_array(&j, 0, fn, ud);
        if (!r && (c = skip_ws(&j)) >= 0)
            r = jfail(&j, j.p, LF_EPARSE, "unexpected data after the JSON value, found %s",
                      found(c, b));
    } else {
        /* not the shape asked for: still validate, so syntax errors are reported first */
        lf_json_type t;
        r = skip ? skim_value(&j, 0, 0, &t) : skip_value(&j, 0, &t);
        if (!r && (c = skip_ws(&j)) >= 0)
            r = jfail(&j, j.p, LF_EPARSE, "unexpected data after the JSON value, found %s",
                      found(c, b));
        if (!r)
            r = key ? not_found(err, "top-level value is %s, not an object with "
                                 "member \"%s\"", type_name(t), key)
                    : not_found(err, "top-level value is %s, not an array",
                                 type_name(t));
    }
    jfree(&j);
    return r;
}

/* ---- lookups ------------------------------------------------------------------------- */

const lf_json *lf_json_get(const lf_json *obj, const char *key)
{
    if (!obj || !key || obj->type != LF_JSON_OBJECT)
        return NULL;
    size_t kl = strlen(key);
    for (uint32_t i = 0; i < obj->n; i++) {
        const lf_json_member *m = &obj->u.members[i];
        if (m->klen == kl && memcmp(m->key, key, kl) == 0)
            return &m->val;
    }
    return NULL;
}

const lf_json *lf_json_at(const lf_json *arr, size_t i)
{
    if (!arr || arr->type != LF_JSON_ARRAY || i >= arr->n)
        return NULL;
    return &arr->u.items[i];
}

size_t lf_json_len(const lf_json *v)
{
    if (!v || (v->type != LF_JSON_ARRAY && v->type != LF_JSON_OBJECT))
        return 0;
    return v->n;
}

const char *lf_json_str(const lf_json *v)
{
    return v && v->type == LF_JSON_STRING ? v->u.str : NULL;
}

const char *lf_json_get_str(const lf_json *obj, const char *key)
{
    return lf_json_str(lf_json_get(obj, key));
}

double lf_json_num(const lf_json *v, double def)
{
    return v && v->type == LF_JSON_NUMBER ? v->num : def;
}

bool lf_json_bool(const lf_json *v, bool def)
{
    if (!v)
        return def;
    if (v->type == LF_JSON_TRUE)
        return true;
    if (v->type == LF_JSON_FALSE)
        return false;
    return def;
}

bool lf_json_is(const lf_json *v, lf_json_type t)
{
    return v && v->type == t;
}

/* ---- writing ------------------------------------------------------------------------- */

int lf_json_write_str(lf_buf *out, const char *s, size_t n)
{
    if (!out || (!s && n))
        return LF_EINVAL;
    static const char hexd[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s, *e = p ? p + n : p;
    int r = lf_buf_reserve(out, n + 2);
    if (r)
        return r;
    if ((r = lf_buf_putc(out, '"')))
        return r;
    while (p < e) {
        const unsigned char *q = scan_plain(p, e);
        if (q > p && (r = lf_buf_append(out, p, (size_t)(q - p))))
            return r;
        p = q;
        if (p >= e)
            break;
        unsigned c = *p;
        if (c == '"' || c == '\\') {
            char esc[2] = {'\\', (char)c};
            r = lf_buf_append(out, esc, 2);
            p++;
        } else if (c < 0x20) {
            /* RFC 8259 section 7: control characters must be escaped */
            char esc[6] = {'\\', 'u', '0', '0', hexd[c >> 4], hexd[c & 15]};
            r = lf_buf_append(out, esc, 6);
            p++;
        } else {
            const unsigned char *bad;
            const char *why;
            int k = utf8_seq(p, e, &bad, &why);
            if (k) {
                r = lf_buf_append(out, p, (size_t)k);
                p += k;
            } else {
                /* one U+FFFD per maximal ill-formed subpart (Unicode section 3.9) */
                r = lf_buf_append(out, "\xEF\xBF\xBD", 3);
                p = bad > p ? bad : p + 1;
            }
        }
        if (r)
            return r;
    }
    return lf_buf_putc(out, '"');
}

const char *lf_json_type_name(const lf_json *v)
{
    if (!v)
        return "nothing";
    switch (v->type) {
    case LF_JSON_NULL: return "null";
    case LF_JSON_FALSE: return "false";
    case LF_JSON_TRUE: return "true";
    case LF_JSON_NUMBER: return "a number";
    case LF_JSON_STRING: return "a string";
    case LF_JSON_ARRAY: return "an array";
    case LF_JSON_OBJECT: return "an object";
    }
    return "a value";
}
