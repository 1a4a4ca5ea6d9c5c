import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Redis } from 'ioredis';

export const SHARED_REDIS = 'redis://127.0.0.1:6379';

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 1;
}

/** Deletes every key under `prefix:` on the shared Redis. */
export async function deleteKeys(prefix: string): Promise<void> {
  const redis = new Redis(SHARED_REDIS);
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

export interface PrivateRedis {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * A throwaway redis-server with extra settings (e.g. an evicting policy the
 * shared Redis must never be given); its data directory is removed on stop.
 */
export async function startPrivateRedis(
  settings: readonly string[],
): Promise<PrivateRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'cli-redis-'));
  const port = await freePort();
  const child: ChildProcess = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--dir',
      dir,
      ...settings,
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `redis://127.0.0.1:${port}`;
  const stop = async () => {
    child.kill('SIGKILL');
    await exited;
    await rm(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const probe = new Redis(url, {
      lazyConnect: true,
      retryStrategy: () => null,
      disconnectTimeout: 10,
    });
    probe.on('error', () => {});
    const up = await probe.connect().then(
      () => true,
      () => false,
    );
    probe.disconnect();
    if (up) return { url, stop };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await stop();
  throw new Error('private redis-server did not start');
}
