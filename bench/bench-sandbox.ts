import { type Sandbox, startSandbox } from '../src/sandbox/index.js';
import type { RateLimitSettings } from '../src/sandbox/sandbox-types.js';
import type { Scope } from './scope.js';
import { BENCH_API_KEY, BENCH_API_SECRET } from './worker-fleet.js';

export interface BenchSandboxOptions {
  readonly latencyMs: number;
  readonly taskDurationMs: number;
  readonly rateLimit?: RateLimitSettings;
  /** Users that exist before the run; unknown ids are erased as no-ops. */
  readonly users?: readonly string[];
  /** Off for the million-id run, where keeping every call costs memory. */
  readonly recordCalls?: boolean;
}

/**
 * A sandbox in the bench process. Only children (workers, the customer
 * script, the no-op worker) call it, so the bench's own event loop serves
 * HTTP and does little else while a measurement runs.
 */
export async function startBenchSandbox(
  scope: Scope,
  options: BenchSandboxOptions,
): Promise<Sandbox> {
  const sandbox = await startSandbox({
    apiKey: BENCH_API_KEY,
    apiSecret: BENCH_API_SECRET,
    latencyMs: options.latencyMs,
    taskDurationMs: options.taskDurationMs,
    recordCalls: options.recordCalls ?? true,
    ...(options.rateLimit === undefined
      ? {}
      : { rateLimit: options.rateLimit }),
    ...(options.users === undefined
      ? {}
      : { seed: { users: options.users.map((id) => ({ id })) } }),
  });
  scope.defer(() => sandbox.close());
  return sandbox;
}
