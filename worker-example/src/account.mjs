// The account's Durable Object: one instance for the whole account (`idFromName("account")`), so
// every isolate and every queue consumer shares it.
//
// - Rate limiting: `reserve(endpoint)` books the next free slot under the API's documented limits
//   (80 sends/s, 3,000/min, 100,000/day, …) with the SDK's own limiter and answers how many
//   milliseconds the caller must wait. One isolate cannot enforce an account-wide limit; this can.
// - A ledger of notifications, so a redelivered queue message is never sent twice: `claim(id)`
//   before sending, `settle(id, outcome)` after. A claim still open when the same notification
//   comes back means a consumer died mid-send: the outcome is unknown, so it is not sent again.
import { DurableObject } from "cloudflare:workers";
import { RateLimiter } from "sendexa-whatsapp";

export class Account extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    this.limiter = new RateLimiter(env.RATE_LIMITS ? JSON.parse(env.RATE_LIMITS) : undefined);
  }

  /** Milliseconds to wait before calling `endpoint` (0 = go now); the slot is booked. */
  reserve(endpoint) {
    return this.limiter.reserve(endpoint, Date.now());
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
