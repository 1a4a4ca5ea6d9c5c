import type { BatchTargetList, RecordStore } from './record-store.js';
import type { BatchOutcome, SubjectFailure } from './request-record.js';
import type { SubjectOutcomeCode } from './subject-index.js';

/** List entries read per round trip while sealing. */
export const CHUNK = 5000;

/** Only what sealing needs of a batch outcome: 10,000 of them per 1M ids. */
export type BatchSpan = Pick<BatchOutcome, 'offset' | 'size' | 'status'>;

/**
 * What decides each subject's verdict. Subject lists are streamed in chunks;
 * only failed and still-listed ids are held, and only as bare strings.
 */
export interface OutcomeFacts {
  readonly batches: Record<BatchTargetList, readonly BatchSpan[]>;
  readonly failed: Record<BatchTargetList, ReadonlySet<string>>;
  readonly stillListed: ReadonlySet<string>;
}

/**
 * Reads what decides each subject's verdict, a chunk per round trip:
 * batch spans, and the failed and still-listed ids as bare strings.
 */
export async function readOutcomeFacts(
  store: RecordStore,
  requestId: string,
): Promise<OutcomeFacts> {
  const keys = store.keys(requestId);
  // Keyed by field: HSCAN may return an entry twice while Redis rehashes.
  const spans = new Map<string, BatchSpan & Pick<BatchOutcome, 'target'>>();
  let cursor = '0';
  do {
    const [next, flat] = await store.redis.hscan(
      keys.batches,
      cursor,
      'COUNT',
      CHUNK,
    );
    cursor = next;
    for (let i = 1; i < flat.length; i += 2) {
      const { target, offset, size, status } = JSON.parse(
        flat[i] ?? '{}',
      ) as BatchOutcome;
      spans.set(flat[i - 1] ?? '', {
        target,
        size,
        status,
        ...(offset === undefined ? {} : { offset }),
      });
    }
  } while (cursor !== '0');
  const sorted = [...spans.values()].sort(
    (a, b) => (a.offset ?? 0) - (b.offset ?? 0),
  );

  const failed = { users: new Set<string>(), channels: new Set<string>() };
  await forEachChunk(store, keys.failures, (entries) => {
    for (const json of entries) {
      const failure = JSON.parse(json) as SubjectFailure;
      failed[failure.target === 'channels' ? 'channels' : 'users'].add(
        failure.subject,
      );
    }
  });
  const stillListed = new Set<string>();
  await forEachChunk(store, keys.stillListed, (entries) => {
    for (const id of entries) stillListed.add(id);
  });
  return {
    batches: {
      users: sorted.filter((b) => b.target !== 'channels'),
      channels: sorted.filter((b) => b.target === 'channels'),
    },
    failed,
    stillListed,
  };
}

/** Reads a list CHUNK entries at a time, so no reply holds all of it. */
export async function forEachChunk(
  store: RecordStore,
  key: string,
  use: (entries: string[]) => void | Promise<void>,
): Promise<void> {
  for (let offset = 0; ; offset += CHUNK) {
    const entries = await store.redis.lrange(key, offset, offset + CHUNK - 1);
    if (entries.length > 0) await use(entries);
    if (entries.length < CHUNK) return;
  }
}

/** One subject's verdict, given the batch holding its list position. */
export function outcomeOf(
  id: string,
  batch: BatchSpan | undefined,
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
export function batchLocator(batches: readonly BatchSpan[]) {
  let i = 0;
  return (position: number): BatchSpan | undefined => {
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
