// Which package files an entry loads (bench/entries.mjs and bench/size.mjs).
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

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

