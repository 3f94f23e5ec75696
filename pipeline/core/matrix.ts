/**
 * A dense, row-major matrix of 64-bit floats: the one numeric container shared by
 * preprocessing, models and serving. Missing values are `NaN`.
 *
 * @module
 */

/** A dense row-major matrix: element (i, j) is `data[i * cols + j]`. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/**
 * Creates a matrix, checking that `data` has exactly `rows * cols` elements.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { matrix } from "./matrix.ts";
 *
 * const m = matrix(2, 2, new Float64Array([1, 2, 3, 4])); // row-major: [[1, 2], [3, 4]]
 * assert.equal(m.data[1 * m.cols + 0], 3); // row 1, column 0
 * assert.throws(() => matrix(2, 2, new Float64Array(3)), RangeError); // not 2 x 2 values
 * ```
 */
export function matrix(rows: number, cols: number, data?: Float64Array): Matrix {
  const values = data ?? new Float64Array(rows * cols);
  if (values.length !== rows * cols) {
    throw new RangeError(
      `matrix data has ${values.length} elements, expected ${rows} x ${cols} = ${rows * cols}`,
    );
  }
  return { rows, cols, data: values };
}

/** Builds a matrix from an array of equally long rows. */
export function fromRows(rows: readonly (readonly number[])[]): Matrix {
  const cols = rows[0]?.length ?? 0;
  const out = matrix(rows.length, cols);
  rows.forEach((row, i) => {
    if (row.length !== cols) {
      throw new RangeError(`row ${i} has ${row.length} values, expected ${cols}`);
    }
    out.data.set(row, i * cols);
  });
  return out;
}

/** Returns a new matrix holding the given rows, in the given order. */
export function selectRows(m: Matrix, indices: ArrayLike<number>): Matrix {
  const out = matrix(indices.length, m.cols);
  for (let k = 0; k < indices.length; k++) {
    const start = indices[k] * m.cols;
    out.data.set(m.data.subarray(start, start + m.cols), k * m.cols);
  }
  return out;
}

/** Returns a new matrix holding the given columns, in the given order. */
export function selectColumns(m: Matrix, indices: ArrayLike<number>): Matrix {
  const out = matrix(m.rows, indices.length);
  for (let i = 0; i < m.rows; i++) {
    for (let k = 0; k < indices.length; k++) {
      out.data[i * indices.length + k] = m.data[i * m.cols + indices[k]];
    }
  }
  return out;
}

/** Copies column `j` into a new array. */
export function column(m: Matrix, j: number): Float64Array {
  const out = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) out[i] = m.data[i * m.cols + j];
  return out;
}

/** Picks the given elements of a vector, in order. */
export function selectValues(v: Float64Array, indices: ArrayLike<number>): Float64Array {
  const out = new Float64Array(indices.length);
  for (let k = 0; k < indices.length; k++) out[k] = v[indices[k]];
  return out;
}
