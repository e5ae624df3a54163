/*
 * normalize: turns a software name as people write it ("Ｍｉｃｒｏｓｏｆｔ Office 專業增強版 2016",
 * "7-Zip 23.01 (x64)", "腾讯QQ") into the tokens name resolution looks up.
 *
 * Folding (lf_norm_fold), the same for input names and dictionary names so both meet:
 *   1. ® ™ © ℠ removed (NFKC would turn ™ into "TM");
 *   2. Unicode NFKC with case folding and "lumping" (utf8proc): full-width Latin and
 *      digits become ASCII, ideographic space a space, dashes and quotes ASCII;
 *   3. text with Han characters goes through OpenCC "s2twp" (Simplified to Taiwan
 *      Traditional, with phrases: 软件 → 軟體), so one dictionary entry written in either
 *      script serves both.
 *
 * Tokens (lf_norm_name): a token is a run of letters/digits with the inner characters
 * . + # - _ ' (so "7-zip", "c++", ".net", "node.js" stay whole); Han/kana/hangul runs are
 * tokens of their own, split from Latin at script changes ("騰訊qq" → 騰訊, qq). Each token
 * gets a class:
 *   WORD     part of the name;
 *   YEAR     19xx/20xx, part of the name (Office 2016, Visual Studio 2022);
 *   NUM      another plain number (PostgreSQL 14, Java 8): part of the name, also tried
 *            as a version when it ends the name;
 *   VER      a version (has a dot, or v1, 8u401): taken out of the key, first one is the
 *            name's version;
 *   ARCH     x64, x86_64, 64-bit, "64 位元", and one glued on ("PowerShell 7-x64",
 *            "setup_x86"): noise;
 *   LANG     zh-tw, en-us, 繁體中文版, 中文版: noise;
 *   EDITION  professional, plus, standard, corporate, basic, 專業增強版, 個人版: dropped
 *            in a second key variant only (some products are named by edition);
 *   PAREN    any other word inside ( ) [ ]: dropped ("(remove only)", "(TM)");
 *   NOISE    "version", "ver", and Chocolatey's ".install" / ".portable" suffix
 *            ("7zip.install" → 7zip).
 *
 * Ownership: lf_norm owns an OpenCC handle and scratch buffers; one per thread.
 * Results live in the lf_norm_result the caller passes and are overwritten per call.
 */
#ifndef LF_INTAKE_NORMALIZE_H
#define LF_INTAKE_NORMALIZE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/err.h"

typedef struct lf_norm lf_norm;

typedef enum {
    LF_TOK_WORD = 0,
    LF_TOK_YEAR,
    LF_TOK_NUM,
    LF_TOK_VER,
    LF_TOK_ARCH,
    LF_TOK_LANG,
    LF_TOK_EDITION,
    LF_TOK_PAREN,
    LF_TOK_NOISE
} lf_tok_class;

#define LF_NORM_MAX_TOKENS 48
#define LF_NORM_MAX_TEXT 1024

typedef struct lf_norm_tok {
    unsigned short off, len;
    unsigned char cls;
    bool cjk;
} lf_norm_tok;

typedef struct lf_norm_result {
    char text[LF_NORM_MAX_TEXT];   /* folded name (tokens point into it) */
    size_t textlen;
    lf_norm_tok tok[LF_NORM_MAX_TOKENS];
    size_t ntok;
    int version_tok;               /* index of the first VER token, -1 if none */
    bool truncated;                /* name longer than the buffers: tail ignored */
    bool has_cjk;
} lf_norm_result;

int lf_norm_new(lf_norm **out, lf_err *err);
void lf_norm_free(lf_norm *n);

/* Fold s[0..len) into out (replacing its content), NUL-terminated. Invalid UTF-8 bytes
 * are dropped (input was validated by textenc; this only keeps the function total). */
int lf_norm_fold(lf_norm *n, const char *s, size_t len, lf_buf *out, lf_err *err);

/* Fold and tokenise a name. */
int lf_norm_name(lf_norm *n, const char *s, size_t len, lf_norm_result *r, lf_err *err);

/* Key variants of a tokenised name, tokens joined by one space, into buf (NUL-terminated).
 * LF_NORM_KEY_FULL keeps WORD, YEAR, NUM; _NO_EDITION also drops EDITION (which FULL
 * keeps); _NO_TAILNUM also drops a NUM that ends the key. Returns the key length. */
enum { LF_NORM_KEY_FULL = 0, LF_NORM_KEY_NO_EDITION = 1, LF_NORM_KEY_NO_TAILNUM = 2 };
size_t lf_norm_key(const lf_norm_result *r, int flags, char *buf, size_t bufsize);

/* Number of key tokens kept by flags (for prefix matching: key token i is the i-th). */
size_t lf_norm_key_tokens(const lf_norm_result *r, int flags, const lf_norm_tok **toks, size_t max);

/* The version the name states (first VER token, a leading 'v' removed) into buf; a NUM
 * ending the name when allow_tailnum. Returns length, 0 if none. */
size_t lf_norm_name_version(const lf_norm_result *r, bool allow_tailnum, char *buf, size_t bufsize);

#endif
