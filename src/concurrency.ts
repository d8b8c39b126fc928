/** Bounded concurrency for work over many files. */

/**
 * `fn` over `items`, at most `limit` at a time, results in the order of `items`. Reading
 * every story folder at once would open more files than the system allows (EMFILE) on a
 * big site: a 1,024-descriptor limit is the default on many machines.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
