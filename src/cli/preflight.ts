import type { Config } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import { openRedisConnection } from '../queues/redis-connection.js';
import { StartupRefusedError, UnreachableError } from './cli-errors.js';
import {
  runStartupChecks,
  type StartupCheck,
  startupChecksPassed,
} from './startup-checks.js';

const STREAM_PROBE_TIMEOUT_MS = 5000;

/**
 * Runs the start-up checks on a short-lived Redis connection of its own,
 * so a failing check never leaves a half-open client behind. On a cluster
 * the settings are read from every master.
 */
export async function collectStartupChecks(
  config: Config,
  options: { readonly probeStream: boolean },
): Promise<StartupCheck[]> {
  const redis = openRedisConnection(config.redis, 'probe');
  // Failures surface through the checks; without a listener ioredis would
  // print them as unhandled error events.
  redis.on('error', () => {});
  try {
    await redis.connect().catch(() => {});
    const { StreamClient } = await import('../stream/stream-client.js');
    const streamProbe =
      options.probeStream && config.stream.apiKey && config.stream.apiSecret
        ? new StreamClient({
            apiKey: config.stream.apiKey,
            apiSecret: config.stream.apiSecret,
            baseUrl: config.stream.baseUrl,
            timeoutMs: Math.min(
              config.stream.timeoutMs,
              STREAM_PROBE_TIMEOUT_MS,
            ),
            getRetries: 0,
          })
        : undefined;
    return await runStartupChecks(
      config,
      redis,
      streamProbe ? { streamProbe } : {},
    );
  } finally {
    redis.disconnect();
  }
}

/**
 * Refuses to start a service when a check fails, and logs each warning.
 * `skip` leaves out checks that do not apply (the server does not call
 * Stream, so it does not need credentials).
 */
export async function assertReadyToStart(
  config: Config,
  logger: Logger,
  skip: readonly string[] = [],
): Promise<void> {
  const checks = (
    await collectStartupChecks(config, { probeStream: false })
  ).filter((check) => !skip.includes(check.name));
  for (const check of checks) {
    if (check.status === 'warn') {
      logger.warn({ check: check.name, fix: check.fix }, check.message);
    }
  }
  if (startupChecksPassed(checks)) return;

  const failed = checks.filter((check) => check.status === 'fail');
  const text = failed
    .map((check) => `  - ${check.message}${check.fix ? `. ${check.fix}` : ''}`)
    .join('\n');
  if (failed.some((check) => check.unreachable)) {
    throw new UnreachableError(`Refusing to start:\n${text}`);
  }
  throw new StartupRefusedError(`Refusing to start:\n${text}`);
}
