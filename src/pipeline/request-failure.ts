import type { PipelineContext } from './pipeline-context.js';
import { afterFinish } from './request-followups.js';

/** Concludes a request whose planning could not complete. */
export async function markRequestFailed(
  ctx: PipelineContext,
  requestId: string,
  code: string,
): Promise<void> {
  await ctx.store.setMeta(requestId, {
    error: JSON.stringify({
      code,
      message: 'the request could not be planned; see the worker logs',
    }),
  });
  await ctx.store.transition(requestId, 'failed', {
    from: ['queued', 'running'],
  });
  await afterFinish(ctx, requestId);
}
