import type { BenchRedis } from './redis-server.js';
import { describeError, type Scope, withDeadline } from './scope.js';

/** What every scenario gets from the runner. */
export interface BenchContext {
  readonly redis: BenchRedis;
  /** Temp directory for logs, exports and profiles of this run. */
  readonly runDir: string;
  readonly quick: boolean;
  /** Set under `--profile`: worker children write CPU profiles here. */
  readonly profileDir: string | undefined;
  /** From `--env`: added to every worker process's environment. */
  readonly workerEnv: Readonly<Record<string, string>>;
}

export type Outcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: string };

/**
 * One measurement on an empty Redis, with a deadline. A failure or timeout
 * becomes an `ok: false` outcome so the scenario can still fill its rows.
 */
export async function measure<T>(
  ctx: BenchContext,
  label: string,
  deadlineMs: number,
  work: (scope: Scope) => Promise<T>,
): Promise<Outcome<T>> {
  await ctx.redis.flush();
  const started = performance.now();
  progress(`${label} …`);
  try {
    const value = await withDeadline(label, deadlineMs, work);
    progress(`${label}: done in ${seconds(performance.now() - started)}`);
    return { ok: true, value };
  } catch (error) {
    const message = describeError(error);
    progress(`${label}: FAILED (${message})`);
    return { ok: false, error: message };
  }
}

/** Progress goes to stderr so stdout carries only the table. */
export function progress(message: string): void {
  console.error(`bench ▸ ${message}`);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
