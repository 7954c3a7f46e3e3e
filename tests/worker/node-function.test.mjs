// The Node serverless function example (worker-example/node-function) behind a real node:http
// server, sending to the local sandbox over real HTTP.
import test, { after, before } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { start } from "../sandbox/server.mjs";
import { installPackage } from "../../worker-example/local.mjs";

const TOKEN = "function-test-token";
let sandbox;
let server;
let url;

before(async () => {
  installPackage(); // the function imports sendexa-whatsapp as users do, from its node_modules
  sandbox = await start({ tokens: [TOKEN] });
  Object.assign(process.env, { SENDEXA_TOKEN: TOKEN, SENDEXA_BASE_URL: sandbox.url, NOTIFY_SECRET: "fn-secret" });
  const { default: handler } = await import("../../worker-example/node-function/handler.mjs");
  server = createServer((req, res) => handler(req, res));
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${server.address().port}/`;
});

after(async () => {
  if (server) await new Promise((resolve) => server.close(resolve));
  await sandbox?.close();
});

const post = async (body, auth = "Bearer fn-secret") => {
  const response = await fetch(url, { method: "POST", headers: { authorization: auth }, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
};

test("sends valid notifications and reports each outcome", async () => {
  const template = (to) => ({ message: { to, type: "template", template: { name: "hello_world", language: "en_US" } } });
  const r = await post({ notifications: [template("+233 24 400 0201"), template("233500000005")] });
  assert.equal(r.status, 200);
  assert.equal(r.body.results[0].ok, true);
  assert.match(r.body.results[0].messageId, /^exa_wa_/);
  // 233500000005 is the sandbox's "not on WhatsApp" number: refused with WA002, reported, not thrown.
  assert.deepEqual([r.body.results[1].ok, r.body.results[1].error.code], [false, "WA002"]);
  const seen = await (await fetch(`${sandbox.url}/__sandbox/messages?to=233244000201`)).json();
  assert.equal(seen.data.total, 1);
});

test("refuses every missing or wrong bearer, and everyone while NOTIFY_SECRET is unset", async () => {
  const to = "233244000203";
  for (const auth of ["", "Bearer", "Bearer wrong", "fn-secret", "Basic fn-secret", "Bearer fn-secretx", "Bearer fn-secre", "Bearer fn-secret x"]) {
    const r = await post({ to, text: "hi" }, auth);
    assert.equal(r.status, 401, JSON.stringify(auth));
    assert.equal(r.body.error.code, "UNAUTHORIZED");
  }
  const unauthenticated = await fetch(url, { method: "POST", body: JSON.stringify({ to, text: "hi" }) });
  assert.equal(unauthenticated.status, 401);
  assert.equal((await fetch(url)).status, 405, "GET is not a route");
  const saved = process.env.NOTIFY_SECRET;
  try {
    for (const secret of [undefined, ""]) {
      if (secret === undefined) delete process.env.NOTIFY_SECRET;
      else process.env.NOTIFY_SECRET = secret;
      assert.equal((await post({ to, text: "hi" }, "Bearer ")).status, 401, `secret ${JSON.stringify(secret)}`);
      assert.equal((await post({ to, text: "hi" }, "Bearer fn-secret")).status, 401, `secret ${JSON.stringify(secret)}`);
    }
  } finally {
    process.env.NOTIFY_SECRET = saved;
  }
  const seen = await (await fetch(`${sandbox.url}/__sandbox/messages?to=${to}`)).json();
  assert.equal(seen.data.total, 0, "nothing refused was sent");
  const right = await post({ to, text: "hi" });
  assert.equal(right.status, 200);
});

test("refuses bad input before sending anything", async () => {
  assert.equal((await post({ to: "233244000202", text: "hi" }, "Bearer wrong")).status, 401);
  const bad = await post({ to: "not a phone", text: "hi" });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, "WA001");
  const seen = await (await fetch(`${sandbox.url}/__sandbox/messages`)).json();
  assert.equal(seen.data.messages.filter((m) => m.to === "233244000202").length, 0);
});
