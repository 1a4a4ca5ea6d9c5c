import fc from 'fast-check';
import { Redis } from 'ioredis';

import { InputError } from '../../src/errors/input-error.js';
import { RequestConflictError } from '../../src/errors/request-conflict-error.js';
import { createGdprClient } from '../../src/requests/gdpr-client.js';
import type {
  EnqueueResult,
  ErasureRequestInput,
  ExportRequestInput,
  GdprClient,
} from '../../src/requests/gdpr-client-types.js';
import {
  erasurePayload,
  exportPayload,
  FAST_CHECK_SEED,
  KNOWN_FIELDS,
  looksLikeSafeId,
} from '../support/bad-input-arbitraries.js';
import { printFigures } from '../support/figures.js';
import {
  type PrivateRedis,
  startPrivateRedis,
} from '../support/private-redis.js';
import { uniquePrefix } from '../support/test-env.js';

const RUNS = 1500;
const MAX_SUBJECTS = 1000;

interface Tally {
  accepted: number;
  repeated: number;
  invalidInput: number;
  conflict: number;
  /** First field at fault of each InputError. */
  rejectedFields: Record<string, number>;
}

function emptyTally(): Tally {
  return {
    accepted: 0,
    repeated: 0,
    invalidInput: 0,
    conflict: 0,
    rejectedFields: {},
  };
}

/**
 * The library's answer to one payload, checked against the contract: a
 * stored request with sane ids, or a typed rejection that wrote nothing.
 * A private redis-server makes DBSIZE an exact "nothing was written".
 */
async function checkOne(
  admin: Redis,
  tally: Tally,
  call: () => Promise<EnqueueResult>,
): Promise<void> {
  const before = await admin.dbsize();
  // `then` also catches a synchronous throw, so the property checks the
  // outcome; the test below pins that it must be a rejection.
  const outcome = await Promise.resolve()
    .then(call)
    .then(
      (result) => ({ ok: true as const, result }),
      (error: unknown) => ({ ok: false as const, error }),
    );
  const after = await admin.dbsize();

  if (outcome.ok) {
    const { record, created } = outcome.result;
    const ids = [...record.subjects.userIds, ...record.subjects.channelCids];
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.length).toBeLessThanOrEqual(MAX_SUBJECTS);
    expect(ids.filter((id) => !looksLikeSafeId(id))).toEqual([]);
    expect(new Set(record.subjects.userIds).size).toBe(
      record.subjects.userIds.length,
    );
    if (created) tally.accepted += 1;
    else tally.repeated += 1;
    return;
  }

  const { error } = outcome;
  if (!(error instanceof InputError || error instanceof RequestConflictError)) {
    throw error;
  }
  expect(after).toBe(before);
  if (error instanceof RequestConflictError) {
    tally.conflict += 1;
    return;
  }

  tally.invalidInput += 1;
  const first = error.field.split('.')[0] ?? '';
  const field =
    first === ''
      ? '(whole input)'
      : KNOWN_FIELDS.has(first)
        ? first
        : '(unknown field)';
  tally.rejectedFields[field] = (tally.rejectedFields[field] ?? 0) + 1;
}

describe('bad input to the library (property-based, fast-check)', () => {
  let redis: PrivateRedis;
  let admin: Redis;
  let client: GdprClient;
  const figures: Record<string, unknown> = { seed: FAST_CHECK_SEED };

  beforeAll(async () => {
    redis = await startPrivateRedis();
    admin = new Redis(redis.url);
    client = createGdprClient({
      redis: redis.url,
      prefix: uniquePrefix('input-lib'),
      maxSubjectsPerRequest: MAX_SUBJECTS,
    });
  });

  afterAll(async () => {
    printFigures('bad-input-library', figures);
    await client.close();
    admin.disconnect();
    await redis.stop();
  });

  it('stores each generated erasure payload as a sane request or rejects it with InputError, writing nothing', async () => {
    const tally = emptyTally();
    await fc.assert(
      fc.asyncProperty(erasurePayload, (payload) =>
        checkOne(admin, tally, () =>
          client.requestErasure(payload as ErasureRequestInput),
        ),
      ),
      { seed: FAST_CHECK_SEED, numRuns: RUNS },
    );
    figures['erasure'] = { runs: RUNS, ...tally };
    expect(tally.accepted).toBeGreaterThan(0);
    expect(tally.invalidInput).toBeGreaterThan(RUNS / 4);
  }, 120_000);

  it('stores each generated export payload as a sane request or rejects it with InputError, writing nothing', async () => {
    const tally = emptyTally();
    await fc.assert(
      fc.asyncProperty(exportPayload, (payload) =>
        checkOne(admin, tally, () =>
          client.requestExport(payload as ExportRequestInput),
        ),
      ),
      { seed: FAST_CHECK_SEED, numRuns: RUNS },
    );
    figures['export'] = { runs: RUNS, ...tally };
    expect(tally.accepted).toBeGreaterThan(0);
    expect(tally.invalidInput).toBeGreaterThan(RUNS / 4);
  }, 120_000);

  it('refuses soft deletes, whitespace ids and __proto__ keys by name', async () => {
    const erase = (input: unknown) =>
      Promise.resolve().then(() =>
        client.requestErasure(input as ErasureRequestInput),
      );
    await expect(
      erase({ userIds: ['alice'], mode: 'soft' }),
    ).rejects.toMatchObject({ code: 'invalid_input', field: 'mode' });
    await expect(erase({ userIds: [' alice'] })).rejects.toMatchObject({
      code: 'invalid_input',
      field: 'userIds.0',
    });
    const poisoned: unknown = JSON.parse(
      '{"__proto__":{"x":1},"userIds":["alice"]}',
    );
    await expect(erase(poisoned)).rejects.toBeInstanceOf(InputError);
  });

  // Callers write `client.requestErasure(x).catch(...)`; a synchronous
  // throw escapes that and crashes a caller that did not expect it.
  it('answers invalid input with a rejected promise, never a synchronous throw', () => {
    let thrown: unknown;
    let promise: Promise<unknown> | undefined;
    try {
      promise = client.requestErasure({ userIds: [] });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeUndefined();
    return expect(promise).rejects.toBeInstanceOf(InputError);
  });
});
