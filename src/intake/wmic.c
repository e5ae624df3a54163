/*
 * wmic: `wmic product get ...` tables and /format:csv output (see wmic.h).
 *
 * A table line is cut at the header's column starts, counted in characters. When a
 * line's text runs across a column start (a hand-edited or re-encoded file), that
 * boundary moves to the nearest gap of two or more spaces: wmic's padding.
 */
#include "intake/wmic.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "intake/csv.h"

#define SNIFF_BYTES 4096

typedef struct col {
    size_t start;        /* first character of the column, 0-based, in code points */
    lf_csv_role role;
} col;

static bool is_cont(unsigned char ch)
{
    return (ch & 0xc0) == 0x80;
}

static bool is_ident(char ch)
{
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
}

/* The line at *pos (without '\n' and trailing CR/spaces); advances *pos past it. */
static const char *next_line(const char *text, size_t len, size_t *pos, size_t *n)
{
    const char *s = text + *pos;
    const char *e = memchr(s, '\n', len - *pos);
    size_t k = e ? (size_t)(e - s) : len - *pos;
    *pos += k + (e ? 1 : 0);
    while (k && (s[k - 1] == '\r' || s[k - 1] == ' ' || s[k - 1] == '\t'))
        k--;
    *n = k;
    return s;
}

static bool starts_ci(const char *s, size_t n, const char *w)
{
    size_t k = strlen(w);
    if (n < k)
        return false;
    for (size_t i = 0; i < k; i++) {
        char a = s[i];
        if (a >= 'A' && a <= 'Z')
            a = (char)(a - 'A' + 'a');
        if (a != w[i])
            return false;
    }
    return true;
}

/* "Node,..." first line: the /format:csv layout. */
static bool csv_layout(const char *s, size_t n)
{
    return starts_ci(s, n, "node,");
}

/* Parse the table header into columns; returns the number, 0 when the line is not a
 * wmic header (a non-identifier character, or too many columns). */
static size_t header_cols(const char *s, size_t n, col *cols, long *name_col)
{
    size_t nc = 0;
    *name_col = -1;
    long first_name = -1;
    for (size_t i = 0; i < n;) {
        if (s[i] == ' ') {
            i++;
            continue;
        }
        size_t b = i;
        while (i < n && s[i] != ' ') {
            if (!is_ident(s[i]))
                return 0;
            i++;
        }
        if (nc == LF_WMIC_MAX_COLS)
            return 0;
        cols[nc].start = b;   /* ASCII only, so bytes are characters */
        cols[nc].role = lf_csv_header_role(s + b, i - b);
        if (cols[nc].role == LF_CSV_ROLE_NAME) {
            if (i - b == 4 && starts_ci(s + b, 4, "name"))
                *name_col = (long)nc;
            else if (first_name < 0)
                first_name = (long)nc;
        }
        nc++;
    }
    if (*name_col < 0)
        *name_col = first_name;
    return nc;
}

/* Byte offsets of a line's characters: cp[i] is where character i starts, cp[ncp] == n.
 * Grown as needed and reused from line to line. */
typedef struct cpmap {
    size_t *cp;
    size_t cap;
    size_t ncp;
} cpmap;

static int cpmap_build(cpmap *m, const char *s, size_t n)
{
    if (n + 1 > m->cap) {
        size_t nc = m->cap ? m->cap : 256;
        while (nc < n + 1)
            nc *= 2;
        size_t *p = realloc(m->cp, nc * sizeof(*p));
        if (!p)
            return LF_ENOMEM;
        m->cp = p;
        m->cap = nc;
    }
    m->ncp = 0;
    for (size_t i = 0; i < n; i++)
        if (!is_cont((unsigned char)s[i]))
            m->cp[m->ncp++] = i;
    m->cp[m->ncp] = n;
    return LF_OK;
}

static bool sp_at(const cpmap *m, const char *s, size_t i)
{
    return s[m->cp[i]] == ' ';
}

/* Where a column starting at character b really starts on a line whose text runs across
 * b (a misaligned line): the end of the nearest gap of two or more spaces, after lo, or
 * b itself when there is none. */
static size_t snap(const cpmap *m, const char *s, size_t lo, size_t b)
{
    size_t best = b, dist = (size_t)-1;
    for (size_t g = lo + 2; g < m->ncp; g++) {
        if (!sp_at(m, s, g) && sp_at(m, s, g - 1) && sp_at(m, s, g - 2)) {
            size_t d = g > b ? g - b : b - g;
            if (d < dist) {
                dist = d;
                best = g;
            }
        }
    }
    return best;
}

/* Column boundaries of one data line, in characters: bnd[k] .. bnd[k+1] is column k. */
static void boundaries(const cpmap *m, const char *s, const col *cols, size_t nc, size_t *bnd)
{
    bnd[0] = 0;
    for (size_t k = 1; k < nc; k++) {
        size_t b = cols[k].start < m->ncp ? cols[k].start : m->ncp;
        if (b > 0 && b < m->ncp && !sp_at(m, s, b - 1) && !sp_at(m, s, b))
            b = snap(m, s, bnd[k - 1], b);   /* a word across the column start */
        bnd[k] = b < bnd[k - 1] ? bnd[k - 1] : b;
    }
    bnd[nc] = m->ncp;
}

typedef struct msi_fwd {
    const lf_inv_sink *sink;
} msi_fwd;

/* The CSV layout's records get ecosystem "msi" like the table's. */
static int fwd_rec(void *ud, const lf_inv_rec *r)
{
    msi_fwd *f = ud;
    lf_inv_rec copy = *r;
    copy.ecosystem = "msi";
    return f->sink->rec ? f->sink->rec(f->sink->ud, &copy) : 0;
}

static void fwd_reject(void *ud, const lf_err *e)
{
    msi_fwd *f = ud;
    if (f->sink->reject)
        f->sink->reject(f->sink->ud, e);
}

static void reject(const char *src, const lf_inv_sink *sink, lf_inv_counts *cnt, long line, const char *field,
                   const char *msg)
{
    lf_inv_reject(sink, cnt, src, line, field, "%s", msg);
}

int lf_wmic_read(const char *src, const char *text, size_t len, const lf_inv_opts *opts, const lf_inv_sink *sink,
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
    if (!sink || !text)
        return lf_err_set(err, LF_EINVAL, "wmic: no sink or no text");

    size_t pos = 0, n = 0;
    long line = 0;
    size_t blank = 0;
    const char *s = NULL;
    if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
        pos = 3;
    while (pos < len) {
        s = next_line(text, len, &pos, &n);
        line++;
        if (n)
            break;
        blank++;
    }
    if (!n) {
        lf_err_set(err, LF_EFORMAT, "no wmic header line: the text is empty");
        lf_err_at(err, src, line, 0, NULL);
        return LF_EFORMAT;
    }
    if (csv_layout(s, n)) {
        msi_fwd f = {sink};
        lf_inv_sink fs = {fwd_rec, fwd_reject, &f};
        return lf_csv_read(src, text, len, opts, &fs, counts, err);
    }
    col cols[LF_WMIC_MAX_COLS];
    long name_col;
    size_t nc = n <= LF_WMIC_MAX_LINE ? header_cols(s, n, cols, &name_col) : 0;
    if (!nc || name_col < 0) {
        int shown = (int)(n < 80 ? n : 80);   /* the line is not NUL-terminated */
        lf_err_set(err, LF_EFORMAT,
                   nc ? "no Name column in the wmic header \"%.*s\"" : "not a wmic header line: \"%.*s\"", shown,
                   s);
        lf_err_at(err, src, line, 0, NULL);
        return LF_EFORMAT;
    }
    counts->skipped = blank + 1;

    lf_buf vals;
    lf_buf_init(&vals, 0);
    int rc = LF_OK;
    size_t off[LF_WMIC_MAX_COLS], bnd[LF_WMIC_MAX_COLS + 1];
    cpmap m = {NULL, 0, 0};
    while (pos < len) {
        s = next_line(text, len, &pos, &n);
        line++;
        if (!n) {
            counts->skipped++;
            continue;
        }
        if (memchr(s, '\0', n)) {   /* a C string would silently end there */
            reject(src, sink, counts, line, NULL, "NUL byte in the line");
            continue;
        }
        if (n > LF_WMIC_MAX_LINE) {
            char msg[96];
            snprintf(msg, sizeof msg, "line longer than %zu bytes", LF_WMIC_MAX_LINE);
            reject(src, sink, counts, line, NULL, msg);
            continue;
        }
        if (cpmap_build(&m, s, n)) {
            rc = lf_err_set(err, LF_ENOMEM, "out of memory reading %s", src);
            goto fail;
        }
        boundaries(&m, s, cols, nc, bnd);
        lf_buf_reset(&vals);
        for (size_t k = 0; k < nc; k++) {
            size_t b = m.cp[bnd[k]];
            size_t e = m.cp[bnd[k + 1]];
            /* the padding around a value is layout, not data */
            while (b < e && s[b] == ' ')
                b++;
            while (e > b && s[e - 1] == ' ')
                e--;
            off[k] = vals.len;
            if ((rc = lf_buf_append(&vals, s + b, e - b)) || (rc = lf_buf_putc(&vals, '\0'))) {
                rc = lf_err_set(err, LF_ENOMEM, "out of memory reading %s", src);
                goto fail;
            }
        }
        const char *v[LF_WMIC_MAX_COLS];
        for (size_t k = 0; k < nc; k++)
            v[k] = vals.data[off[k]] ? vals.data + off[k] : NULL;
        if (!v[name_col]) {
            reject(src, sink, counts, line, "Name", "empty Name");
            continue;
        }
        lf_inv_rec rec;
        memset(&rec, 0, sizeof(rec));
        /* the first column of each role wins, as in the CSV reader */
        const char **slot[LF_CSV_NROLES] = {NULL};
        slot[LF_CSV_ROLE_HOST] = &rec.host;
        slot[LF_CSV_ROLE_IP] = &rec.ip;
        slot[LF_CSV_ROLE_OS] = &rec.os;
        slot[LF_CSV_ROLE_VERSION] = &rec.version;
        slot[LF_CSV_ROLE_VENDOR] = &rec.vendor;
        slot[LF_CSV_ROLE_INSTALL_DATE] = &rec.install_date;
        for (size_t k = 0; k < nc; k++)
            if (slot[cols[k].role] && !*slot[cols[k].role])
                *slot[cols[k].role] = v[k];
        rec.name = v[name_col];
        if (!rec.host)
            rec.host = opts->host;
        if (!rec.os)
            rec.os = opts->os;
        rec.ecosystem = "msi";
        rec.line = line;
        counts->records++;
        if (sink->rec && (rc = sink->rec(sink->ud, &rec)))
            goto fail;
    }
    rc = LF_OK;
fail:
    free(m.cp);
    lf_buf_clear(&vals);
    return rc;
}

int lf_wmic_sniff(const char *text, size_t len)
{
    if (!text)
        return 0;
    if (len > SNIFF_BYTES)
        len = SNIFF_BYTES;
    size_t pos = 0, n = 0;
    const char *s = NULL;
    if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
        pos = 3;
    size_t line_start = pos;
    while (pos < len) {
        line_start = pos;
        s = next_line(text, len, &pos, &n);
        if (n)
            break;
    }
    if (!n)
        return 0;
    if (csv_layout(s, n)) {
        for (size_t i = 0; i + 6 <= n; i++)
            if (starts_ci(s + i, n - i, ",name,") || (i + 5 == n && starts_ci(s + i, 5, ",name")))
                return 98;   /* above the CSV reader's score for the same header */
        return 40;
    }
    col cols[LF_WMIC_MAX_COLS];
    long name_col;
    size_t nc = header_cols(s, n, cols, &name_col);
    if (!nc || name_col < 0)
        return 0;
    /* wmic pads every column, the last one included, and ends lines with CR CR LF */
    const char *raw_end = memchr(text + line_start, '\n', len - line_start);
    bool padded = raw_end && (size_t)(raw_end - text) > line_start + n && text[line_start + n] == ' ';
    bool crcr = raw_end && raw_end - text >= 2 && raw_end[-1] == '\r' && raw_end[-2] == '\r';
    int score = nc > 1 ? 70 : 40;
    if (padded)
        score += 10;
    if (crcr)
        score += 15;
    return score > 100 ? 100 : score;
}
