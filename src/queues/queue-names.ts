/**
 * The BullMQ queues the service runs. Producers, workers and the dashboard
 * all take names from here. Names carry no request data.
 */
export const QUEUE_NAMES = {
  /** One job per request: validates the stored plan and fans out batches. */
  requests: 'requests',
  /** One job per Stream batch: submit, then poll the task without blocking. */
  batches: 'batches',
  /** One job per request once every batch ended: verify and conclude. */
  finalize: 'finalize',
  /** Completion webhooks, retried on their own. */
  webhooks: 'webhooks',
  /** Scheduled housekeeping: export retention. */
  maintenance: 'maintenance',
} as const;

export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];

export const ALL_QUEUES: readonly QueueName[] = Object.values(QUEUE_NAMES);
