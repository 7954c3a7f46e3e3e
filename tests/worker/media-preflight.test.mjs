// The worker example's `preflightMedia` notifications in workerd: the queue consumer's send checks a
// media link by its headers first, so a broken link is dead-lettered with INVALID_MEDIA and its
// issues and nothing reaches the API; a good one is checked, then sent. The links are on a CDN's
// name that the Worker's outbound requests reach at the sandbox's /media/ files (local.mjs `routes`,
// as DNS would route it).
import test, { after, before } from "node:test";
import assert from "node:assert/strict";
import { start } from "../sandbox/server.mjs";
import { startWorker } from "../../worker-example/local.mjs";
import { callAt, controlAt, eventually, sleep } from "./harness.mjs";

const TOKEN = "worker-media-token";
const NOTIFY_SECRET = "notify-secret";
const CDN = "https://media.example.com";
const TO = "233244000301";

let sandbox;
let worker;
const routed = [];

const control = (method, path, body) => controlAt(sandbox.url, method, path, body);
const call = (method, path, body) => callAt(worker.url, NOTIFY_SECRET, method, path, body);
const images = async () => (await control("GET", `/messages?to=${TO}`)).messages.filter((m) => m.type === "image");
const image = (file, extra = {}) => ({ message: { to: TO, type: "image", image: { link: `${CDN}/media/${file}` } }, ...extra });
const deadLetter = (id) => eventually(async () => (await call("GET", "/dead-letters")).body.deadLetters.find((l) => l.id === id), 30_000, "the dead letter");

before(async () => {
  sandbox = await start({ tokens: [TOKEN], timeScale: 20 });
  worker = await startWorker({
    vars: { SENDEXA_BASE_URL: sandbox.url, SENDEXA_TOKEN: TOKEN, SENDEXA_WEBHOOK_SECRET: "whsec_media", NOTIFY_SECRET },
    routes: { [CDN]: sandbox.url },
    onRoute: (r) => routed.push(`${r.method} ${r.url.slice(CDN.length)} ${r.status}`),
  });
  await control("POST", "/inbound", { from: TO, text: "hi" });
});

after(async () => {
  await worker?.dispose();
  await sandbox?.close();
});

test("a broken link is dead-lettered with INVALID_MEDIA and its issues; the API gets no request", async () => {
  for (const [file, issue] of [
    ["page.jpg", ["mimeType", "UNSUPPORTED_TYPE"]],
    ["huge.jpg", ["size", "TOO_LARGE"]],
    ["missing.jpg", ["link", "UNAVAILABLE"]],
  ]) {
    const r = await call("POST", "/notify", image(file, { preflightMedia: true }));
    assert.equal(r.status, 202, file);
    const letter = await deadLetter(r.body.ids[0]);
    assert.equal(letter.error.code, "INVALID_MEDIA", file);
    assert.deepEqual(letter.error.issues.map((i) => [i.path, i.code]), [issue], file);
    assert.ok(routed.includes(`HEAD /media/${file} ${file === "missing.jpg" ? 404 : 200}`), `${file}: ${routed}`);
  }
  await sleep(300);
  assert.equal((await images()).length, 0, "no image reached the API");
});

test("a good link is checked (HEAD refused → GET of byte 0), then sent; without preflightMedia no check", async () => {
  routed.length = 0;
  await call("POST", "/notify", image("no-head/photo.png", { preflightMedia: true }));
  const [sent] = await eventually(async () => ((await images()).length ? images() : null), 30_000, "the image send");
  assert.equal(sent.request.image.link, `${CDN}/media/no-head/photo.png`);
  assert.deepEqual(routed, ["HEAD /media/no-head/photo.png 405", "GET /media/no-head/photo.png 206"]);
  // Unchecked, a broken link goes to the API as before (and fails there later, WA004 at best).
  await call("POST", "/notify", image("page.jpg"));
  await eventually(async () => (await images()).length === 2, 30_000, "the unchecked send");
  assert.equal(routed.length, 2, "no check without preflightMedia");
});
