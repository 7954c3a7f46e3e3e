// One cold start, in a fresh Node process (spawned by bench/cold-start.mjs): times from the start
// of the import to the first result, and prints the milliseconds.
//   node bench/lib/cold-child.mjs ours|peer
const which = process.argv[2];
// The package under test (see lib/common.mjs), resolved before the clock starts.
const entry = new URL(`file://${process.env.SENDEXA_BENCH_PKG || new URL("../../pkg", import.meta.url).pathname}/node/index.mjs`).href;
const t0 = performance.now();
if (which === "ours") {
  // Node's entry: reads the .wasm, compiles and instantiates it synchronously.
  const { validateMessage } = await import(entry);
  validateMessage({ to: "233244000000", type: "text", text: { body: "Your order #123 has shipped" } });
} else {
  const [{ Text }, { parsePhoneNumber }] = await Promise.all([
    import("../node_modules/whatsapp-api-js/lib/messages/index.js"),
    import("../node_modules/libphonenumber-js/max/index.js"),
  ]);
  const to = parsePhoneNumber("+233 24 400 0000");
  if (!to.isValid()) throw new Error("peer: invalid number");
  JSON.stringify({ messaging_product: "whatsapp", to: to.number.slice(1), type: "text", text: new Text("Your order #123 has shipped") });
}
process.stdout.write(`${performance.now() - t0}\n`);
