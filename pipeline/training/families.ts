/**
 * The trainable model families: each family's estimator and the zod schema of its
 * hyperparameters. Training code looks families up here; serving uses load_model.ts.
 *
 * @module
 */
import type { z } from "zod";
import { parseWith } from "../config/schema_error.ts";
import { elasticNetEstimator, ElasticNetParamsSchema } from "../models/elastic_net.ts";
import { gbmEstimator, GbmParamsSchema } from "../models/gbm/mod.ts";
import { lassoEstimator, LassoParamsSchema } from "../models/lasso.ts";
import { neuralNetworkEstimator, NeuralNetworkParamsSchema } from "../models/neural_network.ts";
import { meanEstimator, MeanParamsSchema } from "../models/mean_baseline.ts";
import { medianEstimator, MedianParamsSchema } from "../models/median_baseline.ts";
import { olsEstimator, OlsParamsSchema } from "../models/ols.ts";
import { randomForestEstimator, RandomForestParamsSchema } from "../models/random_forest.ts";
import type { Estimator } from "../models/regressor.ts";
import { ridgeEstimator, RidgeParamsSchema } from "../models/ridge.ts";

/** A trainable family: how to fit it and how to validate its hyperparameters. */
export interface Family {
  readonly estimator: Estimator<Record<string, unknown>>;
  readonly schema: z.ZodType;
}

function family<P>(estimator: Estimator<P>, schema: z.ZodType): Family {
  return { estimator: estimator as unknown as Estimator<Record<string, unknown>>, schema };
}

/** Every trainable family by name. */
export const FAMILIES: Readonly<Record<string, Family>> = {
  mean: family(meanEstimator, MeanParamsSchema),
  median: family(medianEstimator, MedianParamsSchema),
  ols: family(olsEstimator, OlsParamsSchema),
  ridge: family(ridgeEstimator, RidgeParamsSchema),
  lasso: family(lassoEstimator, LassoParamsSchema),
  elastic_net: family(elasticNetEstimator, ElasticNetParamsSchema),
  gbm: family(gbmEstimator, GbmParamsSchema),
  random_forest: family(randomForestEstimator, RandomForestParamsSchema),
  neural_network: family(neuralNetworkEstimator, NeuralNetworkParamsSchema),
};

/** Looks a family up, naming the known ones when `name` is not among them. */
export function getFamily(name: string, source: string): Family {
  const found = FAMILIES[name];
  if (!found) {
    throw new Error(
      `${source}: unknown family "${name}" (known: ${Object.keys(FAMILIES).join(", ")})`,
    );
  }
  return found;
}

/** Validates hyperparameters with the family's schema; `source` names them in errors. */
export function parseFamilyParams(
  name: string,
  params: unknown,
  source: string,
): Record<string, unknown> {
  return parseWith(getFamily(name, source).schema, params, source) as Record<string, unknown>;
}
