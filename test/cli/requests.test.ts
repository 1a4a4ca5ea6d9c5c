import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Redis } from 'ioredis';

import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/logging/logger.js';
import type { RequestRecord } from '../../src/requests/request-record.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { deleteKeysUnder } from '../../src/support/redis-keys.js';
import {
  startWorkers,
  type WorkersHandle,
} from '../../workers/start-workers.js';
import { cliEnv, runCli } from './cli-runner.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const API_KEY = 'cli-test-key';
const API_SECRET = 'cli-test-secret-0123456789';

const prefix = `test-cli-${randomUUID()}`;
let sandbox: Sandbox;
let workers: WorkersHandle;
let dir: string;
let redis: Redis;

const env = () => cliEnv({ REDIS_URL, QUEUE_PREFIX: prefix });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-requests-'));
  redis = new Redis(REDIS_URL);
  sandbox = await startSandbox({
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    taskDurationMs: 20,
    seed: {
      users: Array.from({ length: 270 }, (_, i) => ({
        id: `u-${i}`,
        messageCount: 1,
      })),
      channels: Array.from({ length: 5 }, (_, i) => ({
        type: 'messaging',
        id: `c-${i}`,
        memberIds: [`u-${i}`],
      })),
    },
  });
  const config = loadConfig({
    STREAM_API_KEY: API_KEY,
    STREAM_API_SECRET: API_SECRET,
    STREAM_BASE_URL: sandbox.url,
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    EXPORT_DIR: join(dir, 'exports'),
    TASK_POLL_INITIAL_MS: '20',
    TASK_POLL_MAX_MS: '100',
    BACKOFF_BASE_MS: '50',
    BACKOFF_MAX_MS: '500',
    RATE_LIMIT_DEFAULT_PER_MINUTE: '60000',
    // One attempt, so a failed Stream task fails its batch (the exit 1 case);
    // the sandbox injects no other faults here.
    JOB_ATTEMPTS: '1',
  });
  workers = await startWorkers({
    config,
    logger: createLogger({ level: 'silent' }),
  });
});

afterAll(async () => {
  await workers?.close();
  await sandbox?.close();
  await deleteKeysUnder(redis, prefix);
  redis.disconnect();
  await rm(dir, { recursive: true, force: true });
});

function parseRecord(stdout: string): RequestRecord {
  return JSON.parse(stdout) as RequestRecord;
}

describe('erase, export and status through the CLI', () => {
  it('prints exactly one JSON document with status completed for erase --json --wait', async () => {
    const result = await runCli(
      [
        'erase',
        '--user',
        'u-0',
        '--user',
        'u-1',
        '--channel',
        'messaging:c-0',
        '--json',
        '--wait',
      ],
      env(),
    );

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const record = parseRecord(result.stdout);
    expect(record).toMatchObject({ kind: 'erasure', status: 'completed' });
    expect(sandbox.state.user('u-0')).toBeUndefined();
    expect(sandbox.state.channel('messaging:c-0')?.hardDeleted ?? true).toBe(
      true,
    );
  });

  it('erases 250 users from a file end to end, showing progress lines when not on a terminal', async () => {
    const file = join(dir, 'users.txt');
    const ids = Array.from({ length: 250 }, (_, i) => `u-${i + 10}`);
    await writeFile(file, `${ids.join('\n')}\n`);
    const before = sandbox.calls.length;

    const result = await runCli(
      [
        'erase',
        '--users-file',
        file,
        '--request-id',
        `big-${process.pid}`,
        '--wait',
      ],
      env(),
    );

    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'Erasure of 250 users and 0 channels enqueued',
    );
    expect(result.stdout).toMatch(/\d\/3 batches · \d+\/250 ids/);
    expect(result.stdout).toMatch(/Request big-\d+ \(erasure\): completed/);
    const deletes = sandbox.calls
      .slice(before)
      .filter((call) => call.endpoint === 'deleteUsers' && call.status < 300);
    expect(deletes).toHaveLength(3);
    for (const call of deletes) {
      const body = call.body as { user_ids: string[]; user: string };
      expect(body.user_ids.length).toBeLessThanOrEqual(100);
      expect(body.user).toBe('hard');
    }
    expect(ids.every((id) => sandbox.state.user(id) === undefined)).toBe(true);
  });

  it('prints a stored record with status --json, and exits 2 for an unknown id', async () => {
    const known = await runCli(
      ['status', `big-${process.pid}`, '--json'],
      env(),
    );
    const unknown = await runCli(['status', 'no-such-request'], env());

    expect(known.code).toBe(0);
    expect(parseRecord(known.stdout)).toMatchObject({
      id: `big-${process.pid}`,
      status: 'completed',
      counts: { users: 250, channels: 0 },
    });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No request with id no-such-request');
  });

  it('enqueues without waiting, then follows the request with status --wait', async () => {
    const enqueued = await runCli(
      ['export', '--user', 'u-2', '--user', 'u-3', '--json'],
      env(),
    );

    expect(enqueued.code).toBe(0);
    const { id } = parseRecord(enqueued.stdout);
    const followed = await runCli(['status', id, '--wait', '--json'], env());
    expect(followed.code).toBe(0);
    const record = parseRecord(followed.stdout);
    expect(record).toMatchObject({ id, kind: 'export', status: 'completed' });
    expect(record.artifacts?.files.length).toBeGreaterThan(0);
  });

  it('exits 1 when the request fails', async () => {
    sandbox.failNextTask('deleteUsers', 'simulated failure');

    const result = await runCli(
      ['erase', '--user', 'u-4', '--wait', '--json'],
      env(),
    );

    expect(result.code).toBe(1);
    expect(parseRecord(result.stdout).status).toMatch(/failed/);
  });

  it('exits 2 when a request id is reused for different subjects', async () => {
    const id = `conflict-${process.pid}`;
    const first = await runCli(
      ['erase', '--user', 'u-5', '--request-id', id],
      env(),
    );
    const second = await runCli(
      ['erase', '--user', 'u-6', '--request-id', id],
      env(),
    );

    expect(first.code).toBe(0);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain('already exists');
  });

  it('prints every subject with --json, also past the 1,000 an enqueue result carries', async () => {
    const file = join(dir, 'many.txt');
    const ids = Array.from({ length: 1200 }, (_, i) => `gone-${i}`);
    await writeFile(file, ids.join('\n'));

    const result = await runCli(
      ['erase', '--users-file', file, '--json'],
      env(),
    );

    expect(result.code).toBe(0);
    const record = parseRecord(result.stdout);
    expect(record.counts.users).toBe(1200);
    expect(record.subjects.userIds).toHaveLength(1200);
  });
});
