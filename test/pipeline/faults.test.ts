import type { FaultKind } from '../../src/sandbox/index.js';
import type { Harness } from './pipeline-harness.js';
import { ids, startHarness } from './pipeline-harness.js';

const KINDS: readonly FaultKind[] = [
  'http500',
  'http502Html',
  'http429Json',
  'http429Text',
  'hang',
  'reset',
  'malformedJson',
  'wrongShape',
];

describe('faults from Stream', () => {
  let h: Harness;

  beforeEach(async () => {
    // One-second windows, so a JSON 429's reset time is near.
    h = await startHarness({
      sandbox: { rateLimit: { windowMs: 1000, limit: 1000 } },
    });
  });

  afterEach(async () => {
    await h?.close();
  });

  it.each(KINDS)(
    'retries a %s on submit and on polling until the erasure completes',
    async (kind) => {
      const users = ids(`fault${kind}u`, 3);
      h.sandbox.seed({ users: users.map((id) => ({ id })) });
      h.sandbox.faults.script(
        { kind, endpoint: 'deleteUsers' },
        { kind, endpoint: 'getTask' },
      );

      const { requestId } = await h.client.requestErasure({ userIds: users });
      const record = await h.client.waitForRequest(requestId, {
        timeoutMs: 20_000,
      });

      expect(record.status).toBe('completed');
      const faulted = h.sandbox.calls.filter((c) => c.fault === kind);
      expect(faulted.map((c) => c.endpoint).sort()).toEqual([
        'deleteUsers',
        'getTask',
      ]);
      for (const id of users) expect(h.sandbox.state.user(id)).toBeUndefined();
      const batch = record.batches[0]!;
      const limited = kind === 'http429Json' || kind === 'http429Text';
      // No usable answer to the POST (none, or a 2xx we cannot read).
      const lostAnswer = [
        'hang',
        'reset',
        'malformedJson',
        'wrongShape',
      ].includes(kind);
      // A 429 delays the job without spending an attempt.
      expect(limited ? batch.attempts : 1).toBe(1);
      // A lost answer might have started a task: reconciled first.
      expect(batch.resubmissions ?? 0).toBe(lostAnswer ? 1 : 0);
    },
  );

  it('fails a batch at once with Stream code and message on a 400', async () => {
    const users = ids('badrequestu', 2);
    h.sandbox.seed({ users: users.map((id) => ({ id })) });

    const { requestId } = await h.client.requestErasure({
      userIds: users,
      newChannelOwnerId: users[0]!,
    });
    const record = await h.client.waitForRequest(requestId, {
      timeoutMs: 20_000,
    });

    expect(record.status).toBe('failed');
    expect(record.batches[0]).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: { httpStatus: 400, streamCode: 4 },
    });
    expect(record.batches[0]?.error?.message).toMatch(
      /new_channel_owner_id|users being deleted|HTTP 400/,
    );
    expect(JSON.stringify(record.batches[0]?.error)).not.toContain(users[0]!);
    const submits = h.sandbox.calls.filter(
      (c) =>
        c.endpoint === 'deleteUsers' &&
        JSON.stringify(c.body).includes(users[1]!),
    );
    expect(submits).toHaveLength(1);
    expect(record.error?.code).toBe('batches_failed');
  });
});
