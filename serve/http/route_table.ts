/**
 * The server's fixed table of paths and the methods each takes, built from the app's
 * routes once they are all mounted: it answers `405` with `Allow` for a known path and
 * the wrong method, and keeps metric labels to fixed sets (methods outside
 * {@linkcode STANDARD_METHODS} are labelled {@linkcode OTHER_METHOD}; paths outside the
 * table are not labelled by path at all).
 *
 * @module
 */

/** The methods of RFC 9110 and PATCH (RFC 5789), in the order `Allow` lists them. */
export const STANDARD_METHODS = [
  "GET",
  "HEAD",
  "POST",
  "PUT",
  "DELETE",
  "PATCH",
  "OPTIONS",
  "CONNECT",
  "TRACE",
] as const;

/** The metric label of every method not in {@linkcode STANDARD_METHODS}. */
export const OTHER_METHOD = "OTHER";

const STANDARD = new Set<string>(STANDARD_METHODS);

/**
 * The metric label of a request method: the method itself if standard (methods are
 * case-sensitive, so `get` is not `GET`), else {@linkcode OTHER_METHOD}.
 */
export function methodLabel(method: string): string {
  return STANDARD.has(method) ? method : OTHER_METHOD;
}

/** A route as Hono lists it in `app.routes`; middleware has the method `ALL`. */
export interface RouteEntry {
  readonly path: string;
  readonly method: string;
}

/** Options of {@linkcode RouteTable}. */
export interface RouteTableOptions {
  /** Every known path also takes OPTIONS (answered by the CORS policy). */
  readonly options?: boolean;
}

/**
 * The methods of every route path.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RouteTable } from "./route_table.ts";
 *
 * const table = new RouteTable([{ path: "/health", method: "GET" }]);
 * assert.equal(table.allow("/health"), "GET, HEAD");
 * assert.equal(table.allow("/nowhere"), undefined);
 * ```
 */
export class RouteTable {
  readonly #methods = new Map<string, readonly string[]>();
  readonly #allow = new Map<string, string>();

  /** Builds the table; throws on a path with parameters or wildcards, which it cannot match. */
  constructor(routes: readonly RouteEntry[], options: RouteTableOptions = {}) {
    const byPath = new Map<string, Set<string>>();
    for (const { path, method } of routes) {
      if (method === "ALL") continue;
      if (/[:*]/.test(path)) {
        throw new Error(`route ${method} ${path}: the route table takes static paths only`);
      }
      const methods = byPath.get(path) ?? new Set<string>();
      methods.add(method);
      // Hono answers HEAD with the GET handler, less the body.
      if (method === "GET") methods.add("HEAD");
      if (options.options) methods.add("OPTIONS");
      byPath.set(path, methods);
    }
    for (const [path, methods] of byPath) {
      const ordered = [
        ...STANDARD_METHODS.filter((m) => methods.has(m)),
        ...[...methods].filter((m) => !STANDARD.has(m)).sort(),
      ];
      this.#methods.set(path, ordered);
      this.#allow.set(path, ordered.join(", "));
    }
  }

  /** Whether `path` is a route's path. */
  has(path: string): boolean {
    return this.#methods.has(path);
  }

  /** The methods `path` takes, or `undefined` for an unknown path. */
  methods(path: string): readonly string[] | undefined {
    return this.#methods.get(path);
  }

  /** The `Allow` header value for `path`, e.g. `GET, HEAD`, or `undefined` if unknown. */
  allow(path: string): string | undefined {
    return this.#allow.get(path);
  }
}
