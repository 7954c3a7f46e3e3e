// Campaigns: one template to many recipients, at the account's full rate.
//
//   POST /campaigns { template: { name, language, components? }, recipients: [...] }  (bearer)
//     → the recipients are checked with `checkNumbers` (bulk checks of ≤ 1,000); numbers not on
//       WhatsApp, malformed ones and repeats are skipped and listed; the rest are stored in the
//       account's Durable Object, which sends them → 202 { id, queued, skipped, skippedNumbers }
//   GET /campaigns/:id  (bearer) → progress: queued, sent, delivered, read, failed, resent, skipped
//
// The Durable Object sends a campaign itself, from its alarm (`CampaignRunner`): each send books
// its slot in the object's own limiter and leaves at the booked time, with no hop in between, so
// nothing stands between the limiter's schedule and the API's arrivals but the network. Queue
// consumers sending /notify traffic book in the same limiter, so the two share the account's rate.
//
//  - exactly once: each recipient is claimed in storage before its send; a claim left open by a
//    crash is never sent again (counted failed, OUTCOME_UNKNOWN); a 429 releases it for a retry;
//  - the day's cap: sends in the last day (sliding, as the API counts) never pass CAMPAIGN_DAILY_CAP
//    (default: the send limit per day, 100,000); the rest wait for the day to free up;
//  - quality: the sending number's rating is read with `listNumbers()` before sending and every
//    CAMPAIGN_QUALITY_CHECK_SECONDS while sending; RED pauses the campaign, and the alarm looks
//    again every CAMPAIGN_QUALITY_CHECK_SECONDS until it is not RED;
//  - progress: queued, accepted, failed at send and resent (by the recovery flow, src/recovery.mjs)
//    are counted here; sent ⊇ delivered ⊇ read and failed (until a resend is delivered) are counted
//    from the webhooks by the message shards (src/messages.mjs), which this object tells, in
//    batches, which messages are the campaign's. The webhooks never reach this object, whose
//    single thread books every send of the account. GET /campaigns/:id adds the two up.
import { Sendexa, SendexaError, templateMessage } from "sendexa-whatsapp";
import { account, client, pacedBy } from "./client.mjs";
import { shardOf, shardStub, webhookCounts } from "./messages.mjs";
import { authorized, authorizedBody, json, unauthorized } from "./notify.mjs";

const MAX_RECIPIENTS = 100_000;
const CHUNK = 1000; // recipients per storage record
const LANES = 64; // sends under way at once: enough to keep ~0.8 s of bookings ahead at 80/s
const RUN_MAX_MS = 60_000; // one alarm sends for at most this long, then hands over to the next
const DAY_BUCKETS = 1440;
const CLAIM_BLOCK = 100; // recipients claimed per durable write, ahead of their sends
// Writes on the sending path do not hold the object's outgoing requests until they are durable
// (the output gate): held requests leave in clumps, and the API counts arrivals. Exactly-once
// rests on the claim blocks, which are made durable (sync) before any of their sends.
const UNGATED = { allowUnconfirmed: true };
// How often the message shards are told which messages a campaign sent: one call per shard per
// tick, not one per send.
const TRACK_MS = 500;

export async function createCampaign(request, env) {
  const { body, refusal } = await authorizedBody(request, env);
  if (refusal) return refusal;
  const { template, recipients } = body ?? {};
  if (!Array.isArray(recipients) || recipients.length === 0 || recipients.length > MAX_RECIPIENTS) {
    return json({ error: { code: "INVALID_REQUEST", message: `recipients must be an array of 1 to ${MAX_RECIPIENTS} phone numbers.` } }, 400);
  }
  if (!template || typeof template !== "object" || typeof template.name !== "string") {
    return json({ error: { code: "INVALID_REQUEST", message: 'template must be { "name", "language", "components"? }.' } }, 400);
  }
  const spec = { name: template.name, language: template.language, ...(template.components ? { components: template.components } : {}) };
  try {
    templateMessage("233200000000", spec);
  } catch (err) {
    if (!(err instanceof SendexaError)) throw err;
    return json({ error: { code: err.code, message: err.message, issues: err.issues } }, 400);
  }

  let checked;
  try {
    checked = await client(env).checkNumbers(recipients.map((r) => (typeof r === "string" ? r : String(r))));
  } catch (err) {
    if (err instanceof SendexaError) return json({ error: { code: err.code, message: err.message } }, err.status ?? 502);
    throw err;
  }
  const send = [];
  const skipped = [];
  const seen = new Set();
  for (const entry of checked.results) {
    if (!entry.valid) skipped.push({ input: entry.input, reason: "INVALID", message: entry.error?.message });
    else if (!entry.isWhatsApp) skipped.push({ input: entry.input, phone: entry.phone, reason: "NOT_ON_WHATSAPP" });
    else if (seen.has(entry.phone)) skipped.push({ input: entry.input, phone: entry.phone, reason: "DUPLICATE" });
    else {
      seen.add(entry.phone);
      send.push(entry.phone);
    }
  }
  const id = crypto.randomUUID();
  await account(env).startCampaign({ id, template: spec, recipients: send, skipped });
  return json({ id, queued: send.length, skipped: skipped.length, skippedNumbers: skipped }, 202);
}

export async function campaignProgress(request, env, id) {
  if (!authorized(request, env)) return unauthorized();
  const view = await account(env).campaign(id);
  if (!view) return json({ error: { code: "NOT_FOUND", message: `No campaign ${id}` } }, 404);
  // The webhooks' counts, from the message shards; failed = refused at send + failed by webhook.
  const hooks = view.accepted > 0 ? await webhookCounts(env, id) : { sent: 0, delivered: 0, read: 0, failed: 0 };
  return json({ ...view, sent: hooks.sent, delivered: hooks.delivered, read: hooks.read, failed: view.failed + hooks.failed });
}

const notAccepted = (err) => err?.code === "RATE_LIMITED" || err?.code === "WA005" || err?.status === 429;

/** The campaign part of the account's Durable Object (src/account.mjs). */
export class CampaignRunner {
  constructor(account, ctx, env) {
    this.account = account;
    this.ctx = ctx;
    this.env = env;
    this.cache = new Map(); // id → campaign record (the stored one, kept in memory)
    const perDay = account.limits?.send?.perDay;
    this.dailyCap = Number(env.CAMPAIGN_DAILY_CAP) || perDay || 100_000;
    this.dayMs = (Number(env.CAMPAIGN_DAY_SECONDS) || 86_400) * 1000;
    this.qualityMs = (Number(env.CAMPAIGN_QUALITY_CHECK_SECONDS) || 60) * 1000;
    this.day = null; // { counts: { [bucket]: sends } }
    ctx.blockConcurrencyWhile(() => this.loadDay());
  }

  /** A Sendexa client that books in this object's limiter directly. */
  get wa() {
    this.client ??= new Sendexa({
      token: this.env.SENDEXA_TOKEN,
      baseUrl: this.env.SENDEXA_BASE_URL,
      // Booked without counting for the day's cap: a campaign send is counted when it is picked.
      // No hop here: one send at a time waits for its slot, and one that would leave more than
      // 10 ms past it books another — within the limiter's smallest margin (one slot, 10 ms).
      rateLimit: pacedBy((endpoint) => this.account.book(endpoint), (endpoint, info) => this.account.report(endpoint, info), { toleranceMs: 10, serial: true }),
      window: false,
    });
    return this.client;
  }

  async record(id) {
    let c = this.cache.get(id);
    if (!c) {
      c = await this.ctx.storage.get(`c:${id}`);
      if (c) {
        c.tracking ??= [];
        this.cache.set(id, c);
      }
    }
    return c ?? null;
  }

  save(c) {
    return this.ctx.storage.put(`c:${c.id}`, c, UNGATED);
  }

  async start({ id, template, recipients, skipped }) {
    const c = {
      id,
      template,
      total: recipients.length,
      next: 0,
      claimedTo: 0,
      retry: [],
      state: "running",
      reason: null,
      resumesAt: null,
      createdAt: Date.now(),
      finishedAt: null,
      // failed: refused at send (rejected) or with an unknown outcome; the webhooks' are the shards'.
      counts: { queued: recipients.length, accepted: 0, failed: 0, resent: 0, skipped: skipped.length, rejected: 0, unknown: 0 },
      tracking: [], // sent, not yet told to their message shards
    };
    // The skipped numbers apart: the record is written after every turn that counts a send.
    const chunks = { [`cs:${id}`]: skipped };
    for (let i = 0; i < recipients.length; i += CHUNK) chunks[`cr:${id}:${i / CHUNK}`] = recipients.slice(i, i + CHUNK);
    const keys = Object.entries(chunks);
    for (let i = 0; i < keys.length; i += 100) await this.ctx.storage.put(Object.fromEntries(keys.slice(i, i + 100)));
    this.cache.set(id, c);
    await this.save(c);
    const active = (await this.ctx.storage.get("campaigns:active")) ?? [];
    await this.ctx.storage.put("campaigns:active", [...active, id]);
    await this.ctx.storage.setAlarm(Date.now());
    return { id };
  }

  /** The campaign's state and its counts from here (the webhooks' are added by the caller). */
  async view(id) {
    const c = await this.record(id);
    if (!c) return null;
    const { template, next, retry, counts, tracking, ...rest } = c;
    const skippedNumbers = (await this.ctx.storage.get(`cs:${id}`)) ?? [];
    return { ...rest, skippedNumbers, template, ...counts };
  }

  // --- the day's cap: sends booked in the last day, in DAY_BUCKETS buckets ---

  async loadDay() {
    this.day ??= (await this.ctx.storage.get("day")) ?? { counts: {} };
    return this.day;
  }

  /** A send at `at`: every send the account makes is counted (queue consumers' at `reserve`). */
  counted(at) {
    if (!this.day) return; // loaded when the object starts
    const b = Math.floor(at / (this.dayMs / DAY_BUCKETS));
    this.day.counts[b] = (this.day.counts[b] ?? 0) + 1;
    this.dayDirty = true;
  }

  /** How many sends the day's cap allows now, and when the oldest counted bucket leaves the day. */
  dayRoom(now) {
    const size = this.dayMs / DAY_BUCKETS;
    const oldest = Math.floor((now - this.dayMs) / size) + 1;
    let used = 0;
    let first = null;
    for (const [b, n] of Object.entries(this.day.counts)) {
      if (Number(b) < oldest) delete this.day.counts[b];
      else {
        used += n;
        first = first === null ? Number(b) : Math.min(first, Number(b));
      }
    }
    return { room: Math.max(0, this.dailyCap - used), freesAt: first === null ? now : (first + 1) * size + this.dayMs };
  }

  async flushDay() {
    if (this.dayDirty) {
      this.dayDirty = false;
      await this.ctx.storage.put("day", this.day, UNGATED);
    }
  }

  // --- sending ---

  /** Whether the sending number (SENDER_NUMBER: its id or phone; else the first) is RED. */
  async qualityRed() {
    const { numbers } = await this.wa.listNumbers();
    const wanted = this.env.SENDER_NUMBER;
    const number = wanted ? numbers.find((n) => n.id === wanted || n.phone === wanted) : numbers[0];
    return String(number?.qualityRating ?? "").toUpperCase() === "RED";
  }

  async recipientAt(c, index) {
    const key = `cr:${c.id}:${Math.floor(index / CHUNK)}`;
    this.chunks ??= new Map();
    if (!this.chunks.has(key)) {
      if (this.chunks.size > 4) this.chunks.clear();
      this.chunks.set(key, this.ctx.storage.get(key));
    }
    return (await this.chunks.get(key))[index % CHUNK];
  }

  /** The alarm: runs every active campaign for a while, then sets the next alarm. */
  async run() {
    await this.loadDay();
    const active = (await this.ctx.storage.get("campaigns:active")) ?? [];
    const wakes = [];
    for (const id of active) {
      const c = await this.record(id);
      if (!c || c.state === "done") continue;
      wakes.push(await this.runOne(c));
    }
    await this.flushDay();
    // Read again: a campaign started while this ran is in the list now, and wants to run at once.
    const now = (await this.ctx.storage.get("campaigns:active")) ?? [];
    const still = [];
    for (const id of now) {
      if ((await this.record(id))?.state === "done") continue;
      still.push(id);
      if (!active.includes(id)) wakes.push(Date.now());
    }
    await this.ctx.storage.put("campaigns:active", still);
    const next = wakes.filter((w) => w !== null).sort((a, b) => a - b)[0];
    if (next !== undefined) await this.ctx.storage.setAlarm(Math.max(next, Date.now()));
  }

  /** Sends what it may of one campaign; returns when it wants to run again (null: done). */
  async runOne(c) {
    const started = Date.now();
    if (await this.qualityRed()) {
      if (c.state !== "paused") Object.assign(c, { state: "paused", reason: "QUALITY_RED", pausedAt: Date.now() });
      await this.save(c);
      return Date.now() + this.qualityMs;
    }
    Object.assign(c, { state: "running", reason: null, resumesAt: null });
    if (!this.live?.has(c.id)) {
      // First run in this object's life: recipients claimed by an earlier life and not recorded
      // as sent may have been sent — never again (at most once), counted as unknown. One recorded
      // as sent after the record was last written is counted (and told to its shard) now.
      this.live ??= new Set();
      this.live.add(c.id);
      for (const index of [...c.retry.splice(0), ...Array.from({ length: Math.max(0, c.claimedTo - c.next) }, (_, i) => c.next + i)]) {
        const claim = await this.ctx.storage.get(`cm:${c.id}:${index}`);
        if (claim === undefined) this.bump(c, { queued: -1, failed: 1, unknown: 1 });
        else if (claim !== "unknown" && !claim.startsWith("rejected:") && !c.tracking.includes(claim)) {
          c.tracking.push(claim);
          this.bump(c, { queued: -1, accepted: 1 });
        }
      }
      c.next = c.claimedTo;
      // Sends an earlier life recorded but had not yet told the message shards.
      this.scheduleTracking(c);
    }
    let checkedAt = Date.now();
    let stop = null; // why the lanes stop picking recipients
    const pick = async () => {
      if (Date.now() - checkedAt > this.qualityMs && !stop) {
        checkedAt = Date.now();
        if (await this.qualityRed()) stop = "red";
      }
      if (this.claiming) await this.claiming;
      if (!stop && c.retry.length === 0 && c.next < c.total && c.next >= c.claimedTo) {
        // One durable write claims the next block; its sends go after it is on disk.
        c.claimedTo = Math.min(c.total, c.next + CLAIM_BLOCK);
        this.claiming = this.ctx.storage.put(`c:${c.id}`, c).then(() => this.ctx.storage.sync());
        await this.claiming;
        this.claiming = null;
      }
      // From here on nothing waits: the checks and the pick are one step.
      if (stop) return null;
      if (Date.now() - started > RUN_MAX_MS) return (stop = "run"), null;
      if (c.retry.length === 0 && c.next >= c.total) return null;
      if (this.dayRoom(Date.now()).room === 0) return (stop = "cap"), null;
      if (c.retry.length === 0 && c.next >= c.claimedTo) return pick();
      this.counted(Date.now());
      return c.retry.length ? c.retry.shift() : c.next++;
    };
    const lane = async () => {
      for (;;) {
        const index = await pick();
        if (index === null) return;
        await this.sendOne(c, index);
      }
    };
    await Promise.all(Array.from({ length: LANES }, lane));
    await this.save(c);
    if (stop === "red") {
      Object.assign(c, { state: "paused", reason: "QUALITY_RED", pausedAt: Date.now() });
      await this.save(c);
      return Date.now() + this.qualityMs;
    }
    if (stop === "cap") {
      const { freesAt } = this.dayRoom(Date.now());
      Object.assign(c, { state: "waiting", reason: "DAILY_CAP", resumesAt: new Date(freesAt).toISOString() });
      await this.save(c);
      return freesAt;
    }
    if (c.retry.length === 0 && c.next >= c.total) {
      // Done once every message shard knows the campaign's messages (else: try again shortly).
      try {
        while (c.tracking.length) {
          this.pendingTracking.add(c.id);
          await this.flushTracking();
        }
      } catch {
        return Date.now() + 1000;
      }
      Object.assign(c, { state: "done", finishedAt: Date.now() });
      await this.save(c);
      return null;
    }
    return c.retry.length ? Date.now() + 1000 : Date.now();
  }

  async sendOne(c, index) {
    const claimKey = `cm:${c.id}:${index}`;
    const to = await this.recipientAt(c, index);
    try {
      const result = await this.wa.send(templateMessage(to, c.template));
      // The recovery ledger's record of the send (src/account.mjs), and the claim settled.
      const sent = { notification: `campaign:${c.id}:${index}`, to, sentAt: Date.now(), fallback: null, campaign: c.id };
      this.ctx.storage.put({ [claimKey]: result.messageId, [`s:${result.messageId}`]: sent }, UNGATED);
      c.tracking.push(result.messageId); // stored with the record, written after this turn
      this.bump(c, { queued: -1, accepted: 1 });
      this.scheduleTracking(c);
    } catch (err) {
      if (notAccepted(err)) {
        c.retry.push(index);
      } else if (err?.code === "OUTCOME_UNKNOWN") {
        await this.ctx.storage.put(claimKey, "unknown", UNGATED);
        this.bump(c, { queued: -1, failed: 1, unknown: 1 });
        this.noteError(c, err);
      } else {
        this.noteError(c, err);
        await this.ctx.storage.put(claimKey, `rejected:${err?.code ?? "ERROR"}`, UNGATED);
        this.bump(c, { queued: -1, failed: 1, rejected: 1 });
      }
    }
  }

  /** The errors met, by code, with the last message of each (shown in the progress as `errors`). */
  noteError(c, err) {
    const code = err?.code ?? "ERROR";
    c.errors ??= {};
    c.errors[code] = { count: (c.errors[code]?.count ?? 0) + 1, message: String(err?.message ?? err).slice(0, 300) };
  }

  bump(c, deltas) {
    for (const [k, d] of Object.entries(deltas)) c.counts[k] = (c.counts[k] ?? 0) + d;
    this.dirty ??= new Set();
    this.dirty.add(c.id);
    // Written after the current turn: many bumps in one turn are one write.
    if (!this.flushing) {
      this.flushing = true;
      queueMicrotask(async () => {
        this.flushing = false;
        const ids = [...this.dirty];
        this.dirty.clear();
        for (const id of ids) await this.save(this.cache.get(id));
        await this.flushDay();
      });
    }
  }

  // --- which messages are a campaign's: told to the message shards, in batches ---

  scheduleTracking(c) {
    (this.pendingTracking ??= new Set()).add(c.id);
    this.armTracking();
  }

  armTracking() {
    if (this.trackTimer) return;
    this.trackTimer = setTimeout(async () => {
      try {
        await this.flushTracking();
      } catch {
        /* still in the records: the next tick tells them again */
      }
      this.trackTimer = null;
      if (this.pendingTracking.size) this.armTracking();
    }, TRACK_MS);
  }

  /**
   * Tells each message shard the campaign messages sent since the last time, one call per shard,
   * then drops them from the records. A shard told twice (a failed call, a crash before the
   * record was written) counts once.
   */
  flushTracking() {
    this.trackFlushing ??= (async () => {
      for (const id of [...(this.pendingTracking ?? [])]) {
        const c = this.cache.get(id);
        const n = c?.tracking?.length ?? 0;
        if (n === 0) {
          this.pendingTracking.delete(id);
          continue;
        }
        const byShard = new Map();
        for (const messageId of c.tracking.slice(0, n)) {
          const shard = shardOf(messageId);
          if (!byShard.has(shard)) byShard.set(shard, []);
          byShard.get(shard).push(messageId);
        }
        await Promise.all([...byShard].map(([shard, ids]) => shardStub(this.env, shard).track(c.id, ids)));
        c.tracking.splice(0, n);
        if (c.tracking.length === 0) this.pendingTracking.delete(id);
        this.bump(c, {});
      }
    })().finally(() => {
      this.trackFlushing = null;
    });
    return this.trackFlushing;
  }

  /** The recovery flow resent a message: counted when it is a campaign's. */
  async resent(original) {
    const sent = await this.ctx.storage.get(`s:${original}`);
    if (!sent?.campaign) return;
    const c = await this.record(sent.campaign);
    if (c) this.bump(c, { resent: 1 });
  }
}

