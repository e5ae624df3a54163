/*
 * kev: reader of CISA's Known Exploited Vulnerabilities catalog (JSON, schema
 * known_exploited_vulnerabilities_schema.json). The catalog is always published whole,
 * so an import replaces the stored catalog.
 */
#ifndef LF_FEEDS_KEV_H
#define LF_FEEDS_KEV_H

#include "feeds/feed.h"

int lf_kev_import_file(lf_feed_ctx *c, const char *path, lf_err *err);
int lf_kev_import_buffer(lf_feed_ctx *c, const char *name, const char *data, size_t len, lf_err *err);

#endif
