import { Redis } from 'ioredis';

import { deleteKeysUnder } from '../../src/support/redis-keys.js';

export const SHARED_REDIS = 'redis://127.0.0.1:6379';

/** Deletes every key under `prefix:` on the shared Redis. */
export async function deleteKeys(prefix: string): Promise<void> {
  const redis = new Redis(SHARED_REDIS);
  try {
    await deleteKeysUnder(redis, prefix);
  } finally {
    redis.disconnect();
  }
}
