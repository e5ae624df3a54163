/*
 * blocklist: validation of indicator values, range merging and the writers of the
 * firewall / nftables / Suricata formats (see blocklist.h).
 *
 * Addresses are kept as inclusive intervals; finishing sorts them, merges overlapping
 * and adjacent ones and splits each merged interval into the fewest aligned CIDR blocks,
 * which is exact (the same addresses, no more). Strings live in one arena so a million
 * indicators cost a handful of mallocs.
 */
#include "isac/blocklist.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/arena.h"
#include "core/buf.h"

__extension__ typedef unsigned __int128 u128;

typedef struct v4_iv {
    uint32_t lo, hi;
} v4_iv;
typedef struct v6_iv {
    u128 lo, hi;
} v6_iv;
typedef struct v4_cidr {
    uint32_t addr;
    unsigned prefix;
} v4_cidr;
typedef struct v6_cidr {
    u128 addr;
    unsigned prefix;
} v6_cidr;

typedef struct str_ent {
    uint64_t key;         /* first 8 bytes big-endian: most comparisons stop here */
    const char *s;
    size_t n;
    const char *id;       /* the indicator's id ("" when it had none) */
    const char *msg;      /* domains: "source X, indicator--..." cleaned for a Suricata msg */
    size_t msgn;
    uint32_t slot;        /* domains: sid slot */
} str_ent;

typedef struct vec {
    void *p;
    size_t n, cap;
} vec;

struct lf_blocklist {
    lf_bl_opts o;
    lf_arena a;
    vec v4, v6;             /* v4_iv / v6_iv while adding */
    vec v4c, v6c;           /* v4_cidr / v6_cidr after finish */
    vec dom, url, hash;     /* str_ent */
    bool finished;
    lf_bl_stats st;
};

static void *vec_push(vec *v, size_t size)
{
    if (v->n == v->cap) {
        size_t nc = v->cap ? v->cap * 2 : 256;
        void *np = realloc(v->p, nc * size);
        if (!np)
            return NULL;
        v->p = np;
        v->cap = nc;
    }
    return (char *)v->p + size * v->n++;
}

/* ---- value parsers ---- */

bool lf_bl_parse_ipv4(const char *s, size_t n, uint32_t *addr, unsigned *prefix, const char **why)
{
    uint32_t a = 0;
    size_t i = 0;
    for (int part = 0; part < 4; part++) {
        if (part) {
            if (i >= n || s[i] != '.') {
                *why = "not a dotted-quad IPv4 address";
                return false;
            }
            i++;
        }
        size_t st = i;
        unsigned v = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9' && i - st < 4)
            v = v * 10 + (unsigned)(s[i++] - '0');
        if (i == st || i - st > 3) {
            *why = "not a dotted-quad IPv4 address";
            return false;
        }
        if (i - st > 1 && s[st] == '0') {
            *why = "IPv4 part with a leading zero (octal is ambiguous)";
            return false;
        }
        if (v > 255) {
            *why = "IPv4 part above 255";
            return false;
        }
        a = a << 8 | v;
    }
    unsigned p = 32;
    if (i < n && s[i] == '/') {
        i++;
        size_t st = i;
        p = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9' && i - st < 3)
            p = p * 10 + (unsigned)(s[i++] - '0');
        if (i == st || p > 32 || (i - st > 1 && s[st] == '0')) {
            *why = "IPv4 prefix length not 0-32";
            return false;
        }
    }
    if (i != n) {
        *why = "trailing characters after the IPv4 address";
        return false;
    }
    if (p < 32)
        a &= p ? ~(uint32_t)0 << (32 - p) : 0;
    *addr = a;
    *prefix = p;
    return true;
}

bool lf_bl_parse_ipv6(const char *s, size_t n, uint8_t addr[16], unsigned *prefix, const char **why)
{
    const char *slash = memchr(s, '/', n);
    size_t an = slash ? (size_t)(slash - s) : n;
    char tmp[64];
    if (an == 0 || an >= sizeof tmp || memchr(s, '\0', an)) {
        *why = "not an IPv6 address";
        return false;
    }
    memcpy(tmp, s, an);
    tmp[an] = '\0';
    struct in6_addr in;
    if (inet_pton(AF_INET6, tmp, &in) != 1) {
        *why = "not an IPv6 address";
        return false;
    }
    unsigned p = 128;
    if (slash) {
        const char *d = slash + 1, *e = s + n;
        if (d == e || e - d > 3 || (e - d > 1 && *d == '0')) {
            *why = "IPv6 prefix length not 0-128";
            return false;
        }
        p = 0;
        for (; d < e; d++) {
            if (*d < '0' || *d > '9') {
                *why = "IPv6 prefix length not 0-128";
                return false;
            }
            p = p * 10 + (unsigned)(*d - '0');
        }
        if (p > 128) {
            *why = "IPv6 prefix length not 0-128";
            return false;
        }
    }
    memcpy(addr, in.s6_addr, 16);
    for (unsigned bit = p; bit < 128; bit++)
        addr[bit / 8] &= (uint8_t) ~(0x80u >> (bit % 8));
    *prefix = p;
    return true;
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

bool lf_bl_norm_domain(const char *s, size_t n, char *out, size_t cap, size_t *outn, const char **why)
{
    if (n && s[n - 1] == '.')
        n--;
    if (n == 0) {
        *why = "empty domain name";
        return false;
    }
    if (n > 253 || n + 1 > cap) {
        *why = "domain name longer than 253 characters";
        return false;
    }
    size_t label = 0, labels = 1, last_start = 0;
    bool last_digits = true;
    for (size_t i = 0; i < n; i++) {
        char c = lower(s[i]);
        if (c == '.') {
            if (label == 0 || s[i - 1] == '-') {
                *why = label ? "domain label ends with '-'" : "empty domain label";
                return false;
            }
            label = 0;
            labels++;
            last_start = i + 1;
            last_digits = true;
        } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
            if (c == '-' && label == 0) {
                *why = "domain label starts with '-'";
                return false;
            }
            if (++label > 63) {
                *why = "domain label longer than 63 characters";
                return false;
            }
            if (c < '0' || c > '9')
                last_digits = false;
        } else {
            *why = (unsigned char)c >= 0x80 ? "non-ASCII domain name (use its punycode form)"
                                            : "character not allowed in a domain name";
            return false;
        }
        out[i] = c;
    }
    if (label == 0 || s[n - 1] == '-') {
        *why = label ? "domain label ends with '-'" : "empty domain label";
        return false;
    }
    if (labels < 2) {
        *why = "single-label domain name";
        return false;
    }
    if (last_digits && n > last_start) {
        *why = "numeric top-level label (an address, not a domain)";
        return false;
    }
    out[n] = '\0';
    *outn = n;
    return true;
}

bool lf_bl_norm_url(const char *s, size_t n, char *out, size_t cap, size_t *outn, const char **why)
{
    if (n > 2048) {
        *why = "URL longer than 2048 characters";
        return false;
    }
    if (n + 2 > cap) {
        *why = "URL does not fit the output";
        return false;
    }
    size_t i = 0;
    if (n >= 7 && !strncasecmp(s, "http://", 7))
        i = 7;
    else if (n >= 8 && !strncasecmp(s, "https://", 8))
        i = 8;
    else {
        for (size_t k = 0; k + 2 < n && s[k] != '/' && s[k] != '?' && s[k] != '#'; k++)
            if (s[k] == ':' && s[k + 1] == '/' && s[k + 2] == '/') {
                *why = "URL scheme other than http or https";
                return false;
            }
    }
    for (size_t k = i; k < n; k++)
        if ((unsigned char)s[k] <= 0x20 || (unsigned char)s[k] >= 0x7f) {
            *why = (unsigned char)s[k] >= 0x80 ? "non-ASCII byte in URL (percent-encode it)"
                                               : "space or control character in URL";
            return false;
        }
    size_t hs = i;
    size_t he = hs;
    while (he < n && s[he] != '/' && s[he] != '?' && s[he] != '#')
        he++;
    /* he: end of the authority */
    if (memchr(s + hs, '@', he - hs)) {
        *why = "credentials in URL";
        return false;
    }
    size_t hostend = he, portstart = he;
    if (hs < he && s[hs] == '[') {
        const char *rb = memchr(s + hs, ']', he - hs);
        if (!rb) {
            *why = "unterminated [IPv6] host in URL";
            return false;
        }
        uint8_t a6[16];
        unsigned p;
        const char *w;
        size_t rn = (size_t)(rb - (s + hs + 1));
        if (memchr(s + hs + 1, '/', rn) || !lf_bl_parse_ipv6(s + hs + 1, rn, a6, &p, &w)) {
            *why = "bad [IPv6] host in URL";
            return false;
        }
        hostend = (size_t)(rb - s) + 1;
        portstart = hostend;
        if (portstart < he && s[portstart] != ':') {
            *why = "characters after the [IPv6] host in URL";
            return false;
        }
    } else {
        const char *colon = memchr(s + hs, ':', he - hs);
        if (colon)
            hostend = portstart = (size_t)(colon - s);
        if (hostend == hs) {
            *why = "URL without a host";
            return false;
        }
        uint32_t a4;
        unsigned p;
        const char *w;
        char dom[256];
        size_t dn;
        /* the authority ends before any '/', so an IPv4 host here never has a prefix */
        if (!lf_bl_parse_ipv4(s + hs, hostend - hs, &a4, &p, &w) &&
            !lf_bl_norm_domain(s + hs, hostend - hs, dom, sizeof dom, &dn, &w)) {
            *why = "URL host is neither a domain name nor an IPv4 address";
            return false;
        }
    }
    if (portstart < he) {
        /* ":port" */
        size_t d = portstart + 1;
        unsigned long port = 0;
        if (d == he || he - d > 5) {
            *why = "bad port in URL";
            return false;
        }
        for (; d < he; d++) {
            if (s[d] < '0' || s[d] > '9') {
                *why = "bad port in URL";
                return false;
            }
            port = port * 10 + (unsigned long)(s[d] - '0');
        }
        if (port < 1 || port > 65535) {
            *why = "URL port not 1-65535";
            return false;
        }
    }
    size_t o = 0;
    for (size_t k = hs; k < hostend; k++)
        out[o++] = lower(s[k]);
    /* a trailing dot on the host is the same name */
    if (o && out[o - 1] == '.' && s[hs] != '[')
        o--;
    memcpy(out + o, s + hostend, he - hostend);
    o += he - hostend;
    size_t fe = he;
    while (fe < n && s[fe] != '#')
        fe++;
    if (fe == he || s[he] != '/')
        out[o++] = '/';
    memcpy(out + o, s + he, fe - he);
    o += fe - he;
    out[o] = '\0';
    *outn = o;
    return true;
}

bool lf_bl_norm_hash(const char *s, size_t n, char *out, size_t cap, size_t *outn, const char **why)
{
    if (!(n == 32 || n == 40 || n == 64 || n == 128)) {
        *why = "hash is not 32, 40, 64 or 128 hex digits (MD5, SHA-1, SHA-256, SHA-512)";
        return false;
    }
    if (n + 1 > cap) {
        *why = "hash does not fit the output";
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        char c = lower(s[i]);
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            *why = "non-hex character in hash";
            return false;
        }
        out[i] = c;
    }
    out[n] = '\0';
    *outn = n;
    return true;
}

/* ---- building ---- */

int lf_blocklist_new(const lf_bl_opts *o, lf_blocklist **out, lf_err *err)
{
    *out = NULL;
    lf_blocklist *bl = calloc(1, sizeof *bl);
    if (!bl)
        return lf_err_set(err, LF_ENOMEM, "out of memory");
    if (o)
        bl->o = *o;
    if (!bl->o.sid_base)
        bl->o.sid_base = 1000000000u;
    if (!bl->o.sid_slots)
        bl->o.sid_slots = 200000000u;
    if (!bl->o.rule_action)
        bl->o.rule_action = "alert";
    if (!bl->o.category || !*bl->o.category)
        bl->o.category = "lianfang";
    if ((uint64_t)bl->o.sid_base + 3 + (uint64_t)bl->o.sid_slots * 3 > UINT32_MAX) {
        free(bl);
        return lf_err_set(err, LF_EINVAL, "Suricata sids %u + 3 x %u slots pass 2^32", o->sid_base, o->sid_slots);
    }
    if (strcmp(bl->o.rule_action, "alert") && strcmp(bl->o.rule_action, "drop") &&
        strcmp(bl->o.rule_action, "reject")) {
        free(bl);
        return lf_err_set(err, LF_EINVAL, "Suricata rule action '%s' is not alert, drop or reject",
                          o->rule_action);
    }
    for (const char *c = bl->o.category; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '_' ||
              *c == '-') ||
            c - bl->o.category >= 32) {
            free(bl);
            return lf_err_set(err, LF_EINVAL, "Suricata category must be 1-32 letters, digits, '-' or '_'");
        }
    lf_arena_init(&bl->a, (size_t)1 << 20);
    *out = bl;
    return LF_OK;
}

void lf_blocklist_free(lf_blocklist *bl)
{
    if (!bl)
        return;
    free(bl->v4.p);
    free(bl->v6.p);
    free(bl->v4c.p);
    free(bl->v6c.p);
    free(bl->dom.p);
    free(bl->url.p);
    free(bl->hash.p);
    lf_arena_clear(&bl->a);
    free(bl);
}

const lf_bl_stats *lf_blocklist_stats_borrow(const lf_blocklist *bl)
{
    return &bl->st;
}

static int tlp_rank(lf_stix_tlp t)
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

static int bad(lf_blocklist *bl, const lf_bl_indicator *ind, lf_err *err, const char *why)
{
    bl->st.invalid++;
    const char *v = ind->value ? ind->value : "";
    int rc = lf_err_set(err, LF_EPARSE, "indicator %s: '%.100s' (%s) is left out: %s", ind->id ? ind->id : "(no id)",
                        v, ind->type == LF_BL_IPV4   ? "ipv4"
                           : ind->type == LF_BL_IPV6 ? "ipv6"
                           : ind->type == LF_BL_CIDR ? "cidr"
                           : ind->type == LF_BL_DOMAIN ? "domain"
                           : ind->type == LF_BL_URL    ? "url"
                                                       : "hash",
                        why);
    lf_err_at(err, NULL, 0, 0, "value");
    if (ind->id)
        lf_err_id(err, ind->id);
    return rc;
}

static int add_v4(lf_blocklist *bl, uint32_t a, unsigned p)
{
    v4_iv *iv = vec_push(&bl->v4, sizeof *iv);
    if (!iv)
        return LF_ENOMEM;
    iv->lo = a;
    iv->hi = p == 0 ? UINT32_MAX : a | (p == 32 ? 0 : (~(uint32_t)0 >> p));
    bl->st.v4_in++;
    return LF_OK;
}

static u128 u128_of(const uint8_t b[16])
{
    u128 v = 0;
    for (int i = 0; i < 16; i++)
        v = v << 8 | b[i];
    return v;
}

static int add_v6(lf_blocklist *bl, const uint8_t b[16], unsigned p)
{
    v6_iv *iv = vec_push(&bl->v6, sizeof *iv);
    if (!iv)
        return LF_ENOMEM;
    iv->lo = u128_of(b);
    iv->hi = p == 0 ? ~(u128)0 : iv->lo | (p == 128 ? 0 : (~(u128)0 >> p));
    bl->st.v6_in++;
    return LF_OK;
}

/* Text for a Suricata msg: no quote, semicolon or backslash (they end or escape the
 * option), printable ASCII only, bounded. */
static size_t msgtext(char *out, const char *s, size_t max)
{
    size_t n = 0;
    for (; *s && n < max; s++) {
        unsigned char c = (unsigned char)*s;
        out[n++] = (c < 0x20 || c >= 0x7f || c == '"' || c == ';' || c == '\\') ? '_' : (char)c;
    }
    return n;
}

static int add_str(lf_blocklist *bl, vec *v, const char *s, size_t n, const lf_bl_indicator *ind)
{
    str_ent *e = vec_push(v, sizeof *e);
    if (!e)
        return LF_ENOMEM;
    e->key = 0;
    for (size_t i = 0; i < 8; i++)
        e->key = e->key << 8 | (i < n ? (unsigned char)s[i] : 0);
    e->s = lf_arena_strndup(&bl->a, s, n);
    e->n = n;
    /* only domains need the id (sids and msg); URLs and hashes are lists */
    e->id = v == &bl->dom ? lf_arena_strdup(&bl->a, ind->id ? ind->id : "") : "";
    e->msg = NULL;
    e->msgn = 0;
    e->slot = 0;
    if (v == &bl->dom) {
        char m[200];
        size_t k = 7;
        memcpy(m, "source ", 7);
        k += msgtext(m + k, ind->source && *ind->source ? ind->source : "unknown", 80);
        if (ind->id && *ind->id) {
            memcpy(m + k, ", ", 2);
            k += 2;
            k += msgtext(m + k, ind->id, 80);
        }
        e->msg = lf_arena_strndup(&bl->a, m, k);
        e->msgn = k;
    }
    if (!e->s || !e->id || (v == &bl->dom && !e->msg)) {
        v->n--;
        return LF_ENOMEM;
    }
    return LF_OK;
}

int lf_blocklist_add(lf_blocklist *bl, const lf_bl_indicator *ind, lf_err *err)
{
    if (bl->finished)
        return lf_err_set(err, LF_EINVAL, "blocklist already finished");
    if (!ind->value)
        return bad(bl, ind, err, "no value");
    if (ind->expires > 0 && ind->expires <= bl->o.now) {
        bl->st.expired++;
        return LF_OK;
    }
    if (bl->o.max_tlp != LF_STIX_TLP_UNKNOWN && tlp_rank(ind->tlp) > tlp_rank(bl->o.max_tlp)) {
        bl->st.over_tlp++;
        return LF_OK;
    }
    const char *s = ind->value, *why = NULL;
    size_t n = strlen(s);
    int rc = LF_OK;
    uint32_t a4;
    uint8_t a6[16];
    unsigned p;
    char tmp[2100];
    size_t tn;
    switch (ind->type) {
    case LF_BL_IPV4:
        if (!lf_bl_parse_ipv4(s, n, &a4, &p, &why))
            return bad(bl, ind, err, why);
        rc = add_v4(bl, a4, p);
        break;
    case LF_BL_IPV6:
        if (!lf_bl_parse_ipv6(s, n, a6, &p, &why))
            return bad(bl, ind, err, why);
        rc = add_v6(bl, a6, p);
        break;
    case LF_BL_CIDR:
        if (memchr(s, ':', n)) {
            if (!lf_bl_parse_ipv6(s, n, a6, &p, &why))
                return bad(bl, ind, err, why);
            rc = add_v6(bl, a6, p);
        } else {
            if (!lf_bl_parse_ipv4(s, n, &a4, &p, &why))
                return bad(bl, ind, err, why);
            rc = add_v4(bl, a4, p);
        }
        break;
    case LF_BL_DOMAIN:
        if (!lf_bl_norm_domain(s, n, tmp, sizeof tmp, &tn, &why))
            return bad(bl, ind, err, why);
        rc = add_str(bl, &bl->dom, tmp, tn, ind);
        break;
    case LF_BL_URL:
        if (!lf_bl_norm_url(s, n, tmp, sizeof tmp, &tn, &why))
            return bad(bl, ind, err, why);
        rc = add_str(bl, &bl->url, tmp, tn, ind);
        break;
    case LF_BL_HASH:
        if (!lf_bl_norm_hash(s, n, tmp, sizeof tmp, &tn, &why))
            return bad(bl, ind, err, why);
        rc = add_str(bl, &bl->hash, tmp, tn, ind);
        break;
    default:
        return bad(bl, ind, err, "unknown indicator type");
    }
    if (rc)
        return lf_err_set(err, LF_ENOMEM, "out of memory");
    bl->st.added++;
    return LF_OK;
}

/* ---- finishing ---- */

static int cmp_v6(const void *x, const void *y)
{
    const v6_iv *a = x, *b = y;
    return a->lo < b->lo ? -1 : a->lo > b->lo ? 1 : a->hi < b->hi ? -1 : a->hi > b->hi;
}

/* Strings by value, then id, so the first of a run of equal values has the smallest id. */
static int cmp_str(const void *x, const void *y)
{
    const str_ent *a = x, *b = y;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    int c = strcmp(a->s, b->s);
    return c ? c : strcmp(a->id, b->id);   /* the smallest id of equal values is kept */
}

static void dedupe(vec *v)
{
    str_ent *e = v->p;
    size_t w = 0;
    for (size_t i = 0; i < v->n; i++)
        if (!w || e[w - 1].key != e[i].key || strcmp(e[w - 1].s, e[i].s))
            e[w++] = e[i];
    v->n = w;
}

static int v4_split(vec *out, uint32_t lo, uint32_t hi)
{
    uint64_t s = lo, e = hi;
    while (s <= e) {
        unsigned k = s ? (unsigned)__builtin_ctzll(s) : 32;
        if (k > 32)
            k = 32;
        while (k && s + ((uint64_t)1 << k) - 1 > e)
            k--;
        v4_cidr *c = vec_push(out, sizeof *c);
        if (!c)
            return LF_ENOMEM;
        c->addr = (uint32_t)s;
        c->prefix = 32 - k;
        s += (uint64_t)1 << k;
    }
    return LF_OK;
}

static unsigned ctz128(u128 v)
{
    uint64_t lo = (uint64_t)v, hi = (uint64_t)(v >> 64);
    if (lo)
        return (unsigned)__builtin_ctzll(lo);
    if (hi)
        return 64 + (unsigned)__builtin_ctzll(hi);
    return 128;
}

static int v6_split(vec *out, u128 s, u128 e)
{
    for (;;) {
        unsigned k = ctz128(s);
        if (k == 128 && e != ~(u128)0)
            k = 127;
        while (k && k < 128 && s + ((((u128)1) << k) - 1) > e)
            k--;
        v6_cidr *c = vec_push(out, sizeof *c);
        if (!c)
            return LF_ENOMEM;
        c->addr = s;
        c->prefix = 128 - k;
        if (k == 128)
            return LF_OK;
        u128 last = s + ((((u128)1) << k) - 1);
        if (last >= e)
            return LF_OK;
        s = last + 1;
    }
}

/* LSD radix sort of 64-bit keys, 16 bits a pass: a million keys in a few ms where qsort
 * with a comparison callback takes a good part of the 2 s budget. */
static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

static int radix64(uint64_t *k, size_t n)
{
    if (n < 4096) {
        /* the counting tables would cost more than the sort */
        if (n > 1)
            qsort(k, n, sizeof *k, cmp_u64);
        return LF_OK;
    }
    uint64_t *tmp = malloc(n * sizeof *tmp);
    size_t *cnt = malloc(65536 * sizeof *cnt);
    if (!tmp || !cnt) {
        free(tmp);
        free(cnt);
        return LF_ENOMEM;
    }
    uint64_t *src = k, *dst = tmp;
    for (unsigned sh = 0; sh < 64; sh += 16) {
        memset(cnt, 0, 65536 * sizeof *cnt);
        for (size_t i = 0; i < n; i++)
            cnt[src[i] >> sh & 0xffff]++;
        if (cnt[src[0] >> sh & 0xffff] == n)
            continue;   /* every key has the same digit here */
        size_t sum = 0;
        for (size_t d = 0; d < 65536; d++) {
            size_t c = cnt[d];
            cnt[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[cnt[src[i] >> sh & 0xffff]++] = src[i];
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != k)
        memcpy(k, src, n * sizeof *k);
    free(tmp);
    free(cnt);
    return LF_OK;
}

static uint32_t fnv1a(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

int lf_blocklist_finish(lf_blocklist *bl, lf_err *err)
{
    if (bl->finished)
        return LF_OK;
    /* IPv4: sort, merge overlapping and adjacent intervals, split into CIDRs */
    v4_iv *v4 = bl->v4.p;
    if (bl->v4.n) {
        /* sort as (lo, hi) packed in 64 bits, in place over the same storage */
        uint64_t *k = bl->v4.p;
        for (size_t i = 0; i < bl->v4.n; i++) {
            v4_iv iv = v4[i];
            k[i] = (uint64_t)iv.lo << 32 | iv.hi;
        }
        if (radix64(k, bl->v4.n))
            goto oom;
        for (size_t i = 0; i < bl->v4.n; i++) {
            uint64_t x = k[i];
            v4[i].lo = (uint32_t)(x >> 32);
            v4[i].hi = (uint32_t)x;
        }
    }
    for (size_t i = 0; i < bl->v4.n;) {
        uint32_t lo = v4[i].lo, hi = v4[i].hi;
        size_t j = i + 1;
        while (j < bl->v4.n && (hi == UINT32_MAX || v4[j].lo <= hi + 1)) {
            if (v4[j].hi > hi)
                hi = v4[j].hi;
            j++;
        }
        if (v4_split(&bl->v4c, lo, hi))
            goto oom;
        i = j;
    }
    v6_iv *v6 = bl->v6.p;
    if (bl->v6.n)
        qsort(v6, bl->v6.n, sizeof *v6, cmp_v6);
    for (size_t i = 0; i < bl->v6.n;) {
        u128 lo = v6[i].lo, hi = v6[i].hi;
        size_t j = i + 1;
        while (j < bl->v6.n && (hi == ~(u128)0 || v6[j].lo <= hi + 1)) {
            if (v6[j].hi > hi)
                hi = v6[j].hi;
            j++;
        }
        if (v6_split(&bl->v6c, lo, hi))
            goto oom;
        i = j;
    }
    bl->st.v4_out = bl->v4c.n;
    bl->st.v6_out = bl->v6c.n;
    vec *sv[3] = {&bl->dom, &bl->url, &bl->hash};
    for (int k = 0; k < 3; k++) {
        if (sv[k]->n)
            qsort(sv[k]->p, sv[k]->n, sizeof(str_ent), cmp_str);
        dedupe(sv[k]);
    }
    bl->st.domains = bl->dom.n;
    bl->st.urls = bl->url.n;
    bl->st.hashes = bl->hash.n;
    /* sids: slot from the id's hash; collisions go to the next free slot in (slot, id)
     * order, so the same set always gets the same sids */
    if (bl->dom.n) {
        str_ent *d = bl->dom.p;
        /* (slot, position in domain order) keys: ties go by domain name */
        uint64_t *ord = malloc(bl->dom.n * sizeof *ord);
        if (!ord)
            goto oom;
        for (size_t i = 0; i < bl->dom.n; i++) {
            d[i].slot = fnv1a(d[i].id[0] ? d[i].id : d[i].s) % bl->o.sid_slots;
            ord[i] = (uint64_t)d[i].slot << 32 | i;
        }
        if (radix64(ord, bl->dom.n)) {
            free(ord);
            goto oom;
        }
        uint64_t next = 0;
        for (size_t i = 0; i < bl->dom.n; i++) {
            str_ent *e = &d[ord[i] & 0xffffffffu];
            if (i && e->slot < next)
                e->slot = (uint32_t)(next % bl->o.sid_slots);
            next = (uint64_t)e->slot + 1;
        }
        /* a wrap-around past the last slot could meet the first ones: only possible
         * with more domains than slots, which the caller's sid_slots rules out */
        free(ord);
    }
    bl->finished = true;
    return LF_OK;
oom:
    return lf_err_set(err, LF_ENOMEM, "out of memory");
}

/* ---- writers ---- */

typedef struct wr {
    lf_buf *b;
    int rc;
} wr;

static void put(wr *w, const char *s, size_t n)
{
    if (!w->rc)
        w->rc = lf_buf_append(w->b, s, n);
}

static void puts_(wr *w, const char *s)
{
    put(w, s, strlen(s));
}

static void put_u(wr *w, uint64_t v)
{
    char t[20];
    put(w, t, lf_u64_digits(v, t));
}

static void put_v4(wr *w, const v4_cidr *c, bool always_prefix)
{
    char t[20];
    size_t n = 0;
    for (int k = 3; k >= 0; k--) {
        unsigned v = (c->addr >> (k * 8)) & 0xff;
        if (v >= 100)
            t[n++] = (char)('0' + v / 100);
        if (v >= 10)
            t[n++] = (char)('0' + v / 10 % 10);
        t[n++] = (char)('0' + v % 10);
        if (k)
            t[n++] = '.';
    }
    put(w, t, n);
    if (c->prefix != 32 || always_prefix) {
        put(w, "/", 1);
        put_u(w, c->prefix);
    }
}

static void put_v6(wr *w, const v6_cidr *c, bool always_prefix)
{
    uint8_t b[16];
    u128 v = c->addr;
    for (int i = 15; i >= 0; i--) {
        b[i] = (uint8_t)v;
        v >>= 8;
    }
    /* RFC 5952: lower-case hex, no leading zeros, the longest run (first on a tie) of
     * two or more zero groups as "::"; inet_ntop would do, but it formats with sprintf */
    unsigned g[8];
    for (int i = 0; i < 8; i++)
        g[i] = (unsigned)b[2 * i] << 8 | b[2 * i + 1];
    int best = -1, bestn = 1;
    for (int i = 0; i < 8;) {
        if (g[i]) {
            i++;
            continue;
        }
        int j = i;
        while (j < 8 && !g[j])
            j++;
        if (j - i > bestn)
            best = i, bestn = j - i;
        i = j;
    }
    char t[48];
    size_t n = 0;
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 8; i++) {
        if (i == best) {
            t[n++] = ':';
            t[n++] = ':';
            i += bestn - 1;
            continue;
        }
        if (i && i != best + bestn)
            t[n++] = ':';
        bool lead = true;
        for (int sh = 12; sh >= 0; sh -= 4) {
            unsigned d = g[i] >> sh & 15;
            if (d || !lead || sh == 0) {
                t[n++] = hex[d];
                lead = false;
            }
        }
    }
    put(w, t, n);
    if (c->prefix != 128 || always_prefix) {
        put(w, "/", 1);
        put_u(w, c->prefix);
    }
}

static void write_strings(wr *w, const vec *v)
{
    const str_ent *e = v->p;
    for (size_t i = 0; i < v->n; i++) {
        put(w, e[i].s, e[i].n);
        put(w, "\n", 1);
    }
}

static void write_nft_set(wr *w, bool v6, const vec *v)
{
    puts_(w, v6 ? "\tset blocklist_v6 {\n\t\ttype ipv6_addr\n" : "\tset blocklist_v4 {\n\t\ttype ipv4_addr\n");
    puts_(w, "\t\tflags interval\n");
    if (v->n) {
        puts_(w, "\t\telements = {\n");
        for (size_t i = 0; i < v->n; i++) {
            puts_(w, "\t\t\t");
            if (v6)
                put_v6(w, &((const v6_cidr *)v->p)[i], false);
            else
                put_v4(w, &((const v4_cidr *)v->p)[i], false);
            puts_(w, i + 1 < v->n ? ",\n" : "\n");
        }
        puts_(w, "\t\t}\n");
    }
    puts_(w, "\t}\n");
}

/* One rule built in a local buffer and appended once: three rules per domain times a
 * few hundred thousand domains is where the writing time goes. */
static void write_rule(wr *w, const lf_blocklist *bl, const char *proto, const char *what, const char *buffer,
                       bool nocase, const str_ent *e, uint32_t sid)
{
    char t[1024];
    size_t n = 0;
#define CAT(p, len)                                                                                               \
    do {                                                                                                          \
        memcpy(t + n, p, len);                                                                                    \
        n += len;                                                                                                 \
    } while (0)
#define CATS(lit) CAT(lit, strlen(lit))
    CATS(bl->o.rule_action);
    CATS(" ");
    CATS(proto);
    CATS(" any any -> any any (msg:\"lianfang blocklist: ");
    CATS(what);
    CATS(" ");
    CAT(e->s, e->n);
    CATS(" (");
    CAT(e->msg, e->msgn);
    CATS(")\"; ");
    CATS(buffer);
    CATS("; dotprefix; content:\".");
    CAT(e->s, e->n);
    CATS(nocase ? "\"; nocase; endswith; sid:" : "\"; endswith; sid:");
#undef CATS
#undef CAT
    char d[12];
    size_t i = sizeof d;
    do {
        d[--i] = (char)('0' + sid % 10);
        sid /= 10;
    } while (sid);
    memcpy(t + n, d + i, sizeof d - i);
    n += sizeof d - i;
    memcpy(t + n, "; rev:1;)\n", 10);
    n += 10;
    put(w, t, n);
}

const char *lf_bl_format_file(lf_bl_format f)
{
    static const char *const names[LF_BL_NFORMATS] = {"ip.txt",     "domain.txt", "url.txt",        "hash.txt",
                                                      "blocklist.nft", "iprep.list", "categories.txt", "lianfang.rules"};
    return (unsigned)f < LF_BL_NFORMATS ? names[f] : "unknown";
}

bool lf_bl_type_parse(const char *s, lf_bl_type *out)
{
    static const struct {
        const char *name;
        lf_bl_type t;
    } tab[] = {{"ipv4", LF_BL_IPV4},     {"ipv4-addr", LF_BL_IPV4},  {"ipv6", LF_BL_IPV6},
               {"ipv6-addr", LF_BL_IPV6}, {"cidr", LF_BL_CIDR},       {"domain", LF_BL_DOMAIN},
               {"domain-name", LF_BL_DOMAIN}, {"url", LF_BL_URL},     {"hash", LF_BL_HASH},
               {"md5", LF_BL_HASH},       {"sha1", LF_BL_HASH},       {"sha256", LF_BL_HASH},
               {"sha512", LF_BL_HASH}};
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
        if (!strcmp(s, tab[i].name)) {
            *out = tab[i].t;
            return true;
        }
    return false;
}

int lf_blocklist_write(lf_blocklist *bl, lf_bl_format f, lf_buf *out, lf_err *err)
{
    int rc = lf_blocklist_finish(bl, err);
    if (rc)
        return rc;
    wr w = {out, 0};
    /* reserve about what will be written so a large list is not copied while growing */
    size_t est = 0;
    switch (f) {
    case LF_BL_FMT_IP: case LF_BL_FMT_NFT: case LF_BL_FMT_SURICATA_IPREP:
        est = bl->v4c.n * 26 + bl->v6c.n * 52 + 512;
        break;
    case LF_BL_FMT_DOMAIN: case LF_BL_FMT_URL: case LF_BL_FMT_HASH: {
        const vec *v = f == LF_BL_FMT_DOMAIN ? &bl->dom : f == LF_BL_FMT_URL ? &bl->url : &bl->hash;
        est = v->n ? v->n * (((const str_ent *)v->p)[0].n + 16) : 0;
        break;
    }
    case LF_BL_FMT_SURICATA_RULES:
        est = bl->dom.n * 3 * 260 + 512;
        break;
    default:
        break;
    }
    if (est && (!out->max || out->len + est < out->max))
        w.rc = lf_buf_reserve(out, est);
    const v4_cidr *c4 = bl->v4c.p;
    const v6_cidr *c6 = bl->v6c.p;
    switch (f) {
    case LF_BL_FMT_IP:
        for (size_t i = 0; i < bl->v4c.n; i++) {
            put_v4(&w, &c4[i], false);
            put(&w, "\n", 1);
        }
        for (size_t i = 0; i < bl->v6c.n; i++) {
            put_v6(&w, &c6[i], false);
            put(&w, "\n", 1);
        }
        break;
    case LF_BL_FMT_DOMAIN:
        write_strings(&w, &bl->dom);
        break;
    case LF_BL_FMT_URL:
        write_strings(&w, &bl->url);
        break;
    case LF_BL_FMT_HASH:
        write_strings(&w, &bl->hash);
        break;
    case LF_BL_FMT_NFT:
        puts_(&w, "#!/usr/sbin/nft -f\n# lianfang blocklist: load with nft -f; match with\n"
                  "#   ip daddr @blocklist_v4 drop / ip6 daddr @blocklist_v6 drop\n"
                  "table inet lianfang {\n");
        write_nft_set(&w, false, &bl->v4c);
        write_nft_set(&w, true, &bl->v6c);
        puts_(&w, "}\n");
        break;
    case LF_BL_FMT_SURICATA_IPREP:
        for (size_t i = 0; i < bl->v4c.n; i++) {
            put_v4(&w, &c4[i], false);
            puts_(&w, ",1,127\n");
        }
        for (size_t i = 0; i < bl->v6c.n; i++) {
            put_v6(&w, &c6[i], false);
            puts_(&w, ",1,127\n");
        }
        break;
    case LF_BL_FMT_SURICATA_CATEGORIES:
        puts_(&w, "1,");
        puts_(&w, bl->o.category);
        puts_(&w, ",lianfang approved blocklist\n");
        break;
    case LF_BL_FMT_SURICATA_RULES: {
        puts_(&w, bl->o.rule_action);
        puts_(&w, " ip any any -> any any (msg:\"lianfang blocklist: IP reputation ");
        puts_(&w, bl->o.category);
        puts_(&w, "\"; iprep:any,");
        puts_(&w, bl->o.category);
        puts_(&w, ",>,0; sid:");
        put_u(&w, bl->o.sid_base);
        puts_(&w, "; rev:1;)\n");
        const str_ent *d = bl->dom.p;
        for (size_t i = 0; i < bl->dom.n; i++) {
            uint32_t sid = bl->o.sid_base + 3 + d[i].slot * 3;
            write_rule(&w, bl, "dns", "DNS query for", "dns.query", true, &d[i], sid);
            write_rule(&w, bl, "tls", "TLS SNI", "tls.sni", true, &d[i], sid + 1);
            /* http.host is normalised to lower case: Suricata refuses nocase on it */
            write_rule(&w, bl, "http", "HTTP host", "http.host", false, &d[i], sid + 2);
        }
        break;
    }
    default:
        return lf_err_set(err, LF_EINVAL, "unknown blocklist format %d", (int)f);
    }
    if (w.rc)
        return lf_err_set(err, w.rc, w.rc == LF_ELIMIT ? "blocklist output over the buffer's limit" : "out of memory");
    return LF_OK;
}
