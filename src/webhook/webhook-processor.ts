import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import type { Logger } from 'pino';

import { RecordStore } from '../requests/record-store.js';
import { isValidRequestId } from '../requests/request-id.js';
import { TERMINAL_STATUSES } from '../requests/request-record.js';
import {
  readDelivery,
  type WebhookDelivery,
  writeDelivery,
} from './delivery-status.js';
import { postWebhook } from './post-webhook.js';
import { WebhookDeliveryError } from './webhook-errors.js';
import { toWebhookSummary } from './webhook-summary.js';

/** Data of a `deliver` job on the webhooks queue. */
export interface WebhookJobData {
  readonly requestId: string;
}

export type WebhookJobResult =
  | {
      readonly outcome: 'delivered';
      readonly attempts: number;
      readonly status: number;
    }
  | {
      readonly outcome:
        | 'not_configured'
        | 'record_missing'
        | 'not_finished'
        | 'already_delivered';
    };

export interface WebhookDeps {
  readonly redis: Redis | Cluster;
  readonly prefix: string;
  readonly url: string | undefined;
  readonly secret: string | undefined;
  /** Deliveries tried before giving up (JOB_ATTEMPTS). */
  readonly maxAttempts: number;
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
  readonly logger: Logger;
}

/**
 * Delivers one completion webhook. Retries are scheduled here, not by the
 * job's `attempts` option, so they work however the job was added: a failed
 * POST moves the job back to delayed with exponential backoff and jitter,
 * and the count lives in the record's delivery status. Once delivered for
 * a status, a repeated job for the same status sends nothing.
 */
export async function processWebhookJob(
  job: Job<WebhookJobData>,
  token: string | undefined,
  deps: WebhookDeps,
): Promise<WebhookJobResult> {
  const requestId = job.data?.requestId;
  if (typeof requestId !== 'string' || !isValidRequestId(requestId)) {
    throw new UnrecoverableError('webhook job without a valid requestId');
  }
  const logger = deps.logger.child({
    requestId,
    jobId: job.id,
    queue: job.queueName,
  });
  if (!deps.url || !deps.secret) return { outcome: 'not_configured' };

  const store = new RecordStore(deps.redis, { prefix: deps.prefix });
  const record = await store.get(requestId, { subjectLimit: 0 });
  if (!record) return { outcome: 'record_missing' };
  if (!TERMINAL_STATUSES.includes(record.status))
    return { outcome: 'not_finished' };

  const previous = await readDelivery(deps.redis, deps.prefix, requestId);
  const sameStatus = previous?.requestStatus === record.status;
  if (sameStatus && previous?.state === 'delivered') {
    return { outcome: 'already_delivered' };
  }

  const attempts =
    (sameStatus && previous?.state === 'pending' ? previous.attempts : 0) + 1;
  const body = JSON.stringify(toWebhookSummary(record));
  const answer = await postWebhook(deps.url, deps.secret, body);
  const at = new Date().toISOString();
  const delivery: WebhookDelivery = {
    state: 'pending',
    requestStatus: record.status,
    attempts,
    lastStatus: answer.status,
    lastAttemptAt: at,
  };

  if (answer.ok) {
    await writeDelivery(deps.redis, deps.prefix, requestId, {
      ...delivery,
      state: 'delivered',
      deliveredAt: at,
    });
    logger.info({ attempts, status: answer.status }, 'Webhook delivered');
    return { outcome: 'delivered', attempts, status: answer.status };
  }

  const error = new WebhookDeliveryError(
    answer.status,
    attempts,
    attempts < deps.maxAttempts,
  );
  if (!error.retryable) {
    await writeDelivery(deps.redis, deps.prefix, requestId, {
      ...delivery,
      state: 'failed',
      failedAt: at,
    });
    logger.error({ err: error, attempts }, 'Webhook given up');
    throw new UnrecoverableError(error.message);
  }

  await writeDelivery(deps.redis, deps.prefix, requestId, delivery);
  const delayMs = backoff(attempts, deps.backoffBaseMs, deps.backoffMaxMs);
  logger.warn(
    { err: error, attempts, delayMs },
    'Webhook not delivered; will retry',
  );
  if (token === undefined) throw error;
  await job.moveToDelayed(Date.now() + delayMs, token);
  throw new DelayedError();
}

/** Exponential, capped, with half of it jittered so receivers are not hit in step. */
export function backoff(
  attempt: number,
  baseMs: number,
  maxMs: number,
): number {
  const full = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
  return Math.round(full / 2 + (Math.random() * full) / 2);
}
