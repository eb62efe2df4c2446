#!/usr/bin/env bash
# One entry point for a fresh machine: finds Python >= 3.12, builds .venv, installs lealtad, then
#   bash dev.sh run [lealtad run options]   -> a default simulation with its headline results
#   bash dev.sh test [pytest options]       -> the whole test suite (what CI runs)
#   bash dev.sh shell                       -> just set up; then use .venv/bin/lealtad
set -euo pipefail
cd "$(dirname "$0")"

find_python() {
  local candidates=() c
  for c in python3.13 python3.12 python3 python; do
    command -v "$c" >/dev/null 2>&1 && candidates+=("$(command -v "$c")")
  done
  local roots=("${PYENV_ROOT:-$HOME/.pyenv}")
  for c in "${roots[0]}"/versions/3.1[2-9]*/bin/python3 /usr/local/bin/python3.1[2-9] /usr/bin/python3.1[2-9]; do
    [ -x "$c" ] && candidates+=("$c")
  done
  for c in "${candidates[@]}"; do
    if "$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then
      echo "$c"; return 0
    fi
  done
  return 1
}

setup() {
  local extras=$1
  if [ ! -x .venv/bin/python ]; then
    local py
    py=$(find_python) || { echo "dev.sh: needs Python >= 3.12 (python3.12/3.13 on PATH or under pyenv); none found" >&2; exit 1; }
    echo "dev.sh: creating .venv with $py"
    "$py" -m venv .venv
  fi
  local stamp=".venv/.installed-$extras-$(sha1sum pyproject.toml | cut -c1-12)"
  if [ ! -f "$stamp" ]; then
    echo "dev.sh: installing lealtad[$extras] (first time only)"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[$extras]" 2>&1 \
      | grep -v -E "^WARNING: Location .* is ignored" || true
    .venv/bin/python -c "import lealtad" || { echo "dev.sh: install failed" >&2; exit 1; }
    touch "$stamp"
  fi
}

browser() {
  # Browser tests drive Debian's Chromium (never a downloaded browser build).
  if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "dev.sh: installing Debian's chromium for the browser tests"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver) >/dev/null 2>&1 \
      || echo "dev.sh: could not install chromium; browser tests will be skipped" >&2
  fi
}

cmd=${1:-run}; shift || true
case "$cmd" in
  run)   setup all; exec .venv/bin/lealtad run "$@" ;;
  test)  setup all; browser; exec .venv/bin/python -m pytest "$@" ;;
  shell) setup all; echo "ready: .venv/bin/lealtad --help" ;;
  *) echo "usage: bash dev.sh run|test|shell [args]" >&2; exit 2 ;;
esac
