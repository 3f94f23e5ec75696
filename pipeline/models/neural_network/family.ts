/**
 * The "neural_network" family's entry: an MLP trained with tfjs, predicted without it.
 *
 * Unlike the other families' estimators, this one is imported by a computed specifier
 * and typed by hand: a literal `import("./neural_network.ts")` would make `deno compile`
 * embed tfjs (140 MB of npm packages) in the server's binary, which never trains.
 *
 * @module
 */
import type { Estimator } from "../regressor.ts";
import type { ModelFamily } from "../model_family.ts";
import { trainableFamily } from "../model_family.ts";
import { loadNeuralNetwork, NEURAL_NETWORK } from "./neural_network_model.ts";
import { type NeuralNetworkParams, NeuralNetworkParamsSchema } from "./neural_network_params.ts";

const TRAINING_MODULE = new URL("./neural_network.ts", import.meta.url).href;

/** What the training module exports; `neural_network.ts` checks its estimator's type. */
interface TrainingModule {
  readonly neuralNetworkEstimator: Estimator<NeuralNetworkParams>;
}

/** The neural network: estimator (its fit code and tfjs loaded on first use), params and loader. */
export const neuralNetworkFamily: ModelFamily = trainableFamily({
  name: NEURAL_NETWORK,
  estimator: async () => ((await import(TRAINING_MODULE)) as TrainingModule).neuralNetworkEstimator,
  paramsSchema: NeuralNetworkParamsSchema,
  load: loadNeuralNetwork,
});
