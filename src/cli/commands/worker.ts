import type { Command } from 'commander';

import { loadConfig, requireConfig } from '../../config/config.js';
import { createServiceLogger } from '../cli-context.js';
import { EXIT } from '../exit-codes.js';
import { assertReadyToStart } from '../preflight.js';
import { stopRequested } from '../signals.js';

const EXAMPLES = `
Examples:
  $ STREAM_API_KEY=… STREAM_API_SECRET=… stream-gdpr worker
  $ WORKER_CONCURRENCY=4 REDIS_URL=redis://redis:6379 stream-gdpr worker

Runs until SIGTERM or SIGINT, then stops taking jobs and lets running ones
finish; a second signal exits at once. Refuses to start when Redis's
maxmemory-policy is not noeviction or Stream credentials are missing
(run \`stream-gdpr check\` to see why). Run as many as you like on one Redis.`;

/** `stream-gdpr worker`: runs the queue workers. */
export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('run the workers until SIGTERM/SIGINT')
    .addHelpText('after', EXAMPLES)
    .action(async () => {
      const config = loadConfig();
      requireConfig(config, ['streamCredentials']);
      const logger = createServiceLogger(config, 'worker');
      // Installed first, so a signal during the checks or the start is
      // queued and ends in a graceful close.
      const stop = stopRequested(logger);
      await assertReadyToStart(config, logger);
      const { runWorkerProcess } =
        await import('../../../workers/worker-process.js');
      await runWorkerProcess(config, logger, { stop });
      process.exitCode = EXIT.ok;
    });
}
