// Failed messages recover by themselves: a `message.failed` webhook goes to `planResend` (in the
// account's Durable Object, where the ledger lives), which decides by Sendexa's rules — at most 5
// resends within 48 h of the send, 1, 5, 15, 30 and 60 minutes after each failure — and the plan
// becomes a Queue message:
//
//  resend                  → a resend job, delayed by `delaySeconds`; the consumer calls
//                            `resend(messageId)` once per (message, attempt), whatever redelivers it
//  WINDOW_CLOSED (WA003)   → the fallback template, queued as a notification (sent once, by its id)
//  MEDIA (WA004)           → the dead-letter queue, with the reason: the link must be fixed first
//  any other stop          → recorded in the ledger with its reason (GET /recoveries/:id)
//
// Every decision is keyed by the failed message's id, so a webhook that arrives twice (Sendexa's
// retries, or two deliveries at once) is planned once.
import { planResend, templateMessage } from "sendexa-whatsapp";

/** The resend job's id: one per original message and attempt, the consumer's claim key. */
export const resendJobId = (messageId, attempt) => `resend:${messageId}:${attempt}`;

/**
 * What a `message.failed` event says: the failed message, the original it is a resend of (itself
 * for an original), and how many resends had been made.
 */
export function failureOf(event) {
  const raw = event.raw && typeof event.raw === "object" ? event.raw : {};
  const original = typeof raw.originalMessageId === "string" ? raw.originalMessageId : event.messageId;
  const attempt = Number.isInteger(raw.resendAttempt) && raw.resendAttempt > 0 ? raw.resendAttempt : 0;
  return {
    messageId: event.messageId,
    original,
    attempt,
    errorCode: event.errorCode ?? null,
    errorMessage: event.errorMessage ?? null,
    to: event.recipient ?? null,
  };
}

/**
 * `delaySeconds` for a resend due at `at` (ms): a Queue counts whole seconds, up to 12 h.
 * `timeScale` is how much faster than real time the API's clock runs (1 for Sendexa; the local
 * sandbox may run faster, and the schedule shrinks to match).
 */
export function delaySeconds(at, now, timeScale = 1) {
  const seconds = Math.ceil(Math.max(0, at - now) / 1000 / timeScale);
  return Math.min(seconds, 43_200);
}

/**
 * Decides what follows a failure and records it in `entry` (the ledger's record of the original
 * message). Returns `{ plan, effects }`; the effects are Queue messages for the caller to send.
 * Pure apart from `planResend`: `now` and `env` come in.
 */
export function planRecovery(entry, failure, env, now) {
  const plan = planResend(
    // The Worker's own clock: `sentAt` is when its consumer sent the message, and the failure is
    // timed by the webhook's arrival, so a skew between the API's clock and this one cannot
    // shift the schedule.
    { status: "failed", errorCode: failure.errorCode, attempts: Math.max(failure.attempt, entry.resends), sentAt: entry.sentAt ?? null },
    now,
  );
  const effects = [];
  const step = { at: now, failed: failure.messageId, attempt: failure.attempt, errorCode: failure.errorCode, action: plan.action };
  if (plan.action === "resend") {
    entry.state = "scheduled";
    step.resendAt = plan.at;
    step.nextAttempt = plan.attempt;
    const delay = delaySeconds(plan.at, now, Number(env.TIME_SCALE ?? 1) || 1);
    effects.push({
      queue: "NOTIFICATIONS",
      body: { kind: "resend", id: resendJobId(entry.messageId, plan.attempt), messageId: entry.messageId, attempt: plan.attempt },
      options: { delaySeconds: delay },
    });
  } else {
    entry.state = "stopped";
    entry.reason = plan.reason;
    step.reason = plan.reason;
    if (plan.reason === "WINDOW_CLOSED") {
      const fallback = fallbackMessage(entry, env);
      if (fallback) {
        entry.fallback = "queued";
        effects.push({ queue: "NOTIFICATIONS", body: { id: `fallback:${entry.messageId}`, message: fallback } });
      }
    } else if (plan.reason === "MEDIA") {
      effects.push({
        queue: "DEAD_LETTERS",
        body: {
          id: `media:${entry.messageId}`,
          messageId: entry.messageId,
          to: entry.to,
          reason: "MEDIA: the media could not be downloaded (WA004); make the link public HTTPS and send a new message",
          error: { code: failure.errorCode, message: failure.errorMessage ?? undefined },
        },
      });
    }
  }
  entry.history.push(step);
  return { plan, effects };
}

/** The template to send when the window closed: the notification's own, else FALLBACK_TEMPLATE. */
function fallbackMessage(entry, env) {
  const spec = entry.fallbackSpec ?? { name: env.FALLBACK_TEMPLATE, language: env.FALLBACK_LANGUAGE };
  if (!spec?.name || !entry.to) return null;
  return templateMessage(entry.to, spec);
}

/** A fresh ledger record for an original message. */
export function newEntry(messageId, fields = {}) {
  return { messageId, to: null, sentAt: null, fallbackSpec: null, resends: 0, state: "sent", reason: null, failures: [], resent: [], history: [], ...fields };
}
