import { randomBytes } from 'node:crypto';

import { type Config, loadConfig } from '../../config/config.js';

/** Throwaway credentials the demo generates and prints. */
export interface DemoCredentials {
  readonly streamApiKey: string;
  readonly streamApiSecret: string;
  readonly apiToken: string;
  readonly dashboardUser: string;
  readonly dashboardPassword: string;
}

export function demoCredentials(): DemoCredentials {
  return {
    streamApiKey: `demo-${token(6)}`,
    streamApiSecret: token(24),
    apiToken: token(24),
    dashboardUser: 'demo',
    dashboardPassword: token(12),
  };
}

/** A prefix no other data uses, so cleaning up can delete all of it. */
export function demoPrefix(): string {
  return `demo-${token(6)}`;
}

export interface DemoSettings {
  readonly credentials: DemoCredentials;
  readonly prefix: string;
  readonly redisUrl: string;
  readonly streamBaseUrl: string;
  readonly exportDir: string;
  readonly httpPort: number;
  /** Only these are taken from the caller's environment. */
  readonly env: NodeJS.ProcessEnv;
}

/**
 * The demo's configuration, validated by the same schema as production.
 * Nothing else from the environment is inherited: a real STREAM_API_KEY,
 * QUEUE_PREFIX or WEBHOOK_URL must never leak into the demo.
 */
export function demoConfig(settings: DemoSettings): Config {
  const { credentials, env } = settings;
  return loadConfig({
    STREAM_API_KEY: credentials.streamApiKey,
    STREAM_API_SECRET: credentials.streamApiSecret,
    STREAM_BASE_URL: settings.streamBaseUrl,
    REDIS_URL: settings.redisUrl,
    QUEUE_PREFIX: settings.prefix,
    EXPORT_DIR: settings.exportDir,
    EXPORT_RETENTION_DAYS: '1',
    HTTP_HOST: env['HTTP_HOST'] ?? '127.0.0.1',
    HTTP_PORT: String(settings.httpPort),
    API_TOKEN: credentials.apiToken,
    DASHBOARD_USER: credentials.dashboardUser,
    DASHBOARD_PASSWORD: credentials.dashboardPassword,
    // The sandbox answers at once and has no rate limit: poll briskly so
    // the sample requests finish in about a second.
    TASK_POLL_INITIAL_MS: '50',
    TASK_POLL_MAX_MS: '250',
    BACKOFF_BASE_MS: '100',
    BACKOFF_MAX_MS: '2000',
    RATE_LIMIT_DEFAULT_PER_MINUTE: '6000',
    WORKER_CONCURRENCY: '8',
    LOG_LEVEL: env['LOG_LEVEL'] ?? 'warn',
    LOG_PRETTY: env['LOG_PRETTY'],
  });
}

function token(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}
