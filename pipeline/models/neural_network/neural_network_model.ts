/**
 * A fitted "neural_network": input standardisation, an {@link Mlp} and the target's
 * scale, all plain numbers. Loading and predicting run in plain TypeScript, so a
 * server can use a trained network without tfjs.
 *
 * @module
 */
import { z } from "zod";
import { type Matrix, matrix } from "../../core/matrix.ts";
import { assertNoMissing } from "../assert_no_missing.ts";
import { ACTIVATIONS, type Mlp, mlpPredictor, type TrainingHistory } from "./mlp.ts";
import { checkSerialized, type Regressor, type SerializedModel } from "../regressor.ts";
import { type Standardization, standardize } from "./standardization.ts";
import { samplingShapleyExplainer } from "./sampling_shapley.ts";

/** The family name under which neural networks are registered and serialised. */
export const NEURAL_NETWORK = "neural_network";

const FORMAT_VERSION = 1;

const DenseLayerSchema = z.object({
  inputs: z.number().int().positive(),
  outputs: z.number().int().positive(),
  weights: z.array(z.number()),
  bias: z.array(z.number()),
}).refine((l) => l.weights.length === l.inputs * l.outputs && l.bias.length === l.outputs, {
  message: "layer weights or bias do not match its inputs x outputs",
});

const StateSchema = z.object({
  inputs: z.object({ mean: z.array(z.number()), scale: z.array(z.number()) }),
  target: z.object({ mean: z.number(), scale: z.number() }),
  network: z.object({
    activation: z.enum(ACTIVATIONS),
    layers: z.array(DenseLayerSchema).min(1),
  }),
  history: z.object({
    epochs: z.number().int(),
    bestEpoch: z.number().int(),
    trainLoss: z.array(z.number()),
    validationLoss: z.array(z.number()),
  }),
});

/** Everything a fitted network consists of. */
export interface NeuralNetworkState {
  /** Input centring and scaling, from the training rows. */
  readonly inputs: Standardization;
  /** The network predicts `(y - mean) / scale`. */
  readonly target: { readonly mean: number; readonly scale: number };
  /** The trained network, on standardised inputs and target. */
  readonly network: Mlp;
  /** How training went. */
  readonly history: TrainingHistory;
}

/** A fitted network, with the per-epoch record of its training. */
export interface NeuralNetworkRegressor extends Regressor {
  /** Losses per epoch and the epoch whose weights were kept. */
  readonly history: TrainingHistory;
}

/** Wraps a network state as a {@link Regressor}. */
export function neuralNetworkRegressor(state: NeuralNetworkState): NeuralNetworkRegressor {
  const features = state.inputs.mean.length;
  const forward = mlpPredictor(state.network);
  // Reused for single rows, as a server predicts them: prediction is synchronous and
  // keeps nothing, and each fresh typed array is a backing store for the GC to sweep.
  const oneRow = matrix(1, features);
  const model: NeuralNetworkRegressor = {
    family: NEURAL_NETWORK,
    history: state.history,
    predict(x: Matrix): Float64Array {
      if (x.cols !== features) {
        throw new RangeError(`neural_network was fitted on ${features} features, got ${x.cols}`);
      }
      assertNoMissing(x, NEURAL_NETWORK);
      const out = forward(standardize(x, state.inputs, x.rows === 1 ? oneRow : undefined)).data;
      for (let i = 0; i < out.length; i++) out[i] = out[i] * state.target.scale + state.target.mean;
      return out;
    },
    serialize: () => ({ family: NEURAL_NETWORK, formatVersion: FORMAT_VERSION, state }),
    // Sampled Shapley values against background rows: exact in sum, with an error bound.
    explainer: (data) => samplingShapleyExplainer(state, (x) => model.predict(x), data),
  };
  return model;
}

/** Restores a network from `serialize()` output; does not load tfjs. */
export function loadNeuralNetwork(model: SerializedModel): NeuralNetworkRegressor {
  checkSerialized(model, NEURAL_NETWORK, FORMAT_VERSION);
  return neuralNetworkRegressor(StateSchema.parse(model.state));
}
