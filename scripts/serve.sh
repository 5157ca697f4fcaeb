#!/usr/bin/env bash
# Serves the playground on http://127.0.0.1:8080, after installing what the build needs
# (scripts/install.sh). Trunk rebuilds and reloads the page when a source file changes.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh serve
export PATH="$PWD/node_modules/binaryen/bin:$HOME/.cargo/bin:$PATH"
exec trunk serve --offline --release
