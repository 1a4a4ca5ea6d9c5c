import type { z } from 'zod';

import { ConfigError } from '../errors/config-error.js';
import { type Env, envSchema } from './env-schema.js';

/** The validated configuration, in the units the code uses. */
export interface Config {
  readonly stream: {
    readonly apiKey: string | undefined;
    readonly apiSecret: string | undefined;
    readonly baseUrl: string;
    readonly timeoutMs: number;
  };
  readonly redis: {
    readonly url: string;
    /** Seed nodes of a Redis Cluster; standalone `url` when undefined. */
    readonly clusterNodes:
      readonly { host: string; port: number }[] | undefined;
    readonly prefix: string;
  };
  readonly worker: {
    readonly concurrency: number;
    readonly attempts: number;
    readonly lockDurationMs: number;
    readonly backoffBaseMs: number;
    readonly backoffMaxMs: number;
    readonly taskPollInitialMs: number;
    readonly taskPollMaxMs: number;
    readonly taskTimeoutMs: number;
    readonly defaultRatePerMinute: number;
    /** Length of Stream's rate-limit window (one minute, as documented). */
    readonly rateWindowMs: number;
    readonly maxSubjectsPerRequest: number;
  };
  readonly retention: {
    readonly recordDays: number;
    readonly jobHours: number;
    readonly failedJobHours: number;
    readonly exportDays: number;
    /** Keep keyed fingerprints of subject ids once a request has ended. */
    readonly pseudonymise: boolean;
    readonly pseudonymKey: string | undefined;
  };
  readonly exportDir: string;
  readonly http: {
    readonly host: string;
    readonly port: number;
    readonly bodyLimitBytes: number;
    readonly apiToken: string | undefined;
    readonly dashboardUser: string | undefined;
    readonly dashboardPassword: string | undefined;
    readonly dashboardActions: boolean;
    readonly dashboardShowPersonalData: boolean;
  };
  readonly webhook: {
    readonly url: string | undefined;
    readonly secret: string | undefined;
  };
  readonly log: { readonly level: Env['LOG_LEVEL']; readonly pretty: boolean };
}

/** Settings that only some commands need; `requireConfig` checks them. */
export type Requirement = 'streamCredentials';

/**
 * Parses the environment once. Throws `ConfigError` naming every variable at
 * fault; never returns a partially valid configuration.
 */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
): Config {
  const input = Object.fromEntries(
    Object.keys(envSchema.shape).map((key) => [
      key,
      blankToUndefined(env[key]),
    ]),
  );
  const parsed = envSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map(toIssue));
  }

  const e = parsed.data;
  const pairIssues = [
    ...requirePair(e, 'WEBHOOK_URL', 'WEBHOOK_SECRET'),
    ...requirePair(e, 'DASHBOARD_USER', 'DASHBOARD_PASSWORD'),
    ...requirePair(e, 'STREAM_API_KEY', 'STREAM_API_SECRET'),
  ];
  if (e.RECORD_PSEUDONYMISE && e.RECORD_PSEUDONYM_KEY === undefined) {
    pairIssues.push({
      field: 'RECORD_PSEUDONYM_KEY',
      message: 'required when RECORD_PSEUDONYMISE is true',
    });
  }
  if (e.TASK_POLL_MAX_MS < e.TASK_POLL_INITIAL_MS) {
    pairIssues.push({
      field: 'TASK_POLL_MAX_MS',
      message: 'expected a value not below TASK_POLL_INITIAL_MS',
    });
  }
  if (pairIssues.length > 0) throw new ConfigError(pairIssues);

  return toConfig(e);
}

/** Throws `ConfigError` when a command's extra requirements are unmet. */
export function requireConfig(
  config: Config,
  requirements: readonly Requirement[],
): void {
  const issues = [];
  if (requirements.includes('streamCredentials')) {
    if (!config.stream.apiKey) {
      issues.push({ field: 'STREAM_API_KEY', message: 'required' });
    }
    if (!config.stream.apiSecret) {
      issues.push({ field: 'STREAM_API_SECRET', message: 'required' });
    }
  }
  if (issues.length > 0) throw new ConfigError(issues);
}

function blankToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function toIssue(issue: z.core.$ZodIssue) {
  const field = String(issue.path[0] ?? '');
  const message =
    issue.code === 'invalid_type' && issue.input === undefined
      ? 'required'
      : issue.message;
  return { field, message };
}

function requirePair(e: Env, a: keyof Env, b: keyof Env) {
  if ((e[a] === undefined) === (e[b] === undefined)) return [];
  const missing = e[a] === undefined ? a : b;
  const other = missing === a ? b : a;
  return [{ field: missing, message: `required when ${other} is set` }];
}

function parseHostPort(node: string): { host: string; port: number } {
  const [host = '', port = ''] = node.trim().split(':');
  return { host, port: Number(port) };
}

function toConfig(e: Env): Config {
  return {
    stream: {
      apiKey: e.STREAM_API_KEY,
      apiSecret: e.STREAM_API_SECRET,
      baseUrl: e.STREAM_BASE_URL.replace(/\/+$/, ''),
      timeoutMs: e.STREAM_TIMEOUT_MS,
    },
    redis: {
      url: e.REDIS_URL,
      clusterNodes: e.REDIS_CLUSTER_NODES?.split(',').map(parseHostPort),
      prefix: e.QUEUE_PREFIX,
    },
    worker: {
      concurrency: e.WORKER_CONCURRENCY,
      attempts: e.JOB_ATTEMPTS,
      lockDurationMs: e.LOCK_DURATION_MS,
      backoffBaseMs: e.BACKOFF_BASE_MS,
      backoffMaxMs: e.BACKOFF_MAX_MS,
      taskPollInitialMs: e.TASK_POLL_INITIAL_MS,
      taskPollMaxMs: e.TASK_POLL_MAX_MS,
      taskTimeoutMs: e.TASK_TIMEOUT_MS,
      defaultRatePerMinute: e.RATE_LIMIT_DEFAULT_PER_MINUTE,
      rateWindowMs: e.RATE_LIMIT_WINDOW_MS,
      maxSubjectsPerRequest: e.MAX_SUBJECTS_PER_REQUEST,
    },
    retention: {
      recordDays: e.RECORD_RETENTION_DAYS,
      jobHours: e.JOB_RETENTION_HOURS,
      failedJobHours: e.FAILED_JOB_RETENTION_HOURS,
      exportDays: e.EXPORT_RETENTION_DAYS,
      pseudonymise: e.RECORD_PSEUDONYMISE,
      pseudonymKey: e.RECORD_PSEUDONYM_KEY,
    },
    exportDir: e.EXPORT_DIR,
    http: {
      host: e.HTTP_HOST,
      port: e.HTTP_PORT,
      bodyLimitBytes: e.HTTP_BODY_LIMIT_BYTES,
      apiToken: e.API_TOKEN,
      dashboardUser: e.DASHBOARD_USER,
      dashboardPassword: e.DASHBOARD_PASSWORD,
      dashboardActions: e.DASHBOARD_ACTIONS,
      dashboardShowPersonalData: e.DASHBOARD_SHOW_PERSONAL_DATA,
    },
    webhook: { url: e.WEBHOOK_URL, secret: e.WEBHOOK_SECRET },
    log: { level: e.LOG_LEVEL, pretty: e.LOG_PRETTY },
  };
}
