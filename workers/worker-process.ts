import type { Logger } from 'pino';

import type { Config } from '../src/config/config.js';
import { startWorkers } from './start-workers.js';

/**
 * Runs the workers until SIGTERM or SIGINT. The first signal stops taking
 * jobs, lets active ones finish (each is one short Stream call; waits are
 * delayed jobs, so nothing long is in flight) and closes the connections,
 * then resolves. A second signal exits at once; jobs still active are
 * handed back by BullMQ's stalled-job recovery when their lock expires.
 */
export async function runWorkerProcess(
  config: Config,
  logger: Logger,
): Promise<void> {
  const workers = await startWorkers({ config, logger });
  await new Promise<void>((resolve, reject) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        logger.warn({ signal }, 'second signal: exiting immediately');
        process.exit(1);
      }

      stopping = true;
      logger.info({ signal }, 'shutting down: finishing active jobs');
      workers.close().then(resolve, reject);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
