// What every worker test does to reach its two servers: the sandbox's control API, the Worker's
// routes (with the bearer, a wrong one or none), and polling until something has happened.

/** `method path` on the sandbox's control API (`/__sandbox…`); resolves with its `data`. */
export async function controlAt(sandboxUrl, method, path, body) {
  const response = await fetch(`${sandboxUrl}/__sandbox${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await response.json()).data;
}

/**
 * `method path` on the Worker. `auth`: true sends `Bearer <secret>`, a string is sent as the
 * Authorization header, false sends none; `raw` is a body sent as it is. Resolves with the status,
 * the body as JSON (null when it is not) and as text.
 */
export async function callAt(workerUrl, secret, method, path, body, { auth = true, raw } = {}) {
  const headers = { "content-type": "application/json" };
  if (auth === true) headers.authorization = `Bearer ${secret}`;
  else if (typeof auth === "string") headers.authorization = auth;
  const response = await fetch(`${workerUrl}${path}`, {
    method,
    headers,
    body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await response.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: response.status, body: json, text };
}

/** Polls `check` until it returns a truthy value (or throws after `ms`). */
export async function eventually(check, ms = 30_000, what = "condition", everyMs = 100) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
