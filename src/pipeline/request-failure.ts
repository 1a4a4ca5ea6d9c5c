import type { FailureReason } from '../requests/request-record.js';
import {
  type RequestStatus,
  TERMINAL_STATUSES,
} from '../requests/request-record.js';
import type { PipelineContext } from './pipeline-context.js';
import { afterFinish } from './request-followups.js';

/**
 * Concludes a request whose planning could not complete. Does nothing
 * once the request got past planning, so it is safe to repeat.
 */
export async function markRequestFailed(
  ctx: PipelineContext,
  requestId: string,
  code: string,
): Promise<void> {
  const status = await statusOf(ctx, requestId);
  if (status !== 'queued' && status !== 'running') return;
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

/**
 * Finalize ran out of attempts (Stream's query endpoints or the export
 * disk kept failing, or its job kept dying): concludes the request as
 * partially failed, saying why, so it does not stay open forever. Does
 * nothing to a request already concluded.
 */
export async function concludeUnfinalized(
  ctx: PipelineContext,
  requestId: string,
  reason: FailureReason,
): Promise<void> {
  const status = await statusOf(ctx, requestId);
  if (status === undefined || TERMINAL_STATUSES.includes(status)) return;
  await ctx.store.setMeta(requestId, {
    error: JSON.stringify({
      code: 'finalize_failed',
      message: `the request could not be verified or finalized: ${reason.message}`,
    }),
  });
  await ctx.store.transition(requestId, 'partially_failed');
  await afterFinish(ctx, requestId);
}

async function statusOf(
  ctx: PipelineContext,
  requestId: string,
): Promise<RequestStatus | undefined> {
  return (await ctx.store.meta(requestId)).status as RequestStatus | undefined;
}
