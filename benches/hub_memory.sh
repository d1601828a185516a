#!/usr/bin/env bash
# The hub's memory under concurrent gzip bombs, by number of attackers: for each N it
# starts the real `motcua-hub serve` (SQLite, a temporary directory, 127.0.0.1 only),
# sends N bombs at once ROUNDS times, each from its own station credential (N
# attackers, not one: one credential has one push admitted at a time), then lets the hub
# idle for a few seconds. Prints, per N: the answers, the peak resident set (VmHWM) and
# the resident set after (VmRSS), from /proc/<pid>/status.
#
#   [NS="16 32 64"] [KIND=string|spaces|zeros] [GIB=1] [ROUNDS=2] \
#   benches/hub_memory.sh [motcua-hub] [motcua]
#
# KIND=string (default): '{"station_id":"' then GIB GiB of 'a', one ever-growing JSON
# string (the parser buffers it); spaces: JSON whitespace the parser reads through;
# zeros: not JSON at all. A GiB of one byte gzips to about 1 MB.
set -euo pipefail
HUB=${1:-${CARGO_TARGET_DIR:-target}/debug/motcua-hub}
MOTCUA=${2:-${CARGO_TARGET_DIR:-target}/debug/motcua}
NS=${NS:-16 32 64}
KIND=${KIND:-string}
GIB=${GIB:-1}
ROUNDS=${ROUNDS:-2}
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT

python3 - "$work/bomb.gz" "$KIND" "$GIB" <<'PY'
import gzip, sys
path, kind, gib = sys.argv[1], sys.argv[2], int(sys.argv[3])
head, byte = {"zeros": (b"", b"\0"), "spaces": (b'{"station_id":', b" "),
              "string": (b'{"station_id":"', b"a")}[kind]
with gzip.open(path, "wb", compresslevel=9) as f:
    f.write(head)
    chunk = byte * (1 << 20)
    for _ in range(1024 * gib):
        f.write(chunk)
PY
echo "bomb: $KIND, $(stat -c %s "$work/bomb.gz") bytes gzipped, $GIB GiB inflated; $ROUNDS rounds; hub $HUB"

kib() { awk -v k="$1" '$1 == k":" {print $2}' "/proc/$pid/status"; }

# One real station gives a valid public key; the attackers' stations enrol with it.
"$MOTCUA" --data-dir "$work/s" init --agency-id 000.17.22.H49 --agency-name "UBND xã Tân Lập" \
  --parent-name "UBND tỉnh Thanh Hóa" --station 1 >/dev/null

printf '%4s  %-40s  %12s  %12s  %s\n' N answers "peak VmHWM" "VmRSS after" "(idle, before the bombs)"
for n in $NS; do
  dir="$work/n$n"
  mkdir -p "$dir"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "$HUB" serve --db "$dir/hub.sqlite" --listen "127.0.0.1:$port" 2>"$dir/hub.log" &
  pid=$!
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
  token=$("$HUB" station add --db "$dir/hub.sqlite" --agency-id 000.17.22.H49 --station 1)
  "$MOTCUA" --data-dir "$work/s" sync enroll --hub "http://127.0.0.1:$port" --token "$token" >/dev/null
  rm -f "$work/s/sync.credential"
  # N attacker stations: agencies 000.17.22.H50, H51, ... with stations 1-8 each.
  for i in $(seq 0 $((n - 1))); do
    agency=$(printf '000.17.22.H%02d' $((50 + i / 8)))
    echo "$agency $((i % 8 + 1)) $("$HUB" station add --db "$dir/hub.sqlite" --agency-id "$agency" --station $((i % 8 + 1)))"
  done >"$dir/tokens"
  python3 - "$dir/hub.sqlite" "$dir/tokens" "$port" >"$dir/creds" <<'PY'
import json, sqlite3, sys, urllib.request
key = sqlite3.connect(sys.argv[1]).execute("SELECT public_key FROM stations").fetchone()[0]
for line in open(sys.argv[2]):
    agency, n, token = line.split()
    body = json.dumps({"token": token, "station_id": f"{agency}#{n}", "public_key": key}).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{sys.argv[3]}/api/v1/enroll", body,
                                 {"Content-Type": "application/json"})
    print(json.load(urllib.request.urlopen(req))["credential"])
PY
  idle=$(kib VmRSS)
  : >"$dir/codes"
  for _ in $(seq "$ROUNDS"); do
    while read -r cred; do
      curl -s -o /dev/null -w '%{http_code}\n' -X POST "http://127.0.0.1:$port/api/v1/push" \
        -H "Authorization: Bearer $cred" -H "Content-Type: application/json" \
        -H "Content-Encoding: gzip" --data-binary "@$work/bomb.gz" >>"$dir/codes" &
    done <"$dir/creds"
    wait $(jobs -p | grep -vx "$pid") 2>/dev/null || true
  done
  # Idle a while (with a request now and then, as monitoring would), then measure.
  for _ in 1 2 3 4 5; do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null; sleep 1; done
  answers=$(sort "$dir/codes" | uniq -c | awk '{printf "%s×%s ", $1, $2}')
  printf '%4s  %-40s  %9s KiB  %9s KiB  (%s KiB)\n' "$n" "$answers" "$(kib VmHWM)" "$(kib VmRSS)" "$idle"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  pid=
done
