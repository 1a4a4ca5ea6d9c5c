import { StreamChat } from 'stream-chat';

import type { Sandbox } from '../../src/sandbox/index.js';
import { API_KEY, API_SECRET, startTestSandbox, waitFor } from './helpers.js';

interface SdkError {
  readonly status: number;
  readonly code: number | null;
  readonly response: { readonly data: Record<string, unknown> };
}

function sdk(sandbox: Sandbox, key = API_KEY, secret = API_SECRET): StreamChat {
  return new StreamChat(key, secret, { baseURL: sandbox.url });
}

async function failure(promise: Promise<unknown>): Promise<SdkError> {
  try {
    await promise;
  } catch (error) {
    return error as SdkError;
  }

  throw new Error('expected the call to fail');
}

async function completed(
  client: StreamChat,
  taskId: string,
): Promise<Record<string, unknown>> {
  return waitFor(async () => {
    const task = await client.getTask(taskId);
    return task.status === 'completed'
      ? (task as unknown as Record<string, unknown>)
      : undefined;
  });
}

describe('the official stream-chat SDK against the sandbox', () => {
  let sandbox: Sandbox;
  let client: StreamChat;

  beforeEach(async () => {
    sandbox = await startTestSandbox({ seed: 'demo', taskDurationMs: 20 });
    client = sdk(sandbox);
  });

  afterEach(async () => {
    await sandbox.close();
  });

  it('deletes users hard: they vanish from queryUsers at once and from state when the task completes', async () => {
    const before = await client.queryUsers({ id: { $in: ['alice', 'bob'] } });
    expect(before.users.map((user) => user.id).sort()).toEqual([
      'alice',
      'bob',
    ]);

    const submitted = await client.deleteUsers(['alice'], {
      user: 'hard',
      messages: 'hard',
      conversations: 'hard',
    });
    expect(submitted.task_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(submitted.duration).toMatch(/^\d+(\.\d+)?ms$/);

    const right = await client.queryUsers({ id: { $in: ['alice', 'bob'] } });
    expect(right.users.map((user) => user.id)).toEqual(['bob']);

    const task = await completed(client, submitted.task_id);
    expect(task['result']).toEqual({ alice: { status: 'ok' } });
    expect(task['created_at']).toEqual(expect.stringMatching(/Z$/));
    expect(sandbox.state.user('alice')).toBeUndefined();
    expect(sandbox.state.messageCountOf('alice')).toBe(0);
    expect(sandbox.state.channel('messaging:dm-alice-bob')?.hardDeleted).toBe(
      true,
    );
    expect(sandbox.state.channel('messaging:book-club')?.hardDeleted).toBe(
      false,
    );
  });

  it('hard-deletes channels: they leave queryChannels at once, messages go with the task', async () => {
    const cid = 'messaging:weekend-hike';
    const listed = await client.queryChannels({ cid: { $in: [cid] } }, [], {
      watch: false,
      state: true,
    });
    expect(listed.map((channel) => channel.cid)).toEqual([cid]);
    expect(listed[0]?.state.members).toHaveProperty('dave');

    const submitted = await client.deleteChannels([cid], { hard_delete: true });
    const after = await client.queryChannels({ cid: { $in: [cid] } }, [], {
      watch: false,
      state: true,
    });
    expect(after).toEqual([]);

    const task = await completed(client, submitted.task_id as string);
    expect(task['result']).toEqual({ [cid]: { status: 'ok' } });
    expect(sandbox.state.channel(cid)).toMatchObject({
      hardDeleted: true,
      messageCount: 0,
    });
  });

  it('exports users to an NDJSON file downloadable at result.url', async () => {
    const submitted = await client.exportUsers({ user_ids: ['carol', 'dave'] });
    const task = await completed(client, submitted.task_id);
    const url = (task['result'] as { url: string }).url;
    expect(url).toContain('/exports/users/');
    expect(url.startsWith(sandbox.url)).toBe(true);

    const response = await fetch(url);
    expect(response.status).toBe(200);
    const lines = (await response.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string });
    const users = lines.filter((line) => line.type === 'user');
    expect(users).toHaveLength(2);
    expect(lines.some((line) => line.type === 'message')).toBe(true);
    expect(lines.some((line) => line.type === 'reaction')).toBe(true);
  });

  it('exports one user synchronously with user, messages and reactions', async () => {
    const exported = await client.exportUser('erin');
    expect(exported.user).toMatchObject({ id: 'erin', name: 'Erin Novak' });
    expect(exported.messages?.length).toBe(
      sandbox.state.user('erin')?.messageCount,
    );
    expect(exported.reactions?.length).toBe(
      sandbox.state.user('erin')?.reactionCount,
    );
    expect(exported.duration).toMatch(/ms$/);
  });

  it('exports a user whose id needs URL-encoding', async () => {
    const id = 'ana maria@example.com/1';
    sandbox.seed({ users: [{ id, name: 'Ana' }] });

    const exported = await client.exportUser(id);

    expect(exported.user).toMatchObject({ id, name: 'Ana' });
    expect(sandbox.calls.at(-1)?.path).toBe(
      `/users/${encodeURIComponent(id)}/export`,
    );
  });

  it('refuses to export a user with more messages than the limit, with 400 code 4', async () => {
    await sandbox.close();
    sandbox = await startTestSandbox({ exportUserMessageLimit: 5 });
    sandbox.seed({
      users: [{ id: 'chatty', messageCount: 6 }],
      channels: [{ type: 'messaging', id: 'c', memberIds: ['chatty'] }],
    });

    const error = await failure(sdk(sandbox).exportUser('chatty'));
    expect(error.status).toBe(400);
    expect(error.code).toBe(4);
  });

  it('answers an unknown user export with 404 code 16', async () => {
    const error = await failure(client.exportUser('nobody'));
    expect([error.status, error.code]).toEqual([404, 16]);
  });

  it("answers an unknown task with 404 code 16 and Stream's message", async () => {
    const error = await failure(client.getTask('no-such-task'));
    expect([error.status, error.code]).toEqual([404, 16]);
    expect(error.response.data['message']).toContain(
      "Can't find task with id no-such-task",
    );
  });

  it('rejects a wrong api key with 401 code 2', async () => {
    const error = await failure(
      sdk(sandbox, 'wrong-key').queryUsers({ id: 'bob' }),
    );
    expect([error.status, error.code]).toEqual([401, 2]);
  });

  it('rejects a token signed with the wrong secret with 401 code 43', async () => {
    const error = await failure(
      sdk(sandbox, API_KEY, 'wrong-secret').queryUsers({ id: 'bob' }),
    );
    expect([error.status, error.code]).toEqual([401, 43]);
  });

  it('rejects a user token on a server-side endpoint with 401 code 5', async () => {
    const userToken = client.createToken('bob');
    const asUser = new StreamChat(API_KEY, API_SECRET, {
      baseURL: sandbox.url,
      axiosRequestConfig: { headers: { Authorization: userToken } },
    });
    const error = await failure(asUser.deleteUsers(['bob'], { user: 'hard' }));
    expect([error.status, error.code]).toEqual([401, 5]);
    expect(sandbox.state.user('bob')?.deletedAt).toBeUndefined();
  });

  it('rejects more than 100 user ids with 400 code 4 and exception_fields', async () => {
    const ids = Array.from({ length: 101 }, (_, n) => `u${n}`);
    const error = await failure(client.deleteUsers(ids, { user: 'hard' }));
    expect([error.status, error.code]).toEqual([400, 4]);
    expect(error.response.data['exception_fields']).toHaveProperty('user_ids');
    expect(error.response.data['StatusCode']).toBe(400);
  });

  it('rejects more than 25 export ids and more than 100 cids with 400 code 4', async () => {
    const users = Array.from({ length: 26 }, (_, n) => `u${n}`);
    const cids = Array.from({ length: 101 }, (_, n) => `messaging:c${n}`);
    const exportError = await failure(client.exportUsers({ user_ids: users }));
    const deleteError = await failure(client.deleteChannels(cids));
    expect([exportError.code, deleteError.code]).toEqual([4, 4]);
    expect(deleteError.response.data['exception_fields']).toHaveProperty(
      'cids',
    );
  });

  it('sends rate-limit headers and answers 429 code 9 beyond the limit', async () => {
    // An hour-long window, so the three calls never straddle a boundary.
    sandbox.setRateLimit({ windowMs: 3_600_000, limit: 2, burst: false });
    const headers: Record<string, unknown>[] = [];
    client.axiosInstance.interceptors.response.use((response) => {
      headers.push(response.headers as Record<string, unknown>);
      return response;
    });

    await client.queryUsers({ id: 'bob' });
    await client.queryUsers({ id: 'bob' });
    const error = await failure(client.queryUsers({ id: 'bob' }));
    expect([error.status, error.code]).toEqual([429, 9]);
    expect(headers.map((h) => h['x-ratelimit-remaining'])).toEqual(['1', '0']);
    const reset = Number(headers[0]?.['x-ratelimit-reset']);
    expect(reset).toBeGreaterThan(Date.now() / 1000);
    expect(reset % 3600).toBe(0);
    expect(reset).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 3600);
  });
});
