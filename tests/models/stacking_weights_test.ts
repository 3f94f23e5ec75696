import assert from "node:assert/strict";
import { stackingWeights } from "../../pipeline/models/stacking_weights.ts";
import { uniformMatrix } from "../support/linear_data.ts";

const n = 500;
const y = uniformMatrix(n, 1, 1).data;
const noise = (seed: number, scale: number) =>
  uniformMatrix(n, 1, seed).data.map((v) => scale * (v - 0.5));
const plus = (a: Float64Array, b: Float64Array) => a.map((v, i) => v + b[i]);

function mse(weights: ArrayLike<number>, members: Float64Array[]): number {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    let p = 0;
    members.forEach((m, k) => p += weights[k] * m[i]);
    sum += (p - y[i]) ** 2;
  }
  return sum / n;
}

Deno.test("stacking puts almost all weight on the much better member", () => {
  const good = plus(y, noise(2, 0.05));
  const bad = plus(y, noise(3, 1));
  const useless = new Float64Array(n).fill(0.5);
  const w = stackingWeights([bad, good, useless], y);
  assert.ok(w[1] > 0.97, `weights ${w}`);
  assert.ok(Math.abs(w[0] + w[1] + w[2] - 1) < 1e-12);
});

Deno.test("stacking weights are the constrained optimum on two members", () => {
  const a = plus(y, noise(4, 0.4));
  const b = plus(y, noise(5, 0.6));
  const w = stackingWeights([a, b], y);
  // Independent errors: the optimum is near var_b / (var_a + var_b) = 0.36 / 0.52.
  assert.ok(Math.abs(w[0] - 0.36 / 0.52) < 0.05, `weights ${w}`);
  const best = mse(w, [a, b]);
  for (let g = 0; g <= 1000; g++) {
    assert.ok(best <= mse([g / 1000, 1 - g / 1000], [a, b]) + 1e-15, `grid point ${g}`);
  }
});

Deno.test("stacking never returns negative weights", () => {
  // Unconstrained least squares would fit y exactly as 1 * noisy - 1 * error.
  const error = noise(6, 0.3);
  const w = stackingWeights([plus(y, error), error], y);
  assert.ok(w.every((v) => v >= 0), `weights ${w}`);
  assert.ok(Math.abs(w[0] - 1) < 1e-9 && w[1] < 1e-9, `weights ${w}`);
});

Deno.test("stacking rejects misaligned or missing predictions", () => {
  assert.throws(() => stackingWeights([new Float64Array(3)], y), /3 predictions/);
  assert.throws(() => stackingWeights([y.map((v, i) => i ? v : NaN)], y), /NaN/);
  assert.throws(() => stackingWeights([], y), /at least one/);
});
