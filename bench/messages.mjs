#!/usr/bin/env node
// Message building throughput: build + validate + JSON.stringify, per second, for a text, a list
// and a template message, ours (the builders, which validate and normalise `to`) versus the same
// messages built with whatsapp-api-js's classes and wrapped in the request body its sendMessage
// sends (it checks a few lengths and does not normalise the number).
import { join } from "node:path";
import { benchDir, compareRates, emit } from "./lib/common.mjs";
import { loadOurs } from "./lib/subjects.mjs";

const ours = await loadOurs();
const wa = await import(join(benchDir, "node_modules/whatsapp-api-js/lib/messages/index.js"));
const TO = "+233 24 400 0000";
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
    ours: () => JSON.stringify(ours.textMessage(TO, "Your order #123 has shipped")),
    peer: () => JSON.stringify(request(TO, new wa.Text("Your order #123 has shipped"))),
    target: "ratio>=1",
  },
  list: {
    ours: () => JSON.stringify(ours.listMessage(TO, { body: "Pick a delivery time", button: "Choose", sections: [{ title: "Tomorrow", rows }] })),
    peer: () =>
      JSON.stringify(
        request(TO, new wa.Interactive(new wa.ActionList("Choose", new wa.ListSection("Tomorrow", ...rows.map((r) => new wa.Row(r.id, r.title, r.description)))), new wa.Body("Pick a delivery time"))),
      ),
  },
  template: {
    ours: () =>
      JSON.stringify(
        ours.templateMessage(TO, {
          name: "order_update",
          language: "en_US",
          components: [
            { type: "header", parameters: [{ type: "text", text: "Order #123" }] },
            { type: "body", parameters: [{ type: "text", text: "Ama" }, { type: "text", text: "Tuesday" }] },
            { type: "button", sub_type: "url", index: 0, parameters: [{ type: "text", text: "abc123" }] },
          ],
        }),
      ),
    peer: () =>
      JSON.stringify(
        request(
          TO,
          new wa.Template(
            "order_update",
            "en_US",
            new wa.HeaderComponent(new wa.HeaderParameter("Order #123")),
            new wa.BodyComponent(new wa.BodyParameter("Ama"), new wa.BodyParameter("Tuesday")),
            new wa.URLComponent("abc123"),
          ),
        ),
      ),
  },
};

for (const [kind, c] of Object.entries(cases)) {
  const r = await compareRates(c.ours, c.peer);
  emit({ name: `${kind} message, build + validate + stringify`, value: r.ours, unit: "messages/s", peer: { name: PEER, value: r.peer }, target: c.target, better: "higher" });
}
