// Workers KV behind the SDK's window store. KV is eventually consistent across locations, which
// suits it: a window opened seconds ago elsewhere at worst sends a template instead. (Message
// statuses are not kept in KV: a message's statuses come seconds apart, and KV takes one write per
// second per key. They live in Durable Objects: src/messages.mjs.)
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
