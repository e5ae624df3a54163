/*
 * inv: what every inventory reader shares beyond the record type (see inv.h).
 */
#include "intake/inv.h"

#include <stdio.h>

void lf_inv_vreject(const lf_inv_sink *sink, lf_inv_counts *counts, const char *src, long line, const char *field,
                    const char *fmt, va_list ap)
{
    if (counts)
        counts->rejected++;
    if (!sink || !sink->reject)
        return;
    char msg[400];
    vsnprintf(msg, sizeof msg, fmt, ap);
    lf_err e;
    lf_err_clear(&e);
    lf_err_set(&e, LF_EPARSE, "%s", msg);
    lf_err_at(&e, src, line, 0, field);
    sink->reject(sink->ud, &e);
}

void lf_inv_reject(const lf_inv_sink *sink, lf_inv_counts *counts, const char *src, long line, const char *field,
                   const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    lf_inv_vreject(sink, counts, src, line, field, fmt, ap);
    va_end(ap);
}
