#!/usr/bin/env bash
# Runs every test Kubeplay has, after installing what they need (scripts/install.sh):
#   formatting; native unit and scenario tests; the core compiled to wasm and tested in
#   headless Chromium (wasm-bindgen-test); the page built with Trunk and driven end to end
#   in headless Chromium (playwright-core).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh test
export PATH="$PWD/node_modules/binaryen/bin:$HOME/.cargo/bin:$PATH"

step() { printf '\n== %s\n' "$*"; }

step "formatting"
cargo fmt --all -- --check

step "native unit and scenario tests"
cargo test --locked
# The page's own logic (the crash journal) runs natively too.
cargo test --locked -p kubeplay-web

# With --release: the profile the page ships (opt-level z, LTO, overflow checks, panics abort).
step "every scenario in headless Chromium, built as the page is (wasm-bindgen-test)"
CHROMEDRIVER=/usr/bin/chromedriver \
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test --locked --release -p kubeplay --target wasm32-unknown-unknown --test wasm_parity

step "the page, built"
trunk build --offline --release

step "the page, end to end in headless Chromium"
node --test tests/e2e/
