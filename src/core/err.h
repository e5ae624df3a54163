/*
 * err: the project's error codes and the error struct every fallible function fills.
 *
 * A function that can fail returns an int: 0 (LF_OK) or a negative LF_E* code, and,
 * when the caller passed a non-NULL lf_err, fills it with the same code, a human
 * message and, where known, where in the input the problem was (source file, line,
 * column, field/attribute, record id). The codes and their names come from one table
 * (LF_ERRNO_MAP) so names and messages never drift apart.
 *
 * Ownership: lf_err is plain storage owned by the caller; nothing inside needs freeing.
 */
#ifndef LF_CORE_ERR_H
#define LF_CORE_ERR_H

#include <stddef.h>

#define LF_ERRNO_MAP(X)                                              \
    X(EINVAL,   -1, "invalid argument")                              \
    X(ENOMEM,   -2, "out of memory")                                 \
    X(EIO,      -3, "input/output error")                            \
    X(EPARSE,   -4, "malformed input")                               \
    X(ERANGE,   -5, "value out of range")                            \
    X(ENOTFOUND,-6, "not found")                                     \
    X(ELIMIT,   -7, "input exceeds a limit")                         \
    X(EFORMAT,  -8, "unknown or unsupported format")                 \
    X(ECORRUPT, -9, "corrupt or incompatible data file")             \
    X(EEXIST,  -10, "already exists")                                \
    X(EUSAGE,  -11, "usage error")                                   \
    X(EBUSY,   -12, "busy: try again later")

enum {
    LF_OK = 0,
#define LF_ERR_ENUM(name, val, msg) LF_##name = (val),
    LF_ERRNO_MAP(LF_ERR_ENUM)
#undef LF_ERR_ENUM
};

typedef struct lf_err {
    int code;          /* 0 or LF_E* */
    char msg[512];     /* human message, complete sentence fragment, no trailing newline */
    char src[256];     /* source name (file path, "argv", "<stdin>"), "" when unknown */
    long line;         /* 1-based line in src, 0 when unknown */
    long col;          /* 1-based column (or byte offset + 1 for binary), 0 when unknown */
    char field[64];    /* attribute / property / field, "" when unknown */
    char id[64];       /* record id (e.g. CVE id), "" when unknown */
} lf_err;

/* Symbolic name ("LF_EPARSE") and generic message of a code. Never NULL. */
const char *lf_strerror_name(int code);
const char *lf_strerror(int code);

/* Reset to "no error". NULL-safe. */
void lf_err_clear(lf_err *e);

/* Set code and printf-style message; returns code so callers can `return lf_err_set(...)`.
 * Location fields are left as they are (set them with lf_err_at). NULL-safe. */
int lf_err_set(lf_err *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Record where the error happened. Any of src/field may be NULL (left unchanged). */
void lf_err_at(lf_err *e, const char *src, long line, long col, const char *field);
void lf_err_id(lf_err *e, const char *id);

/* "file:line:col: [id] field: message" into buf; returns buf. */
char *lf_err_format(const lf_err *e, char *buf, size_t n);

/* Quote one byte for messages: 'a', '\n', '\x01'. buf needs 8 bytes. */
const char *lf_err_byte(unsigned char c, char buf[8]);

#endif
