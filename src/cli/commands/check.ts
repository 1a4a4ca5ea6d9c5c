import type { Command } from 'commander';

import { loadConfig } from '../../config/config.js';
import { EXIT } from '../exit-codes.js';
import { collectStartupChecks } from '../preflight.js';
import type { StartupCheck } from '../startup-checks.js';

interface CheckFlags {
  readonly json?: boolean;
  readonly streamProbe: boolean;
}

const EXAMPLES = `
Examples:
  $ stream-gdpr check
  $ stream-gdpr check --json
  $ stream-gdpr check --no-stream-probe

Checks, each reported ok, warn or fail:
  redis.reachable              Redis answers PING
  redis.maxmemory-policy       noeviction, or Redis may drop queued jobs (fail)
  redis.persistence            AOF or RDB snapshots on (warn when off)
  stream.credentials           STREAM_API_KEY and STREAM_API_SECRET set (fail)
  stream.credentials-accepted  Stream accepts them (asks for an unknown task)
Exit codes: 0 no check failed (warnings allowed), 1 a check failed,
2 invalid configuration, 3 Redis or Stream cannot be reached.`;

/** `stream-gdpr check`: runs the start-up safety checks and reports them. */
export function registerCheckCommand(program: Command): void {
  program
    .command('check')
    .description('run the start-up safety checks (Redis, Stream) and report')
    .option('--json', 'print the checks as JSON')
    .option('--no-stream-probe', 'do not call Stream to test the credentials')
    .addHelpText('after', EXAMPLES)
    .action(async (flags: CheckFlags) => {
      const config = loadConfig();
      const checks = await collectStartupChecks(config, {
        probeStream: flags.streamProbe,
      });
      process.stdout.write(
        flags.json
          ? `${JSON.stringify({ checks }, null, 2)}\n`
          : formatChecks(checks),
      );
      process.exitCode = exitCodeForChecks(checks);
    });
}

function exitCodeForChecks(checks: readonly StartupCheck[]) {
  const failed = checks.filter((check) => check.status === 'fail');
  if (failed.some((check) => check.unreachable)) return EXIT.unreachable;
  return failed.length > 0 ? EXIT.requestFailed : EXIT.ok;
}

function formatChecks(checks: readonly StartupCheck[]): string {
  const width = Math.max(...checks.map((check) => check.name.length));
  const lines = checks.flatMap((check) => {
    const head = `${check.status.padEnd(4)}  ${check.name.padEnd(width)}  ${check.message}`;
    return check.fix && check.status !== 'ok'
      ? [head, `${' '.repeat(width + 8)}fix: ${check.fix}`]
      : [head];
  });
  return `${lines.join('\n')}\n`;
}
