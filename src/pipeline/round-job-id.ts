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
  return jobIdOfRound(jobId, round ?? undefined);
}

/** `jobId` for the given round (the meta field `round`, absent = 0). */
export function jobIdOfRound(jobId: string, round: string | undefined): string {
  return round === undefined || round === '0' ? jobId : `${jobId}-r${round}`;
}
