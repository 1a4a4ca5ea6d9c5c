import { stopRequested } from '../src/cli/signals.js';
import { loadConfig, requireConfig } from '../src/config/config.js';
import { ConfigError } from '../src/errors/config-error.js';
import { createLogger } from '../src/logging/logger.js';

/**
 * Entry of a bare worker process (`node dist/workers/main.js`): the same
 * as `stream-gdpr worker`, without the CLI and its start-up checks. Exit
 * codes: 0 after a graceful shutdown, 2 on invalid configuration, 1 on any
 * other failure.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
    requireConfig(config, ['streamCredentials']);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }

    throw error;
  }

  const logger = createLogger({
    level: config.log.level,
    pretty: config.log.pretty,
    base: { role: 'worker', pid: process.pid },
  });
  // Before BullMQ is even loaded: a SIGTERM from here on is queued until
  // the workers have started, then shuts them down gracefully.
  const stop = stopRequested(logger);
  logger.info('starting workers');
  try {
    const { runWorkerProcess } = await import('./worker-process.js');
    await runWorkerProcess(config, logger, { stop });
    process.exit(0);
  } catch (error) {
    // A cluster prefix without a hash tag is found when connecting.
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }

    logger.fatal({ err: error }, 'worker process failed');
    process.exit(1);
  }
}

void main();
