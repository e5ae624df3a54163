/*
 * strmap: a string → uint32 hash map (open addressing, lf_hash64) for dictionaries that are
 * built once and read many times (name aliases, publishers, policy lists). Keys are
 * byte strings with a length (no NUL needed) copied into the caller's arena.
 *
 * Ownership: the table is owned by the lf_strmap (lf_strmap_clear frees it); keys live in
 * the arena passed to lf_strmap_put and must outlive the map.
 */
#ifndef LF_CORE_STRMAP_H
#define LF_CORE_STRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"

typedef struct lf_strmap_slot {
    const char *k;
    uint32_t n, h, v;
} lf_strmap_slot;

typedef struct lf_strmap {
    lf_strmap_slot *s;
    size_t cap, n;
} lf_strmap;

uint32_t lf_strmap_hash(const char *s, size_t n);   /* never 0 */
void lf_strmap_clear(lf_strmap *m);
/* Empty the map, keeping its table for the next use (the keys' arena is the caller's). */
void lf_strmap_reset(lf_strmap *m);
/* The slot of k, or NULL. */
lf_strmap_slot *lf_strmap_find(const lf_strmap *m, const char *k, size_t n);
/* Insert k with value v unless present; *slot is its slot either way, *existing tells
 * which. LF_OK or LF_ENOMEM. */
int lf_strmap_put(lf_strmap *m, lf_arena *a, const char *k, size_t n, uint32_t v, lf_strmap_slot **slot,
                  bool *existing);

#endif
