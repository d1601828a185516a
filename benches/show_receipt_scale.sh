#!/usr/bin/env bash
# `motcua show` and `motcua receipt` of the first and the last dossier of a year, on a
# 1,000,000-dossier register spread over that year, side by side with the same commands on
# a one-dossier register. Whole processes (open, read, render, keep the copy, write), release
# build, median of N interleaved runs. Prints milliseconds and the ratio big/small.
#
#   bash benches/show_receipt_scale.sh [runs=21] [count=1000000]
#
# The big register is kept under target/bench-scale/ and reused when it already holds
# `count` dossiers (seeding a million takes a minute or two).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-21}
COUNT=${2:-1000000}
cargo build --release --locked --bin motcua -q
M=target/release/motcua
W=target/bench-scale
mkdir -p "$W"

setup() { # dir
  rm -rf "$1"
  $M --data-dir "$1" init --agency-id 000.17.22.H56 --agency-name "UBND xã Tân Lập" \
     --parent-name "UBND tỉnh Thanh Hóa" --station 1 >/dev/null
  echo 'mật khẩu dài' | $M --data-dir "$1" user add lan --full-name "Trần Thị Lan" --password-stdin >/dev/null
}

BIG=$W/big SMALL=$W/small
have=$(sqlite3 "$BIG/motcua.sqlite" "SELECT count(*) FROM dossiers" 2>/dev/null || echo 0)
if [ "$have" != "$COUNT" ]; then
  setup "$BIG"
  echo "seeding $COUNT dossiers over 2026 …" >&2
  $M --data-dir "$BIG" dev seed --clerk lan --count "$COUNT" --days 365 --end 2026-12-31 --batch 20000
fi
setup "$SMALL"
$M --data-dir "$SMALL" dev seed --clerk lan --count 1 --days 1 --end 2026-12-31 2>/dev/null

first=$(sqlite3 "$BIG/motcua.sqlite" "SELECT code FROM dossiers ORDER BY rowid LIMIT 1")
last=$(sqlite3 "$BIG/motcua.sqlite" "SELECT code FROM dossiers ORDER BY rowid DESC LIMIT 1")
only=$(sqlite3 "$SMALL/motcua.sqlite" "SELECT code FROM dossiers LIMIT 1")
echo "register: $COUNT dossiers, $(du -h "$BIG/motcua.sqlite" | cut -f1); first $first, last $last" >&2

python3 - "$M" "$BIG" "$SMALL" "$first" "$last" "$only" "$RUNS" "$W" <<'PY'
import subprocess, sys, time, statistics
m, big, small, first, last, only, runs, w = sys.argv[1:9]
runs = int(runs)
def cmd(kind, d, code):
    if kind == "show":
        return [m, "--data-dir", d, "show", code, "--json"]
    return [m, "--data-dir", d, "receipt", code, "-o", f"{w}/out.pdf"]
cases = []
for kind in ("show", "receipt"):
    for label, code in (("first", first), ("last", last)):
        cases.append((kind, label, cmd(kind, big, code), cmd(kind, small, only)))
times = {}
for _ in range(runs):            # interleaved, so drift hits both sides alike
    for kind, label, b, s in cases:
        for side, c in (("big", b), ("small", s)):
            t = time.perf_counter()
            subprocess.run(c, check=True, stdout=subprocess.DEVNULL)
            times.setdefault((kind, label, side), []).append((time.perf_counter() - t) * 1000)
print(f"{'command':<10}{'dossier':<8}{'1M register ms':>16}{'1-dossier ms':>14}{'ratio':>8}")
for kind, label, _, _ in cases:
    b = statistics.median(times[(kind, label, "big")])
    s = statistics.median(times[(kind, label, "small")])
    print(f"{kind:<10}{label:<8}{b:>16.1f}{s:>14.1f}{b/s:>8.2f}")
print(f"(median of {runs} runs each, whole process, release build)")
PY
