// Message statuses and campaign progress, from the webhooks, in Durable Objects sharded by message
// id (`Messages`, SHARDS of them). Each status webhook is one call to its message's shard, which
// keeps, in SQLite:
//
//  - the message's status and timeline (GET /messages/:id). Not in KV: a message's statuses come
//    seconds apart (sent, delivered 1 s later, read 2 s after that), and KV takes one write per
//    second per key; a Durable Object's storage has no such limit, and reads back what it wrote;
//  - the ledger that makes a repeated webhook a no-op: a status already in the message's timeline
//    changes nothing, whatever delivery id it came under. The handler's delivery-id dedupe (the
//    SDK's default, the isolate's last 10,000 ids) only spares that call;
//  - each campaign's counts from the webhooks (sent ⊇ delivered ⊇ read, failed until a resend is
//    delivered), for the campaign messages of this shard: the account's Durable Object tells the
//    shard which messages are a campaign's (`track`, in batches); GET /campaigns/:id adds up the
//    shards' counts (`counts`).
//
// So the webhooks, three per message, never reach the account's Durable Object, which books every
// send of the account, unless a message failed or was resent (the recovery ledger's business).
// Sharding keeps each object's share of a campaign's webhooks small (80 sends/s are 240
// webhooks/s; one object serialises its calls).
import { DurableObject } from "cloudflare:workers";

// Fixed for a deployment: a message's shard is a hash of its id modulo SHARDS, so changing it
// would lose track of the messages already recorded.
export const SHARDS = 8;
// Writes are grouped: a call's changes are kept in memory and written with the others of the next
// FLUSH_MS in one transaction, and the call answers once that is on disk, so a webhook is still
// acknowledged only when what it changed is durable (and Sendexa retries it otherwise). One commit
// per webhook would be 240 a second at 80 sends/s.
const FLUSH_MS = 100;
const KEEP_MS = 30 * 86_400_000; // statuses are kept 30 days after a message's first webhook
const SWEEP_MS = 86_400_000;
const STAGES = ["sent", "delivered", "read"];
const COUNTED = ["sent", "delivered", "read", "failed"];

/** The shard (0 … SHARDS-1) of a message id: FNV-1a over its UTF-16 code units. */
export function shardOf(messageId) {
  let h = 0x811c9dc5;
  for (let i = 0; i < messageId.length; i++) h = Math.imul(h ^ messageId.charCodeAt(i), 0x01000193);
  return (h >>> 0) % SHARDS;
}

/** The Durable Object that holds a message's statuses. */
export function messageShard(env, messageId) {
  return shardStub(env, shardOf(messageId));
}

export function shardStub(env, index) {
  return env.MESSAGES.get(env.MESSAGES.idFromName(`messages:${index}`));
}

/** A campaign's counts from the webhooks: the sum of every shard's. */
export async function webhookCounts(env, campaign) {
  const parts = await Promise.all(Array.from({ length: SHARDS }, (_, i) => shardStub(env, i).counts(campaign)));
  const total = Object.fromEntries(COUNTED.map((k) => [k, 0]));
  for (const part of parts) for (const k of COUNTED) total[k] += part[k];
  return total;
}

/**
 * How one message's status webhook changes its campaign's counts (null: no change), and records
 * the message's stage in `m` (`reached`: the last of sent/delivered/read counted, -1 before;
 * `stage`). sent ⊇ delivered ⊇ read; failed until a resend is delivered.
 */
export function progress(m, status) {
  const stage = m.stage;
  const reached = m.reached ?? -1;
  if (status === "failed") {
    if (stage === "failed" || reached >= 1) return null; // counted, or delivered already
    m.stage = "failed";
    return { failed: 1 };
  }
  const rank = STAGES.indexOf(status);
  if (rank < 0 || rank <= reached) return null;
  const deltas = {};
  for (let r = reached + 1; r <= rank; r++) deltas[STAGES[r]] = 1;
  m.reached = rank;
  if (stage === "failed") {
    if (rank < 1) return deltas; // a resend was sent: still failed until it is delivered
    deltas.failed = -1; // recovered
  }
  m.stage = status;
  return deltas;
}

export class Messages extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS messages (
      id TEXT PRIMARY KEY,
      status TEXT,
      recipient TEXT,
      error_code TEXT,
      timeline TEXT NOT NULL,
      campaign TEXT,
      reached INTEGER NOT NULL DEFAULT -1,
      stage TEXT,
      created INTEGER NOT NULL
    )`);
    this.sql.exec("CREATE INDEX IF NOT EXISTS messages_created ON messages (created)");
    this.sql.exec(`CREATE TABLE IF NOT EXISTS counts (
      campaign TEXT PRIMARY KEY,
      sent INTEGER NOT NULL DEFAULT 0,
      delivered INTEGER NOT NULL DEFAULT 0,
      "read" INTEGER NOT NULL DEFAULT 0,
      failed INTEGER NOT NULL DEFAULT 0
    )`);
    // The retention sweep: one alarm a day.
    ctx.blockConcurrencyWhile(async () => {
      if ((await ctx.storage.getAlarm()) === null) await ctx.storage.setAlarm(Date.now() + SWEEP_MS);
    });
  }

  /** A message's record: changed and not yet written, else stored, else null. */
  row(id) {
    const dirty = this.dirty?.get(id);
    if (dirty) return dirty;
    const [r] = this.sql.exec("SELECT * FROM messages WHERE id = ?", id).toArray();
    if (!r) return null;
    return { ...r, timeline: JSON.parse(r.timeline) };
  }

  fresh(id) {
    return { id, status: null, recipient: null, error_code: null, timeline: [], campaign: null, reached: -1, stage: null, created: Date.now() };
  }

  /** Marks a record changed (and a campaign's counts moved): resolves once they are written. */
  changed(m, campaign, deltas) {
    (this.dirty ??= new Map()).set(m.id, m);
    if (campaign && deltas) {
      this.pendingCounts ??= new Map();
      const pending = this.pendingCounts.get(campaign) ?? Object.fromEntries(COUNTED.map((k) => [k, 0]));
      for (const k of COUNTED) pending[k] += deltas[k] ?? 0;
      this.pendingCounts.set(campaign, pending);
    }
    this.flushing ??= new Promise((resolve, reject) => {
      setTimeout(() => {
        this.flushing = null;
        try {
          this.flush();
          resolve();
        } catch (err) {
          reject(err);
        }
      }, FLUSH_MS);
    });
    return this.flushing;
  }

  /** Writes every changed record and count in one transaction. */
  flush() {
    const rows = [...(this.dirty?.values() ?? [])];
    const counts = [...(this.pendingCounts ?? [])];
    this.dirty = new Map();
    this.pendingCounts = new Map();
    this.ctx.storage.transactionSync(() => {
      for (const m of rows) this.save(m);
      for (const [campaign, deltas] of counts) this.count(campaign, deltas);
    });
  }

  save(m) {
    this.sql.exec(
      `INSERT INTO messages (id, status, recipient, error_code, timeline, campaign, reached, stage, created)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET status = excluded.status, recipient = excluded.recipient,
         error_code = excluded.error_code, timeline = excluded.timeline, campaign = excluded.campaign,
         reached = excluded.reached, stage = excluded.stage`,
      m.id, m.status, m.recipient, m.error_code, JSON.stringify(m.timeline), m.campaign, m.reached, m.stage, m.created,
    );
  }

  count(campaign, deltas) {
    const d = COUNTED.map((k) => deltas[k] ?? 0);
    this.sql.exec(
      `INSERT INTO counts (campaign, sent, delivered, "read", failed) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (campaign) DO UPDATE SET sent = sent + excluded.sent, delivered = delivered + excluded.delivered,
         "read" = "read" + excluded."read", failed = failed + excluded.failed`,
      campaign, ...d,
    );
  }

  /**
   * A status webhook: `{ messageId, status, recipient?, errorCode?, at }`. Recorded once: a status
   * the message already has is a repeat, answered `{ duplicate: true }`. (A resend's statuses
   * count on its original's record: `resendStatus`.)
   */
  async status({ messageId, status, recipient, errorCode, at }) {
    const m = this.row(messageId) ?? this.fresh(messageId);
    if (m.timeline.some((t) => t.status === status)) {
      if (this.dirty?.has(messageId)) await this.flushing; // answered once the first is written
      return { duplicate: true };
    }
    m.status = status;
    m.recipient = recipient ?? m.recipient;
    if (errorCode) m.error_code = errorCode;
    m.timeline.push({ status, at });
    await this.changed(m, m.campaign, m.campaign ? progress(m, status) : null);
    return { duplicate: false };
  }

  /** A status of a resend of `original` (a message of this shard): its campaign's progress. */
  async resendStatus(original, status) {
    const m = this.row(original);
    if (!m?.campaign) return;
    const deltas = progress(m, status);
    if (deltas) await this.changed(m, m.campaign, deltas);
  }

  /**
   * Campaign `campaign` sent these messages (the account's Durable Object tells, in batches, soon
   * after the sends). Webhooks that came first are counted now; a message told twice, once.
   */
  async track(campaign, messageIds) {
    let written = null;
    for (const id of messageIds) {
      const m = this.row(id) ?? this.fresh(id);
      if (m.campaign) continue;
      m.campaign = campaign;
      const deltas = Object.fromEntries(COUNTED.map((k) => [k, 0]));
      for (const t of m.timeline) for (const [k, d] of Object.entries(progress(m, t.status) ?? {})) deltas[k] += d;
      written = this.changed(m, campaign, deltas);
    }
    await written;
  }

  /** This shard's counts for a campaign (with those not yet written). */
  counts(campaign) {
    const [r] = this.sql.exec(`SELECT sent, delivered, "read", failed FROM counts WHERE campaign = ?`, campaign).toArray();
    const pending = this.pendingCounts?.get(campaign);
    return Object.fromEntries(COUNTED.map((k) => [k, (r?.[k] ?? 0) + (pending?.[k] ?? 0)]));
  }

  /** A message's stored status: `{ messageId, status, recipient, errorCode?, timeline }`, or null. */
  get(messageId) {
    const m = this.row(messageId);
    if (!m || m.timeline.length === 0) return null;
    return { messageId, status: m.status, recipient: m.recipient ?? undefined, ...(m.error_code ? { errorCode: m.error_code } : {}), timeline: m.timeline };
  }

  async alarm() {
    const cutoff = Date.now() - KEEP_MS;
    this.sql.exec("DELETE FROM messages WHERE created < ?", cutoff);
    await this.ctx.storage.setAlarm(Date.now() + SWEEP_MS);
  }
}
