#!/usr/bin/env node
// Cold start in workerd (Miniflare, as tests/consumers/run.mjs runs it): the time from creating a
// Miniflare instance to the answer of its first request, for a worker that validates a message
// with our package, minus the same for an empty worker — so workerd's own start-up cancels out
// and what is left is loading the script (and compiling the .wasm) plus the first call. The peers
// are bundled into a worker the same way (esbuild) and do the same job.
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bundle } from "./lib/bundle.mjs";
import { emit, median, nodeTools, pkgDir, root } from "./lib/common.mjs";

const { Miniflare } = await import(join(nodeTools, "miniflare/dist/src/index.js"));
const work = join(root, "target/bench/workerd");
mkdirSync(work, { recursive: true });

const MESSAGE = '{ to: "233244000000", type: "text", text: { body: "Your order #123 has shipped" } }';
const workers = {
  empty: 'export default { fetch() { return new Response("ok"); } };',
  // The workerd entry of the package: the .wasm arrives as a compiled module (kept external here
  // and given to Miniflare as CompiledWasm, as wrangler does).
  ours: `import { validateMessage } from "./workerd.mjs";
export default { fetch() { return Response.json(validateMessage(${MESSAGE})); } };`,
  peer: `import { Text } from "whatsapp-api-js/messages";
import { parsePhoneNumber } from "libphonenumber-js/max";
export default { fetch() {
  const to = parsePhoneNumber("+233 24 400 0000");
  return new Response(JSON.stringify({ messaging_product: "whatsapp", to: to.number.slice(1), type: "text", text: new Text("Your order #123 has shipped") }));
} };`,
};

// Bundle each worker once: ours next to a copy of the .wasm so its relative import resolves.
for (const [name, source] of Object.entries(workers)) {
  const resolveDir = name === "ours" ? pkgDir : undefined;
  writeFileSync(join(work, `${name}.mjs`), await bundle(source, { resolveDir, external: ["*.wasm"] }));
}
copyFileSync(join(pkgDir, "sendexa_whatsapp_bg.wasm"), join(work, "sendexa_whatsapp_bg.wasm"));

async function firstRequestMs(name) {
  const start = performance.now();
  const mf = new Miniflare({
    modules: true,
    scriptPath: join(work, `${name}.mjs`),
    modulesRules: [
      { type: "ESModule", include: ["**/*.mjs"] },
      { type: "CompiledWasm", include: ["**/*.wasm"] },
    ],
    compatibilityDate: "2026-04-01",
    cf: false,
  });
  try {
    const res = await mf.dispatchFetch("http://localhost/");
    if (!res.ok) throw new Error(`${name}: HTTP ${res.status}: ${await res.text()}`);
    await res.text();
    return performance.now() - start;
  } finally {
    await mf.dispose();
  }
}

const samples = { empty: [], ours: [], peer: [] };
await firstRequestMs("empty"); // the first workerd start of a run warms the disk cache
for (let i = 0; i < 3; i++) for (const name of Object.keys(samples)) samples[name].push(await firstRequestMs(name));
const empty = median(samples.empty);
emit({
  name: "cold start, workerd: script load to first validateMessage",
  value: median(samples.ours) - empty,
  unit: "ms",
  peer: { name: "whatsapp-api-js + libphonenumber-js/max worker", value: median(samples.peer) - empty },
  target: "ratio<=0.35",
  better: "lower",
  note: `empty worker's first request: ${empty.toFixed(0)} ms`,
});
