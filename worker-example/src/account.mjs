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
//   Resend jobs are claimed the same way, one id per message and attempt.
// - A ledger of sent messages and their recovery (src/recovery.mjs): `failed(failure)` plans what
//   follows a `message.failed` webhook with `planResend`, once per failed message however often
//   the webhook arrives, and queues the resend, the fallback template or the dead letter.
// - Campaigns (src/campaigns.mjs): the object sends them itself, from its alarm, booking each send
//   in its own limiter with no round trip. Their progress from the webhooks is counted by the
//   message shards (src/messages.mjs): status webhooks do not come here, only failures and
//   resends, which are the recovery ledger's.
import { DurableObject } from "cloudflare:workers";
import { RateLimiter } from "sendexa-whatsapp";
import { CampaignRunner } from "./campaigns.mjs";
import { newEntry, planRecovery } from "./recovery.mjs";

// A planned Queue message not yet confirmed sent after this long is sent again by the next
// delivery of the same webhook (the first handler died between deciding and queueing).
const OUTBOX_STALE_MS = 30_000;

// Calls leave in the order booked but reach the API with jitter, and the API counts arrivals. The
// limiter keeps a margin for that jitter: the longest recent round trip, to which the callers add
// how late their timers woke (`report`'s latencyMs). What it cannot see was the real cause of the
// 429s that an 80% headroom used to hide: callers waited `waitMs` counted from when this object
// answered, so every booking left late by the hop back, by a different amount each time. Bookings
// are now absolute times (`reserve` answers when to go), and the headroom is 100% by default;
// RATE_HEADROOM (0–1) lowers it for an API whose clock or counting is less exact than the docs say.
function withHeadroom(limits, headroom) {
  if (!(headroom > 0 && headroom < 1)) return limits;
  const scale = (windows) =>
    Object.fromEntries(Object.entries(windows).map(([name, limit]) => [name, Math.max(1, Math.floor(limit * headroom))]));
  return Object.fromEntries(Object.entries(limits).map(([key, windows]) => [key, scale(windows)]));
}

export class Account extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    // The API's limits (documented, or RATE_LIMITS when the account's differ), less the headroom.
    const limits = new RateLimiter(env.RATE_LIMITS ? JSON.parse(env.RATE_LIMITS) : undefined).limits();
    this.limits = withHeadroom(limits, Number(env.RATE_HEADROOM ?? 1));
    this.limiter = new RateLimiter(this.limits);
    this.campaigns = new CampaignRunner(this, ctx, env);
  }

  /**
   * Books the next free slot for `endpoint` and answers when it is (ms since the epoch): the
   * caller waits until then. An absolute time, not a wait, so the hop back does not delay it.
   */
  reserve(endpoint) {
    const at = this.book(endpoint);
    if (endpoint === "send") this.campaigns.counted(at);
    return at;
  }

  /** `reserve` without counting the send for the campaigns' day cap (they count their own). */
  book(endpoint) {
    const now = Date.now();
    return now + this.limiter.reserve(endpoint, now);
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

  /**
   * Records how a claimed send ended: `sent` (with the message id) or `released` (not accepted).
   * `record` adds the message to the recovery ledger: `{ kind: "send", to, fallback }` for a
   * notification, `{ kind: "resend", original, attempt }` for a resend.
   */
  async settle(id, outcome, messageId, record) {
    if (outcome === "released") return this.ctx.storage.delete(`n:${id}`);
    const settled = { state: "sent", messageId, at: Date.now() };
    if (outcome !== "sent" || !record) return this.ctx.storage.put(`n:${id}`, settled);
    if (record.kind === "send") {
      // One write, no read, on the path every notification takes: the recovery record is only
      // made if the message fails (`failed` reads this back).
      const sent = { notification: id, to: record.to ?? null, sentAt: Date.now(), fallback: record.fallback ?? null };
      return this.ctx.storage.put({ [`n:${id}`]: settled, [`s:${messageId}`]: sent });
    }
    await this.ctx.storage.put(`n:${id}`, settled);
    if (record.kind === "resend") {
      await this.campaigns.resent(record.original);
      const entry = (await this.ctx.storage.get(`r:${record.original}`)) ?? newEntry(record.original);
      entry.resends = Math.max(entry.resends, record.attempt);
      entry.resent.push({ attempt: record.attempt, messageId, at: Date.now() });
      if (entry.state === "scheduled") entry.state = "resent";
      await this.ctx.storage.put(`r:${record.original}`, entry);
    }
  }

  /** The recovery record of an original message, made from what its send recorded. */
  async entry(messageId) {
    const found = await this.ctx.storage.get([`r:${messageId}`, `s:${messageId}`]);
    const entry = found.get(`r:${messageId}`);
    if (entry) return entry;
    const sent = found.get(`s:${messageId}`);
    return newEntry(messageId, sent ? { notification: sent.notification, to: sent.to, sentAt: sent.sentAt, fallbackSpec: sent.fallback } : {});
  }

  /**
   * A `message.failed` webhook (`failureOf(event)`): plans what follows with `planResend` and
   * queues it. The same failed message is planned once; a repeat answers `{ duplicate: true }`.
   */
  async failed(failure) {
    const key = `r:${failure.original}`;
    const entry = await this.entry(failure.original);
    entry.to ??= failure.to;
    if (entry.failures.includes(failure.messageId)) {
      // Planned already. Its Queue messages went out unless that handler died before confirming.
      if (entry.outbox?.length && Date.now() - entry.outboxAt > OUTBOX_STALE_MS) await this.flush(key, entry);
      return { duplicate: true, state: entry.state, reason: entry.reason };
    }
    entry.failures.push(failure.messageId);
    const { plan, effects } = planRecovery(entry, failure, this.env, Date.now());
    entry.outbox = effects;
    entry.outboxAt = Date.now();
    // Stored before anything is queued: a second delivery arriving meanwhile sees it planned.
    await this.ctx.storage.put(key, entry);
    await this.flush(key, entry);
    return { plan };
  }

  /** Sends the entry's planned Queue messages, then marks them sent (by their ids). */
  async flush(key, entry) {
    const sent = [];
    for (const effect of entry.outbox) {
      await this.env[effect.queue].send(effect.body, effect.options);
      sent.push(effect.body.id);
    }
    // Read again: another failure of the same message may have planned more meanwhile.
    const fresh = (await this.ctx.storage.get(key)) ?? entry;
    fresh.outbox = (fresh.outbox ?? []).filter((effect) => !sent.includes(effect.body.id));
    await this.ctx.storage.put(key, fresh);
  }

  /** The API refused a resend for good (`RESEND_LIMIT_REACHED`, …): recorded as the stop's reason. */
  async refused(original, attempt, code) {
    const entry = await this.entry(original);
    entry.state = "stopped";
    entry.reason = code;
    entry.history.push({ at: Date.now(), action: "refused", attempt, reason: code });
    await this.ctx.storage.put(`r:${original}`, entry);
  }

  /** A resend was delivered: the message recovered. */
  async delivered(original, messageId) {
    const entry = await this.ctx.storage.get(`r:${original}`);
    if (!entry || entry.state === "recovered") return;
    entry.state = "recovered";
    entry.recoveredBy = messageId;
    await this.ctx.storage.put(`r:${original}`, entry);
  }

  /** The recovery ledger's record of a message (by its original Sendexa id), or null. */
  async recovery(messageId) {
    return (await this.ctx.storage.get(`r:${messageId}`)) ?? null;
  }

  /** Stores a campaign (`POST /campaigns`, pre-checked) and starts sending it. */
  async startCampaign(spec) {
    return this.campaigns.start(spec);
  }

  /** A campaign's progress, or null. */
  async campaign(id) {
    return this.campaigns.view(id);
  }

  async alarm() {
    await this.campaigns.run();
  }
}
