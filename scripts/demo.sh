#!/bin/sh
# make demo: import the bundled sample data into a fresh data directory and scan the
# sample hosts. (The platform server and its URL arrive with the server issue.)
set -eu
BIN=${1:-build/lianfang}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA=${LIANFANG_DATA:-$ROOT/var/demo}
rm -rf "$DATA"
echo "== importing the bundled sample feeds into $DATA"
"$BIN" --data "$DATA" feed import nvd "$ROOT/data/sample/nvd-sample.json.gz"
"$BIN" --data "$DATA" feed import kev "$ROOT/data/sample/kev.json.gz"
"$BIN" --data "$DATA" feed status
echo
echo "== an agency's raw monthly inventory (Big5 CSV with Chinese headers) and a dpkg list:"
echo "   every record ends resolved, unresolved or rejected; policy flags are listed"
"$BIN" --data "$DATA" inventory normalize "$ROOT/data/sample/inventories/taipei-hr-2026-11.csv" \
  "$ROOT/data/sample/inventories/tpe-web02.dpkg.txt"
echo
echo "== scanning the sample hosts (CPE lists and raw inventories alike)"
set +e
"$BIN" --data "$DATA" vans scan "$ROOT"/data/sample/inventories/*
rc=$?
set -e
echo
echo "exit status $rc (0 no findings, 1 findings, 2 error)"
echo "try: $BIN --data $DATA vans scan --json $ROOT/data/sample/inventories/land-office-web01.json"
echo "The web platform (lianfang serve) is not built yet: this demo runs the VANS engine only."
[ "$rc" -le 1 ]
