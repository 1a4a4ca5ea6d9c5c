import { randomUUID } from 'node:crypto';

import { type Config, loadConfig } from '../../src/config/config.js';

/** Credentials the sandbox and our workers share in these tests. */
export const STREAM_KEY = 'reliability-key';
export const STREAM_SECRET = 'reliability-secret-5f0c9d2e7b1a4386';
export const API_TOKEN = 'reliability-api-token-8c1e6a4f2b9d';
export const DASHBOARD_USER = 'operator';
export const DASHBOARD_PASSWORD = 'dashboard-pass-3b7e91c5';

/** A queue prefix used by one test only; a hash tag, so it also suits a cluster. */
export function uniquePrefix(label: string): string {
  return `{gdpr-test-${label}-${randomUUID().slice(0, 8)}}`;
}

/**
 * Environment for `loadConfig` or a worker process: a private prefix, the
 * sandbox as Stream, small backoffs and timeouts so faults retry quickly.
 */
export function testEnv(options: {
  readonly prefix: string;
  readonly streamUrl: string;
  readonly redisUrl?: string;
  readonly exportDir?: string;
  readonly extra?: Readonly<Record<string, string>>;
}): Record<string, string> {
  return {
    STREAM_API_KEY: STREAM_KEY,
    STREAM_API_SECRET: STREAM_SECRET,
    STREAM_BASE_URL: options.streamUrl,
    STREAM_TIMEOUT_MS: '500',
    REDIS_URL: options.redisUrl ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: options.prefix,
    WORKER_CONCURRENCY: '8',
    JOB_ATTEMPTS: '20',
    BACKOFF_BASE_MS: '20',
    BACKOFF_MAX_MS: '400',
    TASK_POLL_INITIAL_MS: '30',
    TASK_POLL_MAX_MS: '200',
    RATE_LIMIT_DEFAULT_PER_MINUTE: '100000',
    // Sandbox windows in tests are 1-2 s; a longer window announced by
    // the sandbox's headers is learned by the budget itself.
    RATE_LIMIT_WINDOW_MS: '1000',
    // A killed worker's jobs are taken over after about 1.5 of these.
    LOCK_DURATION_MS: '10000',
    LOG_LEVEL: 'warn',
    ...(options.exportDir ? { EXPORT_DIR: options.exportDir } : {}),
    ...options.extra,
  };
}

/** `loadConfig` over `testEnv`. */
export function testConfig(options: Parameters<typeof testEnv>[0]): Config {
  return loadConfig(testEnv(options));
}

// The same SCAN-based helpers the demo uses to clean up after itself.
export { deleteKeysUnder, keysUnder } from '../../src/support/redis-keys.js';
