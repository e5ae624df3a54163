/*
 * csv: Excel-rules CSV/TSV tokenizer and the agency / PowerShell Export-Csv inventory
 * reader (see csv.h for the rules and the header table).
 */
#include "intake/csv.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"

#define SNIFF_BYTES 4096

/* ---- tokenizer ------------------------------------------------------------------ */

void lf_csv_init(lf_csv *c, const char *text, size_t len, size_t start, long line, char delim)
{
    memset(c, 0, sizeof(*c));
    c->text = text;
    c->len = len;
    c->pos = start < len ? start : len;
    c->line = line > 0 ? line : 1;
    c->delim = delim ? delim : ',';
    lf_buf_init(&c->bytes, LF_CSV_MAX_ROW);
}

void lf_csv_clear(lf_csv *c)
{
    lf_buf_clear(&c->bytes);
    free(c->off);
    free(c->flen);
    free(c->ptr);
    memset(c, 0, sizeof(*c));
}

/* Column of text[at] in characters (UTF-8 lead bytes) from line_start, 1-based: what an
 * editor shows, so a message can be followed with any text editor. */
static long char_col(const char *text, size_t line_start, size_t at)
{
    long col = 1;
    for (size_t i = line_start; i < at; i++)
        if (((unsigned char)text[i] & 0xc0) != 0x80)
            col++;
    return col;
}

typedef struct tok {
    bool over;           /* row exceeded a limit: keep scanning, stop storing */
    size_t field_start;  /* offset in bytes of the current field */
} tok;

/* Append to the current field; a limit only marks the row, memory failure is fatal. */
static int put(lf_csv *c, tok *t, const char *p, size_t n)
{
    if (t->over || n == 0)
        return LF_OK;
    int rc = lf_buf_append(&c->bytes, p, n);
    if (rc == LF_ELIMIT) {
        t->over = true;
        return LF_OK;
    }
    return rc;
}

/* Close the current field: its NUL, its length, its offset. */
static int end_field(lf_csv *c, tok *t)
{
    if (t->over)
        return LF_OK;
    if (c->nfields == LF_CSV_MAX_FIELDS) {
        t->over = true;
        return LF_OK;
    }
    if (c->nfields == c->cap) {
        size_t nc = c->cap ? c->cap * 2 : 16;
        size_t *no = realloc(c->off, nc * sizeof(*no));
        if (!no)
            return LF_ENOMEM;
        c->off = no;
        size_t *nl = realloc(c->flen, nc * sizeof(*nl));
        if (!nl)
            return LF_ENOMEM;
        c->flen = nl;
        const char **np = realloc(c->ptr, nc * sizeof(*np));
        if (!np)
            return LF_ENOMEM;
        c->ptr = np;
        c->cap = nc;
    }
    size_t flen = c->bytes.len - t->field_start;
    int rc = lf_buf_putc(&c->bytes, '\0');
    if (rc == LF_ELIMIT) {
        t->over = true;
        return LF_OK;
    }
    if (rc)
        return rc;
    c->off[c->nfields] = t->field_start;
    c->flen[c->nfields] = flen;
    c->nfields++;
    t->field_start = c->bytes.len;
    return LF_OK;
}

/* Drop '\r's that end the current field at a line end (CRLF, wmic's CR CR LF). */
static void strip_cr(lf_csv *c, tok *t)
{
    if (t->over)
        return;
    while (c->bytes.len > t->field_start && c->bytes.data[c->bytes.len - 1] == '\r')
        c->bytes.len--;
}

int lf_csv_next(lf_csv *c, lf_csv_row *row, lf_err *err)
{
    const char *s = c->text;
    size_t len = c->len;
    memset(row, 0, sizeof(*row));
    if (c->pos >= len)
        return 0;
    lf_buf_reset(&c->bytes);
    c->nfields = 0;
    tok t = {false, 0};
    int rc;
    row->line = c->line;
    size_t line_start = c->pos;
    if (len - c->pos >= 3 && !memcmp(s + c->pos, "\xef\xbb\xbf", 3))
        c->pos += 3;
    for (;;) {
        if (c->pos < len && s[c->pos] == '"') {
            /* quoted field */
            long qline = c->line;
            size_t qpos = c->pos;
            size_t qline_start = line_start;
            c->pos++;
            for (;;) {
                const char *q = memchr(s + c->pos, '"', len - c->pos);
                if (!q) {
                    lf_err_set(err, LF_EPARSE,
                               "unterminated quote: the quoted field opened at line %ld column %ld runs to the end "
                               "of the file",
                               qline, char_col(s, qline_start, qpos));
                    lf_err_at(err, NULL, qline, char_col(s, qline_start, qpos), NULL);
                    /* resume on the line after the opening quote, so later good rows survive */
                    const char *nl = memchr(s + qpos, '\n', len - qpos);
                    c->pos = nl ? (size_t)(nl - s) + 1 : len;
                    c->line = qline + (nl ? 1 : 0);
                    return LF_EPARSE;
                }
                size_t qi = (size_t)(q - s);
                for (const char *nl = memchr(s + c->pos, '\n', qi - c->pos); nl;
                     nl = memchr(nl + 1, '\n', qi - (size_t)(nl + 1 - s))) {
                    c->line++;
                    line_start = (size_t)(nl - s) + 1;
                }
                if ((rc = put(c, &t, s + c->pos, qi - c->pos)))
                    return lf_err_set(err, rc, "out of memory");
                c->pos = qi + 1;
                if (c->pos < len && s[c->pos] == '"') {
                    if ((rc = put(c, &t, "\"", 1)))
                        return lf_err_set(err, rc, "out of memory");
                    c->pos++;
                    continue;
                }
                break;
            }
        }
        /* unquoted field, or what follows a closing quote (kept literally, as Excel does) */
        size_t b = c->pos;
        while (c->pos < len && s[c->pos] != c->delim && s[c->pos] != '\n')
            c->pos++;
        if ((rc = put(c, &t, s + b, c->pos - b)))
            return lf_err_set(err, rc, "out of memory");
        if (c->pos < len && s[c->pos] == c->delim) {
            c->pos++;
            if ((rc = end_field(c, &t)))
                return lf_err_set(err, rc, "out of memory");
            continue;
        }
        strip_cr(c, &t);
        if ((rc = end_field(c, &t)))
            return lf_err_set(err, rc, "out of memory");
        if (c->pos < len) {   /* the '\n' */
            c->pos++;
            c->line++;
        }
        break;
    }
    if (t.over) {
        lf_err_set(err, LF_ELIMIT, "row longer than %zu bytes or %d fields", LF_CSV_MAX_ROW, LF_CSV_MAX_FIELDS);
        lf_err_at(err, NULL, row->line, 0, NULL);
        return LF_ELIMIT;
    }
    for (size_t i = 0; i < c->nfields; i++)
        c->ptr[i] = c->bytes.data + c->off[i];
    row->field = c->ptr;
    row->len = c->flen;
    row->n = c->nfields;
    return 1;
}

char lf_csv_detect_delim(const char *line, size_t len)
{
    size_t tab = 0, semi = 0, comma = 0;
    bool inq = false;
    for (size_t i = 0; i < len && line[i] != '\n'; i++) {
        char ch = line[i];
        if (ch == '"')
            inq = !inq;   /* "" toggles twice: still right */
        else if (!inq && ch == '\t')
            tab++;
        else if (!inq && ch == ';')
            semi++;
        else if (!inq && ch == ',')
            comma++;
    }
    if (tab && tab >= semi && tab >= comma)
        return '\t';
    if (semi && semi >= comma)
        return ';';
    return ',';
}

/* ---- header roles --------------------------------------------------------------- */

typedef struct role_key {
    const char *key;   /* normalised: ASCII lower case, no spaces or _-.:* */
    lf_csv_role role;
} role_key;

static const role_key ROLE_KEYS[] = {
    {"主機名稱", LF_CSV_ROLE_HOST}, {"主機", LF_CSV_ROLE_HOST}, {"主機名", LF_CSV_ROLE_HOST},
    {"電腦名稱", LF_CSV_ROLE_HOST}, {"電腦", LF_CSV_ROLE_HOST}, {"电脑名称", LF_CSV_ROLE_HOST},
    {"电脑", LF_CSV_ROLE_HOST}, {"設備名稱", LF_CSV_ROLE_HOST},
    {"设备名称", LF_CSV_ROLE_HOST}, {"主机名", LF_CSV_ROLE_HOST}, {"主机名称", LF_CSV_ROLE_HOST},
    {"主机", LF_CSV_ROLE_HOST}, {"计算机名", LF_CSV_ROLE_HOST}, {"计算机名称", LF_CSV_ROLE_HOST},
    {"计算机", LF_CSV_ROLE_HOST}, {"hostname", LF_CSV_ROLE_HOST}, {"host", LF_CSV_ROLE_HOST},
    {"computer", LF_CSV_ROLE_HOST}, {"computername", LF_CSV_ROLE_HOST}, {"pscomputername", LF_CSV_ROLE_HOST},
    {"node", LF_CSV_ROLE_HOST}, {"machine", LF_CSV_ROLE_HOST}, {"machinename", LF_CSV_ROLE_HOST},
    {"devicename", LF_CSV_ROLE_HOST},

    {"ip", LF_CSV_ROLE_IP}, {"ip位址", LF_CSV_ROLE_IP}, {"ip地址", LF_CSV_ROLE_IP}, {"ip位置", LF_CSV_ROLE_IP},
    {"ipaddress", LF_CSV_ROLE_IP}, {"ipv4", LF_CSV_ROLE_IP}, {"ipv4address", LF_CSV_ROLE_IP},

    {"作業系統", LF_CSV_ROLE_OS}, {"操作系統", LF_CSV_ROLE_OS}, {"操作系统", LF_CSV_ROLE_OS},
    {"作业系统", LF_CSV_ROLE_OS}, {"os", LF_CSV_ROLE_OS}, {"osname", LF_CSV_ROLE_OS},
    {"operatingsystem", LF_CSV_ROLE_OS},

    {"軟體名稱", LF_CSV_ROLE_NAME}, {"軟件名稱", LF_CSV_ROLE_NAME}, {"软件名称", LF_CSV_ROLE_NAME},
    {"軟體", LF_CSV_ROLE_NAME}, {"软件", LF_CSV_ROLE_NAME}, {"資產名稱", LF_CSV_ROLE_NAME},
    {"资产名称", LF_CSV_ROLE_NAME}, {"名稱", LF_CSV_ROLE_NAME}, {"名称", LF_CSV_ROLE_NAME},
    {"產品名稱", LF_CSV_ROLE_NAME}, {"产品名称", LF_CSV_ROLE_NAME}, {"程式名稱", LF_CSV_ROLE_NAME},
    {"程序名称", LF_CSV_ROLE_NAME}, {"應用程式名稱", LF_CSV_ROLE_NAME}, {"应用程序名称", LF_CSV_ROLE_NAME},
    {"displayname", LF_CSV_ROLE_NAME}, {"name", LF_CSV_ROLE_NAME}, {"software", LF_CSV_ROLE_NAME},
    {"softwarename", LF_CSV_ROLE_NAME}, {"product", LF_CSV_ROLE_NAME}, {"productname", LF_CSV_ROLE_NAME},
    {"application", LF_CSV_ROLE_NAME}, {"caption", LF_CSV_ROLE_NAME},

    {"版本", LF_CSV_ROLE_VERSION}, {"版本號", LF_CSV_ROLE_VERSION}, {"版本号", LF_CSV_ROLE_VERSION},
    {"軟體版本", LF_CSV_ROLE_VERSION}, {"软件版本", LF_CSV_ROLE_VERSION}, {"displayversion", LF_CSV_ROLE_VERSION},
    {"version", LF_CSV_ROLE_VERSION}, {"softwareversion", LF_CSV_ROLE_VERSION},
    {"productversion", LF_CSV_ROLE_VERSION},

    {"廠商", LF_CSV_ROLE_VENDOR}, {"厂商", LF_CSV_ROLE_VENDOR}, {"發行者", LF_CSV_ROLE_VENDOR},
    {"发行者", LF_CSV_ROLE_VENDOR}, {"發布者", LF_CSV_ROLE_VENDOR}, {"发布者", LF_CSV_ROLE_VENDOR},
    {"發行商", LF_CSV_ROLE_VENDOR}, {"发行商", LF_CSV_ROLE_VENDOR}, {"供應商", LF_CSV_ROLE_VENDOR},
    {"供应商", LF_CSV_ROLE_VENDOR}, {"製造商", LF_CSV_ROLE_VENDOR}, {"制造商", LF_CSV_ROLE_VENDOR},
    {"開發商", LF_CSV_ROLE_VENDOR}, {"开发商", LF_CSV_ROLE_VENDOR}, {"publisher", LF_CSV_ROLE_VENDOR},
    {"vendor", LF_CSV_ROLE_VENDOR}, {"manufacturer", LF_CSV_ROLE_VENDOR},

    {"安裝日期", LF_CSV_ROLE_INSTALL_DATE}, {"安装日期", LF_CSV_ROLE_INSTALL_DATE},
    {"安裝時間", LF_CSV_ROLE_INSTALL_DATE}, {"安装时间", LF_CSV_ROLE_INSTALL_DATE},
    {"installdate", LF_CSV_ROLE_INSTALL_DATE}, {"installedon", LF_CSV_ROLE_INSTALL_DATE},
};

const char *lf_csv_role_name(lf_csv_role r)
{
    static const char *const names[LF_CSV_NROLES] = {"", "host", "ip", "os", "name", "version", "vendor",
                                                     "install_date"};
    return (unsigned)r < LF_CSV_NROLES ? names[r] : "";
}

/* Bytes of a character dropped when normalising a header cell, 0 when kept. */
static size_t ignorable(const unsigned char *p, size_t n)
{
    if (*p == ' ' || *p == '\t' || *p == '_' || *p == '-' || *p == '.' || *p == ':' || *p == '*' || *p == '"' ||
        *p == '\r' || *p == '\n')
        return 1;
    if (n >= 2 && p[0] == 0xc2 && p[1] == 0xa0)   /* U+00A0 no-break space */
        return 2;
    if (n >= 3 && p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80)   /* U+3000 ideographic space */
        return 3;
    if (n >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf)   /* U+FEFF: BOM remnant */
        return 3;
    if (n >= 3 && p[0] == 0xef && p[1] == 0xbc && p[2] == 0x9a)   /* U+FF1A full-width colon */
        return 3;
    return 0;
}

/* Bytes of an opening bracket ( （ [ 【 at p, 0 if none; *close gets the closer. */
static size_t opener(const unsigned char *p, size_t n, const char **close)
{
    if (*p == '(') {
        *close = ")";
        return 1;
    }
    if (*p == '[') {
        *close = "]";
        return 1;
    }
    if (n >= 3 && p[0] == 0xef && p[1] == 0xbc && p[2] == 0x88) {
        *close = "\xef\xbc\x89";
        return 3;
    }
    if (n >= 3 && p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x90) {
        *close = "\xe3\x80\x91";
        return 3;
    }
    return 0;
}

static lf_csv_role lookup(const char *raw, size_t n)
{
    char key[128];
    size_t k = 0;
    const unsigned char *p = (const unsigned char *)raw;
    for (size_t i = 0; i < n;) {
        size_t skip = ignorable(p + i, n - i);
        if (skip) {
            i += skip;
            continue;
        }
        if (k + 1 >= sizeof key)
            return LF_CSV_ROLE_NONE;
        char ch = (char)p[i++];
        if (ch >= 'A' && ch <= 'Z')
            ch = (char)(ch - 'A' + 'a');
        key[k++] = ch;
    }
    if (!k)
        return LF_CSV_ROLE_NONE;
    key[k] = '\0';
    for (size_t i = 0; i < sizeof ROLE_KEYS / sizeof ROLE_KEYS[0]; i++)
        if (!strcmp(key, ROLE_KEYS[i].key))
            return ROLE_KEYS[i].role;
    return LF_CSV_ROLE_NONE;
}

lf_csv_role lf_csv_header_role(const char *cell, size_t len)
{
    if (!cell)
        return LF_CSV_ROLE_NONE;
    lf_csv_role r = lookup(cell, len);
    if (r)
        return r;
    /* "名稱(Name)", "Version （版本）": the text before the bracket, then inside it */
    const unsigned char *p = (const unsigned char *)cell;
    for (size_t i = 0; i < len; i++) {
        const char *close;
        size_t ob = opener(p + i, len - i, &close);
        if (!ob)
            continue;
        r = lookup(cell, i);
        if (r)
            return r;
        size_t in = i + ob;
        size_t cl = strlen(close), end = in;
        while (end < len && !(len - end >= cl && !memcmp(cell + end, close, cl)))
            end++;
        return lookup(cell + in, end - in);
    }
    return LF_CSV_ROLE_NONE;
}

/* ---- the reader ----------------------------------------------------------------- */

typedef struct reader {
    const char *src;
    const lf_inv_opts *opts;
    const lf_inv_sink *sink;
    lf_inv_counts *cnt;
    long col[LF_CSV_NROLES];   /* field index of each role, -1 when absent */
    size_t hdr_n;              /* header cells, trailing empty ones dropped */
    char **hdr;                /* header cell copies, to spot a repeated header */
    size_t *hdr_len;
} reader;

static void reject(reader *r, long line, const char *field, const char *msg)
{
    lf_inv_reject(r->sink, r->cnt, r->src, line, field, "%s", msg);
}

static void reject_err(reader *r, lf_err *e)
{
    r->cnt->rejected++;
    if (!r->sink->reject)
        return;
    lf_err_at(e, r->src, e->line, e->col, NULL);
    r->sink->reject(r->sink->ud, e);
}

static bool is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
            return false;
    return true;
}

static size_t eff_fields(const lf_csv_row *row)
{
    size_t n = row->n;
    while (n > 1 && row->len[n - 1] == 0)
        n--;
    return n;
}

static bool is_header_again(const reader *r, const lf_csv_row *row)
{
    size_t n = eff_fields(row);
    if (n != r->hdr_n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (row->len[i] != r->hdr_len[i] || memcmp(row->field[i], r->hdr[i], row->len[i]))
            return false;
    return true;
}

/* A "sep=X" line (Excel writes it, maybe quoted). Returns the delimiter or 0. */
static char sep_line(const char *s, size_t n)
{
    while (n && s[n - 1] == '\r')
        n--;
    if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
        s++;
        n -= 2;
    }
    if (n == 5 && !strncmp(s, "sep=", 4) && (s[4] == ',' || s[4] == ';' || s[4] == '\t' || s[4] == '|'))
        return s[4];
    return 0;
}

static bool type_line(const char *s, size_t n)
{
    return n >= 5 && !memcmp(s, "#TYPE", 5) && (n == 5 || s[5] == ' ' || s[5] == '\r');
}

/* Something a data row has and a header cell does not: a version-like "1.2", only digits. */
static bool looks_like_data(const char *s, size_t n)
{
    if (n == 0)
        return true;
    bool digits = true;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            digits = false;
        if (i + 2 < n && s[i] >= '0' && s[i] <= '9' && s[i + 1] == '.' && s[i + 2] >= '0' && s[i + 2] <= '9')
            return true;
    }
    return digits;
}

/* Preamble: leading blank lines, one "sep=X", one "#TYPE ..." (either order). Sets the
 * offset and line of the header. */
static void preamble(const char *text, size_t len, size_t *pos, long *line, char *delim, size_t *skipped,
                     bool *marked)
{
    bool seen_sep = false, seen_type = false;
    size_t p = 0;
    long ln = 1;
    if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
        p = 3;
    while (p < len) {
        const char *e = memchr(text + p, '\n', len - p);
        size_t n = e ? (size_t)(e - text) - p : len - p;
        char d;
        if (is_blank(text + p, n)) {
            (*skipped)++;
        } else if (!seen_sep && (d = sep_line(text + p, n))) {
            *delim = d;
            seen_sep = true;
            *marked = true;
            (*skipped)++;
        } else if (!seen_type && type_line(text + p, n)) {
            seen_type = true;
            *marked = true;
            (*skipped)++;
        } else {
            break;
        }
        p += n + (e ? 1 : 0);
        ln++;
    }
    *pos = p;
    *line = ln;
}

static const char *field_or_null(const lf_csv_row *row, long col)
{
    if (col < 0 || (size_t)col >= row->n || row->len[col] == 0)
        return NULL;
    return row->field[col];
}

int lf_csv_read(const char *src, const char *text, size_t len, const lf_inv_opts *opts, const lf_inv_sink *sink,
                lf_inv_counts *counts, lf_err *err)
{
    lf_inv_counts tmp_counts;
    lf_inv_opts no_opts = {NULL, NULL};
    if (!counts)
        counts = &tmp_counts;
    memset(counts, 0, sizeof(*counts));
    if (!opts)
        opts = &no_opts;
    if (!src)
        src = "";
    if (!sink || !text) {
        return lf_err_set(err, LF_EINVAL, "csv: no sink or no text");
    }
    reader r = {src, opts, sink, counts, {0}, 0, NULL, NULL};
    for (int i = 0; i < LF_CSV_NROLES; i++)
        r.col[i] = -1;
    lf_arena a;
    lf_arena_init(&a, 1 << 12);
    lf_csv c;
    size_t pos;
    long line;
    char delim = 0;
    size_t skipped = 0;
    bool marked = false;
    preamble(text, len, &pos, &line, &delim, &skipped, &marked);
    if (!delim)
        delim = lf_csv_detect_delim(text + pos, len - pos);
    lf_csv_init(&c, text, len, pos, line, delim);
    int rc;
    lf_csv_row row;
    lf_err e;
    lf_err_clear(&e);

    /* header */
    rc = lf_csv_next(&c, &row, &e);
    if (rc == 0) {
        rc = lf_err_set(err, LF_EFORMAT, "no header row: the file has no data");
        lf_err_at(err, src, line, 0, NULL);
        goto fail;
    }
    if (rc < 0) {
        if (rc != LF_ENOMEM)
            rc = LF_EFORMAT;
        lf_err_set(err, rc, "header row unreadable: %s", e.msg);
        lf_err_at(err, src, e.line ? e.line : line, e.col, NULL);
        goto fail;
    }
    long hdr_line = row.line;
    r.hdr_n = row.n;
    while (r.hdr_n > 1 && row.len[r.hdr_n - 1] == 0)
        r.hdr_n--;
    r.hdr = lf_arena_alloc(&a, r.hdr_n * sizeof(*r.hdr));
    r.hdr_len = lf_arena_alloc(&a, r.hdr_n * sizeof(*r.hdr_len));
    if (!r.hdr || !r.hdr_len)
        goto oom;
    bool any_role = false, data_like = false;
    for (size_t i = 0; i < r.hdr_n; i++) {
        r.hdr[i] = lf_arena_strndup(&a, row.field[i], row.len[i]);
        r.hdr_len[i] = row.len[i];
        if (!r.hdr[i])
            goto oom;
        lf_csv_role role = lf_csv_header_role(row.field[i], row.len[i]);
        if (role) {
            any_role = true;
            if (r.col[role] < 0)
                r.col[role] = (long)i;
        }
        if (looks_like_data(row.field[i], row.len[i]))
            data_like = true;
    }
    if (r.col[LF_CSV_ROLE_NAME] < 0) {
        if (!any_role && data_like) {
            rc = lf_err_set(err, LF_EFORMAT,
                            "the first row looks like data, not a header: add a header row naming the columns "
                            "(a name column such as 軟體名稱, 名稱, DisplayName or Name)");
        } else {
            rc = lf_err_set(err, LF_EFORMAT,
                            "no product-name column in the header (%zu columns, the first \"%.60s\"); expected e.g. "
                            "軟體名稱, 名稱, DisplayName or Name",
                            r.hdr_n, r.hdr[0]);
        }
        lf_err_at(err, src, hdr_line, 0, NULL);
        goto fail;
    }
    counts->skipped = skipped + 1;

    /* data rows */
    for (;;) {
        lf_err_clear(&e);
        rc = lf_csv_next(&c, &row, &e);
        if (rc == 0)
            break;
        if (rc == LF_ENOMEM)
            goto oom;
        if (rc < 0) {
            reject_err(&r, &e);
            continue;
        }
        bool empty = true;
        for (size_t i = 0; i < row.n && empty; i++)
            if (row.len[i])
                empty = false;
        if (empty || is_header_again(&r, &row) ||
            (row.n == 1 && (type_line(row.field[0], row.len[0]) || sep_line(row.field[0], row.len[0])))) {
            counts->skipped++;
            continue;
        }
        size_t n = eff_fields(&row);
        if (n > r.hdr_n) {
            char msg[128];
            snprintf(msg, sizeof msg, "row has %zu fields, the header %zu", n, r.hdr_n);
            reject(&r, row.line, NULL, msg);
            continue;
        }
        bool nul = false;
        for (size_t i = 0; i < row.n && !nul; i++)
            nul = memchr(row.field[i], '\0', row.len[i]) != NULL;
        if (nul) {   /* a C string would silently end there */
            reject(&r, row.line, NULL, "NUL byte in the row");
            continue;
        }
        const char *name = field_or_null(&row, r.col[LF_CSV_ROLE_NAME]);
        if (!name || is_blank(name, row.len[r.col[LF_CSV_ROLE_NAME]])) {
            reject(&r, row.line, r.hdr[r.col[LF_CSV_ROLE_NAME]], "empty name");
            continue;
        }
        lf_inv_rec rec;
        memset(&rec, 0, sizeof(rec));
        rec.host = field_or_null(&row, r.col[LF_CSV_ROLE_HOST]);
        if (!rec.host)
            rec.host = opts->host;
        rec.ip = field_or_null(&row, r.col[LF_CSV_ROLE_IP]);
        rec.os = field_or_null(&row, r.col[LF_CSV_ROLE_OS]);
        if (!rec.os)
            rec.os = opts->os;
        rec.name = name;
        rec.version = field_or_null(&row, r.col[LF_CSV_ROLE_VERSION]);
        rec.vendor = field_or_null(&row, r.col[LF_CSV_ROLE_VENDOR]);
        rec.install_date = field_or_null(&row, r.col[LF_CSV_ROLE_INSTALL_DATE]);
        rec.line = row.line;
        counts->records++;
        if (sink->rec) {
            rc = sink->rec(sink->ud, &rec);
            if (rc)
                goto fail;
        }
    }
    rc = LF_OK;
    goto done;
oom:
    rc = lf_err_set(err, LF_ENOMEM, "out of memory reading %s", src);
fail:
done:
    lf_csv_clear(&c);
    lf_arena_clear(&a);
    return rc;
}

int lf_csv_sniff(const char *text, size_t len)
{
    if (!text)
        return 0;
    if (len > SNIFF_BYTES)
        len = SNIFF_BYTES;
    size_t pos, skipped = 0;
    long line;
    char delim = 0;
    bool marked = false;   /* a sep= or #TYPE line: a spreadsheet export for sure */
    preamble(text, len, &pos, &line, &delim, &skipped, &marked);
    if (!delim)
        delim = lf_csv_detect_delim(text + pos, len - pos);
    lf_csv c;
    lf_csv_init(&c, text, len, pos, line, delim);
    lf_csv_row row;
    int score = 0;
    if (lf_csv_next(&c, &row, NULL) == 1) {
        bool name = false;
        int roles = 0;
        for (size_t i = 0; i < row.n; i++) {
            lf_csv_role r = lf_csv_header_role(row.field[i], row.len[i]);
            if (r == LF_CSV_ROLE_NAME)
                name = true;
            else if (r)
                roles++;
        }
        if (name)
            score = 80 + (roles > 3 ? 3 : roles) * 5;
        else if (roles)
            score = 30;
        else if (row.n > 1)
            score = 10;
        if (marked && score)
            score += 10;
        if (score > 100)
            score = 100;
    }
    lf_csv_clear(&c);
    return score;
}
