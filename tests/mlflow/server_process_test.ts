import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

Deno.test("commandLine works with the permissions the mlflow task grants", async () => {
  // The task runs without --allow-all; reading /proc/<pid> would be refused there.
  const module = fileURLToPath(new URL("../../pipeline/mlflow/server_process.ts", import.meta.url));
  const script = `import { commandLine } from "${module}";\n` +
    "console.log(await commandLine(Deno.pid) ?? 'undefined');\n" +
    "console.log(await commandLine(2 ** 22 + 7) ?? 'undefined');\n";
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-run", "-"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = out.stdin.getWriter();
  await writer.write(new TextEncoder().encode(script));
  await writer.close();
  const { stdout, stderr, success } = await out.output();
  assert.ok(success, new TextDecoder().decode(stderr));
  const [self, missing] = new TextDecoder().decode(stdout).trim().split("\n");
  assert.match(self, /deno/);
  assert.equal(missing, "undefined");
});
