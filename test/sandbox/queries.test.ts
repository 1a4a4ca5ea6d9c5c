import type { Sandbox } from '../../src/sandbox/index.js';
import { call, queryUsersRaw, startTestSandbox } from './helpers.js';

type Listed = { id: string }[];

describe('sandbox query users and query channels', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startTestSandbox({ seed: 'demo' });
  });

  afterAll(async () => {
    await sandbox.close();
  });

  const ids = async (payload: Record<string, unknown>): Promise<string[]> => {
    const response = await queryUsersRaw(sandbox, payload);
    expect(response.status).toBe(200);
    return (response.json?.['users'] as Listed).map((user) => user.id);
  };

  it('filters users by id as a string, $eq and $in', async () => {
    expect(await ids({ filter_conditions: { id: 'bob' } })).toEqual(['bob']);
    expect(await ids({ filter_conditions: { id: { $eq: 'bob' } } })).toEqual([
      'bob',
    ]);
    expect(
      (
        await ids({ filter_conditions: { id: { $in: ['bob', 'x', 'alice'] } } })
      ).sort(),
    ).toEqual(['alice', 'bob']);
  });

  it('returns the documented user fields', async () => {
    const response = await queryUsersRaw(sandbox, {
      filter_conditions: { id: 'alice' },
    });

    expect((response.json?.['users'] as unknown[])[0]).toMatchObject({
      id: 'alice',
      role: 'user',
      name: 'Alice Martin',
      banned: false,
      online: false,
      teams: [],
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect(response.json?.['duration']).toEqual(expect.stringMatching(/ms$/));
  });

  it('pages with limit and offset, 30 by default', async () => {
    const all = await ids({
      filter_conditions: {},
      sort: [{ field: 'id', direction: 1 }],
    });
    const page = await ids({
      filter_conditions: {},
      sort: [{ field: 'id', direction: 1 }],
      limit: 5,
      offset: 2,
    });

    expect(all).toHaveLength(12);
    expect(page).toEqual(all.slice(2, 7));
  });

  it('rejects a limit over 100, a missing filter and an unsupported filter with code 4', async () => {
    const responses = await Promise.all([
      queryUsersRaw(sandbox, { filter_conditions: {}, limit: 101 }),
      queryUsersRaw(sandbox, { limit: 10 }),
      queryUsersRaw(sandbox, {
        filter_conditions: { name: { $autocomplete: 'a' } },
      }),
      call(sandbox, 'GET', '/users', { query: { payload: '{oops' } }),
    ]);

    expect(responses.map((r) => r.json?.['code'])).toEqual([4, 4, 4, 4]);
  });

  it('lists channels by cid $in, by type and id, and by member', async () => {
    const query = async (
      filter: Record<string, unknown>,
    ): Promise<string[]> => {
      const response = await call(sandbox, 'POST', '/channels', {
        body: {
          filter_conditions: filter,
          state: true,
          watch: false,
          limit: 30,
        },
      });
      expect(response.status).toBe(201);
      return (response.json?.['channels'] as { channel: { cid: string } }[])
        .map((c) => c.channel.cid)
        .sort();
    };

    expect(
      await query({ cid: { $in: ['team:everyone', 'messaging:nope'] } }),
    ).toEqual(['team:everyone']);
    expect(await query({ type: 'messaging', id: 'book-club' })).toEqual([
      'messaging:book-club',
    ]);
    expect(await query({ members: { $in: ['frank'] } })).toEqual([
      'messaging:dm-erin-frank',
      'messaging:weekend-hike',
      'team:everyone',
    ]);
  });

  it('returns channel, members and messages for each channel', async () => {
    const response = await call(sandbox, 'POST', '/channels', {
      body: {
        filter_conditions: { cid: 'messaging:dm-alice-bob' },
        user_id: 'alice',
      },
    });

    const [state] = response.json?.['channels'] as Record<string, unknown>[];
    expect(state?.['channel']).toMatchObject({
      cid: 'messaging:dm-alice-bob',
      type: 'messaging',
      id: 'dm-alice-bob',
      member_count: 2,
      created_by: { id: 'alice' },
    });
    expect(
      (state?.['members'] as { user_id: string }[]).map((m) => m.user_id),
    ).toEqual(['alice', 'bob']);
    expect((state?.['messages'] as unknown[]).length).toBeGreaterThan(0);
  });

  it('rejects more than 30 channels per query with code 4', async () => {
    const response = await call(sandbox, 'POST', '/channels', {
      body: { filter_conditions: {}, limit: 31 },
    });

    expect([response.status, response.json?.['code']]).toEqual([400, 4]);
  });
});
