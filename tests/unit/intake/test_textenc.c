/*
 * Tests for src/intake/textenc.c: every supported encoding detected and converted
 * byte-exactly against its UTF-8 original (fixtures made with iconv, see
 * tests/fixtures/intake/enc/README.md), BOM removal, Big5 vs GB18030 on real software
 * and publisher names, the offsets of rejected input, forced encodings and limits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/file.h"
#include "intake/textenc.h"

static char *load(const char *rel, size_t *len)
{
    char p[1024];
    const char *d = getenv("LF_FIXTURES");
    snprintf(p, sizeof p, "%s/intake/enc/%s", d ? d : "tests/fixtures", rel);
    char *data = NULL;
    lf_err e;
    lf_err_clear(&e);
    if (lf_file_read(p, 0, &data, len, &e) != LF_OK)
        fail_msg("cannot read fixture %s: %s", p, e.msg);
    return data;
}

/* Convert and expect success; returns the text (caller frees). */
static char *conv(const void *data, size_t len, int forced, lf_textenc *enc, size_t *outlen)
{
    char *out = (char *)"sentinel";
    size_t n = 99;
    lf_err e;
    lf_err_clear(&e);
    int rc = lf_textenc_to_utf8("t", data, len, forced, &out, &n, enc, &e);
    if (rc != LF_OK)
        fail_msg("conversion failed: %s", e.msg);
    assert_non_null(out);
    assert_int_equal(out[n], '\0');
    if (outlen)
        *outlen = n;
    return out;
}

/* Convert and expect LF_EPARSE; returns err->col, fills msg. */
static long reject(const void *data, size_t len, int forced, char *msg, size_t cap)
{
    char *out = (char *)"sentinel";
    size_t n = 99;
    lf_err e;
    lf_err_clear(&e);
    int rc = lf_textenc_to_utf8("bad.csv", data, len, forced, &out, &n, NULL, &e);
    if (rc != LF_EPARSE)
        fail_msg("expected LF_EPARSE, got %d", rc);
    assert_null(out);
    assert_int_equal(n, 0);
    assert_string_equal(e.src, "bad.csv");
    assert_int_equal(e.line, 0);
    snprintf(msg, cap, "%s", e.msg);
    return e.col;
}

/* Names and --encoding spellings. */
static void test_textenc_name_and_parse(void **state)
{
    (void)state;
    assert_string_equal(lf_textenc_name(LF_ENC_UTF8), "UTF-8");
    assert_string_equal(lf_textenc_name(LF_ENC_UTF8_BOM), "UTF-8 (BOM)");
    assert_string_equal(lf_textenc_name(LF_ENC_UTF16LE), "UTF-16LE");
    assert_string_equal(lf_textenc_name(LF_ENC_UTF16BE), "UTF-16BE");
    assert_string_equal(lf_textenc_name(LF_ENC_BIG5), "Big5 (CP950)");
    assert_string_equal(lf_textenc_name(LF_ENC_GB18030), "GB18030");
    assert_string_equal(lf_textenc_name((lf_textenc)42), "unknown");

    static const struct { const char *name; int enc; } rows[] = {
        {"utf-8", LF_ENC_UTF8},          {"UTF8", LF_ENC_UTF8},
        {"utf-8-sig", LF_ENC_UTF8_BOM},  {"UTF-8 BOM", LF_ENC_UTF8_BOM},
        {"utf-16le", LF_ENC_UTF16LE},    {"UTF_16LE", LF_ENC_UTF16LE},
        {"utf-16", LF_ENC_UTF16LE},      {"Unicode", LF_ENC_UTF16LE},
        {"utf-16be", LF_ENC_UTF16BE},    {"big5", LF_ENC_BIG5},
        {"CP950", LF_ENC_BIG5},          {"windows-950", LF_ENC_BIG5},
        {"ms950", LF_ENC_BIG5},          {"gb18030", LF_ENC_GB18030},
        {"GBK", LF_ENC_GB18030},         {"gb2312", LF_ENC_GB18030},
        {"cp936", LF_ENC_GB18030},       {"EUC-CN", LF_ENC_GB18030},
        {"latin1", -1},                  {"", -1},
        {"auto", -1},                    {"utf-32", -1},
        {"big5-hkscs", -1},              {"utf-8-utf-8-utf-8-utf-8-utf-8", -1},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        if (lf_textenc_parse(rows[i].name) != rows[i].enc)
            fail_msg("lf_textenc_parse(\"%s\") = %d, want %d", rows[i].name,
                     lf_textenc_parse(rows[i].name), rows[i].enc);
    assert_int_equal(lf_textenc_parse(NULL), -1);
}

/* Each fixture is detected as its encoding and converts to exactly its UTF-8 original
 * (BOM removed, CRLF and CR CR LF kept, a GB18030 four-byte emoji decoded). */
static void test_textenc_fixtures_byte_exact(void **state)
{
    (void)state;
    static const struct { const char *file, *orig; lf_textenc enc; } rows[] = {
        {"zh-tw.utf8.csv", "zh-tw.utf8.csv", LF_ENC_UTF8},
        {"zh-tw.utf8bom.csv", "zh-tw.utf8.csv", LF_ENC_UTF8_BOM},
        {"zh-tw.big5.csv", "zh-tw.utf8.csv", LF_ENC_BIG5},
        {"zh-tw.utf16le.csv", "zh-tw.utf8.csv", LF_ENC_UTF16LE},
        {"zh-tw.utf16be.csv", "zh-tw.utf8.csv", LF_ENC_UTF16BE},
        {"zh-cn.utf8.csv", "zh-cn.utf8.csv", LF_ENC_UTF8},
        {"zh-cn.gb18030.csv", "zh-cn.utf8.csv", LF_ENC_GB18030},
        {"zh-cn.utf16le.csv", "zh-cn.utf8.csv", LF_ENC_UTF16LE},
        {"wmic.utf8.txt", "wmic.utf8.txt", LF_ENC_UTF8},
        {"wmic.utf16le-nobom.txt", "wmic.utf8.txt", LF_ENC_UTF16LE},
        {"wmic.utf16be-nobom.txt", "wmic.utf8.txt", LF_ENC_UTF16BE},
        {"names-tw.big5.txt", "names-tw.utf8.txt", LF_ENC_BIG5},
        {"names-cn.gb18030.txt", "names-cn.utf8.txt", LF_ENC_GB18030},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        size_t n, on, tn;
        char *data = load(rows[i].file, &n);
        char *orig = load(rows[i].orig, &on);
        lf_textenc enc = (lf_textenc)-1;
        char *t = conv(data, n, -1, &enc, &tn);
        if (enc != rows[i].enc)
            fail_msg("%s: detected %s, want %s", rows[i].file, lf_textenc_name(enc),
                     lf_textenc_name(rows[i].enc));
        if (tn != on || memcmp(t, orig, on) != 0)
            fail_msg("%s: converted text differs from %s", rows[i].file, rows[i].orig);
        /* Forcing the right encoding gives the same bytes. */
        free(t);
        t = conv(data, n, (int)rows[i].enc, &enc, &tn);
        assert_int_equal(enc, rows[i].enc);
        assert_memory_equal(t, orig, on);
        assert_int_equal(tn, on);
        free(t);
        free(orig);
        free(data);
    }
}

/* BOMs are removed; a BOM alone is an empty text of that encoding. */
static void test_textenc_bom_removed(void **state)
{
    (void)state;
    static const struct { const char *in; size_t len; const char *out; lf_textenc enc; } rows[] = {
        {"\xef\xbb\xbf" "abc", 6, "abc", LF_ENC_UTF8_BOM},
        {"\xef\xbb\xbf", 3, "", LF_ENC_UTF8_BOM},
        {"\xef\xbb\xbf\xef\xbb\xbf", 6, "\xef\xbb\xbf", LF_ENC_UTF8_BOM},   /* only the first */
        {"\xff\xfe" "a\0", 4, "a", LF_ENC_UTF16LE},
        {"\xff\xfe", 2, "", LF_ENC_UTF16LE},
        {"\xfe\xff\0a\x4e\x2d", 6, "a\xe4\xb8\xad", LF_ENC_UTF16BE},
        {"\xff\xfe\x3d\xd8\x00\xde", 6, "\xf0\x9f\x98\x80", LF_ENC_UTF16LE},  /* surrogate pair */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        lf_textenc enc;
        size_t n;
        char *t = conv(rows[i].in, rows[i].len, -1, &enc, &n);
        assert_int_equal(enc, rows[i].enc);
        assert_string_equal(t, rows[i].out);
        assert_int_equal(n, strlen(rows[i].out));
        free(t);
    }
}

/* Run every line of a names fixture on its own: each short name must be detected as
 * `want` and decode to the same line of the UTF-8 original. */
static void check_names(const char *file, const char *orig_file, lf_textenc want, size_t min_lines)
{
    size_t n, on, lines = 0;
    char *data = load(file, &n);
    char *orig = load(orig_file, &on);
    const char *p = data, *q = orig, *pe = data + n, *qe = orig + on;
    while (p < pe && q < qe) {
        const char *pn = memchr(p, '\n', (size_t)(pe - p));
        const char *qn = memchr(q, '\n', (size_t)(qe - q));
        size_t pl = pn ? (size_t)(pn - p) : (size_t)(pe - p);
        size_t ql = qn ? (size_t)(qn - q) : (size_t)(qe - q);
        lf_textenc enc;
        size_t tn;
        char *t = conv(p, pl, -1, &enc, &tn);
        if (enc != want || tn != ql || memcmp(t, q, ql) != 0)
            fail_msg("%.*s: detected %s as \"%s\", want %s", (int)ql, q, lf_textenc_name(enc), t,
                     lf_textenc_name(want));
        free(t);
        lines++;
        p += pl + 1;
        q += ql + 1;
    }
    assert_true(lines >= min_lines);
    free(orig);
    free(data);
}

/* 27 Traditional names (Office, 趨勢科技, HiCOS, 自然人憑證, 健保卡...) exported as
 * Big5 are each taken as Big5, not GB18030. */
static void test_textenc_names_big5(void **state)
{
    (void)state;
    check_names("names-tw.big5.txt", "names-tw.utf8.txt", LF_ENC_BIG5, 20);
}

/* 26 Simplified names (腾讯QQ, 360安全卫士, WPS Office 个人版, 搜狗输入法...) exported as
 * GB18030 are each taken as GB18030, not Big5. */
static void test_textenc_names_gb18030(void **state)
{
    (void)state;
    check_names("names-cn.gb18030.txt", "names-cn.utf8.txt", LF_ENC_GB18030, 20);
}

/* The brief's two short names, and the documented limit: 钉钉 alone (b6 a4 b6 a4) reads
 * as Big5 隊隊 just as plausibly, so the tie goes to Big5; in a file with other names
 * the statistics decide for GB18030. */
static void test_textenc_short_names(void **state)
{
    (void)state;
    lf_textenc enc;
    char *t = conv("\xc1\xcd\xb6\xd5\xac\xec\xa7\xde\xa8\xbe\xac\x72", 12, -1, &enc, NULL);
    assert_int_equal(enc, LF_ENC_BIG5);
    assert_string_equal(t, "趨勢科技防毒");
    free(t);
    t = conv("\xbd\xf0\xc9\xbd\xb6\xbe\xb0\xd4", 8, -1, &enc, NULL);
    assert_int_equal(enc, LF_ENC_GB18030);
    assert_string_equal(t, "金山毒霸");
    free(t);
    t = conv("\xb6\xa4\xb6\xa4", 4, -1, &enc, NULL);
    assert_int_equal(enc, LF_ENC_BIG5);
    assert_string_equal(t, "隊隊");
    free(t);
    t = conv("\xb6\xa4\xb6\xa4\n\xce\xa2\xd0\xc5\n", 10, -1, &enc, NULL);   /* 钉钉, 微信 */
    assert_int_equal(enc, LF_ENC_GB18030);
    assert_string_equal(t, "钉钉\n微信\n");
    free(t);
}

/* Input that is none of the encodings is rejected whole with col = offset + 1 of the
 * first bad sequence under the most plausible reading, and a message naming them all. */
static void test_textenc_reject_offsets(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        size_t len;
        int forced;
        long col;
        const char *msg;   /* substring of the message */
    } rows[] = {
        /* a lone 0xFF: invalid in all four */
        {"\xff", 1, -1, 1, "not UTF-8 (invalid byte 0xff at offset 0), not UTF-16 (no BOM), "
                           "not Big5/CP950 (invalid byte 0xff at offset 0), "
                           "not GB18030 (invalid byte 0xff at offset 0)"},
        {"abc\xff", 4, -1, 4, "invalid byte 0xff at offset 3"},
        /* a multibyte lead cut off by the end of the input */
        {"abc\xe8", 4, -1, 4, "not UTF-8 (truncated sequence 0xe8 at end of input (offset 3))"},
        {"abc\xe8", 4, -1, 4, "not GB18030 (truncated sequence 0xe8 at end of input (offset 3))"},
        /* UTF-8 趨 then a cut-off 勢: valid Big5 bytes, but a truncated UTF-8 file */
        {"abc\xe8\xb6\xa8\xe5", 7, -1, 7, "UTF-8 cut short"},
        /* UTF-8 text damaged later: UTF-8 is the plausible reading */
        {"趨勢科技防毒\xff", 19, -1, 19, "not UTF-8 (invalid byte 0xff at offset 18)"},
        /* Big5 自然人憑證, then 81 40 (GBK only), then 0xFF: Big5 is the plausible reading */
        {"\xa6\xdb\xb5\x4d\xa4\x48\xbe\xcc\xc3\xd2\x81\x40\xff", 13, -1, 11,
         "not Big5/CP950 (invalid sequence 0x81 0x40 at offset 10), "
         "not GB18030 (invalid byte 0xff at offset 12)"},
        {"\x81\x20" "abc", 5, -1, 1, "invalid sequence 0x81 0x20 at offset 0"},
        /* glibc's CP950 would give U+0080 for 0x80; GB18030 rejects it */
        {"\xa4\x40\x80", 3, -1, 3, "not Big5/CP950 (invalid byte 0x80 at offset 2)"},
        /* NUL bytes outside UTF-16 */
        {"ab\0cd", 5, -1, 3, "not UTF-8 (NUL byte at offset 2)"},
        {"\xa4\x40\xa4\0", 4, -1, 3, "not Big5/CP950 (invalid sequence 0xa4 0x00 at offset 2)"},
        {"\0", 1, -1, 1, "NUL byte at offset 0"},
        /* strict UTF-8: overlong, surrogate, beyond U+10FFFF (also bad Big5/GB18030) */
        {"abc\xe0\x80\x80", 6, -1, 6, "overlong sequence (0xe0 0x80) at offset 3"},
        {"abc\xed\xa0\x80", 6, -1, 6, "encoded UTF-16 surrogate (0xed 0xa0) at offset 3"},
        {"abc\xf4\x90\x80\x80", 7, -1, 6, "code point above U+10FFFF (0xf4 0x90) at offset 3"},
        /* a BOM decides: after EF BB BF only UTF-8 is tried */
        {"\xef\xbb\xbf\xa4\x40", 5, -1, 4, "not UTF-8 (unexpected continuation byte 0xa4 at "
                                           "offset 3) although the file starts with a UTF-8 BOM"},
        /* UTF-16: odd length, unpaired surrogates, U+0000 */
        {"\xff\xfe" "a\0b", 5, -1, 5, "not UTF-16LE (BOM; odd length: lone byte 0x62 at offset 4)"},
        {"\xff\xfe\x3d\xd8" "A\0", 6, -1, 3, "unpaired high surrogate 0xd83d at offset 2"},
        {"\xfe\xff\xdc\x00", 4, -1, 3, "not UTF-16BE (BOM; unpaired low surrogate 0xdc00 at offset 2)"},
        {"\xff\xfe" "a\0\0\0", 6, -1, 5, "NUL character U+0000 at offset 4"},
        {"\xff\xfe\x3d\xd8", 4, -1, 3, "truncated surrogate pair 0xd83d at end of input (offset 2)"},
        {"a\0b\0c\0d", 7, -1, 7, "not UTF-16LE (no BOM, recognised by its NUL bytes; odd length"},
        /* forced encodings report only what was asked for */
        {"\xa4\x40", 2, LF_ENC_UTF8, 1, "not UTF-8 (unexpected continuation byte 0xa4 at offset 0)"},
        {"\x81\x40", 2, LF_ENC_BIG5, 1, "not Big5/CP950 (invalid sequence 0x81 0x40 at offset 0)"},
        {"ok\xff", 3, LF_ENC_GB18030, 3, "not GB18030 (invalid byte 0xff at offset 2)"},
        {"ok\0", 3, LF_ENC_GB18030, 3, "not GB18030 (NUL byte at offset 2)"},
        {"abc", 3, LF_ENC_UTF16BE, 3, "not UTF-16BE (no BOM, as requested; odd length"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char msg[512];
        long col = reject(rows[i].in, rows[i].len, rows[i].forced, msg, sizeof msg);
        if (col != rows[i].col || !strstr(msg, rows[i].msg))
            fail_msg("row %zu: col %ld (want %ld), message \"%s\" lacks \"%s\"", i, col, rows[i].col,
                     msg, rows[i].msg);
        assert_true(col >= 1 && (size_t)col <= rows[i].len + 1);
    }
}

/* An empty file is empty UTF-8, also when data is NULL. */
static void test_textenc_empty(void **state)
{
    (void)state;
    lf_textenc enc = LF_ENC_GB18030;
    size_t n = 5;
    char *t = conv("", 0, -1, &enc, &n);
    assert_int_equal(enc, LF_ENC_UTF8);
    assert_int_equal(n, 0);
    assert_string_equal(t, "");
    free(t);
    t = conv(NULL, 0, -1, &enc, &n);
    assert_string_equal(t, "");
    free(t);
    for (int f = LF_ENC_UTF8; f <= LF_ENC_GB18030; f++) {
        t = conv("", 0, f, &enc, &n);
        assert_int_equal(n, 0);
        assert_string_equal(t, "");
        free(t);
    }
}

/* Forced encodings: the option overrides detection, but a BOM of either byte order
 * decides UTF-16, and a forced UTF-8 still drops a BOM (and says so). */
static void test_textenc_forced(void **state)
{
    (void)state;
    lf_textenc enc;
    /* 微信 in GB18030, read as GB18030 and (as asked, though wrong) as Big5 */
    char *t = conv("\xce\xa2\xd0\xc5", 4, LF_ENC_GB18030, &enc, NULL);
    assert_int_equal(enc, LF_ENC_GB18030);
    assert_string_equal(t, "微信");
    free(t);
    t = conv("\xa4\x40", 2, LF_ENC_BIG5, &enc, NULL);
    assert_int_equal(enc, LF_ENC_BIG5);
    assert_string_equal(t, "一");
    free(t);
    /* a BE BOM wins over a forced UTF-16LE */
    t = conv("\xfe\xff\0h\0i", 6, LF_ENC_UTF16LE, &enc, NULL);
    assert_int_equal(enc, LF_ENC_UTF16BE);
    assert_string_equal(t, "hi");
    free(t);
    /* without BOM the forced byte order holds, even for CJK-only text */
    t = conv("\x2d\x4e\x87\x65", 4, LF_ENC_UTF16LE, &enc, NULL);
    assert_int_equal(enc, LF_ENC_UTF16LE);
    assert_string_equal(t, "中文");
    free(t);
    t = conv("\xef\xbb\xbfx", 4, LF_ENC_UTF8, &enc, NULL);
    assert_int_equal(enc, LF_ENC_UTF8_BOM);
    assert_string_equal(t, "x");
    free(t);
    /* valid UTF-8 wins detection; the known short-text limit */
    t = conv("\xc4\xa3", 2, -1, &enc, NULL);
    assert_int_equal(enc, LF_ENC_UTF8);
    free(t);
    t = conv("\xc4\xa3", 2, LF_ENC_BIG5, &enc, NULL);
    assert_int_equal(enc, LF_ENC_BIG5);
    assert_string_equal(t, "耀");
    free(t);
}

/* Bad arguments and the 1 GiB limit (checked before any byte is read). */
static void test_textenc_limits(void **state)
{
    (void)state;
    char *out = NULL;
    size_t n = 0;
    lf_err e;
    lf_err_clear(&e);
    unsigned char one = 'a';
    assert_int_equal(lf_textenc_to_utf8("big", &one, LF_TEXTENC_MAX_INPUT + 1, -1, &out, &n, NULL, &e),
                     LF_ELIMIT);
    assert_null(out);
    assert_non_null(strstr(e.msg, "limit"));
    assert_int_equal(lf_textenc_to_utf8("x", &one, 1, -1, NULL, &n, NULL, &e), LF_EINVAL);
    assert_int_equal(lf_textenc_to_utf8("x", &one, 1, -1, &out, NULL, NULL, &e), LF_EINVAL);
    assert_int_equal(lf_textenc_to_utf8("x", NULL, 1, -1, &out, &n, NULL, &e), LF_EINVAL);
    assert_int_equal(lf_textenc_to_utf8("x", &one, 1, 17, &out, &n, NULL, &e), LF_EINVAL);
    assert_null(out);
    /* NULL lf_err and NULL detected are allowed */
    assert_int_equal(lf_textenc_to_utf8(NULL, &one, 1, -1, &out, &n, NULL, NULL), LF_OK);
    assert_string_equal(out, "a");
    free(out);
    out = NULL;
    assert_int_equal(lf_textenc_to_utf8(NULL, (const unsigned char *)"\xff", 1, -1, &out, &n, NULL, NULL),
                     LF_EPARSE);
    assert_null(out);
}

/* Repeat a fixture to more than `min` bytes, optionally appending a tail. */
static unsigned char *repeat(const char *file, size_t min, const char *tail, size_t tlen, size_t *len,
                             size_t *tail_at)
{
    size_t n;
    char *one = load(file, &n);
    size_t reps = min / n + 1;
    unsigned char *b = malloc(reps * n + tlen * 2);
    assert_non_null(b);
    for (size_t i = 0; i < reps; i++)
        memcpy(b + i * n, one, n);
    *tail_at = reps * n;
    memcpy(b + reps * n, tail, tlen);
    memcpy(b + reps * n + tlen, one, tlen);   /* a little valid text after the tail */
    *len = reps * n + 2 * tlen;
    free(one);
    return b;
}

/* Files beyond the 1 MiB scoring prefix: converted whole; damage after the prefix is
 * found with its exact offset; when the better-scoring CP950 fails late, GB18030 (valid
 * throughout) is used, because a valid reading beats an invalid one. */
static void test_textenc_large(void **state)
{
    (void)state;
    size_t len, at, tn, on;
    lf_textenc enc;
    unsigned char *b = repeat("zh-tw.big5.csv", (size_t)3 << 19, "", 0, &len, &at);
    char *orig = load("zh-tw.utf8.csv", &on);
    char *t = conv(b, len, -1, &enc, &tn);
    assert_int_equal(enc, LF_ENC_BIG5);
    assert_int_equal(tn % on, 0);
    for (size_t i = 0; i < tn; i += on)
        assert_memory_equal(t + i, orig, on);
    free(t);
    free(orig);
    free(b);

    b = repeat("zh-tw.big5.csv", (size_t)3 << 19, "\xff", 1, &len, &at);
    char msg[512];
    long col = reject(b, len, -1, msg, sizeof msg);
    assert_int_equal(col, (long)at + 1);
    free(b);

    b = repeat("zh-tw.big5.csv", (size_t)3 << 19, "\x81\x40", 2, &len, &at);
    t = conv(b, len, -1, &enc, &tn);
    assert_int_equal(enc, LF_ENC_GB18030);
    free(t);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_textenc_name_and_parse),
        cmocka_unit_test(test_textenc_fixtures_byte_exact),
        cmocka_unit_test(test_textenc_bom_removed),
        cmocka_unit_test(test_textenc_names_big5),
        cmocka_unit_test(test_textenc_names_gb18030),
        cmocka_unit_test(test_textenc_short_names),
        cmocka_unit_test(test_textenc_reject_offsets),
        cmocka_unit_test(test_textenc_empty),
        cmocka_unit_test(test_textenc_forced),
        cmocka_unit_test(test_textenc_limits),
        cmocka_unit_test(test_textenc_large),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
