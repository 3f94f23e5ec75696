/**
 * The model being served and how it is replaced: a reload fetches and checks the new
 * bundle completely before one assignment swaps it in, so requests always see either
 * the old model or the new one. A failed reload keeps the old model and is remembered
 * (and logged) with its reason.
 *
 * @module
 */
import type { ReloadError } from "../contract/api_schemas.ts";
import type { Logger } from "../telemetry/logger.ts";
import type { FetchedBundle, ModelSource } from "./model_source.ts";
import type { ServedModel } from "./served_model.ts";
import type { ServeMetrics } from "../telemetry/serve_metrics.ts";

/** How a reload ended. */
export type ReloadOutcome =
  | { readonly status: "reloaded"; readonly model: ServedModel; readonly previous?: ServedModel }
  | { readonly status: "unchanged"; readonly model: ServedModel }
  | { readonly status: "failed"; readonly error: ReloadError; readonly model?: ServedModel };

/** What the HTTP layer needs from the slot. */
export interface ModelHolder {
  /** The model being served, if one is loaded. */
  readonly model: ServedModel | undefined;
  /** The last failed (or degraded) load, cleared by a successful one. */
  readonly lastError: ReloadError | undefined;
  /** The source's model URI. */
  readonly sourceUri: string;
  /** Fetches and swaps in the source's current bundle; concurrent calls share one attempt. */
  reload(trigger: string): Promise<ReloadOutcome>;
}

/** Options of {@linkcode ModelSlot}. */
export interface ModelSlotOptions {
  readonly source: ModelSource;
  /** Builds and checks a served model; throws if the bundle is unusable. */
  readonly build: (fetched: FetchedBundle) => ServedModel;
  readonly logger: Logger;
  readonly metrics: ServeMetrics;
  readonly now?: () => Date;
}

/**
 * Holds the served model.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { jsonLogger } from "../telemetry/logger.ts";
 * import { createServeMetrics } from "../telemetry/serve_metrics.ts";
 * import { ModelSlot } from "./model_slot.ts";
 * import { fileSource } from "./model_source_file.ts";
 * import { createServedModel } from "./served_model.ts";
 *
 * const slot = new ModelSlot({
 *   source: fileSource("examples/model_bundle.json"),
 *   build: (fetched) => createServedModel(fetched, { maxBatchRows: 1000 }),
 *   logger: jsonLogger("error"),
 *   metrics: createServeMetrics(),
 * });
 * const outcome = await slot.reload("startup");
 * assert.equal(outcome.status, "reloaded");
 * const x = new Float64Array(slot.model!.featureCount); // one row, all features 0
 * assert.equal(slot.model!.predict(x, 1).length, 1);
 * ```
 */
export class ModelSlot implements ModelHolder {
  readonly #options: ModelSlotOptions;
  #current?: { model: ServedModel; fetched: FetchedBundle };
  #lastError?: ReloadError;
  #pending?: Promise<ReloadOutcome>;

  /** Starts empty; call {@linkcode ModelSlot.reload} to load. */
  constructor(options: ModelSlotOptions) {
    this.#options = options;
  }

  /** The model being served, if one is loaded. */
  get model(): ServedModel | undefined {
    return this.#current?.model;
  }

  /** The last failed (or degraded) load, cleared by a successful one. */
  get lastError(): ReloadError | undefined {
    return this.#lastError;
  }

  /** The source's model URI. */
  get sourceUri(): string {
    return this.#options.source.uri;
  }

  /** Fetches and swaps in the source's current bundle; concurrent calls share one attempt. */
  reload(trigger: string): Promise<ReloadOutcome> {
    this.#pending ??= this.#reload(trigger).finally(() => this.#pending = undefined);
    return this.#pending;
  }

  async #reload(trigger: string): Promise<ReloadOutcome> {
    const { source, build, logger, metrics } = this.#options;
    const now = this.#options.now ?? (() => new Date());
    const previous = this.#current;
    try {
      const fetched = await source.fetch(previous?.fetched);
      if (!fetched) {
        this.#lastError = undefined;
        metrics.reloads.inc(["unchanged"]);
        logger.debug("model unchanged", { trigger, version: previous!.model.identity.version });
        return { status: "unchanged", model: previous!.model };
      }
      const model = build(fetched);
      this.#current = { model, fetched };
      this.#lastError = fetched.warning
        ? { at: now().toISOString(), message: fetched.warning }
        : undefined;
      metrics.reloads.inc(["reloaded"]);
      const { identity } = model;
      logger.info("model loaded", {
        trigger,
        name: identity.name,
        version: identity.version,
        origin: identity.origin,
        location: identity.location,
        previousVersion: previous?.model.identity.version ?? null,
      });
      if (fetched.warning) {
        logger.warn("model loaded from a fallback", { warning: fetched.warning });
      }
      await source.accepted?.(fetched).catch((error) =>
        logger.warn("could not cache the bundle", { error })
      );
      return { status: "reloaded", model, previous: previous?.model };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.#lastError = { at: now().toISOString(), message };
      metrics.reloads.inc(["failed"]);
      logger.error(previous ? "reload failed; the current model stays" : "model load failed", {
        trigger,
        source: source.uri,
        error: message,
        servingVersion: previous?.model.identity.version ?? null,
      });
      return { status: "failed", error: this.#lastError, model: previous?.model };
    }
  }
}
