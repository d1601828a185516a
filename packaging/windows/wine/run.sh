#!/usr/bin/env bash
# Cargo's runner for the Windows build (x86_64-pc-windows-gnu): runs a test or program
# under Wine in the project's own prefix, made on first use. Used by .cargo/config.toml,
# the Windows part of .ci/run and packaging/windows/test-msi.sh.
#
#   WINEPREFIX     the prefix (default: target/wine-prefix beside this repository)
#
# Wine 8 lacks bcryptprimitives.dll!ProcessPrng, which Rust's standard library calls: the
# prefix gets the stand-in built from processprng.c (Windows 10 and 11 have the real one).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
export WINEPREFIX=${WINEPREFIX:-$root/target/wine-prefix}
export WINEDEBUG=${WINEDEBUG:--all}
export WINEDLLOVERRIDES=${WINEDLLOVERRIDES:-"mscoree,mshtml="}
"$here/prefix.sh" >/dev/null
exec wine "$@"
