// The sandbox clock and its job scheduler.
//
// Everything time-dependent in the sandbox (the 24 h window, rate-limit windows, the message
// lifecycle, webhook retries, template review) reads this clock, never Date.now(), so tests can
// run it faster (`timeScale`), freeze it (`timeScale: 0`) or jump it forward (`advance`).
import { performance } from "node:perf_hooks";

export class Clock {
  constructor({ timeScale = 1, startMs = Date.now() } = {}) {
    this.initial = { timeScale, startMs };
    this.reset();
  }

  reset() {
    this.scale = this.initial.timeScale;
    this.baseSandbox = this.initial.startMs;
    this.baseReal = performance.now();
  }

  /** Sandbox time in epoch milliseconds (may be fractional). */
  now() {
    return this.baseSandbox + (performance.now() - this.baseReal) * this.scale;
  }

  /** ISO 8601 of a sandbox time (default now); null stays null, for optional timestamps. */
  iso(ms = this.now()) {
    return ms === null ? null : new Date(Math.floor(ms)).toISOString();
  }

  advance(ms) {
    this.baseSandbox += ms;
  }

  setScale(scale) {
    // Re-base so the sandbox time does not jump when the speed changes.
    this.baseSandbox = this.now();
    this.baseReal = performance.now();
    this.scale = scale;
  }

  /** Real milliseconds until `sandboxMs` of sandbox time pass (Infinity when frozen). */
  toRealMs(sandboxMs) {
    return this.scale > 0 ? sandboxMs / this.scale : Infinity;
  }
}

// Node timers overflow above 2^31-1 ms; long waits are re-armed in steps instead.
const MAX_TIMER_MS = 2 ** 30;

/** Runs callbacks at sandbox times. One real timer tracks the earliest job. */
export class Scheduler {
  constructor(clock) {
    this.clock = clock;
    this.heap = [];
    this.seq = 0;
    this.timer = null;
    this.timerAt = Infinity;
    this.closed = false;
  }

  /** Schedules fn at sandbox time `at`; returns a handle with cancel(). */
  at(at, fn) {
    const job = { at, seq: this.seq++, fn, cancelled: false, cancel() { this.cancelled = true; } };
    push(this.heap, job);
    if (at < this.timerAt) this.arm();
    return job;
  }

  after(delayMs, fn) {
    return this.at(this.clock.now() + delayMs, fn);
  }

  /** Runs every job that is due, in time order (jobs may schedule further due jobs). */
  runDue() {
    const now = this.clock.now();
    let ran = 0;
    while (this.heap.length && this.heap[0].at <= now) {
      const job = pop(this.heap);
      if (job.cancelled) continue;
      ran++;
      try {
        job.fn(job.at);
      } catch (err) {
        // A failing job must not stop the clock for everything else.
        process.emitWarning(`sandbox job failed: ${err && err.stack}`);
      }
    }
    this.arm();
    return ran;
  }

  /** Moves the clock forward and runs everything that became due. */
  advance(ms) {
    this.clock.advance(ms);
    return this.runDue();
  }

  pending() {
    return this.heap.filter((j) => !j.cancelled).length;
  }

  arm() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = Infinity;
    if (this.closed || !this.heap.length) return;
    const next = this.heap[0].at;
    const real = this.clock.toRealMs(next - this.clock.now());
    if (real === Infinity) return; // frozen clock: only advance() moves it
    this.timerAt = next;
    this.timer = setTimeout(() => this.runDue(), Math.min(Math.max(0, Math.ceil(real)), MAX_TIMER_MS));
    this.timer.unref(); // the server keeps the process alive, not pending jobs
  }

  clear() {
    this.heap = [];
    this.arm();
  }

  close() {
    this.closed = true;
    this.clear();
  }
}

// Binary min-heap ordered by (at, seq) so equal times keep insertion order.
function less(a, b) {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
function push(h, x) {
  h.push(x);
  let i = h.length - 1;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (!less(h[i], h[p])) break;
    [h[i], h[p]] = [h[p], h[i]];
    i = p;
  }
}
function pop(h) {
  const top = h[0];
  const last = h.pop();
  if (h.length) {
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < h.length && less(h[l], h[m])) m = l;
      if (r < h.length && less(h[r], h[m])) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m], h[i]];
      i = m;
    }
  }
  return top;
}

/** Parses durations like 1500, "90s", "5m", "24h", "2d", "250ms" into milliseconds. */
export function parseDuration(value) {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value !== "string") return NaN;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(value);
  if (!m) return NaN;
  const unit = { ms: 1, s: 1e3, m: 6e4, h: 36e5, d: 864e5 }[m[2] || "ms"];
  return Number(m[1]) * unit;
}
