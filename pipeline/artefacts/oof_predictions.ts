/**
 * `reports/oof_predictions.csv`, written by `train`: the selected model's out-of-fold
 * prediction of every cross-validation row. Read by `evaluate`, by column name.
 *
 * @module
 */
import { z } from "zod";
import { parseWith } from "../config/schema_error.ts";
import { ArtefactError, readArtefactText } from "./json_artefact.ts";

/** The file's path. */
export const OOF_PREDICTIONS_PATH = "reports/oof_predictions.csv";

const COLUMNS = ["row", "fold", "actual", "predicted"] as const;

/** One row: its index in the clean table, its fold, the target and the prediction. */
export const OofPredictionSchema = z.strictObject({
  row: z.number().int().min(0),
  fold: z.number().int(),
  actual: z.number(),
  predicted: z.number(),
});

/** One out-of-fold prediction. */
export type OofPrediction = z.infer<typeof OofPredictionSchema>;

/**
 * Formats predictions as the CSV file (predictions to 6 decimals, as DVC's plots show).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const text = formatOofPredictions([{ row: 3, fold: 1, actual: 0.2, predicted: 0.25 }]);
 * assert.equal(text, "row,fold,actual,predicted\n3,1,0.2,0.250000\n");
 * assert.deepEqual(parseOofPredictions(text), [{ row: 3, fold: 1, actual: 0.2, predicted: 0.25 }]);
 * ```
 */
export function formatOofPredictions(rows: readonly OofPrediction[]): string {
  const lines = [COLUMNS.join(",")];
  for (const r of rows) lines.push(`${r.row},${r.fold},${r.actual},${r.predicted.toFixed(6)}`);
  return lines.join("\n") + "\n";
}

/** Parses the CSV by its header's column names; `source` names the file in errors. */
export function parseOofPredictions(
  text: string,
  source = OOF_PREDICTIONS_PATH,
): OofPrediction[] {
  const [header, ...lines] = text.trimEnd().split("\n");
  const names = (header ?? "").split(",");
  const missing = COLUMNS.filter((c) => !names.includes(c));
  if (missing.length > 0) {
    throw new ArtefactError(`${source}: the header lacks column(s) ${missing.join(", ")}`);
  }
  return lines.map((line, i) => {
    const cells = line.split(",");
    const record = Object.fromEntries(
      COLUMNS.map((
        c,
      ) => [c, cells[names.indexOf(c)] === "" ? NaN : Number(cells[names.indexOf(c)])]),
    );
    return parseWith(OofPredictionSchema, record, `${source}: line ${i + 2}`);
  });
}

/** Reads the file. */
export async function readOofPredictions(path = OOF_PREDICTIONS_PATH): Promise<OofPrediction[]> {
  return parseOofPredictions(await readArtefactText(path), path);
}
