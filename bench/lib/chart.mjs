// bench/results.svg: one bar pair per figure, ours and the peer's, each pair scaled to its larger
// value (so figures of any unit share one chart), with the ratio written beside it. Plain SVG,
// no dependency.

const esc = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** `rows`: { name, value, peer, peerName, ratio, better } as bench/run.mjs computes them. */
export function chart(rows) {
  const W = 1040;
  const LABEL = 420;
  const BAR = 12;
  const PAIR = 2 * BAR + 16;
  const TOP = 46;
  const width = W - LABEL - 170;
  const H = TOP + rows.length * PAIR + 20;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="10" y="20" font-size="15" font-weight="600">sendexa-whatsapp versus the peers (bench/RESULTS.md)</text>`,
    `<rect x="${LABEL}" y="28" width="10" height="10" fill="#2b8a3e"/><text x="${LABEL + 14}" y="37">ours, better</text>`,
    `<rect x="${LABEL + 100}" y="28" width="10" height="10" fill="#e8590c"/><text x="${LABEL + 114}" y="37">ours, worse</text>`,
    `<rect x="${LABEL + 200}" y="28" width="10" height="10" fill="#adb5bd"/><text x="${LABEL + 214}" y="37">the peer</text>`,
  ];
  rows.forEach((r, i) => {
    const y = TOP + i * PAIR;
    const max = Math.max(r.value, r.peer) || 1;
    const wins = r.better === "higher" ? r.value >= r.peer : r.value <= r.peer;
    const ours = Math.max(1, (width * r.value) / max);
    const peer = Math.max(1, (width * r.peer) / max);
    out.push(
      `<text x="${LABEL - 8}" y="${y + BAR + 4}" text-anchor="end">${esc(r.name)}</text>`,
      `<rect x="${LABEL}" y="${y}" width="${ours.toFixed(1)}" height="${BAR}" fill="${wins ? "#2b8a3e" : "#e8590c"}"><title>ours: ${esc(r.value)}</title></rect>`,
      `<rect x="${LABEL}" y="${y + BAR + 2}" width="${peer.toFixed(1)}" height="${BAR}" fill="#adb5bd"><title>${esc(r.peerName)}: ${esc(r.peer)}</title></rect>`,
      `<text x="${LABEL + width + 8}" y="${y + BAR + 4}">${r.ratio.toFixed(r.ratio < 10 ? 2 : 1)}× (${r.better} is better)</text>`,
    );
  });
  out.push("</svg>", "");
  return out.join("\n");
}
