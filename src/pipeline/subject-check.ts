import { STREAM_BATCH_LIMITS } from '../stream/stream-api.js';
import type { PipelineContext } from './pipeline-context.js';
import { callStream } from './stream-call.js';

/** What a subject check asks about: Query Users or Query Channels. */
export type ListedTarget = 'users' | 'channels';

/** Queries in flight at once; a latency-bound check is otherwise serial. */
export const QUERY_CONCURRENCY = 8;

const QUERY_SIZE: Record<ListedTarget, number> = {
  users: STREAM_BATCH_LIMITS.queryUsers,
  channels: STREAM_BATCH_LIMITS.queryChannels,
};

/** How many ids one window of concurrent queries checks at the most. */
export function windowSize(target: ListedTarget): number {
  return QUERY_SIZE[target] * QUERY_CONCURRENCY;
}

/** What one window of concurrent queries found, in the order of its ids. */
export interface ListedWindow {
  /** How many ids, from the start, were checked: all unless `failure`. */
  readonly checked: number;
  /** Which of the checked ids Stream still lists. */
  readonly listed: readonly string[];
  /** Why the check stopped before the end, when it did. */
  readonly failure?: { readonly error: unknown };
}

/**
 * Which of these users or channels Stream still lists. Used to verify an
 * erasure and, after a crash between submitting a deletion and recording
 * its task id, to resubmit only what is left. Throws the first failure.
 */
export async function stillListed(
  ctx: PipelineContext,
  target: ListedTarget,
  ids: readonly string[],
): Promise<string[]> {
  const listed: string[] = [];
  const size = windowSize(target);
  for (let i = 0; i < ids.length; i += size) {
    const window = await checkWindow(ctx, target, ids.slice(i, i + size));
    if (window.failure) throw window.failure.error;
    listed.push(...window.listed);
  }

  return listed;
}

/**
 * Checks up to `windowSize(target)` of `ids` with up to eight queries in
 * flight. Each query starts once the one before it was granted by the rate
 * budget, so the budget is taken in order and a denial (`DeferSignal`)
 * stops the rest; the result covers the queries that succeeded from the
 * start, so a caller can save that much progress before rethrowing.
 */
export async function checkWindow(
  ctx: PipelineContext,
  target: ListedTarget,
  ids: readonly string[],
): Promise<ListedWindow> {
  const chunks = chunksOf(ids.slice(0, windowSize(target)), QUERY_SIZE[target]);
  const queries: Promise<readonly string[]>[] = [];
  for (const chunk of chunks) {
    let grant = () => {};
    const granted = new Promise<boolean>((resolve) => {
      grant = () => resolve(true);
    });
    const query = queryListed(ctx, target, chunk, async () => grant());
    queries.push(query);
    const sent = await Promise.race([
      granted,
      query.then(
        () => true,
        () => false,
      ),
    ]);
    if (!sent) break;
  }

  const results = await Promise.allSettled(queries);
  const listed: string[] = [];
  let checked = 0;
  for (const [index, result] of results.entries()) {
    if (result.status === 'rejected') {
      return { checked, listed, failure: { error: result.reason } };
    }
    listed.push(...result.value);
    checked += chunks[index]?.length ?? 0;
  }

  return { checked, listed };
}

async function queryListed(
  ctx: PipelineContext,
  target: ListedTarget,
  ids: readonly string[],
  beforeCall: () => Promise<void>,
): Promise<readonly string[]> {
  if (target === 'users') {
    const response = await callStream(
      ctx.budget,
      'queryUsers',
      () => ctx.stream.queryUsers(ids),
      { beforeCall },
    );
    return response.data.ids;
  }

  const response = await callStream(
    ctx.budget,
    'queryChannels',
    () => ctx.stream.queryChannels(ids),
    { beforeCall },
  );
  return response.data.cids;
}

function chunksOf(ids: readonly string[], size: number): string[][] {
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += size) {
    chunks.push(ids.slice(i, i + size));
  }

  return chunks;
}
