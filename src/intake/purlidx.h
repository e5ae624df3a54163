/*
 * purlidx: syft's package-ecosystem → CPE index, an importable names source.
 *
 * anchore/syft generates, from NVD's CPE dictionary, a table of the CPE names NVD uses for
 * packages of the language ecosystems (syft/pkg/cataloger/internal/cpegenerate/dictionary/
 * data/cpe-index.json):
 *
 *   {"ecosystems": {"npm": {"<package>": ["cpe:2.3:a:vendor:product:*:*:*:*:*:node.js:*:*", ...],
 *                           ...},
 *                   "pypi": {...}, "rubygems": {...}, ...}}
 *
 * It is third-party data (Apache-2.0; the names are NVD's), so lianfang does not ship it:
 * the operator imports it (`lianfang feed import purlidx FILE`), which checks every entry
 * with this reader and keeps the good ones in <data>/purlidx.json, in the same format.
 * Name resolution (resolve.h, method "purl-index") then looks up SBOM and package-list rows
 * that the shipped packages.tsv does not name.
 *
 * Ecosystems: syft's names are mapped to the names lianfang uses for package rows, which
 * are the purl types (purl-spec PURL-TYPES): npm → npm, pypi → pypi, rubygems → gem,
 * rust_crates → cargo, go_modules → golang, php_composer → composer, php_pear → pear,
 * php_pecl → pecl, jenkins_plugins → jenkins (Jenkins plugins are Maven artifacts: a maven
 * package in the groups org.jenkins-ci.plugins[.*], io.jenkins.plugins[.*] or
 * org.jenkinsci.plugins[.*] is looked up by its artifact id here), wordpress_plugins →
 * wordpress-plugin and wordpress_themes → wordpress-theme (no purl type exists for those;
 * a row that names that ecosystem finds them). An ecosystem this table does not know is
 * kept under syft's own name (counted in lf_purlidx_stats.unmapped).
 *
 * Package names compare the way each registry does: PyPI as PEP 503 says (case-insensitive,
 * runs of '-', '_', '.' equal, as packages.tsv does), npm, Composer, PEAR, PECL, Jenkins and
 * WordPress case-insensitively (npm keys written "%40scope/name" are percent-decoded),
 * crates.io case-insensitively with '-' and '_' equal; Go module paths and gem names exactly.
 *
 * Checks (the project's rule: bad input gets a clear error and loses nothing): the file
 * must be JSON whose top level is an object with an "ecosystems" object (else LF_EPARSE
 * with line and column, or LF_EFORMAT, and nothing is loaded). Then each entry on its own:
 * an ecosystem that is not an object, a package whose value is not an array, an empty or
 * over-long package name, an item that is not a string, a string that is not a CPE name
 * (vans/cpe.h), a CPE whose part is not a/o/h or whose vendor or product is not a plain
 * value, and CPE names past LF_PURLIDX_MAX_CPES for one package are reported through warn
 * (src = the file, message = the JSON path, such as ecosystems.npm["left-pad"][1], and the
 * reason), counted in stats.bad, and left out; every other entry is kept. The first
 * LF_PURLIDX_MAX_WARNINGS are reported one by one, then one line says how many more.
 *
 * Ownership: lf_purlidx_new/_free; the index owns every string it returns (valid until
 * lf_purlidx_free). Loaded, it is read-only and may be shared by threads.
 */
#ifndef LF_INTAKE_PURLIDX_H
#define LF_INTAKE_PURLIDX_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/err.h"
#include "intake/namedb.h"

#define LF_PURLIDX_MAX_FILE ((size_t)256 << 20)   /* bytes of one index file */
#define LF_PURLIDX_MAX_NAME 255                   /* bytes of a package name */
#define LF_PURLIDX_MAX_CPES 64                    /* CPE names kept per package */
#define LF_PURLIDX_MAX_ECOSYSTEMS 64
#define LF_PURLIDX_MAX_WARNINGS 100               /* malformed entries reported one by one */

typedef struct lf_purlidx lf_purlidx;

typedef struct lf_purlidx_stats {
    size_t ecosystems;   /* ecosystems with at least one package kept */
    size_t packages;     /* packages with at least one good CPE name */
    size_t cpes;         /* good CPE names kept (duplicates within a package dropped) */
    size_t ambiguous;    /* packages whose CPE names give several vendor:product pairs */
    size_t unmapped;     /* packages under an ecosystem lianfang has no name for */
    size_t bad;          /* malformed entries reported and left out */
} lf_purlidx_stats;

/* One ecosystem of the index: syft's name, lianfang's, and how many packages it holds. */
typedef struct lf_purlidx_eco {
    const char *syft;
    const char *ecosystem;
    size_t packages;
} lf_purlidx_eco;

typedef void (*lf_purlidx_warn_fn)(void *ud, const lf_err *e);

int lf_purlidx_new(lf_purlidx **out, lf_err *err);
void lf_purlidx_free(lf_purlidx *x);   /* NULL-safe */

/* Read one index document (src names it in messages). Entries are added to those already
 * loaded (a package listed twice gets the CPE names of both). LF_OK, LF_EPARSE (not JSON),
 * LF_EFORMAT (not this format), LF_ELIMIT or LF_ENOMEM; malformed entries go to warn
 * (may be NULL) and do not fail the call. */
int lf_purlidx_load_buffer(lf_purlidx *x, const char *src, const char *text, size_t len, lf_purlidx_warn_fn warn,
                           void *ud, lf_err *err);
/* The same from a file (plain or gzip, at most LF_PURLIDX_MAX_FILE bytes). */
int lf_purlidx_load_file(lf_purlidx *x, const char *path, lf_purlidx_warn_fn warn, void *ud, lf_err *err);

/* Write the entries kept, in syft's format (ecosystems and packages in the order read,
 * CPE names as formatted strings), to out or atomically to path. Reading the output again
 * gives the same index. */
int lf_purlidx_write_buf(const lf_purlidx *x, lf_buf *out);
int lf_purlidx_write(const lf_purlidx *x, const char *path, lf_err *err);

/* lianfang's name for one of syft's ecosystems, or NULL when there is none. */
const char *lf_purlidx_ecosystem_name(const char *syft);

/* The distinct (part, vendor, product) of a package, in the order the index lists them:
 * ecosystem is lianfang's (the purl type: npm, pypi, gem, cargo, golang, composer, maven
 * for Jenkins plugins, ...), name as a purl names the package (npm "@scope/name", golang
 * the module path, maven "group:artifact", composer "vendor/name"). Up to max go to out
 * (strings owned by the index); returns how many there are, 0 when the index does not
 * list the package. */
size_t lf_purlidx_lookup(const lf_purlidx *x, const char *ecosystem, const char *name, size_t n, lf_product *out,
                         size_t max);

void lf_purlidx_get_stats(const lf_purlidx *x, lf_purlidx_stats *st);
/* The ecosystems, up to max into out (strings owned by the index); returns how many. */
size_t lf_purlidx_ecosystems(const lf_purlidx *x, lf_purlidx_eco *out, size_t max);

#endif
