import type { Cluster, Redis } from 'ioredis';
import { Counter, Gauge, type Registry } from 'prom-client';

import type { StreamEndpoint } from '../stream/stream-types.js';
import { RedisBackedHistogram } from './redis-histogram.js';
import { sharedWhileInFlight } from './shared-read.js';
import {
  readStreamMetrics,
  type StreamMetricsSnapshot,
} from './stream-metrics-reader.js';

/** Remaining calls per endpoint in the workers' shared budget, if known. */
export type RateBudgetReader = () => Promise<
  ReadonlyMap<StreamEndpoint, number>
>;

export interface StreamCallMetricsOptions {
  readonly redis: Redis | Cluster;
  readonly prefix: string;
  /** The workers' shared budget; what Stream last reported fills gaps. */
  readonly readRateBudget?: RateBudgetReader;
  readonly now?: () => number;
}

/**
 * Stream call families, filled on scrape from the totals the workers keep
 * in Redis. The counters are reset and set to those totals each time: they
 * count across every worker process, not in this one.
 */
export function registerStreamCallMetrics(
  registry: Registry,
  options: StreamCallMetricsOptions,
): void {
  const now = options.now ?? Date.now;
  const snapshot = sharedWhileInFlight(() =>
    readStreamMetrics(options.redis, options.prefix),
  );

  new Counter({
    name: 'stream_gdpr_stream_calls_total',
    help: 'Calls to Stream by endpoint and status class (none = no response).',
    labelNames: ['endpoint', 'status_class'],
    registers: [registry],
    async collect() {
      const { calls } = await snapshot();
      this.reset();
      for (const c of calls) {
        this.inc(
          { endpoint: c.endpoint, status_class: c.statusClass },
          c.count,
        );
      }
    },
  });

  new Counter({
    name: 'stream_gdpr_stream_rate_limited_total',
    help: 'Calls Stream answered with 429, by endpoint.',
    labelNames: ['endpoint'],
    registers: [registry],
    async collect() {
      const { calls } = await snapshot();
      this.reset();
      for (const c of calls) {
        if (c.statusClass === '429')
          this.inc({ endpoint: c.endpoint }, c.count);
      }
    },
  });

  registry.registerMetric(
    new RedisBackedHistogram(
      'stream_gdpr_stream_call_duration_seconds',
      'Latency of Stream calls by endpoint, including failed ones.',
      async () => (await snapshot()).latency,
    ),
  );

  new Gauge({
    name: 'stream_gdpr_stream_rate_budget_remaining',
    help: 'Calls left in the current rate window, by Stream endpoint.',
    labelNames: ['endpoint'],
    registers: [registry],
    async collect() {
      const remaining = remainingFromHeaders(await snapshot(), now());
      const budget = options.readRateBudget
        ? await options.readRateBudget()
        : new Map<StreamEndpoint, number>();
      for (const [endpoint, value] of budget) remaining.set(endpoint, value);
      this.reset();
      for (const [endpoint, value] of remaining) this.set({ endpoint }, value);
    },
  });
}

/**
 * What Stream's last `X-RateLimit-*` headers said; a window that has
 * ended since is full again.
 */
function remainingFromHeaders(
  snapshot: StreamMetricsSnapshot,
  nowMs: number,
): Map<StreamEndpoint, number> {
  const remaining = new Map<StreamEndpoint, number>();
  for (const [endpoint, info] of snapshot.rate) {
    remaining.set(
      endpoint,
      info.resetAt <= nowMs ? info.limit : info.remaining,
    );
  }
  return remaining;
}
