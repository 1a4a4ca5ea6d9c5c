import type { SubjectNotHandledReason } from './gdpr-client-types.js';
import { eventJson } from './record-codec.js';
import { sealingKeys, subjectIndexKey } from './record-keys.js';
import { sealSubjectsScript } from './record-scripts.js';
import {
  type BatchTargetList,
  execOrThrow,
  type RecordStore,
} from './record-store.js';
import type { BatchOutcome, SubjectFailure } from './request-record.js';
import {
  subjectDigest,
  subjectFingerprint,
  type SubjectKind,
} from './subject-fingerprint.js';

/** What one finished request did with one subject, as the index keeps it. */
export type SubjectOutcomeCode = 'done' | SubjectNotHandledReason;

/** Ids read and indexed per round trip. */
const CHUNK = 5000;

/** Copies of a crashed sealing disappear on their own. */
const COPY_TTL_S = 60 * 60;

const LISTS: readonly { list: BatchTargetList; kind: SubjectKind }[] = [
  { list: 'users', kind: 'user' },
  { list: 'channels', kind: 'channel' },
];

interface OutcomeFacts {
  readonly batches: Record<BatchTargetList, readonly BatchOutcome[]>;
  readonly failed: Record<BatchTargetList, ReadonlySet<string>>;
  readonly stillListed: ReadonlySet<string>;
}

/**
 * Seals a finished request's subjects, once: indexes every subject for
 * `findRequestsForSubject` (a hash per subject, request id → outcome, with
 * the record's retention as TTL) and, given a pseudonym key, replaces the
 * ids in the subject lists, failures and still-listed entries by keyed
 * fingerprints and marks the record `pseudonymised`. Call it after the
 * outcome is final (verification done, manifest written). Safe to repeat
 * and to interrupt: the fingerprinted lists are built beside the real ones
 * and swapped in by one script. Returns false when there was nothing to do.
 */
export async function sealSubjects(
  store: RecordStore,
  requestId: string,
  pseudonymKey: string | undefined,
): Promise<boolean> {
  const meta = await store.meta(requestId);
  if (meta.status === undefined || meta.subjectsSealed === '1') return false;
  const keys = store.keys(requestId);
  const copies = sealingKeys(keys);
  await store.redis.del(...Object.values(copies));

  const facts = await readOutcomeFacts(store, requestId);
  for (const { list, kind } of LISTS) {
    await sealList(store, requestId, { list, kind }, facts, pseudonymKey);
  }

  if (pseudonymKey !== undefined) {
    await copyFailures(store, requestId, pseudonymKey);
  }

  const total = Number(meta.users ?? 0) + Number(meta.channels ?? 0);
  const event =
    pseudonymKey === undefined
      ? ''
      : eventJson('subjects_pseudonymised', new Date(), `${total} subjects`);
  const sealed = await sealSubjectsScript.run(
    store.redis,
    [
      keys.meta,
      keys.events,
      keys.users,
      keys.channels,
      keys.failures,
      keys.stillListed,
      copies.users,
      copies.channels,
      copies.failures,
      copies.stillListed,
    ],
    [pseudonymKey === undefined ? '0' : '1', event, new Date().toISOString()],
  );
  return sealed === 1;
}

async function readOutcomeFacts(
  store: RecordStore,
  requestId: string,
): Promise<OutcomeFacts> {
  const keys = store.keys(requestId);
  const [batchJson, failureJson, stillListed] = (await execOrThrow(
    store.redis
      .pipeline()
      .hgetall(keys.batches)
      .lrange(keys.failures, 0, -1)
      .lrange(keys.stillListed, 0, -1),
  )) as [Record<string, string>, string[], string[]];
  const batches = Object.values(batchJson)
    .map((json) => JSON.parse(json) as BatchOutcome)
    .sort((a, b) => (a.offset ?? 0) - (b.offset ?? 0));
  const failures = failureJson.map(
    (json) => JSON.parse(json) as SubjectFailure,
  );
  const failedIn = (list: BatchTargetList) =>
    new Set(failures.filter((f) => f.target === list).map((f) => f.subject));
  return {
    batches: {
      users: batches.filter((b) => b.target !== 'channels'),
      channels: batches.filter((b) => b.target === 'channels'),
    },
    failed: { users: failedIn('users'), channels: failedIn('channels') },
    stillListed: new Set(stillListed),
  };
}

/** Indexes one subject list and, with a key, builds its fingerprinted copy. */
async function sealList(
  store: RecordStore,
  requestId: string,
  target: { list: BatchTargetList; kind: SubjectKind },
  facts: OutcomeFacts,
  pseudonymKey: string | undefined,
): Promise<void> {
  const { list, kind } = target;
  const copies = sealingKeys(store.keys(requestId));
  const ttl = store.retentionDays * 24 * 60 * 60;
  const batchAt = batchLocator(facts.batches[list]);
  for (let offset = 0; ; offset += CHUNK) {
    const ids = await store.readIds(requestId, list, offset, CHUNK);
    if (ids.length === 0) break;
    const pipeline = store.redis.pipeline();
    const fingerprints: string[] = [];
    const stillListed: string[] = [];
    ids.forEach((id, i) => {
      const outcome = outcomeOf(id, batchAt(offset + i), list, facts);
      const fingerprint =
        pseudonymKey === undefined
          ? undefined
          : subjectFingerprint(pseudonymKey, kind, id);
      const indexKey =
        fingerprint === undefined
          ? subjectIndexKey(store.prefix, 'd', subjectDigest(kind, id))
          : subjectIndexKey(store.prefix, 'k', fingerprint);
      pipeline.hset(indexKey, requestId, outcome);
      pipeline.expire(indexKey, ttl);
      if (fingerprint === undefined) return;
      fingerprints.push(fingerprint);
      // Verification lists users first, then channels: this keeps its order.
      if (facts.stillListed.has(id)) stillListed.push(fingerprint);
    });
    if (fingerprints.length > 0) {
      pipeline.rpush(copies[list], ...fingerprints);
      pipeline.expire(copies[list], COPY_TTL_S);
    }

    if (stillListed.length > 0) {
      pipeline.rpush(copies.stillListed, ...stillListed);
      pipeline.expire(copies.stillListed, COPY_TTL_S);
    }

    await execOrThrow(pipeline);
    if (ids.length < CHUNK) break;
  }
}

/** Builds the failures list with fingerprints in place of the subjects. */
async function copyFailures(
  store: RecordStore,
  requestId: string,
  pseudonymKey: string,
): Promise<void> {
  const keys = store.keys(requestId);
  const copy = sealingKeys(keys).failures;
  for (let offset = 0; ; offset += CHUNK) {
    const entries = await store.redis.lrange(
      keys.failures,
      offset,
      offset + CHUNK - 1,
    );
    if (entries.length === 0) break;
    const rewritten = entries.map((json) => {
      const failure = JSON.parse(json) as SubjectFailure;
      const kind = failure.target === 'channels' ? 'channel' : 'user';
      const subject = subjectFingerprint(pseudonymKey, kind, failure.subject);
      return JSON.stringify({ ...failure, subject });
    });
    await execOrThrow(
      store.redis
        .pipeline()
        .rpush(copy, ...rewritten)
        .expire(copy, COPY_TTL_S),
    );
    if (entries.length < CHUNK) break;
  }
}

function outcomeOf(
  id: string,
  batch: BatchOutcome | undefined,
  list: BatchTargetList,
  facts: OutcomeFacts,
): SubjectOutcomeCode {
  if (batch?.status === 'failed') return 'batch_failed';
  if (batch?.status !== 'completed') return 'not_processed';
  if (facts.failed[list].has(id)) return 'subject_failed';
  if (facts.stillListed.has(id)) return 'still_listed';
  return 'done';
}

/**
 * Finds the batch holding a list position. Positions are asked in rising
 * order, so a cursor over the batches (sorted by offset) is enough.
 */
function batchLocator(batches: readonly BatchOutcome[]) {
  let i = 0;
  return (position: number): BatchOutcome | undefined => {
    while (i < batches.length) {
      const batch = batches[i];
      if (batch === undefined) return undefined;
      const start = batch.offset ?? 0;
      if (position < start) return undefined;
      if (position < start + batch.size) return batch;
      i += 1;
    }

    return undefined;
  };
}
