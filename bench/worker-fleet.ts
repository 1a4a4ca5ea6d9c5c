import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';

import { Queue } from 'bullmq';
import { Redis } from 'ioredis';

import { QUEUE_NAMES } from '../src/queues/queue-names.js';
import { baseChildEnv, requireBuilt, WORKER_MAIN } from './paths.js';
import { MemorySampler } from './proc-memory.js';
import { exited, hasExited, spawnTracked, stopChild } from './processes.js';
import { pollUntil, type Scope } from './scope.js';

/** Queues every worker process serves; readiness waits for all of them. */
const READY_QUEUES = [QUEUE_NAMES.requests, QUEUE_NAMES.batches] as const;

export const BENCH_API_KEY = 'bench-key';
export const BENCH_API_SECRET = 'bench-secret-not-a-real-one';

export interface FleetOptions {
  readonly count: number;
  readonly label: string;
  readonly redisUrl: string;
  readonly prefix: string;
  readonly streamBaseUrl: string;
  readonly runDir: string;
  /** Extra environment, e.g. a tuning knob; none means the schema defaults. */
  readonly env?: Readonly<Record<string, string>>;
  /** Directory for `--cpu-prof` output; no profiling when omitted. */
  readonly profileDir?: string;
}

export interface WorkerFleet {
  readonly pids: readonly number[];
  /** Peak RSS of each process so far, bytes. */
  peakRss(): Promise<number[]>;
  /** RSS over time, about once a second (epoch ms, bytes per process). */
  rssSeries(): readonly { at: number; rss: number[] }[];
  /** Throws if any process has exited (a crash mid-measurement). */
  assertAlive(): void;
  /**
   * Rejects as soon as a process exits before `stop`, so a crashed worker
   * fails the row at once instead of at its deadline. Race it.
   */
  readonly crashed: Promise<never>;
  stop(): Promise<void>;
}

/**
 * Starts `count` processes of `node dist/workers/main.js` and resolves
 * once each has registered its BullMQ workers in Redis, so that timing
 * starts with warm processes. The scope stops them.
 */
export async function startWorkerFleet(
  scope: Scope,
  options: FleetOptions,
): Promise<WorkerFleet> {
  const main = requireBuilt(WORKER_MAIN);
  const env: NodeJS.ProcessEnv = {
    ...baseChildEnv(),
    STREAM_API_KEY: BENCH_API_KEY,
    STREAM_API_SECRET: BENCH_API_SECRET,
    STREAM_BASE_URL: options.streamBaseUrl,
    REDIS_URL: options.redisUrl,
    QUEUE_PREFIX: options.prefix,
    EXPORT_DIR: join(options.runDir, 'exports'),
    ...options.env,
  };
  const nodeArgs =
    options.profileDir === undefined
      ? []
      : ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`];

  const children: ChildProcess[] = [];
  for (let i = 0; i < options.count; i += 1) {
    const child = spawnTracked(process.execPath, [...nodeArgs, main], {
      env,
      logFile: join(options.runDir, `${options.label}-worker-${i}.log`),
    });
    children.push(child);
  }

  let stopping = false;
  const stop = async () => {
    stopping = true;
    await Promise.all(children.map((child) => stopChild(child)));
  };
  scope.defer(stop);
  const crashed = new Promise<never>((_, reject) => {
    children.forEach((child, i) => {
      void exited(child).then((code) => {
        if (stopping) return;
        reject(
          new Error(
            `worker process ${i} exited (${code}) mid-run; see ${options.runDir}/${options.label}-worker-${i}.log`,
          ),
        );
      });
    });
  });
  // Nobody may be racing it when a worker dies between measurements.
  crashed.catch(() => undefined);

  const assertAlive = () => {
    const dead = children.filter(hasExited);
    if (dead.length > 0) {
      throw new Error(
        `${dead.length} worker process(es) exited; see ${options.runDir}/${options.label}-worker-*.log`,
      );
    }
  };
  await waitForRegistration(options, assertAlive);

  const pids = children.map((child) => child.pid ?? -1);
  const sampler = new MemorySampler(pids);
  scope.defer(() => sampler.stop());
  return {
    pids,
    peakRss: async () => {
      await sampler.sample();
      return sampler.peaks();
    },
    rssSeries: () => sampler.series(),
    assertAlive,
    crashed,
    stop: async () => {
      await sampler.sample();
      sampler.stop();
      await stop();
      await Promise.all(children.map(exited));
    },
  };
}

async function waitForRegistration(
  options: FleetOptions,
  assertAlive: () => void,
): Promise<void> {
  const connection = new Redis(options.redisUrl, {
    maxRetriesPerRequest: null,
  });
  const queues = READY_QUEUES.map(
    (name) => new Queue(name, { connection, prefix: options.prefix }),
  );
  try {
    await pollUntil(
      `${options.count} worker process(es) registering`,
      30_000,
      async () => {
        assertAlive();
        const counts = await Promise.all(
          queues.map((queue) => queue.getWorkersCount()),
        );
        return counts.every((count) => count >= options.count)
          ? true
          : undefined;
      },
      100,
    );
  } finally {
    await Promise.all(queues.map((queue) => queue.close()));
    connection.disconnect();
  }
}
