import type { BenchSandboxOptions } from '../bench-sandbox.js';
import type { BenchRow, ScenarioResult } from '../bench-types.js';
import { type BenchContext, measure } from '../context.js';
import { runCustomerScript } from '../customer-run.js';
import { runDetails, runOurErasure } from '../our-erasure.js';
import { failedRow, firstError, valueOf } from '../rows.js';
import { formatDuration } from '../table.js';
import { benchUserIds } from '../user-ids.js';

/** 150 ms a call, tasks of 1 s, no quota anyone reaches. */
export const LATENCY_SANDBOX = {
  latencyMs: 150,
  taskDurationMs: 1000,
} as const satisfies BenchSandboxOptions;

const SPEEDUP_VS_SEQUENTIAL = 8;
const WITHIN_PARALLEL = 1.2;

/**
 * Scenario 1: the worker at default settings against the customer's SDK
 * script, sequential and 10 batches in parallel, on the same sandbox
 * settings and the same users, one after the other in this run.
 */
export async function latencyScenario(
  ctx: BenchContext,
): Promise<ScenarioResult> {
  const userCount = ctx.quick ? 1_000 : 3_000;
  const tag = 'lat';
  const userIds = benchUserIds(tag, userCount);
  const sandbox = { ...LATENCY_SANDBOX, users: userIds };
  // The sequential script needs ~1.5 s a batch; everything else far less.
  const scriptDeadline = (userCount / 100) * 4_000 + 60_000;

  const ours = await measure(ctx, 'latency (a) our worker', 180_000, (scope) =>
    runOurErasure(ctx, scope, {
      label: 'latency-a',
      workers: 1,
      sandbox,
      userIds,
      waitMs: 170_000,
    }),
  );
  const sequential = await measure(
    ctx,
    'latency (b) SDK script, sequential',
    scriptDeadline,
    (scope) =>
      runCustomerScript(ctx, scope, {
        label: 'latency-b',
        sandbox,
        userTag: tag,
        userCount,
        parallel: 1,
      }),
  );
  const parallel = await measure(
    ctx,
    'latency (c) SDK script, 10 parallel',
    scriptDeadline,
    (scope) =>
      runCustomerScript(ctx, scope, {
        label: 'latency-c',
        sandbox,
        userTag: tag,
        userCount,
        parallel: 10,
      }),
  );

  const users = `${userCount.toLocaleString('en-US')} users`;
  const rows: BenchRow[] = [];
  const vsB = firstError(ours, sequential);
  const vsBLabel = `1 latency: (a) worker vs (b) SDK sequential, ${users}`;
  const vsBGoal = `≥ ${SPEEDUP_VS_SEQUENTIAL}× faster`;
  if (vsB !== undefined || !ours.ok || !sequential.ok) {
    rows.push(failedRow('latency.a-vs-b', vsBLabel, vsBGoal, vsB ?? ''));
  } else {
    const ratio = sequential.value.elapsedMs / ours.value.completionMs;
    rows.push({
      id: 'latency.a-vs-b',
      scenario: vsBLabel,
      measured: formatDuration(ours.value.completionMs),
      baseline: formatDuration(sequential.value.elapsedMs),
      ratio,
      goal: vsBGoal,
      met:
        ratio >= SPEEDUP_VS_SEQUENTIAL &&
        ours.value.record.status === 'completed',
      ...statusNote(ours.value.record.status),
    });
  }

  const vsC = firstError(ours, parallel);
  const vsCLabel = `1 latency: (a) worker vs (c) SDK 10 parallel, ${users}`;
  const vsCGoal = `≥ ${(1 / WITHIN_PARALLEL).toFixed(2)}× (within ${WITHIN_PARALLEL}×)`;
  if (vsC !== undefined || !ours.ok || !parallel.ok) {
    rows.push(failedRow('latency.a-vs-c', vsCLabel, vsCGoal, vsC ?? ''));
  } else {
    const ratio = parallel.value.elapsedMs / ours.value.completionMs;
    rows.push({
      id: 'latency.a-vs-c',
      scenario: vsCLabel,
      measured: formatDuration(ours.value.completionMs),
      baseline: formatDuration(parallel.value.elapsedMs),
      ratio,
      goal: vsCGoal,
      met:
        ratio >= 1 / WITHIN_PARALLEL &&
        ours.value.record.status === 'completed',
      ...statusNote(ours.value.record.status),
    });
  }

  return {
    rows,
    details: {
      users: userCount,
      sandbox: LATENCY_SANDBOX,
      ours: runDetails(ours),
      sequential: valueOf(sequential),
      parallel: valueOf(parallel),
    },
  };
}

/** A note when the request did not end `completed`: the time is suspect. */
export function statusNote(status: string): { note?: string } {
  return status === 'completed' ? {} : { note: `request ended ${status}` };
}
