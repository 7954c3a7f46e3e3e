// Test harness (not user code): runs preview() on a good and a bad number and reports the answers
// through window.__report (defined by the inline script in index.html).
import { preview } from "./preview.js";

window.__report([{ name: "answers", ok: true, good: preview("+233 24 400 0000"), bad: preview("call me") }]);
