/*
 * pkgver: version orders of package ecosystems (see pkgver.h): dpkg (Debian Policy
 * 5.6.12), rpm (rpmvercmp and EVR order of rpm 4.x), apk-tools, SemVer 2.0.0, PEP 440,
 * Maven's version order specification, NuGet's SemVer, and the generic order of
 * version.h. Each scheme's rules are written next to its code below.
 *
 * Design: every scheme first validates a version while splitting it into spans of the
 * caller's bytes (no copy, no allocation), then compares the spans of two versions in
 * one forward pass. Numbers are compared as digit strings (leading zeros skipped, then
 * the longer string is larger, then memcmp), so any length works and nothing
 * overflows. Only Maven keeps a small token array, on the stack, bounded by
 * PKGVER_MAX. Every comparison is linear in the input length.
 */
#include "vans/pkgver.h"

#include <string.h>

#include "vans/version.h"

/* No scheme here accepts a longer version: real ones are far shorter (the longest in
 * the OSV test vectors is 81 bytes), and a bound keeps Maven's token array on the
 * stack. GENERIC has its own rule (version.h R1). */
#define PKGVER_MAX 256

/* ------------------------------------------------------------------ helpers */

typedef struct span {
    const char *p;
    size_t n;
} span;

static inline bool is_digit(unsigned char c)
{
    return (unsigned)(c - '0') < 10u;
}

static inline bool is_alpha(unsigned char c)
{
    return (unsigned)((c | 0x20u) - 'a') < 26u;
}

static inline bool is_alnum(unsigned char c)
{
    return is_digit(c) || is_alpha(c);
}

static inline bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static inline unsigned char lower(unsigned char c)
{
    return (unsigned char)((unsigned)(c - 'A') < 26u ? c + 32 : c);
}

static inline int sgn(int x)
{
    return (x > 0) - (x < 0);
}

/* Compare two runs of ASCII digits by value, any length. Empty runs are 0. */
static int num_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    while (an > 0 && *a == '0') {
        a++;
        an--;
    }
    while (bn > 0 && *b == '0') {
        b++;
        bn--;
    }
    if (an != bn)
        return an < bn ? -1 : 1;
    return an ? sgn(memcmp(a, b, an)) : 0;   /* an absent number is (NULL, 0) */
}

/* Byte-wise compare, the shorter string first on a common prefix (strcmp order). */
static int bytes_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    size_t m = an < bn ? an : bn;
    int r = m ? memcmp(a, b, m) : 0;
    if (r)
        return sgn(r);
    return (an > bn) - (an < bn);
}

/* The same, ASCII case-insensitively. */
static int icase_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    size_t m = an < bn ? an : bn;
    for (size_t i = 0; i < m; i++) {
        unsigned char x = lower((unsigned char)a[i]), y = lower((unsigned char)b[i]);
        if (x != y)
            return x < y ? -1 : 1;
    }
    return (an > bn) - (an < bn);
}

/* Whether s[0..n) starts with the lower-case word w, ASCII case-insensitively. */
static bool iprefix(const char *s, size_t n, const char *w)
{
    size_t wl = strlen(w);
    if (wl > n)
        return false;
    for (size_t i = 0; i < wl; i++)
        if (lower((unsigned char)s[i]) != (unsigned char)w[i])
            return false;
    return true;
}

static bool ieq(const char *s, size_t n, const char *w)
{
    return strlen(w) == n && iprefix(s, n, w);
}

/* c is one of the bytes of set (never true for NUL). */
static bool in_set(unsigned char c, const char *set)
{
    return c != 0 && strchr(set, c) != NULL;
}

static size_t digits_at(const char *s, size_t n, size_t i)
{
    size_t j = i;
    while (j < n && is_digit((unsigned char)s[j]))
        j++;
    return j - i;
}

/* ------------------------------------------------------------------ names */

static const char *const NAMES[LF_VS_COUNT] = {
    "generic", "unordered", "dpkg", "rpm", "apk", "semver", "pep440", "maven", "nuget",
};

const char *lf_vscheme_name(lf_vscheme s)
{
    if ((unsigned)s >= LF_VS_COUNT)
        return "unknown";
    return NAMES[s];
}

int lf_vscheme_parse(const char *name)
{
    if (!name)
        return -1;
    for (int i = 0; i < LF_VS_COUNT; i++)
        if (ieq(name, strlen(name), NAMES[i]))
            return i;
    return -1;
}

typedef struct eco {
    const char *name;   /* lower case */
    lf_vscheme s;
} eco;

/* OSV ecosystem names (osv-schema "ecosystemName"). Besides the ones pkgver.h lists,
 * the other rpm distributions (openEuler, Azure Linux, Photon OS) and the apk ones
 * (Wolfi, Chainguard, MinimOS) use their family's order. */
static const eco ECOS[] = {
    {"debian", LF_VS_DPKG},       {"ubuntu", LF_VS_DPKG},
    {"almalinux", LF_VS_RPM},     {"rocky linux", LF_VS_RPM},  {"red hat", LF_VS_RPM},
    {"suse", LF_VS_RPM},          {"opensuse", LF_VS_RPM},     {"mageia", LF_VS_RPM},
    {"openeuler", LF_VS_RPM},     {"azure linux", LF_VS_RPM},  {"photon os", LF_VS_RPM},
    {"alpine", LF_VS_APK},        {"wolfi", LF_VS_APK},        {"chainguard", LF_VS_APK},
    {"minimos", LF_VS_APK},
    {"npm", LF_VS_SEMVER},        {"go", LF_VS_SEMVER},        {"crates.io", LF_VS_SEMVER},
    {"hex", LF_VS_SEMVER},        {"pub", LF_VS_SEMVER},
    {"pypi", LF_VS_PEP440},       {"maven", LF_VS_MAVEN},      {"nuget", LF_VS_NUGET},
};

lf_vscheme lf_vscheme_for_ecosystem(const char *e)
{
    if (!e)
        return LF_VS_UNORDERED;
    /* "Debian:12", "Ubuntu:Pro:14.04:LTS", "Alpine:v3.19": the name ends at ':' */
    size_t n = 0;
    while (e[n] && e[n] != ':')
        n++;
    while (n > 0 && is_space((unsigned char)e[n - 1]))
        n--;
    while (n > 0 && is_space((unsigned char)*e)) {
        e++;
        n--;
    }
    for (size_t i = 0; i < sizeof ECOS / sizeof ECOS[0]; i++)
        if (ieq(e, n, ECOS[i].name))
            return ECOS[i].s;
    return LF_VS_UNORDERED;
}

/* ------------------------------------------------------------------ dpkg
 *
 * Debian Policy 5.6.12: [epoch:]upstream_version[-debian_revision].
 *   - Surrounding white space is ignored (dpkg does so); any white space inside, or an
 *     empty string, is invalid.
 *   - The epoch is everything before the first ':'. It must be 1-10 digits with a value
 *     up to 2147483647 (dpkg rejects an empty, non-numeric, negative or too big epoch,
 *     and a version with nothing after the colon). Omitted epoch = 0.
 *   - The revision is everything after the last '-'; it must not be empty, nor the
 *     upstream part before it. Omitted revision compares as "" (dpkg's rule, which
 *     equals "0": 1.0 == 1.0-0).
 *   - Characters: upstream [A-Za-z0-9.+~-:], revision [A-Za-z0-9.+~]. dpkg only warns
 *     about others and about an upstream that does not start with a digit; we reject
 *     other characters (they are not versions, send them to review) but accept a
 *     non-digit start, which dpkg orders normally and which occurs in real archives.
 * Order: epoch numerically, then upstream, then revision, each with verrevcmp:
 * alternate a non-digit part and a digit part; in a non-digit part compare byte by
 * byte with '~' before everything (even the end of the part), then the end, then
 * letters, then all other bytes (in ASCII order); digit parts compare by value.
 */

typedef struct dpkg_ver {
    span e, u, r;   /* e.n == 0: no epoch (0); r.n == 0: no revision ("") */
} dpkg_ver;

static bool dpkg_parse(const char *v, size_t n, dpkg_ver *d)
{
    memset(d, 0, sizeof *d);
    d->r = (span){"", 0};
    while (n > 0 && is_space((unsigned char)*v)) {
        v++;
        n--;
    }
    while (n > 0 && is_space((unsigned char)v[n - 1]))
        n--;
    if (n == 0 || n > PKGVER_MAX)
        return false;
    const char *colon = memchr(v, ':', n);
    size_t at = 0;
    if (colon) {
        size_t en = (size_t)(colon - v);
        if (en == 0 || digits_at(v, n, 0) != en || num_cmp(v, en, "2147483647", 10) > 0)
            return false;
        d->e = (span){v, en};
        at = en + 1;
        if (at == n)
            return false;
    }
    size_t end = n, hy = n;
    for (size_t i = n; i > at; i--)
        if (v[i - 1] == '-') {
            hy = i - 1;
            break;
        }
    if (hy < n) {
        d->r = (span){v + hy + 1, n - hy - 1};
        if (d->r.n == 0)
            return false;
        end = hy;
    }
    d->u = (span){v + at, end - at};
    if (d->u.n == 0)
        return false;
    for (size_t i = 0; i < d->u.n; i++) {
        unsigned char c = (unsigned char)d->u.p[i];
        if (!is_alnum(c) && !in_set(c, ".+~-:"))
            return false;
    }
    for (size_t i = 0; i < d->r.n; i++) {
        unsigned char c = (unsigned char)d->r.p[i];
        if (!is_alnum(c) && !in_set(c, ".+~"))
            return false;
    }
    return true;
}

/* Weight of a byte of a non-digit part; c < 0 is the end of the string. */
static int dpkg_order(int c)
{
    if (c == '~')
        return -1;
    if (c < 0 || is_digit((unsigned char)c))
        return 0;
    if (is_alpha((unsigned char)c))
        return c;
    return c + 256;
}

static int dpkg_verrevcmp(span a, span b)
{
    size_t i = 0, j = 0;
    while (i < a.n || j < b.n) {
        while ((i < a.n && !is_digit((unsigned char)a.p[i])) ||
               (j < b.n && !is_digit((unsigned char)b.p[j]))) {
            int ac = dpkg_order(i < a.n ? (unsigned char)a.p[i] : -1);
            int bc = dpkg_order(j < b.n ? (unsigned char)b.p[j] : -1);
            if (ac != bc)
                return ac < bc ? -1 : 1;
            /* equal weights are the same non-digit byte on both sides: never the end */
            i++;
            j++;
        }
        size_t da = digits_at(a.p, a.n, i), db = digits_at(b.p, b.n, j);
        int r = num_cmp(a.p + i, da, b.p + j, db);
        if (r)
            return r;
        i += da;
        j += db;
    }
    return 0;
}

static int dpkg_cmp(const dpkg_ver *a, const dpkg_ver *b)
{
    int r = num_cmp(a->e.p, a->e.n, b->e.p, b->e.n);
    if (!r)
        r = dpkg_verrevcmp(a->u, b->u);
    if (!r)
        r = dpkg_verrevcmp(a->r, b->r);
    return r;
}

/* ------------------------------------------------------------------ rpm
 *
 * rpm 4.x, rpmvercmp() on each of epoch, version and release:
 *   - Segments are maximal runs of ASCII digits or of ASCII letters; every other byte
 *     (also every byte >= 0x80) is a separator, except '~' and '^'. Separators are
 *     skipped and never compared: 1.0 == 1_0 == 1+.+0.
 *   - '~' sorts before everything, the end included: 1.0~rc1 < 1.0.
 *   - '^' sorts after the end but before any other segment: 1.0 < 1.0^git1 < 1.0.1.
 *   - A numeric segment is newer than an alphabetic one; numeric segments compare by
 *     value (leading zeros ignored), alphabetic ones as strings (case-sensitive).
 *   - When one string runs out, the one with segments left is newer.
 * EVR "[epoch:]version[-release]", split as rpm does: the epoch is a leading run of
 * digits directly followed by ':' (so "1.m+e2:1" has no epoch; ":1" has epoch 0), the
 * release is after the last '-'. Compared: epoch (missing = 0), version, release.
 * Release: when only one side has one, that side is newer (1 < 1-0 < 1-1, and 1 < 1-),
 * which is what rpm 4.18's rpm.ver comparison and OSV's Red Hat order do (the shared
 * vectors check it); rpm's dependency range code instead treats a missing release as
 * matching any, which is not an order.
 * Validity: rpm accepts almost any bytes; we reject the empty string, white space and
 * control bytes (never in a package version, so these are not versions), an empty
 * version part, and strings over PKGVER_MAX bytes.
 */

typedef struct rpm_ver {
    span e, v, r;   /* e.p == NULL: no epoch; r.p == NULL: no release */
} rpm_ver;

static bool rpm_parse(const char *s, size_t n, rpm_ver *o)
{
    memset(o, 0, sizeof *o);
    if (n == 0 || n > PKGVER_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= 0x20 || c == 0x7f)
            return false;
    }
    size_t d = digits_at(s, n, 0), at = 0;
    if (d < n && s[d] == ':') {
        o->e = (span){s, d};
        at = d + 1;
    }
    size_t end = n;
    for (size_t i = n; i > at; i--)
        if (s[i - 1] == '-') {
            end = i - 1;
            o->r = (span){s + i, n - i};
            break;
        }
    o->v = (span){s + at, end - at};
    return o->v.n > 0;
}

static bool rpm_sep(unsigned char c)
{
    return !is_alnum(c) && c != '~' && c != '^';
}

static int rpm_vercmp(span a, span b)
{
    if (a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, a.n) == 0))
        return 0;
    size_t i = 0, j = 0;
    for (;;) {
        while (i < a.n && rpm_sep((unsigned char)a.p[i]))
            i++;
        while (j < b.n && rpm_sep((unsigned char)b.p[j]))
            j++;
        bool ea = i >= a.n, eb = j >= b.n;
        char ca = ea ? 0 : a.p[i], cb = eb ? 0 : b.p[j];
        if (ca == '~' || cb == '~') {
            if (ca != '~')
                return 1;
            if (cb != '~')
                return -1;
            i++;
            j++;
            continue;
        }
        if (ca == '^' || cb == '^') {
            if (ea)
                return -1;
            if (eb)
                return 1;
            if (ca != '^')
                return 1;
            if (cb != '^')
                return -1;
            i++;
            j++;
            continue;
        }
        if (ea || eb)
            break;
        size_t si = i, sj = j;
        bool num = is_digit((unsigned char)ca);
        if (num) {
            while (i < a.n && is_digit((unsigned char)a.p[i]))
                i++;
            while (j < b.n && is_digit((unsigned char)b.p[j]))
                j++;
        } else {
            while (i < a.n && is_alpha((unsigned char)a.p[i]))
                i++;
            while (j < b.n && is_alpha((unsigned char)b.p[j]))
                j++;
        }
        /* b's segment is of the other kind: numbers are newer than letters */
        if (j == sj)
            return num ? 1 : -1;
        int r = num ? num_cmp(a.p + si, i - si, b.p + sj, j - sj)
                    : bytes_cmp(a.p + si, i - si, b.p + sj, j - sj);
        if (r)
            return r;
    }
    if (i >= a.n && j >= b.n)
        return 0;
    return i < a.n ? 1 : -1;
}

static int rpm_cmp(const rpm_ver *a, const rpm_ver *b)
{
    static const span zero = {"0", 1};
    int r = rpm_vercmp(a->e.p ? a->e : zero, b->e.p ? b->e : zero);
    if (!r)
        r = rpm_vercmp(a->v, b->v);
    if (!r) {
        if (a->r.p && b->r.p)
            r = rpm_vercmp(a->r, b->r);
        else
            r = (a->r.p != NULL) - (b->r.p != NULL);
    }
    return r;
}

/* ------------------------------------------------------------------ apk
 *
 * apk-tools (apk-package(5)): number{.number}...{letter}{_suffix{number}}...{~hash}{-r#}
 *   - numbers: ASCII digits, at least one component; letter: one of a-z, which may
 *     be followed by a number: apk-tools reads "9.3p1" (openssh, sudo packages in
 *     Alpine's own data) as 9.3, letter p, number 1, and sorts it after 9.3_p1 and
 *     9.3p and before 9.3p2 and 9.4;
 *   - suffixes, in this order: _alpha < _beta < _pre < _rc < (none) < _cvs < _svn <
 *     _git < _hg < _p, each with an optional number (missing = 0);
 *   - ~hash: lower-case hex commit id, ignored in the order (it cannot be ordered);
 *   - -rN: the package revision (missing = r0; "-r" alone = r0).
 * Anything else (upper-case letters, two letters, unknown suffixes, "1..2", "1.2.r1",
 * a leading '.') is invalid: apk-tools orders such strings by accident of its
 * tokenizer and versions differ between apk 2 and 3, so they go to review.
 * Order: components left to right; the first compares by value; later ones compare
 * by value unless either starts with '0', then as strings ("fractional" components:
 * 1.02 < 1.1); a version that runs out of components while the other has more is
 * older (1.2 < 1.2.0 < 1.2.1). Then the letter (none < a < z) and its number (none <
 * 0 < 1), then suffixes pairwise
 * (a missing suffix is "none"), then the revision.
 */

typedef struct apk_ver {
    span nums;    /* "1.2.3" */
    char letter;  /* 0: none */
    span lnum;    /* digits after the letter ("9.3p1"); lnum.p == NULL: none */
    span sufs;    /* "_rc1_p2" */
    span rev;     /* digits after -r; rev.p == NULL: none */
} apk_ver;

static const char *const APK_SUF[] = {"alpha", "beta", "pre", "rc", "", "cvs", "svn",
                                      "git", "hg", "p"};
enum { APK_SUF_NONE = 4, APK_NSUF = 10 };

/* The suffix word at s[i] (the '_' included): its weight, or -1 when the letters
 * after '_' are not a known suffix; *len is set to the length of '_' + word. */
static int apk_suffix(const char *s, size_t n, size_t i, size_t *len)
{
    size_t j = i + 1;
    while (j < n && s[j] >= 'a' && s[j] <= 'z')
        j++;
    for (int k = 0; k < APK_NSUF; k++)
        if (k != APK_SUF_NONE && strlen(APK_SUF[k]) == j - i - 1 &&
            memcmp(s + i + 1, APK_SUF[k], j - i - 1) == 0) {
            *len = j - i;
            return k;
        }
    return -1;
}

static bool apk_parse(const char *s, size_t n, apk_ver *o)
{
    memset(o, 0, sizeof *o);
    if (n == 0 || n > PKGVER_MAX)
        return false;
    size_t i = 0;
    for (;;) {
        size_t d = digits_at(s, n, i);
        if (d == 0)
            return false;
        i += d;
        if (i < n && s[i] == '.')
            i++;
        else
            break;
    }
    o->nums = (span){s, i};
    if (i < n && s[i] >= 'a' && s[i] <= 'z') {
        o->letter = s[i++];
        size_t d = digits_at(s, n, i);
        if (d > 0)
            o->lnum = (span){s + i, d};
        i += d;
    }
    size_t sb = i;
    while (i < n && s[i] == '_') {
        size_t len;
        if (apk_suffix(s, n, i, &len) < 0)
            return false;
        i += len;
        i += digits_at(s, n, i);
    }
    o->sufs = (span){s + sb, i - sb};
    if (i < n && s[i] == '~') {
        size_t j = ++i;
        while (i < n && (is_digit((unsigned char)s[i]) || (s[i] >= 'a' && s[i] <= 'f')))
            i++;
        if (i == j)
            return false;
    }
    if (i + 1 < n && s[i] == '-' && s[i + 1] == 'r') {
        i += 2;
        size_t d = digits_at(s, n, i);
        o->rev = (span){s + i, d};
        i += d;
    }
    return i == n;
}

static int apk_nums_cmp(span a, span b)
{
    size_t i = 0, j = 0;
    for (int k = 0; i < a.n || j < b.n; k++) {
        if (i >= a.n)
            return -1;
        if (j >= b.n)
            return 1;
        size_t da = digits_at(a.p, a.n, i), db = digits_at(b.p, b.n, j);
        int r;
        if (k > 0 && (a.p[i] == '0' || b.p[j] == '0'))
            r = bytes_cmp(a.p + i, da, b.p + j, db);
        else
            r = num_cmp(a.p + i, da, b.p + j, db);
        if (r)
            return r;
        i += da + 1;   /* past the '.' (or one past the end) */
        j += db + 1;
    }
    return 0;
}

/* Next suffix of a suffix span (already validated): weight and number. */
static void apk_next_suffix(span s, size_t *i, int *w, span *num)
{
    if (*i >= s.n) {
        *w = APK_SUF_NONE;
        *num = (span){"", 0};
        return;
    }
    size_t len = 0;
    *w = apk_suffix(s.p, s.n, *i, &len);
    *i += len;
    size_t d = digits_at(s.p, s.n, *i);
    *num = (span){s.p + *i, d};
    *i += d;
}

static int apk_cmp(const apk_ver *a, const apk_ver *b)
{
    int r = apk_nums_cmp(a->nums, b->nums);
    if (r)
        return r;
    if (a->letter != b->letter)
        return (unsigned char)a->letter < (unsigned char)b->letter ? -1 : 1;
    if (!a->lnum.p != !b->lnum.p)
        return a->lnum.p ? 1 : -1;
    if ((r = num_cmp(a->lnum.p, a->lnum.n, b->lnum.p, b->lnum.n)))
        return r;
    size_t i = 0, j = 0;
    while (i < a->sufs.n || j < b->sufs.n) {
        int wa, wb;
        span na, nb;
        apk_next_suffix(a->sufs, &i, &wa, &na);
        apk_next_suffix(b->sufs, &j, &wb, &nb);
        if (wa != wb)
            return wa < wb ? -1 : 1;
        r = num_cmp(na.p, na.n, nb.p, nb.n);
        if (r)
            return r;
    }
    return num_cmp(a->rev.p, a->rev.n, b->rev.p, b->rev.n);
}

/* ------------------------------------------------------------------ semver
 *
 * SemVer 2.0.0 (semver.org), strictly: MAJOR.MINOR.PATCH, each a number without
 * leading zeros; optional "-" pre-release of dot-separated identifiers
 * [0-9A-Za-z-]+ (numeric ones without leading zeros); optional "+" build metadata of
 * identifiers [0-9A-Za-z-]+. A leading 'v' or 'V' is accepted (Go modules, tags).
 * "1.2", "1.2.3.4" and " 1.2.3" are invalid: OSV SEMVER ranges are strict SemVer and
 * npm's registry only holds strict versions, so a loose string is not guessed at.
 * Precedence (section 11): major, minor, patch by value; a version with a pre-release
 * is lower than without; pre-releases compare identifier by identifier: numeric ones
 * by value, below alphanumeric ones, which compare in ASCII order; a shorter list
 * that is a prefix of the other is lower. Build metadata is ignored (1.0.0+a == 1.0.0+b).
 */

typedef struct sv_ver {
    span core[3];
    span pre;   /* without the '-'; pre.p == NULL: none */
} sv_ver;

/* A dot-separated identifier list at s[i..): returns the end, or 0 on error.
 * numeric_strict: numeric identifiers must not have leading zeros. */
static size_t sv_idents(const char *s, size_t n, size_t i, bool numeric_strict, char stop)
{
    for (;;) {
        size_t b = i;
        bool all_digits = true;
        while (i < n && (is_alnum((unsigned char)s[i]) || s[i] == '-')) {
            all_digits = all_digits && is_digit((unsigned char)s[i]);
            i++;
        }
        if (i == b)
            return 0;
        if (numeric_strict && all_digits && i - b > 1 && s[b] == '0')
            return 0;
        if (i < n && s[i] == '.') {
            i++;
            continue;
        }
        if (i == n || (stop && s[i] == stop))
            return i;
        return 0;
    }
}

static bool sv_parse(const char *s, size_t n, sv_ver *o)
{
    memset(o, 0, sizeof *o);
    if (n == 0 || n > PKGVER_MAX)
        return false;
    size_t i = (s[0] == 'v' || s[0] == 'V') ? 1 : 0;
    for (int k = 0; k < 3; k++) {
        size_t d = digits_at(s, n, i);
        if (d == 0 || (d > 1 && s[i] == '0'))
            return false;
        o->core[k] = (span){s + i, d};
        i += d;
        if (k < 2) {
            if (i >= n || s[i] != '.')
                return false;
            i++;
        }
    }
    if (i < n && s[i] == '-') {
        size_t e = sv_idents(s, n, i + 1, true, '+');
        if (!e)
            return false;
        o->pre = (span){s + i + 1, e - i - 1};
        i = e;
    }
    if (i < n && s[i] == '+') {
        if (!sv_idents(s, n, i + 1, false, 0))
            return false;
        i = n;
    }
    return i == n;
}

/* Identifier-wise precedence of two pre-release lists (SemVer 11.4). fold: compare
 * alphanumeric identifiers case-insensitively (NuGet). */
static int ident_list_cmp(span a, span b, bool fold)
{
    size_t i = 0, j = 0;
    for (;;) {
        if (i >= a.n || j >= b.n)
            return (i < a.n) - (j < b.n);
        size_t ea = i, eb = j;
        bool na = true, nb = true;
        for (; ea < a.n && a.p[ea] != '.'; ea++)
            na = na && is_digit((unsigned char)a.p[ea]);
        for (; eb < b.n && b.p[eb] != '.'; eb++)
            nb = nb && is_digit((unsigned char)b.p[eb]);
        int r;
        if (na && nb)
            r = num_cmp(a.p + i, ea - i, b.p + j, eb - j);
        else if (na != nb)
            r = na ? -1 : 1;
        else if (fold)
            r = icase_cmp(a.p + i, ea - i, b.p + j, eb - j);
        else
            r = bytes_cmp(a.p + i, ea - i, b.p + j, eb - j);
        if (r)
            return r;
        i = ea + 1;
        j = eb + 1;
        /* "1.0.0-a." cannot occur (validated), so i > a.n only at the very end */
        if (i > a.n)
            i = a.n;
        if (j > b.n)
            j = b.n;
    }
}

static int sv_cmp(const sv_ver *a, const sv_ver *b)
{
    for (int k = 0; k < 3; k++) {
        int r = num_cmp(a->core[k].p, a->core[k].n, b->core[k].p, b->core[k].n);
        if (r)
            return r;
    }
    if (!a->pre.p || !b->pre.p)
        return (a->pre.p == NULL) - (b->pre.p == NULL);
    return ident_list_cmp(a->pre, b->pre, false);
}

/* ------------------------------------------------------------------ nuget
 *
 * NuGet (NuGet.Versioning NuGetVersion): 1 to 4 numeric parts
 * major[.minor[.patch[.revision]]], missing parts = 0, leading zeros allowed (1.01 ==
 * 1.1); optional "-" release label of dot-separated identifiers [0-9A-Za-z-]+ and
 * optional "+" metadata. Order: the four parts by value; a version with a label is
 * lower; labels compare identifier-wise as SemVer 2 does, but alphanumeric identifiers
 * case-insensitively (1.0.0-RC1 == 1.0.0-rc1); metadata is ignored. No leading 'v'.
 */

typedef struct nu_ver {
    span part[4];
    span label;   /* label.p == NULL: none */
} nu_ver;

static bool nu_parse(const char *s, size_t n, nu_ver *o)
{
    memset(o, 0, sizeof *o);
    if (n == 0 || n > PKGVER_MAX)
        return false;
    size_t i = 0;
    for (int k = 0; k < 4; k++) {
        size_t d = digits_at(s, n, i);
        if (d == 0)
            return false;
        o->part[k] = (span){s + i, d};
        i += d;
        if (k < 3 && i < n && s[i] == '.')
            i++;
        else
            break;
    }
    if (i < n && s[i] == '-') {
        size_t e = sv_idents(s, n, i + 1, false, '+');
        if (!e)
            return false;
        o->label = (span){s + i + 1, e - i - 1};
        i = e;
    }
    if (i < n && s[i] == '+') {
        if (!sv_idents(s, n, i + 1, false, 0))
            return false;
        i = n;
    }
    return i == n;
}

static int nu_cmp(const nu_ver *a, const nu_ver *b)
{
    for (int k = 0; k < 4; k++) {
        int r = num_cmp(a->part[k].p, a->part[k].n, b->part[k].p, b->part[k].n);
        if (r)
            return r;
    }
    if (!a->label.p || !b->label.p)
        return (a->label.p == NULL) - (b->label.p == NULL);
    return ident_list_cmp(a->label, b->label, true);
}

/* ------------------------------------------------------------------ pep440
 *
 * PEP 440 (and the "packaging" library's parser, which pip uses), case-insensitive,
 * surrounding white space ignored:
 *   [v][N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]
 * with the accepted spellings that normalise to it: pre-release "alpha" = "a",
 * "beta" = "b", "c" = "pre" = "preview" = "rc", with an optional '.', '-' or '_'
 * before and after the tag and an implicit number 0 (1.0a == 1.0a0, 1.0-RC-1 ==
 * 1.0rc1); post-release "post" = "rev" = "r" with the same separators and implicit 0,
 * or "-N" (1.0-1 == 1.0.post1); dev release "dev" likewise (1.0-dev == 1.0.dev0);
 * local version '+' then alphanumeric segments separated by '.', '-' or '_'.
 * Anything else (spaces inside, "1.0.0-beta.2"-style SemVer pre-releases, "latest")
 * is invalid.
 * Order (PEP 440 "Summary of permitted suffixes and relative ordering"):
 * epoch; release, with trailing zeros ignored (1.0 == 1.0.0); then
 *   X.devN < X.aN.devM < X.aN < X.bN < X.rcN < X < X.postN.devM < X.postN
 * i.e. a dev release of a final (no pre, no post) sorts before its pre-releases;
 * then the local version: none < any; segments compare pairwise, numeric ones by value
 * and above alphanumeric ones (compared in lower case); a prefix sorts first.
 */

typedef struct pep_ver {
    span epoch, rel;
    int pre;            /* -1 none, 0 a, 1 b, 2 rc */
    span pre_n;
    bool post, dev;
    span post_n, dev_n;
    span local;         /* without the '+'; local.p == NULL: none */
} pep_ver;

static inline bool pep_sep(char c)
{
    return c == '.' || c == '-' || c == '_';
}

/* Optional separator, then one of words (lower case), then an optional separator and
 * number. Returns the index of the matched word (or -1, i unchanged). */
static int pep_tag(const char *s, size_t n, size_t *i, const char *const *words, int nw,
                   span *num)
{
    size_t j = *i;
    if (j < n && pep_sep(s[j]))
        j++;
    for (int k = 0; k < nw; k++) {
        if (!iprefix(s + j, n - j, words[k]))
            continue;
        j += strlen(words[k]);
        /* the separator after the tag is taken even without a number, as the
         * reference grammar does (1.0a. == 1.0a0, 1.0a.post1 == 1.0a0.post1) */
        if (j < n && pep_sep(s[j]))
            j++;
        size_t d = digits_at(s, n, j);
        *num = (span){s + j, d};
        *i = j + d;
        return k;
    }
    return -1;
}

static const char *const PEP_PRE[] = {"alpha", "a", "beta", "b", "preview", "pre", "c", "rc"};
static const int PEP_PRE_KIND[] = {0, 0, 1, 1, 2, 2, 2, 2};
static const char *const PEP_POST[] = {"post", "rev", "r"};
static const char *const PEP_DEV[] = {"dev"};

static bool pep_parse(const char *s, size_t n, pep_ver *o)
{
    memset(o, 0, sizeof *o);
    o->pre = -1;
    while (n > 0 && is_space((unsigned char)*s)) {
        s++;
        n--;
    }
    while (n > 0 && is_space((unsigned char)s[n - 1]))
        n--;
    if (n == 0 || n > PKGVER_MAX)
        return false;
    size_t i = (s[0] == 'v' || s[0] == 'V') ? 1 : 0;
    size_t d = digits_at(s, n, i);
    if (d > 0 && i + d < n && s[i + d] == '!') {
        o->epoch = (span){s + i, d};
        i += d + 1;
    }
    size_t rb = i;
    for (;;) {
        d = digits_at(s, n, i);
        if (d == 0)
            return false;
        i += d;
        if (i + 1 < n && s[i] == '.' && is_digit((unsigned char)s[i + 1]))
            i++;
        else
            break;
    }
    o->rel = (span){s + rb, i - rb};
    int k = pep_tag(s, n, &i, PEP_PRE, 8, &o->pre_n);
    if (k >= 0)
        o->pre = PEP_PRE_KIND[k];
    if (i + 1 < n && s[i] == '-' && is_digit((unsigned char)s[i + 1])) {
        d = digits_at(s, n, i + 1);
        o->post = true;
        o->post_n = (span){s + i + 1, d};
        i += 1 + d;
    } else if (pep_tag(s, n, &i, PEP_POST, 3, &o->post_n) >= 0) {
        o->post = true;
    }
    if (pep_tag(s, n, &i, PEP_DEV, 1, &o->dev_n) >= 0)
        o->dev = true;
    if (i < n && s[i] == '+') {
        size_t lb = ++i;
        for (;;) {
            size_t b = i;
            while (i < n && is_alnum((unsigned char)s[i]))
                i++;
            if (i == b)
                return false;
            if (i + 1 < n && pep_sep(s[i]))
                i++;
            else
                break;
        }
        o->local = (span){s + lb, i - lb};
    }
    return i == n;
}

/* Release segments pairwise, a missing segment being 0. */
static int dotted_cmp(span a, span b)
{
    size_t i = 0, j = 0;
    while (i < a.n || j < b.n) {
        size_t da = digits_at(a.p, a.n, i), db = digits_at(b.p, b.n, j);
        int r = num_cmp(a.p + i, da, b.p + j, db);
        if (r)
            return r;
        i = i + da < a.n ? i + da + 1 : a.n;
        j = j + db < b.n ? j + db + 1 : b.n;
    }
    return 0;
}

/* The pre-release rank: 0 dev of a final, 1..3 a/b/rc, 4 none. */
static int pep_pre_rank(const pep_ver *v)
{
    if (v->pre < 0)
        return (!v->post && v->dev) ? 0 : 4;
    return 1 + v->pre;
}

static int pep_local_cmp(span a, span b)
{
    if (!a.p || !b.p)
        return (a.p != NULL) - (b.p != NULL);
    size_t i = 0, j = 0;
    for (;;) {
        if (i >= a.n || j >= b.n)
            return (i < a.n) - (j < b.n);
        size_t ea = i, eb = j;
        bool na = true, nb = true;
        for (; ea < a.n && !pep_sep(a.p[ea]); ea++)
            na = na && is_digit((unsigned char)a.p[ea]);
        for (; eb < b.n && !pep_sep(b.p[eb]); eb++)
            nb = nb && is_digit((unsigned char)b.p[eb]);
        int r;
        if (na && nb)
            r = num_cmp(a.p + i, ea - i, b.p + j, eb - j);
        else if (na != nb)
            r = na ? 1 : -1;
        else
            r = icase_cmp(a.p + i, ea - i, b.p + j, eb - j);
        if (r)
            return r;
        i = ea < a.n ? ea + 1 : a.n;
        j = eb < b.n ? eb + 1 : b.n;
    }
}

static int pep_cmp(const pep_ver *a, const pep_ver *b)
{
    int r = num_cmp(a->epoch.p, a->epoch.n, b->epoch.p, b->epoch.n);
    if (!r)
        r = dotted_cmp(a->rel, b->rel);
    if (r)
        return r;
    int ra = pep_pre_rank(a), rb = pep_pre_rank(b);
    if (ra != rb)
        return ra < rb ? -1 : 1;
    if (ra >= 1 && ra <= 3 && (r = num_cmp(a->pre_n.p, a->pre_n.n, b->pre_n.p, b->pre_n.n)))
        return r;
    if (a->post != b->post)
        return a->post ? 1 : -1;
    if (a->post && (r = num_cmp(a->post_n.p, a->post_n.n, b->post_n.p, b->post_n.n)))
        return r;
    if (a->dev != b->dev)
        return a->dev ? -1 : 1;
    if (a->dev && (r = num_cmp(a->dev_n.p, a->dev_n.n, b->dev_n.p, b->dev_n.n)))
        return r;
    return pep_local_cmp(a->local, b->local);
}

/* ------------------------------------------------------------------ maven
 *
 * Maven's "Version Order Specification" (POM reference), the order of
 * ComparableVersion in Maven 3 and of OSV's Maven ecosystem:
 *   - Case-insensitive. The version is split into tokens at '.', at '-' and at every
 *     transition between a digit and a non-digit; a transition counts as '-'. Each
 *     token remembers its separator ("prefix"); the first counts as '.'. An empty
 *     token is "0" (1..2 == 1.0.2). A qualifier always counts as '-' prefixed
 *     (".qualifier" = "-qualifier" in the Maven 3.9 specification, so 1.foo ==
 *     1-foo and 2.0.a == 2-a, as ComparableVersion's test sequences require).
 *   - Numbers compare by value. Qualifiers: alpha < beta < milestone < rc = cr <
 *     snapshot < "" = ga = final = release < sp < every other qualifier, those in
 *     lexical order; a, b and m directly followed by a digit mean alpha, beta and
 *     milestone (1a1 == 1-alpha-1, but "1-a" is the unknown qualifier "a").
 *   - Trailing "null" tokens (0 and the "" qualifier family) are trimmed from the
 *     end, and again before every remaining '-' token, from the end to the start:
 *     1.0.0 == 1, 1.0-alpha == 1-alpha, 1-ga-1 == 1-1 (the first token is never
 *     trimmed).
 *   - Token by token: same prefix: numbers by value, a number above a qualifier,
 *     qualifiers as above; different prefixes: -qualifier < -number < .number. The
 *     shorter version is padded with nulls of the other's prefix: "0" for '.', ""
 *     for '-' (so 1 < 1.1, 1-snapshot < 1 < 1-sp, 1 < 1-1, 1.alpha < 1).
 * Every string is a Maven version; only the empty string, control bytes and white
 * space, and strings over PKGVER_MAX bytes are rejected.
 */

enum { MV_ALPHA, MV_BETA, MV_MILESTONE, MV_RC, MV_SNAPSHOT, MV_RELEASE, MV_SP, MV_OTHER,
       MV_NUMBER };

typedef struct mv_tok {
    unsigned short off, len;   /* numbers: without leading zeros */
    unsigned char dash;        /* prefix '-' (else '.') */
    unsigned char kind;        /* MV_* */
} mv_tok;

typedef struct mv_ver {
    const char *s;
    mv_tok t[PKGVER_MAX + 1];
    size_t n;
} mv_ver;

static unsigned char mv_kind(const char *s, size_t n, bool before_digit)
{
    if (n == 0 || ieq(s, n, "ga") || ieq(s, n, "final") || ieq(s, n, "release"))
        return MV_RELEASE;
    if (ieq(s, n, "alpha") || (before_digit && ieq(s, n, "a")))
        return MV_ALPHA;
    if (ieq(s, n, "beta") || (before_digit && ieq(s, n, "b")))
        return MV_BETA;
    if (ieq(s, n, "milestone") || (before_digit && ieq(s, n, "m")))
        return MV_MILESTONE;
    if (ieq(s, n, "rc") || ieq(s, n, "cr"))
        return MV_RC;
    if (ieq(s, n, "snapshot"))
        return MV_SNAPSHOT;
    if (ieq(s, n, "sp"))
        return MV_SP;
    return MV_OTHER;
}

static bool mv_null(const mv_tok *t, const char *s)
{
    if (t->kind == MV_NUMBER)
        return t->len == 0 || (t->len == 1 && s[t->off] == '0');
    return t->kind == MV_RELEASE;
}

static bool mv_parse(const char *s, size_t n, mv_ver *o)
{
    o->s = s;
    o->n = 0;
    if (n == 0 || n > PKGVER_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= 0x20 || c == 0x7f)
            return false;
    }
    size_t i = 0;
    bool dash = false;
    for (;;) {
        /* one '.'/'-' piece, split at digit transitions */
        size_t e = i;
        while (e < n && s[e] != '.' && s[e] != '-')
            e++;
        size_t b = i;
        do {
            size_t t = b;
            bool dig = t < e && is_digit((unsigned char)s[t]);
            while (t < e && is_digit((unsigned char)s[t]) == dig)
                t++;
            mv_tok *k = &o->t[o->n++];
            k->dash = dash || b > i;
            if (dig || t == b) {
                size_t z = b;
                while (z + 1 < t && s[z] == '0')
                    z++;
                k->kind = MV_NUMBER;
                k->off = (unsigned short)z;
                k->len = (unsigned short)(t - z);
                if (t == b) {   /* empty piece: "0" */
                    k->off = 0;
                    k->len = 0;
                }
            } else {
                k->dash = 1;
                k->kind = mv_kind(s + b, t - b, t < e);
                k->off = (unsigned short)b;
                k->len = (unsigned short)(t - b);
            }
            b = t;
        } while (b < e);
        if (e >= n)
            break;
        dash = s[e] == '-';
        i = e + 1;
    }
    /* trim: from the end, null tokens; then the same before each '-' token */
    size_t keep = o->n, w;
    bool drop[PKGVER_MAX + 1] = {false};
    size_t k = o->n - 1;
    while (k > 0) {
        if (mv_null(&o->t[k], s)) {
            drop[k] = true;
            k--;
            continue;
        }
        while (k > 0 && !o->t[k].dash)
            k--;
        if (k == 0)
            break;
        k--;
    }
    for (k = 0, w = 0; k < keep; k++)
        if (!drop[k])
            o->t[w++] = o->t[k];
    o->n = w;
    return true;
}

static int mv_rank(const mv_tok *t)
{
    /* -qualifier < -number < .number (a qualifier is always '-') */
    if (t->kind == MV_NUMBER)
        return t->dash ? 2 : 3;
    return 1;
}

/* x or y may be NULL: the pad of the other's prefix. */
static int mv_tok_cmp(const mv_ver *va, const mv_tok *x, const mv_ver *vb, const mv_tok *y)
{
    static const mv_tok zero = {0, 0, 0, MV_NUMBER}, rel = {0, 0, 0, MV_RELEASE};
    bool xpad = !x, ypad = !y;
    /* a '.' pad is the number 0, a '-' pad the "" qualifier */
    if (xpad)
        x = y->dash ? &rel : &zero;
    if (ypad)
        y = x->dash ? &rel : &zero;
    bool xdash = xpad ? y->dash : x->dash, ydash = ypad ? x->dash : y->dash;
    if (xdash != ydash) {
        mv_tok xx = *x, yy = *y;
        xx.dash = xdash;
        yy.dash = ydash;
        return sgn(mv_rank(&xx) - mv_rank(&yy));
    }
    if (x->kind == MV_NUMBER && y->kind == MV_NUMBER)
        return num_cmp(xpad ? "" : va->s + x->off, x->len, ypad ? "" : vb->s + y->off,
                       y->len);
    if (x->kind == MV_NUMBER)
        return 1;
    if (y->kind == MV_NUMBER)
        return -1;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    if (x->kind == MV_OTHER)
        return icase_cmp(va->s + x->off, x->len, vb->s + y->off, y->len);
    return 0;
}

static int mv_cmp(const mv_ver *a, const mv_ver *b)
{
    size_t m = a->n > b->n ? a->n : b->n;
    for (size_t i = 0; i < m; i++) {
        const mv_tok *x = i < a->n ? &a->t[i] : NULL;
        const mv_tok *y = i < b->n ? &b->t[i] : NULL;
        int r = mv_tok_cmp(a, x, b, y);
        if (r)
            return r;
    }
    return 0;
}

/* ------------------------------------------------------------------ dispatch */

bool lf_pkgver_valid(lf_vscheme s, const char *v, size_t n)
{
    if (!v)
        return false;
    switch (s) {
    case LF_VS_GENERIC:
        return lf_version_orderable(v, n);
    case LF_VS_DPKG: {
        dpkg_ver d;
        return dpkg_parse(v, n, &d);
    }
    case LF_VS_RPM: {
        rpm_ver r;
        return rpm_parse(v, n, &r);
    }
    case LF_VS_APK: {
        apk_ver a;
        return apk_parse(v, n, &a);
    }
    case LF_VS_SEMVER: {
        sv_ver x;
        return sv_parse(v, n, &x);
    }
    case LF_VS_PEP440: {
        pep_ver p;
        return pep_parse(v, n, &p);
    }
    case LF_VS_MAVEN: {
        mv_ver m;
        return mv_parse(v, n, &m);
    }
    case LF_VS_NUGET: {
        nu_ver u;
        return nu_parse(v, n, &u);
    }
    default:
        return false;
    }
}

bool lf_pkgver_cmp(lf_vscheme s, const char *a, size_t an, const char *b, size_t bn, int *out)
{
    int r = 0;
    if (out)
        *out = 0;
    if (!a || !b)
        return false;
    switch (s) {
    case LF_VS_GENERIC:
        if (!lf_version_orderable(a, an) || !lf_version_orderable(b, bn))
            return false;
        r = lf_version_ncmp(a, an, b, bn);
        break;
    case LF_VS_DPKG: {
        dpkg_ver x, y;
        if (!dpkg_parse(a, an, &x) || !dpkg_parse(b, bn, &y))
            return false;
        r = dpkg_cmp(&x, &y);
        break;
    }
    case LF_VS_RPM: {
        rpm_ver x, y;
        if (!rpm_parse(a, an, &x) || !rpm_parse(b, bn, &y))
            return false;
        r = rpm_cmp(&x, &y);
        break;
    }
    case LF_VS_APK: {
        apk_ver x, y;
        if (!apk_parse(a, an, &x) || !apk_parse(b, bn, &y))
            return false;
        r = apk_cmp(&x, &y);
        break;
    }
    case LF_VS_SEMVER: {
        sv_ver x, y;
        if (!sv_parse(a, an, &x) || !sv_parse(b, bn, &y))
            return false;
        r = sv_cmp(&x, &y);
        break;
    }
    case LF_VS_PEP440: {
        pep_ver x, y;
        if (!pep_parse(a, an, &x) || !pep_parse(b, bn, &y))
            return false;
        r = pep_cmp(&x, &y);
        break;
    }
    case LF_VS_MAVEN: {
        mv_ver x, y;
        if (!mv_parse(a, an, &x) || !mv_parse(b, bn, &y))
            return false;
        r = mv_cmp(&x, &y);
        break;
    }
    case LF_VS_NUGET: {
        nu_ver x, y;
        if (!nu_parse(a, an, &x) || !nu_parse(b, bn, &y))
            return false;
        r = nu_cmp(&x, &y);
        break;
    }
    default:
        return false;
    }
    if (out)
        *out = sgn(r);
    return true;
}

bool lf_pkgver_cmpz(lf_vscheme s, const char *a, const char *b, int *out)
{
    if (out)
        *out = 0;
    if (!a || !b)
        return false;
    return lf_pkgver_cmp(s, a, strlen(a), b, strlen(b), out);
}

bool lf_pkgver_cmp_installed(lf_vscheme s, const char *inst, size_t in, const char *bound, size_t bn, int *out)
{
    if (s == LF_VS_RPM && !memchr(inst, ':', in)) {
        size_t d = 0;
        while (d < bn && bound[d] >= '0' && bound[d] <= '9')
            d++;
        if (d && d < bn && bound[d] == ':') {
            bound += d + 1;
            bn -= d + 1;
        }
    }
    return lf_pkgver_cmp(s, inst, in, bound, bn, out);
}
