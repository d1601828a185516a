#!/usr/bin/env bash
# The Debian packages, end to end, on this machine (root, Debian 12; CI runs it from
# .ci/run after the test suite): packages motcua and motcua-hub at two versions, checks them
# (lintian, desktop-file-validate, appstreamcli, systemd-analyze), installs the lower
# version, sets up a station and receives dossiers as an ordinary user, upgrades (the
# station's files must stay byte for byte, the window must open them, verify must pass),
# runs the installed hub with its unit's command line against a temporary configuration,
# enrols the counter and syncs, then purges both and compares the file lists.
#
# MOTCUA_DEB_PROFILE picks the cargo profile of the packaged binaries. The default, dev,
# packages the binaries the test suite has just built (CI runs this after it): a release
# build (fat LTO, one codegen unit) takes about 15 minutes on the 2-core CI machine and
# would not fit its budget. `MOTCUA_DEB_PROFILE=release` tests what ships; run it before a
# release. Same code, assets and package layout either way. Every tool is required: a
# missing one fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

PROFILE=${MOTCUA_DEB_PROFILE:-dev}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
OUT=$TARGET/debian-test
TESTUSER=motcua-test
HUBUSER=motcua-hub
AGENCY=000.17.22.H56

export DEBIAN_FRONTEND=noninteractive
# python3 parses JSON here: it must not write byte code under /usr between the snapshots.
export PYTHONDONTWRITEBYTECODE=1

# ---- helpers -------------------------------------------------------------------------

declare -a TIMES=()
STEP_NAME=""
STEP_START=0
step() {
  finish_step
  STEP_NAME=$1
  STEP_START=$SECONDS
  echo
  echo "==> $STEP_NAME"
}
finish_step() {
  if [ -n "$STEP_NAME" ]; then
    TIMES+=("$(printf '%4d s  %s' $((SECONDS - STEP_START)) "$STEP_NAME")")
  fi
  STEP_NAME=""
}
fail() {
  echo "test-deb: FAILED: $*" >&2
  exit 1
}
need() {
  local missing=()
  for tool in "$@"; do
    command -v "$tool" >/dev/null || missing+=("$tool")
  done
  [ ${#missing[@]} -eq 0 ] || fail "missing tools: ${missing[*]} (.ci/run installs them)"
}

# Runs a command as the test user in its home, with a clean environment.
as_user() {
  runuser -u "$TESTUSER" -- env -i -C "/home/$TESTUSER" HOME="/home/$TESTUSER" \
    USER="$TESTUSER" LOGNAME="$TESTUSER" PATH=/usr/bin:/bin LANG=C.UTF-8 "$@"
}

XVFB_PID=""
INSTALLED=""
MADE_USER=""
APP_PID=""
HUB_PID=""
TMP=$(mktemp -d /tmp/motcua-deb.XXXXXX)
chmod 755 "$TMP"
cleanup() {
  local rc=$?
  for pid in $APP_PID $HUB_PID $XVFB_PID; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [ $rc -ne 0 ]; then
    for log in "$TMP"/*.log; do
      [ -f "$log" ] && { echo "---- $log"; tail -n 40 "$log"; }
    done
    # Leave the machine as it was: what this run installed or created goes.
    if [ -n "$INSTALLED" ]; then
      for pkg in motcua-hub motcua; do
        if dpkg -s "$pkg" >/dev/null 2>&1; then
          apt-get purge -y -qq "$pkg" >/dev/null 2>&1 || true
        fi
      done
    fi
    if [ -n "$MADE_USER" ]; then
      userdel -r "$TESTUSER" >/dev/null 2>&1 || true
    fi
  fi
  rm -rf "$TMP"
  return $rc
}
trap cleanup EXIT

# Starts Xvfb on a free display; sets DISPLAY_NUM.
start_xvfb() {
  exec 9< <(Xvfb -displayfd 1 -screen 0 1366x768x24 -nolisten tcp 2>"$TMP/xvfb.log")
  XVFB_PID=$!
  read -r -t 20 DISPLAY_NUM <&9 || fail "Xvfb did not start"
  DISPLAY_NUM=":$DISPLAY_NUM"
}

# Opens the installed app as the test user and waits for its window (class motcua);
# prints the window's title once it names the station.
open_window() {
  local expect=$1 wid="" title=""
  setpriv --reuid="$TESTUSER" --regid="$TESTUSER" --init-groups -- env -i \
    -C "/home/$TESTUSER" HOME="/home/$TESTUSER" PATH=/usr/bin:/bin LANG=C.UTF-8 \
    DISPLAY="$DISPLAY_NUM" /usr/bin/motcua >"$TMP/window.log" 2>&1 &
  APP_PID=$!
  for _ in $(seq 1 200); do
    wid=$(DISPLAY=$DISPLAY_NUM xdotool search --class '^motcua$' 2>/dev/null | head -n1 || true)
    [ -n "$wid" ] && break
    kill -0 "$APP_PID" 2>/dev/null || fail "the app exited before opening its window"
    sleep 0.1
  done
  [ -n "$wid" ] || fail "no window of class motcua within 20 s"
  echo "window $wid: $(DISPLAY=$DISPLAY_NUM xprop -id "$wid" WM_CLASS)"
  for _ in $(seq 1 100); do
    title=$(DISPLAY=$DISPLAY_NUM xprop -id "$wid" _NET_WM_NAME 2>/dev/null || true)
    case $title in *"$expect"*) break ;; esac
    sleep 0.2
  done
  echo "title: $title"
  case $title in *"$expect"*) ;; *) fail "the window's title does not name «$expect»" ;; esac
  kill "$APP_PID"
  wait "$APP_PID" 2>/dev/null || true
  APP_PID=""
}

# Every file and directory under the given roots, one a line (state that dpkg and apt keep
# about themselves left out).
file_list() {
  find "$@" -xdev \( -path /var/lib/dpkg -o -path /var/lib/apt -o -path /var/cache \
    -o -path /var/log -o -name __pycache__ \) -prune -o -print 2>/dev/null | sort
}

# The name=value lines of a systemd EnvironmentFile (this file's simple form: comments,
# blank lines, one pair of surrounding quotes) into the associative array UNIT_ENV.
read_env_file() {
  local line key value
  while IFS= read -r line || [ -n "$line" ]; do
    case $line in '' | '#'* | ';'*) continue ;; esac
    key=${line%%=*}
    value=${line#*=}
    case $value in
      \"*\") value=${value#\"}; value=${value%\"} ;;
      \'*\') value=${value#\'}; value=${value%\'} ;;
    esac
    UNIT_ENV[$key]=$value
  done < "$1"
}

# The unit's ExecStart, its Environment= and EnvironmentFile= (replaced by CONF), expanded
# the way systemd does for the forms the unit uses (${VAR}: one argument; $VAR: split at
# white space, none when empty), into UNIT_ARGV, UNIT_ENVP, UNIT_USER and UNIT_WD.
declare -A UNIT_ENV=()
read_unit() {
  local unit=$1 conf=$2 line exec_line="" word name
  local -a words parts
  UNIT_ENV=()
  UNIT_ARGV=()
  UNIT_ENVP=()
  while IFS= read -r line; do
    case $line in
      Environment=*) line=${line#Environment=}; UNIT_ENV[${line%%=*}]=${line#*=} ;;
      EnvironmentFile=*) read_env_file "$conf" ;;
      ExecStart=*) exec_line=${line#ExecStart=} ;;
      User=*) UNIT_USER=${line#User=} ;;
      WorkingDirectory=*) UNIT_WD=${line#WorkingDirectory=} ;;
    esac
  done < "$unit"
  case $exec_line in *\"* | *\'* | *\\*) fail "ExecStart uses quoting this harness does not expand" ;; esac
  read -ra words <<< "$exec_line"
  for word in "${words[@]}"; do
    if [[ $word =~ ^\$\{([A-Za-z0-9_]+)\}$ ]]; then
      UNIT_ARGV+=("${UNIT_ENV[${BASH_REMATCH[1]}]-}")
    elif [[ $word =~ ^\$([A-Za-z0-9_]+)$ ]]; then
      read -ra parts <<< "${UNIT_ENV[${BASH_REMATCH[1]}]-}"
      UNIT_ARGV+=("${parts[@]}")
    elif [[ $word == *\$* ]]; then
      fail "ExecStart word $word: expansion this harness does not do"
    else
      UNIT_ARGV+=("$word")
    fi
  done
  for name in "${!UNIT_ENV[@]}"; do
    UNIT_ENVP+=("$name=${UNIT_ENV[$name]}")
  done
}

wait_http() {
  local url=$1
  for _ in $(seq 1 100); do
    if curl -fsS "$url" >"$TMP/healthz.json" 2>/dev/null; then
      return 0
    fi
    kill -0 "$HUB_PID" 2>/dev/null || fail "motcua-hub exited"
    sleep 0.1
  done
  fail "$url did not answer within 10 s"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# ---- build ---------------------------------------------------------------------------

[ "$(id -u)" = 0 ] || fail "run as root (it installs and purges packages)"
need cargo cargo-deb dpkg-deb apt-get lintian desktop-file-validate appstreamcli \
  systemd-analyze Xvfb xdotool xprop curl python3 runuser setpriv useradd sha256sum man

VERSION=$(cargo metadata --no-deps --format-version 1 --locked |
  python3 -c 'import json,sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"]=="motcua"))')
HIGH="$VERSION-1"
LOW="$VERSION~pre-1"
mkdir -p "$OUT"
rm -f "$OUT"/*.deb

step "build motcua and motcua-hub (cargo profile $PROFILE)"
if [ "$PROFILE" = dev ]; then
  # The binaries `cargo test --workspace --locked` builds (and the end-to-end tests run):
  # after the test suite this is a no-op. A plain `cargo build` would compile much of the
  # workspace again, because dev-dependencies add features (serde, iced's test font).
  cargo test --workspace --locked --no-run
else
  cargo build --locked --profile "$PROFILE" --bin motcua --bin motcua-hub
fi

step "package both at $LOW and $HIGH (cargo deb --no-build)"
# The lower version exists only to be upgraded from, and a dev build is 2.5 times the size
# of a release one: quicker compression for those. cargo-deb warns that the dev profile is
# meant for testing only, which is what this is; --strip drops its debug information.
for v in "$LOW" "$HIGH"; do
  opts=(--strip)
  if [ "$v" = "$LOW" ] || [ "$PROFILE" = dev ]; then opts+=(--fast); fi
  cargo deb --locked --no-build --profile "$PROFILE" "${opts[@]}" --deb-version "$v" \
    -o "$OUT/motcua_${v}_amd64.deb"
  cargo deb --locked --no-build --profile "$PROFILE" "${opts[@]}" --variant hub \
    --deb-version "$v" -o "$OUT/motcua-hub_${v}_amd64.deb"
done
APP_DEB=$OUT/motcua_${HIGH}_amd64.deb
HUB_DEB=$OUT/motcua-hub_${HIGH}_amd64.deb
for deb in "$APP_DEB" "$HUB_DEB"; do
  echo "$(basename "$deb"): $(du -k "$deb" | cut -f1) KiB, Installed-Size $(dpkg-deb -f "$deb" Installed-Size) KiB"
  dpkg-deb -f "$deb" Package Version Depends Recommends
done

# ---- static checks -------------------------------------------------------------------

step "lintian (errors fail)"
lintian --fail-on error --display-info --tag-display-limit 0 "$APP_DEB" "$HUB_DEB" |
  tee "$TMP/lintian.txt"
echo "lintian: $(grep -c '^E:' "$TMP/lintian.txt" || true) errors, $(grep -c '^W:' "$TMP/lintian.txt" || true) warnings, $(grep -c '^I:' "$TMP/lintian.txt" || true) info"

step "shipped files: desktop entry, AppStream, man pages, dependencies"
X=$TMP/extract
mkdir -p "$X/app" "$X/hub"
dpkg-deb -x "$APP_DEB" "$X/app"
dpkg-deb -x "$HUB_DEB" "$X/hub"
desktop-file-validate "$X/app/usr/share/applications/motcua.desktop"
grep -qx 'StartupWMClass=motcua' "$X/app/usr/share/applications/motcua.desktop" ||
  fail "the desktop entry's StartupWMClass is not motcua"
appstreamcli validate --no-net --pedantic "$X/app/usr/share/metainfo/vn.motcua.motcua.metainfo.xml"
for size in 16 22 24 32 48 64 128 256; do
  f=$X/app/usr/share/icons/hicolor/${size}x${size}/apps/motcua.png
  [ -f "$f" ] || fail "no ${size}x${size} icon"
  python3 - "$f" "$size" <<'EOF'
import struct, sys
with open(sys.argv[1], "rb") as f:
    head = f.read(24)
w, h = struct.unpack(">II", head[16:24])
assert head[:8] == b"\x89PNG\r\n\x1a\n" and w == h == int(sys.argv[2]), (sys.argv[1], w, h)
EOF
done
[ -f "$X/app/usr/share/icons/hicolor/scalable/apps/motcua.svg" ] || fail "no scalable icon"
for f in fonts/LiberationSerif-OFL.txt fonts/BeVietnamPro-OFL.txt copyright changelog.Debian.gz; do
  [ -f "$X/app/usr/share/doc/motcua/$f" ] || fail "no /usr/share/doc/motcua/$f"
done
# iced dlopens these: dpkg-shlibdeps cannot find them, Depends must name them.
depends=$(dpkg-deb -f "$APP_DEB" Depends)
for lib in libx11-6 libx11-xcb1 libxcursor1 libxi6 libxkbcommon0 libxkbcommon-x11-0 libwayland-client0; do
  [[ ", $depends," == *", $lib,"* ]] || fail "Depends lacks $lib: $depends"
done
[[ $(dpkg-deb -f "$APP_DEB" Recommends) == *cups-client* ]] || fail "Recommends lacks cups-client"
# The man page names every subcommand of `motcua --help`.
commands=$("$X/app/usr/bin/motcua" --help | sed -n '/^Commands:/,/^$/p' | awk 'NR > 1 && NF {print $1}')
man_text=$(zcat "$X/app/usr/share/man/man1/motcua.1.gz")
for c in $commands; do
  grep -qF ".B ${c//-/\\-}" <<< "$man_text" || fail "motcua(1) does not describe «motcua $c»"
done
LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z \
  "$X/app/usr/share/man/man1/motcua.1.gz" "$X/hub/usr/share/man/man8/motcua-hub.8.gz" >/dev/null
# The counter binary carries none of the hub's server stack (panic locations keep the
# crate paths even in a stripped binary).
if grep -qa 'axum-0\.' "$X/app/usr/bin/motcua"; then
  fail "the motcua binary contains axum"
fi
grep -qa 'axum-0\.' "$X/hub/usr/bin/motcua-hub" || fail "the check above looks for the wrong string"
grep -qx '/etc/motcua-hub/motcua-hub.conf' <(dpkg-deb --ctrl-tarfile "$HUB_DEB" | tar -xO ./conffiles) ||
  fail "/etc/motcua-hub/motcua-hub.conf is not a conffile"

# ---- the counter app: install, data as an ordinary user, upgrade ---------------------

step "install motcua $LOW; a station and three dossiers as an ordinary user"
dpkg -s motcua >/dev/null 2>&1 && fail "motcua is already installed here"
BEFORE_USR=$TMP/usr-before.txt
file_list /usr > "$BEFORE_USR"
INSTALLED=yes
apt-get install -y -qq "$OUT/motcua_${LOW}_amd64.deb" >/dev/null
[ "$(dpkg-query -W -f='${Version}' motcua)" = "$LOW" ] || fail "motcua $LOW is not installed"
if id "$TESTUSER" >/dev/null 2>&1; then userdel -r "$TESTUSER" 2>/dev/null || true; fi
useradd -m -s /bin/bash "$TESTUSER"
MADE_USER=yes
as_user motcua init --agency-id "$AGENCY" --agency-name "UBND xã Tân Lập" \
  --parent-name "UBND tỉnh Thanh Hóa" --station 1 >/dev/null
echo 'mật khẩu của chị Lan 2026' |
  as_user motcua user add lan --full-name "Trần Thị Lan" --role admin --password-stdin >/dev/null
for who in "Nguyễn Văn An:001099012345" "Lê Thị Bình:001199012346" "Phạm Quốc Cường:001099012347"; do
  as_user motcua receive --clerk lan --procedure 1.001193 --applicant "${who%%:*}" \
    --id-number "${who#*:}" --phone 0912345678 \
    --document "Tờ khai đăng ký khai sinh:bản chính:1" --json >/dev/null
done
DATA=/home/$TESTUSER/.local/share/motcua
[ -f "$DATA/motcua.sqlite" ] || fail "no database in $DATA"
[ "$(stat -c %U:%a "$DATA")" = "$TESTUSER:700" ] || fail "$DATA is not the user's, mode 0700"
(cd "$DATA" && find . -type f -print0 | sort -z | xargs -0 sha256sum) > "$TMP/data-before.sha256"
cat "$TMP/data-before.sha256"

step "upgrade to motcua $HIGH: the station's files untouched, the window opens them, verify passes"
apt-get install -y -qq "$APP_DEB" >/dev/null
[ "$(dpkg-query -W -f='${Version}' motcua)" = "$HIGH" ] || fail "motcua $HIGH is not installed"
(cd "$DATA" && find . -type f -print0 | sort -z | xargs -0 sha256sum) > "$TMP/data-after.sha256"
diff -u "$TMP/data-before.sha256" "$TMP/data-after.sha256" || fail "the upgrade changed the station's files"
echo "station files identical after the upgrade ($(wc -l < "$TMP/data-after.sha256") files)"
/usr/bin/motcua --version
lunar=$(/usr/bin/motcua calendar lunar 2026-02-17 --json)
echo "$lunar"
python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert (d["day"], d["month"], d["year"], d["leap"]) == (1, 1, 2026, False), d' "$lunar" ||
  fail "2026-02-17 is not Tết Bính Ngọ (1/1/2026) in the installed app"
start_xvfb
open_window "UBND xã Tân Lập"
as_user motcua verify
count=$(as_user motcua list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
[ "$count" = 3 ] || fail "the register lists $count dossiers, not 3"
echo "register: $count dossiers"

# ---- the hub: install, conffile on upgrade, run with the unit's command line ---------

step "install motcua-hub $LOW: system user, directories, unit"
BEFORE_HUB=$TMP/hub-before.txt
file_list /usr /etc /var/lib/systemd > "$BEFORE_HUB"
getent passwd "$HUBUSER" >/dev/null && fail "user $HUBUSER exists before the install"
apt-get install -y -qq "$OUT/motcua-hub_${LOW}_amd64.deb" >/dev/null
getent passwd "$HUBUSER"
[ "$(stat -c %U:%G:%a /var/lib/motcua-hub)" = "$HUBUSER:$HUBUSER:750" ] || fail "/var/lib/motcua-hub: $(stat -c %U:%G:%a /var/lib/motcua-hub)"
[ "$(stat -c %U:%G:%a /etc/motcua-hub/tls)" = "root:$HUBUSER:750" ] || fail "/etc/motcua-hub/tls: $(stat -c %U:%G:%a /etc/motcua-hub/tls)"
[ "$(stat -c %a /etc/motcua-hub/motcua-hub.conf)" = 640 ] || fail "motcua-hub.conf is not 0640"
UNIT=/usr/lib/systemd/system/motcua-hub.service
[ -f "$UNIT" ] || fail "no $UNIT"
systemd-analyze verify "$UNIT"
systemd-analyze security --offline=true "$UNIT" | tail -n 1

step "upgrade to motcua-hub $HIGH: the edited configuration is kept"
echo "# sửa bởi quản trị tỉnh" >> /etc/motcua-hub/motcua-hub.conf
apt-get install -y -qq -o Dpkg::Options::=--force-confdef "$HUB_DEB" >/dev/null
[ "$(dpkg-query -W -f='${Version}' motcua-hub)" = "$HIGH" ] || fail "motcua-hub $HIGH is not installed"
grep -qx '# sửa bởi quản trị tỉnh' /etc/motcua-hub/motcua-hub.conf || fail "the upgrade replaced the edited configuration"
for f in /etc/motcua-hub/*.dpkg-*; do
  [ -e "$f" ] && fail "the upgrade left $f"
done

step "run the installed hub with the unit's command line; /healthz; enrol the counter and sync"
PORT=$(free_port)
install -d -m 0750 -o "$HUBUSER" -g "$HUBUSER" "$TMP/hub-state"
sed -e "s|^MOTCUA_HUB_LISTEN=.*|MOTCUA_HUB_LISTEN=127.0.0.1:$PORT|" \
    -e "s|^MOTCUA_HUB_DB=.*|MOTCUA_HUB_DB=$TMP/hub-state/hub.sqlite|" \
    /etc/motcua-hub/motcua-hub.conf > "$TMP/hub.conf"
read_unit "$UNIT" "$TMP/hub.conf"
[ "${UNIT_ARGV[0]}" = /usr/bin/motcua-hub ] || fail "ExecStart runs ${UNIT_ARGV[0]}"
echo "as $UNIT_USER in $UNIT_WD: ${UNIT_ARGV[*]}"
# setpriv execs the hub itself (as systemd would), so the SIGTERM below reaches it.
(cd "$UNIT_WD" && exec setpriv --reuid="$UNIT_USER" --regid="$UNIT_USER" --init-groups \
  --no-new-privs -- env -i "${UNIT_ENVP[@]}" "${UNIT_ARGV[@]}") >"$TMP/hub.log" 2>&1 &
HUB_PID=$!
wait_http "http://127.0.0.1:$PORT/healthz"
echo "/healthz: $(cat "$TMP/healthz.json")"
[ "$(stat -c %U "$TMP/hub-state/hub.sqlite")" = "$HUBUSER" ] || fail "the hub's database is not the service user's"
token=$(MOTCUA_HUB_CONF=$TMP/hub.conf motcua-hub-admin station add --agency-id "$AGENCY" --station 1)
as_user motcua sync enroll --hub "http://127.0.0.1:$PORT" --token "$token"
as_user motcua sync --once
counts=$(MOTCUA_HUB_CONF=$TMP/hub.conf motcua-hub-admin counts)
echo "$counts"
python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert sum(r["count"] for r in d if r["agency_id"] == sys.argv[2]) == 3, d' "$counts" "$AGENCY" ||
  fail "the hub does not count the station's 3 dossiers"
kill -TERM "$HUB_PID"
wait "$HUB_PID" || fail "motcua-hub did not stop cleanly on SIGTERM"
HUB_PID=""

# ---- remove and purge ----------------------------------------------------------------

step "remove motcua-hub keeps user, data and configuration; purge removes them"
apt-get remove -y -qq motcua-hub >/dev/null
getent passwd "$HUBUSER" >/dev/null || fail "remove deleted the user"
[ -d /var/lib/motcua-hub ] || fail "remove deleted /var/lib/motcua-hub"
[ -f /etc/motcua-hub/motcua-hub.conf ] || fail "remove deleted the configuration"
apt-get purge -y -qq motcua-hub >/dev/null
getent passwd "$HUBUSER" >/dev/null && fail "purge left the user $HUBUSER"
getent group "$HUBUSER" >/dev/null && fail "purge left the group $HUBUSER"
[ -e /var/lib/motcua-hub ] && fail "purge left /var/lib/motcua-hub"
file_list /usr /etc /var/lib/systemd > "$TMP/hub-after.txt"
diff -u "$BEFORE_HUB" "$TMP/hub-after.txt" || fail "purging motcua-hub left files behind (above)"
echo "motcua-hub purged: /usr, /etc and /var/lib/systemd as before, no /var/lib/motcua-hub"

step "purge motcua leaves nothing under /usr (the user's data stays)"
apt-get purge -y -qq motcua >/dev/null
file_list /usr > "$TMP/usr-after.txt"
diff -u "$BEFORE_USR" "$TMP/usr-after.txt" || fail "purging motcua left files under /usr (above)"
[ -f "$DATA/motcua.sqlite" ] || fail "purge removed the user's data"
echo "motcua purged: /usr as before; $DATA kept"
userdel -r "$TESTUSER" 2>/dev/null || true

finish_step
echo
echo "test-deb: all checks passed (profile $PROFILE). Time per step:"
printf '%s\n' "${TIMES[@]}"
