import { Redis } from 'ioredis';

import { requestFingerprint } from '../../src/requests/fingerprint.js';
import { createGdprClient } from '../../src/requests/gdpr-client.js';
import type { GdprClient } from '../../src/requests/gdpr-client-types.js';
import { createRecord } from '../../src/requests/record-creation.js';
import { sealSubjects } from '../../src/requests/record-sealing.js';
import { RecordStore } from '../../src/requests/record-store.js';
import {
  type NewRequest,
  parseErasureInput,
  parseExportInput,
} from '../../src/requests/request-input.js';
import type { BatchOutcome } from '../../src/requests/request-record.js';
import {
  subjectDigest,
  subjectFingerprint,
} from '../../src/requests/subject-fingerprint.js';
import {
  indexSubjects,
  MAX_REQUESTS_PER_SUBJECT,
} from '../../src/requests/subject-index.js';
import {
  deleteKeysUnder,
  keysUnder,
  uniquePrefix,
} from '../support/test-env.js';

const KEY = 'pseudonym-key-for-tests-0123456789abcdef';
const USERS = ['alice', 'bob', 'carol', 'dave'];
const CHANNELS = ['messaging:general', 'team:ops'];

let redis: Redis;
let prefix: string;
let store: RecordStore;
const clients: GdprClient[] = [];

function client(pseudonymKey?: string): GdprClient {
  const created = createGdprClient({
    redis: 'redis://127.0.0.1:6379',
    prefix,
    ...(pseudonymKey === undefined ? {} : { pseudonymKey }),
  });
  clients.push(created);
  return created;
}

beforeEach(() => {
  redis = new Redis('redis://127.0.0.1:6379');
  prefix = uniquePrefix('seal');
  store = new RecordStore(redis, { prefix, retentionDays: 30 });
});

afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  clients.length = 0;
  await deleteKeysUnder(redis, prefix);
  redis.disconnect();
});

function batch(
  index: number,
  target: BatchOutcome['target'],
  offset: number,
  size: number,
  status: BatchOutcome['status'],
): BatchOutcome {
  return { index, target, offset, size, status, attempts: 1 };
}

/**
 * An erasure as the pipeline leaves it: users in two batches (the second,
 * carol and dave, failed), Stream reported bob as not deleted, one channel
 * is still listed.
 */
async function finishedErasure(requestId: string): Promise<NewRequest> {
  const request = parseErasureInput(
    { requestId, userIds: USERS, channelCids: CHANNELS },
    { maxSubjects: 100 },
  );
  await createRecord(store, request, requestFingerprint(request));
  const batches = [
    batch(0, 'users', 0, 2, 'completed'),
    batch(1, 'users', 2, 2, 'failed'),
    batch(2, 'channels', 0, 2, 'completed'),
  ];
  await store.setMeta(requestId, { batchTotal: batches.length });
  await store.initBatches(requestId, batches);
  await store.addFailures(requestId, [
    {
      subject: 'bob',
      target: 'users',
      reason: { code: 'subject_not_deleted', message: 'Stream said no' },
    },
  ]);
  await redis.rpush(store.keys(requestId).stillListed, 'team:ops');
  await store.setMeta(requestId, {
    verification: JSON.stringify({
      checkedAt: new Date().toISOString(),
      passed: false,
      stillListedCount: 1,
    }),
  });
  return request;
}

/** Every string value stored under the prefix, keys included. */
async function everythingStored(): Promise<string> {
  const keys = await keysUnder(redis, prefix);
  const parts: string[] = [...keys];
  for (const key of keys) {
    const type = await redis.type(key);
    if (type === 'list') parts.push(...(await redis.lrange(key, 0, -1)));
    if (type === 'hash') {
      parts.push(...Object.entries(await redis.hgetall(key)).flat());
    }
    if (type === 'zset') parts.push(...(await redis.zrange(key, 0, -1)));
    if (type === 'string') parts.push((await redis.get(key)) ?? '');
  }

  return parts.join('\n');
}

describe('pseudonymising a finished request', () => {
  it('replaces ids in subjects, failures and still-listed entries by keyed fingerprints', async () => {
    await finishedErasure('seal-1');
    await store.transition('seal-1', 'partially_failed');

    expect(await sealSubjects(store, 'seal-1', KEY)).toBe(true);
    const record = await store.get('seal-1');

    const fp = (kind: 'user' | 'channel', id: string) =>
      subjectFingerprint(KEY, kind, id);
    expect(record?.subjects).toEqual({
      userIds: USERS.map((id) => fp('user', id)),
      channelCids: CHANNELS.map((cid) => fp('channel', cid)),
      pseudonymised: true,
    });
    expect(record?.failures).toEqual([
      {
        subject: fp('user', 'bob'),
        target: 'users',
        reason: { code: 'subject_not_deleted', message: 'Stream said no' },
      },
    ]);
    expect(record?.verification?.stillListed).toEqual([
      fp('channel', 'team:ops'),
    ]);
    expect(record?.counts).toEqual({ users: 4, channels: 2 });
    expect(record?.events.map((e) => e.type)).toContain(
      'subjects_pseudonymised',
    );
    const stored = await everythingStored();
    for (const id of [...USERS, ...CHANNELS]) {
      expect(stored).not.toMatch(new RegExp(`(^|\\n)${id}(\\n|$)`));
    }
  });

  it('seals a list longer than one chunk in order, with the batch verdict of every subject', async () => {
    // 12,000 users: three chunks of sealing, the last one partial; the
    // batch of users 5,000-5,099 failed, across no chunk boundary but
    // right after one.
    const users = Array.from({ length: 12_000 }, (_, i) => `many-${i}`);
    const request = parseErasureInput(
      { requestId: 'seal-many', userIds: users },
      { maxSubjects: 20_000 },
    );
    await createRecord(store, request, requestFingerprint(request));
    const batches = Array.from({ length: 120 }, (_, i) =>
      batch(i, 'users', i * 100, 100, i === 50 ? 'failed' : 'completed'),
    );
    await store.setMeta('seal-many', { batchTotal: batches.length });
    await store.initBatches('seal-many', batches);
    await store.transition('seal-many', 'partially_failed');
    const stored = await store.readIds('seal-many', 'users', 0, 12_000);

    expect(await sealSubjects(store, 'seal-many', KEY)).toBe(true);
    const record = await store.get('seal-many');
    expect(record?.subjects.userIds).toEqual(
      stored.map((id) => subjectFingerprint(KEY, 'user', id)),
    );
    const lookup = client(KEY);
    // Positions in the stored list, which is what batches point into.
    const verdicts = await Promise.all(
      [0, 4999, 5000, 5099, 11_999].map(
        async (at) =>
          (await lookup.findRequestsForSubject(stored[at]!))[0]?.reason,
      ),
    );
    expect(verdicts).toEqual([
      undefined,
      undefined,
      'batch_failed',
      'batch_failed',
      undefined,
    ]);
  });

  it('is done once: a second call changes nothing and fingerprints are not fingerprinted again', async () => {
    await finishedErasure('seal-2');
    await sealSubjects(store, 'seal-2', KEY);
    const first = await store.get('seal-2');

    expect(await sealSubjects(store, 'seal-2', KEY)).toBe(false);
    expect((await store.get('seal-2'))?.subjects).toEqual(first?.subjects);
  });

  it('keeps the TTL of lists that already had one and gives index entries the record retention', async () => {
    await finishedErasure('seal-3');
    await store.transition('seal-3', 'partially_failed');
    await store.expireAfterRetention('seal-3');
    await sealSubjects(store, 'seal-3', KEY);

    const usersTtl = await redis.ttl(store.keys('seal-3').users);
    expect(usersTtl).toBeGreaterThan(29 * 86_400);
    const indexKeys = (await keysUnder(redis, prefix)).filter((key) =>
      key.includes(':idx:subjects:'),
    );
    const buckets = new Set([
      ...USERS.map((id) => subjectFingerprint(KEY, 'user', id).slice(0, 4)),
      ...CHANNELS.map((cid) =>
        subjectFingerprint(KEY, 'channel', cid).slice(0, 4),
      ),
    ]);
    expect(indexKeys).toHaveLength(buckets.size);
    for (const key of indexKeys) {
      expect(await redis.ttl(key)).toBeGreaterThan(29 * 86_400);
    }
  });

  it('starts over cleanly after a sealing that crashed half way', async () => {
    await finishedErasure('seal-4');
    // What a crash leaves: a partial fingerprinted copy beside the list.
    await redis.rpush(`${store.keys('seal-4').users}:sealing`, 'stale');

    await sealSubjects(store, 'seal-4', KEY);

    const record = await store.get('seal-4');
    expect(record?.subjects.userIds).toHaveLength(USERS.length);
    expect(record?.subjects.userIds).not.toContain('stale');
  });
});

describe('findRequestsForSubject', () => {
  it('tells for each subject whether the request erased it, and why not', async () => {
    await finishedErasure('find-1');
    await store.transition('find-1', 'partially_failed');
    await sealSubjects(store, 'find-1', KEY);
    const lookup = client(KEY);

    const verdicts = await Promise.all(
      [...USERS, ...CHANNELS].map(async (subject) => {
        const [match] = await lookup.findRequestsForSubject(subject);
        return [subject, match?.outcome, match?.reason];
      }),
    );

    expect(verdicts).toEqual([
      ['alice', 'erased', undefined],
      ['bob', 'not_erased', 'subject_failed'],
      ['carol', 'not_erased', 'batch_failed'],
      ['dave', 'not_erased', 'batch_failed'],
      ['messaging:general', 'erased', undefined],
      ['team:ops', 'not_erased', 'still_listed'],
    ]);
    const [alice] = await lookup.findRequestsForSubject('alice', 'user');
    expect(alice).toEqual({
      requestId: 'find-1',
      kind: 'erasure',
      status: 'partially_failed',
      finishedAt: expect.any(String),
      subjectKind: 'user',
      outcome: 'erased',
      erased: true,
      pseudonymised: true,
    });
  });

  it('finds pseudonymised requests only with their key, and requests that kept their ids without one', async () => {
    await finishedErasure('kept-ids');
    await store.transition('kept-ids', 'partially_failed');
    await sealSubjects(store, 'kept-ids', undefined);
    const exportRequest = parseExportInput(
      { requestId: 'pseudo-export', userIds: ['alice'] },
      { maxSubjects: 100 },
    );
    await createRecord(store, exportRequest, requestFingerprint(exportRequest));
    await store.initBatches('pseudo-export', [
      batch(0, 'export', 0, 1, 'completed'),
    ]);
    await store.transition('pseudo-export', 'completed');
    await sealSubjects(store, 'pseudo-export', KEY);

    const withKey = await client(KEY).findRequestsForSubject('alice');
    const withoutKey = await client().findRequestsForSubject('alice');

    expect(
      withKey.map((m) => [m.requestId, m.outcome, m.pseudonymised]),
    ).toEqual([
      ['kept-ids', 'erased', false],
      ['pseudo-export', 'exported', true],
    ]);
    expect(withoutKey.map((m) => m.requestId)).toEqual(['kept-ids']);
    expect((await store.get('kept-ids'))?.subjects.userIds).toEqual(USERS);
    expect(await client(KEY).findRequestsForSubject('nobody')).toEqual([]);
  });

  it('refuses a subject Stream would not accept, or of the wrong kind, with an InputError', async () => {
    const lookup = client(KEY);

    await expect(lookup.findRequestsForSubject('')).rejects.toMatchObject({
      code: 'invalid_input',
    });
    await expect(
      lookup.findRequestsForSubject('alice', 'channel'),
    ).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(
      lookup.findRequestsForSubject('has space'),
    ).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('skips index entries whose record has expired', async () => {
    await finishedErasure('gone');
    await sealSubjects(store, 'gone', KEY);
    const keys = store.keys('gone');
    await redis.del(...Object.values(keys));

    expect(await client(KEY).findRequestsForSubject('alice')).toEqual([]);
  });
});

describe('the subject index', () => {
  /** A finished export of alice alone, sealed without a key. */
  async function exportOfAlice(requestId: string): Promise<void> {
    const request = parseExportInput(
      { requestId, userIds: ['alice'] },
      { maxSubjects: 100 },
    );
    await createRecord(store, request, requestFingerprint(request));
    await store.initBatches(requestId, [batch(0, 'export', 0, 1, 'completed')]);
    await store.transition(requestId, 'completed');
    await sealSubjects(store, requestId, undefined);
  }

  it('keeps one field per subject in a shared bucket, compact enough to stay a listpack', async () => {
    await finishedErasure('bucketed');
    await sealSubjects(store, 'bucketed', undefined);

    const digest = subjectDigest('user', 'alice');
    const bucket = `${prefix}:idx:subjects:d:${digest.slice(0, 4)}`;
    expect(await redis.hget(bucket, digest.slice(4))).toBe('bucketed:d');
    expect(await redis.object('ENCODING', bucket)).toBe('listpack');
  });

  it('finds every request that mentions a subject, once each, even when one is indexed again', async () => {
    await exportOfAlice('first');
    await exportOfAlice('second');
    const alice = subjectDigest('user', 'alice');
    await indexSubjects(
      store,
      'first',
      [{ scheme: 'd', hex: alice, outcome: 'not_processed' }],
      60,
    );

    const matches = await client().findRequestsForSubject('alice');

    expect(
      matches.map((m) => [m.requestId, m.outcome, m.reason]).sort(),
    ).toEqual([
      ['first', 'not_exported', 'not_processed'],
      ['second', 'exported', undefined],
    ]);
  });

  it('remembers a bounded number of requests per subject, dropping the oldest', async () => {
    const hex = subjectDigest('user', 'alice');
    const ids = Array.from(
      { length: MAX_REQUESTS_PER_SUBJECT + 2 },
      (_, i) => `many-${i}`,
    );
    for (const id of ids) {
      await indexSubjects(
        store,
        id,
        [{ scheme: 'd', hex, outcome: 'done' }],
        60,
      );
    }

    const field = await redis.hget(
      `${prefix}:idx:subjects:d:${hex.slice(0, 4)}`,
      hex.slice(4),
    );
    expect(field?.split(',')).toEqual(ids.slice(2).map((id) => `${id}:d`));
  });

  it('never shortens a bucket TTL: it is the longest retention of its entries', async () => {
    const hex = subjectDigest('user', 'alice');
    const bucket = `${prefix}:idx:subjects:d:${hex.slice(0, 4)}`;
    await indexSubjects(
      store,
      'long',
      [{ scheme: 'd', hex, outcome: 'done' }],
      5000,
    );
    await indexSubjects(
      store,
      'short',
      [{ scheme: 'd', hex, outcome: 'done' }],
      100,
    );

    expect(await redis.ttl(bucket)).toBeGreaterThan(4000);
  });
});
