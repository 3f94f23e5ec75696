import assert from "node:assert/strict";
import {
  choleskySolve,
  spectralSolve,
  symmetricEigen,
} from "../../pipeline/core/linear_algebra.ts";
import { seededRandom } from "../../pipeline/core/random.ts";
import { maxAbsDiff } from "../support/linear_data.ts";

/** A random symmetric positive semi-definite matrix BᵀB with B of shape m × n. */
function gramOfRandom(m: number, n: number, seed: number): Float64Array {
  const rng = seededRandom(seed);
  const b = Float64Array.from({ length: m * n }, () => rng.next() - 0.5);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      for (let k = 0; k < m; k++) a[i * n + j] += b[k * n + i] * b[k * n + j];
    }
  }
  return a;
}

function multiply(a: Float64Array, x: Float64Array): Float64Array {
  const n = x.length;
  return Float64Array.from({ length: n }, (_, i) => {
    let s = 0;
    for (let k = 0; k < n; k++) s += a[i * n + k] * x[k];
    return s;
  });
}

Deno.test("symmetricEigen reconstructs the matrix from orthonormal eigenvectors", () => {
  const n = 12;
  const a = gramOfRandom(20, n, 3);
  const { values, vectors } = symmetricEigen(a, n);
  const rebuilt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let vtv = 0;
      for (let k = 0; k < n; k++) {
        rebuilt[i * n + j] += vectors[i * n + k] * values[k] * vectors[j * n + k];
        vtv += vectors[k * n + i] * vectors[k * n + j];
      }
      assert.ok(Math.abs(vtv - (i === j ? 1 : 0)) < 1e-12, `VᵀV[${i},${j}] = ${vtv}`);
    }
  }
  assert.ok(maxAbsDiff(rebuilt, a) < 1e-12);
});

Deno.test("symmetricEigen finds the known eigenvalues of a 2 × 2 matrix", () => {
  const { values } = symmetricEigen(new Float64Array([2, 1, 1, 2]), 2);
  assert.deepEqual(Array.from(values).sort().map((v) => Math.round(v * 1e12) / 1e12), [1, 3]);
});

Deno.test("symmetricEigen reports a zero eigenvalue for a rank-deficient matrix", () => {
  // Rank 3 at most: a Gram matrix of 3 random vectors in 6 dimensions.
  const { values } = symmetricEigen(gramOfRandom(3, 6, 5), 6);
  const largest = Math.max(...values);
  const tiny = Array.from(values).filter((v) => Math.abs(v) < 1e-12 * largest);
  assert.equal(tiny.length, 3);
});

Deno.test("spectralSolve with the inverse filter solves a full-rank system", () => {
  const n = 8;
  const a = gramOfRandom(15, n, 9);
  const b = Float64Array.from({ length: n }, (_, i) => i - 3);
  const x = spectralSolve(symmetricEigen(a, n), b, (l) => 1 / l);
  assert.ok(maxAbsDiff(multiply(a, x), b) < 1e-9);
});

Deno.test("choleskySolve agrees with the spectral solve and rejects an indefinite matrix", () => {
  const n = 10;
  const a = gramOfRandom(25, n, 11);
  const b = Float64Array.from({ length: n }, (_, i) => Math.sin(i));
  const viaCholesky = choleskySolve(a, b);
  const viaEigen = spectralSolve(symmetricEigen(a, n), b, (l) => 1 / l);
  assert.ok(maxAbsDiff(viaCholesky, viaEigen) < 1e-8);
  assert.ok(maxAbsDiff(multiply(a, viaCholesky), b) < 1e-10);
  assert.throws(
    () => choleskySolve(new Float64Array([1, 2, 2, 1]), new Float64Array([1, 1])),
    /not positive definite/,
  );
});
