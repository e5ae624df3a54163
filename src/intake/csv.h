/*
 * csv: agency spreadsheets and PowerShell Export-Csv files, read by Excel's rules
 * (RFC 4180 plus what Excel and PowerShell actually write), turned into lf_inv_rec.
 *
 * Two layers:
 *   - a reusable tokenizer (lf_csv_init/_next/_clear): one row at a time, fields
 *     unescaped and NUL-terminated, the row's first physical line known;
 *   - the inventory reader lf_csv_read (an lf_inv_reader_fn): header row -> roles,
 *     one record per data row.
 *
 * Tokenizer rules (Excel):
 *   - delimiter ',' '\t' or ';', chosen from the header line by counting each outside
 *     quotes (lf_csv_detect_delim), unless a first line "sep=X" names it;
 *   - a field is quoted when its first byte is '"'; inside, "" is one quote, and
 *     delimiters and newlines (LF or CRLF) are data; bytes after the closing quote up
 *     to the delimiter are kept literally (Excel does the same);
 *   - unquoted fields are kept as written (inner and outer spaces are data: trimming is
 *     name resolution's job) except that trailing '\r's at the end of a line are line
 *     ending (wmic writes CR CR LF);
 *   - a U+FEFF at the start of a row is dropped (a second export appended to the first
 *     brings its BOM along).
 *
 * Reader rules:
 *   - an optional "sep=X" line and a PowerShell "#TYPE ..." line (Export-Csv without
 *     -NoTypeInformation) come first, in either order; leading blank lines are allowed
 *     (wmic /format:csv writes one); all are counted as skipped;
 *   - the first row is the header; each header cell is matched to a role after
 *     dropping a BOM remnant, spaces (ASCII, no-break and ideographic), '_' '-' '.'
 *     ':' '*' and ASCII case; when the whole cell does not match, the text before a
 *     '(' '（' '[' or '【' is tried, then the text inside it ("名稱(Name)",
 *     "Version (版本)"). The table (Traditional, Simplified, English):
 *       host          主機名稱 主機 主機名 電腦名稱 電腦 电脑名称 电脑 設備名稱 设备名称 主机名 主机名称 主机
 *                     计算机名 计算机名称 计算机 hostname host computer computername
 *                     pscomputername node machine machinename devicename
 *       ip            ip ip位址 ip地址 ipaddress ipv4 ipv4address ip位置
 *       os            作業系統 操作系統 操作系统 作业系统 os osname operatingsystem
 *       name          軟體名稱 軟件名稱 软件名称 軟體 软件 資產名稱 资产名称 名稱 名称
 *                     產品名稱 产品名称 程式名稱 程序名称 應用程式名稱 应用程序名称
 *                     displayname name software softwarename product productname
 *                     application caption
 *       version       版本 版本號 版本号 軟體版本 软件版本 displayversion version
 *                     softwareversion productversion
 *       vendor        廠商 厂商 發行者 发行者 發布者 发布者 發行商 发行商 供應商 供应商
 *                     製造商 制造商 開發商 开发商 publisher vendor manufacturer
 *       install_date  安裝日期 安装日期 安裝時間 安装时间 installdate installedon
 *     Other columns (UninstallString, 備註, ...) are ignored. The first column of a role
 *     wins; later columns with the same role are ignored.
 *   - no column with the name role: LF_EFORMAT, nothing delivered (the message says
 *     whether the first row looked like data, i.e. the file has no header at all);
 *   - empty header cells at the end are dropped (Excel's trailing empty column); a row
 *     may then carry extra empty fields;
 *   - every data row is one record (line = its first physical line) or one rejection:
 *     unterminated quote (located where it opened; reading resumes on the next line),
 *     more non-empty fields than the header, an empty (or all-blank) name, a row over
 *     the limits below. Fewer fields than the header is fine (missing fields are NULL);
 *   - skipped, not delivered: blank rows (every field empty, e.g. ",,,"), a row equal to
 *     the header (two exports concatenated), and a repeated "#TYPE" or "sep=" line;
 *   - empty fields are NULL; ecosystem is NULL (an Uninstall key is not always an MSI);
 *     host falls back to opts->host when the row has none.
 *
 * Limits: LF_CSV_MAX_FIELDS fields and LF_CSV_MAX_ROW bytes per row; a longer row is
 * rejected and reading continues after it.
 *
 * Ownership: lf_csv_init/lf_csv_clear bracket a caller-owned lf_csv; the text is borrowed
 * and must outlive it. A row's fields are valid until the next lf_csv_next/_clear.
 */
#ifndef LF_INTAKE_CSV_H
#define LF_INTAKE_CSV_H

#include <stddef.h>

#include "core/buf.h"
#include "core/err.h"
#include "intake/inv.h"

#define LF_CSV_MAX_FIELDS 1024
#define LF_CSV_MAX_ROW ((size_t)1 << 20)

typedef struct lf_csv {
    const char *text;
    size_t len;
    size_t pos;            /* next byte to read */
    long line;             /* 1-based line of pos */
    char delim;
    lf_buf bytes;          /* the current row's fields, each NUL-terminated */
    size_t *off;           /* field start offsets into bytes */
    size_t *flen;
    const char **ptr;
    size_t nfields, cap;
} lf_csv;

typedef struct lf_csv_row {
    const char *const *field;   /* unescaped, NUL-terminated (a field may hold a NUL) */
    const size_t *len;          /* byte length of each field */
    size_t n;                   /* number of fields (>= 1) */
    long line;                  /* 1-based physical line of the row's first byte */
} lf_csv_row;

/* Start tokenizing text[start..len) with the given delimiter; `line` is the 1-based line
 * number of text[start]. */
void lf_csv_init(lf_csv *c, const char *text, size_t len, size_t start, long line, char delim);
void lf_csv_clear(lf_csv *c);

/*
 * The next row: 1 and *row filled, 0 at the end of the text, or a negative code for a
 * row that could not be read, with err located at the problem:
 *   LF_EPARSE  unterminated quote (err->line/col: where it opened); the tokenizer
 *              resumes at the line after the opening quote's line;
 *   LF_ELIMIT  the row has more than LF_CSV_MAX_FIELDS fields or LF_CSV_MAX_ROW bytes;
 *              the tokenizer resumes after the row;
 *   LF_ENOMEM  fatal.
 * After LF_EPARSE/LF_ELIMIT, row->line still says where the bad row began.
 */
int lf_csv_next(lf_csv *c, lf_csv_row *row, lf_err *err);

/* The delimiter of a header line: the most frequent of '\t' ';' ',' outside quotes
 * (ties: tab, then semicolon, then comma); ',' when none occurs. */
char lf_csv_detect_delim(const char *line, size_t len);

/* Column roles of a header cell (see the table above). */
typedef enum {
    LF_CSV_ROLE_NONE = 0,
    LF_CSV_ROLE_HOST,
    LF_CSV_ROLE_IP,
    LF_CSV_ROLE_OS,
    LF_CSV_ROLE_NAME,
    LF_CSV_ROLE_VERSION,
    LF_CSV_ROLE_VENDOR,
    LF_CSV_ROLE_INSTALL_DATE,
    LF_CSV_NROLES
} lf_csv_role;

lf_csv_role lf_csv_header_role(const char *cell, size_t len);
/* "host", "ip", ... ("" for NONE). */
const char *lf_csv_role_name(lf_csv_role r);

/* The reader (lf_inv_reader_fn). */
int lf_csv_read(const char *src, const char *text, size_t len, const lf_inv_opts *opts, const lf_inv_sink *sink,
                lf_inv_counts *counts, lf_err *err);

/* Confidence 0-100 that text is an inventory CSV/TSV (looks at the first 4 KiB). */
int lf_csv_sniff(const char *text, size_t len);

#endif
