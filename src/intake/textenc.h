/*
 * textenc: detect the character encoding of an uploaded inventory file and convert it to
 * UTF-8, before any format reader sees it. Agencies export on Windows and Linux, so a
 * file is UTF-8 (with or without BOM, RFC 3629), UTF-16LE/BE (wmic, PowerShell 5
 * Out-File; RFC 2781), Big5 as Microsoft CP950 (Traditional Chinese Windows) or GB18030
 * (Simplified Chinese Windows; GB 18030-2005). Anything else is rejected whole, with the
 * byte offset of the first bad sequence: a guess would silently corrupt product names.
 *
 * Decision rule, in order:
 *   1. A BOM decides: EF BB BF = UTF-8 (BOM), FF FE = UTF-16LE, FE FF = UTF-16BE.
 *   2. A file containing NUL bytes whose first 64 KiB look like UTF-16 (at least a quarter
 *      of the 16-bit units have one zero byte, nearly always on the same side: ASCII-heavy
 *      text such as wmic output redirected without BOM) is UTF-16 of that byte order.
 *   3. Strict UTF-8 (no overlongs, no surrogates, <= U+10FFFF, no NUL) is UTF-8; pure
 *      ASCII is UTF-8. This path is a byte loop with an 8-byte ASCII fast path, no iconv.
 *   4. Otherwise CP950 and GB18030 (glibc iconv) are both tried. Their byte ranges overlap
 *      (nearly every Big5 pair is also a valid GB18030 pair, and GB2312 text is usually
 *      valid CP950), so each is decoded on the first 1 MiB and scored: per decoded
 *      non-ASCII character +1 when it is one of ~900 frequent characters of its script
 *      (Traditional for CP950, Simplified for GB18030, including software vocabulary such
 *      as 軟體/软件, 程式/程序, 驅動/驱动), -1 when it is implausible in Chinese text
 *      (private use area, kana, Greek, Cyrillic, pinyin letters, box drawing, bopomofo,
 *      vertical forms, radicals, CJK extension A, beyond the BMP), 0 otherwise, and -1/4
 *      when its code is in the rarely used part of the encoding (Big5 level 2; for
 *      GB18030 anything outside GB2312), where text read in the wrong encoding lands far
 *      more often than real text; the score is that sum divided by the character count.
 *      An encoding that is valid for the whole file beats one that is not; between two
 *      valid ones the higher score wins, a tie goes to CP950 (the platform serves Taiwan).
 *   Embedded NUL bytes are an error in all but UTF-16; a lone 0x80 (which glibc's CP950
 *   maps to the C1 control U+0080) is an error for CP950; U+0000 is an error in UTF-16.
 *
 * Errors: LF_EPARSE with err->col = byte offset + 1 of the first bad sequence under the
 * most plausible encoding: UTF-8 when it decoded at least one multi-byte character and
 * got at least as far as the better-scoring legacy encoding, else that legacy encoding.
 * The message names every encoding tried and why each failed, e.g. "not UTF-8 (invalid
 * byte 0xff at offset 3), not UTF-16 (no BOM), not Big5/CP950 (invalid sequence 0xff at
 * offset 3), not GB18030 (invalid sequence 0xff at offset 3)". err->line stays 0.
 *
 * Known limits:
 *   - Valid UTF-8 always wins, so a very short Big5/GB18030 text that happens to be valid
 *     UTF-8 (e.g. the two bytes C4 A3) is taken as UTF-8.
 *   - UTF-16 without BOM is only recognised when ASCII-heavy; CJK-only UTF-16 without BOM
 *     is rejected. UTF-32 is not supported.
 *   - Big5 vs GB18030 is statistical: a name of one or two characters outside the tables
 *     can score a tie (CP950 wins) or go the wrong way. GB18030 text written in
 *     Traditional characters scores low as GB18030. Pass `forced` when the source is known.
 *   - CP950 end-user-defined characters outside C6A1-C8FE and Big5-HKSCS extensions are
 *     rejected (glibc's CP950 lacks them); C6A1-C8FE decode to the private use area.
 *
 * Ownership: *out is malloc'd by lf_textenc_to_utf8 and free()d by the caller; it is NULL
 * on failure.
 */
#ifndef LF_INTAKE_TEXTENC_H
#define LF_INTAKE_TEXTENC_H

#include <stddef.h>

#include "core/err.h"

typedef enum {
    LF_ENC_UTF8 = 0,
    LF_ENC_UTF8_BOM,
    LF_ENC_UTF16LE,
    LF_ENC_UTF16BE,
    LF_ENC_BIG5,      /* Microsoft CP950 */
    LF_ENC_GB18030,   /* also covers GBK, CP936 and GB2312 */
} lf_textenc;

/* Largest input accepted (1 GiB); larger inputs fail with LF_ELIMIT. */
#define LF_TEXTENC_MAX_INPUT ((size_t)1 << 30)

/* "UTF-8", "UTF-8 (BOM)", "UTF-16LE", "UTF-16BE", "Big5 (CP950)", "GB18030";
 * "unknown" for any other value. Never NULL. */
const char *lf_textenc_name(lf_textenc e);

/* Parse a --encoding value, ignoring case, '-', '_' and spaces: utf-8, utf-8-bom (or
 * utf-8-sig), utf-16le, utf-16be, utf-16 / unicode (little-endian, as Windows means it),
 * big5, cp950, ms950, windows-950, gb18030, gbk, gb2312, cp936, ms936, windows-936,
 * euc-cn. Returns the lf_textenc value, or -1 for an unknown or NULL name ("auto" is the
 * caller's business: pass forced = -1). */
int lf_textenc_parse(const char *name);

/* Detect (forced < 0) or use the encoding `forced` (an lf_textenc) and convert
 * data[0..len) to UTF-8 without BOM, NUL-terminated, into *out (OUT, caller frees) of
 * *outlen bytes (OUT, without the terminator); *detected (OUT, may be NULL) says what was
 * used. A forced UTF-8 skips a UTF-8 BOM and reports LF_ENC_UTF8_BOM when there was one;
 * a forced UTF-16 lets a BOM of either byte order decide, since a BOM in the data is more
 * reliable than an option. src names the input in err (NULL allowed).
 * Returns LF_OK, LF_EPARSE (not in any candidate encoding; see the header comment),
 * LF_ELIMIT (len > LF_TEXTENC_MAX_INPUT), LF_EINVAL (bad arguments), LF_EFORMAT (iconv
 * lacks CP950 or GB18030), LF_ENOMEM. */
int lf_textenc_to_utf8(const char *src, const unsigned char *data, size_t len, int forced,
                       char **out, size_t *outlen, lf_textenc *detected, lf_err *err);

#endif
