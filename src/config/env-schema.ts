import { z } from 'zod';

/**
 * Every environment variable the service reads, with its rule and default.
 * `.env.example` documents the same keys one line each; a test keeps the two
 * in step. No key has a default secret: credentials are optional here and
 * required by the commands that use them (see `requireConfig`).
 */

const integer = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^-?\d+$/, { error: `expected an integer from ${min} to ${max}` })
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(min, { error: `expected an integer from ${min} to ${max}` })
        .max(max, { error: `expected an integer from ${min} to ${max}` }),
    );

const boolean = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], {
    error: 'expected true or false',
  })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const secret = (minLength: number) =>
  z
    .string()
    .min(minLength, { error: `expected at least ${minLength} characters` });

const httpUrl = z.url({
  protocol: /^https?$/,
  error: 'expected an http:// or https:// URL',
});

const redisUrl = z.string().regex(/^rediss?:\/\/\S+$/, {
  error: 'expected a redis:// or rediss:// URL',
});

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export const envSchema = z.object({
  // Stream
  STREAM_API_KEY: z.string().trim().min(1).optional(),
  STREAM_API_SECRET: secret(8).optional(),
  STREAM_BASE_URL: httpUrl.default('https://chat.stream-io-api.com'),
  STREAM_TIMEOUT_MS: integer(100, 120_000).default(10 * SECOND),

  // Redis and queues
  REDIS_URL: redisUrl.default('redis://127.0.0.1:6379'),
  REDIS_CLUSTER_NODES: z
    .string()
    .trim()
    .regex(/^[\w.-]+:\d{1,5}(\s*,\s*[\w.-]+:\d{1,5})*$/, {
      error: 'expected a comma-separated list of host:port',
    })
    .optional(),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[\w{}:-]{1,64}$/, {
      error: 'expected 1-64 letters, digits, _ - : { }',
    })
    .default('gdpr'),

  // Workers
  WORKER_CONCURRENCY: integer(1, 1000).default(16),
  JOB_ATTEMPTS: integer(1, 100).default(10),
  LOCK_DURATION_MS: integer(1 * SECOND, HOUR).default(30 * SECOND),
  BACKOFF_BASE_MS: integer(10, 10 * MINUTE).default(1 * SECOND),
  BACKOFF_MAX_MS: integer(100, 6 * HOUR).default(5 * MINUTE),
  TASK_POLL_INITIAL_MS: integer(10, 10 * MINUTE).default(500),
  TASK_POLL_MAX_MS: integer(10, HOUR).default(15 * SECOND),
  TASK_TIMEOUT_MS: integer(1 * SECOND, 7 * 24 * HOUR).default(6 * HOUR),
  RATE_LIMIT_DEFAULT_PER_MINUTE: integer(1, 100_000).default(60),
  RATE_LIMIT_WINDOW_MS: integer(100, HOUR).default(1 * MINUTE),
  MAX_SUBJECTS_PER_REQUEST: integer(1, 5_000_000).default(1_000_000),

  // Retention
  RECORD_RETENTION_DAYS: integer(1, 36_500).default(3 * 365),
  JOB_RETENTION_HOURS: integer(1, 24 * 365).default(24),
  FAILED_JOB_RETENTION_HOURS: integer(1, 24 * 365).default(14 * 24),
  RECORD_PSEUDONYMISE: boolean.default(false),
  RECORD_PSEUDONYM_KEY: secret(32).optional(),
  EXPORT_DIR: z.string().trim().min(1).default('./exports'),
  EXPORT_RETENTION_DAYS: integer(1, 3650).default(30),

  // HTTP server
  HTTP_HOST: z.string().trim().min(1).default('127.0.0.1'),
  HTTP_PORT: integer(0, 65_535).default(8080),
  HTTP_BODY_LIMIT_BYTES: integer(1024, 512 * 1024 * 1024).default(
    32 * 1024 * 1024,
  ),
  API_TOKEN: secret(16).optional(),
  DASHBOARD_USER: z.string().trim().min(1).optional(),
  DASHBOARD_PASSWORD: secret(12).optional(),
  DASHBOARD_ACTIONS: boolean.default(false),
  DASHBOARD_SHOW_PERSONAL_DATA: boolean.default(false),

  // Completion webhook
  WEBHOOK_URL: httpUrl.optional(),
  WEBHOOK_SECRET: secret(16).optional(),

  // Logging
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'expected one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
  LOG_PRETTY: boolean.default(false),
});

export type Env = z.output<typeof envSchema>;
