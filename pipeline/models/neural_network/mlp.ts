/**
 * A multilayer perceptron as plain data, its training record, and its forward pass in
 * plain TypeScript: what a fitted neural network needs at prediction time, without tfjs.
 *
 * @module
 */
import { type Matrix, matrix } from "../../core/matrix.ts";

/** The hidden-layer activations that both training and the plain forward pass implement. */
export const ACTIVATIONS = ["relu", "tanh", "sigmoid", "elu"] as const;

/** A hidden-layer activation function name. */
export type Activation = typeof ACTIVATIONS[number];

/** A fully connected layer: `weights` is row-major `inputs x outputs`. */
export interface DenseLayer {
  /** Width of the layer's input. */
  readonly inputs: number;
  /** Number of units. */
  readonly outputs: number;
  /** `inputs * outputs` values; the weight from input j to unit o is at `j * outputs + o`. */
  readonly weights: readonly number[];
  /** One value per unit. */
  readonly bias: readonly number[];
}

/** Dense layers applied in order; every layer but the last is followed by `activation`. */
export interface Mlp {
  /** Applied after every hidden layer. */
  readonly activation: Activation;
  /** Input side first; the last one is the linear output layer. */
  readonly layers: readonly DenseLayer[];
}

/**
 * What happened during training, per epoch, on the scale of the targets given; the
 * training loss includes dropout and the L2 penalty, the validation loss neither.
 */
export interface TrainingHistory {
  /** Epochs run before stopping. */
  readonly epochs: number;
  /** The epoch (1-based) whose weights were kept; 0 if none beat the initial ones. */
  readonly bestEpoch: number;
  /** Mean training loss of each epoch. */
  readonly trainLoss: readonly number[];
  /** Validation mean squared error after each epoch; empty without validation rows. */
  readonly validationLoss: readonly number[];
}

/** Each activation as a function, shared by the forward pass and its explanations. */
export const ACTIVATION_FUNCTIONS: Record<Activation, (v: number) => number> = {
  relu: (v) => v > 0 ? v : 0,
  tanh: Math.tanh,
  sigmoid: (v) => 1 / (1 + Math.exp(-v)),
  elu: (v) => v > 0 ? v : Math.expm1(v),
};

/** A layer with its weights transposed to unit-major order for the forward pass. */
interface PreparedLayer {
  readonly inputs: number;
  readonly outputs: number;
  /** Weight from input j to unit o at `o * inputs + j`: each unit reads a contiguous run. */
  readonly weights: Float64Array;
  readonly bias: Float64Array;
}

/**
 * Prepares a network for repeated forward passes and returns the pass: weights are
 * copied once into typed arrays, and rows go through the layers in reused buffers.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fromRows } from "../../core/matrix.ts";
 * import { type Mlp, mlpPredictor } from "./mlp.ts";
 *
 * const net: Mlp = {
 *   activation: "relu",
 *   layers: [
 *     { inputs: 2, outputs: 2, weights: [1, -1, 1, -1], bias: [0, 0] },
 *     { inputs: 2, outputs: 1, weights: [1, 1], bias: [0.5] },
 *   ],
 * };
 * const forward = mlpPredictor(net);
 * // Hidden: relu(1 + 2) = 3 and relu(-1 - 2) = 0; output: 3 + 0 + 0.5.
 * assert.deepEqual(forward(fromRows([[1, 2]])), fromRows([[3.5]])); // rows x outputs
 * ```
 */
export function mlpPredictor(net: Mlp): (x: Matrix) => Matrix {
  const act = ACTIVATION_FUNCTIONS[net.activation];
  const layers: PreparedLayer[] = net.layers.map((layer, k) => {
    const previous = k > 0 ? net.layers[k - 1].outputs : layer.inputs;
    if (layer.inputs !== previous) {
      throw new RangeError(`layer ${k} expects ${layer.inputs} inputs, got ${previous}`);
    }
    const weights = new Float64Array(layer.inputs * layer.outputs);
    for (let j = 0; j < layer.inputs; j++) {
      for (let o = 0; o < layer.outputs; o++) {
        weights[o * layer.inputs + j] = layer.weights[j * layer.outputs + o];
      }
    }
    return {
      inputs: layer.inputs,
      outputs: layer.outputs,
      weights,
      bias: Float64Array.from(layer.bias),
    };
  });
  const widest = Math.max(...layers.map((l) => l.outputs));
  let current = new Float64Array(widest);
  let next = new Float64Array(widest);
  const block = new Float64Array(4 * layers[0].outputs);
  const last = layers[layers.length - 1];
  return (x: Matrix): Matrix => {
    if (x.cols !== layers[0].inputs) {
      throw new RangeError(`layer 0 expects ${layers[0].inputs} inputs, got ${x.cols}`);
    }
    const out = matrix(x.rows, last.outputs);
    let i = 0;
    if (layers.length > 1) {
      // Four rows at a time through the first layer: each weight is loaded once for all
      // four, which roughly halves the loads of the widest product.
      for (; i + 4 <= x.rows; i += 4) {
        firstLayerOfFour(layers[0], act, x.data, i * x.cols, block);
        for (let r = 0; r < 4; r++) restOfRow(block, r * layers[0].outputs, i + r, 1);
      }
    }
    for (; i < x.rows; i++) restOfRow(x.data, i * x.cols, i, 0);
    return out;

    /** Runs row `row` from layer `from` on; that layer's input is in `input` from `offset`. */
    function restOfRow(input: Float64Array, offset: number, row: number, from: number): void {
      for (let k = from; k < layers.length; k++) {
        const { inputs, outputs, weights, bias } = layers[k];
        const hidden = k < layers.length - 1;
        const target = hidden ? next : out.data;
        const base = hidden ? 0 : row * outputs;
        for (let o = 0; o < outputs; o++) {
          const sum = dot(bias[o], input, offset, weights, o * inputs, inputs);
          target[base + o] = hidden ? act(sum) : sum;
        }
        if (hidden) {
          [current, next] = [next, current];
          input = current;
          offset = 0;
        }
      }
    }
  };
}

/** The first (hidden) layer's activations for the four rows of `x` from `offset`. */
function firstLayerOfFour(
  layer: PreparedLayer,
  act: (v: number) => number,
  x: Float64Array,
  offset: number,
  out: Float64Array,
): void {
  const { inputs, outputs, weights, bias } = layer;
  const r1 = offset + inputs, r2 = r1 + inputs, r3 = r2 + inputs;
  for (let o = 0; o < outputs; o++) {
    let s0 = bias[o], s1 = bias[o], s2 = bias[o], s3 = bias[o];
    for (let j = 0, w = o * inputs; j < inputs; j++, w++) {
      const weight = weights[w];
      s0 += x[offset + j] * weight;
      s1 += x[r1 + j] * weight;
      s2 += x[r2 + j] * weight;
      s3 += x[r3 + j] * weight;
    }
    out[o] = act(s0);
    out[outputs + o] = act(s1);
    out[2 * outputs + o] = act(s2);
    out[3 * outputs + o] = act(s3);
  }
}

/**
 * `start` plus the dot product of `n` values of `a` from `i` and of `b` from `k`, summed
 * in index order: the same order as {@linkcode firstLayerOfFour}, so a row's prediction
 * does not depend on the rows it is batched with.
 */
function dot(
  start: number,
  a: Float64Array,
  i: number,
  b: Float64Array,
  k: number,
  n: number,
): number {
  let sum = start;
  for (let j = 0; j < n; j++) sum += a[i + j] * b[k + j];
  return sum;
}

/** Applies the network to every row of `x`; returns a `rows x outputs` matrix. */
export function mlpForward(net: Mlp, x: Matrix): Matrix {
  return mlpPredictor(net)(x);
}
