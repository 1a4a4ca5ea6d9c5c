import type { Queue } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';

/** Entries read from an events stream per XRANGE call. */
const PAGE = 1000;
/** Upper bound of entries read per queue and scrape. */
const MAX_PER_SCRAPE = 20_000;

export interface JobOutcomeTotals {
  completed: number;
  failed: number;
}

/**
 * Counts jobs that completed or failed for good, by reading BullMQ's events
 * stream of each queue from where the previous scrape stopped. Unlike
 * `QueueEvents` it holds no blocking connection (whose close hangs while
 * Redis is down) and nothing runs between scrapes. Counting starts at the
 * first scrape; events trimmed from the stream between two scrapes (it
 * keeps about 10,000) are not counted.
 */
export class JobOutcomeCounter {
  readonly #redis: Redis | Cluster;
  readonly #streams: ReadonlyMap<string, string>;
  readonly #lastIds = new Map<string, string>();
  readonly #totals = new Map<string, JobOutcomeTotals>();

  constructor(redis: Redis | Cluster, queues: readonly Queue[]) {
    this.#redis = redis;
    this.#streams = new Map(queues.map((q) => [q.name, q.toKey('events')]));
    for (const name of this.#streams.keys()) {
      this.#totals.set(name, { completed: 0, failed: 0 });
    }
  }

  /** Reads new events and returns the totals per queue name. */
  async read(): Promise<ReadonlyMap<string, Readonly<JobOutcomeTotals>>> {
    await Promise.all(
      [...this.#streams].map(([name, key]) => this.#advance(name, key)),
    );
    return this.#totals;
  }

  async #advance(name: string, key: string): Promise<void> {
    const totals = this.#totals.get(name)!;
    const previous = this.#lastIds.get(name);
    if (previous === undefined) {
      const newest = await this.#redis.xrevrange(key, '+', '-', 'COUNT', 1);
      this.#lastIds.set(name, newest[0]?.[0] ?? '0-0');
      return;
    }

    let lastId: string = previous;
    for (let read = 0; read < MAX_PER_SCRAPE; read += PAGE) {
      const entries: [string, string[]][] = await this.#redis.xrange(
        key,
        `(${lastId}`,
        '+',
        'COUNT',
        PAGE,
      );
      for (const [id, fields] of entries) {
        lastId = id;
        const event = fields[fields.indexOf('event') + 1];
        if (event === 'completed') totals.completed += 1;
        else if (event === 'failed') totals.failed += 1;
      }
      if (entries.length < PAGE) break;
    }
    this.#lastIds.set(name, lastId);
  }
}
