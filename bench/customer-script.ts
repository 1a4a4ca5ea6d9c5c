/**
 * The erasure script a customer writes with the official SDK, run as a
 * child of the bench: batches of 100 ids through `deleteUsers`, each task
 * polled with `getTask` every second until it completes, as Stream's own
 * task helpers do. `parallel` lanes each take the next batch, so 1 is the
 * sequential script and 10 the parallel one. Like the real thing it has no
 * retries: a batch whose call fails is reported and left undone.
 *
 * Input: BENCH_CUSTOMER (JSON, see CustomerConfig). Output: one JSON line
 * on stdout (CustomerResult).
 */
import { StreamChat } from 'stream-chat';

import { benchUserIds, chunk } from './user-ids.js';

export interface CustomerConfig {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly userTag: string;
  readonly userCount: number;
  readonly parallel: number;
  readonly pollMs: number;
}

export interface CustomerResult {
  readonly elapsedMs: number;
  readonly batches: number;
  readonly completedBatches: number;
  readonly failedBatches: number;
  /** e.g. `{ "deleteUsers 429": 12, "getTask 429": 3 }`. */
  readonly failures: Record<string, number>;
  readonly calls: Record<string, number>;
}

const BATCH_SIZE = 100;

async function main(): Promise<void> {
  const config = JSON.parse(process.env.BENCH_CUSTOMER ?? '') as CustomerConfig;
  const client = new StreamChat(config.apiKey, config.apiSecret, {
    baseURL: config.baseUrl,
  });
  const batches = chunk(
    benchUserIds(config.userTag, config.userCount),
    BATCH_SIZE,
  );
  const failures: Record<string, number> = {};
  const calls: Record<string, number> = { deleteUsers: 0, getTask: 0 };
  let completed = 0;
  let next = 0;

  const call = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    calls[name] = (calls[name] ?? 0) + 1;
    try {
      return await run();
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      const key = `${name} ${typeof status === 'number' ? status : 'error'}`;
      failures[key] = (failures[key] ?? 0) + 1;
      throw error;
    }
  };

  const eraseBatch = async (ids: string[]) => {
    const { task_id: taskId } = await call('deleteUsers', () =>
      client.deleteUsers(ids, {
        user: 'hard',
        messages: 'hard',
        conversations: 'hard',
      }),
    );
    for (;;) {
      const task = await call('getTask', () => client.getTask(taskId));
      if (task.status === 'completed') return;
      if (task.status === 'failed') {
        failures['task failed'] = (failures['task failed'] ?? 0) + 1;
        throw new Error('task failed');
      }

      await new Promise((resolve) => setTimeout(resolve, config.pollMs));
    }
  };

  const lane = async () => {
    while (next < batches.length) {
      const batch = batches[next++]!;
      try {
        await eraseBatch(batch);
        completed += 1;
      } catch {
        // No retry: this is the script as customers write it.
      }
    }
  };

  const started = performance.now();
  await Promise.all(Array.from({ length: config.parallel }, lane));
  const result: CustomerResult = {
    elapsedMs: performance.now() - started,
    batches: batches.length,
    completedBatches: completed,
    failedBatches: batches.length - completed,
    failures,
    calls,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
