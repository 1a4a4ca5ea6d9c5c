import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import { Redis } from 'ioredis';

import { freePort } from '../../src/support/free-port.js';
import { pingRedis } from '../../src/support/redis-server.js';
import { pollUntil } from '../support/poll.js';
import { cliEnv, startCli } from './cli-runner.js';

const run = promisify(execFile);

/** Pids whose parent is `parent`, from the POSIX `ps` (Linux and macOS). */
async function childPids(parent: number): Promise<number[]> {
  const { stdout } = await run('ps', ['-A', '-o', 'pid=', '-o', 'ppid=']);
  return stdout
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number))
    .filter(([, ppid]) => ppid === parent)
    .map(([pid]) => pid!);
}

/** False once `pid` is gone or a zombie its new parent has yet to reap. */
async function isRunning(pid: number): Promise<boolean> {
  try {
    const { stdout } = await run('ps', ['-o', 'stat=', '-p', String(pid)]);
    const state = stdout.trim();
    return state !== '' && !state.startsWith('Z');
  } catch {
    // ps exits 1 when there is no such process.
    return false;
  }
}

async function serverPid(url: string): Promise<number> {
  const redis = new Redis(url);
  try {
    const info = await redis.info('server');
    return Number(/^process_id:(\d+)/m.exec(info)?.[1]);
  } finally {
    redis.disconnect();
  }
}

// The demo starts a sandbox, workers and a server before it is killed.
const DEMO_TIMEOUT_MS = 45_000;
const GONE_DEADLINE_MS = 10_000;

describe('stream-gdpr demo killed with SIGKILL', () => {
  it(
    'leaves neither its private redis-server nor anything else it started running',
    async () => {
      const port = await freePort();
      const demo = startCli(
        ['demo'],
        cliEnv({ REDIS_URL: `redis://127.0.0.1:${port}`, HTTP_PORT: '0' }),
      );
      const demoPid = demo.child.pid!;
      let started: number[] = [];
      try {
        const [, redisAddress] = await demo.waitFor(
          /Redis: +(127\.0\.0\.1:\d+) \(a private redis-server/,
          20_000,
        );
        const redisUrl = `redis://${redisAddress}`;
        const redisPid = await serverPid(redisUrl);
        started = await childPids(demoPid);
        // redis-server and the watchdog that ends it.
        expect(started).toHaveLength(2);
        expect(started).toContain(redisPid);

        demo.child.kill('SIGKILL');
        expect(await demo.exited(5000)).toBeNull();

        await pollUntil(
          'the private redis-server to stop answering',
          async () => ((await pingRedis(redisUrl, 200)) ? undefined : true),
          { timeoutMs: GONE_DEADLINE_MS, intervalMs: 50 },
        );
        await pollUntil(
          'redis-server and the watchdog to end',
          async () =>
            (await runningOf(started)).length === 0 ? true : undefined,
          { timeoutMs: GONE_DEADLINE_MS, intervalMs: 50 },
        );
      } finally {
        // Whatever the outcome, nothing this test started may outlive it.
        if (demo.child.exitCode === null && demo.child.signalCode === null) {
          started = await childPids(demoPid);
          demo.child.kill('SIGKILL');
        }
        for (const pid of await runningOf(started))
          process.kill(pid, 'SIGKILL');
      }
    },
    DEMO_TIMEOUT_MS,
  );
});

async function runningOf(pids: readonly number[]): Promise<number[]> {
  const running = await Promise.all(pids.map(isRunning));
  return pids.filter((_, index) => running[index]);
}
