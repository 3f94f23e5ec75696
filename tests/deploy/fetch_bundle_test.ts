/**
 * Fetching the bundle a deployment ships, from a real MLflow server, as the deploy
 * workflow runs the script: by version number or alias, the bundle checked and written,
 * the step outputs set; a missing version named.
 */
import assert from "node:assert/strict";
import { join, resolve } from "node:path";
import { checksumVersion } from "../../serve/model/model_source.ts";
import { startTestServer } from "../support/mlflow_server.ts";
import { registerVersion } from "../support/registry_fixtures.ts";
import { testBundle } from "../support/test_bundle.ts";

const NAME = "crime-fetch-test";

Deno.test("fetch_bundle.ts writes a version's checked bundle and the step outputs", async () => {
  const server = await startTestServer();
  const dir = await Deno.makeTempDir({ prefix: "crime-fetch-" });
  const fetchBundle = async (...args: string[]) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--frozen",
        "-A",
        resolve("tools/deploy/fetch_bundle.ts"),
        "--name",
        NAME,
        ...args,
      ],
      env: { MLFLOW_TRACKING_URI: server.uri, GITHUB_OUTPUT: join(dir, "outputs") },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
    return { code: out.code, text: decode(out.stdout) + decode(out.stderr) };
  };
  try {
    const first = await testBundle();
    const second = await testBundle({ seed: 3 });
    await registerVersion(server.client, NAME, first, "previous-champion");
    const v2 = await registerVersion(server.client, NAME, second, "champion");

    const output = join(dir, "bundle.json");
    const run = await fetchBundle("--version", v2, "--output", output);
    assert.equal(run.code, 0, run.text);
    assert.equal(JSON.parse(await Deno.readTextFile(output)).checksum, second.checksum);
    assert.equal(
      await Deno.readTextFile(join(dir, "outputs")),
      `version=${v2}\nchecksum=${second.checksum}\nserved-version=${checksumVersion(second)}\n`,
    );

    const byAlias = await fetchBundle("--alias", "previous-champion", "--output", output);
    assert.equal(byAlias.code, 0, byAlias.text);
    assert.equal(JSON.parse(await Deno.readTextFile(output)).checksum, first.checksum);

    const missing = await fetchBundle("--version", "99", "--output", join(dir, "none.json"));
    assert.equal(missing.code, 1);
    assert.match(missing.text, new RegExp(`fetch-bundle: ${NAME} v99: `));
    assert.doesNotMatch(missing.text, /\bat .*\.ts:\d+/);

    const malformed = await fetchBundle("--version", "latest", "--output", output);
    assert.equal(malformed.code, 1);
    assert.match(malformed.text, /--version is "latest", not a registry version number/);
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
