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
 * const ids = Array.from({ length: 2500 }, (_, i) => `run-${i}`);
 * const searchPage = async (size: number, token = "0") => ({
 *   items: ids.slice(Number(token), Number(token) + size),
 *   nextPageToken: Number(token) + size < ids.length ? String(Number(token) + size) : undefined,
 * });
 * const runs = await collectPages(searchPage, 5000, 1000); // all 2500, in three pages
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
