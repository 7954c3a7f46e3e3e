// Starts the sandbox (server.mjs) as a child process, so a load generator or a memory measurement
// does not share its event loop or heap. Used by the reliability suites, `make soak` and the benches.
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const server = join(dirname(fileURLToPath(import.meta.url)), "server.mjs");

/**
 * Resolves with `{ url, stop }` once the sandbox prints its URL; `args` are server.mjs's options
 * (`--no-limits`, `--faults …`), `stop()` resolves when the child has exited.
 * @param {{ token: string, args?: string[] }} options
 */
export async function startSandboxChild({ token, args = [] }) {
  const child = spawn(process.execPath, ["--max-old-space-size=2048", server, "--port", "0", "--token", token, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise((resolveUrl, reject) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const m = /SANDBOX_URL=(\S+)/.exec(out);
      if (m) resolveUrl(m[1]);
    });
    child.once("exit", (code) => reject(new Error(`the sandbox exited with ${code} before it was ready`)));
  });
  child.stdout.resume();
  const exited = new Promise((r) => child.once("exit", r));
  return {
    url,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
