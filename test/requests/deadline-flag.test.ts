import { Redis } from 'ioredis';

import { formatRecordSummary } from '../../src/cli/record-output.js';
import { deadlineFlag } from '../../src/requests/deadline.js';
import { requestFingerprint } from '../../src/requests/fingerprint.js';
import { createRecord } from '../../src/requests/record-creation.js';
import { RecordStore } from '../../src/requests/record-store.js';
import { parseErasureInput } from '../../src/requests/request-input.js';
import { deleteKeysUnder, uniquePrefix } from '../support/test-env.js';

const DAY = 86_400_000;
const DEADLINE = '2026-03-10T12:00:00.000Z';
const deadlineMs = Date.parse(DEADLINE);

describe('the deadline flag', () => {
  it.each([
    ['on track with more than 7 days left', -8 * DAY, 'on_track', 8],
    ['due soon with exactly 7 days left', -7 * DAY, 'due_soon', 7],
    [
      'due soon with hours left, counted as a day',
      -3 * 3600_000,
      'due_soon',
      1,
    ],
    ['overdue at the deadline itself', 0, 'overdue', 0],
    ['overdue an hour after it, by a day', 3600_000, 'overdue', -1],
    ['overdue by 3 days', 3 * DAY, 'overdue', -3],
  ])('flags an open request %s', (_title, offset, state, daysLeft) => {
    expect(deadlineFlag(DEADLINE, undefined, deadlineMs + offset)).toEqual({
      state,
      daysLeft,
    });
  });

  it('judges a finished request by when it finished, not by now', () => {
    const now = deadlineMs + 30 * DAY;
    const early = new Date(deadlineMs - 2 * DAY).toISOString();
    const late = new Date(deadlineMs + 5 * DAY).toISOString();

    expect(deadlineFlag(DEADLINE, early, now)).toEqual({
      state: 'met',
      daysLeft: 2,
    });
    expect(deadlineFlag(DEADLINE, DEADLINE, now)).toEqual({
      state: 'met',
      daysLeft: 0,
    });
    expect(deadlineFlag(DEADLINE, late, now)).toEqual({
      state: 'missed',
      daysLeft: -5,
    });
  });
});

describe('the deadline flag on records', () => {
  let redis: Redis;
  let prefix: string;
  let store: RecordStore;

  beforeEach(() => {
    redis = new Redis('redis://127.0.0.1:6379');
    prefix = uniquePrefix('deadline');
    store = new RecordStore(redis, { prefix });
  });

  afterEach(async () => {
    await deleteKeysUnder(redis, prefix);
    redis.disconnect();
  });

  async function received(requestId: string, daysAgo: number) {
    const request = parseErasureInput(
      {
        requestId,
        userIds: ['u1'],
        receivedAt: new Date(Date.now() - daysAgo * DAY),
      },
      { maxSubjects: 10 },
    );
    await createRecord(store, request, requestFingerprint(request));
  }

  it('is computed when the record is read: open, near and past the deadline', async () => {
    await received('fresh', 0);
    await received('near', 26);
    await received('late', 40);

    const [fresh, near, late] = await Promise.all(
      ['fresh', 'near', 'late'].map((id) => store.get(id)),
    );

    expect(fresh?.deadline?.state).toBe('on_track');
    expect(fresh?.deadline?.daysLeft).toBeGreaterThanOrEqual(28);
    expect(near?.deadline?.state).toBe('due_soon');
    expect(near?.deadline?.daysLeft).toBeGreaterThan(0);
    expect(near?.deadline?.daysLeft).toBeLessThanOrEqual(7);
    expect(late?.deadline?.state).toBe('overdue');
    expect(late?.deadline?.daysLeft).toBeLessThan(0);
  });

  it('says met or missed once the request has finished', async () => {
    await received('on-time', 1);
    await received('too-late', 40);
    await store.transition('on-time', 'completed');
    await store.transition('too-late', 'completed');

    expect((await store.get('on-time'))?.deadline?.state).toBe('met');
    expect((await store.get('too-late'))?.deadline?.state).toBe('missed');
  });

  it('is what the status summary prints', async () => {
    await received('cli-near', 27);
    await received('cli-late', 35);
    await received('cli-missed', 40);
    await store.transition('cli-missed', 'failed');

    const summary = async (id: string) =>
      formatRecordSummary((await store.get(id))!);
    const near = await store.get('cli-near');
    const days = near?.deadline?.daysLeft;

    expect(await summary('cli-near')).toContain(
      `(due in ${days} ${days === 1 ? 'day' : 'days'})`,
    );
    expect(await summary('cli-late')).toMatch(/\(PAST DEADLINE by \d+ days\)/);
    expect(await summary('cli-missed')).toMatch(
      /\(MISSED: finished \d+ days late\)/,
    );
  });
});
