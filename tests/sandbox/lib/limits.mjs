// Per-token sliding-window rate limits (reference §10), measured on the sandbox clock.

const SECOND = 1000, MINUTE = 60 * SECOND, DAY = 24 * 60 * MINUTE;
const WINDOWS = { perSecond: SECOND, perMinute: MINUTE, perDay: DAY };

/** The live table [D-WA]. Buckets: which endpoint a request counts against. */
export const DEFAULT_LIMITS = {
  send: { perSecond: 80, perMinute: 3000, perDay: 100000 },
  status: { perSecond: 200, perMinute: 5000 },
  resend: { perSecond: 20, perMinute: 500 },
  numbersCheck: { perMinute: 300, perDay: 50000 },
  templateCreate: { perDay: 100 },
};

/**
 * Merges overrides into the defaults. `false` disables every limit; a bucket or window set to
 * null/0/false removes it: `{ send: { perDay: 10 }, status: false }`.
 */
export function resolveLimits(overrides) {
  if (overrides === false) return {};
  const out = {};
  for (const [bucket, windows] of Object.entries(DEFAULT_LIMITS)) {
    const o = overrides && typeof overrides === "object" ? overrides[bucket] : undefined;
    if (o === false || o === null) continue;
    const merged = { ...windows, ...(o && typeof o === "object" ? o : {}) };
    const list = Object.entries(merged)
      .filter(([name, limit]) => WINDOWS[name] && limit)
      .map(([name, limit]) => ({ name, windowMs: WINDOWS[name], limit: Number(limit) }));
    if (list.length) out[bucket] = list;
  }
  return out;
}

/** Timestamps of allowed requests within one window, oldest first (a queue on an array). */
class SlidingLog {
  constructor(windowMs, limit) {
    Object.assign(this, { windowMs, limit, times: [], head: 0 });
  }
  prune(now) {
    const cutoff = now - this.windowMs;
    while (this.head < this.times.length && this.times[this.head] <= cutoff) this.head++;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
  }
  get count() {
    return this.times.length - this.head;
  }
  /** Sandbox ms until a slot frees (0 if one is free now). */
  waitMs(now) {
    return this.count < this.limit ? 0 : this.times[this.head + this.count - this.limit] + this.windowMs - now;
  }
  resetAt(now) {
    return this.count ? this.times[this.head] + this.windowMs : now + this.windowMs;
  }
}

export class RateLimiter {
  constructor({ clock, limits }) {
    this.clock = clock;
    this.config = resolveLimits(limits);
    this.logs = new Map(); // `${token}\0${bucket}` → SlidingLog[]
    this.refused = {}; // bucket → 429s answered, so tests can prove a client never hit the limit
  }

  reset() {
    this.logs.clear();
    this.refused = {};
  }

  logsFor(token, bucket) {
    const key = `${token}\0${bucket}`;
    let logs = this.logs.get(key);
    if (!logs) {
      logs = this.config[bucket].map((w) => Object.assign(new SlidingLog(w.windowMs, w.limit), { name: w.name }));
      this.logs.set(key, logs);
    }
    return logs;
  }

  /**
   * Counts one request. Returns `{ allowed, headers, retryAfterMs, window }`; a refused request
   * is not counted, so a client that backs off recovers.
   */
  take(token, bucket) {
    if (!this.config[bucket]) return { allowed: true, headers: {} };
    const now = this.clock.now();
    const logs = this.logsFor(token, bucket);
    logs.forEach((l) => l.prune(now));
    // The window that keeps the client waiting longest decides the 429.
    const blocking = logs.filter((l) => l.waitMs(now) > 0).sort((a, b) => b.waitMs(now) - a.waitMs(now))[0];
    if (blocking) {
      this.refused[bucket] = (this.refused[bucket] ?? 0) + 1;
      const waitMs = blocking.waitMs(now);
      return { allowed: false, retryAfterMs: waitMs, window: blocking.name, limit: blocking.limit, headers: this.headers(blocking, now, now + waitMs) };
    }
    logs.forEach((l) => l.times.push(now));
    // Report the tightest window: the one with the fewest requests left.
    const tightest = logs.reduce((a, b) => (b.limit - b.count < a.limit - a.count ? b : a));
    return { allowed: true, headers: this.headers(tightest, now, tightest.resetAt(now)) };
  }

  headers(log, now, resetAtMs) {
    return {
      "X-RateLimit-Limit": String(log.limit),
      "X-RateLimit-Remaining": String(Math.max(0, log.limit - log.count)),
      "X-RateLimit-Reset": String(Math.ceil(resetAtMs / 1000)),
      "X-RateLimit-Window": String(log.windowMs / 1000),
    };
  }
}
