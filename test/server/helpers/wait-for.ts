import { pollUntil } from '../../support/poll.js';

/**
 * Polls `probe` until it returns something other than undefined, or fails
 * after `timeoutMs`. For real conditions only (a record's state, a count
 * of calls), never as a sleep.
 */
export function waitFor<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  return pollUntil(what, probe, { timeoutMs, intervalMs: 20 });
}
