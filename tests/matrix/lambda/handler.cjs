const { normalizePhone, textMessage, validateMessage, SendexaError } = require("sendexa-whatsapp");

exports.handler = async (event) => {
  try {
    const message = validateMessage(textMessage(event.to, "Your order #123 has shipped"));
    return { statusCode: 200, body: JSON.stringify({ to: normalizePhone(event.to), message }) };
  } catch (err) {
    if (!(err instanceof SendexaError)) throw err;
    return { statusCode: 400, body: JSON.stringify({ error: err.code, reason: err.message }) };
  }
};
