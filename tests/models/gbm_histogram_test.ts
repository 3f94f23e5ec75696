import assert from "node:assert/strict";
import { type Matrix, matrix } from "../../pipeline/core/matrix.ts";
import { seededRandom } from "../../pipeline/core/random.ts";
import { binMatrix, type BinnedMatrix, fitBinMapper } from "../../pipeline/models/gbm/binning.ts";
import {
  buildHistogram,
  buildHistogramByRow,
  histogramOffsets,
  newHistogram,
  rowSlots,
} from "../../pipeline/models/gbm/histogram.ts";
import { findBestSplit } from "../../pipeline/models/gbm/split.ts";

/** `n` rows of `cols` features: a 0.01 grid with some NaN, one column continuous. */
function data(n: number, cols: number, seed: number): Matrix {
  const rng = seededRandom(seed);
  return matrix(
    n,
    cols,
    Float64Array.from({ length: n * cols }, (_, i) => {
      if (rng.next() < 0.05) return NaN;
      return i % cols === 0 ? rng.next() : rng.int(101) / 100;
    }),
  );
}

function binned(x: Matrix, maxBins: number): BinnedMatrix {
  return binMatrix(fitBinMapper(x, Int32Array.from({ length: x.rows }, (_, i) => i), maxBins), x);
}

const range = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

Deno.test("the row-wise scan fills the same histogram as the feature-wise one", () => {
  for (const maxBins of [64, 400]) {
    const x = data(700, 9, maxBins);
    const b = binned(x, maxBins);
    const offsets = histogramOffsets(b.binCounts);
    const slots = rowSlots(b, offsets);
    const rng = seededRandom(1);
    const gradients = Float64Array.from({ length: x.rows }, () => rng.next() - 0.5);
    // A node's rows: a shuffled subset, scanned over a sub-range.
    const rows = range(x.rows).filter(() => rng.next() < 0.6);
    const byFeature = newHistogram(offsets);
    const byRow = newHistogram(offsets).fill(7); // stale values must be overwritten
    buildHistogram(byFeature, b, offsets, gradients, rows, 10, rows.length - 5, range(x.cols));
    buildHistogramByRow(byRow, slots, x.cols, gradients, rows, 10, rows.length - 5);
    // The same additions in the same order per slot: equal to the last bit.
    assert.deepEqual(byRow, byFeature);
  }
});

Deno.test("wide histograms switch row slots to 32 bits", () => {
  const x = data(300, 400, 3);
  const b = binned(x, 256);
  const offsets = histogramOffsets(b.binCounts);
  assert.ok(2 * offsets[x.cols] > 0x10000);
  const slots = rowSlots(b, offsets);
  assert.ok(slots instanceof Uint32Array);
  assert.equal(slots[299 * 400 + 399], 2 * (offsets[399] + b.codes[399 * 300 + 299]));
});

Deno.test("the split search finds the brute-force best split", () => {
  for (const [seed, minLeaf, lambda] of [[4, 1, 0], [5, 20, 1], [6, 60, 3]]) {
    const x = data(400, 5, seed);
    const b = binned(x, 256);
    const offsets = histogramOffsets(b.binCounts);
    const rng = seededRandom(seed);
    const g = Float64Array.from(
      { length: x.rows },
      (_, i) => (x.data[i * 5 + 1] || 0) + rng.next(),
    );
    const rows = range(x.rows);
    const hist = newHistogram(offsets);
    const features = range(x.cols);
    buildHistogram(hist, b, offsets, g, rows, 0, rows.length, features);
    const sum = g.reduce((s, v) => s + v, 0);
    const split = findBestSplit(hist, offsets, b.binCounts, features, sum, x.rows, lambda, minLeaf);

    // Every feature, cut and side for missing values, scored from the rows themselves.
    let best = 0;
    for (let j = 0; j < x.cols; j++) {
      for (let bin = 0; bin < b.binCounts[j]; bin++) {
        for (const missingLeft of [false, true]) {
          let ls = 0, lc = 0;
          for (let r = 0; r < x.rows; r++) {
            const code = b.codes[j * x.rows + r];
            if (code === b.binCounts[j] ? missingLeft : code <= bin) (ls += g[r]), lc++;
          }
          const rs = sum - ls, rc = x.rows - lc;
          if (lc < minLeaf || rc < minLeaf) continue;
          const gain = ls * ls / (lc + lambda) + rs * rs / (rc + lambda) -
            sum * sum / (x.rows + lambda);
          best = Math.max(best, gain);
        }
      }
    }
    assert.ok(split, `seed ${seed}`);
    assert.ok(Math.abs(split.gain - best) < 1e-9 * best, `${split.gain} vs ${best}`);
    assert.ok(split.leftCount >= minLeaf && x.rows - split.leftCount >= minLeaf);
  }
});
