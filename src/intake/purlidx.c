/*
 * purlidx: syft's ecosystem → CPE index (see purlidx.h for the format, the ecosystem
 * names and the checks). The JSON is parsed whole with core/json (the file is about 1 MB);
 * the kept entries live in the index's arena: one open-addressing map from
 * "ecosystem\x1fname key" to an entry, each entry a chain of its CPE names.
 */
#include "intake/purlidx.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/file.h"
#include "core/json.h"
#include "core/strmap.h"
#include "vans/cpe.h"

#define NONE UINT32_MAX

typedef struct pcpe {
    const char *fs;          /* the CPE name, formatted string (as written back) */
    lf_product prod;         /* plain text */
    uint32_t next;           /* next CPE name of the same package; NONE: last */
} pcpe;

typedef struct pentry {
    uint32_t eco;            /* index into eco[]: the ecosystem it was first read under */
    const char *key;         /* the package as the file writes it */
    uint32_t head, tail, ncpe;
} pentry;

typedef struct peco {
    const char *syft;        /* the file's name */
    const char *eco;         /* lianfang's (syft's when there is none) */
    size_t packages;
} peco;

struct lf_purlidx {
    lf_arena a;
    lf_strmap map;           /* "ecosystem\x1fname key" -> entry index */
    pentry *ent;
    size_t nent, capent;
    pcpe *cpe;
    size_t ncpe, capcpe;
    peco eco[LF_PURLIDX_MAX_ECOSYSTEMS];
    size_t neco;
    size_t bad, unmapped;
};

/* syft's ecosystem names (cpegenerate/dictionary/types.go) → purl types */
static const struct {
    const char *syft, *eco;
} eco_names[] = {
    {"npm", "npm"},
    {"pypi", "pypi"},
    {"rubygems", "gem"},
    {"rust_crates", "cargo"},
    {"go_modules", "golang"},
    {"php_composer", "composer"},
    {"php_pear", "pear"},
    {"php_pecl", "pecl"},
    {"jenkins_plugins", "jenkins"},
    {"wordpress_plugins", "wordpress-plugin"},
    {"wordpress_themes", "wordpress-theme"},
};

const char *lf_purlidx_ecosystem_name(const char *syft)
{
    for (size_t i = 0; syft && i < sizeof eco_names / sizeof eco_names[0]; i++)
        if (strcmp(syft, eco_names[i].syft) == 0)
            return eco_names[i].eco;
    return NULL;
}

int lf_purlidx_new(lf_purlidx **out, lf_err *err)
{
    lf_purlidx *x = calloc(1, sizeof *x);
    if (!x)
        return lf_err_set(err, LF_ENOMEM, "out of memory");
    lf_arena_init(&x->a, 1 << 18);
    *out = x;
    return LF_OK;
}

void lf_purlidx_free(lf_purlidx *x)
{
    if (!x)
        return;
    lf_strmap_clear(&x->map);
    free(x->ent);
    free(x->cpe);
    lf_arena_clear(&x->a);
    free(x);
}

/* ---- name keys ---- */

enum { FOLD_EXACT, FOLD_CASE, FOLD_PEP503, FOLD_CRATE };

static int fold_mode(const char *eco)
{
    if (strcmp(eco, "pypi") == 0)
        return FOLD_PEP503;
    if (strcmp(eco, "cargo") == 0)
        return FOLD_CRATE;
    static const char *const ci[] = {"npm", "composer", "pear", "pecl", "jenkins", "wordpress-plugin",
                                     "wordpress-theme"};
    for (size_t i = 0; i < sizeof ci / sizeof ci[0]; i++)
        if (strcmp(eco, ci[i]) == 0)
            return FOLD_CASE;
    return FOLD_EXACT;     /* golang module paths, gem names, ecosystems of unknown rules */
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : (c | 32) >= 'a' && (c | 32) <= 'f' ? (c | 32) - 'a' + 10 : -1;
}

/* "ecosystem\x1fname" with the name compared as the registry does (purlidx.h). Returns the
 * length, 0 when it does not fit. */
static size_t make_key(const char *eco, const char *s, size_t n, char *key, size_t cap)
{
    size_t el = strlen(eco);
    if (el + 2 + n > cap)
        return 0;
    memcpy(key, eco, el);
    key[el] = '\x1f';
    size_t o = el + 1;
    int mode = fold_mode(eco);
    bool npm = strcmp(eco, "npm") == 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        /* npm: "%40scope/name" is "@scope/name" (a '%' is never part of an npm name) */
        if (npm && c == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            c = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            i += 2;
        }
        if (mode != FOLD_EXACT && c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if (mode == FOLD_PEP503 && (c == '-' || c == '_' || c == '.')) {
            if (o > el + 1 && key[o - 1] == '-')
                continue;
            c = '-';
        } else if (mode == FOLD_CRATE && c == '_') {
            c = '-';
        }
        key[o++] = c;
    }
    key[o] = '\0';
    return o;
}

/* ---- loading ---- */

typedef struct lctx {
    lf_purlidx *x;
    const char *src;
    lf_purlidx_warn_fn warn;
    void *ud;
    size_t warned;
} lctx;

/* A JSON string literal of s for a message, cut (at a character boundary) when long. */
static void quote_for_msg(const char *s, size_t n, char *out, size_t cap)
{
    size_t lim = 96;
    bool cut = n > lim;
    if (cut) {
        n = lim;
        while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    lf_buf b;
    lf_buf_init(&b, 1024);
    if (lf_json_write_str(&b, s, n) == LF_OK)
        snprintf(out, cap, "%s%s", b.data, cut ? "..." : "");
    else
        snprintf(out, cap, "\"?\"");
    lf_buf_clear(&b);
}

static bool plain_eco_name(const char *s, size_t n)
{
    if (!n)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
              c == '.'))
            return false;
    }
    return true;
}

/* The JSON path of an entry: ecosystems.npm["left-pad"][1] (item < 0: no index). */
static void json_path(const lf_json_member *eco, const lf_json_member *pkg, long item, char *out, size_t cap)
{
    char e[160], p[160] = "", it[32] = "";
    if (!eco)
        snprintf(e, sizeof e, "ecosystems");
    else if (plain_eco_name(eco->key, eco->klen) && eco->klen < 64)
        snprintf(e, sizeof e, "ecosystems.%s", eco->key);
    else {
        char q[140];
        quote_for_msg(eco->key, eco->klen, q, sizeof q);
        snprintf(e, sizeof e, "ecosystems[%s]", q);
    }
    if (pkg) {
        char q[140];
        quote_for_msg(pkg->key, pkg->klen, q, sizeof q);
        snprintf(p, sizeof p, "[%s]", q);
    }
    if (item >= 0)
        snprintf(it, sizeof it, "[%ld]", item);
    snprintf(out, cap, "%s%s%s", e, p, it);
}

static void report(lctx *c, const lf_json_member *eco, const lf_json_member *pkg, long item, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void report(lctx *c, const lf_json_member *eco, const lf_json_member *pkg, long item, const char *fmt, ...)
{
    c->x->bad++;
    if (!c->warn || c->warned++ >= LF_PURLIDX_MAX_WARNINGS)
        return;
    char path[400], why[400];
    json_path(eco, pkg, item, path, sizeof path);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    lf_err e;
    lf_err_clear(&e);
    lf_err_set(&e, LF_EPARSE, "%s: %s", path, why);
    lf_err_at(&e, c->src, 0, 0, NULL);
    c->warn(c->ud, &e);
}

static int grow(void **p, size_t *cap, size_t n, size_t elem)
{
    if (n < *cap)
        return LF_OK;
    size_t nc = *cap ? *cap * 2 : 1024;
    void *np = realloc(*p, nc * elem);
    if (!np)
        return LF_ENOMEM;
    *p = np;
    *cap = nc;
    return LF_OK;
}

/* One CPE name of a package: checked, then added to its entry (made on the first good one).
 * *ent is the entry index or NONE. Returns LF_OK (kept, a duplicate, or reported) or
 * LF_ENOMEM. */
static int add_cpe(lctx *c, uint32_t ecoi, const lf_json_member *em, const lf_json_member *pm, long i,
                   const lf_json *v, uint32_t *ent)
{
    lf_purlidx *x = c->x;
    if (!lf_json_is(v, LF_JSON_STRING)) {
        report(c, em, pm, i, "%s, not a string", lf_json_type_name(v));
        return LF_OK;
    }
    char q[140];
    lf_cpe cp;
    lf_err ce;
    lf_err_clear(&ce);
    if (lf_cpe_parse(&cp, v->u.str, v->n, &ce) != LF_OK) {
        quote_for_msg(v->u.str, v->n, q, sizeof q);
        const char *lead = strncmp(ce.msg, "not a CPE name", 14) == 0 ? "" : "not a CPE name: ";
        if (ce.field[0])
            report(c, em, pm, i, "%s: %s%s: %s", q, lead, ce.field, ce.msg);
        else
            report(c, em, pm, i, "%s: %s%s", q, lead, ce.msg);
        return LF_OK;
    }
    const char *part = lf_cpe_value(&cp, LF_CPE_PART);
    if (!part || strlen(part) != 1 || (part[0] != 'a' && part[0] != 'o' && part[0] != 'h')) {
        quote_for_msg(v->u.str, v->n, q, sizeof q);
        report(c, em, pm, i, "%s: the part must be a, o or h", q);
        return LF_OK;
    }
    static const int need[] = {LF_CPE_VENDOR, LF_CPE_PRODUCT};
    char plain[2][256];
    for (int k = 0; k < 2; k++) {
        int at = need[k];
        if (lf_cpe_kind(&cp, at) != LF_CPE_VALUE || lf_cpe_has_wildcards(&cp, at) ||
            lf_cpe_plain(&cp, at, plain[k], sizeof plain[k]) <= 0) {
            quote_for_msg(v->u.str, v->n, q, sizeof q);
            report(c, em, pm, i, "%s names no %s (it must be a plain value, at most 255 bytes)", q,
                   lf_cpe_attr_name(at));
            return LF_OK;
        }
    }
    char fs[LF_CPE_FS_BUF];
    if (lf_cpe_format_fs(&cp, fs, sizeof fs) != LF_OK) {
        quote_for_msg(v->u.str, v->n, q, sizeof q);
        report(c, em, pm, i, "%s cannot be written as a CPE 2.3 formatted string", q);
        return LF_OK;
    }
    pentry *e = *ent != NONE ? &x->ent[*ent] : NULL;
    if (e) {
        for (uint32_t k = e->head; k != NONE; k = x->cpe[k].next)
            if (strcmp(x->cpe[k].fs, fs) == 0)
                return LF_OK;   /* listed twice: one is enough */
        if (e->ncpe >= LF_PURLIDX_MAX_CPES) {
            report(c, em, pm, i, "more than %d CPE names for one package: left out", LF_PURLIDX_MAX_CPES);
            return LF_OK;
        }
    }
    if (grow((void **)&x->cpe, &x->capcpe, x->ncpe, sizeof *x->cpe))
        return LF_ENOMEM;
    pcpe *pc = &x->cpe[x->ncpe];
    pc->fs = lf_arena_strdup(&x->a, fs);
    pc->prod.part = part[0];
    pc->prod.vendor = lf_arena_strdup(&x->a, plain[0]);
    pc->prod.product = lf_arena_strdup(&x->a, plain[1]);
    pc->next = NONE;
    if (!pc->fs || !pc->prod.vendor || !pc->prod.product)
        return LF_ENOMEM;
    if (!e) {
        /* the package's first good CPE name: its entry, or the entry of the same package
         * read before (the key listed twice, or two spellings the registry counts as one) */
        char key[LF_PURLIDX_MAX_NAME + 80];
        size_t kn = make_key(x->eco[ecoi].eco, pm->key, pm->klen, key, sizeof key);
        lf_strmap_slot *s;
        bool ex;
        /* room first, so a failed allocation never leaves the map naming a missing entry */
        if (!kn) {   /* cannot happen: names are at most LF_PURLIDX_MAX_NAME bytes */
            report(c, em, pm, i, "the package name does not fit");
            return LF_OK;
        }
        if (grow((void **)&x->ent, &x->capent, x->nent, sizeof *x->ent) ||
            lf_strmap_put(&x->map, &x->a, key, kn, (uint32_t)x->nent, &s, &ex))
            return LF_ENOMEM;
        if (!ex) {
            pentry *ne = &x->ent[x->nent];
            ne->eco = ecoi;
            ne->key = lf_arena_strndup(&x->a, pm->key, pm->klen);
            ne->head = ne->tail = NONE;
            ne->ncpe = 0;
            if (!ne->key)
                return LF_ENOMEM;
            x->nent++;
            x->eco[ecoi].packages++;
            if (!lf_purlidx_ecosystem_name(x->eco[ecoi].syft))
                x->unmapped++;
        }
        *ent = s->v;
        e = &x->ent[*ent];
        for (uint32_t k = e->head; k != NONE; k = x->cpe[k].next)
            if (strcmp(x->cpe[k].fs, fs) == 0)
                return LF_OK;
        if (e->ncpe >= LF_PURLIDX_MAX_CPES) {
            report(c, em, pm, i, "more than %d CPE names for one package: left out", LF_PURLIDX_MAX_CPES);
            return LF_OK;
        }
    }
    uint32_t ci = (uint32_t)x->ncpe++;
    if (e->tail == NONE)
        e->head = ci;
    else
        x->cpe[e->tail].next = ci;
    e->tail = ci;
    e->ncpe++;
    return LF_OK;
}

static int load_package(lctx *c, uint32_t ecoi, const lf_json_member *em, const lf_json_member *pm)
{
    if (pm->klen == 0) {
        report(c, em, pm, -1, "an empty package name");
        return LF_OK;
    }
    if (pm->klen > LF_PURLIDX_MAX_NAME) {
        report(c, em, pm, -1, "a package name longer than %d bytes", LF_PURLIDX_MAX_NAME);
        return LF_OK;
    }
    for (uint32_t i = 0; i < pm->klen; i++) {
        unsigned char b = (unsigned char)pm->key[i];
        if (b < 0x20 || b == 0x7f) {
            char q[8];
            report(c, em, pm, -1, "the package name holds the control character %s", lf_err_byte(b, q));
            return LF_OK;
        }
    }
    const lf_json *arr = &pm->val;
    if (!lf_json_is(arr, LF_JSON_ARRAY)) {
        report(c, em, pm, -1, "%s, not an array of CPE names", lf_json_type_name(arr));
        return LF_OK;
    }
    if (arr->n == 0) {
        report(c, em, pm, -1, "lists no CPE name");
        return LF_OK;
    }
    uint32_t ent = NONE;
    for (uint32_t i = 0; i < arr->n; i++) {
        int rc = add_cpe(c, ecoi, em, pm, (long)i, &arr->u.items[i], &ent);
        if (rc)
            return rc;
    }
    return LF_OK;
}

static int load_ecosystem(lctx *c, const lf_json_member *em)
{
    lf_purlidx *x = c->x;
    if (!plain_eco_name(em->key, em->klen) || em->klen > 31) {
        report(c, em, NULL, -1, "an ecosystem name must be 1 to 31 letters, digits, '_', '-' or '.'");
        return LF_OK;
    }
    if (!lf_json_is(&em->val, LF_JSON_OBJECT)) {
        report(c, em, NULL, -1, "%s, not an object of packages", lf_json_type_name(&em->val));
        return LF_OK;
    }
    uint32_t ecoi = NONE;
    for (size_t i = 0; i < x->neco; i++)
        if (strcmp(x->eco[i].syft, em->key) == 0)
            ecoi = (uint32_t)i;
    if (ecoi == NONE) {
        if (x->neco == LF_PURLIDX_MAX_ECOSYSTEMS) {
            report(c, em, NULL, -1, "more than %d ecosystems: left out", LF_PURLIDX_MAX_ECOSYSTEMS);
            return LF_OK;
        }
        peco *pe = &x->eco[x->neco];
        const char *ln = lf_purlidx_ecosystem_name(em->key);
        pe->syft = lf_arena_strndup(&x->a, em->key, em->klen);
        pe->eco = ln ? ln : pe->syft;
        pe->packages = 0;
        if (!pe->syft)
            return LF_ENOMEM;
        ecoi = (uint32_t)x->neco++;
    }
    for (uint32_t i = 0; i < em->val.n; i++) {
        int rc = load_package(c, ecoi, em, &em->val.u.members[i]);
        if (rc)
            return rc;
    }
    return LF_OK;
}

int lf_purlidx_load_buffer(lf_purlidx *x, const char *src, const char *text, size_t len, lf_purlidx_warn_fn warn,
                           void *ud, lf_err *err)
{
    lf_arena ta;
    lf_arena_init(&ta, 1 << 18);
    lctx c = {x, src ? src : "", warn, ud, 0};
    lf_json *root = NULL;
    int rc = lf_json_parse(&ta, text, len, NULL, &root, err);
    if (rc) {
        lf_err_at(err, src, err ? err->line : 0, err ? err->col : 0, NULL);
        goto done;
    }
    const lf_json *ecos = lf_json_get(root, "ecosystems");
    if (!lf_json_is(root, LF_JSON_OBJECT) || !ecos) {
        rc = lf_err_set(err, LF_EFORMAT, "not a syft CPE index: the top level is %s without an \"ecosystems\" member",
                        lf_json_is(root, LF_JSON_OBJECT) ? "an object" : lf_json_type_name(root));
        lf_err_at(err, src, 0, 0, NULL);
        goto done;
    }
    if (!lf_json_is(ecos, LF_JSON_OBJECT)) {
        rc = lf_err_set(err, LF_EFORMAT, "not a syft CPE index: \"ecosystems\" is %s, not an object",
                        lf_json_type_name(ecos));
        lf_err_at(err, src, 0, 0, "ecosystems");
        goto done;
    }
    for (uint32_t i = 0; i < ecos->n; i++)
        if ((rc = load_ecosystem(&c, &ecos->u.members[i]))) {
            rc = lf_err_set(err, rc, "out of memory reading %s", src ? src : "the CPE index");
            goto done;
        }
    if (warn && c.warned > LF_PURLIDX_MAX_WARNINGS) {
        lf_err e;
        lf_err_clear(&e);
        lf_err_set(&e, LF_EPARSE, "%zu further malformed entries left out (not shown)",
                   c.warned - LF_PURLIDX_MAX_WARNINGS);
        lf_err_at(&e, src, 0, 0, NULL);
        warn(ud, &e);
    }
done:
    lf_arena_clear(&ta);
    return rc;
}

int lf_purlidx_load_file(lf_purlidx *x, const char *path, lf_purlidx_warn_fn warn, void *ud, lf_err *err)
{
    char *data = NULL;
    size_t len = 0;
    int rc = lf_file_read(path, LF_PURLIDX_MAX_FILE, &data, &len, err);
    if (rc == LF_OK)
        rc = lf_purlidx_load_buffer(x, path, data, len, warn, ud, err);
    free(data);
    return rc;
}

/* ---- writing ---- */

int lf_purlidx_write_buf(const lf_purlidx *x, lf_buf *out)
{
    int rc = lf_buf_puts(out, "{\n  \"ecosystems\": {");
    bool first_eco = true;
    for (size_t e = 0; e < x->neco && !rc; e++) {
        if (!x->eco[e].packages)
            continue;
        rc = lf_buf_puts(out, first_eco ? "\n    " : ",\n    ");
        first_eco = false;
        if (!rc)
            rc = lf_json_write_str(out, x->eco[e].syft, strlen(x->eco[e].syft));
        if (!rc)
            rc = lf_buf_puts(out, ": {");
        bool first = true;
        for (size_t i = 0; i < x->nent && !rc; i++) {
            const pentry *pe = &x->ent[i];
            if (pe->eco != e)
                continue;
            rc = lf_buf_puts(out, first ? "\n      " : ",\n      ");
            first = false;
            if (!rc)
                rc = lf_json_write_str(out, pe->key, strlen(pe->key));
            if (!rc)
                rc = lf_buf_puts(out, ": [");
            for (uint32_t k = pe->head; k != NONE && !rc; k = x->cpe[k].next) {
                if (k != pe->head)
                    rc = lf_buf_puts(out, ", ");
                if (!rc)
                    rc = lf_json_write_str(out, x->cpe[k].fs, strlen(x->cpe[k].fs));
            }
            if (!rc)
                rc = lf_buf_putc(out, ']');
        }
        if (!rc)
            rc = lf_buf_puts(out, "\n    }");
    }
    if (!rc)
        rc = lf_buf_puts(out, "\n  }\n}\n");
    return rc;
}

int lf_purlidx_write(const lf_purlidx *x, const char *path, lf_err *err)
{
    lf_buf b;
    lf_buf_init(&b, 0);
    int rc = lf_purlidx_write_buf(x, &b);
    if (rc) {
        rc = lf_err_set(err, rc, "out of memory writing %s", path);
        goto fail;
    }
    rc = lf_file_write_atomic(path, b.data, b.len, err);
fail:
    lf_buf_clear(&b);
    return rc;
}

/* ---- lookups ---- */

/* Jenkins plugins are Maven artifacts of these groups (and their subgroups). */
static bool jenkins_group(const char *g, size_t n)
{
    static const char *const groups[] = {"org.jenkins-ci.plugins", "io.jenkins.plugins", "org.jenkinsci.plugins"};
    for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++) {
        size_t gl = strlen(groups[i]);
        if (n >= gl && memcmp(g, groups[i], gl) == 0 && (n == gl || g[gl] == '.'))
            return true;
    }
    return false;
}

size_t lf_purlidx_lookup(const lf_purlidx *x, const char *ecosystem, const char *name, size_t n, lf_product *out,
                         size_t max)
{
    if (!x || !ecosystem || !name || !n || n > LF_PURLIDX_MAX_NAME)
        return 0;
    if (strcmp(ecosystem, "maven") == 0) {
        const char *colon = memchr(name, ':', n);
        if (!colon || !jenkins_group(name, (size_t)(colon - name)))
            return 0;
        ecosystem = "jenkins";
        n -= (size_t)(colon + 1 - name);
        name = colon + 1;
    }
    char key[LF_PURLIDX_MAX_NAME + 80];
    size_t kn = make_key(ecosystem, name, n, key, sizeof key);
    const lf_strmap_slot *s = kn ? lf_strmap_find(&x->map, key, kn) : NULL;
    if (!s)
        return 0;
    const pentry *e = &x->ent[s->v];
    size_t found = 0;
    for (uint32_t k = e->head; k != NONE; k = x->cpe[k].next) {
        const lf_product *p = &x->cpe[k].prod;
        bool seen = false;
        /* the same vendor:product written for several target_sw counts once */
        for (uint32_t j = e->head; j != k && !seen; j = x->cpe[j].next) {
            const lf_product *q = &x->cpe[j].prod;
            seen = q->part == p->part && strcmp(q->vendor, p->vendor) == 0 && strcmp(q->product, p->product) == 0;
        }
        if (seen)
            continue;
        if (found < max)
            out[found] = *p;
        found++;
    }
    return found;
}

void lf_purlidx_get_stats(const lf_purlidx *x, lf_purlidx_stats *st)
{
    memset(st, 0, sizeof *st);
    if (!x)
        return;
    for (size_t e = 0; e < x->neco; e++)
        st->ecosystems += x->eco[e].packages > 0;
    st->packages = x->nent;
    st->cpes = x->ncpe;
    st->unmapped = x->unmapped;
    st->bad = x->bad;
    for (size_t i = 0; i < x->nent; i++) {
        const pentry *e = &x->ent[i];
        const lf_product *first = &x->cpe[e->head].prod;
        for (uint32_t k = x->cpe[e->head].next; k != NONE; k = x->cpe[k].next) {
            const lf_product *p = &x->cpe[k].prod;
            if (p->part != first->part || strcmp(p->vendor, first->vendor) || strcmp(p->product, first->product)) {
                st->ambiguous++;
                break;
            }
        }
    }
}

size_t lf_purlidx_ecosystems(const lf_purlidx *x, lf_purlidx_eco *out, size_t max)
{
    size_t n = 0;
    for (size_t e = 0; x && e < x->neco; e++) {
        if (!x->eco[e].packages)
            continue;
        if (n < max) {
            out[n].syft = x->eco[e].syft;
            out[n].ecosystem = x->eco[e].eco;
            out[n].packages = x->eco[e].packages;
        }
        n++;
    }
    return n;
}
