#!/usr/bin/env python3
"""Deterministic generator of a synthetic, NVD-scale CVE data set for lianfang's benchmarks.

It writes NVD CVE API 2.0 response pages (https://nvd.nist.gov/developers/vulnerabilities,
schema "cve_api_json_2.0"): DIR/nvd-0001.json ... each
  {"resultsPerPage", "startIndex", "totalResults", "format": "NVD_CVE", "version": "2.0",
   "timestamp", "vulnerabilities": [{"cve": {...}}, ...]}
pretty-printed with indent 2 and ASCII escapes, i.e. byte-for-byte what
json.dumps(page, indent=2) gives, the layout of the NVD records kept in ../shared/data/nvd.
Each `cve` object has the fields, key order and value shapes of those real records:
descriptions (en + es), CVSS v3.1 / v3.0 / v2 / v4.0 metrics whose baseScore,
exploitabilityScore and impactScore are consistent with the vector, weaknesses, configurations
(OR nodes, configuration-level AND for application-on-platform and firmware-on-hardware,
all four version-range bounds, exact versions, update / sw_edition / target_sw / target_hw
fields) and tagged references. It also writes DIR/vocab.json, the CPE vocabulary the
configurations actually use, for gen_inventory.py.

The content is synthetic (invented CVE numbers, descriptions, version histories) but built
from real vocabulary: vendor/product names from ../shared/data/cpe/tiiuae-cpedict-cpes.csv,
CVSS vectors and v4.0 metric blocks taken from ../shared/data/nvd/*.json, and hand-written
tables of well-known products. Output depends only on --seed, --cves and those two inputs
(never on the clock or on hash randomisation); --per-file and --gzip change only the framing.

CVSS formulas implemented here (checked against every metric in ../shared/data/nvd):
  v3.1 / v3.0: FIRST, "CVSS v3.1 Specification Document", section 7 (base metric equations)
               and Appendix A (Roundup; v3.0 used plain ceil to one decimal);
  v2.0:        FIRST, "A Complete Guide to the CVSS Version 2.0", section 3.2.1.
v4.0 scores need the specification's MacroVector lookup table, so v4.0 blocks are reused
verbatim from the real records instead of being computed.

Standard library only. Usage:
  bench/gen_nvd.py --out /tmp/nvd [--cves 300000] [--seed 1] [--per-file 20000] [--gzip]
"""

import argparse
import bisect
import csv
import glob
import gzip
import hashlib
import json
import math
import os
import random
import sys
import time

# ---------------------------------------------------------------------------------------------
# CVSS scoring (see module docstring for the specification sections)
# ---------------------------------------------------------------------------------------------

V3_AV = {'N': 0.85, 'A': 0.62, 'L': 0.55, 'P': 0.2}
V3_AC = {'L': 0.77, 'H': 0.44}
V3_UI = {'N': 0.85, 'R': 0.62}
V3_CIA = {'H': 0.56, 'L': 0.22, 'N': 0.0}
V3_NAMES = {
    'AV': ('attackVector', {'N': 'NETWORK', 'A': 'ADJACENT_NETWORK', 'L': 'LOCAL', 'P': 'PHYSICAL'}),
    'AC': ('attackComplexity', {'L': 'LOW', 'H': 'HIGH'}),
    'PR': ('privilegesRequired', {'N': 'NONE', 'L': 'LOW', 'H': 'HIGH'}),
    'UI': ('userInteraction', {'N': 'NONE', 'R': 'REQUIRED'}),
    'S': ('scope', {'U': 'UNCHANGED', 'C': 'CHANGED'}),
    'C': ('confidentialityImpact', {'N': 'NONE', 'L': 'LOW', 'H': 'HIGH'}),
    'I': ('integrityImpact', {'N': 'NONE', 'L': 'LOW', 'H': 'HIGH'}),
    'A': ('availabilityImpact', {'N': 'NONE', 'L': 'LOW', 'H': 'HIGH'}),
}
V3_ORDER = ('AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A')
V2_NAMES = {
    'AV': ('accessVector', {'L': 'LOCAL', 'A': 'ADJACENT_NETWORK', 'N': 'NETWORK'}),
    'AC': ('accessComplexity', {'H': 'HIGH', 'M': 'MEDIUM', 'L': 'LOW'}),
    'Au': ('authentication', {'M': 'MULTIPLE', 'S': 'SINGLE', 'N': 'NONE'}),
    'C': ('confidentialityImpact', {'N': 'NONE', 'P': 'PARTIAL', 'C': 'COMPLETE'}),
    'I': ('integrityImpact', {'N': 'NONE', 'P': 'PARTIAL', 'C': 'COMPLETE'}),
    'A': ('availabilityImpact', {'N': 'NONE', 'P': 'PARTIAL', 'C': 'COMPLETE'}),
}
V2_ORDER = ('AV', 'AC', 'Au', 'C', 'I', 'A')


def _roundup31(x):
    # CVSS v3.1 Appendix A: integer arithmetic avoids floating-point artefacts.
    i = round(x * 100000)
    if i % 10000 == 0:
        return i / 100000.0
    return (math.floor(i / 10000) + 1) / 10.0


def _roundup30(x):
    return math.ceil(x * 10) / 10.0


def _round1(x):
    # NVD rounds the sub-scores half-up to one decimal.
    return math.floor(x * 10 + 0.5 + 1e-9) / 10.0


def cvss3_scores(version, m):
    """(baseScore, exploitabilityScore, impactScore) for a v3.x metric dict m (spec section 7)."""
    changed = m['S'] == 'C'
    pr = {'N': 0.85, 'L': 0.68 if changed else 0.62, 'H': 0.5 if changed else 0.27}[m['PR']]
    iss = 1 - (1 - V3_CIA[m['C']]) * (1 - V3_CIA[m['I']]) * (1 - V3_CIA[m['A']])
    if changed:
        imp = 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15
    else:
        imp = 6.42 * iss
    ex = 8.22 * V3_AV[m['AV']] * V3_AC[m['AC']] * pr * V3_UI[m['UI']]
    ru = _roundup31 if version == '3.1' else _roundup30
    if imp <= 0:
        base = 0.0
    elif changed:
        base = ru(min(1.08 * (imp + ex), 10))
    else:
        base = ru(min(imp + ex, 10))
    return base, _round1(ex), _round1(imp)


def cvss2_scores(m):
    """(baseScore, exploitabilityScore, impactScore) for a v2 metric dict m (guide 3.2.1)."""
    cia = {'N': 0.0, 'P': 0.275, 'C': 0.660}
    imp = 10.41 * (1 - (1 - cia[m['C']]) * (1 - cia[m['I']]) * (1 - cia[m['A']]))
    ex = 20 * {'L': 0.395, 'A': 0.646, 'N': 1.0}[m['AV']] * \
        {'H': 0.35, 'M': 0.61, 'L': 0.71}[m['AC']] * {'M': 0.45, 'S': 0.56, 'N': 0.704}[m['Au']]
    f = 0 if imp == 0 else 1.176
    return _round1((0.6 * imp + 0.4 * ex - 1.5) * f), _round1(ex), _round1(imp)


def sev3(score):
    if score == 0:
        return 'NONE'
    if score < 4.0:
        return 'LOW'
    if score < 7.0:
        return 'MEDIUM'
    if score < 9.0:
        return 'HIGH'
    return 'CRITICAL'


def sev2(score):
    return 'LOW' if score < 4.0 else ('MEDIUM' if score < 7.0 else 'HIGH')


def parse_vec(body):
    return dict(x.split(':', 1) for x in body.split('/'))


class Cvss:
    """Caches the rendered cvssData blocks: a pool of a few hundred distinct vectors is reused."""

    def __init__(self):
        self.c3 = {}
        self.c2 = {}

    def v3(self, version, body):
        key = (version, body)
        hit = self.c3.get(key)
        if hit is None:
            m = parse_vec(body)
            base, ex, imp = cvss3_scores(version, m)
            data = {'version': version, 'vectorString': 'CVSS:%s/%s' % (version, body),
                    'baseScore': base, 'baseSeverity': sev3(base)}
            for k in V3_ORDER:
                name, vals = V3_NAMES[k]
                data[name] = vals[m[k]]
            hit = (data, ex, imp, base)
            self.c3[key] = hit
        return hit

    def v2(self, body):
        hit = self.c2.get(body)
        if hit is None:
            m = parse_vec(body)
            base, ex, imp = cvss2_scores(m)
            data = {'version': '2.0', 'vectorString': body, 'baseScore': base}
            for k in V2_ORDER:
                name, vals = V2_NAMES[k]
                data[name] = vals[m[k]]
            hit = (data, ex, imp, base, m)
            self.c2[body] = hit
        return hit


# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------

def wchoice(rng, items, cum):
    """Weighted choice with precomputed cumulative weights (much faster than rng.choices)."""
    return items[bisect.bisect_right(cum, rng.random() * cum[-1])]


def cumw(weights):
    out, t = [], 0.0
    for w in weights:
        t += w
        out.append(t)
    return out


def match_id(key):
    # Same criteria + range => same id, as NVD's match strings are shared between CVEs.
    h = hashlib.md5(key.encode('utf-8')).hexdigest().upper()
    return '%s-%s-4%s-%s%s-%s' % (h[0:8], h[8:12], h[13:16], '89AB'[int(h[16], 16) & 3],
                                   h[17:20], h[20:32])


def heavy_k(rng, old):
    """Number of exact versions a criteria list enumerates: mostly few, a heavy tail to 300."""
    r = rng.random()
    if old:
        r *= 0.8
    if r < 0.035:
        return rng.randint(50, 300)
    if r < 0.11:
        return rng.randint(15, 49)
    if r < 0.28:
        return rng.randint(5, 14)
    if r < 0.60:
        return rng.randint(2, 4)
    return 1


VENDOR_TITLES = {
    'ibm': 'IBM', 'hp': 'HP', 'hpe': 'HPE', 'sap': 'SAP', 'vmware': 'VMware', 'qnap': 'QNAP',
    'asus': 'ASUS', 'dlink': 'D-Link', 'tp-link': 'TP-Link', 'zyxel': 'Zyxel', 'f5': 'F5',
    'totolink': 'TOTOLINK', 'draytek': 'DrayTek', 'sonicwall': 'SonicWall', 'netgear': 'NETGEAR',
    'lg': 'LG', 'nec': 'NEC', 'gnu': 'GNU', 'redhat': 'Red Hat', 'trendmicro': 'Trend Micro',
    'paloaltonetworks': 'Palo Alto Networks', 'mediatek': 'MediaTek', 'hikvision': 'Hikvision',
    'phpmyadmin': 'phpMyAdmin', 'gitlab': 'GitLab', 'linecorp': 'LINE', 'oracle': 'Oracle'}


def title_of(name):
    if name in VENDOR_TITLES:
        return VENDOR_TITLES[name]
    s = name.replace('\\', '').replace('_', ' ')
    return ' '.join(w[:1].upper() + w[1:] for w in s.split(' ') if w)


YEARS = list(range(1999, 2026))
# Approximate number of CVEs NVD published per year (rounded public statistics), used as weights.
YEAR_W = [1600, 1200, 1700, 2400, 1500, 2700, 4800, 7000, 6500, 5600, 5700, 4600, 4200, 5300,
          5200, 7900, 6500, 6400, 14600, 16500, 17300, 18300, 20100, 25000, 29000, 40000, 38000]
YEAR_CUM = cumw(YEAR_W)


# ---------------------------------------------------------------------------------------------
# Version histories.  Each product gets an ordered list of (version, update) releases; a CVE of
# year Y fixes at a position proportional to Y inside the product's life, so newer CVEs fix
# newer versions, and the newest releases are fixed for most CVEs.
# ---------------------------------------------------------------------------------------------

def h_semver(rng, n, m0=None, two=False):
    out = []
    ma = m0 if m0 is not None else rng.choice((0, 1, 1, 1, 2, 2, 3, 4, 5, 7))
    mi = 0
    while len(out) < n:
        if two:
            out.append(('%d.%d' % (ma, mi), ''))
        else:
            for pa in range(rng.randint(0, 9) + 1):
                out.append(('%d.%d.%d' % (ma, mi, pa), ''))
        if rng.random() < (0.3 if two else 0.22):
            ma += 1
            mi = 0
        else:
            mi += 1
    return out[:n]


def h_letter(rng, n):
    # OpenSSL-like: 1.0.2, 1.0.2a ... 1.0.2zh, then the next series.
    out = []
    ma, mi, pa = rng.choice((0, 1, 1, 2)), rng.randint(0, 9), rng.randint(0, 8)
    letters = 'abcdefghijklmnopqrstuvwxyz'
    while len(out) < n:
        base = '%d.%d.%d' % (ma, mi, pa)
        out.append((base, ''))
        for i in range(rng.randint(3, 26)):
            out.append((base + letters[i], ''))
        pa += 1
        if rng.random() < 0.3:
            mi += 1
            pa = 0
    return out[:n]


def h_build4(rng, n, a0=None):
    # Four-part builds: 12.2.0.13110 (WPS), 15.007.20033 style numbers.
    out = []
    a = a0 if a0 is not None else rng.randint(1, 20)
    b, c = 0, 0
    build = rng.randint(100, 9000)
    while len(out) < n:
        build += rng.randint(3, 400)
        out.append(('%d.%d.%d.%d' % (a, b, c, build), ''))
        r = rng.random()
        if r < 0.08:
            a += 1
            b = c = 0
        elif r < 0.2:
            b += 1
            c = 0
        elif r < 0.35:
            c += 1
    return out[:n]


def h_date(rng, n, y0):
    out = []
    y, m, d = max(y0, 2000), 1, 1
    dotted = rng.random() < 0.6
    while len(out) < n:
        m += rng.randint(1, 3)
        if m > 12:
            y, m = y + 1, m - 12
        d = rng.randint(1, 28)
        out.append((('%d.%02d.%02d' if dotted else '%d%02d%02d') % (y, m, d), ''))
    return out[:n]


def h_fw_dlink(rng, n):
    out = []
    a, b = 1, 0
    while len(out) < n:
        out.append(('%d.%02db%02d' % (a, b, rng.randint(1, 12)), ''))
        b += rng.randint(1, 4)
        if b > 20:
            a, b = a + 1, 0
    return out[:n]


def h_fw_paren(rng, n):
    # ZyXEL-like firmware with escaped parentheses in the CPE formatted string.
    out = []
    a, b = rng.randint(3, 5), rng.randint(0, 30)
    code = ''.join(rng.choice('abcdefghijklmnopqrstuvwxyz') for _ in range(4))
    p = 0
    while len(out) < n:
        out.append(('%d.%02d\\(%s.%d\\)c0' % (a, b, code, p), ''))
        p += 1
        if p > rng.randint(3, 9):
            b += 1
            p = 0
    return out[:n]


def h_fw_build(rng, n):
    # TOTOLINK / TP-Link style: 9.1.0u.6115_b20201022, 1.0.16_build_20190131
    out = []
    a, b, c = rng.randint(1, 9), rng.randint(0, 5), rng.randint(0, 9)
    build = rng.randint(1000, 6000)
    y, m = rng.randint(2014, 2019), 1
    style = rng.random() < 0.5
    while len(out) < n:
        build += rng.randint(1, 120)
        m += rng.randint(1, 4)
        if m > 12:
            y, m = y + 1, m - 12
        if style:
            out.append(('%d.%d.%du.%d_b%d%02d%02d' % (a, b, c, build, y, m, rng.randint(1, 28)), ''))
        else:
            out.append(('%d.%d.%d_build_%d%02d%02d' % (a, b, c, y, m, rng.randint(1, 28)), ''))
        if rng.random() < 0.3:
            c += 1
    return out[:n]


def h_hyph(rng, n):
    # Synology DSM / SonicWall style: 7.2.1-69057, 10.2.0.5-29sv
    out = []
    a, b, c = rng.randint(5, 9), 0, 0
    build = rng.randint(1000, 60000)
    suffix = rng.choice(('', '', 'sv', 'n'))
    while len(out) < n:
        build += rng.randint(10, 900)
        out.append(('%d.%d.%d-%d%s' % (a, b, c, build, suffix), ''))
        r = rng.random()
        if r < 0.1:
            a, b, c = a + 1, 0, 0
        elif r < 0.35:
            b, c = b + 1, 0
        else:
            c += 1
    return out[:n]


def h_update(rng, n, kind):
    # Versions whose CPE `update` field carries the patch level.
    out = []
    if kind == 'sp':        # 4.70:sp7, 2019.1:sp1912
        v = rng.randint(1, 9)
        while len(out) < n:
            base = '%d.%d' % (v, rng.randint(0, 9))
            out.append((base, ''))
            for s in range(1, rng.randint(2, 6)):
                out.append((base, 'sp%d' % s))
            v += 1
    elif kind == 'r':       # Ivanti 22.1:r1, 22.4:r2.1
        y = rng.randint(8, 20)
        while len(out) < n:
            for q in range(1, rng.randint(2, 6)):
                base = '%d.%d' % (y, q)
                for r in range(1, rng.randint(2, 7)):
                    out.append((base, 'r%d' % r))
                    if rng.random() < 0.3:
                        out.append((base, 'r%d.%d' % (r, rng.randint(1, 3))))
            y += 1
    elif kind == 'h':       # PAN-OS 10.2.12:h1
        a, b = rng.randint(6, 9), 0
        while len(out) < n:
            for c in range(0, rng.randint(4, 16)):
                base = '%d.%d.%d' % (a, b, c)
                out.append((base, ''))
                for h in range(1, rng.randint(1, 5)):
                    out.append((base, 'h%d' % h))
            b += 1
            if b > 2:
                a, b = a + 1, 0
    elif kind == 'p':       # OpenSSH 8.3:p1, sudo 1.9.12:p1
        a, b = rng.randint(1, 6), 0
        while len(out) < n:
            base = '%d.%d' % (a, b)
            out.append((base, ''))
            for p in range(1, rng.randint(1, 3)):
                out.append((base, 'p%d' % p))
            b += 1
            if b > 9:
                a, b = a + 1, 0
    else:                   # milestones / betas / rcs before a release (Tomcat, Log4j)
        a, b = rng.randint(1, 9), 0
        tag = rng.choice(('beta', 'rc', 'milestone', 'alpha'))
        while len(out) < n:
            base = '%d.%d.0' % (a, b)
            for t in range(1, rng.randint(2, 6)):
                out.append((base, '%s%d' % (tag, t)))
            for c in range(0, rng.randint(3, 30)):
                out.append(('%d.%d.%d' % (a, b, c), ''))
            b += 1
            if rng.random() < 0.3:
                a, b = a + 1, 0
    return out[:n]


def h_chrome(rng, n, y0):
    # Chrome / Edge / Opera: MAJOR.0.BUILD.PATCH, majors about 6.5 a year since 2008.
    out = []
    for ma in range(1, 140):
        build = 50 * ma + 100 + rng.randint(0, 30)
        for _ in range(rng.randint(2, 6)):
            out.append(('%d.0.%d.%d' % (ma, build, rng.randint(30, 250)), ''))
    out.sort(key=lambda v: tuple(int(x) for x in v[0].split('.')))
    if len(out) > n:
        step = len(out) / float(n)
        out = [out[int(i * step)] for i in range(n)]
    return out


def h_firefox(rng, n):
    out = []
    for ma in range(1, 142):
        out.append(('%d.0' % ma, ''))
        for p in range(1, rng.randint(1, 4)):
            out.append(('%d.0.%d' % (ma, p), ''))
    return out[:n] if n < len(out) else out


def h_esr(rng, n):
    out = []
    for ma in (10, 17, 24, 31, 38, 45, 52, 60, 68, 78, 91, 102, 115, 128, 140):
        for mi in range(0, rng.randint(6, 14)):
            out.append(('%d.%d.0' % (ma, mi), ''))
            if rng.random() < 0.4:
                out.append(('%d.%d.1' % (ma, mi), ''))
    return out


LTS = {(2, 6, 32): 71, (3, 2): 102, (3, 10): 108, (3, 16): 85, (3, 18): 140, (4, 4): 302,
       (4, 9): 337, (4, 14): 336, (4, 19): 325, (5, 4): 290, (5, 10): 236, (5, 15): 178,
       (6, 1): 129, (6, 6): 72, (6, 12): 20}


def h_kernel(rng):
    out = []
    for s in range(0, 40):
        key = (2, 6, s)
        out.append(('2.6.%d' % s, ''))
        for p in range(1, LTS.get(key, rng.randint(2, 28)) + 1):
            out.append(('2.6.%d.%d' % (s, p), ''))
    for ma, last in ((3, 19), (4, 20), (5, 19), (6, 14)):
        for mi in range(0, last + 1):
            out.append(('%d.%d' % (ma, mi), ''))
            top = LTS.get((ma, mi))
            for p in range(1, (top if top else rng.randint(5, 24)) + 1):
                out.append(('%d.%d.%d' % (ma, mi, p), ''))
    return out


ANDROID = ['1.0', '1.5', '1.6', '2.0', '2.1', '2.2', '2.3', '3.0', '3.1', '3.2', '4.0', '4.1',
           '4.2', '4.3', '4.4', '5.0', '5.1', '6.0', '7.0', '7.1', '8.0', '8.1', '9.0', '10.0',
           '11.0', '12.0', '12.1', '13.0', '14.0', '15.0']


def make_history(style, rng, n, y0):
    if style == 'semver':
        return h_semver(rng, n)
    if style == 'two':
        return h_semver(rng, n, two=True)
    if style == 'letter':
        return h_letter(rng, n)
    if style == 'build4':
        return h_build4(rng, n)
    if style == 'date':
        return h_date(rng, n, y0)
    if style == 'dlink':
        return h_fw_dlink(rng, n)
    if style == 'paren':
        return h_fw_paren(rng, n)
    if style == 'fwbuild':
        return h_fw_build(rng, n)
    if style == 'hyph':
        return h_hyph(rng, n)
    if style.startswith('upd_'):
        return h_update(rng, n, style[4:])
    if style == 'chrome':
        return h_chrome(rng, n, y0)
    if style == 'firefox':
        return h_firefox(rng, n)
    if style == 'esr':
        return h_esr(rng, n)
    if style == 'kernel':
        return h_kernel(rng)
    if style == 'android':
        return [(v, '') for v in ANDROID]
    if style == 'cisco':     # IOS: 15.2\(4\)m10, escaped parentheses
        out = []
        for ma in (12, 15):
            for mi in range(0, 10):
                for t in range(1, rng.randint(2, 8)):
                    train = rng.choice(('m', 'e', 't', 's', 'sy', 'ea'))
                    for r in range(0, rng.randint(1, 8)):
                        out.append(('%d.%d\\(%d\\)%s%s' % (ma, mi, t, train, r if r else ''), ''))
        return out
    if style == 'iosxe':     # 17.3.8a
        out = []
        for ma in (3, 16, 17):
            for mi in range(1, 13):
                for p in range(1, rng.randint(2, 10)):
                    out.append(('%d.%d.%d' % (ma, mi, p), ''))
                    if rng.random() < 0.4:
                        out.append(('%d.%d.%da' % (ma, mi, p), ''))
        return out
    if style == 'junos':     # 21.4:r3-s5
        out = []
        for y in range(12, 25):
            for q in range(1, 5):
                base = '%d.%d' % (y, q)
                out.append((base, '-'))
                for r in range(1, rng.randint(2, 4)):
                    out.append((base, 'r%d' % r))
                    for s_ in range(1, rng.randint(1, 9)):
                        out.append((base, 'r%d-s%d' % (r, s_)))
        return out
    if style == 'msyear':    # office 2016, 2013:sp1
        return [('2007', 'sp3'), ('2010', 'sp2'), ('2013', 'sp1'), ('2013', 'rt'), ('2016', ''),
                ('2019', ''), ('2021', ''), ('2024', '')]
    if style == 'exchange':
        out = []
        for y, cus in (('2010', 32), ('2013', 23), ('2016', 23), ('2019', 15)):
            out.append((y, 'sp1' if y != '2016' else '-'))
            for cu in range(1, cus + 1):
                out.append((y, 'cumulative_update_%d' % cu))
        return out
    if style == 'jdk':       # 1.8.0:update361, 11.0.18
        out = []
        for ma in (6, 7, 8):
            for u in range(0, 400, rng.randint(3, 9)):
                out.append(('1.%d.0' % ma, 'update%d' % u if u else ''))
        for ma in (11, 17, 21, 23):
            for p in range(0, 26):
                out.append(('%d.0.%d' % (ma, p), ''))
        return out
    if style == 'dash':
        return [('-', '')]
    raise ValueError(style)


def branch_key(ver):
    """The release series a version belongs to, for multi-branch ranges (5.10.x, 1.0.2x, 120.x)."""
    parts = ver.split('.')
    if len(parts) >= 3 and len(parts[0]) >= 2 and parts[1] == '0':    # chrome-like 120.0.6099.1
        return parts[0]
    if len(parts) >= 3:
        return parts[0] + '.' + parts[1]
    return parts[0]


class Prod:
    __slots__ = ('part', 'vendor', 'product', 'title', 'style', 'y0', 'count', 'flags', 'tsw', 'sw',
                 'hist', 'src', 'kind', 'hw', 'used', 'prefix', 'branches', 'fam', 'models')

    def __init__(self, part, vendor, product, style, y0, count, flags='', title=None):
        self.part, self.vendor, self.product = part, vendor, product
        self.style, self.y0, self.count, self.flags = style, y0, count, flags
        self.title = title or '%s %s' % (title_of(vendor), title_of(product))
        self.tsw = '*'
        self.sw = ('*',)      # sw_edition values; every criterion is emitted once per edition
        self.hist = None
        self.src = None
        self.kind = 'plain'
        self.hw = None        # for firmware: the matching hardware Prod
        self.used = 0         # number of CVEs whose criteria name this product
        self.prefix = 'cpe:2.3:%s:%s:%s:' % (part, vendor, product)
        self.branches = None
        self.fam = None
        self.models = None


# ---------------------------------------------------------------------------------------------
# The product catalogue
# ---------------------------------------------------------------------------------------------

# Head products: part vendor product style first-year CVEs-per-300k flags [title].
# flags: D = open source, gets distribution add-on configurations; W = desktop application, may
# be AND-ed with a Windows/macOS platform node; M = mobile app, AND-ed with Android/iOS;
# B = multi-branch ranges are common.
HEAD = """
o linux linux_kernel kernel 1999 10500 DB Linux kernel
o google android android 2009 5200 M Android
a google chrome chrome 2008 3300 W Google Chrome
a mozilla firefox firefox 2004 2300 W Mozilla Firefox
a mozilla firefox_esr esr 2012 900 W Mozilla Firefox ESR
a mozilla thunderbird esr 2005 900 W Mozilla Thunderbird
a microsoft edge_chromium chrome 2020 700 W Microsoft Edge (Chromium-based)
a apple safari semver 2003 900 - Safari
a adobe flash_player build4 2005 1100 W Adobe Flash Player
a microsoft internet_explorer two 1999 1300 W Internet Explorer
a oracle mysql semver 2003 1700 DB MySQL
a oracle jdk jdk 2006 700 W Oracle JDK
a oracle jre jdk 2006 700 W Oracle JRE
a oracle openjdk semver 2012 300 D OpenJDK
a php php semver 2000 750 DB PHP
a wordpress wordpress semver 2004 650 - WordPress
a drupal drupal semver 2004 380 - Drupal
a joomla joomla\\! semver 2005 300 - Joomla!
a apache http_server semver 1999 300 DB Apache HTTP Server
a apache tomcat upd_ms 2000 450 DB Apache Tomcat
a apache struts semver 2006 120 D Apache Struts
a apache log4j upd_ms 2017 40 D Apache Log4j
a apache airflow semver 2019 150 D Apache Airflow
a openssl openssl letter 2000 280 DB OpenSSL
a openbsd openssh upd_p 2000 140 D OpenSSH
a haxx curl semver 2000 180 DB curl
a haxx libcurl semver 2000 170 DB libcurl
a gnu glibc two 1999 160 D GNU C Library
a gnu bash semver 2000 30 D GNU Bash
a sudo_project sudo upd_p 2000 60 D sudo
a tukaani xz semver 2010 10 D XZ Utils
a zlib zlib semver 2002 20 D zlib
a sqlite sqlite semver 2006 160 D SQLite
a python python semver 2000 250 D Python
a perl perl semver 2000 90 D Perl
a systemd_project systemd two 2012 60 D systemd
a vim vim semver 2002 220 D Vim
a git-scm git semver 2008 90 D Git
a samba samba semver 1999 230 DB Samba
a isc bind semver 1999 140 D ISC BIND
a f5 nginx semver 2009 60 D nginx
a nodejs node.js semver 2012 170 D Node.js
a postgresql postgresql two 2000 180 DB PostgreSQL
a mariadb mariadb semver 2012 170 D MariaDB
a docker docker semver 2014 60 D Docker
a imagemagick imagemagick semver 2004 650 D ImageMagick
a ffmpeg ffmpeg semver 2005 500 D FFmpeg
a wireshark wireshark semver 2005 700 DB Wireshark
a libtiff libtiff semver 2004 200 D LibTIFF
a jenkins jenkins semver 2011 300 D Jenkins
a gitlab gitlab semver 2013 1400 B GitLab
a atlassian confluence_server semver 2008 110 - Confluence Server
a atlassian jira semver 2008 260 - Jira
a microsoft office msyear 1999 1200 W Microsoft Office
a microsoft excel msyear 2000 500 W Microsoft Excel
a microsoft word msyear 2000 300 W Microsoft Word
a microsoft outlook msyear 2000 160 W Microsoft Outlook
a microsoft sharepoint_server msyear 2003 400 - Microsoft SharePoint Server
a microsoft exchange_server exchange 2003 300 - Microsoft Exchange Server
a microsoft .net_framework semver 2003 200 W Microsoft .NET Framework
a microsoft visual_studio_2022 semver 2021 200 W Microsoft Visual Studio 2022
a microsoft teams semver 2020 40 W Microsoft Teams
a adobe acrobat_reader_dc build4 2015 1300 W Adobe Acrobat Reader DC
a adobe acrobat_dc build4 2015 900 W Adobe Acrobat DC
a adobe photoshop semver 2005 150 W Adobe Photoshop
a adobe experience_manager semver 2012 900 - Adobe Experience Manager
a 7-zip 7-zip two 2008 15 W 7-Zip
a rarlab winrar two 2005 15 W WinRAR
a notepad-plus-plus notepad\\+\\+ semver 2008 15 W Notepad++
a videolan vlc_media_player semver 2005 110 W VLC media player
a zoom meetings semver 2018 90 WM Zoom Meetings
a putty putty two 2000 20 W PuTTY
a winscp winscp semver 2008 10 W WinSCP
a filezilla-project filezilla_client semver 2005 15 W FileZilla Client
a teamviewer teamviewer build4 2010 25 W TeamViewer
a anydesk anydesk semver 2018 10 W AnyDesk
a kingsoft wps_office build4 2010 25 W WPS Office
a linecorp line semver 2014 20 WM LINE
a foxitsoftware foxit_reader build4 2008 300 W Foxit Reader
a foxitsoftware foxit_pdf_editor build4 2012 150 W Foxit PDF Editor
a vmware workstation semver 2007 150 W VMware Workstation
a vmware esxi semver 2007 200 - VMware ESXi
a vmware vcenter_server semver 2009 120 - VMware vCenter Server
a oracle virtualbox semver 2008 350 W Oracle VM VirtualBox
a ivanti connect_secure upd_r 2014 120 - Ivanti Connect Secure
a ivanti endpoint_manager semver 2018 100 - Ivanti Endpoint Manager
a citrix netscaler_application_delivery_controller hyph 2014 120 - NetScaler ADC
a progress moveit_transfer date 2015 40 - MOVEit Transfer
a elastic kibana semver 2015 120 - Kibana
a elastic elasticsearch semver 2014 90 - Elasticsearch
a grafana grafana semver 2016 110 - Grafana
a redhat keycloak semver 2016 120 - Keycloak
a trendmicro apex_one build4 2019 180 W Trend Micro Apex One
a sophos sfos build4 2017 60 - Sophos Firewall
a paloaltonetworks pan-os upd_h 2012 300 - PAN-OS
o fortinet fortios semver 2010 650 B FortiOS
a fortinet fortiproxy semver 2016 250 B FortiProxy
a fortinet fortimanager semver 2013 150 B FortiManager
a fortinet fortiweb semver 2013 200 B FortiWeb
o cisco ios cisco 1999 900 - Cisco IOS
o cisco ios_xe iosxe 2009 800 - Cisco IOS XE
o cisco adaptive_security_appliance_software build4 2005 300 - Cisco ASA Software
a cisco firepower_threat_defense build4 2016 250 - Cisco Firepower Threat Defense
o juniper junos junos 2004 1200 - Juniper Junos OS
o synology diskstation_manager hyph 2012 150 - Synology DiskStation Manager
o qnap qts build4 2013 300 - QNAP QTS
a sap netweaver semver 2006 400 - SAP NetWeaver
a ibm websphere_application_server build4 2002 600 - IBM WebSphere Application Server
a ibm db2 build4 2002 350 - IBM Db2
a ibm qradar_security_information_and_event_manager semver 2014 250 - IBM QRadar SIEM
a hp system_management_homepage semver 2006 120 - HP System Management Homepage
a siemens simatic_wincc upd_sp 2010 250 - SIMATIC WinCC
a schneider-electric ecostruxure_control_expert semver 2018 80 - EcoStruxure Control Expert
a moodle moodle semver 2005 500 - Moodle
a phpmyadmin phpmyadmin semver 2004 230 - phpMyAdmin
a roundcube webmail semver 2008 80 - Roundcube Webmail
a mediawiki mediawiki semver 2006 350 - MediaWiki
a nextcloud nextcloud_server semver 2016 250 - Nextcloud Server
a gpac gpac semver 2015 300 D GPAC
a radare radare2 semver 2017 200 D radare2
a vim_project vim semver 2022 10 D Vim (vim_project)
a openbsd openbsd two 1999 50 - OpenBSD
a tcpdump tcpdump semver 2000 180 D tcpdump
a golang go semver 2011 200 D Go
a rust-lang rust semver 2015 60 D Rust
a xen xen two 2007 450 D Xen
a qemu qemu semver 2007 400 D QEMU
a kubernetes kubernetes semver 2017 100 D Kubernetes
a envoyproxy envoy semver 2019 100 D Envoy
a tensorflow tensorflow semver 2019 450 D TensorFlow
a libreoffice libreoffice semver 2011 100 DW LibreOffice
a gimp gimp semver 2007 30 DW GIMP
a oracle e-business_suite build4 2005 900 - Oracle E-Business Suite
a oracle weblogic_server build4 2006 400 - Oracle WebLogic Server
a oracle database_server build4 2001 450 - Oracle Database Server
a oracle peoplesoft_enterprise_peopletools two 2005 300 - PeopleSoft PeopleTools
a microsoft sql_server build4 2001 250 - Microsoft SQL Server
a microsoft windows_defender build4 2010 80 W Microsoft Defender
a apple itunes build4 2006 450 W iTunes
a apple xcode semver 2012 60 - Xcode
"""

# Platform / distribution products used as add-ons and AND platform nodes.
DISTRO = """
o debian debian_linux 1999 - Debian GNU/Linux
o fedoraproject fedora 2005 - Fedora
o canonical ubuntu_linux 2005 - Ubuntu Linux
o redhat enterprise_linux 2002 - Red Hat Enterprise Linux
o opensuse leap 2015 - openSUSE Leap
o suse linux_enterprise_server 2005 - SUSE Linux Enterprise Server
"""
DISTRO_VERSIONS = {
    'debian_linux': [(2000, '3.0'), (2005, '4.0'), (2009, '5.0'), (2011, '6.0'), (2013, '7.0'),
                     (2015, '8.0'), (2017, '9.0'), (2019, '10.0'), (2021, '11.0'), (2023, '12.0'),
                     (2025, '13.0')],
    'fedora': [(2005 + i // 2, str(4 + i)) for i in range(38)],
    'ubuntu_linux': [(2006, '6.06'), (2008, '8.04'), (2010, '10.04'), (2012, '12.04'),
                     (2014, '14.04'), (2016, '16.04'), (2018, '18.04'), (2020, '20.04'),
                     (2022, '22.04'), (2024, '24.04'), (2024, '24.10'), (2025, '25.04')],
    'enterprise_linux': [(2003, '3.0'), (2005, '4.0'), (2007, '5.0'), (2010, '6.0'),
                         (2014, '7.0'), (2016, '7.4'), (2018, '7.6'), (2019, '8.0'),
                         (2021, '8.4'), (2022, '9.0'), (2023, '8.8'), (2024, '9.4'),
                         (2025, '10.0')],
    'leap': [(2015, '42.1'), (2016, '42.2'), (2017, '42.3'), (2018, '15.0'), (2019, '15.1'),
             (2020, '15.2'), (2021, '15.3'), (2022, '15.4'), (2023, '15.5'), (2024, '15.6')],
    'linux_enterprise_server': [(2005, '9'), (2006, '10'), (2009, '11'), (2014, '12'),
                                (2018, '15'), (2019, '15:sp1'), (2020, '15:sp2'),
                                (2021, '15:sp3'), (2022, '15:sp4'), (2023, '15:sp5'),
                                (2024, '15:sp6')],
}

# Windows releases: product, first year, last year, version kind (builds: the 10.0.x build prefix)
WINDOWS = [
    ('windows_nt', 1999, 2004, 'sp:sp6a', '*'),
    ('windows_98', 1999, 2006, 'sp:-', '*'),
    ('windows_2000', 1999, 2010, 'sp:sp3 sp4', '*'),
    ('windows_xp', 2001, 2014, 'sp:sp2 sp3', 'x86 x64'),
    ('windows_server_2003', 2003, 2015, 'sp:sp2 r2', 'x86 x64'),
    ('windows_vista', 2007, 2017, 'sp:sp2', 'x86 x64'),
    ('windows_7', 2009, 2022, 'sp:sp1', 'x86 x64'),
    ('windows_server_2008', 2008, 2025, 'sp:sp2 r2:sp1', 'x86 x64'),
    ('windows_8', 2012, 2016, 'sp:-', 'x86 x64'),
    ('windows_8.1', 2013, 2023, 'sp:-', 'x86 x64'),
    ('windows_rt_8.1', 2013, 2023, 'sp:-', '*'),
    ('windows_server_2012', 2012, 2025, 'sp:- r2', 'x64'),
    ('windows_10', 2015, 2022, 'rel:1507 1511 1607 1703 1709 1803 1809 1903 1909 2004 20h2 21h1 21h2 22h2',
     'x86 x64 arm64'),
    ('windows_server_2016', 2016, 2022, 'rel:- 1709 1803 1903 1909 2004 20h2', 'x64'),
    ('windows_server_2019', 2018, 2022, 'sp:-', 'x64'),
    ('windows_server_2022', 2021, 2022, 'sp:-', 'x64'),
    ('windows_11', 2021, 2022, 'rel:21h2 22h2', 'x64 arm64'),
    ('windows_10_1507', 2023, 2025, 'build:10.0.10240', 'x86 x64'),
    ('windows_10_1607', 2023, 2025, 'build:10.0.14393', 'x86 x64'),
    ('windows_10_1809', 2023, 2025, 'build:10.0.17763', 'x86 x64 arm64'),
    ('windows_10_21h2', 2023, 2025, 'build:10.0.19044', 'x86 x64 arm64'),
    ('windows_10_22h2', 2023, 2025, 'build:10.0.19045', 'x86 x64 arm64'),
    ('windows_11_21h2', 2023, 2024, 'build:10.0.22000', 'x64 arm64'),
    ('windows_11_22h2', 2023, 2025, 'build:10.0.22621', 'x64 arm64'),
    ('windows_11_23h2', 2023, 2025, 'build:10.0.22631', 'x64 arm64'),
    ('windows_11_24h2', 2024, 2025, 'build:10.0.26100', 'x64 arm64'),
    ('windows_server_2016', 2023, 2025, 'build:10.0.14393', 'x64'),
    ('windows_server_2019', 2023, 2025, 'build:10.0.17763', 'x64'),
    ('windows_server_2022', 2023, 2025, 'build:10.0.20348', 'x64'),
    ('windows_server_2022_23h2', 2024, 2025, 'build:10.0.25398', 'x64'),
    ('windows_server_2025', 2024, 2025, 'build:10.0.26100', 'x64'),
]

APPLE = [('mac_os_x', 2001, 2020, 10), ('macos', 2020, 2025, 11), ('iphone_os', 2007, 2025, 1),
         ('ipados', 2019, 2025, 13), ('watchos', 2015, 2025, 1), ('tvos', 2015, 2025, 9),
         ('visionos', 2024, 2025, 1)]

# Firmware-on-hardware vendors: vendor, model patterns, firmware version style, source.
IOT = [
    ('dlink', ('dir-%d', 'dir-%dl', 'dcs-%d', 'dcs-%dl', 'dns-%d', 'dap-%d', 'dsl-%db'), (600, 990),
     'dlink', 'cve@mitre.org'),
    ('tp-link', ('archer_c%d', 'archer_ax%d', 'tl-wr%dn', 'tl-wr%dac', 'deco_m%d'), (4, 99),
     'fwbuild', 'f23511db-6c3e-4e32-a477-6aa17d310630'),
    ('netgear', ('r%d', 'rax%d', 'wnr%d', 'xr%d', 'ex%d'), (10, 9999), 'build4',
     'cve@mitre.org'),
    ('tenda', ('ac%d', 'fh%d', 'ax%d', 'i%d', 'w%dac'), (6, 1999), 'build4', 'cna@vuldb.com'),
    ('totolink', ('a%dr', 'n%drt', 'x%dr', 'lr%d', 'ca%dpoe'), (100, 9999), 'fwbuild',
     'cna@vuldb.com'),
    ('zyxel', ('nas%d', 'usg%d', 'atp%d', 'usg_flex_%d', 'vmg%d-b10a', 'nwa%dax'), (20, 9999),
     'paren', 'security@zyxel.com.tw'),
    ('draytek', ('vigor%d', 'vigor%db', 'vigor%dac'), (130, 3910), 'build4', 'cve@mitre.org'),
    ('hikvision', ('ds-2cd%d', 'ds-2cd%dg0', 'ds-7%dni', 'ds-k%dt'), (1000, 9999), 'fwbuild',
     'hsrc@hikvision.com'),
    ('asus', ('rt-ac%du', 'rt-ax%du', 'gt-ax%d', 'rt-ac%d', 'zenwifi_xt%d'), (5, 9000),
     'build4', 'twcert@cert.org.tw'),
    ('sonicwall', ('sma_%d', 'sma_%dv', 'tz%d', 'nsa_%d'), (100, 9999), 'hyph',
     'PSIRT@sonicwall.com'),
    ('siemens', ('scalance_x%d', 'scalance_m%d', 'simatic_s7-%d', 'ruggedcom_rox_rx%d'),
     (100, 9999), 'upd_sp', 'productcert@siemens.com'),
    ('moxa', ('nport_%d', 'eds-%d', 'oncell_g%d', 'mgate_mb%d'), (1000, 9999), 'two',
     'psirt@moxa.com'),
    ('tp-link', ('tl-sg%d', 'eap%d', 'er%d'), (100, 9999), 'fwbuild',
     'f23511db-6c3e-4e32-a477-6aa17d310630'),
    ('cisco', ('rv%d', 'rv%dw', 'sg%d', 'wap%d'), (100, 999), 'build4', 'psirt@cisco.com'),
]

SOURCES = {
    'microsoft': 'secure@microsoft.com', 'google': 'chrome-cve-admin@google.com',
    'mozilla': 'security@mozilla.org', 'apple': 'product-security@apple.com',
    'oracle': 'secalert_us@oracle.com', 'redhat': 'secalert@redhat.com',
    'linux': '416baaa9-dc9f-4396-8d5f-8c081fb06d67', 'adobe': 'psirt@adobe.com',
    'cisco': 'psirt@cisco.com', 'fortinet': 'psirt@fortinet.com', 'ibm': 'psirt@us.ibm.com',
    'paloaltonetworks': 'psirt@paloaltonetworks.com', 'juniper': 'sirt@juniper.net',
    'apache': 'security@apache.org', 'openssl': 'openssl-security@openssl.org',
    'php': 'security@php.net', 'zoom': 'security@zoom.us', 'citrix': 'secure@citrix.com',
    'vmware': 'security@vmware.com', 'sap': 'cna@sap.com', 'siemens': 'productcert@siemens.com',
    'gitlab': 'cve@gitlab.com', 'jenkins': 'jenkinsci-cert@googlegroups.com',
    'hp': 'hp-security-alert@hp.com', 'qnap': 'security@qnapsecurity.com.tw',
    'synology': 'security@synology.com', 'trendmicro': 'security@trendmicro.com',
    'atlassian': 'security@atlassian.com', 'ivanti': 'support@hackerone.com',
    'wordpress': 'security@wordfence.com', 'haxx': 'support@hackerone.com',
    'qualcomm': 'product-security@qualcomm.com', 'mediatek': 'security@mediatek.com',
    'samsung': 'mobile.security@samsung.com', 'huawei': 'psirt@huawei.com',
    'elastic': 'bressers@elastic.co', 'kingsoft': 'security@kingsoft.com',
    'linecorp': 'dl_cve@linecorp.com', 'teamviewer': 'psirt@teamviewer.com',
    'sophos': 'security-alert@sophos.com', 'progress': 'security@progress.com',
    'schneider-electric': 'cybersecurity@se.com', 'wireshark': 'cve@gitlab.com',
    'tensorflow': 'security-advisories@github.com', 'nextcloud': 'security-advisories@github.com',
}
# CNAs for products without their own: (source, weight, first year it assigned CVEs)
GENERIC_SOURCES = [('cve@mitre.org', 30, 1999), ('security-advisories@github.com', 14, 2019),
                   ('cna@vuldb.com', 10, 2022), ('security@wordfence.com', 8, 2020),
                   ('audit@patchstack.com', 6, 2021), ('secalert@redhat.com', 4, 2005),
                   ('twcert@cert.org.tw', 3, 2018), ('vultures@jpcert.or.jp', 3, 2010),
                   ('zdi-disclosures@trendmicro.com', 3, 2017), ('security@huntr.dev', 4, 2021),
                   ('ics-cert@hq.dhs.gov', 3, 2010), ('f86ef6dc-4d3a-42ad-8f28-e6d5547a5007', 2, 2022),
                   ('3c1d8aa1-5a33-4ea4-8992-aadd6440af75', 2, 2021), ('talos-cna@cisco.com', 2, 2016),
                   ('cert@cert.org', 1, 2000), ('contact@wpscan.com', 3, 2021)]
CISA_ADP = '134c704f-9b21-4f2e-91b3-4a467353bcc0'
CVE_ADP = 'af854a3a-2127-422b-91ae-364da2661108'

# CWE -> (English phrase, Spanish phrase, typical v3 vector bodies, typical v2 body)
CWES = [
    ('CWE-79', 'Cross-site scripting (XSS) vulnerability', 'Vulnerabilidad de Cross-site scripting (XSS)',
     ('AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 'AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N'), 'AV:N/AC:M/Au:N/C:N/I:P/A:N', 14),
    ('CWE-787', 'Out-of-bounds write', 'Escritura fuera de l\u00edmites',
     ('AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H', 'AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H'), 'AV:N/AC:M/Au:N/C:P/I:P/A:P', 10),
    ('CWE-416', 'Use after free', 'Uso despu\u00e9s de liberar',
     ('AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H', 'AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H'), 'AV:N/AC:M/Au:N/C:C/I:C/A:C', 8),
    ('CWE-89', 'SQL injection vulnerability', 'Vulnerabilidad de inyecci\u00f3n SQL',
     ('AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H'), 'AV:N/AC:L/Au:N/C:P/I:P/A:P', 9),
    ('CWE-20', 'Improper input validation', 'Validaci\u00f3n incorrecta de la entrada',
     ('AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', 'AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'), 'AV:N/AC:L/Au:N/C:N/I:N/A:P', 7),
    ('CWE-125', 'Out-of-bounds read', 'Lectura fuera de l\u00edmites',
     ('AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:N/A:N', 'AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:H'), 'AV:N/AC:M/Au:N/C:P/I:N/A:P', 7),
    ('CWE-78', 'OS command injection', 'Inyecci\u00f3n de comandos del sistema operativo',
     ('AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H'), 'AV:N/AC:L/Au:N/C:C/I:C/A:C', 5),
    ('CWE-22', 'Path traversal', 'Salto de directorio (path traversal)',
     ('AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', 'AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:N'), 'AV:N/AC:L/Au:N/C:P/I:N/A:N', 5),
    ('CWE-352', 'Cross-site request forgery (CSRF)', 'Falsificaci\u00f3n de petici\u00f3n en sitios cruzados (CSRF)',
     ('AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H', 'AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:L/A:N'), 'AV:N/AC:M/Au:N/C:P/I:P/A:P', 5),
    ('CWE-476', 'NULL pointer dereference', 'Desreferencia de puntero NULL',
     ('AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:H', 'AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H'), 'AV:N/AC:M/Au:N/C:N/I:N/A:P', 4),
    ('CWE-287', 'Improper authentication', 'Autenticaci\u00f3n incorrecta',
     ('AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',), 'AV:N/AC:L/Au:N/C:P/I:P/A:P', 3),
    ('CWE-434', 'Unrestricted upload of file with dangerous type', 'Carga sin restricciones de archivos de tipo peligroso',
     ('AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', 'AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'), 'AV:N/AC:L/Au:S/C:P/I:P/A:P', 3),
    ('CWE-862', 'Missing authorization', 'Falta de autorizaci\u00f3n',
     ('AV:N/AC:L/PR:L/UI:N/S:U/C:N/I:L/A:N', 'AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:L/A:N'), 'AV:N/AC:L/Au:S/C:N/I:P/A:N', 4),
    ('CWE-190', 'Integer overflow', 'Desbordamiento de enteros',
     ('AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H', 'AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'), 'AV:N/AC:L/Au:N/C:P/I:P/A:P', 3),
    ('CWE-502', 'Deserialization of untrusted data', 'Deserializaci\u00f3n de datos no confiables',
     ('AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H'), 'AV:N/AC:L/Au:N/C:P/I:P/A:P', 2),
    ('CWE-119', 'Buffer overflow', 'Desbordamiento de b\u00fafer',
     ('AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H'), 'AV:N/AC:L/Au:N/C:C/I:C/A:C', 6),
    ('CWE-200', 'Information disclosure', 'Divulgaci\u00f3n de informaci\u00f3n',
     ('AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N', 'AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N'), 'AV:N/AC:L/Au:N/C:P/I:N/A:N', 4),
    ('CWE-269', 'Improper privilege management', 'Gesti\u00f3n de privilegios incorrecta',
     ('AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H',), 'AV:L/AC:L/Au:N/C:C/I:C/A:C', 3),
    ('CWE-918', 'Server-side request forgery (SSRF)', 'Falsificaci\u00f3n de peticiones del lado del servidor (SSRF)',
     ('AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:L/A:N', 'AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N'), 'AV:N/AC:L/Au:S/C:P/I:N/A:N', 2),
    ('CWE-400', 'Uncontrolled resource consumption', 'Consumo de recursos no controlado',
     ('AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H',), 'AV:N/AC:L/Au:N/C:N/I:N/A:C', 3),
    ('CWE-122', 'Heap-based buffer overflow', 'Desbordamiento de b\u00fafer basado en mont\u00edculo',
     ('AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H', 'AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H'), 'AV:N/AC:M/Au:N/C:P/I:P/A:P', 3),
    ('CWE-362', 'Race condition', 'Condici\u00f3n de ejecuci\u00f3n (race condition)',
     ('AV:L/AC:H/PR:L/UI:N/S:U/C:H/I:H/A:H', 'AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H'), 'AV:L/AC:H/Au:N/C:C/I:C/A:C', 2),
    ('CWE-798', 'Use of hard-coded credentials', 'Uso de credenciales embebidas',
     ('AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',), 'AV:N/AC:L/Au:N/C:C/I:C/A:C', 1),
    ('CWE-601', 'Open redirect', 'Redirecci\u00f3n abierta',
     ('AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N',), 'AV:N/AC:M/Au:N/C:P/I:P/A:N', 2),
    ('CWE-401', 'Memory leak', 'Fuga de memoria',
     ('AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:H',), 'AV:L/AC:L/Au:N/C:N/I:N/A:C', 2),
    ('NVD-CWE-Other', 'Unspecified vulnerability', 'Vulnerabilidad no especificada',
     ('AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:L',), 'AV:N/AC:L/Au:N/C:P/I:P/A:P', 4),
    ('NVD-CWE-noinfo', 'Unspecified vulnerability', 'Vulnerabilidad no especificada',
     ('AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N', 'AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:N/A:N'), 'AV:N/AC:M/Au:N/C:P/I:N/A:N', 4),
]
CWE_CUM = cumw([c[5] for c in CWES])

COMPONENTS = {
    'web': [('the web management interface', 'la interfaz de administraci\u00f3n web'),
            ('the login page', 'la p\u00e1gina de inicio de sesi\u00f3n'), ('the REST API', 'la API REST'),
            ('the file upload handler', 'el gestor de carga de archivos'),
            ('the admin panel', 'el panel de administraci\u00f3n'),
            ('the search function', 'la funci\u00f3n de b\u00fasqueda'),
            ('the settings page', 'la p\u00e1gina de configuraci\u00f3n'),
            ('the [contact_form] shortcode', 'el shortcode [contact_form]'),
            ('the GraphQL endpoint', 'el endpoint GraphQL')],
    'native': [('the XML parser', 'el analizador XML'), ('the PDF parser', 'el analizador de PDF'),
               ('the image decoder', 'el decodificador de im\u00e1genes'),
               ('the TLS implementation', 'la implementaci\u00f3n de TLS'),
               ('the ASN.1 decoder', 'el decodificador ASN.1'),
               ('the HTTP/2 implementation', 'la implementaci\u00f3n de HTTP/2'),
               ('the DNS resolver', 'el resolvedor DNS'), ('the installer', 'el instalador'),
               ('the font parser', 'el analizador de fuentes'),
               ('the update service', 'el servicio de actualizaci\u00f3n')],
    'browser': [('V8', 'V8'), ('Blink', 'Blink'), ('WebRTC', 'WebRTC'), ('ANGLE', 'ANGLE'),
                ('Skia', 'Skia'), ('the JavaScript engine', 'el motor de JavaScript'),
                ('the WebAssembly compiler', 'el compilador de WebAssembly'),
                ('PDFium', 'PDFium'), ('the media player', 'el reproductor multimedia')],
    'os': [('the kernel-mode driver', 'el controlador en modo kernel'),
           ('the print spooler', 'la cola de impresi\u00f3n'), ('the SMB server', 'el servidor SMB'),
           ('the Bluetooth stack', 'la pila Bluetooth'), ('the IPv6 stack', 'la pila IPv6'),
           ('the graphics driver', 'el controlador de gr\u00e1ficos'),
           ('the sandbox', 'el sandbox')],
    'iot': [('the web management interface', 'la interfaz de administraci\u00f3n web'),
            ('the /goform/setSysTools endpoint', 'el endpoint /goform/setSysTools'),
            ('the cgi-bin/luci handler', 'el manejador cgi-bin/luci'),
            ('the SSL VPN portal', 'el portal SSL VPN'), ('the UPnP service', 'el servicio UPnP'),
            ('the formWifiBasicSet function', 'la funci\u00f3n formWifiBasicSet'),
            ('the modem firmware', 'el firmware del m\u00f3dem')],
}
BROWSERS = ('chrome', 'firefox', 'firefox_esr', 'edge_chromium', 'safari', 'thunderbird',
            'internet_explorer', 'flash_player')
WEB_HINT = ('cms', 'portal', 'wordpress', 'php', 'web', 'plugin', 'shop', 'site', 'blog', 'forum',
            'management_system', 'gallery', 'theme', 'form', 'server', 'wiki', 'moodle', 'drupal')


def product_class(p):
    if p.product in BROWSERS:
        return 'browser'
    if p.kind in ('iot', 'chips'):
        return 'iot'
    if p.part == 'o' or p.kind in ('winfam', 'applefam'):
        return 'os'
    if p.tsw == 'wordpress' or any(h in p.product for h in WEB_HINT):
        return 'web'
    return 'native' if len(p.product) % 2 else 'web'


MS_KINDS = {None: ('Remote Code Execution', 'ejecuci\u00f3n remota de c\u00f3digo'),
            'CWE-269': ('Elevation of Privilege', 'elevaci\u00f3n de privilegios'),
            'CWE-416': ('Elevation of Privilege', 'elevaci\u00f3n de privilegios'),
            'CWE-200': ('Information Disclosure', 'divulgaci\u00f3n de informaci\u00f3n'),
            'CWE-125': ('Information Disclosure', 'divulgaci\u00f3n de informaci\u00f3n'),
            'CWE-400': ('Denial of Service', 'denegaci\u00f3n de servicio'),
            'CWE-476': ('Denial of Service', 'denegaci\u00f3n de servicio'),
            'CWE-287': ('Security Feature Bypass', 'omisi\u00f3n de caracter\u00edsticas de seguridad'),
            'CWE-79': ('Spoofing', 'suplantaci\u00f3n')}
MS_WIN_PARTS = ['Kernel', 'SMB', 'Print Spooler', 'Win32k', 'Common Log File System Driver', 'Hyper-V',
                'TCP/IP', 'Remote Desktop Services', 'Lightweight Directory Access Protocol (LDAP)',
                'Installer', 'Graphics Component', 'Defender SmartScreen', 'Mark of the Web']
ACTORS = [
    ('a remote attacker', 'un atacante remoto'),
    ('remote attackers', 'atacantes remotos'),
    ('an unauthenticated remote attacker', 'un atacante remoto no autenticado'),
    ('an authenticated user', 'un usuario autenticado'),
    ('a local attacker', 'un atacante local'),
    ('authenticated attackers with administrator-level access', 'atacantes autenticados con acceso de administrador'),
    ('a physically proximate attacker', 'un atacante f\u00edsicamente cercano'),
]
IMPACTS = [
    ('execute arbitrary code', 'ejecutar c\u00f3digo arbitrario'),
    ('cause a denial of service (application crash)', 'provocar una denegaci\u00f3n de servicio (ca\u00edda de la aplicaci\u00f3n)'),
    ('inject arbitrary web script or HTML', 'inyectar scripts web o HTML arbitrarios'),
    ('obtain sensitive information', 'obtener informaci\u00f3n confidencial'),
    ('escalate privileges', 'escalar privilegios'),
    ('bypass authentication', 'omitir la autenticaci\u00f3n'),
    ('execute arbitrary SQL commands', 'ejecutar comandos SQL arbitrarios'),
    ('read arbitrary files', 'leer archivos arbitrarios'),
    ('potentially exploit heap corruption', 'explotar potencialmente una corrupci\u00f3n del mont\u00f3n'),
]
VECTORS = [
    ('a crafted HTML page', 'una p\u00e1gina HTML manipulada'),
    ('a crafted file', 'un archivo manipulado'),
    ('the "name" parameter', 'el par\u00e1metro "name"'),
    ("the 'id' parameter to /admin/index.php", "el par\u00e1metro 'id' en /admin/index.php"),
    ('a crafted <svg> element', 'un elemento <svg> manipulado'),
    ('a specially crafted HTTP request', 'una solicitud HTTP especialmente manipulada'),
    ('a malicious document', 'un documento malicioso'),
    ('..%2f sequences in the path', 'secuencias ..%2f en la ruta'),
    ('a crafted packet', 'un paquete manipulado'),
    ('a DLL placed in C:\\ProgramData\\Updater', 'una DLL colocada en C:\\ProgramData\\Updater'),
    ('shell metacharacters in the `host` field', 'metacaracteres de shell en el campo `host`'),
]
KERNEL_SUBSYS = ['net/sched', 'drm/amdgpu', 'btrfs', 'ext4', 'wifi: mac80211', 'bpf', 'netfilter: nf_tables',
                 'usb: gadget', 'mm', 'tcp', 'smb: client', 'nvme', 'scsi: lpfc', 'f2fs', 'ALSA: hda',
                 'drm/i915', 'io_uring', 'Bluetooth: hci_core', 'ipv6', 'xfs', 'hwmon', 'media: uvcvideo']
KERNEL_FIX = [('fix use-after-free in %s', 'the object can be freed while a reference is still held'),
              ('fix NULL pointer dereference in %s', 'the pointer is not checked after a failed allocation'),
              ('prevent out-of-bounds access in %s', 'the index comes from user space and was not validated'),
              ('fix memory leak in %s', 'the error path does not release the buffer'),
              ('avoid deadlock in %s', 'the lock is taken twice on the error path'),
              ('fix potential integer overflow in %s', 'the length is multiplied without a bounds check')]
KERNEL_FUNCS = ['_init', '_release', '_xmit', '_probe', '_ioctl', '_rcv', '_alloc', '_destroy', '_remove']



# ---------------------------------------------------------------------------------------------
# Reading the shared inputs
# ---------------------------------------------------------------------------------------------

def load_shared(shared):
    nvd_dir = os.path.join(shared, 'nvd')
    csv_path = os.path.join(shared, 'cpe', 'tiiuae-cpedict-cpes.csv')
    files = sorted(glob.glob(os.path.join(nvd_dir, 'CVE-*.json')))
    if not files or not os.path.exists(csv_path):
        sys.exit('gen_nvd: shared data not found under %s (need nvd/*.json and '
                 'cpe/tiiuae-cpedict-cpes.csv; set LF_SHARED_DATA or --shared)' % shared)
    v3, v2, v4 = {}, {}, {}
    for f in files:
        with open(f, encoding='utf-8') as fh:
            d = json.load(fh)
        met = d.get('metrics', {})
        for key in ('cvssMetricV31', 'cvssMetricV30'):
            for m in met.get(key, []):
                body = m['cvssData']['vectorString'].split('/', 1)[1]
                v3[body] = v3.get(body, 0) + 1
        for m in met.get('cvssMetricV2', []):
            body = m['cvssData']['vectorString']
            v2[body] = v2.get(body, 0) + 1
        for m in met.get('cvssMetricV40', []):
            v4[m['cvssData']['vectorString']] = m['cvssData']
    pairs = []
    with open(csv_path, encoding='utf-8', newline='') as fh:
        rd = csv.reader(fh)
        next(rd)
        for row in rd:
            if len(row) == 2 and row[0] and row[1]:
                pairs.append((row[0], row[1]))
    pairs.sort()
    return (sorted(v3.items()), sorted(v2.items()), [v4[k] for k in sorted(v4)], pairs)


# ---------------------------------------------------------------------------------------------
# Catalogue construction
# ---------------------------------------------------------------------------------------------

def year_draw(rng, y0):
    """A CVE year >= y0 following NVD's yearly volume."""
    i0 = max(0, min(len(YEARS) - 1, y0 - YEARS[0]))
    lo = YEAR_CUM[i0 - 1] if i0 > 0 else 0.0
    u = lo + rng.random() * (YEAR_CUM[-1] - lo)
    return YEARS[min(len(YEARS) - 1, bisect.bisect_right(YEAR_CUM, u))]


def scaled(count, f, minimum=1):
    return max(minimum, int(round(count * f)))


INVENT_SYL = ['ka', 'lo', 'mi', 'ra', 'ten', 'vo', 'zen', 'qu', 'bel', 'dor', 'fin', 'gar', 'hex',
              'ion', 'jet', 'kor', 'lum', 'nex', 'orb', 'pix', 'sol', 'tri', 'uni', 'vex', 'wyn',
              'xa', 'yal', 'zor', 'cloud', 'soft', 'net', 'data', 'sys', 'web', 'lab', 'ware']
INVENT_PROD = ['portal', 'cms', 'gateway', 'manager', 'server', 'agent', 'suite', 'studio', 'hub',
               'connect', 'cloud', 'desk', 'monitor', 'panel', 'router', 'viewer', 'player', 'sync']


class Catalog:
    def __init__(self, rng, ncves, shared_pairs):
        self.rng = rng
        self.f = ncves / 300000.0
        self.ncves = ncves
        self.prods = []          # every product, index = Prod order
        self.by_key = {}
        self.primary = []        # (Prod, count) candidates for primary allocation
        self.distro = {}
        self.windows = []
        self.apple = []
        self.platform = {}
        self.pairs = shared_pairs
        self._build()

    def add(self, p):
        key = (p.part, p.vendor, p.product)
        old = self.by_key.get(key)
        if old is not None:
            return old
        self.by_key[key] = p
        self.prods.append(p)
        return p

    def hist_for(self, p, n):
        if p.hist is None:
            sub = random.Random('%s:%s:%s' % (p.part, p.vendor, p.product))
            p.hist = make_history(p.style, sub, max(1, n), p.y0)
            p.src = SOURCES.get(p.vendor)
        return p.hist

    def _build(self):
        rng, f = self.rng, self.f
        # head
        for line in HEAD.strip().splitlines():
            part, vendor, product, style, y0, count, flags, title = line.split(None, 7)
            flags = '' if flags == '-' else flags
            p = self.add(Prod(part, vendor, product, style, int(y0), scaled(int(count), f), flags, title))
            n = 60 + int(8 * math.sqrt(int(count)))
            self.hist_for(p, min(n, 700))
            self.primary.append(p)
        for key, eds in ((('a', 'gitlab', 'gitlab'), ('community', 'enterprise')),
                         (('a', 'jenkins', 'jenkins'), ('-', 'lts')),
                         (('a', 'adobe', 'acrobat_dc'), ('continuous',)),
                         (('a', 'adobe', 'acrobat_reader_dc'), ('continuous',)),
                         (('a', 'atlassian', 'jira'), ('*', 'data_center'))):
            if key in self.by_key:
                self.by_key[key].sw = eds
        fam = {('mozilla', 'firefox'): ('firefox_esr', 'thunderbird'),
               ('mozilla', 'firefox_esr'): ('firefox', 'thunderbird'),
               ('oracle', 'jdk'): ('jre', 'openjdk'), ('oracle', 'jre'): ('jdk',),
               ('microsoft', 'office'): ('excel', 'word', 'outlook'),
               ('microsoft', 'excel'): ('office',), ('microsoft', 'word'): ('office',),
               ('adobe', 'acrobat_dc'): ('acrobat_reader_dc',),
               ('adobe', 'acrobat_reader_dc'): ('acrobat_dc',),
               ('haxx', 'curl'): ('libcurl',), ('haxx', 'libcurl'): ('curl',),
               ('fortinet', 'fortios'): ('fortiproxy',), ('fortinet', 'fortiproxy'): ('fortios',),
               ('oracle', 'mysql'): ('mariadb',), ('cisco', 'adaptive_security_appliance_software'):
               ('firepower_threat_defense',), ('google', 'chrome'): ('edge_chromium',)}
        for p in self.primary:
            mates = fam.get((p.vendor, p.product))
            if mates:
                vend = {'mariadb': 'mariadb', 'edge_chromium': 'microsoft', 'openjdk': 'oracle'}
                p.fam = [self.by_key.get(('a', vend.get(m, p.vendor), m)) or
                         self.by_key.get(('o', vend.get(m, p.vendor), m)) for m in mates]
                p.fam = [q for q in p.fam if q is not None]
        # distributions (add-on configurations and platforms)
        for line in DISTRO.strip().splitlines():
            part, vendor, product, y0, _flags, title = line.split(None, 5)
            p = self.add(Prod(part, vendor, product, 'dash', int(y0), 0, '', title))
            p.hist = []
            for _y, v in DISTRO_VERSIONS[product]:
                ver, _, upd = v.partition(':')
                p.hist.append((ver, upd))
            p.kind = 'distro'
            self.distro[product] = (p, DISTRO_VERSIONS[product])
        for name in ('windows', 'macos', 'iphone_os', 'android', 'linux_kernel'):
            vendor = {'windows': 'microsoft', 'macos': 'apple', 'iphone_os': 'apple',
                      'android': 'google', 'linux_kernel': 'linux'}[name]
            p = self.by_key.get(('o', vendor, name))
            if p is None:
                p = self.add(Prod('o', vendor, name, 'dash', 1999, 0))
                p.hist = [('-', '')]
            self.platform[name] = p
        # Windows family (one primary "windows" group; its products are the members)
        for prod, y0, y1, kind, hw in WINDOWS:
            p = self.add(Prod('o', 'microsoft', prod, 'dash', y0, 0, '', 'Microsoft ' + title_of(prod)))
            vk, _, vals = kind.partition(':')
            if vk == 'build':
                r = random.Random('win:' + prod)
                rev, h = r.randint(10, 900), []
                while len(h) < 90:
                    rev += r.randint(20, 110)
                    h.append(('%s.%d' % (vals, rev), ''))
            elif vk == 'rel':
                h = [(v, '') for v in vals.split()]
            else:
                # 'sp2' -> version '-' update sp2; 'r2:sp1' -> version r2 update sp1; '-' -> '-'
                h = []
                for v in vals.split():
                    a, _, b = v.partition(':')
                    if a.startswith('sp'):
                        h.append(('-', a))
                    elif a == '-':
                        h.append(('-', ''))
                    else:
                        h.append((a, b))
            # Products listed twice (old release names, then builds) keep both histories.
            p.hist = (p.hist or []) + [x for x in h if x not in (p.hist or [])]
            self.windows.append((p, y0, y1, vk, hw.split(), h))
        win = Prod('o', 'microsoft', 'windows', 'dash', 1999, scaled(10000, f), '', 'Microsoft Windows')
        win.kind = 'winfam'
        win.hist = self.platform['windows'].hist if 'windows' in self.platform else [('-', '')]
        self.winfam = win
        self.primary.append(win)
        # Apple OS family
        for prod, y0, y1, m0 in APPLE:
            key = ('o', 'apple', prod)
            p = self.by_key.get(key) or self.add(Prod('o', 'apple', prod, 'semver', y0, 0, '', 'Apple ' + title_of(prod)))
            r = random.Random('apple:' + prod)
            if prod == 'mac_os_x':
                h = [('10.%d.%d' % (mi, pa), '') for mi in range(0, 16) for pa in range(0, 9)]
            else:
                h = []
                for ma in range(m0, m0 + y1 - y0 + 1):
                    for mi in range(0, r.randint(3, 7)):
                        h.append(('%d.%d' % (ma, mi), ''))
                        for pa in range(1, r.randint(1, 4)):
                            h.append(('%d.%d.%d' % (ma, mi, pa), ''))
            p.hist = h
            p.y0 = y0
            self.apple.append((p, y0, y1))
        apple = Prod('o', 'apple', 'apple_os', 'dash', 2001, scaled(4200, f), '', 'Apple')
        apple.kind = 'applefam'
        self.applefam = apple
        self.primary.append(apple)
        # chipset vendors: Qualcomm (firmware AND hardware per chip), MediaTek (Android AND chips)
        self.chips = {}
        chip_sets = (
            ('qualcomm', ('qca%d', 'wcn%d', 'wcd%d', 'sm%d', 'qcs%d'), (1000, 9999),
             ('sd%d', 'sdx%d', 'fastconnect_%d', 'snapdragon_%d_mobile_platform'), (100, 999), 420, 1300),
            ('mediatek', ('mt%d', 'mt%da'), (6000, 8999), (), (0, 0), 160, 900),
            ('intel', ('core_i7-%dk', 'core_i5-%du', 'core_i9-%dh', 'xeon_gold_%d', 'xeon_silver_%d'),
             (1000, 14999), ('xeon_platinum_%d', 'atom_c%d', 'celeron_n%d', 'pentium_silver_j%d'),
             (1000, 9999), 500, 700))
        for vendor, pats4, rng4, pats3, rng3, n, cnt in chip_sets:
            r = random.Random('chips:' + vendor)
            names = set()
            while len(names) < n:
                if not pats3 or r.random() < 0.6:
                    names.add(r.choice(pats4) % r.randint(*rng4))
                else:
                    names.add(r.choice(pats3) % r.randint(*rng3))
            models = []
            for nm in sorted(names):
                hw = self.add(Prod('h', vendor, nm, 'dash', 2012, 0))
                hw.hist = [('-', '')]
                if vendor != 'mediatek':
                    fw = self.add(Prod('o', vendor, nm + '_firmware', 'dash', 2012, 0))
                    fw.hist = [('-', '')]
                    fw.hw = hw
                    models.append(fw)
                else:
                    models.append(hw)
            g = Prod('o', vendor, vendor + '_chipsets', 'dash', 2016, scaled(cnt, f), '', title_of(vendor))
            g.kind = 'chips'
            g.models = models
            self.primary.append(g)
        # IoT firmware vendors: every model is a firmware product plus a hardware product.
        self.iot = []
        for vendor, pats, (lo, hi), style, src in IOT:
            r = random.Random('iot:%s:%s' % (vendor, pats[0]))
            nmodels = max(4, int(round(r.randint(80, 260) * max(f, 0.05))))
            names = set()
            while len(names) < nmodels:
                names.add(r.choice(pats) % r.randint(lo, hi))
            models = []
            for nm in sorted(names):
                hw = self.add(Prod('h', vendor, nm, 'dash', 2010, 0))
                hw.hist = [('-', ''), ] if r.random() < 0.85 else [(v, '') for v in ('a1', 'b1', 'c1')]
                fw = self.add(Prod('o', vendor, nm + '_firmware', style, 2010, 0))
                self.hist_for(fw, r.randint(4, 30))
                fw.hw = hw
                fw.src = src
                models.append(fw)
            g = Prod('o', vendor, vendor + '_devices', 'dash', 2010, scaled(r.randint(450, 1400), f),
                     '', title_of(vendor))
            g.kind = 'iot'
            g.models = models
            g.src = src
            self.iot.append(g)
            self.primary.append(g)
        # mid and tail from the real vocabulary, plus invented names
        used = set((p.vendor, p.product) for p in self.prods)
        pool = [pr for pr in self.pairs if pr not in used]
        rng.shuffle(pool)
        vendor_size = {}
        for v, _p in self.pairs:
            vendor_size[v] = vendor_size.get(v, 0) + 1
        nmid = int(round(9000 * f))
        ntail = int(round(42000 * f))
        # Big vendors (many products in the dictionary) are somewhat more likely to be mid
        # products: weighted sampling without replacement (Efraimidis-Spirakis keys).
        pool.sort(key=lambda pr: -math.log(1.0 - rng.random()) / vendor_size[pr[0]] ** 0.15)
        mids = pool[:nmid]
        rest = pool[nmid:]
        rng.shuffle(rest)
        ninv = int(round(ntail * 0.15))
        tails = rest[:max(0, ntail - ninv)]
        inv = set()
        while len(inv) < ninv:
            v = ''.join(rng.choice(INVENT_SYL) for _ in range(rng.randint(2, 3)))
            pname = v + rng.choice(('', '_')) + rng.choice(INVENT_PROD)
            if (v, pname) not in used:
                inv.add((v, pname))
        tails += sorted(inv)
        self.tail_prods = []
        styles = ['semver'] * 55 + ['two'] * 16 + ['build4'] * 9 + ['date'] * 5 + ['letter'] * 4 + \
                 ['upd_ms'] * 3 + ['upd_sp'] * 2 + ['upd_p'] * 2 + ['hyph'] * 2 + ['upd_r'] * 2
        tsw = [('*', 76), ('wordpress', 14), ('node.js', 4), ('python', 3), ('jenkins', 1),
               ('android', 1), ('iphone_os', 1)]
        tsw_items, tsw_cum = [t for t, _ in tsw], cumw([w for _, w in tsw])
        # mid: Zipf-like counts with an offset so the biggest mid product is below the head ones
        budget_total = ncves_nonrejected(self.ncves)
        head_sum = sum(p.count for p in self.primary)
        tail_counts = [rng.choice((1, 1, 1, 1, 2, 2, 2, 3, 3)) for _ in tails]
        mid_budget = max(nmid * 4, budget_total - head_sum - sum(tail_counts))
        # Zipf-like mid counts, floor 4: solve the scale so the counts add up to the budget.
        weights = [1.0 / (r + 60) ** 1.1 for r in range(1, nmid + 1)]
        lo_c, hi_c = 0.0, float(mid_budget) * 50
        for _ in range(60):
            c = (lo_c + hi_c) / 2
            if sum(max(4, int(round(c * w))) for w in weights) > mid_budget:
                hi_c = c
            else:
                lo_c = c
        for i, (v, pn) in enumerate(mids):
            cnt = max(4, int(round(lo_c * weights[i])))
            y0 = year_draw(rng, 1999) - rng.randint(0, 6)
            p = self.add(Prod('a', v, pn, rng.choice(styles), max(1999, y0), cnt,
                              'D' if rng.random() < 0.12 else ('W' if rng.random() < 0.05 else '')))
            p.kind = 'mid'
            if vendor_size[v] <= 3:       # plugins and packages come from small vendors
                p.tsw = wchoice(rng, tsw_items, tsw_cum)
            self.hist_for(p, rng.randint(12, 80))
            self.primary.append(p)
        for (v, pn), cnt in zip(tails, tail_counts):
            y0 = year_draw(rng, 1999)
            p = self.add(Prod('a', v, pn, rng.choice(styles), y0, cnt,
                              'W' if rng.random() < 0.04 else ('M' if rng.random() < 0.02 else '')))
            p.kind = 'tail'
            if vendor_size.get(v, 1) <= 3:
                p.tsw = wchoice(rng, tsw_items, tsw_cum)
            self.hist_for(p, rng.randint(4, 25))
            self.primary.append(p)
        for p in self.primary:
            if p.src is None:
                p.src = SOURCES.get(p.vendor)
        self.by_vendor = {}
        for p in self.primary:
            if p.kind == 'mid' and p.count > 0:
                self.by_vendor.setdefault(p.vendor, []).append(p)


def ncves_nonrejected(n):
    return n - n // 100


# ---------------------------------------------------------------------------------------------
# Record builder
# ---------------------------------------------------------------------------------------------

GEN_SRC = {}
for _y in range(1999, 2026):
    _l = [(s, w) for s, w, y0 in GENERIC_SOURCES if y0 <= _y]
    GEN_SRC[_y] = ([s for s, _ in _l], cumw([w for _, w in _l]))


class Stats:
    def __init__(self):
        self.cves = 0
        self.criteria = 0
        self.configs = 0
        self.and_configs = 0
        self.cves_with_and = 0
        self.no_config = 0
        self.rejected = 0
        self.kev = 0
        self.big = 0        # CVEs with >= 50 criteria
        self.max_crit = 0
        self.bytes = 0
        self.hist = {}
        self.ranges = {}


class Builder:
    def __init__(self, rng, cat, v3pool, v2pool, v4pool, stats):
        self.rng = rng
        self.cat = cat
        self.cv = Cvss()
        self.v3_items = [b for b, _ in v3pool]
        self.v3_cum = cumw([w for _, w in v3pool])
        self.v2_items = [b for b, _ in v2pool]
        self.v2_cum = cumw([w for _, w in v2pool])
        self.v4pool = v4pool
        self.st = stats

    # ---- CPE match helpers ----
    def m(self, p, ver='*', upd='*', vuln=True, sw='*', thw='*', rng_=None, tsw=None):
        # CPE 2.3 formatted string: part:vendor:product:version:update:edition:language:
        # sw_edition:target_sw:target_hw:other (NISTIR 7695 section 6.2).
        crit = '%s%s:%s:*:*:%s:%s:%s:*' % (p.prefix, ver, upd or '*', sw, tsw or p.tsw, thw)
        d = {'vulnerable': vuln, 'criteria': crit}
        key = crit
        if rng_:
            for k, v in rng_:
                d[k] = v
                key += '|%s=%s' % (k, v)
            self.st.ranges[tuple(k for k, _ in rng_)] = self.st.ranges.get(tuple(k for k, _ in rng_), 0) + 1
        d['matchCriteriaId'] = match_id(key)
        return d

    def fix_pos(self, n, y0, year, y1=2026):
        # y1 one year past the newest CVEs: the last releases of a history are fixed releases.
        life = max(1, y1 + 1 - y0)
        pos = (year - y0 + self.rng.random()) / life
        i = int(max(0.0, min(1.0, pos)) * n)
        i += self.rng.randint(-2, 2)
        return max(1, min(n - 1, i)) if n > 1 else 0

    def fix_index(self, p, year):
        return self.fix_pos(len(p.hist), p.y0, year)

    def product_matches(self, p, year, info, vuln=True, exact_bias=0.0):
        """Criteria for one product: a range of some kind, exact versions, or all versions."""
        rng = self.rng
        h = p.hist
        n = len(h)
        if n <= 1 or h[0][0] == '-':
            ver = '-' if n and h[0][0] == '-' else '*'
            return [self.m(p, ver, (h[0][1] if n else '') or '*', vuln, sw=ed) for ed in p.sw]
        specs = self._specs(p, year, info, exact_bias)
        if len(specs) * len(p.sw) > 300:
            specs = specs[-(300 // len(p.sw)):]
        if len(p.sw) == 1:
            ed = p.sw[0]
            return [self.m(p, ver, upd, vuln, sw=ed, rng_=rr) for ver, upd, rr in specs]
        return [self.m(p, ver, upd, vuln, sw=ed, rng_=rr) for ed in p.sw for ver, upd, rr in specs]

    def _specs(self, p, year, info, exact_bias):
        """(version, update, range) triples; version '*' with a range, or an exact version."""
        rng = self.rng
        h = p.hist
        n = len(h)
        fi = self.fix_index(p, year)
        fix, fupd = h[fi]
        info.setdefault('fix', fix)
        old = year < 2012
        pexact = 0.27 + exact_bias + (0.3 if old else 0.0)
        if p.style in ('android', 'msyear', 'exchange', 'junos'):
            pexact = 0.8
        elif p.style in ('jdk', 'upd_r', 'upd_sp', 'cisco'):
            pexact = 0.5
        if rng.random() < pexact:
            k = rng.randint(1, 5) if p.style == 'android' else heavy_k(rng, old)
            lo = max(0, fi - k)
            info.setdefault('first', h[lo][0])
            info['last'] = h[max(lo, fi - 1)][0]
            return [(ver, upd or '*', None) for ver, upd in h[lo:fi]]
        if rng.random() < 0.03:
            return [('*', '*', None)]
        if ('B' in p.flags and rng.random() < 0.55) or rng.random() < 0.10:
            if p.branches is None:
                br, last = [], None
                for i, (ver, _u) in enumerate(h):
                    k = branch_key(ver)
                    if k != last:
                        br.append(i)
                        last = k
                p.branches = br
            bi = bisect.bisect_right(p.branches, fi) - 1
            nb = min(bi + 1, rng.randint(2, 6))
            if nb >= 2:
                out = []
                for j in range(bi - nb + 1, bi + 1):
                    s = p.branches[j]
                    e = p.branches[j + 1] if j + 1 < len(p.branches) else n
                    if j == bi:
                        end = fi
                    else:
                        end = rng.randint(s + 1, e - 1) if e - s > 1 else s
                    end = min(end, n - 1)
                    if j == bi - nb + 1 and rng.random() < 0.4:
                        out.append(('*', '*', [('versionEndExcluding', h[end][0])]))
                    elif end > s:
                        out.append(('*', '*', [('versionStartIncluding', h[s][0]),
                                               ('versionEndExcluding', h[end][0])]))
                    else:
                        out.append((h[s][0], h[s][1] or '*', None))
                # Kernel style: release candidates of the newest series are listed exactly.
                if p.style == 'kernel' and rng.random() < 0.5:
                    main = h[p.branches[bi]][0]
                    for c in range(1, rng.randint(2, 8)):
                        out.append((main, 'rc%d' % c, None))
                info.setdefault('first', h[p.branches[bi - nb + 1]][0])
                return out
        r = rng.random()
        lo = rng.randint(0, max(0, fi - 1))
        if r < 0.50:
            rr = [('versionEndExcluding', fix)]
        elif r < 0.78:
            rr = [('versionStartIncluding', h[lo][0]), ('versionEndExcluding', fix)]
            info.setdefault('first', h[lo][0])
        elif r < 0.86:
            rr = [('versionEndIncluding', h[fi - 1][0])]
            info['last'] = h[fi - 1][0]
        elif r < 0.96:
            rr = [('versionStartIncluding', h[lo][0]), ('versionEndIncluding', h[fi - 1][0])]
            info['last'] = h[fi - 1][0]
        elif r < 0.985:
            rr = [('versionStartExcluding', h[lo][0]), ('versionEndExcluding', fix)]
        elif r < 0.993:
            rr = [('versionStartExcluding', h[lo][0]), ('versionEndIncluding', h[fi - 1][0])]
        else:
            rr = [('versionStartIncluding', h[lo][0])]
        out = [('*', '*', rr)]
        if fupd and fupd != '-' and rng.random() < 0.5:
            # pre-releases / update levels named exactly next to the range (tomcat 9.0.0:milestone1)
            out.append((fix, fupd, None))
        return out

    def node(self, matches, op='OR'):
        return {'operator': op, 'negate': False, 'cpeMatch': matches}

    def platform_node(self, names):
        return self.node([self.m(self.cat.platform[nm], '-', '*', False) for nm in names])

    def configurations(self, p, year, info):
        rng, cat = self.rng, self.cat
        cfgs = []
        if p.kind == 'winfam':
            ms = []
            alive = [w for w in cat.windows if w[1] <= year <= w[2]] or cat.windows[:3]
            if rng.random() > 0.7:
                alive = rng.sample(alive, rng.randint(1, min(4, len(alive))))
            for wp, y0, y1, vkind, hws, wh in alive:
                wp.used += 1
                if vkind == 'build':
                    fi = self.fix_pos(len(wh), y0, year, y1 + 1)
                    for hw in hws:
                        ms.append(self.m(wp, rng_=[('versionEndExcluding', wh[fi][0])], thw=hw))
                    info.setdefault('fix', wh[fi][0])
                else:
                    # release names current in that year (windows_10 1507 ... 22h2)
                    if vkind == 'rel':
                        cur = max(1, int(len(wh) * min(1.0, (year - y0 + 1.0) / max(1, y1 - y0 + 1))))
                        vers = [v for v in wh[:cur] if rng.random() < 0.7] or wh[cur - 1:cur]
                    else:
                        vers = wh
                    for ver, upd in vers:
                        for hw in (hws if rng.random() < 0.6 else ['*']):
                            ms.append(self.m(wp, ver, upd or '*', thw=hw))
            cfgs.append({'nodes': [self.node(ms)]})
            info['title'] = 'Microsoft Windows'
            return cfgs
        if p.kind == 'applefam':
            ms = []
            alive = [a for a in cat.apple if a[1] <= year <= a[2]] or cat.apple[:1]
            alive = rng.sample(alive, rng.randint(1, len(alive)))
            for ap, _y0, _y1 in alive:
                ap.used += 1
                ms.extend(self.product_matches(ap, year, info, exact_bias=-0.15))
            cfgs.append({'nodes': [self.node(ms)]})
            info['title'] = 'Apple ' + ', '.join(title_of(a[0].product) for a in alive)
            return cfgs
        if p.kind == 'chips':
            k = heavy_chips(rng)
            chosen = rng.sample(p.models, min(k, len(p.models)))
            chosen.sort(key=lambda c: c.product)
            if p.vendor != 'mediatek' and rng.random() < 0.9:
                # one AND: every firmware in one node, every chip in the other
                for fw in chosen:
                    fw.used += 1
                    fw.hw.used += 1
                cfgs.append({'operator': 'AND', 'nodes': [
                    self.node([self.m(fw, '-', '*') for fw in chosen]),
                    self.node([self.m(fw.hw, '-', '*', False) for fw in chosen])]})
            elif p.vendor != 'mediatek':
                for fw in chosen:
                    fw.used += 1
                    fw.hw.used += 1
                    cfgs.append({'operator': 'AND', 'nodes': [self.node([self.m(fw, '-', '*')]),
                                                              self.node([self.m(fw.hw, '-', '*', False)])]})
            else:
                andr = cat.platform['android']
                andr.used += 1
                vers = [v for v in andr.hist if v[0] in ('11.0', '12.0', '12.1', '13.0', '14.0', '15.0')]
                vs = vers[rng.randint(0, 2):rng.randint(3, len(vers))]
                for c in chosen:
                    c.used += 1
                cfgs.append({'operator': 'AND', 'nodes': [
                    self.node([self.m(andr, v, '*') for v, _u in vs]),
                    self.node([self.m(c, '-', '*', False) for c in chosen])]})
            info['title'] = '%s chipsets' % title_of(p.vendor)
            info['model'] = chosen[0].product
            return cfgs
        if p.kind == 'iot':
            k = heavy_models(rng)
            chosen = rng.sample(p.models, min(k, len(p.models)))
            chosen.sort(key=lambda c: c.product)
            # NVD writes these either as one AND per device or as one AND of all firmware
            # against all hardware.
            combined = rng.random() < 0.7 and len(chosen) > 1
            fws, hws, total = [], [], 0
            for fw in chosen:
                fms = self.product_matches(fw, year, info)
                if total + len(fms) + 1 > 300 and total:
                    break
                total += len(fms) + 1
                fw.used += 1
                fw.hw.used += 1
                hm = self.m(fw.hw, fw.hw.hist[0][0], '*', False)
                if combined:
                    fws.extend(fms)
                    hws.append(hm)
                else:
                    cfgs.append({'operator': 'AND', 'nodes': [self.node(fms), self.node([hm])]})
            if combined:
                cfgs.append({'operator': 'AND', 'nodes': [self.node(fws), self.node(hws)]})
            info['title'] = '%s %s' % (title_of(p.vendor), chosen[0].hw.product.upper())
            info['model'] = chosen[0].hw.product
            return cfgs
        # ordinary product (+ family members, + other products of the vendor)
        p.used += 1
        ms = self.product_matches(p, year, info)
        if p.fam and len(ms) < 100 and rng.random() < 0.45:
            for q in p.fam:
                if rng.random() < 0.7 and year >= q.y0:
                    q.used += 1
                    ms.extend(self.product_matches(q, year, {}))
        # Big vendors' records often name several of their products in the same node
        # (Oracle, IBM, Siemens); head products have their families instead.
        mates = cat.by_vendor.get(p.vendor) if p.kind == 'mid' or p.vendor in BUNDLERS else None
        if mates and len(mates) > 1 and len(ms) < 60 and rng.random() < 0.45:
            for q in rng.sample(mates, min(len(mates), rng.choice((1, 1, 1, 2, 2, 3, 4, 6)))):
                if q is not p and q.hist and len(q.hist) > 1:
                    q.used += 1
                    ms.extend(self.product_matches(q, year, {}))
        plat = None
        if p.vendor == 'adobe' and p.product.startswith('acrobat') and rng.random() < 0.85:
            plat = ['windows', 'macos']
        elif ('W' in p.flags and rng.random() < 0.15) or ('M' in p.flags and rng.random() < 0.4) \
                or (rng.random() < 0.025):
            if 'M' in p.flags:
                plat = rng.choice((['android'], ['iphone_os'], ['android', 'iphone_os']))
            elif 'W' in p.flags:
                plat = rng.choice((['windows'], ['windows'], ['windows', 'macos'],
                                   ['windows', 'macos', 'linux_kernel']))
            else:
                plat = rng.choice((['windows'], ['macos'], ['linux_kernel'], ['android'],
                                   ['windows', 'linux_kernel'], ['windows', 'macos', 'linux_kernel']))
        if plat:
            for nm in plat:
                cat.platform[nm].used += 1
            cfgs.append({'operator': 'AND', 'nodes': [self.node(ms), self.platform_node(plat)]})
        else:
            cfgs.append({'nodes': [self.node(ms)]})
        # Distribution add-ons: NVD lists affected distribution releases as separate configurations.
        if 'D' in p.flags and rng.random() < 0.35:
            names = rng.sample(('debian_linux', 'fedora', 'ubuntu_linux', 'enterprise_linux',
                                'leap', 'linux_enterprise_server', 'debian_linux', 'fedora'), rng.randint(1, 3))
            for dname in sorted(set(names), key=names.index):
                dp, dv = cat.distro[dname]
                cands = [(i, v) for i, (y, v) in enumerate(dv) if year - 6 <= y <= year + 1]
                if not cands:
                    continue
                pick = cands[-rng.randint(1, min(4, len(cands))):]
                dms = []
                for i, _v in pick:
                    ver, upd = dp.hist[i]
                    sw = '*'
                    if dname == 'ubuntu_linux':
                        sw = rng.choice(('lts', 'lts', '-', '*')) if ver.endswith('04') else '*'
                    dms.append(self.m(dp, ver, upd or '*', sw=sw))
                dp.used += 1
                cfgs.append({'nodes': [self.node(dms)]})
        return cfgs

    # ---- metrics ----
    def v3_body(self, cwe):
        rng = self.rng
        r = rng.random()
        if r < 0.45:
            return rng.choice(cwe[3])
        if r < 0.8 and self.v3_items:
            return wchoice(rng, self.v3_items, self.v3_cum)
        while True:
            c, i, a = (rng.choice('HHHLLN') for _ in range(3))
            if c + i + a != 'NNN':
                break
        return 'AV:%s/AC:%s/PR:%s/UI:%s/S:%s/C:%s/I:%s/A:%s' % (
            rng.choice('NNNNNNNLLLAP'), rng.choice('LLLLLLH'), rng.choice('NNNNLLLH'),
            rng.choice('NNNR'), rng.choice('UUUUUUC'), c, i, a)

    def v2_body(self, cwe):
        rng = self.rng
        r = rng.random()
        if r < 0.5:
            return cwe[4]
        if r < 0.8 and self.v2_items:
            return wchoice(rng, self.v2_items, self.v2_cum)
        while True:
            c, i, a = (rng.choice('NPPC') for _ in range(3))
            if c + i + a != 'NNN':
                break
        return 'AV:%s/AC:%s/Au:%s/C:%s/I:%s/A:%s' % (rng.choice('NNNNLA'), rng.choice('LLMMH'),
                                                     rng.choice('NNNS'), c, i, a)

    def metric3(self, source, typ, version, body):
        data, ex, imp, base = self.cv.v3(version, body)
        return {'source': source, 'type': typ, 'cvssData': data,
                'exploitabilityScore': ex, 'impactScore': imp}, base

    def metrics(self, year, src, cwe, analysed, cve_id):
        rng = self.rng
        met = {}
        best = None
        v4 = year >= 2023 and self.v4pool and rng.random() < (0.35 if year >= 2024 else 0.12)
        if v4:
            data = rng.choice(self.v4pool)
            met['cvssMetricV40'] = [{'source': src, 'type': 'Secondary', 'cvssData': data}]
            best = data['baseScore']
        if year >= 2016 or rng.random() < 0.25:
            body = self.v3_body(cwe)
            lst = []
            if year <= 2019 and rng.random() < 0.12:
                m30, best3 = self.metric3('nvd@nist.gov', 'Primary', '3.0', body)
                met['cvssMetricV30'] = [m30]
                best = best if best is not None else best3
            else:
                if analysed:
                    mm, b = self.metric3('nvd@nist.gov', 'Primary', '3.1', body)
                    lst.append(mm)
                    best = best if best is not None else b
                cna_score = rng.random() < (0.6 if year >= 2020 else 0.2) or not analysed
                if cna_score and src != 'nvd@nist.gov':
                    b2 = body if rng.random() < 0.6 else self.v3_body(cwe)
                    who = src if rng.random() < 0.8 else CISA_ADP
                    mm, b = self.metric3(who, 'Secondary', '3.1', b2)
                    lst.append(mm)
                    best = best if best is not None else b
                if lst:
                    met['cvssMetricV31'] = lst
        if year <= 2022 and analysed and (year < 2016 or rng.random() < 0.85):
            body = self.v2_body(cwe)
            data, ex, imp, base, vm = self.cv.v2(body)
            full = vm['C'] == 'C' and vm['I'] == 'C' and vm['A'] == 'C'
            m = {'source': 'nvd@nist.gov', 'type': 'Primary', 'cvssData': data,
                 'baseSeverity': sev2(base), 'exploitabilityScore': ex, 'impactScore': imp,
                 'acInsufInfo': rng.random() < 0.03, 'obtainAllPrivilege': full and rng.random() < 0.1,
                 'obtainUserPrivilege': rng.random() < 0.01, 'obtainOtherPrivilege': rng.random() < 0.01,
                 'userInteractionRequired': 'AC:M' in body and rng.random() < 0.6}
            met['cvssMetricV2'] = [m]
            best = best if best is not None else base
        if year >= 2024 and rng.random() < 0.06:
            met['ssvcV203'] = [{'source': CISA_ADP, 'ssvcData': {
                'timestamp': '%d-%02d-%02dT%02d:%02d:%02d.%06dZ' % (
                    year, rng.randint(1, 11), rng.randint(1, 28), rng.randint(0, 23),
                    rng.randint(0, 59), rng.randint(0, 59), rng.randint(0, 999999)),
                'id': cve_id,
                'options': [{'exploitation': rng.choice(('none', 'none', 'poc', 'active'))},
                            {'automatable': rng.choice(('yes', 'no'))},
                            {'technicalImpact': rng.choice(('partial', 'total'))}],
                'role': 'CISA Coordinator', 'version': '2.0.3'}}]
        return met, best

    # ---- text ----
    def descriptions(self, p, info, cwe, year):
        rng = self.rng
        title = info.get('title') or p.title
        if p.vendor == 'linux' and p.product == 'linux_kernel' and year >= 2024:
            sub = rng.choice(KERNEL_SUBSYS)
            fixt, why = rng.choice(KERNEL_FIX)
            fn = sub.split(':')[-1].strip().split('/')[-1].replace(' ', '_') + rng.choice(KERNEL_FUNCS)
            head = '%s: %s' % (sub, fixt % fn + '()')
            body = ('%s: %s. Syzbot reported the following splat:\n\n  BUG: KASAN: slab-use-after-free in %s+0x%x/0x%x\n\n'
                    'Fix this by checking the return value and bailing out early.' % (
                        fn + '()', why, fn, rng.randint(16, 4000), rng.randint(4000, 9000)))
            en = 'In the Linux kernel, the following vulnerability has been resolved:\n\n%s\n\n%s' % (head, body)
            es = 'En el kernel de Linux, se ha resuelto la siguiente vulnerabilidad:\n\n%s\n\n%s' % (head, body)
            return [{'lang': 'en', 'value': en}, {'lang': 'es', 'value': es}]
        if p.vendor == 'microsoft' and year >= 2019 and rng.random() < 0.9:
            # Microsoft's CNA uses the advisory title as the description.
            kind = MS_KINDS.get(cwe[0], MS_KINDS[None])
            name = title
            if p.kind == 'winfam':
                name = 'Windows ' + rng.choice(MS_WIN_PARTS)
            en = '%s %s Vulnerability' % (name, kind[0])
            es = 'Vulnerabilidad de %s en %s' % (kind[1], name)
            return [{'lang': 'en', 'value': en}, {'lang': 'es', 'value': es}]
        cls = product_class(p)
        comp = rng.choice(COMPONENTS[cls] if rng.random() < 0.85 else COMPONENTS['native'])
        act = rng.choice(ACTORS)
        imp = rng.choice(IMPACTS)
        vec = rng.choice(VECTORS)
        fix = info.get('fix')
        last = info.get('last')
        first = info.get('first')
        if last and rng.random() < 0.5:
            ven, ves = 'through %s' % last, 'hasta %s' % last
        elif fix:
            if first and rng.random() < 0.4:
                ven, ves = 'from %s before %s' % (first, fix), 'desde %s antes de %s' % (first, fix)
            else:
                ven, ves = 'before %s' % fix, 'anterior a %s' % fix
        else:
            ven, ves = 'on all versions', 'en todas las versiones'
        ven, ves = ven.replace('\\', ''), ves.replace('\\', '')
        en = '%s in %s in %s %s allows %s to %s via %s.' % (cwe[1], comp[0], title, ven, act[0], imp[0], vec[0])
        es = '%s en %s en %s %s permite a %s %s mediante %s.' % (cwe[2], comp[1], title, ves, act[1], imp[1], vec[1])
        r = rng.random()
        if r < 0.35 and fix:
            fx = fix.replace('\\', '')
            en += ' This issue affects %s: from %s before %s.' % (title, (first or '0').replace('\\', ''), fx)
            es += ' Este problema afecta a %s: desde %s antes de %s.' % (title, (first or '0').replace('\\', ''), fx)
        elif r < 0.5:
            en += (' The vulnerability exists because the application does not properly validate '
                   'user-supplied input before using it. Successful exploitation could allow the attacker '
                   'to take control of an affected system.')
            es += (' La vulnerabilidad existe porque la aplicaci\u00f3n no valida correctamente la entrada '
                   'proporcionada por el usuario antes de usarla. Una explotaci\u00f3n exitosa podr\u00eda permitir '
                   'al atacante tomar el control de un sistema afectado.')
        elif r < 0.55:
            en += ' NOTE: the vendor disputes this because "this is intended behavior".'
            es += ' NOTA: el proveedor cuestiona esto porque "es el comportamiento previsto".'
        if fix and rng.random() < 0.25:
            en += ' Users are recommended to upgrade to version %s, which fixes the issue.' % fix.replace('\\', '')
            es += ' Se recomienda a los usuarios actualizar a la versi\u00f3n %s, que soluciona el problema.' % fix.replace('\\', '')
        return [{'lang': 'en', 'value': en}, {'lang': 'es', 'value': es}]

    def references(self, p, cve_id, year, src, tagged, kev, info):
        rng = self.rng
        v, pr = p.vendor.replace('\\', ''), p.product.replace('\\', '')
        dom = v.replace('_project', '').replace('_', '') + '.com'
        out = []
        mon = rng.randint(1, 12)

        def hexs(n):
            return '%0*x' % (n, rng.getrandbits(n * 4))

        def add(url, tags):
            d = {'url': url, 'source': src}
            if tagged and tags:
                d['tags'] = sorted(tags)
            out.append(d)

        # vendor advisory first, as NVD records usually have
        if v == 'microsoft':
            add('https://msrc.microsoft.com/update-guide/vulnerability/' + cve_id, ['Patch', 'Vendor Advisory'])
        elif p.product == 'chrome':
            add('https://chromereleases.googleblog.com/%d/%02d/stable-channel-update-for-desktop%s.html' % (
                year, mon, rng.choice(('', '_12', '_21'))), ['Release Notes', 'Vendor Advisory'])
            add('https://issues.chromium.org/issues/%d' % rng.randint(300000000, 400000000), ['Permissions Required'])
        elif v == 'mozilla':
            add('https://www.mozilla.org/security/advisories/mfsa%d-%02d/' % (year, rng.randint(1, 60)), ['Vendor Advisory'])
            add('https://bugzilla.mozilla.org/show_bug.cgi?id=%d' % rng.randint(1000000, 1950000),
                ['Issue Tracking', 'Permissions Required'])
        elif v == 'linux':
            for _ in range(rng.randint(2, 7)):
                add('https://git.kernel.org/stable/c/' + hexs(40), ['Patch'])
        elif v == 'apple':
            add('https://support.apple.com/en-us/%d' % rng.randint(100000, 125000), ['Release Notes', 'Vendor Advisory'])
        elif p.vendor == 'google':
            add('https://source.android.com/security/bulletin/%d-%02d-01' % (year, mon), ['Vendor Advisory'])
        elif v == 'oracle':
            add('https://www.oracle.com/security-alerts/cpu%s%d.html' % (
                rng.choice(('jan', 'apr', 'jul', 'oct')), year), ['Vendor Advisory'])
        elif v == 'cisco':
            add('https://sec.cloudapps.cisco.com/security/center/content/CiscoSecurityAdvisory/cisco-sa-%s-%s' % (
                pr.replace('_', '')[:10], hexs(8)), ['Vendor Advisory'])
        elif v == 'fortinet':
            add('https://fortiguard.com/psirt/FG-IR-%02d-%03d' % (year % 100, rng.randint(1, 500)), ['Vendor Advisory'])
        elif p.kind in ('iot', 'chips'):
            add('https://www.%s/security-advisory/%s' % (dom, cve_id.lower()), ['Vendor Advisory'])
            if rng.random() < 0.6:
                add('https://github.com/%s/IoT-vuln/blob/main/%s/%s/%s.md' % (
                    hexs(6), title_of(v).replace(' ', ''), info.get('model', 'device'),
                    rng.choice(('setSysTools', 'formWifiBasicSet', 'ping_cmd', 'upload.cgi'))),
                    ['Exploit', 'Third Party Advisory'])
            if p.src == 'twcert@cert.org.tw' or rng.random() < 0.05:
                add('https://www.twcert.org.tw/tw/cp-132-%d-%s-1.html' % (rng.randint(7000, 9999), hexs(5)),
                    ['Third Party Advisory'])
        elif p.tsw == 'wordpress':
            add('https://www.wordfence.com/threat-intel/vulnerabilities/id/%s-%s-%s-%s-%s?source=cve' % (
                hexs(8), hexs(4), hexs(4), hexs(4), hexs(12)), ['Third Party Advisory'])
            add('https://plugins.trac.wordpress.org/changeset/%d/%s' % (rng.randint(2000000, 3200000), pr), ['Patch'])
        else:
            r = rng.random()
            if r < 0.45:
                add('https://github.com/%s/%s/security/advisories/GHSA-%s-%s-%s' % (
                    v, pr, hexs(4), hexs(4), hexs(4)), ['Vendor Advisory'])
                add('https://github.com/%s/%s/commit/%s' % (v, pr, hexs(40)), ['Patch'])
            elif r < 0.8:
                add('https://www.%s/security/advisories/%s' % (dom, cve_id), ['Vendor Advisory'])
            else:
                add('https://%s/support/kb/%d' % (dom, rng.randint(1000, 99999)), ['Mitigation', 'Vendor Advisory'])
        if info.get('fix') and rng.random() < 0.3:
            add('https://www.%s/release-notes/%s' % (dom, info['fix'].replace('\\', '')), ['Release Notes'])
        n3 = int(rng.lognormvariate(0.9, 0.9))
        for _ in range(min(n3, 40)):
            r = rng.random()
            if r < 0.14:
                add('https://lists.debian.org/debian-lts-announce/%d/%02d/msg%05d.html' % (year, mon, rng.randint(0, 40)),
                    ['Mailing List', 'Third Party Advisory'])
            elif r < 0.24:
                add('https://security.netapp.com/advisory/ntap-%d%02d%02d-%04d/' % (
                    year, mon, rng.randint(1, 28), rng.randint(1, 12)), ['Third Party Advisory'])
            elif r < 0.32:
                add('https://www.securityfocus.com/bid/%d' % rng.randint(10000, 109999),
                    ['Broken Link', 'Third Party Advisory', 'VDB Entry'])
            elif r < 0.40:
                add('https://lists.fedoraproject.org/archives/list/package-announce@lists.fedoraproject.org/message/%s/' %
                    ''.join(rng.choice('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567') for _ in range(26)), ['Mailing List'])
            elif r < 0.48:
                add('https://security.gentoo.org/glsa/%d%02d-%02d' % (year, mon, rng.randint(1, 40)), ['Third Party Advisory'])
            elif r < 0.55:
                add('http://www.openwall.com/lists/oss-security/%d/%02d/%02d/%d' % (
                    year, mon, rng.randint(1, 28), rng.randint(1, 9)), ['Mailing List', 'Third Party Advisory'])
            elif r < 0.62:
                add('https://www.exploit-db.com/exploits/%d' % rng.randint(10000, 52000),
                    ['Exploit', 'Third Party Advisory', 'VDB Entry'])
            elif r < 0.68:
                add('http://packetstormsecurity.com/files/%d/%s-Remote-Code-Execution.html' % (
                    rng.randint(100000, 180000), title_of(pr).replace(' ', '-')), ['Exploit', 'Third Party Advisory', 'VDB Entry'])
            elif r < 0.74:
                add('https://vuldb.com/?id.%d' % rng.randint(100000, 300000), ['Third Party Advisory', 'VDB Entry'])
            elif r < 0.80:
                add('https://access.redhat.com/errata/RHSA-%d:%04d' % (year, rng.randint(1, 9999)), ['Third Party Advisory'])
            elif r < 0.85:
                add('https://ubuntu.com/security/notices/USN-%d-1' % rng.randint(3000, 7500), ['Third Party Advisory'])
            elif r < 0.89:
                add('https://www.zerodayinitiative.com/advisories/ZDI-%02d-%03d/' % (year % 100, rng.randint(1, 1800)),
                    ['Third Party Advisory', 'VDB Entry'])
            elif r < 0.92:
                add('https://www.kb.cert.org/vuls/id/%d' % rng.randint(100000, 999999),
                    ['Third Party Advisory', 'US Government Resource'])
            elif r < 0.96:
                add('https://github.com/%s/%s/issues/%d' % (v, pr, rng.randint(1, 9000)),
                    ['Exploit', 'Issue Tracking', 'Third Party Advisory'])
            else:
                add('https://www.%s/blog/%s-security-update' % (dom, cve_id.lower()), ['Press/Media Coverage'])
        if kev:
            add('https://www.cisa.gov/known-exploited-vulnerabilities-catalog?field_cve=' + cve_id,
                ['US Government Resource'])
        # Many records carry every reference twice: once from the CNA, once from the CVE Program ADP.
        if year < 2024 and rng.random() < 0.35:
            out += [dict(r, source=CVE_ADP) for r in out]
        return out

    # ---- one record ----
    def record(self, cve_id, year, p, status_kind):
        rng = self.rng
        st = self.st
        last_day = 333 if year >= 2025 else 364       # nothing after the page timestamp
        pub_day = rng.randint(0, last_day)
        pub = _date(year, pub_day, rng)
        lm_year = min(2025, year + int(rng.expovariate(0.5)))
        lm_last = 333 if lm_year >= 2025 else 364
        lm = _date(lm_year, rng.randint(pub_day, lm_last) if lm_year == year else rng.randint(0, lm_last), rng)
        if lm < pub:
            lm = pub
        if status_kind == 'rejected':
            st.rejected += 1
            rec = {'id': cve_id, 'sourceIdentifier': 'cve@mitre.org' if year < 2020 else (p.src or 'cve@mitre.org'),
                   'published': pub, 'lastModified': lm, 'vulnStatus': 'Rejected', 'cveTags': [],
                   'descriptions': [{'lang': 'en', 'value': rng.choice(REJECT_TEXTS).replace(
                       '%s', 'CVE-%d-%04d' % (year, rng.randint(1000, 99999)))}],
                   'metrics': {}, 'references': []}
            return rec
        src = p.src or wchoice(rng, *GEN_SRC[min(2025, max(1999, year))])
        info = {}
        with_cfg = status_kind == 'config'
        cfgs = self.configurations(p, year, info) if with_cfg else None
        if not with_cfg:
            st.no_config += 1
            if p.kind in ('plain', 'mid', 'tail') and p.hist and len(p.hist) > 1:
                info['fix'] = p.hist[self.fix_index(p, year)][0]
        cwe = CWES[bisect.bisect_right(CWE_CUM, rng.random() * CWE_CUM[-1])]
        if p.vendor == 'linux' and rng.random() < 0.7:
            cwe = CWES[rng.choice((2, 9, 24, 5))]
        if with_cfg:
            status = 'Analyzed' if (year >= 2023 and rng.random() < 0.7) or rng.random() < 0.25 else 'Modified'
        elif year < 2018:
            status = 'Deferred'
        else:
            status = 'Awaiting Analysis' if rng.random() < 0.85 else rng.choice(('Undergoing Analysis', 'Received'))
        rec = {'id': cve_id, 'sourceIdentifier': src, 'published': pub, 'lastModified': lm,
               'vulnStatus': status}
        tags = []
        r = rng.random()
        if r < 0.006:
            tags = [{'sourceIdentifier': src, 'tags': ['disputed']}]
        elif r < 0.009:
            tags = [{'sourceIdentifier': src, 'tags': ['unsupported-when-assigned']}]
        rec['cveTags'] = tags
        rec['descriptions'] = self.descriptions(p, info, cwe, year)
        if not tags and 'the vendor disputes' in rec['descriptions'][0]['value']:
            tags.append({'sourceIdentifier': src, 'tags': ['disputed']})
        met, score = self.metrics(year, src, cwe, with_cfg, cve_id)
        rec['metrics'] = met
        kev = with_cfg and year >= 2005 and rng.random() < (0.02 if p.count > 200 else 0.002)
        if kev:
            ky = max(2021, year)
            kd = _date(ky, rng.randint(min(pub_day, 300), 333) if ky == year else rng.randint(0, 333), rng)[:10]
            rec['cisaExploitAdd'] = kd
            st.kev += 1
            y, mth, d = (int(x) for x in kd.split('-'))
            d += 21
            if d > 28:
                d -= 28
                mth += 1
            if mth > 12:
                mth, y = 1, y + 1
            rec['cisaActionDue'] = '%d-%02d-%02d' % (y, mth, d)
            rec['cisaRequiredAction'] = rng.choice((
                'Apply updates per vendor instructions.',
                'Apply mitigations per vendor instructions or discontinue use of the product if mitigations are unavailable.'))
            rec['cisaVulnerabilityName'] = '%s %s Vulnerability' % (info.get('title') or p.title, cwe[1].replace(' vulnerability', '').title())
        if with_cfg or rng.random() < 0.5:
            wk = []
            if with_cfg:
                wk.append({'source': 'nvd@nist.gov', 'type': 'Primary',
                           'description': [{'lang': 'en', 'value': cwe[0]}]})
            if src != 'nvd@nist.gov' and (not with_cfg or rng.random() < 0.4):
                wk.append({'source': src, 'type': 'Secondary',
                           'description': [{'lang': 'en', 'value': cwe[0] if not cwe[0].startswith('NVD') else 'CWE-20'}]})
            if wk:
                rec['weaknesses'] = wk
        if with_cfg:
            rec['configurations'] = cfgs
            n = 0
            has_and = False
            for c in cfgs:
                st.configs += 1
                if c.get('operator') == 'AND':
                    st.and_configs += 1
                    has_and = True
                for nd in c['nodes']:
                    n += len(nd['cpeMatch'])
            st.criteria += n
            st.cves_with_and += has_and
            st.max_crit = max(st.max_crit, n)
            if n >= 50:
                st.big += 1
            b = 0 if n == 0 else (1 if n == 1 else (2 if n <= 4 else (5 if n <= 9 else (10 if n <= 49 else (50 if n <= 300 else 301)))))
            st.hist[b] = st.hist.get(b, 0) + 1
        rec['references'] = self.references(p, cve_id, year, src, with_cfg, kev, info)
        return rec


# Vendors whose advisories (and so NVD records) routinely cover many of their products at once.
BUNDLERS = ('oracle', 'ibm', 'sap', 'siemens', 'cisco', 'hp', 'adobe', 'apache', 'jenkins',
            'vmware', 'fortinet', 'ivanti', 'atlassian', 'schneider-electric', 'elastic', 'citrix')

REJECT_TEXTS = [
    '** REJECT ** DO NOT USE THIS CANDIDATE NUMBER. ConsultIDs: %s. Reason: This candidate is a duplicate of %s. '
    'Notes: All CVE users should reference %s instead of this candidate. All references and descriptions in this '
    'candidate have been removed to prevent accidental usage.',
    '** REJECT **  DO NOT USE THIS CANDIDATE NUMBER.  ConsultIDs: none.  Reason: This candidate was withdrawn by its '
    'CNA.  Further investigation showed that it was not a security issue.  Notes: none.',
    '** REJECT ** DO NOT USE THIS CANDIDATE NUMBER. Reason: This candidate was in a CNA pool that was not '
    'assigned to any issues during the year. Notes: none.',
]


def heavy_chips(rng):
    r = rng.random()
    if r < 0.3:
        return rng.randint(1, 10)
    if r < 0.7:
        return rng.randint(10, 50)
    return rng.randint(50, 150)


def heavy_models(rng):
    r = rng.random()
    if r < 0.62:
        return 1
    if r < 0.86:
        return rng.randint(2, 5)
    if r < 0.97:
        return rng.randint(6, 20)
    return rng.randint(21, 60)


MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _date(year, doy, rng):
    m = 0
    while m < 11 and doy >= MONTH_DAYS[m]:
        doy -= MONTH_DAYS[m]
        m += 1
    return '%d-%02d-%02dT%02d:%02d:%02d.%03d' % (year, m + 1, min(doy, MONTH_DAYS[m] - 1) + 1,
                                                rng.randint(0, 23), rng.randint(0, 59),
                                                rng.randint(0, 59), rng.randint(0, 999))


# ---------------------------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------------------------

def plan(rng, cat, ncves):
    """Assign (year, product, kind) to every CVE; returns the list sorted by CVE id."""
    nrej = ncves // 100
    nlive = ncves - nrej
    slots = []
    for p in cat.primary:
        for _ in range(p.count):
            slots.append(p)
    rng.shuffle(slots)
    if len(slots) > nlive:
        slots = slots[:nlive]
    while len(slots) < nlive:
        slots.append(rng.choice(cat.primary[-2000:] or cat.primary))
    items = []
    for p in slots:
        # Head products live from their first year on; the synthetic mid/tail products follow
        # NVD's yearly volume directly (their first year moves back if needed).
        if p.kind in ('mid', 'tail'):
            y = year_draw(rng, 1999)
            if y < p.y0:
                p.y0 = y
        else:
            y = year_draw(rng, p.y0)
        items.append((y, rng.random(), p, None))
    for _ in range(nrej):
        items.append((year_draw(rng, 1999), rng.random(), cat.primary[0], 'rejected'))
    items.sort(key=lambda t: (t[0], t[1]))
    # CVE numbers: distinct, sorted within each year, at least four digits.
    out = []
    i = 0
    while i < len(items):
        y = items[i][0]
        j = i
        while j < len(items) and items[j][0] == y:
            j += 1
        k = j - i
        hi = max(9999, int(k * 2.2) + 1000)
        nums = sorted(rng.sample(range(1, hi), k))
        recent = y >= 2024
        for t, num in zip(items[i:j], nums):
            year, _r, p, kind = t
            if kind is None:
                # ~8 % of records have no configurations (NVD backlog), mostly recent ones
                pnone = 0.23 if recent else 0.03
                kind = 'noconfig' if rng.random() < pnone else 'config'
            out.append(('CVE-%d-%04d' % (year, num), year, p, kind))
        i = j
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description='Generate a synthetic NVD CVE API 2.0 data set.')
    ap.add_argument('--out', required=True, help='output directory')
    ap.add_argument('--cves', type=int, default=300000)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--per-file', type=int, default=20000)
    ap.add_argument('--gzip', action='store_true', help='write nvd-NNNN.json.gz')
    ap.add_argument('--shared', default=None,
                    help='shared data directory (default: $LF_SHARED_DATA or <repo>/../shared/data)')
    a = ap.parse_args(argv)
    if a.cves < 0 or a.per_file < 1:
        ap.error('--cves must be >= 0 and --per-file >= 1')
    shared = a.shared or os.environ.get('LF_SHARED_DATA') or os.path.join(
        os.path.dirname(os.path.abspath(__file__)), '..', '..', 'shared', 'data')
    t0 = time.time()
    v3pool, v2pool, v4pool, pairs = load_shared(shared)
    rng = random.Random(a.seed)
    cat = Catalog(rng, a.cves, pairs)
    todo = plan(rng, cat, a.cves)
    st = Stats()
    b = Builder(rng, cat, v3pool, v2pool, v4pool, st)
    os.makedirs(a.out, exist_ok=True)
    total = len(todo)
    nfiles = max(1, (total + a.per_file - 1) // a.per_file)
    timestamp = '2025-12-01T00:00:00.000'
    written = 0
    for fi in range(nfiles):
        chunk = todo[fi * a.per_file:(fi + 1) * a.per_file]
        name = os.path.join(a.out, 'nvd-%04d.json' % (fi + 1) + ('.gz' if a.gzip else ''))
        fh = gzip.open(name, 'wt', encoding='ascii', compresslevel=6) if a.gzip else \
            open(name, 'w', encoding='ascii', newline='\n')
        with fh:
            head = ('{\n  "resultsPerPage": %d,\n  "startIndex": %d,\n  "totalResults": %d,\n'
                    '  "format": "NVD_CVE",\n  "version": "2.0",\n  "timestamp": "%s",\n'
                    '  "vulnerabilities": [' % (len(chunk), fi * a.per_file, total, timestamp))
            fh.write(head)
            nbytes = len(head)
            parts = []
            for i, (cid, year, p, kind) in enumerate(chunk):
                rec = b.record(cid, year, p, kind)
                txt = json.dumps(rec, indent=2).replace('\n', '\n      ')
                s = ('\n    {\n      "cve": ' if i == 0 else ',\n    {\n      "cve": ') + txt + '\n    }'
                parts.append(s)
                nbytes += len(s)
                if len(parts) >= 256:
                    fh.write(''.join(parts))
                    parts = []
            tail = ('\n  ]\n}\n' if chunk else ']\n}\n')
            parts.append(tail)
            nbytes += len(tail)
            fh.write(''.join(parts))
        st.cves += len(chunk)
        written += nbytes
        print('  %s: %d CVEs' % (os.path.basename(name), len(chunk)), file=sys.stderr)
    st.bytes = written
    # vocabulary actually named by criteria, most-used first
    used = [p for p in cat.prods if p.used > 0 and p.hist]
    used.sort(key=lambda p: (-p.used, p.part, p.vendor, p.product))
    vocab = []
    for p in used:
        vers = [v if not u or u == '*' else '%s:%s' % (v, u) for v, u in p.hist]
        vocab.append([p.part, p.vendor, p.product, vers])
    with open(os.path.join(a.out, 'vocab.json'), 'w', encoding='ascii', newline='\n') as fh:
        fh.write('[\n')
        fh.write(',\n'.join(json.dumps(x) for x in vocab))
        fh.write('\n]\n')
    dt = time.time() - t0
    live = st.cves - st.rejected
    with_cfg = live - st.no_config
    vendors = len(set(p.vendor for p in used))
    print('CVEs: %d (rejected %d, without configurations %d = %.1f %%)' % (
        st.cves, st.rejected, st.no_config, 100.0 * st.no_config / max(1, st.cves)))
    print('criteria: %d (%.2f per CVE, %.2f per configured CVE, max %d, CVEs with >= 50: %d)' % (
        st.criteria, st.criteria / max(1, st.cves), st.criteria / max(1, with_cfg), st.max_crit, st.big))
    print('configurations: %d, AND configurations: %d (%.1f %%), CVEs with an AND configuration: %d '
          '(%.1f %% of configured)' % (st.configs, st.and_configs, 100.0 * st.and_configs / max(1, st.configs),
                                      st.cves_with_and, 100.0 * st.cves_with_and / max(1, with_cfg)))
    hist = ', '.join('%s: %d' % ({0: '0', 1: '1', 2: '2-4', 5: '5-9', 10: '10-49', 50: '50-300',
                                  301: '>300'}[k], v) for k, v in sorted(st.hist.items()))
    print('criteria per configured CVE: ' + hist)
    rk = ', '.join('%s: %d' % ('+'.join(k), v) for k, v in sorted(st.ranges.items(), key=lambda kv: -kv[1]))
    print('range kinds: ' + rk)
    print('KEV-listed records: %d; products used: %d from %d vendors (vocab.json)' % (
        st.kev, len(used), vendors))
    print('total: %.1f MB uncompressed JSON in %d file(s), %.1f KB per CVE; %.1f s' % (
        written / 1e6, nfiles, written / 1e3 / max(1, st.cves), dt))
    return 0


if __name__ == '__main__':
    sys.exit(main())
