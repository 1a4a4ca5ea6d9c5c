import { spawn } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';

import { openStandaloneRedis } from '../../queues/redis-connection.js';
import { UnreachableError } from '../cli-errors.js';
import { freePort } from './free-port.js';

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
 * starts a throwaway `redis-server` (no persistence) on a free port.
 */
export async function ensureRedis(url: string): Promise<DemoRedis> {
  if (await pingRedis(url, PING_TIMEOUT_MS)) {
    return { url, private: false, close: async () => {} };
  }
  return startPrivateRedis(url);
}

/** True when Redis at `url` answers PING within `timeoutMs`. */
export async function pingRedis(
  url: string,
  timeoutMs: number,
): Promise<boolean> {
  const redis = openStandaloneRedis(url, 'probe', {
    connectTimeout: timeoutMs,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

/** Deletes every key under `prefix:` (the demo's own, never others'). */
export async function deleteKeysWithPrefix(
  url: string,
  prefix: string,
): Promise<void> {
  const redis = openStandaloneRedis(url, 'producer', { lazyConnect: false });
  redis.on('error', () => {});
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(
        cursor,
        'MATCH',
        `${prefix}:*`,
        'COUNT',
        1000,
      );
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

async function startPrivateRedis(wanted: string): Promise<DemoRedis> {
  const port = await freePort();
  // TODO: a SIGKILLed demo leaves this redis-server running (no parent-death signal in Node).
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
    ],
    { stdio: 'ignore' },
  );
  const spawnError = new Promise<Error>((resolve) => {
    child.once('error', resolve);
  });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
  });
  const url = `redis://127.0.0.1:${port}`;

  const deadline = Date.now() + START_DEADLINE_MS;
  while (Date.now() < deadline) {
    const outcome = await Promise.race([
      spawnError,
      exited.then(() => 'exited' as const),
      pingRedis(url, 200),
    ]);
    if (outcome instanceof Error) {
      throw new UnreachableError(
        `Redis does not answer at ${hostOf(wanted)} and redis-server is not ` +
          'on PATH: install Redis (e.g. `apt install redis-server` or ' +
          '`brew install redis`) or set REDIS_URL to a running one.',
        { cause: outcome },
      );
    }
    if (outcome === 'exited') break;
    if (outcome) {
      const close = async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        await exited;
      };
      return { url, private: true, close };
    }
    await delay(50);
  }

  child.kill('SIGKILL');
  throw new UnreachableError(
    `Redis does not answer at ${hostOf(wanted)} and a private redis-server ` +
      'did not start; start Redis or set REDIS_URL to a running one.',
  );
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
