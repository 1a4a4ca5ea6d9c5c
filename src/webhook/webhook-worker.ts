import { Worker } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import type { Logger } from 'pino';

import type { Config } from '../config/config.js';
import { QUEUE_NAMES } from '../queues/queue-names.js';
import {
  processWebhookJob,
  type WebhookJobData,
  type WebhookJobResult,
} from './webhook-processor.js';

export interface WebhookWorkerOptions {
  readonly config: Config;
  readonly logger: Logger;
  /** A BullMQ-ready connection (`maxRetriesPerRequest: null`). */
  readonly connection: Redis | Cluster;
}

/**
 * The worker of the `webhooks` queue. Without WEBHOOK_URL it still runs and
 * completes `deliver` jobs as `not_configured`, so the queue never fills up
 * behind a webhook nobody asked for.
 */
export function createWebhookWorker(
  options: WebhookWorkerOptions,
): Worker<WebhookJobData, WebhookJobResult> {
  const { config, connection, logger } = options;
  const deps = {
    redis: connection,
    prefix: config.redis.prefix,
    url: config.webhook.url,
    secret: config.webhook.secret,
    maxAttempts: config.worker.attempts,
    backoffBaseMs: config.worker.backoffBaseMs,
    backoffMaxMs: config.worker.backoffMaxMs,
    logger,
  };
  const worker = new Worker<WebhookJobData, WebhookJobResult>(
    QUEUE_NAMES.webhooks,
    (job, token) => processWebhookJob(job, token, deps),
    {
      connection,
      prefix: config.redis.prefix,
      concurrency: Math.min(config.worker.concurrency, 8),
      removeOnComplete: { age: config.retention.jobHours * 3600 },
      removeOnFail: { age: config.retention.failedJobHours * 3600 },
    },
  );
  worker.on('error', (error) => {
    logger.warn({ err: error }, 'Webhook worker error');
  });
  return worker;
}
