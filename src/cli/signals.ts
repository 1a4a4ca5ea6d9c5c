import type { Logger } from '../logging/logger.js';

/**
 * Resolves with the first SIGINT or SIGTERM. Call it before starting
 * anything, so a signal that arrives during start-up is not lost (Node
 * would otherwise end the process without a graceful close); the caller
 * then closes what it started. A second signal exits at once with code 1:
 * the operator has decided not to wait.
 */
export function stopRequested(logger: Logger): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let received = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      received += 1;
      if (received > 1) {
        logger.warn({ signal }, 'Second signal: exiting without waiting');
        process.exit(1);
      }
      logger.info({ signal }, 'Shutting down; send again to exit at once');
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
