import type { Job } from 'bullmq';
import type { Logger } from 'pino';

/**
 * The child logger of one job run: which request, which job, which queue,
 * which attempt. Never job.data beyond the request id.
 */
export function jobLogger(
  logger: Logger,
  job: Job<{ requestId: string }>,
  queue: string,
): Logger {
  return logger.child({
    requestId: job.data.requestId,
    jobId: job.id,
    queue,
    attempt: job.attemptsMade + 1,
  });
}
