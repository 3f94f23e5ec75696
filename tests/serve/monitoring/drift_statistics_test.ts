/**
 * The drift statistics against SciPy and NumPy (from the project's virtualenv) on fixed
 * samples on the data set's 0.01 grid: KS statistic and p-value as `scipy.stats.ks_2samp`
 * (its exact method, which its default uses at these sizes), the Wasserstein distance as
 * `scipy.stats.wasserstein_distance`, the standard deviation as `numpy.std`, and the PSI
 * as its formula computed with NumPy; all to 1e-9. Beyond the exact limit the
 * KS p-value is asymptotic and is checked against SciPy's asymptotic one, to 2e-3.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  gridStd,
  KS_EXACT_LIMIT,
  ksPValue,
  ksStatistic,
  psi,
  wassersteinDistance,
} from "../../../serve/monitoring/drift_statistics.ts";

const PYTHON = join(new URL("../../../", import.meta.url).pathname, ".venv/bin/python");

/** Each case: sizes and the distributions the two samples are drawn from. */
const SCRIPT = `
import json, sys
import numpy as np
from scipy import stats
rng = np.random.default_rng(20261201)
def grid(values):
    return np.clip(np.round(values * 100), 0, 100) / 100
cases = [
    ("same distribution", 50, 80, lambda n: rng.beta(2, 5, n), lambda n: rng.beta(2, 5, n)),
    ("shifted", 200, 200, lambda n: rng.beta(2, 5, n), lambda n: rng.beta(3, 4, n)),
    ("heavy ties", 300, 120, lambda n: rng.choice([0.0, 0.01, 0.5, 1.0], n), lambda n: rng.choice([0.0, 0.5, 1.0], n)),
    ("large, slight shift", 1000, 700, lambda n: rng.uniform(0, 1, n), lambda n: rng.uniform(0.03, 1, n)),
    ("disjoint", 40, 30, lambda n: rng.uniform(0, 0.3, n), lambda n: rng.uniform(0.6, 1, n)),
    ("asymptotic", 2000, 1500, lambda n: rng.beta(2, 5, n), lambda n: rng.beta(2.2, 5, n)),
]
out = []
for name, n1, n2, f1, f2 in cases:
    a, b = grid(f1(n1)), grid(f2(n2))
    ks = stats.ks_2samp(a, b)
    asymp = stats.ks_2samp(a, b, method="asymp")
    # Ten groups of grid points: 0.00-0.09, 0.10-0.19, ..., 0.90-1.00 (integer binning:
    # float edges such as 0.30000000000000004 would put 0.3 in the group below).
    group = lambda x: np.minimum(np.round(x * 100).astype(int) // 10, 9)
    r = np.maximum(np.bincount(group(a), minlength=10) / n1, 1e-4)
    c = np.maximum(np.bincount(group(b), minlength=10) / n2, 1e-4)
    out.append({
        "name": name, "a": a.tolist(), "b": b.tolist(),
        "d": float(ks.statistic), "p": float(ks.pvalue), "pAsymp": float(asymp.pvalue),
        "wasserstein": float(stats.wasserstein_distance(a, b)),
        "std": float(np.std(a)),
        "psi": float(np.sum((c - r) * np.log(c / r))),
    })
json.dump(out, sys.stdout)
`;

interface Case {
  name: string;
  a: number[];
  b: number[];
  d: number;
  p: number;
  pAsymp: number;
  wasserstein: number;
  std: number;
  psi: number;
}

function counts(values: number[]): number[] {
  const bins = new Array(101).fill(0);
  for (const v of values) bins[Math.round(v * 100)]++;
  return bins;
}

const { code, stdout, stderr } = await new Deno.Command(PYTHON, {
  args: ["-c", SCRIPT],
  stdout: "piped",
  stderr: "piped",
}).output();
if (code !== 0) throw new Error(`SciPy reference failed:\n${new TextDecoder().decode(stderr)}`);
const cases: Case[] = JSON.parse(new TextDecoder().decode(stdout));

for (const c of cases) {
  Deno.test(`drift statistics equal SciPy's: ${c.name} (${c.a.length} vs ${c.b.length})`, () => {
    const ref = counts(c.a), cur = counts(c.b);
    const close = (actual: number, expected: number, what: string, tolerance = 1e-9) =>
      assert.ok(
        Math.abs(actual - expected) <= tolerance,
        `${what}: ${actual} vs SciPy's ${expected}`,
      );
    const d = ksStatistic(ref, cur);
    close(d, c.d, "KS statistic");
    if (c.a.length * c.b.length <= KS_EXACT_LIMIT) {
      close(ksPValue(d, c.a.length, c.b.length), c.p, "KS p");
    } else close(ksPValue(d, c.a.length, c.b.length), c.pAsymp, "asymptotic KS p", 2e-3);
    close(wassersteinDistance(ref, cur, 0.01), c.wasserstein, "Wasserstein");
    close(gridStd(ref, 0, 0.01), c.std, "std");
    close(psi(ref, cur), c.psi, "PSI");
  });
}

Deno.test("identical samples: no gap, p-value 1, zero distance and index", () => {
  const same = counts([0.1, 0.2, 0.2, 0.9]);
  assert.equal(ksStatistic(same, same), 0);
  assert.equal(ksPValue(0, 4, 4), 1);
  assert.equal(wassersteinDistance(same, same, 0.01), 0);
  assert.equal(psi(same, same), 0);
});
