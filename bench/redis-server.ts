import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';

import { Redis } from 'ioredis';

import { freePort } from './free-port.js';
import { exited, hasExited, spawnTracked, stopChild } from './processes.js';
import { pollUntil } from './scope.js';

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
  const port = await freePort();
  if (port === 6379) throw new Error('refusing to run on the shared port');
  const child: ChildProcess = spawnTracked(
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
      '--dir',
      dir,
      '--loglevel',
      'warning',
    ],
    { env: process.env, logFile: join(dir, 'redis-server.log') },
  );

  const url = `redis://127.0.0.1:${port}`;
  const admin = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    retryStrategy: () => 100,
  });
  // Refused connections while the server boots are expected; pollUntil
  // reports a server that never comes up.
  admin.on('error', () => undefined);
  await pollUntil('redis-server start', 10_000, async () => {
    if (hasExited(child)) throw new Error('redis-server exited at start');
    try {
      if (admin.status === 'wait') await admin.connect();
      return (await admin.ping()) === 'PONG' ? true : undefined;
    } catch {
      return undefined;
    }
  });

  const server = await admin.info('server');
  const version = /redis_version:(\S+)/.exec(server)?.[1] ?? 'unknown';

  return {
    url,
    port,
    version,
    admin,
    usedMemory: async () => parseUsedMemory(await admin.info('memory')),
    flush: async () => {
      await admin.flushall();
    },
    stop: async () => {
      admin.disconnect();
      await stopChild(child, 3_000);
      await exited(child);
    },
  };
}

/** `used_memory` from an INFO memory reply, in bytes. */
export function parseUsedMemory(info: string): number {
  const match = /^used_memory:(\d+)/m.exec(info);
  if (match === null) throw new Error('INFO memory has no used_memory');
  return Number(match[1]);
}
