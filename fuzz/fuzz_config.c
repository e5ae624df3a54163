/*
 * fuzz_config: the server configuration reader (src/core/config.c) on any bytes, with
 * the environment ignored. Invariants: no crash, no leak; a failed load returns no config
 * and the error it reports; a loaded config, dumped and read back, gives the same value
 * for every key that is not a secret (the dump masks those).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool secret(const char *k)
{
    return !strcmp(k, "smtp.url") || !strcmp(k, "notify.webhook_url") || !strcmp(k, "nvd.api_key");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lf_config_opts o = {0};
    o.path = "fuzz.conf";
    o.text = (const char *)data;
    o.text_len = size;
    o.data_dir = "/data";
    o.no_env = true;
    lf_config *c = (lf_config *)(uintptr_t)1;
    lf_err e;
    int rc = lf_config_load(&o, &c, &e);
    if (rc) {
        if (c || e.code != rc)
            __builtin_trap();
        return 0;
    }
    lf_buf b;
    lf_buf_init(&b, 0);
    if (lf_config_dump(c, &b) == LF_OK) {
        lf_config *c2 = NULL;
        o.text = b.data;
        o.text_len = b.len;
        if (lf_config_load(&o, &c2, &e))
            __builtin_trap();   /* the dump must always be readable */
        for (size_t i = 0; i < lf_config_nkeys(); i++) {
            const char *k = lf_config_key_name(i);
            if (secret(k))
                continue;
            if (strcmp(lf_config_str(c, k), lf_config_str(c2, k)) || lf_config_int(c, k) != lf_config_int(c2, k) ||
                lf_config_bool(c, k) != lf_config_bool(c2, k))
                __builtin_trap();
        }
        lf_config_free(c2);
    }
    lf_buf_clear(&b);
    lf_config_free(c);
    return 0;
}
