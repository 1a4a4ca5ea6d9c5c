import { deadlineFlag } from '../requests/deadline.js';
import type { RequestRecord } from '../requests/request-record.js';
import { TERMINAL_STATUSES } from '../requests/request-record.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { count } from './plural.js';
import { formatDuration, progressOf } from './progress.js';

/** Exit code for a request in this state: 1 when it (partially) failed. */
export function exitCodeForRecord(record: RequestRecord): ExitCode {
  return record.status === 'failed' || record.status === 'partially_failed'
    ? EXIT.requestFailed
    : EXIT.ok;
}

/** The record as the single JSON document `--json` promises on stdout. */
export function formatRecordJson(record: RequestRecord): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}

/**
 * A short human summary of a record. Subject ids are left out (they are in
 * `--json`), so a summary pasted into a ticket does not spread them.
 */
export function formatRecordSummary(
  record: RequestRecord,
  now: number = Date.now(),
): string {
  const progress = progressOf(record, now);
  const lines = [
    `Request ${record.id} (${record.kind}): ${record.status}`,
    `  subjects:  ${count(record.counts.users, 'user')}, ${count(record.counts.channels, 'channel')}` +
      (record.subjects.pseudonymised ? ' (pseudonymised)' : ''),
    `  batches:   ${progress.batchesDone}/${progress.batchesTotal} ended` +
      (progress.batchesFailed > 0 ? `, ${progress.batchesFailed} failed` : ''),
    `  received:  ${record.receivedAt}`,
    `  deadline:  ${record.deadlineAt}${deadlineNote(record, now)}`,
    `  elapsed:   ${formatDuration(progress.elapsedMs)}`,
  ];

  if (record.verification) {
    const { passed, stillListed } = record.verification;
    lines.push(
      `  verified:  ${passed ? 'yes, no subject is listed by Stream any more' : `NO, ${count(record.verification.stillListedCount ?? stillListed.length, 'subject')} still listed`}`,
    );
  }
  if (record.artifacts) {
    lines.push(
      `  export:    ${count(record.artifacts.files.length, 'file')} in ${record.artifacts.directory}`,
    );
  }
  if (record.webhook) {
    const { state, attempts, lastStatus } = record.webhook;
    lines.push(
      `  webhook:   ${state} after ${count(attempts, 'attempt')} (last HTTP ${lastStatus || 'no answer'})`,
    );
  }
  const failures = record.failureCount ?? record.failures.length;
  if (failures > 0) {
    lines.push(
      `  failures:  ${count(failures, 'subject')}; see --json for details`,
    );
  }
  if (record.error) {
    lines.push(`  error:     ${record.error.code}: ${record.error.message}`);
  }
  for (const batch of record.batches) {
    if (batch.error) {
      lines.push(
        `  batch ${batch.index} (${batch.target}): ${batch.error.code}: ${batch.error.message}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Flags a request within 7 days of its deadline or past it, and one that
 * finished late, from the record's deadline flag (computed for `now` when
 * a hand-built record lacks it).
 */
export function deadlineNote(
  record: RequestRecord,
  now: number = Date.now(),
): string {
  const finishedAt = TERMINAL_STATUSES.includes(record.status)
    ? record.finishedAt
    : undefined;
  const flag =
    record.deadline ?? deadlineFlag(record.deadlineAt, finishedAt, now);
  const days = Math.abs(flag.daysLeft);
  switch (flag.state) {
    case 'due_soon':
      return `  (due in ${count(days, 'day')})`;
    case 'overdue':
      return `  (PAST DEADLINE by ${count(days, 'day')})`;
    case 'missed':
      return `  (MISSED: finished ${count(days, 'day')} late)`;
    case 'on_track':
    case 'met':
      return '';
  }
}
