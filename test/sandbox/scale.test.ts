import type {
  Sandbox,
  SeedChannel,
  SeedUser,
} from '../../src/sandbox/index.js';
import {
  call,
  queryUsersRaw,
  settledTask,
  startTestSandbox,
} from './helpers.js';

// Speed is the benchmark's business (npm run bench); here quadratic work
// would show up as the test timeout, never as a wall-clock assertion.
const USERS = 10_000;
const CHANNELS = 1_000;

function bigSeed(): { users: SeedUser[]; channels: SeedChannel[] } {
  const users = Array.from({ length: USERS }, (_, n) => ({
    id: `user-${n}`,
    name: `User ${n}`,
    messageCount: 2,
    reactionCount: 1,
  }));
  const channels = Array.from({ length: CHANNELS }, (_, n) => ({
    type: 'messaging',
    id: `channel-${n}`,
    memberIds: Array.from({ length: 10 }, (_, k) => `user-${n * 10 + k}`),
  }));
  return { users, channels };
}

describe('sandbox at scale', () => {
  let sandbox: Sandbox;

  afterEach(async () => {
    await sandbox.close();
  });

  it('seeds 10,000 users and 1,000 channels', async () => {
    sandbox = await startTestSandbox({ seed: bigSeed() });

    expect(sandbox.state.users()).toHaveLength(USERS);
    expect(sandbox.state.channels()).toHaveLength(CHANNELS);
    expect(sandbox.state.messageCountOf('user-9999')).toBe(2);
  });

  it('erases twenty batches of 100 known and unknown users', async () => {
    sandbox = await startTestSandbox({
      seed: bigSeed(),
      taskDurationMs: 0,
      recordCalls: false,
    });
    for (let batch = 0; batch < 20; batch += 1) {
      const ids = Array.from({ length: 100 }, (_, n) =>
        batch % 2 === 0 ? `user-${batch * 100 + n}` : `ghost-${batch}-${n}`,
      );
      const response = await call(sandbox, 'POST', '/users/delete', {
        body: {
          user_ids: ids,
          user: 'hard',
          messages: 'hard',
          conversations: 'hard',
        },
      });
      const task = await settledTask(
        sandbox,
        response.json?.['task_id'] as string,
      );
      expect(task['status']).toBe('completed');
    }

    expect(sandbox.state.user('user-0')).toBeUndefined();
    expect(sandbox.state.user('user-150')).toBeDefined();
    expect(sandbox.calls).toEqual([]);
    const listed = await queryUsersRaw(sandbox, {
      filter_conditions: { id: { $in: ['user-0', 'user-150'] } },
    });
    expect(
      (listed.json?.['users'] as { id: string }[]).map((u) => u.id),
    ).toEqual(['user-150']);
  });
});
