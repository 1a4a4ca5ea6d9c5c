import type { Sandbox } from '../../src/sandbox/index.js';
import { call, settledTask, startTestSandbox } from './helpers.js';

async function exportUrl(sandbox: Sandbox, userIds: string[]): Promise<string> {
  const response = await call(sandbox, 'POST', '/export/users', {
    body: { user_ids: userIds },
  });
  const task = await settledTask(sandbox, response.json?.['task_id'] as string);
  return (task['result'] as { url: string }).url;
}

describe('sandbox export files and admin view', () => {
  let sandbox: Sandbox;

  beforeEach(async () => {
    sandbox = await startTestSandbox({ seed: 'demo', taskDurationMs: 10 });
  });

  afterEach(async () => {
    await sandbox.close();
  });

  it('serves the export as NDJSON with one typed record per line', async () => {
    const url = await exportUrl(sandbox, ['ivan']);

    const response = await fetch(url);
    const lines = (await response.text()).trim().split('\n');

    expect(response.headers.get('content-type')).toBe('application/x-ndjson');
    const records = lines.map(
      (line) => JSON.parse(line) as Record<string, unknown>,
    );
    expect(records[0]).toMatchObject({
      type: 'user',
      user: { id: 'ivan', name: 'Ivan Petrov', email: 'ivan@example.com' },
    });
    const messages = records.filter((r) => r['type'] === 'message');
    expect(messages).toHaveLength(sandbox.state.messageCountOf('ivan'));
    expect(messages[0]).toMatchObject({ message: { user: { id: 'ivan' } } });
  });

  it('refuses a download whose signature or expiry was changed', async () => {
    const url = new URL(await exportUrl(sandbox, ['ivan']));
    const tampered = new URL(url);
    tampered.searchParams.set(
      'Expires',
      String(Number(url.searchParams.get('Expires')) + 1),
    );
    const unsigned = new URL(url.pathname, url.origin);

    const responses = await Promise.all([fetch(tampered), fetch(unsigned)]);

    expect(responses.map((r) => r.status)).toEqual([403, 403]);
  });

  it('downloads without Stream credentials', async () => {
    const url = await exportUrl(sandbox, ['judy']);

    const response = await fetch(url);

    expect(response.status).toBe(200);
    expect(sandbox.calls.at(-1)).toMatchObject({
      endpoint: 'downloadExport',
      status: 200,
    });
  });

  it('shows users, channels and tasks at GET /_sandbox/state without auth', async () => {
    await call(sandbox, 'POST', '/users/delete', {
      body: { user_ids: ['heidi'], user: 'pruning' },
    });

    const response = await fetch(new URL('/_sandbox/state', sandbox.url));
    const state = (await response.json()) as {
      users: { id: string; deletedAt?: string }[];
      channels: { cid: string }[];
      tasks: { kind: string }[];
    };

    expect(response.status).toBe(200);
    expect(state.users).toHaveLength(12);
    expect(state.users.find((u) => u.id === 'heidi')?.deletedAt).toEqual(
      expect.any(String),
    );
    expect(state.channels.map((c) => c.cid)).toContain('team:everyone');
    expect(state.tasks.map((t) => t.kind)).toEqual(['deleteUsers']);
  });

  it('refuses to change state over the admin endpoint', async () => {
    const response = await fetch(new URL('/_sandbox/state', sandbox.url), {
      method: 'POST',
      body: '{}',
    });

    expect(response.status).toBe(405);
  });
});
