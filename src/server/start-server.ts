import { Queue } from 'bullmq';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';

import type { Config } from '../config/config.js';
import { createMetricsRegistry } from '../metrics/metrics-registry.js';
import { ALL_QUEUES } from '../queues/queue-names.js';
import {
  openRedisConnection,
  type RedisConnection,
} from '../queues/redis-connection.js';
import { createGdprClient } from '../requests/gdpr-client.js';
import type { GdprClient } from '../requests/gdpr-client-types.js';
import { RecordStore } from '../requests/record-store.js';
import { bearerAuth } from './auth.js';
import { registerDashboard } from './dashboard.js';
import { registerHealthRoutes } from './health-routes.js';
import { errorHandler, notFound } from './http-errors.js';
import { registerIntakeRoutes } from './intake-routes.js';
import { registerMetricsRoute } from './metrics-route.js';
import { registerStatusRoutes } from './status-routes.js';

export interface StartServerOptions {
  readonly config: Config;
  readonly logger: Logger;
  /** The library client the API enqueues with; one is created when omitted. */
  readonly client?: GdprClient;
}

export interface RunningServer {
  /** Where it listens, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  /** Stops taking connections, lets requests in flight finish, closes Redis. */
  close(): Promise<void>;
}

/**
 * Starts the HTTP server: intake and status API (only with API_TOKEN),
 * dashboard (only with DASHBOARD_USER/PASSWORD), `/metrics`, `/healthz`
 * and `/readyz`. What is not configured is not served, and a warning
 * says so at start-up.
 */
export async function startServer(
  options: StartServerOptions,
): Promise<RunningServer> {
  const { config } = options;
  const logger = options.logger.child({ component: 'server' });
  const prefix = config.redis.prefix;

  // Commands fail after a short while instead of queueing forever, so a
  // request while Redis is down gets a prompt 503. A Redis Cluster when
  // REDIS_CLUSTER_NODES is set.
  const redis = openRedisConnection(config.redis, 'server');
  redis.on('error', (error) => {
    logger.debug({ err: error }, 'Redis connection error');
  });
  const ownsClient = options.client === undefined;
  const client =
    options.client ??
    createGdprClient({
      redis,
      prefix,
      maxSubjectsPerRequest: config.worker.maxSubjectsPerRequest,
      logger,
    });
  const queues = ALL_QUEUES.map(
    (name) => new Queue(name, { connection: redis, prefix }),
  );
  for (const queue of queues) {
    queue.on('error', (error) => {
      logger.debug({ err: error, queue: queue.name }, 'Queue error');
    });
  }

  const app = Fastify({
    bodyLimit: config.http.bodyLimitBytes,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // Request lines would carry URLs; the onResponse hook logs route
    // templates instead.
    logger: false,
  });
  const closeAll = async () => {
    await app.close();
    // BullMQ's close() waits for a connection that is ready; with Redis
    // down that never happens, so the connection is dropped first.
    redis.disconnect();
    await Promise.allSettled([
      ...(ownsClient ? [client.close()] : []),
      ...queues.map((queue) => queue.close()),
    ]);
  };

  try {
    await configure(app, { config, logger, redis, client, queues });
    const registry = createMetricsRegistry({
      redis,
      prefix,
      queues,
      requests: new RecordStore(redis, {
        prefix,
        retentionDays: config.retention.recordDays,
      }),
    });
    registerMetricsRoute(app, registry, logger);

    await app.listen({ host: config.http.host, port: config.http.port });
  } catch (error) {
    await closeAll();
    throw error;
  }

  const url = listeningUrl(app);
  logger.info({ url }, 'HTTP server listening');
  let closing: Promise<void> | undefined;
  return {
    url,
    close: () => (closing ??= closeAll()),
  };
}

async function configure(
  app: FastifyInstance,
  deps: {
    config: Config;
    logger: Logger;
    redis: RedisConnection;
    client: GdprClient;
    queues: readonly Queue[];
  },
): Promise<void> {
  const { config, logger } = deps;
  // Only JSON bodies are accepted; fastify also parses text/plain by
  // default, which would turn a wrong content type into a confusing 400.
  app.removeContentTypeParser('text/plain');
  app.setErrorHandler(errorHandler(logger));
  app.setNotFoundHandler(notFound);
  app.addHook('onResponse', async (request, reply) => {
    logger.debug(
      {
        method: request.method,
        route: request.routeOptions.url ?? '(unknown)',
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'HTTP request',
    );
  });

  registerHealthRoutes(app, deps.redis);
  await registerDashboard(app, deps.queues, config, logger);

  const token = config.http.apiToken;
  if (!token) {
    logger.warn('Intake and status API not served: set API_TOKEN to enable it');
    return;
  }
  await app.register(async (api) => {
    api.addHook('onRequest', bearerAuth(token));
    // Records name data subjects; no proxy or browser should keep them.
    api.addHook('onSend', async (_request, reply) => {
      reply.header('cache-control', 'no-store');
    });
    registerIntakeRoutes(api, deps.client);
    registerStatusRoutes(api, deps.client);
  });
}

function listeningUrl(app: FastifyInstance): string {
  const address = app.server.address();
  if (address === null || typeof address === 'string') {
    return String(address);
  }
  const host =
    address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}
