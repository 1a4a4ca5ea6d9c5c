import type { RequestRecord } from '../../src/requests/request-record.js';
import { TERMINAL_STATUSES } from '../../src/requests/request-record.js';
import { verifyWebhookSignature } from '../../src/webhook/webhook-signature.js';
import { startReceiver } from '../webhook/receiver.js';
import { type LiveStack, startLiveStack } from './helpers/live-stack.js';
import { parseMetrics, sampleValue } from './helpers/metrics-text.js';
import { json } from './helpers/test-server.js';
import { waitFor } from './helpers/wait-for.js';

const USERS = ['e2e-ana', 'e2e-ben', 'e2e-cy'];
const CHANNELS = ['messaging:e2e-room'];
const WEBHOOK_SECRET = 'e2e-webhook-secret-01';

describe('a request over HTTP, end to end', () => {
  let stack: LiveStack;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    receiver = await startReceiver();
    stack = await startLiveStack(
      {
        users: USERS.map((id) => ({
          id,
          email: `${id}@example.com`,
          messageCount: 2,
        })),
        channels: [{ type: 'messaging', id: 'e2e-room', memberIds: USERS }],
      },
      { WEBHOOK_URL: receiver.url, WEBHOOK_SECRET },
    );
  });
  afterAll(async () => {
    await stack.close();
    await receiver.close();
  });

  it('erases the subjects, reports it in the record, the metrics and the webhook', async () => {
    const { server, sandbox } = stack;
    // The first scrape sets where job outcome counting starts.
    await fetch(`${server.url}/metrics`);

    const accepted = await server.api(
      '/v1/erasure-requests',
      json({ userIds: USERS, channelCids: CHANNELS, mode: 'hard' }),
    );
    expect(accepted.status).toBe(202);
    const { id } = (await accepted.json()) as RequestRecord;

    const record = await waitFor(async () => {
      const response = await server.api(`/v1/requests/${id}`);
      const body = (await response.json()) as RequestRecord;
      return TERMINAL_STATUSES.includes(body.status) ? body : undefined;
    }, 'the request to finish');

    expect(record.status).toBe('completed');
    expect(record.verification?.passed).toBe(true);
    for (const user of USERS) expect(sandbox.state.user(user)).toBeUndefined();

    await stack.recorder.flush();
    // The record turns terminal inside the finalize job, a moment before
    // BullMQ marks that job completed: wait for the job, not the record.
    const samples = await waitFor(async () => {
      const text = await (await fetch(`${server.url}/metrics`)).text();
      const parsed = parseMetrics(text);
      const finalized = sampleValue(
        parsed,
        'stream_gdpr_jobs_completed_total',
        {
          queue: 'finalize',
        },
      );
      return finalized === 1 ? parsed : undefined;
    }, 'the finalize job to complete');
    expect(
      sampleValue(samples, 'stream_gdpr_stream_calls_total', {
        endpoint: 'deleteUsers',
        status_class: '2xx',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sampleValue(samples, 'stream_gdpr_stream_call_duration_seconds_count', {
        endpoint: 'getTask',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sampleValue(samples, 'stream_gdpr_jobs_completed_total', {
        queue: 'finalize',
      }),
    ).toBe(1);
    const labelValues = samples.flatMap((s) => Object.values(s.labels));
    for (const subject of [...USERS, ...CHANNELS, id]) {
      expect(labelValues.filter((value) => value.includes(subject))).toEqual(
        [],
      );
    }

    const delivery = await waitFor(() => receiver.received[0], 'the webhook');
    expect(
      verifyWebhookSignature(
        WEBHOOK_SECRET,
        delivery.headers['x-gdpr-timestamp'] as string,
        delivery.body,
        delivery.headers['x-gdpr-signature'] as string,
        300,
      ),
    ).toBe(true);
    expect(JSON.parse(delivery.body)).toMatchObject({
      requestId: id,
      status: 'completed',
      verification: { passed: true, stillListedCount: 0 },
    });
    for (const subject of [...USERS, ...CHANNELS]) {
      expect(delivery.body).not.toContain(subject);
    }
    expect(
      sampleValue(samples, 'stream_gdpr_requests', { status: 'completed' }),
    ).toBe(1);
  });
});
