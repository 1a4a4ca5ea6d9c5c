/**
 * The raw-BullMQ baselines, run as a child of the bench: a plain Worker
 * with the given concurrency whose jobs do nothing (`noop`), or do only
 * the three Stream calls a batch cannot avoid, with bare fetch and no
 * records, budget or retries (`http`: Delete Users, Get Task until
 * completed, then one Query Users that verifies the batch). Jobs are added first; the clock runs from the worker
 * starting to the last job completing.
 *
 * Input: BENCH_NOOP (JSON, see NoopConfig). Output: one JSON line on
 * stdout (NoopResult).
 */
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { SignJWT } from 'jose';

import { benchUserIds, chunk } from './user-ids.js';

export interface NoopConfig {
  readonly redisUrl: string;
  readonly prefix: string;
  readonly jobs: number;
  readonly concurrency: number;
  /** Set for the `http` baseline; absent means jobs do nothing. */
  readonly stream?: {
    readonly baseUrl: string;
    readonly apiKey: string;
    readonly apiSecret: string;
  };
}

export interface NoopResult {
  readonly elapsedMs: number;
  readonly jobs: number;
  readonly jobsPerSecond: number;
}

const QUEUE = 'noop';

async function main(): Promise<void> {
  const config = JSON.parse(process.env.BENCH_NOOP ?? '') as NoopConfig;
  const connection = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(QUEUE, { connection, prefix: config.prefix });
  const indices = Array.from({ length: config.jobs }, (_, i) => i);
  for (const part of chunk(indices, 1000)) {
    await queue.addBulk(part.map((i) => ({ name: 'noop', data: { i } })));
  }

  const processor =
    config.stream === undefined
      ? async () => undefined
      : await bareBatch(config.stream);
  const worker = new Worker(QUEUE, processor, {
    connection: new Redis(config.redisUrl, { maxRetriesPerRequest: null }),
    prefix: config.prefix,
    concurrency: config.concurrency,
    autorun: false,
  });
  await worker.waitUntilReady();

  let completed = 0;
  const done = new Promise<void>((resolve) => {
    worker.on('completed', () => {
      completed += 1;
      if (completed === config.jobs) resolve();
    });
  });
  const started = performance.now();
  void worker.run();
  await done;
  const elapsedMs = performance.now() - started;

  await worker.close();
  await queue.close();
  connection.disconnect();
  const result: NoopResult = {
    elapsedMs,
    jobs: config.jobs,
    jobsPerSecond: (config.jobs / elapsedMs) * 1000,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** One batch's three calls with nothing around them; ids rebuilt from `i`. */
async function bareBatch(stream: NonNullable<NoopConfig['stream']>) {
  const token = await new SignJWT({ server: true })
    .setProtectedHeader({ alg: 'HS256' })
    .sign(new TextEncoder().encode(stream.apiSecret));
  const headers = {
    Authorization: token,
    'Stream-Auth-Type': 'jwt',
    'Content-Type': 'application/json',
  };
  const url = (path: string) =>
    `${stream.baseUrl}/${path}?api_key=${encodeURIComponent(stream.apiKey)}`;

  return async (job: { data: { i: number } }) => {
    const ids = benchUserIds(`http${job.data.i}`, 100);
    const submitted = await fetch(url('users/delete'), {
      method: 'POST',
      headers,
      body: JSON.stringify({
        user_ids: ids,
        user: 'hard',
        messages: 'hard',
        conversations: 'hard',
      }),
    });
    const { task_id: taskId } = (await submitted.json()) as { task_id: string };
    for (;;) {
      const polled = await fetch(url(`tasks/${taskId}`), { headers });
      const task = (await polled.json()) as { status: string };
      if (task.status === 'completed') break;
      if (task.status === 'failed') throw new Error('task failed');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }

    const payload = JSON.stringify({
      filter_conditions: { id: { $in: ids } },
      limit: ids.length,
      include_deactivated_users: true,
    });
    const query = await fetch(
      `${url('users')}&payload=${encodeURIComponent(payload)}`,
      { headers },
    );
    const { users } = (await query.json()) as { users: unknown[] };
    if (users.length > 0) throw new Error('users still listed');
  };
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
