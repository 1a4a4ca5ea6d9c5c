import type { Command } from 'commander';

import { loadConfig } from '../../config/config.js';
import type { ExportRequestInput } from '../../requests/gdpr-client-types.js';
import { createCommandLogger, withClient } from '../cli-context.js';
import { UsageError } from '../cli-errors.js';
import { collectIds, ID_FILE_FORMAT } from '../id-files.js';
import { reportEnqueued } from '../request-output.js';
import { appendFile } from './option-parsers.js';

interface ExportFlags {
  readonly user?: string[];
  readonly usersFile?: string[];
  readonly requestId?: string;
  readonly receivedAt?: string;
  readonly wait?: boolean;
  readonly json?: boolean;
}

const EXAMPLES = `
${ID_FILE_FORMAT}

Examples:
  $ stream-gdpr export --user alice
  $ stream-gdpr export --users-file users.txt --wait
  $ stream-gdpr export --user alice --request-id ticket-4712 --json --wait

The files Stream returns land under EXPORT_DIR/<request id>/ with a
manifest.json (ids, sizes, SHA-256).
Exit codes: 0 enqueued (with --wait: completed), 1 failed or partially
failed, 2 bad input, 3 Redis unreachable.`;

/** `stream-gdpr export`: enqueues an access (export) request. */
export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description("enqueue an access request (Art. 15/20): export users' data")
    .option('--user <id...>', 'user id to export (repeatable)')
    .option('--users-file <file>', 'file of user ids (repeatable)', appendFile)
    .option('--request-id <id>', 'your id for the request (idempotency key)')
    .option(
      '--received-at <iso>',
      'when the data subject asked (ISO 8601); the deadline is a month later',
    )
    .option('--wait', 'follow the request until it ends')
    .option('--json', 'print the request record as JSON, nothing else')
    .addHelpText('after', EXAMPLES)
    .action(async (flags: ExportFlags) => {
      const config = loadConfig();
      const input = await exportInput(flags);
      const logger = createCommandLogger(config);
      await withClient(config, logger, async (client) => {
        const result = await client.requestExport(input);
        await reportEnqueued(client, result, flags);
      });
    });
}

async function exportInput(flags: ExportFlags): Promise<ExportRequestInput> {
  if (flags.user === undefined && flags.usersFile === undefined) {
    throw new UsageError('Nothing to export: give --user or --users-file');
  }
  return {
    userIds: await collectIds(flags.user, flags.usersFile, '--users-file'),
    ...(flags.requestId === undefined ? {} : { requestId: flags.requestId }),
    ...(flags.receivedAt === undefined ? {} : { receivedAt: flags.receivedAt }),
  };
}
