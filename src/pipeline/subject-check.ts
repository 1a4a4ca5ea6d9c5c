import { STREAM_BATCH_LIMITS } from '../stream/stream-api.js';
import type { PipelineContext } from './pipeline-context.js';
import { callStream } from './stream-call.js';

/**
 * Which of these users Stream still lists (Query Users, 100 per call).
 * Used to verify an erasure and, after a crash between submitting a
 * deletion and recording its task id, to resubmit only what is left.
 */
export async function usersStillListed(
  ctx: PipelineContext,
  userIds: readonly string[],
): Promise<string[]> {
  const listed: string[] = [];
  const size = STREAM_BATCH_LIMITS.queryUsers;
  for (let i = 0; i < userIds.length; i += size) {
    const chunk = userIds.slice(i, i + size);
    const response = await callStream(ctx.budget, 'queryUsers', () =>
      ctx.stream.queryUsers(chunk),
    );
    listed.push(...response.data.ids);
  }

  return listed;
}

/** Which of these channels Stream still lists (Query Channels, 30 a call). */
export async function channelsStillListed(
  ctx: PipelineContext,
  cids: readonly string[],
): Promise<string[]> {
  const listed: string[] = [];
  const size = STREAM_BATCH_LIMITS.queryChannels;
  for (let i = 0; i < cids.length; i += size) {
    const chunk = cids.slice(i, i + size);
    const response = await callStream(ctx.budget, 'queryChannels', () =>
      ctx.stream.queryChannels(chunk),
    );
    listed.push(...response.data.cids);
  }

  return listed;
}
