#!/usr/bin/env python3
"""Validator for bench/intake-eval/names.tsv (Python 3 standard library only).

Checks: header and column count, allowed style/ecosystem values, label syntax
(`none` or `part:vendor:product:version[:update]` with CPE 2.3 escaping), `alt=` labels in
the note, duplicate rows, and prints per-style / per-expected counts.

When the CPE vocabulary (shared/data/cpe/tiiuae-cpedict-cpes.csv) is present it also warns
about labels whose vendor:product is neither in that CSV nor in any NVD record under
shared/data/nvd/*.json (a grep-level check: it looks for "cpe:2.3:<part>:<vendor>:<product>:").

Usage: check.py [names.tsv] [--data DIR] [--strict] [--quiet]
Exit status: 0 when there are no errors (warnings allowed unless --strict), 1 otherwise.
"""
import argparse
import collections
import csv
import glob
import os
import re
import sys

HEADER = ['name', 'version', 'publisher', 'ecosystem', 'expected', 'style', 'note']
STYLES = ['en', 'zh-tw', 'zh-cn', 'mixed', 'fullwidth', 'noise', 'version-in-name', 'typo-case', 'package']
ECOSYSTEMS = ['', 'deb', 'rpm', 'pypi', 'npm', 'maven']

# One CPE 2.3 formatted-string component: unreserved characters, or "\" + a quoted character.
_COMP = r'(?:[a-z0-9._\-~]|\\[!-/:-@\[-`{-~])+'
_VER = r'(?:\*|-|(?:[A-Za-z0-9._\-~]|\\[!-/:-@\[-`{-~])+)'
LABEL_RE = re.compile(r'^(?P<part>[aoh]):(?P<vendor>%s):(?P<product>%s):(?P<version>%s)(?::(?P<update>%s))?$'
                      % (_COMP, _COMP, _VER, _VER))
ALT_RE = re.compile(r'alt=(\S+?)(?=[;,\s)]|$)')


def default_data_dir(tsv_path):
    cands = [os.environ.get('LIANFANG_SHARED_DATA', ''), '/work/shared/data']
    here = os.path.dirname(os.path.abspath(tsv_path))
    # <repo>/bench/intake-eval/names.tsv -> <repo>/../shared/data
    cands.append(os.path.normpath(os.path.join(here, '..', '..', '..', 'shared', 'data')))
    for c in cands:
        if c and os.path.isfile(os.path.join(c, 'cpe', 'tiiuae-cpedict-cpes.csv')):
            return c
    return None


def load_vocab(data_dir):
    """Return (set of (vendor, product) from the CSV, set of 'part:vendor:product' seen in NVD records)."""
    pairs = set()
    with open(os.path.join(data_dir, 'cpe', 'tiiuae-cpedict-cpes.csv'), encoding='utf-8', newline='') as f:
        rd = csv.reader(f)
        next(rd, None)
        for row in rd:
            if len(row) >= 2:
                pairs.add((row[0], row[1]))
    nvd = set()
    for path in glob.glob(os.path.join(data_dir, 'nvd', '*.json')):
        with open(path, encoding='utf-8', errors='replace') as f:
            text = f.read()
        # JSON doubles the backslash of CPE escapes: "notepad\\+\\+" -> notepad\+\+
        for m in re.finditer(r'cpe:2\.3:([aoh]):((?:[^:"\\]|\\\\.)+):((?:[^:"\\]|\\\\.)+):', text):
            nvd.add('%s:%s:%s' % (m.group(1), m.group(2).replace('\\\\', '\\'), m.group(3).replace('\\\\', '\\')))
    return pairs, nvd


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('tsv', nargs='?', default=os.path.join(os.path.dirname(os.path.abspath(__file__)), 'names.tsv'))
    ap.add_argument('--data', help='shared data directory (with cpe/ and nvd/); default: auto-detect')
    ap.add_argument('--strict', action='store_true', help='treat warnings as errors')
    ap.add_argument('--quiet', action='store_true', help='print only the summary')
    args = ap.parse_args(argv)

    errors, warnings = [], []

    def err(ln, msg):
        errors.append('%s:%d: error: %s' % (args.tsv, ln, msg))

    def warn(ln, msg):
        warnings.append('%s:%d: warning: %s' % (args.tsv, ln, msg))

    with open(args.tsv, encoding='utf-8', newline='') as f:
        raw = f.read()
    if raw.startswith('\ufeff'):
        errors.append('%s: error: file starts with a BOM' % args.tsv)
        raw = raw[1:]
    if '\r' in raw:
        errors.append('%s: error: CR characters found (use LF line ends)' % args.tsv)
    lines = raw.split('\n')
    if lines and lines[-1] == '':
        lines.pop()
    if not lines:
        print('empty file', file=sys.stderr)
        return 1
    if lines[0].split('\t') != HEADER:
        err(1, 'header must be %r, got %r' % ('\t'.join(HEADER), lines[0]))

    rows = []
    seen = {}
    for ln, line in enumerate(lines[1:], start=2):
        cols = line.split('\t')
        if len(cols) != len(HEADER):
            err(ln, 'expected %d tab-separated columns, got %d' % (len(HEADER), len(cols)))
            continue
        r = dict(zip(HEADER, cols))
        r['_ln'] = ln
        if not r['name'].strip():
            err(ln, 'empty name')
        if r['style'] not in STYLES:
            err(ln, 'unknown style %r' % r['style'])
        if r['ecosystem'] not in ECOSYSTEMS:
            err(ln, 'unknown ecosystem %r' % r['ecosystem'])
        if (r['style'] == 'package') != (r['ecosystem'] != ''):
            warn(ln, 'style "package" and a non-empty ecosystem should go together')
        exp = r['expected']
        if exp != 'none':
            m = LABEL_RE.match(exp)
            if not m:
                err(ln, 'bad expected label %r (want none or part:vendor:product:version[:update])' % exp)
        for alt in ALT_RE.findall(r['note']):
            if alt != 'none' and not LABEL_RE.match(alt):
                err(ln, 'bad alt= label %r in note' % alt)
        key = (r['name'], r['version'], r['publisher'], r['ecosystem'])
        if key in seen:
            err(ln, 'duplicate row (same name/version/publisher/ecosystem as line %d)' % seen[key])
        else:
            seen[key] = ln
        if r['name'] != r['name'].strip() and 'real:' not in r['note'] and 'space' not in r['note']:
            warn(ln, 'leading/trailing whitespace in a synthetic name')
        rows.append(r)

    # ---- vocabulary check (grep level)
    data_dir = args.data or default_data_dir(args.tsv)
    vocab_note = 'vocabulary check skipped (no tiiuae-cpedict-cpes.csv found)'
    if data_dir and os.path.isfile(os.path.join(data_dir, 'cpe', 'tiiuae-cpedict-cpes.csv')):
        pairs, nvd = load_vocab(data_dir)
        unknown = collections.Counter()
        for r in rows:
            labels = [('expected', r['expected'])] + [('alt', a) for a in ALT_RE.findall(r['note']) if a != 'none']
            for kind, lab in labels:
                m = LABEL_RE.match(lab)
                if not m or lab == 'none':
                    continue
                vp = (m.group('vendor'), m.group('product'))
                pvp = '%s:%s:%s' % (m.group('part'), vp[0], vp[1])
                # the CSV holds application (a) names only; o/h names are looked up in the NVD records
                if (m.group('part') == 'a' and vp in pairs) or pvp in nvd:
                    continue
                unknown[pvp] += 1
                warn(r['_ln'], '%s %s: vendor:product not in the CPE vocabulary CSV nor in the NVD records' % (kind, lab))
        vocab_note = 'vocabulary check against %s: %d distinct unknown part:vendor:product' % (data_dir, len(unknown))

    # ---- summary
    by_style = collections.Counter(r['style'] for r in rows)
    n_none = sum(1 for r in rows if r['expected'] == 'none')
    n_real = sum(1 for r in rows if r['note'].startswith('real:'))
    n_doubt = sum(1 for r in rows if 'doubt' in r['note'])
    parts = collections.Counter(r['expected'].split(':')[0] for r in rows if r['expected'] != 'none')
    n_star = sum(1 for r in rows if r['expected'] != 'none' and LABEL_RE.match(r['expected'])
                 and LABEL_RE.match(r['expected']).group('version') in ('*', '-'))
    chinese = sum(by_style[s] for s in ('zh-tw', 'zh-cn', 'mixed'))

    if not args.quiet:
        for m in errors:
            print(m)
        for m in warnings:
            print(m)
    total = len(rows)
    print('rows: %d (real: %d, synthetic: %d)' % (total, n_real, total - n_real))
    print('expected: none %d (%.1f%%), CPE %d (%s); version "*" or "-": %d' % (
        n_none, 100.0 * n_none / total if total else 0, total - n_none,
        ', '.join('%s=%d' % kv for kv in sorted(parts.items())), n_star))
    print('style: ' + ', '.join('%s=%d' % (s, by_style.get(s, 0)) for s in STYLES))
    print('chinese (zh-tw+zh-cn+mixed): %d; rows flagged "doubt" in note: %d' % (chinese, n_doubt))
    print(vocab_note)
    print('errors: %d, warnings: %d' % (len(errors), len(warnings)))
    if errors or (args.strict and warnings):
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
