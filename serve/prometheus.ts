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
  /** The `# HELP`, `# TYPE` and sample lines, each ending in a newline. */
  render(): string;
}

interface Series<T> {
  readonly labels: readonly string[];
  value: T;
}

// A separator that cannot appear in label values written by this server's code paths.
const KEY_SEPARATOR = "\u0001";

abstract class LabelledMetric<T> implements Metric {
  protected readonly series = new Map<string, Series<T>>();

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

  protected header(type: string): string {
    return `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} ${type}\n`;
  }

  protected labelText(labels: readonly string[], extra = ""): string {
    const pairs = labels.map((v, i) => `${this.labelNames[i]}="${escapeLabel(v)}"`);
    if (extra) pairs.push(extra);
    return pairs.length > 0 ? `{${pairs.join(",")}}` : "";
  }

  abstract render(): string;
}

/** A value that only goes up, e.g. requests served. */
export class Counter extends LabelledMetric<number> {
  /** Adds `amount` (default 1) to the series with these label values. */
  inc(labels: readonly string[] = [], amount = 1): void {
    this.seriesFor(labels, () => 0).value += amount;
  }

  /** The current value of one series (0 if it was never incremented). */
  get(labels: readonly string[] = []): number {
    return this.series.get(labels.join(KEY_SEPARATOR))?.value ?? 0;
  }

  /** The samples in the text format. */
  render(): string {
    let out = this.header("counter");
    for (const s of this.series.values()) {
      out += `${this.name}${this.labelText(s.labels)} ${formatValue(s.value)}\n`;
    }
    return out;
  }
}

/** A value that can go up and down, e.g. memory in use or the loaded model. */
export class Gauge extends LabelledMetric<number> {
  /** Sets one series. */
  set(labels: readonly string[], value: number): void {
    this.seriesFor(labels, () => 0).value = value;
  }

  /** Drops every series, e.g. before setting the labels of a newly loaded model. */
  clear(): void {
    this.series.clear();
  }

  /** The samples in the text format. */
  render(): string {
    let out = this.header("gauge");
    for (const s of this.series.values()) {
      out += `${this.name}${this.labelText(s.labels)} ${formatValue(s.value)}\n`;
    }
    return out;
  }
}

interface HistogramValue {
  readonly counts: Float64Array;
  sum: number;
  count: number;
}

/** Observations counted into fixed upper-bound buckets, e.g. request latencies. */
export class Histogram extends LabelledMetric<HistogramValue> {
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

  /** The samples in the text format, with cumulative bucket counts. */
  render(): string {
    let out = this.header("histogram");
    for (const s of this.series.values()) {
      let cumulative = 0;
      for (let i = 0; i < this.#bounds.length; i++) {
        cumulative += s.value.counts[i];
        const le = `le="${formatValue(this.#bounds[i])}"`;
        out += `${this.name}_bucket${this.labelText(s.labels, le)} ${cumulative}\n`;
      }
      out += `${this.name}_bucket${this.labelText(s.labels, 'le="+Inf"')} ${s.value.count}\n`;
      out += `${this.name}_sum${this.labelText(s.labels)} ${formatValue(s.value.sum)}\n`;
      out += `${this.name}_count${this.labelText(s.labels)} ${s.value.count}\n`;
    }
    return out;
  }
}

/** Concatenates the metrics' text, ready to serve with {@linkcode PROMETHEUS_CONTENT_TYPE}. */
export function renderMetrics(metrics: readonly Metric[]): string {
  return metrics.map((m) => m.render()).join("");
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
