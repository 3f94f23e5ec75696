/**
 * Drift and data quality of a served model: every row it predicts is counted into two
 * windows (the last N rows, the last T minutes; `windows.ts`), and a report compares
 * each window with the training reference carried in the bundle.
 *
 * Drift is judged as Evidently does by default, per numeric column: with at most
 * `ksMaxReferenceRows` (1000) reference rows, the two-sample Kolmogorov-Smirnov test
 * (drift when p < 0.05); with more, the Wasserstein-1 distance divided by the reference's
 * standard deviation (drift when > 0.1). The PSI is reported beside them. The data set
 * has drifted when at least `driftShare` (0.5) of the features have. A window with fewer
 * than `minRows` rows is reported but not judged.
 *
 * @module
 */
import type { ModelBundle, ReferenceStats } from "../../pipeline/bundle/bundle_schema.ts";
import { gridBin, gridOf } from "../../pipeline/bundle/reference_stats.ts";
import { gridStd, ksPValue, ksStatistic, psi, wassersteinDistance } from "./drift_statistics.ts";
import type { ColumnReport, Distribution, WindowReport } from "./report_schema.ts";
import {
  countCodes,
  encodeCell,
  RowWindow,
  slotsFor,
  Tally,
  TimeWindow,
  type WindowCounts,
} from "./windows.ts";

/** The finest grid monitored: a cell's code is its bin in 7 bits. */
const MAX_BINS = 127;

/** A batch of more rows than this many times a column's slots is counted once for all windows. */
const BATCH_COUNTS_FROM_SLOTS = 2;

/** Thresholds and window sizes. */
export interface DriftSettings {
  /** Off, rows are not counted and the report is empty. */
  readonly enabled: boolean;
  /** Rows in the row window. */
  readonly windowRows: number;
  /** Minutes in the time window. */
  readonly windowMinutes: number;
  /** Fewest rows in a window for drift to be judged. */
  readonly minRows: number;
  /** Reference sizes up to this use the KS test, larger ones the Wasserstein distance. */
  readonly ksMaxReferenceRows: number;
  /** KS p-value below which a column has drifted. */
  readonly ksPValue: number;
  /** Wasserstein distance / reference std above which a column has drifted. */
  readonly wasserstein: number;
  /** Share of drifted features at which the data set has drifted. */
  readonly driftShare: number;
}

/** Evidently's defaults, and windows of 5000 rows and 60 minutes. */
export const DEFAULT_DRIFT_SETTINGS: DriftSettings = {
  enabled: true,
  windowRows: 5000,
  windowMinutes: 60,
  minRows: 100,
  ksMaxReferenceRows: 1000,
  ksPValue: 0.05,
  wasserstein: 0.1,
  driftShare: 0.5,
};

/** The windows' counts, for another instance of the same model to merge in. */
export interface MonitorCounts {
  /** The bundle's checksum: counts only merge with those of the same model. */
  readonly checksum: string;
  readonly rows: WindowCounts;
  readonly minutes: WindowCounts;
}

/** The reference side of one column, prepared once per model. */
interface Column {
  readonly name: string;
  /** The column's position in a packed row; -1 for the prediction. */
  readonly index: number;
  readonly stats: ReferenceStats;
  readonly lo: number;
  readonly step: number;
  readonly bins: number;
  readonly refStd: number;
}

/**
 * How far past its threshold a column's drift score is (above 1: drifted), so that KS
 * p-values and Wasserstein distances sort together.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { severity } from "./drift_monitor.ts";
 *
 * const column = {
 *   name: "population",
 *   drifted: true,
 *   ksStatistic: 0.3,
 *   ksPValue: 0.001,
 *   wassersteinNormed: 0.2,
 *   psi: 0.3,
 *   missingRate: 0,
 *   referenceMissingRate: 0,
 *   outOfRangeRate: 0,
 * };
 * // A KS p-value ten times below its threshold is as far past it as a distance ten times above.
 * const ks = severity({ ...column, method: "ks", score: 0.001, threshold: 0.01 });
 * const distance = severity({ ...column, method: "wasserstein", score: 1, threshold: 0.1 });
 * assert.equal(Math.round(ks), 10);
 * assert.equal(Math.round(distance), 10);
 * ```
 */
export function severity(column: ColumnReport): number {
  return column.method === "ks"
    ? column.threshold / Math.max(column.score, 1e-300)
    : column.score / column.threshold;
}

/** The windows of one served model. */
export class DriftMonitor {
  readonly settings: DriftSettings;
  readonly checksum: string;
  readonly #columns: readonly Column[];
  /** The most bins of any column: the slot of missing values in every column's counts. */
  readonly #bins: number;
  readonly #slots: number;
  /** The codes of the last batch encoded, grown to the largest batch. */
  #codes = new Uint8Array(0);
  /** The counts of the last large batch. */
  readonly #batchCounts: Uint32Array;
  /** Features in a packed row. */
  readonly #width: number;
  readonly #rowWindow: RowWindow;
  readonly #timeWindow: TimeWindow;

  /** Monitors `bundle`'s features and prediction against its reference. */
  constructor(bundle: ModelBundle, settings: DriftSettings = DEFAULT_DRIFT_SETTINGS) {
    this.settings = settings;
    this.checksum = bundle.checksum;
    this.#width = bundle.features.length;
    const columns = [
      ...bundle.features.map((f, index) => ({
        name: f.name,
        index,
        stats: bundle.reference.features[f.name],
      })),
      { name: "prediction", index: -1, stats: bundle.reference.prediction },
    ];
    // A feature without reference statistics, or on a grid too fine for a byte code, is
    // left out: monitoring never stops a model from being served.
    this.#columns = columns.flatMap(({ name, index, stats }) => {
      if (!stats) return [];
      const grid = gridOf(stats.histogram);
      if (grid.bins > MAX_BINS) return [];
      const refStd = gridStd(stats.histogram.counts, grid.lo, grid.step);
      return [{ name, index, stats, ...grid, refStd }];
    });
    this.#bins = Math.max(...this.#columns.map((c) => c.bins));
    this.#slots = slotsFor(this.#bins);
    this.#batchCounts = new Uint32Array(this.#columns.length * this.#slots);
    // Off, the windows are never filled: one row and one minute, not megabytes.
    const on = settings.enabled;
    this.#rowWindow = new RowWindow(
      this.#columns.length,
      this.#slots,
      on ? settings.windowRows : 1,
    );
    this.#timeWindow = new TimeWindow(
      this.#columns.length,
      this.#slots,
      on ? settings.windowMinutes : 1,
    );
  }

  /** Counts `rows` predicted rows: packed inputs `x` (NaN for missing) and predictions `y`. */
  observe(x: Float64Array, rows: number, y: Float64Array, nowMs = Date.now()): void {
    if (!this.settings.enabled) return;
    const codes = this.encode(x, rows, y);
    // Counting a batch once and adding the sum to each window pays from a few hundred rows.
    let counts: Uint32Array | undefined;
    if (rows > BATCH_COUNTS_FROM_SLOTS * this.#slots) {
      counts = this.#batchCounts.fill(0);
      countCodes(counts, this.#slots, codes, 0, rows, 1);
    }
    this.#rowWindow.addRows(codes, rows, counts);
    this.#timeWindow.addRows(codes, rows, nowMs, counts);
  }

  /**
   * The codes (`windows.ts`) of `rows` packed rows, one per column, row after row. The
   * array is reused by the next call.
   */
  encode(x: Float64Array, rows: number, y: Float64Array): Uint8Array {
    const columns = this.#columns;
    const n = columns.length;
    if (this.#codes.length < rows * n) this.#codes = new Uint8Array(rows * n);
    const codes = this.#codes;
    const missing = this.#bins;
    const width = this.#width;
    for (let r = 0, at = 0; r < rows; r++) {
      const offset = r * width;
      for (let c = 0; c < n; c++, at++) {
        const column = columns[c];
        const value = column.index >= 0 ? x[offset + column.index] : y[r];
        const bin = gridBin(value, column); // NaN for a missing value: encodeCell sees to it
        codes[at] = encodeCell(value, missing, bin, column.stats.min, column.stats.max);
      }
    }
    return codes;
  }

  /** An empty tally of this monitor's columns, for rows counted with {@linkcode encode}. */
  newTally(): Tally {
    return new Tally(this.#columns.length, this.#slots);
  }

  /** Copies of both windows' counts. */
  counts(nowMs = Date.now()): MonitorCounts {
    return {
      checksum: this.checksum,
      rows: this.#rowWindow.snapshot(),
      minutes: this.#timeWindow.snapshot(nowMs),
    };
  }

  /** The report of both windows, with the counts of `peers` of the same model merged in. */
  report(peers: readonly MonitorCounts[] = [], nowMs = Date.now()): WindowReport[] {
    if (!this.settings.enabled) return [];
    const own = this.counts(nowMs);
    const same = peers.filter((p) => p.checksum === this.checksum);
    return [
      this.reportOf(
        "rows",
        `the last ${this.settings.windowRows} rows${same.length ? " of each instance" : ""}`,
        merge([own.rows, ...same.map((p) => p.rows)]),
      ),
      this.reportOf(
        "minutes",
        `the last ${this.settings.windowMinutes} minutes`,
        merge([own.minutes, ...same.map((p) => p.minutes)]),
      ),
    ];
  }

  /**
   * One column's training histogram and its counts in `window` (every instance's merged),
   * for charts; undefined for a name the monitor does not track.
   */
  distribution(
    name: string,
    window: "rows" | "minutes",
    peers: readonly MonitorCounts[] = [],
    nowMs = Date.now(),
  ): Distribution | undefined {
    if (!this.settings.enabled) return undefined;
    const own = this.counts(nowMs);
    const same = peers.filter((p) => p.checksum === this.checksum);
    return this.distributionOf(name, window, merge([own[window], ...same.map((p) => p[window])]));
  }

  /** One column's training histogram and its counts in `counts`; undefined if untracked. */
  distributionOf(
    name: string,
    window: Distribution["window"],
    counts: WindowCounts,
  ): Distribution | undefined {
    const c = this.#columns.findIndex((column) => column.name === name);
    if (c < 0) return undefined;
    const column = this.#columns[c];
    const slots = counts.counts.subarray(c * this.#slots, c * this.#slots + column.bins);
    return {
      name,
      window,
      centres: Array.from(
        { length: column.bins },
        (_, k) => Number((column.lo + k * column.step).toFixed(10)),
      ),
      reference: [...column.stats.histogram.counts],
      current: [...slots],
    };
  }

  /** The drift and data-quality report of `counts` against the reference. */
  reportOf(
    window: WindowReport["window"],
    description: string,
    counts: WindowCounts,
  ): WindowReport {
    const judged = counts.rows >= this.settings.minRows;
    const reports = this.#columns.map((column, c) =>
      this.#columnReport(
        column,
        counts.counts.subarray(c * this.#slots, (c + 1) * this.#slots),
        judged,
      )
    );
    const prediction = reports.pop()!;
    const driftedFeatures = reports.filter((r) => r.drifted).length;
    const driftShare = driftedFeatures / reports.length;
    return {
      window,
      description,
      rows: counts.rows,
      judged,
      driftShare,
      driftedFeatures,
      datasetDrifted: judged && driftShare >= this.settings.driftShare,
      features: reports.sort((a, b) => severity(b) - severity(a)),
      prediction,
    } satisfies WindowReport;
  }

  #columnReport(column: Column, slots: Uint32Array, judged: boolean): ColumnReport {
    const { bins, stats } = column;
    const current = slots.subarray(0, bins);
    const present = current.reduce((sum, n) => sum + n, 0);
    const missing = slots[this.#bins];
    const outOfRange = slots[this.#bins + 1];
    const reference = stats.histogram.counts;
    const ks = present > 0 ? ksStatistic(reference, current) : 0;
    const useKs = stats.count <= this.settings.ksMaxReferenceRows;
    const pValue = present > 0 ? ksPValue(ks, stats.count, present) : 1;
    const distance = present > 0 ? wassersteinDistance(reference, current, column.step) : 0;
    const normed = distance === 0 ? 0 : distance / Math.max(column.refStd, 1e-12);
    const score = useKs ? pValue : normed;
    const threshold = useKs ? this.settings.ksPValue : this.settings.wasserstein;
    return {
      name: column.name,
      method: useKs ? "ks" : "wasserstein",
      score,
      threshold,
      drifted: judged && present > 0 && (useKs ? score < threshold : score > threshold),
      ksStatistic: ks,
      ksPValue: pValue,
      wassersteinNormed: normed,
      psi: present > 0 ? psi(reference, current) : 0,
      missingRate: present + missing > 0 ? missing / (present + missing) : 0,
      referenceMissingRate: stats.missingRate,
      outOfRangeRate: present > 0 ? outOfRange / present : 0,
    };
  }
}

function merge(windows: readonly WindowCounts[]): WindowCounts {
  if (windows.length === 1) return windows[0];
  const counts = new Uint32Array(windows[0].counts.length);
  let rows = 0;
  for (const w of windows) {
    rows += w.rows;
    for (let k = 0; k < counts.length; k++) counts[k] += w.counts[k];
  }
  return { rows, counts };
}
