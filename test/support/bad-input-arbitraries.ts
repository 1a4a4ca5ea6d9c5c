import fc from 'fast-check';

/** Seed of every property in the bad-input suites; printed with the figures. */
export const FAST_CHECK_SEED = 515_151;

/** Ids that Stream and our schema accept. */
const validUserId = fc.stringMatching(/^[a-z][a-z0-9_@-]{0,20}$/);
const validCid = fc
  .tuple(
    fc.stringMatching(/^[a-z]{1,10}$/),
    fc.stringMatching(/^[a-z0-9!_-]{1,20}$/),
  )
  .map(([type, id]) => `${type}:${id}`);

/** Strings a careless caller or an attacker might send as an id. */
const nastyString = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\t',
    '\n',
    '   ',
    ' alice',
    'bob ',
    'a b',
    '\u0000',
    '\u200b',
    'ü',
    '😀',
    'a:b:c',
    'messaging:',
    ':x',
    '__proto__',
    'constructor',
    'toString',
    'x'.repeat(256),
  ),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
);

const anyId = fc.oneof(
  { weight: 3, arbitrary: validUserId },
  { weight: 1, arbitrary: validCid },
  { weight: 3, arbitrary: nastyString },
);

/** Lists: empty, ordinary, with duplicates, huge, or of wrong element types. */
const idList = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.array(validUserId, { minLength: 1, maxLength: 5 }),
  },
  { weight: 2, arbitrary: fc.array(anyId, { maxLength: 6 }) },
  { weight: 1, arbitrary: fc.constant([]) },
  {
    weight: 1,
    arbitrary: validUserId.map((id) => [id, id, id]),
  },
  {
    weight: 1,
    // Over the test's MAX_SUBJECTS_PER_REQUEST of 1,000.
    arbitrary: fc
      .integer({ min: 990, max: 1200 })
      .map((n) => Array.from({ length: n }, (_, i) => `bulk${i}`)),
  },
  {
    weight: 1,
    arbitrary: fc.array(
      fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.object()),
      { minLength: 1, maxLength: 3 },
    ),
  },
);

const cidList = fc.oneof(
  { weight: 3, arbitrary: fc.array(validCid, { minLength: 1, maxLength: 5 }) },
  { weight: 2, arbitrary: fc.array(anyId, { maxLength: 6 }) },
  { weight: 1, arbitrary: fc.constant([]) },
);

const dateValue = fc.oneof(
  fc.date({
    min: new Date('2020-01-01'),
    max: new Date(),
    noInvalidDate: true,
  }),
  fc
    .date({ min: new Date('2020-01-01'), max: new Date(), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc.constantFrom(
    '2026-13-45',
    'yesterday',
    '',
    'NaN',
    '2999-01-01T00:00:00Z',
    '0',
    '2024-02-30T00:00:00Z',
  ),
  fc.constant(new Date(Number.NaN)),
  fc.integer(),
);

/** A value of the wrong type for any field. */
const wrongType = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 10 }),
  fc.object({ maxDepth: 1 }),
  fc.array(fc.integer(), { maxLength: 3 }),
);

const requestId = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,30}$/),
  nastyString,
  wrongType,
);

/** A field and a value; the value fits the field or is deliberately off. */
const erasureField = fc.oneof(
  fc.record({
    key: fc.constant('userIds'),
    value: fc.oneof({ weight: 4, arbitrary: idList }, wrongType),
  }),
  fc.record({
    key: fc.constant('channelCids'),
    value: fc.oneof({ weight: 4, arbitrary: cidList }, wrongType),
  }),
  fc.record({ key: fc.constant('requestId'), value: requestId }),
  fc.record({ key: fc.constant('receivedAt'), value: dateValue }),
  fc.record({
    key: fc.constant('mode'),
    value: fc.oneof(
      fc.constantFrom('hard', 'pruning', 'soft', 'HARD', ''),
      wrongType,
    ),
  }),
  fc.record({
    key: fc.constant('newChannelOwnerId'),
    value: fc.oneof(validUserId, nastyString, wrongType),
  }),
  fc.record({
    key: fc.constant('deleteFiles'),
    value: fc.oneof(fc.boolean(), wrongType),
  }),
  fc.record({
    key: fc.constantFrom(
      '__proto__',
      'constructor',
      'prototype',
      'userids',
      'user_ids',
      'extra',
      'hasOwnProperty',
    ),
    value: fc.oneof(wrongType, idList),
  }),
);

/** Builds an object with own keys (also `__proto__`) from field pairs. */
function toObject(
  fields: readonly { key: string; value: unknown }[],
): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const { key, value } of fields) {
    Object.defineProperty(object, key, {
      value,
      enumerable: true,
      configurable: true,
      writable: true,
    });
  }

  return object;
}

/** A well-formed erasure, so that acceptance is exercised as much as refusal. */
const validErasure = fc.record(
  {
    userIds: fc.array(validUserId, { minLength: 1, maxLength: 5 }),
    channelCids: fc.array(validCid, { minLength: 1, maxLength: 3 }),
    mode: fc.constantFrom('hard', 'pruning'),
    deleteFiles: fc.boolean(),
  },
  { requiredKeys: ['userIds'] },
);

/** Payloads for `requestErasure` / `POST /v1/erasure-requests`. */
export const erasurePayload: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 2, arbitrary: validErasure },
  {
    weight: 6,
    arbitrary: fc
      .array(erasureField, { minLength: 1, maxLength: 5 })
      .map(toObject),
  },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }) },
);

/** Payloads for `requestExport` / `POST /v1/export-requests`. */
export const exportPayload: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      userIds: fc.array(validUserId, { minLength: 1, maxLength: 5 }),
    }),
  },
  {
    weight: 6,
    arbitrary: fc
      .array(
        fc.oneof(
          {
            weight: 3,
            arbitrary: fc.record({
              key: fc.constant('userIds'),
              value: fc.oneof({ weight: 4, arbitrary: idList }, wrongType),
            }),
          },
          fc.record({ key: fc.constant('requestId'), value: requestId }),
          fc.record({ key: fc.constant('receivedAt'), value: dateValue }),
          fc.record({
            key: fc.constantFrom(
              '__proto__',
              'constructor',
              'channelCids',
              'mode',
            ),
            value: fc.oneof(wrongType, cidList),
          }),
        ),
        { minLength: 1, maxLength: 4 },
      )
      .map(toObject),
  },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }) },
);

/** Fields the request schemas know; others are tallied as unknown. */
export const KNOWN_FIELDS = new Set([
  'userIds',
  'channelCids',
  'requestId',
  'receivedAt',
  'mode',
  'newChannelOwnerId',
  'deleteFiles',
]);

/** Rules any accepted id must meet, whatever the schema says. */
export function looksLikeSafeId(id: string): boolean {
  return (
    id.length > 0 &&
    id.length <= 255 &&
    id.trim() === id &&
    !/[\s\p{C}]/u.test(id)
  );
}
