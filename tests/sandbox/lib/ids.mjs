// Identifiers, canonical JSON hashing and a seeded PRNG.
import { createHash, randomBytes } from "node:crypto";

// A random per-process prefix plus a counter: unique, cheap at thousands of ids per second.
const PREFIX = randomBytes(4).toString("hex");
let counter = 0;
function next() {
  counter = (counter + 1) % 0x7fffffff;
  return counter.toString(36).padStart(6, "0");
}
function rand(n) {
  return randomBytes(n).toString("hex");
}

export const ids = {
  request: () => `req_${PREFIX}${next()}`,
  message: (nowMs) => `exa_wa_${Math.floor(nowMs / 1000)}_${PREFIX}${next()}`,
  resend: (nowMs) => `exa_wa_resend_${Math.floor(nowMs / 1000)}_${PREFIX}${next()}`,
  inbound: (nowMs) => `exa_wa_in_${Math.floor(nowMs / 1000)}_${PREFIX}${next()}`,
  // Meta's wamids are base64 blobs starting "HBg"; the shape, not the content, matters here.
  wamid: () => `wamid.HBgL${Buffer.from(PREFIX + next() + rand(6)).toString("base64url")}`,
  template: () => rand(6),
  webhook: () => `whk_${PREFIX}${next()}`,
  conversation: () => `conv_${rand(6)}`,
};

/** JSON with object keys sorted recursively and no whitespace: a stable form to hash. */
export function canonicalJson(value) {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(",")}}`;
}

/** sha256 hex of the canonical JSON of a request body: equal content, equal hash. */
export function contentHash(value) {
  return createHash("sha256").update(canonicalJson(value)).digest("hex");
}

/** mulberry32: tiny, seedable, good enough to make fault mixes reproducible. */
export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
