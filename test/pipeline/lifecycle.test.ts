import { access } from 'node:fs/promises';
import { join } from 'node:path';

import { Queue } from 'bullmq';

import type { ChildHandle } from '../support/child-process.js';
import { pollUntil } from '../support/poll.js';
import type { Harness } from './pipeline-harness.js';
import { ids, startHarness } from './pipeline-harness.js';
import { killAll, spawnWorker } from './worker-processes.js';

describe('request lifecycle', () => {
  let h: Harness;
  const children: ChildHandle[] = [];
  const queues: Queue[] = [];

  afterEach(async () => {
    await Promise.all(queues.map((queue) => queue.close()));
    queues.length = 0;
    await killAll(children);
    await h?.close();
  });

  const queue = (name: string) => {
    const q = new Queue(name, { connection: h.redis, prefix: h.prefix });
    queues.push(q);
    return q;
  };

  it('deletes export files when their retention ends and records when', async () => {
    h = await startHarness();
    h.sandbox.seed({ users: [{ id: 'retained1' }, { id: 'retained2' }] });
    const { requestId } = await h.client.requestExport({
      userIds: ['retained1', 'retained2'],
    });
    const done = await h.client.waitForRequest(requestId, {
      timeoutMs: 20_000,
    });
    const directory = join(h.exportDir, requestId);
    await access(directory);
    expect(Date.parse(done.artifacts!.expiresAt)).toBeGreaterThan(Date.now());

    const job = await queue('maintenance').getJob(`${requestId}~retention`);
    expect(await job?.getState()).toBe('delayed');
    await job!.promote();

    const record = await pollUntil('the export to be deleted', async () => {
      const r = await h.client.getRequest(requestId);
      return r?.artifacts?.deletedAt ? r : undefined;
    });
    await expect(access(directory)).rejects.toThrow();
    expect(record.events.map((e) => e.type)).toContain('export_deleted');
  });

  it('queues the completion webhook when a webhook URL is configured', async () => {
    h = await startHarness({
      env: {
        WEBHOOK_URL: 'http://127.0.0.1:9/hook',
        WEBHOOK_SECRET: 'webhook-secret-0123456789',
      },
    });
    h.sandbox.seed({ users: [{ id: 'hooked' }] });
    const { requestId } = await h.client.requestErasure({
      userIds: ['hooked'],
    });
    await h.client.waitForRequest(requestId, { timeoutMs: 20_000 });

    // Queued by the follow-ups right after the final status is written.
    const job = await pollUntil('the webhook job to be queued', async () =>
      queue('webhooks').getJob(`${requestId}~webhook`),
    );
    expect(job.name).toBe('deliver');
    expect(job.data).toEqual({ requestId });
  });

  it('lets the records outlive the jobs: every key of a finished request expires after the retention', async () => {
    h = await startHarness();
    h.sandbox.seed({ users: [{ id: 'expiring' }] });
    const { requestId } = await h.client.requestErasure({
      userIds: ['expiring'],
    });
    await h.client.waitForRequest(requestId, { timeoutMs: 20_000 });

    const ttl = await h.redis.ttl(`${h.prefix}:req:${requestId}`);
    const days = h.config.retention.recordDays;
    expect(ttl).toBeGreaterThan((days - 1) * 86_400);
    expect(
      await h.redis.ttl(`${h.prefix}:req:${requestId}:users`),
    ).toBeGreaterThan(0);
  });

  it('shuts a worker process down gracefully on SIGTERM', async () => {
    h = await startHarness({ workers: false });
    const worker = spawnWorker(h.env, children);
    h.sandbox.seed({ users: ids('graceful', 3).map((id) => ({ id })) });
    const { requestId } = await h.client.requestErasure({
      userIds: ids('graceful', 3),
    });
    await pollUntil('the worker to start the request', async () => {
      const r = await h.client.getRequest(requestId, { subjectLimit: 0 });
      return r?.status !== 'queued' ? true : undefined;
    });

    const exit = await worker.stop(10_000);
    expect(exit).toEqual({ code: 0, signal: null });
  });
});
