import { STREAM_BATCH_LIMITS } from '../stream/stream-api.js';
import type { PipelineContext } from './pipeline-context.js';
import { callStream } from './stream-call.js';

export interface VerificationTally {
  readonly stillListedCount: number;
}

const TARGETS = [
  { list: 'users', size: STREAM_BATCH_LIMITS.queryUsers },
  { list: 'channels', size: STREAM_BATCH_LIMITS.queryChannels },
] as const;

/**
 * Asks Stream, after all tasks ended, whether any subject of an erasure is
 * still listed (Query Users by 100, Query Channels by 30). Resumable: the
 * offset reached is saved after every query, so a deferral (rate budget)
 * or a retry continues where it stopped and a million-subject request
 * never starts over.
 */
export async function verifyErasure(
  ctx: PipelineContext,
  requestId: string,
): Promise<VerificationTally> {
  const { store } = ctx;
  const keys = store.keys(requestId);
  for (const { list, size } of TARGETS) {
    const cursorField = `verify_${list}`;
    const [totalText, cursorText] = await store.redis.hmget(
      keys.meta,
      list,
      cursorField,
    );
    const total = Number(totalText ?? 0);
    let offset = Number(cursorText ?? 0);
    while (offset < total) {
      const ids = await store.readIds(requestId, list, offset, size);
      if (ids.length === 0) break;
      const listed = await query(ctx, list, ids);
      offset += ids.length;
      const multi = store.redis.multi();
      if (listed.length > 0) {
        multi.rpush(keys.stillListed, ...listed);
        multi.hincrby(keys.meta, 'stillListedCount', listed.length);
      }

      multi.hset(keys.meta, cursorField, offset);
      await multi.exec();
    }
  }

  const count = await store.redis.hget(keys.meta, 'stillListedCount');
  return { stillListedCount: Number(count ?? 0) };
}

async function query(
  ctx: PipelineContext,
  list: 'users' | 'channels',
  ids: readonly string[],
): Promise<readonly string[]> {
  if (list === 'users') {
    const response = await callStream(ctx.budget, 'queryUsers', () =>
      ctx.stream.queryUsers(ids),
    );
    return response.data.ids;
  }

  const response = await callStream(ctx.budget, 'queryChannels', () =>
    ctx.stream.queryChannels(ids),
  );
  return response.data.cids;
}
