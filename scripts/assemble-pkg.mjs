// Assembles the npm package from wasm-bindgen's output and pkg-template/.
//
//   node scripts/assemble-pkg.mjs <bindgen-dir> <pkg-dir>
//
// <bindgen-dir> holds wasm-bindgen's `nodejs/` and `web/` output and the optimised
// `sendexa_whatsapp_bg.wasm`. The package ships that one .wasm, shared by every entry point:
//   node/sendexa_whatsapp.cjs   Node `require` (loads the .wasm synchronously with fs)
//   node/index.mjs              Node `import`: re-exports the CommonJS build, so ESM and CJS
//                               users in one process share one instance and one SendexaError
//   web/sendexa_whatsapp.js     the web glue (ES module, `initSync`/`init`) for custom loaders
//   workerd.mjs, browser.mjs    Workers (imports the .wasm as a module) and browsers/bundlers
//                               (fetches it next to the module, with top-level await)
// Every rewrite below checks that its pattern matched, so a wasm-bindgen upgrade that changes the
// glue fails the build instead of shipping a broken package.
import { readFileSync, writeFileSync, mkdirSync, rmSync, cpSync, readdirSync, statSync, existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync, brotliCompressSync, deflateRawSync } from "node:zlib";

const [bindgenDir, pkgDir] = process.argv.slice(2);
if (!bindgenDir || !pkgDir) {
  console.error("usage: node scripts/assemble-pkg.mjs <bindgen-dir> <pkg-dir>");
  process.exit(2);
}
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const template = join(root, "pkg-template");
const NAME = "sendexa_whatsapp";

/**
 * Points every `require`/`import` of snippet `from` at `to` (at least one must exist). wasm-bindgen
 * loads a snippet once for the names its glue wraps and, when wasm imports a function directly,
 * once more; the import object's key (the name inside the .wasm) stays as it is.
 */
function redirectSnippet(glue, from, to, what) {
  let found = 0;
  for (const [open, close] of [["require(String.raw`", "`"], ['require("', '"'], ["from '", "'"], ['from "', '"']]) {
    const pattern = `${open}${from}${close}`;
    found += glue.split(pattern).length - 1;
    glue = glue.split(pattern).join(`${open}${to}${close}`);
  }
  if (found === 0) throw new Error(`assemble-pkg: expected ${what} in the glue, found none`);
  return glue;
}

function replaceOnce(text, pattern, replacement, what) {
  const matches = text.split(pattern).length - 1;
  if (matches !== 1) throw new Error(`assemble-pkg: expected one ${what} in the glue, found ${matches}`);
  return text.replace(pattern, replacement);
}

/** Removes the text from `from` (included) up to `to` (kept); both must occur once, in that order. */
function cutBetween(text, from, to, what) {
  const start = text.indexOf(from);
  const end = text.indexOf(to);
  if (start < 0 || end < start || text.indexOf(from, start + 1) >= 0) {
    throw new Error(`assemble-pkg: expected the glue's ${what} once, before ${to}`);
  }
  return text.slice(0, start) + text.slice(end);
}

/**
 * The JavaScript modules the Rust code imports (`#[wasm_bindgen(module = "/src/bindings/<file>")]`):
 * SendexaError, and the object builders of the hot exports. wasm-bindgen copies each under a hashed
 * `snippets/` path; the package ships them beside the glue, as ES modules for the web glue and as
 * CommonJS for the Node build.
 */
const SNIPPETS = ["sendexa-error.js", "objects.js"];

/** The snippet path wasm-bindgen gave `file` (the hash is wasm-bindgen's). */
function findSnippet(targetDir, file) {
  const base = join(targetDir, "snippets");
  const [crateDir] = readdirSync(base);
  return `snippets/${crateDir}/src/bindings/${file}`;
}

/** An ES module snippet as CommonJS: its `export class|function` declarations become `module.exports`. */
function snippetAsCommonJs(source, file) {
  const names = [...source.matchAll(/^export (?:class|function) (\w+)/gm)].map((m) => m[1]);
  if (names.length === 0 || /^export (?!class |function )/m.test(source)) {
    throw new Error(`assemble-pkg: ${file} must export only classes and functions`);
  }
  return `"use strict";\n${source.replace(/^export (class|function) /gm, "$1 ")}\nmodule.exports = { ${names.join(", ")} };\n`;
}

rmSync(pkgDir, { recursive: true, force: true });
mkdirSync(join(pkgDir, "node"), { recursive: true });
mkdirSync(join(pkgDir, "web"), { recursive: true });

// The one .wasm.
cpSync(join(bindgenDir, `${NAME}_bg.wasm`), join(pkgDir, `${NAME}_bg.wasm`));

// The snippets, once per build flavour.
const nodeDir = join(bindgenDir, "nodejs");
const webDir = join(bindgenDir, "web");
for (const file of SNIPPETS) {
  const source = readFileSync(join(nodeDir, findSnippet(nodeDir, file)), "utf8");
  writeFileSync(join(pkgDir, "web", file), source);
  writeFileSync(join(pkgDir, "node", file.replace(/\.js$/, ".cjs")), snippetAsCommonJs(source, file));
}

// nodeWebhookHandler (src/bindings/node-webhook.js): plain JavaScript over handleWebhook, so every
// entry exports it bound to its own glue's handleWebhook and SendexaError.
const NODE_WEBHOOK = join(root, "src", "bindings", "node-webhook.js");
const nodeWebhookWiring = { esm: "", cjs: "" };
if (existsSync(NODE_WEBHOOK)) {
  const source = readFileSync(NODE_WEBHOOK, "utf8");
  writeFileSync(join(pkgDir, "web", "node-webhook.js"), source);
  writeFileSync(join(pkgDir, "node", "node-webhook.cjs"), snippetAsCommonJs(source, "node-webhook.js"));
  nodeWebhookWiring.esm =
    'import { createNodeWebhookHandler } from "./node-webhook.js";\n' +
    "export const nodeWebhookHandler = createNodeWebhookHandler(handleWebhook, SendexaError);\n";
  nodeWebhookWiring.cjs =
    'exports.nodeWebhookHandler = require("./node-webhook.cjs").createNodeWebhookHandler(exports.handleWebhook, SendexaError);\n';
}

// Node, CommonJS.
let nodeGlue = readFileSync(join(nodeDir, `${NAME}.js`), "utf8");
for (const file of SNIPPETS) {
  nodeGlue = redirectSnippet(nodeGlue, `./${findSnippet(nodeDir, file)}`, `./${file.replace(/\.js$/, ".cjs")}`, `${file} require`);
}
nodeGlue = replaceOnce(
  nodeGlue,
  "const wasmPath = `${__dirname}/sendexa_whatsapp_bg.wasm`;",
  "const wasmPath = require('path').join(__dirname, '..', 'sendexa_whatsapp_bg.wasm');",
  "wasm path",
);
nodeGlue = nodeGlue.replace("/* @ts-self-types=\"./sendexa_whatsapp.d.ts\" */\n", "");
nodeGlue += "exports.SendexaError = SendexaError;\n";
nodeGlue += nodeWebhookWiring.cjs;
writeFileSync(join(pkgDir, "node", `${NAME}.cjs`), nodeGlue);

// Node, ES module: named re-exports of the CommonJS build, loaded with `require` rather than
// `import`: importing a CommonJS file makes Node's ESM loader scan its source for export names
// (cjs-module-lexer), ~10 ms of a cold start for nothing, as the names are listed here.
const exportNames = [...nodeGlue.matchAll(/^exports\.(\w+) = /gm)].map((m) => m[1]);
if (!exportNames.includes("version")) throw new Error("assemble-pkg: no exports found in the Node glue");
writeFileSync(
  join(pkgDir, "node", "index.mjs"),
  `import { createRequire } from "node:module";\n\nconst cjs = createRequire(import.meta.url)("./${NAME}.cjs");\n\nexport const {\n${exportNames.map((n) => `  ${n},`).join("\n")}\n} = cjs;\n`,
);

// Web glue, synchronous: wasm-bindgen's web glue without its async loader, so that no entry
// carries a `new URL("….wasm", import.meta.url)` it does not use (bundlers would emit the 420 KB
// .wasm as an asset for it, and warn about `import.meta` in CommonJS output). Every ES module entry
// instantiates this one glue its own way; `web/sendexa_whatsapp.js` adds an explicit async loader.
let webGlue = readFileSync(join(webDir, `${NAME}.js`), "utf8");
for (const file of SNIPPETS) {
  webGlue = redirectSnippet(webGlue, `./${findSnippet(webDir, file)}`, `./${file}`, `${file} import`);
}
webGlue = cutBetween(webGlue, "async function __wbg_load(", "function initSync(", "async loader");
webGlue = cutBetween(webGlue, "let __wbg_init_promise;", "export { initSync, __wbg_init as default };", "async init");
webGlue = replaceOnce(webGlue, "export { initSync, __wbg_init as default };", "export { initSync };", "glue exports");
if (webGlue.includes("import.meta")) throw new Error("assemble-pkg: the synchronous glue still mentions import.meta");
webGlue = webGlue.replace("/* @ts-self-types=\"./sendexa_whatsapp.d.ts\" */\n", "");
webGlue += "export { SendexaError };\n";
webGlue += nodeWebhookWiring.esm;
writeFileSync(join(pkgDir, "web", "glue.js"), webGlue);

// The .wasm inline, for the entries that must not depend on a file beside them: base64 of its
// raw-deflated bytes (as small over the wire as the gzipped .wasm), and the inflater for runtimes
// without zlib. webpack gets the gzipped .wasm as an asset (under its 244 KiB size hint).
const wasmBytesForInline = readFileSync(join(bindgenDir, `${NAME}_bg.wasm`));
writeFileSync(
  join(pkgDir, "web", "wasm-inline.js"),
  "// Generated by scripts/assemble-pkg.mjs: the package's .wasm, raw-deflated, in base64.\n" +
    `export const WASM_SIZE = ${wasmBytesForInline.length};\n` +
    `export const WASM_DEFLATED_BASE64 = "${deflateRawSync(wasmBytesForInline, { level: 9 }).toString("base64")}";\n`,
);
writeFileSync(join(pkgDir, `${NAME}_bg.wasm.gz`), gzipSync(wasmBytesForInline, { level: 9 }));
cpSync(join(template, "lib", "inflate.js"), join(pkgDir, "web", "inflate.js"));

// Types: the exports' declarations come from the Rust types via wasm-bindgen; SendexaError's from
// the template. One self-contained file, written as .d.ts (ESM) and .d.cts (CommonJS).
const errorTypes = readFileSync(join(template, "sendexa-error.d.ts"), "utf8");
const nodeTypes = readFileSync(join(nodeDir, `${NAME}.d.ts`), "utf8").replace(/^\/\* (tslint|eslint)[^\n]*\n/gm, "");
const extraTypes = ["node-webhook.d.ts"]
  .filter((file) => existsSync(join(template, file)))
  .map((file) => readFileSync(join(template, file), "utf8"))
  .join("\n");
const types = `${errorTypes}\n${nodeTypes}\n${extraTypes}`;
writeFileSync(join(pkgDir, "index.d.ts"), types);
writeFileSync(join(pkgDir, "index.d.cts"), types);
const webTypes = readFileSync(join(webDir, `${NAME}.d.ts`), "utf8").replace(/^\/\* (tslint|eslint)[^\n]*\n/gm, "");
writeFileSync(join(pkgDir, "web", `${NAME}.d.ts`), `${errorTypes}\n${webTypes}\n${extraTypes}`);

// The npm README is the repository README without the sections for contributors, so the two
// never drift apart.
// "Performance and size" links into bench/, which the package does not ship.
const CONTRIBUTOR_SECTIONS = ["Two commands", "The worker example", "A local Sendexa API for development", "Performance and size", "How it is built"];
const readme = readFileSync(join(root, "README.md"), "utf8")
  .split(/^(?=## )/m)
  .filter((section) => !CONTRIBUTOR_SECTIONS.some((title) => section.startsWith(`## ${title}\n`)))
  .join("");
writeFileSync(join(pkgDir, "README.md"), readme);

// Static files: entry points and package.json.
for (const file of readdirSync(template)) {
  if (file === "lib" || file.endsWith(".d.ts")) continue;
  cpSync(join(template, file), join(pkgDir, file), { recursive: true });
}
// libphonenumber's metadata is compiled into the .wasm: its notice travels with the package, and
// so does the error-code reference the README links to.
cpSync(join(root, "data", "NOTICE"), join(pkgDir, "NOTICE"));
for (const file of ["ERRORS.md", "LICENSE-MIT", "LICENSE-APACHE"]) cpSync(join(root, file), join(pkgDir, file));
const cargoVersion = readFileSync(join(root, "Cargo.toml"), "utf8").match(/^version = "([^"]+)"/m)[1];
const pkgJson = JSON.parse(readFileSync(join(template, "package.json"), "utf8"));
pkgJson.version = cargoVersion;
writeFileSync(join(pkgDir, "package.json"), JSON.stringify(pkgJson, null, 2) + "\n");

// Sizes: what users download.
const wasmBytes = readFileSync(join(pkgDir, `${NAME}_bg.wasm`));
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(
  `wasm: ${kb(wasmBytes.length)} raw, ${kb(gzipSync(wasmBytes, { level: 9 }).length)} gzip, ` +
    `${kb(brotliCompressSync(wasmBytes).length)} brotli (${pkgDir}/${NAME}_bg.wasm)`,
);
let total = 0;
const walk = (dir) => {
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) walk(p);
    else total += statSync(p).size;
  }
};
walk(pkgDir);
console.log(`package: ${kb(total)} unpacked in ${pkgDir}/`);
