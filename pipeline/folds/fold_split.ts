/**
 * Cross-validation splits on the data set's own `fold` column.
 *
 * @module
 */

/** The split declared in params, with row counts per fold. */
export interface SplitPlan {
  readonly cvFolds: readonly number[];
  readonly holdoutFold: number;
  readonly rowsPerFold: Readonly<Record<string, number>>;
}

/** Training and test row indices of one fold. */
export interface FoldRows {
  readonly fold: number;
  readonly train: Int32Array;
  readonly test: Int32Array;
}

/**
 * Splits rows so that each listed fold is the test fold once and the others train.
 * Rows whose fold is not listed are in neither side.
 *
 * @example
 * ```ts
 * foldSplits(new Float64Array([1, 2, 1, 2]), [1, 2]); // fold 1 tests rows 0 and 2
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
