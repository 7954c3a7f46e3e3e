#!/usr/bin/env node
// `make test`'s check of the code's shape (issue 21), over the non-test Rust files under src/:
// - no `use` cycle between modules (a module and its own submodules aside);
// - no file over 900 lines;
// - the engine imports neither wasm-bindgen nor js-sys (it must stay testable natively).
// Comments and `#[cfg(test)]` modules are left out: a doc link is not a dependency.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = join(import.meta.dirname, "..", "src");
const MAX_LINES = 900;

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "tests" ? [] : files(path);
    return name.endsWith(".rs") && name !== "tests.rs" ? [path] : [];
  });
}

const modules = new Map(); // "crate::engine::client::call" → source without comments or tests
const problems = [];
for (const path of files(root)) {
  const parts = relative(root, path).slice(0, -3).split("/");
  if (["mod", "lib"].includes(parts.at(-1))) parts.pop();
  const text = readFileSync(path, "utf8");
  const lines = text.split("\n").length;
  if (lines > MAX_LINES) problems.push(`${relative(root, path)} has ${lines} lines (at most ${MAX_LINES})`);
  const code = text
    .replace(/#\[cfg\((all\()?test[^\]]*\]\s*mod \w+\s*\{[\s\S]*/, "")
    .split("\n")
    .filter((line) => !line.trim().startsWith("//"))
    .join("\n");
  modules.set(["crate", ...parts].join("::"), code);
  if (parts[0] === "engine" && /\b(wasm_bindgen|js_sys)::/.test(code)) {
    problems.push(`src/${relative(root, path)}: the engine may not use wasm-bindgen or js-sys`);
  }
}

/** The module a path names (`super::x::y` from `here`), or undefined outside the crate. */
function resolve(path, here) {
  let segs = path.split("::");
  if (segs[0] === "super" || segs[0] === "self") {
    const base = here.split("::");
    while (segs[0] === "super") {
      base.pop();
      segs = segs.slice(1);
    }
    if (segs[0] === "self") segs = segs.slice(1);
    segs = [...base, ...segs];
  } else if (segs[0] !== "crate") return undefined;
  for (let i = segs.length; i > 0; i--) {
    const name = segs.slice(0, i).join("::");
    if (modules.has(name)) return name;
  }
  return undefined;
}

const graph = new Map();
for (const [name, code] of modules) {
  const deps = new Set();
  for (const [path] of code.matchAll(/\b(?:crate|super|self)(?:::\w+)+/g)) {
    const dep = resolve(path, name);
    const related = dep === name || dep?.startsWith(`${name}::`) || name.startsWith(`${dep}::`);
    if (dep && !related) deps.add(dep);
  }
  graph.set(name, deps);
}

// Tarjan's strongly connected components: any with more than one module is a cycle.
let counter = 0;
const index = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
function connect(v) {
  index.set(v, counter);
  low.set(v, counter++);
  stack.push(v);
  onStack.add(v);
  for (const w of graph.get(v)) {
    if (!index.has(w)) {
      connect(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
  }
  if (low.get(v) === index.get(v)) {
    const component = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1) problems.push(`use cycle: ${component.join(" ↔ ")}`);
  }
}
for (const v of graph.keys()) if (!index.has(v)) connect(v);

for (const p of problems) console.error(p);
console.log(`${modules.size} modules: ${problems.length === 0 ? "no use cycle, none over 900 lines, the engine free of wasm-bindgen" : `${problems.length} problem(s)`}`);
process.exitCode = problems.length === 0 ? 0 : 1;
