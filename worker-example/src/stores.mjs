// Workers KV behind the SDK's pluggable stores. KV is eventually consistent across locations,
// which suits these: a window opened seconds ago elsewhere at worst sends a template instead.
const DAY_SECONDS = 86_400;

/** The 24-hour window: the last inbound message time per recipient (`WindowStore`). */
export function windowStore(kv) {
  return {
    async get(phone) {
      const value = await kv.get(`window:${phone}`);
      return value === null ? undefined : Number(value);
    },
    async set(phone, lastInboundMs) {
      await kv.put(`window:${phone}`, String(lastInboundMs), { expirationTtl: 2 * DAY_SECONDS });
    },
  };
}

/** Webhook deliveries already handled (`DedupeStore`), kept for the API's 24 h retry span. */
export function dedupeStore(kv) {
  return {
    async has(id) {
      return (await kv.get(`webhook:${id}`)) !== null;
    },
    async add(id) {
      await kv.put(`webhook:${id}`, "1", { expirationTtl: 2 * DAY_SECONDS });
    },
  };
}

/** Message statuses from webhooks, newest last, by Sendexa message id. */
export function statusStore(kv) {
  return {
    async get(messageId) {
      return kv.get(`message:${messageId}`, "json");
    },
    async record(event) {
      const key = `message:${event.messageId}`;
      const stored = (await kv.get(key, "json")) ?? { messageId: event.messageId, timeline: [] };
      stored.status = event.status;
      stored.recipient = event.recipient ?? stored.recipient;
      if (event.errorCode) stored.errorCode = event.errorCode;
      stored.timeline.push({ status: event.status, at: event.timestamp ?? new Date().toISOString() });
      await kv.put(key, JSON.stringify(stored), { expirationTtl: 30 * DAY_SECONDS });
    },
  };
}
