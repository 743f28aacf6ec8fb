#!/usr/bin/env bash
# Throughput and p99 latency of an authenticated read endpoint next to a bare axum
# handler, in one run on the same machine, at 64 concurrent connections.
#
#   bench/http.sh [DURATION_SECONDS]         (default 15)
#   BULWARK_BENCH_DB=postgres://... bench/http.sh   # PostgreSQL instead of SQLite
#
# The authenticated endpoint is GET /edge/v1/tokens/{uuid} with `Authorization: ApiKey`:
# credential lookup (hash + indexed read), role check, tenant-scoped read, JSON encoding,
# plus every production layer (request id, tracing, metrics, audit, limits).
# Needs wrk (Debian package `wrk`; installed if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
DUR="${1:-15}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/bulwark-target}"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

cargo build --release -q -p bulwark --bin bulwark
cargo build --release -q -p bulwark-api --example bare
BIN="$CARGO_TARGET_DIR/release/bulwark"
BARE="$CARGO_TARGET_DIR/release/examples/bare"

work=$(mktemp -d)
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
export BULWARK_DATA_DIR="$work" BULWARK_LOG=warn
[[ -n "${BULWARK_BENCH_DB:-}" ]] && export BULWARK_DATABASE_URL="$BULWARK_BENCH_DB"

TOKEN=$("$BIN" admin token create --account bench --role admin --name bench)
"$BIN" serve --listen 127.0.0.1:18080 --no-worker >/dev/null 2>"$work/serve.log" & pids+=($!)
"$BARE" 127.0.0.1:18081 & pids+=($!)
for _ in $(seq 50); do
  curl -sf http://127.0.0.1:18080/healthz >/dev/null && curl -sf http://127.0.0.1:18081/bare >/dev/null && break
  sleep 0.2
done
UUID=$(curl -sf -H "Authorization: ApiKey $TOKEN" http://127.0.0.1:18080/bulwark/v1/whoami | sed -E 's/.*"credential_uuid":"([^"]+)".*/\1/')
AUTH_URL="http://127.0.0.1:18080/edge/v1/tokens/$UUID"
curl -sf -H "Authorization: ApiKey $TOKEN" "$AUTH_URL" >/dev/null

run() { # name url [header]
  local out
  if [[ -n "${3:-}" ]]; then out=$(wrk -t2 -c64 -d"${DUR}s" --latency -H "$3" "$2"); else out=$(wrk -t2 -c64 -d"${DUR}s" --latency "$2"); fi
  local rps p50 p99 errs
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errs=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  printf '%-34s %12s %10s %10s %s\n' "$1" "$rps" "$p50" "$p99" "${errs:+non-2xx: $errs}"
  echo "$rps" >"$work/$1.rps"
}

echo "64 connections, 2 wrk threads, ${DUR}s each, $(nproc) cores, db: ${BULWARK_BENCH_DB:-sqlite}"
printf '%-34s %12s %10s %10s\n' endpoint req/s p50 p99
wrk -t2 -c64 -d3s http://127.0.0.1:18081/bare >/dev/null   # warm-up
run bare-axum http://127.0.0.1:18081/bare
wrk -t2 -c64 -d3s -H "Authorization: ApiKey $TOKEN" "$AUTH_URL" >/dev/null
run authenticated-token-read "$AUTH_URL" "Authorization: ApiKey $TOKEN"
awk -v a="$(cat "$work/authenticated-token-read.rps")" -v b="$(cat "$work/bare-axum.rps")" \
  'BEGIN { printf "ratio authenticated/bare: %.2f\n", a / b }'
