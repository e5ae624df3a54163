/*
 * feed: shared import context (see feed.h).
 */
#include "feeds/feed.h"

#include <stdio.h>

#include <stdlib.h>
#include <string.h>

#include "core/file.h"

int lf_feed_import_file(lf_feed_ctx *c, const char *path, lf_feed_buffer_fn fn, lf_err *err)
{
    char *data = NULL;
    size_t len = 0;
    int rc = lf_file_read(path, 0, &data, &len, err);
    if (rc)
        return rc;
    rc = fn(c, path, data, len, err);
    free(data);
    return rc;
}

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

void lf_feed_reportv(lf_feed_ctx *c, const char *src, long line, const char *id, const char *field,
                     const char *fmt, va_list ap)
{
    if (!c)
        return;
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    lf_err e;
    lf_err_clear(&e);
    lf_err_set(&e, LF_EPARSE, "%s", msg);
    lf_err_at(&e, src, line, 0, field);
    lf_err_id(&e, id);
    lf_feed_error(c, &e);
}
