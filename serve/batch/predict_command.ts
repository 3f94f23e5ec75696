/**
 * `predict`: scores a CSV or Parquet file of communities with a model from the same
 * sources as the server (a bundle file, `models:/<name>@<alias>`, `models:/<name>/<version>`
 * or the embedded bundle), writing one CSV line per row: its identifiers (or its position),
 * the prediction, and the model's name and version. See {@linkcode BATCH_EXIT} for the
 * exit statuses.
 *
 * @module
 */
import { z } from "zod";
import { flagHelp, type FlagSpec, OPTIONS, readFlags, ServeConfigSchema } from "../config.ts";
import { chooseModelUri, openModelSource } from "../model/open_model_source.ts";
import { createServedModel, type ServedModel } from "../model/served_model.ts";
import { DEFAULT_DRIFT_SETTINGS } from "../monitoring/drift_monitor.ts";
import { BATCH_EXIT } from "./batch_exit.ts";
import { IDENTIFIER_COLUMNS, planColumns } from "./column_plan.ts";
import { openCsvTable } from "./csv_table.ts";
import { InputFileError, type InputTable } from "./input_table.ts";
import { openParquetTable } from "./parquet_table.ts";
import { openPredictionWriter } from "./prediction_writer.ts";
import { createProgress } from "./progress.ts";
import { describeBadRow, scoreTable } from "./score_table.ts";

/** The options of `predict`; model, MLflow and cache options are the server's own. */
const PredictOptionsSchema = z.strictObject({
  input: z.string().min(1, "required: the CSV or Parquet file to score"),
  output: z.string().min(1).default("-"),
  format: z.enum(["csv", "parquet"]).optional(),
  onError: z.enum(["fail", "skip"]).default("fail"),
  strictColumns: z.boolean().default(false),
  chunkRows: z.coerce.number().int().min(1).max(1_000_000).default(4096),
  progress: z.enum(["auto", "bar", "lines", "off"]).default("auto"),
  model: ServeConfigSchema.shape.model,
  mlflowUri: ServeConfigSchema.shape.mlflowUri,
  cacheDir: ServeConfigSchema.shape.cacheDir,
  help: z.boolean().default(false),
});

/** Parsed options of `predict`. */
export type PredictOptions = z.output<typeof PredictOptionsSchema>;

type Flag = FlagSpec<keyof z.input<typeof PredictOptionsSchema>>;

const shared = (key: "model" | "mlflowUri" | "cacheDir"): Flag => {
  const option = OPTIONS.find((o) => o.key === key)!;
  return { key, flag: option.flag, env: option.env, help: option.help };
};

/** Every flag of `predict`. */
export const PREDICT_FLAGS: readonly Flag[] = [
  { key: "input", flag: "input", help: "the CSV (with a header line) or Parquet file to score" },
  { key: "output", flag: "output", help: "where the predictions go, as CSV; - for stdout [-]" },
  { key: "format", flag: "format", help: "csv or parquet [from the input's extension]" },
  {
    key: "onError",
    flag: "on-error",
    help: "a row breaking the input contract: fail (stop, exit 5, no output file; on stdout " +
      "what was written is incomplete) or skip " +
      "(report it, count it, go on) [fail]",
  },
  {
    key: "strictColumns",
    flag: "strict-columns",
    help: "fail on columns that are neither features nor identifiers (by default they are " +
      "named on stderr and ignored)",
    boolean: true,
  },
  { key: "chunkRows", flag: "chunk-rows", help: "rows read and predicted together [4096]" },
  {
    key: "progress",
    flag: "progress",
    help: "auto (a bar if stderr is a terminal, else a line every 10 s), bar, lines, off [auto]",
  },
  shared("model"),
  shared("mlflowUri"),
  shared("cacheDir"),
  { key: "help", flag: "help", help: "print this help", boolean: true },
];

/** The `predict --help` text. */
export function predictUsage(): string {
  const codes = Object.entries(BATCH_EXIT).map(([name, code]) => `${code} ${name}`).join(", ");
  return "Scores a CSV or Parquet file of communities: predict --input <file> [--output <csv>]\n\n" +
    `Options:\n${flagHelp(PREDICT_FLAGS)}\n\nExit statuses: ${codes} (see serve/README.md).\n`;
}

/** Reads the options; throws a message naming the flag on a bad value. */
export function parsePredictOptions(
  args: readonly string[],
  env: Record<string, string>,
): PredictOptions {
  const raw = readFlags(args, env, PREDICT_FLAGS, "see predict --help");
  if (raw.help) raw.input ??= "-";
  const result = PredictOptionsSchema.safeParse(raw);
  if (result.success) return result.data;
  throw new Error(
    result.error.issues.map((issue) => {
      const o = PREDICT_FLAGS.find((f) => f.key === issue.path[0]);
      return `${o ? `--${o.flag}` : "predict"}: ${issue.message}`;
    }).join("\n"),
  );
}

/** Where `predict` writes its messages, and whether that is a terminal. */
export interface PredictIo {
  readonly stderr: (text: string) => void;
  readonly stderrIsTerminal: boolean;
  readonly env: Record<string, string>;
}

const defaultIo = (): PredictIo => ({
  stderr: (text) => Deno.stderr.writeSync(new TextEncoder().encode(text)),
  stderrIsTerminal: Deno.stderr.isTerminal(),
  env: Deno.env.toObject(),
});

/**
 * Runs `predict` with command-line `args`; returns the exit status.
 *
 * @example Needs a bundle and an input file; the tests run it
 * ```ts ignore
 * const status = await predictCommand(["--model", "models/model_bundle.json",
 *   "--input", "communities.csv", "--output", "predictions.csv"]);
 * ```
 */
export async function predictCommand(
  args: readonly string[],
  io: PredictIo = defaultIo(),
): Promise<number> {
  let options: PredictOptions;
  try {
    options = parsePredictOptions(args, io.env);
  } catch (error) {
    io.stderr(`predict: invalid options:\n${(error as Error).message}\n`);
    return BATCH_EXIT.usage;
  }
  if (options.help) {
    console.log(predictUsage());
    return BATCH_EXIT.ok;
  }
  const started = performance.now();
  let model: ServedModel;
  try {
    model = await loadModel(options, io);
  } catch (error) {
    io.stderr(`predict: cannot load the model: ${(error as Error).message}\n`);
    return BATCH_EXIT.model;
  }
  const features = new Set(model.bundle.features.map((f) => f.name));
  let table: InputTable;
  try {
    table = await openTable(
      options,
      (name) => features.has(name) || IDENTIFIER_COLUMNS.includes(name),
    );
  } catch (error) {
    if (!(error instanceof InputFileError)) throw error;
    io.stderr(`predict: cannot score the input: ${error.message}\n`);
    return BATCH_EXIT.input;
  }
  try {
    return await score(options, io, model, table, started);
  } finally {
    table.close();
  }
}

async function loadModel(options: PredictOptions, io: PredictIo): Promise<ServedModel> {
  const source = openModelSource(await chooseModelUri(options.model), options);
  const fetched = await source.fetch();
  if (!fetched) throw new Error(`${source.uri}: no bundle`);
  if (fetched.warning) io.stderr(`predict: warning: ${fetched.warning}\n`);
  const model = createServedModel(fetched, {
    maxBatchRows: options.chunkRows,
    drift: { ...DEFAULT_DRIFT_SETTINGS, enabled: false },
  });
  await source.accepted?.(fetched).catch(() => {});
  return model;
}

function openTable(options: PredictOptions, wanted: (column: string) => boolean) {
  const format = options.format ??
    (/\.parquet$/i.test(options.input) ? "parquet" : /\.csv$/i.test(options.input) ? "csv" : "");
  if (format === "parquet") return openParquetTable(options.input, wanted);
  if (format === "csv") return openCsvTable(options.input);
  throw new InputFileError(
    `${options.input}: unknown format: name the file .csv or .parquet, or pass --format`,
  );
}

async function score(
  options: PredictOptions,
  io: PredictIo,
  model: ServedModel,
  table: InputTable,
  started: number,
): Promise<number> {
  let plan;
  try {
    plan = planColumns(table.columns, model.bundle.features, options.strictColumns);
  } catch (error) {
    io.stderr(`predict: cannot score ${options.input}: ${(error as Error).message}\n`);
    return BATCH_EXIT.input;
  }
  const { name, version } = model.identity;
  if (plan.unused.length > 0) {
    io.stderr(
      `predict: ignoring ${plan.unused.length} column(s) that are not inputs of the model: ` +
        `${plan.unused.slice(0, 10).join(", ")}${plan.unused.length > 10 ? ", ..." : ""}\n`,
    );
  }
  const progress = createProgress({
    terminal: options.progress === "bar" || (options.progress === "auto" && io.stderrIsTerminal),
    write: options.progress === "off" ? () => {} : io.stderr,
  });
  let writer;
  try {
    writer = await openPredictionWriter(
      options.output,
      plan.identifiers.length > 0 ? plan.identifiers.map((id) => id.name) : [table.positionName],
      model.identity,
    );
  } catch (error) {
    io.stderr(`predict: cannot write ${options.output}: ${(error as Error).message}\n`);
    return BATCH_EXIT.failed;
  }
  let summary;
  try {
    summary = await scoreTable({
      table,
      plan,
      model,
      writer,
      onBadRow: options.onError,
      chunkRows: options.chunkRows,
      reportBadRow: (row) =>
        progress.message(`predict: bad row: ${describeBadRow(row, table.positionName)}`),
      onProgress: (rows) => progress.update(rows, table.fractionRead()),
    });
  } catch (error) {
    progress.done(0);
    await writer.discard();
    if (error instanceof InputFileError) {
      io.stderr(`predict: cannot read the input: ${error.message}\n`);
      return BATCH_EXIT.input;
    }
    io.stderr(`predict: failed: ${(error as Error).message}\n`);
    return BATCH_EXIT.failed;
  }
  progress.done(summary.scored);
  if (summary.stopped) {
    await writer.discard();
    io.stderr(
      `predict: stopped at the first bad row (--on-error fail); ${summary.scored} rows ` +
        `were scored and ${
          options.output === "-"
            ? "what was written to stdout is incomplete"
            : "no output is written"
        }. --on-error skip scores the other rows\n`,
    );
    return BATCH_EXIT.badRow;
  }
  try {
    await writer.commit();
  } catch (error) {
    io.stderr(`predict: cannot write ${options.output}: ${(error as Error).message}\n`);
    return BATCH_EXIT.failed;
  }
  const seconds = (performance.now() - started) / 1000;
  io.stderr(
    `predict: scored ${summary.scored} rows with ${name} version ${version}` +
      (summary.badRows > 0 ? `; skipped ${summary.badRows} bad rows (reported above)` : "") +
      ` in ${seconds.toFixed(1)} s${options.output === "-" ? "" : ` -> ${options.output}`}\n`,
  );
  return BATCH_EXIT.ok;
}
