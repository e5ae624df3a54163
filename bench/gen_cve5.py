#!/usr/bin/env python3
"""Deterministic generator of a synthetic CVE List (CVE JSON 5.x records) for lianfang's benchmarks.

It reads the synthetic NVD set written by gen_nvd.py (DIR/nvd-*.json and DIR/vocab.json) and
writes the CVE Program's view of the same CVEs, plus the newer records NVD no longer enriches:

  * one CVE_RECORD per NVD CVE (same id, dates, description, CNA metrics, CWE, references),
    its containers.cna.affected[] restating the NVD configuration the way CNAs write it:
    vendor/product display names ("Google" / "Chrome"), versions[] with version + lessThan /
    lessThanOrEqual, defaultStatus, versionType, and the quirks of real records: `cpes` on
    some vendors' entries (2.2 URIs for some), "unspecified" lower bounds, "lessThanOrEqual":
    "None" (Adobe), "lessThan": "publication" or an aka.ms URL (Microsoft), "version" written
    as an expression ("< 8.8.2", "before 5.15.5"), `changes[]`, `platforms`, the Linux CNA's
    double statement (git commit ranges plus release numbers with "6.1.*" wildcards);
  * REJECTED records (NVD's Rejected ones) with rejectedReasons and no affected data;
  * ADP containers: the CVE Program Container (x_transferred references) on most records
    published before mid-2024, and the CISA ADP Vulnrichment container (SSVC always; KEV
    entry for KEV-listed CVEs; CVSS where the CNA gave none; `affected` with CISA's CPEs
    for records NVD has not analysed and a share of the others);
  * --extra records of 2026 (default 40,000) that NVD "Deferred": CNA statements on products
    of vocab.json (WordPress-plugin, VulDB, GitHub, vendor CNAs) and, for most of them,
    CISA ADP CPEs: the only machine-readable applicability those CVEs have.

Layout (--layout): "tree" (default) is the cvelistV5 repository layout
OUT/cves/<year>/<n>xxx/<id>.json, 4-space indent, UTF-8, one record per file; "zip" writes the
same entries into OUT/cves.zip (deflate, ZIP64), like the CVE Program's bulk release. OUT/cves.tsv
lists every record (id, year, state, part:vendor:product of its first product, KEV flag) for
gen_osv.py and gen_csaf.py. Output depends only on --seed, --extra and the NVD set; every record
has its own generator seeded by (seed, CVE id), so a record does not depend on the others.

Standard library only. Usage:
  bench/gen_cve5.py --nvd /tmp/nvd --out /tmp/cve5 [--extra 40000] [--seed 1] [--layout tree|zip]
"""

import argparse
import bisect
import glob
import hashlib
import json
import os
import random
import sys
import time
import zipfile

VENDOR_TITLES = {
    'ibm': 'IBM', 'hp': 'HP', 'hpe': 'HPE', 'sap': 'SAP', 'vmware': 'VMware', 'qnap': 'QNAP',
    'asus': 'ASUS', 'dlink': 'D-Link', 'tp-link': 'TP-Link', 'zyxel': 'Zyxel', 'f5': 'F5',
    'totolink': 'TOTOLINK', 'draytek': 'DrayTek', 'sonicwall': 'SonicWall', 'netgear': 'NETGEAR',
    'lg': 'LG', 'nec': 'NEC', 'gnu': 'GNU', 'redhat': 'Red Hat', 'trendmicro': 'Trend Micro',
    'paloaltonetworks': 'Palo Alto Networks', 'mediatek': 'MediaTek', 'hikvision': 'Hikvision',
    'phpmyadmin': 'phpMyAdmin', 'gitlab': 'GitLab', 'linecorp': 'LINE', 'oracle': 'Oracle',
    'microsoft': 'Microsoft', 'google': 'Google', 'apple': 'Apple', 'adobe': 'Adobe', 'cisco': 'Cisco',
    'fortinet': 'Fortinet', 'linux': 'Linux', 'mozilla': 'Mozilla', 'openssl': 'OpenSSL',
    'ivanti': 'Ivanti', 'citrix': 'Citrix', 'zoom': 'Zoom', 'php': 'PHP', 'apache': 'Apache Software Foundation',
    'postgresql': 'PostgreSQL', 'synology': 'Synology', 'siemens': 'Siemens', 'qualcomm': 'Qualcomm, Inc.',
    'intel': 'Intel', 'wordpress': 'WordPress', 'jenkins': 'Jenkins project', 'elastic': 'Elastic'}
# Vendors whose CNA lists `cpes` in affected entries (the rest write names only).
CPE_VENDORS = {'microsoft', 'fortinet', 'cisco', 'redhat', 'paloaltonetworks', 'hikvision', 'zyxel',
               'qnap', 'synology', 'ivanti'}
# CNA short names of the vendors that are their own CNA.
VENDOR_CNA = {'microsoft': 'microsoft', 'google': 'Chrome', 'apple': 'apple', 'adobe': 'adobe',
              'cisco': 'cisco', 'fortinet': 'fortinet', 'linux': 'Linux', 'mozilla': 'mozilla',
              'openssl': 'openssl', 'redhat': 'redhat', 'ivanti': 'ivanti', 'citrix': 'Citrix',
              'zoom': 'Zoom', 'php': 'php', 'apache': 'apache', 'postgresql': 'PostgreSQL',
              'paloaltonetworks': 'palo_alto', 'oracle': 'oracle', 'gitlab': 'GitLab', 'qnap': 'qnap',
              'synology': 'synology', 'zyxel': 'Zyxel', 'hikvision': 'hikvision', 'f5': 'f5',
              'siemens': 'siemens', 'intel': 'intel', 'qualcomm': 'qualcomm', 'jenkins': 'jenkins',
              'mediatek': 'MediaTek', 'elastic': 'elastic', 'ibm': 'ibm', 'hp': 'hp', 'sap': 'sap',
              'vmware': 'vmware', 'dlink': 'dlink', 'wordpress': 'WPScan'}
GENERIC_CNAS = ('mitre', 'VulDB', 'GitHub_M', 'Wordfence', 'Patchstack', 'twcert', 'jpcert', 'zdi',
                'hackerone', 'snyk', 'WPScan', 'INCIBE', 'cert-in', 'Mattermost', 'huntr_ai')
GENERIC_CNA_W = (30, 14, 12, 10, 6, 3, 3, 4, 3, 3, 3, 2, 1, 1, 2)
SSVC_EXPL = (('none', 80), ('poc', 15), ('active', 5))
REJECT_TEXT = ('DO NOT USE THIS CANDIDATE NUMBER. Reason: This candidate was withdrawn by its CNA. '
               'Further investigation showed that it was not a security issue.',
               'This CVE ID has been rejected or withdrawn by its CVE Numbering Authority as it was a '
               'duplicate of another CVE.',
               'This CVE ID is a duplicate of CVE-%d-%04d.')
NVD_TAG_TO_CVE5 = {'Vendor Advisory': 'vendor-advisory', 'Patch': 'patch', 'Mitigation': 'mitigation',
                   'Release Notes': 'release-notes', 'Third Party Advisory': 'third-party-advisory',
                   'Exploit': 'exploit', 'US Government Resource': 'government-resource',
                   'Issue Tracking': 'issue-tracking', 'Mailing List': 'mailing-list', 'VDB Entry': 'vdb-entry',
                   'Broken Link': 'broken-link', 'Product': 'product',
                   'Technical Description': 'technical-description', 'Press/Media Coverage': 'media-coverage'}
OLD_TAGS = {'vendor-advisory': 'x_refsource_CONFIRM', 'mailing-list': 'x_refsource_MLIST',
            'vdb-entry': 'x_refsource_BID', 'exploit': 'x_refsource_EXPLOIT-DB',
            'third-party-advisory': 'x_refsource_DEBIAN'}


def uuid_of(key):
    h = hashlib.md5(key.encode('utf-8')).hexdigest()
    return '%s-%s-4%s-%s%s-%s' % (h[0:8], h[8:12], h[13:16], '89ab'[int(h[16], 16) & 3], h[17:20], h[20:32])


def title_of(name):
    if name in VENDOR_TITLES:
        return VENDOR_TITLES[name]
    s = name.replace('\\', '').replace('_', ' ')
    return ' '.join(w[:1].upper() + w[1:] for w in s.split(' ') if w)


def cpe_split(s):
    """Fields of a CPE 2.3 formatted string, honouring backslash escapes."""
    out, cur, i = [], [], 0
    while i < len(s):
        ch = s[i]
        if ch == '\\' and i + 1 < len(s):
            cur.append(s[i:i + 2])
            i += 2
            continue
        if ch == ':':
            out.append(''.join(cur))
            cur = []
        else:
            cur.append(ch)
        i += 1
    out.append(''.join(cur))
    return out


def unesc(v):
    return v.replace('\\', '')


def cumw(weights):
    out, t = [], 0.0
    for w in weights:
        t += w
        out.append(t)
    return out


def wpick(rng, items, cum):
    return items[bisect.bisect_right(cum, rng.random() * cum[-1])]


def iso(date, rng, hour=None):
    """An NVD timestamp (2021-03-04T15:15:10.123) as CVE 5 writes it (with a Z)."""
    d = (date or '2020-01-01T00:00:00.000')[:19]
    return '%s.%03dZ' % (d, rng.randint(0, 999))


def shift_date(date, days):
    # rough: only used for "some days later" timestamps, never parsed back by lianfang
    y, m, d = int(date[0:4]), int(date[5:7]), int(date[8:10])
    d += days
    while d > 28:
        d -= 28
        m += 1
        if m > 12:
            m = 1
            y += 1
    return '%04d-%02d-%02d%s' % (y, m, d, date[10:19] if len(date) >= 19 else 'T00:00:00')


class Gen:
    def __init__(self, seed, vocab):
        self.seed = seed
        self.vocab = vocab
        self.vidx = {(r[1], r[2]): r for r in vocab}
        self.vcum = cumw([1.0 / (i + 10) ** 0.8 for i in range(len(vocab))])
        self.generic_cum = cumw(GENERIC_CNA_W)
        self.stats = {'records': 0, 'rejected': 0, 'cna_entries': 0, 'cna_cpes': 0, 'adp_cve': 0, 'adp_cisa': 0,
                      'cisa_affected': 0, 'kev': 0, 'extra': 0, 'linux_git': 0, 'quirks': 0, 'bytes': 0}

    # -- CNA identity ---------------------------------------------------------------------
    def cna_of(self, rng, vendor, year):
        name = VENDOR_CNA.get(vendor)
        if name is None or year < 2016 and vendor not in ('microsoft', 'apple', 'adobe', 'cisco', 'redhat'):
            name = 'mitre' if year < 2016 else wpick(rng, GENERIC_CNAS, self.generic_cum)
        return name, uuid_of('org:' + name)

    # -- versions[] from one NVD criterion -----------------------------------------------
    def versions_of(self, rng, crit, fields, style, vtype):
        ver = fields[5] if len(fields) > 5 else '*'
        s_in, s_ex = crit.get('versionStartIncluding'), crit.get('versionStartExcluding')
        e_ex, e_in = crit.get('versionEndExcluding'), crit.get('versionEndIncluding')
        start = s_in or s_ex
        v = {}
        if e_ex or e_in:
            if start:
                v['version'] = unesc(start)
            else:
                v['version'] = 'unspecified' if style == 'unspec' else '0'
            if e_ex:
                v['lessThan'] = unesc(e_ex)
            else:
                v['lessThanOrEqual'] = unesc(e_in)
        elif start:
            v['version'] = unesc(start)
            v['lessThan'] = '*'
        elif ver not in ('*', '-', ''):
            v['version'] = unesc(ver)
        else:
            return None
        v['status'] = 'affected'
        if vtype:
            v['versionType'] = vtype
        return v

    def quirk(self, rng, entry, vendor):
        """The odd but real shapes, on about 2 % of entries."""
        vs = entry.get('versions') or []
        if not vs:
            return
        r = rng.random()
        v = vs[-1]
        if vendor == 'adobe' and r < 0.5:
            vs.append({'version': 'unspecified', 'lessThanOrEqual': 'None', 'status': 'affected',
                       'versionType': 'custom'})
        elif vendor == 'microsoft' and r < 0.5:
            v.pop('lessThanOrEqual', None)
            v['lessThan'] = 'publication' if r < 0.25 else 'https://aka.ms/OfficeSecurityReleases'
        elif 'lessThan' in v and r < 0.4 and v['version'] in ('0', 'unspecified'):
            lt = v.pop('lessThan')
            v['version'] = ('< ' if r < 0.2 else 'before ') + lt
        elif 'lessThan' in v and v['version'] not in ('0', 'unspecified') and r < 0.7:
            # an unaffected stretch inside the range: changes[]
            lo, hi = v['version'], v['lessThan']
            mid = lo.split('.')
            if mid and mid[-1].isdigit():
                mid[-1] = str(int(mid[-1]) + 1)
                v['changes'] = [{'at': '.'.join(mid), 'status': 'unaffected'}]
                if rng.random() < 0.5 and hi != '*':
                    v['changes'].append({'at': hi, 'status': 'affected'})
                    v['lessThan'] = '*'
        else:
            vs.append({'version': 'n/a', 'status': 'affected'})
        self.stats['quirks'] += 1

    def linux_entries(self, rng, crits, year):
        """The Linux CNA: the fix as git commit ranges, then again as release numbers."""
        rels = []
        for c in crits:
            e = c.get('versionEndExcluding')
            if e:
                rels.append((unesc(c.get('versionStartIncluding') or '0'), unesc(e)))
        if not rels:
            return None
        first = rels[0][0] if rels[0][0] != '0' else '2.6.%d' % rng.randint(12, 39)
        intro = hashlib.sha1(('intro' + first).encode()).hexdigest()
        git = {'product': 'Linux', 'vendor': 'Linux', 'defaultStatus': 'unaffected',
               'repo': 'https://git.kernel.org/pub/scm/linux/kernel/git/stable/linux.git',
               'programFiles': ['drivers/%s/%s.c' % (rng.choice(('net', 'gpu/drm', 'usb', 'media', 'scsi')),
                                                     rng.choice(('core', 'main', 'driver', 'ioctl')))],
               'versions': []}
        for lo, hi in rels:
            git['versions'].append({'version': intro, 'lessThan': hashlib.sha1(hi.encode()).hexdigest(),
                                    'status': 'affected', 'versionType': 'git'})
        sem = {'product': 'Linux', 'vendor': 'Linux', 'defaultStatus': 'affected',
               'repo': git['repo'], 'programFiles': git['programFiles'],
               'versions': [{'version': first, 'status': 'affected'},
                            {'version': '0', 'lessThan': first, 'status': 'unaffected', 'versionType': 'semver'}]}
        for lo, hi in rels:
            parts = hi.split('.')
            wild = '.'.join(parts[:2]) + '.*' if len(parts) >= 3 else hi
            sem['versions'].append({'version': hi, 'lessThanOrEqual': wild, 'status': 'unaffected',
                                    'versionType': 'semver'})
        sem['versions'][-1] = {'version': rels[-1][1], 'lessThanOrEqual': '*', 'status': 'unaffected',
                               'versionType': 'original_commit_for_fix'}
        self.stats['linux_git'] += 1
        return [git, sem]

    def affected_from_nvd(self, rng, nvd, year, cna_vendor):
        groups = {}
        order = []
        for cfg in nvd.get('configurations') or []:
            for node in cfg.get('nodes') or []:
                for c in node.get('cpeMatch') or []:
                    if not c.get('vulnerable'):
                        continue
                    f = cpe_split(c['criteria'])
                    if len(f) < 13:
                        continue
                    key = (f[2], f[3], f[4])
                    if key not in groups:
                        groups[key] = []
                        order.append(key)
                    groups[key].append((c, f))
        if not order:
            return None, None
        if order[0][1] == 'linux' and order[0][2] == 'linux_kernel' and year >= 2024:
            ents = self.linux_entries(rng, [c for c, _f in groups[order[0]]], year)
            if ents:
                return ents, order[0]
        vendor0 = order[0][1]
        with_cpes = vendor0 in CPE_VENDORS and rng.random() < 0.9
        uri22 = vendor0 == 'redhat'
        r = rng.random()
        style = 'unspec' if vendor0 == 'adobe' or r < 0.1 else 'zero'
        vtype = None if r < 0.15 else ('semver' if r < 0.55 else 'custom')
        dstat = rng.random()
        ents = []
        for key in order[:24]:
            part, vendor, product = key
            e = {'vendor': title_of(vendor), 'product': title_of(product)}
            if rng.random() < 0.05:
                e['vendor'] = 'n/a'
            vs = []
            cpes = []
            for c, f in groups[key][:200]:
                v = self.versions_of(rng, c, f, style, vtype)
                if v is not None:
                    vs.append(v)
                if with_cpes and len(cpes) < 8:
                    if uri22:
                        cpes.append('cpe:/%s:%s:%s' % (part, vendor, unesc(product)))
                    else:
                        cpes.append(c['criteria'])
            if cpes:
                e['cpes'] = sorted(set(cpes))
                self.stats['cna_cpes'] += 1
                if vendor == 'microsoft':
                    e['platforms'] = ['32-bit Systems', 'x64-based Systems']
            if vs:
                e['versions'] = vs
                if dstat < 0.6:
                    e['defaultStatus'] = 'unaffected'
                elif dstat < 0.7:
                    e['defaultStatus'] = 'unknown'
            else:
                e['defaultStatus'] = 'affected'
            if rng.random() < 0.02:
                self.quirk(rng, e, vendor)
            ents.append(e)
        return ents, order[0]

    def affected_from_vocab(self, rng, row, fixpos):
        part, vendor, product, vers = row
        vers = [v for v in vers if v and v != '-'] or ['1.0']
        k = min(len(vers) - 1, max(0, int(len(vers) * fixpos)))
        fix = unesc(vers[k].split(':')[0])
        kind = rng.random()
        e = {'vendor': title_of(vendor), 'product': title_of(product)}
        if kind < 0.55:
            v = {'version': '0', 'status': 'affected', 'versionType': 'semver'}
            if rng.random() < 0.5:
                v['lessThanOrEqual'] = unesc(vers[max(0, k - 1)].split(':')[0])
            else:
                v['lessThan'] = fix
            e['versions'] = [v]
            e['defaultStatus'] = 'unaffected'
        elif kind < 0.8:
            # VulDB: every affected release listed
            lo = max(0, k - rng.randint(1, 12))
            e['versions'] = [{'version': unesc(x.split(':')[0]), 'status': 'affected'} for x in vers[lo:k]] or \
                [{'version': fix, 'status': 'affected'}]
        else:
            e['versions'] = [{'version': unesc(vers[max(0, k - 8)].split(':')[0]), 'lessThan': fix,
                              'status': 'affected', 'versionType': 'custom'}]
            e['defaultStatus'] = 'unaffected'
        return e, fix

    # -- ADP containers -------------------------------------------------------------------
    def adp_cve(self, rng, refs, date):
        self.stats['adp_cve'] += 1
        return {'providerMetadata': {'orgId': 'af854a3a-2127-422b-91ae-364da2661108', 'shortName': 'CVE',
                                     'dateUpdated': date},
                'title': 'CVE Program Container',
                'references': [{'url': r['url'], 'tags': (r.get('tags') or []) + ['x_transferred']} for r in refs]}

    def adp_cisa(self, rng, cve_id, date, kev_date, need_cvss, vec, prods, cwe):
        self.stats['adp_cisa'] += 1
        expl = 'active' if kev_date else ('poc' if rng.random() < 0.15 else 'none')
        metrics = []
        if need_cvss and vec:
            metrics.append({'cvssV3_1': {'scope': 'UNCHANGED', 'version': '3.1', 'baseScore': vec[1],
                                         'vectorString': vec[0], 'baseSeverity': vec[2]}})
        metrics.append({'other': {'type': 'ssvc', 'content': {
            'timestamp': date[:19] + '.%06dZ' % rng.randint(0, 999999), 'id': cve_id,
            'options': [{'Exploitation': expl}, {'Automatable': rng.choice(('yes', 'no', 'no'))},
                        {'Technical Impact': rng.choice(('partial', 'total'))}],
            'role': 'CISA Coordinator', 'version': '2.0.3'}}})
        a = {'metrics': metrics, 'title': 'CISA ADP Vulnrichment',
             'providerMetadata': {'orgId': '134c704f-9b21-4f2e-91b3-4a467353bcc0', 'shortName': 'CISA-ADP',
                                  'dateUpdated': date}}
        if kev_date:
            metrics.append({'other': {'type': 'kev', 'content': {
                'dateAdded': kev_date,
                'reference': 'https://www.cisa.gov/known-exploited-vulnerabilities-catalog?field_cve=' + cve_id}}})
            a['timeline'] = [{'time': kev_date + 'T00:00:00+00:00', 'lang': 'en',
                              'value': '%s added to CISA KEV' % cve_id}]
            self.stats['kev'] += 1
        if prods:
            aff = []
            for part, vendor, product, lo, hi, incl in prods:
                cv = rng.random()
                cver = '*' if cv < 0.5 else (lo if cv < 0.8 and lo not in ('0', '') else '-')
                e = {'cpes': ['cpe:2.3:%s:%s:%s:%s:*:*:*:*:*:*:*' % (part, vendor, product, cver)],
                     'vendor': vendor, 'product': product,
                     'versions': [{'status': 'affected', 'version': lo or '0',
                                   ('lessThanOrEqual' if incl else 'lessThan'): hi,
                                   'versionType': 'custom'}],
                     'defaultStatus': 'unknown'}
                aff.append(e)
            a['affected'] = aff
            self.stats['cisa_affected'] += 1
        if cwe and rng.random() < 0.3:
            a['problemTypes'] = [{'descriptions': [{'type': 'CWE', 'cweId': cwe, 'lang': 'en',
                                                    'description': '%s Weakness' % cwe}]}]
        return a

    # -- whole records --------------------------------------------------------------------
    def record(self, nvd):
        cve_id = nvd['id']
        year = int(cve_id[4:8])
        rng = random.Random('%d:%s' % (self.seed, cve_id))
        pub = iso(nvd.get('published'), rng)
        upd = iso(nvd.get('lastModified'), rng)
        reserved = iso(shift_date(nvd.get('published') or '2020-01-01T00:00:00', -rng.randint(1, 27)), rng)
        status = nvd.get('vulnStatus', '')
        meta = {'cveId': cve_id, 'assignerOrgId': '', 'state': 'PUBLISHED', 'assignerShortName': '',
                'dateReserved': reserved, 'datePublished': pub, 'dateUpdated': upd}
        self.stats['records'] += 1
        if status == 'Rejected':
            self.stats['rejected'] += 1
            name = 'mitre' if year < 2016 else wpick(rng, GENERIC_CNAS, self.generic_cum)
            org = uuid_of('org:' + name)
            meta.update({'assignerOrgId': org, 'assignerShortName': name, 'state': 'REJECTED',
                         'dateRejected': upd})
            txt = rng.choice(REJECT_TEXT)
            if '%' in txt:
                txt = txt % (year, rng.randint(1000, 40000))
            rec = {'dataType': 'CVE_RECORD', 'dataVersion': '5.1', 'cveMetadata': meta,
                   'containers': {'cna': {'providerMetadata': {'orgId': org, 'shortName': name, 'dateUpdated': upd},
                                          'rejectedReasons': [{'lang': 'en', 'value': txt}]}}}
            return rec, ('', 0)
        desc = ''
        for d in nvd.get('descriptions') or []:
            if d.get('lang') == 'en':
                desc = d.get('value', '')
                break
        ents, first = self.affected_from_nvd(rng, nvd, year, None)
        vendor0 = first[1] if first else None
        fixed_prods = []
        if ents is None:
            # NVD has no configuration (Awaiting Analysis, Deferred ...): the CNA still names
            # a product; CISA adds CPEs for most recent ones
            row = wpick(rng, self.vocab, self.vcum)
            e, fix = self.affected_from_vocab(rng, row, 0.6 + 0.4 * rng.random())
            ents = [e]
            first = (row[0], row[1], row[2])
            vendor0 = row[1]
            fixed_prods.append((row[0], row[1], row[2], '0', fix, False))
        name, org = self.cna_of(rng, vendor0, year)
        meta['assignerOrgId'] = org
        meta['assignerShortName'] = name
        cna = {'providerMetadata': {'orgId': org, 'shortName': name, 'dateUpdated': upd}}
        if rng.random() < 0.3:
            cna['title'] = (desc.split('. ')[0])[:120]
        cna['affected'] = ents
        self.stats['cna_entries'] += len(ents)
        dd = {'lang': 'en', 'value': desc}
        if rng.random() < 0.15:
            dd['supportingMedia'] = [{'base64': False, 'type': 'text/html',
                                      'value': '<p>%s</p>' % desc.replace('&', '&amp;').replace('<', '&lt;')}]
        cna['descriptions'] = [dd]
        # metrics: the CNA's own (Secondary) score when NVD lists one, else none for old records
        vec = None
        cna_metric = False
        mets = nvd.get('metrics') or {}
        for m in mets.get('cvssMetricV31') or []:
            cd = m.get('cvssData') or {}
            vec = (cd.get('vectorString'), cd.get('baseScore'), cd.get('baseSeverity'))
            if m.get('type') == 'Secondary' or year >= 2016 and rng.random() < 0.5:
                block = {'version': '3.1', 'vectorString': cd.get('vectorString'), 'baseScore': cd.get('baseScore'),
                         'baseSeverity': cd.get('baseSeverity')}
                if rng.random() < 0.5:
                    for k in ('attackVector', 'attackComplexity', 'privilegesRequired', 'userInteraction', 'scope',
                              'confidentialityImpact', 'integrityImpact', 'availabilityImpact'):
                        if k in cd:
                            block[k] = cd[k]
                ent = {'cvssV3_1': block}
                if rng.random() < 0.4:
                    ent['format'] = 'CVSS'
                    ent['scenarios'] = [{'lang': 'en', 'value': 'GENERAL'}]
                cna['metrics'] = [ent]
                cna_metric = True
                break
        for m in mets.get('cvssMetricV40') or []:
            cd = m.get('cvssData') or {}
            if cd.get('vectorString') and rng.random() < 0.7:
                cna.setdefault('metrics', []).insert(0, {'cvssV4_0': {
                    'version': '4.0', 'vectorString': cd['vectorString'], 'baseScore': cd.get('baseScore'),
                    'baseSeverity': cd.get('baseSeverity')}})
                cna_metric = True
            break
        cwe = None
        for w in nvd.get('weaknesses') or []:
            for d in w.get('description') or []:
                v = d.get('value', '')
                if v.startswith('CWE-'):
                    cwe = v
                    break
            if cwe:
                break
        if cwe:
            cna['problemTypes'] = [{'descriptions': [{'lang': 'en', 'description': '%s Weakness' % cwe,
                                                      'cweId': cwe, 'type': 'CWE'}]}]
        elif rng.random() < 0.5:
            cna['problemTypes'] = [{'descriptions': [{'lang': 'en', 'description': 'n/a', 'type': 'text'}]}]
        refs = []
        seen = set()
        for r in nvd.get('references') or []:
            u = r.get('url')
            if not u or u in seen or len(refs) >= 12:
                continue
            seen.add(u)
            tags = sorted(set(NVD_TAG_TO_CVE5[t] for t in r.get('tags') or [] if t in NVD_TAG_TO_CVE5))
            if year < 2016:
                tags = [OLD_TAGS.get(t, 'x_refsource_MISC') for t in tags[:1]] or ['x_refsource_MISC']
            e = {'url': u}
            if tags:
                e['tags'] = tags
            refs.append(e)
        cna['references'] = refs
        if rng.random() < 0.3:
            cna['x_generator'] = {'engine': rng.choice(('Vulnogram 0.1.0-dev', 'Vulnogram 0.2.0',
                                                        'bippy-1.2.0', 'cveClient/1.0.15'))}
        if rng.random() < 0.2:
            cna['source'] = {'discovery': rng.choice(('UNKNOWN', 'EXTERNAL', 'INTERNAL'))}
        adp = []
        pubd = nvd.get('published') or ''
        if pubd < '2024-06-01' and rng.random() < 0.9:
            adp.append(self.adp_cve(rng, refs, iso(shift_date(pubd, rng.randint(1, 400)), rng)))
        kev = nvd.get('cisaExploitAdd')
        analysed = status in ('Analyzed', 'Modified')
        p_cisa = 1.0 if kev else (0.75 if pubd >= '2024-01-01' else (0.5 if not analysed else 0.06))
        if rng.random() < p_cisa:
            prods = fixed_prods if (not analysed or rng.random() < 0.35) else []
            if not prods and not analysed:
                prods = []
            if not prods and rng.random() < 0.4 and first:
                prods = self.cisa_prods(ents, first)
            adp.append(self.adp_cisa(rng, cve_id, upd, kev, not cna_metric, vec, prods, cwe))
        if adp:
            rng.shuffle(adp)
        rec = {'dataType': 'CVE_RECORD', 'dataVersion': rng.choice(('5.0', '5.1', '5.1', '5.2')),
               'cveMetadata': meta, 'containers': {'cna': cna}}
        if adp:
            rec['containers']['adp'] = adp
        return rec, ('%s:%s:%s' % first if first else '', 1 if kev else 0)

    def cisa_prods(self, ents, first):
        """CISA's CPEs restating the CNA's first ranged entry."""
        part, vendor, product = first
        for e in ents:
            for v in e.get('versions') or []:
                hi = v.get('lessThan') or v.get('lessThanOrEqual')
                if hi and hi not in ('*', 'None', 'publication') and not hi.startswith('http') and \
                        v.get('versionType') != 'git':
                    lo = v.get('version', '0')
                    if lo in ('unspecified', 'n/a') or ' ' in lo:
                        lo = '0'
                    return [(part, vendor, product, lo, hi, 'lessThanOrEqual' in v)]
        return []

    def extra(self, n, base_year=2026):
        """Records NVD Deferred: CNA + (mostly) CISA ADP only."""
        rng0 = random.Random('%d:extra' % self.seed)
        nums = sorted(rng0.sample(range(1000, max(60000, n * 2)), n))
        month_cum = cumw([1] * 8)
        for i, num in enumerate(nums):
            cve_id = 'CVE-%d-%04d' % (base_year, num)
            rng = random.Random('%d:%s' % (self.seed, cve_id))
            self.stats['records'] += 1
            self.stats['extra'] += 1
            mon = 1 + int(8 * i / max(1, n))
            day = rng.randint(1, 28)
            pub = '%d-%02d-%02dT%02d:%02d:%02d.%03dZ' % (base_year, mon, day, rng.randint(0, 23),
                                                          rng.randint(0, 59), rng.randint(0, 59), rng.randint(0, 999))
            upd = '%d-%02d-%02dT%02d:%02d:%02d.%03dZ' % (base_year, min(12, mon + rng.randint(0, 3)), day,
                                                          rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59),
                                                          rng.randint(0, 999))
            row = wpick(rng, self.vocab, self.vcum)
            e, fix = self.affected_from_vocab(rng, row, 0.85 + 0.15 * rng.random())
            wp = row[0] == 'a' and rng.random() < 0.25
            name = 'Wordfence' if wp else (VENDOR_CNA.get(row[1]) or wpick(rng, GENERIC_CNAS, self.generic_cum))
            org = uuid_of('org:' + name)
            title = '%s %s' % (e['product'], rng.choice(('Cross-Site Scripting', 'SQL Injection',
                                                         'Missing Authorization', 'Path Traversal',
                                                         'Unrestricted Upload', 'Buffer Overflow',
                                                         'Improper Authentication', 'Deserialization')))
            desc = ('A vulnerability was found in %s %s up to %s. It has been classified as problematic. '
                    'The manipulation leads to %s. The attack may be launched remotely.' %
                    (e['vendor'], e['product'], fix, title.split(' ', 1)[1].lower()))
            av = rng.choice(('N', 'N', 'N', 'L', 'A'))
            vec = 'CVSS:3.1/AV:%s/AC:L/PR:%s/UI:%s/S:U/C:%s/I:%s/A:%s' % (
                av, rng.choice('NLH'), rng.choice('NR'), rng.choice('NLH'), rng.choice('NLH'), rng.choice('NLH'))
            score = round(rng.uniform(3.0, 9.8), 1)
            sev = 'CRITICAL' if score >= 9 else ('HIGH' if score >= 7 else ('MEDIUM' if score >= 4 else 'LOW'))
            cna = {'providerMetadata': {'orgId': org, 'shortName': name, 'dateUpdated': upd},
                   'title': title, 'affected': [e], 'descriptions': [{'lang': 'en', 'value': desc}],
                   'metrics': [{'cvssV3_1': {'version': '3.1', 'baseScore': score, 'vectorString': vec,
                                             'baseSeverity': sev}}],
                   'problemTypes': [{'descriptions': [{'type': 'CWE', 'cweId': 'CWE-%d' % rng.choice(
                       (79, 89, 862, 22, 434, 120, 287, 502, 352, 78)), 'lang': 'en', 'description': title}]}],
                   'references': [{'url': 'https://vuldb.com/?id.%d' % (200000 + num), 'tags': ['vdb-entry']},
                                  {'url': 'https://example.org/%s/advisory/%s' % (row[1], cve_id.lower())}]}
            self.stats['cna_entries'] += 1
            rec = {'dataType': 'CVE_RECORD', 'dataVersion': '5.2',
                   'cveMetadata': {'cveId': cve_id, 'assignerOrgId': org, 'state': 'PUBLISHED',
                                   'assignerShortName': name, 'dateReserved': pub, 'datePublished': pub,
                                   'dateUpdated': upd},
                   'containers': {'cna': cna}}
            if rng.random() < 0.8:
                prods = [(row[0], row[1], row[2], '0', fix, False)] if rng.random() < 0.6 else []
                kev = '%d-%02d-%02d' % (base_year, mon, day) if rng.random() < 0.004 else None
                rec['containers']['adp'] = [self.adp_cisa(rng, cve_id, upd, kev, False, None, prods, None)]
            else:
                kev = None
            yield rec, ('%s:%s:%s' % (row[0], row[1], row[2]), 1 if kev else 0)


def nvd_records(nvd_dir):
    files = sorted(glob.glob(os.path.join(nvd_dir, 'nvd-*.json')))
    if not files:
        sys.exit('gen_cve5: no nvd-*.json in %s (run gen_nvd.py first; --gzip pages are not read)' % nvd_dir)
    for f in files:
        with open(f, encoding='utf-8') as fh:
            page = json.load(fh)
        for v in page.get('vulnerabilities') or []:
            yield v['cve']
        del page


def rel_path(cve_id):
    year, num = cve_id[4:8], cve_id[9:]
    return 'cves/%s/%sxxx/%s.json' % (year, num[:-3] if len(num) > 3 else '0', cve_id)


def main(argv=None):
    ap = argparse.ArgumentParser(description='Generate a synthetic CVE List (CVE JSON 5.x) from a gen_nvd.py set.')
    ap.add_argument('--nvd', required=True, help='directory written by gen_nvd.py (plain pages)')
    ap.add_argument('--out', required=True)
    ap.add_argument('--extra', type=int, default=40000, help='2026 records NVD deferred (CNA + ADP only)')
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--layout', choices=('tree', 'zip'), default='tree')
    ap.add_argument('--limit', type=int, default=0, help='only the first N NVD records (for a small set)')
    a = ap.parse_args(argv)
    t0 = time.time()
    with open(os.path.join(a.nvd, 'vocab.json'), encoding='utf-8') as fh:
        vocab = json.load(fh)
    g = Gen(a.seed, vocab)
    os.makedirs(a.out, exist_ok=True)
    zf = None
    if a.layout == 'zip':
        zf = zipfile.ZipFile(os.path.join(a.out, 'cves.zip'), 'w', zipfile.ZIP_DEFLATED, allowZip64=True,
                             compresslevel=6)
    made = set()
    tsv = open(os.path.join(a.out, 'cves.tsv'), 'w', encoding='utf-8', newline='\n')
    tsv.write('id\tyear\tstate\tproduct\tkev\n')

    def put(rec, info):
        cid = rec['cveMetadata']['cveId']
        txt = json.dumps(rec, indent=4, ensure_ascii=False) + '\n'
        data = txt.encode('utf-8')
        g.stats['bytes'] += len(data)
        rp = rel_path(cid)
        if zf is not None:
            zi = zipfile.ZipInfo(rp, date_time=(2026, 9, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(zi, data)
        else:
            d = os.path.join(a.out, os.path.dirname(rp))
            if d not in made:
                os.makedirs(d, exist_ok=True)
                made.add(d)
            with open(os.path.join(a.out, rp), 'wb') as fh:
                fh.write(data)
        tsv.write('%s\t%s\t%s\t%s\t%d\n' % (cid, cid[4:8], rec['cveMetadata']['state'], info[0], info[1]))

    n = 0
    for nvd in nvd_records(a.nvd):
        rec, info = g.record(nvd)
        put(rec, info)
        n += 1
        if a.limit and n >= a.limit:
            break
        if n % 50000 == 0:
            print('  %d records, %.0f s' % (n, time.time() - t0), file=sys.stderr)
    for rec, info in g.extra(a.extra):
        put(rec, info)
    tsv.close()
    if zf is not None:
        zf.close()
    s = g.stats
    print('records: %d (%d from the NVD set, %d of 2026 that NVD deferred; %d REJECTED)' % (
        s['records'], s['records'] - s['extra'], s['extra'], s['rejected']))
    print('CNA affected entries: %d (%d with cpes); Linux double statements (git + releases): %d; quirks: %d' % (
        s['cna_entries'], s['cna_cpes'], s['linux_git'], s['quirks']))
    print('ADP containers: CVE Program %d, CISA ADP %d (%d with affected/CPEs, %d KEV entries)' % (
        s['adp_cve'], s['adp_cisa'], s['cisa_affected'], s['kev']))
    print('total: %.1f MB of JSON (%.1f KB per record), layout %s; %.1f s' % (
        s['bytes'] / 1e6, s['bytes'] / 1e3 / max(1, s['records']), a.layout, time.time() - t0))
    return 0


if __name__ == '__main__':
    sys.exit(main())
