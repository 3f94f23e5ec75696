/**
 * Scores an input table with a served model, chunk by chunk: each row is checked by the
 * model's own input contract (the row check and, for a rejected row, the field-by-field
 * report of `/predict`), good rows are predicted together and written with their
 * identifiers, and each bad row is reported with its position and the rules it breaks;
 * then it is skipped, or the run stops.
 *
 * @module
 */
import type { InputIssue } from "../contract/api_schemas.ts";
import { rowReport } from "../contract/input_issues.ts";
import type { ServedModel } from "../model/served_model.ts";
import { cellValue } from "../contract/cell_value.ts";
import type { ColumnPlan } from "./column_plan.ts";
import type { Cell, InputTable } from "./input_table.ts";
import type { PredictionWriter } from "./prediction_writer.ts";

/** Issues listed per bad row; the rest are counted. */
export const ISSUES_PER_ROW = 10;

/** A rule a bad row breaks: the input contract's, or `malformed` for a record that is not a row. */
export interface BatchIssue {
  readonly path: string;
  readonly rule: InputIssue["rule"] | "malformed";
  readonly message: string;
}

/** A row that was not scored. */
export interface BadRow {
  readonly position: number;
  /** The contract's issues (path, rule, message), or one `malformed` issue for a record. */
  readonly issues: readonly BatchIssue[];
  readonly issueCount: number;
}

/** What to do with a bad row. */
export type OnBadRow = "skip" | "fail";

/** Options of {@linkcode scoreTable}. */
export interface ScoreOptions {
  readonly table: InputTable;
  readonly plan: ColumnPlan;
  readonly model: ServedModel;
  readonly writer: PredictionWriter;
  readonly onBadRow: OnBadRow;
  readonly chunkRows: number;
  /** Told of each bad row as it is found. */
  readonly reportBadRow: (row: BadRow) => void;
  /** Told after each chunk. */
  readonly onProgress?: (scored: number) => void;
}

/** How a run ended. */
export interface ScoreSummary {
  readonly scored: number;
  readonly badRows: number;
  /** True when a bad row stopped the run (`onBadRow: "fail"`). */
  readonly stopped: boolean;
}

/** Describes a bad row on one line: `line 7: $.population (maximum): must be <= 1, got 3`. */
export function describeBadRow(row: BadRow, positionName: string): string {
  const listed = row.issues.map((issue) => `${issue.path} (${issue.rule}): ${issue.message}`);
  const more = row.issueCount > row.issues.length
    ? `; and ${row.issueCount - row.issues.length} more`
    : "";
  return `${positionName} ${row.position}: ${listed.join("; ")}${more}`;
}

/**
 * Scores every row of the table.
 *
 * @example Needs a trained bundle and an input file; the tests run it
 * ```ts ignore
 * const summary = await scoreTable({ table, plan, model, writer, onBadRow: "skip",
 *   chunkRows: 4096, reportBadRow: console.error });
 * ```
 */
export async function scoreTable(options: ScoreOptions): Promise<ScoreSummary> {
  const { table, plan, model, writer, chunkRows } = options;
  const names = model.bundle.features.map((f) => f.name);
  const width = model.featureCount;
  const x = new Float64Array(chunkRows * width);
  const ids: string[][] = new Array(chunkRows);
  let scored = 0;
  let badRows = 0;
  const idOf = (cells: readonly Cell[], position: number): string[] =>
    plan.identifiers.length === 0
      ? [String(position)]
      : plan.identifiers.map(({ column }) => cellText(cells[column]));
  for await (const chunk of table.chunks(chunkRows)) {
    let n = 0;
    for (const row of chunk) {
      let bad: BadRow;
      if ("error" in row) {
        bad = {
          position: row.position,
          issues: [{ path: "$", rule: "malformed", message: row.error }],
          issueCount: 1,
        };
      } else {
        const values: Record<string, Cell> = {};
        for (let j = 0; j < width; j++) {
          values[names[j]] = cellValue(row.cells[plan.featureColumns[j]]);
        }
        if (model.packRow(values, x, n * width)) {
          ids[n++] = idOf(row.cells, row.position);
          continue;
        }
        const report = rowReport(model.schemas, values, ISSUES_PER_ROW);
        bad = { position: row.position, issues: report.issues, issueCount: report.count };
      }
      badRows++;
      options.reportBadRow(bad);
      if (options.onBadRow === "fail") return { scored, badRows, stopped: true };
    }
    if (n > 0) {
      const y = model.predict(x.subarray(0, n * width), n);
      for (let i = 0; i < n; i++) await writer.write(ids[i], y[i]);
      scored += n;
    }
    options.onProgress?.(scored);
  }
  return { scored, badRows, stopped: false };
}

function cellText(cell: Cell): string {
  return cell === null ? "" : String(cell);
}
