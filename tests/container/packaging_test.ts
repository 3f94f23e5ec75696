/**
 * The container sources as files: lint, the shape of the Dockerfile's targets, the build
 * context, the compose files and the workflows that build them. (image_test.ts and
 * stack_test.ts build and run them.)
 */
import assert from "node:assert/strict";
import { parse } from "yaml";
import { LOCAL_BASES } from "../../tools/container/base_images.ts";
import { IMAGES } from "../../tools/container/images.ts";
import { podmanEnv, podmanUnavailable } from "../../tools/container/podman.ts";
import { runCommand } from "../../tools/run_command.ts";
import { SERVER_IMPORTS, serverConfig } from "../../tools/container/server_config.ts";

const root = new URL("../../", import.meta.url);
const read = (path: string) => Deno.readTextFile(new URL(path, root));
const DOCKERFILES = [
  "Dockerfile",
  "container/mlflow/Dockerfile",
  ...[...Deno.readDirSync(new URL("container/base/", root))]
    .filter((e) => e.name.endsWith(".Containerfile"))
    .map((e) => `container/base/${e.name}`)
    .sort(),
];

Deno.test("hadolint finds no issue in any Dockerfile", async () => {
  assert.ok(DOCKERFILES.length >= 7, DOCKERFILES.join(", "));
  const { code, stdout, stderr } = await runCommand(".venv/bin/hadolint", [
    "--no-color",
    ...DOCKERFILES,
  ], {
    cwd: root.pathname,
  });
  assert.equal(code, 0, `${stdout}${stderr}`);
});

/** The Dockerfile's stages: name, base, and the instructions of each. */
async function stages() {
  // Join continued lines, drop comments, then split at FROM.
  const text = (await read("Dockerfile")).replace(/\\\n/g, " ");
  const lines = text.split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
  const result: { name: string; from: string; lines: string[] }[] = [];
  for (const line of lines) {
    const from = /^FROM (\S+) AS (\S+)$/.exec(line);
    if (from) result.push({ from: from[1], name: from[2], lines: [] });
    else result.at(-1)?.lines.push(line);
  }
  return { stages: result, globalArgs: lines.filter((l) => l.startsWith("ARG ")).slice(0, 2) };
}

Deno.test("the Dockerfile has two targets on one shared runtime stage, binary by default", async () => {
  const { stages: all, globalArgs } = await stages();
  const deno = (await read(".deno-version")).trim();
  assert.deepEqual(globalArgs, [
    `ARG DENO_IMAGE=docker.io/denoland/deno:debian-${deno}`,
    "ARG RUNTIME_IMAGE=gcr.io/distroless/cc-debian12:nonroot",
  ]);
  const byName = Object.fromEntries(all.map((s) => [s.name, s]));
  assert.equal(all.at(-1)?.name, "binary", "the last stage is what `docker build .` builds");
  assert.equal(byName["binary"].from, "runtime");
  assert.equal(byName["deno-run"].from, "runtime");
  assert.equal(byName["runtime"].from, "${RUNTIME_IMAGE}");
  assert.equal(byName["sources"].from, "${DENO_IMAGE}");
  const runtime = byName["runtime"].lines;
  assert.ok(runtime.includes("USER 65532:65532"));
  assert.ok(runtime.includes("EXPOSE 8080"));
  assert.ok(runtime.includes('VOLUME ["/app/state"]'));
  for (const label of ["version", "revision", "title"]) {
    assert.ok(runtime.some((l) => l.includes(`org.opencontainers.image.${label}=`)), label);
  }
  for (const target of ["binary", "deno-run"]) {
    const lines = byName[target].lines;
    assert.ok(!lines.some((l) => /^(USER|EXPOSE|FROM) /.test(l)), `${target} overrides runtime`);
    const health = lines.find((l) => l.startsWith("HEALTHCHECK "));
    const entry = lines.find((l) => l.startsWith("ENTRYPOINT "));
    assert.ok(health && entry, target);
    // Exec form (no shell at run time), and the health check runs the entry point's own mode.
    const check = JSON.parse(health.slice(health.indexOf("CMD ") + 4));
    const command = JSON.parse(entry.slice("ENTRYPOINT ".length));
    assert.equal(check.at(-1), "--healthcheck");
    assert.equal(check[0], command[0]);
    assert.equal(check.at(-2), command.at(-1), `${target}: health check and server differ`);
  }
});

Deno.test("every path the Dockerfiles copy from the context gets past .dockerignore", async () => {
  const allowed = (await read(".dockerignore")).split("\n").filter((l) => l.startsWith("!"))
    .map((l) => l.slice(1));
  const admitted = (path: string) =>
    allowed.some((a) =>
      a.includes("*")
        ? new RegExp(`^${a.replace(".", "\\.").replace("*", "[^/]+")}$`).test(path)
        : path === a || path.startsWith(a)
    );
  const copies = [...(await read("Dockerfile")).matchAll(/^COPY (?!--from)(.+) \S+$/gm)]
    .flatMap((m) => m[1].split(" "));
  assert.ok(copies.length >= 6, copies.join(" "));
  // BUNDLE given, or not (the instruction's default source then).
  for (const bundle of ["models/model_bundle.json", "dist/test_bundle.json", ""]) {
    const paths = copies.map((p) =>
      p.replace(/\$\{BUNDLE:-([^}]+)\}/, (_, fallback: string) => bundle || fallback)
    );
    for (const path of paths) {
      assert.doesNotMatch(path, /\$/, `${path}: a variable with no default would copy the context`);
      assert.ok(admitted(path), `${path} is ignored`);
    }
  }
  assert.ok(!admitted("data/raw/communities.data"));
  assert.ok(!admitted("mlruns/mlflow.db"));
});

Deno.test("the server's own lock pins exactly what the server imports, as the project's does", async () => {
  const npmImports = new Set<string>();
  for (const entry of ["serve/main.ts", "serve/instances/worker.ts", "tools/compile.ts"]) {
    const { code, stdout, stderr } = await runCommand(Deno.execPath(), ["info", "--json", entry], {
      cwd: root.pathname,
    });
    assert.equal(code, 0, stderr);
    const info = JSON.parse(stdout);
    for (const [from, to] of Object.entries(info.redirects as Record<string, string>)) {
      if (from.startsWith("npm:") && to.startsWith("npm:/")) {
        npmImports.add(from.slice(4, from.lastIndexOf("@")));
      }
    }
    // A file of a package imported as text (plotly.js) is a module of its own, no redirect.
    for (const { specifier } of info.modules as { specifier: string }[]) {
      const file = /^npm:\/((?:@[^/]+\/)?[^@/]+)@[^/]+\/.+/.exec(specifier);
      if (file) npmImports.add(file[1]);
    }
  }
  assert.deepEqual([...npmImports].sort(), [...SERVER_IMPORTS].sort());
  const projectLock = JSON.parse(await read("deno.lock"));
  const { config, lock } = serverConfig(
    JSON.parse(await read("deno.json")),
    projectLock,
    SERVER_IMPORTS,
  );
  for (const [id, entry] of Object.entries(lock.npm)) {
    assert.deepEqual(entry, projectLock.npm[id], id);
  }
  assert.ok(Object.keys(lock.npm).length < Object.keys(projectLock.npm).length / 3);
  assert.deepEqual(config.lock, { path: "deno.lock", frozen: true });
});

Deno.test("compose.yaml: images, health checks, named volumes and no committed secret", async () => {
  const compose = parse(await read("compose.yaml"));
  const services = compose.services as Record<
    string,
    Record<string, unknown> & { profiles?: string[] }
  >;
  const inProfile = (profile?: string) =>
    Object.keys(services).filter((name) => services[name].profiles?.[0] === profile).sort();
  assert.deepEqual(inProfile(), ["mlflow", "postgres", "prometheus", "server"]);
  assert.deepEqual(inProfile("monitoring"), ["alert-receiver", "alertmanager", "grafana"]);
  for (const [name, service] of Object.entries(services)) {
    assert.ok(service.image, `${name} has no image`);
    // The server and MLflow images carry their own HEALTHCHECK.
    if (!service.build) assert.ok(service.healthcheck, `${name} has no health check`);
    for (const volume of (service.volumes ?? []) as string[]) {
      const source = volume.split(":")[0];
      if (!source.startsWith(".")) assert.ok(source in compose.volumes, `${name}: ${source}`);
    }
  }
  assert.deepEqual(
    (services.mlflow.depends_on as Record<string, unknown>).postgres,
    { condition: "service_healthy" },
  );
  const text = await read("compose.yaml");
  for (const secret of ["POSTGRES_PASSWORD", "SERVE_ADMIN_TOKEN"]) {
    assert.match(text, new RegExp(`\\$\\{${secret}:\\?`), `${secret} must be required`);
    assert.match(await read(".env.example"), new RegExp(`^${secret}=$`, "m"));
  }
  assert.match(await read(".gitignore"), /^\/\.env$/m);
  const server = services.server;
  assert.equal(server.read_only, true);
  assert.deepEqual(server.cap_drop, ["ALL"]);
});

Deno.test("compose.local.yaml names the images the tools build", async () => {
  const local = parse(await read("container/compose.local.yaml"));
  const services = local.services;
  assert.equal(services.postgres.image, LOCAL_BASES.postgres);
  assert.equal(services.prometheus.image, LOCAL_BASES.prometheus);
  assert.equal(services.mlflow.build.args.PYTHON_IMAGE, LOCAL_BASES.python);
  assert.equal(services.server.build.args.DENO_IMAGE, LOCAL_BASES.deno);
  assert.equal(services.server.build.args.RUNTIME_IMAGE, LOCAL_BASES.distroless);
  assert.equal(services.server.image, IMAGES.serveDenoRun);
  assert.equal(parse(await read("compose.yaml")).services.mlflow.image, IMAGES.mlflow);
});

const composeSkip = await podmanUnavailable();

Deno.test({
  name: `podman-compose renders the stack, and refuses it without its secrets${
    composeSkip ? ` (skipped: ${composeSkip})` : ""
  }`,
  // podman-compose asks podman for its version before it renders anything.
  ignore: composeSkip !== undefined,
  async fn() {
    const args = ["-f", "compose.yaml", "-f", "container/compose.local.yaml", "config"];
    const secrets = { POSTGRES_PASSWORD: "pw@for/rendering", SERVE_ADMIN_TOKEN: "t".repeat(16) };
    const rendered = await runCommand(".venv/bin/podman-compose", args, {
      cwd: root.pathname,
      env: podmanEnv(secrets),
    });
    assert.equal(rendered.code, 0, rendered.stderr);
    const config = parse(rendered.stdout);
    assert.equal(config.services.server.image, IMAGES.serveDenoRun);
    const mlflow = config.services.mlflow.environment;
    assert.equal(mlflow.MLFLOW_BACKEND_STORE_URI, "postgresql://mlflow@postgres:5432/mlflow");
    assert.equal(mlflow.MLFLOW_BACKEND_STORE_PASSWORD, secrets.POSTGRES_PASSWORD);
    const environment = { ...Deno.env.toObject(), ...podmanEnv() };
    delete environment.POSTGRES_PASSWORD;
    const refused = await runCommand(".venv/bin/podman-compose", args, {
      cwd: root.pathname,
      env: { ...environment, SERVE_ADMIN_TOKEN: "t".repeat(16) },
    });
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /POSTGRES_PASSWORD .*set POSTGRES_PASSWORD in \.env/);
  },
});

Deno.test("the workflows pin their actions and Deno, and build what they claim", async () => {
  for (const file of ["serve-binary.yml", "container.yml", "monitor.yml"]) {
    const text = await read(`.github/workflows/${file}`);
    const workflow = parse(text);
    for (
      const [name, job] of Object.entries(
        workflow.jobs as Record<
          string,
          { steps: { uses?: string; with?: Record<string, string> }[] }
        >,
      )
    ) {
      for (const step of job.steps.filter((s) => s.uses)) {
        // By commit (a tag can be moved), with the release it is as a comment.
        assert.match(step.uses!, /@[0-9a-f]{40}$/, `${file} ${name}: ${step.uses}`);
        assert.match(text, new RegExp(`${step.uses} # v\\d+\\.\\d+\\.\\d+\\n`), step.uses);
      }
      const deno = job.steps.find((s) => s.uses?.startsWith("denoland/setup-deno"));
      assert.equal(deno?.with?.["deno-version"], (await read(".deno-version")).trim());
    }
  }
  const binary = parse(await read(".github/workflows/serve-binary.yml"));
  const binaryRuns = binary.jobs.binary.steps.map((s: { run?: string }) => s.run ?? "").join("\n");
  assert.match(binaryRuns, /tools\/compile\.ts\s+--bundle \S+ --output dist\/crime-serve/);
  assert.match(binaryRuns, /tools\/serve\/smoke_test\.ts dist\/crime-serve/);
  const container = parse(await read(".github/workflows/container.yml"));
  const imageRuns = container.jobs.image.steps.map((s: { run?: string }) => s.run ?? "").join("\n");
  // The default target (no --target) is the compiled binary; it is run locked down.
  assert.match(imageRuns, /docker build --build-arg BUNDLE=\S+[^\n]*\n?[^\n]*-t crime-serve:ci \./);
  assert.match(imageRuns, /--read-only --cap-drop=ALL/);
  assert.match(imageRuns, /smoke_test\.ts --url http:\/\/127\.0\.0\.1:8080/);
  const stackRuns = container.jobs.stack.steps.map((s: { run?: string }) => s.run ?? "").join("\n");
  assert.match(stackRuns, /docker compose up -d --build --wait/);
  assert.match(stackRuns, /MLFLOW_TRACKING_URI=http:\/\/127\.0\.0\.1:5000 make pipeline/);
});
