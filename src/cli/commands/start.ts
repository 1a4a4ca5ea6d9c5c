import type { Command } from 'commander';

import { loadConfig, requireConfig } from '../../config/config.js';
import { createServiceLogger } from '../cli-context.js';
import { EXIT } from '../exit-codes.js';
import { assertReadyToStart } from '../preflight.js';
import { stopRequested } from '../signals.js';

const EXAMPLES = `
Examples:
  $ npm start
  $ STREAM_API_KEY=… STREAM_API_SECRET=… API_TOKEN=… stream-gdpr start

The workers and the HTTP server in one process (what \`npm start\` runs).
The first SIGTERM/SIGINT closes both gracefully; a second exits at once.`;

/** `stream-gdpr start`: workers and server in one process. */
export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('run the workers and the HTTP server in one process')
    .addHelpText('after', EXAMPLES)
    .action(async () => {
      const config = loadConfig();
      requireConfig(config, ['streamCredentials']);
      // Each part binds its own component (`worker`, `server`).
      const logger = createServiceLogger(config);
      const stop = stopRequested(logger);
      await assertReadyToStart(config, logger);

      const { startWorkers } =
        await import('../../../workers/start-workers.js');
      const { startServer } = await import('../../server/start-server.js');
      const workers = await startWorkers({
        config,
        logger: logger.child({ component: 'worker' }),
        recordStreamCalls: true,
      });
      let server: Awaited<ReturnType<typeof startServer>>;
      try {
        server = await startServer({ config, logger });
      } catch (error) {
        await workers.close();
        throw error;
      }

      await stop;
      const results = await Promise.allSettled([
        server.close(),
        workers.close(),
      ]);
      for (const result of results) {
        if (result.status === 'rejected') {
          logger.error({ err: result.reason }, 'Shutdown step failed');
        }
      }
      process.exitCode = EXIT.ok;
    });
}
