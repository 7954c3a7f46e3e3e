// One configured SDK client per isolate: credentials and base URL from the environment, the
// account-wide limiter in the Durable Object, and the 24-hour window in KV.
import { Sendexa } from "sendexa-whatsapp";
import { windowStore } from "./stores.mjs";

const clients = new WeakMap();

/** The Durable Object that holds the account's limiter and notification ledger. */
export function account(env) {
  return env.ACCOUNT.get(env.ACCOUNT.idFromName("account"));
}

// The round trip reported to the limiter: the 90th percentile of the last 64 (see `pacedBy`).
const QUANTILE = 0.9;
const quantile = (values, q) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))];

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A `rateLimit` for the SDK from a booking function (`reserve(endpoint)` → the absolute time to
 * go) and the limiter's `report`. The API counts arrivals, so a call must leave when it was booked:
 * - it waits until the booked time (a time, not a wait, so the hop back does not shift it);
 * - a timer that wakes more than `toleranceMs` late (a busy isolate: webhooks, other requests)
 *   has lost its slot — calls that all woke late at once would arrive in a clump — so it books
 *   again instead of going;
 * - what it reports as the round trip is what the limiter's margin is for: how late a call may
 *   arrive. The SDK measures a round trip from the fetch to the answer as this isolate saw it, and
 *   in a busy isolate (webhooks, sends, a Durable Object's other requests) most of that is the
 *   wait for the isolate to get to the answer, long after the API counted the call: a margin of
 *   such round trips (the longest of the last 64, up to 250 ms) held the account to ~61/s of 80/s.
 *   Reported instead: the 90th percentile of the last 64 round trips plus the lateness accepted
 *   at departure (at most `toleranceMs`). The median (~3 ms against the sandbox) let arrivals
 *   jitter past the margin: a 429 in about one campaign of six in the tests and half of
 *   `make demo`'s, each holding every send for its 1 s Retry-After (69–74/s). The 90th
 *   percentile (~30–40 ms) gave none in 18 campaigns, at 76–77/s.
 */
export function pacedBy(reserve, report, { toleranceMs = 50, serial = false } = {}) {
  let late = 0;
  const trips = [];
  let turn = Promise.resolve();
  const go = async (endpoint) => {
    for (;;) {
      const at = await reserve(endpoint);
      const wait = at - Date.now();
      if (wait > 0) await sleep(wait);
      const lateBy = Date.now() - at;
      if (lateBy <= toleranceMs) {
        late = Math.max(late, lateBy);
        return;
      }
    }
  };
  return {
    async acquire(endpoint) {
      if (serial) {
        const mine = turn.then(() => go(endpoint));
        turn = mine.catch(() => {});
        return mine;
      }
      return go(endpoint);
    },
    async report(endpoint, info) {
      const lateness = late;
      late = 0;
      let latencyMs = info?.latencyMs;
      if (typeof latencyMs === "number") {
        trips.push(latencyMs);
        if (trips.length > 64) trips.shift();
        latencyMs = quantile(trips, QUANTILE) + lateness;
      }
      await report(endpoint, { ...info, latencyMs });
    },
  };
}

export function client(env) {
  let wa = clients.get(env);
  if (!wa) {
    wa = new Sendexa({
      token: env.SENDEXA_TOKEN,
      baseUrl: env.SENDEXA_BASE_URL,
      // Every isolate books its slot in the one Durable Object, then waits for it here. The stub
      // is made per call: a stub belongs to the request that made it, the client outlives it.
      rateLimit: pacedBy((endpoint) => account(env).reserve(endpoint), (endpoint, info) => account(env).report(endpoint, info)),
      window: windowStore(env.STATE),
    });
    clients.set(env, wa);
  }
  return wa;
}
