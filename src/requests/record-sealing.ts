import { eventJson } from './record-codec.js';
import { sealingKeys } from './record-keys.js';
import { sealSubjectsScript } from './record-scripts.js';
import {
  type BatchTargetList,
  execOrThrow,
  type RecordStore,
} from './record-store.js';
import type { SubjectFailure } from './request-record.js';
import {
  batchLocator,
  CHUNK,
  forEachChunk,
  type OutcomeFacts,
  outcomeOf,
  readOutcomeFacts,
} from './sealing-facts.js';
import {
  subjectDigest,
  subjectFingerprint,
  type SubjectKind,
} from './subject-fingerprint.js';
import { indexSubjects, type SubjectIndexEntry } from './subject-index.js';

export type { SubjectOutcomeCode } from './subject-index.js';

/** Copies of a crashed sealing disappear on their own. */
const COPY_TTL_S = 60 * 60;

const LISTS: readonly { list: BatchTargetList; kind: SubjectKind }[] = [
  { list: 'users', kind: 'user' },
  { list: 'channels', kind: 'channel' },
];

/**
 * Seals a finished request's subjects, once: indexes every subject for
 * `findRequestsForSubject` (bucketed hashes, see subject-index.ts, with
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

/**
 * Indexes one subject list and, with a key, builds its fingerprinted copy,
 * chunk by chunk. The next chunk is read while this one is hashed, and a
 * chunk is hashed while the one before it is written, so Redis and this
 * process work at the same time; writes go out one chunk at a time, in
 * list order.
 */
async function sealList(
  store: RecordStore,
  requestId: string,
  target: { list: BatchTargetList; kind: SubjectKind },
  facts: OutcomeFacts,
  pseudonymKey: string | undefined,
): Promise<void> {
  const { list } = target;
  const read = (offset: number) =>
    awaitedLater(store.readIds(requestId, list, offset, CHUNK));
  let next = read(0);
  let writing: Promise<unknown> = Promise.resolve();
  for (let offset = 0; ; offset += CHUNK) {
    const ids = await next;
    if (ids.length === 0) break;
    const more = ids.length === CHUNK;
    if (more) next = read(offset + CHUNK);
    const sealed = sealChunk(ids, offset, target, facts, pseudonymKey);
    await writing;
    writing = awaitedLater(writeChunk(store, requestId, list, sealed));
    if (!more) break;
  }

  await writing;
}

/**
 * Marks a promise that is awaited later, after other awaits, so a
 * rejection meanwhile is not reported (and fatal) as unhandled; awaiting
 * it still throws.
 */
function awaitedLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

interface SealedChunk {
  readonly entries: readonly SubjectIndexEntry[];
  readonly fingerprints: readonly string[];
  readonly stillListed: readonly string[];
}

/** Index entries (and, with a key, fingerprints) of one chunk of ids. */
function sealChunk(
  ids: readonly string[],
  offset: number,
  target: { list: BatchTargetList; kind: SubjectKind },
  facts: OutcomeFacts,
  pseudonymKey: string | undefined,
): SealedChunk {
  const { list, kind } = target;
  const batchAt = batchLocator(facts.batches[list]);
  const entries: SubjectIndexEntry[] = [];
  const fingerprints: string[] = [];
  const stillListed: string[] = [];
  ids.forEach((id, i) => {
    const outcome = outcomeOf(id, batchAt(offset + i), list, facts);
    if (pseudonymKey === undefined) {
      entries.push({ scheme: 'd', hex: subjectDigest(kind, id), outcome });
      return;
    }

    const fingerprint = subjectFingerprint(pseudonymKey, kind, id);
    entries.push({ scheme: 'k', hex: fingerprint, outcome });
    fingerprints.push(fingerprint);
    // Verification lists users first, then channels: this keeps its order.
    if (facts.stillListed.has(id)) stillListed.push(fingerprint);
  });
  return { entries, fingerprints, stillListed };
}

async function writeChunk(
  store: RecordStore,
  requestId: string,
  list: BatchTargetList,
  { entries, fingerprints, stillListed }: SealedChunk,
): Promise<void> {
  const copies = sealingKeys(store.keys(requestId));
  const ttl = store.retentionDays * 24 * 60 * 60;
  const pipeline = store.redis.pipeline();
  if (fingerprints.length > 0) {
    pipeline.rpush(copies[list], ...fingerprints);
    pipeline.expire(copies[list], COPY_TTL_S);
  }

  if (stillListed.length > 0) {
    pipeline.rpush(copies.stillListed, ...stillListed);
    pipeline.expire(copies.stillListed, COPY_TTL_S);
  }

  await Promise.all([
    indexSubjects(store, requestId, entries, ttl),
    pipeline.length > 0 ? execOrThrow(pipeline) : undefined,
  ]);
}

/** Builds the failures list with fingerprints in place of the subjects. */
async function copyFailures(
  store: RecordStore,
  requestId: string,
  pseudonymKey: string,
): Promise<void> {
  const keys = store.keys(requestId);
  const copy = sealingKeys(keys).failures;
  await forEachChunk(store, keys.failures, async (entries) => {
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
  });
}
