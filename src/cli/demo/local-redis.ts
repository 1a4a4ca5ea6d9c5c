import { openStandaloneRedis } from '../../queues/redis-connection.js';
import { deleteKeysUnder } from '../../support/redis-keys.js';
import { pingRedis, startRedisServer } from '../../support/redis-server.js';
import { RedisServerStartError } from '../../support/support-errors.js';
import { UnreachableError } from '../cli-errors.js';

/** A Redis the demo can use, and how to let go of it. */
export interface DemoRedis {
  readonly url: string;
  /** True when the demo started this redis-server itself. */
  readonly private: boolean;
  close(): Promise<void>;
}

const PING_TIMEOUT_MS = 1000;
const START_DEADLINE_MS = 10_000;

/**
 * Uses the Redis at `url` when it answers PING within a second; otherwise
 * starts a throwaway `redis-server` (no persistence) on a free port that
 * ends with the demo, however the demo ends.
 */
export async function ensureRedis(url: string): Promise<DemoRedis> {
  if (await pingRedis(url, PING_TIMEOUT_MS)) {
    return { url, private: false, close: async () => {} };
  }
  return startPrivateRedis(url);
}

/** Deletes every key under `prefix:` (the demo's own, never others'). */
export async function deleteKeysWithPrefix(
  url: string,
  prefix: string,
): Promise<void> {
  const redis = openStandaloneRedis(url, 'producer', { lazyConnect: false });
  redis.on('error', () => {});
  try {
    await deleteKeysUnder(redis, prefix);
  } finally {
    redis.disconnect();
  }
}

async function startPrivateRedis(wanted: string): Promise<DemoRedis> {
  try {
    const server = await startRedisServer({
      startTimeoutMs: START_DEADLINE_MS,
      endWithThisProcess: true,
    });
    return {
      url: server.url,
      private: true,
      close: () => server.kill('SIGTERM'),
    };
  } catch (error) {
    if (!(error instanceof RedisServerStartError)) throw error;
    if (error.failure === 'missing') {
      throw new UnreachableError(
        `Redis does not answer at ${hostOf(wanted)} and redis-server is not ` +
          'on PATH: install Redis (e.g. `apt install redis-server` or ' +
          '`brew install redis`) or set REDIS_URL to a running one.',
        { cause: error },
      );
    }
    throw new UnreachableError(
      `Redis does not answer at ${hostOf(wanted)} and a private redis-server ` +
        'did not start; start Redis or set REDIS_URL to a running one.',
      { cause: error },
    );
  }
}

/** host:port of a Redis URL, without any password it may carry. */
export function hostOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '6379'}`;
  } catch {
    return 'REDIS_URL';
  }
}
