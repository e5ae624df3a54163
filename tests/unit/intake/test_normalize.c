/*
 * Tests for src/intake/normalize.c: folding (full-width, case, signs, Simplified to
 * Traditional) and the token classes that decide the lookup keys and the name's version.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "intake/normalize.h"

typedef struct kcase {
    const char *name;
    const char *full;        /* LF_NORM_KEY_FULL */
    const char *noed;        /* LF_NORM_KEY_NO_EDITION */
    const char *version;     /* from the name, tail number allowed */
} kcase;

static const kcase cases[] = {
    {"Google Chrome", "google chrome", "google chrome", ""},
    {"Ｇｏｏｇｌｅ　Ｃｈｒｏｍｅ", "google chrome", "google chrome", ""},
    {"7-Zip 23.01 (x64)", "7-zip", "7-zip", "23.01"},
    {"Microsoft Office 專業增強版 2016", "microsoft office 專業增強版 2016", "microsoft office 2016", ""},
    {"Microsoft Office Professional Plus 2019 - zh-tw", "microsoft office professional plus 2019",
     "microsoft office 2019", ""},
    {"腾讯QQ", "騰訊 qq", "騰訊 qq", ""},
    {"騰訊QQ", "騰訊 qq", "騰訊 qq", ""},
    {"360安全卫士", "360 安全衛士", "360 安全衛士", ""},
    {"WPS Office 个人版", "wps office 個人版", "wps office", ""},
    {"Notepad++ (64-bit x64)", "notepad++", "notepad++", ""},
    {"Mozilla Firefox (x64 zh-TW)", "mozilla firefox", "mozilla firefox", ""},
    {"Mozilla Firefox 121.0 (x64 zh-TW)", "mozilla firefox", "mozilla firefox", "121.0"},
    {"Python 3.12.1 (64-bit)", "python", "python", "3.12.1"},
    {"PostgreSQL 14 ", "postgresql 14", "postgresql 14", "14"},
    {"Microsoft .NET Runtime - 8.0.1 (x64)", "microsoft .net runtime", "microsoft .net runtime", "8.0.1"},
    {"WinRAR 5.80 (64-разрядная)", "winrar", "winrar", "5.80"},
    {"Intel® Graphics Driver", "intel graphics driver", "intel graphics driver", ""},
    {"Java(TM) SE Development Kit 17.0.9 (64-bit)", "java se development kit", "java se development kit",
     "17.0.9"},
    {"Adobe Acrobat Reader DC - Chinese Traditional", "adobe acrobat reader dc", "adobe acrobat reader dc", ""},
    {"趨勢科技 Apex One 安全代理程式", "趨勢科技 apex one 安全代理程式", "趨勢科技 apex one 安全代理程式", ""},
    {"FileZilla Client 3.66.4", "filezilla client", "filezilla client", "3.66.4"},
    {"Node.js", "node.js", "node.js", ""},
    {"VLC media player v3.0.20", "vlc media player", "vlc media player", "3.0.20"},
    {"Microsoft Visual C++ 2015-2022 Redistributable (x64) - 14.36.32532",
     "microsoft visual c++ 2015-2022 redistributable", "microsoft visual c++ 2015-2022 redistributable", "14.36.32532"},
    {"ＷｉｎＲＡＲ　６．２４", "winrar", "winrar", "6.24"},
    {"搜狗输入法 13.5正式版", "搜狗輸入法 正式版", "搜狗輸入法", "13.5"},
    {"LINE", "line", "line", ""},
    {"jre1.8.0_401", "jre", "jre", "1.8.0_401"},
    {"jdk-17.0.9", "jdk", "jdk", "17.0.9"},
    {"Office2019", "office 2019", "office 2019", ""},
    {"python3", "python3", "python3", ""},
    /* an architecture glued on with '-' or '_' is noise, a Chocolatey suffix too */
    {"PowerShell 7-x64", "powershell 7", "powershell 7", "7"},
    {"PowerShell 7.5.3.0-x64", "powershell", "powershell", "7.5.3.0"},
    {"setup_x86", "setup", "setup", ""},
    {"Git-2.43.0-64-bit", "git", "git", "2.43.0"},
    {"7zip.install", "7zip", "7zip", ""},
    {"git.portable", "git", "git", ""},
    {"TeamViewer 15 (x64) Corporate", "teamviewer 15 corporate", "teamviewer 15", ""},
    /* a '+' or '#' suffix written apart joins the name; not "#1" or "+b" */
    {"notepad ++ 8.5.8", "notepad++", "notepad++", "8.5.8"},
    {"Microsoft Visual C ++ 2010", "microsoft visual c++ 2010", "microsoft visual c++ 2010", ""},
    {"Tool #1", "tool 1", "tool 1", "1"},
    /* release dates and months are not part of the name, nor its version */
    {"Eclipse IDE for Java Developers 2023-12", "eclipse ide for java developers", "eclipse ide for java developers", ""},
    {"MinIO 2023-12-23", "minio", "minio", ""},
    {"Office 2019-20", "office 2019-20", "office 2019-20", ""},   /* a year range, not a date */
    {"Microsoft Power BI Report Server - 2023 年 9 月", "microsoft power bi report server",
     "microsoft power bi report server", ""},
    {"Power BI Report Server 2023年9月版", "power bi report server", "power bi report server", ""},
    {"Office 2016 年度版", "office 2016 年度版", "office 2016 年度版", ""},
    {"", "", "", ""},
};

static void test_keys(void **state)
{
    (void)state;
    lf_norm *n;
    lf_err err;
    assert_int_equal(lf_norm_new(&n, &err), LF_OK);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lf_norm_result r;
        assert_int_equal(lf_norm_name(n, cases[i].name, strlen(cases[i].name), &r, &err), LF_OK);
        char k[256], v[64];
        lf_norm_key(&r, LF_NORM_KEY_FULL, k, sizeof k);
        if (strcmp(k, cases[i].full) != 0)
            fail_msg("%s: full key '%s', want '%s'", cases[i].name, k, cases[i].full);
        lf_norm_key(&r, LF_NORM_KEY_NO_EDITION, k, sizeof k);
        if (strcmp(k, cases[i].noed) != 0)
            fail_msg("%s: no-edition key '%s', want '%s'", cases[i].name, k, cases[i].noed);
        lf_norm_name_version(&r, true, v, sizeof v);
        if (strcmp(v, cases[i].version) != 0)
            fail_msg("%s: version '%s', want '%s'", cases[i].name, v, cases[i].version);
    }
    lf_norm_free(n);
}

static void test_tailnum_variant(void **state)
{
    (void)state;
    lf_norm *n;
    lf_err err;
    assert_int_equal(lf_norm_new(&n, &err), LF_OK);
    lf_norm_result r;
    char k[256];
    assert_int_equal(lf_norm_name(n, "PostgreSQL 14", 13, &r, &err), LF_OK);
    lf_norm_key(&r, LF_NORM_KEY_NO_TAILNUM, k, sizeof k);
    assert_string_equal(k, "postgresql");
    /* a number inside the name is not a tail number */
    assert_int_equal(lf_norm_name(n, "360 Total Security", 18, &r, &err), LF_OK);
    lf_norm_key(&r, LF_NORM_KEY_NO_TAILNUM, k, sizeof k);
    assert_string_equal(k, "360 total security");
    lf_norm_free(n);
}

static void test_fold_bad_utf8_and_long(void **state)
{
    (void)state;
    lf_norm *n;
    lf_err err;
    assert_int_equal(lf_norm_new(&n, &err), LF_OK);
    lf_buf b;
    lf_buf_init(&b, 0);
    assert_int_equal(lf_norm_fold(n, "A\xff\xfe" "B", 4, &b, &err), LF_OK);
    assert_string_equal(b.data, "ab");
    char longname[4000];
    for (size_t i = 0; i < sizeof longname; i++)
        longname[i] = (i % 7 == 6) ? ' ' : 'x';
    lf_norm_result r;
    assert_int_equal(lf_norm_name(n, longname, sizeof longname, &r, &err), LF_OK);
    assert_true(r.truncated);
    assert_true(r.ntok <= LF_NORM_MAX_TOKENS);
    lf_buf_clear(&b);
    lf_norm_free(n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_tailnum_variant),
        cmocka_unit_test(test_fold_bad_utf8_and_long),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
