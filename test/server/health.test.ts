import { startTestServer, type TestServer } from './helpers/test-server.js';

describe('health endpoints', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ API_TOKEN: undefined });
  });
  afterAll(() => server.close());

  it('answers /healthz with 200 ok and no credentials', async () => {
    const response = await fetch(`${server.url}/healthz`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz with 200 while Redis answers', async () => {
    const response = await fetch(`${server.url}/readyz`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ok',
      checks: { config: 'ok', redis: 'ok' },
    });
  });

  it('answers unknown paths with a JSON 404', async () => {
    const response = await fetch(`${server.url}/nope`);

    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      code: 'not_found',
      message: 'No such route.',
    });
  });
});

describe('health endpoints while Redis is unreachable', () => {
  let server: TestServer;

  beforeAll(async () => {
    // Nothing listens on port 1 here.
    server = await startTestServer({ REDIS_URL: 'redis://127.0.0.1:1' });
  });
  afterAll(() => server.close());

  it('still answers /healthz with 200: the process is alive', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('answers /readyz with 503 and says Redis is the cause', async () => {
    const response = await fetch(`${server.url}/readyz`);

    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      status: 'unavailable',
      checks: { config: 'ok', redis: 'unreachable' },
    });
  });

  it('answers /metrics with 503 rather than zeros', async () => {
    const response = await fetch(`${server.url}/metrics`);

    expect(response.status).toBe(503);
  });
});
