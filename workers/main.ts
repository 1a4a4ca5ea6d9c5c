import { loadConfig, requireConfig } from '../src/config/config.js';
import { ConfigError } from '../src/errors/config-error.js';
import { createLogger } from '../src/logging/logger.js';
import { runWorkerProcess } from './worker-process.js';

/**
 * Entry of a bare worker process (`node dist/workers/main.js`): the same
 * as `stream-gdpr worker`, without the CLI. Exit codes: 0 after a graceful
 * shutdown, 2 on invalid configuration, 1 on any other failure.
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
  try {
    await runWorkerProcess(config, logger);
    process.exit(0);
  } catch (error) {
    logger.fatal({ err: error }, 'worker process failed');
    process.exit(1);
  }
}

void main();
