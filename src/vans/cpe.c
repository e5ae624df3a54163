/*
 * cpe: CPE 2.3 names (see cpe.h): unbinding of the formatted string (NISTIR 7695 §6.2.3)
 * and the URI (§6.1.3, including percent-decoding and the packed "~" edition), binding
 * back to both (§6.1.2, §6.2.2), and the attribute / name comparison of NISTIR 7696
 * (§6.1 Table 6-2, §6.2).
 *
 * Everything works on caller storage: a parse writes the WFN-form values one after the
 * other (in attribute order) into lf_cpe.buf, so there is no allocation anywhere.
 *
 * Where the spec's pseudo-code is lenient we follow it and say so: an unquoted
 * punctuation character in a formatted string is quoted on unbinding (7695 §6.2.3
 * add_quoting, e.g. "notepad++" is read as "notepad\+\+"). Where it is silent we are
 * strict: empty formatted-string values, values made only of wildcards other than a
 * run of '?', and language values that are not a language tag (§5.3.2 / §6.2.2) are
 * rejected.
 */
#include "vans/cpe.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const char *const attr_names[LF_CPE_NATTR] = {
    "part", "vendor", "product", "version", "update", "edition",
    "language", "sw_edition", "target_sw", "target_hw", "other",
};

const char *lf_cpe_attr_name(int attr)
{
    if (attr < 0 || attr >= LF_CPE_NATTR)
        return "?";
    return attr_names[attr];
}

void lf_cpe_init(lf_cpe *c)
{
    if (!c)
        return;
    memset(c->kind, LF_CPE_ANY, sizeof(c->kind));
    memset(c->off, 0, sizeof(c->off));
    memset(c->len, 0, sizeof(c->len));
    c->buf[0] = '\0';
}

/* ---- character classes ---------------------------------------------------------- */

static inline bool is_lower_or_digit(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static inline bool is_alnum(unsigned char c)
{
    return is_lower_or_digit(c) || (c >= 'A' && c <= 'Z');
}

static inline unsigned char to_lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

/* Printable ASCII other than letters, digits and space: the characters a WFN quotes. */
static inline bool is_punct(unsigned char c)
{
    return c > 0x20 && c < 0x7f && !is_alnum(c);
}

static inline int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = to_lower(c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

static bool prefix_ieq(const char *s, size_t n, const char *pre)
{
    size_t k = strlen(pre);
    if (n < k)
        return false;
    for (size_t i = 0; i < k; i++)
        if (to_lower((unsigned char)s[i]) != (unsigned char)pre[i])
            return false;
    return true;
}

/* Byte classes for the scanners (7695 Figure 6-3), one lookup per input byte:
 * 1 copy (a-z 0-9 _), 2 upper-case letter, 3 punctuation to quote, 4 '\\', 5 '*',
 * 6 '?', 7 ':', 0 not allowed (controls, space, DEL, non-ASCII). 32 bytes a row. */
enum { FC_BAD = 0, FC_COPY, FC_UPPER, FC_QUOTE, FC_ESC, FC_STAR, FC_QMARK, FC_COLON };

static const unsigned char fs_class[256] = {
    0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
    0,3,3,3,3,3,3,3,3,3,5,3,3,3,3,3,1,1,1,1,1,1,1,1,1,1,7,3,3,3,3,6,
    3,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,3,4,3,3,1,
    3,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,3,3,3,3,0,
    0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
    0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
    0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
    0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
};

/* ---- errors ----------------------------------------------------------------------- */

static int perr(lf_err *err, int code, int attr, size_t col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int perr(lf_err *err, int code, int attr, size_t col, const char *fmt, ...)
{
    if (!err)
        return code;
    char msg[sizeof(err->msg)];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    lf_err_set(err, code, "%s", msg);
    lf_err_at(err, NULL, err->line, (long)col, attr >= 0 ? attr_names[attr] : "");
    return code;
}

static int bad_char(lf_err *err, int attr, unsigned char c, size_t pos)
{
    char q[8];
    return perr(err, LF_EPARSE, attr, pos + 1, "invalid character %s in %s at column %zu",
                lf_err_byte(c, q), attr_names[attr], pos + 1);
}

/* ---- WFN value checks shared by both bindings --------------------------------------- */

/* 7695 §5.3.2 / Figure 6-3 LANGTAG: language = 2*3ALPHA, region = 2ALPHA / 3DIGIT, in
 * WFN form ("en\-us"). Letters are already lower-case here. */
static bool is_langtag(const char *v, size_t n)
{
    size_t i = 0;
    while (i < n && v[i] >= 'a' && v[i] <= 'z')
        i++;
    if (i < 2 || i > 3)
        return false;
    if (i == n)
        return true;
    if (n - i < 2 || v[i] != '\\' || v[i + 1] != '-')
        return false;
    i += 2;
    size_t r = n - i;
    if (r == 2)
        return v[i] >= 'a' && v[i] <= 'z' && v[i + 1] >= 'a' && v[i + 1] <= 'z';
    if (r == 3)
        return v[i] >= '0' && v[i] <= '9' && v[i + 1] >= '0' && v[i + 1] <= '9' &&
               v[i + 2] >= '0' && v[i + 2] <= '9';
    return false;
}

/* Attribute-specific rules once a value is decoded: part is a/o/h (or lianfang's p, see
 * cpe.h), language a tag. */
static int check_attr(lf_err *err, int attr, const char *v, size_t vn, const char *raw,
                      size_t rawn, size_t pos)
{
    if (attr == LF_CPE_PART) {
        if (vn == 1 && (v[0] == 'a' || v[0] == 'o' || v[0] == 'h' || v[0] == 'p'))
            return LF_OK;
        if (rawn == 1) {
            char q[8];
            return perr(err, LF_EPARSE, attr, pos + 1, "part must be a, o, h or p, got %s",
                        lf_err_byte((unsigned char)raw[0], q));
        }
        return perr(err, LF_EPARSE, attr, pos + 1, "part must be a, o, h or p, got '%.*s'",
                    (int)(rawn > 40 ? 40 : rawn), raw);
    }
    if (attr == LF_CPE_LANGUAGE && !is_langtag(v, vn))
        return perr(err, LF_EPARSE, attr, pos + 1,
                    "language must be a language tag such as en or en-us, got '%.*s'",
                    (int)(rawn > 40 ? 40 : rawn), raw);
    return LF_OK;
}

/* Store a decoded value: it already sits at buf + *used; record it and NUL-terminate. */
static void commit_value(lf_cpe *out, int attr, size_t *used, size_t vlen)
{
    out->kind[attr] = LF_CPE_VALUE;
    out->off[attr] = (unsigned short)*used;
    out->len[attr] = (unsigned short)vlen;
    out->buf[*used + vlen] = '\0';
    *used += vlen + 1;
}

static int wfn_overflow(lf_err *err, int attr, size_t pos)
{
    return perr(err, LF_ELIMIT, attr, pos + 1,
                "values need more than %d bytes in WFN form (at %s, column %zu)",
                LF_CPE_MAX, attr_names[attr], pos + 1);
}

/* ---- formatted string (7695 §6.2) ------------------------------------------------- */

/*
 * Unbind the formatted-string component that starts at s[a] and runs to the next
 * unescaped ':' or the end s[n] (7695 §6.2.3 unbind_value_fs and add_quoting): "*" is
 * ANY, "-" is NA, otherwise a value whose characters become WFN form: letters
 * lower-cased, '.' '-' and other punctuation quoted, quoted characters kept, unquoted '*'
 * only first or last, unquoted '?' only in a leading or trailing run. *stop gets the
 * index of the ':' or n. Splitting and decoding are one pass because this is the hot
 * path of feed import.
 */
static int fs_value(lf_cpe *out, int attr, const char *s, size_t a, size_t n, size_t *stop,
                    size_t *used, lf_err *err)
{
    if (a == n || s[a] == ':') {
        *stop = a;
        return perr(err, LF_EPARSE, attr, a + 1,
                    "empty %s at column %zu (use * for ANY or - for NA)", attr_names[attr],
                    a + 1);
    }
    if ((s[a] == '*' || s[a] == '-') && (a + 1 == n || s[a + 1] == ':')) {
        out->kind[attr] = s[a] == '*' ? LF_CPE_ANY : LF_CPE_NA;
        *stop = a + 1;
        return LF_OK;
    }

    char *const d0 = out->buf + *used;
    char *d = d0;
    /* keep one byte for the NUL; each input byte writes at most two, so when twice the
     * rest of the input fits, the per-byte room check is skipped */
    char *const lim = out->buf + LF_CPE_MAX - 1;
    const bool roomy = d0 < lim && (size_t)(lim - d0) >= 2 * (n - a);
    size_t body = 0;      /* characters that are not wildcards */
    bool lead = true;     /* everything so far was an unquoted '?' */
    bool star = false;
    size_t i = a;

    for (; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (roomy && fs_class[c] == FC_COPY) {
            /* the common case: a run of a-z 0-9 _ copied as is */
            size_t j = i;
            do
                *d++ = s[j++];
            while (j < n && fs_class[(unsigned char)s[j]] == FC_COPY);
            body += j - i;
            lead = false;
            i = j - 1;
            continue;
        }
        /* exact room check: a plain character takes one byte, quoted punctuation two
         * (a looser check here refused names the URI parser accepts at the limit) */
        if (!roomy && fs_class[c] != FC_COLON &&
            d + ((fs_class[c] == FC_QUOTE || fs_class[c] == FC_ESC) ? 2 : 1) > lim)
            return wfn_overflow(err, attr, i);
        switch (fs_class[c]) {
        case FC_COPY:
            *d++ = (char)c;
            break;
        case FC_UPPER:
            *d++ = (char)(c + 32);
            break;
        case FC_COLON:
            goto done;
        case FC_QUOTE:
            /* '.' and '-' are unreserved in the binding; all punctuation is quoted in
             * the WFN (add_quoting quotes unquoted punctuation the same way) */
            *d++ = '\\';
            *d++ = (char)c;
            break;
        case FC_ESC: {
            if (i + 1 >= n)
                return perr(err, LF_EPARSE, attr, i + 1,
                            "'\\' at the end of %s quotes nothing (column %zu)",
                            attr_names[attr], i + 1);
            unsigned char q = (unsigned char)s[++i];
            if (q == '_') {
                *d++ = '_';   /* needlessly quoted unreserved character */
            } else if (is_punct(q)) {
                *d++ = '\\';
                *d++ = (char)q;
            } else if (is_alnum(q)) {
                char qb[8];
                return perr(err, LF_EPARSE, attr, i + 1,
                            "quoted %s in %s at column %zu (only punctuation is quoted)",
                            lf_err_byte(q, qb), attr_names[attr], i + 1);
            } else {
                return bad_char(err, attr, q, i);
            }
            break;
        }
        case FC_STAR:
            if (i != a && i + 1 != n && s[i + 1] != ':')
                return perr(err, LF_EPARSE, attr, i + 1,
                            "unquoted '*' inside value (only allowed at either end) in %s "
                            "at column %zu", attr_names[attr], i + 1);
            *d++ = '*';
            star = true;
            lead = false;
            continue;
        case FC_QMARK: {
            if (lead) {
                *d++ = '?';
                continue;
            }
            /* not in the leading run: must start the trailing run */
            size_t j = i;
            while (j < n && s[j] == '?')
                j++;
            if (j < n && s[j] != ':')
                return perr(err, LF_EPARSE, attr, i + 1,
                            "unquoted '?' inside value (only allowed in a run at either "
                            "end) in %s at column %zu", attr_names[attr], i + 1);
            if (d + (j - i) > lim)
                return wfn_overflow(err, attr, i);
            memset(d, '?', j - i);
            d += j - i;
            i = j;
            goto done;
        }
        default:
            return bad_char(err, attr, c, i);
        }
        body++;
        lead = false;
    }
done:
    *stop = i;
    if (body == 0 && star)
        return perr(err, LF_EPARSE, attr, a + 1,
                    "%s at column %zu is only wildcards (a lone * means ANY)",
                    attr_names[attr], a + 1);
    int rc = check_attr(err, attr, d0, (size_t)(d - d0), s + a, i - a, a);
    if (rc)
        return rc;
    commit_value(out, attr, used, (size_t)(d - d0));
    return LF_OK;
}

/* Count the components of a formatted string (unescaped colons + 1) and find the colon
 * that ends the 13th one, for the component-count error. */
static size_t fs_count(const char *s, size_t n, size_t *extra)
{
    size_t k = 1;
    *extra = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\') {
            i++;
        } else if (s[i] == ':') {
            if (k == 13)
                *extra = i;
            k++;
        }
    }
    return k;
}

/* What both bindings check first: arguments, the length limit, and the prefix (the
 * error column is where the input stops agreeing with it). */
static int parse_start(lf_cpe *out, const char *s, size_t n, const char *prefix, const char *what,
                       lf_err *err)
{
    if (!out)
        return lf_err_set(err, LF_EINVAL, "no output");
    lf_cpe_init(out);
    if (!s && n)
        return lf_err_set(err, LF_EINVAL, "no input");
    if (n > LF_CPE_MAX)
        return perr(err, LF_ELIMIT, -1, LF_CPE_MAX + 1,
                    "CPE name is %zu bytes, longer than %d", n, LF_CPE_MAX);
    if (!prefix_ieq(s, n, prefix)) {
        size_t i = 0, pl = strlen(prefix);
        while (i < n && i < pl && to_lower((unsigned char)s[i]) == (unsigned char)prefix[i])
            i++;
        return perr(err, LF_EPARSE, -1, i + 1, "not a %s: expected prefix '%s'", what, prefix);
    }
    return LF_OK;
}

int lf_cpe_parse_fs(lf_cpe *out, const char *s, size_t n, lf_err *err)
{
    int rc0 = parse_start(out, s, n, "cpe:2.3:", "CPE 2.3 formatted string", err);
    if (rc0)
        return rc0;

    size_t used = 0, pos = 8;
    int rc = LF_OK;
    for (int a = 0; a < LF_CPE_NATTR; a++) {
        size_t stop = pos;
        rc = fs_value(out, a, s, pos, n, &stop, &used, err);
        if (rc)
            break;
        pos = stop;
        if (a < LF_CPE_NATTR - 1) {
            if (pos == n) {
                rc = LF_EPARSE;   /* too few: reported below */
                break;
            }
            pos++;   /* the ':' */
        } else if (pos != n) {
            rc = LF_EPARSE;       /* too many: reported below */
        }
    }
    if (rc) {
        /* 7695 §6.2: exactly 13 components; a wrong count explains any other error */
        size_t extra;
        size_t k = fs_count(s, n, &extra);
        if (k != 13) {
            int field = k < 13 ? (int)k - 2 : LF_CPE_OTHER;
            rc = perr(err, LF_EPARSE, field, k < 13 ? n + 1 : extra + 1,
                      "expected 13 colon-separated components, found %zu", k);
        }
        lf_cpe_init(out);
    }
    return rc;
}

/* ---- URI (7695 §6.1) ------------------------------------------------------------- */

/*
 * Decode one URI component (or one field of a packed edition) s[a, b) (7695 §6.1.3
 * decode): "" is ANY, "-" is NA; letters lower-cased; '.', '-', '~' quoted; %xx decoded
 * and quoted, %01 is an unquoted '?' (in a run at either end), %02 an unquoted '*' (at
 * either end). Raw punctuation is quoted like in the formatted string; raw '*' and '?'
 * are refused because the URI spells wildcards %02 / %01.
 */
static int uri_value(lf_cpe *out, int attr, const char *s, size_t a, size_t b, size_t *used,
                     lf_err *err)
{
    size_t n = b - a;
    if (n == 0) {
        out->kind[attr] = LF_CPE_ANY;
        return LF_OK;
    }
    if (n == 1 && s[a] == '-') {
        out->kind[attr] = LF_CPE_NA;
        return LF_OK;
    }

    char *const d0 = out->buf + *used;
    char *d = d0;
    char *const lim = out->buf + LF_CPE_MAX - 1;
    size_t body = 0;
    bool lead = true;     /* everything so far was %01 */
    bool trail = false;   /* inside the checked trailing run of %01 */
    bool star = false;

    for (size_t i = a; i < b; i++) {
        unsigned char c = (unsigned char)s[i];
        if (d + 2 > lim)
            return wfn_overflow(err, attr, i);
        if (is_lower_or_digit(c) || c == '_') {
            *d++ = (char)c;
        } else if (c >= 'A' && c <= 'Z') {
            *d++ = (char)(c + 32);
        } else if (c == '%') {
            int h1 = i + 1 < b ? hexval((unsigned char)s[i + 1]) : -1;
            int h2 = i + 2 < b ? hexval((unsigned char)s[i + 2]) : -1;
            if (h1 < 0 || h2 < 0)
                return perr(err, LF_EPARSE, attr, i + 1,
                            "'%%' not followed by two hex digits in %s at column %zu",
                            attr_names[attr], i + 1);
            unsigned char v = (unsigned char)(h1 * 16 + h2);
            if (v == 0x01) {
                if (!lead && !trail) {
                    /* must start the trailing run of %01 */
                    for (size_t j = i; j < b; j += 3)
                        if (b - j < 3 || memcmp(s + j, "%01", 3) != 0)
                            return perr(err, LF_EPARSE, attr, i + 1,
                                        "%%01 ('?') inside value (only allowed in a run at "
                                        "either end) in %s at column %zu",
                                        attr_names[attr], i + 1);
                    trail = true;
                }
                *d++ = '?';
                i += 2;
                continue;
            }
            if (v == 0x02) {
                if (i != a && i + 3 != b)
                    return perr(err, LF_EPARSE, attr, i + 1,
                                "%%02 ('*') inside value (only allowed at either end) in %s "
                                "at column %zu", attr_names[attr], i + 1);
                *d++ = '*';
                star = true;
                lead = false;
                i += 2;
                continue;
            }
            if (v == '_') {
                *d++ = '_';
            } else if (is_punct(v)) {
                *d++ = '\\';
                *d++ = (char)v;
            } else {
                return perr(err, LF_EPARSE, attr, i + 1,
                            "invalid percent-encoding '%.3s' in %s at column %zu", s + i,
                            attr_names[attr], i + 1);
            }
            i += 2;
        } else if (c == '*' || c == '?') {
            char q[8];
            return perr(err, LF_EPARSE, attr, i + 1,
                        "unencoded %s in %s at column %zu (a URI writes wildcards as %%02 "
                        "and %%01)", lf_err_byte(c, q), attr_names[attr], i + 1);
        } else if (is_punct(c)) {
            *d++ = '\\';
            *d++ = (char)c;
        } else {
            return bad_char(err, attr, c, i);
        }
        body++;
        lead = false;
    }
    if (body == 0 && star)
        return perr(err, LF_EPARSE, attr, a + 1,
                    "%s at column %zu is only wildcards (an empty component means ANY)",
                    attr_names[attr], a + 1);
    int rc = check_attr(err, attr, d0, (size_t)(d - d0), s + a, n, a);
    if (rc)
        return rc;
    commit_value(out, attr, used, (size_t)(d - d0));
    return LF_OK;
}

int lf_cpe_parse_uri(lf_cpe *out, const char *s, size_t n, lf_err *err)
{
    int rc0 = parse_start(out, s, n, "cpe:/", "CPE URI", err);
    if (rc0)
        return rc0;

    /* 7695 §6.1.2 Figure 6-1: at most part..language (7 components); missing trailing
     * components are ANY. */
    size_t start[LF_CPE_NATTR], end[LF_CPE_NATTR];
    for (int a = 0; a < LF_CPE_NATTR; a++)
        start[a] = end[a] = 0;
    size_t k = 0, cs = 5;
    for (size_t i = 5; i <= n; i++) {
        if (i < n && s[i] != ':')
            continue;
        if (k == LF_CPE_LANGUAGE + 1)
            return perr(err, LF_EPARSE, LF_CPE_LANGUAGE, cs,
                        "URI has more than 7 components (part to language)");
        start[k] = cs;
        end[k] = i;
        k++;
        cs = i + 1;
    }

    /* 7695 §6.1.3.2: an edition that starts with '~' packs five attributes. */
    size_t ea = start[LF_CPE_EDITION], eb = end[LF_CPE_EDITION];
    if (eb > ea && s[ea] == '~') {
        size_t t[6], nt = 0;
        for (size_t i = ea; i < eb; i++)
            if (s[i] == '~') {
                if (nt == 5)
                    return perr(err, LF_EPARSE, LF_CPE_EDITION, i + 1,
                                "packed edition has more than 5 '~' (expected "
                                "~edition~sw_edition~target_sw~target_hw~other)");
                t[nt++] = i;
            }
        if (nt != 5)
            return perr(err, LF_EPARSE, LF_CPE_EDITION, ea + 1,
                        "packed edition has %zu '~', expected 5 "
                        "(~edition~sw_edition~target_sw~target_hw~other)", nt);
        t[5] = eb;
        static const int packed[5] = {LF_CPE_EDITION, LF_CPE_SW_EDITION, LF_CPE_TARGET_SW,
                                      LF_CPE_TARGET_HW, LF_CPE_OTHER};
        for (int j = 0; j < 5; j++) {
            start[packed[j]] = t[j] + 1;
            end[packed[j]] = t[j + 1];
        }
    }

    /* decode in attribute order, so buf holds the values in the same layout as after
     * parsing the equivalent formatted string */
    size_t used = 0;
    for (int a = 0; a < LF_CPE_NATTR; a++) {
        int rc = uri_value(out, a, s, start[a], end[a], &used, err);
        if (rc) {
            lf_cpe_init(out);
            return rc;
        }
    }
    return LF_OK;
}

int lf_cpe_parse(lf_cpe *out, const char *s, size_t n, lf_err *err)
{
    if (s && prefix_ieq(s, n, "cpe:/"))
        return lf_cpe_parse_uri(out, s, n, err);
    if (s && prefix_ieq(s, n, "cpe:2.3:"))
        return lf_cpe_parse_fs(out, s, n, err);
    if (!out)
        return lf_err_set(err, LF_EINVAL, "no output");
    lf_cpe_init(out);
    if (!s && n)
        return lf_err_set(err, LF_EINVAL, "no input");
    size_t i = 0;
    while (i < n && i < 4 && to_lower((unsigned char)s[i]) == (unsigned char)"cpe:"[i])
        i++;
    if (i == 4 && n > 4 && s[4] == '2')
        while (i < n && i < 8 && to_lower((unsigned char)s[i]) == (unsigned char)"cpe:2.3:"[i])
            i++;
    return perr(err, LF_EPARSE, -1, i + 1,
                "not a CPE name: expected prefix 'cpe:2.3:' or 'cpe:/'");
}

/* ---- formatting ------------------------------------------------------------------ */

typedef struct {
    char *p;
    size_t n, w;
    bool over;
} sink;

static inline void put(sink *k, char c)
{
    if (k->w + 1 < k->n)
        k->p[k->w++] = c;
    else
        k->over = true;
}

static void puts_(sink *k, const char *s)
{
    while (*s)
        put(k, *s++);
}

static int finish(sink *k)
{
    if (k->n == 0)
        return LF_ELIMIT;
    if (k->over) {
        k->p[0] = '\0';
        return LF_ELIMIT;
    }
    k->p[k->w] = '\0';
    return LF_OK;
}

static inline const char *val(const lf_cpe *c, int a)
{
    return c->buf + c->off[a];
}

/* A value that is exactly "\-" would bind to "-", i.e. NA; keep its quoting instead. */
static inline bool is_lone_hyphen(const lf_cpe *c, int a)
{
    return c->len[a] == 2 && val(c, a)[0] == '\\' && val(c, a)[1] == '-';
}

/* 7695 §6.2.2.2 bind_value_for_formatted_string / process_quoted_chars. */
static void bind_fs_value(sink *k, const lf_cpe *c, int a)
{
    if (c->kind[a] == LF_CPE_ANY) {
        put(k, '*');
        return;
    }
    if (c->kind[a] == LF_CPE_NA) {
        put(k, '-');
        return;
    }
    const char *v = val(c, a);
    size_t n = c->len[a];
    if (is_lone_hyphen(c, a)) {
        puts_(k, "\\-");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (v[i] == '\\' && i + 1 < n) {
            char q = v[++i];
            if (q != '.' && q != '-' && q != '_')
                put(k, '\\');
            put(k, q);
        } else {
            put(k, v[i]);
        }
    }
}

int lf_cpe_format_fs(const lf_cpe *c, char *out, size_t n)
{
    sink k = {out, n, 0, false};
    if (!c || !out)
        return n && out ? (out[0] = '\0', LF_EINVAL) : LF_EINVAL;
    puts_(&k, "cpe:2.3");
    for (int a = 0; a < LF_CPE_NATTR; a++) {
        put(&k, ':');
        bind_fs_value(&k, c, a);
    }
    return finish(&k);
}

/* 7695 §6.1.2.3 bind_value_for_uri / transform_for_uri / pct_encode. */
static void bind_uri_value(sink *k, const lf_cpe *c, int a)
{
    static const char hex[] = "0123456789abcdef";
    if (c->kind[a] == LF_CPE_ANY)
        return;
    if (c->kind[a] == LF_CPE_NA) {
        put(k, '-');
        return;
    }
    const char *v = val(c, a);
    size_t n = c->len[a];
    if (is_lone_hyphen(c, a)) {
        puts_(k, "%2d");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)v[i];
        if (ch == '\\' && i + 1 < n) {
            unsigned char q = (unsigned char)v[++i];
            if (q == '-' || q == '.' || q == '_' || is_alnum(q)) {
                put(k, (char)q);
            } else {
                put(k, '%');
                put(k, hex[q >> 4]);
                put(k, hex[q & 15]);
            }
        } else if (ch == '?') {
            puts_(k, "%01");
        } else if (ch == '*') {
            puts_(k, "%02");
        } else {
            put(k, (char)ch);
        }
    }
}

int lf_cpe_format_uri(const lf_cpe *c, char *out, size_t n)
{
    sink k = {out, n, 0, false};
    if (!c || !out)
        return n && out ? (out[0] = '\0', LF_EINVAL) : LF_EINVAL;
    /* 7695 §6.1.2.3 bind_to_uri: pack the extended attributes into edition when any is
     * set; trailing empty (ANY) components are dropped. */
    bool pack = c->kind[LF_CPE_SW_EDITION] != LF_CPE_ANY ||
                c->kind[LF_CPE_TARGET_SW] != LF_CPE_ANY ||
                c->kind[LF_CPE_TARGET_HW] != LF_CPE_ANY || c->kind[LF_CPE_OTHER] != LF_CPE_ANY;
    int last = -1;
    for (int a = 0; a <= LF_CPE_LANGUAGE; a++)
        if (c->kind[a] != LF_CPE_ANY || (a == LF_CPE_EDITION && pack))
            last = a;
    puts_(&k, "cpe:/");
    for (int a = 0; a <= last; a++) {
        if (a)
            put(&k, ':');
        if (a == LF_CPE_EDITION && pack) {
            static const int packed[5] = {LF_CPE_EDITION, LF_CPE_SW_EDITION,
                                          LF_CPE_TARGET_SW, LF_CPE_TARGET_HW, LF_CPE_OTHER};
            for (int j = 0; j < 5; j++) {
                put(&k, '~');
                bind_uri_value(&k, c, packed[j]);
            }
        } else {
            bind_uri_value(&k, c, a);
        }
    }
    return finish(&k);
}

int lf_cpe_format_wfn(const lf_cpe *c, char *out, size_t n)
{
    sink k = {out, n, 0, false};
    if (!c || !out)
        return n && out ? (out[0] = '\0', LF_EINVAL) : LF_EINVAL;
    puts_(&k, "wfn:[");
    for (int a = 0; a < LF_CPE_NATTR; a++) {
        if (a)
            put(&k, ',');
        puts_(&k, attr_names[a]);
        put(&k, '=');
        if (c->kind[a] == LF_CPE_ANY) {
            puts_(&k, "ANY");
        } else if (c->kind[a] == LF_CPE_NA) {
            puts_(&k, "NA");
        } else {
            put(&k, '"');
            for (size_t i = 0; i < c->len[a]; i++)
                put(&k, val(c, a)[i]);
            put(&k, '"');
        }
    }
    put(&k, ']');
    return finish(&k);
}

/* ---- access and building ----------------------------------------------------------- */

const char *lf_cpe_value(const lf_cpe *c, int attr)
{
    if (!c || attr < 0 || attr >= LF_CPE_NATTR || c->kind[attr] != LF_CPE_VALUE)
        return NULL;
    return val(c, attr);
}

bool lf_cpe_has_wildcards(const lf_cpe *c, int attr)
{
    if (!c || attr < 0 || attr >= LF_CPE_NATTR || c->kind[attr] != LF_CPE_VALUE)
        return false;
    const char *v = val(c, attr);
    for (size_t i = 0; i < c->len[attr]; i++) {
        if (v[i] == '\\')
            i++;
        else if (v[i] == '*' || v[i] == '?')
            return true;
    }
    return false;
}

bool lf_cpe_equal(const lf_cpe *a, const lf_cpe *b)
{
    for (int i = 0; i < LF_CPE_NATTR; i++) {
        if (a->kind[i] != b->kind[i])
            return false;
        if (a->kind[i] == LF_CPE_VALUE &&
            (a->len[i] != b->len[i] || memcmp(val(a, i), val(b, i), a->len[i]) != 0))
            return false;
    }
    return true;
}

int lf_cpe_plain(const lf_cpe *c, int attr, char *out, size_t n)
{
    if (!c || !out || n == 0 || attr < 0 || attr >= LF_CPE_NATTR)
        return -1;
    size_t w = 0;
    if (c->kind[attr] == LF_CPE_VALUE) {
        const char *v = val(c, attr);
        for (size_t i = 0; i < c->len[attr]; i++) {
            if (v[i] == '\\' && i + 1 < c->len[attr])
                i++;
            if (w + 1 >= n) {
                out[0] = '\0';
                return -1;
            }
            out[w++] = v[i];
        }
    }
    out[w] = '\0';
    return (int)w;
}

/* Replace attr's value by the WFN-form v (NULL: kind only), repacking buf in attribute
 * order so replaced values leave no holes. */
static int set_value(lf_cpe *c, int attr, int kind, const char *v, size_t vn)
{
    lf_cpe t;
    size_t used = 0;
    for (int a = 0; a < LF_CPE_NATTR; a++) {
        const char *src = NULL;
        size_t sn = 0;
        t.kind[a] = (unsigned char)(a == attr ? kind : c->kind[a]);
        t.off[a] = 0;
        t.len[a] = 0;
        if (t.kind[a] != LF_CPE_VALUE)
            continue;
        if (a == attr) {
            src = v;
            sn = vn;
        } else {
            src = val(c, a);
            sn = c->len[a];
        }
        if (used + sn + 1 > LF_CPE_MAX)
            return LF_ELIMIT;
        memcpy(t.buf + used, src, sn);
        t.off[a] = (unsigned short)used;
        t.len[a] = (unsigned short)sn;
        t.buf[used + sn] = '\0';
        used += sn + 1;
    }
    if (used == 0)
        t.buf[0] = '\0';
    memcpy(c->kind, t.kind, sizeof(t.kind));
    memcpy(c->off, t.off, sizeof(t.off));
    memcpy(c->len, t.len, sizeof(t.len));
    memcpy(c->buf, t.buf, used ? used : 1);
    return LF_OK;
}

int lf_cpe_set_plain(lf_cpe *c, int attr, const char *s, size_t n)
{
    if (!c || attr < 0 || attr >= LF_CPE_NATTR || (!s && n))
        return LF_EINVAL;
    if (n == 1 && s[0] == '*') {
        lf_cpe_set_any(c, attr);
        return LF_OK;
    }
    if (n == 1 && s[0] == '-') {
        lf_cpe_set_na(c, attr);
        return LF_OK;
    }
    if (n == 0)
        return LF_EINVAL;
    char tmp[LF_CPE_MAX];
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        /* room for this character (two bytes when quoted) and the NUL: the same bound
         * the parsers apply, so any value they accept can be rebuilt from plain text */
        size_t need = (is_alnum(ch) || ch == '_' || ch == ' ') ? 1 : 2;
        if (w + need + 1 > sizeof(tmp))
            return LF_ELIMIT;
        if (is_alnum(ch) || ch == '_')
            tmp[w++] = (char)to_lower(ch);
        else if (ch == ' ')
            tmp[w++] = '_';   /* NVD spells spaces in names as '_' */
        else if (is_punct(ch)) {
            tmp[w++] = '\\';
            tmp[w++] = (char)ch;
        } else {
            return LF_EINVAL;   /* control or non-ASCII: no CPE spelling */
        }
    }
    if (attr == LF_CPE_PART && !(w == 1 && (tmp[0] == 'a' || tmp[0] == 'o' || tmp[0] == 'h' || tmp[0] == 'p')))
        return LF_EINVAL;
    if (attr == LF_CPE_LANGUAGE && !is_langtag(tmp, w))
        return LF_EINVAL;
    return set_value(c, attr, LF_CPE_VALUE, tmp, w);
}

void lf_cpe_set_any(lf_cpe *c, int attr)
{
    if (c && attr >= 0 && attr < LF_CPE_NATTR)
        c->kind[attr] = LF_CPE_ANY;
}

void lf_cpe_set_na(lf_cpe *c, int attr)
{
    if (c && attr >= 0 && attr < LF_CPE_NATTR)
        c->kind[attr] = LF_CPE_NA;
}

/* ---- matching (NISTIR 7696) --------------------------------------------------------- */

/* Unquote a WFN value into plain lower-case characters; wild[i] marks unquoted '*'/'?'. */
static size_t unquote(const char *v, size_t n, char *out, bool *wild)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        bool q = false;
        if (v[i] == '\\' && i + 1 < n) {
            i++;
            q = true;
        }
        if (wild)
            wild[w] = !q && (v[i] == '*' || v[i] == '?');
        out[w++] = (char)to_lower((unsigned char)v[i]);
    }
    return w;
}

static bool ieq(const char *a, size_t an, const char *b, size_t bn)
{
    if (an != bn)
        return false;
    for (size_t i = 0; i < an; i++)
        if (to_lower((unsigned char)a[i]) != to_lower((unsigned char)b[i]))
            return false;
    return true;
}

/*
 * 7696 §6.1.3.2 compare_strings: does the source pattern (wildcards only at its ends)
 * cover the target? '*' matches any sequence (also empty), each '?' exactly one
 * character. Done on unquoted characters, so quoting never shifts a position.
 */
static bool pattern_covers(const char *sv, size_t sn, const char *tv, size_t tn)
{
    char src[LF_CPE_MAX], tgt[LF_CPE_MAX];
    bool wild[LF_CPE_MAX];
    size_t n = unquote(sv, sn, src, wild);
    size_t m = unquote(tv, tn, tgt, NULL);

    size_t bs = 0, be = n, pq = 0, sq = 0;
    bool pstar = false, sstar = false;
    if (n > 0 && wild[0] && src[0] == '*') {
        pstar = true;
        bs = 1;
    } else {
        while (bs < n && wild[bs] && src[bs] == '?') {
            bs++;
            pq++;
        }
    }
    if (be > bs && wild[be - 1] && src[be - 1] == '*') {
        sstar = true;
        be--;
    } else {
        while (be > bs && wild[be - 1] && src[be - 1] == '?') {
            be--;
            sq++;
        }
    }
    const char *body = src + bs;
    size_t bl = be - bs;

    if (!pstar && !sstar)
        return m == pq + bl + sq && memcmp(tgt + pq, body, bl) == 0;
    if (!pstar)   /* fixed prefix, then body, then anything */
        return m >= pq + bl && memcmp(tgt + pq, body, bl) == 0;
    if (!sstar)   /* anything, then body, then exactly sq characters */
        return m >= bl + sq && memcmp(tgt + (m - sq - bl), body, bl) == 0;
    if (bl == 0)
        return true;
    for (size_t i = 0; i + bl <= m; i++)
        if (memcmp(tgt + i, body, bl) == 0)
            return true;
    return false;
}

static bool value_has_wildcards(const char *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (v[i] == '\\') {
            i++;
            continue;
        }
        if (v[i] == '*' || v[i] == '?')
            return true;
    }
    return false;
}

lf_cpe_rel lf_cpe_compare_values(int ks, const char *sv, size_t sn, int kt, const char *tv, size_t tn)
{
    bool twild = kt == LF_CPE_VALUE && value_has_wildcards(tv, tn);
    if (twild)
        return LF_CPE_UNDEFINED;
    if (ks != LF_CPE_VALUE || kt != LF_CPE_VALUE) {
        if (ks == kt)
            return LF_CPE_EQUAL;
        if (ks == LF_CPE_ANY)
            return LF_CPE_SUPERSET;
        if (kt == LF_CPE_ANY)
            return LF_CPE_SUBSET;
        return LF_CPE_DISJOINT;
    }
    if (ieq(sv, sn, tv, tn))
        return LF_CPE_EQUAL;
    if (!value_has_wildcards(sv, sn))
        return LF_CPE_DISJOINT;
    return pattern_covers(sv, sn, tv, tn) ? LF_CPE_SUPERSET : LF_CPE_DISJOINT;
}

lf_cpe_rel lf_cpe_compare_attr(const lf_cpe *src, const lf_cpe *tgt, int attr)
{
    if (!src || !tgt || attr < 0 || attr >= LF_CPE_NATTR)
        return LF_CPE_UNDEFINED;
    int ks = src->kind[attr], kt = tgt->kind[attr];
    /* 7696 §6.1.3.1 compare(): wildcards in the target make the relation undefined
     * (Table 6-2 rows with "m + wild cards" as target) */
    if (lf_cpe_has_wildcards(tgt, attr))
        return LF_CPE_UNDEFINED;
    if (ks != LF_CPE_VALUE || kt != LF_CPE_VALUE) {
        if (ks == kt)
            return LF_CPE_EQUAL;             /* ANY/ANY, NA/NA */
        if (ks == LF_CPE_ANY)
            return LF_CPE_SUPERSET;          /* ANY vs NA or a value */
        if (kt == LF_CPE_ANY)
            return LF_CPE_SUBSET;            /* NA or a value vs ANY */
        return LF_CPE_DISJOINT;              /* NA vs value, value vs NA */
    }
    const char *sv = val(src, attr), *tv = val(tgt, attr);
    size_t sn = src->len[attr], tn = tgt->len[attr];
    if (ieq(sv, sn, tv, tn))
        return LF_CPE_EQUAL;
    if (!lf_cpe_has_wildcards(src, attr))
        return LF_CPE_DISJOINT;
    return pattern_covers(sv, sn, tv, tn) ? LF_CPE_SUPERSET : LF_CPE_DISJOINT;
}

lf_cpe_rel lf_cpe_compare(const lf_cpe *src, const lf_cpe *tgt, lf_cpe_rel out[LF_CPE_NATTR])
{
    bool disjoint = false, all_eq = true, sup = true, sub = true;
    for (int a = 0; a < LF_CPE_NATTR; a++) {
        lf_cpe_rel r = lf_cpe_compare_attr(src, tgt, a);
        if (out)
            out[a] = r;
        if (r == LF_CPE_DISJOINT)
            disjoint = true;
        if (r != LF_CPE_EQUAL)
            all_eq = false;
        if (r != LF_CPE_SUPERSET && r != LF_CPE_EQUAL)
            sup = false;
        if (r != LF_CPE_SUBSET && r != LF_CPE_EQUAL)
            sub = false;
    }
    /* 7696 §6.2: CPE_DISJOINT, CPE_EQUAL, CPE_SUPERSET, CPE_SUBSET in that order */
    if (disjoint)
        return LF_CPE_DISJOINT;
    if (all_eq)
        return LF_CPE_EQUAL;
    if (sup)
        return LF_CPE_SUPERSET;
    if (sub)
        return LF_CPE_SUBSET;
    return LF_CPE_UNDEFINED;
}

bool lf_cpe_match(const lf_cpe *src, const lf_cpe *tgt)
{
    lf_cpe_rel r = lf_cpe_compare(src, tgt, NULL);
    return r == LF_CPE_SUPERSET || r == LF_CPE_EQUAL;
}
