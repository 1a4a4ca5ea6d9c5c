import type { ErasureOptions } from '../requests/request-record.js';
import { isStreamNotFound, StreamHttpError } from '../stream/stream-errors.js';
import type { StreamResponse, TaskSubmitted } from '../stream/stream-types.js';
import { exportSingleUser } from './batch-export.js';
import type { BatchRun } from './batch-run.js';
import { isRefusal } from './export-refusal.js';
import { exportEachUser, startExportSplit } from './export-split.js';
import { toFailureReason } from './failure-reason.js';
import { DeferSignal } from './pipeline-errors.js';
import { callStream } from './stream-call.js';
import { stillListed } from './subject-check.js';

/**
 * Submits the batch to Stream and records the task id before any waiting.
 * A batch found `submitting` had a call whose answer we never recorded
 * (crash, timeout, cut connection): Stream may have started a task, so a
 * deletion first asks Stream which subjects are still listed and resubmits
 * only those; an export is resubmitted (a second export task is harmless).
 * An export Stream refuses for good is exported user by user instead (see
 * export-split.ts), and a batch already being split goes on with that.
 */
export async function submitBatch(
  run: BatchRun,
  options: ErasureOptions | undefined,
): Promise<void> {
  const { ctx } = run;
  const { split } = run.outcome;
  if (split !== undefined) return exportEachUser(run, split);
  const previousStatus = run.outcome.status;
  let ids = await run.ids();
  if (previousStatus === 'submitting') {
    ids = await stillToDo(run, ids);
    const { reconciliations = 0, resubmissions = 0 } = run.outcome;
    await run.save({
      reconciliations: reconciliations + 1,
      resubmissions: resubmissions + (ids.length > 0 ? 1 : 0),
    });
    run.logger.warn(
      { batchIndex: run.outcome.index, remaining: ids.length },
      'batch was interrupted during submission; reconciled with Stream',
    );
    if (ids.length === 0) return run.complete();
  }

  let response: StreamResponse<TaskSubmitted>;
  try {
    response = await send(run, ids, options);
  } catch (error) {
    // Stream answered (or we never sent): no task exists for this call.
    if (error instanceof DeferSignal || error instanceof StreamHttpError) {
      await run.save({ status: previousStatus });
    }

    if (isStreamNotFound(error) && run.outcome.target !== 'export') {
      return run.complete();
    }

    const single = ids[0];
    const permanent = error instanceof StreamHttpError && !error.retryable;
    if (permanent && run.outcome.target === 'export' && ids.length === 1) {
      if (single !== undefined) return exportSingleUser(run, single);
    }

    if (isRefusal(error) && run.outcome.target === 'export') {
      return startExportSplit(run, toFailureReason(error, await run.terms()));
    }

    throw error;
  }

  const now = Date.now();
  const initial = ctx.config.worker.taskPollInitialMs;
  await run.save({
    status: 'waiting_on_stream',
    taskId: response.data.taskId,
    submittedAt: new Date(now).toISOString(),
    pollingSince: new Date(now).toISOString(),
    pollDelayMs: initial,
    via: 'task',
  });
  await ctx.store.transition(run.requestId, 'waiting_on_stream', {
    from: ['running'],
  });
  throw new DeferSignal(now + initial);
}

function send(
  run: BatchRun,
  ids: readonly string[],
  options: ErasureOptions | undefined,
): Promise<StreamResponse<TaskSubmitted>> {
  const { ctx } = run;
  const beforeCall = () => run.save({ status: 'submitting' });
  switch (run.outcome.target) {
    case 'users': {
      const mode = options?.mode ?? 'hard';
      return callStream(
        ctx.budget,
        'deleteUsers',
        () =>
          ctx.stream.deleteUsers(ids, {
            user: mode,
            messages: mode,
            conversations: 'hard',
            files: options?.deleteFiles ?? true,
            ...(options?.newChannelOwnerId === undefined
              ? {}
              : { newChannelOwnerId: options.newChannelOwnerId }),
          }),
        { beforeCall },
      );
    }

    case 'channels':
      return callStream(
        ctx.budget,
        'deleteChannels',
        () => ctx.stream.deleteChannels(ids),
        { beforeCall },
      );
    case 'export':
      return callStream(
        ctx.budget,
        'exportUsers',
        () => ctx.stream.exportUsers(ids),
        { beforeCall },
      );
  }
}

async function stillToDo(run: BatchRun, ids: string[]): Promise<string[]> {
  switch (run.outcome.target) {
    case 'users':
    case 'channels':
      return stillListed(run.ctx, run.outcome.target, ids);
    case 'export':
      return ids;
  }
}
