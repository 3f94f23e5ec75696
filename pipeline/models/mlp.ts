/**
 * A multilayer perceptron as plain data, its training record, and its forward pass in
 * plain TypeScript: what a fitted neural network needs at prediction time, without tfjs.
 *
 * @module
 */
import { type Matrix, matrix } from "../core/matrix.ts";

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

const ACTIVATION_FUNCTIONS: Record<Activation, (v: number) => number> = {
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
 * const forward = mlpPredictor(net);
 * const y = forward(x); // rows x outputs
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
  const last = layers[layers.length - 1];
  return (x: Matrix): Matrix => {
    if (x.cols !== layers[0].inputs) {
      throw new RangeError(`layer 0 expects ${layers[0].inputs} inputs, got ${x.cols}`);
    }
    const out = matrix(x.rows, last.outputs);
    for (let i = 0; i < x.rows; i++) {
      let input = x.data;
      let offset = i * x.cols;
      for (let k = 0; k < layers.length; k++) {
        const { inputs, outputs, weights, bias } = layers[k];
        const hidden = k < layers.length - 1;
        const target = hidden ? next : out.data;
        const base = hidden ? 0 : i * outputs;
        for (let o = 0; o < outputs; o++) {
          const sum = bias[o] + dot(input, offset, weights, o * inputs, inputs);
          target[base + o] = hidden ? act(sum) : sum;
        }
        if (hidden) {
          [current, next] = [next, current];
          input = current;
          offset = 0;
        }
      }
    }
    return out;
  };
}

/**
 * The dot product of `n` values of `a` from `i` and of `b` from `k`, in four running
 * sums: one sum waits on each addition, four keep the floating-point adder busy.
 */
function dot(a: Float64Array, i: number, b: Float64Array, k: number, n: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    s0 += a[i + j] * b[k + j];
    s1 += a[i + j + 1] * b[k + j + 1];
    s2 += a[i + j + 2] * b[k + j + 2];
    s3 += a[i + j + 3] * b[k + j + 3];
  }
  for (; j < n; j++) s0 += a[i + j] * b[k + j];
  return (s0 + s1) + (s2 + s3);
}

/** Applies the network to every row of `x`; returns a `rows x outputs` matrix. */
export function mlpForward(net: Mlp, x: Matrix): Matrix {
  return mlpPredictor(net)(x);
}
