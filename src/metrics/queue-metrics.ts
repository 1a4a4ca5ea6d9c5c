import type { Queue } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import { Counter, Gauge, type Registry } from 'prom-client';

import { JobOutcomeCounter } from './job-outcomes.js';
import { sharedWhileInFlight } from './shared-read.js';

/** Job states reported as queue depth, in BullMQ's own names. */
export const QUEUE_STATES = [
  'waiting',
  'active',
  'delayed',
  'prioritized',
  'waiting-children',
  'completed',
  'failed',
] as const;

/**
 * Queue depth by queue and state, read on scrape; and jobs completed and
 * failed, counted from the queues' event streams while this server runs
 * (Prometheus's `rate()` handles the reset when it restarts).
 */
export function registerQueueMetrics(
  registry: Registry,
  redis: Redis | Cluster,
  queues: readonly Queue[],
): void {
  new Gauge({
    name: 'stream_gdpr_queue_jobs',
    help: 'Jobs in each queue by state.',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      const counts = await Promise.all(
        queues.map((queue) => queue.getJobCounts(...QUEUE_STATES)),
      );
      queues.forEach((queue, index) => {
        for (const state of QUEUE_STATES) {
          const value = counts[index]?.[state] ?? 0;
          this.set({ queue: queue.name, state }, value);
        }
      });
    },
  });

  const outcomes = new JobOutcomeCounter(redis, queues);
  const read = sharedWhileInFlight(() => outcomes.read());

  new Counter({
    name: 'stream_gdpr_jobs_completed_total',
    help: 'Jobs that completed, by queue, counted since this server started.',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const [queue, totals] of await read())
        this.inc({ queue }, totals.completed);
    },
  });
  new Counter({
    name: 'stream_gdpr_jobs_failed_total',
    help: 'Jobs that failed for good (retries exhausted), by queue, counted since this server started.',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const [queue, totals] of await read())
        this.inc({ queue }, totals.failed);
    },
  });
}
