import type { PipelineContext } from './pipeline-context.js';

/**
 * The id of a once-per-conclusion job (finalize, webhook) for the
 * request's current round: the plain id until a failed batch was
 * reopened, then suffixed with the round, because BullMQ would ignore a
 * job added under the id of the earlier round's retained job.
 */
export async function roundJobId(
  ctx: PipelineContext,
  requestId: string,
  jobId: string,
): Promise<string> {
  const round = await ctx.store.redis.hget(
    ctx.store.keys(requestId).meta,
    'round',
  );
  return round === null || round === '0' ? jobId : `${jobId}-r${round}`;
}
