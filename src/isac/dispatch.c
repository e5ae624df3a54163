/*
 * dispatch: approved indicators to per-group blocklists (see dispatch.h).
 */
#include "isac/dispatch.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feeds/fetch.h"

bool lf_dispatch_bl_type(lf_stixpat_ioc_kind k, bool cidr, lf_bl_type *t)
{
    switch (k) {
    case LF_STIXPAT_IOC_IPV4: *t = cidr ? LF_BL_CIDR : LF_BL_IPV4; return true;
    case LF_STIXPAT_IOC_IPV6: *t = cidr ? LF_BL_CIDR : LF_BL_IPV6; return true;
    case LF_STIXPAT_IOC_DOMAIN: *t = LF_BL_DOMAIN; return true;
    case LF_STIXPAT_IOC_URL: *t = LF_BL_URL; return true;
    case LF_STIXPAT_IOC_MD5:
    case LF_STIXPAT_IOC_SHA1:
    case LF_STIXPAT_IOC_SHA256:
    case LF_STIXPAT_IOC_SHA512: *t = LF_BL_HASH; return true;
    default: return false;
    }
}

/* The generator's own validators, so a value that would be refused at every fetch is
 * refused once, at approval. */
static bool value_ok(lf_bl_type t, const char *v, size_t n)
{
    const char *why;
    char buf[4200];
    size_t outn;
    uint32_t a4;
    uint8_t a6[16];
    unsigned pfx;
    switch (t) {
    case LF_BL_IPV4: return lf_bl_parse_ipv4(v, n, &a4, &pfx, &why);
    case LF_BL_IPV6: return lf_bl_parse_ipv6(v, n, a6, &pfx, &why);
    case LF_BL_CIDR: return lf_bl_parse_ipv4(v, n, &a4, &pfx, &why) || lf_bl_parse_ipv6(v, n, a6, &pfx, &why);
    case LF_BL_DOMAIN: return lf_bl_norm_domain(v, n, buf, sizeof buf, &outn, &why);
    case LF_BL_URL: return n < sizeof buf && lf_bl_norm_url(v, n, buf, sizeof buf, &outn, &why);
    case LF_BL_HASH: return lf_bl_norm_hash(v, n, buf, sizeof buf, &outn, &why);
    }
    return false;
}

int lf_dispatch_extract(lf_arena *a, const lf_stix_obj *o, lf_dispatch_iocs *out, lf_err *err)
{
    memset(out, 0, sizeof *out);
    if (!o || !o->type || strcmp(o->type, "indicator") || !o->pat)
        return lf_err_set(err, LF_EINVAL, "%s is not an indicator with a STIX pattern", o && o->id ? o->id : "object");
    lf_stixpat_iocs iocs;
    int rc = lf_stixpat_iocs_get(a, o->pat, &iocs, err);
    if (rc)
        return rc;
    out->items = iocs.n ? lf_arena_alloc(a, iocs.n * sizeof *out->items) : NULL;
    if (iocs.n && !out->items)
        return lf_err_set(err, LF_ENOMEM, "indicator: out of memory");
    out->invalid = iocs.nrejected;
    for (size_t k = 0; k < iocs.n; k++) {
        const lf_stixpat_ioc *c = &iocs.items[k];
        lf_bl_type t;
        if (!lf_dispatch_bl_type(c->kind, c->cidr, &t)) {
            out->other++;
            continue;
        }
        if (!c->sufficient) {
            out->partial++;
            continue;
        }
        if (!value_ok(t, c->value, c->n)) {
            out->invalid++;
            continue;
        }
        bool dup = false;
        for (size_t j = 0; j < out->n && !dup; j++)
            dup = out->items[j].kind == (int)t && strlen(out->items[j].value) == c->n &&
                  !memcmp(out->items[j].value, c->value, c->n);
        if (dup)
            continue;
        char *v = lf_arena_strndup(a, c->value, c->n);
        if (!v)
            return lf_err_set(err, LF_ENOMEM, "indicator: out of memory");
        out->items[out->n].kind = (int)t;
        out->items[out->n].value = v;
        out->n++;
    }
    return LF_OK;
}

int lf_dispatch_extract_json(lf_arena *a, const char *json, size_t len, lf_dispatch_iocs *out, int64_t *valid_until,
                             lf_err *err)
{
    lf_stix_set set;
    *valid_until = 0;
    memset(out, 0, sizeof *out);
    int rc = lf_stix_read_buffer(a, json, len, &set, err);
    if (rc)
        return rc;
    if (set.nobjs != 1) {
        if (set.nproblems)
            return lf_err_set(err, LF_EINVAL, "the stored object is not valid STIX 2.1: %s: %s", set.problems[0].path,
                              set.problems[0].msg);
        return lf_err_set(err, LF_EINVAL, "the stored object is not a single STIX object");
    }
    const lf_stix_obj *o = &set.objs[0];
    int64_t ms;
    if (o->valid_until && lf_fetch_time_parse(o->valid_until, &ms) == LF_OK)
        *valid_until = ms / 1000 + (ms % 1000 > 0);
    return lf_dispatch_extract(a, o, out, err);
}

static const struct {
    const char *name, *ctype;
    lf_bl_format f;
} formats[] = {
    {"ip.txt", "text/plain; charset=utf-8", LF_BL_FMT_IP},
    {"domain.txt", "text/plain; charset=utf-8", LF_BL_FMT_DOMAIN},
    {"url.txt", "text/plain; charset=utf-8", LF_BL_FMT_URL},
    {"hash.txt", "text/plain; charset=utf-8", LF_BL_FMT_HASH},
    {"nftables.nft", "text/plain; charset=utf-8", LF_BL_FMT_NFT},
    {"suricata.rules", "text/plain; charset=utf-8", LF_BL_FMT_SURICATA_RULES},
    {"iprep.list", "text/plain; charset=utf-8", LF_BL_FMT_SURICATA_IPREP},
    {"categories.txt", "text/plain; charset=utf-8", LF_BL_FMT_SURICATA_CATEGORIES},
};

bool lf_dispatch_format(const char *name, lf_bl_format *f, const char **ctype)
{
    for (size_t i = 0; name && i < sizeof formats / sizeof formats[0]; i++)
        if (!strcmp(name, formats[i].name)) {
            *f = formats[i].f;
            if (ctype)
                *ctype = formats[i].ctype;
            return true;
        }
    return false;
}

const char *lf_dispatch_format_name(lf_bl_format f)
{
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (formats[i].f == f)
            return formats[i].name;
    return NULL;
}

void lf_dispatch_version(const void *data, size_t n, char out[LF_DISPATCH_VERSION_SIZE])
{
    uint64_t h = 0xcbf29ce484222325ULL;
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    snprintf(out, LF_DISPATCH_VERSION_SIZE, "%016llx", (unsigned long long)h);
}

/* Which simple indicator kinds a format is made of, as the range lo..hi of lf_bl_type
 * (the IP kinds come first, then domains, so every format's kinds are contiguous): the
 * store reads only those rows. false: none (the categories file). */
static bool format_kinds(lf_bl_format f, int *lo, int *hi)
{
    switch (f) {
    case LF_BL_FMT_IP:
    case LF_BL_FMT_NFT:
    case LF_BL_FMT_SURICATA_IPREP: *lo = LF_BL_IPV4, *hi = LF_BL_CIDR; return true;
    case LF_BL_FMT_DOMAIN: *lo = *hi = LF_BL_DOMAIN; return true;
    case LF_BL_FMT_URL: *lo = *hi = LF_BL_URL; return true;
    case LF_BL_FMT_HASH: *lo = *hi = LF_BL_HASH; return true;
    case LF_BL_FMT_SURICATA_RULES: *lo = LF_BL_IPV4, *hi = LF_BL_DOMAIN; return true;
    case LF_BL_FMT_SURICATA_CATEGORIES: return false;
    }
    return false;
}

typedef struct build_ctx {
    lf_blocklist *bl;
    int lo, hi;
    size_t rows;
    int64_t next_expiry;
    lf_err *err;
} build_ctx;

static int build_row(void *ud, const lf_store_isac_bl_row *r)
{
    build_ctx *x = ud;
    if (r->kind < x->lo || r->kind > x->hi)
        return LF_OK;
    x->rows++;
    if (r->expires < x->next_expiry)
        x->next_expiry = r->expires;
    lf_bl_indicator ind = {r->stix_id, r->value, (lf_bl_type)r->kind, r->expires, r->source ? r->source : "unknown",
                           (lf_stix_tlp)r->tlp};
    int rc = lf_blocklist_add(x->bl, &ind, x->err);
    /* values were validated at approval; a refused one is counted by the generator */
    return rc == LF_EPARSE ? LF_OK : rc;
}

int lf_dispatch_build(lf_store *s, lf_id group, lf_id fetcher, int64_t now, const lf_bl_opts *opts, lf_bl_format f,
                      lf_buf *out, lf_dispatch_report *r, lf_err *err)
{
    lf_bl_opts o = {0};
    if (opts)
        o = *opts;
    o.now = now;
    memset(r, 0, sizeof *r);
    lf_blocklist *bl = NULL;
    int rc = lf_blocklist_new(&o, &bl, err);
    if (rc)
        return rc;
    build_ctx x = {bl, 0, -1, 0, INT64_MAX, err};
    size_t start = out->len;
    if (format_kinds(f, &x.lo, &x.hi) &&
        (rc = lf_store_isac_bl_each(s, group, fetcher, now, x.lo, x.hi, build_row, &x, err)))
        goto done;
    if ((rc = lf_blocklist_write(bl, f, out, err)))
        goto done;
    r->rows = x.rows;
    r->next_expiry = x.next_expiry;
    r->stats = *lf_blocklist_stats_borrow(bl);
    lf_dispatch_version(out->data ? out->data + start : "", out->len - start, r->version);
done:
    lf_blocklist_free(bl);
    return rc;
}

/* ---------------------------------------------------------------- the list cache */

/* One built list; pub first so a const lf_dispatch_list * is one of these. */
typedef struct cache_body {
    lf_dispatch_list pub;
    lf_buf buf;
    atomic_uint refs;   /* table entries + fetches holding it: put needs no cache */
    unsigned entries;   /* table entries (under the cache's mutex): its bytes count while > 0 */
} cache_body;

typedef struct cache_ent {
    lf_id group, fetcher;
    lf_bl_format f;
    uint64_t stamp;     /* the group's change counter the list was built at */
    int64_t built;      /* the now it was built for: a clock set back rebuilds */
    uint64_t used;      /* tick of the last hit */
    cache_body *body;
} cache_ent;

struct lf_dispatch_cache {
    pthread_mutex_t mu;
    size_t max_bytes, bytes;
    uint64_t tick;
    cache_ent *ents;
    size_t n, cap;
};

int lf_dispatch_cache_new(size_t max_bytes, lf_dispatch_cache **out, lf_err *err)
{
    *out = NULL;
    lf_dispatch_cache *c = calloc(1, sizeof *c);
    if (!c)
        return lf_err_set(err, LF_ENOMEM, "blocklist cache: out of memory");
    if (pthread_mutex_init(&c->mu, NULL)) {
        free(c);
        return lf_err_set(err, LF_ENOMEM, "blocklist cache: no mutex");
    }
    c->max_bytes = max_bytes;
    *out = c;
    return LF_OK;
}

static void body_unref(cache_body *b)
{
    if (b && atomic_fetch_sub(&b->refs, 1) == 1) {
        lf_buf_clear(&b->buf);
        free(b);
    }
}

/* Drop entry i from the table. mu held. */
static void ent_drop(lf_dispatch_cache *c, size_t i)
{
    cache_body *b = c->ents[i].body;
    if (--b->entries == 0)
        c->bytes -= b->pub.len;
    body_unref(b);
    c->ents[i] = c->ents[--c->n];
}

void lf_dispatch_cache_free(lf_dispatch_cache *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&c->mu);
    while (c->n)
        ent_drop(c, c->n - 1);
    pthread_mutex_unlock(&c->mu);
    pthread_mutex_destroy(&c->mu);
    free(c->ents);
    free(c);
}

void lf_dispatch_list_put(const lf_dispatch_list *l)
{
    body_unref((cache_body *)(uintptr_t)l);   /* handed out const; pub is the first member */
}

void lf_dispatch_cache_usage(lf_dispatch_cache *c, size_t *lists, size_t *bytes)
{
    pthread_mutex_lock(&c->mu);
    *lists = c->n;
    *bytes = c->bytes;
    pthread_mutex_unlock(&c->mu);
}

static cache_ent *ent_find(lf_dispatch_cache *c, lf_id group, lf_id fetcher, lf_bl_format f)
{
    for (size_t i = 0; i < c->n; i++)
        if (c->ents[i].group == group && c->ents[i].fetcher == fetcher && c->ents[i].f == f)
            return &c->ents[i];
    return NULL;
}

/* Keep body b (one reference owned by the caller, which it keeps) under the key, sharing
 * an identical list another fetcher already has (same text, rows and next expiry, so it
 * goes stale exactly when b would). Returns the body to hand out (b, or the
 * shared one with b released). mu held. */
static cache_body *ent_put(lf_dispatch_cache *c, lf_id group, lf_id fetcher, lf_bl_format f, uint64_t stamp,
                           int64_t built, cache_body *b)
{
    cache_ent *e = ent_find(c, group, fetcher, f);
    if (e)
        ent_drop(c, (size_t)(e - c->ents));
    for (size_t i = 0; i < c->n; i++) {
        cache_body *o = c->ents[i].body;
        if (c->ents[i].group == group && c->ents[i].f == f && c->ents[i].stamp == stamp &&
            o->pub.report.next_expiry == b->pub.report.next_expiry && o->pub.report.rows == b->pub.report.rows &&
            o->pub.len == b->pub.len && !strcmp(o->pub.report.version, b->pub.report.version) &&
            !memcmp(o->pub.data, b->pub.data, b->pub.len)) {
            body_unref(b);
            b = o;
            b->refs++;            /* the caller's */
            break;
        }
    }
    if (b->entries == 0 && b->pub.len > c->max_bytes)
        return b;                 /* too large to keep */
    if (b->entries == 0)
        while (c->n && c->bytes + b->pub.len > c->max_bytes) {
            size_t lru = 0;
            for (size_t i = 1; i < c->n; i++)
                if (c->ents[i].used < c->ents[lru].used)
                    lru = i;
            ent_drop(c, lru);
        }
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 16;
        cache_ent *v = realloc(c->ents, cap * sizeof *v);
        if (!v)
            return b;             /* not kept: served all the same */
        c->ents = v;
        c->cap = cap;
    }
    if (b->entries++ == 0)
        c->bytes += b->pub.len;
    b->refs++;
    c->ents[c->n++] = (cache_ent){group, fetcher, f, stamp, built, ++c->tick, b};
    return b;
}

int lf_dispatch_cache_get(lf_dispatch_cache *c, lf_store *s, lf_id group, lf_id fetcher, int64_t now, lf_bl_format f,
                          const lf_dispatch_list **out, bool *hit, lf_err *err)
{
    *out = NULL;
    if (hit)
        *hit = false;
    /* the stamp before the rows: a change landing in between leaves a newer list under
     * an older stamp, which the next fetch rebuilds; never the other way round */
    uint64_t stamp;
    int rc = lf_store_isac_bl_stamp(s, group, &stamp, err);
    if (rc)
        return rc;
    pthread_mutex_lock(&c->mu);
    cache_ent *e = ent_find(c, group, fetcher, f);
    if (e && e->stamp == stamp && now >= e->built && now < e->body->pub.report.next_expiry) {
        e->used = ++c->tick;
        e->body->refs++;
        *out = &e->body->pub;
        pthread_mutex_unlock(&c->mu);
        if (hit)
            *hit = true;
        return LF_OK;
    }
    pthread_mutex_unlock(&c->mu);
    /* built outside the lock: two fetches missing together both build, the later is kept */
    cache_body *b = calloc(1, sizeof *b);
    if (!b)
        return lf_err_set(err, LF_ENOMEM, "blocklist cache: out of memory");
    lf_buf_init(&b->buf, 0);
    atomic_init(&b->refs, 1);
    if ((rc = lf_dispatch_build(s, group, fetcher, now, NULL, f, &b->buf, &b->pub.report, err))) {
        body_unref(b);
        return rc;
    }
    b->pub.data = b->buf.data ? b->buf.data : "";
    b->pub.len = b->buf.len;
    pthread_mutex_lock(&c->mu);
    b = ent_put(c, group, fetcher, f, stamp, now, b);
    pthread_mutex_unlock(&c->mu);
    *out = &b->pub;
    return LF_OK;
}
