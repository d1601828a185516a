#!/usr/bin/env bash
# The register screen (F2) on a million dossiers, release build, under Xvfb: a search
# typed key by key (keystroke → count and first page on screen), scroll steps by keyboard
# (PageDown → the rows in sight are there), opening a dossier with a 50-event journal, and
# the memory after paging through 100,000 rows. Beside them, the floor: the same SQL alone
# (the FTS5 count and first page) timed with Python's sqlite3 on the same database.
#
#   bash benches/window_register.sh [count=1000000]
#
# Reuses target/bench-scale/big (benches/show_receipt_scale.sh makes it).
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${1:-1000000}
cargo build --release --locked --bin motcua -q
M=target/release/motcua
BIG=target/bench-scale/big
W=target/bench-window
mkdir -p "$W"
have=$(sqlite3 "$BIG/motcua.sqlite" "SELECT count(*) FROM dossiers" 2>/dev/null || echo 0)
if [ "$have" -lt "$COUNT" ]; then
  echo "run benches/show_receipt_scale.sh first (it seeds $COUNT dossiers)" >&2
  exit 1
fi
echo 'quay-mot-cua-2026' | $M --data-dir "$BIG" user add quay --full-name "Đặng Thị Thư" \
  --password-stdin >/dev/null 2>&1 || true
# A dossier with a 50-event journal: received, then 49 status changes.
CODE=$(sqlite3 "$BIG/motcua.sqlite" "SELECT d.code FROM dossiers d WHERE (SELECT count(*) FROM events e WHERE e.dossier_id = d.id) >= 50 LIMIT 1")
if [ -z "$CODE" ]; then
  CODE=$($M --data-dir "$BIG" receive --clerk lan --procedure 1.004873 --applicant "Nhật Ký Dài" --json \
         | python3 -c "import json,sys; print(json.load(sys.stdin)['code'])")
  for i in $(seq 1 49); do
    if [ $((i % 2)) = 1 ]; then s=processing; else s=supplement_requested; fi
    $M --data-dir "$BIG" transition "$CODE" "$s" --clerk lan --note "lần $i" >/dev/null
  done
fi

exec 3< <(Xvfb -displayfd 1 -screen 0 1280x800x24 -nolisten tcp 2>/dev/null)
read -r DISP <&3
export DISPLAY=":$DISP"
trap 'pkill -f "Xvfb -displayfd" || true' EXIT

python3 - "$M" "$BIG" "$CODE" <<'PY'
import os, re, sqlite3, statistics, subprocess, sys, time
m, big, code = sys.argv[1:4]

def xdo(*a):
    subprocess.run(["xdotool", *a], check=True)

def rss_mb(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024

log = "target/bench-window/register-trace.txt"
p = subprocess.Popen([m, "--data-dir", big], env=dict(os.environ, MOTCUA_TRACE="1"),
                     stderr=open(log, "w"), stdout=subprocess.DEVNULL)
t = time.time()
while True:
    out = subprocess.run(["xdotool", "search", "--class", "motcua"], capture_output=True, text=True).stdout.split()
    if out:
        break
    if time.time() - t > 20:
        raise SystemExit("no window")
    time.sleep(0.05)
xdo("windowfocus", "--sync", out[0]); time.sleep(1.5)
xdo("type", "--delay", "40", "quay"); xdo("key", "Return"); time.sleep(0.3)
xdo("type", "--delay", "40", "quay-mot-cua-2026"); xdo("key", "Return"); time.sleep(1.5)
xdo("key", "F2"); time.sleep(2)
queries = ["nguyen van hung", "dang thi", "h56-2612", "0912", "tran"]
for q in queries:
    for ch in q:
        xdo("type", ch); time.sleep(0.25)
    time.sleep(0.5)
    xdo("key", "ctrl+a", "BackSpace"); time.sleep(1)
for _ in range(60):
    xdo("key", "Page_Down"); time.sleep(0.12)
xdo("key", "End"); time.sleep(0.5)
xdo("key", "Home"); time.sleep(0.5)
for ch in code:
    xdo("type", ch)
time.sleep(1)
for _ in range(5):
    xdo("key", "Return"); time.sleep(0.6)
    xdo("key", "Escape"); time.sleep(0.6)
xdo("key", "ctrl+a", "BackSpace"); time.sleep(1)
before = rss_mb(p.pid)
t0 = time.time()
xdo("key", "--repeat", "6500", "--delay", "2", "Page_Down")
time.sleep(2)
after = rss_mb(p.pid)
p.terminate(); p.wait()

tr = {}
for line in open(log):
    mm = re.match(r"trace (\w+)_ms=([\d.]+)", line)
    if mm:
        tr.setdefault(mm.group(1), []).append(float(mm.group(2)))

# The floor: the same statements on the same file, without the window.
db = sqlite3.connect(big + "/motcua.sqlite")
def fold(s):
    import unicodedata
    s = unicodedata.normalize("NFD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).replace("đ", "d").replace("Đ", "d")
    return s.lower()
def expr(q):
    words = [w for w in re.split(r"[^0-9a-z]+", fold(q)) if w]
    return " ".join(f'"{w}"*' if i == len(words) - 1 else f'"{w}"' for i, w in enumerate(words))
floor = []
for q in queries:
    for i in range(1, len(q) + 1):
        e = expr(q[:i])
        if not e:
            continue
        t = time.perf_counter()
        db.execute("SELECT count(*) FROM (SELECT 1 FROM dossier_search WHERE dossier_search MATCH ? LIMIT 10001)", (e,)).fetchone()
        db.execute("SELECT d.code, d.applicant_name FROM dossier_search s JOIN dossiers d ON d.rowid = s.rowid "
                   "WHERE dossier_search MATCH ? ORDER BY s.rowid DESC LIMIT 100 OFFSET 0", (e,)).fetchall()
        floor.append((time.perf_counter() - t) * 1000)

def pct(v, q):
    v = sorted(v)
    return v[min(len(v) - 1, int(round(q * (len(v) - 1))))] if v else float("nan")
rows = [
    ("search keystroke → list (ms)", tr.get("search_list", []), 16),
    ("scroll step (ms)", tr.get("scroll", []), 16),
    ("open 50-event dossier (ms)", tr.get("open", []), 16),
]
print(f"register of {db.execute('SELECT count(*) FROM dossiers').fetchone()[0]} dossiers")
print(f"{'figure':<34}{'n':>5}{'p50':>9}{'p95':>9}{'target':>8}{'p95/target':>12}")
for label, v, target in rows:
    print(f"{label:<34}{len(v):>5}{pct(v, .5):>9.2f}{pct(v, .95):>9.2f}{target:>8}{pct(v, .95)/target:>12.2f}")
print(f"{'floor: same SQL alone (ms)':<34}{len(floor):>5}{pct(floor, .5):>9.2f}{pct(floor, .95):>9.2f}")
print(f"RSS before/after 6,500 PageDowns (≈100,000+ rows): {before:.1f} / {after:.1f} MB (target 80)")
PY
