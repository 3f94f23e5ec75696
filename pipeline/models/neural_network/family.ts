/**
 * The "neural_network" family's entry: an MLP trained with tfjs, predicted without it.
 *
 * The estimator loads its training code (and so tfjs) on the first fit: the server and
 * the compiled binary, which only load models, never import tfjs. The specifier is
 * computed, and the module typed by hand, so that neither `deno compile` nor the
 * server's module graph includes the training code.
 *
 * @module
 */
import type { Matrix } from "../../core/matrix.ts";
import type { ModelFamily } from "../model_family.ts";
import { trainableFamily } from "../model_family.ts";
import type { Estimator } from "../regressor.ts";
import { loadNeuralNetwork, NEURAL_NETWORK } from "./neural_network_model.ts";
import { type NeuralNetworkParams, NeuralNetworkParamsSchema } from "./neural_network_params.ts";

const TRAINING_MODULE = new URL("./neural_network.ts", import.meta.url).href;

/** What the training module exports; `neural_network.ts` checks its estimator's type. */
interface TrainingModule {
  readonly neuralNetworkEstimator: Estimator<NeuralNetworkParams>;
}

const lazyEstimator: Estimator<NeuralNetworkParams> = {
  family: NEURAL_NETWORK,
  async fit(x: Matrix, y: Float64Array, params: NeuralNetworkParams, seed: number) {
    const training = await import(TRAINING_MODULE) as TrainingModule;
    return await training.neuralNetworkEstimator.fit(x, y, params, seed);
  },
};

/** The neural network: estimator, params and loader. */
export const neuralNetworkFamily: ModelFamily = trainableFamily({
  name: NEURAL_NETWORK,
  estimator: lazyEstimator,
  paramsSchema: NeuralNetworkParamsSchema,
  load: loadNeuralNetwork,
});
