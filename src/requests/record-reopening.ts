import { eventJson, STATUS_ORDER } from './record-codec.js';
import { allRequestKeys } from './record-keys.js';
import { reopenBatchScript } from './record-scripts.js';
import { execOrThrow, type RecordStore } from './record-store.js';
import type { BatchOutcome } from './request-record.js';
import { TERMINAL_STATUSES } from './request-record.js';

/** What `reopenBatch` did. */
export type ReopenResult =
  /** No request has this id. */
  | 'missing'
  /** The request's ids were pseudonymised; nothing changed. */
  | 'sealed'
  /** The export's files were deleted after its retention; nothing changed. */
  | 'export_deleted'
  /** The batch is not (or no longer) failed; nothing changed. */
  | 'not_failed'
  /** The batch was reopened; its request had not concluded yet. */
  | 'batch'
  /** The batch and its concluded request were reopened. */
  | 'request';

/**
 * Puts a failed batch back to work as `outcome` (not ended) in one step:
 * the batch no longer counts as done, the request's `round` grows (so its
 * follow-up jobs get fresh ids) and `markerField` is dropped from its
 * meta. A concluded request goes back to `running`, back into the open
 * index, and loses what its conclusion left: `finishedAt`, `error`, the
 * verification, the webhook delivery, the subject sealing mark and an
 * export's manifest, and its keys no longer expire. Either way every
 * batch's check against Stream and the still-listed list are dropped, so
 * the request is verified afresh. Refused for a pseudonymised request
 * and for an export whose files retention deleted (or began deleting):
 * the rest of the export is gone, so another round could only deliver a
 * part of it.
 */
export async function reopenBatch(
  store: RecordStore,
  requestId: string,
  outcome: BatchOutcome,
  markerField: string,
): Promise<ReopenResult> {
  const keys = store.keys(requestId);
  const deadlineAt = await store.redis.hget(keys.meta, 'deadlineAt');
  if (deadlineAt === null) return 'missing';
  const now = new Date();
  const result = await reopenBatchScript.run(
    store.redis,
    [
      keys.meta,
      keys.batches,
      keys.events,
      keys.stillListed,
      store.index.open,
      keys.verified,
      ...STATUS_ORDER.map((s) => store.index.status(s)),
    ],
    [
      requestId,
      outcome.index,
      JSON.stringify(outcome),
      now.getTime(),
      now.toISOString(),
      eventJson('batch_reopened', now, `batch ${outcome.index}`),
      eventJson('running', now, 'reopened'),
      store.index.updates,
      Date.parse(deadlineAt),
      TERMINAL_STATUSES.join(','),
      STATUS_ORDER.indexOf('running') + 1,
      markerField,
    ],
  );
  if (result === 'request') {
    // The conclusion let every key expire; an open request keeps them.
    const pipeline = store.redis.pipeline();
    for (const key of allRequestKeys(keys)) pipeline.persist(key);
    await execOrThrow(pipeline);
  }

  return result as ReopenResult;
}
