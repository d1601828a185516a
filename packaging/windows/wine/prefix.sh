#!/usr/bin/env bash
# Makes the Wine prefix $WINEPREFIX once (64-bit, no Mono or Gecko prompts) and puts the
# ProcessPrng stand-in into its system32. Safe to run again: does nothing when ready.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${WINEPREFIX:?}"
export WINEDEBUG=${WINEDEBUG:--all}
export WINEDLLOVERRIDES=${WINEDLLOVERRIDES:-"mscoree,mshtml="}
dll="$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll"
stamp="$WINEPREFIX/.motcua-ready"
if [ -f "$stamp" ] && [ -f "$dll" ]; then
    exit 0
fi
mkdir -p "$WINEPREFIX"
# One process makes the prefix; others wait for it.
exec 9>"$WINEPREFIX.lock"
flock 9
if [ -f "$stamp" ] && [ -f "$dll" ]; then
    exit 0
fi
WINEARCH=win64 wineboot --init >/dev/null 2>&1 || true
wineserver --wait || true
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
x86_64-w64-mingw32-gcc -shared -O2 -o "$build/bcryptprimitives.dll" \
    "$here/processprng.c" "$here/processprng.def" -ladvapi32
cp "$build/bcryptprimitives.dll" "$dll"
touch "$stamp"
