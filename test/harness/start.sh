#!/usr/bin/env bash
# `npm start`: installs what is missing, builds the extension and serves it in code-server.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"
bash test/harness/setup.sh
node esbuild.mjs --tests
exec node out/test/harness/serve.js
