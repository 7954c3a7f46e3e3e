// Vercel and Next.js edge runtimes (`edge-light`): the bundler turns a `.wasm?module` import into a
// compiled WebAssembly.Module, the one form of WebAssembly those runtimes allow (they refuse to
// compile bytes at run time), so instantiation is synchronous and fetches nothing.
import wasmModule from "./sendexa_whatsapp_bg.wasm?module";
import { initSync } from "./web/glue.js";

initSync({ module: wasmModule });

export * from "./web/glue.js";
