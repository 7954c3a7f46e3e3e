#!/usr/bin/env node
// The gzipped bytes the phone module adds to the .wasm.
//
// Method: copy the crate into target/bench/no-phone/ with `sendexa_phone::{parse, check}` replaced by stubs
// that reject every input (so LTO drops the parser, the DFA reader and the metadata tables, which
// only it reaches) and without the four phone exports (`mod phone;` removed from src/bindings/mod.rs);
// build that copy with the very same scripts/build.sh (release, wasm-opt -Oz), and diff its
// gzipped .wasm against pkg/'s. Everything else (messages, webhooks, the client) is identical in
// both builds, so the difference is the phone module: tables, code and exports. The copy has its own
// cargo target directory, so only its first build compiles the dependencies.
//
// Needs `make build` first (pkg/ must be built from the same sources). Prints deterministic figures.
import { spawnSync } from "node:child_process";
import { cpSync, symlinkSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { bundle, PEERS } from "./lib/bundle.mjs";
import { emit, nodeTools, pkgDir, root, sizes } from "./lib/common.mjs";

const scratch = join(root, "target/bench/no-phone");
const WASM = "sendexa_whatsapp_bg.wasm";

/** Replaces exactly one occurrence of `from` in a file of the copy, or fails loudly. */
function patch(file, from, to) {
  const path = join(scratch, file);
  const text = readFileSync(path, "utf8");
  if (text.split(from).length !== 2) throw new Error(`phone-size: expected one "${from}" in ${file}`);
  writeFileSync(path, text.replace(from, to));
}

function copyCrate() {
  // A fresh copy of the sources each run; the copy's target/ is kept for incremental builds.
  mkdirSync(scratch, { recursive: true });
  for (const entry of ["src", "crates", "scripts", "pkg-template", "data", "Cargo.toml", "Cargo.lock", "README.md", "ERRORS.md", "LICENSE-MIT", "LICENSE-APACHE"]) {
    rmSync(join(scratch, entry), { recursive: true, force: true });
    cpSync(join(root, entry), join(scratch, entry), {
      recursive: true,
      filter: (src) => !src.includes("node_modules") && !src.endsWith(".xml"),
    });
  }
  // The copy is a workspace of its own (the phonegen member is not copied).
  patch("Cargo.toml", 'members = ["crates/phone", "crates/inflate", "tools/phonegen"]', 'members = ["crates/phone", "crates/inflate"]');
  // Both ways into the parser (with an error message, and the allocation-free check) rejecting
  // everything: LTO then drops the parser and the tables.
  patch("crates/phone/src/lib.rs", "parse::parse(input, default_region)", "{\n        let _ = (input, default_region);\n        Err(PhoneError::new(PhoneErrorReason::NotANumber, String::new()))\n    }");
  patch("crates/phone/src/lib.rs", "parse::check(input, default_region).map_err(|f| f.reason)", "{\n        let _ = (input, default_region);\n        Err(PhoneErrorReason::NotANumber)\n    }");
  patch("src/bindings/mod.rs", "mod phone;\n", "");
  // The copy's build uses the repository's JavaScript tools (scripts/assemble-pkg.mjs minifies with esbuild).
  rmSync(join(scratch, "scripts", "node-tools", "node_modules"), { recursive: true, force: true });
  symlinkSync(nodeTools, join(scratch, "scripts", "node-tools", "node_modules"));
}

function buildCopy() {
  const env = { ...process.env, PATH: `${join(nodeTools, ".bin")}:${process.env.HOME}/.cargo/bin:${process.env.PATH}`, CARGO_TERM_COLOR: "never" };
  const r = spawnSync("bash", ["scripts/build.sh"], { cwd: scratch, env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`phone-size: building the copy failed:\n${r.stdout}\n${r.stderr}`);
}

async function main() {
  const full = join(pkgDir, WASM);
  if (!existsSync(full)) throw new Error("phone-size: pkg/ is not built (run `make build`)");
  copyCrate();
  buildCopy();
  const withPhone = sizes(readFileSync(full));
  const withoutPhone = sizes(readFileSync(join(scratch, "target/bindgen", WASM)));
  const tables = sizes(readFileSync(join(root, "crates/phone/src/metadata.bin")));
  const peer = sizes(await bundle(PEERS.phone.source));
  const note = `.wasm ${withPhone.gzip} B gzip with the phone module, ${withoutPhone.gzip} B without (${relative(root, scratch)}); metadata.bin alone ${tables.raw} B raw, ${tables.gzip} B gzip`;
  emit({
    name: "phone module, gzip",
    value: withPhone.gzip - withoutPhone.gzip,
    unit: "B",
    peer: { name: `${PEERS.phone.name} bundle`, value: peer.gzip },
    target: "value<=30000",
    better: "lower",
    deterministic: true,
    note,
  });
  emit({
    name: "phone module, raw",
    value: withPhone.raw - withoutPhone.raw,
    unit: "B",
    peer: { name: `${PEERS.phone.name} bundle`, value: peer.raw },
    better: "lower",
    deterministic: true,
  });
}

main().catch((err) => {
  process.stderr.write(`${err.stack || err}\n`);
  process.exit(1);
});
