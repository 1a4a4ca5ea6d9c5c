import {
  type BenchSandboxOptions,
  startBenchSandbox,
} from './bench-sandbox.js';
import { runJsonChild } from './child-json.js';
import type { BenchContext } from './context.js';
import type { CustomerConfig, CustomerResult } from './customer-script.js';
import { CUSTOMER_SCRIPT } from './paths.js';
import { callCounts } from './rate-usage.js';
import type { Scope } from './scope.js';
import { BENCH_API_KEY, BENCH_API_SECRET } from './worker-fleet.js';

export interface CustomerRun extends CustomerResult {
  /** Calls the sandbox saw, by endpoint and status. */
  readonly sandboxCalls: Record<string, Record<string, number>>;
}

/** The SDK script (customer-script.ts) against a fresh sandbox. */
export async function runCustomerScript(
  ctx: BenchContext,
  scope: Scope,
  options: {
    readonly label: string;
    readonly sandbox: BenchSandboxOptions;
    readonly userTag: string;
    readonly userCount: number;
    readonly parallel: number;
  },
): Promise<CustomerRun> {
  const sandbox = await startBenchSandbox(scope, options.sandbox);
  const config: CustomerConfig = {
    baseUrl: sandbox.url,
    apiKey: BENCH_API_KEY,
    apiSecret: BENCH_API_SECRET,
    userTag: options.userTag,
    userCount: options.userCount,
    parallel: options.parallel,
    pollMs: 1000,
  };
  const result = await runJsonChild<CustomerResult>(scope, {
    script: CUSTOMER_SCRIPT,
    label: options.label,
    runDir: ctx.runDir,
    env: { BENCH_CUSTOMER: JSON.stringify(config) },
  });
  return { ...result, sandboxCalls: callCounts(sandbox.calls) };
}
