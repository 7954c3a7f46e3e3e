// The queue consumer: sends each notification with the SDK, at most once.
//
//  sent                       → recorded in the ledger and KV, acknowledged
//  window closed (WA003)      → sent as the fallback template instead
//  not accepted (429 / WA005) → the claim is released and the Queue retries later
//  outcome unknown            → (timeout, dropped connection, 5xx after sending) dead-letter queue,
//                               never retried: the message may have gone out
//  rejected for good          → dead-letter queue (bad number, not on WhatsApp, a media link that
//                               failed its preflight check: INVALID_MEDIA with the issues, unsent)
//
// Resend jobs (`{ kind: "resend", id, messageId, attempt }`, queued by the recovery ledger with the
// schedule's delay) are claimed the same way, so a redelivered job never resends twice:
//  resent (200, or 202 scheduled) → recorded in the ledger
//  not accepted (429, 409 in progress) → released and retried later
//  refused for good (400: limit, 48 h, WA003, WA004, …) → recorded as the stop's reason
import { templateMessage } from "sendexa-whatsapp";
import { account, client } from "./client.mjs";

/** The API said it did not take the message: sending again cannot duplicate it. */
function notAccepted(err) {
  return err?.code === "RATE_LIMITED" || err?.code === "WA005" || err?.status === 429;
}

async function deadLetter(env, notification, reason, err) {
  await env.DEAD_LETTERS.send({
    ...notification,
    reason,
    error: err ? { code: err.code, message: err.message, status: err.status, requestId: err.requestId, issues: err.issues?.length ? err.issues : undefined } : undefined,
  });
}

function fallbackFor(env, notification) {
  const spec = notification.fallback ?? { name: env.FALLBACK_TEMPLATE, language: env.FALLBACK_LANGUAGE };
  return spec?.name ? templateMessage(notification.message.to, spec) : null;
}

async function sendWithFallback(env, notification) {
  const wa = client(env);
  try {
    // preflightMedia: the link's headers are checked first; a broken link is INVALID_MEDIA, unsent.
    return await wa.send(notification.message, notification.preflightMedia ? { preflightMedia: true } : undefined);
  } catch (err) {
    const fallback = err?.code === "WA003" ? fallbackFor(env, notification) : null;
    if (!fallback) throw err;
    return wa.send(fallback);
  }
}

async function deliver(env, queued) {
  const notification = queued.body;
  const ledger = account(env);
  const claim = await ledger.claim(notification.id);
  if (claim === "sent") return queued.ack();
  if (claim === "in-doubt") {
    await deadLetter(env, notification, "OUTCOME_UNKNOWN: an earlier attempt was interrupted mid-send; check its status before resending");
    return queued.ack();
  }
  try {
    const result = await sendWithFallback(env, notification);
    await ledger.settle(notification.id, "sent", result.messageId, { kind: "send", to: result.to ?? notification.message.to, fallback: notification.fallback });
    await env.STATE.put(`notification:${notification.id}`, result.messageId, { expirationTtl: 30 * 86_400 });
    queued.ack();
  } catch (err) {
    if (notAccepted(err)) {
      await ledger.settle(notification.id, "released");
      queued.retry({ delaySeconds: Math.max(1, Math.ceil(err.retryAfter ?? 1)) });
    } else if (err?.code === "OUTCOME_UNKNOWN") {
      // The claim stays open, so a redelivery of this notification is dead-lettered too.
      await deadLetter(env, notification, "OUTCOME_UNKNOWN", err);
      queued.ack();
    } else {
      await ledger.settle(notification.id, "released");
      await deadLetter(env, notification, "REJECTED", err);
      queued.ack();
    }
  }
}

/** The API is busy with this message (409): try again later, nothing was resent. */
function inProgress(err) {
  return err?.status === 409 || err?.code === "RESEND_IN_PROGRESS";
}

async function resend(env, queued) {
  const job = queued.body;
  const ledger = account(env);
  const claim = await ledger.claim(job.id);
  if (claim === "sent") return queued.ack();
  if (claim === "in-doubt") {
    await deadLetter(env, job, "OUTCOME_UNKNOWN: an earlier attempt of this resend was interrupted; check the message's status");
    return queued.ack();
  }
  try {
    const result = await client(env).resend(job.messageId);
    await ledger.settle(job.id, "sent", result.messageId, { kind: "resend", original: job.messageId, attempt: job.attempt });
    queued.ack();
  } catch (err) {
    if (notAccepted(err) || inProgress(err)) {
      await ledger.settle(job.id, "released");
      queued.retry({ delaySeconds: Math.max(1, Math.ceil(err.retryAfter ?? 5)) });
    } else if (err?.code === "OUTCOME_UNKNOWN") {
      await deadLetter(env, job, "OUTCOME_UNKNOWN", err);
      queued.ack();
    } else {
      await ledger.settle(job.id, "sent");
      await ledger.refused(job.messageId, job.attempt, err?.code ?? "ERROR");
      queued.ack();
    }
  }
}

export const DEAD_LETTER_QUEUE = "sendexa-notifications-dlq";

/** Keeps dead letters in KV, listed by GET /dead-letters. */
async function keepDeadLetters(batch, env) {
  for (const queued of batch.messages) {
    const letter = { ...queued.body, deadAt: new Date().toISOString() };
    letter.reason ??= "RETRIES_EXHAUSTED: the API kept refusing it (rate limited) after every retry";
    await env.STATE.put(`dead:${letter.id}`, JSON.stringify(letter), { expirationTtl: 30 * 86_400 });
    queued.ack();
  }
}

export async function consume(batch, env) {
  if (batch.queue === DEAD_LETTER_QUEUE) return keepDeadLetters(batch, env);
  await Promise.all(batch.messages.map((queued) => (queued.body?.kind === "resend" ? resend(env, queued) : deliver(env, queued))));
}
