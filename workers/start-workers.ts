import { type Job, Queue, Worker } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import type { Logger } from 'pino';

import type { Config } from '../src/config/config.js';
import { createStreamCallRecorder } from '../src/metrics/stream-call-recorder.js';
import { createBatchProcessor } from '../src/pipeline/batch-processor.js';
import { createFinalizeProcessor } from '../src/pipeline/finalize-processor.js';
import { recordJobFailure } from '../src/pipeline/job-failure.js';
import { createMaintenanceProcessor } from '../src/pipeline/maintenance-processor.js';
import type { PipelineContext } from '../src/pipeline/pipeline-context.js';
import { createPlanProcessor } from '../src/pipeline/plan-processor.js';
import {
  type BatchJobData,
  JOB_NAMES,
  type RequestJobData,
} from '../src/queues/job-ids.js';
import { BACKOFF_TYPE, jitteredBackoff } from '../src/queues/job-options.js';
import { QUEUE_NAMES } from '../src/queues/queue-names.js';
import {
  openRedisConnection,
  type RedisConnection,
} from '../src/queues/redis-connection.js';
import { RateBudget } from '../src/rate-budget/rate-budget.js';
import { RecordStore } from '../src/requests/record-store.js';
import type { StreamApi } from '../src/stream/stream-api.js';
import { createStreamClient } from '../src/stream/stream-client.js';
import type { StreamCallEvent } from '../src/stream/stream-types.js';
import { createWebhookWorker } from '../src/webhook/webhook-worker.js';

export interface StartWorkersOptions {
  readonly config: Config;
  readonly logger: Logger;
  /** A ready Stream client; built from `config` when omitted. */
  readonly stream?: StreamApi;
  /** Observes every Stream call. */
  readonly onStreamCall?: (event: StreamCallEvent) => void;
  /**
   * Counts every Stream call into Redis for the server's `/metrics`
   * (`createStreamCallRecorder`); the last counts are written on close.
   * What services do; off by default so tests leave no metric keys.
   */
  readonly recordStreamCalls?: boolean;
  /**
   * How long a job's lock lives without renewal, i.e. how soon a job of a
   * crashed worker is picked up by another one. Overrides
   * `config.worker.lockDurationMs` (LOCK_DURATION_MS).
   */
  readonly lockDurationMs?: number;
  /**
   * A BullMQ-ready connection (`maxRetriesPerRequest: null`), e.g. a Redis
   * Cluster client; opened from the configuration (REDIS_CLUSTER_NODES or
   * REDIS_URL) when omitted. Not closed here.
   */
  readonly redis?: Redis | Cluster;
  /** How often failed jobs are swept (`sweepFailedJobs`); one minute. */
  readonly sweepEveryMs?: number;
}

/** Stalls (dead workers) a job survives before BullMQ fails it. */
const MAX_STALLS = 20;

const SWEEP_SCHEDULER_ID = 'sweep-failed-jobs';
const SWEEP_EVERY_MS = 60_000;

export interface WorkersHandle {
  /** Stops taking jobs, lets active ones finish, closes connections. */
  close(): Promise<void>;
}

type AnyJob = Job<RequestJobData | BatchJobData>;

/**
 * Starts the BullMQ workers of the pipeline: plans, batches, finalize,
 * export retention and completion webhooks. Stalled jobs (their worker died) are taken over by
 * any other worker once their lock expires.
 */
export async function startWorkers(
  options: StartWorkersOptions,
): Promise<WorkersHandle> {
  const { config, logger } = options;
  const prefix = config.redis.prefix;
  const connection = options.redis ?? openConnection(config, logger);
  const recorder = options.recordStreamCalls
    ? createStreamCallRecorder(connection, prefix, { logger })
    : undefined;
  const onCall = combine(options.onStreamCall, recorder?.record);
  const stream =
    options.stream ??
    createStreamClient(config, {
      logger,
      ...(onCall ? { onCall } : {}),
    });
  const queue = (name: string) => {
    const q = new Queue(name, { connection, prefix });
    // Without a listener BullMQ prints connection errors to the console.
    q.on('error', (err) => {
      logger.warn({ err, queue: name }, 'queue connection error');
    });
    return q;
  };
  // Only swept for failed plan jobs; plans are added by producers.
  const requests = queue(QUEUE_NAMES.requests);
  const ctx: PipelineContext = {
    config,
    logger,
    stream,
    store: new RecordStore(connection, {
      prefix,
      retentionDays: config.retention.recordDays,
    }),
    budget: new RateBudget(connection, {
      prefix,
      defaultPerMinute: config.worker.defaultRatePerMinute,
      windowMs: config.worker.rateWindowMs,
    }),
    queues: {
      batches: queue(QUEUE_NAMES.batches),
      finalize: queue(QUEUE_NAMES.finalize),
      webhooks: queue(QUEUE_NAMES.webhooks),
      maintenance: queue(QUEUE_NAMES.maintenance),
    },
  };

  const lockDuration = options.lockDurationMs ?? config.worker.lockDurationMs;
  const common = {
    connection,
    prefix,
    lockDuration,
    // Checked twice per lock period, so a dead worker's job waits at most
    // about 1.5 lock durations before another worker takes it over.
    stalledInterval: Math.max(500, Math.floor(lockDuration / 2)),
    // A batch job lives through every poll of its task, for hours on a
    // long one, and each worker death or hard restart meanwhile counts as
    // a stall; our processors are safe to rerun, so only a job that kills
    // its workers again and again is given up.
    maxStalledCount: MAX_STALLS,
    removeOnComplete: { age: config.retention.jobHours * 3600 },
    removeOnFail: { age: config.retention.failedJobHours * 3600 },
    settings: {
      backoffStrategy: (attemptsMade: number, type?: string) =>
        type === BACKOFF_TYPE
          ? jitteredBackoff(
              attemptsMade,
              config.worker.backoffBaseMs,
              config.worker.backoffMaxMs,
            )
          : config.worker.backoffBaseMs,
    },
  };
  const concurrency = config.worker.concurrency;
  const small = Math.max(1, Math.min(4, concurrency));
  const workers = [
    new Worker<RequestJobData>(QUEUE_NAMES.requests, createPlanProcessor(ctx), {
      ...common,
      concurrency: small,
    }),
    new Worker<BatchJobData>(QUEUE_NAMES.batches, createBatchProcessor(ctx), {
      ...common,
      concurrency,
    }),
    new Worker<RequestJobData>(
      QUEUE_NAMES.finalize,
      createFinalizeProcessor(ctx),
      { ...common, concurrency: small },
    ),
    new Worker(
      QUEUE_NAMES.maintenance,
      createMaintenanceProcessor(ctx, [
        requests,
        ctx.queues.batches,
        ctx.queues.finalize,
      ]),
      { ...common, concurrency: 1 },
    ),
    createWebhookWorker({ config, logger, connection }),
  ];

  for (const worker of workers) {
    worker.on('error', (err) => {
      logger.error({ err, queue: worker.name }, 'worker error');
    });
    worker.on('failed', (job: AnyJob | undefined, err) => {
      if (job === undefined || !isFinal(job, err)) return;
      // In memory: if this process dies first, the scheduled sweep
      // (failed-job-sweep.ts) records it.
      void recordJobFailure(ctx, worker.name, job).catch((error: unknown) => {
        logger.error(
          { err: error, queue: worker.name, jobId: job.id },
          'could not record a failed job on its request',
        );
      });
    });
  }

  await Promise.all(workers.map((worker) => worker.waitUntilReady()));
  // One schedule however many workers start; each start may change it.
  await ctx.queues.maintenance.upsertJobScheduler(
    SWEEP_SCHEDULER_ID,
    { every: options.sweepEveryMs ?? SWEEP_EVERY_MS },
    {
      name: JOB_NAMES.sweepFailedJobs,
      data: {},
      opts: { removeOnComplete: true, removeOnFail: { age: 24 * 3600 } },
    },
  );
  logger.info({ concurrency, lockDurationMs: lockDuration }, 'workers started');

  return {
    async close() {
      await Promise.all(workers.map((worker) => worker.close()));
      await Promise.all(
        [requests, ...Object.values(ctx.queues)].map((q) => q.close()),
      );
      await recorder?.close();
      if (options.redis === undefined) {
        await connection.quit().catch(() => connection.disconnect());
      }

      logger.info('workers stopped');
    },
  };
}

function openConnection(config: Config, logger: Logger): RedisConnection {
  const redis = openRedisConnection(config.redis, 'worker');
  // Without a listener ioredis prints every connection error to the console.
  redis.on('error', (err) => {
    logger.warn({ err }, 'Redis connection error');
  });
  return redis;
}

function combine(
  ...observers: readonly (((event: StreamCallEvent) => void) | undefined)[]
): ((event: StreamCallEvent) => void) | undefined {
  const present = observers.filter((o) => o !== undefined);
  if (present.length === 0) return undefined;
  return (event) => {
    for (const observe of present) observe(event);
  };
}

function isFinal(job: AnyJob, err: Error): boolean {
  return (
    err.name === 'UnrecoverableError' ||
    job.attemptsMade >= (job.opts.attempts ?? 1)
  );
}
