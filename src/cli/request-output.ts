import type {
  EnqueueResult,
  GdprClient,
} from '../requests/gdpr-client-types.js';
import type { RequestRecord } from '../requests/request-record.js';
import { EXIT } from './exit-codes.js';
import { followRequest, progressStyleFor } from './follow-request.js';
import { count } from './plural.js';
import {
  exitCodeForRecord,
  formatRecordJson,
  formatRecordSummary,
} from './record-output.js';

export interface OutputFlags {
  readonly wait?: boolean;
  readonly json?: boolean;
}

/**
 * Shows a record (`--json`: the record alone) and sets the exit code from
 * its status.
 */
export function printRecord(record: RequestRecord, flags: OutputFlags): void {
  process.stdout.write(
    flags.json ? formatRecordJson(record) : formatRecordSummary(record),
  );
  process.exitCode = exitCodeForRecord(record);
}

/**
 * After an enqueue: either reports it (exit 0) or, with `--wait`, follows
 * the request to its end and reports the outcome.
 */
export async function reportEnqueued(
  client: GdprClient,
  result: EnqueueResult,
  flags: OutputFlags,
): Promise<void> {
  if (flags.wait) {
    const style = progressStyleFor(flags.json === true);
    if (style !== 'none') {
      process.stdout.write(enqueuedLine(result));
    }
    printRecord(await followRequest(client, result.requestId, style), flags);
    return;
  }

  if (flags.json) {
    // The enqueue result lists at most 1,000 subjects; --json promises all.
    const record = result.record.subjectsTruncated
      ? ((await client.getRequest(result.requestId)) ?? result.record)
      : result.record;
    process.stdout.write(formatRecordJson(record));
  } else {
    process.stdout.write(
      `${enqueuedLine(result)}Follow it with: stream-gdpr status ${result.requestId} --wait\n`,
    );
  }
  process.exitCode = EXIT.ok;
}

function enqueuedLine(result: EnqueueResult): string {
  const { record } = result;
  const what =
    record.kind === 'erasure'
      ? `Erasure of ${count(record.counts.users, 'user')} and ${count(record.counts.channels, 'channel')}`
      : `Export of ${count(record.counts.users, 'user')}`;
  const verb = result.created ? 'enqueued' : 'already exists (same content)';
  return `${what} ${verb} as request ${result.requestId} (status ${record.status})\n`;
}
