import { join } from "node:path";
import { compileServer } from "../../tools/compile.ts";
import { smokeTest } from "../../tools/serve/smoke_test.ts";
import { testBundle, writeBundle } from "../support/test_bundle.ts";

// Compiled once for the module: the registration below needs to know whether it worked.
const dir = await Deno.makeTempDir({ prefix: "serve_binary_" });
const bundlePath = join(dir, "bundle.json");
await writeBundle(bundlePath, await testBundle());
const output = join(dir, "crime-serve");
const built = await compileServer({ bundle: bundlePath, output, typeCheck: false });
// Only a missing runtime download skips; a compile error in the code fails the test.
const skip = !built.ok && built.runtimeUnavailable ? built.reason : undefined;
if (skip) console.error(`compiled binary tests skipped: ${skip}`);

Deno.test({
  name: `the compiled binary serves its embedded bundle${skip ? ` (skipped: ${skip})` : ""}`,
  ignore: skip !== undefined,
  async fn() {
    if (!built.ok) throw new Error(built.reason);
    await smokeTest([output], (line) => console.error(`  ${line}`));
  },
});

Deno.test({
  name: "(clean up)",
  fn: () => Deno.remove(dir, { recursive: true }),
});
