import assert from "node:assert/strict";
import { runPythonCode } from "./notebook_tools.ts";

/**
 * Feeds IOPub messages to the executor's OutputCollector and returns the outputs of
 * requests "a" (execution 1, finished) and "b" (running), or the error it raised.
 */
async function collect(
  messages: unknown[],
): Promise<{ a?: unknown[]; b?: unknown[]; error?: string }> {
  const script = `
import json, sys
sys.path.insert(0, "tools/notebooks")
from execute_notebook import NotebookError, OutputCollector
collector, a, b = OutputCollector(), [], []
collector.track("a", a)
collector.record_count("a", 1)
collector.track("b", b)
try:
    for msg_type, parent, content in json.loads(sys.argv[1]):
        collector.apply({"header": {"msg_type": msg_type}, "parent_header": {"msg_id": parent}, "content": content})
    print(json.dumps({"a": a, "b": b}))
except NotebookError as error:
    print(json.dumps({"error": str(error)}))
`;
  const result = await runPythonCode(script, [JSON.stringify(messages)]);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout);
}

const stdout = (text: string) => ({ name: "stdout", text });
const result = (count: number) => ({
  execution_count: count,
  data: { "text/plain": "1" },
  metadata: {},
});

Deno.test("outputs go to the request they answer, late ones included, and streams merge", async () => {
  const { a, b } = await collect([
    ["stream", "b", stdout("b1\n")],
    ["stream", "a", stdout("a1\n")],
    ["stream", "a", stdout("a2\n")],
    ["execute_result", "b", result(2)],
    ["status", "b", { execution_state: "idle" }],
  ]);
  assert.deepEqual(a, [{ output_type: "stream", name: "stdout", text: "a1\na2\n" }]);
  assert.deepEqual(b, [
    { output_type: "stream", name: "stdout", text: "b1\n" },
    {
      output_type: "execute_result",
      execution_count: 2,
      data: { "text/plain": "1" },
      metadata: {},
    },
  ]);
});

Deno.test("a result stamped with the next cell's request fails the run", async () => {
  const { error } = await collect([["execute_result", "b", result(1)]]);
  assert.match(error ?? "", /result of execution 1 arrived after the next cell had started/);
});

Deno.test("clear_output with wait clears at the next output, and displays update in place", async () => {
  const display = (text: string) => ({
    data: { "text/plain": text },
    metadata: {},
    transient: { display_id: "progress" },
  });
  const { b } = await collect([
    ["stream", "b", stdout("old\n")],
    ["clear_output", "b", { wait: true }],
    ["display_data", "b", display("0%")],
    ["update_display_data", "b", display("100%")],
  ]);
  assert.deepEqual(b, [{
    output_type: "display_data",
    data: { "text/plain": "100%" },
    metadata: {},
  }]);
});
