/**
 * Cross-validation splits on the data set's own `fold` column.
 *
 * @module
 */

/** Training and test row indices of one fold. */
export interface FoldRows {
  readonly fold: number;
  readonly train: Int32Array;
  readonly test: Int32Array;
}

/**
 * The indices of the rows whose fold satisfies `keep`, in row order: the one filter
 * behind every "rows of these folds" of the pipeline.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const folds = new Float64Array([1, 2, 3, 2]);
 * assert.deepEqual(rowsWhere(folds, (f) => f === 2), Int32Array.from([1, 3]));
 * assert.deepEqual(rowsWhere(folds, (f) => f !== 2), Int32Array.from([0, 2]));
 * ```
 */
export function rowsWhere(folds: ArrayLike<number>, keep: (fold: number) => boolean): Int32Array {
  const rows: number[] = [];
  for (let i = 0; i < folds.length; i++) if (keep(folds[i])) rows.push(i);
  return Int32Array.from(rows);
}

/**
 * Splits rows so that each listed fold is the test fold once and the others train.
 * Rows whose fold is not listed are in neither side.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { foldSplits } from "./fold_split.ts";
 *
 * const [one, two] = foldSplits(new Float64Array([1, 2, 1, 2, 3]), [1, 2]); // row 4 in neither
 * assert.deepEqual(one, { fold: 1, train: Int32Array.of(1, 3), test: Int32Array.of(0, 2) });
 * assert.deepEqual(two, { fold: 2, train: Int32Array.of(0, 2), test: Int32Array.of(1, 3) });
 * ```
 */
export function foldSplits(folds: ArrayLike<number>, cvFolds: readonly number[]): FoldRows[] {
  return cvFolds.map((fold) => {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < folds.length; i++) {
      if (folds[i] === fold) test.push(i);
      else if (cvFolds.includes(folds[i])) train.push(i);
    }
    return { fold, train: Int32Array.from(train), test: Int32Array.from(test) };
  });
}

/** The folds of a split: those cross-validated, and the one held out among them. */
export interface SplitFolds {
  readonly cvFolds: readonly number[];
  readonly holdoutFold: number;
}

/**
 * The rows of every CV fold (the served model's training rows), of the CV folds but the
 * held-out one (where selections are made and the held-out model is fitted), and of the
 * held-out fold (scored once).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { splitRows } from "./fold_split.ts";
 *
 * const rows = splitRows(Float64Array.of(1, 2, 3, 3, 4), { cvFolds: [1, 2, 3], holdoutFold: 3 });
 * assert.deepEqual(Array.from(rows.cv), [0, 1, 2, 3]);
 * assert.deepEqual(Array.from(rows.development), [0, 1]);
 * assert.deepEqual(Array.from(rows.holdout), [2, 3]);
 * ```
 */
export function splitRows(
  folds: ArrayLike<number>,
  split: SplitFolds,
): { readonly cv: Int32Array; readonly development: Int32Array; readonly holdout: Int32Array } {
  return {
    cv: rowsWhere(folds, (f) => split.cvFolds.includes(f)),
    development: rowsWhere(folds, (f) => split.cvFolds.includes(f) && f !== split.holdoutFold),
    holdout: rowsWhere(folds, (f) => f === split.holdoutFold),
  };
}
