// GET/HEAD /media/…: the files checkMediaLink is tested against, and the ways they answer.
import test from "node:test";
import assert from "node:assert/strict";
import { startSandbox } from "./helpers.mjs";
import { MEDIA_FILES } from "./lib/media.mjs";

const get = (url, path, init = {}) => fetch(url + path, init);

test("HEAD and GET give the type and length; the bytes start with the format's signature", async (t) => {
  const { url } = await startSandbox(t);
  const head = await get(url, "/media/photo.jpg", { method: "HEAD" });
  assert.equal(head.status, 200);
  assert.equal(head.headers.get("content-type"), "image/jpeg");
  assert.equal(head.headers.get("content-length"), String(MEDIA_FILES["photo.jpg"].size));
  assert.equal(head.headers.get("accept-ranges"), "bytes");
  assert.equal(head.headers.get("access-control-allow-origin"), "*");
  assert.match(head.headers.get("access-control-expose-headers"), /Content-Range/);
  const whole = await get(url, "/media/receipt.pdf");
  const bytes = Buffer.from(await whole.arrayBuffer());
  assert.equal(bytes.length, MEDIA_FILES["receipt.pdf"].size);
  assert.equal(bytes.subarray(0, 5).toString(), "%PDF-");
  // Media files need no token and are outside the API (no envelope, no request id in a body).
  assert.equal((await get(url, "/media/voice.ogg", { method: "HEAD" })).headers.get("content-type"), "audio/ogg; codecs=opus");
});

test("a Range request answers 206 with Content-Range; an unsatisfiable one 416", async (t) => {
  const { url } = await startSandbox(t);
  const first = await get(url, "/media/clip.mp4", { headers: { range: "bytes=0-0" } });
  assert.equal(first.status, 206);
  assert.equal(first.headers.get("content-range"), `bytes 0-0/${MEDIA_FILES["clip.mp4"].size}`);
  assert.equal(first.headers.get("content-length"), "1");
  assert.equal((await first.arrayBuffer()).byteLength, 1);
  const tail = await get(url, "/media/photo.png", { headers: { range: "bytes=-4" } });
  assert.equal(tail.headers.get("content-range"), "bytes 20476-20479/20480");
  const empty = await get(url, "/media/empty.pdf", { headers: { range: "bytes=0-0" } });
  assert.equal(empty.status, 416);
  assert.equal(empty.headers.get("content-range"), "bytes */0");
  const past = await get(url, "/media/photo.png", { headers: { range: "bytes=99999-" } });
  assert.equal(past.status, 416);
  const ignored = await get(url, "/media/photo.png", { headers: { range: "pages=1" } });
  assert.equal(ignored.status, 200);
});

test("no-head refuses HEAD with 405; no-length sends no length and ignores Range", async (t) => {
  const { url } = await startSandbox(t);
  const head = await get(url, "/media/no-head/photo.png", { method: "HEAD" });
  assert.equal(head.status, 405);
  assert.equal(head.headers.get("allow"), "GET");
  const range = await get(url, "/media/no-head/photo.png", { headers: { range: "bytes=0-0" } });
  assert.equal(range.status, 206);
  assert.equal(range.headers.get("content-range"), "bytes 0-0/20480");
  const chunked = await get(url, "/media/no-length/clip.mp4", { headers: { range: "bytes=0-0" } });
  assert.equal(chunked.status, 200);
  assert.equal(chunked.headers.get("content-length"), null);
  assert.equal(chunked.headers.get("content-type"), "video/mp4");
  assert.equal((await chunked.arrayBuffer()).byteLength, MEDIA_FILES["clip.mp4"].size);
});

test("wrong type, too large, untyped, missing, other methods", async (t) => {
  const { url } = await startSandbox(t);
  assert.equal((await get(url, "/media/page.jpg", { method: "HEAD" })).headers.get("content-type"), "text/html; charset=utf-8");
  assert.equal((await get(url, "/media/huge.jpg", { method: "HEAD" })).headers.get("content-length"), "6000000");
  const untyped = await get(url, "/media/untyped.jpg", { method: "HEAD" });
  assert.equal(untyped.status, 200);
  assert.equal(untyped.headers.get("content-type"), null);
  for (const path of ["/media/missing.jpg", "/media/slow/missing.jpg", "/media/nope/photo.jpg", "/media/a/b/photo.jpg", "/media/"]) {
    const r = await get(url, path);
    assert.equal(r.status, 404, path);
    assert.match(await r.text(), /No media/);
  }
  const post = await get(url, "/media/photo.jpg", { method: "POST", body: "x" });
  assert.equal(post.status, 405);
});

test("redirect answers 302 to the file on the sandbox's own host", async (t) => {
  const { url } = await startSandbox(t);
  const manual = await get(url, "/media/redirect/photo.jpg", { method: "HEAD", redirect: "manual" });
  assert.equal(manual.status, 302);
  assert.equal(manual.headers.get("location"), "/media/photo.jpg");
  const followed = await get(url, "/media/redirect/photo.jpg", { method: "HEAD" });
  assert.equal(followed.status, 200);
  assert.equal(followed.redirected, true);
  assert.equal(followed.url, `${url}/media/photo.jpg`);
});

test("drop closes the connection; slow answers late and can be given up on", async (t) => {
  const { url } = await startSandbox(t);
  await assert.rejects(get(url, "/media/drop/photo.jpg", { method: "HEAD" }));
  const started = Date.now();
  await assert.rejects(get(url, "/media/slow/photo.jpg", { method: "HEAD", signal: AbortSignal.timeout(200) }));
  assert.ok(Date.now() - started < 5_000);
});
