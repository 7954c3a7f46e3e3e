// Options for start() and the command line, with their defaults.
import { RETRY_SCHEDULE_MS } from "./webhooks.mjs";

export const DEFAULTS = {
  port: 0,
  host: "127.0.0.1",
  tokens: ["sandbox-token"],
  blockedTokens: [],
  shape: "live",
  webhookUrl: null,
  webhookSecret: null,
  webhookShape: null, // defaults to `shape`
  webhookTimeoutMs: 5000,
  webhookRetrySchedule: RETRY_SCHEDULE_MS,
  timeScale: 1,
  startTime: null, // defaults to now
  limits: true,
  window: true,
  templateReviewMs: 60000,
  maxBodyBytes: 1024 * 1024,
  seed: 1,
  faults: [],
  log: false,
};

const SHAPES = ["live", "draft"];

/** Fills defaults and checks option values; throws TypeError on nonsense. */
export function resolveOptions(input = {}) {
  const o = { ...DEFAULTS, ...input };
  if (input.token !== undefined) o.tokens = [].concat(input.token, input.tokens || []);
  o.tokens = [].concat(o.tokens).map(String).filter(Boolean);
  o.blockedTokens = [].concat(o.blockedTokens).map(String).filter(Boolean);
  if (!o.tokens.length) throw new TypeError("at least one token is required");
  if (!SHAPES.includes(o.shape)) throw new TypeError(`shape must be live or draft, got ${o.shape}`);
  o.webhookShape ||= o.shape;
  if (!SHAPES.includes(o.webhookShape)) throw new TypeError(`webhookShape must be live or draft, got ${o.webhookShape}`);
  o.timeScale = Number(o.timeScale);
  if (!(o.timeScale >= 0)) throw new TypeError("timeScale must be a number >= 0");
  const start = o.startTime === null ? Date.now() : typeof o.startTime === "number" ? o.startTime : Date.parse(o.startTime);
  if (!Number.isFinite(start)) throw new TypeError(`startTime is not a date: ${o.startTime}`);
  o.startMs = start;
  if (o.limits === true) o.limits = undefined; // the defaults
  return o;
}

const HELP = `Usage: node tests/sandbox/server.mjs [options]

  --port N               port to listen on (0 = any free port; default 0)
  --host H               interface to bind (default 127.0.0.1)
  --token T              accepted Basic token; repeat or comma-separate (default sandbox-token)
  --blocked-token T      a token whose account is blocked (403 WA006)
  --shape live|draft     response shapes (default live)
  --webhook-url URL      where message events are POSTed
  --webhook-secret S     HMAC-SHA256 secret for X-Signature (unsigned without it)
  --webhook-shape S      webhook body shape (default: --shape)
  --webhook-timeout-ms N per-attempt webhook timeout in real ms (default 5000)
  --time-scale X         sandbox seconds per real second (0 = frozen; default 1)
  --start-time ISO       initial sandbox time (default now)
  --no-limits            disable rate limits
  --limit B.W=N          override a limit, e.g. send.perSecond=5, templateCreate.perDay=3
  --no-window            do not enforce the 24-hour window
  --template-review-ms N sandbox ms until a created template is reviewed (default 60000)
  --max-body-bytes N     request body cap (default 1048576)
  --seed N               seed for random fault mixes (default 1)
  --verbose              log every request to stderr
  --help                 this text
`;

/** Parses argv into start() options (or { help: true }). */
export function parseArgs(argv) {
  const o = {};
  const limits = {};
  const list = (v) => String(v).split(",").map((s) => s.trim()).filter(Boolean);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf("=");
    const name = arg.startsWith("--") && eq > 0 && !arg.startsWith("--limit") ? arg.slice(0, eq) : arg;
    const value = () => (name !== arg ? arg.slice(eq + 1) : argv[++i]);
    switch (name) {
      case "--help": case "-h": return { help: HELP };
      case "--port": o.port = Number(value()); break;
      case "--host": o.host = value(); break;
      case "--token": o.tokens = [...(o.tokens || []), ...list(value())]; break;
      case "--blocked-token": o.blockedTokens = [...(o.blockedTokens || []), ...list(value())]; break;
      case "--shape": o.shape = value(); break;
      case "--webhook-url": o.webhookUrl = value(); break;
      case "--webhook-secret": o.webhookSecret = value(); break;
      case "--webhook-shape": o.webhookShape = value(); break;
      case "--webhook-timeout-ms": o.webhookTimeoutMs = Number(value()); break;
      case "--time-scale": o.timeScale = Number(value()); break;
      case "--start-time": o.startTime = value(); break;
      case "--no-limits": o.limits = false; break;
      case "--no-window": o.window = false; break;
      case "--template-review-ms": o.templateReviewMs = Number(value()); break;
      case "--max-body-bytes": o.maxBodyBytes = Number(value()); break;
      case "--seed": o.seed = Number(value()); break;
      case "--verbose": o.log = true; break;
      default: {
        const m = /^--limit(?:=(.*))?$/.exec(arg);
        if (!m) throw new TypeError(`unknown option ${arg}\n\n${HELP}`);
        const spec = m[1] ?? argv[++i];
        const lm = /^(\w+)\.(\w+)=(\w+)$/.exec(spec || "");
        if (!lm) throw new TypeError(`--limit expects bucket.window=N, got ${spec}`);
        limits[lm[1]] = { ...limits[lm[1]], [lm[2]]: lm[3] === "off" ? null : Number(lm[3]) };
      }
    }
  }
  if (Object.keys(limits).length && o.limits !== false) o.limits = limits;
  return o;
}
