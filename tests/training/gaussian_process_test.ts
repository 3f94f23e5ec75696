import assert from "node:assert/strict";
import { seededRandom } from "../../pipeline/core/random.ts";
import {
  fitGaussianProcess,
  gaussianProcess,
  KERNEL_BOX,
} from "../../pipeline/training/gaussian_process.ts";

/** A smooth function of the unit cube in 3 dimensions; the third does not matter. */
const smooth = ([a, b]: readonly number[]) => Math.sin(4 * a) + (b - 0.3) ** 2;

function sample(n: number, seed: number): number[][] {
  const rng = seededRandom(seed);
  return Array.from({ length: n }, () => [rng.next(), rng.next(), rng.next()]);
}

Deno.test("a GP interpolates its training points and is surest at them", () => {
  const points = sample(25, 1);
  const targets = points.map(smooth);
  const gp = fitGaussianProcess(points, targets, seededRandom(2));
  const far = sample(200, 3);
  const meanFarVariance = far.reduce((s, p) => s + gp.predict(p).variance, 0) / far.length;
  points.forEach((p, i) => {
    const { mean, variance } = gp.predict(p);
    assert.ok(Math.abs(mean - targets[i]) < 0.01, `point ${i}: ${mean} vs ${targets[i]}`);
    assert.ok(variance < meanFarVariance / 10, `point ${i}: ${variance} vs ${meanFarVariance}`);
  });
});

Deno.test("a fitted GP predicts new points of a smooth function", () => {
  const points = sample(40, 4);
  const gp = fitGaussianProcess(points, points.map(smooth), seededRandom(5));
  const test = sample(100, 6);
  const errors = test.map((p) => gp.predict(p).mean - smooth(p));
  const rmse = Math.sqrt(errors.reduce((s, e) => s + e * e, 0) / errors.length);
  const values = test.map(smooth);
  const mean = values.reduce((a, b) => a + b) / values.length;
  const spread = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
  assert.ok(rmse < spread / 20, `rmse ${rmse}, spread ${spread}`);
  // The ignored third coordinate gets the longest length scale.
  const [a, b, c] = gp.kernel.lengthScales;
  assert.ok(c > a && c > b, `${a} ${b} ${c}`);
});

Deno.test("a fitted GP explains noisy targets with more noise than exact ones", () => {
  const points = sample(40, 7);
  const rng = seededRandom(8);
  const exact = fitGaussianProcess(points, points.map(smooth), seededRandom(9));
  const noisy = fitGaussianProcess(
    points,
    points.map((p) => smooth(p) + 0.3 * (rng.next() - 0.5)),
    seededRandom(9),
  );
  assert.ok(
    noisy.kernel.noiseVariance > 100 * exact.kernel.noiseVariance,
    `${noisy.kernel.noiseVariance} vs ${exact.kernel.noiseVariance}`,
  );
  const [low, high] = KERNEL_BOX.noiseVariance;
  assert.ok(exact.kernel.noiseVariance >= low && noisy.kernel.noiseVariance <= high);
});

Deno.test("a GP fit depends only on its inputs and the generator's seed", () => {
  const points = sample(15, 10);
  const targets = points.map(smooth);
  const a = fitGaussianProcess(points, targets, seededRandom(11));
  assert.deepEqual(fitGaussianProcess(points, targets, seededRandom(11)).kernel, a.kernel);
});

Deno.test("a GP reverts to the targets' mean and variance far from its points", () => {
  const gp = gaussianProcess([[0], [0.05]], [1, 3], {
    lengthScales: [0.01],
    signalVariance: 1,
    noiseVariance: 1e-6,
  });
  const { mean, variance } = gp.predict([0.9]);
  assert.ok(Math.abs(mean - 2) < 1e-9, `${mean}`);
  // Standardised by the targets' sample deviation, √2: the prior variance is 2.
  assert.ok(Math.abs(variance - 2) < 1e-9, `${variance}`);
});
