import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

import {
  isStreamNotFound,
  StreamHttpError,
  StreamRateLimitError,
  StreamUsageError,
} from '../../src/stream/stream-errors.js';
import {
  CHANNELS,
  finishedTask,
  type Harness,
  rejectionOf,
  startHarness,
  USERS,
} from './support.js';

const HARD = { user: 'hard', messages: 'hard', conversations: 'hard' } as const;

describe('StreamClient methods against the sandbox', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness();
  });

  afterEach(async () => {
    await h.close();
  });

  it('lists the queried users that exist', async () => {
    const response = await h.client.queryUsers([USERS[0], 'nobody-here']);

    expect(response.status).toBe(200);
    expect(response.endpoint).toBe('queryUsers');
    expect(response.data.ids).toEqual([USERS[0]]);
  });

  it('lists the queried channels that exist', async () => {
    const response = await h.client.queryChannels([
      CHANNELS[0],
      'messaging:gone',
    ]);

    expect(response.data.cids).toEqual([CHANNELS[0]]);
    expect(h.callsTo('queryChannels')[0]!.body).toMatchObject({
      filter_conditions: { cid: { $in: [CHANNELS[0], 'messaging:gone'] } },
      watch: false,
      presence: false,
      limit: 2,
    });
  });

  it('deletes users with the options given and Stream stops listing them at once', async () => {
    const response = await h.client.deleteUsers([USERS[0], USERS[1]], {
      ...HARD,
      newChannelOwnerId: USERS[2],
      files: true,
    });

    expect(response.status).toBe(201);
    expect(response.data.taskId).toEqual(expect.any(String));
    expect(h.callsTo('deleteUsers')[0]!.body).toEqual({
      user_ids: [USERS[0], USERS[1]],
      user: 'hard',
      messages: 'hard',
      conversations: 'hard',
      new_channel_owner_id: USERS[2],
      files: true,
    });
    const listed = await h.client.queryUsers([USERS[0], USERS[1], USERS[2]]);
    expect(listed.data.ids).toEqual([USERS[2]]);

    const task = await finishedTask(h.client, response.data.taskId);
    expect(task).toMatchObject({
      taskId: response.data.taskId,
      status: 'completed',
      result: { [USERS[0]]: { status: 'ok' }, [USERS[1]]: { status: 'ok' } },
    });
    expect(task.createdAt).toEqual(expect.any(String));
    expect(task.updatedAt).toEqual(expect.any(String));
  });

  it('hard-deletes channels and Stream stops listing them', async () => {
    const response = await h.client.deleteChannels([CHANNELS[0]]);

    expect(h.callsTo('deleteChannels')[0]!.body).toEqual({
      cids: [CHANNELS[0]],
      hard_delete: true,
    });
    const listed = await h.client.queryChannels([CHANNELS[0], CHANNELS[1]]);
    expect(listed.data.cids).toEqual([CHANNELS[1]]);
    const task = await finishedTask(h.client, response.data.taskId);
    expect(task.result).toEqual({ [CHANNELS[0]]: { status: 'ok' } });
  });

  it('reports a failed task with its error description', async () => {
    h.sandbox.failNextTask('exportUsers', 'storage unavailable');
    const response = await h.client.exportUsers([USERS[0]]);
    const task = await finishedTask(h.client, response.data.taskId);

    expect(task.status).toBe('failed');
    expect(task.error?.description).toBe('storage unavailable');
  });

  it('writes Export User to a private file with its size and sha256', async () => {
    const destination = join(h.dir, 'nested', 'user.json');
    const response = await h.client.exportUser(USERS[1], destination);

    const content = await readFile(destination);
    const { createHash } = await import('node:crypto');
    expect(response.data).toEqual({
      path: destination,
      bytes: content.length,
      sha256: createHash('sha256').update(content).digest('hex'),
    });
    expect((await stat(destination)).mode & 0o777).toBe(0o600);
    const body = JSON.parse(content.toString('utf8'));
    expect(body.user.id).toBe(USERS[1]);
    expect(body.messages).toHaveLength(4);
  });

  it('treats an unknown task as not found, without the id in the message', async () => {
    const taskId = 'task-that-never-was-9q8w';
    const error = await rejectionOf(h.client.getTask(taskId));

    expect(error).toBeInstanceOf(StreamHttpError);
    expect(error).toMatchObject({
      status: 404,
      streamCode: 16,
      retryable: false,
    });
    expect(isStreamNotFound(error)).toBe(true);
    expect(error.message).toMatch(/^Stream getTask failed: HTTP 404, code 16/);
    expect(error.message).not.toContain(taskId);
  });

  it('turns an input error into a permanent 400 with a scrubbed message', async () => {
    const options = { ...HARD, user: 'obliterate' as 'hard' };
    const error = await rejectionOf(h.client.deleteUsers([USERS[0]], options));

    expect(error).toBeInstanceOf(StreamHttpError);
    expect(error).toMatchObject({
      status: 400,
      streamCode: 4,
      retryable: false,
    });
    expect(error.message).toMatch(
      /^Stream deleteUsers failed: HTTP 400, code 4: /,
    );
    expect(error.message).not.toContain(USERS[0]);
    expect(error.message).not.toMatch(/https?:\/\//);
    expect(error.message.length).toBeLessThan(300);
  });

  it('refuses empty and oversized batches before sending anything', async () => {
    const tooMany = Array.from({ length: 26 }, (_, n) => `u${n}`);

    await expect(h.client.exportUsers(tooMany)).rejects.toBeInstanceOf(
      StreamUsageError,
    );
    await expect(h.client.deleteUsers([], HARD)).rejects.toMatchObject({
      code: 'stream_invalid_call',
      retryable: false,
    });
    await expect(
      h.client.queryChannels(
        [...tooMany, ...tooMany].map((n) => `messaging:${n}`),
      ),
    ).rejects.toBeInstanceOf(StreamUsageError);
    expect(h.sandbox.calls).toHaveLength(0);
  });

  it('exposes the rate-limit headers on responses, errors and call events', async () => {
    h.sandbox.setRateLimit({ windowMs: 60_000, limit: 2, burst: false });
    const first = await h.client.queryUsers([USERS[0]]);
    const second = await h.client.queryUsers([USERS[0]]);
    const error = await rejectionOf(h.client.queryUsers([USERS[0]]));

    expect(first.rateLimit).toMatchObject({ limit: 2, remaining: 1 });
    expect(second.rateLimit).toMatchObject({ limit: 2, remaining: 0 });
    expect(first.rateLimit!.resetAt).toBeGreaterThan(Date.now());
    expect(error).toBeInstanceOf(StreamRateLimitError);
    const limited = error as StreamRateLimitError;
    expect(limited).toMatchObject({
      status: 429,
      streamCode: 9,
      retryable: true,
    });
    expect(limited.rateLimit).toMatchObject({ limit: 2, remaining: 0 });
    expect(limited.retryAt).toBe(limited.rateLimit!.resetAt);
    expect(h.events.map((event) => event.status)).toEqual([200, 200, 429]);
    expect(h.events[2]!.rateLimit).toEqual(limited.rateLimit);
    expect(h.callsTo('queryUsers')).toHaveLength(3);
  });
});
