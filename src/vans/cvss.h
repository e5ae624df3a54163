/*
 * cvss: CVSS vector strings, base scores and severities for v2.0, v3.0, v3.1 and v4.0
 * (FIRST specifications: v2.0 §3.2.1 base equation; v3.0 §8.1 and v3.1 §7.1 base
 * equations with their own Roundup; v4.0 score through the MacroVector lookup of §8).
 *
 * Ownership: lf_cvss is plain caller storage; nothing inside needs freeing.
 */
#ifndef LF_VANS_CVSS_H
#define LF_VANS_CVSS_H

#include <stddef.h>

#include "core/buf.h"
#include "core/err.h"

typedef enum {
    LF_CVSS_V2 = 20,
    LF_CVSS_V30 = 30,
    LF_CVSS_V31 = 31,
    LF_CVSS_V40 = 40
} lf_cvss_version;

typedef enum {
    LF_SEV_NONE = 0,
    LF_SEV_LOW,
    LF_SEV_MEDIUM,
    LF_SEV_HIGH,
    LF_SEV_CRITICAL
} lf_cvss_severity;

#define LF_CVSS_MAX_METRICS 40

typedef struct lf_cvss {
    lf_cvss_version version;
    int score10;                   /* base score x 10, 0..100 (exact: no float drift) */
    lf_cvss_severity severity;     /* v2: NVD's Low/Medium/High bands; v3/v4: spec table */
    int nmetrics;
    char metric[LF_CVSS_MAX_METRICS][5];   /* metric abbreviations in vector order: "AV" */
    char value[LF_CVSS_MAX_METRICS][6];    /* their values: "N", "POC" (v2), "Amber" (v4 U) */
} lf_cvss;

/*
 * Parse and score a vector: "CVSS:3.1/AV:N/...", "CVSS:3.0/...", "CVSS:4.0/...", or v2
 * "AV:N/AC:L/Au:N/C:P/I:P/A:P" (optionally in parentheses, or with a "CVSS:2.0/"
 * prefix). Base metrics are required, each once; temporal/environmental/threat/
 * supplemental metrics are accepted and validated, and only the base score is computed
 * (v4: the CVSS-B score, with threat/environmental metrics taken into account if given,
 * as the spec's MacroVector scoring does).
 * On failure LF_EPARSE with err->field = the metric, err->col = position, and a message
 * naming what was wrong (unknown metric, bad value, duplicate, missing required metric).
 */
int lf_cvss_parse(lf_cvss *out, const char *vec, size_t n, lf_err *err);

/*
 * Score from the base metrics alone, x 10: for v4 the CVSS-B score (threat and
 * environmental metrics ignored, as CVE 5 `cvssV4_0.baseScore` is often stated); for
 * v2/v3 the same as score10. LF_EINVAL when c does not hold a valid parsed vector.
 */
int lf_cvss_base_score10(const lf_cvss *c);

/* Append the canonical vector string of c ("CVSS:3.1/AV:N/...", v2 without prefix or
 * parentheses), metrics in the order they were parsed. LF_EINVAL on an invalid c. */
int lf_cvss_format(const lf_cvss *c, lf_buf *out);

/* "2.0", "3.0", "3.1", "4.0" */
const char *lf_cvss_version_name(lf_cvss_version v);
/* "NONE", "LOW", "MEDIUM", "HIGH", "CRITICAL" */
const char *lf_cvss_severity_name(lf_cvss_severity s);
/* Severity band of a v3/v4 score10 (v2 uses its own bands: pass LF_CVSS_V2). */
lf_cvss_severity lf_cvss_severity_of(lf_cvss_version v, int score10);

/* Append a plain-English explanation, one line per metric: "Attack Vector (AV): Network". */
int lf_cvss_explain(const lf_cvss *c, lf_buf *out);

#endif
