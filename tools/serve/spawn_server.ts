/**
 * Starts the prediction server (from source or a compiled binary) as a child process
 * and waits for its "listening" log line, which gives the port, so callers can use
 * `--port 0` and never collide. Used by the smoke test, the benchmark and the tests.
 *
 * @module
 */

/** A running server process. */
export interface SpawnedServer {
  readonly url: string;
  readonly port: number;
  readonly process: Deno.ChildProcess;
  /** Every stderr line (the server's JSON logs) so far. */
  readonly logs: readonly string[];
  /**
   * Instances that logged "listening" so far; with `--workers N` a worker listens only
   * once its model is loaded, so N means every instance serves.
   */
  instancesListening(): number;
  /** Sends `signal` (default SIGTERM) and resolves with the exit status. */
  stop(signal?: Deno.Signal): Promise<Deno.CommandStatus>;
  /** Resolves with the exit status once the process ends on its own. */
  exited(): Promise<Deno.CommandStatus>;
}

/** Options of {@linkcode spawnServer}. */
export interface SpawnOptions {
  readonly env?: Record<string, string>;
  readonly cwd?: string;
  /** How long to wait for the listening line; default 30 s. */
  readonly timeoutMs?: number;
}

/** The command that runs the server from source with this Deno. */
export function sourceCommand(): [string, ...string[]] {
  const main = new URL("../../serve/main.ts", import.meta.url).pathname;
  return [
    Deno.execPath(),
    "run",
    "--frozen",
    "--allow-net",
    "--allow-read",
    "--allow-write",
    "--allow-env",
    main,
  ];
}

/**
 * Spawns `[command, ...args]` and resolves once it listens; throws with its log if it exits
 * or stays silent first.
 *
 * @example Needs the trained bundle (after `dvc repro`)
 * ```ts ignore
 * const path = "models/model_bundle.json";
 * const server = await spawnServer([...sourceCommand(), "--port", "0", "--model", path]);
 * await fetch(`${server.url}/health`);
 * await server.stop();
 * ```
 */
export async function spawnServer(
  [command, ...args]: readonly string[],
  options: SpawnOptions = {},
): Promise<SpawnedServer> {
  const process = new Deno.Command(command, {
    args,
    env: options.env,
    cwd: options.cwd,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const logs: string[] = [];
  let onLine: (line: string) => void = () => {};
  const reading = (async () => {
    const lines = process.stderr.pipeThrough(new TextDecoderStream()).pipeThrough(splitLines());
    for await (const line of lines) {
      logs.push(line);
      onLine(line);
    }
  })();
  const status = process.status;
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new Error(
            `no "listening" line within ${options.timeoutMs ?? 30_000} ms:\n${logs.join("\n")}`,
          ),
        ),
      options.timeoutMs ?? 30_000,
    );
    onLine = (line) => {
      const port = listeningPort(line);
      if (port !== undefined) {
        clearTimeout(timer);
        resolve(port);
      }
    };
    status.then((s) => {
      clearTimeout(timer);
      reject(
        new Error(`the server exited with code ${s.code} before listening:\n${logs.join("\n")}`),
      );
    });
  });
  const exited = async () => {
    const exit = await status;
    await reading;
    return exit;
  };
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    process,
    logs,
    instancesListening: () => logs.filter((line) => listeningPort(line) !== undefined).length,
    stop(signal: Deno.Signal = "SIGTERM") {
      try {
        process.kill(signal);
      } catch {
        // Already exited: the status says how.
      }
      return exited();
    },
    exited,
  };
}

function listeningPort(line: string): number | undefined {
  try {
    const entry = JSON.parse(line);
    return entry.msg === "listening" && typeof entry.port === "number" ? entry.port : undefined;
  } catch {
    return undefined;
  }
}

function splitLines(): TransformStream<string, string> {
  let rest = "";
  return new TransformStream({
    transform(chunk, controller) {
      const parts = (rest + chunk).split("\n");
      rest = parts.pop() ?? "";
      for (const part of parts) controller.enqueue(part);
    },
    flush(controller) {
      if (rest) controller.enqueue(rest);
    },
  });
}
