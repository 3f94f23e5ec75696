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

/** Applies the network to every row of `x`; returns a `rows x outputs` matrix. */
export function mlpForward(net: Mlp, x: Matrix): Matrix {
  const act = ACTIVATION_FUNCTIONS[net.activation];
  let h = x;
  net.layers.forEach((layer, k) => {
    if (h.cols !== layer.inputs) {
      throw new RangeError(`layer ${k} expects ${layer.inputs} inputs, got ${h.cols}`);
    }
    const hidden = k < net.layers.length - 1;
    const out = matrix(h.rows, layer.outputs);
    for (let i = 0; i < h.rows; i++) {
      for (let o = 0; o < layer.outputs; o++) {
        let sum = layer.bias[o];
        for (let j = 0; j < layer.inputs; j++) {
          sum += h.data[i * layer.inputs + j] * layer.weights[j * layer.outputs + o];
        }
        out.data[i * layer.outputs + o] = hidden ? act(sum) : sum;
      }
    }
    h = out;
  });
  return h;
}
