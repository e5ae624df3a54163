/*
 * cpe: CPE 2.3 names (NISTIR 7695 naming, NISTIR 7696 name matching).
 *
 * A name is held as a WFN (well-formed name): 11 attributes, each ANY (*), NA (-) or a
 * value. Values are stored in WFN form: every character other than [A-Za-z0-9_] is
 * preceded by a backslash, except an unquoted '*' or '?' which are wildcards (only
 * allowed at the start/end of a value, 7695 §5.3.2). Letters are lower-cased on
 * parse (CPE is case-insensitive, 7695 §5.3.2 / 7696 §6.1). Binding: formatted string
 * ("cpe:2.3:a:vendor:product:...", 7695 §6.2) and URI ("cpe:/a:vendor:product", 7695
 * §6.1, with %xx and the packed edition "~" form).
 *
 * Part 'p' is lianfang's own extension next to a/o/h: a package of a distribution or a
 * language ecosystem, so OSV and purl criteria ride the same index and matcher:
 * cpe:2.3:p:<ecosystem>:<package>:<version>:*:*:*:*:<release>:*:* with ecosystem the
 * OSV ecosystem family (debian, ubuntu, alpine, almalinux, rocky_linux, red_hat, npm,
 * pypi, maven, go, nuget, ...), package as the ecosystem names it, release the
 * distribution release ("12", "22.04", "3.19", "9"; ANY for language ecosystems). Such
 * names never leave lianfang (src/feeds/osv.h builds them).
 *
 * Ownership: lf_cpe is plain caller storage with no pointers to free; values live in
 * its own buffer. Copy it with assignment.
 */
#ifndef LF_VANS_CPE_H
#define LF_VANS_CPE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

enum {
    LF_CPE_PART = 0,
    LF_CPE_VENDOR,
    LF_CPE_PRODUCT,
    LF_CPE_VERSION,
    LF_CPE_UPDATE,
    LF_CPE_EDITION,
    LF_CPE_LANGUAGE,
    LF_CPE_SW_EDITION,
    LF_CPE_TARGET_SW,
    LF_CPE_TARGET_HW,
    LF_CPE_OTHER,
    LF_CPE_NATTR
};

/* Kind of an attribute value. */
enum { LF_CPE_ANY = 0, LF_CPE_NA = 1, LF_CPE_VALUE = 2 };

/* NISTIR 7696 §6.1 attribute relations (Table 6-2) and name relations (§6.2). */
typedef enum {
    LF_CPE_DISJOINT = 0,
    LF_CPE_SUBSET,
    LF_CPE_SUPERSET,
    LF_CPE_EQUAL,
    LF_CPE_UNDEFINED      /* e.g. both sides carry wildcards */
} lf_cpe_rel;

#define LF_CPE_MAX 1024   /* longest binding accepted, and total WFN value bytes */

/* Output buffer sizes that always suffice for the formatters (each WFN byte becomes at
 * most one formatted-string byte and at most three URI bytes, plus separators). */
#define LF_CPE_FS_BUF  (LF_CPE_MAX + 64)
#define LF_CPE_URI_BUF (3 * LF_CPE_MAX + 64)
#define LF_CPE_WFN_BUF (LF_CPE_MAX + 256)

typedef struct lf_cpe {
    unsigned char kind[LF_CPE_NATTR];   /* LF_CPE_ANY / NA / VALUE */
    unsigned short off[LF_CPE_NATTR];   /* value offset in buf (VALUE only) */
    unsigned short len[LF_CPE_NATTR];   /* value length in bytes, excluding NUL */
    char buf[LF_CPE_MAX];               /* NUL-terminated WFN-form values */
} lf_cpe;

/* Attribute name as in the spec ("part", "vendor", ..., "target_sw"). */
const char *lf_cpe_attr_name(int attr);

/* All attributes ANY. */
void lf_cpe_init(lf_cpe *c);

/*
 * Parse a formatted string (cpe:2.3:...) or a URI (cpe:/...), chosen by prefix.
 * Surrounding whitespace is not accepted here: trim first. On failure returns
 * LF_EPARSE and fills err: err->field = the attribute name, err->col = 1-based byte
 * position, and the message quotes the offending character.
 * A binding longer than LF_CPE_MAX, or values that need more than LF_CPE_MAX bytes in WFN
 * form, give LF_ELIMIT. On any failure *out is left all-ANY (as after lf_cpe_init).
 */
int lf_cpe_parse(lf_cpe *out, const char *s, size_t n, lf_err *err);
int lf_cpe_parse_fs(lf_cpe *out, const char *s, size_t n, lf_err *err);
int lf_cpe_parse_uri(lf_cpe *out, const char *s, size_t n, lf_err *err);

/* Format. Return LF_OK or LF_ELIMIT when n is too small (out then holds ""). */
int lf_cpe_format_fs(const lf_cpe *c, char *out, size_t n);
int lf_cpe_format_uri(const lf_cpe *c, char *out, size_t n);
int lf_cpe_format_wfn(const lf_cpe *c, char *out, size_t n); /* wfn:[part="a",vendor="x",...] */

/* The WFN-form value of attr, or NULL when ANY/NA (borrowed, valid while c lives). */
const char *lf_cpe_value(const lf_cpe *c, int attr);
static inline int lf_cpe_kind(const lf_cpe *c, int attr) { return c->kind[attr]; }

/* True when attr is a value holding an unquoted '*' or '?' (7695 §5.3.2). */
bool lf_cpe_has_wildcards(const lf_cpe *c, int attr);

/* Same WFN: every attribute has the same kind and, for values, the same bytes.
 * (Use this, not memcmp: bytes of buf past the values are unspecified.) */
bool lf_cpe_equal(const lf_cpe *a, const lf_cpe *b);

/*
 * The value with WFN quoting removed ("5.21\(aazf.7\)c0" -> "5.21(aazf.7)c0"), for
 * version comparison and display. Writes "" for ANY/NA ("*" and "-" are not emitted).
 * Returns the length, or -1 when n is too small.
 */
int lf_cpe_plain(const lf_cpe *c, int attr, char *out, size_t n);

/*
 * Set attr from plain text (intake builds CPEs from software names): lower-cases, maps
 * spaces to '_', quotes every special character. "*" / "-" as whole value mean ANY / NA.
 * Returns LF_OK, LF_EINVAL (bad attr, or part not a/o/h) or LF_ELIMIT.
 */
int lf_cpe_set_plain(lf_cpe *c, int attr, const char *s, size_t n);
void lf_cpe_set_any(lf_cpe *c, int attr);
void lf_cpe_set_na(lf_cpe *c, int attr);

/* NISTIR 7696 Table 6-2: relation of source attribute value to target attribute. */
lf_cpe_rel lf_cpe_compare_attr(const lf_cpe *src, const lf_cpe *tgt, int attr);
/* The same comparison on bare WFN-form values (kind LF_CPE_ANY/NA/VALUE, value and its
 * length; the value is ignored unless kind is VALUE), so an index can keep attribute
 * values without whole names. */
lf_cpe_rel lf_cpe_compare_values(int skind, const char *sv, size_t sn, int tkind, const char *tv, size_t tn);
/* All 11 relations; out may be NULL. Returns the name relation (7696 §6.2):
 * DISJOINT if any attr is DISJOINT, EQUAL if all EQUAL, SUPERSET if all SUPERSET or
 * EQUAL, SUBSET if all SUBSET or EQUAL, else UNDEFINED. */
lf_cpe_rel lf_cpe_compare(const lf_cpe *src, const lf_cpe *tgt, lf_cpe_rel out[LF_CPE_NATTR]);
/* True when src names a superset of (or equals) tgt: the CPE_Name_Match test. */
bool lf_cpe_match(const lf_cpe *src, const lf_cpe *tgt);

#endif
