import { type Command, InvalidArgumentError } from 'commander';

import { loadConfig, requireConfig } from '../../config/config.js';
import { createCommandLogger } from '../cli-context.js';
import { EXIT } from '../exit-codes.js';
import { stopRequested } from '../signals.js';

interface SandboxFlags {
  readonly port: number;
  readonly host: string;
}

/** Default port: next to the server's 8080, so both run side by side. */
const DEFAULT_PORT = 8090;

const EXAMPLES = `
Examples:
  $ STREAM_API_KEY=demo-key STREAM_API_SECRET=demo-secret-123 stream-gdpr sandbox
  $ stream-gdpr sandbox --port 0            # any free port
  $ stream-gdpr sandbox --host 0.0.0.0      # reachable from other containers

A local emulator of the Stream Chat endpoints this service uses, seeded with
a small demo set of users and channels. It accepts the STREAM_API_KEY and
STREAM_API_SECRET from the environment; point a worker at it with
STREAM_BASE_URL=<printed URL>. Runs until SIGINT/SIGTERM.`;

/** `stream-gdpr sandbox`: runs the Stream emulator. */
export function registerSandboxCommand(program: Command): void {
  program
    .command('sandbox')
    .description('run the local Stream sandbox (emulator)')
    .option(
      '--port <n>',
      'port to listen on; 0 picks a free one',
      parsePort,
      DEFAULT_PORT,
    )
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .addHelpText('after', EXAMPLES)
    .action(async (flags: SandboxFlags) => {
      const config = loadConfig();
      requireConfig(config, ['streamCredentials']);
      const logger = createCommandLogger(config);
      const stop = stopRequested(logger);
      const { startSandbox } = await import('../../sandbox/index.js');
      const sandbox = await startSandbox({
        apiKey: config.stream.apiKey ?? '',
        apiSecret: config.stream.apiSecret ?? '',
        host: flags.host,
        port: flags.port,
        seed: 'demo',
        logger,
        // A long-running sandbox would otherwise keep every call in memory.
        recordCalls: false,
      });
      process.stdout.write(
        `Stream sandbox listening on ${sandbox.url}\n` +
          `Point the worker at it with STREAM_BASE_URL=${sandbox.url}\n` +
          'Press Ctrl-C to stop.\n',
      );
      await stop;
      await sandbox.close();
      process.exitCode = EXIT.ok;
    });
}

/** Parses a TCP port; commander turns the error into exit 2. */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) {
    throw new InvalidArgumentError('expected a port number from 0 to 65535.');
  }
  return port;
}
