#!/bin/sh
# bench_sources.sh: the vulnerability sources of issue 9 at full scale.
#
#   bench/bench_sources.sh [BUILD_DIR] [OUT_DIR]      (defaults: build, /tmp/lf-sources)
#
# 1. generates (once; an existing OUT_DIR/<part> is reused) the NVD set (gen_nvd.py), the
#    10 M-item inventory (gen_inventory.py), the CVE List (gen_cve5.py: 300,000 records of the
#    NVD CVEs + 40,000 deferred 2026 ones), OSV (gen_osv.py: 100,000 records) and CSAF
#    (gen_csaf.py: 3,000 advisories);
# 2. imports NVD alone into OUT_DIR/d-nvd, then copies that index to OUT_DIR/d-all and imports
#    CVE 5, OSV and CSAF into it one after the other (each import loads the index, parses,
#    and rewrites it), timing each whole command with /usr/bin/time -v (wall, CPU, peak RSS);
# 3. prints `feed status` of both indexes (size, documents per source, criteria);
# 4. runs bench_match over the whole inventory against each index (items/s, peak RSS);
# 5. runs `vans scan --json` over the first SCAN_HOSTS hosts (default 100: at ~39 hits per item a host makes ~3,900 findings, ~1 KB of JSON each) against each
#    index, and bench_match over the same hosts, so the explanation cost per finding is the
#    difference divided by the findings.
#
# Environment: CVE5_EXTRA (40000), OSV_RECORDS (100000), CSAF_ADVISORIES (3000), NVD_CVES
# (300000), ITEMS (10000000), HOSTS (100000), SCAN_HOSTS (100), SEED (1), NO_NAMES=1 (import
# cve5/csaf with --no-names: no name resolution), CVE5_LAYOUT (tree|zip). Needs about 9 GB
# under OUT_DIR at full scale (NVD 1.9 GB, CVE 5 tree 2.2 GB + its 340,000 files, OSV 0.35 GB,
# CSAF 0.1 GB, inventory 0.6 GB, two indexes ~1.3 GB, scan output). Figures go to stdout and
# OUT_DIR/figures.txt; every command's own output to OUT_DIR/log/.
set -eu
BUILD=${1:-build}
OUT=${2:-/tmp/lf-sources}
HERE=$(cd "$(dirname "$0")" && pwd)
PY=${PYTHON:-python3}
LF=$BUILD/lianfang
BM=$BUILD/bench/bench_match
SEED=${SEED:-1}
SCAN_HOSTS=${SCAN_HOSTS:-100}
for f in "$LF" "$BM"; do
    [ -x "$f" ] || { echo "bench_sources: $f not built (cmake --build $BUILD)" >&2; exit 2; }
done
mkdir -p "$OUT/log"
FIG=$OUT/figures.txt
: > "$FIG"
say() { echo "$*" | tee -a "$FIG"; }

# timed NAME CMD...: runs CMD with /usr/bin/time -v, output in log/NAME.out, and prints
# wall seconds, CPU seconds and peak RSS
timed() {
    name=$1
    shift
    /usr/bin/time -v -o "$OUT/log/$name.time" "$@" > "$OUT/log/$name.out" 2> "$OUT/log/$name.err" || {
        rc=$?
        # vans scan exits 1 when it has findings
        [ "$rc" -eq 1 ] || { echo "bench_sources: $name failed ($rc), see $OUT/log/$name.err" >&2; exit 2; }
    }
    awk -v n="$name" -F': ' '
        /Elapsed \(wall clock\)/ { split($2, t, ":"); w = (length(t) == 3) ? t[1]*3600 + t[2]*60 + t[3] : t[1]*60 + t[2] }
        /User time/ { u = $2 } /System time/ { s = $2 } /Maximum resident/ { r = $2 }
        END { printf "%-22s wall %7.2f s  cpu %7.2f s  peak RSS %6.0f MB\n", n, w, u + s, r / 1024 }' \
        "$OUT/log/$name.time" | tee -a "$FIG"
}

gen() {
    if [ ! -f "$OUT/nvd/vocab.json" ]; then
        echo "generating the NVD set" >&2
        $PY "$HERE/gen_nvd.py" --out "$OUT/nvd" --cves "${NVD_CVES:-300000}" --seed "$SEED" > "$OUT/log/gen_nvd.out"
    fi
    if [ ! -f "$OUT/inv.jsonl" ]; then
        echo "generating the inventory" >&2
        $PY "$HERE/gen_inventory.py" --vocab "$OUT/nvd/vocab.json" --out "$OUT/inv.jsonl" \
            --items "${ITEMS:-10000000}" --hosts "${HOSTS:-100000}" --seed "$SEED" > "$OUT/log/gen_inv.out"
    fi
    if [ ! -f "$OUT/cve5/cves.tsv" ]; then
        echo "generating the CVE List" >&2
        $PY "$HERE/gen_cve5.py" --nvd "$OUT/nvd" --out "$OUT/cve5" --extra "${CVE5_EXTRA:-40000}" --seed "$SEED" \
            --layout "${CVE5_LAYOUT:-tree}" > "$OUT/log/gen_cve5.out"
    fi
    if [ ! -f "$OUT/osv/packages.tsv" ]; then
        echo "generating OSV" >&2
        $PY "$HERE/gen_osv.py" --out "$OUT/osv" --records "${OSV_RECORDS:-100000}" --cves "$OUT/cve5/cves.tsv" \
            --seed "$SEED" > "$OUT/log/gen_osv.out"
    fi
    if [ ! -f "$OUT/csaf/changes.csv" ]; then
        echo "generating CSAF" >&2
        $PY "$HERE/gen_csaf.py" --out "$OUT/csaf" --advisories "${CSAF_ADVISORIES:-3000}" \
            --vocab "$OUT/nvd/vocab.json" --cves "$OUT/cve5/cves.tsv" --seed "$SEED" > "$OUT/log/gen_csaf.out"
    fi
}

# import rate of one source: records/s and MB/s of the parse (the CLI's own timing of the
# read + parse + build part, one core), from its "N records from F file(s), X MB in T s" line
rate() {
    awk -v n="$1" '/ records from / && / MB in / {
        for (i = 1; i <= NF; i++) { if ($i == "records") r = $(i-1); if ($i == "MB") mb = $(i-1); if ($i == "s") t = $(i-1) }
        printf "%-22s %d records, %.1f MB in %.2f s: %.0f records/s, %.1f MB/s (parse + build, one core)\n", n, r, mb, t, r / t, mb / t }
        /index .*load .* write / { print "                       " $0 }' "$OUT/log/$1.out" | tee -a "$FIG"
}

gen
say "== data"
for f in gen_nvd gen_inv gen_cve5 gen_osv gen_csaf; do
    [ -f "$OUT/log/$f.out" ] && sed "s/^/$f: /" "$OUT/log/$f.out" | tail -n 4 | tee -a "$FIG"
done
du -sh "$OUT/nvd" "$OUT/cve5" "$OUT/osv" "$OUT/csaf" "$OUT/inv.jsonl" 2>/dev/null | tee -a "$FIG"

NAMES=""
[ "${NO_NAMES:-0}" = 1 ] && NAMES=--no-names
CVE5_IN=$OUT/cve5/cves
[ -f "$OUT/cve5/cves.zip" ] && CVE5_IN=$OUT/cve5/cves.zip
OSV_IN=$OUT/osv
[ -f "$OUT/osv/debian/all.zip" ] && OSV_IN=$(ls "$OUT"/osv/*/all.zip)

say "== import (whole command: /usr/bin/time -v)"
rm -rf "$OUT/d-nvd" "$OUT/d-all"
timed import-nvd "$LF" --data "$OUT/d-nvd" feed import nvd "$OUT"/nvd/nvd-*.json
rate import-nvd
mkdir -p "$OUT/d-all"
cp "$OUT/d-nvd/vulndb.lfx" "$OUT/d-all/vulndb.lfx"
timed import-cve5 "$LF" --data "$OUT/d-all" feed import cve5 $NAMES "$CVE5_IN"
rate import-cve5
# shellcheck disable=SC2086
timed import-osv "$LF" --data "$OUT/d-all" feed import osv $OSV_IN
rate import-osv
timed import-csaf "$LF" --data "$OUT/d-all" feed import csaf $NAMES "$OUT/csaf"
rate import-csaf

say "== index"
"$LF" --data "$OUT/d-nvd" feed status | sed 's/^/nvd only: /' | tee -a "$FIG"
"$LF" --data "$OUT/d-all" feed status | sed 's/^/all sources: /' | tee -a "$FIG"

say "== matching, whole inventory (bench_match, one core)"
timed match-nvd "$BM" "$OUT/d-nvd/vulndb.lfx" "$OUT/inv.jsonl" 0
sed 's/^/  nvd only: /' "$OUT/log/match-nvd.out" | tee -a "$FIG"
timed match-all "$BM" "$OUT/d-all/vulndb.lfx" "$OUT/inv.jsonl" 0
sed 's/^/  all sources: /' "$OUT/log/match-all.out" | tee -a "$FIG"

say "== vans scan --json, first $SCAN_HOSTS hosts (explanation cost)"
head -n "$SCAN_HOSTS" "$OUT/inv.jsonl" > "$OUT/scan.jsonl"
for ix in nvd all; do
    timed "scanmatch-$ix" "$BM" "$OUT/d-$ix/vulndb.lfx" "$OUT/scan.jsonl" 0
    timed "scan-$ix" "$LF" --data "$OUT/d-$ix" vans scan --json "$OUT/scan.jsonl"
    m=$(awk '/^match: / { print $2 }' "$OUT/log/scanmatch-$ix.out")
    p=$(awk '/read \+ JSON \+ CPE parse/ { for (i = 1; i <= NF; i++) if ($i == "parse") print $(i+1) }' \
        "$OUT/log/scanmatch-$ix.out")
    $PY - "$OUT/log/scan-$ix.out" "$OUT/log/scan-$ix.time" "$m" "$p" "$ix" <<'EOF' | tee -a "$FIG"
import json, re, sys
doc = json.load(open(sys.argv[1]))
t = open(sys.argv[2]).read()
w = re.search(r'Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)', t).group(1).split(':')
wall = sum(float(x) * 60 ** i for i, x in enumerate(reversed(w)))
match, parse = float(sys.argv[3]), float(sys.argv[4])
fs = doc['findings']
n = len(fs)
src = {}
multi = 0
for f in fs:
    ss = f.get('sources') or []
    multi += len(ss) > 1
    for s in ss:
        k = s.get('source') if isinstance(s, dict) else str(s)
        src[k] = src.get(k, 0) + 1
s = doc['summary']
rest = wall - match - parse
print('  %s: %d findings (%d affected, %d needs review, %d not yet analysed, %d suppressed) for %d items; '
      'scan %.2f s = match %.2f + inventory parse %.2f + findings/explanations/JSON %.2f s: %.1f us per finding; '
      '%d findings with several sources; sources cited: %s' % (
          sys.argv[5], n, s['affected'], s['needs_review'], s['not_yet_analysed'], s.get('suppressed_not_affected', 0),
          s['items'], wall, match, parse, rest, 1e6 * rest / max(1, n), multi,
          ', '.join('%s %d' % kv for kv in sorted(src.items()))))
EOF
done
echo "figures in $FIG" >&2
