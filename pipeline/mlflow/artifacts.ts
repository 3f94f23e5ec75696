/**
 * Artifact upload, download and listing through the tracking server's artifact proxy
 * (`mlflow server --serve-artifacts`), addressed by artifact URIs such as a run's
 * `artifact_uri` (`mlflow-artifacts:/<experiment_id>/<run_id>/artifacts`) or a model
 * version's `source`.
 *
 * @module
 */
import { dirname, join, relative, sep as SEPARATOR } from "node:path";
import { z } from "zod";
import { FileInfo } from "./schemas.ts";
import type { HttpTransport } from "./transport.ts";

const PROXY = "/api/2.0/mlflow-artifacts/artifacts";
const Listing = z.object({ files: z.array(FileInfo).default([]) });

/** The artifact half of the MLflow API; every path is relative to the given artifact URI. */
export class ArtifactsApi {
  readonly #http: HttpTransport;

  /** Uses `http` for every call. */
  constructor(http: HttpTransport) {
    this.#http = http;
  }

  /** Stores `data` (bytes, or text as UTF-8) at `path` under `root`. */
  async upload(root: string, path: string, data: Uint8Array<ArrayBuffer> | string): Promise<void> {
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    await this.#http.bytes("PUT", this.#endpoint(root, path), { bytes });
  }

  /** Stores a local file at `path` under `root`. */
  async uploadFile(root: string, path: string, localFile: string): Promise<void> {
    await this.upload(root, path, await Deno.readFile(localFile));
  }

  /** Stores every file below `localDir` under `path`, keeping the layout; returns their paths. */
  async uploadDirectory(root: string, path: string, localDir: string): Promise<string[]> {
    const uploaded: string[] = [];
    for await (const file of walkFiles(localDir)) {
      const target = joinArtifactPath(path, relative(localDir, file).replaceAll(SEPARATOR, "/"));
      await this.uploadFile(root, target, file);
      uploaded.push(target);
    }
    return uploaded;
  }

  /** The bytes stored at `path` under `root`. */
  download(root: string, path: string): Promise<Uint8Array> {
    return this.#http.bytes("GET", this.#endpoint(root, path));
  }

  /** Writes every file below `path` into `localDir`, keeping the layout; returns the local files. */
  async downloadDirectory(root: string, path: string, localDir: string): Promise<string[]> {
    const written: string[] = [];
    for (const entry of await this.list(root, path)) {
      const local = join(localDir, relativeArtifactPath(path, entry.path));
      if (entry.is_dir) {
        written.push(...await this.downloadDirectory(root, entry.path, local));
        continue;
      }
      await Deno.mkdir(dirname(local), { recursive: true });
      await Deno.writeFile(local, await this.download(root, entry.path));
      written.push(local);
    }
    return written;
  }

  /** The direct children of `path` under `root`; their `path`s are relative to `root`. */
  async list(root: string, path = ""): Promise<FileInfo[]> {
    const body = await this.#http.json("GET", PROXY, Listing, {
      query: { path: joinArtifactPath(proxyPath(root), path) },
    });
    return body.files.map((file) => ({ ...file, path: joinArtifactPath(path, file.path) }));
  }

  #endpoint(root: string, path: string): string {
    const full = joinArtifactPath(proxyPath(root), path);
    return `${PROXY}/${full.split("/").map(encodeURIComponent).join("/")}`;
  }
}

/** The location of `root` inside the proxy, e.g. `1/abc/artifacts`. */
function proxyPath(root: string): string {
  if (!root.startsWith("mlflow-artifacts:")) {
    throw new Error(
      `artifact URI "${root}" is not served by the tracking server; ` +
        "start it with --serve-artifacts so runs get mlflow-artifacts:/ URIs",
    );
  }
  // URL parsing also drops an optional authority, as in mlflow-artifacts://host:5000/1/abc.
  return trimSlashes(decodeURIComponent(new URL(root).pathname));
}

/**
 * Joins an artifact URI or path with a relative path, without doubled slashes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { joinArtifactPath } from "./artifacts.ts";
 *
 * const root = "mlflow-artifacts:/1/abc/artifacts";
 * assert.equal(joinArtifactPath(`${root}/`, "/model"), `${root}/model`);
 * assert.equal(joinArtifactPath("", "model/"), "model");
 * ```
 */
export function joinArtifactPath(base: string, path: string): string {
  return [trimSlashes(base), trimSlashes(path)].filter((part) => part !== "").join("/");
}

function relativeArtifactPath(base: string, path: string): string {
  const prefix = trimSlashes(base);
  return prefix && path.startsWith(`${prefix}/`) ? path.slice(prefix.length + 1) : path;
}

function trimSlashes(path: string): string {
  return path.replace(/^\/+|\/+$/g, "");
}

async function* walkFiles(dir: string): AsyncGenerator<string> {
  const entries = await Array.fromAsync(Deno.readDir(dir));
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) yield* walkFiles(path);
    else if (entry.isFile) yield path;
  }
}
