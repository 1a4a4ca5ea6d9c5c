import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { Cluster, Redis } from 'ioredis';

import {
  type RedisServer,
  startRedisServer,
} from '../../src/support/redis-server.js';
import { pollUntil } from './poll.js';

const run = promisify(execFile);

/** A cluster node's bus port is its port plus this. */
const BUS_OFFSET = 10_000;

export interface ClusterNode {
  readonly host: string;
  readonly port: number;
}

/** A local Redis Cluster of the test's own; `stop` removes everything. */
export interface LocalRedisCluster {
  readonly nodes: readonly ClusterNode[];
  /** `redis://host:port,...` of every master, e.g. for a config key. */
  readonly urls: readonly string[];
  /** A new ioredis Cluster client; the caller closes it. */
  connect(options?: { maxRetriesPerRequest?: number | null }): Cluster;
  stop(): Promise<void>;
}

/**
 * Starts `masters` redis-server processes with `--cluster-enabled yes` on
 * free ports, joins them with `redis-cli --cluster create` (no replicas)
 * and waits until every node reports `cluster_state:ok`.
 */
export async function startRedisCluster(
  masters = 3,
): Promise<LocalRedisCluster> {
  const root = await mkdtemp(join(tmpdir(), 'gdpr-cluster-'));
  const servers: RedisServer[] = [];
  const nodes: ClusterNode[] = [];
  const stop = async () => {
    await Promise.all(servers.map((server) => server.kill('SIGKILL')));
    await rm(root, { recursive: true, force: true });
  };

  try {
    for (let i = 0; i < masters; i += 1) {
      const dir = join(root, `node-${i}`);
      await mkdir(dir);
      const server = await startRedisServer({
        dir,
        logFile: join(dir, 'redis-server.log'),
        alsoFreePorts: [BUS_OFFSET],
        settings: [
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          join(dir, 'nodes.conf'),
          '--cluster-node-timeout',
          '5000',
          '--maxmemory-policy',
          'noeviction',
          '--loglevel',
          'warning',
        ],
      });
      servers.push(server);
      nodes.push({ host: '127.0.0.1', port: server.port });
    }

    await run('redis-cli', [
      '--cluster',
      'create',
      ...nodes.map((node) => `${node.host}:${node.port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    await Promise.all(nodes.map(waitForClusterOk));
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    nodes,
    urls: nodes.map((node) => `redis://${node.host}:${node.port}`),
    connect: (options = {}) =>
      new Cluster(
        nodes.map((node) => ({ ...node })),
        {
          redisOptions: {
            maxRetriesPerRequest:
              options.maxRetriesPerRequest === undefined
                ? null
                : options.maxRetriesPerRequest,
          },
        },
      ),
    stop,
  };
}

async function waitForClusterOk(node: ClusterNode): Promise<void> {
  const redis = new Redis(node.port, node.host, { maxRetriesPerRequest: 1 });
  try {
    await pollUntil(
      `cluster_state:ok on ${node.port}`,
      async () => {
        const info = await redis.cluster('INFO');
        return /cluster_state:ok/.test(String(info)) ? true : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 100 },
    );
  } finally {
    redis.disconnect();
  }
}
