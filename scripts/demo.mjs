// `make demo`: the product's main job, end to end. The worker example (worker-example/) runs in
// workerd and sends WhatsApp notifications through the SDK to the local Sendexa sandbox, which
// walks each message through its life and sends signed webhooks back to the Worker.
//
// With SENDEXA_TOKEN, SENDEXA_BASE_URL and SENDEXA_DEMO_TO set, it sends one template to a real
// account instead (the sandbox-only steps — simulated replies, clock jumps — are skipped).
import { start } from "../tests/sandbox/server.mjs";
import { startWorker } from "../worker-example/local.mjs";

const real = Boolean(process.env.SENDEXA_TOKEN && process.env.SENDEXA_BASE_URL);
const NOTIFY_SECRET = "demo-notify-secret";
const WEBHOOK_SECRET = process.env.SENDEXA_WEBHOOK_SECRET ?? "demo-webhook-secret";
const CUSTOMER = "233244000301";
const FLAKY = "233244000302";
// While the resend step runs, the sandbox's clock runs this much faster than real time, and the
// Worker is told so (TIME_SCALE): Sendexa's 1-minute resend delay takes one real second.
const RESEND_TIME_SCALE = 20;

const say = (text = "") => console.log(text);
const step = (n, text) => say(`\n${n}. ${text}`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  const sandbox = real ? null : await start({ tokens: ["demo-token"], webhookSecret: WEBHOOK_SECRET });
  const worker = await startWorker({
    vars: {
      SENDEXA_BASE_URL: real ? process.env.SENDEXA_BASE_URL : sandbox.url,
      SENDEXA_TOKEN: real ? process.env.SENDEXA_TOKEN : "demo-token",
      SENDEXA_WEBHOOK_SECRET: WEBHOOK_SECRET,
      NOTIFY_SECRET,
      ...(real ? {} : { TIME_SCALE: String(RESEND_TIME_SCALE) }),
    },
  });
  try {
    const info = await (await fetch(`${worker.url}/`)).json();
    say(`sendexa-whatsapp ${info.version} is running inside workerd (the Cloudflare Workers runtime)`);
    say(`Worker: ${worker.url}   Sendexa API: ${real ? process.env.SENDEXA_BASE_URL : `${sandbox.url} (local sandbox)`}`);
    if (real) await realAccount(worker);
    else await sandboxTour(worker, sandbox);
  } finally {
    await worker.dispose();
    await sandbox?.close();
  }
}

async function notify(worker, body) {
  const response = await fetch(`${worker.url}/notify`, {
    method: "POST",
    headers: { authorization: `Bearer ${NOTIFY_SECRET}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

async function until(check, what, ms = 30_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

const statusOf = async (worker, id) =>
  (await fetch(`${worker.url}/messages/${id}`, { headers: { authorization: `Bearer ${NOTIFY_SECRET}` } })).json();

async function realAccount(worker) {
  const to = process.env.SENDEXA_DEMO_TO;
  if (!to) throw new Error("Set SENDEXA_DEMO_TO to the number (opted in to your account) that should get the demo template.");
  const r = await notify(worker, { message: { to, type: "template", template: { name: "hello_world", language: "en_US" } } });
  say(`POST /notify → ${r.status} ${JSON.stringify(r.body)}`);
  const status = await until(async () => {
    const s = await statusOf(worker, r.body.ids[0]);
    return s.messageId && s;
  }, "the message to be sent");
  say(`GET /messages/${r.body.ids[0]} → ${JSON.stringify(status)}`);
}

async function sandboxTour(worker, sandbox) {
  const control = async (method, path, body) =>
    (
      await (
        await fetch(`${sandbox.url}/__sandbox${path}`, {
          method,
          headers: { "content-type": "application/json" },
          body: body === undefined ? undefined : JSON.stringify(body),
        })
      ).json()
    ).data;
  await control("POST", "/webhook", { url: `${worker.url}/webhooks/sendexa`, secret: WEBHOOK_SECRET });
  const sentTo = async (to) => (await control("GET", `/messages?to=${to}`)).messages;
  const lastSent = (to, count) => until(async () => ((await sentTo(to)).length >= count ? (await sentTo(to)).at(-1) : null), `send #${count} to ${to}`);

  step(1, `A bad request is refused by the SDK inside the Worker, before any API call:`);
  const bad = await notify(worker, { to: "024 400", text: "Your order has shipped" });
  say(`   POST /notify {to: "024 400"} → ${bad.status} ${bad.body.error.rejected[0].code}: ${bad.body.error.rejected[0].message}`);

  step(2, `A template starts the conversation (templates may be sent at any time):`);
  let r = await notify(worker, { message: { to: CUSTOMER, type: "template", template: { name: "hello_world", language: "en_US" } } });
  say(`   POST /notify template hello_world → ${r.status}, queued ${r.body.ids[0]}`);
  const first = await lastSent(CUSTOMER, 1);
  say(`   the queue consumer sent it: ${first.messageId} (${first.type})`);

  step(3, `A free-form text while the customer has not written in 24 hours (window closed):`);
  r = await notify(worker, { to: CUSTOMER, text: "Your order #1042 has shipped" });
  const fallback = await lastSent(CUSTOMER, 2);
  say(`   the API answered WA003 (window closed), so the Worker sent the fallback template: ${fallback.type} ${fallback.request.template.name}`);

  step(4, `The customer replies on WhatsApp; the signed webhook reaches the Worker and opens the window:`);
  await control("POST", "/inbound", { from: CUSTOMER, text: "When will it arrive?", name: "Ama" });
  await until(async () => (await control("GET", "/webhooks?event=message.received")).deliveries.some((d) => d.state === "delivered"), "the inbound webhook");
  say(`   webhook message.received from ${CUSTOMER} "When will it arrive?" → verified, window open`);

  step(5, `Now free-form messages go through — a text, an image and reply buttons:`);
  await notify(worker, { to: CUSTOMER, text: "It arrives tomorrow between 9 and 12." });
  await notify(worker, { message: { to: CUSTOMER, type: "image", image: { link: "https://example.com/receipts/1042.jpg", caption: "Your receipt" } } });
  r = await notify(worker, {
    message: {
      to: CUSTOMER,
      type: "interactive",
      interactive: {
        type: "button",
        body: { text: "Is tomorrow morning good for you?" },
        action: { buttons: [{ type: "reply", reply: { id: "yes", title: "Yes" } }, { type: "reply", reply: { id: "later", title: "Another day" } }] },
      },
    },
  });
  await lastSent(CUSTOMER, 5);
  for (const m of (await sentTo(CUSTOMER)).slice(2)) say(`   sent ${m.type.padEnd(11)} ${m.messageId}`);
  const buttonsId = r.body.ids[0];

  step(6, `The webhook timeline of the buttons message, as the Worker stored it:`);
  const timeline = await until(async () => {
    const s = await statusOf(worker, buttonsId);
    return s.status === "read" && s.timeline;
  }, "the read receipt");
  for (const t of timeline) say(`   ${t.at}  ${t.status}`);

  step(7, `A day passes (the sandbox's clock jumps 25 hours); the window closes again:`);
  await control("POST", "/clock", { advance: "25h", settle: true });
  await notify(worker, { to: CUSTOMER, text: "Did everything arrive?" });
  const late = await lastSent(CUSTOMER, 6);
  say(`   the text met WA003 (window closed), so the Worker sent the template instead: ${late.type} ${late.request.template.name}`);

  step(8, `A delivery fails, and the Worker recovers it on Sendexa's resend schedule:`);
  // The sandbox fails the next message to FLAKY with WA005; the webhook goes to planResend.
  await control("POST", "/failures", { to: FLAKY, code: "WA005" });
  await control("POST", "/clock", { timeScale: RESEND_TIME_SCALE });
  r = await notify(worker, { message: { to: FLAKY, type: "template", template: { name: "hello_world", language: "en_US" } } });
  const recovered = await until(async () => {
    const response = await fetch(`${worker.url}/recoveries/${r.body.ids[0]}`, { headers: { authorization: `Bearer ${NOTIFY_SECRET}` } });
    const entry = response.ok ? await response.json() : null;
    return entry?.state === "recovered" && entry;
  }, "the recovery", 60_000);
  await control("POST", "/clock", { timeScale: 1 });
  const [original, resent] = await sentTo(FLAKY);
  const clock = (iso) => iso.slice(11, 19);
  const at = (m, status) => m.history.find((h) => h.status === status).at;
  const plan = recovered.history[0];
  say(`   (the sandbox's clock runs ${RESEND_TIME_SCALE}× faster for this step, and the Worker's TIME_SCALE says so)`);
  say(`   ${clock(at(original, "sent"))}  sent     ${original.messageId}`);
  say(`   ${clock(at(original, "failed"))}  failed   ${original.errorCode}: message.failed webhook → planResend → resend #${plan.nextAttempt} at failure + ${(plan.resendAt - plan.at) / 60_000} min`);
  say(`             → a Queue message with delaySeconds ${Math.ceil((plan.resendAt - plan.at) / 1000 / RESEND_TIME_SCALE)} (${(plan.resendAt - plan.at) / 1000} s of sandbox time), claimed in the ledger before resend()`);
  say(`   ${clock(resent.acceptedAt)}  resent   ${resent.messageId} (attempt ${recovered.resent[0].attempt}, ${Math.round((Date.parse(resent.acceptedAt) - Date.parse(at(original, "failed"))) / 1000)} s after the failure)`);
  say(`   ${clock(at(resent, "delivered"))}  delivered: recovered (GET /recoveries/${r.body.ids[0].slice(0, 8)}… → state "${recovered.state}")`);

  step(9, `A campaign: POST /campaigns, 1,000 customers and a few numbers that are not on WhatsApp:`);
  // The sandbox answers "not on WhatsApp" for its magic number and for the numbers it is told of.
  const absent = ["233244900001", "233244900002", "233244900003"];
  await control("POST", "/unregistered", { phones: absent });
  const campaign = Array.from({ length: 1000 }, (_, i) => `2332440${String(10_000 + i).padStart(5, "0")}`);
  const recipients = [...campaign.slice(0, 300), absent[0], ...campaign.slice(300, 700), absent[1], "233500000005", ...campaign.slice(700), absent[2]];
  const started = Date.now();
  const created = await fetch(`${worker.url}/campaigns`, {
    method: "POST",
    headers: { authorization: `Bearer ${NOTIFY_SECRET}`, "content-type": "application/json" },
    body: JSON.stringify({ template: { name: "hello_world", language: "en_US" }, recipients }),
  });
  const launched = await created.json();
  say(`   POST /campaigns (${recipients.length} recipients) → ${created.status}: checkNumbers pre-check, ${launched.queued} queued, ${launched.skipped} skipped:`);
  for (const s of launched.skippedNumbers) say(`     skipped ${s.phone ?? s.input} (${s.reason})`);
  // Progress from the Worker (the sandbox's full message list is heavy to serialise while it counts
  // arrivals).
  const progressOf = async () => (await fetch(`${worker.url}/campaigns/${launched.id}`, { headers: { authorization: `Bearer ${NOTIFY_SECRET}` } })).json();
  let done = 0;
  while (done < 1000) {
    done = (await progressOf()).accepted;
    const filled = Math.round((done / 1000) * 30);
    process.stdout.write(`\r   [${"#".repeat(filled)}${" ".repeat(30 - filled)}] ${String(done).padStart(4)}/1000`);
    if (Date.now() - started > 180_000) throw new Error("the campaign did not finish within 3 minutes");
    if (done < 1000) await sleep(250);
  }
  const wanted = new Set(campaign);
  const sends = (await control("GET", "/messages")).messages.filter((m) => wanted.has(m.to));
  const twice = sends.reduce((seen, m) => seen.set(m.to, (seen.get(m.to) ?? 0) + 1), new Map());
  const duplicates = [...twice.values()].filter((n) => n > 1).length;
  // The rate as the API saw it: arrivals in the sandbox's log, first to last.
  const arrivals = sends.map((m) => Date.parse(m.acceptedAt)).sort((a, b) => a - b);
  const seconds = (arrivals.at(-1) - arrivals[0]) / 1000;
  const health = await control("GET", "/health");
  say(`\n   ${done} sent in ${seconds.toFixed(1)} s (${Math.round((done - 1) / seconds)}/s); sent twice: ${duplicates}; refused for rate limits (429): ${health.rateLimited.send ?? 0}`);
  const progress = await until(async () => {
    const p = await progressOf();
    return p.state === "done" && p.read === 1000 && p;
  }, "the campaign's read receipts", 60_000);
  say(`   GET /campaigns/${launched.id.slice(0, 8)}… → queued ${progress.queued}, sent ${progress.sent}, delivered ${progress.delivered}, read ${progress.read}, failed ${progress.failed}, resent ${progress.resent}, skipped ${progress.skipped}`);
  await brokenMediaLink(sandbox, control);
  say(`\nDone. Every number above came from the real Worker in workerd and the sandbox over HTTP.`);
}

// Step 10. The image links to a CDN's name, public HTTPS to the SDK and the API alike; a second
// instance of the same Worker has that name routed to the sandbox's /media/ files, as DNS would route
// it to the CDN (worker-example/local.mjs, `routes`), so the Worker's requests for it are real.
async function brokenMediaLink(sandbox, control) {
  step(10, `A broken media link is refused before sending (the Worker sends media with preflightMedia: true):`);
  const CDN = "https://media.example.com";
  const routed = [];
  const worker = await startWorker({
    bundle: false,
    vars: { SENDEXA_BASE_URL: sandbox.url, SENDEXA_TOKEN: "demo-token", SENDEXA_WEBHOOK_SECRET: WEBHOOK_SECRET, NOTIFY_SECRET },
    routes: { [CDN]: sandbox.url },
    onRoute: (r) => routed.push(r),
  });
  try {
    await control("POST", "/inbound", { from: CUSTOMER, text: "Could you send my receipt again?" });
    const images = async () => (await control("GET", `/messages?to=${CUSTOMER}`)).messages.filter((m) => m.type === "image");
    const before = (await images()).length;
    const asked = (link) => routed.filter((r) => r.url === link).map((r) => `${r.method} → ${r.status} ${r.headers.get("content-type") ?? "(no type)"}${r.headers.get("content-length") ? `, ${r.headers.get("content-length")} bytes` : ""}`);
    const image = (link) => ({ message: { to: CUSTOMER, type: "image", image: { link, caption: "Your receipt #1042" } }, preflightMedia: true });

    const broken = `${CDN}/media/page.jpg`;
    const r = await notify(worker, image(broken));
    say(`   POST /notify image ${broken} (preflightMedia) → ${r.status}, queued`);
    const letter = await until(async () => {
      const response = await fetch(`${worker.url}/dead-letters`, { headers: { authorization: `Bearer ${NOTIFY_SECRET}` } });
      return (await response.json()).deadLetters.find((l) => l.id === r.body.ids[0]);
    }, "the dead letter");
    say(`   the queue consumer's send asked the link first: ${asked(broken).join("; ")}`);
    for (const issue of letter.error.issues ?? []) say(`   refused, ${letter.error.code}: ${issue.path} ${issue.code} — ${issue.message}`);
    say(`   → dead-lettered (GET /dead-letters: ${letter.reason}); image sends the API received: ${(await images()).length - before}`);

    const fixed = `${CDN}/media/photo.jpg`;
    await notify(worker, image(fixed));
    const sent = await until(async () => (await images()).at(before), "the image send");
    say(`   the fixed link ${fixed}: ${asked(fixed).join("; ")} → sent ${sent.messageId}`);
  } finally {
    await worker.dispose();
  }
}

main().catch((err) => {
  console.error(`\ndemo failed: ${err.stack ?? err}`);
  process.exitCode = 1;
});
