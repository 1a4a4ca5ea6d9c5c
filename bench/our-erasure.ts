import type { RequestRecord } from '../src/requests/request-record.js';
import {
  type BenchSandboxOptions,
  startBenchSandbox,
} from './bench-sandbox.js';
import type { BenchContext, Outcome } from './context.js';
import { batchPhase, openLibraryErasure } from './library-erasure.js';
import { callCounts, type CallSample } from './rate-usage.js';
import { describeError, type Scope } from './scope.js';
import { startWorkerFleet } from './worker-fleet.js';

export interface OurRunOptions {
  /** Names logs and the queue prefix; letters, digits and dashes. */
  readonly label: string;
  readonly workers: number;
  readonly sandbox: BenchSandboxOptions;
  readonly userIds: readonly string[];
  /** How long to wait for the request to end once enqueued. */
  readonly waitMs: number;
  readonly env?: Readonly<Record<string, string>>;
}

export interface OurRun {
  /** Epoch ms when `requestErasure` was called. */
  readonly startedAt: number;
  readonly enqueueMs: number;
  readonly completionMs: number;
  readonly record: RequestRecord;
  readonly calls: readonly CallSample[];
  readonly peakRss: readonly number[];
  readonly batchPhase:
    { readonly ms: number; readonly batches: number } | undefined;
}

/**
 * One erasure through the library against fresh worker processes and a
 * fresh sandbox: workers first (warm, registered), then the clock starts
 * at `requestErasure` and stops at the record's `finishedAt`.
 */
export async function runOurErasure(
  ctx: BenchContext,
  scope: Scope,
  options: OurRunOptions,
): Promise<OurRun> {
  const sandbox = await startBenchSandbox(scope, options.sandbox);
  const prefix = `bench-${options.label}`;
  const fleet = await startWorkerFleet(scope, {
    count: options.workers,
    label: options.label,
    redisUrl: ctx.redis.url,
    prefix,
    streamBaseUrl: sandbox.url,
    runDir: ctx.runDir,
    env: { ...ctx.workerEnv, ...options.env },
    ...(ctx.profileDir === undefined ? {} : { profileDir: ctx.profileDir }),
  });
  const library = openLibraryErasure(scope, ctx.redis.url, prefix);

  const enqueued = await library.enqueue(options.userIds);
  let finished;
  try {
    finished = await Promise.race([
      library.waitFinished(enqueued, options.waitMs),
      fleet.crashed,
    ]);
  } catch (error) {
    // Say how far it got and what Stream saw: that is the diagnosis.
    const progress = await library.describeProgress(enqueued).catch(() => '');
    const calls = JSON.stringify(callCounts(sandbox.calls));
    throw new Error(`${describeError(error)}; ${progress}; calls ${calls}`, {
      cause: error,
    });
  }

  fleet.assertAlive();
  const peakRss = await fleet.peakRss();
  await fleet.stop();

  return {
    startedAt: enqueued.startedAt,
    enqueueMs: enqueued.enqueueMs,
    completionMs: finished.completionMs,
    record: finished.record,
    calls: sandbox.calls.map(({ endpoint, status, at }) => ({
      endpoint,
      status,
      at,
    })),
    peakRss,
    batchPhase: batchPhase(finished.record),
  };
}

/** What results.json keeps of one run of our worker, or why it failed. */
export function runDetails(run: Outcome<OurRun>): Record<string, unknown> {
  if (!run.ok) return { error: run.error };
  return {
    enqueueMs: run.value.enqueueMs,
    completionMs: run.value.completionMs,
    batchPhase: run.value.batchPhase,
    workerPeakRss: run.value.peakRss,
    record: recordSummary(run.value.record, run.value.startedAt),
    calls: callCounts(run.value.calls),
  };
}

/**
 * A short, PII-free summary of a record for results.json, with a timeline
 * in ms since `startedAt`: each event's first time, and when batches were
 * first and last submitted and finished. That is where time goes between
 * enqueue and the verified end.
 */
export function recordSummary(
  record: RequestRecord,
  startedAt?: number,
): Record<string, unknown> {
  const statuses: Record<string, number> = {};
  let attempts = 0;
  for (const batch of record.batches) {
    statuses[batch.status] = (statuses[batch.status] ?? 0) + 1;
    attempts += batch.attempts;
  }

  return {
    status: record.status,
    batches: record.batches.length,
    batchStatuses: statuses,
    batchAttempts: attempts,
    failures: record.failures.length,
    verification: record.verification?.passed,
    error: record.error?.code,
    ...(startedAt === undefined
      ? {}
      : { timeline: timeline(record, startedAt) }),
  };
}

function timeline(
  record: RequestRecord,
  startedAt: number,
): Record<string, number> {
  const since = (at: string) => Date.parse(at) - startedAt;
  const points: Record<string, number> = {};
  for (const event of record.events) {
    points[`event ${event.type}`] ??= since(event.at);
  }

  const spans = (values: (string | undefined)[], name: string) => {
    const times = values.filter((at) => at !== undefined).map(since);
    if (times.length === 0) return;
    points[`first batch ${name}`] = times.reduce((a, b) => Math.min(a, b));
    points[`last batch ${name}`] = times.reduce((a, b) => Math.max(a, b));
  };
  spans(
    record.batches.map((batch) => batch.submittedAt),
    'submitted',
  );
  spans(
    record.batches.map((batch) => batch.finishedAt),
    'finished',
  );
  if (record.verification !== undefined) {
    points['verification checked'] = since(record.verification.checkedAt);
  }

  if (record.finishedAt !== undefined) {
    points.finished = since(record.finishedAt);
  }

  return Object.fromEntries(
    Object.entries(points).sort(([, a], [, b]) => a - b),
  );
}
