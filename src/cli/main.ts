import { CommanderError } from 'commander';

import { describeError, exitCodeFor } from './error-exit.js';
import { EXIT } from './exit-codes.js';
import { buildProgram } from './program.js';

/**
 * How long a finished command may take to let go of the event loop before
 * it is ended anyway; a client that keeps a socket open must not turn a
 * finished `erase` into a hanging one.
 */
const EXIT_GRACE_MS = 2000;

async function main(argv: readonly string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed its message.
      process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.badInput;
    } else {
      process.stderr.write(`stream-gdpr: ${describeError(error)}\n`);
      process.exitCode = exitCodeFor(error);
    }
  }
  setTimeout(() => process.exit(), EXIT_GRACE_MS).unref();
}

// A reader that stops early (`stream-gdpr --help | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok);
  throw error;
});

await main(process.argv);
