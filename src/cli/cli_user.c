/*
 * cli_user: `lianfang user add --login L --role R --org CODE --email E [--name N]`
 * creates a platform user directly in the store, reading the password from stdin (one
 * line; never from argv, which other users of the machine can read). Its purpose is the
 * first national admin, who then manages the rest through the API. The store is the one
 * `serve` uses by default: $LIANFANG_STORE_URL, else sqlite:<data>/lianfang.db.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "store/store.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: lianfang [--data DIR] user add --login L --role R --org CODE --email E [--name N]\n"
               "  the password is read from stdin (one line)\n"
               "  roles: national_admin, region_analyst, county_officer, agency_officer, read_only\n"
               "  CODE: an organisation code (TW, R-NWT, TW-TPE, an agency's code)\n");
}

static int user_add(int argc, char **argv, const lf_cli_env *env)
{
    const char *login = NULL, *role = NULL, *org = NULL, *name = NULL, *email = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = !strcmp(a, "--login")   ? &login
                            : !strcmp(a, "--role")  ? &role
                            : !strcmp(a, "--org")   ? &org
                            : !strcmp(a, "--name")  ? &name
                            : !strcmp(a, "--email") ? &email
                                                    : NULL;
        if (!slot || i + 1 >= argc) {
            fprintf(stderr, "lianfang: user add: %s '%s'\n", slot ? "missing value for" : "unknown argument", a);
            usage(stderr);
            return LF_EXIT_ERROR;
        }
        *slot = argv[++i];
    }
    if (!login || !role || !org || !email) {
        usage(stderr);
        return LF_EXIT_ERROR;
    }
    int r = lf_role_parse(role);
    if (r < 0) {
        fprintf(stderr, "lianfang: user add: unknown role '%s'\n", role);
        usage(stderr);
        return LF_EXIT_ERROR;
    }
    char pw[LF_STORE_PASSWORD_MAX + 2];
    if (!fgets(pw, sizeof pw, stdin)) {
        fprintf(stderr, "lianfang: user add: no password on stdin\n");
        return LF_EXIT_ERROR;
    }
    size_t n = strcspn(pw, "\r\n");
    if (n == strlen(pw) && n > LF_STORE_PASSWORD_MAX) {
        fprintf(stderr, "lianfang: user add: password longer than %d bytes\n", LF_STORE_PASSWORD_MAX);
        return LF_EXIT_ERROR;
    }
    pw[n] = '\0';
    if (!n) {
        fprintf(stderr, "lianfang: user add: empty password\n");
        return LF_EXIT_ERROR;
    }
    char url[4300];
    const char *eu = getenv("LIANFANG_STORE_URL");
    if (eu && *eu)
        snprintf(url, sizeof url, "%s", eu);
    else
        snprintf(url, sizeof url, "sqlite:%s/lianfang.db", env->data_dir);

    int status = LF_EXIT_ERROR;
    lf_store *s = NULL;
    lf_arena a;
    lf_arena_init(&a, 4096);
    lf_err err;
    lf_err_clear(&err);
    lf_store_org o;
    lf_id id;
    if (lf_store_open(url, &s, &err) || lf_store_org_get_by_code(s, org, &a, &o, &err))
        goto fail;
    lf_store_user u;
    memset(&u, 0, sizeof u);
    u.login = login;
    u.display_name = name ? name : login;
    u.email = email;
    u.role = (lf_role)r;
    u.org_id = o.id;
    /* the user and the password land together or not at all */
    if (lf_store_begin(s, &err) || lf_store_user_create(s, &u, &id, &err) ||
        lf_store_user_set_password(s, id, pw, &err) || lf_store_commit(s, &err)) {
        lf_store_rollback(s);
        goto fail;
    }
    if (!env->quiet)
        fprintf(stderr, "lianfang: user %s (%s) added at %s, id %lld\n", login, lf_role_name((lf_role)r), o.code,
                (long long)id);
    printf("%lld\n", (long long)id);
    status = LF_EXIT_OK;
    goto done;
fail:
    lf_cli_error(&err);
done:
    memset(pw, 0, sizeof pw);
    lf_arena_clear(&a);
    lf_store_close(s);
    return status;
}

int lf_cli_user(int argc, char **argv, const lf_cli_env *env)
{
    if (argc >= 2 && !strcmp(argv[1], "add"))
        return user_add(argc - 1, argv + 1, env);
    usage(argc >= 2 && !strcmp(argv[1], "--help") ? stdout : stderr);
    return argc >= 2 && !strcmp(argv[1], "--help") ? LF_EXIT_OK : LF_EXIT_ERROR;
}
