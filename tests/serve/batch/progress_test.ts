import assert from "node:assert/strict";
import { createProgress } from "../../../serve/batch/progress.ts";

function recorder(terminal: boolean) {
  let out = "";
  let t = 0;
  const progress = createProgress({ terminal, write: (s) => out += s, now: () => t });
  return { progress, out: () => out, at: (ms: number) => t = ms };
}

Deno.test("on a terminal: one bar redrawn in place, cleared for a message and at the end", () => {
  const { progress, out, at } = recorder(true);
  at(200);
  progress.update(1000, 0.25);
  at(250);
  progress.update(1500, 0.3); // within 100 ms of the last draw: not redrawn
  at(400);
  progress.update(2000, 0.5);
  progress.message("predict: bad row: line 9");
  at(600);
  progress.update(3000, 0.75);
  progress.done(3000);
  const text = out();
  const clear = "\r\x1b[2K";
  assert.equal(text.split(`${clear}[`).length - 1, 3, "three draws");
  assert.match(text, /\[#{8}-{22}\] 25% 1000 rows 5000 rows\/s/);
  assert.ok(text.includes(`${clear}predict: bad row: line 9\n`), "the bar cleared for the message");
  assert.ok(text.endsWith(clear), "the bar is cleared at the end");
  assert.doesNotMatch(text, /1500 rows/);
});

Deno.test("elsewhere: a plain line every interval, no control characters", () => {
  const { progress, out, at } = recorder(false);
  at(5_000);
  progress.update(100, 0.1); // before the first 10 s
  at(10_000);
  progress.update(200, 0.2);
  at(15_000);
  progress.update(300, 0.3);
  at(20_000);
  progress.update(400, 0.4);
  progress.done(400);
  assert.equal(
    out(),
    "predict: 200 rows scored, 20% of the input read, 20 rows/s\n" +
      "predict: 400 rows scored, 40% of the input read, 20 rows/s\n",
  );
});
