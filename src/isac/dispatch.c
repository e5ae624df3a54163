/*
 * dispatch: approved indicators to per-group blocklists (see dispatch.h).
 */
#include "isac/dispatch.h"

#include <stdio.h>
#include <string.h>

#include "feeds/fetch.h"

static bool bl_type_of(lf_stixpat_ioc_kind k, bool cidr, lf_bl_type *t)
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
        if (!bl_type_of(c->kind, c->cidr, &t)) {
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

/* Which simple indicator kinds a format is made of: the others need not be read. */
static bool format_wants(lf_bl_format f, lf_bl_type t)
{
    bool ip = t == LF_BL_IPV4 || t == LF_BL_IPV6 || t == LF_BL_CIDR;
    switch (f) {
    case LF_BL_FMT_IP:
    case LF_BL_FMT_NFT:
    case LF_BL_FMT_SURICATA_IPREP: return ip;
    case LF_BL_FMT_DOMAIN: return t == LF_BL_DOMAIN;
    case LF_BL_FMT_URL: return t == LF_BL_URL;
    case LF_BL_FMT_HASH: return t == LF_BL_HASH;
    case LF_BL_FMT_SURICATA_RULES: return ip || t == LF_BL_DOMAIN;
    case LF_BL_FMT_SURICATA_CATEGORIES: return false;
    }
    return false;
}

typedef struct build_ctx {
    lf_blocklist *bl;
    lf_bl_format f;
    size_t rows;
    lf_err *err;
} build_ctx;

static int build_row(void *ud, const lf_store_isac_bl_row *r)
{
    build_ctx *x = ud;
    if (r->kind < LF_BL_IPV4 || r->kind > LF_BL_HASH || !format_wants(x->f, (lf_bl_type)r->kind))
        return LF_OK;
    x->rows++;
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
    build_ctx x = {bl, f, 0, err};
    size_t start = out->len;
    if ((rc = lf_store_isac_bl_each(s, group, fetcher, now, build_row, &x, err)))
        goto done;
    if ((rc = lf_blocklist_write(bl, f, out, err)))
        goto done;
    r->rows = x.rows;
    r->stats = *lf_blocklist_stats_borrow(bl);
    lf_dispatch_version(out->data ? out->data + start : "", out->len - start, r->version);
done:
    lf_blocklist_free(bl);
    return rc;
}
