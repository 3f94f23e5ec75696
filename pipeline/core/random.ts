/**
 * A small seeded pseudo-random generator, so that every stochastic step of the pipeline
 * (subsampling, shuffling, tuning) is reproducible from one integer seed.
 *
 * @module
 */

/** A source of uniform numbers in [0, 1) that can be re-created from its seed. */
export interface Random {
  /** The next uniform number in [0, 1). */
  next(): number;
  /** A uniform integer in [0, n). */
  int(n: number): number;
}

/**
 * Creates a mulberry32 generator: 32 bits of state, fast, good enough for sampling.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { seededRandom } from "./random.ts";
 *
 * const rng = seededRandom(42);
 * const u = rng.next();
 * assert.ok(u >= 0 && u < 1);
 * assert.equal(seededRandom(42).next(), u); // same value on every run
 * ```
 */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n) => Math.floor(next() * n) };
}

/**
 * A 32-bit mix of `seed` and `stream`, the seed of stream `stream` of a seeded process:
 * a sampler seeds each proposal with its trial number, so that every proposal has its
 * own stream and depends only on the seed and the trials before it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { derivedSeed } from "./random.ts";
 *
 * assert.equal(derivedSeed(7, 3), derivedSeed(7, 3));
 * assert.notEqual(derivedSeed(7, 3), derivedSeed(7, 4));
 * assert.ok(Number.isInteger(derivedSeed(7, 3)) && derivedSeed(7, 3) >= 0);
 * ```
 */
export function derivedSeed(seed: number, stream: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(stream + 1, 0xc2b2ae35);
  h ^= h >>> 16;
  return Math.imul(h, 0x27d4eb2f) >>> 0;
}

/** Returns a shuffled copy of `0..n-1` (Fisher–Yates). */
export function permutation(n: number, rng: Random): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = out[i];
    out[i] = out[j];
    out[j] = t;
  }
  return out;
}
