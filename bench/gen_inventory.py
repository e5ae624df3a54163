#!/usr/bin/env python3
"""Deterministic generator of synthetic host inventories (installed software as CPE 2.3 names)
for lianfang's matching benchmarks.

It reads the vocabulary gen_nvd.py wrote (DIR/vocab.json: [[part, vendor, product, [versions,
oldest first]], ...], most-used product first) and writes one host per line (JSON Lines):
  {"host":"host-000001","cpes":["cpe:2.3:o:microsoft:windows_10_22h2:10.0.19045.4046:*:*:*:*:*:*:*", ...]}
CPE names are CPE 2.3 formatted strings (NISTIR 7695 section 6.2); a vocabulary version
"1.8.0:update361" fills the version and update fields.

Shape of a host: exactly one operating system (about 65 % Windows builds, 35 % Linux
distributions plus a linux_kernel), the usual software of that platform with realistic
frequencies (Edge/Chrome/Firefox, Office, Acrobat Reader, Java, 7-Zip ... on Windows; OpenSSL,
OpenSSH, glibc, curl, Python ... on Linux), then random products from the vocabulary with a
Zipf-like skew, and about 40 % of all items from products the feed does not know (real
dictionary names absent from vocab.json, or invented ones). Versions lean towards recent
releases but reach back, so hosts mix vulnerable and fixed versions. The number of CPEs per
host follows a Beta(2, b) law on [20, 300] whose mean is --items / --hosts.

Every host is drawn from its own generator seeded by (--seed, host number), so host N is the
same in both output formats and whatever --hosts is. Output is streamed.

Usage:
  bench/gen_inventory.py --vocab DIR/vocab.json --out FILE.jsonl [--items 10000000]
                         [--hosts 100000] [--seed 1]
  bench/gen_inventory.py --vocab DIR/vocab.json --out DIR --format cpelist --host-files 20
      (DIR/host-000001.txt ...: one CPE per line, for CLI demos)
"""

import argparse
import bisect
import csv
import json
import os
import random
import sys
import time

WINDOWS_OS = [  # product, weight, fallback version when the vocabulary lacks it
    ('windows_10_22h2', 30, '10.0.19045.4046'), ('windows_11_23h2', 22, '10.0.22631.3155'),
    ('windows_11_22h2', 10, '10.0.22621.3155'), ('windows_11_24h2', 8, '10.0.26100.1742'),
    ('windows_10_21h2', 5, '10.0.19044.4046'), ('windows_10_1809', 2, '10.0.17763.5458'),
    ('windows_server_2019', 9, '10.0.17763.5458'), ('windows_server_2022', 10, '10.0.20348.2322'),
    ('windows_server_2016', 4, '10.0.14393.6981'),
]
LINUX_OS = [  # part vendor product, weight, versions
    ('canonical', 'ubuntu_linux', 34, ('18.04', '20.04', '22.04', '22.04', '24.04')),
    ('debian', 'debian_linux', 22, ('10.0', '11.0', '12.0', '12.0')),
    ('redhat', 'enterprise_linux', 26, ('7.0', '8.0', '8.4', '8.8', '9.0', '9.4')),
    ('fedoraproject', 'fedora', 6, ('38', '39', '40')),
    ('opensuse', 'leap', 5, ('15.4', '15.5', '15.6')),
    ('suse', 'linux_enterprise_server', 7, ('12', '15')),
]
WIN_APPS = [
    ('microsoft', 'edge_chromium', .97), ('google', 'chrome', .85), ('mozilla', 'firefox', .35),
    ('microsoft', 'office', .70), ('microsoft', 'excel', .30), ('microsoft', 'word', .30),
    ('microsoft', 'outlook', .30), ('microsoft', '.net_framework', .80), ('microsoft', 'teams', .50),
    ('microsoft', 'windows_defender', .85), ('adobe', 'acrobat_reader_dc', .60),
    ('oracle', 'jre', .35), ('oracle', 'jdk', .10), ('7-zip', '7-zip', .50),
    ('notepad-plus-plus', 'notepad\\+\\+', .30), ('videolan', 'vlc_media_player', .30),
    ('zoom', 'meetings', .40), ('rarlab', 'winrar', .25), ('putty', 'putty', .20),
    ('winscp', 'winscp', .12), ('filezilla-project', 'filezilla_client', .10),
    ('teamviewer', 'teamviewer', .15), ('anydesk', 'anydesk', .10), ('kingsoft', 'wps_office', .10),
    ('linecorp', 'line', .15), ('foxitsoftware', 'foxit_reader', .10), ('python', 'python', .15),
    ('git-scm', 'git', .15), ('microsoft', 'visual_studio_2022', .08), ('vmware', 'workstation', .05),
    ('oracle', 'virtualbox', .05), ('apple', 'itunes', .05), ('trendmicro', 'apex_one', .20),
    ('libreoffice', 'libreoffice', .05), ('gimp', 'gimp', .03), ('wireshark', 'wireshark', .05),
    ('nodejs', 'node.js', .08), ('adobe', 'photoshop', .04), ('mozilla', 'thunderbird', .06),
]
WIN_SERVER_APPS = [
    ('microsoft', 'sql_server', .25), ('microsoft', 'exchange_server', .08),
    ('microsoft', 'sharepoint_server', .05), ('vmware', 'vcenter_server', .03),
    ('oracle', 'database_server', .05), ('ibm', 'db2', .03), ('apache', 'tomcat', .10),
]
LINUX_APPS = [
    ('openssl', 'openssl', .97), ('openbsd', 'openssh', .92), ('gnu', 'bash', .98),
    ('gnu', 'glibc', .98), ('sudo_project', 'sudo', .92), ('haxx', 'curl', .90),
    ('haxx', 'libcurl', .90), ('tukaani', 'xz', .90), ('zlib', 'zlib', .95), ('sqlite', 'sqlite', .60),
    ('python', 'python', .85), ('perl', 'perl', .80), ('systemd_project', 'systemd', .85),
    ('vim', 'vim', .60), ('git-scm', 'git', .40), ('apache', 'http_server', .25), ('f5', 'nginx', .30),
    ('oracle', 'mysql', .12), ('mariadb', 'mariadb', .12), ('postgresql', 'postgresql', .18),
    ('php', 'php', .20), ('apache', 'tomcat', .12), ('apache', 'log4j', .08), ('oracle', 'openjdk', .30),
    ('docker', 'docker', .25), ('samba', 'samba', .15), ('isc', 'bind', .08), ('nodejs', 'node.js', .15),
    ('tcpdump', 'tcpdump', .30), ('golang', 'go', .10), ('imagemagick', 'imagemagick', .15),
    ('ffmpeg', 'ffmpeg', .08), ('libtiff', 'libtiff', .30), ('qemu', 'qemu', .05),
    ('kubernetes', 'kubernetes', .05), ('elastic', 'elasticsearch', .04), ('grafana', 'grafana', .04),
    ('jenkins', 'jenkins', .04), ('gitlab', 'gitlab', .02), ('wordpress', 'wordpress', .04),
]
INVENT_A = ['acme', 'nova', 'blue', 'quick', 'zen', 'orbit', 'pixel', 'delta', 'north', 'kite',
            'lumen', 'tera', 'vanta', 'iris', 'cobalt', 'ember', 'fjord', 'gala', 'halo', 'jade']
INVENT_B = ['soft', 'works', 'labs', 'systems', 'tech', 'data', 'ware', 'net', 'apps', 'io']
INVENT_P = ['agent', 'helper', 'updater', 'driver', 'toolkit', 'runtime', 'client', 'viewer',
            'launcher', 'sync', 'monitor', 'service', 'studio', 'connector', 'redistributable']


def cumw(weights):
    out, t = [], 0.0
    for w in weights:
        t += w
        out.append(t)
    return out


def pick(rng, items, cum):
    return items[bisect.bisect_right(cum, rng.random() * cum[-1])]


def lean_recent(rng, versions):
    """A version skewed to the newest releases: ~55 % from the newest tenth, a tail to the oldest."""
    n = len(versions)
    u = rng.random()
    u *= u
    return versions[n - 1 - int(n * 0.999 * u * u)]


def cpe(part, vendor, product, version):
    ver, sep, upd = version.partition(':')
    # the split is safe: vocabulary versions escape literal colons as "\:"
    if sep and ver.endswith('\\'):
        ver, upd = version, ''
    return 'cpe:2.3:%s:%s:%s:%s:%s:*:*:*:*:*:*' % (part, vendor, product, ver or '*', upd or '*')


class Model:
    def __init__(self, vocab, cpedict, share):
        self.share = share
        self.index = {}
        apps = []
        for rank, row in enumerate(vocab):
            part, vendor, product, versions = row
            vers = [v for v in versions if v and v != '-'] or ['-']
            self.index[(vendor, product)] = (part, vers)
            if part == 'a' and vers != ['-']:
                apps.append((vendor, product, rank))
        # Zipf-like popularity over the vocabulary's most-used-first order
        self.apps = [(v, p) for v, p, _r in apps]
        self.apps_cum = cumw([1.0 / (r + 5) ** 0.9 for _v, _p, r in apps])
        known = set(self.index)
        unknown = []
        if cpedict and os.path.exists(cpedict):
            with open(cpedict, encoding='utf-8', newline='') as fh:
                rd = csv.reader(fh)
                next(rd, None)
                for row in rd:
                    if len(row) == 2 and row[0] and row[1] and (row[0], row[1]) not in known:
                        unknown.append((row[0], row[1]))
        r = random.Random('unknown-pool')
        r.shuffle(unknown)
        unknown = unknown[:40000]
        inv = set()
        for a in INVENT_A:
            for b in INVENT_B:
                for p in INVENT_P:
                    if r.random() < 0.5:
                        inv.add((a + b, a + '_' + p))
        unknown += sorted(x for x in inv if x not in known)
        r.shuffle(unknown)
        self.unknown = unknown
        # flatter than the known products: a fleet shares some unknown software, not most of it
        self.unknown_cum = cumw([1.0 / (i + 50) ** 0.9 for i in range(len(unknown))])
        self.win_os = [(p, fb) for p, _w, fb in WINDOWS_OS]
        self.win_os_cum = cumw([w for _p, w, _fb in WINDOWS_OS])
        self.lin_os = [(v, p, vers) for v, p, _w, vers in LINUX_OS]
        self.lin_os_cum = cumw([w for _v, _p, w, _vers in LINUX_OS])
        kern = self.index.get(('linux', 'linux_kernel'))
        self.kernels = [v for v in kern[1] if v[:1] in '456'] if kern else []
        self.kernels = self.kernels or ['5.15.0', '6.1.0', '6.8.0']

    def known_item(self, rng, vendor, product):
        hit = self.index.get((vendor, product))
        if hit is None:
            return None
        part, vers = hit
        return cpe(part, vendor, product, lean_recent(rng, vers))

    def host(self, rng, n):
        out = []
        seen = set()        # (vendor, product) already on the host
        have = []           # known products on the host, for second installed versions
        cpes = set()

        def add_known(vendor, product):
            if (vendor, product) in seen:
                return
            c = self.known_item(rng, vendor, product)
            if c is not None:
                seen.add((vendor, product))
                have.append((vendor, product))
                cpes.add(c)
                out.append(c)

        if rng.random() < 0.65:
            prod, fallback = pick(rng, self.win_os, self.win_os_cum)
            hit = self.index.get(('microsoft', prod))
            builds = [v for v in hit[1] if v.startswith('10.0.')] if hit else []
            out.append(cpe('o', 'microsoft', prod, lean_recent(rng, builds) if builds else fallback))
            seen.add(('microsoft', prod))
            apps = WIN_APPS + (WIN_SERVER_APPS if 'server' in prod else [])
        else:
            vendor, prod, vers = pick(rng, self.lin_os, self.lin_os_cum)
            out.append(cpe('o', vendor, prod, rng.choice(vers)))
            out.append(cpe('o', 'linux', 'linux_kernel', lean_recent(rng, self.kernels)))
            seen.add((vendor, prod))
            seen.add(('linux', 'linux_kernel'))
            apps = LINUX_APPS
        for vendor, product, prob in apps:
            if rng.random() < prob:
                add_known(vendor, product)
        known_target = max(len(out), int(round(n * self.share)))
        tries = 0
        while len(out) < known_target and tries < 4 * n and self.apps:
            tries += 1
            vendor, product = pick(rng, self.apps, self.apps_cum)
            add_known(vendor, product)
            if len(out) < known_target and have and rng.random() < 0.03:
                # a second installed version of a product already present (two JREs, two Pythons)
                vendor, product = have[int(rng.random() * len(have))]
                c = self.known_item(rng, vendor, product)
                if c is not None and c not in cpes:
                    cpes.add(c)
                    out.append(c)
        tries = 0
        while len(out) < n and tries < 4 * n and self.unknown:
            tries += 1
            i = bisect.bisect_right(self.unknown_cum, rng.random() * self.unknown_cum[-1])
            vendor, product = self.unknown[i]
            if (vendor, product) in seen:
                continue
            seen.add((vendor, product))
            ver = '%d.%d.%d' % (i % 17, (i // 17) % 13, rng.randint(0, 30))
            out.append(cpe('a', vendor, product, ver))
        return out


def items_law(avg):
    lo, hi = 20, 300
    if avg <= lo:
        lo = max(1, int(avg // 2))
    if avg >= hi:
        hi = int(avg * 2)
    m = (avg - lo) / float(hi - lo)
    m = min(0.95, max(0.05, m))
    a = 2.0
    return lo, hi, a, a * (1 - m) / m


def main(argv=None):
    ap = argparse.ArgumentParser(description='Generate synthetic host inventories as CPE names.')
    ap.add_argument('--vocab', required=True, help='vocab.json written by gen_nvd.py')
    ap.add_argument('--out', required=True, help='JSON Lines file, or a directory with --format cpelist')
    ap.add_argument('--items', type=int, default=10000000, help='total CPEs over all hosts (approximate)')
    ap.add_argument('--hosts', type=int, default=100000)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--format', choices=('jsonl', 'cpelist'), default='jsonl')
    ap.add_argument('--host-files', type=int, default=10, help='number of per-host files for cpelist')
    ap.add_argument('--known-share', type=float, default=0.6,
                    help='share of items whose product is in the vocabulary')
    ap.add_argument('--cpedict', default=None,
                    help='vendor/product CSV for unknown products (default: the shared tiiuae list)')
    a = ap.parse_args(argv)
    if a.hosts < 1 or a.items < 1:
        ap.error('--hosts and --items must be positive')
    t0 = time.time()
    with open(a.vocab, encoding='utf-8') as fh:
        vocab = json.load(fh)
    if isinstance(vocab, dict):
        vocab = vocab.get('products', [])
    cpedict = a.cpedict
    if cpedict is None:
        shared = os.environ.get('LF_SHARED_DATA') or os.path.join(
            os.path.dirname(os.path.abspath(__file__)), '..', '..', 'shared', 'data')
        cpedict = os.path.join(shared, 'cpe', 'tiiuae-cpedict-cpes.csv')
    model = Model(vocab, cpedict, a.known_share)
    avg = a.items / float(a.hosts)
    lo, hi, ba, bb = items_law(avg)
    nhosts = a.hosts if a.format == 'jsonl' else min(a.hosts, a.host_files)
    width = max(6, len(str(a.hosts)))
    total = 0
    known = 0
    nbytes = 0
    if a.format == 'jsonl':
        d = os.path.dirname(os.path.abspath(a.out))
        os.makedirs(d, exist_ok=True)
        fh = open(a.out, 'w', encoding='ascii', newline='\n')
    else:
        os.makedirs(a.out, exist_ok=True)
        fh = None
    dumps = json.JSONEncoder(separators=(',', ':')).encode
    buf = []
    for i in range(1, nhosts + 1):
        rng = random.Random(a.seed * 1000003 + i)
        n = int(lo + (hi - lo) * rng.betavariate(ba, bb) + 0.5)
        cpes = model.host(rng, n)
        total += len(cpes)
        for c in cpes:
            v = c.split(':', 5)
            if (v[3], v[4]) in model.index:
                known += 1
        name = 'host-%0*d' % (width, i)
        if fh is not None:
            line = '{"host":"%s","cpes":%s}\n' % (name, dumps(cpes))
            nbytes += len(line)
            buf.append(line)
            if len(buf) >= 2000:
                fh.write(''.join(buf))
                buf = []
        else:
            text = '\n'.join(cpes) + '\n'
            nbytes += len(text)
            with open(os.path.join(a.out, name + '.txt'), 'w', encoding='ascii', newline='\n') as hf:
                hf.write(text)
    if fh is not None:
        fh.write(''.join(buf))
        fh.close()
    dt = time.time() - t0
    print('hosts: %d, CPEs: %d (%.1f per host), products in vocabulary: %.1f %%, %.1f MB, %.1f s' % (
        nhosts, total, total / float(max(1, nhosts)), 100.0 * known / max(1, total), nbytes / 1e6, dt))
    return 0


if __name__ == '__main__':
    sys.exit(main())
