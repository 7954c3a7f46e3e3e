import { Hono } from "hono";
import { normalizePhone, textMessage, validateMessage, SendexaError } from "sendexa-whatsapp";

const app = new Hono();

app.get("/preview", (c) => {
  const to = c.req.query("to") ?? "";
  const message = validateMessage(textMessage(to, "Your order #123 has shipped"));
  return c.json({ to: normalizePhone(to), message });
});

app.onError((err, c) => {
  if (err instanceof SendexaError) return c.json({ error: err.code, reason: err.message }, 400);
  return c.json({ error: "INTERNAL" }, 500);
});

export default app;
