/**
 * The "elastic_net" family's entry: least squares with L1 and L2 penalties.
 *
 * @module
 */
import type { ModelFamily } from "../model_family.ts";
import { trainableFamily } from "../model_family.ts";
import {
  ELASTIC_NET,
  elasticNetEstimator,
  ElasticNetParamsSchema,
  loadElasticNet,
} from "./elastic_net.ts";

/** The elastic net: estimator, params and loader. */
export const elasticNetFamily: ModelFamily = trainableFamily({
  name: ELASTIC_NET,
  estimator: elasticNetEstimator,
  paramsSchema: ElasticNetParamsSchema,
  load: loadElasticNet,
});
