/**
 * A full disk under the prediction log: the server keeps answering predictions, counts
 * the rows it could not write in /metrics and says why in its log. The disk is a real
 * 64 KiB tmpfs, so this needs root (mount); elsewhere the test is skipped with the reason.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCommand } from "../../tools/run_command.ts";
import { sourceCommand, spawnServer } from "../../tools/serve/spawn_server.ts";
import { waitUntilReady } from "../../tools/serve/smoke_test.ts";
import { randomRow, testBundle, writeBundle } from "../support/test_bundle.ts";

const skip = Deno.uid() === 0 ? undefined : "mounting a small tmpfs needs root";
if (skip) console.error(`disk-full test skipped: ${skip}`);

Deno.test({
  name: `a full disk for the prediction log: predictions go on, the loss is counted and said${
    skip ? ` (skipped: ${skip})` : ""
  }`,
  ignore: skip !== undefined,
  sanitizeResources: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "crime-disk-full-" });
    const disk = join(dir, "disk");
    await Deno.mkdir(disk);
    const mount = await runCommand("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", disk], {
      timeoutMs: 30_000,
    });
    assert.equal(mount.code, 0, mount.stderr);
    const bundle = await testBundle();
    const bundlePath = join(dir, "bundle.json");
    await writeBundle(bundlePath, bundle);
    const server = await spawnServer([
      ...sourceCommand(),
      ...["--port", "0", "--model", bundlePath, "--prediction-log", join(disk, "log.jsonl")],
    ]);
    try {
      await waitUntilReady(server.url, 30_000);
      // About 2.5 KB a row: 200 rows are several times what the disk holds.
      for (let i = 0; i < 200; i++) {
        const response = await fetch(`${server.url}/predict`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(randomRow(bundle, i)),
          signal: AbortSignal.timeout(5000),
        });
        assert.equal(response.status, 200, await response.text());
      }
      const deadline = Date.now() + 10_000;
      let dropped = 0;
      while (dropped === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        const metrics = await (await fetch(`${server.url}/metrics`)).text();
        dropped = Number(/^prediction_log_dropped_total (\d+)$/m.exec(metrics)?.[1] ?? 0);
      }
      assert.ok(dropped > 0, "no dropped rows counted in /metrics");
      assert.ok(
        server.logs.some((line) =>
          /prediction log write failed.*No space left on device/.test(line)
        ),
        "the log does not say why",
      );
      // More predictions, more failed flushes: still one line (one a minute at most).
      for (let round = 0; round < 3; round++) {
        for (let i = 0; i < 20; i++) {
          const response = await fetch(`${server.url}/predict`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(randomRow(bundle, i)),
          });
          await response.body?.cancel();
        }
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      const droppedLater = Number(/^prediction_log_dropped_total (\d+)$/m.exec(metrics)?.[1]);
      assert.ok(droppedLater >= dropped + 60, `dropped ${dropped}, then ${droppedLater}`);
      const failureLines = server.logs.filter((line) => line.includes("write failed"));
      assert.equal(failureLines.length, 1, failureLines.join("\n"));
      await waitUntilReady(server.url, 5_000);
    } finally {
      await server.stop();
      await runCommand("umount", [disk], { timeoutMs: 30_000 });
      await Deno.remove(dir, { recursive: true });
    }
  },
});
