// The sandbox's mutable state: accepted messages, conversation windows, inbound messages.
// Kept free of HTTP and timing so reset() can rebuild it in one place.
import { contentHash } from "./ids.mjs";

export const WINDOW_MS = 24 * 60 * 60 * 1000;

export class State {
  constructor({ clock }) {
    this.clock = clock;
    this.reset();
  }

  reset() {
    this.messages = new Map(); // messageId → record (insertion order = acceptance order)
    this.byWamid = new Map();
    this.contents = new Map(); // content hash → { hash, sends, resends, messageIds }
    this.windows = new Map(); // phone → last inbound sandbox ms
    this.inbound = [];
    this.numberOverrides = new Map(); // account number id → { qualityRating?, messagingLimit?, status? }
    this.unregistered = new Set(); // phones made "not on WhatsApp" by POST /__sandbox/unregistered
  }

  /** Stores an accepted outbound message; `body` is the request as received. */
  addMessage(record) {
    record.hash = contentHash(record.body);
    this.messages.set(record.messageId, record);
    this.byWamid.set(record.wamid, record);
    let c = this.contents.get(record.hash);
    if (!c) this.contents.set(record.hash, (c = { hash: record.hash, sends: 0, resends: 0, messageIds: [] }));
    c[record.origin === "resend" ? "resends" : "sends"]++;
    c.messageIds.push(record.messageId);
    return record;
  }

  /** Finds a message by Sendexa messageId or by wamid (the drafts' messageId). */
  findMessage(id) {
    return this.messages.get(id) || this.byWamid.get(id) || null;
  }

  openWindow(phone, atMs) {
    this.windows.set(phone, atMs);
  }

  windowExpiresAt(phone) {
    const last = this.windows.get(phone);
    return last === undefined ? null : last + WINDOW_MS;
  }

  windowOpen(phone, nowMs = this.clock.now()) {
    const expires = this.windowExpiresAt(phone);
    return expires !== null && nowMs < expires;
  }

  /** The /__sandbox/messages view: every accepted message plus counts per content. */
  inspect({ to, hash, status, origin } = {}) {
    const iso = (ms) => this.clock.iso(ms);
    const messages = [...this.messages.values()]
      .filter((m) => (!to || m.to === to) && (!hash || m.hash === hash) && (!status || m.status === status) && (!origin || m.origin === origin))
      .map((m) => ({
        messageId: m.messageId, wamid: m.wamid, origin: m.origin,
        ...(m.origin === "resend" ? { originalMessageId: m.originalMessageId, resendAttempt: m.resendAttempt } : {}),
        to: m.to, type: m.type, status: m.status, errorCode: m.errorCode,
        history: m.history.map((h) => ({ status: h.status, at: iso(h.at) })),
        hash: m.hash, request: m.body, requestId: m.requestId, acceptedAt: iso(m.acceptedAt),
        // Set when the request was accepted but its response was then corrupted by a fault.
        responseFault: m.responseFault,
      }));
    const keep = new Set(messages.map((m) => m.hash));
    const byContent = [...this.contents.values()].filter((c) => keep.has(c.hash)).map((c) => ({ ...c, messageIds: [...c.messageIds] }));
    return {
      total: messages.length,
      sends: messages.filter((m) => m.origin === "send").length,
      resends: messages.filter((m) => m.origin === "resend").length,
      messages,
      byContent,
      duplicates: byContent.filter((c) => c.sends > 1),
    };
  }

  windowsView() {
    const now = this.clock.now();
    return [...this.windows.keys()].map((phone) => ({
      phone,
      lastInboundAt: this.clock.iso(this.windows.get(phone)),
      expiresAt: this.clock.iso(this.windowExpiresAt(phone)),
      open: this.windowOpen(phone, now),
    }));
  }
}
