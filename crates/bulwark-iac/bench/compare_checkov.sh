#!/usr/bin/env bash
# Runs `bulwark iac scan` and Checkov on the same labelled corpus and
# reports findings, recall and precision against corpus/labels.json, wall
# time and peak memory (GNU time -v).
#
#   bench/compare_checkov.sh [CORPUS_DIR]
#
# Environment: RUNS (default 3), CHECKOV_VERSION (default: latest),
# CHECKOV_VENV (default $TMPDIR/bulwark-checkov-venv), OUT_DIR (default
# $TMPDIR/bulwark-iac-bench), CARGO_TARGET_DIR (as for cargo).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
crate="$(dirname "$here")"
corpus="$(cd "${1:-$here/corpus}" && pwd)"
runs="${RUNS:-3}"
tmp="${TMPDIR:-/tmp}"
venv="${CHECKOV_VENV:-$tmp/bulwark-checkov-venv}"
out="${OUT_DIR:-$tmp/bulwark-iac-bench}"
mkdir -p "$out"

if [ ! -x /usr/bin/time ]; then
  apt-get install -y -qq time >/dev/null || { echo "GNU time is needed (apt-get install time)" >&2; exit 2; }
fi
if [ ! -x "$venv/bin/checkov" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "checkov${CHECKOV_VERSION:+==$CHECKOV_VERSION}"
fi
echo "checkov $("$venv/bin/checkov" --version)"

root="$(cd "$crate/../.." && pwd)"
(cd "$root" && cargo build --quiet --release -p bulwark --bin bulwark)
bin="${CARGO_TARGET_DIR:-$root/target}/release/bulwark"

bulwark_times=()
checkov_times=()
for i in $(seq 1 "$runs"); do
  /usr/bin/time -v "$bin" iac scan "$corpus" --format json --output "$out/bulwark.json" --fail-on none -q \
    2> "$out/bulwark.time.$i"
  bulwark_times+=("$out/bulwark.time.$i")
  # Checkov exits 1 when it has findings; the score step checks its output parses.
  (cd "$corpus" && /usr/bin/time -v "$venv/bin/checkov" -d . -o json --quiet --compact \
      > "$out/checkov.json" 2> "$out/checkov.time.$i") || true
  checkov_times+=("$out/checkov.time.$i")
done

python3 "$here/score.py" --labels "$corpus/labels.json" \
  --bulwark "$out/bulwark.json" --checkov "$out/checkov.json" \
  --bulwark-times "${bulwark_times[@]}" --checkov-times "${checkov_times[@]}" \
  --json-out "$out/results.json"
