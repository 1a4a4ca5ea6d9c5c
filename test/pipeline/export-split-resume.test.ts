import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { ChildHandle } from '../support/child-process.js';
import { pollUntil } from '../support/poll.js';
import type { Harness } from './pipeline-harness.js';
import { ids, startHarness } from './pipeline-harness.js';
import { killAll, spawnWorker } from './worker-processes.js';

/** How many 200 answers Export User gave for each user. */
function exportsPerUser(h: Harness, users: readonly string[]): number[] {
  const paths = h.sandbox.calls
    .filter((c) => c.endpoint === 'exportUser' && c.status === 200)
    .map((c) => c.path);
  return users.map(
    (id) => paths.filter((path) => path.includes(`/users/${id}/`)).length,
  );
}

async function manifestUserIds(
  h: Harness,
  requestId: string,
): Promise<string[][]> {
  const text = await readFile(
    join(h.exportDir, requestId, 'manifest.json'),
    'utf8',
  );
  const manifest = JSON.parse(text) as { files: { userIds: string[] }[] };
  return manifest.files.map((f) => f.userIds);
}

/** Resolves once the request's first batch has handled `done` users. */
function splitReached(h: Harness, requestId: string, done: number) {
  return pollUntil(`${done} users of the split batch`, async () => {
    const record = await h.client.getRequest(requestId, { subjectLimit: 0 });
    const progress = record?.batches[0]?.split?.done ?? 0;
    return progress >= done ? progress : undefined;
  });
}

describe('a split export batch that is interrupted', () => {
  let h: Harness;
  const children: ChildHandle[] = [];

  afterEach(async () => {
    await killAll(children);
    await h?.close();
  });

  it('resumes after a 429 and a 500 mid-way without exporting any user twice', async () => {
    // One-second windows, so the JSON 429's reset is near.
    h = await startHarness({
      sandbox: { rateLimit: { windowMs: 1000, limit: 1000 } },
    });
    const users = ids('resumeuser', 8);
    h.sandbox.seed({ users: users.map((id) => ({ id, messageCount: 1 })) });
    h.sandbox.faults.script({ kind: 'http400', endpoint: 'exportUsers' });
    // Slow answers, so the faults below land part-way through the batch.
    h.sandbox.faults.setLatency(100);

    const { requestId } = await h.client.requestExport({ userIds: users });
    const reached = await splitReached(h, requestId, 3);
    h.sandbox.faults.script(
      { kind: 'http429Json', endpoint: 'exportUser' },
      { kind: 'http500', endpoint: 'exportUser' },
    );
    const record = await h.client.waitForRequest(requestId, {
      timeoutMs: 20_000,
    });

    expect(reached).toBeLessThan(users.length);
    expect(record.status).toBe('completed');
    const faulted = h.sandbox.calls.filter(
      (c) => c.endpoint === 'exportUser' && c.fault !== undefined,
    );
    expect(faulted.map((c) => c.status)).toEqual([429, 500]);
    expect(exportsPerUser(h, users)).toEqual(users.map(() => 1));
    // The 429 used no attempt; the 500 used one.
    expect(record.batches[0]).toMatchObject({
      attempts: 2,
      via: 'sync',
      split: { done: users.length },
    });
    expect(await manifestUserIds(h, requestId)).toEqual(
      users.map((id) => [id]),
    );
  });

  it('goes on where it was after its worker is killed, redoing at most the user in flight', async () => {
    h = await startHarness({ workers: false });
    const users = ids('crashsplituser', 8);
    h.sandbox.seed({ users: users.map((id) => ({ id, messageCount: 1 })) });
    h.sandbox.faults.script({ kind: 'http400', endpoint: 'exportUsers' });
    h.sandbox.faults.setLatency(300);
    const doomed = spawnWorker(h.env, children);

    const { requestId } = await h.client.requestExport({ userIds: users });
    await splitReached(h, requestId, 3);
    await doomed.kill('SIGKILL');
    const killedAt = await h.client.getRequest(requestId, { subjectLimit: 0 });
    const done = killedAt?.batches[0]?.split?.done ?? 0;
    h.sandbox.faults.setLatency(0);
    spawnWorker(h.env, children);
    const record = await h.client.waitForRequest(requestId, {
      timeoutMs: 30_000,
    });

    expect(record.status).toBe('completed');
    expect(
      h.sandbox.calls.filter((c) => c.endpoint === 'exportUsers'),
    ).toHaveLength(1);
    // Users recorded done were not asked for again; the one in flight as
    // the worker died may have been.
    const counts = exportsPerUser(h, users);
    expect(done).toBeLessThan(users.length);
    expect(counts.slice(0, done)).toEqual(users.slice(0, done).map(() => 1));
    expect([1, 2]).toContain(counts[done]);
    expect(counts.slice(done + 1)).toEqual(users.slice(done + 1).map(() => 1));
    expect(await manifestUserIds(h, requestId)).toEqual(
      users.map((id) => [id]),
    );
  }, 45_000);
});
