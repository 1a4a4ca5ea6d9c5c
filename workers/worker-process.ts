import type { Logger } from 'pino';

import { stopRequested } from '../src/cli/signals.js';
import type { Config } from '../src/config/config.js';
import { startWorkers } from './start-workers.js';

export interface WorkerProcessOptions {
  /**
   * Resolves on the signal that stops the process. Pass one obtained with
   * `stopRequested` before anything slow ran (loading modules, start-up
   * checks), so an early SIGTERM is queued instead of killing the process;
   * installed here, before the workers start, when omitted.
   */
  readonly stop?: Promise<NodeJS.Signals>;
}

/**
 * Runs the workers until SIGTERM or SIGINT, recording Stream call metrics
 * for the server's `/metrics`. A signal during start-up waits for the
 * start to finish, then shuts down. The first signal stops taking jobs,
 * lets active ones finish (each is one short Stream call; waits are
 * delayed jobs, so nothing long is in flight) and closes the connections,
 * then resolves. A second signal exits at once; jobs still active are
 * handed back by BullMQ's stalled-job recovery when their lock expires.
 */
export async function runWorkerProcess(
  config: Config,
  logger: Logger,
  options: WorkerProcessOptions = {},
): Promise<void> {
  const stop = options.stop ?? stopRequested(logger);
  const workers = await startWorkers({
    config,
    logger,
    recordStreamCalls: true,
  });
  await stop;
  await workers.close();
}
