import { Redis } from 'ioredis';

import { createGdprClient } from '../src/requests/gdpr-client.js';
import type { GdprClient } from '../src/requests/gdpr-client-types.js';
import {
  type RequestRecord,
  TERMINAL_STATUSES,
} from '../src/requests/request-record.js';
import { pollUntil, type Scope } from './scope.js';

const WAIT_POLL_MS = 250;

export interface Enqueued {
  readonly requestId: string;
  /** Epoch ms just before `requestErasure` was called. */
  readonly startedAt: number;
  readonly enqueueMs: number;
}

export interface Finished {
  /** From `startedAt` to the record's `finishedAt`, as the worker wrote it. */
  readonly completionMs: number;
  readonly record: RequestRecord;
}

export interface LibraryErasure {
  enqueue(userIds: readonly string[]): Promise<Enqueued>;
  waitFinished(enqueued: Enqueued, timeoutMs: number): Promise<Finished>;
  /** `12 of 50 batches ended, status waiting_on_stream`, for a timeout. */
  describeProgress(enqueued: Enqueued): Promise<string>;
}

/**
 * The producer side as an application uses it: the package's client on
 * its own connection. The scope closes it.
 */
export function openLibraryErasure(
  scope: Scope,
  redisUrl: string,
  prefix: string,
): LibraryErasure {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const client: GdprClient = createGdprClient({ redis, prefix });
  scope.defer(async () => {
    await client.close();
    redis.disconnect();
  });

  return {
    enqueue: async (userIds) => {
      const startedAt = Date.now();
      const started = performance.now();
      const { requestId } = await client.requestErasure({
        userIds,
        mode: 'hard',
      });
      return { requestId, startedAt, enqueueMs: performance.now() - started };
    },
    waitFinished: async (enqueued, timeoutMs) => {
      // Not waitForRequest: it re-reads the whole record on every batch
      // that ends, which for 10,000 batches loads Redis more than the
      // workers do. A fixed, slow poll keeps the instrument light; the
      // time comes from the record's finishedAt, not from the poll.
      const record = await pollUntil(
        `request ${enqueued.requestId}`,
        timeoutMs,
        async () => {
          const current = await client.getRequest(enqueued.requestId, {
            subjectLimit: 0,
          });
          return current !== undefined &&
            TERMINAL_STATUSES.includes(current.status)
            ? current
            : undefined;
        },
        WAIT_POLL_MS,
      );

      const finishedAt =
        record.finishedAt === undefined
          ? Date.now()
          : Date.parse(record.finishedAt);
      return { completionMs: finishedAt - enqueued.startedAt, record };
    },
    describeProgress: async (enqueued) => {
      const record = await client.getRequest(enqueued.requestId, {
        subjectLimit: 0,
      });
      if (record === undefined) return 'request not found';
      const ended = record.batches.filter(
        (batch) => batch.status === 'completed' || batch.status === 'failed',
      ).length;
      return `${ended} of ${record.batches.length} batches ended, request ${record.status}`;
    },
  };
}

/** Batches per second between the first submission and the last batch end. */
export function batchPhase(
  record: RequestRecord,
): { readonly ms: number; readonly batches: number } | undefined {
  const submitted = record.batches
    .map((batch) => batch.submittedAt)
    .filter((at): at is string => at !== undefined)
    .map(Date.parse);
  const finished = record.batches
    .map((batch) => batch.finishedAt)
    .filter((at): at is string => at !== undefined)
    .map(Date.parse);
  if (submitted.length === 0 || finished.length === 0) return undefined;
  const first = submitted.reduce((a, b) => Math.min(a, b));
  const last = finished.reduce((a, b) => Math.max(a, b));
  return { ms: last - first, batches: record.batches.length };
}
