# Shared by scripts/serve.sh and scripts/test.sh (sourced, not run).

# C libraries the build links: samael binds libxmlsec1/libxml2 through bindgen (libclang).
BUILD_PKGS=(libxmlsec1-dev libxml2-dev libclang-dev pkg-config)

# Installs the Debian packages among "$@" that are missing.
apt_install_missing() {
  local need=() p
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
  ((${#need[@]})) || return 0
  printf '\n==> installing %s\n' "${need[*]}"
  local sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
}
