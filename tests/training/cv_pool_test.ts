/**
 * The worker pool runs cross-validations side by side with the same results as this
 * thread, passes progress back, leaves features out when asked, and reports a bad
 * candidate's error by its configuration path.
 */
import assert from "node:assert/strict";
import { CandidateSchema } from "../../pipeline/config/params_schema.ts";
import type { TrainingData } from "../../pipeline/training/cross_validate.ts";
import { type CvJob, runCvJob } from "../../pipeline/training/cv_job.ts";
import { CvPool } from "../../pipeline/training/cv_pool.ts";
import { UserError } from "../../pipeline/core/user_error.ts";
import { linearTarget, uniformMatrix } from "../support/linear_data.ts";

const x = uniformMatrix(90, 3, 2);
const data: TrainingData = {
  x,
  y: linearTarget(x, [0.5, -0.2, 0.1], 0.2, 0.03, 7),
  folds: Float64Array.from({ length: 90 }, (_, i) => (i % 3) + 1),
  spec: { inputFeatures: ["a", "b", "c"], indicators: [], interactions: [] },
};
const job = (family: string, params = {}, drop?: string[]): CvJob => ({
  name: family,
  candidate: CandidateSchema.parse({
    family,
    params,
    grid: family === "ridge" ? { alpha: [0.1, 10] } : undefined,
  }),
  cvFolds: [1, 2, 3],
  seed: 5,
  source: "train.candidates[0]",
  drop,
});

Deno.test("jobs on two workers give this thread's results, to the last bit", async () => {
  const pool = new CvPool(data, 2);
  try {
    const lines: string[] = [];
    const jobs = [
      job("ridge"),
      job("gbm", { nEstimators: 20, minSamplesLeaf: 5 }),
      job("ols", {}, ["b"]),
    ];
    const pooled = await Promise.all(jobs.map((j) => pool.run(j, (l) => lines.push(l))));
    for (const [i, j] of jobs.entries()) {
      const here = await runCvJob(data, j, () => {});
      assert.deepEqual(pooled[i].oof, here.oof);
      assert.deepEqual(pooled[i].folds.map((f) => f.params), here.folds.map((f) => f.params));
    }
    assert.equal(lines.length, 9); // a line per fold of each job
    // Leaving "b" out changes the fit.
    const all = await runCvJob(data, job("ols"), () => {});
    assert.notDeepEqual(pooled[2].oof, all.oof);
  } finally {
    pool.close();
  }
});

Deno.test("a bad candidate fails its job with the configuration path", async () => {
  const pool = new CvPool(data, 1);
  try {
    await assert.rejects(
      pool.run(job("ridge", { alpha: -1 }), () => {}),
      (e) => e instanceof UserError && /train.candidates\[0\].params: alpha/.test(e.message),
    );
    // The worker takes the next job after a failure.
    assert.ok((await pool.run(job("ols"), () => {})).pooled.rmse < 0.1);
  } finally {
    pool.close();
  }
});
