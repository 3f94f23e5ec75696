/**
 * The hyperparameters of the "neural_network" family, apart from its training code so
 * that validating them (and loading a fitted network) never loads tfjs.
 *
 * @module
 */
import { z } from "zod";
import { ACTIVATIONS } from "./mlp.ts";

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
