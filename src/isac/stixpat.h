/*
 * stixpat: the STIX 2.1 Patterning language (OASIS STIX 2.1, section 9; grammar
 * STIXPattern.g4): a parser into an AST, and the extraction of the simple indicators
 * (addresses, domains, URLs, hashes, e-mail) a blocklist or a matcher can use directly.
 *
 * Grammar, loosest binding first:
 *   pattern      := obs (FOLLOWEDBY obs)*            observation level: FOLLOWEDBY < OR < AND
 *   obs-unit     := '[' cmp ']' qualifier* | '(' obs ')' qualifier*
 *   qualifier    := WITHIN n SECONDS | REPEATS n TIMES | START t'..' STOP t'..'
 *   cmp          := cmp OR cmp | cmp AND cmp | '(' cmp ')' | EXISTS path
 *                 | path [NOT] op literal             op: = != > < >= <= IN LIKE MATCHES
 *                                                         ISSUBSET ISSUPERSET
 *   path         := type ':' part ('.' part | '[' n ']' | '[*]')*   part: name or 'quoted'
 *   literal      := 'str' (\' and \\ escapes) | int | float | true | false
 *                 | b'base64' | h'hex' | t'YYYY-MM-DDTHH:MM:SS[.s]Z' | '(' list ')' for IN
 * Keywords are upper case, booleans lower case, as in the grammar. NOT only negates an
 * operator (`file:name NOT LIKE 'x%'`); the language has no NOT over a whole expression.
 * Whitespace (ASCII and the Unicode spaces the grammar lists), and / * * / and // comments
 * are skipped. Checks beyond the grammar, from the spec's prose: WITHIN and REPEATS take a
 * positive number, STOP is later than START, timestamps are real dates, base64 is padded
 * correctly, hex has whole bytes, one qualifier of each kind on a bracketed observation.
 *
 * Errors: LF_EPARSE with err->col = byte offset + 1 of the offending token (err->line 1),
 * and a message saying what was expected and what was found; LF_ELIMIT past the nesting
 * or size limit; LF_ENOMEM.
 *
 * Ownership: every node, string and array returned lives in the arena passed in and is
 * valid until lf_arena_clear/reset; nothing else needs freeing. Strings are NUL-terminated
 * copies (decoded: escapes undone, base64 and hex turned into bytes), so the pattern text
 * may go away after parsing.
 */
#ifndef LF_ISAC_STIXPAT_H
#define LF_ISAC_STIXPAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"

#define LF_STIXPAT_MAX_LEN   ((size_t)1 << 20)  /* bytes of pattern text */
#define LF_STIXPAT_MAX_DEPTH 64u                /* nested parentheses */

typedef enum lf_stixpat_lit_kind {
    LF_STIXPAT_LIT_INT,
    LF_STIXPAT_LIT_FLOAT,
    LF_STIXPAT_LIT_STRING,
    LF_STIXPAT_LIT_BOOL,
    LF_STIXPAT_LIT_BINARY,     /* b'...': str/n are the decoded bytes */
    LF_STIXPAT_LIT_HEX,        /* h'...': str/n are the decoded bytes */
    LF_STIXPAT_LIT_TIMESTAMP   /* t'...': str is the text between the quotes */
} lf_stixpat_lit_kind;

typedef struct lf_stixpat_lit {
    lf_stixpat_lit_kind kind;
    const char *str;   /* STRING unescaped; BINARY/HEX bytes; TIMESTAMP text; INT/FLOAT source text */
    size_t n;          /* bytes of str (a decoded string may hold NUL bytes) */
    int64_t i;         /* INT */
    double f;          /* FLOAT (and INT as a double) */
    bool b;            /* BOOL */
    size_t off;        /* byte offset in the pattern */
} lf_stixpat_lit;

typedef enum lf_stixpat_step_kind {
    LF_STIXPAT_STEP_KEY,      /* .name or .'quoted name' (and the first part after ':') */
    LF_STIXPAT_STEP_INDEX,    /* [n] */
    LF_STIXPAT_STEP_ANY       /* [*] */
} lf_stixpat_step_kind;

typedef struct lf_stixpat_step {
    lf_stixpat_step_kind kind;
    const char *key;          /* KEY */
    int64_t index;            /* INDEX */
} lf_stixpat_step;

typedef struct lf_stixpat_path {
    const char *type;               /* object type before ':' */
    const lf_stixpat_step *steps;   /* steps[0] is the first property, always a KEY */
    size_t nsteps;
    size_t off;
} lf_stixpat_path;

typedef enum lf_stixpat_op {
    LF_STIXPAT_EQ, LF_STIXPAT_NEQ, LF_STIXPAT_GT, LF_STIXPAT_LT, LF_STIXPAT_GE, LF_STIXPAT_LE,
    LF_STIXPAT_IN, LF_STIXPAT_LIKE, LF_STIXPAT_MATCHES, LF_STIXPAT_ISSUBSET,
    LF_STIXPAT_ISSUPERSET, LF_STIXPAT_EXISTS
} lf_stixpat_op;

typedef enum lf_stixpat_kind {
    LF_STIXPAT_CMP,         /* one comparison: path, op, negated, lits */
    LF_STIXPAT_CMP_AND,     /* a AND b inside brackets */
    LF_STIXPAT_CMP_OR,      /* a OR b inside brackets */
    LF_STIXPAT_OBS,         /* [ a ] */
    LF_STIXPAT_OBS_AND,     /* a AND b between observations */
    LF_STIXPAT_OBS_OR,      /* a OR b between observations */
    LF_STIXPAT_FOLLOWEDBY,  /* a FOLLOWEDBY b */
    LF_STIXPAT_QUALIFIED    /* a with one qualifier (qual); several qualifiers nest */
} lf_stixpat_kind;

typedef enum lf_stixpat_qual {
    LF_STIXPAT_WITHIN, LF_STIXPAT_REPEATS, LF_STIXPAT_STARTSTOP
} lf_stixpat_qual;

typedef struct lf_stixpat_node lf_stixpat_node;
struct lf_stixpat_node {
    lf_stixpat_kind kind;
    size_t off;                   /* byte offset where the node starts (operator for binary) */
    const lf_stixpat_node *a, *b; /* binary: operands; OBS, QUALIFIED: a only */
    /* CMP */
    lf_stixpat_path path;
    lf_stixpat_op op;
    bool negated;                 /* NOT before the operator */
    const lf_stixpat_lit *lits;   /* 1 value; IN: the list (may be empty); EXISTS: none */
    size_t nlits;
    /* QUALIFIED */
    lf_stixpat_qual qual;
    double within;                /* WITHIN seconds */
    int64_t repeats;              /* REPEATS times */
    const char *start, *stop;     /* START/STOP timestamp text */
};

typedef struct lf_stixpat {
    const lf_stixpat_node *root;
    size_t ncmp;                  /* comparisons in the whole pattern */
} lf_stixpat;

/* Parse text[0..len) (no NUL needed). *out is set only on LF_OK. */
int lf_stixpat_parse(lf_arena *a, const char *text, size_t len, const lf_stixpat **out, lf_err *err);

const char *lf_stixpat_op_name(lf_stixpat_op op);   /* "=", "IN", "ISSUBSET", ... */

/*
 * Simple indicators: comparisons `path = 'value'` and `path IN ('v', ...)` (never
 * negated, never != or any other operator) on
 *   ipv4-addr:value, ipv6-addr:value          address or CIDR, validated
 *   network-traffic:dst_ref.value / src_ref.value   an IPv4 or IPv6 address or CIDR
 *   domain-name:value, url:value, email-addr:value, email-message:subject
 *   file:hashes.MD5 / 'SHA-1' / 'SHA-256' / 'SHA-512'  hex of the algorithm's length
 * `sufficient` tells whether this one condition alone matches the whole pattern: it is
 * reached from the top through OR (inside or between brackets) and IN alternatives only.
 * Under AND, FOLLOWEDBY or a qualifier (WITHIN, REPEATS, START/STOP) it is false: acting
 * on the indicator alone would be broader than the pattern.
 * Values of those paths that fail validation (a bad address, a hash of the wrong length,
 * a number where a string belongs) are not indicators; they are listed in `rejected`
 * with a reason, so nothing is dropped unseen.
 */
typedef enum lf_stixpat_ioc_kind {
    LF_STIXPAT_IOC_IPV4, LF_STIXPAT_IOC_IPV6, LF_STIXPAT_IOC_DOMAIN, LF_STIXPAT_IOC_URL,
    LF_STIXPAT_IOC_MD5, LF_STIXPAT_IOC_SHA1, LF_STIXPAT_IOC_SHA256, LF_STIXPAT_IOC_SHA512,
    LF_STIXPAT_IOC_EMAIL, LF_STIXPAT_IOC_EMAIL_SUBJECT
} lf_stixpat_ioc_kind;

typedef struct lf_stixpat_ioc {
    lf_stixpat_ioc_kind kind;
    const char *value;            /* the literal's text (hashes as written) */
    size_t n;
    bool cidr;                    /* IPV4/IPV6 with a /prefix */
    bool sufficient;              /* see above */
    const lf_stixpat_node *cmp;   /* the comparison it came from */
    size_t off;                   /* the literal's byte offset */
    const char *reason;           /* rejected only: why it is not an indicator */
} lf_stixpat_ioc;

typedef struct lf_stixpat_iocs {
    lf_stixpat_ioc *items;        /* in pattern order */
    size_t n;
    lf_stixpat_ioc *rejected;
    size_t nrejected;
} lf_stixpat_iocs;

/* Fill *out (arrays in the arena). LF_OK or LF_ENOMEM. */
int lf_stixpat_iocs_get(lf_arena *a, const lf_stixpat *p, lf_stixpat_iocs *out, lf_err *err);

const char *lf_stixpat_ioc_kind_name(lf_stixpat_ioc_kind k);  /* "ipv4", "sha256", ... */

/* The syntax of those values, as extraction checks them, shared with the object validator
 * (stix.h: the value of an ipv4-addr, domain-name, ... object): NULL when s[0..n) is one,
 * else the reason. *cidr (may be NULL) tells whether an address had a /prefix. */
const char *lf_stixpat_check_ipv4(const char *s, size_t n, bool *cidr);
const char *lf_stixpat_check_ipv6(const char *s, size_t n, bool *cidr);
const char *lf_stixpat_check_domain(const char *s, size_t n);
const char *lf_stixpat_check_url(const char *s, size_t n);
const char *lf_stixpat_check_email(const char *s, size_t n);

/*
 * RFC 3339 timestamps in UTC as STIX uses them (STIX 2.1 section 3.2):
 * YYYY-MM-DDTHH:MM:SS[.fraction]Z, with a real calendar date (leap years) and 'Z'.
 * Shared with the object validator (stix.h), which needs the same syntax and ordering.
 */
typedef struct lf_stix_time {
    int64_t secs;     /* seconds since 1970-01-01T00:00:00Z */
    uint32_t nanos;   /* fraction, truncated to nanoseconds */
} lf_stix_time;

bool lf_stix_time_parse(const char *s, size_t n, lf_stix_time *out);
int lf_stix_time_cmp(const lf_stix_time *x, const lf_stix_time *y);   /* <0, 0, >0 */

#endif
