// What bench/worker-cpu.mjs gives the worker example (worker-example/src/index.mjs) in place of
// Cloudflare's platform, and the requests it sends. Platform-neutral (no node: imports): the same
// module runs in Node (lib/worker-node.mjs) and bundled into workerd for the cross-check.
//
// `env` holds small in-memory implementations of exactly the bindings wrangler.toml declares (as
// wrangler parses it): its vars, KV namespaces, Queue producers and Durable Object namespaces, plus
// the secrets. A binding of any other kind makes makeEnv throw, so a new one in wrangler.toml
// cannot leave the example silently short.

/** Workers KV: strings by key (expiry options accepted and ignored: a run is far shorter). */
export class MemoryKV {
  constructor() {
    this.map = new Map();
  }
  async get(key, type) {
    const value = this.map.get(key);
    if (value === undefined) return null;
    const as = typeof type === "object" ? type?.type : type;
    return as === "json" ? JSON.parse(value) : value;
  }
  async put(key, value) {
    if (typeof value !== "string") throw new TypeError("MemoryKV stores strings only");
    this.map.set(key, value);
  }
  async delete(key) {
    this.map.delete(key);
  }
  async list({ prefix = "" } = {}) {
    const keys = [...this.map.keys()].filter((k) => k.startsWith(prefix)).sort().map((name) => ({ name }));
    return { keys, list_complete: true };
  }
}

/**
 * A Queue producer. Sending serialises each body (Queues' default content type is "v8", the V8
 * serializer); structuredClone stands in for that cost. Messages are counted, not kept.
 */
export class MemoryQueue {
  constructor() {
    this.sent = 0;
  }
  async send(body) {
    return this.sendBatch([{ body }]);
  }
  async sendBatch(messages) {
    if (messages.length > 100) throw new RangeError("sendBatch takes at most 100 messages");
    for (const m of messages) structuredClone(m.body);
    this.sent += messages.length;
  }
}

/** Durable Object storage (the key-value calls the example makes), values structured-cloned. */
class MemoryStorage {
  constructor() {
    this.map = new Map();
  }
  async get(key) {
    return structuredClone(this.map.get(key));
  }
  async put(key, value) {
    this.map.set(key, structuredClone(value));
  }
  async delete(key) {
    return this.map.delete(key);
  }
}

/**
 * A Durable Object namespace: one instance per name, made on first use; stub calls behave like RPC
 * (async; arguments and results structured-cloned).
 */
export class MemoryDurableObjectNamespace {
  constructor(cls, env) {
    this.cls = cls;
    this.env = env;
    this.instances = new Map();
  }
  idFromName(name) {
    return { name, toString: () => name, equals: (other) => other?.name === name };
  }
  get(id) {
    const key = id.toString();
    const instance = () => {
      if (!this.instances.has(key)) this.instances.set(key, new this.cls({ id, storage: new MemoryStorage(), waitUntil() {} }, this.env));
      return this.instances.get(key);
    };
    return new Proxy(
      {},
      { get: (_, method) => (method === "then" ? undefined : async (...args) => structuredClone(await instance()[method](...structuredClone(args)))) },
    );
  }
}

const PROVIDED = new Set(["bindings", "kvNamespaces", "queueProducers", "queueConsumers", "durableObjects"]);
const isEmpty = (v) => v === undefined || v === null || typeof v !== "object" || (Array.isArray(v) ? v.length === 0 : Object.values(v).every(isEmpty));

/**
 * `env` from wrangler's parse of wrangler.toml (`unstable_getMiniflareWorkerOptions().workerOptions`),
 * the example's module (for its Durable Object classes) and the secrets.
 */
export function makeEnv(config, exports, secrets) {
  for (const [kind, value] of Object.entries(config)) {
    if (!PROVIDED.has(kind) && kind !== "modulesRules" && !isEmpty(value)) {
      throw new Error(`worker-env: wrangler.toml declares ${kind} (${JSON.stringify(value)}), which bench/lib/worker-env.mjs does not provide`);
    }
  }
  const env = { ...config.bindings, ...secrets };
  for (const name of Object.keys(config.kvNamespaces ?? {})) env[name] = new MemoryKV();
  for (const name of Object.keys(config.queueProducers ?? {})) env[name] = new MemoryQueue();
  for (const [name, { className }] of Object.entries(config.durableObjects ?? {})) {
    if (typeof exports[className] !== "function") throw new Error(`worker-env: the example exports no Durable Object class ${className}`);
    env[name] = new MemoryDurableObjectNamespace(exports[className], env);
  }
  return env;
}

export const ctx = { waitUntil() {}, passThroughOnException() {} };
export const SECRETS = { SENDEXA_TOKEN: "bench-token", SENDEXA_WEBHOOK_SECRET: "whsec_bench_0123456789abcdef", NOTIFY_SECRET: "bench-notify-secret" };
const ORIGIN = "https://worker.example";

// ---------------------------------------------------------------------------------------------
// The requests. Ghanaian mobile numbers as people type them; shorthand text notifications and
// full template messages (the ones validateMessage checks), alternately in the 100-notification
// body; webhooks as Sendexa delivers them (HMAC-SHA256 of the raw body in X-Signature, a delivery
// id, a timestamp). Prepared before the clock starts (a Request is the runtime's work, not the
// Worker's): `prepare` gives each request's URL and init, `toRequests` makes the Request objects.

let serial = 0;
export const phone = (i) => `+233 24 ${String(4_000_000 + (i % 1_000_000)).replace(/^(\d{3})(\d{4})$/, "$1 $2")}`;
const digits = (i) => phone(i).replace(/\D/g, "");
export const textNotification = (i) => ({ to: phone(i), text: `Your order #${10_000 + i} has shipped and arrives tomorrow.` });
const templateNotification = (i) => ({
  message: {
    to: digits(i),
    type: "template",
    template: { name: "order_update", language: "en_US", components: [{ type: "body", parameters: [{ type: "text", text: `#${10_000 + i}` }] }] },
  },
});

const notifyRequest = (body) => [
  `${ORIGIN}/notify`,
  {
    method: "POST",
    headers: { authorization: `Bearer ${SECRETS.NOTIFY_SECRET}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  },
];

let hmacKey;
async function webhookRequest(payload) {
  const body = JSON.stringify(payload);
  hmacKey ??= await crypto.subtle.importKey("raw", new TextEncoder().encode(SECRETS.SENDEXA_WEBHOOK_SECRET), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", hmacKey, new TextEncoder().encode(body)));
  return [
    `${ORIGIN}/webhooks/sendexa`,
    {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-signature": `sha256=${Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("")}`,
        "x-webhook-id": `whk_${(serial++).toString(36)}`,
        "x-timestamp": new Date().toISOString(),
      },
      body,
    },
  ];
}

const STATUSES = ["sent", "delivered", "read"];
/** A status update; each message walks sent → delivered → read, so its stored timeline stays short. */
export const statusWebhook = (i) => {
  const n = serial;
  return webhookRequest({
    event: `message.${STATUSES[n % 3]}`,
    messageId: `exa_wa_${Math.floor(n / 3)}`,
    wamid: `wamid.HBgMMjMzMjQ0MDAw${Math.floor(n / 3)}`,
    to: digits(i),
    type: "text",
    status: STATUSES[n % 3],
    timestamp: new Date(Date.UTC(2026, 0, 15, 10, 0, n % 60)).toISOString(),
  });
};
/** An inbound text message (opens the sender's 24-hour window). */
export const inboundWebhook = (i) =>
  webhookRequest({
    event: "message.received",
    messageId: `exa_wa_in_${serial}`,
    wamid: `wamid.HBgMMjMzMjQ0MDAwMDAwFQIAEhggQjQ1RTY3${serial}`,
    from: digits(i),
    type: "text",
    text: { body: "Hello, is my order on its way?" },
    timestamp: new Date(Date.now() - 60_000).toISOString(),
    contact: { name: "Ama Mensah", phone: digits(i) },
  });

/** The measured cases: `requests` per round, `perRequest` notifications each, the status expected. */
export const CASES = [
  { key: "notify1", what: "/notify (1 notification)", requests: 1000, perRequest: 1, status: 202, make: async (i) => notifyRequest(textNotification(i)) },
  {
    key: "notify100",
    what: "/notify (100 notifications)",
    requests: 50,
    perRequest: 100,
    status: 202,
    make: async (i) => notifyRequest({ notifications: Array.from({ length: 100 }, (_, j) => (j % 2 ? templateNotification(i * 100 + j) : textNotification(i * 100 + j))) }),
  },
  { key: "status", what: "webhook delivery (status update)", requests: 1000, perRequest: 1, status: 200, make: statusWebhook },
  { key: "inbound", what: "webhook delivery (inbound message)", requests: 1000, perRequest: 1, status: 200, make: inboundWebhook },
];

/** A round's requests, prepared ahead of time: `[url, init]` each. */
export async function prepare(c, requests = c.requests) {
  const out = [];
  for (let i = 0; i < requests; i++) out.push(await c.make(i));
  return out;
}

export const toRequests = (prepared) => prepared.map(([url, init]) => new Request(url, init));

/** Sends prepared requests through the Worker's fetch one at a time; throws on an unexpected status. */
export async function handle(worker, env, c, requests) {
  for (const request of requests) {
    const response = await worker.fetch(request, env, ctx);
    if (response.status !== c.status) throw new Error(`${c.key}: HTTP ${response.status}: ${await response.text()}`);
  }
}
