import type { RedisConnection } from '../queues/redis-connection.js';

const SCAN_COUNT = 1000;
const UNLINK_BATCH = 500;

/** Every key under `prefix:` (SCAN, never KEYS); on a cluster, every master's. */
export async function keysUnder(
  redis: RedisConnection,
  prefix: string,
): Promise<string[]> {
  const pattern = `${escapeGlob(prefix)}:*`;
  const nodes = 'nodes' in redis ? redis.nodes('master') : [redis];
  const found: string[] = [];
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(
        cursor,
        'MATCH',
        pattern,
        'COUNT',
        SCAN_COUNT,
      );
      cursor = next;
      found.push(...keys);
    } while (cursor !== '0');
  }

  return found;
}

/** Deletes every key under `prefix:`, never anyone else's. */
export async function deleteKeysUnder(
  redis: RedisConnection,
  prefix: string,
): Promise<void> {
  const keys = await keysUnder(redis, prefix);
  // Single-key UNLINKs in a pipeline: valid whatever slots the keys hash
  // to, should a cluster prefix ever lack a hash tag.
  for (let i = 0; i < keys.length; i += UNLINK_BATCH) {
    const pipeline = redis.pipeline();
    for (const key of keys.slice(i, i + UNLINK_BATCH)) pipeline.unlink(key);
    await pipeline.exec();
  }
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (char) => `\\${char}`);
}
