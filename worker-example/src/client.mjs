// One configured SDK client per isolate: credentials and base URL from the environment, the
// account-wide limiter in the Durable Object, and the 24-hour window in KV.
import { Sendexa } from "sendexa-whatsapp";
import { windowStore } from "./stores.mjs";

const clients = new WeakMap();

/** The Durable Object that holds the account's limiter and notification ledger. */
export function account(env) {
  return env.ACCOUNT.get(env.ACCOUNT.idFromName("account"));
}

export function client(env) {
  let wa = clients.get(env);
  if (!wa) {
    wa = new Sendexa({
      token: env.SENDEXA_TOKEN,
      baseUrl: env.SENDEXA_BASE_URL,
      // Every isolate books its slot in the one Durable Object, then waits for it here. The stub
      // is made per call: a stub belongs to the request that made it, the client outlives it.
      rateLimit: {
        async acquire(endpoint) {
          const waitMs = await account(env).reserve(endpoint);
          if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
        },
        async report(endpoint, info) {
          await account(env).report(endpoint, info);
        },
      },
      window: windowStore(env.STATE),
    });
    clients.set(env, wa);
  }
  return wa;
}
