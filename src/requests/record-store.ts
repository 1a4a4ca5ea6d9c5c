import type { RedisClient } from './lua-script.js';
import { decodeRecord, eventJson, STATUS_ORDER } from './record-codec.js';
import {
  allRequestKeys,
  type IndexKeys,
  indexKeys,
  requestKeys,
} from './record-keys.js';
import { endBatchScript, transitionScript } from './record-scripts.js';
import type {
  BatchOutcome,
  RequestRecord,
  RequestStatus,
  SubjectFailure,
} from './request-record.js';
import { TERMINAL_STATUSES } from './request-record.js';

export interface RecordStoreOptions {
  /** Key prefix shared with BullMQ; `gdpr` by default. */
  readonly prefix?: string;
  /** How long finished records are kept; 3 years by default. */
  readonly retentionDays?: number;
}

export interface GetOptions {
  /**
   * At most this many ids of each subject list; all by default. Callers
   * that poll (progress displays) pass 0.
   */
  readonly subjectLimit?: number;
}

/** Per-id failures and still-listed subjects shown in a record, at most. */
const SHOWN_ITEMS = 1000;

export type BatchTargetList = 'users' | 'channels';

/** What `statusOf` reads: the fields that change as a request moves. */
export interface RequestStatusSnapshot {
  readonly status: RequestStatus;
  readonly updatedAt: string;
  /** Batches ended, and planned. */
  readonly done: number;
  readonly total: number;
}

/**
 * Reads and updates request records. The record, not BullMQ's job data, is
 * the truth about a request: it holds the subjects once, every batch's
 * outcome and task id, and outlives job retention.
 */
export class RecordStore {
  readonly redis: RedisClient;
  readonly prefix: string;
  readonly retentionDays: number;
  readonly index: IndexKeys;

  constructor(redis: RedisClient, options: RecordStoreOptions = {}) {
    this.redis = redis;
    this.prefix = options.prefix ?? 'gdpr';
    this.retentionDays = options.retentionDays ?? 3 * 365;
    this.index = indexKeys(this.prefix);
  }

  keys(requestId: string) {
    return requestKeys(this.prefix, requestId);
  }

  /** The record, or undefined when no request has this id. */
  async get(
    requestId: string,
    options: GetOptions = {},
  ): Promise<RequestRecord | undefined> {
    const keys = this.keys(requestId);
    const limit = options.subjectLimit ?? -1;
    // LRANGE 0 -1 is the whole list; 1 0 is an empty range.
    const [first, last] =
      limit < 0 ? [0, -1] : limit === 0 ? [1, 0] : [0, limit - 1];
    const pipeline = this.redis.pipeline();
    pipeline.hgetall(keys.meta);
    pipeline.lrange(keys.users, first, last);
    pipeline.lrange(keys.channels, first, last);
    pipeline.hgetall(keys.batches);
    pipeline.lrange(keys.failures, 0, SHOWN_ITEMS - 1);
    pipeline.lrange(keys.events, 0, -1);
    pipeline.lrange(keys.stillListed, 0, SHOWN_ITEMS - 1);
    const results = (await pipeline.exec()) ?? [];
    const values = results.map(([error, value]) => {
      if (error) throw error;
      return value;
    });
    const meta = values[0] as Record<string, string>;
    if (meta.status === undefined) return undefined;
    const userIds = values[1] as string[];
    const channelCids = values[2] as string[];
    const truncated =
      limit >= 0 &&
      (userIds.length < Number(meta.users ?? 0) ||
        channelCids.length < Number(meta.channels ?? 0));
    return decodeRecord(requestId, {
      meta,
      userIds,
      channelCids,
      subjectsTruncated: truncated,
      batches: values[3] as Record<string, string>,
      failures: values[4] as string[],
      events: values[5] as string[],
      stillListed: values[6] as string[],
    });
  }

  /**
   * Status and progress alone (one HMGET of the meta hash), for callers
   * that watch a request; undefined when no request has this id.
   */
  async statusOf(
    requestId: string,
  ): Promise<RequestStatusSnapshot | undefined> {
    const [status, updatedAt, done, total] = await this.redis.hmget(
      this.keys(requestId).meta,
      'status',
      'updatedAt',
      'batchDone',
      'batchTotal',
    );
    if (status === null) return undefined;
    return {
      status: status as RequestStatus,
      updatedAt: updatedAt ?? '',
      done: Number(done ?? 0),
      total: Number(total ?? 0),
    };
  }

  /** Raw meta fields, for the pipeline's own bookkeeping. */
  async meta(requestId: string): Promise<Record<string, string>> {
    return this.redis.hgetall(this.keys(requestId).meta);
  }

  async setMeta(
    requestId: string,
    fields: Record<string, string | number>,
  ): Promise<void> {
    await this.redis.hset(this.keys(requestId).meta, {
      ...fields,
      updatedAt: new Date().toISOString(),
    });
  }

  /** Ids `offset .. offset+count-1` of a subject list. */
  async readIds(
    requestId: string,
    target: BatchTargetList,
    offset: number,
    count: number,
  ): Promise<string[]> {
    const key = this.keys(requestId)[target];
    return this.redis.lrange(key, offset, offset + count - 1);
  }

  async getBatch(
    requestId: string,
    index: number,
  ): Promise<BatchOutcome | undefined> {
    const json = await this.redis.hget(
      this.keys(requestId).batches,
      `${index}`,
    );
    return json === null ? undefined : (JSON.parse(json) as BatchOutcome);
  }

  /** Writes a batch outcome that is not final (see `endBatch`). */
  async putBatch(requestId: string, outcome: BatchOutcome): Promise<void> {
    await this.redis.hset(
      this.keys(requestId).batches,
      `${outcome.index}`,
      JSON.stringify(outcome),
    );
  }

  /** Writes outcomes only where none exists, so a re-plan keeps progress. */
  async initBatches(
    requestId: string,
    outcomes: readonly BatchOutcome[],
  ): Promise<void> {
    const key = this.keys(requestId).batches;
    const pipeline = this.redis.pipeline();
    for (const outcome of outcomes) {
      pipeline.hsetnx(key, `${outcome.index}`, JSON.stringify(outcome));
    }

    await execOrThrow(pipeline);
  }

  /**
   * Records a batch's final outcome (completed or failed) exactly once,
   * with the check of its subjects against Stream when one was made as it
   * ended (`listed`: the ids Stream still lists).
   * `allEnded` is true for the one call that ended the last batch.
   */
  async endBatch(
    requestId: string,
    outcome: BatchOutcome,
    check?: { readonly listed: readonly string[] },
  ): Promise<{ counted: boolean; allEnded: boolean }> {
    const keys = this.keys(requestId);
    const [counted, done, total] = (await endBatchScript.run(
      this.redis,
      [keys.batches, keys.meta, keys.verified, keys.stillListed],
      [
        outcome.index,
        JSON.stringify(outcome),
        new Date().toISOString(),
        this.index.updates,
        requestId,
        check ? 1 : 0,
        ...(check?.listed ?? []),
      ],
    )) as [number, number, number];
    return { counted: counted === 1, allEnded: counted === 1 && done >= total };
  }

  /** Counts of ended and planned batches. */
  async batchProgress(
    requestId: string,
  ): Promise<{ done: number; total: number }> {
    const [done, total] = await this.redis.hmget(
      this.keys(requestId).meta,
      'batchDone',
      'batchTotal',
    );
    return { done: Number(done ?? 0), total: Number(total ?? 0) };
  }

  async addFailures(
    requestId: string,
    failures: readonly SubjectFailure[],
  ): Promise<void> {
    if (failures.length === 0) return;
    const keys = this.keys(requestId);
    await this.redis
      .multi()
      .rpush(keys.failures, ...failures.map((f) => JSON.stringify(f)))
      .hincrby(keys.meta, 'failureCount', failures.length)
      .exec();
  }

  async addEvent(requestId: string, type: string, detail?: string) {
    await this.redis.rpush(
      this.keys(requestId).events,
      eventJson(type, new Date(), detail),
    );
  }

  /**
   * Moves the request to `status` when it is in one of `from` (any status
   * when omitted). Returns the status it has afterwards, undefined when
   * the request does not exist.
   */
  async transition(
    requestId: string,
    status: RequestStatus,
    options: { from?: readonly RequestStatus[]; detail?: string } = {},
  ): Promise<RequestStatus | undefined> {
    const keys = this.keys(requestId);
    const now = new Date();
    const result = await transitionScript.run(
      this.redis,
      [
        keys.meta,
        this.index.open,
        keys.events,
        ...STATUS_ORDER.map((s) => this.index.status(s)),
      ],
      [
        requestId,
        status,
        now.getTime(),
        now.toISOString(),
        eventJson(status, now, options.detail),
        TERMINAL_STATUSES.includes(status) ? '1' : '0',
        this.index.updates,
        (options.from ?? []).join(','),
        STATUS_ORDER.indexOf(status) + 1,
      ],
    );
    return typeof result === 'string' ? (result as RequestStatus) : undefined;
  }

  /** Announces a change to `waitForRequest` subscribers. */
  async publish(requestId: string): Promise<void> {
    await this.redis.publish(this.index.updates, requestId);
  }

  /** Lets every key of a finished request expire after the retention. */
  async expireAfterRetention(requestId: string): Promise<void> {
    const seconds = this.retentionDays * 24 * 60 * 60;
    const pipeline = this.redis.pipeline();
    for (const key of allRequestKeys(this.keys(requestId))) {
      pipeline.expire(key, seconds);
    }

    await execOrThrow(pipeline);
  }

  /** How many requests are in each status (finished ones until expiry). */
  async countByStatus(): Promise<Record<RequestStatus, number>> {
    // Finished records expire after the retention; so do their entries.
    const expiredBefore = Date.now() - this.retentionDays * 24 * 3600 * 1000;
    const prune = this.redis.pipeline();
    for (const status of TERMINAL_STATUSES) {
      prune.zremrangebyscore(
        this.index.status(status),
        '-inf',
        `(${expiredBefore}`,
      );
    }

    await execOrThrow(prune);
    const count = this.redis.pipeline();
    for (const status of STATUS_ORDER) count.zcard(this.index.status(status));
    const cards = await execOrThrow(count);
    const counts = {} as Record<RequestStatus, number>;
    STATUS_ORDER.forEach((status, i) => {
      counts[status] = Number(cards[i] ?? 0);
    });
    return counts;
  }

  /** Unfinished requests, earliest deadline first, at most `limit`. */
  async openRequests(
    limit = 100,
  ): Promise<{ id: string; deadlineAt: string; createdAt: string }[]> {
    const flat = await this.redis.zrange(
      this.index.open,
      0,
      limit - 1,
      'WITHSCORES',
    );
    const open: { id: string; deadlineAt: string; createdAt: string }[] = [];
    const pipeline = this.redis.pipeline();
    for (let i = 0; i + 1 < flat.length; i += 2) {
      pipeline.hget(this.keys(flat[i] ?? '').meta, 'createdAt');
    }

    const created = await execOrThrow(pipeline);
    for (let i = 0; i + 1 < flat.length; i += 2) {
      open.push({
        id: flat[i] ?? '',
        deadlineAt: new Date(Number(flat[i + 1])).toISOString(),
        createdAt: String(created[i / 2] ?? ''),
      });
    }

    return open;
  }

  /** Number of unfinished requests. */
  async openCount(): Promise<number> {
    return this.redis.zcard(this.index.open);
  }
}

/** Runs a pipeline and fails on the first command that failed. */
export async function execOrThrow(pipeline: {
  exec(): Promise<[Error | null, unknown][] | null>;
}): Promise<unknown[]> {
  const results = (await pipeline.exec()) ?? [];
  return results.map(([error, value]) => {
    if (error) throw error;
    return value;
  });
}
