/*
 * hostitems: one host's matcher items (see hostitems.h).
 */
#include "vans/hostitems.h"

#include <stdlib.h>
#include <string.h>

#include "core/err.h"

void lf_hostitems_init(lf_hostitems *h)
{
    memset(h, 0, sizeof(*h));
}

void lf_hostitems_clear(lf_hostitems *h)
{
    for (size_t i = 0; i < h->n; i++)
        free(h->raw[i]);
    free(h->items);
    free(h->raw);
    free(h->lines);
    free(h->superseded);
    free(h->slot);
    memset(h, 0, sizeof(*h));
}

static size_t raw_hash(const char *s)
{
    uint64_t x = 0xcbf29ce484222325ull;   /* FNV-1a */
    for (; *s; s++)
        x = (x ^ (unsigned char)*s) * 0x100000001b3ull;
    return (size_t)(x ^ (x >> 29));
}

/* The slot of raw: its item's or the empty one where it would go. */
static size_t find(const lf_hostitems *h, const char *raw)
{
    size_t mask = h->nslot - 1, i = raw_hash(raw) & mask;
    while (h->slot[i] && strcmp(h->raw[h->slot[i] - 1], raw) != 0)
        i = (i + 1) & mask;
    return i;
}

static int rehash(lf_hostitems *h, size_t nslot)
{
    uint32_t *ns = calloc(nslot, sizeof(*ns));
    if (!ns)
        return LF_ENOMEM;
    free(h->slot);
    h->slot = ns;
    h->nslot = nslot;
    for (size_t k = 0; k < h->n; k++)
        h->slot[find(h, h->raw[k])] = (uint32_t)(k + 1);
    return LF_OK;
}

static int grow(lf_hostitems *h)
{
    size_t nc = h->cap ? h->cap * 2 : 64;
    lf_cpe *ni = realloc(h->items, nc * sizeof(*ni));
    if (!ni)
        return LF_ENOMEM;
    h->items = ni;
    char **nr = realloc(h->raw, nc * sizeof(*nr));
    if (!nr)
        return LF_ENOMEM;
    h->raw = nr;
    long *nl = realloc(h->lines, nc * sizeof(*nl));
    if (!nl)
        return LF_ENOMEM;
    h->lines = nl;
    bool *ns = realloc(h->superseded, nc * sizeof(*ns));
    if (!ns)
        return LF_ENOMEM;
    h->superseded = ns;
    h->cap = nc;
    return rehash(h, nc * 2);
}

/* The item already there for raw (its superseded flag updated): true. A Linux server
 * lists thousands of packages, so duplicates are found through a hash index, not a scan
 * (uploads call this for every record). */
static bool known(lf_hostitems *h, const char *raw, bool superseded)
{
    if (!h->nslot)
        return false;
    uint32_t s = h->slot[find(h, raw)];
    if (!s)
        return false;
    h->superseded[s - 1] = h->superseded[s - 1] || superseded;
    return true;
}

static int add(lf_hostitems *h, const lf_cpe *c, const char *raw, long line, bool superseded)
{
    if (known(h, raw, superseded))
        return LF_OK;
    if (h->n == h->cap && grow(h))
        return LF_ENOMEM;
    char *r = strdup(raw);
    if (!r)
        return LF_ENOMEM;
    h->items[h->n] = *c;
    h->raw[h->n] = r;
    h->lines[h->n] = line;
    h->superseded[h->n] = superseded;
    h->slot[find(h, r)] = (uint32_t)(h->n + 1);
    h->n++;
    return LF_OK;
}

int lf_hostitems_add(lf_hostitems *h, const char *cpe, long line, bool superseded)
{
    if (known(h, cpe, superseded))
        return LF_OK;   /* no second parse of a name already on the host */
    lf_cpe c;
    if (lf_cpe_parse(&c, cpe, strlen(cpe), NULL) != LF_OK)
        return LF_OK;   /* the resolver only writes valid names; a bad one is not matched */
    return add(h, &c, cpe, line, superseded);
}

int lf_hostitems_add_cpe(lf_hostitems *h, const lf_cpe *c, long line, bool superseded)
{
    char raw[LF_CPE_FS_BUF];
    if (lf_cpe_format_fs(c, raw, sizeof raw) != LF_OK)
        return LF_OK;
    return add(h, c, raw, line, superseded);
}
