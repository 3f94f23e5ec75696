/**
 * What a "median" baseline is, apart from how it is fitted: its family name, its
 * (empty) hyperparameters and how a fitted one is loaded.
 *
 * @module
 */
import { z } from "zod";
import { type ConstantRegressor, loadConstantModel } from "../constant/constant_model.ts";
import type { SerializedModel } from "../regressor.ts";

/** The family name of the median baseline. */
export const MEDIAN = "median";

/** The median baseline has no hyperparameters. */
export const MedianParamsSchema = z.strictObject({});

/** Median baseline hyperparameters (none). */
export type MedianParams = z.input<typeof MedianParamsSchema>;

/** Loads a serialised "median" model. */
export function loadMedianBaseline(model: SerializedModel): ConstantRegressor {
  return loadConstantModel(model, MEDIAN);
}
