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
let memoryWords = new Uint32Array(0);
// The names `phoneValidations` has read from wasm memory, by address: regions and reasons are
// strings that live as long as the instance, so each is read once.
const names = new Map();

function bytes() {
  if (memoryBytes.byteLength === 0) memoryBytes = new Uint8Array(memory.buffer);
  return memoryBytes;
}

function words() {
  if (memoryWords.byteLength === 0) memoryWords = new Uint32Array(memory.buffer);
  return memoryWords;
}

/** @param {WebAssembly.Memory} wasmMemory */
export function shareMemory(wasmMemory) {
  memory = wasmMemory;
  memoryBytes = new Uint8Array(0);
  memoryWords = new Uint32Array(0);
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

// `listDraft`'s word for an optional field left out (`ABSENT` in the Rust core).
const ABSENT = 0xffffffff;
const encoder = new TextEncoder();

const plainObject = (value) => value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype;

/**
 * `listMessage(to, spec)`'s common call: when `spec` is plain data (plain objects and arrays,
 * well-formed strings, only the spec's own fields, no `replyTo`, a string header if any), its
 * shape for the Rust side's checks (`list_message_recipient`) and the message as it will be sent,
 * `to` left to `withRecipient`; `undefined` for anything else, which takes the general path.
 * The shape goes to wasm memory: at word `address / 4`, the count of shape words and the byte
 * length of the ids, then the words (UTF-16 lengths, `ABSENT` for an optional field left out);
 * at `idsAddress`, the row ids as UTF-8, each ended by a NUL. Nothing here decides validity.
 * @param {unknown} spec
 * @param {number} address
 * @param {number} capacity words at `address`
 * @param {number} idsAddress
 * @param {number} idsCapacity bytes at `idsAddress`
 */
export function listDraft(spec, address, capacity, idsAddress, idsCapacity) {
  return drafted(draftList, spec, address, capacity, idsAddress, idsCapacity);
}

/** `draft`'s answer for `spec`, `undefined` when reading the spec threw (the general path reports it). */
function drafted(draft, spec, address, capacity, stringsAddress, stringsCapacity) {
  try {
    return draft(spec, address >>> 2, capacity, stringsAddress, stringsCapacity);
  } catch {
    return undefined;
  }
}

/**
 * Ends a shape begun at word `at` whose words run to `n`: writes `strings` (UTF-8) at
 * `stringsAddress`, then the two counts at `at`. False when the strings do not fit.
 */
function closeShape(w, at, n, strings, stringsAddress, stringsCapacity) {
  const { read, written } = encoder.encodeInto(strings, bytes().subarray(stringsAddress, stringsAddress + stringsCapacity));
  if (read !== strings.length) return false;
  w[at] = n - at - 2;
  w[at + 1] = written;
  return true;
}

function draftList(spec, at, capacity, idsAddress, idsCapacity) {
  if (!plainObject(spec)) return undefined;
  let body, button, header, footer, sections;
  for (const key of Object.keys(spec)) {
    const value = spec[key];
    if (key === "body") body = value;
    else if (key === "button") button = value;
    else if (key === "header") header = value;
    else if (key === "footer") footer = value;
    else if (key === "sections") sections = value;
    else return undefined;
  }
  const [bodyUnits, buttonUnits] = [stringLength(body), stringLength(button)];
  const headerUnits = header === undefined ? ABSENT : stringLength(header);
  const footerUnits = footer === undefined ? ABSENT : stringLength(footer);
  if (bodyUnits < 0 || buttonUnits < 0 || headerUnits < 0 || footerUnits < 0 || !Array.isArray(sections)) return undefined;
  const w = words();
  const end = at + capacity;
  let n = at + 2;
  if (n + 5 > end) return undefined;
  w[n++] = bodyUnits;
  w[n++] = buttonUnits;
  w[n++] = headerUnits;
  w[n++] = footerUnits;
  w[n++] = sections.length;
  let ids = "";
  const outSections = [];
  for (let s = 0; s < sections.length; s++) {
    const section = sections[s];
    if (!plainObject(section) || n + 2 > end) return undefined;
    // Each value is read once, and the copy keeps the caller's key order, as the general path's.
    const outSection = {};
    let title, inRows, rows;
    for (const key of Object.keys(section)) {
      const value = section[key];
      if (key !== "title" && key !== "rows") return undefined;
      if (value === undefined) continue;
      if (key === "title") title = outSection.title = value;
      else (inRows = value), (rows = outSection.rows = []);
    }
    const titleUnits = title === undefined ? ABSENT : stringLength(title);
    if (titleUnits < 0 || !Array.isArray(inRows)) return undefined;
    w[n++] = titleUnits;
    w[n++] = inRows.length;
    for (let r = 0; r < inRows.length; r++) {
      const row = inRows[r];
      if (!plainObject(row) || n + 3 > end) return undefined;
      const outRow = {};
      let id, rowTitle, description;
      for (const key of Object.keys(row)) {
        const value = row[key];
        if (key !== "id" && key !== "title" && key !== "description") return undefined;
        if (value === undefined) continue;
        if (key === "id") id = outRow.id = value;
        else if (key === "title") rowTitle = outRow.title = value;
        else description = outRow.description = value;
      }
      const idUnits = stringLength(id);
      const rowTitleUnits = stringLength(rowTitle);
      const descriptionUnits = description === undefined ? ABSENT : stringLength(description);
      if (idUnits < 0 || rowTitleUnits < 0 || descriptionUnits < 0 || id.includes("\0")) return undefined;
      w[n++] = idUnits;
      w[n++] = rowTitleUnits;
      w[n++] = descriptionUnits;
      ids += id + "\0";
      rows.push(outRow);
    }
    outSections.push(outSection);
  }
  if (!closeShape(w, at, n, ids, idsAddress, idsCapacity)) return undefined;
  const interactive = { type: "list" };
  if (header !== undefined) interactive.header = { type: "text", text: header };
  interactive.body = { text: body };
  if (footer !== undefined) interactive.footer = { text: footer };
  interactive.action = { button, sections: outSections };
  return { to: "", type: "interactive", interactive };
}

// `templateDraft`'s numbering, as `template::parameters::shape_valid` reads it.
const KINDS = ["header", "body", "button"];
const SUB_TYPES = ["quick_reply", "url", "copy_code"];
const STRING_TYPES = ["text", "payload", "coupon_code"];
const INDEX_IS_STRING = 0xfffffffe;

/**
 * `templateMessage(to, spec)`'s common call, as `listDraft` for lists: when `spec` is plain data
 * with a bare `language` code, components of known kinds and sub-types, and parameters whose value
 * is a string (`text`, `payload`, `coupon_code`; no `parameter_name`), its shape (see
 * `shape_valid` in the Rust core) and the message as it will be sent; else `undefined`. At
 * `stringsAddress`: the name, the language and each button index given as a string, as UTF-8,
 * each ended by a NUL. Nothing here decides validity.
 * @param {unknown} spec
 * @param {number} address
 * @param {number} capacity words at `address`
 * @param {number} stringsAddress
 * @param {number} stringsCapacity bytes at `stringsAddress`
 */
export function templateDraft(spec, address, capacity, stringsAddress, stringsCapacity) {
  return drafted(draftTemplate, spec, address, capacity, stringsAddress, stringsCapacity);
}

const noNul = (value) => stringLength(value) >= 0 && !value.includes("\0");

function draftTemplate(spec, at, capacity, stringsAddress, stringsCapacity) {
  if (!plainObject(spec)) return undefined;
  let name, language, components;
  for (const key of Object.keys(spec)) {
    const value = spec[key];
    if (key === "name") name = value;
    else if (key === "language") language = value;
    else if (key === "components") components = value;
    else return undefined;
  }
  if (!noNul(name) || !noNul(language)) return undefined;
  const w = words();
  const end = at + capacity;
  let n = at + 2;
  let strings = name + "\0" + language + "\0";
  const template = { name, language: { code: language } };
  if (components === undefined) w[n++] = ABSENT;
  else {
    if (!Array.isArray(components)) return undefined;
    w[n++] = components.length;
    const outComponents = (template.components = []);
    for (let c = 0; c < components.length; c++) {
      const component = components[c];
      if (!plainObject(component) || n + 4 > end) return undefined;
      // Each value is read once, and the copy keeps the caller's key order.
      const outComponent = {};
      let kind = -1;
      let subType = ABSENT;
      let index = ABSENT;
      let params, outParams;
      for (const key of Object.keys(component)) {
        const value = component[key];
        if (key !== "type" && key !== "sub_type" && key !== "index" && key !== "parameters") return undefined;
        if (value === undefined) continue;
        if (key === "type") {
          kind = KINDS.indexOf(value);
          if (kind < 0) return undefined;
        } else if (key === "sub_type") {
          subType = SUB_TYPES.indexOf(value);
          if (subType < 0) return undefined;
        } else if (key === "index") {
          if (typeof value === "number" && Number.isInteger(value) && value >= 0 && value < INDEX_IS_STRING) index = value;
          else if (noNul(value)) (index = INDEX_IS_STRING), (strings += value + "\0");
          else return undefined;
        } else {
          if (!Array.isArray(value)) return undefined;
          params = value;
          outParams = [];
        }
        outComponent[key] = key === "parameters" ? outParams : value;
      }
      if (kind < 0 || params === undefined) return undefined;
      w[n++] = kind;
      w[n++] = subType;
      w[n++] = index;
      w[n++] = params.length;
      for (let p = 0; p < params.length; p++) {
        const param = params[p];
        if (!plainObject(param) || n + 2 > end) return undefined;
        const outParam = {};
        let type = -1;
        let valueKey, text;
        for (const key of Object.keys(param)) {
          const value = param[key];
          if (key === "type") {
            type = STRING_TYPES.indexOf(value);
            if (type < 0) return undefined;
          } else if (STRING_TYPES.includes(key) && valueKey === undefined) (valueKey = key), (text = value);
          else return undefined;
          outParam[key] = value;
        }
        const units = stringLength(text);
        if (type < 0 || valueKey !== STRING_TYPES[type] || units < 0) return undefined;
        w[n++] = type;
        w[n++] = units;
        outParams.push(outParam);
      }
      outComponents.push(outComponent);
    }
  }
  if (!closeShape(w, at, n, strings, stringsAddress, stringsCapacity)) return undefined;
  return { to: "", type: "template", template };
}

/**
 * A draft of `listDraft`'s or `templateDraft`'s with its recipient: the `len` ASCII digits at
 * `address` (the API form, as the Rust side validated it).
 * @param {{ to: string }} draft
 * @param {number} address
 * @param {number} len
 */
export function withRecipient(draft, address, len) {
  draft.to = asciiAt(address, len);
  return draft;
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
