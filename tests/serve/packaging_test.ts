import assert from "node:assert/strict";
import { parse } from "yaml";

const root = new URL("../../", import.meta.url);
const read = (path: string) => Deno.readTextFile(new URL(path, root));

Deno.test("dockerfilelint finds no issue in the Dockerfile", async () => {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--unsafe-proto", "npm:dockerfilelint@1.8.0", "-o", "json", "Dockerfile"],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const report = new TextDecoder().decode(stdout);
  assert.equal(code, 0, `${report}\n${new TextDecoder().decode(stderr)}`);
  assert.equal(JSON.parse(report).totalIssues, 0, report);
});

Deno.test("the image compiles in a builder stage and runs the binary as non-root", async () => {
  const lines = (await read("Dockerfile")).split("\n").filter((l) => !l.startsWith("#"));
  const from = lines.filter((l) => l.startsWith("FROM "));
  assert.equal(from.length, 2);
  assert.match(from[0], /^FROM denoland\/deno:2\.9\.6 AS builder$/);
  assert.match(from[1], /^FROM gcr\.io\/distroless\/cc-debian12:nonroot$/);
  const final = lines.slice(lines.indexOf(from[1]));
  assert.ok(final.includes("USER nonroot"));
  assert.ok(final.includes("EXPOSE 8080"));
  assert.ok(
    final.some((l) => /^HEALTHCHECK .*CMD \["\/app\/crime-serve", "--healthcheck"\]$/.test(l)),
  );
  assert.ok(final.includes('ENTRYPOINT ["/app/crime-serve"]'));
});

Deno.test("every path the Dockerfile copies gets past .dockerignore", async () => {
  const allowed = (await read(".dockerignore")).split("\n").filter((l) => l.startsWith("!")).map((
    l,
  ) => l.slice(1));
  const copied = [...(await read("Dockerfile")).matchAll(/^COPY (?!--from)(.+) \S+$/gm)]
    .flatMap((m) => m[1].split(" "))
    .map((path) => path.replace("${BUNDLE}", "models/model_bundle.json"));
  assert.ok(copied.length >= 5);
  for (const path of copied) {
    assert.ok(allowed.some((a) => path === a || path.startsWith(a)), `${path} is ignored`);
  }
});

Deno.test("the binary workflow pins its actions and Deno, then compiles and smoke-tests", async () => {
  const workflow = parse(await read(".github/workflows/serve-binary.yml"));
  const steps: { uses?: string; run?: string; with?: Record<string, string> }[] =
    workflow.jobs.binary.steps;
  for (const step of steps.filter((s) => s.uses)) {
    assert.match(step.uses!, /@v\d+\.\d+\.\d+$/, step.uses);
  }
  assert.equal(
    steps.find((s) => s.uses?.startsWith("denoland/setup-deno"))?.with?.["deno-version"],
    "2.9.6",
  );
  const runs = steps.map((s) => s.run ?? "").join("\n");
  assert.match(runs, /tools\/compile\.ts\s+--bundle \S+ --output dist\/crime-serve/);
  assert.match(runs, /tools\/serve\/smoke_test\.ts dist\/crime-serve/);
});
