// Cloudflare Workers (workerd): the runtime compiles the .wasm at deploy time and hands it to us as a
// WebAssembly.Module, so instantiation is synchronous and needs no fetch.
import wasmModule from "./sendexa_whatsapp_bg.wasm";
import { initSync } from "./web/glue.js";

initSync({ module: wasmModule });

export * from "./web/glue.js";
