import { join } from 'node:path';

import { Redis } from 'ioredis';

import { startRedisServer as startPrivateRedis } from '../src/support/redis-server.js';

/** A redis-server of the bench's own, never the shared one on 6379. */
export interface BenchRedis {
  readonly url: string;
  readonly port: number;
  readonly version: string;
  /** A connection for INFO, SCAN and clean-up between scenarios. */
  readonly admin: Redis;
  usedMemory(): Promise<number>;
  /** Empties this private server between scenarios. */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts redis-server without persistence on a free port in `dir`. */
export async function startRedisServer(dir: string): Promise<BenchRedis> {
  const server = await startPrivateRedis({
    dir,
    settings: ['--loglevel', 'warning'],
    logFile: join(dir, 'redis-server.log'),
  });
  // Like every bench child, it must not outlive a crashed or stopped run.
  const killOnExit = () => void server.kill('SIGKILL');
  process.once('exit', killOnExit);
  const admin = new Redis(server.url, { maxRetriesPerRequest: 1 });
  admin.on('error', () => undefined);
  const info = await admin.info('server');
  const version = /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';

  return {
    url: server.url,
    port: server.port,
    version,
    admin,
    usedMemory: async () => parseUsedMemory(await admin.info('memory')),
    flush: async () => {
      await admin.flushall();
    },
    stop: async () => {
      admin.disconnect();
      process.off('exit', killOnExit);
      await server.kill('SIGTERM');
    },
  };
}

/** `used_memory` from an INFO memory reply, in bytes. */
export function parseUsedMemory(info: string): number {
  const match = /^used_memory:(\d+)/m.exec(info);
  if (match === null) throw new Error('INFO memory has no used_memory');
  return Number(match[1]);
}
