/**
 * Explanations from a bundle: a raw contract row in, the model's base value, its output
 * and one contribution per contract feature out, with `base + Σ contributions` equal to
 * the output (to rounding).
 *
 * The model explains its own inputs (`../models/contributions.ts`); this maps them back
 * to the contract's raw features. A model input copied from one raw feature (after
 * median imputation: a missing value counts as its fill value) carries its contribution
 * to that feature one to one; a missing-value indicator's goes to its feature too; an
 * interaction product's is split equally between its two features. Contract features
 * the preprocessor drops get 0. Sampling standard errors of inputs that map to one
 * feature are added (a bound, as their errors may be correlated). A bundle's group offset
 * (`group_offsets.ts`) is added to the output and is its level feature's contribution.
 *
 * @module
 */
import { BundleError } from "./bundle_io.ts";
import type { ExplanationSection, ModelBundle } from "./bundle_schema.ts";
import { offsetOf } from "./group_offsets.ts";
import { type Matrix, matrix } from "../core/matrix.ts";
import { type FittedPreprocessor, transform } from "../features/preprocessor.ts";
import {
  explainerOf,
  type ExplanationData,
  ExplanationUnavailableError,
} from "../models/contributions.ts";
import type { Regressor, SerializedModel } from "../models/regressor.ts";

/** Preprocessed training rows kept in a bundle as the background of sampling explanations. */
export const BACKGROUND_ROWS = 32;

/** One row's explanation, over the contract's features in `bundle.features` order. */
export interface FeatureExplanation {
  /** The model's output with no feature known. */
  readonly base: number;
  /** The model's output for the row (unclipped): `base + Σ contributions`. */
  readonly output: number;
  /** One contribution per contract feature. */
  readonly contributions: Float64Array;
  /** Per feature, when the model's contributions are sampling estimates. */
  readonly standardError?: Float64Array;
}

/** Explains rows holding every contract feature (NaN = missing), in bundle order. */
export interface BundleExplainer {
  readonly featureNames: readonly string[];
  explain(row: Float64Array): FeatureExplanation;
}

/**
 * The bundle's explanation section, from the raw training `inputs` (columns of
 * `pre.inputFeatures`, NaN = missing): the mean of every preprocessed input and
 * {@linkcode BACKGROUND_ROWS} evenly spaced preprocessed rows.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fromRows } from "../core/matrix.ts";
 * import { fitPreprocessor } from "../features/preprocessor.ts";
 * import { explanationSection } from "./bundle_explainer.ts";
 *
 * const x = fromRows([[1], [NaN], [3]]);
 * const pre = fitPreprocessor({ inputFeatures: ["a"], indicators: ["a"], interactions: [] }, x);
 * const section = explanationSection(pre, x, 2);
 * assert.deepEqual(section.inputMean, [2, 1 / 3]); // the gap is filled with the median, 2
 * assert.deepEqual(section.background, [[1, 0], [3, 0]]);
 * ```
 */
export function explanationSection(
  pre: FittedPreprocessor,
  inputs: Matrix,
  rows = BACKGROUND_ROWS,
): ExplanationSection {
  const x = transform(pre, inputs);
  const inputMean = new Array<number>(x.cols).fill(0);
  for (let i = 0; i < x.rows; i++) {
    for (let j = 0; j < x.cols; j++) inputMean[j] += x.data[i * x.cols + j];
  }
  for (let j = 0; j < x.cols; j++) inputMean[j] /= x.rows;
  const take = Math.min(rows, x.rows);
  const background = Array.from({ length: take }, (_, k) => {
    const i = Math.floor(((k + 0.5) * x.rows) / take);
    return Array.from(x.data.subarray(i * x.cols, (i + 1) * x.cols));
  });
  return { inputMean, background };
}

/** For each model input, the contract features it derives from. */
function sourcesOf(pre: FittedPreprocessor, featureIndex: Map<string, number>): number[][] {
  const at = (name: string) => {
    const j = featureIndex.get(name);
    if (j === undefined) throw new BundleError(`bundle: model input "${name}" is not a feature`);
    return j;
  };
  return [
    ...pre.inputFeatures.map((name) => [at(name)]),
    ...pre.indicators.map((name) => [at(name)]),
    ...pre.interactions.map(([a, b]) => [at(a), at(b)]),
  ];
}

/**
 * Builds the explainer of `bundle`; `loadModel` turns its serialised model into a
 * regressor. Throws an {@linkcode ExplanationUnavailableError} when the bundle has no
 * explanation section or its model cannot be explained.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadModel } from "../models/load_model.ts";
 * import { openBundle } from "./bundle_io.ts";
 * import { createExplainer } from "./bundle_explainer.ts";
 *
 * const path = "examples/model_bundle.json";
 * const bundle = await openBundle(await Deno.readTextFile(path), path);
 * const explainer = createExplainer(bundle, loadModel);
 * const row = new Float64Array(bundle.features.length).fill(0.5);
 * const { base, output, contributions } = explainer.explain(row);
 * const sum = contributions.reduce((s, v) => s + v, base);
 * assert.ok(Math.abs(sum - output) < 1e-9); // local accuracy
 * assert.equal(contributions[bundle.features.length - 1], 0); // a feature the model drops
 * ```
 */
export function createExplainer(
  bundle: ModelBundle,
  loadModel: (model: SerializedModel) => Regressor,
): BundleExplainer {
  const section = bundle.explanation;
  if (!section) {
    throw new ExplanationUnavailableError(
      "this model bundle was written before explanations were added (it has no explanation " +
        "section); explanations need a model retrained by this version",
    );
  }
  const pre = bundle.preprocessor;
  const width = pre.outputNames.length;
  if (section.inputMean.length !== width || section.background.some((r) => r.length !== width)) {
    throw new BundleError(`bundle: the explanation section is not of ${width} model inputs`);
  }
  const featureNames = bundle.features.map((f) => f.name);
  const featureIndex = new Map(featureNames.map((name, j) => [name, j]));
  const inputIndex = pre.inputFeatures.map((name) => featureIndex.get(name) ?? -1);
  const sources = sourcesOf(pre, featureIndex);
  const data: ExplanationData = {
    inputMean: section.inputMean,
    background: matrix(
      section.background.length,
      width,
      Float64Array.from(section.background.flat()),
    ),
  };
  const explainRow = explainerOf(loadModel(bundle.model as SerializedModel), data);
  // A row's group offset is its level feature's whole contribution: no level, no offset.
  const offsets = bundle.groupOffsets;
  const offsetColumn = offsets ? featureIndex.get(offsets.feature) ?? -1 : -1;
  const inputs = matrix(1, inputIndex.length);
  const transformed = matrix(1, width);
  return {
    featureNames,
    explain(row: Float64Array): FeatureExplanation {
      if (row.length !== featureNames.length) {
        throw new RangeError(`expected ${featureNames.length} features, got ${row.length}`);
      }
      for (let k = 0; k < inputIndex.length; k++) inputs.data[k] = row[inputIndex[k]];
      transform(pre, inputs, transformed);
      const model = explainRow(transformed.data);
      const contributions = new Float64Array(featureNames.length);
      const se = model.standardError && new Float64Array(featureNames.length);
      sources.forEach((from, c) => {
        for (const j of from) {
          contributions[j] += model.values[c] / from.length;
          if (se) se[j] += model.standardError![c] / from.length;
        }
      });
      const offset = offsets && offsetColumn >= 0 ? offsetOf(offsets, row[offsetColumn]) : 0;
      if (offsetColumn >= 0) contributions[offsetColumn] += offset;
      return {
        base: model.base,
        output: model.prediction + offset,
        contributions,
        ...(se ? { standardError: se } : {}),
      };
    },
  };
}
