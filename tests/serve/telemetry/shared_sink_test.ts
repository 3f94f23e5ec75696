import assert from "node:assert/strict";
import type { ByteSink } from "../../../serve/telemetry/prediction_log.ts";
import { SharedSink } from "../../../serve/telemetry/shared_sink.ts";

/** A sink whose writes take a while and that fails if two overlap. */
class OverlapCheckingSink implements ByteSink {
  readonly written: string[] = [];
  closed = false;
  #busy = false;
  async write(bytes: Uint8Array): Promise<void> {
    if (this.#busy) throw new Error("overlapping write");
    this.#busy = true;
    await new Promise((resolve) => setTimeout(resolve, 2));
    this.written.push(new TextDecoder().decode(bytes));
    this.#busy = false;
  }
  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

const bytes = (text: string) => new TextEncoder().encode(text);

Deno.test("writes from several handles never overlap and keep their order", async () => {
  const file = new OverlapCheckingSink();
  const shared = new SharedSink(file);
  const [a, b] = [shared.handle(), shared.handle()];
  await Promise.all([a.write(bytes("a1")), b.write(bytes("b1")), a.write(bytes("a2"))]);
  assert.deepEqual(file.written, ["a1", "b1", "a2"]);
});

Deno.test("closing a handle waits for queued writes but leaves the file open", async () => {
  const file = new OverlapCheckingSink();
  const shared = new SharedSink(file);
  const handle = shared.handle();
  handle.write(bytes("x"));
  await handle.close();
  assert.deepEqual(file.written, ["x"]);
  assert.equal(file.closed, false);
  await shared.close();
  assert.equal(file.closed, true);
});

Deno.test("a failed write rejects for its writer only; later writes go on", async () => {
  let calls = 0;
  const shared = new SharedSink({
    write: () => ++calls === 1 ? Promise.reject(new Error("disk full")) : Promise.resolve(),
    close: () => Promise.resolve(),
  });
  await assert.rejects(shared.write(bytes("lost")), /disk full/);
  await shared.write(bytes("kept"));
  assert.equal(calls, 2);
});

Deno.test("rows the file lost at open are handed to the first handle only", () => {
  const shared = new SharedSink({
    write: () => Promise.resolve(),
    close: () => Promise.resolve(),
    rowsLostAtOpen: 1,
  });
  assert.equal(shared.handle().rowsLostAtOpen, 1);
  assert.equal(shared.handle().rowsLostAtOpen, 0);
});
