/*
 * policy: flags software the government does not allow, whatever its CVEs:
 *   banned      products of security concern (data/intake/policy/banned.tsv, e.g. the
 *               Executive Yuan's restriction of mainland-China brand ICT products);
 *   unofficial  non-official software categories (data/intake/policy/unofficial.tsv:
 *               games, P2P, unapproved remote control, proxies, miners ...).
 * Both are editable starter lists (format in data/intake/README.md). An entry matches
 * by CPE vendor, by vendor:product, or by folded software name (the whole name key, or
 * its first words).
 *
 * Ownership: lf_policy owns its entries; lf_policy_check results borrow from it.
 */
#ifndef LF_INTAKE_POLICY_H
#define LF_INTAKE_POLICY_H

#include <stddef.h>

#include "core/err.h"
#include "intake/namedb.h"
#include "intake/normalize.h"

typedef enum { LF_POLICY_BANNED = 0, LF_POLICY_UNOFFICIAL = 1 } lf_policy_kind;

typedef struct lf_policy_hit {
    lf_policy_kind kind;
    const char *category;     /* "banned", or the unofficial category ("p2p", ...) */
    const char *match;        /* "vendor", "product", "name" */
    const char *value;        /* the entry as written */
    const char *reason;       /* the file's reason / note ("" when none) */
} lf_policy_hit;

typedef struct lf_policy lf_policy;

int lf_policy_new(lf_policy **out, lf_err *err);
void lf_policy_free(lf_policy *p);
/* Load dir/banned.tsv and dir/unofficial.tsv (either may be missing); malformed lines go
 * to warn with file and line. */
int lf_policy_load_dir(lf_policy *p, lf_norm *norm, const char *dir, lf_namedb_warn_fn warn, void *ud, lf_err *err);
size_t lf_policy_count(const lf_policy *p);

/* Entries that match (vendor and product plain, may be NULL; name_key folded as by
 * lf_norm_key FULL). Fills up to max hits, returns how many matched. */
size_t lf_policy_check(const lf_policy *p, const char *vendor, const char *product, const char *name_key,
                       lf_policy_hit *hits, size_t max);

#endif
