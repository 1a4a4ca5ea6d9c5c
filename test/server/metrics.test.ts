import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Redis } from 'ioredis';

import { createStreamCallRecorder } from '../../src/metrics/stream-call-recorder.js';
import { RateBudget } from '../../src/rate-budget/rate-budget.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { WorkerFleet } from '../support/worker-processes.js';
import {
  familyNames,
  parseMetrics,
  sampleValue,
} from './helpers/metrics-text.js';
import {
  json,
  startTestServer,
  type TestServer,
} from './helpers/test-server.js';
import { waitFor } from './helpers/wait-for.js';

const DAY = 24 * 3600 * 1000;

async function scrape(server: TestServer) {
  const response = await fetch(`${server.url}/metrics`);
  expect(response.status).toBe(200);
  const text = await response.text();
  return { text, samples: parseMetrics(text) };
}

describe('/metrics', () => {
  let server: TestServer;
  let redis: Redis;

  beforeAll(async () => {
    server = await startTestServer();
    redis = new Redis({ maxRetriesPerRequest: 2 });
  });
  afterAll(async () => {
    redis.disconnect();
    await server.close();
  });

  it('counts requests by status and flags those past or near their deadline', async () => {
    const now = Date.now();
    const bodies = [
      {
        userIds: ['m-past-1'],
        receivedAt: new Date(now - 40 * DAY).toISOString(),
      },
      {
        userIds: ['m-near-1'],
        receivedAt: new Date(now - 27 * DAY).toISOString(),
      },
      { userIds: ['m-fresh-1'] },
    ];
    for (const body of bodies) {
      const response = await server.api(
        '/v1/erasure-requests',
        json({ ...body, mode: 'hard' }),
      );
      expect(response.status).toBe(202);
    }

    const { samples } = await scrape(server);

    expect(
      sampleValue(samples, 'stream_gdpr_requests', { status: 'queued' }),
    ).toBe(3);
    expect(
      sampleValue(samples, 'stream_gdpr_requests', { status: 'completed' }),
    ).toBe(0);
    expect(sampleValue(samples, 'stream_gdpr_requests_past_deadline')).toBe(1);
    expect(sampleValue(samples, 'stream_gdpr_requests_near_deadline')).toBe(1);
    expect(
      sampleValue(samples, 'stream_gdpr_oldest_open_request_age_seconds'),
    ).toBeGreaterThanOrEqual(0);
    // Plan jobs are prioritised by deadline, so they wait as `prioritized`.
    const waiting = ['waiting', 'prioritized'].map(
      (state) =>
        sampleValue(samples, 'stream_gdpr_queue_jobs', {
          queue: 'requests',
          state,
        }) ?? 0,
    );
    expect(waiting[0]! + waiting[1]!).toBe(3);
  });

  it('reports Stream calls that worker processes recorded through Redis', async () => {
    const recorder = createStreamCallRecorder(redis, server.prefix, {
      intervalMs: 60_000,
    });
    const rateLimit = {
      limit: 60,
      remaining: 42,
      resetAt: Date.now() + 60_000,
    };
    recorder.record({
      endpoint: 'deleteUsers',
      status: 201,
      durationMs: 30,
      rateLimit,
    });
    recorder.record({
      endpoint: 'deleteUsers',
      status: 201,
      durationMs: 700,
      rateLimit: undefined,
    });
    recorder.record({
      endpoint: 'deleteUsers',
      status: 429,
      durationMs: 5,
      rateLimit: undefined,
    });
    recorder.record({
      endpoint: 'getTask',
      status: 0,
      durationMs: 10_000,
      rateLimit: undefined,
    });
    recorder.record({
      endpoint: 'getTask',
      status: 503,
      durationMs: 40_000,
      rateLimit: undefined,
    });
    await recorder.close();

    const { samples } = await scrape(server);
    const calls = (endpoint: string, status_class: string) =>
      sampleValue(samples, 'stream_gdpr_stream_calls_total', {
        endpoint,
        status_class,
      });

    expect(calls('deleteUsers', '2xx')).toBe(2);
    expect(calls('deleteUsers', '429')).toBe(1);
    expect(calls('getTask', 'none')).toBe(1);
    expect(calls('getTask', '5xx')).toBe(1);
    expect(
      sampleValue(samples, 'stream_gdpr_stream_rate_limited_total', {
        endpoint: 'deleteUsers',
      }),
    ).toBe(1);

    const bucket = (endpoint: string, le: string) =>
      sampleValue(samples, 'stream_gdpr_stream_call_duration_seconds_bucket', {
        endpoint,
        le,
      });
    expect(bucket('deleteUsers', '0.05')).toBe(2);
    expect(bucket('deleteUsers', '1')).toBe(3);
    expect(bucket('getTask', '30')).toBe(1);
    expect(bucket('getTask', '+Inf')).toBe(2);
    expect(
      sampleValue(samples, 'stream_gdpr_stream_call_duration_seconds_count', {
        endpoint: 'deleteUsers',
      }),
    ).toBe(3);
    expect(
      sampleValue(samples, 'stream_gdpr_stream_call_duration_seconds_sum', {
        endpoint: 'getTask',
      }),
    ).toBeCloseTo(50, 5);

    expect(
      sampleValue(samples, 'stream_gdpr_stream_rate_budget_remaining', {
        endpoint: 'deleteUsers',
      }),
    ).toBe(42);
  });

  it('adds up the recordings of several processes', async () => {
    const before = sampleValue(
      (await scrape(server)).samples,
      'stream_gdpr_stream_calls_total',
      { endpoint: 'exportUsers', status_class: '2xx' },
    );
    const recorders = [1, 2, 3].map(() =>
      createStreamCallRecorder(redis, server.prefix, { intervalMs: 60_000 }),
    );
    for (const recorder of recorders) {
      recorder.record({
        endpoint: 'exportUsers',
        status: 201,
        durationMs: 20,
        rateLimit: undefined,
      });
      recorder.record({
        endpoint: 'exportUsers',
        status: 201,
        durationMs: 20,
        rateLimit: undefined,
      });
    }
    await Promise.all(recorders.map((recorder) => recorder.close()));

    const { samples } = await scrape(server);
    expect(before).toBeUndefined();
    expect(
      sampleValue(samples, 'stream_gdpr_stream_calls_total', {
        endpoint: 'exportUsers',
        status_class: '2xx',
      }),
    ).toBe(6);
  });

  it('reports the shared rate budget the workers keep', async () => {
    const budget = new RateBudget(redis, {
      prefix: server.prefix,
      defaultPerMinute: 60,
    });
    await budget.acquire('queryUsers');
    await budget.acquire('queryUsers');

    const { samples } = await scrape(server);

    expect(
      sampleValue(samples, 'stream_gdpr_stream_rate_budget_remaining', {
        endpoint: 'queryUsers',
      }),
    ).toBe(58);
  });

  it('declares every family, with jobs completed and failed per queue', async () => {
    const { text, samples } = await scrape(server);

    expect(familyNames(text)).toEqual(
      expect.arrayContaining([
        'stream_gdpr_queue_jobs',
        'stream_gdpr_jobs_completed_total',
        'stream_gdpr_jobs_failed_total',
        'stream_gdpr_stream_calls_total',
        'stream_gdpr_stream_call_duration_seconds',
        'stream_gdpr_stream_rate_limited_total',
        'stream_gdpr_stream_rate_budget_remaining',
        'stream_gdpr_requests',
        'stream_gdpr_oldest_open_request_age_seconds',
        'stream_gdpr_requests_past_deadline',
        'stream_gdpr_requests_near_deadline',
      ]),
    );
    expect(
      sampleValue(samples, 'stream_gdpr_jobs_completed_total', {
        queue: 'batches',
      }),
    ).toBe(0);
    expect(text).toContain(
      '# TYPE stream_gdpr_stream_call_duration_seconds histogram',
    );
  });

  it('puts no subject or request id into any label', async () => {
    const { samples } = await scrape(server);
    const values = new Set(samples.flatMap((s) => Object.values(s.labels)));

    for (const value of values) {
      expect(value).not.toMatch(/^m-(past|near|fresh)-1$/);
      expect(value).not.toMatch(/^req_/);
    }
  });
});

describe('/metrics with a worker process', () => {
  const apiKey = 'metrics-worker-key';
  const apiSecret = 'metrics-worker-secret-7d2c';
  let server: TestServer;
  let sandbox: Sandbox;
  let logDir: string;
  let fleet: WorkerFleet | undefined;

  beforeAll(async () => {
    logDir = await mkdtemp(join(tmpdir(), 'metrics-worker-'));
    server = await startTestServer({
      QUEUE_PREFIX: `test-metrics-worker-${randomUUID()}`,
    });
    sandbox = await startSandbox({
      apiKey,
      apiSecret,
      taskDurationMs: 20,
      seed: { users: [{ id: 'mw-1' }, { id: 'mw-2' }] },
    });
  });
  afterAll(async () => {
    await fleet?.stop();
    await sandbox?.close();
    await server?.close();
    await rm(logDir, { recursive: true, force: true });
  });

  it('reports the Stream calls a worker in another process made', async () => {
    fleet = new WorkerFleet(
      {
        STREAM_API_KEY: apiKey,
        STREAM_API_SECRET: apiSecret,
        STREAM_BASE_URL: sandbox.url,
        QUEUE_PREFIX: server.prefix,
        TASK_POLL_INITIAL_MS: '20',
        TASK_POLL_MAX_MS: '100',
        LOG_LEVEL: 'warn',
      },
      logDir,
    );
    fleet.spawn();
    const response = await server.api(
      '/v1/erasure-requests',
      json({ userIds: ['mw-1', 'mw-2'], mode: 'hard' }),
    );
    expect(response.status).toBe(202);
    const { id } = (await response.json()) as { id: string };
    await waitFor(async () => {
      const status = await server.api(`/v1/requests/${id}`);
      const record = (await status.json()) as { status: string };
      return record.status === 'completed' ? true : undefined;
    }, 'the erasure to complete');

    // The worker writes its counts about once a second.
    const samples = await waitFor(async () => {
      const { samples } = await scrape(server);
      const deletes = sampleValue(samples, 'stream_gdpr_stream_calls_total', {
        endpoint: 'deleteUsers',
        status_class: '2xx',
      });
      return deletes === undefined ? undefined : samples;
    }, 'deleteUsers calls on /metrics');

    expect(
      sampleValue(samples, 'stream_gdpr_stream_calls_total', {
        endpoint: 'deleteUsers',
        status_class: '2xx',
      }),
    ).toBe(1);
    expect(
      sampleValue(samples, 'stream_gdpr_stream_call_duration_seconds_count', {
        endpoint: 'deleteUsers',
      }),
    ).toBe(1);
    expect(
      sampleValue(samples, 'stream_gdpr_stream_calls_total', {
        endpoint: 'getTask',
        status_class: '2xx',
      }),
    ).toBeGreaterThanOrEqual(1);
  }, 30_000);
});
