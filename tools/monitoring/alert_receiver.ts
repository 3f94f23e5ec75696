/**
 * The webhook receiver Alertmanager notifies: for each firing alert labelled
 * `action="retrain"` (the drift alert, monitoring/prometheus/rules), it acts.
 *
 * - With `--action <command> [args...]` (everything after `--action`), it runs the
 *   command with the alert as JSON on stdin and `ALERT_NAME`, `ALERT_SUMMARY` in its
 *   environment: a test, a script, a pager.
 * - Else with `GITHUB_TOKEN` and `GITHUB_REPOSITORY` set, it dispatches the training
 *   workflow (`--workflow`, train.yml, on `--ref`, main) through GitHub's REST API
 *   (`GITHUB_API_URL`, https://api.github.com by default): the drift alert retrains the
 *   model.
 * - Else it logs the alert and does nothing else.
 *
 * Every notification is logged as a JSON line on stderr; the token never is.
 *
 * Usage: `deno run --allow-net --allow-env --allow-run tools/monitoring/alert_receiver.ts
 * [--host 127.0.0.1] [--port 9095] [--workflow train.yml] [--ref main] [--action cmd args...]`
 *
 * @module
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { runCommand } from "../run_command.ts";

/** One alert of an Alertmanager webhook notification (payload version 4). */
const AlertSchema = z.object({
  status: z.enum(["firing", "resolved"]),
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()).default({}),
  startsAt: z.string(),
  fingerprint: z.string().default(""),
});

/** An Alertmanager webhook notification. */
export const NotificationSchema = z.object({
  version: z.string(),
  status: z.enum(["firing", "resolved"]),
  receiver: z.string(),
  alerts: z.array(AlertSchema),
});

/** One alert of a notification. */
export type Alert = z.infer<typeof AlertSchema>;

/** What to do with an alert that asks for action. */
export type AlertAction = (alert: Alert) => Promise<string>;

/** The label value that asks the receiver to act. */
export const RETRAIN = "retrain";

/**
 * The alerts of `notification` to act on: firing, labelled `action="retrain"`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const alert = { status: "firing" as const, labels: { action: "retrain" }, annotations: {},
 *   startsAt: "2026-12-01T00:00:00Z", fingerprint: "f" };
 * const notification = { version: "4", status: "firing" as const, receiver: "r",
 *   alerts: [alert, { ...alert, status: "resolved" as const }] };
 * assert.deepEqual(alertsToAct(notification), [alert]);
 * ```
 */
export function alertsToAct(notification: z.infer<typeof NotificationSchema>): Alert[] {
  return notification.alerts.filter((a) => a.status === "firing" && a.labels.action === RETRAIN);
}

/** Runs `command` with the alert on stdin. */
function commandAction([command, ...args]: string[]): AlertAction {
  return async (alert) => {
    const result = await runCommand(command, args, {
      env: {
        ALERT_NAME: alert.labels.alertname ?? "",
        ALERT_SUMMARY: alert.annotations.summary ?? "",
      },
      stdin: ReadableStream.from([new TextEncoder().encode(JSON.stringify(alert))]),
      timeoutMs: 60_000,
    });
    if (result.code !== 0) {
      throw new Error(`${command} exited with code ${result.code}: ${result.stderr.trim()}`);
    }
    return `ran ${command}`;
  };
}

/** Where and what to dispatch: GitHub's REST API, a repository, a workflow on a ref. */
export interface WorkflowTarget {
  /** GitHub's API root; Actions runners set GITHUB_API_URL (https://api.github.com). */
  readonly apiUrl: string;
  readonly repository: string;
  readonly token: string;
  readonly workflow: string;
  readonly ref: string;
}

/**
 * Dispatches a GitHub Actions workflow (REST: create a workflow dispatch event).
 *
 * @example
 * ```ts ignore
 * const act = workflowAction({ apiUrl: "https://api.github.com", repository: "o/r",
 *   token, workflow: "train.yml", ref: "main" });
 * ```
 */
export function workflowAction(target: WorkflowTarget): AlertAction {
  const { apiUrl, repository, token, workflow, ref } = target;
  return async () => {
    const url = `${apiUrl}/repos/${repository}/actions/workflows/${workflow}/dispatches`;
    const response = await fetch(url, {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        accept: "application/vnd.github+json",
        "x-github-api-version": "2022-11-28",
      },
      body: JSON.stringify({ ref }),
      signal: AbortSignal.timeout(30_000),
    });
    await response.body?.cancel();
    if (response.status !== 204) {
      throw new Error(`GitHub answered ${response.status} to the dispatch of ${workflow}`);
    }
    return `dispatched ${workflow} on ${repository}@${ref}`;
  };
}

/**
 * The receiver's request handler: `POST /alerts` answers 200 with what was done, 400 for
 * a body that is not a notification, 502 when an action fails; `GET /health` answers 200. Actions run one after the other.
 *
 * @example
 * ```ts ignore
 * Deno.serve({ port: 9095 }, alertHandler(async (alert) => "logged", console.error));
 * ```
 */
export function alertHandler(
  act: AlertAction | undefined,
  log: (entry: Record<string, unknown>) => void,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const { pathname } = new URL(request.url);
    if (pathname === "/health" && request.method === "GET") return Response.json({ status: "ok" });
    if (pathname !== "/alerts") return Response.json({ error: "not found" }, { status: 404 });
    if (request.method !== "POST") {
      return Response.json({ error: "use POST" }, { status: 405, headers: { allow: "POST" } });
    }
    let notification;
    try {
      notification = NotificationSchema.parse(await request.json());
    } catch (error) {
      const message = error instanceof z.ZodError
        ? error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ")
        : "the body is not JSON";
      return Response.json({ error: `not an Alertmanager notification: ${message}` }, {
        status: 400,
      });
    }
    const done: string[] = [];
    for (const alert of alertsToAct(notification)) {
      const name = alert.labels.alertname;
      if (!act) {
        log({ msg: "alert asks for retraining; no action configured", alert: name });
        continue;
      }
      try {
        const outcome = await act(alert);
        log({ msg: "acted on alert", alert: name, outcome });
        done.push(outcome);
      } catch (error) {
        log({ msg: "action failed", alert: name, error: (error as Error).message });
        return Response.json({ error: (error as Error).message }, { status: 502 });
      }
    }
    log({ msg: "notification", status: notification.status, alerts: notification.alerts.length });
    return Response.json({ acted: done });
  };
}

if (import.meta.main) {
  const at = Deno.args.indexOf("--action");
  const own = at >= 0 ? Deno.args.slice(0, at) : Deno.args;
  const action = at >= 0 ? Deno.args.slice(at + 1) : undefined;
  const { values } = parseArgs({
    args: own,
    options: {
      host: { type: "string", default: "127.0.0.1" },
      port: { type: "string", default: "9095" },
      workflow: { type: "string", default: "train.yml" },
      ref: { type: "string", default: "main" },
    },
    strict: true,
  });
  const log = (entry: Record<string, unknown>) =>
    console.error(JSON.stringify({ time: new Date().toISOString(), ...entry }));
  const token = Deno.env.get("GITHUB_TOKEN");
  const repository = Deno.env.get("GITHUB_REPOSITORY");
  const act = action?.length ? commandAction(action) : token && repository
    ? workflowAction({
      apiUrl: Deno.env.get("GITHUB_API_URL") ?? "https://api.github.com",
      repository,
      token,
      workflow: values.workflow,
      ref: values.ref,
    })
    : undefined;
  Deno.serve({
    hostname: values.host,
    port: Number(values.port),
    onListen: ({ hostname, port }) =>
      log({
        msg: "listening",
        url: `http://${hostname}:${port}/alerts`,
        port,
        action: action?.length ? action[0] : token && repository ? "workflow dispatch" : "log only",
      }),
  }, alertHandler(act, log));
}
