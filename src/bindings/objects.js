// Result objects of the hot exports, built on the JavaScript side. Built from wasm, an object costs
// a boundary crossing per property and a string copy per key and value; here it is one call, and
// strings the caller passed in are reused rather than copied back out. wasm-bindgen imports this
// file as a snippet (like sendexa-error.js); the Rust side decides everything, these only assemble.

/**
 * The UTF-16 length of `value` when it is a well-formed string, else -1: what a length limit needs,
 * without copying the string into wasm memory. A string with a lone surrogate (or a runtime without
 * `isWellFormed` to tell) is -1, so it takes the general path, which rejects lone surrogates.
 * @param {unknown} value
 * @returns {number}
 */
export function stringLength(value) {
  return typeof value === "string" && typeof value.isWellFormed === "function" && value.isWellFormed() ? value.length : -1;
}

// The wasm instance's memory (given once by the Rust side), and a byte view of it, remade after the
// memory grows: growing detaches the old buffer, and a view of a detached buffer has length 0.
let memory = null;
let memoryBytes = new Uint8Array(0);
// The names `phoneValidations` has read from wasm memory, by address: regions and reasons are
// strings that live as long as the instance, so each is read once.
const names = new Map();

function bytes() {
  if (memoryBytes.byteLength === 0) memoryBytes = new Uint8Array(memory.buffer);
  return memoryBytes;
}

/** @param {WebAssembly.Memory} wasmMemory */
export function shareMemory(wasmMemory) {
  memory = wasmMemory;
  memoryBytes = new Uint8Array(0);
  // The names read from another instance's memory would not be this one's.
  names.clear();
}

/**
 * Copies `value` into wasm memory at `address` when it is a string of at most `capacity` ASCII
 * characters, and returns its length; else -1. (A recipient is short and ASCII; the Rust side
 * reads it from its own stack, with no allocation and no UTF-8 encoder.)
 * @param {unknown} value
 * @param {number} address
 * @param {number} capacity
 * @returns {number}
 */
export function asciiInto(value, address, capacity) {
  if (typeof value !== "string" || value.length > capacity) return -1;
  const target = bytes();
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c > 0x7f) return -1;
    target[address + i] = c;
  }
  return value.length;
}

/**
 * The `len` ASCII characters at `address` in wasm memory, as a string.
 * @param {number} address
 * @param {number} len
 * @returns {string}
 */
export function asciiAt(address, len) {
  const source = bytes();
  let text = "";
  for (let i = 0; i < len; i++) text += String.fromCharCode(source[address + i]);
  return text;
}

/**
 * The wire form of a text message, `{ to, type: "text", text: { body } }` (the key order of the
 * general path), around the caller's own body string; `to` is the `len` ASCII digits at `address`
 * (the API form of the recipient, as the Rust side validated it).
 * @param {number} address
 * @param {number} len
 * @param {string} body the caller's body, already checked
 */
export function textMessageAt(address, len, body) {
  return { to: asciiAt(address, len), type: "text", text: { body } };
}

/**
 * `parsePhone`'s result (see `ParsedPhone` in the declarations), from a validated number: the API
 * form's `len` ASCII digits at `address` (the calling code's first), its calling code, region and
 * type.
 * @param {number} address
 * @param {number} len
 * @param {number} countryCode
 * @param {string} region
 * @param {string} type
 */
export function parsedPhone(address, len, countryCode, region, type) {
  const digits = asciiAt(address, len);
  const nationalNumber = digits.slice(String(countryCode).length);
  return { e164: "+" + digits, digits, countryCode, nationalNumber, region, type };
}

/**
 * Every string of `inputs` joined by NULs, so that a batch crosses into wasm as one copy rather
 * than one per input. An input that is not a string, or that holds a NUL, is an empty string: it
 * cannot be a phone number, and an empty one is not one for the same reason (`NOT_A_NUMBER`).
 * @param {ArrayLike<unknown>} inputs
 * @returns {string}
 */
export function joinStrings(inputs) {
  let text = "";
  for (let i = 0; i < inputs.length; i++) {
    const value = inputs[i];
    if (i > 0) text += "\0";
    if (typeof value === "string" && !value.includes("\0")) text += value;
  }
  return text;
}

function nameAt(address, len) {
  let name = names.get(address);
  if (name === undefined) {
    name = asciiAt(address, len);
    names.set(address, name);
  }
  return name;
}

/**
 * `validatePhones`' entries from what the Rust side found, two words per input in order: the
 * address of its name in wasm memory (its region when valid, its reason when not), then the
 * number of digits of its API form (0: invalid) `<< 8 |` the name's length. The API forms of the
 * valid numbers are taken in turn from `digits`.
 * @param {ArrayLike<unknown>} inputs
 * @param {Uint32Array} entries
 * @param {string} digits
 */
export function phoneValidations(inputs, entries, digits) {
  const out = new Array(inputs.length);
  let at = 0;
  for (let i = 0; i < inputs.length; i++) {
    const info = entries[2 * i + 1];
    const name = nameAt(entries[2 * i], info & 0xff);
    const len = info >>> 8;
    if (len > 0) {
      const number = digits.slice(at, (at += len));
      out[i] = { input: inputs[i], valid: true, digits: number, e164: "+" + number, region: name };
    } else {
      out[i] = { input: inputs[i], valid: false, reason: name };
    }
  }
  return out;
}

/**
 * The own enumerable keys of `object`, each after a NUL (`"\0a\0b"`; `""` for none): one copy into
 * wasm for the Rust side to check against the options it accepts, rather than one per key.
 * @param {object} object
 * @returns {string}
 */
export function ownKeys(object) {
  let text = "";
  for (const key of Object.keys(object)) text += keyPart(key);
  return text;
}

/**
 * A key as one part of a NUL-separated list. A NUL inside the key becomes U+2400 (␀), so the key
 * stays one part (no option has either character, so it is still unknown) and the error names it
 * visibly, rather than as the fragments around the NUL.
 * @param {string} key
 */
function keyPart(key) {
  return "\0" + (key.includes("\0") ? key.replaceAll("\0", "\u2400") : key);
}

/**
 * The own enumerable keys of `object` whose values `JSON.stringify` drops (`undefined`, functions,
 * symbols), each after a NUL; `""` for none, and for an object with `toJSON` (its JSON is what
 * that gives). The builders keep these keys as `null`, so a misspelt one is refused whatever its
 * value.
 * @param {object} object
 * @returns {string}
 */
export function droppedKeys(object) {
  if (typeof object.toJSON === "function") return "";
  let text = "";
  for (const key of Object.keys(object)) {
    const value = object[key];
    if (value === undefined || typeof value === "function" || typeof value === "symbol") text += keyPart(key);
  }
  return text;
}
