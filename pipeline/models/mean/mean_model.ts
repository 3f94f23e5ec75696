/**
 * What a "mean" baseline is, apart from how it is fitted: its family name, its (empty)
 * hyperparameters and how a fitted one is loaded.
 *
 * @module
 */
import { z } from "zod";
import { type ConstantRegressor, loadConstantModel } from "../constant/constant_model.ts";
import type { SerializedModel } from "../regressor.ts";

/** The family name of the mean baseline. */
export const MEAN = "mean";

/** The mean baseline has no hyperparameters. */
export const MeanParamsSchema = z.strictObject({});

/** Mean baseline hyperparameters (none). */
export type MeanParams = z.input<typeof MeanParamsSchema>;

/** Loads a serialised "mean" model. */
export function loadMeanBaseline(model: SerializedModel): ConstantRegressor {
  return loadConstantModel(model, MEAN);
}
