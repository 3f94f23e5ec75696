/**
 * `GET /model/info`: what is being served (identity, family, metrics, feature schema,
 * training time, checksum) and the last failed reload, if any.
 *
 * @module
 */
import { Hono } from "hono";
import type { ModelInfoResponse } from "../../contract/api_schemas.ts";
import type { AppDeps, ServeEnv } from "../app_env.ts";
import type { ModelHolder } from "../../model/model_slot.ts";
import type { ServedModel } from "../../model/served_model.ts";
import { notReady } from "./not_ready.ts";

/** The `/model/info` body for a served model. */
export function modelInfo(model: ServedModel, slot: ModelHolder): ModelInfoResponse {
  const { identity, bundle } = model;
  return {
    name: identity.name,
    version: identity.version,
    alias: identity.alias ?? null,
    family: bundle.family,
    origin: identity.origin,
    source: slot.sourceUri,
    location: identity.location,
    target: bundle.target,
    trainedAt: bundle.provenance.trainedAt,
    trainingRows: bundle.provenance.trainingRows,
    checksum: bundle.checksum,
    loadedAt: model.loadedAt,
    metrics: bundle.metrics,
    features: bundle.features,
    lastReloadError: slot.lastError ?? null,
  };
}

/** The model information route. */
export function modelInfoRoutes(deps: AppDeps): Hono<ServeEnv> {
  return new Hono<ServeEnv>().get("/model/info", (c) => {
    const model = deps.slot.model;
    return model ? c.json(modelInfo(model, deps.slot)) : notReady(c, deps.slot);
  });
}
