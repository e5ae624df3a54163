/*
 * config: the server configuration (`lianfang serve`): one table of keys with their
 * type, bounds, default and help, read from an INI-style file, then overridden by
 * environment variables, then by command-line options. Once loaded it is immutable: the
 * loaded lf_config is the only configuration state and is passed explicitly (no globals).
 *
 * File format (UTF-8, an optional BOM is skipped, LF or CRLF line ends):
 *
 *     # a comment line ('#' or ';' as the first non-blank character)
 *     [http]                       # a section header; keys below belong to it
 *     listen = 127.0.0.1
 *     port   = 8443                # '#' after blank space starts a comment
 *     tls_cert = /etc/lianfang/cert.pem
 *     [smtp]
 *     from = "Lianfang <noreply@example.gov.tw>"   # quoted: \" \\ \t \n escapes, '#' kept
 *
 *   - every `key = value` sits under a [section]; names are lower-case [a-z0-9_];
 *   - an unquoted value runs to the end of the line or to a '#' that follows blank space,
 *     whichever comes first, and is trimmed; quote a value to keep a " #" or edge spaces;
 *   - an unknown section or key, a duplicate key, a value of the wrong type or out of
 *     bounds is an error reported as "FILE:LINE: ..." (with a suggestion for near misses).
 *
 * Precedence, lowest first: the table's defaults, the file, the environment
 * (LIANFANG_<SECTION>_<KEY>, e.g. LIANFANG_HTTP_PORT=9090), command-line overrides
 * ("http.port=9090"). Environment variables named after a known section but with an
 * unknown key are reported as warnings (the environment is shared with other programs;
 * LIANFANG_DATA, LIANFANG_DICT and LIANFANG_CONFIG of the CLI are not config keys).
 *
 * Types: string, integer (decimal, with bounds), boolean (true/false, yes/no, on/off, 1/0)
 * and duration (a whole number with an optional unit s, m, h or d; seconds without one).
 * store.url defaults to "sqlite:<data.dir>/lianfang.db"; data.dir to the caller's data
 * directory.
 *
 * Ownership: lf_config_load returns a config the caller frees with lf_config_free; every
 * string a getter returns is borrowed from it and lives as long as it does.
 */
#ifndef LF_CORE_CONFIG_H
#define LF_CORE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/err.h"

typedef enum lf_config_type {
    LF_CONFIG_STR = 0,
    LF_CONFIG_INT,
    LF_CONFIG_BOOL,
    LF_CONFIG_DURATION    /* stored and returned in seconds */
} lf_config_type;

typedef struct lf_config lf_config;

/* Problems found while loading: every error (fatal) and warning, in input order. The
 * lf_err is valid only during the call. */
typedef void (*lf_config_report_fn)(void *ud, const lf_err *e, bool fatal);

typedef struct lf_config_opts {
    const char *path;               /* config file; NULL = none (unless text is set) */
    const char *text;               /* or the file's contents from memory (tests, fuzzing) */
    size_t text_len;
    const char *data_dir;           /* default of data.dir; NULL = "." */
    char *const *envp;              /* "NAME=value" array, NULL-terminated; NULL = environ */
    bool no_env;                    /* ignore the environment altogether */
    const char *const *overrides;   /* "section.key=value", NULL-terminated; may be NULL */
    lf_config_report_fn report;     /* may be NULL */
    void *ud;
} lf_config_opts;

/* The largest config file read, and the longest line. */
#define LF_CONFIG_MAX_FILE ((size_t)1 << 20)
#define LF_CONFIG_MAX_LINE 4096

/*
 * Load: defaults, then the file, then the environment, then overrides. Every problem goes
 * to opts->report; *err gets the first error (src = file or "environment" or "command
 * line", line, field = key or variable). Returns LF_OK, LF_EIO (file unreadable),
 * LF_ELIMIT (file or line too long), LF_EPARSE (any other error) or LF_ENOMEM; on error
 * *out is NULL.
 */
int lf_config_load(const lf_config_opts *opts, lf_config **out, lf_err *err);
void lf_config_free(lf_config *c);

/* Typed getters by "section.key". A key not in the table, or asked for as the wrong
 * type, yields "" / 0 / false (a programming error the tests catch), never a crash. */
const char *lf_config_str(const lf_config *c, const char *key);
long lf_config_int(const lf_config *c, const char *key);        /* INT and DURATION */
bool lf_config_bool(const lf_config *c, const char *key);
/* True when the value came from somewhere other than the default. */
bool lf_config_is_set(const lf_config *c, const char *key);
/* Where the value came from: "default", "FILE:LINE", "$LIANFANG_HTTP_PORT", "command line". */
const char *lf_config_source(const lf_config *c, const char *key);

/* The table: number of keys, and the i-th key's name/type/help (NULL past the end). */
size_t lf_config_nkeys(void);
const char *lf_config_key_name(size_t i);
lf_config_type lf_config_key_type(size_t i);

/* The effective configuration as a config file with each value's source as a comment;
 * secrets (smtp.url, notify.webhook_url, nvd.api_key) are shown as "********". */
int lf_config_dump(const lf_config *c, lf_buf *out);
/* A commented sample file generated from the table (every key, its help, default and
 * environment variable), so the documentation never drifts from the code. */
int lf_config_sample(lf_buf *out);

/* Units parsed in one place: "90", "90s", "15m", "2h", "7d" -> seconds. LF_OK, LF_EPARSE
 * (no number, unknown unit, trailing text) or LF_ERANGE (negative, overflow). */
int lf_config_parse_duration(const char *s, long *seconds);
/* "true/false, yes/no, on/off, 1/0" (case-insensitive). LF_OK or LF_EPARSE. */
int lf_config_parse_bool(const char *s, bool *out);

#endif
