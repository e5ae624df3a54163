/*
 * cpedict: XML (expat) and JSON readers of the CPE dictionary, and the digest writer.
 */
#include "feeds/cpedict.h"

#include <stdint.h>

#include <expat.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/file.h"
#include "core/json.h"
#include "core/strmap.h"
#include "intake/normalize.h"
#include "vans/cpe.h"

typedef struct ctx {
    const char *src;
    lf_norm *norm;
    bool own_norm;
    lf_buf out;
    /* the lines written, for "one line per distinct (product, title)" (an item's versions
     * interleave their titles, "X", "X beta", "X", so the previous line is not enough) */
    lf_strmap seen;
    lf_arena seen_a;
    lf_cpedict_warn_fn warn;
    void *ud;
    lf_cpedict_stats *st;
    int oom;
    /* XML item state */
    bool in_item, in_title, deprecated;
    long item_line;
    long line0;               /* lines skipped before the XML declaration */
    lf_buf title, name;
    bool title_cap, cap_en;   /* the title being read is kept; it is English */
    bool have_title, have_en; /* the item has a title kept; an English one */
} ctx;

static void warn(ctx *c, long line, const char *msg, const char *what)
{
    c->st->bad++;
    if (!c->warn)
        return;
    lf_err e;
    lf_err_clear(&e);
    lf_err_set(&e, LF_EPARSE, "%s%s%s", msg, what ? ": " : "", what ? what : "");
    lf_err_at(&e, c->src, line, 0, NULL);
    c->warn(c->ud, &e);
}

/* cpe:2.3:part:vendor:product:... → "part:vendor:product" as quoted in the name. */
static bool vp_of(const char *name, char *out, size_t cap)
{
    lf_cpe cpe;
    if (lf_cpe_parse(&cpe, name, strlen(name), NULL) != LF_OK || strncmp(name, "cpe:2.3:", 8) != 0 ||
        lf_cpe_kind(&cpe, LF_CPE_VENDOR) != LF_CPE_VALUE || lf_cpe_kind(&cpe, LF_CPE_PRODUCT) != LF_CPE_VALUE ||
        lf_cpe_kind(&cpe, LF_CPE_PART) != LF_CPE_VALUE)
        return false;
    char part = name[8];
    if (part != 'a' && part != 'o' && part != 'h')
        return false;        /* a dictionary product has a part */
    const char *s = name + 8, *e = s;
    int colons = 0;
    for (; *e; e++) {
        if (*e == '\\' && e[1]) {
            e++;
            continue;
        }
        if (*e == ':' && ++colons == 3)
            break;
    }
    if ((size_t)(e - s) >= cap)
        return false;
    /* CPE names compare without case (NISTIR 7695 5.3.2) and every name the index and the
     * resolver hold is lower-case: a hand-made dictionary's "Microsoft" must meet them */
    for (size_t i = 0; i < (size_t)(e - s); i++)
        out[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];
    out[e - s] = '\0';
    return true;
}

/* Append line (n bytes) to out unless it was written before: 1 = it was, 0 = appended,
 * -1 = out of memory. */
static int seen_add(ctx *c, const char *line, size_t n)
{
    lf_strmap_slot *sl;
    bool ex;
    if (lf_strmap_put(&c->seen, &c->seen_a, line, n, 0, &sl, &ex))
        return -1;
    if (ex)
        return 1;
    return lf_buf_append(&c->out, line, n) ? -1 : 0;
}

static void emit(ctx *c, const char *name, const char *title, bool deprecated, long line)
{
    c->st->items++;
    if (deprecated) {
        c->st->deprecated++;
        return;
    }
    char vp[512];
    if (!name || !vp_of(name, vp, sizeof vp)) {
        warn(c, line, "not a CPE 2.3 name with part, vendor and product", name);
        return;
    }
    char key[512] = "";
    if (title && *title) {
        lf_norm_result r;
        lf_err e;
        if (lf_norm_name(c->norm, title, strlen(title), &r, &e) == LF_OK)
            lf_norm_key(&r, LF_NORM_KEY_NO_EDITION | LF_NORM_KEY_NO_TAILNUM, key, sizeof key);
    }
    char line_text[1100];
    int n = snprintf(line_text, sizeof line_text, "%s\t%s\n", vp, key);
    if (n < 0 || (size_t)n >= sizeof line_text)
        return;
    int dup = seen_add(c, line_text, (size_t)n);
    if (dup < 0)
        c->oom = 1;
    if (dup)
        return;
    c->st->written++;
}

/* A file broken after some whole entries (a truncated download, a broken tail seen in real
 * copies) costs only what follows the break: the entries before it are kept, the break is
 * reported as a warning with its place, marked so, and counted. */
static int keep_before_error(ctx *c, lf_err *err, const char *what)
{
    char kept[64];
    int k = snprintf(kept, sizeof kept, " (the %s before it are kept)", what);
    size_t n = strlen(err->msg);
    if (k > 0 && n + (size_t)k < sizeof err->msg)
        memcpy(err->msg + n, kept, (size_t)k + 1);
    c->st->bad++;
    if (c->warn)
        c->warn(c->ud, err);
    lf_err_clear(err);
    return LF_OK;
}

/* ---- XML ---- */

static const char *attr(const XML_Char **a, const char *name)
{
    for (size_t i = 0; a[i]; i += 2)
        if (strcmp(a[i], name) == 0)
            return a[i + 1];
    return NULL;
}

static void XMLCALL x_start(void *ud, const XML_Char *el, const XML_Char **a)
{
    XML_Parser p = ud;
    ctx *c = XML_GetUserData(p);
    if (strcmp(el, "cpe-item") == 0) {
        c->in_item = true;
        const char *d = attr(a, "deprecated");
        c->deprecated = d && strcmp(d, "true") == 0;
        c->item_line = c->line0 + (long)XML_GetCurrentLineNumber(p);
        lf_buf_reset(&c->title);
        lf_buf_reset(&c->name);
        c->have_title = c->have_en = false;
    } else if (c->in_item && strcmp(el, "title") == 0) {
        /* the English title, else the first in any language (as the JSON form) */
        const char *lang = attr(a, "xml:lang");
        bool en = !lang || strncmp(lang, "en", 2) == 0;
        c->in_title = true;
        c->title_cap = (en && !c->have_en) || !c->have_title;
        c->cap_en = en;
        if (c->title_cap)
            lf_buf_reset(&c->title);
    } else if (c->in_item && strcmp(el, "cpe-23:cpe23-item") == 0) {
        const char *n = attr(a, "name");
        lf_buf_reset(&c->name);
        if (n && lf_buf_puts(&c->name, n))
            c->oom = 1;
    }
}

static void XMLCALL x_end(void *ud, const XML_Char *el)
{
    XML_Parser p = ud;
    ctx *c = XML_GetUserData(p);
    if (strcmp(el, "title") == 0 && c->in_title) {
        c->in_title = false;
        if (c->title_cap) {
            c->have_title = true;
            c->have_en = c->have_en || c->cap_en;
        }
    } else if (strcmp(el, "cpe-item") == 0 && c->in_item) {
        c->in_item = false;
        if (lf_buf_putc(&c->title, '\0') || lf_buf_putc(&c->name, '\0')) {
            c->oom = 1;
            return;
        }
        emit(c, c->name.len > 1 ? c->name.data : NULL, c->title.data, c->deprecated, c->item_line);
    }
}

static void XMLCALL x_text(void *ud, const XML_Char *s, int len)
{
    XML_Parser p = ud;
    ctx *c = XML_GetUserData(p);
    if (c->in_title && c->title_cap && lf_buf_append(&c->title, s, (size_t)len))
        c->oom = 1;
}

static int read_xml(ctx *c, const char *data, size_t len, lf_err *err)
{
    XML_Parser p = XML_ParserCreate("UTF-8");
    if (!p)
        return lf_err_set(err, LF_ENOMEM, "out of memory");
    XML_SetUserData(p, c);
    XML_UseParserAsHandlerArg(p);
    XML_SetElementHandler(p, x_start, x_end);
    XML_SetCharacterDataHandler(p, x_text);
    int rc = LF_OK;
    size_t items0 = c->st->items;   /* this file's items decide whether an error is fatal */
    /* feed in slices: XML_Parse takes an int length */
    size_t off = 0;
    do {
        size_t n = len - off > (1u << 30) ? (1u << 30) : len - off;
        bool last = off + n == len;
        if (XML_Parse(p, data + off, (int)n, last) == XML_STATUS_ERROR) {
            rc = lf_err_set(err, LF_EPARSE, "XML: %s", XML_ErrorString(XML_GetErrorCode(p)));
            long line = (long)XML_GetCurrentLineNumber(p);
            lf_err_at(err, c->src, c->line0 + line, (long)XML_GetCurrentColumnNumber(p) + 1, NULL);
            if (c->st->items > items0)
                rc = keep_before_error(c, err, "items");
            break;
        }
        off += n;
    } while (off < len && !c->oom);
    XML_ParserFree(p);
    return rc;
}

/* ---- JSON ---- */

static int j_product(void *ud, const lf_json *elem, size_t index, long line)
{
    (void)index;
    ctx *c = ud;
    const lf_json *cpe = lf_json_get(elem, "cpe");
    const char *name = lf_json_get_str(cpe, "cpeName");
    if (!name) {
        c->st->items++;
        warn(c, line, "a product without cpe.cpeName", NULL);
        return 0;
    }
    const char *title = NULL;
    const lf_json *ts = lf_json_get(cpe, "titles");
    for (size_t i = 0; i < lf_json_len(ts); i++) {
        const lf_json *t = lf_json_at(ts, i);
        const char *lang = lf_json_get_str(t, "lang");
        if (!title || (lang && strncmp(lang, "en", 2) == 0)) {
            title = lf_json_get_str(t, "title");
            if (lang && strncmp(lang, "en", 2) == 0)
                break;
        }
    }
    emit(c, name, title, lf_json_bool(lf_json_get(cpe, "deprecated"), false), line);
    return c->oom ? LF_ENOMEM : 0;
}

static int read_one(ctx *c, lf_arena *a, const char *src, const char *data, size_t len, lf_err *err)
{
    int rc;
    c->src = src;
    size_t k = 0;
    while (k < len && (data[k] == ' ' || data[k] == '\n' || data[k] == '\r' || data[k] == '\t'))
        k++;
    if (len - k >= 3 && memcmp(data + k, "\xEF\xBB\xBF", 3) == 0)
        k += 3;
    if (k < len && data[k] == '<') {
        /* expat refuses anything before an XML declaration, but files saved by editors and
         * concatenated by scripts start with a blank line: parse from the declaration, the
         * lines skipped added back to every line number */
        size_t from = 0;
        c->line0 = 0;
        if (len - k >= 5 && memcmp(data + k, "<?xml", 5) == 0) {
            from = k;
            for (size_t i = 0; i < k; i++)
                c->line0 += data[i] == '\n';
        }
        rc = read_xml(c, data + from, len - from, err);
    } else if (k < len && data[k] == '{') {
        size_t items0 = c->st->items;
        rc = lf_json_foreach(a, data, len, "products", NULL, j_product, c, err);
        if (rc == LF_ENOTFOUND)
            rc = lf_err_set(err, LF_EFORMAT, "JSON without a \"products\" array: not a CPE API 2.0 response");
        if (rc)
            lf_err_at(err, src, err->line, err->col, NULL);
        /* each product delivered was a whole element, so those before a break are good */
        if (rc == LF_EPARSE && c->st->items > items0 && !c->oom)
            rc = keep_before_error(c, err, "products");
    } else {
        rc = lf_err_set(err, LF_EFORMAT, "neither the XML nor the JSON form of the CPE dictionary");
        lf_err_at(err, src, 0, 0, NULL);
    }
    if (c->oom)
        rc = lf_err_set(err, LF_ENOMEM, "out of memory reading the CPE dictionary");
    return rc;
}

static int ctx_init(ctx *c, lf_norm *norm, lf_cpedict_warn_fn wfn, void *ud, lf_cpedict_stats *st, lf_err *err)
{
    memset(st, 0, sizeof *st);
    memset(c, 0, sizeof *c);
    c->warn = wfn;
    c->ud = ud;
    c->st = st;
    lf_buf_init(&c->out, 0);
    lf_buf_init(&c->title, 0);
    lf_buf_init(&c->name, 0);
    lf_arena_init(&c->seen_a, 1 << 16);
    if (norm) {
        c->norm = norm;
        return LF_OK;
    }
    c->own_norm = true;
    return lf_norm_new(&c->norm, err);
}

static void ctx_clear(ctx *c)
{
    lf_strmap_clear(&c->seen);
    lf_arena_clear(&c->seen_a);
    if (c->own_norm)
        lf_norm_free(c->norm);
    lf_buf_clear(&c->out);
    lf_buf_clear(&c->title);
    lf_buf_clear(&c->name);
}

int lf_cpedict_read_buffer(const char *src, const char *data, size_t len, lf_buf *out, lf_norm *norm,
                           lf_cpedict_warn_fn wfn, void *ud, lf_cpedict_stats *st, lf_err *err)
{
    ctx c;
    lf_arena a;
    lf_arena_init(&a, 0);
    int rc = ctx_init(&c, norm, wfn, ud, st, err);
    if (!rc)
        rc = read_one(&c, &a, src, data, len, err);
    if (!rc && lf_buf_append(out, c.out.data, c.out.len))
        rc = lf_err_set(err, LF_ENOMEM, "out of memory");
    ctx_clear(&c);
    lf_arena_clear(&a);
    return rc;
}

int lf_cpedict_import(const char *const *paths, size_t npaths, const char *out_path, lf_cpedict_warn_fn wfn,
                      void *ud, lf_cpedict_stats *st, lf_err *err)
{
    ctx c;
    lf_arena a;
    lf_arena_init(&a, 0);
    int rc = ctx_init(&c, NULL, wfn, ud, st, err);
    if (rc)
        goto fail;
    lf_buf_puts(&c.out, "# lianfang CPE dictionary digest: part:vendor:product<TAB>folded title (feed import cpedict)\n");
    for (size_t i = 0; i < npaths; i++) {
        char *data = NULL;
        size_t len = 0;
        if ((rc = lf_file_read(paths[i], (size_t)4 << 30, &data, &len, err)))
            goto fail;
        rc = read_one(&c, &a, paths[i], data, len, err);
        free(data);
        if (rc)
            goto fail;
    }
    if (!st->items) {
        /* a well-formed file of another kind (a pom.xml, an empty page) would replace the
         * titles with nothing */
        if (npaths == 1)
            rc = lf_err_set(err, LF_EFORMAT, "no CPE dictionary items in %s: the digest is unchanged", paths[0]);
        else
            rc = lf_err_set(err, LF_EFORMAT, "no CPE dictionary items in %s nor in the %zu other files: the digest "
                            "is unchanged", paths[0], npaths - 1);
        goto fail;
    }
    rc = lf_file_write_atomic(out_path, c.out.data, c.out.len, err);
fail:
    ctx_clear(&c);
    lf_arena_clear(&a);
    return rc;
}
