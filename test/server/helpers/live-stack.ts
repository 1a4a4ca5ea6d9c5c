import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Redis } from 'ioredis';

import { createLogger } from '../../../src/logging/logger.js';
import {
  createStreamCallRecorder,
  type StreamCallRecorder,
} from '../../../src/metrics/stream-call-recorder.js';
import { type Sandbox, startSandbox } from '../../../src/sandbox/index.js';
import {
  startWorkers,
  type WorkersHandle,
} from '../../../workers/start-workers.js';
import { startTestServer, type TestServer } from './test-server.js';

export const STREAM_KEY = 'server-e2e-key';
export const STREAM_SECRET = 'server-e2e-secret-0123';

export interface LiveStack {
  readonly sandbox: Sandbox;
  readonly server: TestServer;
  readonly recorder: StreamCallRecorder;
  close(): Promise<void>;
}

/**
 * The whole service in this process against the sandbox: the server and
 * the workers (the webhook worker among them), with Stream call metrics
 * recorded through Redis. `env` adds settings (e.g. WEBHOOK_URL).
 */
export async function startLiveStack(
  seed: Parameters<Sandbox['seed']>[0],
  env: Record<string, string> = {},
): Promise<LiveStack> {
  const sandbox = await startSandbox({
    apiKey: STREAM_KEY,
    apiSecret: STREAM_SECRET,
    seed,
    taskDurationMs: 20,
  });
  const exportDir = await mkdtemp(join(tmpdir(), 'server-e2e-'));
  const server = await startTestServer({
    STREAM_API_KEY: STREAM_KEY,
    STREAM_API_SECRET: STREAM_SECRET,
    STREAM_BASE_URL: sandbox.url,
    TASK_POLL_INITIAL_MS: '20',
    TASK_POLL_MAX_MS: '100',
    BACKOFF_BASE_MS: '20',
    BACKOFF_MAX_MS: '200',
    RATE_LIMIT_DEFAULT_PER_MINUTE: '100000',
    EXPORT_DIR: exportDir,
    ...env,
  });
  const logger = createLogger({ level: 'silent' });
  const redis = new Redis(server.config.redis.url, {
    maxRetriesPerRequest: null,
  });
  const recorder = createStreamCallRecorder(redis, server.prefix, {
    intervalMs: 50,
  });
  const workers: WorkersHandle = await startWorkers({
    config: server.config,
    logger,
    onStreamCall: recorder.record,
  });

  return {
    sandbox,
    server,
    recorder,
    async close() {
      await workers.close();
      await recorder.close();
      await server.close();
      redis.disconnect();
      await sandbox.close();
      await rm(exportDir, { recursive: true, force: true });
    },
  };
}
