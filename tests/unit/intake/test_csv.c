/*
 * Tests for src/intake/csv.c: the Excel-rules tokenizer, header roles in English and
 * Chinese, the agency and PowerShell Export-Csv layouts, bad rows reported with their
 * line while the good ones are kept, and three real Export-Csv files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/file.h"
#include "intake/csv.h"

#include "unit/intake/inv_sink.h"

static int read_csv(const char *src, const char *text, size_t len, const lf_inv_opts *o, got *g,
                    lf_inv_counts *cnt, lf_err *err)
{
    lf_inv_sink sink = {on_rec, on_rej, g};
    lf_err_clear(err);
    return lf_csv_read(src, text, len, o, &sink, cnt, err);
}

/* ---- tokenizer ----------------------------------------------------------------------- */

/* Quoted delimiters, doubled quotes, text after a closing quote, CR CR LF and an
 * embedded newline, each row with its first physical line. */
static void test_csv_tokenizer_rules(void **state)
{
    (void)state;
    const char *t = "a,\"b,c\",\"d\"\"e\"\r\n"
                    "\"x\"yz, sp ,\r\r\n"
                    "\"multi\nline\",2\n"
                    "last";
    lf_csv c;
    lf_csv_row row;
    lf_err e;
    lf_csv_init(&c, t, strlen(t), 0, 1, ',');
    assert_int_equal(lf_csv_next(&c, &row, &e), 1);
    assert_int_equal(row.n, 3);
    assert_int_equal(row.line, 1);
    assert_string_equal(row.field[0], "a");
    assert_string_equal(row.field[1], "b,c");
    assert_string_equal(row.field[2], "d\"e");
    assert_int_equal(lf_csv_next(&c, &row, &e), 1);
    assert_int_equal(row.line, 2);
    assert_int_equal(row.n, 3);
    assert_string_equal(row.field[0], "xyz");
    assert_string_equal(row.field[1], " sp ");   /* spaces are data */
    assert_string_equal(row.field[2], "");       /* CR CR before LF is line ending */
    assert_int_equal(row.len[2], 0);
    assert_int_equal(lf_csv_next(&c, &row, &e), 1);
    assert_int_equal(row.line, 3);
    assert_string_equal(row.field[0], "multi\nline");
    assert_string_equal(row.field[1], "2");
    assert_int_equal(lf_csv_next(&c, &row, &e), 1);
    assert_int_equal(row.line, 5);
    assert_int_equal(row.n, 1);
    assert_string_equal(row.field[0], "last");
    assert_int_equal(lf_csv_next(&c, &row, &e), 0);
    lf_csv_clear(&c);
}

/* An unterminated quote is located where it opened and reading resumes on the next line. */
static void test_csv_tokenizer_unterminated(void **state)
{
    (void)state;
    const char *t = "ok,1\n名稱,\"open\nnext,2\n";
    lf_csv c;
    lf_csv_row row;
    lf_err e;
    lf_err_clear(&e);
    lf_csv_init(&c, t, strlen(t), 0, 1, ',');
    assert_int_equal(lf_csv_next(&c, &row, &e), 1);
    assert_int_equal(lf_csv_next(&c, &row, &e), LF_EPARSE);
    assert_int_equal(e.line, 2);
    assert_int_equal(e.col, 4);   /* characters, not bytes: 名稱 is two */
    assert_non_null(strstr(e.msg, "line 2 column 4"));
    assert_int_equal(lf_csv_next(&c, &row, &e), 1);
    assert_int_equal(row.line, 3);
    assert_string_equal(row.field[0], "next");
    assert_int_equal(lf_csv_next(&c, &row, &e), 0);
    lf_csv_clear(&c);
}

/* A row over the field limit is an ELIMIT for that row only. */
static void test_csv_tokenizer_limit(void **state)
{
    (void)state;
    size_t n = (LF_CSV_MAX_FIELDS + 10) * 2 + 16;
    char *t = malloc(n);
    assert_non_null(t);
    size_t k = 0;
    for (int i = 0; i < LF_CSV_MAX_FIELDS + 10; i++) {
        t[k++] = 'x';
        t[k++] = ',';
    }
    t[k - 1] = '\n';
    memcpy(t + k, "a,b\n", 4);
    k += 4;
    lf_csv c;
    lf_csv_row row;
    lf_err e;
    lf_err_clear(&e);
    lf_csv_init(&c, t, k, 0, 1, ',');
    assert_int_equal(lf_csv_next(&c, &row, &e), LF_ELIMIT);
    assert_int_equal(lf_csv_next(&c, &row, &e), 1);
    assert_int_equal(row.line, 2);
    assert_int_equal(row.n, 2);
    lf_csv_clear(&c);
    free(t);
}

static void test_csv_detect_delim(void **state)
{
    (void)state;
    static const struct {
        const char *line;
        char want;
    } cases[] = {
        {"a,b,c", ','},
        {"a;b;c", ';'},
        {"a\tb\tc", '\t'},
        {"\"x,y,z\";b", ';'},            /* delimiters inside quotes do not count */
        {"名稱\t版本, 備註\t廠商", '\t'},
        {"only", ','},
        {"a;b,c", ';'},                  /* a tie: semicolon before comma */
        {"a,b\nc;d;e;f", ','},           /* the header line only */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(lf_csv_detect_delim(cases[i].line, strlen(cases[i].line)), cases[i].want);
}

/* Header cells in the three scripts, with spaces, brackets and a BOM remnant. */
static void test_csv_header_roles(void **state)
{
    (void)state;
    static const struct {
        const char *cell;
        lf_csv_role want;
    } cases[] = {
        {"主機名稱", LF_CSV_ROLE_HOST},
        {"电脑名称", LF_CSV_ROLE_HOST},
        {"資產編號", LF_CSV_ROLE_NONE},           /* an asset number, not a name */
        {"计算机名", LF_CSV_ROLE_HOST},
        {"PSComputerName", LF_CSV_ROLE_HOST},
        {"Node", LF_CSV_ROLE_HOST},
        {" IP 位址 ", LF_CSV_ROLE_IP},
        {"IP地址", LF_CSV_ROLE_IP},
        {"ipaddress", LF_CSV_ROLE_IP},
        {"作業系統", LF_CSV_ROLE_OS},
        {"os_name", LF_CSV_ROLE_OS},
        {"OperatingSystem", LF_CSV_ROLE_OS},
        {"\xef\xbb\xbf" "DisplayName", LF_CSV_ROLE_NAME},
        {"軟體名稱（必填）", LF_CSV_ROLE_NAME},
        {"軟體\xe3\x80\x80名稱", LF_CSV_ROLE_NAME},  /* ideographic space */
        {"资产名称", LF_CSV_ROLE_NAME},
        {"產品名稱", LF_CSV_ROLE_NAME},
        {"SOFTWARE", LF_CSV_ROLE_NAME},
        {"Version (版本)", LF_CSV_ROLE_VERSION},
        {"（版本）", LF_CSV_ROLE_VERSION},
        {"DisplayVersion", LF_CSV_ROLE_VERSION},
        {"發行者", LF_CSV_ROLE_VENDOR},
        {"发布者", LF_CSV_ROLE_VENDOR},
        {"Manufacturer", LF_CSV_ROLE_VENDOR},
        {"安装日期", LF_CSV_ROLE_INSTALL_DATE},
        {"Install_Date", LF_CSV_ROLE_INSTALL_DATE},
        {"UninstallString", LF_CSV_ROLE_NONE},
        {"備註", LF_CSV_ROLE_NONE},
        {"", LF_CSV_ROLE_NONE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lf_csv_role r = lf_csv_header_role(cases[i].cell, strlen(cases[i].cell));
        if (r != cases[i].want)
            fail_msg("\"%s\": got %s, want %s", cases[i].cell, lf_csv_role_name(r), lf_csv_role_name(cases[i].want));
    }
}

/* ---- the reader on hand-made sheets ----------------------------------------------------- */

/* A Traditional-Chinese agency sheet: host/IP/OS per row, bracketed headers, an ignored
 * 備註 column, a quoted comma, spaces around a name kept as written. */
static void test_csv_agency_zh(void **state)
{
    (void)state;
    size_t len;
    char *t = fixture("agency-zh.csv", &len);
    got g = {0};
    lf_inv_counts cnt;
    lf_err e;
    assert_int_equal(read_csv("agency-zh.csv", t, len, NULL, &g, &cnt, &e), LF_OK);
    assert_int_equal(cnt.records, 4);
    assert_int_equal(cnt.rejected, 0);
    assert_int_equal(cnt.skipped, 1);
    assert_int_equal(g.n, 4);
    assert_field(&g, 0, H, "PC-001");
    assert_field(&g, 0, IP, "10.1.2.3");
    assert_field(&g, 0, OS, "Windows 10 企業版");
    assert_field(&g, 0, NAME, "Microsoft Office 專業增強版 2016");
    assert_field(&g, 0, VER, "16.0.4266.1001");
    assert_field(&g, 0, VEND, "Microsoft Corporation");
    assert_field(&g, 0, DATE, "2021/03/05");
    assert_field(&g, 0, ECO, NULL);
    assert_int_equal(g.r[0].line, 2);
    assert_field(&g, 1, DATE, NULL);
    assert_field(&g, 2, NAME, "Oracle Database 19c, Enterprise");
    assert_field(&g, 2, H, "SRV-DB01");
    assert_field(&g, 3, NAME, "  Notepad++ (64-bit x64)  ");
    assert_int_equal(g.r[3].line, 5);
    got_free(&g);
    free(t);
}

/* A TSV with Simplified-Chinese headers. */
static void test_csv_tsv_simplified(void **state)
{
    (void)state;
    size_t len;
    char *t = fixture("software-cn.tsv", &len);
    got g = {0};
    lf_inv_counts cnt;
    lf_err e;
    assert_int_equal(read_csv("software-cn.tsv", t, len, NULL, &g, &cnt, &e), LF_OK);
    assert_int_equal(g.n, 3);
    assert_int_equal(cnt.rejected, 0);
    assert_field(&g, 0, H, "WS-17");
    assert_field(&g, 0, NAME, "腾讯QQ");
    assert_field(&g, 0, VEND, "腾讯科技(深圳)有限公司");
    assert_field(&g, 1, OS, "Windows 11 专业版");
    assert_field(&g, 2, NAME, "Adobe Acrobat Reader DC");
    assert_field(&g, 2, VER, "23.008.20470");
    got_free(&g);
    free(t);
}

/* Excel's "sep=;" line chooses the delimiter; commas are then data. */
static void test_csv_sep_line(void **state)
{
    (void)state;
    size_t len;
    char *t = fixture("sep-semicolon.csv", &len);
    got g = {0};
    lf_inv_counts cnt;
    lf_err e;
    assert_int_equal(read_csv("sep.csv", t, len, NULL, &g, &cnt, &e), LF_OK);
    assert_int_equal(g.n, 3);
    assert_int_equal(cnt.skipped, 2);   /* sep= and the header */
    assert_field(&g, 0, NAME, "LibreOffice 7.6.4.1");
    assert_field(&g, 0, H, "ws-05");
    assert_int_equal(g.r[0].line, 3);
    assert_field(&g, 1, NAME, "Java 8 Update 381; 64-bit");
    assert_field(&g, 2, VER, "115,6");
    assert_field(&g, 2, H, NULL);
    got_free(&g);
    free(t);
}

/* A quoted name across lines: the record keeps its first line, the next row its own. */
static void test_csv_embedded_newline(void **state)
{
    (void)state;
    size_t len;
    char *t = fixture("embedded-newline.csv", &len);
    got g = {0};
    lf_inv_counts cnt;
    lf_err e;
    assert_int_equal(read_csv("nl.csv", t, len, NULL, &g, &cnt, &e), LF_OK);
    assert_int_equal(g.n, 2);
    assert_field(&g, 0, NAME, "Contoso \"Agent\"\r\nService Pack 2");
    assert_field(&g, 0, VEND, "Contoso, Ltd.");
    assert_int_equal(g.r[0].line, 2);
    assert_field(&g, 1, NAME, "Git");
    assert_int_equal(g.r[1].line, 4);
    got_free(&g);
    free(t);
}

/* Excel's trailing empty column on every row, header included, is not an extra field. */
static void test_csv_trailing_empty_column(void **state)
{
    (void)state;
    size_t len;
    char *t = fixture("trailing-empty.csv", &len);
    got g = {0};
    lf_inv_counts cnt;
    lf_err e;
    assert_int_equal(read_csv("te.csv", t, len, NULL, &g, &cnt, &e), LF_OK);
    assert_int_equal(cnt.records, 3);
    assert_int_equal(cnt.rejected, 0);
    assert_field(&g, 0, NAME, "VLC media player");
    assert_field(&g, 0, VEND, "VideoLAN");
    assert_field(&g, 2, VER, "6.11.0");
    got_free(&g);
    free(t);
}

/* Bad rows mixed with good ones: each rejection has its line and reason, blank rows and a
 * repeated header are skipped, the good rows are all kept. */
static void test_csv_malformed_rows(void **state)
{
    (void)state;
    size_t len;
    char *t = fixture("malformed.csv", &len);
    got g = {0};
    lf_inv_counts cnt;
    lf_err e;
    assert_int_equal(read_csv("bad.csv", t, len, NULL, &g, &cnt, &e), LF_OK);
    assert_int_equal(cnt.records, 3);
    assert_int_equal(g.n, 3);
    assert_field(&g, 0, NAME, "Git");
    assert_field(&g, 1, NAME, "Extra empty");
    assert_int_equal(g.r[1].line, 7);
    assert_field(&g, 2, NAME, "Zoom");
    assert_int_equal(g.r[2].line, 11);
    assert_int_equal(cnt.rejected, 4);
    assert_int_equal(g.nrej, 4);
    assert_int_equal(g.rej_line[0], 3);
    assert_string_equal(g.rej_msg[0], "empty name");
    assert_int_equal(g.rej_line[1], 4);
    assert_string_equal(g.rej_msg[1], "row has 5 fields, the header 3");
    assert_int_equal(g.rej_line[2], 9);
    assert_string_equal(g.rej_msg[2], "empty name");
    assert_int_equal(g.rej_line[3], 10);
    assert_int_equal(g.rej_col[3], 1);
    assert_non_null(strstr(g.rej_msg[3], "unterminated quote"));
    assert_int_equal(cnt.skipped, 4);   /* header, blank line, ",,", header again */
    got_free(&g);
    free(t);
}

/* PowerShell's #TYPE line is skipped; PSComputerName gives the host. */
static void test_csv_powershell_type_line(void **state)
{
    (void)state;
    size_t len;
    char *t = fixture("ps-type.csv", &len);
    got g = {0};
    lf_inv_counts cnt;
    lf_err e;
    lf_inv_opts o = {"default-host", "Windows 11"};
    assert_int_equal(read_csv("ps.csv", t, len, &o, &g, &cnt, &e), LF_OK);
    assert_int_equal(cnt.skipped, 2);
    assert_int_equal(g.n, 2);
    assert_field(&g, 0, H, "HR-PC-03");
    assert_field(&g, 0, OS, "Windows 11");   /* no OS column: opts->os */
    assert_field(&g, 1, NAME, "Cisco AnyConnect Secure Mobility Client");
    assert_field(&g, 1, VEND, "Cisco Systems, Inc.");
    assert_field(&g, 1, DATE, "20230615");
    assert_int_equal(g.r[1].line, 4);
    got_free(&g);
    free(t);
}

/* No header at all, or a header without a name column: LF_EFORMAT, nothing delivered. */
static void test_csv_not_this_format(void **state)
{
    (void)state;
    size_t len;
    got g = {0};
    lf_inv_counts cnt;
    lf_err e;
    char *t = fixture("no-header.csv", &len);
    assert_int_equal(read_csv("nh.csv", t, len, NULL, &g, &cnt, &e), LF_EFORMAT);
    assert_non_null(strstr(e.msg, "looks like data"));
    assert_int_equal(e.line, 1);
    assert_int_equal(g.n + g.nrej, 0);
    assert_int_equal(cnt.records + cnt.rejected + cnt.skipped, 0);
    free(t);
    t = fixture("no-name.csv", &len);
    assert_int_equal(read_csv("nn.csv", t, len, NULL, &g, &cnt, &e), LF_EFORMAT);
    assert_non_null(strstr(e.msg, "no product-name column"));
    assert_int_equal(g.n + g.nrej, 0);
    free(t);
    assert_int_equal(read_csv("empty.csv", "", 0, NULL, &g, &cnt, &e), LF_EFORMAT);
    got_free(&g);
}

/* opts->host fills rows without a host; a second concatenated export (its BOM, #TYPE and
 * header again) is skipped; a sink's non-zero value stops the reader. */
static void test_csv_concat_and_stop(void **state)
{
    (void)state;
    const char *t = "\"DisplayName\",\"DisplayVersion\"\r\n\"A\",\"1\"\r\n"
                    "#TYPE System.Management.Automation.PSCustomObject\r\n"
                    "\xef\xbb\xbf\"DisplayName\",\"DisplayVersion\"\r\n\"B\",\"2\"\r\n\"C\",\"3\"\r\n";
    got g = {0};
    lf_inv_counts cnt;
    lf_err e;
    lf_inv_opts o = {"pc-9", NULL};
    assert_int_equal(read_csv("cat.csv", t, strlen(t), &o, &g, &cnt, &e), LF_OK);
    assert_int_equal(g.n, 3);
    assert_int_equal(cnt.skipped, 3);
    assert_field(&g, 1, NAME, "B");
    assert_field(&g, 1, H, "pc-9");
    assert_int_equal(g.r[1].line, 5);
    got_free(&g);
    g.stop_at = 2;
    assert_int_equal(read_csv("cat.csv", t, strlen(t), &o, &g, &cnt, &e), 7);
    assert_int_equal(g.n, 2);
    got_free(&g);
}

static void test_csv_sniff(void **state)
{
    (void)state;
    static const struct {
        const char *fixture;
        int lo, hi;
    } cases[] = {
        {"agency-zh.csv", 90, 100},
        {"software-cn.tsv", 90, 100},
        {"sep-semicolon.csv", 90, 100},
        {"ps-type.csv", 90, 100},
        {"malformed.csv", 80, 100},
        {"no-header.csv", 0, 20},
        {"dpkg-l-states.txt", 0, 0},
        {"rpm-qa.txt", 0, 20},
        {"wmic-table.txt", 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len;
        char *t = fixture(cases[i].fixture, &len);
        int s = lf_csv_sniff(t, len);
        if (s < cases[i].lo || s > cases[i].hi)
            fail_msg("%s: sniff %d, want %d..%d", cases[i].fixture, s, cases[i].lo, cases[i].hi);
        free(t);
    }
    assert_int_equal(lf_csv_sniff("", 0), 0);
}

/* ---- real Export-Csv files (LF_SHARED_DATA) ----------------------------------------------- */

static char *shared(const char *rel, size_t *len, size_t *bom)
{
    char *t = slurp("LF_SHARED_DATA", rel, len);
    *bom = 0;
    if (t && *len >= 3 && !memcmp(t, "\xef\xbb\xbf", 3))
        *bom = 3;   /* textenc removes it before the reader runs */
    return t;
}

/* khushalj: CRLF, doubled quotes in UninstallString, empty versions, a trailing space. */
static void test_csv_real_khushalj(void **state)
{
    (void)state;
    size_t len, bom;
    char *t = shared("inventories/windows/khushalj-InstalledSoftware.csv", &len, &bom);
    if (!t)
        skip();
    got g = {0};
    lf_inv_counts cnt;
    lf_err e;
    assert_int_equal(read_csv("khushalj.csv", t + bom, len - bom, NULL, &g, &cnt, &e), LF_OK);
    assert_int_equal(cnt.records, 144);
    assert_int_equal(cnt.rejected, 0);
    assert_int_equal(cnt.skipped, 1);
    assert_field(&g, 0, NAME, "Cisco Packet Tracer 8.2.0 64Bit");
    assert_field(&g, 0, VEND, "Cisco Systems, Inc.");
    assert_field(&g, 0, VER, NULL);
    assert_field(&g, 0, DATE, "20220817");
    assert_field(&g, 2, NAME, "PostgreSQL 14 ");
    assert_int_equal(g.r[2].line, 4);
    assert_field(&g, 143, NAME, "Microsoft ASP.NET Core 3.1.10 Targeting Pack (x64)");
    assert_field(&g, 143, VER, "3.1.10.20520");
    assert_int_equal(g.r[143].line, 145);
    got_free(&g);
    free(t);
}

/* xfaith4: BOM, LF, duplicates and installer placeholders, all kept as written. */
static void test_csv_real_xfaith4(void **state)
{
    (void)state;
    size_t len, bom;
    char *t = shared("inventories/windows/xfaith4-installed_software.csv", &len, &bom);
    if (!t)
        skip();
    assert_int_equal(bom, 3);
    got g = {0};
    lf_inv_counts cnt;
    lf_err e;
    assert_int_equal(read_csv("xfaith4.csv", t + bom, len - bom, NULL, &g, &cnt, &e), LF_OK);
    assert_int_equal(cnt.records, 833);
    assert_int_equal(cnt.rejected, 0);
    assert_field(&g, 6, NAME, "${{arpDisplayName}}");
    assert_field(&g, 6, VEND, "NVIDIA Corporation");
    assert_int_equal(g.r[6].line, 8);
    assert_field(&g, 7, NAME, "7-Zip 25.01 (x64)");
    assert_field(&g, 7, VER, "25.01");
    assert_field(&g, 7, DATE, NULL);
    assert_field(&g, 832, NAME, "ZEERAY Hal");
    assert_field(&g, 832, VEND, "Feihui Lighting Technology (Shanghai) Co., Ltd.");
    got_free(&g);
    free(t);
}

/* martinminart: Russian-localised Windows, Cyrillic names and publishers. */
static void test_csv_real_martinminart(void **state)
{
    (void)state;
    size_t len, bom;
    char *t = shared("inventories/windows/martinminart-installed_software-ru.csv", &len, &bom);
    if (!t)
        skip();
    got g = {0};
    lf_inv_counts cnt;
    lf_err e;
    assert_int_equal(read_csv("ru.csv", t + bom, len - bom, NULL, &g, &cnt, &e), LF_OK);
    assert_int_equal(cnt.records, 395);
    assert_int_equal(cnt.rejected, 0);
    assert_field(&g, 0, NAME, "µTorrent");
    assert_field(&g, 77, NAME, "Microsoft Office LTSC стандартный 2021 - ru-ru");
    assert_int_equal(g.r[77].line, 79);
    assert_field(&g, 380, NAME, "WinRAR 5.80 (64-разрядная)");
    assert_field(&g, 380, VER, "5.80.0");
    assert_field(&g, 394, NAME, "Яндекс.Диск");
    assert_field(&g, 394, VEND, "Яндекс");
    assert_int_equal(lf_csv_sniff(t + bom, len - bom) >= 90, 1);
    got_free(&g);
    free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_tokenizer_rules),
        cmocka_unit_test(test_csv_tokenizer_unterminated),
        cmocka_unit_test(test_csv_tokenizer_limit),
        cmocka_unit_test(test_csv_detect_delim),
        cmocka_unit_test(test_csv_header_roles),
        cmocka_unit_test(test_csv_agency_zh),
        cmocka_unit_test(test_csv_tsv_simplified),
        cmocka_unit_test(test_csv_sep_line),
        cmocka_unit_test(test_csv_embedded_newline),
        cmocka_unit_test(test_csv_trailing_empty_column),
        cmocka_unit_test(test_csv_malformed_rows),
        cmocka_unit_test(test_csv_powershell_type_line),
        cmocka_unit_test(test_csv_not_this_format),
        cmocka_unit_test(test_csv_concat_and_stop),
        cmocka_unit_test(test_csv_sniff),
        cmocka_unit_test(test_csv_real_khushalj),
        cmocka_unit_test(test_csv_real_xfaith4),
        cmocka_unit_test(test_csv_real_martinminart),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
