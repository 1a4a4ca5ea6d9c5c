import type { BenchRow } from './bench-types.js';
import type { Outcome } from './context.js';

/** A row whose measurement failed: no figures, the reason as its note. */
export function failedRow(
  id: string,
  scenario: string,
  goal: string,
  error: string,
): BenchRow {
  return {
    id,
    scenario,
    measured: 'failed',
    baseline: '—',
    ratio: undefined,
    goal,
    met: undefined,
    note: error,
  };
}

/** The first failure among outcomes a row depends on, if any. */
export function firstError(
  ...outcomes: readonly Outcome<unknown>[]
): string | undefined {
  for (const outcome of outcomes) {
    if (!outcome.ok) return outcome.error;
  }

  return undefined;
}

/** `value` when the outcome succeeded, else undefined; for details. */
export function valueOf<T>(outcome: Outcome<T>): T | { error: string } {
  return outcome.ok ? outcome.value : { error: outcome.error };
}
