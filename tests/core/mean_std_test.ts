import assert from "node:assert/strict";
import { meanStd } from "../../pipeline/core/mean_std.ts";

Deno.test("meanStd gives the sample (n - 1) standard deviation", () => {
  assert.deepEqual(meanStd([1, 2, 3]), { mean: 2, std: 1 });
  assert.deepEqual(meanStd([2, 4]), { mean: 3, std: Math.SQRT2 });
});

Deno.test("meanStd of a single value has no spread", () => {
  assert.deepEqual(meanStd([0.5]), { mean: 0.5, std: 0 });
});
