import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Redis } from 'ioredis';

import { freePort } from '../../src/support/free-port.js';
import { cliEnv, runCli, startCli } from './cli-runner.js';
import { SHARED_REDIS } from './test-redis.js';

async function keysUnder(url: string, prefix: string): Promise<string[]> {
  const redis = new Redis(url);
  try {
    return await redis.keys(`${prefix}:*`);
  } finally {
    redis.disconnect();
  }
}

// Each demo starts a sandbox, workers and a server in a child process.
const DEMO_TIMEOUT_MS = 45_000;

describe('stream-gdpr demo', () => {
  it(
    'completes its sample requests, exits 0 on SIGINT and leaves no keys behind',
    async () => {
      const demo = startCli(
        ['demo'],
        cliEnv({ REDIS_URL: SHARED_REDIS, HTTP_PORT: '0' }),
      );

      const [, prefix] = await demo.waitFor(
        /Key prefix: +(demo-[0-9a-f]+)/,
        20_000,
      );
      await demo.waitFor(/Demo requests completed/, 25_000);
      const [, dashboard] = await demo.waitFor(
        /Dashboard: (http:\/\/\S+)/,
        1000,
      );
      expect(demo.output().stdout).toMatch(
        /curl -H 'Authorization: Bearer [0-9a-f]+'/,
      );
      expect(await keysUnder(SHARED_REDIS, prefix!)).not.toEqual([]);
      const unauthenticated = await fetch(dashboard!);
      expect(unauthenticated.status).toBe(401);

      demo.child.kill('SIGINT');

      expect(await demo.exited(15_000)).toBe(0);
      expect(await keysUnder(SHARED_REDIS, prefix!)).toEqual([]);
    },
    DEMO_TIMEOUT_MS,
  );

  it(
    'starts a private redis-server when REDIS_URL does not answer, and stops it on exit',
    async () => {
      const port = await freePort();
      const demo = startCli(
        ['demo'],
        cliEnv({ REDIS_URL: `redis://127.0.0.1:${port}`, HTTP_PORT: '0' }),
      );

      const [, redisAddress] = await demo.waitFor(
        /Redis: +(127\.0\.0\.1:\d+) \(a private redis-server/,
        20_000,
      );
      await demo.waitFor(/Demo requests completed/, 25_000);
      demo.child.kill('SIGINT');

      expect(await demo.exited(15_000)).toBe(0);
      const stopped = new Redis(`redis://${redisAddress}`, {
        lazyConnect: true,
        retryStrategy: () => null,
      });
      stopped.on('error', () => {});
      await expect(stopped.connect()).rejects.toThrow();
      stopped.disconnect();
    },
    DEMO_TIMEOUT_MS,
  );

  it('exits 3 with one sentence on how to get Redis when there is neither Redis nor redis-server', async () => {
    const port = await freePort();
    // node is started by absolute path; an empty PATH hides redis-server.
    const emptyDir = await mkdtemp(join(tmpdir(), 'cli-demo-path-'));
    const result = await runCli(['demo'], {
      PATH: emptyDir,
      REDIS_URL: `redis://127.0.0.1:${port}`,
    }).finally(() => rm(emptyDir, { recursive: true, force: true }));

    expect(result.code).toBe(3);
    expect(result.stderr).toContain('redis-server is not on PATH');
    expect(result.stderr).toContain('install Redis');
  });
});
