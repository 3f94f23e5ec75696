/**
 * The zod schema of the `monitor` section of `config/params.yaml`: what the offline
 * monitoring report (`tools/monitoring/monitor.ts`) reads, over which period, where it
 * writes, and its drift thresholds (the server's defaults, Evidently's).
 *
 * @module
 */
import { z } from "zod";

/** Drift thresholds of the report. */
export const MonitorDriftSchema = z.strictObject({
  /** Fewest rows for drift to be judged. */
  min_rows: z.number().int().min(1).default(100),
  /** References of at most this many rows are compared by the KS test, larger ones by Wasserstein. */
  ks_max_reference_rows: z.number().int().min(0).default(1000),
  ks_p_value: z.number().gt(0).lt(1).default(0.05),
  wasserstein: z.number().gt(0).default(0.1),
  drift_share: z.number().gt(0).max(1).default(0.5),
});

/** Parameters of the offline monitoring report. */
export const MonitorParamsSchema = z.strictObject({
  /** The model the traffic is compared with: a models:/ URI or a bundle path. */
  model: z.string().min(1).default("models:/communities-crime@champion"),
  /** The server's prediction log; its rotated files beside it are read too. */
  prediction_log: z.string().min(1).default(".serve/predictions.jsonl"),
  /** The server's feedback store (sqlite:<path> or a PostgreSQL URI), or off. */
  feedback_store: z.string().min(1).default("sqlite:.serve/feedback.db"),
  /** The period reported on: the last this many hours. */
  period_hours: z.number().positive().max(24 * 366).default(24),
  /** MLflow experiment the report's runs go to. */
  experiment: z.string().min(1).default("communities-crime-monitoring"),
  /** Where the report and its summary are written. */
  out_dir: z.string().min(1).default("reports/monitoring"),
  drift: MonitorDriftSchema.default(MonitorDriftSchema.parse({})),
});

/** Parsed `monitor` parameters. */
export type MonitorParams = z.infer<typeof MonitorParamsSchema>;
