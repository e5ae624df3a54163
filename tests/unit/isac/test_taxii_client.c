/*
 * Tests for src/isac/taxii_client.c against a scripted TAXII 2.1 server (a transport
 * that answers from a table, as the reference server would): resolving a discovery URL
 * to its default API root and a collection by alias, paging with `next` while the high-
 * water mark goes to the state file after each page, an incremental second pull that
 * asks with added_after and gets nothing, and envelopes split under max_content_length.
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

#include "core/file.h"
#include "isac/taxii_client.h"

#define ROOT "http://hub.test/api1/"
#define COLL "91a7b528-80eb-42ed-a74d-c6fbd5a26116"

typedef struct fake {
    char log[16][512];     /* request lines "GET url" */
    int n;
    size_t posts, post_bytes_max, posted_objects;
    bool fail_page2;
} fake;

static const char *dates[] = {"2024-05-01T00:00:01.000000Z", "2024-05-01T00:00:02.000000Z",
                              "2024-05-01T00:00:03.000000Z"};

static int serve(void *ud, const lf_taxii_client_req *req, lf_taxii_client_resp *resp, lf_err *err)
{
    (void)err;
    fake *f = ud;
    if (f->n < 16)
        snprintf(f->log[f->n++], sizeof f->log[0], "%s %s", req->method, req->url);
    lf_buf_reset(resp->body);
    resp->status = 200;
    resp->added_first[0] = resp->added_last[0] = '\0';
    const char *u = req->url;
    if (!strcmp(u, "http://hub.test/taxii2/")) {
        lf_buf_puts(resp->body, "{\"title\":\"hub\",\"default\":\"http://hub.test/api1/\",\"api_roots\":"
                                "[\"http://hub.test/api1/\"]}");
    } else if (!strcmp(u, ROOT)) {
        lf_buf_puts(resp->body, "{\"title\":\"api1\",\"versions\":[\"application/taxii+json;version=2.1\"],"
                                "\"max_content_length\":400}");
    } else if (!strcmp(u, ROOT "collections/")) {
        lf_buf_puts(resp->body, "{\"collections\":[{\"id\":\"" COLL "\",\"title\":\"Common\",\"alias\":\"common\","
                                "\"can_read\":true,\"can_write\":true}]}");
    } else if (!strncmp(u, ROOT "collections/" COLL "/objects/?", strlen(ROOT "collections/" COLL "/objects/?"))) {
        if (!strcmp(req->method, "POST")) {
            f->posts++;
            if (req->body_len > f->post_bytes_max)
                f->post_bytes_max = req->body_len;
            for (const char *p = req->body; (p = strstr(p, "\"type\"")); p++)
                f->posted_objects++;
            resp->status = 202;
            lf_buf_puts(resp->body, "{\"id\":\"2d086da7-4bdc-4f91-900e-d77486753710\",\"status\":\"complete\","
                                    "\"total_count\":1,\"success_count\":1,\"failure_count\":0,\"pending_count\":0}");
            return LF_OK;
        }
        int page = strstr(u, "next=p2") ? 2 : strstr(u, "next=p3") ? 3 : 1;
        if (strstr(u, "added_after=2024-05-01T00%3A00%3A03.000000Z")) {
            lf_buf_puts(resp->body, "{\"more\":false}");   /* nothing new */
            return LF_OK;
        }
        if (page == 2 && f->fail_page2) {
            resp->status = 500;
            return LF_OK;
        }
        lf_buf_printf(resp->body,
                      "{\"more\":%s%s%s%s,\"objects\":[{\"type\":\"indicator\",\"id\":\"indicator--%d\"}]}",
                      page < 3 ? "true" : "false", page < 3 ? ",\"next\":\"p" : "", page < 3 ? (page == 1 ? "2" : "3") : "",
                      page < 3 ? "\"" : "", page);
        snprintf(resp->added_first, sizeof resp->added_first, "%s", dates[page - 1]);
        snprintf(resp->added_last, sizeof resp->added_last, "%s", dates[page - 1]);
    } else if (!strcmp(u, ROOT "collections/" COLL "/objects/")) {
        return serve(ud, &(lf_taxii_client_req){"POST", ROOT "collections/" COLL "/objects/?", req->body,
                                                req->body_len},
                     resp, err);
    } else {
        resp->status = 404;
        lf_buf_puts(resp->body, "{\"title\":\"no such resource\"}");
    }
    return LF_OK;
}

static int count_page(void *ud, const lf_json *env, const lf_json *objs, size_t page, lf_err *err)
{
    (void)env;
    (void)page;
    (void)err;
    *(size_t *)ud += lf_json_len(objs);
    return LF_OK;
}

static lf_taxii_client *mk(fake *f)
{
    lf_taxii_client_opts o = {0};
    o.transport = serve;
    o.transport_ud = f;
    o.token = "secret";
    lf_taxii_client *c = NULL;
    assert_int_equal(lf_taxii_client_new(&o, &c, NULL), LF_OK);
    return c;
}

static void test_taxii_client_resolve(void **state)
{
    (void)state;
    fake f = {0};
    lf_taxii_client *c = mk(&f);
    lf_taxii_client_target t;
    lf_err err;
    assert_int_equal(lf_taxii_client_resolve(c, "http://hub.test/taxii2/", "common", &t, &err), LF_OK);
    assert_string_equal(t.api_root, ROOT);
    assert_string_equal(t.collection_id, COLL);
    assert_string_equal(t.collection_url, ROOT "collections/" COLL "/");
    assert_int_equal(t.max_content_length, 400);
    assert_true(t.can_read && t.can_write);
    assert_int_equal(lf_taxii_client_resolve(c, ROOT, "nope", &t, &err), LF_ENOTFOUND);
    assert_int_equal(lf_taxii_client_resolve(c, "http://hub.test/other", "common", &t, &err), LF_ENOTFOUND);
    assert_non_null(strstr(err.msg, "no such resource"));
    lf_taxii_client_free(c);
}

static void test_taxii_client_pull_incremental(void **state)
{
    (void)state;
    char dir[] = "/tmp/lf-taxii-client-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char sp[512];
    lf_taxii_client_state_path(dir, "http://user:pw@hub.test:8443/api1/", COLL, sp, sizeof sp);
    char want[600];
    snprintf(want, sizeof want, "%s/isac/state-hub.test_8443-" COLL ".json", dir);
    assert_string_equal(sp, want);

    fake f = {0};
    f.fail_page2 = true;
    lf_taxii_client *c = mk(&f);
    lf_taxii_client_target t;
    assert_int_equal(lf_taxii_client_resolve(c, ROOT, COLL, &t, NULL), LF_OK);
    size_t got = 0;
    lf_taxii_client_pull_opts po = {0};
    po.target = &t;
    po.state_path = sp;
    po.limit = 1;
    po.on_page = count_page;
    po.ud = &got;
    lf_taxii_client_pull_report r;
    lf_err err;
    /* page 2 fails: page 1 is kept and the mark is page 1's */
    assert_int_equal(lf_taxii_client_pull(c, &po, &r, &err), LF_EIO);
    assert_int_equal(got, 1);
    char *text = NULL;
    size_t len;
    assert_int_equal(lf_file_read(sp, 0, &text, &len, NULL), LF_OK);
    assert_non_null(strstr(text, "\"added_after\":\"2024-05-01T00:00:01.000000Z\""));
    free(text);

    /* resumed: asks after page 1 and goes on to the end */
    f.fail_page2 = false;
    f.n = 0;
    got = 0;
    assert_int_equal(lf_taxii_client_pull(c, &po, &r, &err), LF_OK);
    assert_string_equal(r.added_after, "2024-05-01T00:00:01.000000Z");
    assert_string_equal(r.mark, "2024-05-01T00:00:03.000000Z");
    assert_non_null(strstr(f.log[0], "objects/?limit=1&added_after=2024-05-01T00%3A00%3A01.000000Z"));
    assert_non_null(strstr(f.log[1], "&next=p2"));

    /* nothing new the next time */
    f.n = 0;
    got = 0;
    assert_int_equal(lf_taxii_client_pull(c, &po, &r, &err), LF_OK);
    assert_int_equal(got, 0);
    assert_int_equal(r.objects, 0);
    assert_int_equal(f.n, 1);
    lf_taxii_client_free(c);
    unlink(sp);
    char isac[600];
    snprintf(isac, sizeof isac, "%s/isac", dir);
    rmdir(isac);
    rmdir(dir);
}

static void test_taxii_client_push_split(void **state)
{
    (void)state;
    fake f = {0};
    lf_taxii_client *c = mk(&f);
    lf_taxii_client_target t;
    assert_int_equal(lf_taxii_client_resolve(c, ROOT, "Common", &t, NULL), LF_OK);
    lf_arena a;
    lf_arena_init(&a, 0);
    const lf_json *objs[10];
    char buf[200];
    for (int i = 0; i < 10; i++) {
        snprintf(buf, sizeof buf, "{\"type\":\"indicator\",\"id\":\"indicator--%02d\",\"name\":\"%090d\"}", i, i);
        lf_json *v = NULL;
        assert_int_equal(lf_json_parse(&a, buf, strlen(buf), NULL, &v, NULL), LF_OK);
        objs[i] = v;
    }
    /* one more that alone is over 400 bytes */
    char big[700];
    snprintf(big, sizeof big, "{\"type\":\"note\",\"id\":\"note--1\",\"content\":\"%0500d\"}", 0);
    lf_json *bv = NULL;
    assert_int_equal(lf_json_parse(&a, big, strlen(big), NULL, &bv, NULL), LF_OK);
    const lf_json *all[11];
    memcpy(all, objs, sizeof objs);
    all[10] = bv;
    lf_taxii_client_push_report r;
    lf_err err;
    assert_int_equal(lf_taxii_client_push(c, &t, all, 11, 0, 0, &r, &err), LF_OK);
    assert_int_equal(r.too_large, 1);
    assert_int_equal(f.posted_objects, 10);
    assert_true(f.posts >= 4);               /* ~140 bytes each: two per envelope */
    assert_true(f.post_bytes_max <= 400);
    assert_int_equal(r.envelopes, f.posts);
    assert_int_equal(r.success, f.posts);
    lf_arena_clear(&a);
    lf_taxii_client_free(c);
}

static void test_taxii_client_json_write(void **state)
{
    (void)state;
    const char *in = "{\"a\":[1,2.50,true,false,null],\"b\":{\"c\":\"x\\\"y\\u00e9\"},\"d\":[]}";
    lf_arena a;
    lf_arena_init(&a, 0);
    lf_json *v = NULL;
    assert_int_equal(lf_json_parse(&a, in, strlen(in), NULL, &v, NULL), LF_OK);
    lf_buf b;
    lf_buf_init(&b, 0);
    assert_int_equal(lf_taxii_client_json_write(&b, v), LF_OK);
    assert_string_equal(b.data, "{\"a\":[1,2.50,true,false,null],\"b\":{\"c\":\"x\\\"y\xc3\xa9\"},\"d\":[]}");
    lf_buf_clear(&b);
    lf_arena_clear(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_taxii_client_resolve),
        cmocka_unit_test(test_taxii_client_pull_incremental),
        cmocka_unit_test(test_taxii_client_push_split),
        cmocka_unit_test(test_taxii_client_json_write),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
