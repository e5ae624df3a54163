#!/usr/bin/env python3
"""Deterministic generator of synthetic OSV advisories (OpenSSF osv-schema 1.x) for lianfang's benchmarks.

It writes --records OSV records (default 100,000) in the shapes the real sources publish
(see ../shared/data/osv/records):

  Debian    DSA-/DLA- advisories (upstream [CVE, DEBIAN-CVE-…], one release each, versions[])
            and DEBIAN-CVE-… records (several releases, some still unfixed: introduced only)
  Ubuntu    UBUNTU-CVE-… records (LTS and Pro releases, purl with distro=, binaries) and USN-…
            notices (upstream UBUNTU-CVE-…, empty aliases/related)
  Alpine    ALPINE-CVE-… (several v3.x branches, long versions[] in apk order)
  AlmaLinux ALSA-YYYY:NNNN (CVEs only in `related`, several binary packages, el8/el9 releases)
  Rocky     RLSA-YYYY:NNNN (likewise, "Rocky Linux:8/9")
  npm, Maven, PyPI  GHSA-xxxx-xxxx-xxxx (aliases [CVE], CVSS_V3 severity, ECOSYSTEM ranges with
            fixed or last_affected, cwe_ids), PyPI also PYSEC-… (aliases CVE + GHSA, a GIT range
            beside the ECOSYSTEM one, versions[])
  Go        GO-YYYY-NNNN (SEMVER ranges on module paths, imports in ecosystem_specific)

About 0.5 % are withdrawn, some records name no CVE (GHSA-only), epochs occur in dpkg and rpm
versions, Debian versions use "~" and "+debNuK". CVE ids come from --cves (cves.tsv written by
gen_cve5.py) when given, so the same CVE gets NVD, CVE 5 and distribution documents; otherwise
they are invented. Every record has its own generator seeded by (--seed, ecosystem, number).

Layout (--layout): "tree" (default) writes OUT/<source>/<ID>.json, one record per file as OSV.dev
serves them; "zip" writes OUT/<source>/all.zip per source, like OSV.dev's per-ecosystem archives.
OUT/packages.tsv lists the packages and fixed versions (source, ecosystem, name, fixed) that
were generated, for building inventories with distribution packages.

Standard library only. Usage:
  bench/gen_osv.py --out /tmp/osv [--records 100000] [--cves /tmp/cve5/cves.tsv] [--seed 1]
                   [--layout tree|zip]
"""

import argparse
import bisect
import hashlib
import json
import os
import random
import sys
import time
import zipfile

# share of the records per source (sums to 1), after OSV.dev's volumes
SOURCES = [('debian', .22), ('ubuntu', .25), ('alpine', .10), ('almalinux', .06), ('rocky', .04),
           ('npm', .13), ('pypi', .09), ('maven', .06), ('go', .05)]
DISTRO_PKGS = ['openssl', 'curl', 'linux', 'glibc', 'openssh', 'sudo', 'bash', 'zlib', 'xz-utils', 'sqlite3',
               'python3.11', 'perl', 'systemd', 'vim', 'git', 'apache2', 'nginx', 'mariadb', 'postgresql-15',
               'php8.2', 'tomcat10', 'openjdk-17', 'docker.io', 'samba', 'bind9', 'nodejs', 'tcpdump', 'golang-1.21',
               'imagemagick', 'ffmpeg', 'tiff', 'qemu', 'libxml2', 'expat', 'gnutls28', 'nss', 'krb5', 'cups',
               'wget', 'dpkg', 'tzdata', 'musl', 'busybox', 'libpng1.6', 'libjpeg-turbo', 'freetype', 'poppler',
               'ghostscript', 'exim4', 'postfix', 'dovecot', 'squid', 'haproxy', 'unbound', 'dnsmasq', 'ntp',
               'rsync', 'screen', 'tmux', 'less', 'gzip', 'tar', 'unzip', 'libarchive', 'libssh', 'libssh2',
               'nghttp2', 'c-ares', 'libgcrypt20', 'gnupg2', 'pam', 'shadow', 'util-linux', 'e2fsprogs',
               'grub2', 'firefox-esr', 'thunderbird', 'chromium', 'webkit2gtk', 'libreoffice', 'gst-plugins-base1.0',
               'openldap', 'cyrus-sasl2', 'redis', 'memcached', 'mosquitto', 'erlang', 'ruby3.1', 'rails',
               'libvirt', 'xen', 'containerd', 'runc', 'libx11', 'xorg-server', 'wpa', 'hostapd', 'bluez',
               'pillow', 'python-urllib3', 'python-requests', 'python-django', 'jinja2', 'libyaml', 'pcre2',
               'binutils', 'gcc-12', 'llvm-toolchain-15', 'rust-openssl', 'lua5.4', 'tcl8.6', 'emacs']
RPM_PKGS = {'xz-utils': 'xz', 'sqlite3': 'sqlite', 'python3.11': 'python3.11', 'apache2': 'httpd',
            'postgresql-15': 'postgresql', 'php8.2': 'php', 'tomcat10': 'tomcat', 'openjdk-17': 'java-17-openjdk',
            'linux': 'kernel', 'bind9': 'bind', 'gnutls28': 'gnutls', 'libgcrypt20': 'libgcrypt', 'gnupg2': 'gnupg2',
            'grub2': 'grub2', 'firefox-esr': 'firefox', 'libpng1.6': 'libpng', 'tiff': 'libtiff',
            'ruby3.1': 'ruby', 'gcc-12': 'gcc', 'llvm-toolchain-15': 'llvm', 'lua5.4': 'lua', 'tcl8.6': 'tcl',
            'docker.io': 'podman', 'golang-1.21': 'golang'}
NPM_PKGS = ['lodash', 'express', 'axios', 'minimist', 'node-fetch', 'jsonwebtoken', 'moment', 'handlebars',
            'ws', 'tar', 'semver', 'qs', 'follow-redirects', 'jquery', 'underscore', 'marked', 'ejs', 'pug',
            'next', 'webpack', '@babel/traverse', '@angular/core', 'vue', 'react-dom', 'socket.io', 'xml2js',
            'body-parser', 'sanitize-html', 'dompurify', 'undici', '@sveltejs/kit', 'electron', 'vite', 'pm2']
PYPI_PKGS = ['django', 'requests', 'urllib3', 'pillow', 'flask', 'jinja2', 'pyyaml', 'cryptography', 'numpy',
             'tensorflow', 'paramiko', 'setuptools', 'werkzeug', 'aiohttp', 'tornado', 'sqlalchemy', 'lxml',
             'twisted', 'scrapy', 'ansible', 'salt', 'mlflow', 'gradio', 'transformers', 'langchain', 'pip',
             'certifi', 'idna', 'fastapi', 'starlette', 'pydantic', 'jupyter-server', 'notebook', 'bleach']
MAVEN_PKGS = ['org.apache.logging.log4j:log4j-core', 'org.springframework:spring-web',
              'org.springframework:spring-core', 'com.fasterxml.jackson.core:jackson-databind',
              'org.apache.tomcat.embed:tomcat-embed-core', 'org.apache.commons:commons-text',
              'commons-collections:commons-collections', 'org.yaml:snakeyaml', 'io.netty:netty-codec-http',
              'org.apache.struts:struts2-core', 'com.h2database:h2', 'org.bouncycastle:bcprov-jdk18on',
              'com.google.guava:guava', 'org.eclipse.jetty:jetty-server', 'io.undertow:undertow-core',
              'org.keycloak:keycloak-core', 'org.apache.shiro:shiro-core', 'com.thoughtworks.xstream:xstream',
              'org.postgresql:postgresql', 'ch.qos.logback:logback-core']
GO_PKGS = ['golang.org/x/net', 'golang.org/x/crypto', 'golang.org/x/text', 'github.com/gin-gonic/gin',
           'github.com/docker/docker', 'github.com/containerd/containerd', 'github.com/opencontainers/runc',
           'k8s.io/kubernetes', 'github.com/hashicorp/vault', 'github.com/prometheus/prometheus',
           'github.com/grafana/grafana', 'github.com/gorilla/websocket', 'google.golang.org/grpc',
           'github.com/go-git/go-git/v5', 'github.com/argoproj/argo-cd/v2', 'stdlib', 'toolchain',
           'github.com/traefik/traefik/v2', 'github.com/minio/minio', 'github.com/caddyserver/caddy/v2']
WORDS = ['alpha', 'beta', 'cairo', 'delta', 'echo', 'flux', 'gamma', 'helix', 'ion', 'jolt', 'kilo', 'lumen',
         'mesa', 'nova', 'orbit', 'pixel', 'quark', 'raster', 'sigma', 'tango', 'umbra', 'vector', 'wave',
         'xeno', 'yarn', 'zeta', 'codec', 'parse', 'crypt', 'net', 'xml', 'json', 'http', 'image', 'font', 'sound']
DEB_RELEASES = [('9', 'stretch', 9), ('10', 'buster', 10), ('11', 'bullseye', 11), ('12', 'bookworm', 12),
                ('13', 'trixie', 13)]
UBU_RELEASES = [('Ubuntu:16.04:LTS', 'xenial', '16.04'), ('Ubuntu:18.04:LTS', 'bionic', '18.04'),
                ('Ubuntu:20.04:LTS', 'focal', '20.04'), ('Ubuntu:22.04:LTS', 'jammy', '22.04'),
                ('Ubuntu:24.04:LTS', 'noble', '24.04'), ('Ubuntu:24.10', 'oracular', '24.10'),
                ('Ubuntu:Pro:16.04:LTS', 'xenial', '16.04'), ('Ubuntu:Pro:18.04:LTS', 'bionic', '18.04')]
ALPINE_RELEASES = ['v3.16', 'v3.17', 'v3.18', 'v3.19', 'v3.20', 'v3.21']
UPSTREAM_TO_PKG = {'openssl:openssl': 'openssl', 'haxx:curl': 'curl', 'haxx:libcurl': 'curl',
                   'linux:linux_kernel': 'linux', 'gnu:glibc': 'glibc', 'openbsd:openssh': 'openssh',
                   'sudo_project:sudo': 'sudo', 'gnu:bash': 'bash', 'zlib:zlib': 'zlib', 'tukaani:xz': 'xz-utils',
                   'sqlite:sqlite': 'sqlite3', 'perl:perl': 'perl', 'systemd_project:systemd': 'systemd',
                   'vim:vim': 'vim', 'git-scm:git': 'git', 'apache:http_server': 'apache2', 'f5:nginx': 'nginx',
                   'mariadb:mariadb': 'mariadb', 'php:php': 'php8.2', 'samba:samba': 'samba', 'isc:bind': 'bind9',
                   'imagemagick:imagemagick': 'imagemagick', 'ffmpeg:ffmpeg': 'ffmpeg', 'libtiff:libtiff': 'tiff',
                   'qemu:qemu': 'qemu', 'xmlsoft:libxml2': 'libxml2', 'tcpdump:tcpdump': 'tcpdump'}


def cumw(weights):
    out, t = [], 0.0
    for w in weights:
        t += w
        out.append(t)
    return out


def zipf_pick(rng, items, cum):
    return items[bisect.bisect_right(cum, rng.random() * cum[-1])]


def ghsa_id(rng):
    al = '23456789cfghjmpqrvwx'
    return 'GHSA-' + '-'.join(''.join(rng.choice(al) for _ in range(4)) for _ in range(3))


def upstream_history(rng, n):
    """An upstream release history, oldest first: 1.2.3 style with a few letters and two-part ones."""
    out = []
    ma, mi = rng.choice((0, 1, 1, 2, 3, 5, 9)), rng.randint(0, 9)
    style = rng.random()
    while len(out) < n:
        for pa in range(rng.randint(1, 8)):
            if style < 0.08:
                out.append('%d.%d.%d%s' % (ma, mi, pa, '' if pa == 0 else 'abcdefgh'[min(7, pa - 1)]))
            elif style < 0.15:
                out.append('%d.%d' % (ma, mi * 10 + pa))
            else:
                out.append('%d.%d.%d' % (ma, mi, pa))
        if rng.random() < 0.25:
            ma, mi = ma + 1, 0
        else:
            mi += 1
    return out[:n]


def iso(rng, year, frac_days=True):
    m, d = rng.randint(1, 12), rng.randint(1, 28)
    if frac_days:
        return '%d-%02d-%02dT%02d:%02d:%02d.%06dZ' % (year, m, d, rng.randint(0, 23), rng.randint(0, 59),
                                                        rng.randint(0, 59), rng.randint(0, 999999))
    return '%d-%02d-%02dT%02d:%02d:%02dZ' % (year, m, d, rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59))


class Gen:
    def __init__(self, seed, cves):
        self.seed = seed
        self.cves = cves                     # [(id, year, product)]
        rng = random.Random('%d:pkgs' % seed)
        extra = sorted(set('lib%s%s' % (a, b) for a in WORDS for b in WORDS if a != b and rng.random() < 0.6))
        self.deb_pkgs = DISTRO_PKGS + extra[:2400]
        self.deb_cum = cumw([1.0 / (i + 3) ** 0.9 for i in range(len(self.deb_pkgs))])
        self.npm = NPM_PKGS + ['%s-%s' % (a, b) for a in WORDS for b in WORDS if a < b][:3000]
        self.npm_cum = cumw([1.0 / (i + 3) ** 0.9 for i in range(len(self.npm))])
        self.pypi = PYPI_PKGS + ['py%s-%s' % (a, b) for a in WORDS for b in WORDS if a < b][:2500]
        self.pypi_cum = cumw([1.0 / (i + 3) ** 0.9 for i in range(len(self.pypi))])
        self.maven = MAVEN_PKGS + ['org.%s:%s-%s' % (a, a, b) for a in WORDS for b in WORDS if a < b][:1500]
        self.maven_cum = cumw([1.0 / (i + 3) ** 0.9 for i in range(len(self.maven))])
        self.go = GO_PKGS + ['github.com/%s/%s' % (a, b) for a in WORDS for b in WORDS if a < b][:1200]
        self.go_cum = cumw([1.0 / (i + 3) ** 0.9 for i in range(len(self.go))])
        self.hist = {}
        self.packages = {}
        self.stats = {'records': 0, 'withdrawn': 0, 'no_cve': 0, 'affected': 0, 'ranges': 0, 'versions': 0,
                      'bytes': 0, 'unfixed': 0, 'last_affected': 0, 'git': 0}
        self.counter = {}

    def history(self, key):
        h = self.hist.get(key)
        if h is None:
            r = random.Random('%d:hist:%s' % (self.seed, key))
            h = upstream_history(r, r.randint(12, 60))
            self.hist[key] = h
        return h

    def pick_cves(self, rng, pkg_of=None):
        """1-3 CVEs (mostly 1); with --cves, real ids of the CVE set."""
        n = 1 if rng.random() < 0.8 else rng.randint(2, 4)
        out = []
        for _ in range(n):
            if self.cves:
                c = self.cves[int(rng.random() * len(self.cves))]
                out.append(c)
            else:
                y = rng.randint(2015, 2026)
                out.append(('CVE-%d-%04d' % (y, rng.randint(1000, 50000)), y, ''))
        return out

    def note(self, source, eco, name, fixed):
        k = (source, eco, name)
        if k not in self.packages and len(self.packages) < 400000:
            self.packages[k] = fixed or ''

    def seq(self, key):
        self.counter[key] = self.counter.get(key, 0) + 1
        return self.counter[key]

    def deb_pkg_for(self, rng, cves):
        for _id, _y, prod in cves:
            p = UPSTREAM_TO_PKG.get(':'.join(prod.split(':')[1:3]))
            if p:
                return p
        return zipf_pick(rng, self.deb_pkgs, self.deb_cum)

    # -- distribution version strings ------------------------------------------------------
    @staticmethod
    def deb_ver(up, rel, k, epoch):
        e = '%d:' % epoch if epoch else ''
        if k == 0:
            return '%s%s-%d' % (e, up, 1 + (len(up) % 3))
        return '%s%s-%d+deb%du%d' % (e, up, 1 + (len(up) % 3), rel, k)

    def ranges_versions(self, rng, hist, mk, cut, fix_k, listed_max=30):
        """ECOSYSTEM range introduced 0 / fixed, and versions[] of the releases before the fix."""
        fixed = mk(hist[cut], fix_k)
        before = []
        lo = max(0, cut - rng.randint(2, 14))
        for v in hist[lo:cut]:
            before.append(mk(v, 0))
        for k in range(1, fix_k):
            before.append(mk(hist[cut], k))
        return fixed, before[-listed_max:]

    def debian(self, rng, i):
        kind = rng.random()
        cves = self.pick_cves(rng)
        pkg = self.deb_pkg_for(rng, cves)
        hist = self.history('deb:' + pkg)
        epoch = 1 if (len(pkg) % 11 == 0) else 0
        ups = []
        for c in cves:
            ups += [c[0], 'DEBIAN-' + c[0]]
        year = max(c[1] for c in cves) if cves else 2024
        if kind < 0.08 or kind < 0.23:
            # DSA / DLA: one release
            is_dsa = kind < 0.08
            rel = rng.choice(DEB_RELEASES[2:4] if is_dsa else DEB_RELEASES[0:3])
            rid = ('DSA-%d-1' % (4000 + self.seq('dsa'))) if is_dsa else ('DLA-%d-1' % (2000 + self.seq('dla')))
            cut = min(len(hist) - 1, int(len(hist) * (0.5 + 0.5 * rng.random())))
            fixed, vers = self.ranges_versions(rng, hist, lambda v, k: self.deb_ver(v, rel[2], k, epoch), cut,
                                               rng.randint(1, 5))
            aff = [{'package': {'name': pkg, 'ecosystem': 'Debian:%s' % rel[0],
                                'purl': 'pkg:deb/debian/%s?arch=source' % pkg},
                    'ranges': [{'type': 'ECOSYSTEM', 'events': [{'introduced': '0'}, {'fixed': fixed}]}],
                    'versions': vers,
                    'database_specific': {'source': 'https://storage.googleapis.com/debian-osv/%s-osv/%s.json' % (
                        'dsa' if is_dsa else 'dla', rid)}}]
            self.note('debian', 'Debian:%s' % rel[0], pkg, fixed)
            rec = {'schema_version': '1.7.3', 'id': rid, 'published': iso(rng, year, False)[:10] + 'T00:00:00Z',
                   'modified': iso(rng, 2026), 'upstream': ups, 'summary': '%s - security update' % pkg,
                   'affected': aff}
            if rng.random() < 0.5:
                rec['details'] = '\n\nFor the %s distribution, this problem has been fixed in version %s.\n' % (
                    rel[1], fixed)
            rec['references'] = [{'type': 'ADVISORY', 'url': 'https://security-tracker.debian.org/tracker/%s' % rid}]
            return rec
        # DEBIAN-CVE: several releases, some unfixed
        rid = 'DEBIAN-' + cves[0][0]
        aff = []
        for rel in DEB_RELEASES[2:]:
            if rng.random() < 0.3:
                continue
            cut = min(len(hist) - 1, int(len(hist) * (0.3 + 0.2 * rel[2] / 13 + 0.5 * rng.random())))
            mk = (lambda rr: (lambda v, k: self.deb_ver(v, rr, k, epoch)))(rel[2])
            fixed, vers = self.ranges_versions(rng, hist, mk, cut, rng.randint(0, 3))
            if rng.random() < 0.12:
                ev = [{'introduced': '0'}]
                self.stats['unfixed'] += 1
                fixed = None
            else:
                ev = [{'introduced': '0'}, {'fixed': fixed}]
            aff.append({'package': {'name': pkg, 'ecosystem': 'Debian:%s' % rel[0],
                                    'purl': 'pkg:deb/debian/%s?arch=source' % pkg},
                        'ranges': [{'type': 'ECOSYSTEM', 'events': ev}], 'versions': vers})
            self.note('debian', 'Debian:%s' % rel[0], pkg, fixed)
        if not aff:
            return None
        return {'schema_version': '1.7.3', 'id': rid, 'details': 'Security issue in %s (%s).' % (pkg, cves[0][0]),
                'modified': iso(rng, 2026), 'published': iso(rng, cves[0][1]), 'upstream': [cves[0][0]],
                'affected': aff, 'references': [{'type': 'ADVISORY',
                                                 'url': 'https://security-tracker.debian.org/tracker/%s' % cves[0][0]}]}

    def ubuntu(self, rng, i):
        cves = self.pick_cves(rng)
        pkg = self.deb_pkg_for(rng, cves)
        hist = self.history('deb:' + pkg)
        notice = rng.random() < 0.16
        aff = []
        for eco, code, num in UBU_RELEASES:
            if rng.random() < 0.45:
                continue
            cut = min(len(hist) - 1, int(len(hist) * (0.3 + 0.5 * rng.random())))
            base = '%s-%d' % (hist[cut], 1 + len(pkg) % 4)

            def mk(v, k, num=num):
                return '%s-%dubuntu%s' % (v, 1 + len(pkg) % 4, ('0.%s.%d' % (num, k)) if k else '1')
            fixed, vers = self.ranges_versions(rng, hist, mk, cut, rng.randint(1, 4))
            if notice:
                purl = 'pkg:deb/ubuntu/%s@%s?arch=source&distro=%s' % (pkg, fixed, code)
            else:
                purl = 'pkg:deb/ubuntu/%s@%s?arch=source&distro=%s' % (pkg, fixed, code)
            ent = {'package': {'ecosystem': eco, 'name': pkg, 'purl': purl},
                   'ranges': [{'type': 'ECOSYSTEM', 'events': [{'introduced': '0'}, {'fixed': fixed}]}],
                   'versions': vers,
                   'ecosystem_specific': {'binaries': [{'binary_name': pkg, 'binary_version': fixed}] + (
                       [{'binary_name': pkg + '-doc', 'binary_version': fixed}] if rng.random() < 0.4 else []),
                       'availability': 'Available with Ubuntu Pro' if ':Pro:' in eco else 'No subscription required'}}
            aff.append(ent)
            self.note('ubuntu', eco, pkg, fixed)
            del base
        if not aff:
            return None
        year = cves[0][1]
        if notice:
            rid = 'USN-%d-%d' % (5000 + self.seq('usn'), 1 if rng.random() < 0.9 else 2)
            return {'schema_version': '1.7.0', 'id': rid, 'summary': '%s vulnerabilities' % pkg,
                    'details': 'It was discovered that %s incorrectly handled certain inputs. (%s)\n' % (
                        pkg, ', '.join(c[0] for c in cves)),
                    'aliases': [], 'upstream': ['UBUNTU-' + c[0] for c in cves], 'related': [],
                    'published': iso(rng, year), 'modified': iso(rng, 2026), 'affected': aff,
                    'references': [{'type': 'ADVISORY', 'url': 'https://ubuntu.com/security/notices/' + rid}]}
        sev = rng.choice(('low', 'medium', 'medium', 'high'))
        return {'schema_version': '1.7.0', 'id': 'UBUNTU-' + cves[0][0], 'upstream': [cves[0][0]],
                'summary': '%s vulnerability' % pkg, 'details': 'A flaw was found in %s.' % pkg,
                'aliases': [], 'related': [], 'published': iso(rng, year), 'modified': iso(rng, 2026),
                'severity': [{'type': 'Ubuntu', 'score': sev}], 'affected': aff,
                'references': [{'type': 'REPORT', 'url': 'https://ubuntu.com/security/' + cves[0][0]}]}

    def alpine(self, rng, i):
        cves = self.pick_cves(rng)
        pkg = self.deb_pkg_for(rng, cves).replace('xz-utils', 'xz').replace('sqlite3', 'sqlite')
        hist = self.history('apk:' + pkg)
        aff = []
        for br in ALPINE_RELEASES:
            if rng.random() < 0.4:
                continue
            cut = min(len(hist) - 1, int(len(hist) * (0.4 + 0.5 * rng.random())))
            fixed, vers = self.ranges_versions(rng, hist, lambda v, k: '%s-r%d' % (v, k), cut, rng.randint(0, 3),
                                               60)
            aff.append({'database_specific': {
                'source': 'https://storage.googleapis.com/cve-osv-conversion/alpine/ALPINE-%s.json' % cves[0][0]},
                'package': {'ecosystem': 'Alpine:%s' % br, 'name': pkg, 'purl': 'pkg:apk/alpine/%s?arch=source' % pkg},
                'ranges': [{'events': [{'introduced': '0'}, {'fixed': fixed}], 'type': 'ECOSYSTEM'}],
                'versions': sorted(vers)})      # OSV.dev sorts Alpine's list as text
            self.note('alpine', 'Alpine:%s' % br, pkg, fixed)
        if not aff:
            return None
        return {'affected': aff, 'details': 'Vulnerability in %s.' % pkg, 'id': 'ALPINE-' + cves[0][0],
                'modified': iso(rng, 2026), 'published': iso(rng, cves[0][1]),
                'references': [{'type': 'ADVISORY', 'url': 'https://security.alpinelinux.org/vuln/' + cves[0][0]}],
                'schema_version': '1.7.3', 'upstream': [cves[0][0]]}

    def rhel_like(self, rng, i, vendor):
        cves = self.pick_cves(rng)
        dpkg = self.deb_pkg_for(rng, cves)
        pkg = RPM_PKGS.get(dpkg, dpkg)
        hist = self.history('rpm:' + pkg)
        rel = rng.choice(('8', '9', '9', '10') if vendor == 'almalinux' else ('8', '9', '9'))
        cut = min(len(hist) - 1, int(len(hist) * (0.4 + 0.5 * rng.random())))
        epoch = '1:' if len(pkg) % 7 == 0 else ''
        fixed = '%s%s-%d.el%s_%d%s' % (epoch, hist[cut], rng.randint(1, 60), rel, rng.randint(0, 6),
                                       '.1' if rng.random() < 0.2 else '')
        names = [pkg] + ['%s-%s' % (pkg, s) for s in ('libs', 'devel', 'doc', 'tools', 'common')
                         if rng.random() < 0.35]
        eco = ('AlmaLinux:%s' if vendor == 'almalinux' else 'Rocky Linux:%s') % rel
        aff = []
        for n in names:
            aff.append({'package': {'ecosystem': eco, 'name': n},
                        'ranges': [{'type': 'ECOSYSTEM', 'events': [{'introduced': '0'}, {'fixed': fixed}]}]})
            self.note(vendor, eco, n, fixed)
        year = max(c[1] for c in cves)
        pre = 'ALSA' if vendor == 'almalinux' else ('RLSA' if rng.random() < 0.95 else 'RXSA')
        rid = '%s-%d:%d' % (pre, year if year < 2027 else 2026, self.seq(vendor + str(year)) + 100)
        sev = rng.choice(('Low', 'Moderate', 'Important', 'Critical'))
        rec = {'id': rid, 'summary': '%s: %s security update' % (sev, pkg), 'affected': aff,
               'related': [c[0] for c in cves], 'published': iso(rng, year, False), 'modified': iso(rng, year, False),
               'details': 'The %s packages provide ...\n\nSecurity Fix(es):\n\n%s' % (
                   pkg, '\n'.join('* %s: flaw (%s)' % (pkg, c[0]) for c in cves)),
               'references': [{'url': 'https://access.redhat.com/errata/RHSA-%s' % rid.split('-', 1)[1],
                               'type': 'ADVISORY'}] +
               [{'url': 'https://access.redhat.com/security/cve/%s' % c[0], 'type': 'REPORT'} for c in cves]}
        if vendor == 'rocky':
            rec['schema_version'] = '1.6.0'
            rec['database_specific'] = {'severity': sev}
        return rec

    def ghsa(self, rng, i, eco):
        pool, cum = {'npm': (self.npm, self.npm_cum), 'PyPI': (self.pypi, self.pypi_cum),
                     'Maven': (self.maven, self.maven_cum)}[eco]
        name = zipf_pick(rng, pool, cum)
        hist = self.history('%s:%s' % (eco, name))
        cves = self.pick_cves(rng)[:1] if rng.random() < 0.88 else []
        gid = ghsa_id(rng)
        aff = []
        for br in range(1 if rng.random() < 0.75 else rng.randint(2, 3)):
            lo = int(len(hist) * br / 3.0)
            cut = min(len(hist) - 1, max(lo + 1, int(len(hist) * (0.4 + 0.6 * rng.random()))))
            ev = [{'introduced': hist[lo] if br else '0'}]
            if rng.random() < 0.06:
                ev.append({'last_affected': hist[cut - 1]})
                self.stats['last_affected'] += 1
            else:
                ev.append({'fixed': hist[cut]})
            aff.append({'package': {'ecosystem': eco, 'name': name},
                        'ranges': [{'type': 'ECOSYSTEM', 'events': ev}],
                        'database_specific': {'source': 'https://github.com/github/advisory-database/blob/main/'
                                                        'advisories/github-reviewed/%s.json' % gid}})
            self.note(eco.lower(), eco, name, ev[-1].get('fixed'))
        year = cves[0][1] if cves else rng.randint(2018, 2026)
        vec = 'CVSS:3.1/AV:N/AC:%s/PR:N/UI:%s/S:U/C:%s/I:%s/A:%s' % (
            rng.choice('LH'), rng.choice('NR'), rng.choice('NLH'), rng.choice('NLH'), rng.choice('NLH'))
        return {'schema_version': '1.4.0', 'id': gid, 'modified': iso(rng, 2026, False),
                'published': iso(rng, year, False), 'aliases': [c[0] for c in cves],
                'summary': '%s vulnerable to %s' % (name, rng.choice(('Prototype Pollution', 'ReDoS', 'XSS',
                                                                      'Path Traversal', 'SSRF', 'RCE'))),
                'details': 'Versions of %s before %s are vulnerable.' % (name, hist[-1]),
                'severity': [{'type': 'CVSS_V3', 'score': vec}], 'affected': aff,
                'references': [{'type': 'ADVISORY', 'url': 'https://nvd.nist.gov/vuln/detail/%s' % c[0]}
                               for c in cves] + [{'type': 'PACKAGE', 'url': 'https://example.org/%s' % name}],
                'database_specific': {'cwe_ids': ['CWE-%d' % rng.choice((79, 400, 1321, 22, 918, 94))],
                                      'severity': rng.choice(('LOW', 'MODERATE', 'HIGH', 'CRITICAL')),
                                      'github_reviewed': True}}

    def pysec(self, rng, i):
        name = zipf_pick(rng, self.pypi, self.pypi_cum)
        hist = self.history('PyPI:' + name)
        cves = self.pick_cves(rng)[:1]
        year = cves[0][1]
        cut = min(len(hist) - 1, int(len(hist) * (0.4 + 0.6 * rng.random())))
        fixc = hashlib.sha1(('%s%s' % (name, hist[cut])).encode()).hexdigest()
        aff = [{'package': {'name': name, 'ecosystem': 'PyPI', 'purl': 'pkg:pypi/%s' % name},
                'ranges': [{'type': 'GIT', 'repo': 'https://github.com/example/%s' % name,
                            'events': [{'introduced': '0'}, {'fixed': fixc}]},
                           {'type': 'ECOSYSTEM', 'events': [{'introduced': '0'}, {'fixed': hist[cut]}]}],
                'versions': hist[max(0, cut - 25):cut]}]
        self.stats['git'] += 1
        self.note('pypi', 'PyPI', name, hist[cut])
        return {'id': 'PYSEC-%d-%d' % (year, self.seq('pysec%d' % year)), 'published': iso(rng, year, False),
                'modified': iso(rng, 2026, False), 'aliases': [cves[0][0], ghsa_id(rng)],
                'details': 'An issue was discovered in %s before %s.' % (name, hist[cut]), 'affected': aff,
                'references': [{'type': 'FIX', 'url': 'https://github.com/example/%s/commit/%s' % (name, fixc)}]}

    def golang(self, rng, i):
        mod = zipf_pick(rng, self.go, self.go_cum)
        hist = self.history('Go:' + mod)
        cves = self.pick_cves(rng)[:1] if rng.random() < 0.85 else []
        year = cves[0][1] if cves else rng.randint(2020, 2026)
        events = []
        lo = 0
        for br in range(1 if rng.random() < 0.6 else rng.randint(2, 3)):
            cut = min(len(hist) - 1, max(lo + 1, int(len(hist) * (0.3 + 0.7 * rng.random()))))
            if cut <= lo:
                break
            events += [{'introduced': hist[lo] if lo else '0'}, {'fixed': hist[cut]}]
            lo = cut + 1
            if lo >= len(hist) - 1:
                break
        self.note('go', 'Go', mod, events[-1]['fixed'])
        gid = 'GO-%d-%04d' % (year, self.seq('go%d' % year))
        return {'schema_version': '1.3.1', 'id': gid, 'modified': iso(rng, 2026), 'published': iso(rng, year),
                'aliases': [c[0] for c in cves] + [ghsa_id(rng)],
                'summary': 'Denial of service in %s' % mod, 'details': 'A crafted input can ...',
                'affected': [{'package': {'name': mod, 'ecosystem': 'Go'},
                              'ranges': [{'type': 'SEMVER', 'events': events}],
                              'ecosystem_specific': {'imports': [{'path': mod + '/internal',
                                                                  'symbols': ['Parse', 'Reader.Read']}]}}],
                'references': [{'type': 'FIX', 'url': 'https://go.dev/cl/%d' % rng.randint(100000, 600000)}],
                'database_specific': {'url': 'https://pkg.go.dev/vuln/' + gid, 'review_status': 'REVIEWED'}}

    def make(self, source, i):
        rng = random.Random('%d:%s:%d' % (self.seed, source, i))
        if source == 'debian':
            rec = self.debian(rng, i)
        elif source == 'ubuntu':
            rec = self.ubuntu(rng, i)
        elif source == 'alpine':
            rec = self.alpine(rng, i)
        elif source in ('almalinux', 'rocky'):
            rec = self.rhel_like(rng, i, source)
        elif source == 'npm':
            rec = self.ghsa(rng, i, 'npm')
        elif source == 'maven':
            rec = self.ghsa(rng, i, 'Maven')
        elif source == 'pypi':
            rec = self.ghsa(rng, i, 'PyPI') if rng.random() < 0.55 else self.pysec(rng, i)
        else:
            rec = self.golang(rng, i)
        if rec is None:
            return None
        if rng.random() < 0.005:
            rec['withdrawn'] = rec['modified']
            self.stats['withdrawn'] += 1
        self.stats['records'] += 1
        if not (rec.get('aliases') or rec.get('upstream') or rec.get('related') or rec['id'].startswith('CVE-')):
            self.stats['no_cve'] += 1
        for a in rec['affected']:
            self.stats['affected'] += 1
            self.stats['ranges'] += len(a.get('ranges') or [])
            self.stats['versions'] += len(a.get('versions') or [])
        return rec


def load_cves(path):
    out = []
    with open(path, encoding='utf-8') as fh:
        next(fh, None)
        for line in fh:
            f = line.rstrip('\n').split('\t')
            if len(f) >= 4 and f[2] == 'PUBLISHED' and f[1] >= '2014':
                out.append((f[0], int(f[1]), f[3]))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description='Generate synthetic OSV records for Debian, Ubuntu, Alpine, '
                                             'AlmaLinux, Rocky, npm, PyPI, Maven and Go.')
    ap.add_argument('--out', required=True)
    ap.add_argument('--records', type=int, default=100000)
    ap.add_argument('--cves', default=None, help='cves.tsv from gen_cve5.py (CVE ids to link to)')
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--layout', choices=('tree', 'zip'), default='tree')
    a = ap.parse_args(argv)
    t0 = time.time()
    cves = load_cves(a.cves) if a.cves else []
    g = Gen(a.seed, cves)
    os.makedirs(a.out, exist_ok=True)
    per = {}
    left = a.records
    for k, (src, share) in enumerate(SOURCES):
        n = left if k == len(SOURCES) - 1 else int(round(a.records * share))
        n = min(n, left)
        per[src] = n
        left -= n
    counts = {}
    for src, _share in SOURCES:
        d = os.path.join(a.out, src)
        os.makedirs(d, exist_ok=True)
        zf = zipfile.ZipFile(os.path.join(d, 'all.zip'), 'w', zipfile.ZIP_DEFLATED, allowZip64=True) \
            if a.layout == 'zip' else None
        made, i, seen = 0, 0, set()
        while made < per[src] and i < per[src] * 3:
            i += 1
            rec = g.make(src, i)
            if rec is None or rec['id'] in seen:
                if rec is not None:
                    g.stats['records'] -= 1
                continue
            seen.add(rec['id'])
            data = (json.dumps(rec, indent=2) + '\n').encode('utf-8')
            g.stats['bytes'] += len(data)
            fname = rec['id'] + '.json'
            if zf is not None:
                zi = zipfile.ZipInfo(fname, date_time=(2026, 9, 1, 0, 0, 0))
                zi.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(zi, data)
            else:
                with open(os.path.join(d, fname), 'wb') as fh:
                    fh.write(data)
            made += 1
        if zf is not None:
            zf.close()
        counts[src] = made
    with open(os.path.join(a.out, 'packages.tsv'), 'w', encoding='utf-8', newline='\n') as fh:
        fh.write('source\tecosystem\tname\tfixed\n')
        for (src, eco, name), fixed in sorted(g.packages.items()):
            fh.write('%s\t%s\t%s\t%s\n' % (src, eco, name, fixed))
    s = g.stats
    print('records: %d (%s); withdrawn %d, without a CVE %d' % (
        s['records'], ', '.join('%s %d' % kv for kv in counts.items()), s['withdrawn'], s['no_cve']))
    print('affected entries %d, ranges %d, listed versions %d, unfixed %d, last_affected %d, GIT ranges %d; '
          'packages %d' % (s['affected'], s['ranges'], s['versions'], s['unfixed'], s['last_affected'], s['git'],
                           len(g.packages)))
    print('total: %.1f MB of JSON (%.1f KB per record), layout %s; %.1f s' % (
        s['bytes'] / 1e6, s['bytes'] / 1e3 / max(1, s['records']), a.layout, time.time() - t0))
    return 0


if __name__ == '__main__':
    sys.exit(main())
