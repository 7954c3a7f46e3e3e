
/** Options of `nodeWebhookHandler`: those of `handleWebhook`, checked when the handler is made. */
export interface NodeWebhookHandlerOptions {
  /** The webhook signing secret from the Sendexa dashboard. */
  secret: string | Uint8Array;
  /**
   * Called once per event, in order; a throw (or rejection) answers 500 so Sendexa retries the
   * delivery.
   */
  onEvent: (event: WebhookEvent) => unknown;
  /** Inbound messages record the sender here (e.g. `client.windowStore`), opening the 24-hour window. */
  window?: WindowStore;
  /**
   * The largest body accepted, in bytes; a larger delivery is answered 413 (`PAYLOAD_TOO_LARGE`)
   * and its stream is not read further (the answer closes the connection). Default 1,048,576 (1 MiB).
   */
  maxBodyBytes?: number;
  /** Deduplicates by X-Webhook-ID (or X-Sendexa-Delivery-ID). Default: the last 10,000 ids in memory; `false` turns it off. */
  dedupe?: DedupeStore | false;
  /** Reject deliveries whose X-Timestamp is further than this from now. Off by default. */
  toleranceSeconds?: number;
}

/**
 * What the handler reads of a request: a `node:http` `IncomingMessage`, an Express request or a
 * Fastify request.
 */
export interface NodeWebhookRequest {
  headers: Record<string, string | string[] | undefined>;
  /**
   * The raw body bytes (a Buffer) when a raw parser kept them: `express.raw({ type:
   * "application/json" })`, or Fastify's `parseAs: "buffer"` parser. Parsed JSON (an object or
   * string) cannot be verified: the handler reports a `SendexaError` instead.
   */
  body?: unknown;
  /** Raw bytes some platforms keep beside a parsed body (Google Cloud Functions, Firebase). */
  rawBody?: unknown;
}

/** A `node:http` `ServerResponse` (Express's response is one). */
export interface NodeWebhookServerResponse {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(body: Uint8Array): unknown;
}

/** A Fastify reply. */
export interface NodeWebhookFastifyReply {
  raw: object;
  code(statusCode: number): unknown;
  header(name: string, value: string): unknown;
  send(payload: Uint8Array | Error): unknown;
}

/**
 * A request handler for `node:http`, Express and Fastify that reads the raw body itself (or takes
 * the Buffer a raw parser kept), and answers exactly as `handleWebhook` does: 200, 400 (malformed
 * body), 401 (bad or missing signature; `onEvent` is not called), 413 (over `maxBodyBytes`), 500
 * (`onEvent` threw, so Sendexa retries).
 *
 * ```js
 * // node:http
 * createServer(nodeWebhookHandler({ secret, onEvent })).listen(3000);
 * // Express: the raw body, not express.json()
 * app.post("/webhooks/sendexa", express.raw({ type: "application/json" }), nodeWebhookHandler({ secret, onEvent }));
 * // Fastify: a buffer JSON parser in the route's plugin
 * app.register(async (scope) => {
 *   scope.addContentTypeParser("application/json", { parseAs: "buffer" }, (req, body, done) => done(null, body));
 *   scope.post("/webhooks/sendexa", nodeWebhookHandler({ secret, onEvent }));
 * });
 * ```
 *
 * When a body parser already turned the body into an object or string, the signature cannot be
 * checked: the handler reports a `SendexaError` (`INVALID_ARGUMENT`, saying how to mount the raw
 * body) through `next(err)` under Express, `reply.send(err)` under Fastify (each answers 500 and
 * logs it), or, under plain `node:http`, answers 500 with the message and emits it once as a
 * process warning. Throws `INVALID_ARGUMENT` at once for bad options.
 */
export declare function nodeWebhookHandler(
  options: NodeWebhookHandlerOptions,
): (
  req: NodeWebhookRequest,
  res: NodeWebhookServerResponse | NodeWebhookFastifyReply,
  next?: (err?: unknown) => void,
) => void;
