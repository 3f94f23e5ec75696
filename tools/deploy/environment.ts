/**
 * One deployment environment on one host, as the rehearsal runs it: a fixed loopback port
 * where a release (an image and what it must serve) answers. Deploying replaces the
 * running container with the new release on the same port and smoke-tests it there; when
 * the smoke test fails, the new container is removed and the previous one started again,
 * and smoke-tested again, which is what `kubectl rollout undo` does in a cluster. The
 * replacement stops the old container first (one port, one container), so this shows
 * the order and the rollback, not zero downtime: that is the load balancer's and the
 * cluster's part (see `load_balancer.ts`).
 *
 * @module
 */
import {
  checkPredictions,
  checkServedModel,
  type ServedExpectation,
  waitUntilReady,
} from "../serve/smoke_test.ts";
import type { Engine } from "./container_engine.ts";

/** A release: the image to run and what it must serve. */
export interface Release {
  /** A short name for logs, e.g. "v1". */
  readonly label: string;
  /** An image reference (tag or digest). */
  readonly image: string;
  readonly expect: ServedExpectation;
}

/** What one deployment did. */
export type DeployOutcome =
  | { readonly result: "deployed"; readonly release: Release; readonly seconds: number }
  | {
    readonly result: "rolled back";
    readonly release: Release;
    /** The release serving again, `undefined` when there was none before. */
    readonly restored?: Release;
    /** Why the new release was refused. */
    readonly reason: string;
    readonly seconds: number;
  };

/** Options of {@linkcode DeployEnvironment}. */
export interface EnvironmentOptions {
  /** Container names are `<name>-<n>`. */
  readonly name: string;
  /** The loopback port the environment answers on. */
  readonly port: number;
  readonly engine: Engine;
  /** Extra `-e` variables for every container (the admin token). */
  readonly env: Record<string, string>;
  /** How long a new container may take to become ready (default 60 s). */
  readonly readyTimeoutMs?: number;
  readonly report?: (line: string) => void;
}

/** One environment; {@linkcode DeployEnvironment.remove} removes every container it started. */
export class DeployEnvironment {
  #current?: { container: string; release: Release };
  #counter = 0;
  readonly #started = new Set<string>();

  constructor(readonly options: EnvironmentOptions) {}

  /** `http://127.0.0.1:<port>`. */
  get url(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  /** The container serving now (to kill it, say). */
  get container(): string | undefined {
    return this.#current?.container;
  }

  /** The release serving now. */
  get current(): Release | undefined {
    return this.#current?.release;
  }

  /** The smoke test of a deployment: ready, predictions, and the shipped model. */
  async smoke(release: Release): Promise<void> {
    const report = (line: string) => this.options.report?.(`  smoke: ${line}`);
    await waitUntilReady(this.url, this.options.readyTimeoutMs ?? 60_000);
    await checkPredictions(this.url, report);
    await checkServedModel(this.url, release.expect, report);
  }

  /** Replaces the serving release with `release`, or restores the previous one. */
  async deploy(release: Release): Promise<DeployOutcome> {
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    const previous = this.#current;
    const { engine } = this.options;
    if (previous) await engine(["stop", "-t", "10", previous.container]);
    const container = `${this.options.name}-${++this.#counter}`;
    try {
      // A container that cannot even start (no such image, say) is rolled back alike.
      await this.#run(container, release);
      await this.smoke(release);
    } catch (error) {
      const reason = (error as Error).message;
      this.options.report?.(`  ${release.label} failed: ${reason}`);
      await this.#remove(container);
      this.#current = undefined;
      if (previous) {
        await engine(["start", previous.container]);
        // The restored release must pass the same smoke test; if it does not, say so.
        await this.smoke(previous.release);
        this.#current = previous;
      }
      return {
        result: "rolled back",
        release,
        restored: previous?.release,
        reason,
        seconds: seconds(),
      };
    }
    if (previous) await this.#remove(previous.container);
    this.#current = { container, release };
    return { result: "deployed", release, seconds: seconds() };
  }

  /** Removes every container this environment started. */
  async remove(): Promise<void> {
    for (const container of [...this.#started]) await this.#remove(container);
    this.#current = undefined;
  }

  async #run(container: string, release: Release): Promise<void> {
    this.#started.add(container);
    await this.options.engine([
      ...["run", "-d", "--name", container],
      // Locked down as in production: read-only root, no capabilities, no escalation.
      ...["--read-only", "--cap-drop=ALL", "--security-opt=no-new-privileges"],
      ...["-p", `127.0.0.1:${this.options.port}:8080`],
      ...Object.entries(this.options.env).flatMap(([k, v]) => ["-e", `${k}=${v}`]),
      release.image,
    ]);
  }

  async #remove(container: string): Promise<void> {
    // Killed first: podman's `rm -f` would wait out the stop timeout, and Docker's `rm`
    // has no option to shorten it.
    await this.options.engine(["kill", container], false);
    await this.options.engine(["rm", "-f", "-v", container], false);
    this.#started.delete(container);
  }
}
