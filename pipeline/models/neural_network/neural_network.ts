/**
 * The "neural_network" family: an MLP trained with tfjs on the wasm backend, on inputs
 * and target standardised with training-row statistics that the model keeps. Inputs
 * must be imputed. Prediction needs no tfjs (see `neural_network_model.ts`).
 *
 * @module
 */
import { type Matrix, matrix } from "../../core/matrix.ts";
import { assertNoMissing } from "../assert_no_missing.ts";
import { trainMlp } from "./mlp_training.ts";
import {
  NEURAL_NETWORK,
  type NeuralNetworkRegressor,
  neuralNetworkRegressor,
} from "./neural_network_model.ts";
import type { Estimator } from "../regressor.ts";
import { fitStandardization, standardize } from "./standardization.ts";
import { type NeuralNetworkParams, NeuralNetworkParamsSchema } from "./neural_network_params.ts";

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
