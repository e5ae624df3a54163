#!/bin/sh
# make demo: import the bundled sample data into a fresh data directory, show the engine on
# the sample inventories, then start the platform (lianfang serve, SQLite) with a demo admin
# and a sample agency whose monthly inventory is uploaded, and print the URL to open.
#   DEMO_PORT (8080), LIANFANG_DATA (var/demo); DEMO_NO_SERVE=1 stops after the scans.
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
echo "scan exit status $rc (0 no findings, 1 findings, 2 error)"
[ "$rc" -le 1 ] || exit 1
[ "${DEMO_NO_SERVE:-0}" = "1" ] && exit 0

echo
echo "== the platform: a demo admin, a sample agency and its monthly upload"
PORT=${DEMO_PORT:-8080}
PASS=lianfang-demo
printf '%s\n' "$PASS" | "$BIN" --data "$DATA" user add --login admin --role national_admin --org TW \
  --name "Demo admin" --email admin@example.gov.tw >/dev/null
LOG="$DATA/serve.log"
"$BIN" --data "$DATA" serve --listen 127.0.0.1 --port "$PORT" >"$LOG" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null' INT TERM
URL=""
for _ in $(seq 1 50); do
  URL=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$LOG" | head -1)
  [ -n "$URL" ] && break
  kill -0 $PID 2>/dev/null || { cat "$LOG"; exit 1; }
  sleep 0.1
done
[ -n "$URL" ] || { echo "demo: the server did not start"; cat "$LOG"; exit 1; }
python3 "$ROOT/scripts/demo_seed.py" "$URL" admin "$PASS" "$ROOT/data/sample/inventories/taipei-hr-2026-11.csv"
echo
echo "lianfang is running: open the dashboard at ${URL}ui/"
echo "  log in: admin / $PASS   (national admin: drill down from the country to a finding)"
echo "  API: ${URL}api/v1/ (docs/api.md)   health: ${URL}healthz   metrics: ${URL}metrics"
echo "  Ctrl-C stops the server (log: $LOG)."
wait $PID
