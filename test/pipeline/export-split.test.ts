import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { pollUntil } from '../support/poll.js';
import { checkedManifest, type ManifestFile } from './export-files.js';
import type { Harness } from './pipeline-harness.js';
import { ids, logMentions, startHarness } from './pipeline-harness.js';

/** What Export User wrote for the one user a manifest file covers. */
async function exportedUser(
  h: Harness,
  requestId: string,
  entry: ManifestFile,
): Promise<{ user: { id: string }; messages: unknown[] }> {
  const text = await readFile(join(h.exportDir, requestId, entry.file), 'utf8');
  return JSON.parse(text) as { user: { id: string }; messages: unknown[] };
}

function exportUserCalls(h: Harness, status: number): string[] {
  return h.sandbox.calls
    .filter((c) => c.endpoint === 'exportUser' && c.status === status)
    .map((c) => c.path);
}

describe('an export batch Stream refuses, split into Export User', () => {
  let h: Harness;

  afterEach(async () => {
    await h?.close();
  });

  it('exports the users one by one, and the one Export User refuses for size with Export Users', async () => {
    h = await startHarness({ sandbox: { exportUserMessageLimit: 5 } });
    const users = ids('splituser', 4);
    const big = 'splitbiguser';
    h.sandbox.seed({
      users: [
        ...users.map((id) => ({ id, messageCount: 2 })),
        { id: big, messageCount: 8 },
      ],
    });
    h.sandbox.faults.script({ kind: 'http400', endpoint: 'exportUsers' });

    const { requestId } = await h.client.requestExport({
      userIds: [users[0]!, users[1]!, big, users[2]!, users[3]!],
    });
    const record = await h.client.waitForRequest(requestId, {
      timeoutMs: 20_000,
    });

    expect(record.status).toBe('completed');
    expect(record.failures).toEqual([]);
    const batch = record.batches[0];
    expect(batch).toMatchObject({
      status: 'completed',
      via: 'sync',
      failedCount: 0,
      split: { done: 5, refused: [], cause: { httpStatus: 400 } },
    });
    expect(batch?.split?.task).toBeUndefined();

    // Positions follow the order the request stores its ids in.
    const stored = record.subjects.userIds;
    const { files } = await checkedManifest(h, requestId);
    expect(files.map((f) => f.userIds)).toEqual(stored.map((id) => [id]));
    const bigEntry = files.find((entry) => entry.userIds[0] === big);
    expect(bigEntry?.file).toBe(`users-0-${stored.indexOf(big)}.ndjson`);
    const bigText = await readFile(
      join(h.exportDir, requestId, bigEntry!.file),
      'utf8',
    );
    expect(bigText).toContain(big);
    for (const entry of files.filter((f) => f !== bigEntry)) {
      expect(entry.file).toMatch(/^user-0-\d\.json$/);
      const exported = await exportedUser(h, requestId, entry);
      expect(exported.user.id).toBe(entry.userIds[0]);
      expect(exported.messages).toHaveLength(2);
    }

    const submits = h.sandbox.calls.filter((c) => c.endpoint === 'exportUsers');
    // The batch, refused; then the big user alone, as a task.
    expect(submits.map((c) => c.status)).toEqual([400, 201]);
    expect(exportUserCalls(h, 200)).toHaveLength(4);
    expect(exportUserCalls(h, 400)).toHaveLength(1);
    expect(logMentions(h.log, [...users, big])).toEqual([]);
  });

  it('records a user refused by both Export User and Export Users as a per-subject failure', async () => {
    h = await startHarness({ sandbox: { exportUserMessageLimit: 5 } });
    const users = ids('splitpair', 2);
    const big = 'splitrefuseduser';
    h.sandbox.seed({
      users: [
        ...users.map((id) => ({ id, messageCount: 1 })),
        { id: big, messageCount: 8 },
      ],
    });
    // The batch and then the big user's own Export Users are refused.
    h.sandbox.faults.script({
      kind: 'http400',
      endpoint: 'exportUsers',
      times: 2,
    });

    const { requestId } = await h.client.requestExport({
      userIds: [users[0]!, big, users[1]!],
    });
    const record = await h.client.waitForRequest(requestId, {
      timeoutMs: 20_000,
    });

    expect(record.status).toBe('partially_failed');
    expect(record.failures).toEqual([
      {
        subject: big,
        target: 'users',
        reason: expect.objectContaining({
          code: 'export_refused',
          httpStatus: 400,
          streamCode: 4,
        }) as unknown,
      },
    ]);
    const stored = record.subjects.userIds;
    expect(record.batches[0]?.split?.refused.map((r) => r.position)).toEqual([
      stored.indexOf(big),
    ]);
    const { files } = await checkedManifest(h, requestId);
    expect(files.map((f) => f.userIds)).toEqual(
      stored.filter((id) => id !== big).map((id) => [id]),
    );
    expect(logMentions(h.log, [...users, big])).toEqual([]);
  });

  it('records a user Stream does not know as subject_not_found (404 code 16) and exports the rest', async () => {
    h = await startHarness();
    const users = ids('splitknown', 3);
    const ghost = 'splitghostuser';
    h.sandbox.seed({ users: users.map((id) => ({ id, messageCount: 1 })) });
    h.sandbox.faults.script({ kind: 'http400', endpoint: 'exportUsers' });

    const { requestId } = await h.client.requestExport({
      userIds: [ghost, ...users],
    });
    const record = await h.client.waitForRequest(requestId, {
      timeoutMs: 20_000,
    });

    expect(record.status).toBe('partially_failed');
    expect(record.failures).toHaveLength(1);
    expect(record.failures[0]).toMatchObject({
      subject: ghost,
      target: 'users',
      reason: { code: 'subject_not_found', httpStatus: 404, streamCode: 16 },
    });
    expect(record.failures[0]?.reason.message).not.toContain(ghost);
    const { files } = await checkedManifest(h, requestId);
    expect(files.map((f) => f.userIds)).toEqual(users.map((id) => [id]));
    expect(exportUserCalls(h, 404)).toHaveLength(1);
  });

  it('splits a batch whose export task failed twice, after one resubmission', async () => {
    // Long tasks, so the second failure is set before the resubmission.
    h = await startHarness({ sandbox: { taskDurationMs: 300 } });
    const users = ids('splittaskuser', 3);
    h.sandbox.seed({ users: users.map((id) => ({ id, messageCount: 1 })) });
    h.sandbox.failNextTask('exportUsers', 'export failed');

    const { requestId } = await h.client.requestExport({ userIds: users });
    await pollUntil('the first export task', () =>
      h.sandbox.state.tasks().length > 0 ? true : undefined,
    );
    h.sandbox.failNextTask('exportUsers', 'export failed again');
    const record = await h.client.waitForRequest(requestId, {
      timeoutMs: 20_000,
    });

    expect(record.status).toBe('completed');
    expect(record.batches[0]?.taskHistory).toHaveLength(2);
    expect(record.batches[0]).toMatchObject({
      via: 'sync',
      split: { done: 3, cause: { code: 'task_failed' }, refused: [] },
    });
    const tasks = h.sandbox.state.tasks();
    expect(tasks.map((t) => t.status)).toEqual(['failed', 'failed']);
    const { files } = await checkedManifest(h, requestId);
    expect(files.map((f) => f.userIds)).toEqual(users.map((id) => [id]));
    expect(exportUserCalls(h, 200)).toHaveLength(3);
  });
});
