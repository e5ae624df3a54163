/*
 * Tests for src/isac/stix.c: STIX 2.1 object validation (a valid and an invalid object
 * for every SDO, both SROs, SCOs and meta objects, each fault named by its property
 * path), the values of address/name SCOs and file hashes, bundles with located problems,
 * TLP markings, the indexed view, and the OASIS TAXII reference server's test data.
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

/* The value of each address/name SCO (sections 6.3-6.16) and the hashes of files,
 * artifacts and certificates: real-looking good values pass; each bad one is reported at
 * its property with the reason. */
static const struct {
    const char *type, *prop;   /* prop: "value" or a hashes key */
    const char *v;
    const char *msg;           /* NULL: valid; else in the problem's message */
} sco_values[] = {
    {"ipv4-addr", "value", "198.51.100.3", NULL},
    {"ipv4-addr", "value", "10.0.0.0/8", NULL},
    {"ipv4-addr", "value", "0.0.0.0/0", NULL},
    {"ipv4-addr", "value", "198.51.100.256", "not an IPv4 address"},
    {"ipv4-addr", "value", "198.51.100", "not an IPv4 address"},
    {"ipv4-addr", "value", "198.051.100.3", "not an IPv4 address"},   /* octal-looking octet */
    {"ipv4-addr", "value", "198.51.100.0/33", "CIDR prefix"},
    {"ipv4-addr", "value", "2001:db8::1", "not an IPv4 address"},
    {"ipv4-addr", "value", "evil.example.com", "not an IPv4 address"},
    {"ipv4-addr", "value", " 198.51.100.3", "not an IPv4 address"},
    {"ipv6-addr", "value", "2001:db8::1", NULL},
    {"ipv6-addr", "value", "2001:0db8:85a3:0000:0000:8a2e:0370:7334", NULL},
    {"ipv6-addr", "value", "2001:db8::/32", NULL},
    {"ipv6-addr", "value", "::ffff:192.0.2.128", NULL},
    {"ipv6-addr", "value", "2001:db8::1::2", "not an IPv6 address"},
    {"ipv6-addr", "value", "2001:db8::g", "not an IPv6 address"},
    {"ipv6-addr", "value", "2001:db8::/129", "CIDR prefix"},
    {"ipv6-addr", "value", "198.51.100.3", "not an IPv6 address"},
    {"ipv6-addr", "value", "fe80::1%eth0", "not an IPv6 address"},
    {"mac-addr", "value", "d2:fb:49:24:37:18", NULL},
    {"mac-addr", "value", "00:1a:2b:3c:4d:5e", NULL},
    {"mac-addr", "value", "D2:FB:49:24:37:18", "lower-case"},
    {"mac-addr", "value", "d2-fb-49-24-37-18", "colon-separated"},
    {"mac-addr", "value", "d2:fb:49:24:37:1", "MAC-48"},
    {"mac-addr", "value", "2:fb:49:24:37:18", "leading zeros"},
    {"mac-addr", "value", "d2fb.4924.3718", "MAC-48"},
    {"domain-name", "value", "example.com", NULL},
    {"domain-name", "value", "c2-17.update-check.example.net", NULL},
    {"domain-name", "value", "www.example.com.", NULL},
    {"domain-name", "value", "xn--fiqs8s.example", NULL},
    {"domain-name", "value", "evil example.com", "not a domain name"},
    {"domain-name", "value", "-bad.example.com", "not a domain name"},
    {"domain-name", "value", "a..example.com", "not a domain name"},
    {"domain-name", "value", "http://example.com/", "not a domain name"},
    {"domain-name", "value", "", "must not be empty"},   /* one fault, one problem */
    {"email-addr", "value", "john@example.com", NULL},
    {"email-addr", "value", "soc.team+alerts@mail.example.gov.tw", NULL},
    {"email-addr", "value", "john.example.com", "not an e-mail address"},
    {"email-addr", "value", "@example.com", "not an e-mail address"},
    {"email-addr", "value", "john doe@example.com", "not an e-mail address"},
    {"url", "value", "https://example.com/research/index.html", NULL},
    {"url", "value", "hxxp://198.51.100.3:8080/gate.php?id=1", NULL},   /* defanged schemes are schemes */
    {"url", "value", "ftp://files.example.org/pub/a.exe", NULL},
    {"url", "value", "example.com/index.html", "not a URL"},
    {"url", "value", "https://example.com/a b", "not a URL"},
    {"url", "value", "://example.com/", "not a URL"},
    {"file", "MD5", "d41d8cd98f00b204e9800998ecf8427e", NULL},
    {"file", "MD5", "D41D8CD98F00B204E9800998ECF8427E", NULL},
    {"file", "SHA-1", "da39a3ee5e6b4b0d3255bfef95601890afd80709", NULL},
    {"file", "SHA-256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", NULL},
    {"file", "SHA-512",
     "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e",
     NULL},
    {"file", "SHA3-256", "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a", NULL},
    {"file", "SSDEEP", "3:AXGBicFlgVNhBGcL6wCrFQEv:AXGHsNhxLsr2C", NULL},
    {"file", "SSDEEP", "3::", NULL},   /* an empty file's */
    {"file", "TLSH", "T1A2B3C4D5E6F708192A3B4C5D6E7F80912A3B4C5D6E7F80912A3B4C5D6E7F80912A3B4C", NULL},
    {"file", "sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", NULL},
    {"file", "x_acme_fuzzy", "anything goes for a custom algorithm", NULL},
    {"file", "MD5", "d41d8cd98f00b204e9800998ecf8427", "32 hexadecimal digits"},
    {"file", "MD5", "da39a3ee5e6b4b0d3255bfef95601890afd80709", "not a valid MD5 hash"},
    {"file", "SHA-1", "da39a3ee5e6b4b0d3255bfef95601890afd8070g", "40 hexadecimal digits"},
    {"file", "SHA-256", "d41d8cd98f00b204e9800998ecf8427e", "not a valid SHA-256 hash"},
    {"file", "SHA-512", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "128 hexadecimal"},
    {"file", "SHA3-512", "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a", "SHA3-512"},
    {"file", "SSDEEP", "AXGBicFlgVNhBGcL6wCrFQEv", "SSDEEP"},
    {"file", "SSDEEP", "3:AXGBicFlgVNhBGcL6wCrFQEv:AXGH:sNhx", "SSDEEP"},
    {"file", "TLSH", "T1 not hex at all", "TLSH"},
    {"artifact", "SHA-256", "6db12788c37247f2316052e142f42f4b259d6561751e5f401a1ae2a6df9c674b", NULL},
    {"artifact", "SHA-256", "6db12788c37247f2316052e142f42f4b259d6561751e5f401a1ae2a6df9c674", "SHA-256"},
    {"x509-certificate", "SHA-1", "4f1f8b2c1fd7bb2b6d1c7b66e4a6c5d4e37c3e3a", NULL},
    {"x509-certificate", "SHA-1", "4f1f8b2c1fd7bb2b6d1c7b66e4a6c5d4e37c3e3", "SHA-1"},
};

static void test_stix_sco_values(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof sco_values / sizeof sco_values[0]; i++) {
        lf_arena a;
        lf_arena_init(&a, 0);
        char obj[1024], path[128];
        bool value = !strcmp(sco_values[i].prop, "value");
        const char *extra = !strcmp(sco_values[i].type, "artifact") ? ",\"url\":\"https://x.example/a.bin\"" : "";
        if (value)
            snprintf(obj, sizeof obj, "{\"type\":\"%s\",\"id\":\"%s--" U "\",\"value\":\"%s\"}", sco_values[i].type,
                     sco_values[i].type, sco_values[i].v);
        else
            snprintf(obj, sizeof obj, "{\"type\":\"%s\",\"id\":\"%s--" U "\",\"hashes\":{\"%s\":\"%s\"}%s}",
                     sco_values[i].type, sco_values[i].type, sco_values[i].prop, sco_values[i].v, extra);
        snprintf(path, sizeof path, "%s%s", value ? "" : "hashes.", sco_values[i].prop);
        lf_stix_set s;
        lf_err e;
        lf_err_clear(&e);
        assert_int_equal(lf_stix_read_buffer(&a, obj, strlen(obj), &s, &e), LF_OK);
        if (!sco_values[i].msg) {
            if (s.nobjs != 1) {
                dump_problems(&s);
                fail_msg("row %zu: valid %s rejected: %s", i, sco_values[i].type, obj);
            }
        } else {
            bool found = s.nproblems == 1 && !strcmp(s.problems[0].path, path) &&
                         strstr(s.problems[0].msg, sco_values[i].msg) && strstr(s.problems[0].msg, sco_values[i].v);
            if (s.nobjs != 0 || !found) {
                dump_problems(&s);
                fail_msg("row %zu: want one problem at \"%s\" with \"%s\" for %s", i, path, sco_values[i].msg, obj);
            }
        }
        lf_arena_clear(&a);
    }
}

/* In one request the objects with bad values are reported and the others kept; hashes
 * must be a non-empty dictionary of strings. */
static void test_stix_sco_values_mixed(void **state)
{
    (void)state;
    const char *env =
        "{\"objects\":["
        "{\"type\":\"ipv4-addr\",\"id\":\"ipv4-addr--" U "\",\"value\":\"203.0.113.7\"},"
        "{\"type\":\"ipv4-addr\",\"id\":\"ipv4-addr--" U "\",\"value\":\"203.0.113.700\"},"
        "{\"type\":\"domain-name\",\"id\":\"domain-name--" U "\",\"value\":\"update.example.org\"},"
        "{\"type\":\"file\",\"id\":\"file--" U "\",\"name\":\"a.exe\",\"hashes\":{}},"
        "{\"type\":\"file\",\"id\":\"file--" U "\",\"hashes\":{\"MD5\":5,\"SHA-1\":\"abc\"}},"
        "{\"type\":\"url\",\"id\":\"url--" U "\",\"value\":\"https://update.example.org/x\"}]}";
    lf_arena a;
    lf_arena_init(&a, 0);
    lf_stix_set s;
    lf_err e;
    assert_int_equal(lf_stix_read_buffer(&a, env, strlen(env), &s, &e), LF_OK);
    assert_int_equal(s.ninput, 6);
    assert_int_equal(s.nobjs, 3);
    assert_int_equal(s.objs[0].index, 0);
    assert_int_equal(s.objs[1].index, 2);
    assert_int_equal(s.objs[2].index, 5);
    assert_int_equal(s.nproblems, 4);
    assert_string_equal(s.problems[0].path, "objects[1].value");
    assert_non_null(strstr(s.problems[0].msg, "\"203.0.113.700\" is not an IPv4 address"));
    assert_string_equal(s.problems[1].path, "objects[3].hashes");
    assert_non_null(strstr(s.problems[1].msg, "one or more"));
    assert_string_equal(s.problems[2].path, "objects[4].hashes.MD5");
    assert_non_null(strstr(s.problems[2].msg, "must be a string"));
    assert_string_equal(s.problems[3].path, "objects[4].hashes.SHA-1");
    assert_non_null(strstr(s.problems[3].msg, "40 hexadecimal digits"));
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
        cmocka_unit_test(test_stix_sco_values),
        cmocka_unit_test(test_stix_sco_values_mixed),
        cmocka_unit_test(test_stix_tlp_ids),
        cmocka_unit_test(test_stix_taxii_reference_data),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
