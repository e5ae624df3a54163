/*
 * pkglist: dpkg and rpm package lists (see pkglist.h for the layouts and the choices).
 */
#include "intake/pkglist.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"

#define SNIFF_BYTES 4096
#define SNIFF_LINES 40
/* How far to look for dpkg -l's ruler / yum's "Installed Packages" line: the legend and
 * yum's subscription-manager chatter are a few dozen lines at most. */
#define PRESCAN_LINES 200

/* ---- lines and words -------------------------------------------------------------- */

typedef struct span {
    const char *s;
    size_t n;
} span;

/* The line at *pos without its '\n' and trailing '\r'; advances *pos past it. */
static span next_line(const char *text, size_t len, size_t *pos)
{
    span l = {text + *pos, 0};
    const char *e = memchr(l.s, '\n', len - *pos);
    l.n = e ? (size_t)(e - l.s) : len - *pos;
    *pos += l.n + (e ? 1 : 0);
    while (l.n && l.s[l.n - 1] == '\r')
        l.n--;
    return l;
}

static bool is_sp(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static bool blank(span l)
{
    for (size_t i = 0; i < l.n; i++)
        if (!is_sp(l.s[i]))
            return false;
    return true;
}

static span trim(span l)
{
    while (l.n && is_sp(*l.s))
        l.s++, l.n--;
    while (l.n && is_sp(l.s[l.n - 1]))
        l.n--;
    return l;
}

/* Split off up to max words separated by white space; *rest gets what follows the last
 * word taken (trimmed). Returns the number of words. */
static size_t words(span l, span *w, size_t max, span *rest)
{
    size_t k = 0, i = 0;
    while (k < max) {
        while (i < l.n && is_sp(l.s[i]))
            i++;
        if (i == l.n)
            break;
        size_t b = i;
        while (i < l.n && !is_sp(l.s[i]))
            i++;
        w[k].s = l.s + b;
        w[k].n = i - b;
        k++;
    }
    if (rest) {
        span r = {l.s + i, l.n - i};
        *rest = trim(r);
    }
    return k;
}

static bool span_eq(span a, const char *lit)
{
    size_t n = strlen(lit);
    return a.n == n && !memcmp(a.s, lit, n);
}

static bool has_prefix(span a, const char *lit)
{
    size_t n = strlen(lit);
    return a.n >= n && !memcmp(a.s, lit, n);
}

static bool contains(span a, const char *lit)
{
    size_t n = strlen(lit);
    for (size_t i = 0; i + n <= a.n; i++)
        if (!memcmp(a.s + i, lit, n))
            return true;
    return false;
}

static bool in_list(span a, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (span_eq(a, list[i]))
            return true;
    return false;
}

static const char *const DEB_ARCHES[] = {
    "all", "amd64", "i386", "arm64", "armhf", "armel", "mips", "mipsel", "mips64el", "ppc64el", "ppc64",
    "powerpc", "s390x", "riscv64", "loong64", "alpha", "hppa", "ia64", "m68k", "sh4", "sparc", "sparc64",
    "x32", "hurd-i386", "kfreebsd-amd64", "kfreebsd-i386", NULL};

static const char *const RPM_ARCHES[] = {
    "noarch", "x86_64", "i386", "i486", "i586", "i686", "athlon", "geode", "aarch64", "armv7hl", "armv7hnl",
    "armv7l", "armv6hl", "armv6l", "armv5tel", "armhfp", "ppc", "ppc64", "ppc64le", "ppc64p7", "s390",
    "s390x", "ia64", "sparc", "sparcv9", "sparc64", "alpha", "mips", "mipsel", "mips64", "mips64el",
    "riscv64", "loongarch64", "x86_64_v2", "x86_64_v3", "x86_64_v4", "src", "nosrc", "amd64", NULL};

/* ---- the shared part: comments, os-release, the sink ------------------------------- */

typedef struct ctx {
    const char *src;
    const lf_inv_opts *opts;
    const lf_inv_sink *sink;
    lf_inv_counts *cnt;
    const char *ecosystem;
    bool data_seen;            /* os-release lines are only recognised before this */
    char os_comment[256];      /* "# os: ..." */
    char pretty[256];          /* os-release PRETTY_NAME */
    char osname[128];          /* os-release NAME and VERSION_ID, joined if no PRETTY_NAME */
    char osver[64];
    char os[256];              /* what goes into records */
    char host[256];            /* "# host: ..." */
    lf_buf scratch;            /* NUL-terminated copies of the current record's fields */
} ctx;

static void ctx_init(ctx *c, const char *src, const lf_inv_opts *opts, const lf_inv_sink *sink,
                     lf_inv_counts *cnt, const char *ecosystem)
{
    memset(c, 0, sizeof(*c));
    c->src = src;
    c->opts = opts;
    c->sink = sink;
    c->cnt = cnt;
    c->ecosystem = ecosystem;
    lf_buf_init(&c->scratch, 0);
}

static void ctx_clear(ctx *c)
{
    lf_buf_clear(&c->scratch);
}

static void set_str(char *dst, size_t cap, span v)
{
    size_t n = v.n < cap - 1 ? v.n : cap - 1;
    memcpy(dst, v.s, n);
    dst[n] = '\0';
}

static void update_os(ctx *c)
{
    if (c->os_comment[0])
        snprintf(c->os, sizeof c->os, "%s", c->os_comment);
    else if (c->pretty[0])
        snprintf(c->os, sizeof c->os, "%s", c->pretty);
    else if (c->osname[0])
        snprintf(c->os, sizeof c->os, "%s%s%s", c->osname, c->osver[0] ? " " : "", c->osver);
    else
        c->os[0] = '\0';
}

/* "# key: value" comment; true when it named the key. */
static bool comment_key(span body, const char *key, span *val)
{
    size_t k = strlen(key);
    body = trim(body);
    if (body.n < k + 1 || strncmp(body.s, key, k) || body.s[k] != ':')
        return false;
    span v = {body.s + k + 1, body.n - k - 1};
    *val = trim(v);
    return true;
}

/* An /etc/os-release line: KEY=VALUE with KEY in [A-Z0-9_] starting with a letter. */
static bool osrelease_line(ctx *c, span l)
{
    size_t i = 0;
    if (!l.n || l.s[0] < 'A' || l.s[0] > 'Z')
        return false;
    while (i < l.n && ((l.s[i] >= 'A' && l.s[i] <= 'Z') || (l.s[i] >= '0' && l.s[i] <= '9') || l.s[i] == '_'))
        i++;
    if (i == l.n || l.s[i] != '=')
        return false;
    span key = {l.s, i};
    span v = {l.s + i + 1, l.n - i - 1};
    v = trim(v);
    if (v.n >= 2 && (v.s[0] == '"' || v.s[0] == '\'') && v.s[v.n - 1] == v.s[0]) {
        v.s++;
        v.n -= 2;
    }
    if (c) {
        if (span_eq(key, "PRETTY_NAME"))
            set_str(c->pretty, sizeof c->pretty, v);
        else if (span_eq(key, "NAME"))
            set_str(c->osname, sizeof c->osname, v);
        else if (span_eq(key, "VERSION_ID"))
            set_str(c->osver, sizeof c->osver, v);
        update_os(c);
    }
    return true;
}

/* Blank lines, comments and os-release lines: skipped (true), with what they say kept. */
static bool common_line(ctx *c, span l)
{
    if (blank(l)) {
        c->cnt->skipped++;
        return true;
    }
    span t = trim(l);
    if (t.s[0] == '#') {
        span body = {t.s + 1, t.n - 1}, v;
        if (comment_key(body, "os", &v)) {
            set_str(c->os_comment, sizeof c->os_comment, v);
            update_os(c);
        } else if (comment_key(body, "host", &v)) {
            set_str(c->host, sizeof c->host, v);
        }
        c->cnt->skipped++;
        return true;
    }
    if (!c->data_seen && osrelease_line(c, l)) {
        c->cnt->skipped++;
        return true;
    }
    return false;
}

static void reject(ctx *c, long line, const char *field, span l, const char *why)
{
    c->data_seen = true;
    l = trim(l);
    lf_inv_reject(c->sink, c->cnt, c->src, line, field, "%s: \"%.*s%s\"", why, (int)(l.n > 100 ? 100 : l.n), l.s,
                  l.n > 100 ? "..." : "");
}

enum { F_NAME, F_VERSION, F_ARCH, F_DATE, F_N };

/* Deliver one package; fields may have n == 0 (NULL). Returns the sink's value or
 * LF_ENOMEM. */
static int emit(ctx *c, long line, const span *f, lf_err *err)
{
    size_t off[F_N];
    lf_buf_reset(&c->scratch);
    for (int i = 0; i < F_N; i++) {
        off[i] = c->scratch.len;
        if (lf_buf_append(&c->scratch, f[i].s, f[i].n) || lf_buf_putc(&c->scratch, '\0'))
            return lf_err_set(err, LF_ENOMEM, "out of memory reading %s", c->src);
    }
    const char *v[F_N];
    for (int i = 0; i < F_N; i++)
        v[i] = f[i].n ? c->scratch.data + off[i] : NULL;
    lf_inv_rec rec;
    memset(&rec, 0, sizeof(rec));
    rec.host = c->host[0] ? c->host : c->opts->host;
    rec.os = c->os[0] ? c->os : c->opts->os;
    rec.name = v[F_NAME];
    rec.version = v[F_VERSION];
    rec.arch = v[F_ARCH];
    rec.install_date = v[F_DATE];
    rec.ecosystem = c->ecosystem;
    rec.line = line;
    c->data_seen = true;
    c->cnt->records++;
    return c->sink->rec ? c->sink->rec(c->sink->ud, &rec) : 0;
}

static int start(const char *text, const lf_inv_sink *sink, lf_err *err)
{
    if (!sink || !text)
        return lf_err_set(err, LF_EINVAL, "package list: no sink or no text");
    return LF_OK;
}

static size_t skip_bom(const char *text, size_t len)
{
    return len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3) ? 3 : 0;
}

/* ---- dpkg --------------------------------------------------------------------------- */

/* dpkg -l's "+++-===-===" ruler; *ncols = columns after the status one. */
static bool dpkg_ruler(span l, size_t *ncols)
{
    if (!has_prefix(l, "+++-"))
        return false;
    size_t n = 0;
    for (size_t i = 3; i < l.n; i++) {
        if (l.s[i] == '-')
            n++;
        else if (l.s[i] != '=' && !is_sp(l.s[i]))
            return false;
    }
    *ncols = n;
    return true;
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* "ii  name ...", "iF  ", "rc  ", "iHR ": two letters, a letter or space, a space. */
static bool dpkg_state(span l)
{
    return l.n >= 4 && is_alpha(l.s[0]) && is_alpha(l.s[1]) && (is_alpha(l.s[2]) || l.s[2] == ' ') &&
           l.s[3] == ' ';
}

/* Name and arch of "libc6:amd64". */
static void split_arch(span *name, span *arch)
{
    const char *colon = memchr(name->s, ':', name->n);
    if (!colon)
        return;
    span a = {colon + 1, name->n - (size_t)(colon + 1 - name->s)};
    name->n = (size_t)(colon - name->s);
    if (!arch->n)
        *arch = a;
}

static bool deb_name(span n)
{
    if (!n.n || !((n.s[0] >= 'a' && n.s[0] <= 'z') || (n.s[0] >= '0' && n.s[0] <= '9')))
        return false;
    for (size_t i = 0; i < n.n; i++) {
        char c = n.s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.' || c == ':' ||
              c == '_'))
            return false;
    }
    return true;
}

static bool deb_evidence(span name, span ver)
{
    return memchr(name.s, ':', name.n) || (ver.n > 1 && ver.s[0] >= '0' && ver.s[0] <= '9' && ver.s[1] == ':') ||
           (ver.n > 2 && ver.s[1] >= '0' && ver.s[1] <= '9' && ver.s[2] == ':') || contains(ver, "ubuntu") ||
           contains(ver, "deb") || contains(ver, "dfsg") || contains(ver, "build") || contains(ver, "+rpt");
}

static bool rpm_evidence(span name, span ver)
{
    for (size_t i = 0; i < name.n; i++)
        if (name.s[i] >= 'A' && name.s[i] <= 'Z')
            return true;
    return contains(ver, ".el") || contains(ver, ".fc") || contains(ver, ".amzn") || contains(ver, ".mga") ||
           contains(ver, ".suse") || contains(ver, ".sles") || contains(ver, "lp15") || contains(ver, ".module+");
}

typedef struct dpkg_layout {
    long ruler_line;    /* 0: no ruler */
    bool arch_col;      /* dpkg -l rows carry Architecture */
} dpkg_layout;

static void dpkg_prescan(const char *text, size_t len, dpkg_layout *lay)
{
    size_t pos = skip_bom(text, len);
    memset(lay, 0, sizeof(*lay));
    for (long line = 1; pos < len && line <= PRESCAN_LINES; line++) {
        span l = next_line(text, len, &pos);
        size_t nc;
        if (dpkg_ruler(l, &nc)) {
            lay->ruler_line = line;
            lay->arch_col = nc >= 4;
            return;
        }
    }
}

/* One dpkg -l row. */
static int dpkg_row(ctx *c, long line, span l, bool arch_known, bool arch_col, lf_err *err)
{
    span w[4] = {{0}}, rest;
    char st = l.s[1];
    span after = {l.s + 3, l.n - 3};
    size_t k = words(after, w, 3, &rest);
    if (k < 2) {
        reject(c, line, "version", l, "dpkg -l row without a version");
        return LF_OK;
    }
    if (st == 'n' || st == 'c') {   /* not installed, or only config files left */
        c->cnt->skipped++;
        c->data_seen = true;
        return LF_OK;
    }
    if (!strchr("iFUHWt", st)) {
        reject(c, line, "state", l, "unknown package state");
        return LF_OK;
    }
    span f[F_N] = {w[0], w[1], {0}, {0}};
    if (k == 3 && (arch_known ? arch_col : in_list(w[2], DEB_ARCHES)))
        f[F_ARCH] = w[2];
    split_arch(&f[F_NAME], &f[F_ARCH]);
    if (!f[F_NAME].n) {
        reject(c, line, "name", l, "empty package name");
        return LF_OK;
    }
    return emit(c, line, f, err);
}

/* One dpkg-query line: NAME TAB VERSION [TAB ARCH], or NAME VERSION. */
static int dpkg_query_line(ctx *c, long line, span l, lf_err *err)
{
    span f[F_N] = {{0}};
    const char *tab = memchr(l.s, '\t', l.n);
    if (tab) {
        f[F_NAME].s = l.s;
        f[F_NAME].n = (size_t)(tab - l.s);
        span v = {tab + 1, l.n - (size_t)(tab + 1 - l.s)};
        const char *tab2 = memchr(v.s, '\t', v.n);
        if (tab2) {
            span a = {tab2 + 1, v.n - (size_t)(tab2 + 1 - v.s)};
            f[F_ARCH] = trim(a);
            v.n = (size_t)(tab2 - v.s);
        }
        f[F_VERSION] = trim(v);
        f[F_NAME] = trim(f[F_NAME]);
    } else {
        span w[3], rest;
        if (words(l, w, 3, &rest) != 2) {
            reject(c, line, NULL, l, "not a dpkg line (NAME TAB VERSION, or a dpkg -l row)");
            return LF_OK;
        }
        f[F_NAME] = w[0];
        f[F_VERSION] = w[1];
    }
    if (!f[F_NAME].n) {
        reject(c, line, "name", l, "empty package name");
        return LF_OK;
    }
    if (!f[F_VERSION].n) {   /* known to dpkg, not installed */
        c->cnt->skipped++;
        c->data_seen = true;
        return LF_OK;
    }
    split_arch(&f[F_NAME], &f[F_ARCH]);
    if (!f[F_NAME].n) {
        reject(c, line, "name", l, "empty package name");
        return LF_OK;
    }
    return emit(c, line, f, err);
}

int lf_pkglist_dpkg_read(const char *src, const char *text, size_t len, const lf_inv_opts *opts,
                         const lf_inv_sink *sink, lf_inv_counts *counts, lf_err *err)
{
    lf_inv_counts tmp_counts;
    lf_inv_opts no_opts = {NULL, NULL};
    if (!counts)
        counts = &tmp_counts;
    memset(counts, 0, sizeof(*counts));
    if (!opts)
        opts = &no_opts;
    if (!src)
        src = "";
    int rc = start(text, sink, err);
    if (rc)
        return rc;
    if (lf_pkglist_dpkg_sniff(text, len) < 30) {
        lf_err_set(err, LF_EFORMAT, "not a dpkg list (dpkg-query -W or dpkg -l output)");
        lf_err_at(err, src, 0, 0, NULL);
        return LF_EFORMAT;
    }
    dpkg_layout lay;
    dpkg_prescan(text, len, &lay);
    ctx c;
    ctx_init(&c, src, opts, sink, counts, "deb");
    size_t pos = skip_bom(text, len);
    for (long line = 1; pos < len; line++) {
        span l = next_line(text, len, &pos);
        if (common_line(&c, l))
            continue;
        size_t nc;
        if (line <= lay.ruler_line || has_prefix(l, "||/") || has_prefix(l, "|/") || has_prefix(l, "| ") ||
            has_prefix(l, "Desired=") || dpkg_ruler(l, &nc)) {
            /* legend, column titles and the ruler (again, when two listings were joined) */
            c.cnt->skipped++;
            continue;
        }
        if (l.n > LF_PKGLIST_MAX_LINE || memchr(l.s, '\0', l.n)) {
            reject(&c, line, NULL, l, l.n > LF_PKGLIST_MAX_LINE ? "line too long" : "NUL byte in the line");
            continue;
        }
        if (dpkg_state(l) && (lay.ruler_line || !memchr(l.s, '\t', l.n))) {
            span w[4];
            if (lay.ruler_line || words(l, w, 4, NULL) >= 3) {
                rc = dpkg_row(&c, line, l, lay.ruler_line != 0, lay.arch_col, err);
                if (rc)
                    goto fail;
                continue;
            }
        }
        rc = dpkg_query_line(&c, line, l, err);
        if (rc)
            goto fail;
    }
    rc = LF_OK;
fail:
    ctx_clear(&c);
    return rc;
}

/* ---- rpm ---------------------------------------------------------------------------- */

static bool rpm_name_chars(span s)
{
    if (!s.n)
        return false;
    for (size_t i = 0; i < s.n; i++) {
        char c = s.s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == '+' || c == '-'))
            return false;
    }
    return true;
}

static bool rpm_ver_chars(span s)
{
    if (!s.n)
        return false;
    for (size_t i = 0; i < s.n; i++) {
        char c = s.s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == '+' || c == '~' || c == '^' || c == ':'))
            return false;
    }
    return true;
}

static const char *last_of(span s, char ch)
{
    for (size_t i = s.n; i > 0; i--)
        if (s.s[i - 1] == ch)
            return s.s + i - 1;
    return NULL;
}

/* NAME-VERSION-RELEASE[.ARCH]: name, "VERSION-RELEASE" and arch (n == 0 when absent).
 * *known_arch says whether the arch suffix was a known one. */
static bool nvra(span t, span *name, span *vr, span *arch, bool *known_arch)
{
    arch->n = 0;
    *known_arch = false;
    const char *dot = last_of(t, '.');
    if (dot) {
        span a = {dot + 1, t.n - (size_t)(dot + 1 - t.s)};
        if (in_list(a, RPM_ARCHES)) {
            *arch = a;
            *known_arch = true;
            t.n = (size_t)(dot - t.s);
        }
    }
    const char *d1 = last_of(t, '-');
    if (!d1)
        return false;
    span head = {t.s, (size_t)(d1 - t.s)};
    const char *d2 = last_of(head, '-');
    if (!d2)
        return false;
    span rel = {d1 + 1, t.n - (size_t)(d1 + 1 - t.s)};
    span ver = {d2 + 1, (size_t)(d1 - d2 - 1)};
    name->s = t.s;
    name->n = (size_t)(d2 - t.s);
    vr->s = ver.s;
    vr->n = t.n - (size_t)(ver.s - t.s);
    return rpm_name_chars(*name) && rpm_ver_chars(ver) && rpm_ver_chars(rel);
}

/* NAME TAB VERSION[-RELEASE] [TAB ARCH] */
static bool rpm_tab(span l, span *f)
{
    const char *tab = memchr(l.s, '\t', l.n);
    if (!tab)
        return false;
    span name = {l.s, (size_t)(tab - l.s)};
    span v = {tab + 1, l.n - (size_t)(tab + 1 - l.s)};
    const char *tab2 = memchr(v.s, '\t', v.n);
    if (tab2) {
        span a = {tab2 + 1, v.n - (size_t)(tab2 + 1 - v.s)};
        f[F_ARCH] = trim(a);
        v.n = (size_t)(tab2 - v.s);
    }
    f[F_NAME] = trim(name);
    f[F_VERSION] = trim(v);
    return true;
}

static int rpm_line(ctx *c, long line, span l, lf_err *err)
{
    span f[F_N] = {{0}};
    if (rpm_tab(l, f)) {
        if (!f[F_NAME].n || !f[F_VERSION].n) {
            reject(c, line, f[F_NAME].n ? "version" : "name", l, "empty package name or version");
            return LF_OK;
        }
        return emit(c, line, f, err);
    }
    span w[1], rest;
    bool known;
    if (words(l, w, 1, &rest) != 1 || !nvra(w[0], &f[F_NAME], &f[F_VERSION], &f[F_ARCH], &known)) {
        reject(c, line, NULL, l, "not an rpm package line (NAME-VERSION-RELEASE[.ARCH])");
        return LF_OK;
    }
    f[F_DATE] = rest;
    return emit(c, line, f, err);
}

/* yum's rows, possibly wrapped: tokens gathered until NAME.ARCH VERSION REPO is whole. */
typedef struct yum_row {
    span w[3];
    size_t n;
    long line;
    span first;      /* the first physical line, for messages */
} yum_row;

static int yum_flush(ctx *c, yum_row *y, lf_err *err)
{
    if (!y->n)
        return LF_OK;
    size_t n = y->n;
    y->n = 0;
    const char *dot = last_of(y->w[0], '.');
    if (n < 2 || !dot || dot == y->w[0].s || (size_t)(dot - y->w[0].s) + 1 == y->w[0].n) {
        reject(c, y->line, NULL, y->first, "not a yum row (NAME.ARCH VERSION-RELEASE REPO)");
        return LF_OK;
    }
    span f[F_N] = {{0}};
    f[F_NAME].s = y->w[0].s;
    f[F_NAME].n = (size_t)(dot - y->w[0].s);
    f[F_ARCH].s = dot + 1;
    f[F_ARCH].n = y->w[0].n - f[F_NAME].n - 1;
    f[F_VERSION] = y->w[1];
    return emit(c, y->line, f, err);
}

static int yum_line(ctx *c, yum_row *y, long line, span l, lf_err *err)
{
    int rc;
    bool cont = is_sp(l.s[0]);
    if (!cont || y->n == 0 || y->n == 3) {
        if ((rc = yum_flush(c, y, err)))
            return rc;
        y->line = line;
        y->first = l;
    }
    span w[3], rest;
    size_t k = words(l, w, 3 - y->n, &rest);
    for (size_t i = 0; i < k; i++)
        y->w[y->n++] = w[i];
    if (rest.n) {   /* more words than a row has */
        y->n = 0;
        reject(c, y->line, NULL, y->first, "not a yum row (NAME.ARCH VERSION-RELEASE REPO)");
    }
    return LF_OK;
}

static long yum_prescan(const char *text, size_t len)
{
    size_t pos = skip_bom(text, len);
    for (long line = 1; pos < len && line <= PRESCAN_LINES; line++) {
        span l = trim(next_line(text, len, &pos));
        if (span_eq(l, "Installed Packages") || span_eq(l, "Installed packages"))
            return line;
    }
    return 0;
}

int lf_pkglist_rpm_read(const char *src, const char *text, size_t len, const lf_inv_opts *opts,
                        const lf_inv_sink *sink, lf_inv_counts *counts, lf_err *err)
{
    lf_inv_counts tmp_counts;
    lf_inv_opts no_opts = {NULL, NULL};
    if (!counts)
        counts = &tmp_counts;
    memset(counts, 0, sizeof(*counts));
    if (!opts)
        opts = &no_opts;
    if (!src)
        src = "";
    int rc = start(text, sink, err);
    if (rc)
        return rc;
    long yum = yum_prescan(text, len);
    if (!yum && lf_pkglist_rpm_sniff(text, len) < 30) {
        lf_err_set(err, LF_EFORMAT, "not an rpm list (rpm -qa or yum list installed output)");
        lf_err_at(err, src, 0, 0, NULL);
        return LF_EFORMAT;
    }
    ctx c;
    ctx_init(&c, src, opts, sink, counts, "rpm");
    yum_row y = {{{0}}, 0, 0, {0}};
    bool available = false;   /* "Available Packages" of `yum list`: not installed */
    size_t pos = skip_bom(text, len);
    for (long line = 1; pos < len; line++) {
        span l = next_line(text, len, &pos);
        if (yum && line <= yum) {
            /* subscription-manager and metadata chatter; a "# os:" comment still counts */
            if (!common_line(&c, l))
                c.cnt->skipped++;
            continue;
        }
        if (available) {
            c.cnt->skipped++;
            continue;
        }
        /* a blank line or a comment ends a wrapped yum row */
        if (yum && (blank(l) || trim(l).s[0] == '#') && (rc = yum_flush(&c, &y, err)))
            goto fail;
        if (common_line(&c, l))
            continue;
        if (l.n > LF_PKGLIST_MAX_LINE || memchr(l.s, '\0', l.n)) {
            reject(&c, line, NULL, l, l.n > LF_PKGLIST_MAX_LINE ? "line too long" : "NUL byte in the line");
            continue;
        }
        if (yum) {
            span t = trim(l);
            if (span_eq(t, "Available Packages") || span_eq(t, "Available packages")) {
                if ((rc = yum_flush(&c, &y, err)))
                    goto fail;
                available = true;
                c.cnt->skipped++;
                continue;
            }
            rc = yum_line(&c, &y, line, l, err);
        } else {
            rc = rpm_line(&c, line, l, err);
        }
        if (rc)
            goto fail;
    }
    rc = yum ? yum_flush(&c, &y, err) : LF_OK;
fail:
    ctx_clear(&c);
    return rc;
}

/* ---- sniffers ----------------------------------------------------------------------- */

typedef struct tally {
    int lines;          /* meaningful lines looked at */
    int dpkg_rows;      /* dpkg -l rows */
    int tab_deb;        /* NAME TAB VERSION with a Debian-looking name */
    int tab_any;        /* NAME TAB VERSION of any kind */
    int tab_vr;         /* ... whose version has a '-' (rpm's VERSION-RELEASE) */
    int deb_ev, rpm_ev; /* tab lines with Debian / Red Hat traits */
    int nvra_arch;      /* NAME-VERSION-RELEASE.ARCH with a known arch */
    int nvra_bare;      /* NAME-VERSION-RELEASE */
    bool ruler, legend, yum;
    char os_family;     /* 'd' (Debian, Ubuntu ...) or 'r' (Red Hat family, SUSE) named by
                           a "# os:" or os-release line, else 0 */
} tally;

/* The package family of an OS named in a header line: a list says which distribution
 * it comes from, and an rpm version with an epoch ("1:3.0.1-43.el9_0") otherwise looks
 * like dpkg's. */
static char os_family_of(span l)
{
    static const char *const deb[] = {"debian", "ubuntu", "raspbian", "linuxmint", "kali", "devuan", NULL};
    static const char *const rpm[] = {"almalinux", "rocky", "red hat", "redhat", "rhel", "centos", "fedora",
                                      "suse", "sles", "oracle linux", "amazon linux", "openeuler", "anolis",
                                      "kylin", NULL};
    char low[256];
    size_t n = l.n < sizeof low ? l.n : sizeof low;
    for (size_t i = 0; i < n; i++)
        low[i] = (char)((l.s[i] >= 'A' && l.s[i] <= 'Z') ? l.s[i] + 32 : l.s[i]);
    span ls = {low, n};
    for (size_t i = 0; deb[i]; i++)
        if (contains(ls, deb[i]))
            return 'd';
    for (size_t i = 0; rpm[i]; i++)
        if (contains(ls, rpm[i]))
            return 'r';
    return 0;
}

static void sniff_tally(const char *text, size_t len, tally *t)
{
    memset(t, 0, sizeof(*t));
    if (len > SNIFF_BYTES)
        len = SNIFF_BYTES;
    size_t pos = skip_bom(text, len);
    bool data = false;
    while (pos < len && t->lines < SNIFF_LINES) {
        span l = next_line(text, len, &pos);
        if (blank(l))
            continue;
        span tl = trim(l);
        size_t nc;
        if (dpkg_ruler(l, &nc)) {
            t->ruler = true;
            continue;
        }
        if (has_prefix(l, "||/ ") || has_prefix(l, "Desired="))
            t->legend = true;
        if (span_eq(tl, "Installed Packages") || span_eq(tl, "Installed packages"))
            t->yum = true;
        if (tl.s[0] == '#' || (!data && osrelease_line(NULL, l))) {
            if (!t->os_family && ((tl.s[0] == '#' && contains(tl, "os:")) || tl.s[0] != '#'))
                t->os_family = os_family_of(tl);
            continue;
        }
        t->lines++;
        span w[4], rest;
        span f[F_N] = {{0}};
        if (dpkg_state(l) && words(l, w, 4, NULL) >= 3) {
            t->dpkg_rows++;
            data = true;
            continue;
        }
        if (rpm_tab(l, f)) {
            if (f[F_NAME].n && f[F_VERSION].n) {
                t->tab_any++;
                if (deb_name(f[F_NAME]))
                    t->tab_deb++;
                if (memchr(f[F_VERSION].s, '-', f[F_VERSION].n))
                    t->tab_vr++;
                if (deb_evidence(f[F_NAME], f[F_VERSION]))
                    t->deb_ev++;
                if (rpm_evidence(f[F_NAME], f[F_VERSION]))
                    t->rpm_ev++;
                data = true;
            } else if (deb_name(f[F_NAME])) {
                t->tab_deb++;   /* dpkg-query lists known, uninstalled packages so */
            }
            continue;
        }
        span name, vr, arch;
        bool known;
        if (words(l, w, 1, &rest) == 1 && nvra(w[0], &name, &vr, &arch, &known)) {
            if (known)
                t->nvra_arch++;
            else
                t->nvra_bare++;
            data = true;
        }
    }
}

int lf_pkglist_dpkg_sniff(const char *text, size_t len)
{
    if (!text)
        return 0;
    tally t;
    sniff_tally(text, len, &t);
    if (t.ruler)
        return 95;
    if (t.legend)
        return 90;
    if (!t.lines)
        return 0;
    int score = 0;
    if (t.dpkg_rows * 2 > t.lines)
        score = 80 * t.dpkg_rows / t.lines;
    else if (t.tab_deb * 2 > t.lines) {
        score = 70;
        if (t.deb_ev * 5 > t.tab_any)
            score += 20;
        if (t.rpm_ev * 5 > t.tab_any)
            score -= 50;
        score = score * t.tab_deb / t.lines;
    }
    if (t.os_family == 'r' && !t.dpkg_rows)
        score /= 4;   /* a TAB list from a Red Hat family system is rpm's */
    return score < 0 ? 0 : score > 100 ? 100 : score;
}

int lf_pkglist_rpm_sniff(const char *text, size_t len)
{
    if (!text)
        return 0;
    tally t;
    sniff_tally(text, len, &t);
    if (t.yum)
        return 90;
    if (t.ruler || t.legend || !t.lines)
        return 0;
    int score = 0;
    if (t.nvra_arch * 2 > t.lines)
        score = 95 * (t.nvra_arch + t.nvra_bare) / t.lines;
    else if ((t.nvra_arch + t.nvra_bare) * 2 > t.lines)
        score = 50 * (t.nvra_arch + t.nvra_bare) / t.lines;
    else if (t.tab_any * 2 > t.lines) {
        score = t.tab_vr * 2 > t.tab_any ? 70 : 40;
        if (t.rpm_ev * 5 > t.tab_any || t.os_family == 'r')
            score += 20;
        if (t.deb_ev * 5 > t.tab_any && t.os_family != 'r')
            score -= 50;   /* an epoch alone is no Debian trait on a Red Hat system */
        score = score * t.tab_any / t.lines;
    }
    if (t.os_family == 'd')
        score /= 4;
    return score < 0 ? 0 : score > 100 ? 100 : score;
}
