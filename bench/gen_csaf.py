#!/usr/bin/env python3
"""Deterministic generator of synthetic CSAF 2.0 advisories for lianfang's benchmarks.

It writes --advisories documents (default 3,000) in the shapes of the real publishers kept in
../shared/data/csaf:

  Red Hat (about 55 %)  RHSA-/RHBA- security advisories and VEX files: a product_tree with the
        "Red Hat" vendor branch, product families and streams carrying CPE 2.2 helpers
        (cpe:/o:redhat:enterprise_linux:9::baseos, cpe:/a:redhat:rhel_eus:8.6::appstream),
        architecture branches of NEVRA product versions with purl helpers
        (pkg:rpm/redhat/openssl@3.0.7-18.el9_2?arch=x86_64&epoch=1; older documents without purl),
        default_component_of relationships; product_status fixed / known_affected /
        known_not_affected (VEX: the other streams), vendor_fix remediations with the errata URL,
        cvss_v3 scores, impact threats;
  CISA ICS (about 25 %)  ICSA-YY-DDD-NN re-publications: vendor / product_name /
        product_version_range branches with `vers:` strings and free text ("<=2.0.1", "<V3.1",
        "All versions", "3.0.7 | 3.0.8 | 3.0.9"), CSAFPID-NNNN ids, known_affected,
        vendor_fix with a URL, mitigation notes, cvss_v3 (some cvss_v4 only in references);
  Siemens ProductCERT (about 12 %)  SSA-NNNNNN with vers:intdot ranges, fixed products,
        first_fixed;
  Cisco PSIRT (about 8 %)  cisco-sa-… with product_family / product_version trees (12.2(55)SE)
        and known_affected lists.

Vendor products of the CISA, Siemens and Cisco documents come from vocab.json (gen_nvd.py), so
name resolution meets products the NVD set knows; CVE ids come from --cves (cves.tsv of
gen_cve5.py). Every document has its own generator seeded by (--seed, number).
Output: OUT/<publisher>/<tracking id, lower case>.json (pretty-printed, indent 2, as the
providers serve them), plus OUT/changes.csv (path,date) as a provider's directory listing.

Standard library only. Usage:
  bench/gen_csaf.py --out /tmp/csaf [--advisories 3000] [--vocab /tmp/nvd/vocab.json]
                    [--cves /tmp/cve5/cves.tsv] [--seed 1]
"""

import argparse
import bisect
import json
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_osv import DISTRO_PKGS, RPM_PKGS, upstream_history, load_cves  # noqa: E402

ARCHES = ('x86_64', 'aarch64', 'ppc64le', 's390x', 'i686', 'src')
RH_STREAMS = [  # (product id, name, cpe, release)
    ('BaseOS-9.4.0.Z.MAIN', 'Red Hat Enterprise Linux BaseOS (v. 9)', 'cpe:/o:redhat:enterprise_linux:9::baseos', '9'),
    ('AppStream-9.4.0.Z.MAIN', 'Red Hat Enterprise Linux AppStream (v. 9)',
     'cpe:/a:redhat:enterprise_linux:9::appstream', '9'),
    ('BaseOS-8.10.0.Z.MAIN', 'Red Hat Enterprise Linux BaseOS (v. 8)', 'cpe:/o:redhat:enterprise_linux:8::baseos',
     '8'),
    ('AppStream-8.10.0.Z.MAIN', 'Red Hat Enterprise Linux AppStream (v. 8)',
     'cpe:/a:redhat:enterprise_linux:8::appstream', '8'),
    ('BaseOS-8.6.0.Z.EUS', 'Red Hat Enterprise Linux BaseOS EUS (v.8.6)', 'cpe:/o:redhat:rhel_eus:8.6::baseos', '8'),
    ('AppStream-9.2.0.Z.EUS', 'Red Hat Enterprise Linux AppStream EUS (v.9.2)',
     'cpe:/a:redhat:rhel_eus:9.2::appstream', '9'),
    ('7Server-7.9.Z', 'Red Hat Enterprise Linux Server (v. 7)', 'cpe:/o:redhat:enterprise_linux:7::server', '7'),
]
ICS_VENDORS = [('siemens', 'Siemens'), ('moxa', 'Moxa'), ('deltaww', 'Delta Electronics'),
               ('advantech', 'Advantech'), ('rockwellautomation', 'Rockwell Automation'),
               ('schneider-electric', 'Schneider Electric'), ('mitsubishielectric', 'Mitsubishi Electric'),
               ('pepperl-fuchs', 'Pepperl+Fuchs'), ('hitachienergy', 'Hitachi Energy'), ('abb', 'ABB'),
               ('honeywell', 'Honeywell'), ('ge', 'GE Vernova'), ('phoenixcontact', 'Phoenix Contact')]


def cumw(weights):
    out, t = [], 0.0
    for w in weights:
        t += w
        out.append(t)
    return out


def title_of(name):
    s = name.replace('\\', '').replace('_', ' ')
    return ' '.join(w[:1].upper() + w[1:] for w in s.split(' ') if w)


def date(rng, year):
    return '%d-%02d-%02dT%02d:%02d:%02d+00:00' % (year, rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23),
                                                  rng.randint(0, 59), rng.randint(0, 59))


def cvss(rng):
    av, ac, pr, ui = rng.choice('NNNAL'), rng.choice('LLH'), rng.choice('NLH'), rng.choice('NR')
    c, i, a = rng.choice('NLH'), rng.choice('NLH'), rng.choice('HLN')
    vec = 'CVSS:3.1/AV:%s/AC:%s/PR:%s/UI:%s/S:U/C:%s/I:%s/A:%s' % (av, ac, pr, ui, c, i, a)
    score = round(min(10.0, 1.5 + 2.2 * ('LH'.find(c) + 1 + 'LH'.find(i) + 1 + 'LH'.find(a) + 1) / 2.0 +
                      (1.0 if av == 'N' else 0) + rng.random()), 1)
    sev = 'CRITICAL' if score >= 9 else ('HIGH' if score >= 7 else ('MEDIUM' if score >= 4 else 'LOW'))
    return {'attackComplexity': {'L': 'LOW', 'H': 'HIGH'}[ac], 'baseScore': score, 'baseSeverity': sev,
            'vectorString': vec, 'version': '3.1'}


class Gen:
    def __init__(self, seed, vocab, cves):
        self.seed = seed
        self.cves = cves
        self.vocab = [r for r in vocab if r[0] in ('a', 'o', 'h') and len(r[3]) >= 3]
        self.vcum = cumw([1.0 / (i + 20) ** 0.7 for i in range(len(self.vocab))])
        self.stats = {'advisories': 0, 'vulns': 0, 'products': 0, 'relationships': 0, 'bytes': 0,
                      'not_affected': 0, 'purl': 0}
        self.seq = {}

    def cve_list(self, rng, n):
        out, seen = [], set()
        for _ in range(n):
            if self.cves:
                c = self.cves[int(rng.random() * len(self.cves))]
            else:
                y = rng.randint(2018, 2026)
                c = ('CVE-%d-%04d' % (y, rng.randint(1000, 60000)), y, '')
            if c[0] not in seen:
                seen.add(c[0])
                out.append(c)
        return out

    def next_seq(self, key, start):
        self.seq[key] = self.seq.get(key, start) + 1
        return self.seq[key]

    def base_doc(self, rng, tid, title, category, publisher, year, lang='en'):
        initial = date(rng, year)
        cur = initial if rng.random() < 0.5 else date(rng, min(2026, year + 1))
        if cur < initial:
            cur = initial
        revs = [{'date': initial, 'number': '1', 'summary': 'Initial version'}]
        if cur != initial:
            revs.append({'date': cur, 'number': '2', 'summary': 'Last updated version'})
        return {'category': category, 'csaf_version': '2.0',
                'distribution': {'text': 'Disclosure is not limited', 'tlp': {'label': 'WHITE',
                                                                             'url': 'https://www.first.org/tlp/'}},
                'lang': lang,
                'notes': [{'category': 'summary', 'text': title, 'title': 'Topic'},
                          {'category': 'legal_disclaimer', 'text': 'This content is provided "AS IS".',
                           'title': 'Terms of Use'}],
                'publisher': publisher,
                'references': [{'category': 'self', 'summary': 'Canonical URL',
                                'url': '%s/%s' % (publisher['namespace'].rstrip('/'), tid.lower())}],
                'title': title,
                'tracking': {'current_release_date': cur, 'generator': {'engine': {'name': 'gen_csaf', 'version': '1'}},
                             'id': tid, 'initial_release_date': initial, 'revision_history': revs,
                             'status': 'final', 'version': str(len(revs))}}

    # -- Red Hat ---------------------------------------------------------------------------
    def redhat(self, rng, n):
        dpkg = DISTRO_PKGS[min(len(DISTRO_PKGS) - 1, int(len(DISTRO_PKGS) * rng.random() ** 2))]
        pkg = RPM_PKGS.get(dpkg, dpkg)
        hist = upstream_history(random.Random('%d:rh:%s' % (self.seed, pkg)), 40)
        cves = self.cve_list(rng, 1 if rng.random() < 0.6 else rng.randint(2, 6))
        year = max(c[1] for c in cves)
        vex = rng.random() < 0.35
        kind = 'RHSA' if rng.random() < 0.85 else 'RHBA'
        tid = '%s-%d:%d' % (kind, min(year, 2026), self.next_seq('rh%d' % year, 100))
        streams = rng.sample(RH_STREAMS, rng.randint(1, 3))
        others = [s for s in RH_STREAMS if s not in streams]
        subs = [pkg] + ['%s-%s' % (pkg, s) for s in ('libs', 'devel', 'debuginfo', 'debugsource', 'perl', 'tools')
                        if rng.random() < 0.4]
        arches = ARCHES if rng.random() < 0.6 else ('x86_64', 'aarch64', 'src')
        use_purl = rng.random() < 0.7
        epoch = 1 if len(pkg) % 5 == 0 else 0
        fam = {'branches': [], 'category': 'product_family', 'name': 'Red Hat Enterprise Linux'}
        for pid, name, cpe, _rel in RH_STREAMS if vex else streams:
            fam['branches'].append({'category': 'product_name', 'name': name,
                                    'product': {'name': name, 'product_id': pid,
                                                'product_identification_helper': {'cpe': cpe}}})
        vendor = {'branches': [fam], 'category': 'vendor', 'name': 'Red Hat'}
        rels = []
        fixed_ids = []
        cut = rng.randint(10, len(hist) - 1)
        defined = set()
        for pid, _name, _cpe, rel in streams:
            ver = '%s-%d.el%s_%d' % (hist[cut], rng.randint(1, 40), rel, rng.randint(0, 6))
            by_arch = {}
            for arch in arches:
                for s in subs if arch != 'src' else [pkg]:
                    nevra = '%s-%s%s.%s' % (s, '%d:' % epoch if epoch else '', ver, arch)
                    rid = '%s:%s' % (pid, nevra)
                    rels.append({'category': 'default_component_of',
                                 'full_product_name': {'name': '%s as a component of %s' % (nevra, _name),
                                                       'product_id': rid},
                                 'product_reference': nevra, 'relates_to_product_reference': pid})
                    fixed_ids.append(rid)
                    if nevra in defined:
                        continue   # one build shipped in two streams: one product, two relationships
                    defined.add(nevra)
                    prod = {'name': nevra, 'product_id': nevra}
                    if use_purl:
                        q = 'arch=%s%s' % (arch, '&epoch=%d' % epoch if epoch else '')
                        prod['product_identification_helper'] = {'purl': 'pkg:rpm/redhat/%s@%s?%s' % (s, ver, q)}
                        self.stats['purl'] += 1
                    by_arch.setdefault(arch, []).append({'category': 'product_version', 'name': nevra,
                                                         'product': prod})
            for arch, prods in by_arch.items():
                vendor['branches'].append({'branches': prods, 'category': 'architecture', 'name': arch})
        self.stats['relationships'] += len(rels)
        self.stats['products'] += len(rels)
        pub = {'category': 'vendor', 'contact_details': 'https://access.redhat.com/security/team/contact/',
               'issuing_authority': 'Red Hat Product Security is responsible for vulnerability handling across all '
                                    'Red Hat products and services.',
               'name': 'Red Hat Product Security', 'namespace': 'https://www.redhat.com'}
        sev = rng.choice(('Low', 'Moderate', 'Important', 'Critical'))
        doc = self.base_doc(rng, tid, '%s: %s security update' % (sev, pkg), 'csaf_vex' if vex else
                            'csaf_security_advisory', pub, year)
        doc['aggregate_severity'] = {'namespace': 'https://access.redhat.com/security/updates/classification/',
                                     'text': sev}
        vulns = []
        for cid, _y, _p in cves:
            st = {'fixed': fixed_ids}
            if vex:
                na = [s[0] for s in others if rng.random() < 0.6]
                if na:
                    st['known_not_affected'] = na
                    self.stats['not_affected'] += len(na)
            if vex and rng.random() < 0.1:
                # a stream still waiting for the fix (its family is in the VEX product tree)
                st['known_affected'] = [o[0] for o in others[:1]]
            vulns.append({'cve': cid, 'cwe': {'id': 'CWE-%d' % rng.choice((20, 119, 125, 190, 400, 416, 787)),
                                              'name': 'weakness'},
                          'discovery_date': date(rng, year), 'ids': [{'system_name': 'Red Hat Bugzilla ID',
                                                                      'text': str(rng.randint(1900000, 2400000))}],
                          'notes': [{'category': 'description', 'text': 'A flaw was found in %s.' % pkg,
                                     'title': 'Vulnerability description'}],
                          'product_status': st,
                          'references': [{'category': 'self', 'summary': 'Canonical URL',
                                          'url': 'https://access.redhat.com/security/cve/%s' % cid}],
                          'release_date': date(rng, year),
                          'remediations': [{'category': 'vendor_fix', 'details': 'Apply the update.',
                                            'product_ids': fixed_ids,
                                            'url': 'https://access.redhat.com/errata/%s' % tid}],
                          'scores': [{'cvss_v3': cvss(rng), 'products': fixed_ids}],
                          'threats': [{'category': 'impact', 'details': sev, 'product_ids': fixed_ids}],
                          'title': '%s %s: flaw in %s' % (cid, pkg, rng.choice(('parser', 'X.509', 'TLS', 'cli')))})
        return 'redhat', {'document': doc, 'product_tree': {'branches': [vendor], 'relationships': rels},
                          'vulnerabilities': vulns}

    # -- CISA ICS and Siemens -----------------------------------------------------------------
    def ics(self, rng, n, siemens):
        if siemens:
            vkey, vname = 'siemens', 'Siemens'
        else:
            vkey, vname = ICS_VENDORS[int(len(ICS_VENDORS) * rng.random() ** 1.5)]
        cves = self.cve_list(rng, 1 if rng.random() < 0.5 else rng.randint(2, 8))
        year = max(c[1] for c in cves)
        year = min(2026, max(2019, year))
        prods = []
        pid = 0
        vb = {'branches': [], 'category': 'vendor', 'name': vname}
        for _ in range(rng.randint(1, 12 if siemens else 5)):
            row = self.vocab[bisect.bisect_right(self.vcum, rng.random() * self.vcum[-1])]
            pname = title_of(row[2])
            vers = [v.split(':')[0].replace('\\', '') for v in row[3]]
            k = rng.randint(1, len(vers) - 1)
            r = rng.random()
            if siemens:
                vr = 'vers:intdot/<%s' % vers[k] if r < 0.85 else 'vers:all/*'
                cat = 'product_version_range'
            elif r < 0.35:
                vr, cat = 'vers:all/<%s' % vers[k], 'product_version_range'
            elif r < 0.6:
                vr, cat = '<=%s' % vers[k - 1], 'product_version_range'
            elif r < 0.7:
                vr, cat = '<V%s' % vers[k], 'product_version_range'
            elif r < 0.8:
                vr, cat = 'All versions', 'product_version_range'
            elif r < 0.9:
                vr, cat = ' | '.join(vers[max(0, k - 3):k]), 'product_version'
            else:
                vr, cat = vers[k - 1], 'product_version'
            pid += 1
            ident = ('CSAFPID-%04d' % pid) if not siemens else ('%d' % pid)
            vb['branches'].append({'branches': [{'category': cat, 'name': vr,
                                                 'product': {'name': '%s %s %s' % (vname, pname, vr),
                                                             'product_id': ident}}],
                                   'category': 'product_name', 'name': pname})
            prods.append((ident, vers[k], pname))
        self.stats['products'] += len(prods)
        if siemens:
            tid = 'SSA-%06d' % (100000 + self.next_seq('ssa', 0) * 7)
            pub = {'category': 'vendor', 'contact_details': 'productcert@siemens.com', 'name': 'Siemens ProductCERT',
                   'namespace': 'https://www.siemens.com'}
            d = 'siemens'
        else:
            tid = 'ICSA-%02d-%03d-%02d' % (year % 100, rng.randint(1, 365), self.next_seq('icsa%d' % year, 0) % 100)
            pub = {'category': 'coordinator', 'contact_details': 'central@cisa.dhs.gov', 'name': 'CISA',
                   'namespace': 'https://www.cisa.gov/'}
            d = 'cisa'
        doc = self.base_doc(rng, tid, '%s %s' % (vname, prods[0][2]), 'csaf_security_advisory', pub, year)
        vulns = []
        ids = [p[0] for p in prods]
        for cid, _y, _p in cves:
            aff = [p for p in ids if rng.random() < 0.8] or ids[:1]
            v = {'cve': cid, 'cwe': {'id': 'CWE-%d' % rng.choice((20, 22, 78, 79, 89, 121, 287, 306, 502, 798)),
                                     'name': 'weakness'},
                 'notes': [{'category': 'summary', 'text': '%s products are affected by %s.' % (vname, cid),
                            'title': 'Vulnerability Summary'}],
                 'product_status': {'known_affected': aff},
                 'references': [{'category': 'external', 'summary': 'www.cve.org',
                                 'url': 'https://www.cve.org/CVERecord?id=%s' % cid}],
                 'remediations': [{'category': 'vendor_fix', 'details': 'Update to V%s or later.' % prods[0][1],
                                   'product_ids': aff,
                                   'url': 'https://%s.example.com/support/%s' % (vkey, tid.lower())}],
                 'scores': [{'cvss_v3': cvss(rng), 'products': aff}]}
            if rng.random() < 0.5:
                v['remediations'].append({'category': 'mitigation', 'details': 'Restrict network access.',
                                          'product_ids': aff})
            if siemens and rng.random() < 0.3:
                v['product_status']['first_fixed'] = aff[:1]
            vulns.append(v)
        return d, {'document': doc, 'product_tree': {'branches': [vb]}, 'vulnerabilities': vulns}

    # -- Cisco ---------------------------------------------------------------------------------
    def cisco(self, rng, n):
        cves = self.cve_list(rng, 1)
        year = min(2026, max(2017, cves[0][1]))
        fam_name = rng.choice(('Cisco IOS', 'Cisco IOS XE Software', 'Cisco ASA Software', 'Cisco NX-OS Software'))
        fam = {'branches': [], 'category': 'product_family', 'name': fam_name}
        ids = []
        for t in range(rng.randint(1, 6)):
            train = '%d.%d%s' % (rng.randint(12, 17), rng.randint(0, 9), rng.choice(('SE', 'E', 'EX', 'M', 'T')))
            tb = {'branches': [], 'category': 'product_version', 'name': train}
            for r in range(rng.randint(1, 10)):
                rel = '%s(%d)%s%d' % (train[:-len(train.lstrip('0123456789.'))] or train, rng.randint(1, 60),
                                      train.lstrip('0123456789.'), r)
                pid = 'CVRFPID-%d' % (100000 + len(ids))
                tb['branches'].append({'category': 'service_pack', 'name': rel,
                                       'product': {'name': '%s %s' % (fam_name, rel), 'product_id': pid}})
                ids.append(pid)
            fam['branches'].append(tb)
        self.stats['products'] += len(ids)
        tid = 'cisco-sa-%d%02d%02d-%s' % (year, rng.randint(1, 12), rng.randint(1, 28),
                                          rng.choice(('smi', 'ikev2', 'webui', 'snmp', 'dhcp')) + str(n))
        pub = {'category': 'vendor', 'contact_details': 'psirt@cisco.com', 'name': 'Cisco PSIRT',
               'namespace': 'https://wwww.cisco.com'}
        doc = self.base_doc(rng, tid, '%s Vulnerability' % fam_name, 'Cisco Security Advisory', pub, year)
        vulns = [{'cve': cves[0][0], 'notes': [{'category': 'summary', 'text': 'A vulnerability in %s.' % fam_name,
                                                'title': 'Summary'}],
                  'product_status': {'known_affected': ids},
                  'remediations': [{'category': 'vendor_fix', 'details': 'Upgrade.', 'product_ids': ids,
                                    'url': 'https://software.cisco.com/download/home'}],
                  'scores': [{'cvss_v3': cvss(rng), 'products': ids}]}]
        return 'cisco', {'document': doc, 'product_tree': {'branches': [{'branches': [fam], 'category': 'vendor',
                                                                         'name': 'Cisco'}]},
                         'vulnerabilities': vulns}

    def make(self, n):
        rng = random.Random('%d:csaf:%d' % (self.seed, n))
        r = rng.random()
        if r < 0.55:
            d, doc = self.redhat(rng, n)
        elif r < 0.80:
            d, doc = self.ics(rng, n, False)
        elif r < 0.92:
            d, doc = self.ics(rng, n, True)
        else:
            d, doc = self.cisco(rng, n)
        self.stats['advisories'] += 1
        self.stats['vulns'] += len(doc['vulnerabilities'])
        return d, doc


def main(argv=None):
    ap = argparse.ArgumentParser(description='Generate synthetic CSAF 2.0 advisories.')
    ap.add_argument('--out', required=True)
    ap.add_argument('--advisories', type=int, default=3000)
    ap.add_argument('--vocab', required=True, help='vocab.json written by gen_nvd.py')
    ap.add_argument('--cves', default=None, help='cves.tsv written by gen_cve5.py')
    ap.add_argument('--seed', type=int, default=1)
    a = ap.parse_args(argv)
    t0 = time.time()
    with open(a.vocab, encoding='utf-8') as fh:
        vocab = json.load(fh)
    g = Gen(a.seed, vocab, load_cves(a.cves) if a.cves else [])
    os.makedirs(a.out, exist_ok=True)
    changes = []
    seen = set()
    for n in range(1, a.advisories + 1):
        d, doc = g.make(n)
        tid = doc['document']['tracking']['id']
        if tid in seen:
            tid = doc['document']['tracking']['id'] = '%s-%d' % (tid, n)
        seen.add(tid)
        rel = '%s/%s.json' % (d, tid.lower().replace(':', '_'))
        os.makedirs(os.path.join(a.out, d), exist_ok=True)
        data = (json.dumps(doc, indent=2) + '\n').encode('utf-8')
        g.stats['bytes'] += len(data)
        with open(os.path.join(a.out, rel), 'wb') as fh:
            fh.write(data)
        changes.append((doc['document']['tracking']['current_release_date'], rel))
    with open(os.path.join(a.out, 'changes.csv'), 'w', encoding='utf-8', newline='\n') as fh:
        for dt, rel in sorted(changes, reverse=True):
            fh.write('"%s","%s"\n' % (rel, dt))
    s = g.stats
    print('advisories: %d, vulnerabilities %d, products %d (relationships %d, purl helpers %d), '
          'known_not_affected statements %d' % (s['advisories'], s['vulns'], s['products'], s['relationships'],
                                                 s['purl'], s['not_affected']))
    print('total: %.1f MB of JSON (%.1f KB per advisory); %.1f s' % (
        s['bytes'] / 1e6, s['bytes'] / 1e3 / max(1, s['advisories']), time.time() - t0))
    return 0


if __name__ == '__main__':
    sys.exit(main())
