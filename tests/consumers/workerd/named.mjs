// A Worker that uses only named imports, as most users write it. Bundlers tree-shake by the
// package's `sideEffects`; the module that instantiates the .wasm must survive that.
import { version, normalizePhone, SendexaError } from "sendexa-whatsapp";

export default {
  async fetch(_request, env) {
    const results = [];
    try {
      results.push({ name: "named imports: version()", ok: version() === env.SDK_EXPECTED_VERSION });
      results.push({ name: "named imports: normalizePhone()", ok: normalizePhone("+233244000000") === "233244000000" });
      try {
        normalizePhone("nope");
        results.push({ name: "named imports: SendexaError", ok: false, error: "no throw" });
      } catch (err) {
        results.push({ name: "named imports: SendexaError", ok: err instanceof SendexaError });
      }
    } catch (err) {
      results.push({ name: "named imports", ok: false, error: String(err && err.stack || err) });
    }
    return Response.json({ results });
  },
};
