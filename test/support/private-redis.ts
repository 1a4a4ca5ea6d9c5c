import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Redis } from 'ioredis';

import { type ChildHandle, spawnChild } from './child-process.js';
import { freePort } from './free-port.js';
import { pollUntil } from './poll.js';

export interface PrivateRedisOptions {
  /** AOF with fsync on every write, so a kill -9 loses no acknowledged write. */
  readonly appendOnly?: boolean;
}

/**
 * A redis-server of the test's own, in a temp directory on a free port,
 * never the shared one on 6379. It can be killed (-9) and restarted on the
 * same port and directory, so its AOF is replayed.
 */
export interface PrivateRedis {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  readonly running: boolean;
  /** SIGKILL: no shutdown save, no goodbye to clients. */
  kill(): Promise<void>;
  /** Starts it again on the same port and directory; waits for PONG. */
  restart(): Promise<void>;
  /** Stops it and removes its directory. */
  stop(): Promise<void>;
}

/** Starts a private redis-server and waits until it answers PING. */
export async function startPrivateRedis(
  options: PrivateRedisOptions = {},
): Promise<PrivateRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'gdpr-redis-'));
  const port = await freePort();
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--maxmemory-policy',
    'noeviction',
    '--loglevel',
    'warning',
    ...(options.appendOnly
      ? ['--appendonly', 'yes', '--appendfsync', 'always']
      : ['--appendonly', 'no']),
  ];
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildHandle | undefined;

  const launch = async () => {
    child = spawnChild('redis-server', args, {
      logFile: join(dir, 'redis-server.log'),
    });
    await waitForPong(url, child);
  };
  await launch();

  return {
    url,
    port,
    dir,
    get running() {
      return child !== undefined && !child.hasExited();
    },
    async kill() {
      await child?.kill('SIGKILL');
    },
    async restart() {
      if (child !== undefined && !child.hasExited()) {
        throw new Error('redis-server is still running; kill it first');
      }
      await launch();
    },
    async stop() {
      await child?.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Waits until the server at `url` answers PING (and has loaded its AOF). */
export async function waitForPong(
  url: string,
  child?: ChildHandle,
): Promise<void> {
  const probe = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  try {
    await pollUntil(
      `redis-server at ${url}`,
      async () => {
        if (child?.hasExited()) throw new Error('redis-server exited at start');
        try {
          if (probe.status !== 'ready') {
            probe.disconnect();
            await probe.connect();
          }
          return (await probe.ping()) === 'PONG' ? true : undefined;
        } catch (error) {
          if (child?.hasExited()) throw error;
          return undefined;
        }
      },
      { timeoutMs: 15_000, intervalMs: 50 },
    );
  } finally {
    probe.disconnect();
  }
}
