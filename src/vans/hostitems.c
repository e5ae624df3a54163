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
    memset(h, 0, sizeof(*h));
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
    return LF_OK;
}

/* A host lists hundreds of items, not millions: a linear scan for the duplicate is
 * cheap next to matching them. */
static int add(lf_hostitems *h, const lf_cpe *c, const char *raw, long line, bool superseded)
{
    for (size_t i = 0; i < h->n; i++)
        if (strcmp(h->raw[i], raw) == 0) {
            h->superseded[i] = h->superseded[i] || superseded;
            return LF_OK;
        }
    if (h->n == h->cap && grow(h))
        return LF_ENOMEM;
    char *r = strdup(raw);
    if (!r)
        return LF_ENOMEM;
    h->items[h->n] = *c;
    h->raw[h->n] = r;
    h->lines[h->n] = line;
    h->superseded[h->n] = superseded;
    h->n++;
    return LF_OK;
}

int lf_hostitems_add(lf_hostitems *h, const char *cpe, long line, bool superseded)
{
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
