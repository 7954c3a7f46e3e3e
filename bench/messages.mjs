#!/usr/bin/env node
// Message building throughput: build + validate + JSON.stringify, per second, for a text, a list
// and a template message, ours (the builders, which validate and normalise `to`) versus the same
// messages built with whatsapp-api-js's classes and wrapped in the request body its sendMessage
// sends (it checks a few lengths and does not normalise the number). Each message goes to the next of
// 1,024 different recipients, valid numbers of every region as users paste them: a notification
// service rarely writes to the same number twice in a row, and neither side may profit from it.
import { join } from "node:path";
import { benchDir, compareRates, emit } from "./lib/common.mjs";
import { loadOurs, loadPhonePeer, phoneInputs } from "./lib/subjects.mjs";

const ours = await loadOurs();
const wa = await import(join(benchDir, "node_modules/whatsapp-api-js/lib/messages/index.js"));
const RECIPIENTS = (await phoneInputs(4096)).filter((s) => ours.isValidPhone(s)).slice(0, 1024);
if (RECIPIENTS.length !== 1024) throw new Error(`messages bench: ${RECIPIENTS.length} valid recipients, not 1024`);
const to = (i) => RECIPIENTS[i & 1023];
const PEER = "whatsapp-api-js classes";

/** The request body whatsapp-api-js's sendMessage builds around a message object. */
const request = (to, message) => ({ messaging_product: "whatsapp", recipient_type: "individual", to, type: message._type, [message._type]: message });

const rows = [
  { id: "am", title: "10:00", description: "Morning delivery" },
  { id: "noon", title: "13:00", description: "Around lunch" },
  { id: "pm", title: "17:00", description: "Evening delivery" },
];
const cases = {
  text: {
    ours: (i) => JSON.stringify(ours.textMessage(to(i), "Your order #123 has shipped")),
    peer: (i) => JSON.stringify(request(to(i), new wa.Text("Your order #123 has shipped"))),
    target: "ratio>=1",
  },
  list: {
    ours: (i) => JSON.stringify(ours.listMessage(to(i), { body: "Pick a delivery time", button: "Choose", sections: [{ title: "Tomorrow", rows }] })),
    peer: (i) =>
      JSON.stringify(
        request(to(i), new wa.Interactive(new wa.ActionList("Choose", new wa.ListSection("Tomorrow", ...rows.map((r) => new wa.Row(r.id, r.title, r.description)))), new wa.Body("Pick a delivery time"))),
      ),
    target: "ratio>=0.5",
  },
  template: {
    ours: (i) =>
      JSON.stringify(
        ours.templateMessage(to(i), {
          name: "order_update",
          language: "en_US",
          components: [
            { type: "header", parameters: [{ type: "text", text: "Order #123" }] },
            { type: "body", parameters: [{ type: "text", text: "Ama" }, { type: "text", text: "Tuesday" }] },
            { type: "button", sub_type: "url", index: 0, parameters: [{ type: "text", text: "abc123" }] },
          ],
        }),
      ),
    peer: (i) =>
      JSON.stringify(
        request(
          to(i),
          new wa.Template(
            "order_update",
            "en_US",
            new wa.HeaderComponent(new wa.HeaderParameter("Order #123")),
            new wa.BodyComponent(new wa.BodyParameter("Ama"), new wa.BodyParameter("Tuesday")),
            new wa.URLComponent("abc123"),
          ),
        ),
      ),
    target: "ratio>=0.5",
  },
};

for (const [kind, c] of Object.entries(cases)) {
  const r = await compareRates(c.ours, c.peer);
  emit({ name: `${kind} message, build + validate + stringify`, value: r.ours, unit: "messages/s", peer: { name: PEER, value: r.peer }, target: c.target, better: "higher" });
}

// For scale, not a target: the same text message when the peer's user also does what ours does
// with `to`, validating and normalising it with libphonenumber-js (max metadata).
const phones = await loadPhonePeer();
const peerValidated = (i) => {
  const number = phones.parsePhoneNumber(to(i));
  if (!number.isValid()) throw new Error(`invalid recipient ${to(i)}`);
  return JSON.stringify(request(number.number.slice(1), new wa.Text("Your order #123 has shipped")));
};
const validated = await compareRates(cases.text.ours, peerValidated);
emit({ name: "text message, build + validate + stringify (peer validates `to` too)", value: validated.ours, unit: "messages/s", peer: { name: "whatsapp-api-js + libphonenumber-js/max", value: validated.peer }, better: "higher" });
