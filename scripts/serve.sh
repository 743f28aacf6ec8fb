#!/usr/bin/env bash
# Runs Bulwark on a fresh machine on its embedded default (SQLite under ./data):
# installs the C libraries the build links if they are missing (SAML signature checks use
# libxmlsec1 through samael), then builds and starts `bulwark serve`.
#
#   scripts/serve.sh [serve flags, e.g. --listen 0.0.0.0:8080]
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/lib.sh
source scripts/lib.sh
apt_install_missing "${BUILD_PKGS[@]}"

exec cargo run --release --locked -p bulwark -- serve "$@"
