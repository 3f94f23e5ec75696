/**
 * Debian's Prometheus and Alertmanager (packages `prometheus`, `prometheus-alertmanager`)
 * and the project's alert receiver as child processes on loopback, for the live alerting
 * and dashboard tests: each in its own scratch directory, ready when its health endpoint
 * answers, stopped (and its files removed) by `stop()`.
 *
 * @module
 */
import { join } from "node:path";
import { stringify } from "yaml";
import { freePort } from "./mlflow_server.ts";
import { ROOT, statusOf, waitFor } from "./containers.ts";

/** A process started by this module. */
export interface StackProcess {
  readonly url: string;
  /** Its output so far, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/** Why the live monitoring tests cannot run here, or undefined when they can. */
export async function monitoringSkipReason(): Promise<string | undefined> {
  for (
    const [binary, pkg] of [["prometheus", "prometheus"], [
      "prometheus-alertmanager",
      "prometheus-alertmanager",
    ]]
  ) {
    const found = await Deno.stat(`/usr/bin/${binary}`).then(() => true, () => false);
    if (!found) return `/usr/bin/${binary} is missing (Debian package ${pkg})`;
  }
  return undefined;
}

async function start(
  name: string,
  command: string,
  args: (dir: string) => string[],
  readyPath: string,
  port: number,
): Promise<StackProcess> {
  const dir = await Deno.makeTempDir({ prefix: `${name}_` });
  const child = new Deno.Command(command, {
    args: args(dir),
    cwd: dir,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const chunks: string[] = [];
  const drain = async (stream: ReadableStream<Uint8Array>) => {
    for await (const text of stream.pipeThrough(new TextDecoderStream())) chunks.push(text);
  };
  const reading = Promise.all([drain(child.stdout), drain(child.stderr)]);
  const url = `http://127.0.0.1:${port}`;
  let exited = false;
  child.status.then(() => exited = true);
  const process: StackProcess = {
    url,
    output: () => chunks.join(""),
    async stop() {
      if (!exited) child.kill("SIGTERM");
      await child.status;
      await reading;
      await Deno.remove(dir, { recursive: true });
    },
  };
  try {
    await waitFor(
      `${name} ready`,
      async () => {
        if (exited) throw new Error(`${name} exited:\n${process.output()}`);
        return await statusOf(`${url}${readyPath}`) === 200 || undefined;
      },
      30_000,
      100,
    );
  } catch (error) {
    await process.stop();
    throw error;
  }
  return process;
}

/**
 * Alertmanager with the project's configuration, its webhook URLs pointed at `receiverUrl`.
 */
export async function startAlertmanager(receiverUrl: string): Promise<StackProcess> {
  const config = await Deno.readTextFile(join(ROOT, "monitoring/alertmanager/alertmanager.yml"));
  const port = freePort();
  const pointed = config.replaceAll(/url: \S+/g, `url: ${receiverUrl}`);
  return await start(
    "alertmanager",
    "/usr/bin/prometheus-alertmanager",
    (dir) => {
      Deno.writeTextFileSync(join(dir, "alertmanager.yml"), pointed);
      return [
        "--config.file=alertmanager.yml",
        `--storage.path=${join(dir, "data")}`,
        `--web.listen-address=127.0.0.1:${port}`,
        "--cluster.listen-address=",
      ];
    },
    "/-/ready",
    port,
  );
}

/** Options of {@linkcode startPrometheus}. */
export interface PrometheusOptions {
  /** `host:port` of the prediction server to scrape as job crime-serve. */
  readonly target: string;
  readonly alertmanager?: string;
  /** Scrape and rule evaluation interval; the project's rules are used unchanged. */
  readonly interval: string;
}

/** Prometheus with the project's recording and alerting rules, scraping `target`. */
export async function startPrometheus(options: PrometheusOptions): Promise<StackProcess> {
  const port = freePort();
  const config = {
    global: { scrape_interval: options.interval, evaluation_interval: options.interval },
    rule_files: [join(ROOT, "monitoring/prometheus/rules/*.yml")],
    alerting: options.alertmanager
      ? { alertmanagers: [{ static_configs: [{ targets: [options.alertmanager] }] }] }
      : undefined,
    scrape_configs: [{ job_name: "crime-serve", static_configs: [{ targets: [options.target] }] }],
  };
  return await start(
    "prometheus",
    "/usr/bin/prometheus",
    (dir) => {
      Deno.writeTextFileSync(join(dir, "prometheus.yml"), stringify(config));
      return [
        "--config.file=prometheus.yml",
        `--storage.tsdb.path=${join(dir, "data")}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ];
    },
    "/-/ready",
    port,
  );
}

/** The alert receiver, running `action` (argv) for each alert it acts on. */
export async function startReceiver(action: readonly string[]): Promise<StackProcess> {
  const port = freePort();
  return await start(
    "alert_receiver",
    Deno.execPath(),
    () => [
      "run",
      "--frozen",
      "--config",
      join(ROOT, "deno.json"),
      "--allow-net",
      "--allow-env",
      "--allow-run",
      join(ROOT, "tools/monitoring/alert_receiver.ts"),
      "--port",
      String(port),
      "--action",
      ...action,
    ],
    "/health",
    port,
  );
}
