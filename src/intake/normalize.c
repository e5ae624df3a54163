/*
 * normalize: folding (utf8proc + OpenCC) and tokenising of software names.
 */
#include "intake/normalize.h"

#include <opencc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Script conversion is most of the cost of a Chinese name, and the same runs of Han
 * characters (軟體, 安全, 中文版) recur across names: a small direct-mapped cache of
 * converted runs. A run converts the same in any context (OpenCC segments within it). */
#define RUN_CACHE 4096u
#define RUN_MAX 63

typedef struct run_entry {
    uint32_t hash;
    uint8_t inlen, outlen;
    char in[RUN_MAX];
    char out[RUN_MAX * 2];
} run_entry;

struct lf_norm {
    opencc_t cc;
    lf_buf pre;      /* after the sign removal */
    lf_buf fold;
    run_entry *runs;
};

int lf_norm_new(lf_norm **out, lf_err *err)
{
    lf_norm *n = calloc(1, sizeof(*n));
    if (!n)
        return lf_err_set(err, LF_ENOMEM, "out of memory");
    n->cc = opencc_open("s2twp.json");
    if (n->cc == (opencc_t)-1) {
        free(n);
        return lf_err_set(err, LF_EIO, "cannot load the OpenCC s2twp conversion (package libopencc-data): %s",
                          opencc_error());
    }
    n->runs = calloc(RUN_CACHE, sizeof(*n->runs));
    if (!n->runs) {
        opencc_close(n->cc);
        free(n);
        return lf_err_set(err, LF_ENOMEM, "out of memory");
    }
    lf_buf_init(&n->pre, 0);
    lf_buf_init(&n->fold, 0);
    *out = n;
    return LF_OK;
}

void lf_norm_free(lf_norm *n)
{
    if (!n)
        return;
    opencc_close(n->cc);
    free(n->runs);
    lf_buf_clear(&n->pre);
    lf_buf_clear(&n->fold);
    free(n);
}

static bool is_han(int32_t c)
{
    return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
           (c >= 0x20000 && c <= 0x2FA1F);
}

static bool is_cjk(int32_t c)
{
    return is_han(c) || (c >= 0x3040 && c <= 0x30FF) || (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0x3005 && c <= 0x3007);
}

static bool is_han(int32_t c);
static bool is_cjk(int32_t c);

/* Append the conversion of one Han run, through the cache. */
static int convert_run(lf_norm *n, const char *s, size_t len, lf_buf *out)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    run_entry *e = len <= RUN_MAX ? &n->runs[h & (RUN_CACHE - 1)] : NULL;
    if (e && e->hash == h && e->inlen == len && memcmp(e->in, s, len) == 0)
        return lf_buf_append(out, e->out, e->outlen);
    char *t = opencc_convert_utf8(n->cc, s, len);
    if (!t)
        return LF_EIO;
    size_t tl = strlen(t);
    int rc = lf_buf_append(out, t, tl);
    if (e && tl <= sizeof e->out) {
        e->hash = h;
        e->inlen = (uint8_t)len;
        e->outlen = (uint8_t)tl;
        memcpy(e->in, s, len);
        memcpy(e->out, t, tl);
    }
    opencc_convert_utf8_free(t);
    return rc;
}

/* Convert the CJK runs of s (Simplified → Taiwan Traditional), copy the rest. */
static int convert_runs(lf_norm *n, const char *s, size_t len, lf_buf *out)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    size_t i = 0, run = SIZE_MAX;
    while (i < len) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &c);
        if (k <= 0)
            k = 1, c = -1;
        bool cj = c >= 0 && is_cjk(c);
        if (cj && run == SIZE_MAX)
            run = i;
        if (!cj) {
            if (run != SIZE_MAX) {
                int rc = convert_run(n, s + run, i - run, out);
                if (rc)
                    return rc;
                run = SIZE_MAX;
            }
            if (lf_buf_append(out, s + i, (size_t)k))
                return LF_ENOMEM;
        }
        i += (size_t)k;
    }
    if (run != SIZE_MAX)
        return convert_run(n, s + run, len - run, out);
    return LF_OK;
}

/* Plain ASCII (most software names): NFKC is the identity, case folding is tolower, and
 * only control characters go; no need for utf8proc's UTF-32 round trip. */
static bool fold_ascii(const char *s, size_t len, lf_buf *out)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80)
            return false;
    lf_buf_reset(out);
    if (lf_buf_reserve(out, len + 1))
        return false;
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f) {
            if (c == '\t' || c == '\n' || c == '\r')
                out->data[o++] = ' ';   /* utf8proc's STRIPCC turns these into spaces too */
            continue;
        }
        out->data[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    out->data[o] = '\0';
    out->len = o;
    return true;
}

int lf_norm_fold(lf_norm *n, const char *s, size_t len, lf_buf *out, lf_err *err)
{
    if (fold_ascii(s, len, out))
        return LF_OK;
    lf_buf_reset(&n->pre);
    bool han = false;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    size_t i = 0;
    while (i < len) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &c);
        if (k <= 0) {
            i++;          /* drop an invalid byte */
            continue;
        }
        if (c == 0x00AE || c == 0x2122 || c == 0x00A9 || c == 0x2120 || c == 0) {
            i += (size_t)k;
            continue;
        }
        if (is_han(c))
            han = true;
        if (lf_buf_append(&n->pre, p + i, (size_t)k))
            goto oom;
        i += (size_t)k;
    }
    if (lf_buf_putc(&n->pre, '\0'))
        goto oom;
    utf8proc_uint8_t *m = NULL;
    utf8proc_ssize_t ml = utf8proc_map((const utf8proc_uint8_t *)n->pre.data, (utf8proc_ssize_t)(n->pre.len - 1), &m,
                                       UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
                                           UTF8PROC_IGNORE | UTF8PROC_LUMP | UTF8PROC_STRIPCC);
    if (ml < 0)
        return lf_err_set(err, ml == UTF8PROC_ERROR_NOMEM ? LF_ENOMEM : LF_EPARSE, "cannot normalise text: %s",
                          utf8proc_errmsg(ml));
    lf_buf_reset(out);
    int rc = LF_OK;
    if (han) {
        rc = convert_runs(n, (const char *)m, (size_t)ml, out);
        if (rc == LF_EIO) {
            free(m);
            return lf_err_set(err, LF_ENOMEM, "script conversion failed: %s", opencc_error());
        }
    } else {
        rc = lf_buf_append(out, m, (size_t)ml);
    }
    free(m);
    if (rc || lf_buf_putc(out, '\0'))
        goto oom;
    out->len--;    /* keep the NUL outside the length */
    return LF_OK;
oom:
    return lf_err_set(err, LF_ENOMEM, "out of memory while normalising");
}

/* ---- token classes ---- */

typedef struct word {
    const char *w;
    size_t n;
} word;
#define W(s) {s, sizeof(s) - 1}

static bool tok_is(const char *t, size_t n, const char *w)
{
    return strlen(w) == n && memcmp(t, w, n) == 0;
}

static bool in_list(const char *t, size_t n, const word *list)
{
    for (size_t i = 0; list[i].w; i++)
        if (list[i].n == n && list[i].w[0] == t[0] && memcmp(list[i].w, t, n) == 0)
            return true;
    return false;
}

static const word arch_words[] = {
    W("x64"), W("x86"), W("x86_64"), W("x86-64"), W("amd64"), W("arm64"), W("aarch64"), W("ia64"), W("win64"),
    W("win32"), W("64-bit"), W("32-bit"), W("64bit"), W("32bit"), W("x64-based"), W("x86-based"), W("i386"),
    W("i686"), W("64位元"), W("32位元"), W("64位"), W("32位"),
    {NULL, 0}};
/* Traditional forms only: Simplified input reaches here through s2twp. */
static const word lang_words[] = {
    W("繁體中文版"), W("繁體中文"), W("繁中版"), W("繁中"), W("中文版"), W("中文"), W("簡體中文版"), W("簡體中文"), W("簡中"), W("英文版"),
    W("多國語言版"), W("多語言版"), W("cht"), W("chs"), W("multilingual"), W("mui"), W("chinese"), W("traditional"),
    W("simplified"), W("english"),
    {NULL, 0}};
static const word edition_words[] = {
    W("professional"), W("plus"), W("standard"), W("home"), W("business"), W("student"), W("and"), W("ultimate"),
    W("premium"), W("pro"), W("enterprise"), W("personal"), W("free"), W("freeware"), W("trial"), W("community"),
    W("express"), W("edition"), W("corporate"), W("basic"), W("starter"), W("專業增強版"), W("專業版"), W("標準版"), W("企業版"), W("家用及中小企業版"), W("家用及學生版"), W("中小企業版"),
    W("家用版"), W("個人版"), W("免費版"), W("旗艦版"), W("教育版"), W("社群版"), W("社區版"), W("試用版"), W("正式版"), W("增強版"), W("精簡版"),
    {NULL, 0}};
static const word noise_words[] = {
    W("version"), W("ver"), W("ver."), W("版本"),
    {NULL, 0}};

static bool is_digits(const char *t, size_t n)
{
    if (!n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (t[i] < '0' || t[i] > '9')
            return false;
    return true;
}

static bool is_lang_tag(const char *t, size_t n)
{
    /* zh-tw, en-us, zh_hk, zh-hant */
    if (n == 5 && (t[2] == '-' || t[2] == '_'))
        return t[0] >= 'a' && t[0] <= 'z' && t[1] >= 'a' && t[1] <= 'z' && t[3] >= 'a' && t[3] <= 'z' &&
               t[4] >= 'a' && t[4] <= 'z' && !(t[0] == 'x' && t[1] == '6');
    return tok_is(t, n, "zh-hant") || tok_is(t, n, "zh-hans");
}

/* v1, v1.2, 1.2, 1.2.3-beta, 8u401, 23.01, 1.1.1w */
static bool is_version(const char *t, size_t n)
{
    size_t i = 0;
    if (n >= 2 && t[0] == 'v' && t[1] >= '0' && t[1] <= '9')
        i = 1;
    if (i >= n || t[i] < '0' || t[i] > '9')
        return false;
    size_t d = i;
    while (d < n && t[d] >= '0' && t[d] <= '9')
        d++;
    if (d == n)
        return i == 1;                       /* "v2" */
    if (t[d] == '.' && d + 1 < n && t[d + 1] >= '0' && t[d + 1] <= '9')
        return true;                         /* 1.2... */
    if (t[d] == 'u' && d + 1 < n && is_digits(t + d + 1, n - d - 1))
        return true;                         /* 8u401 */
    return false;
}

/* 2023-12, 2023-12-23: a release date ("Eclipse IDE … 2023-12"), not a version NVD writes;
 * the month must be one, so a year range ("2019-20") is not a date */
static bool is_date(const char *t, size_t n)
{
    if ((n != 7 && n != 10) || !is_digits(t, 4) || t[4] != '-' || !is_digits(t + 5, 2) ||
        (t[0] != '1' && t[0] != '2') || (t[1] != '9' && t[1] != '0'))
        return false;
    int month = (t[5] - '0') * 10 + (t[6] - '0');
    if (month < 1 || month > 12)
        return false;
    return n == 7 || (t[7] == '-' && is_digits(t + 8, 2));
}

static int classify(const char *t, size_t n, bool cjk, bool paren)
{
    if (in_list(t, n, arch_words))
        return LF_TOK_ARCH;
    if (in_list(t, n, lang_words) || (!cjk && is_lang_tag(t, n)))
        return LF_TOK_LANG;
    if (is_version(t, n))
        return LF_TOK_VER;
    if (paren)
        return LF_TOK_PAREN;
    if (in_list(t, n, noise_words) || is_date(t, n))
        return LF_TOK_NOISE;
    if (in_list(t, n, edition_words))
        return LF_TOK_EDITION;
    if (is_digits(t, n))
        return (n == 4 && (t[0] == '1' || t[0] == '2') && (t[1] == '9' || t[1] == '0')) ? LF_TOK_YEAR : LF_TOK_NUM;
    return LF_TOK_WORD;
}

static bool inner_char(int32_t c)
{
    return c == '.' || c == '+' || c == '#' || c == '-' || c == '_' || c == '\'';
}

static bool word_char(int32_t c)
{
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
        return true;
    if (c < 0x80)
        return false;
    utf8proc_category_t cat = utf8proc_category(c);
    return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
           (cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME) ||
           (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
}

int lf_norm_name(lf_norm *n, const char *s, size_t len, lf_norm_result *r, lf_err *err)
{
    int rc = lf_norm_fold(n, s, len, &n->fold, err);
    if (rc)
        return rc;
    r->truncated = false;
    size_t tl = n->fold.len;
    if (tl >= sizeof r->text) {
        tl = sizeof r->text - 1;
        while (tl && ((unsigned char)n->fold.data[tl] & 0xC0) == 0x80)
            tl--;     /* cut at a character boundary */
        r->truncated = true;
    }
    memcpy(r->text, n->fold.data, tl);
    r->text[tl] = '\0';
    /* "notepad ++", "c #": a '+' or '#' suffix written apart is the name's own (few names
     * have either, so most skip the byte loop) */
    bool suffix = memchr(r->text, '+', tl) || memchr(r->text, '#', tl);
    for (size_t i = 1; suffix && i + 1 < tl; i++) {
        if (r->text[i] != ' ' || (r->text[i + 1] != '+' && r->text[i + 1] != '#') ||
            !((r->text[i - 1] >= 'a' && r->text[i - 1] <= 'z') || (r->text[i - 1] >= '0' && r->text[i - 1] <= '9')))
            continue;
        size_t e = i + 1;
        while (e < tl && (r->text[e] == '+' || r->text[e] == '#'))
            e++;
        if (e < tl && r->text[e] != ' ' && r->text[e] != ')' && r->text[e] != ',')
            continue;   /* "c #1", "a +b": not a suffix */
        memmove(r->text + i, r->text + i + 1, tl - i);   /* the NUL moves too */
        tl--;
    }
    r->textlen = tl;
    r->ntok = 0;
    r->version_tok = -1;
    r->has_cjk = false;

    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)r->text;
    size_t i = 0;
    int paren = 0;
    while (i < tl) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(tl - i), &c);
        if (k <= 0) {
            i++;
            continue;
        }
        if (c == '(' || c == '[' || c == '{') {
            paren++;
            i += (size_t)k;
            continue;
        }
        if ((c == ')' || c == ']' || c == '}') && paren > 0) {
            paren--;
            i += (size_t)k;
            continue;
        }
        bool cj = is_cjk(c);
        if (!cj && !word_char(c) && !(c == '.' && i + 1 < tl && word_char(p[i + 1]) && p[i + 1] != '.')) {
            i += (size_t)k;
            continue;
        }
        /* a token: same script class throughout; inner . + # - _ ' allowed between chars */
        size_t start = i, end = i;
        while (i < tl) {
            utf8proc_int32_t d;
            utf8proc_ssize_t q = utf8proc_iterate(p + i, (utf8proc_ssize_t)(tl - i), &d);
            if (q <= 0)
                break;
            if (is_cjk(d) != cj)
                break;
            if (cj || word_char(d)) {
                i += (size_t)q;
                end = i;
                continue;
            }
            if (!cj && inner_char(d)) {
                /* '+' and '#' may end a token (c++, c#); others only between chars */
                if (d == '+' || d == '#') {
                    i += (size_t)q;
                    end = i;
                    continue;
                }
                i += (size_t)q;
                continue;
            }
            break;
        }
        if (end == start) {     /* a lone inner char, or a leading '.' with nothing after */
            if (i == start)
                i += (size_t)k;
            continue;
        }
        if (cj)
            r->has_cjk = true;
        if (r->ntok == LF_NORM_MAX_TOKENS) {
            r->truncated = true;
            break;
        }
        lf_norm_tok *t = &r->tok[r->ntok];
        t->off = (unsigned short)start;
        t->len = (unsigned short)(end - start);
        t->cjk = cj;
        t->cls = (unsigned char)classify(r->text + start, end - start, cj, paren > 0);
        r->ntok++;
        i = end;
    }
    /* a version or year glued to a word: "jre1.8.0_401", "jdk-17.0.9", "office2019" are
     * two tokens (a plain number stays glued: python3, win32, mp3) */
    for (size_t j = 0; j < r->ntok && r->ntok < LF_NORM_MAX_TOKENS; j++) {
        lf_norm_tok *t = &r->tok[j];
        if (t->cls != LF_TOK_WORD || t->cjk)
            continue;
        const char *x = r->text + t->off;
        size_t d = 0;
        while (d < t->len && x[d] >= 'a' && x[d] <= 'z')
            d++;
        size_t w = d;
        if (d && d < t->len && (x[d] == '-' || x[d] == '_'))
            d++;
        if (!w || d >= t->len || x[d] < '0' || x[d] > '9')
            continue;
        size_t rl = t->len - d;
        bool year = rl == 4 && (x[d] == '1' || x[d] == '2') && (x[d + 1] == '9' || x[d + 1] == '0') &&
                    is_digits(x + d, 4);
        if (!is_version(x + d, rl) && !year)
            continue;
        memmove(&r->tok[j + 2], &r->tok[j + 1], (r->ntok - j - 1) * sizeof r->tok[0]);
        r->ntok++;
        r->tok[j + 1] = (lf_norm_tok){(unsigned short)(t->off + d), (unsigned short)rl,
                                      (unsigned char)(year ? LF_TOK_YEAR : LF_TOK_VER), false};
        t->len = (unsigned short)w;
        t->cls = (unsigned char)classify(x, w, false, false);
        j++;
    }
    /* an architecture glued to the end of a token: "7-x64" (PowerShell 7-x64),
     * "7.5.3.0-x64", "setup_x86" → the token, then an ARCH; a Chocolatey ".install" /
     * ".portable" suffix → NOISE */
    for (size_t j = 0; j < r->ntok && r->ntok < LF_NORM_MAX_TOKENS; j++) {
        lf_norm_tok *t = &r->tok[j];
        if (t->cjk || t->cls == LF_TOK_ARCH || t->len < 5)
            continue;
        const char *x = r->text + t->off;
        size_t cut = 0;
        unsigned char cls = LF_TOK_ARCH;
        /* Chocolatey package ids: 7zip.install, git.portable are the product */
        static const char *const sfx[] = {"-x64",   "-x86",   "_x64",     "_x86",      "-amd64", "-arm64",
                                          "-64-bit", "-32-bit", "-64bit", "-32bit", ".install", ".portable",
                                          NULL};
        for (size_t k = 0; sfx[k]; k++) {
            size_t sl = strlen(sfx[k]);
            if (t->len > sl && memcmp(x + t->len - sl, sfx[k], sl) == 0) {
                cut = t->len - sl;
                cls = sfx[k][0] == '.' ? LF_TOK_NOISE : LF_TOK_ARCH;
                break;
            }
        }
        if (!cut)
            continue;
        memmove(&r->tok[j + 2], &r->tok[j + 1], (r->ntok - j - 1) * sizeof r->tok[0]);
        r->ntok++;
        r->tok[j + 1] = (lf_norm_tok){(unsigned short)(t->off + cut + 1), (unsigned short)(t->len - cut - 1), cls,
                                      false};
        t->len = (unsigned short)cut;
        t->cls = (unsigned char)classify(x, cut, false, false);
        j++;
    }
    /* pairs: "64 bit", "64 位元", "32 位" are one ARCH */
    for (size_t j = 0; j + 1 < r->ntok; j++) {
        const char *a = r->text + r->tok[j].off, *b = r->text + r->tok[j + 1].off;
        size_t al = r->tok[j].len, bl = r->tok[j + 1].len;
        if ((tok_is(a, al, "64") || tok_is(a, al, "32")) &&
            (tok_is(b, bl, "bit") || tok_is(b, bl, "位元") || tok_is(b, bl, "位") || tok_is(b, bl, "bits"))) {
            r->tok[j].cls = r->tok[j + 1].cls = LF_TOK_ARCH;
        }
    }
    /* "2023 年 9 月", "2023年9月版": a release month, not part of the name */
    for (size_t j = 0; j + 3 < r->ntok; j++) {
        lf_norm_tok *t = &r->tok[j];
        if (t[0].cls != LF_TOK_YEAR || !t[1].cjk || t[1].len != 3 || memcmp(r->text + t[1].off, "年", 3) != 0 ||
            t[2].cls != LF_TOK_NUM || !t[3].cjk || t[3].len > 6 || memcmp(r->text + t[3].off, "月", 3) != 0)
            continue;
        t[0].cls = t[1].cls = t[2].cls = t[3].cls = LF_TOK_NOISE;
        j += 3;
    }
    for (size_t j = 0; j < r->ntok; j++)
        if (r->tok[j].cls == LF_TOK_VER) {
            r->version_tok = (int)j;
            break;
        }
    return LF_OK;
}

static bool keep(const lf_norm_result *r, size_t j, int flags, size_t last_kept)
{
    int c = r->tok[j].cls;
    if (c == LF_TOK_WORD || c == LF_TOK_YEAR)
        return true;
    if (c == LF_TOK_EDITION)
        return !(flags & LF_NORM_KEY_NO_EDITION);
    if (c == LF_TOK_NUM)
        return !((flags & LF_NORM_KEY_NO_TAILNUM) && j == last_kept);
    return false;
}

/* index of the last token FULL would keep, or SIZE_MAX */
static size_t last_key_tok(const lf_norm_result *r, int flags)
{
    size_t last = SIZE_MAX;
    for (size_t j = 0; j < r->ntok; j++) {
        int c = r->tok[j].cls;
        if (c == LF_TOK_WORD || c == LF_TOK_YEAR || c == LF_TOK_NUM ||
            (c == LF_TOK_EDITION && !(flags & LF_NORM_KEY_NO_EDITION)))
            last = j;
    }
    return last;
}

size_t lf_norm_key_tokens(const lf_norm_result *r, int flags, const lf_norm_tok **toks, size_t max)
{
    size_t last = last_key_tok(r, flags), k = 0;
    for (size_t j = 0; j < r->ntok && k < max; j++)
        if (keep(r, j, flags, last))
            toks[k++] = &r->tok[j];
    return k;
}

size_t lf_norm_key(const lf_norm_result *r, int flags, char *buf, size_t bufsize)
{
    size_t last = last_key_tok(r, flags), o = 0;
    if (!bufsize)
        return 0;
    for (size_t j = 0; j < r->ntok; j++) {
        if (!keep(r, j, flags, last))
            continue;
        size_t l = r->tok[j].len;
        if (o + l + 2 > bufsize)
            break;
        if (o)
            buf[o++] = ' ';
        memcpy(buf + o, r->text + r->tok[j].off, l);
        o += l;
    }
    buf[o] = '\0';
    return o;
}

size_t lf_norm_name_version(const lf_norm_result *r, bool allow_tailnum, char *buf, size_t bufsize)
{
    const lf_norm_tok *t = NULL;
    if (bufsize)
        buf[0] = '\0';
    if (r->version_tok >= 0) {
        t = &r->tok[r->version_tok];
    } else if (allow_tailnum) {
        size_t last = last_key_tok(r, 0);
        if (last != SIZE_MAX && r->tok[last].cls == LF_TOK_NUM)
            t = &r->tok[last];
    }
    if (!t || !bufsize)
        return 0;
    const char *s = r->text + t->off;
    size_t l = t->len;
    if (l > 1 && s[0] == 'v' && s[1] >= '0' && s[1] <= '9') {
        s++;
        l--;
    }
    if (l >= bufsize)
        l = bufsize - 1;
    memcpy(buf, s, l);
    buf[l] = '\0';
    return l;
}
