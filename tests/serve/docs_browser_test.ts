/**
 * The `/docs` page (Swagger UI, served by the server itself) in a real browser: Debian's
 * Chromium, headless, opens it on a real server on an ephemeral port, once with an admin
 * token configured and once without. Every operation of `/openapi.json` must be listed,
 * an operation opened by its link must show its responses, the Authorize field must be
 * there exactly when a token is configured, and Chromium's network log must show that
 * every request the page made went to the server (Chromium's own background requests,
 * which it makes with no page as initiator, are listed apart). Skipped, with the reason,
 * without Chromium.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { sourceCommand, spawnServer } from "../../tools/serve/spawn_server.ts";
import { waitUntilReady } from "../../tools/serve/smoke_test.ts";
import {
  CHROMIUM,
  CHROMIUM_FLAGS,
  chromiumMissing,
  renderPage,
} from "../support/headless_chromium.ts";
import { testBundle, writeBundle } from "../support/test_bundle.ts";

const skip = chromiumMissing;
const TOKEN = "0123456789abcdef-docs-token";

Deno.test({
  name:
    `Chromium lists every operation of /docs from the server's own Swagger UI, nothing from elsewhere${
      skip ? ` (skipped: ${skip})` : ""
    }`,
  ignore: skip !== undefined,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "docs_browser_" });
    const bundlePath = join(dir, "bundle.json");
    await writeBundle(bundlePath, await testBundle());
    const start = (...flags: string[]) =>
      spawnServer([
        ...sourceCommand(),
        ...["--port", "0", "--model", bundlePath, "--prediction-log", "off"],
        ...["--feedback-store", "off", ...flags],
      ]);
    const withToken = await start("--admin-token", TOKEN);
    const without = await start();
    try {
      await waitUntilReady(withToken.url, 30_000);
      await waitUntilReady(without.url, 30_000);
      const spec = await (await fetch(`${withToken.url}/openapi.json`)).json();
      const paths = Object.keys(spec.paths);
      assert.ok(paths.includes("/invocations") && paths.length >= 12, paths.join(" "));

      const { dom, requests } = await renderPage(`${withToken.url}/docs`);
      for (const path of paths) {
        assert.match(dom, new RegExp(`class="opblock-summary-path" data-path="${path}"`), path);
      }
      assert.match(dom, /class="btn authorize/, "the Authorize field for the admin token");

      const origin = new URL(withToken.url).origin;
      const fromPage = requests.filter((r) => r.initiator === origin || r.url.startsWith(origin));
      const fetched = new Set(fromPage.map((r) => new URL(r.url).pathname));
      for (
        const path of [
          "/docs",
          "/docs/swagger-ui-bundle.js",
          "/docs/swagger-ui.css",
          "/openapi.json",
        ]
      ) {
        assert.ok(fetched.has(path), `the page fetched ${path}`);
      }
      const elsewhere = fromPage.filter((r) => !r.url.startsWith(`${origin}/`));
      assert.deepEqual(elsewhere, [], "every request of the page went to the server");
      // Whatever else Chromium fetched, it fetched for itself, with no page as initiator.
      const own = requests.filter((r) => !fromPage.includes(r));
      assert.ok(own.every((r) => r.initiator === "not an origin"), JSON.stringify(own));
      if (own.length > 0) {
        console.error(
          `Chromium's own requests (not the page's): ${
            [...new Set(own.map((r) => new URL(r.url).host))].join(", ")
          }`,
        );
      }

      // An operation opened by its link shows its responses with their schemas' example.
      const opened = await renderPage(`${withToken.url}/docs#/default/predict`);
      assert.match(opened.dom, /class="responses-table/);
      assert.match(opened.dom, /Example Value/);

      const open = await renderPage(`${without.url}/docs`);
      assert.match(open.dom, /data-path="\/predict"/);
      assert.doesNotMatch(open.dom, /class="btn authorize/, "no token, no Authorize field");
    } finally {
      await withToken.stop();
      await without.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

/** A headless Chromium driven over the DevTools protocol, on one page. */
async function devtools(dir: string) {
  const profile = join(dir, `cdp-${crypto.randomUUID()}`);
  const child = new Deno.Command(CHROMIUM, {
    args: [
      ...CHROMIUM_FLAGS,
      `--user-data-dir=${profile}`,
      "--remote-debugging-port=0",
      "about:blank",
    ],
    stdout: "null",
    stderr: "null",
  }).spawn();
  let port: string | undefined;
  for (let i = 0; i < 200 && !port; i++) {
    port = await Deno.readTextFile(join(profile, "DevToolsActivePort"))
      .then((text) => text.split("\n")[0], () => undefined);
    if (!port) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.ok(port, "Chromium wrote its DevTools port");
  const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
  const page = targets.find((t: { type: string }) => t.type === "page");
  const socket = new WebSocket(page.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = reject;
  });
  let id = 0;
  const pending = new Map<number, (message: { result?: unknown; error?: unknown }) => void>();
  socket.onmessage = (event) => {
    const message = JSON.parse(event.data);
    pending.get(message.id)?.(message);
    pending.delete(message.id);
  };
  const send = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<{ result?: unknown; error?: unknown }>((resolve) => {
      pending.set(++id, resolve);
      socket.send(JSON.stringify({ id, method, params }));
    });
  /** Evaluates `expression` (a promise) in the page and returns its value. */
  const evaluate = async (expression: string) => {
    const { result, error } = await send("Runtime.evaluate", {
      expression,
      awaitPromise: true,
      returnByValue: true,
    });
    assert.equal(error, undefined, JSON.stringify(error));
    const { result: value, exceptionDetails } = result as {
      result: { value: unknown };
      exceptionDetails?: { exception?: { description?: string } };
    };
    assert.equal(exceptionDetails, undefined, exceptionDetails?.exception?.description);
    return value.value;
  };
  return {
    send,
    evaluate,
    async close() {
      socket.close();
      child.kill();
      await child.status;
    },
  };
}

/** Page code: resolves with the first element matching `selector`, once there is one. */
const waitFor = `(selector) => new Promise((resolve, reject) => {
  const started = Date.now();
  const poll = () => {
    const found = document.querySelector(selector);
    if (found) return resolve(found);
    if (Date.now() - started > 15000) return reject(new Error("no " + selector));
    setTimeout(poll, 50);
  };
  poll();
})`;

Deno.test({
  name:
    `/docs in Chromium: Execute answers 200 and shows a copyable curl command; Authorize asks for the token${
      skip ? ` (skipped: ${skip})` : ""
    }`,
  ignore: skip !== undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "docs_cdp_" });
    const bundlePath = join(dir, "bundle.json");
    await writeBundle(bundlePath, await testBundle());
    const server = await spawnServer([
      ...sourceCommand(),
      ...["--port", "0", "--model", bundlePath, "--prediction-log", "off"],
      ...["--feedback-store", "off", "--admin-token", TOKEN],
    ]);
    const browser = await devtools(dir);
    try {
      await waitUntilReady(server.url, 30_000);
      await browser.send("Page.enable");
      await browser.send("Page.navigate", { url: `${server.url}/docs#/default/predict` });
      const executed = await browser.evaluate(`(async () => {
        const waitFor = ${waitFor};
        (await waitFor(".opblock.is-open .try-out__btn")).click();
        (await waitFor(".opblock.is-open .execute")).click();
        const curl = await waitFor(".opblock.is-open .request-snippets .curl");
        const status = await waitFor(".opblock.is-open .live-responses-table .response .response-col_status");
        return {
          curl: curl.textContent,
          copy: !!document.querySelector(".opblock.is-open .request-snippets .copy-to-clipboard"),
          status: status.textContent.trim(),
        };
      })()`) as { curl: string; copy: boolean; status: string };
      assert.match(executed.curl, /^curl -X 'POST'/);
      // The URL may carry the route's query options (Swagger UI sends their defaults).
      assert.ok(/'[^']*\/predict(\?[^']*)?'/.test(executed.curl), executed.curl);
      assert.ok(executed.curl.includes(`'${server.url}/predict`), executed.curl);
      assert.match(executed.curl, /-H 'Content-Type: application\/json'/);
      assert.ok(executed.copy, "a copy-to-clipboard button beside the curl command");
      assert.match(executed.status, /^200/);

      const authorize = await browser.evaluate(`(async () => {
        const waitFor = ${waitFor};
        (await waitFor(".btn.authorize")).click();
        const dialog = await waitFor(".dialog-ux .modal-ux");
        return { text: dialog.textContent, inputs: dialog.querySelectorAll("input").length };
      })()`) as { text: string; inputs: number };
      assert.match(authorize.text, /adminToken/);
      assert.match(authorize.text, /bearer/i);
      assert.equal(authorize.inputs, 1, "one field, for the token");
    } finally {
      await browser.close();
      await server.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
