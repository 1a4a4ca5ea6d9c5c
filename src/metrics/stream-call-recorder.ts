import type { Cluster, Redis } from 'ioredis';
import type { Logger } from 'pino';

import type { StreamCallEvent } from '../stream/stream-types.js';
import {
  latencyBucket,
  statusClass,
  streamMetricKeys,
} from './stream-metric-keys.js';

export interface StreamCallRecorder {
  /** Counts one call in memory; cheap enough for every Stream call. */
  record(event: StreamCallEvent): void;
  /** Writes what was counted since the last flush to Redis. */
  flush(): Promise<void>;
  /** Stops the timer and flushes one last time. */
  close(): Promise<void>;
}

export interface StreamCallRecorderOptions {
  /** How often counts go to Redis; default 1000 ms. */
  readonly intervalMs?: number;
  readonly logger?: Logger;
}

interface Pending {
  counts: Map<string, number>;
  latency: Map<string, number>;
  latencySum: Map<string, number>;
  rate: Map<string, string>;
}

/**
 * Aggregates Stream call metrics of this process into Redis hashes, so the
 * server's `/metrics` can report the totals of every worker. Calls are
 * batched in memory and written with one pipeline about once a second; a
 * failed write keeps its counts for the next one.
 *
 * Wire `record` as the workers' `onStreamCall`.
 */
export function createStreamCallRecorder(
  redis: Redis | Cluster,
  prefix: string,
  options: StreamCallRecorderOptions = {},
): StreamCallRecorder {
  const keys = streamMetricKeys(prefix);
  let pending = emptyPending();
  let flushing: Promise<void> = Promise.resolve();

  const write = async (): Promise<void> => {
    const batch = pending;
    pending = emptyPending();
    if (isEmpty(batch)) return;

    const pipeline = redis.pipeline();
    for (const [field, n] of batch.counts)
      pipeline.hincrby(keys.calls, field, n);
    for (const [field, n] of batch.latency) {
      pipeline.hincrby(keys.latency, field, n);
    }
    for (const [field, s] of batch.latencySum) {
      pipeline.hincrbyfloat(keys.latency, field, s);
    }
    for (const [field, json] of batch.rate)
      pipeline.hset(keys.rate, field, json);
    try {
      const results = (await pipeline.exec()) ?? [];
      const failed = results.find(([error]) => error);
      if (failed?.[0]) throw failed[0];
    } catch (error) {
      // Counters are additive, so a retried batch cannot double count as
      // long as none of it was applied; a partial pipeline failure may lose
      // or repeat a few calls, which metrics can bear.
      merge(pending, batch);
      options.logger?.warn({ err: error }, 'Stream call metrics not written');
    }
  };

  const flush = (): Promise<void> => {
    flushing = flushing.then(write);
    return flushing;
  };

  const timer = setInterval(() => void flush(), options.intervalMs ?? 1000);
  timer.unref();

  return {
    record(event) {
      const cls = statusClass(event.status);
      const seconds = event.durationMs / 1000;
      add(pending.counts, `${event.endpoint}|${cls}`, 1);
      add(pending.latency, `${event.endpoint}|${latencyBucket(seconds)}`, 1);
      add(pending.latency, `${event.endpoint}|count`, 1);
      add(pending.latencySum, `${event.endpoint}|sum`, seconds);
      if (event.rateLimit) {
        pending.rate.set(event.endpoint, JSON.stringify(event.rateLimit));
      }
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}

function emptyPending(): Pending {
  return {
    counts: new Map(),
    latency: new Map(),
    latencySum: new Map(),
    rate: new Map(),
  };
}

function isEmpty(p: Pending): boolean {
  return p.counts.size + p.latency.size + p.latencySum.size + p.rate.size === 0;
}

function add(map: Map<string, number>, key: string, n: number): void {
  map.set(key, (map.get(key) ?? 0) + n);
}

/** Puts a failed batch back under what arrived since (newer rate wins). */
function merge(into: Pending, from: Pending): void {
  for (const [k, n] of from.counts) add(into.counts, k, n);
  for (const [k, n] of from.latency) add(into.latency, k, n);
  for (const [k, s] of from.latencySum) add(into.latencySum, k, s);
  for (const [k, json] of from.rate) {
    if (!into.rate.has(k)) into.rate.set(k, json);
  }
}
