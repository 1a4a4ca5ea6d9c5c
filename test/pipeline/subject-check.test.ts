import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pino from 'pino';

import type { PipelineContext } from '../../src/pipeline/pipeline-context.js';
import {
  checkWindow,
  stillListed,
  windowSize,
} from '../../src/pipeline/subject-check.js';
import { RateBudget } from '../../src/rate-budget/rate-budget.js';
import { RecordStore } from '../../src/requests/record-store.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { StreamClient } from '../../src/stream/stream-client.js';
import { StreamHttpError } from '../../src/stream/stream-errors.js';
import { tearDown } from '../support/tear-down.js';
import {
  STREAM_KEY,
  STREAM_SECRET,
  testConfig,
  uniquePrefix,
} from '../support/test-env.js';
import { ids } from './pipeline-harness.js';

describe('subject checks against Stream', () => {
  const prefix = uniquePrefix('subject-check');
  const redis = new Redis('redis://127.0.0.1:6379');
  // Every other id exists, so each query lists half of what it asks about.
  const asked = ids('checkuser', windowSize('users'));
  const existing = asked.filter((_, i) => i % 2 === 0);
  let sandbox: Sandbox | undefined;
  let queues: Queue[] = [];
  let ctx: PipelineContext;

  beforeAll(async () => {
    sandbox = await startSandbox({
      apiKey: STREAM_KEY,
      apiSecret: STREAM_SECRET,
      seed: { users: existing.map((id) => ({ id })) },
    });
    const config = testConfig({ prefix, streamUrl: sandbox.url });
    queues = ['batches', 'finalize', 'webhooks', 'maintenance'].map(
      (name) => new Queue(name, { connection: redis, prefix }),
    );
    const [batches, finalize, webhooks, maintenance] = queues;
    ctx = {
      config,
      logger: pino({ level: 'silent' }),
      store: new RecordStore(redis, { prefix }),
      budget: new RateBudget(redis, { prefix, defaultPerMinute: 100_000 }),
      // No client-side retries, so a scripted fault reaches the check.
      stream: new StreamClient({
        apiKey: STREAM_KEY,
        apiSecret: STREAM_SECRET,
        baseUrl: sandbox.url,
        timeoutMs: 2000,
        getRetries: 0,
      }),
      queues: {
        batches: batches!,
        finalize: finalize!,
        webhooks: webhooks!,
        maintenance: maintenance!,
      },
    };
  });

  afterAll(() => tearDown([...queues, sandbox], { redis, prefix }));

  it('lists the users Stream still has, query by query, with eight queries of 100 at a time', async () => {
    const listed = await stillListed(ctx, 'users', asked);

    // Stream orders each answer its own way; the queries keep theirs.
    expect(listed.slice(0, 50).sort()).toEqual(existing.slice(0, 50).sort());
    expect([...listed].sort()).toEqual([...existing].sort());
  });

  it('stops a window at its first failed query and reports the progress before it', async () => {
    sandbox!.faults.script({ kind: 'http500', endpoint: 'queryUsers' });

    const window = await checkWindow(ctx, 'users', asked);

    expect(window.failure?.error).toBeInstanceOf(StreamHttpError);
    expect(window.checked % 100).toBe(0);
    expect(window.checked).toBeLessThan(asked.length);
    const checked = asked.slice(0, window.checked);
    expect([...window.listed].sort()).toEqual(
      existing.filter((id) => checked.includes(id)).sort(),
    );

    // Resuming from `checked` covers the rest exactly once.
    const rest = await checkWindow(ctx, 'users', asked.slice(window.checked));
    expect(rest.failure).toBeUndefined();
    expect([...window.listed, ...rest.listed].sort()).toEqual(
      [...existing].sort(),
    );
  });
});
