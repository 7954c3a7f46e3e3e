// Bundles JavaScript the way the size figures compare it: esbuild, minified, ES module, for the
// browser (the peers' code is platform neutral; `browser` picks their browser entry points).
import { join } from "node:path";
import { benchDir } from "./common.mjs";

const { build } = await import(join(benchDir, "node_modules/esbuild/lib/main.js"));

/** The minified bundle of `source` (an ES module resolved from `resolveDir`), as bytes. */
export async function bundle(source, { resolveDir = benchDir, external = [] } = {}) {
  const result = await build({
    stdin: { contents: source, resolveDir, loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    external,
    write: false,
    logLevel: "error",
  });
  return Buffer.from(result.outputFiles[0].contents);
}

/**
 * The peers' entry points. libphonenumber-js is taken as what does our phone module's job
 * (`parsePhoneNumber` + `isValidPhoneNumber` with max metadata: its smallest bundle that can
 * validate and type a number); whatsapp-api-js as everything it exports (client and messages).
 */
export const PEERS = {
  phone: { name: "libphonenumber-js/max", source: 'export { parsePhoneNumber, isValidPhoneNumber } from "libphonenumber-js/max";' },
  whatsapp: { name: "whatsapp-api-js", source: 'export * from "whatsapp-api-js"; export * from "whatsapp-api-js/messages";' },
};
PEERS.both = { name: `${PEERS.whatsapp.name} + ${PEERS.phone.name}`, source: `${PEERS.whatsapp.source}\n${PEERS.phone.source}` };
