import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Cluster } from 'ioredis';

import { createGdprClient } from '../../src/requests/gdpr-client.js';
import type { GdprClient } from '../../src/requests/gdpr-client-types.js';
import type { RequestRecord } from '../../src/requests/request-record.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import {
  startWorkers,
  type StartWorkersOptions,
  type WorkersHandle,
} from '../../workers/start-workers.js';
import { runCli } from '../cli/cli-runner.js';
import { type ChildHandle } from '../support/child-process.js';
import { batchTotals, printFigures } from '../support/figures.js';
import { captureLog } from '../support/log-capture.js';
import { makePopulation, split } from '../support/population.js';
import {
  type LocalRedisCluster,
  startRedisCluster,
} from '../support/redis-cluster.js';
import { startServerProcess } from '../support/server-process.js';
import {
  API_TOKEN,
  deleteKeysUnder,
  STREAM_KEY,
  STREAM_SECRET,
  testConfig,
  testEnv,
  uniquePrefix,
} from '../support/test-env.js';
import { waitForAll } from '../support/wait-all.js';
import { WorkerFleet } from '../support/worker-processes.js';

/**
 * The pipeline on a local 3-master Redis Cluster: every key of ours and of
 * BullMQ's shares the prefix's hash tag, so each Lua script and MULTI stays
 * in one slot. The producer and the workers both talk to the cluster
 * through an ioredis `Cluster` client.
 */
describe('Redis Cluster: erasure, export, retries and the shared rate budget on 3 masters', () => {
  const prefix = uniquePrefix('cluster');
  const people = makePopulation(800, 40);
  const figures: Record<string, unknown> = {
    masters: 3,
    prefix: 'hash-tagged',
  };
  let cluster: LocalRedisCluster;
  let connection: Cluster;
  let sandbox: Sandbox;
  let client: GdprClient;
  let workers: WorkersHandle | undefined;
  let workersTwo: WorkersHandle | undefined;
  let exportDir: string;
  let workersOnCluster = false;

  beforeAll(async () => {
    exportDir = await mkdtemp(join(tmpdir(), 'gdpr-cluster-'));
    cluster = await startRedisCluster(3);
    connection = cluster.connect({ maxRetriesPerRequest: null });
    sandbox = await startSandbox({
      apiKey: STREAM_KEY,
      apiSecret: STREAM_SECRET,
      taskDurationMs: 30,
      seed: people.seed,
    });
    // REDIS_URL names a master that does NOT own the prefix's slot: a
    // worker that ignored the Cluster connection and used the URL would
    // get MOVED on every command instead of passing by luck.
    const slot = Number(await connection.cluster('KEYSLOT', `${prefix}:x`));
    const slots = await connection.cluster('SLOTS');
    const owner = slots.find(
      ([from, to]) => slot >= from && slot <= to,
    )?.[2]?.[1];
    const other = cluster.nodes.find((node) => node.port !== owner)!;
    const config = testConfig({
      prefix,
      streamUrl: sandbox.url,
      redisUrl: `redis://${other.host}:${other.port}`,
      exportDir,
    });
    client = createGdprClient({ redis: connection, prefix });
    const options: StartWorkersOptions = {
      config,
      logger: captureLog('warn').logger,
      redis: connection,
    };
    // Two worker sets, as two processes would run: they share the budget.
    workers = await startWorkers(options);
    workersTwo = await startWorkers(options);
  }, 60_000);

  afterAll(async () => {
    printFigures('cluster', figures);
    await workers?.close();
    await workersTwo?.close();
    await client?.close();
    connection?.disconnect();
    await sandbox?.close();
    await cluster?.stop();
    await rm(exportDir, { recursive: true, force: true });
  });

  function requireWorkersOnCluster(): void {
    if (!workersOnCluster) {
      throw new Error(
        'the first erasure did not complete on the cluster; the later cases depend on it',
      );
    }
  }

  it('enqueues through the Cluster client and erases users and channels', async () => {
    const enqueueStarted = Date.now();
    const { requestId } = await client.requestErasure({
      userIds: people.userIds.slice(0, 150),
      channelCids: people.channelCids.slice(0, 20),
    });
    figures['enqueueMs'] = Date.now() - enqueueStarted;
    const [record] = await waitForAll(client, [requestId], 20_000);
    expect(record?.status).toBe('completed');
    expect(record?.verification?.passed).toBe(true);
    expect(
      people.userIds.slice(0, 150).filter((id) => sandbox.state.user(id)),
    ).toEqual([]);
    workersOnCluster = true;
    figures['erasure'] = {
      batches: record?.batches.length,
      status: record?.status,
    };
  });

  it('exports users to files with a manifest', async () => {
    requireWorkersOnCluster();
    const { requestId } = await client.requestExport({
      userIds: people.userIds.slice(150, 190),
    });
    const [record] = await waitForAll(client, [requestId], 30_000);
    expect(record?.status).toBe('completed');
    expect(record?.artifacts?.files.length).toBe(2);
    figures['export'] = {
      files: record?.artifacts?.files.length,
      status: record?.status,
    };
  });

  it('retries a batch after a scripted 500 and completes', async () => {
    requireWorkersOnCluster();
    sandbox.faults.script(
      { kind: 'http500', endpoint: 'deleteUsers' },
      { kind: 'http500', endpoint: 'getTask' },
    );
    const { requestId } = await client.requestErasure({
      userIds: people.userIds.slice(190, 220),
    });
    const [record] = await waitForAll(client, [requestId], 30_000);
    expect(record?.status).toBe('completed');
    expect(record?.batches[0]?.attempts).toBeGreaterThanOrEqual(2);
    figures['retry'] = {
      attempts: record?.batches[0]?.attempts,
      status: record?.status,
    };
  });

  it('shares one rate budget per endpoint across workers, so Stream refuses almost nothing', async () => {
    requireWorkersOnCluster();
    const limit = 3;
    sandbox.setRateLimit({
      windowMs: 1000,
      limit: 1000,
      perEndpoint: { deleteUsers: limit },
    });
    const callsBefore = sandbox.calls.length;
    const userParts = split(people.userIds.slice(220, 800), 12);
    const ids: string[] = [];
    for (const userIds of userParts) {
      ids.push((await client.requestErasure({ userIds })).requestId);
    }
    const records = await waitForAll(client, ids, 60_000);
    sandbox.setRateLimit(undefined);

    expect(records.map((r) => r.status)).toEqual(ids.map(() => 'completed'));
    const deletes = sandbox.calls
      .slice(callsBefore)
      .filter((call) => call.endpoint === 'deleteUsers');
    const refused = deletes.filter((call) => call.status === 429).length;
    // Before the first answer the budget has not seen Stream's headers yet,
    // so at most one burst (both sets' concurrency) can be refused.
    expect(refused).toBeLessThanOrEqual(16);
    const perWindow = new Map<number, number>();
    for (const call of deletes.filter((c) => c.status === 201)) {
      const window = Math.floor(call.at / 1000);
      perWindow.set(window, (perWindow.get(window) ?? 0) + 1);
    }
    expect(Math.max(...perWindow.values())).toBeLessThanOrEqual(limit);
    figures['rateBudget'] = {
      deleteUsersLimitPerSecond: limit,
      batches: batchTotals(records).batches,
      deleteUsersCalls: deletes.length,
      refusedWith429: refused,
      windowsUsed: perWindow.size,
    };
  }, 90_000);
});

/**
 * The shipped entry points on a cluster, configured only through
 * REDIS_CLUSTER_NODES: a worker process, the CLI and `serve`. REDIS_URL
 * points at a closed port, so anything that ignored the cluster setting
 * would fail instead of passing by luck.
 */
describe('Redis Cluster from REDIS_CLUSTER_NODES: worker process, CLI and serve', () => {
  const prefix = uniquePrefix('cluster-env');
  const people = makePopulation(60, 6);
  let cluster: LocalRedisCluster;
  let admin: Cluster;
  let sandbox: Sandbox;
  let logDir: string;
  let fleet: WorkerFleet | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    logDir = await mkdtemp(join(tmpdir(), 'gdpr-cluster-env-'));
    cluster = await startRedisCluster(3);
    admin = cluster.connect({ maxRetriesPerRequest: 2 });
    sandbox = await startSandbox({
      apiKey: STREAM_KEY,
      apiSecret: STREAM_SECRET,
      taskDurationMs: 30,
      seed: people.seed,
    });
    env = {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '',
      ...testEnv({
        prefix,
        streamUrl: sandbox.url,
        redisUrl: 'redis://127.0.0.1:1',
        exportDir: join(logDir, 'exports'),
        extra: {
          REDIS_CLUSTER_NODES: cluster.nodes
            .map((node) => `${node.host}:${node.port}`)
            .join(','),
          API_TOKEN,
          LOG_LEVEL: 'info',
        },
      }),
    };
  }, 60_000);

  afterAll(async () => {
    await fleet?.stop();
    await deleteKeysUnder(admin, prefix).catch(() => undefined);
    admin?.disconnect();
    await sandbox?.close();
    await cluster?.stop();
    await rm(logDir, { recursive: true, force: true });
  });

  it('refuses to start on a prefix without a hash tag, naming QUEUE_PREFIX', async () => {
    const result = await runCli(['worker'], { ...env, QUEUE_PREFIX: 'gdpr' });

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('QUEUE_PREFIX');
    expect(result.stderr).toContain('hash tag');
  });

  it('checks the settings of every master', async () => {
    const result = await runCli(['check', '--no-stream-probe', '--json'], env);

    expect(result.code).toBe(0);
    const { checks } = JSON.parse(result.stdout) as {
      checks: { name: string; status: string }[];
    };
    expect(
      checks.find((check) => check.name === 'redis.maxmemory-policy')?.status,
    ).toBe('ok');
  });

  it('completes an erasure enqueued by the CLI and run by a worker process', async () => {
    fleet = new WorkerFleet(env, logDir);
    const worker: ChildHandle = fleet.spawn();
    const server = await startServerProcess(env, join(logDir, 'serve.log'));
    try {
      const userIds = people.userIds.slice(0, 30);
      const result = await runCli(
        [
          'erase',
          ...userIds.flatMap((id) => ['--user', id]),
          '--channel',
          people.channelCids[0]!,
          '--json',
          '--wait',
        ],
        env,
        30_000,
      );

      expect(worker.hasExited()).toBe(false);
      expect(result.code).toBe(0);
      const record = JSON.parse(result.stdout) as RequestRecord;
      expect(record.status).toBe('completed');
      expect(record.verification?.passed).toBe(true);
      expect(userIds.filter((id) => sandbox.state.user(id))).toEqual([]);

      const status = await fetch(
        `${server.url}/v1/requests/${encodeURIComponent(record.id)}`,
        { headers: { authorization: `Bearer ${API_TOKEN}` } },
      );
      expect(status.status).toBe(200);
      expect(((await status.json()) as RequestRecord).status).toBe('completed');
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    } finally {
      await server.stop();
    }
  }, 60_000);
});
