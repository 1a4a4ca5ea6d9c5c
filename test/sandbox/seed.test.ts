import { demoSeed, type Sandbox } from '../../src/sandbox/index.js';
import { call, startTestSandbox } from './helpers.js';

describe('sandbox seeding', () => {
  let sandbox: Sandbox | undefined;

  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });

  it('demo seed holds twelve named users, 1:1 conversations and a team channel', () => {
    const seed = demoSeed();
    const channels = seed.channels ?? [];

    expect(seed.users).toHaveLength(12);
    expect(seed.users?.every((u) => Boolean(u.name && u.email))).toBe(true);
    expect(
      channels.filter((c) => c.memberIds?.length === 2).length,
    ).toBeGreaterThanOrEqual(3);
    expect(channels.some((c) => c.type === 'team')).toBe(true);
  });

  it("spreads messages over the user's channels and adds their reactions", async () => {
    sandbox = await startTestSandbox({ seed: 'demo' });
    const { state } = sandbox;

    const views = state.users();
    const messages = state
      .channels()
      .reduce((sum, channel) => sum + channel.messageCount, 0);

    expect(views.every((u) => u.messageCount > 0 && u.reactionCount > 0)).toBe(
      true,
    );
    expect(messages).toBe(views.reduce((sum, u) => sum + u.messageCount, 0));
  });

  it('starts empty without a seed and accepts one later', async () => {
    const empty = await startTestSandbox();
    sandbox = empty;
    expect(empty.state.users()).toEqual([]);

    empty.seed({ users: [{ id: 'solo', messageCount: 2 }] });

    expect(empty.state.user('solo')).toMatchObject({ messageCount: 2 });
  });

  it('refuses Export User above the default limit of 10,000 messages', async () => {
    const seeded = await startTestSandbox({
      seed: {
        users: [{ id: 'prolific', messageCount: 10_001 }],
        channels: [{ type: 'messaging', id: 'p', memberIds: ['prolific'] }],
      },
    });

    sandbox = seeded;

    const response = await call(seeded, 'GET', '/users/prolific/export');

    expect([response.status, response.json?.['code']]).toEqual([400, 4]);
    expect(response.json?.['exception_fields']).toHaveProperty('user_id');
  });
});
