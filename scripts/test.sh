#!/usr/bin/env bash
# Runs every test of Bulwark on a fresh machine: installs what the tests need, starts it
# on 127.0.0.1, then runs the whole suite against SQLite and again against PostgreSQL.
#
#   scripts/test.sh            # everything
#   scripts/test.sh -- FILTER  # pass FILTER to cargo test (both back ends)
#
# The cargo target directory lives outside the clone (CARGO_TARGET_DIR, default
# ~/.cache/bulwark-target) so CI runs on one machine reuse earlier builds.
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/bulwark-target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
FILTER=()
if [[ "${1:-}" == "--" ]]; then shift; FILTER=("$@"); fi

log() { printf '\n==> %s\n' "$*"; }

# --- system packages -------------------------------------------------------------
# shellcheck source=scripts/lib.sh
source scripts/lib.sh
pkgs=("${BUILD_PKGS[@]}" xmlsec1) # pysaml2, the test IdP, signs with the xmlsec1 tool
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
[[ -n "$pg_bin" && -x "$pg_bin/initdb" ]] || pkgs+=(postgresql)
command -v runuser >/dev/null || pkgs+=(util-linux)
apt_install_missing "${pkgs[@]}"
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

# --- Python test peers ---------------------------------------------------------------
# moto server is the AWS emulator the cloud-sync tests run on 127.0.0.1.
if ! python3 -c 'import moto.server, boto3' >/dev/null 2>&1; then
  log "installing moto (AWS emulator) from PyPI"
  python3 -m pip install --quiet --disable-pip-version-check 'moto[server]==5.2.1' 'boto3>=1.35'
fi
# With the emulator installed, a skipped AWS test is a failure.
export BULWARK_REQUIRE_MOTO=1

# --- identity providers for the login tests ------------------------------------------
# A real SAML IdP (pysaml2) and OIDC provider (oidc-provider-mock) from PyPI, in a venv
# the tests find through BULWARK_TEST_PYTHON.
PYIDP="${BULWARK_TEST_PYIDP:-$HOME/.cache/bulwark-pyidp}"
if ! "$PYIDP/bin/python" -c 'import saml2, oidc_provider_mock' 2>/dev/null; then
  log "installing pysaml2 and oidc-provider-mock into $PYIDP"
  python3 -m venv "$PYIDP"
  "$PYIDP/bin/pip" install -q 'pysaml2==7.5.5' 'oidc-provider-mock==0.3.4'
fi
export BULWARK_TEST_PYTHON="$PYIDP/bin/python"

# --- PostgreSQL on 127.0.0.1 --------------------------------------------------------
PG_PORT="${BULWARK_TEST_PG_PORT:-54329}"
PG_DIR="${BULWARK_TEST_PG_DIR:-/tmp/bulwark-test-pg}"
pg_as() {
  # PostgreSQL refuses to run as root: use its own account when we are root.
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}
start_postgres() {
  if pg_as "$pg_bin/pg_ctl" -D "$PG_DIR" status >/dev/null 2>&1; then return; fi
  rm -rf "$PG_DIR"; mkdir -p "$PG_DIR"
  [[ $(id -u) -eq 0 ]] && chown postgres "$PG_DIR"
  pg_as "$pg_bin/initdb" -D "$PG_DIR" -U bulwark --auth=trust -E UTF8 >/dev/null
  pg_as "$pg_bin/pg_ctl" -D "$PG_DIR" -l "$PG_DIR/server.log" -w \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=on" start >/dev/null
}
log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
start_postgres
trap 'pg_as "$pg_bin/pg_ctl" -D "$PG_DIR" -m fast stop >/dev/null 2>&1 || true' EXIT

# --- the suite, twice ------------------------------------------------------------------
# Cargo names a workspace crate's artifacts by its path inside the workspace, so a target
# dir shared by two checkouts can run one checkout's test binaries in the other, with the
# first one's CARGO_MANIFEST_DIR baked in. Rebuild our own crates when the checkout changes.
marker="$CARGO_TARGET_DIR/.bulwark-checkout"
if [[ -f "$marker" && "$(cat "$marker")" != "$PWD" ]]; then
  log "target dir last used by $(cat "$marker"): rebuilding the workspace's own crates"
  members=$(cargo metadata --no-deps --format-version 1 --locked |
    python3 -c 'import json, sys; print(" ".join("-p " + p["name"] for p in json.load(sys.stdin)["packages"]))')
  # shellcheck disable=SC2086 # one word per flag
  cargo clean $members
fi
mkdir -p "$CARGO_TARGET_DIR"
echo "$PWD" > "$marker"

log "building (target dir $CARGO_TARGET_DIR)"
cargo build --workspace --all-targets --locked

log "tests on SQLite"
cargo test --workspace --locked -- "${FILTER[@]}"

log "tests on PostgreSQL"
BULWARK_TEST_DATABASE_URL="postgres://bulwark@127.0.0.1:$PG_PORT/postgres" \
  cargo test --workspace --locked -- "${FILTER[@]}"

log "all tests passed on SQLite and PostgreSQL"
