import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { createGdprClient } from '../../src/requests/gdpr-client.js';
import type { GdprClient } from '../../src/requests/gdpr-client-types.js';
import { subjectFingerprint } from '../../src/requests/subject-fingerprint.js';
import type { Harness } from './pipeline-harness.js';
import { ids, startHarness } from './pipeline-harness.js';

const KEY = 'pseudonym-key-pipeline-tests-0123456789';

describe('record pseudonymisation (RECORD_PSEUDONYMISE=true)', () => {
  let h: Harness;
  let lookup: GdprClient | undefined;

  afterEach(async () => {
    await lookup?.close();
    lookup = undefined;
    await h?.close();
  });

  const pseudonymised = () =>
    startHarness({
      env: { RECORD_PSEUDONYMISE: 'true', RECORD_PSEUDONYM_KEY: KEY },
    });

  it('leaves a finished erasure with fingerprints only, and still answers who erased a subject', async () => {
    h = await pseudonymised();
    const users = ids('pseudo-user-', 120);
    const cids = ['messaging:pseudo-room', 'team:pseudo-ops'];
    h.sandbox.seed({
      users: users.map((id) => ({ id })),
      channels: cids.map((cid) => {
        const [type = '', id = ''] = cid.split(':');
        return { type, id, memberIds: users.slice(0, 2) };
      }),
    });

    const { requestId } = await h.client.requestErasure({
      userIds: users,
      channelCids: cids,
    });
    const done = await h.client.waitForRequest(requestId, {
      timeoutMs: 20_000,
    });
    const record = await h.client.getRequest(requestId);

    expect(done.status).toBe('completed');
    for (const id of users) expect(h.sandbox.state.user(id)).toBeUndefined();
    expect(record?.subjects.pseudonymised).toBe(true);
    expect(record?.subjects.userIds).toHaveLength(users.length);
    expect(record?.subjects.userIds).toContain(
      subjectFingerprint(KEY, 'user', users[0]!),
    );
    expect(record?.subjects.channelCids).toEqual(
      [...cids].sort().map((cid) => subjectFingerprint(KEY, 'channel', cid)),
    );
    expect(record?.verification?.passed).toBe(true);
    const recordText = JSON.stringify(record);
    for (const id of [...users, ...cids]) expect(recordText).not.toContain(id);

    lookup = createGdprClient({
      redis: h.config.redis.url,
      prefix: h.prefix,
      pseudonymKey: KEY,
    });
    const matches = await lookup.findRequestsForSubject(users[7]!);
    expect(matches).toEqual([
      {
        requestId,
        kind: 'erasure',
        status: 'completed',
        finishedAt: record?.finishedAt,
        subjectKind: 'user',
        outcome: 'erased',
        erased: true,
        pseudonymised: true,
      },
    ]);
    const [room] = await lookup.findRequestsForSubject('team:pseudo-ops');
    expect(room).toMatchObject({ requestId, erased: true });
  });

  it('keeps the real ids in the export manifest, the access-request deliverable', async () => {
    h = await pseudonymised();
    const users = ['exported-a', 'exported-b'];
    h.sandbox.seed({ users: users.map((id) => ({ id, messageCount: 1 })) });

    const { requestId } = await h.client.requestExport({ userIds: users });
    const done = await h.client.waitForRequest(requestId, {
      timeoutMs: 20_000,
    });

    expect(done.status).toBe('completed');
    expect(done.subjects.pseudonymised).toBe(true);
    expect(done.subjects.userIds).not.toContain('exported-a');
    const manifest = JSON.parse(
      await readFile(join(h.exportDir, requestId, 'manifest.json'), 'utf8'),
    ) as { files: { userIds: string[] }[] };
    expect(manifest.files.flatMap((f) => f.userIds).sort()).toEqual(users);
    const [match] = await h.client.findRequestsForSubject('exported-b');
    // The harness's client has no key: pseudonymised records stay hidden.
    expect(match).toBeUndefined();
  });

  it('indexes requests that keep their ids when pseudonymisation is off', async () => {
    h = await startHarness();
    h.sandbox.seed({ users: [{ id: 'clear-1' }, { id: 'clear-2' }] });

    const { requestId } = await h.client.requestErasure({
      userIds: ['clear-1', 'clear-2'],
    });
    await h.client.waitForRequest(requestId, { timeoutMs: 20_000 });
    const record = await h.client.getRequest(requestId);

    expect(record?.subjects.userIds).toEqual(['clear-1', 'clear-2']);
    expect(record?.subjects.pseudonymised).toBeUndefined();
    expect(await h.client.findRequestsForSubject('clear-2')).toEqual([
      expect.objectContaining({
        requestId,
        outcome: 'erased',
        pseudonymised: false,
      }),
    ]);
  });
});
