/**
 * A guard for models that cannot handle missing values: they must receive imputed
 * inputs, and silently routing `NaN` down a tree or through a matrix product would
 * produce plausible-looking garbage.
 *
 * @module
 */
import type { Matrix } from "../core/matrix.ts";

/** Throws a `RangeError` naming the first missing cell if `x` holds any `NaN`. */
export function assertNoMissing(x: Matrix, family: string): void {
  let at = 0;
  while (at < x.data.length && x.data[at] === x.data[at]) at++;
  if (at < x.data.length) {
    const row = Math.floor(at / x.cols);
    throw new RangeError(
      `${family} needs imputed inputs, but row ${row}, column ${
        at - row * x.cols
      } is missing (NaN)`,
    );
  }
}
