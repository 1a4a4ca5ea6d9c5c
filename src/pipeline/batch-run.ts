import type { Logger } from 'pino';

import { JOB_NAMES, jobIds } from '../queues/job-ids.js';
import { retryingJob } from '../queues/job-options.js';
import type {
  BatchOutcome,
  FailureReason,
  SubjectFailure,
} from '../requests/request-record.js';
import { sensitiveTerms } from '../stream/scrub.js';
import type { PipelineContext } from './pipeline-context.js';
import { roundJobId } from './round-job-id.js';

type Patch = {
  -readonly [K in keyof BatchOutcome]?: BatchOutcome[K] | undefined;
};

/**
 * One processing pass over one batch. The batch outcome in Redis is the
 * truth; this object keeps the last written copy and the batch's ids
 * (read once from the request's list by offset).
 */
export class BatchRun {
  readonly ctx: PipelineContext;
  readonly requestId: string;
  readonly logger: Logger;
  #outcome: BatchOutcome;
  #ids: string[] | undefined;

  constructor(
    ctx: PipelineContext,
    requestId: string,
    outcome: BatchOutcome,
    logger: Logger,
  ) {
    this.ctx = ctx;
    this.requestId = requestId;
    this.#outcome = outcome;
    this.logger = logger;
  }

  get outcome(): BatchOutcome {
    return this.#outcome;
  }

  async ids(): Promise<string[]> {
    if (this.#ids === undefined) {
      const { target, offset = 0, size } = this.#outcome;
      const list = target === 'channels' ? 'channels' : 'users';
      this.#ids = await this.ctx.store.readIds(
        this.requestId,
        list,
        offset,
        size,
      );
    }

    return this.#ids;
  }

  /** Terms to scrub from any text about this batch. */
  async terms(): Promise<string[]> {
    return sensitiveTerms(await this.ids());
  }

  /** Writes a non-final change; `undefined` removes a field. */
  async save(patch: Patch): Promise<void> {
    this.#outcome = merge(this.#outcome, patch);
    await this.ctx.store.putBatch(this.requestId, this.#outcome);
  }

  /**
   * Ends the batch completed, with the subjects Stream reported it did not
   * handle and, when they were checked as the batch ended, the ids Stream
   * still lists (otherwise the request's verification checks them).
   */
  async complete(
    patch: Patch = {},
    failures: readonly SubjectFailure[] = [],
    check?: { readonly listed: readonly string[] },
  ): Promise<void> {
    await this.ctx.store.addFailures(this.requestId, failures);
    await this.#end(
      merge(this.#outcome, {
        ...patch,
        status: 'completed',
        failedCount: failures.length,
        error: undefined,
        finishedAt: new Date().toISOString(),
      }),
      check,
    );
  }

  async fail(reason: FailureReason): Promise<void> {
    await this.#end(
      merge(this.#outcome, {
        status: 'failed',
        error: reason,
        finishedAt: new Date().toISOString(),
      }),
    );
  }

  async #end(
    outcome: BatchOutcome,
    check?: { readonly listed: readonly string[] },
  ): Promise<void> {
    this.#outcome = outcome;
    const ended = await this.ctx.store.endBatch(this.requestId, outcome, check);
    if (ended.allEnded) await addFinalizeJob(this.ctx, this.requestId);
  }
}

/** Queues the request's finalize job (deduplicated by job id per round). */
export async function addFinalizeJob(
  ctx: PipelineContext,
  requestId: string,
): Promise<void> {
  const jobId = await roundJobId(ctx, requestId, jobIds.finalize(requestId));
  await ctx.queues.finalize.add(
    JOB_NAMES.finalize,
    { requestId },
    retryingJob(jobId, ctx.config.worker.attempts),
  );
}

function merge(outcome: BatchOutcome, patch: Patch): BatchOutcome {
  const merged: Record<string, unknown> = { ...outcome, ...patch };
  for (const key of Object.keys(merged)) {
    if (merged[key] === undefined) delete merged[key];
  }

  return merged as unknown as BatchOutcome;
}
