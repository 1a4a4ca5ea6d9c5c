import type { Sandbox } from '../../src/sandbox/index.js';
import {
  call,
  queryUsersRaw,
  settledTask,
  startTestSandbox,
} from './helpers.js';

async function deleteUsers(
  sandbox: Sandbox,
  body: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const response = await call(sandbox, 'POST', '/users/delete', { body });
  expect(response.status).toBe(201);
  return settledTask(sandbox, response.json?.['task_id'] as string);
}

describe('sandbox erasure semantics', () => {
  let sandbox: Sandbox;

  beforeEach(async () => {
    sandbox = await startTestSandbox({ seed: 'demo', taskDurationMs: 10 });
  });

  afterEach(async () => {
    await sandbox.close();
  });

  it('flags users deleted at once but keeps their data until the task ends', async () => {
    sandbox.setTaskDuration(60_000);
    const messages = sandbox.state.messageCountOf('bob');

    const response = await call(sandbox, 'POST', '/users/delete', {
      body: { user_ids: ['bob'], user: 'hard', messages: 'hard' },
    });
    const listed = await queryUsersRaw(sandbox, {
      filter_conditions: { id: 'bob' },
    });
    const task = await call(
      sandbox,
      'GET',
      `/tasks/${response.json?.['task_id'] as string}`,
    );

    expect(listed.json?.['users']).toEqual([]);
    expect(sandbox.state.user('bob')?.deletedAt).toEqual(expect.any(String));
    expect(sandbox.state.user('bob')?.deleteMode).toBeUndefined();
    expect(sandbox.state.messageCountOf('bob')).toBe(messages);
    expect(['pending', 'running']).toContain(task.json?.['status']);
    expect(task.json).not.toHaveProperty('result');
  });

  it('prunes a user: the row stays with name and email nulled, messages lose their text', async () => {
    const task = await deleteUsers(sandbox, {
      user_ids: ['carol'],
      user: 'pruning',
      messages: 'pruning',
    });
    const exported = await call(sandbox, 'GET', '/users/carol/export');

    expect(task['status']).toBe('completed');
    expect(sandbox.state.user('carol')).toMatchObject({
      deleteMode: 'pruning',
    });
    expect(sandbox.state.user('carol')).not.toHaveProperty('name');
    expect(sandbox.state.user('carol')).not.toHaveProperty('email');
    const messages = exported.json?.['messages'] as {
      text: string;
      type: string;
    }[];
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.every((m) => m.text === '' && m.type === 'deleted')).toBe(
      true,
    );
  });

  it('soft-deletes a user: the row and messages stay, marked deleted', async () => {
    const count = sandbox.state.messageCountOf('dave');

    await deleteUsers(sandbox, {
      user_ids: ['dave'],
      user: 'soft',
      messages: 'soft',
    });

    expect(sandbox.state.user('dave')).toMatchObject({
      deleteMode: 'soft',
      name: 'Dave Rossi',
    });
    expect(sandbox.state.messageCountOf('dave')).toBe(count);
  });

  it('leaves messages alone when messages is null', async () => {
    const count = sandbox.state.messageCountOf('erin');

    await deleteUsers(sandbox, {
      user_ids: ['erin'],
      user: 'soft',
      messages: null,
      conversations: '',
    });

    expect(sandbox.state.messageCountOf('erin')).toBe(count);
    expect(
      sandbox.state.channel('messaging:dm-erin-frank')?.deletedAt,
    ).toBeUndefined();
  });

  it('hard-deletes conversations only: group and team channels stay', async () => {
    await deleteUsers(sandbox, {
      user_ids: ['bob'],
      user: 'hard',
      messages: 'hard',
      conversations: 'hard',
    });

    expect(sandbox.state.channel('messaging:dm-alice-bob')?.hardDeleted).toBe(
      true,
    );
    expect(sandbox.state.channel('messaging:dm-bob-dave')?.hardDeleted).toBe(
      true,
    );
    expect(sandbox.state.channel('messaging:weekend-hike')).toMatchObject({
      hardDeleted: false,
    });
    expect(sandbox.state.channel('team:everyone')?.memberIds).not.toContain(
      'bob',
    );
  });

  it('hands channels of a hard-deleted owner to new_channel_owner_id', async () => {
    await deleteUsers(sandbox, {
      user_ids: ['dave'],
      user: 'hard',
      messages: 'hard',
      conversations: 'hard',
      new_channel_owner_id: 'judy',
    });

    expect(sandbox.state.channel('messaging:weekend-hike')?.createdById).toBe(
      'judy',
    );
  });

  it('hands them to a system id without new_channel_owner_id', async () => {
    await deleteUsers(sandbox, {
      user_ids: ['oscar'],
      user: 'hard',
      messages: 'hard',
      conversations: 'hard',
    });

    expect(sandbox.state.channel('team:everyone')?.createdById).toMatch(
      /^delete-user-[0-9a-f]+$/,
    );
  });

  it('reports unknown user ids as ok and lists them on the task', async () => {
    const task = await deleteUsers(sandbox, {
      user_ids: ['ghost', 'alice'],
      user: 'hard',
      messages: 'hard',
      conversations: 'hard',
    });

    expect(task['result']).toEqual({
      ghost: { status: 'ok' },
      alice: { status: 'ok' },
    });
    expect(sandbox.state.tasks()[0]?.unknownIds).toEqual(['ghost']);
  });

  it('fails the next task on request, undoing the synchronous flag', async () => {
    sandbox.failNextTask('deleteUsers', 'simulated failure');

    const task = await deleteUsers(sandbox, {
      user_ids: ['grace'],
      user: 'hard',
      messages: 'hard',
    });
    const listed = await queryUsersRaw(sandbox, {
      filter_conditions: { id: 'grace' },
    });

    expect(task).toMatchObject({
      status: 'failed',
      error: { type: 'TaskError', description: 'simulated failure' },
    });
    expect(task).not.toHaveProperty('result');
    expect((listed.json?.['users'] as unknown[]).length).toBe(1);
    expect(sandbox.state.user('grace')?.deletedAt).toBeUndefined();
  });

  it('soft-deletes channels without hard_delete and keeps their messages', async () => {
    const cid = 'messaging:book-club';
    const count = sandbox.state.channel(cid)?.messageCount ?? 0;

    const response = await call(sandbox, 'POST', '/channels/delete', {
      body: { cids: [cid] },
    });
    await settledTask(sandbox, response.json?.['task_id'] as string);

    expect(count).toBeGreaterThan(0);
    expect(sandbox.state.channel(cid)).toMatchObject({
      hardDeleted: false,
      messageCount: count,
      deletedAt: expect.any(String),
    });
  });
});
