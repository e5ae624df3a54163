/*
 * version: ordering of software version strings as they appear in NVD criteria and
 * agency inventories (not a distribution's own order: dpkg/rpm orders live in their own
 * modules). The rules are documented in full below and tested in
 * tests/unit/vans/test_version.c.
 *
 * RULES
 *
 * R1  Input. Only the first LF_VERSION_MAX bytes take part, in every function here.
 *     NULL is the empty string. lf_version_cmp reads up to the first NUL; the (pointer,
 *     length) functions read exactly the bytes given (a NUL inside is a separator).
 *
 * R2  Tokens. A version is read as maximal runs of ASCII digits (numbers) and ASCII
 *     letters (words, case-insensitive). Every other byte is a separator: . - _ ~ : ,
 *     / \ space, parentheses (Cisco 9.16(4)48 == 9.16.4.48, Zyxel 5.21(AAZF.7)C0, CPE
 *     escapes like 5.21\(aazf.7\)c0), control bytes and every byte >= 0x80. Separators
 *     are all equal and their count does not matter: 12.1-55.291 == 12.1.55.291,
 *     1.8.0_401 == 1.8.0.401, 4.11-beta-1 == 4.11-beta1. Two exceptions: '+' (R9) and
 *     whether a digit *directly* follows a one-letter word (R5).
 *
 * R3  Numbers compare by value, any length, no overflow: leading zeros are stripped,
 *     then the longer digit string is larger, then digits compare left to right.
 *     120.0.6099.109 < 120.0.6099.129; 10.0.19045.3803 > 10.0.19045.999; 1.10 > 1.9;
 *     7-Zip 23.01 == 23.1; Exchange 15.02.0792.013 == 15.2.792.13. Dates: 20230115 is one
 *     number, 2023-01-15 is three; each form orders correctly against itself (the two
 *     forms are not comparable with each other in any meaningful way).
 *
 * R4  Zeros. A run of zero numbers directly before a non-number token or the end is
 *     dropped: 1 == 1.0 == 1.0.0 (NVD writes both), 4.0.0-rc1 == 4-rc1, 1.0a == 1a,
 *     2.0rc0 == 2.0rc (PEP 440), 1.0.final == 1. Zeros before a non-zero number stay:
 *     1.0.1 != 1.1.
 *
 * R5  Words. A letter run is classified (case-insensitively) as one of:
 *     - pre-release tag, in this order:
 *         dev = devel = nightly  <  alpha  <  beta  <  milestone = dmr
 *         <  pre = preview = ea  <  rc = cr  <  snapshot      (Maven puts SNAPSHOT last)
 *     - post-release tag, in this order:
 *         build  <  hotfix = hf  <  patch = pl  <  rev = revision  <  cu = cumulative
 *         <  sp = pack = servicepack  <  post
 *     - ignored (acts as a separator): update, upd, service, final, release, ga,
 *       stable, lts, esr; so 1.8.0 update 401 == 1.8.0update401 == 1.8.0_401,
 *       "8.0 update 45" == 8.0.45, 5.2.20.RELEASE == 5.2.20, 115.6.0esr == 115.6,
 *       "cumulative update 21" == cu21, "service pack 2" == sp2.
 *     - otherwise a plain word (R8).
 *     A ONE-letter word is a tag only when a digit follows it directly:
 *         a1 alpha, b1 beta, c1 rc (PEP 440: 2.0a1 < 2.0b1 < 2.0c1 == 2.0rc1 < 2.0),
 *         m1 milestone (Tomcat 11.0.0-M1 == 11.0.0-milestone1), p1 patch (OpenSSH 9.3p1,
 *         sudo 1.9.12p1, ONTAP 9.8P7), r1 rev (Ivanti 9.1R11.4, Windows 2008 R2, NGINX
 *         Plus R22), h1 hotfix (PAN-OS 10.1.14-h2), u1 ignored (Java 8u401 == 8.401),
 *         v1 ignored when it is the first token (v2.4.1 == V2.4.1 == 2.4.1).
 *     A single letter with no digit right after it is a plain word, the OpenSSL and
 *     Cisco letter releases: 1.1.1 < 1.1.1a < 1.1.1k < 1.1.1w < 1.1.1za, 17.3.8 <
 *     17.3.8a < 17.3.9. So "b" means beta in 1.06b01 but is a letter in 1.1.1b.
 *
 * R6  Order at one position of the main part (the first place two versions differ):
 *         pre-release tags  <  end  <  plain word  <  post-release tags  <  number
 *     so 4.0.0-alpha < 4.0.0-alpha2 < 4.0.0-beta1 < 4.0.0-beta.2 < 4.0.0-rc1 < 4.0.0;
 *     8.1.0RC1 < 8.1.0; 2010 < 2010 sp1 < 2010 sp2 < 2010.1; 9.3 < 9.3p1 < 9.3p2 <
 *     9.4p1; 9.1r2 < 9.1r11 < 9.1r11.4 < 9.1.1; 1.0.2z < 1.0.2zd < 1.0.2.1.
 *     Versions that start with a tag (NGINX Plus r27, QNAP h4.5.1 / c4.5.1) sort below
 *     every version that starts with a number and is above 0, so they never fall
 *     inside a numeric range such as 1.1.3..1.22.0.
 *
 * R7  Inside a pre-release (everything after a pre-release tag up to '+' or the end),
 *     SemVer 2.0.0 section 11.4 applies: end < number < word, and tags are plain words
 *     there (ignored words stay ignored). 1.0.0-alpha < 1.0.0-alpha.1 < 1.0.0-alpha.beta < 1.0.0-beta <
 *     1.0.0-beta.2 < 1.0.0-beta.11 < 1.0.0-rc.1 < 1.0.0.
 *
 * R8  Plain words compare as lower-case strings, a word before every longer word it
 *     is a prefix of: z < za < zb < ... < zh (OpenSSL 1.0.2z < 1.0.2za < 1.0.2zd).
 *
 * R9  Build metadata. The first '+' ends the main part; what follows is compared with
 *     the same rules but only when the main parts are equal, and the version without
 *     metadata comes first: 1.0.0 < 1.0.0+b5 < 1.0.0+b6 < 1.0.1; Java 21-ea+20 <
 *     21-ea+35 < 21. (SemVer section 10 ignores metadata; a caller that wants that, e.g.
 *     to let versionEndIncluding 1.0.0 cover 1.0.0+b5, cuts the string at '+' itself.)
 *
 * R10 A string with no ASCII letter or digit ("", "*", "-", "...") is the empty
 *     version: equal to every other such string, below every other version, "0" and
 *     "alpha" included.
 *
 * Choices for products whose scheme is ambiguous, so they can be checked:
 *   - D-Link 1.06b01 is read as 1.06 beta 1 (R5). D-Link firmware always carries its
 *     Bnn build (1.05B03, 1.06B01), so the order among D-Link versions and against NVD
 *     bounds in that form is the same under either reading; only a bare "1.06" would
 *     differ (it sorts after 1.06b01).
 *   - Zyxel 5.21(AAZF.7)C0 reads 5 . 21 . word aazf . 7 . rc: firmware of one model is
 *     ordered by the patch number (…(AAZF.7)C0 < …(AAZF.8)C0) and lies above 5.21 and
 *     below 5.22; different model codes order by the code as a word.
 *   - Java: 1.8.0_45 < 1.8.0_401 (R3); "1.8.0 update 401", "1.8.0u401" and 1.8.0_401
 *     are equal (R5); "8u401" equals 8.401 and is not equal to 1.8.0_401.
 *   - Exchange 2013 SP1 against 2013 CU21: CU sorts below SP (R5); Microsoft's own
 *     numbering (SP1 = CU4) cannot be known from the text, compare build numbers.
 *   - Post-release forms sort above the release: Fortinet 7.2.4 build1396 > 7.2.4, so
 *     a versionEndIncluding 7.2.4 bound does not cover it.
 *   - PEP 440 .devN inside a pre-release (1.0a12.dev456) is a plain word there (R7)
 *     and sorts after 1.0a12; PEP 440 puts it before. After a release or post-release
 *     it is a tag as usual: 1.0.dev456 < 1.0a1, 1.0.post456.dev34 < 1.0.post456.
 *   - A number after '-' is just another segment (Citrix 13.1-49.15, installer
 *     revisions 2.4.65-1), so a purely numeric SemVer pre-release such as 1.0.0-0.3.7
 *     reads as 1.0.0.0.3.7 and sorts above 1.0.0.
 *   - Not handled here (the caller's or another module's job): distribution
 *     epochs/revisions (dpkg, rpm, apk -rN), Go pseudo-versions, architecture tails
 *     ("24.08 (x64)" sorts above 24.08), range text ("< 8.8.2", "5.10 through 5.36"),
 *     a version and CPE update written as one string where NVD splits them (inventory
 *     "9.8p1" sorts above NVD's versionEndIncluding 9.8; split it into 9.8 + p1 first).
 *
 * Key. lf_version_key writes the version as a byte string whose memcmp order is the
 * order above, one token after another: pre tags 0x01..0x07, end 0x10, word 0x20 +
 * letters + 0x00, post tags 0x31..0x37, number 0x40+digit count + digits, word after a
 * pre-release tag 0xD0 + letters + 0x00; the empty version is the single byte 0x00.
 * A key is never empty and never longer than 323 bytes. Both functions are total and
 * consistent: for any a, b
 *     sign(lf_version_cmp(a, b)) == sign(memcmp of lf_version_key(a) vs lf_version_key(b))
 * (memcmp over the common prefix, then the shorter key first), so the index can store
 * keys and compare ranges with memcmp. lf_version_cmp is a total preorder on any bytes
 * (antisymmetric, transitive; distinct strings may be equal, as 1.0 and 1.0.0).
 */
#ifndef LF_VANS_VERSION_H
#define LF_VANS_VERSION_H

#include <stdbool.h>
#include <stddef.h>

#define LF_VERSION_MAX     128   /* only the first 128 bytes of a version take part */
#define LF_VERSION_KEY_MAX 512   /* a key never needs more than this */

/* <0, 0, >0 (exactly -1, 0, 1). NULL and "" compare as the empty version (lowest). */
int lf_version_cmp(const char *a, const char *b);
int lf_version_ncmp(const char *a, size_t an, const char *b, size_t bn);

/* Write a memcmp-orderable key into out (cap >= LF_VERSION_KEY_MAX is always enough).
 * Returns its length (>= 1). When cap is smaller than the length, only the first cap
 * bytes are written (out may be NULL with cap 0 to ask for the length). */
size_t lf_version_key(const char *v, size_t n, unsigned char *out, size_t cap);

/* False for strings that cannot be placed in an order against a range: empty, "*",
 * "-", "n/a", a bare VCS commit hash (7+ hex chars with a letter), and text with no
 * digit at all. Used to send an item to "needs review" instead of guessing.
 * Surrounding ASCII white space is ignored. */
bool lf_version_orderable(const char *v, size_t n);

#endif
