import { Redis } from 'ioredis';

import { InputError } from '../../src/errors/input-error.js';
import { RedisUnavailableError } from '../../src/errors/redis-unavailable-error.js';
import { createGdprClient } from '../../src/requests/gdpr-client.js';
import type {
  ErasureRequestInput,
  GdprClient,
} from '../../src/requests/gdpr-client-types.js';
import { freePort } from '../../src/support/free-port.js';
import {
  deleteKeysUnder,
  keysUnder,
  uniquePrefix,
} from '../support/test-env.js';

describe('createGdprClient input validation', () => {
  const prefix = uniquePrefix('input');
  let redis: Redis;
  let client: GdprClient;

  beforeAll(() => {
    redis = new Redis('redis://127.0.0.1:6379');
    client = createGdprClient({
      redis: 'redis://127.0.0.1:6379',
      prefix,
      maxSubjectsPerRequest: 10,
    });
  });

  afterAll(async () => {
    await client.close();
    await deleteKeysUnder(redis, prefix);
    redis.disconnect();
  });

  const cases: [string, unknown, string, RegExp | null][] = [
    ['an empty user list', { userIds: [] }, 'userIds', null],
    ['no subjects at all', {}, 'userIds', null],
    ['an empty id', { userIds: [''] }, 'userIds.0', null],
    ['an id with spaces', { userIds: ['a b'] }, 'userIds.0', null],
    [
      'an id with a control character',
      { userIds: ['ab\u0007'] },
      'userIds.0',
      null,
    ],
    ['a cid without a type', { channelCids: ['abc'] }, 'channelCids.0', null],
    [
      'a soft delete',
      { userIds: ['u1'], mode: 'soft' },
      'mode',
      /not an erasure/,
    ],
    [
      'an unknown option',
      { userIds: ['u1'], hardDelete: true },
      'hardDelete',
      /unknown field/,
    ],
    [
      'a request id with a colon',
      { userIds: ['u1'], requestId: 'a:b' },
      'requestId',
      null,
    ],
    [
      'an email as request id',
      { userIds: ['u1'], requestId: 'x@y.z' },
      'requestId',
      null,
    ],
    [
      'a date in the future',
      { userIds: ['u1'], receivedAt: '2999-01-01T00:00:00Z' },
      'receivedAt',
      null,
    ],
    [
      'a date that is not one',
      { userIds: ['u1'], receivedAt: 'yesterday' },
      'receivedAt',
      null,
    ],
    [
      'more subjects than allowed',
      { userIds: Array.from({ length: 11 }, (_, i) => `u${i}`) },
      'userIds',
      /at most 10 subjects/,
    ],
  ];

  it.each(cases)(
    'refuses %s with an InputError naming the field, writing nothing',
    async (_title, input, field, message) => {
      const error = await client
        .requestErasure(input as ErasureRequestInput)
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(InputError);
      const issues = (error as InputError).issues;
      expect(issues.map((i) => i.field)).toContain(field);
      expect((error as InputError).message).toMatch(message ?? /./);
      expect(await keysUnder(redis, prefix)).toEqual([]);
    },
  );

  it('never echoes the offending value in the message', async () => {
    const error = await client
      .requestErasure({ userIds: ['jane.doe@example.com'] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).not.toContain('jane');
  });

  it('removes duplicate ids and sets the deadline one calendar month after receipt', async () => {
    const { record } = await client.requestErasure({
      userIds: ['d1', 'd2', 'd1'],
      receivedAt: '2026-01-31T10:00:00.000Z',
    });
    expect(record.subjects.userIds).toEqual(['d1', 'd2']);
    expect(record.counts.users).toBe(2);
    expect(record.deadlineAt).toBe('2026-02-28T10:00:00.000Z');
    expect(record.status).toBe('queued');
  });

  it('requires user ids for an export', async () => {
    await expect(client.requestExport({} as never)).rejects.toMatchObject({
      code: 'invalid_input',
      field: 'userIds',
    });
  });
});

describe('createGdprClient without Redis', () => {
  it('answers RedisUnavailableError within seconds', async () => {
    const port = await freePort();
    const client = createGdprClient({ redis: `redis://127.0.0.1:${port}` });
    const started = Date.now();
    await expect(
      client.requestErasure({ userIds: ['u1'] }),
    ).rejects.toBeInstanceOf(RedisUnavailableError);
    await expect(client.getRequest('some-id')).rejects.toMatchObject({
      code: 'redis_unavailable',
    });
    expect(Date.now() - started).toBeLessThan(8000);
    await client.close();
  });
});
