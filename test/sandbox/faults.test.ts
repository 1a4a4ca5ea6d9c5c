import type { Sandbox } from '../../src/sandbox/index.js';
import { call, queryUsersRaw, startTestSandbox, waitFor } from './helpers.js';

const DELETE_BOB = { user_ids: ['bob'], user: 'hard', messages: 'hard' };

describe('sandbox fault injection', () => {
  let sandbox: Sandbox;

  beforeEach(async () => {
    sandbox = await startTestSandbox({ seed: 'demo' });
  });

  afterEach(async () => {
    await sandbox.close();
  });

  it('answers a scripted http500 with a Stream JSON body of code -1 and changes nothing', async () => {
    sandbox.faults.script({ kind: 'http500', endpoint: 'deleteUsers' });

    const response = await call(sandbox, 'POST', '/users/delete', {
      body: DELETE_BOB,
    });

    expect(response.status).toBe(500);
    expect(response.json).toMatchObject({ code: -1, StatusCode: 500 });
    expect(sandbox.state.user('bob')?.deletedAt).toBeUndefined();
    expect(sandbox.state.tasks()).toEqual([]);
    expect(sandbox.calls.at(-1)).toMatchObject({
      endpoint: 'deleteUsers',
      status: 500,
      fault: 'http500',
    });
  });

  it('answers http502Html with an HTML body', async () => {
    sandbox.faults.script({ kind: 'http502Html' });

    const response = await call(sandbox, 'GET', '/tasks/x');

    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.text).toContain('502 Bad Gateway');
  });

  it('answers http429Json with code 9 and rate-limit headers at zero remaining', async () => {
    sandbox.faults.script({ kind: 'http429Json', endpoint: 'queryUsers' });

    const response = await queryUsersRaw(sandbox, {
      filter_conditions: { id: 'bob' },
    });

    expect(response.status).toBe(429);
    expect(response.json).toMatchObject({ code: 9, StatusCode: 429 });
    expect(response.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(response.headers.get('x-ratelimit-reset'))).toBeGreaterThan(
      Date.now() / 1000,
    );
  });

  it('answers http429Text with a plain-text body and Retry-After, as the edge does', async () => {
    sandbox.faults.script({ kind: 'http429Text' });

    const response = await call(sandbox, 'GET', '/tasks/x');

    expect(response.status).toBe(429);
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(response.text.trim()).toBe('Too Many Requests');
    expect(response.headers.get('retry-after')).toBe('1');
    expect(response.json).toBeUndefined();
  });

  it('hangs until the client gives up', async () => {
    sandbox.faults.script({ kind: 'hang', endpoint: 'getTask' });

    await expect(
      call(sandbox, 'GET', '/tasks/x', { signal: AbortSignal.timeout(150) }),
    ).rejects.toThrow();

    expect(sandbox.calls.at(-1)).toMatchObject({ status: 0, fault: 'hang' });
  });

  it('resets the connection before sending a byte', async () => {
    sandbox.faults.script({ kind: 'reset', endpoint: 'deleteUsers' });

    await expect(
      call(sandbox, 'POST', '/users/delete', { body: DELETE_BOB }),
    ).rejects.toThrow('fetch failed');

    expect(sandbox.state.user('bob')?.deletedAt).toBeUndefined();
  });

  it('answers malformedJson with a 2xx body that does not parse', async () => {
    sandbox.faults.script({ kind: 'malformedJson', endpoint: 'deleteUsers' });

    const response = await call(sandbox, 'POST', '/users/delete', {
      body: DELETE_BOB,
    });

    expect(response.status).toBe(201);
    expect(response.json).toBeUndefined();
  });

  it('answers wrongShape with a 2xx JSON body missing the promised fields', async () => {
    sandbox.faults.script({ kind: 'wrongShape', endpoint: 'exportUsers' });

    const response = await call(sandbox, 'POST', '/export/users', {
      body: { user_ids: ['bob'] },
    });

    expect(response.status).toBe(201);
    expect(response.json).toHaveProperty('duration');
    expect(response.json).not.toHaveProperty('task_id');
  });

  it('hits scripted faults in order, per endpoint, the given number of times', async () => {
    sandbox.faults.script(
      { kind: 'http500', endpoint: 'getTask', times: 2 },
      { kind: 'http502Html', endpoint: 'getTask' },
    );

    const statuses: number[] = [];
    for (let n = 0; n < 4; n += 1) {
      statuses.push((await call(sandbox, 'GET', '/tasks/x')).status);
    }
    const other = await queryUsersRaw(sandbox, {
      filter_conditions: { id: 'bob' },
    });

    expect(statuses).toEqual([500, 500, 502, 404]);
    expect(other.status).toBe(200);
  });

  it('draws probabilistic faults reproducibly from a seed', async () => {
    const run = async (): Promise<number[]> => {
      sandbox.faults.setProbabilities(
        { http500: 0.3, http502Html: 0.2 },
        { endpoints: ['getTask'], seed: 42 },
      );
      const statuses: number[] = [];
      for (let n = 0; n < 30; n += 1) {
        statuses.push((await call(sandbox, 'GET', '/tasks/x')).status);
      }
      return statuses;
    };

    const first = await run();
    const second = await run();

    expect(second).toEqual(first);
    expect(first).toContain(500);
    expect(first).toContain(502);
    expect(first).toContain(404);
  });

  it('adds latency to every answer', async () => {
    sandbox.faults.setLatency(120);
    const started = Date.now();

    await call(sandbox, 'GET', '/tasks/x');

    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('stops injecting after clear()', async () => {
    sandbox.faults.script({ kind: 'http500', times: 5 });
    sandbox.faults.setProbabilities({ http500: 1 });
    sandbox.faults.clear();

    const response = await call(sandbox, 'GET', '/tasks/x');

    expect(response.status).toBe(404);
  });

  it('closes with a hung request outstanding, cutting that request off', async () => {
    sandbox.faults.script({ kind: 'hang' });
    const pending = call(sandbox, 'GET', '/tasks/x');
    await waitFor(() => (sandbox.calls.length > 0 ? true : undefined));

    await sandbox.close();

    await expect(pending).rejects.toThrow();
  });
});
