// Outgoing webhooks: event bodies (live / draft shapes), HMAC signing, delivery and retries.
import { createHmac } from "node:crypto";
import http from "node:http";
import https from "node:https";
import { ids } from "./ids.mjs";

// Live schedule [D-WH]: attempt 1 at once, attempts 2–6 after 5 s, 30 s, 5 m, 30 m, 2 h (X-Attempt
// stops at 6); the listed 6 h is the wait after the 6th failure before the delivery is marked
// failed. Delays are sandbox time, so --time-scale and /__sandbox/clock shorten them.
export const RETRY_SCHEDULE_MS = [5e3, 30e3, 5 * 60e3, 30 * 60e3, 2 * 3600e3, 6 * 3600e3];

// The drafts' failure codes for the sandbox's WA codes (reference §8.2).
const DRAFT_FAILURES = {
  WA002: { code: "INVALID_NUMBER", provider_code: "131026" },
  WA004: { code: "MEDIA_DOWNLOAD_FAILED", provider_code: "131053" },
};

const iso = (clock, ms) => clock.iso(ms);

/** The body for a status change of an outbound message. */
export function statusEvent(msg, at, shape, clock) {
  const event = `message.${msg.status}`;
  if (shape === "draft") {
    const data = { messageId: msg.wamid, to: msg.to, type: msg.type, status: msg.status, timestamp: iso(clock, at) };
    if (msg.status === "delivered") Object.assign(data, { conversation: msg.conversation, cost: 0.35, currency: "GHS", deliveredAt: iso(clock, at) });
    if (msg.status === "read") data.readAt = iso(clock, at);
    if (msg.status === "failed") {
      const d = DRAFT_FAILURES[msg.errorCode] || { code: msg.errorCode, provider_code: "131000" };
      data.error = { code: d.code, message: msg.errorMessage, provider_code: d.provider_code };
    }
    return { event, data, timestamp: iso(clock, at) };
  }
  const body = { event, messageId: msg.messageId, wamid: msg.wamid, to: msg.to, type: msg.type, status: msg.status, timestamp: iso(clock, at) };
  if (msg.origin === "resend") Object.assign(body, { originalMessageId: msg.originalMessageId, resendAttempt: msg.resendAttempt });
  if (msg.status === "delivered") body.cost = msg.cost;
  if (msg.status === "failed") body.error = { code: msg.errorCode, message: msg.errorMessage };
  return body;
}

/** The body for an inbound (user → business) message. */
export function inboundEvent(msg, shape, clock) {
  const content = { type: msg.type, [msg.type]: msg.content };
  const contact = { name: msg.contactName, phone: msg.from };
  if (shape === "draft") {
    const it = msg.type === "interactive" ? msg.content.type : null;
    const event = it === "button_reply" || it === "list_reply" ? `interactive.${it}` : "message.received";
    const data = { messageId: msg.wamid, from: msg.from, ...content, timestamp: iso(clock, msg.at), contact };
    if (msg.context) data.context = { messageId: msg.context.wamid };
    return { event, data, timestamp: iso(clock, msg.at) };
  }
  const body = { event: "message.received", messageId: msg.messageId, wamid: msg.wamid, from: msg.from, ...content, timestamp: iso(clock, msg.at), contact };
  if (msg.context) body.context = { messageId: msg.context.messageId, wamid: msg.context.wamid };
  return body;
}

export function sign(secret, rawBody) {
  return createHmac("sha256", secret).update(rawBody).digest("hex");
}

/**
 * Delivers events to the configured URL. Every delivery keeps its id and raw body across
 * retries (so receivers can dedupe on X-Webhook-ID and the signature stays valid).
 */
export class Webhooks {
  constructor({ clock, scheduler, config, timeoutMs = 5000, schedule = RETRY_SCHEDULE_MS }) {
    Object.assign(this, { clock, scheduler, timeoutMs, schedule });
    this.initialConfig = { ...config };
    this.agents = { "http:": new http.Agent({ keepAlive: true }), "https:": new https.Agent({ keepAlive: true }) };
    this.inflight = new Set();
    this.reset();
  }

  reset() {
    this.config = { ...this.initialConfig };
    this.deliveries = [];
    this.generation = (this.generation || 0) + 1; // results of pre-reset attempts are ignored
  }

  /** Updates url / secret / shape at run time (POST /__sandbox/webhook). */
  configure(patch) {
    Object.assign(this.config, patch);
  }

  get shape() {
    return this.config.shape;
  }

  emit(payload) {
    if (!this.config.url || this.closed) return null;
    const d = {
      id: this.config.shape === "draft" ? `del_${ids.webhook().slice(4)}` : ids.webhook(),
      event: payload.event, url: this.config.url, secret: this.config.secret, shape: this.config.shape,
      raw: JSON.stringify(payload), payload, state: "pending", attempts: [], createdAt: this.clock.now(),
    };
    this.deliveries.push(d);
    this.attempt(d);
    return d;
  }

  headers(d, attempt) {
    const h = { "Content-Type": "application/json", "User-Agent": "sendexa-sandbox-webhooks/1" };
    const sig = d.secret ? sign(d.secret, d.raw) : null;
    if (d.shape === "draft") {
      // The drafts' header names: bare hex signature, delivery id and attempt [R-WH].
      if (sig) h["X-Sendexa-Signature"] = sig;
      h["X-Sendexa-Delivery-ID"] = d.id;
      h["X-Sendexa-Delivery-Attempt"] = String(attempt);
    } else {
      if (sig) {
        h["X-Signature"] = `sha256=${sig}`;
        h["X-Signature-Version"] = "1";
      }
      h["X-Webhook-ID"] = d.id;
      // Wall-clock time, not sandbox time, so receivers' replay tolerance checks still work.
      h["X-Timestamp"] = new Date().toISOString();
      h["X-Attempt"] = String(attempt);
    }
    return h;
  }

  attempt(d) {
    const n = d.attempts.length + 1;
    const generation = this.generation;
    const record = { attempt: n, at: this.clock.iso(), status: null, error: null };
    d.attempts.push(record);
    const p = this.post(d.url, this.headers(d, n), d.raw).then(
      (status) => (record.status = status),
      (err) => (record.error = err.message),
    ).then(() => {
      this.inflight.delete(p);
      if (generation !== this.generation || this.closed) return;
      if (record.status >= 200 && record.status < 300) d.state = "delivered";
      else if (n <= this.schedule.length) {
        const last = n === this.schedule.length; // after the final wait the delivery is given up
        d.nextAttemptAt = this.clock.now() + this.schedule[n - 1];
        this.scheduler.at(d.nextAttemptAt, () => {
          if (generation !== this.generation) return;
          d.nextAttemptAt = null;
          if (last) d.state = "failed";
          else this.attempt(d);
        });
      } else d.state = "failed";
    });
    this.inflight.add(p);
  }

  post(url, headers, raw) {
    return new Promise((resolve, reject) => {
      let u;
      try {
        u = new URL(url);
      } catch {
        return reject(new Error(`invalid webhook URL ${url}`));
      }
      const lib = u.protocol === "https:" ? https : http;
      const req = lib.request(u, { method: "POST", headers: { ...headers, "Content-Length": Buffer.byteLength(raw) }, agent: this.agents[u.protocol] }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode));
        res.on("error", reject);
      });
      req.setTimeout(this.timeoutMs, () => req.destroy(new Error(`no response within ${this.timeoutMs} ms`)));
      req.on("error", reject);
      req.end(raw);
    });
  }

  /** Resolves when no attempt is in flight (used by `settle` in /__sandbox/clock). */
  async settle() {
    while (this.inflight.size) await Promise.allSettled([...this.inflight]);
  }

  view({ event, state } = {}) {
    return this.deliveries
      .filter((d) => (!event || d.event === event) && (!state || d.state === state))
      .map((d) => ({
        id: d.id, event: d.event, url: d.url, state: d.state, attempts: d.attempts,
        nextAttemptAt: d.nextAttemptAt ? this.clock.iso(d.nextAttemptAt) : null, payload: d.payload,
      }));
  }

  close() {
    this.closed = true;
    for (const agent of Object.values(this.agents)) agent.destroy();
  }
}
