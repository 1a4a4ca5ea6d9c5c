import { type Command, Option } from 'commander';

import { loadConfig } from '../../config/config.js';
import {
  isValidRequestId,
  REQUEST_ID_RULE,
} from '../../requests/request-id.js';
import { subjectKindOf } from '../../requests/subject-lookup.js';
import { createCommandLogger, withClient } from '../cli-context.js';
import { UsageError } from '../cli-errors.js';
import { followRequest, progressStyleFor } from '../follow-request.js';
import { printRecord } from '../request-output.js';
import { printSubjectStatus } from '../subject-status.js';

interface StatusFlags {
  readonly wait?: boolean;
  readonly json?: boolean;
  readonly subject?: string;
  readonly kind?: 'user' | 'channel';
}

const EXAMPLES = `
Examples:
  $ stream-gdpr status req_3f2a9c0e5b7d4e1f8a6b2c9d0e1f2a3b
  $ stream-gdpr status ticket-4711 --wait
  $ stream-gdpr status ticket-4711 --json | jq .status
  $ stream-gdpr status --subject alice
  $ stream-gdpr status --subject messaging:general --json

--subject ID lists the finished requests that mention a user id or channel
cid: request id, kind, status, when it finished and whether it erased (or
exported) that subject. Records kept pseudonymised (RECORD_PSEUDONYMISE)
are found when RECORD_PSEUDONYM_KEY is set to the key they were made with.

Exit codes: 0 found (with --wait: completed), 1 failed or partially failed,
2 unknown request id or no finished request mentions the subject,
3 Redis unreachable.`;

/** `stream-gdpr status`: prints a request's record, or follows it. */
export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description(
      "print a request's record (--wait follows it to the end), or the requests that erased a subject (--subject)",
    )
    .argument('[request-id]', 'the id erase/export printed')
    .option('--wait', 'follow the request until it ends, with a progress bar')
    .option('--json', 'print JSON, nothing else')
    .option(
      '--subject <id>',
      'instead of a request id: a user id or channel cid to look up',
    )
    .addOption(
      new Option(
        '--kind <kind>',
        'what --subject is (default: by its shape)',
      ).choices(['user', 'channel']),
    )
    .addHelpText('after', EXAMPLES)
    .action(async (requestId: string | undefined, flags: StatusFlags) => {
      if (flags.subject !== undefined) {
        if (requestId !== undefined || flags.wait) {
          throw new UsageError('--subject takes no request id and no --wait');
        }
        // Refuses a malformed id before Redis is touched.
        const kind = subjectKindOf(flags.subject, flags.kind);
        const config = loadConfig();
        const logger = createCommandLogger(config);
        await printSubjectStatus(config, logger, flags.subject, {
          ...flags,
          kind,
        });
        return;
      }
      if (flags.kind !== undefined) {
        throw new UsageError('--kind goes with --subject');
      }
      if (requestId === undefined) {
        throw new UsageError('Give a request id, or --subject ID');
      }
      if (!isValidRequestId(requestId)) {
        throw new UsageError(`Invalid request id: ${REQUEST_ID_RULE}`);
      }
      const config = loadConfig();
      const logger = createCommandLogger(config);
      await withClient(config, logger, async (client) => {
        const record = await client.getRequest(requestId);
        if (!record) {
          throw new UsageError(`No request with id ${requestId}`);
        }
        if (!flags.wait) {
          printRecord(record, flags);
          return;
        }
        const style = progressStyleFor(flags.json === true);
        printRecord(await followRequest(client, requestId, style), flags);
      });
    });
}
