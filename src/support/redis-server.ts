import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';

import { openStandaloneRedis } from '../queues/redis-connection.js';
import { freePort } from './free-port.js';
import {
  type ParentDeathWatchdog,
  watchForOurDeath,
} from './parent-death-watchdog.js';
import { RedisServerStartError } from './support-errors.js';

export interface RedisServerOptions {
  /** Its data directory (`--dir`); redis-server's working directory if omitted. */
  readonly dir?: string;
  /** More settings, after the defaults (no RDB, no AOF) so they win. */
  readonly settings?: readonly string[];
  /** Where its output goes (appended); discarded when omitted. */
  readonly logFile?: string;
  /** Port offsets that must be free too (a cluster node's bus port). */
  readonly alsoFreePorts?: readonly number[];
  /** How long it may take to answer PING. */
  readonly startTimeoutMs?: number;
  /**
   * End it when this process dies in any way, SIGKILL included, through a
   * `sh` watchdog per launch (`watchForOurDeath`). Off by default: tests and
   * the bench kill their servers themselves.
   */
  readonly endWithThisProcess?: boolean;
}

/**
 * A `redis-server` of our own on 127.0.0.1 and a free port, never the
 * shared one. It can be killed and started again on the same port,
 * directory and settings, so an AOF it wrote is replayed.
 */
export interface RedisServer {
  readonly url: string;
  readonly port: number;
  readonly running: boolean;
  /** Sends `signal` (SIGKILL by default) and waits until it exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again after a kill; waits for PONG. */
  restart(): Promise<void>;
}

const DEFAULT_START_TIMEOUT_MS = 15_000;
const PING_TIMEOUT_MS = 200;
const PING_INTERVAL_MS = 50;

/**
 * Starts a private redis-server and waits until it answers PING. Throws
 * `RedisServerStartError` when it is not on PATH, exits, or stays silent.
 */
export async function startRedisServer(
  options: RedisServerOptions = {},
): Promise<RedisServer> {
  const port = await freePort(options.alsoFreePorts);
  const url = `redis://127.0.0.1:${port}`;
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    ...(options.dir === undefined ? [] : ['--dir', options.dir]),
    ...(options.settings ?? []),
  ];
  const timeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  let current: Launched | undefined;

  const launch = async () => {
    current = launchServer(args, options);
    try {
      await waitForStart(url, current, timeoutMs);
    } catch (error) {
      await current.kill('SIGKILL');
      throw error;
    }
  };
  await launch();

  return {
    url,
    port,
    get running() {
      return current !== undefined && !current.hasExited();
    },
    async kill(signal = 'SIGKILL') {
      await current?.kill(signal);
    },
    async restart() {
      if (current !== undefined && !current.hasExited()) {
        throw new Error('redis-server is still running; kill it first');
      }
      await launch();
    },
  };
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

interface Launched {
  hasExited(): boolean;
  /** Resolves once it is gone: with the spawn error (e.g. ENOENT) if any. */
  readonly ended: Promise<Error | undefined>;
  kill(signal: NodeJS.Signals): Promise<void>;
}

function launchServer(
  args: readonly string[],
  { logFile, endWithThisProcess }: RedisServerOptions,
): Launched {
  const log = logFile === undefined ? 'ignore' : openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn('redis-server', args, { stdio: ['ignore', log, log] });
  } finally {
    // The child holds its own copy of the descriptor.
    if (typeof log === 'number') closeSync(log);
  }

  // No pid: the spawn failed (e.g. ENOENT), there is nothing to watch.
  const watchdog: ParentDeathWatchdog | undefined =
    endWithThisProcess && child.pid !== undefined
      ? watchForOurDeath(child.pid)
      : undefined;

  let done = false;
  const ended = new Promise<Error | undefined>((resolve) => {
    const end = (error?: Error) => {
      done = true;
      // Stopped only now that redis-server is gone, and before `ended`
      // resolves: then nothing of this launch is left running.
      void (watchdog?.stop() ?? Promise.resolve()).then(() => resolve(error));
    };
    child.once('error', end);
    child.once('exit', () => end());
  });
  return {
    hasExited: () => done,
    ended,
    async kill(signal) {
      if (!done) child.kill(signal);
      await ended;
    },
  };
}

async function waitForStart(
  url: string,
  server: Launched,
  timeoutMs: number,
): Promise<void> {
  const ended = server.ended.then((cause) =>
    cause === undefined
      ? new RedisServerStartError('exited')
      : new RedisServerStartError('missing', { cause }),
  );
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const outcome = await Promise.race([
      ended,
      pingRedis(url, PING_TIMEOUT_MS),
    ]);
    if (outcome instanceof RedisServerStartError) throw outcome;
    if (outcome) return;
    await delay(PING_INTERVAL_MS);
  }

  throw new RedisServerStartError('timeout');
}
