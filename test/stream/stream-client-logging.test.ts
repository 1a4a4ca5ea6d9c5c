import { join } from 'node:path';

import { createLogger } from '../../src/logging/logger.js';
import {
  API_SECRET,
  CHANNELS,
  finishedTask,
  type Harness,
  header,
  startHarness,
  USERS,
} from './support.js';

const HARD = { user: 'hard', messages: 'hard', conversations: 'hard' } as const;

describe('StreamClient logging', () => {
  let h: Harness;
  const lines: string[] = [];

  beforeAll(async () => {
    h = await startHarness();
  });

  afterAll(async () => {
    await h.close();
  });

  it('never writes the secret, the token, an id or a signed URL at trace level', async () => {
    const logger = createLogger({
      level: 'trace',
      destination: { write: (line: string) => void lines.push(line) },
    });
    const client = h.clientWith({ logger, timeoutMs: 300 });
    const noRetry = h.clientWith({ logger, timeoutMs: 300, getRetries: 0 });
    const wrongSecret = 'the-wrong-secret-51hd';
    const impostor = h.clientWith({ logger, apiSecret: wrongSecret });
    // Log every failure the way a caller would, so the error serializer
    // (fields and cause chain) is scanned as well.
    const attempt = async (call: () => Promise<unknown>) => {
      try {
        await call();
      } catch (err) {
        logger.error({ err }, 'Stream call failed in test');
      }
    };

    const exported = await client.exportUsers([USERS[0]]);
    const task = await finishedTask(client, exported.data.taskId);
    const url = String(task.result?.['url']);
    await client.downloadExport(url, join(h.dir, 'export.ndjson'));
    await client.exportUser(USERS[1], join(h.dir, 'user.json'));
    await client.queryUsers([...USERS]);
    await client.queryChannels([...CHANNELS]);
    await attempt(() =>
      client.exportUser('no-such-person-4k2j', join(h.dir, 'x')),
    );
    await attempt(() =>
      client.deleteUsers([USERS[2]], { ...HARD, user: 'bogus' as 'hard' }),
    );
    h.sandbox.faults.script(
      { kind: 'reset', endpoint: 'queryUsers' },
      { kind: 'hang', endpoint: 'exportUser' },
      { kind: 'http502Html', endpoint: 'queryChannels' },
      { kind: 'malformedJson', endpoint: 'getTask' },
      { kind: 'http429Text', endpoint: 'deleteChannels' },
    );
    await attempt(() => noRetry.queryUsers([USERS[2]]));
    await attempt(() => noRetry.exportUser(USERS[2], join(h.dir, 'y.json')));
    await attempt(() => noRetry.queryChannels([CHANNELS[2]]));
    await attempt(() => noRetry.getTask(exported.data.taskId));
    await attempt(() => client.deleteChannels([CHANNELS[1]]));
    await attempt(() => client.deleteUsers([USERS[0]], HARD));
    await attempt(() => impostor.queryUsers([USERS[1]]));

    const token = header(h.sandbox.calls[0], 'authorization');
    const badToken = header(h.sandbox.calls.at(-1), 'authorization');
    expect(token).toBeDefined();
    expect(badToken).toBeDefined();
    const forbidden = [
      API_SECRET,
      wrongSecret,
      token!,
      badToken!,
      ...USERS,
      ...CHANNELS,
      ...CHANNELS.map((cid) => cid.split(':')[1]!),
      'no-such-person-4k2j',
      new URL(url).pathname,
      new URL(url).searchParams.get('Signature')!,
      'api_key',
    ];
    expect(lines.length).toBeGreaterThan(15);
    const errors = lines.filter((line) => line.includes('"level":50'));
    expect(errors).toHaveLength(8);
    expect(lines.some((line) => line.includes('"level":20'))).toBe(true);
    for (const line of lines) {
      for (const value of forbidden) expect(line).not.toContain(value);
    }
  });
});
