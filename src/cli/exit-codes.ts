/**
 * The CLI's exit codes, part of the public contract (PRODUCT.md): scripts
 * branch on them, so their meaning never changes.
 */
export const EXIT = {
  /** Done: enqueued, or with `--wait` completed; `check` found no failure. */
  ok: 0,
  /** The request failed or partially failed; `check` found a failure. */
  requestFailed: 1,
  /** Bad input, usage or configuration: nothing happened. */
  badInput: 2,
  /** Redis or Stream could not be reached. */
  unreachable: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
