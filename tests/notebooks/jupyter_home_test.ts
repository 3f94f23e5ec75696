/**
 * Jupyter's files stay in the project: the notebook executor and JupyterLab as `make lab`
 * opens it (`tools/notebooks/lab.py`), run with HOME pointed at an empty folder, leave it
 * empty. DENO_DIR is set to Deno's real cache: the Deno kernel would otherwise fill
 * `$HOME/.cache/deno`, which is Deno's cache, not Jupyter's, and not what is tested.
 */
import assert from "node:assert/strict";
import { runCommand } from "../../tools/run_command.ts";
import { freePort } from "../support/mlflow_server.ts";
import { executeNotebook, FIXTURES, ROOT } from "./notebook_tools.ts";

async function denoDir(): Promise<string> {
  const info = await runCommand(Deno.execPath(), ["info", "--json"], { env: { NO_COLOR: "1" } });
  return JSON.parse(info.stdout).denoDir;
}

/** Every path under `dir`, relative to it. */
async function contents(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (path: string, prefix: string) => {
    for await (const entry of Deno.readDir(path)) {
      found.push(`${prefix}${entry.name}`);
      if (entry.isDirectory) await walk(`${path}/${entry.name}`, `${prefix}${entry.name}/`);
    }
  };
  await walk(dir, "");
  return found;
}

Deno.test("the notebook executor writes nothing to the user's home", async () => {
  const home = await Deno.makeTempDir({ prefix: "jupyter_home_" });
  try {
    const result = await executeNotebook([`${FIXTURES}/plotly_figure.ipynb`], {
      HOME: home,
      DENO_DIR: await denoDir(),
    });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(await contents(home), []);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("JupyterLab keeps its runtime files and workspaces in .jupyter, not in ~", async () => {
  const home = await Deno.makeTempDir({ prefix: "jupyter_home_" });
  const port = freePort();
  const token = crypto.randomUUID();
  const workspace = `test-${crypto.randomUUID().slice(0, 8)}`;
  const args = [`${ROOT}tools/notebooks/lab.py`, "--no-browser", `--port=${port}`];
  args.push(`--IdentityProvider.token=${token}`);
  if (Deno.uid() === 0) args.push("--allow-root");
  const lab = new Deno.Command(`${ROOT}.venv/bin/python`, {
    args,
    cwd: ROOT,
    env: { HOME: home, DENO_DIR: await denoDir(), NO_COLOR: "1" },
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const log = lab.stderr.pipeThrough(new TextDecoderStream());
  const logText = (async () => {
    let text = "";
    for await (const chunk of log) text += chunk;
    return text;
  })();
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`http://127.0.0.1:${port}${path}`, {
      ...init,
      headers: { Authorization: `token ${token}`, "Content-Type": "application/json" },
    });
  try {
    let up = false;
    for (let i = 0; i < 120 && !up; i++) {
      up = await api("/api/status").then(async (r) => (await r.body?.cancel(), r.ok), () => false);
      if (!up) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.ok(up, "JupyterLab did not answer within 30 s");
    // A notebook session starts the Deno kernel (a connection file in the runtime dir).
    const session = await api("/api/sessions", {
      method: "POST",
      body: JSON.stringify({
        path: "03_models.ipynb",
        type: "notebook",
        kernel: { name: "deno" },
      }),
    });
    assert.equal(session.status, 201, await session.clone().text());
    const { id } = await session.json();
    const saved = await api(`/lab/api/workspaces/${workspace}`, {
      method: "PUT",
      body: JSON.stringify({ data: {}, metadata: { id: workspace } }),
    });
    assert.equal(saved.status, 204, await saved.text());
    const workspaces = await contents(`${ROOT}.jupyter/lab/workspaces`);
    assert.ok(workspaces.some((name) => name.startsWith(workspace)), workspaces.join(", "));
    const ended = await api(`/api/sessions/${id}`, { method: "DELETE" });
    await ended.body?.cancel();
    await api(`/lab/api/workspaces/${workspace}`, { method: "DELETE" }).then((r) =>
      r.body?.cancel()
    );
  } finally {
    lab.kill("SIGTERM");
    await lab.status;
    const text = await logText;
    const left = await contents(home);
    await Deno.remove(home, { recursive: true });
    assert.deepEqual(left, [], text);
  }
});
