/*
 * Tests for src/isac/taxii.c (TAXII 2.1 rules without HTTP: media types, timestamps,
 * version keys, next tokens, filters, access, envelope spans) and for the ISAC part of the
 * store it feeds (date_added order, duplicates, version selection, the TLP view, paging,
 * delete, the latest visible version) on a fresh SQLite database under /tmp.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/json.h"
#include "isac/taxii.h"

/* Accept negotiation, TAXII 2.1 section 1.6.8.1: one row per header value. */
static void test_taxii_accept(void **state)
{
    (void)state;
    static const struct {
        const char *h;
        bool ok;
    } rows[] = {
        {NULL, true},
        {"application/taxii+json;version=2.1", true},
        {"application/taxii+json; version=2.1", true},
        {"Application/TAXII+JSON;version=\"2.1\"", true},
        {"application/taxii+json", true},
        {"*/*", true},
        {"application/*", true},
        {"text/html, application/taxii+json;version=2.1;q=0.9", true},
        {"application/taxii+json;version=2.0", false},
        {"application/json", false},
        {"application/stix+json;version=2.1", false},
        {"application/taxii+json;version=2.1;q=0", false},
        {"application/taxii+json;version=2.1;q=0.000, text/plain", false},
        {"text/html", false},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        if (lf_taxii_accept_ok(rows[i].h) != rows[i].ok)
            fail_msg("Accept '%s' should be %s", rows[i].h ? rows[i].h : "(none)", rows[i].ok ? "ok" : "refused");
    }
    assert_true(lf_taxii_content_type_ok("application/taxii+json;version=2.1"));
    assert_true(lf_taxii_content_type_ok("application/taxii+json"));
    assert_false(lf_taxii_content_type_ok("application/taxii+json;version=2.0"));
    assert_false(lf_taxii_content_type_ok("application/json"));
    assert_false(lf_taxii_content_type_ok(NULL));
}

/* Timestamps: microsecond date_added, version keys that compare as text. */
static void test_taxii_times(void **state)
{
    (void)state;
    int64_t us;
    assert_true(lf_taxii_time_parse("2016-11-03T12:30:59.001Z", &us));
    assert_int_equal(us, 1478176259001000);
    char t[LF_TAXII_TIME_SIZE];
    lf_taxii_time_format(us, t);
    assert_string_equal(t, "2016-11-03T12:30:59.001000Z");
    assert_true(lf_taxii_time_parse("2016-11-03T12:30:59.0010019Z", &us));
    assert_int_equal(us, 1478176259001001);   /* truncated, not rounded */
    assert_false(lf_taxii_time_parse("2016-11-03 12:30:59Z", &us));
    assert_false(lf_taxii_time_parse("2016-02-30T00:00:00Z", &us));
    assert_false(lf_taxii_time_parse("2016-11-03T12:30:59+01:00", &us));

    char a[LF_TAXII_VKEY_SIZE], b[LF_TAXII_VKEY_SIZE], c[LF_TAXII_VKEY_SIZE];
    assert_true(lf_taxii_vkey("2016-05-12T08:17:27Z", a));
    assert_true(lf_taxii_vkey("2016-05-12T08:17:27.000Z", b));
    assert_string_equal(a, b);
    assert_string_equal(a, "2016-05-12T08:17:27.000000000Z");
    assert_true(lf_taxii_vkey("2016-05-12T08:17:27.5Z", c));
    assert_true(strcmp(a, c) < 0);
    assert_true(lf_taxii_vkey("2016-05-12T08:17:27.123456789Z", c));
    assert_string_equal(c, "2016-05-12T08:17:27.123456789Z");
    assert_false(lf_taxii_vkey("yesterday", a));

    char tok[LF_TAXII_NEXT_SIZE];
    int64_t d, r;
    lf_taxii_next_format(1478176259001000, 42, tok);
    assert_true(lf_taxii_next_parse(tok, &d, &r));
    assert_int_equal(d, 1478176259001000);
    assert_int_equal(r, 42);
    assert_false(lf_taxii_next_parse("42", &d, &r));
    assert_false(lf_taxii_next_parse("-1-2", &d, &r));
    assert_false(lf_taxii_next_parse("1-x", &d, &r));
    assert_false(lf_taxii_next_parse("99999999999999999999-1", &d, &r));
}

/* Query parameters of section 3.4 into a store query. */
static void test_taxii_filters(void **state)
{
    (void)state;
    lf_arena a;
    lf_arena_init(&a, 0);
    lf_err err;
    lf_taxii_filter f;
    lf_taxii_filter_init(&f);
    assert_int_equal(f.limit, LF_TAXII_LIMIT_DEFAULT);
    assert_int_equal(lf_taxii_filter_add(&f, &a, "match[type]", "indicator, malware", &err), LF_OK);
    assert_int_equal(lf_taxii_filter_add(&f, &a, "match[type]", "ipv4-addr", &err), LF_OK);
    assert_string_equal(f.types_json, "[\"indicator\",\"malware\",\"ipv4-addr\"]");
    assert_int_equal(lf_taxii_filter_add(&f, &a, "match[version]", "first,2016-05-12T08:17:27Z,last", &err), LF_OK);
    assert_true(f.v_first && f.v_last && !f.v_all && f.has_version);
    assert_string_equal(f.vkeys_json, "[\"2016-05-12T08:17:27.000000000Z\"]");
    assert_int_equal(lf_taxii_filter_add(&f, &a, "match[id]", "indicator--6770298f-0fd8-471a-ab8c-1c658a46574e", &err),
                     LF_OK);
    assert_string_equal(f.ids_json, "[\"indicator--6770298f-0fd8-471a-ab8c-1c658a46574e\"]");
    assert_int_equal(lf_taxii_filter_add(&f, &a, "match[spec_version]", "2.0,2.1", &err), LF_OK);
    assert_string_equal(f.specs_json, "[\"2.0\",\"2.1\"]");
    assert_int_equal(lf_taxii_filter_add(&f, &a, "added_after", "2016-11-03T12:30:59.001Z", &err), LF_OK);
    assert_int_equal(f.added_after, 1478176259001000);
    assert_int_equal(lf_taxii_filter_add(&f, &a, "limit", "999999", &err), LF_OK);
    assert_int_equal(f.limit, LF_TAXII_LIMIT_MAX);
    assert_int_equal(lf_taxii_filter_add(&f, &a, "next", "5-7", &err), LF_OK);
    assert_true(f.page_added == 5 && f.page_row == 7);
    assert_int_equal(lf_taxii_filter_add(&f, &a, "match[colour]", "red", &err), LF_OK);   /* ignored */

    lf_store_stix_q q;
    memset(&q, 0, sizeof q);
    lf_taxii_filter_to_query(&f, &q);
    assert_ptr_equal(q.types_json, f.types_json);
    assert_true(q.v_first && q.v_last && q.limit == LF_TAXII_LIMIT_MAX && q.page_row == 7);

    /* every malformed value is refused, with the parameter named */
    static const char *const bad[][2] = {
        {"added_after", "2016-11-03"},  {"limit", "0"},           {"limit", "-3"},
        {"limit", "ten"},               {"next", "abc"},          {"match[type]", "Indicator"},
        {"match[type]", "a,,b"},        {"match[id]", "nodash"},  {"match[id]", "x\"--y"},
        {"match[version]", "newest"},   {"match[version]", ""},   {"match[spec_version]", "two"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        lf_taxii_filter g;
        lf_taxii_filter_init(&g);
        lf_err_clear(&err);
        if (lf_taxii_filter_add(&g, &a, bad[i][0], bad[i][1], &err) != LF_EINVAL)
            fail_msg("%s=%s should be refused", bad[i][0], bad[i][1]);
        assert_non_null(strstr(err.msg, bad[i][0]));
    }
    /* a bounded number of values */
    char many[8192] = "";
    for (int i = 0; i <= (int)LF_TAXII_MATCH_MAX; i++)
        snprintf(many + strlen(many), sizeof many - strlen(many), "%st%d", i ? "," : "", i);
    lf_taxii_filter g;
    lf_taxii_filter_init(&g);
    assert_int_equal(lf_taxii_filter_add(&g, &a, "match[type]", many, &err), LF_EINVAL);
    lf_arena_clear(&a);
}

/* Who may read and write under each rule. */
static void test_taxii_access(void **state)
{
    (void)state;
    const lf_taxii_caller anon = {false, false, false}, outsider = {true, false, true}, member = {true, true, true},
                          reader = {true, true, false};
    assert_true(lf_taxii_can_read(LF_TAXII_ACCESS_PUBLIC, &anon));
    assert_false(lf_taxii_can_read(LF_TAXII_ACCESS_COMMUNITY, &anon));
    assert_true(lf_taxii_can_read(LF_TAXII_ACCESS_COMMUNITY, &outsider));
    assert_false(lf_taxii_can_read(LF_TAXII_ACCESS_GROUP, &outsider));
    assert_true(lf_taxii_can_read(LF_TAXII_ACCESS_GROUP, &member));
    assert_false(lf_taxii_can_read(LF_TAXII_ACCESS_NONE, &member));
    assert_false(lf_taxii_can_write(LF_TAXII_ACCESS_COMMUNITY, &anon));
    assert_true(lf_taxii_can_write(LF_TAXII_ACCESS_COMMUNITY, &outsider));
    assert_false(lf_taxii_can_write(LF_TAXII_ACCESS_GROUP, &outsider));
    assert_true(lf_taxii_can_write(LF_TAXII_ACCESS_GROUP, &member));
    assert_false(lf_taxii_can_write(LF_TAXII_ACCESS_GROUP, &reader));   /* read_only role */
    assert_false(lf_taxii_can_write(LF_TAXII_ACCESS_PUBLIC, &member));
    assert_false(lf_taxii_can_write(LF_TAXII_ACCESS_NONE, &member));
}

/* The bytes of each envelope object, whatever their spacing, strings with brackets,
 * escapes, and members before and after "objects". */
static void test_taxii_envelope_spans(void **state)
{
    (void)state;
    const char *text = "\xEF\xBB\xBF { \"more\": false, \"x\": {\"objects\": [1]},\n \"objects\" : [ "
                       "{\"a\": \"]}\\\"[{\"} ,\n[1, {\"b\": []}],\"s\\\\\", 12.5e3, true ,null ], \"objects\": [] }";
    lf_arena a;
    lf_arena_init(&a, 0);
    lf_json *j;
    assert_int_equal(lf_json_parse(&a, text, strlen(text), NULL, &j, NULL), LF_OK);
    lf_taxii_span *sp;
    size_t n;
    assert_int_equal(lf_taxii_envelope_spans(&a, text, strlen(text), &sp, &n, NULL), LF_OK);
    const char *want[] = {"{\"a\": \"]}\\\"[{\"}", "[1, {\"b\": []}]", "\"s\\\\\"", "12.5e3", "true", "null"};
    assert_int_equal(n, 6);
    assert_int_equal(n, lf_json_len(lf_json_get(j, "objects")));
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(sp[i].len, strlen(want[i]));
        assert_memory_equal(text + sp[i].off, want[i], sp[i].len);
    }
    /* an escaped member name is the same member: the first one, as the JSON reader sees it */
    const char *esc = "{\"obj\\u0065cts\":[1,2],\"objects\":[3]}";
    assert_int_equal(lf_taxii_envelope_spans(&a, esc, strlen(esc), &sp, &n, NULL), LF_OK);
    assert_int_equal(n, 2);
    assert_memory_equal(esc + sp[1].off, "2", 1);
    /* ... also when the first is not an array: a later array is not what was validated
     * (found by fuzz_taxii) */
    const char *dup = "{\"objects\":false,\"objects\":[{\"type\":\"indicator\"}]}";
    assert_int_equal(lf_taxii_envelope_spans(&a, dup, strlen(dup), &sp, &n, NULL), LF_OK);
    assert_int_equal(n, 0);
    assert_int_equal(lf_taxii_envelope_spans(&a, "{\"more\":true}", 13, &sp, &n, NULL), LF_OK);
    assert_int_equal(n, 0);
    assert_int_equal(lf_taxii_envelope_spans(&a, "[1]", 3, &sp, &n, NULL), LF_EPARSE);
    lf_arena_clear(&a);
}

/* ---- the store's ISAC part ------------------------------------------------------------- */

typedef struct fx {
    char dir[64];
    lf_store *s;
    int64_t now;
} fx;

static int64_t fake_clock(void *ud) { return ((fx *)ud)->now; }

static int fx_setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/lf-taxii-XXXXXX");
    if (!f || !mkdtemp(f->dir))
        return -1;
    char url[128];
    snprintf(url, sizeof url, "sqlite:%s/s.db", f->dir);
    lf_store_opts o = {0};
    o.clock = fake_clock;
    o.clock_ud = f;
    o.argon2_t_cost = 1;
    o.argon2_m_kib = 64;
    f->now = 1700000000;
    lf_err err;
    if (lf_store_open_opts(url, &o, &f->s, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    *state = f;
    return 0;
}

static int fx_teardown(void **state)
{
    fx *f = *state;
    lf_store_close(f->s);
    char p[128];
    const char *suffix[] = {"s.db", "s.db-wal", "s.db-shm"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s/%s", f->dir, suffix[i]);
        unlink(p);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

static lf_id agency(fx *f, const char *code, const char *county)
{
    lf_arena a;
    lf_arena_init(&a, 0);
    lf_store_org c, o = {0};
    assert_int_equal(lf_store_org_get_by_code(f->s, county, &a, &c, NULL), LF_OK);
    o.parent_id = c.id;
    o.kind = LF_ORG_AGENCY;
    o.code = code;
    o.name_zh = o.name_en = code;
    o.level = 'B';
    lf_id id;
    assert_int_equal(lf_store_org_create(f->s, &o, &id, NULL), LF_OK);
    lf_arena_clear(&a);
    return id;
}

static lf_store_stix_row row(const char *id, const char *version, int tlp, lf_id by, const char *json)
{
    lf_store_stix_row r = {0};
    static char keys[16][LF_TAXII_VKEY_SIZE];
    static int k;
    char *key = keys[k++ % 16];
    lf_taxii_vkey(version, key);
    r.stix_id = id;
    r.type = "indicator";
    r.spec_version = "2.1";
    r.version = r.modified = version;
    r.vkey = key;
    r.tlp = tlp;
    r.added_by = by;
    r.json = json;
    r.json_len = strlen(json);
    r.labels_json = "[\"malicious-activity\"]";
    return r;
}

/* Query ids visible to org (member of the group or not), default version selection. */
static size_t visible(fx *f, lf_id coll, lf_id org, bool member, const char **ids, lf_arena *a)
{
    lf_store_stix_q q = {0};
    q.coll = coll;
    q.limit = 100;
    q.default_tlp = 2;
    q.org = org;
    q.authenticated = org != 0;
    q.member = member;
    lf_store_stix_hit *h;
    size_t n;
    bool more;
    assert_int_equal(lf_store_stix_query(f->s, &q, a, &h, &n, &more, NULL), LF_OK);
    for (size_t i = 0; i < n; i++)
        ids[i] = h[i].stix_id;
    return n;
}

static bool has(const char **ids, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(ids[i], id))
            return true;
    return false;
}

/* Rows added in one second get strictly increasing microsecond date_added; a version seen
 * before is a duplicate; the last version is the default; paging by (date_added, row) is
 * exact; TLP levels as docs/design.md says; delete by version. */
static void test_taxii_store(void **state)
{
    fx *f = *state;
    lf_arena a;
    lf_arena_init(&a, 0);
    lf_err err;
    lf_store_taxii_root r;
    assert_int_equal(lf_store_taxii_root_get(f->s, "isac", &a, &r, &err), LF_OK);   /* seeded */
    lf_id ag = agency(f, "TPE-A", "TW-TPE"), bg = agency(f, "TPE-B", "TW-TPE"), kg = agency(f, "KHH-A", "TW-KHH");
    lf_store_org tpe;
    assert_int_equal(lf_store_org_get_by_code(f->s, "TW-TPE", &a, &tpe, NULL), LF_OK);
    lf_store_isac_group g = {0, "north", "North", &tpe.id, 1, 0};
    assert_int_equal(lf_store_isac_group_create(f->s, &g, &g.id, &err), LF_OK);
    bool m;
    assert_int_equal(lf_store_isac_group_member(f->s, g.id, ag, &m, NULL), LF_OK);
    assert_true(m);
    assert_int_equal(lf_store_isac_group_member(f->s, g.id, kg, &m, NULL), LF_OK);
    assert_false(m);
    lf_store_taxii_coll c = {0};
    c.root_id = r.id;
    c.uuid = "9a6f2f6e-43b4-4c2a-bf44-3f3c1d5b1a00";
    c.title = "t";
    c.group_id = g.id;
    c.read = LF_TAXII_ACCESS_COMMUNITY;
    c.write = LF_TAXII_ACCESS_GROUP;
    c.default_tlp = 2;
    c.media_types = LF_TAXII_STIX_MEDIA;
    assert_int_equal(lf_store_taxii_coll_put(f->s, &c, &c.id, &err), LF_OK);

    char red_to_b[32];
    snprintf(red_to_b, sizeof red_to_b, ",%lld,", (long long)bg);
    lf_store_stix_row rows[] = {
        row("indicator--00000000-0000-4000-8000-000000000001", "2024-01-01T00:00:00Z", 0, ag, "{\"v\":1}"),
        row("indicator--00000000-0000-4000-8000-000000000001", "2024-01-02T00:00:00Z", 0, ag, "{\"v\":2}"),
        row("indicator--00000000-0000-4000-8000-000000000002", "2024-01-01T00:00:00Z", 3, ag, "{\"amber\":1}"),
        row("indicator--00000000-0000-4000-8000-000000000003", "2024-01-01T00:00:00Z", 4, ag, "{\"strict\":1}"),
        row("indicator--00000000-0000-4000-8000-000000000004", "2024-01-01T00:00:00Z", 5, ag, "{\"red\":1}"),
        row("indicator--00000000-0000-4000-8000-000000000005", "2024-01-01T00:00:00Z", 1, ag, "{\"clear\":1}"),
    };
    rows[4].recipients = red_to_b;
    bool dup[6];
    int64_t first, last;
    assert_int_equal(lf_store_stix_add(f->s, c.id, rows, 6, dup, &first, &last, &err), LF_OK);
    assert_int_equal(first, f->now * 1000000);
    assert_int_equal(last, first + 5);
    assert_false(dup[0] || dup[5]);
    /* the same version again, written differently: a duplicate, nothing added */
    lf_store_stix_row again = row("indicator--00000000-0000-4000-8000-000000000001", "2024-01-02T00:00:00.000Z", 0, ag,
                                  "{\"v\":2}");
    assert_int_equal(lf_store_stix_add(f->s, c.id, &again, 1, dup, &first, NULL, &err), LF_OK);
    assert_true(dup[0]);
    assert_int_equal(first, 0);
    uint64_t cnt;
    assert_int_equal(lf_store_stix_count(f->s, c.id, &cnt, NULL), LF_OK);
    assert_int_equal(cnt, 6);

    const char *ids[16];
    size_t n = visible(f, c.id, ag, true, ids, &a);   /* the adding agency sees all five objects */
    assert_int_equal(n, 5);
    n = visible(f, c.id, bg, true, ids, &a);           /* member + RED recipient, not STRICT */
    assert_int_equal(n, 4);
    assert_false(has(ids, n, "indicator--00000000-0000-4000-8000-000000000003"));
    assert_true(has(ids, n, "indicator--00000000-0000-4000-8000-000000000004"));
    n = visible(f, c.id, tpe.id, true, ids, &a);       /* the county above: group, not STRICT, not RED */
    assert_int_equal(n, 3);
    n = visible(f, c.id, kg, false, ids, &a);          /* outside the group: GREEN (default) and CLEAR */
    assert_int_equal(n, 2);
    assert_true(has(ids, n, "indicator--00000000-0000-4000-8000-000000000001"));
    n = visible(f, c.id, 0, false, ids, &a);           /* unauthenticated: CLEAR only */
    assert_int_equal(n, 1);
    assert_string_equal(ids[0], "indicator--00000000-0000-4000-8000-000000000005");

    /* default selection is the last version; all versions page exactly by (date_added, row) */
    lf_store_stix_q q = {0};
    q.coll = c.id;
    q.id = "indicator--00000000-0000-4000-8000-000000000001";
    q.limit = 10;
    q.default_tlp = 2;
    q.org = ag;
    q.authenticated = q.member = q.with_json = true;
    lf_store_stix_hit *h;
    bool more;
    assert_int_equal(lf_store_stix_query(f->s, &q, &a, &h, &n, &more, NULL), LF_OK);
    assert_int_equal(n, 1);
    assert_memory_equal(h[0].json, "{\"v\":2}", 7);
    q.id = NULL;
    q.v_all = true;
    q.limit = 4;
    assert_int_equal(lf_store_stix_query(f->s, &q, &a, &h, &n, &more, NULL), LF_OK);
    assert_true(n == 4 && more);
    q.page_added = h[3].date_added;
    q.page_row = h[3].row;
    assert_int_equal(lf_store_stix_query(f->s, &q, &a, &h, &n, &more, NULL), LF_OK);
    assert_true(n == 2 && !more);
    assert_string_equal(h[1].stix_id, "indicator--00000000-0000-4000-8000-000000000005");

    /* delete the first version only, then the object */
    char vk[LF_TAXII_VKEY_SIZE], vj[64];
    lf_taxii_vkey("2024-01-01T00:00:00Z", vk);
    snprintf(vj, sizeof vj, "[\"%s\"]", vk);
    lf_store_stix_q d = q;
    d.id = "indicator--00000000-0000-4000-8000-000000000001";
    d.v_all = false;
    d.vkeys_json = vj;
    size_t del;
    assert_int_equal(lf_store_stix_delete(f->s, &d, &del, NULL), LF_OK);
    assert_int_equal(del, 1);
    d.vkeys_json = NULL;
    d.v_all = true;
    assert_int_equal(lf_store_stix_delete(f->s, &d, &del, NULL), LF_OK);
    assert_int_equal(del, 1);
    /* another reader cannot delete what it cannot see */
    d.id = "indicator--00000000-0000-4000-8000-000000000003";
    d.org = bg;
    assert_int_equal(lf_store_stix_delete(f->s, &d, &del, NULL), LF_OK);
    assert_int_equal(del, 0);

    /* status resources round-trip */
    lf_store_taxii_status st = {0}, got;
    st.uuid = "2d086da7-4bdc-4f91-900e-d77486753710";
    st.root_id = r.id;
    st.status = "complete";
    st.total = st.success = 1;
    st.successes = "[{\"id\":\"x\",\"message\":\"added\"}]";
    st.failures = st.pendings = "[]";
    assert_int_equal(lf_store_taxii_status_put(f->s, &st, &err), LF_OK);
    assert_int_equal(lf_store_taxii_status_get(f->s, r.id, st.uuid, &a, &got, &err), LF_OK);
    assert_string_equal(got.successes, st.successes);
    assert_int_equal(lf_store_taxii_status_get(f->s, r.id + 1, st.uuid, &a, &got, &err), LF_ENOTFOUND);
    /* bad arguments */
    c.write = LF_TAXII_ACCESS_PUBLIC;
    assert_int_equal(lf_store_taxii_coll_put(f->s, &c, NULL, &err), LF_EINVAL);
    lf_store_taxii_root bad = {0, "Not A Name", "t", NULL, 10};
    assert_int_equal(lf_store_taxii_root_put(f->s, &bad, NULL, &err), LF_EINVAL);
    lf_store_taxii_root neg = {0, "neg", "t", NULL, -1};
    assert_int_equal(lf_store_taxii_root_put(f->s, &neg, NULL, &err), LF_EINVAL);
    /* the platform's own root takes the server's body limit (schema 11: 0, none of its own) */
    lf_store_taxii_root own;
    assert_int_equal(lf_store_taxii_root_get(f->s, "isac", &a, &own, &err), LF_OK);
    assert_int_equal(own.max_content_length, 0);
    lf_arena_clear(&a);
}

/* The objects' text of a query's page joined by ',' into out (the rows' JSON are names);
 * *key gets the last hit's (date_added, row), the next page's key. */
static const char *page(fx *f, const lf_store_stix_q *q, char *out, size_t cap, int64_t key[2], bool *more)
{
    lf_arena a;
    lf_arena_init(&a, 0);
    lf_store_stix_hit *h;
    size_t n, len = 0;
    assert_int_equal(lf_store_stix_query(f->s, q, &a, &h, &n, more, NULL), LF_OK);
    out[0] = '\0';
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(out + len, cap - len, "%s%.*s", i ? "," : "", (int)h[i].json_len, h[i].json);
    if (n) {
        key[0] = h[n - 1].date_added;
        key[1] = h[n - 1].row;
    }
    lf_arena_clear(&a);
    return out;
}

/* The default selection (the latest version of the latest spec version among what the
 * reader may see) on objects whose newest version is hidden by TLP, whose newest version
 * is of an older spec, and whose versions were posted out of order; by collection and by
 * id; with paging and added_after together (the larger of the two bounds applies). */
static void test_taxii_store_latest(void **state)
{
    fx *f = *state;
    lf_arena a;
    lf_arena_init(&a, 0);
    lf_err err;
    lf_store_taxii_root r;
    assert_int_equal(lf_store_taxii_root_get(f->s, "isac", &a, &r, &err), LF_OK);
    lf_id ag = agency(f, "TPE-A", "TW-TPE"), bg = agency(f, "TPE-B", "TW-TPE"), kg = agency(f, "KHH-A", "TW-KHH");
    lf_store_org tpe;
    assert_int_equal(lf_store_org_get_by_code(f->s, "TW-TPE", &a, &tpe, NULL), LF_OK);
    lf_store_isac_group g = {0, "north", "North", &tpe.id, 1, 0};
    assert_int_equal(lf_store_isac_group_create(f->s, &g, &g.id, &err), LF_OK);
    lf_store_taxii_coll c = {0};
    c.root_id = r.id;
    c.uuid = "9a6f2f6e-43b4-4c2a-bf44-3f3c1d5b1a01";
    c.title = "latest";
    c.group_id = g.id;
    c.read = LF_TAXII_ACCESS_COMMUNITY;
    c.write = LF_TAXII_ACCESS_GROUP;
    c.default_tlp = 2;
    c.media_types = LF_TAXII_STIX_MEDIA;
    assert_int_equal(lf_store_taxii_coll_put(f->s, &c, &c.id, &err), LF_OK);
    const char *X = "indicator--00000000-0000-4000-8000-0000000000a1", *Y = "indicator--00000000-0000-4000-8000-0000000000a2",
               *Z = "indicator--00000000-0000-4000-8000-0000000000a3", *W = "indicator--00000000-0000-4000-8000-0000000000a4";
    lf_store_stix_row rows[] = {
        row(X, "2024-01-01T00:00:00Z", 0, ag, "x1"),   /* GREEN by default */
        row(X, "2024-01-02T00:00:00Z", 5, ag, "x2"),   /* RED, no recipients: ag only */
        row(Y, "2024-01-01T00:00:00Z", 1, ag, "y21"),
        row(Y, "2024-02-01T00:00:00Z", 1, ag, "y20"),  /* newer, but of spec 2.0 */
        row(Z, "2024-01-05T00:00:00Z", 1, ag, "z2"),
        row(Z, "2024-01-03T00:00:00Z", 1, ag, "z1"),   /* an older version posted later */
        row(W, "2024-01-01T00:00:00Z", 4, bg, "w"),    /* AMBER+STRICT by bg */
    };
    rows[3].spec_version = "2.0";
    bool dup[7];
    int64_t first;
    assert_int_equal(lf_store_stix_add(f->s, c.id, rows, 7, dup, &first, NULL, &err), LF_OK);

    char out[256];
    int64_t h[2];
    bool more;
    lf_store_stix_q q = {0};
    q.coll = c.id;
    q.limit = 100;
    q.default_tlp = 2;
    q.authenticated = q.member = q.with_json = true;
    q.org = ag;
    assert_string_equal(page(f, &q, out, sizeof out, h, &more), "x2,y21,z2");
    q.org = bg;
    assert_string_equal(page(f, &q, out, sizeof out, h, &more), "x1,y21,z2,w");
    q.org = kg;
    q.member = false;
    assert_string_equal(page(f, &q, out, sizeof out, h, &more), "x1,y21,z2");
    q.org = 0;
    q.authenticated = false;
    assert_string_equal(page(f, &q, out, sizeof out, h, &more), "y21,z2");
    /* one object */
    q.authenticated = q.member = true;
    q.id = X;
    q.org = ag;
    assert_string_equal(page(f, &q, out, sizeof out, h, &more), "x2");
    q.org = bg;
    assert_string_equal(page(f, &q, out, sizeof out, h, &more), "x1");
    q.id = Y;
    assert_string_equal(page(f, &q, out, sizeof out, h, &more), "y21");
    /* the same through the general statement (match[version]=last with a spec version) */
    q.specs_json = "[\"2.0\",\"2.1\"]";
    assert_string_equal(page(f, &q, out, sizeof out, h, &more), "y20");
    q.specs_json = NULL;
    q.id = NULL;
    /* pages of two, then added_after and the page key together */
    q.limit = 2;
    assert_string_equal(page(f, &q, out, sizeof out, h, &more), "x1,y21");
    assert_true(more);
    q.page_added = h[0];
    q.page_row = h[1];
    assert_string_equal(page(f, &q, out, sizeof out, h, &more), "z2,w");
    assert_false(more);
    q.limit = 100;
    q.page_added = first;           /* x1's key: below added_after */
    q.page_row = 1;
    q.added_after = first + 2;      /* after y21 */
    assert_string_equal(page(f, &q, out, sizeof out, h, &more), "z2,w");
    q.page_added = first + 4;       /* z2's date: above added_after */
    q.page_row = INT64_MAX;
    assert_string_equal(page(f, &q, out, sizeof out, h, &more), "w");
    lf_arena_clear(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_taxii_accept),
        cmocka_unit_test(test_taxii_times),
        cmocka_unit_test(test_taxii_filters),
        cmocka_unit_test(test_taxii_access),
        cmocka_unit_test(test_taxii_envelope_spans),
        cmocka_unit_test_setup_teardown(test_taxii_store, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_taxii_store_latest, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
