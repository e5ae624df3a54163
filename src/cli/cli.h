/*
 * cli: the `lianfang` command line. One cli_<subcommand>.c per subcommand, listed in the
 * table in cli.c; each is a thin layer over the library modules.
 * Exit status convention: 0 ok / no findings, 1 findings, 2 error (usage, input, I/O).
 */
#ifndef LF_CLI_CLI_H
#define LF_CLI_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

enum { LF_EXIT_OK = 0, LF_EXIT_FINDINGS = 1, LF_EXIT_ERROR = 2 };

typedef struct lf_cli_env {
    char data_dir[4096];      /* --data, $LIANFANG_DATA, or ~/.local/share/lianfang */
    char index_path[4200];    /* <data_dir>/vulndb.lfx */
    bool progress;            /* stderr is a terminal and --quiet not given */
    bool quiet;
} lf_cli_env;

int lf_cli_main(int argc, char **argv);

/* Subcommands: argv[0] is the subcommand name. */
int lf_cli_feed(int argc, char **argv, const lf_cli_env *env);
/* `lianfang feed sync nvd|kev|csaf`: download feeds over HTTP (cli_sync.c); argv[0] = "sync". */
int lf_cli_feed_sync(int argc, char **argv, const lf_cli_env *env);
int lf_cli_vans(int argc, char **argv, const lf_cli_env *env);
int lf_cli_cvss(int argc, char **argv, const lf_cli_env *env);
int lf_cli_inventory(int argc, char **argv, const lf_cli_env *env);
/* `lianfang user add`: create a user in the store, password from stdin (cli_user.c). */
int lf_cli_user(int argc, char **argv, const lf_cli_env *env);
/* `lianfang serve`: the platform server (cli_serve.c). */
int lf_cli_serve(int argc, char **argv, const lf_cli_env *env);
/* `lianfang notify test`: send a sample notice by mail and webhook (cli_notify.c). */
int lf_cli_notify(int argc, char **argv, const lf_cli_env *env);
/* `lianfang isac pull|push|blocklist`: TAXII federation and blocklists (cli_isac.c). */
int lf_cli_isac(int argc, char **argv, const lf_cli_env *env);
/* `lianfang isac load FILE`: TAXII server data (OASIS reference format) into the store
 * (cli_isac_load.c); argv[0] = "load". Wired into `isac` by cli_isac.c. */
int lf_cli_isac_load(int argc, char **argv, const lf_cli_env *env);

/* Inventory intake shared by `inventory normalize` and `vans scan` (cli_inventory.c). */
struct lf_intake;
struct lf_intake_opts;
struct lf_vdb;
/* Dictionary folder: --dict, $LIANFANG_DICT, <data>/intake, or the source tree's data/intake. */
void lf_cli_dict_dir(const lf_cli_env *env, const char *opt, char *out, size_t cap);
int lf_cli_intake_open(const lf_cli_env *env, const char *dict_opt, const struct lf_vdb *vdb, struct lf_intake **out);
/* --format, --encoding, --host, --os, --dict: 1 consumed (with its value), 0 not ours, -1 bad. */
int lf_cli_intake_opt(int argc, char **argv, int *i, struct lf_intake_opts *o, const char **dict);
/* Is a one of those options (so a second pass over argv skips its value too)? */
bool lf_cli_intake_opt_takes_value(const char *a);

/* Print "lianfang: <located error>" to stderr. */
void lf_cli_error(const lf_err *e);
/* The configuration of a command: path (--config), else $LIANFANG_CONFIG, else
 * <data>/lianfang.conf when it exists, else the defaults; then LIANFANG_* variables, then
 * overrides ("key=value", NULL-terminated, may be NULL). Problems are printed (each bad
 * line with its file and line); returns 0, or -1 when the command must stop. */
struct lf_config;
int lf_cli_config_load(const lf_cli_env *env, const char *path, const char *const *overrides,
                       struct lf_config **out);
/* Progress line on stderr (only when env->progress): "\r<label> 45% 12,345 rec 80,000 rec/s". */
typedef struct lf_cli_progress {
    double start;
    double last;
    bool shown;
} lf_cli_progress;
void lf_cli_progress_update(const lf_cli_env *env, lf_cli_progress *p, const char *label,
                            double fraction, size_t records, size_t bytes);
void lf_cli_progress_done(const lf_cli_env *env, lf_cli_progress *p);

#endif
