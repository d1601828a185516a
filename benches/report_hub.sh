#!/usr/bin/env bash
# The province's year report at the hub: one counter receives N dossiers over a year
# (`motcua dev seed`, default 100,000; first argument), pushes them to a local hub
# (SQLite, then PostgreSQL when reachable), and `motcua-hub report --year` is timed
# beside a floor: one hand-written SQL GROUP BY over the same hub tables (the dossiers
# received in the period and the first end among their status events). The counter's
# own `motcua report bieu06 --year` over the same register is timed too. The hub's first
# report after the push (which reads every pushed event once into its report rows) is
# timed alone, the next ones as a median of 3, like the others.
# Target: ≤ 1 s. Usage: [MOTCUA_BENCH_KEEP=1] [MOTCUA_BENCH_BACKENDS="sqlite postgres"]
# benches/report_hub.sh [count]
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT="${1:-100000}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}"
cargo build --release --quiet --locked --bin motcua --bin motcua-hub
BIN="$CARGO_TARGET_DIR/release"
WORK="$(mktemp -d)"
HUB_PID=""
cleanup() {
  if [ -n "$HUB_PID" ]; then kill "$HUB_PID" 2>/dev/null || true; fi
  # MOTCUA_BENCH_KEEP=1 keeps the station's register and the SQLite hub for a look.
  if [ -n "${MOTCUA_BENCH_KEEP:-}" ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# Wall time in ms of one run of a command.
once_ms() {
  python3 - "$@" <<'PY'
import subprocess, sys, time
t = time.monotonic()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
print(f"{(time.monotonic() - t) * 1000:.0f}")
PY
}
# Median wall time in ms of a command run 3 times.
median_ms() {
  python3 - "$@" <<'PY'
import subprocess, sys, time
times = []
for _ in range(3):
    t = time.monotonic()
    subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
    times.append((time.monotonic() - t) * 1000)
print(f"{sorted(times)[1]:.0f}")
PY
}

# The year 2026 closed on the 15th: 15/12/2025 to 14/12/2026; the register ends on
# 14/12/2025 + 365 days.
FROM="2025-12-15T00:00:00"
TO="2026-12-15T00:00:00"
FLOOR_SQL="WITH ends AS (
    SELECT dossier_id, min(stored_at) AS ended FROM events
    WHERE kind IN ('status_changed', 'upstream_status') AND outcome = 'accepted'
    GROUP BY dossier_id)
  SELECT count(*) FILTER (WHERE d.received_at >= '$FROM'),
         count(*) FILTER (WHERE d.received_at < '$FROM'),
         count(*) FILTER (WHERE e.ended IS NOT NULL),
         count(*) FILTER (WHERE e.ended IS NULL AND d.due_at < '$TO')
  FROM dossiers d LEFT JOIN ends e ON e.dossier_id = d.id
  WHERE d.agency_id = '000.17.22.H56' AND d.received_at < '$TO'"

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
  "$BIN/motcua-hub" catalog publish "$@" assets/catalog/commune-procedures.json >/dev/null
  "$BIN/motcua" --data-dir "$dir" init --agency-id 000.17.22.H56 --agency-name "UBND xã Tân Lập" --station 1 >/dev/null
  printf 'mật khẩu dài\n' | "$BIN/motcua" --data-dir "$dir" user add lan --full-name "Trần Thị Lan" --password-stdin >/dev/null
  "$BIN/motcua" --data-dir "$dir" dev seed --clerk lan --count "$COUNT" --days 365 --end 2026-12-14 >/dev/null
  local token
  token="$("$BIN/motcua-hub" station add "$@" --agency-id 000.17.22.H56 --station 1)"
  "$BIN/motcua" --data-dir "$dir" sync enroll --hub "http://127.0.0.1:$port" --token "$token" >/dev/null
  "$BIN/motcua" --data-dir "$dir" sync --once >/dev/null
  local first hub station floor_ms
  # The first report after the push reads every pushed event once into the hub's report
  # rows; the next ones read those rows and the events pushed since.
  first="$(once_ms "$BIN/motcua-hub" report "$@" --agency-id 000.17.22.H56 --year 2026 --start-day 15)"
  hub="$(median_ms "$BIN/motcua-hub" report "$@" --agency-id 000.17.22.H56 --year 2026 --start-day 15)"
  station="$(median_ms "$BIN/motcua" --data-dir "$dir" report bieu06 --year 2026 --format json)"
  if [ "$label" = sqlite ]; then
    floor_ms="$(median_ms sqlite3 "$WORK/hub.sqlite" "$FLOOR_SQL")"
  else
    floor_ms="$(median_ms psql "options=--search_path=$SCHEMA $PG_URL" -qAt -c "$FLOOR_SQL")"
  fi
  python3 - "$label" "$COUNT" "$hub" "$station" "$floor_ms" "$first" <<'PY'
import sys
label, n, hub, station, floor, first = sys.argv[1], int(sys.argv[2]), *map(float, sys.argv[3:])
print(f"{label:10s} year report over {n} dossiers: hub {hub:.0f} ms (the first after the push, "
      f"reading every pushed event once, {first:.0f} ms), counter {station:.0f} ms, "
      f"SQL GROUP BY floor at the hub {floor:.0f} ms; hub/floor {hub/floor:.2f}, "
      f"hub/target(1000 ms) {hub/1000:.2f} (whole commands: process start and printing included)")
PY
  kill "$HUB_PID"; wait "$HUB_PID" 2>/dev/null || true; HUB_PID=""
}

PG_URL="host=127.0.0.1 port=5432 user=postgres dbname=test connect_timeout=3"
SCHEMA="bench_report_$$"
BACKENDS="${MOTCUA_BENCH_BACKENDS:-sqlite postgres}"
case " $BACKENDS " in *" sqlite "*) run_one sqlite --db "$WORK/hub.sqlite" ;; esac
case " $BACKENDS " in *" postgres "*) ;; *) exit 0 ;; esac
if psql "$PG_URL" -qc "CREATE SCHEMA $SCHEMA" >/dev/null 2>&1; then
  run_one postgres --database-url "$PG_URL" --pg-schema "$SCHEMA"
  psql "$PG_URL" -qc "DROP SCHEMA $SCHEMA CASCADE" >/dev/null 2>&1
else
  echo "postgres   skipped: PostgreSQL at 127.0.0.1:5432 is not reachable"
fi
