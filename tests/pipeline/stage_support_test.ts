import assert from "node:assert/strict";
import { join } from "node:path";
import { currentProcess, processLiveness } from "../../pipeline/stage_support/process_identity.ts";
import { ownerTags, runOwner } from "../../pipeline/stage_support/stage_runs.ts";
import { StagedOutputs } from "../../pipeline/stage_support/staged_outputs.ts";

Deno.test("a process is alive while it runs, gone once it exited or its pid was reused", async () => {
  const me = currentProcess();
  assert.ok(me.started, "ps gives the start time");
  assert.equal(processLiveness(me), "alive");
  assert.equal(processLiveness({ ...me, started: "Thu Jan 1 00:00:00 1970" }), "gone");
  const child = new Deno.Command("true").spawn();
  await child.status;
  assert.equal(processLiveness({ host: me.host, pid: child.pid }), "gone");
  assert.equal(processLiveness({ host: "some-other-host", pid: child.pid }), "unknown");
});

Deno.test("owner tags round-trip; a run without them has no owner", () => {
  const owner = { host: "h", pid: 42, started: "Tue Dec 1 09:00:00 2026" };
  assert.deepEqual(runOwner(ownerTags(owner)), owner);
  assert.equal(runOwner({ "pipeline.stage": "train" }), undefined);
});

Deno.test("staged outputs reach their paths only on commit; a discard keeps the old ones", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "models", "bundle.json");
    await Deno.mkdir(join(dir, "models"));
    await Deno.writeTextFile(path, "old\n");
    const failed = new StagedOutputs();
    await failed.writeJson(path, { v: 2 });
    assert.equal(await Deno.readTextFile(path), "old\n");
    await failed.discard();
    assert.deepEqual(
      (await Array.fromAsync(Deno.readDir(join(dir, "models")))).map((e) => e.name),
      [
        "bundle.json",
      ],
    );
    const done = new StagedOutputs();
    const staged = await done.writeJson(path, { v: 3 });
    assert.equal(staged, `${path}.partial`);
    await done.commit();
    assert.deepEqual(JSON.parse(await Deno.readTextFile(path)), { v: 3 });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
