#!/usr/bin/env bash
# Runs Bulwark on a fresh machine on its embedded default (SQLite under ./data):
# installs the C libraries the build links if they are missing (SAML signature checks use
# libxmlsec1 through samael), then builds and starts `bulwark serve`.
#
#   scripts/serve.sh [serve flags, e.g. --listen 0.0.0.0:8080]
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
for p in libxmlsec1-dev libxml2-dev libclang-dev pkg-config; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if ((${#need[@]})); then
  printf '==> installing %s\n' "${need[*]}"
  if [[ $(id -u) -eq 0 ]]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

exec cargo run --release --locked -p bulwark -- serve "$@"
