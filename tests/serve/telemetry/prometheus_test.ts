import assert from "node:assert/strict";
import { Counter, Gauge, Histogram, renderMetrics } from "../../../serve/telemetry/prometheus.ts";

Deno.test("counters render one sample per label set, with escaped values", () => {
  const c = new Counter("hits_total", "Hits.", ["path"]);
  c.inc(["/a"]);
  c.inc(["/a"], 2);
  c.inc(['say "hi"\\\n']);
  assert.equal(c.get(["/a"]), 3);
  assert.equal(
    c.render(),
    '# HELP hits_total Hits.\n# TYPE hits_total counter\nhits_total{path="/a"} 3\n' +
      'hits_total{path="say \\"hi\\"\\\\\\n"} 1\n',
  );
});

Deno.test("histograms render cumulative buckets, sum and count", () => {
  const h = new Histogram("latency_seconds", "Latency.", ["route"], [0.1, 1]);
  for (const v of [0.05, 0.5, 0.5, 3]) h.observe(["/p"], v);
  assert.equal(
    h.render(),
    [
      "# HELP latency_seconds Latency.",
      "# TYPE latency_seconds histogram",
      'latency_seconds_bucket{route="/p",le="0.1"} 1',
      'latency_seconds_bucket{route="/p",le="1"} 3',
      'latency_seconds_bucket{route="/p",le="+Inf"} 4',
      'latency_seconds_sum{route="/p"} 4.05',
      'latency_seconds_count{route="/p"} 4',
      "",
    ].join("\n"),
  );
});

Deno.test("gauges can be replaced wholesale and metrics concatenate", () => {
  const g = new Gauge("model_info", "Model.", ["version"]);
  g.set(["1"], 1);
  g.clear();
  g.set(["2"], 1);
  const unlabelled = new Counter("up_total", "Up.", []);
  unlabelled.inc();
  assert.equal(
    renderMetrics([g, unlabelled]),
    '# HELP model_info Model.\n# TYPE model_info gauge\nmodel_info{version="2"} 1\n' +
      "# HELP up_total Up.\n# TYPE up_total counter\nup_total 1\n",
  );
});

Deno.test("a wrong number of label values is an error", () => {
  const c = new Counter("x_total", "X.", ["a", "b"]);
  assert.throws(() => c.inc(["only-one"]), /takes labels \(a, b\), got 1 values/);
});

Deno.test("other instances' snapshots merge in: counts add, gauges take the largest", () => {
  const make = () => ({
    hits: new Counter("hits_total", "Hits.", ["path"]),
    memory: new Gauge("memory_bytes", "Memory.", []),
    latency: new Histogram("latency_seconds", "Latency.", ["route"], [0.1, 1]),
  });
  const here = make();
  const there = make();
  here.hits.inc(["/a"], 2);
  there.hits.inc(["/a"], 3);
  there.hits.inc(["/b"]);
  here.memory.set([], 100);
  there.memory.set([], 250);
  here.latency.observe(["/p"], 0.05);
  there.latency.observe(["/p"], 0.5);
  there.latency.observe(["/p"], 3);
  // Snapshots cross a worker boundary by structured clone.
  const snapshot = structuredClone(Object.values(there).map((m) => m.snapshot()));
  const text = renderMetrics(Object.values(here), [snapshot]);
  assert.match(text, /^hits_total\{path="\/a"\} 5$/m);
  assert.match(text, /^hits_total\{path="\/b"\} 1$/m);
  assert.match(text, /^memory_bytes 250$/m);
  assert.match(text, /^latency_seconds_bucket\{route="\/p",le="0.1"\} 1$/m);
  assert.match(text, /^latency_seconds_bucket\{route="\/p",le="1"\} 2$/m);
  assert.match(text, /^latency_seconds_count\{route="\/p"\} 3$/m);
  assert.match(text, /^latency_seconds_sum\{route="\/p"\} 3.55$/m);
  // Merging reads the snapshots; this instance's own series are unchanged.
  assert.equal(here.hits.get(["/a"]), 2);
  assert.match(renderMetrics(Object.values(here)), /^hits_total\{path="\/a"\} 2$/m);
});
