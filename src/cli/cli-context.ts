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
 */
export function createServiceLogger(config: Config, component: string): Logger {
  return createLogger({
    level: config.log.level,
    pretty: config.log.pretty,
    base: { component },
  });
}

/** Runs `action` with a client on the configured Redis, then closes it. */
export async function withClient<T>(
  config: Config,
  logger: Logger,
  action: (client: GdprClient) => Promise<T>,
): Promise<T> {
  // Loaded on use so `--help` and usage errors never load BullMQ.
  const { createGdprClient } = await import('../requests/gdpr-client.js');
  const client = createGdprClient({
    redis: config.redis.url,
    prefix: config.redis.prefix,
    maxSubjectsPerRequest: config.worker.maxSubjectsPerRequest,
    logger,
  });
  try {
    return await action(client);
  } finally {
    await client.close().catch((error: unknown) => {
      logger.debug({ err: error }, 'Closing the Redis client failed');
    });
  }
}
