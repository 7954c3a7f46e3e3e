// `sendexa-whatsapp/web`: the glue with an explicit loader, for set-ups that load the .wasm their
// own way. Call `initSync({ module })` with a WebAssembly.Module or bytes, or `await init(input)`
// with a Module, bytes, a Response, a URL or a path (default: the .wasm beside this package).
import { initSync } from "./glue.js";

export * from "./glue.js";

export default async function init(input) {
  if (input !== null && typeof input === "object" && Object.getPrototypeOf(input) === Object.prototype) {
    ({ module_or_path: input } = input);
  }
  let source = await (input ?? new URL("../sendexa_whatsapp_bg.wasm", import.meta.url));
  if (typeof source === "string" || source instanceof URL || (typeof Request === "function" && source instanceof Request)) {
    source = await fetch(source);
  }
  if (typeof Response === "function" && source instanceof Response) {
    if (!source.ok) throw new Error(`sendexa-whatsapp could not load its WebAssembly: ${source.status} fetching ${source.url}`);
    source = await source.arrayBuffer();
  }
  const compiled = Object.prototype.toString.call(source) === "[object WebAssembly.Module]";
  return initSync({ module: compiled ? source : await WebAssembly.compile(source) });
}
