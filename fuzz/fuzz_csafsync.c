/*
 * fuzz_csafsync: the outside-data parsers of feed sync on any bytes: CSAF changes.csv,
 * ROLIE feeds, provider-metadata.json (csaf_sync.c) and feed timestamps (fetch.c). The
 * first byte picks the parser. Invariants: no crash or leak; every entry handed out has
 * an absolute http(s) URL and a canonical timestamp that parses back to itself; a local
 * path made from an entry's URL never climbs out (no "..", no leading '/').
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "feeds/csaf_sync.h"
#include "feeds/fetch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int on_entry(void *ud, const char *url, const char *ts, const char *hash_url)
{
    (void)ud;
    (void)hash_url;
    if (strncmp(url, "http://", 7) && strncmp(url, "https://", 8))
        __builtin_trap();
    int64_t ms;
    char back[32];
    if (lf_fetch_time_parse(ts, &ms) != LF_OK)
        __builtin_trap();
    lf_fetch_time_format(ms, back);
    if (strcmp(back, ts))
        __builtin_trap();
    char path[4096];
    if (lf_csaf_local_path("example.com", url, path, sizeof path) == LF_OK) {
        if (path[0] == '/' || strstr(path, "/../") || strstr(path, "/./"))
            __builtin_trap();
        size_t n = strlen(path);
        if (n >= 3 && !strcmp(path + n - 3, "/.."))
            __builtin_trap();
    }
    return 0;
}

static int on_source(void *ud, const char *url, bool rolie)
{
    (void)ud;
    (void)rolie;
    if (strncmp(url, "http://", 7) && strncmp(url, "https://", 8))
        __builtin_trap();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    lf_arena a;
    lf_arena_init(&a, 0);
    lf_err err;
    lf_err_clear(&err);
    size_t bad = 0;
    switch (data[0] % 4) {
    case 0:
        lf_csaf_parse_changes("https://example.com/.well-known/csaf/white", text, len, on_entry, NULL, NULL, NULL,
                              &bad);
        break;
    case 1:
        lf_csaf_parse_rolie(&a, text, len, on_entry, NULL, NULL, NULL, &bad, &err);
        break;
    case 2:
        lf_csaf_parse_provider(&a, text, len, on_source, NULL, &err);
        break;
    default: {
        char s[128];
        size_t n = len < sizeof s - 1 ? len : sizeof s - 1;
        memcpy(s, text, n);
        s[n] = '\0';
        int64_t ms;
        if (lf_fetch_time_parse(s, &ms) == LF_OK) {
            char canon[32];
            int64_t again;
            lf_fetch_time_format(ms, canon);
            /* every time accepted round-trips through the canonical form */
            if (lf_fetch_time_parse(canon, &again) != LF_OK || again != ms)
                __builtin_trap();
        }
        break;
    }
    }
    lf_arena_clear(&a);
    return 0;
}
