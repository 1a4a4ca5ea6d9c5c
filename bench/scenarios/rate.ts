import type { BenchSandboxOptions } from '../bench-sandbox.js';
import type { BenchRow, ScenarioResult } from '../bench-types.js';
import { type BenchContext, measure, type Outcome } from '../context.js';
import { type CustomerRun, runCustomerScript } from '../customer-run.js';
import { type OurRun, recordSummary, runOurErasure } from '../our-erasure.js';
import { callCounts, rateUsage, share429 } from '../rate-usage.js';
import { failedRow } from '../rows.js';
import { formatPercent } from '../table.js';
import { benchUserIds } from '../user-ids.js';

const WINDOW_MS = 6_000;
const LIMIT = 30;
const MIN_USED = 0.9;
const MAX_429 = 0.05;

/**
 * 30 calls per 6 s window on every endpoint, announced only through the
 * X-RateLimit-* headers, and like Stream at most twice the average rate in
 * any second (10/s), so sending a window's calls at once is refused.
 * Latency and task time are small, so the quota is what bounds the run.
 */
export const RATE_SANDBOX = {
  latencyMs: 50,
  taskDurationMs: 500,
  rateLimit: { windowMs: WINDOW_MS, limit: LIMIT },
} as const satisfies BenchSandboxOptions;

/**
 * Scenario 2: how much of the Delete Users quota 1 and 3 worker processes
 * use, and how many calls Stream had to refuse; then the parallel SDK
 * script under the same quota, which has no retries.
 */
export async function rateScenario(ctx: BenchContext): Promise<ScenarioResult> {
  // At least five interior windows of Delete Users at 100 ids a call.
  const userCount = ctx.quick ? 10_000 : 20_000;
  const tag = 'rate';
  const userIds = benchUserIds(tag, userCount);
  const sandbox = { ...RATE_SANDBOX, users: userIds };
  // Three endpoints share nothing, but each allows LIMIT per window.
  const deadline = (userCount / 100 / LIMIT) * WINDOW_MS * 6 + 60_000;

  const rows: BenchRow[] = [];
  const details: Record<string, unknown> = {
    users: userCount,
    sandbox: RATE_SANDBOX,
  };
  for (const workers of [1, 3]) {
    const run = await measure(
      ctx,
      `rate ${workers} worker process(es)`,
      deadline,
      (scope) =>
        runOurErasure(ctx, scope, {
          label: `rate-${workers}w`,
          workers,
          sandbox,
          userIds,
          // The sandbox's window, as an operator would configure it (Stream
          // documents one minute, the default); it spaces calls.
          env: { RATE_LIMIT_WINDOW_MS: String(WINDOW_MS) },
          waitMs: deadline - 10_000,
        }),
    );
    rows.push(...ourRows(workers, run));
    details[`workers${workers}`] = ourDetails(run);
  }

  const script = await measure(
    ctx,
    'rate (c) SDK script, 10 parallel, under the quota',
    deadline,
    (scope) =>
      runCustomerScript(ctx, scope, {
        label: 'rate-c',
        sandbox,
        userTag: tag,
        userCount,
        parallel: 10,
      }),
  );
  rows.push(scriptRow(script));
  details.parallelScript = script.ok ? script.value : { error: script.error };
  return { rows, details };
}

function ourRows(workers: number, run: Outcome<OurRun>): BenchRow[] {
  const label = `2 rate: ${workers} worker process${workers === 1 ? '' : 'es'}`;
  const usedGoal = `≥ ${MIN_USED} of quota`;
  const rejectGoal = `≤ ${formatPercent(MAX_429)}`;
  if (!run.ok) {
    return [
      failedRow(
        `rate.${workers}w.used`,
        `${label}, Delete Users quota used`,
        usedGoal,
        run.error,
      ),
      failedRow(
        `rate.${workers}w.429`,
        `${label}, calls answered 429`,
        rejectGoal,
        run.error,
      ),
    ];
  }

  const usage = rateUsage(run.value.calls, {
    endpoint: 'deleteUsers',
    windowMs: WINDOW_MS,
    limit: LIMIT,
    offsetMs: RATE_SANDBOX.latencyMs,
  });
  const rejected = share429(run.value.calls);
  const total = run.value.calls.length;
  const refused = run.value.calls.filter((call) => call.status === 429).length;
  const completed = run.value.record.status === 'completed';
  const statusNote = completed
    ? {}
    : { note: `request ended ${run.value.record.status}` };
  return [
    {
      id: `rate.${workers}w.used`,
      scenario: `${label}, Delete Users quota used`,
      measured: `${(usage.fractionUsed * LIMIT).toFixed(1)} calls/window`,
      baseline: `${LIMIT} per ${WINDOW_MS / 1000} s`,
      ratio: usage.fractionUsed,
      goal: usedGoal,
      met: usage.fractionUsed >= MIN_USED && completed,
      ...statusNote,
    },
    {
      id: `rate.${workers}w.429`,
      scenario: `${label}, calls answered 429`,
      measured: `${refused} of ${total} (${formatPercent(rejected)})`,
      baseline: '—',
      ratio: undefined,
      goal: rejectGoal,
      met: rejected <= MAX_429 && completed,
      ...statusNote,
    },
  ];
}

function ourDetails(run: Outcome<OurRun>): Record<string, unknown> {
  if (!run.ok) return { error: run.error };
  return {
    completionMs: run.value.completionMs,
    record: recordSummary(run.value.record, run.value.startedAt),
    calls: callCounts(run.value.calls),
    share429: share429(run.value.calls),
    share429DeleteUsers: share429(run.value.calls, 'deleteUsers'),
    usage: Object.fromEntries(
      ['deleteUsers', 'getTask', 'queryUsers'].map((endpoint) => [
        endpoint,
        rateUsage(run.value.calls, {
          endpoint,
          windowMs: WINDOW_MS,
          limit: LIMIT,
          offsetMs: RATE_SANDBOX.latencyMs,
        }),
      ]),
    ),
  };
}

function scriptRow(script: Outcome<CustomerRun>): BenchRow {
  const label = '2 rate: (c) SDK script 10 parallel under the quota';
  const goal = 'none (shows what happens)';
  if (!script.ok) return failedRow('rate.script', label, goal, script.error);
  const { batches, failedBatches, failures } = script.value;
  const refused = Object.entries(failures)
    .filter(([key]) => key.endsWith(' 429'))
    .reduce((sum, [, count]) => sum + count, 0);
  return {
    id: 'rate.script',
    scenario: label,
    measured: `${failedBatches} of ${batches} batches failed`,
    baseline: `${refused} calls got 429`,
    ratio: batches === 0 ? undefined : (batches - failedBatches) / batches,
    goal,
    met: undefined,
    note: 'ratio = share of batches the script erased; it has no retries, so every 429 loses a batch (or its task status)',
  };
}
