#!/usr/bin/env bash
# Does the citizen lookup page tell a wrong secret from an unknown code by its timing?
# One dossier pushed to a hub; then ROUNDS rounds, each one lookup of the real code with
# a wrong secret and one of an unknown code (in alternating order), every request from
# its own forwarded address (the hub trusts 127.0.0.1 as a proxy) so the limit of 20 a
# minute does not interfere. Prints the median and 90th percentile of each, their ratio,
# and whether the two answers were byte-identical.
#
#   [ROUNDS=300] benches/lookup_timing.sh [motcua-hub] [motcua]
set -euo pipefail
HUB=${1:-target/debug/motcua-hub}
MOTCUA=${2:-target/debug/motcua}
ROUNDS=${ROUNDS:-300}
dir=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$HUB" serve --db "$dir/hub.sqlite" --listen "127.0.0.1:$port" --trusted-proxy 127.0.0.1 2>"$dir/hub.log" &
pid=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

"$MOTCUA" --data-dir "$dir/s" init --agency-id 000.17.22.H56 --agency-name "UBND xã Tân Lập" \
  --parent-name "UBND tỉnh Thanh Hóa" --station 1 >/dev/null
printf 'mat-khau-quay-1\n' | "$MOTCUA" --data-dir "$dir/s" user add lan --full-name "Trần Thị Lan" --password-stdin >/dev/null
token=$("$HUB" station add --db "$dir/hub.sqlite" --agency-id 000.17.22.H56 --station 1)
"$MOTCUA" --data-dir "$dir/s" sync enroll --hub "http://127.0.0.1:$port" --token "$token" >/dev/null
code=$("$MOTCUA" --data-dir "$dir/s" receive --clerk lan --procedure 1.001193 \
  --applicant "Nguyễn Văn An" --document "Tờ khai:bản chính:1" --json |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["code"])')
"$MOTCUA" --data-dir "$dir/s" sync --once >/dev/null

python3 - "$port" "$code" "$ROUNDS" <<'PY'
import http.client, statistics, sys, time
port, code, rounds = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
unknown = code[:-4] + "9999"
times = {"wrong secret": [], "unknown code": []}
bodies = {}
n = 0
def get(kind, path):
    global n
    n += 1
    c = http.client.HTTPConnection("127.0.0.1", port)
    xff = f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"
    t = time.perf_counter()
    c.request("GET", path, headers={"X-Forwarded-For": xff})
    body = c.getresponse().read()
    times[kind].append(time.perf_counter() - t)
    bodies.setdefault(kind, body)
    c.close()
for i in range(rounds):
    order = [("wrong secret", f"/tra-cuu?ma={code}&mk=ZZZZZZ"),
             ("unknown code", f"/tra-cuu?ma={unknown}&mk=ZZZZZZ")]
    for kind, path in (order if i % 2 == 0 else order[::-1]):
        get(kind, path)
for kind, t in times.items():
    t = sorted(t)
    print(f"{kind:13}: median {statistics.median(t)*1e3:.3f} ms, p90 {t[int(len(t)*0.9)]*1e3:.3f} ms ({len(t)} requests)")
m = {k: statistics.median(v) for k, v in times.items()}
print(f"ratio wrong/unknown (medians): {m['wrong secret']/m['unknown code']:.3f}")
print("answers byte-identical:", bodies["wrong secret"] == bodies["unknown code"])
PY
