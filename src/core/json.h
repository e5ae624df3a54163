/*
 * json: a fast, bounded JSON (RFC 8259) reader into an arena, plus string escaping for
 * writers. Built for feed import (hundreds of MB of NVD/CVE 5/OSV JSON), so it parses
 * without a malloc per node, and for outside data, so every input has limits (depth,
 * string length, member count) and any bytes give either a tree or a located error.
 *
 * Tree: lf_json nodes live in the arena passed in; strings are unescaped, valid UTF-8,
 * NUL-terminated (embedded \u0000 is kept; use ->n for the length). Numbers keep their
 * source text (so "10.0" stays exact) and a double.
 * Ownership: everything returned is borrowed from the arena; lf_arena_clear frees it.
 */
#ifndef LF_CORE_JSON_H
#define LF_CORE_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"

typedef enum {
    LF_JSON_NULL = 0,
    LF_JSON_FALSE,
    LF_JSON_TRUE,
    LF_JSON_NUMBER,
    LF_JSON_STRING,
    LF_JSON_ARRAY,
    LF_JSON_OBJECT
} lf_json_type;

typedef struct lf_json lf_json;
typedef struct lf_json_member lf_json_member;

struct lf_json {
    lf_json_type type;
    uint32_t n;          /* STRING/NUMBER: byte length; ARRAY: items; OBJECT: members */
    union {
        const char *str;             /* STRING: unescaped text; NUMBER: source text */
        lf_json *items;              /* ARRAY: n contiguous values */
        lf_json_member *members;     /* OBJECT: n contiguous members, source order */
    } u;
    double num;          /* NUMBER: value (strtod of the text) */
};

struct lf_json_member {
    const char *key;     /* unescaped, NUL-terminated */
    uint32_t klen;
    lf_json val;
};

typedef struct lf_json_limits {
    unsigned max_depth;      /* nesting; default 64 */
    size_t max_string;       /* bytes of one string (unescaped) or number text; default 1 MiB */
    size_t max_items;        /* elements of one array / members of one object; default 1 Mi */
} lf_json_limits;

/* Defaults above when lim is NULL or a field is 0. Values above UINT32_MAX are capped
 * (lf_json.n is 32-bit). */
#define LF_JSON_DEFAULT_MAX_DEPTH  64u
#define LF_JSON_DEFAULT_MAX_STRING ((size_t)1 << 20)
#define LF_JSON_DEFAULT_MAX_ITEMS  ((size_t)1 << 20)

/*
 * Parse exactly one JSON value (surrounding whitespace allowed, a UTF-8 BOM at the start
 * skipped) from text[0..len). On error: LF_EPARSE (syntax, invalid UTF-8, trailing
 * data), LF_ELIMIT (a limit hit) or LF_ENOMEM; err->line/err->col locate the byte and
 * the message says what was expected and what was found (quoted byte). Input that ends
 * early is located at the end of input (an unterminated string at its opening quote).
 * Numbers beyond the double range are accepted (num is +-HUGE_VAL or 0, text exact).
 */
int lf_json_parse(lf_arena *a, const char *text, size_t len, const lf_json_limits *lim,
                  lf_json **out, lf_err *err);

/*
 * Streaming over big documents: call fn for each element of the array found at the
 * top-level object member named `key` (or of the top-level array when key is NULL),
 * parsing one element at a time into `a`, which is lf_arena_reset() after each call, so
 * memory stays bounded by the largest element. Other members of the top-level object are
 * skipped (validated, not built). `index` counts elements from 0; `line` is the 1-based
 * line where the element starts. fn returns 0 to go on, non-zero to stop (returned).
 * If the top level is an object without `key`, returns LF_ENOTFOUND.
 * A syntax error stops the walk (JSON cannot be resynchronised) with err located; the
 * elements already delivered stay delivered.
 * The whole document is validated exactly as lf_json_parse would (so a syntax error
 * anywhere wins over LF_ENOTFOUND), except that the streamed array's own length is not
 * bounded by max_items. LF_ENOTFOUND is also returned when the wanted value is there but
 * is not an array, or the top level is not an object (key != NULL) / not an array
 * (key == NULL). If `key` occurs twice, only the first occurrence is walked.
 */
typedef int (*lf_json_elem_fn)(void *ud, const lf_json *elem, size_t index, long line);
int lf_json_foreach(lf_arena *a, const char *text, size_t len, const char *key,
                    const lf_json_limits *lim, lf_json_elem_fn fn, void *ud, lf_err *err);

/*
 * lf_json_foreach for inventory files, which must not lose a record to a limit:
 *  - an element that hits a limit is validated to its end, then parsed again on its own
 *    with max_string and max_items as large as its own text (the caller holds that text,
 *    so its tree costs a few times the element; a 30 MB component is read, not lost) and
 *    nesting bounded as in the walk, and given to fn like any element. Only an element
 *    still over a limit (nesting deeper than max_depth) goes to skip(ud, index, line,
 *    why), why holding the limit's message and position; the walk goes on when skip
 *    returns 0 and stops with its value otherwise;
 *  - the members of the top-level object that are not walked (and a top level of the
 *    wrong shape) are validated for syntax only: they are not built, so there is nothing
 *    for the size limits to bound (a CycloneDX "dependencies" array of 2 M entries is no
 *    reason to lose the components). The top-level object's own member count and its
 *    keys keep max_items and max_string, and are checked as they come: a member after the
 *    walked array can still end the walk with LF_ELIMIT (lf_json_parse_head, with the
 *    same checks, finds that before any element is delivered).
 * Syntax-only validation still bounds nesting, at LF_JSON_SKIM_MAX_DEPTH (its frames are
 * memory). A syntax error stops the walk as in lf_json_foreach. skip NULL: lf_json_foreach.
 */
#define LF_JSON_SKIM_MAX_DEPTH (1u << 20)
typedef int (*lf_json_skip_fn)(void *ud, size_t index, long line, const lf_err *why);
int lf_json_foreach_keep(lf_arena *a, const char *text, size_t len, const char *key,
                         const lf_json_limits *lim, lf_json_elem_fn fn, lf_json_skip_fn skip,
                         void *ud, lf_err *err);

/*
 * The head of a document whose records sit in one big member (an SBOM's components[]):
 * the top-level object's members named in keep (NULL-terminated; the first of each name)
 * are parsed as lf_json_parse would and make up the tree, in source order; every other
 * member is validated for syntax only (no size limits, nesting up to
 * LF_JSON_SKIM_MAX_DEPTH) and left out, so neither the records nor another big member
 * (a "dependencies" list) cost memory or hit a limit here. *records_type (may be NULL)
 * gets the lf_json_type of the first member named `records`, or -1 when there is none;
 * walk it with lf_json_foreach(_keep) afterwards. A top level that is not an object is
 * parsed exactly as lf_json_parse does (*records_type -1).
 */
int lf_json_parse_head(lf_arena *a, const char *text, size_t len, const lf_json_limits *lim,
                       const char *const *keep, const char *records, lf_json **out, int *records_type,
                       lf_err *err);

/* Lookups. All NULL-safe: a NULL or wrong-typed node yields NULL / the default. */
const lf_json *lf_json_get(const lf_json *obj, const char *key);   /* first member named key */
const lf_json *lf_json_at(const lf_json *arr, size_t i);
size_t lf_json_len(const lf_json *v);          /* items/members; 0 for scalars */
const char *lf_json_str(const lf_json *v);     /* STRING text or NULL */
const char *lf_json_get_str(const lf_json *obj, const char *key);
double lf_json_num(const lf_json *v, double def);
bool lf_json_bool(const lf_json *v, bool def);
bool lf_json_is(const lf_json *v, lf_json_type t);
/* "null", "false", "true", "a number", "a string", "an array", "an object": for messages
 * such as "DisplayName is a number, not a string". NULL gives "nothing". */
const char *lf_json_type_name(const lf_json *v);

/* Append s[0..n) as a JSON string literal with quotes, escaping per RFC 8259 (control
 * characters as \u00XX; invalid UTF-8 bytes replaced by U+FFFD so output stays valid). */
int lf_json_write_str(lf_buf *out, const char *s, size_t n);

#endif
