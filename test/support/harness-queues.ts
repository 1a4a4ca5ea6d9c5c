import { type Job, Queue } from 'bullmq';

import type { Harness } from '../pipeline/pipeline-harness.js';
import { pollUntil } from './poll.js';

/**
 * BullMQ queues a test opens on a pipeline harness's Redis, to look at or
 * act on jobs the way an operator would; `closeAll` after each test.
 */
export class HarnessQueues {
  readonly #open: Queue[] = [];

  open(harness: Harness, name: string): Queue {
    const queue = new Queue(name, {
      connection: harness.redis,
      prefix: harness.prefix,
    });
    this.#open.push(queue);
    return queue;
  }

  /** Waits until job `id` of queue `name` is in `state`, and returns it. */
  jobInState(
    harness: Harness,
    name: string,
    id: string,
    state: string,
  ): Promise<Job> {
    const queue = this.open(harness, name);
    return pollUntil(`job ${id} to be ${state}`, async () => {
      const job = await queue.getJob(id);
      return (await job?.getState()) === state ? job : undefined;
    });
  }

  /**
   * Retries a failed batch job as an operator's dashboard Retry does, and
   * waits until it failed again, with a new reason.
   */
  async retryUntilFailedAgain(harness: Harness, job: Job): Promise<Job> {
    const failedBefore = job.failedReason;
    await job.retry('failed');
    const batches = this.open(harness, 'batches');
    return pollUntil('the retry to fail', async () => {
      const found = await batches.getJob(job.id!);
      return found?.failedReason && found.failedReason !== failedBefore
        ? found
        : undefined;
    });
  }

  async closeAll(): Promise<void> {
    const open = this.#open.splice(0);
    await Promise.all(open.map((queue) => queue.close()));
  }
}
