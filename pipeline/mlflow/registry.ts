/**
 * The MLflow model registry: registered models, their versions, aliases (which replace
 * the stages deprecated in MLflow 2.9), tags and descriptions.
 *
 * @module
 */
import { z } from "zod";
import { MlflowError } from "./errors.ts";
import { collectPages } from "./paging.ts";
import { ModelVersion, RegisteredModel } from "./registry_schemas.ts";
import { toKeyValueList } from "./schemas.ts";
import type { HttpTransport } from "./transport.ts";

const API = "/api/2.0/mlflow";
const Empty = z.object({});
const VersionBody = z.object({ model_version: ModelVersion });
const ModelBody = z.object({ registered_model: RegisteredModel });

/** Options of {@linkcode RegistryApi.createModelVersion}. */
export interface CreateModelVersionOptions {
  readonly name: string;
  /** Where the model's files are, e.g. `joinArtifactPath(run.info.artifact_uri, "model")`. */
  readonly source: string;
  /** The run that produced the model; links the version to it in the UI. */
  readonly runId?: string;
  /**
   * The MLflow 3 logged model the version is registered from (with `source`
   * `models:/<modelId>`); links the logged model's page to the version.
   */
  readonly modelId?: string;
  readonly description?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

/** Options of {@linkcode RegistryApi.waitUntilReady}. */
export interface WaitOptions {
  /** Defaults to 60 s. */
  readonly timeoutMs?: number;
  /** Defaults to 500 ms. */
  readonly pollIntervalMs?: number;
}

/** Options of {@linkcode RegistryApi.searchModelVersions}. */
export interface SearchModelVersionsOptions {
  /** e.g. `name = 'crime-regressor'` or `run_id = '…'`. */
  readonly filter?: string;
  /** e.g. `["version_number DESC"]`. */
  readonly orderBy?: readonly string[];
  /** Defaults to every match. */
  readonly maxResults?: number;
}

/** The model registry half of the MLflow API. */
export class RegistryApi {
  readonly #http: HttpTransport;

  /** Uses `http` for every call. */
  constructor(http: HttpTransport) {
    this.#http = http;
  }

  /** The registered model with its tags and aliases, or `undefined` if there is none. */
  async getRegisteredModel(name: string): Promise<RegisteredModel | undefined> {
    try {
      const body = await this.#http.json("GET", `${API}/registered-models/get`, ModelBody, {
        query: { name },
      });
      return body.registered_model;
    } catch (error) {
      if (error instanceof MlflowError && error.hasCode("RESOURCE_DOES_NOT_EXIST")) {
        return undefined;
      }
      throw error;
    }
  }

  /** The registered model, created with `description` and `tags` if it does not exist yet. */
  async getOrCreateRegisteredModel(
    name: string,
    options: { description?: string; tags?: Readonly<Record<string, string>> } = {},
  ): Promise<RegisteredModel> {
    try {
      const body = await this.#http.json("POST", `${API}/registered-models/create`, ModelBody, {
        json: { name, description: options.description, tags: toKeyValueList(options.tags ?? {}) },
      });
      return body.registered_model;
    } catch (error) {
      if (!(error instanceof MlflowError && error.hasCode("RESOURCE_ALREADY_EXISTS"))) throw error;
    }
    const existing = await this.getRegisteredModel(name);
    if (existing) return existing;
    throw new Error(`MLflow registered model "${name}" exists but cannot be read`);
  }

  /** Registers a new version of a model; see {@linkcode RegistryApi.waitUntilReady}. */
  async createModelVersion(options: CreateModelVersionOptions): Promise<ModelVersion> {
    const body = await this.#http.json("POST", `${API}/model-versions/create`, VersionBody, {
      json: {
        name: options.name,
        source: options.source,
        run_id: options.runId,
        model_id: options.modelId,
        description: options.description,
        tags: toKeyValueList(options.tags ?? {}),
      },
    });
    return body.model_version;
  }

  /** One version of a model. */
  async getModelVersion(name: string, version: string): Promise<ModelVersion> {
    const body = await this.#http.json("GET", `${API}/model-versions/get`, VersionBody, {
      query: { name, version },
    });
    return body.model_version;
  }

  /**
   * Where a version's files are: its `source` for a version registered from run
   * artifacts, the logged model's artifact location for one registered from
   * `models:/<modelId>`.
   */
  async getModelVersionDownloadUri(name: string, version: string): Promise<string> {
    const body = await this.#http.json(
      "GET",
      `${API}/model-versions/get-download-uri`,
      z.object({ artifact_uri: z.string() }),
      { query: { name, version } },
    );
    return body.artifact_uri;
  }

  /**
   * Polls a version until it is `READY`; throws an {@linkcode MlflowError} if registration
   * fails or is still pending at the timeout.
   */
  async waitUntilReady(
    name: string,
    version: string,
    options: WaitOptions = {},
  ): Promise<ModelVersion> {
    const timeoutMs = options.timeoutMs ?? 60_000;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const current = await this.getModelVersion(name, version);
      if (current.status === "READY") return current;
      const label = `model version ${name}/${version}`;
      let reason: string | undefined;
      if (current.status === "FAILED_REGISTRATION") {
        reason = `${label} failed to register: ${current.status_message || "no reason given"}`;
      } else if (Date.now() >= deadline) {
        reason = `${label} is still ${current.status} after ${timeoutMs} ms`;
      }
      if (reason) {
        const call = `GET ${API}/model-versions/get`;
        throw new MlflowError({ trackingUri: this.#http.trackingUri, call, reason });
      }
      await new Promise((resolve) => setTimeout(resolve, options.pollIntervalMs ?? 500));
    }
  }

  /** Points `alias` at `version`, moving it if it already points elsewhere. */
  async setAlias(name: string, alias: string, version: string): Promise<void> {
    await this.#http.json("POST", `${API}/registered-models/alias`, Empty, {
      json: { name, alias, version },
    });
  }

  /** Removes `alias` from the model. */
  async deleteAlias(name: string, alias: string): Promise<void> {
    await this.#http.json("DELETE", `${API}/registered-models/alias`, Empty, {
      json: { name, alias },
    });
  }

  /** The version `alias` points at, or `undefined` if the model or the alias does not exist. */
  async getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion | undefined> {
    // Read through the model's alias map: a missing alias is a generic 400 on the alias endpoint.
    const version = (await this.getRegisteredModel(name))?.aliases[alias];
    return version === undefined ? undefined : await this.getModelVersion(name, version);
  }

  /** Sets one tag on a model version. */
  async setModelVersionTag(
    name: string,
    version: string,
    key: string,
    value: string,
  ): Promise<void> {
    await this.#http.json("POST", `${API}/model-versions/set-tag`, Empty, {
      json: { name, version, key, value },
    });
  }

  /** Sets one tag on a registered model. */
  async setRegisteredModelTag(name: string, key: string, value: string): Promise<void> {
    await this.#http.json("POST", `${API}/registered-models/set-tag`, Empty, {
      json: { name, key, value },
    });
  }

  /** Model versions that match the filter, across all result pages. */
  searchModelVersions(options: SearchModelVersionsOptions = {}): Promise<ModelVersion[]> {
    const Page = z.object({
      model_versions: z.array(ModelVersion).default([]),
      next_page_token: z.string().optional(),
    });
    return collectPages(
      async (pageSize, pageToken) => {
        const body = await this.#http.json("GET", `${API}/model-versions/search`, Page, {
          query: {
            filter: options.filter,
            order_by: options.orderBy,
            max_results: pageSize,
            page_token: pageToken,
          },
        });
        return { items: body.model_versions, nextPageToken: body.next_page_token };
      },
      options.maxResults ?? Infinity,
      1000,
    );
  }

  /** Replaces a model version's description. */
  async updateModelVersionDescription(
    name: string,
    version: string,
    description: string,
  ): Promise<ModelVersion> {
    const body = await this.#http.json("PATCH", `${API}/model-versions/update`, VersionBody, {
      json: { name, version, description },
    });
    return body.model_version;
  }

  /** Replaces a registered model's description. */
  async updateRegisteredModelDescription(
    name: string,
    description: string,
  ): Promise<RegisteredModel> {
    const body = await this.#http.json("PATCH", `${API}/registered-models/update`, ModelBody, {
      json: { name, description },
    });
    return body.registered_model;
  }
}
