#!/usr/bin/env bash
# Inventory search at scale: loads 1,000,000 generated assets into SQLite (a file in a
# temporary directory) and into a fresh PostgreSQL database, then reports median and p99
# latency of a selective, a broad and a deep-page search through the API's code path
# (count query included). Results and their reading: ARCHITECTURE.md, "Search indexing".
#
#   bench/search.sh [ASSETS] [RUNS]              (defaults 1000000 and 50)
#   BULWARK_BENCH_PG=postgres://... bench/search.sh   # server to create the database on
#   ENGINES=sqlite bench/search.sh               # one engine only (sqlite, postgres)
set -euo pipefail
cd "$(dirname "$0")/.."
ASSETS="${1:-1000000}"
RUNS="${2:-50}"
PG="${BULWARK_BENCH_PG:-postgres://bulwark@127.0.0.1:54330/postgres}"
ENGINES="${ENGINES:-sqlite postgres}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/bulwark-target}"

cargo bench -q -p bulwark-store --bench search_1m --no-run
BIN=$(cargo bench -p bulwark-store --bench search_1m --no-run --message-format=json 2>/dev/null |
  sed -n 's/.*"executable":"\([^"]*search_1m[^"]*\)".*/\1/p' | tail -1)

work=$(mktemp -d)
db=""
cleanup() {
  rm -rf "$work"
  if [[ -n "$db" ]]; then psql -q "$PG" -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for engine in $ENGINES; do
  case "$engine" in
    sqlite) "$BIN" --url "sqlite://$work/bench.db?mode=rwc" --assets "$ASSETS" --runs "$RUNS" ;;
    postgres)
      db="bulwark_bench_$$"
      psql -q "$PG" -c "CREATE DATABASE $db" >/dev/null
      "$BIN" --url "${PG%/*}/$db" --assets "$ASSETS" --runs "$RUNS"
      ;;
    *) echo "unknown engine $engine" >&2; exit 2 ;;
  esac
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
