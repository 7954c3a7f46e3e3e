// GET and HEAD /media/…: media files for checking links against (checkMediaLink, `send`'s
// preflightMedia, `make demo`), with the ways real media hosts answer. No auth, no faults, no
// envelope: a plain file server. See README.md, "Media files".
//
//   /media/<file>              the file: Content-Type, Content-Length, Accept-Ranges; a Range
//                              request (`bytes=a-b`, one range) answers 206 with Content-Range
//   /media/no-head/<file>      HEAD is refused: 405 with `Allow: GET` (a GET works as above)
//   /media/no-length/<file>    no Content-Length (chunked), and Range is ignored (200, whole file)
//   /media/redirect/<file>     302 to /media/<file> (on the sandbox's own, loopback, host)
//   /media/slow/<file>         answers after 10 s (real time): for timeouts and aborts
//   /media/drop/<file>         the connection is closed without an answer
//   anything else              404, text/plain

// Each file: its Content-Type and size; the bytes are the format's signature padded with zeros.
export const MEDIA_FILES = {
  "photo.jpg": { type: "image/jpeg", size: 48_213 },
  "photo.png": { type: "image/png", size: 20_480 },
  "clip.mp4": { type: "video/mp4", size: 1_048_576 },
  "voice.ogg": { type: "audio/ogg; codecs=opus", size: 9_600 },
  "receipt.pdf": { type: "application/pdf", size: 31_337 },
  "sticker.webp": { type: "image/webp", size: 40_000 },
  // An image link that serves a web page (a CDN's error page behind a .jpg name).
  "page.jpg": { type: "text/html; charset=utf-8", size: 1_024 },
  // An image over WhatsApp's 5 MB limit.
  "huge.jpg": { type: "image/jpeg", size: 6_000_000 },
  // A file that is empty.
  "empty.pdf": { type: "application/pdf", size: 0 },
  // No Content-Type at all.
  "untyped.jpg": { type: null, size: 2_048 },
};

const SIGNATURES = {
  "image/jpeg": [0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00],
  "image/png": [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  "video/mp4": [0, 0, 0, 0x18, ...Buffer.from("ftypmp42")],
  "application/pdf": [...Buffer.from("%PDF-1.7\n")],
  "image/webp": [...Buffer.from("RIFF"), 0, 0, 0, 0, ...Buffer.from("WEBPVP8 ")],
  "audio/ogg": [...Buffer.from("OggS")],
  "text/html": [...Buffer.from("<!doctype html><title>Not here</title>")],
};

const SLOW_MS = 10_000;
// Browsers may read only the safelisted response headers of a cross-origin answer, unless exposed.
const EXPOSE = "Content-Range, Accept-Ranges, Content-Length";

/** The bytes `from`…`to` (inclusive) of a file. */
function bytesOf(file, from, to) {
  const out = Buffer.alloc(to - from + 1);
  const signature = SIGNATURES[(file.type ?? "").split(";")[0]] ?? [];
  for (let i = from; i <= to && i < signature.length; i++) out[i - from] = signature[i];
  return out;
}

/** One `bytes=a-b` (or `a-`, or `-n`) range within `size`; `null` for none or an unsatisfiable one. */
function parseRange(header, size) {
  const m = /^bytes=(\d*)-(\d*)$/.exec(String(header ?? "").trim());
  if (!m || (m[1] === "" && m[2] === "")) return undefined;
  let from;
  let to;
  if (m[1] === "") {
    from = Math.max(0, size - Number(m[2]));
    to = size - 1;
  } else {
    from = Number(m[1]);
    to = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  return from <= to && from < size ? { from, to } : null;
}

/**
 * Handles `/media/…` on `req`/`res` (CORS headers already set). `delay(ms)` waits, cancelled when
 * the sandbox closes.
 */
export async function serveMedia(req, res, path, delay) {
  req.resume();
  res.setHeader("Access-Control-Expose-Headers", EXPOSE);
  const parts = path.slice("/media/".length).split("/");
  const mode = parts.length === 2 ? parts[0] : "";
  const file = MEDIA_FILES[parts.at(-1)];
  const method = req.method;
  const known = ["", "no-head", "no-length", "redirect", "slow", "drop"].includes(mode) && parts.length <= 2;
  if (method !== "GET" && method !== "HEAD") {
    res.writeHead(405, { Allow: "GET, HEAD", "Content-Type": "text/plain" });
    return res.end("Method not allowed\n");
  }
  if (!file || !known) {
    const body = `No media at ${path}\n`;
    res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8", "Content-Length": Buffer.byteLength(body) });
    return res.end(method === "HEAD" ? undefined : body);
  }
  if (mode === "drop") return req.socket.destroy();
  if (mode === "redirect") {
    res.writeHead(302, { Location: `/media/${parts[1]}`, "Content-Length": 0 });
    return res.end();
  }
  if (mode === "slow") {
    await delay(SLOW_MS);
    if (req.socket.destroyed) return;
  }
  if (mode === "no-head" && method === "HEAD") {
    res.writeHead(405, { Allow: "GET", "Content-Type": "text/plain", "Content-Length": 19 });
    return res.end();
  }
  const headers = file.type ? { "Content-Type": file.type } : {};
  if (mode === "no-length") {
    // Chunked: Node sends Transfer-Encoding instead of a length; Range is not supported.
    res.writeHead(200, headers);
    if (method === "HEAD") return res.end();
    return res.end(bytesOf(file, 0, file.size - 1));
  }
  headers["Accept-Ranges"] = "bytes";
  const range = req.headers.range === undefined ? undefined : parseRange(req.headers.range, file.size);
  if (range === null) {
    res.writeHead(416, { ...headers, "Content-Range": `bytes */${file.size}`, "Content-Length": 0 });
    return res.end();
  }
  const { from, to } = range ?? { from: 0, to: file.size - 1 };
  const length = Math.max(0, to - from + 1);
  if (range) headers["Content-Range"] = `bytes ${from}-${to}/${file.size}`;
  headers["Content-Length"] = length;
  res.writeHead(range ? 206 : 200, headers);
  res.end(method === "HEAD" || length === 0 ? undefined : bytesOf(file, from, to));
}
