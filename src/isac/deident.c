/*
 * deident: TLP limits and de-identification of forwarded STIX objects (see deident.h),
 * and the STIX pattern printer the pattern rewrite needs (STIX 2.1 section 9 grammar:
 * parentheses only where precedence asks for them, so an untouched part reads as it
 * was written).
 */
#include "isac/deident.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/strmap.h"
#include "isac/blocklist.h"
#include "isac/stixpat.h"

__extension__ typedef unsigned __int128 u128;

typedef struct range {
    bool v6;
    uint32_t lo4, hi4;
    u128 lo6, hi6;
} range;

typedef struct staff_dom {
    char *dom;
    size_t n;
    bool sub_only;   /* "*.gov.tw": subdomains only */
} staff_dom;

struct lf_deident {
    char *region, *region_name;
    char **keep;
    size_t nkeep;
    range *ranges;
    size_t nranges;
    staff_dom *staff;
    size_t nstaff;
    lf_stix_tlp max_tlp, unmarked_tlp;
};

#define REGION_CREATED "2020-01-01T00:00:00.000Z"

/* ---- TLP ---- */

int lf_deident_tlp_rank(lf_stix_tlp t)
{
    switch (t) {
    case LF_STIX_TLP_CLEAR: return 1;
    case LF_STIX_TLP_GREEN: return 2;
    case LF_STIX_TLP_AMBER: return 3;
    case LF_STIX_TLP_AMBER_STRICT: return 4;
    case LF_STIX_TLP_RED: return 5;
    default: return 0;
    }
}

bool lf_deident_tlp_parse(const char *s, lf_stix_tlp *out)
{
    if (!strncasecmp(s, "tlp:", 4))
        s += 4;
    static const struct {
        const char *name;
        lf_stix_tlp t;
    } tab[] = {{"clear", LF_STIX_TLP_CLEAR}, {"white", LF_STIX_TLP_CLEAR},
               {"green", LF_STIX_TLP_GREEN}, {"amber", LF_STIX_TLP_AMBER},
               {"amber+strict", LF_STIX_TLP_AMBER_STRICT}, {"red", LF_STIX_TLP_RED}};
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
        if (!strcasecmp(s, tab[i].name)) {
            *out = tab[i].t;
            return true;
        }
    return false;
}

lf_stix_tlp lf_deident_object_tlp(const lf_json *obj)
{
    const lf_json *m = lf_json_get(obj, "object_marking_refs");
    lf_stix_tlp best = LF_STIX_TLP_UNKNOWN;
    for (size_t i = 0; i < lf_json_len(m); i++) {
        const char *id = lf_json_str(lf_json_at(m, i));
        lf_stix_tlp t = id ? lf_stix_tlp_of_marking(id) : LF_STIX_TLP_UNKNOWN;
        if (lf_deident_tlp_rank(t) > lf_deident_tlp_rank(best))
            best = t;
    }
    return best;
}

/* ---- options ---- */

/* Next item of a comma/blank separated list: *s advanced past it; false at the end. */
static bool next_item(const char **s, const char **item, size_t *n)
{
    const char *p = *s;
    while (*p == ',' || *p == ' ' || *p == '\t' || *p == '\n')
        p++;
    if (!*p)
        return false;
    const char *e = p;
    while (*e && *e != ',' && *e != ' ' && *e != '\t' && *e != '\n')
        e++;
    *item = p;
    *n = (size_t)(e - p);
    *s = e;
    return true;
}

static u128 u128_of(const uint8_t b[16])
{
    u128 v = 0;
    for (int i = 0; i < 16; i++)
        v = v << 8 | b[i];
    return v;
}

/* Parse an address or CIDR of either family into an inclusive range; IPv4-mapped IPv6
 * (::ffff:0:0/96) becomes the IPv4 range so one list covers both spellings. */
static bool parse_range(const char *s, size_t n, range *r)
{
    uint32_t a4;
    uint8_t a6[16];
    unsigned p;
    const char *why;
    memset(r, 0, sizeof *r);
    if (lf_bl_parse_ipv4(s, n, &a4, &p, &why)) {
        r->lo4 = a4;
        r->hi4 = p == 0 ? UINT32_MAX : a4 | (p == 32 ? 0 : ~(uint32_t)0 >> p);
        return true;
    }
    if (!lf_bl_parse_ipv6(s, n, a6, &p, &why))
        return false;
    static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (p >= 96 && !memcmp(a6, mapped, 12)) {
        a4 = (uint32_t)a6[12] << 24 | (uint32_t)a6[13] << 16 | (uint32_t)a6[14] << 8 | a6[15];
        unsigned q = p - 96;
        r->lo4 = a4;
        r->hi4 = q == 0 ? UINT32_MAX : a4 | (q == 32 ? 0 : ~(uint32_t)0 >> q);
        return true;
    }
    r->v6 = true;
    r->lo6 = u128_of(a6);
    r->hi6 = p == 0 ? ~(u128)0 : r->lo6 | (p == 128 ? 0 : ~(u128)0 >> p);
    return true;
}

static const char *const builtin_ranges[] = {
    "10.0.0.0/8",     "172.16.0.0/12", "192.168.0.0/16",   /* RFC 1918 */
    "127.0.0.0/8",    "::1/128",                           /* loopback */
    "169.254.0.0/16", "fe80::/10",                         /* link-local */
    "fc00::/7",                                            /* RFC 4193 unique local */
};

static bool is_uuid(const char *s)
{
    if (strlen(s) != 36)
        return false;
    for (int i = 0; i < 36; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        char c = s[i];
        if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    }
    return true;
}

int lf_deident_new(const lf_deident_opts *o, lf_deident **out, lf_err *err)
{
    *out = NULL;
    if (!o || !o->region_identity || strncmp(o->region_identity, "identity--", 10) ||
        !is_uuid(o->region_identity + 10))
        return lf_err_set(err, LF_EINVAL,
                          "the region's identity must be set as identity--<lower-case UUID> (isac.region_identity), "
                          "not '%.80s'",
                          o && o->region_identity ? o->region_identity : "");
    lf_deident *d = calloc(1, sizeof *d);
    if (!d)
        return lf_err_set(err, LF_ENOMEM, "out of memory");
    d->region = strdup(o->region_identity);
    d->region_name = strdup(o->region_name && *o->region_name ? o->region_name : "Regional ISAC");
    if (!d->region || !d->region_name)
        goto oom;
    d->max_tlp = o->max_tlp == LF_STIX_TLP_UNKNOWN ? LF_STIX_TLP_GREEN : o->max_tlp;
    d->unmarked_tlp = o->unmarked_tlp == LF_STIX_TLP_UNKNOWN ? LF_STIX_TLP_GREEN : o->unmarked_tlp;
    const char *s, *it;
    size_t n;
    /* counts first so each list is one allocation */
    size_t nk = 0, nr = sizeof builtin_ranges / sizeof builtin_ranges[0], ns = 0;
    for (s = o->keep_identities ? o->keep_identities : ""; next_item(&s, &it, &n);)
        nk++;
    for (s = o->internal_ranges ? o->internal_ranges : ""; next_item(&s, &it, &n);)
        nr++;
    for (s = o->staff_domains ? o->staff_domains : ""; next_item(&s, &it, &n);)
        ns++;
    d->keep = calloc(nk + 1, sizeof *d->keep);
    d->ranges = calloc(nr, sizeof *d->ranges);
    d->staff = calloc(ns + 1, sizeof *d->staff);
    if (!d->keep || !d->ranges || !d->staff)
        goto oom;
    for (s = o->keep_identities ? o->keep_identities : ""; next_item(&s, &it, &n);) {
        if (n < 11 || strncmp(it, "identity--", 10)) {
            lf_deident_free(d);
            return lf_err_set(err, LF_EINVAL, "kept identity '%.*s' is not an identity id", (int)(n > 80 ? 80 : n),
                              it);
        }
        if (!(d->keep[d->nkeep++] = strndup(it, n)))
            goto oom;
    }
    for (size_t i = 0; i < sizeof builtin_ranges / sizeof builtin_ranges[0]; i++)
        parse_range(builtin_ranges[i], strlen(builtin_ranges[i]), &d->ranges[d->nranges++]);
    for (s = o->internal_ranges ? o->internal_ranges : ""; next_item(&s, &it, &n);) {
        if (!parse_range(it, n, &d->ranges[d->nranges])) {
            lf_deident_free(d);
            return lf_err_set(err, LF_EINVAL, "internal range '%.*s' is not an IPv4/IPv6 address or CIDR",
                              (int)(n > 80 ? 80 : n), it);
        }
        d->nranges++;
    }
    for (s = o->staff_domains ? o->staff_domains : ""; next_item(&s, &it, &n);) {
        staff_dom *sd = &d->staff[d->nstaff];
        if (n > 2 && it[0] == '*' && it[1] == '.') {
            sd->sub_only = true;
            it += 2;
            n -= 2;
        }
        char norm[256];
        size_t nn;
        const char *why;
        if (!lf_bl_norm_domain(it, n, norm, sizeof norm, &nn, &why)) {
            lf_deident_free(d);
            return lf_err_set(err, LF_EINVAL, "staff mail domain '%.*s': %s", (int)(n > 80 ? 80 : n), it, why);
        }
        if (!(sd->dom = strndup(norm, nn)))
            goto oom;
        sd->n = nn;
        d->nstaff++;
    }
    *out = d;
    return LF_OK;
oom:
    lf_deident_free(d);
    return lf_err_set(err, LF_ENOMEM, "out of memory");
}

void lf_deident_free(lf_deident *d)
{
    if (!d)
        return;
    free(d->region);
    free(d->region_name);
    for (size_t i = 0; d->keep && i < d->nkeep; i++)
        free(d->keep[i]);
    free(d->keep);
    free(d->ranges);
    for (size_t i = 0; d->staff && i < d->nstaff; i++)
        free(d->staff[i].dom);
    free(d->staff);
    free(d);
}

/* ---- tests on values ---- */

bool lf_deident_internal_addr(const lf_deident *d, const char *s, size_t n)
{
    range v;
    if (!parse_range(s, n, &v))
        return false;
    for (size_t i = 0; i < d->nranges; i++) {
        const range *r = &d->ranges[i];
        if (r->v6 != v.v6)
            continue;
        if (v.v6 ? (v.lo6 >= r->lo6 && v.hi6 <= r->hi6) : (v.lo4 >= r->lo4 && v.hi4 <= r->hi4))
            return true;
    }
    return false;
}

bool lf_deident_staff_email(const lf_deident *d, const char *s, size_t n)
{
    const char *at = NULL;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '@')
            at = s + i;
    if (!at || at == s)
        return false;
    const char *dom = at + 1;
    size_t dn = (size_t)(s + n - dom);
    if (dn && dom[dn - 1] == '.')
        dn--;
    for (size_t i = 0; i < d->nstaff; i++) {
        const staff_dom *sd = &d->staff[i];
        if (dn == sd->n && !sd->sub_only && !strncasecmp(dom, sd->dom, dn))
            return true;
        if (dn > sd->n && dom[dn - sd->n - 1] == '.' && !strncasecmp(dom + dn - sd->n, sd->dom, sd->n))
            return true;
    }
    return false;
}

/* ---- patterns ---- */

typedef struct pctx {
    const lf_deident *d;
    lf_arena *a;
    size_t removed;
    int oom;
} pctx;

static bool sensitive_lit(const lf_deident *d, const lf_stixpat_lit *l)
{
    if (l->kind != LF_STIXPAT_LIT_STRING || memchr(l->str, '\0', l->n))
        return false;
    return lf_deident_internal_addr(d, l->str, l->n) || lf_deident_staff_email(d, l->str, l->n);
}

static lf_stixpat_node *node_copy(pctx *c, const lf_stixpat_node *n)
{
    lf_stixpat_node *m = lf_arena_alloc(c->a, sizeof *m);
    if (!m) {
        c->oom = 1;
        return NULL;
    }
    *m = *n;
    return m;
}

/* The node with sensitive comparisons removed: n itself when untouched, NULL when
 * nothing is left (or on OOM, with c->oom set). */
static const lf_stixpat_node *prune(pctx *c, const lf_stixpat_node *n)
{
    switch (n->kind) {
    case LF_STIXPAT_CMP: {
        size_t keep = 0;
        for (size_t i = 0; i < n->nlits; i++)
            keep += !sensitive_lit(c->d, &n->lits[i]);
        if (keep == n->nlits)
            return n;
        if (n->op != LF_STIXPAT_IN || keep == 0) {
            c->removed += n->op == LF_STIXPAT_IN ? n->nlits : 1;
            return NULL;
        }
        c->removed += n->nlits - keep;
        lf_stixpat_node *m = node_copy(c, n);
        lf_stixpat_lit *lits = m ? lf_arena_alloc(c->a, keep * sizeof *lits) : NULL;
        if (!lits) {
            c->oom = 1;
            return NULL;
        }
        size_t k = 0;
        for (size_t i = 0; i < n->nlits; i++)
            if (!sensitive_lit(c->d, &n->lits[i]))
                lits[k++] = n->lits[i];
        m->lits = lits;
        m->nlits = keep;
        return m;
    }
    case LF_STIXPAT_OBS:
    case LF_STIXPAT_QUALIFIED: {
        const lf_stixpat_node *a = prune(c, n->a);
        if (a == n->a || !a)
            return a == n->a ? n : NULL;
        lf_stixpat_node *m = node_copy(c, n);
        if (m)
            m->a = a;
        return m;
    }
    default: {
        const lf_stixpat_node *a = prune(c, n->a);
        if (c->oom)
            return NULL;
        const lf_stixpat_node *b = prune(c, n->b);
        if (c->oom)
            return NULL;
        if (a == n->a && b == n->b)
            return n;
        if (!a || !b)
            return a ? a : b;
        lf_stixpat_node *m = node_copy(c, n);
        if (m) {
            m->a = a;
            m->b = b;
        }
        return m;
    }
    }
}

typedef struct pw {
    lf_buf *b;
    int rc;
} pw;

static void w_put(pw *w, const char *s, size_t n)
{
    if (!w->rc)
        w->rc = lf_buf_append(w->b, s, n);
}

static void w_puts(pw *w, const char *s)
{
    w_put(w, s, strlen(s));
}

static void w_quoted(pw *w, char prefix, const char *s, size_t n)
{
    if (prefix)
        w_put(w, &prefix, 1);
    w_put(w, "'", 1);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\'' || s[i] == '\\')
            w_put(w, "\\", 1);
        w_put(w, s + i, 1);
    }
    w_put(w, "'", 1);
}

static void w_base64(pw *w, const unsigned char *s, size_t n)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    w_puts(w, "b'");
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)s[i] << 16 | (i + 1 < n ? (uint32_t)s[i + 1] << 8 : 0) | (i + 2 < n ? s[i + 2] : 0);
        char q[4] = {tab[v >> 18 & 63], tab[v >> 12 & 63], i + 1 < n ? tab[v >> 6 & 63] : '=',
                     i + 2 < n ? tab[v & 63] : '='};
        w_put(w, q, 4);
    }
    w_put(w, "'", 1);
}

static void w_lit(pw *w, const lf_stixpat_lit *l)
{
    static const char hex[] = "0123456789abcdef";
    switch (l->kind) {
    case LF_STIXPAT_LIT_STRING:
        w_quoted(w, 0, l->str, l->n);
        break;
    case LF_STIXPAT_LIT_BOOL:
        w_puts(w, l->b ? "true" : "false");
        break;
    case LF_STIXPAT_LIT_BINARY:
        w_base64(w, (const unsigned char *)l->str, l->n);
        break;
    case LF_STIXPAT_LIT_HEX:
        w_puts(w, "h'");
        for (size_t i = 0; i < l->n; i++) {
            char h[2] = {hex[(unsigned char)l->str[i] >> 4], hex[(unsigned char)l->str[i] & 15]};
            w_put(w, h, 2);
        }
        w_put(w, "'", 1);
        break;
    case LF_STIXPAT_LIT_TIMESTAMP:
        w_quoted(w, 't', l->str, l->n);
        break;
    default:   /* INT, FLOAT: their source text */
        w_put(w, l->str, l->n);
        break;
    }
}

static bool plain_key(const char *k)
{
    if (!((*k >= 'a' && *k <= 'z') || *k == '_') || !strcmp(k, "true") || !strcmp(k, "false"))
        return false;
    for (; *k; k++)
        if (!((*k >= 'a' && *k <= 'z') || (*k >= '0' && *k <= '9') || *k == '_'))
            return false;
    return true;
}

static void w_path(pw *w, const lf_stixpat_path *p)
{
    w_puts(w, p->type);
    w_put(w, ":", 1);
    char num[32];
    for (size_t i = 0; i < p->nsteps; i++) {
        const lf_stixpat_step *s = &p->steps[i];
        switch (s->kind) {
        case LF_STIXPAT_STEP_KEY:
            if (i)
                w_put(w, ".", 1);
            if (plain_key(s->key))
                w_puts(w, s->key);
            else
                w_quoted(w, 0, s->key, strlen(s->key));
            break;
        case LF_STIXPAT_STEP_INDEX:
            snprintf(num, sizeof num, "[%lld]", (long long)s->index);
            w_puts(w, num);
            break;
        default:
            w_puts(w, "[*]");
            break;
        }
    }
}

static int prec(const lf_stixpat_node *n)
{
    switch (n->kind) {
    case LF_STIXPAT_FOLLOWEDBY: return 1;
    case LF_STIXPAT_OBS_OR: return 2;
    case LF_STIXPAT_OBS_AND: return 3;
    case LF_STIXPAT_CMP_OR: return 1;
    case LF_STIXPAT_CMP_AND: return 2;
    default: return 4;   /* CMP, OBS, QUALIFIED */
    }
}

static void w_node(pw *w, const lf_stixpat_node *n, int min)
{
    bool paren = prec(n) < min;
    if (paren)
        w_put(w, "(", 1);
    switch (n->kind) {
    case LF_STIXPAT_CMP:
        if (n->op == LF_STIXPAT_EXISTS) {
            w_puts(w, "EXISTS ");
            w_path(w, &n->path);
            break;
        }
        w_path(w, &n->path);
        w_puts(w, n->negated ? " NOT " : " ");
        w_puts(w, lf_stixpat_op_name(n->op));
        w_put(w, " ", 1);
        if (n->op == LF_STIXPAT_IN) {
            w_put(w, "(", 1);
            for (size_t i = 0; i < n->nlits; i++) {
                if (i)
                    w_puts(w, ", ");
                w_lit(w, &n->lits[i]);
            }
            w_put(w, ")", 1);
        } else if (n->nlits) {
            w_lit(w, &n->lits[0]);
        }
        break;
    case LF_STIXPAT_CMP_AND:
    case LF_STIXPAT_CMP_OR:
    case LF_STIXPAT_OBS_AND:
    case LF_STIXPAT_OBS_OR:
    case LF_STIXPAT_FOLLOWEDBY: {
        /* the right operand of the same operator gets parentheses: only the original
         * grouping makes it a right child */
        int p = prec(n);
        w_node(w, n->a, p);
        w_puts(w, n->kind == LF_STIXPAT_FOLLOWEDBY                              ? " FOLLOWEDBY "
                  : n->kind == LF_STIXPAT_CMP_AND || n->kind == LF_STIXPAT_OBS_AND ? " AND "
                                                                                    : " OR ");
        w_node(w, n->b, p + 1);
        break;
    }
    case LF_STIXPAT_OBS:
        w_put(w, "[", 1);
        w_node(w, n->a, 0);
        w_put(w, "]", 1);
        break;
    case LF_STIXPAT_QUALIFIED: {
        w_node(w, n->a, 4);
        char t[64];
        if (n->qual == LF_STIXPAT_WITHIN) {
            if (n->within == (double)(long long)n->within && n->within < 1e15)
                snprintf(t, sizeof t, " WITHIN %lld SECONDS", (long long)n->within);
            else
                snprintf(t, sizeof t, " WITHIN %.6f SECONDS", n->within);
            w_puts(w, t);
        } else if (n->qual == LF_STIXPAT_REPEATS) {
            snprintf(t, sizeof t, " REPEATS %lld TIMES", (long long)n->repeats);
            w_puts(w, t);
        } else {
            w_puts(w, " START ");
            w_quoted(w, 't', n->start, strlen(n->start));
            w_puts(w, " STOP ");
            w_quoted(w, 't', n->stop, strlen(n->stop));
        }
        break;
    }
    }
    if (paren)
        w_put(w, ")", 1);
}

int lf_deident_pattern(const lf_deident *d, lf_arena *a, const char *pattern, const char **out, size_t *removed,
                       lf_err *err)
{
    *out = NULL;
    *removed = 0;
    const lf_stixpat *p = NULL;
    int rc = lf_stixpat_parse(a, pattern, strlen(pattern), &p, err);
    if (rc)
        return rc;
    pctx c = {d, a, 0, 0};
    const lf_stixpat_node *root = prune(&c, p->root);
    if (c.oom)
        return lf_err_set(err, LF_ENOMEM, "out of memory");
    *removed = c.removed;
    if (root == p->root) {
        *out = pattern;
        return LF_OK;
    }
    if (!root)
        return LF_OK;
    lf_buf b;
    lf_buf_init(&b, 0);
    pw w = {&b, 0};
    w_node(&w, root, 0);
    if (w.rc || !(*out = lf_arena_strndup(a, b.data, b.len))) {
        lf_buf_clear(&b);
        return lf_err_set(err, LF_ENOMEM, "out of memory");
    }
    lf_buf_clear(&b);
    return LF_OK;
}

/* ---- objects ---- */

enum { GONE = 1 };   /* strmap value of a dropped object's id */

typedef struct octx {
    const lf_deident *d;
    const char *region;   /* arena copy: the output must not point into d */
    lf_arena *a;
    lf_strmap gone;
    lf_deident_stats *st;
    bool region_used;
    int oom;
} octx;

static bool ends_with(const char *k, const char *suffix)
{
    size_t n = strlen(k), m = strlen(suffix);
    return n >= m && !memcmp(k + n - m, suffix, m);
}

static bool kept_identity(const lf_deident *d, const char *id)
{
    if (!strcmp(id, d->region))
        return true;
    for (size_t i = 0; i < d->nkeep; i++)
        if (!strcmp(id, d->keep[i]))
            return true;
    return false;
}

static bool is_gone(const octx *c, const char *id)
{
    return id && lf_strmap_find(&c->gone, id, strlen(id)) != NULL;
}

/* What a reference becomes: NULL when it must go, the region's id for a replaced
 * identity, else itself. */
static const char *map_ref(octx *c, const char *id, bool count)
{
    if (!strncmp(id, "identity--", 10)) {
        if (!strcmp(id, c->d->region)) {
            c->region_used = true;
            return id;
        }
        if (kept_identity(c->d, id) && !is_gone(c, id))
            return id;
        /* an agency, a person, or a kept identity whose object went (an individual) */
        c->region_used = true;
        if (count)
            c->st->refs_replaced++;
        return c->region;
    }
    return is_gone(c, id) ? NULL : id;
}

static lf_json str_node(const char *s)
{
    lf_json v;
    memset(&v, 0, sizeof v);
    v.type = LF_JSON_STRING;
    v.u.str = s;
    v.n = (uint32_t)strlen(s);
    return v;
}

/* Copy v with references rewritten (and pattern replaced at the top level). */
static int copy_value(octx *c, const lf_json *v, lf_json *dst, int depth, const char *pattern)
{
    *dst = *v;
    if (depth > 80)
        return LF_OK;   /* lf_json_parse never builds deeper trees; nothing to do past it */
    if (v->type == LF_JSON_ARRAY) {
        lf_json *items = lf_arena_alloc(c->a, (v->n ? v->n : 1) * sizeof *items);
        if (!items)
            return LF_ENOMEM;
        for (uint32_t i = 0; i < v->n; i++)
            if (copy_value(c, &v->u.items[i], &items[i], depth + 1, NULL))
                return LF_ENOMEM;
        dst->u.items = items;
        return LF_OK;
    }
    if (v->type != LF_JSON_OBJECT)
        return LF_OK;
    lf_json_member *m = lf_arena_alloc(c->a, (v->n ? v->n : 1) * sizeof *m);
    if (!m)
        return LF_ENOMEM;
    uint32_t k = 0;
    for (uint32_t i = 0; i < v->n; i++) {
        const lf_json_member *src = &v->u.members[i];
        m[k].key = src->key;
        m[k].klen = src->klen;
        if (ends_with(src->key, "_ref") && src->val.type == LF_JSON_STRING) {
            const char *r = map_ref(c, src->val.u.str, true);
            if (!r)
                continue;
            m[k].val = r == src->val.u.str ? src->val : str_node(r);
        } else if (ends_with(src->key, "_refs") && src->val.type == LF_JSON_ARRAY) {
            lf_json *items = lf_arena_alloc(c->a, (src->val.n ? src->val.n : 1) * sizeof *items);
            if (!items)
                return LF_ENOMEM;
            uint32_t ni = 0;
            bool region_in = false;
            for (uint32_t j = 0; j < src->val.n; j++) {
                const lf_json *e = &src->val.u.items[j];
                if (e->type != LF_JSON_STRING) {
                    items[ni++] = *e;
                    continue;
                }
                const char *r = map_ref(c, e->u.str, true);
                if (!r)
                    continue;
                if (r == c->region || !strcmp(r, c->region)) {
                    /* several agencies folded into the region: name it once */
                    if (region_in)
                        continue;
                    region_in = true;
                }
                items[ni++] = r == e->u.str ? *e : str_node(r);
            }
            if (!ni)
                continue;
            m[k].val = src->val;
            m[k].val.u.items = items;
            m[k].val.n = ni;
        } else if (pattern && !strcmp(src->key, "pattern") && src->val.type == LF_JSON_STRING) {
            m[k].val = str_node(pattern);
        } else if (copy_value(c, &src->val, &m[k].val, depth + 1, NULL)) {
            return LF_ENOMEM;
        }
        k++;
    }
    dst->u.members = m;
    dst->n = k;
    return LF_OK;
}

/* Does obj lose a reference it cannot do without (step 5)? */
static bool lost_required(const octx *c, const lf_json *obj, const char *type)
{
    if (!strcmp(type, "relationship"))
        return is_gone(c, lf_json_get_str(obj, "source_ref")) || is_gone(c, lf_json_get_str(obj, "target_ref"));
    if (!strcmp(type, "sighting"))
        return is_gone(c, lf_json_get_str(obj, "sighting_of_ref"));
    if (!strcmp(type, "network-traffic")) {
        const char *s = lf_json_get_str(obj, "src_ref"), *t = lf_json_get_str(obj, "dst_ref");
        return (s || t) && (!s || is_gone(c, s)) && (!t || is_gone(c, t));
    }
    if (!strcmp(type, "observed-data") || !strcmp(type, "report") || !strcmp(type, "grouping") ||
        !strcmp(type, "note") || !strcmp(type, "opinion")) {
        const lf_json *r = lf_json_get(obj, "object_refs");
        size_t n = lf_json_len(r);
        if (!n)
            return false;
        for (size_t i = 0; i < n; i++) {
            const char *id = lf_json_str(lf_json_at(r, i));
            /* an identity in object_refs is replaced, not removed */
            if (!id || !is_gone(c, id) || !strncmp(id, "identity--", 10))
                return false;
        }
        return true;
    }
    return false;
}

static int mark_gone(octx *c, const char *id)
{
    if (!id)
        return LF_OK;
    lf_strmap_slot *slot;
    bool ex;
    return lf_strmap_put(&c->gone, c->a, id, strlen(id), GONE, &slot, &ex);
}

int lf_deident_objects(const lf_deident *d, lf_arena *a, const lf_json *const *objs, size_t n,
                       const lf_json ***out, size_t *nout, lf_deident_stats *stats, lf_err *err)
{
    lf_deident_stats local;
    if (!stats)
        stats = &local;
    memset(stats, 0, sizeof *stats);
    *out = NULL;
    *nout = 0;
    octx c;
    memset(&c, 0, sizeof c);
    c.d = d;
    c.a = a;
    c.st = stats;
    stats->in = n;
    bool *keep = calloc(n ? n : 1, sizeof *keep);
    const char **pat = calloc(n ? n : 1, sizeof *pat);
    const lf_json **res = lf_arena_alloc(a, (n + 1) * sizeof *res);
    c.region = lf_arena_strdup(a, d->region);
    const char *region_name = lf_arena_strdup(a, d->region_name);
    int rc = LF_ENOMEM;
    bool region_present = false;
    if (!keep || !pat || !res || !c.region || !region_name)
        goto fail;
    /* steps 1-4: decide each object on its own */
    for (size_t i = 0; i < n; i++) {
        const lf_json *o = objs[i];
        const char *type = lf_json_get_str(o, "type"), *id = lf_json_get_str(o, "id");
        if (!lf_json_is(o, LF_JSON_OBJECT) || !type) {
            stats->dropped_refs++;
            continue;
        }
        bool drop = false;
        if (strcmp(type, "marking-definition")) {
            lf_stix_tlp t = lf_deident_object_tlp(o);
            if (t == LF_STIX_TLP_UNKNOWN)
                t = d->unmarked_tlp;
            if (t == LF_STIX_TLP_RED || lf_deident_tlp_rank(t) > lf_deident_tlp_rank(d->max_tlp)) {
                stats->dropped_tlp++;
                drop = true;
            }
        }
        if (!drop && !strcmp(type, "identity")) {
            const char *cls = lf_json_get_str(o, "identity_class");
            if (id && !strcmp(id, d->region) && !(cls && !strcmp(cls, "individual"))) {
                region_present = true;
            } else if ((cls && !strcmp(cls, "individual")) || !id || !kept_identity(d, id)) {
                stats->dropped_identity++;
                drop = true;
            }
        } else if (!drop && (!strcmp(type, "ipv4-addr") || !strcmp(type, "ipv6-addr"))) {
            const lf_json *v = lf_json_get(o, "value");
            if (v && v->type == LF_JSON_STRING && lf_deident_internal_addr(d, v->u.str, v->n)) {
                stats->dropped_internal++;
                drop = true;
            }
        } else if (!drop && !strcmp(type, "email-addr")) {
            const lf_json *v = lf_json_get(o, "value");
            if (v && v->type == LF_JSON_STRING && lf_deident_staff_email(d, v->u.str, v->n)) {
                stats->dropped_staff++;
                drop = true;
            }
        } else if (!drop && !strcmp(type, "indicator")) {
            const char *pt = lf_json_get_str(o, "pattern_type"), *p = lf_json_get_str(o, "pattern");
            if (p && (!pt || !strcmp(pt, "stix"))) {
                size_t removed = 0;
                lf_err perr;
                int prc = lf_deident_pattern(d, a, p, &pat[i], &removed, &perr);
                if (prc == LF_ENOMEM)
                    goto fail;
                stats->cmps_removed += removed;
                if (prc || !pat[i]) {
                    /* a pattern that does not parse cannot be vetted: not forwarded */
                    stats->dropped_pattern++;
                    drop = true;
                } else if (pat[i] == p) {
                    pat[i] = NULL;
                }
            }
        }
        if (drop) {
            if (mark_gone(&c, id))
                goto fail;
        } else {
            keep[i] = true;
        }
    }
    /* step 5: until nothing more goes */
    for (bool changed = true; changed;) {
        changed = false;
        for (size_t i = 0; i < n; i++) {
            if (!keep[i])
                continue;
            const char *type = lf_json_get_str(objs[i], "type");
            if (lost_required(&c, objs[i], type)) {
                keep[i] = false;
                stats->dropped_refs++;
                if (mark_gone(&c, lf_json_get_str(objs[i], "id")))
                    goto fail;
                changed = true;
            }
        }
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!keep[i])
            continue;
        lf_json *v = lf_arena_alloc(a, sizeof *v);
        if (!v || copy_value(&c, objs[i], v, 0, pat[i]))
            goto fail;
        res[k++] = v;
    }
    if (c.region_used && !region_present) {
        /* a fixed created/modified, so every forward carries the same version of it */
        static const char *const keys[] = {"type", "spec_version", "id", "created", "modified", "name",
                                           "identity_class"};
        const char *vals[] = {"identity", "2.1", c.region, REGION_CREATED, REGION_CREATED, region_name,
                              "organization"};
        lf_json *v = lf_arena_calloc(a, sizeof *v);
        lf_json_member *m = lf_arena_alloc(a, 7 * sizeof *m);
        if (!v || !m)
            goto fail;
        for (int j = 0; j < 7; j++) {
            m[j].key = keys[j];
            m[j].klen = (uint32_t)strlen(keys[j]);
            m[j].val = str_node(vals[j]);
        }
        v->type = LF_JSON_OBJECT;
        v->n = 7;
        v->u.members = m;
        res[k++] = v;
        stats->region_added = true;
    }
    stats->out = k;
    *out = res;
    *nout = k;
    rc = LF_OK;
fail:
    free(keep);
    free(pat);
    lf_strmap_clear(&c.gone);
    if (rc)
        lf_err_set(err, rc, "out of memory");
    return rc;
}
