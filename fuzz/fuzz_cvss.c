/*
 * fuzz_cvss: lf_cvss_parse on arbitrary bytes (src/vans/cvss.c, FIRST CVSS v2.0-v4.0).
 *
 * Invariants checked (trap on violation): a failure is LF_EPARSE with a message and
 * leaves no metrics behind; on success the score is 0..100, the severity is the band of
 * the score (v2: NVD's bands), the CVSS-B score is in range (and equals the score for
 * v2/v3), explain writes one line per metric, and format -> parse gives back the same
 * version, metrics and score, and formats to the same text again.
 */
#include <stdint.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "vans/cvss.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int band_ok(const lf_cvss *c)
{
    int s = c->score10;
    if (c->version == LF_CVSS_V2)
        return c->severity == (s < 40 ? LF_SEV_LOW : s < 70 ? LF_SEV_MEDIUM : LF_SEV_HIGH);
    if (s == 0)
        return c->severity == LF_SEV_NONE;
    if (s < 40)
        return c->severity == LF_SEV_LOW;
    if (s < 70)
        return c->severity == LF_SEV_MEDIUM;
    if (s < 90)
        return c->severity == LF_SEV_HIGH;
    return c->severity == LF_SEV_CRITICAL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lf_cvss c, d;
    lf_err e;
    lf_buf b1, b2, ex;

    lf_err_clear(&e);
    int rc = lf_cvss_parse(&c, (const char *)data, size, &e);
    if (rc != LF_OK) {
        if (rc != LF_EPARSE || e.code != LF_EPARSE || e.msg[0] == '\0' || c.nmetrics != 0)
            __builtin_trap();
        if (e.col < 1 || (size_t)e.col > size + 1)
            __builtin_trap();
        return 0;
    }
    if (c.score10 < 0 || c.score10 > 100 || !band_ok(&c))
        __builtin_trap();
    if (c.nmetrics < 6 || c.nmetrics > LF_CVSS_MAX_METRICS)
        __builtin_trap();
    int base = lf_cvss_base_score10(&c);
    if (base < 0 || base > 100 || (c.version != LF_CVSS_V40 && base != c.score10))
        __builtin_trap();

    lf_buf_init(&b1, 0);
    lf_buf_init(&b2, 0);
    lf_buf_init(&ex, 0);
    if (lf_cvss_explain(&c, &ex) != LF_OK)
        __builtin_trap();
    int lines = 0;
    for (size_t i = 0; i < ex.len; i++)
        lines += ex.data[i] == '\n';
    if (lines != c.nmetrics)
        __builtin_trap();

    if (lf_cvss_format(&c, &b1) != LF_OK || !b1.data)
        __builtin_trap();
    if (lf_cvss_parse(&d, b1.data, b1.len, &e) != LF_OK)
        __builtin_trap();
    if (d.version != c.version || d.score10 != c.score10 || d.severity != c.severity ||
        d.nmetrics != c.nmetrics)
        __builtin_trap();
    for (int i = 0; i < c.nmetrics; i++)
        if (strcmp(c.metric[i], d.metric[i]) != 0 || strcmp(c.value[i], d.value[i]) != 0)
            __builtin_trap();
    if (lf_cvss_format(&d, &b2) != LF_OK || b2.len != b1.len ||
        memcmp(b1.data, b2.data, b1.len) != 0)
        __builtin_trap();

    lf_buf_clear(&b1);
    lf_buf_clear(&b2);
    lf_buf_clear(&ex);
    return 0;
}
