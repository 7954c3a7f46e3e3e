// The Cron Trigger: a scheduled template reminder to every number in REMINDER_RECIPIENTS, queued
// like any other notification (templates may start a conversation, so no window applies).
import { templateMessage } from "sendexa-whatsapp";

export async function remind(env, scheduledTime) {
  const recipients = (env.REMINDER_RECIPIENTS ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  if (recipients.length === 0) return 0;
  const spec = { name: env.REMINDER_TEMPLATE, language: env.FALLBACK_LANGUAGE };
  const day = new Date(scheduledTime).toISOString().slice(0, 10);
  await env.NOTIFICATIONS.sendBatch(
    recipients.map((to) => ({
      // One id per recipient per day: a cron that fires twice cannot remind anyone twice.
      body: { id: `reminder:${day}:${to}`, message: templateMessage(to, spec) },
    })),
  );
  return recipients.length;
}
