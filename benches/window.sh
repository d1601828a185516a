#!/usr/bin/env bash
# Speed and footprint of the counter window, release build, real X server (Xvfb), on a
# register of a million dossiers, beside iced's smallest window built the same way
# (examples/floor_window.rs) as the floor. For each of N runs it starts the window, signs
# in, types a procedure query key by key, takes a match, types a name, saves and prints
# with Ctrl+S (to a cups-pdf queue), then sits idle. Timings come from the window itself
# (MOTCUA_TRACE=1: process start → first frame, Enter → signed in, keystroke → suggestions
# shown, Ctrl+S → print job submitted); memory and CPU from /proc.
#
#   bash benches/window.sh [runs=5] [count=1000000]
#
# Needs Xvfb, xdotool, cupsd and printer-driver-cups-pdf (run as root for lpadmin). The big
# register is shared with benches/show_receipt_scale.sh under target/bench-scale/.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
COUNT=${2:-1000000}
cargo build --release --locked --bin motcua --example floor_window -q
M=target/release/motcua
F=target/release/examples/floor_window
BIG=target/bench-scale/big
mkdir -p target/bench-scale target/bench-window

have=$(sqlite3 "$BIG/motcua.sqlite" "SELECT count(*) FROM dossiers" 2>/dev/null || echo 0)
if [ "$have" -lt "$COUNT" ]; then
  rm -rf "$BIG"
  $M --data-dir "$BIG" init --agency-id 000.17.22.H56 --agency-name "UBND xã Tân Lập" \
     --parent-name "UBND tỉnh Thanh Hóa" --station 1 >/dev/null
  echo 'mật khẩu dài' | $M --data-dir "$BIG" user add lan --full-name "Trần Thị Lan" --password-stdin >/dev/null
  echo "seeding $COUNT dossiers …" >&2
  $M --data-dir "$BIG" dev seed --clerk lan --count "$COUNT" --days 365 --end 2026-12-31 --batch 20000
fi
echo 'quay-mot-cua-2026' | $M --data-dir "$BIG" user add quay --full-name "Đặng Thị Thư" \
  --password-stdin >/dev/null 2>&1 || true

if ! lpstat -r 2>/dev/null | grep -q "is running"; then
  mkdir -p /run/cups && /usr/sbin/cupsd && sleep 1
fi
lpadmin -p MotcuaBench -v cups-pdf:/ -m lsb/usr/cups-pdf/CUPS-PDF_opt.ppd -E 2>/dev/null
$M --data-dir "$BIG" config set printer MotcuaBench >/dev/null

exec 3< <(Xvfb -displayfd 1 -screen 0 1280x800x24 -nolisten tcp 2>/dev/null)
read -r DISP <&3
export DISPLAY=":$DISP"
trap 'pkill -f "Xvfb -displayfd" || true' EXIT

python3 - "$M" "$F" "$BIG" "$RUNS" <<'PY'
import os, re, statistics, subprocess, sys, time
m, floor, big, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
hz = os.sysconf("SC_CLK_TCK")

def xdo(*a):
    subprocess.run(["xdotool", *a], check=True)

def window(cls):
    t = time.time()
    while time.time() - t < 20:
        out = subprocess.run(["xdotool", "search", "--class", cls], capture_output=True, text=True).stdout.split()
        if out:
            return out[0]
        time.sleep(0.05)
    raise SystemExit(f"no window of class {cls}")

def ticks(pid):
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return int(f[11]) + int(f[12])

def rss_mb(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024

def idle(pid, seconds=10):
    a = ticks(pid); time.sleep(seconds); b = ticks(pid)
    return (b - a) / seconds, rss_mb(pid)

def traces(path):
    out = {}
    for line in open(path):
        mm = re.match(r"trace (\w+)_ms=([\d.]+)", line)
        if mm:
            out.setdefault(mm.group(1), []).append(float(mm.group(2)))
    return out

res = {k: [] for k in ("first_frame", "login", "suggest", "save_print", "idle_ticks", "rss")}
floor_res = {k: [] for k in ("first_frame", "idle_ticks", "rss")}
env = dict(os.environ, MOTCUA_TRACE="1")
for run in range(runs):
    err = open("target/bench-window/trace.txt", "w")
    p = subprocess.Popen([m, "--data-dir", big], env=env, stderr=err, stdout=subprocess.DEVNULL)
    w = window("motcua"); xdo("windowfocus", "--sync", w); time.sleep(1.5)
    xdo("type", "--delay", "40", "quay"); xdo("key", "Return"); time.sleep(0.3)
    xdo("type", "--delay", "40", "quay-mot-cua-2026"); xdo("key", "Return"); time.sleep(1.5)
    for ch in "khai sinh":
        xdo("type", ch); time.sleep(0.3)
    xdo("key", "Return"); time.sleep(0.3)
    xdo("type", "--delay", "40", "Đặng Thị Hằng"); time.sleep(0.3)
    xdo("key", "ctrl+s"); time.sleep(2.5)
    it, rss = idle(p.pid)
    p.terminate(); p.wait(); err.close()
    t = traces("target/bench-window/trace.txt")
    res["first_frame"] += t.get("first_frame", [])
    res["login"] += t.get("login", [])
    res["suggest"] += t.get("suggest", [])
    res["save_print"] += t.get("save_print", [])
    res["idle_ticks"].append(it); res["rss"].append(rss)
    err = open("target/bench-window/floor.txt", "w")
    p = subprocess.Popen([floor], env=env, stderr=err, stdout=subprocess.DEVNULL)
    w = window("motcua-floor"); xdo("windowfocus", "--sync", w); time.sleep(1.5)
    xdo("type", "--delay", "40", "Đặng Thị Hằng"); time.sleep(0.5)
    it, rss = idle(p.pid)
    p.terminate(); p.wait(); err.close()
    t = traces("target/bench-window/floor.txt")
    floor_res["first_frame"] += t.get("first_frame", [])
    floor_res["idle_ticks"].append(it); floor_res["rss"].append(rss)

def med(v):
    return statistics.median(v) if v else float("nan")

rows = [
    ("first frame (ms)", "first_frame", 150),
    ("idle RSS (MB)", "rss", 50),
    ("idle CPU (ticks/s)", "idle_ticks", 1),
    ("keystroke → suggestions (ms)", "suggest", 16),
    ("Ctrl+S → print job (ms)", "save_print", 50),
    ("login (ms)", "login", 300),
]
print(f"{runs} runs, register of {subprocess.run(['sqlite3', big + '/motcua.sqlite', 'SELECT count(*) FROM dossiers'], capture_output=True, text=True).stdout.strip()} dossiers, CLK_TCK={hz}")
print(f"{'figure':<30}{'motcua':>10}{'floor':>10}{'target':>10}{'motcua/target':>15}")
for label, key, target in rows:
    a = med(res[key]); b = med(floor_res.get(key, []))
    bs = f"{b:>10.2f}" if floor_res.get(key) else f"{'—':>10}"
    print(f"{label:<30}{a:>10.2f}{bs}{target:>10}{a/target:>15.2f}")
print("suggestion samples (ms):", " ".join(f"{x:.1f}" for x in res["suggest"]))
print("save+print samples (ms):", " ".join(f"{x:.1f}" for x in res["save_print"]))
PY
