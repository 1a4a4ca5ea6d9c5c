import type { Queue } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import { collectDefaultMetrics, Registry } from 'prom-client';

import { registerQueueMetrics } from './queue-metrics.js';
import { createRateBudgetReader } from './rate-budget-reader.js';
import {
  registerRequestMetrics,
  type RequestStatsSource,
} from './request-metrics.js';
import {
  type RateBudgetReader,
  registerStreamCallMetrics,
} from './stream-call-metrics.js';

export interface MetricsRegistryOptions {
  readonly redis: Redis | Cluster;
  readonly prefix: string;
  readonly queues: readonly Queue[];
  readonly requests: RequestStatsSource;
  readonly readRateBudget?: RateBudgetReader;
  readonly now?: () => number;
}

/**
 * The service's own registry (never prom-client's global one, so two
 * servers in one process, as in tests, do not share families). Labels hold
 * only queue names, job states, endpoints, status classes and request
 * statuses: fixed vocabularies, never a subject or request id.
 */
export function createMetricsRegistry(
  options: MetricsRegistryOptions,
): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'stream_gdpr_' });

  registerQueueMetrics(registry, options.redis, options.queues);
  registerRequestMetrics(registry, {
    redis: options.redis,
    prefix: options.prefix,
    source: options.requests,
    ...(options.now ? { now: options.now } : {}),
  });
  registerStreamCallMetrics(registry, {
    redis: options.redis,
    prefix: options.prefix,
    readRateBudget:
      options.readRateBudget ??
      createRateBudgetReader(options.redis, options.prefix, options.now),
    ...(options.now ? { now: options.now } : {}),
  });
  return registry;
}
