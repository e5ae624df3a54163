#!/bin/sh
# make bench: the VANS engine figures of issue 2 on a synthetic NVD-scale data set.
#   BENCH_CVES (300000), BENCH_ITEMS (10000000), BENCH_HOSTS (100000), BENCH_OUT (bench/out)
# Generates the data once (deterministic, seed 1), then prints (and, last, the intake
# figures: bench_intake on bench/intake-eval/names.tsv):
#   import throughput (MB/s of NVD JSON, one core), index size and open time,
#   matching throughput (items/s, one core), peak memory, the naive-scan ratio,
#   and the JSON parser's own throughput.
set -eu
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${BENCH_OUT:-$ROOT/bench/out}
CVES=${BENCH_CVES:-300000}
ITEMS=${BENCH_ITEMS:-10000000}
HOSTS=${BENCH_HOSTS:-100000}
BIN=$ROOT/$BUILD/lianfang
mkdir -p "$OUT"
if [ ! -f "$OUT/nvd/.done-$CVES" ]; then
  rm -rf "$OUT/nvd"
  echo "== generating $CVES CVEs (once)"
  python3 "$ROOT/bench/gen_nvd.py" --out "$OUT/nvd" --cves "$CVES" --seed 1
  touch "$OUT/nvd/.done-$CVES"
fi
if [ ! -f "$OUT/inventory-$ITEMS.jsonl" ]; then
  echo "== generating $ITEMS inventory items on $HOSTS hosts (once)"
  python3 "$ROOT/bench/gen_inventory.py" --vocab "$OUT/nvd/vocab.json" --out "$OUT/inventory-$ITEMS.jsonl" \
    --items "$ITEMS" --hosts "$HOSTS" --seed 1
fi
DATA=$OUT/data
rm -rf "$DATA"
echo "== import (full build of the index from scratch)"
/usr/bin/time -f "   wall %e s, peak RSS %M KB" "$BIN" --data "$DATA" feed import nvd "$OUT"/nvd/nvd-*.json 2>&1 | cat
"$BIN" --data "$DATA" feed import nvd "$OUT"/nvd/nvd-0001.json | sed -n '1p;4p' | sed 's/^/   incremental re-import of one file: /'
echo "== index"
"$BIN" --data "$DATA" feed status | sed -n '1,3p;7,8p'
echo "== matching"
"$ROOT/$BUILD/bench/bench_match" "$DATA/vulndb.lfx" "$OUT/inventory-$ITEMS.jsonl" 200
echo "== JSON parser"
"$ROOT/$BUILD/bench/bench_json" || true
echo "== inventory intake: name resolution quality (labelled set) and speed"
SHARED=${LF_SHARED_DATA:-$ROOT/../shared/data}
VOCAB=""
[ -f "$SHARED/cpe/tiiuae-cpedict-cpes.csv" ] && VOCAB="-V $SHARED/cpe/tiiuae-cpedict-cpes.csv"
"$ROOT/$BUILD/bench/bench_intake" "$ROOT/data/intake" "$ROOT/bench/intake-eval/names.tsv"
[ -n "$VOCAB" ] && "$ROOT/$BUILD/bench/bench_intake" $VOCAB "$ROOT/data/intake" "$ROOT/bench/intake-eval/names.tsv" | sed -n '1,1p;/^all/,/^held/p'
# syft's ecosystem -> CPE index, as an operator would import it (feed import purlidx)
PIDX=""
[ -f "$SHARED/names/syft-cpe-index.json" ] && PIDX="-P $SHARED/names/syft-cpe-index.json"
[ -n "$PIDX" ] && "$ROOT/$BUILD/bench/bench_intake" $PIDX $VOCAB "$ROOT/data/intake" "$ROOT/bench/intake-eval/names.tsv" | sed -n '1,2p;/^all/,/^held/p;/purl-index/p'
true
