// Browsers and bundlers: fetch the .wasm that sits next to this file (bundlers rewrite the
// `new URL(…, import.meta.url)` into their asset URL) and instantiate it before the module's
// exports are used, so callers need no init().
import init from "./web/sendexa_whatsapp.js";

await init({ module_or_path: new URL("./sendexa_whatsapp_bg.wasm", import.meta.url) });

export * from "./web/sendexa_whatsapp.js";
