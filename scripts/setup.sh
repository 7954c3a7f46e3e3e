#!/usr/bin/env bash
# Installs, idempotently, everything `make build`, `make test` and `make demo` need on a fresh machine
# of this project's kind (see ../shared/TOOLCHAIN.md). Each step checks first, so a second run takes
# seconds. Usage: scripts/setup.sh [--browser]   (--browser also installs Chromium + ChromeDriver)
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf 'setup: %s\n' "$*"; }
want_browser=0
[ "${1:-}" = "--browser" ] && want_browser=1

# 1. Rust: the wasm target and the lint/format components.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
for component in clippy rustfmt; do
  if ! rustup component list --installed | grep -q "^$component"; then
    rustup component add "$component"
  fi
done

# 2. wasm-bindgen CLI at exactly the version Cargo.lock pins (the crate pins it with `=`).
if [ ! -f Cargo.lock ]; then cargo generate-lockfile; fi
wb_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$wb_version" ]; then
  log "installing wasm-bindgen-cli $wb_version (a few minutes, once)"
  # Not --locked: its lockfile pins a crate version this registry lacks (TOOLCHAIN.md trap 4).
  cargo install wasm-bindgen-cli --version "$wb_version"
fi

# 3. wasm-pack, the build and test driver the crate's users know (scripts/build.sh, scripts/test.sh
#    run it with --mode no-install, so it uses the tools above and never downloads its own).
wasm_pack_version=0.15.1
if [ "$(wasm-pack --version 2>/dev/null | awk '{print $2}' || true)" != "$wasm_pack_version" ]; then
  log "installing wasm-pack $wasm_pack_version (a few minutes, once)"
  cargo install wasm-pack --version "$wasm_pack_version" --locked
fi

# 4. npm tools: wasm-opt (binaryen 132, never Debian's v108: TOOLCHAIN.md trap 1), workerd, Deno, Bun, tsc.
tools=scripts/node-tools
if [ ! -f "$tools/node_modules/.package-lock.json" ] || [ "$tools/package-lock.json" -nt "$tools/node_modules/.package-lock.json" ]; then
  log "installing npm tools into $tools"
  (cd "$tools" && npm ci --no-audit --no-fund --loglevel=error)
fi

# The consumer matrix's bundlers and frameworks (tests/matrix: esbuild, Vite 5/6/7, webpack, Rollup,
# Next.js, Hono, Express, Fastify), pinned by its package-lock.json.
matrix=tests/matrix
if [ ! -f "$matrix/node_modules/.package-lock.json" ] || [ "$matrix/package-lock.json" -nt "$matrix/node_modules/.package-lock.json" ]; then
  log "installing the consumer matrix's bundlers and frameworks into $matrix"
  (cd "$matrix" && npm ci --no-audit --no-fund --loglevel=error)
fi

# 5. Chromium + ChromeDriver from Debian, for the browser suites.
if [ "$want_browser" = 1 ] && { ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; }; then
  log "installing chromium and chromium-driver"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver
fi

# Debian's binaryen would be picked up by tools that look for wasm-opt on PATH and corrupts the
# externref table; the Makefile puts the npm one first, but say so loudly if it is installed.
if dpkg -s binaryen >/dev/null 2>&1; then
  log "warning: Debian's binaryen is installed; scripts/node-tools/node_modules/.bin/wasm-opt is used instead"
fi
