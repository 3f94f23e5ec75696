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

/** What a page did in the browser. */
export interface PageRender {
  /** The DOM once the virtual time budget ran out (`--dump-dom`). */
  readonly dom: string;
  /** URLs the page requested over the network (http, https, ws...; not file:). */
  readonly networkRequests: readonly string[];
}

interface NetLog {
  readonly constants: { readonly logEventTypes: Record<string, number> };
  readonly events: readonly { type: number; params?: { url?: string; initiator?: string } }[];
}

/** The URLs of the net log's requests that a page (not the browser itself) started. */
function pageRequests(log: NetLog): string[] {
  const start = log.constants.logEventTypes["URL_REQUEST_START_JOB"];
  return log.events
    .filter((e) => e.type === start && e.params?.url && e.params.initiator !== "not an origin")
    .map((e) => e.params!.url!);
}

/** Renders `url` (a `file://` URL) headless and returns its DOM and its network requests. */
export async function renderPage(url: string, virtualTimeMs = 10_000): Promise<PageRender> {
  const dir = await Deno.makeTempDir({ prefix: "chromium_" });
  try {
    const netLog = join(dir, "net_log.json");
    const result = await runCommand(CHROMIUM, [
      "--headless",
      "--no-sandbox", // as root, Chromium refuses to start with its sandbox
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
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
    return { dom: result.stdout, networkRequests: pageRequests(log) };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
