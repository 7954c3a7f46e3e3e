// POST /notify: an authenticated trigger. Validates every notification with the SDK (a bad phone
// number or message is a 400 listing the SDK's issues), queues them, and answers 202 at once.
//
// Body: one notification or `{ "notifications": [...] }` (up to 1,000). A notification is
//   { "message": <any message in the API's wire shape> }
// or a shorthand: { "to": "+233 24 400 0000", "text": "Your order shipped" }.
// Optional per notification: "fallback": { "name", "language", "components"? } — the template to
// send instead if the recipient's 24-hour window is closed (default: FALLBACK_TEMPLATE);
// "preflightMedia": true — a media message's link is checked by its headers when it is sent
// (`send`'s preflightMedia): a broken link is dead-lettered with its issues and nothing is sent.
import { SendexaError, textMessage, validateMessage } from "sendexa-whatsapp";

const MAX_PER_REQUEST = 1000;
const QUEUE_BATCH = 100; // Queues take at most 100 messages per sendBatch.

/** A JSON answer (also the campaign routes'). */
export function json(body, status = 200) {
  return Response.json(body, { status });
}

/** Constant-time comparison, so the secret cannot be guessed byte by byte from timings. */
function sameSecret(given, expected) {
  const a = new TextEncoder().encode(given);
  const b = new TextEncoder().encode(expected);
  if (a.length !== b.length || b.length === 0) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

function toMessage(notification) {
  if (notification && typeof notification === "object" && "message" in notification) {
    return validateMessage(notification.message);
  }
  if (notification && typeof notification.to === "string" && typeof notification.text === "string") {
    return textMessage(notification.to, notification.text);
  }
  throw new SendexaError('A notification is { "message": {...} } or { "to": "...", "text": "..." }.', {
    code: "INVALID_MESSAGE",
  });
}

/**
 * Whether the request carries `Authorization: Bearer <NOTIFY_SECRET>`: the scheme is required (a
 * bare secret is refused), and nothing gets in while NOTIFY_SECRET is unset or empty.
 */
export function authorized(request, env) {
  const match = /^Bearer +(\S+)$/i.exec(request.headers.get("authorization") ?? "");
  return match !== null && sameSecret(match[1], env.NOTIFY_SECRET ?? "");
}

/** The 401 every route behind the bearer answers. */
export function unauthorized() {
  return json({ error: { code: "UNAUTHORIZED", message: "Send Authorization: Bearer <NOTIFY_SECRET>." } }, 401);
}

/**
 * The JSON body of a request to a bearer route: `{ body }`, or `{ refusal }`, the 401 or 400 to
 * answer instead.
 */
export async function authorizedBody(request, env) {
  if (!authorized(request, env)) return { refusal: unauthorized() };
  try {
    return { body: await request.json() };
  } catch {
    return { refusal: json({ error: { code: "INVALID_JSON", message: "The body must be JSON." } }, 400) };
  }
}

export async function notify(request, env) {
  const { body, refusal } = await authorizedBody(request, env);
  if (refusal) return refusal;
  const list = Array.isArray(body?.notifications) ? body.notifications : [body];
  if (list.length === 0 || list.length > MAX_PER_REQUEST) {
    return json({ error: { code: "INVALID_REQUEST", message: `Send 1 to ${MAX_PER_REQUEST} notifications.` } }, 400);
  }

  const queued = [];
  const rejected = [];
  for (const [index, notification] of list.entries()) {
    try {
      queued.push({
        id: crypto.randomUUID(),
        message: toMessage(notification),
        fallback: notification.fallback,
        ...(notification.preflightMedia === true ? { preflightMedia: true } : {}),
      });
    } catch (err) {
      if (!(err instanceof SendexaError)) throw err;
      rejected.push({ index, code: err.code, message: err.message, issues: err.issues });
    }
  }
  // All or nothing: a caller fixing one bad entry should not have to work out which were sent.
  if (rejected.length > 0) return json({ error: { code: "INVALID_NOTIFICATIONS", rejected } }, 400);

  for (let i = 0; i < queued.length; i += QUEUE_BATCH) {
    await env.NOTIFICATIONS.sendBatch(queued.slice(i, i + QUEUE_BATCH).map((body) => ({ body })));
  }
  return json({ queued: queued.length, ids: queued.map((n) => n.id) }, 202);
}
