/*
 * stixpat: STIX 2.1 Patterning (section 9) parser and indicator extraction (see stixpat.h).
 *
 * A hand-written lexer and recursive-descent parser. Binary operators are parsed in
 * loops into left-deep chains, so only parentheses recurse (bounded by
 * LF_STIXPAT_MAX_DEPTH); every walk over the tree follows the left spine in a loop for
 * the same reason, so a pattern of 10,000 ORs cannot exhaust the stack.
 */
#include "isac/stixpat.h"

#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- timestamps -------------------------------------------------------------------- */

static int digits(const char *s, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; H. Hinnant's days_from_civil idea). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

bool lf_stix_time_parse(const char *s, size_t n, lf_stix_time *out)
{
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, mo, d, h, mi, se;
    if (!s || n < 20)
        return false;
    if (!digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) || s[7] != '-' ||
        !digits(s + 8, 2, &d) || s[10] != 'T' || !digits(s + 11, 2, &h) || s[13] != ':' ||
        !digits(s + 14, 2, &mi) || s[16] != ':' || !digits(s + 17, 2, &se))
        return false;
    size_t i = 19;
    uint32_t nanos = 0;
    if (s[i] == '.') {
        i++;
        size_t start = i, nd = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9') {
            if (nd < 9) {
                nanos = nanos * 10 + (uint32_t)(s[i] - '0');
                nd++;
            }
            i++;
        }
        if (i == start)
            return false;
        while (nd++ < 9)
            nanos *= 10;
    }
    if (i != n - 1 || s[i] != 'Z')
        return false;
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 || mi > 59 || se > 60)
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (mo == 2 && d == 29 && !leap)
        return false;
    if (out) {
        out->secs = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + se;
        out->nanos = nanos;
    }
    return true;
}

int lf_stix_time_cmp(const lf_stix_time *x, const lf_stix_time *y)
{
    if (x->secs != y->secs)
        return x->secs < y->secs ? -1 : 1;
    if (x->nanos != y->nanos)
        return x->nanos < y->nanos ? -1 : 1;
    return 0;
}

/* ---- lexer ------------------------------------------------------------------------- */

typedef enum tk {
    T_EOF, T_LBRACK, T_RBRACK, T_LPAREN, T_RPAREN, T_COMMA, T_COLON, T_DOT, T_STAR,
    T_EQ, T_NEQ, T_LT, T_LE, T_GT, T_GE,
    T_IDENT, T_STRING, T_INT, T_FLOAT, T_BINARY, T_HEX, T_TIMESTAMP, T_BOOL,
    T_AND, T_OR, T_NOT, T_FOLLOWEDBY, T_LIKE, T_MATCHES, T_ISSUBSET, T_ISSUPERSET,
    T_EXISTS, T_IN, T_START, T_STOP, T_SECONDS, T_WITHIN, T_REPEATS, T_TIMES, T_LAST
} tk;

static const struct {
    const char *word;
    tk t;
} keywords[] = {
    {"AND", T_AND}, {"OR", T_OR}, {"NOT", T_NOT}, {"FOLLOWEDBY", T_FOLLOWEDBY},
    {"LIKE", T_LIKE}, {"MATCHES", T_MATCHES}, {"ISSUBSET", T_ISSUBSET},
    {"ISSUPERSET", T_ISSUPERSET}, {"EXISTS", T_EXISTS}, {"IN", T_IN}, {"START", T_START},
    {"STOP", T_STOP}, {"SECONDS", T_SECONDS}, {"WITHIN", T_WITHIN}, {"REPEATS", T_REPEATS},
    {"TIMES", T_TIMES}, {"LAST", T_LAST},
};

typedef struct token {
    tk t;
    size_t off, len;    /* source span */
    bool hyphen;        /* IDENT containing '-' */
    lf_stixpat_lit lit; /* literal tokens: decoded */
} token;

typedef struct parser {
    lf_arena *a;
    const char *s;
    size_t n, pos;
    token tok;          /* current token */
    lf_err *err;
    int code;           /* first error, kept */
    unsigned depth;
    size_t ncmp;
} parser;

static int fail_at(parser *p, int code, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail_at(parser *p, int code, size_t off, const char *fmt, ...)
{
    if (p->code)
        return p->code;
    p->code = code;
    if (p->err) {
        char msg[400];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        lf_err_set(p->err, code, "offset %zu: %s", off, msg);
        lf_err_at(p->err, NULL, 1, (long)off + 1, "pattern");
    }
    return code;
}

/* The current token as the user wrote it, for "found ..." in messages. */
static const char *tok_desc(const parser *p, char *buf, size_t n)
{
    if (p->tok.t == T_EOF) {
        snprintf(buf, n, "end of input");
        return buf;
    }
    size_t len = p->tok.len > 40 ? 40 : p->tok.len;
    char raw[64];
    size_t j = 0;
    for (size_t i = 0; i < len && j + 5 < sizeof raw; i++) {
        unsigned char c = (unsigned char)p->s[p->tok.off + i];
        if (c < 0x20 || c == 0x7f)
            j += (size_t)snprintf(raw + j, sizeof raw - j, "\\x%02x", c);
        else
            raw[j++] = (char)c;
    }
    raw[j] = '\0';
    snprintf(buf, n, "\"%s%s\"", raw, p->tok.len > len ? "..." : "");
    return buf;
}

static int expected(parser *p, const char *what)
{
    char d[96];
    return fail_at(p, LF_EPARSE, p->tok.off, "expected %s, found %s", what, tok_desc(p, d, sizeof d));
}

/* Length of a Unicode space the grammar skips at s (UTF-8), 0 if none. */
static size_t uspace(const unsigned char *s, size_t n)
{
    if (n >= 2 && s[0] == 0xc2 && (s[1] == 0x85 || s[1] == 0xa0))
        return 2;
    if (n >= 3 && s[0] == 0xe1 && s[1] == 0x9a && s[2] == 0x80)  /* U+1680 */
        return 3;
    if (n >= 3 && s[0] == 0xe2 && s[1] == 0x80 &&
        ((s[2] >= 0x80 && s[2] <= 0x8a) || s[2] == 0xa8 || s[2] == 0xa9 || s[2] == 0xaf))
        return 3;
    if (n >= 3 && s[0] == 0xe2 && s[1] == 0x81 && s[2] == 0x9f)  /* U+205F */
        return 3;
    if (n >= 3 && s[0] == 0xe3 && s[1] == 0x80 && s[2] == 0x80)  /* U+3000 */
        return 3;
    return 0;
}

static int skip_space(parser *p)
{
    for (;;) {
        if (p->pos >= p->n)
            return LF_OK;
        unsigned char c = (unsigned char)p->s[p->pos];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f') {
            p->pos++;
            continue;
        }
        size_t u = uspace((const unsigned char *)p->s + p->pos, p->n - p->pos);
        if (u) {
            p->pos += u;
            continue;
        }
        if (c == '/' && p->pos + 1 < p->n && p->s[p->pos + 1] == '*') {
            size_t start = p->pos;
            p->pos += 2;
            while (p->pos + 1 < p->n && !(p->s[p->pos] == '*' && p->s[p->pos + 1] == '/'))
                p->pos++;
            if (p->pos + 1 >= p->n)
                return fail_at(p, LF_EPARSE, start, "unterminated /* comment");
            p->pos += 2;
            continue;
        }
        if (c == '/' && p->pos + 1 < p->n && p->s[p->pos + 1] == '/') {
            while (p->pos < p->n && p->s[p->pos] != '\n' && p->s[p->pos] != '\r')
                p->pos++;
            continue;
        }
        return LF_OK;
    }
}

static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int b64val(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

/* Find the closing quote of a literal whose opening quote is at q; strings allow \' and \\. */
static int lex_quoted(parser *p, size_t q, bool escapes, size_t *end)
{
    size_t i = q + 1;
    while (i < p->n) {
        char c = p->s[i];
        if (c == '\'') {
            *end = i;
            return LF_OK;
        }
        if (c == '\\' && escapes) {
            if (i + 1 < p->n && (p->s[i + 1] == '\'' || p->s[i + 1] == '\\')) {
                i += 2;
                continue;
            }
            if (i + 1 >= p->n)
                break;
            return fail_at(p, LF_EPARSE, i, "bad escape in string: only \\' and \\\\ are allowed");
        }
        i++;
    }
    return fail_at(p, LF_EPARSE, q, "unterminated quoted literal");
}

static int lex_string(parser *p, size_t q, token *t)
{
    size_t end;
    int rc = lex_quoted(p, q, true, &end);
    if (rc)
        return rc;
    char *o = lf_arena_alloc(p->a, end - q);
    if (!o)
        return fail_at(p, LF_ENOMEM, q, "out of memory");
    size_t j = 0;
    for (size_t i = q + 1; i < end; i++) {
        if (p->s[i] == '\\')
            i++;
        o[j++] = p->s[i];
    }
    o[j] = '\0';
    t->t = T_STRING;
    t->lit.kind = LF_STIXPAT_LIT_STRING;
    t->lit.str = o;
    t->lit.n = j;
    t->len = end + 1 - t->off;
    p->pos = end + 1;
    return LF_OK;
}

static int lex_prefixed(parser *p, char pre, token *t)
{
    size_t q = p->pos + 1, end;
    int rc = lex_quoted(p, q, false, &end);
    if (rc)
        return rc;
    const char *b = p->s + q + 1;
    size_t n = end - q - 1;
    t->len = end + 1 - t->off;
    p->pos = end + 1;
    if (pre == 'h') {
        if (n % 2)
            return fail_at(p, LF_EPARSE, t->off, "hex literal has an odd number of digits");
        char *o = lf_arena_alloc(p->a, n / 2 + 1);
        if (!o)
            return fail_at(p, LF_ENOMEM, t->off, "out of memory");
        for (size_t i = 0; i < n; i += 2) {
            int hi = hexval(b[i]), lo = hexval(b[i + 1]);
            if (hi < 0 || lo < 0)
                return fail_at(p, LF_EPARSE, q + 1 + i + (hi < 0 ? 0 : 1), "expected a hex digit in h'...'");
            o[i / 2] = (char)(hi * 16 + lo);
        }
        o[n / 2] = '\0';
        t->t = T_HEX;
        t->lit.kind = LF_STIXPAT_LIT_HEX;
        t->lit.str = o;
        t->lit.n = n / 2;
        return LF_OK;
    }
    if (pre == 'b') {
        /* RFC 4648 base64 with padding: groups of four, '=' only at the end. */
        if (n % 4)
            return fail_at(p, LF_EPARSE, t->off, "base64 literal length %zu is not a multiple of 4", n);
        char *o = lf_arena_alloc(p->a, n / 4 * 3 + 1);
        if (!o)
            return fail_at(p, LF_ENOMEM, t->off, "out of memory");
        size_t j = 0;
        for (size_t i = 0; i < n; i += 4) {
            int v[4];
            int pad = 0;
            for (int k = 0; k < 4; k++) {
                char c = b[i + (size_t)k];
                if (c == '=' && i + 4 == n && k >= 2 && (k == 3 || b[i + 3] == '=')) {
                    v[k] = 0;
                    pad++;
                    continue;
                }
                v[k] = pad ? -1 : b64val(c);
                if (v[k] < 0)
                    return fail_at(p, LF_EPARSE, q + 1 + i + (size_t)k, "bad base64 character in b'...'");
            }
            uint32_t w = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 | (uint32_t)v[3];
            o[j++] = (char)(w >> 16);
            if (pad < 2)
                o[j++] = (char)(w >> 8);
            if (pad < 1)
                o[j++] = (char)w;
        }
        o[j] = '\0';
        t->t = T_BINARY;
        t->lit.kind = LF_STIXPAT_LIT_BINARY;
        t->lit.str = o;
        t->lit.n = j;
        return LF_OK;
    }
    if (!lf_stix_time_parse(b, n, NULL))
        return fail_at(p, LF_EPARSE, t->off, "bad timestamp: expected t'YYYY-MM-DDTHH:MM:SS[.s]Z' with a real date");
    char *o = lf_arena_strndup(p->a, b, n);
    if (!o)
        return fail_at(p, LF_ENOMEM, t->off, "out of memory");
    t->t = T_TIMESTAMP;
    t->lit.kind = LF_STIXPAT_LIT_TIMESTAMP;
    t->lit.str = o;
    t->lit.n = n;
    return LF_OK;
}

static int lex_number(parser *p, token *t)
{
    size_t i = p->pos;
    if (p->s[i] == '+' || p->s[i] == '-')
        i++;
    size_t ds = i;
    while (i < p->n && is_digit(p->s[i]))
        i++;
    size_t nd = i - ds;
    bool fl = false;
    if (i < p->n && p->s[i] == '.') {
        size_t fs = ++i;
        while (i < p->n && is_digit(p->s[i]))
            i++;
        if (i == fs)
            return fail_at(p, LF_EPARSE, p->pos, "expected digits after '.' in a number");
        fl = true;
    } else if (nd == 0) {
        return fail_at(p, LF_EPARSE, p->pos, "expected a number after '%c'", p->s[p->pos]);
    }
    if (i < p->n && (is_alpha(p->s[i]) || is_digit(p->s[i])))
        return fail_at(p, LF_EPARSE, i, "unexpected character after a number");
    if (!fl && nd > 1 && p->s[ds] == '0')
        return fail_at(p, LF_EPARSE, p->pos, "integer with a leading zero");
    char *txt = lf_arena_strndup(p->a, p->s + p->pos, i - p->pos);
    if (!txt)
        return fail_at(p, LF_ENOMEM, p->pos, "out of memory");
    t->len = i - p->pos;
    t->lit.str = txt;
    t->lit.n = t->len;
    errno = 0;
    if (fl) {
        t->t = T_FLOAT;
        t->lit.kind = LF_STIXPAT_LIT_FLOAT;
        t->lit.f = strtod(txt, NULL);
        if (errno == ERANGE && isinf(t->lit.f))
            return fail_at(p, LF_EPARSE, p->pos, "number out of range");
    } else {
        t->t = T_INT;
        t->lit.kind = LF_STIXPAT_LIT_INT;
        long long v = strtoll(txt, NULL, 10);
        if (errno == ERANGE)
            return fail_at(p, LF_EPARSE, p->pos, "integer out of the 64-bit range");
        t->lit.i = v;
        t->lit.f = (double)v;
    }
    p->pos = i;
    return LF_OK;
}

/* Read the next token into p->tok. */
static int next(parser *p)
{
    int rc = skip_space(p);
    if (rc)
        return rc;
    token *t = &p->tok;
    memset(t, 0, sizeof *t);
    t->off = p->pos;
    t->lit.off = p->pos;
    if (p->pos >= p->n) {
        t->t = T_EOF;
        return LF_OK;
    }
    char c = p->s[p->pos];
    char c1 = p->pos + 1 < p->n ? p->s[p->pos + 1] : '\0';
    t->len = 1;
    switch (c) {
    case '[': t->t = T_LBRACK; p->pos++; return LF_OK;
    case ']': t->t = T_RBRACK; p->pos++; return LF_OK;
    case '(': t->t = T_LPAREN; p->pos++; return LF_OK;
    case ')': t->t = T_RPAREN; p->pos++; return LF_OK;
    case ',': t->t = T_COMMA; p->pos++; return LF_OK;
    case ':': t->t = T_COLON; p->pos++; return LF_OK;
    case '*': t->t = T_STAR; p->pos++; return LF_OK;
    case '=':
        t->t = T_EQ;
        t->len = c1 == '=' ? 2 : 1;
        p->pos += t->len;
        return LF_OK;
    case '!':
        if (c1 != '=')
            return fail_at(p, LF_EPARSE, p->pos, "expected '!=' ");
        t->t = T_NEQ;
        t->len = 2;
        p->pos += 2;
        return LF_OK;
    case '<':
        t->t = c1 == '=' ? T_LE : c1 == '>' ? T_NEQ : T_LT;
        t->len = t->t == T_LT ? 1 : 2;
        p->pos += t->len;
        return LF_OK;
    case '>':
        t->t = c1 == '=' ? T_GE : T_GT;
        t->len = t->t == T_GT ? 1 : 2;
        p->pos += t->len;
        return LF_OK;
    case '\'':
        return lex_string(p, p->pos, t);
    case '.':
        if (is_digit(c1))
            return lex_number(p, t);
        t->t = T_DOT;
        p->pos++;
        return LF_OK;
    default:
        break;
    }
    if (c == '+' || c == '-' || is_digit(c))
        return lex_number(p, t);
    if ((c == 'b' || c == 'h' || c == 't') && c1 == '\'')
        return lex_prefixed(p, c, t);
    if (is_alpha(c)) {
        size_t i = p->pos + 1;
        while (i < p->n && (is_alpha(p->s[i]) || is_digit(p->s[i]) || p->s[i] == '-')) {
            if (p->s[i] == '-')
                t->hyphen = true;
            i++;
        }
        t->len = i - p->pos;
        t->t = T_IDENT;
        const char *w = p->s + p->pos;
        for (size_t k = 0; k < sizeof keywords / sizeof keywords[0]; k++)
            if (strlen(keywords[k].word) == t->len && !memcmp(keywords[k].word, w, t->len))
                t->t = keywords[k].t;
        if ((t->len == 4 && !memcmp(w, "true", 4)) || (t->len == 5 && !memcmp(w, "false", 5))) {
            t->t = T_BOOL;
            t->lit.kind = LF_STIXPAT_LIT_BOOL;
            t->lit.b = t->len == 4;
            t->lit.str = t->lit.b ? "true" : "false";
            t->lit.n = t->len;
        }
        p->pos = i;
        return LF_OK;
    }
    char q[8];
    return fail_at(p, LF_EPARSE, p->pos, "unexpected character %s", lf_err_byte((unsigned char)c, q));
}

/* ---- parser ------------------------------------------------------------------------ */

static lf_stixpat_node *node_new(parser *p, lf_stixpat_kind k, size_t off)
{
    lf_stixpat_node *n = lf_arena_calloc(p->a, sizeof *n);
    if (!n) {
        fail_at(p, LF_ENOMEM, off, "out of memory");
        return NULL;
    }
    n->kind = k;
    n->off = off;
    return n;
}

/* A growable array in the arena (old blocks are left to the arena). */
static void *grow(parser *p, void *arr, size_t elem, size_t n, size_t *cap)
{
    if (n < *cap)
        return arr;
    size_t nc = *cap ? *cap * 2 : 4;
    void *na = lf_arena_alloc(p->a, nc * elem);
    if (!na) {
        fail_at(p, LF_ENOMEM, p->tok.off, "out of memory");
        return NULL;
    }
    if (n)
        memcpy(na, arr, n * elem);
    *cap = nc;
    return na;
}

static char *tok_text(parser *p)
{
    char *s = lf_arena_strndup(p->a, p->s + p->tok.off, p->tok.len);
    if (!s)
        fail_at(p, LF_ENOMEM, p->tok.off, "out of memory");
    return s;
}

static int parse_path(parser *p, lf_stixpat_path *path)
{
    path->off = p->tok.off;
    if (p->tok.t != T_IDENT)
        return expected(p, "an object path (type:property)");
    if (!(path->type = tok_text(p)))
        return p->code;
    if (next(p))
        return p->code;
    if (p->tok.t != T_COLON)
        return expected(p, "':' after the object type");
    if (next(p))
        return p->code;
    lf_stixpat_step *steps = NULL;
    size_t n = 0, cap = 0;
    bool first = true;
    for (;;) {
        lf_stixpat_step st = {LF_STIXPAT_STEP_KEY, NULL, 0};
        if (first || p->tok.t == T_DOT) {
            if (!first && next(p))
                return p->code;
            if (p->tok.t == T_IDENT && p->tok.hyphen)
                return fail_at(p, LF_EPARSE, p->tok.off,
                               "a property name with '-' must be quoted ('%.*s')", (int)(p->tok.len > 60 ? 60 : p->tok.len),
                               p->s + p->tok.off);
            if (p->tok.t == T_IDENT) {
                if (!(st.key = tok_text(p)))
                    return p->code;
            } else if (p->tok.t == T_STRING) {
                st.key = p->tok.lit.str;
            } else {
                return expected(p, first ? "a property name after ':'" : "a property name after '.'");
            }
            if (next(p))
                return p->code;
            first = false;
        } else if (p->tok.t == T_LBRACK) {
            if (next(p))
                return p->code;
            if (p->tok.t == T_STAR) {
                st.kind = LF_STIXPAT_STEP_ANY;
            } else if (p->tok.t == T_INT) {
                st.kind = LF_STIXPAT_STEP_INDEX;
                st.index = p->tok.lit.i;
            } else {
                return expected(p, "a list index or '*'");
            }
            if (next(p))
                return p->code;
            if (p->tok.t != T_RBRACK)
                return expected(p, "']' after the list index");
            if (next(p))
                return p->code;
        } else {
            break;
        }
        if (!(steps = grow(p, steps, sizeof *steps, n, &cap)))
            return p->code;
        steps[n++] = st;
    }
    path->steps = steps;
    path->nsteps = n;
    return LF_OK;
}

static bool is_literal(tk t)
{
    return t == T_STRING || t == T_INT || t == T_FLOAT || t == T_BINARY || t == T_HEX ||
           t == T_TIMESTAMP || t == T_BOOL;
}

static int one_literal(parser *p, lf_stixpat_node *c, bool orderable, bool string_only, const char *what)
{
    tk t = p->tok.t;
    if (!is_literal(t) || (orderable && t == T_BOOL) || (string_only && t != T_STRING))
        return expected(p, what);
    lf_stixpat_lit *l = lf_arena_alloc(p->a, sizeof *l);
    if (!l)
        return fail_at(p, LF_ENOMEM, p->tok.off, "out of memory");
    *l = p->tok.lit;
    c->lits = l;
    c->nlits = 1;
    return next(p);
}

static int parse_set(parser *p, lf_stixpat_node *c)
{
    if (p->tok.t != T_LPAREN)
        return expected(p, "'(' starting the IN list");
    if (next(p))
        return p->code;
    lf_stixpat_lit *lits = NULL;
    size_t n = 0, cap = 0;
    if (p->tok.t != T_RPAREN) {
        for (;;) {
            if (!is_literal(p->tok.t))
                return expected(p, "a literal in the IN list");
            if (!(lits = grow(p, lits, sizeof *lits, n, &cap)))
                return p->code;
            lits[n++] = p->tok.lit;
            if (next(p))
                return p->code;
            if (p->tok.t == T_RPAREN)
                break;
            if (p->tok.t != T_COMMA)
                return expected(p, "',' or ')' in the IN list");
            if (next(p))
                return p->code;
        }
    }
    c->lits = lits;
    c->nlits = n;
    return next(p);
}

static int parse_cmp_or(parser *p, const lf_stixpat_node **out);

static int parse_cmp_unit(parser *p, const lf_stixpat_node **out)
{
    if (p->tok.t == T_LPAREN) {
        size_t off = p->tok.off;
        if (++p->depth > LF_STIXPAT_MAX_DEPTH)
            return fail_at(p, LF_ELIMIT, off, "parentheses nested deeper than %u", LF_STIXPAT_MAX_DEPTH);
        if (next(p) || parse_cmp_or(p, out))
            return p->code;
        if (p->tok.t != T_RPAREN)
            return expected(p, "')' or AND/OR");
        p->depth--;
        return next(p);
    }
    lf_stixpat_node *c = node_new(p, LF_STIXPAT_CMP, p->tok.off);
    if (!c)
        return p->code;
    p->ncmp++;
    if (p->tok.t == T_EXISTS) {
        c->op = LF_STIXPAT_EXISTS;
        if (next(p) || parse_path(p, &c->path))
            return p->code;
        *out = c;
        return LF_OK;
    }
    if (p->tok.t != T_IDENT)
        return expected(p, "a comparison (object path, EXISTS or '(')");
    if (parse_path(p, &c->path))
        return p->code;
    if (p->tok.t == T_NOT) {
        c->negated = true;
        if (next(p))
            return p->code;
    }
    tk op = p->tok.t;
    if (op != T_EQ && op != T_NEQ && op != T_GT && op != T_LT && op != T_GE && op != T_LE && op != T_IN &&
        op != T_LIKE && op != T_MATCHES && op != T_ISSUBSET && op != T_ISSUPERSET)
        return expected(p, c->negated ? "an operator after NOT (= != < > <= >= IN LIKE MATCHES ISSUBSET ISSUPERSET)"
                                      : "a comparison operator (= != < > <= >= IN LIKE MATCHES ISSUBSET ISSUPERSET)");
    if (next(p))
        return p->code;
    int rc;
    switch (op) {
    case T_EQ: c->op = LF_STIXPAT_EQ; rc = one_literal(p, c, false, false, "a literal after '='"); break;
    case T_NEQ: c->op = LF_STIXPAT_NEQ; rc = one_literal(p, c, false, false, "a literal after '!='"); break;
    case T_GT: c->op = LF_STIXPAT_GT; rc = one_literal(p, c, true, false, "an orderable literal after '>'"); break;
    case T_LT: c->op = LF_STIXPAT_LT; rc = one_literal(p, c, true, false, "an orderable literal after '<'"); break;
    case T_GE: c->op = LF_STIXPAT_GE; rc = one_literal(p, c, true, false, "an orderable literal after '>='"); break;
    case T_LE: c->op = LF_STIXPAT_LE; rc = one_literal(p, c, true, false, "an orderable literal after '<='"); break;
    case T_IN: c->op = LF_STIXPAT_IN; rc = parse_set(p, c); break;
    case T_LIKE: c->op = LF_STIXPAT_LIKE; rc = one_literal(p, c, false, true, "a string after LIKE"); break;
    case T_MATCHES: c->op = LF_STIXPAT_MATCHES; rc = one_literal(p, c, false, true, "a string after MATCHES"); break;
    case T_ISSUBSET: c->op = LF_STIXPAT_ISSUBSET; rc = one_literal(p, c, false, true, "a string after ISSUBSET"); break;
    default: c->op = LF_STIXPAT_ISSUPERSET; rc = one_literal(p, c, false, true, "a string after ISSUPERSET"); break;
    }
    if (rc)
        return p->code;
    *out = c;
    return LF_OK;
}

static int parse_cmp_and(parser *p, const lf_stixpat_node **out)
{
    const lf_stixpat_node *l;
    if (parse_cmp_unit(p, &l))
        return p->code;
    while (p->tok.t == T_AND) {
        lf_stixpat_node *n = node_new(p, LF_STIXPAT_CMP_AND, p->tok.off);
        if (!n || next(p) || parse_cmp_unit(p, &n->b))
            return p->code;
        n->a = l;
        l = n;
    }
    *out = l;
    return LF_OK;
}

static int parse_cmp_or(parser *p, const lf_stixpat_node **out)
{
    const lf_stixpat_node *l;
    if (parse_cmp_and(p, &l))
        return p->code;
    while (p->tok.t == T_OR) {
        lf_stixpat_node *n = node_new(p, LF_STIXPAT_CMP_OR, p->tok.off);
        if (!n || next(p) || parse_cmp_and(p, &n->b))
            return p->code;
        n->a = l;
        l = n;
    }
    *out = l;
    return LF_OK;
}

static int parse_obs(parser *p, const lf_stixpat_node **out);

static int parse_qualifier(parser *p, lf_stixpat_node *q)
{
    tk k = p->tok.t;
    if (next(p))
        return p->code;
    if (k == T_WITHIN) {
        q->qual = LF_STIXPAT_WITHIN;
        if ((p->tok.t != T_INT && p->tok.t != T_FLOAT) || p->tok.lit.f <= 0)
            return expected(p, "a positive number of seconds after WITHIN");
        q->within = p->tok.lit.f;
        if (next(p))
            return p->code;
        if (p->tok.t != T_SECONDS)
            return expected(p, "SECONDS");
        return next(p);
    }
    if (k == T_REPEATS) {
        q->qual = LF_STIXPAT_REPEATS;
        if (p->tok.t != T_INT || p->tok.lit.i <= 0)
            return expected(p, "a positive integer after REPEATS");
        q->repeats = p->tok.lit.i;
        if (next(p))
            return p->code;
        if (p->tok.t != T_TIMES)
            return expected(p, "TIMES");
        return next(p);
    }
    q->qual = LF_STIXPAT_STARTSTOP;
    if (p->tok.t != T_TIMESTAMP)
        return expected(p, "a timestamp t'...' after START");
    q->start = p->tok.lit.str;
    lf_stix_time t0, t1;
    lf_stix_time_parse(p->tok.lit.str, p->tok.lit.n, &t0);
    if (next(p))
        return p->code;
    if (p->tok.t != T_STOP)
        return expected(p, "STOP");
    if (next(p))
        return p->code;
    if (p->tok.t != T_TIMESTAMP)
        return expected(p, "a timestamp t'...' after STOP");
    q->stop = p->tok.lit.str;
    lf_stix_time_parse(p->tok.lit.str, p->tok.lit.n, &t1);
    if (lf_stix_time_cmp(&t1, &t0) <= 0)
        return fail_at(p, LF_EPARSE, p->tok.off, "STOP must be later than START");
    return next(p);
}

static int parse_obs_unit(parser *p, const lf_stixpat_node **out)
{
    const lf_stixpat_node *u;
    size_t off = p->tok.off;
    bool simple = false;
    if (p->tok.t == T_LBRACK) {
        lf_stixpat_node *o = node_new(p, LF_STIXPAT_OBS, off);
        if (!o || next(p) || parse_cmp_or(p, &o->a))
            return p->code;
        if (p->tok.t != T_RBRACK)
            return expected(p, "']' or AND/OR");
        if (next(p))
            return p->code;
        u = o;
        simple = true;
    } else if (p->tok.t == T_LPAREN) {
        if (++p->depth > LF_STIXPAT_MAX_DEPTH)
            return fail_at(p, LF_ELIMIT, off, "parentheses nested deeper than %u", LF_STIXPAT_MAX_DEPTH);
        if (next(p) || parse_obs(p, &u))
            return p->code;
        if (p->tok.t != T_RPAREN)
            return expected(p, "')' or AND/OR/FOLLOWEDBY");
        p->depth--;
        if (next(p))
            return p->code;
    } else {
        return expected(p, "'[' starting an observation expression, or '('");
    }
    unsigned seen = 0;
    while (p->tok.t == T_WITHIN || p->tok.t == T_REPEATS || p->tok.t == T_START) {
        lf_stixpat_node *q = node_new(p, LF_STIXPAT_QUALIFIED, p->tok.off);
        size_t qoff = p->tok.off;
        if (!q || parse_qualifier(p, q))
            return p->code;
        /* the reference validator's rule: one qualifier of each kind per [ ] */
        if (simple && (seen & (1u << q->qual)))
            return fail_at(p, LF_EPARSE, qoff, "a second %s qualifier on the same observation",
                           q->qual == LF_STIXPAT_WITHIN ? "WITHIN" : q->qual == LF_STIXPAT_REPEATS ? "REPEATS" : "START/STOP");
        seen |= 1u << q->qual;
        q->a = u;
        u = q;
    }
    *out = u;
    return LF_OK;
}

static int parse_obs_chain(parser *p, int level, const lf_stixpat_node **out)
{
    static const tk ops[3] = {T_FOLLOWEDBY, T_OR, T_AND};
    static const lf_stixpat_kind kinds[3] = {LF_STIXPAT_FOLLOWEDBY, LF_STIXPAT_OBS_OR, LF_STIXPAT_OBS_AND};
    const lf_stixpat_node *l;
    if (level == 3)
        return parse_obs_unit(p, out);
    if (parse_obs_chain(p, level + 1, &l))
        return p->code;
    while (p->tok.t == ops[level]) {
        lf_stixpat_node *n = node_new(p, kinds[level], p->tok.off);
        if (!n || next(p) || parse_obs_chain(p, level + 1, &n->b))
            return p->code;
        n->a = l;
        l = n;
    }
    *out = l;
    return LF_OK;
}

static int parse_obs(parser *p, const lf_stixpat_node **out)
{
    return parse_obs_chain(p, 0, out);
}

int lf_stixpat_parse(lf_arena *a, const char *text, size_t len, const lf_stixpat **out, lf_err *err)
{
    parser p;
    memset(&p, 0, sizeof p);
    p.a = a;
    p.s = text;
    p.n = len;
    p.err = err;
    if (!a || (!text && len) || !out)
        return lf_err_set(err, LF_EINVAL, "lf_stixpat_parse: NULL argument");
    if (len > LF_STIXPAT_MAX_LEN)
        return fail_at(&p, LF_ELIMIT, 0, "pattern of %zu bytes exceeds the limit of %zu", len, LF_STIXPAT_MAX_LEN);
    const lf_stixpat_node *root;
    if (next(&p) || parse_obs(&p, &root))
        return p.code;
    if (p.tok.t != T_EOF)
        return expected(&p, "AND, OR, FOLLOWEDBY, a qualifier or the end of the pattern");
    lf_stixpat *r = lf_arena_alloc(a, sizeof *r);
    if (!r)
        return fail_at(&p, LF_ENOMEM, 0, "out of memory");
    r->root = root;
    r->ncmp = p.ncmp;
    *out = r;
    return LF_OK;
}

const char *lf_stixpat_op_name(lf_stixpat_op op)
{
    static const char *names[] = {"=", "!=", ">", "<", ">=", "<=", "IN", "LIKE", "MATCHES",
                                  "ISSUBSET", "ISSUPERSET", "EXISTS"};
    return (unsigned)op < sizeof names / sizeof names[0] ? names[op] : "?";
}

/* ---- simple indicators --------------------------------------------------------------- */

static bool dec_octet(const char *s, size_t n, unsigned max, unsigned *out)
{
    if (n == 0 || n > 3 || (n > 1 && s[0] == '0'))
        return false;
    unsigned v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!is_digit(s[i]))
            return false;
        v = v * 10 + (unsigned)(s[i] - '0');
    }
    if (v > max)
        return false;
    if (out)
        *out = v;
    return true;
}

/* Split "addr/prefix"; *alen is the address part. False when the prefix is malformed. */
static bool split_prefix(const char *s, size_t n, unsigned max, size_t *alen, bool *cidr)
{
    const char *slash = memchr(s, '/', n);
    *cidr = slash != NULL;
    *alen = slash ? (size_t)(slash - s) : n;
    if (!slash)
        return true;
    return dec_octet(slash + 1, n - *alen - 1, max, NULL);
}

static const char *check_ipv4(const char *s, size_t n, bool *cidr)
{
    size_t alen;
    if (!split_prefix(s, n, 32, &alen, cidr))
        return "bad CIDR prefix (expected /0 to /32)";
    size_t i = 0;
    for (int part = 0; part < 4; part++) {
        size_t st = i;
        while (i < alen && s[i] != '.')
            i++;
        if (!dec_octet(s + st, i - st, 255, NULL))
            return "not an IPv4 address (four decimal octets 0-255)";
        if (part < 3) {
            if (i >= alen)
                return "not an IPv4 address (four decimal octets 0-255)";
            i++;
        }
    }
    return i == alen ? NULL : "not an IPv4 address (four decimal octets 0-255)";
}

static const char *check_ipv6(const char *s, size_t n, bool *cidr)
{
    size_t alen;
    if (!split_prefix(s, n, 128, &alen, cidr))
        return "bad CIDR prefix (expected /0 to /128)";
    char buf[64];
    unsigned char bin[16];
    if (alen == 0 || alen >= sizeof buf)
        return "not an IPv6 address";
    memcpy(buf, s, alen);
    buf[alen] = '\0';
    if (memchr(buf, '%', alen) || inet_pton(AF_INET6, buf, bin) != 1)
        return "not an IPv6 address";
    return NULL;
}

static const char *check_domain(const char *s, size_t n)
{
    if (n && s[n - 1] == '.')
        n--;   /* a fully qualified name's root dot */
    if (n == 0 || n > 253)
        return "not a domain name (1 to 253 characters)";
    size_t lab = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || s[i] == '.') {
            if (lab == 0 || lab > 63)
                return "not a domain name (each label 1 to 63 characters)";
            if (s[i - 1] == '-' || s[i - lab] == '-')
                return "not a domain name (a label starts or ends with '-')";
            lab = 0;
            continue;
        }
        unsigned char c = (unsigned char)s[i];
        /* letters, digits, '-', '_' (seen in real service names) and UTF-8 for IDN U-labels */
        if (!(is_alpha((char)c) || is_digit((char)c) || c == '-' || c >= 0x80))
            return "not a domain name (a character outside letters, digits and '-')";
        lab++;
    }
    return NULL;
}

static const char *check_url(const char *s, size_t n)
{
    size_t i = 0;
    if (n == 0 || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
        return "not a URL (expected scheme:...)";
    while (i < n && (is_alpha(s[i]) || is_digit(s[i]) || s[i] == '+' || s[i] == '.' || s[i] == '-') && s[i] != '_')
        i++;
    if (i >= n || s[i] != ':' || i + 1 >= n)
        return "not a URL (expected scheme:...)";
    for (size_t k = 0; k < n; k++)
        if ((unsigned char)s[k] <= 0x20 || s[k] == 0x7f)
            return "not a URL (space or control character)";
    return NULL;
}

static const char *check_email(const char *s, size_t n)
{
    const char *at = memchr(s, '@', n);
    if (!at || at == s)
        return "not an e-mail address (local@domain)";
    for (const char *q = s; q < at; q++)
        if ((unsigned char)*q <= 0x20 || *q == 0x7f)
            return "not an e-mail address (space or control character)";
    if (check_domain(at + 1, n - (size_t)(at + 1 - s)))
        return "not an e-mail address (bad domain after '@')";
    return NULL;
}

const char *lf_stixpat_check_ipv4(const char *s, size_t n, bool *cidr)
{
    bool c;
    return check_ipv4(s, n, cidr ? cidr : &c);
}

const char *lf_stixpat_check_ipv6(const char *s, size_t n, bool *cidr)
{
    bool c;
    return check_ipv6(s, n, cidr ? cidr : &c);
}

const char *lf_stixpat_check_domain(const char *s, size_t n) { return check_domain(s, n); }
const char *lf_stixpat_check_url(const char *s, size_t n) { return check_url(s, n); }
const char *lf_stixpat_check_email(const char *s, size_t n) { return check_email(s, n); }

static const char *check_hex(const char *s, size_t n, size_t want)
{
    if (n != want)
        return "hash of the wrong length for its algorithm";
    for (size_t i = 0; i < n; i++)
        if (hexval(s[i]) < 0)
            return "hash is not hexadecimal";
    return NULL;
}

typedef struct ioc_ctx {
    lf_arena *a;
    lf_stixpat_iocs *out;
    size_t cap, rcap;
    int code;
} ioc_ctx;

static int push(ioc_ctx *c, bool rejected, const lf_stixpat_ioc *v)
{
    lf_stixpat_ioc **arr = rejected ? &c->out->rejected : &c->out->items;
    size_t *n = rejected ? &c->out->nrejected : &c->out->n;
    size_t *cap = rejected ? &c->rcap : &c->cap;
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 8;
        lf_stixpat_ioc *na = lf_arena_alloc(c->a, nc * sizeof *na);
        if (!na)
            return LF_ENOMEM;
        if (*n)
            memcpy(na, *arr, *n * sizeof *na);
        *arr = na;
        *cap = nc;
    }
    (*arr)[(*n)++] = *v;
    return LF_OK;
}

static bool key_is(const lf_stixpat_path *p, size_t i, const char *k)
{
    return i < p->nsteps && p->steps[i].kind == LF_STIXPAT_STEP_KEY && !strcmp(p->steps[i].key, k);
}

/* Hash algorithm from a key: the hash-algorithm-ov names, matched ignoring case and '-'. */
static int hash_kind(const char *k, lf_stixpat_ioc_kind *kind, size_t *len)
{
    char norm[16];
    size_t j = 0;
    for (; *k && j + 1 < sizeof norm; k++)
        if (*k != '-')
            norm[j++] = (char)((*k >= 'a' && *k <= 'z') ? *k - 32 : *k);
    if (*k)
        return 0;
    norm[j] = '\0';
    static const struct {
        const char *name;
        lf_stixpat_ioc_kind kind;
        size_t len;
    } algs[] = {{"MD5", LF_STIXPAT_IOC_MD5, 32}, {"SHA1", LF_STIXPAT_IOC_SHA1, 40},
                {"SHA256", LF_STIXPAT_IOC_SHA256, 64}, {"SHA512", LF_STIXPAT_IOC_SHA512, 128}};
    for (size_t i = 0; i < sizeof algs / sizeof algs[0]; i++)
        if (!strcmp(norm, algs[i].name)) {
            *kind = algs[i].kind;
            *len = algs[i].len;
            return 1;
        }
    return 0;
}

typedef enum { V_IP, V_IPV4, V_IPV6, V_DOMAIN, V_URL, V_EMAIL, V_SUBJECT, V_HASH } vkind;

static int on_cmp(ioc_ctx *c, const lf_stixpat_node *n, bool suff)
{
    if (n->negated || (n->op != LF_STIXPAT_EQ && n->op != LF_STIXPAT_IN))
        return LF_OK;
    const lf_stixpat_path *p = &n->path;
    vkind vk;
    lf_stixpat_ioc_kind hk = LF_STIXPAT_IOC_MD5;
    size_t hlen = 0;
    if (!strcmp(p->type, "ipv4-addr") && p->nsteps == 1 && key_is(p, 0, "value"))
        vk = V_IPV4;
    else if (!strcmp(p->type, "ipv6-addr") && p->nsteps == 1 && key_is(p, 0, "value"))
        vk = V_IPV6;
    else if (!strcmp(p->type, "domain-name") && p->nsteps == 1 && key_is(p, 0, "value"))
        vk = V_DOMAIN;
    else if (!strcmp(p->type, "url") && p->nsteps == 1 && key_is(p, 0, "value"))
        vk = V_URL;
    else if (!strcmp(p->type, "email-addr") && p->nsteps == 1 && key_is(p, 0, "value"))
        vk = V_EMAIL;
    else if (!strcmp(p->type, "email-message") && p->nsteps == 1 && key_is(p, 0, "subject"))
        vk = V_SUBJECT;
    else if (!strcmp(p->type, "network-traffic") && p->nsteps == 2 &&
             (key_is(p, 0, "dst_ref") || key_is(p, 0, "src_ref")) && key_is(p, 1, "value"))
        vk = V_IP;
    else if (!strcmp(p->type, "file") && p->nsteps == 2 && key_is(p, 0, "hashes") &&
             p->steps[1].kind == LF_STIXPAT_STEP_KEY && hash_kind(p->steps[1].key, &hk, &hlen))
        vk = V_HASH;
    else
        return LF_OK;
    for (size_t i = 0; i < n->nlits; i++) {
        const lf_stixpat_lit *l = &n->lits[i];
        lf_stixpat_ioc v = {LF_STIXPAT_IOC_IPV4, l->str, l->n, false, suff, n, l->off, NULL};
        const char *why = NULL;
        static const lf_stixpat_ioc_kind base[] = {
            [V_IP] = LF_STIXPAT_IOC_IPV4, [V_IPV4] = LF_STIXPAT_IOC_IPV4, [V_IPV6] = LF_STIXPAT_IOC_IPV6,
            [V_DOMAIN] = LF_STIXPAT_IOC_DOMAIN, [V_URL] = LF_STIXPAT_IOC_URL, [V_EMAIL] = LF_STIXPAT_IOC_EMAIL,
            [V_SUBJECT] = LF_STIXPAT_IOC_EMAIL_SUBJECT, [V_HASH] = LF_STIXPAT_IOC_MD5};
        v.kind = vk == V_HASH ? hk : base[vk];
        if (l->kind != LF_STIXPAT_LIT_STRING) {
            why = "the value is not a string";
        } else if (strlen(l->str) != l->n) {
            why = "the value contains a NUL byte";
        } else {
            switch (vk) {
            case V_IP:
                if (memchr(l->str, ':', l->n)) {
                    v.kind = LF_STIXPAT_IOC_IPV6;
                    why = check_ipv6(l->str, l->n, &v.cidr);
                } else {
                    why = check_ipv4(l->str, l->n, &v.cidr);
                }
                break;
            case V_IPV4: why = check_ipv4(l->str, l->n, &v.cidr); break;
            case V_IPV6: v.kind = LF_STIXPAT_IOC_IPV6; why = check_ipv6(l->str, l->n, &v.cidr); break;
            case V_DOMAIN: v.kind = LF_STIXPAT_IOC_DOMAIN; why = check_domain(l->str, l->n); break;
            case V_URL: v.kind = LF_STIXPAT_IOC_URL; why = check_url(l->str, l->n); break;
            case V_EMAIL: v.kind = LF_STIXPAT_IOC_EMAIL; why = check_email(l->str, l->n); break;
            case V_SUBJECT: v.kind = LF_STIXPAT_IOC_EMAIL_SUBJECT; break;
            case V_HASH: v.kind = hk; why = check_hex(l->str, l->n, hlen); break;
            }
        }
        v.reason = why;
        if (push(c, why != NULL, &v))
            return LF_ENOMEM;
    }
    return LF_OK;
}

/* Left spines in a loop, right operands recursively (their depth is bounded by nesting). */
static int visit(ioc_ctx *c, const lf_stixpat_node *n, bool suff)
{
    while (n) {
        switch (n->kind) {
        case LF_STIXPAT_CMP:
            return on_cmp(c, n, suff);
        case LF_STIXPAT_OBS:
            n = n->a;
            break;
        case LF_STIXPAT_QUALIFIED:
            suff = false;
            n = n->a;
            break;
        case LF_STIXPAT_CMP_OR:
        case LF_STIXPAT_OBS_OR:
            if (visit(c, n->b, suff))
                return LF_ENOMEM;
            n = n->a;
            break;
        case LF_STIXPAT_CMP_AND:
        case LF_STIXPAT_OBS_AND:
        case LF_STIXPAT_FOLLOWEDBY:
            suff = false;
            if (visit(c, n->b, suff))
                return LF_ENOMEM;
            n = n->a;
            break;
        }
    }
    return LF_OK;
}

static int by_off(const void *x, const void *y)
{
    const lf_stixpat_ioc *a = x, *b = y;
    return a->off < b->off ? -1 : a->off > b->off;
}

int lf_stixpat_iocs_get(lf_arena *a, const lf_stixpat *p, lf_stixpat_iocs *out, lf_err *err)
{
    if (!a || !p || !out)
        return lf_err_set(err, LF_EINVAL, "lf_stixpat_iocs_get: NULL argument");
    memset(out, 0, sizeof *out);
    ioc_ctx c = {a, out, 0, 0, 0};
    if (visit(&c, p->root, true))
        return lf_err_set(err, LF_ENOMEM, "out of memory extracting indicators");
    /* the walk meets right operands first; hand them back in pattern order */
    if (out->n)
        qsort(out->items, out->n, sizeof *out->items, by_off);
    if (out->nrejected)
        qsort(out->rejected, out->nrejected, sizeof *out->rejected, by_off);
    return LF_OK;
}

const char *lf_stixpat_ioc_kind_name(lf_stixpat_ioc_kind k)
{
    static const char *names[] = {"ipv4", "ipv6", "domain", "url", "md5", "sha1", "sha256", "sha512",
                                  "email", "email-subject"};
    return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "?";
}
