// What happens to a message after it is accepted: the status timeline on the sandbox clock,
// the magic test numbers, inbound messages (which open the 24 h window) and webhooks.
import { ids } from "./ids.mjs";
import { mediaLinks } from "./validate.mjs";
import { statusEvent, inboundEvent } from "./webhooks.mjs";

/** Test recipients with fixed behaviour (the drafts' sandbox numbers, plus 005 and 006). */
export const MAGIC = {
  DELIVERS: "233500000001", // sent → delivered → read
  FAILS: "233500000002", // sent → failed (WA002), every attempt
  SLOW: "233500000003", // pending; sent after 5 s, delivered after 30 s, read after 35 s
  AUTO_REPLY: "233500000004", // delivered and read, then replies (opening its window)
  NOT_ON_WHATSAPP: "233500000005", // rejected at send: 404 WA002
  FAILS_ONCE: "233500000006", // the first send fails (WA002); resends deliver
};

// Hosts ending in this reserved TLD accept the send, then fail the media download (WA004).
export const FAILING_MEDIA_TLD = ".invalid";

const NORMAL = [["sent", 0], ["delivered", 1000], ["read", 3000]];
const FAIL = (code, message) => [["sent", 0], ["failed", 1000, { code, message }]];
const UNDELIVERABLE = FAIL("WA002", "Message undeliverable: the recipient is not reachable on WhatsApp");

/** The timeline of a message: [status, ms after acceptance, error?][] plus an auto-reply time. */
export function plan(msg) {
  const failingMedia = mediaLinks(msg.body).some((link) => {
    try {
      return new URL(link).hostname.endsWith(FAILING_MEDIA_TLD);
    } catch {
      return false;
    }
  });
  if (failingMedia) return { steps: FAIL("WA004", "Media download failed: the media URL could not be fetched") };
  switch (msg.to) {
    case MAGIC.FAILS:
      return { steps: UNDELIVERABLE };
    case MAGIC.FAILS_ONCE:
      return { steps: msg.origin === "send" ? UNDELIVERABLE : NORMAL };
    case MAGIC.SLOW:
      return { steps: [["sent", 5000], ["delivered", 30000], ["read", 35000]] };
    case MAGIC.AUTO_REPLY:
      return { steps: [["sent", 0], ["delivered", 1000], ["read", 1500]], autoReplyMs: 2000 };
    default:
      return { steps: NORMAL };
  }
}

export class Lifecycle {
  /** `failures` (optional): the rules of `POST /__sandbox/failures`, which win over `plan`. */
  constructor({ state, scheduler, clock, webhooks, failures = null }) {
    Object.assign(this, { state, scheduler, clock, webhooks, failures });
  }

  /**
   * Creates and stores an accepted message and starts its timeline. Steps due at once run
   * before returning, so the send response already says "sent".
   */
  accept({ body, to, type, origin = "send", requestId, original = null, resendAttempt }) {
    const now = this.clock.now();
    const msg = {
      messageId: origin === "resend" ? ids.resend(now) : ids.message(now),
      wamid: ids.wamid(), origin, body, to, type, cost: 1, requestId,
      originalMessageId: original ? original.messageId : undefined, resendAttempt,
      status: "pending", history: [{ status: "pending", at: now }], acceptedAt: now,
      sentAt: null, deliveredAt: null, readAt: null, failedAt: null,
      errorCode: null, errorMessage: null, responseFault: null,
      conversation: this.conversation(to, type, now),
    };
    this.state.addMessage(msg);
    const forced = this.failures ? this.failures.take(msg) : null;
    const { steps, autoReplyMs } = forced
      ? { steps: [["sent", 0], ["failed", forced.afterMs, { code: forced.code, message: forced.message }]] }
      : plan(msg);
    for (const [status, afterMs, error] of steps) {
      if (afterMs === 0) this.transition(msg, status, now, error);
      else this.scheduler.at(now + afterMs, (at) => this.transition(msg, status, at, error));
    }
    if (autoReplyMs !== undefined) this.scheduler.at(now + autoReplyMs, () => this.autoReply(msg));
    return msg;
  }

  transition(msg, status, at, error) {
    if (this.state.messages.get(msg.messageId) !== msg || msg.status === "failed") return; // reset or final
    msg.status = status;
    msg.history.push({ status, at });
    msg[`${status}At`] = at;
    if (error) Object.assign(msg, { errorCode: error.code, errorMessage: error.message });
    this.webhooks.emit(statusEvent(msg, at, this.webhooks.shape, this.clock));
  }

  /** Records a user → business message, opens the 24 h window and emits the webhook. */
  inbound({ from, type, content, context, contactName }) {
    const at = this.clock.now();
    const msg = {
      messageId: ids.inbound(at), wamid: ids.wamid(), from, type, content, at,
      contactName: contactName || `Sandbox User ${from.slice(-4)}`,
      context: context ? { messageId: context.messageId, wamid: context.wamid } : null,
    };
    this.state.inbound.push(msg);
    this.state.openWindow(from, at);
    this.webhooks.emit(inboundEvent(msg, this.webhooks.shape, this.clock));
    return msg;
  }

  autoReply(msg) {
    if (this.state.messages.get(msg.messageId) !== msg) return;
    this.inbound({
      from: msg.to, type: "text", content: { body: `Auto-reply: thanks, we got your ${msg.type} message.` },
      context: msg, contactName: "Sandbox Auto-Reply",
    });
  }

  /** The drafts' conversation object (draft send responses and delivered webhooks). */
  conversation(to, type, now) {
    const userInitiated = type !== "template" && this.state.windowOpen(to, now);
    return {
      id: ids.conversation(),
      type: userInitiated ? "user_initiated" : "business_initiated",
      category: userInitiated ? "service" : "utility",
      expiry: this.clock.iso(now + 24 * 3600e3),
    };
  }
}
