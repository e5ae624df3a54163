/*
 * feed: shared import context (see feed.h).
 */
#include "feeds/feed.h"

#include <string.h>

void lf_feed_ctx_init(lf_feed_ctx *c, lf_vdb_builder *b)
{
    memset(c, 0, sizeof(*c));
    c->builder = b;
}

void lf_feed_error(lf_feed_ctx *c, const lf_err *e)
{
    c->report.errors++;
    if (c->on_error)
        c->on_error(c->ud, e);
}

void lf_feed_count(lf_feed_ctx *c, lf_put_result r)
{
    switch (r) {
    case LF_PUT_ADDED: c->report.added++; break;
    case LF_PUT_REPLACED: c->report.replaced++; break;
    case LF_PUT_UNCHANGED: c->report.unchanged++; break;
    case LF_PUT_STALE: c->report.stale++; break;
    case LF_PUT_REMOVED: c->report.removed++; break;
    case LF_PUT_REJECTED_NEW: c->report.rejected_new++; break;
    }
}
