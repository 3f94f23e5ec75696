import assert from "node:assert/strict";
import { entryPoint, underCi, userName } from "../../pipeline/stage_support/run_source.ts";

const CI_VARIABLES = ["CI", "GITHUB_ACTIONS", "GITLAB_CI", "JENKINS_URL", "BUILDKITE"];

/** Runs `body` with these variables set (or removed, for `undefined`), then restores them. */
function withEnv(values: Record<string, string | undefined>, body: () => void): void {
  const saved = Object.fromEntries(Object.keys(values).map((k) => [k, Deno.env.get(k)]));
  const apply = (vars: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(vars)) {
      v === undefined ? Deno.env.delete(k) : Deno.env.set(k, v);
    }
  };
  apply(values);
  try {
    body();
  } finally {
    apply(saved);
  }
}

const noCi = Object.fromEntries(CI_VARIABLES.map((name) => [name, undefined]));

Deno.test("a run is a JOB under CI and LOCAL otherwise; CI=false means no CI", () => {
  withEnv(noCi, () => assert.equal(underCi(), false));
  withEnv({ ...noCi, CI: "true" }, () => assert.equal(underCi(), true));
  withEnv({ ...noCi, GITHUB_ACTIONS: "true" }, () => assert.equal(underCi(), true));
  withEnv({ ...noCi, CI: "false" }, () => assert.equal(underCi(), false));
  withEnv({ ...noCi, CI: "0" }, () => assert.equal(underCi(), false));
});

Deno.test("the user is read as MLflow's Python client reads it: LOGNAME first", () => {
  withEnv({ LOGNAME: "ana", USER: "bo" }, () => assert.equal(userName(), "ana"));
  withEnv({ LOGNAME: undefined, USER: "bo" }, () => assert.equal(userName(), "bo"));
});

Deno.test("the entry point is named relative to the working directory", () => {
  assert.equal(
    entryPoint(new URL("pipeline/stages/train.ts", `file://${Deno.cwd()}/`).href),
    "pipeline/stages/train.ts",
  );
  assert.equal(entryPoint("file:///elsewhere/x.ts"), "/elsewhere/x.ts");
  assert.equal(entryPoint("https://example.com/x.ts"), "https://example.com/x.ts");
});

Deno.test("without --allow-env or --allow-run, the source is read without a prompt", async () => {
  const script = `
    import { currentRunSource } from "${
    new URL("../../pipeline/stage_support/run_source.ts", import.meta.url).href
  }";
    console.log(JSON.stringify(currentRunSource()));`;
  // `deno run -` reads the script from stdin and, unlike `deno eval`, grants nothing.
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", "-"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(script));
  await writer.close();
  const out = await child.output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, stderr);
  const source = JSON.parse(new TextDecoder().decode(out.stdout));
  assert.equal(source.user, "unknown");
  assert.equal(source.sourceType, "LOCAL");
  assert.equal(source.gitCommit, undefined);
});
