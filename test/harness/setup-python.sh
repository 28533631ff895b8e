#!/usr/bin/env bash
# The Python that the notebook tests execute generated notebooks in: a virtual environment in the
# setup cache (next to Node 24 and code-server) with the packages of python-requirements.txt,
# installed once and again only when that file changes. It never fails the test run: without
# Python 3, its venv module or a package index to install from, it writes the reason to
# <cache>/python.unavailable, and the tests that need this Python print it and skip.
set -uo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cache="${FASHION_CLASSIFIER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/fashion-classifier-dev}"
venv="$cache/python"
requirements="$repo/test/harness/python-requirements.txt"
unavailable="$cache/python.unavailable"
install_log="$cache/python-install.log"
stamp="$venv/.installed-$(sha256sum "$requirements" | cut -c1-16)"

log() { printf '[setup] %s\n' "$*"; }

give_up() {
  log "the notebook tests will be skipped: $1"
  printf '%s\n' "$1" >"$unavailable"
  exit 0
}

mkdir -p "$cache"
if [ -f "$stamp" ] && [ -x "$venv/bin/python" ]; then
  rm -f "$unavailable"
  exit 0
fi
command -v python3 >/dev/null || give_up "there is no python3 on the PATH (they need Python 3 with its venv module)"
log "installing Keras, JAX and nbclient into a Python environment in $venv (about a minute, once)"
rm -rf "$venv"
if ! python3 -m venv "$venv" >"$install_log" 2>&1; then
  give_up "python3 -m venv failed ($(tail -1 "$install_log")); on Debian: apt-get install python3-venv"
fi
# An index that cannot be reached is given up at once instead of retried with growing pauses: on a
# machine that reaches only a local mirror, that is under a minute instead of eight. PIP_RETRIES
# sets the retries where the network is flaky instead.
if ! "$venv/bin/python" -m pip install --retries "${PIP_RETRIES:-0}" -r "$requirements" >>"$install_log" 2>&1; then
  give_up "pip could not install test/harness/python-requirements.txt ($(grep -m1 -E '^ERROR' "$install_log" || tail -1 "$install_log")); the whole output is in $install_log"
fi
touch "$stamp"
rm -f "$unavailable"
log "Python environment ready: $(KERAS_BACKEND=jax "$venv/bin/python" -c 'import keras, jax; print(f"Keras {keras.__version__}, JAX {jax.__version__}")' 2>/dev/null)"
