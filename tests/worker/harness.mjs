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

/**
 * What the machine spent while a timing was taken (Linux; null elsewhere): `stop()` gives the
 * seconds, and the CPU-seconds used by this process (the test and the sandbox), by its workerd
 * (the Worker) and by everything else on the machine, with the number of cores. Timings in
 * workerd depend on what else runs: a test judges them only when the others left it room.
 */
export async function cpuMeter() {
  const { readFileSync, readdirSync } = await import("node:fs");
  const { cpus } = await import("node:os");
  const TICK = 100; // USER_HZ
  let workerd = [];
  const machine = () => {
    const fields = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = fields[3] + (fields[4] ?? 0);
    return { busy: (fields.reduce((a, b) => a + b, 0) - idle) / TICK };
  };
  const statOf = (pid) => readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  const children = () =>
    readdirSync("/proc").filter((d) => {
      if (!/^\d+$/.test(d)) return false;
      try {
        return statOf(d)[1] === String(process.pid) && readFileSync(`/proc/${d}/comm`, "utf8").trim() === "workerd";
      } catch {
        return false;
      }
    });
  const workerdCpu = () => workerd.reduce((sum, pid) => {
    try {
      const f = statOf(pid);
      return sum + (Number(f[11]) + Number(f[12])) / TICK;
    } catch {
      return sum;
    }
  }, 0);
  const self = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1e6;
  };
  try {
    workerd = children();
    const start = { at: Date.now(), machine: machine(), workerd: workerdCpu(), self: self() };
    return {
      cores: cpus().length,
      stop() {
        const seconds = (Date.now() - start.at) / 1000;
        const ours = { node: self() - start.self, workerd: workerdCpu() - start.workerd };
        const others = Math.max(0, machine().busy - start.machine.busy - ours.node - ours.workerd);
        return { seconds, node: ours.node, workerd: ours.workerd, others, cores: cpus().length };
      },
    };
  } catch {
    return null;
  }
}
