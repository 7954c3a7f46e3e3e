#!/usr/bin/env node
// Webhook throughput: verify the HMAC-SHA256 signature of a 2 KB body and parse it, per second.
// Ours: verifyWebhook({ body, headers, secret }) + parseWebhook(body), on the raw bytes (a Buffer,
// as node:http gives them). Peers: node:crypto's HMAC (native code) with timingSafeEqual +
// JSON.parse, and whatsapp-api-js's verifyRequestSignature (WebCrypto, async) + JSON.parse.
import { createHmac, timingSafeEqual } from "node:crypto";
import { join } from "node:path";
import { alternate, benchDir, emit, opsPerSecond, opsPerSecondAsync } from "./lib/common.mjs";
import { loadOurs } from "./lib/subjects.mjs";

const ours = await loadOurs();
const { WhatsAppAPI } = await import(join(benchDir, "node_modules/whatsapp-api-js/lib/index.js"));
const SECRET = "whsec_bench_0123456789abcdef";

// An inbound text message as Sendexa delivers it, its text padded so the body is 2,048 bytes.
const event = (text) => ({
  event: "message.received",
  messageId: "exa_wa_in_1",
  wamid: "wamid.HBgMMjMzMjQ0MDAwMDAwFQIAEhggQjQ1RTY3",
  from: "233244000000",
  type: "text",
  text: { body: text },
  timestamp: "2024-01-15T10:31:00Z",
  contact: { name: "Ama Mensah", phone: "233244000000" },
  context: { messageId: "exa_wa_1", wamid: "wamid.A" },
});
const pad = 2048 - JSON.stringify(event("")).length;
const body = Buffer.from(JSON.stringify(event("Hello, is my order on its way? ".repeat(100).slice(0, pad))));
if (body.length !== 2048) throw new Error(`body is ${body.length} bytes`);
const hex = createHmac("sha256", SECRET).update(body).digest("hex");
const headers = { "x-signature": `sha256=${hex}` };

function oursOnce() {
  if (!ours.verifyWebhook({ body, headers, secret: SECRET })) throw new Error("ours: bad signature");
  return ours.parseWebhook(body);
}
function cryptoOnce() {
  const sig = Buffer.from(headers["x-signature"].slice(7), "hex");
  const mac = createHmac("sha256", SECRET).update(body).digest();
  if (sig.length !== mac.length || !timingSafeEqual(sig, mac)) throw new Error("crypto: bad signature");
  return JSON.parse(body.toString("utf8"));
}
const api = new WhatsAppAPI({ token: "bench", appSecret: SECRET, v: "v23.0" });
const text = body.toString("utf8");
async function waOnce() {
  if (!(await api.verifyRequestSignature(text, headers["x-signature"]))) throw new Error("whatsapp-api-js: bad signature");
  return JSON.parse(text);
}

oursOnce();
cryptoOnce();
await waOnce();
const [a, b, c] = await alternate([
  (ms) => opsPerSecond(oursOnce, { ms }),
  (ms) => opsPerSecond(cryptoOnce, { ms }),
  (ms) => opsPerSecondAsync(waOnce, { ms }),
]);
const name = "webhook verify + parse, 2 KB body";
emit({ name, value: a, unit: "webhooks/s", peer: { name: "node:crypto HMAC + JSON.parse", value: b }, target: "ratio>=0.5", better: "higher" });
emit({ name: `${name} (vs whatsapp-api-js)`, value: a, unit: "webhooks/s", peer: { name: "whatsapp-api-js verifyRequestSignature + JSON.parse", value: c }, target: "ratio>=1", better: "higher" });
