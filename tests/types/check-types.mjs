// Type checks of the built package (run after `make build`):
//  1. every runtime export is declared in index.d.ts and index.d.cts, and every declared value exists
//     at runtime — the declarations cannot drift from the wasm exports;
//  2. the declarations contain no `any`;
//  3. usage.mts and usage.cts (every export, used as documented) compile with `tsc --strict`
//     against the package resolved as TypeScript resolves it for ESM and CommonJS users;
//  4. the declarations tell the truth: every value the exports really return (observe.mjs calls
//     each of them, the client against the local sandbox) is written as a literal and assigned to
//     its declared type, `null`s, missing fields and extra fields included, under `tsc --strict`;
//  5. `SendexaError["code"]` lists exactly the codes of ERRORS.md (plus `string & {}`).
// Prints `types: N passed, N failed`.
import { createRequire } from "node:module";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { execFileSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { observe } from "./observe.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const pkg = join(root, "pkg");
const require = createRequire(import.meta.url);
const ts = require(join(root, "scripts/node-tools/node_modules/typescript"));

let passed = 0;
let failed = 0;
function check(name, fn) {
  try {
    fn();
    passed++;
    console.log(`ok   ${name}`);
  } catch (err) {
    failed++;
    console.log(`FAIL ${name}\n${err.message}`);
  }
}

/** The names a declaration file exports, read with the TypeScript compiler. */
function declaredNames(file) {
  const program = ts.createProgram([file], { strict: true, noEmit: true });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  const symbol = checker.getSymbolAtLocation(source);
  const values = new Set();
  const all = new Set();
  for (const s of checker.getExportsOfModule(symbol)) {
    all.add(s.name);
    const resolved = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
    if (resolved.flags & ts.SymbolFlags.Value) values.add(s.name);
  }
  return { values, all };
}

// What `require("sendexa-whatsapp")` gives (node/index.cjs, which loads a build on first use):
// the full build's exports, every one.
const runtime = new Set(Object.keys(require(join(pkg, "node/index.cjs"))));
check("node/index.cjs exports exactly the full build's names", () => {
  const full = Object.keys(require(join(pkg, "node/sendexa_whatsapp.cjs")));
  const missing = full.filter((n) => !runtime.has(n));
  if (missing.length || full.length !== runtime.size) throw new Error(`index.cjs lacks ${missing.join(", ") || "-"}; ${runtime.size} vs ${full.length} names`);
});

for (const file of ["index.d.ts", "index.d.cts"]) {
  check(`${file} declares exactly the runtime exports`, () => {
    const { values } = declaredNames(join(pkg, file));
    const missing = [...runtime].filter((n) => !values.has(n));
    const extra = [...values].filter((n) => !runtime.has(n));
    if (missing.length || extra.length) {
      throw new Error(`not declared: ${missing.join(", ") || "-"}; declared but not exported: ${extra.join(", ") || "-"}`);
    }
  });
  check(`${file} has no \`any\``, () => {
    const text = readFileSync(join(pkg, file), "utf8");
    const lines = text.split("\n").filter((l) => /\bany\b/.test(l) && !/^\s*(\/\*|\*|\/\/)/.test(l));
    if (lines.length) throw new Error(lines.join("\n"));
  });
}

// A consumer project: the package under node_modules, compiled as users compile against it.
// A directory of its own, so two runs at once (or the lead's and a helper's) never share one.
const work = mkdtempSync(join(tmpdir(), "sendexa-types-"));
mkdirSync(join(work, "node_modules"), { recursive: true });
symlinkSync(pkg, join(work, "node_modules", "sendexa-whatsapp"), "dir");
cpSync(join(here, "usage.mts"), join(work, "usage.mts"));
cpSync(join(here, "usage.cts"), join(work, "usage.cts"));
writeFileSync(join(work, "package.json"), JSON.stringify({ name: "types-consumer", private: true, type: "module" }));
for (const moduleResolution of ["nodenext", "bundler"]) {
  check(`usage compiles with tsc --strict (moduleResolution ${moduleResolution})`, () => {
    const files = moduleResolution === "nodenext" ? ["usage.mts", "usage.cts"] : ["usage.mts"];
    const module = moduleResolution === "nodenext" ? "nodenext" : "esnext";
    try {
      execFileSync(
        join(root, "scripts/node-tools/node_modules/.bin/tsc"),
        ["--strict", "--noEmit", "--skipLibCheck", "false", "--target", "es2022", "--module", module,
          "--moduleResolution", moduleResolution, "--lib", "es2022,dom", ...files],
        { cwd: work, stdio: "pipe" },
      );
    } catch (err) {
      throw new Error(String(err.stdout) + String(err.stderr));
    }
  });
}

// 4. Observed values against their declared types.
const observations = await observe();
const { source, labels } = observedProgram(observations);
writeFileSync(join(work, "observed.mts"), source);
check(`${observations.length} observed values are assignable to their declared types`, () => {
  try {
    execFileSync(
      join(root, "scripts/node-tools/node_modules/.bin/tsc"),
      ["--strict", "--noEmit", "--skipLibCheck", "false", "--target", "es2022", "--module", "nodenext",
        "--moduleResolution", "nodenext", "--lib", "es2022,dom", "observed.mts"],
      { cwd: work, stdio: "pipe" },
    );
  } catch (err) {
    // tsc names the line; each line is one observation: say which call returned what.
    const report = String(err.stdout).replace(/^observed\.mts\((\d+),\d+\): /gm, (_, line) => `\n[${labels[Number(line) - 1] ?? `line ${line}`}] `);
    throw new Error(report + String(err.stderr));
  }
});

// Every export is observed, but those whose values are not data: handleWebhook's Response and
// nodeWebhookHandler's function (tests/node-webhook checks their answers), the error class, the
// iterator class (its items are observed as Templates) and the hidden test hook.
const NOT_DATA = new Set(["handleWebhook", "nodeWebhookHandler", "SendexaError", "TemplateIterator", "__internalErrorProbe"]);
const lightRuntime = new Set(Object.keys(require(join(pkg, "messages/node/sendexa_whatsapp.cjs"))));
for (const [ns, names] of [["sdk", runtime], ["msg", lightRuntime]]) {
  check(`observe.mjs observes every export (${ns === "sdk" ? "sendexa-whatsapp" : "sendexa-whatsapp/messages"})`, () => {
    const pattern = new RegExp(`\\b${ns}\\.(\\w+)`, "g");
    const observed = new Set(observations.flatMap(({ type }) => [...type.matchAll(pattern)].map((m) => m[1])));
    const missing = [...names].filter((name) => !observed.has(name) && !NOT_DATA.has(name));
    if (missing.length) throw new Error(`no observed value for: ${missing.join(", ")} (add calls to tests/types/observe.mjs)`);
  });
}

// 5. The code union against ERRORS.md.
check("SendexaError[\"code\"] is exactly the codes of ERRORS.md, plus string & {}", () => {
  // The code column of each table: "| `CODE` | when |", and "| 404 | `NOT_FOUND` |" for the
  // codes derived from an HTTP status.
  const documented = new Set();
  for (const line of readFileSync(join(root, "ERRORS.md"), "utf8").split("\n")) {
    const cells = line.split("|").slice(1, -1).map((c) => c.trim());
    const code = /^(?:\d{3}|\dxx|other)$/.test(cells[0] ?? "") ? cells[1] : cells[0];
    const m = /^`([A-Z][A-Z0-9_]*)`/.exec(code ?? "");
    if (m) documented.add(m[1]);
  }
  const program = ts.createProgram([join(pkg, "index.d.ts")], { strict: true, noEmit: true });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(join(pkg, "index.d.ts"));
  const errorClass = checker.getExportsOfModule(checker.getSymbolAtLocation(source)).find((s) => s.name === "SendexaError");
  const instance = checker.getDeclaredTypeOfSymbol(errorClass);
  const code = checker.getTypeOfSymbol(checker.getPropertyOfType(instance, "code"));
  const members = code.isUnion() ? code.types : [code];
  const declared = new Set(members.filter((t) => t.isStringLiteral()).map((t) => t.value));
  const others = members.filter((t) => !t.isStringLiteral()).map((t) => checker.typeToString(t));
  const missing = [...documented].filter((c) => !declared.has(c));
  const extra = [...declared].filter((c) => !documented.has(c));
  if (missing.length || extra.length || others.join() !== "string & {}") {
    throw new Error(`in ERRORS.md, not in the union: ${missing.join(", ") || "-"}; in the union, not in ERRORS.md: ${extra.join(", ") || "-"}; other members: ${others.join(" | ") || "-"} (want string & {})`);
  }
  if (documented.size < 20) throw new Error(`only ${documented.size} codes read from ERRORS.md`);
});

rmSync(work, { recursive: true, force: true });

/**
 * A TypeScript module that assigns each observed value, as a literal, to its declared type; one
 * line per observation. `labels[i]` names the observation on line i + 1.
 */
function observedProgram(observations) {
  const lines = [
    'import * as sdk from "sendexa-whatsapp";',
    'import * as msg from "sendexa-whatsapp/messages";',
    "/** A thrown SendexaError: every field it has, against the class's declared fields. */",
    'declare function thrown<E>(fields: Omit<E, "toJSON">): E;',
  ];
  const labels = lines.map(() => "");
  observations.forEach(({ label, type, value, ns }, i) => {
    lines.push(`export const o${i}: ${type} = ${literal(value, label, ns)};`);
    labels.push(label);
  });
  return { source: lines.join("\n") + "\n", labels };
}

/**
 * A value as a TypeScript expression with the same shape: keys whose value is undefined stay; a
 * SendexaError is checked against `${ns}.SendexaError`'s fields.
 */
function literal(value, label, ns) {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "boolean":
      return String(value);
    case "bigint":
      return `${value}n`;
    case "number":
      return Object.is(value, -0) ? "-0" : String(value);
  }
  if (value instanceof Error && value.name === "SendexaError") {
    const fields = { name: value.name, message: value.message, ...value };
    return `thrown<${ns}.SendexaError>(${literal(fields, label, ns)})`;
  }
  if (value instanceof Uint8Array) return `new Uint8Array([${[...value].join(", ")}])`;
  if (Array.isArray(value)) return `[${value.map((v) => literal(v, label, ns)).join(", ")}]`;
  const proto = Object.getPrototypeOf(value);
  if (typeof value === "object" && (proto === Object.prototype || proto === null)) {
    return `{ ${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${literal(v, label, ns)}`).join(", ")} }`;
  }
  throw new Error(`${label}: cannot write ${Object.prototype.toString.call(value)} as a literal`);
}

console.log(`types: ${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
