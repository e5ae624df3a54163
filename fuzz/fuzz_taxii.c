/*
 * fuzz_taxii: the TAXII 2.1 request parts a client controls (isac/taxii.h). The first line
 * of the input is a query string ("match[type]=a,b&limit=3&next=..."), each pair given to
 * lf_taxii_filter_add and the whole line to lf_taxii_accept_ok / content_type_ok; the rest
 * is a POST body. Invariants: no crash, no leak; every JSON array a filter builds parses
 * as an array of strings; when the body is a JSON object with an "objects" array, the
 * envelope spans are exactly its elements, each span parsing on its own to a value of the
 * element's type (what the server stores must be what the validator read).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "isac/taxii.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_array(lf_arena *a, const char *j)
{
    if (!j)
        return;
    lf_json *v = NULL;
    if (lf_json_parse(a, j, strlen(j), NULL, &v, NULL) || !lf_json_is(v, LF_JSON_ARRAY))
        __builtin_trap();
    for (size_t i = 0; i < lf_json_len(v); i++)
        if (!lf_json_is(lf_json_at(v, i), LF_JSON_STRING))
            __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lf_arena a;
    lf_arena_init(&a, 0);
    const char *nl = memchr(data, '\n', size);
    size_t qlen = nl ? (size_t)(nl - (const char *)data) : size;
    char *q = lf_arena_strndup(&a, (const char *)data, qlen);
    if (q && strlen(q) == qlen) {
        (void)lf_taxii_accept_ok(q);
        (void)lf_taxii_content_type_ok(q);
        lf_taxii_filter f;
        lf_taxii_filter_init(&f);
        char *save = q;
        for (char *p = save; p && *p;) {
            char *amp = strchr(p, '&');
            if (amp)
                *amp = '\0';
            char *eq = strchr(p, '=');
            if (eq)
                *eq = '\0';
            (void)lf_taxii_filter_add(&f, &a, p, eq ? eq + 1 : "", NULL);
            p = amp ? amp + 1 : NULL;
        }
        check_array(&a, f.ids_json);
        check_array(&a, f.types_json);
        check_array(&a, f.specs_json);
        check_array(&a, f.vkeys_json);
        if (f.limit < 1 || f.limit > LF_TAXII_LIMIT_MAX)
            __builtin_trap();
    }
    if (nl) {
        const char *body = nl + 1;
        size_t blen = size - qlen - 1;
        lf_json *doc = NULL;
        if (!lf_json_parse(&a, body, blen, NULL, &doc, NULL) && lf_json_is(doc, LF_JSON_OBJECT)) {
            lf_taxii_span *sp;
            size_t n;
            int rc = lf_taxii_envelope_spans(&a, body, blen, &sp, &n, NULL);
            const lf_json *objs = lf_json_get(doc, "objects");
            if (rc || (lf_json_is(objs, LF_JSON_ARRAY) ? n != lf_json_len(objs) : n != 0))
                __builtin_trap();
            for (size_t i = 0; i < n; i++) {
                lf_json *e = NULL;
                if (sp[i].off + sp[i].len > blen ||
                    lf_json_parse(&a, body + sp[i].off, sp[i].len, NULL, &e, NULL) ||
                    e->type != lf_json_at(objs, i)->type || lf_json_len(e) != lf_json_len(lf_json_at(objs, i)))
                    __builtin_trap();
            }
        }
    }
    lf_arena_clear(&a);
    return 0;
}
