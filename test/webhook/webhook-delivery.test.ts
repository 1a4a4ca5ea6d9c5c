import { randomUUID } from 'node:crypto';

import { Queue, type Worker } from 'bullmq';
import { Redis } from 'ioredis';

import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/logging/logger.js';
import { QUEUE_NAMES } from '../../src/queues/queue-names.js';
import { requestFingerprint } from '../../src/requests/fingerprint.js';
import { createRecord } from '../../src/requests/record-creation.js';
import { RecordStore } from '../../src/requests/record-store.js';
import { parseErasureInput } from '../../src/requests/request-input.js';
import {
  readDelivery,
  type WebhookDelivery,
} from '../../src/webhook/delivery-status.js';
import { verifyWebhookSignature } from '../../src/webhook/webhook-signature.js';
import { createWebhookWorker } from '../../src/webhook/webhook-worker.js';
import { waitFor } from '../server/helpers/wait-for.js';
import { startReceiver } from './receiver.js';

const SECRET = 'webhook-secret-for-tests';
const USER_IDS = ['alice-7f3a', 'bob-91c2'];
const CHANNEL_CIDS = ['messaging:room-5d1e'];

let prefix: string;
let redis: Redis;
let connection: Redis;
let queue: Queue;
let worker: Worker | undefined;
let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;

beforeEach(() => {
  prefix = `test-${randomUUID()}`;
  redis = new Redis({ maxRetriesPerRequest: 2 });
  connection = new Redis({ maxRetriesPerRequest: null });
  queue = new Queue(QUEUE_NAMES.webhooks, { connection, prefix });
});

afterEach(async () => {
  await worker?.close();
  worker = undefined;
  await receiver?.close();
  receiver = undefined;
  await queue.close();
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  connection.disconnect();
});

/** A completed erasure record, made by the pipeline's own store. */
async function finishedRequest(): Promise<string> {
  const store = new RecordStore(redis, { prefix });
  const request = parseErasureInput(
    { userIds: USER_IDS, channelCids: CHANNEL_CIDS, mode: 'hard' },
    { maxSubjects: 1000 },
  );
  await createRecord(store, request, requestFingerprint(request));
  await store.transition(request.id, 'completed');
  return request.id;
}

function startWorker(url: string, attempts = 5): Worker {
  const config = loadConfig({
    QUEUE_PREFIX: prefix,
    WEBHOOK_URL: url,
    WEBHOOK_SECRET: SECRET,
    JOB_ATTEMPTS: String(attempts),
    BACKOFF_BASE_MS: '10',
    BACKOFF_MAX_MS: '100',
  });
  return createWebhookWorker({
    config,
    logger: createLogger({ level: 'silent' }),
    connection,
  });
}

function settled(requestId: string) {
  return waitFor(async () => {
    const delivery = await readDelivery(redis, prefix, requestId);
    return delivery && delivery.state !== 'pending' ? delivery : undefined;
  }, 'the webhook delivery to settle');
}

describe('completion webhook', () => {
  it('posts a summary whose signature verifies with verifyWebhookSignature', async () => {
    receiver = await startReceiver();
    const requestId = await finishedRequest();
    worker = startWorker(receiver.url);

    await queue.add('deliver', { requestId });
    const delivery = await settled(requestId);

    expect(delivery.state).toBe('delivered');
    expect(receiver.received).toHaveLength(1);
    const [{ headers, body }] = receiver.received as [
      (typeof receiver.received)[number],
    ];
    expect(headers['content-type']).toBe('application/json');
    expect(
      verifyWebhookSignature(
        SECRET,
        headers['x-gdpr-timestamp'] as string,
        body,
        headers['x-gdpr-signature'] as string,
        300,
      ),
    ).toBe(true);
    expect(JSON.parse(body)).toEqual({
      requestId,
      kind: 'erasure',
      status: 'completed',
      counts: { users: 2, channels: 1 },
      receivedAt: expect.any(String),
      deadlineAt: expect.any(String),
      finishedAt: expect.any(String),
      verification: null,
      batches: { total: 0, failed: 0 },
    });
  });

  it('carries no subject id in the body or the headers', async () => {
    receiver = await startReceiver();
    const requestId = await finishedRequest();
    worker = startWorker(receiver.url);

    await queue.add('deliver', { requestId });
    await settled(requestId);

    const [{ headers, body }] = receiver.received as [
      (typeof receiver.received)[number],
    ];
    const everything = body + JSON.stringify(headers);
    for (const subject of [...USER_IDS, ...CHANNEL_CIDS]) {
      expect(everything).not.toContain(subject);
    }
  });

  it('retries a receiver that fails twice and records the delivery on the request', async () => {
    receiver = await startReceiver([500, 500]);
    const requestId = await finishedRequest();
    worker = startWorker(receiver.url);

    await queue.add('deliver', { requestId });
    const delivery = await settled(requestId);

    expect(receiver.received).toHaveLength(3);
    expect(delivery).toEqual<WebhookDelivery>({
      state: 'delivered',
      requestStatus: 'completed',
      attempts: 3,
      lastStatus: 200,
      lastAttemptAt: expect.any(String),
      deliveredAt: expect.any(String),
    });
  });

  it('gives up after JOB_ATTEMPTS deliveries and records the failure', async () => {
    receiver = await startReceiver([503, 503, 503, 503]);
    const requestId = await finishedRequest();
    worker = startWorker(receiver.url, 2);

    const job = await queue.add('deliver', { requestId });
    const delivery = await settled(requestId);

    expect(receiver.received).toHaveLength(2);
    expect(delivery).toMatchObject({
      state: 'failed',
      attempts: 2,
      lastStatus: 503,
      failedAt: expect.any(String),
    });
    const state = await waitFor(async () => {
      const s = await queue.getJobState(job.id!);
      return s === 'failed' ? s : undefined;
    }, 'the job to fail');
    expect(state).toBe('failed');
  });

  it('sends nothing again for a status already delivered', async () => {
    receiver = await startReceiver();
    const requestId = await finishedRequest();
    worker = startWorker(receiver.url);

    await queue.add('deliver', { requestId });
    await settled(requestId);
    const again = await queue.add('deliver', { requestId });
    await waitFor(async () => {
      const s = await queue.getJobState(again.id!);
      return s === 'completed' ? s : undefined;
    }, 'the repeated job to complete');

    expect(receiver.received).toHaveLength(1);
  });
});
