/*
 * Tests for src/feeds/cpedict.c: NVD's Official CPE Dictionary, in its XML form
 * (official-cpe-dictionary_v2.3.xml, CPE Dictionary 2.3 schema: <cpe-item> with <title
 * xml:lang> and <cpe-23:cpe23-item name>) and its CPE API 2.0 JSON form ("products" of
 * "cpe" objects with cpeName, deprecated and titles), turned into the digest TSV
 * "part:vendor:product<TAB>folded title" that intake/namedb.c reads.
 *
 * Covered: the English title chosen over other languages, deprecated items skipped and
 * counted, a malformed or missing cpe23 name reported with the source and line while the
 * good items are kept, CPE 2.3 quoting kept in the product column (NISTIR 7695 §6.2.2.1),
 * version and edition words taken out of the titles so a product's versions give one
 * line, XML that is not well-formed (the items before the error kept, the error reported
 * with its line and column; fatal when nothing came before it), documents that are
 * neither form, the statistics, lf_cpedict_import on plain, gzip and JSON files with the
 * digest checked line by line, a failed import leaving the previous digest as it was,
 * the digest read back by lf_namedb_load_titles, and the real slice of the dictionary in
 * shared/data/cpe.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "core/buf.h"
#include "core/file.h"
#include "feeds/cpedict.h"
#include "intake/namedb.h"
#include "intake/normalize.h"

#define MAX_WARN 8

#define DIGEST_HEADER "# lianfang CPE dictionary digest: part:vendor:product<TAB>folded title (feed import cpedict)\n"

typedef struct warns {
    int n;
    lf_err e[MAX_WARN];
} warns;

static void on_warn(void *ud, const lf_err *e)
{
    warns *w = ud;
    if (w->n < MAX_WARN)
        w->e[w->n] = *e;
    w->n++;
}

/* The XML form as NVD writes it, with the cases of one product's versions (elux_rp), a
 * Japanese title before the English one and a deprecated version between two live ones
 * (garoon), a name too short to be a CPE 2.3 name, an item without a cpe23-item, and
 * quoted characters. Line numbers are in the comments: warnings cite the <cpe-item> line. */
static const char XML_DOC[] =
    "<?xml version='1.0' encoding='UTF-8'?>\n"                                                             /* 1 */
    "<cpe-list xmlns=\"http://cpe.mitre.org/dictionary/2.0\" "
    "xmlns:cpe-23=\"http://scap.nist.gov/schema/cpe-extension/2.3\">\n"                                    /* 2 */
    "  <cpe-item name=\"cpe:/a:unicon-software:elux_rp:4\">\n"                                             /* 3 */
    "    <title xml:lang=\"en-US\">Unicon Software eLux RP 4</title>\n"                                    /* 4 */
    "    <cpe-23:cpe23-item name=\"cpe:2.3:a:unicon-software:elux_rp:4:*:*:*:*:*:*:*\"/>\n"                /* 5 */
    "  </cpe-item>\n"                                                                                       /* 6 */
    "  <cpe-item name=\"cpe:/a:unicon-software:elux_rp:4.0.1\">\n"                                         /* 7 */
    "    <title xml:lang=\"en-US\">Unicon Software eLux RP 4.0.1</title>\n"                                /* 8 */
    "    <cpe-23:cpe23-item name=\"cpe:2.3:a:unicon-software:elux_rp:4.0.1:*:*:*:*:*:*:*\"/>\n"            /* 9 */
    "  </cpe-item>\n"                                                                                       /* 10 */
    "  <cpe-item name=\"cpe:/a:cybozu:garoon:5.0.0\">\n"                                                   /* 11 */
    "    <title xml:lang=\"ja-JP\">\xE3\x82\xB5\xE3\x82\xA4\xE3\x83\x9C\xE3\x82\xA6\xE3\x82\xBA "
    "\xE3\x82\xAC\xE3\x83\xAB\xE3\x83\xBC\xE3\x83\xB3 5.0.0</title>\n"                                     /* 12 */
    "    <title xml:lang=\"en-US\">Cybozu Garoon 5.0.0</title>\n"                                          /* 13 */
    "    <cpe-23:cpe23-item name=\"cpe:2.3:a:cybozu:garoon:5.0.0:*:*:*:*:*:*:*\"/>\n"                      /* 14 */
    "  </cpe-item>\n"                                                                                       /* 15 */
    "  <cpe-item name=\"cpe:/a:cybozu:garoon:5.0.1\" deprecated=\"true\" "
    "deprecation_date=\"2021-03-01T00:00:00.000Z\">\n"                                                      /* 16 */
    "    <title xml:lang=\"en-US\">Cybozu Garoon Old Name 5.0.1</title>\n"                                 /* 17 */
    "    <cpe-23:cpe23-item name=\"cpe:2.3:a:cybozu:garoon_old:5.0.1:*:*:*:*:*:*:*\">\n"                  /* 18 */
    "      <cpe-23:deprecation date=\"2021-03-01T00:00:00.000Z\">\n"                                      /* 19 */
    "        <cpe-23:deprecated-by name=\"cpe:2.3:a:cybozu:garoon:5.0.1:*:*:*:*:*:*:*\" type=\"NAME_CORRECTION\"/>\n"
    "      </cpe-23:deprecation>\n"                                                                         /* 21 */
    "    </cpe-23:cpe23-item>\n"                                                                            /* 22 */
    "  </cpe-item>\n"                                                                                       /* 23 */
    "  <cpe-item name=\"cpe:/a:cybozu:garoon:5.1.0\">\n"                                                   /* 24 */
    "    <title xml:lang=\"en-US\">Cybozu Garoon 5.1.0</title>\n"                                          /* 25 */
    "    <title xml:lang=\"ja-JP\">\xE3\x82\xB5\xE3\x82\xA4\xE3\x83\x9C\xE3\x82\xA6\xE3\x82\xBA 5.1.0</title>\n"
    "    <cpe-23:cpe23-item name=\"cpe:2.3:a:cybozu:garoon:5.1.0:*:*:*:*:*:*:*\"/>\n"                      /* 27 */
    "  </cpe-item>\n"                                                                                       /* 28 */
    "  <cpe-item name=\"cpe:/a:broken\">\n"                                                                /* 29 */
    "    <title xml:lang=\"en-US\">Broken Name</title>\n"                                                  /* 30 */
    "    <cpe-23:cpe23-item name=\"cpe:2.3:a:broken\"/>\n"                                                 /* 31 */
    "  </cpe-item>\n"                                                                                       /* 32 */
    "  <cpe-item name=\"cpe:/a:nameless:nameless:1.0\">\n"                                                 /* 33 */
    "    <title xml:lang=\"en-US\">Nameless 1.0</title>\n"                                                 /* 34 */
    "  </cpe-item>\n"                                                                                       /* 35 */
    "  <cpe-item name=\"cpe:/a:notepad-plus-plus:notepad%2b%2b:8.5.3\">\n"                                 /* 36 */
    "    <title xml:lang=\"en-US\">Notepad++ 8.5.3</title>\n"                                              /* 37 */
    "    <cpe-23:cpe23-item name=\"cpe:2.3:a:notepad-plus-plus:notepad\\+\\+:8.5.3:*:*:*:*:*:*:*\"/>\n"   /* 38 */
    "  </cpe-item>\n"                                                                                       /* 39 */
    "  <cpe-item name=\"cpe:/a:regina_sweets%26bakery:regina_sweets%26bakery:1.0\">\n"                     /* 40 */
    "    <title xml:lang=\"en-US\">Regina Sweets &amp; Bakery 1.0</title>\n"                               /* 41 */
    "    <cpe-23:cpe23-item name=\"cpe:2.3:a:regina_sweets\\&amp;bakery:regina_sweets\\&amp;bakery:1.0:*:*:*:*:*:*:*\"/>\n"
    "  </cpe-item>\n"                                                                                       /* 43 */
    "  <cpe-item name=\"cpe:/o:zyxel:nas326_firmware:5.21\">\n"                                            /* 44 */
    "    <title xml:lang=\"en-US\">Zyxel NAS326 Firmware 5.21</title>\n"                                   /* 45 */
    "    <cpe-23:cpe23-item name=\"cpe:2.3:o:zyxel:nas326_firmware:5.21:*:*:*:*:*:*:*\"/>\n"               /* 46 */
    "  </cpe-item>\n"                                                                                       /* 47 */
    "  <cpe-item name=\"cpe:/h:zyxel:nas326:-\">\n"                                                        /* 48 */
    "    <title xml:lang=\"en-US\">Zyxel NAS326</title>\n"                                                 /* 49 */
    "    <cpe-23:cpe23-item name=\"cpe:2.3:h:zyxel:nas326:-:*:*:*:*:*:*:*\"/>\n"                           /* 50 */
    "  </cpe-item>\n"                                                                                       /* 51 */
    "</cpe-list>\n";

/* What XML_DOC gives: both elux_rp versions fold to one line, the three garoon items
 * (the deprecated one skipped between them) to one English line, the quoting of '+' and
 * '&' kept in the first column, '&' (not a token character) out of the title. */
static const char XML_DIGEST[] = "a:unicon-software:elux_rp\tunicon software elux rp\n"
                                 "a:cybozu:garoon\tcybozu garoon\n"
                                 "a:notepad-plus-plus:notepad\\+\\+\tnotepad++\n"
                                 "a:regina_sweets\\&bakery:regina_sweets\\&bakery\tregina sweets bakery\n"
                                 "o:zyxel:nas326_firmware\tzyxel nas326 firmware\n"
                                 "h:zyxel:nas326\tzyxel nas326\n";

/* The CPE API 2.0 form, one product per line: a Japanese title listed before the English
 * one, a deprecated product, a product without cpeName, a URI-form name, a quoted name in
 * JSON escaping, and a year that stays part of the title. */
static const char JSON_DOC[] =
    "{\"resultsPerPage\":6,\"startIndex\":0,\"totalResults\":6,\"format\":\"NVD_CPE\",\"version\":\"2.0\","
    "\"timestamp\":\"2026-09-01T00:00:00.000\",\"products\":[\n"                                           /* 1 */
    "{\"cpe\":{\"deprecated\":false,\"cpeName\":\"cpe:2.3:a:cybozu:garoon:5.0.0:*:*:*:*:*:*:*\","
    "\"titles\":[{\"title\":\"\xE3\x82\xB5\xE3\x82\xA4\xE3\x83\x9C\xE3\x82\xA6\xE3\x82\xBA 5.0.0\",\"lang\":\"ja\"},"
    "{\"title\":\"Cybozu Garoon 5.0.0\",\"lang\":\"en\"}]}},\n"                                             /* 2 */
    "{\"cpe\":{\"deprecated\":true,\"cpeName\":\"cpe:2.3:a:cybozu:garoon_old:5.0.1:*:*:*:*:*:*:*\","
    "\"titles\":[{\"title\":\"Cybozu Garoon Old 5.0.1\",\"lang\":\"en\"}]}},\n"                             /* 3 */
    "{\"cpe\":{\"deprecated\":false,\"cpeNameId\":\"5A3C2B4E-0000-4000-8000-000000000001\","
    "\"titles\":[{\"title\":\"No Name 1.0\",\"lang\":\"en\"}]}},\n"                                         /* 4 */
    "{\"cpe\":{\"deprecated\":false,\"cpeName\":\"cpe:/a:uri:form:1.0\","
    "\"titles\":[{\"title\":\"URI Form 1.0\",\"lang\":\"en\"}]}},\n"                                        /* 5 */
    "{\"cpe\":{\"deprecated\":false,\"cpeName\":\"cpe:2.3:a:notepad-plus-plus:notepad\\\\+\\\\+:8.6:*:*:*:*:*:*:*\","
    "\"titles\":[{\"title\":\"Notepad++ 8.6\",\"lang\":\"en\"}]}},\n"                                       /* 6 */
    "{\"cpe\":{\"deprecated\":false,\"cpeName\":\"cpe:2.3:a:unctad:asycuda_world:2020:*:*:*:*:*:*:*\","
    "\"titles\":[{\"title\":\"UNCTAD ASYCUDA World 2020\",\"lang\":\"en\"}]}}\n"                            /* 7 */
    "]}\n";

static const char JSON_DIGEST[] = "a:cybozu:garoon\tcybozu garoon\n"
                                  "a:notepad-plus-plus:notepad\\+\\+\tnotepad++\n"
                                  "a:unctad:asycuda_world\tunctad asycuda world 2020\n";

/* Versions and editions: a trailing plain number (14) and a dotted version (15.4) are
 * not the name, an edition (Professional) is dropped, a year (2016/2019) is the name. */
static const char VERSIONS_DOC[] =
    "<cpe-list xmlns=\"http://cpe.mitre.org/dictionary/2.0\" "
    "xmlns:cpe-23=\"http://scap.nist.gov/schema/cpe-extension/2.3\">\n"
    "<cpe-item name=\"cpe:/a:postgresql:postgresql:14\"><title xml:lang=\"en-US\">PostgreSQL 14</title>"
    "<cpe-23:cpe23-item name=\"cpe:2.3:a:postgresql:postgresql:14:*:*:*:*:*:*:*\"/></cpe-item>\n"
    "<cpe-item name=\"cpe:/a:postgresql:postgresql:15.4\"><title xml:lang=\"en-US\">PostgreSQL 15.4</title>"
    "<cpe-23:cpe23-item name=\"cpe:2.3:a:postgresql:postgresql:15.4:*:*:*:*:*:*:*\"/></cpe-item>\n"
    "<cpe-item name=\"cpe:/a:postgresql:postgresql:16.0\"><title xml:lang=\"en-US\">PostgreSQL 16.0 (x64)</title>"
    "<cpe-23:cpe23-item name=\"cpe:2.3:a:postgresql:postgresql:16.0:*:*:*:*:*:*:*\"/></cpe-item>\n"
    "<cpe-item name=\"cpe:/a:foxit:pdf_reader:12.1\"><title xml:lang=\"en-US\">Foxit PDF Reader 12.1</title>"
    "<cpe-23:cpe23-item name=\"cpe:2.3:a:foxit:pdf_reader:12.1:*:*:*:*:*:*:*\"/></cpe-item>\n"
    "<cpe-item name=\"cpe:/a:foxit:pdf_reader:12.1.2\"><title xml:lang=\"en-US\">Foxit PDF Reader Professional "
    "12.1.2</title><cpe-23:cpe23-item name=\"cpe:2.3:a:foxit:pdf_reader:12.1.2:*:*:*:*:*:*:*\"/></cpe-item>\n"
    "<cpe-item name=\"cpe:/a:microsoft:office:2016\"><title xml:lang=\"en-US\">Microsoft Office 2016</title>"
    "<cpe-23:cpe23-item name=\"cpe:2.3:a:microsoft:office:2016:*:*:*:*:*:*:*\"/></cpe-item>\n"
    "<cpe-item name=\"cpe:/a:microsoft:office:2019\"><title xml:lang=\"en-US\">Microsoft Office 2019</title>"
    "<cpe-23:cpe23-item name=\"cpe:2.3:a:microsoft:office:2019:*:*:*:*:*:*:*\"/></cpe-item>\n"
    "</cpe-list>\n";

static const char VERSIONS_DIGEST[] = "a:postgresql:postgresql\tpostgresql\n"
                                      "a:foxit:pdf_reader\tfoxit pdf reader\n"
                                      "a:microsoft:office\tmicrosoft office 2016\n"
                                      "a:microsoft:office\tmicrosoft office 2019\n";

/* Group state: one lf_norm for the buffer tests (OpenCC's tables load once). */
static int setup(void **state)
{
    lf_norm *n;
    lf_err err;
    if (lf_norm_new(&n, &err) != LF_OK)
        return -1;
    *state = n;
    return 0;
}

static int teardown(void **state)
{
    lf_norm_free(*state);
    return 0;
}

/* read_buffer with a fresh output buffer; returns the code, *out to lf_buf_clear. */
static int read_doc(lf_norm *n, const char *src, const char *doc, lf_buf *out, warns *w, lf_cpedict_stats *st,
                    lf_err *err)
{
    lf_buf_init(out, 0);
    lf_err_clear(err);
    return lf_cpedict_read_buffer(src, doc, strlen(doc), out, n, on_warn, w, st, err);
}

static const char *text(const lf_buf *b)
{
    return b->len ? b->data : "";
}

/* The XML form: English title, deprecated skipped, two malformed items reported with the
 * file and the line of their <cpe-item>, quoting kept, versions folded to one line. */
static void test_cpedict_xml_items(void **state)
{
    lf_buf out;
    warns w = {0};
    lf_cpedict_stats st;
    lf_err err;
    assert_int_equal(read_doc(*state, "dict.xml", XML_DOC, &out, &w, &st, &err), LF_OK);
    assert_string_equal(text(&out), XML_DIGEST);
    /* elux_rp 2 + garoon 3 + broken + nameless + notepad++ + regina + firmware + hardware */
    assert_int_equal(st.items, 11);
    assert_int_equal(st.deprecated, 1);
    assert_int_equal(st.bad, 2);
    assert_int_equal(st.written, 6);
    assert_int_equal(w.n, 2);
    assert_int_equal(w.e[0].code, LF_EPARSE);
    assert_string_equal(w.e[0].src, "dict.xml");
    assert_int_equal(w.e[0].line, 29);
    assert_string_equal(w.e[0].msg, "not a CPE 2.3 name with part, vendor and product: cpe:2.3:a:broken");
    assert_string_equal(w.e[1].src, "dict.xml");
    assert_int_equal(w.e[1].line, 33);
    assert_string_equal(w.e[1].msg, "not a CPE 2.3 name with part, vendor and product");
    /* neither the deprecated item's product nor its title is in the digest */
    assert_null(strstr(text(&out), "garoon_old"));
    assert_null(strstr(text(&out), "old name"));
    lf_buf_clear(&out);
}

/* The CPE API 2.0 form: the same rules, and a product without cpeName reported with the
 * line it starts on. */
static void test_cpedict_json_items(void **state)
{
    lf_buf out;
    warns w = {0};
    lf_cpedict_stats st;
    lf_err err;
    assert_int_equal(read_doc(*state, "api.json", JSON_DOC, &out, &w, &st, &err), LF_OK);
    assert_string_equal(text(&out), JSON_DIGEST);
    assert_int_equal(st.items, 6);
    assert_int_equal(st.deprecated, 1);
    assert_int_equal(st.bad, 2);
    assert_int_equal(st.written, 3);
    assert_int_equal(w.n, 2);
    assert_string_equal(w.e[0].src, "api.json");
    assert_int_equal(w.e[0].line, 4);
    assert_string_equal(w.e[0].msg, "a product without cpe.cpeName");
    assert_string_equal(w.e[1].src, "api.json");
    assert_int_equal(w.e[1].line, 5);
    assert_string_equal(w.e[1].msg, "not a CPE 2.3 name with part, vendor and product: cpe:/a:uri:form:1.0");
    lf_buf_clear(&out);
}

/* Version words and editions out of the title, a year kept: seven items, four lines. */
static void test_cpedict_versions_one_line(void **state)
{
    lf_buf out;
    warns w = {0};
    lf_cpedict_stats st;
    lf_err err;
    assert_int_equal(read_doc(*state, "versions.xml", VERSIONS_DOC, &out, &w, &st, &err), LF_OK);
    assert_string_equal(text(&out), VERSIONS_DIGEST);
    assert_int_equal(st.items, 7);
    assert_int_equal(st.deprecated, 0);
    assert_int_equal(st.bad, 0);
    assert_int_equal(st.written, 4);
    assert_int_equal(w.n, 0);
    lf_buf_clear(&out);
}

/* The buffer is appended to, and the statistics are those of the last call only. Without
 * a caller's lf_norm the call makes its own and folds the same way. */
static void test_cpedict_appends_and_resets_stats(void **state)
{
    lf_buf out;
    warns w = {0};
    lf_cpedict_stats st;
    lf_err err;
    assert_int_equal(read_doc(*state, "versions.xml", VERSIONS_DOC, &out, &w, &st, &err), LF_OK);
    assert_int_equal(lf_cpedict_read_buffer("api.json", JSON_DOC, strlen(JSON_DOC), &out, NULL, on_warn, &w, &st,
                                            &err),
                     LF_OK);
    char both[1024];
    snprintf(both, sizeof both, "%s%s", VERSIONS_DIGEST, JSON_DIGEST);
    assert_string_equal(text(&out), both);
    assert_int_equal(st.items, 6);
    assert_int_equal(st.written, 3);
    assert_int_equal(st.bad, 2);
    lf_buf_clear(&out);
}

/* Which cpe23 names make a digest line: a CPE 2.3 formatted string (NISTIR 7695 §6.2) with
 * part a, o or h and a vendor and product value; a quoted ':' inside a value (§6.2.2.1)
 * is part of it. Everything else is one warning naming the name. */
static void test_cpedict_names_checked(void **state)
{
    static const struct {
        const char *name;
        const char *line;   /* NULL: reported */
    } rows[] = {
        {"cpe:2.3:a:foo:bar\\:baz:2:*:*:*:*:*:*:*", "a:foo:bar\\:baz\tfoo bar baz\n"},
        {"cpe:2.3:o:zyxel:nas326_firmware:-:*:*:*:*:*:*:*", "o:zyxel:nas326_firmware\tfoo bar baz\n"},
        /* part p is lianfang's package extension (vans/cpe.h), never a dictionary product */
        {"cpe:2.3:p:npm:lodash:4.17.21:*:*:*:*:*:*:*", NULL},
        {"cpe:2.3:*:foo:bar:2:*:*:*:*:*:*:*", NULL},
        {"cpe:2.3:a:*:bar:2:*:*:*:*:*:*:*", NULL},
        {"cpe:2.3:a:foo:-:2:*:*:*:*:*:*:*", NULL},
        {"cpe:/a:foo:bar:2", NULL},
        {"cpe:2.3:a:foo:bar", NULL},
        {"", NULL},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char doc[1024];
        snprintf(doc, sizeof doc,
                 "<cpe-list>\n<cpe-item name=\"x\"><title xml:lang=\"en-US\">Foo Bar Baz 2</title>"
                 "<cpe-23:cpe23-item name=\"%s\"/></cpe-item>\n</cpe-list>\n",
                 rows[i].name);
        lf_buf out;
        warns w = {0};
        lf_cpedict_stats st;
        lf_err err;
        assert_int_equal(read_doc(*state, "names.xml", doc, &out, &w, &st, &err), LF_OK);
        assert_int_equal(st.items, 1);
        if (rows[i].line) {
            assert_string_equal(text(&out), rows[i].line);
            assert_int_equal(st.written, 1);
            assert_int_equal(w.n, 0);
        } else {
            assert_int_equal(out.len, 0);
            assert_int_equal(st.bad, 1);
            assert_int_equal(w.n, 1);
            assert_int_equal(w.e[0].line, 2);
            if (rows[i].name[0]) {
                char want[256];
                snprintf(want, sizeof want, "not a CPE 2.3 name with part, vendor and product: %s", rows[i].name);
                assert_string_equal(w.e[0].msg, want);
            } else {
                /* an empty name is no name */
                assert_string_equal(w.e[0].msg, "not a CPE 2.3 name with part, vendor and product");
            }
        }
        lf_buf_clear(&out);
    }
}

/* A byte-order mark and blank lines before either form are allowed. */
static void test_cpedict_bom_and_blank_lines(void **state)
{
    static const char json[] = "\xEF\xBB\xBF{\"products\":[{\"cpe\":{\"cpeName\":"
                               "\"cpe:2.3:a:unctad:asycuda_world:2020:*:*:*:*:*:*:*\",\"titles\":[{\"title\":"
                               "\"UNCTAD ASYCUDA World 2020\",\"lang\":\"en\"}]}}]}";
    static const char xml[] = "\n\n<cpe-list><cpe-item name=\"x\"><title>Zyxel NAS326</title>"
                              "<cpe-23:cpe23-item name=\"cpe:2.3:h:zyxel:nas326:-:*:*:*:*:*:*:*\"/></cpe-item>"
                              "</cpe-list>";
    lf_buf out;
    warns w = {0};
    lf_cpedict_stats st;
    lf_err err;
    assert_int_equal(read_doc(*state, "bom.json", json, &out, &w, &st, &err), LF_OK);
    assert_string_equal(text(&out), "a:unctad:asycuda_world\tunctad asycuda world 2020\n");
    lf_buf_clear(&out);
    /* a title without xml:lang counts as English */
    assert_int_equal(read_doc(*state, "blank.xml", xml, &out, &w, &st, &err), LF_OK);
    assert_string_equal(text(&out), "h:zyxel:nas326\tzyxel nas326\n");
    assert_int_equal(w.n, 0);
    lf_buf_clear(&out);
}

/* XML that stops being well-formed after some items: those are kept, the error is one
 * warning with its line and column (counted in bad), and what follows it is lost. */
static void test_cpedict_xml_error_after_items(void **state)
{
    /* line 3 is cut after its 22nd character: the parser reports column 23, the end */
    static const char cut[] = "<cpe-list>\n"
                              "<cpe-item><title>PostgreSQL 14</title><cpe-23:cpe23-item "
                              "name=\"cpe:2.3:a:postgresql:postgresql:14:*:*:*:*:*:*:*\"/></cpe-item>\n"
                              "<cpe-item><title>Trunc";
    /* line 3: "  <cpe-item><title>B</titel>": the wrong end tag's name starts at column 23 */
    static const char mismatched[] = "<cpe-list>\n"
                                     "<cpe-item><title>PostgreSQL 14</title><cpe-23:cpe23-item "
                                     "name=\"cpe:2.3:a:postgresql:postgresql:14:*:*:*:*:*:*:*\"/></cpe-item>\n"
                                     "  <cpe-item><title>B</titel></cpe-item>\n"
                                     "<cpe-item><title>Foxit PDF Reader 12.1</title><cpe-23:cpe23-item "
                                     "name=\"cpe:2.3:a:foxit:pdf_reader:12.1:*:*:*:*:*:*:*\"/></cpe-item>\n"
                                     "</cpe-list>\n";
    lf_buf out;
    warns w = {0};
    lf_cpedict_stats st;
    lf_err err;
    assert_int_equal(read_doc(*state, "cut.xml", cut, &out, &w, &st, &err), LF_OK);
    assert_string_equal(text(&out), "a:postgresql:postgresql\tpostgresql\n");
    assert_int_equal(st.items, 1);
    assert_int_equal(st.bad, 1);
    assert_int_equal(st.written, 1);
    assert_int_equal(w.n, 1);
    assert_int_equal(w.e[0].code, LF_EPARSE);
    assert_string_equal(w.e[0].src, "cut.xml");
    assert_int_equal(w.e[0].line, 3);
    assert_int_equal(w.e[0].col, 23);
    assert_non_null(strstr(w.e[0].msg, "XML: no element found"));
    lf_buf_clear(&out);

    w.n = 0;
    assert_int_equal(read_doc(*state, "mismatched.xml", mismatched, &out, &w, &st, &err), LF_OK);
    assert_string_equal(text(&out), "a:postgresql:postgresql\tpostgresql\n");   /* not foxit: after the error */
    assert_int_equal(st.items, 1);
    assert_int_equal(st.bad, 1);
    assert_int_equal(w.n, 1);
    assert_int_equal(w.e[0].line, 3);
    assert_int_equal(w.e[0].col, 23);
    assert_non_null(strstr(w.e[0].msg, "XML: mismatched tag"));
    lf_buf_clear(&out);
}

/* XML that breaks before any item is complete is an error of the call, located, and the
 * caller's buffer is left as it was. */
static void test_cpedict_xml_error_first(void **state)
{
    static const char cut[] = "<cpe-list>\n<cpe-item><title xml:lang=\"en-US\">Postgre";
    lf_buf out;
    lf_buf_init(&out, 0);
    assert_int_equal(lf_buf_puts(&out, "kept\n"), LF_OK);
    warns w = {0};
    lf_cpedict_stats st;
    lf_err err;
    lf_err_clear(&err);
    assert_int_equal(lf_cpedict_read_buffer("first.xml", cut, strlen(cut), &out, *state, on_warn, &w, &st, &err),
                     LF_EPARSE);
    assert_string_equal(text(&out), "kept\n");
    assert_int_equal(err.code, LF_EPARSE);
    assert_string_equal(err.src, "first.xml");
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 42);   /* "<cpe-item><title xml:lang="en-US">Postgre" is 41 bytes */
    assert_non_null(strstr(err.msg, "XML: no element found"));
    assert_int_equal(st.items, 0);
    assert_int_equal(w.n, 0);   /* the error is returned, not also warned */
    lf_buf_clear(&out);
}

/* Neither form, JSON without "products", and broken JSON: errors of the call. */
/* A truncated JSON download keeps its whole products, as a truncated XML file does; the
 * break is reported with its line. */
static void test_cpedict_json_error_after_items(void **state)
{
    static const char cut[] = "{\"products\":[\n"
                              "{\"cpe\":{\"cpeName\":\"cpe:2.3:a:postgresql:postgresql:14:*:*:*:*:*:*:*\","
                              "\"titles\":[{\"title\":\"PostgreSQL 14\",\"lang\":\"en\"}]}},\n"
                              "{\"cpe\":{\"cpeName\":\"cpe:2.3:a:foxit:pdf_reader:12.1:*:*:*:*:*:*:*\",\n"
                              "\"titles\":[{\"title\":\"Foxit";
    lf_buf out;
    warns w = {0};
    lf_cpedict_stats st;
    lf_err err;
    assert_int_equal(read_doc(*state, "cut.json", cut, &out, &w, &st, &err), LF_OK);
    assert_string_equal(text(&out), "a:postgresql:postgresql\tpostgresql\n");
    assert_int_equal(st.items, 1);
    assert_int_equal(st.bad, 1);
    assert_int_equal(w.n, 1);
    assert_int_equal(w.e[0].code, LF_EPARSE);
    assert_string_equal(w.e[0].src, "cut.json");
    assert_int_equal(w.e[0].line, 4);
    assert_non_null(strstr(w.e[0].msg, "(the products before it are kept)"));
    lf_buf_clear(&out);
}

/* Blank lines before the XML declaration (an editor's, a script's concatenation) are not
 * an error, and line numbers still count them; vendor and product are lower-cased (a
 * hand-made dictionary's "Microsoft" must meet the index's "microsoft"). */
static void test_cpedict_xml_after_blank_lines_and_case(void **state)
{
    static const char xml[] = "\n \r\n<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<cpe-list>\n"
                              "<cpe-item><title>Microsoft Edge</title><cpe-23:cpe23-item "
                              "name=\"cpe:2.3:a:Microsoft:Edge:120.0:*:*:*:*:*:*:*\"/></cpe-item>\n"
                              "<cpe-item><title>broken</title><cpe-23:cpe23-item name=\"cpe:2.3:a\"/></cpe-item>\n"
                              "</cpe-list>\n";
    lf_buf out;
    warns w = {0};
    lf_cpedict_stats st;
    lf_err err;
    assert_int_equal(read_doc(*state, "blank.xml", xml, &out, &w, &st, &err), LF_OK);
    assert_string_equal(text(&out), "a:microsoft:edge\tmicrosoft edge\n");
    assert_int_equal(st.items, 2);
    assert_int_equal(w.n, 1);
    assert_int_equal(w.e[0].line, 6);   /* the broken item's line in the file, blank lines included */
    lf_buf_clear(&out);
}

static void test_cpedict_not_a_dictionary(void **state)
{
    static const struct {
        const char *doc;
        int code;
        long line;
        const char *msg;
    } cases[] = {
        {"name,version\nx,1\n", LF_EFORMAT, 0, "neither the XML nor the JSON form of the CPE dictionary"},
        {"", LF_EFORMAT, 0, "neither the XML nor the JSON form of the CPE dictionary"},
        {"{\"resultsPerPage\":0,\"vulnerabilities\":[]}", LF_EFORMAT, 0,
         "JSON without a \"products\" array: not a CPE API 2.0 response"},
        {"{\"products\":{}}", LF_EFORMAT, 0, "JSON without a \"products\" array: not a CPE API 2.0 response"},
        /* a JSON syntax error before the first product refuses the file (JSON cannot be
         * resynchronised; test_cpedict_json_error_after_items keeps what came before) */
        {"{\"products\":[\n\n{\"cpe\": ]}", LF_EPARSE, 3, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lf_buf out;
        warns w = {0};
        lf_cpedict_stats st;
        lf_err err;
        assert_int_equal(read_doc(*state, "x", cases[i].doc, &out, &w, &st, &err), cases[i].code);
        assert_int_equal(err.code, cases[i].code);
        assert_string_equal(err.src, "x");
        assert_int_equal(err.line, cases[i].line);
        if (cases[i].msg)
            assert_string_equal(err.msg, cases[i].msg);
        assert_int_equal(out.len, 0);
        lf_buf_clear(&out);
    }
}

/* ---- lf_cpedict_import on files ---- */

static void tmp_dir(char *out, size_t n)
{
    snprintf(out, n, "/tmp/lf-test-cpedict-%ld", (long)getpid());
    mkdir(out, 0700);
}

static void write_file(const char *dir, const char *name, const char *data, char *path, size_t n)
{
    snprintf(path, n, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, strlen(data), f), strlen(data));
    assert_int_equal(fclose(f), 0);
}

static void write_bytes(const char *dir, const char *name, const void *data, size_t len, char *path, size_t n)
{
    snprintf(path, n, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static void write_gzip(const char *dir, const char *name, const char *data, char *path, size_t n)
{
    snprintf(path, n, "%s/%s", dir, name);
    gzFile g = gzopen(path, "wb");
    assert_non_null(g);
    assert_int_equal(gzwrite(g, data, (unsigned)strlen(data)), (int)strlen(data));
    assert_int_equal(gzclose(g), Z_OK);
}

static char *slurp(const char *path)
{
    char *d = NULL;
    size_t len = 0;
    lf_err err;
    if (lf_file_read(path, 0, &d, &len, &err) != LF_OK)
        return NULL;
    return d;
}

/* Files in the folder other than . and .. */
static int count_files(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL)
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
            n++;
    closedir(d);
    return n;
}

static void rm_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    char p[4200];
    while ((de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
        unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

/* The digest file: the header line, then each input's lines in order; a gzip'd file reads
 * as its plain copy; statistics add up over the files. */
static void test_cpedict_import_files(void **state)
{
    (void)state;
    char dir[256], xml[512], json[512], gz[512], plain[512], digest[512];
    tmp_dir(dir, sizeof dir);
    write_file(dir, "dict.xml", XML_DOC, xml, sizeof xml);
    write_file(dir, "api.json", JSON_DOC, json, sizeof json);
    write_file(dir, "versions.xml", VERSIONS_DOC, plain, sizeof plain);
    write_gzip(dir, "versions.xml.gz", VERSIONS_DOC, gz, sizeof gz);
    snprintf(digest, sizeof digest, "%s/cpedict.tsv", dir);
    warns w = {0};
    lf_cpedict_stats st;
    lf_err err;
    char want[4096];

    const char *one[] = {xml};
    assert_int_equal(lf_cpedict_import(one, 1, digest, on_warn, &w, &st, &err), LF_OK);
    char *got = slurp(digest);
    assert_non_null(got);
    snprintf(want, sizeof want, "%s%s", DIGEST_HEADER, XML_DIGEST);
    assert_string_equal(got, want);
    free(got);
    assert_int_equal(st.items, 11);
    assert_int_equal(st.written, 6);
    assert_int_equal(w.n, 2);
    assert_string_equal(w.e[0].src, xml);   /* warnings name the file */
    assert_int_equal(w.e[0].line, 29);

    /* gzip and JSON together */
    w.n = 0;
    const char *two[] = {gz, json};
    assert_int_equal(lf_cpedict_import(two, 2, digest, on_warn, &w, &st, &err), LF_OK);
    got = slurp(digest);
    assert_non_null(got);
    snprintf(want, sizeof want, "%s%s%s", DIGEST_HEADER, VERSIONS_DIGEST, JSON_DIGEST);
    assert_string_equal(got, want);
    free(got);
    assert_int_equal(st.items, 7 + 6);
    assert_int_equal(st.deprecated, 0 + 1);
    assert_int_equal(st.bad, 0 + 2);
    assert_int_equal(st.written, 4 + 3);
    assert_int_equal(w.n, 2);
    assert_string_equal(w.e[0].src, json);
    assert_int_equal(w.e[0].line, 4);

    /* the plain copy gives the same digest as the gzip'd one */
    const char *p1[] = {plain};
    assert_int_equal(lf_cpedict_import(p1, 1, digest, NULL, NULL, &st, &err), LF_OK);
    got = slurp(digest);
    snprintf(want, sizeof want, "%s%s", DIGEST_HEADER, VERSIONS_DIGEST);
    assert_string_equal(got, want);
    free(got);
    const char *g1[] = {gz};
    assert_int_equal(lf_cpedict_import(g1, 1, digest, NULL, NULL, &st, &err), LF_OK);
    got = slurp(digest);
    assert_string_equal(got, want);
    free(got);
    assert_int_equal(st.written, 4);
    /* no temporary file is left beside the digest */
    assert_int_equal(count_files(dir), 5);
    rm_dir(dir);
}

/* A failed import (a file missing, not the format, corrupt gzip, even after a good file;
 * XML broken before its first item) returns the error with the file and leaves the
 * digest already there byte for byte as it was, with no temporary file. */
static void test_cpedict_import_failure_keeps_digest(void **state)
{
    (void)state;
    char dir[256], good[512], cut[512], csv[512], badgz[512], digest[512], missing[512], nodir[512];
    tmp_dir(dir, sizeof dir);
    write_file(dir, "versions.xml", VERSIONS_DOC, good, sizeof good);
    write_file(dir, "cut.xml", "<cpe-list>\n<cpe-item><title>Cut", cut, sizeof cut);
    write_file(dir, "inventory.csv", "name,version\nx,1\n", csv, sizeof csv);
    /* gzip magic and header, then garbage */
    static const char junk[] = "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03garbage-not-deflate";
    write_bytes(dir, "bad.xml.gz", junk, sizeof junk - 1, badgz, sizeof badgz);
    snprintf(missing, sizeof missing, "%s/missing.xml", dir);
    snprintf(digest, sizeof digest, "%s/cpedict.tsv", dir);
    lf_cpedict_stats st;
    lf_err err;
    const char *g[] = {good};
    assert_int_equal(lf_cpedict_import(g, 1, digest, NULL, NULL, &st, &err), LF_OK);
    char *before = slurp(digest);
    assert_non_null(before);
    int nfiles = count_files(dir);
    assert_int_equal(nfiles, 5);

    static const struct {
        int which;   /* 0 missing, 1 cut, 2 csv, 3 bad gzip */
        int code;
        long line;
    } cases[] = {{0, LF_EIO, 0}, {1, LF_EPARSE, 2}, {2, LF_EFORMAT, 0}, {3, LF_EPARSE, 0}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *bad = cases[i].which == 0 ? missing : cases[i].which == 1 ? cut : cases[i].which == 2 ? csv : badgz;
        /* the good file first (it is not written either); the XML broken early is also
         * refused after a good file (test_cpedict_regressions), here alone */
        const char *paths[] = {good, bad};
        size_t np = cases[i].which == 1 ? 1 : 2;
        lf_err_clear(&err);
        assert_int_equal(lf_cpedict_import(paths + (2 - np), np, digest, NULL, NULL, &st, &err), cases[i].code);
        assert_string_equal(err.src, bad);
        assert_int_equal(err.line, cases[i].line);
        char *after = slurp(digest);
        assert_non_null(after);
        assert_string_equal(after, before);
        free(after);
        assert_int_equal(count_files(dir), nfiles);
    }
    /* an output folder that does not exist: LF_EIO, nothing created */
    snprintf(nodir, sizeof nodir, "%s/no/such/dir/cpedict.tsv", dir);
    assert_int_not_equal(lf_cpedict_import(g, 1, nodir, NULL, NULL, &st, &err), LF_OK);
    assert_int_equal(err.code, LF_EIO);
    assert_int_equal(count_files(dir), nfiles);
    free(before);
    rm_dir(dir);
}

/* The digest is what lf_namedb_load_titles reads: each title key finds its product, with
 * CPE quoting removed, and a deprecated product is not known at all. */
static void test_cpedict_digest_loads_in_namedb(void **state)
{
    char dir[256], xml[512], json[512], digest[512];
    tmp_dir(dir, sizeof dir);
    write_file(dir, "dict.xml", XML_DOC, xml, sizeof xml);
    write_file(dir, "api.json", JSON_DOC, json, sizeof json);
    snprintf(digest, sizeof digest, "%s/cpedict.tsv", dir);
    lf_cpedict_stats st;
    lf_err err;
    const char *paths[] = {xml};
    assert_int_equal(lf_cpedict_import(paths, 1, digest, NULL, NULL, &st, &err), LF_OK);

    lf_namedb *db;
    assert_int_equal(lf_namedb_new(&db, &err), LF_OK);
    warns w = {0};
    assert_int_equal(lf_namedb_load_titles(db, *state, digest, on_warn, &w, &err), LF_OK);
    assert_int_equal(w.n, 0);   /* every digest line is one namedb reads */
    static const struct {
        const char *key;
        char part;
        const char *vendor, *product;
    } rows[] = {
        {"unicon software elux rp", 'a', "unicon-software", "elux_rp"},
        {"cybozu garoon", 'a', "cybozu", "garoon"},
        {"notepad++", 'a', "notepad-plus-plus", "notepad++"},
        {"regina sweets bakery", 'a', "regina_sweets&bakery", "regina_sweets&bakery"},
        {"zyxel nas326 firmware", 'o', "zyxel", "nas326_firmware"},
        {"zyxel nas326", 'h', "zyxel", "nas326"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        unsigned np = 0;
        const lf_product *p = lf_namedb_title(db, rows[i].key, strlen(rows[i].key), &np);
        assert_non_null(p);
        assert_int_equal(p->part, rows[i].part);
        assert_string_equal(p->vendor, rows[i].vendor);
        assert_string_equal(p->product, rows[i].product);
        assert_int_equal(np, 1);
    }
    unsigned np;
    assert_null(lf_namedb_title(db, "cybozu garoon old name", 22, &np));
    char part;
    assert_false(lf_namedb_has_product(db, "cybozu", "garoon_old", &part));
    assert_false(lf_namedb_has_product(db, "nameless", "nameless", &part));
    assert_true(lf_namedb_has_product(db, "unicon-software", "elux_rp", &part));
    assert_int_equal(part, 'a');
    lf_namedb_counts c;
    lf_namedb_get_counts(db, &c);
    assert_int_equal(c.titles, 6);
    lf_namedb_free(db);
    rm_dir(dir);
}

/* What the first version got wrong, each shown by the input that showed it:
 * a line of 1,024 bytes overran the previous-line copy (and crashed the import); titles
 * interleaved by version were written again and again; a file broken before its own first
 * item was only a warning after another file; a well-formed file without any item (a
 * pom.xml) replaced the digest with nothing; an item with only a non-English title got an
 * empty one in XML (JSON took the first title); and namedb folded the digest's titles a
 * second time, so "windows 10 1809" was filed under "windows". */
static void test_cpedict_regressions(void **state)
{
    lf_buf out;
    warns w = {0};
    lf_cpedict_stats st;
    lf_err err;
    /* 1: 254-character vendor and product, 511-byte title key, then a nameless item */
    char v[255], title[520];
    memset(v, 'v', 254);
    v[254] = '\0';
    memset(title, 'x', 255);
    title[255] = ' ';
    memset(title + 256, 'y', 255);
    title[511] = '\0';
    size_t cap = 4096;
    char *doc = malloc(cap);
    assert_non_null(doc);
    snprintf(doc, cap,
             "<cpe-list>\n<cpe-item><title xml:lang=\"en-US\">%s</title>"
             "<cpe-23:cpe23-item name=\"cpe:2.3:a:%s:%s:1:*:*:*:*:*:*:*\"/></cpe-item>\n"
             "<cpe-item><title>nameless</title></cpe-item>\n</cpe-list>\n",
             title, v, v);
    assert_int_equal(read_doc(*state, "long.xml", doc, &out, &w, &st, &err), LF_OK);
    assert_int_equal(st.items, 2);
    assert_int_equal(st.written, 1);
    assert_int_equal(w.n, 1);
    assert_int_equal(w.e[0].line, 3);
    assert_int_equal(out.len, 2 + 254 + 1 + 254 + 1 + 511 + 1);
    lf_buf_clear(&out);
    free(doc);

    /* 2 and 6: versions interleave their titles; a Japanese-only title is kept */
    static const char inter[] =
        "<cpe-list>\n"
        "<cpe-item><title xml:lang=\"en-US\">Acme Tool 1.0</title><cpe-23:cpe23-item name=\"cpe:2.3:a:acme:tool:1.0:*:*:*:*:*:*:*\"/></cpe-item>\n"
        "<cpe-item><title xml:lang=\"en-US\">Acme Tool 1.0 Beta</title><cpe-23:cpe23-item name=\"cpe:2.3:a:acme:tool:1.0:beta:*:*:*:*:*:*\"/></cpe-item>\n"
        "<cpe-item><title xml:lang=\"en-US\">Acme Tool 2.0</title><cpe-23:cpe23-item name=\"cpe:2.3:a:acme:tool:2.0:*:*:*:*:*:*:*\"/></cpe-item>\n"
        "<cpe-item><title xml:lang=\"en-US\">Acme Tool 2.0 Beta</title><cpe-23:cpe23-item name=\"cpe:2.3:a:acme:tool:2.0:beta:*:*:*:*:*:*\"/></cpe-item>\n"
        "<cpe-item><title xml:lang=\"ja-JP\">Nihon Soft 3</title><cpe-23:cpe23-item name=\"cpe:2.3:a:nihon:soft:3:*:*:*:*:*:*:*\"/></cpe-item>\n"
        "<cpe-item><title xml:lang=\"ja-JP\">Nihon Mail 3</title><title xml:lang=\"en-US\">Nihon Mailer 3</title>"
        "<cpe-23:cpe23-item name=\"cpe:2.3:a:nihon:mail:3:*:*:*:*:*:*:*\"/></cpe-item>\n"
        "</cpe-list>\n";
    w.n = 0;
    assert_int_equal(read_doc(*state, "inter.xml", inter, &out, &w, &st, &err), LF_OK);
    assert_string_equal(text(&out), "a:acme:tool\tacme tool\n"
                                    "a:acme:tool\tacme tool beta\n"
                                    "a:nihon:soft\tnihon soft\n"
                                    "a:nihon:mail\tnihon mailer\n");
    assert_int_equal(st.items, 6);
    assert_int_equal(st.written, 4);
    lf_buf_clear(&out);

    /* 3 and 4: a file broken before its first item is refused after a good one too; files
     * with no item at all replace nothing */
    char dir[256], good[512], cut[512], pom[512], empty[512], digest[512];
    tmp_dir(dir, sizeof dir);
    write_file(dir, "good.xml", inter, good, sizeof good);
    write_file(dir, "cut.xml", "<cpe-list>\n<cpe-item><title>Cut", cut, sizeof cut);
    write_file(dir, "pom.xml", "<?xml version=\"1.0\"?>\n<project><artifactId>x</artifactId></project>\n", pom,
               sizeof pom);
    write_file(dir, "empty.json", "{\"resultsPerPage\":0,\"products\":[]}", empty, sizeof empty);
    snprintf(digest, sizeof digest, "%s/cpedict.tsv", dir);
    const char *g[] = {good};
    assert_int_equal(lf_cpedict_import(g, 1, digest, NULL, NULL, &st, &err), LF_OK);
    char *before = slurp(digest);
    assert_non_null(before);
    const char *gc[] = {good, cut};
    assert_int_equal(lf_cpedict_import(gc, 2, digest, NULL, NULL, &st, &err), LF_EPARSE);
    assert_string_equal(err.src, cut);
    assert_null(strstr(err.msg, "kept"));   /* nothing of that file is */
    const char *p1[] = {pom}, *p2[] = {empty}, *p3[] = {pom, empty};
    assert_int_equal(lf_cpedict_import(p1, 1, digest, NULL, NULL, &st, &err), LF_EFORMAT);
    assert_int_equal(lf_cpedict_import(p2, 1, digest, NULL, NULL, &st, &err), LF_EFORMAT);
    assert_int_equal(lf_cpedict_import(p3, 2, digest, NULL, NULL, &st, &err), LF_EFORMAT);
    char *after = slurp(digest);
    assert_non_null(after);
    assert_string_equal(after, before);
    free(after);
    free(before);

    /* 5: a title whose folded key ends in a number keeps it when namedb loads the digest */
    static const char win[] =
        "<cpe-list>\n<cpe-item><title xml:lang=\"en-US\">Microsoft Windows 10 1809</title>"
        "<cpe-23:cpe23-item name=\"cpe:2.3:o:microsoft:windows_10:1809:*:*:*:*:*:*:*\"/></cpe-item>\n</cpe-list>\n";
    char wpath[512];
    write_file(dir, "win.xml", win, wpath, sizeof wpath);
    const char *wp[] = {wpath};
    assert_int_equal(lf_cpedict_import(wp, 1, digest, NULL, NULL, &st, &err), LF_OK);
    char *d = slurp(digest);
    assert_non_null(strstr(d, "o:microsoft:windows_10\tmicrosoft windows 10\n"));
    free(d);
    lf_namedb *db;
    assert_int_equal(lf_namedb_new(&db, &err), LF_OK);
    assert_int_equal(lf_namedb_load_titles(db, *state, digest, NULL, NULL, &err), LF_OK);
    unsigned np = 0;
    const lf_product *p = lf_namedb_title(db, "microsoft windows 10", 20, &np);
    assert_non_null(p);
    assert_string_equal(p->product, "windows_10");
    assert_null(lf_namedb_title(db, "microsoft windows", 17, &np));
    lf_namedb_free(db);
    rm_dir(dir);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The real slice in shared/data/cpe (3,198 items, 141 deprecated, 265 live products, and
 * two stray </cpe-list> tags at the end, lines 25105 and 25106): every item is read, the
 * stray tag is one warning at line 25105, products only deprecated are absent. */
static void test_cpedict_real_slice(void **state)
{
    (void)state;
    const char *sh = getenv("LF_SHARED_DATA");
    char in[4096];
    snprintf(in, sizeof in, "%s/cpe/official-cpe-dictionary_v2.3.slice-syft-testdata.xml", sh ? sh : "");
    if (!sh || access(in, R_OK) != 0)
        skip();
    char *data = NULL;
    size_t len = 0;
    lf_err err;
    assert_int_equal(lf_file_read(in, 0, &data, &len, &err), LF_OK);
    lf_buf out;
    lf_buf_init(&out, 0);
    warns w = {0};
    lf_cpedict_stats st;
    /* no caller's lf_norm: the call makes its own */
    assert_int_equal(lf_cpedict_read_buffer(in, data, len, &out, NULL, on_warn, &w, &st, &err), LF_OK);
    free(data);
    assert_int_equal(st.items, 3198);
    assert_int_equal(st.deprecated, 141);
    assert_int_equal(st.bad, 1);
    assert_int_equal(w.n, 1);
    assert_int_equal(w.e[0].code, LF_EPARSE);
    assert_string_equal(w.e[0].src, in);
    assert_int_equal(w.e[0].line, 25105);
    assert_non_null(strstr(w.e[0].msg, "XML: "));

    /* count the lines and the distinct first columns */
    size_t lines = 0, products = 0;
    char *keys[1024];
    for (char *p = out.data; p && *p;) {
        char *nl = strchr(p, '\n');
        char *tab = strchr(p, '\t');
        assert_non_null(nl);
        assert_true(tab != NULL && tab < nl);
        assert_true(lines < sizeof keys / sizeof keys[0]);
        keys[lines++] = strndup(p, (size_t)(tab - p));
        p = nl + 1;
    }
    qsort(keys, lines, sizeof keys[0], cmp_str);
    for (size_t i = 0; i < lines; i++)
        products += i == 0 || strcmp(keys[i - 1], keys[i]) != 0;
    for (size_t i = 0; i < lines; i++)
        free(keys[i]);
    assert_int_equal(lines, st.written);
    assert_int_equal(products, 265);
    assert_non_null(strstr(out.data, "\na:unicon-software:elux_rp\tunicon software elux rp\n"));
    /* "Ultimaker 3 Firmware 5.2.16": the version goes, the model number inside stays */
    assert_non_null(strstr(out.data, "\no:ultimaker:ultimaker_3_firmware\tultimaker 3 firmware\n"));
    /* products whose every item is deprecated (NVD's misspelt vendor "zyzel") */
    assert_null(strstr(out.data, "zyzel"));
    assert_null(strstr(out.data, "\na:umbraco:umbraco\t"));
    lf_buf_clear(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cpedict_xml_items),
        cmocka_unit_test(test_cpedict_json_items),
        cmocka_unit_test(test_cpedict_versions_one_line),
        cmocka_unit_test(test_cpedict_appends_and_resets_stats),
        cmocka_unit_test(test_cpedict_names_checked),
        cmocka_unit_test(test_cpedict_bom_and_blank_lines),
        cmocka_unit_test(test_cpedict_xml_error_after_items),
        cmocka_unit_test(test_cpedict_xml_error_first),
        cmocka_unit_test(test_cpedict_not_a_dictionary),
        cmocka_unit_test(test_cpedict_json_error_after_items),
        cmocka_unit_test(test_cpedict_xml_after_blank_lines_and_case),
        cmocka_unit_test(test_cpedict_import_files),
        cmocka_unit_test(test_cpedict_import_failure_keeps_digest),
        cmocka_unit_test(test_cpedict_digest_loads_in_namedb),
        cmocka_unit_test(test_cpedict_regressions),
        cmocka_unit_test(test_cpedict_real_slice),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
