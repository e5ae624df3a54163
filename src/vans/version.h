/*
 * version: ordering of software version strings as they appear in NVD criteria and
 * agency inventories (not a distribution's own order: dpkg/rpm orders live in their own
 * modules). The rules are documented in full below and tested in
 * tests/unit/vans/test_version.c.
 *
 * RULES (the helper implementing this module documents them here)
 *
 * Both functions are total and consistent: for any a, b
 *     sign(lf_version_cmp(a, b)) == sign(memcmp of lf_version_key(a) vs lf_version_key(b))
 * (memcmp over the common prefix, then the shorter key first), so the index can store
 * keys and compare ranges with memcmp.
 */
#ifndef LF_VANS_VERSION_H
#define LF_VANS_VERSION_H

#include <stdbool.h>
#include <stddef.h>

#define LF_VERSION_MAX     128   /* only the first 128 bytes of a version take part */
#define LF_VERSION_KEY_MAX 512   /* a key never needs more than this */

/* <0, 0, >0. NULL and "" compare as the empty version (lowest). */
int lf_version_cmp(const char *a, const char *b);
int lf_version_ncmp(const char *a, size_t an, const char *b, size_t bn);

/* Write a memcmp-orderable key into out (cap >= LF_VERSION_KEY_MAX is always enough).
 * Returns its length. */
size_t lf_version_key(const char *v, size_t n, unsigned char *out, size_t cap);

/* False for strings that cannot be placed in an order against a range: empty, "*",
 * "-", "n/a", a bare VCS commit hash (7+ hex chars with a letter), and text with no
 * digit at all. Used to send an item to "needs review" instead of guessing. */
bool lf_version_orderable(const char *v, size_t n);

#endif
