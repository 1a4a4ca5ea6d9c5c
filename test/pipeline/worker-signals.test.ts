import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { Queue } from 'bullmq';

import { QUEUE_NAMES } from '../../src/queues/queue-names.js';
import type { ChildHandle } from '../support/child-process.js';
import { pollUntil } from '../support/poll.js';
import { WorkerFleet } from '../support/worker-processes.js';
import { type Harness, ids, startHarness } from './pipeline-harness.js';

/** Messages of the worker's log lines so far, in order. */
async function messages(logFile: string): Promise<string[]> {
  const text = await readFile(logFile, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => String((JSON.parse(line) as { msg?: unknown }).msg));
}

function waitForMessage(
  logFile: string,
  child: ChildHandle,
  message: string,
): Promise<true> {
  return pollUntil(
    `the worker to log "${message}"`,
    async () => {
      if ((await messages(logFile)).includes(message)) return true;
      if (child.hasExited()) throw new Error(`worker exited; see ${logFile}`);
      return undefined;
    },
    { timeoutMs: 15_000, intervalMs: 5 },
  );
}

describe('a worker process asked to stop with SIGTERM', () => {
  let h: Harness;
  let fleet: WorkerFleet;
  let logDir: string;

  beforeEach(async () => {
    h = await startHarness({
      workers: false,
      env: { LOG_LEVEL: 'info', STREAM_TIMEOUT_MS: '5000' },
    });
    logDir = h.exportDir;
    fleet = new WorkerFleet(h.env, logDir);
  });

  afterEach(async () => {
    await fleet?.stop();
    await h?.close();
  });

  it('stops gracefully with exit 0 when the signal comes right after it started', async () => {
    const worker = fleet.spawn();
    const log = join(logDir, 'worker-0.log');
    await waitForMessage(log, worker, 'workers started');

    const exit = await worker.kill('SIGTERM');

    expect(exit).toEqual({ code: 0, signal: null });
    expect(await messages(log)).toContain('workers stopped');
  });

  it('queues a signal that arrives while the workers are still starting, then stops with exit 0', async () => {
    const worker = fleet.spawn();
    const log = join(logDir, 'worker-0.log');
    // The first line it writes, once its signal handlers are in place.
    await waitForMessage(log, worker, 'starting workers');

    const exit = await worker.kill('SIGTERM');

    expect(exit).toEqual({ code: 0, signal: null });
    const lines = await messages(log);
    const shutdown = lines.findIndex((m) => m.startsWith('Shutting down'));
    expect(shutdown).toBeGreaterThanOrEqual(0);
    expect(shutdown).toBeLessThan(lines.indexOf('workers started'));
    expect(lines.at(-1)).toBe('workers stopped');
  });

  it('finishes a batch whose Stream call is in flight, so another worker completes the request without resubmitting', async () => {
    const users = ids('siguser', 40);
    h.sandbox.seed({ users: users.map((id) => ({ id })) });
    const first = fleet.spawn();
    await waitForMessage(
      join(logDir, 'worker-0.log'),
      first,
      'workers started',
    );
    h.sandbox.faults.setLatency(1500);
    const batches = new Queue(QUEUE_NAMES.batches, {
      connection: h.redis,
      prefix: h.prefix,
    });
    try {
      const { requestId } = await h.client.requestErasure({ userIds: users });
      await pollUntil('a batch job to be active', async () =>
        (await batches.getActiveCount()) > 0 ? true : undefined,
      );

      const exit = await first.kill('SIGTERM');

      expect(exit).toEqual({ code: 0, signal: null });
      const submitted = () =>
        h.sandbox.calls.filter(
          (call) => call.endpoint === 'deleteUsers' && call.status === 201,
        ).length;
      expect(submitted()).toBe(1);

      h.sandbox.faults.setLatency(0);
      fleet.spawn();
      const record = await h.client.waitForRequest(requestId, {
        timeoutMs: 20_000,
      });
      expect(record.status).toBe('completed');
      expect(record.batches[0]?.resubmissions ?? 0).toBe(0);
      expect(submitted()).toBe(1);
    } finally {
      await batches.close();
    }
  }, 40_000);
});
