/**
 * Wraps a read so that callers arriving while it is in flight share it.
 * The registry starts every family's `collect` in the same tick of a
 * scrape, so families fed by one Redis read cost one read per scrape, and
 * the next scrape reads afresh.
 */
export function sharedWhileInFlight<T>(
  read: () => Promise<T>,
): () => Promise<T> {
  let current: Promise<T> | undefined;
  return () =>
    (current ??= read().finally(() => {
      current = undefined;
    }));
}
