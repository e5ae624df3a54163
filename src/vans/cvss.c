/*
 * cvss: parse CVSS vector strings and compute their scores and severities.
 *
 * Implements the FIRST specifications:
 *  - CVSS v2.0 (Complete Guide, §2 metrics, §2.4 vectors, §3.2.1 base equation), severity
 *    in NVD's bands (0-3.9 LOW, 4.0-6.9 MEDIUM, 7.0-10 HIGH);
 *  - CVSS v3.0 (specification §2-4 metrics, §6 vector string, §8.1 base equations, its
 *    Roundup = smallest one-decimal number >= input) and CVSS v3.1 (§7.1 base equations,
 *    Appendix A Roundup), severity per §5 of either;
 *  - CVSS v4.0 (specification §2-5 metrics, §7 vector string, §8 MacroVector scoring),
 *    severity per §6.
 * Parsing is strict: every metric of the version is known with its allowed values, base
 * metrics are mandatory, none may repeat, no empty component or trailing '/'. Metrics are
 * accepted in any order: the specifications list a canonical order, but vectors in
 * published records do not always keep it. Temporal/threat, environmental and supplemental
 * metrics are validated; v2/v3 score the base group only, v4 scores whatever the
 * MacroVector equations use (E, CR/IR/AR and the M* metrics included).
 *
 * Scores are kept as integer tenths. v2 and v4 are computed in exact integer arithmetic
 * (all their constants are decimals with few digits); v3 needs the 15th power in the
 * scope-changed impact, so it is computed in IEEE double exactly as the equations are
 * written, and the spec's Roundup then removes float error (v3.1 explicitly; for v3.0's
 * plain ceiling, an exhaustive check of all 2592 base vectors against exact rational
 * arithmetic shows no vector within 4e-6 of a tenth boundary, so doubles are exact there).
 * v4 rounds the interpolated score half up, as the reference calculator does since its
 * float tie fix (cvss-v4-calculator PR #67, 2024): exact x.x5 ties go up. Checked against a
 * port of that calculator over all 15,116,544 combinations of the values the v4
 * equations see (base, MSI/MSA:S, E, CR/IR/AR): identical. The calculator before the fix
 * (and copies of it) gives 0.1 less at some exact ties, e.g. 522 of the 104,976 base
 * vectors.
 */
#include "vans/cvss.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

/* ------------------------------------------------------------------------------------ */
/* Metric tables                                                                        */

typedef struct {
    const char *abbr;
    const char *name;
} cvss_value;

typedef struct {
    const char *abbr;
    const char *name;
    int mandatory;
    int nvals;
    cvss_value vals[6];
} cvss_metric;

#define V(a, n) { a, n }
#define ND2 V("ND", "Not Defined")
#define X V("X", "Not Defined")

/* CVSS v2.0 Complete Guide §2.1-2.3 (base, temporal, environmental). */
enum {
    V2_AV, V2_AC, V2_AU, V2_C, V2_I, V2_A, V2_E, V2_RL, V2_RC, V2_CDP, V2_TD, V2_CR, V2_IR,
    V2_AR, V2_COUNT
};
static const cvss_metric v2_metrics[V2_COUNT] = {
    {"AV", "Access Vector", 1, 3, {V("L", "Local"), V("A", "Adjacent Network"), V("N", "Network")}},
    {"AC", "Access Complexity", 1, 3, {V("H", "High"), V("M", "Medium"), V("L", "Low")}},
    {"Au", "Authentication", 1, 3, {V("M", "Multiple"), V("S", "Single"), V("N", "None")}},
    {"C", "Confidentiality Impact", 1, 3, {V("N", "None"), V("P", "Partial"), V("C", "Complete")}},
    {"I", "Integrity Impact", 1, 3, {V("N", "None"), V("P", "Partial"), V("C", "Complete")}},
    {"A", "Availability Impact", 1, 3, {V("N", "None"), V("P", "Partial"), V("C", "Complete")}},
    {"E", "Exploitability", 0, 5,
     {V("U", "Unproven"), V("POC", "Proof-of-Concept"), V("F", "Functional"), V("H", "High"), ND2}},
    {"RL", "Remediation Level", 0, 5,
     {V("OF", "Official Fix"), V("TF", "Temporary Fix"), V("W", "Workaround"),
      V("U", "Unavailable"), ND2}},
    {"RC", "Report Confidence", 0, 4,
     {V("UC", "Unconfirmed"), V("UR", "Uncorroborated"), V("C", "Confirmed"), ND2}},
    {"CDP", "Collateral Damage Potential", 0, 6,
     {V("N", "None"), V("L", "Low"), V("LM", "Low-Medium"), V("MH", "Medium-High"),
      V("H", "High"), ND2}},
    {"TD", "Target Distribution", 0, 5,
     {V("N", "None"), V("L", "Low"), V("M", "Medium"), V("H", "High"), ND2}},
    {"CR", "Confidentiality Requirement", 0, 4, {V("L", "Low"), V("M", "Medium"), V("H", "High"), ND2}},
    {"IR", "Integrity Requirement", 0, 4, {V("L", "Low"), V("M", "Medium"), V("H", "High"), ND2}},
    {"AR", "Availability Requirement", 0, 4, {V("L", "Low"), V("M", "Medium"), V("H", "High"), ND2}},
};

/* CVSS v3.0/v3.1 specification §2-4 and the vector table (§6). */
enum {
    V3_AV, V3_AC, V3_PR, V3_UI, V3_S, V3_C, V3_I, V3_A, V3_E, V3_RL, V3_RC, V3_CR, V3_IR,
    V3_AR, V3_MAV, V3_MAC, V3_MPR, V3_MUI, V3_MS, V3_MC, V3_MI, V3_MA, V3_COUNT
};
#define VALS_V3_AVV V("N", "Network"), V("A", "Adjacent"), V("L", "Local"), V("P", "Physical")
#define VALS_V3_LH V("L", "Low"), V("H", "High")
#define VALS_V3_NLH V("N", "None"), V("L", "Low"), V("H", "High")
#define VALS_V3_NR V("N", "None"), V("R", "Required")
#define VALS_V3_UC V("U", "Unchanged"), V("C", "Changed")
#define VALS_V3_HLN V("H", "High"), V("L", "Low"), V("N", "None")
#define VALS_V3_REQ V("H", "High"), V("M", "Medium"), V("L", "Low")
static const cvss_metric v3_metrics[V3_COUNT] = {
    {"AV", "Attack Vector", 1, 4, {VALS_V3_AVV}},
    {"AC", "Attack Complexity", 1, 2, {VALS_V3_LH}},
    {"PR", "Privileges Required", 1, 3, {VALS_V3_NLH}},
    {"UI", "User Interaction", 1, 2, {VALS_V3_NR}},
    {"S", "Scope", 1, 2, {VALS_V3_UC}},
    {"C", "Confidentiality", 1, 3, {VALS_V3_HLN}},
    {"I", "Integrity", 1, 3, {VALS_V3_HLN}},
    {"A", "Availability", 1, 3, {VALS_V3_HLN}},
    {"E", "Exploit Code Maturity", 0, 5,
     {X, V("H", "High"), V("F", "Functional"), V("P", "Proof-of-Concept"), V("U", "Unproven")}},
    {"RL", "Remediation Level", 0, 5,
     {X, V("U", "Unavailable"), V("W", "Workaround"), V("T", "Temporary Fix"),
      V("O", "Official Fix")}},
    {"RC", "Report Confidence", 0, 4,
     {X, V("C", "Confirmed"), V("R", "Reasonable"), V("U", "Unknown")}},
    {"CR", "Confidentiality Requirement", 0, 4, {X, VALS_V3_REQ}},
    {"IR", "Integrity Requirement", 0, 4, {X, VALS_V3_REQ}},
    {"AR", "Availability Requirement", 0, 4, {X, VALS_V3_REQ}},
    {"MAV", "Modified Attack Vector", 0, 5, {X, VALS_V3_AVV}},
    {"MAC", "Modified Attack Complexity", 0, 3, {X, VALS_V3_LH}},
    {"MPR", "Modified Privileges Required", 0, 4, {X, VALS_V3_NLH}},
    {"MUI", "Modified User Interaction", 0, 3, {X, VALS_V3_NR}},
    {"MS", "Modified Scope", 0, 3, {X, VALS_V3_UC}},
    {"MC", "Modified Confidentiality", 0, 4, {X, VALS_V3_HLN}},
    {"MI", "Modified Integrity", 0, 4, {X, VALS_V3_HLN}},
    {"MA", "Modified Availability", 0, 4, {X, VALS_V3_HLN}},
};

/* CVSS v4.0 specification §2-5 and the vector table (§7). */
enum {
    V4_AV, V4_AC, V4_AT, V4_PR, V4_UI, V4_VC, V4_VI, V4_VA, V4_SC, V4_SI, V4_SA, V4_E,
    V4_CR, V4_IR, V4_AR, V4_MAV, V4_MAC, V4_MAT, V4_MPR, V4_MUI, V4_MVC, V4_MVI, V4_MVA,
    V4_MSC, V4_MSI, V4_MSA, V4_S, V4_AU, V4_R, V4_V, V4_RE, V4_U, V4_COUNT
};
#define V4_BASE_COUNT 11 /* AV..SA; the modified metric of base metric i is V4_MAV + i */
#define VALS_V4_AVV V("N", "Network"), V("A", "Adjacent"), V("L", "Local"), V("P", "Physical")
#define VALS_V4_LH V("L", "Low"), V("H", "High")
#define VALS_V4_NP V("N", "None"), V("P", "Present")
#define VALS_V4_NLH V("N", "None"), V("L", "Low"), V("H", "High")
#define VALS_V4_UI V("N", "None"), V("P", "Passive"), V("A", "Active")
#define VALS_V4_HLN V("H", "High"), V("L", "Low"), V("N", "None")
#define VALS_V4_REQ V("H", "High"), V("M", "Medium"), V("L", "Low")
static const cvss_metric v4_metrics[V4_COUNT] = {
    {"AV", "Attack Vector", 1, 4, {VALS_V4_AVV}},
    {"AC", "Attack Complexity", 1, 2, {VALS_V4_LH}},
    {"AT", "Attack Requirements", 1, 2, {VALS_V4_NP}},
    {"PR", "Privileges Required", 1, 3, {VALS_V4_NLH}},
    {"UI", "User Interaction", 1, 3, {VALS_V4_UI}},
    {"VC", "Vulnerable System Confidentiality Impact", 1, 3, {VALS_V4_HLN}},
    {"VI", "Vulnerable System Integrity Impact", 1, 3, {VALS_V4_HLN}},
    {"VA", "Vulnerable System Availability Impact", 1, 3, {VALS_V4_HLN}},
    {"SC", "Subsequent System Confidentiality Impact", 1, 3, {VALS_V4_HLN}},
    {"SI", "Subsequent System Integrity Impact", 1, 3, {VALS_V4_HLN}},
    {"SA", "Subsequent System Availability Impact", 1, 3, {VALS_V4_HLN}},
    {"E", "Exploit Maturity", 0, 4,
     {X, V("A", "Attacked"), V("P", "POC"), V("U", "Unreported")}},
    {"CR", "Confidentiality Requirement", 0, 4, {X, VALS_V4_REQ}},
    {"IR", "Integrity Requirement", 0, 4, {X, VALS_V4_REQ}},
    {"AR", "Availability Requirement", 0, 4, {X, VALS_V4_REQ}},
    {"MAV", "Modified Attack Vector", 0, 5, {X, VALS_V4_AVV}},
    {"MAC", "Modified Attack Complexity", 0, 3, {X, VALS_V4_LH}},
    {"MAT", "Modified Attack Requirements", 0, 3, {X, VALS_V4_NP}},
    {"MPR", "Modified Privileges Required", 0, 4, {X, VALS_V4_NLH}},
    {"MUI", "Modified User Interaction", 0, 4, {X, VALS_V4_UI}},
    {"MVC", "Modified Vulnerable System Confidentiality Impact", 0, 4, {X, VALS_V4_HLN}},
    {"MVI", "Modified Vulnerable System Integrity Impact", 0, 4, {X, VALS_V4_HLN}},
    {"MVA", "Modified Vulnerable System Availability Impact", 0, 4, {X, VALS_V4_HLN}},
    {"MSC", "Modified Subsequent System Confidentiality Impact", 0, 4, {X, VALS_V4_HLN}},
    {"MSI", "Modified Subsequent System Integrity Impact", 0, 5, {X, V("S", "Safety"), VALS_V4_HLN}},
    {"MSA", "Modified Subsequent System Availability Impact", 0, 5, {X, V("S", "Safety"), VALS_V4_HLN}},
    {"S", "Safety", 0, 3, {X, V("N", "Negligible"), V("P", "Present")}},
    {"AU", "Automatable", 0, 3, {X, V("N", "No"), V("Y", "Yes")}},
    {"R", "Recovery", 0, 4, {X, V("A", "Automatic"), V("U", "User"), V("I", "Irrecoverable")}},
    {"V", "Value Density", 0, 3, {X, V("D", "Diffuse"), V("C", "Concentrated")}},
    {"RE", "Vulnerability Response Effort", 0, 4, {X, V("L", "Low"), V("M", "Moderate"), V("H", "High")}},
    {"U", "Provider Urgency", 0, 5,
     {X, V("Clear", "Clear"), V("Green", "Green"), V("Amber", "Amber"), V("Red", "Red")}},
};

#undef V
#undef X
#undef ND2
#undef VALS_V3_AVV
#undef VALS_V3_LH
#undef VALS_V3_NLH
#undef VALS_V3_NR
#undef VALS_V3_UC
#undef VALS_V3_HLN
#undef VALS_V3_REQ
#undef VALS_V4_AVV
#undef VALS_V4_LH
#undef VALS_V4_NP
#undef VALS_V4_NLH
#undef VALS_V4_UI
#undef VALS_V4_HLN
#undef VALS_V4_REQ

#define CVSS_TABLE_MAX V4_COUNT /* the largest table */

static const cvss_metric *table_of(lf_cvss_version v, int *count)
{
    switch (v) {
    case LF_CVSS_V2: *count = V2_COUNT; return v2_metrics;
    case LF_CVSS_V30:
    case LF_CVSS_V31: *count = V3_COUNT; return v3_metrics;
    case LF_CVSS_V40: *count = V4_COUNT; return v4_metrics;
    }
    *count = 0;
    return NULL;
}

/* Parsed metrics by table position: the table's value string, or NULL when absent. */
typedef struct {
    const char *val[CVSS_TABLE_MAX];
} cvss_vals;

/* First letter of metric i's value, or 0 when absent (all scored values are one letter). */
static char mv(const cvss_vals *m, int i)
{
    return m->val[i] ? m->val[i][0] : 0;
}

/* ------------------------------------------------------------------------------------ */
/* CVSS v2.0 base score (§3.2.1), exact in integers                                     */

/* Weights in thousandths (§3.2.1). */
static int64_t v2_w_av(char c) { return c == 'L' ? 395 : c == 'A' ? 646 : 1000; }
static int64_t v2_w_ac(char c) { return c == 'H' ? 350 : c == 'M' ? 610 : 710; }
static int64_t v2_w_au(char c) { return c == 'M' ? 450 : c == 'S' ? 560 : 704; }
static int64_t v2_w_cia(char c) { return c == 'N' ? 0 : c == 'P' ? 275 : 660; }

static int v2_score10(const cvss_vals *m)
{
    /* Impact = 10.41*(1-(1-C)*(1-I)*(1-A)), scaled by 1e11. */
    int64_t q = (1000 - v2_w_cia(mv(m, V2_C))) * (1000 - v2_w_cia(mv(m, V2_I))) *
                (1000 - v2_w_cia(mv(m, V2_A)));
    int64_t impact11 = 1041 * (1000000000LL - q);
    if (impact11 == 0)
        return 0; /* f(Impact) = 0 */
    /* Exploitability = 20*AV*AC*Au, scaled by 1e9. */
    int64_t expl9 = 20 * v2_w_av(mv(m, V2_AV)) * v2_w_ac(mv(m, V2_AC)) * v2_w_au(mv(m, V2_AU));
    /* ((0.6*Impact)+(0.4*Exploitability)-1.5)*1.176, scaled by 1e15. */
    int64_t s12 = 6 * impact11 + 400 * expl9 - 1500000000000LL;
    int64_t b15 = s12 * 1176;
    if (b15 <= 0)
        return 0;
    /* round_to_1_decimal: half up. */
    int64_t r = (b15 + 50000000000000LL) / 100000000000000LL;
    return r > 100 ? 100 : (int)r;
}

/* ------------------------------------------------------------------------------------ */
/* CVSS v3.0 / v3.1 base score                                                          */

/* v3.1 Appendix A: round to 5 decimals first so float noise never bumps a tenth. */
static int v31_roundup10(double x)
{
    int64_t i = (int64_t)floor(x * 100000.0 + 0.5);
    if (i % 10000 == 0)
        return (int)(i / 10000);
    return (int)(i / 10000 + 1);
}

/* v3.0 §8.1 Round up: smallest one-decimal number >= x (the reference calculator's Math.ceil(x * 10) / 10). */
static int v30_roundup10(double x)
{
    return (int)ceil(x * 10.0);
}

static double v3_w_av(char c) { return c == 'N' ? 0.85 : c == 'A' ? 0.62 : c == 'L' ? 0.55 : 0.2; }
static double v3_w_ac(char c) { return c == 'L' ? 0.77 : 0.44; }
static double v3_w_ui(char c) { return c == 'N' ? 0.85 : 0.62; }
static double v3_w_cia(char c) { return c == 'H' ? 0.56 : c == 'L' ? 0.22 : 0.0; }
static double v3_w_pr(char c, int changed)
{
    if (c == 'N')
        return 0.85;
    if (c == 'L')
        return changed ? 0.68 : 0.62;
    return changed ? 0.5 : 0.27;
}

static int v3_score10(const cvss_vals *m, int v31)
{
    int changed = mv(m, V3_S) == 'C';
    double iss = 1.0 - ((1.0 - v3_w_cia(mv(m, V3_C))) * (1.0 - v3_w_cia(mv(m, V3_I))) *
                        (1.0 - v3_w_cia(mv(m, V3_A))));
    double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15) : 6.42 * iss;
    double expl = 8.22 * v3_w_av(mv(m, V3_AV)) * v3_w_ac(mv(m, V3_AC)) *
                  v3_w_pr(mv(m, V3_PR), changed) * v3_w_ui(mv(m, V3_UI));
    if (impact <= 0)
        return 0;
    double raw = changed ? 1.08 * (impact + expl) : impact + expl;
    if (raw > 10.0)
        raw = 10.0;
    return v31 ? v31_roundup10(raw) : v30_roundup10(raw);
}

/* ------------------------------------------------------------------------------------ */
/* CVSS v4.0 (§8): MacroVector lookup and severity-distance interpolation               */

/*
 * MacroVector scores x 10, indexed [EQ1][EQ2][EQ3][EQ4][EQ5*2+EQ6]; -1 = no such
 * MacroVector (EQ3=2 only exists with EQ6=1). The 270 values are the cvss_lookup table
 * published with the FIRST CVSS v4.0 reference calculator (FIRST / Red Hat
 * cvss-v4-calculator, cvss_lookup.js, the same table as CVSS40.LOOKUP_TABLE in
 * cvss40.js; BSD-2-Clause), which the v4.0 spec §8 refers to for MacroVector scores.
 */
static const signed char v4_lookup[3][2][3][3][6] = {
    {   /* EQ1=0 */
        {   /* EQ2=0 */
            {{100, 99, 98, 95, 95, 92}, {100, 96, 93, 87, 91, 81}, {93, 90, 89, 80, 81, 68}},
            {{98, 95, 95, 92, 90, 84}, {93, 92, 89, 81, 81, 65}, {88, 80, 78, 70, 69, 48}},
            {{-1, 92, -1, 82, -1, 72}, {-1, 79, -1, 69, -1, 50}, {-1, 69, -1, 55, -1, 27}},
        },
        {   /* EQ2=1 */
            {{99, 97, 95, 92, 92, 85}, {95, 91, 90, 83, 84, 71}, {92, 81, 82, 71, 72, 53}},
            {{95, 93, 92, 85, 85, 73}, {92, 82, 80, 72, 70, 59}, {84, 70, 71, 52, 50, 30}},
            {{-1, 86, -1, 75, -1, 52}, {-1, 71, -1, 52, -1, 29}, {-1, 63, -1, 29, -1, 17}},
        },
    },
    {   /* EQ1=1 */
        {   /* EQ2=0 */
            {{98, 95, 94, 87, 91, 81}, {94, 89, 86, 74, 77, 64}, {87, 75, 74, 63, 63, 49}},
            {{94, 89, 88, 77, 76, 67}, {86, 76, 74, 58, 59, 50}, {72, 57, 57, 52, 52, 25}},
            {{-1, 83, -1, 70, -1, 54}, {-1, 65, -1, 58, -1, 26}, {-1, 53, -1, 21, -1, 13}},
        },
        {   /* EQ2=1 */
            {{95, 90, 88, 76, 76, 70}, {90, 77, 75, 62, 61, 53}, {77, 66, 68, 59, 52, 30}},
            {{89, 78, 76, 67, 62, 58}, {74, 59, 57, 57, 47, 23}, {61, 52, 57, 29, 24, 16}},
            {{-1, 71, -1, 59, -1, 30}, {-1, 58, -1, 26, -1, 15}, {-1, 23, -1, 13, -1, 6}},
        },
    },
    {   /* EQ1=2 */
        {   /* EQ2=0 */
            {{93, 87, 86, 72, 75, 58}, {86, 74, 74, 61, 56, 34}, {70, 54, 52, 40, 40, 22}},
            {{85, 75, 74, 55, 62, 51}, {72, 57, 55, 41, 46, 19}, {53, 36, 34, 19, 19, 8}},
            {{-1, 64, -1, 51, -1, 20}, {-1, 47, -1, 21, -1, 11}, {-1, 24, -1, 9, -1, 4}},
        },
        {   /* EQ2=1 */
            {{88, 75, 73, 53, 60, 50}, {73, 55, 59, 40, 41, 20}, {54, 43, 45, 22, 20, 11}},
            {{75, 55, 58, 45, 40, 21}, {61, 51, 48, 18, 20, 9}, {46, 18, 17, 7, 8, 2}},
            {{-1, 53, -1, 24, -1, 14}, {-1, 24, -1, 12, -1, 5}, {-1, 10, -1, 3, -1, 1}},
        },
    },
};

/* Score x 10 of MacroVector eq[0..5], or -1 when it does not exist. */
static int v4_macro(const int eq[6])
{
    if (eq[0] < 0 || eq[0] > 2 || eq[1] < 0 || eq[1] > 1 || eq[2] < 0 || eq[2] > 2 ||
        eq[3] < 0 || eq[3] > 2 || eq[4] < 0 || eq[4] > 2 || eq[5] < 0 || eq[5] > 1)
        return -1;
    return v4_lookup[eq[0]][eq[1]][eq[2]][eq[3]][eq[4] * 2 + eq[5]];
}

/* Severity levels in tenths (the reference calculator's METRIC_LEVELS: 0.0, 0.1, ...). */
static int lv_av(char c) { return c == 'N' ? 0 : c == 'A' ? 1 : c == 'L' ? 2 : 3; }
static int lv_pr(char c) { return c == 'N' ? 0 : c == 'L' ? 1 : 2; }
static int lv_ui(char c) { return c == 'N' ? 0 : c == 'P' ? 1 : 2; }
static int lv_ac(char c) { return c == 'L' ? 0 : 1; }
static int lv_at(char c) { return c == 'N' ? 0 : 1; }
static int lv_vcia(char c) { return c == 'H' ? 0 : c == 'L' ? 1 : 2; }
static int lv_sc(char c) { return c == 'H' ? 1 : c == 'L' ? 2 : 3; }
static int lv_sia(char c) { return c == 'S' ? 0 : c == 'H' ? 1 : c == 'L' ? 2 : 3; }
static int lv_req(char c) { return c == 'H' ? 0 : c == 'M' ? 1 : 2; }

/* Highest-severity vectors of each EQ's MacroVectors (reference calculator MAX_COMPOSED). */
typedef struct { char av, pr, ui; } v4_max1;
typedef struct { char ac, at; } v4_max2;
typedef struct { char vc, vi, va, cr, ir, ar; } v4_max36;
typedef struct { char sc, si, sa; } v4_max4;

static const v4_max1 v4_max_eq1[3][3] = {
    {{'N', 'N', 'N'}},
    {{'A', 'N', 'N'}, {'N', 'L', 'N'}, {'N', 'N', 'P'}},
    {{'P', 'N', 'N'}, {'A', 'L', 'P'}},
};
static const int v4_max_eq1_n[3] = {1, 3, 2};
static const v4_max2 v4_max_eq2[2][2] = {{{'L', 'N'}}, {{'H', 'N'}, {'L', 'P'}}};
static const int v4_max_eq2_n[2] = {1, 2};
static const v4_max36 v4_max_eq36[3][2][5] = {
    {{{'H', 'H', 'H', 'H', 'H', 'H'}},
     {{'H', 'H', 'L', 'M', 'M', 'H'}, {'H', 'H', 'H', 'M', 'M', 'M'}}},
    {{{'L', 'H', 'H', 'H', 'H', 'H'}, {'H', 'L', 'H', 'H', 'H', 'H'}},
     {{'L', 'H', 'L', 'H', 'M', 'H'}, {'L', 'H', 'H', 'H', 'M', 'M'}, {'H', 'L', 'H', 'M', 'H', 'M'},
      {'H', 'L', 'L', 'M', 'H', 'H'}, {'L', 'L', 'H', 'H', 'H', 'M'}}},
    {{{0}}, {{'L', 'L', 'L', 'H', 'H', 'H'}}},
};
static const int v4_max_eq36_n[3][2] = {{1, 2}, {2, 5}, {0, 1}};
static const v4_max4 v4_max_eq4[3] = {{'H', 'S', 'S'}, {'H', 'H', 'H'}, {'L', 'L', 'L'}};

/* Depth of each MacroVector in tenths (reference calculator MAX_SEVERITY). */
static const int v4_depth_eq1[3] = {1, 4, 5};
static const int v4_depth_eq2[2] = {1, 2};
static const int v4_depth_eq36[3][2] = {{7, 6}, {8, 8}, {0, 10}};
static const int v4_depth_eq4[3] = {6, 5, 4};

/* Effective values the v4 equations see (§8: modified metrics override base metrics;
 * E, CR, IR, AR not defined mean their worst case A, H, H, H). */
typedef struct {
    char av, ac, at, pr, ui, vc, vi, va, sc, si, sa, e, cr, ir, ar;
} v4_eff;

static v4_eff v4_effective(const cvss_vals *m, int base_only)
{
    char b[V4_BASE_COUNT];
    for (int i = 0; i < V4_BASE_COUNT; i++) {
        char mod = base_only ? 0 : mv(m, V4_MAV + i);
        b[i] = (mod && mod != 'X') ? mod : mv(m, i);
    }
    v4_eff f = {b[V4_AV], b[V4_AC], b[V4_AT], b[V4_PR], b[V4_UI], b[V4_VC], b[V4_VI],
                b[V4_VA], b[V4_SC], b[V4_SI], b[V4_SA], 'A', 'H', 'H', 'H'};
    if (!base_only) {
        char e = mv(m, V4_E), cr = mv(m, V4_CR), ir = mv(m, V4_IR), ar = mv(m, V4_AR);
        if (e && e != 'X')
            f.e = e;
        if (cr && cr != 'X')
            f.cr = cr;
        if (ir && ir != 'X')
            f.ir = ir;
        if (ar && ar != 'X')
            f.ar = ar;
    }
    return f;
}

/* §8.1 equivalence sets EQ1..EQ6. */
static void v4_eqs(const v4_eff *f, int eq[6])
{
    if (f->av == 'N' && f->pr == 'N' && f->ui == 'N')
        eq[0] = 0;
    else if ((f->av == 'N' || f->pr == 'N' || f->ui == 'N') && f->av != 'P')
        eq[0] = 1;
    else
        eq[0] = 2;
    eq[1] = (f->ac == 'L' && f->at == 'N') ? 0 : 1;
    if (f->vc == 'H' && f->vi == 'H')
        eq[2] = 0;
    else if (f->vc == 'H' || f->vi == 'H' || f->va == 'H')
        eq[2] = 1;
    else
        eq[2] = 2;
    if (f->si == 'S' || f->sa == 'S')
        eq[3] = 0;
    else if (f->sc == 'H' || f->si == 'H' || f->sa == 'H')
        eq[3] = 1;
    else
        eq[3] = 2;
    eq[4] = f->e == 'A' ? 0 : f->e == 'P' ? 1 : 2;
    eq[5] = ((f->cr == 'H' && f->vc == 'H') || (f->ir == 'H' && f->vi == 'H') ||
             (f->ar == 'H' && f->va == 'H')) ? 0 : 1;
}

static int v4_score10_eff(const v4_eff *f)
{
    /* No impact on either system: 0 (the reference calculator's shortcut). */
    if (f->vc == 'N' && f->vi == 'N' && f->va == 'N' && f->sc == 'N' && f->si == 'N' &&
        f->sa == 'N')
        return 0;

    int eq[6];
    v4_eqs(f, eq);
    int value = v4_macro(eq);
    if (value < 0)
        return 0; /* unreachable: every EQ combination the equations produce exists */

    /* §8.2 step 1a: score of the next lower MacroVector in each EQ (-1 = none). EQ3 and
     * EQ6 move together: 00 has two lower neighbours (the higher one counts), 01->11,
     * 10->11, 11->21, and 21 has none. */
    int lower[5];
    int t[6];
    memcpy(t, eq, sizeof t); t[0]++; lower[0] = v4_macro(t);
    memcpy(t, eq, sizeof t); t[1]++; lower[1] = v4_macro(t);
    memcpy(t, eq, sizeof t);
    if (eq[2] == 0 && eq[5] == 0) {
        int l, r;
        t[5]++; l = v4_macro(t);
        t[5]--; t[2]++; r = v4_macro(t);
        lower[2] = l > r ? l : r;
    } else if (eq[2] == 1 && eq[5] == 0) {
        t[5]++; lower[2] = v4_macro(t);
    } else if (eq[2] == 2) {
        lower[2] = -1;
    } else {
        t[2]++; lower[2] = v4_macro(t);
    }
    memcpy(t, eq, sizeof t); t[3]++; lower[3] = v4_macro(t);
    memcpy(t, eq, sizeof t); t[4]++; lower[4] = v4_macro(t);

    /* Step 1b: severity distance (in tenths) from a highest-severity vector of the same
     * MacroVector: the first combination, in the reference calculator's order, that is
     * at least as severe in every metric (or, should none be, the last one tried). */
    int d[15] = {0};
    int n1 = v4_max_eq1_n[eq[0]], n2 = v4_max_eq2_n[eq[1]], n36 = v4_max_eq36_n[eq[2]][eq[5]];
    int found = 0;
    for (int a = 0; a < n1 && !found; a++)
        for (int b = 0; b < n2 && !found; b++)
            for (int c = 0; c < n36 && !found; c++) {
                const v4_max1 *m1 = &v4_max_eq1[eq[0]][a];
                const v4_max2 *m2 = &v4_max_eq2[eq[1]][b];
                const v4_max36 *m3 = &v4_max_eq36[eq[2]][eq[5]][c];
                const v4_max4 *m4 = &v4_max_eq4[eq[3]];
                /* EQ4 and EQ5 have a single highest vector; EQ5's distance is 0. */
                d[0] = lv_av(f->av) - lv_av(m1->av);
                d[1] = lv_pr(f->pr) - lv_pr(m1->pr);
                d[2] = lv_ui(f->ui) - lv_ui(m1->ui);
                d[3] = lv_ac(f->ac) - lv_ac(m2->ac);
                d[4] = lv_at(f->at) - lv_at(m2->at);
                d[5] = lv_vcia(f->vc) - lv_vcia(m3->vc);
                d[6] = lv_vcia(f->vi) - lv_vcia(m3->vi);
                d[7] = lv_vcia(f->va) - lv_vcia(m3->va);
                d[8] = lv_req(f->cr) - lv_req(m3->cr);
                d[9] = lv_req(f->ir) - lv_req(m3->ir);
                d[10] = lv_req(f->ar) - lv_req(m3->ar);
                d[11] = lv_sc(f->sc) - lv_sc(m4->sc);
                d[12] = lv_sia(f->si) - lv_sia(m4->si);
                d[13] = lv_sia(f->sa) - lv_sia(m4->sa);
                found = 1;
                for (int k = 0; k < 14; k++)
                    if (d[k] < 0)
                        found = 0;
            }
    int dist[4] = {d[0] + d[1] + d[2], d[3] + d[4], d[5] + d[6] + d[7] + d[8] + d[9] + d[10],
                   d[11] + d[12] + d[13]};
    int depth[4] = {v4_depth_eq1[eq[0]], v4_depth_eq2[eq[1]], v4_depth_eq36[eq[2]][eq[5]],
                    v4_depth_eq4[eq[3]]};

    /* Steps 1c-d and 2: mean over the EQs that have a lower MacroVector of
     * (value - lower) * distance / depth; EQ5 counts with proportion 0. Exact rational:
     * the depths all divide 2520, so sum = T / 2520 tenths. */
    int64_t tsum = 0;
    int nlower = 0;
    for (int i = 0; i < 4; i++) {
        if (lower[i] < 0)
            continue;
        nlower++;
        tsum += (int64_t)(value - lower[i]) * dist[i] * (2520 / depth[i]);
    }
    if (lower[4] >= 0)
        nlower++;
    if (nlower == 0)
        return value;
    /* Step 3: value - mean, clamped to 0..10, rounded half up to one decimal (exact, so a
     * tie such as 8.55 is 8.6, as in the reference calculator after its tie fix). */
    int64_t q = 2520 * (int64_t)nlower;
    int64_t x = (int64_t)value * q - tsum; /* score x 10, times q */
    if (x <= 0)
        return 0;
    int64_t r = (2 * x + q) / (2 * q);
    return r > 100 ? 100 : (int)r;
}

static int v4_score10(const cvss_vals *m, int base_only)
{
    v4_eff f = v4_effective(m, base_only);
    return v4_score10_eff(&f);
}

/* ------------------------------------------------------------------------------------ */
/* Names and severities                                                                 */

const char *lf_cvss_version_name(lf_cvss_version v)
{
    switch (v) {
    case LF_CVSS_V2: return "2.0";
    case LF_CVSS_V30: return "3.0";
    case LF_CVSS_V31: return "3.1";
    case LF_CVSS_V40: return "4.0";
    }
    return "?";
}

const char *lf_cvss_severity_name(lf_cvss_severity s)
{
    switch (s) {
    case LF_SEV_NONE: return "NONE";
    case LF_SEV_LOW: return "LOW";
    case LF_SEV_MEDIUM: return "MEDIUM";
    case LF_SEV_HIGH: return "HIGH";
    case LF_SEV_CRITICAL: return "CRITICAL";
    }
    return "?";
}

lf_cvss_severity lf_cvss_severity_of(lf_cvss_version v, int score10)
{
    if (v == LF_CVSS_V2) {
        /* NVD's v2 bands: 0.0-3.9 Low, 4.0-6.9 Medium, 7.0-10.0 High. */
        if (score10 < 40)
            return LF_SEV_LOW;
        return score10 < 70 ? LF_SEV_MEDIUM : LF_SEV_HIGH;
    }
    /* v3.x §5 and v4.0 §6 Qualitative Severity Rating Scale. */
    if (score10 <= 0)
        return LF_SEV_NONE;
    if (score10 < 40)
        return LF_SEV_LOW;
    if (score10 < 70)
        return LF_SEV_MEDIUM;
    return score10 < 90 ? LF_SEV_HIGH : LF_SEV_CRITICAL;
}

/* ------------------------------------------------------------------------------------ */
/* Parsing                                                                              */

/* Printable, bounded rendering of input bytes for messages. */
static const char *show(const char *s, size_t n, char *buf, size_t cap)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (o + 8 >= cap || i >= 24) {
            memcpy(buf + o, "...", 3);
            o += 3;
            break;
        }
        if (c >= 0x20 && c < 0x7f && c != '\\') {
            buf[o++] = (char)c;
        } else {
            buf[o++] = '\\';
            buf[o++] = 'x';
            buf[o++] = hex[c >> 4];
            buf[o++] = hex[c & 15];
        }
    }
    buf[o] = '\0';
    return buf;
}

static int fail(lf_err *err, size_t col, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* All parse errors: LF_EPARSE with the 1-based column and the metric (field). */
static int fail(lf_err *err, size_t col, const char *field, const char *fmt, ...)
{
    char msg[sizeof(((lf_err *)0)->msg)];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    lf_err_set(err, LF_EPARSE, "%s", msg);
    lf_err_at(err, NULL, 0, (long)col, field ? field : "");
    return LF_EPARSE;
}

static int find_metric(const cvss_metric *tab, int count, const char *k, size_t kn)
{
    for (int i = 0; i < count; i++)
        if (strlen(tab[i].abbr) == kn && memcmp(tab[i].abbr, k, kn) == 0)
            return i;
    return -1;
}

static int find_value(const cvss_metric *m, const char *v, size_t vn)
{
    for (int i = 0; i < m->nvals; i++)
        if (strlen(m->vals[i].abbr) == vn && memcmp(m->vals[i].abbr, v, vn) == 0)
            return i;
    return -1;
}

/* "L, H" */
static const char *value_list(const cvss_metric *m, char *buf, size_t cap)
{
    size_t o = 0;
    buf[0] = '\0';
    for (int i = 0; i < m->nvals; i++) {
        int w = snprintf(buf + o, cap - o, "%s%s", i ? ", " : "", m->vals[i].abbr);
        if (w < 0 || (size_t)w >= cap - o)
            break;
        o += (size_t)w;
    }
    return buf;
}

/* Is `k` a metric of some other CVSS version (for a hint on a forgotten prefix)? */
static int known_elsewhere(lf_cvss_version v, const char *k, size_t kn)
{
    return (v != LF_CVSS_V31 && find_metric(v3_metrics, V3_COUNT, k, kn) >= 0) ||
           (v != LF_CVSS_V40 && find_metric(v4_metrics, V4_COUNT, k, kn) >= 0);
}

/* Parse the '/'-separated metrics in vec[b..e) (columns are 1-based in vec). */
static int parse_body(lf_cvss *out, cvss_vals *vals, const char *vec, size_t b, size_t e,
                      int implicit_v2, lf_err *err)
{
    int count;
    const cvss_metric *tab = table_of(out->version, &count);
    char s1[128], s2[128];
    size_t p = b;

    if (b < e) {
        for (;;) {
            size_t q = p;
            while (q < e && vec[q] != '/')
                q++;
            if (q == p) {
                if (p == e)
                    return fail(err, p, NULL, "trailing '/' at the end of the vector");
                return fail(err, p + 1, NULL, "empty component");
            }
            const char *colon = memchr(vec + p, ':', q - p);
            if (!colon)
                return fail(err, p + 1, show(vec + p, q - p, s1, 64),
                            "component '%s' is not METRIC:VALUE",
                            show(vec + p, q - p, s2, sizeof s2));
            size_t kn = (size_t)(colon - (vec + p));
            size_t vp = p + kn + 1, vn = q - vp;
            if (kn == 0)
                return fail(err, p + 1, NULL, "component '%s' has no metric name",
                            show(vec + p, q - p, s1, sizeof s1));
            int mi = find_metric(tab, count, vec + p, kn);
            if (mi < 0) {
                char hint[96] = "";
                if (implicit_v2 && known_elsewhere(out->version, vec + p, kn))
                    snprintf(hint, sizeof hint,
                             " (a v3/v4 vector needs its \"CVSS:3.1/\" or \"CVSS:4.0/\" prefix)");
                else if (kn == 4 && (vec[p] | 0x20) == 'c' && (vec[p + 1] | 0x20) == 'v' &&
                         (vec[p + 2] | 0x20) == 's' && (vec[p + 3] | 0x20) == 's')
                    snprintf(hint, sizeof hint, " (the prefix is spelled \"CVSS:\")");
                return fail(err, p + 1, show(vec + p, kn, s1, 64),
                            "unknown metric %s in a CVSS v%s vector%s",
                            show(vec + p, kn, s2, sizeof s2),
                            lf_cvss_version_name(out->version), hint);
            }
            const cvss_metric *m = &tab[mi];
            if (vals->val[mi])
                return fail(err, p + 1, m->abbr, "metric %s given twice", m->abbr);
            if (vn == 0)
                return fail(err, vp + 1, m->abbr, "metric %s has no value (%s)", m->abbr,
                            value_list(m, s1, sizeof s1));
            int vi = find_value(m, vec + vp, vn);
            if (vi < 0) {
                char s3[128];
                return fail(err, vp + 1, m->abbr, "%s:%s is not a valid value (%s)", m->abbr,
                            show(vec + vp, vn, s2, sizeof s2), value_list(m, s3, sizeof s3));
            }
            if (out->nmetrics >= LF_CVSS_MAX_METRICS) /* unreachable: no metric repeats */
                return fail(err, p + 1, m->abbr, "too many metrics");
            vals->val[mi] = m->vals[vi].abbr;
            snprintf(out->metric[out->nmetrics], sizeof out->metric[0], "%s", m->abbr);
            snprintf(out->value[out->nmetrics], sizeof out->value[0], "%s", m->vals[vi].abbr);
            out->nmetrics++;
            if (q == e)
                break;
            p = q + 1;
        }
    }
    for (int i = 0; i < count; i++)
        if (tab[i].mandatory && !vals->val[i])
            return fail(err, e + 1, tab[i].abbr, "missing mandatory metric %s",
                        tab[i].abbr);
    return LF_OK;
}

static int score_of(lf_cvss_version v, const cvss_vals *vals, int base_only)
{
    switch (v) {
    case LF_CVSS_V2: return v2_score10(vals);
    case LF_CVSS_V30: return v3_score10(vals, 0);
    case LF_CVSS_V31: return v3_score10(vals, 1);
    case LF_CVSS_V40: return v4_score10(vals, base_only);
    }
    return 0;
}

int lf_cvss_parse(lf_cvss *out, const char *vec, size_t n, lf_err *err)
{
    cvss_vals vals;
    size_t b = 0, e = n;
    int implicit_v2 = 0;
    char s1[128];

    if (!out || (!vec && n > 0)) {
        lf_err_set(err, LF_EINVAL, "lf_cvss_parse: NULL argument");
        return LF_EINVAL;
    }
    memset(out, 0, sizeof *out);
    memset(&vals, 0, sizeof vals);
    if (n == 0)
        return fail(err, 1, NULL, "empty CVSS vector");

    if (n >= 5 && memcmp(vec, "CVSS:", 5) == 0) {
        /* §6 (v3) / §7 (v4): "CVSS:<version>/" prefix. */
        size_t q = 5;
        while (q < n && vec[q] != '/')
            q++;
        size_t vn = q - 5;
        const char *ver = vec + 5;
        if (vn == 3 && memcmp(ver, "2.0", 3) == 0)
            out->version = LF_CVSS_V2;
        else if (vn == 3 && memcmp(ver, "3.0", 3) == 0)
            out->version = LF_CVSS_V30;
        else if (vn == 3 && memcmp(ver, "3.1", 3) == 0)
            out->version = LF_CVSS_V31;
        else if (vn == 3 && memcmp(ver, "4.0", 3) == 0)
            out->version = LF_CVSS_V40;
        else
            return fail(err, 6, "CVSS",
                        "unsupported CVSS version '%s' (expected 2.0, 3.0, 3.1 or 4.0)",
                        show(ver, vn, s1, sizeof s1));
        if (q + 1 == n)
            return fail(err, n, NULL, "trailing '/' at the end of the vector");
        /* "CVSS:3.1" alone has an empty body: the first missing base metric is reported. */
        b = q < n ? q + 1 : n;
    } else {
        /* v2 (Complete Guide §2.4): "AV:N/AC:L/Au:N/C:P/I:P/A:P", optionally "(...)". */
        out->version = LF_CVSS_V2;
        implicit_v2 = 1;
        if (vec[0] == '(') {
            if (vec[n - 1] != ')' || n < 2)
                return fail(err, n, NULL, "'(' without a closing ')'");
            b = 1;
            e = n - 1;
            if (b == e)
                return fail(err, 2, NULL, "empty CVSS vector in parentheses");
        }
    }

    int rc = parse_body(out, &vals, vec, b, e, implicit_v2, err);
    if (rc != LF_OK)
        goto fail;
    out->score10 = score_of(out->version, &vals, 0);
    out->severity = lf_cvss_severity_of(out->version, out->score10);
    return LF_OK;

fail:
    memset(out, 0, sizeof *out);
    return rc;
}

/* ------------------------------------------------------------------------------------ */
/* Working from a parsed lf_cvss                                                        */

/* Rebuild the by-table-position view of c; LF_EINVAL if c is not a valid parse result. */
static int vals_of(const lf_cvss *c, cvss_vals *vals, const cvss_metric **tab_out,
                   int pos[LF_CVSS_MAX_METRICS], int vix[LF_CVSS_MAX_METRICS])
{
    int count;
    const cvss_metric *tab = c ? table_of(c->version, &count) : NULL;
    if (!tab || c->nmetrics < 0 || c->nmetrics > LF_CVSS_MAX_METRICS)
        return LF_EINVAL;
    memset(vals, 0, sizeof *vals);
    for (int i = 0; i < c->nmetrics; i++) {
        const char *k = c->metric[i], *v = c->value[i];
        int mi = find_metric(tab, count, k, strnlen(k, sizeof c->metric[0]));
        if (mi < 0 || vals->val[mi])
            return LF_EINVAL;
        int vi = find_value(&tab[mi], v, strnlen(v, sizeof c->value[0]));
        if (vi < 0)
            return LF_EINVAL;
        vals->val[mi] = tab[mi].vals[vi].abbr;
        pos[i] = mi;
        vix[i] = vi;
    }
    for (int i = 0; i < count; i++)
        if (tab[i].mandatory && !vals->val[i])
            return LF_EINVAL;
    *tab_out = tab;
    return LF_OK;
}

int lf_cvss_base_score10(const lf_cvss *c)
{
    cvss_vals vals;
    const cvss_metric *tab;
    int pos[LF_CVSS_MAX_METRICS], vix[LF_CVSS_MAX_METRICS];
    if (vals_of(c, &vals, &tab, pos, vix) != LF_OK)
        return LF_EINVAL;
    return score_of(c->version, &vals, 1);
}

int lf_cvss_format(const lf_cvss *c, lf_buf *out)
{
    cvss_vals vals;
    const cvss_metric *tab;
    int pos[LF_CVSS_MAX_METRICS], vix[LF_CVSS_MAX_METRICS];
    if (!out || vals_of(c, &vals, &tab, pos, vix) != LF_OK)
        return LF_EINVAL;
    int rc = LF_OK;
    if (c->version != LF_CVSS_V2)
        rc = lf_buf_printf(out, "CVSS:%s/", lf_cvss_version_name(c->version));
    for (int i = 0; rc == LF_OK && i < c->nmetrics; i++)
        rc = lf_buf_printf(out, "%s%s:%s", i ? "/" : "", tab[pos[i]].abbr,
                           tab[pos[i]].vals[vix[i]].abbr);
    return rc;
}

int lf_cvss_explain(const lf_cvss *c, lf_buf *out)
{
    cvss_vals vals;
    const cvss_metric *tab;
    int pos[LF_CVSS_MAX_METRICS], vix[LF_CVSS_MAX_METRICS];
    if (!out || vals_of(c, &vals, &tab, pos, vix) != LF_OK)
        return LF_EINVAL;
    int rc = LF_OK;
    for (int i = 0; rc == LF_OK && i < c->nmetrics; i++) {
        const cvss_metric *m = &tab[pos[i]];
        const char *vname = m->vals[vix[i]].name;
        /* v3.0 §2.1.1 still calls AV:A "Adjacent Network"; v3.1 shortened it. */
        if (c->version == LF_CVSS_V30 && (pos[i] == V3_AV || pos[i] == V3_MAV) &&
            strcmp(m->vals[vix[i]].abbr, "A") == 0)
            vname = "Adjacent Network";
        rc = lf_buf_printf(out, "%s (%s): %s\n", m->name, m->abbr, vname);
    }
    return rc;
}
