import type { Redis } from 'ioredis';

import { ALL_QUEUES } from '../src/queues/queue-names.js';
import { parseUsedMemory } from './redis-server.js';

/** BullMQ's per-queue keys; any other `<queue>:<x>` key is a job hash. */
const QUEUE_KEYS = new Set([
  'active',
  'completed',
  'de',
  'delayed',
  'events',
  'failed',
  'id',
  'limiter',
  'marker',
  'meta',
  'metrics',
  'paused',
  'pc',
  'prioritized',
  'repeat',
  'stalled',
  'stalled-check',
  'wait',
  'waiting-children',
]);

/**
 * Names a key by its kind, with request and job ids masked, so memory can
 * be summed per kind: `req:*:users`, `batches:<job>`, `batches:wait`.
 */
export function keyKind(prefix: string, key: string): string {
  const rest = key.startsWith(`${prefix}:`)
    ? key.slice(prefix.length + 1)
    : key;
  const parts = rest.split(':');
  const [head = '', second, ...tail] = parts;
  if (head === 'req') {
    return ['req', '*', ...tail].join(':');
  }

  if (
    (ALL_QUEUES as readonly string[]).includes(head) &&
    second !== undefined
  ) {
    if (QUEUE_KEYS.has(second)) return `${head}:${second}`;
    return [head, '<job>', ...tail].join(':');
  }

  return parts.length > 1 ? `${head}:*` : head;
}

export interface JobDataStats {
  readonly jobs: number;
  readonly maxBytes: number;
  readonly medianBytes: number;
}

export interface RedisInspection {
  readonly keys: number;
  /** Bytes per key kind (MEMORY USAGE), largest first. */
  readonly bytesByKind: readonly {
    kind: string;
    keys: number;
    bytes: number;
  }[];
  /** Size of the `data` field of job hashes, per queue. */
  readonly jobData: Record<string, JobDataStats>;
}

/**
 * Where a prefix's memory sits: every key scanned, MEMORY USAGE summed by
 * kind, and the job payloads measured with HSTRLEN. Pipelined in chunks so
 * a few tens of thousands of keys take a fraction of a second.
 */
export async function inspectRedis(
  redis: Redis,
  prefix: string,
): Promise<RedisInspection> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(
      cursor,
      'MATCH',
      `${prefix}:*`,
      'COUNT',
      2000,
    );
    cursor = next;
    keys.push(...found);
  } while (cursor !== '0');

  const kinds = new Map<string, { keys: number; bytes: number }>();
  const jobSizes = new Map<string, number[]>();
  for (let i = 0; i < keys.length; i += 1000) {
    const part = keys.slice(i, i + 1000);
    const pipeline = redis.pipeline();
    for (const key of part) {
      pipeline.call('MEMORY', 'USAGE', key);
      pipeline.hstrlen(key, 'data');
    }

    const replies = (await pipeline.exec()) ?? [];
    part.forEach((key, j) => {
      const [memoryError, memory] = replies[2 * j] ?? [];
      const [, dataLength] = replies[2 * j + 1] ?? [];
      const kind = keyKind(prefix, key);
      const entry = kinds.get(kind) ?? { keys: 0, bytes: 0 };
      entry.keys += 1;
      entry.bytes +=
        memoryError === null && typeof memory === 'number' ? memory : 0;
      kinds.set(kind, entry);
      if (
        kind.endsWith(':<job>') &&
        typeof dataLength === 'number' &&
        dataLength > 0
      ) {
        const queue = kind.slice(0, -':<job>'.length);
        const sizes = jobSizes.get(queue) ?? [];
        sizes.push(dataLength);
        jobSizes.set(queue, sizes);
      }
    });
  }

  return {
    keys: keys.length,
    bytesByKind: [...kinds.entries()]
      .map(([kind, entry]) => ({ kind, ...entry }))
      .sort((a, b) => b.bytes - a.bytes),
    jobData: Object.fromEntries(
      [...jobSizes.entries()].map(([queue, sizes]) => [queue, stats(sizes)]),
    ),
  };
}

function stats(sizes: number[]): JobDataStats {
  const sorted = [...sizes].sort((a, b) => a - b);
  return {
    jobs: sorted.length,
    maxBytes: sorted.at(-1) ?? 0,
    medianBytes: sorted[Math.floor(sorted.length / 2)] ?? 0,
  };
}

/**
 * Samples `used_memory` until stopped and keeps the peak, and the peak of
 * `mem_clients_normal` (client buffers, e.g. a big reply being sent), which
 * used_memory includes but which is not data.
 */
export class RedisMemorySampler {
  #peak = 0;
  #clientsPeak = 0;
  readonly #timer: NodeJS.Timeout;
  readonly #redis: Redis;

  constructor(redis: Redis, everyMs = 250) {
    this.#redis = redis;
    this.#timer = setInterval(() => void this.sample(), everyMs);
    this.#timer.unref();
  }

  async sample(): Promise<number> {
    try {
      const info = await this.#redis.info('memory');
      const used = parseUsedMemory(info);
      const clients = Number(/^mem_clients_normal:(\d+)/m.exec(info)?.[1] ?? 0);
      this.#peak = Math.max(this.#peak, used);
      this.#clientsPeak = Math.max(this.#clientsPeak, clients);
      return used;
    } catch {
      return this.#peak;
    }
  }

  get peak(): number {
    return this.#peak;
  }

  get clientBuffersPeak(): number {
    return this.#clientsPeak;
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
