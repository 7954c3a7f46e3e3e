// What the package's exports really return: calls every export (builders, phones, media, webhooks,
// stores, and every client method against the local sandbox, in its live and draft shapes, and
// against answers that leave optional fields out) and records each value with the TypeScript type
// its declaration promises. check-types.mjs turns the records into a program that assigns each
// observed value, as a literal, to its declared type: a value the declarations do not allow (a
// `null` where they say `string`, a field they do not list) fails `tsc --strict`.
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createHmac } from "node:crypto";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");

/**
 * @returns {Promise<Array<{ label: string, type: string, value: unknown }>>} `type` is a TypeScript
 * type expression over `import * as sdk from "sendexa-whatsapp"`.
 */
/**
 * @returns {Promise<Array<{ label: string, type: string, value: unknown, ns: string }>>} `type` is a
 * TypeScript type expression over `import * as sdk from "sendexa-whatsapp"` (and `msg`, for the
 * light entry `sendexa-whatsapp/messages`); `ns` names the namespace whose SendexaError a thrown
 * error is checked against.
 */
export async function observe() {
  const require = createRequire(import.meta.url);
  const sdk = require(join(root, "pkg/node/sendexa_whatsapp.cjs"));
  const light = require(join(root, "pkg/messages/node/sendexa_whatsapp.cjs"));
  const { start } = await import(join(root, "tests/sandbox/server.mjs"));
  const seen = [];
  const recorder = (ns, module) => {
    const record = (label, type, value) => seen.push({ label: ns === "sdk" ? label : `${label} [messages entry]`, type, value, ns });
    /** Records what `run()` returns, or the SendexaError it throws. */
    const call = async (label, type, run) => {
      try {
        record(label, type, await run());
      } catch (err) {
        if (!(err instanceof module.SendexaError)) throw err;
        record(`${label} (throws)`, `${ns}.SendexaError`, err);
      }
    };
    return { record, call, fn: (name) => `ReturnType<typeof ${ns}.${name}>` };
  };
  const { record, call, fn } = recorder("sdk", sdk);
  const method = (cls, name) => `Awaited<ReturnType<sdk.${cls}[${JSON.stringify(name)}]>>`;

  // Phones, messages and media: in the main entry and in the light one, against each's declarations.
  await observeMessages(sdk, recorder("sdk", sdk));
  await observeMessages(light, recorder("msg", light));
  const to = "+233 24 400 0000";
  await call("version [messages entry]", "ReturnType<typeof msg.version>", () => light.version());

  // Resend planning: each action and stop reason, and a refusal.
  const failedAt = Date.parse("2026-01-01T10:00:00Z");
  for (const [what, state] of [
    ["resend", { status: "failed", errorCode: "WA005", attempts: 1, sentAt: failedAt - 60_000, failedAt }],
    ["resend, ISO times, no code", { status: "failed", sentAt: "2026-01-01T09:59:00Z", failedAt: "2026-01-01T10:00:00Z" }],
    ["NOT_FAILED", { status: "delivered" }],
    ["WINDOW_CLOSED", { status: "failed", errorCode: "WA003" }],
    ["MEDIA", { status: "failed", errorCode: "WA004" }],
    ["NOT_RESENDABLE", { status: "failed", errorCode: "WA002" }],
    ["LIMIT", { status: "failed", attempts: 5 }],
    ["EXPIRED", { status: "failed", sentAt: failedAt - 48 * 3_600_000, failedAt }],
    ["bad attempts", { status: "failed", attempts: 1.5 }],
  ]) {
    await call(`planResend(${what})`, fn("planResend"), () => sdk.planResend(state, failedAt + 1000));
  }

  // Media links, as a fetch answers (no network): a HEAD with type and length, one without a
  // length (then a GET of byte 0 without one either), and refusals.
  const answer = (status, headers) => async () => new Response(null, { status, headers });
  for (const [what, type, fetch] of [
    ["HEAD", "image", answer(200, { "content-type": "image/jpeg", "content-length": "48213" })],
    ["no length", "video", answer(200, { "content-type": "video/mp4" })],
    ["206", "document", answer(206, { "content-type": "application/pdf", "content-range": "bytes 0-0/31337" })],
    ["404", "image", answer(404, { "content-type": "text/html" })],
    ["too large", "sticker", answer(200, { "content-type": "image/webp", "content-length": "600000" })],
  ]) {
    await call(`checkMediaLink(${what})`, "Awaited<ReturnType<typeof sdk.checkMediaLink>>", () =>
      sdk.checkMediaLink("https://cdn.example.com/media", { type, fetch }),
    );
  }
  await call("checkMediaLink(http)", "Awaited<ReturnType<typeof sdk.checkMediaLink>>", () => sdk.checkMediaLink("http://cdn.example.com/a.jpg", { type: "image" }));

  // Webhooks.
  const secret = "whsec_types";
  const signed = (body) => ({ "X-Signature": `sha256=${createHmac("sha256", secret).update(body).digest("hex")}` });
  const bodies = [
    { event: "message.delivered", messageId: "exa_wa_1", wamid: "wamid.1", status: "delivered", to: "233244000000", timestamp: "2024-01-15T10:31:00Z" },
    { event: "message.failed", messageId: "exa_wa_2", status: "failed", to: "233244000000", error: { code: "WA002", message: "Not on WhatsApp" } },
    { event: "message.received", messageId: "exa_wa_in_1", from: "233244000000", type: "text", text: { body: "Hi" }, contact: { name: "Ama" }, timestamp: 1705314660 },
    { event: "message.received", from: "233244000000", type: "image", image: { id: "m1", url: "https://x/m1", mime_type: "image/jpeg", caption: "c" } },
    { event: "message.received", from: "233244000000", type: "location", location: { latitude: 5.6, longitude: -0.2, name: "Accra" } },
    { event: "message.received", from: "233244000000", type: "contacts", contacts: [{ name: { formatted_name: "Kofi" } }] },
    { event: "message.received", from: "233244000000", type: "interactive", interactive: { type: "button_reply", button_reply: { id: "y", title: "Yes" } }, context: { messageId: "exa_wa_1" } },
    { event: "message.received", from: "233244000000", type: "interactive", interactive: { type: "list_reply", list_reply: { id: "a", title: "A", description: "d" } } },
    { event: "message.sent", data: { messageId: "exa_wa_3", status: "sent" }, timestamp: "2024-01-15T10:31:00Z", version: "1" },
    { id: "evt_1", event: "template.approved", created_at: "2024-01-15T10:31:00Z", data: { id: "tpl_1" } },
    {
      object: "whatsapp_business_account",
      entry: [
        {
          changes: [
            {
              value: {
                contacts: [{ profile: { name: "Ama" }, wa_id: "233244000000" }],
                messages: [{ from: "233244000000", id: "wamid.in", timestamp: "1705314660", type: "text", text: { body: "Hello" } }],
                statuses: [{ id: "wamid.out", status: "read", timestamp: "1705314660", recipient_id: "233244000000" }],
              },
            },
          ],
        },
      ],
    },
    [{ event: "message.read", messageId: "exa_wa_4", status: "read" }],
  ];
  for (const body of bodies) {
    const text = JSON.stringify(body);
    await call(`parseWebhook(${text.slice(0, 40)}…)`, fn("parseWebhook"), () => sdk.parseWebhook(text));
    await call("verifyWebhook", fn("verifyWebhook"), () => sdk.verifyWebhook({ body: text, headers: signed(text), secret }));
  }
  await call("parseWebhook(not JSON)", fn("parseWebhook"), () => sdk.parseWebhook("{"));
  await call("verifyWebhook(unsigned)", fn("verifyWebhook"), () => sdk.verifyWebhook({ body: "{}", headers: {}, secret }));
  await call("version", fn("version"), () => sdk.version());

  // Stores.
  const store = new sdk.MemoryWindowStore();
  await call("MemoryWindowStore.get (none)", method("MemoryWindowStore", "get"), () => store.get("233244000000"));
  store.set("+233 24 400 0000", 1_700_000_000_000);
  await call("MemoryWindowStore.get", method("MemoryWindowStore", "get"), () => store.get("233244000000"));
  await call("MemoryWindowStore.delete", method("MemoryWindowStore", "delete"), () => store.delete("233244000000"));
  await call("MemoryWindowStore.size", 'sdk.MemoryWindowStore["size"]', () => store.size);
  const limiter = new sdk.RateLimiter();
  await call("RateLimiter.reserve", method("RateLimiter", "reserve"), () => limiter.reserve("send"));
  await call("RateLimiter.limits", method("RateLimiter", "limits"), () => limiter.limits());
  await call("RateLimiter.acquire", method("RateLimiter", "acquire"), () => limiter.acquire("status"));

  // The client against the sandbox, in both response shapes.
  for (const shape of ["live", "draft"]) {
    const sandbox = await start({ tokens: ["types-token"], timeScale: 0, shape, limits: false });
    try {
      await clientCalls(sdk, call, method, record, sandbox.url, shape);
    } finally {
      await sandbox.close();
    }
  }

  // Answers that leave the optional fields out (the client parses leniently): a send of a message
  // given as is (`validate: false`) whose answer names neither recipient nor type.
  const minimal = {
    "/v1/whatsapp/send": { data: { messageId: "exa_wa_min" } },
    "/v1/whatsapp/status/exa_wa_min": { data: { messageId: "exa_wa_min", status: "sent" } },
    "/v1/whatsapp/resend": { data: { messageId: "exa_wa_resend_min", status: "pending" } },
    "/v1/whatsapp/templates": { data: { templates: [{ name: "t" }] } },
    "/v1/whatsapp/templates/tpl_min": { data: { name: "t" } },
    "/v1/whatsapp/numbers/check": { data: { isWhatsApp: false } },
    "/v1/whatsapp/numbers": { data: { numbers: [{ phone: "233200000001" }] } },
  };
  const fetch = async (url) => {
    const path = new URL(url).pathname;
    const body = minimal[path] ?? (path.startsWith("/v1/whatsapp/templates/") && url.includes("DELETE") ? {} : { success: true });
    return new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });
  };
  const bare = new sdk.Sendexa({ token: "t", baseUrl: "http://127.0.0.1:9", fetch, rateLimit: false, window: false, maxRetries: 0 });
  await call("send (minimal answer, validate: false)", method("Sendexa", "send"), () => bare.send({ text: { body: "hi" } }, { validate: false }));
  await call("send (minimal answer, validate: false, to a number)", method("Sendexa", "send"), () =>
    bare.send({ to: 233244000000, type: { text: true }, text: { body: "hi" } }, { validate: false }),
  );
  await call("send (minimal answer)", method("Sendexa", "send"), () => bare.send(sdk.textMessage(to, "Hi")));
  await call("send (preflightMedia, a link answering JSON)", method("Sendexa", "send"), () =>
    bare.send(sdk.imageMessage(to, "https://example.com/a.jpg"), { preflightMedia: true }),
  );
  await call("status (minimal answer)", method("Sendexa", "status"), () => bare.status("exa_wa_min"));
  await call("resend (minimal answer)", method("Sendexa", "resend"), () => bare.resend("exa_wa_min"));
  await call("listTemplates (minimal answer)", method("Sendexa", "listTemplates"), () => bare.listTemplates());
  await call("getTemplate (minimal answer)", method("Sendexa", "getTemplate"), () => bare.getTemplate("tpl_min"));
  await call("deleteTemplate (minimal answer)", method("Sendexa", "deleteTemplate"), () => bare.deleteTemplate("tpl_min"));
  await call("checkNumber (minimal answer)", method("Sendexa", "checkNumber"), () => bare.checkNumber("233244000000"));
  await call("listNumbers (minimal answer)", method("Sendexa", "listNumbers"), () => bare.listNumbers());
  await call("windowStore (window: false)", 'sdk.Sendexa["windowStore"]', () => bare.windowStore);
  bare.free();
  return seen;
}

async function clientCalls(sdk, call, method, record, url, shape) {
  const control = (path, body) =>
    fetch(`${url}/__sandbox/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }).then((r) => r.json());
  const wa = new sdk.Sendexa({ token: "types-token", baseUrl: url, rateLimit: false, maxRetries: 0, timeoutMs: 5000 });
  const m = (name) => method("Sendexa", name);
  const label = (what) => `${what} [${shape}]`;
  await control("inbound", { from: "233244000000", text: "hi" });
  const sent = await wa.send(sdk.textMessage("233244000000", "Hi"));
  record(label("send(text)"), m("send"), sent);
  await call(label("send(template)"), m("send"), () => wa.send(sdk.templateMessage("233244000000", { name: "hello_world", language: "en_US" })));
  await call(label("send(image)"), m("send"), () => wa.send(sdk.imageMessage("233244000000", "https://example.com/a.jpg", { caption: "A" })));
  await call(label("send(slow)"), m("send"), () => wa.send(sdk.templateMessage("233500000003", { name: "hello_world", language: "en_US" })));
  await call(label("send(window closed)"), m("send"), () => wa.send(sdk.textMessage("233244000999", "Hi")));
  await call(label("send(not on WhatsApp)"), m("send"), () => wa.send(sdk.templateMessage("233500000005", { name: "hello_world", language: "en_US" })));
  const failing = await wa.send(sdk.templateMessage("233500000006", { name: "hello_world", language: "en_US" }));
  await call(label("status(sent)"), m("status"), () => wa.status(sent.messageId));
  await control("clock", { advance: "5s" });
  await call(label("status(read)"), m("status"), () => wa.status(sent.messageId));
  await call(label("status(failed)"), m("status"), () => wa.status(failing.messageId));
  const resent = await wa.resend(failing.messageId);
  record(label("resend"), m("resend"), resent);
  await call(label("status(resend)"), m("status"), () => wa.status(resent.messageId));
  await call(label("resend(delivered)"), m("resend"), () => wa.resend(sent.messageId));
  await call(label("status(unknown id)"), m("status"), () => wa.status("exa_wa_nope"));
  await call(label("listTemplates"), m("listTemplates"), () => wa.listTemplates({ pageSize: 3 }));
  const all = [];
  for await (const template of wa.listAllTemplates({ pageSize: 4 })) all.push(template);
  record(label("listAllTemplates items"), "sdk.Template[]", all);
  const created = await wa.createTemplate({
    name: "types_check",
    category: "UTILITY",
    language: "en_US",
    components: [
      { type: "HEADER", format: "TEXT", text: "Order {{1}}", example: { header_text: ["#1"] } },
      { type: "BODY", text: "Hi {{1}}", example: { body_text: [["Ama"]] } },
      { type: "FOOTER", text: "Thanks" },
      { type: "BUTTONS", buttons: [{ type: "QUICK_REPLY", text: "Help" }, { type: "URL", text: "Track", url: "https://example.com/t/{{1}}", example: ["https://example.com/t/1"] }] },
    ],
  });
  record(label("createTemplate"), m("createTemplate"), created);
  await call(label("getTemplate"), m("getTemplate"), () => wa.getTemplate(created.id ?? ""));
  await call(label("getTemplate(rejected seed)"), m("getTemplate"), () => wa.getTemplate(all.find((t) => t.status === "REJECTED")?.id ?? "tpl_wa_000007"));
  await call(label("deleteTemplate"), m("deleteTemplate"), () => wa.deleteTemplate(created.id ?? ""));
  await call(label("getTemplate(deleted)"), m("getTemplate"), () => wa.getTemplate(created.id ?? ""));
  await call(label("checkNumber"), m("checkNumber"), () => wa.checkNumber("+233 24 400 0000"));
  await call(label("checkNumber(not on WhatsApp)"), m("checkNumber"), () => wa.checkNumber("233500000005"));
  await call(label("checkNumber(bad)"), m("checkNumber"), () => wa.checkNumber("nope"));
  await call(label("checkNumbers"), m("checkNumbers"), () => wa.checkNumbers(["233244000000", "233500000005", "024 400 0001"], { onProgress: () => {} }));
  await call(label("listNumbers"), m("listNumbers"), () => wa.listNumbers());
  await call(label("sendBulk"), m("sendBulk"), () =>
    wa.sendBulk([
      sdk.templateMessage("233244000001", { name: "hello_world", language: "en_US" }),
      sdk.templateMessage("233500000005", { name: "hello_world", language: "en_US" }),
      { to: "nope", type: "text", text: { body: "x" } },
    ]),
  );
  await call(label("send(fault 503)"), m("send"), () =>
    fetch(`${url}/__sandbox/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ kind: "503", path: "/v1/whatsapp/send" }) }).then(() =>
      wa.send(sdk.templateMessage("233244000002", { name: "hello_world", language: "en_US" })),
    ),
  );
  await call(label("toJSON"), m("toJSON"), () => wa.toJSON());
  await call(label("toString"), m("toString"), () => wa.toString());
  await call(label("baseUrl"), 'sdk.Sendexa["baseUrl"]', () => wa.baseUrl);
  wa.free();
}


/** The exports the light entry shares with the main one: phone numbers, builders, media. */
async function observeMessages(sdk, { call, fn }) {
  // Phone numbers.
  for (const [input, region] of [
    ["+233 24 400 0000"],
    ["024 400 0000", "GH"],
    ["+1 650 253 0000"],
    ["+44 20 7946 0958"],
    ["+800 1234 5678"],
    ["00233302123456"],
  ]) {
    await call(`parsePhone(${JSON.stringify(input)})`, fn("parsePhone"), () => sdk.parsePhone(input, region));
    await call(`normalizePhone(${JSON.stringify(input)})`, fn("normalizePhone"), () => sdk.normalizePhone(input, region));
  }
  for (const bad of ["nope", "+233 24", "+999 1234567", "0244000000"]) {
    await call(`normalizePhone(${JSON.stringify(bad)})`, fn("normalizePhone"), () => sdk.normalizePhone(bad));
  }
  for (const input of ["+233244000000", "nope", 42, null]) {
    await call(`isValidPhone(${JSON.stringify(input)})`, fn("isValidPhone"), () => sdk.isValidPhone(input));
  }
  await call("validatePhones", fn("validatePhones"), () =>
    sdk.validatePhones(["+233244000000", "024 400 0000", "nope", "", "+1 202", "+233 24 400 00000", "+800 1234 5678"], "GH"),
  );

  // Message builders and validateMessage.
  const to = "+233 24 400 0000";
  const builders = [
    ["textMessage", () => sdk.textMessage(to, "Hi")],
    ["textMessage", () => sdk.textMessage(to, "See https://example.com", { previewUrl: true, replyTo: "wamid.ABC" })],
    ["imageMessage", () => sdk.imageMessage(to, "https://example.com/a.jpg", { caption: "A" })],
    ["imageMessage", () => sdk.imageMessage(to, { id: "1234567890" })],
    ["videoMessage", () => sdk.videoMessage(to, "https://example.com/a.mp4")],
    ["audioMessage", () => sdk.audioMessage(to, { link: "https://example.com/a.ogg" }, { replyTo: "wamid.X" })],
    ["documentMessage", () => sdk.documentMessage(to, "https://example.com/files/invoice.pdf")],
    ["documentMessage", () => sdk.documentMessage(to, { id: "987" }, { filename: "a.pdf", caption: "Invoice" })],
    [
      "buttonsMessage",
      () => sdk.buttonsMessage(to, { body: "Pick", buttons: [{ id: "y", title: "Yes" }, { id: "n", title: "No" }], header: "Q", footer: "F" }),
    ],
    [
      "buttonsMessage",
      () => sdk.buttonsMessage(to, { body: "Pick", buttons: [{ id: "y", title: "Yes" }], header: { type: "image", image: { link: "https://example.com/h.png" } } }),
    ],
    [
      "listMessage",
      () =>
        sdk.listMessage(to, {
          body: "Menu",
          button: "Open",
          sections: [{ title: "S", rows: [{ id: "a", title: "A", description: "d" }] }],
          header: "H",
          footer: "F",
        }),
    ],
    ["ctaUrlMessage", () => sdk.ctaUrlMessage(to, { body: "Track", displayText: "Open", url: "https://example.com/t/1", footer: "F" })],
    ["templateMessage", () => sdk.templateMessage(to, { name: "hello_world", language: "en_US" })],
    [
      "templateMessage",
      () =>
        sdk.templateMessage(to, {
          name: "order_confirmation",
          language: { code: "en_US" },
          components: [
            { type: "header", parameters: [{ type: "text", text: "#1" }] },
            { type: "body", parameters: [{ type: "text", text: "Ama" }, { type: "currency", currency: { fallback_value: "GHS 5", code: "GHS", amount_1000: 5000 } }] },
            { type: "button", sub_type: "url", index: 0, parameters: [{ type: "text", text: "1" }] },
          ],
        }),
    ],
  ];
  for (const [name, build] of builders) await call(name, fn(name), build);
  const messages = [
    { to, type: "text", text: { body: "Hi" } },
    { to, type: "location", location: { latitude: 5.6, longitude: -0.2, name: "Accra", address: "Ring Rd" } },
    { to, type: "contacts", contacts: [{ name: { formatted_name: "Ama Mensah", first_name: "Ama" }, phones: [{ phone: "+233244000000", type: "CELL" }] }] },
    { to, type: "reaction", reaction: { message_id: "wamid.X", emoji: "👍" } },
    { to, type: "sticker", sticker: { id: "55" } },
    { to, type: "template", template: { name: "hello_world", language: "en_US" } },
    { to, type: "image", image: { link: "https://example.com/a.png" }, context: { message_id: "wamid.Y" } },
  ];
  for (const message of messages) await call(`validateMessage(${message.type})`, fn("validateMessage"), () => sdk.validateMessage(message));
  await call("validateMessage(bad)", fn("validateMessage"), () => sdk.validateMessage({ to: "x", type: "text", text: { body: "" } }));

  // Media.
  for (const input of [
    { type: "image", mimeType: "image/jpeg", size: 1000 },
    { type: "document", mimeType: "application/pdf", size: 2_000_000, filename: "a.pdf", link: "https://example.com/a.pdf" },
    { type: "audio", mimeType: "audio/ogg" },
    { type: "video", link: "https://example.com/v.mp4" },
    { type: "sticker", mimeType: "image/webp", size: 50_000 },
  ]) {
    await call(`checkMedia(${input.type})`, fn("checkMedia"), () => sdk.checkMedia(input));
  }
  await call("checkMedia(bad)", fn("checkMedia"), () => sdk.checkMedia({ type: "image", mimeType: "image/gif", size: 10e6 }));
  const bytes = (...parts) => new Uint8Array(parts.flatMap((p) => (typeof p === "string" ? [...Buffer.from(p, "latin1")] : p)));
  for (const [what, input] of [
    ["jpeg", bytes([0xff, 0xd8, 0xff, 0xe0], "\0\x10JFIF\0")],
    ["png", bytes([0x89], "PNG\r\n\x1a\n", [0, 0, 0, 13], "IHDR")],
    ["gif", bytes("GIF89a", [1, 0, 1, 0])],
    ["webp", bytes("RIFF", [0x24, 0, 0, 0], "WEBPVP8 ", [0, 0, 0, 0])],
    ["animated webp", bytes("RIFF", [0x24, 0, 0, 0], "WEBPVP8X", [10, 0, 0, 0, 0x02, 0, 0, 0])],
    ["pdf", bytes("%PDF-1.7\n")],
    ["mp4", bytes([0, 0, 0, 0x18], "ftypmp42", [0, 0, 0, 0], "mp42isom")],
    ["3gp", bytes([0, 0, 0, 0x14], "ftyp3gp4", [0, 0, 0, 0], "3gp4")],
    ["ogg opus", bytes("OggS", [0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x13], "OpusHead")],
    ["mp3", bytes("ID3", [4, 0, 0, 0, 0, 0, 0])],
    ["aac", bytes([0xff, 0xf1, 0x50, 0x80, 0x02, 0x1f, 0xfc])],
    ["amr", bytes("#!AMR\n")],
    ["zip/docx", bytes("PK", [3, 4, 20, 0, 6, 0])],
    ["unknown", bytes("hello")],
    ["empty", new Uint8Array(0)],
  ]) {
    await call(`sniffMedia(${what})`, fn("sniffMedia"), () => sdk.sniffMedia(input));
  }

}
