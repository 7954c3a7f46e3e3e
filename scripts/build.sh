#!/usr/bin/env bash
# Builds the npm package into pkg/: one release .wasm (wasm-opt -Oz), the Node (CommonJS) and web
# (ES module) glue from wasm-bindgen, and the entry points from pkg-template/. Prints the sizes.
# Usage: scripts/build.sh [--dev]   (--dev: debug wasm, no wasm-opt; for quick local iterations)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/scripts/node-tools/node_modules/.bin:$PATH"

profile=release
cargo_flags=(--release)
if [ "${1:-}" = "--dev" ]; then profile=debug; cargo_flags=(); fi

cargo build --lib --target wasm32-unknown-unknown "${cargo_flags[@]}"
wasm="target/wasm32-unknown-unknown/$profile/sendexa_whatsapp.wasm"

out=target/bindgen
rm -rf "$out"
# The .wasm wasm-bindgen writes is the same for both targets; the glue differs.
wasm-bindgen --target nodejs --out-dir "$out/nodejs" "$wasm"
wasm-bindgen --target web --out-dir "$out/web" "$wasm"

if [ "$profile" = release ]; then
  # Rust 1.95's wasm32 target emits these features; wasm-opt must be told it may keep them.
  wasm-opt -Oz --strip-debug --strip-producers \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    -o "$out/sendexa_whatsapp_bg.wasm" "$out/web/sendexa_whatsapp_bg.wasm"
else
  cp "$out/web/sendexa_whatsapp_bg.wasm" "$out/sendexa_whatsapp_bg.wasm"
fi

node scripts/assemble-pkg.mjs "$out" pkg
