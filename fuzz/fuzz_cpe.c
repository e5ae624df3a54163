/*
 * fuzz_cpe: lf_cpe_parse (NISTIR 7695 formatted string and URI) on any bytes. When a
 * name parses, its bindings must parse back to the same WFN, formatting must be stable,
 * a name must be EQUAL to itself (7696) unless it carries wildcards, and the plain-text
 * form of each wildcard-free value must rebuild the same value through lf_cpe_set_plain.
 */
#include <stdint.h>
#include <string.h>

#include "vans/cpe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok)
{
    if (!ok)
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    lf_cpe a, b;
    lf_err e;
    lf_err_clear(&e);
    int rc = lf_cpe_parse(&a, s, size, &e);
    if (rc != LF_OK) {
        /* failures are reported, located inside (or just past) the input, all-ANY */
        check(rc == LF_EPARSE || rc == LF_ELIMIT);
        check(e.code == rc && e.msg[0] != '\0');
        check(e.col >= 1 && (size_t)e.col <= size + 1);
        for (int i = 0; i < LF_CPE_NATTR; i++)
            check(lf_cpe_kind(&a, i) == LF_CPE_ANY);
        return 0;
    }

    /* formatted string: parse -> format -> parse is the same WFN, and formatting the
     * result gives the same string (bindings longer than LF_CPE_MAX are refused) */
    char fs[LF_CPE_FS_BUF], fs2[LF_CPE_FS_BUF];
    check(lf_cpe_format_fs(&a, fs, sizeof fs) == LF_OK);
    size_t fn = strlen(fs);
    rc = lf_cpe_parse_fs(&b, fs, fn, &e);
    if (fn > LF_CPE_MAX) {
        check(rc == LF_ELIMIT);
    } else {
        check(rc == LF_OK);
        check(lf_cpe_equal(&a, &b));
        check(lf_cpe_format_fs(&b, fs2, sizeof fs2) == LF_OK);
        check(strcmp(fs, fs2) == 0);
    }

    /* URI: the same, where the URI is short enough to be accepted */
    char uri[LF_CPE_URI_BUF];
    check(lf_cpe_format_uri(&a, uri, sizeof uri) == LF_OK);
    size_t un = strlen(uri);
    rc = lf_cpe_parse_uri(&b, uri, un, &e);
    if (un > LF_CPE_MAX)
        check(rc == LF_ELIMIT);
    else
        check(rc == LF_OK && lf_cpe_equal(&a, &b));

    char wfn[LF_CPE_WFN_BUF];
    check(lf_cpe_format_wfn(&a, wfn, sizeof wfn) == LF_OK);

    /* 7696: a name compared with itself */
    bool wild = false;
    lf_cpe_rel per[LF_CPE_NATTR];
    lf_cpe_rel r = lf_cpe_compare(&a, &a, per);
    for (int i = 0; i < LF_CPE_NATTR; i++) {
        bool w = lf_cpe_has_wildcards(&a, i);
        wild = wild || w;
        check(per[i] == (w ? LF_CPE_UNDEFINED : LF_CPE_EQUAL));
    }
    check(r == (wild ? LF_CPE_UNDEFINED : LF_CPE_EQUAL));
    check(lf_cpe_match(&a, &a) == !wild);

    /* against the all-ANY name: ANY is a superset of everything but wildcard values */
    lf_cpe any;
    lf_cpe_init(&any);
    for (int i = 0; i < LF_CPE_NATTR; i++) {
        lf_cpe_rel want = lf_cpe_has_wildcards(&a, i)       ? LF_CPE_UNDEFINED
                          : lf_cpe_kind(&a, i) == LF_CPE_ANY ? LF_CPE_EQUAL
                                                             : LF_CPE_SUPERSET;
        check(lf_cpe_compare_attr(&any, &a, i) == want);
        check(lf_cpe_compare_attr(&a, &any, i) ==
              (lf_cpe_kind(&a, i) == LF_CPE_ANY ? LF_CPE_EQUAL : LF_CPE_SUBSET));
    }

    /* plain text of a wildcard-free value rebuilds it, except values whose plain text
     * is "*" or "-" (those mean ANY / NA as plain text) */
    b = a;
    for (int i = 0; i < LF_CPE_NATTR; i++) {
        char plain[LF_CPE_MAX];
        int pn = lf_cpe_plain(&a, i, plain, sizeof plain);
        check(pn >= 0);
        if (lf_cpe_kind(&a, i) != LF_CPE_VALUE || lf_cpe_has_wildcards(&a, i))
            continue;
        if (pn == 1 && (plain[0] == '*' || plain[0] == '-'))
            continue;
        check(lf_cpe_set_plain(&b, i, plain, (size_t)pn) == LF_OK);
    }
    check(lf_cpe_equal(&a, &b));
    return 0;
}
