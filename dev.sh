#!/usr/bin/env sh
# Heard's developer entry point. On a fresh machine it sets up everything it needs.
#   ./dev.sh demo   start Heard with a demo workspace at http://127.0.0.1:8000
#   ./dev.sh test   run the whole test suite (lint, types, unit, browser)
#   ./dev.sh setup  only create .venv and install Heard into it
set -eu
cd "$(dirname "$0")"
VENV=.venv

find_python() {
  for candidate in "${HEARD_PYTHON:-}" python3.12 python3.13 "$HOME/.pyenv/versions/3.12.1/bin/python" python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
      command -v "$candidate"
      return 0
    fi
  done
  if command -v pyenv >/dev/null 2>&1; then
    for version in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.(1[2-9])' | sort -rV); do
      echo "$(pyenv root)/versions/$version/bin/python"
      return 0
    done
  fi
  echo "Heard needs Python 3.12 or newer; none was found. Install it, or set HEARD_PYTHON." >&2
  return 1
}

setup() {
  stamp="$VENV/.installed-$(cat pyproject.toml | cksum | cut -d' ' -f1)"
  [ -f "$stamp" ] && return 0
  if [ ! -x "$VENV/bin/python" ]; then
    python=$(find_python)
    echo "Creating $VENV with $python" >&2
    "$python" -m venv "$VENV"
  fi
  "$VENV/bin/python" -m pip install --quiet --upgrade pip >&2
  "$VENV/bin/python" -m pip install --quiet -e ".[dev]" >&2
  rm -f "$VENV"/.installed-*
  touch "$stamp"
}

ensure_browser() {
  chromium_path=${HEARD_TEST_CHROMIUM:-/usr/bin/chromium}
  [ -x "$chromium_path" ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Chromium for the browser tests" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >&2
  else
    echo "The browser tests need Chromium at $chromium_path (Debian: apt-get install chromium)," >&2
    echo "or set HEARD_TEST_CHROMIUM to its path." >&2
    exit 1
  fi
}

command=${1:-help}
[ $# -gt 0 ] && shift
case "$command" in
  setup) setup ;;
  demo) setup; exec "$VENV/bin/heard" demo "$@" ;;
  test)
    setup
    ensure_browser
    "$VENV/bin/ruff" check src tests bench
    "$VENV/bin/ruff" format --check src tests bench
    "$VENV/bin/mypy"
    exec "$VENV/bin/pytest" "$@"
    ;;
  *) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; [ "$command" = help ] ;;
esac
