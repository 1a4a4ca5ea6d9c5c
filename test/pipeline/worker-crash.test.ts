import type { ChildHandle } from '../support/child-process.js';
import { pollUntil } from '../support/poll.js';
import type { Harness } from './pipeline-harness.js';
import { ids, startHarness } from './pipeline-harness.js';
import { killAll, spawnWorker } from './worker-processes.js';

describe('a worker process that dies mid-request', () => {
  let h: Harness;
  const children: ChildHandle[] = [];

  afterEach(async () => {
    await killAll(children);
    await h?.close();
  });

  it('leaves the request to another worker, which finishes it without losing a task id', async () => {
    h = await startHarness({
      workers: false,
      sandbox: { taskDurationMs: 2000 },
    });
    const users = ids('crashuser', 400);
    const cids = ids('messaging:crashchan', 50);
    h.sandbox.seed({
      users: users.map((id) => ({ id })),
      channels: cids.map((cid) => ({
        type: 'messaging',
        id: cid.split(':')[1]!,
      })),
    });
    const doomed = spawnWorker(h.env, children);

    const { requestId } = await h.client.requestErasure({
      userIds: users,
      channelCids: cids,
    });
    await pollUntil('every batch to have a task', async () => {
      const record = await h.client.getRequest(requestId, { subjectLimit: 0 });
      const batches = record?.batches ?? [];
      return batches.length === 5 && batches.every((b) => b.taskId)
        ? true
        : undefined;
    });
    await doomed.kill('SIGKILL');

    spawnWorker(h.env, children);
    const record = await h.client.waitForRequest(requestId, {
      timeoutMs: 30_000,
    });

    expect(record.status).toBe('completed');
    const created = new Set(h.sandbox.state.tasks().map((t) => t.id));
    for (const batch of record.batches) {
      expect(created.has(batch.taskId!)).toBe(true);
      expect(batch.resubmissions ?? 0).toBe(0);
    }

    const submits = h.sandbox.calls.filter(
      (c) =>
        (c.endpoint === 'deleteUsers' || c.endpoint === 'deleteChannels') &&
        c.status === 201,
    );
    expect(submits).toHaveLength(5);
    for (const id of users) expect(h.sandbox.state.user(id)).toBeUndefined();
  }, 45_000);

  it('reconciles a batch whose worker died after submitting, without sending it blindly again', async () => {
    h = await startHarness({ workers: false, sandbox: { latencyMs: 1500 } });
    const users = ids('midsubmituser', 5);
    h.sandbox.seed({ users: users.map((id) => ({ id })) });
    const doomed = spawnWorker(h.env, children);

    const { requestId } = await h.client.requestErasure({ userIds: users });
    await pollUntil('the batch to be submitting', async () => {
      const record = await h.client.getRequest(requestId, { subjectLimit: 0 });
      return record?.batches[0]?.status === 'submitting' ? true : undefined;
    });
    await doomed.kill('SIGKILL');
    h.sandbox.faults.setLatency(0);

    spawnWorker(h.env, children);
    const record = await h.client.waitForRequest(requestId, {
      timeoutMs: 30_000,
    });

    expect(record.status).toBe('completed');
    expect(record.batches[0]).toMatchObject({
      status: 'completed',
      reconciliations: 1,
    });
    // Whether or not the dying worker's call reached Stream, the subjects
    // were sent again only if Stream still listed them: one task in all.
    const tasks = h.sandbox.state
      .tasks()
      .filter((t) => t.kind === 'deleteUsers');
    expect(tasks).toHaveLength(1);
    expect(record.batches[0]?.resubmissions ?? 0).toBeLessThanOrEqual(1);
    for (const id of users) expect(h.sandbox.state.user(id)).toBeUndefined();
  }, 45_000);
});
