/**
 * The `/dashboard` page in a real browser: Debian's Chromium, headless, opens it on a real
 * server fed shifted traffic and some feedback. The page's script must draw its four
 * charts (it marks the body when done) from the server's own plotly.js, report the drift,
 * and a screenshot is taken (its path is printed). Skipped, with the reason, without
 * Chromium.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCommand } from "../../tools/run_command.ts";
import { sourceCommand, spawnServer } from "../../tools/serve/spawn_server.ts";
import { waitUntilReady } from "../../tools/serve/smoke_test.ts";
import { randomRow, testBundle, writeBundle } from "../support/test_bundle.ts";

const CHROMIUM = "/usr/bin/chromium";
const skip = await Deno.stat(CHROMIUM).then(
  () => undefined,
  () => `${CHROMIUM} is missing (Debian package chromium)`,
);
if (skip) console.error(`dashboard browser test skipped: ${skip}`);

function chromium(url: string, ...flags: string[]) {
  return runCommand(CHROMIUM, [
    "--headless",
    "--no-sandbox", // as root, Chromium refuses to start with its sandbox
    "--disable-gpu",
    "--hide-scrollbars",
    "--window-size=1300,1000",
    "--virtual-time-budget=20000",
    ...flags,
    url,
  ], { timeoutMs: 90_000 });
}

Deno.test({
  name: "Chromium draws the dashboard's four charts from the server's own plotly.js",
  ignore: skip !== undefined,
  async fn() {
    const bundle = await testBundle();
    const dir = await Deno.makeTempDir({ prefix: "dashboard_browser_" });
    const bundlePath = join(dir, "bundle.json");
    await writeBundle(bundlePath, bundle);
    const server = await spawnServer([
      ...sourceCommand(),
      ...["--port", "0", "--model", bundlePath, "--prediction-log", "off"],
      ...["--feedback-store", `sqlite:${join(dir, "feedback.db")}`, "--drift-min-rows", "50"],
    ]);
    await waitUntilReady(server.url, 30_000);
    try {
      // Rows shifted up by 0.4: the page must say the data set drifted.
      const rows = Array.from(
        { length: 200 },
        (_, i) =>
          Object.fromEntries(
            Object.entries(randomRow(bundle, i)).map((
              [k, v],
            ) => [k, v === null ? v : Math.min(1, v + 0.4)]),
          ),
      );
      const batch = await fetch(`${server.url}/predict/batch`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ rows }),
      });
      const { requestId, predictions } = await batch.json();
      const feedback = await fetch(`${server.url}/feedback`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          actuals: predictions.slice(0, 50).map((p: number, row: number) => ({
            requestId,
            row,
            actual: Math.min(1, p + 0.1),
          })),
        }),
      });
      assert.equal(feedback.status, 200);
      await new Promise((resolve) => setTimeout(resolve, 1100)); // past the report's 1 s cache

      const dom = await chromium(`${server.url}/dashboard`, "--dump-dom");
      assert.equal(dom.code, 0, dom.stderr.slice(-2000));
      assert.match(dom.stdout, /<body[^>]*data-charts="4"/, "the script drew its four charts");
      assert.equal(
        [...dom.stdout.matchAll(/class="main-svg"/g)].length >= 4,
        true,
        "four plotly charts",
      );
      assert.match(dom.stdout, /data set DRIFTED/);
      assert.doesNotMatch(dom.stdout, /Cannot draw/);

      const screenshot = join(dir, "dashboard.png");
      const shot = await chromium(`${server.url}/dashboard`, `--screenshot=${screenshot}`);
      assert.equal(shot.code, 0, shot.stderr.slice(-2000));
      const png = await Deno.readFile(screenshot);
      assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47], "a PNG");
      assert.ok(png.length > 30_000, `a screenshot with charts in it, ${png.length} bytes`);
      const kept = join(
        await Deno.makeTempDir({ prefix: "dashboard_screenshot_" }),
        "dashboard.png",
      );
      await Deno.copyFile(screenshot, kept);
      console.error(`dashboard screenshot: ${kept} (${png.length} bytes)`);
    } finally {
      await server.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
