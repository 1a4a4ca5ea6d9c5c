import type { PipelineContext } from './pipeline-context.js';
import { checkWindow, type ListedTarget, windowSize } from './subject-check.js';

export interface VerificationTally {
  readonly stillListedCount: number;
}

const TARGETS: readonly ListedTarget[] = ['users', 'channels'];

/**
 * Asks Stream, after all tasks ended, whether any subject of an erasure is
 * still listed (Query Users by 100, Query Channels by 30, up to eight
 * queries at once). Resumable: the offset reached is saved after every
 * window of concurrent queries, up to the first that failed, so a deferral
 * (rate budget) or a retry continues where it stopped and a
 * million-subject request never starts over.
 */
export async function verifyErasure(
  ctx: PipelineContext,
  requestId: string,
): Promise<VerificationTally> {
  const { store } = ctx;
  const keys = store.keys(requestId);
  for (const list of TARGETS) {
    const cursorField = `verify_${list}`;
    const [totalText, cursorText] = await store.redis.hmget(
      keys.meta,
      list,
      cursorField,
    );
    const total = Number(totalText ?? 0);
    let offset = Number(cursorText ?? 0);
    while (offset < total) {
      const ids = await store.readIds(
        requestId,
        list,
        offset,
        windowSize(list),
      );
      if (ids.length === 0) break;
      const window = await checkWindow(ctx, list, ids);
      offset += window.checked;
      const multi = store.redis.multi();
      if (window.listed.length > 0) {
        multi.rpush(keys.stillListed, ...window.listed);
        multi.hincrby(keys.meta, 'stillListedCount', window.listed.length);
      }

      multi.hset(keys.meta, cursorField, offset);
      await multi.exec();
      if (window.failure) throw window.failure.error;
    }
  }

  const count = await store.redis.hget(keys.meta, 'stillListedCount');
  return { stillListedCount: Number(count ?? 0) };
}
