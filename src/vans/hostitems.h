/*
 * hostitems: the items of one host as the matcher takes them, collected from inventory
 * records. Several records may name one product (openssl and libssl3 resolve to the
 * same CPE): an item is kept once, at the line that named it first. A distribution
 * package matched through its own advisories keeps its upstream CPE on the host for the
 * explanation but marks it superseded (see lf_osv_item_cpe and docs/design.md): the
 * caller reports no finding from a superseded item's hits.
 *
 * Ownership: the set owns its arrays and the copies of the raw names; _init/_clear.
 */
#ifndef LF_VANS_HOSTITEMS_H
#define LF_VANS_HOSTITEMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vans/cpe.h"

typedef struct lf_hostitems {
    lf_cpe *items;
    char **raw;          /* formatted CPE of each item (what reports print) */
    long *lines;         /* inventory line that named it first */
    bool *superseded;
    size_t n, cap;
    uint32_t *slot;      /* open-addressing index of raw: item index + 1, 0 = empty */
    size_t nslot;        /* a power of two, at least 2 * cap */
} lf_hostitems;

void lf_hostitems_init(lf_hostitems *h);
void lf_hostitems_clear(lf_hostitems *h);
/* Add a CPE given as a formatted string (parsed; an invalid one is ignored: LF_OK, not
 * added) or as a parsed name. An item already present is not added again; its
 * superseded flag is then set when this record's is. LF_OK or LF_ENOMEM. */
int lf_hostitems_add(lf_hostitems *h, const char *cpe, long line, bool superseded);
int lf_hostitems_add_cpe(lf_hostitems *h, const lf_cpe *c, long line, bool superseded);

#endif
