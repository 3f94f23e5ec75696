/**
 * Minimal self-contained SVG charts (scatter and horizontal bars) for reports that must
 * open offline, in a browser or in the MLflow UI's artifact viewer.
 *
 * @module
 */

const W = 640, H = 420, PAD = 56;

/** Escapes text for XML or HTML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(
    /[<>&"]/g,
    (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;" })[c]!,
  );
}

function extent(values: ArrayLike<number>): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i])) continue;
    lo = Math.min(lo, values[i]);
    hi = Math.max(hi, values[i]);
  }
  return lo === hi ? [lo - 1, hi + 1] : [lo, hi];
}

/** A scatter plot of (x, y) points, with an optional reference line y = x or y = 0. */
export function scatterSvg(
  title: string,
  xLabel: string,
  yLabel: string,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  reference?: "identity" | "zero",
): string {
  const [x0, x1] = extent(x), [y0, y1] = extent(y);
  const sx = (v: number) => PAD + ((v - x0) / (x1 - x0)) * (W - 2 * PAD);
  const sy = (v: number) => H - PAD - ((v - y0) / (y1 - y0)) * (H - 2 * PAD);
  const points: string[] = [];
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i]) || Number.isNaN(y[i])) continue;
    points.push(`<circle cx="${sx(x[i]).toFixed(1)}" cy="${sy(y[i]).toFixed(1)}" r="2"/>`);
  }
  const line = reference === "identity"
    ? `<line x1="${sx(Math.max(x0, y0))}" y1="${sy(Math.max(x0, y0))}" x2="${
      sx(Math.min(x1, y1))
    }" y2="${sy(Math.min(x1, y1))}" stroke="#d62728"/>`
    : reference === "zero"
    ? `<line x1="${PAD}" y1="${sy(0)}" x2="${W - PAD}" y2="${sy(0)}" stroke="#d62728"/>`
    : "";
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">` +
    `<text x="${W / 2}" y="20" text-anchor="middle" font-size="14">${escapeXml(title)}</text>` +
    `<rect x="${PAD}" y="${PAD}" width="${W - 2 * PAD}" height="${
      H - 2 * PAD
    }" fill="none" stroke="#999"/>` +
    `<g fill="#1f77b4" fill-opacity="0.5">${points.join("")}</g>${line}` +
    `<text x="${W / 2}" y="${H - 12}" text-anchor="middle">${escapeXml(xLabel)} (${
      x0.toFixed(2)
    } to ${x1.toFixed(2)})</text>` +
    `<text x="14" y="${H / 2}" text-anchor="middle" transform="rotate(-90 14 ${H / 2})">${
      escapeXml(yLabel)
    } (${y0.toFixed(2)} to ${y1.toFixed(2)})</text></svg>`;
}

/** Horizontal bars, one per label, longest first as given. */
export function barSvg(
  title: string,
  labels: readonly string[],
  values: readonly number[],
): string {
  const rowH = 18, left = 200, height = 40 + labels.length * rowH;
  const max = Math.max(...values.map(Math.abs), 1e-12);
  const bars = labels.map((label, i) => {
    const w = (Math.abs(values[i]) / max) * (W - left - 80);
    const y = 30 + i * rowH;
    return `<text x="${left - 6}" y="${y + 12}" text-anchor="end">${escapeXml(label)}</text>` +
      `<rect x="${left}" y="${y + 2}" width="${w.toFixed(1)}" height="${rowH - 4}" fill="${
        values[i] < 0 ? "#d62728" : "#1f77b4"
      }"/>` +
      `<text x="${left + w + 4}" y="${y + 12}">${values[i].toFixed(4)}</text>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" font-family="sans-serif" font-size="12">` +
    `<text x="${W / 2}" y="18" text-anchor="middle" font-size="14">${escapeXml(title)}</text>${
      bars.join("")
    }</svg>`;
}
