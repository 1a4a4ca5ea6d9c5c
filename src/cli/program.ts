import { Command } from 'commander';

import { registerCheckCommand } from './commands/check.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerEraseCommand } from './commands/erase.js';
import { registerExportCommand } from './commands/export.js';
import { registerSandboxCommand } from './commands/sandbox.js';
import { registerServeCommand } from './commands/serve.js';
import { registerStartCommand } from './commands/start.js';
import { registerStatusCommand } from './commands/status.js';
import { registerWorkerCommand } from './commands/worker.js';
import { CLI_VERSION } from './version.js';

const EXAMPLES = `
Examples:
  $ stream-gdpr demo                        # everything, locally, in one command
  $ stream-gdpr erase --user alice --wait
  $ stream-gdpr export --users-file users.txt --json
  $ stream-gdpr status ticket-4711 --wait
  $ stream-gdpr check

Configuration comes from environment variables (see .env.example).
Exit codes: 0 success, 1 request failed, 2 bad input, 3 cannot reach Redis
or Stream.`;

/**
 * The `stream-gdpr` command tree. Commander's own exits are turned into
 * exceptions (`exitOverride`) so main.ts maps every failure to the
 * contract's exit codes; subcommands inherit this from `.command()`.
 */
export function buildProgram(): Command {
  const program = new Command('stream-gdpr')
    .description(
      'GDPR access and erasure requests for Stream Chat, queued on Redis',
    )
    .version(CLI_VERSION, '-V, --version')
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', EXAMPLES);

  registerWorkerCommand(program);
  registerServeCommand(program);
  registerStartCommand(program);
  registerEraseCommand(program);
  registerExportCommand(program);
  registerStatusCommand(program);
  registerSandboxCommand(program);
  registerDemoCommand(program);
  registerCheckCommand(program);
  return program;
}
