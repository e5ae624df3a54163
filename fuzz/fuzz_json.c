/*
 * fuzz_json: any bytes through src/core/json.c with tight limits. Invariants checked
 * (__builtin_trap on violation):
 *  - a parsed tree, re-serialised by the small writer below and re-parsed, gives an
 *    equal tree, and serialising that one gives the same bytes;
 *  - lf_json_foreach on the same bytes agrees with lf_json_parse: the same elements
 *    (top-level array, or the "vulnerabilities" member), LF_ENOTFOUND when that array
 *    is not there, and the same code/line/column/message on a syntax error;
 *  - lf_json_foreach_keep (tight limits) on bytes that parse with the default limits
 *    delivers or skips every element of the array, in order, each delivered one equal to
 *    the parsed one (also those over the tight string and list limits), skips only for
 *    nesting, and on a syntax error reports what lf_json_parse reports;
 *  - lf_json_parse_head builds the kept members equal to the parsed ones and gives the
 *    records member's type;
 *  - lf_json_write_str of the raw bytes always parses back to a string, and writing that
 *    string again gives the same bytes.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const lf_json_limits lim = {.max_depth = 24, .max_string = 4096, .max_items = 256};

#define CHECK(x) do { if (!(x)) __builtin_trap(); } while (0)

/* Compact serialiser: numbers as their source text, strings via lf_json_write_str. */
static void ser(lf_buf *b, const lf_json *v)
{
    switch (v->type) {
    case LF_JSON_NULL: lf_buf_puts(b, "null"); break;
    case LF_JSON_TRUE: lf_buf_puts(b, "true"); break;
    case LF_JSON_FALSE: lf_buf_puts(b, "false"); break;
    case LF_JSON_NUMBER: lf_buf_append(b, v->u.str, v->n); break;
    case LF_JSON_STRING: CHECK(lf_json_write_str(b, v->u.str, v->n) == 0); break;
    case LF_JSON_ARRAY:
        lf_buf_putc(b, '[');
        for (uint32_t i = 0; i < v->n; i++) {
            if (i)
                lf_buf_putc(b, ',');
            ser(b, &v->u.items[i]);
        }
        lf_buf_putc(b, ']');
        break;
    case LF_JSON_OBJECT:
        lf_buf_putc(b, '{');
        for (uint32_t i = 0; i < v->n; i++) {
            if (i)
                lf_buf_putc(b, ',');
            CHECK(lf_json_write_str(b, v->u.members[i].key, v->u.members[i].klen) == 0);
            lf_buf_putc(b, ':');
            ser(b, &v->u.members[i].val);
        }
        lf_buf_putc(b, '}');
        break;
    default:
        __builtin_trap();
    }
}

static bool equal(const lf_json *x, const lf_json *y)
{
    if (x->type != y->type || x->n != y->n)
        return false;
    switch (x->type) {
    case LF_JSON_NUMBER:
        return memcmp(x->u.str, y->u.str, x->n) == 0 &&
               memcmp(&x->num, &y->num, sizeof x->num) == 0;
    case LF_JSON_STRING:
        return memcmp(x->u.str, y->u.str, x->n) == 0 && x->u.str[x->n] == '\0';
    case LF_JSON_ARRAY:
        for (uint32_t i = 0; i < x->n; i++)
            if (!equal(&x->u.items[i], &y->u.items[i]))
                return false;
        return true;
    case LF_JSON_OBJECT:
        for (uint32_t i = 0; i < x->n; i++) {
            const lf_json_member *a = &x->u.members[i], *b = &y->u.members[i];
            if (a->klen != b->klen || memcmp(a->key, b->key, a->klen) != 0 || a->key[a->klen] ||
                !equal(&a->val, &b->val))
                return false;
        }
        return true;
    default:
        return true;
    }
}

typedef struct walk {
    const lf_json *want;   /* the array lf_json_parse built, or NULL */
    size_t n;
} walk;

static int on_elem(void *ud, const lf_json *elem, size_t index, long line)
{
    walk *w = ud;
    CHECK(index == w->n);
    CHECK(line >= 1);
    if (w->want)
        CHECK(equal(elem, lf_json_at(w->want, index)));
    w->n++;
    return 0;
}

/* foreach must agree with what parse said about the same bytes. */
static void check_foreach(const uint8_t *data, size_t size, const char *key, int prc,
                          const lf_err *perr, const lf_json *root)
{
    lf_arena a;
    lf_arena_init(&a, 4096);
    lf_err err;
    lf_err_clear(&err);
    const lf_json *arr = NULL;
    if (prc == 0)
        arr = key ? (lf_json_is(root, LF_JSON_OBJECT) ? lf_json_get(root, key) : NULL) : root;
    walk w = {lf_json_is(arr, LF_JSON_ARRAY) ? arr : NULL, 0};
    int rc = lf_json_foreach(&a, (const char *)data, size, key, &lim, on_elem, &w, &err);
    if (prc == 0) {
        if (w.want) {
            CHECK(rc == 0);
            CHECK(w.n == w.want->n);
        } else {
            CHECK(rc == LF_ENOTFOUND);
            CHECK(w.n == 0);
        }
    } else if (prc == LF_EPARSE) {
        CHECK(rc == LF_EPARSE);
        CHECK(err.line == perr->line && err.col == perr->col);
        CHECK(strcmp(err.msg, perr->msg) == 0);
    } else if (prc == LF_ELIMIT && rc == LF_ELIMIT && strstr(perr->msg, "max_items") == NULL) {
        CHECK(err.line == perr->line && err.col == perr->col);
    }
    lf_arena_clear(&a);
}

typedef struct kwalk {
    const lf_json *want;   /* the array parsed with the default limits */
    size_t next;           /* index expected next, delivered or skipped */
} kwalk;

static int on_keep_elem(void *ud, const lf_json *elem, size_t index, long line)
{
    kwalk *w = ud;
    CHECK(index == w->next && line >= 1);
    CHECK(equal(elem, lf_json_at(w->want, index)));
    w->next++;
    return 0;
}

static int on_keep_skip(void *ud, size_t index, long line, const lf_err *why)
{
    kwalk *w = ud;
    CHECK(index == w->next && line >= 1);
    /* only nesting: an element over the string or list limit is read alone */
    CHECK(why->code == LF_ELIMIT && why->line >= line && strstr(why->msg, "max_depth") != NULL);
    w->next++;
    return 0;
}

/* foreach_keep and parse_head against the tree of the default limits (full) and the
 * tight parse's verdict (prc, perr). */
static void check_keep(const uint8_t *data, size_t size, const char *key, int prc, const lf_err *perr,
                       int frc, const lf_json *full)
{
    lf_arena a;
    lf_arena_init(&a, 4096);
    lf_err err;
    lf_err_clear(&err);
    const lf_json *arr = NULL;
    if (frc == 0)
        arr = key ? lf_json_get(full, key) : full;
    kwalk w = {lf_json_is(arr, LF_JSON_ARRAY) ? arr : NULL, 0};
    if (w.want) {
        int rc = lf_json_foreach_keep(&a, (const char *)data, size, key, &lim, on_keep_elem, on_keep_skip, &w, &err);
        CHECK(rc == 0 && w.next == w.want->n);
    } else if (prc == LF_EPARSE) {
        kwalk none = {NULL, 0};
        int rc = lf_json_foreach_keep(&a, (const char *)data, size, key, &lim, on_elem, on_keep_skip, &none, &err);
        CHECK(rc == LF_EPARSE);
        CHECK(err.line == perr->line && err.col == perr->col && strcmp(err.msg, perr->msg) == 0);
    }
    if (key && frc == 0 && lf_json_is(full, LF_JSON_OBJECT)) {
        static const char *const keep[] = {"id", "cve", NULL};
        lf_json *head = NULL;
        int type = 99;
        int rc = lf_json_parse_head(&a, (const char *)data, size, &lim, keep, key, &head, &type, &err);
        CHECK(rc == 0 || rc == LF_ELIMIT);
        if (rc == 0) {
            const lf_json *rec = lf_json_get(full, key);
            CHECK(type == (rec ? (int)rec->type : -1));
            size_t kept = 0;
            for (size_t i = 0; keep[i]; i++) {
                const lf_json *x = lf_json_get(full, keep[i]), *y = lf_json_get(head, keep[i]);
                CHECK((x == NULL) == (y == NULL));
                if (x) {
                    CHECK(equal(x, y));
                    kept++;
                }
            }
            CHECK(lf_json_len(head) == kept);
        }
    }
    lf_arena_clear(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lf_arena a;
    lf_arena_init(&a, 4096);
    lf_json *root = NULL;
    lf_err err;
    lf_err_clear(&err);
    int rc = lf_json_parse(&a, (const char *)data, size, &lim, &root, &err);
    CHECK(rc == 0 || rc == LF_EPARSE || rc == LF_ELIMIT);
    CHECK((rc == 0) == (root != NULL));
    if (rc) {
        CHECK(err.code == rc && err.line >= 1 && err.col >= 1 && err.msg[0]);
    } else {
        lf_buf s1, s2;
        lf_buf_init(&s1, 0);
        lf_buf_init(&s2, 0);
        ser(&s1, root);
        lf_json *again = NULL;
        lf_err err2;
        CHECK(lf_json_parse(&a, s1.data, s1.len, &lim, &again, &err2) == 0);
        CHECK(equal(root, again));
        ser(&s2, again);
        CHECK(s1.len == s2.len && memcmp(s1.data, s2.data, s1.len) == 0);
        lf_buf_clear(&s1);
        lf_buf_clear(&s2);
    }
    check_foreach(data, size, NULL, rc, &err, root);
    check_foreach(data, size, "vulnerabilities", rc, &err, root);
    lf_arena fa;
    lf_arena_init(&fa, 4096);
    lf_json *full = NULL;
    int frc = lf_json_parse(&fa, (const char *)data, size, NULL, &full, NULL);
    check_keep(data, size, NULL, rc, &err, frc, full);
    check_keep(data, size, "vulnerabilities", rc, &err, frc, full);
    lf_arena_clear(&fa);
    lf_arena_clear(&a);

    /* the writer: any bytes become a valid string literal, stable on a second pass */
    lf_buf w1, w2;
    lf_buf_init(&w1, 0);
    lf_buf_init(&w2, 0);
    CHECK(lf_json_write_str(&w1, (const char *)data, size) == 0);
    lf_arena_init(&a, 4096);
    lf_json *str = NULL;
    lf_json_limits big = {.max_string = 4 * size + 16};
    CHECK(lf_json_parse(&a, w1.data, w1.len, &big, &str, NULL) == 0);
    CHECK(str->type == LF_JSON_STRING);
    CHECK(lf_json_write_str(&w2, str->u.str, str->n) == 0);
    CHECK(w1.len == w2.len && memcmp(w1.data, w2.data, w1.len) == 0);
    lf_buf_clear(&w1);
    lf_buf_clear(&w2);
    lf_arena_clear(&a);
    return 0;
}
