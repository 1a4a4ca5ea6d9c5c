import type { BenchRow, ScenarioResult } from '../bench-types.js';
import { type BenchContext, measure, type Outcome } from '../context.js';
import { type OurRun, runDetails, runOurErasure } from '../our-erasure.js';
import { failedRow, firstError } from '../rows.js';
import { formatDuration } from '../table.js';
import { benchUserIds } from '../user-ids.js';
import { LATENCY_SANDBOX, statusNote } from './latency.js';

const MIN_SPEEDUP = 2.5;

/**
 * Scenario 5: the latency-bound erasure with 3 worker processes against 1.
 * Bigger than scenario 1 so that the worker slots (three Stream calls of
 * 150 ms a batch) bound both runs, and what no number of processes
 * shortens (the first probe call, the last 1 s task, the finalize) is small
 * beside the work.
 */
export async function workersScenario(
  ctx: BenchContext,
): Promise<ScenarioResult> {
  const userCount = ctx.quick ? 10_000 : 100_000;
  const userIds = benchUserIds('wrk', userCount);
  const sandbox = { ...LATENCY_SANDBOX, users: userIds };
  const deadline = ctx.quick ? 150_000 : 300_000;

  const runs: Outcome<OurRun>[] = [];
  for (const workers of [1, 3]) {
    runs.push(
      await measure(ctx, `workers: ${workers} process(es)`, deadline, (scope) =>
        runOurErasure(ctx, scope, {
          label: `workers-${workers}w`,
          workers,
          sandbox,
          userIds,
          waitMs: deadline - 10_000,
        }),
      ),
    );
  }

  const [one, three] = runs as [Outcome<OurRun>, Outcome<OurRun>];
  const label = `5 workers: 3 processes vs 1, ${userCount.toLocaleString('en-US')} users`;
  const goal = `≥ ${MIN_SPEEDUP}×`;
  const error = firstError(one, three);
  let row: BenchRow;
  if (error !== undefined || !one.ok || !three.ok) {
    row = failedRow('workers.3-vs-1', label, goal, error ?? '');
  } else {
    const ratio = one.value.completionMs / three.value.completionMs;
    const bad = [one.value.record.status, three.value.record.status].find(
      (status) => status !== 'completed',
    );
    row = {
      id: 'workers.3-vs-1',
      scenario: label,
      measured: formatDuration(three.value.completionMs),
      baseline: formatDuration(one.value.completionMs),
      ratio,
      goal,
      met: ratio >= MIN_SPEEDUP && bad === undefined,
      ...statusNote(bad ?? 'completed'),
    };
  }

  return {
    rows: [row],
    details: {
      users: userCount,
      one: runDetails(one),
      three: runDetails(three),
    },
  };
}
