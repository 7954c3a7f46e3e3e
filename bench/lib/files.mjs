// Which package files an entry loads (bench/entries.mjs and bench/size.mjs).
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { dirname, join, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";

/** The package files an entry loads: its static imports/requires, followed, and the .wasm it names. */
export function filesOf(pkgDir, entry) {
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file) || !existsSync(file)) return;
    seen.add(file);
    const source = readFileSync(file, "utf8");
    const refs = [
      ...source.matchAll(/(?:from\s*|require\(\s*(?:String\.raw)?|\)\(\s*)["'`](\.{1,2}\/[^"'`?]+)/g),
      ...source.matchAll(/["'`](?:\.{1,2}\/)?((?:\.\.\/)?sendexa_whatsapp_bg\.wasm(?:\.gz)?)(?:\?module)?["'`]/g),
    ].map((m) => m[1]);
    for (const ref of refs) {
      const target = resolve(dirname(file), ref);
      // The CommonJS glue names the .wasm by its path from the package root.
      // (The CommonJS glue joins it to its own folder's parent: messages/node/… → messages/….)
      const wasm = [target, resolve(dirname(file), "..", ref), join(pkgDir, ref)].find((f) => existsSync(f));
      if (target.endsWith(".wasm") || target.endsWith(".gz")) seen.add(wasm ?? target);
      else visit(target);
    }
  };
  visit(join(pkgDir, entry));
  return [...seen].filter((f) => existsSync(f));
}


/** The job issue 18's Node size figures measure, for nodeLoads: validate one text message. */
export const VALIDATE_JOB = 'sdk.validateMessage({ to: "+233 24 400 0000", type: "text", text: { body: "Your order #123 has shipped" } });';

/**
 * The package files a fresh Node process reads to import `entry` and run `job` (the source of an
 * async function body given `sdk`, the entry's exports): every CommonJS module in require's cache,
 * every file read with fs.readFileSync (the .wasm), and the entry itself. Measured by running it,
 * because the Node entry loads each build on its first use (scripts/assemble-pkg.mjs,
 * writeNodeEntry), which a static walk of the requires cannot tell apart.
 */
export function nodeLoads(pkgDir, entry, job) {
  const entryUrl = pathToFileURL(join(pkgDir, entry)).href;
  const child = `
import fs from "node:fs";
import { createRequire } from "node:module";
const read = new Set();
const readFileSync = fs.readFileSync;
fs.readFileSync = function (path, ...rest) { read.add(String(path)); return readFileSync.call(this, path, ...rest); };
const sdk = await import(${JSON.stringify(entryUrl)});
await (async () => { ${job} })();
process.stdout.write(JSON.stringify([...read, ...Object.keys(createRequire(import.meta.url).cache)]));
`;
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", child], { encoding: "utf8" });
  const root = realpathSync(pkgDir) + sep;
  const files = new Set([realpathSync(join(pkgDir, entry))]);
  for (const f of JSON.parse(out)) if (existsSync(f) && realpathSync(f).startsWith(root)) files.add(realpathSync(f));
  return [...files];
}
