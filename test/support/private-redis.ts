import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  type RedisServer,
  startRedisServer,
} from '../../src/support/redis-server.js';

export interface PrivateRedisOptions {
  /** AOF with fsync on every write, so a kill -9 loses no acknowledged write. */
  readonly appendOnly?: boolean;
  /** More redis-server settings, e.g. an evicting policy the shared Redis must never get. */
  readonly settings?: readonly string[];
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
  let server: RedisServer;
  try {
    server = await startRedisServer({
      dir,
      logFile: join(dir, 'redis-server.log'),
      settings: [
        '--maxmemory-policy',
        'noeviction',
        '--loglevel',
        'warning',
        ...(options.appendOnly
          ? ['--appendonly', 'yes', '--appendfsync', 'always']
          : []),
        ...(options.settings ?? []),
      ],
    });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }

  return {
    url: server.url,
    port: server.port,
    dir,
    get running() {
      return server.running;
    },
    kill: () => server.kill('SIGKILL'),
    restart: () => server.restart(),
    async stop() {
      await server.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    },
  };
}
