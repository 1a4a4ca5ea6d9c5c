import type { Command } from 'commander';

import { loadConfig } from '../../config/config.js';
import { createServiceLogger } from '../cli-context.js';
import { EXIT } from '../exit-codes.js';
import { assertReadyToStart } from '../preflight.js';
import { stopRequested } from '../signals.js';

const EXAMPLES = `
Examples:
  $ API_TOKEN=… DASHBOARD_USER=dpo DASHBOARD_PASSWORD=… stream-gdpr serve
  $ HTTP_HOST=0.0.0.0 HTTP_PORT=8080 stream-gdpr serve

Serves the intake and status API (/v1/…, needs API_TOKEN), the dashboard
(/dashboard, needs DASHBOARD_USER and DASHBOARD_PASSWORD), /metrics,
/healthz and /readyz. Runs until SIGTERM or SIGINT.`;

/** `stream-gdpr serve`: runs the HTTP server. */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the HTTP server: intake API, dashboard, metrics, health')
    .addHelpText('after', EXAMPLES)
    .action(async () => {
      const config = loadConfig();
      // startServer binds `component: server` itself.
      const logger = createServiceLogger(config);
      const stop = stopRequested(logger);
      // The server enqueues but never calls Stream, so it needs no credentials.
      await assertReadyToStart(config, logger, ['stream.credentials']);
      const { startServer } = await import('../../server/start-server.js');
      const server = await startServer({ config, logger });
      await stop;
      await server.close();
      process.exitCode = EXIT.ok;
    });
}
