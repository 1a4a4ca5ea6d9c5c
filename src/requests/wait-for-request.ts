import { RequestNotFoundError } from '../errors/request-not-found-error.js';
import { WaitTimeoutError } from '../errors/wait-timeout-error.js';
import type { WaitOptions } from './gdpr-client-types.js';
import type { RedisClient } from './lua-script.js';
import type { RecordStore } from './record-store.js';
import { withRedis } from './redis-access.js';
import { type RequestRecord, TERMINAL_STATUSES } from './request-record.js';

/** Poll interval when no update message arrives (or pub/sub is down). */
const POLL_MS = 500;

/**
 * Resolves with the record once the request reaches a terminal status.
 * Wakes on the store's update channel (published on every status change
 * and every ended batch) and polls as a fallback, so a lost message or a
 * failed subscription only costs latency.
 */
export async function waitForRecord(
  store: RecordStore,
  requestId: string,
  options: WaitOptions = {},
): Promise<RequestRecord> {
  const started = Date.now();
  const deadline =
    options.timeoutMs === undefined ? Infinity : started + options.timeoutMs;
  const wakeup = new Wakeup();
  const subscriber = await subscribe(store, requestId, wakeup);
  try {
    let lastSeen = '';
    for (;;) {
      const record = await withRedis(() =>
        store.get(requestId, { subjectLimit: 0 }),
      );
      if (record === undefined) throw new RequestNotFoundError(requestId);
      const seen = `${record.status}|${record.updatedAt}|${record.progress?.done}`;
      if (seen !== lastSeen) {
        lastSeen = seen;
        options.onProgress?.(record);
      }

      if (TERMINAL_STATUSES.includes(record.status)) {
        const full = await withRedis(() => store.get(requestId));
        return full ?? record;
      }

      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new WaitTimeoutError(requestId, options.timeoutMs ?? 0);
      }

      await wakeup.wait(Math.min(POLL_MS, remaining));
    }
  } finally {
    subscriber?.disconnect();
  }
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

class Wakeup {
  #resolve: (() => void) | undefined;

  fire(): void {
    this.#resolve?.();
  }

  wait(ms: number): Promise<void> {
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
