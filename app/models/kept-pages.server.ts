/**
 * Pages worked out once and kept, per process, under a key that names everything they were worked
 * out from, including a stamp the database moves with every change that could alter them (ADRs 006
 * and 014): a key is never met again once anything behind it has changed, so nothing kept is ever
 * stale, and only the least recently used are dropped.
 */
export interface KeptPages<T> {
  /** The page kept under `key`, or `workOut`'s, kept from now on. */
  get(key: string, workOut: () => Promise<T>): Promise<T>;
}

export function keptPages<T>(size: number): KeptPages<T> {
  const kept = new Map<string, Promise<T>>();
  return {
    get(key, workOut) {
      let page = kept.get(key);
      if (page) {
        // Most recently used last: the first key is the one to drop.
        kept.delete(key);
      } else {
        // Kept as a promise, so that people opening the page at once share one reading of it.
        page = workOut();
        page.catch(() => kept.delete(key));
      }
      kept.set(key, page);
      if (kept.size > size) kept.delete(kept.keys().next().value!);
      return page;
    },
  };
}
