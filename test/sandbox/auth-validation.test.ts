import type { Sandbox } from '../../src/sandbox/index.js';
import {
  API_SECRET,
  authHeaders,
  call,
  serverToken,
  startTestSandbox,
} from './helpers.js';

describe('sandbox auth and validation over raw HTTP', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startTestSandbox({ seed: 'demo' });
  });

  afterAll(async () => {
    await sandbox.close();
  });

  const task = (headers: Record<string, string>, apiKey?: string) =>
    call(sandbox, 'GET', '/tasks/x', {
      headers,
      ...(apiKey === undefined ? {} : { apiKey }),
    });

  it("answers with Stream's error body shape", async () => {
    const response = await task(await authHeaders(), 'wrong');

    expect(response.status).toBe(401);
    expect(response.json).toEqual({
      code: 2,
      message: expect.any(String),
      exception_fields: {},
      StatusCode: 401,
      duration: expect.stringMatching(/^\d+\.\d{2}ms$/),
      more_info: expect.stringContaining('api_errors_response'),
      details: [],
    });
  });

  it('refuses a call without a token with code 5', async () => {
    const response = await task({ 'Stream-Auth-Type': 'jwt' });

    expect([response.status, response.json?.['code']]).toEqual([401, 5]);
  });

  it('refuses a server token without Stream-Auth-Type jwt with code 5', async () => {
    const response = await task({ Authorization: await serverToken() });

    expect([response.status, response.json?.['code']]).toEqual([401, 5]);
  });

  it('refuses a token with a Bearer prefix, as the SDKs send it bare', async () => {
    const headers = await authHeaders(`Bearer ${await serverToken()}`);

    const response = await task(headers);

    expect(response.json?.['code']).toBe(5);
  });

  it('refuses a token issued in the future with code 42', async () => {
    const token = await serverToken(API_SECRET, {
      server: true,
      iat: Math.floor(Date.now() / 1000) + 600,
    });

    const response = await task(await authHeaders(token));

    expect(response.json?.['code']).toBe(42);
  });

  it('refuses an expired token with code 40', async () => {
    const token = await serverToken(API_SECRET, {
      server: true,
      exp: Math.floor(Date.now() / 1000) - 600,
    });

    const response = await task(await authHeaders(token));

    expect(response.json?.['code']).toBe(40);
  });

  it('accepts php\'s string "true" server claim', async () => {
    const token = await serverToken(API_SECRET, { server: 'true' });

    const response = await task(await authHeaders(token));

    expect(response.json?.['code']).toBe(16);
  });

  it.each([
    [{ user_ids: [] }, 'user_ids'],
    [{}, 'user_ids'],
    [{ user_ids: ['a'], user: 'obliterate' }, 'user'],
    [{ user_ids: ['a'], messages: 'gone' }, 'messages'],
    [{ user_ids: ['a'], conversations: 'pruning' }, 'conversations'],
    [{ user_ids: [7] }, 'user_ids'],
  ])('rejects delete users body %j naming %s', async (body, field) => {
    const response = await call(sandbox, 'POST', '/users/delete', { body });

    expect([response.status, response.json?.['code']]).toEqual([400, 4]);
    expect(response.json?.['exception_fields']).toHaveProperty(field);
  });

  it('rejects a body that is not JSON with code 4', async () => {
    const url = new URL('/users/delete?api_key=sandbox-test-key', sandbox.url);
    const response = await fetch(url, {
      method: 'POST',
      headers: await authHeaders(),
      body: '{not json',
    });

    expect(response.status).toBe(400);
    expect(((await response.json()) as { code: number }).code).toBe(4);
  });

  it('rejects malformed cids and empty export lists with code 4', async () => {
    const cids = await call(sandbox, 'POST', '/channels/delete', {
      body: { cids: ['no-colon'] },
    });
    const exports = await call(sandbox, 'POST', '/export/users', {
      body: { user_ids: [] },
    });

    expect([cids.json?.['code'], exports.json?.['code']]).toEqual([4, 4]);
  });

  it('answers an unknown route with 404', async () => {
    const response = await call(sandbox, 'GET', '/no/such/route');

    expect(response.status).toBe(404);
    expect(sandbox.calls.at(-1)?.endpoint).toBe('unknown');
  });

  it('records each call with its path, query, body and headers', async () => {
    await call(sandbox, 'POST', '/export/users', {
      body: { user_ids: ['bob'] },
    });

    expect(sandbox.calls.at(-1)).toMatchObject({
      endpoint: 'exportUsers',
      method: 'POST',
      path: '/export/users',
      status: 201,
      body: { user_ids: ['bob'] },
      query: { api_key: 'sandbox-test-key' },
      headers: expect.objectContaining({ 'stream-auth-type': 'jwt' }),
    });
  });
});
