// Generated from notebooks/02_features.ipynb by `deno task promote`: do not edit; edit the notebook and promote again.

import assert from "node:assert/strict";
import { filterCorrelated, pearson } from "../../../pipeline/features/correlation_filter.ts";

Deno.test("pearson matches a hand-computed case and skips missing pairs", () => {
  const handX = new Float64Array([1, 2, 3, 4]);
  const handY = new Float64Array([2, 4, 5, 4]);
  const expectedR = 3.5 / Math.sqrt(5 * 4.75);
  assert.ok(Math.abs(pearson(handX, handY) - expectedR) < 1e-12);
  assert.ok(Math.abs(pearson(handY, handX) - expectedR) < 1e-12);
  const withGapX = new Float64Array([1, 2, 3, 4, NaN]);
  const withGapY = new Float64Array([2, 4, 5, 4, 9]);
  assert.ok(Math.abs(pearson(withGapX, withGapY) - expectedR) < 1e-12);
  assert.ok(Number.isNaN(pearson(handX, new Float64Array([1, 1, 1, 1]))));
});

Deno.test("filterCorrelated drops the later of a near-duplicate pair", () => {
  const base = new Float64Array([1, 2, 3, 4, 5]);
  const decisions = filterCorrelated(
    new Map([
      ["a", base],
      ["b", base.map((v) => -2 * v + 1)],
      ["c", new Float64Array([5, 1, 4, 2, 3])],
    ]),
    0.98,
  );
  assert.deepEqual(decisions.map((d) => d.kept), [true, false, true]);
  assert.match(decisions[1].reason, /with a > 0\.98/);
});
