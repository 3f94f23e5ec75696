import assert from "node:assert/strict";
import { logExpectedImprovement } from "../../pipeline/training/expected_improvement.ts";

/** E[max(best − Y, 0)] for Y ~ N(mean, sd²), by the trapezoid rule over ±12 sd. */
function integrated(mean: number, sd: number, best: number): number {
  const steps = 200_000;
  const low = mean - 12 * sd;
  const high = Math.min(best, mean + 12 * sd);
  if (high <= low) return 0;
  const h = (high - low) / steps;
  let sum = 0;
  for (let i = 0; i <= steps; i++) {
    const y = low + i * h;
    const density = Math.exp(-0.5 * ((y - mean) / sd) ** 2) / (sd * Math.sqrt(2 * Math.PI));
    sum += (i === 0 || i === steps ? 0.5 : 1) * (best - y) * density;
  }
  return sum * h;
}

Deno.test("the expected improvement matches its integral, near and far from the best", () => {
  for (const [mean, sd, best] of [[0, 1, 0], [1, 0.5, 0], [-1, 2, 0], [3, 0.5, 0], [5.5, 1, 0]]) {
    const exact = integrated(mean, sd, best);
    const value = Math.exp(logExpectedImprovement(mean, sd, best));
    assert.ok(Math.abs(value - exact) / exact < 1e-5, `${mean} ${sd}: ${value} vs ${exact}`);
  }
});

Deno.test("the log expected improvement is continuous where its series takes over", () => {
  // z = (best − mean) / sd crosses −6 here.
  const below = logExpectedImprovement(6 + 1e-9, 1, 0);
  const above = logExpectedImprovement(6 - 1e-9, 1, 0);
  assert.ok(Math.abs(below - above) < 1e-3, `${below} ${above}`);
  // And decreasing with the predicted mean throughout.
  let previous = Infinity;
  for (let mean = -3; mean < 60; mean += 0.25) {
    const value = logExpectedImprovement(mean, 1, 0);
    assert.ok(Number.isFinite(value) && value < previous, `mean ${mean}: ${value}`);
    previous = value;
  }
});

Deno.test("without uncertainty the expected improvement is the improvement itself", () => {
  assert.equal(logExpectedImprovement(-2, 0, 1), Math.log(3));
  assert.equal(logExpectedImprovement(2, 0, 1), -Infinity);
});
