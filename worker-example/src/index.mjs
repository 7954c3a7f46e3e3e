// An edge notification service on Cloudflare Workers, built on sendexa-whatsapp (imported exactly
// as a user's Worker does; wrangler bundles it and workerd runs it).
//
//   POST /notify              queue notifications (bearer NOTIFY_SECRET)       → 202
//   POST /webhooks/sendexa    Sendexa's signed webhooks                        → 200 / 401 / 400
//   GET  /messages/:id        a message's status: stored from webhooks (in its message shard,
//                             src/messages.mjs), else asked of the API
//                             (bearer NOTIFY_SECRET: it carries the recipient's phone number)
//   GET  /dead-letters        notifications that could not be sent, and why (bearer NOTIFY_SECRET)
//   GET  /recoveries/:id      a failed message's recovery: resends planned and made, or the stop's
//                             reason (bearer NOTIFY_SECRET; a notification id or a message id)
//   POST /campaigns           a template to many recipients: pre-checked with checkNumbers, sent by
//                             the account's Durable Object at the account's full rate, paused on a
//                             RED quality rating, held past the day's cap (bearer NOTIFY_SECRET)
//   GET  /campaigns/:id       a campaign's progress, counted from the webhooks (bearer NOTIFY_SECRET)
//   GET  /                    the SDK version (public: a health check, nothing about messages)
//   queue consumer            sends within the account-wide rate limit, at most once; resends
//                             failed messages on Sendexa's schedule (src/recovery.mjs)
//   cron (09:00 daily)        a template reminder to REMINDER_RECIPIENTS
import { version, SendexaError } from "sendexa-whatsapp";
import { campaignProgress, createCampaign } from "./campaigns.mjs";
import { account, client } from "./client.mjs";
import { consume } from "./consumer.mjs";
import { authorized, notify, unauthorized } from "./notify.mjs";
import { remind } from "./cron.mjs";
import { messageShard } from "./messages.mjs";
import { webhooks } from "./webhooks.mjs";

export { Account } from "./account.mjs";
export { Messages } from "./messages.mjs";

async function messageStatus(request, id, env) {
  if (!authorized(request, env)) return unauthorized();
  const messageId = (await env.STATE.get(`notification:${id}`)) ?? id;
  const stored = await messageShard(env, messageId).get(messageId);
  if (stored) return Response.json({ source: "webhooks", ...stored });
  try {
    const { raw, ...status } = await client(env).status(messageId);
    return Response.json({ source: "api", ...status });
  } catch (err) {
    if (err instanceof SendexaError) return Response.json({ error: err }, { status: err.status ?? 502 });
    throw err;
  }
}

async function deadLetters(request, env) {
  if (!authorized(request, env)) return unauthorized();
  const { keys } = await env.STATE.list({ prefix: "dead:" });
  const letters = await Promise.all(keys.map((k) => env.STATE.get(k.name, "json")));
  return Response.json({ deadLetters: letters.filter(Boolean) });
}

async function recovery(request, env, id) {
  if (!authorized(request, env)) return unauthorized();
  const messageId = (await env.STATE.get(`notification:${id}`)) ?? id;
  const entry = await account(env).recovery(messageId);
  if (!entry) return Response.json({ error: { code: "NOT_FOUND", message: `No failure recorded for ${id}` } }, { status: 404 });
  const { outbox, outboxAt, ...view } = entry;
  return Response.json(view);
}

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    if (request.method === "POST" && pathname === "/notify") return notify(request, env);
    if (request.method === "POST" && pathname === "/webhooks/sendexa") return webhooks(request, env);
    if (request.method === "POST" && pathname === "/campaigns") return createCampaign(request, env);
    const campaign = pathname.match(/^\/campaigns\/([^/]+)$/);
    if (request.method === "GET" && campaign) return campaignProgress(request, env, decodeURIComponent(campaign[1]));
    const match = pathname.match(/^\/messages\/([^/]+)$/);
    if (request.method === "GET" && match) return messageStatus(request, decodeURIComponent(match[1]), env);
    if (request.method === "GET" && pathname === "/dead-letters") return deadLetters(request, env);
    const recovering = pathname.match(/^\/recoveries\/([^/]+)$/);
    if (request.method === "GET" && recovering) return recovery(request, env, decodeURIComponent(recovering[1]));
    if (request.method === "GET" && pathname === "/") return Response.json({ sdk: "sendexa-whatsapp", version: version() });
    return Response.json({ error: { code: "NOT_FOUND", message: `No route for ${request.method} ${pathname}` } }, { status: 404 });
  },

  async queue(batch, env) {
    await consume(batch, env);
  },

  async scheduled(controller, env) {
    await remind(env, controller.scheduledTime);
  },
};
