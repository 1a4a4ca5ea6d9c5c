import type { Cluster, Redis } from 'ioredis';

import type { RateLimitInfo, StreamEndpoint } from '../stream/stream-types.js';
import {
  isStreamEndpoint,
  LATENCY_BUCKETS_SECONDS,
  STATUS_CLASSES,
  type StatusClass,
  streamMetricKeys,
} from './stream-metric-keys.js';

export interface StreamCallTotal {
  readonly endpoint: StreamEndpoint;
  readonly statusClass: StatusClass;
  readonly count: number;
}

export interface StreamLatency {
  readonly endpoint: StreamEndpoint;
  /** Calls per bucket of `LATENCY_BUCKETS_SECONDS`, then `+Inf`; not cumulative. */
  readonly buckets: readonly number[];
  readonly sumSeconds: number;
  readonly count: number;
}

export interface StreamMetricsSnapshot {
  readonly calls: readonly StreamCallTotal[];
  readonly latency: readonly StreamLatency[];
  readonly rate: ReadonlyMap<StreamEndpoint, RateLimitInfo>;
}

/**
 * Reads the totals every worker's `StreamCallRecorder` wrote. Fields that
 * are not of our fixed vocabulary are skipped, so a stray write cannot
 * put arbitrary text into a metric label.
 */
export async function readStreamMetrics(
  redis: Redis | Cluster,
  prefix: string,
): Promise<StreamMetricsSnapshot> {
  const keys = streamMetricKeys(prefix);
  const [calls, latency, rate] = await Promise.all([
    redis.hgetall(keys.calls),
    redis.hgetall(keys.latency),
    redis.hgetall(keys.rate),
  ]);
  return {
    calls: parseCalls(calls),
    latency: parseLatency(latency),
    rate: parseRate(rate),
  };
}

function parseCalls(hash: Record<string, string>): StreamCallTotal[] {
  const totals: StreamCallTotal[] = [];
  for (const [field, value] of Object.entries(hash)) {
    const [endpoint, cls] = field.split('|');
    if (endpoint === undefined || !isStreamEndpoint(endpoint)) continue;
    if (!(STATUS_CLASSES as readonly string[]).includes(cls ?? '')) continue;
    totals.push({
      endpoint,
      statusClass: cls as StatusClass,
      count: Number(value) || 0,
    });
  }
  return totals;
}

function parseLatency(hash: Record<string, string>): StreamLatency[] {
  const bounds = [...LATENCY_BUCKETS_SECONDS.map(String), '+Inf'];
  const byEndpoint = new Map<
    StreamEndpoint,
    { buckets: number[]; sumSeconds: number; count: number }
  >();
  for (const [field, value] of Object.entries(hash)) {
    const [endpoint, part] = field.split('|');
    if (endpoint === undefined || !isStreamEndpoint(endpoint)) continue;

    let entry = byEndpoint.get(endpoint);
    if (!entry) {
      entry = { buckets: bounds.map(() => 0), sumSeconds: 0, count: 0 };
      byEndpoint.set(endpoint, entry);
    }
    const n = Number(value) || 0;
    if (part === 'sum') entry.sumSeconds = n;
    else if (part === 'count') entry.count = n;
    else {
      const index = bounds.indexOf(part ?? '');
      if (index >= 0) entry.buckets[index] = n;
    }
  }
  return [...byEndpoint].map(([endpoint, entry]) => ({ endpoint, ...entry }));
}

function parseRate(
  hash: Record<string, string>,
): Map<StreamEndpoint, RateLimitInfo> {
  const rate = new Map<StreamEndpoint, RateLimitInfo>();
  for (const [endpoint, json] of Object.entries(hash)) {
    if (!isStreamEndpoint(endpoint)) continue;
    try {
      const info = JSON.parse(json) as Partial<RateLimitInfo>;
      if (
        typeof info.limit === 'number' &&
        typeof info.remaining === 'number' &&
        typeof info.resetAt === 'number'
      ) {
        rate.set(endpoint, {
          limit: info.limit,
          remaining: info.remaining,
          resetAt: info.resetAt,
        });
      }
    } catch {
      // A value we cannot read is left out of the scrape, not fatal to it.
    }
  }
  return rate;
}
