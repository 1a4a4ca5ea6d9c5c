/**
 * Deterministic user ids, so a child script can rebuild the same list from
 * a tag and a count instead of receiving thousands of ids over argv.
 * 7 digits keep every id the same length (`lat-user-0000042`), which
 * makes "raw bytes of ids" an exact figure.
 */
export function benchUserIds(tag: string, count: number): string[] {
  const ids = new Array<string>(count);
  for (let i = 0; i < count; i += 1) {
    ids[i] = `${tag}-user-${String(i).padStart(7, '0')}`;
  }

  return ids;
}

/** Bytes the ids take as UTF-8 text, without separators. */
export function rawIdBytes(ids: readonly string[]): number {
  let bytes = 0;
  for (const id of ids) bytes += Buffer.byteLength(id);
  return bytes;
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    chunks.push(items.slice(i, i + size));
  }

  return chunks;
}
