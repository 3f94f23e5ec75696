/**
 * The drift monitor on the test bundle (20 features with 300 uniform training rows, so
 * the KS test decides): its windows hold exactly the last N rows and the last T minutes,
 * rows like the training data do not drift while shifted ones do, data quality counts
 * missing and out-of-range values, and counts of another instance merge in only when
 * they come from the same model.
 */
import assert from "node:assert/strict";
import { DEFAULT_DRIFT_SETTINGS, DriftMonitor } from "../../../serve/monitoring/drift_monitor.ts";
import { ksPValue, ksStatistic } from "../../../serve/monitoring/drift_statistics.ts";
import {
  countCodes,
  OUT_OF_RANGE_FLAG,
  RowWindow,
  TimeWindow,
} from "../../../serve/monitoring/windows.ts";
import { seededRandom } from "../../../pipeline/core/random.ts";
import { TEST_INPUTS, testBundle } from "../../support/test_bundle.ts";

const bundle = await testBundle();
const width = bundle.features.length;

/** `rows` packed rows: each of the first 20 features drawn by `value`, the rest missing. */
function rowsOf(rows: number, value: (row: number, feature: number) => number) {
  const x = new Float64Array(rows * width).fill(NaN);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < TEST_INPUTS; j++) x[r * width + j] = value(r, j);
  }
  return { x, y: Float64Array.from({ length: rows }, (_, r) => x[r * width] / 2) };
}

Deno.test("the row window holds the counts of exactly the last N rows", () => {
  const window = new RowWindow(2, 5, 3);
  const rows = [[0, 1], [1, 1], [2, 3], [3, 0], [0, 0]];
  for (const row of rows) window.addRows(Uint8Array.from(row), 1);
  const expected = new Uint32Array(10);
  for (const [a, b] of rows.slice(-3)) {
    expected[a]++;
    expected[5 + b]++;
  }
  assert.equal(window.rows, 3);
  assert.deepEqual(window.counts, expected);
});

Deno.test("batches of any size leave the windows as row-by-row adds do", () => {
  // Two columns of three bins: slots 0-2, missing (3), out of range (4); codes drawn at
  // random, some flagged out of range; batches of 1 to 17 rows (one larger than the window)
  // wrap the ring many times.
  const columns = 2, slots = 5, capacity = 7;
  const rng = seededRandom(3);
  const code = () => {
    const bin = Math.floor(rng.next() * 4);
    return bin < 3 && rng.next() < 0.2 ? bin | OUT_OF_RANGE_FLAG : bin;
  };
  const byRow = new RowWindow(columns, slots, capacity);
  const byBatch = new RowWindow(columns, slots, capacity);
  const minutesByRow = new TimeWindow(columns, slots, 3);
  const minutesByBatch = new TimeWindow(columns, slots, 3);
  for (const [i, rows] of [3, 1, 17, 5, 6, 2, 9, 1, 4].entries()) {
    const codes = Uint8Array.from({ length: rows * columns }, code);
    const counts = new Uint32Array(columns * slots);
    countCodes(counts, slots, codes, 0, rows, 1);
    for (let r = 0; r < rows; r++) {
      const row = codes.slice(r * columns, (r + 1) * columns);
      byRow.addRows(row, 1);
      minutesByRow.addRows(row, 1, i * 40_000);
    }
    // Every other batch with its counts made once, as the monitor does for large batches.
    byBatch.addRows(codes, rows, i % 2 ? counts : undefined);
    minutesByBatch.addRows(codes, rows, i * 40_000, i % 2 ? counts : undefined);
    assert.equal(byBatch.rows, byRow.rows);
    assert.deepEqual(byBatch.counts, byRow.counts, `after batch ${i} of ${rows} rows`);
    assert.deepEqual(minutesByBatch.snapshot(i * 40_000), minutesByRow.snapshot(i * 40_000));
  }
  assert.equal(byBatch.rows, capacity);
});

Deno.test("the time window drops each minute once it is T minutes old", () => {
  const window = new TimeWindow(1, 4, 3);
  const minute = 60_000;
  window.addRows(Uint8Array.of(0), 1, 0);
  window.addRows(Uint8Array.of(1), 1, 1 * minute + 5);
  window.addRows(Uint8Array.of(1), 1, 2 * minute);
  assert.deepEqual([...window.snapshot(2 * minute + 1).counts], [1, 2, 0, 0]);
  assert.deepEqual([...window.snapshot(3 * minute).counts], [0, 2, 0, 0], "minute 0 left");
  assert.equal(window.snapshot(4 * minute).rows, 1);
  window.addRows(Uint8Array.of(2), 1, 10 * minute);
  assert.deepEqual([...window.snapshot(10 * minute).counts], [0, 0, 1, 0]);
});

Deno.test("a large batch is counted as its rows one by one are", () => {
  const rng = seededRandom(11);
  // Values past both ends of the training range and missing ones among them.
  const { x, y } = rowsOf(600, () => rng.next() < 0.1 ? NaN : rng.next() * 1.4 - 0.2);
  const settings = { ...DEFAULT_DRIFT_SETTINGS, windowRows: 450 };
  const batch = new DriftMonitor(bundle, settings);
  const single = new DriftMonitor(bundle, settings);
  // Two batches of 300, large enough to be counted once; the second wraps the ring.
  batch.observe(x.subarray(0, 300 * width), 300, y.subarray(0, 300), 0);
  batch.observe(x.subarray(300 * width), 300, y.subarray(300), 0);
  for (let r = 0; r < 600; r++) {
    single.observe(x.subarray(r * width, (r + 1) * width), 1, y.subarray(r, r + 1), 0);
  }
  assert.deepEqual(batch.counts(0), single.counts(0));
  assert.equal(batch.counts(0).rows.rows, 450);
});

Deno.test("rows like the training data do not drift; shifted ones do, most drifted first", () => {
  const monitor = new DriftMonitor(bundle, { ...DEFAULT_DRIFT_SETTINGS, windowRows: 400 });
  const rng = seededRandom(7);
  const alike = rowsOf(400, () => Math.round(rng.next() * 100) / 100);
  monitor.observe(alike.x, 400, alike.y);
  const [rows, minutes] = monitor.report();
  assert.equal(rows.window, "rows");
  assert.equal(rows.rows, 400);
  assert.equal(minutes.rows, 400);
  assert.ok(rows.judged);
  const drifted = rows.features.filter((f) => f.drifted).map((f) => f.name);
  // At p < 0.05, about one feature in twenty drifts by chance: a handful at most.
  assert.ok(drifted.length <= 3, `drifted by chance: ${drifted}`);
  assert.equal(rows.datasetDrifted, false);
  assert.equal(rows.features.length, TEST_INPUTS, "features with reference statistics only");
  assert.ok(rows.features.every((f) => f.method === "ks"), "300 reference rows: the KS test");

  // The first 15 features move up by 0.3 (clipped at 1): 15 of 20 drift.
  const shifted = rowsOf(400, (_, j) => {
    const v = Math.round(rng.next() * 100) / 100;
    return j < 15 ? Math.min(1, v + 0.3) : v;
  });
  monitor.observe(shifted.x, 400, shifted.y);
  const [after] = monitor.report();
  assert.equal(after.rows, 400, "the window keeps the last 400 rows only");
  const moved = after.features.filter((f) => f.drifted).map((f) => f.name);
  assert.ok(moved.length >= 15, `${moved.length} drifted`);
  assert.ok(after.driftShare >= 0.75 && after.datasetDrifted);
  assert.deepEqual(
    new Set(after.features.slice(0, 15).map((f) => f.name)),
    new Set(bundle.features.slice(0, 15).map((f) => f.name)),
    "the shifted features come first",
  );
  // The report's KS figures are those of the window's counts against the reference.
  const first = bundle.features[0].name;
  const report = after.features.find((f) => f.name === first)!;
  const reference = bundle.reference.features[first].histogram.counts;
  const current = new Array(101).fill(0);
  for (let r = 0; r < 400; r++) current[Math.round(shifted.x[r * width] * 100)]++;
  assert.equal(report.ksStatistic, ksStatistic(reference, current));
  const referenceRows = bundle.reference.features[first].count; // its present values
  assert.equal(report.ksPValue, ksPValue(report.ksStatistic, referenceRows, 400));
});

Deno.test("data quality: missing rate against training, values outside the training range", () => {
  const monitor = new DriftMonitor(bundle);
  const gappy = bundle.features[0].name;
  const { min, max } = bundle.reference.features[gappy];
  // Row r: feature 0 missing every 4th row, below the training minimum every 5th.
  const rows = rowsOf(
    200,
    (r, j) => j === 0 ? (r % 4 === 0 ? NaN : r % 5 === 0 ? min - 0.005 : (min + max) / 2) : 0.5,
  );
  monitor.observe(rows.x, 200, rows.y);
  const column = monitor.report()[0].features.find((f) => f.name === gappy)!;
  assert.equal(column.missingRate, 50 / 200);
  assert.equal(column.referenceMissingRate, bundle.reference.features[gappy].missingRate);
  // Rows 5, 15, 25, ... (multiples of 5, not of 4): 30 of the 150 present values.
  assert.equal(column.outOfRangeRate, 30 / 150);
});

Deno.test("too few rows are reported but not judged", () => {
  const monitor = new DriftMonitor(bundle, { ...DEFAULT_DRIFT_SETTINGS, minRows: 50 });
  const rows = rowsOf(49, () => 1);
  monitor.observe(rows.x, 49, rows.y);
  const [report] = monitor.report();
  assert.equal(report.judged, false);
  assert.equal(report.datasetDrifted, false);
  assert.ok(report.features.every((f) => !f.drifted && f.ksStatistic > 0.5));
});

Deno.test("another instance's counts merge in when they are of the same model only", async () => {
  const settings = { ...DEFAULT_DRIFT_SETTINGS, windowRows: 100 };
  const mine = new DriftMonitor(bundle, settings);
  const peer = new DriftMonitor(bundle, settings);
  const other = new DriftMonitor(await testBundle({ seed: 9 }), settings);
  const rows = rowsOf(60, (r) => (r % 10) / 10);
  mine.observe(rows.x, 60, rows.y);
  peer.observe(rows.x, 60, rows.y);
  other.observe(rows.x, 60, rows.y);
  const [merged] = mine.report([peer.counts(), other.counts()]);
  assert.equal(merged.rows, 120);
  assert.match(merged.description, /each instance/);
  assert.equal(mine.report([other.counts()])[0].rows, 60);
});

Deno.test("off, nothing is counted and the report is empty", () => {
  const monitor = new DriftMonitor(bundle, { ...DEFAULT_DRIFT_SETTINGS, enabled: false });
  const rows = rowsOf(10, () => 0.5);
  monitor.observe(rows.x, 10, rows.y);
  assert.deepEqual(monitor.report(), []);
  assert.equal(monitor.counts().rows.rows, 0);
});
