import { normalizePhone, textMessage, validateMessage, SendexaError } from "sendexa-whatsapp";

// What the form would send to `to`, or why it cannot be sent.
export function preview(to) {
  try {
    return { to: normalizePhone(to), message: validateMessage(textMessage(to, "Your order #123 has shipped")) };
  } catch (err) {
    if (!(err instanceof SendexaError)) throw err;
    return { error: err.code, reason: err.message };
  }
}
