/*
 * cli_cvss: `lianfang cvss VECTOR...` prints version, base score and severity of each
 * vector, and with --explain what each metric means.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/json.h"
#include "vans/cvss.h"

int lf_cli_cvss(int argc, char **argv, const lf_cli_env *env)
{
    (void)env;
    bool explain = false, json = false;
    int nvec = 0, bad = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--explain")) {
            explain = true;
            continue;
        }
        if (!strcmp(argv[i], "--json")) {
            json = true;
            continue;
        }
        if (!strcmp(argv[i], "--help")) {
            printf("usage: lianfang cvss [--explain] [--json] VECTOR...\n");
            return LF_EXIT_OK;
        }
        nvec++;
        lf_cvss c;
        lf_err e;
        lf_err_clear(&e);
        if (lf_cvss_parse(&c, argv[i], strlen(argv[i]), &e) != LF_OK) {
            lf_err_at(&e, "vector", 0, e.col, NULL);
            lf_cli_error(&e);
            bad++;
            continue;
        }
        if (json) {
            lf_buf v;
            lf_buf_init(&v, 0);
            lf_json_write_str(&v, argv[i], strlen(argv[i]));
            printf("{\"vector\":%s,\"version\":\"%s\",\"score\":%d.%d,\"severity\":\"%s\"}\n",
                   v.data ? v.data : "\"\"", lf_cvss_version_name(c.version), c.score10 / 10,
                   c.score10 % 10, lf_cvss_severity_name(c.severity));
            lf_buf_clear(&v);
        } else
            printf("CVSS %s  %d.%d  %s\n", lf_cvss_version_name(c.version), c.score10 / 10, c.score10 % 10,
                   lf_cvss_severity_name(c.severity));
        if (explain) {
            lf_buf b;
            lf_buf_init(&b, 0);
            if (lf_cvss_explain(&c, &b) == LF_OK && b.data)
                fputs(b.data, stdout);
            lf_buf_clear(&b);
        }
    }
    if (!nvec) {
        fprintf(stderr, "usage: lianfang cvss [--explain] [--json] VECTOR...\n");
        return LF_EXIT_ERROR;
    }
    return bad ? LF_EXIT_ERROR : LF_EXIT_OK;
}
