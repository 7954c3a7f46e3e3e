// A raw DEFLATE (RFC 1951) decoder, for the entries that carry the .wasm inline: bundles that
// cannot load a file beside the package (a Node function zipped alone, Vite and Rollup with no
// plugins) get the module as base64 of its deflated bytes, as small over the wire as the gzipped
// .wasm, and inflate it synchronously so no `init()` and no top-level await is needed. Where the
// runtime has zlib (Node, Bun, Deno), the entry uses it instead; this is the browser path.

const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DISTANCE_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DISTANCE_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
const CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/**
 * A canonical Huffman code as a lookup table indexed by the next `bits` input bits (least
 * significant first): each entry is `symbol << 4 | codeLength`, 0 where no code matches.
 */
function huffmanTable(lengths) {
  let bits = 0;
  for (const length of lengths) if (length > bits) bits = length;
  const count = new Uint16Array(16);
  for (const length of lengths) count[length]++;
  count[0] = 0;
  const nextCode = new Uint16Array(16);
  for (let length = 1, code = 0; length <= bits; length++) {
    code = (code + count[length - 1]) << 1;
    nextCode[length] = code;
  }
  const entries = new Uint32Array(1 << bits);
  for (let symbol = 0; symbol < lengths.length; symbol++) {
    const length = lengths[symbol];
    if (length === 0) continue;
    // The code's bits are sent most significant first: reverse them to index by input order.
    let code = nextCode[length]++;
    let reversed = 0;
    for (let i = 0; i < length; i++, code >>= 1) reversed = (reversed << 1) | (code & 1);
    for (let i = reversed; i < entries.length; i += 1 << length) entries[i] = (symbol << 4) | length;
  }
  return { entries, mask: (1 << bits) - 1, bits };
}

let fixed;
function fixedTables() {
  if (!fixed) {
    const lengths = new Uint8Array(288);
    lengths.fill(8, 0, 144).fill(9, 144, 256).fill(7, 256, 280).fill(8, 280, 288);
    fixed = [huffmanTable(lengths), huffmanTable(new Uint8Array(30).fill(5))];
  }
  return fixed;
}

/** Inflates raw DEFLATE `input` into exactly `size` bytes. Throws on malformed input. */
export function inflateRaw(input, size) {
  const out = new Uint8Array(size);
  let at = 0; // next input byte (reads past the end give 0 bits: \`undefined << n\` is 0)
  let bitBuffer = 0;
  let bitCount = 0;
  let written = 0;
  // The hot loop below refills inline: a function call per symbol costs more than the decoding
  // while the code still runs in the interpreter, which is all of a cold start.
  const take = (n) => {
    while (bitCount < n) {
      bitBuffer |= input[at++] << bitCount;
      bitCount += 8;
    }
    const value = bitBuffer & ((1 << n) - 1);
    bitBuffer >>>= n;
    bitCount -= n;
    return value;
  };
  const decode = (table) => {
    while (bitCount < table.bits) {
      bitBuffer |= input[at++] << bitCount;
      bitCount += 8;
    }
    const entry = table.entries[bitBuffer & table.mask];
    if (entry === 0) throw new Error("inflate: invalid Huffman code");
    bitBuffer >>>= entry & 15;
    bitCount -= entry & 15;
    return entry >>> 4;
  };

  for (let last = 0; !last; ) {
    last = take(1);
    const type = take(2);
    if (type === 0) {
      // Stored: give back the whole bytes already buffered, then copy LEN bytes.
      at -= bitCount >> 3;
      bitBuffer = 0;
      bitCount = 0;
      const length = input[at] | (input[at + 1] << 8);
      at += 4;
      if (at + length > input.length || written + length > size) throw new Error("inflate: stored block out of bounds");
      out.set(input.subarray(at, at + length), written);
      at += length;
      written += length;
      continue;
    }
    let literals, distances;
    if (type === 1) {
      [literals, distances] = fixedTables();
    } else if (type === 2) {
      const literalCount = take(5) + 257;
      const distanceCount = take(5) + 1;
      const codeLengthCount = take(4) + 4;
      const codeLengths = new Uint8Array(19);
      for (let i = 0; i < codeLengthCount; i++) codeLengths[CODE_LENGTH_ORDER[i]] = take(3);
      const codeLengthTable = huffmanTable(codeLengths);
      const lengths = new Uint8Array(literalCount + distanceCount);
      for (let i = 0; i < lengths.length; ) {
        const symbol = decode(codeLengthTable);
        if (symbol < 16) {
          lengths[i++] = symbol;
          continue;
        }
        let repeat, value = 0;
        if (symbol === 16) {
          if (i === 0) throw new Error("inflate: repeat with no previous length");
          value = lengths[i - 1];
          repeat = 3 + take(2);
        } else if (symbol === 17) {
          repeat = 3 + take(3);
        } else {
          repeat = 11 + take(7);
        }
        if (i + repeat > lengths.length) throw new Error("inflate: code lengths overflow");
        lengths.fill(value, i, i + repeat);
        i += repeat;
      }
      literals = huffmanTable(lengths.subarray(0, literalCount));
      distances = huffmanTable(lengths.subarray(literalCount));
    } else {
      throw new Error("inflate: invalid block type");
    }
    const literalEntries = literals.entries;
    const literalMask = literals.mask;
    const distanceEntries = distances.entries;
    const distanceMask = distances.mask;
    for (;;) {
      // 24 bits cover a literal/length code (≤ 15) and its extra bits (≤ 5).
      while (bitCount < 24) {
        bitBuffer |= input[at++] << bitCount;
        bitCount += 8;
      }
      let entry = literalEntries[bitBuffer & literalMask];
      if (entry === 0) throw new Error("inflate: invalid Huffman code");
      bitBuffer >>>= entry & 15;
      bitCount -= entry & 15;
      const symbol = entry >>> 4;
      if (symbol < 256) {
        if (written >= size) throw new Error("inflate: output overflow");
        out[written++] = symbol;
        continue;
      }
      if (symbol === 256) break;
      const lengthCode = symbol - 257;
      if (lengthCode >= 29) throw new Error("inflate: invalid length code");
      const lengthBits = LENGTH_EXTRA[lengthCode];
      const length = LENGTH_BASE[lengthCode] + (bitBuffer & ((1 << lengthBits) - 1));
      bitBuffer >>>= lengthBits;
      bitCount -= lengthBits;
      // A distance code (≤ 15 bits), then its extra bits (≤ 13): refill before each.
      while (bitCount < 24) {
        bitBuffer |= input[at++] << bitCount;
        bitCount += 8;
      }
      entry = distanceEntries[bitBuffer & distanceMask];
      if (entry === 0) throw new Error("inflate: invalid Huffman code");
      bitBuffer >>>= entry & 15;
      bitCount -= entry & 15;
      const distanceCode = entry >>> 4;
      if (distanceCode >= 30) throw new Error("inflate: invalid distance code");
      const distanceBits = DISTANCE_EXTRA[distanceCode];
      while (bitCount < distanceBits) {
        bitBuffer |= input[at++] << bitCount;
        bitCount += 8;
      }
      const distance = DISTANCE_BASE[distanceCode] + (bitBuffer & ((1 << distanceBits) - 1));
      bitBuffer >>>= distanceBits;
      bitCount -= distanceBits;
      if (distance > written || written + length > size) throw new Error("inflate: copy out of bounds");
      if (length >= 32 && distance >= length) {
        out.copyWithin(written, written - distance, written - distance + length);
        written += length;
      } else {
        // Overlapping: each byte may be one this copy has just written.
        for (let from = written - distance, end = written + length; written < end; ) out[written++] = out[from++];
      }
    }
  }
  if (written !== size) throw new Error("inflate: output shorter than expected");
  return out;
}
