#!/usr/bin/env bash
# The Windows build as CI checks it, on Debian with mingw-w64, wixl and Wine (after the
# Linux suite; see .ci/run):
#   1. clippy for x86_64-pc-windows-gnu, warnings denied;
#   2. the tests of core, store, sync, app and win, and the receipt crate's unit tests, built
#      for Windows and run under Wine (the cargo runner in .cargo/config.toml); the receipt
#      crate's PDF tests read their PDFs back with poppler, a Linux program a Windows test
#      cannot run: they run in the Linux suite;
#   3. motcua.exe (with its icon and version resource) and motcuaw.exe, then the MSI with
#      build-msi.py, and the same binaries as the next version's MSI;
#   4. tests/windows_e2e.rs with both: installed with msiexec under Wine, the window set up,
#      a dossier received by keyboard and printed through the Windows spooler to a CUPS
#      cups-pdf queue and read back, upgraded in place, uninstalled with the data kept.
#
# CI puts the debug build in the MSI (stripped of its debug information), which the suite
# has mostly built already: a release build (fat LTO) would not fit CI's time.
# MOTCUA_WINDOWS_PROFILE=release builds the shipped one.
set -euo pipefail
cd "$(dirname "$0")/../.."
target=x86_64-pc-windows-gnu
profile=${MOTCUA_WINDOWS_PROFILE:-debug}
profile_flag=()
[ "$profile" = release ] && profile_flag=(--release)
export WINEPREFIX=${WINEPREFIX:-$PWD/target/wine-prefix}

step() { printf '\n== %s (%s)\n' "$1" "$(date +%T)"; }

step "clippy for Windows"
cargo clippy --locked --target "$target" -p motcua -p motcua-core -p motcua-store \
  -p motcua-receipt -p motcua-sync -p motcua-app -p motcua-win --lib --bins -- -D warnings
cargo clippy --locked --target "$target" -p motcua-core -p motcua-store -p motcua-receipt \
  -p motcua-sync -p motcua-app -p motcua-win --tests -- -D warnings
cargo clippy --locked --manifest-path packaging/windows/launcher/Cargo.toml \
  --target "$target" --target-dir target/windows-launcher -- -D warnings

step "tests under Wine"
cargo test --locked --target "$target" -p motcua-core -p motcua-store -p motcua-sync \
  -p motcua-app -p motcua-win
cargo test --locked --target "$target" -p motcua-receipt --lib

step "motcua.exe and motcuaw.exe ($profile)"
cargo build --locked "${profile_flag[@]}" --target "$target" --bin motcua
cargo build --locked --release --manifest-path packaging/windows/launcher/Cargo.toml \
  --target "$target" --target-dir target/windows-launcher

step "the MSIs"
stage=target/windows-msi
rm -rf "$stage"
mkdir -p "$stage/bin" "$stage/next"
x86_64-w64-mingw32-strip -o "$stage/bin/motcua.exe" "target/$target/$profile/motcua.exe"
cp "target/windows-launcher/$target/release/motcuaw.exe" "$stage/bin/"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)
IFS=. read -r major minor patch <<<"$version"
next="$major.$minor.$((patch + 1))"
python3 packaging/windows/check-wxs.py packaging/windows/main.wxs
python3 packaging/windows/build-msi.py --bin-dir "$stage/bin" --version "$version" \
  --out "$stage/motcua-$version-x86_64.msi"
python3 packaging/windows/build-msi.py --bin-dir "$stage/bin" --version "$next" \
  --out "$stage/next/motcua-$next-x86_64.msi"
ls -l "$stage"/bin/*.exe "$stage"/*.msi

step "installed under Wine: the window, printing, upgrade, uninstall"
MOTCUA_WINDOWS_MSI="$PWD/$stage/motcua-$version-x86_64.msi" \
MOTCUA_WINDOWS_MSI_NEXT="$PWD/$stage/next/motcua-$next-x86_64.msi" \
  cargo test --locked --test windows_e2e -- --ignored --nocapture
step "done"
