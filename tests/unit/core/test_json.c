/* Tests for src/core/json.c: RFC 8259 parsing into the arena, located errors, limits,
 * the streaming walk (lf_json_foreach), lookups and lf_json_write_str. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/json.h"

/* ---- helpers ------------------------------------------------------------------------- */

/* Canonical compact form: numbers as source text, strings through lf_json_write_str. */
static void dump(lf_buf *b, const lf_json *v)
{
    switch (v->type) {
    case LF_JSON_NULL: lf_buf_puts(b, "null"); break;
    case LF_JSON_TRUE: lf_buf_puts(b, "true"); break;
    case LF_JSON_FALSE: lf_buf_puts(b, "false"); break;
    case LF_JSON_NUMBER: lf_buf_append(b, v->u.str, v->n); break;
    case LF_JSON_STRING: assert_int_equal(lf_json_write_str(b, v->u.str, v->n), 0); break;
    case LF_JSON_ARRAY:
        lf_buf_putc(b, '[');
        for (uint32_t i = 0; i < v->n; i++) {
            if (i)
                lf_buf_putc(b, ',');
            dump(b, &v->u.items[i]);
        }
        lf_buf_putc(b, ']');
        break;
    case LF_JSON_OBJECT:
        lf_buf_putc(b, '{');
        for (uint32_t i = 0; i < v->n; i++) {
            if (i)
                lf_buf_putc(b, ',');
            assert_int_equal(lf_json_write_str(b, v->u.members[i].key, v->u.members[i].klen), 0);
            lf_buf_putc(b, ':');
            dump(b, &v->u.members[i].val);
        }
        lf_buf_putc(b, '}');
        break;
    }
}

static int parse_n(lf_arena *a, const char *s, size_t n, const lf_json_limits *lim,
                   lf_json **out, lf_err *err)
{
    lf_err_clear(err);
    return lf_json_parse(a, s, n, lim, out, err);
}

static int parse_s(lf_arena *a, const char *s, lf_json **out, lf_err *err)
{
    return parse_n(a, s, strlen(s), NULL, out, err);
}

/* ---- valid documents ------------------------------------------------------------------- */

/* Every value type, nesting and whitespace parse to the expected tree (canonical form). */
static void test_json_valid_documents(void **state)
{
    (void)state;
    static const struct {
        const char *in, *canon;
    } cases[] = {
        {"null", "null"},
        {"true", "true"},
        {"false", "false"},
        {"0", "0"},
        {"-0", "-0"},
        {"10.0", "10.0"},
        {"-12.5e+3", "-12.5e+3"},
        {"\"\"", "\"\""},
        {"\"x\"", "\"x\""},
        {"[]", "[]"},
        {"{}", "{}"},
        {"[[]]", "[[]]"},
        {"[{}]", "[{}]"},
        {" \t\r\n[ 1 , 2 ,\n3 ] \n", "[1,2,3]"},
        {"{\"a\" : [1, 2.50, -3e2, true, false, null, \"x\"] , \"b\":{}}",
         "{\"a\":[1,2.50,-3e2,true,false,null,\"x\"],\"b\":{}}"},
        {"{\"\":0}", "{\"\":0}"},
        {"{\"a\":{\"b\":{\"c\":[[[\"deep\"]]]}}}", "{\"a\":{\"b\":{\"c\":[[[\"deep\"]]]}}}"},
        {"[1,[2,[3,[4,[5]]]]]", "[1,[2,[3,[4,[5]]]]]"},
        {"{\"a\":1,\"a\":2}", "{\"a\":1,\"a\":2}"},
        {"\xEF\xBB\xBF{\"bom\":true}", "{\"bom\":true}"},
        {"[\"\\/\"]", "[\"/\"]"},
        {"{\"k\\u0041\":\"v\"}", "{\"kA\":\"v\"}"},
        {"[\"a long string that is longer than sixteen bytes\",\"and \\\"one\\\" with escapes\"]",
         "[\"a long string that is longer than sixteen bytes\",\"and \\\"one\\\" with escapes\"]"},
        {"[\"\xE4\xB8\xAD\xE6\x96\x87\xE6\xBC\x8F\xE6\xB4\x9E\"]",
         "[\"\xE4\xB8\xAD\xE6\x96\x87\xE6\xBC\x8F\xE6\xB4\x9E\"]"},
        {"[123456789012345678901234567890,1e400,-1e-400]",
         "[123456789012345678901234567890,1e400,-1e-400]"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        lf_arena a;
        lf_arena_init(&a, 0);
        lf_json *v = NULL;
        lf_err err;
        int rc = parse_s(&a, cases[i].in, &v, &err);
        if (rc)
            print_error("case %zu: %s at %ld:%ld\n", i, err.msg, err.line, err.col);
        assert_int_equal(rc, 0);
        assert_non_null(v);
        lf_buf b;
        lf_buf_init(&b, 0);
        dump(&b, v);
        assert_string_equal(b.data, cases[i].canon);
        lf_buf_clear(&b);
        lf_arena_clear(&a);
    }
}

/* Escapes decode to the exact bytes: surrogate pairs to 4-byte UTF-8, \u0000 kept. */
static void test_json_string_escapes(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        const char *bytes;
        uint32_t n;
    } cases[] = {
        {"\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\/\b\f\n\r\t", 8},
        {"\"\\u0041\\u00e9\\u20AC\"", "A\xC3\xA9\xE2\x82\xAC", 6},
        {"\"\\ud83d\\ude00\"", "\xF0\x9F\x98\x80", 4},
        {"\"\\uD834\\uDD1E clef\"", "\xF0\x9D\x84\x9E clef", 9},
        {"\"\\uDBFF\\uDFFF\"", "\xF4\x8F\xBF\xBF", 4},
        {"\"a\\u0000b\"", "a\0b", 3},
        {"\"\\u0000\"", "\0", 1},
        {"\"\\u007f\\u0080\\u07ff\\u0800\\uffff\"", "\x7F\xC2\x80\xDF\xBF\xE0\xA0\x80\xEF\xBF\xBF", 11},
        {"\"\xF0\x9F\x98\x80 raw\"", "\xF0\x9F\x98\x80 raw", 8},
        {"\"\xF4\x8F\xBF\xBF\"", "\xF4\x8F\xBF\xBF", 4},
        {"\"\xE2\x80\xA8\x7F\"", "\xE2\x80\xA8\x7F", 4},
        {"\"0123456789abcdef\\n0123456789abcdef\"", "0123456789abcdef\n0123456789abcdef", 33},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        lf_arena a;
        lf_arena_init(&a, 0);
        lf_json *v = NULL;
        lf_err err;
        assert_int_equal(parse_s(&a, cases[i].in, &v, &err), 0);
        assert_int_equal(v->type, LF_JSON_STRING);
        assert_int_equal(v->n, cases[i].n);
        assert_memory_equal(v->u.str, cases[i].bytes, cases[i].n);
        assert_int_equal(v->u.str[v->n], '\0');
        lf_arena_clear(&a);
    }
}

/* Numbers keep their source text and get the correctly rounded double. */
static void test_json_numbers(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        double want;
    } cases[] = {
        {"0", 0.0},
        {"7", 7.0},
        {"-7", -7.0},
        {"10.0", 10.0},
        {"8.8", 8.8},
        {"0.1", 0.1},
        {"-1.5e-3", -1.5e-3},
        {"1E+2", 100.0},
        {"1e-2", 0.01},
        {"2.5E2", 250.0},
        {"0.000001", 1e-6},
        {"9007199254740993", 9007199254740992.0},
        {"123456789012345678901234567890", 1.2345678901234568e29},
        {"1.7976931348623157e308", 1.7976931348623157e308},
        {"2.2250738585072014e-308", 2.2250738585072014e-308},
        {"4.9e-324", 4.9e-324},
        {"0.30000000000000004", 0.30000000000000004},
        {"1e22", 1e22},
        {"1e23", 1e23},
        {"3.141592653589793238462643383279", 3.141592653589793},
        {"0e999999999", 0.0},
        {"1e-400", 0.0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        lf_arena a;
        lf_arena_init(&a, 0);
        lf_json *v = NULL;
        lf_err err;
        assert_int_equal(parse_s(&a, cases[i].in, &v, &err), 0);
        assert_int_equal(v->type, LF_JSON_NUMBER);
        assert_string_equal(v->u.str, cases[i].in);
        assert_int_equal(v->n, strlen(cases[i].in));
        if (v->num != cases[i].want)
            print_error("case %s: got %.17g want %.17g\n", cases[i].in, v->num, cases[i].want);
        assert_true(v->num == cases[i].want);
        lf_arena_clear(&a);
    }
    /* signed zero and infinity */
    lf_arena a;
    lf_arena_init(&a, 0);
    lf_json *v;
    lf_err err;
    assert_int_equal(parse_s(&a, "-0", &v, &err), 0);
    assert_true(v->num == 0.0 && signbit(v->num));
    assert_int_equal(parse_s(&a, "-0.0e-0", &v, &err), 0);
    assert_true(signbit(v->num));
    assert_int_equal(parse_s(&a, "1e400", &v, &err), 0);
    assert_true(isinf(v->num) && v->num > 0);
    assert_int_equal(parse_s(&a, "-1.5e99999999999", &v, &err), 0);
    assert_true(isinf(v->num) && v->num < 0);
    lf_arena_clear(&a);
}

/* Random decimals (fast path and slow path alike) equal strtod bit for bit. */
static void test_json_numbers_match_strtod(void **state)
{
    (void)state;
    uint64_t s = 88172645463325252ull;
    lf_arena a;
    lf_arena_init(&a, 0);
    for (int i = 0; i < 200000; i++) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        char txt[80];
        unsigned long long ip = s % 100000000000000000ull;
        unsigned digits = (unsigned)(s >> 40) % 25;
        int e = (int)((s >> 20) % 80) - 40;
        switch (i % 4) {
        case 0: snprintf(txt, sizeof txt, "%llu", ip >> (s & 31)); break;
        case 1: snprintf(txt, sizeof txt, "%llu.%0*llu", ip >> 30, (int)digits + 1, ip % 1000000000ull); break;
        case 2: snprintf(txt, sizeof txt, "-%llu.%llue%d", ip % 1000, ip, e); break;
        default: snprintf(txt, sizeof txt, "%llue%d", ip >> (s & 63), e * 8); break;
        }
        lf_json *v;
        lf_err err;
        assert_int_equal(parse_s(&a, txt, &v, &err), 0);
        double want = strtod(txt, NULL);
        if (memcmp(&want, &v->num, sizeof want) != 0)
            print_error("%s: got %.17g want %.17g\n", txt, v->num, want);
        assert_memory_equal(&want, &v->num, sizeof want);
        if (i % 1000 == 999)
            lf_arena_reset(&a);
    }
    lf_arena_clear(&a);
}

/* A locale with a decimal comma does not change how numbers are read. */
static void test_json_numbers_locale_independent(void **state)
{
    (void)state;
    const char *old = setlocale(LC_NUMERIC, NULL);
    char saved[64];
    snprintf(saved, sizeof saved, "%s", old ? old : "C");
    if (!setlocale(LC_NUMERIC, "de_DE.UTF-8") && !setlocale(LC_NUMERIC, "fr_FR.UTF-8")) {
        skip();
    }
    lf_arena a;
    lf_arena_init(&a, 0);
    lf_json *v;
    lf_err err;
    assert_int_equal(parse_s(&a, "1.2345678901234567890123", &v, &err), 0);
    setlocale(LC_NUMERIC, saved);
    assert_true(v->num == 1.2345678901234568);
    lf_arena_clear(&a);
}

/* ---- invalid documents --------------------------------------------------------------- */

typedef struct bad_case {
    const char *in;
    size_t len;       /* 0: strlen */
    int code;
    long line, col;
    const char *msg;  /* substring of err.msg */
} bad_case;

static const bad_case bad_cases[] = {
    {"", 0, LF_EPARSE, 1, 1, "expected a JSON value, found end of input"},
    {"   ", 0, LF_EPARSE, 1, 4, "found end of input"},
    {"[1,2,]", 0, LF_EPARSE, 1, 6, "trailing comma"},
    {"{\"a\":1,}", 0, LF_EPARSE, 1, 8, "trailing comma"},
    {"[1,\n2,\n3,]", 0, LF_EPARSE, 3, 3, "found ']' (trailing comma)"},
    {"[01]", 0, LF_EPARSE, 1, 2, "leading zero in number"},
    {"-01", 0, LF_EPARSE, 1, 2, "leading zero"},
    {"NaN", 0, LF_EPARSE, 1, 1, "expected a JSON value, found 'N'"},
    {"[Infinity]", 0, LF_EPARSE, 1, 2, "found 'I'"},
    {"-Infinity", 0, LF_EPARSE, 1, 2, "expected a digit after '-' in number, found 'I'"},
    {"+1", 0, LF_EPARSE, 1, 1, "found '+'"},
    {".5", 0, LF_EPARSE, 1, 1, "found '.'"},
    {"1.", 0, LF_EPARSE, 1, 3, "truncated input: document ends inside a number"},
    {"1.e5", 0, LF_EPARSE, 1, 3, "expected a digit after '.' in number, found 'e'"},
    {"1e", 0, LF_EPARSE, 1, 3, "document ends inside a number"},
    {"1e+", 0, LF_EPARSE, 1, 4, "document ends inside a number"},
    {"[1ea]", 0, LF_EPARSE, 1, 4, "expected a digit in the exponent of number, found 'a'"},
    {"-", 0, LF_EPARSE, 1, 2, "document ends inside a number"},
    {"[0x1]", 0, LF_EPARSE, 1, 3, "expected ',' or ']' after array element, found 'x'"},
    {"\"a\x01" "b\"", 0, LF_EPARSE, 1, 3, "unescaped control character '\\x01' in string"},
    {"\"tab\there\"", 0, LF_EPARSE, 1, 5, "unescaped control character '\\t'"},
    {"[\"line\nbreak\"]", 0, LF_EPARSE, 1, 7, "unescaped control character '\\n'"},
    {"[\"\\x\"]", 0, LF_EPARSE, 1, 3, "invalid escape in string: 'x' after '\\'"},
    {"\"\\'\"", 0, LF_EPARSE, 1, 2, "invalid escape"},
    {"\"\\ud800\"", 0, LF_EPARSE, 1, 2, "unpaired high surrogate \\uD800"},
    {"\"\\udc00\"", 0, LF_EPARSE, 1, 2, "unpaired low surrogate \\uDC00"},
    {"\"\\ud800\\u0041\"", 0, LF_EPARSE, 1, 2, "unpaired high surrogate"},
    {"\"ab\\ud83dx\"", 0, LF_EPARSE, 1, 4, "unpaired high surrogate \\uD83D"},
    {"\"\\ude00\\ud83d\"", 0, LF_EPARSE, 1, 2, "unpaired low surrogate"},
    {"\"\\u12G4\"", 0, LF_EPARSE, 1, 6, "expected a hex digit, found 'G'"},
    {"\"\\ud83d\\ude0\"", 0, LF_EPARSE, 1, 13, "expected a hex digit, found '\"'"},
    {"\"\xff\"", 0, LF_EPARSE, 1, 2, "invalid UTF-8 byte '\\xff'"},
    {"\"\xc0\xaf\"", 0, LF_EPARSE, 1, 2, "invalid UTF-8 byte '\\xc0' in string (overlong"},
    {"\"ok \xe0\x80\xaf\"", 0, LF_EPARSE, 1, 6, "invalid UTF-8 byte '\\x80' in string (overlong"},
    {"\"\xed\xa0\x80\"", 0, LF_EPARSE, 1, 3, "'\\xa0' in string (surrogate"},
    {"\"\xf4\x90\x80\x80\"", 0, LF_EPARSE, 1, 3, "(code point above U+10FFFF)"},
    {"\"\xf5\x80\x80\x80\"", 0, LF_EPARSE, 1, 2, "invalid UTF-8 byte '\\xf5'"},
    {"\"\x80\"", 0, LF_EPARSE, 1, 2, "continuation byte without a lead byte"},
    {"\"\xe2\x82\"", 0, LF_EPARSE, 1, 4, "truncated UTF-8 sequence in string: '\"' is not"},
    {"\"\xf0\x9f\x98x\"", 0, LF_EPARSE, 1, 5, "truncated UTF-8 sequence in string: 'x'"},
    {"[1] x", 0, LF_EPARSE, 1, 5, "unexpected data after the JSON value, found 'x'"},
    {"{} {}", 0, LF_EPARSE, 1, 4, "unexpected data after the JSON value, found '{'"},
    {"[1,2]]", 0, LF_EPARSE, 1, 6, "unexpected data"},
    {"1 2", 0, LF_EPARSE, 1, 3, "unexpected data"},
    {"[1 2]", 0, LF_EPARSE, 1, 4, "expected ',' or ']' after array element, found '2'"},
    {"{\"a\" 1}", 0, LF_EPARSE, 1, 6, "expected ':' after object key, found '1'"},
    {"{\"a\":1 \"b\":2}", 0, LF_EPARSE, 1, 8,
     "expected ',' or '}' after object member, found '\"'"},
    {"{\"a\":1 x}", 0, LF_EPARSE, 1, 8, "expected ',' or '}' after object member, found 'x'"},
    {"{1:2}", 0, LF_EPARSE, 1, 2, "expected '\"' to begin an object member or '}', found '1'"},
    {"{'a':1}", 0, LF_EPARSE, 1, 2, "found '\\''"},
    {"{\"a\":}", 0, LF_EPARSE, 1, 6, "expected a JSON value after ':' in object, found '}'"},
    {"[,1]", 0, LF_EPARSE, 1, 2, "expected a JSON value in array, found ','"},
    {"{,}", 0, LF_EPARSE, 1, 2, "found ','"},
    {"[", 0, LF_EPARSE, 1, 2, "truncated input: document ends inside an array"},
    {"[1,", 0, LF_EPARSE, 1, 4, "truncated input: document ends inside an array"},
    {"{\"a\":[1,{\"b\":2", 0, LF_EPARSE, 1, 15, "truncated input: document ends inside an object"},
    {"{\"a\"", 0, LF_EPARSE, 1, 5, "document ends inside an object"},
    {"{\"a\":", 0, LF_EPARSE, 1, 6, "document ends inside an object"},
    {"\"abc", 0, LF_EPARSE, 1, 1, "unterminated string"},
    {"[\n  \"abc\\", 0, LF_EPARSE, 2, 3, "unterminated string"},
    {"\"\\u00", 0, LF_EPARSE, 1, 1, "unterminated string"},
    {"[\n  1,\n  tru", 0, LF_EPARSE, 3, 6, "truncated input: document ends inside literal 'true'"},
    {"[\n  truth]", 0, LF_EPARSE, 2, 6, "invalid literal: expected 'true', found 't'"},
    {"nul", 0, LF_EPARSE, 1, 4, "ends inside literal 'null'"},
    {"[True]", 0, LF_EPARSE, 1, 2, "found 'T'"},
    {"\xEF\xBB\xBF\xEF\xBB\xBF" "1", 0, LF_EPARSE, 1, 4, "expected a JSON value, found '\\xef'"},
    {"[1]\0", 4, LF_EPARSE, 1, 4, "unexpected data after the JSON value, found '\\x00'"},
    {"\0", 1, LF_EPARSE, 1, 1, "found '\\x00'"},
    {"[\f1]", 0, LF_EPARSE, 1, 2, "found '\\x0c'"},
    {"\r\n\r\n  x", 0, LF_EPARSE, 3, 3, "found 'x'"},
    {"\r\r x", 0, LF_EPARSE, 1, 4, "found 'x'"},
    {"/* comment */ 1", 0, LF_EPARSE, 1, 1, "found '/'"},
    {"{\"resultsPerPage\": x}", 0, LF_EPARSE, 1, 20, "expected a JSON value after ':' in object, found 'x'"},
    {"{\"vulnerabilities\": [1, x]}", 0, LF_EPARSE, 1, 25, "expected a JSON value in array, found 'x'"},
    {"{\"vulnerabilities\": [1,]}", 0, LF_EPARSE, 1, 24, "trailing comma"},
    {"{\"vulnerabilities\": [1 2]}", 0, LF_EPARSE, 1, 24, "expected ',' or ']' after array element"},
    {"{\"vulnerabilities\": [1], \"x\" 2}", 0, LF_EPARSE, 1, 30, "expected ':' after object key"},
    {"{\"vulnerabilities\": [\n  {\"id\": \"CVE-1\"},\n  {\"id\": \"CVE-2\" \"x\"}\n]}", 0,
     LF_EPARSE, 3, 18, "expected ',' or '}' after object member, found '\"'"},
    {"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
     0, LF_ELIMIT, 1, 65, "nesting deeper than max_depth (64)"},
};

/* Each malformed document fails with the expected code, line, column and message. */
static void test_json_invalid_documents(void **state)
{
    (void)state;
    assert_true(sizeof(bad_cases) / sizeof(bad_cases[0]) >= 40);
    for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
        const bad_case *c = &bad_cases[i];
        size_t len = c->len ? c->len : strlen(c->in);
        lf_arena a;
        lf_arena_init(&a, 0);
        lf_json *v = (lf_json *)&a; /* must be reset to NULL */
        lf_err err;
        int rc = parse_n(&a, c->in, len, NULL, &v, &err);
        if (rc != c->code || err.line != c->line || err.col != c->col || !strstr(err.msg, c->msg))
            print_error("case %zu: rc %d at %ld:%ld: %s\n", i, rc, err.line, err.col, err.msg);
        assert_int_equal(rc, c->code);
        assert_null(v);
        assert_int_equal(err.code, c->code);
        assert_int_equal(err.line, c->line);
        assert_int_equal(err.col, c->col);
        assert_non_null(strstr(err.msg, c->msg));
        lf_arena_clear(&a);
    }
}

static int count_elem(void *ud, const lf_json *elem, size_t index, long line)
{
    (void)elem;
    (void)index;
    (void)line;
    (*(size_t *)ud)++;
    return 0;
}

/* lf_json_foreach validates exactly like lf_json_parse: same code, location and message. */
static void test_json_foreach_same_errors_as_parse(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
        const bad_case *c = &bad_cases[i];
        size_t len = c->len ? c->len : strlen(c->in);
        lf_arena a;
        lf_arena_init(&a, 0);
        lf_json *v;
        lf_err perr, err;
        assert_int_equal(parse_n(&a, c->in, len, NULL, &v, &perr), c->code);
        static const char *const keys[] = {NULL, "vulnerabilities"};
        for (size_t k = 0; k < 2; k++) {
            lf_err_clear(&err);
            size_t n = 0;
            int rc = lf_json_foreach(&a, c->in, len, keys[k], NULL, count_elem, &n, &err);
            if (rc != c->code || err.line != c->line || err.col != c->col ||
                strcmp(err.msg, perr.msg) != 0)
                print_error("case %zu key %zu: rc %d at %ld:%ld: %s\n", i, k, rc, err.line,
                            err.col, err.msg);
            assert_int_equal(rc, c->code);
            assert_int_equal(err.line, c->line);
            assert_int_equal(err.col, c->col);
            assert_string_equal(err.msg, perr.msg);
        }
        lf_arena_clear(&a);
    }
}

/* JSONTestSuite-style edge cases: y_ must parse, n_ must be rejected, i_ are our choices. */
static void test_json_edge_cases(void **state)
{
    (void)state;
    static const char *const yes[] = {
        "[]", "{}", "[[]   ]", "[\"\"]", "\"\"", "[0]", "[-0]", "[-0.0e-0]", "[0e+1]", "[0E1]",
        "[1E1]", "[1e-1]", "[123e45]", "[-123]", "[1.5e+9999]", "[-1e-9999]",
        "{\"\":0}", "{\"a\":{\"a\":{}}}", " [1] ", "\t\n\r [ \t\n\r1\t\n\r ]\t\n\r",
        "\"\\/\\\\\\\"\\b\\f\\n\\r\\t\"", "\"\\u0061\\u30af\\u30EA\\u30b9\"", "\"\\uD834\\uDD1E\"",
        "[\"\xf4\x8f\xbf\xbf\"]", "[\"\xef\xbf\xbf\"]", "[\"\xe2\x80\xa8\xe2\x80\xa9\"]",
        "[\"\x7f\"]", "[\"\\u0000\"]", "[\"\\uFFFE\"]", "[1,[2,[3]]]", "{\"a\":[],\"b\":{}}",
        "true", "false", "null", "\xEF\xBB\xBF{}", "[123456789012345678901234567890]",
        "[0.0000000000000000000000000000001]", "{\"a\":1,\"a\":2}", "[\"\xc2\x80\"]",
        "[\"\xdf\xbf\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\xf0\x90\x80\x80\"]", "[false,true,null]",
        "{\"a\":null}", "[\"a\",\"b\"]", "[{\"\":{}}]", "[1E-2]", "[1e+2]", "[20]",
    };
    static const char *const no[] = {
        "[\"a\",,]", "[1,,2]", "[--1]", "[1.]", "[.1]", "[0x1]", "[0x]", "[1e]", "[1e+]",
        "[1e+-1]", "[1.2.3]", "[1e1.5]", "[012]", "[-012]", "[00]", "[-]", "[- 1]", "[1 000]",
        "[Infinity]", "[-Infinity]", "[NaN]", "[-NaN]", "[True]", "[nul]", "[nulll]", "[tru]",
        "{\"a\"}", "{\"a\":}", "{:1}", "{\"a\" \"b\"}", "{\"a\":1,,\"b\":2}", "{\"a\":1}}",
        "[\"\\a\"]", "['a']", "\"\\u\"", "\"\\u1\"", "\"\\uDFFF\"", "\"\\uD800\\uD800\"",
        "[\"\xed\xbf\xbf\"]", "[\"\xc1\xbf\"]", "[\"\xf8\x88\x80\x80\x80\"]", "[1]]", "[[]",
        "[", "]", "{", "}", "/* c */ 1", "1 // c", "[1;2]", "{\"a\" : 1 ,}", "\"\t\"", "\"\n\"",
        "[\"\\\n\"]", "abc", "\xef\xbb", "\xef\xbb\xbf", "[\"a\"\"b\"]", "[truefalse]",
        "[true false]", "[1,]", "{\"a\":true,}", "[\"\\uqqqq\"]", "[\"\\x00\"]", "\"abc",
        "{\"a\":1 \"b\":2}", "[\xe2\x80\x8b]", "[\xc2\xa0\x31]", "{a:1}", "[\"a\"]\x1f",
        "[1]\xef\xbb\xbf", "\x00[]", "[\"\xe0\xff\"]", "[\"\xf0\x80\x80\x80\"]",
    };
    lf_arena a;
    lf_arena_init(&a, 0);
    for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
        lf_json *v;
        lf_err err;
        int rc = parse_s(&a, yes[i], &v, &err);
        if (rc)
            print_error("y_%zu %s: %s\n", i, yes[i], err.msg);
        assert_int_equal(rc, 0);
    }
    for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
        lf_json *v;
        lf_err err;
        /* "\x00[]" has its NUL first, so strlen would see an empty document */
        size_t len = no[i][0] ? strlen(no[i]) : 3;
        int rc = parse_n(&a, no[i], len, NULL, &v, &err);
        if (rc != LF_EPARSE)
            print_error("n_%zu %s: rc %d\n", i, no[i], rc);
        assert_int_equal(rc, LF_EPARSE);
        assert_true(err.line >= 1 && err.col >= 1);
    }
    lf_arena_clear(&a);
}

/* ---- limits -------------------------------------------------------------------------- */

static char *repeat(const char *open, size_t n, const char *mid, const char *close)
{
    size_t lo = strlen(open), lm = strlen(mid), lc = strlen(close);
    char *s = malloc(n * (lo + lc) + lm + 1);
    assert_non_null(s);
    char *p = s;
    for (size_t i = 0; i < n; i++, p += lo)
        memcpy(p, open, lo);
    memcpy(p, mid, lm);
    p += lm;
    for (size_t i = 0; i < n; i++, p += lc)
        memcpy(p, close, lc);
    *p = '\0';
    return s;
}

/* Depth, string length, item count and number length limits: at the limit ok, one over fails. */
static void test_json_limits(void **state)
{
    (void)state;
    lf_arena a;
    lf_arena_init(&a, 0);
    lf_json *v;
    lf_err err;

    /* depth: default 64 */
    char *ok = repeat("[", 64, "1", "]"), *over = repeat("[", 65, "1", "]");
    assert_int_equal(parse_s(&a, ok, &v, &err), 0);
    assert_int_equal(parse_s(&a, over, &v, &err), LF_ELIMIT);
    assert_non_null(strstr(err.msg, "max_depth"));
    assert_int_equal(err.col, 65);
    free(ok);
    free(over);
    lf_json_limits lim = {.max_depth = 3};
    assert_int_equal(parse_n(&a, "{\"a\":[{}]}", 10, &lim, &v, &err), 0);
    assert_int_equal(parse_n(&a, "{\"a\":[{\"b\":[]}]}", 16, &lim, &v, &err), LF_ELIMIT);
    assert_int_equal(err.col, 12);

    /* string: bytes after unescaping */
    lim = (lf_json_limits){.max_string = 4};
    assert_int_equal(parse_n(&a, "[\"abcd\"]", 8, &lim, &v, &err), 0);
    assert_int_equal(parse_n(&a, "[\"abcde\"]", 9, &lim, &v, &err), LF_ELIMIT);
    assert_int_equal(err.col, 2);
    assert_non_null(strstr(err.msg, "max_string"));
    assert_int_equal(parse_n(&a, "[\"\\u0041\\u0042\\u0043\\u0044\"]", 28, &lim, &v, &err), 0);
    assert_int_equal(parse_n(&a, "[\"\\u0041\\u0042\\u0043\\u0044e\"]", 29, &lim, &v, &err),
                     LF_ELIMIT);
    assert_int_equal(parse_n(&a, "{\"abcde\":1}", 11, &lim, &v, &err), LF_ELIMIT); /* keys too */
    assert_int_equal(parse_n(&a, "[12345]", 7, &lim, &v, &err), LF_ELIMIT);        /* numbers */
    assert_int_equal(parse_n(&a, "[1234]", 6, &lim, &v, &err), 0);

    /* items per array / members per object */
    lim = (lf_json_limits){.max_items = 3};
    assert_int_equal(parse_n(&a, "[1,2,3]", 7, &lim, &v, &err), 0);
    assert_int_equal(parse_n(&a, "[1,2,3,4]", 9, &lim, &v, &err), LF_ELIMIT);
    assert_int_equal(err.col, 8);
    assert_non_null(strstr(err.msg, "max_items"));
    assert_int_equal(parse_n(&a, "{\"a\":1,\"b\":2,\"c\":3}", 19, &lim, &v, &err), 0);
    assert_int_equal(parse_n(&a, "{\"a\":1,\"b\":2,\"c\":3,\"d\":4}", 25, &lim, &v, &err),
                     LF_ELIMIT);
    assert_int_equal(err.col, 20);
    /* the limit is per container, not per document */
    assert_int_equal(parse_n(&a, "[[1,2,3],[1,2,3],[1,2]]", 23, &lim, &v, &err), 0);
    lf_arena_clear(&a);
}

/* Nesting far deeper than any C stack allows recursion parses when the limit allows it. */
static void test_json_deep_nesting_is_iterative(void **state)
{
    (void)state;
    const size_t depth = 200000;
    char *s = repeat("{\"k\":[", depth, "true", "]}");
    lf_arena a;
    lf_arena_init(&a, 0);
    lf_json *v;
    lf_err err;
    lf_json_limits lim = {.max_depth = 2 * depth};
    assert_int_equal(parse_n(&a, s, strlen(s), &lim, &v, &err), 0);
    size_t d = 0;
    const lf_json *p = v;
    while (lf_json_is(p, LF_JSON_OBJECT)) {
        p = lf_json_at(lf_json_get(p, "k"), 0);
        d++;
    }
    assert_int_equal(d, depth);
    assert_true(lf_json_is(p, LF_JSON_TRUE));
    /* and the default limit stops it quickly, located */
    assert_int_equal(parse_n(&a, s, strlen(s), NULL, &v, &err), LF_ELIMIT);
    assert_int_equal(err.line, 1);
    assert_int_equal(err.col, 6 * 32 + 1); /* the 65th bracket: the 33rd "{" */
    lf_arena_clear(&a);
    free(s);
}

/* ---- lookups ------------------------------------------------------------------------- */

/* Lookups find members and items, and answer NULL/defaults for NULL or wrong types. */
static void test_json_lookups(void **state)
{
    (void)state;
    lf_arena a;
    lf_arena_init(&a, 0);
    lf_json *v;
    lf_err err;
    const char *doc = "{\"id\":\"CVE-2021-44228\",\"score\":10.0,\"kev\":true,\"old\":false,"
                      "\"refs\":[\"a\",\"b\"],\"id2\":null,\"id\":\"dup\",\"k\\u0000z\":1}";
    assert_int_equal(parse_s(&a, doc, &v, &err), 0);
    assert_string_equal(lf_json_get_str(v, "id"), "CVE-2021-44228"); /* first of duplicates */
    assert_true(lf_json_num(lf_json_get(v, "score"), -1) == 10.0);
    assert_true(lf_json_bool(lf_json_get(v, "kev"), false));
    assert_false(lf_json_bool(lf_json_get(v, "old"), true));
    assert_true(lf_json_bool(lf_json_get(v, "id2"), true)); /* null: the default */
    assert_int_equal(lf_json_len(v), 8);
    const lf_json *refs = lf_json_get(v, "refs");
    assert_int_equal(lf_json_len(refs), 2);
    assert_string_equal(lf_json_str(lf_json_at(refs, 1)), "b");
    assert_null(lf_json_at(refs, 2));
    assert_null(lf_json_get(v, "i"));      /* prefix of a key */
    assert_null(lf_json_get(v, "idx"));
    assert_null(lf_json_get(v, "k"));      /* key with an embedded NUL is not "k" */
    assert_int_equal(v->u.members[7].klen, 3);
    assert_true(lf_json_is(lf_json_get(v, "id2"), LF_JSON_NULL));
    /* wrong types and NULLs */
    assert_null(lf_json_get(refs, "a"));
    assert_null(lf_json_at(v, 0));
    assert_null(lf_json_str(lf_json_get(v, "score")));
    assert_null(lf_json_get_str(v, "score"));
    assert_true(lf_json_num(lf_json_get(v, "id"), 7.5) == 7.5);
    assert_true(lf_json_bool(lf_json_get(v, "score"), true));
    assert_int_equal(lf_json_len(lf_json_get(v, "id")), 0);
    assert_null(lf_json_get(NULL, "id"));
    assert_null(lf_json_get(v, NULL));
    assert_null(lf_json_at(NULL, 0));
    assert_int_equal(lf_json_len(NULL), 0);
    assert_null(lf_json_str(NULL));
    assert_null(lf_json_get_str(NULL, "x"));
    assert_true(lf_json_num(NULL, 3.0) == 3.0);
    assert_false(lf_json_bool(NULL, false));
    assert_false(lf_json_is(NULL, LF_JSON_NULL));
    /* empty containers */
    assert_int_equal(parse_s(&a, "{\"e\":{},\"f\":[]}", &v, &err), 0);
    assert_int_equal(lf_json_len(lf_json_get(v, "e")), 0);
    assert_null(lf_json_get(lf_json_get(v, "e"), "x"));
    assert_null(lf_json_at(lf_json_get(v, "f"), 0));
    /* bad arguments */
    assert_int_equal(lf_json_parse(&a, NULL, 3, NULL, &v, &err), LF_EINVAL);
    assert_int_equal(lf_json_parse(NULL, "1", 1, NULL, &v, &err), LF_EINVAL);
    assert_int_equal(lf_json_parse(&a, "1", 1, NULL, NULL, &err), LF_EINVAL);
    assert_int_equal(lf_json_parse(&a, NULL, 0, NULL, &v, &err), LF_EPARSE);
    assert_int_equal(lf_json_parse(&a, "[1", 2, NULL, &v, NULL), LF_EPARSE); /* NULL err ok */
    lf_arena_clear(&a);
}

/* ---- foreach ------------------------------------------------------------------------- */

typedef struct seen {
    lf_arena *a;
    size_t n;
    size_t idx[16];
    long line[16];
    char id[16][32];
    size_t total[16];    /* arena bytes in use during the call */
    size_t stop_at;      /* return 99 at this index (SIZE_MAX: never) */
} seen;

static int record_elem(void *ud, const lf_json *elem, size_t index, long line)
{
    seen *s = ud;
    assert_true(s->n < 16);
    s->idx[s->n] = index;
    s->line[s->n] = line;
    const char *id = lf_json_get_str(lf_json_get(elem, "cve"), "id");
    if (!id)
        id = lf_json_get_str(elem, "id");
    snprintf(s->id[s->n], sizeof s->id[0], "%s", id ? id : "");
    s->total[s->n] = s->a->total;
    s->n++;
    return index == s->stop_at ? 99 : 0;
}

static const char nvd_page[] =
    "{\n"                                                        /* 1 */
    "  \"resultsPerPage\": 3,\n"                                 /* 2 */
    "  \"startIndex\": 0,\n"                                     /* 3 */
    "  \"totalResults\": 3,\n"                                   /* 4 */
    "  \"format\": \"NVD_CVE\",\n"                               /* 5 */
    "  \"version\": \"2.0\",\n"                                  /* 6 */
    "  \"timestamp\": \"2025-06-01T12:00:00.000\",\n"            /* 7 */
    "  \"vulnerabilities\": [\n"                                 /* 8 */
    "    {\n"                                                    /* 9 */
    "      \"cve\": {\"id\": \"CVE-2021-44228\",\n"              /* 10 */
    "        \"metrics\": {\"cvssMetricV31\": [{\"cvssData\": {\"baseScore\": 10.0}}]}}\n"
    "    },\n"                                                   /* 12 */
    "    {\"cve\": {\"id\": \"CVE-2017-0144\", \"descriptions\": [{\"lang\": \"es\", "
    "\"value\": \"c\\u00f3digo\"}]}},\n"                         /* 13 */
    "    {\"cve\": {\"id\": \"CVE-2024-3094\"}}\n"               /* 14 */
    "  ],\n"                                                     /* 15 */
    "  \"trailer\": {\"nested\": [1, {\"x\": \"y\"}], \"vulnerabilities\": 5}\n" /* 16 */
    "}\n";

static int check_first(void *ud, const lf_json *elem, size_t index, long line)
{
    (void)line;
    int *ok = ud;
    const lf_json *cve = lf_json_get(elem, "cve");
    if (index == 0) {
        const lf_json *m = lf_json_at(lf_json_get(lf_json_get(cve, "metrics"), "cvssMetricV31"), 0);
        *ok += lf_json_num(lf_json_get(lf_json_get(m, "cvssData"), "baseScore"), 0) == 10.0;
    } else if (index == 1) {
        const lf_json *d = lf_json_at(lf_json_get(cve, "descriptions"), 0);
        *ok += strcmp(lf_json_get_str(d, "value"), "c\xC3\xB3" "digo") == 0;
    }
    return 0;
}

/* An NVD API page: each "vulnerabilities" element delivered with index and start line. */
static void test_json_foreach_nvd_page(void **state)
{
    (void)state;
    lf_arena a;
    lf_arena_init(&a, 0);
    lf_err err;
    lf_err_clear(&err);
    seen s = {.a = &a, .stop_at = SIZE_MAX};
    assert_int_equal(lf_json_foreach(&a, nvd_page, strlen(nvd_page), "vulnerabilities", NULL,
                                     record_elem, &s, &err), 0);
    assert_int_equal(s.n, 3);
    static const long lines[] = {9, 13, 14};
    static const char *const ids[] = {"CVE-2021-44228", "CVE-2017-0144", "CVE-2024-3094"};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(s.idx[i], i);
        assert_int_equal(s.line[i], lines[i]);
        assert_string_equal(s.id[i], ids[i]);
    }
    int ok = 0;
    assert_int_equal(lf_json_foreach(&a, nvd_page, strlen(nvd_page), "vulnerabilities", NULL,
                                     check_first, &ok, &err), 0);
    assert_int_equal(ok, 2);
    /* the same members can be found when the key is spelled with an escape */
    s.n = 0;
    const char *esc = "{\"vuln\\u0065rabilities\":[{\"id\":\"A\"}],\"vulnerabilitie\":[{}]}";
    assert_int_equal(lf_json_foreach(&a, esc, strlen(esc), "vulnerabilities", NULL, record_elem,
                                     &s, &err), 0);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.id[0], "A");
    lf_arena_clear(&a);
}

/* A bare top-level array: counts, indices and lines; fn's non-zero return stops the walk. */
static void test_json_foreach_top_array(void **state)
{
    (void)state;
    const char *doc = "[\n{\"id\":\"a\"},\n\n  {\"id\":\"b\"}, {\"id\":\"c\"},\n{\"id\":\"d\"}\n]";
    lf_arena a;
    lf_arena_init(&a, 0);
    lf_err err;
    lf_err_clear(&err);
    seen s = {.a = &a, .stop_at = SIZE_MAX};
    assert_int_equal(lf_json_foreach(&a, doc, strlen(doc), NULL, NULL, record_elem, &s, &err), 0);
    assert_int_equal(s.n, 4);
    assert_int_equal(s.line[0], 2);
    assert_int_equal(s.line[1], 4);
    assert_int_equal(s.line[2], 4);
    assert_int_equal(s.line[3], 5);
    assert_string_equal(s.id[3], "d");
    assert_int_equal(s.idx[3], 3);

    /* early stop: returns fn's value; the rest is not read (garbage after is fine) */
    const char *bad_tail = "[{\"id\":\"a\"},{\"id\":\"b\"},{\"id\":\"c\"} garbage";
    s = (seen){.a = &a, .stop_at = 1};
    assert_int_equal(lf_json_foreach(&a, bad_tail, strlen(bad_tail), NULL, NULL, record_elem, &s,
                                     &err), 99);
    assert_int_equal(s.n, 2);
    /* ... while a full walk of it reports the garbage */
    s = (seen){.a = &a, .stop_at = SIZE_MAX};
    assert_int_equal(lf_json_foreach(&a, bad_tail, strlen(bad_tail), NULL, NULL, record_elem, &s,
                                     &err), LF_EPARSE);
    assert_int_equal(s.n, 3);
    assert_int_equal(err.col, strlen(bad_tail) - 7 + 1);

    /* empty arrays deliver nothing */
    s.n = 0;
    assert_int_equal(lf_json_foreach(&a, " [ ] ", 5, NULL, NULL, record_elem, &s, &err), 0);
    assert_int_equal(lf_json_foreach(&a, "{\"vulnerabilities\":[]}", 22, "vulnerabilities",
                                     NULL, record_elem, &s, &err), 0);
    assert_int_equal(s.n, 0);
    /* scalars are elements too */
    s.n = 0;
    assert_int_equal(lf_json_foreach(&a, "[1,\"x\",null,[2]]", 16, NULL, NULL, record_elem, &s,
                                     &err), 0);
    assert_int_equal(s.n, 4);
    lf_arena_clear(&a);
}

/* A syntax error in element 2: elements 0 and 1 were delivered, the error is located. */
static void test_json_foreach_error_in_element(void **state)
{
    (void)state;
    const char *doc = "{\"resultsPerPage\":3,\"vulnerabilities\":[\n"
                      "  {\"cve\":{\"id\":\"CVE-1\"}},\n"
                      "  {\"cve\":{\"id\":\"CVE-2\"}},\n"
                      "  {\"cve\":{\"id\":\"CVE-3\",}},\n"
                      "  {\"cve\":{\"id\":\"CVE-4\"}}\n"
                      "]}";
    lf_arena a;
    lf_arena_init(&a, 0);
    lf_err err;
    lf_err_clear(&err);
    seen s = {.a = &a, .stop_at = SIZE_MAX};
    assert_int_equal(lf_json_foreach(&a, doc, strlen(doc), "vulnerabilities", NULL, record_elem,
                                     &s, &err), LF_EPARSE);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.id[1], "CVE-2");
    assert_int_equal(err.line, 4);
    assert_int_equal(err.col, 24);
    assert_non_null(strstr(err.msg, "trailing comma"));

    /* an error in a member skipped after the array, and a truncated page */
    const char *after = "{\"vulnerabilities\":[{\"id\":\"x\"}],\n\"timestamp\": \"2025\x01\"}";
    s.n = 0;
    assert_int_equal(lf_json_foreach(&a, after, strlen(after), "vulnerabilities", NULL,
                                     record_elem, &s, &err), LF_EPARSE);
    assert_int_equal(s.n, 1);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 19);
    const char *trunc = "{\"vulnerabilities\":[{\"id\":\"x\"},\n{\"id\":\"y\"},\n{\"id\":";
    s.n = 0;
    assert_int_equal(lf_json_foreach(&a, trunc, strlen(trunc), "vulnerabilities", NULL,
                                     record_elem, &s, &err), LF_EPARSE);
    assert_int_equal(s.n, 2);
    assert_int_equal(err.line, 3);
    assert_int_equal(err.col, 7);
    assert_non_null(strstr(err.msg, "truncated input"));
    lf_arena_clear(&a);
}

/* The wanted array missing, or not an array: LF_ENOTFOUND, after validating everything. */
static void test_json_foreach_not_found(void **state)
{
    (void)state;
    static const struct {
        const char *doc, *key;
        int rc;
    } cases[] = {
        {"{\"resultsPerPage\":0}", "vulnerabilities", LF_ENOTFOUND},
        {"{}", "vulnerabilities", LF_ENOTFOUND},
        {"{\"vulnerabilities\":{\"a\":[]}}", "vulnerabilities", LF_ENOTFOUND},
        {"{\"vulnerabilities\":null}", "vulnerabilities", LF_ENOTFOUND},
        {"[{\"id\":1}]", "vulnerabilities", LF_ENOTFOUND},
        {"{\"vulnerabilities\":[]}", NULL, LF_ENOTFOUND},
        {"\"just a string\"", NULL, LF_ENOTFOUND},
        {"{\"resultsPerPage\":0,}", "vulnerabilities", LF_EPARSE},
        {"{\"a\":[1,2}", "vulnerabilities", LF_EPARSE},
        {"{\"vulnerabilities\":5,\"x\":tru}", "vulnerabilities", LF_EPARSE},
        {"{} x", "vulnerabilities", LF_EPARSE},
        {"{\"a\":[1,2]} x", NULL, LF_EPARSE},
    };
    lf_arena a;
    lf_arena_init(&a, 0);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        lf_err err;
        lf_err_clear(&err);
        size_t n = 0;
        int rc = lf_json_foreach(&a, cases[i].doc, strlen(cases[i].doc), cases[i].key, NULL,
                                 count_elem, &n, &err);
        if (rc != cases[i].rc)
            print_error("case %zu: rc %d: %s\n", i, rc, err.msg);
        assert_int_equal(rc, cases[i].rc);
        assert_int_equal(err.code, cases[i].rc);
        assert_int_equal(n, 0);
        if (rc == LF_ENOTFOUND)
            assert_int_equal(err.line, 0); /* no position for a missing member */
        else
            assert_true(err.line >= 1);
    }
    lf_err err;
    assert_int_equal(lf_json_foreach(&a, NULL, 1, NULL, NULL, count_elem, NULL, &err), LF_EINVAL);
    assert_int_equal(lf_json_foreach(&a, "[]", 2, NULL, NULL, NULL, NULL, &err), LF_EINVAL);
    lf_arena_clear(&a);
}

/* Memory stays bounded by one element: the arena is reset after every call. */
static void test_json_foreach_resets_arena(void **state)
{
    (void)state;
    size_t big = 200000;
    lf_buf doc;
    lf_buf_init(&doc, 0);
    lf_buf_puts(&doc, "[{\"id\":\"big\",\"blob\":\"");
    for (size_t i = 0; i < big; i++)
        lf_buf_putc(&doc, (char)('a' + i % 26));
    lf_buf_puts(&doc, "\"}");
    for (int i = 0; i < 5; i++)
        lf_buf_puts(&doc, ",{\"id\":\"small\"}");
    lf_buf_putc(&doc, ']');
    lf_arena a;
    lf_arena_init(&a, 0);
    lf_err err;
    seen s = {.a = &a, .stop_at = SIZE_MAX};
    lf_json_limits lim = {.max_string = big};
    assert_int_equal(lf_json_foreach(&a, doc.data, doc.len, NULL, &lim, record_elem, &s, &err), 0);
    assert_int_equal(s.n, 6);
    assert_true(s.total[0] > big);
    for (size_t i = 1; i < 6; i++) {
        assert_true(s.total[i] < 16384);
        assert_int_equal(s.total[i], s.total[1]); /* no growth from element to element */
    }
    /* the streamed array is not bounded by max_items, its elements are */
    lf_json_limits few = {.max_items = 2};
    s = (seen){.a = &a, .stop_at = SIZE_MAX};
    assert_int_equal(lf_json_foreach(&a, "[1,2,3,4,[5,6]]", 15, NULL, &few, record_elem, &s, &err),
                     0);
    assert_int_equal(s.n, 5);
    assert_int_equal(lf_json_foreach(&a, "[1,[5,6,7]]", 11, NULL, &few, record_elem, &s, &err),
                     LF_ELIMIT);
    lf_arena_clear(&a);
    lf_buf_clear(&doc);
}

/* ---- foreach_keep and parse_head ------------------------------------------------------ */

typedef struct skipped {
    size_t n;
    size_t idx[8];
    long line[8];
    long err_line[8], err_col[8];
    int code[8];
    char msg[8][512];
    int stop;            /* returned by the callback */
} skipped;

static int record_skip(void *ud, size_t index, long line, const lf_err *why)
{
    skipped *k = ud;
    assert_true(k->n < 8);
    k->idx[k->n] = index;
    k->line[k->n] = line;
    k->err_line[k->n] = why->line;
    k->err_col[k->n] = why->col;
    k->code[k->n] = why->code;
    snprintf(k->msg[k->n], sizeof k->msg[0], "%s", why->msg);
    k->n++;
    return k->stop;
}

typedef struct keep_ctx {
    seen s;
    skipped k;
} keep_ctx;

static int keep_elem(void *ud, const lf_json *elem, size_t index, long line)
{
    return record_elem(&((keep_ctx *)ud)->s, elem, index, line);
}

static int keep_skip(void *ud, size_t index, long line, const lf_err *why)
{
    return record_skip(&((keep_ctx *)ud)->k, index, line, why);
}

/* An element over the string or list limit is read anyway, parsed alone with limits as
 * large as its text; one nested too deep is skipped and reported (index, line, the walk's
 * limit located in the document), and the walk goes on; lf_json_foreach stops instead. */
static void test_json_foreach_keep_skips_limits(void **state)
{
    (void)state;
    lf_arena a;
    lf_arena_init(&a, 0);
    lf_err err;
    lf_json_limits lim = {.max_depth = 4, .max_string = 8, .max_items = 3};
    const char *doc = "{\"head\": \"a string longer than eight\", \"recs\": [\n"  /* 1 */
                      "{\"id\": \"a\"},\n"                                         /* 2 */
                      "{\"id\": \"far too long\"},\n"                               /* 3 */
                      "{\"id\": \"b\", \"x\": [[[[1]]]]},\n"                       /* 4 */
                      "{\"id\": \"c\", \"n\": [1, 2, 3, 4, 5]},\n"                 /* 5 */
                      "[1, 2, 3, 4, {\"deep\": [[[[[]]]]]}],\n"                      /* 6 */
                      "{\"id\": \"d\"}\n"                                          /* 7 */
                      "], \"tail\": [1, 2, 3, 4, 5]}";
    keep_ctx x = {.s = {.a = &a, .stop_at = SIZE_MAX}};
    assert_int_equal(lf_json_foreach_keep(&a, doc, strlen(doc), "recs", &lim, keep_elem, keep_skip, &x, &err),
                     0);
    assert_int_equal(x.s.n, 4);
    static const char *const ids[] = {"a", "far too long", "c", "d"};
    static const size_t idx[] = {0, 1, 3, 5};
    static const long lines[] = {2, 3, 5, 7};
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(x.s.id[i], ids[i]);
        assert_int_equal(x.s.idx[i], idx[i]);
        assert_int_equal(x.s.line[i], lines[i]);
    }
    assert_int_equal(x.k.n, 2);
    assert_int_equal(x.k.idx[0], 2);
    assert_int_equal(x.k.line[0], 4);
    assert_int_equal(x.k.code[0], LF_ELIMIT);
    assert_string_equal(x.k.msg[0], "nesting deeper than max_depth (4)");
    assert_int_equal(x.k.err_line[0], 4);
    assert_int_equal(x.k.err_col[0], 19);   /* the second '[' */
    assert_int_equal(x.k.idx[1], 4);
    assert_int_equal(x.k.line[1], 6);
    assert_int_equal(x.k.err_line[1], 6);
    assert_int_equal(x.k.err_col[1], 23);   /* the '[' after "deep": */

    /* the plain walk stops at the first limit (here: the head member over max_string) */
    seen s = {.a = &a, .stop_at = SIZE_MAX};
    assert_int_equal(lf_json_foreach(&a, doc, strlen(doc), "recs", &lim, record_elem, &s, &err), LF_ELIMIT);
    assert_int_equal(s.n, 0);

    /* the callback's value stops the walk; NULL err is fine */
    x = (keep_ctx){.s = {.a = &a, .stop_at = SIZE_MAX}, .k = {.stop = 5}};
    assert_int_equal(lf_json_foreach_keep(&a, doc, strlen(doc), "recs", &lim, keep_elem, keep_skip, &x, NULL), 5);
    assert_int_equal(x.s.n, 2);
    assert_int_equal(x.k.n, 1);

    /* a syntax error inside an element over a limit still stops the walk, located */
    const char *bad = "[{\"id\": \"a\"}, {\"id\": \"far too long\", ]}, {\"id\": \"b\"}]";
    x = (keep_ctx){.s = {.a = &a, .stop_at = SIZE_MAX}};
    assert_int_equal(lf_json_foreach_keep(&a, bad, strlen(bad), NULL, &lim, keep_elem, keep_skip, &x, &err),
                     LF_EPARSE);
    assert_int_equal(x.s.n, 1);
    assert_int_equal(x.k.n, 0);
    assert_int_equal(err.col, 38);
    /* a top level of another shape is validated without limits, then not found */
    assert_int_equal(lf_json_foreach_keep(&a, "{\"a\": \"0123456789\"}", 19, NULL, &lim, keep_elem, keep_skip,
                                          &x, &err),
                     LF_ENOTFOUND);
    /* nesting is still bounded when skimming: a million '[' is an error, not a stack */
    size_t deep = LF_JSON_SKIM_MAX_DEPTH + 8;
    char *d = malloc(deep + 3);
    assert_non_null(d);
    d[0] = '[';
    memset(d + 1, '[', deep);
    d[deep + 1] = '\0';
    x = (keep_ctx){.s = {.a = &a, .stop_at = SIZE_MAX}};
    assert_int_equal(lf_json_foreach_keep(&a, d, deep + 1, NULL, NULL, keep_elem, keep_skip, &x, &err),
                     LF_ELIMIT);
    assert_int_equal(x.k.n, 0);
    free(d);
    lf_arena_clear(&a);
}

/* parse_head builds the kept members only, notes the records member's type, validates the
 * rest without size limits, and reports syntax errors anywhere. */
static void test_json_parse_head(void **state)
{
    (void)state;
    lf_arena a;
    lf_arena_init(&a, 0);
    lf_err err;
    lf_json *root;
    int type;
    static const char *const keep[] = {"format", "meta", NULL};
    lf_json_limits lim = {.max_items = 6};
    const char *doc = "{\"recs\": [1, 2, 3, 4, 5, 6, 7], \"format\": \"X\", \"deps\": [1, 2, 3, 4, 5, 6, 7],"
                      " \"meta\": {\"a\": [1]}, \"format\": \"second\", \"recs\": \"again\"}";
    assert_int_equal(lf_json_parse_head(&a, doc, strlen(doc), &lim, keep, "recs", &root, &type, &err), 0);
    assert_int_equal(type, LF_JSON_ARRAY);
    assert_int_equal(lf_json_len(root), 2);
    assert_string_equal(lf_json_get_str(root, "format"), "X");
    assert_int_equal(lf_json_len(lf_json_get(lf_json_get(root, "meta"), "a")), 1);
    assert_null(lf_json_get(root, "recs"));
    assert_null(lf_json_get(root, "deps"));

    assert_int_equal(lf_json_parse_head(&a, "{\"format\": 1}", 13, NULL, keep, "recs", &root, &type, &err), 0);
    assert_int_equal(type, -1);
    assert_int_equal(lf_json_parse_head(&a, "{\"recs\": null}", 14, NULL, keep, "recs", &root, &type, &err), 0);
    assert_int_equal(type, LF_JSON_NULL);
    assert_int_equal(lf_json_len(root), 0);
    /* kept members keep their limits */
    const char *big = "{\"meta\": [1, 2, 3, 4, 5, 6, 7]}";
    assert_int_equal(lf_json_parse_head(&a, big, strlen(big), &lim, keep, "recs", &root, &type, &err), LF_ELIMIT);
    /* syntax is checked everywhere, records included, located */
    const char *bad = "{\"format\": \"X\",\n \"recs\": [1, 2,, 3]}";
    assert_int_equal(lf_json_parse_head(&a, bad, strlen(bad), NULL, keep, "recs", &root, &type, &err), LF_EPARSE);
    assert_null(root);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 16);
    assert_int_equal(lf_json_parse_head(&a, "{\"format\": \"X\"} x", 17, NULL, keep, "recs", &root, &type, &err),
                     LF_EPARSE);
    /* not an object: parsed as lf_json_parse does */
    assert_int_equal(lf_json_parse_head(&a, "[1]", 3, NULL, keep, "recs", &root, &type, &err), 0);
    assert_int_equal(root->type, LF_JSON_ARRAY);
    assert_int_equal(type, -1);
    assert_int_equal(lf_json_parse_head(&a, "[1]", 3, NULL, keep, NULL, &root, &type, &err), LF_EINVAL);
    lf_arena_clear(&a);
}

typedef struct cmp_ctx {
    const lf_json *tree;
    size_t n;
    size_t same;
} cmp_ctx;

static int compare_elem(void *ud, const lf_json *elem, size_t index, long line)
{
    (void)line;
    cmp_ctx *c = ud;
    lf_buf x, y;
    lf_buf_init(&x, 0);
    lf_buf_init(&y, 0);
    dump(&x, elem);
    dump(&y, lf_json_at(c->tree, index));
    c->same += strcmp(x.data, y.data) == 0;
    c->n++;
    lf_buf_clear(&x);
    lf_buf_clear(&y);
    return 0;
}

/* Elements delivered by foreach equal the items lf_json_parse builds. */
static void test_json_foreach_matches_parse(void **state)
{
    (void)state;
    const char *doc = "[{\"a\":[1,2.5,\"\\u00e9\"],\"b\":{\"c\":null}},\"s\\n\",-0,true,[],{},"
                      "[[[\"deep\"]]],{\"k\":\"\\ud83d\\ude00\"},\"a string longer than 16 bytes\"]";
    lf_arena a, b;
    lf_arena_init(&a, 0);
    lf_arena_init(&b, 0);
    lf_json *v;
    lf_err err;
    assert_int_equal(parse_s(&b, doc, &v, &err), 0);
    cmp_ctx c = {v, 0, 0};
    assert_int_equal(lf_json_foreach(&a, doc, strlen(doc), NULL, NULL, compare_elem, &c, &err), 0);
    assert_int_equal(c.n, lf_json_len(v));
    assert_int_equal(c.same, c.n);
    lf_arena_clear(&a);
    lf_arena_clear(&b);
}

/* ---- writing ------------------------------------------------------------------------- */

/* lf_json_write_str escapes quotes, backslashes and controls; bad UTF-8 becomes U+FFFD. */
static void test_json_write_str_escapes(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        size_t n;
        const char *out;
    } cases[] = {
        {"", 0, "\"\""},
        {"abc", 3, "\"abc\""},
        {"a\"b\\c", 5, "\"a\\\"b\\\\c\""},
        {"\x01\x1f\n\t\r\b\f", 7, "\"\\u0001\\u001f\\u000a\\u0009\\u000d\\u0008\\u000c\""},
        {"a\0b", 3, "\"a\\u0000b\""},
        {"/\x7f", 2, "\"/\x7f\""},
        {"caf\xC3\xA9 \xE4\xB8\xAD \xF0\x9F\x98\x80", 14, "\"caf\xC3\xA9 \xE4\xB8\xAD \xF0\x9F\x98\x80\""},
        {"\xff", 1, "\"\xEF\xBF\xBD\""},
        {"\xe2\x82", 2, "\"\xEF\xBF\xBD\""},
        {"\xe2\x82x", 3, "\"\xEF\xBF\xBDx\""},
        {"\xc0\xaf", 2, "\"\xEF\xBF\xBD\xEF\xBF\xBD\""},
        {"\xed\xa0\x80", 3, "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\""},
        {"\xf0\x9f\x98", 3, "\"\xEF\xBF\xBD\""},
        {"\xf4\x90\x80\x80", 4, "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\""},
        {"0123456789abcdefghij\"klmnopqrstuvwxyz", 37,
         "\"0123456789abcdefghij\\\"klmnopqrstuvwxyz\""},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        lf_buf b;
        lf_buf_init(&b, 0);
        assert_int_equal(lf_json_write_str(&b, cases[i].in, cases[i].n), 0);
        assert_int_equal(b.len, strlen(cases[i].out));
        assert_memory_equal(b.data, cases[i].out, b.len);
        lf_buf_clear(&b);
    }
    lf_buf b;
    lf_buf_init(&b, 4); /* too small: the buffer's limit is reported */
    assert_int_equal(lf_json_write_str(&b, "abcdef", 6), LF_ELIMIT);
    lf_buf_clear(&b);
    assert_int_equal(lf_json_write_str(NULL, "a", 1), LF_EINVAL);
    lf_buf_init(&b, 0);
    assert_int_equal(lf_json_write_str(&b, NULL, 0), 0);
    assert_string_equal(b.data, "\"\"");
    lf_buf_clear(&b);
}

/* Any bytes written with lf_json_write_str parse back; valid UTF-8 comes back unchanged. */
static void test_json_write_str_round_trip(void **state)
{
    (void)state;
    uint64_t s = 0x243F6A8885A308D3ull;
    lf_arena a;
    lf_arena_init(&a, 0);
    for (int iter = 0; iter < 20000; iter++) {
        unsigned char in[96];
        size_t n = 0, want = (size_t)(iter % 90);
        bool utf8 = iter % 2 == 0;
        while (n < want) {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            if (!utf8) {
                in[n++] = (unsigned char)s;
                continue;
            }
            /* a random scalar value, biased to ASCII and controls */
            uint32_t cp = (uint32_t)(s >> 11);
            switch (s % 4) {
            case 0: cp %= 0x80; break;
            case 1: cp %= 0x800; break;
            case 2: cp %= 0x10000; break;
            default: cp %= 0x110000; break;
            }
            if (cp >= 0xD800 && cp <= 0xDFFF)
                cp = '\\';
            if (n + 4 > sizeof in)
                break;
            if (cp < 0x80) {
                in[n++] = (unsigned char)cp;
            } else if (cp < 0x800) {
                in[n++] = (unsigned char)(0xC0 | cp >> 6);
                in[n++] = (unsigned char)(0x80 | (cp & 0x3F));
            } else if (cp < 0x10000) {
                in[n++] = (unsigned char)(0xE0 | cp >> 12);
                in[n++] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
                in[n++] = (unsigned char)(0x80 | (cp & 0x3F));
            } else {
                in[n++] = (unsigned char)(0xF0 | cp >> 18);
                in[n++] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
                in[n++] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
                in[n++] = (unsigned char)(0x80 | (cp & 0x3F));
            }
        }
        lf_buf b;
        lf_buf_init(&b, 0);
        assert_int_equal(lf_json_write_str(&b, (const char *)in, n), 0);
        lf_json *v;
        lf_err err;
        int rc = parse_n(&a, b.data, b.len, NULL, &v, &err);
        if (rc)
            print_error("iter %d: %s at col %ld\n", iter, err.msg, err.col);
        assert_int_equal(rc, 0);
        assert_int_equal(v->type, LF_JSON_STRING);
        if (utf8) {
            assert_int_equal(v->n, n);
            assert_memory_equal(v->u.str, in, n);
        }
        lf_buf_clear(&b);
        if (iter % 500 == 0)
            lf_arena_reset(&a);
    }
    lf_arena_clear(&a);
}

/* ---- real data ----------------------------------------------------------------------- */

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    lf_buf b;
    lf_buf_init(&b, 0);
    char tmp[65536];
    size_t k;
    while ((k = fread(tmp, 1, sizeof tmp, f)) > 0)
        lf_buf_append(&b, tmp, k);
    fclose(f);
    return lf_buf_detach(&b, len);
}

/* Every shared NVD record parses; known fields have their published values. */
static void test_json_shared_nvd_records(void **state)
{
    (void)state;
    const char *root = getenv("LF_SHARED_DATA");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/nvd", root ? root : "");
    DIR *d = root ? opendir(dir) : NULL;
    if (!d) {
        skip();
    }
    struct dirent *de;
    size_t files = 0, known = 0;
    lf_arena a;
    lf_arena_init(&a, 0);
    while ((de = readdir(d)) != NULL) {
        size_t l = strlen(de->d_name);
        if (l < 6 || strcmp(de->d_name + l - 5, ".json") != 0)
            continue;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        size_t len = 0;
        char *text = slurp(path, &len);
        assert_non_null(text);
        lf_json *v;
        lf_err err;
        int rc = parse_n(&a, text, len, NULL, &v, &err);
        if (rc)
            print_error("%s:%ld:%ld: %s\n", de->d_name, err.line, err.col, err.msg);
        assert_int_equal(rc, 0);
        /* the id is the file name */
        const char *id = lf_json_get_str(v, "id");
        assert_non_null(id);
        assert_int_equal(strlen(id), l - 5);
        assert_memory_equal(id, de->d_name, l - 5);
        assert_true(lf_json_len(lf_json_get(v, "descriptions")) >= 1);
        assert_true(lf_json_is(lf_json_get(v, "metrics"), LF_JSON_OBJECT));
        if (strcmp(id, "CVE-2017-0144") == 0) {
            const lf_json *m = lf_json_at(lf_json_get(lf_json_get(v, "metrics"), "cvssMetricV31"), 0);
            const lf_json *cd = lf_json_get(m, "cvssData");
            assert_true(lf_json_num(lf_json_get(cd, "baseScore"), 0) == 8.8);
            assert_string_equal(lf_json_get_str(cd, "vectorString"),
                                "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H");
            assert_string_equal(lf_json_get(cd, "baseScore")->u.str, "8.8");
            const char *es = lf_json_get_str(lf_json_at(lf_json_get(v, "descriptions"), 1), "value");
            assert_non_null(strstr(es, "ejecutar c\xC3\xB3" "digo arbitrario a trav\xC3\xA9s"));
            assert_string_equal(lf_json_get_str(v, "cisaExploitAdd"), "2022-02-10");
            known++;
        } else if (strcmp(id, "CVE-2023-4863") == 0) {
            const lf_json *cfg = lf_json_at(lf_json_get(v, "configurations"), 0);
            const lf_json *node = lf_json_at(lf_json_get(cfg, "nodes"), 0);
            const lf_json *match = lf_json_at(lf_json_get(node, "cpeMatch"), 0);
            assert_true(lf_json_bool(lf_json_get(match, "vulnerable"), false));
            assert_string_equal(lf_json_get_str(match, "criteria"),
                                "cpe:2.3:a:google:chrome:*:*:*:*:*:*:*:*");
            assert_string_equal(lf_json_get_str(match, "versionEndExcluding"), "116.0.5845.187");
            assert_false(lf_json_bool(lf_json_get(node, "negate"), true));
            known++;
        }
        /* the same record as the one element of a page, streamed */
        lf_buf page;
        lf_buf_init(&page, 0);
        lf_buf_puts(&page, "{\"resultsPerPage\":1,\"vulnerabilities\":[{\"cve\":");
        lf_buf_append(&page, text, len);
        lf_buf_puts(&page, "}]}");
        seen s = {.a = &a, .stop_at = SIZE_MAX};
        assert_int_equal(lf_json_foreach(&a, page.data, page.len, "vulnerabilities", NULL,
                                         record_elem, &s, &err), 0);
        assert_int_equal(s.n, 1);
        assert_string_equal(s.id[0], id);
        lf_buf_clear(&page);
        free(text);
        lf_arena_reset(&a);
        files++;
    }
    closedir(d);
    lf_arena_clear(&a);
    assert_true(files >= 100);
    assert_int_equal(known, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_valid_documents),
        cmocka_unit_test(test_json_string_escapes),
        cmocka_unit_test(test_json_numbers),
        cmocka_unit_test(test_json_numbers_match_strtod),
        cmocka_unit_test(test_json_numbers_locale_independent),
        cmocka_unit_test(test_json_invalid_documents),
        cmocka_unit_test(test_json_foreach_same_errors_as_parse),
        cmocka_unit_test(test_json_edge_cases),
        cmocka_unit_test(test_json_limits),
        cmocka_unit_test(test_json_deep_nesting_is_iterative),
        cmocka_unit_test(test_json_lookups),
        cmocka_unit_test(test_json_foreach_nvd_page),
        cmocka_unit_test(test_json_foreach_top_array),
        cmocka_unit_test(test_json_foreach_error_in_element),
        cmocka_unit_test(test_json_foreach_not_found),
        cmocka_unit_test(test_json_foreach_resets_arena),
        cmocka_unit_test(test_json_foreach_keep_skips_limits),
        cmocka_unit_test(test_json_parse_head),
        cmocka_unit_test(test_json_foreach_matches_parse),
        cmocka_unit_test(test_json_write_str_escapes),
        cmocka_unit_test(test_json_write_str_round_trip),
        cmocka_unit_test(test_json_shared_nvd_records),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
