/*
 * Tests for src/vans/version.c: the version order used against NVD ranges.
 * Real version pairs from NVD criteria, CVE 5 records and vendor release histories
 * (expected order reasoned per product), release-history chains, every range of the
 * shared NVD and CVE 5 samples, and property tests (reflexivity, antisymmetry,
 * transitivity, key consistency) on generated and random-byte triples.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vans/version.h"

/* ------------------------------------------------------------------ helpers */

static int sgn(int x)
{
    return (x > 0) - (x < 0);
}

/* memcmp of two keys, shorter first on a common prefix: the order the index uses. */
static int key_cmp(const unsigned char *a, size_t an, const unsigned char *b, size_t bn)
{
    int r = memcmp(a, b, an < bn ? an : bn);
    if (r)
        return sgn(r);
    return (an > bn) - (an < bn);
}

static int key_order(const char *a, size_t an, const char *b, size_t bn)
{
    unsigned char ka[LF_VERSION_KEY_MAX], kb[LF_VERSION_KEY_MAX];
    size_t la = lf_version_key(a, an, ka, sizeof ka);
    size_t lb = lf_version_key(b, bn, kb, sizeof kb);
    assert_true(la >= 1 && la <= LF_VERSION_KEY_MAX);
    assert_true(lb >= 1 && lb <= LF_VERSION_KEY_MAX);
    return key_cmp(ka, la, kb, lb);
}

/* cmp, the reverse cmp and the key order must all tell the same story. */
static void check_pair(const char *a, const char *b, int want)
{
    int c = lf_version_cmp(a, b);
    int r = lf_version_cmp(b, a);
    int k = key_order(a, strlen(a), b, strlen(b));
    if (c != want || r != -want || k != want)
        fail_msg("\"%s\" vs \"%s\": want %d, cmp %d, reverse %d, key %d", a, b, want, c, r, k);
}

/* ------------------------------------------------------------------ real pairs */

typedef struct pair {
    const char *a, *b;
    int want;   /* -1: a < b, 0: equal, 1: a > b */
} pair;

/* Each row is a real version (or NVD bound) of the product named in the comment; the
 * expected order is that product's release order. */
static const pair REAL[] = {
    /* Chrome stable (NVD google:chrome versionEndExcluding; Chrome releases blog):
     * four numeric segments, the last of varying length. */
    {"120.0.6099.109", "120.0.6099.129", -1},   /* Dec 2023 stable updates */
    {"120.0.6099.129", "120.0.6099.224", -1},   /* CVE-2024-0519 fixed in .224 */
    {"119.0.6045.199", "120.0.6099.62", -1},    /* CVE-2023-6345 bound vs next major */
    {"114.0.5735.106", "114.0.5735.110", -1},   /* CVE-2023-3079 fixed in .110 */
    {"98.0.4758.102", "99.0.4844.51", -1},
    {"124.0.6367.201", "124.0.6367.207", -1},   /* CVE-2024-4671 / CVE-2024-4761 */
    {"91.0.4472.101", "91.0.4472.77", 1},       /* 101 > 77: not a string compare */
    {"125.0.6422.60", "125.0.6422.112", -1},
    {"128.0.6613.84", "128.0.6613.113", -1},
    {"94.0.4606.61", "94.0.4606.71", -1},
    {"100.0.4896.60", "99.0.4844.84", 1},       /* three-digit major after two-digit */
    {"114.0.5735.110", "114.0.5735.110", 0},
    /* Edge (Chromium), NVD microsoft:edge_chromium */
    {"119.0.2151.97", "119.0.2151.72", 1},
    {"124.0.2478.51", "124.0.2478.109", -1},
    {"111.0.1661.41", "111.0.1661.62", -1},
    /* Firefox and Firefox ESR (NVD mozilla:firefox, firefox_esr) */
    {"74.0", "74.0.1", -1},                     /* CVE-2020-6819 end 74.0.1 */
    {"74.0", "74.0.0", 0},                      /* NVD writes both forms */
    {"68.6.0", "68.6.1", -1},                   /* ESR bound */
    {"91.6.0", "91.6.1", -1},
    {"97.0.2", "97.0.1", 1},
    {"60.7.2", "60.7.3", -1},
    {"115.16.0", "115.9.1", 1},                 /* 16 > 9 */
    {"128.3.1", "115.16.1", 1},
    {"131.0.2", "131.0", 1},
    {"115.6.0esr", "115.6.0", 0},               /* "esr" names the channel, not a release */
    {"115.6.0esr", "115.7.0", -1},
    {"97.3.0", "97.3", 0},
    /* Windows builds (CVE 5 Microsoft ranges, KB build numbers) */
    {"10.0.19045.3803", "10.0.19045.999", 1},
    {"10.0.19045.3324", "10.0.19044.3324", 1},  /* 22H2 vs 21H2 */
    {"10.0.22621.2134", "10.0.22000.2295", 1},  /* Windows 11 22H2 vs 21H2 */
    {"10.0.20348.1903", "10.0.20348.1906", -1}, /* Server 2022, two CVE 5 bounds */
    {"10.0.17763.4737", "10.0.17763.4851", -1},
    {"10.0.14393.6167", "10.0.14393.5921", 1},
    {"6.1.7601.26664", "6.1.7601.17514", 1},    /* 2008 R2 SP1: RTM build vs CVE 5 bound */
    {"6.0.6003.22216", "6.0.6002.18005", 1},    /* Server 2008 SP2: 6003 after 6002 */
    {"10.0.0", "10.0.10240.20107", -1},         /* CVE 5 range start vs end */
    {"10.0.0", "10", 0},
    {"10.0.19045.3803", "10.0.22621.2134", -1},
    {"6.3.9600.21503", "10.0.0", -1},
    /* OpenSSL letter releases (NVD openssl:openssl CPE versions, openssl.org) */
    {"1.1.1k", "1.1.1w", -1},
    {"1.1.1", "1.1.1a", -1},                    /* 1.1.1a is the first fix release */
    {"1.0.2zd", "1.0.2z", 1},                   /* zd after z */
    {"1.0.2y", "1.0.2z", -1},
    {"1.0.2z", "1.0.2za", -1},
    {"1.0.2zf", "1.0.2zg", -1},
    {"1.0.2zj", "1.0.2zk", -1},                 /* CVE 5 OpenSSL bounds */
    {"1.1.1t", "1.1.1u", -1},
    {"1.1.1w", "1.1.1x", -1},
    {"1.1.1x", "1.1.1za", -1},                  /* CVE 5 bounds 1.1.1x, 1.1.1za */
    {"1.0.2u", "1.1.0", -1},
    {"1.0.2zh", "1.1.0", -1},
    {"1.1.0l", "1.1.1-pre1", -1},
    {"1.1.1-pre1", "1.1.1-pre9", -1},           /* 1.1.1 had pre1..pre9, no beta/rc */
    {"1.1.1-pre9", "1.1.1", -1},
    {"1.1.1:pre9", "1.1.1-pre9", 0},            /* CPE version:update joined */
    {"1.0.2-beta1", "1.0.2-beta3", -1},
    {"1.0.2-beta3", "1.0.2", -1},
    {"1.0.2:beta1", "1.0.2-beta1", 0},
    {"1.0.2", "1.0.2a", -1},
    {"3.0.0-alpha17", "3.0.0-beta1", -1},
    {"3.0.0-beta2", "3.0.0", -1},
    {"3.0.13", "3.0.9", 1},
    {"1.1.1w", "3.0.0", -1},
    {"1.1.1K", "1.1.1k", 0},                    /* letters are case-insensitive */
    /* OpenSSH portable pN (NVD openbsd:openssh version + update p1) */
    {"9.3p1", "9.3p2", -1},                     /* CVE-2023-38408 fixed in 9.3p2 */
    {"9.3p2", "9.4p1", -1},
    {"8.3", "8.3p1", -1},
    {"9.8p1", "9.9", -1},
    {"7.4p1", "8.0p1", -1},
    {"6.8p1", "6.9", -1},
    {"9.9p1", "9.9p2", -1},                     /* CVE-2025-26465 fixed in 9.9p2 */
    {"8.7p1", "8.7P1", 0},
    /* Java (Oracle JDK/JRE update forms; NVD oracle:jdk:1.8.0:update361) */
    {"1.8.0_401", "1.8.0_45", 1},
    {"1.8.0_45", "1.8.0", 1},
    {"1.8.0 update 401", "1.8.0_401", 0},
    {"1.8.0:update361", "1.8.0_361", 0},
    {"1.8.0u401", "1.8.0_401", 0},
    {"1.8.0_361", "1.8.0_371", -1},
    {"8u401", "8u45", 1},
    {"8u45", "8", 1},
    {"8.0 update 45", "8.0.45", 0},
    {"8.0 update 45", "8.0 update 401", -1},
    {"11.0.18", "11.0.19", -1},
    {"17.0.6", "17.0.10", -1},
    {"20", "17.0.6", 1},
    {"21-ea+20", "21-ea+35", -1},               /* early-access builds, +build number */
    {"21-ea+35", "21", -1},
    /* Apache httpd (NVD apache:http_server) */
    {"2.4.49", "2.4.50", -1},                   /* CVE-2021-41773 -> CVE-2021-42013 */
    {"2.4.57", "2.4.58", -1},
    {"2.4.9", "2.4.10", -1},
    {"2.4.65-1", "2.4.65", 1},                  /* Windows package revision tail */
    {"2.4.52-1ubuntu4", "2.4.52-1ubuntu4.1", -1},
    {"2.4.52-1ubuntu4.1", "2.4.52", 1},
    {"2.4.52-1ubuntu4", "2.4.52-2", -1},
    /* Apache Tomcat, milestones (NVD tomcat:9.0.0:milestone1, CVE 5 "11.0.0-M1") */
    {"9.0.0.M1", "9.0.0", -1},
    {"9.0.0.M9", "9.0.0.M10", -1},
    {"9.0.0.M27", "9.0.0", -1},
    {"9.0.0-M1", "9.0.0.M1", 0},
    {"11.0.0-M1", "11.0.0-M10", -1},
    {"11.0.0-M26", "11.0.0", -1},
    {"10.1.0-M17", "10.1.0", -1},
    {"10.1.0:milestone1", "10.1.0-M1", 0},
    {"9.0.0:milestone27", "9.0.1", -1},
    {"9.0.98", "9.0.99", -1},                   /* CVE-2025-24813 bounds */
    {"10.1.34", "10.1.35", -1},
    {"11.0.2", "11.0.3", -1},
    {"8.5.95", "9.0.0-M1", -1},
    {"10.1.0-M1", "10.1.15", -1},
    /* nginx and NGINX Plus (NVD f5:nginx mixes 1.x versions and Plus rNN) */
    {"1.20.0", "1.20.1", -1},
    {"1.22.0", "1.23.0", -1},
    {"0.6.18", "1.20.1", -1},
    {"1.25.3", "1.9.15", 1},
    {"r22", "r27", -1},
    {"r27", "1.1.3", -1},                       /* Plus releases stay out of 1.x ranges */
    {"R4", "r22", -1},
    /* PHP (NVD php:php; php.net release candidates) */
    {"8.1.0RC1", "8.1.0", -1},
    {"8.1.0alpha1", "8.1.0beta1", -1},
    {"8.1.0beta3", "8.1.0RC1", -1},
    {"8.1.0RC6", "8.1.0", -1},
    {"8.1.0rc1", "8.1.0RC1", 0},
    {"8.1.0RC1", "8.1RC1", 0},                  /* 8.1.0 == 8.1 carries over to its RCs */
    {"8.1.30", "8.1.31", -1},                   /* CVE-2024-11236 bound */
    {"8.2.9", "8.2.26", -1},
    {"8.3.14", "8.3.0", 1},
    {"7.4.33", "8.0.0", -1},
    /* MySQL (NVD oracle:mysql) */
    {"8.0.34", "8.0.35", -1},
    {"5.7.43", "8.0", -1},
    {"8.0", "8.0.0", 0},
    {"8.0.0-dmr", "8.0.0", -1},                 /* development milestone release */
    {"8.1.0", "8.0.36", 1},
    {"5.7.9", "5.7.41", -1},
    /* PostgreSQL (NVD postgresql:postgresql) */
    {"15.3", "15.2", 1},
    {"11.20", "11.3", 1},
    {"16beta1", "16rc1", -1},
    {"16rc1", "16.0", -1},
    {"16", "16.0", 0},
    {"14.8", "14.10", -1},
    {"18.1-1", "18.1", 1},                      /* EDB installer revision */
    /* Fortinet FortiOS (CVE 5 Fortinet ranges; "get system status" build) */
    {"7.2.4", "7.2.5", -1},
    {"7.0.12", "7.0.8", 1},
    {"6.4.14", "6.4.9", 1},
    {"7.2.4 build1396", "7.2.4", 1},
    {"7.2.4 build1396", "7.2.5", -1},
    {"v7.2.4,build1396", "7.2.4 build1396", 0},
    {"7.0.12 build0523", "7.0.12 build523", 0},
    /* Cisco ASA / FTD (NVD cisco:adaptive_security_appliance_software) */
    {"9.16(4)48", "9.16.4.48", 0},              /* parentheses are separators */
    {"9.16(4)48", "9.16(4)9", 1},
    {"9.6.4.42", "9.6.4.8", 1},
    {"9.12.3.12", "9.12.3.9", 1},
    {"9.14.1.10", "9.14.1", 1},
    {"9.10", "9.10.1.42", -1},
    {"9.9.2.74", "9.10", -1},
    {"6.2.3.16", "6.2.3", 1},
    {"6.6.0.1", "6.6.0", 1},
    /* Cisco IOS XE letter rebuilds (CVE-2023-20198 CVE 5 version list) */
    {"17.3.8a", "17.3.8", 1},
    {"17.3.8a", "17.4.1", -1},
    {"16.12.10a", "16.12.10", 1},
    {"16.12.10", "16.12.9", 1},
    {"17.6.6a", "17.6.6", 1},
    {"17.9.4a", "17.9.4", 1},
    {"16.12.1z1", "16.12.1z2", -1},
    {"16.12.1y", "16.12.1z1", -1},
    {"17.3.1z", "17.3.1x", 1},
    {"17.2.1r", "17.2.1a", 1},                  /* "r" with no digit is a letter */
    {"17.11.99SW", "17.11.1a", 1},
    {"16.10.1s", "16.10.1g", 1},
    {"16.3.1a", "16.3.2", -1},
    /* Zyxel (NVD zyxel:nas326_firmware versionEndExcluding 5.21\(aazf.7\)c0) */
    {"5.21(aazf.7)c0", "5.21(aazf.8)c0", -1},
    {"5.21(aazf.6)c0", "5.21(aazf.7)c0", -1},
    {"5.21\\(aazf.7\\)c0", "5.21(AAZF.7)C0", 0}, /* CPE escapes, upper case */
    {"V5.21(AAZF.7)C0", "5.21(aazf.7)c0", 0},
    {"4.35", "4.35(abps.3)c0", -1},             /* ATP100 range 4.35 .. 4.35(ABPS.3)C0 */
    {"4.35(abps.2)c0", "4.35(abps.3)c0", -1},
    {"4.35(abps.3)c0", "4.36", -1},
    /* Ivanti Connect / Policy Secure (NVD ivanti:connect_secure:9.1:r11.4) */
    {"9.1r11.4", "9.1r11", 1},
    {"9.1r11", "9.1r2", 1},
    {"9.1R18.2", "9.1R18", 1},
    {"22.7R2.4", "22.7R2.5", -1},
    {"22.7R1.2", "22.7R1", 1},
    {"22.7R2", "22.7R1.5", 1},
    {"9.1:r11.4", "9.1R11.4", 0},
    {"22.7r2.3", "22.8r1", -1},
    {"9.1R18.2", "22.1R1", -1},
    {"22.7R1", "22.7", 1},
    /* Microsoft Office, Exchange, Windows Server (NVD update field sp/cu) */
    {"2010 sp2", "2010 sp1", 1},
    {"2010 sp1", "2010", 1},
    {"2010:sp2", "2010 SP2", 0},
    {"2013:sp1", "2013 service pack 1", 0},
    {"2016:cumulative_update_23", "2016:cumulative_update_9", 1},
    {"2016 CU23", "2016:cumulative_update_23", 0},
    {"2019:cumulative_update_14", "2019:cumulative_update_2", 1},
    {"2007 sp3", "2007 sp2", 1},
    {"15.02.1118.020", "15.02.0986.036", 1},    /* Exchange 2019 CU builds */
    {"15.2.1544.004", "15.02.1118.020", 1},
    {"15.01.2507.037", "15.01.2507.016", 1},
    {"15.00.1497.044", "15.00.1497.015", 1},
    {"15.02.0792.013", "15.2.792.13", 0},
    {"16.0.5435.1001", "16.0.5387.1000", 1},    /* Office 2016 MSI builds */
    {"2008 r2", "2008", 1},
    {"2008 r2 sp1", "2008 r2", 1},
    /* 7-Zip and WinRAR (two-digit minor numbers, NVD 7-zip / rarlab:winrar) */
    {"23.01", "22.01", 1},
    {"23.01", "23.1", 0},
    {"24.06", "24.08", -1},
    {"9.20", "23.01", -1},
    {"25.01", "24.09", 1},
    {"6.24", "6.23", 1},                        /* CVE-2023-38831 fixed in 6.23 */
    {"6.22", "6.23", -1},
    {"7.12", "7.11", 1},                        /* CVE-2025-6218 fixed in 7.12 */
    {"5.80", "6.00", -1},
    {"6.02", "6.10", -1},
    {"7.00", "6.24", 1},
    /* SemVer 2.0.0 section 11 example and metadata (section 10) */
    {"1.0.0-alpha", "1.0.0-alpha.1", -1},
    {"1.0.0-alpha.1", "1.0.0-alpha.beta", -1},
    {"1.0.0-alpha.beta", "1.0.0-beta", -1},
    {"1.0.0-beta", "1.0.0-beta.2", -1},
    {"1.0.0-beta.2", "1.0.0-beta.11", -1},
    {"1.0.0-beta.11", "1.0.0-rc.1", -1},
    {"1.0.0-rc.1", "1.0.0", -1},
    {"1.0.0-rc.1", "1.0.0-rc.2", -1},
    {"2.0.0", "1.99.99", 1},
    {"1.0.0-beta+exp.sha.5114f85", "1.0.0", -1},
    {"1.0.0-beta+exp.sha.5114f85", "1.0.0-beta", 1},
    {"1.0.0+20130313144700", "1.0.0", 1},
    {"1.0.0+20130313144700", "1.0.1", -1},
    {"4.0.0-alpha", "4.0.0-alpha2", -1},
    {"4.0.0-alpha2", "4.0.0-beta1", -1},
    {"4.0.0-beta1", "4.0.0-beta.2", -1},
    {"4.0.0-beta.2", "4.0.0-rc1", -1},
    {"4.0.0-rc1", "4.0.0", -1},
    /* .NET previews and release candidates (NuGet versions of Microsoft.AspNetCore.App) */
    {"8.0.0-preview.7.23375.6", "8.0.0-rc.1.23419.4", -1},
    {"8.0.0-rc.2.23480.2", "8.0.0", -1},
    {"8.0.0-preview.1.23110.8", "8.0.0-preview.7.23375.6", -1},
    /* PEP 440 (PyPI versions in the OSV sample) */
    {"2.0a1", "2.0b1", -1},
    {"2.0b1", "2.0rc1", -1},
    {"2.0rc1", "2.0", -1},
    {"1.8c1", "1.8rc1", 0},                     /* c is the old spelling of rc */
    {"1.8b2", "1.8c1", -1},
    {"1.0.dev1", "1.0a1", -1},
    {"1.0.post1", "1.0", 1},
    {"1.0.post1", "1.0.1", -1},
    {"1.10a1", "1.9", 1},
    {"1.9rc2", "1.9rc1", 1},
    {"3.1b1", "3.1a1", 1},
    {"2.0rc0", "2.0rc", 0},
    {"2.0.0rc1", "2.0rc1", 0},
    /* Maven (OSV Maven sample; Spring "RELEASE", JUnit "-beta-1") */
    {"2.0-alpha1", "2.0-beta9", -1},
    {"2.0-beta9", "2.0-rc1", -1},
    {"2.0-rc2", "2.0", -1},
    {"4.13-beta-3", "4.13-rc-1", -1},
    {"4.11-beta-1", "4.11-beta1", 0},
    {"5.2.20.RELEASE", "5.2.20", 0},
    {"5.2.19.RELEASE", "5.2.20", -1},
    {"3.0.0-beta3", "3.0.0", -1},
    {"1.0-rc1", "1.0-SNAPSHOT", -1},            /* Maven: snapshot after rc, before */
    {"1.0-SNAPSHOT", "1.0", -1},                /* the release */
    /* Dates (NVD Siemens ranges 2021-12-13; CVE 5 DCME 20260121) */
    {"20230115", "20230116", -1},
    {"2023-01-15", "2023-01-16", -1},
    {"2023-01-15", "2023-02-01", -1},
    {"2023-12-31", "2024-01-01", -1},
    {"20231231", "20240101", -1},
    {"2021-12-11", "2021-12-13", -1},
    {"20260121", "20251231", 1},
    /* D-Link beta builds (NVD dlink:dir-859_firmware versionEndIncluding 1.05b03) */
    {"1.05b03", "1.06b01", -1},
    {"1.06b01", "1.07b01", -1},
    {"1.12b04", "1.11b01", 1},
    {"2.03b01", "3.12b04", -1},
    {"1.00b06", "1.03b02", -1},
    {"1.12b05", "1.12b10", -1},                 /* DIR-885L vs DIR-895L bounds */
    {"1.06B01", "1.06b01", 0},
    {"1.05.05", "1.06", -1},                    /* DCS-2530L */
    /* leading v */
    {"v2.4.1", "2.4.1", 0},
    {"V1.2.5", "1.2.5", 0},
    {"v1.11.2", "v1.9.0", 1},                   /* Grafana Alloy */
    /* more vendors with NVD bounds in the shared sample */
    {"3.0.20", "3.0.7.1", 1},                   /* VLC */
    {"3.0.11", "3.0.20", -1},
    {"4.10.18", "4.10.9", 1},                   /* Samba CVE-2020-1472 */
    {"8.9.1", "8.9.0", 1},                      /* curl CVE-2024-7264 */
    {"7.32.0", "8.9.1", -1},
    {"2.39", "2.36", 1},                        /* glibc CVE-2023-6246 */
    {"2.1.93", "2.15", -1},
    {"0.81", "0.68", 1},                        /* PuTTY CVE-2024-31497 */
    {"0.80", "0.81", -1},
    {"13.8.8", "13.8.7", 1},                    /* GitLab CVE-2021-22205 */
    {"11.9.0", "13.8.8", -1},
    {"13.10.3", "13.9.6", 1},
    {"5.6.1", "5.6.0", 1},                      /* xz CVE-2024-3094 */
    {"8.5.6", "8.5.7", -1},                     /* Notepad++ */
    {"1.9.17", "1.9.16p2", 1},                  /* sudo */
    {"1.9.12p1", "1.9.12", 1},
    {"1.9.17p1", "1.9.17", 1},
    {"13.1-49.15", "13.1-49.13", 1},            /* Citrix NetScaler version-build */
    {"13.1-37.176", "13.1-49.13", -1},
    {"14.1-8.50", "14.1-12.35", -1},
    {"12.1-55.302", "12.1-55.297", 1},
    {"10.1.14-h2", "10.1.14", 1},               /* PAN-OS hotfixes */
    {"10.1.14-h4", "10.1.14-h2", 1},
    {"10.1.14-h6", "10.1.15", -1},
    {"10.2.12-h1", "10.2.12-h2", -1},
    {"10.2.9-h1", "10.2.12", -1},
    {"9.8P7", "9.8", 1},                        /* NetApp ONTAP patch releases */
    {"9.8:p7", "9.8P7", 0},
    {"9.9.1P3", "9.9.1", 1},
    {"21.2R3-S4", "21.2R3", 1},                 /* Juniper Junos service releases */
    {"21.2R3-S4", "21.2R3-S5", -1},
    {"21.4R1", "21.2R3-S5", 1},
    {"4.4.5-0101", "4.4.5", 1},                 /* Synology Directory Server */
    {"1.6.2-0720", "1.7.0-0795", -1},           /* Synology Photos */
    {"10.1.3.37598", "10.1.1.37576", 1},        /* Foxit Reader */
    {"10.16.3", "10.9.0", 1},                   /* LINE */
    {"6.2.6", "6.3.2", -1},                     /* AnyDesk */
    {"5.10.0", "5.9.7", 1},                     /* Zoom */
    {"20.005.30514", "20.005.30418", 1},        /* Acrobat Reader */
    {"2017.011.30188", "2017.011.30194", -1},
    {"22.003.20281", "22.003.20282", -1},
    {"6.1.2", "6.13", -1},                      /* WordPress CVE 5 bound "6.13" */
    {"15.0.8397", "14.7.1965", 1},              /* TeamViewer build numbers */
    {"4.0", "4.0e", -1},                        /* Siemens ACUSON SC2000 4.0 .. 4.0e */
    {"4.0e", "5.0a", -1},
    {"5.0a", "5.0", 1},
    {"h4.5.1", "h4.5.4", -1},                   /* QNAP QuTS hero */
    {"c4.5.1", "c4.5.4", -1},                   /* QNAP QuTScloud */
    {"h5.0.1", "h4.5.4", 1},
    {"xg sp1", "xg", 1},                        /* Trend Micro OfficeScan XG SP1 */
    {"v8r12", "v8r13", -1},                     /* StarWind V8 R12 / R13 */
    {"1.0.7-0298", "1.0", 1},                   /* CVE 5 camera firmware range */
    {"2.34", "2.39", -1},
    {"3.15", "6.8", -1},                        /* Linux kernel */
    {"6.2-rc1", "6.2", -1},
    {"6.2:rc5", "6.2:rc1", 1},
    {"2.0:beta9", "2.0:rc1", -1},               /* log4j */
    {"2.8:dev", "2.8", -1},                     /* FFmpeg */
    {"6.1.0:rc2", "6.1.0", -1},                 /* Rails */
    {"1.3.1:beta", "1.3.1", -1},                /* DrayTek */
    /* Huawei VRP-style V...R...C...SPC... (first V ignored, R rev, C a tag, SPC a word) */
    {"V200R005C10SPC500", "V200R005C10SPC600", -1},
    {"V200R005C10", "V200R005C10SPC500", -1},
    {"V200R005C10SPC800", "V200R005C20", -1},
    {"V200R005C20", "V200R006C00", -1},
    {"V100R001C00", "V200R001C00", -1},
};

/* Rule illustrations from version.h that no real pair above pins down. */
static const pair RULES[] = {
    {"1.0v2", "1.0.2", -1},     /* R5: v is ignored only as the first token */
    {"1.0v2", "1.0", 1},
    {"1.0+", "1.0", 0},         /* R9: empty metadata is no metadata */
    {"1.0+final", "1.0", 0},
    {"1.0+0", "1.0", 0},
    {"1.0rc1+abc.7", "1.0rc1+5", -1},   /* R9: metadata starts outside the pre-release */
    {"1.0.2a", "1.0.2-a", 0},   /* R2: separators before a letter do not matter */
    {"2.0a1", "2.0a.1", -1},    /* R5: a1 is alpha 1; a.1 is the letter a then 1 */
    {"1.0a", "1.0.0a", 0},      /* R4 */
    {"1.0.1", "1.1", -1},       /* R4: inner zeros stay */
    {"1.0-0.3.7", "1.0", 1},    /* numeric-only pre-release: just more segments */
    {"1.0.x", "1.0.1", -1},     /* R6: word below number */
    {"1.0 sp1", "1.0.x", 1},    /* R6: post tag above word */
    {"1.0 build1", "1.0 hf1", -1},
    {"1.0 hf1", "1.0 p1", -1},
    {"1.0 p1", "1.0 r1", -1},
    {"1.0 r1", "1.0 cu1", -1},
    {"1.0 cu1", "1.0 sp1", -1},
    {"1.0 sp1", "1.0.post1", -1},
    {"1.0.dev1", "1.0-alpha", -1},
    {"1.0-beta", "1.0-milestone", -1},
    {"1.0-m1", "1.0-preview1", -1},
    {"1.0-preview1", "1.0-rc1", -1},
    {"1.0-rc9", "1.0-snapshot", -1},
    {"1.0-snapshot", "1.0", -1},
    {"1.0", "1.0 update", 0},   /* ignored words */
    {"1.0 Stable", "1.0 LTS", 0},
    {"1.0 GA", "1.0", 0},
    {"alpha", "0", -1},         /* R10 / R6 */
    {"x", "x0", 0},
    {"zz", "z.z", 1},           /* R8: one word zz vs two words z, z */
};

/* Each row of REAL in both directions and through the keys. */
static void test_version_real_pairs(void **state)
{
    (void)state;
    size_t n = sizeof REAL / sizeof REAL[0];
    assert_true(n >= 200);
    for (size_t i = 0; i < n; i++)
        check_pair(REAL[i].a, REAL[i].b, REAL[i].want);
}

/* The rule illustrations, in both directions and through the keys. */
static void test_version_rules(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof RULES / sizeof RULES[0]; i++)
        check_pair(RULES[i].a, RULES[i].b, RULES[i].want);
}

/* ------------------------------------------------------------------ chains */

typedef struct chain {
    const char *name;
    const char *const *v;   /* strictly increasing, NULL-terminated */
} chain;

static const char *const CH_OPENSSL[] = {
    "1.0.1u", "1.0.2-beta1", "1.0.2-beta2", "1.0.2-beta3", "1.0.2", "1.0.2a", "1.0.2b",
    "1.0.2c", "1.0.2d", "1.0.2e", "1.0.2f", "1.0.2g", "1.0.2h", "1.0.2i", "1.0.2j",
    "1.0.2k", "1.0.2l", "1.0.2m", "1.0.2n", "1.0.2o", "1.0.2p", "1.0.2q", "1.0.2r",
    "1.0.2s", "1.0.2t", "1.0.2u", "1.0.2v", "1.0.2w", "1.0.2x", "1.0.2y", "1.0.2z",
    "1.0.2za", "1.0.2zb", "1.0.2zc", "1.0.2zd", "1.0.2ze", "1.0.2zf", "1.0.2zg", "1.0.2zh",
    "1.1.0", "1.1.0l", "1.1.1-pre1", "1.1.1-pre2", "1.1.1-pre9", "1.1.1", "1.1.1a",
    "1.1.1k", "1.1.1t", "1.1.1w", "3.0.0-alpha1", "3.0.0-alpha17", "3.0.0-beta1",
    "3.0.0-beta2", "3.0.0", "3.0.1", "3.0.9", "3.0.13", NULL};

static const char *const CH_TOMCAT[] = {
    "8.5.100", "9.0.0.M1", "9.0.0.M9", "9.0.0.M10", "9.0.0.M19", "9.0.0.M27",
    "9.0.0", "9.0.1", "9.0.9", "9.0.10", "9.0.98", "9.0.99", "10.0.0-M1", "10.0.0",
    "10.1.0-M1", "10.1.0-M17", "10.1.0", "10.1.35", "11.0.0-M1", "11.0.0-M26", "11.0.0",
    "11.0.3", NULL};

static const char *const CH_IVANTI[] = {
    "9.0R6", "9.1R1", "9.1R2", "9.1R3", "9.1R3.1", "9.1R4", "9.1R4.1", "9.1R4.3", "9.1R8",
    "9.1R8.2", "9.1R9", "9.1R10", "9.1R11", "9.1R11.3", "9.1R11.4", "9.1R11.5", "9.1R12",
    "9.1R18", "9.1R18.2", "22.1R1", "22.1R6", "22.2R1", "22.7R1", "22.7R1.1", "22.7R2",
    "22.7R2.5", "22.8R1", "22.8R2.2", NULL};

static const char *const CH_IOSXE[] = {
    "16.12.1", "16.12.1a", "16.12.1c", "16.12.1s", "16.12.1t", "16.12.1w", "16.12.1x",
    "16.12.1y", "16.12.1z1", "16.12.1z2", "16.12.2", "16.12.2a", "16.12.3", "16.12.9",
    "16.12.10", "16.12.10a", "17.1.1", "17.3.1", "17.3.1a", "17.3.8", "17.3.8a",
    "17.9.4", "17.9.4a", "17.12.1", NULL};

static const char *const CH_OPENSSH[] = {
    "6.8", "6.8p1", "6.9", "6.9p1", "7.4p1", "8.3", "8.3p1", "9.3", "9.3p1", "9.3p2",
    "9.4p1", "9.8", "9.8p1", "9.9", "9.9p1", "9.9p2", NULL};

static const char *const CH_JAVA8[] = {
    "1.7.0_80", "1.8.0", "1.8.0_05", "1.8.0_45", "1.8.0_202", "1.8.0_361", "1.8.0_371",
    "1.8.0_401", "11.0.18", "11.0.19", "17.0.6", "17.0.10", "21-ea+20",
    "21-ea+35", "21", "21.0.1", NULL};

/* PEP 440 "Summary of permitted suffixes and relative ordering" example, without its
 * .devN-inside-a-pre-release forms (see version.h) */
static const char *const CH_PEP440[] = {
    "1.0.dev456", "1.0a1", "1.0a2", "1.0a12", "1.0b1", "1.0b2", "1.0b2.post345", "1.0rc1",
    "1.0", "1.0+abc.5", "1.0+abc.7", "1.0+5", "1.0.post456.dev34", "1.0.post456",
    "1.0.15", "1.1.dev1", "1.1", NULL};

static const char *const CH_SEMVER[] = {
    "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
    "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.0+build.1", "1.0.1", NULL};

static const char *const CH_OFFICE[] = {
    "2010", "2010 sp1", "2010 sp2", "2013", "2013 cu1", "2013 cu23", "2016 cu8",
    "2016 cu23", NULL};

static const chain CHAINS[] = {
    {"OpenSSL", CH_OPENSSL}, {"Tomcat", CH_TOMCAT}, {"Ivanti", CH_IVANTI},
    {"IOS XE", CH_IOSXE},    {"OpenSSH", CH_OPENSSH}, {"Java", CH_JAVA8},
    {"PEP 440", CH_PEP440},  {"SemVer", CH_SEMVER},   {"Office", CH_OFFICE},
};

/* Release histories in order: every earlier release sorts below every later one. */
static void test_version_release_chains(void **state)
{
    (void)state;
    size_t pairs = 0;
    for (size_t c = 0; c < sizeof CHAINS / sizeof CHAINS[0]; c++) {
        const char *const *v = CHAINS[c].v;
        for (size_t i = 0; v[i]; i++)
            for (size_t j = i + 1; v[j]; j++) {
                check_pair(v[i], v[j], -1);
                pairs++;
            }
    }
    assert_true(pairs > 1000);
}

/* ------------------------------------------------------------------ ranges in the shared data */

/* Reads a file into a NUL-terminated malloc'd buffer. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap + 1);
    size_t r;
    while (b && (r = fread(b + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap) {
            char *nb = realloc(b, cap * 2 + 1);
            if (!nb) {
                free(b);
                b = NULL;
                break;
            }
            b = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (b) {
        b[n] = '\0';
        *len = n;
    }
    return b;
}

/* Value of "key": "..." inside the flat JSON object [o, e), unescaped into out
 * (\uXXXX kept as text: it only ever separates). */
static int json_field(const char *o, const char *e, const char *key, char *out, size_t cap)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\"", key);
    size_t pl = strlen(pat);
    for (const char *p = o; p + pl <= e; p++) {
        if (memcmp(p, pat, pl) != 0)
            continue;
        p += pl;
        while (p < e && (*p == ' ' || *p == ':' || *p == '\n' || *p == '\r' || *p == '\t'))
            p++;
        if (p >= e || *p != '"')
            return 0;
        p++;
        size_t n = 0;
        while (p < e && *p != '"' && n + 1 < cap) {
            if (*p == '\\' && p + 1 < e)
                p++;
            out[n++] = *p++;
        }
        out[n] = '\0';
        return 1;
    }
    return 0;
}

typedef void (*object_fn)(const char *o, const char *e, size_t *checked);

/* Calls fn on every flat object ({...} with no brace inside) of every .json file. */
static size_t each_flat_object(const char *dir, object_fn fn)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    size_t checked = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        size_t nl = strlen(de->d_name);
        if (nl < 6 || strcmp(de->d_name + nl - 5, ".json") != 0)
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        size_t len = 0;
        char *b = slurp(path, &len);
        if (!b)
            continue;
        const char *open = NULL;
        for (const char *p = b; p < b + len; p++) {
            if (*p == '{')
                open = p;
            else if (*p == '}' && open) {
                fn(open, p, &checked);
                open = NULL;
            }
        }
        free(b);
    }
    closedir(d);
    return checked;
}

/* NVD cpeMatch: versionStart* must not lie above versionEnd* (a real range is never
 * empty), and both bounds must be orderable. */
static void nvd_range(const char *o, const char *e, size_t *checked)
{
    char s[256], t[256];
    int s_incl = 1, e_incl = 1;
    int hs = json_field(o, e, "versionStartIncluding", s, sizeof s);
    if (!hs) {
        hs = json_field(o, e, "versionStartExcluding", s, sizeof s);
        s_incl = 0;
    }
    int he = json_field(o, e, "versionEndIncluding", t, sizeof t);
    if (!he) {
        he = json_field(o, e, "versionEndExcluding", t, sizeof t);
        e_incl = 0;
    }
    if (hs && !lf_version_orderable(s, strlen(s)))
        fail_msg("NVD start bound \"%s\" not orderable", s);
    if (he && !lf_version_orderable(t, strlen(t)))
        fail_msg("NVD end bound \"%s\" not orderable", t);
    if (!hs || !he)
        return;
    int c = lf_version_cmp(s, t);
    if (c > 0 || (c == 0 && !(s_incl && e_incl)))
        fail_msg("NVD range %s .. %s is empty (cmp %d)", s, t, c);
    (*checked)++;
}

/* Every bounded range of the shared NVD sample is non-empty under this order. */
static void test_version_nvd_ranges_nonempty(void **state)
{
    (void)state;
    const char *root = getenv("LF_SHARED_DATA");
    if (!root)
        skip();
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/nvd", root);
    DIR *d = opendir(dir);
    if (!d)
        skip();
    closedir(d);
    size_t n = each_flat_object(dir, nvd_range);
    assert_true(n >= 100);   /* the sample has well over a hundred bounded ranges */
}

/* CVE 5 "versions" entries: version <= lessThan / lessThanOrEqual, for the version
 * types that use this order (semver, custom); git, rpm and patch-only bounds and
 * placeholders ("0", "unspecified", "*", URLs) are skipped. */
static void cve5_range(const char *o, const char *e, size_t *checked)
{
    char v[256], lt[256], ty[64], st[64];
    if (!json_field(o, e, "version", v, sizeof v))
        return;
    int strict = 1;
    if (!json_field(o, e, "lessThan", lt, sizeof lt)) {
        if (!json_field(o, e, "lessThanOrEqual", lt, sizeof lt))
            return;
        strict = 0;
    }
    if (!json_field(o, e, "versionType", ty, sizeof ty) ||
        (strcmp(ty, "semver") != 0 && strcmp(ty, "custom") != 0))
        return;
    if (!json_field(o, e, "status", st, sizeof st) || strcmp(st, "affected") != 0)
        return;
    if (!lf_version_orderable(v, strlen(v)) || !lf_version_orderable(lt, strlen(lt)) ||
        strchr(v, '*') || strchr(lt, '*') || strcmp(v, "0") == 0)
        return;
    int c = lf_version_cmp(v, lt);
    /* Chrome's CNA writes version == lessThan; allow equality for strict bounds too */
    (void)strict;
    if (c > 0)
        fail_msg("CVE 5 range %s .. %s is empty", v, lt);
    (*checked)++;
}

/* Every usable CVE 5 range of the shared sample is non-empty under this order. */
static void test_version_cve5_ranges_nonempty(void **state)
{
    (void)state;
    const char *root = getenv("LF_SHARED_DATA");
    if (!root)
        skip();
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/cve5", root);
    DIR *d = opendir(dir);
    if (!d)
        skip();
    closedir(d);
    size_t n = each_flat_object(dir, cve5_range);
    assert_true(n >= 50);
}

/* ------------------------------------------------------------------ special inputs */

/* NULL, "" and text without letters or digits are the empty version, below all. */
static void test_version_empty_and_null(void **state)
{
    (void)state;
    assert_int_equal(lf_version_cmp(NULL, ""), 0);
    assert_int_equal(lf_version_cmp(NULL, NULL), 0);
    assert_int_equal(lf_version_cmp("*", "-"), 0);
    assert_int_equal(lf_version_cmp("", "..."), 0);
    assert_int_equal(lf_version_ncmp(NULL, 5, "", 0), 0);
    const char *above[] = {"0", "0.0", "alpha", "rc1", "a", "1", "r27", "\347\211\2101"};
    for (size_t i = 0; i < sizeof above / sizeof above[0]; i++) {
        check_pair("", above[i], -1);
        assert_int_equal(lf_version_cmp(NULL, above[i]), -1);
    }
    unsigned char k[LF_VERSION_KEY_MAX];
    assert_int_equal(lf_version_key(NULL, 3, k, sizeof k), 1);
    assert_int_equal(k[0], 0);
    /* 0 is a version (the lowest release), distinct from no version */
    check_pair("0", "0.0.0", 0);
    check_pair("0.0.0-alpha", "0", -1);
}

/* Only the first LF_VERSION_MAX bytes count, in cmp, ncmp and key alike. */
static void test_version_truncation(void **state)
{
    (void)state;
    char a[LF_VERSION_MAX + 40], b[LF_VERSION_MAX + 40];
    for (size_t i = 0; i < LF_VERSION_MAX; i++)
        a[i] = (i % 2) ? '.' : (char)('1' + (i / 2) % 9);
    memcpy(b, a, LF_VERSION_MAX);
    memcpy(a + LF_VERSION_MAX, "5.6.7", 6);
    memcpy(b + LF_VERSION_MAX, "-alpha", 7);
    assert_int_equal(lf_version_cmp(a, b), 0);
    assert_int_equal(lf_version_ncmp(a, strlen(a), b, strlen(b)), 0);
    assert_int_equal(key_order(a, strlen(a), b, strlen(b)), 0);
    /* a number cut at the limit: the digits past it do not count */
    memset(a, '9', LF_VERSION_MAX + 10);
    a[LF_VERSION_MAX + 10] = '\0';
    memset(b, '9', LF_VERSION_MAX);
    b[LF_VERSION_MAX] = '\0';
    assert_int_equal(lf_version_cmp(a, b), 0);
    b[LF_VERSION_MAX - 1] = '8';
    assert_int_equal(lf_version_cmp(a, b), 1);
    assert_int_equal(key_order(a, strlen(a), b, strlen(b)), 1);
}

/* The worst-case inputs stay within the documented key size, and a short buffer gets
 * a prefix while the return value still tells the full length. */
static void test_version_key_bounds(void **state)
{
    (void)state;
    const char *units[] = {"x1", "x.", "1.", "a1", "z0", "+x", "0."};
    char v[LF_VERSION_MAX + 1];
    unsigned char k[LF_VERSION_KEY_MAX];
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
        for (size_t i = 0; i < LF_VERSION_MAX; i++)
            v[i] = units[u][i % 2];
        v[LF_VERSION_MAX] = '\0';
        size_t n = lf_version_key(v, LF_VERSION_MAX, k, sizeof k);
        assert_true(n >= 1 && n <= 323);
    }
    const char *s = "120.0.6099.109";
    unsigned char full[LF_VERSION_KEY_MAX], part[4] = {0xAA, 0xAA, 0xAA, 0xAA};
    size_t n = lf_version_key(s, strlen(s), full, sizeof full);
    assert_int_equal(lf_version_key(s, strlen(s), NULL, 0), n);
    assert_int_equal(lf_version_key(s, strlen(s), part, 3), n);
    assert_memory_equal(part, full, 3);
    assert_int_equal(part[3], 0xAA);
}

/* A NUL inside a (pointer, length) version is a separator; lf_version_cmp stops at it. */
static void test_version_embedded_nul(void **state)
{
    (void)state;
    assert_int_equal(lf_version_ncmp("1\0" "2", 3, "1.2", 3), 0);
    assert_int_equal(lf_version_cmp("1\0" "2", "1"), 0);
}

typedef struct ord_case {
    const char *v;
    bool want;
} ord_case;

/* Placeholders, commits and digit-free text are not orderable; real versions are. */
static void test_version_orderable(void **state)
{
    (void)state;
    static const ord_case C[] = {
        {"", false}, {"*", false}, {"-", false}, {"n/a", false}, {"N/A", false},
        {"  ", false}, {"unspecified", false}, {"x.x.x", false}, {"deadbeef", false},
        {"1da177e4c3f4", false}, {"c0efd23", false}, {"ABCDEF12", false},
        {"47f11def1cd37e45dd060f30cdce346cbdbd6f0a", false},
        {"see references", false}, {"${{arpDisplayName}}", false},
        {"c0efd2", true}, {"1234567", true}, {"20230115", true}, {"1.0", true},
        {" 1.0 ", true}, {"1.1.1k", true}, {"9.3p1", true}, {"5.21(aazf.7)c0", true},
        {"r27", true}, {"v2.4.1", true}, {"10.0.19045.3803", true}, {"2.4.x.x", true},
        {"0", true}, {"1.0.2zd", true}, {"2023-01-15", true},
    };
    for (size_t i = 0; i < sizeof C / sizeof C[0]; i++)
        if (lf_version_orderable(C[i].v, strlen(C[i].v)) != C[i].want)
            fail_msg("orderable(\"%s\") != %d", C[i].v, C[i].want);
    assert_false(lf_version_orderable(NULL, 3));
    /* only the first LF_VERSION_MAX bytes are looked at */
    char v[LF_VERSION_MAX + 8];
    memset(v, '.', sizeof v);
    v[LF_VERSION_MAX + 2] = '1';
    assert_false(lf_version_orderable(v, sizeof v));
}

/* ------------------------------------------------------------------ properties */

typedef struct rng {
    uint64_t s;
} rng;

/* splitmix64: small, fixed-seed, state held by the caller */
static uint64_t rng_next(rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static size_t rng_below(rng *r, size_t n)
{
    return (size_t)(rng_next(r) % n);
}

#define GEN_CAP (LF_VERSION_MAX + 48)

typedef struct gstr {
    char s[GEN_CAP];
    size_t n;
} gstr;

static void put(gstr *g, const char *p, size_t n)
{
    while (n-- && g->n < GEN_CAP)
        g->s[g->n++] = *p++;
}

static const char *const WORDS[] = {
    "alpha", "beta", "rc", "RC", "dev", "pre", "preview", "milestone", "snapshot", "M",
    "a", "b", "c", "m", "p", "r", "h", "u", "v", "x", "z", "zd", "sp", "SP", "update",
    "build", "patch", "post", "final", "esr", "cu", "cumulative", "ubuntu", "aazf",
    "Beta", "ALPHA", "ea", "hotfix", "ga", "service", "pack", "pl", "rev", "lts",
};
static const char SEPS[] = ".-_+~: ()\\/,";

/* One version-like fragment: a number (maybe with leading zeros, maybe 0), a word,
 * or a separator. digits_only keeps to numbers and separators other than '+' so the
 * cmp fast path is exercised against the keys. */
static void gen_fragment(rng *r, gstr *g, int digits_only)
{
    char buf[16];
    size_t k = rng_below(r, digits_only ? 2 : 3);
    if (k == 0) {
        size_t len = 1 + rng_below(r, 4);
        int zero = rng_below(r, 4) == 0;
        for (size_t i = 0; i < len; i++)
            buf[i] = zero ? '0' : (char)('0' + rng_below(r, (i == 0 && rng_below(r, 3)) ? 3 : 10));
        put(g, buf, len);
    } else if (k == 1) {
        char c = SEPS[rng_below(r, sizeof SEPS - 1)];
        if (digits_only && c == '+')
            c = '.';
        put(g, &c, 1);
    } else {
        const char *w = WORDS[rng_below(r, sizeof WORDS / sizeof WORDS[0])];
        put(g, w, strlen(w));
    }
}

static void gen_version(rng *r, gstr *g)
{
    g->n = 0;
    int digits_only = rng_below(r, 3) == 0;
    size_t frags = rng_below(r, 12);
    if (rng_below(r, 40) == 0)
        frags = 80;   /* long: crosses LF_VERSION_MAX */
    for (size_t i = 0; i < frags; i++)
        gen_fragment(r, g, digits_only);
}

/* A nearby version: most random pairs differ in the first token, so mutate to make
 * ties and long common prefixes common. */
static void mutate(rng *r, const gstr *in, gstr *out)
{
    *out = *in;
    size_t edits = 1 + rng_below(r, 3);
    for (size_t e = 0; e < edits; e++) {
        size_t op = rng_below(r, 6);
        if (op == 0 && out->n) {                       /* change one byte */
            size_t i = rng_below(r, out->n);
            const char *alph = "0123456789.-abcrpz+";
            out->s[i] = alph[rng_below(r, strlen(alph))];
        } else if (op == 1) {                          /* append fragment */
            gen_fragment(r, out, 0);
        } else if (op == 2 && out->n) {                /* truncate */
            out->n = rng_below(r, out->n + 1);
        } else if (op == 3) {                          /* append a zero segment */
            put(out, ".0", 2);
        } else if (op == 4 && out->n) {                /* flip case */
            size_t i = rng_below(r, out->n);
            char c = out->s[i];
            if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
                out->s[i] = (char)(c ^ 0x20);
        } else {                                       /* insert a leading zero */
            for (size_t i = 0; i < out->n; i++)
                if (out->s[i] >= '1' && out->s[i] <= '9' && out->n < GEN_CAP) {
                    memmove(out->s + i + 1, out->s + i, out->n - i);
                    out->s[i] = '0';
                    out->n++;
                    break;
                }
        }
    }
}

static void gen_bytes(rng *r, gstr *g)
{
    g->n = rng_below(r, GEN_CAP + 1);
    for (size_t i = 0; i < g->n; i++) {
        uint64_t x = rng_next(r);
        /* biased towards the bytes the tokenizer cares about */
        const char *hot = "0123456789.+-aAbBcCpPrRuUvVzZ";
        g->s[i] = (x & 3) ? (char)(x >> 8) : hot[(x >> 8) % strlen(hot)];
    }
}

/* All the invariants over one triple. */
static void check_triple(const gstr *t)
{
    unsigned char k[3][LF_VERSION_KEY_MAX];
    size_t kl[3];
    int c[3][3];
    for (int i = 0; i < 3; i++) {
        kl[i] = lf_version_key(t[i].s, t[i].n, k[i], sizeof k[i]);
        assert_true(kl[i] >= 1 && kl[i] <= 323);
    }
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            c[i][j] = lf_version_ncmp(t[i].s, t[i].n, t[j].s, t[j].n);
    for (int i = 0; i < 3; i++) {
        if (c[i][i] != 0)
            fail_msg("not reflexive: \"%.*s\"", (int)t[i].n, t[i].s);
        for (int j = 0; j < 3; j++) {
            if (c[i][j] != -c[j][i])
                fail_msg("not antisymmetric: \"%.*s\" \"%.*s\"", (int)t[i].n, t[i].s,
                         (int)t[j].n, t[j].s);
            if (c[i][j] != key_cmp(k[i], kl[i], k[j], kl[j]))
                fail_msg("cmp %d but keys %d: \"%.*s\" \"%.*s\"", c[i][j],
                         key_cmp(k[i], kl[i], k[j], kl[j]), (int)t[i].n, t[i].s, (int)t[j].n,
                         t[j].s);
            for (int l = 0; l < 3; l++)
                if (c[i][j] <= 0 && c[j][l] <= 0 && c[i][l] > 0)
                    fail_msg("not transitive: \"%.*s\" <= \"%.*s\" <= \"%.*s\"", (int)t[i].n,
                             t[i].s, (int)t[j].n, t[j].s, (int)t[l].n, t[l].s);
        }
    }
}

/* 200,000 triples of generated version-like strings (and near neighbours). */
static void test_version_properties_generated(void **state)
{
    (void)state;
    rng r = {0x6C69616E66616E67ull};
    gstr t[3];
    for (int it = 0; it < 200000; it++) {
        gen_version(&r, &t[0]);
        if (rng_below(&r, 4) == 0)
            gen_version(&r, &t[1]);
        else
            mutate(&r, &t[0], &t[1]);
        if (rng_below(&r, 4) == 0)
            gen_version(&r, &t[2]);
        else
            mutate(&r, &t[rng_below(&r, 2)], &t[2]);
        check_triple(t);
        /* NUL-terminated entry point agrees with the (pointer, length) one */
        if (!memchr(t[0].s, '\0', t[0].n) && !memchr(t[1].s, '\0', t[1].n) &&
            t[0].n < GEN_CAP && t[1].n < GEN_CAP) {
            t[0].s[t[0].n] = '\0';
            t[1].s[t[1].n] = '\0';
            assert_int_equal(lf_version_cmp(t[0].s, t[1].s),
                             lf_version_ncmp(t[0].s, t[0].n, t[1].s, t[1].n));
        }
    }
}

/* 200,000 triples of random bytes, including NUL, >= 0x80 and over-long inputs. */
static void test_version_properties_random_bytes(void **state)
{
    (void)state;
    rng r = {0x0123456789ABCDEFull};
    gstr t[3];
    for (int it = 0; it < 200000; it++) {
        gen_bytes(&r, &t[0]);
        if (rng_below(&r, 2))
            gen_bytes(&r, &t[1]);
        else
            mutate(&r, &t[0], &t[1]);
        if (rng_below(&r, 2))
            gen_bytes(&r, &t[2]);
        else
            mutate(&r, &t[1], &t[2]);
        check_triple(t);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version_real_pairs),
        cmocka_unit_test(test_version_rules),
        cmocka_unit_test(test_version_release_chains),
        cmocka_unit_test(test_version_nvd_ranges_nonempty),
        cmocka_unit_test(test_version_cve5_ranges_nonempty),
        cmocka_unit_test(test_version_empty_and_null),
        cmocka_unit_test(test_version_truncation),
        cmocka_unit_test(test_version_key_bounds),
        cmocka_unit_test(test_version_embedded_nul),
        cmocka_unit_test(test_version_orderable),
        cmocka_unit_test(test_version_properties_generated),
        cmocka_unit_test(test_version_properties_random_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
