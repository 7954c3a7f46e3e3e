// The account's Durable Object: one instance for the whole account (`idFromName("account")`), so
// every isolate and every queue consumer shares it.
//
// - Rate limiting: `reserve(endpoint)` books the next free slot under the API's documented limits
//   (80 sends/s, 3,000/min, 100,000/day, …) with the SDK's own limiter and answers how many
//   milliseconds the caller must wait; `report(endpoint, info)` feeds it what the API answered.
//   One isolate cannot enforce an account-wide limit; this can.
// - A ledger of notifications, so a redelivered queue message is never sent twice: `claim(id)`
//   before sending, `settle(id, outcome)` after. A claim still open when the same notification
//   comes back means a consumer died mid-send: the outcome is unknown, so it is not sent again.
import { DurableObject } from "cloudflare:workers";
import { RateLimiter } from "sendexa-whatsapp";

// Calls leave in the order booked but reach the API with jitter (the hop back from this object,
// timers, the queue's batching), and the API counts arrivals. Measured in workerd against the
// sandbox: booking at 90% of 80/s still drew ~15 429s per 1,000 sends; at 80%, none.
const HEADROOM = 0.8;

function withHeadroom(limits) {
  const scale = (windows) =>
    Object.fromEntries(Object.entries(windows).map(([name, limit]) => [name, Math.max(1, Math.floor(limit * HEADROOM))]));
  return Object.fromEntries(Object.entries(limits).map(([key, windows]) => [key, scale(windows)]));
}

export class Account extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    // The API's limits (documented, or RATE_LIMITS when the account's differ), less the headroom.
    const limits = new RateLimiter(env.RATE_LIMITS ? JSON.parse(env.RATE_LIMITS) : undefined).limits();
    this.limiter = new RateLimiter(withHeadroom(limits));
  }

  /** Milliseconds to wait before calling `endpoint` (0 = go now); the slot is booked. */
  reserve(endpoint) {
    return this.limiter.reserve(endpoint, Date.now());
  }

  /**
   * Learns from an answer (`X-RateLimit-*`, a 429's Retry-After, the round trip): the limiter
   * keeps a margin as long as the slowest recent round trip, because the API counts arrivals.
   */
  report(endpoint, info) {
    this.limiter.report(endpoint, info, Date.now());
  }

  /** "new" (send it), "sent" (already sent: skip) or "in-doubt" (a send may have happened). */
  async claim(id) {
    const entry = await this.ctx.storage.get(`n:${id}`);
    if (entry === undefined) {
      await this.ctx.storage.put(`n:${id}`, { state: "claimed", at: Date.now() });
      return "new";
    }
    return entry.state === "sent" ? "sent" : "in-doubt";
  }

  /** Records how a claimed send ended: `sent` (with the message id) or `released` (not accepted). */
  async settle(id, outcome, messageId) {
    if (outcome === "released") await this.ctx.storage.delete(`n:${id}`);
    else await this.ctx.storage.put(`n:${id}`, { state: "sent", messageId, at: Date.now() });
  }
}
