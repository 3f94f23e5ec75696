import assert from "node:assert/strict";
import { join } from "node:path";
import { BundleCache } from "../../../serve/model/bundle_cache.ts";
import { parseModelUri } from "../../../serve/model/model_source.ts";
import { embeddedSource, hasEmbeddedBundle } from "../../../serve/model/model_source_embedded.ts";
import { fileSource } from "../../../serve/model/model_source_file.ts";
import { testBundle, writeBundle } from "../../support/test_bundle.ts";
import { harness } from "../../support/serve_harness.ts";
import { REGISTRATION_RECORD_FILE } from "../../../pipeline/bundle/registration_record.ts";

const first = await testBundle({ seed: 1 });
const second = await testBundle({ seed: 2 });

Deno.test("model URIs name a registry alias or version, a file, or the embedded bundle", () => {
  assert.deepEqual(parseModelUri("models:/crime@champion"), {
    kind: "registry",
    name: "crime",
    alias: "champion",
  });
  assert.deepEqual(parseModelUri("models:/crime/12"), {
    kind: "registry",
    name: "crime",
    version: "12",
  });
  assert.deepEqual(parseModelUri("models/model_bundle.json"), {
    kind: "file",
    path: "models/model_bundle.json",
  });
  assert.deepEqual(parseModelUri("file:///tmp/a%20b.json"), {
    kind: "file",
    path: "/tmp/a b.json",
  });
  assert.deepEqual(parseModelUri("embedded"), { kind: "embedded" });
  for (const bad of ["models:/crime", "models:/crime@", "models:/a/b/c", "models:/crime/v1"]) {
    assert.throws(() => parseModelUri(bad), /not of the form models:\/<name>@<alias>/, bad);
  }
});

Deno.test("a registered bundle file is served under its registered version, only if the record names it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "model_bundle.json");
    await writeBundle(path, first);
    const record = (bundleChecksum?: string) =>
      Deno.writeTextFile(
        join(dir, REGISTRATION_RECORD_FILE),
        JSON.stringify({ name: "communities-crime", version: "12", bundleChecksum }),
      );
    await record(first.checksum);
    const registered = await fileSource(path).fetch();
    assert.equal(registered?.identity.version, "12");
    assert.equal(registered?.identity.origin, "file");
    // Another bundle's record, or one without a checksum: the bundle's own version.
    await record(second.checksum);
    assert.equal((await fileSource(path).fetch())?.identity.version, first.checksum.slice(0, 12));
    await record(undefined);
    assert.equal((await fileSource(path).fetch())?.identity.version, first.checksum.slice(0, 12));
    await Deno.writeTextFile(join(dir, REGISTRATION_RECORD_FILE), "{ not json");
    assert.equal((await fileSource(path).fetch())?.identity.version, first.checksum.slice(0, 12));

    // /model/info says so too.
    await record(first.checksum);
    const { app } = await harness(undefined, { source: fileSource(path) });
    const info = await (await app.request("/model/info")).json();
    assert.equal(info.version, "12");
    assert.equal(info.checksum, first.checksum);
    assert.equal(info.location, path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a file source reads, verifies and re-reads its bundle", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "bundle.json");
    const source = fileSource(path);
    await assert.rejects(source.fetch(), new RegExp(`${path}: no such bundle file`));
    await writeBundle(path, first);
    const loaded = await source.fetch();
    assert.deepEqual(loaded?.identity, {
      name: "communities-crime",
      version: first.checksum.slice(0, 12),
      origin: "file",
      location: path,
    });
    assert.equal(await source.fetch(loaded), undefined, "unchanged file: nothing to swap");
    await writeBundle(path, second);
    assert.equal((await source.fetch(loaded))?.bundle.checksum, second.checksum);
    await Deno.writeTextFile(path, JSON.stringify({ ...second, name: "edited" }));
    await assert.rejects(source.fetch(loaded), /checksum mismatch/);
    await Deno.writeTextFile(path, "{ truncated");
    await assert.rejects(source.fetch(loaded), /not a model bundle \(invalid JSON/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("outside a compiled binary nothing is embedded, and the source says so", async () => {
  assert.equal(await hasEmbeddedBundle(), false);
  await assert.rejects(embeddedSource().fetch(), /no bundle is embedded.*--model/);
});

Deno.test("the bundle cache round-trips and refuses a damaged copy", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const cache = new BundleCache(join(dir, "cache"));
    const uri = "models:/crime@champion";
    assert.equal(await cache.read(uri), undefined);
    const identity = {
      name: "crime",
      version: "4",
      alias: "champion",
      origin: "mlflow" as const,
      location: "x",
    };
    await cache.write(uri, { bundle: first, identity }, new Date("2024-05-01T00:00:00Z"));
    const cached = await cache.read(uri);
    assert.equal(cached?.cachedAt, "2024-05-01T00:00:00.000Z");
    assert.deepEqual(cached?.fetched.bundle, first);
    assert.deepEqual(cached?.fetched.identity, {
      ...identity,
      origin: "cache",
      location: cache.fileFor(uri),
    });
    assert.deepEqual(
      (await Array.fromAsync(Deno.readDir(cache.dir))).length,
      1,
      "no partial files left",
    );

    const text = await Deno.readTextFile(cache.fileFor(uri));
    await Deno.writeTextFile(cache.fileFor(uri), text.replace('"ridge"', '"lasso"'));
    await assert.rejects(cache.read(uri), /checksum mismatch/);
    await Deno.writeTextFile(cache.fileFor(uri), "[]");
    await assert.rejects(cache.read(uri), /not a bundle cache file/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
