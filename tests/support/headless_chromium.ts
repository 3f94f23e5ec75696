/**
 * Opens a local page in Debian's headless Chromium and reports what it drew (the DOM
 * after its scripts ran) and every network request the page made, from Chromium's own
 * net log. Chromium's background services (update checks, accounts) also show in the net
 * log, with no page as initiator: they are not counted.
 *
 * @module
 */
import { join } from "node:path";
import { runCommand } from "../../tools/run_command.ts";

/** Where Debian's `chromium` package installs the browser. */
export const CHROMIUM = "/usr/bin/chromium";

/** Why a browser test cannot run here, or `undefined` when Chromium is installed. */
export const chromiumMissing: string | undefined = await Deno.stat(CHROMIUM).then(
  () => undefined,
  () => `${CHROMIUM} is missing (Debian package chromium)`,
);

/**
 * Headless on a closed network, as root: no sandbox (Chromium refuses it as root), and
 * none of the background services that would try to reach Google at every start.
 */
export const CHROMIUM_FLAGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** One request of the net log: its URL and what started it (an origin, or "not an origin"). */
export interface LoggedRequest {
  readonly url: string;
  readonly initiator: string;
}

/** What a page did in the browser. */
export interface PageRender {
  /** The DOM once the virtual time budget ran out (`--dump-dom`). */
  readonly dom: string;
  /** URLs the page requested over the network (http, https, ws...; not file:). */
  readonly networkRequests: readonly string[];
  /** Every request of the net log, the browser's own included. */
  readonly requests: readonly LoggedRequest[];
}

interface NetLog {
  readonly constants: { readonly logEventTypes: Record<string, number> };
  readonly events: readonly { type: number; params?: { url?: string; initiator?: string } }[];
}

/** Every request the net log started, with its initiator. */
function loggedRequests(log: NetLog): LoggedRequest[] {
  const start = log.constants.logEventTypes["URL_REQUEST_START_JOB"];
  return log.events.filter((e) => e.type === start && e.params?.url)
    .map((e) => ({ url: e.params!.url!, initiator: e.params!.initiator ?? "" }));
}

/** Renders `url` headless and returns its DOM and its network requests. */
export async function renderPage(url: string, virtualTimeMs = 10_000): Promise<PageRender> {
  const dir = await Deno.makeTempDir({ prefix: "chromium_" });
  try {
    const netLog = join(dir, "net_log.json");
    const result = await runCommand(CHROMIUM, [
      ...CHROMIUM_FLAGS,
      `--user-data-dir=${join(dir, "profile")}`,
      `--log-net-log=${netLog}`,
      "--dump-dom",
      `--virtual-time-budget=${virtualTimeMs}`,
      url,
    ], { timeoutMs: 120_000 });
    if (result.code !== 0) {
      throw new Error(`chromium exited ${result.code}: ${result.stderr.slice(-2000)}`);
    }
    const log = JSON.parse(await Deno.readTextFile(netLog)) as NetLog;
    const requests = loggedRequests(log);
    const networkRequests = requests.filter((r) => r.initiator !== "not an origin")
      .map((r) => r.url);
    return { dom: result.stdout, networkRequests, requests };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
