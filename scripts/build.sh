#!/usr/bin/env bash
# Builds the npm package into pkg/ the way the crate's users build wasm crates: `wasm-pack build`
# for the web and nodejs targets (release: wasm-opt -Oz with the flags in Cargo.toml's
# [package.metadata.wasm-pack]), then scripts/assemble-pkg.mjs writes the package's entry points
# from that output and pkg-template/. Prints the sizes.
# Usage: scripts/build.sh [--dev]   (--dev: debug wasm, no wasm-opt; for quick local iterations)
#
# --mode no-install: wasm-pack uses the wasm-bindgen that scripts/setup.sh installed (the exact
# version Cargo.lock pins) and fails fast instead of downloading one; wasm-opt is binaryen from npm,
# first on PATH (never Debian's: ../shared/TOOLCHAIN.md, trap 1).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/scripts/node-tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"

profile=--release
if [ "${1:-}" = "--dev" ]; then profile=--dev; fi

# The main build (every feature), and the messages build (no client, no webhooks) for the
# `sendexa-whatsapp/messages` entry.
build() {
  local out=$1; shift
  rm -rf "$out"
  for target in web nodejs; do
    # --no-pack: the package.json and README are assemble-pkg's, not wasm-pack's.
    wasm-pack --quiet build "$profile" --mode no-install --no-pack --target "$target" \
      --out-dir "$out/$target" --out-name sendexa_whatsapp . "$@" 2>&1 |
      { grep -v "failed to get wasm-pack version" || true; }
  done
  # wasm-bindgen writes the same .wasm for both targets; the package ships one.
  cp "$out/web/sendexa_whatsapp_bg.wasm" "$out/sendexa_whatsapp_bg.wasm"
  # The same module before wasm-opt, with its function names, for bench/SIZE.md's breakdown.
  if [ "$profile" = --release ]; then
    wasm-bindgen --target web --out-dir "$out/named" target/wasm32-unknown-unknown/release/sendexa_whatsapp.wasm
  fi
}
build target/bindgen
build target/bindgen-messages --no-default-features

# The browser entry's raw-DEFLATE decoder (crates/inflate): a plain wasm module, no wasm-bindgen.
cargo build -p sendexa-inflate --release --target wasm32-unknown-unknown
wasm-opt -O3 --strip-debug --strip-producers --enable-bulk-memory --enable-sign-ext --enable-mutable-globals \
  -o target/bindgen/inflate.wasm target/wasm32-unknown-unknown/release/sendexa_inflate.wasm

node scripts/assemble-pkg.mjs target/bindgen pkg target/bindgen-messages
