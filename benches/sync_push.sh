#!/usr/bin/env bash
# Sync push benchmark: 10,000 queued dossiers pushed from one counter to a local hub, on
# SQLite and (when reachable) on PostgreSQL. Prints wall time, dossiers/s and compressed
# bytes on the wire per dossier. Usage: benches/sync_push.sh [count]
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT="${1:-10000}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}"
cargo build --release --quiet --bins
BIN="$CARGO_TARGET_DIR/release"
WORK="$(mktemp -d)"
HUB_PID=""
cleanup() {
  if [ -n "$HUB_PID" ]; then kill "$HUB_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

run_one() { # $1 = label, rest = hub backend args
  local label="$1"; shift
  local port dir
  port="$(free_port)"
  dir="$WORK/station-$label"
  "$BIN/motcua-hub" serve "$@" --listen "127.0.0.1:$port" >"$WORK/hub-$label.log" 2>&1 &
  HUB_PID=$!
  for _ in $(seq 100); do
    curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 0.05
  done
  "$BIN/motcua" --data-dir "$dir" init --agency-id 000.17.22.H56 --agency-name "UBND xã Tân Lập" --station 1 >/dev/null
  printf 'mật khẩu dài\n' | "$BIN/motcua" --data-dir "$dir" user add lan --full-name "Trần Thị Lan" --password-stdin >/dev/null
  "$BIN/motcua" --data-dir "$dir" dev seed --clerk lan --count "$COUNT" --end 2026-11-20 >/dev/null
  local token
  token="$("$BIN/motcua-hub" station add "$@" --agency-id 000.17.22.H56 --station 1)"
  "$BIN/motcua" --data-dir "$dir" sync enroll --hub "http://127.0.0.1:$port" --token "$token" >/dev/null
  local t0 t1 report
  t0=$(date +%s.%N)
  report="$("$BIN/motcua" --data-dir "$dir" sync --once | sed -n '/^{/,$p')"
  t1=$(date +%s.%N)
  python3 - "$label" "$COUNT" "$t0" "$t1" "$report" <<'PY'
import json, sys
label, count, t0, t1, report = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), json.loads(sys.argv[5])
secs = t1 - t0
events = report["accepted"]
print(f"{label:10s} {count} dossiers ({events} events, {report['batches']} batches): "
      f"{secs:.2f} s end to end, {count/secs:,.0f} dossiers/s, "
      f"{report['bytes_sent']/count:.0f} bytes/dossier on the wire (gzip)")
PY
  kill "$HUB_PID"; wait "$HUB_PID" 2>/dev/null || true; HUB_PID=""
}

run_one sqlite --db "$WORK/hub.sqlite"
PG_URL="host=127.0.0.1 port=5432 user=postgres dbname=test connect_timeout=3"
SCHEMA="bench_$$"
if psql "$PG_URL" -qc "CREATE SCHEMA $SCHEMA" >/dev/null 2>&1; then
  run_one postgres --database-url "$PG_URL" --pg-schema "$SCHEMA"
  psql "$PG_URL" -qc "DROP SCHEMA $SCHEMA CASCADE" >/dev/null 2>&1
else
  echo "postgres   skipped: PostgreSQL at 127.0.0.1:5432 is not reachable"
fi
