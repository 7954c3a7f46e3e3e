// Type checks of the built package (run after `make build`):
//  1. every runtime export is declared in index.d.ts and index.d.cts, and every declared value exists
//     at runtime — the declarations cannot drift from the wasm exports;
//  2. the declarations contain no `any`;
//  3. usage.mts and usage.cts (every export, used as documented) compile with `tsc --strict`
//     against the package resolved as TypeScript resolves it for ESM and CommonJS users.
// Prints `types: N passed, N failed`.
import { createRequire } from "node:module";
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

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

const runtime = new Set(Object.keys(require(join(pkg, "node/sendexa_whatsapp.cjs"))));

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
const work = join(here, ".work");
rmSync(work, { recursive: true, force: true });
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
rmSync(work, { recursive: true, force: true });

console.log(`types: ${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
