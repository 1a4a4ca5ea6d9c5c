import {
  json,
  startTestServer,
  type TestServer,
} from './helpers/test-server.js';

const ERASURE = { userIds: ['auth-user-1'], mode: 'hard' };

describe('intake API authentication', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('answers 401 with a Bearer challenge when the token is missing', async () => {
    const response = await fetch(`${server.url}/v1/requests/req_1`);

    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(await response.json()).toEqual({
      code: 'unauthorized',
      message: expect.any(String),
    });
  });

  it('answers 401 to a wrong token, another scheme or a token with a suffix', async () => {
    for (const authorization of [
      'Bearer wrong-token-0123456789',
      `Basic ${Buffer.from('a:b').toString('base64')}`,
      `Bearer ${server.config.http.apiToken}x`,
      `Bearer`,
    ]) {
      const response = await server.api(
        '/v1/erasure-requests',
        json(ERASURE, { headers: { authorization } }),
      );
      expect(response.status).toBe(401);
    }
  });

  it('accepts the right token on every API route', async () => {
    const created = await server.api('/v1/erasure-requests', json(ERASURE));
    expect(created.status).toBe(202);
    const { id } = (await created.json()) as { id: string };

    const status = await server.api(`/v1/requests/${id}`);
    expect(status.status).toBe(200);
    expect(status.headers.get('cache-control')).toBe('no-store');
  });

  it('checks the token before looking at the body', async () => {
    const response = await fetch(
      `${server.url}/v1/erasure-requests`,
      json('{not json'),
    );

    expect(response.status).toBe(401);
  });
});

describe('a server without API_TOKEN', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ API_TOKEN: undefined });
  });
  afterAll(() => server.close());

  it('does not serve the API at all', async () => {
    const response = await server.api('/v1/erasure-requests', json(ERASURE));

    expect(response.status).toBe(404);
  });

  it('says so at start-up', () => {
    const warnings = server.logs.filter((line) => line.level === 40);
    expect(warnings.map((line) => line.msg)).toContainEqual(
      expect.stringContaining('set API_TOKEN'),
    );
  });
});
