import { formatRecordSummary } from '../../src/cli/record-output.js';
import { pollUntil } from '../support/poll.js';
import { startReceiver } from '../webhook/receiver.js';
import type { Harness } from './pipeline-harness.js';
import { startHarness } from './pipeline-harness.js';

describe('webhook delivery on the request record', () => {
  let h: Harness | undefined;
  let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;

  afterEach(async () => {
    await h?.close();
    h = undefined;
    await receiver?.close();
    receiver = undefined;
  });

  it('shows a delivered completion webhook in getRequest and the status summary', async () => {
    // One refusal first, so the record shows the retry too.
    receiver = await startReceiver([503]);
    h = await startHarness({
      env: {
        WEBHOOK_URL: receiver.url,
        WEBHOOK_SECRET: 'webhook-secret-record-0123456789',
        BACKOFF_BASE_MS: '10',
        BACKOFF_MAX_MS: '100',
      },
    });
    h.sandbox.seed({ users: [{ id: 'announced' }] });
    const { requestId } = await h.client.requestErasure({
      userIds: ['announced'],
    });
    const done = await h.client.waitForRequest(requestId, {
      timeoutMs: 20_000,
    });

    const record = await pollUntil('the webhook to be delivered', async () => {
      const r = await h!.client.getRequest(requestId, { subjectLimit: 0 });
      return r?.webhook?.state === 'delivered' ? r : undefined;
    });

    expect(record.webhook).toEqual({
      state: 'delivered',
      requestStatus: done.status,
      attempts: 2,
      lastStatus: 200,
      lastAttemptAt: expect.any(String),
      deliveredAt: record.webhook?.lastAttemptAt,
    });
    expect(receiver.received).toHaveLength(2);
    expect(formatRecordSummary(record)).toContain(
      'webhook:   delivered after 2 attempts (last HTTP 200)',
    );
  });

  it('has no webhook field when no webhook is configured', async () => {
    h = await startHarness();
    h.sandbox.seed({ users: [{ id: 'quiet' }] });
    const { requestId } = await h.client.requestErasure({ userIds: ['quiet'] });
    const done = await h.client.waitForRequest(requestId, {
      timeoutMs: 20_000,
    });

    expect(done.status).toBe('completed');
    expect(done).not.toHaveProperty('webhook');
  });
});
