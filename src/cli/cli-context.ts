import { pino } from 'pino';

import type { Config } from '../config/config.js';
import { createLogger, type Logger } from '../logging/logger.js';
import type { GdprClient } from '../requests/gdpr-client-types.js';

/**
 * Logger for commands whose stdout is their answer (erase, export, status,
 * check, demo): lines go to stderr so `--json` output stays parseable, and
 * only warnings show unless LOG_LEVEL was set explicitly.
 */
export function createCommandLogger(
  config: Config,
  env: NodeJS.ProcessEnv = process.env,
): Logger {
  const explicit = env['LOG_LEVEL'] !== undefined && env['LOG_LEVEL'] !== '';
  return createLogger({
    level: explicit ? config.log.level : 'warn',
    destination: pino.destination(2),
    base: { component: 'cli' },
  });
}

/**
 * Logger for the long-running services (worker, serve, start): the
 * configured level, on stdout where a process supervisor collects it.
 * Without `component` the parts bind their own (`startServer` binds
 * `server`), so no line carries the field twice.
 */
export function createServiceLogger(
  config: Config,
  component?: string,
): Logger {
  return createLogger({
    level: config.log.level,
    pretty: config.log.pretty,
    ...(component === undefined ? {} : { base: { component } }),
  });
}

/**
 * Runs `action` with a client on the configured Redis (standalone or
 * cluster), then closes both.
 */
export async function withClient<T>(
  config: Config,
  logger: Logger,
  action: (client: GdprClient) => Promise<T>,
): Promise<T> {
  // Loaded on use so `--help` and usage errors never load BullMQ.
  const { createGdprClient } = await import('../requests/gdpr-client.js');
  const { openRedisConnection } = await import('../queues/redis-connection.js');
  const redis = openRedisConnection(config.redis, 'producer');
  redis.on('error', (err: unknown) => {
    logger.debug({ err }, 'Redis connection error');
  });
  const client = createGdprClient({
    redis,
    prefix: config.redis.prefix,
    maxSubjectsPerRequest: config.worker.maxSubjectsPerRequest,
    pseudonymKey: config.retention.pseudonymKey,
    logger,
  });
  try {
    return await action(client);
  } finally {
    await client.close().catch((error: unknown) => {
      logger.debug({ err: error }, 'Closing the Redis client failed');
    });
    redis.disconnect();
  }
}
