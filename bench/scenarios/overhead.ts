import { loadConfig } from '../../src/config/config.js';
import { STREAM_BATCH_LIMITS } from '../../src/stream/stream-api.js';
import type { BenchSandboxOptions } from '../bench-sandbox.js';
import { startBenchSandbox } from '../bench-sandbox.js';
import type { BenchRow, ScenarioResult } from '../bench-types.js';
import { runJsonChild } from '../child-json.js';
import { type BenchContext, measure, type Outcome } from '../context.js';
import type { NoopConfig, NoopResult } from '../noop-worker.js';
import { type OurRun, runDetails, runOurErasure } from '../our-erasure.js';
import { NOOP_WORKER } from '../paths.js';
import { failedRow, firstError, valueOf } from '../rows.js';
import { benchUserIds } from '../user-ids.js';
import { BENCH_API_KEY, BENCH_API_SECRET } from '../worker-fleet.js';
import { statusNote } from './latency.js';

// TODO: unmet by ~25×: a batch is 3 Stream calls and ~20 Redis round trips; even bare fetch jobs reach only 0.03-0.05.
const MIN_RATIO = 0.5;

/** Zero latency and instant tasks: what is left is our own cost. */
export const OVERHEAD_SANDBOX = {
  latencyMs: 0,
  taskDurationMs: 0,
} as const satisfies BenchSandboxOptions;

/**
 * Scenario 3: batches per second through the worker against no-op BullMQ
 * jobs per second with the same concurrency on the same Redis.
 */
export async function overheadScenario(
  ctx: BenchContext,
): Promise<ScenarioResult> {
  // As many batches as the bare-HTTP baseline runs jobs, so both rates are
  // steady states of the same length rather than ramp-up and tail.
  const bareJobs = ctx.quick ? 500 : 2_000;
  const userCount = bareJobs * STREAM_BATCH_LIMITS.deleteUsers;
  const noopJobs = ctx.quick ? 5_000 : 20_000;
  // The worker's own default, so the baseline gets the same parallelism.
  const concurrency = loadConfig({}).worker.concurrency;
  const userIds = benchUserIds('ovh', userCount);

  const ours = await measure(ctx, 'overhead: our worker', 240_000, (scope) =>
    runOurErasure(ctx, scope, {
      label: 'overhead',
      workers: 1,
      // Unknown ids are no-ops for the sandbox, so it costs next to nothing.
      sandbox: { ...OVERHEAD_SANDBOX, recordCalls: true },
      userIds,
      waitMs: 230_000,
    }),
  );
  const noop = await measure(
    ctx,
    'overhead: raw BullMQ no-op',
    120_000,
    (scope) => {
      const config: NoopConfig = {
        redisUrl: ctx.redis.url,
        prefix: 'bench-noop',
        jobs: noopJobs,
        concurrency,
      };
      return runJsonChild<NoopResult>(scope, {
        script: NOOP_WORKER,
        label: 'overhead-noop',
        runDir: ctx.runDir,
        env: { BENCH_NOOP: JSON.stringify(config) },
      });
    },
  );

  const bare = await measure(
    ctx,
    'overhead: BullMQ + bare HTTP',
    120_000,
    async (scope) => {
      const sandbox = await startBenchSandbox(scope, OVERHEAD_SANDBOX);
      const config: NoopConfig = {
        redisUrl: ctx.redis.url,
        prefix: 'bench-bare',
        jobs: bareJobs,
        concurrency,
        stream: {
          baseUrl: sandbox.url,
          apiKey: BENCH_API_KEY,
          apiSecret: BENCH_API_SECRET,
        },
      };
      return runJsonChild<NoopResult>(scope, {
        script: NOOP_WORKER,
        label: 'overhead-bare',
        runDir: ctx.runDir,
        env: { BENCH_NOOP: JSON.stringify(config) },
      });
    },
  );

  const rows: BenchRow[] = [];
  const goal = `≥ ${MIN_RATIO}`;
  const error = firstError(ours, noop);
  const endToEnd =
    '3 overhead: batches/s, enqueue to verified, vs no-op jobs/s';
  const phase = '3 overhead: batches/s, batch phase only, vs no-op jobs/s';
  if (error !== undefined || !ours.ok || !noop.ok) {
    rows.push(failedRow('overhead.end-to-end', endToEnd, goal, error ?? ''));
    rows.push(failedRow('overhead.batch-phase', phase, goal, error ?? ''));
  } else {
    const batches = ours.value.record.batches.length;
    const perSecond = (batches / ours.value.completionMs) * 1000;
    const baseline = `${noop.value.jobsPerSecond.toFixed(0)} jobs/s`;
    const completed = ours.value.record.status === 'completed';
    rows.push({
      id: 'overhead.end-to-end',
      scenario: endToEnd,
      measured: `${perSecond.toFixed(1)} batches/s`,
      baseline,
      ratio: perSecond / noop.value.jobsPerSecond,
      goal,
      met: perSecond / noop.value.jobsPerSecond >= MIN_RATIO && completed,
      ...statusNote(ours.value.record.status),
    });

    const span = ours.value.batchPhase;
    if (span === undefined || span.ms <= 0) {
      rows.push(
        failedRow(
          'overhead.batch-phase',
          phase,
          goal,
          'the record has no batch timestamps',
        ),
      );
    } else {
      const phaseRate = (span.batches / span.ms) * 1000;
      rows.push({
        id: 'overhead.batch-phase',
        scenario: phase,
        measured: `${phaseRate.toFixed(1)} batches/s`,
        baseline,
        ratio: phaseRate / noop.value.jobsPerSecond,
        goal,
        met: phaseRate / noop.value.jobsPerSecond >= MIN_RATIO && completed,
        note: 'first batch submitted to last batch finished, from the record; leaves out fan-out and the final verification step (each batch checks its own users within the phase)',
      });
    }
  }

  rows.push(bareRow(ours, bare));

  return {
    rows,
    details: {
      users: userCount,
      concurrency,
      sandbox: OVERHEAD_SANDBOX,
      ours: runDetails(ours),
      noop: valueOf(noop),
      bareHttp: valueOf(bare),
    },
  };
}

/**
 * Not a goal of the issue: our batches against BullMQ jobs that make the
 * same three Stream calls with bare fetch. What separates the two is our own
 * cost (records, budget, checks), not the calls a batch cannot avoid.
 */
function bareRow(ours: Outcome<OurRun>, bare: Outcome<NoopResult>): BenchRow {
  const label = '3 overhead: batches/s, batch phase, vs BullMQ + bare HTTP';
  const goal = 'none (diagnostic)';
  const error = firstError(ours, bare);
  const span = ours.ok ? ours.value.batchPhase : undefined;
  if (error !== undefined || !bare.ok || span === undefined || span.ms <= 0) {
    return failedRow(
      'overhead.bare-http',
      label,
      goal,
      error ?? 'no batch timestamps',
    );
  }

  const phaseRate = (span.batches / span.ms) * 1000;
  return {
    id: 'overhead.bare-http',
    scenario: label,
    measured: `${phaseRate.toFixed(1)} batches/s`,
    baseline: `${bare.value.jobsPerSecond.toFixed(0)} jobs/s`,
    ratio: phaseRate / bare.value.jobsPerSecond,
    goal,
    met: undefined,
    note: 'baseline jobs do one Delete Users, Get Task until completed and one Query Users with bare fetch: the calls a batch cannot avoid, without records, budget or retries',
  };
}
