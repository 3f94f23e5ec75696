/**
 * Counters, gauges and histograms with labels, rendered in the Prometheus text
 * exposition format (version 0.0.4). Small on purpose: updates are a map lookup and an
 * addition, cheap enough for every request.
 *
 * @module
 */

/** The media type of {@linkcode renderMetrics}'s output. */
export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** A metric that can write its samples in the text format. */
export interface Metric {
  readonly name: string;
  /**
   * The `# HELP`, `# TYPE` and sample lines, each ending in a newline; `peers` are
   * snapshots of the same metric in other server instances, merged in.
   */
  render(peers?: readonly MetricSnapshot[]): string;
  /** The metric's series as plain data, for another instance to merge in. */
  snapshot(): MetricSnapshot;
}

/** A copy of one metric's series; structured-cloneable, so it can cross to a worker. */
export interface MetricSnapshot {
  readonly name: string;
  readonly series: readonly SeriesSnapshot[];
}

/** One series: its label values and its value (a number, or a histogram's counts). */
export interface SeriesSnapshot {
  readonly labels: readonly string[];
  readonly value: number | HistogramValue;
}

interface Series<T> {
  readonly labels: readonly string[];
  value: T;
}

// A separator that cannot appear in label values written by this server's code paths.
const KEY_SEPARATOR = "\u0001";

abstract class LabelledMetric<T> implements Metric {
  protected readonly series = new Map<string, Series<T>>();
  protected abstract readonly type: string;

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
  ) {}

  protected seriesFor(labels: readonly string[], initial: () => T): Series<T> {
    const key = labels.join(KEY_SEPARATOR);
    let found = this.series.get(key);
    if (!found) {
      if (labels.length !== this.labelNames.length) {
        throw new RangeError(
          `${this.name} takes labels (${this.labelNames.join(", ")}), got ${labels.length} values`,
        );
      }
      found = { labels: [...labels], value: initial() };
      this.series.set(key, found);
    }
    return found;
  }

  /** A fresh value holding `a` and `b` together (e.g. their sum); neither is changed. */
  protected abstract combine(a: T, b: T): T;

  /** The sample lines of one series. */
  protected abstract renderSeries(labels: readonly string[], value: T): string;

  snapshot(): MetricSnapshot {
    const series = [...this.series.values()].map((s) => ({
      labels: [...s.labels],
      value: structuredClone(s.value) as number | HistogramValue,
    }));
    return { name: this.name, series };
  }

  render(peers: readonly MetricSnapshot[] = []): string {
    let series: Iterable<Series<T>> = this.series.values();
    if (peers.length > 0) {
      const merged = new Map<string, Series<T>>();
      const add = (labels: readonly string[], value: T) => {
        const key = labels.join(KEY_SEPARATOR);
        const found = merged.get(key);
        if (found) found.value = this.combine(found.value, value);
        else merged.set(key, { labels, value });
      };
      for (const s of this.series.values()) add(s.labels, s.value);
      for (const peer of peers) {
        // A peer's snapshot of a metric with this name has this metric's value type.
        if (peer.name === this.name) { for (const s of peer.series) add(s.labels, s.value as T); }
      }
      series = merged.values();
    }
    let out = `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} ${this.type}\n`;
    for (const s of series) out += this.renderSeries(s.labels, s.value);
    return out;
  }

  protected labelText(labels: readonly string[], extra = ""): string {
    const pairs = labels.map((v, i) => `${this.labelNames[i]}="${escapeLabel(v)}"`);
    if (extra) pairs.push(extra);
    return pairs.length > 0 ? `{${pairs.join(",")}}` : "";
  }
}

/** A value that only goes up, e.g. requests served; instances' values add up. */
export class Counter extends LabelledMetric<number> {
  protected readonly type = "counter";

  /** Adds `amount` (default 1) to the series with these label values. */
  inc(labels: readonly string[] = [], amount = 1): void {
    this.seriesFor(labels, () => 0).value += amount;
  }

  /** The current value of one series (0 if it was never incremented). */
  get(labels: readonly string[] = []): number {
    return this.series.get(labels.join(KEY_SEPARATOR))?.value ?? 0;
  }

  protected combine(a: number, b: number): number {
    return a + b;
  }

  protected renderSeries(labels: readonly string[], value: number): string {
    return `${this.name}${this.labelText(labels)} ${formatValue(value)}\n`;
  }
}

/**
 * A value that can go up and down, e.g. memory in use or the loaded model; across
 * instances the largest value of each series is shown.
 */
export class Gauge extends LabelledMetric<number> {
  protected readonly type = "gauge";

  /** Sets one series. */
  set(labels: readonly string[], value: number): void {
    this.seriesFor(labels, () => 0).value = value;
  }

  /** Drops every series, e.g. before setting the labels of a newly loaded model. */
  clear(): void {
    this.series.clear();
  }

  protected combine(a: number, b: number): number {
    return Math.max(a, b);
  }

  protected renderSeries(labels: readonly string[], value: number): string {
    return `${this.name}${this.labelText(labels)} ${formatValue(value)}\n`;
  }
}

/** A histogram series: per-bucket (not cumulative) counts, the sum and the count. */
export interface HistogramValue {
  readonly counts: Float64Array;
  sum: number;
  count: number;
}

/** Observations counted in buckets, e.g. request latency; instances' counts add up. */
export class Histogram extends LabelledMetric<HistogramValue> {
  protected readonly type = "histogram";
  readonly #bounds: readonly number[];

  /** `bounds` are the bucket upper bounds in increasing order; `+Inf` is implied. */
  constructor(
    name: string,
    help: string,
    labelNames: readonly string[],
    bounds: readonly number[],
  ) {
    super(name, help, labelNames);
    this.#bounds = [...bounds];
  }

  /** Records one observation in the series with these label values. */
  observe(labels: readonly string[], value: number): void {
    const s = this.seriesFor(labels, () => ({
      counts: new Float64Array(this.#bounds.length),
      sum: 0,
      count: 0,
    }));
    const h = s.value;
    for (let i = 0; i < this.#bounds.length; i++) {
      if (value <= this.#bounds[i]) {
        h.counts[i]++;
        break;
      }
    }
    h.sum += value;
    h.count++;
  }

  protected combine(a: HistogramValue, b: HistogramValue): HistogramValue {
    return {
      counts: a.counts.map((n, i) => n + (b.counts[i] ?? 0)),
      sum: a.sum + b.sum,
      count: a.count + b.count,
    };
  }

  protected renderSeries(labels: readonly string[], value: HistogramValue): string {
    let out = "";
    let cumulative = 0;
    for (let i = 0; i < this.#bounds.length; i++) {
      cumulative += value.counts[i];
      const le = `le="${formatValue(this.#bounds[i])}"`;
      out += `${this.name}_bucket${this.labelText(labels, le)} ${cumulative}\n`;
    }
    out += `${this.name}_bucket${this.labelText(labels, 'le="+Inf"')} ${value.count}\n`;
    out += `${this.name}_sum${this.labelText(labels)} ${formatValue(value.sum)}\n`;
    out += `${this.name}_count${this.labelText(labels)} ${value.count}\n`;
    return out;
  }
}

/**
 * Concatenates the metrics' text, ready to serve with {@linkcode PROMETHEUS_CONTENT_TYPE};
 * `peers` holds the snapshots of other server instances, merged series by series.
 */
export function renderMetrics(
  metrics: readonly Metric[],
  peers: readonly (readonly MetricSnapshot[])[] = [],
): string {
  return metrics.map((m) => m.render(peers.flat())).join("");
}

function escapeLabel(value: string): string {
  return value.replace(/[\\"\n]/g, (c) => (c === "\n" ? "\\n" : `\\${c}`));
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return `${value}`;
}
