import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Redis } from 'ioredis';

import type { Config } from '../../src/config/config.js';
import { createGdprClient } from '../../src/requests/gdpr-client.js';
import type { GdprClient } from '../../src/requests/gdpr-client-types.js';
import {
  type Sandbox,
  type SandboxOptions,
  startSandbox,
} from '../../src/sandbox/index.js';
import {
  startWorkers,
  type WorkersHandle,
} from '../../workers/start-workers.js';
import { type CapturedLog, captureLog } from '../support/log-capture.js';
import {
  deleteKeysUnder,
  STREAM_KEY,
  STREAM_SECRET,
  testConfig,
  testEnv,
  uniquePrefix,
} from '../support/test-env.js';

export interface Harness {
  readonly sandbox: Sandbox;
  readonly config: Config;
  readonly env: Record<string, string>;
  readonly client: GdprClient;
  readonly redis: Redis;
  readonly prefix: string;
  readonly exportDir: string;
  readonly log: CapturedLog;
  /** Starts (more) in-process workers; all are closed by `close`. */
  startWorkers(): Promise<WorkersHandle>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly sandbox?: Partial<SandboxOptions>;
  readonly env?: Readonly<Record<string, string>>;
  /** Start one set of workers right away (default true). */
  readonly workers?: boolean;
}

/**
 * A real pipeline for one test: a sandbox over HTTP, the shared Redis
 * under a private prefix, in-process workers and a producer client. The
 * log is captured so tests can check that no subject id ever reaches it.
 */
export async function startHarness(
  options: HarnessOptions = {},
): Promise<Harness> {
  const sandbox = await startSandbox({
    apiKey: STREAM_KEY,
    apiSecret: STREAM_SECRET,
    taskDurationMs: 20,
    ...options.sandbox,
  });
  const prefix = uniquePrefix('pipe');
  const exportDir = await mkdtemp(join(tmpdir(), 'gdpr-exports-'));
  const envOptions = {
    prefix,
    streamUrl: sandbox.url,
    exportDir,
    extra: { JOB_ATTEMPTS: '5', ...options.env },
  };
  const env = testEnv(envOptions);
  const config = testConfig(envOptions);
  const log = captureLog('info');
  const redis = new Redis(config.redis.url);
  const client = createGdprClient({ redis: config.redis.url, prefix });
  const handles: WorkersHandle[] = [];
  const start = async () => {
    const handle = await startWorkers({
      config,
      logger: log.logger,
      lockDurationMs: 2000,
    });
    handles.push(handle);
    return handle;
  };

  if (options.workers !== false) await start();
  return {
    sandbox,
    config,
    env,
    client,
    redis,
    prefix,
    exportDir,
    log,
    startWorkers: start,
    async close() {
      await Promise.all(handles.map((handle) => handle.close()));
      await client.close();
      await sandbox.close();
      await deleteKeysUnder(redis, prefix);
      redis.disconnect();
      await rm(exportDir, { recursive: true, force: true });
    },
  };
}

/** `count` ids like `u0`, `u1`, … with a prefix. */
export function ids(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${i}`);
}

/** Asserts no captured log line mentions any of `subjects`. */
export function logMentions(
  log: CapturedLog,
  subjects: readonly string[],
): string[] {
  const text = log.lines.join('\n');
  return subjects.filter((id) => new RegExp(`\\b${id}\\b`).test(text));
}
