// What bench/worker-cpu.mjs gives the worker example (worker-example/src/index.mjs) in place of
// Cloudflare's platform, and the requests it sends. Platform-neutral (no node: imports): the same
// module runs in Node (lib/worker-node.mjs) and bundled into workerd for the cross-check.
//
// `env` holds small in-memory implementations of exactly the bindings wrangler.toml declares (as
// wrangler parses it): its vars, KV namespaces, Queue producers and Durable Object namespaces (for a
// SQLite-backed class, with sql.js as its SQL database), plus the secrets. A binding of any other
// kind makes makeEnv throw, so a new one in wrangler.toml cannot leave the example silently short.
// `sql.js` resolves to its Node build in Node, and to its browser build in the workerd bundle.

import initSqlJs from "sql.js";

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

// SQLite for the Durable Object classes wrangler.toml makes SQLite-backed (`new_sqlite_classes`):
// sql.js, the real engine compiled to wasm (Node 20 has no node:sqlite), so the example's SQL runs
// as it would on Cloudflare rather than through a stand-in.
/**
 * sql.js, ready, for makeEnv. `wasm`: sql.js's .wasm as a compiled module, for a runtime that
 * compiles none from bytes (workerd: the bundle imports it as a module); Node's sql.js reads its own.
 */
export function loadSqlite(wasm) {
  if (!wasm) return initSqlJs({});
  // Seeing WorkerGlobalScope, sql.js's browser build reads self.location, which workerd lacks: one
  // is lent while it starts (synchronously), so neither the example nor the package sees it.
  const lent = !("location" in globalThis);
  if (lent) globalThis.location = { href: "https://sql.js.invalid/" };
  try {
    return initSqlJs({
      instantiateWasm(imports, receive) {
        const instance = new WebAssembly.Instance(wasm, imports);
        receive(instance, wasm);
        return instance.exports;
      },
    });
  } finally {
    if (lent) delete globalThis.location;
  }
}

const TRIVIA = /^(?:\s|;|--[^\n]*|\/\*[\s\S]*?\*\/)*$/; // all that may follow a query's last statement
const TRANSACTION = /^\s*(?:BEGIN|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE)\b/i;
const isBinding = (v) => v == null || typeof v === "number" || typeof v === "string" || v instanceof ArrayBuffer || ArrayBuffer.isView(v);

/**
 * `ctx.storage.sql` (Cloudflare's SqlStorage) over a sql.js database, as workerd behaves: with
 * several statements in a query the bindings go to the last, whose cursor it is; statements are
 * prepared once per query text (workerd caches them too); values come back as numbers (INTEGER
 * included), strings, ArrayBuffers or null, and undefined binds as NULL; BEGIN and SAVEPOINT are
 * refused (transactionSync is the way). Unlike workerd, a statement runs to its end in exec().
 */
class SqlStorage {
  constructor(SQL) {
    this.db = new SQL.Database();
    this.statements = new Map(); // query text → its prepared statement (single-statement queries)
    // Rows written so far, from SQLite's total_changes(): an update hook would have sql.js compile
    // a wasm trampoline at run time, which workerd forbids.
    this.changes = 0;
  }

  /** Rows written since the last call. */
  written() {
    const [total] = this.run(this.prepared("SELECT total_changes()"), []).rows[0];
    const n = total - this.changes;
    this.changes = total;
    return n;
  }

  exec(query, ...bindings) {
    if (TRANSACTION.test(query)) throw new Error("To execute a transaction, use ctx.storage.transactionSync() instead of SQL BEGIN TRANSACTION or SAVEPOINT");
    const values = bindings.map((v) => {
      if (!isBinding(v)) throw new TypeError(`SQL bindings are strings, numbers, ArrayBuffers or null, not ${Object.prototype.toString.call(v)}`);
      if (v instanceof ArrayBuffer) return new Uint8Array(v);
      return ArrayBuffer.isView(v) ? new Uint8Array(v.buffer, v.byteOffset, v.byteLength) : (v ?? null);
    });
    let statement = this.statements.get(query);
    let several = false; // then the last is prepared anew each time, not cached
    if (!statement) {
      // sql.js's iterator frees each statement as it moves on, so the last is prepared again.
      let last = null;
      const it = this.db.iterateStatements(query);
      for (const s of it) {
        if (TRIVIA.test(it.getRemainingSQL())) {
          last = s.getSQL();
          break;
        }
        this.run(s, []); // before the next is prepared: it may use this one's tables
        several = true;
      }
      if (last === null) return new SqlStorageCursor([], [], 0);
      statement = this.db.prepare(last);
      if (!several) this.statements.set(query, statement);
    }
    try {
      const { columns, rows } = this.run(statement, values);
      return new SqlStorageCursor(columns, rows, this.written());
    } finally {
      if (several) statement.free();
    }
  }

  /** Runs a prepared statement to its end: its column names and rows (arrays). */
  run(statement, values) {
    try {
      if (values.length) statement.bind(values);
      const rows = [];
      while (statement.step()) rows.push(statement.get().map((v) => (v instanceof Uint8Array ? v.buffer : v)));
      return { columns: statement.getColumnNames(), rows };
    } finally {
      statement.reset(); // clears the bindings too, for the statement's next use
    }
  }

  /** A statement of this fake or of the storage API (transactionSync's savepoints): cached, not refused. */
  prepared(query) {
    let statement = this.statements.get(query);
    if (!statement) this.statements.set(query, (statement = this.db.prepare(query)));
    return statement;
  }

  /** Bytes the database takes, as workerd counts them (pages in use × page size). */
  get databaseSize() {
    const [[size]] = this.db.exec("SELECT ((SELECT * FROM pragma_page_count) - (SELECT * FROM pragma_freelist_count)) * (SELECT * FROM pragma_page_size)")[0].values;
    return size;
  }
}

/**
 * The cursor exec() returns: an iterator of row objects; toArray(), one() (throws unless exactly
 * one row), raw() (the rest as arrays), columnNames, rowsRead, rowsWritten. rowsRead counts the
 * rows returned: sql.js's build has no scan counters, so it is short of workerd's rows scanned.
 */
class SqlStorageCursor {
  #rows;
  #at = 0;
  #written;
  constructor(columnNames, rows, written) {
    this.columnNames = columnNames;
    this.#rows = rows;
    this.#written = written;
  }
  get rowsRead() {
    return this.#rows.length;
  }
  get rowsWritten() {
    return this.#written;
  }
  #nextValues() {
    return this.#at < this.#rows.length ? this.#rows[this.#at++] : null;
  }
  next() {
    const values = this.#nextValues();
    if (!values) return { done: true, value: undefined };
    const row = {};
    for (let i = 0; i < values.length; i++) row[this.columnNames[i]] = values[i];
    return { done: false, value: row };
  }
  [Symbol.iterator]() {
    return this;
  }
  toArray() {
    return Array.from(this);
  }
  one() {
    const { done, value } = this.next();
    if (done) throw new Error("Expected exactly one result from SQL query, but got no results.");
    if (this.#at < this.#rows.length) {
      this.#at = this.#rows.length;
      throw new Error("Expected exactly one result from SQL query, but got multiple results.");
    }
    return value;
  }
  raw() {
    const next = () => {
      const values = this.#nextValues();
      return values ? { done: false, value: values } : { done: true, value: undefined };
    };
    return { next, [Symbol.iterator]() { return this; } };
  }
}

const MAX_KEYS = 128; // per get, put or delete of several keys
const tooMany = (n) => {
  if (n > MAX_KEYS) throw new RangeError(`Durable Object storage takes at most ${MAX_KEYS} keys at once, not ${n}`);
};

/**
 * Durable Object storage: the key-value calls (values structured-cloned, as the platform serialises
 * them; SQLite-backed storage does them at once, so nothing here waits), the alarm, and for a
 * SQLite-backed class `sql` and transactionSync. Options of put (allowUnconfirmed, noCache) change
 * nothing in memory; every write is at once what sync() waits for.
 */
class MemoryStorage {
  constructor(sqlite) {
    this.map = new Map();
    if (sqlite) this.sql = new SqlStorage(sqlite);
    this.alarmAt = null;
    this.onAlarm = null; // set by the namespace: runs the object's alarm()
  }
  async get(keys) {
    if (!Array.isArray(keys)) return structuredClone(this.map.get(keys));
    tooMany(keys.length);
    const found = new Map(); // the keys that have values
    for (const key of keys) if (this.map.has(key)) found.set(key, structuredClone(this.map.get(key)));
    return found;
  }
  async put(keyOrEntries, value) {
    if (typeof keyOrEntries === "string") return void this.map.set(keyOrEntries, structuredClone(value));
    const entries = Object.entries(keyOrEntries);
    tooMany(entries.length);
    for (const [key, v] of entries) this.map.set(key, structuredClone(v));
  }
  async delete(keys) {
    if (!Array.isArray(keys)) return this.map.delete(keys);
    tooMany(keys.length);
    return keys.filter((key) => this.map.delete(key)).length;
  }
  async sync() {}
  async getAlarm() {
    return this.alarmAt;
  }
  /** Sets (or moves) the alarm: the object's alarm() runs then, and getAlarm() is null again. */
  async setAlarm(time) {
    this.alarmAt = Number(time); // a Date or ms since the epoch
    clearTimeout(this.timer);
    const arm = () => {
      const fire = () => (Date.now() < this.alarmAt ? arm() : ((this.alarmAt = null), this.onAlarm()));
      this.timer = setTimeout(fire, Math.min(Math.max(0, this.alarmAt - Date.now()), 2 ** 31 - 1));
      this.timer.unref?.(); // Node: a pending alarm (the message shards' daily sweep) keeps no run alive
    };
    arm();
  }
  async deleteAlarm() {
    clearTimeout(this.timer);
    this.alarmAt = null;
  }
  /** Runs `fn` as one transaction of the SQL database: all of its writes, or (if it throws) none. */
  transactionSync(fn) {
    if (!this.sql) throw new Error("transactionSync() is only for SQLite-backed Durable Objects");
    // Nested calls nest: RELEASE and ROLLBACK TO take the innermost savepoint of that name.
    this.sql.run(this.sql.prepared("SAVEPOINT tx"), []);
    try {
      const result = fn();
      this.sql.run(this.sql.prepared("RELEASE tx"), []);
      return result;
    } catch (err) {
      this.sql.run(this.sql.prepared("ROLLBACK TO tx"), []);
      this.sql.run(this.sql.prepared("RELEASE tx"), []);
      throw err;
    }
  }
}

/**
 * `cloudflare:workers`'s DurableObject, the base class of the example's Durable Objects, in Node and
 * in the workerd bundle alike (workerd's own takes only a real DurableObjectState).
 */
export class DurableObject {
  constructor(ctx, env) {
    this.ctx = ctx;
    this.env = env;
  }
}

/**
 * A Durable Object namespace: one object per name, made on first use, its storage kept for its
 * life; stub calls behave like RPC (async; arguments and results structured-cloned). While a
 * blockConcurrencyWhile callback runs, calls wait; if it throws, they get its error and the object
 * is made anew (with the same storage) on the next call.
 */
export class MemoryDurableObjectNamespace {
  constructor(cls, env, sqlite) {
    this.cls = cls;
    this.env = env;
    this.sqlite = sqlite; // sql.js for a SQLite-backed class, else null
    this.instances = new Map(); // name → { object, blocked }: blocked, while blockConcurrencyWhile runs
    this.storages = new Map(); // name → MemoryStorage
  }
  idFromName(name) {
    return { name, toString: () => name, equals: (other) => other?.name === name };
  }
  instance(id) {
    const key = id.toString();
    if (this.instances.has(key)) return this.instances.get(key);
    if (!this.storages.has(key)) this.storages.set(key, new MemoryStorage(this.sqlite));
    const storage = this.storages.get(key);
    const entry = { object: null, blocked: null };
    const ctx = {
      id,
      storage,
      waitUntil() {},
      blockConcurrencyWhile: (fn) => {
        const run = (async () => fn())();
        const gate = run.then(
          () => {
            if (entry.blocked === gate) entry.blocked = null;
          },
          (err) => {
            if (this.instances.get(key) === entry) this.instances.delete(key);
            throw err;
          },
        );
        gate.catch(() => {}); // the waiting calls get the error
        entry.blocked = gate;
        return run;
      },
    };
    entry.object = new this.cls(ctx, this.env);
    this.instances.set(key, entry);
    storage.onAlarm = () => this.call(id, "alarm", []);
    return entry;
  }
  async call(id, method, args) {
    const cloned = structuredClone(args);
    const entry = this.instance(id);
    while (entry.blocked) await entry.blocked;
    return structuredClone(await entry.object[method](...cloned));
  }
  get(id) {
    return new Proxy({}, { get: (_, method) => (method === "then" ? undefined : (...args) => this.call(id, method, args)) });
  }
}

const PROVIDED = new Set(["bindings", "kvNamespaces", "queueProducers", "queueConsumers", "durableObjects"]);
const isEmpty = (v) => v === undefined || v === null || typeof v !== "object" || (Array.isArray(v) ? v.length === 0 : Object.values(v).every(isEmpty));

/**
 * `env` from wrangler's parse of wrangler.toml (`unstable_getMiniflareWorkerOptions().workerOptions`),
 * the example's module (for its Durable Object classes), the secrets and sql.js (`loadSqlite()`).
 */
export function makeEnv(config, exports, secrets, sqlite) {
  for (const [kind, value] of Object.entries(config)) {
    if (!PROVIDED.has(kind) && kind !== "modulesRules" && !isEmpty(value)) {
      throw new Error(`worker-env: wrangler.toml declares ${kind} (${JSON.stringify(value)}), which bench/lib/worker-env.mjs does not provide`);
    }
  }
  const env = { ...config.bindings, ...secrets };
  for (const name of Object.keys(config.kvNamespaces ?? {})) env[name] = new MemoryKV();
  for (const name of Object.keys(config.queueProducers ?? {})) env[name] = new MemoryQueue();
  for (const [name, { className, useSQLite }] of Object.entries(config.durableObjects ?? {})) {
    if (typeof exports[className] !== "function") throw new Error(`worker-env: the example exports no Durable Object class ${className}`);
    if (useSQLite && !sqlite) throw new Error(`worker-env: ${className} is SQLite-backed: give makeEnv sql.js (loadSqlite())`);
    env[name] = new MemoryDurableObjectNamespace(exports[className], env, useSQLite ? sqlite : null);
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

/**
 * The measured cases: `requests` per round, `perRequest` notifications each, the status expected,
 * and what the figure's note must say of a case.
 */
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
  // 100, not 1,000: each waits ~100 ms for its message shard's write batch (worker-example/src/messages.mjs).
  {
    key: "status",
    what: "webhook delivery (status update)",
    requests: 100,
    perRequest: 1,
    status: 200,
    make: statusWebhook,
    note: "each waits ~100 ms, idle, for its message shard's write batch, so it is handled by a process just woken, on cold caches, as by an isolate that gets one webhook at a time: several times the CPU of back-to-back requests",
  },
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
