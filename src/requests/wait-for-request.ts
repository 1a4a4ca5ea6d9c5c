import { RequestNotFoundError } from '../errors/request-not-found-error.js';
import { WaitTimeoutError } from '../errors/wait-timeout-error.js';
import type { WaitOptions } from './gdpr-client-types.js';
import type { RedisClient } from './lua-script.js';
import type { RecordStore, RequestStatusSnapshot } from './record-store.js';
import { withRedis } from './redis-access.js';
import { type RequestRecord, TERMINAL_STATUSES } from './request-record.js';

/** Poll interval when no update message arrives (or pub/sub is down). */
const POLL_MS = 500;

/**
 * Least time between two reads of the status: a request of 10,000
 * batches publishes an update for every ended batch.
 */
const READ_EVERY_MS = 250;

/**
 * Least time between two records read for `onProgress` while the status
 * stays the same: a record holds every batch's outcome (MBs for 10,000).
 */
const PROGRESS_EVERY_MS = 1000;

/**
 * Resolves with the full record once the request reaches a terminal
 * status. Wakes on the store's update channel (published on every status
 * change and every ended batch) and polls as a fallback, so a lost message
 * or a failed subscription only costs latency. Each wake reads only the
 * status and progress (at most every 250 ms); the full record is read once,
 * at the end.
 *
 * `onProgress` gets a record without its subject lists (`subjectsTruncated`
 * set, `counts` still exact; batches, events and failures as stored) on
 * every status change and, while the status stays, at most once a second
 * as batches end; its last call gets the same full record the promise
 * resolves with.
 */
export async function waitForRecord(
  store: RecordStore,
  requestId: string,
  options: WaitOptions = {},
): Promise<RequestRecord> {
  const deadline =
    options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs;
  const wakeup = new Wakeup();
  const subscriber = await subscribe(store, requestId, wakeup);
  const progress = new ProgressReporter(store, requestId, options.onProgress);
  try {
    for (;;) {
      const snapshot = await withRedis(() => store.statusOf(requestId));
      if (snapshot === undefined) throw new RequestNotFoundError(requestId);
      const readAt = Date.now();

      if (TERMINAL_STATUSES.includes(snapshot.status)) {
        const full = await withRedis(() => store.get(requestId));
        if (full === undefined) throw new RequestNotFoundError(requestId);
        progress.final(full);
        return full;
      }

      const nextReport = await progress.update(snapshot);
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new WaitTimeoutError(requestId, options.timeoutMs ?? 0);
      }

      await wakeup.wait(Math.min(POLL_MS, remaining, nextReport));
      const early = readAt + READ_EVERY_MS - Date.now();
      if (early > 0) await sleep(Math.min(early, deadline - Date.now()));
    }
  } finally {
    subscriber?.disconnect();
  }
}

/** Calls `onProgress` on changes, throttled as `waitForRecord` says. */
class ProgressReporter {
  readonly #store: RecordStore;
  readonly #requestId: string;
  readonly #onProgress: ((record: RequestRecord) => void) | undefined;
  #reported = '';
  #status = '';
  #reportedAt = -Infinity;

  constructor(
    store: RecordStore,
    requestId: string,
    onProgress: ((record: RequestRecord) => void) | undefined,
  ) {
    this.#store = store;
    this.#requestId = requestId;
    this.#onProgress = onProgress;
  }

  /**
   * Reports a change if it is due; returns the ms until a change held back
   * is due (Infinity when none is).
   */
  async update(snapshot: RequestStatusSnapshot): Promise<number> {
    if (this.#onProgress === undefined) return Infinity;
    const seen = seenKey(snapshot.status, snapshot.updatedAt, snapshot.done);
    if (seen === this.#reported) return Infinity;
    const dueIn = this.#reportedAt + PROGRESS_EVERY_MS - Date.now();
    if (snapshot.status === this.#status && dueIn > 0) return dueIn;

    const record = await withRedis(() =>
      this.#store.get(this.#requestId, { subjectLimit: 0 }),
    );
    if (record === undefined) throw new RequestNotFoundError(this.#requestId);
    this.#report(record);
    return Infinity;
  }

  final(record: RequestRecord): void {
    if (this.#onProgress !== undefined) this.#report(record);
  }

  #report(record: RequestRecord): void {
    const seen = seenKey(
      record.status,
      record.updatedAt,
      record.progress?.done,
    );
    if (seen === this.#reported) return;
    this.#reported = seen;
    this.#status = record.status;
    this.#reportedAt = Date.now();
    this.#onProgress?.(record);
  }
}

function seenKey(
  status: string,
  updatedAt: string,
  done: number | undefined,
): string {
  return `${status}|${updatedAt}|${done ?? 0}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

async function subscribe(
  store: RecordStore,
  requestId: string,
  wakeup: Wakeup,
): Promise<RedisClient | undefined> {
  const subscriber = store.redis.duplicate();
  subscriber.on('error', () => {
    // Polling carries on; the subscription is only a shortcut.
  });
  try {
    await withRedis(() => subscriber.subscribe(store.index.updates), 2000);
    subscriber.on('message', (_channel: string, message: string) => {
      if (message === requestId) wakeup.fire();
    });
    return subscriber;
  } catch {
    subscriber.disconnect();
    return undefined;
  }
}

/** A wake-up that is kept when it fires while nobody waits. */
class Wakeup {
  #resolve: (() => void) | undefined;
  #fired = false;

  fire(): void {
    if (this.#resolve === undefined) this.#fired = true;
    else this.#resolve();
  }

  wait(ms: number): Promise<void> {
    if (this.#fired) {
      this.#fired = false;
      return Promise.resolve();
    }

    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#resolve = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#resolve = done;
    });
  }
}
