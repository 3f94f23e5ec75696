// Generated from notebooks/02_features.ipynb by `deno task export-cells`: do not edit; edit the notebook and export again.

/**
 * The transformation from raw feature values to model inputs: median imputation,
 * missing-value indicators and interaction products. It is fitted on training rows only
 * and stored in the model bundle, so training and serving transform rows identically.
 *
 * @module
 */
import { type Matrix, matrix } from "../core/matrix.ts";
import { median } from "../core/statistics.ts";

/** What to build, before any statistic is fitted. */
export interface PreprocessorSpec {
  /** Raw features consumed, in input-matrix column order. */
  readonly inputFeatures: readonly string[];
  /** Input features that get a 0/1 missing indicator. */
  readonly indicators: readonly string[];
  /** Pairs of input features whose product is appended. */
  readonly interactions: readonly (readonly [string, string])[];
}

/** A fitted preprocessor: plain JSON, stored in the model bundle. */
export interface FittedPreprocessor extends PreprocessorSpec {
  /** Fill value per input feature (median of the training rows). */
  readonly fill: readonly number[];
  /** Names of the model-input columns produced by {@link transform}. */
  readonly outputNames: readonly string[];
}

/**
 * Fits fill values on the rows of `x` (which must hold training rows only).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fromRows, selectRows } from "../core/matrix.ts";
 * import { fitPreprocessor, transform } from "./preprocessor.ts";
 *
 * const x = fromRows([[1, 10], [NaN, 20], [3, 30], [NaN, 40]]);
 * const spec = { inputFeatures: ["a", "b"], indicators: ["a"], interactions: [] };
 * const pre = fitPreprocessor(spec, selectRows(x, [0, 1, 2]));
 * assert.deepEqual(pre.fill, [2, 20]);
 * const xTest = transform(pre, selectRows(x, [3]));
 * assert.deepEqual(Array.from(xTest.data), [2, 40, 1]);
 * ```
 */
export function fitPreprocessor(spec: PreprocessorSpec, x: Matrix): FittedPreprocessor {
  if (x.cols !== spec.inputFeatures.length) {
    throw new RangeError(`expected ${spec.inputFeatures.length} input columns, got ${x.cols}`);
  }
  const fill = spec.inputFeatures.map((_, j) => {
    const values = new Float64Array(x.rows);
    for (let i = 0; i < x.rows; i++) values[i] = x.data[i * x.cols + j];
    const m = median(values);
    // A column with no observed value in the training rows falls back to 0, the
    // normalised scale's lower bound, rather than propagating NaN into every model.
    return Number.isNaN(m) ? 0 : m;
  });
  const outputNames = [
    ...spec.inputFeatures,
    ...spec.indicators.map((name) => `${name}_missing`),
    ...spec.interactions.map(([a, b]) => `${a}_x_${b}`),
  ];
  return { ...spec, fill, outputNames };
}

interface ColumnIndex {
  readonly indicatorIndex: readonly number[];
  readonly interactionIndex: readonly (readonly [number, number])[];
}

// Resolving names to columns once per preprocessor keeps single-row calls cheap.
const columnIndexes = new WeakMap<FittedPreprocessor, ColumnIndex>();

function columnIndex(pre: FittedPreprocessor): ColumnIndex {
  let index = columnIndexes.get(pre);
  if (!index) {
    index = {
      indicatorIndex: pre.indicators.map((name) => pre.inputFeatures.indexOf(name)),
      interactionIndex: pre.interactions.map(([a, b]) =>
        [pre.inputFeatures.indexOf(a), pre.inputFeatures.indexOf(b)] as const
      ),
    };
    columnIndexes.set(pre, index);
  }
  return index;
}

/**
 * Applies a fitted preprocessor to raw input rows (NaN = missing); writes into `out` if
 * given (a `rows x outputNames.length` matrix), else into a new matrix.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fromRows } from "../core/matrix.ts";
 * import { fitPreprocessor, transform } from "./preprocessor.ts";
 *
 * const spec = { inputFeatures: ["a", "b"], indicators: ["b"], interactions: [["a", "b"] as const] };
 * const pre = fitPreprocessor(spec, fromRows([[0.5, 0.5]]));
 * assert.deepEqual(Array.from(transform(pre, fromRows([[0.2, NaN]])).data), [0.2, 0.5, 1, 0.1]);
 * ```
 */
export function transform(pre: FittedPreprocessor, x: Matrix, out?: Matrix): Matrix {
  const inputs = pre.inputFeatures.length;
  if (x.cols !== inputs) throw new RangeError(`expected ${inputs} input columns, got ${x.cols}`);
  const { indicatorIndex, interactionIndex } = columnIndex(pre);
  const width = pre.outputNames.length;
  if (out && (out.rows !== x.rows || out.cols !== width)) {
    throw new RangeError(`output must be ${x.rows} x ${width}, got ${out.rows} x ${out.cols}`);
  }
  out ??= matrix(x.rows, width);
  for (let i = 0; i < x.rows; i++) {
    const src = i * inputs;
    const dst = i * width;
    for (let j = 0; j < inputs; j++) {
      const v = x.data[src + j];
      out.data[dst + j] = v !== v ? pre.fill[j] : v;
    }
    let k = inputs;
    for (const j of indicatorIndex) {
      out.data[dst + k++] = x.data[src + j] !== x.data[src + j] ? 1 : 0;
    }
    for (const [a, b] of interactionIndex) {
      out.data[dst + k++] = out.data[dst + a] * out.data[dst + b];
    }
  }
  return out;
}
