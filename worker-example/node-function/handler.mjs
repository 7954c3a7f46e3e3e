// A Node serverless function (the `(req, res)` shape of node:http, which Vercel, Netlify and most
// Node function hosts call): POST a notification, it is validated and sent, and the answer says
// what happened. The same package as the Worker, imported the same way.
//
//   POST /  { "to": "+233 24 400 0000", "text": "Your order shipped" }
//        or { "message": <any message in the API's wire shape> }
//        or { "notifications": [ ...up to 100 of either ] }
//   → 200 { results: [{ ok, messageId? , error? }] }, 400 for invalid input, 401 without
//     `Authorization: Bearer <NOTIFY_SECRET>` (and always while NOTIFY_SECRET is unset: it sends).
import { timingSafeEqual } from "node:crypto";
import { Sendexa, SendexaError, textMessage, validateMessage } from "sendexa-whatsapp";

const MAX_NOTIFICATIONS = 100;
let wa;

function client() {
  // Created on the first request and reused while the function instance stays warm.
  wa ??= new Sendexa({ token: process.env.SENDEXA_TOKEN, baseUrl: process.env.SENDEXA_BASE_URL || undefined });
  return wa;
}

/** Whether `header` is `Bearer <secret>`, compared in constant time; never true without a secret. */
function authorized(header, secret) {
  const match = /^Bearer +(\S+)$/i.exec(header ?? "");
  if (!match || !secret) return false;
  const [a, b] = [Buffer.from(match[1]), Buffer.from(secret)];
  return a.length === b.length && timingSafeEqual(a, b);
}

function reply(res, status, body) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

function toMessage(n) {
  if (n && typeof n === "object" && "message" in n) return validateMessage(n.message);
  return textMessage(n?.to, n?.text);
}

export default async function handler(req, res) {
  if (req.method !== "POST") return reply(res, 405, { error: { code: "METHOD_NOT_ALLOWED" } });
  if (!authorized(req.headers.authorization, process.env.NOTIFY_SECRET)) {
    return reply(res, 401, { error: { code: "UNAUTHORIZED", message: "Send Authorization: Bearer <NOTIFY_SECRET>." } });
  }
  let body;
  try {
    body = await readJson(req);
  } catch {
    return reply(res, 400, { error: { code: "INVALID_JSON", message: "The body must be JSON." } });
  }
  const list = Array.isArray(body?.notifications) ? body.notifications : [body];
  if (list.length === 0 || list.length > MAX_NOTIFICATIONS) {
    return reply(res, 400, { error: { code: "INVALID_REQUEST", message: `Send 1 to ${MAX_NOTIFICATIONS} notifications.` } });
  }
  let messages;
  try {
    messages = list.map(toMessage);
  } catch (err) {
    if (err instanceof SendexaError) return reply(res, 400, { error: err });
    throw err;
  }
  const outcomes = await client().sendBulk(messages);
  reply(res, 200, {
    results: outcomes.map((o) => (o.ok ? { ok: true, messageId: o.result.messageId } : { ok: false, error: o.error })),
  });
}
