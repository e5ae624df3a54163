/*
 * Tests for src/isac/stix.c: STIX 2.1 object validation (a valid and an invalid object
 * for every SDO, both SROs, SCOs and meta objects, each fault named by its property
 * path), bundles with located problems, TLP markings, the indexed view, and the OASIS
 * TAXII reference server's test data.
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
#include "isac/stix.h"

#define U "6ba7b810-9dad-41d1-80b4-00c04fd430c8"
#define CORE(t)                                                                                 \
    "\"type\":\"" t "\",\"spec_version\":\"2.1\",\"id\":\"" t "--" U "\","                      \
    "\"created\":\"2020-01-01T00:00:00.000Z\",\"modified\":\"2020-01-02T00:00:00.000Z\""
#define SCO(t) "\"type\":\"" t "\",\"id\":\"" t "--" U "\""
#define REFS "\"object_refs\":[\"indicator--" U "\"]"

static const struct {
    const char *valid, *invalid;
    const char *path;   /* a problem of the invalid object has this path */
    const char *msg;    /* and this in its message */
} rows[] = {
    /* SDOs (section 4) */
    {"{" CORE("attack-pattern") ",\"name\":\"Spear phishing\"}", "{" CORE("attack-pattern") "}", "name", "missing"},
    {"{" CORE("campaign") ",\"name\":\"C\",\"first_seen\":\"2020-01-05T00:00:00Z\",\"last_seen\":\"2020-02-01T00:00:00Z\"}",
     "{" CORE("campaign") ",\"name\":\"C\",\"first_seen\":\"2020-01-05T00:00:00Z\",\"last_seen\":\"2020-01-04T00:00:00Z\"}",
     "last_seen", "at or after first_seen"},
    {"{" CORE("course-of-action") ",\"name\":\"Block\"}", "{" CORE("course-of-action") ",\"description\":\"x\"}", "name", "missing"},
    {"{" CORE("grouping") ",\"context\":\"suspicious-activity\"," REFS "}",
     "{" CORE("grouping") ",\"context\":\"suspicious-activity\",\"object_refs\":[]}", "object_refs", "empty list"},
    {"{" CORE("identity") ",\"name\":\"ACME\",\"identity_class\":\"organization\"}", "{" CORE("identity") ",\"name\":5}",
     "name", "must be a string"},
    {"{" CORE("incident") ",\"name\":\"Breach\"}", "{" CORE("incident") "}", "name", "missing"},
    {"{" CORE("indicator") ",\"pattern\":\"[url:value = 'http://a.example/']\",\"pattern_type\":\"stix\","
     "\"valid_from\":\"2020-01-01T00:00:00Z\",\"valid_until\":\"2020-06-01T00:00:00Z\"}",
     "{" CORE("indicator") ",\"pattern\":\"[url:value = 'http://a.example/']\",\"pattern_type\":\"stix\","
     "\"valid_from\":\"2020-01-01T00:00:00Z\",\"valid_until\":\"2020-01-01T00:00:00.000Z\"}",
     "valid_until", "later than valid_from"},
    {"{" CORE("infrastructure") ",\"name\":\"Botnet\"}", "{" CORE("infrastructure") "}", "name", "missing"},
    {"{" CORE("intrusion-set") ",\"name\":\"APT-X\",\"created_by_ref\":\"identity--" U "\"}",
     "{" CORE("intrusion-set") ",\"name\":\"APT-X\",\"created_by_ref\":\"malware--" U "\"}", "created_by_ref", "identity"},
    {"{" CORE("location") ",\"region\":\"eastern-asia\"}", "{" CORE("location") ",\"latitude\":95,\"longitude\":0}",
     "latitude", "-90 to 90"},
    {"{" CORE("malware") ",\"is_family\":false}", "{" CORE("malware") ",\"is_family\":true}", "name", "is_family"},
    {"{" CORE("malware-analysis") ",\"product\":\"av\",\"result\":\"malicious\"}",
     "{" CORE("malware-analysis") ",\"product\":\"av\"}", "", "result or analysis_sco_refs"},
    {"{" CORE("note") ",\"content\":\"Seen twice.\"," REFS "}", "{" CORE("note") "," REFS "}", "content", "missing"},
    {"{" CORE("observed-data") ",\"first_observed\":\"2020-01-01T00:00:00Z\",\"last_observed\":\"2020-01-01T00:00:00Z\","
     "\"number_observed\":1," REFS "}",
     "{" CORE("observed-data") ",\"first_observed\":\"2020-01-01T00:00:00Z\",\"last_observed\":\"2020-01-01T00:00:00Z\","
     "\"number_observed\":0," REFS "}",
     "number_observed", "outside 1..999999999"},
    {"{" CORE("opinion") ",\"opinion\":\"agree\"," REFS "}", "{" CORE("opinion") ",\"opinion\":\"maybe\"," REFS "}",
     "opinion", "allowed values"},
    {"{" CORE("report") ",\"name\":\"R\",\"published\":\"2020-01-03T00:00:00Z\"," REFS "}",
     "{" CORE("report") ",\"name\":\"R\",\"published\":\"2020-01-03\"," REFS "}", "published", "RFC 3339"},
    {"{" CORE("threat-actor") ",\"name\":\"Group\"}", "{" CORE("threat-actor") ",\"aliases\":[\"G\"]}", "name", "missing"},
    {"{" CORE("tool") ",\"name\":\"nmap\"}", "{\"type\":\"tool\",\"spec_version\":\"2.0\",\"id\":\"tool--" U "\","
     "\"created\":\"2020-01-01T00:00:00Z\",\"modified\":\"2020-01-01T00:00:00Z\",\"name\":\"nmap\"}", "spec_version", "not 2.1"},
    {"{" CORE("vulnerability") ",\"name\":\"CVE-2021-44228\",\"external_references\":[{\"source_name\":\"cve\","
     "\"external_id\":\"CVE-2021-44228\"}]}",
     "{" CORE("vulnerability") ",\"name\":\"Log4Shell\",\"external_references\":[{\"source_name\":\"cve\","
     "\"external_id\":\"2021-44228\"}]}",
     "external_references[0].external_id", "CVE-YYYY-NNNN"},
    /* SROs (section 5) */
    {"{" CORE("relationship") ",\"relationship_type\":\"indicates\",\"source_ref\":\"indicator--" U "\","
     "\"target_ref\":\"malware--" U "\"}",
     "{" CORE("relationship") ",\"relationship_type\":\"indicates\",\"source_ref\":\"indicator--" U "\","
     "\"target_ref\":\"not-an-id\"}",
     "target_ref", "not an identifier"},
    {"{" CORE("sighting") ",\"sighting_of_ref\":\"indicator--" U "\",\"count\":3,\"where_sighted_refs\":[\"identity--" U "\"]}",
     "{" CORE("sighting") ",\"sighting_of_ref\":\"indicator--" U "\",\"count\":1000000000}", "count", "outside"},
    /* SCOs (section 6) */
    {"{" SCO("ipv4-addr") ",\"value\":\"198.51.100.3\"}", "{" SCO("ipv4-addr") "}", "value", "missing"},
    {"{" SCO("ipv6-addr") ",\"value\":\"2001:db8::1\"}", "{" SCO("ipv6-addr") ",\"value\":7}", "value", "must be a string"},
    {"{" SCO("domain-name") ",\"value\":\"example.com\"}",
     "{\"type\":\"domain-name\",\"id\":\"ipv4-addr--" U "\",\"value\":\"example.com\"}", "id", "domain-name identifier"},
    {"{" SCO("url") ",\"value\":\"https://example.com/\"}", "{" SCO("url") ",\"spec_version\":\"2.1\"}", "value", "missing"},
    {"{" SCO("email-addr") ",\"value\":\"a@example.com\"}", "{" SCO("email-addr") ",\"display_name\":\"A\"}", "value", "missing"},
    {"{" SCO("file") ",\"hashes\":{\"MD5\":\"d41d8cd98f00b204e9800998ecf8427e\"}}", "{" SCO("file") ",\"size\":5}", "",
     "hashes or name"},
    {"{" SCO("network-traffic") ",\"protocols\":[\"tcp\"],\"dst_ref\":\"ipv4-addr--" U "\"}",
     "{" SCO("network-traffic") ",\"dst_ref\":\"ipv4-addr--" U "\"}", "protocols", "missing"},
    {"{" SCO("process") ",\"pid\":1221}", "{" SCO("process") "}", "", "at least one property"},
    {"{" SCO("artifact") ",\"payload_bin\":\"VBORw0KGgoAAAANSUhEUgAAADI==\"}", "{" SCO("artifact") ",\"url\":\"https://x.example/a\"}",
     "hashes", "url"},
    {"{" SCO("mutex") ",\"name\":\"__CLEANSWEEP__\"}", "{" SCO("mutex") "}", "name", "missing"},
    {"{" SCO("email-message") ",\"is_multipart\":false}", "{" SCO("email-message") ",\"is_multipart\":\"no\"}", "is_multipart",
     "true or false"},
    /* meta objects (section 7) */
    {"{\"type\":\"marking-definition\",\"spec_version\":\"2.1\",\"id\":\"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da\","
     "\"created\":\"2017-01-20T00:00:00.000Z\",\"definition_type\":\"tlp\",\"name\":\"TLP:GREEN\",\"definition\":{\"tlp\":\"green\"}}",
     "{\"type\":\"marking-definition\",\"spec_version\":\"2.1\",\"id\":\"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da\","
     "\"created\":\"2017-01-20T00:00:00.000Z\",\"definition_type\":\"tlp\",\"definition\":{\"tlp\":\"red\"}}",
     "definition.tlp", "contradicts"},
    {"{\"type\":\"marking-definition\",\"spec_version\":\"2.1\",\"id\":\"marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003\","
     "\"created\":\"2022-10-01T00:00:00.000Z\",\"name\":\"TLP:AMBER+STRICT\",\"extensions\":{"
     "\"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d\":{\"extension_type\":\"property-extension\","
     "\"tlp_2_0\":\"amber+strict\"}}}",
     "{\"type\":\"marking-definition\",\"spec_version\":\"2.1\",\"id\":\"marking-definition--" U "\","
     "\"created\":\"2022-10-01T00:00:00.000Z\",\"name\":\"no definition\"}",
     "", "definition_type with definition, or extensions"},
    {"{" CORE("language-content") ",\"object_ref\":\"campaign--" U "\",\"contents\":{\"de\":{\"name\":\"Bank Angriff\"}}}",
     "{" CORE("language-content") ",\"object_ref\":\"campaign--" U "\",\"contents\":{\"de\":\"Bank Angriff\"}}",
     "contents.de", "translations"},
    {"{" CORE("extension-definition") ",\"created_by_ref\":\"identity--" U "\",\"name\":\"ext\",\"schema\":\"https://x.example/s\","
     "\"version\":\"1.0\",\"extension_types\":[\"property-extension\"]}",
     "{" CORE("extension-definition") ",\"created_by_ref\":\"identity--" U "\",\"name\":\"ext\",\"schema\":\"https://x.example/s\","
     "\"version\":\"1.0\",\"extension_types\":[\"bogus\"]}",
     "extension_types[0]", "not an extension type"},
    /* custom types: x- prefix accepted with common checks; anything else unknown */
    {"{\"type\":\"x-acme-widget\",\"id\":\"x-acme-widget--" U "\",\"x_colour\":\"red\"}",
     "{\"type\":\"acme-widget\",\"id\":\"acme-widget--" U "\"}", "type", "not a STIX 2.1 type"},
    /* common properties (section 3) */
    {"{" CORE("tool") ",\"name\":\"t\",\"confidence\":100,\"lang\":\"en\",\"labels\":[\"a\"],\"revoked\":false}",
     "{" CORE("tool") ",\"name\":\"t\",\"confidence\":101}", "confidence", "outside 0..100"},
    {"{" CORE("tool") ",\"name\":\"t\",\"granular_markings\":[{\"selectors\":[\"name\"],\"marking_ref\":"
     "\"marking-definition--" U "\"}]}",
     "{" CORE("tool") ",\"name\":\"t\",\"granular_markings\":[{\"selectors\":[\"name\"]}]}", "granular_markings[0]",
     "exactly one of marking_ref and lang"},
    {"{" CORE("tool") ",\"name\":\"t\",\"external_references\":[{\"source_name\":\"capec\",\"external_id\":\"CAPEC-163\"}]}",
     "{" CORE("tool") ",\"name\":\"t\",\"external_references\":[{\"source_name\":\"capec\"}]}", "external_references[0]",
     "description, url or external_id"},
    {"{" CORE("tool") ",\"name\":\"t\"}",
     "{\"type\":\"tool\",\"spec_version\":\"2.1\",\"id\":\"tool--6ba7b810-9dad-01d1-80b4-00c04fd430c8\","
     "\"created\":\"2020-01-01T00:00:00Z\",\"modified\":\"2020-01-01T00:00:00Z\",\"name\":\"t\"}",
     "id", "RFC 4122"},
    {"{" CORE("tool") ",\"name\":\"t\"}",
     "{\"type\":\"tool\",\"spec_version\":\"2.1\",\"id\":\"tool--" U "\","
     "\"created\":\"2020-01-02T00:00:00Z\",\"modified\":\"2020-01-01T00:00:00Z\",\"name\":\"t\"}",
     "modified", "at or after created"},
    {"{" CORE("tool") ",\"name\":\"t\"}", "{" CORE("tool") ",\"name\":\"t\",\"x-bad\":1}", "x-bad", "property names"},
    {"{" CORE("indicator") ",\"pattern\":\"alert tcp any any\",\"pattern_type\":\"snort\",\"valid_from\":\"2020-01-01T00:00:00Z\"}",
     "{" CORE("indicator") ",\"pattern\":\"[url:value = ]\",\"pattern_type\":\"stix\",\"valid_from\":\"2020-01-01T00:00:00Z\"}",
     "pattern", "offset 13"},
};

static void dump_problems(const lf_stix_set *s)
{
    for (size_t k = 0; k < s->nproblems; k++)
        fprintf(stderr, "  [%zu] %s: %s\n", s->problems[k].index, s->problems[k].path, s->problems[k].msg);
}

static void test_stix_type_tables(void **state)
{
    (void)state;
    size_t sdo = 0, sro = 0, sco = 0;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        lf_arena a;
        lf_arena_init(&a, 0);
        lf_stix_set s;
        lf_err e;
        lf_err_clear(&e);
        assert_int_equal(lf_stix_read_buffer(&a, rows[i].valid, strlen(rows[i].valid), &s, &e), LF_OK);
        if (s.nobjs != 1) {
            dump_problems(&s);
            fail_msg("row %zu: valid object rejected: %s", i, rows[i].valid);
        }
        sdo += s.objs[0].kind == LF_STIX_SDO;
        sro += s.objs[0].kind == LF_STIX_SRO;
        sco += s.objs[0].kind == LF_STIX_SCO;
        assert_int_equal(lf_stix_read_buffer(&a, rows[i].invalid, strlen(rows[i].invalid), &s, &e), LF_OK);
        bool found = false;
        for (size_t k = 0; k < s.nproblems; k++)
            if (!strcmp(s.problems[k].path, rows[i].path) && strstr(s.problems[k].msg, rows[i].msg))
                found = true;
        if (s.nobjs != 0 || s.ninvalid != 1 || !found) {
            dump_problems(&s);
            fail_msg("row %zu: want a problem at \"%s\" with \"%s\" in %s", i, rows[i].path, rows[i].msg, rows[i].invalid);
        }
        lf_arena_clear(&a);
    }
    assert_true(sdo >= 19);
    assert_true(sro >= 2);
    assert_true(sco >= 6);
}

static char *fixture(const char *name, size_t *len)
{
    const char *dir = getenv("LF_FIXTURES");
    char path[1024];
    snprintf(path, sizeof path, "%s/stix/%s", dir ? dir : "tests/fixtures", name);
    char *data;
    lf_err e;
    if (lf_file_read(path, 0, &data, len, &e))
        fail_msg("cannot read %s: %s", path, e.msg);
    return data;
}

/* A bundle: valid objects returned with their views, invalid ones reported by index,
 * id and path, nothing dropped. */
static void test_stix_bundle_problems(void **state)
{
    (void)state;
    size_t len;
    char *text = fixture("mixed-bundle.json", &len);
    lf_arena a;
    lf_arena_init(&a, 0);
    lf_stix_set s;
    lf_err e;
    assert_int_equal(lf_stix_read_buffer(&a, text, len, &s, &e), LF_OK);
    assert_int_equal(s.ninput, 6);
    assert_int_equal(s.nobjs, 3);
    assert_int_equal(s.ninvalid, 3);
    assert_int_equal(s.nobjs + s.ninvalid, s.ninput);
    assert_int_equal(s.objs[0].index, 0);
    assert_int_equal(s.objs[1].index, 2);
    assert_int_equal(s.objs[2].index, 5);
    assert_int_equal(s.nproblems, 3);
    assert_int_equal(s.problems[0].index, 1);
    assert_string_equal(s.problems[0].id, "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f");
    assert_string_equal(s.problems[0].path, "objects[1].valid_until");
    assert_int_equal(s.problems[1].index, 3);
    assert_null(s.problems[1].id);
    assert_string_equal(s.problems[1].path, "objects[3]");
    assert_string_equal(s.problems[2].path, "objects[4].pattern");
    assert_non_null(strstr(s.problems[2].msg, "offset 38"));

    /* the view of the second indicator */
    const lf_stix_obj *o = &s.objs[1];
    assert_string_equal(o->type, "indicator");
    assert_int_equal(o->kind, LF_STIX_SDO);
    assert_string_equal(o->valid_from, "2021-03-02T08:00:00Z");
    assert_null(o->valid_until);
    assert_int_equal(o->nlabels, 2);
    assert_string_equal(o->labels[1], "rat");
    assert_int_equal(o->nmarking, 2);
    assert_int_equal(o->tlp, LF_STIX_TLP_AMBER_STRICT);
    assert_non_null(o->pat);
    lf_stixpat_iocs r;
    assert_int_equal(lf_stixpat_iocs_get(&a, o->pat, &r, &e), LF_OK);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.items[0].kind, LF_STIXPAT_IOC_SHA256);
    assert_true(r.items[0].sufficient);
    assert_string_equal(s.objs[2].type, "relationship");
    assert_int_equal(s.objs[2].kind, LF_STIX_SRO);
    lf_arena_clear(&a);
    free(text);
}

/* Document shapes: a lone object, an array, an envelope; anything else is LF_EFORMAT. */
static void test_stix_shapes(void **state)
{
    (void)state;
    lf_arena a;
    lf_arena_init(&a, 0);
    lf_stix_set s;
    lf_err e;
    const char *arr = "[{" SCO("ipv4-addr") ",\"value\":\"192.0.2.1\"}, {" SCO("ipv4-addr") "}]";
    assert_int_equal(lf_stix_read_buffer(&a, arr, strlen(arr), &s, &e), LF_OK);
    assert_int_equal(s.nobjs, 1);
    assert_string_equal(s.problems[0].path, "[1].value");
    const char *env = "{\"more\":false,\"objects\":[{" SCO("url") ",\"value\":\"http://a.example/\"}]}";
    assert_int_equal(lf_stix_read_buffer(&a, env, strlen(env), &s, &e), LF_OK);
    assert_int_equal(s.nobjs, 1);
    assert_int_equal(s.objs[0].kind, LF_STIX_SCO);
    const char *bun = "{\"type\":\"bundle\",\"id\":\"bundle--x\",\"objects\":[]}";
    assert_int_equal(lf_stix_read_buffer(&a, bun, strlen(bun), &s, &e), LF_OK);
    assert_int_equal(s.nproblems, 1);
    assert_string_equal(s.problems[0].path, "id");
    assert_int_equal(s.problems[0].index, SIZE_MAX);
    /* one fault, one problem: the generic *_refs check and the type's own do not both report */
    const char *grp = "{" CORE("grouping") ",\"context\":\"x\",\"object_refs\":[]}";
    assert_int_equal(lf_stix_read_buffer(&a, grp, strlen(grp), &s, &e), LF_OK);
    assert_int_equal(s.nproblems, 1);
    assert_string_equal(s.problems[0].path, "object_refs");
    assert_int_equal(lf_stix_read_buffer(&a, "42", 2, &s, &e), LF_EFORMAT);
    assert_int_equal(lf_stix_read_buffer(&a, "{\"objects\":5}", 13, &s, &e), LF_EFORMAT);
    lf_err_clear(&e);
    assert_int_equal(lf_stix_read_buffer(&a, "{\"type\":", 8, &s, &e), LF_EPARSE);
    assert_int_equal(e.line, 1);
    lf_arena_clear(&a);
}

/* The TLP 1.0 ids of STIX 2.1 section 7.2.1.4 and the five TLP 2.0 ids. */
static void test_stix_tlp_ids(void **state)
{
    (void)state;
    static const struct {
        const char *id;
        lf_stix_tlp t;
    } t[] = {
        {"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", LF_STIX_TLP_CLEAR},
        {"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", LF_STIX_TLP_GREEN},
        {"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", LF_STIX_TLP_AMBER},
        {"marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", LF_STIX_TLP_RED},
        {"marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", LF_STIX_TLP_CLEAR},
        {"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", LF_STIX_TLP_GREEN},
        {"marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", LF_STIX_TLP_AMBER},
        {"marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", LF_STIX_TLP_AMBER_STRICT},
        {"marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", LF_STIX_TLP_RED},
        {"marking-definition--" U, LF_STIX_TLP_UNKNOWN},
        {NULL, LF_STIX_TLP_UNKNOWN},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        assert_int_equal(lf_stix_tlp_of_marking(t[i].id), t[i].t);
    assert_string_equal(lf_stix_tlp_name(LF_STIX_TLP_AMBER_STRICT), "AMBER+STRICT");
}

/* Every object of the OASIS TAXII 2.1 reference server's test data validates, except
 * one the data itself gets wrong: the older version of malware--c0931cc6 in collection
 * 91a7b528 has no spec_version, which STIX 2.1 requires on every SDO (section 3.2). */
static void test_stix_taxii_reference_data(void **state)
{
    (void)state;
    const char *dir = getenv("LF_SHARED_DATA");
    char path[1024];
    snprintf(path, sizeof path, "%s/stix/taxii_default_data.json", dir ? dir : "");
    if (!dir || !lf_file_exists(path))
        skip();
    char *text;
    size_t len;
    lf_err e;
    assert_int_equal(lf_file_read(path, 0, &text, &len, &e), LF_OK);
    lf_arena a;
    lf_arena_init(&a, 0);
    lf_json *doc;
    assert_int_equal(lf_json_parse(&a, text, len, NULL, &doc, &e), LF_OK);
    const lf_json *cols = lf_json_get(lf_json_get(doc, "trustgroup1"), "collections");
    assert_true(lf_json_len(cols) >= 1);
    size_t seen = 0, valid = 0;
    for (size_t i = 0; i < lf_json_len(cols); i++) {
        const lf_json *col = lf_json_at(cols, i);
        lf_stix_set s;
        /* a collection carries its objects like a TAXII envelope: {"objects":[...]} */
        assert_int_equal(lf_stix_read(&a, col, &s, &e), LF_OK);
        seen += s.ninput;
        valid += s.nobjs;
        for (size_t k = 0; k < s.nproblems; k++) {
            const lf_stix_problem *p = &s.problems[k];
            if (!strcmp(lf_json_get_str(col, "id"), "91a7b528-80eb-42ed-a74d-c6fbd5a26116") && p->id &&
                !strcmp(p->id, "malware--c0931cc6-c75e-47e5-9036-78fabc95d4ec") &&
                !strcmp(p->path, "objects[6].spec_version"))
                continue;
            fail_msg("collection %zu: [%zu] %s %s: %s", i, p->index, p->id ? p->id : "-", p->path, p->msg);
        }
    }
    assert_int_equal(seen, 8);
    assert_int_equal(valid, 7);
    lf_arena_clear(&a);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stix_type_tables),
        cmocka_unit_test(test_stix_bundle_problems),
        cmocka_unit_test(test_stix_shapes),
        cmocka_unit_test(test_stix_tlp_ids),
        cmocka_unit_test(test_stix_taxii_reference_data),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
