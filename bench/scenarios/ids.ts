import { startBenchSandbox } from '../bench-sandbox.js';
import type { BenchRow, ScenarioResult } from '../bench-types.js';
import { type BenchContext, measure, progress } from '../context.js';
import { openLibraryErasure } from '../library-erasure.js';
import { recordSummary } from '../our-erasure.js';
import {
  inspectRedis,
  type RedisInspection,
  RedisMemorySampler,
} from '../redis-inspection.js';
import { failedRow } from '../rows.js';
import { formatDuration, formatMegabytes } from '../table.js';
import { benchUserIds, rawIdBytes } from '../user-ids.js';
import { startWorkerFleet } from '../worker-fleet.js';

const MB = 1024 * 1024;
const MAX_ENQUEUE_MS = 10_000;
const MAX_WORKER_RSS = 300 * MB;
const MAX_REDIS_GROWTH = 250 * MB;
const BATCH_SIZE = 100;

interface IdsRun {
  readonly userCount: number;
  readonly rawIdBytes: number;
  readonly enqueueMs: number;
  readonly completionMs: number;
  readonly workerPeakRss: number;
  /** Seconds since enqueue and MB, about once a second. */
  readonly workerRss: readonly (readonly [number, number])[];
  readonly redisBefore: number;
  readonly redisAfterEnqueue: number;
  readonly redisPeak: number;
  readonly redisClientBuffersPeak: number;
  readonly redisAfter: number;
  readonly inspections: readonly {
    readonly at: string;
    readonly result: RedisInspection;
  }[];
  readonly record: Record<string, unknown>;
}

/**
 * Scenario 4: one request of a million ids through the library, at zero
 * latency, with one worker process; memory of the worker and of Redis,
 * and how big the jobs are compared with the ids they stand for.
 */
export async function idsScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const userCount = ctx.quick ? 100_000 : 1_000_000;
  const deadline = ctx.quick ? 180_000 : 540_000;
  const run = await measure(
    ctx,
    `ids: ${userCount.toLocaleString('en-US')} ids`,
    deadline,
    async (scope) => {
      const userIds = benchUserIds('ids', userCount);
      // Unknown ids are erased as no-ops, so the sandbox stores no users,
      // and it keeps no call log for this run.
      const sandbox = await startBenchSandbox(scope, {
        latencyMs: 0,
        taskDurationMs: 0,
        recordCalls: false,
      });
      const prefix = 'bench-ids';
      const fleet = await startWorkerFleet(scope, {
        count: 1,
        label: 'ids',
        redisUrl: ctx.redis.url,
        prefix,
        streamBaseUrl: sandbox.url,
        runDir: ctx.runDir,
        env: ctx.workerEnv,
        ...(ctx.profileDir === undefined ? {} : { profileDir: ctx.profileDir }),
      });
      const library = openLibraryErasure(scope, ctx.redis.url, prefix);
      const memory = new RedisMemorySampler(ctx.redis.admin);
      scope.defer(() => memory.stop());
      const redisBefore = await memory.sample();

      const enqueued = await library.enqueue(userIds);
      const redisAfterEnqueue = await memory.sample();
      progress(`ids: enqueued in ${formatDuration(enqueued.enqueueMs)}`);
      const inspections = [
        {
          at: 'after enqueue',
          result: await inspectRedis(ctx.redis.admin, prefix),
        },
      ];
      const midway = setTimeout(
        () => {
          void inspectRedis(ctx.redis.admin, prefix).then((result) =>
            inspections.push({ at: 'mid-run', result }),
          );
        },
        ctx.quick ? 2_000 : 5_000,
      );
      scope.defer(() => clearTimeout(midway));

      const finished = await Promise.race([
        library.waitFinished(enqueued, deadline - 30_000),
        fleet.crashed,
      ]);
      fleet.assertAlive();
      const [workerPeakRss = 0] = await fleet.peakRss();
      const redisAfter = await memory.sample();
      inspections.push({
        at: 'after completion',
        result: await inspectRedis(ctx.redis.admin, prefix),
      });
      await fleet.stop();
      const result: IdsRun = {
        userCount,
        rawIdBytes: rawIdBytes(userIds),
        enqueueMs: enqueued.enqueueMs,
        completionMs: finished.completionMs,
        workerPeakRss,
        workerRss: fleet
          .rssSeries()
          .map(({ at, rss }) => [
            Math.round((at - enqueued.startedAt) / 100) / 10,
            Math.round((rss[0] ?? 0) / MB),
          ]),
        redisBefore,
        redisAfterEnqueue,
        redisPeak: memory.peak,
        redisClientBuffersPeak: memory.clientBuffersPeak,
        redisAfter,
        inspections,
        record: recordSummary(finished.record, enqueued.startedAt),
      };
      return result;
    },
  );

  if (!run.ok) {
    return {
      rows: [
        failedRow('ids.enqueue', '4 ids: enqueue', '≤ 10 s', run.error),
        failedRow(
          'ids.worker-rss',
          '4 ids: worker peak RSS',
          '≤ 300 MB',
          run.error,
        ),
        failedRow(
          'ids.redis-growth',
          '4 ids: Redis used_memory growth',
          '≤ 250 MB',
          run.error,
        ),
        failedRow(
          'ids.completion',
          '4 ids: completion at zero latency',
          'none',
          run.error,
        ),
        failedRow(
          'ids.job-size',
          '4 ids: largest job payload',
          '< 0.5 of one batch of ids',
          run.error,
        ),
      ],
      details: { users: userCount, error: run.error },
    };
  }

  return { rows: idsRows(run.value), details: { ...run.value } };
}

function idsRows(run: IdsRun): BenchRow[] {
  const n = run.userCount.toLocaleString('en-US');
  const growth = run.redisPeak - run.redisBefore;
  const completed = run.record.status === 'completed';
  const { queue, maxBytes } = largestJob(run.inspections);
  const oneBatch = (run.rawIdBytes / run.userCount + 3) * BATCH_SIZE;
  return [
    {
      id: 'ids.enqueue',
      scenario: `4 ids: enqueue ${n} ids`,
      measured: formatDuration(run.enqueueMs),
      baseline: '—',
      ratio: undefined,
      goal: `≤ ${MAX_ENQUEUE_MS / 1000} s`,
      met: run.enqueueMs <= MAX_ENQUEUE_MS,
    },
    {
      id: 'ids.worker-rss',
      scenario: `4 ids: worker peak RSS, ${n} ids`,
      measured: formatMegabytes(run.workerPeakRss),
      baseline: '—',
      ratio: undefined,
      goal: `≤ ${MAX_WORKER_RSS / MB} MB`,
      met: run.workerPeakRss > 0 && run.workerPeakRss <= MAX_WORKER_RSS,
    },
    {
      id: 'ids.redis-growth',
      scenario: `4 ids: Redis used_memory growth (peak), ${n} ids`,
      measured: formatMegabytes(growth),
      baseline: `${formatMegabytes(run.rawIdBytes)} of raw ids`,
      ratio: growth / run.rawIdBytes,
      goal: `≤ ${MAX_REDIS_GROWTH / MB} MB`,
      met: growth <= MAX_REDIS_GROWTH,
      note: `ratio = growth over the bytes of the ids themselves, i.e. roughly how many copies Redis holds; client buffers (in used_memory, not data) peaked at ${formatMegabytes(run.redisClientBuffersPeak)}`,
    },
    {
      id: 'ids.completion',
      scenario: `4 ids: completion at zero latency, ${n} ids`,
      measured: formatDuration(run.completionMs),
      baseline: '—',
      ratio: undefined,
      goal: 'none (reported)',
      met: undefined,
      ...(completed
        ? {}
        : { note: `request ended ${String(run.record.status)}` }),
    },
    {
      id: 'ids.job-size',
      scenario: '4 ids: largest job payload vs one batch of ids',
      measured:
        queue === undefined ? 'no jobs seen' : `${maxBytes} B (${queue})`,
      baseline: `${Math.round(oneBatch)} B = ${BATCH_SIZE} ids`,
      ratio: queue === undefined ? undefined : maxBytes / oneBatch,
      goal: '< 0.5 (ids not copied into jobs)',
      met: queue === undefined ? undefined : maxBytes / oneBatch < 0.5,
    },
  ];
}

function largestJob(inspections: IdsRun['inspections']): {
  queue: string | undefined;
  maxBytes: number;
} {
  let queue: string | undefined;
  let maxBytes = 0;
  for (const { result } of inspections) {
    for (const [name, stats] of Object.entries(result.jobData)) {
      if (stats.maxBytes > maxBytes) {
        maxBytes = stats.maxBytes;
        queue = name;
      }
    }
  }

  return { queue, maxBytes };
}
