/**
 * Shapley values of a neural network by antithetic permutation sampling (Štrumbelj and
 * Kononenko 2014; Mitchell et al. 2022 for the antithetic pairs), interventional, with
 * a fixed background sample of training rows.
 *
 * Why sampling and not integrated gradients: integrated gradients' contributions sum to
 * the prediction minus the base only in the limit of its path integral (a Riemann sum
 * leaves an error that is not bounded by anything reported), while each sampled
 * permutation's marginal contributions telescope: for permutation `π` and background
 * row `b`, walking the features in `π`'s order and switching each from `b`'s value to
 * the row's adds up to exactly `f(x) - f(b)`. Averaging over permutations that use every
 * background row equally often keeps that property: the contributions sum to `f(x)`
 * minus the mean prediction over the background rows (the base value), to rounding.
 *
 * The estimand is the interventional Shapley value against the background rows (the
 * mean over `b` of the Shapley values of `S ↦ f(x_S, b_rest)`). Each unit of the
 * estimate is a pair `(π, reverse π)` on one background row, and every background row
 * gets the same number `r` of pairs (a stratified sample): the estimate is the mean over
 * rows of each row's mean over its pairs, and its standard error is
 * `√(Σ_b s_b² / r) / K` with `s_b²` the sample variance of row `b`'s pairs and `K` the
 * number of rows. By the central limit theorem the exact value lies within
 * `1.96 · standardError` of the estimate about 95 % of the time
 * (`tests/models/neural_network/sampling_shapley_test.ts` checks that coverage against
 * brute force on a small network).
 *
 * The walk updates only the first layer's pre-activations when a feature switches (one
 * column of weights), so a step costs the width of the network, not a full forward pass.
 *
 * @module
 */
import { type Matrix, matrix } from "../../core/matrix.ts";
import { permutation, seededRandom } from "../../core/random.ts";
import type { Contributions, ExplanationData, RowExplainer } from "../contributions.ts";
import { ACTIVATION_FUNCTIONS } from "./mlp.ts";
import type { NeuralNetworkState } from "./neural_network_model.ts";

/**
 * How many antithetic pairs of permutations each background row gets, by default: with
 * the bundle's 32 background rows, 256 permutations per explanation.
 */
export const DEFAULT_PAIRS_PER_ROW = 4;

/** Options of {@linkcode samplingShapleyExplainer}. */
export interface SamplingOptions {
  /** Antithetic pairs per background row, at least 2 (the cost is linear in it). */
  readonly pairsPerRow?: number;
  /** Seed of the permutations: the same row gets the same explanation. */
  readonly seed?: number;
}

/**
 * The sampling explainer of the network `state`, whose exact predictions come from
 * `predict` (the model's own, on model inputs).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fromRows, matrix } from "../../core/matrix.ts";
 * import { neuralNetworkRegressor } from "./neural_network_model.ts";
 * import { samplingShapleyExplainer } from "./sampling_shapley.ts";
 *
 * const state = {
 *   inputs: { mean: [0, 0], scale: [1, 1] },
 *   target: { mean: 0, scale: 1 },
 *   network: {
 *     activation: "relu" as const,
 *     layers: [
 *       { inputs: 2, outputs: 2, weights: [1, 0, 0, 1], bias: [0, 0] },
 *       { inputs: 2, outputs: 1, weights: [1, 2], bias: [0] },
 *     ],
 *   },
 *   history: { epochs: 0, bestEpoch: 0, trainLoss: [], validationLoss: [] },
 * };
 * const model = neuralNetworkRegressor(state); // relu(a) + 2 relu(b): additive
 * const background = fromRows([[0, 0], [1, 1]]);
 * const explain = samplingShapleyExplainer(state, model.predict, { inputMean: [], background });
 * const { base, prediction, values, standardError } = explain(Float64Array.of(2, 1));
 * assert.deepEqual([base, prediction, [...values]], [1.5, 4, [1.5, 1]]); // exact here
 * assert.deepEqual([...standardError!], [0, 0]); // an additive model has no sampling error
 * ```
 */
export function samplingShapleyExplainer(
  state: NeuralNetworkState,
  predict: (x: Matrix) => Float64Array,
  data: ExplanationData,
  options: SamplingOptions = {},
): RowExplainer {
  const { network, inputs: standard, target } = state;
  const p = standard.mean.length;
  const bg = data.background;
  if (bg.cols !== p || bg.rows === 0) {
    throw new RangeError(`need background rows of ${p} inputs, got ${bg.rows} x ${bg.cols}`);
  }
  const pairsPerRow = options.pairsPerRow ?? DEFAULT_PAIRS_PER_ROW;
  if (!Number.isInteger(pairsPerRow) || pairsPerRow < 2) {
    // One pair per row would leave no within-row variance to estimate the error from.
    throw new RangeError(`pairsPerRow must be an integer of at least 2, got ${pairsPerRow}`);
  }
  const seed = options.seed ?? 0;
  const act = ACTIVATION_FUNCTIONS[network.activation];
  const [first, ...hidden] = network.layers;
  // Typed copies of the later layers: the head runs once per step of every walk.
  const rest = hidden.map((l) => ({
    inputs: l.inputs,
    outputs: l.outputs,
    weights: Float64Array.from(l.weights),
    bias: Float64Array.from(l.bias),
  }));
  const width = first.outputs;
  // First-layer weights on raw model inputs: standardising is linear, so it folds in.
  const w = new Float64Array(p * width);
  for (let j = 0; j < p; j++) {
    for (let o = 0; o < width; o++) {
      w[j * width + o] = first.weights[j * width + o] / standard.scale[j];
    }
  }
  const preActivation = (x: Float64Array, offset: number, out: Float64Array, at: number) => {
    for (let o = 0; o < width; o++) {
      let sum = first.bias[o];
      for (let j = 0; j < p; j++) {
        sum += first.weights[j * width + o] * (x[offset + j] - standard.mean[j]) /
          standard.scale[j];
      }
      out[at + o] = sum;
    }
  };
  const widest = Math.max(width, ...rest.map((l) => l.outputs));
  let a = new Float64Array(widest), b = new Float64Array(widest);
  /** The prediction from first-layer pre-activations `h`. */
  const head = (h: Float64Array): number => {
    if (rest.length === 0) return h[0] * target.scale + target.mean;
    for (let o = 0; o < width; o++) a[o] = act(h[o]);
    for (let k = 0; k < rest.length; k++) {
      const layer = rest[k];
      const hidden = k < rest.length - 1;
      for (let o = 0; o < layer.outputs; o++) {
        let sum = layer.bias[o];
        for (let j = 0; j < layer.inputs; j++) sum += a[j] * layer.weights[j * layer.outputs + o];
        b[o] = hidden ? act(sum) : sum;
      }
      [a, b] = [b, a];
    }
    return a[0] * target.scale + target.mean;
  };

  const K = bg.rows;
  const backgroundPrediction = predict(bg);
  let total = 0;
  for (let k = 0; k < K; k++) total += backgroundPrediction[k];
  const base = total / K;
  const backgroundHidden = new Float64Array(K * width);
  for (let k = 0; k < K; k++) preActivation(bg.data, k * p, backgroundHidden, k * width);
  const pairs = K * pairsPerRow;
  const h = new Float64Array(width);
  const one = matrix(1, p);

  return (row: Float64Array): Contributions => {
    if (row.length !== p) throw new RangeError(`expected ${p} inputs, got ${row.length}`);
    one.data.set(row);
    const fx = predict(one)[0];
    const rng = seededRandom(seed);
    const units = new Float64Array(pairs * p);
    /** Adds half of each marginal contribution along `order` (forwards or not) to `unit`. */
    const walk = (k: number, order: Int32Array, forwards: boolean, unit: number) => {
      h.set(backgroundHidden.subarray(k * width, (k + 1) * width));
      let previous = backgroundPrediction[k];
      for (let t = 0; t < p; t++) {
        const j = order[forwards ? t : p - 1 - t];
        const delta = row[j] - bg.data[k * p + j];
        let current = previous;
        if (t === p - 1) {
          current = fx; // the walk ends at the row itself: its exact prediction
        } else if (delta !== 0) {
          for (let o = 0; o < width; o++) h[o] += w[j * width + o] * delta;
          current = head(h);
        }
        units[unit + j] += (current - previous) / 2;
        previous = current;
      }
    };
    for (let pair = 0; pair < pairs; pair++) {
      const order = permutation(p, rng);
      const k = pair % K;
      walk(k, order, true, pair * p);
      walk(k, order, false, pair * p);
    }
    const values = new Float64Array(p);
    const standardError = new Float64Array(p);
    for (let j = 0; j < p; j++) {
      let sum = 0, variance = 0;
      for (let k = 0; k < K; k++) {
        // Pairs k, k + K, k + 2K, ... used background row k.
        let rowSum = 0;
        for (let s = k; s < pairs; s += K) rowSum += units[s * p + j];
        const rowMean = rowSum / pairsPerRow;
        let squares = 0;
        for (let s = k; s < pairs; s += K) squares += (units[s * p + j] - rowMean) ** 2;
        sum += rowSum;
        variance += squares / (pairsPerRow - 1) / pairsPerRow;
      }
      values[j] = sum / pairs;
      standardError[j] = Math.sqrt(variance) / K;
    }
    return { base, prediction: fx, values, standardError };
  };
}
