/**
 * Writes the prediction server's own `deno.json` and `deno.lock`: the project's, cut down
 * to the npm packages the server imports and what they depend on. Deno installs a
 * lockfile's whole npm resolution before it runs anything, and the project's holds the
 * training stack (TensorFlow.js, Polars: about 550 MB); the image needs three packages.
 * The versions and integrity hashes are the project's own, so `--frozen` still holds.
 *
 *     deno run --no-config --allow-read --allow-write tools/container/server_config.ts <out dir>
 *
 * It imports no npm package (zod included): it runs before any package is installed.
 *
 * @module
 */
import { join } from "node:path";

/** The import-map entries the server's module graph uses (checked against `deno info` by a test). */
export const SERVER_IMPORTS: readonly string[] = [
  "hono",
  "plotly.js-dist-min",
  "postgres",
  "swagger-ui-dist",
  "zod",
];

/** The parts of a Deno lockfile (version 5) that this reads. */
export interface DenoLock {
  readonly version: string;
  readonly specifiers: Readonly<Record<string, string>>;
  readonly npm: Readonly<Record<string, { readonly dependencies?: readonly string[] }>>;
  readonly workspace?: { readonly dependencies?: readonly string[] };
}

/** The parts of a `deno.json` that this reads. */
export interface DenoConfig {
  readonly imports: Readonly<Record<string, string>>;
  readonly unstable?: readonly string[];
}

/** A lock package id's name: `@scope/name@1.0.0_peer@2` is `@scope/name`. */
function packageName(id: string): string {
  return id.slice(0, id.indexOf("@", 1));
}

/**
 * The server's config and lock: `imports` reduced to `names`, the lock to their packages.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const { config, lock } = serverConfig(
 *   { imports: { a: "npm:a@1.0.0", big: "npm:big@9.0.0" } },
 *   {
 *     version: "5",
 *     specifiers: { "npm:a@1.0.0": "1.0.0", "npm:big@9.0.0": "9.0.0" },
 *     npm: { "a@1.0.0": { dependencies: ["b"] }, "b@2.0.0": {}, "big@9.0.0": {} },
 *     workspace: { dependencies: ["npm:a@1.0.0", "npm:big@9.0.0"] },
 *   },
 *   ["a"],
 * );
 * assert.deepEqual(config.imports, { a: "npm:a@1.0.0" });
 * assert.deepEqual(Object.keys(lock.npm), ["a@1.0.0", "b@2.0.0"]);
 * ```
 */
export function serverConfig(
  project: DenoConfig,
  projectLock: DenoLock,
  names: readonly string[],
): { config: Record<string, unknown>; lock: DenoLock } {
  const imports: Record<string, string> = {};
  for (const name of names) {
    const target = project.imports[name];
    if (!target?.startsWith("npm:")) throw new Error(`deno.json has no npm import "${name}"`);
    imports[name] = target;
  }
  const roots = Object.values(imports);
  const byName = new Map<string, string[]>();
  for (const id of Object.keys(projectLock.npm)) {
    byName.set(packageName(id), [...byName.get(packageName(id)) ?? [], id]);
  }
  // A dependency is a full id, or a bare name when the lock holds one version of it.
  const resolve = (ref: string): string => {
    if (projectLock.npm[ref]) return ref;
    const ids = byName.get(ref) ?? [];
    if (ids.length !== 1) throw new Error(`deno.lock: cannot resolve npm dependency "${ref}"`);
    return ids[0];
  };
  const pending = roots.map((specifier) => {
    const version = projectLock.specifiers[specifier];
    if (version === undefined) throw new Error(`deno.lock has no entry for ${specifier}`);
    return `${packageName(specifier.slice("npm:".length))}@${version}`;
  });
  const kept = new Set<string>();
  for (let id = pending.pop(); id !== undefined; id = pending.pop()) {
    const resolved = resolve(id);
    if (kept.has(resolved)) continue;
    kept.add(resolved);
    pending.push(...projectLock.npm[resolved].dependencies ?? []);
  }
  const sortedKept = [...kept].sort();
  return {
    config: {
      imports,
      ...(project.unstable ? { unstable: project.unstable } : {}),
      nodeModulesDir: "none",
      lock: { path: "deno.lock", frozen: true },
    },
    lock: {
      version: projectLock.version,
      specifiers: Object.fromEntries(roots.map((s) => [s, projectLock.specifiers[s]])),
      npm: Object.fromEntries(sortedKept.map((id) => [id, projectLock.npm[id]])),
      workspace: { dependencies: [...roots].sort() },
    },
  };
}

if (import.meta.main) {
  const [out] = Deno.args;
  if (!out) {
    console.error("usage: server_config.ts <output directory>");
    Deno.exit(2);
  }
  const root = new URL("../../", import.meta.url);
  const read = async (name: string) => JSON.parse(await Deno.readTextFile(new URL(name, root)));
  const { config, lock } = serverConfig(
    await read("deno.json"),
    await read("deno.lock"),
    SERVER_IMPORTS,
  );
  await Deno.mkdir(out, { recursive: true });
  await Deno.writeTextFile(join(out, "deno.json"), `${JSON.stringify(config, null, 2)}\n`);
  await Deno.writeTextFile(join(out, "deno.lock"), `${JSON.stringify(lock, null, 2)}\n`);
  console.log(
    `server config: ${Object.keys(lock.npm).length} npm packages (${
      SERVER_IMPORTS.join(", ")
    } and their dependencies)`,
  );
}
