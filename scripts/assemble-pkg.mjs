// Assembles the npm package from wasm-pack's output and pkg-template/.
//
//   node scripts/assemble-pkg.mjs <bindgen-dir> <pkg-dir> [<messages-bindgen-dir>]
//
// Each <bindgen-dir> holds wasm-pack's `nodejs/` and `web/` output and the optimised
// `sendexa_whatsapp_bg.wasm`. The main build becomes the package root; the messages build (no
// client, no webhooks: a smaller .wasm) becomes `messages/`, with the same entry points, for the
// `sendexa-whatsapp/messages` export. Each flavour ships its one .wasm, shared by its entries
// (ARCHITECTURE.md, "The npm package", says which entry loads it how):
//   node/sendexa_whatsapp.cjs   the Node build (loads the .wasm synchronously with fs)
//   node/index.cjs              Node `require` (main flavour): loads a build on an export's first
//                               call, the messages build for the exports it has (writeNodeEntry)
//   node/index.mjs              Node `import`: re-exports the CommonJS entry, so ESM and CJS
//                               users in one process share one instance and one SendexaError
//   web/glue.js                 the synchronous web glue every ES module entry instantiates
//   web/wasm-inline.js          the .wasm, deflated, in base64 (browser.mjs)
//   browser.mjs, workerd.mjs, edge.mjs, webpack.mjs   from pkg-template/
//   web/sendexa_whatsapp.js     the glue with an explicit loader, for custom set-ups
// Both flavours share one SendexaError class (the messages glue imports the root's), so
// `instanceof` holds whichever entry threw.
// Every rewrite below checks that its pattern matched, so a wasm-bindgen upgrade that changes the
// glue fails the build instead of shipping a broken package.
import { readFileSync, writeFileSync, mkdirSync, rmSync, cpSync, readdirSync, statSync, existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync, brotliCompressSync, deflateRawSync } from "node:zlib";

const [bindgenDir, pkgDir, messagesBindgenDir] = process.argv.slice(2);
if (!bindgenDir || !pkgDir) {
  console.error("usage: node scripts/assemble-pkg.mjs <bindgen-dir> <pkg-dir> [<messages-bindgen-dir>]");
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

/**
 * wasm-bindgen names a snippet twice in the glue's imports object when wasm imports some of its
 * functions directly (`"./snippets/…/objects.js": import1, "./snippets/…/objects.js": import2`):
 * the same module under one key, which bundlers report as a duplicate key. Keeps the first.
 */
function dedupeImportKeys(glue) {
  const seen = new Map();
  for (const m of glue.matchAll(/^\s*("[^"]+"): (import\d+),$/gm)) {
    const [line, key, name] = m;
    if (!seen.has(key)) {
      seen.set(key, name);
      continue;
    }
    glue = glue.replace(`${line}\n`, "");
    // Its namespace import is now unused: drop it (ESM `import * as`, CommonJS `const … = require`).
    const declaration = new RegExp(`^(?:import \\* as ${name} from [^\\n]+|const ${name} = require\\([^\\n]+\\);)\\n`, "m");
    if (!declaration.test(glue)) throw new Error(`assemble-pkg: no declaration of ${name} in the glue`);
    glue = glue.replace(declaration, "");
    if (new RegExp(`\\b${name}\\b`).test(glue)) throw new Error(`assemble-pkg: ${name} is still used in the glue`);
  }
  return glue;
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
 * SendexaError, the object builders of the hot exports, the client's I/O driver and checkMediaLink's
 * (main flavour only: a flavour built without a feature has no snippet for it). wasm-bindgen copies each under a hashed
 * `snippets/` path; the package ships them beside the glue, as ES modules for the web glue and as
 * CommonJS for the Node build.
 */
const SNIPPETS = ["sendexa-error.js", "objects.js", "driver.js", "media-link.js"];

/** The snippet path wasm-bindgen gave `file` (the hash is wasm-bindgen's). */
function findSnippet(targetDir, file) {
  const base = join(targetDir, "snippets");
  const [crateDir] = readdirSync(base);
  return `snippets/${crateDir}/src/bindings/${file}`;
}

/** An ES module snippet as CommonJS: its `export class|function` declarations become `module.exports`. */
function snippetAsCommonJs(source, file) {
  const names = [...source.matchAll(/^export (?:class|function|async function) (\w+)/gm)].map((m) => m[1]);
  if (names.length === 0 || /^export (?!class |function |async function )/m.test(source)) {
    throw new Error(`assemble-pkg: ${file} must export only classes and functions`);
  }
  return `"use strict";\n${source.replace(/^export (class|function|async function) /gm, "$1 ")}\nmodule.exports = { ${names.join(", ")} };\n`;
}

/**
 * The snippet the Node glue carries inside itself rather than requiring: only the glue uses it,
 * and it is on the path of every first call, where each CommonJS file costs Node ~0.3 ms to
 * resolve, read and compile (measured on the messages build's load: 6.6 → 6.2 ms median).
 */
const NODE_INLINED = "objects.js";

/** The Node glue with its `require("./objects.cjs")`s replaced by the module, evaluated once at its top. */
function inlineInNodeGlue(glue, source) {
  if (source === undefined) throw new Error(`assemble-pkg: the build has no ${NODE_INLINED} snippet`);
  const cjs = `./${NODE_INLINED.replace(/\.js$/, ".cjs")}`;
  let found = 0;
  for (const request of [`require(String.raw\`${cjs}\`)`, `require("${cjs}")`]) {
    found += glue.split(request).length - 1;
    glue = glue.split(request).join("__inlined");
  }
  if (found === 0) throw new Error(`assemble-pkg: expected ${NODE_INLINED} required by the Node glue`);
  const module = snippetAsCommonJs(source, NODE_INLINED).replace(/^"use strict";\n/, "");
  return `"use strict";\nconst __inlined = (() => {\nconst module = { exports: {} };\n${module}return module.exports;\n})();\n${glue}`;
}

/** The template's entry points and loader, per flavour. */
const ENTRY_FILES = ["browser.mjs", "workerd.mjs", "edge.mjs", "webpack.mjs", join("web", "sendexa_whatsapp.js")];
const stripLintComments = (text) => text.replace(/^\/\* (tslint|eslint)[^\n]*\n/gm, "");
const errorTypes = readFileSync(join(template, "sendexa-error.d.ts"), "utf8");
// nodeWebhookHandler (plain JavaScript over handleWebhook), for the flavours with webhooks.
const nodeWebhookSource = readFileSync(join(root, "src", "bindings", "node-webhook.js"), "utf8");

/**
 * Writes one flavour of the package into `outDir` from wasm-pack's output in `fromDir`.
 * `errorFrom` is the path from `outDir` to the directory whose `web/sendexa-error.js` and
 * `node/sendexa-error.cjs` this flavour uses (its own when "."), so every flavour throws one class.
 */
function assembleFlavour(fromDir, outDir, errorFrom) {
  const nodeDir = join(fromDir, "nodejs");
  const webDir = join(fromDir, "web");
  mkdirSync(join(outDir, "node"), { recursive: true });
  mkdirSync(join(outDir, "web"), { recursive: true });
  const wasm = readFileSync(join(fromDir, `${NAME}_bg.wasm`));
  writeFileSync(join(outDir, `${NAME}_bg.wasm`), wasm);

  const snippets = SNIPPETS.filter((file) => existsSync(join(nodeDir, findSnippet(nodeDir, file))));
  // Where each snippet lives, per build flavour: SendexaError's may be another flavour's.
  const snippetPath = (file, ext) => {
    const own = `./${file.replace(/\.js$/, ext)}`;
    if (file !== "sendexa-error.js" || errorFrom === ".") return own;
    // From the glue, which sits in outDir/node/ or outDir/web/.
    return `../${errorFrom}/${ext === ".cjs" ? "node" : "web"}/${file.replace(/\.js$/, ext)}`;
  };
  let inlinedSource;
  for (const file of snippets) {
    if (file === "sendexa-error.js" && errorFrom !== ".") continue;
    const source = readFileSync(join(nodeDir, findSnippet(nodeDir, file)), "utf8");
    writeFileSync(join(outDir, "web", file), source);
    if (file === NODE_INLINED) {
      inlinedSource = source;
      continue;
    }
    writeFileSync(join(outDir, "node", file.replace(/\.js$/, ".cjs")), snippetAsCommonJs(source, file));
  }

  // Node, CommonJS.
  let nodeGlue = readFileSync(join(nodeDir, `${NAME}.js`), "utf8");
  for (const file of snippets) {
    nodeGlue = redirectSnippet(nodeGlue, `./${findSnippet(nodeDir, file)}`, snippetPath(file, ".cjs"), `${file} require`);
  }
  nodeGlue = replaceOnce(
    nodeGlue,
    "const wasmPath = `${__dirname}/sendexa_whatsapp_bg.wasm`;",
    "const wasmPath = require('path').join(__dirname, '..', 'sendexa_whatsapp_bg.wasm');",
    "wasm path",
  );
  nodeGlue = nodeGlue.replace('/* @ts-self-types="./sendexa_whatsapp.d.ts" */\n', "");
  nodeGlue = dedupeImportKeys(nodeGlue);
  nodeGlue = inlineInNodeGlue(nodeGlue, inlinedSource);
  nodeGlue += "exports.SendexaError = SendexaError;\n";

  // Web glue, synchronous: wasm-bindgen's web glue without its async loader, so that no entry
  // carries a `new URL("….wasm", import.meta.url)` it does not use (bundlers would emit the .wasm
  // as an asset for it, and warn about `import.meta` in CommonJS output). Every ES module entry
  // instantiates this one glue its own way; `web/sendexa_whatsapp.js` adds an explicit async loader.
  let webGlue = readFileSync(join(webDir, `${NAME}.js`), "utf8");
  for (const file of snippets) {
    webGlue = redirectSnippet(webGlue, `./${findSnippet(webDir, file)}`, snippetPath(file, ".js"), `${file} import`);
  }
  webGlue = cutBetween(webGlue, "async function __wbg_load(", "function initSync(", "async loader");
  webGlue = cutBetween(webGlue, "let __wbg_init_promise;", "export { initSync, __wbg_init as default };", "async init");
  webGlue = replaceOnce(webGlue, "export { initSync, __wbg_init as default };", "export { initSync };", "glue exports");
  // A compiled module from another JS context (Next.js's edge sandbox compiles `.wasm?module`
  // imports outside the context that runs the route) fails `instanceof`: ask its brand instead.
  webGlue = replaceOnce(
    webGlue,
    "if (!(module instanceof WebAssembly.Module)) {",
    'if (Object.prototype.toString.call(module) !== "[object WebAssembly.Module]") {',
    "initSync's Module check",
  );
  if (webGlue.includes("import.meta")) throw new Error("assemble-pkg: the synchronous glue still mentions import.meta");
  webGlue = webGlue.replace('/* @ts-self-types="./sendexa_whatsapp.d.ts" */\n', "");
  webGlue = dedupeImportKeys(webGlue);
  webGlue += "export { SendexaError };\n";

  // nodeWebhookHandler (src/bindings/node-webhook.js): plain JavaScript over handleWebhook, so a
  // flavour with webhooks exports it bound to its own glue's handleWebhook and SendexaError.
  const extraTypes = [];
  if (/^exports\.handleWebhook = /m.test(nodeGlue)) {
    writeFileSync(join(outDir, "web", "node-webhook.js"), nodeWebhookSource);
    writeFileSync(join(outDir, "node", "node-webhook.cjs"), snippetAsCommonJs(nodeWebhookSource, "node-webhook.js"));
    webGlue +=
      'import { createNodeWebhookHandler } from "./node-webhook.js";\n' +
      "export const nodeWebhookHandler = createNodeWebhookHandler(handleWebhook, SendexaError);\n";
    nodeGlue +=
      'exports.nodeWebhookHandler = require("./node-webhook.cjs").createNodeWebhookHandler(exports.handleWebhook, SendexaError);\n';
    extraTypes.push(readFileSync(join(template, "node-webhook.d.ts"), "utf8"));
  }
  writeFileSync(join(outDir, "node", `${NAME}.cjs`), nodeGlue);
  writeFileSync(join(outDir, "web", "glue.js"), webGlue);

  // The Node glue's export names, for node/index.mjs and node/index.cjs (writeNodeEntry).
  const exportNames = [...nodeGlue.matchAll(/^exports\.(\w+) = /gm)].map((m) => m[1]);
  if (!exportNames.includes("version")) throw new Error("assemble-pkg: no exports found in the Node glue");

  // The .wasm inline, for the entries that must not depend on a file beside them: base64 of its
  // raw-deflated bytes (as small over the wire as the gzipped .wasm), and the inflater for
  // runtimes without zlib. webpack gets the gzipped .wasm as an asset (under its 244 KiB size hint).
  writeFileSync(
    join(outDir, "web", "wasm-inline.js"),
    "// Generated by scripts/assemble-pkg.mjs: the package's .wasm, raw-deflated, in base64.\n" +
      `export const WASM_SIZE = ${wasm.length};\n` +
      `export const WASM_DEFLATED_BASE64 = "${deflateRawSync(wasm, { level: 9 }).toString("base64")}";\n`,
  );
  writeFileSync(join(outDir, `${NAME}_bg.wasm.gz`), gzipSync(wasm, { level: 9 }));
  writeFileSync(join(outDir, "web", "inflate.js"), inflateModule);
  for (const file of ENTRY_FILES) cpSync(join(template, file), join(outDir, file));

  // Types: the exports' declarations come from the Rust types via wasm-bindgen; SendexaError's
  // and nodeWebhookHandler's from the template. One self-contained file, as .d.ts and .d.cts.
  const types = [errorTypes, stripLintComments(readFileSync(join(nodeDir, `${NAME}.d.ts`), "utf8")), ...extraTypes].join("\n");
  writeFileSync(join(outDir, "index.d.ts"), types);
  writeFileSync(join(outDir, "index.d.cts"), types);
  const webTypes = stripLintComments(readFileSync(join(webDir, `${NAME}.d.ts`), "utf8"));
  writeFileSync(join(outDir, "web", `${NAME}.d.ts`), [errorTypes, webTypes, ...extraTypes].join("\n"));
  return { outDir, nodeGlue, exportNames };
}

/**
 * `node/index.mjs`: the named exports of the CommonJS file `cjs` beside it, loaded with `require`
 * rather than `import`: importing a CommonJS file makes Node's ESM loader scan its source for
 * export names (cjs-module-lexer), ~10 ms of a cold start for nothing, as the names are listed here.
 */
function writeNodeModule(outDir, cjs, exportNames) {
  writeFileSync(
    join(outDir, "node", "index.mjs"),
    `import { createRequire } from "node:module";\n\nconst cjs = createRequire(import.meta.url)("./${cjs}");\n\nexport const {\n${exportNames.map((n) => `  ${n},`).join("\n")}\n} = cjs;\n`,
  );
}

/**
 * What the Node entry adds to the full build when it loads: webhook digests by node:crypto (native,
 * several times faster than SHA-256 in wasm, loaded on the first digest), through driver.js's
 * `useHostHmac`. Only the digest moves: the signature header's forms and the constant-time
 * comparison stay in Rust, and every other runtime computes the digest in wasm.
 */
const NODE_HMAC = [
  "let createHmac;",
  'const useNodeHmac = () => require("./driver.cjs").useHostHmac((secret, body) => (createHmac ??= require("node:crypto").createHmac)("sha256", secret).update(body).digest());',
].join("\n");

/**
 * Node's entry, `node/index.cjs` (`require`, and `import` through index.mjs): it compiles no .wasm
 * until an export is first called. The exports the messages build has (builders, phone numbers,
 * media checks) run on it (messages/, about half the bytes) unless the full build is already
 * loaded; the others (the client, webhooks) load the full build. A process that only validates
 * never compiles the client; one that sends compiles only the full build, as before. Nothing
 * observable differs: both builds run the same Rust, builders return plain objects, and both throw
 * the one SendexaError class. Each wrapper is generated with the glue function's own parameters
 * (no rest arguments: the phone checks are called millions of times a second). Without a messages
 * build, index.cjs is the full build.
 */
function writeNodeEntry(main, messages) {
  const reexport = `"use strict";\nmodule.exports = require("./${NAME}.cjs");\n`;
  const file = join(main.outDir, "node", "index.cjs");
  writeNodeModule(main.outDir, "index.cjs", main.exportNames);
  if (!messages) return writeFileSync(file, `${reexport}${NODE_HMAC}\nuseNodeHmac();\n`);
  // The messages entry has one build: its index.cjs is that build (`exports` maps `require` there),
  // and its index.mjs requires the build itself.
  writeFileSync(join(messages.outDir, "node", "index.cjs"), reexport);
  writeNodeModule(messages.outDir, `${NAME}.cjs`, messages.exportNames);
  const light = new Set(messages.exportNames);
  const lines = [
    '"use strict";',
    "// Generated by scripts/assemble-pkg.mjs (writeNodeEntry): each export loads its build on first use.",
    'const { SendexaError } = require("./sendexa-error.cjs");',
    "let full, light;",
    NODE_HMAC,
    `const loadFull = () => full ?? ((full = require("./${NAME}.cjs")), useNodeHmac(), full);`,
    `const loadLight = () => full ?? (light ??= require("../messages/node/${NAME}.cjs"));`,
    // A class: constructing it constructs the full build's (a subclass keeps its own prototype,
    // chained to the real one on first construction); `instanceof` holds for both builds' objects.
    "function lazyClass(name) {",
    "  const Lazy = { [name]: class {",
    "    constructor(...args) {",
    "      const Real = loadFull()[name];",
    "      if (Object.getPrototypeOf(Lazy.prototype) !== Real.prototype) Object.setPrototypeOf(Lazy.prototype, Real.prototype);",
    "      return Reflect.construct(Real, args, new.target === Lazy ? Real : new.target);",
    "    }",
    "    static [Symbol.hasInstance](value) {",
    "      return Function.prototype[Symbol.hasInstance].call(this, value) || (this === Lazy && full !== undefined && value instanceof full[name]);",
    "    }",
    "  } }[name];",
    "  return Lazy;",
    "}",
    "exports.SendexaError = SendexaError;",
  ];
  for (const name of main.exportNames) {
    if (name === "SendexaError") continue;
    const load = light.has(name) ? "loadLight" : "loadFull";
    if (new RegExp(`^class ${name} \\{`, "m").test(main.nodeGlue)) {
      if (light.has(name)) throw new Error(`assemble-pkg: ${name} is a class in the messages build; writeNodeEntry wraps only functions there`);
      lines.push(`exports.${name} = lazyClass("${name}");`);
      continue;
    }
    // The glue's function, or (nodeWebhookHandler, added to the glue by assembleFlavour) the one
    // node-webhook.js returns.
    const params = [main.nodeGlue, nodeWebhookSource]
      .map((source) => source.match(new RegExp(`\\bfunction ${name}\\(([\\w, ]*)\\) \\{`))?.[1])
      .find((found) => found !== undefined);
    if (params === undefined) throw new Error(`assemble-pkg: no function ${name} in the Node glue for node/index.cjs to wrap`);
    lines.push(`function ${name}(${params}) { return ${load}().${name}(${params}); }`, `exports.${name} = ${name};`);
  }
  writeFileSync(file, `${lines.join("\n")}\n`);
}

// The browser entry's decoder: pkg-template/lib/inflate.js with crates/inflate's module inline.
const inflateModule = replaceOnce(
  readFileSync(join(template, "lib", "inflate.js"), "utf8"),
  "__INFLATER_BASE64__",
  readFileSync(join(bindgenDir, "inflate.wasm")).toString("base64"),
  "inflater placeholder",
);

/** A copy of an `exports` entry with every path moved under `dir` ("./x" → "./dir/x"). */
function exportsUnder(entry, dir) {
  if (typeof entry === "string") return entry.replace(/^\.\//, `./${dir}/`);
  return Object.fromEntries(Object.entries(entry).map(([condition, value]) => [condition, exportsUnder(value, dir)]));
}

rmSync(pkgDir, { recursive: true, force: true });
const mainFlavour = assembleFlavour(bindgenDir, pkgDir, ".");
const messagesFlavour = messagesBindgenDir ? assembleFlavour(messagesBindgenDir, join(pkgDir, "messages"), "..") : null;
writeNodeEntry(mainFlavour, messagesFlavour);

// The npm README is the repository README without the sections for contributors, so the two
// never drift apart.
// "Performance and size" links into bench/, which the package does not ship.
const CONTRIBUTOR_SECTIONS = ["Two commands", "The worker example", "A local Sendexa API for development", "Performance and size", "How it is built"];
const readme = readFileSync(join(root, "README.md"), "utf8")
  .split(/^(?=## )/m)
  .filter((section) => !CONTRIBUTOR_SECTIONS.some((title) => section.startsWith(`## ${title}\n`)))
  .join("");
writeFileSync(join(pkgDir, "README.md"), readme);

// libphonenumber's metadata is compiled into the .wasm: its notice travels with the package, and
// so does the error-code reference the README links to.
cpSync(join(root, "data", "NOTICE"), join(pkgDir, "NOTICE"));
for (const file of ["ERRORS.md", "LICENSE-MIT", "LICENSE-APACHE"]) cpSync(join(root, file), join(pkgDir, file));
const cargoVersion = readFileSync(join(root, "Cargo.toml"), "utf8").match(/^version = "([^"]+)"/m)[1];
const pkgJson = JSON.parse(readFileSync(join(template, "package.json"), "utf8"));
pkgJson.version = cargoVersion;
if (messagesBindgenDir) {
  // `sendexa-whatsapp/messages`: the same conditions as ".", each pointing into messages/.
  const { ".": main, ...rest } = pkgJson.exports;
  pkgJson.exports = { ".": main, "./messages": exportsUnder(main, "messages"), ...rest };
  pkgJson.files.push("messages/");
  pkgJson.sideEffects.push(...pkgJson.sideEffects.map((entry) => exportsUnder(entry, "messages")));
}
writeFileSync(join(pkgDir, "package.json"), JSON.stringify(pkgJson, null, 2) + "\n");

// Every shipped JavaScript file without comments and whitespace (names kept, so stack traces read
// the same): the glue and the drivers are loaded on every import, and their comments were half of
// their gzipped bytes (Node's import: 26.7 KB of JavaScript, 14.1 KB minified). The sources, with
// their comments, stay in src/bindings/ and pkg-template/.
const { transformSync } = await import(join(root, "scripts", "node-tools", "node_modules", "esbuild", "lib", "main.js"));
const minifyAll = (dir) => {
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) minifyAll(p);
    else if (/\.(c|m)?js$/.test(f)) {
      const { code } = transformSync(readFileSync(p, "utf8"), { minifyWhitespace: true, minifySyntax: true, legalComments: "none", logLevel: "error" });
      writeFileSync(p, code);
    }
  }
};
minifyAll(pkgDir);

// Sizes: what users download.
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
for (const dir of messagesBindgenDir ? [pkgDir, join(pkgDir, "messages")] : [pkgDir]) {
  const wasmBytes = readFileSync(join(dir, `${NAME}_bg.wasm`));
  console.log(
    `wasm: ${kb(wasmBytes.length)} raw, ${kb(gzipSync(wasmBytes, { level: 9 }).length)} gzip, ` +
      `${kb(brotliCompressSync(wasmBytes).length)} brotli (${dir}/${NAME}_bg.wasm)`,
  );
}
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
