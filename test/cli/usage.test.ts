import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Redis } from 'ioredis';

import { freePort } from '../../src/support/free-port.js';
import { cliEnv, runCli } from './cli-runner.js';

const COMMANDS = [
  'worker',
  'serve',
  'start',
  'erase',
  'export',
  'status',
  'sandbox',
  'demo',
  'check',
];

/** A port nothing listens on: bound, noted, released. */

function expectNoStack(text: string): void {
  expect(text).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
}

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-usage-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('stream-gdpr usage', () => {
  it.each(COMMANDS)(
    'shows help with examples for %s and exits 0',
    async (command) => {
      const result = await runCli([command, '--help']);

      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Usage: stream-gdpr ${command}`);
      expect(result.stdout).toContain('Examples:');
    },
  );

  it('lists every command in the top-level help', async () => {
    const result = await runCli(['--help']);

    expect(result.code).toBe(0);
    for (const command of COMMANDS) expect(result.stdout).toContain(command);
  });

  it('exits 2 on an unknown option, an unknown command and no command', async () => {
    const results = await Promise.all([
      runCli(['erase', '--user', 'a', '--frobnicate']),
      runCli(['frobnicate']),
      runCli([]),
    ]);

    expect(results.map((result) => result.code)).toEqual([2, 2, 2]);
    expect(results[0]?.stderr).toContain("unknown option '--frobnicate'");
  });

  it('refuses --mode soft as not an erasure, with exit 2', async () => {
    const result = await runCli(['erase', '--user', 'a', '--mode', 'soft']);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('not an erasure');
  });

  it('exits 2 naming the variable when the configuration is invalid, without a stack trace', async () => {
    const result = await runCli(
      ['worker'],
      cliEnv({
        WORKER_CONCURRENCY: 'abc',
        STREAM_API_KEY: 'k',
        STREAM_API_SECRET: 'secret-123',
      }),
    );

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('WORKER_CONCURRENCY');
    expect(result.stderr).not.toContain('abc');
    expectNoStack(result.stderr);
  });

  it('exits 2 when the worker has no Stream credentials', async () => {
    const result = await runCli(['worker']);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('STREAM_API_KEY');
    expect(result.stderr).toContain('STREAM_API_SECRET');
  });

  it('exits 3 promptly when Redis cannot be reached', async () => {
    const port = await freePort();
    const result = await runCli(
      ['erase', '--user', 'alice'],
      cliEnv({ REDIS_URL: `redis://127.0.0.1:${port}` }),
    );

    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/redis/i);
    expectNoStack(result.stderr);
    expect(result.durationMs).toBeLessThan(10_000);
  });

  it('exits 2 naming the file, never its contents, when an id file cannot be used', async () => {
    const binary = join(dir, 'binary.txt');
    await writeFile(binary, Buffer.from([0x61, 0x00, 0x62, 0x0a]));
    const invalid = join(dir, 'invalid.txt');
    await writeFile(invalid, 'alice\nnot valid id\n');

    const missing = await runCli([
      'erase',
      '--users-file',
      join(dir, 'none.txt'),
    ]);
    const directory = await runCli(['export', '--users-file', dir]);
    const notText = await runCli(['erase', '--channels-file', binary]);
    const badId = await runCli(['erase', '--users-file', invalid, '--dry-run']);

    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(join(dir, 'none.txt'));
    expect(directory.code).toBe(2);
    expect(directory.stderr).toContain('directory');
    expect(notText.code).toBe(2);
    expect(notText.stderr).toContain('not a text file');
    expect(badId.code).toBe(2);
    expect(badId.stderr).toContain('--user/--users-file (id #2)');
    expect(badId.stderr).not.toContain('not valid id');
  });

  it('exits 2 when erase or export is given no ids at all', async () => {
    const erase = await runCli(['erase', '--wait']);
    const exported = await runCli(['export']);

    expect(erase.code).toBe(2);
    expect(erase.stderr).toContain('Nothing to erase');
    expect(exported.code).toBe(2);
  });

  it('exits 2 for a request id the library would refuse', async () => {
    const result = await runCli(['status', 'has:colon']);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Invalid request id');
  });
});

describe('erase --dry-run', () => {
  const prefix = `test-cli-dry-${process.pid}-${Date.now()}`;
  let redis: Redis;

  beforeAll(() => {
    redis = new Redis('redis://127.0.0.1:6379');
  });

  afterAll(async () => {
    redis.disconnect();
  });

  it('prints the batches, the hard options and the warning, and writes nothing to Redis', async () => {
    const users = join(dir, 'users.txt');
    const ids = Array.from({ length: 250 }, (_, i) => `user-${i}`);
    await writeFile(
      users,
      `# exported from the CRM\n${ids.join('\n')}\n\n  user-3  \n`,
    );

    const result = await runCli(
      [
        'erase',
        '--users-file',
        users,
        '--channel',
        'messaging:general',
        '--dry-run',
      ],
      cliEnv({ QUEUE_PREFIX: prefix }),
    );

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('250 users in 3 batches of at most 100');
    expect(result.stdout).toContain(
      'user=hard messages=hard conversations=hard',
    );
    expect(result.stdout).toContain('1 channel in 1 batch');
    expect(result.stdout).toContain('hard_delete=true');
    expect(result.stdout).toContain(
      'These 250 users and 1 channel will be irreversibly deleted',
    );
    expect(await redis.keys(`${prefix}*`)).toEqual([]);
  });

  it('prints the plan as JSON with --json, with pruning when asked', async () => {
    const result = await runCli(
      [
        'erase',
        '--user',
        'b',
        'a',
        '--user',
        'a',
        '--mode',
        'pruning',
        '--dry-run',
        '--json',
      ],
      cliEnv({ QUEUE_PREFIX: prefix }),
    );

    expect(result.code).toBe(0);
    const plan = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(plan).toMatchObject({
      dryRun: true,
      users: 2,
      channels: 0,
      userBatches: 1,
      channelBatches: 0,
      userIds: ['a', 'b'],
      deleteUsers: {
        user: 'pruning',
        messages: 'pruning',
        conversations: 'hard',
      },
      deleteChannels: null,
    });
    expect(await redis.keys(`${prefix}*`)).toEqual([]);
  });
});
