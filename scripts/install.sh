#!/usr/bin/env bash
# Installs what Kubeplay needs to build and test, on a fresh Debian machine, as root.
# Idempotent and quiet: a step whose tool is already there at the right version prints nothing.
#
#   scripts/install.sh serve   the wasm target, wasm-bindgen-cli, trunk, node packages (wasm-opt)
#   scripts/install.sh test    all of the above, plus Debian's chromium and chromium-driver
set -euo pipefail
cd "$(dirname "$0")/.."

want=${1:-test}
TRUNK_VERSION=0.21.14
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf 'install: %s\n' "$*" >&2; }

# The wasm-bindgen CLI must be exactly the version of the crate in Cargo.lock.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown >/dev/null
fi

wb=$(wasm_bindgen_version)
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $wb" ]; then
  say "installing wasm-bindgen-cli $wb (about 2 minutes)"
  # Not --locked: the CLI's own lock file names a crate version the registry lacks.
  cargo install --quiet --force wasm-bindgen-cli --version "$wb"
fi

if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (about 12 minutes)"
  cargo install --quiet --force trunk --version "$TRUNK_VERSION" --locked
fi

# node_modules: binaryen (wasm-opt 132, which parses what Rust 1.95 emits) and playwright-core.
# Re-run npm ci only when the lock file changed since the last install.
if ! cmp -s package-lock.json node_modules/.kubeplay-lock 2>/dev/null; then
  say "installing node packages from package-lock.json"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >/dev/null
  cp package-lock.json node_modules/.kubeplay-lock
fi

if [ "$want" = test ]; then
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    say "installing Debian's chromium and chromium-driver"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
  fi
fi
