import { Queue } from 'bullmq';
import { Redis } from 'ioredis';

import { QUEUE_NAMES } from '../../src/queues/queue-names.js';
import {
  DASHBOARD_PASSWORD,
  DASHBOARD_USER,
  startTestServer,
  type TestServer,
} from './helpers/test-server.js';

const basic = (user: string, password: string) => ({
  authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
});
const RIGHT = basic(DASHBOARD_USER, DASHBOARD_PASSWORD);

interface QueuesAnswer {
  queues: { name: string; jobs: { data: unknown }[] }[];
}

describe('dashboard (read-only, personal data hidden)', () => {
  let server: TestServer;
  let staticAsset: string;

  beforeAll(async () => {
    server = await startTestServer();
    const html = await (
      await fetch(`${server.url}/dashboard`, { headers: RIGHT })
    ).text();
    staticAsset = /src="(static\/js\/main[^"]+)"/.exec(html)![1]!;
  });
  afterAll(() => server.close());

  it('answers 401 with a Basic challenge on its page, API and static assets without credentials', async () => {
    for (const path of [
      '/dashboard',
      '/dashboard/',
      '/dashboard/queue/requests',
      '/dashboard/api/queues',
      '/dashboard/api/redis/stats',
      `/dashboard/${staticAsset}`,
    ]) {
      const response = await fetch(`${server.url}${path}`);
      expect([path, response.status]).toEqual([path, 401]);
      expect(response.headers.get('www-authenticate')).toMatch(/^Basic /);
    }
  });

  it('answers 401 to a wrong password or a wrong user', async () => {
    for (const headers of [
      basic(DASHBOARD_USER, 'not-the-password'),
      basic('someone', DASHBOARD_PASSWORD),
      basic(DASHBOARD_USER, `${DASHBOARD_PASSWORD}x`),
      { authorization: `Bearer ${DASHBOARD_PASSWORD}` },
    ]) {
      const response = await fetch(`${server.url}/dashboard/api/queues`, {
        headers,
      });
      expect(response.status).toBe(401);
    }
  });

  it('serves the page, its static assets and its API with the right credentials', async () => {
    const page = await fetch(`${server.url}/dashboard`, { headers: RIGHT });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<base href="/dashboard/"');
    expect(page.headers.get('content-security-policy')).toContain(
      "default-src 'self'",
    );
    expect(page.headers.get('x-frame-options')).toBe('DENY');

    const asset = await fetch(`${server.url}/dashboard/${staticAsset}`, {
      headers: RIGHT,
    });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);

    const api = await fetch(`${server.url}/dashboard/api/queues`, {
      headers: RIGHT,
    });
    const { queues } = (await api.json()) as QueuesAnswer;
    expect(queues.map((queue) => queue.name).sort()).toEqual(
      Object.values(QUEUE_NAMES).sort(),
    );
  });

  it('refuses every write while DASHBOARD_ACTIONS is off', async () => {
    for (const path of [
      '/dashboard/api/queues/requests/pause',
      '/dashboard/api/queues/requests/retry/failed',
      '/dashboard/api/queues/requests/clean/completed',
    ]) {
      const response = await fetch(`${server.url}${path}`, {
        method: 'PUT',
        headers: RIGHT,
      });
      expect([path, response.status]).toEqual([path, 403]);
    }
  });

  it('masks subject ids in job data', async () => {
    const redis = new Redis({ maxRetriesPerRequest: 2 });
    const queue = new Queue(QUEUE_NAMES.requests, {
      connection: redis,
      prefix: server.prefix,
    });
    await queue.add('plan', {
      requestId: 'req-visible',
      userIds: ['dash-secret-user'],
      nested: {
        email: 'person@example.com',
        channelCids: ['messaging:dash-secret'],
      },
    });
    await queue.close();
    redis.disconnect();

    const response = await fetch(
      `${server.url}/dashboard/api/queues?activeQueue=requests&status=latest&page=1&jobsPerPage=10`,
      { headers: RIGHT },
    );
    const text = await response.text();

    expect(text).toContain('req-visible');
    expect(text).toContain('[hidden]');
    for (const secret of [
      'dash-secret-user',
      'person@example.com',
      'messaging:dash-secret',
    ]) {
      expect(text).not.toContain(secret);
    }
  });
});

describe('dashboard with actions and personal data enabled', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({
      DASHBOARD_ACTIONS: 'true',
      DASHBOARD_SHOW_PERSONAL_DATA: 'true',
    });
  });
  afterAll(() => server.close());

  it('lets retry and promote through, and still refuses destructive writes', async () => {
    const retry = await fetch(
      `${server.url}/dashboard/api/queues/batches/retry/failed`,
      {
        method: 'PUT',
        headers: RIGHT,
      },
    );
    expect(retry.status).toBe(200);

    for (const path of [
      '/dashboard/api/queues/batches/clean/completed',
      '/dashboard/api/queues/batches/obliterate',
      '/dashboard/api/queues/batches/empty',
    ]) {
      const response = await fetch(`${server.url}${path}`, {
        method: 'PUT',
        headers: RIGHT,
      });
      expect([path, response.status]).toEqual([path, 403]);
    }
  });
  it('shows job data as it is when DASHBOARD_SHOW_PERSONAL_DATA is on', async () => {
    const redis = new Redis({ maxRetriesPerRequest: 2 });
    const queue = new Queue(QUEUE_NAMES.requests, {
      connection: redis,
      prefix: server.prefix,
    });
    await queue.add('plan', {
      requestId: 'req-shown',
      userIds: ['shown-user'],
    });
    await queue.close();
    redis.disconnect();

    const response = await fetch(
      `${server.url}/dashboard/api/queues?activeQueue=requests&status=latest&page=1&jobsPerPage=10`,
      { headers: RIGHT },
    );

    expect(await response.text()).toContain('shown-user');
  });
});

describe('a server without dashboard credentials', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({
      DASHBOARD_USER: undefined,
      DASHBOARD_PASSWORD: undefined,
    });
  });
  afterAll(() => server.close());

  it('does not serve the dashboard and warns at start-up', async () => {
    const response = await fetch(`${server.url}/dashboard`, { headers: RIGHT });

    expect(response.status).toBe(404);
    expect(
      server.logs.filter((line) => line.level === 40).map((line) => line.msg),
    ).toContainEqual(expect.stringContaining('DASHBOARD_USER'));
  });
});
