/*
 * sbom: CycloneDX JSON, SPDX JSON and SPDX tag-value inventories (see sbom.h).
 *
 * The JSON readers parse the document's head into a tree (the format check and metadata,
 * which may sit anywhere in the object; everything else is only validated), then walk the
 * record array with lf_json_foreach_keep, which gives each entry its line number and
 * reads an entry over lf_json's default limits on its own instead of failing the file.
 */
#include "intake/sbom.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/json.h"

/* Sniffers look at this much of the text. */
#define SB_SNIFF_WINDOW 4096

typedef struct sb_ctx {
    const char *src;
    const lf_inv_sink *sink;
    lf_inv_counts *counts;
    const char *host;      /* default host: the file's container, else opts->host */
    const char *os;        /* default os: the file's OS component, else opts->os */
    lf_arena keep;         /* strings that live for the whole read (host, os) */
    lf_arena scratch;      /* strings of one record, reset per record */
    char eco[32];          /* ecosystem of the current record */
    int stop;              /* the sink's non-zero value once it asked to stop */
    int fail;              /* LF_ENOMEM met inside a walk callback */
    const char *records;   /* the record array's member name: "components", "packages" */
} sb_ctx;

/* ---- shared helpers ----------------------------------------------------------------- */

static bool is_blank(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r';
}

static bool is_ws(char ch)
{
    return is_blank(ch) || ch == '\n';
}

static size_t skip_ws(const char *t, size_t len, size_t p)
{
    while (p < len && is_ws(t[p]))
        p++;
    return p;
}

static void trim(const char **s, size_t *n)
{
    while (*n && is_blank(**s))
        (*s)++, (*n)--;
    while (*n && is_blank((*s)[*n - 1]))
        (*n)--;
}

static bool eq(const char *s, size_t n, const char *lit)
{
    size_t ln = strlen(lit);
    return n == ln && memcmp(s, lit, n) == 0;
}

static bool starts(const char *s, size_t n, const char *lit)
{
    size_t ln = strlen(lit);
    return n >= ln && memcmp(s, lit, ln) == 0;
}

/* Bounded substring search (memmem is not C11). */
static const char *find(const char *hay, size_t hn, const char *needle, size_t nn)
{
    if (nn == 0 || hn < nn)
        return NULL;
    for (const char *p = hay, *end = hay + hn - nn + 1; p < end; p++) {
        p = memchr(p, needle[0], (size_t)(end - p));
        if (!p)
            return NULL;
        if (memcmp(p, needle, nn) == 0)
            return p;
    }
    return NULL;
}

/* `"key"` used as a member name, optionally followed by the value `"value"` (NULL: any).
 * For sniffing only: a cheap look, not a parse. */
static bool has_member(const char *t, size_t n, const char *qkey, const char *qval)
{
    size_t kn = strlen(qkey);
    const char *p = t, *end = t + n;
    while ((p = find(p, (size_t)(end - p), qkey, kn)) != NULL) {
        const char *q = p + kn;
        while (q < end && is_ws(*q))
            q++;
        if (q < end && *q == ':') {
            if (!qval)
                return true;
            q++;
            while (q < end && is_ws(*q))
                q++;
            if (starts(q, (size_t)(end - q), qval))
                return true;
        }
        p += 1;
    }
    return false;
}


static void sb_reject(sb_ctx *c, long line, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void sb_reject(sb_ctx *c, long line, const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    lf_inv_vreject(c->sink, c->counts, c->src, line, field, fmt, ap);
    va_end(ap);
}

static int sb_init(sb_ctx *c, const char *src, const lf_inv_opts *opts, const lf_inv_sink *sink,
                   lf_inv_counts *counts)
{
    memset(c, 0, sizeof *c);
    memset(counts, 0, sizeof *counts);
    c->src = src ? src : "<input>";
    c->sink = sink;
    c->counts = counts;
    if (opts) {
        c->host = opts->host;
        c->os = opts->os;
    }
    lf_arena_init(&c->keep, 4096);
    lf_arena_init(&c->scratch, 4096);
    return sink && sink->rec ? LF_OK : LF_EINVAL;
}

static void sb_clear(sb_ctx *c)
{
    lf_arena_clear(&c->keep);
    lf_arena_clear(&c->scratch);
}

const char *lf_sbom_purl_type(const char *purl, char *buf, size_t n)
{
    if (!purl || !buf || n == 0 || strncmp(purl, "pkg:", 4) != 0)
        return NULL;
    const char *p = purl + 4;
    /* purl-spec: slashes after the scheme are tolerated ("pkg://npm/x") */
    while (*p == '/')
        p++;
    size_t i = 0;
    for (; p[i] && p[i] != '/'; i++) {
        char ch = p[i];
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                  ch == '.' || ch == '+' || ch == '-';
        if (!ok || i + 1 >= n)
            return NULL;
        /* purl-spec: the type is case-insensitive, canonically lowercase */
        buf[i] = (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
    }
    if (i == 0 || p[i] != '/')
        return NULL;
    buf[i] = '\0';
    return buf;
}

/* "name version" (or just name) into the keep arena; NULL for no name or OOM (c->fail). */
static const char *sb_compose(sb_ctx *c, const char *name, size_t nn, const char *ver, size_t vn)
{
    if (!name || nn == 0)
        return NULL;
    size_t total = nn + (vn ? vn + 1 : 0);
    char *s = lf_arena_alloc(&c->keep, total + 1);
    if (!s) {
        c->fail = LF_ENOMEM;
        return NULL;
    }
    memcpy(s, name, nn);
    if (vn) {
        s[nn] = ' ';
        memcpy(s + nn + 1, ver, vn);
    }
    s[total] = '\0';
    return s;
}

/* Fills the defaults and the ecosystem, then hands the record over. Returns 0 to go on,
 * 1 once the sink asked to stop (value in c->stop). */
static int sb_deliver(sb_ctx *c, lf_inv_rec *r)
{
    if (!r->host)
        r->host = c->host;
    if (!r->os)
        r->os = c->os;
    if (!r->ecosystem)
        r->ecosystem = lf_sbom_purl_type(r->purl, c->eco, sizeof c->eco);
    c->counts->records++;
    int rc = c->sink->rec(c->sink->ud, r);
    if (rc) {
        c->stop = rc;
        return 1;
    }
    return 0;
}

/* An optional scalar member: a string as written ("" counts as not given), a number as
 * its source text, NULL when absent or null. False (with *why) for another type or a NUL
 * inside the string. */
static bool jtext(const lf_json *obj, const char *key, const char **out, const char **why)
{
    const lf_json *v = lf_json_get(obj, key);
    *out = NULL;
    if (!v || v->type == LF_JSON_NULL)
        return true;
    if (v->type != LF_JSON_STRING && v->type != LF_JSON_NUMBER) {
        *why = lf_json_type_name(v);
        return false;
    }
    if (strlen(v->u.str) != v->n) {
        *why = "a string with a NUL character";
        return false;
    }
    *out = v->n ? v->u.str : NULL;
    return true;
}

/* A hint string: non-empty, no NUL, else NULL. */
static const char *hint(const lf_json *v)
{
    const char *s = lf_json_str(v);
    return s && v->n && strlen(s) == v->n ? s : NULL;
}

/* A required name: a non-empty string without NUL. */
static const char *jname(const lf_json *obj, const char *key)
{
    return hint(lf_json_get(obj, key));
}

/* Where the JSON walk stopped, for the caller: the sink's value, OOM, or the walk's rc. */
static int sb_finish(sb_ctx *c, int rc, lf_err *err)
{
    if (c->stop)
        return c->stop;
    if (c->fail)
        return lf_err_set(err, c->fail, "%s: out of memory", c->src);
    if (rc < 0 && err && !err->src[0])
        lf_err_at(err, c->src, err->line, err->col, NULL);
    return rc;
}

/* The head of a JSON document that must be an object: the members named in keep, the
 * type of the record array `records` in *rtype (-1 when absent); everything else, the
 * records included, is validated for syntax only. The readers walk the records element
 * by element afterwards, so that a record over a limit costs that record only. LF_EFORMAT when the text does not start like an object (then it is some
 * other format), LF_EPARSE/LF_ELIMIT located otherwise. */
static int sb_parse_head(sb_ctx *c, lf_arena *a, const char *text, size_t len, const char *what,
                         const char *const *keep, const char *records, lf_json **root, int *rtype,
                         lf_err *err)
{
    size_t p = skip_ws(text, len, 0);
    if (p >= len || text[p] != '{')
        return lf_err_set(err, LF_EFORMAT, "%s: not %s (no JSON object)", c->src, what);
    int rc = lf_json_parse_head(a, text, len, NULL, keep, records, root, rtype, err);
    if (rc) {
        if (err)
            lf_err_at(err, c->src, err->line, err->col, NULL);
        return rc;
    }
    return LF_OK;
}

/* The type name of a member left out of the head ("an array", "a string"...). */
static const char *sb_type_name(int type)
{
    lf_json v;
    memset(&v, 0, sizeof v);
    v.type = (lf_json_type)type;
    return lf_json_type_name(&v);
}

/* An entry lf_json_foreach_keep could not read even on its own (nested deeper than 64,
 * which bounds the recursion over nested components): rejected with its line and the
 * limit; the components nested in it cannot be counted one by one, and the message says
 * they were not read. Entries that are only big are read (json.h). */
static int sb_on_limit(void *ud, size_t index, long line, const lf_err *why)
{
    sb_ctx *c = ud;
    (void)index;
    sb_reject(c, line, c->records, "%s entry too deeply nested to read: %s (line %ld, column %ld); nothing "
              "nested in it was read", c->records, why->msg, why->line, why->col);
    return 0;
}

/* The pre-passes leave such an entry to the record pass, which reports it. */
static int sb_ignore_limit(void *ud, size_t index, long line, const lf_err *why)
{
    (void)ud;
    (void)index;
    (void)line;
    (void)why;
    return 0;
}

/* ---- CycloneDX ---------------------------------------------------------------------- */

static int cdx_sniff_window(const char *w, size_t n)
{
    if (has_member(w, n, "\"bomFormat\"", "\"CycloneDX\""))
        return 95;
    if (has_member(w, n, "\"specVersion\"", NULL) && has_member(w, n, "\"components\"", NULL) &&
        !has_member(w, n, "\"spdxVersion\"", NULL))
        return 40;
    return 0;
}

int lf_sbom_cdx_sniff(const char *text, size_t len)
{
    if (!text)
        return 0;
    size_t p = skip_ws(text, len, 0);
    if (p >= len || text[p] != '{')
        return 0;
    return cdx_sniff_window(text + p, len - p < SB_SNIFF_WINDOW ? len - p : SB_SNIFF_WINDOW);
}

/* The vendor hint of a component (sbom.h gives the order). */
static const char *cdx_vendor(const lf_json *comp)
{
    const char *v = hint(lf_json_get(comp, "publisher"));
    if (v)
        return v;
    const lf_json *sup = lf_json_get(comp, "supplier");
    /* the schema says an organizationalEntity; some tools write a plain string */
    if ((v = lf_json_is(sup, LF_JSON_OBJECT) ? jname(sup, "name") : hint(sup)) != NULL)
        return v;
    if ((v = jname(lf_json_get(comp, "manufacturer"), "name")) != NULL)
        return v;
    if ((v = hint(lf_json_get(comp, "author"))) != NULL)
        return v;
    if ((v = jname(lf_json_at(lf_json_get(comp, "authors"), 0), "name")) != NULL)
        return v;
    return hint(lf_json_get(comp, "group"));
}

static bool is_type(const lf_json *comp, const char *type)
{
    const char *t = lf_json_get_str(comp, "type");
    return t && strcmp(t, type) == 0;
}

/* A short identification of a nameless component for the message. */
static const char *cdx_ident(const lf_json *comp)
{
    const char *s = jname(comp, "bom-ref");
    if (!s)
        s = jname(comp, "purl");
    return s ? s : "";
}

static int cdx_component(sb_ctx *c, const lf_json *comp, long line)
{
    if (!lf_json_is(comp, LF_JSON_OBJECT)) {
        sb_reject(c, line, "components", "component is %s, not an object", lf_json_type_name(comp));
        return 0;
    }
    const char *name = jname(comp, "name");
    if (!name) {
        const char *id = cdx_ident(comp);
        sb_reject(c, line, "name", "component without a name%s%.200s%s", id[0] ? " (" : "", id, id[0] ? ")" : "");
    } else {
        lf_inv_rec r;
        memset(&r, 0, sizeof r);
        r.name = name;
        r.line = line;
        static const char *const keys[] = {"version", "cpe", "purl"};
        const char **dst[] = {&r.version, &r.cpe, &r.purl};
        bool ok = true;
        for (size_t i = 0; ok && i < sizeof keys / sizeof keys[0]; i++) {
            const char *why = NULL;
            if (!jtext(comp, keys[i], dst[i], &why)) {
                sb_reject(c, line, keys[i], "component \"%.200s\": %s is %s (expected a string)", name, keys[i], why);
                ok = false;
            }
        }
        if (ok) {
            r.vendor = cdx_vendor(comp);
            if (sb_deliver(c, &r))
                return 1;
        }
    }
    const lf_json *kids = lf_json_get(comp, "components");
    if (!kids || kids->type == LF_JSON_NULL)
        return 0;
    if (!lf_json_is(kids, LF_JSON_ARRAY)) {
        sb_reject(c, line, "components", "components of \"%.200s\" is %s, not an array", name ? name : "",
                  lf_json_type_name(kids));
        return 0;
    }
    for (size_t i = 0; i < kids->n; i++)
        if (cdx_component(c, &kids->u.items[i], line))
            return 1;
    return 0;
}

static int cdx_on_elem(void *ud, const lf_json *e, size_t index, long line)
{
    (void)index;
    return cdx_component(ud, e, line);
}

/* metadata.component and everything under it: the BOM's subject, counted as skipped. */
static void cdx_count_subject(sb_ctx *c, const lf_json *comp)
{
    c->counts->skipped++;
    const lf_json *kids = lf_json_get(comp, "components");
    for (size_t i = 0; i < lf_json_len(kids) && lf_json_is(kids, LF_JSON_ARRAY); i++)
        cdx_count_subject(c, &kids->u.items[i]);
}

/* The first operating-system component in document order (depth first) at or under comp. */
static const lf_json *cdx_find_os(const lf_json *comp)
{
    if (is_type(comp, "operating-system") && jname(comp, "name"))
        return comp;
    const lf_json *kids = lf_json_get(comp, "components");
    for (size_t i = 0; i < lf_json_len(kids) && lf_json_is(kids, LF_JSON_ARRAY); i++) {
        const lf_json *sub = cdx_find_os(&kids->u.items[i]);
        if (sub)
            return sub;
    }
    return NULL;
}

static const char *cdx_os_text(sb_ctx *c, const lf_json *comp)
{
    const char *name = jname(comp, "name"), *ver = NULL, *why = NULL;
    if (!jtext(comp, "version", &ver, &why))
        ver = NULL;
    return sb_compose(c, name, name ? strlen(name) : 0, ver, ver ? strlen(ver) : 0);
}

/* First pass over components[]: the default os from the first operating-system one
 * (composed into the keep arena, as the walk's arena goes with each element). */
static int cdx_os_elem(void *ud, const lf_json *e, size_t index, long line)
{
    sb_ctx *c = ud;
    (void)index;
    (void)line;
    const lf_json *osc = cdx_find_os(e);
    if (!osc)
        return 0;
    const char *os = cdx_os_text(c, osc);
    if (os)
        c->os = os;
    return 1;
}

int lf_sbom_cdx_read(const char *src, const char *text, size_t len, const lf_inv_opts *opts,
                     const lf_inv_sink *sink, lf_inv_counts *counts, lf_err *err)
{
    lf_inv_counts local;
    sb_ctx c;
    lf_arena tree, walk;
    lf_arena_init(&tree, 0);
    lf_arena_init(&walk, 0);
    int rc = sb_init(&c, src, opts, sink, counts ? counts : &local);
    if (rc || (!text && len)) {
        rc = lf_err_set(err, LF_EINVAL, "lf_sbom_cdx_read: invalid argument");
        goto done;
    }
    lf_json *root;
    int ctype;
    c.records = "components";
    static const char *const head[] = {"bomFormat", "metadata", NULL};
    rc = sb_parse_head(&c, &tree, text, len, "a CycloneDX document", head, "components", &root, &ctype, err);
    if (rc)
        goto done;
    const char *fmt = lf_json_get_str(root, "bomFormat");
    if (!fmt || strcmp(fmt, "CycloneDX") != 0) {
        rc = lf_err_set(err, LF_EFORMAT, "%s: not a CycloneDX document (no \"bomFormat\": \"CycloneDX\")", c.src);
        goto done;
    }
    const lf_json *subject = lf_json_get(lf_json_get(root, "metadata"), "component");
    bool have_os = false;
    if (lf_json_is(subject, LF_JSON_OBJECT)) {
        cdx_count_subject(&c, subject);
        const char *os = NULL;
        if (is_type(subject, "operating-system") && (os = cdx_os_text(&c, subject)) != NULL) {
            c.os = os;
            have_os = true;
        } else if (is_type(subject, "container") && jname(subject, "name")) {
            /* the tree lives until the end of the read */
            c.host = jname(subject, "name");
        }
    }
    if (c.fail) {
        rc = sb_finish(&c, LF_OK, err);
        goto done;
    }
    if (ctype < 0 || ctype == LF_JSON_NULL) {
        rc = LF_OK;
        goto done;
    }
    if (ctype != LF_JSON_ARRAY) {
        sb_reject(&c, 1, "components", "components is %s, not an array", sb_type_name(ctype));
        rc = LF_OK;
        goto done;
    }
    /* a syntax error here is met again, and reported, by the record pass */
    if (!have_os)
        (void)lf_json_foreach_keep(&walk, text, len, "components", NULL, cdx_os_elem, sb_ignore_limit, &c, NULL);
    if (c.fail) {
        rc = sb_finish(&c, LF_OK, err);
        goto done;
    }
    rc = lf_json_foreach_keep(&walk, text, len, "components", NULL, cdx_on_elem, sb_on_limit, &c, err);
    rc = sb_finish(&c, rc, err);
done:
    lf_arena_clear(&walk);
    lf_arena_clear(&tree);
    sb_clear(&c);
    return rc;
}

/* ---- SPDX: shared --------------------------------------------------------------------- */

/* An SPDX agent ("Organization: X", "Person: Y (mail)", "Tool: Z", NOASSERTION) reduced
 * to its name; false when it names nobody. Clause 7.5/7.6 of SPDX 2.3. */
static bool spdx_agent(const char *s, size_t n, const char **out, size_t *on)
{
    trim(&s, &n);
    if (eq(s, n, "NOASSERTION") || eq(s, n, "NONE"))
        return false;
    static const char *const kinds[] = {"Organization:", "Person:", "Tool:"};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (starts(s, n, kinds[i])) {
            size_t k = strlen(kinds[i]);
            s += k;
            n -= k;
            break;
        }
    trim(&s, &n);
    /* drop a trailing "(mail)" or "<mail>": the name is what resolution can use; a
     * bracket without '@' ("Acme (Taiwan)") is part of the name and stays */
    if (n && (s[n - 1] == ')' || s[n - 1] == '>')) {
        char open = s[n - 1] == ')' ? '(' : '<';
        size_t k = n - 1;
        while (k > 0 && s[k] != open)
            k--;
        bool mail = k + 2 == n || memchr(s + k, '@', n - k) != NULL;
        if (k > 0 && s[k] == open && mail) {
            n = k;
            trim(&s, &n);
        }
    }
    if (!n)
        return false;
    *out = s;
    *on = n;
    return true;
}

/* The vendor of a package from its supplier, else its originator, copied into the
 * scratch arena; NULL when neither names anybody (or on OOM, with c->fail set). */
static const char *spdx_vendor(sb_ctx *c, const char *sup, size_t sn, const char *orig, size_t on)
{
    const char *s;
    size_t n;
    if ((sup && spdx_agent(sup, sn, &s, &n)) || (orig && spdx_agent(orig, on, &s, &n))) {
        char *v = lf_arena_strndup(&c->scratch, s, n);
        if (!v)
            c->fail = LF_ENOMEM;
        return v;
    }
    return NULL;
}

/* ---- SPDX JSON ------------------------------------------------------------------------ */

int lf_sbom_spdx_sniff(const char *text, size_t len)
{
    if (!text)
        return 0;
    size_t p = skip_ws(text, len, 0);
    if (p >= len || text[p] != '{')
        return 0;
    size_t n = len - p < SB_SNIFF_WINDOW ? len - p : SB_SNIFF_WINDOW;
    const char *w = text + p;
    if (has_member(w, n, "\"spdxVersion\"", "\"SPDX-"))
        return 95;
    /* key-sorted output (jq -S) puts spdxVersion after packages[], past the window */
    if (has_member(w, n, "\"SPDXID\"", "\"SPDXRef-DOCUMENT\""))
        return 80;
    return 0;
}

static int spdx_package(sb_ctx *c, const lf_json *pkg, long line)
{
    if (!lf_json_is(pkg, LF_JSON_OBJECT)) {
        sb_reject(c, line, "packages", "package is %s, not an object", lf_json_type_name(pkg));
        return 0;
    }
    const char *name = jname(pkg, "name");
    if (!name) {
        const char *id = jname(pkg, "SPDXID");
        sb_reject(c, line, "name", "package without a name%s%.200s%s", id ? " (" : "", id ? id : "", id ? ")" : "");
        return 0;
    }
    lf_inv_rec r;
    memset(&r, 0, sizeof r);
    r.name = name;
    r.line = line;
    const char *why = NULL;
    if (!jtext(pkg, "versionInfo", &r.version, &why)) {
        sb_reject(c, line, "versionInfo", "package \"%.200s\": versionInfo is %s (expected a string)", name, why);
        return 0;
    }
    lf_arena_reset(&c->scratch);
    const char *sup = hint(lf_json_get(pkg, "supplier")), *orig = hint(lf_json_get(pkg, "originator"));
    r.vendor = spdx_vendor(c, sup, sup ? strlen(sup) : 0, orig, orig ? strlen(orig) : 0);
    if (c->fail)
        return 1;
    const lf_json *refs = lf_json_get(pkg, "externalRefs");
    for (size_t i = 0; lf_json_is(refs, LF_JSON_ARRAY) && i < refs->n; i++) {
        const lf_json *ref = &refs->u.items[i];
        const char *type = lf_json_get_str(ref, "referenceType");
        const char *loc = jname(ref, "referenceLocator");
        if (!type || !loc)
            continue;
        if (!r.cpe && (!strcmp(type, "cpe23Type") || !strcmp(type, "cpe22Type")))
            r.cpe = loc;
        else if (!r.purl && !strcmp(type, "purl"))
            r.purl = loc;
    }
    return sb_deliver(c, &r);
}

static int spdx_on_elem(void *ud, const lf_json *e, size_t index, long line)
{
    (void)index;
    return spdx_package(ud, e, line);
}

/* First pass over packages[]: the default os and host from the first OPERATING-SYSTEM
 * and CONTAINER packages (copied into the keep arena: the walk's goes with each element). */
typedef struct spdx_defaults {
    sb_ctx *c;
    bool have_os, have_host;
} spdx_defaults;

static int spdx_default_elem(void *ud, const lf_json *pkg, size_t index, long line)
{
    spdx_defaults *d = ud;
    sb_ctx *c = d->c;
    (void)index;
    (void)line;
    const char *purpose = lf_json_get_str(pkg, "primaryPackagePurpose");
    const char *name = jname(pkg, "name");
    if (!purpose || !name)
        return 0;
    if (!d->have_os && !strcmp(purpose, "OPERATING-SYSTEM")) {
        const char *v = NULL, *why = NULL;
        if (!jtext(pkg, "versionInfo", &v, &why))
            v = NULL;
        const char *os = sb_compose(c, name, strlen(name), v, v ? strlen(v) : 0);
        if (!os)
            return 1; /* c->fail */
        c->os = os;
        d->have_os = true;
    } else if (!d->have_host && !strcmp(purpose, "CONTAINER")) {
        const char *host = sb_compose(c, name, strlen(name), NULL, 0);
        if (!host)
            return 1;
        c->host = host;
        d->have_host = true;
    }
    return d->have_os && d->have_host;
}

int lf_sbom_spdx_read(const char *src, const char *text, size_t len, const lf_inv_opts *opts,
                      const lf_inv_sink *sink, lf_inv_counts *counts, lf_err *err)
{
    lf_inv_counts local;
    sb_ctx c;
    lf_arena tree, walk;
    lf_arena_init(&tree, 0);
    lf_arena_init(&walk, 0);
    int rc = sb_init(&c, src, opts, sink, counts ? counts : &local);
    if (rc || (!text && len)) {
        rc = lf_err_set(err, LF_EINVAL, "lf_sbom_spdx_read: invalid argument");
        goto done;
    }
    lf_json *root;
    int ptype;
    c.records = "packages";
    static const char *const head[] = {"spdxVersion", NULL};
    rc = sb_parse_head(&c, &tree, text, len, "an SPDX JSON document", head, "packages", &root, &ptype, err);
    if (rc)
        goto done;
    const char *ver = lf_json_get_str(root, "spdxVersion");
    if (!ver || strncmp(ver, "SPDX-", 5) != 0) {
        rc = lf_err_set(err, LF_EFORMAT, "%s: not an SPDX JSON document (no \"spdxVersion\": \"SPDX-...\")", c.src);
        goto done;
    }
    if (ptype < 0 || ptype == LF_JSON_NULL) {
        rc = LF_OK;
        goto done;
    }
    if (ptype != LF_JSON_ARRAY) {
        sb_reject(&c, 1, "packages", "packages is %s, not an array", sb_type_name(ptype));
        rc = LF_OK;
        goto done;
    }
    /* a syntax error here is met again, and reported, by the record pass */
    spdx_defaults d = {.c = &c};
    (void)lf_json_foreach_keep(&walk, text, len, "packages", NULL, spdx_default_elem, sb_ignore_limit, &d,
                               NULL);
    if (c.fail) {
        rc = sb_finish(&c, LF_OK, err);
        goto done;
    }
    rc = lf_json_foreach_keep(&walk, text, len, "packages", NULL, spdx_on_elem, sb_on_limit, &c, err);
    rc = sb_finish(&c, rc, err);
done:
    lf_arena_clear(&walk);
    lf_arena_clear(&tree);
    sb_clear(&c);
    return rc;
}

/* ---- SPDX tag-value ------------------------------------------------------------------- */

typedef struct tv_str {
    const char *p;         /* NULL: not given */
    size_t n;
} tv_str;

typedef struct tv_pkg {
    bool open;
    long line;             /* of its PackageName: */
    tv_str name, version, supplier, originator, purpose, cpe, purl;
} tv_pkg;

typedef enum { TV_SCAN, TV_DELIVER } tv_mode;

typedef struct tv_state {
    sb_ctx *c;
    tv_mode mode;
    bool saw_version;      /* an SPDXVersion: before the first package */
    bool saw_package;
    bool have_os, have_host;
    tv_pkg pkg;
} tv_state;

static void tv_set(tv_str *f, const char *p, size_t n)
{
    if (!f->p) {
        f->p = p;
        f->n = n;
    }
}

static bool has_nul(const tv_str *f)
{
    return f->p && memchr(f->p, '\0', f->n) != NULL;
}

/* A field as a NUL-terminated scratch copy ("" counts as not given); sets c->fail on OOM. */
static const char *tv_copy(sb_ctx *c, const tv_str *f)
{
    if (!f->p || !f->n)
        return NULL;
    char *s = lf_arena_strndup(&c->scratch, f->p, f->n);
    if (!s)
        c->fail = LF_ENOMEM;
    return s;
}

/* Ends the open package: in the scan pass it may give the default os/host, in the
 * delivery pass it becomes a record or a rejection. Returns 1 to stop. */
static int tv_close(tv_state *st)
{
    tv_pkg *k = &st->pkg;
    sb_ctx *c = st->c;
    if (!k->open)
        return 0;
    k->open = false;
    if (st->mode == TV_SCAN) {
        if (!k->purpose.p || !k->name.n || has_nul(&k->name) || has_nul(&k->version))
            return 0;
        if (!st->have_os && eq(k->purpose.p, k->purpose.n, "OPERATING-SYSTEM")) {
            c->os = sb_compose(c, k->name.p, k->name.n, k->version.p, k->version.p ? k->version.n : 0);
            st->have_os = true;
        } else if (!st->have_host && eq(k->purpose.p, k->purpose.n, "CONTAINER")) {
            c->host = sb_compose(c, k->name.p, k->name.n, NULL, 0);
            st->have_host = true;
        }
        return c->fail ? 1 : 0;
    }
    if (!k->name.n) {
        sb_reject(c, k->line, "PackageName", "PackageName is empty");
        return 0;
    }
    const tv_str *all[] = {&k->name, &k->version, &k->supplier, &k->originator, &k->cpe, &k->purl};
    static const char *const tags[] = {"PackageName", "PackageVersion", "PackageSupplier", "PackageOriginator",
                                       "ExternalRef", "ExternalRef"};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (has_nul(all[i])) {
            sb_reject(c, k->line, tags[i], "package \"%.*s\": %s contains a NUL byte",
                      (int)(k->name.n < 200 ? k->name.n : 200), k->name.p, tags[i]);
            return 0;
        }
    lf_arena_reset(&c->scratch);
    lf_inv_rec r;
    memset(&r, 0, sizeof r);
    r.line = k->line;
    r.name = tv_copy(c, &k->name);
    r.version = tv_copy(c, &k->version);
    r.cpe = tv_copy(c, &k->cpe);
    r.purl = tv_copy(c, &k->purl);
    r.vendor = spdx_vendor(c, k->supplier.p, k->supplier.n, k->originator.p, k->originator.n);
    if (c->fail)
        return 1;
    return sb_deliver(c, &r);
}

/* "ExternalRef: <category> <type> <locator>" (clause 7.21). */
static void tv_extref(tv_pkg *k, const char *v, size_t n)
{
    const char *tok[3];
    size_t tn[3];
    size_t i = 0, p = 0;
    for (; i < 3; i++) {
        while (p < n && is_blank(v[p]))
            p++;
        if (p >= n)
            return;
        size_t s = p;
        if (i < 2)
            while (p < n && !is_blank(v[p]))
                p++;
        else
            p = n;   /* the locator is the rest of the value */
        tok[i] = v + s;
        tn[i] = p - s;
    }
    trim(&tok[2], &tn[2]);
    if (!tn[2])
        return;
    if (eq(tok[1], tn[1], "cpe23Type") || eq(tok[1], tn[1], "cpe22Type"))
        tv_set(&k->cpe, tok[2], tn[2]);
    else if (eq(tok[1], tn[1], "purl"))
        tv_set(&k->purl, tok[2], tn[2]);
}

/* One "Tag: value" line. Returns 1 to stop. */
static int tv_tag(tv_state *st, const char *t, size_t tn, const char *v, size_t vn, long line)
{
    tv_pkg *k = &st->pkg;
    if (eq(t, tn, "PackageName")) {
        if (tv_close(st))
            return 1;
        memset(k, 0, sizeof *k);
        k->open = true;
        k->line = line;
        k->name.p = v;
        k->name.n = vn;
        st->saw_package = true;
    } else if (eq(t, tn, "SPDXVersion")) {
        if (!st->saw_package)
            st->saw_version = true;
    } else if (eq(t, tn, "FileName") || eq(t, tn, "SnippetSPDXID") || eq(t, tn, "LicenseID")) {
        return tv_close(st);
    } else if (k->open) {
        if (eq(t, tn, "PackageVersion"))
            tv_set(&k->version, v, vn);
        else if (eq(t, tn, "PackageSupplier"))
            tv_set(&k->supplier, v, vn);
        else if (eq(t, tn, "PackageOriginator"))
            tv_set(&k->originator, v, vn);
        else if (eq(t, tn, "PrimaryPackagePurpose"))
            tv_set(&k->purpose, v, vn);
        else if (eq(t, tn, "ExternalRef"))
            tv_extref(k, v, vn);
    }
    return 0;
}

/* One pass over the text. Returns 0, or 1 when stopped (sink, OOM). */
static int tv_pass(tv_state *st, const char *text, size_t len)
{
    static const char open_tag[] = "<text>", close_tag[] = "</text>";
    size_t p = 0;
    long line = 0;
    while (p < len) {
        line++;
        const char *s = text + p;
        const char *nl = memchr(s, '\n', len - p);
        size_t n = nl ? (size_t)(nl - s) : len - p;
        p += n + (nl ? 1 : 0);
        trim(&s, &n);
        if (!n || s[0] == '#')
            continue;
        const char *colon = memchr(s, ':', n);
        if (!colon) {
            if (st->mode == TV_DELIVER)
                st->c->counts->skipped++;
            continue;
        }
        const char *t = s, *v = colon + 1;
        size_t tn = (size_t)(colon - s), vn = n - tn - 1;
        trim(&t, &tn);
        trim(&v, &vn);
        long tag_line = line;
        if (starts(v, vn, open_tag)) {
            /* <text> may run over many lines; nothing inside is a tag */
            const char *body = v + sizeof open_tag - 1;
            size_t rest = len - (size_t)(body - text);
            const char *end = find(body, rest, close_tag, sizeof close_tag - 1);
            if (!end) {
                if (st->mode == TV_DELIVER) {
                    if (st->pkg.open)
                        sb_reject(st->c, st->pkg.line, "PackageName",
                                  "package \"%.*s\": unterminated <text> in %.*s at line %ld; the rest of the file is unread",
                                  (int)(st->pkg.name.n < 200 ? st->pkg.name.n : 200), st->pkg.name.p,
                                  (int)(tn < 60 ? tn : 60), t, tag_line);
                    else
                        sb_reject(st->c, tag_line, NULL, "unterminated <text> in %.*s; the rest of the file is unread",
                                  (int)(tn < 60 ? tn : 60), t);
                }
                st->pkg.open = false;
                return 0;
            }
            for (const char *q = body; q < end; q++)
                if (*q == '\n')
                    line++;
            v = body;
            vn = (size_t)(end - body);
            /* go on after the line holding </text>; what follows it there is not a tag */
            const char *after = end + sizeof close_tag - 1;
            const char *enl = memchr(after, '\n', len - (size_t)(after - text));
            p = enl ? (size_t)(enl - text) + 1 : len;
        }
        if (tv_tag(st, t, tn, v, vn, tag_line))
            return 1;
    }
    return tv_close(st);
}

int lf_sbom_spdx_tv_sniff(const char *text, size_t len)
{
    if (!text)
        return 0;
    size_t n = len < SB_SNIFF_WINDOW ? len : SB_SNIFF_WINDOW;
    int score = 0;
    size_t p = 0;
    while (p < n) {
        const char *s = text + p;
        const char *nl = memchr(s, '\n', n - p);
        size_t ln = nl ? (size_t)(nl - s) : n - p;
        p += ln + 1;
        trim(&s, &ln);
        if (!ln || s[0] == '#')
            continue;
        if (s[0] == '{' || s[0] == '[' || s[0] == '<')
            return 0;   /* JSON or XML, not tag-value */
        if (starts(s, ln, "SPDXVersion:"))
            return 95;
        if (starts(s, ln, "SPDXID:")) {
            const char *v = s + 7;
            size_t vn = ln - 7;
            trim(&v, &vn);
            if (eq(v, vn, "SPDXRef-DOCUMENT") && score < 70)
                score = 70;
        } else if (starts(s, ln, "PackageName:") && score < 30) {
            score = 30;
        }
    }
    return score;
}

int lf_sbom_spdx_tv_read(const char *src, const char *text, size_t len, const lf_inv_opts *opts,
                         const lf_inv_sink *sink, lf_inv_counts *counts, lf_err *err)
{
    lf_inv_counts local;
    sb_ctx c;
    int rc = sb_init(&c, src, opts, sink, counts ? counts : &local);
    if (rc || (!text && len)) {
        rc = lf_err_set(err, LF_EINVAL, "lf_sbom_spdx_tv_read: invalid argument");
        goto done;
    }
    size_t p = skip_ws(text, len, 0);
    if (p < len && (text[p] == '{' || text[p] == '[')) {
        rc = lf_err_set(err, LF_EFORMAT, "%s: JSON, not SPDX tag-value", c.src);
        goto done;
    }
    /* first pass: is it SPDX at all, and which package is the OS / the container */
    tv_state st;
    memset(&st, 0, sizeof st);
    st.c = &c;
    st.mode = TV_SCAN;
    if (tv_pass(&st, text, len)) {
        rc = sb_finish(&c, LF_OK, err);
        goto done;
    }
    if (!st.saw_version) {
        rc = lf_err_set(err, LF_EFORMAT, "%s: not an SPDX tag-value document (no SPDXVersion: before the first package)",
                        c.src);
        goto done;
    }
    /* second pass: the records, with the defaults the first pass found */
    memset(&st, 0, sizeof st);
    st.c = &c;
    st.mode = TV_DELIVER;
    tv_pass(&st, text, len);
    rc = sb_finish(&c, LF_OK, err);
done:
    sb_clear(&c);
    return rc;
}
