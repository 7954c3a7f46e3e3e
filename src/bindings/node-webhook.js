// `nodeWebhookHandler`: Sendexa webhooks for `node:http`, Express and Fastify. It reads the raw body
// (or takes the bytes a raw-body parser kept), caps it at `maxBodyBytes` while reading, hands it to
// `handleWebhook` as a web `Request` and writes that `Response` back, so every answer is
// `handleWebhook`'s: 200, 400, 401, 413, 500.
//
// A plain ES module with no imports: the package entries call `createNodeWebhookHandler` with their
// own `handleWebhook` and `SendexaError`, so there is one SendexaError class per instance.

const OPTION_NAMES = ["secret", "onEvent", "dedupe", "window", "toleranceSeconds", "maxBodyBytes"];

/** handleWebhook's default cap (src/bindings/webhook.rs, `DEFAULT_MAX_BODY_BYTES`). */
const DEFAULT_MAX_BODY_BYTES = 1048576;

/** Headers that describe the Node connection or message framing, not the delivery. */
const NOT_FORWARDED = new Set([
  "connection",
  "content-length",
  "expect",
  "host",
  "keep-alive",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

const RAW_BODY_HELP =
  'Mount the webhook route with the raw body: in Express, `app.post(path, express.raw({ type: "application/json" }), handler)` ' +
  "(registered before any app-wide express.json(), or with express.json() skipping that path); in Fastify, register the route " +
  'in a plugin whose JSON parser keeps the bytes: `app.addContentTypeParser("application/json", { parseAs: "buffer" }, (req, body, done) => done(null, body))`.';

// The option contract every export follows (src/engine/options.rs, which this mirrors line for
// line; tests/node-webhook checks the two give the same message): an unknown key is refused,
// naming the nearest valid one.

/** Levenshtein distance in characters, on the first 64 of each (a pasted megabyte stays cheap). */
function editDistance(a, b) {
  const x = [...a].slice(0, 64);
  const y = [...b].slice(0, 64);
  let row = Array.from({ length: y.length + 1 }, (_, j) => j);
  x.forEach((ca, i) => {
    let diagonal = i;
    let left = i + 1;
    const next = [left];
    y.forEach((cb, j) => {
      const up = row[j + 1];
      const best = Math.min(diagonal + (ca === cb ? 0 : 1), up + 1, left + 1);
      diagonal = up;
      left = best;
      next.push(best);
    });
    row = next;
  });
  return row[row.length - 1];
}

/** The valid key `key` most probably meant: same name in another case, one it begins or ends
 * (4 characters at least), else the nearest by edit distance within a third of the longer name. */
function nearestOption(key) {
  const same = OPTION_NAMES.find((name) => name.toLowerCase() === key.toLowerCase());
  if (same) return same;
  if ([...key].length >= 4) {
    const prefix = OPTION_NAMES.find((name) => name.startsWith(key) || key.startsWith(name));
    if (prefix) return prefix;
  }
  let best;
  for (const name of OPTION_NAMES) {
    const distance = editDistance(key, name);
    const allowed = Math.min(3, Math.max(1, Math.floor(Math.max([...key].length, [...name].length) / 3)));
    if (distance <= allowed && (best === undefined || distance < best[0])) best = [distance, name];
  }
  return best?.[1];
}

/** `text` cut to `max` characters, its middle elided (engine::error::clip). */
function clip(text, max) {
  const chars = [...text];
  if (chars.length <= max) return text;
  const head = Math.floor(max / 2);
  return `${chars.slice(0, head).join("")}…${chars.slice(chars.length - (max - head)).join("")}`;
}

function isBytes(value) {
  return value instanceof Uint8Array || value instanceof ArrayBuffer || ArrayBuffer.isView(value);
}

function byteLength(value) {
  return value.byteLength;
}

/** The value as a Uint8Array over the same memory. */
function asUint8Array(value) {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
}

/** A Fastify reply: it wraps the ServerResponse as `raw` and answers with `code()`/`send()`. */
function isFastifyReply(res) {
  return (
    res !== null &&
    typeof res === "object" &&
    typeof res.raw === "object" &&
    res.raw !== null &&
    typeof res.code === "function" &&
    typeof res.send === "function" &&
    typeof res.header === "function"
  );
}

/**
 * Makes `nodeWebhookHandler` for one build of the package, from its `handleWebhook` and
 * `SendexaError`.
 * @param {(request: Request, options: object) => Promise<Response>} handleWebhook
 * @param {new (message: string, options?: object) => Error} SendexaError
 */
export function createNodeWebhookHandler(handleWebhook, SendexaError) {
  const invalid = (message) => new SendexaError(message, { code: "INVALID_ARGUMENT" });

  /** Checks the options when the handler is made, so a mistake shows at start-up, not per request. */
  function checkOptions(options) {
    if (options === null || typeof options !== "object" || Array.isArray(options)) {
      throw invalid("nodeWebhookHandler takes an options object: nodeWebhookHandler({ secret, onEvent }).");
    }
    for (const key of Object.keys(options)) {
      if (OPTION_NAMES.includes(key)) continue;
      const hint = nearestOption(key);
      throw invalid(`unknown option "${clip(key, 60)}"${hint ? ` (did you mean "${hint}"?)` : ""}; nodeWebhookHandler takes ${OPTION_NAMES.join(", ")}`);
    }
    const { secret, onEvent, window, dedupe, toleranceSeconds, maxBodyBytes } = options;
    if (!((typeof secret === "string" && secret.length > 0) || (isBytes(secret) && byteLength(secret) > 0))) {
      throw invalid(
        "options.secret must be the webhook signing secret from the Sendexa dashboard (a non-empty string or Uint8Array); " +
          "is the environment variable that holds it set?",
      );
    }
    if (typeof onEvent !== "function") {
      throw invalid("options.onEvent must be a function that receives each event: onEvent: async (event) => { … }.");
    }
    if (window != null && (typeof window !== "object" || typeof window.set !== "function")) {
      throw invalid("options.window must be a window store with set(phone, ms), such as a Map or client.windowStore.");
    }
    if (
      dedupe != null &&
      dedupe !== false &&
      (typeof dedupe !== "object" || typeof dedupe.has !== "function" || typeof dedupe.add !== "function")
    ) {
      throw invalid("options.dedupe must be a store with has(id) and add(id), such as a Set, or false to turn deduplication off.");
    }
    if (toleranceSeconds != null && !(typeof toleranceSeconds === "number" && Number.isFinite(toleranceSeconds) && toleranceSeconds >= 0)) {
      throw invalid("options.toleranceSeconds must be a non-negative number of seconds.");
    }
    if (maxBodyBytes != null && !(Number.isSafeInteger(maxBodyBytes) && maxBodyBytes >= 1)) {
      throw invalid("options.maxBodyBytes must be a whole number of bytes, at least 1 (e.g. 1048576 for 1 MiB).");
    }
  }

  /**
   * Returns a request handler for `node:http` (`createServer(handler)`), Express
   * (`app.post(path, express.raw({ type: "application/json" }), handler)`) and Fastify (a route
   * handler, with a buffer JSON parser). See `NodeWebhookHandlerOptions` in index.d.ts.
   */
  return function nodeWebhookHandler(options) {
    checkOptions(options);
    const max = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    const webOptions = {};
    for (const key of OPTION_NAMES) {
      if (options[key] !== undefined) webOptions[key] = options[key];
    }
    webOptions.maxBodyBytes = max;
    let warned = false;

    /** Answers `status` with handleWebhook's JSON error body. */
    function errorAnswer(status, code, message, extraHeaders) {
      return {
        status,
        headers: [["content-type", "application/json"], ...(extraHeaders ?? [])],
        body: Buffer.from(JSON.stringify({ error: { code, message } })),
      };
    }

    function tooLarge(extraHeaders) {
      return errorAnswer(
        413,
        "PAYLOAD_TOO_LARGE",
        `The webhook body is larger than maxBodyBytes (${max} bytes); raise maxBodyBytes if your deliveries are really this large.`,
        extraHeaders,
      );
    }

    /** Writes an answer to a ServerResponse or a Fastify reply. Never throws. */
    function write(res, fastify, answer) {
      try {
        if (fastify) {
          res.code(answer.status);
          for (const [name, value] of answer.headers) res.header(name, value);
          res.send(answer.body);
          return;
        }
        if (res.headersSent || res.writableEnded) return;
        res.statusCode = answer.status;
        for (const [name, value] of answer.headers) res.setHeader(name, value);
        res.end(answer.body);
      } catch {
        // The connection is gone, or `res` is not a response: there is no one left to answer.
      }
    }

    /**
     * An error the handler cannot answer as handleWebhook would: a mistake in how it is mounted (a
     * body parser ran first, so the delivery cannot be verified) or an SDK fault. Express gets it through `next(err)` (its error handler answers 500 and logs it),
     * Fastify through `reply.send(err)` (the same); plain node:http gets a 500 whose body holds
     * the message, and one process warning per handler so it shows in the logs.
     */
    function report(res, fastify, next, err) {
      if (typeof next === "function") {
        try {
          next(err);
        } catch {
          // A throwing `next` is the framework's to report; the server keeps running.
        }
        return;
      }
      if (fastify) {
        try {
          res.code(500).send(err);
        } catch {
          // As in write().
        }
        return;
      }
      write(res, false, errorAnswer(500, err.code, err.message));
      // Through globalThis: edge bundlers (Next.js) warn about any `process.…` they see, and every
      // entry carries this module, edge ones included.
      const nodeProcess = globalThis.process;
      if (!warned && typeof nodeProcess?.emitWarning === "function") {
        warned = true;
        nodeProcess.emitWarning(err);
      }
    }

    /**
     * Reads the stream to its end, or stops once more than `max` bytes arrived. Resolves
     * `{ body }`, `{ tooLarge: true }` or `{ aborted: true }` (the client went away).
     */
    function readCapped(stream) {
      return new Promise((resolve) => {
        const chunks = [];
        let size = 0;
        const finish = (result) => {
          stream.removeListener("data", onData);
          stream.removeListener("end", onEnd);
          stream.removeListener("error", onGone);
          stream.removeListener("close", onGone);
          resolve(result);
        };
        const onData = (chunk) => {
          const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
          size += bytes.length;
          if (size > max) {
            // Stop here: nothing more is read from the socket; the answer closes the connection.
            stream.pause();
            finish({ tooLarge: true });
            return;
          }
          chunks.push(bytes);
        };
        const onEnd = () => finish({ body: Buffer.concat(chunks, size) });
        const onGone = () => finish({ aborted: true });
        stream.on("data", onData);
        stream.once("end", onEnd);
        stream.once("error", onGone);
        stream.once("close", onGone);
      });
    }

    /** The raw body, from the bytes a raw parser kept or from the stream; or why there is none. */
    async function rawBody(req, source, headers) {
      for (const kept of [req.rawBody, req.body]) {
        if (isBytes(kept)) return byteLength(kept) > max ? { tooLarge: true } : { body: asUint8Array(kept) };
      }
      const readable = source !== null && typeof source === "object" && typeof source.on === "function";
      const consumed = !readable || source.readableEnded === true || source._body === true || source.readable === false;
      if (consumed) {
        const what =
          typeof req.body === "string"
            ? "parsed into a string"
            : req.body != null
              ? "parsed into an object"
              : "read by another middleware";
        return {
          misconfigured: new SendexaError(
            `nodeWebhookHandler needs the raw request body, but it was already ${what}: the signature covers the exact ` +
              "bytes Sendexa sent and re-serialised JSON differs, so the delivery cannot be verified. " +
              RAW_BODY_HELP,
            { code: "INVALID_ARGUMENT" },
          ),
        };
      }
      const declared = headers["content-length"];
      if (typeof declared === "string" && /^\s*\d+\s*$/.test(declared) && Number(declared) > max) {
        return { tooLarge: true, unread: true };
      }
      const read = await readCapped(source);
      return read.tooLarge ? { tooLarge: true, unread: true } : read;
    }

    /** req.headers as web Headers; a value the Headers class refuses is left out. */
    function webHeaders(headers) {
      const out = new Headers();
      for (const [name, value] of Object.entries(headers)) {
        if (value === undefined || NOT_FORWARDED.has(name.toLowerCase())) continue;
        for (const one of Array.isArray(value) ? value : [value]) {
          try {
            out.append(name, String(one));
          } catch {
            // Not a valid header name or value: it cannot be X-Signature or X-Webhook-ID either.
          }
        }
      }
      return out;
    }

    async function handle(req, res, next, fastify) {
      if (req === null || typeof req !== "object") {
        throw invalid("the webhook handler takes (req, res, next?): a node:http, Express or Fastify request and its response.");
      }
      const source = fastify ? req.raw : req;
      const headers = req.headers !== null && typeof req.headers === "object" ? req.headers : {};
      const read = await rawBody(req, source, headers);
      if (read.aborted) return;
      if (read.misconfigured) {
        report(res, fastify, next, read.misconfigured);
        return;
      }
      if (read.tooLarge) {
        // Unread bytes may still be on the way: the answer closes the connection instead of
        // reading them.
        write(res, fastify, tooLarge(read.unread ? [["connection", "close"]] : []));
        return;
      }
      const request = new Request("http://localhost/", { method: "POST", headers: webHeaders(headers), body: read.body });
      const response = await handleWebhook(request, webOptions);
      const answerHeaders = [];
      response.headers.forEach((value, name) => answerHeaders.push([name, value]));
      write(res, fastify, { status: response.status, headers: answerHeaders, body: Buffer.from(await response.arrayBuffer()) });
    }

    return function sendexaWebhookHandler(req, res, next) {
      const fastify = isFastifyReply(res);
      handle(req, res, next, fastify).catch((err) => {
        // handleWebhook throws only for options (checked when the handler was made) or an SDK
        // fault; either way the delivery was not handled, so it is answered 500 and reported.
        const error =
          err instanceof SendexaError
            ? err
            : new SendexaError(`The webhook handler failed: ${err?.message ?? String(err)}. Please report it.`, { code: "INTERNAL", cause: err });
        report(res, fastify, next, error);
      });
    };
  };
}
