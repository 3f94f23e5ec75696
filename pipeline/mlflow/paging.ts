/**
 * Follows MLflow's `next_page_token` pagination until a result limit or the last page.
 *
 * @module
 */

/** One page of results and the token of the next page, absent or empty on the last one. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextPageToken?: string;
}

/**
 * Collects up to `limit` items, asking each page for no more than is still missing.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { collectPages } from "./paging.ts";
 *
 * const ids = Array.from({ length: 2500 }, (_, i) => `run-${i}`);
 * const asked: number[] = []; // the page size of each request
 * const searchPage = async (size: number, token = "0") => {
 *   asked.push(size);
 *   const start = Number(token);
 *   const next = start + size < ids.length ? String(start + size) : undefined;
 *   return { items: ids.slice(start, start + size), nextPageToken: next };
 * };
 * assert.deepEqual(await collectPages(searchPage, 5000, 1000), ids); // all 2500,
 * assert.deepEqual(asked, [1000, 1000, 1000]); // in three pages
 * asked.length = 0;
 * assert.deepEqual(await collectPages(searchPage, 1500, 1000), ids.slice(0, 1500));
 * assert.deepEqual(asked, [1000, 500]); // no more than is still missing
 * ```
 */
export async function collectPages<T>(
  fetchPage: (pageSize: number, pageToken?: string) => Promise<Page<T>>,
  limit: number,
  maxPageSize: number,
): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const page = await fetchPage(Math.min(maxPageSize, limit - items.length), token);
    items.push(...page.items);
    token = page.nextPageToken || undefined;
  } while (token && items.length < limit);
  return items.slice(0, limit);
}
