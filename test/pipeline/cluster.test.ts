import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Cluster } from 'ioredis';

import { createGdprClient } from '../../src/requests/gdpr-client.js';
import type { GdprClient } from '../../src/requests/gdpr-client-types.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import {
  startWorkers,
  type WorkersHandle,
} from '../../workers/start-workers.js';
import { captureLog } from '../support/log-capture.js';
import {
  type LocalRedisCluster,
  startRedisCluster,
} from '../support/redis-cluster.js';
import {
  STREAM_KEY,
  STREAM_SECRET,
  testConfig,
  uniquePrefix,
} from '../support/test-env.js';
import { ids } from './pipeline-harness.js';

// Starting three redis-server processes and joining them takes a while.
const CLUSTER_START_MS = 60_000;

describe('on Redis Cluster', () => {
  let cluster: LocalRedisCluster;
  let sandbox: Sandbox;
  let workerConnection: Cluster;
  let clientConnection: Cluster;
  let workers: WorkersHandle;
  let client: GdprClient;
  let exportDir: string;

  beforeAll(async () => {
    cluster = await startRedisCluster(3);
    sandbox = await startSandbox({
      apiKey: STREAM_KEY,
      apiSecret: STREAM_SECRET,
      taskDurationMs: 20,
    });
    exportDir = await mkdtemp(join(tmpdir(), 'gdpr-cluster-exports-'));
    const prefix = uniquePrefix('cluster');
    const config = testConfig({ prefix, streamUrl: sandbox.url, exportDir });
    workerConnection = cluster.connect({ maxRetriesPerRequest: null });
    clientConnection = cluster.connect();
    workers = await startWorkers({
      config,
      logger: captureLog('warn').logger,
      redis: workerConnection,
    });
    client = createGdprClient({ redis: clientConnection, prefix });
  }, CLUSTER_START_MS);

  afterAll(async () => {
    await workers?.close();
    await client?.close();
    workerConnection?.disconnect();
    clientConnection?.disconnect();
    await sandbox?.close();
    await cluster?.stop();
    if (exportDir) await rm(exportDir, { recursive: true, force: true });
  }, CLUSTER_START_MS);

  it('runs an erasure and an export with every key in one hash slot', async () => {
    const users = ids('clusteruser', 150);
    const cids = ids('messaging:clusterchan', 40);
    sandbox.seed({
      users: users.map((id) => ({ id })),
      channels: cids.map((cid) => ({
        type: 'messaging',
        id: cid.split(':')[1]!,
      })),
    });

    const erasure = await client.requestErasure({
      userIds: users.slice(0, 148),
      channelCids: cids,
    });
    const exported = await client.requestExport({ userIds: users.slice(148) });
    const records = await Promise.all(
      [erasure, exported].map((r) =>
        client.waitForRequest(r.requestId, { timeoutMs: 30_000 }),
      ),
    );

    expect(records.map((r) => r.status)).toEqual(['completed', 'completed']);
    expect(records[0]?.verification?.passed).toBe(true);
    expect(records[1]?.artifacts?.files).toHaveLength(1);
  });
});
