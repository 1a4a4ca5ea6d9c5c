import type { RequestRecord } from '../../src/requests/request-record.js';
import type {
  FaultKind,
  SandboxCall,
  SandboxEndpoint,
} from '../../src/sandbox/sandbox-types.js';

/**
 * Prints one suite's figures as a single `RELIABILITY <name>: {json}` line
 * on stdout; the README's Reliability section quotes these lines.
 */
export function printFigures(
  name: string,
  figures: Record<string, unknown>,
): void {
  process.stdout.write(`\nRELIABILITY ${name}: ${JSON.stringify(figures)}\n`);
}

/** How many answered calls carried each injected fault. */
export function faultsByKind(
  calls: readonly SandboxCall[],
): Partial<Record<FaultKind, number>> {
  const counts: Partial<Record<FaultKind, number>> = {};
  for (const call of calls) {
    if (call.fault) counts[call.fault] = (counts[call.fault] ?? 0) + 1;
  }

  return counts;
}

/** Calls per endpoint. */
export function callsByEndpoint(
  calls: readonly SandboxCall[],
): Partial<Record<SandboxEndpoint | 'unknown', number>> {
  const counts: Partial<Record<SandboxEndpoint | 'unknown', number>> = {};
  for (const call of calls)
    counts[call.endpoint] = (counts[call.endpoint] ?? 0) + 1;
  return counts;
}

/** Totals over the batches of finished records. */
export function batchTotals(records: readonly RequestRecord[]) {
  let batches = 0;
  let extraAttempts = 0;
  let resubmissions = 0;
  let reconciliations = 0;
  let resubmittedBatches = 0;
  let failedTasks = 0;
  for (const record of records) {
    for (const batch of record.batches) {
      batches += 1;
      extraAttempts += Math.max(0, batch.attempts - 1);
      resubmissions += batch.resubmissions ?? 0;
      reconciliations += batch.reconciliations ?? 0;
      if ((batch.resubmissions ?? 0) > 0) resubmittedBatches += 1;
      failedTasks += batch.taskHistory?.length ?? 0;
    }
  }

  return {
    batches,
    extraAttempts,
    resubmissions,
    reconciliations,
    resubmittedBatches,
    failedTasks,
  };
}

/** Seconds since `startedAt`, to one decimal. */
export function secondsSince(startedAt: number): number {
  return Math.round((Date.now() - startedAt) / 100) / 10;
}
