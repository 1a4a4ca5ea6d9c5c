import {
  Cluster,
  type ClusterOptions,
  Redis,
  type RedisOptions,
} from 'ioredis';

import type { Config } from '../config/config.js';
import { ConfigError } from '../errors/config-error.js';

/** A standalone Redis or a Redis Cluster client; BullMQ takes either. */
export type RedisConnection = Redis | Cluster;

/**
 * What a connection is for, which decides how it fails:
 * - `worker`: BullMQ workers; retries forever (`maxRetriesPerRequest: null`,
 *   which BullMQ requires), so a Redis restart pauses work instead of failing it.
 * - `producer`: the library and the CLI; fails fast, so an unreachable Redis
 *   becomes an error within seconds.
 * - `server`: the HTTP server; a few retries, so a request while Redis is
 *   down gets a prompt 503.
 * - `probe`: start-up checks; one attempt, no reconnects.
 */
export type ConnectionRole = 'worker' | 'producer' | 'server' | 'probe';

/** How long one producer command may wait for Redis. */
export const PRODUCER_COMMAND_TIMEOUT_MS = 5000;

/** The Redis settings of the configuration a connection needs. */
export type RedisSettings = Pick<Config['redis'], 'url' | 'clusterNodes'> & {
  readonly prefix: string;
};

const ROLE_OPTIONS: Record<ConnectionRole, RedisOptions> = {
  worker: { maxRetriesPerRequest: null },
  producer: {
    lazyConnect: true,
    connectTimeout: 3000,
    commandTimeout: PRODUCER_COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    // ioredis otherwise holds the process for 2 s after a failed connect.
    disconnectTimeout: 50,
  },
  server: { maxRetriesPerRequest: 2, connectTimeout: 5000 },
  probe: {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
    disconnectTimeout: 50,
  },
};

/**
 * The one place connections are made: a `Cluster` over the seed nodes when
 * REDIS_CLUSTER_NODES is set, a standalone `Redis` from REDIS_URL otherwise.
 * Throws `ConfigError` naming QUEUE_PREFIX when a cluster is configured and
 * the prefix has no hash tag: BullMQ's scripts touch several keys of a queue
 * at once, which a cluster only allows within one slot.
 */
export function openRedisConnection(
  redis: RedisSettings,
  role: ConnectionRole,
): RedisConnection {
  const options = ROLE_OPTIONS[role];
  if (redis.clusterNodes === undefined) {
    return openStandaloneRedis(redis.url, role);
  }

  assertClusterPrefix(redis.prefix);
  const { lazyConnect, enableOfflineQueue, retryStrategy, ...perNode } =
    options;
  const clusterOptions: ClusterOptions = {
    redisOptions: perNode,
    ...(lazyConnect === undefined ? {} : { lazyConnect }),
    ...(enableOfflineQueue === undefined ? {} : { enableOfflineQueue }),
    ...(retryStrategy
      ? {
          clusterRetryStrategy: (times: number) => retryStrategy(times) ?? null,
        }
      : {}),
  };
  return new Cluster(
    redis.clusterNodes.map((node) => ({ host: node.host, port: node.port })),
    clusterOptions,
  );
}

/** A standalone connection to `url` with the options of `role`. */
export function openStandaloneRedis(
  url: string,
  role: ConnectionRole,
  overrides: RedisOptions = {},
): Redis {
  return new Redis(url, { ...ROLE_OPTIONS[role], ...overrides });
}

/** True when every key `${prefix}:…` hashes to the slot of one hash tag. */
export function isHashTagged(prefix: string): boolean {
  // Redis hashes the text between the first `{` and the next `}` when it
  // is not empty.
  return /^[^{]*\{[^}]+\}/.test(prefix);
}

/** Throws `ConfigError` unless `prefix` keeps a queue in one cluster slot. */
export function assertClusterPrefix(prefix: string): void {
  if (isHashTagged(prefix)) return;
  throw new ConfigError([
    {
      field: 'QUEUE_PREFIX',
      message:
        'expected a hash tag such as {gdpr} when REDIS_CLUSTER_NODES is set, so each queue stays in one cluster slot',
    },
  ]);
}
