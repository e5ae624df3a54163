/*
 * version: the one ordering of vendor version strings used against NVD ranges
 * (versionStart/End*, CPE 2.3 version and update values) and inventory versions.
 * The rules are written out in version.h ("RULES"); this file implements them.
 *
 * Design: a single tokenizer (build_key) turns a version into a byte key whose memcmp
 * order IS the version order. lf_version_cmp compares two such keys, so cmp and key
 * agree by construction and cmp is a total preorder on any bytes (memcmp is a total
 * order on byte strings). The one shortcut, fast_cmp for versions of digits and
 * separators only, returns what the keys would; the property tests and the fuzz
 * target hold it to that.
 *
 * Key grammar (every token is self-delimiting, so memcmp over the concatenation
 * compares token by token):
 *     key     := EMPTY | part END [ part END ]          (second part: "+" metadata)
 *     token   := PRE-tag | POST-tag | NUM len digits | WORD letters TERM
 * The order of the tag bytes encodes the rules: pre-release tags < END < WORD <
 * POST tags < NUM in the main part; after a pre-release tag END < NUM < PREWORD.
 * The context switch is safe because it depends only on the key prefix: at the
 * first differing byte of two keys both sides are in the same context.
 */
#include "vans/version.h"

#include <string.h>

/* Key bytes. The numeric values are the ordering; change them only together with
 * the RULES in version.h. */
enum {
    K_EMPTY = 0x00,     /* the whole key of a version with no letter or digit */
    K_TERM = 0x00,      /* ends the letters of a word; below every letter */
    K_DEV = 0x01,       /* pre-release kinds, lowest first (PEP 440 dev first) */
    K_ALPHA = 0x02,
    K_BETA = 0x03,
    K_MILESTONE = 0x04,
    K_PREVIEW = 0x05,
    K_RC = 0x06,
    K_SNAPSHOT = 0x07,  /* Maven: after rc, just before the release */
    K_END = 0x10,       /* end of the main part / of the metadata part */
    K_WORD = 0x20,      /* unknown letters (OpenSSL "a".."zh", Cisco "a", "esr"...) */
    K_BUILD = 0x31,     /* post-release kinds */
    K_HOTFIX = 0x32,
    K_PATCH = 0x33,
    K_REV = 0x34,
    K_CU = 0x35,
    K_SP = 0x36,
    K_POST = 0x37,
    K_NUM = 0x40,       /* + number of significant digits (0..LF_VERSION_MAX), then digits */
    K_PREWORD = 0xD0,   /* a word after a pre-release tag: above every number */
    K_IGNORE = 0xFF     /* classifier result only: the word acts as a separator */
};

/* The largest key: a one-letter word costs 3 bytes, a one-digit number 2, and the two
 * must alternate ("x1x1..."), so 128 input bytes give at most 64 * 5 bytes, plus the
 * END a '+' writes and the final END. */
#define KEY_BOUND (LF_VERSION_MAX / 2 * 5 + 3)
_Static_assert(KEY_BOUND <= LF_VERSION_KEY_MAX, "LF_VERSION_KEY_MAX too small");
_Static_assert(K_NUM + LF_VERSION_MAX < K_PREWORD, "number tags overlap PREWORD");

static inline int is_digit(unsigned c)
{
    return c - '0' < 10u;
}

static inline int is_alpha(unsigned c)
{
    return (c | 0x20u) - 'a' < 26u;
}

/* Multi-letter keywords, matched case-insensitively as whole letter runs. w is
 * zero-padded so a lookup is a fixed-size compare (letters are never zero). */
#define KW_LEN 16

typedef struct kw {
    char w[KW_LEN];
    unsigned char tag;
} kw;

static const kw KEYWORDS[] = {
    {"dev", K_DEV},             {"devel", K_DEV},           {"nightly", K_DEV},
    {"alpha", K_ALPHA},         {"beta", K_BETA},           {"milestone", K_MILESTONE},
    {"dmr", K_MILESTONE},       {"pre", K_PREVIEW},         {"preview", K_PREVIEW},
    {"ea", K_PREVIEW},          {"rc", K_RC},               {"cr", K_RC},
    {"snapshot", K_SNAPSHOT},   {"build", K_BUILD},         {"hotfix", K_HOTFIX},
    {"hf", K_HOTFIX},           {"patch", K_PATCH},         {"pl", K_PATCH},
    {"rev", K_REV},             {"revision", K_REV},        {"cu", K_CU},
    {"cumulative", K_CU},       {"sp", K_SP},               {"pack", K_SP},
    {"servicepack", K_SP},      {"post", K_POST},           {"update", K_IGNORE},
    {"upd", K_IGNORE},          {"service", K_IGNORE},      {"final", K_IGNORE},
    {"release", K_IGNORE},      {"ga", K_IGNORE},           {"stable", K_IGNORE},
    {"lts", K_IGNORE},          {"esr", K_IGNORE},
};

/* What a run of letters means (RULES R5). w: the run in lower case; dnext: a digit
 * follows directly; first: no letter or digit came before; pre: a pre-release tag was
 * emitted. */
static int classify(const unsigned char *w, size_t len, int dnext, int first, int pre)
{
    if (len == 1) {
        unsigned c = w[0];
        if (!dnext)
            return K_WORD;             /* OpenSSL 1.1.1a, Cisco 17.3.8a: a letter suffix */
        if (c == 'u' || (c == 'v' && first))
            return K_IGNORE;           /* Java 8u401; v2.4.1 */
        if (pre)
            return K_WORD;
        switch (c) {
        case 'a': return K_ALPHA;      /* PEP 440 2.0a1 */
        case 'b': return K_BETA;       /* 2.0b1, D-Link 1.06b01 */
        case 'c': return K_RC;         /* PEP 440 1.8c1 */
        case 'm': return K_MILESTONE;  /* Tomcat 11.0.0-M1 */
        case 'p': return K_PATCH;      /* OpenSSH 9.3p1, sudo 1.9.12p1, ONTAP 9.8P7 */
        case 'r': return K_REV;        /* Ivanti 9.1R11.4, Windows 2008 R2, NGINX Plus R22 */
        case 'h': return K_HOTFIX;     /* PAN-OS 10.1.14-h2 */
        default:  return K_WORD;
        }
    }
    if (len >= KW_LEN)
        return K_WORD;
    unsigned char l[KW_LEN] = {0};
    for (size_t i = 0; i < len; i++)
        l[i] = w[i];
    for (size_t i = 0; i < sizeof KEYWORDS / sizeof KEYWORDS[0]; i++) {
        if (KEYWORDS[i].w[0] == (char)l[0] && memcmp(KEYWORDS[i].w, l, KW_LEN) == 0) {
            if (pre && KEYWORDS[i].tag != K_IGNORE)
                return K_WORD;         /* SemVer: identifiers after the first are plain */
            return KEYWORDS[i].tag;
        }
    }
    return K_WORD;
}

/* The tokenizer. out must hold KEY_BOUND bytes. Returns the key length (>= 1). */
static size_t build_key(const unsigned char *s, size_t n, unsigned char *o)
{
    if (n > LF_VERSION_MAX)
        n = LF_VERSION_MAX;
    size_t i = 0, k = 0, zeros = 0;
    int pre = 0, meta = 0, meta_tok = 0, any = 0, first = 1;
    while (i < n) {
        unsigned c = s[i];
        if (is_digit(c)) {
            any = 1;
            first = 0;
            while (i < n && s[i] == '0')
                i++;
            if (i == n || !is_digit(s[i])) {
                zeros++;               /* kept only if a non-zero number follows */
                continue;
            }
            for (; zeros; zeros--)
                o[k++] = K_NUM;
            size_t tag = k++, st = i;
            do
                o[k++] = s[i++];
            while (i < n && is_digit(s[i]));
            o[tag] = (unsigned char)(K_NUM + (i - st));
            meta_tok |= meta;
            continue;
        }
        if (is_alpha(c)) {
            any = 1;
            /* the word goes to the key as it is read; classify may take it back */
            size_t st = i, at = k;
            o[k++] = pre ? K_PREWORD : K_WORD;
            do
                o[k++] = (unsigned char)(s[i++] | 0x20u);
            while (i < n && is_alpha(s[i]));
            int cl = classify(o + at + 1, i - st, i < n && is_digit(s[i]), first, pre);
            first = 0;
            if (cl == K_IGNORE) {
                k = at;
                continue;
            }
            zeros = 0;                 /* 1.0a == 1a, 4.0.0-rc1 == 4-rc1 */
            meta_tok |= meta;
            if (cl == K_WORD) {
                o[k++] = K_TERM;
            } else {
                k = at;
                o[k++] = (unsigned char)cl;
                if (cl < K_END)
                    pre = 1;
            }
            continue;
        }
        if (c == '+' && !meta) {       /* SemVer 2.0.0 section 10: build metadata */
            zeros = 0;
            o[k++] = K_END;
            meta = 1;
            pre = 0;
        }
        i++;
    }
    if (!any) {
        o[0] = K_EMPTY;
        return 1;
    }
    if (!meta || meta_tok)
        o[k++] = K_END;
    return k;
}

size_t lf_version_key(const char *v, size_t n, unsigned char *out, size_t cap)
{
    if (!v)
        n = 0;
    if (out && cap >= KEY_BOUND)
        return build_key((const unsigned char *)v, n, out);
    unsigned char tmp[KEY_BOUND];
    size_t len = build_key((const unsigned char *)v, n, tmp);
    if (out && cap)
        memcpy(out, tmp, len < cap ? len : cap);
    return len;
}

/* Fast path for the common case, versions made of digits and separators only
 * ("120.0.6099.109", "9.16(4)48", "12.1-55.291"): compares number by number without
 * building keys, and gives up (FAST_NO) at the first letter or '+', leaving the case
 * to the keys. It returns exactly what the keys would: a decision is taken only where
 * both keys are already known to differ (see the comments below); the property tests
 * and the fuzz target check it against memcmp of the keys. */
enum { FAST_NO = 2 };

/* Next number: 1 with its significant digits in [*d, *d + *len), 0 at the end,
 * FAST_NO at a letter or '+'. */
static inline int next_num(const unsigned char *s, size_t n, size_t *i, const unsigned char **d,
                           size_t *len)
{
    size_t p = *i;
    while (p < n && !is_digit(s[p])) {
        if (is_alpha(s[p]) || s[p] == '+')
            return FAST_NO;
        p++;
    }
    if (p == n) {
        *i = p;
        return 0;
    }
    while (p < n && s[p] == '0')
        p++;
    size_t st = p;
    while (p < n && is_digit(s[p]))
        p++;
    *d = s + st;
    *len = p - st;
    *i = p;
    return 1;
}

static int fast_cmp(const unsigned char *a, size_t an, const unsigned char *b, size_t bn)
{
    size_t i = 0, j = 0;
    int any_a = 0, any_b = 0;
    for (;;) {
        const unsigned char *da = NULL, *db = NULL;
        size_t la = 0, lb = 0;
        int ra = next_num(a, an, &i, &da, &la);
        int rb = next_num(b, bn, &j, &db, &lb);
        if (ra == FAST_NO || rb == FAST_NO)
            return FAST_NO;
        if (ra == 0 && rb == 0)        /* equal up to zero runs that both drop */
            return any_a == any_b ? 0 : (any_a ? 1 : -1);
        any_a |= ra;
        any_b |= rb;
        /* One side ended (its key has END or EMPTY here) or holds a zero (its key has
         * N0 or, if the zero run is dropped, a tag below every number): the other
         * side's non-zero number is larger either way. Zero against zero or end
         * against zero: undecided, both runs are still pending. */
        if (la == 0 && lb == 0)
            continue;
        if (la == 0)
            return -1;
        if (lb == 0)
            return 1;
        if (la != lb)
            return la < lb ? -1 : 1;
        int r = memcmp(da, db, la);
        if (r)
            return r < 0 ? -1 : 1;
    }
}

int lf_version_ncmp(const char *a, size_t an, const char *b, size_t bn)
{
    if (!a)
        an = 0;
    if (!b)
        bn = 0;
    if (an > LF_VERSION_MAX)
        an = LF_VERSION_MAX;
    if (bn > LF_VERSION_MAX)
        bn = LF_VERSION_MAX;
    if (an == bn && (an == 0 || memcmp(a, b, an) == 0))
        return 0;                      /* same bytes, same key */
    int f = fast_cmp((const unsigned char *)a, an, (const unsigned char *)b, bn);
    if (f != FAST_NO)
        return f;
    unsigned char ka[KEY_BOUND], kb[KEY_BOUND];
    size_t la = build_key((const unsigned char *)a, an, ka);
    size_t lb = build_key((const unsigned char *)b, bn, kb);
    int r = memcmp(ka, kb, la < lb ? la : lb);
    if (r)
        return r < 0 ? -1 : 1;
    return la < lb ? -1 : la > lb;
}

int lf_version_cmp(const char *a, const char *b)
{
    return lf_version_ncmp(a, a ? strnlen(a, LF_VERSION_MAX) : 0, b,
                           b ? strnlen(b, LF_VERSION_MAX) : 0);
}

static int is_space(unsigned c)
{
    return c == ' ' || (c - '\t' < 5u);   /* \t \n \v \f \r */
}

static int is_hex_letter(unsigned c)
{
    return (c | 0x20u) - 'a' < 6u;
}

bool lf_version_orderable(const char *v, size_t n)
{
    if (!v)
        return false;
    if (n > LF_VERSION_MAX)
        n = LF_VERSION_MAX;
    const unsigned char *s = (const unsigned char *)v;
    while (n && is_space(s[0])) {
        s++;
        n--;
    }
    while (n && is_space(s[n - 1]))
        n--;
    int digit = 0, hex_only = 1, hex_letter = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned c = s[i];
        if (is_digit(c))
            digit = 1;
        else if (is_hex_letter(c))
            hex_letter = 1;
        else
            hex_only = 0;
    }
    /* "", "*", "-", "n/a", "unspecified", "x.x.x": nothing to place in an order */
    if (!digit)
        return false;
    /* a bare VCS commit (git abbreviates to 7+ hex digits): orders by history, not text */
    if (hex_only && hex_letter && n >= 7)
        return false;
    return true;
}
