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

ensure_test_tools() {
  # Chromium for the browser tests, espeak-ng and sox to make the speech the transcription
  # tests listen to, pg_dump and pg_restore for the backup tests.
  chromium_path=${HEARD_TEST_CHROMIUM:-/usr/bin/chromium}
  need=""
  [ -x "$chromium_path" ] || need="$need chromium fonts-dejavu-core"
  command -v espeak-ng >/dev/null 2>&1 || need="$need espeak-ng"
  command -v sox >/dev/null 2>&1 || need="$need sox"
  command -v pg_dump >/dev/null 2>&1 || need="$need postgresql-client"
  [ -n "$need" ] || return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing what the tests need:$need" >&2
    apt-get update -qq >&2
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >&2
  else
    echo "The tests need:$need (Debian package names); install them, or set" >&2
    echo "HEARD_TEST_CHROMIUM to Chromium's path if it lives elsewhere." >&2
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
    ensure_test_tools
    "$VENV/bin/ruff" check src tests bench
    "$VENV/bin/ruff" format --check src tests bench
    "$VENV/bin/mypy"
    exec "$VENV/bin/pytest" "$@"
    ;;
  *) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; [ "$command" = help ] ;;
esac
