// Raw DEFLATE for the universal entry (browser.mjs) in runtimes without zlib, i.e. browsers: the
// package's .wasm travels in that entry deflated and in base64, so bundles need no file beside them
// and no top-level await. The decoder is crates/inflate, a 5 KB WebAssembly module of its own
// (inline below, put there by scripts/assemble-pkg.mjs): compiled, it inflates the 430 KB .wasm in
// a few milliseconds, where a decoder in JavaScript spends most of a cold start interpreted.

const INFLATER_BASE64 = "__INFLATER_BASE64__";
// crates/inflate's TABLE_WORDS: the Huffman tables' room, in 32-bit words.
const TABLE_WORDS = 2 * (1 << 15) + (1 << 7);
const ERRORS = ["", "the stream is malformed", "the stream's size is not the expected one", "no room for the tables"];

/** Base64 to bytes, natively where the runtime can. */
export function fromBase64(text) {
  if (typeof Uint8Array.fromBase64 === "function") return Uint8Array.fromBase64(text);
  if (typeof globalThis.Buffer === "function") return globalThis.Buffer.from(text, "base64");
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Inflates raw DEFLATE `input` into exactly `size` bytes. Throws on malformed input. */
export function inflateRaw(input, size) {
  const { memory, inflate, __heap_base } = new WebAssembly.Instance(new WebAssembly.Module(fromBase64(INFLATER_BASE64))).exports;
  // Tables, then input, then output, past the module's own data and stack.
  const tables = (__heap_base.value + 7) & ~7;
  const at = tables + TABLE_WORDS * 4;
  const out = at + input.length;
  const missing = out + size - memory.buffer.byteLength;
  if (missing > 0) memory.grow(Math.ceil(missing / 65536));
  new Uint8Array(memory.buffer, at, input.length).set(input);
  const status = inflate(at, input.length, out, size, tables);
  if (status !== 0) throw new Error(`inflate: ${ERRORS[status] ?? "failed"}`);
  return new Uint8Array(memory.buffer, out, size).slice();
}
