import type { Config } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import type { SubjectRequestMatch } from '../requests/gdpr-client-types.js';
import { withClient } from './cli-context.js';
import { EXIT } from './exit-codes.js';
import { count } from './plural.js';

export interface SubjectStatusFlags {
  readonly json?: boolean;
  readonly kind?: 'user' | 'channel';
}

/** What `status --subject --json` prints: one JSON document. */
export interface SubjectStatusReport {
  readonly found: boolean;
  /** False when RECORD_PSEUDONYM_KEY is unset: pseudonymised records were not searched. */
  readonly pseudonymisedSearched: boolean;
  readonly requests: readonly SubjectRequestMatch[];
}

/**
 * `stream-gdpr status --subject ID`: which finished requests mention the
 * subject, whether each erased it, and when. Exits 0 when one does, 2 when
 * none does. The id itself is not echoed, so the output can be pasted
 * into a ticket.
 */
export async function printSubjectStatus(
  config: Config,
  logger: Logger,
  subject: string,
  flags: SubjectStatusFlags,
): Promise<void> {
  await withClient(config, logger, async (client) => {
    const requests = await client.findRequestsForSubject(subject, flags.kind);
    const report: SubjectStatusReport = {
      found: requests.length > 0,
      pseudonymisedSearched: config.retention.pseudonymKey !== undefined,
      requests,
    };
    process.stdout.write(
      flags.json
        ? `${JSON.stringify(report, null, 2)}\n`
        : formatSubjectReport(report),
    );
    process.exitCode = report.found ? EXIT.ok : EXIT.badInput;
  });
}

/** The human form of a report: one line per request. */
export function formatSubjectReport(report: SubjectStatusReport): string {
  const lines: string[] = [];
  if (!report.found) {
    lines.push('No finished request mentions this subject.');
  } else {
    lines.push(
      `This subject appears in ${count(report.requests.length, 'finished request')}:`,
    );
    for (const match of report.requests) lines.push(`  ${matchLine(match)}`);
  }

  if (!report.pseudonymisedSearched) {
    lines.push(
      'Pseudonymised records were not searched: RECORD_PSEUDONYM_KEY is not set.',
    );
  }

  return `${lines.join('\n')}\n`;
}

function matchLine(match: SubjectRequestMatch): string {
  const verdict =
    match.reason === undefined
      ? match.outcome
      : `${match.outcome} (${match.reason.replaceAll('_', ' ')})`;
  const when = match.finishedAt ?? 'not finished';
  return `${match.requestId}  ${match.kind} ${match.status}  finished ${when}  ${match.subjectKind} ${verdict}`;
}
