#!/usr/bin/env bash
# `npm test`: installs what is missing, type-checks, builds, then runs the four layers of tests
# (unit in Node, integration in the editor's extension host, end-to-end in the browser, and the
# packaged VSIX installed as a user installs it) and exits non-zero when any of them fails.
# Every layer runs even when an earlier one failed.
set -uo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"
bash test/harness/setup.sh || exit 1
# Never fails: without a usable Python, the notebook tests say why and skip.
bash test/harness/setup-python.sh

# Temporary files of the tools stay inside the repository's ignored output folder.
export TMPDIR="$repo/test-output/tmp"
rm -rf "$repo/test-output"
mkdir -p "$TMPDIR"

npm run --silent typecheck || exit 1
npm run --silent lint || exit 1
# The extension and panels as they ship (minified), with the tests beside them.
node esbuild.mjs --tests --production || exit 1

passed=0
failed=0
skipped=0
failed_layers=()

run_layer() {
  local name="$1"
  shift
  printf '\n=== %s tests ===\n' "$name"
  local log="$repo/test-output/$name.log"
  "$@" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  local layer_passed layer_failed layer_skipped
  layer_passed=$(grep -Eo '^ +[0-9]+ passing' "$log" | grep -Eo '[0-9]+' | tail -1)
  layer_failed=$(grep -Eo '^ +[0-9]+ failing' "$log" | grep -Eo '[0-9]+' | tail -1)
  layer_skipped=$(grep -Eo '^ +[0-9]+ pending' "$log" | grep -Eo '[0-9]+' | tail -1)
  passed=$((passed + ${layer_passed:-0}))
  failed=$((failed + ${layer_failed:-0}))
  skipped=$((skipped + ${layer_skipped:-0}))
  # A layer that crashed before reporting, or reported no test at all, is a failure too.
  if [ "$status" -ne 0 ] || [ -z "$layer_passed" ]; then
    failed_layers+=("$name")
  fi
}

run_layer unit npx mocha --config test/unit/.mocharc.json
run_layer integration node out/test/harness/runIntegration.js
run_layer e2e npx mocha --config test/e2e/.mocharc.json
# Last: packaging rebuilds dist/ for production, as a release does.
run_layer vsix npx mocha --config test/vsix/.mocharc.json

leftover=$(pgrep -f "$repo/test-output/" || true)
if [ -n "$leftover" ]; then
  echo "Processes left running by the tests:"
  ps -o pid,args -p $leftover
  failed_layers+=("cleanup")
fi

printf '\nScreenshots: %s\n' "$repo/test-output/screenshots"
if [ ${#failed_layers[@]} -gt 0 ]; then
  printf 'Failed: %s\n' "${failed_layers[*]}"
fi
printf 'total: %d passed, %d failed, %d skipped (each says why above)\n' "$passed" "$failed" "$skipped"
[ ${#failed_layers[@]} -eq 0 ]
