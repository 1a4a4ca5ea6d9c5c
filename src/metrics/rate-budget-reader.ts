import type { Cluster, Redis } from 'ioredis';

import {
  STREAM_ENDPOINTS,
  type StreamEndpoint,
} from '../stream/stream-types.js';
import type { RateBudgetReader } from './stream-call-metrics.js';

/**
 * Reads the workers' shared rate budget (src/rate-budget/: one hash per
 * endpoint at `<prefix>:rate:<endpoint>` with `limit`, `remaining`,
 * `resetAt`, `pausedUntil`) as calls left now. A paused endpoint has none
 * left; a window that has ended is full again. Endpoints never called are
 * left out.
 */
export function createRateBudgetReader(
  redis: Redis | Cluster,
  prefix: string,
  now: () => number = Date.now,
): RateBudgetReader {
  return async () => {
    const pipeline = redis.pipeline();
    for (const endpoint of STREAM_ENDPOINTS) {
      pipeline.hmget(
        `${prefix}:rate:${endpoint}`,
        'limit',
        'remaining',
        'resetAt',
        'pausedUntil',
      );
    }
    const results = (await pipeline.exec()) ?? [];
    const at = now();
    const remaining = new Map<StreamEndpoint, number>();
    STREAM_ENDPOINTS.forEach((endpoint, index) => {
      const [error, value] = results[index] ?? [];
      if (error) throw error;
      const [limit, left, resetAt, pausedUntil] = (
        value as (string | null)[]
      ).map((field) => (field === null ? undefined : Number(field)));
      if (limit === undefined) return;
      if ((pausedUntil ?? 0) > at) remaining.set(endpoint, 0);
      else if ((resetAt ?? 0) <= at || left === undefined) {
        remaining.set(endpoint, limit);
      } else remaining.set(endpoint, Math.max(0, left));
    });
    return remaining;
  };
}
