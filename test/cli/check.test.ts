import { Redis } from 'ioredis';

import { runStartupChecks } from '../../src/cli/startup-checks.js';
import { loadConfig } from '../../src/config/config.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { freePort } from '../../src/support/free-port.js';
import { startPrivateRedis } from '../support/private-redis.js';
import { cliEnv, runCli } from './cli-runner.js';

const API_KEY = 'check-test-key';
const API_SECRET = 'check-test-secret-0123';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ apiKey: API_KEY, apiSecret: API_SECRET });
});

afterAll(async () => {
  await sandbox?.close();
});

describe('stream-gdpr check', () => {
  it('reports every check and exits 0 when none fails (a persistence warning is allowed)', async () => {
    const result = await runCli(
      ['check'],
      cliEnv({
        STREAM_API_KEY: API_KEY,
        STREAM_API_SECRET: API_SECRET,
        STREAM_BASE_URL: sandbox.url,
      }),
    );

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ok +redis\.reachable/m);
    expect(result.stdout).toMatch(/^ok +redis\.maxmemory-policy/m);
    expect(result.stdout).toMatch(/^(ok|warn) +redis\.persistence/m);
    expect(result.stdout).toMatch(/^ok +stream\.credentials /m);
    expect(result.stdout).toMatch(
      /^ok +stream\.credentials-accepted +Stream at .* accepted/m,
    );
    expect(result.stdout).not.toContain(API_SECRET);
  });

  it('fails with exit 1 when Stream rejects the credentials or they are missing', async () => {
    const rejected = await runCli(
      ['check', '--json'],
      cliEnv({
        STREAM_API_KEY: API_KEY,
        STREAM_API_SECRET: 'not-the-right-secret',
        STREAM_BASE_URL: sandbox.url,
      }),
    );
    const missing = await runCli(['check', '--no-stream-probe']);

    expect(rejected.code).toBe(1);
    const { checks } = JSON.parse(rejected.stdout) as {
      checks: { name: string; status: string; message: string }[];
    };
    expect(
      checks.find((check) => check.name === 'stream.credentials-accepted'),
    ).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('rejected the credentials (HTTP 401'),
    });
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(
      /^fail +stream\.credentials +Stream credentials are missing/m,
    );
  });

  it('exits 3 when Redis cannot be reached', async () => {
    const port = await freePort();
    const result = await runCli(
      ['check'],
      cliEnv({ REDIS_URL: `redis://127.0.0.1:${port}` }),
    );

    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/^fail +redis\.reachable/m);
  });
});

describe('runStartupChecks', () => {
  it('fails on an evicting Redis with the fix, and sees AOF persistence', async () => {
    const lossy = await startPrivateRedis({
      settings: ['--appendonly', 'yes', '--maxmemory-policy', 'allkeys-lru'],
    });
    const redis = new Redis(lossy.url);
    try {
      const config = loadConfig({ REDIS_URL: lossy.url });
      const checks = await runStartupChecks(config, redis);

      expect(
        checks.find((check) => check.name === 'redis.maxmemory-policy'),
      ).toMatchObject({
        status: 'fail',
        message: expect.stringContaining('allkeys-lru'),
        fix: expect.stringContaining(
          'redis-cli config set maxmemory-policy noeviction',
        ),
      });
      expect(
        checks.find((check) => check.name === 'redis.persistence'),
      ).toMatchObject({
        status: 'ok',
        message: expect.stringContaining('AOF'),
      });
    } finally {
      redis.disconnect();
      await lossy.stop();
    }
  });
});
