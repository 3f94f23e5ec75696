/**
 * The "neural_network" family: an MLP trained with tfjs on the wasm backend, on inputs
 * and target standardised with training-row statistics that the model keeps. Inputs
 * must be imputed. Prediction needs no tfjs (see `neural_network_model.ts`).
 *
 * @module
 */
import { z } from "zod";
import { type Matrix, matrix } from "../core/matrix.ts";
import { assertNoMissing } from "./assert_no_missing.ts";
import { ACTIVATIONS } from "./mlp.ts";
import { trainMlp } from "./mlp_training.ts";
import {
  NEURAL_NETWORK,
  type NeuralNetworkRegressor,
  neuralNetworkRegressor,
} from "./neural_network_model.ts";
import type { Estimator } from "./regressor.ts";
import { fitStandardization, standardize } from "./standardization.ts";

/**
 * Hyperparameters of the network and of its training. The defaults (one small, strongly
 * regularised layer) beat a wider two-layer network on this data set's folds; see
 * bench/neural_network_cv.ts.
 */
export const NeuralNetworkParamsSchema = z.strictObject({
  /** Units per hidden layer, input side first. */
  hiddenLayers: z.array(z.number().int().positive()).default([32]),
  /** Applied after every hidden layer. */
  activation: z.enum(ACTIVATIONS).default("relu"),
  /** Share of hidden units dropped at each training step. */
  dropout: z.number().min(0).lt(1).default(0.3),
  /** Penalty on the sum of squared weights. */
  l2: z.number().min(0).default(0.01),
  /** Adam's step size. */
  learningRate: z.number().positive().default(1e-3),
  /** Most passes over the training rows. */
  epochs: z.number().int().positive().default(200),
  /** Rows per gradient step. */
  batchSize: z.number().int().positive().default(32),
  /** Share of rows held out for early stopping; 0 disables it. */
  validationFraction: z.number().min(0).lt(1).default(0.1),
  /** Epochs without a better validation loss before stopping (best weights are kept). */
  patience: z.number().int().positive().default(20),
});

/** Neural network hyperparameters as accepted by `fit` (defaults filled in). */
export type NeuralNetworkParams = z.input<typeof NeuralNetworkParamsSchema>;

/** Fits a network; `seed` fixes initial weights, validation split, shuffling and dropout. */
export const neuralNetworkEstimator = {
  family: NEURAL_NETWORK,
  async fit(
    x: Matrix,
    y: Float64Array,
    params: NeuralNetworkParams,
    seed: number,
  ): Promise<NeuralNetworkRegressor> {
    const options = NeuralNetworkParamsSchema.parse(params);
    assertNoMissing(x, NEURAL_NETWORK);
    if (y.length !== x.rows) throw new RangeError(`y has ${y.length} values for ${x.rows} rows`);
    const inputs = fitStandardization(x);
    const targetStats = fitStandardization(matrix(y.length, 1, y));
    const target = { mean: targetStats.mean[0], scale: targetStats.scale[0] };
    const scaledY = y.map((v) => (v - target.mean) / target.scale);
    const { network, history } = await trainMlp(standardize(x, inputs), scaledY, options, seed);
    return neuralNetworkRegressor({ inputs, target, network, history });
  },
} satisfies Estimator<NeuralNetworkParams>;
