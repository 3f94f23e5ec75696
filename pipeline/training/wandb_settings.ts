/**
 * Whether, and how, the training runs are also recorded with Weights & Biases, from the
 * environment and with W&B's own variables: off unless `WANDB_PROJECT` is set (and off
 * when `WANDB_MODE=disabled`); offline unless `WANDB_MODE` says otherwise, so that the
 * runs are written under `WANDB_DIR` (W&B's default: `./wandb`) for `wandb sync` to
 * upload later. The SDK runs in the Python named by `CRIME_WANDB_PYTHON`, by default the
 * project's virtualenv.
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const PROJECT = fileURLToPath(new URL("../../", import.meta.url));

/** How the W&B tracker runs. */
export interface WandbSettings {
  /** The W&B project the runs belong to. */
  readonly project: string;
  /** W&B's mode: `offline` (the default here) or `online`. */
  readonly mode: string;
  /** The Python interpreter with the `wandb` package. */
  readonly python: string;
}

/** The Python with the W&B SDK: `CRIME_WANDB_PYTHON`, or the project's virtualenv's. */
export function wandbPython(
  env: (name: string) => string | undefined = (name) => Deno.env.get(name),
): string {
  return env("CRIME_WANDB_PYTHON") || join(PROJECT, ".venv", "bin", "python");
}

/**
 * The W&B settings the environment asks for, or undefined when W&B is off.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { wandbSettings } from "./wandb_settings.ts";
 *
 * const env = (vars: Record<string, string>) => (name: string) => vars[name];
 * assert.equal(wandbSettings(env({})), undefined);
 * assert.equal(wandbSettings(env({ WANDB_PROJECT: "crime", WANDB_MODE: "disabled" })), undefined);
 * const on = wandbSettings(env({ WANDB_PROJECT: "crime", CRIME_WANDB_PYTHON: "/opt/py" }));
 * assert.deepEqual(on, { project: "crime", mode: "offline", python: "/opt/py" });
 * assert.equal(wandbSettings(env({ WANDB_PROJECT: "crime", WANDB_MODE: "online" }))?.mode, "online");
 * ```
 */
export function wandbSettings(
  env: (name: string) => string | undefined = (name) => Deno.env.get(name),
): WandbSettings | undefined {
  const project = env("WANDB_PROJECT")?.trim();
  const mode = env("WANDB_MODE")?.trim() || "offline";
  if (!project || mode === "disabled") return undefined;
  return {
    project,
    mode,
    python: wandbPython(env),
  };
}
