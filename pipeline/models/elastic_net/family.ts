/**
 * The "elastic_net" family's entry: least squares with L1 and L2 penalties.
 *
 * @module
 */
import type { ModelFamily } from "../model_family.ts";
import { trainableFamily } from "../model_family.ts";
import { ELASTIC_NET, ElasticNetParamsSchema, loadElasticNet } from "./elastic_net_model.ts";

/** The elastic net: estimator (its fit code loaded on first use), params and loader. */
export const elasticNetFamily: ModelFamily = trainableFamily({
  name: ELASTIC_NET,
  estimator: () => import("./elastic_net.ts").then((m) => m.elasticNetEstimator),
  paramsSchema: ElasticNetParamsSchema,
  load: loadElasticNet,
});
