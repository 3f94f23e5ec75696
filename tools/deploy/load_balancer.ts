/**
 * An nginx load balancer in front of server instances, for the scale-out measurements:
 * round robin over the backends, keep-alive connections to them, and the retry policy
 * that hides a backend going away. A request that fails on one backend (connection
 * refused or reset, a timeout, a 502 or a 503 from a server still loading its model or
 * draining) is passed to the next backend once (`proxy_next_upstream`, 2 tries); a backend
 * that failed is left out for `fail_timeout`. Needs `nginx` on PATH (Debian package
 * `nginx`); it runs in the foreground as a child process with everything under a
 * temporary directory, and {@linkcode LoadBalancer.stop} ends it.
 *
 * @module
 */
import { join } from "node:path";
import { runCommand } from "../run_command.ts";

/** What {@linkcode nginxConfig} needs. */
export interface BalancerSettings {
  /** The loopback port nginx listens on. */
  readonly port: number;
  /** The backends' loopback ports. */
  readonly backends: readonly number[];
  /** The directory nginx keeps its pid, log and temporary files in. */
  readonly dir: string;
}

/**
 * The nginx configuration of a load balancer.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const conf = nginxConfig({ port: 8080, backends: [8081, 8082], dir: "/tmp/lb" });
 * assert.match(conf, /server 127\.0\.0\.1:8082 max_fails=1 fail_timeout=2s;/);
 * assert.match(conf, /proxy_next_upstream error timeout http_502 http_503 non_idempotent;/);
 * ```
 */
export function nginxConfig(settings: BalancerSettings): string {
  const { port, backends, dir } = settings;
  if (backends.length === 0) throw new Error("a load balancer needs at least one backend");
  return `# Written by tools/deploy/load_balancer.ts.
worker_processes 1;
daemon off;
pid ${join(dir, "nginx.pid")};
error_log ${join(dir, "error.log")} warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${join(dir, "body")};
  proxy_temp_path ${join(dir, "proxy")};
  fastcgi_temp_path ${join(dir, "fastcgi")};
  uwsgi_temp_path ${join(dir, "uwsgi")};
  scgi_temp_path ${join(dir, "scgi")};
  upstream crime_serve {
${backends.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=2s;`).join("\n")}
    keepalive 32;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://crime_serve;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_connect_timeout 1s;
      proxy_read_timeout 10s;
      # POST /predict only reads the model, so a request cut off by a dying backend may be
      # sent again (non_idempotent); its prediction log row may then appear twice.
      proxy_next_upstream error timeout http_502 http_503 non_idempotent;
      proxy_next_upstream_tries 2;
      proxy_next_upstream_timeout 5s;
    }
  }
}
`;
}

/** A running nginx. */
export interface LoadBalancer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** nginx's error log so far (failed upstream attempts are logged there). */
  errorLog(): Promise<string>;
  /** Stops nginx (SIGQUIT: finish what is in flight) and removes its directory. */
  stop(): Promise<void>;
}

/** Why nginx cannot run here, or `undefined` when it can. */
export async function nginxUnavailable(): Promise<string | undefined> {
  try {
    const { code } = await runCommand("nginx", ["-v"], { timeoutMs: 10_000 });
    return code === 0 ? undefined : "nginx -v failed";
  } catch {
    return "nginx is not installed (Debian package nginx)";
  }
}

/**
 * Starts nginx in front of `backends`; resolves once it accepts connections.
 *
 * @example
 * ```ts ignore
 * const balancer = await startLoadBalancer(8080, [8081, 8082]);
 * await balancer.stop();
 * ```
 */
export async function startLoadBalancer(
  port: number,
  backends: readonly number[],
): Promise<LoadBalancer> {
  const dir = await Deno.makeTempDir({ prefix: "crime-nginx-" });
  const conf = join(dir, "nginx.conf");
  await Deno.writeTextFile(conf, nginxConfig({ port, backends, dir }));
  const errorLog = join(dir, "error.log");
  // -e: nginx writes its start-up errors there, not to /var/log/nginx.
  const args = ["-p", dir, "-e", errorLog, "-c", conf];
  const test = await runCommand("nginx", [...args, "-t"], { timeoutMs: 10_000 });
  if (test.code !== 0) {
    await Deno.remove(dir, { recursive: true });
    throw new Error(`nginx refuses its configuration: ${test.stderr.trim()}`);
  }
  const child = new Deno.Command("nginx", { args, stdout: "null", stderr: "null" }).spawn();
  const stop = async () => {
    try {
      child.kill("SIGQUIT");
    } catch {
      // Already gone.
    }
    const timer = setTimeout(() => {
      try {
        child.kill("SIGKILL");
      } catch {
        // Gone meanwhile.
      }
    }, 10_000);
    await child.status;
    clearTimeout(timer);
    await Deno.remove(dir, { recursive: true });
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      break;
    } catch {
      if (Date.now() > deadline) {
        const log = await Deno.readTextFile(errorLog).catch(() => "");
        await stop();
        throw new Error(`nginx did not listen on ${port} within 10 s: ${log.trim()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return {
    url: `http://127.0.0.1:${port}`,
    errorLog: () => Deno.readTextFile(errorLog).catch(() => ""),
    stop,
  };
}
