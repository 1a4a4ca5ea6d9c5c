import type { Harness } from './pipeline-harness.js';
import { ids, logMentions, startHarness } from './pipeline-harness.js';

describe('erasure pipeline', () => {
  let h: Harness;

  afterEach(async () => {
    await h?.close();
  });

  it('erases 250 users and 150 channels in hard batches of at most 100 and verifies it', async () => {
    const users = ids('eraseuser', 250);
    const cids = ids('messaging:erasechan', 150);
    h = await startHarness();
    h.sandbox.seed({
      users: users.map((id) => ({ id, messageCount: 1 })),
      channels: cids.map((cid) => ({
        type: 'messaging',
        id: cid.split(':')[1]!,
        memberIds: [users[0]!],
      })),
    });

    const { requestId, created } = await h.client.requestErasure({
      userIds: users,
      channelCids: cids,
    });
    expect(created).toBe(true);
    const record = await h.client.waitForRequest(requestId, {
      timeoutMs: 20_000,
    });

    expect(record.status).toBe('completed');
    expect(record.verification).toMatchObject({
      passed: true,
      stillListed: [],
    });
    expect(record.batches).toHaveLength(5);
    expect(record.batches.every((b) => b.status === 'completed')).toBe(true);
    expect(record.batches.every((b) => b.taskId)).toBe(true);

    const userCalls = h.sandbox.calls.filter(
      (c) => c.endpoint === 'deleteUsers' && c.status === 201,
    );
    expect(
      userCalls
        .map((c) => (c.body as { user_ids: string[] }).user_ids.length)
        .sort(),
    ).toEqual([100, 100, 50]);
    for (const call of userCalls) {
      expect(call.body).toMatchObject({
        user: 'hard',
        messages: 'hard',
        conversations: 'hard',
      });
    }

    const channelCalls = h.sandbox.calls.filter(
      (c) => c.endpoint === 'deleteChannels' && c.status === 201,
    );
    expect(
      channelCalls
        .map((c) => (c.body as { cids: string[] }).cids.length)
        .sort(),
    ).toEqual([100, 50]);
    for (const call of channelCalls) {
      expect(call.body).toMatchObject({ hard_delete: true });
    }

    for (const id of users) expect(h.sandbox.state.user(id)).toBeUndefined();
    for (const cid of cids) {
      const channel = h.sandbox.state.channel(cid);
      expect(channel === undefined || channel.hardDeleted).toBe(true);
    }

    expect(record.events.map((e) => e.type)).toEqual(
      expect.arrayContaining([
        'queued',
        'running',
        'waiting_on_stream',
        'completed',
      ]),
    );
    expect(logMentions(h.log, [...users.slice(0, 20)])).toEqual([]);
  });
});
