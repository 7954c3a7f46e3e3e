// The universal ES module entry: browsers, Vite, Rollup, Bun, and Node bundlers (esbuild, webpack
// for Node). The .wasm travels inside this module, deflated, so a bundle needs no file beside it
// and no plugin, and instantiation is synchronous: no init() and no top-level await (Vite 5 and 6
// build for targets without it). Runtimes with zlib inflate natively; browsers use web/inflate.js,
// a 5 KB WebAssembly decoder.
import { initSync } from "./web/glue.js";
import { fromBase64, inflateRaw } from "./web/inflate.js";
import { WASM_DEFLATED_BASE64, WASM_SIZE } from "./web/wasm-inline.js";

const deflated = fromBase64(WASM_DEFLATED_BASE64);
// Node ≥ 20.16, Bun and Deno lend their zlib without an import (so browser bundles see none).
const zlib = globalThis.process?.getBuiltinModule?.("node:zlib");
initSync({ module: zlib ? zlib.inflateRawSync(deflated) : inflateRaw(deflated, WASM_SIZE) });

export * from "./web/glue.js";
