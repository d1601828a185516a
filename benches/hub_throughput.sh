#!/usr/bin/env bash
# Hub push throughput, the hub alone (counter time excluded): accepted events/s on SQLite
# and on PostgreSQL with 1 and with 8 stations pushing at once, in-process (Storage::push)
# and over HTTP (the real motcua-hub serve on 127.0.0.1), beside a floor: the very same
# rows written into the same events table by a bare multi-row INSERT (and by COPY on
# PostgreSQL). Prints one table; ÷INSERT and ÷COPY are the hub's events/s divided by the
# floor's for the same backend and station count. Details in
# crates/hub/benches/push_throughput.rs.
#
#   [MOTCUA_BENCH_EVENTS=64000] [MOTCUA_BENCH_STATIONS=1,8] [MOTCUA_BENCH_HTTP=0] \
#   [MOTCUA_BENCH_PG_URL='host=127.0.0.1 user=postgres dbname=test' | none] benches/hub_throughput.sh
#
# PostgreSQL is skipped with a note when unreachable; each measurement uses a new schema,
# dropped afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}"
cargo build --release --quiet --bin motcua-hub
MOTCUA_HUB_BIN="${MOTCUA_HUB_BIN:-$(cd "$CARGO_TARGET_DIR/release" && pwd)/motcua-hub}"
export MOTCUA_HUB_BIN
cargo bench --quiet -p motcua-hub --bench push_throughput
