/**
 * `dvc plots show` draws offline: the real DVC renders the plots of `dvc.yaml` with the
 * project's templates (`.dvc/plots/`) and page (`.dvc/config` `plots.html_template`),
 * from the plot data committed under `reports/plots/`, and headless Chromium draws every
 * plot from the vega packages in `node_modules/` without a network request. Skipped, with
 * the reason, without Chromium.
 */
import assert from "node:assert/strict";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import { runCommand } from "../../tools/run_command.ts";
import { chromiumMissing, renderPage } from "../support/headless_chromium.ts";

const root = resolve(".");
const dvc = join(root, ".venv/bin/dvc");

interface DvcYaml {
  readonly plots: readonly Record<string, { template?: string }>[];
  readonly stages: { evaluate: { plots: readonly Record<string, { template?: string }>[] } };
}
const dvcYaml = parse(await Deno.readTextFile("dvc.yaml")) as DvcYaml;
const plots = [...dvcYaml.plots, ...dvcYaml.stages.evaluate.plots].map((p) => Object.values(p)[0]);

Deno.test("every plot uses one of the project's templates", async () => {
  for (const plot of plots) {
    assert.ok(plot.template, "a plot without a template gets DVC's default");
    const text = await Deno.readTextFile(`.dvc/plots/${plot.template}.json`);
    assert.match(text, /<DVC_METRIC_DATA>/);
  }
});

Deno.test({
  name: "dvc plots show draws every plot offline" +
    (chromiumMissing ? ` (skipped: ${chromiumMissing})` : ""),
  ignore: chromiumMissing !== undefined,
  async fn() {
    // The page loads ../node_modules/...: the output folder sits one level below a folder
    // that holds (a link to) the project's node_modules, as dvc_plots/ does in the project.
    const dir = await Deno.makeTempDir({ prefix: "dvc_plots_" });
    try {
      await Deno.symlink(
        await Deno.realPath(join(root, "node_modules")),
        join(dir, "node_modules"),
      );
      const out = join(dir, "dvc_plots");
      const shown = await runCommand(dvc, ["plots", "show", "-o", out], {
        env: { NO_COLOR: "1", DVC_NO_ANALYTICS: "1" },
        timeoutMs: 120_000,
      });
      assert.equal(shown.code, 0, shown.stderr);
      const page = await Deno.readTextFile(join(out, "index.html"));
      assert.doesNotMatch(page, /<script[^>]+src="https?:/, "no script from a CDN");
      assert.equal(page.match(/vegaEmbed\(/g)?.length, plots.length, "one embed per plot");

      const { dom, networkRequests } = await renderPage(`file://${out}/index.html`);
      assert.deepEqual(networkRequests, [], "the page made no network request");
      // vega-embed draws each plot into a canvas (its default renderer) or an svg.
      const drawn = dom.match(/<(canvas|svg)[^>]*class="marks"/g) ?? [];
      assert.equal(drawn.length, plots.length, "every plot drawn");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
