/*
 * err: error codes table and formatting (see err.h).
 */
#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *lf_strerror_name(int code)
{
    switch (code) {
    case LF_OK: return "LF_OK";
#define LF_ERR_NAME(name, val, msg) case LF_##name: return "LF_" #name;
    LF_ERRNO_MAP(LF_ERR_NAME)
#undef LF_ERR_NAME
    default: return "LF_EUNKNOWN";
    }
}

const char *lf_strerror(int code)
{
    switch (code) {
    case LF_OK: return "success";
#define LF_ERR_MSG(name, val, msg) case LF_##name: return msg;
    LF_ERRNO_MAP(LF_ERR_MSG)
#undef LF_ERR_MSG
    default: return "unknown error";
    }
}

void lf_err_clear(lf_err *e)
{
    if (!e)
        return;
    memset(e, 0, sizeof(*e));
}

int lf_err_set(lf_err *e, int code, const char *fmt, ...)
{
    if (!e)
        return code;
    e->code = code;
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
        va_end(ap);
    } else {
        snprintf(e->msg, sizeof(e->msg), "%s", lf_strerror(code));
    }
    return code;
}

void lf_err_at(lf_err *e, const char *src, long line, long col, const char *field)
{
    if (!e)
        return;
    if (src)
        snprintf(e->src, sizeof(e->src), "%s", src);
    e->line = line;
    e->col = col;
    if (field)
        snprintf(e->field, sizeof(e->field), "%s", field);
}

void lf_err_id(lf_err *e, const char *id)
{
    if (e && id)
        snprintf(e->id, sizeof(e->id), "%s", id);
}

char *lf_err_format(const lf_err *e, char *buf, size_t n)
{
    size_t off = 0;
    if (!buf || n == 0)
        return buf;
    buf[0] = '\0';
    if (!e)
        return buf;
#define APP(...) do { int r_ = snprintf(buf + off, n - off, __VA_ARGS__); \
        if (r_ > 0) off += ((size_t)r_ < n - off) ? (size_t)r_ : n - off - 1; } while (0)
    if (e->src[0]) {
        APP("%s", e->src);
        if (e->line > 0)
            APP(":%ld", e->line);
        if (e->col > 0 && e->line > 0)
            APP(":%ld", e->col);
        else if (e->col > 0)
            APP(": byte %ld", e->col - 1);   /* binary input: col is the offset + 1 */
        APP(": ");
    }
    if (e->id[0])
        APP("%s: ", e->id);
    if (e->field[0])
        APP("%s: ", e->field);
    APP("%s", e->msg[0] ? e->msg : lf_strerror(e->code));
#undef APP
    return buf;
}

const char *lf_err_byte(unsigned char c, char buf[8])
{
    if (c == '\n')
        snprintf(buf, 8, "'\\n'");
    else if (c == '\t')
        snprintf(buf, 8, "'\\t'");
    else if (c == '\r')
        snprintf(buf, 8, "'\\r'");
    else if (c == '\'')
        snprintf(buf, 8, "'\\''");
    else if (c < 0x20 || c >= 0x7f)
        snprintf(buf, 8, "'\\x%02x'", c);
    else
        snprintf(buf, 8, "'%c'", c);
    return buf;
}
