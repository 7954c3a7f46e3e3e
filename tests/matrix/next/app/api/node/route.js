import { normalizePhone, textMessage, validateMessage, SendexaError } from "sendexa-whatsapp";

export function GET(request) {
  const to = new URL(request.url).searchParams.get("to") ?? "";
  try {
    const message = validateMessage(textMessage(to, "Your order #123 has shipped"));
    return Response.json({ to: normalizePhone(to), message });
  } catch (err) {
    if (!(err instanceof SendexaError)) throw err;
    return Response.json({ error: err.code, reason: err.message }, { status: 400 });
  }
}
