/**
 * `reports/python_anchors.json`, optional and written outside the pipeline: reference
 * figures of Python stacks (scikit-learn, XGBoost...) on the same folds, pooled 10-fold
 * out-of-fold and on the held-out fold, with the command and versions that produced
 * them. The report and the model card show them beside the candidates when present.
 *
 * @module
 */
import { z } from "zod";
import { jsonArtefact } from "./json_artefact.ts";

/** The anchors file. */
export const PythonAnchorsSchema = z.object({
  anchors: z.array(z.object({
    name: z.string(),
    pooled_oof_rmse: z.number(),
    r2: z.number(),
    holdout_rmse: z.number(),
  })),
  /** The command that produced the figures. */
  command: z.string(),
  /** Package versions, e.g. `{ "scikit-learn": "1.7.2" }`. */
  versions: z.record(z.string(), z.string()),
});

/** Checked anchors. */
export type PythonAnchors = z.infer<typeof PythonAnchorsSchema>;

/** The anchors file. */
export const PYTHON_ANCHORS = jsonArtefact("reports/python_anchors.json", PythonAnchorsSchema);

/** The anchors when the file exists (checked), else `undefined`. */
export async function readPythonAnchors(
  path = PYTHON_ANCHORS.path,
): Promise<PythonAnchors | undefined> {
  try {
    await Deno.stat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  return await PYTHON_ANCHORS.read(path);
}
