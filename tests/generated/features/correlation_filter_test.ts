// Generated from notebooks/02_features.ipynb by `deno task export-cells`: do not edit; edit the notebook and export again.

import assert from "node:assert/strict";
import { filterCorrelated } from "../../../pipeline/features/correlation_filter.ts";

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
