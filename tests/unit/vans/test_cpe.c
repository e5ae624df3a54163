/* Tests for src/vans/cpe.c: CPE 2.3 binding/unbinding (NISTIR 7695) and name matching
 * (NISTIR 7696), with the spec examples, real NVD names and the NVD corpora in
 * ../shared/data (skipped when LF_SHARED_DATA is not set). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vans/cpe.h"

/* ---- helpers ------------------------------------------------------------------------ */

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    size_t r;
    while (buf && (r = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += r;
        if (cap - n - 1 == 0) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf)
        buf[n] = '\0';
    *len = n;
    return buf;
}

static const char *shared_dir(void)
{
    const char *d = getenv("LF_SHARED_DATA");
    return d && *d ? d : NULL;
}

static void parse_ok(lf_cpe *c, const char *s)
{
    lf_err e;
    lf_err_clear(&e);
    int rc = lf_cpe_parse(c, s, strlen(s), &e);
    if (rc != LF_OK)
        fail_msg("parse of %s failed: %s", s, e.msg);
}

/* A name whose version attribute is the formatted-string token tok, the rest fixed. */
static void with_version(lf_cpe *c, const char *tok)
{
    char fs[256];
    snprintf(fs, sizeof fs, "cpe:2.3:a:vendor:product:%s:*:*:*:*:*:*:*", tok);
    parse_ok(c, fs);
}

static const char *rel_name(lf_cpe_rel r)
{
    switch (r) {
    case LF_CPE_DISJOINT: return "DISJOINT";
    case LF_CPE_SUBSET: return "SUBSET";
    case LF_CPE_SUPERSET: return "SUPERSET";
    case LF_CPE_EQUAL: return "EQUAL";
    case LF_CPE_UNDEFINED: return "UNDEFINED";
    }
    return "?";
}

/* ---- parsing ------------------------------------------------------------------------ */

typedef struct {
    const char *in;
    size_t n;            /* 0: strlen(in) */
    int rc;
    /* success: the canonical formatted string, and one attribute's WFN value */
    const char *fs;
    int attr;            /* -1: no attribute check */
    const char *wfn;     /* NULL: attr must be ANY, "-": NA */
    /* failure: where, and a part of the message */
    const char *field;
    long col;
    const char *msg;
} parse_case;

#define OK(in, fs, attr, wfn) {in, 0, LF_OK, fs, attr, wfn, NULL, 0, NULL}
#define BAD(in, field, col, msg) {in, 0, LF_EPARSE, NULL, -1, NULL, field, col, msg}
/* for inputs with an embedded NUL: the length of the literal */
#define BADL(in, field, col, msg) {in, sizeof(in) - 1, LF_EPARSE, NULL, -1, NULL, field, col, msg}

static const parse_case parse_cases[] = {
    /* real NVD criteria (formatted strings are canonical, so they format back as-is) */
    OK("cpe:2.3:o:zyxel:usg_flex_100_firmware:5.21\\(aazf.7\\)c0:*:*:*:*:*:*:*",
       "cpe:2.3:o:zyxel:usg_flex_100_firmware:5.21\\(aazf.7\\)c0:*:*:*:*:*:*:*",
       LF_CPE_VERSION, "5\\.21\\(aazf\\.7\\)c0"),
    OK("cpe:2.3:a:oracle:jdk:1.8.0:update361:*:*:*:*:*:*",
       "cpe:2.3:a:oracle:jdk:1.8.0:update361:*:*:*:*:*:*", LF_CPE_UPDATE, "update361"),
    OK("cpe:2.3:a:gitlab:gitlab:*:*:*:*:community:*:*:*",
       "cpe:2.3:a:gitlab:gitlab:*:*:*:*:community:*:*:*", LF_CPE_SW_EDITION, "community"),
    OK("cpe:2.3:a:zoom:meetings:*:*:*:*:*:windows:*:*",
       "cpe:2.3:a:zoom:meetings:*:*:*:*:*:windows:*:*", LF_CPE_TARGET_SW, "windows"),
    OK("cpe:2.3:a:siemens:logo\\!_soft_comfort:*:*:*:*:*:*:*:*",
       "cpe:2.3:a:siemens:logo\\!_soft_comfort:*:*:*:*:*:*:*:*", LF_CPE_PRODUCT,
       "logo\\!_soft_comfort"),
    OK("cpe:2.3:a:ultimatemember:user_profile_\\&_membership:1.0.0:*:*:*:*:wordpress:*:*",
       "cpe:2.3:a:ultimatemember:user_profile_\\&_membership:1.0.0:*:*:*:*:wordpress:*:*",
       LF_CPE_PRODUCT, "user_profile_\\&_membership"),
    OK("cpe:2.3:a:notepad-plus-plus:notepad\\+\\+:6.5:*:*:*:*:*:*:*",
       "cpe:2.3:a:notepad-plus-plus:notepad\\+\\+:6.5:*:*:*:*:*:*:*", LF_CPE_VENDOR,
       "notepad\\-plus\\-plus"),
    OK("cpe:2.3:a:\\@nubosoftware\\/node-static_project:\\@nubosoftware\\/node-static:*:*:*:*:*:*:*:*",
       "cpe:2.3:a:\\@nubosoftware\\/node-static_project:\\@nubosoftware\\/node-static:*:*:*:*:*:*:*:*",
       LF_CPE_PRODUCT, "\\@nubosoftware\\/node\\-static"),
    OK("cpe:2.3:a:a1apps:office_app-edit_word\\,_pdf_file:*:*:*:*:*:*:*:*",
       "cpe:2.3:a:a1apps:office_app-edit_word\\,_pdf_file:*:*:*:*:*:*:*:*", LF_CPE_PRODUCT,
       "office_app\\-edit_word\\,_pdf_file"),
    OK("cpe:2.3:a:1c:1c\\:enterprise:*:*:*:*:*:*:*:*",
       "cpe:2.3:a:1c:1c\\:enterprise:*:*:*:*:*:*:*:*", LF_CPE_PRODUCT, "1c\\:enterprise"),
    OK("cpe:2.3:a:disney:where\\'s_my_perry\\?_free:*:*:*:*:*:*:*:*",
       "cpe:2.3:a:disney:where\\'s_my_perry\\?_free:*:*:*:*:*:*:*:*", LF_CPE_PRODUCT,
       "where\\'s_my_perry\\?_free"),
    OK("cpe:2.3:a:backpackforlaravel:backpack\\\\crud:*:*:*:*:*:*:*:*",
       "cpe:2.3:a:backpackforlaravel:backpack\\\\crud:*:*:*:*:*:*:*:*", LF_CPE_PRODUCT,
       "backpack\\\\crud"),
    OK("cpe:2.3:a:content\\*builder:content\\*builder:*:*:*:*:*:*:*:*",
       "cpe:2.3:a:content\\*builder:content\\*builder:*:*:*:*:*:*:*:*", LF_CPE_VENDOR,
       "content\\*builder"),
    OK("cpe:2.3:a:progress:connection_manager_for_objectscale*:*:*:*:*:*:*:*:*",
       "cpe:2.3:a:progress:connection_manager_for_objectscale*:*:*:*:*:*:*:*:*",
       LF_CPE_PRODUCT, "connection_manager_for_objectscale*"),
    OK("cpe:2.3:a:ruby-lang:openssl:-:*:*:*:*:ruby:*:*",
       "cpe:2.3:a:ruby-lang:openssl:-:*:*:*:*:ruby:*:*", LF_CPE_VERSION, "-"),
    /* 7695 §6.2.3.3 unbinding examples */
    OK("cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*",
       "cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*", LF_CPE_VERSION,
       "8\\.0\\.6001"),
    OK("cpe:2.3:a:microsoft:internet_explorer:8.*:sp?:*:*:*:*:*:*",
       "cpe:2.3:a:microsoft:internet_explorer:8.*:sp?:*:*:*:*:*:*", LF_CPE_UPDATE, "sp?"),
    OK("cpe:2.3:a:microsoft:internet_explorer:8.\\*:sp?:*:*:*:*:*:*",
       "cpe:2.3:a:microsoft:internet_explorer:8.\\*:sp?:*:*:*:*:*:*", LF_CPE_VERSION,
       "8\\.\\*"),
    OK("cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:-:*:*:online:win2003:x64:*",
       "cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:-:*:*:online:win2003:x64:*",
       LF_CPE_UPDATE, "-"),
    OK("cpe:2.3:a:foo\\\\bar:big\\$money_2010:*:*:*:*:special:ipod_touch:80gb:*",
       "cpe:2.3:a:foo\\\\bar:big\\$money_2010:*:*:*:*:special:ipod_touch:80gb:*",
       LF_CPE_VENDOR, "foo\\\\bar"),
    /* case, logical values, wildcards, quoting variants */
    OK("CPE:2.3:A:Microsoft:Internet_Explorer:8.0.6001:BETA:*:*:*:*:*:*",
       "cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*", LF_CPE_UPDATE,
       "beta"),
    OK("cpe:2.3:*:*:*:*:*:*:*:*:*:*:*", "cpe:2.3:*:*:*:*:*:*:*:*:*:*:*", LF_CPE_PART, NULL),
    OK("cpe:2.3:-:-:-:-:-:-:-:-:-:-:-", "cpe:2.3:-:-:-:-:-:-:-:-:-:-:-", LF_CPE_OTHER, "-"),
    OK("cpe:2.3:a:vendor:product:1.0:*:*:en-us:*:*:*:*",
       "cpe:2.3:a:vendor:product:1.0:*:*:en-us:*:*:*:*", LF_CPE_LANGUAGE, "en\\-us"),
    OK("cpe:2.3:a:vendor:product:1.0:*:*:ES-419:*:*:*:*",
       "cpe:2.3:a:vendor:product:1.0:*:*:es-419:*:*:*:*", LF_CPE_LANGUAGE, "es\\-419"),
    OK("cpe:2.3:a:notepad-plus-plus:notepad++:*:*:*:*:*:*:*:*",
       "cpe:2.3:a:notepad-plus-plus:notepad\\+\\+:*:*:*:*:*:*:*:*", LF_CPE_PRODUCT,
       "notepad\\+\\+"),
    OK("cpe:2.3:a:vendor:product:1\\.0\\-rc\\_1:*:*:*:*:*:*:*",
       "cpe:2.3:a:vendor:product:1.0-rc_1:*:*:*:*:*:*:*", LF_CPE_VERSION, "1\\.0\\-rc_1"),
    OK("cpe:2.3:a:vendor:product:??1??:*:*:*:*:*:*:*",
       "cpe:2.3:a:vendor:product:??1??:*:*:*:*:*:*:*", LF_CPE_VERSION, "??1??"),
    OK("cpe:2.3:a:vendor:product:*1.*:*:*:*:*:*:*:*",
       "cpe:2.3:a:vendor:product:*1.*:*:*:*:*:*:*:*", LF_CPE_VERSION, "*1\\.*"),
    OK("cpe:2.3:a:vendor:product:?:*:*:*:*:*:*:*",
       "cpe:2.3:a:vendor:product:?:*:*:*:*:*:*:*", LF_CPE_VERSION, "?"),
    OK("cpe:2.3:a:vendor:product:\\-:*:*:*:*:*:*:*",
       "cpe:2.3:a:vendor:product:\\-:*:*:*:*:*:*:*", LF_CPE_VERSION, "\\-"),
    OK("cpe:2.3:a:vendor:product:-1:*:*:*:*:*:*:*",
       "cpe:2.3:a:vendor:product:-1:*:*:*:*:*:*:*", LF_CPE_VERSION, "\\-1"),
    OK("cpe:2.3:a:vendor:product:\\~1:*:*:*:*:*:*:*",
       "cpe:2.3:a:vendor:product:\\~1:*:*:*:*:*:*:*", LF_CPE_VERSION, "\\~1"),
    /* URIs (7695 §6.1.3.3 examples and NVD dictionary names) */
    OK("cpe:/a:microsoft:internet_explorer:8.0.6001:beta",
       "cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*", LF_CPE_EDITION, NULL),
    OK("cpe:/a:microsoft:internet_explorer:8.%2a:sp%3f",
       "cpe:2.3:a:microsoft:internet_explorer:8.\\*:sp\\?:*:*:*:*:*:*", LF_CPE_UPDATE,
       "sp\\?"),
    OK("cpe:/a:microsoft:internet_explorer:8.%02:sp%01",
       "cpe:2.3:a:microsoft:internet_explorer:8.*:sp?:*:*:*:*:*:*", LF_CPE_VERSION, "8\\.*"),
    OK("cpe:/a:hp:insight_diagnostics:7.4.0.1570::~~online~win2003~x64~",
       "cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:*:*:*:online:win2003:x64:*",
       LF_CPE_TARGET_HW, "x64"),
    OK("cpe:/a:hp:openview_network_manager:7.51:-:~~~linux~~",
       "cpe:2.3:a:hp:openview_network_manager:7.51:-:*:*:*:linux:*:*", LF_CPE_TARGET_SW,
       "linux"),
    OK("cpe:/a:foo%5cbar:big%24money_2010:::~~special~ipod_touch~80gb~",
       "cpe:2.3:a:foo\\\\bar:big\\$money_2010:*:*:*:*:special:ipod_touch:80gb:*",
       LF_CPE_PRODUCT, "big\\$money_2010"),
    OK("cpe:/a:foo~bar:big%7emoney_2010",
       "cpe:2.3:a:foo\\~bar:big\\~money_2010:*:*:*:*:*:*:*:*", LF_CPE_VENDOR, "foo\\~bar"),
    OK("cpe:/a:ruby-lang:openssl:-::~~~ruby~~",
       "cpe:2.3:a:ruby-lang:openssl:-:*:*:*:*:ruby:*:*", LF_CPE_SW_EDITION, NULL),
    OK("cpe:/a:ultimatemember:user_profile_%26_membership:1.0.0::~~~wordpress~~",
       "cpe:2.3:a:ultimatemember:user_profile_\\&_membership:1.0.0:*:*:*:*:wordpress:*:*",
       LF_CPE_PRODUCT, "user_profile_\\&_membership"),
    OK("cpe:/a:ultraedit:ultraedit-32:10.20d%2B",
       "cpe:2.3:a:ultraedit:ultraedit-32:10.20d\\+:*:*:*:*:*:*:*", LF_CPE_VERSION,
       "10\\.20d\\+"),
    OK("CPE:/O:Microsoft:Windows_XP::SP2",
       "cpe:2.3:o:microsoft:windows_xp:*:sp2:*:*:*:*:*:*", LF_CPE_VERSION, NULL),
    OK("cpe:/a:vendor:product:1.0:::en-us",
       "cpe:2.3:a:vendor:product:1.0:*:*:en-us:*:*:*:*", LF_CPE_LANGUAGE, "en\\-us"),
    OK("cpe:/a:vendor:product:1.0:::-", "cpe:2.3:a:vendor:product:1.0:*:*:-:*:*:*:*",
       LF_CPE_LANGUAGE, "-"),
    OK("cpe:/a:vendor:product:1.0:beta:pro",
       "cpe:2.3:a:vendor:product:1.0:beta:pro:*:*:*:*:*", LF_CPE_EDITION, "pro"),
    OK("cpe:/:vendor", "cpe:2.3:*:vendor:*:*:*:*:*:*:*:*:*", LF_CPE_PART, NULL),
    OK("cpe:/", "cpe:2.3:*:*:*:*:*:*:*:*:*:*:*", LF_CPE_VENDOR, NULL),
    OK("cpe:/a:vendor:product:%2d", "cpe:2.3:a:vendor:product:\\-:*:*:*:*:*:*:*",
       LF_CPE_VERSION, "\\-"),

    /* formatted-string errors */
    BAD("", "", 1, "expected prefix 'cpe:2.3:' or 'cpe:/'"),
    BAD("cpe:2.2:a:vendor:product", "", 7, "expected prefix"),
    BAD("wfn:[part=\"a\"]", "", 1, "expected prefix"),
    BAD("cpe:2.3:a:vendor:product", "version", 25,
        "expected 13 colon-separated components, found 5"),
    BAD("cpe:2.3:a:vendor:product:1.0:*:*:*:*:*:*:*:extra", "other", 43,
        "expected 13 colon-separated components, found 14"),
    BAD("cpe:2.3:a:vendor:product 1:*:*:*:*:*:*:*", "other", 41,
        "expected 13 colon-separated components, found 12"),
    BAD("cpe:2.3:x:vendor:product:1.0:*:*:*:*:*:*:*", "part", 9,
        "part must be a, o, h or p, got 'x'"),
    BAD("cpe:2.3:app:vendor:product:1.0:*:*:*:*:*:*:*", "part", 9,
        "part must be a, o, h or p, got 'app'"),
    BAD("cpe:2.3:?:vendor:product:1.0:*:*:*:*:*:*:*", "part", 9, "got '?'"),
    BAD("cpe:2.3:a:vendor:prod:\x01:*:*:*:*:*:*:*", "version", 23,
        "invalid character '\\x01' in version at column 23"),
    BAD("cpe:2.3:a:vendor:product:1.*.2:*:*:*:*:*:*:*", "version", 28,
        "unquoted '*' inside value (only allowed at either end)"),
    BAD("cpe:2.3:a:vendor:product:1?2:*:*:*:*:*:*:*", "version", 27,
        "unquoted '?' inside value"),
    BAD("cpe:2.3:a:vendor:product:1??2:*:*:*:*:*:*:*", "version", 27,
        "unquoted '?' inside value"),
    BAD("cpe:2.3:a:vendor:pro duct:1.0:*:*:*:*:*:*:*", "product", 21,
        "invalid character ' ' in product"),
    BAD("cpe:2.3:a:vendor:product:1.0:*:*:*:*:*:*:a\tb", "other", 43,
        "invalid character '\\t' in other"),
    BAD("cpe:2.3:a:caf\xc3\xa9:product:1.0:*:*:*:*:*:*:*", "vendor", 14,
        "invalid character '\\xc3' in vendor at column 14"),
    BAD("cpe:2.3:a:vendor:product:1.0:*:*:*:*:*:*:x\x7f", "other", 43,
        "invalid character '\\x7f'"),
    BADL("cpe:2.3:a:vendor:product:1\0002:*:*:*:*:*:*:*", "version", 27,
         "invalid character '\\x00' in version"),
    BAD("cpe:2.3:a::product:1.0:*:*:*:*:*:*:*", "vendor", 11, "empty vendor"),
    BAD("cpe:2.3:a:vendor:product:1.0:*:*:*:*:*:*:", "other", 42, "empty other"),
    BAD("cpe:2.3:a:vendor:product:1.0:*:*:*:*:*:*:x\\", "other", 43, "quotes nothing"),
    BAD("cpe:2.3:a:ven\\dor:product:1.0:*:*:*:*:*:*:*", "vendor", 15,
        "quoted 'd' in vendor"),
    BAD("cpe:2.3:a:vendor:product:1\\\x01:*:*:*:*:*:*:*", "version", 28,
        "invalid character '\\x01'"),
    BAD("cpe:2.3:a:vendor:product:**:*:*:*:*:*:*:*", "version", 26, "only wildcards"),
    BAD("cpe:2.3:a:vendor:product:*?:*:*:*:*:*:*:*", "version", 26, "only wildcards"),
    BAD("cpe:2.3:a:vendor:product:1.0:*:*:english:*:*:*:*", "language", 34,
        "language must be a language tag"),
    BAD("cpe:2.3:a:vendor:product:1.0:*:*:en-*:*:*:*:*", "language", 34,
        "language must be a language tag"),
    BAD("cpe:2.3:a:vendor:product:1.0:*:*:en-u:*:*:*:*", "language", 34,
        "language must be a language tag"),
    /* URI errors */
    BAD("cpe:/x:vendor", "part", 6, "part must be a, o, h or p, got 'x'"),
    BAD("cpe:/a:b:c:d:e:f:en:h", "language", 20, "more than 7 components"),
    BAD("cpe:/a:foo%5cbar:big%24money_2010%07:::~~special~ipod_touch~80gb~", "product", 34,
        "invalid percent-encoding '%07'"),
    BAD("cpe:/a:foo:bar:12.%02.1234", "version", 19, "%02 ('*') inside value"),
    BAD("cpe:/a:foo:bar:1%012", "version", 17, "%01 ('?') inside value"),
    BAD("cpe:/a:foo:bar:%02", "version", 16, "only wildcards"),
    BAD("cpe:/a:foo:bar%4", "product", 15, "not followed by two hex digits"),
    BAD("cpe:/a:foo:bar%zz", "product", 15, "not followed by two hex digits"),
    BAD("cpe:/a:foo:b%41r", "product", 13, "invalid percent-encoding '%41'"),
    BAD("cpe:/a:foo:bar:1.*", "version", 18, "unencoded '*'"),
    BAD("cpe:/a:foo:bar:1.?", "version", 18, "unencoded '?'"),
    BAD("cpe:/a:foo:bar:1.0::~~x~y", "edition", 21, "packed edition has 3 '~'"),
    BAD("cpe:/a:foo:bar:1.0::~a~b~c~d~e~f", "edition", 31, "more than 5 '~'"),
    BAD("cpe:/a:foo:bar:1.0::~~~~~%02", "other", 26, "only wildcards"),
    BAD("cpe:/a:foo:bar:1.0:::english", "language", 22, "language must be a language tag"),
    BAD("cpe:/a:foo:bar baz", "product", 15, "invalid character ' ' in product"),
    BAD("cpe:", "", 5, "expected prefix"),
};

/* Every parse case gives the expected result, location and message. */
static void test_cpe_parse_table(void **state)
{
    (void)state;
    size_t ncase = sizeof parse_cases / sizeof parse_cases[0];
    assert_true(ncase >= 60);
    for (size_t i = 0; i < ncase; i++) {
        const parse_case *t = &parse_cases[i];
        size_t n = t->n ? t->n : strlen(t->in);
        lf_cpe c;
        lf_err e;
        lf_err_clear(&e);
        int rc = lf_cpe_parse(&c, t->in, n, &e);
        if (rc != t->rc)
            fail_msg("case %zu %s: rc %d, want %d (%s)", i, t->in, rc, t->rc, e.msg);
        if (rc == LF_OK) {
            char fs[LF_CPE_FS_BUF];
            assert_int_equal(lf_cpe_format_fs(&c, fs, sizeof fs), LF_OK);
            if (strcmp(fs, t->fs) != 0)
                fail_msg("case %zu %s: fs %s, want %s", i, t->in, fs, t->fs);
            if (t->attr >= 0) {
                if (!t->wfn)
                    assert_int_equal(lf_cpe_kind(&c, t->attr), LF_CPE_ANY);
                else if (strcmp(t->wfn, "-") == 0)
                    assert_int_equal(lf_cpe_kind(&c, t->attr), LF_CPE_NA);
                else if (!lf_cpe_value(&c, t->attr) ||
                         strcmp(lf_cpe_value(&c, t->attr), t->wfn) != 0)
                    fail_msg("case %zu %s: %s = %s, want %s", i, t->in,
                             lf_cpe_attr_name(t->attr),
                             lf_cpe_value(&c, t->attr) ? lf_cpe_value(&c, t->attr) : "(none)",
                             t->wfn);
            }
        } else {
            assert_int_equal(e.code, t->rc);
            if (strcmp(e.field, t->field) != 0 || e.col != t->col || !strstr(e.msg, t->msg))
                fail_msg("case %zu %s: field '%s' col %ld msg '%s'; want '%s' %ld '%s'", i,
                         t->in, e.field, e.col, e.msg, t->field, t->col, t->msg);
            /* a failed parse leaves the name all-ANY */
            for (int a = 0; a < LF_CPE_NATTR; a++)
                assert_int_equal(lf_cpe_kind(&c, a), LF_CPE_ANY);
        }
    }
}

/* Bindings longer than LF_CPE_MAX, or values that outgrow the WFN buffer, are LF_ELIMIT. */
static void test_cpe_parse_limits(void **state)
{
    (void)state;
    char big[LF_CPE_MAX + 64];
    lf_cpe c;
    lf_err e;
    /* 990 dots fit the binding but need 1980 bytes quoted */
    size_t n = (size_t)snprintf(big, sizeof big, "cpe:2.3:a:v:p:");
    memset(big + n, '.', 990);
    n += 990;
    n += (size_t)snprintf(big + n, sizeof big - n, ":*:*:*:*:*:*:*");
    assert_true(n <= LF_CPE_MAX);
    lf_err_clear(&e);
    assert_int_equal(lf_cpe_parse(&c, big, n, &e), LF_ELIMIT);
    assert_string_equal(e.field, "version");

    memset(big, 'a', sizeof big);
    memcpy(big, "cpe:2.3:", 8);
    lf_err_clear(&e);
    assert_int_equal(lf_cpe_parse(&c, big, LF_CPE_MAX + 1, &e), LF_ELIMIT);

    /* just at the limit: one long product of letters */
    n = (size_t)snprintf(big, sizeof big, "cpe:2.3:a:v:");
    size_t plen = LF_CPE_MAX - n - 20;
    memset(big + n, 'p', plen);
    n += plen;
    n += (size_t)snprintf(big + n, sizeof big - n, ":1:*:*:*:*:*:*:*");
    assert_true(n <= LF_CPE_MAX);
    assert_int_equal(lf_cpe_parse(&c, big, n, NULL), LF_OK);
    assert_int_equal(strlen(lf_cpe_value(&c, LF_CPE_PRODUCT)), plen);

    /* NULL input / output */
    assert_int_equal(lf_cpe_parse(NULL, "cpe:/", 5, NULL), LF_EINVAL);
    assert_int_equal(lf_cpe_parse(&c, NULL, 3, NULL), LF_EINVAL);
}

/* err keeps its caller-set location (src, line) and is not touched by a success. */
static void test_cpe_err_location(void **state)
{
    (void)state;
    lf_cpe c;
    lf_err e;
    lf_err_clear(&e);
    lf_err_at(&e, "feed.json", 12, 0, NULL);
    const char *s = "cpe:2.3:a:vendor:product:1.*.2:*:*:*:*:*:*:*";
    assert_int_equal(lf_cpe_parse(&c, s, strlen(s), &e), LF_EPARSE);
    char buf[700];
    lf_err_format(&e, buf, sizeof buf);
    assert_non_null(strstr(buf, "feed.json:12:28: version: unquoted '*'"));

    lf_err_clear(&e);
    s = "cpe:2.3:a:vendor:product:1:*:*:*:*:*:*:*";
    assert_int_equal(lf_cpe_parse(&c, s, strlen(s), &e), LF_OK);
    assert_int_equal(e.code, 0);
    assert_string_equal(e.msg, "");
}

/* ---- conversions ---------------------------------------------------------------------- */

typedef struct {
    const char *fs, *uri;
} conv_case;

/* 7695 §6.1.2.3 / §6.2.2.3 binding examples (same WFN, both bindings) and more. */
static const conv_case conv_cases[] = {
    {"cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*",
     "cpe:/a:microsoft:internet_explorer:8.0.6001:beta"},
    {"cpe:2.3:a:microsoft:internet_explorer:8.\\*:sp\\?:*:*:*:*:*:*",
     "cpe:/a:microsoft:internet_explorer:8.%2a:sp%3f"},
    {"cpe:2.3:a:microsoft:internet_explorer:8.*:sp?:*:*:*:*:*:*",
     "cpe:/a:microsoft:internet_explorer:8.%02:sp%01"},
    {"cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:-:*:*:online:win2003:x64:*",
     "cpe:/a:hp:insight_diagnostics:7.4.0.1570:-:~~online~win2003~x64~"},
    {"cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:*:*:*:online:win2003:x64:*",
     "cpe:/a:hp:insight_diagnostics:7.4.0.1570::~~online~win2003~x64~"},
    {"cpe:2.3:a:hp:openview_network_manager:7.51:-:*:*:*:linux:*:*",
     "cpe:/a:hp:openview_network_manager:7.51:-:~~~linux~~"},
    {"cpe:2.3:a:foo\\\\bar:big\\$money_manager_2010:*:*:*:*:special:ipod_touch:80gb:*",
     "cpe:/a:foo%5cbar:big%24money_manager_2010:::~~special~ipod_touch~80gb~"},
    {"cpe:2.3:a:foo\\~bar:big\\~money_2010:*:*:*:*:*:*:*:*",
     "cpe:/a:foo%7ebar:big%7emoney_2010"},
    {"cpe:2.3:o:zyxel:usg_flex_100_firmware:5.21\\(aazf.7\\)c0:*:*:*:*:*:*:*",
     "cpe:/o:zyxel:usg_flex_100_firmware:5.21%28aazf.7%29c0"},
    {"cpe:2.3:a:vendor:product:1.0:*:*:en-us:*:*:*:*", "cpe:/a:vendor:product:1.0:::en-us"},
    {"cpe:2.3:a:vendor:product:1.0:*:pro:*:*:*:*:*", "cpe:/a:vendor:product:1.0::pro"},
    {"cpe:2.3:a:vendor:product:1.0:*:pro:*:*:*:*:-", "cpe:/a:vendor:product:1.0::~pro~~~~-"},
    {"cpe:2.3:a:vendor:product:\\-:*:*:*:*:*:*:*", "cpe:/a:vendor:product:%2d"},
    {"cpe:2.3:a:vendor:product:??1*:*:*:*:*:*:*:*", "cpe:/a:vendor:product:%01%011%02"},
    {"cpe:2.3:a:\\@mail:\\@mail:*:*:*:*:*:*:*:*", "cpe:/a:%40mail:%40mail"},
    {"cpe:2.3:*:*:*:*:*:*:*:*:*:*:*", "cpe:/"},
    {"cpe:2.3:-:*:*:*:*:*:*:*:*:*:*", "cpe:/-"},
    {"cpe:2.3:h:*:*:*:*:*:*:*:*:*:*", "cpe:/h"},
    {"cpe:2.3:*:*:*:*:*:*:*:*:*:*:x", "cpe:/:::::~~~~~x"},
};

/* Each pair converts both ways (7695 §6.3), through the same WFN. */
static void test_cpe_fs_uri_conversion(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof conv_cases / sizeof conv_cases[0]; i++) {
        const conv_case *t = &conv_cases[i];
        lf_cpe a, b;
        char out[LF_CPE_URI_BUF];
        lf_err e;
        lf_err_clear(&e);
        if (lf_cpe_parse_fs(&a, t->fs, strlen(t->fs), &e) != LF_OK)
            fail_msg("%s: %s", t->fs, e.msg);
        if (lf_cpe_parse_uri(&b, t->uri, strlen(t->uri), &e) != LF_OK)
            fail_msg("%s: %s", t->uri, e.msg);
        assert_true(lf_cpe_equal(&a, &b));
        assert_int_equal(lf_cpe_format_uri(&a, out, sizeof out), LF_OK);
        if (strcmp(out, t->uri) != 0)
            fail_msg("%s -> %s, want %s", t->fs, out, t->uri);
        assert_int_equal(lf_cpe_format_fs(&b, out, sizeof out), LF_OK);
        if (strcmp(out, t->fs) != 0)
            fail_msg("%s -> %s, want %s", t->uri, out, t->fs);
    }
}

/* The WFN notation shows every attribute, values quoted, logical values bare. */
static void test_cpe_format_wfn(void **state)
{
    (void)state;
    lf_cpe c;
    parse_ok(&c, "cpe:/a:hp:insight_diagnostics:7.4.0.1570:-:~~online~win2003~x64~");
    char out[LF_CPE_WFN_BUF];
    assert_int_equal(lf_cpe_format_wfn(&c, out, sizeof out), LF_OK);
    assert_string_equal(out,
                        "wfn:[part=\"a\",vendor=\"hp\",product=\"insight_diagnostics\","
                        "version=\"7\\.4\\.0\\.1570\",update=NA,edition=ANY,language=ANY,"
                        "sw_edition=\"online\",target_sw=\"win2003\",target_hw=\"x64\","
                        "other=ANY]");
}

/* Formatters report LF_ELIMIT and leave "" when the buffer is one byte short. */
static void test_cpe_format_small_buffer(void **state)
{
    (void)state;
    lf_cpe c;
    const char *fs = "cpe:2.3:a:foo\\\\bar:big\\$money_2010:*:*:*:*:special:ipod_touch:80gb:*";
    const char *uri = "cpe:/a:foo%5cbar:big%24money_2010:::~~special~ipod_touch~80gb~";
    parse_ok(&c, fs);
    char out[LF_CPE_URI_BUF];
    size_t n = strlen(fs);
    assert_int_equal(lf_cpe_format_fs(&c, out, n + 1), LF_OK);
    assert_string_equal(out, fs);
    assert_int_equal(lf_cpe_format_fs(&c, out, n), LF_ELIMIT);
    assert_string_equal(out, "");
    n = strlen(uri);
    assert_int_equal(lf_cpe_format_uri(&c, out, n + 1), LF_OK);
    assert_string_equal(out, uri);
    assert_int_equal(lf_cpe_format_uri(&c, out, n), LF_ELIMIT);
    assert_string_equal(out, "");
    assert_int_equal(lf_cpe_format_wfn(&c, out, 10), LF_ELIMIT);
    assert_string_equal(out, "");
    assert_int_equal(lf_cpe_format_fs(&c, out, 0), LF_ELIMIT);
}

/* The advertised buffer sizes hold the largest names (every value byte quoted). */
static void test_cpe_format_buffer_sizes(void **state)
{
    (void)state;
    lf_cpe c;
    lf_cpe_init(&c);
    char plain[600];
    memset(plain, '~', sizeof plain);
    /* quoted '~' is 2 WFN bytes, 3 URI bytes each */
    assert_int_equal(lf_cpe_set_plain(&c, LF_CPE_OTHER, plain, 290), LF_OK);
    assert_int_equal(lf_cpe_set_plain(&c, LF_CPE_VENDOR, plain, 190), LF_OK);
    assert_int_equal(lf_cpe_set_plain(&c, LF_CPE_PRODUCT, plain, 10), LF_OK);
    assert_int_equal(lf_cpe_set_plain(&c, LF_CPE_VERSION, plain, 1), LF_OK);
    char fs[LF_CPE_FS_BUF], uri[LF_CPE_URI_BUF], wfn[LF_CPE_WFN_BUF];
    assert_int_equal(lf_cpe_format_fs(&c, fs, sizeof fs), LF_OK);
    assert_int_equal(lf_cpe_format_uri(&c, uri, sizeof uri), LF_OK);
    assert_int_equal(lf_cpe_format_wfn(&c, wfn, sizeof wfn), LF_OK);
    assert_true(strlen(uri) > 3 * 490);
    lf_cpe b;
    assert_int_equal(lf_cpe_parse(&b, fs, strlen(fs), NULL), LF_OK);
    assert_true(lf_cpe_equal(&b, &c));
    /* the URI is longer than any binding the parser accepts */
    assert_int_equal(lf_cpe_parse(&b, uri, strlen(uri), NULL), LF_ELIMIT);
}

/* ---- plain text ---------------------------------------------------------------------- */

/* lf_cpe_plain removes the WFN quoting; ANY and NA give "". */
static void test_cpe_plain(void **state)
{
    (void)state;
    lf_cpe c;
    parse_ok(&c, "cpe:2.3:o:zyxel:usg_flex_100_firmware:5.21\\(aazf.7\\)c0:-:*:*:*:*:*:"
                 "a\\\\b");
    char out[64];
    assert_int_equal(lf_cpe_plain(&c, LF_CPE_VERSION, out, sizeof out), 14);
    assert_string_equal(out, "5.21(aazf.7)c0");
    assert_int_equal(lf_cpe_plain(&c, LF_CPE_OTHER, out, sizeof out), 3);
    assert_string_equal(out, "a\\b");
    assert_int_equal(lf_cpe_plain(&c, LF_CPE_UPDATE, out, sizeof out), 0);
    assert_string_equal(out, "");
    assert_int_equal(lf_cpe_plain(&c, LF_CPE_EDITION, out, sizeof out), 0);
    assert_int_equal(lf_cpe_plain(&c, LF_CPE_VERSION, out, 14), -1);
    assert_int_equal(lf_cpe_plain(&c, LF_CPE_VERSION, out, 15), 14);
    assert_int_equal(lf_cpe_plain(&c, 11, out, sizeof out), -1);
}

typedef struct {
    int attr;
    const char *plain;
    int rc;
    const char *wfn;   /* value after, NULL: ANY, "-": NA */
} set_case;

static const set_case set_cases[] = {
    {LF_CPE_PRODUCT, "Notepad++", LF_OK, "notepad\\+\\+"},
    {LF_CPE_PRODUCT, "Internet Explorer", LF_OK, "internet_explorer"},
    {LF_CPE_VENDOR, "Regina Sweets & Bakery", LF_OK, "regina_sweets_\\&_bakery"},
    {LF_CPE_VERSION, "5.21(AAZF.7)C0", LF_OK, "5\\.21\\(aazf\\.7\\)c0"},
    {LF_CPE_VERSION, "1.*", LF_OK, "1\\.\\*"},
    {LF_CPE_VERSION, "a\\b", LF_OK, "a\\\\b"},
    {LF_CPE_VERSION, "*", LF_OK, NULL},
    {LF_CPE_VERSION, "-", LF_OK, "-"},
    {LF_CPE_VERSION, "--", LF_OK, "\\-\\-"},
    {LF_CPE_PART, "A", LF_OK, "a"},
    {LF_CPE_PART, "x", LF_EINVAL, NULL},
    {LF_CPE_PART, "app", LF_EINVAL, NULL},
    {LF_CPE_LANGUAGE, "en-US", LF_OK, "en\\-us"},
    {LF_CPE_LANGUAGE, "english", LF_EINVAL, NULL},
    {LF_CPE_PRODUCT, "\xe5\x8f\xb0\xe7\x81\xa3", LF_EINVAL, NULL},
    {LF_CPE_PRODUCT, "tab\there", LF_EINVAL, NULL},
    {LF_CPE_PRODUCT, "", LF_EINVAL, NULL},
    {11, "x", LF_EINVAL, NULL},
    {-1, "x", LF_EINVAL, NULL},
};

/* lf_cpe_set_plain lower-cases, maps spaces to '_', quotes punctuation, validates. */
static void test_cpe_set_plain(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof set_cases / sizeof set_cases[0]; i++) {
        const set_case *t = &set_cases[i];
        lf_cpe c;
        lf_cpe_init(&c);
        int rc = lf_cpe_set_plain(&c, t->attr, t->plain, strlen(t->plain));
        if (rc != t->rc)
            fail_msg("case %zu '%s': rc %d, want %d", i, t->plain, rc, t->rc);
        if (rc != LF_OK) {
            if (t->attr >= 0 && t->attr < LF_CPE_NATTR)
                assert_int_equal(lf_cpe_kind(&c, t->attr), LF_CPE_ANY);
            continue;
        }
        if (!t->wfn)
            assert_int_equal(lf_cpe_kind(&c, t->attr), LF_CPE_ANY);
        else if (strcmp(t->wfn, "-") == 0)
            assert_int_equal(lf_cpe_kind(&c, t->attr), LF_CPE_NA);
        else
            assert_string_equal(lf_cpe_value(&c, t->attr), t->wfn);
    }
}

/* Setting attributes one by one builds a name that binds like NVD's; replacing a value
 * keeps the others, and a value that does not fit leaves the name unchanged. */
static void test_cpe_set_plain_builds_name(void **state)
{
    (void)state;
    lf_cpe c;
    lf_cpe_init(&c);
    assert_int_equal(lf_cpe_set_plain(&c, LF_CPE_PART, "a", 1), LF_OK);
    assert_int_equal(lf_cpe_set_plain(&c, LF_CPE_VENDOR, "Notepad-Plus-Plus", 17), LF_OK);
    assert_int_equal(lf_cpe_set_plain(&c, LF_CPE_PRODUCT, "wrong", 5), LF_OK);
    assert_int_equal(lf_cpe_set_plain(&c, LF_CPE_VERSION, "8.4.9", 5), LF_OK);
    assert_int_equal(lf_cpe_set_plain(&c, LF_CPE_PRODUCT, "Notepad++", 9), LF_OK);
    lf_cpe_set_na(&c, LF_CPE_UPDATE);
    char fs[LF_CPE_FS_BUF];
    assert_int_equal(lf_cpe_format_fs(&c, fs, sizeof fs), LF_OK);
    assert_string_equal(fs, "cpe:2.3:a:notepad-plus-plus:notepad\\+\\+:8.4.9:-:*:*:*:*:*:*");
    lf_cpe_set_any(&c, LF_CPE_UPDATE);
    assert_int_equal(lf_cpe_kind(&c, LF_CPE_UPDATE), LF_CPE_ANY);

    /* fill the buffer: 2 x 400 letters, then 300 more do not fit */
    char big[400];
    memset(big, 'x', sizeof big);
    assert_int_equal(lf_cpe_set_plain(&c, LF_CPE_OTHER, big, 400), LF_OK);
    assert_int_equal(lf_cpe_set_plain(&c, LF_CPE_TARGET_HW, big, 400), LF_OK);
    lf_cpe before = c;
    assert_int_equal(lf_cpe_set_plain(&c, LF_CPE_TARGET_SW, big, 300), LF_ELIMIT);
    assert_true(lf_cpe_equal(&c, &before));
    /* replacing a value by a shorter one frees the space (no holes are left) */
    for (int i = 0; i < 50; i++)
        assert_int_equal(lf_cpe_set_plain(&c, LF_CPE_OTHER, big, 400 - (size_t)i), LF_OK);
    assert_int_equal(lf_cpe_set_plain(&c, LF_CPE_TARGET_SW, big, 40), LF_OK);
    assert_string_equal(lf_cpe_value(&c, LF_CPE_PRODUCT), "notepad\\+\\+");
    assert_int_equal(strlen(lf_cpe_value(&c, LF_CPE_OTHER)), 351);
    /* 600 punctuation characters need 1200 bytes quoted */
    char punct[600];
    memset(punct, '+', sizeof punct);
    assert_int_equal(lf_cpe_set_plain(&c, LF_CPE_EDITION, punct, sizeof punct), LF_ELIMIT);
}

/* lf_cpe_has_wildcards sees only unquoted '*' and '?'; lf_cpe_equal compares WFNs. */
static void test_cpe_wildcards_and_equal(void **state)
{
    (void)state;
    lf_cpe a, b;
    with_version(&a, "8.*");
    assert_true(lf_cpe_has_wildcards(&a, LF_CPE_VERSION));
    assert_false(lf_cpe_has_wildcards(&a, LF_CPE_PRODUCT));
    assert_false(lf_cpe_has_wildcards(&a, LF_CPE_UPDATE));
    with_version(&b, "8.\\*");
    assert_false(lf_cpe_has_wildcards(&b, LF_CPE_VERSION));
    assert_false(lf_cpe_equal(&a, &b));
    with_version(&b, "8.*");
    assert_true(lf_cpe_equal(&a, &b));
    with_version(&b, "-");
    assert_false(lf_cpe_equal(&a, &b));
    assert_string_equal(lf_cpe_attr_name(LF_CPE_TARGET_SW), "target_sw");
    assert_string_equal(lf_cpe_attr_name(LF_CPE_LANGUAGE), "language");
    assert_null(lf_cpe_value(&b, LF_CPE_VERSION));
    assert_null(lf_cpe_value(&b, LF_CPE_UPDATE));
}

/* ---- matching ------------------------------------------------------------------------- */

typedef struct {
    const char *src, *tgt;   /* formatted-string tokens for the version attribute */
    lf_cpe_rel rel;
} rel_case;

static const rel_case rel_cases[] = {
    /* NISTIR 7696 Table 6-2, rows 1-17 (i, k: wildcard-free values; m: with wildcards) */
    {"*", "*", LF_CPE_EQUAL},             /* 1  ANY  ANY */
    {"*", "-", LF_CPE_SUPERSET},          /* 2  ANY  NA */
    {"*", "1.0", LF_CPE_SUPERSET},        /* 3  ANY  i */
    {"*", "1.*", LF_CPE_UNDEFINED},       /* 4  ANY  m + wild cards */
    {"-", "*", LF_CPE_SUBSET},            /* 5  NA   ANY */
    {"-", "-", LF_CPE_EQUAL},             /* 6  NA   NA */
    {"-", "1.0", LF_CPE_DISJOINT},        /* 7  NA   i */
    {"-", "1.*", LF_CPE_UNDEFINED},       /* 8  NA   m + wild cards */
    {"1.0", "1.0", LF_CPE_EQUAL},         /* 9  i    i */
    {"1.0", "2.0", LF_CPE_DISJOINT},      /* 10 i    k */
    {"1.0", "1.*", LF_CPE_UNDEFINED},     /* 11 i    m + wild cards */
    {"1.0", "-", LF_CPE_DISJOINT},        /* 12 i    NA */
    {"1.0", "*", LF_CPE_SUBSET},          /* 13 i    ANY */
    {"1.*", "*", LF_CPE_SUBSET},          /* 14 m + wild cards  ANY */
    {"1.*", "-", LF_CPE_DISJOINT},        /* 15 m + wild cards  NA */
    {"1.*", "1.0", LF_CPE_SUPERSET},      /* 16 m + wild cards  m' (matching) */
    {"1.*", "2.0", LF_CPE_DISJOINT},      /* 17 m + wild cards  k (not matching) */
    {"1.*", "1.*", LF_CPE_UNDEFINED},     /* both with wildcards */
    /* '*' matches any sequence, also an empty one */
    {"1.*", "1.", LF_CPE_SUPERSET},
    {"1.*", "1", LF_CPE_DISJOINT},
    {"*.0", "11.0", LF_CPE_SUPERSET},
    {"*.0", "1.01", LF_CPE_DISJOINT},
    {"*1*", "a1b", LF_CPE_SUPERSET},
    {"*1*", "1", LF_CPE_SUPERSET},
    {"*1*", "abc", LF_CPE_DISJOINT},
    /* each '?' matches exactly one character */
    {"sp?", "sp2", LF_CPE_SUPERSET},
    {"sp?", "sp", LF_CPE_DISJOINT},
    {"sp?", "sp10", LF_CPE_DISJOINT},
    {"??1", "ab1", LF_CPE_SUPERSET},
    {"??1", "b1", LF_CPE_DISJOINT},
    {"??1", "abc1", LF_CPE_DISJOINT},
    {"?", "x", LF_CPE_SUPERSET},
    {"?", "xy", LF_CPE_DISJOINT},
    {"??", "xy", LF_CPE_SUPERSET},
    {"?1*", "x1yy", LF_CPE_SUPERSET},
    {"?1*", "1yy", LF_CPE_DISJOINT},
    {"*1?", "xx1y", LF_CPE_SUPERSET},
    {"*1?", "xx1", LF_CPE_DISJOINT},
    {"*1??", "1ab", LF_CPE_SUPERSET},
    /* positions count characters, not quoting backslashes */
    {"?.1", "1.1", LF_CPE_SUPERSET},
    {"??.1", "1.1", LF_CPE_DISJOINT},
    {"*\\(1\\)", "2\\(1\\)", LF_CPE_SUPERSET},
    {"1.?", "1.\\(", LF_CPE_SUPERSET},
    /* quoted special characters are literals */
    {"8.\\*", "8.\\*", LF_CPE_EQUAL},
    {"8.\\*", "8.0", LF_CPE_DISJOINT},
    {"sp?", "sp\\?", LF_CPE_SUPERSET},
    {"8.\\*", "8.*", LF_CPE_UNDEFINED},
};

/* Attribute relations follow NISTIR 7696 Table 6-2 and the wildcard rules of §6.1.3.2. */
static void test_cpe_compare_attr_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof rel_cases / sizeof rel_cases[0]; i++) {
        const rel_case *t = &rel_cases[i];
        lf_cpe s, g;
        with_version(&s, t->src);
        with_version(&g, t->tgt);
        lf_cpe_rel r = lf_cpe_compare_attr(&s, &g, LF_CPE_VERSION);
        if (r != t->rel)
            fail_msg("case %zu: %s vs %s = %s, want %s", i, t->src, t->tgt, rel_name(r),
                     rel_name(t->rel));
    }
}

/* Matching ignores case even in values that were not lower-cased on the way in. */
static void test_cpe_compare_attr_case(void **state)
{
    (void)state;
    lf_cpe s, g;
    with_version(&s, "abc");
    with_version(&g, "abc");
    g.buf[g.off[LF_CPE_VERSION]] = 'A';
    assert_int_equal(lf_cpe_compare_attr(&s, &g, LF_CPE_VERSION), LF_CPE_EQUAL);
    with_version(&s, "a*");
    assert_int_equal(lf_cpe_compare_attr(&s, &g, LF_CPE_VERSION), LF_CPE_SUPERSET);
    assert_int_equal(lf_cpe_compare_attr(&s, &g, -1), LF_CPE_UNDEFINED);
    assert_int_equal(lf_cpe_compare_attr(&s, &g, LF_CPE_NATTR), LF_CPE_UNDEFINED);
}

typedef struct {
    const char *src, *tgt;
    lf_cpe_rel rel;
    bool match;
} name_case;

static const name_case name_cases[] = {
    /* 7696 §6.2 / reference-implementation examples */
    {"cpe:2.3:a:microsoft:internet_explorer:*:*:*:*:*:*:*:*",
     "cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*", LF_CPE_SUPERSET, true},
    {"cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*",
     "cpe:2.3:a:microsoft:internet_explorer:*:*:*:*:*:*:*:*", LF_CPE_SUBSET, false},
    {"cpe:2.3:a:adobe:*:9.*:*:PalmOS:*:*:*:*:*", "cpe:/a::Reader:9.3.2:-:-", LF_CPE_DISJOINT,
     false},
    {"cpe:2.3:a:microsoft:internet_explorer:8.*:sp?:*:*:*:*:*:*",
     "cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*", LF_CPE_DISJOINT,
     false},
    {"cpe:2.3:a:microsoft:internet_explorer:8.*:sp?:*:*:*:*:*:*",
     "cpe:2.3:a:microsoft:internet_explorer:8.0.6001:sp2:*:*:*:*:*:*", LF_CPE_SUPERSET, true},
    {"cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*",
     "cpe:2.3:a:microsoft:internet_explorer:8.*:sp?:*:*:*:*:*:*", LF_CPE_UNDEFINED, false},
    {"cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*",
     "cpe:/a:microsoft:internet_explorer:8.0.6001:beta", LF_CPE_EQUAL, true},
    /* NVD criteria against inventory names */
    {"cpe:2.3:a:zoom:meetings:*:*:*:*:*:windows:*:*",
     "cpe:2.3:a:zoom:meetings:5.13.0:*:*:*:*:windows:*:*", LF_CPE_SUPERSET, true},
    {"cpe:2.3:a:zoom:meetings:*:*:*:*:*:windows:*:*",
     "cpe:2.3:a:zoom:meetings:5.13.0:*:*:*:*:macos:*:*", LF_CPE_DISJOINT, false},
    {"cpe:2.3:a:oneidentity:syslog-ng:*:*:*:*:-:*:*:*",
     "cpe:2.3:a:oneidentity:syslog-ng:4.71:*:*:*:premium:*:*:*", LF_CPE_DISJOINT, false},
    {"cpe:2.3:a:microsoft:*:8.0:*:*:*:*:*:*:*",
     "cpe:2.3:a:microsoft:internet_explorer:*:*:*:*:*:*:*:*", LF_CPE_UNDEFINED, false},
    {"cpe:2.3:o:zyxel:usg_flex_100_firmware:5.21\\(aazf.7\\)c0:*:*:*:*:*:*:*",
     "cpe:2.3:o:zyxel:usg_flex_100_firmware:5.21\\(aazf.7\\)c0:*:*:*:*:*:*:*", LF_CPE_EQUAL,
     true},
    {"cpe:2.3:o:zyxel:usg_flex_100_firmware:5.21\\(aazf.*:*:*:*:*:*:*:*",
     "cpe:2.3:o:zyxel:usg_flex_100_firmware:5.21\\(aazf.7\\)c0:*:*:*:*:*:*:*",
     LF_CPE_SUPERSET, true},
    {"cpe:2.3:o:zyxel:usg_flex_100_firmware:5.21\\(abuh*:*:*:*:*:*:*:*",
     "cpe:2.3:o:zyxel:usg_flex_100_firmware:5.21\\(aazf.7\\)c0:*:*:*:*:*:*:*",
     LF_CPE_DISJOINT, false},
    {"cpe:2.3:a:progress:connection_manager_for_objectscale*:*:*:*:*:*:*:*:*",
     "cpe:2.3:a:progress:connection_manager_for_objectscale_2:1.0:*:*:*:*:*:*:*",
     LF_CPE_SUPERSET, true},
};

/* Name relations follow NISTIR 7696 §6.2 over the 11 attribute relations. */
static void test_cpe_compare_names(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof name_cases / sizeof name_cases[0]; i++) {
        const name_case *t = &name_cases[i];
        lf_cpe s, g;
        parse_ok(&s, t->src);
        parse_ok(&g, t->tgt);
        lf_cpe_rel per[LF_CPE_NATTR];
        lf_cpe_rel r = lf_cpe_compare(&s, &g, per);
        if (r != t->rel)
            fail_msg("case %zu: %s vs %s = %s, want %s", i, t->src, t->tgt, rel_name(r),
                     rel_name(t->rel));
        assert_int_equal(lf_cpe_compare(&s, &g, NULL), r);
        assert_int_equal(lf_cpe_match(&s, &g), t->match);
        for (int a = 0; a < LF_CPE_NATTR; a++)
            assert_int_equal(per[a], lf_cpe_compare_attr(&s, &g, a));
    }
    /* the adobe example attribute by attribute (7696 reference implementation) */
    lf_cpe s, g;
    lf_cpe_rel per[LF_CPE_NATTR];
    parse_ok(&s, "cpe:2.3:a:adobe:*:9.*:*:PalmOS:*:*:*:*:*");
    parse_ok(&g, "cpe:/a::Reader:9.3.2:-:-");
    lf_cpe_compare(&s, &g, per);
    const lf_cpe_rel want[LF_CPE_NATTR] = {
        LF_CPE_EQUAL, LF_CPE_SUBSET, LF_CPE_SUPERSET, LF_CPE_SUPERSET, LF_CPE_SUPERSET,
        LF_CPE_DISJOINT, LF_CPE_EQUAL, LF_CPE_EQUAL, LF_CPE_EQUAL, LF_CPE_EQUAL, LF_CPE_EQUAL,
    };
    for (int a = 0; a < LF_CPE_NATTR; a++)
        assert_int_equal(per[a], want[a]);
}

/* ---- corpora ------------------------------------------------------------------------- */

/* parse -> format_fs -> parse gives the same WFN, and the URI round trip too. */
static void round_trip(const char *s, size_t n, bool exact, const char *what)
{
    lf_cpe a, b;
    lf_err e;
    lf_err_clear(&e);
    if (lf_cpe_parse(&a, s, n, &e) != LF_OK)
        fail_msg("%s: %.*s: %s (col %ld)", what, (int)n, s, e.msg, e.col);
    char fs[LF_CPE_FS_BUF], uri[LF_CPE_URI_BUF];
    assert_int_equal(lf_cpe_format_fs(&a, fs, sizeof fs), LF_OK);
    if (exact && (strlen(fs) != n || memcmp(fs, s, n) != 0))
        fail_msg("%s: %.*s formats as %s", what, (int)n, s, fs);
    if (lf_cpe_parse_fs(&b, fs, strlen(fs), &e) != LF_OK || !lf_cpe_equal(&a, &b))
        fail_msg("%s: %s does not parse back to the same name", what, fs);
    assert_int_equal(lf_cpe_format_uri(&a, uri, sizeof uri), LF_OK);
    if (lf_cpe_parse_uri(&b, uri, strlen(uri), &e) != LF_OK || !lf_cpe_equal(&a, &b))
        fail_msg("%s: %s (URI of %.*s) does not parse back", what, uri, (int)n, s);
}

/* Every "criteria" of the NVD records parses and formats back to the same string. */
static void test_cpe_nvd_corpus(void **state)
{
    (void)state;
    const char *dir = shared_dir();
    if (!dir)
        skip();
    char path[4096];
    snprintf(path, sizeof path, "%s/nvd", dir);
    DIR *d = opendir(path);
    if (!d)
        skip();
    size_t names = 0, files = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        size_t nl = strlen(de->d_name);
        if (nl < 5 || strcmp(de->d_name + nl - 5, ".json") != 0)
            continue;
        snprintf(path, sizeof path, "%s/nvd/%s", dir, de->d_name);
        size_t len;
        char *text = slurp(path, &len);
        assert_non_null(text);
        files++;
        const char *key = "\"criteria\": \"";
        for (char *p = strstr(text, key); p; p = strstr(p, key)) {
            p += strlen(key);
            /* JSON-unescape the string value (NVD uses \\ and \" and \/ only) */
            char val[2048];
            size_t w = 0;
            while (*p && *p != '"' && w + 1 < sizeof val) {
                if (*p == '\\' && p[1]) {
                    p++;
                    val[w++] = *p == 'n' ? '\n' : *p;
                    p++;
                } else {
                    val[w++] = *p++;
                }
            }
            round_trip(val, w, true, de->d_name);
            names++;
        }
        free(text);
    }
    closedir(d);
    if (files == 0)
        skip();
    print_message("NVD corpus: %zu criteria in %zu files\n", names, files);
    assert_true(names >= 1000);
}

static size_t xml_unescape(const char *s, size_t n, char *out, size_t cap)
{
    static const struct {
        const char *ent;
        char c;
    } ents[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
    size_t w = 0;
    for (size_t i = 0; i < n && w + 1 < cap; i++) {
        size_t k;
        for (k = 0; k < sizeof ents / sizeof ents[0]; k++) {
            size_t el = strlen(ents[k].ent);
            if (i + el <= n && memcmp(s + i, ents[k].ent, el) == 0) {
                out[w++] = ents[k].c;
                i += el - 1;
                break;
            }
        }
        if (k == sizeof ents / sizeof ents[0])
            out[w++] = s[i];
    }
    out[w] = '\0';
    return w;
}

/* Each item of the NVD CPE dictionary slice has a URI (cpe-item name) and a formatted
 * string (cpe23-item name): both unbind to the same WFN, and each binds back exactly. */
static void test_cpe_dictionary_uri_fs_pairs(void **state)
{
    (void)state;
    const char *dir = shared_dir();
    if (!dir)
        skip();
    char path[4096];
    snprintf(path, sizeof path, "%s/cpe/official-cpe-dictionary_v2.3.slice-syft-testdata.xml",
             dir);
    size_t len;
    char *text = slurp(path, &len);
    if (!text)
        skip();
    size_t pairs = 0;
    const char *k1 = "<cpe-item name=\"", *k2 = "<cpe-23:cpe23-item name=\"";
    for (char *p = strstr(text, k1); p; p = strstr(p, k1)) {
        p += strlen(k1);
        char *q = strchr(p, '"');
        char *f = strstr(q, k2);
        assert_non_null(f);
        f += strlen(k2);
        char *fq = strchr(f, '"');
        char uri[2048], fs[2048];
        size_t un = xml_unescape(p, (size_t)(q - p), uri, sizeof uri);
        size_t fn = xml_unescape(f, (size_t)(fq - f), fs, sizeof fs);
        lf_cpe a, b;
        lf_err e;
        lf_err_clear(&e);
        if (lf_cpe_parse(&a, uri, un, &e) != LF_OK)
            fail_msg("%s: %s", uri, e.msg);
        if (lf_cpe_parse(&b, fs, fn, &e) != LF_OK)
            fail_msg("%s: %s", fs, e.msg);
        if (!lf_cpe_equal(&a, &b))
            fail_msg("%s and %s differ", uri, fs);
        char out[LF_CPE_URI_BUF];
        assert_int_equal(lf_cpe_format_uri(&b, out, sizeof out), LF_OK);
        if (strcmp(out, uri) != 0)
            fail_msg("%s binds to URI %s, dictionary has %s", fs, out, uri);
        assert_int_equal(lf_cpe_format_fs(&a, out, sizeof out), LF_OK);
        if (strcmp(out, fs) != 0)
            fail_msg("%s binds to %s, dictionary has %s", uri, out, fs);
        round_trip(fs, fn, true, "dictionary");
        pairs++;
        p = fq;
    }
    free(text);
    print_message("dictionary: %zu URI/formatted-string pairs\n", pairs);
    assert_true(pairs >= 3000);
}

/* All 70k vendor/product pairs of the CPE vocabulary parse as names and round-trip. */
static void test_cpe_vocabulary_corpus(void **state)
{
    (void)state;
    const char *dir = shared_dir();
    if (!dir)
        skip();
    char path[4096];
    snprintf(path, sizeof path, "%s/cpe/tiiuae-cpedict-cpes.csv", dir);
    size_t len;
    char *text = slurp(path, &len);
    if (!text)
        skip();
    size_t rows = 0;
    char *line = strchr(text, '\n');   /* skip the header */
    while (line && *++line) {
        char *end = strchr(line, '\n');
        size_t ll = end ? (size_t)(end - line) : strlen(line);
        /* "vendor","product": split at the "," between the two quoted fields */
        char *sep = NULL;
        for (size_t i = 0; i + 3 <= ll && !sep; i++)
            if (memcmp(line + i, "\",\"", 3) == 0)
                sep = line + i;
        assert_non_null(sep);
        assert_true(ll >= 5 && line[0] == '"' && line[ll - 1] == '"');
        char fs[2200];
        int n = snprintf(fs, sizeof fs, "cpe:2.3:a:%.*s:%.*s:*:*:*:*:*:*:*:*",
                         (int)(sep - line - 1), line + 1, (int)(line + ll - 1 - sep - 3),
                         sep + 3);
        /* NVD spells names in lower case, but a few entries keep capitals; one has a
         * CSV-doubled quote: those are checked by WFN, the rest also as strings */
        bool exact = true;
        for (int i = 0; i < n; i++)
            if ((fs[i] >= 'A' && fs[i] <= 'Z') || fs[i] == '"')
                exact = false;
        round_trip(fs, (size_t)n, exact, "vocabulary");
        rows++;
        line = end;
    }
    free(text);
    print_message("vocabulary: %zu vendor/product pairs\n", rows);
    assert_true(rows >= 70000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cpe_parse_table),
        cmocka_unit_test(test_cpe_parse_limits),
        cmocka_unit_test(test_cpe_err_location),
        cmocka_unit_test(test_cpe_fs_uri_conversion),
        cmocka_unit_test(test_cpe_format_wfn),
        cmocka_unit_test(test_cpe_format_small_buffer),
        cmocka_unit_test(test_cpe_format_buffer_sizes),
        cmocka_unit_test(test_cpe_plain),
        cmocka_unit_test(test_cpe_set_plain),
        cmocka_unit_test(test_cpe_set_plain_builds_name),
        cmocka_unit_test(test_cpe_wildcards_and_equal),
        cmocka_unit_test(test_cpe_compare_attr_table),
        cmocka_unit_test(test_cpe_compare_attr_case),
        cmocka_unit_test(test_cpe_compare_names),
        cmocka_unit_test(test_cpe_nvd_corpus),
        cmocka_unit_test(test_cpe_dictionary_uri_fs_pairs),
        cmocka_unit_test(test_cpe_vocabulary_corpus),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
