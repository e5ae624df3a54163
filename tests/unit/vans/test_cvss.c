/*
 * Tests for src/vans/cvss.c: CVSS v2.0/v3.0/v3.1/v4.0 vector parsing, base scores and
 * severities against specification examples, the reference calculator's published
 * results and every metric of the shared real NVD, CVE 5 and CSAF records (as TSV
 * fixtures made by scripts/extract_cvss_fixture.py), plus strict-parsing errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/err.h"
#include "vans/cvss.h"

typedef struct {
    const char *vec;
    int score10;
    lf_cvss_severity sev;
    const char *why; /* where the expected value comes from */
} known;

static void check_known(const known *k, size_t n, lf_cvss_version want_version)
{
    for (size_t i = 0; i < n; i++) {
        lf_cvss c;
        lf_err e;
        lf_err_clear(&e);
        int rc = lf_cvss_parse(&c, k[i].vec, strlen(k[i].vec), &e);
        if (rc != LF_OK)
            fail_msg("%s: %s (%s)", k[i].vec, e.msg, k[i].why);
        if (c.version != want_version || c.score10 != k[i].score10 || c.severity != k[i].sev)
            fail_msg("%s: got v%s %d %s, want %d %s (%s)", k[i].vec,
                     lf_cvss_version_name(c.version), c.score10,
                     lf_cvss_severity_name(c.severity), k[i].score10,
                     lf_cvss_severity_name(k[i].sev), k[i].why);
    }
}

/* CVSS v2 spec examples and NVD forms (parentheses, prefix, temporal/environmental). */
static void test_cvss_v2_known_vectors(void **state)
{
    (void)state;
    static const known k[] = {
        /* CVSS v2 Complete Guide §3.3 worked examples */
        {"AV:N/AC:L/Au:N/C:N/I:N/A:C", 78, LF_SEV_HIGH, "v2 guide §3.3.1 CVE-2002-0392"},
        {"AV:N/AC:L/Au:N/C:C/I:C/A:C", 100, LF_SEV_HIGH, "v2 guide §3.3.2 CVE-2003-0818"},
        {"AV:L/AC:H/Au:N/C:C/I:C/A:C", 62, LF_SEV_MEDIUM, "v2 guide §3.3.3 CVE-2003-0062"},
        {"AV:N/AC:L/Au:N/C:N/I:N/A:C/E:F/RL:OF/RC:C", 78, LF_SEV_HIGH,
         "v2 guide §3.3.1 with its temporal vector: base unchanged"},
        {"AV:N/AC:L/Au:N/C:N/I:N/A:C/E:F/RL:OF/RC:C/CDP:H/TD:H/CR:M/IR:M/AR:H", 78,
         LF_SEV_HIGH, "v2 guide §3.3.1 with environmental metrics"},
        {"(AV:N/AC:L/Au:N/C:P/I:P/A:P)", 75, LF_SEV_HIGH, "NVD legacy parenthesised form"},
        {"CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P", 75, LF_SEV_HIGH, "explicit 2.0 prefix"},
        /* NVD records (data/nvd) */
        {"AV:N/AC:M/Au:N/C:N/I:P/A:N", 43, LF_SEV_MEDIUM, "NVD CVE-2012-6708"},
        {"AV:N/AC:M/Au:N/C:C/I:C/A:C", 93, LF_SEV_HIGH, "NVD CVE-2017-0144"},
        {"AV:N/AC:M/Au:N/C:P/I:N/A:N", 43, LF_SEV_MEDIUM, "NVD CVE-2016-1897"},
        /* band edges and the zero-impact case */
        {"AV:N/AC:L/Au:N/C:N/I:N/A:N", 0, LF_SEV_LOW, "no impact: f(Impact)=0"},
        {"AV:L/AC:H/Au:M/C:P/I:N/A:N", 8, LF_SEV_LOW, "smallest non-zero v2 score"},
        {"AV:N/AC:L/Au:N/C:P/I:N/A:N", 50, LF_SEV_MEDIUM, "v2 5.0"},
        {"AV:N/AC:L/Au:S/C:C/I:C/A:C", 90, LF_SEV_HIGH, "v2 9.0"},
        {"AV:A/AC:M/Au:S/C:P/I:P/A:N", 38, LF_SEV_LOW, "adjacent network"},
        {"AV:L/AC:L/Au:N/C:C/I:C/A:C", 72, LF_SEV_HIGH, "local complete"},
    };
    check_known(k, sizeof k / sizeof k[0], LF_CVSS_V2);
}

/* CVSS v3.1/v3.0 specification examples and edge cases of the equations. */
static void test_cvss_v3_known_vectors(void **state)
{
    (void)state;
    static const known v31[] = {
        /* CVSS v3.1 Examples document */
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 61, LF_SEV_MEDIUM, "CVE-2013-1937"},
        {"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", 64, LF_SEV_MEDIUM, "CVE-2013-0375"},
        {"CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N", 31, LF_SEV_LOW, "CVE-2014-3566"},
        {"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 99, LF_SEV_CRITICAL, "CVE-2012-1516"},
        {"CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:L", 42, LF_SEV_MEDIUM, "CVE-2009-0783"},
        {"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 88, LF_SEV_HIGH, "CVE-2012-0384"},
        {"CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 78, LF_SEV_HIGH, "CVE-2015-1098"},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 75, LF_SEV_HIGH, "CVE-2014-0160"},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 98, LF_SEV_CRITICAL, "CVE-2014-6271"},
        {"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:N/I:H/A:N", 68, LF_SEV_MEDIUM, "CVE-2008-1447"},
        {"CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 68, LF_SEV_MEDIUM, "CVE-2014-2005"},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:N/A:N", 58, LF_SEV_MEDIUM, "CVE-2010-0467"},
        /* equations' corners */
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 100, LF_SEV_CRITICAL,
         "scope changed, capped at 10"},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0, LF_SEV_NONE, "impact 0"},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:N/A:N", 0, LF_SEV_NONE,
         "scope changed, impact 0 (7.52*(0-0.029) < 0)"},
        {"CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", 16, LF_SEV_LOW, "lowest weights"},
        {"CVSS:3.1/AV:N/AC:H/PR:H/UI:R/S:C/C:H/I:H/A:H", 76, LF_SEV_HIGH,
         "CVE-2024-31210: 1.08*(6.0477+0.9530)=7.5608 -> 7.6 (the CNA's record says 7.7)"},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:U/RC:C", 98, LF_SEV_CRITICAL,
         "temporal metrics validated, base score only"},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:X/RL:X/RC:X/CR:X/IR:X/AR:X/MAV:X/"
         "MAC:X/MPR:X/MUI:X/MS:X/MC:X/MI:X/MA:X", 98, LF_SEV_CRITICAL, "every metric, X"},
        {"CVSS:3.1/S:U/C:H/I:H/A:H/AV:N/AC:L/PR:N/UI:N", 98, LF_SEV_CRITICAL, "any order"},
    };
    static const known v30[] = {
        {"CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 61, LF_SEV_MEDIUM, "NVD CVE-2012-6708"},
        {"CVSS:3.0/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:N/A:N", 55, LF_SEV_MEDIUM, "NVD CVE-2016-1897"},
        {"CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H", 81, LF_SEV_HIGH, "v3.0 8.1"},
        {"CVSS:3.0/AV:A/AC:L/PR:N/UI:N/S:C/C:N/I:H/A:N", 74, LF_SEV_HIGH, "v3.0 adjacent"},
        {"CVSS:3.0/S:C/C:H/I:H/A:N/AV:P/AC:H/PR:H/UI:R/E:H/RL:O/RC:R/CR:H/IR:X/AR:X/MAC:H/"
         "MPR:X/MUI:X/MC:L/MA:X", 65, LF_SEV_MEDIUM, "full 3.0 vector, unusual order"},
    };
    check_known(v31, sizeof v31 / sizeof v31[0], LF_CVSS_V31);
    check_known(v30, sizeof v30 / sizeof v30[0], LF_CVSS_V30);
}

/* v3.0's plain ceiling and v3.1's Appendix A Roundup agree on every one of the 2592 base
 * vectors (they only part in temporal/environmental scores, which are not computed), and
 * every score lies in its severity band. */
static void test_cvss_v30_v31_agree_on_all_base_vectors(void **state)
{
    (void)state;
    const char *av = "NALP", *ac = "LH", *pr = "NLH", *ui = "NR", *sc = "UC", *cia = "HLN";
    int n = 0;
    long sum = 0;
    for (int a = 0; a < 4; a++)
        for (int b = 0; b < 2; b++)
            for (int p = 0; p < 3; p++)
                for (int u = 0; u < 2; u++)
                    for (int s = 0; s < 2; s++)
                        for (int x = 0; x < 27; x++) {
                            char v0[80], v1[80];
#define V3FMT "CVSS:%s/AV:%c/AC:%c/PR:%c/UI:%c/S:%c/C:%c/I:%c/A:%c"
                            snprintf(v0, sizeof v0, V3FMT, "3.0", av[a], ac[b], pr[p], ui[u],
                                     sc[s], cia[x / 9], cia[x / 3 % 3], cia[x % 3]);
                            snprintf(v1, sizeof v1, V3FMT, "3.1", av[a], ac[b], pr[p], ui[u],
                                     sc[s], cia[x / 9], cia[x / 3 % 3], cia[x % 3]);
#undef V3FMT
                            lf_cvss c0, c1;
                            assert_int_equal(lf_cvss_parse(&c0, v0, strlen(v0), NULL), LF_OK);
                            assert_int_equal(lf_cvss_parse(&c1, v1, strlen(v1), NULL), LF_OK);
                            if (c0.score10 != c1.score10)
                                fail_msg("%s: 3.0 %d vs 3.1 %d", v1, c0.score10, c1.score10);
                            assert_int_equal(c1.severity, lf_cvss_severity_of(LF_CVSS_V31, c1.score10));
                            n++;
                            sum += c1.score10;
                        }
    assert_int_equal(n, 2592);
    /* Sum of all base scores x 10, from an independent exact-rational evaluation of the
     * v3.1 equations (guards against a wrong weight that keeps 3.0 and 3.1 in step). */
    assert_int_equal(sum, 142706);
}

/* CVSS v4.0 vectors with known scores: NVD and CVE 5 records, the reference calculator's
 * documented results (including its round-half-up fix for x.x5 ties), spec-style edge
 * cases. */
static void test_cvss_v4_known_vectors(void **state)
{
    (void)state;
    static const known k[] = {
        /* NVD records (data/nvd), as NVD writes them: every optional metric as X */
        {"CVSS:4.0/AV:L/AC:H/AT:P/PR:L/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N/E:X/CR:X/IR:X/AR:X/"
         "MAV:X/MAC:X/MAT:X/MPR:X/MUI:X/MVC:X/MVI:X/MVA:X/MSC:X/MSI:X/MSA:X/S:X/AU:X/R:X/V:X/"
         "RE:X/U:X", 57, LF_SEV_MEDIUM, "NVD"},
        {"CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:A/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:X/CR:X/IR:X/AR:X/"
         "MAV:X/MAC:X/MAT:X/MPR:X/MUI:X/MVC:X/MVI:X/MVA:X/MSC:X/MSI:X/MSA:X/S:X/AU:X/R:X/V:X/"
         "RE:X/U:X", 84, LF_SEV_HIGH, "NVD"},
        {"CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:P/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:X/CR:X/IR:X/AR:X/"
         "MAV:X/MAC:X/MAT:X/MPR:X/MUI:X/MVC:X/MVI:X/MVA:X/MSC:X/MSI:X/MSA:X/S:X/AU:N/R:X/V:X/"
         "RE:L/U:X", 93, LF_SEV_CRITICAL, "NVD"},
        {"CVSS:4.0/AV:N/AC:H/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:L/SI:L/SA:L/E:X/CR:X/IR:X/AR:X/"
         "MAV:X/MAC:X/MAT:X/MPR:X/MUI:X/MVC:X/MVI:X/MVA:X/MSC:X/MSI:X/MSA:X/S:X/AU:X/R:X/V:X/"
         "RE:X/U:X", 92, LF_SEV_CRITICAL, "NVD"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:N/VI:H/VA:N/SC:N/SI:N/SA:N/E:X/CR:X/IR:X/AR:X/"
         "MAV:X/MAC:X/MAT:X/MPR:X/MUI:X/MVC:X/MVI:X/MVA:X/MSC:X/MSI:X/MSA:X/S:X/AU:N/R:U/V:C/"
         "RE:H/U:Red", 69, LF_SEV_MEDIUM, "NVD"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:L/SI:L/SA:L/E:X/CR:X/IR:X/AR:X/"
         "MAV:X/MAC:X/MAT:X/MPR:X/MUI:X/MVC:X/MVI:X/MVA:X/MSC:X/MSI:X/MSA:X/S:X/AU:X/R:X/V:X/"
         "RE:X/U:X", 93, LF_SEV_CRITICAL, "NVD"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:L/VA:N/SC:N/SI:N/SA:N/E:X/CR:X/IR:X/AR:X/"
         "MAV:X/MAC:X/MAT:X/MPR:X/MUI:X/MVC:X/MVI:X/MVA:X/MSC:X/MSI:X/MSA:X/S:X/AU:N/R:U/V:C/"
         "RE:M/U:Amber", 88, LF_SEV_HIGH, "NVD"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N/E:X/CR:X/IR:X/AR:X/"
         "MAV:X/MAC:X/MAT:X/MPR:X/MUI:X/MVC:X/MVI:X/MVA:X/MSC:X/MSI:X/MSA:X/S:X/AU:X/R:X/V:X/"
         "RE:X/U:X", 69, LF_SEV_MEDIUM, "NVD"},
        /* CVE 5 records (data/cve5) */
        {"CVSS:4.0/AV:A/AC:L/AT:P/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N", 60, LF_SEV_MEDIUM, "CVE 5"},
        {"CVSS:4.0/AV:L/AC:H/AT:P/PR:L/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N", 57, LF_SEV_MEDIUM, "CVE 5"},
        {"CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 85, LF_SEV_HIGH, "CVE 5"},
        {"CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:A/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 84, LF_SEV_HIGH, "CVE 5"},
        {"CVSS:4.0/AV:N/AC:H/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:L/SI:L/SA:L", 92, LF_SEV_CRITICAL, "CVE 5"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:N/VI:H/VA:N/SC:N/SI:N/SA:N/AU:N/R:U/V:C/RE:H/U:Red",
         69, LF_SEV_MEDIUM, "CVE 5, supplemental metrics"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 87, LF_SEV_HIGH, "CVE 5"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:L/SI:N/SA:N/AU:N/R:U/V:C/RE:H/U:Red",
         93, LF_SEV_CRITICAL, "CVE 5"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 93, LF_SEV_CRITICAL, "CVE 5"},
        {"CVSS:4.0/AV:N/AC:L/AT:P/PR:H/UI:N/VC:N/VI:H/VA:N/SC:N/SI:N/SA:N/AU:N/R:U/V:C/RE:H/U:Red",
         59, LF_SEV_MEDIUM, "CVE 5"},
        {"CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:A/VC:N/VI:N/VA:N/SC:H/SI:H/SA:H", 55, LF_SEV_MEDIUM, "CVE 5"},
        {"CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:N/VI:H/VA:H/SC:N/SI:H/SA:H", 72, LF_SEV_HIGH, "CVE 5"},
        {"CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:N/VI:L/VA:N/SC:N/SI:N/SA:N", 23, LF_SEV_LOW, "CVE 5"},
        /* CVE 5 records stating CVSS-B 5.3/5.1/2.3/6.9 beside E:P: the BT score is lower */
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N/E:P", 21, LF_SEV_LOW,
         "MacroVector 102211 = 2.1"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N/E:P", 20, LF_SEV_LOW,
         "CVE 5 E:P (CVSS-B 5.1)"},
        {"CVSS:4.0/AV:N/AC:H/AT:N/PR:L/UI:N/VC:N/VI:L/VA:L/SC:N/SI:N/SA:N/E:P", 13, LF_SEV_LOW,
         "CVE 5 E:P (CVSS-B 2.3)"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N/E:P", 55, LF_SEV_MEDIUM,
         "MacroVector 002211 = 5.5"},
        /* Reference calculator (FIRST / Red Hat cvss-v4-calculator) documented results */
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:L/SC:N/SI:N/SA:N/E:A/MAV:A", 87,
         LF_SEV_HIGH, "cvss40.js CVSS40 class example"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:H/VI:L/VA:N/SC:H/SI:H/SA:H", 86, LF_SEV_HIGH,
         "calculator issue #66: exact 8.55 rounds half up (floats gave 8.5)"},
        {"CVSS:4.0/AV:N/AC:L/AT:P/PR:L/UI:A/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N/E:U", 4, LF_SEV_LOW,
         "calculator issue #48: exact 0.35 -> 0.4"},
        {"CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:H/VA:N/SC:H/SI:H/SA:H/E:P", 90,
         LF_SEV_CRITICAL, "calculator issue #48: exact 8.95 -> 9.0"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:A/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N/E:P/CR:L/IR:L/AR:L/"
         "MAV:N/MAC:L/MAT:N/MPR:L/MUI:A/MVC:H/MVI:H/MVA:H/MSC:H/MSI:S/MSA:S/S:P/AU:Y/R:I/V:C/"
         "RE:H/U:Red", 85, LF_SEV_HIGH, "python cvss issue #60: exact 8.45 -> 8.5"},
        {"CVSS:4.0/AV:L/AC:H/AT:N/PR:N/UI:N/VC:L/VI:H/VA:L/SC:N/SI:N/SA:H/S:N/AU:N/R:I/V:C/RE:M/"
         "U:Green/MAV:A/MAC:L/MAT:N/MPR:N/MUI:N/MVC:H/MVI:N/MVA:H/MSC:H/MSI:H/MSA:H/CR:H/IR:M/"
         "AR:H/E:A", 86, LF_SEV_HIGH, "python cvss issue #63: exact 8.55 -> 8.6, odd order"},
        {"CVSS:4.0/AV:P/AC:H/AT:P/PR:L/UI:P/VC:N/VI:L/VA:H/SC:N/SI:L/SA:N/E:U/CR:H/IR:H/AR:H/"
         "MAV:L/MAC:H/MAT:P/MPR:L/MUI:P/MVC:L/MVI:L/MVA:L/MSC:L/MSI:L/MSA:S/S:N/AU:N/R:U/V:D/"
         "RE:L/U:Clear", 10, LF_SEV_LOW, "python cvss issue #58: exact 0.95 -> 1.0"},
        {"CVSS:4.0/AV:N/AC:H/AT:N/PR:N/UI:P/VC:H/VI:L/VA:H/SC:H/SI:N/SA:N/E:U/CR:H/IR:M/AR:M/"
         "MAV:P/MAC:L/MAT:P/MPR:H/MUI:A/MVC:N/MVI:L/MVA:L/MSC:N/MSI:H/MSA:S/S:N/AU:Y/R:A/V:C/"
         "RE:H/U:Amber", 10, LF_SEV_LOW, "python cvss issue #59: exact 0.95 -> 1.0"},
        /* values published by other implementations' FIRST-calculator test suites */
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H", 100, LF_SEV_CRITICAL,
         "MacroVector 000000"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:H/SI:H/SA:H", 79, LF_SEV_HIGH,
         "subsequent system only"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:U", 91,
         LF_SEV_CRITICAL, "threat E:U"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/MVI:L/MSA:S", 98,
         LF_SEV_CRITICAL, "MSA:S safety"},
        {"CVSS:4.0/AV:L/AC:L/AT:P/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 73, LF_SEV_HIGH, "calc"},
        {"CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 77, LF_SEV_HIGH, "calc"},
        {"CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U", 52,
         LF_SEV_MEDIUM, "calc"},
        {"CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:L/VA:L/SC:N/SI:N/SA:N", 83, LF_SEV_HIGH, "calc"},
        {"CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:L/VA:L/SC:N/SI:N/SA:N/CR:H/IR:L/AR:L/MAV:N/"
         "MAC:H/MVC:H/MVI:L/MVA:L", 81, LF_SEV_HIGH, "calc, environmental"},
        {"CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N", 46, LF_SEV_MEDIUM, "calc"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:N/VI:L/VA:N/SC:N/SI:N/SA:N", 53, LF_SEV_MEDIUM,
         "cvss-rs test for CVE-2024-7657"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N/E:X", 53, LF_SEV_MEDIUM,
         "E:X is E not given"},
        /* edge cases of §8 */
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N", 0, LF_SEV_NONE,
         "no impact anywhere: 0"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N/MSI:S", 89,
         LF_SEV_HIGH, "MSI:S alone lifts a no-impact vector (EQ4=0)"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N/MSC:H", 77,
         LF_SEV_HIGH, "modified subsequent confidentiality"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MVC:N/MVI:N/MVA:N", 0,
         LF_SEV_NONE, "modified metrics remove all impact"},
        {"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N/E:U", 1, LF_SEV_LOW,
         "near the bottom"},
    };
    check_known(k, sizeof k / sizeof k[0], LF_CVSS_V40);
}

/* Every one of the 729 v2 base vectors scores in its band; the sum of all scores equals an
 * independent exact-rational evaluation of the §3.2.1 equation. */
static void test_cvss_v2_all_base_vectors(void **state)
{
    (void)state;
    const char *av = "LAN", *ac = "HML", *au = "MSN", *cia = "NPC";
    long sum = 0;
    int n = 0;
    for (int a = 0; a < 3; a++)
        for (int b = 0; b < 3; b++)
            for (int u = 0; u < 3; u++)
                for (int x = 0; x < 27; x++) {
                    char v[64];
                    snprintf(v, sizeof v, "AV:%c/AC:%c/Au:%c/C:%c/I:%c/A:%c", av[a], ac[b], au[u],
                             cia[x / 9], cia[x / 3 % 3], cia[x % 3]);
                    lf_cvss c;
                    assert_int_equal(lf_cvss_parse(&c, v, strlen(v), NULL), LF_OK);
                    assert_in_range(c.score10, 0, 100);
                    assert_int_equal(c.severity, lf_cvss_severity_of(LF_CVSS_V2, c.score10));
                    sum += c.score10;
                    n++;
                }
    assert_int_equal(n, 729);
    assert_int_equal(sum, 38007);
}

/* All 104976 v4 base vectors: scores in range, severities in band, and the sum and an
 * order-sensitive hash of the scores equal those of an independent port of the reference
 * calculator (with its round-half-up fix), so a wrong lookup entry, level or tie rule is
 * caught. */
static void test_cvss_v4_all_base_vectors(void **state)
{
    (void)state;
    const char *av = "NALP", *ac = "LH", *at = "NP", *pr = "NLH", *ui = "NPA", *hln = "HLN";
    long sum = 0;
    uint32_t hash = 0;
    int n = 0;
    for (int a = 0; a < 4; a++)
        for (int b = 0; b < 2; b++)
            for (int t = 0; t < 2; t++)
                for (int p = 0; p < 3; p++)
                    for (int u = 0; u < 3; u++)
                        for (int x = 0; x < 729; x++) {
                            char v[96];
                            snprintf(v, sizeof v,
                                     "CVSS:4.0/AV:%c/AC:%c/AT:%c/PR:%c/UI:%c/VC:%c/VI:%c/VA:%c/"
                                     "SC:%c/SI:%c/SA:%c",
                                     av[a], ac[b], at[t], pr[p], ui[u], hln[x / 243],
                                     hln[x / 81 % 3], hln[x / 27 % 3], hln[x / 9 % 3],
                                     hln[x / 3 % 3], hln[x % 3]);
                            lf_cvss c;
                            assert_int_equal(lf_cvss_parse(&c, v, strlen(v), NULL), LF_OK);
                            assert_in_range(c.score10, 0, 100);
                            assert_int_equal(c.severity, lf_cvss_severity_of(LF_CVSS_V40, c.score10));
                            assert_int_equal(lf_cvss_base_score10(&c), c.score10);
                            sum += c.score10;
                            hash = hash * 31u + (uint32_t)c.score10;
                            n++;
                        }
    assert_int_equal(n, 104976);
    assert_int_equal(sum, 5964883);
    assert_int_equal(hash, 3661008277u);
}

/* ---------------------------------------------------------------------------------- */
/* Fixtures from the shared real data                                                  */

static FILE *open_fixture(const char *name)
{
    char path[1024];
    const char *dir = getenv("LF_FIXTURES");
    if (dir && *dir)
        snprintf(path, sizeof path, "%s/cvss/%s", dir, name);
    else
        snprintf(path, sizeof path, "%s/tests/fixtures/cvss/%s", LF_SOURCE_DIR, name);
    FILE *f = fopen(path, "r");
    if (!f)
        fail_msg("cannot open fixture %s", path);
    return f;
}

typedef struct {
    char id[128], version[8], vector[512], severity[16];
    int score10;
} tsv_row;

/* Read the next data row; 0 at end of file. Score text "9.8" becomes 98. */
static int next_row(FILE *f, tsv_row *r, int *lineno)
{
    char line[1024];
    while (fgets(line, sizeof line, f)) {
        (*lineno)++;
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '#' || line[0] == '\0')
            continue;
        char *col[5];
        char *p = line;
        for (int i = 0; i < 5; i++) {
            col[i] = p;
            char *tab = strchr(p, '\t');
            if (i < 4) {
                if (!tab)
                    fail_msg("fixture line %d: fewer than 5 columns", *lineno);
                *tab = '\0';
                p = tab + 1;
            } else if (tab) {
                fail_msg("fixture line %d: more than 5 columns", *lineno);
            }
        }
        /* precision-bounded copies: fixture fields are short, a long one is cut */
        snprintf(r->id, sizeof r->id, "%.*s", (int)sizeof r->id - 1, col[0]);
        snprintf(r->version, sizeof r->version, "%.*s", (int)sizeof r->version - 1, col[1]);
        snprintf(r->vector, sizeof r->vector, "%.*s", (int)sizeof r->vector - 1, col[2]);
        snprintf(r->severity, sizeof r->severity, "%.*s", (int)sizeof r->severity - 1, col[4]);
        char *end;
        long whole = strtol(col[3], &end, 10);
        if (end[0] != '.' || end[1] < '0' || end[1] > '9' || end[2] != '\0')
            fail_msg("fixture line %d: bad score '%s'", *lineno, col[3]);
        r->score10 = (int)(whole * 10 + (end[1] - '0'));
        return 1;
    }
    return 0;
}

/* Every CVSS metric of every shared NVD record (v2, v3.0, v3.1, v4.0; primary and
 * secondary sources) parses, and its computed score and severity equal NVD's. */
static void test_cvss_nvd_fixture_all_rows_match(void **state)
{
    (void)state;
    FILE *f = open_fixture("nvd_metrics.tsv");
    tsv_row r;
    int line = 0, rows = 0, per[4] = {0};
    while (next_row(f, &r, &line)) {
        lf_cvss c;
        lf_err e;
        lf_err_clear(&e);
        if (lf_cvss_parse(&c, r.vector, strlen(r.vector), &e) != LF_OK)
            fail_msg("%s %s: %s (col %ld)", r.id, r.vector, e.msg, e.col);
        if (strcmp(lf_cvss_version_name(c.version), r.version) != 0)
            fail_msg("%s %s: version %s, NVD says %s", r.id, r.vector,
                     lf_cvss_version_name(c.version), r.version);
        if (c.score10 != r.score10 || strcmp(lf_cvss_severity_name(c.severity), r.severity) != 0)
            fail_msg("%s %s: %d %s, NVD says %d %s", r.id, r.vector, c.score10,
                     lf_cvss_severity_name(c.severity), r.score10, r.severity);
        per[c.version == LF_CVSS_V2 ? 0 : c.version == LF_CVSS_V30 ? 1
            : c.version == LF_CVSS_V31 ? 2 : 3]++;
        rows++;
    }
    fclose(f);
    assert_int_equal(rows, 365);
    assert_int_equal(per[0], 58);
    assert_int_equal(per[1], 15);
    assert_int_equal(per[2], 282);
    assert_int_equal(per[3], 10);
}

/* Rows of cna_metrics.tsv whose stated score is not the base score, investigated one by
 * one: the value we compute and why the record differs. */
static const struct {
    const char *source, *vector;
    int ours;
    const char *why;
} cna_exceptions[] = {
    {"cve5/CVE-2022-42475.json", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:U/RC:C", 98,
     "Fortinet states the temporal score 9.3 as baseScore"},
    {"cve5/CVE-2023-27997.json", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:F/RL:X/RC:R", 98,
     "Fortinet states the temporal score 9.2 as baseScore"},
    {"cve5/CVE-2024-21762.json", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:H/RL:W/RC:C", 98,
     "Fortinet states the temporal score 9.6 as baseScore"},
    {"cve5/CVE-2024-55591.json", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:H/RL:W/RC:C", 98,
     "Fortinet states the temporal score 9.6 as baseScore"},
    {"cve5/CVE-2024-31210.json", "CVSS:3.1/AV:N/AC:H/PR:H/UI:R/S:C/C:H/I:H/A:H", 76,
     "CNA arithmetic error: the §7.1 equations give 7.5608, Roundup 7.6, not 7.7"},
};

/* Every CVSS object of the shared CVE 5 records and CSAF advisories parses; its stated
 * score equals ours, or (v4 with threat metrics) equals the CVSS-B score of the base
 * metrics, or is one of the investigated CNA mistakes above. */
static void test_cvss_cna_fixture_all_rows_explained(void **state)
{
    (void)state;
    FILE *f = open_fixture("cna_metrics.tsv");
    tsv_row r;
    int line = 0, rows = 0, cvss_b = 0, excused = 0;
    while (next_row(f, &r, &line)) {
        lf_cvss c;
        lf_err e;
        lf_err_clear(&e);
        rows++;
        if (lf_cvss_parse(&c, r.vector, strlen(r.vector), &e) != LF_OK)
            fail_msg("%s %s: %s (col %ld)", r.id, r.vector, e.msg, e.col);
        if (strcmp(lf_cvss_version_name(c.version), r.version) != 0)
            fail_msg("%s %s: version %s, record says %s", r.id, r.vector,
                     lf_cvss_version_name(c.version), r.version);
        if (c.score10 == r.score10) {
            /* severity spelled in any case ("High" from some CNAs); CSAF v2 has none */
            if (strcmp(r.severity, "-") != 0 &&
                strcasecmp(lf_cvss_severity_name(c.severity), r.severity) != 0)
                fail_msg("%s %s: severity %s, record says %s", r.id, r.vector,
                         lf_cvss_severity_name(c.severity), r.severity);
            continue;
        }
        if (c.version == LF_CVSS_V40 && lf_cvss_base_score10(&c) == r.score10) {
            cvss_b++;
            continue;
        }
        int found = 0;
        for (size_t i = 0; i < sizeof cna_exceptions / sizeof cna_exceptions[0]; i++)
            if (strcmp(cna_exceptions[i].source, r.id) == 0 &&
                strcmp(cna_exceptions[i].vector, r.vector) == 0) {
                assert_int_equal(c.score10, cna_exceptions[i].ours);
                found = 1;
            }
        if (!found)
            fail_msg("%s %s: computed %d, record says %d", r.id, r.vector, c.score10, r.score10);
        excused++;
    }
    fclose(f);
    assert_int_equal(rows, 249);
    assert_int_equal(cvss_b, 11);
    assert_int_equal(excused, 5);
}

/* ---------------------------------------------------------------------------------- */
/* Strict parsing                                                                      */

/* Malformed vectors fail with LF_EPARSE naming the metric, the column and the problem. */
static void test_cvss_malformed_vectors(void **state)
{
    (void)state;
    static const struct {
        const char *vec;
        const char *field;
        long col;
        const char *msg;
    } bad[] = {
        {"", "", 1, "empty CVSS vector"},
        {"CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "AV", 15, "metric AV given twice"},
        {"CVSS:3.1/AV:N/AC:X/PR:N/UI:N/S:U/C:H/I:H/A:H", "AC", 18,
         "AC:X is not a valid value (L, H)"},
        {"CVSS:3.1/AV:N/AC:L/PR:N/S:U/C:H/I:H/A:H", "UI", 40, "missing mandatory metric UI"},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/ZZ:1", "ZZ", 46,
         "unknown metric ZZ in a CVSS v3.1 vector"},
        {"CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "CVSS", 6,
         "unsupported CVSS version '3.2'"},
        {"CVSS:", "CVSS", 6, "unsupported CVSS version ''"},
        {"CVSS:3.1", "AV", 9, "missing mandatory metric AV"},
        {"CVSS:3.1/", "", 9, "trailing '/'"},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/", "", 45, "trailing '/'"},
        {"CVSS:3.1/AV:N//AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "", 15, "empty component"},
        {"CVSS:3.1/AV:N/AC/PR:N/UI:N/S:U/C:H/I:H/A:H", "AC", 15,
         "component 'AC' is not METRIC:VALUE"},
        {"CVSS:3.1/AV:/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "AV", 13,
         "metric AV has no value (N, A, L, P)"},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/:H/I:H/A:H", "", 34, "has no metric name"},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/MAV:N/MAV:L", "MAV", 52,
         "metric MAV given twice"},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:A", "E", 48,
         "E:A is not a valid value (X, H, F, P, U)"},
        {"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:X/C:H/I:H/A:H", "S", 32,
         "S:X is not a valid value (U, C)"},
        {"CVSS:3.1/av:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "av", 10, "unknown metric av"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N", "SA", 59,
         "missing mandatory metric SA"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/U:red", "U", 67,
         "U:red is not a valid value (X, Clear, Green, Amber, Red)"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/S:U", "S", 67,
         "S:U is not a valid value (X, N, P)"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/C:H", "C", 65,
         "unknown metric C in a CVSS v4.0 vector"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:S/SA:N", "SI", 58,
         "SI:S is not a valid value (H, L, N)"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:X/E:A", "E", 69,
         "metric E given twice"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MSC:S", "MSC", 69,
         "MSC:S is not a valid value (X, H, L, N)"},
        {"CVSS:4.0/AV:N/AC:L/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", "AT", 59,
         "missing mandatory metric AT"},
        {"(AV:N/AC:L/Au:N/C:P/I:P/A:P", "", 27, "'(' without a closing ')'"},
        {"()", "", 2, "empty CVSS vector in parentheses"},
        {"AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "PR", 11, "needs its \"CVSS:3.1/\""},
        {"cvss:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "cvss", 1, "spelled \"CVSS:\""},
        {"AV:N/AC:L/Au:N/C:P/I:P/A:P/E:X", "E", 30,
         "E:X is not a valid value (U, POC, F, H, ND)"},
        {"AV:N/AC:L/Au:N/Au:S/C:P/I:P/A:P", "Au", 16, "metric Au given twice"},
        {"/AV:N/AC:L/Au:N/C:P/I:P/A:P", "", 1, "empty component"},
        {"CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P", "A", 32, "missing mandatory metric A"},
        {"AV:N/AC:L/Au:N/C:P/I:P/A:P/CDP:LH", "CDP", 32,
         "CDP:LH is not a valid value (N, L, LM, MH, H, ND)"},
        {"CVSS:3.1/A\x01V:N/AC:L", "A\\x01V", 10, "unknown metric A\\x01V"},
        {" CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", " CVSS", 1, "unknown metric  CVSS"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        lf_cvss c;
        lf_err e;
        lf_err_clear(&e);
        int rc = lf_cvss_parse(&c, bad[i].vec, strlen(bad[i].vec), &e);
        if (rc != LF_EPARSE || e.code != LF_EPARSE)
            fail_msg("'%s': rc %d, want LF_EPARSE", bad[i].vec, rc);
        if (strcmp(e.field, bad[i].field) != 0 || e.col != bad[i].col ||
            strstr(e.msg, bad[i].msg) == NULL)
            fail_msg("'%s': field '%s' col %ld msg '%s'; want '%s' %ld '%s'", bad[i].vec, e.field,
                     e.col, e.msg, bad[i].field, bad[i].col, bad[i].msg);
        assert_int_equal(c.nmetrics, 0); /* nothing half-filled on failure */
    }
}

/* The parser reads exactly n bytes: a vector inside a longer buffer parses, a NUL inside
 * the counted bytes is an error, and NULL input is rejected without crashing. */
static void test_cvss_parse_respects_length(void **state)
{
    (void)state;
    const char *text = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H trailing words";
    lf_cvss c;
    lf_err e;
    assert_int_equal(lf_cvss_parse(&c, text, 44, NULL), LF_OK);
    assert_int_equal(c.score10, 98);
    lf_err_clear(&e);
    assert_int_equal(lf_cvss_parse(&c, text, 45, &e), LF_EPARSE);
    assert_string_equal(e.field, "A");
    assert_non_null(strstr(e.msg, "A:H  is not a valid value"));
    const char nul[] = "AV:N/AC:L/Au:N/C:P/I:P/A:P\0/E:F";
    lf_err_clear(&e);
    assert_int_equal(lf_cvss_parse(&c, nul, sizeof nul - 1, &e), LF_EPARSE);
    assert_non_null(strstr(e.msg, "A:P\\x00"));
    lf_err_clear(&e);
    assert_int_equal(lf_cvss_parse(&c, NULL, 0, &e), LF_EPARSE);
    assert_int_equal(lf_cvss_parse(&c, NULL, 5, &e), LF_EINVAL);
    assert_int_equal(lf_cvss_parse(NULL, "AV:N", 4, &e), LF_EINVAL);
    assert_int_equal(lf_cvss_parse(&c, "AV:N", 4, NULL), LF_EPARSE); /* NULL err is fine */
}

/* The parsed struct lists metrics in vector order with their values (v2 "POC", v4 "Amber"). */
static void test_cvss_parse_fills_metrics(void **state)
{
    (void)state;
    lf_cvss c;
    const char *v2 = "AV:N/AC:L/Au:N/C:N/I:N/A:C/E:POC/RL:OF/RC:C";
    assert_int_equal(lf_cvss_parse(&c, v2, strlen(v2), NULL), LF_OK);
    assert_int_equal(c.nmetrics, 9);
    assert_string_equal(c.metric[2], "Au");
    assert_string_equal(c.metric[6], "E");
    assert_string_equal(c.value[6], "POC");
    assert_string_equal(c.value[7], "OF");
    const char *v4 = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:L/VA:N/SC:N/SI:N/SA:N/U:Amber";
    assert_int_equal(lf_cvss_parse(&c, v4, strlen(v4), NULL), LF_OK);
    assert_int_equal(c.version, LF_CVSS_V40);
    assert_int_equal(c.nmetrics, 12);
    assert_string_equal(c.metric[11], "U");
    assert_string_equal(c.value[11], "Amber");
}

/* ---------------------------------------------------------------------------------- */
/* v4 threat/environmental handling                                                    */

/* E, CR/IR/AR and M* take part in v4 scoring; "X" is the same as not given; the CVSS-B
 * score ignores them. */
static void test_cvss_v4_threat_environmental(void **state)
{
    (void)state;
    static const struct {
        const char *a, *b;
    } same[] = {
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:L/VA:N/SC:N/SI:N/SA:N",
         "CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:L/VA:N/SC:N/SI:N/SA:N/E:X/CR:X/IR:X/AR:X/MAV:X"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:L/VA:N/SC:N/SI:N/SA:N",
         "CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:L/VA:N/SC:N/SI:N/SA:N/E:A/CR:H/IR:H/AR:H"},
        {"CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:L/VA:N/SC:N/SI:N/SA:N",
         "CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:L/VA:N/SC:N/SI:N/SA:N/MAV:L"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:L/VA:N/SC:N/SI:N/SA:N/S:P/AU:Y/R:I/V:C/RE:H/U:Red",
         "CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:L/VA:N/SC:N/SI:N/SA:N"},
    };
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        lf_cvss a, b;
        assert_int_equal(lf_cvss_parse(&a, same[i].a, strlen(same[i].a), NULL), LF_OK);
        assert_int_equal(lf_cvss_parse(&b, same[i].b, strlen(same[i].b), NULL), LF_OK);
        if (a.score10 != b.score10)
            fail_msg("%s (%d) != %s (%d)", same[i].a, a.score10, same[i].b, b.score10);
    }
    /* E:U lowers, CR:L lowers, MVI:H raises; the CVSS-B score stays the base one. */
    const char *base = "CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:L/VA:N/SC:N/SI:N/SA:N";
    lf_cvss c0;
    assert_int_equal(lf_cvss_parse(&c0, base, strlen(base), NULL), LF_OK);
    static const char *const lower[] = {"/E:U", "/E:P", "/CR:L", "/CR:M", "/MVC:L", "/MAV:P"};
    for (size_t i = 0; i < sizeof lower / sizeof lower[0]; i++) {
        char v[160];
        snprintf(v, sizeof v, "%s%s", base, lower[i]);
        lf_cvss c;
        assert_int_equal(lf_cvss_parse(&c, v, strlen(v), NULL), LF_OK);
        if (c.score10 >= c0.score10)
            fail_msg("%s: %d not below base %d", v, c.score10, c0.score10);
        assert_int_equal(lf_cvss_base_score10(&c), c0.score10);
    }
    char up[160];
    snprintf(up, sizeof up, "%s/MVI:H", base);
    lf_cvss cu;
    assert_int_equal(lf_cvss_parse(&cu, up, strlen(up), NULL), LF_OK);
    assert_true(cu.score10 > c0.score10);
    /* v2/v3: the base score whatever else is given */
    const char *v3 = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:U/MAV:P";
    lf_cvss c3;
    assert_int_equal(lf_cvss_parse(&c3, v3, strlen(v3), NULL), LF_OK);
    assert_int_equal(c3.score10, 98);
    assert_int_equal(lf_cvss_base_score10(&c3), 98);
    assert_int_equal(lf_cvss_base_score10(NULL), LF_EINVAL);
}

/* ---------------------------------------------------------------------------------- */
/* Names, severities, explain, format                                                  */

/* Severity bands at their edges for each version family. */
static void test_cvss_severity_bands(void **state)
{
    (void)state;
    assert_int_equal(lf_cvss_severity_of(LF_CVSS_V31, 0), LF_SEV_NONE);
    assert_int_equal(lf_cvss_severity_of(LF_CVSS_V31, 1), LF_SEV_LOW);
    assert_int_equal(lf_cvss_severity_of(LF_CVSS_V31, 39), LF_SEV_LOW);
    assert_int_equal(lf_cvss_severity_of(LF_CVSS_V31, 40), LF_SEV_MEDIUM);
    assert_int_equal(lf_cvss_severity_of(LF_CVSS_V30, 69), LF_SEV_MEDIUM);
    assert_int_equal(lf_cvss_severity_of(LF_CVSS_V30, 70), LF_SEV_HIGH);
    assert_int_equal(lf_cvss_severity_of(LF_CVSS_V40, 89), LF_SEV_HIGH);
    assert_int_equal(lf_cvss_severity_of(LF_CVSS_V40, 90), LF_SEV_CRITICAL);
    assert_int_equal(lf_cvss_severity_of(LF_CVSS_V40, 100), LF_SEV_CRITICAL);
    assert_int_equal(lf_cvss_severity_of(LF_CVSS_V2, 0), LF_SEV_LOW);
    assert_int_equal(lf_cvss_severity_of(LF_CVSS_V2, 39), LF_SEV_LOW);
    assert_int_equal(lf_cvss_severity_of(LF_CVSS_V2, 40), LF_SEV_MEDIUM);
    assert_int_equal(lf_cvss_severity_of(LF_CVSS_V2, 69), LF_SEV_MEDIUM);
    assert_int_equal(lf_cvss_severity_of(LF_CVSS_V2, 70), LF_SEV_HIGH);
    assert_int_equal(lf_cvss_severity_of(LF_CVSS_V2, 100), LF_SEV_HIGH);
    assert_string_equal(lf_cvss_severity_name(LF_SEV_NONE), "NONE");
    assert_string_equal(lf_cvss_severity_name(LF_SEV_CRITICAL), "CRITICAL");
    assert_string_equal(lf_cvss_version_name(LF_CVSS_V2), "2.0");
    assert_string_equal(lf_cvss_version_name(LF_CVSS_V30), "3.0");
    assert_string_equal(lf_cvss_version_name(LF_CVSS_V31), "3.1");
    assert_string_equal(lf_cvss_version_name(LF_CVSS_V40), "4.0");
}

static void expect_explain(const char *vec, const char *want)
{
    lf_cvss c;
    lf_buf b;
    assert_int_equal(lf_cvss_parse(&c, vec, strlen(vec), NULL), LF_OK);
    lf_buf_init(&b, 0);
    assert_int_equal(lf_cvss_explain(&c, &b), LF_OK);
    assert_non_null(b.data);
    assert_string_equal(b.data, want);
    lf_buf_clear(&b);
}

/* lf_cvss_explain writes one "Name (ABBR): Value" line per metric, in vector order. */
static void test_cvss_explain_lines(void **state)
{
    (void)state;
    expect_explain("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
                   "Attack Vector (AV): Network\n"
                   "Attack Complexity (AC): Low\n"
                   "Privileges Required (PR): None\n"
                   "User Interaction (UI): None\n"
                   "Scope (S): Unchanged\n"
                   "Confidentiality (C): High\n"
                   "Integrity (I): High\n"
                   "Availability (A): High\n");
    expect_explain("CVSS:3.0/AV:A/AC:H/PR:L/UI:R/S:C/C:L/I:N/A:N/E:P/MAV:A",
                   "Attack Vector (AV): Adjacent Network\n"
                   "Attack Complexity (AC): High\n"
                   "Privileges Required (PR): Low\n"
                   "User Interaction (UI): Required\n"
                   "Scope (S): Changed\n"
                   "Confidentiality (C): Low\n"
                   "Integrity (I): None\n"
                   "Availability (A): None\n"
                   "Exploit Code Maturity (E): Proof-of-Concept\n"
                   "Modified Attack Vector (MAV): Adjacent Network\n");
    expect_explain("(AV:L/AC:M/Au:S/C:P/I:N/A:C/E:ND/CDP:LM)",
                   "Access Vector (AV): Local\n"
                   "Access Complexity (AC): Medium\n"
                   "Authentication (Au): Single\n"
                   "Confidentiality Impact (C): Partial\n"
                   "Integrity Impact (I): None\n"
                   "Availability Impact (A): Complete\n"
                   "Exploitability (E): Not Defined\n"
                   "Collateral Damage Potential (CDP): Low-Medium\n");
    expect_explain("CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:L/VI:N/VA:H/SC:N/SI:L/SA:H/E:U/MSI:S/"
                   "S:P/AU:Y/R:I/V:C/RE:M/U:Clear",
                   "Attack Vector (AV): Physical\n"
                   "Attack Complexity (AC): High\n"
                   "Attack Requirements (AT): Present\n"
                   "Privileges Required (PR): High\n"
                   "User Interaction (UI): Active\n"
                   "Vulnerable System Confidentiality Impact (VC): Low\n"
                   "Vulnerable System Integrity Impact (VI): None\n"
                   "Vulnerable System Availability Impact (VA): High\n"
                   "Subsequent System Confidentiality Impact (SC): None\n"
                   "Subsequent System Integrity Impact (SI): Low\n"
                   "Subsequent System Availability Impact (SA): High\n"
                   "Exploit Maturity (E): Unreported\n"
                   "Modified Subsequent System Integrity Impact (MSI): Safety\n"
                   "Safety (S): Present\n"
                   "Automatable (AU): Yes\n"
                   "Recovery (R): Irrecoverable\n"
                   "Value Density (V): Concentrated\n"
                   "Vulnerability Response Effort (RE): Moderate\n"
                   "Provider Urgency (U): Clear\n");
    lf_buf b;
    lf_buf_init(&b, 0);
    lf_cvss junk;
    memset(&junk, 0, sizeof junk);
    junk.version = LF_CVSS_V31;
    assert_int_equal(lf_cvss_explain(&junk, &b), LF_EINVAL); /* no base metrics */
    assert_int_equal(lf_cvss_explain(NULL, &b), LF_EINVAL);
    lf_buf_clear(&b);
}

/* lf_cvss_format gives back the canonical vector: v2 without parentheses, others with
 * their prefix, metrics in parse order; formatting then parsing keeps the score. */
static void test_cvss_format_round_trip(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"(AV:N/AC:L/Au:N/C:P/I:P/A:P)", "AV:N/AC:L/Au:N/C:P/I:P/A:P"},
        {"CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P/E:POC", "AV:N/AC:L/Au:N/C:P/I:P/A:P/E:POC"},
        {"CVSS:3.0/S:C/C:H/I:H/A:N/AV:P/AC:H/PR:H/UI:R", "CVSS:3.0/S:C/C:H/I:H/A:N/AV:P/AC:H/PR:H/UI:R"},
        {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},
        {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/U:Amber",
         "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/U:Amber"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lf_cvss c, d;
        lf_buf b;
        lf_buf_init(&b, 0);
        assert_int_equal(lf_cvss_parse(&c, cases[i].in, strlen(cases[i].in), NULL), LF_OK);
        assert_int_equal(lf_cvss_format(&c, &b), LF_OK);
        assert_string_equal(b.data, cases[i].out);
        assert_int_equal(lf_cvss_parse(&d, b.data, b.len, NULL), LF_OK);
        assert_int_equal(d.score10, c.score10);
        assert_int_equal(d.version, c.version);
        lf_buf_clear(&b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cvss_v2_known_vectors),
        cmocka_unit_test(test_cvss_v3_known_vectors),
        cmocka_unit_test(test_cvss_v30_v31_agree_on_all_base_vectors),
        cmocka_unit_test(test_cvss_v4_known_vectors),
        cmocka_unit_test(test_cvss_v2_all_base_vectors),
        cmocka_unit_test(test_cvss_v4_all_base_vectors),
        cmocka_unit_test(test_cvss_nvd_fixture_all_rows_match),
        cmocka_unit_test(test_cvss_cna_fixture_all_rows_explained),
        cmocka_unit_test(test_cvss_malformed_vectors),
        cmocka_unit_test(test_cvss_parse_respects_length),
        cmocka_unit_test(test_cvss_parse_fills_metrics),
        cmocka_unit_test(test_cvss_v4_threat_environmental),
        cmocka_unit_test(test_cvss_severity_bands),
        cmocka_unit_test(test_cvss_explain_lines),
        cmocka_unit_test(test_cvss_format_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
