import { type Command, InvalidArgumentError } from 'commander';

import { loadConfig } from '../../config/config.js';
import type { ErasureRequestInput } from '../../requests/gdpr-client-types.js';
import type { ErasureMode } from '../../requests/request-record.js';
import { createCommandLogger, withClient } from '../cli-context.js';
import { UsageError } from '../cli-errors.js';
import { formatPlan, planErasure } from '../erasure-plan.js';
import { EXIT } from '../exit-codes.js';
import { collectIds, ID_FILE_FORMAT } from '../id-files.js';
import { reportEnqueued } from '../request-output.js';
import { appendFile } from './option-parsers.js';

interface EraseFlags {
  readonly user?: string[];
  readonly usersFile?: string[];
  readonly channel?: string[];
  readonly channelsFile?: string[];
  readonly requestId?: string;
  readonly mode: ErasureMode;
  readonly newChannelOwner?: string;
  readonly deleteFiles?: boolean;
  readonly receivedAt?: string;
  readonly wait?: boolean;
  readonly json?: boolean;
  readonly dryRun?: boolean;
}

const EXAMPLES = `
${ID_FILE_FORMAT}

Examples:
  $ stream-gdpr erase --user alice --user bob
  $ stream-gdpr erase --users-file users.txt --channels-file channels.txt --wait
  $ stream-gdpr erase --channel messaging:dm-alice-bob --dry-run
  $ stream-gdpr erase --user alice --request-id ticket-4711 \\
      --received-at 2026-01-15T09:00:00Z --json --wait

Users are deleted with user, messages and conversations = hard (or pruning
with --mode pruning); channels with hard_delete. Both are irreversible.
Exit codes: 0 enqueued (with --wait: completed), 1 failed or partially
failed, 2 bad input, 3 Redis unreachable.`;

/** `stream-gdpr erase`: enqueues (or with --dry-run, plans) an erasure. */
export function registerEraseCommand(program: Command): void {
  program
    .command('erase')
    .description('enqueue an erasure request (Art. 17) for users and channels')
    .option('--user <id...>', 'user id to erase (repeatable)')
    .option('--users-file <file>', 'file of user ids (repeatable)', appendFile)
    .option('--channel <cid...>', 'channel cid type:id to erase (repeatable)')
    .option(
      '--channels-file <file>',
      'file of channel cids (repeatable)',
      appendFile,
    )
    .option('--request-id <id>', 'your id for the request (idempotency key)')
    .option(
      '--mode <mode>',
      'how users are deleted: hard or pruning',
      parseMode,
      'hard',
    )
    .option(
      '--new-channel-owner <id>',
      'user who takes over channels the erased users created',
    )
    .option(
      '--delete-files',
      'also delete files and images the users uploaded (the default)',
    )
    .option('--no-delete-files', 'keep the files and images the users uploaded')
    .option(
      '--received-at <iso>',
      'when the data subject asked (ISO 8601); the deadline is a month later',
    )
    .option('--wait', 'follow the request until it ends')
    .option('--json', 'print the request record as JSON, nothing else')
    .option('--dry-run', 'print the plan and enqueue nothing')
    .addHelpText('after', EXAMPLES)
    .action(async (flags: EraseFlags) => {
      const config = loadConfig();
      const input = await erasureInput(flags);
      if (flags.dryRun) {
        const plan = planErasure(input, config);
        process.stdout.write(
          flags.json ? `${JSON.stringify(plan, null, 2)}\n` : formatPlan(plan),
        );
        process.exitCode = EXIT.ok;
        return;
      }

      const logger = createCommandLogger(config);
      await withClient(config, logger, async (client) => {
        const result = await client.requestErasure(input);
        await reportEnqueued(client, result, flags);
      });
    });
}

async function erasureInput(flags: EraseFlags): Promise<ErasureRequestInput> {
  const given = [
    flags.user,
    flags.usersFile,
    flags.channel,
    flags.channelsFile,
  ];
  if (given.every((list) => list === undefined)) {
    throw new UsageError(
      'Nothing to erase: give --user, --users-file, --channel or --channels-file',
    );
  }

  const userIds = await collectIds(flags.user, flags.usersFile, '--users-file');
  const channelCids = await collectIds(
    flags.channel,
    flags.channelsFile,
    '--channels-file',
  );
  return {
    // A flag given with an empty file still reaches the library, which
    // rejects the empty list naming it, instead of being silently dropped.
    ...(flags.user || flags.usersFile ? { userIds } : {}),
    ...(flags.channel || flags.channelsFile ? { channelCids } : {}),
    mode: flags.mode,
    ...(flags.deleteFiles === undefined
      ? {}
      : { deleteFiles: flags.deleteFiles }),
    ...(flags.requestId === undefined ? {} : { requestId: flags.requestId }),
    ...(flags.receivedAt === undefined ? {} : { receivedAt: flags.receivedAt }),
    ...(flags.newChannelOwner === undefined
      ? {}
      : { newChannelOwnerId: flags.newChannelOwner }),
  };
}

function parseMode(value: string): ErasureMode {
  if (value === 'hard' || value === 'pruning') return value;
  if (value === 'soft') {
    throw new InvalidArgumentError(
      'soft is refused: a soft delete can be restored, so it is not an erasure.',
    );
  }
  throw new InvalidArgumentError('expected hard or pruning.');
}
