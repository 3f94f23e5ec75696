/**
 * Dense linear algebra on small symmetric matrices (at most a few hundred rows), stored
 * row-major in a `Float64Array`: the eigen-decomposition behind rank-revealing least
 * squares, and the Cholesky factor and solve behind ridge regression and the Gaussian
 * process of the GP sampler.
 *
 * @module
 */

/** Eigenvalues and eigenvectors of a symmetric matrix: `a = V diag(values) Vᵀ`. */
export interface SymmetricEigen {
  readonly size: number;
  /** Eigenvalues, in no particular order. */
  readonly values: Float64Array;
  /** Row-major `size × size` matrix whose column `k` is the eigenvector of `values[k]`. */
  readonly vectors: Float64Array;
}

const MAX_SWEEPS = 100;

/**
 * Eigen-decomposes a symmetric `n × n` matrix with cyclic Jacobi rotations. Slower than
 * a tridiagonal QR, but simple, and accurate for tiny eigenvalues, which is what a
 * rank cut-off needs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { symmetricEigen } from "./linear_algebra.ts";
 *
 * const { values } = symmetricEigen(new Float64Array([2, 1, 1, 2]), 2);
 * const [low, high] = [...values].sort((a, b) => a - b);
 * assert.ok(Math.abs(low - 1) < 1e-12 && Math.abs(high - 3) < 1e-12);
 * ```
 */
export function symmetricEigen(a: Float64Array, n: number): SymmetricEigen {
  if (a.length !== n * n) throw new RangeError(`expected ${n * n} elements, got ${a.length}`);
  const m = Float64Array.from(a);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  let total = 0;
  for (const x of m) total += x * x;
  // Rotations cannot push the off-diagonal mass much below rounding of the whole matrix.
  const threshold = total * 1e-30;
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += m[p * n + q] ** 2;
    if (off <= threshold) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q];
        if (apq === 0) continue;
        const theta = (m[q * n + q] - m[p * n + p]) / (2 * apq);
        // The smaller root of t² + 2θt − 1 = 0 keeps the rotation angle below π/4.
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = m[k * n + p];
          const akq = m[k * n + q];
          m[k * n + p] = c * akp - s * akq;
          m[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = m[p * n + k];
          const aqk = m[q * n + k];
          m[p * n + k] = c * apk - s * aqk;
          m[q * n + k] = s * apk + c * aqk;
        }
        m[p * n + q] = 0;
        m[q * n + p] = 0;
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = m[i * n + i];
  return { size: n, values, vectors: v };
}

/**
 * Computes `V diag(filter(λ)) Vᵀ b`: with `filter = λ => 1 / λ` this solves `a x = b`;
 * returning 0 for small `λ` gives the minimum-norm (pseudo-inverse) solution.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { spectralSolve, symmetricEigen } from "./linear_algebra.ts";
 *
 * const eigen = symmetricEigen(new Float64Array([2, 1, 1, 2]), 2);
 * const b = new Float64Array([3, 3]);
 * const x = spectralSolve(eigen, b, (l) => (l > 1e-10 ? 1 / l : 0));
 * assert.ok(x.every((v) => Math.abs(v - 1) < 1e-12)); // [1, 1]
 * ```
 */
export function spectralSolve(
  eigen: SymmetricEigen,
  b: Float64Array,
  filter: (eigenvalue: number) => number,
): Float64Array {
  const { size: n, values, vectors } = eigen;
  if (b.length !== n) throw new RangeError(`expected ${n} right-hand side values, got ${b.length}`);
  const x = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const f = filter(values[k]);
    if (f === 0) continue;
    let projection = 0;
    for (let i = 0; i < n; i++) projection += vectors[i * n + k] * b[i];
    projection *= f;
    for (let i = 0; i < n; i++) x[i] += vectors[i * n + k] * projection;
  }
  return x;
}

/**
 * The lower-triangular Cholesky factor `l` of a symmetric positive-definite `n × n`
 * matrix, `a = l lᵀ`, row-major; throws when `a` is not positive definite. Kept apart
 * from the solve so that a caller with many right-hand sides (a Gaussian process's
 * predictions) factors once.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { choleskyFactor } from "./linear_algebra.ts";
 *
 * assert.deepEqual([...choleskyFactor(new Float64Array([4, 2, 2, 5]), 2)], [2, 0, 1, 2]);
 * assert.throws(() => choleskyFactor(new Float64Array([1, 2, 2, 1]), 2), RangeError);
 * ```
 */
export function choleskyFactor(a: Float64Array, n: number): Float64Array {
  if (a.length !== n * n) throw new RangeError(`expected ${n * n} elements, got ${a.length}`);
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j];
    for (let k = 0; k < j; k++) d -= l[j * n + k] ** 2;
    if (!(d > 0)) throw new RangeError(`matrix is not positive definite (pivot ${j} is ${d})`);
    const ljj = Math.sqrt(d);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      l[i * n + j] = s / ljj;
    }
  }
  return l;
}

/**
 * Solves `l x = b` for a lower-triangular `l` (row-major, `b.length` rows) by forward
 * substitution.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { solveLower } from "./linear_algebra.ts";
 *
 * assert.deepEqual([...solveLower(new Float64Array([2, 0, 1, 2]), new Float64Array([2, 5]))], [1, 2]);
 * ```
 */
export function solveLower(l: Float64Array, b: Float64Array): Float64Array {
  const n = b.length;
  const x = Float64Array.from(b);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < i; k++) x[i] -= l[i * n + k] * x[k];
    x[i] /= l[i * n + i];
  }
  return x;
}

/**
 * Solves `lᵀ x = b` for a lower-triangular `l` (row-major, `b.length` rows) by back
 * substitution.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { solveLowerTransposed } from "./linear_algebra.ts";
 *
 * const x = solveLowerTransposed(new Float64Array([2, 0, 1, 2]), new Float64Array([4, 4]));
 * assert.deepEqual([...x], [1, 2]); // [[2, 1], [0, 2]] x = [4, 4]
 * ```
 */
export function solveLowerTransposed(l: Float64Array, b: Float64Array): Float64Array {
  const n = b.length;
  const x = Float64Array.from(b);
  for (let i = n - 1; i >= 0; i--) {
    for (let k = i + 1; k < n; k++) x[i] -= l[k * n + i] * x[k];
    x[i] /= l[i * n + i];
  }
  return x;
}

/**
 * Solves `a x = b` for a symmetric positive-definite `n × n` matrix by Cholesky
 * factorisation; throws when `a` is not positive definite.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { choleskySolve } from "./linear_algebra.ts";
 *
 * const x = choleskySolve(new Float64Array([4, 2, 2, 3]), new Float64Array([2, 1]));
 * assert.ok(Math.abs(x[0] - 0.5) < 1e-12 && Math.abs(x[1]) < 1e-12); // [0.5, 0]
 * const indefinite = new Float64Array([1, 2, 2, 1]); // eigenvalues 3 and -1
 * assert.throws(() => choleskySolve(indefinite, new Float64Array([1, 1])), RangeError);
 * ```
 */
export function choleskySolve(a: Float64Array, b: Float64Array): Float64Array {
  const l = choleskyFactor(a, b.length);
  return solveLowerTransposed(l, solveLower(l, b));
}
