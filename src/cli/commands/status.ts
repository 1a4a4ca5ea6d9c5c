import type { Command } from 'commander';

import { loadConfig } from '../../config/config.js';
import {
  isValidRequestId,
  REQUEST_ID_RULE,
} from '../../requests/request-id.js';
import { createCommandLogger, withClient } from '../cli-context.js';
import { UsageError } from '../cli-errors.js';
import { followRequest, progressStyleFor } from '../follow-request.js';
import { printRecord } from '../request-output.js';

interface StatusFlags {
  readonly wait?: boolean;
  readonly json?: boolean;
}

const EXAMPLES = `
Examples:
  $ stream-gdpr status req_3f2a9c0e5b7d4e1f8a6b2c9d0e1f2a3b
  $ stream-gdpr status ticket-4711 --wait
  $ stream-gdpr status ticket-4711 --json | jq .status

Exit codes: 0 found (with --wait: completed), 1 failed or partially failed,
2 unknown request id, 3 Redis unreachable.`;

/** `stream-gdpr status`: prints a request's record, or follows it. */
export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description("print a request's record; --wait follows it to the end")
    .argument('<request-id>', 'the id erase/export printed')
    .option('--wait', 'follow the request until it ends, with a progress bar')
    .option('--json', 'print the request record as JSON, nothing else')
    .addHelpText('after', EXAMPLES)
    .action(async (requestId: string, flags: StatusFlags) => {
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
