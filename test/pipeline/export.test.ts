import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

import { checkedManifest } from './export-files.js';
import type { Harness } from './pipeline-harness.js';
import { ids, startHarness } from './pipeline-harness.js';

describe('export pipeline', () => {
  let h: Harness;

  afterEach(async () => {
    await h?.close();
  });

  it('exports 30 users with two Export Users calls into private files listed in a manifest', async () => {
    const users = ids('expuser', 30);
    h = await startHarness();
    h.sandbox.seed({ users: users.map((id) => ({ id, messageCount: 2 })) });

    const { requestId } = await h.client.requestExport({ userIds: users });
    const record = await h.client.waitForRequest(requestId, {
      timeoutMs: 20_000,
    });

    expect(record.status).toBe('completed');
    const calls = h.sandbox.calls.filter(
      (c) => c.endpoint === 'exportUsers' && c.status === 201,
    );
    expect(
      calls
        .map((c) => (c.body as { user_ids: string[] }).user_ids.length)
        .sort(),
    ).toEqual([25, 5]);

    const directory = join(h.exportDir, requestId);
    expect((await stat(directory)).mode & 0o777).toBe(0o700);
    const manifest = await checkedManifest(h, requestId);
    expect(manifest.requestId).toBe(requestId);
    expect(manifest.files).toHaveLength(2);
    expect(manifest.files.flatMap((f) => f.userIds).sort()).toEqual(
      [...users].sort(),
    );
    for (const entry of manifest.files) {
      expect(entry.file).toMatch(/^users-\d+\.ndjson$/);
      const content = await readFile(join(directory, entry.file));
      expect(entry.taskId).toEqual(expect.any(String));
      const lines = content.toString('utf8').trim().split('\n');
      expect(() =>
        lines.map((line) => JSON.parse(line) as unknown),
      ).not.toThrow();
    }

    expect(record.artifacts?.files).toHaveLength(2);
    expect(record.artifacts?.expiresAt).toEqual(expect.any(String));
  });

  it('falls back to Export User when the export task of a single user fails', async () => {
    h = await startHarness();
    h.sandbox.seed({ users: [{ id: 'soloexport', messageCount: 3 }] });
    h.sandbox.failNextTask('exportUsers', 'export failed');

    const { requestId } = await h.client.requestExport({
      userIds: ['soloexport'],
    });
    const record = await h.client.waitForRequest(requestId, {
      timeoutMs: 20_000,
    });

    expect(record.status).toBe('completed');
    expect(record.batches[0]).toMatchObject({
      via: 'sync',
      artifact: { file: 'user-0.json' },
    });
    expect(record.batches[0]?.taskHistory).toHaveLength(1);
    const file = join(h.exportDir, requestId, 'user-0.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(
      h.sandbox.calls.filter((c) => c.endpoint === 'exportUser'),
    ).toHaveLength(1);
  });
});
