// What the throughput and cold-start sub-benchmarks load: our package as Node users import it,
// the peers from bench/node_modules, and shared inputs.
import { join } from "node:path";
import { benchDir, pkgDir, rng } from "./common.mjs";

export const loadOurs = () => import(join(pkgDir, "node/index.mjs"));
export const loadPhonePeer = () => import(join(benchDir, "node_modules/libphonenumber-js/max/index.js"));

/**
 * `count` numbers in international form ("+233 24 400 0123"), from each region's example mobile
 * number: every other one with its last three digits replaced at random (mostly still valid), the
 * others also with one digit dropped or added (mostly invalid), so about half are valid, as in a
 * real contact list. The same inputs on every run.
 */
export async function phoneInputs(count) {
  const { default: examples } = await import(join(benchDir, "node_modules/libphonenumber-js/examples.mobile.json.js"));
  const { getCountryCallingCode } = await loadPhonePeer();
  const regions = Object.keys(examples).sort();
  const next = rng(20250935);
  const out = [];
  for (let i = 0; i < count; i++) {
    const region = regions[i % regions.length];
    const nsn = examples[region];
    const tail = String(next(1000)).padStart(3, "0").slice(0, Math.min(3, nsn.length - 1));
    let national = nsn.slice(0, nsn.length - tail.length) + tail;
    if (i % 2) national = next(2) ? national.slice(1) : `${national}${next(10)}`;
    out.push(`+${getCountryCallingCode(region)} ${national}`);
  }
  return out;
}
