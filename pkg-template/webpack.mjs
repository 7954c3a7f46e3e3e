// webpack for the browser: the gzipped .wasm is emitted as an asset (under webpack's 244 KiB size
// hint, which the 420 KB .wasm or the inline entry would exceed), fetched and compiled before the
// module's exports are used. webpack ≥ 5.83 supports the top-level await by default.
import { initSync } from "./web/glue.js";

const url = new URL("./sendexa_whatsapp_bg.wasm.gz", import.meta.url);
const response = await fetch(url);
if (!response.ok) {
  throw new Error(`sendexa-whatsapp could not load its WebAssembly: ${response.status} fetching ${url}`);
}
let bytes = new Uint8Array(await response.arrayBuffer());
// A server that sends the file with `Content-Encoding: gzip` has already inflated it.
if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
  const inflated = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  bytes = new Uint8Array(await new Response(inflated).arrayBuffer());
}
initSync({ module: await WebAssembly.compile(bytes) });

export * from "./web/glue.js";
