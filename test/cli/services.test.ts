import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { RequestRecord } from '../../src/requests/request-record.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { startPrivateRedis } from '../support/private-redis.js';
import { cliEnv, runCli, startCli } from './cli-runner.js';
import { deleteKeys, SHARED_REDIS } from './test-redis.js';

const API_KEY = 'services-test-key';
const API_SECRET = 'services-test-secret-0123';
const LISTENING = /"url":"(http:\/\/[^"]+)"[^\n]*HTTP server listening/;

const prefix = `test-cli-svc-${randomUUID()}`;
let sandbox: Sandbox;
let dir: string;

function serviceEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return cliEnv({
    STREAM_API_KEY: API_KEY,
    STREAM_API_SECRET: API_SECRET,
    STREAM_BASE_URL: sandbox.url,
    REDIS_URL: SHARED_REDIS,
    QUEUE_PREFIX: prefix,
    EXPORT_DIR: join(dir, 'exports'),
    HTTP_PORT: '0',
    API_TOKEN: 'services-test-api-token',
    TASK_POLL_INITIAL_MS: '20',
    TASK_POLL_MAX_MS: '100',
    RATE_LIMIT_DEFAULT_PER_MINUTE: '60000',
    ...extra,
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-services-'));
  sandbox = await startSandbox({
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    taskDurationMs: 20,
    seed: { users: [{ id: 'svc-1' }, { id: 'svc-2' }] },
  });
});

afterAll(async () => {
  await sandbox?.close();
  await deleteKeys(prefix);
  await rm(dir, { recursive: true, force: true });
});

describe('long-running commands', () => {
  it('start runs workers and server in one process and stops on SIGTERM with exit 0', async () => {
    const service = startCli(['start'], serviceEnv());
    try {
      const [, url] = await service.waitFor(LISTENING, 15_000);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      // Each part binds its component once: a JSON line with a key twice
      // is ambiguous to log collectors.
      const lines = service.output().stdout.split('\n');
      const componentsOf = (message: string) =>
        lines
          .find((line) => line.includes(message))
          ?.match(/"component":"\w+"/g);
      expect(componentsOf('HTTP server listening')).toEqual([
        '"component":"server"',
      ]);
      expect(componentsOf('workers started')).toEqual(['"component":"worker"']);

      const erased = await runCli(
        ['erase', '--user', 'svc-1', '--json', '--wait'],
        cliEnv({ REDIS_URL: SHARED_REDIS, QUEUE_PREFIX: prefix }),
      );
      expect(erased.code).toBe(0);
      expect((JSON.parse(erased.stdout) as RequestRecord).status).toBe(
        'completed',
      );

      service.child.kill('SIGTERM');
      expect(await service.exited(10_000)).toBe(0);
    } finally {
      service.child.kill('SIGKILL');
    }
  });

  it('serve needs no Stream credentials and exits at once on a second signal', async () => {
    const service = startCli(
      ['serve'],
      serviceEnv({ STREAM_API_KEY: '', STREAM_API_SECRET: '' }),
    );
    try {
      await service.waitFor(LISTENING, 15_000);

      service.child.kill('SIGINT');
      service.child.kill('SIGINT');
      expect(await service.exited(5000)).not.toBeNull();
    } finally {
      service.child.kill('SIGKILL');
    }
  });

  it('worker runs until SIGINT and then exits 0', async () => {
    const service = startCli(['worker'], serviceEnv());
    try {
      await service.waitFor(/workers started/, 15_000);

      service.child.kill('SIGINT');
      expect(await service.exited(10_000)).toBe(0);
    } finally {
      service.child.kill('SIGKILL');
    }
  });

  it('worker refuses to start on a Redis that may evict jobs, saying how to fix it', async () => {
    const lossy = await startPrivateRedis({
      settings: ['--maxmemory-policy', 'allkeys-lru'],
    });
    try {
      const result = await runCli(
        ['worker'],
        serviceEnv({ REDIS_URL: lossy.url }),
      );

      expect(result.code).toBe(2);
      expect(result.stderr).toContain('Refusing to start');
      expect(result.stderr).toContain('maxmemory-policy noeviction');
    } finally {
      await lossy.stop();
    }
  });

  it('sandbox listens on the port asked, answers Stream calls and stops on SIGINT', async () => {
    const sandboxProcess = startCli(
      ['sandbox', '--port', '0'],
      cliEnv({ STREAM_API_KEY: API_KEY, STREAM_API_SECRET: API_SECRET }),
    );
    try {
      const [, url] = await sandboxProcess.waitFor(
        /Stream sandbox listening on (http:\/\/\S+)/,
        10_000,
      );
      const unsigned = await fetch(`${url}/tasks/x?api_key=${API_KEY}`);
      expect(unsigned.status).toBe(401);

      sandboxProcess.child.kill('SIGINT');
      expect(await sandboxProcess.exited(10_000)).toBe(0);
    } finally {
      sandboxProcess.child.kill('SIGKILL');
    }
  });

  it('sandbox exits 2 without credentials and on a bad port', async () => {
    const missing = await runCli(['sandbox']);
    const badPort = await runCli(
      ['sandbox', '--port', 'eighty'],
      cliEnv({ STREAM_API_KEY: API_KEY, STREAM_API_SECRET: API_SECRET }),
    );

    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('STREAM_API_KEY');
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toContain('expected a port number');
  });
});
