// The request pipeline: CORS → media files | control routes | (route → body → fault:before → auth
// → rate limit → handler → fault:after) → write.
import { setTimeout as sleep } from "node:timers/promises";
import { ApiError, CORS_HEADERS, PREFLIGHT_HEADERS, encode, parseJsonBody, readBody, response, writeResponse } from "./http.mjs";
import { errorResponse } from "./shapes.mjs";
import { faultResponse, hugeResponse } from "./faults.mjs";
import { ids } from "./ids.mjs";
import { serveMedia } from "./media.mjs";

/** Compiles "/v1/whatsapp/status/:id" into a matcher. */
function compile(route) {
  const names = [];
  const re = new RegExp(`^${route.path.replace(/:(\w+)/g, (_, n) => (names.push(n), "([^/]+)"))}/?$`);
  return { ...route, match: (path) => {
    const m = re.exec(path);
    if (!m) return null;
    const params = {};
    names.forEach((n, i) => { params[n] = decodeURIComponent(m[i + 1]); });
    return params;
  } };
}

function router(routes) {
  const compiled = routes.map(compile);
  return (method, path) => {
    const allow = [];
    for (const r of compiled) {
      let params;
      try {
        params = r.match(path);
      } catch {
        continue; // undecodable %-escape: no route
      }
      if (!params) continue;
      if (r.method === method) return { route: r, params };
      allow.push(r.method);
    }
    return allow.length ? { allow } : null;
  };
}

export function createHandler(sandbox, { apiRoutes, controlRoutes }) {
  const { options, scheduler, faults, limiter } = sandbox;
  const matchApi = router(apiRoutes);
  const matchControl = router(controlRoutes);
  const tokens = new Set(options.tokens);
  const blocked = new Set(options.blockedTokens);
  const pendingDelays = new Set();
  sandbox.cancelDelays = () => pendingDelays.forEach((ac) => ac.abort());

  async function delay(ms) {
    const ac = new AbortController();
    pendingDelays.add(ac);
    try {
      await sleep(ms, undefined, { signal: ac.signal });
    } catch { /* aborted by close() */ } finally {
      pendingDelays.delete(ac);
    }
  }

  function authenticate(req) {
    const header = req.headers.authorization;
    const scheme = options.shape === "draft" ? /^(?:Basic|Bearer)\s+(\S+)\s*$/i : /^Basic\s+(\S+)\s*$/i;
    const m = header ? scheme.exec(header) : null;
    const unauthorized = (message) => new ApiError(401, "UNAUTHORIZED", message, { headers: { "WWW-Authenticate": 'Basic realm="Sendexa Sandbox"' } });
    if (!header) throw unauthorized("Missing credentials: send Authorization: Basic <token>");
    if (!m) throw unauthorized("Malformed Authorization header: expected Basic <token>");
    if (blocked.has(m[1])) throw new ApiError(403, "WA006", "Account blocked: contact support");
    if (!tokens.has(m[1])) throw unauthorized("Invalid API credentials");
    return m[1];
  }

  function rateLimit(token, bucket) {
    if (!bucket) return {};
    const r = limiter.take(token, bucket);
    if (r.allowed) return r.headers;
    // Retry-After is in real seconds (what a client sleeps); on a frozen clock, sandbox seconds.
    const real = sandbox.clock.toRealMs(r.retryAfterMs);
    const seconds = Math.max(1, Math.ceil((real === Infinity ? r.retryAfterMs : real) / 1000));
    throw new ApiError(429, "WA005", `Rate limit exceeded: ${r.limit} requests ${r.window.replace("per", "per ").toLowerCase()}; retry after ${seconds} s`, {
      headers: { ...r.headers, "Retry-After": String(seconds) },
      details: { retry_after: seconds, reset_at: Number(r.headers["X-RateLimit-Reset"]), limit: r.limit, window: r.window },
    });
  }

  async function runApi(req, ctx, hit, method, path, query, write) {
    let fault = null;
    let result;
    try {
      const raw = await readBody(req, options.maxBodyBytes);
      fault = faults.pick(req, method, path);
      if (fault && fault.phase === "before") {
        const handled = await applyBefore(fault, ctx, req, write);
        if (handled) return record(fault, ctx, method, path, false);
      }
      const token = authenticate(req);
      const limitHeaders = rateLimit(token, hit.route.bucket);
      const body = hit.route.body ? parseJsonBody(req, raw) : null;
      ctx.processed = true;
      result = await hit.route.handler(ctx, { params: hit.params, query, body, req });
      result.headers = { ...limitHeaders, ...result.headers };
    } catch (err) {
      if (req.socket.destroyed) return; // the client went away mid-request
      if (!(err instanceof ApiError)) process.emitWarning(`sandbox handler error: ${err && err.stack}`);
      result = errorResponse(ctx, err);
    }
    if (fault && fault.phase === "after") {
      for (const m of ctx.accepted) m.responseFault = { kind: fault.kind, phase: "after", requestId: ctx.requestId };
      record(fault, ctx, method, path, ctx.processed);
      return applyAfter(fault, ctx, req, result, write);
    }
    if (fault) record(fault, ctx, method, path, ctx.processed); // a "before" delay that let the request through
    write(result);
  }

  function record(fault, ctx, method, path, processed) {
    faults.record({
      at: sandbox.clock.iso(), requestId: ctx.requestId, method, path, kind: fault.kind, phase: fault.phase,
      source: fault.source, processed, accepted: ctx.accepted.map((m) => m.messageId),
    });
  }

  /** Returns true when the fault answered (or killed) the request. */
  async function applyBefore(fault, ctx, req, write) {
    if (fault.kind === "drop") {
      req.socket.destroy();
      return true;
    }
    if (fault.kind === "delay") {
      await delay(fault.delayMs ?? 10000);
      // A client that gave up is gone: the request is not processed at all.
      return req.socket.destroyed;
    }
    if (fault.kind === "truncate") {
      writeTruncated(write, response(fault.status || 200, { success: true, message: "sandbox fault: truncated before processing", data: null, requestId: ctx.requestId }));
      return true;
    }
    if (fault.kind === "huge") {
      write(hugeResponse(response(fault.status || 200, { success: true, message: "sandbox fault: huge body before processing", data: null, requestId: ctx.requestId }), fault.size));
      return true;
    }
    write(faultResponse(fault, ctx, (e) => errorResponse(ctx, e)));
    return true;
  }

  async function applyAfter(fault, ctx, req, result, write) {
    if (fault.kind === "drop") return void req.socket.destroy();
    if (fault.kind === "delay") {
      await delay(fault.delayMs ?? 10000);
      return write(result);
    }
    if (fault.kind === "truncate") return writeTruncated(write, result);
    if (fault.kind === "huge") return write(hugeResponse(result, fault.size));
    write(faultResponse(fault, ctx, (e) => errorResponse(ctx, e)));
  }

  /** A well-framed response whose JSON body is cut in half. */
  function writeTruncated(write, result) {
    const enc = encode(result);
    write({ status: enc.status, headers: enc.headers, body: enc.bytes.subarray(0, Math.floor(enc.bytes.length / 2)) });
  }

  return async function handle(req, res) {
    const ctx = { requestId: ids.request(), shape: options.shape, accepted: [], processed: false };
    const started = options.log ? Date.now() : 0;
    const write = (r) => {
      if (res.headersSent || res.destroyed) return;
      writeResponse(res, r);
      if (options.log) process.stderr.write(`${req.method} ${req.url} → ${r.status} ${Date.now() - started}ms ${ctx.requestId}\n`);
    };
    res.setHeader("X-Request-Id", ctx.requestId);
    for (const [k, v] of Object.entries(CORS_HEADERS)) res.setHeader(k, v);
    const method = req.method;
    if (method === "OPTIONS") {
      req.resume();
      // Allow whatever extra headers the page asks for, on top of the documented ones.
      const asked = req.headers["access-control-request-headers"];
      const allow = asked ? `${PREFLIGHT_HEADERS["Access-Control-Allow-Headers"]}, ${asked}` : PREFLIGHT_HEADERS["Access-Control-Allow-Headers"];
      return write(response(204, undefined, { ...PREFLIGHT_HEADERS, "Access-Control-Allow-Headers": allow }));
    }
    const q = req.url.indexOf("?");
    const path = q < 0 ? req.url : req.url.slice(0, q);
    // Media files (checkMediaLink's links): a plain file server, outside the API.
    if (path.startsWith("/media/")) return serveMedia(req, res, path, delay);
    scheduler.runDue(); // catch up with the clock before reading any state
    const query = new URLSearchParams(q < 0 ? "" : req.url.slice(q + 1));
    try {
      const control = path.startsWith("/__sandbox/") ? matchControl(method, path) : null;
      if (path.startsWith("/__sandbox/")) {
        if (!control) throw new ApiError(404, "NOT_FOUND", `No sandbox control endpoint ${method} ${path}`);
        if (control.allow) throw new ApiError(405, "METHOD_NOT_ALLOWED", `${method} is not allowed on ${path}`, { headers: { Allow: control.allow.join(", ") } });
        const raw = await readBody(req, options.maxBodyBytes);
        const body = control.route.body ? parseJsonBody(req, raw) : null;
        return write(await control.route.handler(ctx, { params: control.params, query, body, req }));
      }
      const hit = matchApi(method, path);
      if (!hit) throw new ApiError(404, "NOT_FOUND", `No endpoint ${method} ${path}`);
      if (hit.allow) throw new ApiError(405, "METHOD_NOT_ALLOWED", `${method} is not allowed on ${path}`, { headers: { Allow: hit.allow.join(", ") } });
      await runApi(req, ctx, hit, method, path, query, write);
    } catch (err) {
      if (!(err instanceof ApiError)) process.emitWarning(`sandbox error: ${err && err.stack}`);
      // Control endpoints always answer in the live envelope.
      write(errorResponse(path.startsWith("/__sandbox/") ? { ...ctx, shape: "live" } : ctx, err));
      req.resume();
    }
  };
}
