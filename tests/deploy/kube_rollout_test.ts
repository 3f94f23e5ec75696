/**
 * The rollout script the deploy workflow runs per environment. No cluster runs here, so
 * `kubectl` is a stand-in script that records its arguments, fails `rollout status` when
 * told to, and holds a port-forward open; the smoke test behind it is real, against the
 * prediction server started on this host with a real bundle.
 */
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { runCommand } from "../../tools/run_command.ts";
import { sourceCommand, spawnServer } from "../../tools/serve/spawn_server.ts";
import { testBundle, writeBundle } from "../support/test_bundle.ts";

const SCRIPT = new URL("../../tools/deploy/kube_rollout.sh", import.meta.url).pathname;
const DIGEST = `ghcr.io/acme/crime/crime-serve@sha256:${"d".repeat(64)}`;

const FAKE_KUBECTL = `#!/usr/bin/env bash
echo "$*" >> "$FAKE_KUBECTL_LOG"
case "$*" in
  *"rollout status"*)
    if [ -f "$FAKE_KUBECTL_UNHEALTHY" ]; then rm -f "$FAKE_KUBECTL_UNHEALTHY"; exit 1; fi ;;
  *port-forward*) exec sleep 120 ;;
esac
exit 0
`;

Deno.test({
  name: "kube_rollout.sh: applied and smoke-tested, or undone on a bad rollout or smoke test",
  // The server and the stand-in's port-forward are child processes, stopped below.
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "crime-kube-" });
    const shipped = join(dir, "shipped.json");
    const other = join(dir, "other.json");
    await writeBundle(shipped, await testBundle());
    await writeBundle(other, await testBundle({ seed: 4 }));
    await Deno.mkdir(join(dir, "bin"));
    await Deno.writeTextFile(join(dir, "bin", "kubectl"), FAKE_KUBECTL, { mode: 0o755 });
    const server = await spawnServer([
      ...sourceCommand(),
      ...["--port", "0", "--model", shipped, "--prediction-log", "off"],
    ]);
    const log = join(dir, "kubectl.log");
    const rollout = async (bundle: string, unhealthy = false) => {
      await Deno.mkdir(join(dir, "overlays", "staging"), { recursive: true });
      await Deno.writeTextFile(
        join(dir, "overlays", "staging", "kustomization.yaml"),
        "resources: [../../base]\nimages:\n  - name: crime-serve\n    newTag: staging\n",
      );
      await Deno.writeTextFile(log, "");
      if (unhealthy) await Deno.writeTextFile(join(dir, "unhealthy"), "");
      const result = await runCommand("bash", [SCRIPT, "staging", DIGEST, bundle], {
        env: {
          PATH: `${join(dir, "bin")}:${dirname(Deno.execPath())}:${Deno.env.get("PATH")}`,
          OVERLAYS: join(dir, "overlays"),
          SMOKE_PORT: new URL(server.url).port,
          ROLLOUT_TIMEOUT: "1m",
          FAKE_KUBECTL_LOG: log,
          FAKE_KUBECTL_UNHEALTHY: join(dir, "unhealthy"),
        },
        timeoutMs: 120_000,
      });
      const calls = (await Deno.readTextFile(log)).trimEnd().split("\n");
      return { ...result, calls, text: result.stdout + result.stderr };
    };
    try {
      await t.step("a healthy rollout serving the shipped bundle passes", async () => {
        const run = await rollout(shipped);
        assert.equal(run.code, 0, run.text);
        assert.deepEqual(run.calls, [
          `apply -k ${join(dir, "overlays", "staging")}`,
          "-n crime-staging rollout status deployment/crime-serve --timeout=1m",
          `-n crime-staging port-forward service/crime-serve ${new URL(server.url).port}:80`,
        ]);
        assert.match(
          run.text,
          /smoke: POST \/predict of the known row: .* as the shipped bundle predicts/,
        );
        const pinned = await Deno.readTextFile(
          join(dir, "overlays", "staging", "kustomization.yaml"),
        );
        assert.match(pinned, /digest: sha256:d{64}/);
        assert.match(pinned, /SERVE_MODEL=embedded/);
      });
      await t.step(
        "a rollout that does not become healthy is undone, with no smoke test",
        async () => {
          const run = await rollout(shipped, true);
          assert.equal(run.code, 1, run.text);
          assert.match(run.text, /::error::the rollout did not become healthy within 1m: undoing/);
          assert.deepEqual(run.calls.slice(1), [
            "-n crime-staging rollout status deployment/crime-serve --timeout=1m",
            "-n crime-staging rollout undo deployment/crime-serve",
            "-n crime-staging rollout status deployment/crime-serve --timeout=1m",
          ]);
        },
      );
      await t.step("a failed smoke test (another bundle served) is undone", async () => {
        const run = await rollout(other);
        assert.equal(run.code, 1, run.text);
        assert.match(run.text, /smoke: FAILED: serves bundle [0-9a-f]{64}, expected [0-9a-f]{64}/);
        assert.match(run.text, /::error::the smoke test failed: undoing/);
        assert.equal(run.calls.at(-2), "-n crime-staging rollout undo deployment/crime-serve");
      });
    } finally {
      await server.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
