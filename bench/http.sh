#!/usr/bin/env bash
# Throughput and p99 latency of an authenticated read endpoint next to a bare axum
# handler, in one run on the same machine, at 64 concurrent connections.
#
#   bench/http.sh [DURATION_SECONDS]         (default 15)
#   BULWARK_BENCH_DB=postgres://... bench/http.sh   # PostgreSQL instead of SQLite
#
# Endpoints, all behind every production layer (request id, tracing, metrics, audit,
# limits, timeout): `whoami` (API key checked, credential cache hit, no query) and
# GET /edge/v1/tokens/{uuid} (the same plus a tenant-scoped SQLite read and JSON
# encoding). Runs alternate between endpoints so background load hits all alike.
# wrk's p99 is in milliseconds; latencies in seconds (rare) are not converted.
# Needs wrk (Debian package `wrk`; installed if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
DUR="${1:-10}"
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

once() { # url [header] -> "rps p50 p99"
  local out
  if [[ -n "${2:-}" ]]; then out=$(wrk -t2 -c64 -d"${DUR}s" --latency -H "$2" "$1"); else out=$(wrk -t2 -c64 -d"${DUR}s" --latency "$1"); fi
  if grep -q "Non-2xx" <<<"$out"; then echo "non-2xx responses from $1" >&2; exit 1; fi
  printf '%s %s %s\n' "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" "$(awk '$1=="50%" {print $2}' <<<"$out")" "$(awk '$1=="99%" {print $2}' <<<"$out")"
}
median() { sort -n | awk '{a[NR]=$0} END {print a[int((NR+1)/2)]}'; }

ROUNDS="${ROUNDS:-3}"
echo "64 connections, 2 wrk threads, ${DUR}s per run, $ROUNDS alternating rounds (medians), $(nproc) cores, db: ${BULWARK_BENCH_DB:-sqlite}"
wrk -t2 -c64 -d3s http://127.0.0.1:18081/bare >/dev/null   # warm-up
wrk -t2 -c64 -d3s -H "Authorization: ApiKey $TOKEN" "$AUTH_URL" >/dev/null
names=(bare-axum authenticated-whoami authenticated-token-read)
urls=("http://127.0.0.1:18081/bare" "http://127.0.0.1:18080/bulwark/v1/whoami" "$AUTH_URL")
hdrs=("" "Authorization: ApiKey $TOKEN" "Authorization: ApiKey $TOKEN")
for r in $(seq "$ROUNDS"); do
  for i in 0 1 2; do once "${urls[$i]}" "${hdrs[$i]}" >>"$work/${names[$i]}.runs"; done
done
printf '%-28s %12s %10s %10s\n' endpoint req/s p50 p99
for n in "${names[@]}"; do
  rps=$(awk '{print $1}' "$work/$n.runs" | median)
  p50=$(awk '{print $2}' "$work/$n.runs" | sed 's/ms//' | median)
  p99=$(awk '{print $3}' "$work/$n.runs" | sed 's/ms//' | median)
  printf '%-28s %12s %9sms %9sms\n' "$n" "$rps" "$p50" "$p99"
  echo "$rps" >"$work/$n.rps"
done
for n in authenticated-whoami authenticated-token-read; do
  awk -v a="$(cat "$work/$n.rps")" -v b="$(cat "$work/bare-axum.rps")" -v n="$n" \
    'BEGIN { printf "ratio %s/bare: %.2f\n", n, a / b }'
done
