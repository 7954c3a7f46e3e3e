// The inflater the universal entry uses in browsers (pkg/web/inflate.js: crates/inflate's
// WebAssembly module, loaded by pkg-template/lib/inflate.js), against zlib: every block type
// (stored, fixed, dynamic), every level, overlapping and long copies, and the package's own .wasm;
// malformed input is an error, never a wrong answer, a trap or a hang. Needs `make build`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { constants, deflateRawSync } from "node:zlib";
import { inflateRaw } from "../../pkg/web/inflate.js";

const wasm = new URL("../../pkg/sendexa_whatsapp_bg.wasm", import.meta.url);
const samples = {
  empty: Buffer.alloc(0),
  "one byte": Buffer.from("a"),
  random: randomBytes(70_000),
  "one repeated byte": Buffer.alloc(300_000, 7),
  "short period": Buffer.from("abcabcabd".repeat(20_000)),
  text: Buffer.from(readFileSync(new URL("../../README.md", import.meta.url), "utf8").repeat(3)),
};
if (existsSync(wasm)) samples["the package's .wasm"] = readFileSync(wasm);

for (const [name, data] of Object.entries(samples)) {
  test(`inflates ${name} as zlib deflated it, at every level and strategy`, () => {
    for (const level of [0, 1, 6, 9]) {
      for (const strategy of [constants.Z_DEFAULT_STRATEGY, constants.Z_FIXED, constants.Z_HUFFMAN_ONLY, constants.Z_RLE]) {
        const packed = deflateRawSync(data, { level, strategy });
        assert.ok(Buffer.from(inflateRaw(packed, data.length)).equals(data), `level ${level}, strategy ${strategy}`);
      }
    }
  });
}

test("refuses a size that does not match, and malformed streams", () => {
  const data = Buffer.from("hello hello hello hello");
  const packed = deflateRawSync(data);
  assert.throws(() => inflateRaw(packed, data.length - 1), /inflate:/);
  assert.throws(() => inflateRaw(packed, data.length + 1), /inflate:/);
  assert.throws(() => inflateRaw(Uint8Array.of(0b111), 10), /inflate: the stream is malformed/);
  // Every truncation and every single-bit flip of a real stream ends in an answer or an error.
  const text = samples.text.subarray(0, 4000);
  const stream = deflateRawSync(text, { level: 9 });
  for (let cut = 0; cut < stream.length; cut += 97) {
    assert.throws(() => inflateRaw(stream.subarray(0, cut), text.length), /inflate:/);
  }
  for (let bit = 0; bit < stream.length * 8; bit += 61) {
    const flipped = Uint8Array.from(stream);
    flipped[bit >> 3] ^= 1 << (bit & 7);
    try {
      inflateRaw(flipped, text.length);
    } catch (err) {
      assert.match(err.message, /^inflate: /);
    }
  }
});
