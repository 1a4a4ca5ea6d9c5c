import type { Harness } from './pipeline-harness.js';
import { ids, startHarness } from './pipeline-harness.js';

describe('Stream tasks', () => {
  let h: Harness;

  afterEach(async () => {
    await h?.close();
  });

  it('resubmits a batch whose task failed and keeps the failed task id in its history', async () => {
    h = await startHarness();
    const users = ids('taskfailuser', 3);
    h.sandbox.seed({ users: users.map((id) => ({ id })) });
    h.sandbox.failNextTask('deleteUsers', 'internal task error');

    const { requestId } = await h.client.requestErasure({ userIds: users });
    const record = await h.client.waitForRequest(requestId, {
      timeoutMs: 20_000,
    });

    expect(record.status).toBe('completed');
    const batch = record.batches[0]!;
    expect(batch.taskHistory).toHaveLength(1);
    expect(batch.taskHistory?.[0]).not.toBe(batch.taskId);
    expect(batch.attempts).toBe(2);
    for (const id of users) expect(h.sandbox.state.user(id)).toBeUndefined();
  });

  it('fails a batch whose task outlives the timeout, resuming the same task on retry', async () => {
    h = await startHarness({
      sandbox: { taskDurationMs: 120_000 },
      env: { TASK_TIMEOUT_MS: '1000', JOB_ATTEMPTS: '2' },
    });
    const users = ids('slowtaskuser', 2);
    h.sandbox.seed({ users: users.map((id) => ({ id })) });

    const { requestId } = await h.client.requestErasure({ userIds: users });
    const record = await h.client.waitForRequest(requestId, {
      timeoutMs: 20_000,
    });

    expect(record.status).toBe('failed');
    const batch = record.batches[0]!;
    expect(batch).toMatchObject({
      status: 'failed',
      attempts: 2,
      error: { code: 'task_timeout' },
    });
    expect(batch.taskId).toEqual(expect.any(String));
    const submits = h.sandbox.calls.filter((c) => c.endpoint === 'deleteUsers');
    expect(submits).toHaveLength(1);
    // Intervals grew from TASK_POLL_INITIAL_MS to TASK_POLL_MAX_MS.
    expect(batch.pollDelayMs).toBe(h.config.worker.taskPollMaxMs);
  });

  it('passes pruning, the new channel owner and file deletion through to Stream', async () => {
    h = await startHarness();
    h.sandbox.seed({ users: [{ id: 'pruneme' }, { id: 'heir' }] });

    const { requestId } = await h.client.requestErasure({
      userIds: ['pruneme'],
      mode: 'pruning',
      newChannelOwnerId: 'heir',
      deleteFiles: false,
    });
    await h.client.waitForRequest(requestId, { timeoutMs: 20_000 });

    const call = h.sandbox.calls.find((c) => c.endpoint === 'deleteUsers');
    expect(call?.body).toEqual({
      user_ids: ['pruneme'],
      user: 'pruning',
      messages: 'pruning',
      conversations: 'hard',
      new_channel_owner_id: 'heir',
      files: false,
    });
  });
});
