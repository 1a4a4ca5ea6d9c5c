import { Queue } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import type { Logger } from 'pino';

import { InputError } from '../errors/input-error.js';
import { RequestConflictError } from '../errors/request-conflict-error.js';
import { JOB_NAMES, jobIds } from '../queues/job-ids.js';
import { deadlinePriority, retryingJob } from '../queues/job-options.js';
import { QUEUE_NAMES } from '../queues/queue-names.js';
import { requestFingerprint } from './fingerprint.js';
import type {
  EnqueueResult,
  ErasureRequestInput,
  ExportRequestInput,
  GdprClient,
  WaitOptions,
} from './gdpr-client-types.js';
import { createRecord } from './record-creation.js';
import { type GetOptions, RecordStore } from './record-store.js';
import { openProducerConnection, withRedis } from './redis-access.js';
import { isValidRequestId, REQUEST_ID_RULE } from './request-id.js';
import {
  type NewRequest,
  parseErasureInput,
  parseExportInput,
} from './request-input.js';
import type { RequestRecord } from './request-record.js';
import { findSubjectRequests, subjectKindOf } from './subject-lookup.js';
import { waitForRecord } from './wait-for-request.js';

export interface GdprClientOptions {
  /** A Redis URL (the client owns that connection) or a connection. */
  readonly redis: string | Redis | Cluster;
  /** Key prefix shared with the workers; `gdpr` by default. */
  readonly prefix?: string;
  /** Largest request accepted; 1,000,000 subjects by default. */
  readonly maxSubjectsPerRequest?: number;
  /**
   * RECORD_PSEUDONYM_KEY, for `findRequestsForSubject` to find requests
   * whose records keep fingerprints instead of ids.
   */
  readonly pseudonymKey?: string | undefined;
  readonly logger?: Logger;
}

/** Attempts of a plan job; planning only touches Redis. */
const PLAN_ATTEMPTS = 10;

/** Subject ids returned with an enqueue result, at most. */
const RESULT_SUBJECTS = 1000;

/**
 * The producer library: validates a request, stores its record and queues
 * its plan job. Invalid input throws `InputError` before Redis is touched;
 * an id already used for the same content returns the existing request
 * (`created: false`, nothing queued, no Stream call); for other content it
 * throws `RequestConflictError`.
 */
export function createGdprClient(options: GdprClientOptions): GdprClient {
  const owned = typeof options.redis === 'string';
  const redis =
    typeof options.redis === 'string'
      ? openProducerConnection(options.redis)
      : options.redis;
  if (owned) {
    redis.on('error', (err: unknown) => {
      options.logger?.debug({ err }, 'Redis connection error');
    });
  }

  const prefix = options.prefix ?? 'gdpr';
  const maxSubjects = options.maxSubjectsPerRequest ?? 1_000_000;
  const store = new RecordStore(redis, { prefix });
  let queue: Queue | undefined;
  const plans = () => {
    if (queue === undefined) {
      queue = new Queue(QUEUE_NAMES.requests, { connection: redis, prefix });
      // Without a listener BullMQ prints connection errors to the console.
      queue.on('error', (err) => {
        options.logger?.debug({ err }, 'queue connection error');
      });
    }

    return queue;
  };

  async function enqueue(request: NewRequest): Promise<EnqueueResult> {
    const fingerprint = requestFingerprint(request);
    const outcome = await withRedis(() =>
      createRecord(store, request, fingerprint),
    );
    if (!outcome.created) {
      const sameTime =
        !request.receivedAtGiven ||
        outcome.receivedAt === request.receivedAt.toISOString();
      if (outcome.fingerprint !== fingerprint || !sameTime) {
        throw new RequestConflictError(request.id);
      }
    }

    const record = await withRedis(() =>
      store.get(request.id, { subjectLimit: RESULT_SUBJECTS }),
    );
    if (record === undefined) throw new RequestConflictError(request.id);
    // Also repairs a crash between writing the record and adding the job:
    // a request still queued gets its plan job (deduplicated by job id).
    if (outcome.created || record.status === 'queued') {
      await withRedis(() =>
        plans().add(
          JOB_NAMES.plan,
          { requestId: request.id },
          retryingJob(jobIds.plan(request.id), PLAN_ATTEMPTS, {
            priority: deadlinePriority(request.deadlineAt),
          }),
        ),
      );
    }

    options.logger?.info(
      { requestId: request.id, kind: request.kind, created: outcome.created },
      outcome.created ? 'request enqueued' : 'request already exists',
    );
    return { requestId: request.id, created: outcome.created, record };
  }

  return {
    async requestErasure(input: ErasureRequestInput) {
      return enqueue(parseErasureInput(input, { maxSubjects }));
    },

    async requestExport(input: ExportRequestInput) {
      return enqueue(parseExportInput(input, { maxSubjects }));
    },

    async getRequest(
      requestId: string,
      getOptions?: GetOptions,
    ): Promise<RequestRecord | undefined> {
      checkRequestId(requestId);
      return withRedis(() => store.get(requestId, getOptions));
    },

    async waitForRequest(requestId: string, waitOptions?: WaitOptions) {
      checkRequestId(requestId);
      return waitForRecord(store, requestId, waitOptions);
    },

    async findRequestsForSubject(subject: string, kind?: 'user' | 'channel') {
      const subjectKind = subjectKindOf(subject, kind);
      return withRedis(() =>
        findSubjectRequests(store, subject, subjectKind, options.pseudonymKey),
      );
    },

    async close() {
      await withRedis(async () => queue?.close()).catch(() => undefined);
      if (owned) redis.disconnect();
    },
  };
}

function checkRequestId(requestId: string): void {
  if (typeof requestId !== 'string' || !isValidRequestId(requestId)) {
    throw new InputError([{ field: 'requestId', message: REQUEST_ID_RULE }]);
  }
}
